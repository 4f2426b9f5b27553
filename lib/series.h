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
};

enum revision_flag {
	REVISION_RFC = 1 << 0,
	REVISION_RESEND = 1 << 1,
	REVISION_PULL = 1 << 2,		/* a pull request, not patches */
	REVISION_SUPERSEDED = 1 << 3,	/* a later revision exists */
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
};

struct series {
	char *title;			/* the cover's title, else the first patch's */
	char *author_name;
	char *author_email;
	struct series_revision **revisions;	/* oldest first */
	size_t revisions_nr, revisions_alloc;
};

struct series_set {
	struct series **series;		/* ordered by first posting */
	size_t nr, alloc;
	struct strmap by_mid;		/* Message-ID of a patch/cover -> series_patch */
	struct strmap reply_to;		/* Message-ID of a follow-up -> series_patch */
};

#define SERIES_SET_INIT { NULL, 0, 0, STRMAP_INIT, STRMAP_INIT }

/* Build every series from mails[] (archive order).  Returns 0. */
int series_build(struct series_set *set, struct mail **mails, size_t nr);
void series_set_release(struct series_set *set);

/*
 * The patch or cover a Message-ID names, directly or as one of its
 * follow-ups; NULL when it belongs to no series.
 */
struct series_patch *series_find(const struct series_set *set, const char *mid);

/* The newest revision of a series. */
struct series_revision *series_latest(const struct series *s);
/* The patch at a position of a revision, or NULL. */
struct series_patch *revision_patch(const struct series_revision *rev, unsigned position);

/* 1 when an address is a known bot (patchwork-bot, CI and build bots). */
int series_is_bot(const char *email);

#endif
