#include "msgindex.h"
#include "mail.h"
#include "strbuf.h"
#include "strmap.h"
#include "subject.h"
#include "xalloc.h"

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

size_t msgindex_components(struct mail *const *mails, size_t nr, uint32_t *comp)
{
	struct strmap keys = STRMAP_INIT_DUP;
	struct uf u;
	struct timed *t;
	size_t i, k, t_nr = 0, n = 0;

	u.keys = keys;
	ALLOC_ARRAY(u.parent, nr ? nr : 1);
	ALLOC_ARRAY(t, nr ? nr : 1);
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

			join_key(&u, x, 'n', norm);
			free(norm);
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
	for (i = 0; i < nr; i++) {
		comp[i] = uf_find(&u, (uint32_t)i);
		n += comp[i] == i;
	}
	strmap_clear(&u.keys);
	free(u.parent);
	free(t);
	return n;
}

size_t msgindex_select(struct mail *const *mails, size_t nr, const uint32_t *comp,
		       time_t start, time_t end, uint32_t *sel)
{
	unsigned char *want = xcalloc(nr ? nr : 1, 1);
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		const struct mail *m = mails[i];
		time_t when = mail_period_time(m);

		if ((when >= start && when < end) ||
		    ((m->flags & MAIL_HAS_DATE) && m->date >= start && m->date < end))
			want[comp[i]] = 1;
	}
	for (i = 0; i < nr; i++)
		if (want[comp[i]])
			sel[n++] = (uint32_t)i;
	free(want);
	return n;
}
