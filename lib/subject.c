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

/*
 * Patterns, compiled once.  Subjects are short, so plain backtracking
 * matching is cheap; JIT is not worth its start-up cost here.
 */
static pcre2_code *re_reply, *re_bracket, *re_of;

static pcre2_code *compile(const char *pattern)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_CASELESS | PCRE2_UTF, &errcode, &erroff, NULL);

	if (!re)
		die("cannot compile pattern '%s' at offset %zu", pattern, (size_t)erroff);
	return re;
}

static void init_patterns(void)
{
	if (re_reply)
		return;
	/* "Re:", "RE[2]:", "Aw:", "Sv:", "Antw:", "Fwd:", "Fw:", "R:" */
	re_reply = compile("^\\s*(re|aw|sv|antw|r|fwd?)\\s*(\\[\\d+\\])?\\s*:\\s*");
	/* One bracket group, nested brackets allowed one level deep. */
	re_bracket = compile("^\\s*\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\s*");
	/* "PATCH 3 of 5" without brackets. */
	re_of = compile("^\\s*(?:(rfc)\\s+)?patch\\s+(\\d+)\\s+of\\s+(\\d+)\\s*:?\\s*");
}

/* Match re at s; on success return the match length and fill groups. */
static size_t match(pcre2_code *re, const char *s, PCRE2_SIZE *groups, int ngroups)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
	size_t len = 0;

	if (rc > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		int i;

		len = ov[1];
		for (i = 0; i < ngroups * 2; i++)
			groups[i] = i < rc * 2 ? ov[i] : PCRE2_UNSET;
	}
	pcre2_match_data_free(md);
	return len;
}

static int is_number(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Interpret one token of a bracket group; returns 1 when it was understood. */
static int take_token(struct subject *out, const char *t, size_t len)
{
	const char *slash = memchr(t, '/', len);

	if (len == 5 && !strncasecmp(t, "PATCH", 5)) {
		out->flags |= SUBJECT_PATCH;
		return 1;
	}
	/* PATCHv3, PATCH-v3 */
	if (len > 5 && !strncasecmp(t, "PATCH", 5)) {
		const char *v = t + 5;

		if (*v == '-')
			v++;
		if ((*v == 'v' || *v == 'V') && is_number(v + 1, len - (size_t)(v + 1 - t))) {
			out->flags |= SUBJECT_PATCH | SUBJECT_VERSIONED;
			out->version = (unsigned)strtoul(v + 1, NULL, 10);
			return 1;
		}
	}
	if ((t[0] == 'v' || t[0] == 'V') && is_number(t + 1, len - 1)) {
		out->flags |= SUBJECT_VERSIONED;
		out->version = (unsigned)strtoul(t + 1, NULL, 10);
		if (!out->version)
			out->version = 1;
		return 1;
	}
	if (len == 3 && !strncasecmp(t, "RFC", 3)) {
		out->flags |= SUBJECT_RFC;
		return 1;
	}
	if (len == 6 && !strncasecmp(t, "RESEND", 6)) {
		out->flags |= SUBJECT_RESEND;
		return 1;
	}
	if (slash && is_number(t, (size_t)(slash - t)) &&
	    is_number(slash + 1, len - (size_t)(slash - t) - 1)) {
		out->position = (unsigned)strtoul(t, NULL, 10);
		out->total = (unsigned)strtoul(slash + 1, NULL, 10);
		out->flags |= SUBJECT_PATCH;
		return 1;
	}
	return 0;
}

static int is_tree_name(const char *t, size_t len)
{
	size_t i;
	int alpha = 0;

	for (i = 0; i < len; i++) {
		if (isalpha((unsigned char)t[i]))
			alpha = 1;
		else if (!isdigit((unsigned char)t[i]) && t[i] != '-' && t[i] != '.' && t[i] != '_')
			return 0;
	}
	return alpha;
}

static void parse_group(struct subject *out, const char *g, size_t len)
{
	size_t i = 0;

	/* "[GIT PULL]" and "[GIT PULL bpf-next]" */
	if (len >= 8 && !strncasecmp(g, "GIT PULL", 8))
		out->flags |= SUBJECT_PULL;
	while (i < len) {
		size_t start;

		while (i < len && (isspace((unsigned char)g[i]) || g[i] == ',' || g[i] == '[' || g[i] == ']'))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)g[i]) && g[i] != ',' && g[i] != '[' && g[i] != ']')
			i++;
		if (i == start)
			continue;
		if (take_token(out, g + start, i - start))
			continue;
		if (!out->tree && is_tree_name(g + start, i - start) &&
		    strncasecmp(g + start, "GIT", 3) && strncasecmp(g + start, "PULL", 4)) {
			out->tree = xstrndup(g + start, i - start);
			/* Tree names are lowercase on every list we know. */
			for (char *p = out->tree; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		}
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

void subject_parse(struct subject *out, const char *s)
{
	struct strbuf prefix = STRBUF_INIT;
	PCRE2_SIZE g[8];

	init_patterns();
	memset(out, 0, sizeof(*out));
	out->version = 1;
	for (;;) {
		size_t n;

		if ((n = match(re_reply, s, g, 2))) {
			if (tolower((unsigned char)s[g[2]]) == 'f')
				out->flags |= SUBJECT_FORWARD;
			else
				out->flags |= SUBJECT_REPLY;
			s += n;
			continue;
		}
		if ((n = match(re_bracket, s, g, 2))) {
			if (prefix.len)
				strbuf_addch(&prefix, ' ');
			strbuf_add(&prefix, s, n);
			strbuf_trim(&prefix);
			parse_group(out, s + g[2], g[3] - g[2]);
			s += n;
			continue;
		}
		if ((n = match(re_of, s, g, 4))) {
			if (g[2] != PCRE2_UNSET)
				out->flags |= SUBJECT_RFC;
			out->position = (unsigned)strtoul(s + g[4], NULL, 10);
			out->total = (unsigned)strtoul(s + g[6], NULL, 10);
			out->flags |= SUBJECT_PATCH;
			s += n;
			continue;
		}
		break;
	}
	if (!strncasecmp(s, "pull-request:", 13) || !strncasecmp(s, "pull request:", 13))
		out->flags |= SUBJECT_PULL;
	out->title = collapse_spaces(s);
	out->prefix = strbuf_detach(&prefix, NULL);
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
	int gap = 0;

	for (; *title; title++) {
		unsigned char c = (unsigned char)*title;

		if (isspace(c) || (ispunct(c) && c != '_')) {
			gap = 1;
			continue;
		}
		if (gap && sb.len)
			strbuf_addch(&sb, ' ');
		gap = 0;
		strbuf_addch(&sb, (char)tolower(c));
	}
	return strbuf_detach(&sb, NULL);
}
