/*
 * archive.h - every message of the configured inboxes, parsed.
 *
 * The archive joins the inbox and mail stages: it scans each inbox,
 * parses every message with MAIL_PARSE_FACTS_ONLY (headers and the small
 * facts, not the body) and keeps them in archive order, one struct mail
 * per Message-ID.  Messages that cannot be parsed are reported with
 * warning() naming where they are, counted, and skipped.
 *
 * archive_load_body() reads one message again and fills in its body,
 * for the few messages whose text a digest or note needs.
 *
 * The archive owns its inboxes and mails.
 */
#ifndef BPFDIGEST_ARCHIVE_H
#define BPFDIGEST_ARCHIVE_H

#include <stddef.h>

#include "strmap.h"

struct inbox;
struct mail;
struct strbuf;

struct archive {
	struct inbox **inboxes;
	size_t inboxes_nr;
	struct mail **mails;	/* archive order; one per Message-ID */
	size_t nr, alloc;
	struct strmap by_mid;
	size_t seen;		/* messages read from the inboxes */
	size_t broken;		/* ... of which could not be parsed */
	size_t duplicates;	/* ... of which repeated a Message-ID */
};

#define ARCHIVE_INIT { NULL, 0, NULL, 0, 0, STRMAP_INIT, 0, 0, 0 }

/* Open each location (dies naming one that cannot be opened). */
void archive_open(struct archive *a, const char *const *locations, size_t nr);
/* Read every message.  Returns 0, or -1 after an error. */
int archive_update(struct archive *a);
struct mail *archive_find(const struct archive *a, const char *mid);
/*
 * Give m its body (text, notes, diff) by reading it again.
 * Returns 0 (also when it already had one), or -1 after an error.
 */
int archive_load_body(struct archive *a, struct mail *m);
/* Append m as it was archived, its raw bytes.  Returns 0 or -1 after an error. */
int archive_read_raw(struct archive *a, const struct mail *m, struct strbuf *out);
void archive_release(struct archive *a);

#endif
