#include "mime.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Base64 digits plus one (the URL-safe alphabet too); 0 for anything else. */
static const unsigned char b64_digit[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64, ['-'] = 63, ['_'] = 64,
};

void mime_decode_base64(struct strbuf *out, const char *in, size_t len)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;
	char *dst;

	strbuf_grow(out, len / 4 * 3 + 3);
	dst = out->buf + out->len;
	for (i = 0; i < len; i++) {
		int v;

		if (in[i] == '=') {
			/*
			 * Padding ends a group; some senders concatenate
			 * encoded chunks, so decoding goes on after it.
			 */
			acc = 0;
			bits = 0;
			continue;
		}
		v = b64_digit[(unsigned char)in[i]];
		if (!v)
			continue;
		acc = (acc << 6) | (unsigned)(v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*dst++ = (char)((acc >> bits) & 0xff);
		}
	}
	strbuf_setlen(out, (size_t)(dst - out->buf));
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void mime_decode_qp(struct strbuf *out, const char *in, size_t len)
{
	const char *p = in, *end = in + len;

	strbuf_grow(out, len);
	while (p < end) {
		const char *eq = memchr(p, '=', (size_t)(end - p));
		const char *q;

		if (!eq) {
			strbuf_add(out, p, (size_t)(end - p));
			break;
		}
		strbuf_add(out, p, (size_t)(eq - p));
		/* A soft line break: "=", optional blanks, then the newline. */
		q = eq + 1;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q == end) {
			p = end;
			continue;
		}
		if (*q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
			p = q + (*q == '\r' ? 2 : 1);
			continue;
		}
		if (eq + 2 < end && hex_value((unsigned char)eq[1]) >= 0 &&
		    hex_value((unsigned char)eq[2]) >= 0) {
			strbuf_addch(out, hex_value((unsigned char)eq[1]) * 16 +
					  hex_value((unsigned char)eq[2]));
			p = eq + 3;
			continue;
		}
		strbuf_addch(out, '=');	/* a lone "=" stays */
		p = eq + 1;
	}
}

int mime_is_ascii(const char *in, size_t len)
{
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t acc = 0;
	size_t i = 0;

	for (; i + 32 <= len; i += 32) {
		uint64_t a, b, c, d;

		memcpy(&a, in + i, 8);
		memcpy(&b, in + i + 8, 8);
		memcpy(&c, in + i + 16, 8);
		memcpy(&d, in + i + 24, 8);
		if ((a | b | c | d) & high)
			return 0;
	}
	for (; i < len; i++)
		acc |= (unsigned char)in[i];
	return !(acc & 0x80);
}

