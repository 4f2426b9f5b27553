/*
 * prose.h - the prose of a mail's text, and its lead for a summary.
 *
 * The first stage of a summary (summary.h composes what this stage
 * gives).  From a commit message or a cover letter it keeps the prose:
 * paragraphs without quoted lines, URLs, trailers, in-body "From:"
 * headers, changelogs, diffstats, code and logs, and folds short lists
 * into the paragraph that leads into them.  What each line is comes
 * from textline.h; the sentences of the prose and which of them a
 * summary can take from sentence.h.  Changelogs and diffstats, which
 * it leaves out, are read by changelog.h.
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
 * The first max sentences of text's prose, cleaned, appended to out
 * with a space between them.  Appends nothing when text (which may be
 * NULL) has no prose.
 */
void prose_lead(struct strbuf *out, const char *text, size_t max);

#endif
