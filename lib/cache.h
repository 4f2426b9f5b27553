/*
 * cache.h - the incremental index: what was read of an inbox, kept on disk.
 *
 * One file per inbox, in repo_cache_dir() ("$GIT_DIR/bpfdigest/" or
 * "$XDG_CACHE_HOME/git-bpfdigest/"), named after the inbox's kind and
 * resolved location.  It holds, for each epoch, its cursor (how far it
 * was read) and how many of its messages could not be parsed; the facts
 * of every message read (the struct mail fields MAIL_PARSE_FACTS_ONLY
 * fills, and the origin), in archive order; and the blobs removed by
 * public-inbox "d" commits.  A later run loads it and reads only what
 * is new.
 *
 * Each distinct string of the mails is stored once, in a table the
 * mails refer to by number (cache_write_extended() adds a table of the
 * new mails' strings, which may repeat some: the next cache_write()
 * stores them once again).
 *
 * The file is written to a temporary name and renamed, so a reader sees
 * the old or the new file, never half of one.  It starts with a magic, a
 * format version and the length and checksum of what follows; a file
 * that is truncated, corrupt or of another version is not used (the
 * caller warns and rebuilds it).  Strings are NUL-terminated in the file
 * and used in place after loading: a loaded index lives in the arena it
 * was read into.
 *
 * cache_hash() is the checksum, also used to notice an mbox that changed.
 */
#ifndef BPFDIGEST_CACHE_H
#define BPFDIGEST_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "inbox.h"

struct arena;
struct arena_pool;
struct cache_dir;
struct mail;
struct strbuf;

/* A 64-bit hash of a byte stream, fed in pieces of any size. */
struct cache_hash {
	uint64_t h, len;
	unsigned char tail[8];
	unsigned tail_len;
};

void cache_hash_init(struct cache_hash *ch);
void cache_hash_update(struct cache_hash *ch, const void *data, size_t len);
uint64_t cache_hash_final(const struct cache_hash *ch);
/* The hash of one buffer. */
uint64_t cache_hash(const void *data, size_t len);

/*
 * The GNU build-id of this program as hex ("" when it has none): what
 * one build derived from mail another build may derive otherwise.
 */
const char *cache_build_id(void);

struct cache_epoch {
	const char *name;	/* inbox_epoch.name */
	struct inbox_cursor cursor;
	uint64_t broken;	/* messages read that could not be parsed */
	const char *const *names;	/* maildir: inbox_epoch.names */
	size_t names_nr;
};

/* A blob removed by a "d" commit of epoch, for when an older epoch is read again. */
struct cache_removal {
	git_oid blob;
	uint32_t epoch;
};

/*
 * The contents of one index.  Mails have origin.epoch indexing epochs
 * and origin.source 0 (the loader sets nothing else).
 */
struct cache_index {
	uint32_t kind;		/* enum inbox_kind */
	const char *location;	/* inbox->resolved */
	uint32_t extensions;	/* cache_write_extended() since the last cache_write() */
	struct cache_epoch *epochs;
	size_t epochs_nr;
	struct mail **mails;
	size_t mails_nr;
	struct cache_removal *removals;
	size_t removals_nr;
	/* cache_read(): how many distinct strings the mails have */
	size_t strings_nr;
	/* cache_read(): the encoded strings and mails, for cache_write_extended() */
	const char *table_bytes, *mail_bytes;
	size_t table_len, mail_len;
	/* ... and where each string and record of them is (u64 each) */
	const char *str_offs, *rec_offs;
	uint64_t strings_at, mails_at;
	/* ... and the rest of its directory; cache_open(): the map it came from */
	const struct cache_dir *dir;
	struct cache_map *map;
	/*
	 * cache_read(), cache_open(): the payload's checksum, which names
	 * this very index (the components of msgindex.h are kept under it).
	 */
	uint64_t identity;
};

/* "<dir>/inbox-<hash>.idx" for an inbox; a new string. */
char *cache_path(const char *dir, const struct inbox *inbox);

/*
 * Load the index at path into *idx, all of it allocated in arena
 * (mails are arena-owned: never mail_release() them).  Returns 0; 1 when
 * there is no such file; -1 when it cannot be used, with the reason
 * appended to err ("truncated", "written by another version", ...).
 */
