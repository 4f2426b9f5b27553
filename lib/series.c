#include "series-build.h"
#include "mail.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Patches sent without any threading belong together within this time. */
#define UNTHREADED_WINDOW (60 * 60)

/* Does s up to end have one of words[] as a whole word? */
static int has_word(const char *p, const char *end, const char *const *words, size_t nr)
{
	size_t i;

	while (p < end) {
		const char *w = p;

		while (p < end && isalnum((unsigned char)*p))
			p++;
		for (i = 0; i < nr; i++)
			if ((size_t)(p - w) == strlen(words[i]) && !strncasecmp(w, words[i], (size_t)(p - w)))
				return 1;
		while (p < end && !isalnum((unsigned char)*p))
			p++;
	}
	return 0;
}

int series_is_bot(const char *email)
{
	static const char *const exact[] = { "lkp@intel.com" };
	/* Words of the local part that only robots use ("patchwork-bot+netdevbpf"). */
	static const char *const words[] = { "bot", "syzbot", "robot", "noreply", "ci" };
	const char *at = strchr(email, '@');
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcasecmp(email, exact[i]))
			return 1;
	return has_word(email, at ? at : email + strlen(email), words, ARRAY_SIZE(words));
}

int series_mail_is_bot(const struct mail *m)
{
	/* "kernel test robot <oliver.sang@intel.com>" writes from a person's address. */
	static const char *const words[] = { "bot", "robot", "syzbot" };

	return series_is_bot(m->from_email) ||
	       has_word(m->from_name, m->from_name + strlen(m->from_name), words, ARRAY_SIZE(words));
}

struct series_revision *series_latest(const struct series *s)
{
	return s->revisions_nr ? s->revisions[s->revisions_nr - 1] : NULL;
}

/* Patches only: an unnumbered single patch is at position 0 too. */
/*
 * The first patch at position: patches are kept in position order, so a
 * binary search (a series of thousands of patches is looked up once per
 * patch while it is assembled).
 */
struct series_patch *series_patch_at(const struct series_revision *rev, unsigned position)
{
	size_t lo = 0, hi = rev->patches_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rev->patches[mid]->subject.position < position)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rev->patches_nr && rev->patches[lo]->subject.position == position ?
	       rev->patches[lo] : NULL;
}

struct series_patch *revision_patch(const struct series_revision *rev, unsigned position)
{
	struct series_patch *p = series_patch_at(rev, position);

	return p || position ? p : rev->cover;
}

struct series_patch *series_current_patch(const struct series *s, unsigned position)
{
	size_t i = s->revisions_nr;

	while (i-- > 0) {
		struct series_revision *rev = s->revisions[i];
		struct series_patch *p = revision_patch(rev, position);

		if (p || !(rev->flags & REVISION_PARTIAL))
			return p;
	}
	return NULL;
}

struct series_patch *series_find(const struct series_set *set, const char *mid)
{
	struct series_patch *p = strmap_get(&set->by_mid, mid);

	return p ? p : strmap_get(&set->reply_to, mid);
}

const char *series_status_name(enum series_status status)
{
	return status == SERIES_SUPERSEDED ? "superseded" : "posted";
}

enum series_status revision_status(const struct series_revision *rev)
{
	return rev->flags & REVISION_SUPERSEDED ? SERIES_SUPERSEDED : SERIES_POSTED;
}

enum series_status patch_status(const struct series_patch *p)
{
	if (p->superseded_by || revision_status(p->revision) == SERIES_SUPERSEDED)
		return SERIES_SUPERSEDED;
	return SERIES_POSTED;
}

static time_t posted_at(const struct mail *m)
{
	return mail_period_time(m);
}

