/*
 * archive-mapped.c - the archive as its index mapped (archive.h,
 * archive.lazy): opened, extended with new mail that only adds to it,
 * and the questions of the whole archive answered from it.  Reading
 * inboxes is archive.c's.
 */
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
#include <stdlib.h>
#include <string.h>

/* The epochs of idx as they are in the inbox now, one for one and in order. */
static int same_epochs(const struct archive_source *s, const struct cache_index *idx)
{
	size_t i;

	if (idx->kind != (uint32_t)s->inbox->kind || strcmp(idx->location, s->inbox->resolved) ||
	    idx->epochs_nr != s->inbox->epochs_nr)
		return 0;
	for (i = 0; i < idx->epochs_nr; i++)
		if (strcmp(idx->epochs[i].name, s->inbox->epochs[i].name))
			return 0;
	return 1;
}

/*
 * The index mapped rather than loaded (archive->lazy), its epochs' state
 * taken: 0, or -1 when it is not there or not of this inbox as it is
 * (load_index() then does what it always does).  An unusable one is
 * warned about and rebuilt, as by load_index().
 */
static int map_index(struct archive *a, struct archive_source *s)
{
	struct strbuf err = STRBUF_INIT;
	struct cache_index idx;
	size_t i;
	int ret;

	if (!s->index_path)
		s->index_path = cache_path(a->cache_dir, s->inbox);
	ret = cache_open(&s->map, &idx, &a->arena, s->index_path, &err);
	if (ret < 0) {
		warning("the index '%s' of inbox '%s' is unusable (%s); rebuilding it",
			s->index_path, s->inbox->location, err.buf);
		s->loaded = s->dirty = 1;
	}
	strbuf_release(&err);
	if (ret)
		return ret < 0 ? 0 : -1;
	if (!same_epochs(s, &idx)) {
		cache_map_close(s->map);
		s->map = NULL;
		return -1;
	}
	for (i = 0; i < idx.epochs_nr; i++)
		archive_adopt_epoch(s, i, &idx.epochs[i]);
	s->map_index = idx;
	s->identity = idx.identity;
	s->loaded = 1;
	return 0;
}

/* Undo map_index(): the epochs as opened, for load_index() to take them from the file. */
static void unmap_index(struct archive_source *s)
{
	size_t i, j;

	for (i = 0; i < s->inbox->epochs_nr; i++) {
		struct inbox_epoch *e = &s->inbox->epochs[i];

		memset(&e->cursor, 0, sizeof(e->cursor));
		for (j = 0; j < e->names_nr; j++)
			free(e->names[j]);
		e->names_nr = 0;
		s->broken[i] = 0;
	}
	cache_map_close(s->map);
	s->map = NULL;
	s->identity = 0;
	s->loaded = 0;
}

/* The mapped index's records as the archive's messages: each Message-ID's first. */
static int view_mapped(struct archive *a, struct archive_source *s)
{
	size_t i, e, n = s->map_index.mails_nr, want = cache_map_view(s->map), total = 0;

	ALLOC_ARRAY(a->view, want ? want : 1);
	for (i = 0; i < n && total <= want; i++) {
		int repeat = cache_map_is_repeat(s->map, i);

		if (repeat < 0)
			break;
		if (!repeat && total++ < want)
			a->view[total - 1] = (uint32_t)i;
	}
	/* The writer counted them so: anything else, and the file is read whole. */
	if (i < n || total != want) {
		FREE_AND_NULL(a->view);
		return -1;
	}
	a->mapped = 1;
	a->total = total;
	CALLOC_ARRAY(a->at, total ? total : 1);
	a->broken = 0;
	for (e = 0; e < s->inbox->epochs_nr; e++)
		a->broken += s->broken[e];
	a->duplicates = n - total;
	a->seen = n + a->broken;
	return 0;
}

/*
 * Whether what plans[] read only adds to the mapped index: nothing
 * removed, nothing read again, nothing before its last record, and
 * not an extension too many.
 */
static int only_appends(struct archive_source *s, const struct inbox_plan *plans)
{
	struct strbuf err = STRBUF_INIT;
	struct mail last;
	size_t e, i, n = s->map_index.mails_nr;
	int ok = 1;

	memset(&last, 0, sizeof(last));
	/* Every so often the index is written whole (see save_index()): read whole. */
	if (s->map_index.extensions >= MAX_EXTENSIONS ||
	    (n && cache_map_mail(s->map, NULL, n - 1, &last, &err) < 0))
		ok = 0;
	strbuf_release(&err);
	for (e = 0; ok && e < s->inbox->epochs_nr; e++) {
		if (plans[e].rescan)
			ok = 0;
		for (i = 0; ok && i < plans[e].nr; i++)
			if (plans[e].items[i].removal || (n && e < last.origin.epoch))
				ok = 0;
	}
	return ok;
}