int cache_read(struct cache_index *idx, struct arena *arena, const char *path,
	       struct strbuf *err);

/*
 * Write idx to path atomically (a temporary file, then rename), and its
 * identity (see struct cache_index) into *identity unless NULL.
 * Returns 0, or -1 after an error naming the file.
 */
int cache_write(const char *path, const struct cache_index *idx, uint64_t *identity);

/*
 * Write idx like cache_write(), as the index old (loaded by cache_read()
 * or mapped by cache_open()) and more mails: idx->mails are only the
 * mails after old's, whose strings and encoding are copied as they are,
 * with the facts its directory has of them; only the new mails are
 * encoded, with strings of their own (none of old's).  An index that
 * grows a day at a time is then written at the cost of a copy, without
 * its mails loaded.  CACHE_OLD_DAMAGED (nothing written, nothing said)
 * when a mapped old turns out damaged on the way.
 */
#define CACHE_OLD_DAMAGED (-2)
int cache_write_extended(const char *path, const struct cache_index *idx,
			 const struct cache_index *old, uint64_t *identity);

/*
 * An index mapped, not loaded: a run that needs a few of its mails
 * reads those and nothing else.  The file's directory (its checksum
 * checked when opened) says where each record is and gives every
 * mail's dates and flags; each 64 KiB block of the rest is checked the
 * first time something is read from it, so damage shows as an error
 * of the read that meets it.  Mails read live in the arena given to
 * cache_open(), which also keeps the mapping: the map itself may be
 * closed before the mails are done with.  The directory's arrays are
 * checked by block as well: what a run reads costs it, not the archive.
 */
struct cache_map;

/*
 * Map the index at path: 0, 1 when there is no such file, -1 when it
 * cannot be used (the reason appended to err, as cache_read()).
 * idx gets everything but the mails (kind, location, epochs,
 * removals, mails_nr, identity), allocated in arena.
 */
int cache_open(struct cache_map **map, struct cache_index *idx, struct arena *arena,
	       const char *path, struct strbuf *err);
void cache_map_close(struct cache_map *map);
/*
 * Let the kernel drop the pages of the map read so far (a hint: they
 * come back from the file when read again), once what was read of
 * them was copied.
 */
void cache_map_drop_pages(struct cache_map *map);

/* Record i's dates and flags (mail_period_time() needs no more): 0, or -1 when damaged. */
int cache_map_times(struct cache_map *map, size_t i, struct mail *out);
/* Whether record i repeats the Message-ID of an earlier one: 1, 0, or -1 when damaged. */
int cache_map_is_repeat(struct cache_map *map, size_t i);
/* Records not repeating an earlier Message-ID; of those, with pw-bot notices. */
size_t cache_map_view(const struct cache_map *map);
size_t cache_map_notices(const struct cache_map *map);
/*
 * Whether this index is the one of that identity extended (its records
 * first, unchanged, then more): 1, with how many records that one had
 * that repeat no earlier Message-ID into *view; else 0.
 */
int cache_map_extends(const struct cache_map *map, uint64_t identity, size_t *view);
/* The List-Ids of those records, by name, each with how many have it. */
size_t cache_map_lists(const struct cache_map *map, const char ***names, uint64_t **counts);

/*
 * The first record with Message-ID mid into *rec: 1, 0 when there is
 * none, -1 when the index turns out damaged (err says how).
 */
int cache_map_find(struct cache_map *map, const char *mid, size_t *rec, struct strbuf *err);
/*
 * Record rec into *m, its lists allocated in a (NULL: the map's arena),
 * its strings in the map: 0, or -1 when it turns out damaged (err says how).
 */
int cache_map_mail(struct cache_map *map, struct arena *a, size_t rec, struct mail *m,
		   struct strbuf *err);

/*
 * Copy the facts of m (not its body) into the pool's arena, each string
 * once (cache_write() relies on it: strings are known by their address).
 * The result shares nothing with m, which the caller may then
 * mail_release().
 */
struct mail *cache_copy_mail(struct arena_pool *pool, const struct mail *m);

#endif
