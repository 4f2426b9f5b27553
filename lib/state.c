/*
 * state.c - review states of revisions and patches (see state.h).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "link.h"
#include "mail.h"
#include "patchid.h"
#include "patchid-commits.h"
#include "patchid-pathmap.h"
#include "series.h"
#include "state.h"
#include "state-changes.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *const names[STATE_NR] = {
	[STATE_POSTED] = "posted",
	[STATE_STALLED] = "stalled",
	[STATE_REVIEWED] = "reviewed",
	[STATE_DEFERRED] = "deferred",
	[STATE_CHANGES_REQUESTED] = "changes-requested",
	[STATE_NACKED] = "nacked",
	[STATE_SUPERSEDED] = "superseded",
	[STATE_PARTIALLY_APPLIED] = "partially-applied",
	[STATE_APPLIED] = "applied",
};

const char *state_name(enum state state)
{
	return (unsigned)state < STATE_NR ? names[state] : "unknown";
}

int state_parse(const char *name)
{
	int i;

	for (i = 0; i < STATE_NR; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int state_is_decided(enum state state)
{
	return state != STATE_POSTED && state != STATE_STALLED;
}

/* A mail counts when it was there at the time asked about. */
static int seen(const struct mail *m, time_t at)
{
	return m && m->date <= at;
}

static void set_evidence(struct state_evidence *ev, const struct mail *m)
{
	ev->mid = m->mid;
	ev->date = m->date;
}

/*
 * Raise *st to s with evidence m, when s is stronger.  Among the mails
 * for one state the earliest is kept: it set the state, the others only
 * repeat it.
 */
static void raise_to(enum state *st, struct state_evidence *ev, enum state s,
		     const struct mail *m)
{
	if (s < *st || (s == *st && ev->mid && ev->date <= m->date))
		return;
	*st = s;
	set_evidence(ev, m);
}

/* The verdicts of the human replies to p (a patch or the cover). */
static void verdicts(enum state *st, struct state_evidence *ev, const struct series_patch *p,
		     time_t at)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->replies_nr; i++) {
		const struct mail *m = p->replies[i];

		if (!seen(m, at) || series_mail_is_bot(m))
			continue;
		if (m->flags & MAIL_NAK)
			raise_to(st, ev, STATE_NACKED, m);
		if (m->flags & MAIL_PWBOT_CR)
			raise_to(st, ev, STATE_CHANGES_REQUESTED, m);
		if (m->flags & MAIL_PWBOT_DEFER)
			raise_to(st, ev, STATE_DEFERRED, m);
	}
}

/* The newest human message about p (its posting, else a reply), up to at. */
static time_t last_human(const struct series_patch *p, time_t at, time_t last)
{
	size_t i;

	if (!p)
		return last;
	if (seen(p->mail, at) && p->mail->date > last)
		last = p->mail->date;
	for (i = 0; i < p->replies_nr; i++) {
		const struct mail *m = p->replies[i];

		if (seen(m, at) && !series_mail_is_bot(m) && m->date > last)
			last = m->date;
	}
	return last;
}

/* A revision lives while anyone answers any of its messages. */
static time_t revision_last_human(const struct series_revision *rev, time_t at)
{
	time_t last = last_human(rev->cover, at, 0);
	size_t i;

	for (i = 0; i < rev->patches_nr; i++)
		last = last_human(rev->patches[i], at, last);
	return last;
}

static int is_nack(const char *key)
{
	return !strcasecmp(key, "Nacked-by");
}

/* The applied commit of p up to at: from the pw-bot notice or the tree. */
static int applied(struct state_patch *sp, const struct series_patch *p,
		   const struct state_options *opts, time_t at)
{
	const struct link_commit *lc = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (p->applied && seen(p->applied->notice, at)) {
		set_evidence(&sp->evidence, p->applied->notice);
		return 1;
	}
	if (opts->links)
		lc = link_applied(opts->links, p->mail->mid);
	if (!lc || lc->commit_time > at)
		return 0;
	git_oid_tostr(hex, sizeof(hex), &lc->id);
	sp->evidence.mid = NULL;
	sp->evidence.date = lc->commit_time;
	sp->evidence.commit = xstrdup(hex);
	return 1;
}

/*
 * The commit p became in this repository: the one the link stage found,
 * else the one the pw-bot notice names, when the repository has it.
 */
