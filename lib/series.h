/*
 * series.h - what was posted: series, revisions, patches, follow-ups.
 *
 * series_build() turns the archive's messages into:
 *
 *   struct series            one piece of work, e.g. "More gen_loader fixes"
 *     struct series_revision   each posting of it: v1, v2, ... (oldest first)
 *       cover                  the 0/n letter, or NULL
 *       patches[]              1/n .. n/n in order (a missing one is absent)
 *         replies, reviews     follow-ups attached to that patch
 *
 * and the patchwork-bot "applied" notices resolved to the patches they
 * name (set->applied), for the link stage.
 *
 * How messages are assembled (see series.c, series-chain.c and
 * series-followup.c for the details):
 *
 *  - Threads follow In-Reply-To, else the newest References entry that is
 *    in the archive; cycles are cut.  A patch joins the revision of the
 *    posting it answers when it is the same author, version and size and
 *    its slot is free; patches answering the same missing or non-patch
 *    message, or none at all (then within an hour), group the same way.
 *    A cover is "0/n", or the non-reply root a revision's first patch
 *    answers when that root has a diffstat or the same author.
 *  - Revisions chain into a series by, in order: a reroll posted in the
 *    thread of an older revision; b4's change-id; lore links in the cover
 *    ("Link to v1: ..."); the author and normalised title, picking the
 *    candidate closest in time and of the same size; the author and the
 *    titles of the patches.  A later revision supersedes the earlier ones,
 *    except a partial reroll (some patches of a series resent in reply to
 *    their old versions), which supersedes only the patches it replaces.
 *  - A follow-up is attached to the nearest patch or cover above it in
 *    its thread.  Review trailers (Acked-by, Reviewed-by, Tested-by, ...)
 *    count when they carry an email and name the sender (by email or
 *    name); those on a cover apply to every patch of the revision.
 *
 * Messages are not copied: every struct mail pointer refers to the
 * archive, which must outlive the series set.  The series set owns
 * everything else.
 */
#ifndef BPFDIGEST_SERIES_H
#define BPFDIGEST_SERIES_H

#include <stddef.h>
#include <time.h>

#include "strmap.h"
#include "subject.h"

struct mail;
struct series;
struct series_revision;
struct strbuf;

/* A review trailer (Acked-by, Reviewed-by, Tested-by, ...) with an email. */
struct series_review {
	char *trailer;		/* "Acked-by" */
	char *name;
	char *email;
	const struct mail *given_in;	/* the reply that gave it, or the patch itself */
};

/* A patch or a cover letter, as posted. */
struct series_patch {
	struct mail *mail;
	struct subject subject;
	struct series_revision *revision;
	struct mail **replies;		/* every follow-up, in archive order */
	size_t replies_nr, replies_alloc;
	size_t human_replies;		/* replies not written by a bot */
	struct series_review *reviews;	/* given to this patch, or to the cover */
	size_t reviews_nr, reviews_alloc;
	/*
	 * Its new version: the patch of a partial reroll at its position, or
	 * of the next full revision with its title (or position, when the
	 * size is the same).  NULL otherwise, though a later full revision
	 * still supersedes it: see patch_status().
	 */
	struct series_patch *superseded_by;
	/*
	 * The first patchwork-bot line that names it as applied (an entry
	 * of set->applied), or NULL: a fact of the archive, whatever the
	 * local repository holds.
	 */
	const struct series_applied *applied;
};

enum revision_flag {
	REVISION_RFC = 1 << 0,
	REVISION_RESEND = 1 << 1,
	REVISION_PULL = 1 << 2,		/* a pull request, not patches */
	REVISION_SUPERSEDED = 1 << 3,	/* a later full revision exists */
	REVISION_PARTIAL = 1 << 4,	/* resends some patches of base */
	REVISION_VERSIONED = 1 << 5,	/* the version was written ("v2") */
};

struct series_revision {
	struct series *series;
	unsigned version;		/* 1 when no vN was given */
	unsigned total;			/* n of "k/n"; 1 for a single patch */
	unsigned flags;			/* enum revision_flag */
	char *tree;			/* "bpf-next", ...; NULL when not named */
	time_t date;			/* when its first message was posted */
	struct series_patch *cover;	/* NULL when there is none */
	struct series_patch **patches;	/* by position */
	size_t patches_nr, patches_alloc;
	size_t participants;		/* distinct human repliers */
	/* REVISION_PARTIAL: the revision whose other patches still stand. */
	struct series_revision *base;
};

