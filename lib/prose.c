#include "prose.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sentences from the opening paragraph of a lead. */
#define MAX_FIRST_PARAGRAPH 2

int prose_starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && !strncasecmp(s, prefix, plen);
}

static void skip_space(const char **l, size_t *len)
{
	while (*len && isspace((unsigned char)**l)) {
		(*l)++;
		(*len)--;
	}
}

size_t prose_count_words(const char *s, size_t len)
{
	size_t i, n = 0;
	int in = 0;

	for (i = 0; i < len; i++) {
		int sp = isspace((unsigned char)s[i]);

		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

/* "- item", "* item", "+ item", "1. item", "2) item", "a) item". */
size_t prose_bullet_len(const char *l, size_t len)
{
	size_t i = 0;

	if (len >= 2 && strchr("-*+", l[0]) && l[1] == ' ')
		return 2;
	if (len >= 3 && !strncmp(l, "\xe2\x80\xa2", 3))	/* U+2022 BULLET */
		return 3;
	while (i < len && i < 3 && isdigit((unsigned char)l[i]))
		i++;
	/* "3-5: items three to five" */
	if (i && i + 1 < len && l[i] == '-' && isdigit((unsigned char)l[i + 1]))
		for (i++; i < len && isdigit((unsigned char)l[i]); i++)
			;
	if (!i && len >= 2 && islower((unsigned char)l[0]) && l[1] == ')')
		i = 1;
	if (i && i + 1 < len && (l[i] == '.' || l[i] == ')' || l[i] == ':') && l[i + 1] == ' ')
		return i + 2;
	return 0;
}

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

/* "-----", "=====", "~~~~~": an underline or a separator. */
int prose_is_separator(const char *l, size_t len)
{
	size_t i;

	for (i = 1; i < len && l[i] == l[0]; i++)
		;
	return len >= 3 && i == len && strchr("-=~_*#", l[0]);
}

/* Unindented code, logs and separators, as pasted into commit messages. */
static int is_code_or_log(const char *l, size_t len)
{
	static const char *const logs[] = {
		"BUG:", "WARNING:", "RIP:", "Call Trace:", "Oops", "KASAN:", "UBSAN:",
		"Modules linked in:", "CPU:", "Hardware name:", "#include", "$ ", "# ",
		"//", "/*", "---[", "==",
	};
	size_t i;
	char last = l[len - 1];

	for (i = 0; i < ARRAY_SIZE(logs); i++)
		if (prose_starts_with_ci(l, len, logs[i]))
			return 1;
	if (last == ';' || last == '{' || last == '}')
		return 1;
	/* "+0x1c/0x40" in traces; "file.c:13:2: error:" from compilers. */
	if (memmem(l, len, "+0x", 3) || memmem(l, len, ": error:", 8) ||
	    memmem(l, len, ": warning:", 10) || memmem(l, len, ": note:", 7))
		return 1;
	return prose_is_separator(l, len);
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
	return prose_starts_with_ci(l + i, len - i, "http://") ||
	       prose_starts_with_ci(l + i, len - i, "https://") ||
	       prose_starts_with_ci(l + i, len - i, "git://");
}

/* Where the prose ends: signatures, b4 footers, shortlogs, diffstats, pulls. */
int prose_is_stop_line(const char *raw, size_t rawlen, const char *l, size_t len)
{
	size_t i;

	if ((rawlen == 3 && !strncmp(raw, "-- ", 3)) || (rawlen == 3 && !strncmp(raw, "---", 3)) ||
	    (rawlen == 2 && !strncmp(raw, "--", 2)))
		return 1;
	if (prose_starts_with_ci(l, len, "base-commit:") || prose_starts_with_ci(l, len, "change-id:") ||
	    prose_starts_with_ci(l, len, "prerequisite-") ||
	    prose_starts_with_ci(l, len, "The following changes since commit"))
		return 1;
	/* " 3 files changed, 10 insertions(+)" */
	i = 0;
	while (i < len && isdigit((unsigned char)l[i]))
		i++;
	if (i && (prose_starts_with_ci(l + i, len - i, " files changed") ||
		  prose_starts_with_ci(l + i, len - i, " file changed")))
		return 1;
	/* A shortlog header: "Jane Developer (3):" */
	if (len > 4 && l[len - 1] == ':' && l[len - 2] == ')') {
		i = len - 3;
		while (i > 0 && isdigit((unsigned char)l[i]))
			i--;
		if (i < len - 3 && l[i] == '(' && i > 1 && l[i - 1] == ' ')
			return 1;
	}
	return 0;
}

/* Words that may follow "Changes" in a changelog header. */
static int is_changelog_word(const char *w, size_t len)
{
	static const char *const words[] = {
		"in", "since", "from", "for", "to", "version", "log", "between", "previous",
		"last", "compared", "with", "and", "the", "revision", "revisions", "vs", "vs.",
		"of", "this", "series", "patch", "patchset", "rfc", "->", "-->", "..", "\xe2\x86\x92",
	};
	size_t i;

	if (len && (w[0] == 'v' || w[0] == 'V' || isdigit((unsigned char)w[0]))) {
		i = isdigit((unsigned char)w[0]) ? 0 : 1;
		while (i < len && isdigit((unsigned char)w[i]))
			i++;
		if (i == len && len > (size_t)!isdigit((unsigned char)w[0]))
			return 1;
		/* "v2->v3" in one word */
		if (i < len && w[i] == '-')
			return 1;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (len == strlen(words[i]) && !strncasecmp(w, words[i], len))
			return 1;
	return 0;
}

/* Parse "vN" (or "RFC vN", "rfc-vN") at *s; returns N or 0. */
static unsigned parse_version(const char **s, const char *end)
{
	const char *p = *s;
	unsigned v = 0;

	if (end - p >= 3 && !strncasecmp(p, "rfc", 3)) {
		p += 3;
		while (p < end && (*p == ' ' || *p == '-'))
			p++;
	}
	if (p < end && (*p == 'v' || *p == 'V') && p + 1 < end && isdigit((unsigned char)p[1])) {
		p++;
		while (p < end && isdigit((unsigned char)*p))
			v = v * 10 + (unsigned)(*p++ - '0');
		*s = p;
		return v;
	}
	return 0;
}

/*
 * A changelog header line: "Changes in v3:", "Changes since v2:",
 * "v2 -> v3:", "v3:", "V3: inline item", "Changelog:".  Returns 1 and
 * sets *version (0 when the header names none) and *rest (the offset of
 * an inline item, len when none).
 */
int prose_changelog_header(const char *l, size_t len, unsigned *version, size_t *rest)
{
	const char *s = l, *end = l + len, *colon;
	size_t b;
	unsigned v;

	while (s < end && isspace((unsigned char)*s))
		s++;
	b = prose_bullet_len(s, (size_t)(end - s));
	if (b && b <= 2)
		s += b;
	*version = 0;
	*rest = len;

	v = parse_version(&s, end);
	if (v) {
		const char *p = s;

		while (p < end && *p == ' ')
			p++;
		/* "v2 -> v3", "v2..v3", "v2 to v3", "v2-v3" */
		if (end - p >= 2 && (!strncmp(p, "->", 2) || !strncmp(p, "..", 2) ||
				     !strncmp(p, "to", 2) || !strncmp(p, "vs", 2) ||
				     !strncmp(p, "\xe2\x86\x92", 3) || p[0] == '-')) {
			const char *q = p;
			unsigned v2;

			while (q < end && !isalnum((unsigned char)*q))
				q++;
			if (end - q >= 2 && !strncmp(q, "to", 2))
				q += 2;
			if (end - q >= 2 && !strncmp(q, "vs", 2))
				q += 2;
			while (q < end && (*q == ' ' || *q == '-' || *q == '>'))
				q++;
			v2 = parse_version(&q, end);
			if (v2) {
				v = v2;
				p = q;
				while (p < end && *p == ' ')
					p++;
			}
		}
		/* "v3 changes:", "v3 changelog:" */
		if (end - p >= 6 && !strncasecmp(p, "change", 6)) {
			while (p < end && *p != ':')
				p++;
		}
		if (p == end || *p == ':' || *p == ')') {
			*version = v;
			if (p < end)
				p++;
			while (p < end && *p == ' ')
				p++;
			*rest = (size_t)(p - l);
			return 1;
		}
		return 0;
	}

	if (!prose_starts_with_ci(s, (size_t)(end - s), "change") &&
	    !prose_starts_with_ci(s, (size_t)(end - s), "revision") &&
	    !prose_starts_with_ci(s, (size_t)(end - s), "history") &&
	    !prose_starts_with_ci(s, (size_t)(end - s), "difference"))
		return 0;
	colon = memchr(s, ':', (size_t)(end - s));
	{
		const char *hend = colon ? colon : end, *w = s;
		unsigned since = 0;

		/* The first word ("Changes", "Changelog", "Change-log") ... */
		while (w < hend && (isalpha((unsigned char)*w) || *w == '-'))
			w++;
		if (w - s > 11)
			return 0;
		/* ... then only changelog words: "in v3", "since v2", "v2 -> v3". */
		while (w < hend) {
			const char *ws;

			while (w < hend && *w == ' ')
				w++;
			ws = w;
			while (w < hend && *w != ' ')
				w++;
			if (w == ws)
				break;
			if (!is_changelog_word(ws, (size_t)(w - ws)))
				return 0;
			if (!strncasecmp(ws, "since", 5) || !strncasecmp(ws, "from", 4))
				since = 1;
			else {
				const char *q = ws;
				unsigned n = parse_version(&q, w);

				if (!n && isdigit((unsigned char)*ws))
					n = (unsigned)atoi(ws);
				if (n)
					*version = since ? n + 1 : n;
				since = 0;
			}
		}
		if (!colon && prose_count_words(s, (size_t)(end - s)) > 4)
			return 0;
		if (colon) {
			const char *p = colon + 1;

			while (p < end && *p == ' ')
				p++;
			*rest = (size_t)(p - l);
		}
	}
	return 1;
}

/* "as described in [1]": without the marker, "in" points at nothing. */
static size_t drop_pointer_word(const char *buf, size_t from, size_t w)
{
	static const char *const words[] = { "in", "at", "see", "from", "by", "per", "on", "to", "of" };
	size_t start = w, i;

	while (start > from && isalpha((unsigned char)buf[start - 1]))
		start--;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (w - start == strlen(words[i]) && !strncasecmp(buf + start, words[i], w - start)) {
			while (start > from && buf[start - 1] == ' ')
				start--;
			return start;
		}
	return w;
}

/* Remove footnote markers ("[1]", " [0]") from a line of prose. */
void prose_strip_footnotes(struct strbuf *sb, size_t from)
{
	size_t r = from, w = from;

	while (r < sb->len) {
		if (sb->buf[r] == '[') {
			size_t e = r + 1;

			while (e < sb->len && e - r <= 3 && isdigit((unsigned char)sb->buf[e]))
				e++;
			if (e > r + 1 && e < sb->len && sb->buf[e] == ']') {
				/* Drop the space before it, and a word that pointed at it. */
				if (w > from && sb->buf[w - 1] == ' ')
					w--;
				w = drop_pointer_word(sb->buf, from, w);
				r = e + 1;
				/* "(see [1])" leaves "()" behind. */
				if (w > from + 1 && sb->buf[w - 1] == '(' && sb->buf[w - 2] == ' ' &&
				    r < sb->len && sb->buf[r] == ')') {
					w -= 2;
					r++;
				}
				continue;
			}
		}
		sb->buf[w++] = sb->buf[r++];
	}
	strbuf_setlen(sb, w);
}

/* Greetings and sign-offs, which open and close covers. */
static int is_greeting(const char *s, size_t len)
{
	static const char *const words[] = {
		"hi", "hello", "dear", "hey", "greetings", "thanks", "thank", "regards",
		"best", "cheers", "all,", "folks",
	};
	size_t i, wl = 0;

	if (prose_count_words(s, len) > 6)
		return 0;
	while (wl < len && isalpha((unsigned char)s[wl]))
		wl++;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (wl == strlen(words[i]) && !strncasecmp(s, words[i], wl))
			return 1;
	return 0;
}

/* Imperative verbs that open kernel patch titles. */
static const char *const verbs[] = {
	"add", "adjust", "allow", "annotate", "avoid", "bail", "bump", "cache", "call",
	"change", "check", "clarify", "clean", "clear", "consolidate", "constify",
	"convert", "copy", "correct", "create", "deduplicate", "defer", "define", "delete",
	"deny", "deprecate", "detect", "disable", "disallow", "do", "document", "drop",
	"dump", "emit", "enable", "enforce", "ensure", "expand", "explain", "export",
	"expose", "extend", "extract", "factor", "fix", "flush", "free", "generalize",
	"guard", "handle", "harden", "hide", "honor", "honour", "ignore", "implement",
	"improve", "include", "increase", "inherit", "initialize", "inline", "introduce",
	"invalidate", "keep", "kill", "let", "limit", "make", "mark", "merge", "migrate",
	"mitigate", "move", "optimize", "optimise", "override", "pass", "permit", "plumb",
	"populate", "prefer", "prepare", "preserve", "prevent", "print", "propagate",
	"protect", "provide", "prune", "read", "record", "reduce", "refactor", "refine",
	"refuse", "register", "reject", "relax", "release", "remove", "rename", "reorder",
	"reorganize", "replace", "report", "require", "reserve", "reset", "resolve",
	"restore", "restrict", "retain", "retry", "return", "reuse", "revert", "rework",
	"rewrite", "sanitize", "save", "separate", "set", "share", "show", "silence",
	"simplify", "skip", "sort", "split", "stop", "store", "streamline", "strip",
	"support", "suppress", "switch", "sync", "take", "teach", "test", "tidy", "track",
	"treat", "trigger", "trim", "tune", "turn", "undo", "unify", "unregister",
	"update", "upgrade", "use", "validate", "verify", "warn", "wire", "write", "zero",
};

/* w (len bytes) is one of the words, case aside; the lists are lowercase. */
static int in_word_list(const char *w, size_t len, const char *const *words, size_t n)
{
	int first;
	size_t i;

	if (!len)
		return 0;
	first = tolower((unsigned char)*w);
	for (i = 0; i < n; i++)
		if (words[i][0] == first && !strncasecmp(w, words[i], len) && !words[i][len])
			return 1;
	return 0;
}

int prose_is_verb(const char *w, size_t len)
{
	return in_word_list(w, len, verbs, ARRAY_SIZE(verbs));
}

/*
 * English words that open sentences in commit messages, lowercase or
 * not: a sentence opening with one of them (or a listed verb) is prose,
 * not an identifier ("bpftrace is ...", "may_goto uses ...").
 */
static const char *const english[] = {
	"a", "after", "all", "also", "although", "an", "and", "another", "any", "are",
	"as", "at", "because", "before", "both", "but", "by", "can", "cannot", "could",
	"currently", "each", "either", "even", "every", "fails", "first", "for", "from",
	"given", "having", "here", "however", "if", "in", "instead", "is", "it", "its",
	"let's", "many", "may", "might", "more", "most", "must", "no", "not", "now",
	"of", "on", "once", "one", "only", "or", "other", "otherwise", "our", "rather",
	"second", "should", "since", "so", "some", "such", "that", "the", "their",
	"then", "there", "these", "they", "this", "those", "though", "thus", "to",
	"today", "under", "unless", "until", "upon", "we", "what", "when", "where",
	"whether", "which", "while", "why", "will", "with", "without", "would", "you",
};

static int is_english_word(const char *w, size_t len)
{
	return in_word_list(w, len, english, ARRAY_SIZE(english)) || prose_is_verb(w, len);
}

/* The line opens with a lowercase English word ("when TCP over IPv4 ..."). */
static int is_english_start(const char *l, size_t len)
{
	size_t w = 0;

	while (w < len && (isalpha((unsigned char)l[w]) || l[w] == '\''))
		w++;
	if (!w || !islower((unsigned char)l[0]) || (w < len && !strchr(" ,", l[w])))
		return 0;
	return is_english_word(l, w);
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

	prose_sentences(out->buf + from, mark_start, &last);
	return last ? (size_t)(last - out->buf) : from;
}

static int first_end(const char *s, size_t len, void *data)
{
	const char **end = data;

	*end = s + len;
	return 1;
}

const char *prose_first_sentence_end(const char *text)
{
	const char *end = NULL;

	prose_sentences(text, first_end, &end);
	return end;
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
	prose_strip_footnotes(out, start);
	strbuf_rtrim(out);
	if (pr->drop_first && out->len > start) {
		const char *end = prose_first_sentence_end(out->buf + start);

		pr->drop_first = 0;
		if (end) {
			size_t from = (size_t)(end - out->buf);

			while (from < out->len && out->buf[from] == ' ')
				from++;
			memmove(out->buf + start, out->buf + from, out->len - from);
			strbuf_setlen(out, out->len - (from - start));
		}
	}
	if (out->len < start || prose_count_words(out->buf + start, out->len - start) < 2 ||
	    is_greeting(out->buf + start, out->len - start)) {
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
	size_t words = prose_count_words(l, len);

	if (li->nr >= MAX_FOLD_ITEMS || words > MAX_FOLD_ITEM_WORDS || is_code_or_log(l, len) ||
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
	size_t words = prose_count_words(l, len);

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

/* A line a shell session or a program prints: "$ cmd", "# cmd", "sudo cmd". */
static int is_shell_line(const char *l, size_t len)
{
	size_t i, opts = 0;

	if (prose_starts_with_ci(l, len, "$ ") || prose_starts_with_ci(l, len, "# ") ||
	    !strncmp(l, "sudo ", len < 5 ? len : 5) || prose_starts_with_ci(l, len, "./"))
		return 1;
	/* "hwstamp_ctl -i eth0 -t 1": a command with options. */
	for (i = 1; i + 2 < len; i++)
		if (l[i] == '-' && l[i - 1] == ' ' && isalpha((unsigned char)l[i + 1]) &&
		    (l[i + 2] == ' ' || l[i + 2] == '-'))
			opts++;
	return opts >= 2 && !memchr(l, '.', len - 1);
}

/*
 * Kernel logs and code pasted without indentation: "verifier bug: ...
 * var_off=(0x0, 0x0)", "make: Entering directory", a C comment in a
 * line ("listen(fd, 0 ...)"), a prototype cut at "*dst,".
 */
static int is_pasted(const char *l, size_t len)
{
	size_t i, hex = 0, assign = 0, open = 0, close = 0;

	if (prose_starts_with_ci(l, len, "verifier bug") || prose_starts_with_ci(l, len, "make: ") ||
	    prose_starts_with_ci(l, len, "make[") || memmem(l, len, "/*", 2) || memmem(l, len, "*/", 2))
		return 1;
	for (i = 0; i + 1 < len; i++) {
		if (l[i] == '0' && l[i + 1] == 'x')
			hex++;
		if (l[i] == '=' && i && !isspace((unsigned char)l[i - 1]) &&
		    !isspace((unsigned char)l[i + 1]) && l[i + 1] != '=')
			assign++;
	}
	for (i = 0; i < len; i++) {
		open += l[i] == '(';
		close += l[i] == ')';
	}
	/* "long f(const struct x *dst," continues on the next line. */
	if (open > close && (l[len - 1] == ',' || l[len - 1] == '(') &&
	    (memmem(l, len, " *", 2) || memmem(l, len, "const ", 6) || memmem(l, len, "struct ", 7)))
		return 1;
	return hex >= 3 || assign >= 2;
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

		skip_space(&l, &len);
		while (len && isspace((unsigned char)l[len - 1]))
			len--;
		if (!len) {
			para_flush(&pr);
			in_changelog = in_block = 0;
			li.blank = li.active;
			goto next;
		}
		if (leading && (prose_starts_with_ci(l, len, "From:") || prose_starts_with_ci(l, len, "Date:") ||
				prose_starts_with_ci(l, len, "Subject:")))
			goto next;	/* in-body headers of a patch sent for someone else */
		leading = 0;
		b = prose_bullet_len(l, len);
		if (li.active && !b && (li.blank || in_fence)) {
			list_end(&pr, &li);
		} else if (li.active && !b && !prose_is_stop_line(p, rawlen, l, len) &&
			   !is_trailer_line(l, len) && !prose_changelog_header(l, len, &version, &rest)) {
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
		} else if (prose_is_stop_line(p, rawlen, l, len)) {
			break;
		} else if (prose_changelog_header(l, len, &version, &rest)) {
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
		} else if (quoted == SIZE_MAX && !pr.open && prose_starts_with_ci(l, len, "Patch series \"")) {
			/* A backport quotes the upstream cover ahead of "This patch (of 7):". */
			quoted = out->len;
			para_add(&pr, l, len);
		} else if (quoted != SIZE_MAX && prose_starts_with_ci(l, len, "This patch (of ")) {
			para_flush(&pr);
			strbuf_setlen(out, quoted);
			pr.any = 0;
			pr.last_start = SIZE_MAX;
			quoted = SIZE_MAX - 1;
		} else if (in_changelog || in_block || l != p || b || l[0] == '>' ||
			   l[0] == '|' || is_url_line(l, len) || is_trailer_line(l, len) ||
			   is_code_or_log(l, len) || is_shell_line(l, len) || is_pasted(l, len) ||
			   (len >= 6 && !strncmp(l + len - 6, "wrote:", 6)) ||
			   (prose_starts_with_ci(l, len, "commit ") && memmem(l, len, " upstream", 9))) {
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
				in_block |= l == p && !b && (is_shell_line(l, len) || is_pasted(l, len) ||
							     is_code_or_log(l, len));
			}
		} else {
			/* "should have no conflict since ...": the rest of a sentence cut by code. */
			if (!pr.open && after_block && is_english_start(l, len))
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

/* Abbreviations after which a period does not end a sentence. */
static int is_abbreviation(const char *s, size_t end)
{
	static const char *const abbrevs[] = {
		"e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "resp", "Mr", "Dr",
		"no", "al", "fig", "eq", "sec", "ca", "esp",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		size_t l = strlen(abbrevs[i]);

		if (end >= l && !strncasecmp(s + end - l, abbrevs[i], l) &&
		    (end == l || !isalnum((unsigned char)s[end - l - 1])))
			return 1;
	}
	/* An initial: "A. Starovoitov". */
	if (end >= 1 && isupper((unsigned char)s[end - 1]) &&
	    (end == 1 || s[end - 2] == ' '))
		return 1;
	return 0;
}

size_t prose_sentences(const char *text,
			 int (*fn)(const char *sentence, size_t len, void *data),
			 void *data)
{
	size_t start = 0, i, n = 0;

	for (i = 0; text[i]; i++) {
		char c = text[i];
		size_t stop = 0, after = i + 1;
		int end = 0;

		if (c == '\n') {
			end = 1;	/* paragraphs end sentences */
			stop = i;
		} else if (c == '.' || c == '!' || c == '?') {
			/* Closing quotes and brackets belong to the sentence. */
			while (text[after] && strchr("\"')]", text[after]))
				after++;
			if (!text[after] || isspace((unsigned char)text[after])) {
				/* "v6.12" and "foo().bar" have no space after the dot. */
				/*
				 * Kernel sentences may open with an identifier
				 * ("bpftrace is ..."), so a lowercase start does
				 * not continue the sentence; abbreviations do.
				 */
				end = c != '.' || !is_abbreviation(text, i);
				stop = after;
			}
		}
		if (!end && text[i + 1])
			continue;
		if (!end)
			stop = i + 1;
		{
			size_t s = start, e = stop;

			while (s < e && isspace((unsigned char)text[s]))
				s++;
			while (e > s && isspace((unsigned char)text[e - 1]))
				e--;
			if (e > s) {
				n++;
				if (fn(text + s, e - s, data))
					return n;
			}
		}
		if (!end)
			break;
		start = stop;
		if (c != '\n')
			i = stop - 1;
	}
	return n;
}

/*
 * "by removing the unused variables.": the tail of a sentence whose head
 * was code or a log that the prose left out.
 */
static int is_fragment(const char *s, size_t len)
{
	static const char *const words[] = {
		"by", "and", "or", "but", "with", "which", "so", "then", "because",
		"as", "in", "for", "from", "of", "on", "at", "to", "into", "via",
	};
	size_t i, wl = 0;

	while (wl < len && isalpha((unsigned char)s[wl]))
		wl++;
	if (!wl || !islower((unsigned char)s[0]))
		return 0;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (wl == strlen(words[i]) && !strncmp(s, words[i], wl))
			return 1;
	return 0;
}

/*
 * A sentence fit for a summary, cleaned, appended to out with a space
 * before it.  Returns 0 (out untouched) for sentences that are not: URLs,
 * fragments, greetings, and "as follows:" leads.
 */
/* Brackets and double quotes closed: an item cut at a wrapped line is not. */
int prose_is_balanced(const char *s, size_t len)
{
	char stack[16];
	size_t i, depth = 0, quotes = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		/* "ESC [2J" is a terminal control, not a bracket (the output drops it). */
		if (c == '\x1b') {
			i++;
			continue;
		}
		if (c == '"')
			quotes++;
		if (c == '(' || c == '[' || c == '{') {
			if (depth == sizeof(stack))
				return 0;
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
		} else if (c == ')' || c == ']' || c == '}') {
			/* "[0, n)" is a range, and "1)" a list marker. */
			if (!depth)
				return c == ')' && i < 3;
			if (stack[--depth] != c)
				return (c == ')' && stack[depth] == ']');
		}
	}
	return !depth && quotes % 2 == 0;
}

static int ends_with_word(const char *s, size_t len, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(words[i]);

		if (len > l && !strncasecmp(s + len - l, words[i], l) &&
		    !isalnum((unsigned char)s[len - l - 1]))
			return 1;
	}
	return 0;
}

/*
 * Sentences that point at what was left out ("as follows", "the
 * following"), say nothing ("Fix it.", "the necessary changes"), or were
 * cut ("... the high 32 bits of.").
 */
static int is_hollow(const char *s, size_t len)
{
	static const char *const pointers[] = {
		"as follows", "the following", "as described", "as below", "below",
		"like this", "like so", "e.g", "i.e", "for example", "for instance",
		"such as", "the details are", "as shown",
	};
	static const char *const cut[] = {
		"the", "a", "an", "of", "to", "and", "or", "with", "into", "by", "in",
		"on", "at", "than", "via", "these", "those", "its", "their", "our", "which",
		"when", "where", "while", "because", "if", "e.g.", "i.e.",
	};
	static const char *const empty[] = {
		"fix it", "fix them", "fix this", "fix these", "fix that", "no functional change",
		"no functional changes", "no major changes", "no changes", "none",
		"no functional change intended",
	};
	size_t i, n = len;

	while (n && strchr(".!?\"' ", s[n - 1]))
		n--;
	if (memmem(s, len, "the necessary changes", 21) || memmem(s, len, "(e.g.)", 6) ||
	    memmem(s, len, "(i.e.)", 6))
		return 1;
	for (i = 0; i < ARRAY_SIZE(empty); i++)
		if (n == strlen(empty[i]) && !strncasecmp(s, empty[i], n))
			return 1;
	/* "as is" is an idiom; "the asm code is" is cut. */
	if (n >= 5 && !strncasecmp(s + n - 5, "as is", 5))
		return 0;
	if (ends_with_word(s, n, pointers, ARRAY_SIZE(pointers)) ||
	    ends_with_word(s, n, cut, ARRAY_SIZE(cut)))
		return 1;
	/* "Move code into do_check_insn(), replace.": a list's lead, its list gone. */
	{
		size_t w = n;

		while (w && isalpha((unsigned char)s[w - 1]))
			w--;
		if (w >= 2 && s[w - 1] == ' ' && s[w - 2] == ',' && prose_is_verb(s + w, n - w))
			return 1;
	}
	return 0;
}

/* Thanks, smileys and greetings anywhere in a sentence of a cover. */
static int is_thanks(const char *s, size_t len)
{
	return prose_starts_with_ci(s, len, "thanks") || prose_starts_with_ci(s, len, "thank you") ||
	       prose_starts_with_ci(s, len, "many thanks") || memmem(s, len, ":)", 2) ||
	       memmem(s, len, ":-)", 3) || memmem(s, len, ";)", 2);
}

/* "Hi, fix some ..." / "Hi there, I have ...": the greeting before the sentence. */
static size_t greeting_prefix(const char *s, size_t len)
{
	static const char *const greetings[] = {
		"hi all,", "hi everyone,", "hi there,", "hi folks,", "hello all,", "hello everyone,",
		"hello,", "hi,", "hey,", "dear all,",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(greetings); i++) {
		size_t l = strlen(greetings[i]);

		if (len > l + 1 && !strncasecmp(s, greetings[i], l) && s[l] == ' ')
			return l + 1;
	}
	return 0;
}

int prose_clean_sentence(struct strbuf *out, const char *s, size_t len)
{
	size_t words, g = greeting_prefix(s, len), start;
	char last = s[len - 1];

	s += g;
	len -= g;
	words = prose_count_words(s, len);
	if (memmem(s, len, "://", 3) || memmem(s, len, "lore.kernel.org", 15) ||
	    memmem(s, len, "www.", 4) || memmem(s, len, "-by:", 4))
		return 0;
	if (words < 2 || is_greeting(s, len) || is_fragment(s, len) || is_thanks(s, len))
		return 0;
	/* The lead of a list or an example left out: it says "see below". */
	if (last == ':' || is_hollow(s, len) || !prose_is_balanced(s, len) || is_pasted(s, len) ||
	    is_code_or_log(s, len) || is_shell_line(s, len))
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	start = out->len;
	if (last == ',' || last == ';') {
		strbuf_add(out, s, len - 1);
		strbuf_addch(out, '.');
	} else {
		strbuf_add(out, s, len);
		/* "foo()" and "(see bar)" still want their period; "(see bar.)" has one. */
		if (!strchr(".!?\"')]", last) ||
		    (strchr("\"')]", last) && len > 1 && !strchr(".!?", s[len - 2])))
			strbuf_addch(out, '.');
	}
	/* "when TCP over IPv4 ...", "this patch series adds ...": an English start. */
	if (is_english_start(out->buf + start, out->len - start))
		out->buf[start] = (char)toupper((unsigned char)out->buf[start]);
	return 1;
}

static int take_sentence(const char *s, size_t len, void *data)
{
	struct prose_collect *c = data;

	if (c->taken >= c->max || c->in_para >= c->para_max)
		return 1;
	if (prose_clean_sentence(c->out, s, len)) {
		c->taken++;
		c->in_para++;
	}
	return c->taken >= c->max || c->in_para >= c->para_max;
}

/* Take up to max sentences of prose into c, the first paragraph limited. */
void prose_collect(struct prose_collect *c, const char *prose, size_t max)
{
	const char *p = prose;
	int first = 1;

	c->max = c->taken + max;
	while (*p && c->taken < c->max) {
		const char *nl = strchr(p, '\n');
		char *para = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

		c->in_para = 0;
		c->para_max = first ? MAX_FIRST_PARAGRAPH : (size_t)-1;
		prose_sentences(para, take_sentence, c);
		free(para);
		first = 0;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* Lines ----------------------------------------------------------------- */

int prose_next_line(const char **p, struct prose_line *ln)
{
	const char *nl;

	if (!**p)
		return 0;
	nl = strchr(*p, '\n');
	ln->raw = *p;
	ln->rawlen = nl ? (size_t)(nl - *p) : strlen(*p);
	ln->l = ln->raw;
	ln->len = ln->rawlen;
	skip_space(&ln->l, &ln->len);
	while (ln->len && isspace((unsigned char)ln->l[ln->len - 1]))
		ln->len--;
	*p = nl ? nl + 1 : *p + ln->rawlen;
	return 1;
}

void prose_lead(struct strbuf *out, const char *text, size_t max)
{
	struct strbuf prose = STRBUF_INIT;
	struct prose_collect c = { out, 0, 0, 0, 0 };

	if (!text || !max)
		return;
	prose_text(&prose, text);
	prose_collect(&c, prose.buf, max);
	strbuf_release(&prose);
}
