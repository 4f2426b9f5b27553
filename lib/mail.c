#include "mail.h"
#include "date.h"
#include "mime.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Lists longer than this are no longer checked for repeats (no quadratic scans). */
#define MAX_DEDUP 64

/* ---- headers ---- */

/* The headers we read; the dozens of Received/ARC/DKIM ones are skipped. */
enum header_id {
	H_MESSAGE_ID, H_IN_REPLY_TO, H_REFERENCES, H_SUBJECT, H_FROM,
	H_DATE, H_LIST_ID, H_RECEIVED, H_CONTENT_TYPE, H_CTE,
	H_CONTENT_DISPOSITION, H_X_ORIGINAL_FROM, H_REPLY_TO, H_NR
};

#define HEADER(s) { s, sizeof(s) - 1 }
static const struct {
	const char *name;
	size_t len;
} header_names[H_NR] = {
	HEADER("Message-ID"), HEADER("In-Reply-To"), HEADER("References"),
	HEADER("Subject"), HEADER("From"), HEADER("Date"), HEADER("List-Id"),
	HEADER("Received"), HEADER("Content-Type"),
	HEADER("Content-Transfer-Encoding"), HEADER("Content-Disposition"),
	HEADER("X-Original-From"), HEADER("Reply-To"),
};

/* A header value as it sits in the raw bytes, folding included. */
struct raw_header {
	const char *value;
	size_t len;
};

struct header_block {
	struct raw_header h[H_NR];
	size_t end;	/* offset of the body */
	unsigned flags;	/* MAIL_LONG_HEADER */
};

static enum header_id header_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < H_NR; i++)
		if (header_names[i].len == len && (name[0] | 0x20) == (header_names[i].name[0] | 0x20) &&
		    !strncasecmp(name, header_names[i].name, len))
			return (enum header_id)i;
	return H_NR;
}

/* A field name is printable ASCII without ':' (RFC 5322 3.6.8). */
static int is_field_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 127)
			return 0;
	return len > 0;
}

/* The first empty line of buf[0, len), or NULL. */
static const char *first_blank_line(const char *buf, size_t len)
{
	const char *lf = memmem(buf, len, "\n\n", 2), *crlf = memmem(buf, len, "\n\r\n", 3);

	if (!lf || (crlf && crlf < lf))
		lf = crlf;
	return lf ? lf + 1 : NULL;
}

/*
 * Find the header lines of buf and remember the first occurrence of each
 * header we want (the first Received: is the last hop).  The block ends
 * at an empty line, or before the first line that is not a header.
 * Returns the number of header lines, 0 when buf does not start with one.
 */
static size_t scan_headers(struct header_block *hb, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *line_start = buf, *blank = NULL;
	enum header_id current = H_NR;
	size_t lines = 0;
	int blank_checked = 0;

	memset(hb, 0, sizeof(*hb));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t llen = (size_t)(le - p);

		if (!llen || (llen == 1 && *p == '\r')) {
			p = nl ? nl + 1 : end;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			if (current != H_NR)
				hb->h[current].len = (size_t)(le - hb->h[current].value);
		} else {
			const char *colon = memchr(p, ':', llen);
			size_t nlen = colon ? (size_t)(colon - p) : 0;

			/* Obsolete syntax allows blanks before the colon. */
			while (nlen && (p[nlen - 1] == ' ' || p[nlen - 1] == '\t'))
				nlen--;
			if (!colon || !is_field_name(p, nlen)) {
				/*
				 * A line that is no header continues the one
				 * before it when an empty line still ends the
				 * block (a client broke a long line without
				 * folding it), as public-inbox reads it; else
				 * the body starts here.
				 */
				if (!blank_checked++)
					blank = first_blank_line(p, (size_t)(end - p));
				if (!lines || !blank || blank < le)
					break;
				if (current != H_NR)
					hb->h[current].len = (size_t)(le - hb->h[current].value);
			} else {
				line_start = p;
				current = header_lookup(p, nlen);
				if (current != H_NR && hb->h[current].value)
					current = H_NR;
				if (current != H_NR) {
					hb->h[current].value = colon + 1;
					hb->h[current].len = (size_t)(le - (colon + 1));
				}
				lines++;
			}
		}
		/* A header line, folding included, is read up to its limit. */
		if ((size_t)(le - line_start) > MAIL_MAX_HEADER_LINE) {
			hb->flags |= MAIL_LONG_HEADER;
			if (current != H_NR && hb->h[current].len > MAIL_MAX_HEADER_LINE)
				hb->h[current].len = MAIL_MAX_HEADER_LINE;
		}
		p = nl ? nl + 1 : end;
	}
	hb->end = (size_t)(p - buf);
	return lines;
}

/* Unfold a header value into sb: line breaks removed, tabs made spaces, trimmed. */
static void unfold(struct strbuf *sb, const struct raw_header *h)
{
	const char *p = h->value, *end = h->value + h->len;

	strbuf_reset(sb);
	strbuf_grow(sb, h->len);
	while (p < end) {
		const char *run = p;

		while (p < end && *p != '\r' && *p != '\n' && *p != '\t' && *p)
			p++;
		strbuf_add(sb, run, (size_t)(p - run));
		if (p < end && *p++ == '\t')
			strbuf_addch(sb, ' ');
		/* A line broken without folding (see scan_headers()) joins with a blank. */
		else if (p < end && p[-1] == '\n' && *p != ' ' && *p != '\t')
			strbuf_addch(sb, ' ');
	}
	strbuf_trim(sb);
}

/* An unfolded, decoded header value; control characters become spaces (textsafe.h). */
static char *header_text(const struct raw_header *h)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;

	unfold(&raw, h);
	mime_decode_header(&out, raw.buf, raw.len);
	textsafe_strbuf(&out, 0, 0);
	strbuf_trim(&out);
	strbuf_release(&raw);
	return strbuf_detach(&out, NULL);
}

/* ---- message-ids ---- */

char *mail_normalize_mid(const char *s, size_t len)
{
	const char *b = s, *e = s + len, *lt = memchr(s, '<', len), *gt = NULL;
	struct strbuf sb = STRBUF_INIT;

	if (lt)
		gt = memchr(lt + 1, '>', (size_t)(e - lt - 1));
	if (lt && gt) {
		b = lt + 1;
		e = gt;
	} else {
		/* Malformed: keep it as written, without stray brackets. */
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (b < e && *b == '<')
			b++;
		if (e > b && e[-1] == '>')
			e--;
	}
	/* Folding is not part of the id (public-inbox drops it too). */
	while (b < e) {
		const char *run = b;

		while (b < e && *b != '\r' && *b != '\n' && *b != '\t' && *b)
			b++;
		strbuf_add(&sb, run, (size_t)(b - run));
		if (b < e)
			b++;
	}
	textsafe_strbuf(&sb, 0, 0);
	strbuf_trim(&sb);
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static void add_unique(char ***list, size_t *nr, size_t *alloc, char *s)
{
	size_t i;

	for (i = 0; i < *nr && *nr < MAX_DEDUP; i++)
		if (!strcmp((*list)[i], s)) {
			free(s);
			return;
		}
	ALLOC_GROW(*list, *nr + 1, *alloc);
	(*list)[(*nr)++] = s;
}

/*
 * The ids of a References or In-Reply-To header, in order, repeats
 * dropped: every <id>, or when there is none the words that look like
 * ids (some clients drop the brackets).
 */
static void parse_id_list(const struct raw_header *h, char ***ids, size_t *nr)
{
	const char *p = h->value, *end = h->value + h->len;
	size_t alloc = 0;
	int bracketed = 0;

	*ids = NULL;
	*nr = 0;
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *gt;
		char *id;

		if (!lt || !(gt = memchr(lt, '>', (size_t)(end - lt))))
			break;
		bracketed = 1;
		id = mail_normalize_mid(lt, (size_t)(gt - lt + 1));
		if (id)
			add_unique(ids, nr, &alloc, id);
		p = gt + 1;
	}
	if (bracketed)
		return;
	for (p = h->value; p < end;) {
		const char *w;

		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		w = p;
		while (p < end && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if (p > w && memchr(w, '@', (size_t)(p - w)))
			add_unique(ids, nr, &alloc, mail_normalize_mid(w, (size_t)(p - w)));
	}
}

/* ---- addresses ---- */

static void lowercase_domain(char *email)
{
	char *at = strrchr(email, '@');

	if (at)
		for (; *at; at++)
			*at = (char)tolower((unsigned char)*at);
}

/*
 * A display name without its quotes and escapes, blanks collapsed; a
 * comment's text (comment 1) has quoted pairs outside quotes too.
 */
static char *clean_name(const char *s, size_t len, int comment)
{
	struct strbuf n = STRBUF_INIT;
	size_t i;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == '\\' && (quoted || comment) && i + 1 < len)
			c = s[++i];
		if (isspace((unsigned char)c)) {
			if (n.len && n.buf[n.len - 1] != ' ')
				strbuf_addch(&n, ' ');
			continue;
		}
		strbuf_addch(&n, c);
	}
	strbuf_trim(&n);
	return strbuf_detach(&n, NULL);
}

