#include "textsafe.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"

/*
 * The code point of the UTF-8 sequence at s (at most len bytes) into
 * *cp; returns its length, or 0 when the bytes are not valid UTF-8
 * (overlong forms and surrogates included).
 */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int is_unsafe(uint32_t c, int multiline)
{
	if (c < 0x20)
		return !(multiline && (c == '\n' || c == '\t'));
	if (c < 0x7f)
		return 0;
	return c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) ||
	       /* Invisible: marks that turn text around, separators that break it. */
	       c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029 ||
	       c == 0xfeff || (c >= 0xe0000 && c <= 0xe007f);
}

/* Bytes of s[0, len) that are safe as they are, from the start. */
static size_t safe_prefix(const char *s, size_t len, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n;

		/* Printable ASCII, nearly all of it, costs one test. */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &c);
		if (!n || is_unsafe(c, multiline))
			break;
		i += n;
	}
	return i;
}

static void add_safe(struct strbuf *out, const char *s, size_t len, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t run = safe_prefix(s + i, len - i, multiline), n;
		uint32_t c;

		strbuf_add(out, s + i, run);
		i += run;
		if (i == len)
			break;
		n = utf8_decode(p + i, len - i, &c);
		if (!n) {
			strbuf_addstr(out, REPLACEMENT);
			i++;
		} else {
			strbuf_addch(out, ' ');
			i += n;
		}
	}
}

void textsafe_line(struct strbuf *out, const char *s, size_t len)
{
	add_safe(out, s, len, 0);
}

void textsafe_text(struct strbuf *out, const char *s, size_t len)
{
	add_safe(out, s, len, 1);
}

int textsafe_is_safe(const char *s, size_t len, int multiline)
{
	return safe_prefix(s, len, multiline) == len;
}

char *textsafe_line_owned(char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;

	if (!s)
		return NULL;
	len = strlen(s);
	if (textsafe_is_safe(s, len, 0))
		return s;
	add_safe(&sb, s, len, 0);
	free(s);
	return strbuf_detach(&sb, NULL);
}

void textsafe_strbuf(struct strbuf *sb, size_t from, int multiline)
{
	struct strbuf out = STRBUF_INIT;

	if (from >= sb->len || textsafe_is_safe(sb->buf + from, sb->len - from, multiline))
		return;
	strbuf_add(&out, sb->buf, from);
	add_safe(&out, sb->buf + from, sb->len - from, multiline);
	strbuf_release(sb);
	*sb = out;
}

void textsafe_cap(struct strbuf *out, const char *s, size_t max)
{
	size_t i, chars = 0, cut = 0;

	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars + 1 == max)
			cut = i;	/* where the ellipsis goes, if there must be one */
		if (++chars > max) {
			strbuf_add(out, s, cut);
			strbuf_addstr(out, "\xe2\x80\xa6");
			return;
		}
	}
	strbuf_add(out, s, i);
}
