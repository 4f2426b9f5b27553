/*
 * series-build.h - the state series_build() shares between its stages.
 *
 * series_build() (series.h) runs in stages, each in a file of its own:
 *
 *   series.c            threads, and postings grouped into revisions
 *   series-chain.c      revisions chained into series (thread, change-id,
 *                       links, titles), partial rerolls, what supersedes
 *                       what
 *   series-followup.c   follow-ups attached to postings: replies, review
 *                       trailers, participants, patchwork-bot "applied"
 *                       notices
 *
 * They share a struct builder.  Every message is a node; postings
 * (patches, covers, pull requests) get a series_patch, revisions a struct
 * revision whose first member is the public struct series_revision (so
 * that freeing the one frees the other).  The builder owns its nodes and
 * indexes and lives for one series_build() call; the patches and
 * revisions it makes become the series set's.
 *
 * This is series.c's own header, not a public one: only lib/series*.c
 * include it; the rest of the program uses series.h.
 */
#ifndef BPFDIGEST_SERIES_BUILD_H
#define BPFDIGEST_SERIES_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "series.h"
#include "strmap.h"

struct revision {
	struct series_revision rev;	/* must stay first */
	size_t index;			/* in builder.revs, then by date */
	size_t chain;			/* union-find parent (an index) */
	time_t last;			/* newest message */
	unsigned numbered;		/* the "n" of k/n; 0 for a single unnumbered patch */
	int has_pred;			/* chained to an older revision */
	unsigned seen_version;		/* newest version of the chain seen so far */
	char *norm;			/* normalised title */
	char **patch_norms;		/* ... and those of its patches */
	char *stable;			/* "6.6.y", "AUTOSEL 6.13", ...; NULL for none */
	/*
	 * While postings are placed, patches are appended as they come and
	 * put in position order once all are placed (sort_patches()): a
	 * sorted insert costs the square of a series sent in reverse.
	 */
	struct series_patch *lowest;	/* the first patch of the lowest position */
	int unsorted;			/* patches are not in position order */
};

struct node {
	struct mail *mail;
	struct series_patch *posting;
	int parent;		/* the message it answers, or -1 */
	int answers;		/* the nearest posting above it, -1 none, -2 not yet known */
	unsigned reply : 1;	/* "Re:" or "Fwd:" subject */
};

struct builder {
	struct series_set *set;
	struct node *nodes;
	size_t nr;
	struct strmap index;		/* Message-ID -> node index + 1 */
	struct revision **revs;
	size_t revs_nr, revs_alloc;
	struct strmap groups;		/* key -> revision still taking patches */
	/*
	 * Reviews given, to find repeats in constant time: a thread of
	 * thousands of acks must not cost their square.
	 */
	struct strmap reviews;		/* "<patch>\n<trailer>\n<email>\n<name>", lowercased */
	struct strmap positions;	/* "<revision> <position>" -> its first patch, while placing */
};

static inline int node_of(const struct builder *b, const char *mid)
{
	uintptr_t v = mid ? (uintptr_t)strmap_get(&b->index, mid) : 0;

	return v ? (int)(v - 1) : -1;
}

static inline struct revision *revision_of(const struct series_patch *p)
{
	return (struct revision *)p->revision;
}

/* The first member: the cover, else the lowest patch. */
static inline struct series_patch *first_member(const struct series_revision *rev)
{
	return rev->cover ? rev->cover : ((const struct revision *)rev)->lowest;
}

static inline const struct mail *revision_author(const struct series_revision *rev)
{
	return first_member(rev)->mail;
}

/* The first patch at a position of a revision, in a binary search; NULL when absent. */
struct series_patch *series_patch_at(const struct series_revision *rev, unsigned position);

/*
 * The same sender: the same address, or the same name written in any
 * order, or, without a name to compare, the same mailbox at another
 * domain.
 */
int series_same_person(const struct mail *a, const struct mail *b);

/* qsort order of struct revision pointers: by date, then version, then Message-ID. */
int series_cmp_revision_date(const void *a, const void *b);

/*
 * series-chain.c: chain the revisions, then make them into series, each
 * sorted, titled and marked.
 */
void series_chain_revisions(struct builder *b);
void series_from_revisions(struct builder *b);

/*
 * series-followup.c: attach every follow-up (with its review trailers)
 * to the posting it answers, count a revision's participants, and
 * resolve the patchwork-bot notices to the patches they name.
 */
void series_attach_followups(struct builder *b);
size_t series_count_participants(const struct series_revision *rev);
void series_collect_applied(struct builder *b);

#endif
