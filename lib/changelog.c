#include "changelog.h"
#include "sentence.h"
#include "textline.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Longer changelog items are left out rather than cut. */
#define MAX_CHANGELOG_ITEM 160

/* Items that say nothing: links to older revisions, b4 placeholders. */
static int is_empty_item(const char *s, size_t len)
{
	return !len || memmem(s, len, "://", 3) || textline_starts_with_ci(s, len, "link to v") ||
	       textline_starts_with_ci(s, len, "editme") || textline_starts_with_ci(s, len, "none") ||
	       textline_starts_with_ci(s, len, "no change") || textline_starts_with_ci(s, len, "n/a") ||
	       memmem(s, len, "lore.kernel.org", 15);
}

/*
 * Walk the changelog block that starts after a header: call fn with each
 * item (bullets stripped, continuation lines joined).  The block ends at a
 * blank line not followed by an item, another header, or a stop line.
 */
static int walk_block(const char **p, int (*fn)(const char *item, size_t len, void *data),
		      void *data)
{
	struct strbuf item = STRBUF_INIT;
	struct textline ln;
	const char *save;
	int blank = 0, ret = 0;

	while ((save = *p), textline_next(p, &ln)) {
		unsigned v;
		size_t rest, b;

		if (!ln.len) {
			blank = 1;
			continue;
		}
		b = textline_bullet_len(ln.l, ln.len);
		if (textline_changelog_header(ln.l, ln.len, &v, &rest) ||
		    textline_is_stop(ln.raw, ln.rawlen, ln.l, ln.len) || (blank && !b)) {
			*p = save;
			break;
		}
		if (textline_is_separator(ln.l, ln.len))
			continue;	/* "====" under a header is no item */
		if (!b && item.len && !blank &&
		    (ln.l != ln.raw || islower((unsigned char)ln.l[0]) ||
		     !sentence_is_balanced(item.buf, item.len))) {
			/* A continuation line of the item before, maybe not indented. */
			strbuf_addch(&item, ' ');
			strbuf_add(&item, ln.l, ln.len);
			continue;
		}
		if (item.len && (ret = fn(item.buf, item.len, data)))
			goto out;
		strbuf_reset(&item);
		strbuf_add(&item, ln.l + b, ln.len - b);
		blank = 0;
	}
	if (item.len)
		ret = fn(item.buf, item.len, data);
out:
	strbuf_release(&item);
	return ret;
}

static int first_item(const char *s, size_t len, void *data)
{
	struct strbuf *out = data;
	size_t start = out->len;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	/* "v8: - Add x", an item on the header line, keeps its bullet. */
	{
		size_t b = textline_bullet_len(s, len);

		s += b;
		len -= b;
	}
	if (is_empty_item(s, len) || len > MAX_CHANGELOG_ITEM || textline_is_separator(s, len) ||
	    !sentence_is_balanced(s, len))
		return 0;
	/* Its first sentence: "Fix X. Suggested by Y." says "fix X". */
	{
		char *item = xstrndup(s, len);
		const char *end = sentence_first_end(item);

		if (end)
			len = (size_t)(end - item);
		free(item);
	}
	strbuf_add(out, s, len);
	textline_strip_footnotes(out, start);
	strbuf_rtrim(out);
	while (out->len > start && strchr(".;,:", out->buf[out->len - 1]))
		strbuf_setlen(out, out->len - 1);
	/* "Fix the leak" reads as a clause: "fix the leak". */
	if (out->len > start + 1 && isupper((unsigned char)out->buf[start]) &&
	    islower((unsigned char)out->buf[start + 1]))
		out->buf[start] = (char)tolower((unsigned char)out->buf[start]);
	return 1;
}

int changelog_item(struct strbuf *out, const char *text, unsigned version)
{
	const char *p = text, *unversioned = NULL;
	struct textline ln;
	int versioned = 0;

	if (!text)
		return 0;
	while (textline_next(&p, &ln)) {
		unsigned v;
		size_t rest;

		if (!textline_changelog_header(ln.l, ln.len, &v, &rest))
			continue;
		if (v)
			versioned = 1;
		if (v == version) {
			const char *q = p;

			if (first_item(ln.l + rest, ln.len - rest, out) ||
			    walk_block(&q, first_item, out))
				return 1;
		} else if (!v && !unversioned) {
			unversioned = p;
		}
	}
	/* "Changes:" alone describes this revision, unless others are numbered. */
	if (unversioned && !versioned)
		return walk_block(&unversioned, first_item, out);
	return 0;
}

static int copy_item(const char *s, size_t len, void *data)
{
	struct strbuf *out = data;

	strbuf_addstr(out, "- ");
	strbuf_add(out, s, len);
	strbuf_addch(out, '\n');
	return 0;
}

void changelog_lines(struct strbuf *out, const char *text)
{
	const char *p = text;
	struct textline ln;

	if (!text)
		return;
	while (textline_next(&p, &ln)) {
		unsigned v;
		size_t rest;

		if (!textline_changelog_header(ln.l, ln.len, &v, &rest))
			continue;
		strbuf_add(out, ln.l, ln.len);
		strbuf_addch(out, '\n');
		walk_block(&p, copy_item, out);
	}
}

/* " kernel/bpf/core.c | 3 +-" or " a.bin | Bin 0 -> 12 bytes" */
static int is_diffstat_file_line(const char *l, size_t len)
{
	const char *bar = memchr(l, '|', len), *end = l + len, *p;

	if (!bar || bar == l)
		return 0;
	for (p = l; p < bar - 1; p++)
		if (*p == ' ')
			return 0;
	p = bar + 1;
	while (p < end && *p == ' ')
		p++;
	if (end - p >= 3 && !strncmp(p, "Bin", 3))
		return 1;
	if (p == end || !isdigit((unsigned char)*p))
		return 0;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	while (p < end && (*p == ' ' || *p == '+' || *p == '-'))
		p++;
	return p == end;
}

void changelog_diffstat(struct strbuf *out, const char *notes)
{
	const char *p = notes;
	struct textline ln;

	if (!notes)
		return;
	while (textline_next(&p, &ln)) {
		size_t i = 0;

		while (i < ln.len && isdigit((unsigned char)ln.l[i]))
			i++;
		if (is_diffstat_file_line(ln.l, ln.len) ||
		    (i && textline_starts_with_ci(ln.l + i, ln.len - i, " file"))) {
			strbuf_add(out, ln.l, ln.len);
			strbuf_addch(out, '\n');
		}
	}
}
