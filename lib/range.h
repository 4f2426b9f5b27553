/*
 * range.h - the commits that "git bpfdigest link <range>" reads.
 *
 * A revision range ("A..B", "A...B", one revision) as git log spells
 * it, walked into the list of commits the linker matches against the
 * list (link.h).  libgit2 1.5 knows no shallow boundary and fails on
 * the first parent a shallow clone lacks, so in a shallow clone the
 * walk is ours and stops at .git/shallow.
 *
 * Nothing here knows of mail or series; the caller owns the arrays it
 * is given.
 */
#ifndef BPFDIGEST_RANGE_H
#define BPFDIGEST_RANGE_H

#include <stddef.h>

#include <git2/oid.h>

struct git_repository;

/*
 * The commits of a revision range, newest first, merges left out:
 * "A..B", "A...B", or one revision (all its ancestors).  range NULL
 * means HEAD~1000..HEAD, everything merged in the last 1,000 first-parent
 * steps (all of HEAD in a shorter history).  *out is a new array.
 * In a shallow clone the walk stops at the shallow boundary (one warning
 * says so).  Returns 0, -1 when the range does not name commits here,
 * or -2 when it does but their history cannot be walked (a missing
 * object: an error says which).
 */
int range_commits(git_oid **out, size_t *nr, struct git_repository *repo, const char *range);

/*
 * When arg names one commit that is not a merge, by its object id (4 to
 * 40 hex digits) or as "<rev>^!", that commit into *out: 1.  Otherwise
 * (a range, a branch: all its ancestors) 0.
 */
int range_one_commit(git_oid *out, struct git_repository *repo, const char *arg);

#endif
