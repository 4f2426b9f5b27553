/*
 * textsafe.h - text written by strangers, made safe to show.
 *
 * Mail comes from anyone, and what we print of it goes to terminals,
 * pagers, git notes and mail readers.  A subject, a name in a trailer or
 * a sentence of a commit message may hold characters that are not text
 * but instructions to whatever displays them:
 *
 *   C0 and DEL   U+0000..U+001F, U+007F: ESC starts a terminal escape
 *                sequence (clear the screen, retitle the window, fake a
 *                hyperlink, set colours that hide the text); CR and BS
 *                overwrite what came before
 *   C1           U+0080..U+009F: CSI, OSC and the like in their 8-bit
 *                form, which some terminals obey
 *   bidi         U+202A..U+202E and U+2066..U+2069: embeddings,
 *                overrides and isolates that make text read otherwise
 *                than it is written; the marks U+200E, U+200F, U+061C
 *   invisible    U+2028 and U+2029 (line and paragraph separators: a new
 *                line where none is seen), U+FEFF (zero-width no-break
 *                space), the tags U+E0000..U+E007F (text no one sees,
 *                which a model reads)
 *
 * and bytes that are not UTF-8 at all.  The mail stage passes every
 * one-line fact it keeps (subjects, names, Message-IDs, trailers, paths)
 * through textsafe_line(), and the stages that write text (summaries,
 * notes, markdown) pass what they take from message bodies through these
 * too, so that no output carries them whatever the format.  JSON output
 * needs no help: it escapes controls itself.
 *
 * Each of these characters becomes one space (textsafe_text() keeps
 * newlines and tabs); each byte that is not part of valid UTF-8 becomes
 * U+FFFD.  Everything else, all of Unicode's text, is kept as it is.
 */
#ifndef BPFDIGEST_TEXTSAFE_H
#define BPFDIGEST_TEXTSAFE_H

#include <stddef.h>

struct strbuf;

/* Append s[0, len) to out as one line of safe text. */
void textsafe_line(struct strbuf *out, const char *s, size_t len);

/* Append s[0, len) to out as safe text, newlines and tabs kept. */
void textsafe_text(struct strbuf *out, const char *s, size_t len);

/*
 * 1 when s[0, len) needs no change: textsafe_line() (multiline 0) or
 * textsafe_text() (multiline 1) would append it as it is.
 */
int textsafe_is_safe(const char *s, size_t len, int multiline);

/*
 * The same as textsafe_line() for a malloc()ed string the caller gives
 * up: returns it when it is safe already, else a safe copy (freeing s).
 * NULL stays NULL.
 */
char *textsafe_line_owned(char *s);

/*
 * Make what sb holds from offset from on safe text, in place (multiline
 * as for textsafe_is_safe()).
 */
void textsafe_strbuf(struct strbuf *sb, size_t from, int multiline);

/*
 * Append s to out, but at most max characters of it (UTF-8 sequences
 * are kept whole): when s is longer, its first max - 1 and "\u2026" (an
 * ellipsis).  A subject of ten megabytes is no title.
 */
void textsafe_cap(struct strbuf *out, const char *s, size_t max);

#endif
