/*
 * summary-candidates.c - gathering and scoring the sentences a summary
 * may take; summary-candidates.h says what and who owns what.
 */
#include "summary-candidates.h"
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

/* Longer sentences read badly in a summary; shorter say little. */
#define MAX_WORDS 60
#define MIN_WORDS 4

static int has_word_ci(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w), i;
	int first = tolower((unsigned char)*w);

	/* At word starts only, and their first letter first: this runs for every cue. */
	for (i = 0; i + wl <= len; i++) {
		if (tolower((unsigned char)s[i]) != first ||
		    (i && isalnum((unsigned char)s[i - 1])))
			continue;
		if (!strncasecmp(s + i, w, wl) && (i + wl == len || !isalnum((unsigned char)s[i + wl])))
			return 1;
	}
	return 0;
}

/* How many of the cues (at most 64) are in s, as words; one pass over s. */
static int count_cues(const char *s, size_t len, const char *const *cues, size_t n)
{
	uint64_t seen = 0;
	size_t i, k;
	int hits = 0;

	for (i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[i]);

		if (i && isalnum((unsigned char)s[i - 1]))
			continue;
		for (k = 0; k < n && k < 64; k++) {
			size_t wl;

			if (cues[k][0] != c || (seen & ((uint64_t)1 << k)))
				continue;
			wl = strlen(cues[k]);
			if (i + wl <= len && !strncasecmp(s + i, cues[k], wl) &&
			    (i + wl == len || !isalnum((unsigned char)s[i + wl]))) {
				seen |= (uint64_t)1 << k;
				hits++;
			}
		}
	}
	return hits;
}

/* Words of the sentence that are in the title (four letters or more). */
static int title_overlap(const char *s, size_t len, const char *title)
{
	const char *w = title;
	int n = 0;

	while (*w) {
		const char *e = w;
		char word[64];

		while (*e && (isalnum((unsigned char)*e) || *e == '_'))
			e++;
		if (e - w >= 4 && (size_t)(e - w) < sizeof(word)) {
			memcpy(word, w, (size_t)(e - w));
			word[e - w] = '\0';
			n += has_word_ci(s, len, word);
		}
		w = *e ? e + 1 : e;
	}
	return n;
}

/* Words of four letters or more. */
static size_t long_words(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t b = i;

		while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		n += i - b >= 4;
		i++;
	}
	return n;
}

/* Identifiers of the sentence ("bpf_map_lookup", "foo()") that the diff names. */
static int diff_overlap(const char *s, size_t len, const char *diff)
{
	size_t i = 0, difflen;
	int n = 0;

	if (!diff)
		return 0;
	difflen = strlen(diff);
	if (difflen > 8192)
		difflen = 8192;	/* the head of a long diff says enough, and fast */
	while (i < len && n < 3) {
		size_t b = i;
		int ident = 0;

		while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_')) {
			ident |= s[i] == '_';
			i++;
		}
		if (i < len && s[i] == '(')
			ident = 1;
		if (ident && i - b >= 4 && memmem(diff, difflen, s + b, i - b))
			n++;
		i++;
	}
	return n;
}

static const char *const problem_cues[] = {
	"currently", "without", "today", "however", "but", "fails", "fail", "failed",
	"crash", "crashes", "leak", "leaks", "broken", "breaks", "wrong", "incorrect",
	"incorrectly", "missing", "cannot", "can't", "doesn't", "does not", "isn't",
	"is not", "never", "problem", "issue", "bug", "results in", "leads to",
	"can lead", "causes", "triggers", "warning", "error", "panic", "deadlock",
	"race", "overflow", "out-of-bounds", "use-after-free", "null", "unable",
	"only", "instead of", "mistakenly", "accidentally", "regression", "slow",
};

static const char *const fix_cues[] = {
	"fix this", "this patch", "this commit", "this change", "this series",
	"this set", "to fix", "to address", "to avoid", "to solve", "so that",
	"instead", "by", "now", "we can", "allows", "adds", "introduces", "makes",
	"ensures", "prevents", "teaches", "moves", "uses", "replaces", "removes",
};

