#include "archive.h"
#include "archive-internal.h"
#include "cache.h"
#include "inbox.h"
#include "mail.h"
#include "progress.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <git2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where a message stands in the work of one epoch. */
struct result {
	struct inbox_message msg;	/* raw is not kept */
	int status;			/* inbox_reader_read(); -2 when parsing failed */
	struct mail *mail;		/* parsed, malloc()ed; NULL when none */
	char *err;			/* why it could not be read or parsed */
};

/* A plan being carried out, possibly by several threads. */
struct job {
	struct archive *a;
	struct archive_source *s;
	struct inbox_plan *plan;
	struct result *results;
	size_t chunk, chunks;		/* items per chunk, number of chunks */
	size_t next;			/* next chunk to take */
	size_t merged;			/* chunks merged so far */
	unsigned char *done;		/* per chunk */
	size_t window;			/* chunks read ahead of the merge at most */
	pthread_mutex_t lock;
	pthread_cond_t chunk_done, room;
	/* rescan bookkeeping: Message-IDs the epoch had before */
	struct strmap *before;
};

#define CHUNK_ITEMS 64
#define MIN_ITEMS_FOR_THREADS 512
#define MAX_THREADS 8

void archive_open_repo(struct archive *a, struct git_repository *repo,
		       const char *const *locations, size_t nr)
{
	size_t i;

	CALLOC_ARRAY(a->inboxes, nr ? nr : 1);
	CALLOC_ARRAY(a->sources, nr ? nr : 1);
	a->strings.arena = &a->arena;
	for (i = 0; i < nr; i++) {
		a->inboxes[i] = inbox_open(locations[i], (unsigned)i, repo);
		a->sources[i].inbox = a->inboxes[i];
		CALLOC_ARRAY(a->sources[i].broken, a->inboxes[i]->epochs_nr + 1);
	}
	a->inboxes_nr = nr;
}

void archive_open(struct archive *a, const char *const *locations, size_t nr)
{
	archive_open_repo(a, NULL, locations, nr);
}

void archive_use_cache(struct archive *a, const char *dir)
{
	free(a->cache_dir);
	a->cache_dir = xstrdup_or_null(dir);
}

/* ---- records by key, for removals ---- */

static int is_maildir(const struct archive_source *s)
{
	return s->inbox->kind == INBOX_MAILDIR;
}

static uint64_t rec_key(const struct archive_source *s, const struct inbox_origin *o)
{
	uint64_t k;

	if (is_maildir(s))
		return ((uint64_t)o->epoch << 40) ^ o->offset;
	memcpy(&k, o->blob.id, sizeof(k));
	return k;
}

static int same_key(const struct archive_source *s, const struct inbox_origin *x,
		    const struct inbox_origin *y)
{
	if (is_maildir(s))
		return x->epoch == y->epoch && x->offset == y->offset;
	return git_oid_equal(&x->blob, &y->blob);
}

static void keys_insert(struct archive_source *s, size_t rec)
{
	size_t mask = s->keys_size - 1, i;

	i = (size_t)(rec_key(s, &s->recs[rec]->origin) * 0x9e3779b97f4a7c15ULL >> 20) & mask;
	while (s->keys[i])
		i = (i + 1) & mask;
	s->keys[i] = rec + 1;
	s->keys_nr++;
}

static void keys_build(struct archive_source *s)
{
	size_t i;

	free(s->keys);
	s->keys_size = 64;
	while (s->keys_size < 2 * (s->nr + 16))
		s->keys_size *= 2;
	CALLOC_ARRAY(s->keys, s->keys_size);
	s->keys_nr = 0;
	for (i = 0; i < s->nr; i++)
		if (s->recs[i])
			keys_insert(s, i);
}

/* A new record: keep the key table (if there is one) up to date. */
static void keys_add(struct archive_source *s, size_t rec)
{
	if (!s->keys)
		return;
	if (2 * (s->keys_nr + 1) > s->keys_size)
		keys_build(s);
	else
		keys_insert(s, rec);
}

