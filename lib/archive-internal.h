/*
 * archive-internal.h - what archive.c (reading inboxes into the index)
 * and archive-mapped.c (the archive as its index mapped) share.  Not for
 * other modules: they see archive.h.
 */
#ifndef BPFDIGEST_ARCHIVE_INTERNAL_H
#define BPFDIGEST_ARCHIVE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"

struct archive;
struct inbox_cursor;
struct inbox_plan;
struct progress;

/*
 * What the archive knows of one inbox: every message read from it, in
 * the order read (duplicates included, so that the index does not depend
 * on the other inboxes), removed ones as NULL.
 */
struct archive_source {
	struct inbox *inbox;
	struct mail **recs;
	size_t nr, alloc;
	uint64_t *broken;		/* per epoch: messages that could not be parsed */
	struct cache_removal *removals;	/* blobs removed by "d" commits */
	size_t removals_nr, removals_alloc;
	/* records by blob (git kinds) or by file (maildir), built on the first removal */
	size_t *keys;			/* record index + 1; 0 is empty */
	size_t keys_size, keys_nr;
	char *index_path;
	int loaded;			/* the index was read (once per archive) */
	int dirty;			/* the index must be written */
	/*
	 * The index read; while old_intact, recs begin with its mails,
	 * unchanged and in order, and saving only adds the new ones to it.
	 */
	struct cache_index index;
	int have_index, old_intact;
	uint64_t identity;		/* of the index on disk as the records are; 0: none */
	/* archive->lazy: the index mapped, its epochs taken, no records */
	struct cache_map *map;
	struct cache_index map_index;
	int removal_met;		/* mapped, a v2 "d" was read: it takes the records */
};

/* After this many indexes written as extensions, one is written whole. */
#define MAX_EXTENSIONS 32

/* Take over what an index says of epoch e of s: its cursor, broken count, names. */
void archive_adopt_epoch(struct archive_source *s, size_t e, const struct cache_epoch *ce);
/* Whether two cursors say an epoch was read as far. */
int archive_same_cursor(const struct inbox_cursor *x, const struct inbox_cursor *y);
/* Read what plan lists into s: its new records, removals and warnings. */
void archive_run_plan(struct archive *a, struct archive_source *s, struct inbox_plan *plan,
		      struct progress *progress, uint64_t *done);
/* idx as the index of s: its epochs (a new array: free idx->epochs), no mails. */
void archive_fill_index(struct archive_source *s, struct cache_index *idx);
/*
 * archive->lazy, one inbox: leave the archive its index mapped (and
 * extended with the new mail, when it only adds): 0; or -1, nothing
 * changed, when it must be read as always.
 */
int archive_update_mapped(struct archive *a);

#endif
