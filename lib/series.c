#include "series.h"
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
/* A reroll with a higher version is looked for this far back... */
#define REROLL_WINDOW (365 * 24 * 60 * 60)
/* ... and one without a new version (a resend, an unlabelled v2) this far. */
#define RESEND_WINDOW (30 * 24 * 60 * 60)
/* Choosing between chains: a different size counts as this much more time. */
#define SIZE_PENALTY (7 * 24 * 60 * 60)
/*
 * Earlier revisions of one title (or patch title) a revision is compared
 * with: the newest ones.  Real rerolls of a title stay far below.
 */
#define TITLE_CANDIDATES 64
#define TREE_PENALTY (3 * 24 * 60 * 60)

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
static struct series_patch *patch_at(const struct series_revision *rev, unsigned position)
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
	struct series_patch *p = patch_at(rev, position);

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

/*
 * The build.  Every message is a node; postings (patches, covers, pull
 * requests) get a series_patch, revisions a struct revision whose first
 * member is the public struct series_revision (so that freeing the one
 * frees the other).
 */
struct revision {
	struct series_revision rev;	/* must stay first */
	size_t index;			/* in builder.revs, then by date */
	size_t chain;			/* union-find parent (an index) */
	time_t last;			/* newest message */
	unsigned numbered;		/* the "n" of k/n; 0 for a single unnumbered patch */
	int has_pred;			/* chained to an older revision */
	unsigned seen_version;		/* newest version of the chain seen so far */
	char *norm;			/* normalised title */
	char **patch_norms;		/* ... and those of its patches */
	char *stable;			/* "6.6.y", "AUTOSEL 6.13", ...; NULL for none */
	/*
	 * While postings are placed, patches are appended as they come and
	 * put in position order once all are placed (sort_patches()): a
	 * sorted insert costs the square of a series sent in reverse.
	 */
	struct series_patch *lowest;	/* the first patch of the lowest position */
	int unsorted;			/* patches are not in position order */
};

struct node {
	struct mail *mail;
	struct series_patch *posting;
	int parent;		/* the message it answers, or -1 */
	int answers;		/* the nearest posting above it, -1 none, -2 not yet known */
	unsigned reply : 1;	/* "Re:" or "Fwd:" subject */
};

struct builder {
	struct series_set *set;
	struct node *nodes;
	size_t nr;
	struct strmap index;		/* Message-ID -> node index + 1 */
	struct revision **revs;
	size_t revs_nr, revs_alloc;
	struct strmap groups;		/* key -> revision still taking patches */
	/*
	 * Reviews given, to find repeats in constant time: a thread of
	 * thousands of acks must not cost their square.
	 */
	struct strmap reviews;		/* "<patch>\n<trailer>\n<email>\n<name>", lowercased */
	struct strmap positions;	/* "<revision> <position>" -> its first patch, while placing */
};

static int node_of(const struct builder *b, const char *mid)
{
	uintptr_t v = mid ? (uintptr_t)strmap_get(&b->index, mid) : 0;

	return v ? (int)(v - 1) : -1;
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
static int same_person(const struct mail *a, const struct mail *b)
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

static struct revision *revision_of(const struct series_patch *p)
{
	return (struct revision *)p->revision;
}

/* The first member: the cover, else the lowest patch. */
static struct series_patch *first_member(const struct series_revision *rev)
{
	return rev->cover ? rev->cover : ((const struct revision *)rev)->lowest;
}

static const struct mail *revision_author(const struct series_revision *rev)
{
	return first_member(rev)->mail;
}

static const char *revision_title(const struct series_revision *rev)
{
	return first_member(rev)->subject.title;
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
	return n->parent < 0 || same_person(b->nodes[n->parent].mail, m);
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
		    !same_person(c->mail, n->mail))
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

	if (!same_person(revision_author(rev), p->mail) || !s->total || !r->numbered)
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
		    (!(f->mail->flags & MAIL_HAS_DIFFSTAT) && !same_person(f->mail, first->mail)))
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

/* Union-find over revisions, by index. */
static size_t chain_root(struct builder *b, size_t i)
{
	while (b->revs[i]->chain != i) {
		b->revs[i]->chain = b->revs[b->revs[i]->chain]->chain;
		i = b->revs[i]->chain;
	}
	return i;
}