/* The live record with o's key, or -1. */
static long keys_find(struct archive_source *s, const struct inbox_origin *o)
{
	size_t mask, i;

	if (!s->keys)
		keys_build(s);
	mask = s->keys_size - 1;
	i = (size_t)(rec_key(s, o) * 0x9e3779b97f4a7c15ULL >> 20) & mask;
	for (; s->keys[i]; i = (i + 1) & mask) {
		struct mail *m = s->recs[s->keys[i] - 1];

		if (m && same_key(s, &m->origin, o))
			return (long)(s->keys[i] - 1);
	}
	return -1;
}

/* ---- the index ---- */

static size_t find_epoch(const struct inbox *inbox, const char *name)
{
	size_t i;

	for (i = 0; i < inbox->epochs_nr; i++)
		if (!strcmp(inbox->epochs[i].name, name))
			return i;
	return SIZE_MAX;
}

static void add_record(struct archive_source *s, struct mail *m)
{
	ALLOC_GROW(s->recs, s->nr + 1, s->alloc);
	s->recs[s->nr] = m;
	keys_add(s, s->nr);
	s->nr++;
}

void archive_adopt_epoch(struct archive_source *s, size_t e, const struct cache_epoch *ce)
{
	struct inbox_epoch *ie = &s->inbox->epochs[e];
	size_t j;

	ie->cursor = ce->cursor;
	s->broken[e] = ce->broken;
	for (j = 0; j < ce->names_nr; j++) {
		ALLOC_GROW(ie->names, ie->names_nr + 1, ie->names_alloc);
		ie->names[ie->names_nr++] = xstrdup(ce->names[j]);
	}
}

int archive_same_cursor(const struct inbox_cursor *x, const struct inbox_cursor *y)
{
	return git_oid_equal(&x->commit, &y->commit) && x->count == y->count &&
	       x->mtime == y->mtime && x->size == y->size && x->hash == y->hash;
}

/* Take over what the index knows; what it says of vanished epochs is dropped. */
static void adopt_index(struct archive *a, struct archive_source *s, struct cache_index *idx)
{
	struct inbox *inbox = s->inbox;
	size_t *map, i;

	CALLOC_ARRAY(map, idx->epochs_nr + 1);
	for (i = 0; i < idx->epochs_nr; i++) {
		const struct cache_epoch *ce = &idx->epochs[i];

		map[i] = find_epoch(inbox, ce->name);
		if (map[i] != i)
			s->old_intact = 0;	/* its mails name epochs by other numbers now */
		if (map[i] == SIZE_MAX) {
			warning("inbox '%s': epoch '%s' is gone since the last run; "
				"its messages leave the index", inbox->location, ce->name);
			s->dirty = 1;
			continue;
		}
		archive_adopt_epoch(s, map[i], ce);
	}
	for (i = 0; i < idx->mails_nr; i++) {
		struct mail *m = idx->mails[i];

		if (map[m->origin.epoch] == SIZE_MAX) {
			a->removed++;
			continue;
		}
		m->origin.epoch = (uint32_t)map[m->origin.epoch];
		m->origin.source = inbox->index;
		add_record(s, m);
	}
	for (i = 0; i < idx->removals_nr; i++) {
		struct cache_removal r = idx->removals[i];

		if (map[r.epoch] == SIZE_MAX)
			continue;
		r.epoch = (uint32_t)map[r.epoch];
		ALLOC_GROW(s->removals, s->removals_nr + 1, s->removals_alloc);
		s->removals[s->removals_nr++] = r;
	}
	free(map);
}

