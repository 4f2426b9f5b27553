#include "mail.h"
#include "date.h"
#include "mime.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* MIME nesting deeper than this is not followed (real mail nests 3-4). */
#define MAX_MIME_DEPTH 16

/* The headers we read; the dozens of Received/ARC/DKIM ones are skipped. */
enum header_id {
	H_MESSAGE_ID, H_IN_REPLY_TO, H_REFERENCES, H_SUBJECT, H_FROM,
	H_DATE, H_LIST_ID, H_RECEIVED, H_CONTENT_TYPE, H_CTE,
	H_X_ORIGINAL_FROM, H_REPLY_TO, H_NR
};

static const char *const header_names[H_NR] = {
	"Message-ID", "In-Reply-To", "References", "Subject", "From",
	"Date", "List-Id", "Received", "Content-Type",
	"Content-Transfer-Encoding", "X-Original-From", "Reply-To",
};

/* A header value as it sits in the raw bytes, folding included. */
struct raw_header {
	const char *value;
	size_t len;
};

struct header_block {
	struct raw_header h[H_NR];
	size_t end;	/* offset of the body */
};

static enum header_id header_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < H_NR; i++)
		if (strlen(header_names[i]) == len &&
		    !strncasecmp(name, header_names[i], len))
			return (enum header_id)i;
	return H_NR;
}

/*
 * Find the header lines of buf and remember the first occurrence of each
 * header we want.  Returns the number of header lines, 0 when buf does
 * not start with a header.
 */
static size_t scan_headers(struct header_block *hb, const char *buf, size_t len)
{
	size_t pos = 0, lines = 0;
	enum header_id current = H_NR;

	memset(hb, 0, sizeof(*hb));
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		size_t next = pos + llen + (nl ? 1 : 0);

		if (!llen || (llen == 1 && line[0] == '\r')) {
			pos = next;
			break;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			if (current != H_NR)
				hb->h[current].len = (size_t)(line + llen - hb->h[current].value);
		} else {
			const char *colon = memchr(line, ':', llen);
			size_t nlen;

			current = H_NR;
			if (!colon) {
				/* Not a header: the header block ended without a blank line. */
				if (!lines)
					return 0;
				break;
			}
			nlen = (size_t)(colon - line);
			while (nlen && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
				nlen--;
			if (!nlen || memchr(line, ' ', nlen)) {
				if (!lines)
					return 0;
				break;
			}
			current = header_lookup(line, nlen);
			if (current != H_NR && hb->h[current].value)
				current = H_NR;	/* keep the first of duplicates */
			if (current != H_NR) {
				hb->h[current].value = colon + 1;
				hb->h[current].len = (size_t)(line + llen - (colon + 1));
			}
			lines++;
		}
		pos = next;
	}
	hb->end = pos;
	return lines;
}

/* Unfold a header value into sb: CR/LF removed, leading/trailing space trimmed. */
static void unfold(struct strbuf *sb, const struct raw_header *h)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < h->len; i++) {
		char c = h->value[i];

		if (c == '\r' || c == '\n')
			continue;
		if (c == '\t')
			c = ' ';
		strbuf_addch(sb, c);
	}
	strbuf_trim(sb);
}

static char *decoded_header(const struct raw_header *h)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;

	unfold(&raw, h);
	mime_decode_header(&out, raw.buf, raw.len);
	strbuf_release(&raw);
	return strbuf_detach(&out, NULL);
}

char *mail_normalize_mid(const char *s, size_t len)
{
	const char *lt = memchr(s, '<', len), *end;

	if (lt) {
		const char *gt = memchr(lt, '>', len - (size_t)(lt - s));

		s = lt + 1;
		end = gt ? gt : s + strlen(s);
		if (end > s + len)
			end = s + len;
	} else {
		end = s + len;
	}
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (end == s)
		return NULL;
	return xstrndup(s, (size_t)(end - s));
}