/* A version token of a prefix: "6.6", "v6.1", "5.15" (length, or 0). */
static size_t version_token(const char *p, size_t len)
{
	size_t i = 0, dots = 0;

	if (i < len && (p[i] == 'v' || p[i] == 'V'))
		i++;
	if (i >= len || !isdigit((unsigned char)p[i]))
		return 0;
	for (; i < len && (isdigit((unsigned char)p[i]) ||
			   (p[i] == '.' && i + 1 < len && isdigit((unsigned char)p[i + 1]))); i++)
		dots += p[i] == '.';
	return dots ? i : 0;
}

/*
 * The stable branch a posting is for, from its bracket prefix: "6.6.y"
 * of "[PATCH 00/15 v6.6.y]", "AUTOSEL 6.13" of "[PATCH AUTOSEL 6.13
 * 01/31]", "5.15-stable"; NULL for none.  Part of a series' identity, as
 * the tree is: the same backport to two branches is two pieces of work.
 */
static char *stable_branch(const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = prefix, *version = NULL;
	size_t version_len = 0;
	int stable = 0, autosel = 0;

	while (p && *p) {
		size_t len, v;

		p += strspn(p, " ,[]:");
		len = strcspn(p, " ,[]:");
		if (!len)
			break;
		v = version_token(p, len);
		if (v && (!strncasecmp(p + v, ".y", 2) || !strncasecmp(p + v, ".x", 2) ||
			  !strncasecmp(p + v, "-stable", 7) || !strncasecmp(p + v, "-y", 2))) {
			strbuf_add(&sb, p + (isdigit((unsigned char)*p) ? 0 : 1),
				   v - (isdigit((unsigned char)*p) ? 0 : 1));
			strbuf_addstr(&sb, "-stable");
			return strbuf_detach(&sb, NULL);
		}
		if (v == len && !version) {
			version = p;
			version_len = len;
		}
		if (len == 7 && !strncasecmp(p, "AUTOSEL", 7))
			autosel = 1;
		if (len == 6 && !strncasecmp(p, "stable", 6))
			stable = 1;
		p += len;
	}
	if (!autosel && !stable)
		return NULL;
	strbuf_addstr(&sb, autosel ? "AUTOSEL" : "stable");
	if (version)
		strbuf_addf(&sb, " %.*s", (int)version_len, version);
	return strbuf_detach(&sb, NULL);
}

static int same_stable(const struct revision *x, const struct revision *y)
{
	return (!x->stable && !y->stable) || (x->stable && y->stable && !strcmp(x->stable, y->stable));
}

static void chain(struct builder *b, struct revision *older, struct revision *newer)
{
	size_t x = chain_root(b, older->index), y = chain_root(b, newer->index);

	/* Whatever else links them, backports to two branches stay apart. */
	if (!same_stable(older, newer))
		return;
	newer->has_pred = 1;
	if (x == y)
		return;
	/* The older root stays the root, so roots are the oldest revisions. */
	if (x > y) {
		size_t t = x;

		x = y;
		y = t;
	}
	b->revs[y]->chain = x;
	if (b->revs[y]->seen_version > b->revs[x]->seen_version)
		b->revs[x]->seen_version = b->revs[y]->seen_version;
}

/* May newer be a later revision of the work older was? */
static int may_follow(const struct revision *older, const struct revision *newer)
{
	if (older == newer || older->rev.date > newer->rev.date ||
	    !same_person(revision_author(&older->rev), revision_author(&newer->rev)))
		return 0;
	if (newer->rev.version > older->rev.version)
		return 1;
	return newer->rev.version == older->rev.version && !strcmp(older->norm, newer->norm);
}

static int cmp_revision_date(const void *a, const void *b)
{
	const struct revision *x = *(const struct revision *const *)a;
	const struct revision *y = *(const struct revision *const *)b;

	if (x->rev.date != y->rev.date)
		return x->rev.date < y->rev.date ? -1 : 1;
	if (x->rev.version != y->rev.version)
		return x->rev.version < y->rev.version ? -1 : 1;
	return strcmp(first_member(&x->rev)->mail->mid, first_member(&y->rev)->mail->mid);
}

/* A reroll posted in the thread of an older revision follows it. */
static void chain_by_thread(struct builder *b, struct revision *r)
{
	int j = b->nodes[node_of(b, first_member(&r->rev)->mail->mid)].parent;

	for (; j >= 0; j = b->nodes[j].parent) {
		struct series_patch *q = b->nodes[j].posting;

		if (!q)
			continue;
		if (revision_of(q) != r && may_follow(revision_of(q), r))
			chain(b, revision_of(q), r);
		return;
	}
}

