/*
 * inbox-kinds.h - what inbox.c and the files reading each kind of inbox
 * share, for lib/inbox*.c only.
 *
 * inbox.c turns a location into an inbox and drives planning and
 * reading (inbox.h); the work of each kind is in a file of its own:
 *
 *   inbox-git.c      v2, git, refs: epochs are repositories
 *   inbox-mbox.c     mboxrd, mboxo, file: one mapped file
 *   inbox-maildir.c  maildir: files in cur/ and new/
 *
 * Each kind's file opens its epochs, plans and reads them, and calls back
 * into inbox.c for what every kind does alike (an epoch or an item added,
 * a message over the size limit refused).  The rest of the program sees
 * only inbox.h.
 */
#ifndef BPFDIGEST_INBOX_KINDS_H
#define BPFDIGEST_INBOX_KINDS_H

#include "inbox.h"
#include "strbuf.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <git2/types.h>

/* One reader's handles; the kinds' reading functions use them. */
struct inbox_reader {
	struct inbox *inbox;
	git_repository **repos;		/* per epoch, opened on first use */
	git_odb **odbs;
	git_odb_object *obj;		/* what msg->raw points into */
	struct strbuf buf;
};

static inline int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static inline int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Whether a change at mtime (ns) could be followed by another with the same mtime. */
static inline int is_racy(int64_t mtime)
{
	return mtime / 1000000000 >= (int64_t)time(NULL) - 2;
}

/* inbox.c: what every kind does alike. */

/* Append an epoch to inbox->epochs (*alloc its allocation), name and path copied. */
struct inbox_epoch *inbox_add_epoch(struct inbox *inbox, size_t *alloc, unsigned number,
				    const char *name, const char *path);
/* Append an item of epoch at offset to plan, zero but for its origin. */
struct inbox_item *inbox_add_item(struct inbox_plan *plan, size_t epoch, uint64_t offset);
/*
 * Whether a message of size bytes is over the limit max (0: none); if so
 * err says so.
 */
int inbox_over_limit(uint64_t size, uint64_t max, struct strbuf *err);

/*
 * Opening dies with "cannot open inbox '<loc>': <why>", but for
 * inbox_open_git(), which returns -1 when path is not a repository.
 * Planning and reading return as inbox_plan() and inbox_reader_read() do,
 * the reason in err.
 */

/* inbox-git.c */
void inbox_open_v2(struct inbox *inbox, const char *gitdir);
int inbox_open_git(struct inbox *inbox, const char *path);
void inbox_open_refs(struct inbox *inbox, const char *glob, git_repository *repo);
int inbox_plan_git(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err);
int inbox_read_git_item(struct inbox_reader *r, const struct inbox_item *item,
			struct inbox_message *msg, struct strbuf *err);
/* Append the blob of epoch e to out (inbox_read()): 0, or -1. */
int inbox_read_git_blob(const struct inbox_epoch *e, const git_oid *blob, struct strbuf *out,
			struct strbuf *err);

/* inbox-mbox.c */
void inbox_map_file(struct inbox *inbox, const char *path, enum inbox_kind kind);
/* A regular file: an mbox when it starts like one, else one message. */
void inbox_open_file(struct inbox *inbox, const char *path);
int inbox_plan_mbox(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err);
int inbox_read_mbox_item(struct inbox_reader *r, const struct inbox_item *item,
			 struct inbox_message *msg, struct strbuf *err);
/* The message of len bytes at msg, unquoted as kind quotes it, into out (reset). */
void inbox_mbox_unquote(struct strbuf *out, enum inbox_kind kind, const char *msg, size_t len);

/* inbox-maildir.c */
void inbox_open_maildir(struct inbox *inbox, const char *path);
int inbox_plan_maildir(struct inbox *inbox, size_t ei, struct inbox_plan *plan,
		       struct strbuf *err);
/*
 * Read the file rel of epoch e into out (reset), none over max bytes; if
 * it moved (new/ to cur/, new flags), find it by its key.  0, or -1.
 */
int inbox_read_maildir_file(const struct inbox_epoch *e, const char *rel, uint64_t max,
			    struct strbuf *out, struct strbuf *err);

#endif
