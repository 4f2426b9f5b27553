/*
 * archive.h - every message of the configured inboxes, parsed.
 *
 * The archive joins the inbox and mail stages: it reads each inbox,
 * parses every message with MAIL_PARSE_FACTS_ONLY (headers and the small
 * facts, not the body) and keeps them in archive order (inbox, epoch,
 * place in the epoch), one struct mail per Message-ID.  Messages that
 * cannot be parsed are reported with warning() naming where they are
 * ("<epoch>:<commit>: <what is wrong>"), counted, and skipped; messages
 * removed by public-inbox ("d" commits, files gone from a maildir) leave
 * the archive.
 *
 * With a cache directory (archive_use_cache()), the archive keeps an
 * incremental index there (cache.h) and a later archive_update() reads
 * only what is new; the result is the same as reading everything.
 * Messages are read and parsed by several threads when there are many.
 *
 * archive_load_body() reads one message again and fills in its body,
 * for the few messages whose text a digest or note needs.
 *
 * The archive owns its inboxes and mails.  The mails live in the
 * archive's arena: never mail_release() or free() them; archive_release()
 * frees them, bodies included.
 */
#ifndef BPFDIGEST_ARCHIVE_H
#define BPFDIGEST_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "strmap.h"

struct archive_source;
struct git_repository;
struct inbox;
struct mail;
struct strbuf;

struct archive {
	struct inbox **inboxes;
	size_t inboxes_nr;
	struct mail **mails;	/* archive order; one per Message-ID */
	size_t nr, alloc;
	struct strmap by_mid;

	/* The inboxes as a whole, after archive_update(): */
	size_t seen;		/* messages in the inboxes */
	size_t broken;		/* ... of which could not be parsed */
	size_t duplicates;	/* ... of which repeated a Message-ID */

	/* What the last archive_update() did: */
	size_t read;		/* messages read from the inboxes */
	size_t added;		/* ... of which were not in the index */
	size_t warned;		/* ... of which could not be parsed */
	size_t limited;		/* ... of which went over a limit of mail.h and were cut */
	size_t removed;		/* messages that left the index */
	size_t rescanned;	/* epochs read again from their start */
	size_t unsaved;		/* indexes that could not be written (after an error) */

	/* Settings, before archive_update(): */
	char *cache_dir;	/* see archive_use_cache() */
	int threads;		/* readers in parallel; 0: one per processor */
	/*
	 * Messages bigger than this are skipped unread, with a warning
	 * (bpfdigest.maxMessageSize); 0: no limit.
	 */
	uint64_t max_message_size;

	/*
	 * Before archive_update(): lazy allows it to leave the index of a
	 * single inbox with nothing new mapped rather than loaded (cache.h
	 * struct cache_map).  The archive is then "mapped": mails[] holds
	 * only the messages archive_messages() read, and the functions
	 * below answer for the whole archive from the index.
	 */
	int lazy;
	int mapped;
	size_t total;		/* messages in the archive: nr unless mapped */
	struct mail **at;	/* mapped: each message once read, by position */
	uint32_t *view;		/* mapped: each message's record in the index */

	struct archive_source *sources;
	struct arena arena;		/* the mails and their strings */
	struct arena_pool strings;	/* one copy of each string, while reading */
};

#define ARCHIVE_INIT { .by_mid = STRMAP_INIT, .arena = ARENA_INIT }

/* bpfdigest.maxMessageSize when unset: far above any real patch mail. */
#define ARCHIVE_DEFAULT_MAX_MESSAGE_SIZE ((uint64_t)32 << 20)

/* Open each location (dies naming one that cannot be opened). */
void archive_open(struct archive *a, const char *const *locations, size_t nr);
/* The same, in repository repo (for ref globs; NULL outside one). */
void archive_open_repo(struct archive *a, struct git_repository *repo,
		       const char *const *locations, size_t nr);
/* Keep the incremental index in dir (repo_cache_dir()). */
void archive_use_cache(struct archive *a, const char *dir);
/* The index file of source i (after archive_update()), or NULL without a cache. */
const char *archive_index_path(const struct archive *a, size_t i);
/*
 * Read what is new in every inbox (everything without an index) and
 * save the index.  Returns 0, or -1 after an error naming the inbox
 * that could not be read.
 */
int archive_update(struct archive *a);
/* The message mid among those read (all of them unless mapped), or NULL. */
struct mail *archive_find(const struct archive *a, const char *mid);
/*
 * The messages at positions pos[] (archive order, < total), read if
 * mapped: a new array of archive-owned mails, or NULL when the index
 * turned out damaged (the caller reads the archive again, not lazily:
 * that warns and rebuilds the index).
 */
struct mail **archive_messages(struct archive *a, const uint32_t *pos, size_t n);
/*
 * Call fn for each message of the archive from position from, in
 * archive order: read from the index one at a time if mapped (m is then
 * valid during the call only, and none is kept).  Returns 0, or -1 when
 * the index turned out damaged (as archive_messages()).
 */
int archive_each(struct archive *a, size_t from, void (*fn)(void *data, const struct mail *m),
		 void *data);
/*
 * Mapped: whether the archive is that of the index of identity
 * (archive_identity() of an earlier run) with more messages after its
 * *total; 0 when not known so.
 */
int archive_extends(const struct archive *a, uint64_t identity, size_t *total);
/*
 * The positions of those of mids[] in the archive, in archive order,
 * into pos[] (room for nr): how many, or -1 when the index turned out
 * damaged (as archive_messages()).
 */
long archive_positions(struct archive *a, const char *const *mids, size_t nr, uint32_t *pos);
/*
 * For the n positions from from: mail_period_time(), and the Date:
 * (the former when there is none).  Returns 0, or -1 when the index
 * turned out damaged (as archive_messages()).
 */
int archive_times(const struct archive *a, size_t from, size_t n, time_t *when, time_t *date);
/* How many messages carry pw-bot notices (mail.applied). */
size_t archive_notices(const struct archive *a);
/* Mapped: the List-Ids of the archive's messages, by name, with how many have each. */
size_t archive_list_ids(const struct archive *a, const char ***names, uint64_t **counts);
/*
 * What names the archive's messages as they are: the identity of its
 * only inbox's index when that is saved and current (cache.h), else 0.
 */
uint64_t archive_identity(const struct archive *a);
/*
 * Give m its body (text, notes, diff) by reading it again.
 * Returns 0 (also when it already had one), or -1 after an error.
 */
int archive_load_body(struct archive *a, struct mail *m);
/*
 * Free m's body again (after archive_load_body()): a run that reads many
 * bodies one series at a time keeps only the series' in memory.
 */
void archive_drop_body(struct mail *m);
/* Append m as it was archived, its raw bytes.  Returns 0 or -1 after an error. */
int archive_read_raw(struct archive *a, const struct mail *m, struct strbuf *out);
void archive_release(struct archive *a);

#endif
