/*
 * mail-trailer.c - a mail's trailers, with git's rules.
 *
 * The message's trailer block is found as git_message_trailers() finds
 * it (mail.h says how); review trailers ("Acked-by: Name <email>")
 * quoted or indented elsewhere in the unquoted text are taken one line
 * at a time.  Both join continuation lines as git does.
 */
#include "mail.h"
#include "mail-header.h"
#include "mail-trailer.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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
			if ((llen >= 15 && !memcmp(line, "Signed-off-by: ", 15)) ||
			    (llen >= 27 && !memcmp(line, "(cherry picked from commit ", 27))) {
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
void mail_trailer_review(struct mail *m, size_t *alloc, const char *l, const char *end)
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

void mail_trailer_block(struct mail *m, size_t *alloc, const char *s, size_t len,
			size_t *start, size_t *end)
{
	*end = trailer_block_end(s, len);
	*start = trailer_block_start(s, *end);
	if (*start < *end) {
		const char *p = s + *start;

		while (p < s + *end)
			p = take_trailer(m, alloc, p, s + *end, 1);
	}
}