/*
 * The extension cannot be: forget what it read and the map, so that the
 * archive is read whole, from the start (a damaged index is said so
 * then, and rebuilt).  Returns -1.
 */
static int forget_extension(struct archive *a, struct archive_source *s)
{
	FREE_AND_NULL(s->recs);
	s->nr = s->alloc = 0;
	if (s->map)
		unmap_index(s);
	a->read = a->added = a->warned = a->limited = 0;
	s->dirty = 1;
	return -1;
}

/*
 * archive->lazy, the only inbox with new mail that only adds to its
 * index: read it, and write the index as the mapped one and the new
 * records, without loading the old ones; then map the new index.
 * Returns 0, or -1 (the work undone) when the archive must be read as
 * always instead.
 */
static int extend_mapped(struct archive *a, struct archive_source *s, struct inbox_plan *plans)
{
	struct progress *progress = progress_start("Reading messages", 0);
	struct cache_index idx;
	uint64_t done = 0, total = 0;
	size_t e;
	int ret;

	for (e = 0; e < s->inbox->epochs_nr; e++)
		total += plans[e].nr;
	progress_set_total(progress, total);
	for (e = 0; e < s->inbox->epochs_nr; e++) {
		archive_run_plan(a, s, &plans[e], progress, &done);
		inbox_plan_done(s->inbox, &plans[e]);
	}
	progress_stop(&progress);
	arena_pool_release(&a->strings);
	/* A removal (known only once read, in a v2 inbox) needs the old records. */
	if (s->removal_met) {
		s->removal_met = 0;
		return forget_extension(a, s);
	}
	archive_fill_index(s, &idx);
	idx.mails = s->recs;
	idx.mails_nr = s->nr;
	idx.removals = s->map_index.removals;
	idx.removals_nr = s->map_index.removals_nr;
	ret = cache_write_extended(s->index_path, &idx, &s->map_index, &s->identity);
	free(idx.epochs);
	/* The new records are in the index now, and read from it. */
	FREE_AND_NULL(s->recs);
	s->nr = s->alloc = 0;
	unmap_index(s);
	if (!ret && !map_index(a, s) && s->map && !view_mapped(a, s)) {
		s->dirty = 0;	/* saved: the index is what the archive is */
		return 0;
	}
	return forget_extension(a, s);
}

/*
 * archive->lazy: when the only inbox has nothing new to read, the
 * archive is its index mapped (archive_messages() reads the mails
 * wanted); when its new mail only adds to it, the index is extended
 * without being loaded, then mapped.  Returns 0 then; -1 (nothing
 * changed) when the archive must be read as always.
 */
int archive_update_mapped(struct archive *a)
{
	struct archive_source *s = &a->sources[0];
	struct inbox_plan *plans;
	size_t e, epochs = s->inbox->epochs_nr;
	int quiet = 1, planned = 1, ret = -1;

	if (map_index(a, s) < 0 || !s->map)
		return -1;
	CALLOC_ARRAY(plans, epochs ? epochs : 1);
	for (e = 0; e < epochs && planned; e++) {
		/* An error is said again, and dealt with, by the reading that follows. */
		if (inbox_plan(s->inbox, e, &plans[e]) < 0)
			planned = 0;
		else if (plans[e].nr || plans[e].rescan ||
			 !archive_same_cursor(&plans[e].next, &s->inbox->epochs[e].cursor))
			quiet = 0;
	}
	if (planned && quiet)
		ret = view_mapped(a, s);
	else if (planned && only_appends(s, plans))
		ret = extend_mapped(a, s, plans);
	for (e = 0; e < epochs; e++)
		inbox_plan_release(&plans[e]);
	free(plans);
	if (ret && s->map)
		unmap_index(s);
	return ret;
}

int archive_extends(const struct archive *a, uint64_t identity, size_t *total)
{
	return a->mapped && cache_map_extends(a->sources[0].map, identity, total);
}

uint64_t archive_identity(const struct archive *a)
{
	if (a->inboxes_nr != 1 || a->sources[0].dirty)
		return 0;
	return a->sources[0].identity;
}

/*
 * Read message pos of a mapped archive (what is read in place goes in
 * scratch, then is copied): 0, or -1 when its index turns out damaged.
 */
static int load_mapped(struct archive *a, size_t pos, struct arena *scratch)
{
	struct archive_source *s = &a->sources[0];
	struct strbuf err = STRBUF_INIT;
	struct mail read, *m;
	int ret = cache_map_mail(s->map, scratch, a->view[pos], &read, &err);

	strbuf_release(&err);
	if (ret < 0 || read.origin.epoch >= s->inbox->epochs_nr)
		return -1;
	/* Copied out of the map, which then need not stay in memory. */
	m = cache_copy_mail(&a->strings, &read);
	m->origin.source = 0;
	a->at[pos] = m;
	ALLOC_GROW(a->mails, a->nr + 1, a->alloc);
	a->mails[a->nr++] = m;
	strmap_put(&a->by_mid, m->mid, m);
	return 0;
}