/* A display name or comment decoded: encoded words, then control characters out. */
static char *decode_name(char *name)
{
	struct strbuf out = STRBUF_INIT;

	mime_decode_header(&out, name, strlen(name));
	textsafe_strbuf(&out, 0, 0);
	strbuf_trim(&out);
	free(name);
	return strbuf_detach(&out, NULL);
}

/*
 * Find the '<' of a name-addr in s, outside quotes and comments; with
 * honour_quotes 0, outside comments only (for an unterminated quote).
 * Sets *comment and *comment_len to the first top-level comment.
 */
static const char *find_angle(const char *s, int honour_quotes, int *unterminated,
			      const char **comment, size_t *comment_len)
{
	const char *p, *open = NULL;
	int quoted = 0, depth = 0;

	*comment = NULL;
	*comment_len = 0;
	for (p = s; *p; p++) {
		if (*p == '\\' && (quoted || depth) && p[1]) {
			p++;
		} else if (*p == '"' && !depth && honour_quotes) {
			quoted = !quoted;
		} else if (*p == '(' && !quoted) {
			if (!depth++ && !*comment)
				open = p + 1;
		} else if (*p == ')' && !quoted && depth) {
			if (!--depth && open && !*comment) {
				*comment = open;
				*comment_len = (size_t)(p - open);
			}
		} else if (*p == '<' && !quoted && !depth) {
			return p;
		}
	}
	if (open && !*comment) {
		*comment = open;
		*comment_len = strlen(open);
	}
	*unterminated = quoted;
	return NULL;
}

/*
 * The first mailbox of an address header: "Name <email>", "email (Name)",
 * "<email>", "email", "Name <>".  Quotes and comments are respected when
 * looking for the angle brackets; an unterminated quote is read as if
 * the quote were not there (git does the same).  The address is split
 * before its encoded words are decoded (RFC 2047 5), so that an encoded
 * "<" or "(" stays in the name.
 */
static void parse_address(const char *s, char **name, char **email)
{
	const char *p, *lt, *gt = NULL, *comment;
	size_t comment_len;
	int unterminated = 0, depth = 0;
	struct strbuf e = STRBUF_INIT;

	lt = find_angle(s, 1, &unterminated, &comment, &comment_len);
	if (!lt && unterminated)
		lt = find_angle(s, 0, &unterminated, &comment, &comment_len);
	if (lt)
		gt = strchr(lt, '>');
	if (lt) {
		strbuf_add(&e, lt + 1, gt ? (size_t)(gt - lt - 1) : strlen(lt + 1));
		*name = clean_name(s, (size_t)(lt - s), 0);
		if (!**name && gt && (comment = strchr(gt, '(')) && strrchr(comment, ')')) {
			/* "<x@y.org> (Jane Doe)" */
			free(*name);
			*name = clean_name(comment + 1, (size_t)(strrchr(comment, ')') - comment - 1), 1);
		}
	} else {
		/* No brackets: the address is what is outside comments, up to a comma. */
		for (p = s; *p && !(*p == ',' && !depth); p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth)
				depth--;
			else if (!depth && *p != '"')
				strbuf_addch(&e, *p);
		}
		*name = comment ? clean_name(comment, comment_len, 1) : xstrdup("");
	}
	*name = decode_name(*name);
	strbuf_trim(&e);
	textsafe_strbuf(&e, 0, 0);
	*email = strbuf_detach(&e, NULL);
	lowercase_domain(*email);
}

/* The first mailbox of a raw address header, unfolded, split, then decoded. */
static void header_address(const struct raw_header *h, char **name, char **email)
{
	struct strbuf raw = STRBUF_INIT;

	unfold(&raw, h);
	parse_address(raw.buf, name, email);
	strbuf_release(&raw);
}

/* Strip one pair of single quotes ("'Jane Doe' via bpf"). */
static void strip_single_quotes(char *name)
{
	size_t len = strlen(name);

	if (len >= 2 && name[0] == '\'' && name[len - 1] == '\'') {
		memmove(name, name + 1, len - 2);
		name[len - 2] = '\0';
	}
}

/*
 * Lists and relays that rewrite From: for DMARC write "Jane Doe via bpf
 * <bpf@...>" (or "via B4 Relay <devnull+...>"); the sender is then in
 * X-Original-From or Reply-To.  Without either, at least the name is
 * the sender's.
 */
static void undo_list_rewrite(struct mail *m, const struct header_block *hb)
{
	const struct raw_header *alts[2] = { &hb->h[H_X_ORIGINAL_FROM], &hb->h[H_REPLY_TO] };
	char *via = NULL, *p = m->from_name;
	size_t i;

	while ((p = strstr(p, " via "))) {
		via = p;
		p += 5;
	}
	if (!via || via == m->from_name)
		return;
	*via = '\0';
	strip_single_quotes(m->from_name);
	for (i = 0; i < ARRAY_SIZE(alts); i++) {
		char *name, *email;

		if (!alts[i]->value)
			continue;
		header_address(alts[i], &name, &email);
		if (strchr(email, '@') && strcasecmp(email, m->from_email)) {
			free(m->from_email);
			m->from_email = email;
			if (*name) {
				free(m->from_name);
				m->from_name = name;
			} else {
				free(name);
			}
			return;
		}
		free(name);
		free(email);
	}
}

/* ---- body decoding ---- */

struct body {
	struct strbuf text;	/* inline text/plain parts, UTF-8 */
	struct strbuf attached;	/* patches attached as text/x-patch, *.patch ... */
	struct strbuf html;	/* the text of HTML parts, used when there is no text */
	unsigned flags;		/* MAIL_BAD_CHARSET */
};

#define BODY_INIT { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0 }

static void body_release(struct body *b)
{
	strbuf_release(&b->text);
	strbuf_release(&b->attached);
	strbuf_release(&b->html);
}

/* The lowercased "type/subtype" of a Content-Type value into buf. */
static void media_type(char *buf, size_t size, const char *ctype)
{
	size_t n = 0;

	while (*ctype && isspace((unsigned char)*ctype))
		ctype++;
	while (ctype[n] && ctype[n] != ';' && !isspace((unsigned char)ctype[n]) && n + 1 < size) {
		buf[n] = (char)tolower((unsigned char)ctype[n]);
		n++;
	}
	buf[n] = '\0';
}

static int has_suffix_ci(const char *s, const char *suffix)
{
	size_t l = strlen(s), sl = strlen(suffix);

	return l > sl && !strcasecmp(s + l - sl, suffix);
}

enum part_kind { PART_IGNORE, PART_TEXT, PART_PATCH, PART_MAYBE_PATCH, PART_HTML };

