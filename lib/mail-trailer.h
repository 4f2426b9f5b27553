/*
 * mail-trailer.h - a mail's trailers, for mail.c.
 *
 * mail.c finds where the message ends (before "---", the signature or
 * the diff) and which lines elsewhere may hold a review trailer; this
 * reads the trailers there into mail->trailers: the message's trailer
 * block by git's rules (those of git_message_trailers(), as mail.h
 * describes them), and review trailers one line at a time, each kept
 * once.
 *
 * This is mail.c's own header, not a public one: only lib/mail*.c include
 * it; the rest of the program sees struct mail_trailer (mail.h).  Both
 * functions append to m->trailers, whose allocation *alloc is the
 * caller's to keep between calls.
 *
 *   size_t alloc = 0, start, end;
 *
 *   mail_trailer_block(m, &alloc, s, msg_end, &start, &end);
 *   mail_trailer_review(m, &alloc, s + line, s + review_end);
 */
#ifndef BPFDIGEST_MAIL_TRAILER_H
#define BPFDIGEST_MAIL_TRAILER_H

#include <stddef.h>

struct mail;

/*
 * Whether the token before the colon (the line starting at line) ends
 * in "-by", as review trailers do: "Acked-by", "Reviewed-By", ...
 */
static inline int is_by_token(const char *colon, const char *line)
{
	return colon - line >= 4 && colon[-3] == '-' && (colon[-2] | 0x20) == 'b' &&
	       (colon[-1] | 0x20) == 'y';
}

/*
 * The trailer block of the message s[0..len) (its subject and the blank
 * line after it precede s): its trailers are appended to m, and
 * [*start, *end) is where it is in s (*start == *end when there is none).
 */
void mail_trailer_block(struct mail *m, size_t *alloc, const char *s, size_t len,
			size_t *start, size_t *end);

/*
 * The line at l (up to end), if it is "<blanks>Xxx-by: ... @ ...": a
 * review trailer, appended to m unless m has the same one already.
 */
void mail_trailer_review(struct mail *m, size_t *alloc, const char *l, const char *end);

#endif
