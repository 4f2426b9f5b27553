/*
 * notes.h - git notes saying what each applied commit was on the list.
 *
 * One note per matched commit, in refs/notes/bpfdigest (or the ref
 * bpfdigest.notesRef names), so that "git log --notes=bpfdigest" shows,
 * under each commit, the patch it was posted as:
 *
 *   Posted-as: [PATCH bpf-next v2 3/7] libbpf: Reject non-exclusive ...
 *   Series: More gen_loader fixes (v2, 7 patches) by Daniel Borkmann
 *   Revisions: v1 2026-05-29, v2 2026-06-01
 *   Acked-by: Jane Doe <jane@example.org>
 *   Matched-by: link (likely)
 *   Link: https://lore.kernel.org/all/<msgid>/
 *   Generated-by: git-bpfdigest
 *
 *   <summary paragraph>
 *
 * notes_write() writes many notes as one notes commit: the new tree is
 * built in one go from the current one (git_note_create() would commit
 * once per note, rewriting the tree each time), with paths fanned out as
 * git fans them out, and the ref is moved compare-and-swap.  When another
 * writer moved it first, the notes are applied again on top of its tip,
 * so no note either writer made is lost.  Notes whose text is unchanged
 * are left alone; nothing outside the notes ref is touched.  A note that
 * git-bpfdigest did not write (a user's own, by "git notes add") is kept
 * unless the caller forces it: ours say so by the NOTES_TRAILER line.
 */
#ifndef BPFDIGEST_NOTES_H
#define BPFDIGEST_NOTES_H

#include <stddef.h>

#include <git2/oid.h>

struct git_repository;
struct link_commit;
struct state_changes;
struct strbuf;

#define NOTES_DEFAULT_REF "refs/notes/bpfdigest"
#define NOTES_DEFAULT_MIDMASK "https://lore.kernel.org/all/%s/"
/* The last header line of every note we write: how we know ours. */
#define NOTES_TRAILER "Generated-by: git-bpfdigest"

/*
 * Whether a note's text is one git-bpfdigest wrote: its header lines
 * (up to the first blank line) hold NOTES_TRAILER, or, as notes written
 * before that line existed, begin with "Posted-as: " and hold a
 * "Matched-by: " and a "Link: " line.
 */
int notes_is_ours(const char *text, size_t len);

/*
 * Append the note of a matched commit to out: the header lines, a blank
 * line and summary (the caller's text of the patch; none when NULL or
 * empty).  changes, when not NULL, is how the commit differs from the
 * posting (state_applied_changes()): an "Applied-with-changes: <path>
 * +<added> -<removed>" line per file.  midmask is b4.midmask, "%s"
 * standing for the Message-ID.
 */
void notes_format(struct strbuf *out, const struct link_commit *lc,
		  const struct state_changes *changes, const char *summary, const char *midmask);

/*
 * The full ref of a bpfdigest.notesRef value, as "git notes --ref"
 * expands it: "refs/notes/x" as is, "notes/x" under refs/, anything
 * else under refs/notes/.  NULL for a name git would reject.  A new
 * string.
 */
char *notes_ref_name(const char *value);

enum notes_state {
	NOTES_ADDED = 1,	/* the commit had no note */
	NOTES_UPDATED,		/* it had another one */
	NOTES_UNCHANGED,	/* it had this one */
	NOTES_FOREIGN,		/* it had one we did not write: kept */
};

/* notes_write() flags. */
enum notes_flags {
	NOTES_DRY_RUN = 1 << 0,	/* write nothing, report what would change */
	NOTES_FORCE = 1 << 1,	/* replace notes we did not write, too */
};

struct notes_update {
	git_oid commit;
	const char *text;		/* the whole note; the caller owns it */
	enum notes_state state;		/* set by notes_write() */
};

struct notes_result {
	size_t added, updated, unchanged;
	size_t foreign;			/* notes we did not write, kept */
	size_t attempts;		/* 1, plus one per concurrent update met */
	int locked;			/* the last attempt found the ref locked */
	int committed;			/* 1 when a notes commit was made */
	git_oid commit;			/* that commit */
};

/*
 * Give each commit its note on ref, in one notes commit (none when
 * nothing changes).  flags are enum notes_flags: with NOTES_DRY_RUN
 * nothing is written, but the states and counts are what a real run
 * would report; without NOTES_FORCE a note we did not write stays (its
 * state NOTES_FOREIGN).  Returns 0, or -1 after an error naming what
 * failed.
 */
int notes_write(struct notes_result *res, struct git_repository *repo, const char *ref,
		struct notes_update *updates, size_t nr, const char *message, int flags);

#endif