/* Every <id> of a References-like header, in order. */
static void parse_id_list(const struct raw_header *h, char ***ids, size_t *nr)
{
	size_t alloc = 0, i = 0;

	*ids = NULL;
	*nr = 0;
	while (i < h->len) {
		const char *lt = memchr(h->value + i, '<', h->len - i), *gt;

		if (!lt)
			break;
		gt = memchr(lt, '>', h->len - (size_t)(lt - h->value));
		if (!gt)
			break;
		{
			char *id = mail_normalize_mid(lt, (size_t)(gt - lt + 1));

			if (id) {
				ALLOC_GROW(*ids, *nr + 1, alloc);
				(*ids)[(*nr)++] = id;
			}
		}
		i = (size_t)(gt - h->value) + 1;
	}
}

static void lowercase_domain(char *email)
{
	char *at = strrchr(email, '@');

	if (at)
		for (; *at; at++)
			*at = (char)tolower((unsigned char)*at);
}

/* "Name <email>", "email (Name)", "<email>", "email". */
static void parse_address(const char *s, char **name, char **email)
{
	const char *lt = strrchr(s, '<'), *gt;
	struct strbuf n = STRBUF_INIT;

	if (lt && (gt = strchr(lt, '>'))) {
		*email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		strbuf_add(&n, s, (size_t)(lt - s));
	} else {
		const char *paren = strchr(s, '(');
		const char *e = paren ? paren : s + strlen(s);

		*email = xstrndup(s, (size_t)(e - s));
		if (paren) {
			const char *close = strrchr(paren, ')');

			strbuf_add(&n, paren + 1,
				   close ? (size_t)(close - paren - 1) : strlen(paren + 1));
		}
	}
	strbuf_trim(&n);
	/* Quoted display names: drop the quotes and unescape. */
	if (n.len >= 2 && n.buf[0] == '"' && n.buf[n.len - 1] == '"') {
		struct strbuf q = STRBUF_INIT;
		size_t i;

		for (i = 1; i + 1 < n.len; i++) {
			if (n.buf[i] == '\\' && i + 2 < n.len)
				i++;
			strbuf_addch(&q, n.buf[i]);
		}
		strbuf_release(&n);
		n = q;
	}
	*name = strbuf_detach(&n, NULL);
	{
		struct strbuf e = STRBUF_INIT;

		strbuf_addstr(&e, *email);
		strbuf_trim(&e);
		free(*email);
		*email = strbuf_detach(&e, NULL);
	}
	lowercase_domain(*email);
}

/*
 * Lists that rewrite From: for DMARC write "Jane Doe via bpf <bpf@...>";
 * the sender is then in X-Original-From or Reply-To.
 */
static void undo_list_rewrite(struct mail *m, const struct header_block *hb)
{
	const struct raw_header *alt;
	char *name, *email, *via = strstr(m->from_name, " via ");

	if (!via)
		return;
	alt = hb->h[H_X_ORIGINAL_FROM].value ? &hb->h[H_X_ORIGINAL_FROM]
					     : &hb->h[H_REPLY_TO];
	if (alt->value) {
		char *v = decoded_header(alt);

		parse_address(v, &name, &email);
		free(v);
		if (*email && strchr(email, '@')) {
			free(m->from_email);
			m->from_email = email;
			if (*name) {
				free(m->from_name);
				m->from_name = name;
			} else {
				free(name);
				*via = '\0';
			}
			return;
		}
		free(name);
		free(email);
	}
	*via = '\0';
}

/* ---- body ---- */

struct body {
	struct strbuf text;	/* text/plain parts, decoded to UTF-8 */
	struct strbuf attached;	/* patches attached as text/x-patch and alike */
	struct strbuf html;	/* used only when there is no text/plain */
};

static int is_patch_attachment(const char *ctype, const char *params)
{
	char *name;
	int yes = 0;

	if (!strncasecmp(ctype, "text/x-patch", 12) || !strncasecmp(ctype, "text/x-diff", 11) ||
	    !strncasecmp(ctype, "application/x-patch", 19) ||
	    !strncasecmp(ctype, "text/x-diff", 11))
		return 1;
	name = mime_header_param(params, "filename");
	if (!name)
		name = mime_header_param(params, "name");
	if (name) {
		size_t l = strlen(name);

		yes = (l > 6 && !strcasecmp(name + l - 6, ".patch")) ||
		      (l > 5 && !strcasecmp(name + l - 5, ".diff"));
		free(name);
	}
	return yes;
}

