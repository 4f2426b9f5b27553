/*
 * changelog.h - what a patch mail says of its revisions below the prose.
 *
 * Kernel patches keep a changelog ("Changes in v3:", "v2 -> v3:",
 * "v3:", b4's "Changes since v2:") after "---" or in the cover letter,
 * and git format-patch writes a diffstat there.  The prose (prose.h)
 * leaves both out; this reads them, for the revision facts of a summary
 * ("v3: fix the leak") and for an external summarizer's input.
 *
 * Everything here works on text alone.  Functions appending to a strbuf
 * never reset it.
 */
#ifndef BPFDIGEST_CHANGELOG_H
#define BPFDIGEST_CHANGELOG_H

struct strbuf;

/*
 * The changelog of the revision to version found in text: its first
 * item that is not a link, as one line without a final period (a first
 * capital lowered: it reads as a clause).  Returns 1 when found, 0
 * otherwise.  text may be NULL.
 */
int changelog_item(struct strbuf *out, const char *text, unsigned version);
/* Every changelog line of text (headers, then "- item" lines), as written. */
void changelog_lines(struct strbuf *out, const char *text);
/* The diffstat lines of a patch's notes ("file | 3 +-", "1 file changed"). */
void changelog_diffstat(struct strbuf *out, const char *notes);

#endif
