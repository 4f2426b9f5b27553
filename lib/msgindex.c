#include "msgindex.h"
#include "cache.h"
#include "mail.h"
#include "strbuf.h"
#include "series.h"
#include "subject.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Messages are joined through keys (a Message-ID, a change-id, ...)
 * known by a 64-bit hash of their kind and text, not by the text: the
 * table then costs 12 bytes a key, and two keys of one hash, were they
 * ever to meet, would only join two components, which selects more
 * messages, never fewer (any union of components gives the same series).
 */
struct timed {
	time_t when;
	uint32_t i;
	unsigned version;
	uint64_t email;
};

/* A message's normalised title, and the part of it joined without titles. */
struct titled {
	uint64_t norm;
	uint32_t root;
	time_t lo;		/* the root's earliest mail_period_time() */
};

static void put_le(unsigned char *p, uint64_t v, unsigned bytes);
static uint64_t get_le(const unsigned char *p, unsigned bytes);

struct msgindex_builder {
	uint32_t *parent;
	time_t *when;
	size_t nr, added;
	uint64_t *key_hash;	/* 0: empty */
	uint32_t *key_msg;
	size_t key_size, keys;
	struct timed *t;
	size_t t_nr;
	struct titled *titled;
	size_t titled_nr;
	/* What each message added was joined by, when kept (msgindex_facts_write()). */
	struct strbuf *facts;
};