static void chain_by_change_id(struct builder *b, struct revision *r, struct strmap *ids)
{
	struct series_revision *rev = &r->rev;
	size_t k;

	for (k = 0; k <= rev->patches_nr; k++) {
		const struct series_patch *p = k ? rev->patches[k - 1] : rev->cover;
		struct revision *other;

		if (!p || !p->mail->change_id)
			continue;
		other = strmap_get(ids, p->mail->change_id);
		if (!other)
			strmap_put(ids, p->mail->change_id, r);
		else if (other != r)
			chain(b, other, r);
		return;
	}
}

/*
 * "Link to v1: https://lore.kernel.org/r/<mid>" in the cover (or patch).
 * Someone who takes a series over links to the old one under its title.
 */
static void chain_by_links(struct builder *b, struct revision *r)
{
	struct series_revision *rev = &r->rev;
	size_t k, l;

	for (k = 0; k <= rev->patches_nr; k++) {
		const struct series_patch *p = k ? rev->patches[k - 1] : rev->cover;

		for (l = 0; p && l < p->mail->links_nr; l++) {
			struct series_patch *q = strmap_get(&b->set->by_mid, p->mail->links[l]);

			struct revision *o = q ? revision_of(q) : NULL;

			if (o && (may_follow(o, r) ||
				  (o != r && o->rev.date <= r->rev.date &&
				   o->rev.version < r->rev.version && !strcmp(o->norm, r->norm))))
				chain(b, o, r);
		}
	}
}

/* Do two revisions touch a file in common?  Without diffs to tell, no. */
static int touch_same_file(const struct revision *x, const struct revision *y)
{
	size_t i, j, k, l;

	for (i = 0; i < x->rev.patches_nr; i++) {
		const struct mail *a = x->rev.patches[i]->mail;

		for (j = 0; j < y->rev.patches_nr; j++) {
			const struct mail *c = y->rev.patches[j]->mail;

			for (k = 0; k < a->paths_nr; k++)
				for (l = 0; l < c->paths_nr; l++)
					if (!strcmp(a->paths[k], c->paths[l]))
						return 1;
		}
	}
	return 0;
}

/*
 * How well older fits as the revision newer follows, by author and title:
 * a time distance (lower is better), or -1 when it cannot be.  Same-title
 * work without version tags is common ("selftests/bpf: Fix the build"),
 * so a same-version follower must come soon, and among several chains
 * the closest in time and size wins.
 */
static long follow_cost(struct builder *b, const struct revision *older,
			const struct revision *newer)
{
	time_t gap = newer->rev.date - older->rev.date;
	const struct revision *root = b->revs[chain_root(b, older->index)];
	long cost = (long)gap;

	if (gap < 0 || root->seen_version > newer->rev.version || !same_stable(older, newer) ||
	    !same_person(revision_author(&older->rev), revision_author(&newer->rev)))
		return -1;
	if (newer->rev.version > older->rev.version) {
		if (gap > REROLL_WINDOW)
			return -1;
	} else if (newer->rev.version < older->rev.version || gap > RESEND_WINDOW ||
		   (older->rev.tree && newer->rev.tree && strcmp(older->rev.tree, newer->rev.tree))) {
		/* Same-version postings to two trees are two pieces of work. */
		return -1;
	} else if (!touch_same_file(older, newer)) {
		/*
		 * Author and title are no evidence of one piece of work ("fix a
		 * resource leak" to six files): a same-version posting must
		 * change a file the older one did.
		 */
		return -1;
	} else if (!(newer->rev.flags & REVISION_RESEND)) {
		/* Without "RESEND", a posting of the same version fits less well. */
		cost += SIZE_PENALTY;
	}
	if (older->numbered != newer->numbered)
		cost += SIZE_PENALTY;
	if (older->rev.tree && newer->rev.tree && strcmp(older->rev.tree, newer->rev.tree))
		cost += TREE_PENALTY;
	return cost;
}

