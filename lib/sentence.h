/*
 * sentence.h - the sentences of prose, and which a summary can take.
 *
 * The middle layer of reading prose: prose.h gives the paragraphs of a
 * mail's text, this splits them into sentences without breaking "e.g.",
 * "foo()" or "v6.12", and says which sentences are fit to be read on
 * their own (not URLs, fragments, greetings, "as follows:" leads, code
 * that slipped through).  Lines are judged by textline.h.
 *
 * Everything here works on text alone.  Functions appending to a strbuf
 * never reset it; the caller owns every strbuf and text.
 */
#ifndef BPFDIGEST_SENTENCE_H
#define BPFDIGEST_SENTENCE_H

#include <stddef.h>

struct strbuf;

/*
 * Split text into sentences: calls fn with each sentence (trimmed, one
 * line) until fn returns non-zero.  A newline always ends a sentence.
 * Returns the number of sentences seen.
 */
size_t sentence_split(const char *text,
		      int (*fn)(const char *sentence, size_t len, void *data),
		      void *data);

/* Where the first sentence of text ends (as sentence_split() splits it), or NULL. */
const char *sentence_first_end(const char *text);

/*
 * A sentence fit for a summary, cleaned (a final period added), appended
 * to out with a space before it when out is not empty.  Returns 1, or 0
 * (out untouched) for sentences that are not fit: URLs, fragments,
 * greetings, "as follows:" leads.
 */
int sentence_clean(struct strbuf *out, const char *s, size_t len);

/* 1 when brackets and double quotes are closed (an item cut at a wrapped line is not) */
int sentence_is_balanced(const char *s, size_t len);

/* Taking the first sentences of prose (prose_text's output) into out. */
struct sentence_collect {
	struct strbuf *out;	/* the caller's */
	size_t taken, max, in_para, para_max;
};
/* Take up to max more sentences of prose into c; the opening paragraph gives two. */
void sentence_collect(struct sentence_collect *c, const char *prose, size_t max);

#endif
