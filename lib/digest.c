#include "digest.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"
#include "strmap.h"
#include "subject.h"
#include "summary.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How many of the next-ranked revisions the overview names. */
#define OVERVIEW_OTHERS 3
/* A tree named by this share of the revisions (in percent) names the period. */
#define TREE_MAJORITY 60

size_t digest_default_limit(enum period_kind kind)
{
	switch (kind) {
	case PERIOD_DAILY:
		return 6;
	case PERIOD_MONTHLY:
		return 12;
	case PERIOD_WEEKLY:
	case PERIOD_RANGE:
		break;
	}
	return 10;
}

size_t digest_revision_size(const struct series_revision *rev)
{
	return rev->total > 1 ? rev->total : rev->patches_nr;
}

void digest_init(struct digest *d, const struct period *period)
{
	struct strmap empty = STRMAP_INIT_DUP;

	memset(d, 0, sizeof(*d));
	d->period = *period;
	d->applied_by_mid = empty;
}

static void add_applied(struct digest *d, const char *mid, const char *commit,
			const char *method, const char *tree, const char *source, time_t when,
			const char *changes)
{
	struct digest_applied_list *list = strmap_get(&d->applied_by_mid, mid);
	struct digest_applied *a;
	size_t i;

	if (!list) {
		list = xcalloc(1, sizeof(*list));
		strmap_put(&d->applied_by_mid, mid, list);
	}
	for (i = 0; i < list->nr; i++)
		if (!strcmp(list->items[i].commit, commit) && list->items[i].source == source)
			return;
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	a = &list->items[list->nr++];
	a->commit = xstrdup(commit);
	a->method = xstrdup(method);
	a->tree = xstrdup_or_null(tree);
	a->source = source;
	a->when = when;
	a->changes = xstrdup_or_null(changes);
}

void digest_add_applied(struct digest *d, const char *mid, const char *commit,
			const char *method, time_t when, const char *changes)
{
	add_applied(d, mid, commit, method, NULL, "local", when, changes);
}

/* What the archive's pw-bot notices say was applied, patch by patch. */
static void add_notices(struct digest *d, const struct series_set *set)
{
	size_t i;

	for (i = 0; i < set->applied_nr; i++) {
		const struct series_applied *a = &set->applied[i];
		char *tree = a->tree ? series_tree_name(a->tree) : NULL;

		add_applied(d, a->patch->mail->mid, a->commit, "pwbot", tree, "pwbot",
			    mail_period_time(a->notice), NULL);
		free(tree);
	}
}

/* Ranking ----------------------------------------------------------------- */

enum path_weight {
	PATH_UNRELATED,		/* code the list is only copied on */
	PATH_SELFTEST,
	PATH_OTHER,		/* documentation, samples, other BPF users */
	PATH_TOOLING,		/* libbpf, bpftool */
	PATH_CORE,		/* kernel/bpf, uapi, BPF networking, JITs */
	PATH_VERIFIER,
};

/* Paths a BPF maintainer reads, beyond the core ones. */
static int is_bpf_related(const char *path)
{
	return strstr(path, "bpf") || strstr(path, "btf") || strstr(path, "xdp") ||
	       strstr(path, "sched_ext") || !strcmp(path, "kernel/sched/ext.c");
}

/* What a path is worth to a BPF maintainer. */
static enum path_weight path_weight(const char *path)
{
	static const char *const core[] = {
		"kernel/bpf/", "include/uapi/linux/bpf", "include/uapi/linux/btf", "include/linux/bpf",
		"include/linux/btf",
		"include/linux/filter.h", "net/core/filter.c", "kernel/trace/bpf_trace.c",
		"net/bpf/", "net/xdp/",
	};
	size_t i;

