#define PCRE2_CODE_UNIT_WIDTH 8
#include "subject.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

/*
 * The grammar.  A subject is any run of reply markers ("Re:", "AW:",
 * "答复:", "Re: (subset)"), bracket groups and a bare Mercurial
 * "PATCH 3 of 5", then the title.  Each bracket group is split into words
 * at spaces and commas, and each word is one of TOKEN's alternatives or,
 * failing that, possibly a tree name.
 */
static const char REPLY[] =
	"^\\s*(?:(?<fwd>fwd?|tr|wg|\xe8\xbd\xac\xe5\x8f\x91)"	/* 转发 */
	"|re|aw|sv|antw|odp|r"
	"|\xe7\xad\x94\xe5\xa4\x8d|\xe5\x9b\x9e\xe5\xa4\x8d|\xe5\x9b\x9e\xe8\xa6\x86)"	/* 答复 回复 回覆 */
	"\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*(?::|\xef\xbc\x9a)\\s*"	/* ":" or "：" */
	"(?<subset>\\(subset\\)\\s*)?";
/* One bracket group, brackets nested one level deep allowed inside. */
static const char BRACKET[] = "^\\s*\\[(?<body>(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\s*";
/* "PATCH 3 of 5", "RFC PATCH v2 1/4:" without brackets: numbering is required. */
static const char BARE[] =
	"^\\s*(?:(?<rfc>rfc)\\s+)?patch(?:\\s+v(?<v>\\d+))?\\s+"
	"(?<n>\\d+)(?:\\s*/\\s*|\\s+of\\s+)(?<m>\\d+)\\s*:?\\s*";
static const char TOKEN[] =
	"^(?:(?<patch>patch(?:set|es)?)(?:-?v(?<pv>\\d+))?"
	"|(?<rfc>rfc)(?:-?v(?<rv>\\d+))?"
	"|(?<resend>resend|repost)"
	"|v(?<v>\\d+)(?:\\.\\d+)?[a-z]?"
	"|(?<n>\\d+)/(?<m>\\d+)"
	"|(?<pull>pull))$";
/* A tree: letters, digits and -._/+ with at least one letter; "-next" is "next". */
static const char TREE[] = "^-*(?<tree>(?=[\\w./+-]*[a-z])[\\w.+-][\\w./+-]*)$";
static const char PULL_TITLE[] = "^pull[- ]request\\s*:\\s*(?<tree>[a-z][\\w.+/-]*)?";

/* Words of prefixes that are neither trees nor anything we track. */
static const char *const not_trees[] = {
	"git", "request", "autosel", "bug", "report", "question", "regression",
	"syzbot", "ci", "problem", "poc", "of",
};

struct pattern {
	const char *source;
	pcre2_code *code;
	pcre2_match_data *md;
};

static struct pattern p_reply = { REPLY, NULL, NULL }, p_bracket = { BRACKET, NULL, NULL },
		      p_bare = { BARE, NULL, NULL }, p_token = { TOKEN, NULL, NULL },
		      p_tree = { TREE, NULL, NULL }, p_pull = { PULL_TITLE, NULL, NULL };

static void compile(struct pattern *p)
{
	int errcode;
	PCRE2_SIZE erroff;

	p->code = pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
				PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
	if (!p->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		die("cannot compile subject pattern at offset %zu: %s", (size_t)erroff,
		    (const char *)msg);
	}
	/*
	 * Every subject goes through these: JIT pays for itself after a few
	 * hundred.  Not under valgrind: JIT code reads a word at a time past
	 * a subject's end, into bytes nobody wrote, and memcheck says so.
	 */
	if (!RUNNING_ON_VALGRIND)
		pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
	p->md = pcre2_match_data_create_from_pattern(p->code, NULL);
}

static void init_patterns(void)
{
	if (p_reply.code)
		return;
	compile(&p_reply);
	compile(&p_bracket);
	compile(&p_bare);
	compile(&p_token);
	compile(&p_tree);
	compile(&p_pull);
}

/* Match p at the start of s (len bytes); the match length, or 0 for none. */
static size_t match(struct pattern *p, const char *s, size_t len)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, p->md, NULL);

	/* An empty match counts as none: every pattern consumes something. */
	if (rc <= 0)
		return 0;
	return pcre2_get_ovector_pointer(p->md)[1];
}