static void decode_part(struct strbuf *out, const char *body, size_t len,
			const char *cte, const char *charset)
{
	struct strbuf raw = STRBUF_INIT;
	const char *src = body;
	size_t srclen = len;

	if (cte && !strncasecmp(cte, "base64", 6)) {
		mime_decode_base64(&raw, body, len);
		src = raw.buf;
		srclen = raw.len;
	} else if (cte && !strncasecmp(cte, "quoted-printable", 16)) {
		mime_decode_qp(&raw, body, len);
		src = raw.buf;
		srclen = raw.len;
	}
	if (out->len && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
	mime_to_utf8(out, src, srclen, charset);
	strbuf_release(&raw);
}

static void collect_body(struct body *b, const struct header_block *hb,
			 const char *part, size_t len, int depth);

static void collect_multipart(struct body *b, const char *boundary,
			      const char *body, size_t len, int depth)
{
	size_t blen = strlen(boundary), pos = 0;
	const char *part = NULL;

	while (pos < len) {
		const char *line = body + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;

		if (llen >= blen + 2 && line[0] == '-' && line[1] == '-' &&
		    !memcmp(line + 2, boundary, blen)) {
			int last = llen >= blen + 4 && line[blen + 2] == '-' && line[blen + 3] == '-';

			if (part) {
				size_t plen = (size_t)(line - part);
				struct header_block phb;

				/* The CRLF before a boundary belongs to the boundary. */
				if (plen && part[plen - 1] == '\n')
					plen--;
				if (plen && part[plen - 1] == '\r')
					plen--;
				if (scan_headers(&phb, part, plen) || (plen && (part[0] == '\n' || part[0] == '\r'))) {
					if (!phb.end)
						phb.end = part[0] == '\r' ? 2 : 1;
					collect_body(b, &phb, part + phb.end, plen - phb.end, depth + 1);
				}
			}
			if (last)
				return;
			part = nl ? nl + 1 : body + len;
		}
		pos += llen + (nl ? 1 : 0);
	}
}

static void collect_body(struct body *b, const struct header_block *hb,
			 const char *part, size_t len, int depth)
{
	struct strbuf ctype = STRBUF_INIT, cte = STRBUF_INIT;
	char *charset = NULL;

	if (depth > MAX_MIME_DEPTH)
		return;
	if (hb->h[H_CONTENT_TYPE].value)
		unfold(&ctype, &hb->h[H_CONTENT_TYPE]);
	if (hb->h[H_CTE].value)
		unfold(&cte, &hb->h[H_CTE]);
	charset = ctype.len ? mime_header_param(ctype.buf, "charset") : NULL;

	if (!strncasecmp(ctype.buf, "multipart/", 10)) {
		char *boundary = mime_header_param(ctype.buf, "boundary");

		if (boundary && *boundary)
			collect_multipart(b, boundary, part, len, depth);
		else
			decode_part(&b->text, part, len, cte.buf, charset);
		free(boundary);
	} else if (is_patch_attachment(ctype.buf, ctype.buf)) {
		decode_part(&b->attached, part, len, cte.buf, charset);
	} else if (!ctype.len || !strncasecmp(ctype.buf, "text/plain", 10)) {
		decode_part(&b->text, part, len, cte.buf, charset);
	} else if (!strncasecmp(ctype.buf, "text/html", 9)) {
		decode_part(&b->html, part, len, cte.buf, charset);
	}
	/* Other types (signatures, images, message/rfc822) carry no text we use. */
	free(charset);
	strbuf_release(&ctype);
	strbuf_release(&cte);
}

/* Remove CRs of CRLF line ends, in place. */
static void strip_cr(struct strbuf *sb)
{
	size_t i, j = 0;

	for (i = 0; i < sb->len; i++)
		if (!(sb->buf[i] == '\r' && i + 1 < sb->len && sb->buf[i + 1] == '\n'))
			sb->buf[j++] = sb->buf[i];
	if (sb->alloc)
		strbuf_setlen(sb, j);
}

/* Offset of the first line of s (from start) that begins with prefix, or len. */
static size_t find_line(const char *s, size_t len, size_t start, const char *prefix)
{
	size_t plen = strlen(prefix), pos = start;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);

		if (len - pos >= plen && !memcmp(s + pos, prefix, plen))
			return pos;
		if (!nl)
			break;
		pos = (size_t)(nl - s) + 1;
	}
	return len;
}

