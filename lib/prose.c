#include "prose.h"
#include "sentence.h"
#include "strbuf.h"
#include "textline.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * "Signed-off-by: ...", "Fixes: ...", "Link: ...": git trailers keep
 * hyphenated keys; the few common unhyphenated ones are listed.
 */
static int is_trailer_line(const char *l, size_t len)
{
	static const char *const keys[] = {
		"fixes", "link", "closes", "cc", "bug", "buglink", "to",
	};
	size_t k = 0, i;
	int hyphen = 0;

	if (!len || !isalpha((unsigned char)l[0]))
		return 0;
	while (k < len && (isalnum((unsigned char)l[k]) || l[k] == '-' || l[k] == '_')) {
		hyphen |= l[k] == '-';
		k++;
	}
	if (k >= len || l[k] != ':' || (k + 1 < len && l[k + 1] != ' '))
		return 0;
	if (hyphen)
		return 1;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (k == strlen(keys[i]) && !strncasecmp(l, keys[i], k))
			return 1;
	return 0;
}

static int is_url_line(const char *l, size_t len)
{
	size_t i = 0;

	/* "[1] https://...": a footnote. */
	if (len && l[0] == '[') {
		while (i < len && l[i] != ']')
			i++;
		i++;
		while (i < len && l[i] == ' ')
			i++;
	}
	return textline_starts_with_ci(l + i, len - i, "http://") ||
	       textline_starts_with_ci(l + i, len - i, "https://") ||
	       textline_starts_with_ci(l + i, len - i, "git://");
}

/* Lists longer than this, or with longer items, are not folded into their lead. */
#define MAX_FOLD_ITEMS 6
#define MAX_FOLD_ITEM_WORDS 12
#define MAX_FOLD_WORDS 50

struct para {
	struct strbuf *out;
	size_t para_start;	/* where the current paragraph starts in out */
	size_t last_start;	/* where the last kept paragraph starts, or SIZE_MAX */
	int open;		/* a paragraph is being built */
	int any;		/* some prose was kept */
	int drop_first;		/* its first sentence continues a dropped block */
};

/* A list being read, and the paragraph that leads into it. */
struct list {
	int active, blank;
	size_t lead;		/* the lead paragraph's start in out, or SIZE_MAX */
	struct strbuf items;	/* items, each ended by '\n' */
	size_t nr, words, item_words;
	int foldable;
};

/* Where the last sentence of out[from..] starts. */
static int mark_start(const char *s, size_t len, void *data)
{
	const char **last = data;

	*last = s;
	return 0;
}

static size_t last_sentence_start(const struct strbuf *out, size_t from)
{
	const char *last = NULL;

	sentence_split(out->buf + from, mark_start, &last);
	return last ? (size_t)(last - out->buf) : from;
}

/* Remove the paragraph that starts at start (the last one of out). */
static void drop_paragraph(struct strbuf *out, size_t start)
{
	strbuf_setlen(out, start ? start - 1 : 0);
}

/* Remove the last sentence of the paragraph at start; the paragraph too when it was all. */
static void drop_last_sentence(struct strbuf *out, size_t start)
{
	size_t at = last_sentence_start(out, start);

	if (at <= start) {
		drop_paragraph(out, start);
		return;
	}
	strbuf_setlen(out, at);
	strbuf_rtrim(out);
}

/* Kept when 1. */
static int para_flush(struct para *pr)
{
	struct strbuf *out = pr->out;
	size_t start = pr->para_start;

	if (!pr->open)
		return 0;
	pr->open = 0;
	textline_strip_footnotes(out, start);
	strbuf_rtrim(out);
	if (pr->drop_first && out->len > start) {
		const char *end = sentence_first_end(out->buf + start);

		pr->drop_first = 0;
		if (end) {
			size_t from = (size_t)(end - out->buf);

			while (from < out->len && out->buf[from] == ' ')
				from++;
			memmove(out->buf + start, out->buf + from, out->len - from);
			strbuf_setlen(out, out->len - (from - start));
		}
	}
	if (out->len < start || textline_count_words(out->buf + start, out->len - start) < 2 ||
	    textline_is_greeting(out->buf + start, out->len - start)) {
		/* Too short to say anything, or "Hi all,": drop it. */
		drop_paragraph(out, start);
		return 0;
	}
	pr->any = 1;
	pr->last_start = start;
	return 1;
}

static void para_add(struct para *pr, const char *l, size_t len)
{
	if (!pr->open) {
		if (pr->out->len)
			strbuf_addch(pr->out, '\n');
		pr->para_start = pr->out->len;
		pr->open = 1;
	} else {
		strbuf_addch(pr->out, ' ');
	}
	strbuf_add(pr->out, l, len);
	strbuf_rtrim(pr->out);
}