static enum part_kind classify_part(const char *type, const char *ctype, const char *disp)
{
	static const char *const patch_types[] = {
		"text/x-patch", "text/x-diff", "text/patch", "text/diff",
		"application/x-patch", "application/x-diff",
	};
	int attachment = !strncasecmp(disp, "attachment", 10);
	char *file = mime_header_param(disp, "filename");
	int patch_name;
	size_t i;

	if (!file)
		file = mime_header_param(ctype, "name");
	patch_name = file && (has_suffix_ci(file, ".patch") || has_suffix_ci(file, ".diff"));
	free(file);
	for (i = 0; i < ARRAY_SIZE(patch_types); i++)
		if (!strcmp(type, patch_types[i]))
			return PART_PATCH;
	if (patch_name && (!strncmp(type, "text/", 5) || !strcmp(type, "application/octet-stream")))
		return PART_PATCH;
	if (!*type || !strcmp(type, "text/plain") || !strchr(type, '/'))
		return attachment ? PART_MAYBE_PATCH : PART_TEXT;
	if (!strcmp(type, "text/html"))
		return PART_HTML;
	return PART_IGNORE;
}

/* Whether text holds a diff: a "diff --git" line or a "--- "/"+++ " pair. */
static int looks_like_patch(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if ((size_t)(end - p) > 11 && !memcmp(p, "diff --git ", 11))
			return 1;
		if ((size_t)(end - p) > 4 && !memcmp(p, "--- ", 4) && nl &&
		    (size_t)(end - nl) > 5 && !memcmp(nl + 1, "+++ ", 4))
			return 1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static void ensure_newline(struct strbuf *sb)
{
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, '\n');
}

/* Undo the transfer encoding and the charset of one leaf part into out. */
static void decode_part(struct body *b, struct strbuf *out, const char *part, size_t len,
			const char *cte, const char *ctype, enum part_kind kind)
{
	struct strbuf raw = STRBUF_INIT, conv = STRBUF_INIT;
	char *charset = mime_header_param(ctype, "charset");
	char *format = kind == PART_TEXT ? mime_header_param(ctype, "format") : NULL;
	int flowed = format && !strcasecmp(format, "flowed");

	if (!strncasecmp(cte, "base64", 6)) {
		mime_decode_base64(&raw, part, len);
		part = raw.buf;
		len = raw.len;
	} else if (!strncasecmp(cte, "quoted-printable", 16)) {
		mime_decode_qp(&raw, part, len);
		part = raw.buf;
		len = raw.len;
	}
	ensure_newline(out);
	/* Plain text converts straight into out; the rest needs a pass more. */
	switch (mime_to_utf8(flowed || kind == PART_HTML ? &conv : out, part, len, charset)) {
	case -2:
		b->flags |= MAIL_UNKNOWN_CHARSET;
		/* fall through */
	case -1:
		b->flags |= MAIL_BAD_CHARSET;
	}
	if (flowed) {
		char *delsp = mime_header_param(ctype, "delsp");

		mime_unflow(out, conv.buf, conv.len, delsp && !strcasecmp(delsp, "yes"));
		free(delsp);
	} else if (kind == PART_HTML) {
		mime_html_to_text(out, conv.buf, conv.len);
	}
	free(format);
	free(charset);
	strbuf_release(&conv);
	strbuf_release(&raw);
}

static void collect_body(struct body *b, const struct header_block *hb,
			 const char *part, size_t len, int depth, int in_digest);

/* A delimiter line: "--boundary" or "--boundary--", then only blanks. */
static int is_delimiter(const char *line, size_t llen, const char *boundary, size_t blen,
			int *last)
{
	size_t i;

	if (llen < blen + 2 || line[0] != '-' || line[1] != '-' ||
	    memcmp(line + 2, boundary, blen))
		return 0;
	i = blen + 2;
	*last = llen >= i + 2 && line[i] == '-' && line[i + 1] == '-';
	if (*last)
		i += 2;
	for (; i < llen; i++)
		if (!isspace((unsigned char)line[i]))
			return 0;
	return 1;
}

static void collect_subpart(struct body *b, const char *part, size_t plen, int depth,
			    int in_digest)
{
	struct header_block phb;

	/* The line break before a delimiter belongs to the delimiter. */
	if (plen && part[plen - 1] == '\n')
		plen--;
	if (plen && part[plen - 1] == '\r')
		plen--;
	scan_headers(&phb, part, plen);
	b->flags |= phb.flags;
	collect_body(b, &phb, part + phb.end, plen - phb.end, depth + 1, in_digest);
}

static void collect_multipart(struct body *b, const char *boundary,
			      const char *body, size_t len, int depth, int digest)
{
	size_t blen = strlen(boundary);
	const char *p = body, *end = body + len, *part = NULL;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = (size_t)((nl ? nl : end) - p);
		int last;

		if (*p == '-' && is_delimiter(p, llen, boundary, blen, &last)) {
			if (part)
				collect_subpart(b, part, (size_t)(p - part), depth, digest);
			if (last)
				return;
			part = nl ? nl + 1 : end;
		}
		p = nl ? nl + 1 : end;
	}
	/* A truncated mail: its last part has no closing delimiter. */
	if (part && part < end)
		collect_subpart(b, part, (size_t)(end - part), depth, digest);
}

/*
 * Collect the text of one part.  In a multipart/digest (in_digest) a
 * part without a Content-Type is a message/rfc822 (RFC 2046 5.1.5): a
 * forwarded mail, whose text is not this mail's.
 */
static void collect_body(struct body *b, const struct header_block *hb,
			 const char *part, size_t len, int depth, int in_digest)
{
	struct strbuf ctype = STRBUF_INIT, cte = STRBUF_INIT, disp = STRBUF_INIT;
	char type[64];
	enum part_kind kind;

	if (depth > MAIL_MAX_MIME_DEPTH) {
		b->flags |= MAIL_DEEP_MIME;
		return;
	}
	if (hb->h[H_CONTENT_TYPE].value)
		unfold(&ctype, &hb->h[H_CONTENT_TYPE]);
	if (hb->h[H_CTE].value)
		unfold(&cte, &hb->h[H_CTE]);
	if (hb->h[H_CONTENT_DISPOSITION].value)
		unfold(&disp, &hb->h[H_CONTENT_DISPOSITION]);
	media_type(type, sizeof(type), ctype.buf);
	if (!*type && in_digest)
		goto out;

	if (!strncmp(type, "multipart/", 10)) {
		char *boundary = mime_header_param(ctype.buf, "boundary");

		if (boundary && *boundary) {
			collect_multipart(b, boundary, part, len, depth,
					  !strcmp(type, "multipart/digest"));
			free(boundary);
			goto out;
		}
		free(boundary);
		/* A multipart without a boundary is read as text. */
		type[0] = '\0';
	}
	kind = classify_part(type, ctype.buf, disp.buf);
	switch (kind) {
	case PART_TEXT:
		decode_part(b, &b->text, part, len, cte.buf, ctype.buf, kind);
		break;
	case PART_PATCH:
		decode_part(b, &b->attached, part, len, cte.buf, ctype.buf, kind);
		break;
	case PART_MAYBE_PATCH: {
		/* A text attachment counts when it holds a patch (not a log, a config). */
		struct strbuf tmp = STRBUF_INIT;

		decode_part(b, &tmp, part, len, cte.buf, ctype.buf, kind);
		if (looks_like_patch(tmp.buf, tmp.len)) {
			ensure_newline(&b->attached);
			strbuf_addbuf(&b->attached, &tmp);
		}
		strbuf_release(&tmp);
		break;
	}
	case PART_HTML:
		decode_part(b, &b->html, part, len, cte.buf, ctype.buf, kind);
		break;
	case PART_IGNORE:
		/* Signatures, images, archives, forwarded messages. */
		break;
	}
out:
	strbuf_release(&ctype);
	strbuf_release(&cte);
	strbuf_release(&disp);
}

