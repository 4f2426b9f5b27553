/*
 * link.h - which posted patch each applied commit is.
 *
 * link_commits() answers, for every commit of a range, "which posted
 * patch is this, in which series and revision?", by four methods in
 * this order of trust:
 *
 *   pwbot     patchwork-bot said so: "This series was applied to ..."
 *             names each patch and the hash it became
 *   link      the commit's Link: or Message-ID: trailer names the mail
 *   patch-id  the commit and the mail make the same change
 *             ("git patch-id --stable")
 *   subject   the same author (after .mailmap), the same subject and
 *             an author date close to the posting's
 *
 * Every method is tried (patch-id only for commits the first two left
 * open, and only against mails touching the same files in the date
 * window).  A commit keeps the match of the most trusted method; a less
 * trusted method naming a different patch is a conflict, recorded and
 * reported, never resolved in silence.  Two methods agree when they name
 * the same patch or two revisions of it (the same title in the same
 * series): only the trusted methods tell revisions apart reliably.
 *
 * The stage reads commits from the repository and messages from the
 * series set; message bodies (for diffs) come through the load_body
 * callback, because this stage never reads the archive itself.
 *
 * The link set owns its commits and their strings; the series_patch
 * pointers refer to the series set, which must outlive it.
 */
#ifndef BPFDIGEST_LINK_H
#define BPFDIGEST_LINK_H

#include <stddef.h>
#include <time.h>

#include <git2/oid.h>

#include "strmap.h"

struct git_diff;
struct git_repository;
struct mail;
struct patchid_cache;
struct patchid_pathmap;
struct series_patch;
struct series_set;

/* By trust, lowest first, so that a larger value wins. */
enum link_method {
	LINK_NONE = 0,
	LINK_SUBJECT,
	LINK_PATCH_ID,
	LINK_TRAILER,
	LINK_PWBOT,
	LINK_METHOD_NR
};

/* "pwbot", "link", "patch-id", "subject"; "none" for LINK_NONE. */
const char *link_method_name(enum link_method method);

/*
 * How sure a match is.  certain: a pw-bot notice, or a Link: whose
 * patch has the commit's patch-id; likely: a Link: to a patch with the
 * commit's subject, or an equal patch-id; weak: the rest (a subject and
 * an author only, a Link: to a patch worded otherwise).  A conflict
 * makes a certain match likely.
 */
enum link_confidence {
	LINK_CONFIDENCE_NONE = 0,
	LINK_WEAK,
	LINK_LIKELY,
	LINK_CERTAIN
};

/* "none", "weak", "likely", "certain". */
const char *link_confidence_name(enum link_confidence c);

/* One piece of evidence tried for a commit, and what became of it. */
struct link_evidence {
	enum link_method method;
	struct series_patch *patch;	/* what it names; NULL: nothing */
	int accepted;			/* it names the kept patch (or a revision of it) */
	char *why;			/* in words, from the mail and the tree */
};

/* What one method found for a commit that the kept match contradicts. */
struct link_conflict {
	enum link_method method;
	struct series_patch *patch;	/* what that method named */
};

struct link_commit {
	git_oid id;
	char *summary;			/* the commit's subject line */
	char *author_name;		/* after .mailmap */
	char *author_email;
	time_t author_time;
	time_t commit_time;		/* when it was applied */
	struct series_patch *patch;	/* the match, NULL when none */
	enum link_method method;	/* LINK_NONE when unmatched */
	unsigned agreeing;		/* bit (1 << method) per method that found it */
	struct link_conflict *conflicts;
	size_t conflicts_nr, conflicts_alloc;
	enum link_confidence confidence;
	int patch_id_ok;		/* patch_id holds the commit's (myers) patch-id */
	git_oid patch_id;
	const char *patch_id_algorithm;	/* the diff whose id matched, or NULL */
	struct link_evidence *evidence;	/* in the order tried */
	size_t evidence_nr, evidence_alloc;
	struct series_patch **postings;	/* explain: every revision of the patch, by date */
	size_t postings_nr;
};

struct link_set {
	struct link_commit *commits;	/* newest first; merges are left out */
	size_t nr;
	size_t matched[LINK_METHOD_NR];	/* by kept method; [LINK_NONE]: unmatched */
	size_t conflicted;		/* commits with at least one conflict */
	size_t pwbot_missing;		/* pw-bot hashes this repository lacks */
	size_t pwbot_elsewhere;		/* pw-bot commits outside the range */
	size_t pwbot_unresolved;	/* pw-bot lines naming no patch we know */
	size_t patchids_computed;	/* commit diffs hashed (not cached) */
	struct strmap by_mid;		/* Message-ID of a matched patch -> link_commit */
};

#define LINK_SET_INIT { NULL, 0, { 0 }, 0, 0, 0, 0, 0, STRMAP_INIT }

/* Give a message its body; 0, or -1 when it cannot be read. */
typedef int (*link_load_body_fn)(struct mail *m, void *data);

struct link_options {
	const struct patchid_pathmap *pathmap;	/* mirrors; NULL for none */
	const char *const *linkmasks;	/* b4.linkmask values ("https://x/%s") */
	size_t linkmasks_nr;
	time_t window;			/* subject; 0: LINK_DEFAULT_WINDOW */
	time_t patchid_window;		/* patch-id; 0: LINK_DEFAULT_PATCHID_WINDOW */
	struct patchid_cache *cache;	/* NULL: compute everything */
	link_load_body_fn load_body;	/* NULL: no patch-ids for mails */
	void *load_data;
	int explain;			/* fill link_commit.postings */
};

/*
 * How far (seconds) a posting's date may be from a commit's author date
 * for the subject and the patch-id methods.  git am takes the author
 * date from the mail, so the applied revision is usually within seconds
 * of it; the windows admit earlier revisions and patches that took a
 * detour through another tree.  An equal change is strong evidence, so
 * patch-id looks further.
 */
#define LINK_DEFAULT_WINDOW (30 * 24 * 60 * 60)
#define LINK_DEFAULT_PATCHID_WINDOW (180 * 24 * 60 * 60)

/*
 * Match commits[] (from range_commits()) against the series.  Returns 0, or
 * -1 after an error reading the repository.
 */
int link_commits(struct link_set *set, struct git_repository *repo,
		 const git_oid *commits, size_t nr, struct series_set *series,
		 const struct link_options *opts);

/* The commit a patch became, by its Message-ID, or NULL. */
const struct link_commit *link_applied(const struct link_set *set, const char *mid);

void link_set_release(struct link_set *set);

/*
 * The files a commit touches against its first parent (a root commit
 * against the empty tree), without reading any blob: *out is a new diff
 * of deltas only (git_diff_free() it).  Returns 0, or a negative libgit2
 * error.
 */
int link_commit_paths(struct git_diff **out, struct git_repository *repo, const git_oid *id);

#endif
