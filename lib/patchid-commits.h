/*
 * patchid-commits.h - the patch-ids of many commits at once.
 *
 * The link and state stages want the ids of thousands of commits; one
 * at a time (patchid_commit() of patchid.h) that is most of a run.  This
 * takes what patchid-cache.h knows and computes the rest in worker
 * processes, adding it to the cache.  The caller owns every array and
 * the cache.
 */
#ifndef BPFDIGEST_PATCHID_COMMITS_H
#define BPFDIGEST_PATCHID_COMMITS_H

#include <stddef.h>

#include <git2/oid.h>

#include "patchid.h"

struct git_repository;
struct patchid_cache;

/*
 * The patch-ids of nr commits: out[i] and status[i] (an enum
 * patchid_status, or -1 when commit i could not be diffed).  Known ids
 * come from the cache (may be NULL); the others are computed and added
 * to it.  Returns the number computed.
 */
size_t patchid_commits(git_oid *out, int *status, struct git_repository *repo,
		       const git_oid *commits, size_t nr, struct patchid_cache *cache);
/* The same with another algorithm; cached as "c<commit>:<algorithm>". */
size_t patchid_commits_algorithm(git_oid *out, int *status, struct git_repository *repo,
				 const git_oid *commits, size_t nr, struct patchid_cache *cache,
				 enum patchid_algorithm algo);

#endif