/* CRLF to LF and NULs out, in place: the body is a C string from here on. */
static void normalize_text(struct strbuf *sb)
{
	char *p = sb->buf, *end = sb->buf + sb->len, *dst;

	while (p < end && *p && *p != '\r')
		p++;
	for (dst = p; p < end; p++) {
		if (!*p || (*p == '\r' && p + 1 < end && p[1] == '\n'))
			continue;
		*dst++ = *p;
	}
	if (sb->alloc)
		strbuf_setlen(sb, (size_t)(dst - sb->buf));
}

/*
 * The whole decoded body into out; *attached_at is where attached
 * patches begin in it (out->len when there are none).
 */
static unsigned decode_body(struct strbuf *out, size_t *attached_at,
			    const struct header_block *hb, const char *body, size_t len)
{
	struct body b = BODY_INIT;
	struct strbuf *text;
	unsigned flags;

	collect_body(&b, hb, body, len, 0, 0);
	text = b.text.len ? &b.text : &b.html;
	normalize_text(text);
	normalize_text(&b.attached);
	if (!out->len) {
		/* The usual case: take the buffer instead of copying it. */
		strbuf_release(out);
		*out = *text;
		strbuf_init(text, 0);
	} else {
		strbuf_addbuf(out, text);
	}
	if (b.attached.len)
		ensure_newline(out);
	*attached_at = out->len;
	strbuf_addbuf(out, &b.attached);
	flags = b.flags;
	body_release(&b);
	return flags;
}

/*
 * Whether the body can be read in place: one text/plain part without a
 * transfer encoding or format=flowed, already valid UTF-8 with LF line
 * ends.  This is most patch mail, and reading it costs no copy.
 */
static int body_is_plain(const struct header_block *hb, const char *body, size_t len)
{
	int plain = 1;

	if (hb->h[H_CTE].value) {
		struct strbuf cte = STRBUF_INIT;

		unfold(&cte, &hb->h[H_CTE]);
		plain = !cte.len || !strncasecmp(cte.buf, "7bit", 4) ||
			!strncasecmp(cte.buf, "8bit", 4) || !strncasecmp(cte.buf, "binary", 6);
		strbuf_release(&cte);
	}
	if (plain && hb->h[H_CONTENT_TYPE].value) {
		struct strbuf ctype = STRBUF_INIT;
		char type[64], *format;

		unfold(&ctype, &hb->h[H_CONTENT_TYPE]);
		media_type(type, sizeof(type), ctype.buf);
		plain = !*type || !strcmp(type, "text/plain");
		if (plain && (format = mime_header_param(ctype.buf, "format"))) {
			plain = strcasecmp(format, "flowed") != 0;
			free(format);
		}
		if (plain) {
			char *charset = mime_header_param(ctype.buf, "charset");

			/* UTF-16 and alike look like something else byte-wise. */
			plain = !charset || !strncasecmp(charset, "utf-8", 5) ||
				!strncasecmp(charset, "us-ascii", 8) ||
				(mime_is_ascii(body, len) && !mime_charset_is_stateful(charset));
			free(charset);
		}
		strbuf_release(&ctype);
	}
	return plain && !memchr(body, '\r', len) && !memchr(body, '\0', len) &&
	       mime_is_utf8(body, len);
}

/* Skip an mbox "From " line before the headers. */
static void skip_from_line(const char **raw, size_t *len)
{
	if (*len > 5 && !memcmp(*raw, "From ", 5)) {
		const char *nl = memchr(*raw, '\n', *len);

		if (nl) {
			*len -= (size_t)(nl + 1 - *raw);
			*raw = nl + 1;
		}
	}
}

int mail_decode_body(struct strbuf *out, const char *raw, size_t len)
{
	struct header_block hb;
	size_t attached_at;

	skip_from_line(&raw, &len);
	if (!scan_headers(&hb, raw, len))
		return -1;
	decode_body(out, &attached_at, &hb, raw + hb.end, len - hb.end);
	return 0;
}

/* ---- the body's parts ---- */

/* Where things are in a decoded body; offsets, len for "none". */
struct layout {
	size_t sep;		/* the "---" line, or a cover letter's shortlog */
	size_t notes;		/* where the notes begin */
	size_t sig;		/* the first "-- " line before the diff */
	size_t sig_after_sep;	/* the first one after sep */
	size_t diff;		/* the first line of the diff */
	size_t diff_end;	/* the format-patch signature after it */
	size_t applied;		/* "This series was applied to ..." */
	size_t change_id;	/* b4's "change-id: " */
	size_t *reviews;	/* lines that may hold review trailers */
	size_t reviews_nr, reviews_alloc;
	int diffstat, pull;
};

static int starts_with(const char *s, size_t len, const char *prefix, size_t plen)
{
	return len >= plen && !memcmp(s, prefix, plen);
}
#define STARTS(s, len, lit) starts_with((s), (len), (lit), sizeof(lit) - 1)

/* " 3 files changed, ..." */
static int is_diffstat_summary(const char *l, size_t len)
{
	size_t i = 0;

	while (i < len && l[i] == ' ')
		i++;
	if (i == len || !isdigit((unsigned char)l[i]))
		return 0;
	while (i < len && isdigit((unsigned char)l[i]))
		i++;
	if (!starts_with(l + i, len - i, " file", 5))
		return 0;
	i += 5;
	if (i < len && l[i] == 's')
		i++;
	return starts_with(l + i, len - i, " changed", 8);
}

/* "Jane Doe (3):", the first line of a format-patch cover letter's shortlog. */
static int is_shortlog_head(const char *l, size_t len, const char *next, const char *end)
{
	size_t i;

	if (len < 5 || l[len - 1] != ':' || l[len - 2] != ')' || isspace((unsigned char)l[0]))
		return 0;
	for (i = len - 3; i > 0 && isdigit((unsigned char)l[i]); i--)
		;
	if (i == len - 3 || l[i] != '(' || i < 2 || l[i - 1] != ' ')
		return 0;
	return end - next > 2 && next[0] == ' ' && next[1] == ' ' && !isspace((unsigned char)next[2]);
}

/* Lines of a non-git diff's header that precede "--- " (CVS, diff -u). */
static int is_diff_header_line(const char *l, size_t len)
{
	return STARTS(l, len, "Index: ") || STARTS(l, len, "====") ||
	       STARTS(l, len, "diff -") || STARTS(l, len, "RCS file: ") ||
	       STARTS(l, len, "retrieving revision ");
}

static const char *const link_hosts[] = {
	"lore.kernel.org/", "lkml.kernel.org/r/", "patch.msgid.link/", "msgid.link/",
};

