/*
 * patchid-cache.h - patch-ids kept from one run to the next.
 *
 * Diffing a commit costs far more than anything else patchid.h does, so
 * patch-ids are kept in a small append-only file in the repository's
 * cache directory, by commit id (and by mail blob), and a second run
 * computes nothing it already knows.
 *
 * The cache owns its path, its entries and its pending lines; keys are
 * copied.  It only stores ids: it computes none (patchid-commits.h
 * fills it).
 */
#ifndef BPFDIGEST_PATCHID_CACHE_H
#define BPFDIGEST_PATCHID_CACHE_H

#include <stddef.h>

#include <git2/oid.h>

#include "patchid.h"
#include "strbuf.h"
#include "strmap.h"

/*
 * The patch-id cache: "<key> <patch-id>" lines, "-" for PATCHID_NONE.
 * Keys are the caller's ("c<commit>", "m<blob>:<map>"); see
 * patchid_commits() for the commit keys.  New entries are appended by
 * patchid_cache_flush() in one write, so runs that share the file never
 * corrupt each other.  Damaged lines (a line cut short by a crash, or
 * garbage) are skipped with a warning, and the flush then rewrites the
 * file whole, from what the run knows.
 */
struct patchid_cache {
	char *path;		/* NULL: remember for this run only */
	struct strmap entries;	/* key -> struct patchid_cache_entry */
	struct strbuf pending;	/* lines not yet written */
	size_t hits, misses;	/* lookups answered and not */
	int damaged;		/* the file had bad lines: flush rewrites it */
};

#define PATCHID_CACHE_INIT { NULL, STRMAP_INIT_DUP, STRBUF_INIT, 0, 0, 0 }

/*
 * Set up *cache (overwritten) from the file "<dir>/patch-id-v2" (dir
 * NULL: no file).  Returns 0; an unreadable file is a warning, and the
 * run goes on without it.
 */
int patchid_cache_open(struct patchid_cache *cache, const char *dir);
/* 1 when key is known (with *out and *status set), 0 when not. */
int patchid_cache_get(struct patchid_cache *cache, const char *key, git_oid *out,
		      enum patchid_status *status);
void patchid_cache_put(struct patchid_cache *cache, const char *key, const git_oid *id,
		       enum patchid_status status);
/*
 * Append what was learned to the file (rewrite it, when it was damaged).
 * Returns 0, or -1 after an error.
 */
int patchid_cache_flush(struct patchid_cache *cache);
void patchid_cache_release(struct patchid_cache *cache);

#endif
