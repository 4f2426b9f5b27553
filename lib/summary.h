/*
 * summary.h - a few sentences saying what a posted patch does.
 *
 * The offline summariser is extractive and deterministic: it takes the
 * first paragraphs of the commit message (or the cover letter), drops
 * what is not prose (quoted lines, URLs, trailers, changelogs), splits
 * sentences without breaking "e.g.", "foo()" or "v6.12", keeps the first
 * few, and adds where the patch sits: its position in the series and
 * which revision it is.
 *
 * The patch's mail (and its cover's) must have their body loaded
 * (MAIL_HAS_BODY); patches without one get a summary from their facts.
 */
#ifndef BPFDIGEST_SUMMARY_H
#define BPFDIGEST_SUMMARY_H

#include <stddef.h>

struct strbuf;
struct series_patch;

/* Append the summary of p to out (no trailing newline). */
void summary_patch(struct strbuf *out, const struct series_patch *p);

/*
 * Split text into sentences: calls fn with each sentence (trimmed, one
 * line) until fn returns non-zero.  Returns the number of sentences seen.
 */
size_t summary_sentences(const char *text,
			 int (*fn)(const char *sentence, size_t len, void *data),
			 void *data);

/*
 * The prose of a message text: paragraphs without quoted lines, URLs,
 * trailers, "Changes in vN" lists and the like, joined into one line per
 * paragraph.  Appends to out.
 */
void summary_prose(struct strbuf *out, const char *text);

#endif