/* Offset of the first line exactly equal to want (ignoring trailing spaces). */
static size_t find_exact_line(const char *s, size_t len, size_t start,
			      size_t stop, const char *want)
{
	size_t wlen = strlen(want), pos = start;

	while (pos < stop) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (s + pos)) : len - pos;

		while (llen > wlen && (s[pos + llen - 1] == ' ' || s[pos + llen - 1] == '\t' ||
				       s[pos + llen - 1] == '\r'))
			llen--;
		if (llen == wlen && !memcmp(s + pos, want, wlen))
			return pos;
		if (!nl)
			break;
		pos = (size_t)(nl - s) + 1;
	}
	return stop;
}

/* Where a diff starts: "diff --git", or a "--- a/" line followed by "+++ ". */
static size_t find_diff(const char *s, size_t len)
{
	size_t git = find_line(s, len, 0, "diff --git "), pos = 0;

	while (pos < git) {
		size_t minus = find_line(s, git, pos, "--- ");
		const char *nl;

		if (minus >= git)
			break;
		nl = memchr(s + minus, '\n', len - minus);
		if (nl && (size_t)(nl - s) + 4 < len && !memcmp(nl + 1, "+++ ", 4))
			return minus;
		pos = nl ? (size_t)(nl - s) + 1 : len;
	}
	return git;
}

static int is_trailer_token(const char *s, size_t len, size_t *colon)
{
	size_t i = 0;

	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	if (!i || i >= len || s[i] != ':')
		return 0;
	*colon = i;
	return 1;
}

/* Prefixes git recognises as its own trailers (a block with one qualifies). */
static int is_recognized(const char *s, size_t len)
{
	return (len >= 15 && !strncasecmp(s, "Signed-off-by: ", 15)) ||
	       (len >= 27 && !strncmp(s, "(cherry picked from commit ", 27));
}

/*
 * Find the trailer block at the end of text, with git's rules (the ones
 * git_message_trailers() implements): the last paragraph is trailers if
 * every line is a "token: value" line or a continuation, or if it has a
 * git-recognised trailer and at least a quarter of its lines are trailers.
 * Returns the block's offset, or len when there is none.
 */
static int is_blank_line(const char *l, size_t llen)
{
	size_t i;

	for (i = 0; i < llen; i++)
		if (!isspace((unsigned char)l[i]))
			return 0;
	return 1;
}