/* Length of the valid UTF-8 sequence at s (up to end), or 0. */
static size_t utf8_sequence(const unsigned char *s, const unsigned char *end)
{
	unsigned char c = s[0];
	size_t n, k;
	unsigned cp;

	if (c < 0x80)
		return 1;
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
	if ((size_t)(end - s) <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n + 1;
}

int mime_is_utf8(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in, *end = s + len;

	while (s < end) {
		size_t n;

		if (*s < 0x80) {
			/* Skip ASCII eight bytes at a time. */
			while (end - s >= 8) {
				uint64_t v;

				memcpy(&v, s, 8);
				if (v & 0x8080808080808080ULL)
					break;
				s += 8;
			}
			while (s < end && *s < 0x80)
				s++;
			continue;
		}
		n = utf8_sequence(s, end);
		if (!n)
			return 0;
		s += n;
	}
	return 1;
}

/*
 * Windows-1252's 0x80-0x9f as Unicode; other bytes are Latin-1.  The
 * five bytes Windows-1252 leaves undefined stay the C1 controls of the
 * same value (as Windows itself reads them), so that the fallback is
 * lossless: every byte can be recovered from the text.
 */
static const unsigned short cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static void add_codepoint(struct strbuf *out, unsigned cp)
{
	if (cp < 0x80) {
		strbuf_addch(out, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(out, (int)(0xc0 | (cp >> 6)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(out, (int)(0xe0 | (cp >> 12)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3f)));
	}
}

/* Keep valid UTF-8 sequences, read every other byte as Windows-1252. */
static void repair_utf8(struct strbuf *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in, *end = s + len;

	while (s < end) {
		const unsigned char *run = s;
		size_t n;

		while (s < end && (n = utf8_sequence(s, end)))
			s += n;
		strbuf_add(out, run, (size_t)(s - run));
		if (s < end) {
			add_codepoint(out, *s < 0xa0 ? cp1252[*s - 0x80] : *s);
			s++;
		}
	}
}

/*
 * Replace what out holds from offset from on, when it is not UTF-8, by
 * its valid sequences with U+FFFD for each byte of the others.  glibc's
 * iconv writes UCS-4 values past U+10FFFF in the old 5- and 6-byte forms.
 */
static void keep_valid_utf8(struct strbuf *out, size_t from)
{
	struct strbuf fixed = STRBUF_INIT;
	const unsigned char *s, *end;
	size_t n;

	if (mime_is_utf8(out->buf + from, out->len - from))
		return;
	s = (const unsigned char *)out->buf + from;
	end = (const unsigned char *)out->buf + out->len;
	while (s < end) {
		if ((n = utf8_sequence(s, end))) {
			strbuf_add(&fixed, s, n);
			s += n;
		} else {
			add_codepoint(&fixed, 0xfffd);
			s++;
		}
	}
	strbuf_setlen(out, from);
	strbuf_add(out, fixed.buf, fixed.len);
	strbuf_release(&fixed);
}

/*
 * Labels whose text is decoded as UTF-8 with the Windows-1252 fallback:
 * UTF-8 itself, ASCII (8-bit bytes in "ASCII" mail are one of the two),
 * and Latin-1, which mail clients write for Windows-1252 text (as web
 * browsers assume too).
 */
static int is_fallback_charset(const char *cs)
{
	static const char *const names[] = {
		"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968",
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",
		"l1", "windows-1252", "cp1252", "x-unknown", "unknown-8bit",
		"unknown", "x-user-defined", "default", "none",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcasecmp(cs, names[i]))
			return 1;
	return 0;
}

int mime_charset_is_stateful(const char *cs)
{
	return !strncasecmp(cs, "iso-2022-", 9) || !strncasecmp(cs, "iso2022", 7) ||
	       !strncasecmp(cs, "csiso2022", 9) || !strncasecmp(cs, "hz-gb-2312", 10) ||
	       !strcasecmp(cs, "hz") || !strncasecmp(cs, "utf-7", 5) ||
	       !strncasecmp(cs, "utf7", 4) || !strncasecmp(cs, "unicode-1-1-utf-7", 17);
}

/*
 * Encodings whose text is not its bytes read as ASCII: trust the label.
 * The 7-bit stateful ones (ISO-2022-JP, HZ, UTF-7) are valid ASCII
 * byte-wise, but "$B" after an escape is a kanji, not two letters.
 */
static int is_wide_charset(const char *cs)
{
	return !strncasecmp(cs, "utf-16", 6) || !strncasecmp(cs, "utf-32", 6) ||
	       !strncasecmp(cs, "ucs-", 4) || !strncasecmp(cs, "utf16", 5) ||
	       !strncasecmp(cs, "utf32", 5) || mime_charset_is_stateful(cs);
}

/*
 * IANA names (and the x- names mail clients write) that glibc's iconv
 * knows under another name.
 */
static const char *const charset_aliases[][2] = {
	{ "ks_c_5601-1987", "CP949" }, { "ks_c_5601", "CP949" }, { "windows-949", "CP949" },
	{ "x-windows-949", "CP949" }, { "x-sjis", "SHIFT_JIS" }, { "shift-jis", "SHIFT_JIS" },
	{ "x-euc-jp", "EUC-JP" }, { "x-euc", "EUC-JP" }, { "x-gbk", "GBK" },
	{ "x-mac-roman", "MACINTOSH" }, { "macroman", "MACINTOSH" }, { "mac-roman", "MACINTOSH" },
	{ "x-mac", "MACINTOSH" }, { "x-mac-ce", "MAC-CENTRALEUROPE" },
	{ "x-mac-centraleurroman", "MAC-CENTRALEUROPE" }, { "x-mac-cyrillic", "MAC-CYRILLIC" },
	{ "x-mac-ukrainian", "MACUKRAINIAN" }, { "x-mac-icelandic", "MAC-IS" },
	{ "x-cp1250", "CP1250" }, { "x-cp1251", "CP1251" }, { "x-cp1252", "CP1252" },
	{ "x-user-defined", "CP1252" }, { "x-iso-8859-1", "ISO-8859-1" },
	{ "windows-874", "CP874" }, { "x-windows-874", "CP874" }, { "tis-620", "TIS-620" },
	{ "x-big5", "BIG5" }, { "big5-hkscs", "BIG5-HKSCS" }, { "x-x-big5", "BIG5" },
	{ "x-unicode-2-0-utf-7", "UTF-7" }, { "unicode-1-1-utf-7", "UTF-7" },
	{ "x-utf-8", "UTF-8" }, { "x-gb2312", "GB2312" }, { "x-koi8-r", "KOI8-R" },
};

/*
 * An iconv descriptor to UTF-8 from charset: its own name, else the alias
 * glibc knows, else without an "x-" prefix, else "windows-N" as "CPN".
 */
static iconv_t open_charset(const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	char name[64];
	size_t i;

	if (cd != (iconv_t)-1)
		return cd;
	for (i = 0; i < ARRAY_SIZE(charset_aliases); i++)
		if (!strcasecmp(charset, charset_aliases[i][0]))
			return iconv_open("UTF-8", charset_aliases[i][1]);
	if (!strncasecmp(charset, "x-", 2) && strlen(charset) > 2)
		return open_charset(charset + 2);
	if (!strncasecmp(charset, "windows-", 8) && strlen(charset) < 24) {
		snprintf(name, sizeof(name), "CP%s", charset + 8);
		return iconv_open("UTF-8", name);
	}
	return (iconv_t)-1;
}

int mime_to_utf8(struct strbuf *out, const char *in, size_t len,
		 const char *charset)
{
	iconv_t cd;
	char *src = (char *)in;
	size_t left = len, start = out->len;
	int ret = 0;

	if (!charset || !*charset || !is_wide_charset(charset)) {
		if (mime_is_utf8(in, len)) {
			strbuf_add(out, in, len);
			return 0;
		}
		if (!charset || !*charset || is_fallback_charset(charset)) {
			repair_utf8(out, in, len);
			return 0;
		}
	}
	cd = open_charset(charset);
	if (cd == (iconv_t)-1) {
		repair_utf8(out, in, len);
		return -2;
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
			ret = -1;
			iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		out->len += before - room;
	}
	out->buf[out->len] = '\0';
	iconv_close(cd);
	keep_valid_utf8(out, start);
	return ret;
}

/* ---- RFC 2047 encoded words ---- */

struct encoded_word {
	const char *charset;	/* not NUL-terminated */
	size_t charset_len;
	char encoding;		/* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t len;		/* of the whole "=?...?=" */
};

static int is_charset_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '*';
}

/*
 * Recognise "=?charset?B|Q?text?=" at in: 1 when it is one, 0 when not,
 * -1 when no "?=" follows at all (so no later word can end either).
 */
static int parse_encoded_word(struct encoded_word *w, const char *in, size_t len)
{
	size_t i = 2, text;

	if (len < 8 || in[0] != '=' || in[1] != '?')
		return 0;
	while (i < len && is_charset_char((unsigned char)in[i]))
		i++;
	if (i == 2 || i + 2 >= len || in[i] != '?' || in[i + 2] != '?')
		return 0;
	w->charset = in + 2;
	w->charset_len = i - 2;
	w->encoding = (char)toupper((unsigned char)in[i + 1]);
	if (w->encoding != 'B' && w->encoding != 'Q')
		return 0;
	text = i + 3;
	for (i = text; i + 1 < len; i++) {
		if (in[i] == '?' && in[i + 1] == '=')
			break;
		/* Encoded words never span a line; a broken one must not eat the header. */
		if (in[i] == '\n' || in[i] == '\r')
			return 0;
	}
	if (i + 1 >= len)
		return -1;
	w->text = in + text;
	w->text_len = i - text;
	w->len = i + 2;
	return 1;
}

static void decode_word_text(struct strbuf *raw, const struct encoded_word *w)
{
	size_t i;

	if (w->encoding == 'B') {
		mime_decode_base64(raw, w->text, w->text_len);
		return;
	}
	for (i = 0; i < w->text_len; i++) {
		char c = w->text[i];

		if (c == '_') {
			strbuf_addch(raw, ' ');
		} else if (c == '=' && i + 2 < w->text_len &&
			   hex_value((unsigned char)w->text[i + 1]) >= 0 &&
			   hex_value((unsigned char)w->text[i + 2]) >= 0) {
			strbuf_addch(raw, hex_value((unsigned char)w->text[i + 1]) * 16 +
					  hex_value((unsigned char)w->text[i + 2]));
			i += 2;
		} else {
			strbuf_addch(raw, c);
		}
	}
}

/* The charset of w as a C string, without an RFC 2231 "*language". */
static void word_charset(char *buf, size_t size, const struct encoded_word *w)
{
	size_t n = w->charset_len < size - 1 ? w->charset_len : size - 1;
	char *star;

	memcpy(buf, w->charset, n);
	buf[n] = '\0';
	star = strchr(buf, '*');
	if (star)
		*star = '\0';
}

void mime_decode_header(struct strbuf *out, const char *in, size_t len)
{
	struct strbuf raw = STRBUF_INIT;	/* decoded bytes of pending words */
	char charset[64] = "", next[64];
	size_t i = 0, plain = 0;		/* start of the pending plain text */
	int have_word = 0;

	while (i < len) {
		struct encoded_word w;
		size_t ws;
		int found;

		if (in[i] != '=' || i + 1 >= len || in[i + 1] != '?') {
			i++;
			continue;
		}
		found = parse_encoded_word(&w, in + i, len - i);
		if (found < 0)
			break;	/* the rest is plain text */
		if (!found) {
			i++;
			continue;
		}
		/* Whitespace alone between two encoded words disappears. */
		ws = plain;
		while (ws < i && isspace((unsigned char)in[ws]))
			ws++;
		if (!have_word || ws < i) {
			if (raw.len) {
				mime_to_utf8(out, raw.buf, raw.len, charset);
				strbuf_reset(&raw);
			}
			mime_to_utf8(out, in + plain, i - plain, NULL);
		}
		word_charset(next, sizeof(next), &w);
		if (raw.len && strcasecmp(next, charset)) {
			mime_to_utf8(out, raw.buf, raw.len, charset);
			strbuf_reset(&raw);
		}
		memcpy(charset, next, sizeof(charset));
		decode_word_text(&raw, &w);
		have_word = 1;
		i += w.len;
		plain = i;
	}
	if (raw.len)
		mime_to_utf8(out, raw.buf, raw.len, charset);
	mime_to_utf8(out, in + plain, len - plain, NULL);
	strbuf_release(&raw);
}

/* ---- structured header parameters ---- */

/* Percent-decode an RFC 2231 extended value and convert it from charset. */
static void add_extended(struct strbuf *out, const char *v, size_t len, int first)
{
	struct strbuf raw = STRBUF_INIT;
	char charset[64] = "";
	size_t i = 0;

	if (first) {
		const char *q1 = memchr(v, '\'', len), *q2;

		if (q1 && (q2 = memchr(q1 + 1, '\'', len - (size_t)(q1 + 1 - v)))) {
			size_t n = (size_t)(q1 - v) < sizeof(charset) - 1 ?
				   (size_t)(q1 - v) : sizeof(charset) - 1;

			memcpy(charset, v, n);
			charset[n] = '\0';
			i = (size_t)(q2 + 1 - v);
		}
	}
	for (; i < len; i++) {
		if (v[i] == '%' && i + 2 < len && hex_value((unsigned char)v[i + 1]) >= 0 &&
		    hex_value((unsigned char)v[i + 2]) >= 0) {
			strbuf_addch(&raw, hex_value((unsigned char)v[i + 1]) * 16 +
					   hex_value((unsigned char)v[i + 2]));
			i += 2;
		} else {
			strbuf_addch(&raw, v[i]);
		}
	}
	mime_to_utf8(out, raw.buf, raw.len, charset);
	strbuf_release(&raw);
}

char *mime_header_param(const char *value, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = value;
	struct strbuf parts = STRBUF_INIT;
	char *plain = NULL;
	int next_part = 0, found_parts = 0;

	/* Skip the type itself; parameters follow semicolons. */
	while (*p && *p != ';')
		p++;
	while (*p == ';') {
		const char *attr;
		size_t alen;
		struct strbuf val = STRBUF_INIT;
		int quoted = 0;

		p++;
		while (isspace((unsigned char)*p))
			p++;
		attr = p;
		while (*p && *p != '=' && *p != ';' && !isspace((unsigned char)*p))
			p++;
		alen = (size_t)(p - attr);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=') {
			while (*p && *p != ';')
				p++;
			continue;
		}
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			quoted = 1;
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				strbuf_addch(&val, *p);
			}
			if (*p == '"')
				p++;
		} else {
			const char *v = p;

			while (*p && *p != ';' && !isspace((unsigned char)*p))
				p++;
			strbuf_add(&val, v, (size_t)(p - v));
		}
		while (*p && *p != ';')
			p++;

		if (alen < nlen || strncasecmp(attr, name, nlen)) {
			strbuf_release(&val);
			continue;
		}
		if (alen == nlen) {
			if (!plain)
				plain = strbuf_detach(&val, NULL);
		} else if (alen == nlen + 1 && attr[nlen] == '*') {
			/* name*=charset'lang'%XX: the decoded form wins. */
			strbuf_reset(&parts);
			add_extended(&parts, val.buf, val.len, 1);
			found_parts = -1;
		} else if (attr[nlen] == '*' && isdigit((unsigned char)attr[nlen + 1]) &&
			   found_parts >= 0) {
			/* name*N= or name*N*=: continuations, in order. */
			char *end;
			long n = strtol(attr + nlen + 1, &end, 10);

			if (n == next_part) {
				if (*end == '*' && !quoted)
					add_extended(&parts, val.buf, val.len, n == 0);
				else
					strbuf_addbuf(&parts, &val);
				next_part++;
				found_parts = 1;
			}
		}
		strbuf_release(&val);
	}
	if (found_parts) {
		free(plain);
		return strbuf_detach(&parts, NULL);
	}
	strbuf_release(&parts);
	return plain;
}