static void load_index(struct archive *a, struct archive_source *s)
{
	struct strbuf err = STRBUF_INIT;
	struct cache_index idx;
	int ret;

	/* A later archive_update() goes on from what is in memory. */
	if (s->loaded)
		return;
	s->loaded = 1;
	s->dirty = 1;
	if (!a->cache_dir)
		return;
	if (!s->index_path)	/* or named by map_index() already */
		s->index_path = cache_path(a->cache_dir, s->inbox);
	ret = cache_read(&idx, &a->arena, s->index_path, &err);
	if (ret < 0)
		warning("the index '%s' of inbox '%s' is unusable (%s); rebuilding it",
			s->index_path, s->inbox->location, err.buf);
	else if (!ret && (idx.kind != (uint32_t)s->inbox->kind ||
			  strcmp(idx.location, s->inbox->resolved)))
		ret = 1;	/* another inbox's, by a hash collision: not ours */
	if (!ret) {
		s->dirty = 0;
		s->index = idx;
		s->identity = idx.identity;
		s->have_index = s->old_intact = 1;
		adopt_index(a, s, &idx);
	}
	strbuf_release(&err);
}

/* Archive order within an inbox: epoch, then place in the epoch. */
static int cmp_place(const struct mail *a, const struct mail *b)
{
	const struct inbox_origin *p = &a->origin, *q = &b->origin;

	if (p->epoch != q->epoch)
		return p->epoch < q->epoch ? -1 : 1;
	if (p->offset != q->offset)
		return p->offset < q->offset ? -1 : 1;
	return 0;
}

struct placed {
	struct mail *m;
	size_t pos;
};