/* 1 when the last kept paragraph is the end of out and ends with c. */
static int last_para_ends_with(const struct para *pr, char c)
{
	const struct strbuf *out = pr->out;

	return pr->last_start != SIZE_MAX && pr->last_start <= out->len && out->len &&
	       out->buf[out->len - 1] == c;
}

/* The last kept paragraph leads into what follows: "as follows:", "So that". */
static int last_para_unfinished(const struct para *pr)
{
	const struct strbuf *out = pr->out;

	return pr->last_start != SIZE_MAX && pr->last_start <= out->len && out->len &&
	       !strchr(".!?)\"'", out->buf[out->len - 1]);
}

static void list_item(struct list *li, const char *l, size_t len)
{
	size_t words = textline_count_words(l, len);

	if (li->nr >= MAX_FOLD_ITEMS || words > MAX_FOLD_ITEM_WORDS || textline_is_code_or_log(l, len) ||
	    memmem(l, len, ". ", 2))
		li->foldable = 0;
	while (len && strchr(".;,", l[len - 1]))
		len--;
	strbuf_add(&li->items, l, len);
	strbuf_addch(&li->items, '\n');
	li->nr++;
	li->words += words;
	li->item_words = words;
}

/* A wrapped item: its next line joins it. */
static void list_continue(struct list *li, const char *l, size_t len)
{
	size_t words = textline_count_words(l, len);

	if (li->items.len)
		strbuf_setlen(&li->items, li->items.len - 1);
	strbuf_addch(&li->items, ' ');
	while (len && strchr(".;,", l[len - 1]))
		len--;
	strbuf_add(&li->items, l, len);
	strbuf_addch(&li->items, '\n');
	li->words += words;
	li->item_words += words;
	if (li->words > MAX_FOLD_WORDS || li->item_words > MAX_FOLD_ITEM_WORDS)
		li->foldable = 0;
}

/*
 * The end of a list: its items folded into the sentence that leads into
 * it ("Move code into do_check_insn(), replace" + items: "..., replace
 * A with B, C with D and E with F."), or that sentence dropped with them.
 */
static void list_end(struct para *pr, struct list *li)
{
	struct strbuf *out = pr->out;

	if (!li->active)
		return;
	if (li->lead != SIZE_MAX && li->lead <= out->len && out->len &&
	    !strchr(".!?)", out->buf[out->len - 1])) {
		int colon = out->buf[out->len - 1] == ':';

		if (li->foldable && li->nr >= 2 && li->words <= MAX_FOLD_WORDS) {
			const char *p = li->items.buf;
			size_t k = 0;

			while (out->len > li->lead && strchr(": ", out->buf[out->len - 1]))
				strbuf_setlen(out, out->len - 1);
			while (*p) {
				const char *nl = strchr(p, '\n');

				strbuf_addstr(out, k == 0 ? (colon ? ": " : " ") : k + 1 == li->nr ? " and " : ", ");
				/* "Add x" reads as "add x" inside the sentence. */
				if (nl - p > 1 && isupper((unsigned char)p[0]) && islower((unsigned char)p[1]))
					strbuf_addch(out, tolower((unsigned char)*p++));
				strbuf_add(out, p, (size_t)(nl - p));
				p = nl + 1;
				k++;
			}
			strbuf_addch(out, '.');
		} else {
			drop_last_sentence(out, li->lead);
		}
		pr->last_start = SIZE_MAX;
	}
	strbuf_reset(&li->items);
	li->active = li->blank = 0;
	li->nr = li->words = 0;
	li->lead = SIZE_MAX;
}

