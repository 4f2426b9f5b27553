#include "summary.h"
#include "date.h"
#include "mail.h"
#include "period.h"
#include "series.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A summary's length in sentences, place and status included. */
#define MAX_SENTENCES 5
#define MIN_SENTENCES 3
/* Sentences from the source text, and from its opening paragraph. */
#define MAX_SOURCE_SENTENCES 3
#define MAX_FIRST_PARAGRAPH 2
/* Longer changelog items are left out rather than cut. */
#define MAX_CHANGELOG_ITEM 160
/* Longer "This series ..." sentences make a poor clause. */
#define MAX_CLAUSE 220

static int starts_with_ci(const char *s, size_t len, const char *prefix)
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

static size_t count_words(const char *s, size_t len)
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
static size_t bullet_len(const char *l, size_t len)
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
		if (starts_with_ci(l, len, logs[i]))
			return 1;
	if (last == ';' || last == '{' || last == '}')
		return 1;
	/* "+0x1c/0x40" in traces; "file.c:13:2: error:" from compilers. */
	if (memmem(l, len, "+0x", 3) || memmem(l, len, ": error:", 8) ||
	    memmem(l, len, ": warning:", 10) || memmem(l, len, ": note:", 7))
		return 1;
	/* "-----", "=====", "~~~~~": separators. */
	for (i = 1; i < len && l[i] == l[0]; i++)
		;
	return len >= 3 && i == len && strchr("-=~_*#", l[0]);
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
	return starts_with_ci(l + i, len - i, "http://") ||
	       starts_with_ci(l + i, len - i, "https://") ||
	       starts_with_ci(l + i, len - i, "git://");
}