static int cmp_placed(const void *x, const void *y)
{
	const struct placed *a = x, *b = y;
	int c = cmp_place(a->m, b->m);

	/* Same place (a v1 commit removing and adding): keep the order read. */
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * Drop removed records and put the rest in archive order.  Records are
 * nearly always in order already: only an epoch read again after a
 * later one is out of place.
 */
static void compact_records(struct archive_source *s)
{
	size_t i, n = 0;
	int sorted = 1;

	for (i = 0; i < s->nr; i++) {
		if (!s->recs[i])
			continue;
		if (n && cmp_place(s->recs[n - 1], s->recs[i]) > 0)
			sorted = 0;
		s->recs[n++] = s->recs[i];
	}
	s->nr = n;
	if (!sorted) {
		struct placed *pairs;

		s->old_intact = 0;
		ALLOC_ARRAY(pairs, n);
		for (i = 0; i < n; i++) {
			pairs[i].m = s->recs[i];
			pairs[i].pos = i;
		}
		QSORT(pairs, n, cmp_placed);
		for (i = 0; i < n; i++)
			s->recs[i] = pairs[i].m;
		free(pairs);
	}
	/* Record indexes changed: the key table is rebuilt when next needed. */
	FREE_AND_NULL(s->keys);
	s->keys_size = s->keys_nr = 0;
}

/* idx as the index of s: its epochs (a new array: free idx->epochs), no mails. */
void archive_fill_index(struct archive_source *s, struct cache_index *idx)
{
	struct inbox *inbox = s->inbox;
	size_t i;

	memset(idx, 0, sizeof(*idx));
	idx->kind = inbox->kind;
	idx->location = inbox->resolved;
	CALLOC_ARRAY(idx->epochs, inbox->epochs_nr + 1);
	idx->epochs_nr = inbox->epochs_nr;
	for (i = 0; i < inbox->epochs_nr; i++) {
		idx->epochs[i].name = inbox->epochs[i].name;
		idx->epochs[i].cursor = inbox->epochs[i].cursor;
		idx->epochs[i].broken = s->broken[i];
		idx->epochs[i].names = (const char *const *)inbox->epochs[i].names;
		idx->epochs[i].names_nr = inbox->epochs[i].names_nr;
	}
}

static void save_index(struct archive_source *s)
{
	struct cache_index idx;
	int ret;

	if (!s->index_path || !s->dirty)
		return;
	archive_fill_index(s, &idx);
	idx.mails = s->recs;
	idx.mails_nr = s->nr;
	idx.removals = s->removals;
	idx.removals_nr = s->removals_nr;
	/*
	 * What was only added to goes on the old index as it is; anything
	 * else, and every so often, the index is written whole (which also
	 * stores once again the strings extensions repeated).
	 * An index that cannot be written costs time next run, nothing else.
	 */
	if (s->have_index && s->old_intact && s->nr >= s->index.mails_nr &&
	    s->index.extensions < MAX_EXTENSIONS) {
		/* Only the mails after the old index's. */
		idx.mails = s->recs + s->index.mails_nr;
		idx.mails_nr = s->nr - s->index.mails_nr;
		ret = cache_write_extended(s->index_path, &idx, &s->index, &s->identity);
	} else {
		ret = cache_write(s->index_path, &idx, &s->identity);
	}
	if (!ret)
		s->dirty = 0;
	free(idx.epochs);
}

/* ---- reading an epoch ---- */

/* Forget what was read of an epoch that is read again from its start. */
static void forget_epoch(struct archive *a, struct archive_source *s, const struct inbox_plan *plan,
			 struct strmap *before)
{
	size_t e = plan->epoch, i, n = 0;

	warning("inbox '%s': epoch '%s': %s; reading it again", s->inbox->location,
		s->inbox->epochs[e].name, plan->rescan_why);
	a->rescanned++;
	s->dirty = 1;
	s->old_intact = 0;
	for (i = 0; i < s->nr; i++)
		if (s->recs[i] && s->recs[i]->origin.epoch == e) {
			/* Counted as removed unless read again (see merge_item). */
			/* How many times: an archive may hold a message twice. */
			strmap_put(before, s->recs[i]->mid,
				   (void *)((uintptr_t)strmap_get(before, s->recs[i]->mid) + 1));
			s->recs[i] = NULL;
		}
	for (i = 0; i < s->removals_nr; i++)
		if (s->removals[i].epoch != e)
			s->removals[n++] = s->removals[i];
	s->removals_nr = n;
	s->broken[e] = 0;
	FREE_AND_NULL(s->keys);
	s->keys_size = s->keys_nr = 0;
}

/* Read and parse one item: the part of the work any thread can do. */
static void process_item(struct inbox_reader *r, const struct inbox_item *item, struct result *res)
{
	struct strbuf err = STRBUF_INIT;

	res->mail = NULL;
	res->err = NULL;
	res->status = inbox_reader_read(r, item, &res->msg, &err);
	if (!res->status && res->msg.raw) {
		struct mail *m = xmalloc(sizeof(*m));

		if (mail_parse(m, res->msg.raw, res->msg.len, MAIL_PARSE_FACTS_ONLY, &err) < 0) {
			free(m);
			if (!res->msg.removal)
				res->status = -2;
		} else {
			res->mail = m;
		}
	}
	res->msg.raw = NULL;
	res->msg.len = 0;
	if (res->status < 0)
		res->err = strbuf_detach(&err, NULL);
	strbuf_release(&err);
}

static void free_result(struct result *res)
{
	if (res->mail) {
		mail_release(res->mail);
		free(res->mail);
	}
	free(res->err);
	res->mail = NULL;
	res->err = NULL;
}

/* A blob a later epoch's "d" commit removed (seen when an epoch is read again). */
static int removed_later(const struct archive_source *s, const struct inbox_origin *o)
{
	size_t i;

	for (i = 0; i < s->removals_nr; i++)
		if (s->removals[i].epoch > o->epoch && git_oid_equal(&s->removals[i].blob, &o->blob))
			return 1;
	return 0;
}

static void remove_message(struct archive *a, struct archive_source *s, const struct result *res)
{
	long at = keys_find(s, &res->msg.origin);
	size_t i;

	if (at < 0 && res->mail) {
		/* A "d" blob written differently from the message: match the id. */
		for (i = s->nr; i-- > 0;)
			if (s->recs[i] && !strcmp(s->recs[i]->mid, res->mail->mid)) {
				at = (long)i;
				break;
			}
	}
	if (!is_maildir(s)) {
		ALLOC_GROW(s->removals, s->removals_nr + 1, s->removals_alloc);
		s->removals[s->removals_nr].blob = res->msg.origin.blob;
		s->removals[s->removals_nr].epoch = res->msg.origin.epoch;
		s->removals_nr++;
	}
	s->dirty = 1;
	if (at < 0)
		return;
	if ((size_t)at < s->index.mails_nr)
		s->old_intact = 0;
	s->recs[at] = NULL;
	a->removed++;
}

/* Take one result into the archive, in order, on the main thread. */
static void merge_item(struct job *job, struct result *res)
{
	struct archive *a = job->a;
	struct archive_source *s = job->s;
	struct mail *m;
	uintptr_t had;

	if (res->status == 1) {
		free_result(res);
		return;
	}
	if (res->msg.removal) {
		if (s->map)
			s->removal_met = 1;
		else if (res->status >= 0)
			remove_message(a, s, res);
		free_result(res);
		return;
	}
	a->read++;
	s->dirty = 1;
	if (res->status < 0) {
		struct strbuf where = STRBUF_INIT;

		inbox_describe(s->inbox, &res->msg.origin, &where);
		warning("%s: %s", where.buf, res->err ? res->err : "cannot be read");
		strbuf_release(&where);
		a->warned++;
		s->broken[res->msg.origin.epoch]++;
		free_result(res);
		return;
	}
	if (job->plan->rescan && s->removals_nr && removed_later(s, &res->msg.origin)) {
		free_result(res);
		return;
	}
	if (res->mail->flags & MAIL_LIMIT_FLAGS) {
		struct strbuf where = STRBUF_INIT, why = STRBUF_INIT;

		inbox_describe(s->inbox, &res->msg.origin, &where);
		mail_describe_limits(&why, res->mail);
		warning("%s: message '%s': %s", where.buf, res->mail->mid, why.buf);
		strbuf_release(&where);
		strbuf_release(&why);
		a->limited++;
	}
	m = cache_copy_mail(&a->strings, res->mail);
	m->origin = res->msg.origin;
	if (!m->arrival)
		m->arrival = res->msg.archived;
	had = job->before ? (uintptr_t)strmap_get(job->before, m->mid) : 0;
	/* Each copy there before the epoch was rewritten is new no more. */
	if (had > 1)
		strmap_put(job->before, m->mid, (void *)(had - 1));
	else if (had)
		strmap_remove(job->before, m->mid);
	else
		a->added++;
	add_record(s, m);
	free_result(res);
}

/*
 * Read chunk c.  Newest first: packs store older objects as deltas
 * against newer ones, so reading back in time finds each base in the
 * pack's cache instead of inflating its chain again (a third less zlib
 * work on a real archive).  The merge still goes forward.
 */
static void read_chunk(struct job *job, struct inbox_reader *r, size_t c)
{
	size_t start = c * job->chunk, i = (c + 1) * job->chunk;

	if (i > job->plan->nr)
		i = job->plan->nr;
	while (i-- > start)
		process_item(r, &job->plan->items[i], &job->results[i]);
}

static void *worker(void *data)
{
	struct job *job = data;
	struct inbox_reader *r = inbox_reader_new(job->s->inbox);

	for (;;) {
		size_t c;

		pthread_mutex_lock(&job->lock);
		while (job->next < job->chunks && job->next >= job->merged + job->window)
			pthread_cond_wait(&job->room, &job->lock);
		c = job->next < job->chunks ? job->next++ : SIZE_MAX;
		pthread_mutex_unlock(&job->lock);
		if (c == SIZE_MAX)
			break;
		read_chunk(job, r, c);
		pthread_mutex_lock(&job->lock);
		job->done[c] = 1;
		pthread_cond_broadcast(&job->chunk_done);
		pthread_mutex_unlock(&job->lock);
	}
	inbox_reader_free(r);
	return NULL;
}

static int thread_count(const struct archive *a, size_t items)
{
	long n = a->threads;

	if (items < MIN_ITEMS_FOR_THREADS)
		return 1;
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Carry out one epoch's plan; progress counts items across plans. */
void archive_run_plan(struct archive *a, struct archive_source *s, struct inbox_plan *plan,
		      struct progress *progress, uint64_t *done)
{
	struct strmap before = STRMAP_INIT;
	struct inbox_reader *r;
	struct job job;
	pthread_t tids[MAX_THREADS];
	int nthreads = thread_count(a, plan->nr), started = 0, t;
	size_t c, i;

	memset(&job, 0, sizeof(job));
	job.a = a;
	job.s = s;
	job.plan = plan;
	if (plan->rescan) {
		forget_epoch(a, s, plan, &before);
		job.before = &before;
	}
	if (!plan->nr)
		goto out;
	CALLOC_ARRAY(job.results, plan->nr);
	job.chunk = CHUNK_ITEMS;
	job.chunks = (plan->nr + job.chunk - 1) / job.chunk;
	job.window = 16 * (size_t)nthreads;
	CALLOC_ARRAY(job.done, job.chunks);
	pthread_mutex_init(&job.lock, NULL);
	pthread_cond_init(&job.chunk_done, NULL);
	pthread_cond_init(&job.room, NULL);
	for (t = 0; nthreads > 1 && t < nthreads; t++)
		if (!pthread_create(&tids[t], NULL, worker, &job))
			started++;

	/* Alone, this thread reads each chunk before merging it. */
	r = started ? NULL : inbox_reader_new(s->inbox);
	for (c = 0; c < job.chunks; c++) {
		size_t end = (c + 1) * job.chunk < plan->nr ? (c + 1) * job.chunk : plan->nr;

		if (r)
			read_chunk(&job, r, c);
		pthread_mutex_lock(&job.lock);
		while (!r && !job.done[c])
			pthread_cond_wait(&job.chunk_done, &job.lock);
		pthread_mutex_unlock(&job.lock);
		for (i = c * job.chunk; i < end; i++)
			merge_item(&job, &job.results[i]);
		*done += end - c * job.chunk;
		progress_update(progress, *done);
		pthread_mutex_lock(&job.lock);
		job.merged = c + 1;
		pthread_cond_broadcast(&job.room);
		pthread_mutex_unlock(&job.lock);
	}
	inbox_reader_free(r);
	for (t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_cond_destroy(&job.room);
	pthread_cond_destroy(&job.chunk_done);
	pthread_mutex_destroy(&job.lock);
	free(job.done);
	free(job.results);
out:
	/* What the epoch had before and did not have again is gone. */
	{
		size_t k = 0;
		const char *mid;
		void *n;

		while (strmap_next(&before, &k, &mid, &n))
			a->removed += (uintptr_t)n;
	}
	strmap_clear(&before);
}

/* ---- the archive's view: one mail per Message-ID ---- */

static void build_view(struct archive *a)
{
	size_t i, j, e;

	strmap_clear(&a->by_mid);
	a->nr = 0;
	a->seen = a->broken = a->duplicates = 0;
	for (i = 0; i < a->inboxes_nr; i++) {
		struct archive_source *s = &a->sources[i];

		compact_records(s);
		for (e = 0; e < s->inbox->epochs_nr; e++)
			a->broken += s->broken[e];
		for (j = 0; j < s->nr; j++) {
			struct mail *m = s->recs[j];

			a->seen++;
			if (strmap_get(&a->by_mid, m->mid)) {
				a->duplicates++;
				continue;
			}
			ALLOC_GROW(a->mails, a->nr + 1, a->alloc);
			a->mails[a->nr++] = m;
			strmap_put(&a->by_mid, m->mid, m);
		}
	}
	a->seen += a->broken;
	a->total = a->nr;
}

/*
 * Plans are made on a thread of their own, in order, so that reading an
 * epoch overlaps with walking the history of the next one (walking is
 * sequential: each commit names the one before).
 */
struct planner {
	struct archive *a;
	struct inbox_plan **plans;	/* per source, per epoch */
	size_t planned;			/* plans made, in (source, epoch) order */
	int failed;
	uint64_t total;			/* items in the plans made */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *make_plans(void *data)
{
	struct planner *pl = data;
	size_t i, e;

	for (i = 0; i < pl->a->inboxes_nr; i++)
		for (e = 0; e < pl->a->inboxes[i]->epochs_nr; e++) {
			int ret = inbox_plan(pl->a->inboxes[i], e, &pl->plans[i][e]);

			pthread_mutex_lock(&pl->lock);
			if (ret < 0)
				pl->failed = 1;
			else
				pl->total += pl->plans[i][e].nr;
			pl->planned++;
			pthread_cond_broadcast(&pl->cond);
			pthread_mutex_unlock(&pl->lock);
			if (ret < 0)
				return NULL;
		}
	return NULL;
}

/* Wait for plan number k; 0 when it is there, -1 when planning failed. */
static int wait_plan(struct planner *pl, size_t k, struct progress *progress)
{
	int ret;

	pthread_mutex_lock(&pl->lock);
	while (pl->planned <= k && !pl->failed)
		pthread_cond_wait(&pl->cond, &pl->lock);
	ret = pl->planned > k && !pl->failed ? 0 : -1;
	progress_set_total(progress, pl->total);
	pthread_mutex_unlock(&pl->lock);
	return ret;
}

int archive_update(struct archive *a)
{
	struct planner pl;
	struct progress *progress = NULL;
	pthread_t planner;
	uint64_t done = 0;
	size_t i, e, k = 0, window = 0, mapped = 0;
	int ret = 0, threaded;

	a->read = a->added = a->warned = a->limited = a->removed = a->rescanned = 0;
	for (i = 0; i < a->inboxes_nr; i++)
		a->inboxes[i]->max_message_size = a->max_message_size;
	if (a->lazy && a->inboxes_nr == 1 && a->cache_dir && !a->sources[0].loaded &&
	    !a->mapped && !archive_update_mapped(a))
		return 0;
	/*
	 * Every object is read once, front to back: libgit2's object cache
	 * and its pack windows (up to 8 GiB mapped) would only keep it all
	 * in memory.  Later stages get libgit2's settings back.
	 */
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &window);
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &mapped);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)8 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)32 << 20);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	memset(&pl, 0, sizeof(pl));
	pl.a = a;
	CALLOC_ARRAY(pl.plans, a->inboxes_nr + 1);
	for (i = 0; i < a->inboxes_nr; i++) {
		load_index(a, &a->sources[i]);
		CALLOC_ARRAY(pl.plans[i], a->inboxes[i]->epochs_nr + 1);
	}
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.cond, NULL);
	threaded = !pthread_create(&planner, NULL, make_plans, &pl);
	if (!threaded)
		make_plans(&pl);
	progress = progress_start("Reading messages", 0);
	for (i = 0; i < a->inboxes_nr && !ret; i++) {
		struct archive_source *s = &a->sources[i];

		for (e = 0; e < s->inbox->epochs_nr && !ret; e++, k++) {
			struct inbox_cursor before = s->inbox->epochs[e].cursor;

			ret = wait_plan(&pl, k, progress);
			if (ret < 0)
				break;
			archive_run_plan(a, s, &pl.plans[i][e], progress, &done);
			inbox_plan_done(s->inbox, &pl.plans[i][e]);
			inbox_plan_release(&pl.plans[i][e]);
			if (!archive_same_cursor(&before, &s->inbox->epochs[e].cursor))
				s->dirty = 1;
		}
		if (ret < 0)
			break;
		compact_records(s);
		save_index(s);
		/* Still dirty: the error is said, the caller's exit status tells it too. */
		a->unsaved += s->index_path && s->dirty;
	}
	if (threaded)
		pthread_join(planner, NULL);
	progress_stop(&progress);
	arena_pool_release(&a->strings);
	for (i = 0; i < a->inboxes_nr; i++) {
		for (e = 0; e < a->inboxes[i]->epochs_nr; e++)
			inbox_plan_release(&pl.plans[i][e]);
		free(pl.plans[i]);
	}
	free(pl.plans);
	pthread_cond_destroy(&pl.cond);
	pthread_mutex_destroy(&pl.lock);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped);
	if (!ret)
		build_view(a);
	return ret;
}

