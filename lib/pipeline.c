#include "pipeline.h"
#include "digest.h"
#include "mail.h"
#include "repo.h"
#include "strbuf.h"
#include "summary.h"
#include "usage.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pipeline_init(struct pipeline *p, const struct global_options *opts,
		   const struct config *cfg, struct git_repository *repo)
{
	struct archive a = ARCHIVE_INIT;
	struct series_set s = SERIES_SET_INIT;

	memset(p, 0, sizeof(*p));
	p->opts = opts;
	p->cfg = cfg;
	p->repo = repo;
	p->archive = a;
	p->series = s;
}

void pipeline_update(struct pipeline *p)
{
	const struct option_list *inboxes = &p->opts->inboxes;
	const char *threads = getenv("BPFDIGEST_THREADS");
	char *cache;

	if (!inboxes->nr)
		die("no inbox given: use --inbox=<loc> or set bpfdigest.inbox");
	archive_open_repo(&p->archive, p->repo, inboxes->items, inboxes->nr);
	cache = repo_cache_dir(p->repo);
	archive_use_cache(&p->archive, cache);
	free(cache);
	if (threads && *threads)
		p->archive.threads = atoi(threads);
	if (archive_update(&p->archive) < 0)
		die("cannot read the inboxes");
	/* The one line that sums up the warnings above it. */
	if (p->archive.warned)
		warning("%zu of %zu messages read could not be parsed and were skipped",
			p->archive.warned, p->archive.read);
}

void pipeline_load(struct pipeline *p)
{
	pipeline_update(p);
	series_build(&p->series, p->archive.mails, p->archive.nr);
}

/* Bodies of the highlighted patches and their covers, read again. */
static void load_bodies(struct pipeline *p, struct digest *d)
{
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		struct series_patch *patch = d->entries[i].patch;
		struct series_revision *rev = patch->revision;

		archive_load_body(&p->archive, patch->mail);
		if (rev->cover)
			archive_load_body(&p->archive, rev->cover->mail);
	}
}

int pipeline_digest(struct pipeline *p, const struct period *period, size_t limit)
{
	struct digest d;
	size_t i;
	int ret;

	digest_select(&d, &p->series, p->archive.mails, p->archive.nr, period, limit);
	load_bodies(p, &d);
	for (i = 0; i < d.entries_nr; i++) {
		struct strbuf sb = STRBUF_INIT;

		summary_patch(&sb, d.entries[i].patch);
		d.entries[i].summary = strbuf_detach(&sb, NULL);
	}
	digest_write_overview(&d);
	ret = render_digest(stdout, &d, p->opts->format, date_now());
	digest_release(&d);
	return ret;
}

void pipeline_release(struct pipeline *p)
{
	series_set_release(&p->series);
	archive_release(&p->archive);
}
