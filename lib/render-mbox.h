/*
 * render-mbox.h - a digest as one mboxrd message, ready to mail.
 *
 * The message has the headers git send-email and git am expect (From:
 * when an identity is known, To: the list, Subject: "[bpf digest] week
 * 2026-W15", Date: the Generated time, a Message-ID derived from the
 * content, UTF-8 text in 8bit) and the text layout as its body, with
 * paragraphs wrapped at 72 columns and a blank line between entries.
 * Body lines that start with "From " (after any '>') are quoted the
 * mboxrd way (mbox.h), so splitting the mbox gives the message back.
 * The same digest and Generated time give the same bytes.
 */
#ifndef BPFDIGEST_RENDER_MBOX_H
#define BPFDIGEST_RENDER_MBOX_H

#include <stddef.h>

struct digest;
struct render_options;
struct strbuf;

void render_digest_mbox(struct strbuf *out, const struct digest *d,
			const struct render_options *opts);

/*
 * One archived message as mboxrd, as public-inbox and lei write it: a
 * "From mboxrd@z ..." line, the message quoted (any "From " line it
 * starts with dropped), a newline at its end, and the blank line that
 * ends it.  git am and b4 am read what this writes.
 */
void render_mbox_message(struct strbuf *out, const char *raw, size_t len);

/*
 * Add trailer lines ("Acked-by: Name <email>", "Link: ...") to the
 * commit message of one archived patch, as b4 am does: after the last
 * line before the "---" that ends the message (a blank line first when
 * that paragraph is not a block of trailers), each line once (one
 * already in the message is left out).  raw is the whole message, the
 * result goes to out.  A body this cannot edit without decoding it (a
 * MIME multipart, base64 or quoted-printable, or no "---" line) is
 * copied as it is and -1 returned; 0 otherwise.
 */
int render_mbox_add_trailers(struct strbuf *out, const char *raw, size_t len,
			     const char *const *lines, size_t nr);

/* Append text wrapped at width columns (words longer than that stay whole). */
void render_wrap(struct strbuf *out, const char *text, size_t width);

#endif
