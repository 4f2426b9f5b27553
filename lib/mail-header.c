#include "mail-header.h"
#include "date.h"
#include "mail.h"
#include "mime.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- headers ---- */

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

size_t mail_header_scan(struct header_block *hb, const char *buf, size_t len)
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

void mail_header_unfold(struct strbuf *sb, const struct raw_header *h)
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
		/* A line broken without folding (see mail_header_scan()) joins with a blank. */
		else if (p < end && p[-1] == '\n' && *p != ' ' && *p != '\t')
			strbuf_addch(sb, ' ');
	}
	strbuf_trim(sb);
}

/* An unfolded, decoded header value; control characters become spaces (textsafe.h). */
static char *header_text(const struct raw_header *h)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;

	mail_header_unfold(&raw, h);
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

void mail_list_add_unique(char ***list, size_t *nr, size_t *alloc, char *s)
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
			mail_list_add_unique(ids, nr, &alloc, id);
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
			mail_list_add_unique(ids, nr, &alloc, mail_normalize_mid(w, (size_t)(p - w)));
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

void mail_header_address(const struct raw_header *h, char **name, char **email)
{
	struct strbuf raw = STRBUF_INIT;

	mail_header_unfold(&raw, h);
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
		mail_header_address(alts[i], &name, &email);
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

/* ---- the whole block ---- */

void mail_skip_from_line(const char **raw, size_t *len)
{
	if (*len > 5 && !memcmp(*raw, "From ", 5)) {
		const char *nl = memchr(*raw, '\n', *len);

		if (nl) {
			*len -= (size_t)(nl + 1 - *raw);
			*raw = nl + 1;
		}
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

/* The date after the last ';' of a Received: header. */
static time_t received_time(const struct raw_header *h)
{
	struct strbuf sb = STRBUF_INIT;
	const char *semi;
	time_t t = 0;
	int tz;

	mail_header_unfold(&sb, h);
	semi = strrchr(sb.buf, ';');
	if (semi && date_parse(semi + 1, &t, &tz) < 0)
		t = 0;
	strbuf_release(&sb);
	return t;
}

void mail_header_facts(struct mail *m, const struct header_block *hb,
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
		mail_header_address(&hb->h[H_FROM], &m->from_name, &m->from_email);
		undo_list_rewrite(m, hb);
	} else {
		m->from_name = xstrdup("");
		m->from_email = xstrdup("");
	}
	if (hb->h[H_LIST_ID].value)
		m->list_id = mail_normalize_mid(hb->h[H_LIST_ID].value, hb->h[H_LIST_ID].len);
	if (hb->h[H_DATE].value) {
		mail_header_unfold(&sb, &hb->h[H_DATE]);
		if (!date_parse(sb.buf, &m->date, &m->date_tz))
			m->flags |= MAIL_HAS_DATE;
		else
			m->flags |= MAIL_BAD_DATE;
	}
	if (hb->h[H_RECEIVED].value)
		m->arrival = received_time(&hb->h[H_RECEIVED]);
	strbuf_release(&sb);
}
