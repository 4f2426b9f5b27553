/*
 * pipeline.h - the stages run in order, for each command.
 *
 *   inbox -> mail -> archive -> series -> (link) -> summary -> digest -> render
 *
 * Stages hand their results down and never call back up; the pipeline
 * is where one stage's output is given to the next, and where the few
 * message bodies a later stage needs are read again from the archive.
 */
#ifndef BPFDIGEST_PIPELINE_H
#define BPFDIGEST_PIPELINE_H

#include <stddef.h>

#include <git2/oid.h>

#include "archive.h"
#include "date.h"
#include "options.h"
#include "queue.h"
#include "render.h"
#include "series.h"

struct color_scheme;
struct config;
struct git_repository;
struct period;

/* The global options, after configuration and the command line. */
struct global_options {
	struct option_list inboxes;
	enum output_format format;
	struct tzspec tz;
	int quiet;
	/* Colours of text output (color.h); NULL for none, and for other formats. */
	const struct color_scheme *colors;
};

struct pipeline {
	const struct global_options *opts;
	const struct config *cfg;
	struct git_repository *repo;	/* NULL outside a repository */
	struct archive archive;
	struct series_set series;
	int loaded;			/* pipeline_load() has run */
};

void pipeline_init(struct pipeline *p, const struct global_options *opts,
		   const struct config *cfg, struct git_repository *repo);
/*
 * Bring the archive up to date with every inbox, through the incremental
 * index in repo_cache_dir(), warning about (and counting) messages that
 * cannot be parsed.  Dies when no inbox is given or one cannot be read.
 * Returns 0, or -1 when an index could not be saved (after an error and
 * a warning: the archive in memory is complete, the next run reads again
 * what this one read).
 */
int pipeline_update(struct pipeline *p);
/* pipeline_update(), then assemble the series (once: later calls do nothing). */
void pipeline_load(struct pipeline *p);
/*
 * pipeline_load() for a digest of period: the series of the period's
 * components only (msgindex.h), the same for the period as the full
 * assembly; the full one when that cannot be known to be the same.
 */
void pipeline_load_period(struct pipeline *p, const struct period *period);
struct pipeline_digest_options {
	size_t limit;		/* highlighted entries; 0: the period's default */
	/* Overrides bpfdigest.summarizer when non-NULL; "" turns it off. */
	const char *summarizer;
};

/*
 * Select, summarise and print the digest of a period.  The list is named
 * by bpfdigest.list, else by publicinbox.<name>.address of an inbox in
 * the public-inbox configuration, else by the archive's List-Id.  Links
 * use b4.midmask.  Returns 0 or -1.
 */
int pipeline_digest(struct pipeline *p, const struct period *period,
		    const struct pipeline_digest_options *opts);

enum pipeline_series_flags {
	/* Summarise each patch and revision (JSON always does). */
	PIPELINE_SERIES_SUMMARIES = 1 << 0,
};

/*
 * Print the series that contain the messages mids[] names (a Message-ID
 * with or without <>, or a lore / patch.msgid.link URL), each once, in
 * the order given; with nr == 0, every series, or those with a revision
 * posted in period when it is not NULL.  Returns 0, 1 when a message
 * is in no series (after an error naming it; the others are printed),
 * or -1 after an error.
 */
int pipeline_series(struct pipeline *p, const char *const *mids, size_t nr,
		    const struct period *period, unsigned flags);
/*
 * The same series as pipeline_series() selects, as mboxrd for git am and
 * b4 am: the patches of one revision of each, as archived, in order, the
 * cover left out.  The revision is version vN (the latest of that
 * number), or the latest one when version is 0; flags are enum
 * pipeline_mbox_flag.  Returns like
 * pipeline_series(); a series without that version is an error too (1).
 */
int pipeline_series_mbox(struct pipeline *p, const char *const *mids, size_t nr,
			 const struct period *period, unsigned version, unsigned flags);

