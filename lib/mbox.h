/*
 * mbox.h - the mbox family of formats: splitting and quoting.
 *
 * An mbox is messages separated by "From " lines.  In mboxrd (what lei
 * and public-inbox write) a body line that starts with any number of
 * '>' and then "From " gets one more '>' when written and loses it when
 * read, so the transformation is reversible.  mboxo quotes only "From "
 * itself; reading it with mboxrd rules differs only for lines that
 * already started with ">From ", which real patch mail does not contain.
 *
 * A separator is a "From " line at the start of the input (blank lines
 * before it skipped, as git mailsplit does) or after an empty line, as
 * every writer puts it; this also reads the "git format-patch --stdout"
 * concatenation.  After an empty line it must look like an envelope, a
 * sender and a date with its time ("From x Thu Jan  1 00:00:00 1970"),
 * so that an mboxo body's unquoted "From the start, ..." stays text.
 */
#ifndef BPFDIGEST_MBOX_H
#define BPFDIGEST_MBOX_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

/*
 * Called once per message with the raw bytes between its "From " line
 * (excluded) and the next separator, still quoted, and the offset of its
 * "From " line in the input.  A non-zero return stops the split.
 */
typedef int (*mbox_message_fn)(const char *msg, size_t len, uint64_t offset,
			       void *data);

/*
 * Split buf into messages.  Input that does not start with "From " is one
 * message (a bare .eml or .patch file).  Returns fn's non-zero value, or
 * the number of messages.
 */
long mbox_split(const char *buf, size_t len, mbox_message_fn fn, void *data);

/* 1 when buf starts like an mbox: a "From " line, blank lines before it allowed. */
int mbox_is_mbox(const char *buf, size_t len);

/* Undo mboxrd quoting of one message (one '>' less), appending to out. */
void mbox_unquote(struct strbuf *out, const char *msg, size_t len);
/* Undo mboxo quoting: only ">From " loses its '>' (">>From " stays). */
void mbox_unquote_mboxo(struct strbuf *out, const char *msg, size_t len);
/* Quote one message for mboxrd, appending to out (no separator line). */
void mbox_quote(struct strbuf *out, const char *msg, size_t len);

#endif