/* Decode %XX escapes (message-ids in URLs). */
static char *percent_decode(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			strbuf_addch(&sb, (int)strtol(hex, NULL, 16));
			i += 2;
		} else {
			strbuf_addch(&sb, s[i]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The message-id of a lore or msgid.link URL whose "://" is at url: the
 * first of the next two path components with an '@' in it
 * ("lore.kernel.org/bpf/<mid>/T/", ".../r/<mid>", "patch.msgid.link/<mid>").
 */
static void add_link(struct mail *m, size_t *alloc, const char *url, const char *end)
{
	const char *p = url + 3, *id = NULL, *e;
	size_t h;
	int k;

	for (h = 0; h < ARRAY_SIZE(link_hosts) && !id; h++) {
		size_t hl = strlen(link_hosts[h]);

		if ((size_t)(end - p) > hl && !memcmp(p, link_hosts[h], hl))
			id = p + hl;
	}
	for (k = 0; id && k < 2; k++) {
		char *mid;
		size_t len;

		for (e = id; e < end && !isspace((unsigned char)*e) && !strchr("<>/)]\"'#?,;", *e); e++)
			;
		len = (size_t)(e - id);
		while (len && id[len - 1] == '.')
			len--;
		mid = textsafe_line_owned(percent_decode(id, len));
		if (strchr(mid, '@')) {
			add_unique(&m->links, &m->links_nr, alloc, mid);
			return;
		}
		free(mid);
		id = e < end && *e == '/' ? e + 1 : NULL;
	}
}

static int is_by_token(const char *colon, const char *line)
{
	return colon - line >= 4 && colon[-3] == '-' && (colon[-2] | 0x20) == 'b' &&
	       (colon[-1] | 0x20) == 'y';
}

/*
 * Look at the colons of an unquoted line: a "*-by:" trailer may be a
 * review, "://" may be a lore link.
 */
static void scan_colons(struct mail *m, struct layout *lay, size_t *links_alloc,
			const char *s, const char *l, size_t len)
{
	const char *end = l + len, *colon = memchr(l, ':', len), *t = l;

	if (!colon)
		return;
	while (t < colon && (*t == ' ' || *t == '\t'))
		t++;
	if (is_by_token(colon, t)) {
		ALLOC_GROW(lay->reviews, lay->reviews_nr + 1, lay->reviews_alloc);
		lay->reviews[lay->reviews_nr++] = (size_t)(l - s);
	}
	for (; colon; colon = memchr(colon + 1, ':', (size_t)(end - colon - 1)))
		if (end - colon > 3 && colon[1] == '/' && colon[2] == '/')
			add_link(m, links_alloc, colon, end);
}

static void add_path(struct mail *m, size_t *alloc, char *path)
{
	path = textsafe_line_owned(path);
	if (!*path || !strcmp(path, "/dev/null"))
		free(path);
	else
		add_unique(&m->paths, &m->paths_nr, alloc, path);
}

/* A C-quoted name as git writes it ("a/t\303\251st"), unquoted; returns its end. */
static const char *unquote_c(struct strbuf *out, const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		if (*p != '\\' || p + 1 >= end) {
			strbuf_addch(out, *p);
			continue;
		}
		p++;
		if (*p >= '0' && *p <= '7' && p + 2 < end) {
			strbuf_addch(out, (p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
			p += 2;
		} else {
			strbuf_addch(out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
		}
	}
	return p < end ? p + 1 : end;
}

/* The path after the change in "diff --git a/x b/y", or NULL. */
static char *git_diff_path(const char *rest, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = rest + n, *b;
	size_t half;

	if (n && rest[0] == '"') {
		/* Quoted names: skip the first, unquote the second. */
		const char *p = unquote_c(&sb, rest, end);

		strbuf_reset(&sb);
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '"')
			unquote_c(&sb, p, end);
		else
			strbuf_add(&sb, p, (size_t)(end - p));
		if (sb.len > 2 && sb.buf[1] == '/') {
			memmove(sb.buf, sb.buf + 2, sb.len - 1);
			strbuf_setlen(&sb, sb.len - 2);
		}
		return strbuf_detach(&sb, NULL);
	}
	/* The same name on both sides: split in the middle (works with spaces). */
	half = n / 2;
	if (n % 2 && rest[half] == ' ') {
		if (!memcmp(rest, rest + half + 1, half))
			return xstrndup(rest + half + 1, half);
		if (half > 2 && rest[1] == '/' && rest[half + 2] == '/' &&
		    !memcmp(rest + 2, rest + half + 3, half - 2))
			return xstrndup(rest + half + 3, half - 2);
	}
	/* A rename: the last " b/". */
	for (b = end - 3; b > rest; b--)
		if (b[0] == ' ' && b[1] == 'b' && b[2] == '/')
			return xstrndup(b + 3, (size_t)(end - b - 3));
	/* A line broken by the mailer: the "+++ " line will tell. */
	return NULL;
}

/* The path of a "+++ b/x\t<date>" line of a diff without git headers. */
static char *plus_path(const char *l, size_t len)
{
	const char *p = l + 4, *end = l + len, *tab = memchr(p, '\t', len - 4);

	if (tab)
		end = tab;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end - p > 2 && p[0] == 'b' && p[1] == '/')
		p += 2;
	return xstrndup(p, (size_t)(end - p));
}

/*
 * One pass over the decoded body: where the message, notes and diff are,
 * and the facts that need a look at every line (links, paths, review
 * trailer candidates).  Quoted lines are skipped at their first byte.
 */
static void find_layout(struct mail *m, struct layout *lay, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	size_t links_alloc = 0, paths_alloc = 0, hdr_run = len, lines_after_sig = 0;
	int in_diff = 0, git_section = 0;

	lay->sep = lay->notes = lay->sig = lay->sig_after_sep = lay->diff = len;
	lay->diff_end = lay->applied = lay->change_id = len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t llen = (size_t)((nl ? nl : end) - p), off = (size_t)(p - s);

		if (in_diff) {
			lines_after_sig++;
			switch (*p) {
			case 'd':
				if (STARTS(p, llen, "diff --git ")) {
					char *path = git_diff_path(p + 11, llen - 11);

					git_section = path != NULL;
					if (path)
						add_path(m, &paths_alloc, path);
					lay->diff_end = len;
				}
				break;
			case '+':
				if (!git_section && STARTS(p, llen, "+++ "))
					add_path(m, &paths_alloc, plus_path(p, llen));
				break;
			case '-':
				if (llen == 3 && p[1] == '-' && p[2] == ' ') {
					lay->diff_end = off;
					lines_after_sig = 0;
				}
				break;
			case 'c':
				if (lay->change_id == len && STARTS(p, llen, "change-id: "))
					lay->change_id = off;
				break;
			}
			p = next;
			continue;
		}

		switch (*p) {
		case '>':
			p = next;	/* quoted */
			continue;
		case 'd':
			if (STARTS(p, llen, "diff --git ")) {
				lay->diff = off;
				in_diff = 1;
				continue;	/* read this line again as part of the diff */
			}
			break;
		case '-':
			if (STARTS(p, llen, "--- ") && STARTS(next, (size_t)(end - next), "+++ ")) {
				/* A diff without git headers, maybe after Index:/diff -u lines. */
				lay->diff = hdr_run < off ? hdr_run : off;
				in_diff = 1;
				p = next;
				continue;
			}
			if (llen >= 3 && p[1] == '-' && p[2] == '-' &&
			    (llen == 3 || isspace((unsigned char)p[3]))) {
				if (lay->sep == len) {
					lay->sep = off;
					lay->notes = (size_t)(next - s);
				}
			} else if ((llen == 3 && p[1] == '-' && p[2] == ' ') ||
				   (llen == 2 && p[1] == '-')) {
				if (lay->sig == len)
					lay->sig = off;
				if (lay->sep < off && lay->sig_after_sep == len)
					lay->sig_after_sep = off;
			}
			break;
		case 'T':
			if (lay->applied == len && (STARTS(p, llen, "This series was applied to ") ||
						    STARTS(p, llen, "This patch was applied to ")))
				lay->applied = off;
			else if (STARTS(p, llen, "The following changes since commit") &&
				 (llen == 34 || p[34] == ' ' || p[34] == ':'))
				lay->pull = 1;	/* git request-pull, maybe wrapped */
			break;
		case 'c':
			if (lay->change_id == len && STARTS(p, llen, "change-id: "))
				lay->change_id = off;
			break;
		case ' ':
			if (!lay->diffstat && is_diffstat_summary(p, llen))
				lay->diffstat = 1;
			break;
		}
		if (is_diff_header_line(p, llen)) {
			if (hdr_run == len)
				hdr_run = off;
		} else {
			hdr_run = len;
		}
		if (lay->sep == len && is_shortlog_head(p, llen, next, end)) {
			lay->sep = off;
			lay->notes = off;
		}
		{
			const char *t = p;

			while (t < p + llen && (*t == ' ' || *t == '\t'))
				t++;
			if (t < p + llen && *t != '>')
				scan_colons(m, lay, &links_alloc, s, p, llen);
		}
		p = next;
	}
	/* The format-patch signature ends the diff; a "-- " long before the end is diff content. */
	if (lay->diff_end < len && lines_after_sig > 8)
		lay->diff_end = len;
	if (lay->diff == len)
		lay->diff_end = len;
}

/* ---- trailers, with git's rules ---- */

static int is_blank(const char *l, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)l[i]))
			return 0;
	return 1;
}

