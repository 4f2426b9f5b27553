#include "cache.h"
#include "cache-internal.h"
#include "arena.h"
#include "mail.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The layout is in cache-internal.h.  What mail_parse() extracts may
 * change with any build, so the index also names the build that wrote
 * it (its GNU build-id) and another build rebuilds it: facts from an
 * older parser are never served.
 */
#define NO_STRING CACHE_NO_STRING

/*
 * Every field of struct mail is either stored below (cache_write_mail,
 * read_mail, cache_copy_mail) or is the body.  A new field changes the
 * size: store it, bump CACHE_VERSION, then update this number.
 */
_Static_assert(sizeof(struct mail) == 280 && sizeof(struct mail_trailer) == 24 &&
	       sizeof(struct mail_applied) == 16,
	       "struct mail changed: keep its new facts in lib/cache.c and bump CACHE_VERSION");

/* ---- the build ---- */

struct build_id {
	char hex[2 * 64 + 1];
};

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *id = data;
	int i;

	/* The first object is the program itself. */
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (end - p >= (ptrdiff_t)sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *n = (const void *)p;
			size_t name = (n->n_namesz + 3) & ~(size_t)3, desc = (n->n_descsz + 3) & ~(size_t)3;
			const unsigned char *d = (const unsigned char *)(n + 1) + name;
			size_t k;

			if ((size_t)(end - p) < sizeof(*n) + name + desc)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    !memcmp(n + 1, "GNU", 4) && n->n_descsz <= 64) {
				for (k = 0; k < n->n_descsz; k++)
					snprintf(id->hex + 2 * k, 3, "%02x", d[k]);
				return 1;
			}
			p += sizeof(*n) + name + desc;
		}
	}
	return 1;
}

const char *cache_build_id(void)
{
	static struct build_id id;
	static int done;

	if (!done) {
		dl_iterate_phdr(find_build_id, &id);
		done = 1;
	}
	return id.hex;
}

/* ---- the hash ---- */

#define HASH_K1 0x9e3779b97f4a7c15ULL
#define HASH_K2 0xc2b2ae3d27d4eb4fULL

static inline uint64_t hash_word(uint64_t h, uint64_t w)
{
	/* Each step is a bijection of h and of w: any one changed word shows. */
	h = (h ^ w) * HASH_K1;
	return (h << 31) | (h >> 33);
}

void cache_hash_init(struct cache_hash *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->h = HASH_K2;
}

void cache_hash_update(struct cache_hash *ch, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = ch->h, w;

	ch->len += len;
	if (ch->tail_len) {
		size_t n = 8 - ch->tail_len;

		if (n > len)
			n = len;
		memcpy(ch->tail + ch->tail_len, p, n);
		ch->tail_len += (unsigned)n;
		p += n;
		len -= n;
		if (ch->tail_len < 8) {
			ch->h = h;
			return;
		}
		memcpy(&w, ch->tail, 8);
		h = hash_word(h, w);
		ch->tail_len = 0;
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = hash_word(h, w);
	}
	memcpy(ch->tail, p, len);
	ch->tail_len = (unsigned)len;
	ch->h = h;
}

uint64_t cache_hash_final(const struct cache_hash *ch)
{
	uint64_t h = ch->h, w = 0;

	if (ch->tail_len) {
		memcpy(&w, ch->tail, ch->tail_len);
		h = hash_word(h, w);
	}
	h = hash_word(h, ch->len);
	h ^= h >> 29;
	h *= HASH_K2;
	return h ^ (h >> 32);
}

uint64_t cache_hash(const void *data, size_t len)
{
	struct cache_hash ch;

	cache_hash_init(&ch);
	cache_hash_update(&ch, data, len);
	return cache_hash_final(&ch);
}