struct mail **archive_messages(struct archive *a, const uint32_t *pos, size_t n)
{
	struct arena scratch = ARENA_INIT;
	struct mail **out;
	size_t i;

	ALLOC_ARRAY(out, n ? n : 1);
	for (i = 0; i < n && out; i++) {
		if (pos[i] >= a->total)
			die("BUG: archive_messages() past the archive's end");
		if (!a->mapped)
			out[i] = a->mails[pos[i]];
		else if (a->at[pos[i]] || !load_mapped(a, pos[i], &scratch))
			out[i] = a->at[pos[i]];
		else
			FREE_AND_NULL(out);
	}
	arena_release(&scratch);
	if (a->mapped)
		cache_map_drop_pages(a->sources[0].map);
	return out;
}

int archive_each(struct archive *a, size_t from, void (*fn)(void *data, const struct mail *m),
		 void *data)
{
	struct archive_source *s = &a->sources[0];
	struct arena scratch = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	size_t i;
	int ret = 0;

	if (!a->mapped) {
		for (i = from; i < a->nr; i++)
			fn(data, a->mails[i]);
		return 0;
	}
	for (i = from; i < a->total && !ret; i++) {
		struct mail m;

		/* Read in place, a few thousand at a time: the archive is not kept. */
		if ((i - from) % 4096 == 0 && i > from) {
			arena_release(&scratch);
			cache_map_drop_pages(s->map);
		}
		if (cache_map_mail(s->map, &scratch, a->view[i], &m, &err) < 0 ||
		    m.origin.epoch >= s->inbox->epochs_nr)
			ret = -1;
		else
			fn(data, &m);
	}
	arena_release(&scratch);
	cache_map_drop_pages(s->map);
	strbuf_release(&err);
	return ret;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const void *const *)x, b = (uintptr_t)*(const void *const *)y;

	return (a > b) - (a < b);
}

long archive_positions(struct archive *a, const char *const *mids, size_t nr, uint32_t *pos)
{
	struct strbuf err = STRBUF_INIT;
	const struct mail **named;
	size_t i, k, named_nr = 0, found = 0;

	if (a->mapped) {
		struct archive_source *s = &a->sources[0];

		for (k = 0; k < nr; k++) {
			size_t rec = 0;
			int ret = cache_map_find(s->map, mids[k], &rec, &err);
			uint32_t r32 = (uint32_t)rec, *at;

			if (ret < 0) {
				strbuf_release(&err);
				return -1;
			}
			at = ret ? bsearch(&r32, a->view, a->total, sizeof(*a->view), cmp_u32) : NULL;
			if (at)
				pos[found++] = (uint32_t)(at - a->view);
		}
		QSORT(pos, found, cmp_u32);
		return (long)found;
	}
	ALLOC_ARRAY(named, nr ? nr : 1);
	for (k = 0; k < nr; k++) {
		const struct mail *m = archive_find(a, mids[k]);

		if (m)
			named[named_nr++] = m;
	}
	/* Their places, in one pass over the archive. */
	QSORT(named, named_nr, cmp_ptr);
	for (i = 0; i < a->nr && found < named_nr; i++)
		if (bsearch(&a->mails[i], named, named_nr, sizeof(*named), cmp_ptr))
			pos[found++] = (uint32_t)i;
	free(named);
	return (long)found;
}

int archive_times(const struct archive *a, size_t from, size_t n, time_t *when, time_t *date)
{
	struct mail m;
	size_t i;

	if (from > a->total || n > a->total - from)
		die("BUG: archive_times() past the archive's end");
	for (i = 0; i < n; i++) {
		const struct mail *p = a->mapped ? &m : a->mails[from + i];

		if (a->mapped && cache_map_times(a->sources[0].map, a->view[from + i], &m) < 0)
			return -1;
		when[i] = mail_period_time(p);
		date[i] = (p->flags & MAIL_HAS_DATE) ? p->date : when[i];
	}
	return 0;
}

size_t archive_notices(const struct archive *a)
{
	size_t i, n = 0;

	if (a->mapped)
		return cache_map_notices(a->sources[0].map);
	for (i = 0; i < a->nr; i++)
		n += a->mails[i]->applied_nr > 0;
	return n;
}

size_t archive_list_ids(const struct archive *a, const char ***names, uint64_t **counts)
{
	if (!a->mapped)
		die("BUG: archive_list_ids() of an archive read whole");
	return cache_map_lists(a->sources[0].map, names, counts);
}