/* The words of a name, lowercased and sorted: "Roy, Patrick" is "patrick roy". */
static size_t name_words(const char *name, char words[][32], size_t max)
{
	size_t n = 0, i, j;

	while (*name && n < max) {
		size_t len = 0;

		while (*name && !isalnum((unsigned char)*name) && !(*name & 0x80))
			name++;
		while (*name && (isalnum((unsigned char)*name) || (*name & 0x80))) {
			if (len < 31)
				words[n][len++] = (char)tolower((unsigned char)*name);
			name++;
		}
		if (!len)
			break;
		words[n][len] = '\0';
		/* Insertion sort: names have a handful of words. */
		for (i = n++; i > 0 && strcmp(words[i - 1], words[i]) > 0; i--)
			for (j = 0; j < 32; j++) {
				char t = words[i][j];

				words[i][j] = words[i - 1][j];
				words[i - 1][j] = t;
			}
	}
	return n;
}

/*
 * The same sender: the same address, or the same name written in any
 * order ("Roy, Patrick" sends from work what Patrick Roy sent from home),
 * or, without a name to compare, the same mailbox at another domain.
 */
int series_same_person(const struct mail *a, const struct mail *b)
{
	char wa[8][32], wb[8][32];
	size_t na, nb, i;
	const char *at;

	if (*a->from_email && !strcasecmp(a->from_email, b->from_email))
		return 1;
	if (!*a->from_name || !*b->from_name) {
		at = strchr(a->from_email, '@');
		return at && at > a->from_email &&
		       !strncasecmp(a->from_email, b->from_email, (size_t)(at - a->from_email) + 1);
	}
	if (!strcasecmp(a->from_name, b->from_name))
		return 1;
	na = name_words(a->from_name, wa, 8);
	nb = name_words(b->from_name, wb, 8);
	if (na < 2 || na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(wa[i], wb[i]))
			return 0;
	return 1;
}

const char *series_revision_title(const struct series_revision *rev)
{
	if (rev->cover)
		return rev->cover->subject.title;
	return rev->patches_nr ? rev->patches[0]->subject.title : rev->series->title;
}

/* Threads: the parent of each message, with reference loops cut. */
static void link_parents(struct builder *b)
{
	unsigned char *state = xcalloc(b->nr ? b->nr : 1, 1);
	size_t i, k;

	for (i = 0; i < b->nr; i++) {
		const struct mail *m = b->nodes[i].mail;
		int p = -1;

		if (m->in_reply_to && strcmp(m->in_reply_to, m->mid))
			p = node_of(b, m->in_reply_to);
		/* A missing parent: the nearest ancestor the archive has. */
		for (k = m->refs_nr; p < 0 && k > 0; k--)
			if (strcmp(m->refs[k - 1], m->mid))
				p = node_of(b, m->refs[k - 1]);
		b->nodes[i].parent = p;
		b->nodes[i].answers = -2;
	}
	/* 0: not seen, 1: on the current walk, 2: done. */
	for (i = 0; i < b->nr; i++) {
		int j = (int)i, prev = -1;

		while (j >= 0 && !state[j]) {
			state[j] = 1;
			prev = j;
			j = b->nodes[j].parent;
		}
		if (j >= 0 && state[j] == 1) {
			b->nodes[prev].parent = -1;
			b->set->cycles++;
		}
		for (j = (int)i; j >= 0 && state[j] == 1; j = b->nodes[j].parent)
			state[j] = 2;
	}
	free(state);
}

static int is_posting(const struct builder *b, const struct node *n, const struct subject *s)
{
	const struct mail *m = n->mail;

	if (s->flags & (SUBJECT_REPLY | SUBJECT_FORWARD))
		return 0;
	if ((m->flags & (MAIL_HAS_DIFF | MAIL_PULL_REQUEST)) || (s->flags & SUBJECT_PULL))
		return 1;
	if (subject_is_cover(s))
		return 1;
	if (!(s->flags & SUBJECT_PATCH))
		return 0;
	/*
	 * A "[PATCH]" subject without a diff: a reply whose "Re:" was lost
	 * when someone else answers a message; a patch we could not read
	 * (or a text-only RFC) otherwise.
	 */
	return n->parent < 0 || series_same_person(b->nodes[n->parent].mail, m);
}

