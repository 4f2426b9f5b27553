#include "prose.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sentences from the opening paragraph of a lead. */
#define MAX_FIRST_PARAGRAPH 2
/* Longer changelog items are left out rather than cut. */
#define MAX_CHANGELOG_ITEM 160

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
		if (prose_starts_with_ci(l, len, logs[i]))
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

struct para {
	struct strbuf *out;
	size_t para_start;	/* where the current paragraph starts in out */
	int open;		/* a paragraph is being built */
	int any;		/* some prose was kept */
};

static void para_flush(struct para *pr)
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

void prose_text(struct strbuf *out, const char *text)
{
	struct para pr = { out, out->len, 0, 0 };
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
			para_flush(&pr);
			in_changelog = 0;
			goto next;
		}
		if (leading && (prose_starts_with_ci(l, len, "From:") || prose_starts_with_ci(l, len, "Date:") ||
				prose_starts_with_ci(l, len, "Subject:")))
			goto next;	/* in-body headers of a patch sent for someone else */
		leading = 0;
		if (in_fence || (len >= 3 && !strncmp(l, "```", 3))) {
			/* A Markdown code block, fences included. */
			if (!strncmp(l, "```", 3))
				in_fence = !in_fence;
			para_flush(&pr);
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
			para_flush(&pr);
		} else if (prose_is_stop_line(p, rawlen, l, len)) {
			break;
		} else if (changelog_header(l, len, &version, &rest)) {
			/* A changelog after the description ends it; before it, skip it. */
			para_flush(&pr);
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
			para_flush(&pr);
		} else {
			para_add(&pr, l, len);
		}
next:
		if (!nl)
			break;
		p = nl + 1;
	}
	para_flush(&pr);
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
int prose_clean_sentence(struct strbuf *out, const char *s, size_t len)
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

/* Changelogs ------------------------------------------------------------ */

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

/* Items that say nothing: links to older revisions, b4 placeholders. */
static int is_empty_item(const char *s, size_t len)
{
	return !len || memmem(s, len, "://", 3) || prose_starts_with_ci(s, len, "link to v") ||
	       prose_starts_with_ci(s, len, "editme") || prose_starts_with_ci(s, len, "none") ||
	       prose_starts_with_ci(s, len, "no change") || prose_starts_with_ci(s, len, "n/a") ||
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
	struct prose_line ln;
	const char *save;
	int blank = 0, ret = 0;

	while ((save = *p), prose_next_line(p, &ln)) {
		unsigned v;
		size_t rest, b;

		if (!ln.len) {
			blank = 1;
			continue;
		}
		b = bullet_len(ln.l, ln.len);
		if (changelog_header(ln.l, ln.len, &v, &rest) ||
		    prose_is_stop_line(ln.raw, ln.rawlen, ln.l, ln.len) || (blank && !b)) {
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

int prose_changelog_item(struct strbuf *out, const char *text, unsigned version)
{
	const char *p = text, *unversioned = NULL;
	struct prose_line ln;
	int versioned = 0;

	if (!text)
		return 0;
	while (prose_next_line(&p, &ln)) {
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

void prose_changelog(struct strbuf *out, const char *text)
{
	const char *p = text;
	struct prose_line ln;

	if (!text)
		return;
	while (prose_next_line(&p, &ln)) {
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

void prose_diffstat(struct strbuf *out, const char *notes)
{
	const char *p = notes;
	struct prose_line ln;

	if (!notes)
		return;
	while (prose_next_line(&p, &ln)) {
		size_t i = 0;

		while (i < ln.len && isdigit((unsigned char)ln.l[i]))
			i++;
		if (is_diffstat_file_line(ln.l, ln.len) ||
		    (i && prose_starts_with_ci(ln.l + i, ln.len - i, " file"))) {
			strbuf_add(out, ln.l, ln.len);
			strbuf_addch(out, '\n');
		}
	}
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