static size_t find_trailer_block(const char *text, size_t len)
{
	size_t end = len, start = 0, pos = 0;
	int trailers = 0, others = 0, recognized = 0;

	while (end && isspace((unsigned char)text[end - 1]))
		end--;
	if (!end)
		return len;
	/* The last paragraph starts after the last blank line. */
	while (pos < end) {
		const char *nl = memchr(text + pos, '\n', end - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : end - pos;

		if (is_blank_line(text + pos, llen))
			start = pos + llen + 1;
		pos += llen + 1;
	}
	/* Classify the paragraph's lines. */
	pos = start;
	while (pos < end) {
		const char *nl = memchr(text + pos, '\n', end - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : end - pos, colon;
		const char *l = text + pos;

		if (llen && l[0] == '#') {
			/* comment lines are ignored */
		} else if (llen && (l[0] == ' ' || l[0] == '\t')) {
			/* continuation of the previous line */
		} else if (is_trailer_token(l, llen, &colon)) {
			trailers++;
			if (is_recognized(l, llen))
				recognized = 1;
		} else if (llen) {
			others++;
		}
		pos += llen + 1;
	}
	if (trailers && (!others || (recognized && trailers * 3 >= others)))
		return start;
	return len;
}

static void add_trailer(struct mail *m, size_t *alloc, const char *key, size_t klen,
			const char *value, size_t vlen)
{
	struct strbuf v = STRBUF_INIT;
	size_t i;

	/* Join continuation lines with one space. */
	for (i = 0; i < vlen; i++) {
		if (value[i] == '\n') {
			while (i + 1 < vlen && (value[i + 1] == ' ' || value[i + 1] == '\t'))
				i++;
			strbuf_addch(&v, ' ');
			continue;
		}
		strbuf_addch(&v, value[i]);
	}
	strbuf_trim(&v);
	for (i = 0; i < m->trailers_nr; i++)
		if (strlen(m->trailers[i].key) == klen &&
		    !strncasecmp(m->trailers[i].key, key, klen) &&
		    !strcmp(m->trailers[i].value, v.buf)) {
			strbuf_release(&v);
			return;
		}
	ALLOC_GROW(m->trailers, m->trailers_nr + 1, *alloc);
	m->trailers[m->trailers_nr].key = xstrndup(key, klen);
	m->trailers[m->trailers_nr].value = strbuf_detach(&v, NULL);
	m->trailers_nr++;
}

static void parse_trailer_block(struct mail *m, size_t *alloc, const char *block, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *l = block + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - l) : len - pos, colon, vend;

		if (llen && is_trailer_token(l, llen, &colon)) {
			/* Take continuation lines along. */
			vend = pos + llen;
			while (vend + 1 < len && (block[vend + 1] == ' ' || block[vend + 1] == '\t')) {
				const char *n2 = memchr(block + vend + 1, '\n', len - vend - 1);

				vend = n2 ? (size_t)(n2 - block) : len;
			}
			add_trailer(m, alloc, l, colon, l + colon + 1, vend - pos - colon - 1);
			pos = vend + 1;
			continue;
		}
		pos += llen + 1;
	}
}

/*
 * Review trailers given in a reply are often not in the last paragraph
 * ("Acked-by: ..." then a signature).  Take every "*-by: ... <email>"
 * line that is not quoted.
 */
static void scan_by_lines(struct mail *m, size_t *alloc, const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - l) : len - pos, colon;

		while (llen && (l[0] == ' ' || l[0] == '\t')) {
			l++;
			llen--;
		}
		if (llen && l[0] != '>' && is_trailer_token(l, llen, &colon) &&
		    colon > 3 && !strncasecmp(l + colon - 3, "-by", 3) &&
		    memchr(l + colon, '@', llen - colon) && memchr(l + colon, '<', llen - colon))
			add_trailer(m, alloc, l, colon, l + colon + 1, llen - colon - 1);
		pos = (size_t)(l - text) + llen + 1;
	}
}

static void add_string(char ***list, size_t *nr, size_t *alloc, char *s)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if (!strcmp((*list)[i], s)) {
			free(s);
			return;
		}
	ALLOC_GROW(*list, *nr + 1, *alloc);
	(*list)[(*nr)++] = s;
}

static void extract_paths(struct mail *m, const char *diff, size_t len)
{
	size_t pos = 0, alloc = 0;

	while (pos < len) {
		const char *l = diff + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - l) : len - pos;

		if (llen > 11 && !memcmp(l, "diff --git ", 11)) {
			const char *b = NULL, *p;

			/* "diff --git a/x b/x": the b/ side is the path after the change. */
			for (p = l + 11; p + 3 < l + llen; p++)
				if (p[0] == ' ' && p[1] == 'b' && p[2] == '/')
					b = p + 3;
			if (b)
				add_string(&m->paths, &m->paths_nr, &alloc,
					   xstrndup(b, (size_t)(l + llen - b)));
		} else if (llen > 6 && !memcmp(l, "+++ b/", 6) && !m->paths_nr) {
			const char *e = memchr(l + 6, '\t', llen - 6);

			add_string(&m->paths, &m->paths_nr, &alloc,
				   xstrndup(l + 6, e ? (size_t)(e - l - 6) : llen - 6));
		}
		pos += llen + 1;
	}
}