char *cache_path(const char *dir, const struct inbox *inbox)
{
	struct cache_hash ch;
	uint32_t kind = inbox->kind;

	cache_hash_init(&ch);
	cache_hash_update(&ch, &kind, sizeof(kind));
	cache_hash_update(&ch, inbox->resolved, strlen(inbox->resolved));
	return xstrfmt("%s/inbox-%016llx.idx", dir,
		       (unsigned long long)cache_hash_final(&ch));
}

/* ---- writing ---- */

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

/* ---- reading ---- */

static int need(struct cache_reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

uint32_t cache_get_u32(struct cache_reader *r)
{
	uint32_t v = 0;

	if (need(r, 4)) {
		memcpy(&v, r->p, 4);
		r->p += 4;
	}
	return v;
}

uint64_t cache_get_u64(struct cache_reader *r)
{
	uint64_t v = 0;

	if (need(r, 8)) {
		memcpy(&v, r->p, 8);
		r->p += 8;
	}
	return v;
}

char *cache_get_str(struct cache_reader *r)
{
	uint32_t len = cache_get_u32(r);
	char *s;

	if (len == NO_STRING || r->bad)
		return NULL;
	if (!need(r, (size_t)len + 1) || r->p[len] != '\0') {
		r->bad = 1;
		return NULL;
	}
	s = (char *)r->p;
	r->p += (size_t)len + 1;
	return s;
}

/* A string that must be there ("" when the file says NULL). */
static char *get_str_nonnull(struct cache_reader *r)
{
	char *s = cache_get_str(r);

	return s ? s : (char *)"";
}

static void get_oid(struct cache_reader *r, git_oid *oid)
{
	if (need(r, GIT_OID_RAWSZ)) {
		memcpy(oid->id, r->p, GIT_OID_RAWSZ);
		r->p += GIT_OID_RAWSZ;
	} else {
		memset(oid, 0, sizeof(*oid));
	}
}

/* A count of items each at least min bytes long: at most what is left. */
static size_t get_count(struct cache_reader *r, size_t min)
{
	uint32_t n = cache_get_u32(r);

	if (r->bad || (size_t)n > (size_t)(r->end - r->p) / min) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/* A string of the table, by number. */
static char *get_ref(struct cache_reader *r)
{
	uint32_t n = cache_get_u32(r);

	if (n == NO_STRING || r->bad)
		return NULL;
	if (r->map)
		return cache_map_string(r->map, n, r);
	if (n >= r->strs_nr) {
		r->bad = 1;
		return NULL;
	}
	return r->strs[n];
}

static char *get_ref_nonnull(struct cache_reader *r)
{
	char *s = get_ref(r);

	return s ? s : (char *)"";
}

static char **get_refs(struct cache_reader *r, struct arena *a, size_t *nr)
{
	size_t i, n = get_count(r, 4);
	char **list;

	*nr = 0;
	if (!n)
		return NULL;
	list = arena_alloc(a, st_mult(n, sizeof(*list)));
	for (i = 0; i < n; i++)
		list[i] = get_ref_nonnull(r);
	if (r->bad)
		return NULL;
	*nr = n;
	return list;
}

static void get_cursor(struct cache_reader *r, struct inbox_cursor *c)
{
	get_oid(r, &c->commit);
	c->count = cache_get_u64(r);
	c->mtime = (int64_t)cache_get_u64(r);
	c->size = cache_get_u64(r);
	c->hash = cache_get_u64(r);
}

void cache_read_mail(struct cache_reader *r, struct arena *a, struct mail *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->mid = get_ref_nonnull(r);
	m->in_reply_to = get_ref(r);
	m->subject = get_ref_nonnull(r);
	m->from_name = get_ref_nonnull(r);
	m->from_email = get_ref_nonnull(r);
	m->author_name = get_ref(r);
	m->author_email = get_ref(r);
	m->list_id = get_ref(r);
	m->change_id = get_ref(r);
	m->applied_to = get_ref(r);
	m->date = (time_t)(int64_t)cache_get_u64(r);
	m->date_tz = (int)(int32_t)cache_get_u32(r);
	m->arrival = (time_t)(int64_t)cache_get_u64(r);
	m->flags = cache_get_u32(r) & ~(unsigned)MAIL_HAS_BODY;
	m->refs = get_refs(r, a, &m->refs_nr);
	m->trailers_nr = get_count(r, 12);
	if (m->trailers_nr) {
		m->trailers = arena_alloc(a, st_mult(m->trailers_nr, sizeof(*m->trailers)));
		for (i = 0; i < m->trailers_nr; i++) {
			m->trailers[i].key = get_ref_nonnull(r);
			m->trailers[i].value = get_ref_nonnull(r);
			m->trailers[i].in_block = (int)cache_get_u32(r);
		}
	}
	m->links = get_refs(r, a, &m->links_nr);
	m->paths = get_refs(r, a, &m->paths_nr);
	m->applied_nr = get_count(r, 8);
	if (m->applied_nr) {
		m->applied = arena_alloc(a, st_mult(m->applied_nr, sizeof(*m->applied)));
		for (i = 0; i < m->applied_nr; i++) {
			m->applied[i].subject = get_ref_nonnull(r);
			m->applied[i].url = get_ref(r);
		}
	}
	m->origin.epoch = cache_get_u32(r);
	get_oid(r, &m->origin.commit);
	get_oid(r, &m->origin.blob);
	m->origin.offset = cache_get_u64(r);
	m->origin.length = cache_get_u64(r);
	if (r->bad)
		memset(m, 0, sizeof(*m));
}

/* Check the header: magic, byte order, version and length. */
int cache_check_header(const char *buf, size_t size, struct strbuf *err)
{
	uint32_t version, endian;
	uint64_t len, hash;

	if (size < CACHE_MAGIC_LEN || memcmp(buf, CACHE_MAGIC, CACHE_MAGIC_LEN)) {
		strbuf_addstr(err, "not an index file");
		return -1;
	}
	if (size < CACHE_HEADER_LEN) {
		strbuf_addstr(err, "truncated");
		return -1;
	}
	memcpy(&version, buf + 16, 4);
	memcpy(&endian, buf + 20, 4);
	memcpy(&len, buf + 24, 8);
	memcpy(&hash, buf + 32, 8);
	if (endian != CACHE_ENDIAN) {
		strbuf_addstr(err, "written on a machine of another byte order");
		return -1;
	}
	if (version != CACHE_VERSION) {
		strbuf_addf(err, "version %u, not %u", version, CACHE_VERSION);
		return -1;
	}
	if (len != size - CACHE_HEADER_LEN) {
		strbuf_addstr(err, len > size - CACHE_HEADER_LEN ? "truncated" : "trailing garbage");
		return -1;
	}
	return 0;
}

int cache_parse_prefix(struct cache_index *idx, struct cache_reader *r, struct strbuf *err)
{
	const char *build = cache_get_str(r);

	if (!build || strcmp(build, cache_build_id())) {
		strbuf_addstr(err, build ? "written by another build of git-bpfdigest"
					 : "malformed contents");
		return -1;
	}
	idx->location = cache_get_str(r);
	idx->kind = cache_get_u32(r);
	idx->extensions = cache_get_u32(r);
	return r->bad || !idx->location ? -1 : 0;
}

void cache_parse_epochs(struct cache_index *idx, struct arena *a, struct cache_reader *r)
{
	size_t i, j;

	idx->epochs_nr = get_count(r, 4);
	idx->epochs = arena_calloc(a, idx->epochs_nr ? idx->epochs_nr : 1, sizeof(*idx->epochs));
	for (i = 0; i < idx->epochs_nr && !r->bad; i++) {
		struct cache_epoch *e = &idx->epochs[i];
		char **names;

		e->name = get_str_nonnull(r);
		get_cursor(r, &e->cursor);
		e->broken = cache_get_u64(r);
		e->names_nr = get_count(r, 5);
		names = arena_alloc(a, st_mult(e->names_nr ? e->names_nr : 1, sizeof(*names)));
		for (j = 0; j < e->names_nr && !r->bad; j++)
			names[j] = get_str_nonnull(r);
		e->names = (const char *const *)names;
	}
	idx->removals_nr = get_count(r, GIT_OID_RAWSZ + 4);
	idx->removals = arena_alloc(a, (idx->removals_nr ? idx->removals_nr : 1) *
				       sizeof(*idx->removals));
	for (i = 0; i < idx->removals_nr && !r->bad; i++) {
		get_oid(r, &idx->removals[i].blob);
		idx->removals[i].epoch = cache_get_u32(r);
	}
}

/* An array of n items of size bytes at r->p, or NULL (r bad) when it does not fit. */
static const char *get_array(struct cache_reader *r, uint64_t n, size_t size)
{
	const char *at = r->p;

	if (r->bad || n > (uint64_t)(r->end - r->p) / size) {
		r->bad = 1;
		return NULL;
	}
	r->p += n * size;
	return at;
}

/* NUL bytes up to the next multiple of 8 from the payload's start. */
static void skip_pad(struct cache_reader *r)
{
	while (!r->bad && (r->p - r->base) % 8) {
		if (!need(r, 1) || *r->p)
			r->bad = 1;
		else
			r->p++;
	}
}

void cache_dir_next_list(const char **at, const char **name, uint64_t *count)
{
	uint32_t len;

	memcpy(count, *at, 8);
	memcpy(&len, *at + 8, 4);
	*name = *at + 12;
	*at += (12 + (size_t)len + 1 + 7) & ~(size_t)7;
}

/* Array k of the head, n items of size bytes, in [0, d->off): its place, or NULL. */
static const char *dir_array(const struct cache_dir *d, const char *payload, uint64_t at,
			     uint64_t n, size_t size)
{
	if (at % size || at > d->off || n > (d->off - at) / size)
		return NULL;
	return payload + at;
}

int cache_parse_directory(struct cache_dir *d, const char *payload, size_t len)
{
	struct cache_reader r;
	uint64_t i, at[7];

	memset(d, 0, sizeof(*d));
	if (len < CACHE_TRAILER_LEN || len % 8)
		return -1;
	d->off = cache_load64(payload + len - CACHE_TRAILER_LEN);
	d->hash = cache_load64(payload + len - 8);
	if (d->off % 8 || d->off > len - CACHE_TRAILER_LEN)
		return -1;
	memset(&r, 0, sizeof(r));
	r.base = payload;
	r.p = payload + d->off;
	r.end = payload + len - CACHE_TRAILER_LEN;
	d->strings = cache_get_u64(&r);
	d->mails = cache_get_u64(&r);
	d->strings_at = cache_get_u64(&r);
	d->epochs_off = cache_get_u64(&r);
	d->mails_off = cache_get_u64(&r);
	d->mails_end = cache_get_u64(&r);
	d->view = cache_get_u64(&r);
	d->notices = cache_get_u64(&r);
	for (i = 0; i < 7; i++)
		at[i] = cache_get_u64(&r);
	d->slots = cache_get_u64(&r);
	d->lists = cache_get_u64(&r);
	d->lists_at = r.p;
	for (i = 0; i < d->lists && !r.bad; i++) {
		cache_get_u64(&r);
		if (!cache_get_str(&r))
			r.bad = 1;
		skip_pad(&r);
	}
	d->blocks = cache_get_u64(&r);
	d->block_hash = get_array(&r, d->blocks, 8);
	if (r.bad || r.p != r.end)
		return -1;
	d->str_off = dir_array(d, payload, at[0], d->strings, 8);
	d->rec_off = dir_array(d, payload, at[1], d->mails, 8);
	d->arrival = dir_array(d, payload, at[2], d->mails, 8);
	d->date = dir_array(d, payload, at[3], d->mails, 8);
	d->flags = dir_array(d, payload, at[4], d->mails, 4);
	d->mid_hash = dir_array(d, payload, at[5], d->mails, 4);
	d->mid_table = dir_array(d, payload, at[6], d->slots, 4);
	if (!d->str_off || !d->rec_off || !d->arrival || !d->date || !d->flags || !d->mid_hash ||
	    !d->mid_table || d->view > d->mails || d->notices > d->view ||
	    d->strings_at > d->epochs_off || d->epochs_off > d->mails_off ||
	    d->mails_off > d->mails_end || d->mails_end > at[0] ||
	    d->blocks != (d->off + CACHE_BLOCK - 1) / CACHE_BLOCK ||
	    d->slots < d->mails || (d->slots & (d->slots - 1)))
		return -1;
	return 0;
}

static int parse_index(struct cache_index *idx, struct arena *a, struct cache_reader *r,
		       struct strbuf *err)
{
	struct cache_dir d;
	size_t i, len = (size_t)(r->end - r->base);

	if (cache_parse_prefix(idx, r, err) < 0)
		return -1;
	r->strs_nr = get_count(r, 5);
	idx->strings_at = (uint64_t)(r->p - r->base);
	idx->table_bytes = r->p;
	r->strs = arena_alloc(a, st_mult(r->strs_nr ? r->strs_nr : 1, sizeof(*r->strs)));
	for (i = 0; i < r->strs_nr && !r->bad; i++)
		r->strs[i] = get_str_nonnull(r);
	idx->table_len = (size_t)(r->p - idx->table_bytes);
	cache_parse_epochs(idx, a, r);
	if (cache_parse_directory(&d, r->base, len) < 0)
		return -1;
	/* The records end where the directory says: the rest is its. */
	r->end = r->base + d.mails_end;
	{
		uint64_t n = cache_get_u64(r);
		struct mail *mails;

		/* A mail takes far more than 64 bytes. */
		if (r->bad || n > (uint64_t)(r->end - r->p) / 64 || n != d.mails)
			return -1;
		idx->mails_nr = (size_t)n;
		idx->mail_bytes = r->p;
		idx->mails_at = (uint64_t)(r->p - r->base);
		mails = arena_alloc(a, st_mult(idx->mails_nr ? idx->mails_nr : 1, sizeof(*mails)));
		idx->mails = arena_alloc(a, st_mult(idx->mails_nr ? idx->mails_nr : 1,
						    sizeof(*idx->mails)));
		for (i = 0; i < idx->mails_nr && !r->bad; i++) {
			cache_read_mail(r, a, &mails[i]);
			if (mails[i].origin.epoch >= idx->epochs_nr)
				r->bad = 1;
			idx->mails[i] = &mails[i];
		}
	}
	if (r->bad || r->p != r->end || d.strings != r->strs_nr || d.mails_off != idx->mails_at ||
	    d.strings_at != idx->strings_at)
		return -1;
	idx->mail_len = (size_t)(r->p - idx->mail_bytes);
	idx->strings_nr = r->strs_nr;
	idx->str_offs = d.str_off;
	idx->rec_offs = d.rec_off;
	idx->dir = arena_alloc(a, sizeof(d));
	memcpy((struct cache_dir *)idx->dir, &d, sizeof(d));
	return 0;
}

int cache_map_file(const char *path, int populate, char **data, size_t *size,
		   struct strbuf *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		strbuf_addstr(err, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !st.st_size) {
		strbuf_addstr(err, S_ISREG(st.st_mode) && !st.st_size ? "not an index file"
								      : "not a file");
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	/*
	 * The strings are used in place: the arena that adopts the mapping
	 * keeps it.  A private one: the writable copy-on-write pages keep
	 * the mails' strings as writable as malloc()ed ones.
	 */
	*data = mmap(NULL, *size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
	close(fd);
	if (*data == MAP_FAILED) {
		strbuf_addstr(err, strerror(errno));
		return -1;
	}
	return 0;
}

int cache_read(struct cache_index *idx, struct arena *a, const char *path,
	       struct strbuf *err)
{
	struct cache_reader r;
	char *data;
	size_t size;
	int ret;

	memset(idx, 0, sizeof(*idx));
	/* The whole file is read anyway: populated at once. */
	ret = cache_map_file(path, 1, &data, &size, err);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.base = r.p = data + CACHE_HEADER_LEN;
	r.end = data + size;
	if (cache_check_header(data, size, err) < 0)
		goto bad;
	if (cache_hash(data + CACHE_HEADER_LEN, size - CACHE_HEADER_LEN) !=
	    cache_load64(data + 32)) {
		strbuf_addstr(err, "checksum mismatch");
		goto bad;
	}
	if (parse_index(idx, a, &r, err) < 0)
		goto bad;
	idx->identity = cache_load64(data + 32);
	arena_adopt_map(a, data, size);
	return 0;
bad:
	/* Not kept: a run that rebuilds the index must not carry the old one. */
	munmap(data, size);
	memset(idx, 0, sizeof(*idx));
	if (!err->len)
		strbuf_addstr(err, "malformed contents");
	return -1;
}

/* ---- copying parsed mail into an arena ---- */

static char *copy_str(struct arena_pool *p, const char *s)
{
	return s ? (char *)arena_pool_intern(p, s, strlen(s)) : NULL;
}

static char **copy_strs(struct arena_pool *p, char *const *list, size_t nr)
{
	char **out;
	size_t i;

	if (!nr)
		return NULL;
	out = arena_alloc(p->arena, st_mult(nr, sizeof(*out)));
	for (i = 0; i < nr; i++)
		out[i] = copy_str(p, list[i]);
	return out;
}

struct mail *cache_copy_mail(struct arena_pool *p, const struct mail *m)
{
	struct arena *a = p->arena;
	struct mail *c = arena_alloc(a, sizeof(*c));
	size_t i;

	memset(c, 0, sizeof(*c));
	c->mid = copy_str(p, m->mid);
	c->in_reply_to = copy_str(p, m->in_reply_to);
	c->refs = copy_strs(p, m->refs, m->refs_nr);
	c->refs_nr = m->refs_nr;
	c->subject = copy_str(p, m->subject);
	c->from_name = copy_str(p, m->from_name);
	c->from_email = copy_str(p, m->from_email);
	c->author_name = copy_str(p, m->author_name);
	c->author_email = copy_str(p, m->author_email);
	c->list_id = copy_str(p, m->list_id);
	c->date = m->date;
	c->date_tz = m->date_tz;
	c->arrival = m->arrival;
	c->flags = m->flags & ~(unsigned)MAIL_HAS_BODY;
	if (m->trailers_nr) {
		c->trailers = arena_alloc(a, st_mult(m->trailers_nr, sizeof(*c->trailers)));
		for (i = 0; i < m->trailers_nr; i++) {
			c->trailers[i].key = copy_str(p, m->trailers[i].key);
			c->trailers[i].value = copy_str(p, m->trailers[i].value);
			c->trailers[i].in_block = m->trailers[i].in_block;
		}
	}
	c->trailers_nr = m->trailers_nr;
	c->change_id = copy_str(p, m->change_id);
	c->links = copy_strs(p, m->links, m->links_nr);
	c->links_nr = m->links_nr;
	c->paths = copy_strs(p, m->paths, m->paths_nr);
	c->paths_nr = m->paths_nr;
	c->applied_to = copy_str(p, m->applied_to);
	if (m->applied_nr) {
		c->applied = arena_alloc(a, st_mult(m->applied_nr, sizeof(*c->applied)));
		for (i = 0; i < m->applied_nr; i++) {
			c->applied[i].subject = copy_str(p, m->applied[i].subject);
			c->applied[i].url = copy_str(p, m->applied[i].url);
		}
	}
	c->applied_nr = m->applied_nr;
	c->origin = m->origin;
	return c;
}
