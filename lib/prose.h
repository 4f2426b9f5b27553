/*
 * prose.h - the prose of a mail's text, as sentences a summary can take.
 *
 * The first stage of a summary (summary.h composes what this stage
 * gives).  From a commit message or a cover letter it keeps the prose:
 * paragraphs without quoted lines, URLs, trailers, in-body "From:"
 * headers, changelogs, diffstats, code and logs.  It splits that into
 * sentences without breaking "e.g.", "foo()" or "v6.12", and says which
 * sentences are fit to be read on their own.  Changelogs and diffstats,
 * which it leaves out, are read by changelog.h.
 *
 * Everything here works on text alone: no mail, series or tree.
 * Functions appending to a strbuf never reset it.
 */
#ifndef BPFDIGEST_PROSE_H
#define BPFDIGEST_PROSE_H

#include <stddef.h>

struct strbuf;

/*
 * The prose of a message text, one line per paragraph, appended to out.
 * text may be NULL.
 */
void prose_text(struct strbuf *out, const char *text);

/*
 * Split text into sentences: calls fn with each sentence (trimmed, one
 * line) until fn returns non-zero.  A newline always ends a sentence.
 * Returns the number of sentences seen.
 */
size_t prose_sentences(const char *text,
		       int (*fn)(const char *sentence, size_t len, void *data),
		       void *data);

/* Where the first sentence of text ends (as prose_sentences() splits it), or NULL. */
const char *prose_first_sentence_end(const char *text);

/*
 * A sentence fit for a summary, cleaned (a final period added), appended
 * to out with a space before it when out is not empty.  Returns 1, or 0
 * (out untouched) for sentences that are not fit: URLs, fragments,
 * greetings, "as follows:" leads.
 */
int prose_clean_sentence(struct strbuf *out, const char *s, size_t len);

/* Taking the first sentences of prose (prose_text's output) into out. */
struct prose_collect {
	struct strbuf *out;
	size_t taken, max, in_para, para_max;
};
/* Take up to max more sentences of prose into c; the opening paragraph gives two. */
void prose_collect(struct prose_collect *c, const char *prose, size_t max);

/*
 * The first max sentences of text's prose, cleaned, appended to out
 * with a space between them.  Appends nothing when text (which may be
 * NULL) has no prose.
 */
void prose_lead(struct strbuf *out, const char *text, size_t max);

/* One line of a text, and it without its surrounding space. */
struct prose_line {
	const char *raw, *l;
	size_t rawlen, len;
};
/* The next line of *p into ln, *p moved past it; 0 at the end. */
int prose_next_line(const char **p, struct prose_line *ln);
/* Where prose ends: signatures, b4 footers, shortlogs, diffstats, pulls. */
int prose_is_stop_line(const char *raw, size_t rawlen, const char *l, size_t len);
/* 1 for an imperative verb that opens kernel patch titles ("add", "Fix"). */
int prose_is_verb(const char *w, size_t len);
/* The words of s (len bytes), as spaces separate them. */
size_t prose_count_words(const char *s, size_t len);
/* 1 when s (len bytes) starts with prefix, case aside. */
int prose_starts_with_ci(const char *s, size_t len, const char *prefix);

/* The helpers changelog.c shares with the prose, on a line of len bytes: */
/* the length of a list bullet ("- ", "1. ", "a) ") at l, 0 when none */
size_t prose_bullet_len(const char *l, size_t len);
/* 1 for an underline or separator: "-----", "=====" */
int prose_is_separator(const char *l, size_t len);
/* 1 when brackets and double quotes are closed (an item cut at a wrapped line is not) */
int prose_is_balanced(const char *s, size_t len);
/* drop footnote markers ("[1]") from sb at from on, and a word that pointed at one */
void prose_strip_footnotes(struct strbuf *sb, size_t from);
/*
 * 1 for a changelog header line: "Changes in v3:", "Changes since v2:",
 * "v2 -> v3:", "v3:", "V3: inline item", "Changelog:"; sets *version
 * (0 when the header names none) and *rest (the offset of an inline
 * item, len when none).
 */
int prose_changelog_header(const char *l, size_t len, unsigned *version, size_t *rest);

#endif