/* "[PATCHSET v10 sched_ext/for-6.19] ...": tj's cover, numbered or not. */
static int is_patchset(const struct subject *s)
{
	const char *p = s->prefix;

	for (; p && (p = strcasestr(p, "patchset")); p += 8)
		if ((p == s->prefix || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[8]))
			return 1;
	return 0;
}

/*
 * A PATCHSET without "0/n" is still the cover of the numbered patches
 * its author sent in reply to it: it takes their size, so that they join
 * its revision and inherit its version, tree and title.
 */
static void adopt_patchset_covers(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		struct node *n = &b->nodes[i];
		struct series_patch *c;

		if (!n->posting || !n->posting->subject.position || n->parent < 0)
			continue;
		c = b->nodes[n->parent].posting;
		if (!c || c->subject.total || c->subject.position || !is_patchset(&c->subject) ||
		    !series_same_person(c->mail, n->mail))
			continue;
		c->subject.total = n->posting->subject.total;
	}
}

static void classify(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		struct node *n = &b->nodes[i];
		struct subject s;

		subject_parse(&s, n->mail->subject);
		n->reply = !!(s.flags & (SUBJECT_REPLY | SUBJECT_FORWARD));
		if (!is_posting(b, n, &s)) {
			subject_release(&s);
			continue;
		}
		n->posting = xcalloc(1, sizeof(*n->posting));
		n->posting->mail = n->mail;
		n->posting->subject = s;
	}
	adopt_patchset_covers(b);
}

static struct revision *new_revision(struct builder *b, const struct series_patch *first)
{
	struct revision *r = xcalloc(1, sizeof(*r));

	r->rev.version = first->subject.version;
	r->numbered = first->subject.total;
	r->rev.total = r->numbered ? r->numbered : 1;
	r->rev.date = posted_at(first->mail);
	r->last = r->rev.date;
	if (first->subject.flags & SUBJECT_VERSIONED)
		r->rev.flags |= REVISION_VERSIONED;
	r->index = b->revs_nr;
	ALLOC_GROW(b->revs, b->revs_nr + 1, b->revs_alloc);
	b->revs[b->revs_nr++] = r;
	return r;
}

static void add_member(struct builder *b, struct revision *r, struct series_patch *p)
{
	struct series_revision *rev = &r->rev;
	time_t when = posted_at(p->mail);
	struct strbuf key = STRBUF_INIT;

	p->revision = rev;
	strmap_put(&b->set->by_mid, p->mail->mid, p);
	if (when < rev->date)
		rev->date = when;
	if (when > r->last)
		r->last = when;
	if (!rev->tree && p->subject.tree)
		rev->tree = xstrdup(p->subject.tree);
	if (p->subject.flags & SUBJECT_RFC)
		rev->flags |= REVISION_RFC;
	if (p->subject.flags & SUBJECT_RESEND)
		rev->flags |= REVISION_RESEND;
	if ((p->subject.flags & SUBJECT_PULL) || (p->mail->flags & MAIL_PULL_REQUEST))
		rev->flags |= REVISION_PULL;
	if (subject_is_cover(&p->subject)) {
		rev->cover = p;
		return;
	}
	ALLOC_GROW(rev->patches, rev->patches_nr + 1, rev->patches_alloc);
	if (rev->patches_nr &&
	    rev->patches[rev->patches_nr - 1]->subject.position > p->subject.position)
		r->unsorted = 1;
	if (!r->lowest || p->subject.position < r->lowest->subject.position)
		r->lowest = p;
	rev->patches[rev->patches_nr++] = p;
	strbuf_addf(&key, "%p %u", (void *)r, p->subject.position);
	if (!strmap_get(&b->positions, key.buf))
		strmap_put(&b->positions, key.buf, p);
	strbuf_release(&key);
}

