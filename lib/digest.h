/*
 * digest.h - what happened on the list in a period, ranked.
 *
 *   struct digest d;
 *   digest_init(&d, &period);
 *   digest_add_applied(&d, mid, commit, "link", when, NULL);  (from the link stage)
 *   digest_select(&d, &series_set, mails, nr, limit);
 *   ... give every entry a summary (summary.h) ...
 *   digest_write_overview(&d);
 *
 * digest_select() takes, for every series with a revision posted in the
 * period, the latest such revision (one entry per series, never v1 and v2
 * side by side), ranks them by what a maintainer cares about, and picks
 * the patch to highlight for each.  Ranking: series size, revision count,
 * human review activity, application, core paths (kernel/bpf, the
 * verifier, uapi, JITs) over tooling and selftests, pull requests first;
 * ties go to the earlier posting, then the title, then the Message-ID, so
 * the same inputs always give the same digest.
 *
 * A digest points into the series set, which must outlive it; it owns
 * its entries, applied records, summaries, URLs and overview.
 */
#ifndef BPFDIGEST_DIGEST_H
#define BPFDIGEST_DIGEST_H

#include <stddef.h>
#include <time.h>

#include "period.h"
#include "summary.h"
#include "strmap.h"

struct mail;
struct strbuf;
struct series_set;
struct series_patch;
struct series_revision;

/*
 * A commit that a posted patch became.  Two different facts:
 *
 *   source "pwbot"  the patchwork-bot notice in the archive says so:
 *                   "applied to bpf-next as ca4419f15abd" (the bot's
 *                   abbreviated hash, of the upstream tree it names);
 *   source "local"  the link stage found the commit in this repository
 *                   (by Link:, patch-id, ...): "in this tree as ...";
 *                   the repository is not the upstream tree, so no tree
 *                   is named.
 */
struct digest_applied {
	char *commit;		/* hex id, 40 digits or abbreviated */
	char *method;		/* "pwbot", "link", "patch-id", "subject" */
	char *tree;		/* pwbot: "bpf-next", or NULL when unknown; local: NULL */
	const char *source;	/* "pwbot" or "local" (static strings) */
	time_t when;		/* commit (or notice) time, 0 when unknown */
	/* local: "applied with changes to a.c, +2 −1" (state-changes.h), or NULL. */
	char *changes;
};

struct digest_applied_list {
	struct digest_applied *items;
	size_t nr, alloc;
};

struct digest_entry {
	struct series_patch *patch;	/* the highlighted patch */
	/* The next revision of the series (posted after the period), or NULL. */
	const struct series_revision *superseded_by;
	const struct digest_applied_list *applied;	/* NULL when none is known */
	/*
	 * What the pw-bot said of the entry's revision: how many of its
	 * patches a notice names, and the sentence that says so with this
	 * repository's own fact ("Applied to bpf-next as ca4419f15abd."),
	 * or NULL when nothing is known.
	 */
	size_t revision_applied;
	char *applied_text;
	char *url;			/* set by digest_set_urls() */
	char *summary;			/* set by the caller */
	struct summary sentences;	/* summary's sentences and their sources, or none */
};

/* One line of the "Needs attention" section (set by the caller). */
struct digest_attention {
	const char *label;		/* "NAKed", "Changes requested", "Waiting for review" */
	const char *title;
	unsigned version;
	long days;			/* in that state, as of the period's end */
	const char *mid;		/* the revision's cover, else first patch */
	char *url;			/* owned */
};

/* The most lines the section has: it is a pointer, not a queue (that is `queue`). */
#define DIGEST_ATTENTION_MAX 5

struct digest {
	struct period period;
	char *list;			/* "bpf@vger.kernel.org", or NULL if unknown */
	struct series_revision **revisions;	/* posted in the period, one per series, best first */
	size_t revisions_nr;
	struct digest_entry *entries;
	size_t entries_nr;
	size_t messages;		/* messages dated in the period */
	size_t patches;			/* patches (not covers) posted */
	size_t series;			/* distinct series with a revision posted */
	size_t authors;			/* distinct authors of those */
	size_t applied;			/* posted patches known to be applied */
	char *overview;
	/*
	 * "Applied this period: 3 series to bpf-next, 1 to bpf": distinct
	 * series a pw-bot notice dated in the period names, per tree; NULL
	 * when the archive has no notice at all, or with attention off.
	 */
	char *applied_line;
	/*
	 * The archive holds patchwork-bot notices, wherever they are (set by
	 * the caller): a period's assembly may hold none of them, and its
	 * "0 series" is still the archive's fact.
	 */
	int archive_has_notices;
	struct digest_attention attention[DIGEST_ATTENTION_MAX];
	size_t attention_nr;
	struct strmap applied_by_mid;	/* Message-ID -> struct digest_applied_list */
};

/* Highlighted entries by default: about a working day's reading. */
size_t digest_default_limit(enum period_kind kind);

void digest_init(struct digest *d, const struct period *period);
/*
 * Record that the patch mid is the commit of this repository (the link
 * stage's finding, source "local"; before digest_select()), and how the
 * commit differs from the posting (changes: state_describe_changes()'s
 * words, or NULL when applied as posted).  No tree is named: the
 * repository is not the upstream tree.  digest_select() adds
 * the archive's pw-bot notices itself (source "pwbot", with their tree).
 */
void digest_add_applied(struct digest *d, const char *mid, const char *commit,
			const char *method, time_t when, const char *changes);
void digest_select(struct digest *d, const struct series_set *set,
		   struct mail *const *mails, size_t nr, size_t limit);
/* Give every entry its URL: midmask with "%s" replaced by the Message-ID. */
void digest_set_urls(struct digest *d, const char *midmask);
void digest_write_overview(struct digest *d);
/*
 * Count what the pw-bot notices dated in the period applied, tree by
 * tree, into d->applied_line (after digest_select()).
 */
void digest_count_applied(struct digest *d, const struct series_set *set);
/* Add a "Needs attention" line (at most DIGEST_ATTENTION_MAX; 0, or -1 when full). */
int digest_add_attention(struct digest *d, const char *label, const char *title,
			 unsigned version, long days, const char *mid, const char *midmask);
void digest_release(struct digest *d);

/* Default for b4.midmask. */
#define DIGEST_DEFAULT_MIDMASK "https://lore.kernel.org/all/%s/"
/* Append midmask with its "%s" replaced by mid, %-escaped for a URL path. */
void digest_url(struct strbuf *out, const char *midmask, const char *mid);

/* The list address named by most messages' List-Id, or NULL. */
char *digest_guess_list(struct mail *const *mails, size_t nr);
/* The same from how many messages have each List-Id. */
char *digest_guess_list_counted(const char *const *ids, const uint64_t *counts, size_t nr);

/* Patches in a revision as posted: the n of "k/n", else those present. */
size_t digest_revision_size(const struct series_revision *rev);

#endif