	if (!strcmp(path, "kernel/bpf/verifier.c"))
		return PATH_VERIFIER;
	for (i = 0; i < ARRAY_SIZE(core); i++)
		if (!strncmp(path, core[i], strlen(core[i])))
			return PATH_CORE;
	/* JITs: arch/<arch>/net/. */
	if (!strncmp(path, "arch/", 5)) {
		const char *slash = strchr(path + 5, '/');

		if (slash && !strncmp(slash, "/net/", 5))
			return PATH_CORE;
	}
	if (!strncmp(path, "tools/testing/selftests/", 24))
		return is_bpf_related(path + 24) ? PATH_SELFTEST : PATH_UNRELATED;
	if (!strncmp(path, "tools/lib/bpf/", 14) || !strncmp(path, "tools/bpf/", 10))
		return PATH_TOOLING;
	return is_bpf_related(path) ? PATH_OTHER : PATH_UNRELATED;
}

static enum path_weight patch_weight(const struct series_patch *p)
{
	enum path_weight w = PATH_UNRELATED;
	size_t i;

	/* A cover, a pull request, a patch whose diff is elsewhere: no evidence either way. */
	if (!p->mail->paths_nr)
		return PATH_OTHER;
	for (i = 0; i < p->mail->paths_nr; i++) {
		enum path_weight pw = path_weight(p->mail->paths[i]);

		if (pw > w)
			w = pw;
	}
	return w;
}

static size_t cap(size_t n, size_t max)
{
	return n < max ? n : max;
}

static const struct digest_applied_list *applied_of(const struct digest *d,
						    const struct series_patch *p)
{
	return strmap_get(&d->applied_by_mid, p->mail->mid);
}

/* A tree of the list itself: "bpf-next" or "bpf" for bpf@vger.kernel.org. */
static int is_list_tree(const struct digest *d, const char *tree)
{
	const char *at = d->list ? strchr(d->list, '@') : NULL;
	size_t len = at ? (size_t)(at - d->list) : 0;

	return tree && len && !strncasecmp(tree, d->list, len) &&
	       (!tree[len] || tree[len] == '-');
}

static long revision_score(const struct digest *d, const struct series_revision *rev)
{
	const struct series *s = rev->series;
	struct strmap reviewers = STRMAP_INIT;
	enum path_weight best = PATH_UNRELATED;
	long score = 0;
	size_t i, j, applied = 0, applied_in_period = 0, human = 0, relevant = 0;

	/* The patches that reached the list, not the n of "k/n": a series Cc'd in part is smaller here. */
	/* Work aimed at this list's own trees, over work it is only copied on. */
	if (is_list_tree(d, rev->tree))
		score += 10;
	score += 3 * (long)cap(rev->version > s->revisions_nr ? rev->version : s->revisions_nr, 10);
	score += 3 * (long)cap(rev->participants, 8);
	for (i = 0; i < rev->patches_nr; i++) {
		const struct series_patch *p = rev->patches[i];
		const struct digest_applied_list *a = applied_of(d, p);
		enum path_weight w = patch_weight(p);

		relevant += w > PATH_UNRELATED;
		human += p->human_replies;
		for (j = 0; j < p->reviews_nr; j++)
			strmap_put(&reviewers, p->reviews[j].email, (void *)p);
		if (w > best)
			best = w;
		if (a && a->nr) {
			applied++;
			for (j = 0; j < a->nr; j++)
				if (period_contains(&d->period, a->items[j].when)) {
					applied_in_period++;
					break;
				}
		}
	}
	if (rev->cover)
		human += rev->cover->human_replies;
	/* Size first, counting more the patches that touch what the list is about. */
	score += 2 * (long)cap(rev->patches_nr, 20) + (long)cap(relevant, 20);
	score += (long)cap(human, 15);
	score += 2 * (long)cap(reviewers.nr, 6);
	strmap_clear(&reviewers);
	/* Applied work counts by its size, a little more when applied in the period. */
	if (applied)
		score += 2 * (long)cap(applied, 10) + (applied_in_period ? 3 : 0);
	switch (best) {
	case PATH_VERIFIER:
		score += 12;
		break;
	case PATH_CORE:
		score += 8;
		break;
	case PATH_TOOLING:
		score += 4;
		break;
	case PATH_OTHER:
		break;
	case PATH_SELFTEST:
		score -= 4;
		break;
	case PATH_UNRELATED:
		break;
	}
	if (rev->flags & REVISION_PULL)
		score += 15;
	if (rev->flags & REVISION_RFC)
		score -= 4;
	if (rev->flags & REVISION_RESEND)
		score -= 2;
	/* Big work elsewhere, Cc'd to the list, still ranks below the list's own. */
	if (best == PATH_UNRELATED)
		score /= 2;
	return score;
}

