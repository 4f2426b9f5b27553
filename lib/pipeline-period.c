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

static void add_message(void *b, const struct mail *m)
{
	msgindex_builder_add(b, m);
}

/*
 * The facts of the messages of an earlier index that this one extends
 * (msgindex.h), from facts, given to b: how many messages they are (0:
 * none usable, b untouched).
 */
static size_t resume_components(struct pipeline *p, struct msgindex_builder *b,
				const char *facts)
{
	uint64_t old = 0;
	size_t nr = 0, total = 0;

	if (msgindex_facts_peek(facts, &old, &nr) || !archive_extends(&p->archive, old, &total) ||
	    total != nr || msgindex_builder_resume(b, facts, old, nr))
		return 0;
	return nr;
}

/*
 * Join the archive's components into comp[]: every message read once,
 * none kept, so that a mapped archive stays small; with an index
 * (identity), from the facts of the index it extends and its new mail
 * only, and saved beside it.  Returns how many there are, or SIZE_MAX
 * when a mapped index turned out damaged.
 */
static size_t join_components(struct pipeline *p, uint32_t *comp, const char *index,
			      uint64_t identity, double start)
{
	struct msgindex_builder *b = msgindex_builder_new(p->archive.total);
	struct strbuf facts = STRBUF_INIT, path = STRBUF_INIT;
	size_t n, from = 0, total = p->archive.total;

	if (index && identity) {
		strbuf_addf(&facts, "%s.facts", index);
		strbuf_addf(&path, "%s.comp", index);
		msgindex_builder_keep_facts(b);
		from = resume_components(p, b, facts.buf);
	}
	if (archive_each(&p->archive, from, add_message, b) < 0) {
		msgindex_builder_finish(b, NULL);
		n = SIZE_MAX;
		goto out;
	}
	trace_performance(start, "components: %zu of %zu messages joined from the mail",
			  total - from, total);
	/* Not saved, the next run joins them again: slower, never wrong. */
	if (index && identity && msgindex_facts_write(facts.buf, b, identity) < 0)
		warning("cannot save the components of inbox '%s'", p->opts->inboxes.items[0]);
	n = msgindex_builder_finish(b, comp);
	if (index && identity && msgindex_write(path.buf, msgindex_key(identity), comp, total) < 0)
		warning("cannot save the components of inbox '%s'", p->opts->inboxes.items[0]);
out:
	strbuf_release(&facts);
	strbuf_release(&path);
	return n;
}

/*
 * The archive's components (msgindex.h): read from beside its index when
 * they are of this very archive, else joined again (join_components()).
 * Returns how many there are, or SIZE_MAX when a mapped index turned out
 * damaged.
 */
static size_t period_components(struct pipeline *p, uint32_t *comp)
{
	double start = trace_clock();
	const char *index = archive_index_path(&p->archive, 0);
	uint64_t identity = archive_identity(&p->archive);
	size_t i, n = 0, total = p->archive.total;
	struct strbuf path = STRBUF_INIT;
	int ret = MSGINDEX_STALE;

	if (index && identity) {
		strbuf_addf(&path, "%s.comp", index);
		ret = msgindex_read(path.buf, msgindex_key(identity), comp, total);
		if (ret == MSGINDEX_DAMAGED)
			warning("the components '%s' of inbox '%s' are damaged; joining them again",
				path.buf, p->opts->inboxes.items[0]);
	}
	strbuf_release(&path);
	if (ret)
		return join_components(p, comp, index, identity, start);
	for (i = 0; i < total; i++)
		n += comp[i] == i;
	return n;
}

/*
 * The archive read (pipeline_update(), lazily when lazy: its index
 * mapped) and its components into *comp, with room for a selection in
 * *sel; both the caller's to give to assemble(), with *start (the
 * trace's: after the reading).  Returns the number of components, or
 * SIZE_MAX as period_components().
 */
static size_t begin_assembly(struct pipeline *p, int lazy, uint32_t **comp, uint32_t **sel,
			     double *start)
{
	p->loaded = 1;
	p->archive.lazy = lazy;
	(void)pipeline_update(p);
	*start = trace_clock();
	ALLOC_ARRAY(*comp, p->archive.total ? p->archive.total : 1);
	ALLOC_ARRAY(*sel, p->archive.total ? p->archive.total : 1);
	return period_components(p, *comp);
}