static uint32_t uf_find(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	/* The lower index stays the root: it names the component. */
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

static uint64_t key_of(char kind, const char *s)
{
	struct cache_hash h;
	uint64_t v;

	cache_hash_init(&h);
	cache_hash_update(&h, &kind, 1);
	cache_hash_update(&h, s, strlen(s));
	v = cache_hash_final(&h);
	return v ? v : 1;
}

static void keys_grow(struct msgindex_builder *b)
{
	uint64_t *hash = b->key_hash;
	uint32_t *msg = b->key_msg;
	size_t i, k, size = b->key_size, mask;

	b->key_size = size ? 2 * size : 1024;
	mask = b->key_size - 1;
	CALLOC_ARRAY(b->key_hash, b->key_size);
	ALLOC_ARRAY(b->key_msg, b->key_size);
	for (i = 0; i < size; i++) {
		if (!hash[i])
			continue;
		for (k = hash[i] & mask; b->key_hash[k]; k = (k + 1) & mask)
			;
		b->key_hash[k] = hash[i];
		b->key_msg[k] = msg[i];
	}
	free(hash);
	free(msg);
}

/* Join message i to every other message that has the key of hash h. */
static void join_hash(struct msgindex_builder *b, uint32_t i, uint64_t h)
{
	size_t k, mask;

	if (2 * (b->keys + 1) > b->key_size)
		keys_grow(b);
	mask = b->key_size - 1;
	for (k = h & mask; b->key_hash[k]; k = (k + 1) & mask)
		if (b->key_hash[k] == h) {
			uf_union(b->parent, i, b->key_msg[k]);
			return;
		}
	b->key_hash[k] = h;
	b->key_msg[k] = i;
	b->keys++;
}

static int cmp_timed(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->email != y->email)
		return x->email < y->email ? -1 : 1;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_titled(const void *a, const void *b)
{
	const struct titled *x = a, *y = b;

	if (x->norm != y->norm)
		return x->norm < y->norm ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

/*
 * Join, title by title, the parts whose times are within the reroll
 * window of one another.  Each revision lies in one part (its messages
 * are joined by their thread, or unthreaded by sender and version), and
 * its date is the mail_period_time() of one of them: two revisions whose
 * dates are within the window are then in parts whose [lo, hi] are, and
 * chain_by_title() never looks further back than the window.  Sorted by
 * lo, parts closer than the window to the running group's hi are its.
 */
static void join_titles(uint32_t *parent, struct titled *t, size_t nr, const time_t *hi)
{
	size_t i, start;
	time_t group_hi = 0;

	QSORT(t, nr, cmp_titled);
	for (i = 0, start = 0; i < nr; i++) {
		if (i > start && t[i].norm == t[start].norm &&
		    t[i].lo - group_hi <= (time_t)SERIES_REROLL_WINDOW) {
			uf_union(parent, t[start].root, t[i].root);
			if (hi[t[i].root] > group_hi)
				group_hi = hi[t[i].root];
			continue;
		}
		start = i;
		group_hi = hi[t[i].root];
	}
}

struct msgindex_builder *msgindex_builder_new(size_t nr)
{
	struct msgindex_builder *b = xcalloc(1, sizeof(*b));

	b->nr = nr;
	ALLOC_ARRAY(b->parent, nr ? nr : 1);
	ALLOC_ARRAY(b->when, nr ? nr : 1);
	ALLOC_ARRAY(b->t, nr ? nr : 1);
	ALLOC_ARRAY(b->titled, nr ? nr : 1);
	return b;
}

/*
 * What joins a message to others, as msgindex_builder_add() hashes it
 * from the mail: kept on disk per message (msgindex_facts_write()), so
 * that the components of an archive that grew are joined again from
 * these, without reading its old mail.
 */
struct facts {
	int64_t when;
	uint32_t version, posting;	/* posting: not a reply or forward */
	uint64_t email, title;		/* title 0: none */
	uint64_t *keys;
	size_t keys_nr, keys_alloc;
};

#define FACTS_FIXED (8 + 4 + 4 + 8 + 8 + 4)

static void add_facts(struct msgindex_builder *b, const struct facts *f)
{
	uint32_t x = (uint32_t)b->added;
	size_t k;

	if (b->added >= b->nr)
		die("BUG: more messages given to msgindex_builder_add() than announced");
	b->added++;
	b->parent[x] = x;
	b->when[x] = (time_t)f->when;
	for (k = 0; k < f->keys_nr; k++)
		join_hash(b, x, f->keys[k]);
	if (f->posting) {
		if (f->title) {
			b->titled[b->titled_nr].norm = f->title;
			b->titled[b->titled_nr++].root = x;
		}
		b->t[b->t_nr].when = b->when[x];
		b->t[b->t_nr].i = x;
		b->t[b->t_nr].version = f->version;
		b->t[b->t_nr].email = f->email;
		b->t_nr++;
	}
	if (b->facts) {
		uint32_t n = (uint32_t)f->keys_nr;

		strbuf_add(b->facts, &f->when, 8);
		strbuf_add(b->facts, &f->version, 4);
		strbuf_add(b->facts, &f->posting, 4);
		strbuf_add(b->facts, &f->email, 8);
		strbuf_add(b->facts, &f->title, 8);
		strbuf_add(b->facts, &n, 4);
		strbuf_add(b->facts, f->keys, 8 * f->keys_nr);
	}
}

static void key_fact(struct facts *f, char kind, const char *s)
{
	if (!s || !*s)
		return;
	ALLOC_GROW(f->keys, f->keys_nr + 1, f->keys_alloc);
	f->keys[f->keys_nr++] = key_of(kind, s);
}

void msgindex_builder_add(struct msgindex_builder *b, const struct mail *m)
{
	struct facts f;
	struct subject s;
	size_t k;

	memset(&f, 0, sizeof(f));
	f.when = (int64_t)mail_period_time(m);
	/* Threads: the message, what it answers and all it references. */
	key_fact(&f, 't', m->mid);
	key_fact(&f, 't', m->in_reply_to);
	for (k = 0; k < m->refs_nr; k++)
		key_fact(&f, 't', m->refs[k]);
	for (k = 0; k < m->links_nr; k++)
		key_fact(&f, 't', m->links[k]);
	key_fact(&f, 'c', m->change_id);
	subject_parse(&s, m->subject);
	if (!(s.flags & (SUBJECT_REPLY | SUBJECT_FORWARD))) {
		char *norm = subject_normalize(s.title);

		f.posting = 1;
		f.title = norm && *norm ? key_of('n', norm) : 0;
		free(norm);
		f.version = s.version;
		f.email = key_of('e', m->from_email ? m->from_email : "");
	}
	subject_release(&s);
	add_facts(b, &f);
	free(f.keys);
}

void msgindex_builder_keep_facts(struct msgindex_builder *b)
{
	if (!b->facts) {
		b->facts = xmalloc(sizeof(*b->facts));
		strbuf_init(b->facts, 0);
	}
}

/*
 * The facts file: a magic, the format version, the key (msgindex_key()
 * of the identity), the identity, the number of messages, the length
 * and checksum of what follows, then each message's facts.
 */
#define FACTS_MAGIC "BPFDFCT\n"
#define FACTS_VERSION 1
#define FACTS_HEADER (8 + 4 + 4 + 8 + 8 + 8 + 8 + 8)

int msgindex_facts_write(const char *path, const struct msgindex_builder *b, uint64_t identity)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char hdr[FACTS_HEADER];
	int ret = 0;

	if (!b->facts)
		die("BUG: msgindex_facts_write() of a builder that kept no facts");
	memcpy(hdr, FACTS_MAGIC, 8);
	put_le(hdr + 8, FACTS_VERSION, 4);
	put_le(hdr + 12, 0, 4);
	put_le(hdr + 16, msgindex_key(identity), 8);
	put_le(hdr + 24, identity, 8);
	put_le(hdr + 32, b->added, 8);
	put_le(hdr + 40, b->facts->len, 8);
	put_le(hdr + 48, cache_hash(b->facts->buf, b->facts->len), 8);
	strbuf_grow(&sb, FACTS_HEADER + b->facts->len);
	strbuf_add(&sb, hdr, FACTS_HEADER);
	strbuf_addbuf(&sb, b->facts);
	if (strbuf_write_file_atomic(&sb, path) < 0)
		ret = error_errno("cannot write '%s'", path);
	strbuf_release(&sb);
	return ret;
}

int msgindex_facts_peek(const char *path, uint64_t *identity, size_t *nr)
{
	unsigned char hdr[FACTS_HEADER];
	FILE *f = fopen(path, "rb");
	int ret = MSGINDEX_STALE;

	if (!f)
		return MSGINDEX_STALE;
	if (fread(hdr, 1, FACTS_HEADER, f) == FACTS_HEADER && !memcmp(hdr, FACTS_MAGIC, 8) &&
	    get_le(hdr + 8, 4) == FACTS_VERSION &&
	    get_le(hdr + 16, 8) == msgindex_key(get_le(hdr + 24, 8))) {
		*identity = get_le(hdr + 24, 8);
		*nr = (size_t)get_le(hdr + 32, 8);
		ret = 0;
	}
	fclose(f);
	return ret;
}

int msgindex_builder_resume(struct msgindex_builder *b, const char *path, uint64_t identity,
			    size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *hdr, *p, *end;
	struct facts f;
	size_t i;
	int ret = MSGINDEX_DAMAGED;

	memset(&f, 0, sizeof(f));
	if (b->added || nr > b->nr)
		die("BUG: msgindex_builder_resume() of a builder already given messages");
	if (strbuf_read_file(&sb, path) < 0) {
		ret = MSGINDEX_STALE;
		goto out;
	}
	hdr = (const unsigned char *)sb.buf;
	if (sb.len < FACTS_HEADER || memcmp(hdr, FACTS_MAGIC, 8))
		goto out;
	if (get_le(hdr + 8, 4) != FACTS_VERSION || get_le(hdr + 16, 8) != msgindex_key(identity) ||
	    get_le(hdr + 24, 8) != identity || get_le(hdr + 32, 8) != nr) {
		ret = MSGINDEX_STALE;
		goto out;
	}
	if (get_le(hdr + 40, 8) != sb.len - FACTS_HEADER ||
	    cache_hash(hdr + FACTS_HEADER, sb.len - FACTS_HEADER) != get_le(hdr + 48, 8))
		goto out;
	/* All of it checked before any is given: a builder given half is no use. */
	for (i = 0, p = hdr + FACTS_HEADER, end = hdr + sb.len; i < nr; i++) {
		uint32_t n;

		if ((size_t)(end - p) < FACTS_FIXED)
			goto out;
		memcpy(&n, p + FACTS_FIXED - 4, 4);
		if ((size_t)(end - p - FACTS_FIXED) / 8 < n)
			goto out;
		p += FACTS_FIXED + 8 * (size_t)n;
	}
	if (p != end)
		goto out;
	for (i = 0, p = hdr + FACTS_HEADER; i < nr; i++) {
		uint32_t n;

		memcpy(&f.when, p, 8);
		memcpy(&f.version, p + 8, 4);
		memcpy(&f.posting, p + 12, 4);
		memcpy(&f.email, p + 16, 8);
		memcpy(&f.title, p + 24, 8);
		memcpy(&n, p + 32, 4);
		ALLOC_GROW(f.keys, n, f.keys_alloc);
		memcpy(f.keys, p + FACTS_FIXED, 8 * (size_t)n);
		f.keys_nr = n;
		add_facts(b, &f);
		p += FACTS_FIXED + 8 * (size_t)n;
	}
	ret = 0;
out:
	free(f.keys);
	strbuf_release(&sb);
	return ret;
}

size_t msgindex_builder_finish(struct msgindex_builder *b, uint32_t *comp)
{
	time_t *lo, *hi;
	size_t i, k, n = 0;

	if (comp && b->added != b->nr)
		die("BUG: fewer messages given to msgindex_builder_add() than announced");
	/* Unthreaded postings grouped by sender and version, within the window. */
	QSORT(b->t, b->t_nr, cmp_timed);
	for (k = 1; k < b->t_nr; k++)
		if (b->t[k].version == b->t[k - 1].version && b->t[k].email == b->t[k - 1].email &&
		    b->t[k].when - b->t[k - 1].when <= MSGINDEX_UNTHREADED_WINDOW)
			uf_union(b->parent, b->t[k - 1].i, b->t[k].i);
	/* Each part's times, then the titles that join parts. */
	ALLOC_ARRAY(lo, b->added ? b->added : 1);
	ALLOC_ARRAY(hi, b->added ? b->added : 1);
	for (i = 0; i < b->added; i++) {
		uint32_t r = uf_find(b->parent, (uint32_t)i);

		/* The root is its part's first message: met before the others. */
		if (r == i || b->when[i] < lo[r])
			lo[r] = b->when[i];
		if (r == i || b->when[i] > hi[r])
			hi[r] = b->when[i];
	}
	for (i = 0; i < b->titled_nr; i++) {
		b->titled[i].root = uf_find(b->parent, b->titled[i].root);
		b->titled[i].lo = lo[b->titled[i].root];
	}
	join_titles(b->parent, b->titled, b->titled_nr, hi);
	for (i = 0; comp && i < b->added; i++) {
		comp[i] = uf_find(b->parent, (uint32_t)i);
		n += comp[i] == i;
	}
	free(lo);
	free(hi);
	free(b->parent);
	free(b->when);
	free(b->key_hash);
	free(b->key_msg);
	free(b->t);
	free(b->titled);
	if (b->facts)
		strbuf_release(b->facts);
	free(b->facts);
	free(b);
	return n;
}

size_t msgindex_components(struct mail *const *mails, size_t nr, uint32_t *comp)
{
	struct msgindex_builder *b = msgindex_builder_new(nr);
	size_t i;

	for (i = 0; i < nr; i++)
		msgindex_builder_add(b, mails[i]);
	return msgindex_builder_finish(b, comp);
}

void msgindex_mark_period(unsigned char *want, const uint32_t *comp, const time_t *when,
			  const time_t *date, size_t n, time_t start, time_t end)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((when[i] >= start && when[i] < end) || (date[i] >= start && date[i] < end))
			want[comp[i]] = 1;
}