/* Decode %XX escapes (message-ids in URLs). */
static char *percent_decode(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			strbuf_addch(&sb, (char)strtol(hex, NULL, 16));
			i += 2;
		} else {
			strbuf_addch(&sb, s[i]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * Message-ids named by lore.kernel.org/<list>/<mid> and patch.msgid.link
 * URLs in unquoted lines ("Link to v1: https://lore.kernel.org/r/...").
 */
static void extract_links(struct mail *m, const char *text, size_t len)
{
	static const char *const hosts[] = { "lore.kernel.org/", "patch.msgid.link/" };
	size_t alloc = m->links_nr, pos = 0;

	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - l) : len - pos, h;

		if (llen && l[0] != '>') {
			for (h = 0; h < ARRAY_SIZE(hosts); h++) {
				const char *p = l, *end = l + llen;

				while ((p = memmem(p, (size_t)(end - p), hosts[h], strlen(hosts[h])))) {
					const char *id = p + strlen(hosts[h]), *e;
					char *mid;

					if (h == 0) {
						/* Skip the list name: lore.kernel.org/bpf/<mid>. */
						const char *slash = memchr(id, '/', (size_t)(end - id));

						if (!slash) {
							p = id;
							continue;
						}
						id = slash + 1;
					}
					e = id;
					while (e < end && !isspace((unsigned char)*e) && *e != '>' &&
					       *e != '/' && *e != ')' && *e != ']' && *e != '"')
						e++;
					mid = percent_decode(id, (size_t)(e - id));
					if (strchr(mid, '@'))
						add_string(&m->links, &m->links_nr, &alloc, mid);
					else
						free(mid);
					p = e;
				}
			}
		}
		pos += llen + 1;
	}
}

static void extract_change_id(struct mail *m, const char *s, size_t len)
{
	size_t pos = find_line(s, len, 0, "change-id: ");

	if (pos < len) {
		const char *v = s + pos + 11;
		const char *nl = memchr(v, '\n', len - pos - 11);
		struct strbuf sb = STRBUF_INIT;

		strbuf_add(&sb, v, nl ? (size_t)(nl - v) : (size_t)(s + len - v));
		strbuf_trim(&sb);
		if (sb.len)
			m->change_id = strbuf_detach(&sb, NULL);
		strbuf_release(&sb);
	}
}

/* A patchwork-bot "applied" notice: where it went and one line per patch. */
static void extract_applied(struct mail *m, const char *text, size_t len)
{
	static const char *const leads[] = {
		"This series was applied to ", "This patch was applied to ",
	};
	size_t pos = len, i, alloc = 0;
	const char *l;

	for (i = 0; i < ARRAY_SIZE(leads); i++) {
		pos = find_line(text, len, 0, leads[i]);
		if (pos < len)
			break;
	}
	if (pos == len)
		return;
	l = text + pos + strlen(leads[i]);
	{
		const char *nl = memchr(l, '\n', (size_t)(text + len - l));
		struct strbuf sb = STRBUF_INIT;

		strbuf_add(&sb, l, nl ? (size_t)(nl - l) : (size_t)(text + len - l));
		strbuf_trim(&sb);
		if (sb.len && sb.buf[sb.len - 1] == ':')
			strbuf_setlen(&sb, sb.len - 1);
		m->applied_to = strbuf_detach(&sb, NULL);
	}
	pos = find_line(text, len, pos, "Here is the summary with links:");
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		const char *p = line;

		while (p < line + llen && (*p == ' ' || *p == '\t'))
			p++;
		if (p + 2 < line + llen && p[0] == '-' && p[1] == ' ' && p[2] == '[') {
			struct mail_applied *a;

			ALLOC_GROW(m->applied, m->applied_nr + 1, alloc);
			a = &m->applied[m->applied_nr++];
			a->subject = xstrndup(p + 2, (size_t)(line + llen - p - 2));
			a->url = NULL;
			if (nl) {
				const char *n2 = nl + 1, *e = memchr(n2, '\n', (size_t)(text + len - n2));
				struct strbuf u = STRBUF_INIT;

				strbuf_add(&u, n2, e ? (size_t)(e - n2) : (size_t)(text + len - n2));
				strbuf_trim(&u);
				if (!strncmp(u.buf, "http", 4))
					a->url = strbuf_detach(&u, NULL);
				strbuf_release(&u);
			}
		}
		pos += llen + 1;
	}
}

