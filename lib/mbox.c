#include "mbox.h"
#include "strbuf.h"

#include <stdint.h>
#include <string.h>

#include <ctype.h>

/*
 * Whether the "From " line at s looks like a separator: an envelope
 * sender, then a date with its time ("Thu Jan  1 00:00:00 1970").  An
 * mboxo body's unquoted "From the start, ..." after a blank line is
 * not one; git mailsplit checks for the time the same way.
 */
static int is_envelope(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len), *p;
	size_t i, llen = nl ? (size_t)(nl - s) : len;

	p = memchr(s + 5, ' ', llen - 5);
	if (!p || p == s + 5)
		return 0;
	for (i = (size_t)(p - s); i + 4 < llen; i++)
		if (s[i] == ':' && isdigit((unsigned char)s[i - 1]) && isdigit((unsigned char)s[i - 2]) &&
		    isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]))
			return 1;
	return 0;
}

static int is_separator(const char *buf, size_t len, size_t pos)
{
	if (len - pos < 5 || memcmp(buf + pos, "From ", 5))
		return 0;
	return pos == 0 ||
	       (((pos >= 2 && buf[pos - 1] == '\n' && buf[pos - 2] == '\n') ||
		 (pos >= 3 && buf[pos - 1] == '\n' && buf[pos - 2] == '\r' && buf[pos - 3] == '\n')) &&
		is_envelope(buf + pos, len - pos));
}

/* The blank lines before the first "From " line, as git mailsplit skips them. */
static size_t leading_blank_lines(const char *buf, size_t len)
{
	size_t i = 0, line = 0;

	while (i < len && isspace((unsigned char)buf[i]))
		if (buf[i++] == '\n')
			line = i;
	return i == line && i + 5 <= len && !memcmp(buf + i, "From ", 5) ? line : 0;
}

/* Whether s[0, len) ends with an empty line ("\n\n" or "\n\r\n"). */
static int ends_with_blank_line(const char *s, size_t len)
{
	return (len >= 2 && s[len - 1] == '\n' && s[len - 2] == '\n') ||
	       (len >= 3 && s[len - 1] == '\n' && s[len - 2] == '\r' && s[len - 3] == '\n');
}

int mbox_is_mbox(const char *buf, size_t len)
{
	return (len >= 5 && !memcmp(buf, "From ", 5)) || leading_blank_lines(buf, len);
}

long mbox_split(const char *buf, size_t len, mbox_message_fn fn, void *data)
{
	size_t pos = 0, start, from_line;
	long n = 0;
	int ret;

	if (!len)
		return 0;
	/* Offsets stay those of the input: the first message is at pos. */
	pos = leading_blank_lines(buf, len);
	if (!pos && !is_separator(buf, len, 0)) {
		ret = fn(buf, len, 0, data);
		return ret ? ret : 1;
	}
	while (pos < len) {
		const char *nl;
		size_t end;

		from_line = pos;
		nl = memchr(buf + pos, '\n', len - pos);
		start = nl ? (size_t)(nl - buf) + 1 : len;
		/* Find the next separator. */
		end = start;
		for (;;) {
			const char *next = memchr(buf + end, '\n', len - end);

			if (!next) {
				end = len;
				break;
			}
			end = (size_t)(next - buf) + 1;
			if (is_separator(buf, len, end))
				break;
		}
		pos = end;
		/*
		 * The empty line before a separator belongs to the separator;
		 * so does the one that ends the last message, as every writer
		 * ends each message with one.
		 */
		if (end > start && buf[end - 1] == '\n' &&
		    (end < len || ends_with_blank_line(buf + start, end - start))) {
			end--;
			if (end > start && buf[end - 1] == '\r')
				end--;
		}
		ret = fn(buf + start, end - start, from_line, data);
		n++;
		if (ret)
			return ret;
	}
	return n;
}

/* Length of the ">...>From " quoting at the start of a line, or 0. */
static size_t quoted_from(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == '>')
		i++;
	if (i && len - i >= 5 && !memcmp(s + i, "From ", 5))
		return i;
	return 0;
}

static void unquote(struct strbuf *out, const char *msg, size_t len, size_t max_quotes)
{
	size_t pos = 0;

	strbuf_grow(out, len);
	while (pos < len) {
		const char *nl = memchr(msg + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - msg) - pos + 1 : len - pos;
		size_t q = msg[pos] == '>' ? quoted_from(msg + pos, llen) : 0;

		if (q && q <= max_quotes)
			strbuf_add(out, msg + pos + 1, llen - 1);
		else
			strbuf_add(out, msg + pos, llen);
		pos += llen;
	}
}

void mbox_unquote(struct strbuf *out, const char *msg, size_t len)
{
	unquote(out, msg, len, SIZE_MAX);
}

void mbox_unquote_mboxo(struct strbuf *out, const char *msg, size_t len)
{
	unquote(out, msg, len, 1);
}

void mbox_quote(struct strbuf *out, const char *msg, size_t len)
{
	size_t pos = 0;

	strbuf_grow(out, len + 16);
	while (pos < len) {
		const char *nl = memchr(msg + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - msg) - pos + 1 : len - pos;

		if (quoted_from(msg + pos, llen) || (llen >= 5 && !memcmp(msg + pos, "From ", 5)))
			strbuf_addch(out, '>');
		strbuf_add(out, msg + pos, llen);
		pos += llen;
	}
}
