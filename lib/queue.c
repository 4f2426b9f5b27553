#include "queue.h"
#include "digest.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The newest revision posted by then: later ones did not exist yet. */
static const struct series_revision *latest_by(const struct series *s, time_t at)
{
	size_t i = s->revisions_nr;

	while (i--)
		if (s->revisions[i]->date <= at && s->revisions[i]->patches_nr)
			return s->revisions[i];
	return NULL;
}

/* The cover, then the patches: every posting of a revision in turn (i from 0). */
static const struct series_patch *posting(const struct series_revision *rev, size_t i)
{
	if (rev->cover)
		return i ? (i <= rev->patches_nr ? rev->patches[i - 1] : NULL) : rev->cover;
	return i < rev->patches_nr ? rev->patches[i] : NULL;
}

/* Who replied last, how many bots did, who reviewed: counting only what was sent by then. */
static void add_replies(struct queue_entry *e, const struct series_revision *rev, time_t at)
{
	const struct series_patch *p;
	size_t i, k, alloc = 0;

	for (i = 0; (p = posting(rev, i)); i++) {
		for (k = 0; k < p->replies_nr; k++) {
			const struct mail *m = p->replies[k];
			time_t t = mail_period_time(m);

			if (t > at)
				continue;
			if (series_mail_is_bot(m)) {
				e->bot_replies++;
			} else if (!e->last_human_reply.mid || t >= e->last_human_reply.when) {
				e->last_human_reply.name = m->from_name;
				e->last_human_reply.email = m->from_email;
				e->last_human_reply.mid = m->mid;
				e->last_human_reply.when = t;
			}
		}
		for (k = 0; k < p->reviews_nr; k++) {
			const struct series_review *r = &p->reviews[k];
			size_t j;

			if (r->given_in && mail_period_time(r->given_in) > at)
				continue;
			for (j = 0; j < e->reviews_nr; j++)
				if (!strcasecmp(e->reviews[j]->email, r->email) &&
				    !strcasecmp(e->reviews[j]->trailer, r->trailer))
					break;
			if (j < e->reviews_nr)
				continue;
			ALLOC_GROW(e->reviews, e->reviews_nr + 1, alloc);
			e->reviews[e->reviews_nr++] = r;
		}
	}
}

static int wanted(const struct queue_entry *e, const struct series *s,
		  const struct queue_filter *f)
{
	size_t i;

	if (f->author && strcasecmp(s->author_email, f->author))
		return 0;
	if (f->reviewer) {
		for (i = 0; i < e->reviews_nr; i++)
			if (!strcasecmp(e->reviews[i]->email, f->reviewer))
				break;
		if (i == e->reviews_nr)
			return 0;
	}
	if (!f->states_nr)
		return 1;
	for (i = 0; i < f->states_nr; i++)
		if (f->states[i] == e->state_id)
			return 1;
	return 0;
}

/* The one that has waited longest first; ties by posting, then Message-ID. */
static int cmp_wait(const void *a, const void *b)
{
	const struct queue_entry *x = a, *y = b;

	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	if (x->rev->date != y->rev->date)
		return x->rev->date < y->rev->date ? -1 : 1;
	return strcmp(x->mid ? x->mid : "", y->mid ? y->mid : "");
}

void queue_build(struct queue *q, const struct series_set *set, const struct queue_filter *f,
		 const struct queue_states *states, long window_days)
{
	size_t i;

	for (i = 0; i < set->nr; i++) {
		const struct series *s = set->series[i];
		const struct series_revision *rev = latest_by(s, q->as_of);
		const struct series_patch *first;
		struct queue_entry e;
		time_t last;

		/* Digest entries are posted work only; so is the queue. */
		if (!rev || !series_revision_is_work(rev))
			continue;
		memset(&e, 0, sizeof(e));
		if (states->fill(&e, rev, q->as_of, states->data) <= 0) {
			free(e.patches);
			continue;	/* applied or superseded: not waiting */
		}
		add_replies(&e, rev, q->as_of);
		/* Nothing heard for window_days: abandoned work, not a queue's. */
		last = e.last_human_reply.when > rev->date ? e.last_human_reply.when : rev->date;
		if ((window_days && q->as_of - last > window_days * 86400) || !wanted(&e, s, f)) {
			free(e.reviews);
			free(e.patches);
			continue;
		}
		if (states->finish)
			states->finish(&e, rev, q->as_of, states->data);
		first = posting(rev, 0);
		e.rev = rev;
		e.title = series_revision_title(rev);
		e.mid = first ? first->mail->mid : NULL;
		e.version = rev->version;
		ALLOC_GROW(q->entries, q->nr + 1, q->alloc);
		q->entries[q->nr++] = e;
	}
	QSORT(q->entries, q->nr, cmp_wait);
}

void queue_init(struct queue *q, time_t as_of)
{
	memset(q, 0, sizeof(*q));
	q->as_of = as_of;
}

void queue_set_urls(struct queue *q, const char *midmask)
{
	size_t i;

	for (i = 0; i < q->nr; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!q->entries[i].mid)
			continue;
		digest_url(&sb, midmask, q->entries[i].mid);
		free(q->entries[i].url);
		q->entries[i].url = strbuf_detach(&sb, NULL);
	}
}

long queue_days(const struct queue *q, time_t since)
{
	return since && since < q->as_of ? (long)((q->as_of - since) / 86400) : 0;
}

void queue_release(struct queue *q)
{
	size_t i;

	for (i = 0; i < q->nr; i++) {
		free(q->entries[i].url);
		free(q->entries[i].reviews);
		free(q->entries[i].patches);
	}
	free(q->entries);
	memset(q, 0, sizeof(*q));
}
