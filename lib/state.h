/*
 * state.h - where the review of a series stands, per revision and per
 * patch, and the mail (or commit) that says so.
 *
 * The state stage runs after series and link:
 *
 *   series -> link -> state -> summary -> digest -> render
 *
 * and reads nothing but a series, the link set and patch-ids.
 *
 *   struct series_state st = SERIES_STATE_INIT;
 *   struct state_options opts = STATE_OPTIONS_INIT;
 *   opts.links = &links;
 *   state_series(&st, s, &opts);
 *   printf("%s\n", state_name(st.revisions[st.nr - 1].state));
 *   series_state_release(&st);
 *
 * States, from the strongest: when more than one holds, the first one in
 * this list wins (enum state counts upward in the same order, so the
 * larger value wins):
 *
 *   applied             every patch is applied (a pw-bot notice, or a
 *                       commit of the tree found by the link stage)
 *   partially-applied   some patches are applied, not all
 *   superseded          a later revision replaces it
 *   nacked              a human's "Nacked-by:" trailer or "NAK" line
 *   changes-requested   a human's "pw-bot: cr" (or changes-requested)
 *   deferred            a human's "pw-bot: defer"
 *   reviewed            a review trailer (Acked-by, Reviewed-by, ...)
 *   stalled             no human reply for stale_days, no later revision
 *   posted              none of the above
 *
 * A revision's state is the strongest of its patches', except that
 * applied needs every patch (else partially-applied).  Every state but
 * posted carries evidence: the Message-ID and date of the mail that set
 * it, or the commit for a patch applied from the tree.
 *
 * As of.  States are computed as of opts.at: mails dated after it are
 * not seen, nor revisions posted after it, nor commits applied after it.
 * stalled depends on at (the wall clock by default); the others are
 * decided by mails and the tree alone, so that what is written for good
 * (git notes) never changes with the clock: see state_is_decided().
 *
 * The state set owns its arrays and strings; series, mails and the link
 * set are borrowed and must outlive it.
 */
#ifndef BPFDIGEST_STATE_H
#define BPFDIGEST_STATE_H

#include <stddef.h>
#include <time.h>

struct git_oid;
struct git_repository;
struct link_set;
struct mail;
struct patchid_cache;
struct patchid_pathmap;
struct series;
struct series_patch;
struct series_revision;
struct strbuf;

/* In precedence order, weakest first: the larger value wins. */
enum state {
	STATE_POSTED = 0,
	STATE_STALLED,
	STATE_REVIEWED,
	STATE_DEFERRED,
	STATE_CHANGES_REQUESTED,
	STATE_NACKED,
	STATE_SUPERSEDED,
	STATE_PARTIALLY_APPLIED,
	STATE_APPLIED,
	STATE_NR
};

/* "changes-requested", ...; the names --state= takes. */
const char *state_name(enum state state);
/* The state a name (as state_name() writes it) names, or -1. */
int state_parse(const char *name);
/*
 * 1 for the states mails and the tree decide alone (all but stalled and
 * posted), which stay the same whenever they are computed.
 */
int state_is_decided(enum state state);

/*
 * What set a state: the mail (mid and date), or for a patch applied
 * from the tree the commit (hex id).  All NULL/0 for posted.
 */
struct state_evidence {
	const char *mid;		/* borrowed from the mail */
	time_t date;
	char *commit;			/* owned; NULL unless applied from the tree */
};

/* One file an applied commit changed otherwise than the posted diff. */
struct state_file_change {
	char *path;
	size_t added, removed;		/* lines the commit has more, and fewer */
};

/*
 * How an applied commit differs from the patch as posted, when their
 * patch-ids differ: the files whose change differs, and the lines.
 */
struct state_changes {
	struct state_file_change *files;
	size_t nr, alloc;
	size_t added, removed;		/* summed over the files */
};

struct state_patch {
	struct series_patch *patch;	/* borrowed */
	unsigned position;
	enum state state;
	struct state_evidence evidence;
	/*
	 * The first version (of this series) from which the patch at this
	 * position has had the same "git patch-id --stable", as b4's
	 * marker; 0 when its patch-id is unknown (no diff loaded).
	 */
	unsigned unchanged_since;
	int is_new;			/* the previous revision had no patch here */
	int patch_id_ok;		/* patch_id below is set */
	unsigned char patch_id[20];
	/* NULL unless applied and the commit differs from the posting. */
	struct state_changes *applied_changes;
};

struct state_revision {
	struct series_revision *revision;	/* borrowed */
	enum state state;
	struct state_evidence evidence;
	struct state_patch *patches;	/* by position, the cover left out */
	size_t patches_nr;
	unsigned *dropped;		/* positions the previous revision had, this one not */
	size_t dropped_nr;
	int seen;			/* posted at or before opts.at */
};

struct series_state {
	const struct series *series;	/* borrowed */
	struct state_revision *revisions;	/* as series->revisions */
	size_t nr;
};

#define SERIES_STATE_INIT { NULL, NULL, 0 }

struct state_options {
	time_t at;			/* as of when; 0: now */
	unsigned stale_days;		/* bpfdigest.staleDays; 0: the default, 7 */
	const struct link_set *links;	/* commits found in the tree; NULL: none */
	/* For unchanged_since and applied_changes; NULL: not computed. */
	struct git_repository *repo;
	struct patchid_cache *cache;	/* may be NULL */
	const struct patchid_pathmap *pathmap;	/* mirrors; may be NULL */
};

#define STATE_STALE_DAYS_DEFAULT 7
#define STATE_OPTIONS_INIT { 0, STATE_STALE_DAYS_DEFAULT, NULL, NULL, NULL, NULL }

/*
 * Compute the state of one series into *out (overwritten).  Patch-ids
 * come from the mails' diffs: only those with a body loaded count (see
 * state_wanted_bodies()).  Returns 0, or -1 after an error (reported).
 */
int state_series(struct series_state *out, const struct series *s,
		 const struct state_options *opts);
void series_state_release(struct series_state *st);

/* The state of a revision of the series, or NULL when it is not one. */
const struct state_revision *state_find_revision(const struct series_state *st,
						 const struct series_revision *rev);
/* The state of a patch of the series, or NULL when it is not one. */
const struct state_patch *state_find_patch(const struct series_state *st,
					   const struct series_patch *p);

/*
 * How commit differs from patch p as posted (see state-changes.h) into
 * *out: NULL when their patch-ids are equal, or when it cannot be told
 * (no body loaded, no diff, no repository).  opts->repo is the commit's;
 * opts->pathmap, when set, maps the posting into its paths first, and
 * opts->cache keeps the commit's patch-id.  The caller frees *out with
 * state_changes_free().
 */
void state_applied_changes(struct state_changes **out, const struct series_patch *p,
			   const struct git_oid *commit, const struct state_options *opts);

/*
 * Append to (*mails, *nr, *alloc) the mails of s whose body
 * state_series() needs (the patches, for their patch-ids), once each.
 */
void state_wanted_bodies(struct mail ***mails, size_t *nr, size_t *alloc,
			 const struct series *s);

#endif
