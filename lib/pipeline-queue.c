/*
 * pipeline-queue.c - the queue command and the digest's Needs attention
 * section: the pipeline's stages from the series to the queue (queue.h),
 * the states from state.h.
 */
#include "pipeline.h"
#include "archive.h"
#include "config.h"
#include "digest.h"
#include "mail.h"
#include "queue.h"
#include "render-queue.h"
#include "state.h"
#include "usage.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "series.h"

void pipeline_load_as_of(struct pipeline *p, time_t at)
{
	struct mail **then;
	size_t i, nr = 0;

	if (p->loaded)
		return;
	p->loaded = 1;
	(void)pipeline_update(p);
	/* The archive as it stood: a message belongs to the time a period counts it in. */
	ALLOC_ARRAY(then, p->archive.nr ? p->archive.nr : 1);
	for (i = 0; i < p->archive.nr; i++)
		if (mail_period_time(p->archive.mails[i]) <= at)
			then[nr++] = p->archive.mails[i];
	series_build(&p->series, then, nr);
	free(then);
}

long pipeline_queue_days(const struct pipeline *p)
{
	long v = QUEUE_DEFAULT_DAYS;

	if (config_get_long(p->cfg, "bpfdigest.queueDays", &v) && v < 0)
		die("bad config value '%ld' for 'bpfdigest.queueDays': a number of days (0: no limit)",
		    v);
	return v;
}

/* bpfdigest.staleDays, checked. */
static unsigned stale_days(const struct pipeline *p)
{
	long v = STATE_STALE_DAYS_DEFAULT;

	if (config_get_long(p->cfg, "bpfdigest.staleDays", &v) && (v <= 0 || v > 3650))
		die("bad config value '%ld' for 'bpfdigest.staleDays': a number of days", v);
	return (unsigned)v;
}

struct fill_data {
	unsigned stale;
	struct archive *archive;	/* the listed series' patches are read from it */
};

/* The states of rev's series as of at into *st (released by the caller): rev's, or NULL. */
static const struct state_revision *states_of(struct series_state *st,
					      const struct series_revision *rev, time_t at,
					      const struct fill_data *fd)
{
	struct state_options opts = STATE_OPTIONS_INIT;

	opts.at = at;
	opts.stale_days = fd->stale;
	if (state_series(st, rev->series, &opts) < 0)
		return NULL;
	return state_find_revision(st, rev);
}

static int is_open(const struct state_revision *sr)
{
	return sr && sr->state != STATE_APPLIED && sr->state != STATE_SUPERSEDED;
}

/* The state of rev as of at, from state.h, into e; 0 when applied or superseded. */
static int fill_state(struct queue_entry *e, const struct series_revision *rev, time_t at,
		      void *data)
{
	struct series_state st = SERIES_STATE_INIT;
	const struct state_revision *sr = states_of(&st, rev, at, data);
	size_t i;
	int open = is_open(sr);

	if (open) {
		e->state = state_name(sr->state);
		e->state_id = (unsigned)sr->state;
		e->evidence = sr->evidence.mid;
		/* Waiting since the mail that set the state, else since the posting. */
		e->since = sr->evidence.date ? sr->evidence.date : rev->date;
		CALLOC_ARRAY(e->patches, sr->patches_nr ? sr->patches_nr : 1);
		e->patches_nr = sr->patches_nr;
		for (i = 0; i < sr->patches_nr; i++) {
			e->patches[i].mid = sr->patches[i].patch->mail->mid;
			e->patches[i].position = sr->patches[i].position;
			e->patches[i].state = state_name(sr->patches[i].state);
		}
	}
	series_state_release(&st);
	return open;
}

/*
 * A listed series: its patches' diffs say since when each is unchanged.
 * They are read, and dropped again, for the listed series alone.
 */
static void finish_entry(struct queue_entry *e, const struct series_revision *rev, time_t at,
			 void *data)
{
	const struct fill_data *fd = data;
	struct series_state st = SERIES_STATE_INIT;
	const struct state_revision *sr;
	struct mail **bodies = NULL;
	size_t i, nr = 0, alloc = 0;

	state_wanted_bodies(&bodies, &nr, &alloc, rev->series);
	for (i = 0; i < nr; i++)
		archive_load_body(fd->archive, bodies[i]);
	sr = states_of(&st, rev, at, fd);
	for (i = 0; sr && i < sr->patches_nr && i < e->patches_nr; i++)
		e->patches[i].unchanged_since = sr->patches[i].unchanged_since;
	series_state_release(&st);
	for (i = 0; i < nr; i++)
		archive_drop_body(bodies[i]);
	free(bodies);
}

/* with_bodies: unchanged_since of the patches, which a digest's section does not show. */
static void build_queue(struct pipeline *p, struct queue *q, const struct queue_filter *f,
			int with_bodies)
{
	struct fill_data fd = { stale_days(p), &p->archive };
	struct queue_states states = { fill_state, &fd, with_bodies ? finish_entry : NULL };

	queue_build(q, &p->series, f, &states, pipeline_queue_days(p));
}
int pipeline_queue(struct pipeline *p, const struct pipeline_queue_options *opts)
{
	const char *midmask = config_get_string(p->cfg, "b4.midmask");
	struct queue q;
	int ret;

	if (opts->as_of)
		pipeline_load_as_of(p, opts->at);
	else
		pipeline_load(p);
	queue_init(&q, opts->at);
	build_queue(p, &q, &opts->filter, 1);
	queue_set_urls(&q, midmask && *midmask ? midmask : DIGEST_DEFAULT_MIDMASK);
	ret = render_queue(stdout, &q, p->opts->format,
			   p->opts->format == FORMAT_TEXT ? p->opts->colors : NULL);
	queue_release(&q);
	return ret;
}

void pipeline_attention(struct pipeline *p, struct digest *d, const char *midmask)
{
	static const struct { unsigned state; const char *label; } kinds[] = {
		{ STATE_NACKED, "NAKed" },
		{ STATE_CHANGES_REQUESTED, "Changes requested" },
		{ STATE_STALLED, "Waiting for review" },
		{ STATE_POSTED, "Waiting for review" },
	};
	struct queue_filter all = { NULL, 0, NULL, NULL };
	struct queue q;
	size_t k, i;

	queue_init(&q, d->period.end - 1);
	build_queue(p, &q, &all, 0);
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		for (i = 0; i < q.nr; i++)
			if (q.entries[i].state_id == kinds[k].state &&
			    digest_add_attention(d, kinds[k].label, q.entries[i].title,
						 q.entries[i].version, queue_days(&q, q.entries[i].since),
						 q.entries[i].mid, midmask) < 0)
				goto full;
full:
	queue_release(&q);
}
