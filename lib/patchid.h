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
 * Mirrors.  libbpf and bpftool are mirrors of parts of the kernel tree
 * under other paths (tools/lib/bpf/ is src/ there).  A patchid_pathmap
 * rewrites a kernel mail's diff into the mirror's paths, keeping only the
 * files the mirror has, so that its patch-id can equal the mirror's
 * commit.
 *
 * Cache.  Diffing a commit costs far more than anything else here, so
 * patch-ids are kept in a small append-only file in the repository's
 * cache directory, by commit id (and by mail blob), and a second run
 * computes nothing it already knows.
 */
#ifndef BPFDIGEST_PATCHID_H
#define BPFDIGEST_PATCHID_H

#include <stddef.h>

#include <git2/oid.h>

#include "strbuf.h"
#include "strmap.h"

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

/* Kernel paths to mirror paths: "tools/lib/bpf/" -> "src/". */
struct patchid_mapping {
	char *from;
	char *to;
};

struct patchid_pathmap {
	struct patchid_mapping *items;
	size_t nr, alloc;
};

#define PATCHID_PATHMAP_INIT { NULL, 0, 0 }

/*
 * Add "<from>:<to>" (two path prefixes, e.g. "tools/lib/bpf/:src/").
 * Returns 0, or -1 when spec has no ':' or an empty <from>.  The longest
 * matching <from> wins.
 */
int patchid_pathmap_add(struct patchid_pathmap *map, const char *spec);
/* The mirror path of path appended to out: 1, or 0 when nothing maps it. */
int patchid_pathmap_path(struct strbuf *out, const struct patchid_pathmap *map,
			 const char *path);
/*
 * Rewrite a mail diff into the mirror's paths: every file some mapping
 * covers, renamed; the other files dropped.  Appends to out and returns
 * the number of files kept (0: the map does not apply to this diff).
 */
size_t patchid_pathmap_diff(struct strbuf *out, const struct patchid_pathmap *map,
			    const char *diff, size_t len);
/* A short fingerprint of the mappings, for cache keys ("" when empty). */
void patchid_pathmap_fingerprint(struct strbuf *out, const struct patchid_pathmap *map);
void patchid_pathmap_release(struct patchid_pathmap *map);

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