/* Where the prose ends: signatures, b4 footers, shortlogs, diffstats, pulls. */
static int is_stop_line(const char *raw, size_t rawlen, const char *l, size_t len)
{
	size_t i;

	if ((rawlen == 3 && !strncmp(raw, "-- ", 3)) || (rawlen == 3 && !strncmp(raw, "---", 3)) ||
	    (rawlen == 2 && !strncmp(raw, "--", 2)))
		return 1;
	if (starts_with_ci(l, len, "base-commit:") || starts_with_ci(l, len, "change-id:") ||
	    starts_with_ci(l, len, "prerequisite-") ||
	    starts_with_ci(l, len, "The following changes since commit"))
		return 1;
	/* " 3 files changed, 10 insertions(+)" */
	i = 0;
	while (i < len && isdigit((unsigned char)l[i]))
		i++;
	if (i && (starts_with_ci(l + i, len - i, " files changed") ||
		  starts_with_ci(l + i, len - i, " file changed")))
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
static int changelog_header(const char *l, size_t len, unsigned *version, size_t *rest)
{
	const char *s = l, *end = l + len, *colon;
	size_t b;
	unsigned v;

	while (s < end && isspace((unsigned char)*s))
		s++;
	b = bullet_len(s, (size_t)(end - s));
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

	if (!starts_with_ci(s, (size_t)(end - s), "change") &&
	    !starts_with_ci(s, (size_t)(end - s), "revision") &&
	    !starts_with_ci(s, (size_t)(end - s), "history") &&
	    !starts_with_ci(s, (size_t)(end - s), "difference"))
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
		if (!colon && count_words(s, (size_t)(end - s)) > 4)
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
static void strip_footnotes(struct strbuf *sb, size_t from)
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

	if (count_words(s, len) > 6)
		return 0;
	while (wl < len && isalpha((unsigned char)s[wl]))
		wl++;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (wl == strlen(words[i]) && !strncasecmp(s, words[i], wl))
			return 1;
	return 0;
}

struct prose {
	struct strbuf *out;
	size_t para_start;	/* where the current paragraph starts in out */
	int open;		/* a paragraph is being built */
	int any;		/* some prose was kept */
};

static void prose_flush(struct prose *pr)
{
	struct strbuf *out = pr->out;
	size_t start = pr->para_start;

	if (!pr->open)
		return;
	pr->open = 0;
	strip_footnotes(out, start);
	strbuf_rtrim(out);
	if (out->len < start || count_words(out->buf + start, out->len - start) < 2 ||
	    is_greeting(out->buf + start, out->len - start)) {
		/* Too short to say anything, or "Hi all,": drop it. */
		strbuf_setlen(out, start ? start - 1 : 0);
		return;
	}
	pr->any = 1;
}

static void prose_add(struct prose *pr, const char *l, size_t len)
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

void summary_prose(struct strbuf *out, const char *text)
{
	struct prose pr = { out, out->len, 0, 0 };
	const char *p = text;
	int leading = 1, in_changelog = 0, in_note = 0, in_fence = 0;

	if (!text)
		return;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t rawlen = nl ? (size_t)(nl - p) : strlen(p), len = rawlen, rest;
		const char *l = p;
		unsigned version;

		skip_space(&l, &len);
		while (len && isspace((unsigned char)l[len - 1]))
			len--;
		if (!len) {
			prose_flush(&pr);
			in_changelog = 0;
			goto next;
		}
		if (leading && (starts_with_ci(l, len, "From:") || starts_with_ci(l, len, "Date:") ||
				starts_with_ci(l, len, "Subject:")))
			goto next;	/* in-body headers of a patch sent for someone else */
		leading = 0;
		if (in_fence || (len >= 3 && !strncmp(l, "```", 3))) {
			/* A Markdown code block, fences included. */
			if (!strncmp(l, "```", 3))
				in_fence = !in_fence;
			prose_flush(&pr);
		} else if (in_note || l[0] == '[') {
			/*
			 * "[ Joel: reworded ]" is a note by whoever applied or
			 * forwarded the patch, maybe over several lines;
			 * "[   12.3] BUG" a log line, "[1] https://" a footnote.
			 */
			size_t k = 1;

			while (!in_note && k < len && l[k] == ' ')
				k++;
			in_note = (in_note || (k < len && isalpha((unsigned char)l[k]))) &&
				  l[len - 1] != ']';
			prose_flush(&pr);
		} else if (is_stop_line(p, rawlen, l, len)) {
			break;
		} else if (changelog_header(l, len, &version, &rest)) {
			/* A changelog after the description ends it; before it, skip it. */
			prose_flush(&pr);
			if (pr.any)
				break;
			in_changelog = 1;
		} else if (in_changelog || l != p || bullet_len(l, len) || l[0] == '>' ||
			   l[0] == '|' || is_url_line(l, len) || is_trailer_line(l, len) ||
			   is_code_or_log(l, len) ||
			   (len >= 6 && !strncmp(l + len - 6, "wrote:", 6))) {
			/*
			 * Indented lines are code, logs or lists; quotes, URLs,
			 * trailers and lists are not prose either.  They end the
			 * paragraph around them.
			 */
			prose_flush(&pr);
		} else {
			prose_add(&pr, l, len);
		}
next:
		if (!nl)
			break;
		p = nl + 1;
	}
	prose_flush(&pr);
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

size_t summary_sentences(const char *text,
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
static int add_clean_sentence(struct strbuf *out, const char *s, size_t len)
{
	size_t words = count_words(s, len);
	char last = s[len - 1];

	if (memmem(s, len, "://", 3) || memmem(s, len, "lore.kernel.org", 15) ||
	    memmem(s, len, "www.", 4) || memmem(s, len, "-by:", 4))
		return 0;
	if (words < 2 || is_greeting(s, len) || is_fragment(s, len))
		return 0;
	if (last == ':' && words < 8)
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	if (last == ':' || last == ',' || last == ';') {
		/* The lead of a dropped example still says what happens. */
		strbuf_add(out, s, len - 1);
		strbuf_addch(out, '.');
	} else {
		strbuf_add(out, s, len);
		if (!strchr(".!?\"')]", last))
			strbuf_addch(out, '.');
	}
	return 1;
}

struct collect {
	struct strbuf *out;
	size_t taken, max, in_para, para_max;
};

static int take_sentence(const char *s, size_t len, void *data)
{
	struct collect *c = data;

	if (c->taken >= c->max || c->in_para >= c->para_max)
		return 1;
	if (add_clean_sentence(c->out, s, len)) {
		c->taken++;
		c->in_para++;
	}
	return c->taken >= c->max || c->in_para >= c->para_max;
}

/* Take up to max sentences of prose into c, the first paragraph limited. */
static void collect_prose(struct collect *c, const char *prose, size_t max)
{
	const char *p = prose;
	int first = 1;

	c->max = c->taken + max;
	while (*p && c->taken < c->max) {
		const char *nl = strchr(p, '\n');
		char *para = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

		c->in_para = 0;
		c->para_max = first ? MAX_FIRST_PARAGRAPH : (size_t)-1;
		summary_sentences(para, take_sentence, c);
		free(para);
		first = 0;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* Changelogs ------------------------------------------------------------ */

struct line {
	const char *raw, *l;	/* the line, and it without leading space */
	size_t rawlen, len;
};

static int next_line(const char **p, struct line *ln)
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

/* Items that say nothing: links to older revisions, b4 placeholders. */
static int is_empty_item(const char *s, size_t len)
{
	/* An underline ("=====") is never an item. */
	return !len || strspn(s, "=-_~*# ") >= len || memmem(s, len, "://", 3) || starts_with_ci(s, len, "link to v") ||
	       starts_with_ci(s, len, "editme") || starts_with_ci(s, len, "none") ||
	       starts_with_ci(s, len, "no change") || starts_with_ci(s, len, "n/a") ||
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
	struct line ln;
	const char *save;
	int blank = 0, ret = 0;

	while ((save = *p), next_line(p, &ln)) {
		unsigned v;
		size_t rest, b;

		if (!ln.len) {
			blank = 1;
			continue;
		}
		b = bullet_len(ln.l, ln.len);
		if (changelog_header(ln.l, ln.len, &v, &rest) ||
		    is_stop_line(ln.raw, ln.rawlen, ln.l, ln.len) || (blank && !b)) {
			*p = save;
			break;
		}
		if (!b && ln.l != ln.raw && item.len && !blank) {
			/* A continuation line of the item before. */
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
		size_t b = bullet_len(s, len);

		s += b;
		len -= b;
	}
	if (is_empty_item(s, len) || len > MAX_CHANGELOG_ITEM)
		return 0;
	strbuf_add(out, s, len);
	strip_footnotes(out, start);
	strbuf_rtrim(out);
	while (out->len > start && strchr(".;,:", out->buf[out->len - 1]))
		strbuf_setlen(out, out->len - 1);
	/* "Fix the leak" reads as a clause: "fix the leak". */
	if (out->len > start + 1 && isupper((unsigned char)out->buf[start]) &&
	    islower((unsigned char)out->buf[start + 1]))
		out->buf[start] = (char)tolower((unsigned char)out->buf[start]);
	return 1;
}

int summary_changelog_item(struct strbuf *out, const char *text, unsigned version)
{
	const char *p = text, *unversioned = NULL;
	struct line ln;
	int versioned = 0;

	if (!text)
		return 0;
	while (next_line(&p, &ln)) {
		unsigned v;
		size_t rest;

		if (!changelog_header(ln.l, ln.len, &v, &rest))
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

void summary_changelog(struct strbuf *out, const char *text)
{
	const char *p = text;
	struct line ln;

	if (!text)
		return;
	while (next_line(&p, &ln)) {
		unsigned v;
		size_t rest;

		if (!changelog_header(ln.l, ln.len, &v, &rest))
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

void summary_diffstat(struct strbuf *out, const char *notes)
{
	const char *p = notes;
	struct line ln;

	if (!notes)
		return;
	while (next_line(&p, &ln)) {
		size_t i = 0;

		while (i < ln.len && isdigit((unsigned char)ln.l[i]))
			i++;
		if (is_diffstat_file_line(ln.l, ln.len) ||
		    (i && starts_with_ci(ln.l + i, ln.len - i, " file"))) {
			strbuf_add(out, ln.l, ln.len);
			strbuf_addch(out, '\n');
		}
	}
}

/* Clauses ----------------------------------------------------------------- */

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

static int is_verb(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (len == strlen(verbs[i]) && !strncasecmp(w, verbs[i], len))
			return 1;
	return 0;
}

/* "adds", "fixes", "verifies": a listed verb in the third person. */
static int is_third_person(const char *w, size_t len)
{
	char stem[32];

	if (len < 3 || len >= sizeof(stem) || w[len - 1] != 's')
		return 0;
	memcpy(stem, w, len);
	stem[len] = '\0';
	if (is_verb(stem, len - 1))
		return 1;
	if (len > 3 && !strcmp(stem + len - 3, "ies")) {
		strcpy(stem + len - 3, "y");
		return is_verb(stem, len - 2);
	}
	return len > 2 && stem[len - 2] == 'e' && is_verb(stem, len - 2);
}

/* "add" -> "adds", "fix" -> "fixes", "verify" -> "verifies", "do" -> "does". */
static void add_third_person(struct strbuf *out, const char *w, size_t len)
{
	size_t i;
	char last, prev;

	for (i = 0; i < len; i++)
		strbuf_addch(out, tolower((unsigned char)w[i]));
	last = out->buf[out->len - 1];
	prev = len > 1 ? out->buf[out->len - 2] : 0;
	if (last == 'y' && prev && !strchr("aeiou", prev)) {
		strbuf_setlen(out, out->len - 1);
		strbuf_addstr(out, "ies");
	} else if (strchr("sxzo", last) || (last == 'h' && (prev == 'c' || prev == 's'))) {
		strbuf_addstr(out, "es");
	} else {
		strbuf_addch(out, 's');
	}
}

/* The title without its "subsystem: " prefixes ("bpf, x86: ", "selftests/bpf: "). */
static const char *title_topic(const char *title)
{
	const char *t = title;

	for (;;) {
		const char *colon = strstr(t, ": ");
		const char *q;

		if (!colon || colon - t > 40)
			return t;
		for (q = t + 1; q < colon; q++)
			if (*q == ' ' && q[-1] != ',')
				return t;
		t = colon + 2;
	}
}

int summary_title_clause(struct strbuf *out, const char *title)
{
	const char *t = title_topic(title), *w = t;

	while (*w && (isalpha((unsigned char)*w)))
		w++;
	if (w == t || !is_verb(t, (size_t)(w - t)) || (*w && *w != ' '))
		return 0;
	add_third_person(out, t, (size_t)(w - t));
	strbuf_addstr(out, w);
	return 1;
}

/* "This series adds X." -> "adds X" */
static int cover_clause(const char *s, size_t len, void *data)
{
	static const char *const subjects[] = {
		"patch set", "patchset", "patch series", "series", "set of patches", "patches",
		"patch", "set", "RFC", "revision", "version", "change", "changeset", "work",
	};
	struct strbuf *out = data;
	const char *p = s, *end = s + len;
	size_t i;

	if (!starts_with_ci(p, len, "This ") && !starts_with_ci(p, len, "These ") &&
	    !starts_with_ci(p, len, "The "))
		return 1;	/* only the opening sentence counts */
	p = strchr(p, ' ') + 1;
	/* "This improves X": the verb follows at once. */
	if (starts_with_ci(s, len, "This ")) {
		const char *w = p;

		while (w < end && isalpha((unsigned char)*w))
			w++;
		if (is_third_person(p, (size_t)(w - p)))
			goto predicate;
	}
	for (i = 0; i < ARRAY_SIZE(subjects); i++)
		if (starts_with_ci(p, (size_t)(end - p), subjects[i]) &&
		    p[strlen(subjects[i])] == ' ')
			break;
	if (i == ARRAY_SIZE(subjects))
		return 1;
	p += strlen(subjects[i]) + 1;
predicate:
	while (end > p && strchr(".!", end[-1]))
		end--;
	if (end - p < 10 || end - p > MAX_CLAUSE || memmem(p, (size_t)(end - p), "://", 3) ||
	    !islower((unsigned char)*p))
		return 1;
	strbuf_add(out, p, (size_t)(end - p));
	return 1;
}

int summary_clause(struct strbuf *out, const struct series_revision *rev)
{
	const struct series_patch *first = rev->cover ? rev->cover :
					   rev->patches_nr ? rev->patches[0] : NULL;
	struct strbuf prose = STRBUF_INIT, clause = STRBUF_INIT;
	int ret = 0;

	if (!first)
		return 0;
	if (first->mail->text) {
		summary_prose(&prose, first->mail->text);
		summary_sentences(prose.buf, cover_clause, &clause);
	}
	if (clause.len) {
		textsafe_line(out, clause.buf, clause.len);
		ret = 2;
	} else if (summary_title_clause(out, first->subject.title)) {
		ret = 1;
	}
	strbuf_release(&prose);
	strbuf_release(&clause);
	return ret;
}

/* Place ------------------------------------------------------------------- */

static void local_tm(struct tm *tm, time_t when, const struct tzspec *tz)
{
	struct tzspec utc;

	if (!tz) {
		tz_parse(&utc, "UTC");
		tz = &utc;
	}
	tz_localtime(tz, when, tm);
}

void summary_date_words(struct strbuf *out, time_t when, time_t ref, const struct tzspec *tz)
{
	struct tm tm, ref_tm;

	local_tm(&tm, when, tz);
	local_tm(&ref_tm, ref, tz);
	strbuf_addf(out, "%s %d", period_month_names[tm.tm_mon], tm.tm_mday);
	if (tm.tm_year != ref_tm.tm_year)
		strbuf_addf(out, ", %d", tm.tm_year + 1900);
}

int summary_is_selftest(const struct series_patch *p)
{
	size_t i;

	if (!p->mail->paths_nr)
		return !strncmp(p->subject.title, "selftests", 9);
	for (i = 0; i < p->mail->paths_nr; i++)
		if (strncmp(p->mail->paths[i], "tools/testing/selftests/", 24))
			return 0;
	return 1;
}

void summary_add_author(struct strbuf *out, const struct series *s)
{
	const char *name = s->author_name;
	size_t len = strlen(name);

	/* "Jane Doe (Company)": the person, for prose and possessives. */
	if (len && name[len - 1] == ')') {
		const char *open = strrchr(name, '(');

		if (open && open > name) {
			len = (size_t)(open - name);
			while (len && name[len - 1] == ' ')
				len--;
		}
	}
	if (!len) {
		strbuf_addstr(out, s->author_email);
		return;
	}
	/* "Roy, Patrick", as some mail systems write it, is Patrick Roy. */
	{
		const char *comma = memchr(name, ',', len);

		if (comma && comma + 2 < name + len && comma[1] == ' ' &&
		    !memchr(name, ' ', (size_t)(comma - name)) &&
		    !memchr(comma + 2, ' ', len - (size_t)(comma + 2 - name)) &&
		    !memchr(comma + 1, ',', len - (size_t)(comma + 1 - name))) {
			strbuf_add(out, comma + 2, len - (size_t)(comma + 2 - name));
			strbuf_addch(out, ' ');
			strbuf_add(out, name, (size_t)(comma - name));
			return;
		}
	}
	strbuf_add(out, name, len);
}

static const struct series_revision *previous_revision(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	size_t i;

	for (i = 1; i < s->revisions_nr; i++)
		if (s->revisions[i] == rev)
			return s->revisions[i - 1];
	return NULL;
}

/* The commits a pull request's shortlog counts ("Jane Dev (3):"), or 0. */
static unsigned pull_commits(const char *text)
{
	const char *p = text;
	struct line ln;
	unsigned n = 0;

	if (!text)
		return 0;
	while (next_line(&p, &ln)) {
		const char *open;

		if (ln.len < 5 || ln.l != ln.raw || ln.l[ln.len - 1] != ':' || ln.l[ln.len - 2] != ')' ||
		    !is_stop_line(ln.raw, ln.rawlen, ln.l, ln.len))
			continue;
		open = ln.l + ln.len - 3;
		while (open > ln.l && *open != '(')
			open--;
		n += (unsigned)atoi(open + 1);
	}
	return n;
}

/* A second posting of the same version (RFC or not alike), not a resend. */
static int is_repost(const struct series_revision *rev, const struct series_revision *prev)
{
	return prev->version == rev->version &&
	       (prev->flags & REVISION_RFC) == (rev->flags & REVISION_RFC) &&
	       !(rev->flags & REVISION_RESEND);
}

/* The first posting of a revision's version in its series. */
static const struct series_revision *first_of_version(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	size_t i;

	for (i = 0; i < s->revisions_nr; i++)
		if (s->revisions[i]->version == rev->version &&
		    (s->revisions[i]->flags & REVISION_RFC) == (rev->flags & REVISION_RFC))
			return s->revisions[i];
	return rev;
}

/* "the v2 " / "the RFC v2 " / "the RFC " / "the " */
static void add_kind(struct strbuf *out, const struct series_revision *rev)
{
	int versioned = rev->version > 1 || rev->series->revisions_nr > 1;

	if (rev->flags & REVISION_RFC)
		strbuf_addstr(out, "RFC ");
	if (versioned)
		strbuf_addf(out, "v%u ", rev->version);
}

/* "It is patch 3/7 of Jane's v2 series "X" for bpf-next, replacing v1 of May 19: <item>." */
static void add_place(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx)
{
	const struct series_revision *rev = p->revision, *prev = previous_revision(rev);
	const struct series *s = rev->series;
	const struct tzspec *tz = ctx ? ctx->tz : NULL;
	struct strbuf who_sb = STRBUF_INIT;
	const char *who;

	summary_add_author(&who_sb, s);
	who = who_sb.buf;

	if (out->len)
		strbuf_addch(out, ' ');
	strbuf_addstr(out, rev->flags & REVISION_RESEND ? "It is a resend of " : "It is ");
	if (rev->flags & REVISION_PULL) {
		unsigned commits = pull_commits(p->mail->text);

		strbuf_addf(out, "a pull request by %s", who);
		if (commits)
			strbuf_addf(out, " of %u commit%s", commits, commits == 1 ? "" : "s");
	} else if (p == rev->cover) {
		strbuf_addf(out, "the cover letter of %s's ", who);
		add_kind(out, rev);
		strbuf_addf(out, "series of %u patch%s", rev->total, rev->total == 1 ? "" : "es");
	} else if (rev->total > 1 && p->subject.position) {
		strbuf_addf(out, "patch %u/%u of %s's ", p->subject.position, rev->total, who);
		add_kind(out, rev);
		strbuf_addf(out, "series \"%s\"", series_revision_title(rev));
	} else {
		if (rev->version > 1 && !(rev->flags & REVISION_RESEND))
			strbuf_addf(out, "the v%u revision of a standalone ", rev->version);
		else
			strbuf_addstr(out, "a standalone ");
		if (rev->flags & REVISION_RFC)
			strbuf_addstr(out, "RFC ");
		strbuf_addf(out, "patch by %s", who);
	}
	if (rev->tree)
		strbuf_addf(out, " for %s", rev->tree);
	if (prev && is_repost(rev, prev)) {
		/* The same version again: no change to name, and no changelog of its own. */
		strbuf_addf(out, ", reposted (first posted ");
		summary_date_words(out, first_of_version(rev)->date, rev->date, tz);
		strbuf_addch(out, ')');
	} else if (prev && !(rev->flags & REVISION_RESEND)) {
		const struct series_patch *cover = rev->cover;
		struct strbuf item = STRBUF_INIT;

		if ((prev->flags & REVISION_RFC) && !(rev->flags & REVISION_RFC) && prev->version == 1)
			strbuf_addstr(out, ", replacing the RFC of ");
		else if ((prev->flags & REVISION_RFC) && !(rev->flags & REVISION_RFC))
			strbuf_addf(out, ", replacing RFC v%u of ", prev->version);
		else
			strbuf_addf(out, ", replacing v%u of ", prev->version);
		summary_date_words(out, prev->date, rev->date, tz);
		if (summary_changelog_item(&item, p->mail->notes, rev->version) ||
		    summary_changelog_item(&item, p->mail->text, rev->version) ||
		    (cover && summary_changelog_item(&item, cover->mail->text, rev->version)) ||
		    (cover && summary_changelog_item(&item, cover->mail->notes, rev->version)))
			strbuf_addf(out, ": %s", item.buf);
		strbuf_release(&item);
	}
	strbuf_addch(out, '.');
	strbuf_release(&who_sb);
}

/*
 * Companions are looked for in revisions up to this size: each patch's
 * summary scans its revision, and a series of a hundred thousand patches
 * (hostile, or a mistake) must not cost the square of that.  Real ones
 * stay far below.
 */
#define MAX_COMPANION_SCAN 512

/* "Patches 7 to 9 add selftests." for the selftests beside a kernel patch. */
static int add_companions(struct strbuf *out, const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;
	unsigned pos[64];
	size_t n = 0, i;

	if (rev->total < 2 || rev->patches_nr > MAX_COMPANION_SCAN || summary_is_selftest(p))
		return 0;
	for (i = 0; i < rev->patches_nr && n < ARRAY_SIZE(pos); i++)
		if (rev->patches[i] != p && rev->patches[i]->subject.position &&
		    summary_is_selftest(rev->patches[i]))
			pos[n++] = rev->patches[i]->subject.position;
	if (!n)
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	if (n == 1) {
		strbuf_addf(out, "Patch %u adds selftests.", pos[0]);
		return 1;
	}
	strbuf_addstr(out, "Patches ");
	if (n > 2 && pos[n - 1] - pos[0] == n - 1) {
		strbuf_addf(out, "%u to %u", pos[0], pos[n - 1]);
	} else {
		for (i = 0; i < n; i++)
			strbuf_addf(out, "%s%u", i == 0 ? "" : i + 1 == n ? " and " : ", ", pos[i]);
	}
	strbuf_addstr(out, " add selftests.");
	return 1;
}

void summary_patch_in(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx)
{
	struct strbuf prose = STRBUF_INIT, body = STRBUF_INIT, tail = STRBUF_INIT;
	struct collect c = { &body, 0, 0, 0, 0 };
	const struct series_patch *cover = p->revision->cover;
	size_t extra, budget;

	if (ctx && ctx->without_place)
		extra = 0;
	else {
		add_place(&tail, p, ctx);
		extra = 1 + add_companions(&tail, p);
	}
	if (ctx && ctx->applied_commit) {
		strbuf_addstr(&tail, " It was applied");
		if (ctx->applied_tree)
			strbuf_addf(&tail, " to %s", ctx->applied_tree);
		strbuf_addf(&tail, " as %.12s.", ctx->applied_commit);
		extra++;
	}
	budget = MAX_SENTENCES - extra;
	if (budget > MAX_SOURCE_SENTENCES)
		budget = MAX_SOURCE_SENTENCES;

	summary_prose(&prose, p->mail->text);
	collect_prose(&c, prose.buf, budget);
	/* A terse patch in a series: the cover says what the whole is for. */
	if (c.taken + extra < MIN_SENTENCES && cover && cover != p && cover->mail->text) {
		strbuf_reset(&prose);
		summary_prose(&prose, cover->mail->text);
		collect_prose(&c, prose.buf, budget - c.taken);
	}
	/* Mail text is untrusted: no terminal controls in what we print. */
	textsafe_line(out, body.buf, body.len);
	if (body.len)
		strbuf_addch(out, ' ');
	textsafe_line(out, tail.buf, tail.len);
	strbuf_release(&prose);
	strbuf_release(&body);
	strbuf_release(&tail);
}

void summary_patch(struct strbuf *out, const struct series_patch *p)
{
	summary_patch_in(out, p, NULL);
}

void summary_lead(struct strbuf *out, const char *text, size_t max)
{
	struct strbuf prose = STRBUF_INIT;
	struct collect c = { out, 0, 0, 0, 0 };

	if (!text || !max)
		return;
	summary_prose(&prose, text);
	collect_prose(&c, prose.buf, max);
	strbuf_release(&prose);
}

const char *summary_title_topic(const char *title)
{
	return title_topic(title);
}
