/*
 * mail-mime.h - the body of a mail decoded to its text, for mail.c.
 *
 * mime.h decodes one thing at a time (a transfer encoding, a charset,
 * an encoded word); this walks the MIME structure of a whole message:
 * multipart (nested, up to MAIL_MAX_MIME_DEPTH), base64 and
 * quoted-printable, any charset to UTF-8, format=flowed undone, HTML
 * only when there is no text/plain, and patches attached as
 * text/x-patch, text/x-diff or as .patch or .diff files put after the
 * text.  Signatures, images and forwarded messages are left out.
 *
 * This is mail.c's own header, not a public one (mail_decode_body() in
 * mail.h is the public way in).  The header block is mail-header.h's;
 * the decoded text is appended to a strbuf the caller owns.
 */
#ifndef BPFDIGEST_MAIL_MIME_H
#define BPFDIGEST_MAIL_MIME_H

#include <stddef.h>

struct header_block;
struct strbuf;

/*
 * The whole decoded body, CRLF made LF and NULs dropped, into out (an
 * empty out takes the buffer rather than a copy); *attached_at is where
 * attached patches begin in it (out->len when there are none).  Returns
 * the mail flags the decoding raised (MAIL_BAD_CHARSET,
 * MAIL_UNKNOWN_CHARSET, MAIL_DEEP_MIME, MAIL_LONG_HEADER).
 */
unsigned mail_mime_decode(struct strbuf *out, size_t *attached_at,
			  const struct header_block *hb, const char *body, size_t len);

/*
 * Whether the body can be read in place: one text/plain part without a
 * transfer encoding or format=flowed, already valid UTF-8 with LF line
 * ends.  This is most patch mail, and reading it costs no copy.
 */
int mail_mime_is_plain(const struct header_block *hb, const char *body, size_t len);

#endif