struct series {
	char *title;			/* the newest revision's cover, else first patch */
	char *author_name;
	char *author_email;
	struct series_revision **revisions;	/* oldest first (by version, then date) */
	size_t revisions_nr, revisions_alloc;
};

/*
 * One patch named by a patchwork-bot "This series was applied to ..."
 * notice: "bpf/bpf-next.git (master)", "- [bpf-next,v3,1/3] subject" and
 * "https://git.kernel.org/bpf/bpf-next/c/<hash>".
 */
struct series_applied {
	struct series_patch *patch;	/* the posted patch the line names */
	char *tree;			/* "bpf/bpf-next.git" */
	char *branch;			/* "master"; NULL when not given */
	char *commit;			/* the short hash of the link */
	const char *url;		/* the bot's link (owned by the notice) */
	const char *line;		/* "[bpf-next,v3,1/3] subject" (owned by the notice) */
	const struct mail *notice;	/* the bot's mail */
};

/* "bpf/bpf-next.git" -> "bpf-next", the tree as a subject names it (a new string). */
char *series_tree_name(const char *tree);

struct series_set {
	struct series **series;		/* ordered by first posting */
	size_t nr, alloc;
	struct strmap by_mid;		/* Message-ID of a patch/cover -> series_patch */
	struct strmap reply_to;		/* Message-ID of a follow-up -> series_patch */
	struct series_applied *applied;	/* in archive order of the notices */
	size_t applied_nr, applied_alloc;
	size_t applied_unresolved;	/* applied lines naming no patch we have */
	size_t cycles;			/* reference loops that were cut */
};

/*
 * Revisions of one title further apart than this are never chained by
 * their title, nor compared: msgindex.h relies on it.
 */
#define SERIES_REROLL_WINDOW (365 * 24 * 60 * 60)

#define SERIES_SET_INIT { .by_mid = STRMAP_INIT, .reply_to = STRMAP_INIT }

/* Build every series from mails[] (archive order).  Returns 0. */
int series_build(struct series_set *set, struct mail **mails, size_t nr);
void series_set_release(struct series_set *set);

/*
 * The patch or cover a Message-ID names, directly or as one of its
 * follow-ups; NULL when it belongs to no series.
 */
struct series_patch *series_find(const struct series_set *set, const char *mid);

/*
 * The title a revision was posted under: its cover's, else its first
 * patch's.  An RFC keeps its own even when v1 was retitled.
 */
const char *series_revision_title(const struct series_revision *rev);

/*
 * 1 when a revision is work posted for review: "[PATCH ...]", "[RFC ...]",
 * PATCHSET, numbered patches or a pull request.  A discussion mail that
 * happens to hold a diff or a log is a series to patchwork, not work.
 */
int series_revision_is_work(const struct series_revision *rev);

/* The newest revision of a series. */
struct series_revision *series_latest(const struct series *s);
/*
 * The patch at a position of a revision, or NULL.  Position 0 is an
 * unnumbered single patch, else the cover.
 */
struct series_patch *revision_patch(const struct series_revision *rev, unsigned position);
/*
 * The newest posting of a position in a series: from the latest full
 * revision, or from a partial reroll after it.  NULL when absent.
 */
struct series_patch *series_current_patch(const struct series *s, unsigned position);

/*
 * "Name <email>" (a trailer's value) into name and email (appended), or
 * 0 when it names no address.
 */
int series_parse_person(const char *value, struct strbuf *name, struct strbuf *email);
/* 1 for the trailers that count as a review (Acked-by, Reviewed-by, Tested-by, ...). */
int series_is_review_trailer(const char *key);

/* 1 when an address is a known bot (patchwork-bot, CI and build bots). */
int series_is_bot(const char *email);
/* ... or when the sender's name says so ("kernel test robot <a@person>"). */
int series_mail_is_bot(const struct mail *m);

/*
 * Where a revision or patch stands.  Kept as one function each so that
 * "applied" (from the link stage) is added in one place.
 */
enum series_status {
	SERIES_POSTED,
	SERIES_SUPERSEDED,
};

const char *series_status_name(enum series_status status);
enum series_status revision_status(const struct series_revision *rev);
enum series_status patch_status(const struct series_patch *p);

#endif