struct ranked {
	struct series_revision *rev;
	long score;
};

static const char *first_mid(const struct series_revision *rev)
{
	if (rev->cover)
		return rev->cover->mail->mid;
	return rev->patches_nr ? rev->patches[0]->mail->mid : "";
}

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->rev->date != y->rev->date)
		return x->rev->date < y->rev->date ? -1 : 1;
	/* Deterministic to the end: titles, then the first message-ids. */
	c = strcmp(x->rev->series->title, y->rev->series->title);
	if (c)
		return c;
	return strcmp(first_mid(x->rev), first_mid(y->rev));
}

/*
 * The patch that best represents a revision: the first with the
 * weightiest BPF paths; without any, the first that is not a selftest.
 */
static struct series_patch *highlight(const struct series_revision *rev)
{
	struct series_patch *best = NULL;
	enum path_weight bw = PATH_SELFTEST;
	size_t i;

	for (i = 0; i < rev->patches_nr; i++) {
		enum path_weight w = patch_weight(rev->patches[i]);

		if (w > bw) {
			best = rev->patches[i];
			bw = w;
		}
	}
	for (i = 0; !best && i < rev->patches_nr; i++)
		if (!summary_is_selftest(rev->patches[i]))
			best = rev->patches[i];
	return best ? best : rev->patches[0];
}

static struct series_revision *next_revision(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	size_t i;

	for (i = 0; i + 1 < s->revisions_nr; i++)
		if (s->revisions[i] == rev)
			return s->revisions[i + 1];
	return NULL;
}

/* The pw-bot record of a patch, or NULL. */
static const struct digest_applied *notice_of(const struct digest *d, const struct series_patch *p)
{
	const struct digest_applied_list *a = applied_of(d, p);
	size_t i;

	for (i = 0; a && i < a->nr; i++)
		if (!strcmp(a->items[i].source, "pwbot"))
			return &a->items[i];
	return NULL;
}

/* "1–3", "1, 3 and 4": the positions of the patches the bot named. */
static void add_positions(struct strbuf *out, const unsigned *pos, size_t n)
{
	size_t i;

	if (n > 2 && pos[n - 1] - pos[0] == n - 1) {
		strbuf_addf(out, "%u\xe2\x80\x93%u", pos[0], pos[n - 1]);
		return;
	}
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s%u", i == 0 ? "" : i + 1 == n ? " and " : ", ", pos[i]);
}

/*
 * The entry's applied status, from the facts only: what the pw-bot
 * notice of its revision says (tree and hash, per patch), then where
 * this repository has it ("in this tree as ...").  Never the upstream
 * tree's name on a local commit.
 */