static int chain_by_title(struct builder *b, struct revision *r, struct strmap_list *c)
{
	struct revision *best = NULL;
	long best_cost = -1;
	size_t k, seen;

	/*
	 * The newest candidates first (they are in date order), and only
	 * those of the reroll window, at most TITLE_CANDIDATES of them: tens
	 * of thousands of postings under one title must not cost their
	 * square.  On equal cost the newer wins.
	 */
	for (k = c ? c->nr : 0, seen = 0; k-- > 0 && seen < TITLE_CANDIDATES; seen++) {
		const struct revision *o = c->items[k];
		long cost;

		if (r->rev.date - o->rev.date > REROLL_WINDOW)
			break;
		cost = follow_cost(b, o, r);
		if (cost >= 0 && (best_cost < 0 || cost < best_cost)) {
			best = c->items[k];
			best_cost = cost;
		}
	}
	if (!best)
		return 0;
	chain(b, best, r);
	return 1;
}

/*
 * The cover's title changed but the patches kept theirs: follow the
 * older revision that has at least half of this one's patch titles.
 */
static int chain_by_patch_titles(struct builder *b, struct revision *r, struct strmap *by_patch)
{
	struct series_revision *rev = &r->rev;
	struct revision *best = NULL;
	size_t best_votes = 0, k, l, m, q, seen;

	if (!(rev->flags & REVISION_VERSIONED) || rev->version < 2)
		return 0;
	for (k = 0; k < rev->patches_nr; k++) {
		struct strmap_list *c;

		c = strmap_get(by_patch, r->patch_norms[k]);
		/* Bounded as chain_by_title() is: the newest, within the window. */
		for (l = c ? c->nr : 0, seen = 0; l-- > 0 && seen < TITLE_CANDIDATES; seen++) {
			struct revision *o = c->items[l];
			size_t votes = 0;

			if (r->rev.date - o->rev.date > REROLL_WINDOW)
				break;
			if (o == r || o->rev.version >= rev->version || follow_cost(b, o, r) < 0)
				continue;
			for (m = 0; m < rev->patches_nr; m++)
				for (q = 0; q < o->rev.patches_nr; q++)
					if (!strcmp(r->patch_norms[m], o->patch_norms[q])) {
						votes++;
						break;
					}
			if (votes > best_votes || (votes == best_votes && best &&
						   o->rev.date > best->rev.date)) {
				best = o;
				best_votes = votes;
			}
		}
	}
	if (!best || 2 * best_votes < rev->patches_nr)
		return 0;
	chain(b, best, r);
	return 1;
}

static void chain_revisions(struct builder *b)
{
	struct strmap ids = STRMAP_INIT, by_title = STRMAP_INIT, by_patch = STRMAP_INIT;
	size_t i, k;

	QSORT(b->revs, b->revs_nr, cmp_revision_date);
	for (i = 0; i < b->revs_nr; i++) {
		struct revision *r = b->revs[i];

		r->index = i;
		r->chain = i;
		r->norm = subject_normalize(revision_title(&r->rev));
		r->stable = stable_branch(first_member(&r->rev)->subject.prefix);
		ALLOC_ARRAY(r->patch_norms, r->rev.patches_nr ? r->rev.patches_nr : 1);
		for (k = 0; k < r->rev.patches_nr; k++)
			r->patch_norms[k] = subject_normalize(r->rev.patches[k]->subject.title);
	}
	for (i = 0; i < b->revs_nr; i++) {
		chain_by_thread(b, b->revs[i]);
		chain_by_change_id(b, b->revs[i], &ids);
		chain_by_links(b, b->revs[i]);
	}
	/*
	 * In date order, so that "the newest version so far" is known.  Titles
	 * are looked up across addresses: people change employers.
	 */
	for (i = 0; i < b->revs_nr; i++) {
		struct revision *r = b->revs[i], *root;

		if (!r->has_pred && !chain_by_title(b, r, strmap_get(&by_title, r->norm)))
			chain_by_patch_titles(b, r, &by_patch);
		strmap_list_add(&by_title, r->norm, r);
		for (k = 0; k < r->rev.patches_nr; k++)
			strmap_list_add(&by_patch, r->patch_norms[k], r);
		root = b->revs[chain_root(b, i)];
		if (r->rev.version > root->seen_version)
			root->seen_version = r->rev.version;
	}
	strmap_clear_values(&by_title, strmap_list_free);
	strmap_clear_values(&by_patch, strmap_list_free);
	strmap_clear(&ids);
}

