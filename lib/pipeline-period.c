/*
 * pipeline-period.c - a digest's series from its period's mail: which
 * messages it needs (msgindex.h), kept beside the archive's index, and
 * when the whole archive must be assembled instead.
 */
#include "pipeline.h"
#include "config.h"
#include "msgindex.h"
#include "period.h"
#include "strbuf.h"
#include "trace.h"
#include "usage.h"
#include "xalloc.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

int pipeline_attention_wanted(const struct pipeline *p)
{
	int attention;

	return config_get_bool(p->cfg, "bpfdigest.attention", &attention) <= 0 || attention;
}

/*
 * Whether a period's series may be assembled from its components only
 * (msgindex.h) rather than the whole archive.  Not when asked for the
 * full assembly (BPFDIGEST_FULL_ASSEMBLY=1), not across several inboxes,
 * and not when the run links against a repository with commits: the
 * link stage matches against every series of the archive.
 */
static int may_assemble_period(const struct pipeline *p)
{
	const char *full = getenv("BPFDIGEST_FULL_ASSEMBLY");

	if (full && *full && strcmp(full, "0"))
		return 0;
	/* Needs attention without bpfdigest.queueDays: every open series of the archive. */
	if (pipeline_attention_wanted(p) && !pipeline_queue_days(p))
		return 0;
	if (p->opts->inboxes.nr != 1)
		return 0;
	return !p->repo || git_repository_head_unborn(p->repo) != 0 ||
	       git_repository_is_empty(p->repo) != 0;
}

/*
 * Where the mail a digest of period needs begins: the period's start,
 * or with Needs attention bpfdigest.queueDays before its end, since the
 * queue lists only series with a revision or a human reply that recent
 * (queue.h), and each such message brings its whole component.
 */
static time_t period_span_start(const struct pipeline *p, const struct period *period)
{
	time_t start = period->start;

	if (pipeline_attention_wanted(p)) {
		time_t queue = period->end - 1 - (time_t)pipeline_queue_days(p) * 86400;

		if (queue < start)
			start = queue;
	}
	return start;
}


/*
 * The archive's components (msgindex.h): read from beside its index when
 * they are of this very archive, else joined again and saved there.
 * Returns how many there are, counted when they were read.
 */
static size_t period_components(struct pipeline *p, uint32_t *comp)
{
	const char *index = archive_index_path(&p->archive, 0);
	struct strbuf path = STRBUF_INIT;
	uint64_t key = 0;
	size_t i, n = 0;
	int ret = MSGINDEX_STALE;

	if (index) {
		strbuf_addstr(&path, index);
		strbuf_addstr(&path, ".comp");
		key = msgindex_key(p->archive.mails, p->archive.nr);
		ret = msgindex_read(path.buf, key, comp, p->archive.nr);
		if (ret == MSGINDEX_DAMAGED)
			warning("the components '%s' of inbox '%s' are damaged; joining them again",
				path.buf, p->opts->inboxes.items[0]);
	}
	if (!ret) {
		for (i = 0; i < p->archive.nr; i++)
			n += comp[i] == i;
	} else {
		n = msgindex_components(p->archive.mails, p->archive.nr, comp);
		/* Not saved, the next run joins them again: slower, never wrong. */
		if (index && msgindex_write(path.buf, key, comp, p->archive.nr) < 0)
			warning("cannot save the components of inbox '%s'",
				p->opts->inboxes.items[0]);
	}
	strbuf_release(&path);
	return n;
}

/*
 * The archive read (pipeline_update()) and its components into *comp,
 * with room for a selection in *sel; both the caller's to give to
 * assemble(), with *start (the trace's: after the reading).  Returns the
 * number of components.
 */
static size_t begin_assembly(struct pipeline *p, uint32_t **comp, uint32_t **sel,
			     double *start)
{
	p->loaded = 1;
	(void)pipeline_update(p);
	*start = trace_clock();
	ALLOC_ARRAY(*comp, p->archive.nr ? p->archive.nr : 1);
	ALLOC_ARRAY(*sel, p->archive.nr ? p->archive.nr : 1);
	return period_components(p, *comp);
}

/* Assemble the n messages sel[] names (archive order); frees comp and sel. */
static void assemble(struct pipeline *p, uint32_t *comp, uint32_t *sel, size_t n,
		     size_t components, double start)
{
	struct mail **mails;
	size_t i;

	ALLOC_ARRAY(mails, n ? n : 1);
	for (i = 0; i < n; i++)
		mails[i] = p->archive.mails[sel[i]];
	trace_performance(start, "period: %zu of %zu messages, %zu components", n,
			  p->archive.nr, components);
	start = trace_clock();
	series_build(&p->series, mails, n);
	trace_performance(start, "series: %zu messages", n);
	free(mails);
	free(sel);
	free(comp);
}

void pipeline_load_period(struct pipeline *p, const struct period *period)
{
	uint32_t *comp, *sel;
	size_t n, components;
	double start;

	if (p->loaded)
		return;
	if (!may_assemble_period(p)) {
		pipeline_load(p);
		return;
	}
	components = begin_assembly(p, &comp, &sel, &start);
	n = msgindex_select(p->archive.mails, p->archive.nr, comp, period_span_start(p, period),
			    period->end, sel);
	assemble(p, comp, sel, n, components, start);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

void pipeline_load_series(struct pipeline *p, const char *const *mids, size_t nr,
			  const struct period *period)
{
	uint32_t *comp, *sel, *which;
	const struct mail **named;
	size_t i, k, n, named_nr = 0, which_nr = 0, components;
	double start;

	if (p->loaded)
		return;
	if (!nr && period) {
		pipeline_load_period(p, period);
		return;
	}
	if (!nr || !may_assemble_period(p)) {
		pipeline_load(p);
		return;
	}
	components = begin_assembly(p, &comp, &sel, &start);
	/* Not in the archive: no component, and "series" says so. */
	ALLOC_ARRAY(named, nr);
	for (k = 0; k < nr; k++) {
		char *mid = pipeline_message_id(mids[k]);
		const struct mail *m = mid ? archive_find(&p->archive, mid) : NULL;

		if (m)
			named[named_nr++] = m;
		free(mid);
	}
	/* Their places in the archive, in one pass over it. */
	QSORT(named, named_nr, cmp_ptr);
	ALLOC_ARRAY(which, nr);
	for (i = 0; i < p->archive.nr && which_nr < named_nr; i++)
		if (bsearch(&p->archive.mails[i], named, named_nr, sizeof(*named), cmp_ptr))
			which[which_nr++] = (uint32_t)i;
	n = msgindex_select_messages(comp, p->archive.nr, which, which_nr, sel);
	assemble(p, comp, sel, n, components, start);
	free(which);
	free(named);
}