static void describe_applied(struct strbuf *out, const struct digest *d, struct digest_entry *e)
{
	const struct series_revision *rev = e->patch->revision;
	const struct digest_applied *mine = notice_of(d, e->patch), *any = NULL;
	const struct digest_applied_list *all = applied_of(d, e->patch);
	size_t i, n = 0, size = digest_revision_size(rev);
	unsigned *pos;

	ALLOC_ARRAY(pos, rev->patches_nr ? rev->patches_nr : 1);
	for (i = 0; i < rev->patches_nr; i++) {
		const struct digest_applied *a = notice_of(d, rev->patches[i]);

		if (!a)
			continue;
		if (!any)
			any = a;
		pos[n++] = rev->patches[i]->subject.position;
	}
	e->revision_applied = n;
	if (n && (n >= size || size <= 1)) {
		strbuf_addstr(out, "Applied");
		if (mine->tree)
			strbuf_addf(out, " to %s", mine->tree);
		strbuf_addf(out, " as %.12s", mine->commit);
		if (n == 2)
			strbuf_addstr(out, ", with the other patch");
		else if (n > 2)
			strbuf_addf(out, ", with the other %zu patches", n - 1);
		strbuf_addch(out, '.');
	} else if (n) {
		strbuf_addstr(out, n == 1 ? "Patch " : "Patches ");
		add_positions(out, pos, n);
		strbuf_addf(out, " of %zu %s applied", size, n == 1 ? "was" : "were");
		if (any->tree)
			strbuf_addf(out, " to %s", any->tree);
		if (mine)
			strbuf_addf(out, ", this one as %.12s.", mine->commit);
		else
			strbuf_addf(out, " (patch %u as %.12s).", pos[0], any->commit);
	}
	free(pos);
	for (i = 0; all && i < all->nr; i++) {
		const struct digest_applied *a = &all->items[i];

		if (strcmp(a->source, "local"))
			continue;
		if (out->len)
			strbuf_addch(out, ' ');
		if (mine && !strncmp(a->commit, mine->commit, strlen(mine->commit)))
			strbuf_addstr(out, "It is in this tree");
		else
			strbuf_addf(out, "In this tree as %.12s", a->commit);
		if (a->changes)
			strbuf_addf(out, ", %s", a->changes);
		strbuf_addch(out, '.');
	}
}

void digest_select(struct digest *d, const struct series_set *set,
		   struct mail *const *mails, size_t nr, size_t limit)
{
	struct strmap authors = STRMAP_INIT, titles = STRMAP_INIT_DUP;
	struct ranked *ranked = NULL;
	size_t i, j, ranked_nr = 0, alloc = 0;

	if (!d->list)
		d->list = digest_guess_list(mails, nr);
	add_notices(d, set);
	for (i = 0; i < nr; i++)
		if (period_contains(&d->period, mail_period_time(mails[i])))
			d->messages++;
	for (i = 0; i < set->nr; i++) {
		const struct series *s = set->series[i];
		struct series_revision *latest = NULL;

		for (j = 0; j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];
			size_t k;

			if (!rev->patches_nr || !period_contains(&d->period, rev->date) ||
			    !series_revision_is_work(rev))
				continue;
			latest = rev;
			d->patches += rev->patches_nr;
			for (k = 0; k < rev->patches_nr; k++) {
				const struct digest_applied_list *a = applied_of(d, rev->patches[k]);

				d->applied += a && a->nr;
			}
		}
		if (!latest)
			continue;
		d->series++;
		strmap_put(&authors, s->author_email, (void *)s);
		ALLOC_GROW(ranked, ranked_nr + 1, alloc);
		ranked[ranked_nr].rev = latest;
		ranked[ranked_nr].score = revision_score(d, latest);
		ranked_nr++;
	}
	d->authors = authors.nr;
	strmap_clear(&authors);
	QSORT(ranked, ranked_nr, cmp_ranked);

	/*
	 * One entry per piece of work: a reroll sent from another address
	 * shows as a second series with the same title; only the
	 * better-ranked one is kept.
	 */
	ALLOC_ARRAY(d->revisions, ranked_nr ? ranked_nr : 1);
	for (i = 0; i < ranked_nr; i++) {
		struct series_revision *rev = ranked[i].rev;
		char *a = subject_normalize(rev->series->title);
		char *b = subject_normalize(highlight(rev)->subject.title);
		const struct series_revision *sa = strmap_get(&titles, a), *sb = strmap_get(&titles, b);
		/*
		 * The same sender's same-title work that the series stage did
		 * not chain is other work ("fix a resource leak" to six files).
		 */
		int seen = (sa && strcasecmp(sa->series->author_email, rev->series->author_email)) ||
			   (sb && strcasecmp(sb->series->author_email, rev->series->author_email));

		strmap_put(&titles, a, rev);
		strmap_put(&titles, b, rev);
		free(a);
		free(b);
		if (!seen)
			d->revisions[d->revisions_nr++] = rev;
	}
	strmap_clear(&titles);
	free(ranked);

	d->entries_nr = d->revisions_nr < limit ? d->revisions_nr : limit;
	CALLOC_ARRAY(d->entries, d->entries_nr ? d->entries_nr : 1);
	for (i = 0; i < d->entries_nr; i++) {
		struct digest_entry *e = &d->entries[i];
		struct strbuf sb = STRBUF_INIT;

		e->patch = highlight(d->revisions[i]);
		e->superseded_by = next_revision(d->revisions[i]);
		e->applied = applied_of(d, e->patch);
		describe_applied(&sb, d, e);
		e->applied_text = sb.len ? strbuf_detach(&sb, NULL) : NULL;
		strbuf_release(&sb);
	}
}

