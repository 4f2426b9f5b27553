#include "mime.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

void mime_decode_base64(struct strbuf *out, const char *in, size_t len)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	strbuf_grow(out, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		int v;

		if (in[i] == '=')
			break;
		v = b64_value((unsigned char)in[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (char)((acc >> bits) & 0xff));
		}
	}
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void mime_decode_qp(struct strbuf *out, const char *in, size_t len)
{
	size_t i = 0;

	strbuf_grow(out, len);
	while (i < len) {
		if (in[i] != '=') {
			strbuf_addch(out, in[i++]);
			continue;
		}
		/* Soft line break: "=" then optional whitespace then newline. */
		{
			size_t j = i + 1;

			while (j < len && (in[j] == ' ' || in[j] == '\t'))
				j++;
			if (j < len && (in[j] == '\n' || in[j] == '\r')) {
				if (in[j] == '\r' && j + 1 < len && in[j + 1] == '\n')
					j++;
				i = j + 1;
				continue;
			}
			if (j == len) {
				i = len;
				continue;
			}
		}
		if (i + 2 < len && hex_value((unsigned char)in[i + 1]) >= 0 &&
		    hex_value((unsigned char)in[i + 2]) >= 0) {
			strbuf_addch(out, (char)(hex_value((unsigned char)in[i + 1]) * 16 +
						 hex_value((unsigned char)in[i + 2])));
			i += 3;
			continue;
		}
		strbuf_addch(out, in[i++]);	/* a lone "=" stays */
	}
}

