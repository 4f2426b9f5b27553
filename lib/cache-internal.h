/*
 * cache-internal.h - the index file's layout, shared by the writer and
 * the whole-file reader (cache.c) and the mapped reader (cache-map.c).
 * Not for other modules: they see cache.h.
 *
 * The file is a header (magic, version, byte order, payload length,
 * payload checksum) and a payload:
 *
 *   build id, location, kind, extensions      strings and numbers
 *   strings        count, then each: u32 length, bytes, NUL
 *   epochs         count, then each: name, cursor, broken, names
 *   removals       count, then each: blob, epoch
 *   mails          count, then each record (cache.c put_mail())
 *   padding        to 8 bytes
 *   arrays         what a reader needs to read one record alone:
 *     u64 str_off[strings]      payload offset of each string's length
 *     u64 rec_off[mails]        payload offset of each record
 *     i64 arrival[mails], date[mails]
 *     u32 flags[mails]          mail flags, CACHE_REPEAT on a repeat
 *     u32 mid_hash[mails]       strhash() of each record's Message-ID
 *     (padding) u32 mid_table[slots]   record + 1 of each Message-ID's
 *         first mail, open addressing on strhash(); 0 is empty
 *   directory      its head:
 *     u64 strings, mails, strings_at (the first string), epochs_off,
 *         mails_off (the first record), mails_end,
 *         view (mails not repeating an earlier Message-ID), notices
 *         (of those, with pw-bot notices)
 *     u64 the offsets of the seven arrays above, and slots
 *     u64 lineage; each: u64 identity, view of an index this one extends
 *         (oldest first; none once written whole)
 *     u64 lists; each: u64 count, then the List-Id as a string (of the
 *         view's mails; strings padded to 8)
 *     u64 blocks; u64 checksum of each CACHE_BLOCK of the payload
 *         before the directory (the arrays included)
 *   trailer        u64 directory offset, u64 checksum of the directory
 *
 * The whole-file reader checks the header's checksum, which covers it
 * all.  The mapped reader checks the directory's checksum (a few bytes
 * per 64 KiB), then each block the first time it reads from it: a run
 * reading a few records pays for those, not for every record's arrays.
 */
#ifndef BPFDIGEST_CACHE_INTERNAL_H
#define BPFDIGEST_CACHE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"

struct arena;
struct cache_map;
struct mail;

/*
 * Bump CACHE_VERSION whenever the layout changes: older files are then
 * rebuilt instead of misread.
 */
#define CACHE_VERSION 6
#define CACHE_MAGIC "BPFDIGEST INDEX\n"
#define CACHE_MAGIC_LEN 16
#define CACHE_ENDIAN 0x01020304u
/* magic, version, byte order, payload length, payload hash */
#define CACHE_HEADER_LEN (CACHE_MAGIC_LEN + 4 + 4 + 8 + 8)
#define CACHE_TRAILER_LEN 16
#define CACHE_NO_STRING 0xffffffffu
#define CACHE_BLOCK ((size_t)64 << 10)
/* An index extended more often keeps only this many of its ancestors. */
#define CACHE_MAX_LINEAGE 64
/* In the directory's flags: a mail whose Message-ID an earlier one has. */
#define CACHE_REPEAT 0x80000000u

/* Reading a payload: p moves towards end; bad once anything was out of place. */
struct cache_reader {
	const char *base;	/* the payload: offsets count from here */
	const char *p, *end;
	int bad;
	char **strs;		/* the string table, by number (whole-file reads) */
	size_t strs_nr;
	struct cache_map *map;	/* or strings looked up in it (mapped reads) */
};

/*
 * Map the index file at path, privately (populated if asked): 0, 1 when
 * there is none, -1 with the reason in err.
 */
int cache_map_file(const char *path, int populate, char **data, size_t *size,
		   struct strbuf *err);
/* The header of a file of size bytes: magic, byte order, version, length. */
int cache_check_header(const char *buf, size_t size, struct strbuf *err);
uint32_t cache_get_u32(struct cache_reader *r);
uint64_t cache_get_u64(struct cache_reader *r);
char *cache_get_str(struct cache_reader *r);
/* build id, location, kind, extensions, into idx; -1 with err when unusable */
int cache_parse_prefix(struct cache_index *idx, struct cache_reader *r, struct strbuf *err);
/* The epochs and removals, into idx (allocated in a). */
void cache_parse_epochs(struct cache_index *idx, struct arena *a, struct cache_reader *r);
/* One record into *m (its lists allocated in a); m zeroed when r went bad. */
void cache_read_mail(struct cache_reader *r, struct arena *a, struct mail *m);
/*
 * The directory of a payload of len bytes, its arrays in place: checked
 * for size and shape, not for its checksum (hash).  Returns 0 or -1.
 */
struct cache_dir {
	uint64_t off, hash;	/* where it starts; its checksum, from the trailer */
	uint64_t strings, mails, strings_at, epochs_off, mails_off, mails_end, view, notices;
	uint64_t lineage;	/* indexes this one extends: identity, view, each */
	const char *lineage_at;
	uint64_t lists;
	const char *lists_at;	/* cache_dir_next_list() reads them */
	uint64_t blocks;
	const char *block_hash, *str_off, *rec_off, *arrival, *date, *flags, *mid_hash;
	uint64_t slots;
	const char *mid_table;
};

int cache_parse_directory(struct cache_dir *d, const char *payload, size_t len);
/*
 * The List-Id at *at (d->lists_at first: cache_parse_directory() checked
 * them all) and how many mails have it; moves *at to the next.
 */
void cache_dir_next_list(const char **at, const char **name, uint64_t *count);

/* Mapped reads resolve string n through the map (cache-map.c). */
char *cache_map_string(struct cache_map *map, uint32_t n, struct cache_reader *r);
/* Check every block of the map (before its bytes are copied): 0, or -1. */
int cache_map_check_all(struct cache_map *map);
/* Record rec's Message-ID, or NULL when the map turns out damaged. */
const char *cache_map_record_mid(struct cache_map *map, size_t rec);

static inline uint64_t cache_load64(const char *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline uint32_t cache_load32(const char *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

#endif
