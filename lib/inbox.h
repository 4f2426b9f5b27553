/*
 * inbox.h - where mail comes from.
 *
 * An inbox is one --inbox=<loc> (or bpfdigest.inbox value).  It is one
 * of these kinds, each made of one or more epochs read in order:
 *
 *   v2        a public-inbox v2 directory: git/0.git, git/1.git, ... (each
 *             epoch's HEAD, whatever its branch; empty placeholders skipped)
 *   git       one bare repository: a public-inbox v1 inbox (messages at
 *             2/38 paths) or a single v2 epoch given directly
 *   refs      a ref glob in the current repository (such as refs/lore/bpf/<star>):
 *             each matching ref is an epoch
 *   mbox      "mboxrd:<file>" or "mboxo:<file>" (lei q, b4 mbox)
 *   maildir   "maildir:<dir>" (its cur/ and new/)
 *   file      one message: a bare .eml or .patch file
 *
 * Any other <loc> is a path, else a name from publicinbox.<name>.inboxdir
 * in $PI_CONFIG (default ~/.public-inbox/config), else the last path
 * component of one of lei's externals ($XDG_CONFIG_HOME/lei/config).
 *
 * Reading is split in two so that messages can be read by several
 * threads: inbox_plan() lists, for one epoch, what is new since its
 * cursor (cheap, sequential); inbox_reader_read() then reads one planned
 * item into memory and may run on any thread, one reader per thread.
 * This stage knows nothing of mail syntax; mail.h parses what it yields.
 *
 * The inbox owns its epochs, their repositories and cursors.
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
	uint32_t epoch;		/* index in inbox->epochs */
	git_oid commit;		/* the archive commit (zero for mbox/maildir/file) */
	git_oid blob;		/* the message blob (zero for mbox/maildir/file) */
	/*
	 * The message's place in its epoch, which also orders the epoch:
	 * git kinds: position of its commit in the epoch's history;
	 * mbox: byte offset of the message (after its "From " line);
	 * maildir: index in the epoch's names.
	 */
	uint64_t offset;
	uint64_t length;	/* byte length in an mbox */
};

enum inbox_kind {
	INBOX_V2,
	INBOX_GIT,
	INBOX_REFS,
	INBOX_MBOXRD,
	INBOX_MBOXO,
	INBOX_MAILDIR,
	INBOX_FILE,
};

/*
 * How far an epoch was read.  Kept in the index (cache.h) between runs
 * and given back to the inbox before inbox_plan().
 */
struct inbox_cursor {
	git_oid commit;		/* git kinds: the last commit read; zero before any */
	uint64_t count;		/* git kinds: commits read; mbox: bytes read */
	int64_t mtime;		/* mbox, maildir, file: modification time (ns) when read */
	uint64_t size;		/* mbox, file: size when read */
	uint64_t hash;		/* mbox: cache_hash() of the bytes read */
};

struct inbox_epoch {
	unsigned number;		/* N of git/N.git; position otherwise */
	char *name;			/* stable key: "git/0.git", a ref, "." */
	char *path;			/* repository, file or directory */
	char *ref;			/* refs kind: the ref; NULL: HEAD */
	struct git_repository *repo;	/* git kinds; NULL for a placeholder */
	struct inbox_cursor cursor;
	/* maildir: every file read ("cur/<name>"); origin.offset indexes it */
	char **names;
	size_t names_nr, names_alloc;
};

struct inbox {
	char *location;		/* as the user gave it */
	char *resolved;		/* what it named: an absolute path, or the glob */
	char *address;		/* publicinbox.<name>.address of the directory, or NULL */
	enum inbox_kind kind;
	unsigned index;		/* position in the inbox set */
	struct inbox_epoch *epochs;
	size_t epochs_nr;
	/* mbox, file: the file, mapped while the inbox is open */
	const char *map;
	size_t map_len;
};

/*
 * Open the inbox at loc.  repo is the current repository (NULL outside
 * one), needed for ref globs.  Dies with "cannot open inbox '<loc>':
 * <why>" when it is missing or not an inbox.
 */
struct inbox *inbox_open(const char *loc, unsigned index, struct git_repository *repo);
void inbox_free(struct inbox *inbox);

/* "v2", "mboxrd", ...: for messages and the index. */
const char *inbox_kind_name(enum inbox_kind kind);

/* One unit of work found by inbox_plan(). */
struct inbox_item {
	struct inbox_origin origin;	/* commit, offset/length or name index */
	git_oid tree;			/* the commit's tree, when tree_known */
	time_t archived;		/* commit time of the archive commit, 0 if none */
	unsigned removal : 1;		/* this item removes origin.blob (v1) or a file */
	unsigned blob_known : 1;	/* origin.blob is set (v1): no tree to read */
	unsigned tree_known : 1;	/* tree and archived are set: no commit to read */
};

struct inbox_plan {
	size_t epoch;			/* index in inbox->epochs */
	struct inbox_item *items;	/* in order */
	size_t nr, alloc;
	/*
	 * Set when what was read of this epoch before no longer holds (its
	 * history was rewritten, the mbox changed in place): forget it all;
	 * items then cover the whole epoch.  rescan_why says why.
	 */
	int rescan;
	const char *rescan_why;
	struct inbox_cursor next;	/* the epoch's cursor once every item is read */
};

/*
 * List what is new in epoch e since its cursor into *plan (initialised
 * here; release with inbox_plan_release()).  Returns 0, or -1 after an
 * error naming the epoch.  A placeholder epoch gives an empty plan.
 */
int inbox_plan(struct inbox *inbox, size_t e, struct inbox_plan *plan);
void inbox_plan_release(struct inbox_plan *plan);
/* Move the epoch's cursor to plan->next, once every item is consumed. */
void inbox_plan_done(struct inbox *inbox, const struct inbox_plan *plan);

/* One message read by a reader; raw is valid until the reader's next call. */
struct inbox_message {
	const char *raw;
	size_t len;
	struct inbox_origin origin;
	time_t archived;	/* commit time of the archive commit, 0 if none */
	int removal;		/* the message named (by origin.blob or file) is removed */
};

/* Reads planned items; one per thread, each with its own repositories. */
struct inbox_reader;

struct inbox_reader *inbox_reader_new(struct inbox *inbox);
/*
 * Read item into *msg.  Returns 0, 1 when the item holds no message (an
 * empty commit), or -1 with the reason appended to err.  Never prints.
 */
int inbox_reader_read(struct inbox_reader *r, const struct inbox_item *item,
		      struct inbox_message *msg, struct strbuf *err);
void inbox_reader_free(struct inbox_reader *r);

typedef int (*inbox_message_fn)(const struct inbox_message *msg, void *data);

/*
 * Read every epoch from its cursor on, in order, on this thread, calling
 * fn for each message and moving the cursors.  Unreadable items are
 * reported with warning().  Stops early and returns fn's value when it
 * is non-zero; returns 0 when every message was seen, or -1 after an
 * error naming the epoch that could not be read.
 */
int inbox_scan(struct inbox *inbox, inbox_message_fn fn, void *data);

/* Read one message again.  Returns 0, or -1 after an error. */
int inbox_read(struct inbox *inbox, const struct inbox_origin *origin,
	       struct strbuf *out);

/* "<epoch path>:<commit>", "<mbox>:<offset>", a maildir file: for warnings. */
void inbox_describe(const struct inbox *inbox, const struct inbox_origin *origin,
		    struct strbuf *out);

#endif
