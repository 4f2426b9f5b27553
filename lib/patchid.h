/*
 * patchid.h - patch-ids, the ones "git patch-id --stable" prints.
 *
 * A patch-id names a change wherever it applies: the lines of its diff
 * without whitespace and line numbers, hashed file by file, the file
 * hashes summed.  A patch posted as a mail and the commit it became have
 * the same patch-id unless someone edited the change on the way.
 *
 * The commit side diffs a commit against its first parent the way
 * "git log -p" does (indent heuristic; renames scored with git's own
 * similarity measure, so that "similarity index N%" reads the same) and
 * streams the lines git would print through the patch-id computation;
 * the mail side runs the same computation over the mail's text, as "git
 * patch-id" reads it.  Both agree with git for every text change, pure
 * renames and empty files included; a binary change, which git hashes by
 * the abbreviated ids of its "index" line, only ever equals another id
 * computed here.
 *
 * Around this core: patchid-pathmap.h rewrites a kernel mail's diff
 * into a mirror's paths before it is hashed here, patchid-cache.h keeps
 * ids from one run to the next, and patchid-commits.h computes the ids
 * of many commits at once, from that cache or in worker processes.
 */
#ifndef BPFDIGEST_PATCHID_H
#define BPFDIGEST_PATCHID_H

#include <stddef.h>

#include <git2/oid.h>

#include "strbuf.h"

struct git_repository;

/* What patchid_*() found, besides errors (negative). */
enum patchid_status {
	PATCHID_OK = 0,
	PATCHID_NONE = 1,	/* nothing to hash: a merge, or no change */
};

/*
 * The patch-id of a commit against its first parent (a root commit
 * against the empty tree) into *out.  Returns PATCHID_OK, PATCHID_NONE
 * for a merge or an empty change, or -1 after an error naming the commit.
 */
int patchid_commit(git_oid *out, struct git_repository *repo, const git_oid *commit);

/*
 * The diff of a commit against its first parent, as the lines "git log
 * -p" prints for it (the ones patchid_commit() hashes), appended to out.
 * Returns PATCHID_OK, PATCHID_NONE for a merge (nothing appended), or -1
 * after an error naming the commit.
 */
int patchid_commit_diff(struct strbuf *out, struct git_repository *repo, const git_oid *commit);

/*
 * Diff algorithms.  A patch posted from a tree configured with another
 * diff.algorithm has another patch-id than its commit diffed with git's
 * default (myers); the link stage tries the others, in this order, when
 * no posting has the myers id.  Histogram, which libgit2 lacks, is git's
 * own ("git diff-tree --histogram").
 */
enum patchid_algorithm {
	PATCHID_MYERS = 0,
	PATCHID_HISTOGRAM,
	PATCHID_PATIENCE,
	PATCHID_MINIMAL,
	PATCHID_ALGORITHM_NR
};

/* "myers", "histogram", "patience", "minimal". */
const char *patchid_algorithm_name(enum patchid_algorithm algo);

/* patchid_commit() with the diff made by another algorithm. */
int patchid_commit_algorithm(git_oid *out, struct git_repository *repo, const git_oid *commit,
			     enum patchid_algorithm algo);

/*
 * The patch-id of a diff as a mail carries it, read as "git patch-id"
 * reads it: from the first "diff " line to the first line that belongs
 * to no patch.  Returns PATCHID_OK, or PATCHID_NONE when there is
 * nothing to hash.
 */
int patchid_mail(git_oid *out, const char *diff, size_t len);

#endif
