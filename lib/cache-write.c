/*
 * cache-write.c - writing an index (cache.h): whole, or as an older one
 * (loaded or mapped) and the mails after it.  The layout is in
 * cache-internal.h.
 */
#include "cache.h"
#include "cache-internal.h"
#include "mail.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NO_STRING CACHE_NO_STRING

struct writer {
	int fd;
	char *buf;
	size_t len, alloc;
	struct cache_hash hash;		/* of the whole payload */
	uint64_t total;			/* bytes flushed */
	int failed;
	/* Before the directory: the checksum of each CACHE_BLOCK. */
	int blocking;
	struct cache_hash block;
	size_t block_fill;
	uint64_t *blocks;
	size_t blocks_nr, blocks_alloc;
	/* In the directory: its own checksum. */
	int in_dir;
	struct cache_hash dir;
};

#define WRITER_BUF (1024 * 1024)

static void end_block(struct writer *w)
{
	ALLOC_GROW(w->blocks, w->blocks_nr + 1, w->blocks_alloc);
	w->blocks[w->blocks_nr++] = cache_hash_final(&w->block);
	cache_hash_init(&w->block);
	w->block_fill = 0;
}

static void hash_blocks(struct writer *w, const char *p, size_t len)
{
	while (len) {
		size_t n = CACHE_BLOCK - w->block_fill;

		if (n > len)
			n = len;
		cache_hash_update(&w->block, p, n);
		w->block_fill += n;
		p += n;
		len -= n;
		if (w->block_fill == CACHE_BLOCK)
			end_block(w);
	}
}

static void writer_flush(struct writer *w)
{
	size_t off = 0;

	cache_hash_update(&w->hash, w->buf, w->len);
	if (w->blocking)
		hash_blocks(w, w->buf, w->len);
	if (w->in_dir)
		cache_hash_update(&w->dir, w->buf, w->len);
	while (!w->failed && off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			w->failed = errno ? errno : EIO;
		else
			off += (size_t)n;
	}
	w->total += w->len;
	w->len = 0;
}

/* Where the next byte put goes, from the start of the payload. */
static uint64_t writer_offset(const struct writer *w)
{
	return w->total + w->len;
}

static void put(struct writer *w, const void *data, size_t len)
{
	while (len) {
		size_t n = w->alloc - w->len;

		if (n > len)
			n = len;
		memcpy(w->buf + w->len, data, n);
		w->len += n;
		data = (const char *)data + n;
		len -= n;
		if (w->len == w->alloc)
			writer_flush(w);
	}
}

