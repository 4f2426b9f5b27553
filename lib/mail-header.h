/*
 * mail-header.h - the header block of a mail, for mail.c and mail-mime.c.
 *
 * A mail's headers are read in two steps.  mail_header_scan() finds the
 * header lines of raw bytes and remembers where the value of each header
 * we use sits (struct header_block): nothing is copied, and of repeated
 * headers only the first is kept.  The functions below then turn one of
 * those raw values into text: unfolded, RFC 2047-decoded (mime.h), an
 * address split into its name and email, or, with mail_header_facts(),
 * every header fact of a struct mail at once (ids, subject, sender, Date:,
 * arrival).
 *
 * This is mail.c's own header, not a public one: only lib/mail*.c include
 * it; the rest of the program sees struct mail (mail.h).  A header_block
 * points into the caller's bytes, which must outlive it; every string
 * returned is new and the caller's to free.
 *
 *   struct header_block hb;
 *
 *   if (!mail_header_scan(&hb, raw, len))
 *           return -1;              (not a mail)
 *   body = raw + hb.end;
 */
#ifndef BPFDIGEST_MAIL_HEADER_H
#define BPFDIGEST_MAIL_HEADER_H

#include <stddef.h>

struct mail;
struct strbuf;

/* Lists longer than this are no longer checked for repeats (no quadratic scans). */
#define MAX_DEDUP 64

/* The headers we read; the dozens of Received/ARC/DKIM ones are skipped. */
enum header_id {
	H_MESSAGE_ID, H_IN_REPLY_TO, H_REFERENCES, H_SUBJECT, H_FROM,
	H_DATE, H_LIST_ID, H_RECEIVED, H_CONTENT_TYPE, H_CTE,
	H_CONTENT_DISPOSITION, H_X_ORIGINAL_FROM, H_REPLY_TO, H_NR
};

/* A header value as it sits in the raw bytes, folding included. */
struct raw_header {
	const char *value;
	size_t len;
};

struct header_block {
	struct raw_header h[H_NR];
	size_t end;	/* offset of the body */
	unsigned flags;	/* MAIL_LONG_HEADER */
};

/*
 * Find the header lines of buf and remember the first occurrence of each
 * header we want (the first Received: is the last hop).  The block ends
 * at an empty line, or before the first line that is not a header.
 * Returns the number of header lines, 0 when buf does not start with one.
 */
size_t mail_header_scan(struct header_block *hb, const char *buf, size_t len);

/* Unfold a header value into sb (reset first): line breaks removed, tabs made spaces, trimmed. */
void mail_header_unfold(struct strbuf *sb, const struct raw_header *h);

/*
 * The first mailbox of a raw address header, unfolded, split into a
 * display name and an email, then decoded (new strings, "" when absent).
 */
void mail_header_address(const struct raw_header *h, char **name, char **email);

/*
 * Every fact of m the headers give: message-ids (a synthesised one when
 * there is none), subject, sender (with a list's DMARC rewrite undone),
 * List-Id, Date: and arrival; raw[0, len) is the whole mail.
 */
void mail_header_facts(struct mail *m, const struct header_block *hb,
		       const char *raw, size_t len);

/* Skip an mbox "From " line before the headers. */
void mail_skip_from_line(const char **raw, size_t *len);

/*
 * Append s to a list of ids or paths unless it is there already (then
 * s is freed): the list owns its strings.  Repeats are looked for in the
 * first MAX_DEDUP entries only.
 */
void mail_list_add_unique(char ***list, size_t *nr, size_t *alloc, char *s);

#endif