/* The named group of the last match of p: start and length; 0 when unset. */
static int group(struct pattern *p, const char *name, const char *s, const char **start,
		 size_t *len)
{
	int n = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	if (n <= 0 || ov[2 * n] == PCRE2_UNSET)
		return 0;
	*start = s + ov[2 * n];
	*len = ov[2 * n + 1] - ov[2 * n];
	return 1;
}

static int has(struct pattern *p, const char *name)
{
	int n = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)name);

	return n > 0 && pcre2_get_ovector_pointer(p->md)[2 * n] != PCRE2_UNSET;
}

static unsigned group_number(struct pattern *p, const char *name, const char *s)
{
	const char *g;
	size_t len;

	if (!group(p, name, s, &g, &len))
		return 0;
	return (unsigned)strtoul(g, NULL, 10);
}

static void set_version(struct subject *out, unsigned v)
{
	out->flags |= SUBJECT_VERSIONED;
	/* "v0" is written by some tools for the first posting. */
	out->version = v ? v : 1;
}

static void set_tree(struct subject *out, const char *t, size_t len)
{
	size_t i;

	if (out->tree || !match(&p_tree, t, len))
		return;
	group(&p_tree, "tree", t, &t, &len);
	for (i = 0; i < ARRAY_SIZE(not_trees); i++)
		if (strlen(not_trees[i]) == len && !strncasecmp(t, not_trees[i], len))
			return;
	out->tree = xstrndup(t, len);
	/* Tree names are lowercase on every list we know ("HID" is "hid"). */
	for (char *p = out->tree; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* One word of a bracket group; tokens are matched by TOKEN, the rest may be a tree. */
static void take_token(struct subject *out, const char *t, size_t len)
{
	if (!match(&p_token, t, len)) {
		set_tree(out, t, len);
		return;
	}
	if (has(&p_token, "patch")) {
		out->flags |= SUBJECT_PATCH;
		if (has(&p_token, "pv"))
			set_version(out, group_number(&p_token, "pv", t));
	} else if (has(&p_token, "rfc")) {
		out->flags |= SUBJECT_RFC;
		if (has(&p_token, "rv"))
			set_version(out, group_number(&p_token, "rv", t));
	} else if (has(&p_token, "resend")) {
		out->flags |= SUBJECT_RESEND;
	} else if (has(&p_token, "v")) {
		set_version(out, group_number(&p_token, "v", t));
	} else if (has(&p_token, "n")) {
		out->position = group_number(&p_token, "n", t);
		out->total = group_number(&p_token, "m", t);
		out->flags |= SUBJECT_PATCH;
	} else {
		out->flags |= SUBJECT_PULL;
	}
}

static int is_separator(char c)
{
	return isspace((unsigned char)c) || c == ',' || c == '[' || c == ']';
}

static int all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return len > 0;
}

static void parse_group(struct subject *out, const char *g, size_t len)
{
	const char *word[3];
	size_t wlen[3], nr = 0, i = 0;

	/*
	 * Words are handled with a look-ahead of two, for Mercurial's
	 * "[PATCH 0 of 2]" numbering.
	 */
	for (;;) {
		while (nr < 3 && i < len) {
			size_t start;

			while (i < len && is_separator(g[i]))
				i++;
			start = i;
			while (i < len && !is_separator(g[i]))
				i++;
			if (i > start) {
				word[nr] = g + start;
				wlen[nr++] = i - start;
			}
		}
		if (!nr)
			break;
		if (nr == 3 && all_digits(word[0], wlen[0]) && wlen[1] == 2 &&
		    !strncasecmp(word[1], "of", 2) && all_digits(word[2], wlen[2])) {
			out->position = (unsigned)strtoul(word[0], NULL, 10);
			out->total = (unsigned)strtoul(word[2], NULL, 10);
			out->flags |= SUBJECT_PATCH;
			nr = 0;
			continue;
		}
		take_token(out, word[0], wlen[0]);
		memmove(word, word + 1, sizeof(word[0]) * 2);
		memmove(wlen, wlen + 1, sizeof(wlen[0]) * 2);
		nr--;
	}
}

static char *collapse_spaces(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	int space = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space && sb.len)
			strbuf_addch(&sb, ' ');
		space = 0;
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

static void add_prefix(struct strbuf *prefix, const char *s, size_t n)
{
	if (prefix->len)
		strbuf_addch(prefix, ' ');
	strbuf_add(prefix, s, n);
	strbuf_trim(prefix);
}

/*
 * The patterns run without pcre2's UTF-8 check (it would rescan the
 * subject at every match), so bytes that are not UTF-8, which the mail
 * stage may leave in a subject it could not decode, become '?' first.
 */
static int is_utf_error(int rc)
{
	return rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21;
}

static const char *valid_utf8(const char *s, struct strbuf *copy)
{
	size_t len = strlen(s);
	/* A match from the start checks the whole string; REPLY fails fast. */
	int rc = pcre2_match(p_reply.code, (PCRE2_SPTR)s, len, 0, 0, p_reply.md, NULL);

	if (!is_utf_error(rc))
		return s;
	strbuf_add(copy, s, len);
	do {
		/* After a UTF error, "startchar" is the offset of the bad byte. */
		copy->buf[pcre2_get_startchar(p_reply.md)] = '?';
		rc = pcre2_match(p_reply.code, (PCRE2_SPTR)copy->buf, len, 0, 0, p_reply.md,
				 NULL);
	} while (is_utf_error(rc));
	return copy->buf;
}

void subject_parse(struct subject *out, const char *s)
{
	struct strbuf prefix = STRBUF_INIT, copy = STRBUF_INIT;
	const char *g;
	size_t n, glen;

	init_patterns();
	s = valid_utf8(s, &copy);
	memset(out, 0, sizeof(*out));
	out->version = 1;
	for (;;) {
		size_t len = strlen(s);

		if ((n = match(&p_reply, s, len))) {
			if (group(&p_reply, "fwd", s, &g, &glen))
				out->flags |= SUBJECT_FORWARD;
			else
				out->flags |= SUBJECT_REPLY;
			s += n;
			continue;
		}
		if ((n = match(&p_bracket, s, len))) {
			group(&p_bracket, "body", s, &g, &glen);
			add_prefix(&prefix, s, n);
			parse_group(out, g, glen);
			s += n;
			continue;
		}
		if ((n = match(&p_bare, s, len))) {
			add_prefix(&prefix, s, n);
			if (group(&p_bare, "rfc", s, &g, &glen))
				out->flags |= SUBJECT_RFC;
			if (group(&p_bare, "v", s, &g, &glen))
				set_version(out, group_number(&p_bare, "v", s));
			out->position = group_number(&p_bare, "n", s);
			out->total = group_number(&p_bare, "m", s);
			out->flags |= SUBJECT_PATCH;
			s += n;
			continue;
		}
		break;
	}
	/* "[PATCH 2/2]: title" */
	while (*s == ':' || isspace((unsigned char)*s))
		s++;
	if (match(&p_pull, s, strlen(s))) {
		out->flags |= SUBJECT_PULL;
		if (group(&p_pull, "tree", s, &g, &glen))
			set_tree(out, g, glen);
	}
	out->title = collapse_spaces(s);
	out->prefix = strbuf_detach(&prefix, NULL);
	strbuf_release(&copy);
}

void subject_release(struct subject *subj)
{
	free(subj->title);
	free(subj->prefix);
	free(subj->tree);
	memset(subj, 0, sizeof(*subj));
}

char *subject_normalize(const char *title)
{
	struct strbuf sb = STRBUF_INIT;
	size_t last_word = 0, i;
	int gap = 0;

	for (; *title; title++) {
		unsigned char c = (unsigned char)*title;

		if (isspace(c) || (ispunct(c) && c != '_')) {
			gap = 1;
			continue;
		}
		if (gap && sb.len) {
			strbuf_addch(&sb, ' ');
			last_word = sb.len;
		}
		gap = 0;
		strbuf_addch(&sb, (char)tolower(c));
	}
	/* A version in the title ("... ground work (v3)") changes with each reroll. */
	if (last_word && sb.buf[last_word] == 'v' && sb.len > last_word + 1) {
		for (i = last_word + 1; i < sb.len && isdigit((unsigned char)sb.buf[i]); i++)
			;
		if (i == sb.len)
			strbuf_setlen(&sb, last_word - 1);
	}
	return strbuf_detach(&sb, NULL);
}
