#include "mbox.h"
#include "strbuf.h"

#include <stdint.h>
#include <string.h>

static int is_separator(const char *buf, size_t len, size_t pos)
{
	if (len - pos < 5 || memcmp(buf + pos, "From ", 5))
		return 0;
	return pos == 0 || (pos >= 2 && buf[pos - 1] == '\n' && buf[pos - 2] == '\n') ||
	       (pos >= 3 && buf[pos - 1] == '\n' && buf[pos - 2] == '\r' && buf[pos - 3] == '\n');
}

long mbox_split(const char *buf, size_t len, mbox_message_fn fn, void *data)
{
	size_t pos = 0, start, from_line;
	long n = 0;
	int ret;

	if (!len)
		return 0;
	if (!is_separator(buf, len, 0)) {
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
		/* The empty line before a separator belongs to the separator. */
		if (end < len && end > start && buf[end - 1] == '\n') {
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