static void put_u32(struct writer *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_u64(struct writer *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct writer *w, const char *s)
{
	size_t len;

	if (!s) {
		put_u32(w, NO_STRING);
		return;
	}
	len = strlen(s);
	if (len >= NO_STRING)
		len = NO_STRING - 1;	/* never in mail; keeps the file readable */
	put_u32(w, (uint32_t)len);
	put(w, s, len);
	put(w, "", 1);
}

/*
 * The strings of the mails are written once, in a table, and the mails
 * refer to them by number.  Strings are told apart by their contents:
 * mails read from an index and mails read now share many.
 */
struct string_table {
	const char **strs;	/* in number order */
	size_t nr, alloc;
	struct { const char *p; uint32_t hash, n; } *slots;
	size_t size;
	/*
	 * The number of every string met, in the order met: the writer meets
	 * them again in that order and takes the numbers from here, instead
	 * of looking each one up a second time.
	 */
	uint32_t *met;
	size_t met_nr, met_alloc, next;
	uint32_t base;		/* numbers start here: the strings before are an old index's */
};

static void table_met(struct string_table *t, uint32_t n)
{
	ALLOC_GROW(t->met, t->met_nr + 1, t->met_alloc);
	t->met[t->met_nr++] = n;
}

static void table_grow(struct string_table *t)
{
	struct string_table old = *t;
	size_t k, mask;

	t->size = t->size ? 2 * t->size : 4096;
	mask = t->size - 1;
	CALLOC_ARRAY(t->slots, t->size);
	for (k = 0; k < old.size; k++)
		if (old.slots[k].p) {
			size_t i = old.slots[k].hash & mask;

			while (t->slots[i].p)
				i = (i + 1) & mask;
			t->slots[i] = old.slots[k];
		}
	free(old.slots);
}

static void table_add(struct string_table *t, const char *p)
{
	uint32_t hash;
	size_t i, mask;

	if (!p) {
		table_met(t, NO_STRING);
		return;
	}
	if (2 * (t->nr + 1) > t->size)
		table_grow(t);
	mask = t->size - 1;
	hash = strhash(p);
	for (i = hash & mask; t->slots[i].p; i = (i + 1) & mask)
		if (t->slots[i].hash == hash && (t->slots[i].p == p || !strcmp(t->slots[i].p, p))) {
			table_met(t, t->slots[i].n);
			return;
		}
	t->slots[i].p = p;
	t->slots[i].hash = hash;
	t->slots[i].n = t->base + (uint32_t)t->nr;
	table_met(t, t->slots[i].n);
	ALLOC_GROW(t->strs, t->nr + 1, t->alloc);
	t->strs[t->nr++] = p;
}

/* The number of the next string met (p is that string). */
static uint32_t table_number(struct string_table *t, const char *p)
{
	uint32_t n = t->next < t->met_nr ? t->met[t->next++] : NO_STRING;

	/* table_add_mail() and put_mail() must visit the same strings in the same order. */
	if (n != NO_STRING ? !p || (t->strs[n - t->base] != p && strcmp(t->strs[n - t->base], p))
			   : p != NULL)
		die("BUG: the index writer met its strings in another order");
	return n;
}

static void table_add_mail(struct string_table *t, const struct mail *m)
{
	size_t i;

	table_add(t, m->mid);
	table_add(t, m->in_reply_to);
	table_add(t, m->subject);
	table_add(t, m->from_name);
	table_add(t, m->from_email);
	table_add(t, m->author_name);
	table_add(t, m->author_email);
	table_add(t, m->list_id);
	table_add(t, m->change_id);
	table_add(t, m->applied_to);
	for (i = 0; i < m->refs_nr; i++)
		table_add(t, m->refs[i]);
	for (i = 0; i < m->trailers_nr; i++) {
		table_add(t, m->trailers[i].key);
		table_add(t, m->trailers[i].value);
	}
	for (i = 0; i < m->links_nr; i++)
		table_add(t, m->links[i]);
	for (i = 0; i < m->paths_nr; i++)
		table_add(t, m->paths[i]);
	for (i = 0; i < m->applied_nr; i++) {
		table_add(t, m->applied[i].subject);
		table_add(t, m->applied[i].url);
	}
}

static void put_oid(struct writer *w, const git_oid *oid)
{
	put(w, oid->id, GIT_OID_RAWSZ);
}

static void put_ref(struct writer *w, struct string_table *t, const char *s)
{
	put_u32(w, table_number(t, s));
}

static void put_refs(struct writer *w, struct string_table *t, char *const *list, size_t nr)
{
	size_t i;

	put_u32(w, (uint32_t)nr);
	for (i = 0; i < nr; i++)
		put_ref(w, t, list[i]);
}

static void put_cursor(struct writer *w, const struct inbox_cursor *c)
{
	put_oid(w, &c->commit);
	put_u64(w, c->count);
	put_u64(w, (uint64_t)c->mtime);
	put_u64(w, c->size);
	put_u64(w, c->hash);
}

static void put_mail(struct writer *w, struct string_table *t, const struct mail *m)
{
	size_t i;

	put_ref(w, t, m->mid);
	put_ref(w, t, m->in_reply_to);
	put_ref(w, t, m->subject);
	put_ref(w, t, m->from_name);
	put_ref(w, t, m->from_email);
	put_ref(w, t, m->author_name);
	put_ref(w, t, m->author_email);
	put_ref(w, t, m->list_id);
	put_ref(w, t, m->change_id);
	put_ref(w, t, m->applied_to);
	put_u64(w, (uint64_t)(int64_t)m->date);
	put_u32(w, (uint32_t)(int32_t)m->date_tz);
	put_u64(w, (uint64_t)(int64_t)m->arrival);
	put_u32(w, m->flags & ~(unsigned)MAIL_HAS_BODY);
	put_refs(w, t, m->refs, m->refs_nr);
	put_u32(w, (uint32_t)m->trailers_nr);
	for (i = 0; i < m->trailers_nr; i++) {
		put_ref(w, t, m->trailers[i].key);
		put_ref(w, t, m->trailers[i].value);
		put_u32(w, (uint32_t)m->trailers[i].in_block);
	}
	put_refs(w, t, m->links, m->links_nr);
	put_refs(w, t, m->paths, m->paths_nr);
	put_u32(w, (uint32_t)m->applied_nr);
	for (i = 0; i < m->applied_nr; i++) {
		put_ref(w, t, m->applied[i].subject);
		put_ref(w, t, m->applied[i].url);
	}
	put_u32(w, m->origin.epoch);
	put_oid(w, &m->origin.commit);
	put_oid(w, &m->origin.blob);
	put_u64(w, m->origin.offset);
	put_u64(w, m->origin.length);
}

static void put_header(unsigned char *hdr, uint64_t len, uint64_t hash)
{
	uint32_t version = CACHE_VERSION, endian = CACHE_ENDIAN;

	memcpy(hdr, CACHE_MAGIC, CACHE_MAGIC_LEN);
	memcpy(hdr + 16, &version, 4);
	memcpy(hdr + 20, &endian, 4);
	memcpy(hdr + 24, &len, 8);
	memcpy(hdr + 32, &hash, 8);
}

/* Offsets of the strings and records, in number order. */
struct offsets {
	uint64_t *strs, *recs;
	size_t strs_nr, recs_nr;
};

/* What the directory says of the old index's records, and their strings. */
static const char *old_mid(const struct cache_index *old, size_t rec, int *damaged)
{
	const char *mid;

	if (old->mails)
		return old->mails[rec]->mid;
	mid = cache_map_record_mid(old->map, rec);
	if (!mid)
		*damaged = 1;
	return mid;
}

/*
 * The first mail of each Message-ID in a table (record + 1, open
 * addressing on strhash(), half the slots empty), the others marked in
 * repeat[] (of the new mails): the old index's table grown by the new
 * mails, whose hashes are hash[].
 */
static uint32_t *mid_table(const struct cache_index *idx, const struct cache_index *old,
			   const uint32_t *hash, size_t *slots, unsigned char *repeat,
			   int *damaged)
{
	size_t old_n = old ? old->mails_nr : 0, n = old_n + idx->mails_nr;
	size_t i, k, size = 16, mask;
	uint32_t *t;

	while (size < 2 * n)
		size *= 2;
	mask = size - 1;
	CALLOC_ARRAY(t, size);
	if (old && old->dir->slots == size) {
		memcpy(t, old->dir->mid_table, size * 4);
	} else if (old) {
		/* Old entries are distinct Message-IDs: only their hashes are needed. */
		for (i = 0; i < old->dir->slots; i++) {
			uint32_t e = cache_load32(old->dir->mid_table + 4 * i);

			if (!e)
				continue;
			for (k = cache_load32(old->dir->mid_hash + 4 * (size_t)(e - 1)) & mask; t[k];
			     k = (k + 1) & mask)
				;
			t[k] = e;
		}
	}
	for (i = 0; i < idx->mails_nr && !*damaged; i++) {
		const char *mid = idx->mails[i]->mid;

		for (k = hash[i] & mask; t[k]; k = (k + 1) & mask) {
			size_t rec = t[k] - 1;
			uint32_t h = rec < old_n ? cache_load32(old->dir->mid_hash + 4 * rec)
						 : hash[rec - old_n];
			const char *have;

			if (h != hash[i])
				continue;
			have = rec < old_n ? old_mid(old, rec, damaged) : idx->mails[rec - old_n]->mid;
			if (!have || !strcmp(have, mid))
				break;
		}
		if (t[k])
			repeat[i] = 1;
		else
			t[k] = (uint32_t)(old_n + i + 1);
	}
	*slots = size;
	return t;
}

static void put_pad(struct writer *w)
{
	while (writer_offset(w) % 8)
		put(w, "", 1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The List-Ids of the view: old's counts, and the new mails' that repeat none. */
static void put_lists(struct writer *w, const struct cache_index *idx,
		      const struct cache_index *old, const unsigned char *repeat)
{
	struct strmap lists = STRMAP_INIT;
	const char **names, *key;
	const char *at = old ? old->dir->lists_at : NULL;
	size_t i, k = 0;
	void *value;

	for (i = 0; old && i < old->dir->lists; i++) {
		const char *name;
		uint64_t count;

		cache_dir_next_list(&at, &name, &count);
		strmap_put(&lists, name, (void *)(uintptr_t)count);
	}
	for (i = 0; i < idx->mails_nr; i++) {
		const char *id = idx->mails[i]->list_id;

		if (!repeat[i] && id)
			strmap_put(&lists, id, (void *)((uintptr_t)strmap_get(&lists, id) + 1));
	}
	put_u64(w, lists.nr);
	ALLOC_ARRAY(names, lists.nr ? lists.nr : 1);
	for (i = 0; strmap_next(&lists, &k, &key, &value); i++)
		names[i] = key;
	QSORT(names, lists.nr, cmp_str);
	for (i = 0; i < lists.nr; i++) {
		put_u64(w, (uint64_t)(uintptr_t)strmap_get(&lists, names[i]));
		put_str(w, names[i]);
		put_pad(w);
	}
	free(names);
	strmap_clear(&lists);
}

/* What put_arrays() wrote and the directory's head says. */
struct dir_facts {
	uint32_t *hash, *table;
	unsigned char *repeat;
	size_t slots, view, notices;
	uint64_t at[7];		/* str_off, rec_off, arrival, date, flags, mid_hash, mid_table */
};

/*
 * The arrays a mapped reader needs of every record (the layout is in
 * cache-internal.h), checked in blocks like the rest: old's, copied from
 * its directory, then idx's mails'.  *damaged when old turned out so.
 */
static void put_arrays(struct writer *w, const struct cache_index *idx,
		       const struct cache_index *old, const struct offsets *o,
		       struct dir_facts *f, int *damaged)
{
	size_t old_n = old ? old->mails_nr : 0, new_n = idx->mails_nr, i;

	memset(f, 0, sizeof(*f));
	f->repeat = xcalloc(new_n ? new_n : 1, 1);
	ALLOC_ARRAY(f->hash, new_n ? new_n : 1);
	for (i = 0; i < new_n; i++)
		f->hash[i] = strhash(idx->mails[i]->mid);
	f->table = mid_table(idx, old, f->hash, &f->slots, f->repeat, damaged);
	f->view = old ? old->dir->view : 0;
	f->notices = old ? old->dir->notices : 0;
	for (i = 0; i < new_n; i++) {
		if (f->repeat[i])
			continue;
		f->view++;
		f->notices += idx->mails[i]->applied_nr > 0;
	}
	f->at[0] = writer_offset(w);
	put(w, o->strs, o->strs_nr * 8);
	f->at[1] = writer_offset(w);
	put(w, o->recs, o->recs_nr * 8);
	f->at[2] = writer_offset(w);
	if (old)
		put(w, old->dir->arrival, old_n * 8);
	for (i = 0; i < new_n; i++)
		put_u64(w, (uint64_t)(int64_t)idx->mails[i]->arrival);
	f->at[3] = writer_offset(w);
	if (old)
		put(w, old->dir->date, old_n * 8);
	for (i = 0; i < new_n; i++)
		put_u64(w, (uint64_t)(int64_t)idx->mails[i]->date);
	f->at[4] = writer_offset(w);
	if (old)
		put(w, old->dir->flags, old_n * 4);
	for (i = 0; i < new_n; i++)
		put_u32(w, (idx->mails[i]->flags & ~(unsigned)MAIL_HAS_BODY) |
			   (f->repeat[i] ? CACHE_REPEAT : 0));
	f->at[5] = writer_offset(w);
	if (old)
		put(w, old->dir->mid_hash, old_n * 4);
	put(w, f->hash, new_n * 4);
	put_pad(w);
	f->at[6] = writer_offset(w);
	put(w, f->table, f->slots * 4);
	put_pad(w);
}

/* The directory's head: counts, where the arrays are, the List-Ids, the block checksums. */
static void put_head(struct writer *w, const struct cache_index *idx,
		     const struct cache_index *old, const struct offsets *o,
		     const struct dir_facts *f, const uint64_t *at)
{
	size_t i;

	put_u64(w, o->strs_nr);
	put_u64(w, o->recs_nr);
	for (i = 0; i < 4; i++)
		put_u64(w, at[i]);	/* strings_at, epochs_off, mails_off, mails_end */
	put_u64(w, f->view);
	put_u64(w, f->notices);
	for (i = 0; i < 7; i++)
		put_u64(w, f->at[i]);
	put_u64(w, f->slots);
	/* The indexes this one extends, each with its messages then: old's, then old. */
	if (old && old->dir->lineage < CACHE_MAX_LINEAGE) {
		put_u64(w, old->dir->lineage + 1);
		put(w, old->dir->lineage_at, old->dir->lineage * 16);
		put_u64(w, old->identity);
		put_u64(w, old->dir->view);
	} else {
		put_u64(w, 0);
	}
	put_lists(w, idx, old, f->repeat);
	put_u64(w, w->blocks_nr);
	put(w, w->blocks, w->blocks_nr * 8);
}

static int write_index(const char *path, const struct cache_index *idx,
		       const struct cache_index *old, uint64_t *identity)
{
	struct string_table table;
	struct writer w;
	struct offsets o = { NULL, NULL, 0, 0 };
	unsigned char hdr[CACHE_HEADER_LEN];
	char *tmp = xstrfmt("%s.tmp-%ld", path, (long)getpid());
	size_t i, old_mails = old ? old->mails_nr : 0;
	uint64_t strings_at, epochs_off, mails_off, mails_end, dir_off, payload_hash, at[4];
	struct dir_facts facts = { NULL, NULL, NULL, 0, 0, 0, { 0 } };
	int ret = 0, damaged = 0;

	memset(&w, 0, sizeof(w));
	memset(&table, 0, sizeof(table));
	table.base = old ? (uint32_t)old->strings_nr : 0;
	/* A mapped index's bytes are copied: all of them checked first, never passed on damaged. */
	if (old && old->map && cache_map_check_all(old->map) < 0) {
		free(tmp);
		return CACHE_OLD_DAMAGED;
	}
	w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (w.fd < 0) {
		ret = error_errno("cannot write the index '%s'", tmp);
		goto out;
	}
	w.alloc = WRITER_BUF;
	w.buf = xmalloc(w.alloc);
	cache_hash_init(&w.hash);
	cache_hash_init(&w.block);
	w.blocking = 1;
	/* The header goes first, filled in once the payload is known. */
	memset(hdr, 0, sizeof(hdr));
	if (write(w.fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
		w.failed = errno ? errno : EIO;

	for (i = 0; i < idx->mails_nr; i++)
		table_add_mail(&table, idx->mails[i]);
	o.strs_nr = table.base + table.nr;
	o.recs_nr = old_mails + idx->mails_nr;
	ALLOC_ARRAY(o.strs, o.strs_nr ? o.strs_nr : 1);
	ALLOC_ARRAY(o.recs, o.recs_nr ? o.recs_nr : 1);

	put_str(&w, cache_build_id());
	put_str(&w, idx->location);
	put_u32(&w, idx->kind);
	put_u32(&w, old ? old->extensions + 1 : 0);
	/* The old index's strings and mails are copied as they are. */
	put_u32(&w, (uint32_t)(table.base + table.nr));
	strings_at = writer_offset(&w);
	if (old) {
		for (i = 0; i < old->strings_nr; i++)
			o.strs[i] = cache_load64(old->str_offs + 8 * i) - old->strings_at + strings_at;
		put(&w, old->table_bytes, old->table_len);
	}
	for (i = 0; i < table.nr; i++) {
		o.strs[table.base + i] = writer_offset(&w);
		put_str(&w, table.strs[i]);
	}
	epochs_off = writer_offset(&w);
	put_u32(&w, (uint32_t)idx->epochs_nr);
	for (i = 0; i < idx->epochs_nr; i++) {
		const struct cache_epoch *e = &idx->epochs[i];
		size_t j;

		/* Epoch state is written whole each time, its strings with it. */
		put_str(&w, e->name);
		put_cursor(&w, &e->cursor);
		put_u64(&w, e->broken);
		put_u32(&w, (uint32_t)e->names_nr);
		for (j = 0; j < e->names_nr; j++)
			put_str(&w, e->names[j]);
	}
	put_u32(&w, (uint32_t)idx->removals_nr);
	for (i = 0; i < idx->removals_nr; i++) {
		put_oid(&w, &idx->removals[i].blob);
		put_u32(&w, idx->removals[i].epoch);
	}
	put_u64(&w, old_mails + idx->mails_nr);
	mails_off = writer_offset(&w);
	if (old) {
		for (i = 0; i < old_mails; i++)
			o.recs[i] = cache_load64(old->rec_offs + 8 * i) - old->mails_at + mails_off;
		put(&w, old->mail_bytes, old->mail_len);
	}
	for (i = 0; i < idx->mails_nr; i++) {
		o.recs[old_mails + i] = writer_offset(&w);
		put_mail(&w, &table, idx->mails[i]);
	}
	mails_end = writer_offset(&w);
	put_pad(&w);
	put_arrays(&w, idx, old, &o, &facts, &damaged);
	writer_flush(&w);
	if (w.block_fill)
		end_block(&w);
	w.blocking = 0;
	dir_off = writer_offset(&w);
	w.in_dir = 1;
	cache_hash_init(&w.dir);
	at[0] = strings_at;
	at[1] = epochs_off;
	at[2] = mails_off;
	at[3] = mails_end;
	put_head(&w, idx, old, &o, &facts, at);
	writer_flush(&w);
	w.in_dir = 0;
	put_u64(&w, dir_off);
	put_u64(&w, cache_hash_final(&w.dir));
	writer_flush(&w);

	payload_hash = cache_hash_final(&w.hash);
	if (identity)
		*identity = payload_hash;
	put_header(hdr, w.total, payload_hash);
	if (!w.failed && pwrite(w.fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		w.failed = errno ? errno : EIO;
	if (close(w.fd) < 0 && !w.failed)
		w.failed = errno;
	if (damaged) {
		/* Not an error of writing: the caller reads the old index whole instead. */
		unlink(tmp);
		ret = CACHE_OLD_DAMAGED;
		goto out;
	}
	if (w.failed) {
		errno = w.failed;
		ret = error_errno("cannot write the index '%s'", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		ret = error_errno("cannot rename '%s' to '%s'", tmp, path);
		unlink(tmp);
	}
out:
	free(table.strs);
	free(table.slots);
	free(table.met);
	free(w.buf);
	free(w.blocks);
	free(o.strs);
	free(o.recs);
	free(facts.hash);
	free(facts.table);
	free(facts.repeat);
	free(tmp);
	return ret;
}

int cache_write(const char *path, const struct cache_index *idx, uint64_t *identity)
{
	return write_index(path, idx, NULL, identity);
}

int cache_write_extended(const char *path, const struct cache_index *idx,
			 const struct cache_index *old, uint64_t *identity)
{
	if (!old->table_bytes || !old->str_offs || !old->dir || (!old->mails && !old->map))
		die("BUG: cache_write_extended() without a loaded index to extend");
	return write_index(path, idx, old, identity);
}