size_t msgindex_select_marked(const unsigned char *want, const uint32_t *comp, size_t nr,
			      uint32_t *sel)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		if (want[comp[i]])
			sel[n++] = (uint32_t)i;
	return n;
}

size_t msgindex_select_messages(const uint32_t *comp, size_t nr, const uint32_t *which,
				size_t which_nr, uint32_t *sel)
{
	unsigned char *want = xcalloc(nr ? nr : 1, 1);
	size_t i, n = 0;

	for (i = 0; i < which_nr; i++)
		if (which[i] < nr)
			want[comp[which[i]]] = 1;
	n = msgindex_select_marked(want, comp, nr, sel);
	free(want);
	return n;
}

/* --- on disk ------------------------------------------------------------- */

uint64_t msgindex_key(uint64_t identity)
{
	struct cache_hash h;
	const char *build = cache_build_id();

	cache_hash_init(&h);
	cache_hash_update(&h, build, strlen(build) + 1);
	cache_hash_update(&h, &identity, sizeof(identity));
	return cache_hash_final(&h);
}

/*
 * The file: a magic, the format version, the key, the number of
 * messages, the checksum of the components, then the components, all
 * little-endian.
 */
#define COMP_MAGIC "BPFDCMP\n"
#define COMP_VERSION 1
#define COMP_HEADER (8 + 4 + 4 + 8 + 8 + 8)