static int cmp_revision_order(const void *a, const void *b)
{
	const struct series_revision *x = *(const struct series_revision *const *)a;
	const struct series_revision *y = *(const struct series_revision *const *)b;

	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return cmp_revision_date(&x, &y);
}

/*
 * A revision without a cover that resends some patches of its series,
 * each in reply to an older posting of the series, updates those only.
 */
static void mark_partial(struct builder *b, struct series *s, size_t j)
{
	struct series_revision *rev = s->revisions[j], *prev = s->revisions[j - 1];
	size_t k;

	if (rev->cover || !((struct revision *)rev)->numbered || rev->patches_nr >= rev->total ||
	    rev->total != prev->total)
		return;
	for (k = 0; k < rev->patches_nr; k++) {
		int q = b->nodes[node_of(b, rev->patches[k]->mail->mid)].parent;

		while (q >= 0 && !b->nodes[q].posting)
			q = b->nodes[q].parent;
		if (q < 0 || b->nodes[q].posting->revision->series != s)
			return;
	}
	rev->flags |= REVISION_PARTIAL;
	rev->base = prev->flags & REVISION_PARTIAL ? prev->base : prev;
}

/*
 * What replaces a patch in a later revision: in a partial reroll, the
 * patch at its position; in a full one, the patch of the same title, or
 * at the same position when the size did not change.
 */
static struct series_patch *replacement(const struct series_revision *later,
					const struct series_patch *p, const char *norm)
{
	const struct revision *r = (const struct revision *)later;
	size_t k;

	if (later->flags & REVISION_PARTIAL)
		return patch_at(later, p->subject.position);
	for (k = 0; k < later->patches_nr; k++)
		if (!strcmp(r->patch_norms[k], norm))
			return later->patches[k];
	return later->total == p->revision->total ? patch_at(later, p->subject.position) : NULL;
}

static void mark_superseded(struct series *s)
{
	size_t i, j, k;

	for (i = 0; i < s->revisions_nr; i++) {
		struct series_revision *rev = s->revisions[i];

		for (j = i + 1; j < s->revisions_nr; j++)
			if (!(s->revisions[j]->flags & REVISION_PARTIAL))
				break;
		if (j < s->revisions_nr)
			rev->flags |= REVISION_SUPERSEDED;
		for (k = 0; k < rev->patches_nr; k++) {
			struct series_patch *p = rev->patches[k];
			const char *norm = ((struct revision *)rev)->patch_norms[k];

			for (j = i + 1; j < s->revisions_nr && !p->superseded_by; j++) {
				p->superseded_by = replacement(s->revisions[j], p, norm);
				if (!(s->revisions[j]->flags & REVISION_PARTIAL))
					break;
			}
		}
	}
}

static int parse_person(const char *value, struct strbuf *name, struct strbuf *email);

/*
 * The sender's name when From: is a bare address: that of an in-body
 * "From:" or a Signed-off-by with the same address, in any of the
 * series' postings.  A new string, or NULL.
 */
static char *name_of_address(const struct series *s)
{
	size_t i, k, t;

	for (i = 0; i < s->revisions_nr; i++) {
		const struct series_revision *rev = s->revisions[i];

		for (k = 0; k <= rev->patches_nr; k++) {
			const struct mail *m = k ? rev->patches[k - 1]->mail :
					       rev->cover ? rev->cover->mail : NULL;

			if (!m)
				continue;
			if (m->author_name && *m->author_name && m->author_email &&
			    !strcasecmp(m->author_email, s->author_email))
				return xstrdup(m->author_name);
			for (t = 0; t < m->trailers_nr; t++) {
				struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
				char *found = NULL;

				if (!strcasecmp(m->trailers[t].key, "Signed-off-by") &&
				    parse_person(m->trailers[t].value, &name, &email) && name.len &&
				    !strcasecmp(email.buf, s->author_email))
					found = strbuf_detach(&name, NULL);
				strbuf_release(&name);
				strbuf_release(&email);
				if (found)
					return found;
			}
		}
	}
	return NULL;
}