/* URLs -------------------------------------------------------------------- */

void digest_url(struct strbuf *out, const char *midmask, const char *mid)
{
	const char *s = strstr(midmask, "%s"), *p;

	strbuf_add(out, midmask, s ? (size_t)(s - midmask) : strlen(midmask));
	for (p = mid; *p; p++) {
		unsigned char c = (unsigned char)*p;

		/* Unreserved characters and '@' stay; lore decodes the rest. */
		if (isalnum(c) || strchr("-._~@+=$!", c))
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "%%%02X", c);
	}
	if (s)
		strbuf_addstr(out, s + 2);
}

void digest_set_urls(struct digest *d, const char *midmask)
{
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		struct strbuf sb = STRBUF_INIT;

		digest_url(&sb, midmask ? midmask : DIGEST_DEFAULT_MIDMASK,
			   d->entries[i].patch->mail->mid);
		free(d->entries[i].url);
		d->entries[i].url = strbuf_detach(&sb, NULL);
	}
}

/* Overview ---------------------------------------------------------------- */

static void add_count(struct strbuf *out, size_t n, const char *one, const char *many)
{
	strbuf_addf(out, "%zu %s", n, n == 1 ? one : many);
}

/* "Jane's v2 series "X" (7 patches), which adds ..." */
static void describe_dominant(struct strbuf *out, const struct series_revision *rev)
{
	struct strbuf clause = STRBUF_INIT;
	size_t size = digest_revision_size(rev);

	summary_add_author(out, rev->series);
	strbuf_addstr(out, "'s ");
	if (rev->flags & REVISION_RESEND)
		strbuf_addstr(out, "resent ");
	if (rev->flags & REVISION_RFC)
		strbuf_addstr(out, "RFC ");
	if (rev->version > 1 || rev->series->revisions_nr > 1)
		strbuf_addf(out, "v%u ", rev->version);
	if (rev->flags & REVISION_PULL)
		strbuf_addf(out, "pull request \"%s\"", series_revision_title(rev));
	else if (size > 1)
		strbuf_addf(out, "series \"%s\" (%zu patches)", series_revision_title(rev), size);
	else
		strbuf_addf(out, "patch \"%s\"", series_revision_title(rev));
	/* Only a cover's own "This series ..." adds to the title. */
	if (summary_clause(&clause, rev) == 2)
		strbuf_addf(out, ", which %s", clause.buf);
	strbuf_release(&clause);
}