/* Start of the line that ends just before pos (pos > 0). */
static size_t line_start(const char *s, size_t pos)
{
	const char *nl;

	/* The line's own newline, at pos - 1, is part of it. */
	if (pos < 2)
		return 0;
	nl = memrchr(s, '\n', pos - 1);
	return nl ? (size_t)(nl - s) + 1 : 0;
}

/*
 * git's separator test: "<token><optional blanks>:", the token made of
 * letters, digits and '-'.  Returns the colon's offset, or 0.
 */
static size_t trailer_separator(const char *l, size_t len)
{
	size_t i = 0;

	while (i < len && (isalnum((unsigned char)l[i]) || l[i] == '-'))
		i++;
	if (i)
		while (i < len && (l[i] == ' ' || l[i] == '\t'))
			i++;
	return i < len && l[i] == ':' ? i : 0;
}

/*
 * The end of the part of s that may hold trailers: without the blank
 * ("\n" alone) and comment lines at its end, nor a "Conflicts:" list.
 * The subject and the blank line after it precede s, so when s is all
 * such lines nothing is left.
 */
static size_t trailer_block_end(const char *s, size_t len)
{
	size_t from = len, bol, boc = 0;
	int have_boc, in_conflicts = 0;

	/* Back over the lines that could be part of that tail ... */
	while (from) {
		size_t ls = line_start(s, from);
		const char *l = s + ls;

		if (!(*l == '#' || *l == '\n' || *l == '\t' ||
		      (len - ls >= 11 && !memcmp(l, "Conflicts:\n", 11))))
			break;
		from = ls;
	}
	/* ... then git's forward rule from there. */
	have_boc = from == 0;
	for (bol = from; bol < len;) {
		const char *nl = memchr(s + bol, '\n', len - bol);
		size_t next = nl ? (size_t)(nl - s) + 1 : len;
		const char *l = s + bol;

		if (*l == '#' || *l == '\n') {
			if (!have_boc) {
				boc = bol;
				have_boc = 1;
			}
		} else if (next - bol >= 11 && !memcmp(l, "Conflicts:\n", 11)) {
			in_conflicts = 1;
			if (!have_boc) {
				boc = bol;
				have_boc = 1;
			}
		} else if (in_conflicts && *l == '\t') {
			/* a path of the conflicts list */
		} else if (have_boc) {
			have_boc = 0;
			in_conflicts = 0;
		}
		bol = next;
	}
	return have_boc ? boc : len;
}

/*
 * The start of the trailer block of the message s[0..len) (its subject
 * and a blank line come before it), or len: git's rule, going back from
 * the end to a blank line over lines that are all trailers, or that hold
 * a git-generated trailer and are at least a quarter trailers.
 */
static size_t trailer_block_start(const char *s, size_t len)
{
	size_t l = len;
	int only_spaces = 1, recognized = 0, trailers = 0, others = 0, maybe_cont = 0;

	for (;;) {
		size_t ls, llen;
		const char *line;

		if (!l) {
			/* The blank line after the subject. */
			if (only_spaces)
				return len;
			others += maybe_cont;
			return (recognized && trailers * 3 >= others) || (trailers && !others) ? 0 : len;
		}
		ls = line_start(s, l);
		line = s + ls;
		llen = l - ls;
		if (llen && line[llen - 1] == '\n')
			llen--;
		if (*line == '#') {
			others += maybe_cont;
			maybe_cont = 0;
		} else if (is_blank(line, llen)) {
			if (!only_spaces) {
				others += maybe_cont;
				if ((recognized && trailers * 3 >= others) || (trailers && !others))
					return l;
				return len;
			}
		} else {
			only_spaces = 0;
			if (STARTS(line, llen, "Signed-off-by: ") ||
			    STARTS(line, llen, "(cherry picked from commit ")) {
				trailers++;
				maybe_cont = 0;
				recognized = 1;
			} else if (trailer_separator(line, llen) && !isspace((unsigned char)*line)) {
				trailers++;
				maybe_cont = 0;
			} else if (isspace((unsigned char)*line)) {
				maybe_cont++;
			} else {
				others += 1 + maybe_cont;
				maybe_cont = 0;
			}
		}
		l = ls;
	}
}

static int has_trailer(const struct mail *m, const char *key, size_t klen, const char *value)
{
	size_t i;

	for (i = 0; i < m->trailers_nr && i < MAX_DEDUP; i++)
		if (strlen(m->trailers[i].key) == klen &&
		    !strncasecmp(m->trailers[i].key, key, klen) &&
		    !strcmp(m->trailers[i].value, value))
			return 1;
	return 0;
}

/*
 * Mail clients that turn HTML into text write "<jane@x.org<mailto:jane@x.org>>";
 * keep the address once.
 */
static void strip_mailto(struct strbuf *v)
{
	char *p;

	while ((p = strstr(v->buf, "<mailto:"))) {
		char *gt = strchr(p, '>');
		size_t from = (size_t)(p - v->buf), to = gt ? (size_t)(gt + 1 - v->buf) : v->len;

		memmove(v->buf + from, v->buf + to, v->len - to + 1);
		v->len -= to - from;
	}
}

/*
 * The trailer whose line starts at l: "Key: value" and the continuation
 * lines after it (any line starting with a blank, as git reads them),
 * joined with single spaces.  Returns where the next line starts.
 */
static const char *take_trailer(struct mail *m, size_t *alloc, const char *l,
				const char *end, int in_block)
{
	const char *nl = memchr(l, '\n', (size_t)(end - l));
	const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
	size_t colon = trailer_separator(l, (size_t)(le - l)), klen = 0;
	struct strbuf v = STRBUF_INIT;
	const char *vstart;

	while (klen < colon && (isalnum((unsigned char)l[klen]) || l[klen] == '-'))
		klen++;
	if (!colon || !klen)
		return next;	/* git ignores the other lines of a trailer block */
	vstart = l + colon + 1;
	strbuf_add(&v, vstart, (size_t)(le - vstart));
	while (next < end && (*next == ' ' || *next == '\t')) {
		/* git's unfolding: the line break and the blanks after it become one space. */
		const char *c = next;

		nl = memchr(next, '\n', (size_t)(end - next));
		le = nl ? nl : end;
		while (c < le && isspace((unsigned char)*c))
			c++;
		strbuf_addch(&v, ' ');
		strbuf_add(&v, c, (size_t)(le - c));
		next = nl ? nl + 1 : end;
	}
	strip_mailto(&v);
	textsafe_strbuf(&v, 0, 0);
	strbuf_trim(&v);
	if (!in_block && has_trailer(m, l, klen, v.buf)) {
		strbuf_release(&v);
		return next;
	}
	ALLOC_GROW(m->trailers, m->trailers_nr + 1, *alloc);
	m->trailers[m->trailers_nr].key = xstrndup(l, klen);
	m->trailers[m->trailers_nr].value = strbuf_detach(&v, NULL);
	m->trailers[m->trailers_nr].in_block = in_block;
	m->trailers_nr++;
	return next;
}

/* A review trailer candidate line: "<blanks>Xxx-by: ... @ ...". */
static void take_review(struct mail *m, size_t *alloc, const char *l, const char *end)
{
	const char *nl = memchr(l, '\n', (size_t)(end - l)), *le = nl ? nl : end;
	size_t colon;

	while (l < le && (*l == ' ' || *l == '\t'))
		l++;
	colon = trailer_separator(l, (size_t)(le - l));
	if (!colon || !is_by_token(l + colon, l) || !memchr(l + colon, '@', (size_t)(le - l - colon)))
		return;
	take_trailer(m, alloc, l, le, 0);
}