/* What else pipeline_series_mbox() writes, for b4 am and git am. */
enum pipeline_mbox_flag {
	/* The cover and every follow-up of the thread too, for b4 am -m. */
	PIPELINE_MBOX_REPLIES = 1 << 0,
	/*
	 * In each patch, the Acked-by/Reviewed-by/Tested-by given on the list
	 * (to it or to the cover) and a Link: (b4.linkmask, else b4's
	 * default), as b4 am -l writes them, for plain git am.
	 */
	PIPELINE_MBOX_TRAILERS = 1 << 1,
};
struct pipeline_queue_options {
	time_t at;			/* the queue as of this instant */
	int as_of;			/* --at: read only the mail dated up to at */
	struct queue_filter filter;
};

/*
 * Print the open series (queue.h) as of opts->at, in the global format.
 * With opts->as_of, the archive is read as it stood then: only the
 * messages whose mail_period_time() is at or before at.  States use
 * bpfdigest.staleDays; links b4.midmask.  Returns 0 or -1.
 */
int pipeline_queue(struct pipeline *p, const struct pipeline_queue_options *opts);
/*
 * pipeline_update(), then assemble the series of the messages dated at
 * or before at only (once: later calls, and pipeline_load(), do nothing).
 */
void pipeline_load_as_of(struct pipeline *p, time_t at);
struct digest;
/*
 * The digest's "Needs attention" lines: as its period ended, the NAKed
 * series, those asked to change, then those waiting longest for a
 * review, at most DIGEST_ATTENTION_MAX.
 */
void pipeline_attention(struct pipeline *p, struct digest *d, const char *midmask);
/*
 * bpfdigest.queueDays (checked; dies on a bad value): a series with no
 * word for that many days is not in the queue.  0: no limit.
 */
long pipeline_queue_days(const struct pipeline *p);
/*
 * The Message-ID in what a user pastes: "<mid>", "mid", or a link such
 * as https://lore.kernel.org/bpf/<mid>/ (a new string; NULL when empty).
 */
char *pipeline_message_id(const char *arg);
/*
 * pipeline_update(), then assemble what "series" needs: the series
 * holding the messages mids[] name (any form pipeline_message_id()
 * reads), else those with a revision in period, else (both none) the
 * whole archive.  Only their components are assembled when that gives
 * the same series (see pipeline_load_period()).  Once, like
 * pipeline_load().
 */
void pipeline_load_series(struct pipeline *p, const char *const *mids, size_t nr,
			  const struct period *period);
/* bpfdigest.attention (default true): a digest ends with the queue's news. */
int pipeline_attention_wanted(const struct pipeline *p);

/*
 * Match the commits of a revision range (NULL: the default of
 * range_commits()) to posted patches and print them.  Dies when there is
 * no repository or the range is invalid; returns 0 or -1.
 */
int pipeline_link(struct pipeline *p, const char *range);
/* "link <commit>": that one commit's match, postings and evidence. */
int pipeline_link_explain(struct pipeline *p, const git_oid *commit);
/*
 * Print "<patch-id> <commit>" for every non-merge commit of the range,
 * as "git log -p | git patch-id --stable" does (no inbox is read).
 * Dies like pipeline_link(); returns 0 or -1.
 */
int pipeline_patch_ids(struct pipeline *p, const char *range);
/*
 * Write a note on every matched commit of the range; flags are notes.h's
 * enum notes_flags (NOTES_DRY_RUN: only say what would be written;
 * NOTES_FORCE: replace notes we did not write, which are otherwise kept
 * with a warning).  Dies like pipeline_link(); returns 0 or -1.
 */
int pipeline_notes(struct pipeline *p, const char *range, int flags);
/*
 * Print the release-note draft of a revision range: its commits grouped
 * by series and area (release.h), in the global format.  The area table
 * takes bpfdigest.area.<name> globs, mirror paths bpfdigest.pathMap.
 * Dies like pipeline_link(); returns 0 or -1.
 */
int pipeline_release_draft(struct pipeline *p, const char *range);
/* Free what the pipeline read (the archive and the series). */
void pipeline_release(struct pipeline *p);

#endif