struct mail *archive_find(const struct archive *a, const char *mid)
{
	return strmap_get(&a->by_mid, mid);
}

int archive_read_raw(struct archive *a, const struct mail *m, struct strbuf *out)
{
	if (m->origin.source >= a->inboxes_nr)
		return error("message '%s' comes from no inbox", m->mid);
	return inbox_read(a->inboxes[m->origin.source], &m->origin, out);
}

const char *archive_index_path(const struct archive *a, size_t i)
{
	return i < a->inboxes_nr ? a->sources[i].index_path : NULL;
}

int archive_load_body(struct archive *a, struct mail *m)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail full;
	int ret = 0;

	if (m->flags & MAIL_HAS_BODY)
		return 0;
	if (m->origin.source >= a->inboxes_nr ||
	    inbox_read(a->inboxes[m->origin.source], &m->origin, &raw) < 0) {
		ret = -1;
		goto out;
	}
	if (mail_parse(&full, raw.buf, raw.len, 0, &err) < 0) {
		ret = error("cannot parse message '%s' again: %s", m->mid, err.buf);
		goto out;
	}
	/* Bodies are malloc()ed, unlike the rest: archive_release() frees them. */
	m->text = full.text;
	m->notes = full.notes;
	m->diff = full.diff;
	m->flags |= MAIL_HAS_BODY;
	full.text = full.notes = full.diff = NULL;
	mail_release(&full);
