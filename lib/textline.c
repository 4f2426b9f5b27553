#include "textline.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int textline_starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && !strncasecmp(s, prefix, plen);
}

void textline_trim(const char **l, size_t *len)
{
	while (*len && isspace((unsigned char)**l)) {
		(*l)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*l)[*len - 1]))
		(*len)--;
}

size_t textline_count_words(const char *s, size_t len)
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
size_t textline_bullet_len(const char *l, size_t len)
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

/* "-----", "=====", "~~~~~": an underline or a separator. */
int textline_is_separator(const char *l, size_t len)
{
	size_t i;

	for (i = 1; i < len && l[i] == l[0]; i++)
		;
	return len >= 3 && i == len && strchr("-=~_*#", l[0]);
}

/* Unindented code, logs and separators, as pasted into commit messages. */
int textline_is_code_or_log(const char *l, size_t len)
{
	static const char *const logs[] = {
		"BUG:", "WARNING:", "RIP:", "Call Trace:", "Oops", "KASAN:", "UBSAN:",
		"Modules linked in:", "CPU:", "Hardware name:", "#include", "$ ", "# ",
		"//", "/*", "---[", "==",
	};
	size_t i;
	char last = l[len - 1];

	for (i = 0; i < ARRAY_SIZE(logs); i++)
		if (textline_starts_with_ci(l, len, logs[i]))
			return 1;
	if (last == ';' || last == '{' || last == '}')
		return 1;
	/* "+0x1c/0x40" in traces; "file.c:13:2: error:" from compilers. */
	if (memmem(l, len, "+0x", 3) || memmem(l, len, ": error:", 8) ||
	    memmem(l, len, ": warning:", 10) || memmem(l, len, ": note:", 7))
		return 1;
	return textline_is_separator(l, len);
}
/* Where the prose ends: signatures, b4 footers, shortlogs, diffstats, pulls. */
int textline_is_stop(const char *raw, size_t rawlen, const char *l, size_t len)
{
	size_t i;

	if ((rawlen == 3 && !strncmp(raw, "-- ", 3)) || (rawlen == 3 && !strncmp(raw, "---", 3)) ||
	    (rawlen == 2 && !strncmp(raw, "--", 2)))
		return 1;
	if (textline_starts_with_ci(l, len, "base-commit:") || textline_starts_with_ci(l, len, "change-id:") ||
	    textline_starts_with_ci(l, len, "prerequisite-") ||
	    textline_starts_with_ci(l, len, "The following changes since commit"))
		return 1;
	/* " 3 files changed, 10 insertions(+)" */
	i = 0;
	while (i < len && isdigit((unsigned char)l[i]))
		i++;
	if (i && (textline_starts_with_ci(l + i, len - i, " files changed") ||
		  textline_starts_with_ci(l + i, len - i, " file changed")))
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
int textline_changelog_header(const char *l, size_t len, unsigned *version, size_t *rest)
{
	const char *s = l, *end = l + len, *colon;
	size_t b;
	unsigned v;

	while (s < end && isspace((unsigned char)*s))
		s++;
	b = textline_bullet_len(s, (size_t)(end - s));
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

	if (!textline_starts_with_ci(s, (size_t)(end - s), "change") &&
	    !textline_starts_with_ci(s, (size_t)(end - s), "revision") &&
	    !textline_starts_with_ci(s, (size_t)(end - s), "history") &&
	    !textline_starts_with_ci(s, (size_t)(end - s), "difference"))
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
		if (!colon && textline_count_words(s, (size_t)(end - s)) > 4)
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
void textline_strip_footnotes(struct strbuf *sb, size_t from)
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
int textline_is_greeting(const char *s, size_t len)
{
	static const char *const words[] = {
		"hi", "hello", "dear", "hey", "greetings", "thanks", "thank", "regards",
		"best", "cheers", "all,", "folks",
	};
	size_t i, wl = 0;

	if (textline_count_words(s, len) > 6)
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

int textline_is_verb(const char *w, size_t len)
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
	return in_word_list(w, len, english, ARRAY_SIZE(english)) || textline_is_verb(w, len);
}

/* The line opens with a lowercase English word ("when TCP over IPv4 ..."). */
int textline_is_english_start(const char *l, size_t len)
{
	size_t w = 0;

	while (w < len && (isalpha((unsigned char)l[w]) || l[w] == '\''))
		w++;
	if (!w || !islower((unsigned char)l[0]) || (w < len && !strchr(" ,", l[w])))
		return 0;
	return is_english_word(l, w);
}

/* A line a shell session or a program prints: "$ cmd", "# cmd", "sudo cmd". */
int textline_is_shell(const char *l, size_t len)
{
	size_t i, opts = 0;

	if (textline_starts_with_ci(l, len, "$ ") || textline_starts_with_ci(l, len, "# ") ||
	    !strncmp(l, "sudo ", len < 5 ? len : 5) || textline_starts_with_ci(l, len, "./"))
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
int textline_is_pasted(const char *l, size_t len)
{
	size_t i, hex = 0, assign = 0, open = 0, close = 0;

	if (textline_starts_with_ci(l, len, "verifier bug") || textline_starts_with_ci(l, len, "make: ") ||
	    textline_starts_with_ci(l, len, "make[") || memmem(l, len, "/*", 2) || memmem(l, len, "*/", 2))
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

int textline_next(const char **p, struct textline *ln)
{
	const char *nl;

	if (!**p)
		return 0;
	nl = strchr(*p, '\n');
	ln->raw = *p;
	ln->rawlen = nl ? (size_t)(nl - *p) : strlen(*p);
	ln->l = ln->raw;
	ln->len = ln->rawlen;
	textline_trim(&ln->l, &ln->len);
	*p = nl ? nl + 1 : *p + ln->rawlen;
	return 1;
}