static int applied_commit(git_oid *out, const struct series_patch *p,
			  const struct state_options *opts)
{
	const struct link_commit *lc = opts->links ? link_applied(opts->links, p->mail->mid) : NULL;
	git_object *obj = NULL;
	git_oid prefix;
	size_t len;

	if (lc) {
		git_oid_cpy(out, &lc->id);
		return 1;
	}
	if (!p->applied || !p->applied->commit)
		return 0;
	len = strlen(p->applied->commit);
	if (len < 7 || len > GIT_OID_HEXSZ || git_oid_fromstrn(&prefix, p->applied->commit, len) < 0 ||
	    git_object_lookup_prefix(&obj, opts->repo, &prefix, len, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		return 0;
	}
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return 1;
}

/* Whether the tree (the commit's parent's) has path; no tree: none has it. */
static int tree_has(const char *path, void *data)
{
	git_tree_entry *e = NULL;

	if (!data || git_tree_entry_bypath(&e, data, path) < 0) {
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(e);
	return 1;
}

/* The tree commit was made on (its first parent's), or NULL for a root. */
static git_tree *parent_tree(git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL;

	if (git_commit_lookup(&c, repo, commit) == 0 && git_commit_parentcount(c) &&
	    git_commit_parent(&parent, c, 0) == 0 && git_commit_tree(&tree, parent) < 0)
		tree = NULL;
	git_error_clear();
	git_commit_free(parent);
	git_commit_free(c);
	return tree;
}

void state_applied_changes(struct state_changes **out, const struct series_patch *p,
			   const git_oid *commit, const struct state_options *opts)
{
	const struct mail *m = p->mail;
	struct strbuf mapped = STRBUF_INIT, text = STRBUF_INIT;
	const char *diff;
	size_t len;
	git_oid posted, id;
	int status;

	*out = NULL;
	if (!opts->repo || !(m->flags & MAIL_HAS_BODY) || !m->diff || !*m->diff)
		return;
	diff = m->diff;
	len = strlen(diff);
	if (opts->pathmap) {
		if (!patchid_pathmap_diff(&mapped, opts->pathmap, diff, len))
			goto out;
		diff = mapped.buf;
		len = mapped.len;
	}
	if (patchid_mail(&posted, diff, len) != PATCHID_OK)
		goto out;
	patchid_commits(&id, &status, opts->repo, commit, 1, opts->cache);
	if (status != PATCHID_OK || git_oid_equal(&id, &posted))
		goto out;
	if (patchid_commit_diff(&text, opts->repo, commit) == PATCHID_OK) {
		git_tree *before = parent_tree(opts->repo, commit);

		state_changes_compare(out, diff, len, text.buf, text.len, tree_has, before);
		git_tree_free(before);
	}
out:
	strbuf_release(&mapped);
	strbuf_release(&text);
}

/* A later full revision posted by at supersedes rev. */
static const struct series_revision *superseder(const struct series *s, size_t i, time_t at)
{
	size_t j;

	for (j = i + 1; j < s->revisions_nr; j++) {
		const struct series_revision *r = s->revisions[j];

		if (!(r->flags & REVISION_PARTIAL) && r->date <= at)
			return r;
	}
	return NULL;
}

static const struct mail *revision_mail(const struct series_revision *r)
{
	if (r->cover)
		return r->cover->mail;
	return r->patches_nr ? r->patches[0]->mail : NULL;
}

/* quiet: no human has written in the revision for bpfdigest.staleDays. */
static void patch_state(struct state_patch *sp, const struct series *s, size_t ri,
			const struct state_options *opts, time_t at, int quiet)
{
	const struct series_patch *p = sp->patch;
	const struct series_revision *rev = p->revision;
	const struct series_revision *later = superseder(s, ri, at);
	size_t i;

	sp->state = STATE_POSTED;
	if (applied(sp, p, opts, at)) {
		git_oid commit;

		sp->state = STATE_APPLIED;
		if (opts->repo && applied_commit(&commit, p, opts))
			state_applied_changes(&sp->applied_changes, p, &commit, opts);
		return;
	}
	if (p->superseded_by && seen(p->superseded_by->mail, at)) {
		sp->state = STATE_SUPERSEDED;
		set_evidence(&sp->evidence, p->superseded_by->mail);
		return;
	}
	if (later && revision_mail(later)) {
		sp->state = STATE_SUPERSEDED;
		set_evidence(&sp->evidence, revision_mail(later));
		return;
	}
	verdicts(&sp->state, &sp->evidence, p, at);
	verdicts(&sp->state, &sp->evidence, rev->cover, at);
	if (sp->state != STATE_POSTED)
		return;
	for (i = 0; i < p->reviews_nr; i++) {
		const struct series_review *r = &p->reviews[i];

		if (is_nack(r->trailer) || !seen(r->given_in, at))
			continue;
		raise_to(&sp->state, &sp->evidence, STATE_REVIEWED, r->given_in);
	}
	if (sp->state != STATE_POSTED)
		return;
	if (quiet) {
		const struct mail *m = p->mail;

		sp->state = STATE_STALLED;
		/* The last word, which nobody answered. */
		for (i = 0; i < p->replies_nr; i++)
			if (seen(p->replies[i], at) && !series_mail_is_bot(p->replies[i]) &&
			    p->replies[i]->date >= m->date)
				m = p->replies[i];
		set_evidence(&sp->evidence, m);
	}
}

static int load_patch_id(struct state_patch *sp)
{
	const struct mail *m = sp->patch->mail;
	git_oid id;

	if (!(m->flags & MAIL_HAS_BODY) || !m->diff || !*m->diff)
		return 0;
	if (patchid_mail(&id, m->diff, strlen(m->diff)) != PATCHID_OK)
		return 0;
	memcpy(sp->patch_id, id.id, sizeof(sp->patch_id));
	sp->patch_id_ok = 1;
	return 1;
}

static struct state_patch *at_position(struct state_revision *r, unsigned position)
{
	size_t i;

	for (i = 0; i < r->patches_nr; i++)
		if (r->patches[i].position == position)
			return &r->patches[i];
	return NULL;
}

/* The full revision before index i that was seen, or NULL. */
static struct state_revision *previous_full(struct series_state *st, size_t i)
{
	while (i-- > 0)
		if (st->revisions[i].seen && !(st->revisions[i].revision->flags & REVISION_PARTIAL))
			return &st->revisions[i];
	return NULL;
}

/* unchanged_since, is_new and dropped, against the revisions before. */
static void compare_revisions(struct series_state *st, size_t i)
{
	struct state_revision *r = &st->revisions[i];
	struct state_revision *prev = previous_full(st, i);
	size_t k;

	for (k = 0; k < r->patches_nr; k++) {
		struct state_patch *sp = &r->patches[k];
		struct state_revision *q = r;
		struct state_patch *old;

		sp->is_new = prev && !at_position(prev, sp->position) &&
			     !(r->revision->flags & REVISION_PARTIAL);
		if (!sp->patch_id_ok)
			continue;
		sp->unchanged_since = r->revision->version;
		while ((q = previous_full(st, q - st->revisions)) &&
		       (old = at_position(q, sp->position)) && old->patch_id_ok &&
		       !memcmp(old->patch_id, sp->patch_id, sizeof(sp->patch_id)))
			sp->unchanged_since = q->revision->version;
	}
	if (!prev || (r->revision->flags & REVISION_PARTIAL))
		return;
	for (k = 0; k < prev->patches_nr; k++)
		if (!at_position(r, prev->patches[k].position)) {
			REALLOC_ARRAY(r->dropped, r->dropped_nr + 1);
			r->dropped[r->dropped_nr++] = prev->patches[k].position;
		}
}

/* The revision: its patches' strongest, applied only when all are. */
static void revision_state(struct state_revision *r)
{
	size_t i, nr_applied = 0;
	const struct state_patch *best = NULL;

	for (i = 0; i < r->patches_nr; i++) {
		const struct state_patch *sp = &r->patches[i];

		if (sp->state == STATE_APPLIED)
			nr_applied++;
		if (!best || sp->state > best->state)
			best = sp;
	}
	r->state = STATE_POSTED;
	if (!best)
		return;
	r->state = best->state;
	r->evidence.mid = best->evidence.mid;
	r->evidence.date = best->evidence.date;
	r->evidence.commit = xstrdup_or_null(best->evidence.commit);
	if (r->state == STATE_APPLIED && nr_applied < r->patches_nr)
		r->state = STATE_PARTIALLY_APPLIED;
}

int state_series(struct series_state *out, const struct series *s,
		 const struct state_options *opts)
{
	static const struct state_options defaults = STATE_OPTIONS_INIT;
	time_t at, stale;
	size_t i, j;
	int quiet;

	if (!opts)
		opts = &defaults;
	at = opts->at ? opts->at : time(NULL);
	stale = (time_t)(opts->stale_days ? opts->stale_days : STATE_STALE_DAYS_DEFAULT) * 86400;

	memset(out, 0, sizeof(*out));
	out->series = s;
	out->nr = s->revisions_nr;
	CALLOC_ARRAY(out->revisions, out->nr);
	for (i = 0; i < s->revisions_nr; i++) {
		struct series_revision *rev = s->revisions[i];
		struct state_revision *r = &out->revisions[i];

		r->revision = rev;
		r->seen = rev->date <= at;
		CALLOC_ARRAY(r->patches, rev->patches_nr ? rev->patches_nr : 1);
		/* Once per revision: a revision of 100,000 patches is not quadratic. */
		quiet = r->seen && revision_last_human(rev, at) + stale <= at;
		for (j = 0; j < rev->patches_nr; j++) {
			struct state_patch *sp = &r->patches[r->patches_nr];

			if (!rev->patches[j])
				continue;
			r->patches_nr++;
			sp->patch = rev->patches[j];
			sp->position = sp->patch->subject.position;
			if (!r->seen || !seen(sp->patch->mail, at))
				continue;
			load_patch_id(sp);
			patch_state(sp, s, i, opts, at, quiet);
		}
		if (!r->seen)
			continue;
		revision_state(r);
		if (r->state == STATE_SUPERSEDED && superseder(s, i, at) &&
		    revision_mail(superseder(s, i, at)))
			/* The revision that replaced it, rather than one patch of it. */
			set_evidence(&r->evidence, revision_mail(superseder(s, i, at)));
	}
	for (i = 0; i < out->nr; i++)
		if (out->revisions[i].seen)
			compare_revisions(out, i);
	return 0;
}

void series_state_release(struct series_state *st)
{
	size_t i, j;

	for (i = 0; i < st->nr; i++) {
		struct state_revision *r = &st->revisions[i];

		for (j = 0; j < r->patches_nr; j++) {
			free(r->patches[j].evidence.commit);
			state_changes_free(r->patches[j].applied_changes);
		}
		free(r->patches);
		free(r->dropped);
		free(r->evidence.commit);
	}
	free(st->revisions);
	memset(st, 0, sizeof(*st));
}

const struct state_revision *state_find_revision(const struct series_state *st,
						 const struct series_revision *rev)
{
	size_t i;

	for (i = 0; i < st->nr; i++)
		if (st->revisions[i].revision == rev)
			return &st->revisions[i];
	return NULL;
}

const struct state_patch *state_find_patch(const struct series_state *st,
					   const struct series_patch *p)
{
	const struct state_revision *r = state_find_revision(st, p->revision);
	size_t lo = 0, hi = r ? r->patches_nr : 0;

	/* Its patches are in the revision's order, by position. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->patches[mid].position < p->subject.position)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; r && lo < r->patches_nr && r->patches[lo].position == p->subject.position; lo++)
		if (r->patches[lo].patch == p)
			return &r->patches[lo];
	/* A revision holding one position twice is searched through. */
	for (lo = 0; r && lo < r->patches_nr; lo++)
		if (r->patches[lo].patch == p)
			return &r->patches[lo];
	return NULL;
}

void state_wanted_bodies(struct mail ***mails, size_t *nr, size_t *alloc,
			 const struct series *s)
{
	size_t i, j;

	for (i = 0; i < s->revisions_nr; i++) {
		const struct series_revision *rev = s->revisions[i];

		for (j = 0; j < rev->patches_nr; j++) {
			struct mail *m = rev->patches[j] ? rev->patches[j]->mail : NULL;

			if (!m || !(m->flags & MAIL_HAS_DIFF) || (m->flags & MAIL_HAS_BODY))
				continue;
			ALLOC_GROW(*mails, *nr + 1, *alloc);
			(*mails)[(*nr)++] = m;
		}
	}
}
