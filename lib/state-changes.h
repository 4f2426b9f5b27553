/*
 * state-changes.h - how an applied commit differs from its posting.
 *
 * A maintainer often edits a patch on the way in: a typo fixed, a line
 * dropped, a conflict resolved.  When the commit's patch-id is not the
 * posting's, this says where and by how much, from the two diffs alone:
 *
 *   struct state_changes *c = NULL;
 *   state_changes_compare(&c, posted, posted_len, applied, applied_len, NULL, NULL);
 *   state_describe_changes(&sb, c);   // "applied with changes to a.c, +2 -1"
 *   state_changes_free(c);
 *
 * Both diffs are read file by file as "git patch-id" reads them: the
 * lines a hunk adds and removes, without their whitespace (so that a
 * re-indented line is no change, as it is none to the patch-id).  For
 * each file, a changed line the commit has and the posting has not is
 * one "added"; one the posting has and the commit has not is one
 * "removed".  Files are named by their path after the change (before it,
 * for a deletion) and listed in path order.  A binary file is compared
 * by nothing but its presence.  Two diffs without a path in common are
 * of different trees (a mirror's commit against a kernel posting whose
 * paths were not mapped): nothing is said of them, nor of a posting that
 * changes a file the tree does not have (see in_tree below).  Context lines and hunk positions do not
 * count: a patch applied at another offset is no change.
 */
#ifndef BPFDIGEST_STATE_CHANGES_H
#define BPFDIGEST_STATE_CHANGES_H

#include <stddef.h>

#include "state.h"

struct strbuf;

/*
 * Compare the posted diff (a mail's, from its first "diff --git" line)
 * with the applied one (a commit's, as patchid_commit_diff() writes
 * it).  *out is a new state_changes the caller frees, or NULL when no
 * file differs.  Returns the number of files that differ.
 *
 * in_tree (may be NULL) says whether the commit's tree had a path
 * before it: when a file the posting changes (rather than creates) is
 * not there, the posting is in another tree's paths (a kernel patch in
 * a mirror without bpfdigest.pathMap) and nothing is said (NULL).
 */
size_t state_changes_compare(struct state_changes **out, const char *posted, size_t posted_len,
			     const char *applied, size_t applied_len,
			     int (*in_tree)(const char *path, void *data), void *data);

void state_changes_free(struct state_changes *c);

/*
 * "applied with changes to kernel/bpf/verifier.c, +2 −1" appended to
 * out; nothing when c is NULL or empty.
 */
void state_describe_changes(struct strbuf *out, const struct state_changes *c);

#endif
