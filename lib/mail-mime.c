#include "mail-mime.h"
#include "mail-header.h"
#include "mail.h"
#include "mime.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	mail_header_scan(&phb, part, plen);
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
		mail_header_unfold(&ctype, &hb->h[H_CONTENT_TYPE]);
	if (hb->h[H_CTE].value)
		mail_header_unfold(&cte, &hb->h[H_CTE]);
	if (hb->h[H_CONTENT_DISPOSITION].value)
		mail_header_unfold(&disp, &hb->h[H_CONTENT_DISPOSITION]);
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

unsigned mail_mime_decode(struct strbuf *out, size_t *attached_at,
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

int mail_mime_is_plain(const struct header_block *hb, const char *body, size_t len)
{
	int plain = 1;

	if (hb->h[H_CTE].value) {
		struct strbuf cte = STRBUF_INIT;

		mail_header_unfold(&cte, &hb->h[H_CTE]);
		plain = !cte.len || !strncasecmp(cte.buf, "7bit", 4) ||
			!strncasecmp(cte.buf, "8bit", 4) || !strncasecmp(cte.buf, "binary", 6);
		strbuf_release(&cte);
	}
	if (plain && hb->h[H_CONTENT_TYPE].value) {
		struct strbuf ctype = STRBUF_INIT;
		char type[64], *format;

		mail_header_unfold(&ctype, &hb->h[H_CONTENT_TYPE]);
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
