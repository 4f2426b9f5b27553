#include "msgindex.h"
#include "cache.h"
#include "mail.h"
#include "strbuf.h"
#include "strmap.h"
#include "series.h"
#include "subject.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct uf {
	uint32_t *parent;
	struct strmap keys;	/* key -> first message index + 1 */
};

static uint32_t uf_find(struct uf *u, uint32_t i)
{
	while (u->parent[i] != i) {
		u->parent[i] = u->parent[u->parent[i]];
		i = u->parent[i];
	}
	return i;
}

static void uf_union(struct uf *u, uint32_t a, uint32_t b)
{
	a = uf_find(u, a);
	b = uf_find(u, b);
	/* The lower index stays the root: it names the component. */
	if (a < b)
		u->parent[b] = a;
	else if (b < a)
		u->parent[a] = b;
}

/* Join message i to every other message that has the key kind+s. */
static void join_key(struct uf *u, uint32_t i, char kind, const char *s)
{
	struct strbuf key = STRBUF_INIT;
	uintptr_t v;

	if (!s || !*s)
		return;
	strbuf_addch(&key, kind);
	strbuf_addstr(&key, s);
	v = (uintptr_t)strmap_get(&u->keys, key.buf);
	if (v)
		uf_union(u, i, (uint32_t)(v - 1));
	else
		strmap_put(&u->keys, key.buf, (void *)(uintptr_t)(i + 1));
	strbuf_release(&key);
}

struct timed {
	time_t when;
	uint32_t i;
	unsigned version;
	const char *email;
};