int mime_is_utf8(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		{
			size_t k;

			for (k = 1; k <= n; k++) {
				if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
					return 0;
				cp = (cp << 6) | (s[i + k] & 0x3f);
			}
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Windows-1252's 0x80-0x9f as Unicode; other bytes are Latin-1. */
static const unsigned short cp1252[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static void add_codepoint(struct strbuf *out, unsigned cp)
{
	if (cp < 0x80) {
		strbuf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		strbuf_addch(out, (char)(0xc0 | (cp >> 6)));
		strbuf_addch(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(out, (char)(0xe0 | (cp >> 12)));
		strbuf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Keep valid UTF-8 sequences, read every other byte as Windows-1252. */
static void repair_utf8(struct strbuf *out, const char *in, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 1;

		if (c < 0x80) {
			strbuf_addch(out, (char)c);
			i++;
		} else if (n > 1 && i + n <= len && mime_is_utf8(in + i, n)) {
			strbuf_add(out, in + i, n);
			i += n;
		} else {
			add_codepoint(out, c >= 0x80 && c < 0xa0 ? cp1252[c - 0x80] : c);
			i++;
		}
	}
}

static int is_utf8_name(const char *charset)
{
	return !strcasecmp(charset, "utf-8") || !strcasecmp(charset, "utf8") ||
	       !strcasecmp(charset, "us-ascii") || !strcasecmp(charset, "ascii");
}

void mime_to_utf8(struct strbuf *out, const char *in, size_t len,
		  const char *charset)
{
	iconv_t cd;
	char *src = (char *)in;
	size_t left = len;

	if (!charset || !*charset || is_utf8_name(charset) || mime_is_utf8(in, len)) {
		if (mime_is_utf8(in, len))
			strbuf_add(out, in, len);
		else
			repair_utf8(out, in, len);
		return;
	}
	cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1) {
		repair_utf8(out, in, len);
		return;
	}
	while (left) {
		char *dst;
		size_t room, before;

		strbuf_grow(out, left * 4 + 16);
		dst = out->buf + out->len;
		room = out->alloc - out->len - 1;
		before = room;
		if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
			out->len += before - room;
			if (errno == E2BIG)
				continue;
			/* An invalid or incomplete sequence: substitute and go on. */
			add_codepoint(out, 0xfffd);
			src++;
			left--;
			continue;
		}
		out->len += before - room;
	}
	out->buf[out->len] = '\0';
	iconv_close(cd);
}

/* Decode one encoded word's payload; returns 0 or -1 if it is not one. */
static int decode_word(struct strbuf *out, const char *w, size_t len)
{
	const char *q1, *q2, *end = w + len - 2;
	struct strbuf raw = STRBUF_INIT;
	char charset[64];
	size_t clen;

	q1 = memchr(w + 2, '?', len - 2);
	if (!q1 || q1 + 3 > end || q1[2] != '?')
		return -1;
	clen = (size_t)(q1 - (w + 2));
	if (clen >= sizeof(charset))
		return -1;
	memcpy(charset, w + 2, clen);
	charset[clen] = '\0';
	/* RFC 2231 language suffix: "utf-8*en". */
	if (strchr(charset, '*'))
		*strchr(charset, '*') = '\0';
	q2 = q1 + 3;
	if (q1[1] == 'B' || q1[1] == 'b') {
		mime_decode_base64(&raw, q2, (size_t)(end - q2));
	} else if (q1[1] == 'Q' || q1[1] == 'q') {
		const char *p;

		for (p = q2; p < end; p++) {
			if (*p == '_')
				strbuf_addch(&raw, ' ');
			else if (*p == '=' && p + 2 < end &&
				 hex_value((unsigned char)p[1]) >= 0 &&
				 hex_value((unsigned char)p[2]) >= 0) {
				strbuf_addch(&raw, (char)(hex_value((unsigned char)p[1]) * 16 +
							  hex_value((unsigned char)p[2])));
				p += 2;
			} else {
				strbuf_addch(&raw, *p);
			}
		}
	} else {
		return -1;
	}
	mime_to_utf8(out, raw.buf, raw.len, charset);
	strbuf_release(&raw);
	return 0;
}

void mime_decode_header(struct strbuf *out, const char *in, size_t len)
{
	size_t i = 0, pending_ws = 0, ws_start = 0;
	int last_was_word = 0;
	struct strbuf plain = STRBUF_INIT;

	while (i < len) {
		if (in[i] == '=' && i + 1 < len && in[i + 1] == '?') {
			/* Find the closing "?=" after charset?enc?text. */
			size_t j = i + 2, q = 0;

			while (j + 1 < len && !(q >= 2 && in[j] == '?' && in[j + 1] == '=')) {
				if (in[j] == '?')
					q++;
				if (in[j] == ' ' || in[j] == '\t' || in[j] == '\n')
					break;
				j++;
			}
			if (j + 1 < len && in[j] == '?' && in[j + 1] == '=' && q >= 2) {
				size_t wlen = j + 2 - i;

				/* Whitespace between two encoded words disappears. */
				if (!last_was_word && pending_ws)
					strbuf_add(&plain, in + ws_start, pending_ws);
				pending_ws = 0;
				if (plain.len) {
					mime_to_utf8(out, plain.buf, plain.len, NULL);
					strbuf_reset(&plain);
				}
				if (decode_word(out, in + i, wlen) == 0) {
					i += wlen;
					last_was_word = 1;
					continue;
				}
				strbuf_add(&plain, in + i, wlen);
				i += wlen;
				last_was_word = 0;
				continue;
			}
		}
		if (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n') {
			if (!pending_ws)
				ws_start = i;
			pending_ws++;
			i++;
			continue;
		}
		if (pending_ws)
			strbuf_add(&plain, in + ws_start, pending_ws);
		pending_ws = 0;
		strbuf_addch(&plain, in[i++]);
		last_was_word = 0;
	}
	if (pending_ws && !last_was_word)
		strbuf_add(&plain, in + ws_start, pending_ws);
	if (plain.len)
		mime_to_utf8(out, plain.buf, plain.len, NULL);
	strbuf_release(&plain);
}

char *mime_header_param(const char *value, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = strchr(value, ';');

	while (p) {
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (!strncasecmp(p, name, nlen)) {
			const char *v = p + nlen;

			while (isspace((unsigned char)*v))
				v++;
			if (*v == '=') {
				const char *end;

				v++;
				while (isspace((unsigned char)*v))
					v++;
				if (*v == '"') {
					v++;
					end = strchr(v, '"');
					if (!end)
						end = v + strlen(v);
				} else {
					end = v;
					while (*end && *end != ';' && !isspace((unsigned char)*end))
						end++;
				}
				return xstrndup(v, (size_t)(end - v));
			}
		}
		p = strchr(p, ';');
	}
	return NULL;
}