/* ---- format=flowed ---- */

void mime_unflow(struct strbuf *out, const char *in, size_t len, int delsp)
{
	const char *p = in, *end = in + len;
	int open = 0, open_depth = 0;	/* a flowed paragraph awaits its end */

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *c = p;
		int depth = 0, flowed;
		size_t clen;

		if (le > p && le[-1] == '\r')
			le--;
		while (c < le && *c == '>') {
			depth++;
			c++;
		}
		if (c < le && *c == ' ')
			c++;	/* space-stuffing, or the space after the quote marks */
		clen = (size_t)(le - c);
		flowed = clen && c[clen - 1] == ' ' &&
			 !(clen == 3 && !memcmp(c, "-- ", 3));
		if (open && depth != open_depth) {
			/* A quote depth change ends a paragraph whatever its last line said. */
			strbuf_addch(out, '\n');
			open = 0;
		}
		if (!open) {
			int i;

			for (i = 0; i < depth; i++)
				strbuf_addch(out, '>');
			if (depth && clen)
				strbuf_addch(out, ' ');
		}
		if (flowed && delsp)
			clen--;
		strbuf_add(out, c, clen);
		if (flowed && nl) {
			open = 1;
			open_depth = depth;
		} else {
			open = 0;
			if (nl)
				strbuf_addch(out, '\n');
		}
		p = nl ? nl + 1 : end;
	}
	if (open)
		strbuf_addch(out, '\n');
}

