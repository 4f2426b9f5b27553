/*
 * inbox.h - where mail comes from.
 *
 * An inbox is one --inbox=<loc> (or bpfdigest.inbox value): a
 * public-inbox v2 directory (git/0.git, git/1.git, ...), and later the
 * other kinds of DESIGN.md.  inbox_scan() hands every raw message, in
 * archive order, to a callback, together with its origin: enough to read
 * the message again with inbox_read() and to name it in warnings.
 *
 * This stage knows nothing of mail syntax; mail.h parses what it yields.
 */
#ifndef BPFDIGEST_INBOX_H
#define BPFDIGEST_INBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <git2/oid.h>

struct strbuf;
struct git_repository;

/* Where a message came from, so that it can be read again and named in warnings. */
struct inbox_origin {
	uint32_t source;	/* index of the inbox in the inbox set */
	uint32_t epoch;		/* epoch number (v2), 0 otherwise */
	git_oid commit;		/* the archive commit (zero for mbox/maildir/file) */
	git_oid blob;		/* the message blob (zero for mbox/maildir/file) */
	uint64_t offset;	/* byte offset in an mbox, or file index in a maildir */
	uint64_t length;	/* byte length in an mbox */
};

struct inbox_epoch {
	unsigned number;		/* N of git/N.git */
	char *path;
	struct git_repository *repo;	/* NULL for an empty placeholder epoch */
};

struct inbox {
	char *location;		/* as the user gave it */
	unsigned index;		/* position in the inbox set */
	struct inbox_epoch *epochs;
	size_t epochs_nr;
};

/* One raw message handed to an inbox_scan() callback; valid during the call. */
struct inbox_message {
	const char *raw;
	size_t len;
	struct inbox_origin origin;
	time_t archived;	/* commit time of the archive commit, 0 if none */
};

typedef int (*inbox_message_fn)(const struct inbox_message *msg, void *data);

/*
 * Open the inbox at loc.  Dies with "cannot open inbox '<loc>': <why>"
 * when it is missing or not an inbox.
 */
struct inbox *inbox_open(const char *loc, unsigned index);
void inbox_free(struct inbox *inbox);

/*
 * Call fn for each message, oldest first.  Stops early and returns fn's
 * value when it is non-zero; returns 0 when every message was seen, or
 * -1 after an error naming the epoch that could not be read.
 */
int inbox_scan(struct inbox *inbox, inbox_message_fn fn, void *data);

/* Read one message again.  Returns 0, or -1 after an error. */
int inbox_read(struct inbox *inbox, const struct inbox_origin *origin,
	       struct strbuf *out);

/* "git/0.git:<commit>" (or the mbox and offset), for warnings. */
void inbox_describe(const struct inbox *inbox, const struct inbox_origin *origin,
		    struct strbuf *out);

#endif