static int has_diffstat(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), " changed", 8))) {
		const char *ls = p;

		while (ls > s && ls[-1] != '\n')
			ls--;
		if (memmem(ls, (size_t)(p - ls), " file", 5))
			return 1;
		p += 8;
	}
	return 0;
}

static void split_body(struct mail *m, struct strbuf *body, unsigned flags)
{
	const char *s = body->buf;
	size_t len = body->len, diff, sep, sig, tstart, alloc = 0;

	diff = find_diff(s, len);
	sep = find_exact_line(s, len, 0, diff, "---");
	/* The "-- " signature ends the message text (or the diff). */
	sig = find_exact_line(s, len, 0, diff < len ? diff : len, "-- ");
	if (sig < sep)
		sep = sig;

	if (diff < len) {
		size_t dend = find_exact_line(s, len, diff, len, "-- ");

		m->flags |= MAIL_HAS_DIFF;
		extract_paths(m, s + diff, dend - diff);
		if (!(flags & MAIL_PARSE_FACTS_ONLY))
			m->diff = xstrndup(s + diff, dend - diff);
	}
	if (has_diffstat(s, diff))
		m->flags |= MAIL_HAS_DIFFSTAT;

	tstart = find_trailer_block(s, sep);
	if (tstart < sep)
		parse_trailer_block(m, &alloc, s + tstart, sep - tstart);
	scan_by_lines(m, &alloc, s, tstart);
	extract_links(m, s, diff);
	extract_change_id(m, s, len);
	extract_applied(m, s, sep);
	if (memmem(s, sep, "The following changes since commit", 34))
		m->flags |= MAIL_PULL_REQUEST;

	if (!(flags & MAIL_PARSE_FACTS_ONLY)) {
		struct strbuf t = STRBUF_INIT;

		strbuf_add(&t, s, tstart);
		strbuf_rtrim(&t);
		m->text = strbuf_detach(&t, NULL);
		if (sep < diff) {
			size_t nstart = sep + 3;

			while (nstart < diff && s[nstart] != '\n')
				nstart++;
			strbuf_add(&t, s + nstart, diff - nstart);
			strbuf_trim(&t);
		}
		m->notes = strbuf_detach(&t, NULL);
		if (!m->diff)
			m->diff = xstrdup("");
		m->flags |= MAIL_HAS_BODY;
	}
}

/* A stable id for a message without one, from its bytes (FNV-1a 64). */
static char *synthesize_mid(const char *raw, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)raw[i];
		h *= 1099511628211ULL;
	}
	return xstrfmt("%016llx@no-message-id.invalid", (unsigned long long)h);
}

static time_t received_time(const struct raw_header *h)
{
	struct strbuf sb = STRBUF_INIT;
	const char *semi;
	time_t t = 0;
	int tz;

	unfold(&sb, h);
	semi = strrchr(sb.buf, ';');
	if (semi && date_parse(semi + 1, &t, &tz) < 0)
		t = 0;
	strbuf_release(&sb);
	return t;
}

