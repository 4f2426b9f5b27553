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

#include "archive.h"
#include "date.h"
#include "options.h"
#include "render.h"
#include "series.h"

struct config;
struct git_repository;
struct period;

/* The global options, after configuration and the command line. */
struct global_options {
	struct option_list inboxes;
	enum output_format format;
	struct tzspec tz;
	int quiet;
};

struct pipeline {
	const struct global_options *opts;
	const struct config *cfg;
	struct git_repository *repo;	/* NULL outside a repository */
	struct archive archive;
	struct series_set series;
};

void pipeline_init(struct pipeline *p, const struct global_options *opts,
		   const struct config *cfg, struct git_repository *repo);
/*
 * Bring the archive up to date with every inbox, through the incremental
 * index in repo_cache_dir(), warning about (and counting) messages that
 * cannot be parsed.  Dies when no inbox is given or one cannot be read.
 */
void pipeline_update(struct pipeline *p);
/* pipeline_update(), then assemble the series. */
void pipeline_load(struct pipeline *p);
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
void pipeline_release(struct pipeline *p);

#endif