/* "Jane posted v3 of a patch that fixes ..." */
static void describe_other(struct strbuf *out, const struct series_revision *rev)
{
	struct strbuf clause = STRBUF_INIT;
	size_t size = digest_revision_size(rev);
	const char *rfc = rev->flags & REVISION_RFC ? "RFC " : "";
	const char *title = series_revision_title(rev);

	summary_add_author(out, rev->series);
	strbuf_addch(out, ' ');
	if (rev->flags & REVISION_PULL) {
		strbuf_addf(out, "sent the pull request \"%s\"", title);
		return;
	}
	strbuf_addstr(out, rev->flags & REVISION_RESEND ? "resent " : "posted ");
	if (rev->version > 1)
		strbuf_addf(out, "v%u of ", rev->version);
	if (size > 1) {
		strbuf_addf(out, "%s\"%s\" (%zu patches)", *rfc ? "the RFC " : "", title, size);
		/* What the series does: its cover's purpose, or its first patch's title. */
		if (summary_clause(&clause, rev))
			strbuf_addf(out, ", which %s", clause.buf);
	} else if (summary_title_clause(&clause, title)) {
		strbuf_addf(out, "a%s %spatch that %s", *rfc ? "n" : "", rfc, clause.buf);
	} else {
		strbuf_addf(out, "%s\"%s\"", *rfc ? "the RFC " : "", title);
	}
	strbuf_release(&clause);
}

/* The tree most revisions name, when it is most of them. */
static const char *majority_tree(const struct digest *d)
{
	const char *best = NULL;
	size_t i, j, bestn = 0;

	for (i = 0; i < d->revisions_nr; i++) {
		const char *t = d->revisions[i]->tree;
		size_t n = 0;

		if (!t)
			continue;
		for (j = 0; j < d->revisions_nr; j++)
			n += d->revisions[j]->tree && !strcmp(d->revisions[j]->tree, t);
		if (n > bestn) {
			bestn = n;
			best = t;
		}
	}
	return bestn * 100 >= TREE_MAJORITY * d->revisions_nr && bestn > 1 ? best : NULL;
}

static void add_totals(struct strbuf *out, const struct digest *d)
{
	add_count(out, d->patches, "patch", "patches");
	strbuf_addstr(out, " across ");
	add_count(out, d->series, "series", "series");
	strbuf_addstr(out, " from ");
	add_count(out, d->authors, "author", "authors");
}

/*
 * When, for a period with nothing to say: "on June 3, 2025", "in the
 * week of June 2-8, 2025", "in June 2025", "from May 28 to June 3, 2025".
 */
static void describe_empty_period(struct strbuf *out, const struct period *p)
{
	const char *m1 = period_month_names[p->month - 1];
	const char *m2 = period_month_names[p->last_month - 1], *sep;
	int weekly;

	if (p->kind == PERIOD_MONTHLY) {
		strbuf_addf(out, "in %s %d", m1, p->year);
		return;
	}
	if (p->year == p->last_year && p->month == p->last_month && p->day == p->last_day) {
		strbuf_addf(out, "on %s %d, %d", m1, p->day, p->year);
		return;
	}
	weekly = p->kind == PERIOD_WEEKLY;
	sep = weekly ? " - " : " to ";
	strbuf_addstr(out, weekly ? "in the week of " : "from ");
	if (p->year != p->last_year)
		strbuf_addf(out, "%s %d, %d%s%s %d, %d", m1, p->day, p->year, sep, m2, p->last_day,
			    p->last_year);
	else if (weekly && p->month == p->last_month)
		strbuf_addf(out, "%s %d-%d, %d", m1, p->day, p->last_day, p->year);
	else
		strbuf_addf(out, "%s %d%s%s %d, %d", m1, p->day, sep, m2, p->last_day, p->year);
}