/* ---- HTML ---- */

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
	{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "#39", '\'' },
};

/* Tags after which text continues on a new line. */
static int is_block_tag(const char *t, size_t len)
{
	static const char *const tags[] = {
		"br", "p", "/p", "div", "/div", "tr", "/tr", "li", "/li", "pre",
		"/pre", "blockquote", "/blockquote", "h1", "h2", "h3", "h4",
		"/h1", "/h2", "/h3", "/h4", "hr", "table", "/table",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tags); i++)
		if (strlen(tags[i]) == len && !strncasecmp(t, tags[i], len))
			return 1;
	return 0;
}

void mime_html_to_text(struct strbuf *out, const char *in, size_t len)
{
	const char *p = in, *end = in + len;

	while (p < end) {
		if (*p == '<') {
			const char *t = p + 1, *te, *close;
			size_t tlen;

			while (t < end && isspace((unsigned char)*t))
				t++;
			te = t;
			while (te < end && (isalnum((unsigned char)*te) || *te == '/' || *te == '!'))
				te++;
			tlen = (size_t)(te - t);
			close = memchr(p, '>', (size_t)(end - p));
			if (!close)
				break;
			if ((tlen == 5 && !strncasecmp(t, "style", 5)) ||
			    (tlen == 6 && !strncasecmp(t, "script", 6)) ||
			    (tlen == 4 && !strncasecmp(t, "head", 4))) {
				/* Skip to the closing tag: their content is not text. */
				const char *q = close + 1;

				while (q < end) {
					const char *lt = memchr(q, '<', (size_t)(end - q));

					if (!lt || (lt + 1 + tlen < end && lt[1] == '/' &&
						    !strncasecmp(lt + 2, t, tlen)))
						break;
					q = lt + 1;
				}
				q = q < end ? memchr(q, '>', (size_t)(end - q)) : NULL;
				p = q ? q + 1 : end;
				continue;
			}
			if (is_block_tag(t, tlen) && out->len && out->buf[out->len - 1] != '\n')
				strbuf_addch(out, '\n');
			p = close + 1;
		} else if (*p == '&') {
			const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
			size_t i, n = semi ? (size_t)(semi - p - 1) : 0;
			int done = 0;

			for (i = 0; semi && i < ARRAY_SIZE(entities); i++)
				if (strlen(entities[i].name) == n && !memcmp(p + 1, entities[i].name, n)) {
					add_codepoint(out, entities[i].cp);
					done = 1;
				}
			if (!done && semi && n >= 2 && p[1] == '#') {
				unsigned long cp = p[2] == 'x' || p[2] == 'X' ?
					strtoul(p + 3, NULL, 16) : strtoul(p + 2, NULL, 10);

				if (cp && cp < 0x10000 && (cp < 0xd800 || cp > 0xdfff)) {
					add_codepoint(out, (unsigned)cp);
					done = 1;
				}
			}
			if (done) {
				p = semi + 1;
			} else {
				strbuf_addch(out, '&');
				p++;
			}
		} else {
			const char *next = p;

			while (next < end && *next != '<' && *next != '&')
				next++;
			strbuf_add(out, p, (size_t)(next - p));
			p = next;
		}
	}
}