/* ---- other facts ---- */

static char *line_value(const char *v, const char *end)
{
	const char *nl = memchr(v, '\n', (size_t)(end - v));
	struct strbuf sb = STRBUF_INIT;

	textsafe_line(&sb, v, (size_t)((nl ? nl : end) - v));
	strbuf_trim(&sb);
	return strbuf_detach(&sb, NULL);
}

/*
 * A patchwork-bot notice: "This series was applied to <tree> (<branch>)"
 * then, after "Here is the summary with links:", "  - [tag] subject"
 * lines each followed by its commit URL.
 */
static void extract_applied(struct mail *m, const char *s, size_t pos, size_t end_off)
{
	const char *l = s + pos, *end = s + end_off, *p;
	size_t alloc = 0;
	char *to;

	l += STARTS(l, (size_t)(end - l), "This series") ? 27 : 26;
	to = line_value(l, end);
	if (*to && to[strlen(to) - 1] == ':')
		to[strlen(to) - 1] = '\0';
	m->applied_to = to;
	for (p = l; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *t = p;

		while (t < le && (*t == ' ' || *t == '\t'))
			t++;
		if (le - t > 3 && t[0] == '-' && t[1] == ' ' && t[2] == '[') {
			struct mail_applied *a;
			char *url = nl ? line_value(nl + 1, end) : NULL;

			ALLOC_GROW(m->applied, m->applied_nr + 1, alloc);
			a = &m->applied[m->applied_nr++];
			a->subject = textsafe_line_owned(xstrndup(t + 2, (size_t)(le - t - 2)));
			if (url && strncmp(url, "http", 4))
				FREE_AND_NULL(url);
			a->url = url;
		}
		p = nl ? nl + 1 : end;
	}
}

/*
 * Copy s[from..to) into a new string without the blanks at its end, and
 * without its leading empty lines (or all leading blanks, with left).
 */
static char *copy_trimmed(const char *s, size_t from, size_t to, int left)
{
	struct strbuf sb = STRBUF_INIT;

	if (left) {
		while (from < to && isspace((unsigned char)s[from]))
			from++;
	} else {
		size_t p = from;

		while (p < to && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n'))
			if (s[p++] == '\n')
				from = p;
	}
	if (from < to)
		strbuf_add(&sb, s + from, to - from);
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A line "From <40 hex> Mon Sep 17 00:00:00 2001", as git format-patch starts a patch. */
static int is_format_patch_from(const char *l, size_t len)
{
	static const char date[] = " Mon Sep 17 00:00:00 2001";
	size_t i;

	if (len && *l == '>') {
		l++;
		len--;
	}
	if (len != 5 + 40 + sizeof(date) - 1 || memcmp(l, "From ", 5))
		return 0;
	for (i = 5; i < 45; i++)
		if (!isxdigit((unsigned char)l[i]))
			return 0;
	return !memcmp(l + 45, date, sizeof(date) - 1);
}

/* The index of the first of names that line l starts with (case aside), or -1. */
static int starts_with_any(const char *l, size_t len, const char *const *names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		size_t n = strlen(names[i]);

		if (len >= n && !strncasecmp(l, names[i], n))
			return (int)i;
	}
	return -1;
}

/* Which in-body header line l is: 'F'rom, 'S'ubject, 'D'ate, or 0. */
static int inbody_header_name(const char *l, size_t len)
{
	static const char *const names[] = { "From:", "Subject:", "Date:" };
	int i = starts_with_any(l, len, names, ARRAY_SIZE(names));

	return i < 0 ? 0 : names[i][0];
}

/* The header lines mail clients put above a quoted or forwarded mail. */
static int is_quoted_mail_header(const char *l, size_t len)
{
	static const char *const names[] = {
		"To:", "Cc:", "Sent:", "Reply-To:", "Message-ID:", "In-Reply-To:", "Bcc:",
	};

	return starts_with_any(l, len, names, ARRAY_SIZE(names)) >= 0;
}

/*
 * git am's in-body headers: "From:", "Subject:" and "Date:" lines first
 * in the body (blank lines before them skipped), each at most once,
 * folded lines included, also after a pasted "From <sha> Mon Sep 17
 * 00:00:00 2001" line.  They end at a blank line, which goes with them,
 * or at the first other line, which begins the message.  They are not
 * part of the message; a From: there names the patch's author.  Returns
 * the block's length.
 */
static size_t inbody_headers(struct mail *m, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *from = NULL, *from_end = NULL, *block = s;
	unsigned seen = 0;
	int any = 0, last = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t llen = (size_t)(le - p);
		int name;

		if (!llen) {
			if (any) {
				p = nl ? nl + 1 : end;
				block = p;
				break;
			}
		} else if (last && (*p == ' ' || *p == '\t')) {
			if (last == 'F')
				from_end = le;
		} else if (is_format_patch_from(p, llen)) {
			last = 0;
			any = 1;
		} else if ((name = inbody_header_name(p, llen)) &&
			   !(seen & (1u << (name & 31)))) {
			seen |= 1u << (name & 31);
			last = name;
			any = 1;
			if (name == 'F') {
				from = p + 5;
				from_end = le;
			}
		} else {
			/*
			 * The message begins here.  Unless this is another
			 * mail header: then the block was a quoted mail's
			 * ("From: ...\nSent: ..." of a reply), not git's.
			 */
			if (is_quoted_mail_header(p, llen))
				return 0;
			break;
		}
		p = nl ? nl + 1 : end;
		block = p;
	}
	if (!any)
		return 0;
	if (from) {
		struct raw_header h = { from, (size_t)(from_end - from) };
		char *name, *email;

		header_address(&h, &name, &email);
		if (strchr(email, '@')) {
			m->author_name = name;
			m->author_email = email;
		} else {
			free(name);
			free(email);
		}
	}
	return (size_t)(block - s);
}

/*
 * Whether git mailinfo would see a patch in s: a line after one that
 * starts one ("diff -", "Index: ", "--- file", or "---" and blanks).
 */
