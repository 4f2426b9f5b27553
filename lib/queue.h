/*
 * queue.h - what is waiting for a maintainer: the open series.
 *
 *   struct queue q;
 *   queue_init(&q, at);
 *   queue_build(&q, &series_set, &filter, stale_days);
 *   ... render_queue(stdout, &q, FORMAT_TEXT, midmask) ...
 *   queue_release(&q);
 *
 * A series is open when its latest revision is neither applied nor
 * superseded as of q.as_of.  What a revision's state is, is state.h's
 * to say: the caller hands it in (struct queue_states), so that the
 * queue only selects, describes and orders.  Entries come oldest wait
 * first: by the time the revision has been in its state ("since"), then
 * by its posting, its Message-ID.  Each entry says who replied last (a
 * human, not a bot), who reviewed it, how many bot replies it had, and
 * where each patch stands.  Everything points into the series set and
 * the archive, which must outlive the queue; the queue owns its arrays
 * and URLs.
 */
#ifndef BPFDIGEST_QUEUE_H
#define BPFDIGEST_QUEUE_H

#include <stddef.h>
#include <time.h>

struct series_review;
struct series_revision;
struct series_set;
struct strbuf;

/* A message of the thread that matters: who wrote it, when, which. */
struct queue_reply {
	const char *name, *email;	/* the sender; NULL: there is none */
	const char *mid;
	time_t when;
};

struct queue_patch {
	const char *mid;
	unsigned position;
	const char *state;		/* state_name() */
	unsigned unchanged_since;	/* the version it is unchanged since; 0: none */
};

struct queue_entry {
	const struct series_revision *rev;	/* the latest revision */
	const char *title;		/* of the revision, as posted */
	const char *mid;		/* its cover, else its first patch */
	char *url;			/* set by queue_set_urls() */
	unsigned version;
	const char *state;		/* state_name() */
	unsigned state_id;		/* enum series_state, for the filter */
	const char *evidence;		/* Message-ID of the mail that set it, or NULL */
	time_t since;			/* in that state since */
	struct queue_reply last_human_reply;
	const struct series_review **reviews;	/* distinct reviewers of the revision */
	size_t reviews_nr;
	size_t bot_replies;
	struct queue_patch *patches;
	size_t patches_nr;
};

struct queue {
	time_t as_of;
	struct queue_entry *entries;
	size_t nr, alloc;
};

/*
 * The states of a revision as of at: fill() sets e->state, e->state_id,
 * e->evidence, e->since and e->patches (malloc()ed; the queue frees it),
 * and returns 1 when the revision is open, 0 when it is applied or
 * superseded (then it sets nothing the queue must free but patches).
 * finish() (may be NULL) is called on the entries the queue keeps, and
 * only on them: what costs more to know (the patches' unchanged_since,
 * from their diffs) is not computed for every series of the archive.
 */
struct queue_states {
	int (*fill)(struct queue_entry *e, const struct series_revision *rev, time_t at,
		    void *data);
	void *data;
	void (*finish)(struct queue_entry *e, const struct series_revision *rev, time_t at,
		       void *data);
};

/* Which open series to list; NULL or 0 fields do not filter. */
struct queue_filter {
	const unsigned *states;		/* enum series_state values (state.h) */
	size_t states_nr;
	const char *author;		/* email of the series' author */
	const char *reviewer;		/* email of one who gave a review trailer */
};

void queue_init(struct queue *q, time_t as_of);
/*
 * Add the open series of set as of q->as_of that pass f, oldest wait
 * first, their states from states.  A series with neither a revision
 * nor a human reply in the last window_days days (bpfdigest.queueDays)
 * is left out as abandoned; 0 leaves none out.
 */
void queue_build(struct queue *q, const struct series_set *set, const struct queue_filter *f,
		 const struct queue_states *states, long window_days);
/* bpfdigest.queueDays by default: a month without a word is work given up. */
#define QUEUE_DEFAULT_DAYS 30
/* Give every entry its URL: midmask as b4.midmask (digest_url()). */
void queue_set_urls(struct queue *q, const char *midmask);
/* Whole days from since to the queue's as_of (0 when since is later). */
long queue_days(const struct queue *q, time_t since);
void queue_release(struct queue *q);

#endif