/*
 * Assemble the n messages sel[] names (archive order).  Returns 0, or
 * -1 when a mapped index turned out damaged (nothing assembled).
 */
static int assemble(struct pipeline *p, const uint32_t *sel, size_t n, size_t components,
		    double start)
{
	struct mail **mails = archive_messages(&p->archive, sel, n);

	if (!mails)
		return -1;
	trace_performance(start, "period: %zu of %zu messages, %zu components%s", n,
			  p->archive.total, components, p->archive.mapped ? " (index mapped)" : "");
	start = trace_clock();
	series_build(&p->series, mails, n);
	trace_performance(start, "series: %zu messages", n);
	free(mails);
	return 0;
}

/*
 * A mapped index turned out damaged: forget the archive, and read it
 * again whole (which warns, and rebuilds the index).
 */
static void reread_whole(struct pipeline *p, uint32_t *comp, uint32_t *sel)
{
	free(comp);
	free(sel);
	if (!p->archive.mapped)
		die("BUG: an archive read whole could not give its messages");
	archive_release(&p->archive);
	p->archive = (struct archive)ARCHIVE_INIT;
	p->loaded = 0;
}

/*
 * The span of [start, end) (msgindex.h), the times taken a part at a time:
 * a few bytes a message, not sixteen.  SIZE_MAX when a mapped index
 * turned out damaged.
 */
static size_t select_span(struct pipeline *p, const uint32_t *comp, time_t start, time_t end,
			  uint32_t *sel)
{
	enum { PART = 65536 };
	size_t from, n, total = p->archive.total;
	unsigned char *want = xcalloc(total ? total : 1, 1);
	time_t *when, *date;

	ALLOC_ARRAY(when, PART);
	ALLOC_ARRAY(date, PART);
	for (from = 0; from < total; from += n) {
		n = total - from < PART ? total - from : PART;
		if (archive_times(&p->archive, from, n, when, date) < 0)
			break;
		msgindex_mark_period(want, comp + from, when, date, n, start, end);
	}
	n = from < total ? SIZE_MAX : msgindex_select_marked(want, comp, total, sel);
	free(when);
	free(date);
	free(want);
	return n;
}

void pipeline_load_period(struct pipeline *p, const struct period *period)
{
	uint32_t *comp, *sel;
	size_t n, components;
	double start;
	int lazy;

	if (p->loaded)
		return;
	if (!may_assemble_period(p)) {
		pipeline_load(p);
		return;
	}
	for (lazy = 1;; lazy = 0) {
		components = begin_assembly(p, lazy, &comp, &sel, &start);
		if (components != SIZE_MAX) {
			n = select_span(p, comp, period_span_start(p, period), period->end, sel);
			if (n != SIZE_MAX && !assemble(p, sel, n, components, start))
				break;
		}
		reread_whole(p, comp, sel);
	}
	free(comp);
	free(sel);
}

void pipeline_load_series(struct pipeline *p, const char *const *mids, size_t nr,
			  const struct period *period)
{
	uint32_t *comp, *sel, *which;
	char **named;
	size_t k, n, named_nr = 0, components;
	double start;
	long which_nr;
	int lazy;

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
	/* Not in the archive: no component, and "series" says so. */
	ALLOC_ARRAY(named, nr);
	for (k = 0; k < nr; k++)
		if ((named[named_nr] = pipeline_message_id(mids[k])))
			named_nr++;
	ALLOC_ARRAY(which, nr);
	for (lazy = 1;; lazy = 0) {
		components = begin_assembly(p, lazy, &comp, &sel, &start);
		which_nr = components == SIZE_MAX ? -1 :
			archive_positions(&p->archive, (const char *const *)named, named_nr, which);
		if (which_nr >= 0) {
			n = msgindex_select_messages(comp, p->archive.total, which, (size_t)which_nr,
						     sel);
			if (!assemble(p, sel, n, components, start))
				break;
		}
		reread_whole(p, comp, sel);
	}
	free(comp);
	free(sel);
	free(which);
	for (k = 0; k < named_nr; k++)
		free(named[k]);
	free(named);
}