/* The patch (or, for position 0, the cover) of a revision being placed. */
static struct series_patch *placed_patch(struct builder *b, const struct revision *r,
					 unsigned position)
{
	struct strbuf key = STRBUF_INIT;
	struct series_patch *p;

	strbuf_addf(&key, "%p %u", (const void *)r, position);
	p = strmap_get(&b->positions, key.buf);
	strbuf_release(&key);
	return p || position ? p : r->rev.cover;
}

struct numbered_patch {
	struct series_patch *p;
	size_t order;
};

static int cmp_numbered_patch(const void *a, const void *b)
{
	const struct numbered_patch *x = a, *y = b;

	if (x->p->subject.position != y->p->subject.position)
		return x->p->subject.position < y->p->subject.position ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* Every revision's patches in position order, those of a position in the order placed. */
static void sort_patches(struct builder *b)
{
	size_t i, k;

	for (i = 0; i < b->revs_nr; i++) {
		struct series_revision *rev = &b->revs[i]->rev;
		struct numbered_patch *v;

		if (!b->revs[i]->unsorted)
			continue;
		ALLOC_ARRAY(v, rev->patches_nr);
		for (k = 0; k < rev->patches_nr; k++) {
			v[k].p = rev->patches[k];
			v[k].order = k;
		}
		QSORT(v, rev->patches_nr, cmp_numbered_patch);
		for (k = 0; k < rev->patches_nr; k++)
			rev->patches[k] = v[k].p;
		free(v);
		b->revs[i]->unsorted = 0;
	}
	strmap_clear(&b->positions);
}

/* May p join revision r?  via is the posting p answers in r, or NULL. */
static int joinable(struct builder *b, const struct revision *r, const struct series_patch *p,
		    const struct series_patch *via)
{
	const struct subject *s = &p->subject;
	const struct series_revision *rev = &r->rev;

	if (!series_same_person(revision_author(rev), p->mail) || !s->total || !r->numbered)
		return 0;
	/*
	 * The size must agree, except that a cover still alone takes the
	 * patches that answer it whatever its "0/n" said.
	 */
	if (s->total != r->numbered &&
	    (!via || via != rev->cover || rev->patches_nr || subject_is_cover(s)))
		return 0;
	if (s->flags & SUBJECT_VERSIONED && s->version != rev->version) {
		/* Only a cover may give the version to patches that did not say it. */
		if ((rev->flags & REVISION_VERSIONED) || !subject_is_cover(s))
			return 0;
	}
	if (placed_patch(b, r, s->position))
		return 0;
	/* A patch answering a later one of its revision is a resend of it. */
	if (via && via->subject.position && s->position <= via->subject.position)
		return 0;
	return 1;
}

static void join(struct builder *b, struct revision *r, struct series_patch *p)
{
	if ((p->subject.flags & SUBJECT_VERSIONED) && !(r->rev.flags & REVISION_VERSIONED)) {
		r->rev.version = p->subject.version;
		r->rev.flags |= REVISION_VERSIONED;
	}
	if (p->subject.total != r->numbered) {
		r->numbered = p->subject.total;
		r->rev.total = p->subject.total;
	}
	add_member(b, r, p);
}

/*
 * Put one posting into a revision: the one of the posting it answers,
 * else one grouped by what it answers (a missing message, a non-patch
 * message, a patch of another revision) or, unthreaded, by time.
 *
 * Some mail servers replace the Message-ID of what they send: then the
 * cover stands alone and its patches answer an id the archive does not
 * have.  Such patches join the sender's last lone cover of the same
 * version, when it came just before.
 */
static void place(struct builder *b, int i)
{
	struct node *n = &b->nodes[i];
	struct series_patch *p = n->posting;
	const struct mail *m = n->mail;
	struct strbuf key = STRBUF_INIT, lone = STRBUF_INIT;
	struct revision *r;
	int unthreaded = 0, missing = 0;

	if (n->parent >= 0 && b->nodes[n->parent].posting) {
		struct series_patch *q = b->nodes[n->parent].posting;

		if (joinable(b, revision_of(q), p, q)) {
			join(b, revision_of(q), p);
			return;
		}
		strbuf_addf(&key, "r%zu", revision_of(q)->index);
	} else if (n->parent >= 0) {
		strbuf_addf(&key, "m%s", b->nodes[n->parent].mail->mid);
	} else if (m->refs_nr || m->in_reply_to) {
		strbuf_addf(&key, "m%s", m->refs_nr ? m->refs[0] : m->in_reply_to);
		missing = 1;
	} else {
		strbuf_addch(&key, 'u');
		unthreaded = 1;
	}
	strbuf_addf(&key, "\n%s\n%s\n%u\n%u", m->from_email, m->from_name, p->subject.version,
		    p->subject.total);
	strbuf_addf(&lone, "c\n%s\n%u", m->from_email, p->subject.version);
	r = strmap_get(&b->groups, key.buf);
	if (r && joinable(b, r, p, NULL) &&
	    (!unthreaded || posted_at(m) - r->last <= UNTHREADED_WINDOW)) {
		join(b, r, p);
	} else if (!r && missing && (r = strmap_get(&b->groups, lone.buf)) &&
		   !r->rev.patches_nr && posted_at(m) - r->last <= UNTHREADED_WINDOW &&
		   joinable(b, r, p, r->rev.cover)) {
		join(b, r, p);
		strmap_put(&b->groups, key.buf, r);
	} else {
		r = new_revision(b, p);
		add_member(b, r, p);
		strmap_put(&b->groups, key.buf, r);
		if (unthreaded && subject_is_cover(&p->subject))
			strmap_put(&b->groups, lone.buf, r);
	}
	strbuf_release(&key);
	strbuf_release(&lone);
}

static int cmp_node_time(const void *a, const void *b, void *data)
{
	const struct node *nodes = data;
	int x = *(const int *)a, y = *(const int *)b;
	time_t tx = posted_at(nodes[x].mail), ty = posted_at(nodes[y].mail);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void place_postings(struct builder *b)
{
	int *order, *stack;
	size_t nr = 0, i;

	ALLOC_ARRAY(order, b->nr ? b->nr : 1);
	ALLOC_ARRAY(stack, b->nr ? b->nr : 1);
	for (i = 0; i < b->nr; i++)
		if (b->nodes[i].posting)
			order[nr++] = (int)i;
	/* Sent order; a posting's parent posting goes first even when dated later. */
	qsort_r(order, nr, sizeof(*order), cmp_node_time, b->nodes);
	for (i = 0; i < nr; i++) {
		size_t depth = 0;
		int j = order[i];

		while (j >= 0 && b->nodes[j].posting && !b->nodes[j].posting->revision) {
			stack[depth++] = j;
			j = b->nodes[j].parent;
		}
		while (depth > 0)
			place(b, stack[--depth]);
	}
	free(order);
	free(stack);
	sort_patches(b);
}

/*
 * A revision without a 0/n cover may still have one: the thread root its
 * first patch answers, when that root is no reply, carries no diff, and
 * has a diffstat or comes from the patch's author (b4 "naked" covers).
 * Someone else's bug report that a fix answers is not one.
 */
static void find_naked_covers(struct builder *b)
{
	size_t i, k;

	for (i = 0; i < b->revs_nr; i++) {
		struct series_revision *rev = &b->revs[i]->rev;
		struct series_patch *first, *c;
		struct node *f;
		int fi;

		if (rev->cover || !rev->patches_nr)
			continue;
		first = rev->patches[0];
		fi = b->nodes[node_of(b, first->mail->mid)].parent;
		if (fi < 0)
			continue;
		f = &b->nodes[fi];
		if (f->posting || f->reply || f->parent >= 0 || (f->mail->flags & MAIL_HAS_DIFF) ||
		    (!(f->mail->flags & MAIL_HAS_DIFFSTAT) && !series_same_person(f->mail, first->mail)))
			continue;
		for (k = 1; k < rev->patches_nr; k++) {
			int pk = b->nodes[node_of(b, rev->patches[k]->mail->mid)].parent;

			if (pk != fi && (pk < 0 || !b->nodes[pk].posting ||
					 b->nodes[pk].posting->revision != rev))
				break;
		}
		if (k < rev->patches_nr)
			continue;
		c = xcalloc(1, sizeof(*c));
		c->mail = f->mail;
		subject_parse(&c->subject, f->mail->subject);
		f->posting = c;
		c->revision = rev;
		rev->cover = c;
		strmap_put(&b->set->by_mid, c->mail->mid, c);
		if (posted_at(c->mail) < rev->date)
			rev->date = posted_at(c->mail);
	}
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;

	return series_cmp_revision_date(&x->revisions[0], &y->revisions[0]);
}

int series_build(struct series_set *set, struct mail **mails, size_t nr)
{
	struct builder b;
	size_t i;
	struct strmap dup = STRMAP_INIT_DUP;

	memset(&b, 0, sizeof(b));
	b.groups = dup;
	b.reviews = dup;
	b.positions = dup;
	b.set = set;
	b.nr = nr;
	CALLOC_ARRAY(b.nodes, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		b.nodes[i].mail = mails[i];
		strmap_put(&b.index, mails[i]->mid, (void *)(uintptr_t)(i + 1));
	}
	link_parents(&b);
	classify(&b);
	place_postings(&b);
	find_naked_covers(&b);
	series_chain_revisions(&b);
	series_from_revisions(&b);
	series_attach_followups(&b);
	for (i = 0; i < b.revs_nr; i++) {
		struct revision *r = b.revs[i];
		size_t k;

		r->rev.participants = series_count_participants(&r->rev);
		for (k = 0; k < r->rev.patches_nr; k++)
			free(r->patch_norms[k]);
		FREE_AND_NULL(r->patch_norms);
		FREE_AND_NULL(r->norm);
		FREE_AND_NULL(r->stable);
	}
	series_collect_applied(&b);
	QSORT(set->series, set->nr, cmp_series);

	strmap_clear(&b.index);
	strmap_clear(&b.groups);
	strmap_clear(&b.reviews);
	strmap_clear(&b.positions);
	free(b.revs);
	free(b.nodes);
	return 0;
}

static void release_patch(struct series_patch *p)
{
	size_t i;

	if (!p)
		return;
	subject_release(&p->subject);
	free(p->replies);
	for (i = 0; i < p->reviews_nr; i++) {
		free(p->reviews[i].trailer);
		free(p->reviews[i].name);
		free(p->reviews[i].email);
	}
	free(p->reviews);
	free(p);
}

void series_set_release(struct series_set *set)
{
	size_t i, j, k;

	for (i = 0; i < set->nr; i++) {
		struct series *s = set->series[i];

		for (j = 0; j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];

			release_patch(rev->cover);
			for (k = 0; k < rev->patches_nr; k++)
				release_patch(rev->patches[k]);
			free(rev->patches);
			free(rev->tree);
			/* The start of a struct revision (see above). */
			free(rev);
		}
		free(s->revisions);
		free(s->title);
		free(s->author_name);
		free(s->author_email);
		free(s);
	}
	for (i = 0; i < set->applied_nr; i++) {
		free(set->applied[i].tree);
		free(set->applied[i].branch);
		free(set->applied[i].commit);
	}
	free(set->applied);
	free(set->series);
	strmap_clear(&set->by_mid);
	strmap_clear(&set->reply_to);
	memset(set, 0, sizeof(*set));
}

int series_revision_is_work(const struct series_revision *rev)
{
	size_t i;

	if (rev->flags & REVISION_PULL)
		return 1;
	for (i = 0; i <= rev->patches_nr; i++) {
		const struct series_patch *p = i ? rev->patches[i - 1] : rev->cover;

		if (p && (p->subject.flags & (SUBJECT_PATCH | SUBJECT_RFC | SUBJECT_PULL)))
			return 1;
	}
	return 0;
}