void digest_write_overview(struct digest *d)
{
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	const char *tree;
	size_t i, others;

	free(d->overview);
	if (!d->revisions_nr) {
		strbuf_addf(&sb, "No patches were submitted to %s ", d->list ? d->list : "the list");
		describe_empty_period(&sb, &d->period);
		strbuf_addch(&sb, '.');
		d->overview = strbuf_detach(&sb, NULL);
		return;
	}
	period_describe(&when, &d->period);
	tree = majority_tree(d);
	switch (d->period.kind) {
	case PERIOD_DAILY:
		strbuf_addf(&sb, "Activity on %s", when.buf);
		break;
	case PERIOD_WEEKLY:
		strbuf_addf(&sb, "The week of %s", when.buf);
		break;
	case PERIOD_MONTHLY:
		strbuf_addf(&sb, "%s brought ", when.buf);
		add_totals(&sb, d);
		break;
	case PERIOD_RANGE:
		strbuf_addf(&sb, "The period of %s", when.buf);
		break;
	}
	if (tree)
		strbuf_addf(&sb, " on %s", tree);
	if (d->period.kind == PERIOD_MONTHLY)
		strbuf_addstr(&sb, ". It was headlined by ");
	else if (d->revisions_nr == 1)
		strbuf_addstr(&sb, " consisted of ");
	else
		strbuf_addstr(&sb, " was dominated by ");
	describe_dominant(&sb, d->revisions[0]);
	strbuf_addch(&sb, '.');
	summary_themes(&sb, d->revisions, d->revisions_nr);

	others = d->revisions_nr - 1 < OVERVIEW_OTHERS ? d->revisions_nr - 1 : OVERVIEW_OTHERS;
	for (i = 1; i <= others; i++) {
		strbuf_addstr(&sb, i == 1 ? " " : others == 2 ? " and " :
				   i == others ? ", and " : ", ");
		describe_other(&sb, d->revisions[i]);
	}
	if (others)
		strbuf_addch(&sb, '.');
	if (d->period.kind != PERIOD_MONTHLY && d->revisions_nr > 1) {
		strbuf_addstr(&sb, " In all, ");
		add_totals(&sb, d);
		strbuf_addstr(&sb, d->patches == 1 ? " was posted." : " were posted.");
	}
	d->overview = strbuf_detach(&sb, NULL);
	strbuf_release(&when);
}

/* Applied this period, and what needs attention ------------------------- */

struct tree_series {
	char *tree;
	const struct series *series;
};

static int cmp_tree_series(const void *a, const void *b)
{
	const struct tree_series *x = a, *y = b;
	int c = strcmp(x->tree, y->tree);

	if (c)
		return c;
	return (uintptr_t)x->series < (uintptr_t)y->series ? -1 :
	       (uintptr_t)x->series > (uintptr_t)y->series;
}

/* bpf-next, then bpf, then the others by name: the order a maintainer reads them in. */
static int tree_rank(const char *tree)
{
	return !strcmp(tree, "bpf-next") ? 0 : !strcmp(tree, "bpf") ? 1 : 2;
}

void digest_count_applied(struct digest *d, const struct series_set *set)
{
	struct tree_series *v = NULL;
	size_t i, nr = 0, alloc = 0, rank;
	struct strbuf sb = STRBUF_INIT;

	free(d->applied_line);
	d->applied_line = NULL;
	/* An archive the bot never reported on says nothing of what was applied. */
	if (!set->applied_nr && !d->archive_has_notices)
		return;
	for (i = 0; i < set->applied_nr; i++) {
		const struct series_applied *a = &set->applied[i];

		if (!a->tree || !period_contains(&d->period, mail_period_time(a->notice)))
			continue;
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr].tree = series_tree_name(a->tree);
		v[nr].series = a->patch->revision->series;
		nr++;
	}
	QSORT(v, nr, cmp_tree_series);
	strbuf_addstr(&sb, "Applied this period: ");
	for (rank = 0; rank < 3; rank++) {
		size_t n = 0;

		/* bpf-next and bpf are always said, the others when they had one. */
		if (rank < 2) {
			for (i = 0; i < nr; i++)
				n += tree_rank(v[i].tree) == (int)rank &&
				     (!i || cmp_tree_series(&v[i - 1], &v[i]));
			strbuf_addf(&sb, "%s%zu%s to %s", rank ? ", " : "", n,
				    rank ? "" : " series", rank ? "bpf" : "bpf-next");
			continue;
		}
		for (i = 0; i < nr; i++) {
			if (tree_rank(v[i].tree) != 2 || (i && !cmp_tree_series(&v[i - 1], &v[i])))
				continue;
			n++;
			if (i + 1 == nr || strcmp(v[i + 1].tree, v[i].tree)) {
				strbuf_addf(&sb, ", %zu to %s", n, v[i].tree);
				n = 0;
			}
		}
	}
	d->applied_line = strbuf_detach(&sb, NULL);
	for (i = 0; i < nr; i++)
		free(v[i].tree);
	free(v);
}

