/*
 * digest.h - what happened on the list in a period, ranked.
 *
 * digest_select() picks the revisions posted in the period, ranks them by
 * what a maintainer cares about, and chooses the patch to highlight for
 * each.  The caller then gives every entry a summary (summary.h) and
 * calls digest_write_overview() for the opening paragraph.
 *
 * A digest points into the series set, which must outlive it; it owns
 * its entries, summaries and overview.
 */
#ifndef BPFDIGEST_DIGEST_H
#define BPFDIGEST_DIGEST_H

#include <stddef.h>

#include "period.h"

struct mail;
struct series_set;
struct series_patch;
struct series_revision;

struct digest_entry {
	struct series_patch *patch;	/* the highlighted patch */
	char *summary;			/* set by the caller */
};

struct digest {
	struct period period;
	char *list;			/* "bpf@vger.kernel.org", or NULL if unknown */
	struct series_revision **revisions;	/* posted in the period, best first */
	size_t revisions_nr;
	struct digest_entry *entries;
	size_t entries_nr;
	size_t messages;		/* messages dated in the period */
	size_t patches;			/* patches (not covers) posted */
	size_t authors;			/* distinct authors of those */
	char *overview;
};

/* Default number of highlighted entries. */
#define DIGEST_DEFAULT_LIMIT 10

void digest_select(struct digest *d, const struct series_set *set,
		   struct mail *const *mails, size_t nr,
		   const struct period *period, size_t limit);
void digest_write_overview(struct digest *d);
void digest_release(struct digest *d);

/* The list address named by most messages' List-Id, or NULL. */
char *digest_guess_list(struct mail *const *mails, size_t nr);

#endif