/* Revisions into series, each sorted, titled and marked. */
static void make_series(struct builder *b)
{
	struct series_set *set = b->set;
	struct series **of_root;
	size_t i, j;

	CALLOC_ARRAY(of_root, b->revs_nr ? b->revs_nr : 1);
	for (i = 0; i < b->revs_nr; i++) {
		size_t root = chain_root(b, i);
		struct series *s = of_root[root];

		if (!s) {
			const struct mail *author = revision_author(&b->revs[root]->rev);

			s = xcalloc(1, sizeof(*s));
			/* An in-body From: names the patch's author (mail.h). */
			s->author_name = xstrdup(author->author_email ? author->author_name : author->from_name);
			s->author_email = xstrdup(author->author_email ? author->author_email : author->from_email);
			of_root[root] = s;
			ALLOC_GROW(set->series, set->nr + 1, set->alloc);
			set->series[set->nr++] = s;
		}
		b->revs[i]->rev.series = s;
		ALLOC_GROW(s->revisions, s->revisions_nr + 1, s->revisions_alloc);
		s->revisions[s->revisions_nr++] = &b->revs[i]->rev;
	}
	for (i = 0; i < set->nr; i++) {
		struct series *s = set->series[i];

		QSORT(s->revisions, s->revisions_nr, cmp_revision_order);
		for (j = 1; j < s->revisions_nr; j++)
			mark_partial(b, s, j);
		/* The name of the newest full revision: a partial reroll names one patch. */
		for (j = s->revisions_nr; j > 1 && (s->revisions[j - 1]->flags & REVISION_PARTIAL);)
			j--;
		s->title = xstrdup(revision_title(s->revisions[j - 1]));
		if (!*s->author_name) {
			char *name = name_of_address(s);

			if (name) {
				free(s->author_name);
				s->author_name = name;
			}
		}
		mark_superseded(s);
	}
	free(of_root);
}

/*
 * "Name <email>" -> name and email, or 0 when there is no email.  Mail
 * clients wrap addresses ("<a@b.org<mailto:a@b.org>>"): the email ends
 * at the first '>' or '<'.
 */
static int parse_person(const char *value, struct strbuf *name, struct strbuf *email)
{
	const char *lt = strchr(value, '<');
	size_t len;

	if (!lt)
		return 0;
	len = strcspn(lt + 1, "<>");
	if (!memchr(lt + 1, '@', len))
		return 0;
	strbuf_add(email, lt + 1, len);
	strbuf_trim(email);
	strbuf_add(name, value, (size_t)(lt - value));
	strbuf_trim(name);
	return 1;
}

static void add_review(struct builder *b, struct series_patch *p, const char *trailer,
		       const char *name, const char *email, const struct mail *given_in)
{
	struct strbuf key = STRBUF_INIT;
	struct series_review *r;
	size_t i;

	strbuf_addf(&key, "%p\n%s\n%s\n%s", (void *)p, trailer, email, name);
	for (i = 0; i < key.len; i++)
		key.buf[i] = (char)tolower((unsigned char)key.buf[i]);
	if (strmap_get(&b->reviews, key.buf)) {
		strbuf_release(&key);
		return;
	}
	strmap_put(&b->reviews, key.buf, p);
	strbuf_release(&key);
	ALLOC_GROW(p->reviews, p->reviews_nr + 1, p->reviews_alloc);
	r = &p->reviews[p->reviews_nr++];
	r->trailer = xstrdup(trailer);
	r->name = xstrdup(name);
	r->email = xstrdup(email);
	r->given_in = given_in;
}

static int is_review_trailer(const char *key)
{
	static const char *const keys[] = {
		"Acked-by", "Reviewed-by", "Tested-by", "Reviewed-and-tested-by",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcasecmp(key, keys[i]))
			return 1;
	return 0;
}

/* The review trailers of from; a reply's only when they name its sender. */
static void collect_reviews(struct builder *b, struct series_patch *p, const struct mail *from)
{
	struct series_revision *rev = p->revision;
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < from->trailers_nr; i++) {
		const struct mail_trailer *t = &from->trailers[i];

		strbuf_reset(&name);
		strbuf_reset(&email);
		if (!is_review_trailer(t->key) || !parse_person(t->value, &name, &email))
			continue;
		/* Like b4: someone else's trailer quoted in a reply is not given by it. */
		if (from != p->mail && strcasecmp(email.buf, from->from_email) &&
		    (!name.len || strcasecmp(name.buf, from->from_name)))
			continue;
		if (p == rev->cover)
			for (j = 0; j < rev->patches_nr; j++)
				add_review(b, rev->patches[j], t->key, name.buf, email.buf, from);
		add_review(b, p, t->key, name.buf, email.buf, from);
	}
	strbuf_release(&name);
	strbuf_release(&email);
}