int digest_add_attention(struct digest *d, const char *label, const char *title,
			 unsigned version, long days, const char *mid, const char *midmask)
{
	struct digest_attention *a;
	struct strbuf sb = STRBUF_INIT;

	if (d->attention_nr >= DIGEST_ATTENTION_MAX)
		return -1;
	a = &d->attention[d->attention_nr++];
	a->label = label;
	a->title = title;
	a->version = version;
	a->days = days;
	a->mid = mid;
	a->url = NULL;
	if (mid) {
		digest_url(&sb, midmask, mid);
		a->url = strbuf_detach(&sb, NULL);
	}
	return 0;
}

/* The list ---------------------------------------------------------------- */

char *digest_guess_list_counted(const char *const *ids, const uint64_t *counts, size_t nr)
{
	const char *best = NULL, *dot;
	uint64_t bestn = 0;
	size_t i;

	for (i = 0; i < nr; i++)
		if (counts[i] > bestn || (counts[i] == bestn && best && strcmp(ids[i], best) < 0)) {
			bestn = counts[i];
			best = ids[i];
		}
	if (!best)
		return NULL;
	/* List-Id "bpf.vger.kernel.org" names bpf@vger.kernel.org. */
	dot = strchr(best, '.');
	return dot ? xstrfmt("%.*s@%s", (int)(dot - best), best, dot + 1) : xstrdup(best);
}

char *digest_guess_list(struct mail *const *mails, size_t nr)
{
	struct strmap counts = STRMAP_INIT;
	const char **ids, *key;
	uint64_t *n;
	size_t i, k = 0;
	void *value;
	char *out;

	for (i = 0; i < nr; i++)
		if (mails[i]->list_id)
			strmap_put(&counts, mails[i]->list_id,
				   (void *)((uintptr_t)strmap_get(&counts, mails[i]->list_id) + 1));
	ALLOC_ARRAY(ids, counts.nr ? counts.nr : 1);
	ALLOC_ARRAY(n, counts.nr ? counts.nr : 1);
	for (i = 0; strmap_next(&counts, &k, &key, &value); i++) {
		ids[i] = key;
		n[i] = (uintptr_t)value;
	}
	out = digest_guess_list_counted(ids, n, i);
	free(ids);
	free(n);
	strmap_clear(&counts);
	return out;
}

static void applied_list_free(void *value)
{
	struct digest_applied_list *list = value;
	size_t i;

	for (i = 0; i < list->nr; i++) {
		free(list->items[i].commit);
		free(list->items[i].method);
		free(list->items[i].tree);
		free(list->items[i].changes);
	}
	free(list->items);
	free(list);
}

void digest_release(struct digest *d)
{
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		free(d->entries[i].summary);
		free(d->entries[i].url);
		summary_release(&d->entries[i].sentences);
		free(d->entries[i].applied_text);
	}
	strmap_clear_values(&d->applied_by_mid, applied_list_free);
	for (i = 0; i < d->attention_nr; i++)
		free(d->attention[i].url);
	free(d->applied_line);
	free(d->entries);
	free(d->revisions);
	free(d->overview);
	free(d->list);
	memset(d, 0, sizeof(*d));
}