int mail_parse(struct mail *m, const char *raw, size_t len, unsigned flags,
	       struct strbuf *err)
{
	struct header_block hb;
	struct strbuf sb = STRBUF_INIT;
	struct body body = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };

	memset(m, 0, sizeof(*m));
	/* An mbox "From " line may precede the headers. */
	if (len > 5 && !memcmp(raw, "From ", 5)) {
		const char *nl = memchr(raw, '\n', len);

		if (nl) {
			len -= (size_t)(nl + 1 - raw);
			raw = nl + 1;
		}
	}
	if (!len) {
		strbuf_addstr(err, "empty message");
		return -1;
	}
	if (!scan_headers(&hb, raw, len)) {
		strbuf_addstr(err, "no header block");
		return -1;
	}
	if (!hb.h[H_MESSAGE_ID].value && !hb.h[H_FROM].value &&
	    !hb.h[H_SUBJECT].value && !hb.h[H_DATE].value) {
		strbuf_addstr(err, "no Message-ID, From, Subject or Date header");
		return -1;
	}

	if (hb.h[H_MESSAGE_ID].value) {
		unfold(&sb, &hb.h[H_MESSAGE_ID]);
		m->mid = mail_normalize_mid(sb.buf, sb.len);
	}
	if (!m->mid) {
		m->mid = synthesize_mid(raw, len);
		m->flags |= MAIL_NO_MESSAGE_ID;
	}
	if (hb.h[H_IN_REPLY_TO].value) {
		char **ids;
		size_t nr, i;

		parse_id_list(&hb.h[H_IN_REPLY_TO], &ids, &nr);
		if (nr)
			m->in_reply_to = ids[0];
		for (i = 1; i < nr; i++)
			free(ids[i]);
		free(ids);
	}
	if (hb.h[H_REFERENCES].value)
		parse_id_list(&hb.h[H_REFERENCES], &m->refs, &m->refs_nr);

	m->subject = hb.h[H_SUBJECT].value ? decoded_header(&hb.h[H_SUBJECT]) : xstrdup("");
	if (hb.h[H_FROM].value) {
		char *from = decoded_header(&hb.h[H_FROM]);

		parse_address(from, &m->from_name, &m->from_email);
		free(from);
		undo_list_rewrite(m, &hb);
	} else {
		m->from_name = xstrdup("");
		m->from_email = xstrdup("");
	}
	if (hb.h[H_LIST_ID].value) {
		unfold(&sb, &hb.h[H_LIST_ID]);
		m->list_id = mail_normalize_mid(sb.buf, sb.len);
	}
	if (hb.h[H_DATE].value) {
		unfold(&sb, &hb.h[H_DATE]);
		if (!date_parse(sb.buf, &m->date, &m->date_tz))
			m->flags |= MAIL_HAS_DATE;
	}
	if (hb.h[H_RECEIVED].value)
		m->arrival = received_time(&hb.h[H_RECEIVED]);

	collect_body(&body, &hb, raw + hb.end, len - hb.end, 0);
	if (!body.text.len && body.html.len)
		strbuf_addbuf(&body.text, &body.html);
	if (body.attached.len) {
		if (body.text.len && body.text.buf[body.text.len - 1] != '\n')
			strbuf_addch(&body.text, '\n');
		strbuf_addbuf(&body.text, &body.attached);
	}
	strip_cr(&body.text);
	split_body(m, &body.text, flags);

	strbuf_release(&sb);
	strbuf_release(&body.text);
	strbuf_release(&body.attached);
	strbuf_release(&body.html);
	return 0;
}

static void free_list(char **list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

void mail_release(struct mail *m)
{
	size_t i;

	free(m->mid);
	free(m->in_reply_to);
	free_list(m->refs, m->refs_nr);
	free(m->subject);
	free(m->from_name);
	free(m->from_email);
	free(m->list_id);
	for (i = 0; i < m->trailers_nr; i++) {
		free(m->trailers[i].key);
		free(m->trailers[i].value);
	}
	free(m->trailers);
	free(m->change_id);
	free_list(m->links, m->links_nr);
	free_list(m->paths, m->paths_nr);
	free(m->applied_to);
	for (i = 0; i < m->applied_nr; i++) {
		free(m->applied[i].subject);
		free(m->applied[i].url);
	}
	free(m->applied);
	free(m->text);
	free(m->notes);
	free(m->diff);
	memset(m, 0, sizeof(*m));
}

const char *mail_trailer_get(const struct mail *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->trailers_nr; i++)
		if (!strcasecmp(m->trailers[i].key, key))
			return m->trailers[i].value;
	return NULL;
}

time_t mail_period_time(const struct mail *m)
{
	if (!(m->flags & MAIL_HAS_DATE))
		return m->arrival;
	if (m->arrival && (m->date > m->arrival + 2 * 86400 ||
			   m->date < m->arrival - 2 * 86400))
		return m->arrival;
	return m->date;
}

char *mail_percent_decode(const char *s, size_t len)
{
	return percent_decode(s, len);
}