static void put_le(unsigned char *p, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int msgindex_read(const char *path, uint64_t key, uint32_t *comp, size_t nr)
{
	unsigned char hdr[COMP_HEADER], *body = (unsigned char *)comp, extra;
	size_t i, len = nr * 4;
	FILE *f = fopen(path, "rb");
	int ret = MSGINDEX_DAMAGED;

	if (!f)
		return errno == ENOENT ? MSGINDEX_STALE : MSGINDEX_DAMAGED;
	if (fread(hdr, 1, COMP_HEADER, f) != COMP_HEADER || memcmp(hdr, COMP_MAGIC, 8))
		goto out;
	/* Another version, or another archive: not damaged, only of no use. */
	if (get_le(hdr + 8, 4) != COMP_VERSION || get_le(hdr + 16, 8) != key ||
	    get_le(hdr + 24, 8) != nr) {
		ret = MSGINDEX_STALE;
		goto out;
	}
	/* Read where they go, the bytes then turned into numbers in place. */
	if (fread(body, 1, len, f) != len || fread(&extra, 1, 1, f) != 0 ||
	    cache_hash(body, len) != get_le(hdr + 32, 8))
		goto out;
	for (i = 0; i < nr; i++)
		comp[i] = (uint32_t)get_le(body + 4 * i, 4);
	for (i = 0; i < nr; i++)
		/* A component is named by its first message: never a later one. */
		if (comp[i] > i || comp[comp[i]] != comp[i])
			goto out;
	ret = 0;
out:
	fclose(f);
	return ret;
}

int msgindex_write(const char *path, uint64_t key, const uint32_t *comp, size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char *buf;
	size_t i;
	int ret = 0;

	strbuf_grow(&sb, COMP_HEADER + nr * 4);
	buf = (unsigned char *)sb.buf;
	memcpy(buf, COMP_MAGIC, 8);
	put_le(buf + 8, COMP_VERSION, 4);
	put_le(buf + 12, 0, 4);
	put_le(buf + 16, key, 8);
	put_le(buf + 24, nr, 8);
	for (i = 0; i < nr; i++)
		put_le(buf + COMP_HEADER + 4 * i, comp[i], 4);
	put_le(buf + 32, cache_hash(buf + COMP_HEADER, nr * 4), 8);
	strbuf_setlen(&sb, COMP_HEADER + nr * 4);
	/* Written aside and renamed: a reader sees the old file or the new one. */
	if (strbuf_write_file_atomic(&sb, path) < 0)
		ret = error_errno("cannot write '%s'", path);
	strbuf_release(&sb);
	return ret;
}