static int has_patch_break(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = (size_t)((nl ? nl : end) - p), i = 3;
		int brk = starts_with(p, llen, "diff -", 6) || starts_with(p, llen, "Index: ", 7);

		if (!brk && starts_with(p, llen, "---", 3)) {
			if (llen > 4 && p[3] == ' ' && !isspace((unsigned char)p[4]))
				brk = 1;
			while (i < llen && isspace((unsigned char)p[i]))
				i++;
			brk |= i == llen;
		}
		if (brk)
			return nl && nl + 1 < end;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/*
 * A line of its own that says "pw-bot: cr" (what the bpf maintainers
 * write to set a patchwork state), or "NAK".  Quoted lines are someone
 * else's words and do not count.
 */
static unsigned verdict_line(const char *l, size_t len)
{
	static const struct {
		const char *text;
		unsigned flag;
	} verdicts[] = {
		{ "pw-bot: cr", MAIL_PWBOT_CR },
		{ "pw-bot: changes-requested", MAIL_PWBOT_CR },
		{ "pw-bot: defer", MAIL_PWBOT_DEFER },
	};
	size_t i;

	while (len && isspace((unsigned char)*l))
		l++, len--;
	while (len && isspace((unsigned char)l[len - 1]))
		len--;
	if (len && (l[len - 1] == '.' || l[len - 1] == '!'))
		len--;
	for (i = 0; i < ARRAY_SIZE(verdicts); i++)
		if (strlen(verdicts[i].text) == len && !strncasecmp(l, verdicts[i].text, len))
			return verdicts[i].flag;
	if (len == 3 && !memcmp(l, "NAK", 3))
		return MAIL_NAK;
	return 0;
}

static unsigned verdicts(const struct mail *m, const char *s, size_t end)
{
	unsigned flags = 0;
	size_t i, off = 0;

	for (i = 0; i < m->trailers_nr; i++)
		if (!strcasecmp(m->trailers[i].key, "Nacked-by"))
			flags |= MAIL_NAK;
	while (off < end) {
		const char *nl = memchr(s + off, '\n', end - off);
		size_t llen = nl ? (size_t)(nl - s - off) : end - off;

		if (llen && s[off] != '>')
			flags |= verdict_line(s + off, llen);
		off += llen + 1;
	}
	return flags;
}

static void split_body(struct mail *m, const char *s, size_t len, size_t attached_at,
		       unsigned flags)
{
	struct layout lay = { 0 };
	size_t msg_end, tstart, tend, review_end, alloc = 0, i, skip;

	skip = inbody_headers(m, s, len);
	s += skip;
	len -= skip;
	attached_at = attached_at > skip ? attached_at - skip : 0;
	find_layout(m, &lay, s, len);
	msg_end = min_size(min_size(lay.sep, lay.sig), lay.diff);
	if (m->author_email && !has_patch_break(s, len)) {
		/* git am takes an in-body From: only for a patch (not a cover letter). */
		FREE_AND_NULL(m->author_name);
		FREE_AND_NULL(m->author_email);
	}

	/* The message's own trailer block, then review trailers elsewhere. */
	tend = trailer_block_end(s, msg_end);
	tstart = trailer_block_start(s, tend);
	if (tstart < tend) {
		const char *p = s + tstart;

		while (p < s + tend)
			p = take_trailer(m, &alloc, p, s + tend, 1);
	}
	review_end = lay.diff < len ? msg_end : lay.sig;
	for (i = 0; i < lay.reviews_nr; i++)
		if (lay.reviews[i] < review_end && (lay.reviews[i] < tstart || lay.reviews[i] >= tend))
			take_review(m, &alloc, s + lay.reviews[i], s + review_end);
	free(lay.reviews);

	if (lay.diff < len) {
		m->flags |= MAIL_HAS_DIFF;
		if (lay.diff >= attached_at)
			m->flags |= MAIL_DIFF_ATTACHED;
	}
	if (lay.diffstat)
		m->flags |= MAIL_HAS_DIFFSTAT;
	/* Maintainers put "pw-bot: cr" after the "--" that ends their words, too. */
	m->flags |= verdicts(m, s, lay.diff);
	if (lay.pull)
		m->flags |= MAIL_PULL_REQUEST;
	if (lay.applied < lay.diff)
		extract_applied(m, s, lay.applied, lay.diff);
	if (lay.change_id < len) {
		char *id = line_value(s + lay.change_id + 11, s + len);

		if (*id)
			m->change_id = id;
		else
			free(id);
	}

	if (!(flags & MAIL_PARSE_FACTS_ONLY)) {
		size_t notes_end = lay.diff < len ? lay.diff : lay.sig_after_sep;

		m->text = copy_trimmed(s, 0, tstart < tend ? tstart : msg_end, 0);
		m->notes = lay.sep < lay.diff ? copy_trimmed(s, lay.notes, notes_end, 1)
					      : xstrdup("");
		m->diff = copy_trimmed(s, lay.diff, lay.diff_end, 0);
		if (*m->diff) {
			size_t dl = strlen(m->diff);

			/* Keep the diff's final newline: git apply wants it. */
			m->diff = xrealloc(m->diff, dl + 2);
			m->diff[dl] = '\n';
			m->diff[dl + 1] = '\0';
		}
		m->flags |= MAIL_HAS_BODY;
	}
}

/* ---- the whole mail ---- */

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

/* The date after the last ';' of a Received: header. */
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

static void parse_header_facts(struct mail *m, const struct header_block *hb,
			       const char *raw, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	if (hb->h[H_MESSAGE_ID].value)
		m->mid = mail_normalize_mid(hb->h[H_MESSAGE_ID].value, hb->h[H_MESSAGE_ID].len);
	if (!m->mid) {
		m->mid = synthesize_mid(raw, len);
		m->flags |= MAIL_NO_MESSAGE_ID;
	}
	if (hb->h[H_IN_REPLY_TO].value) {
		char **ids;
		size_t nr, i;

		parse_id_list(&hb->h[H_IN_REPLY_TO], &ids, &nr);
		if (nr)
			m->in_reply_to = ids[0];
		for (i = 1; i < nr; i++)
			free(ids[i]);
		free(ids);
	}
	if (hb->h[H_REFERENCES].value) {
		parse_id_list(&hb->h[H_REFERENCES], &m->refs, &m->refs_nr);
		if (m->refs_nr > MAIL_MAX_REFS) {
			/* The root, then the newest: what threading looks at. */
			size_t drop = m->refs_nr - MAIL_MAX_REFS, i;

			for (i = 1; i <= drop; i++)
				free(m->refs[i]);
			memmove(m->refs + 1, m->refs + 1 + drop,
				(MAIL_MAX_REFS - 1) * sizeof(*m->refs));
			m->refs_nr = MAIL_MAX_REFS;
			m->flags |= MAIL_MANY_REFS;
		}
	}

	m->subject = hb->h[H_SUBJECT].value ? header_text(&hb->h[H_SUBJECT]) : xstrdup("");
	if (hb->h[H_FROM].value) {
		header_address(&hb->h[H_FROM], &m->from_name, &m->from_email);
		undo_list_rewrite(m, hb);
	} else {
		m->from_name = xstrdup("");
		m->from_email = xstrdup("");
	}
	if (hb->h[H_LIST_ID].value)
		m->list_id = mail_normalize_mid(hb->h[H_LIST_ID].value, hb->h[H_LIST_ID].len);
	if (hb->h[H_DATE].value) {
		unfold(&sb, &hb->h[H_DATE]);
		if (!date_parse(sb.buf, &m->date, &m->date_tz))
			m->flags |= MAIL_HAS_DATE;
		else
			m->flags |= MAIL_BAD_DATE;
	}
	if (hb->h[H_RECEIVED].value)
		m->arrival = received_time(&hb->h[H_RECEIVED]);
	strbuf_release(&sb);
}

int mail_parse(struct mail *m, const char *raw, size_t len, unsigned flags,
	       struct strbuf *err)
{
	struct header_block hb;
	struct strbuf decoded = STRBUF_INIT;
	const char *body;
	size_t blen, attached_at;

	memset(m, 0, sizeof(*m));
	skip_from_line(&raw, &len);
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
	parse_header_facts(m, &hb, raw, len);
	m->flags |= hb.flags;

	body = raw + hb.end;
	blen = len - hb.end;
	if (body_is_plain(&hb, body, blen)) {
		attached_at = blen;
	} else {
		m->flags |= decode_body(&decoded, &attached_at, &hb, body, blen);
		body = decoded.buf;
		blen = decoded.len;
	}
	split_body(m, body, blen, attached_at, flags);
	strbuf_release(&decoded);
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
	free(m->author_name);
	free(m->author_email);
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

int mail_describe_limits(struct strbuf *out, const struct mail *m)
{
	int n = 0;

	if (m->flags & MAIL_LONG_HEADER)
		strbuf_addf(out, "%sa header line longer than %d MiB was cut", n++ ? "; " : "",
			    MAIL_MAX_HEADER_LINE >> 20);
	if (m->flags & MAIL_DEEP_MIME)
		strbuf_addf(out, "%sMIME parts nested deeper than %d levels were skipped",
			    n++ ? "; " : "", MAIL_MAX_MIME_DEPTH);
	if (m->flags & MAIL_UNKNOWN_CHARSET)
		strbuf_addf(out, "%stext in an unknown charset was read as Windows-1252, byte for byte",
			    n++ ? "; " : "");
	if (m->flags & MAIL_MANY_REFS)
		strbuf_addf(out, "%sReferences names more than %d messages: the first and the "
			    "newest %d were kept", n++ ? "; " : "", MAIL_MAX_REFS, MAIL_MAX_REFS - 1);
	return n;
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