out:
	strbuf_release(&raw);
	strbuf_release(&err);
	return ret;
}

void archive_drop_body(struct mail *m)
{
	FREE_AND_NULL(m->text);
	FREE_AND_NULL(m->notes);
	FREE_AND_NULL(m->diff);
	m->flags &= ~MAIL_HAS_BODY;
}

void archive_release(struct archive *a)
{
	size_t i, j;

	/* Mapped, the mails loaded are these (and no source has records). */
	for (i = 0; a->mapped && i < a->nr; i++)
		if (a->mails[i]->flags & MAIL_HAS_BODY) {
			free(a->mails[i]->text);
			free(a->mails[i]->notes);
			free(a->mails[i]->diff);
		}
	free(a->at);
	free(a->view);
	for (i = 0; i < a->inboxes_nr; i++) {
		struct archive_source *s = &a->sources[i];

		for (j = 0; j < s->nr; j++) {
			struct mail *m = s->recs[j];

			if (m && (m->flags & MAIL_HAS_BODY)) {
				free(m->text);
				free(m->notes);
				free(m->diff);
			}
		}
		free(s->recs);
		free(s->broken);
		free(s->removals);
		free(s->keys);
		free(s->index_path);
		cache_map_close(s->map);
		inbox_free(a->inboxes[i]);
	}
	free(a->sources);
	free(a->mails);
	free(a->inboxes);
	free(a->cache_dir);
	strmap_clear(&a->by_mid);
	arena_pool_release(&a->strings);
	arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
}
