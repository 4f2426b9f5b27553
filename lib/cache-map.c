/*
 * cache-map.c - an index file read a record at a time (cache.h,
 * struct cache_map), for runs that need a few of its mails.
 */
#include "cache.h"
#include "cache-internal.h"
#include "arena.h"
#include "mail.h"
#include "strbuf.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct cache_map {
	const char *payload;
	size_t len;
	struct cache_dir dir;
	struct arena *arena;
	unsigned char *checked;	/* per block: its checksum was found right */
	int damaged;
	const char **list_names;
	uint64_t *list_counts;
};

/*
 * Let the kernel drop the pages wholly inside [p, p + len) of the map:
 * they are the file's as long as nothing wrote to them, and come back
 * from it when read again.  A run that checks a whole block to read a
 * record of it keeps only the pages it goes on using.
 */
static void drop_pages(const char *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(page - 1);

	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

/* Check the blocks of [off, off + len) of the payload; 0 or -1. */
static int check_blocks(struct cache_map *map, uint64_t off, uint64_t len)
{
	uint64_t b, last;

	if (map->damaged)
		return -1;
	if (off > map->dir.off || len > map->dir.off - off) {
		map->damaged = 1;
		return -1;
	}
	if (!len)
		return 0;
	last = (off + len - 1) / CACHE_BLOCK;
	for (b = off / CACHE_BLOCK; b <= last; b++) {
		uint64_t start = b * CACHE_BLOCK, end = start + CACHE_BLOCK;

		if (map->checked[b])
			continue;
		if (end > map->dir.off)
			end = map->dir.off;
		if (cache_hash(map->payload + start, (size_t)(end - start)) !=
		    cache_load64(map->dir.block_hash + 8 * b)) {
			map->damaged = 1;
			return -1;
		}
		/* Nothing of the block was handed out before it was checked. */
		drop_pages(map->payload + start, (size_t)(end - start));
		map->checked[b] = 1;
	}
	return 0;
}

/* Item i (size bytes) of an array of the directory, its block checked; or NULL. */
static const char *dir_item(struct cache_map *map, const char *array, size_t i, size_t size)
{
	uint64_t off = (uint64_t)(array - map->payload) + (uint64_t)i * size;

	return check_blocks(map, off, size) < 0 ? NULL : map->payload + off;
}

int cache_map_check_all(struct cache_map *map)
{
	return check_blocks(map, 0, map->dir.off);
}

char *cache_map_string(struct cache_map *map, uint32_t n, struct cache_reader *r)
{
	const char *item;
	uint64_t off;
	uint32_t len;

	if (n >= map->dir.strings || !(item = dir_item(map, map->dir.str_off, n, 8))) {
		r->bad = 1;
		return NULL;
	}
	off = cache_load64(item);
	if (check_blocks(map, off, 4) < 0) {
		r->bad = 1;
		return NULL;
	}
	len = cache_load32(map->payload + off);
	if (len == CACHE_NO_STRING || check_blocks(map, off, 4 + (uint64_t)len + 1) < 0 ||
	    map->payload[off + 4 + len] != '\0') {
		r->bad = 1;
		return NULL;
	}
	return (char *)map->payload + off + 4;
}

/* A reader of [off, end) of the payload, its blocks checked. */
static int map_reader(struct cache_map *map, struct cache_reader *r, uint64_t off, uint64_t end)
{
	memset(r, 0, sizeof(*r));
	if (end < off || check_blocks(map, off, end - off) < 0)
		return -1;
	r->base = map->payload;
	r->p = map->payload + off;
	r->end = map->payload + end;
	r->map = map;
	return 0;
}

static void open_lists(struct cache_map *map)
{
	const char *at = map->dir.lists_at;
	size_t i, n = (size_t)map->dir.lists;

	map->list_names = arena_alloc(map->arena, st_mult(n ? n : 1, sizeof(*map->list_names)));
	map->list_counts = arena_alloc(map->arena, st_mult(n ? n : 1, sizeof(*map->list_counts)));
	for (i = 0; i < n; i++)
		cache_dir_next_list(&at, &map->list_names[i], &map->list_counts[i]);
}

int cache_open(struct cache_map **out, struct cache_index *idx, struct arena *arena,
	       const char *path, struct strbuf *err)
{
	struct cache_map *map = NULL;
	struct cache_reader r;
	char *data = MAP_FAILED;
	size_t size = 0;
	int ret;

	*out = NULL;
	memset(idx, 0, sizeof(*idx));
	/* Not populated: few of its pages are read. */
	ret = cache_map_file(path, 0, &data, &size, err);
	if (ret)
		return ret;
	ret = -1;
	if (cache_check_header(data, size, err) < 0)
		goto out;
	CALLOC_ARRAY(map, 1);
	map->payload = data + CACHE_HEADER_LEN;
	map->len = size - CACHE_HEADER_LEN;
	map->arena = arena;
	if (cache_parse_directory(&map->dir, map->payload, map->len) < 0) {
		strbuf_addstr(err, "malformed contents");
		goto out;
	}
	if (cache_hash(map->payload + map->dir.off,
		       map->len - CACHE_TRAILER_LEN - (size_t)map->dir.off) != map->dir.hash) {
		strbuf_addstr(err, "checksum mismatch");
		goto out;
	}
	/* Read again as needed: most of it (the records not wanted) is not. */
	drop_pages(map->payload + map->dir.off, map->len - (size_t)map->dir.off);
	CALLOC_ARRAY(map->checked, map->dir.blocks ? map->dir.blocks : 1);
	/* What comes before the strings, then what comes after them. */
	if (map_reader(map, &r, 0, map->dir.strings_at) < 0 ||
	    cache_parse_prefix(idx, &r, err) < 0 || cache_get_u32(&r) != map->dir.strings ||
	    r.p != r.end)
		goto damaged;
	if (map_reader(map, &r, map->dir.epochs_off, map->dir.mails_off) < 0)
		goto damaged;
	cache_parse_epochs(idx, arena, &r);
	/* The mails' count, then the records. */
	if (r.bad || cache_get_u64(&r) != map->dir.mails || r.p != r.end)
		goto damaged;
	open_lists(map);
	idx->mails_nr = (size_t)map->dir.mails;
	idx->identity = cache_load64(data + 32);
	/* What cache_write_extended() copies. */
	idx->strings_nr = (size_t)map->dir.strings;
	idx->strings_at = map->dir.strings_at;
	idx->table_bytes = map->payload + map->dir.strings_at;
	idx->table_len = (size_t)(map->dir.epochs_off - map->dir.strings_at);
	idx->mails_at = map->dir.mails_off;
	idx->mail_bytes = map->payload + map->dir.mails_off;
	idx->mail_len = (size_t)(map->dir.mails_end - map->dir.mails_off);
	idx->str_offs = map->dir.str_off;
	idx->rec_offs = map->dir.rec_off;
	idx->dir = &map->dir;
	idx->map = map;
	arena_adopt_map(arena, data, size);
	data = MAP_FAILED;
	*out = map;
	map = NULL;
	ret = 0;
	goto out;
damaged:
	if (!err->len)
		strbuf_addstr(err, map->damaged ? "checksum mismatch" : "malformed contents");
out:
	if (data != MAP_FAILED)
		munmap(data, size);
	if (map)
		cache_map_close(map);
	if (ret)
		memset(idx, 0, sizeof(*idx));
	return ret;
}

void cache_map_drop_pages(struct cache_map *map)
{
	drop_pages(map->payload, map->len);
}

void cache_map_close(struct cache_map *map)
{
	if (!map)
		return;
	free(map->checked);
	free(map);
}

int cache_map_times(struct cache_map *map, size_t i, struct mail *out)
{
	const char *arrival = dir_item(map, map->dir.arrival, i, 8);
	const char *date = arrival ? dir_item(map, map->dir.date, i, 8) : NULL;
	const char *flags = date ? dir_item(map, map->dir.flags, i, 4) : NULL;

	if (!flags)
		return -1;
	out->arrival = (time_t)(int64_t)cache_load64(arrival);
	out->date = (time_t)(int64_t)cache_load64(date);
	out->flags = cache_load32(flags) & ~CACHE_REPEAT;
	return 0;
}

int cache_map_is_repeat(struct cache_map *map, size_t i)
{
	const char *flags = dir_item(map, map->dir.flags, i, 4);

	return flags ? !!(cache_load32(flags) & CACHE_REPEAT) : -1;
}

size_t cache_map_view(const struct cache_map *map)
{
	return (size_t)map->dir.view;
}

size_t cache_map_notices(const struct cache_map *map)
{
	return (size_t)map->dir.notices;
}

int cache_map_extends(const struct cache_map *map, uint64_t identity, size_t *view)
{
	uint64_t i;

	for (i = 0; i < map->dir.lineage; i++)
		if (cache_load64(map->dir.lineage_at + 16 * i) == identity) {
			*view = (size_t)cache_load64(map->dir.lineage_at + 16 * i + 8);
			return *view <= map->dir.view;
		}
	return 0;
}

size_t cache_map_lists(const struct cache_map *map, const char ***names, uint64_t **counts)
{
	*names = map->list_names;
	*counts = map->list_counts;
	return (size_t)map->dir.lists;
}

static const char *damage(struct cache_map *map, struct strbuf *err)
{
	strbuf_addstr(err, map->damaged ? "checksum mismatch" : "malformed contents");
	return NULL;
}

const char *cache_map_record_mid(struct cache_map *map, size_t rec)
{
	struct cache_reader r;
	uint64_t off;
	const char *mid;

	const char *item;

	if (rec >= map->dir.mails || !(item = dir_item(map, map->dir.rec_off, rec, 8)))
		return NULL;
	off = cache_load64(item);
	if (map_reader(map, &r, off, off + 4) < 0)
		return NULL;
	mid = cache_map_string(map, cache_get_u32(&r), &r);
	return r.bad ? NULL : mid;
}

/* Record rec's Message-ID, or NULL (err says why) when it cannot be read. */
static const char *record_mid(struct cache_map *map, size_t rec, struct strbuf *err)
{
	const char *mid = cache_map_record_mid(map, rec);

	return mid ? mid : damage(map, err);
}

int cache_map_find(struct cache_map *map, const char *mid, size_t *rec, struct strbuf *err)
{
	uint64_t mask = map->dir.slots - 1, k, probes;

	/* The writer leaves half the slots empty; a full table is no index of ours. */
	for (k = strhash(mid) & mask, probes = 0; probes < map->dir.slots;
	     k = (k + 1) & mask, probes++) {
		const char *item = dir_item(map, map->dir.mid_table, (size_t)k, 4);
		uint32_t slot;
		const char *have;

		if (!item) {
			damage(map, err);
			return -1;
		}
		slot = cache_load32(item);

		if (!slot)
			return 0;
		if (slot > map->dir.mails) {
			strbuf_addstr(err, "malformed contents");
			return -1;
		}
		have = record_mid(map, slot - 1, err);
		if (!have)
			return -1;
		if (!strcmp(have, mid)) {
			*rec = slot - 1;
			return 1;
		}
	}
	strbuf_addstr(err, "malformed contents");
	return -1;
}

int cache_map_mail(struct cache_map *map, struct arena *a, size_t rec, struct mail *m,
		   struct strbuf *err)
{
	struct cache_reader r;
	const char *item, *next;
	uint64_t off, end;

	if (rec >= map->dir.mails) {
		strbuf_addstr(err, "no such record");
		return -1;
	}
	item = dir_item(map, map->dir.rec_off, rec, 8);
	next = rec + 1 < map->dir.mails ? dir_item(map, map->dir.rec_off, rec + 1, 8) : NULL;
	if (!item || (rec + 1 < map->dir.mails && !next)) {
		damage(map, err);
		return -1;
	}
	off = cache_load64(item);
	end = next ? cache_load64(next) : map->dir.mails_end;
	if (map_reader(map, &r, off, end) < 0) {
		damage(map, err);
		return -1;
	}
	cache_read_mail(&r, a ? a : map->arena, m);
	if (r.bad || r.p != r.end) {
		damage(map, err);
		return -1;
	}
	return 0;
}