static void attach_reply(struct builder *b, struct series_patch *p, struct mail *m)
{
	struct series_set *set = b->set;

	ALLOC_GROW(p->replies, p->replies_nr + 1, p->replies_alloc);
	p->replies[p->replies_nr++] = m;
	if (!series_mail_is_bot(m))
		p->human_replies++;
	strmap_put(&set->reply_to, m->mid, p);
	collect_reviews(b, p, m);
}

/* The nearest posting above node i in its thread, or -1. */
static int answered(struct builder *b, int i)
{
	int j = b->nodes[i].parent, found, next;

	while (j >= 0 && !b->nodes[j].posting && b->nodes[j].answers == -2)
		j = b->nodes[j].parent;
	if (j < 0)
		found = -1;
	else if (b->nodes[j].posting)
		found = j;
	else
		found = b->nodes[j].answers;
	/* Remember it for every message on the way up. */
	for (j = b->nodes[i].parent; j >= 0 && !b->nodes[j].posting && b->nodes[j].answers == -2;
	     j = next) {
		next = b->nodes[j].parent;
		b->nodes[j].answers = found;
	}
	return found;
}

static void attach_followups(struct builder *b)
{
	size_t i, j, k;

	/* A patch's own review trailers (carried from earlier revisions) come first. */
	for (i = 0; i < b->nr; i++) {
		struct series_patch *p = b->nodes[i].posting;

		if (p && p != p->revision->cover)
			collect_reviews(b, p, p->mail);
	}
	for (i = 0; i < b->nr; i++) {
		int t;

		if (b->nodes[i].posting)
			continue;
		t = answered(b, (int)i);
		b->nodes[i].answers = t;
		if (t >= 0)
			attach_reply(b, b->nodes[t].posting, b->nodes[i].mail);
	}
	/* A review of the cover also covers the patches a partial reroll resent. */
	for (i = 0; i < b->revs_nr; i++) {
		struct series_revision *rev = &b->revs[i]->rev;
		const struct series_patch *cover = rev->base ? rev->base->cover : NULL;

		for (j = 0; cover && j < cover->reviews_nr; j++) {
			const struct series_review *r = &cover->reviews[j];

			if (r->given_in == cover->mail)
				continue;
			for (k = 0; k < rev->patches_nr; k++)
				add_review(b, rev->patches[k], r->trailer, r->name, r->email,
					   r->given_in);
		}
	}
}

/* Distinct people, not bots and not the author, who answered the revision. */
static size_t count_participants(const struct series_revision *rev)
{
	struct strmap seen = STRMAP_INIT;
	size_t i, j, n;
	const struct mail *author = revision_author(rev);

	for (i = 0; i <= rev->patches_nr; i++) {
		const struct series_patch *p = i < rev->patches_nr ? rev->patches[i] : rev->cover;

		for (j = 0; p && j < p->replies_nr; j++) {
			const struct mail *m = p->replies[j];

			if (*m->from_email && !same_person(author, m) && !series_mail_is_bot(m))
				strmap_put(&seen, m->from_email, (void *)m);
		}
	}
	n = seen.nr;
	strmap_clear(&seen);
	return n;
}

static struct series_patch *patch_titled(const struct series_revision *rev, const char *norm)
{
	size_t i;

	for (i = 0; i < rev->patches_nr; i++) {
		char *n = subject_normalize(rev->patches[i]->subject.title);
		int eq = !strcmp(n, norm);

		free(n);
		if (eq)
			return rev->patches[i];
	}
	return NULL;
}

/*
 * The patch a notice line names: by position in the revision the notice
 * answers when the title agrees, else by title there, else by title in
 * the other revisions of the series (the same version first, newest
 * first), else by position alone when the numbering agrees.
 */