/* s opens with one of the words (a word, not its prefix), case aside. */
static int starts_with_word(const char *s, size_t len, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(words[i]);

		if (len > l && !strncasecmp(s, words[i], l) && !isalnum((unsigned char)s[l]))
			return 1;
	}
	return 0;
}

/* Sentences that lean on the one before them ("Also ...", "This is why ..."). */
static int leans_back(const char *s, size_t len)
{
	static const char *const starts[] = {
		"also", "so", "thus", "hence", "therefore", "that", "this is", "these are",
		"then", "and", "but", "plus", "otherwise", "similarly",
		"likewise", "as such", "in that case", "in this case",
	};

	return starts_with_word(s, len, starts, ARRAY_SIZE(starts));
}

/* "Also ...", "And ...", "But ...": never a sentence of its own. */
static int starts_with_conjunction(const char *s, size_t len)
{
	static const char *const starts[] = { "also", "and", "but", "plus", "or" };

	return starts_with_word(s, len, starts, ARRAY_SIZE(starts));
}

static int add_candidate(const char *s, size_t len, void *data)
{
	struct summary_candidates *c = data;
	struct strbuf sb = STRBUF_INIT;
	struct summary_candidate *k;
	size_t words, pos = c->pos++;
	int overlap;

	if (c->nr >= SUMMARY_MAX_CANDIDATES)
		return 1;
	if (!sentence_clean(&sb, s, len)) {
		strbuf_release(&sb);
		return 0;
	}
	words = textline_count_words(sb.buf, sb.len);
	if (words > MAX_WORDS || starts_with_conjunction(sb.buf, sb.len)) {
		strbuf_release(&sb);
		return 0;
	}
	/* "Test the widget map type." under the lead "Tests widget maps." says it twice. */
	if (c->lead && words <= 10 &&
	    long_words(sb.buf, sb.len) <= (size_t)title_overlap(sb.buf, sb.len, c->title) + 1) {
		strbuf_release(&sb);
		return 0;
	}
	k = &c->v[c->nr++];
	k->weak = words < MIN_WORDS || leans_back(sb.buf, sb.len);
	k->mid = c->mid;
	k->part = c->part;
	k->pos = pos;
	overlap = title_overlap(sb.buf, sb.len, c->title) + 2 * diff_overlap(sb.buf, sb.len, c->diff);
	k->problem = 3 * count_cues(sb.buf, sb.len, problem_cues, ARRAY_SIZE(problem_cues));
	k->fix = 3 * count_cues(sb.buf, sb.len, fix_cues, ARRAY_SIZE(fix_cues));
	if (k->problem)
		k->problem += overlap - (int)pos;
	k->fix += overlap - (int)pos / 2;
	if (!strncasecmp(sb.buf, "Fix this by", 11) || !strncasecmp(sb.buf, "This patch", 10))
		k->fix += 6;
	if (!strncasecmp(sb.buf, "Currently", 9) || !strncasecmp(sb.buf, "Without this", 12))
		k->problem += 6;
	k->text = strbuf_detach(&sb, NULL);
	return 0;
}

void summary_candidates_gather(struct summary_candidates *c, const char *text, const char *mid,
			       enum summary_part part)
{
	struct strbuf prose = STRBUF_INIT;

	c->mid = mid;
	c->part = part;
	c->pos = 0;
	prose_text(&prose, text);
	if (prose.len)
		sentence_split(prose.buf, add_candidate, c);
	strbuf_release(&prose);
}

void summary_candidates_release(struct summary_candidates *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->v[i].text);
}

struct summary_candidate *summary_candidates_best(struct summary_candidates *c, int problem,
						  const char *taken, int weak)
{
	struct summary_candidate *top = NULL;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct summary_candidate *k = &c->v[i];
		int score = problem ? k->problem : k->fix;

		if (taken[i] || (problem && k->problem <= 0) || (k->weak && !weak))
			continue;
		if (!top || score > (problem ? top->problem : top->fix))
			top = k;
	}
	return top;
}
