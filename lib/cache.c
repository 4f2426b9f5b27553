#include "cache.h"
#include "cache-internal.h"
#include "arena.h"
#include "mail.h"
#include "strbuf.h"
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
 * Every field of struct mail is either stored (cache-write.c put_mail(),
 * cache_read_mail() and cache_copy_mail() below) or is the body.  A new field changes the
 * size: store it, bump CACHE_VERSION, then update this number.
 */
_Static_assert(sizeof(struct mail) == 280 && sizeof(struct mail_trailer) == 24 &&
	       sizeof(struct mail_applied) == 16,
	       "struct mail changed: keep its new facts in lib/cache*.c and bump CACHE_VERSION");

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
	d->lineage = cache_get_u64(&r);
	d->lineage_at = get_array(&r, d->lineage, 16);
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