static struct series_patch *resolve_applied(const struct series_patch *answered_patch,
					    const struct subject *s, size_t lines)
{
	const struct series_revision *rev = answered_patch->revision;
	const struct series *series = rev->series;
	struct series_patch *p = NULL;
	char *norm = subject_normalize(s->title);
	size_t i;
	int pass;

	if (s->position) {
		p = revision_patch(rev, s->position);
		if (p) {
			char *n = subject_normalize(p->subject.title);

			if (strcmp(n, norm))
				p = NULL;
			free(n);
		}
	}
	if (!p)
		p = patch_titled(rev, norm);
	for (pass = 0; pass < 2 && !p; pass++)
		for (i = series->revisions_nr; i-- > 0 && !p;)
			if (series->revisions[i] != rev &&
			    (pass || series->revisions[i]->version == s->version))
				p = patch_titled(series->revisions[i], norm);
	if (!p && s->position && s->total == rev->total)
		p = revision_patch(rev, s->position);
	if (!p && lines == 1 && rev->patches_nr == 1 && s->total <= 1)
		p = rev->patches[0];
	free(norm);
	return p;
}

/* "bpf/bpf-next.git (master)" -> tree and branch ("refs/heads/master" in 2020). */
static void split_applied_to(const char *to, char **tree, char **branch)
{
	const char *open = strchr(to, '('), *close = open ? strchr(open, ')') : NULL;
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, to, open ? (size_t)(open - to) : strlen(to));
	strbuf_trim(&sb);
	*tree = strbuf_detach(&sb, NULL);
	*branch = NULL;
	if (close) {
		open++;
		if (!strncmp(open, "refs/heads/", 11))
			open += 11;
		*branch = xstrndup(open, (size_t)(close - open));
	}
}

/* ".../c/<hex>" -> the hex, or NULL. */
static char *commit_of_url(const char *url)
{
	const char *c = url ? strstr(url, "/c/") : NULL;
	size_t n = 0;

	if (!c)
		return NULL;
	c += 3;
	while (isxdigit((unsigned char)c[n]))
		n++;
	return n >= 7 ? xstrndup(c, n) : NULL;
}

static void collect_applied(struct builder *b)
{
	struct series_set *set = b->set;
	size_t i, k;

	for (i = 0; i < b->nr; i++) {
		const struct node *n = &b->nodes[i];
		const struct mail *m = n->mail;

		if (!m->applied_to || !m->applied_nr || n->posting)
			continue;
		for (k = 0; k < m->applied_nr; k++) {
			struct series_patch *p = NULL;
			struct series_applied *a;
			char *commit = commit_of_url(m->applied[k].url);
			struct subject s;

			/* "(no matching commit)": listed, but not applied. */
			if (!commit)
				continue;
			if (n->answers >= 0) {
				subject_parse(&s, m->applied[k].subject);
				p = resolve_applied(b->nodes[n->answers].posting, &s, m->applied_nr);
				subject_release(&s);
			}
			if (!p) {
				set->applied_unresolved++;
				free(commit);
				continue;
			}
			ALLOC_GROW(set->applied, set->applied_nr + 1, set->applied_alloc);
			a = &set->applied[set->applied_nr++];
			a->patch = p;
			split_applied_to(m->applied_to, &a->tree, &a->branch);
			a->commit = commit;
			a->url = m->applied[k].url;
			a->line = m->applied[k].subject;
			a->notice = m;
		}
	}
}

char *series_tree_name(const char *tree)
{
	const char *base = strrchr(tree, '/');
	size_t len;

	base = base ? base + 1 : tree;
	len = strlen(base);
	if (len > 4 && !strcmp(base + len - 4, ".git"))
		len -= 4;
	return xstrndup(base, len);
}

/* Once set->applied no longer grows: each patch's first notice line. */
static void point_to_notices(struct series_set *set)
{
	size_t i;

	for (i = 0; i < set->applied_nr; i++)
		if (!set->applied[i].patch->applied)
			set->applied[i].patch->applied = &set->applied[i];
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;

	return cmp_revision_date(&x->revisions[0], &y->revisions[0]);
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
	chain_revisions(&b);
	make_series(&b);
	attach_followups(&b);
	for (i = 0; i < b.revs_nr; i++) {
		struct revision *r = b.revs[i];
		size_t k;

		r->rev.participants = count_participants(&r->rev);
		for (k = 0; k < r->rev.patches_nr; k++)
			free(r->patch_norms[k]);
		FREE_AND_NULL(r->patch_norms);
		FREE_AND_NULL(r->norm);
		FREE_AND_NULL(r->stable);
	}
	collect_applied(&b);
	point_to_notices(set);
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

int series_parse_person(const char *value, struct strbuf *name, struct strbuf *email)
{
	return parse_person(value, name, email);
}

int series_is_review_trailer(const char *key)
{
	return is_review_trailer(key);
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