static int cmp_timed(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;
	int c = strcmp(x->email, y->email);

	if (c)
		return c;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* A message's normalised title, and the part of it joined without titles. */
struct titled {
	char *norm;
	uint32_t root;
	time_t lo;		/* the root's earliest mail_period_time() */
};

static int cmp_titled(const void *a, const void *b)
{
	const struct titled *x = a, *y = b;
	int c = strcmp(x->norm, y->norm);

	if (c)
		return c;
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
static void join_titles(struct uf *u, struct titled *t, size_t nr, const time_t *hi)
{
	size_t i, start;
	time_t group_hi = 0;

	QSORT(t, nr, cmp_titled);
	for (i = 0, start = 0; i < nr; i++) {
		if (i > start && !strcmp(t[i].norm, t[start].norm) &&
		    t[i].lo - group_hi <= (time_t)SERIES_REROLL_WINDOW) {
			uf_union(u, t[start].root, t[i].root);
			if (hi[t[i].root] > group_hi)
				group_hi = hi[t[i].root];
			continue;
		}
		start = i;
		group_hi = hi[t[i].root];
	}
}

size_t msgindex_components(struct mail *const *mails, size_t nr, uint32_t *comp)
{
	struct strmap keys = STRMAP_INIT_DUP;
	struct uf u;
	struct timed *t;
	struct titled *titled;
	time_t *lo, *hi;
	size_t i, k, t_nr = 0, titled_nr = 0, n = 0;

	u.keys = keys;
	ALLOC_ARRAY(u.parent, nr ? nr : 1);
	ALLOC_ARRAY(t, nr ? nr : 1);
	ALLOC_ARRAY(titled, nr ? nr : 1);
	for (i = 0; i < nr; i++)
		u.parent[i] = (uint32_t)i;
	for (i = 0; i < nr; i++) {
		const struct mail *m = mails[i];
		uint32_t x = (uint32_t)i;
		struct subject s;

		/* Threads: the message, what it answers and all it references. */
		join_key(&u, x, 't', m->mid);
		join_key(&u, x, 't', m->in_reply_to);
		for (k = 0; k < m->refs_nr; k++)
			join_key(&u, x, 't', m->refs[k]);
		for (k = 0; k < m->links_nr; k++)
			join_key(&u, x, 't', m->links[k]);
		join_key(&u, x, 'c', m->change_id);
		subject_parse(&s, m->subject);
		if (!(s.flags & (SUBJECT_REPLY | SUBJECT_FORWARD))) {
			char *norm = subject_normalize(s.title);

			if (norm && *norm) {
				titled[titled_nr].norm = norm;
				titled[titled_nr++].root = x;
			} else {
				free(norm);
			}
			t[t_nr].when = mail_period_time(m);
			t[t_nr].i = x;
			t[t_nr].version = s.version;
			t[t_nr].email = m->from_email ? m->from_email : "";
			t_nr++;
		}
		subject_release(&s);
	}
	/* Unthreaded postings grouped by sender and version, within the window. */
	qsort(t, t_nr, sizeof(*t), cmp_timed);
	for (k = 1; k < t_nr; k++)
		if (t[k].version == t[k - 1].version && !strcmp(t[k].email, t[k - 1].email) &&
		    t[k].when - t[k - 1].when <= MSGINDEX_UNTHREADED_WINDOW)
			uf_union(&u, t[k - 1].i, t[k].i);
	/* Each part's times, then the titles that join parts. */
	ALLOC_ARRAY(lo, nr ? nr : 1);
	ALLOC_ARRAY(hi, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		uint32_t r = uf_find(&u, (uint32_t)i);
		time_t when = mail_period_time(mails[i]);

		if (r == i || when < lo[r])
			lo[r] = when;
		if (r == i || when > hi[r])
			hi[r] = when;
	}
	for (i = 0; i < titled_nr; i++) {
		titled[i].root = uf_find(&u, titled[i].root);
		titled[i].lo = lo[titled[i].root];
	}
	join_titles(&u, titled, titled_nr, hi);
	for (i = 0; i < nr; i++) {
		comp[i] = uf_find(&u, (uint32_t)i);
		n += comp[i] == i;
	}
	for (i = 0; i < titled_nr; i++)
		free(titled[i].norm);
	free(titled);
	free(lo);
	free(hi);
	strmap_clear(&u.keys);
	free(u.parent);
	free(t);
	return n;
}

size_t msgindex_select(const time_t *when, const time_t *date, size_t nr, const uint32_t *comp,
		       time_t start, time_t end, uint32_t *sel)
{
	unsigned char *want = xcalloc(nr ? nr : 1, 1);
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		if ((when[i] >= start && when[i] < end) || (date[i] >= start && date[i] < end))
			want[comp[i]] = 1;
	for (i = 0; i < nr; i++)
		if (want[comp[i]])
			sel[n++] = (uint32_t)i;
	free(want);
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
	for (i = 0; i < nr; i++)
		if (want[comp[i]])
			sel[n++] = (uint32_t)i;
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
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *hdr, *body;
	size_t i, len = nr * 4;
	int ret = MSGINDEX_DAMAGED;

	if (strbuf_read_file(&sb, path) < 0) {
		ret = errno == ENOENT ? MSGINDEX_STALE : MSGINDEX_DAMAGED;
		goto out;
	}
	hdr = (const unsigned char *)sb.buf;
	body = hdr + COMP_HEADER;
	if (sb.len < COMP_HEADER || memcmp(hdr, COMP_MAGIC, 8))
		goto out;
	/* Another version, or another archive: not damaged, only of no use. */
	if (get_le(hdr + 8, 4) != COMP_VERSION || get_le(hdr + 16, 8) != key ||
	    get_le(hdr + 24, 8) != nr) {
		ret = MSGINDEX_STALE;
		goto out;
	}
	if (sb.len != COMP_HEADER + len || cache_hash(body, len) != get_le(hdr + 32, 8))
		goto out;
	for (i = 0; i < nr; i++) {
		comp[i] = (uint32_t)get_le(body + 4 * i, 4);
		/* A component is named by its first message: never a later one. */
		if (comp[i] > i || comp[comp[i]] != comp[i])
			goto out;
	}
	ret = 0;
out:
	strbuf_release(&sb);
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
