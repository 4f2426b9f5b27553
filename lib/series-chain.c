#include "series-build.h"
#include "mail.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A reroll with a higher version is looked for this far back (series.h)... */
#define REROLL_WINDOW SERIES_REROLL_WINDOW
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

static const char *revision_title(const struct series_revision *rev)
{
	return first_member(rev)->subject.title;
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
	    !series_same_person(revision_author(&older->rev), revision_author(&newer->rev)))
		return 0;
	if (newer->rev.version > older->rev.version)
		return 1;
	return newer->rev.version == older->rev.version && !strcmp(older->norm, newer->norm);
}

int series_cmp_revision_date(const void *a, const void *b)
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
	    !series_same_person(revision_author(&older->rev), revision_author(&newer->rev)))
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

void series_chain_revisions(struct builder *b)
{
	struct strmap ids = STRMAP_INIT, by_title = STRMAP_INIT, by_patch = STRMAP_INIT;
	size_t i, k;

	QSORT(b->revs, b->revs_nr, series_cmp_revision_date);
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
	return series_cmp_revision_date(&x, &y);
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
		return series_patch_at(later, p->subject.position);
	for (k = 0; k < later->patches_nr; k++)
		if (!strcmp(r->patch_norms[k], norm))
			return later->patches[k];
	return later->total == p->revision->total ? series_patch_at(later, p->subject.position) : NULL;
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
				    series_parse_person(m->trailers[t].value, &name, &email) && name.len &&
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
void series_from_revisions(struct builder *b)
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