void prose_text(struct strbuf *out, const char *text)
{
	struct para pr = { out, out->len, SIZE_MAX, 0, 0, 0 };
	struct list li = { 0, 0, SIZE_MAX, STRBUF_INIT, 0, 0, 0, 1 };
	const char *p = text;
	size_t quoted = SIZE_MAX;
	int leading = 1, in_changelog = 0, in_note = 0, in_fence = 0, in_block = 0;
	int after_block = 0;

	if (!text)
		return;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t rawlen = nl ? (size_t)(nl - p) : strlen(p), len = rawlen, rest, b;
		const char *l = p;
		unsigned version;

		textline_trim(&l, &len);
		if (!len) {
			para_flush(&pr);
			in_changelog = in_block = 0;
			li.blank = li.active;
			goto next;
		}
		if (leading && (textline_starts_with_ci(l, len, "From:") || textline_starts_with_ci(l, len, "Date:") ||
				textline_starts_with_ci(l, len, "Subject:")))
			goto next;	/* in-body headers of a patch sent for someone else */
		leading = 0;
		b = textline_bullet_len(l, len);
		if (li.active && !b && (li.blank || in_fence)) {
			list_end(&pr, &li);
		} else if (li.active && !b && !textline_is_stop(p, rawlen, l, len) &&
			   !is_trailer_line(l, len) && !textline_changelog_header(l, len, &version, &rest)) {
			/* A wrapped item: "For non-JIT\ncases, reject loading directly." */
			list_continue(&li, l, len);
			goto next;
		}
		if (in_fence || (len >= 3 && !strncmp(l, "```", 3))) {
			/* A Markdown code block, fences included. */
			if (!strncmp(l, "```", 3))
				in_fence = !in_fence;
			para_flush(&pr);
		} else if (in_note || l[0] == '[') {
			/*
			 * "[ Joel: reworded ]" is a note by whoever applied or
			 * forwarded the patch, maybe over several lines;
			 * "[   12.3] BUG" a log line, "[1] https://" a footnote;
			 * "[ Upstream commit ... ]" a backport's header.
			 */
			size_t k = 1;

			while (!in_note && k < len && l[k] == ' ')
				k++;
			in_note = (in_note || (k < len && isalpha((unsigned char)l[k]))) &&
				  l[len - 1] != ']';
			para_flush(&pr);
		} else if (textline_is_stop(p, rawlen, l, len)) {
			break;
		} else if (textline_changelog_header(l, len, &version, &rest)) {
			/* A changelog after the description ends it; before it, skip it. */
			para_flush(&pr);
			if (pr.any)
				break;
			in_changelog = 1;
		} else if (!in_changelog && b && l == p) {
			/*
			 * A list: led by the paragraph it follows at once, or
			 * by one that ends with ":".
			 */
			int open = pr.open, kept = para_flush(&pr);

			if (!li.active) {
				li.active = 1;
				li.foldable = 1;
				li.lead = (open && kept) || last_para_ends_with(&pr, ':') ? pr.last_start :
				          SIZE_MAX;
			}
			li.blank = 0;
			list_item(&li, l + b, len - b);
		} else if (quoted == SIZE_MAX && !pr.open && textline_starts_with_ci(l, len, "Patch series \"")) {
			/* A backport quotes the upstream cover ahead of "This patch (of 7):". */
			quoted = out->len;
			para_add(&pr, l, len);
		} else if (quoted != SIZE_MAX && textline_starts_with_ci(l, len, "This patch (of ")) {
			para_flush(&pr);
			strbuf_setlen(out, quoted);
			pr.any = 0;
			pr.last_start = SIZE_MAX;
			quoted = SIZE_MAX - 1;
		} else if (in_changelog || in_block || l != p || b || l[0] == '>' ||
			   l[0] == '|' || is_url_line(l, len) || is_trailer_line(l, len) ||
			   textline_is_code_or_log(l, len) || textline_is_shell(l, len) || textline_is_pasted(l, len) ||
			   (len >= 6 && !strncmp(l + len - 6, "wrote:", 6)) ||
			   (textline_starts_with_ci(l, len, "commit ") && memmem(l, len, " upstream", 9))) {
			/*
			 * Indented lines are code, logs or lists; quotes, URLs,
			 * trailers and lists are not prose either.  They end the
			 * paragraph around them, and the sentence that led into
			 * them ("as follows:") goes with them.  What a shell or
			 * a log prints runs to the next blank line.
			 */
			int open = pr.open, kept = para_flush(&pr);

			if (is_url_line(l, len))
				after_block = 1;	/* "URL and this series\ntries to ..." */
			if (!in_changelog && !is_trailer_line(l, len) && !is_url_line(l, len) &&
			    l[0] != '>') {
				if (((open && kept) || !open) && last_para_unfinished(&pr))
					drop_last_sentence(out, pr.last_start);
				after_block = 1;
				in_block |= l == p && !b && (textline_is_shell(l, len) || textline_is_pasted(l, len) ||
							     textline_is_code_or_log(l, len));
			}
		} else {
			/* "should have no conflict since ...": the rest of a sentence cut by code. */
			if (!pr.open && after_block && textline_is_english_start(l, len))
				pr.drop_first = 1;
			after_block = 0;
			para_add(&pr, l, len);
		}
next:
		if (!nl)
			break;
		p = nl + 1;
	}
	para_flush(&pr);
	list_end(&pr, &li);
	strbuf_release(&li.items);
	strbuf_rtrim(out);
}

void prose_lead(struct strbuf *out, const char *text, size_t max)
{
	struct strbuf prose = STRBUF_INIT;
	struct sentence_collect c = { out, 0, 0, 0, 0 };

	if (!text || !max)
		return;
	prose_text(&prose, text);
	sentence_collect(&c, prose.buf, max);
	strbuf_release(&prose);
}
