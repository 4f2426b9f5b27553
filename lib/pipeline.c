#include "pipeline.h"
#include "config.h"
#include "digest.h"
#include "link.h"
#include "mail.h"
#include "notes.h"
#include "patchid.h"
#include "render-link.h"
#include "repo.h"
#include "strbuf.h"
#include "summary.h"
#include "usage.h"
#include "xalloc.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void pipeline_load(struct pipeline *p)
{
	const struct option_list *inboxes = &p->opts->inboxes;

	if (!inboxes->nr)
		die("no inbox given: use --inbox=<loc> or set bpfdigest.inbox");
	archive_open(&p->archive, inboxes->items, inboxes->nr);
	if (archive_update(&p->archive) < 0)
		die("cannot read the inboxes");
	if (p->archive.broken)
		warning("%zu of %zu messages could not be parsed and were skipped",
			p->archive.broken, p->archive.seen);
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

/* --- performance tracing ----------------------------------------------------- */

static double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * With BPFDIGEST_TRACE_PERFORMANCE set, say on stderr how long a stage
 * took, as GIT_TRACE_PERFORMANCE does for git: benchmarks time one stage
 * of a run with it.
 */
PRINTF_LIKE(2, 3) static void trace_performance(double start, const char *fmt, ...)
{
	const char *v = getenv("BPFDIGEST_TRACE_PERFORMANCE");
	va_list ap;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	fprintf(stderr, "performance: %.6f s: ", monotonic_seconds() - start);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- link and notes ----------------------------------------------------------- */

/* What the link stage needs besides the series: options, cache, range. */
struct link_run {
	struct link_set set;
	struct link_options opts;
	struct patchid_pathmap pathmap;
	struct option_list masks;
	struct patchid_cache cache;
	git_oid *commits;
	size_t nr;
	const char *range;	/* as given, or the default's spelling */
};

static int add_pathmap(const char *value, void *data)
{
	if (patchid_pathmap_add(data, value) < 0)
		die("bad config value '%s' for 'bpfdigest.pathMap' (use <kernel path>:<mirror path>)",
		    value);
	return 0;
}

static int add_value(const char *value, void *data)
{
	option_list_add(data, value);
	return 0;
}

static int load_body(struct mail *m, void *data)
{
	return archive_load_body(data, m);
}

/* The commits of the range; dies outside a repository or on a bad range. */
static void resolve_range(struct pipeline *p, struct link_run *run, const char *range)
{
	memset(run, 0, sizeof(*run));
	if (!p->repo)
		die("not in a git repository: links are to the commits of one");
	if (link_range(&run->commits, &run->nr, p->repo, range) < 0)
		die("invalid revision range '%s'", range ? range : "HEAD~1000..HEAD");
	run->range = range ? range : "HEAD~1000..HEAD";
}

static void open_cache(struct pipeline *p, struct patchid_cache *cache)
{
	char *dir = repo_cache_dir(p->repo);

	patchid_cache_open(cache, dir);
	free(dir);
}

/* Resolve the range, read the inboxes and match; dies on bad input. */
static int run_link(struct pipeline *p, struct link_run *run, const char *range)
{
	double start;
	int ret;

	resolve_range(p, run, range);
	pipeline_load(p);
	start = monotonic_seconds();

	config_get_all(p->cfg, "bpfdigest.pathMap", add_pathmap, &run->pathmap);
	config_get_all(p->cfg, "b4.linkmask", add_value, &run->masks);
	open_cache(p, &run->cache);
	run->opts.pathmap = run->pathmap.nr ? &run->pathmap : NULL;
	run->opts.linkmasks = run->masks.items;
	run->opts.linkmasks_nr = run->masks.nr;
	run->opts.cache = &run->cache;
	run->opts.load_body = load_body;
	run->opts.load_data = &p->archive;
	ret = link_commits(&run->set, p->repo, run->commits, run->nr, &p->series, &run->opts);
	patchid_cache_flush(&run->cache);
	trace_performance(start, "link: %zu commits, %zu patch-ids computed", run->nr,
			  run->set.patchids_computed);
	return ret;
}

static void release_link(struct link_run *run)
{
	link_set_release(&run->set);
	patchid_pathmap_release(&run->pathmap);
	option_list_clear(&run->masks);
	patchid_cache_release(&run->cache);
	free(run->commits);
}

int pipeline_link(struct pipeline *p, const char *range)
{
	struct link_run run;
	int ret = run_link(p, &run, range);

	if (!ret)
		ret = render_link(stdout, &run.set, run.range, p->opts->format);
	release_link(&run);
	return ret;
}

int pipeline_patch_ids(struct pipeline *p, const char *range)
{
	struct link_run run;
	git_oid *ids;
	int *status;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int ret = 0;

	resolve_range(p, &run, range);
	open_cache(p, &run.cache);
	CALLOC_ARRAY(ids, run.nr ? run.nr : 1);
	CALLOC_ARRAY(status, run.nr ? run.nr : 1);
	patchid_commits(ids, status, p->repo, run.commits, run.nr, &run.cache);
	patchid_cache_flush(&run.cache);
	for (i = 0; i < run.nr; i++) {
		if (status[i] < 0)
			ret = -1;
		if (status[i] != PATCHID_OK)
			continue;
		printf("%s ", git_oid_tostr(hex, sizeof(hex), &ids[i]));
		printf("%s\n", git_oid_tostr(hex, sizeof(hex), &run.commits[i]));
	}
	free(ids);
	free(status);
	release_link(&run);
	return ret;
}

/* The note of every matched commit, its summary from the reloaded bodies. */
static void make_notes(struct pipeline *p, const struct link_set *set,
		       struct notes_update *updates, size_t *nr)
{
	const char *midmask = config_get_string(p->cfg, "b4.midmask");
	struct strbuf summary = STRBUF_INIT, note = STRBUF_INIT;
	size_t i;

	*nr = 0;
	for (i = 0; i < set->nr; i++) {
		const struct link_commit *lc = &set->commits[i];

		if (!lc->patch)
			continue;
		archive_load_body(&p->archive, lc->patch->mail);
		if (lc->patch->revision->cover)
			archive_load_body(&p->archive, lc->patch->revision->cover->mail);
		strbuf_reset(&summary);
		strbuf_reset(&note);
		summary_patch(&summary, lc->patch);
		notes_format(&note, lc, summary.buf, midmask);
		updates[*nr].commit = lc->id;
		updates[*nr].text = strbuf_detach(&note, NULL);
		(*nr)++;
	}
	strbuf_release(&summary);
	strbuf_release(&note);
}

int pipeline_notes(struct pipeline *p, const char *range, int dry_run)
{
	struct link_run run;
	struct notes_update *updates = NULL;
	struct notes_result res;
	char *ref = NULL;
	const char *value;
	size_t nr = 0, i;
	double start;
	int ret;

	value = config_get_string(p->cfg, "bpfdigest.notesRef");
	ref = notes_ref_name(value ? value : NOTES_DEFAULT_REF);
	if (!ref)
		die("bad config value '%s' for 'bpfdigest.notesRef'", value);
	ret = run_link(p, &run, range);
	if (ret)
		goto out;
	CALLOC_ARRAY(updates, run.set.nr ? run.set.nr : 1);
	make_notes(p, &run.set, updates, &nr);
	start = monotonic_seconds();
	ret = notes_write(&res, p->repo, ref, updates, nr, "Notes added by 'git bpfdigest notes'\n",
			  dry_run);
	if (ret)
		goto out;
	trace_performance(start, "notes: %zu notes written in %zu attempt%s", res.added + res.updated,
			  res.attempts, res.attempts == 1 ? "" : "s");
	for (i = 0; dry_run && i < nr; i++)
		if (updates[i].state != NOTES_UNCHANGED)
			printf("%s %s\n", updates[i].state == NOTES_ADDED ? "add" : "update",
			       git_oid_tostr_s(&updates[i].commit));
	printf("notes in %s%s: %zu added, %zu updated, %zu unchanged\n", ref,
	       dry_run ? " (dry run)" : "", res.added, res.updated, res.unchanged);
out:
	for (i = 0; i < nr; i++)
		free((char *)updates[i].text);
	free(updates);
	free(ref);
	release_link(&run);
	return ret;
}

void pipeline_release(struct pipeline *p)
{
	series_set_release(&p->series);
	archive_release(&p->archive);
}
