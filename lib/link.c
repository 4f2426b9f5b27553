#include "link.h"
#include "link-trailer.h"
#include "mail.h"
#include "patchid.h"
#include "patchid-cache.h"
#include "patchid-commits.h"
#include "patchid-pathmap.h"
#include "repo.h"
#include "series.h"
#include "strbuf.h"
#include "subject.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const method_names[LINK_METHOD_NR] = {
	[LINK_NONE] = "none",
	[LINK_SUBJECT] = "subject",
	[LINK_PATCH_ID] = "patch-id",
	[LINK_TRAILER] = "link",
	[LINK_PWBOT] = "pwbot",
};

const char *link_method_name(enum link_method method)
{
	return method < LINK_METHOD_NR ? method_names[method] : "none";
}

const char *link_confidence_name(enum link_confidence c)
{
	static const char *const names[] = { "none", "weak", "likely", "certain" };

	return c <= LINK_CERTAIN ? names[c] : "none";
}


/* --- postings ---------------------------------------------------------------- */

/* A posted patch (not a cover), with what matching needs of it. */
struct posting {
	struct series_patch *patch;
	char *title;		/* normalised */
	time_t date;
	size_t mark;		/* last commit (index + 1) it was a candidate of */
	int ids_known;		/* patch-ids computed (or not computable) */
	int raw_ok, mapped_ok;
	git_oid raw, mapped;	/* as posted, and rewritten for the mirror */
};

/* The candidates of one commit. */
struct posting_list {
	struct posting **items;
	size_t nr, alloc;
};

/* What one method found for one commit. */
struct finding {
	struct series_patch *patch;
	struct series_patch *other;	/* a second, different answer: ambiguous */
};

struct linker {
	struct link_set *set;
	git_repository *repo;
	struct series_set *series;
	const struct link_options *opts;
	time_t window, patchid_window;
	git_mailmap *mailmap;
	struct posting *postings;
	size_t postings_nr;
	struct strmap by_patch;		/* Message-ID -> struct posting */
	struct strmap by_title;		/* normalised title -> postings (strmap_list) */
	struct strmap by_path;		/* path (and mirror path) -> postings (strmap_list) */
	struct strmap commit_index;	/* commit hex -> index + 1 (as a pointer) */
	struct finding *found;		/* nr * LINK_METHOD_NR */
	struct series_revision **cover_of;	/* per commit: a Link: named this cover */
	char **norm_summary;		/* per commit */
};

static struct finding *finding(struct linker *l, size_t commit, enum link_method m)
{
	return &l->found[commit * LINK_METHOD_NR + m];
}

/* Equal titles once normalised (either may be normalised already). */
static int titles_equal(const char *a, const char *b)
{
	char *x = subject_normalize(a), *y = subject_normalize(b);
	int eq = !strcmp(x, y);

	free(x);
	free(y);
	return eq;
}

/* The same person: equal addresses or equal names (after .mailmap). */
static int same_person(const struct mail *a, const struct mail *b)
{
	if (*a->from_email && !strcasecmp(a->from_email, b->from_email))
		return 1;
	return *a->from_name && !strcasecmp(a->from_name, b->from_name);
}

/*
 * Two revisions of one patch: the same title in the same series, or by
 * the same person (a reroll from another address starts another series).
 */
static int same_work(const struct series_patch *a, const struct series_patch *b)
{
	if (a == b)
		return 1;
	if (!a || !b || !titles_equal(a->subject.title, b->subject.title))
		return 0;
	return a->revision->series == b->revision->series || same_person(a->mail, b->mail);
}

static void record(struct linker *l, size_t commit, enum link_method m, struct series_patch *p)
{
	struct finding *f = finding(l, commit, m);

	if (!f->patch)
		f->patch = p;
	else if (!same_work(f->patch, p) && !f->other)
		f->other = p;
}

/*
 * Evidence in words.  Every string that came from mail was made safe by
 * the series stage (titles) or is a Message-ID; the revision is "vN".
 */
static void PRINTF_LIKE(4, 5) add_evidence(struct link_commit *lc, enum link_method m,
					   struct series_patch *p, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct link_evidence *e;
	va_list ap;

	ALLOC_GROW(lc->evidence, lc->evidence_nr + 1, lc->evidence_alloc);
	e = &lc->evidence[lc->evidence_nr++];
	e->method = m;
	e->patch = p;
	e->accepted = 0;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	e->why = strbuf_detach(&sb, NULL);
}

static int is_patch(const struct series_patch *p)
{
	return p->revision && p->revision->cover != p &&
	       !(p->revision->flags & REVISION_PULL);
}

/* A kernel version as stable trees are named: "6.1", "5.10.y", "6.6.12". */
static int is_version(const char *s, size_t len)
{
	size_t i, dots = 0;

	if (!len || !isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]) && !(s[i] == 'y' && i == len - 1))
			return 0;
	}
	return dots >= 1;
}

/*
 * Backports re-post commits already applied ("[PATCH AUTOSEL 5.7 3/9]",
 * "[PATCH 6.1.y]", "[PATCH stable]"): the same change and subject, but
 * not the posting the commit came from.
 */
static int is_backport(const struct series_patch *p)
{
	const char *s = p->subject.prefix;

	while (*s) {
		size_t len = 0;

		while (*s && !isalnum((unsigned char)*s))
			s++;
		while (isalnum((unsigned char)s[len]) || s[len] == '.')
			len++;
		if ((len == 7 && !strncasecmp(s, "autosel", 7)) ||
		    (len == 6 && !strncasecmp(s, "stable", 6)) || is_version(s, len))
			return 1;
		s += len;
	}
	return 0;
}

static void index_postings(struct linker *l)
{
	const struct series_set *set = l->series;
	struct strbuf mapped = STRBUF_INIT;
	size_t i, j, k, n = 0;

	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->series[i]->revisions_nr; j++)
			n += set->series[i]->revisions[j]->patches_nr;
	CALLOC_ARRAY(l->postings, n ? n : 1);
	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->series[i]->revisions_nr; j++) {
			const struct series_revision *rev = set->series[i]->revisions[j];

			for (k = 0; k < rev->patches_nr; k++) {
				struct series_patch *p = rev->patches[k];
				struct posting *po;

				if (!is_patch(p))
					continue;
				po = &l->postings[l->postings_nr++];
				po->patch = p;
				po->title = subject_normalize(p->subject.title);
				/* git am takes the author date from Date: as written. */
				po->date = (p->mail->flags & MAIL_HAS_DATE) ? p->mail->date
									    : p->mail->arrival;
			}
		}
	/* Pointers into postings[] are stable from here on. */
	for (i = 0; i < l->postings_nr; i++) {
		struct posting *po = &l->postings[i];
		const struct mail *m = po->patch->mail;

		strmap_put(&l->by_patch, m->mid, po);
		if (is_backport(po->patch))
			continue;
		if (*po->title)
			strmap_list_add(&l->by_title, po->title, po);
		for (j = 0; j < m->paths_nr; j++) {
			strmap_list_add(&l->by_path, m->paths[j], po);
			strbuf_reset(&mapped);
			if (l->opts->pathmap &&
			    patchid_pathmap_path(&mapped, l->opts->pathmap, m->paths[j]))
				strmap_list_add(&l->by_path, mapped.buf, po);
		}
	}
	strbuf_release(&mapped);
}

static time_t distance(time_t a, time_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * Record the posting nearest in time to the commit's author date (git am
 * copies the mail's date there); a different patch just as near makes
 * the method's answer ambiguous.
 */
static void record_nearest(struct linker *l, size_t idx, enum link_method m,
			   struct posting *const *found, size_t nr)
{
	time_t when = l->set->commits[idx].author_time;
	struct posting *best = NULL, *tie = NULL;
	size_t i;

	for (i = 0; i < nr; i++) {
		struct posting *po = found[i];

		if (!best || distance(po->date, when) < distance(best->date, when)) {
			best = po;
			tie = NULL;
		} else if (distance(po->date, when) == distance(best->date, when) &&
			   !same_work(best->patch, po->patch)) {
			tie = po;
		}
	}
	if (best)
		record(l, idx, m, best->patch);
	if (tie)
		record(l, idx, m, tie->patch);
}

static int same_author(const struct linker *l, const struct link_commit *lc,
		       const struct mail *m)
{
	/* The patch's author: an in-body From: (mail.h), else the sender. */
	const char *name = m->author_email ? m->author_name : m->from_name;
	const char *email = m->author_email ? m->author_email : m->from_email;

	if (l->mailmap)
		git_mailmap_resolve(&name, &email, l->mailmap, name, email);
	if (*email && !strcasecmp(email, lc->author_email))
		return 1;
	return *name && !strcasecmp(name, lc->author_name);
}

/* --- commits ---------------------------------------------------------------- */

static size_t commit_lookup(const struct linker *l, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	return (size_t)(uintptr_t)strmap_get(&l->commit_index, git_oid_tostr(hex, sizeof(hex), id));
}

static void find_trailer_links(struct linker *l, size_t idx, const char *message);

static int load_commits(struct linker *l, const git_oid *ids, size_t nr)
{
	struct link_set *set = l->set;
	size_t i;

	CALLOC_ARRAY(set->commits, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		struct link_commit *lc = &set->commits[i];
		git_commit *c = NULL;
		git_signature *author = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		lc->id = ids[i];
		git_oid_tostr(hex, sizeof(hex), &ids[i]);
		if (git_commit_lookup(&c, l->repo, &ids[i]) < 0 ||
		    git_commit_author_with_mailmap(&author, c, l->mailmap) < 0) {
			git_commit_free(c);
			set->nr = i;
			return error("cannot read commit '%s': %s", hex, repo_git_error());
		}
		/* Commit messages come from mail: shown, they must be safe. */
		lc->summary = textsafe_line_owned(
			xstrdup(git_commit_summary(c) ? git_commit_summary(c) : ""));
		lc->author_name = xstrdup(author->name);
		lc->author_email = xstrdup(author->email);
		lc->author_time = (time_t)author->when.time;
		lc->commit_time = git_commit_time(c);
		git_signature_free(author);
		strmap_put(&l->commit_index, hex, (void *)(uintptr_t)(i + 1));
		set->nr = i + 1;
		l->norm_summary[i] = subject_normalize(lc->summary);
		find_trailer_links(l, i, git_commit_message(c));
		git_commit_free(c);
	}
	return 0;
}

/* --- method 1: patchwork-bot notices ------------------------------------------ */

/* The commit a pw-bot URL names (".../c/<hash>"), resolved here. */
static int pwbot_commit(git_oid *out, git_repository *repo, const char *url)
{
	const char *c = url ? strstr(url, "/c/") : NULL;
	git_object *obj = NULL;
	git_oid prefix;
	size_t len = 0;

	if (!c)
		return -1;
	c += 3;
	while (isxdigit((unsigned char)c[len]))
		len++;
	if (len < 7 || len > GIT_OID_HEXSZ || git_oid_fromstrn(&prefix, c, len) < 0)
		return -1;
	if (git_object_lookup_prefix(&obj, repo, &prefix, len, GIT_OBJECT_COMMIT) < 0)
		return -1;
	*out = *git_object_id(obj);
	git_object_free(obj);
	return 0;
}

/*
 * The series stage resolves each line of a pw-bot notice to the patch it
 * names (set->applied); here each becomes a commit of the range, or a
 * count of why not.
 */
static void match_pwbot(struct linker *l)
{
	const struct series_set *set = l->series;
	size_t i;

	l->set->pwbot_unresolved += set->applied_unresolved;
	for (i = 0; i < set->applied_nr; i++) {
		const struct series_applied *a = &set->applied[i];
		git_oid id;
		size_t idx;

		if (!a->patch || !is_patch(a->patch)) {
			l->set->pwbot_unresolved++;
			continue;
		}
		if (pwbot_commit(&id, l->repo, a->url) < 0) {
			l->set->pwbot_missing++;
			continue;
		}
		idx = commit_lookup(l, &id);
		if (!idx) {
			l->set->pwbot_elsewhere++;
			continue;
		}
		record(l, idx - 1, LINK_PWBOT, a->patch);
		add_evidence(&l->set->commits[idx - 1], LINK_PWBOT, a->patch,
			     "a patchwork-bot notice <%s> names this commit as applied",
			     a->notice ? a->notice->mid : "");
	}
}

/* --- method 2: Link: and Message-ID: trailers ------------------------------------ */

static struct series_patch *by_title_in(const struct series_revision *rev, const char *norm)
{
	struct series_patch *found = NULL;
	size_t i;

	for (i = 0; i < rev->patches_nr; i++) {
		char *t = subject_normalize(rev->patches[i]->subject.title);
		int eq = !strcmp(t, norm);

		free(t);
		if (eq) {
			if (found)
				return NULL;
			found = rev->patches[i];
		}
	}
	return found;
}

/*
 * The Link: and Message-ID: lines of commit idx.  A link counts when its
 * target is a posted patch of this commit: it has the commit's subject,
 * or (for a cover, a reply, several links to patches worded otherwise)
 * the patch-id stage finds the commit's change in that revision.  The
 * last such link wins: discussion links come first, the maintainer's
 * (b4 am -l) last.  A link annotated with a revision ("# v1") names that
 * earlier revision, never the one applied; a reply is evidence for its
 * thread and revision only.
 */
static void find_trailer_links(struct linker *l, size_t idx, const char *message)
{
	const struct link_options *o = l->opts;
	struct link_commit *lc = &l->set->commits[idx];
	const char *norm = l->norm_summary[idx];
	struct series_patch *titled = NULL;
	struct series_revision *defer = NULL;
	char **mids = NULL;
	size_t nr = 0, alloc = 0, i, named_nr = 0;

	link_trailer_mids(&mids, &nr, &alloc, message, o->linkmasks, o->linkmasks_nr);
	for (i = 0; i < nr; i++) {
		struct series_patch *p = strmap_get(&l->series->by_mid, mids[i]), *q;
		unsigned annotated = link_trailer_annotation(message, mids[i]);
		struct series_revision *rev;
		int reply = 0;

		if (!p) {
			p = strmap_get(&l->series->reply_to, mids[i]);
			reply = 1;
		}
		if (!p || !p->revision) {
			add_evidence(lc, LINK_TRAILER, NULL, "Link: <%s> is not in the archive",
				     mids[i]);
			continue;
		}
		rev = p->revision;
		if (annotated) {
			add_evidence(lc, LINK_TRAILER, NULL,
				     "Link: <%s> is annotated v%u: it names that revision, "
				     "not the one applied", mids[i], annotated);
			continue;
		}
		if (reply || rev->cover == p) {
			/* The thread and revision only: the patch with this subject in it. */
			q = by_title_in(rev, norm);
			if (q && is_patch(q) && !(reply && q->superseded_by)) {
				titled = q;
				add_evidence(lc, LINK_TRAILER, q,
					     "Link: <%s> is %s of v%u; its patch with this subject",
					     mids[i], reply ? "a reply in the thread" : "the cover",
					     rev->version);
			} else {
				defer = rev;
				add_evidence(lc, LINK_TRAILER, NULL,
					     "Link: <%s> is %s of v%u \"%s\": %s; only its patch-id "
					     "can name the patch, within v%u", mids[i],
					     reply ? "a reply in the thread" : "the cover", rev->version,
					     p->subject.title,
					     q ? "a later revision of its patch with this subject exists"
					       : "no patch of it has this subject",
					     rev->version);
			}
		} else if (is_patch(p) && titles_equal(p->subject.title, norm)) {
			titled = p;
			add_evidence(lc, LINK_TRAILER, p, "Link: <%s> is this patch (v%u), with this "
				     "subject", mids[i], rev->version);
		} else if (is_patch(p)) {
			named_nr++;
			add_evidence(lc, LINK_TRAILER, p, "Link: <%s> is a patch of v%u worded "
				     "otherwise: \"%s\"", mids[i], rev->version, p->subject.title);
		} else {
			add_evidence(lc, LINK_TRAILER, NULL, "Link: <%s> is not a patch (a pull request)",
				     mids[i]);
		}
	}
	if (titled) {
		record(l, idx, LINK_TRAILER, titled);
	} else if (named_nr && !defer) {
		/*
		 * Links to patches worded otherwise still count; to several
		 * different ones, they are a conflict, reported.
		 */
		for (i = 0; i < lc->evidence_nr; i++)
			if (lc->evidence[i].method == LINK_TRAILER && lc->evidence[i].patch)
				record(l, idx, LINK_TRAILER, lc->evidence[i].patch);
	}
	l->cover_of[idx] = titled ? NULL : defer;
	for (i = 0; i < nr; i++)
		free(mids[i]);
	free(mids);
}

/* --- method 3: patch-id --------------------------------------------------------- */

static void mail_cache_key(struct strbuf *key, const struct mail *m, const char *variant)
{
	static const git_oid zero;
	char hex[GIT_OID_HEXSZ + 1];

	strbuf_reset(key);
	if (!memcmp(&m->origin.blob, &zero, sizeof(zero)))
		return;
	strbuf_addf(key, "m%s", git_oid_tostr(hex, sizeof(hex), &m->origin.blob));
	if (variant && *variant)
		strbuf_addf(key, ":%s", variant);
}

static int cached_mail_id(struct linker *l, const struct strbuf *key, git_oid *id, int *ok)
{
	enum patchid_status st;

	if (!key->len || !l->opts->cache || !patchid_cache_get(l->opts->cache, key->buf, id, &st))
		return 0;
	*ok = st == PATCHID_OK;
	return 1;
}

static void remember_mail_id(struct linker *l, const struct strbuf *key, const git_oid *id,
			     int status)
{
	if (key->len && l->opts->cache && status >= 0)
		patchid_cache_put(l->opts->cache, key->buf, id, (enum patchid_status)status);
}

/* The patch-ids of a posting, as posted and as the mirror would have it. */
static void posting_ids(struct linker *l, struct posting *po, const char *fingerprint)
{
	struct mail *m = po->patch->mail;
	struct strbuf raw_key = STRBUF_INIT, map_key = STRBUF_INIT, mapped = STRBUF_INIT;
	int have_raw, have_mapped = 1;

	if (po->ids_known)
		return;
	po->ids_known = 1;
	mail_cache_key(&raw_key, m, NULL);
	have_raw = cached_mail_id(l, &raw_key, &po->raw, &po->raw_ok);
	if (*fingerprint) {
		mail_cache_key(&map_key, m, fingerprint);
		have_mapped = cached_mail_id(l, &map_key, &po->mapped, &po->mapped_ok);
	}
	if ((have_raw && have_mapped) || !l->opts->load_body)
		goto out;
	if (l->opts->load_body(m, l->opts->load_data) < 0 || !m->diff)
		goto out;
	if (!have_raw) {
		int st = patchid_mail(&po->raw, m->diff, strlen(m->diff));

		po->raw_ok = st == PATCHID_OK;
		remember_mail_id(l, &raw_key, &po->raw, st);
	}
	if (!have_mapped) {
		int st = PATCHID_NONE;

		if (patchid_pathmap_diff(&mapped, l->opts->pathmap, m->diff, strlen(m->diff)))
			st = patchid_mail(&po->mapped, mapped.buf, mapped.len);
		po->mapped_ok = st == PATCHID_OK;
		remember_mail_id(l, &map_key, &po->mapped, st);
	}
out:
	strbuf_release(&raw_key);
	strbuf_release(&map_key);
	strbuf_release(&mapped);
}

int link_commit_paths(git_diff **out, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff_options o;
	int ret = -1;

	*out = NULL;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_commit_lookup(&c, repo, id) < 0 || git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) && (git_commit_parent(&parent, c, 0) < 0 ||
					   git_commit_tree(&ptree, parent) < 0)))
		goto out;
	ret = git_diff_tree_to_tree(out, repo, ptree, tree, &o);
out:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(c);
	return ret;
}

static void add_candidate(struct posting_list *cands, struct posting *po, size_t mark)
{
	if (po->mark == mark)
		return;
	po->mark = mark;
	ALLOC_GROW(cands->items, cands->nr + 1, cands->alloc);
	cands->items[cands->nr++] = po;
}

static void path_candidates(struct linker *l, struct posting_list *cands, const char *path,
			    size_t idx)
{
	const struct strmap_list *list = strmap_get(&l->by_path, path);
	time_t when = l->set->commits[idx].author_time;
	size_t i;

	for (i = 0; list && i < list->nr; i++) {
		struct posting *po = list->items[i];

		if (distance(po->date, when) <= l->patchid_window)
			add_candidate(cands, po, idx + 1);
	}
}

/* Postings that could be commit idx: the same files, in the date window. */
static int commit_candidates(struct linker *l, struct posting_list *cands, size_t idx)
{
	const struct series_revision *cover = l->cover_of[idx];
	git_diff *diff;
	size_t i, n;

	cands->nr = 0;
	if (cover)
		for (i = 0; i < cover->patches_nr; i++) {
			struct posting *po = strmap_get(&l->by_patch, cover->patches[i]->mail->mid);

			if (po)
				add_candidate(cands, po, idx + 1);
		}
	if (link_commit_paths(&diff, l->repo, &l->set->commits[idx].id) < 0)
		return error("cannot diff commit '%s': %s",
			     git_oid_tostr_s(&l->set->commits[idx].id), repo_git_error());
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		path_candidates(l, cands, d->new_file.path, idx);
		if (strcmp(d->old_file.path, d->new_file.path))
			path_candidates(l, cands, d->old_file.path, idx);
	}
	git_diff_free(diff);
	return 0;
}

/*
 * The postings with the commit's patch-id: a cover's link decides; else
 * those with the commit's subject, if any; else all.  The same change
 * posted as different patches (a uapi header and its tools/ copy, in two
 * mirrors) is ambiguous unless the subject tells them apart.
 */
static void pick_by_patchid(struct linker *l, size_t idx, const git_oid *id,
			    struct posting_list *cands, const char *fingerprint)
{
	const struct series_revision *cover = l->cover_of[idx];
	size_t i, n = 0, titled = 0;

	for (i = 0; i < cands->nr; i++) {
		struct posting *po = cands->items[i];

		posting_ids(l, po, fingerprint);
		if (!(po->raw_ok && git_oid_equal(&po->raw, id)) &&
		    !(po->mapped_ok && git_oid_equal(&po->mapped, id)))
			continue;
		if (cover && po->patch->revision == cover) {
			/* The Link: named this revision's thread: that decides. */
			record(l, idx, LINK_TRAILER, po->patch);
			record(l, idx, LINK_PATCH_ID, po->patch);
			return;
		}
		if (!strcmp(po->title, l->norm_summary[idx])) {
			/* Subject matches first, in the order found. */
			cands->items[n++] = cands->items[titled];
			cands->items[titled++] = po;
		} else {
			cands->items[n++] = po;
		}
	}
	if (titled)
		n = titled;
	for (i = 1; i < n; i++)
		if (!same_work(cands->items[0]->patch, cands->items[i]->patch)) {
			record(l, idx, LINK_PATCH_ID, cands->items[0]->patch);
			record(l, idx, LINK_PATCH_ID, cands->items[i]->patch);
			return;
		}
	record_nearest(l, idx, LINK_PATCH_ID, cands->items, n);
}

/* The match pw-bot or a Link: already made, or NULL. */
static struct series_patch *trusted_match(struct linker *l, size_t idx)
{
	const struct finding *pw = finding(l, idx, LINK_PWBOT), *tr = finding(l, idx, LINK_TRAILER);

	if (pw->patch && !pw->other)
		return pw->patch;
	return tr->patch && !tr->other ? tr->patch : NULL;
}

/*
 * A commit worth diffing again with another algorithm: a posting among
 * its candidates has its subject, or is in the revision a Link: named.
 * (Any commit has candidates that merely touch its files.)
 */
static int worth_another_diff(struct linker *l, size_t idx, const struct posting_list *cands)
{
	size_t i;

	for (i = 0; i < cands->nr; i++)
		if (!strcmp(cands->items[i]->title, l->norm_summary[idx]) ||
		    cands->items[i]->patch->revision == l->cover_of[idx])
			return 1;
	return 0;
}

/*
 * Diff which[] (commit indexes) with one algorithm and pick by patch-id;
 * only commits with no patch-id finding yet are diffed.
 */
static void patchid_pass(struct linker *l, const size_t *which, size_t nr,
			 struct posting_list *per_commit, const char *fingerprint,
			 enum patchid_algorithm algo)
{
	struct link_set *set = l->set;
	git_oid *ids, *pids;
	int *status;
	size_t *todo, n = 0, i;

	ALLOC_ARRAY(todo, nr ? nr : 1);
	for (i = 0; i < nr; i++)
		if (!finding(l, which[i], LINK_PATCH_ID)->patch &&
		    (algo == PATCHID_MYERS || worth_another_diff(l, which[i], &per_commit[which[i]])))
			todo[n++] = which[i];
	ALLOC_ARRAY(ids, n ? n : 1);
	CALLOC_ARRAY(pids, n ? n : 1);
	CALLOC_ARRAY(status, n ? n : 1);
	for (i = 0; i < n; i++)
		ids[i] = set->commits[todo[i]].id;
	set->patchids_computed += patchid_commits_algorithm(pids, status, l->repo, ids, n,
							    l->opts->cache, algo);
	for (i = 0; i < n; i++) {
		struct link_commit *lc = &set->commits[todo[i]];

		if (status[i] != PATCHID_OK)
			continue;
		if (algo == PATCHID_MYERS) {
			lc->patch_id = pids[i];
			lc->patch_id_ok = 1;
		}
		pick_by_patchid(l, todo[i], &pids[i], &per_commit[todo[i]], fingerprint);
		if (finding(l, todo[i], LINK_PATCH_ID)->patch)
			lc->patch_id_algorithm = patchid_algorithm_name(algo);
	}
	free(ids);
	free(pids);
	free(status);
	free(todo);
}

/* Why patch-id found nothing, for the evidence. */
static void explain_patchid(struct linker *l, size_t idx, const struct posting_list *cands)
{
	struct link_commit *lc = &l->set->commits[idx];
	const struct finding *f = finding(l, idx, LINK_PATCH_ID);
	char hex[GIT_OID_HEXSZ + 1];

	if (f->patch && f->other)
		add_evidence(lc, LINK_PATCH_ID, f->other, "the same patch-id as two different "
			     "patches: ambiguous");
	if (f->patch) {
		add_evidence(lc, LINK_PATCH_ID, f->patch, "patch-id %s (%s diff) equals the posting's",
			     lc->patch_id_ok ? git_oid_tostr(hex, sizeof(hex), &lc->patch_id) : "-",
			     lc->patch_id_algorithm ? lc->patch_id_algorithm : "myers");
		return;
	}
	if (!lc->patch_id_ok) {
		add_evidence(lc, LINK_PATCH_ID, NULL, "no patch-id: the commit changes nothing "
			     "a patch-id hashes");
		return;
	}
	if (trusted_match(l, idx))
		add_evidence(lc, LINK_PATCH_ID, NULL, "patch-id %s (diffed with myers%s) is not "
			     "the matched posting's: the change was edited, or posted for "
			     "other paths", git_oid_tostr(hex, sizeof(hex), &lc->patch_id),
			     worth_another_diff(l, idx, cands) ? ", histogram, patience, minimal" : "");
	else
		add_evidence(lc, LINK_PATCH_ID, NULL, "patch-id %s: none of %zu posting%s touching "
			     "its files within %ld days has it (diffed with myers%s)",
			     git_oid_tostr(hex, sizeof(hex), &lc->patch_id), cands->nr,
			     cands->nr == 1 ? "" : "s", (long)(l->patchid_window / 86400),
			     worth_another_diff(l, idx, cands) ? ", histogram, patience, minimal"
							       : "");
}

static int match_patchid(struct linker *l)
{
	struct link_set *set = l->set;
	struct posting_list *per_commit;
	struct strbuf fp = STRBUF_INIT;
	size_t *which, n = 0, i;
	int ret = 0, algo;

	if (!l->postings_nr)
		return 0;
	CALLOC_ARRAY(per_commit, set->nr ? set->nr : 1);
	ALLOC_ARRAY(which, set->nr ? set->nr : 1);
	for (i = 0; i < set->nr; i++) {
		struct series_patch *kept = trusted_match(l, i);

		if (kept) {
			/* Only to confirm it: is its change the commit's? */
			struct posting *po = strmap_get(&l->by_patch, kept->mail->mid);

			if (po)
				add_candidate(&per_commit[i], po, i + 1);
		} else if (commit_candidates(l, &per_commit[i], i) < 0) {
			ret = -1;
			goto out;
		}
		if (per_commit[i].nr)
			which[n++] = i;
	}
	if (l->opts->pathmap)
		patchid_pathmap_fingerprint(&fp, l->opts->pathmap);
	/* As b4 dig does: the other algorithms when myers found nothing. */
	for (algo = PATCHID_MYERS; algo < PATCHID_ALGORITHM_NR; algo++)
		patchid_pass(l, which, n, per_commit, fp.buf, (enum patchid_algorithm)algo);
	for (i = 0; i < n; i++)
		explain_patchid(l, which[i], &per_commit[which[i]]);
out:
	for (i = 0; i < set->nr; i++)
		free(per_commit[i].items);
	free(per_commit);
	free(which);
	strbuf_release(&fp);
	return ret;
}

/* --- method 4: author, subject and date ------------------------------------------- */

static void match_subject(struct linker *l)
{
	struct posting_list found = { NULL, 0, 0 };
	size_t i, j;

	for (i = 0; i < l->set->nr; i++) {
		const struct link_commit *lc = &l->set->commits[i];
		const struct strmap_list *list = strmap_get(&l->by_title, l->norm_summary[i]);

		struct link_commit *lcw = &l->set->commits[i];
		struct posting *other = NULL, *late = NULL;

		found.nr = 0;
		for (j = 0; list && j < list->nr; j++) {
			struct posting *po = list->items[j];
			int near = distance(po->date, lc->author_time) <= l->window;
			int same = same_author(l, lc, po->patch->mail);

			if (near && same) {
				ALLOC_GROW(found.items, found.nr + 1, found.alloc);
				found.items[found.nr++] = po;
			} else if (near) {
				other = po;
			} else if (same) {
				late = po;
			}
		}
		record_nearest(l, i, LINK_SUBJECT, found.items, found.nr);
		if (found.nr)
			add_evidence(lcw, LINK_SUBJECT, finding(l, i, LINK_SUBJECT)->patch,
				     "the same subject by the same author (after .mailmap, or by "
				     "name), posted within %ld days of the author date",
				     (long)(l->window / 86400));
		else if (other)
			add_evidence(lcw, LINK_SUBJECT, NULL, "the same subject, posted by %s <%s>: "
				     "another author (after .mailmap, and by name)",
				     other->patch->mail->from_name, other->patch->mail->from_email);
		else if (late)
			add_evidence(lcw, LINK_SUBJECT, NULL, "the same subject and author, but "
				     "posted more than %ld days from the author date",
				     (long)(l->window / 86400));
		else
			add_evidence(lcw, LINK_SUBJECT, NULL, "no posting has this subject");
	}
	free(found.items);
}

/* --- deciding ---------------------------------------------------------------------- */

static void add_conflict(struct link_commit *lc, enum link_method m, struct series_patch *p)
{
	size_t i;

	for (i = 0; i < lc->conflicts_nr; i++)
		if (lc->conflicts[i].method == m && lc->conflicts[i].patch == p)
			return;
	ALLOC_GROW(lc->conflicts, lc->conflicts_nr + 1, lc->conflicts_alloc);
	lc->conflicts[lc->conflicts_nr].method = m;
	lc->conflicts[lc->conflicts_nr].patch = p;
	lc->conflicts_nr++;
}

static enum link_confidence confidence_of(struct linker *l, size_t idx)
{
	const struct link_commit *lc = &l->set->commits[idx];
	int titled, by_id = (lc->agreeing >> LINK_PATCH_ID) & 1;
	enum link_confidence c;

	if (!lc->patch)
		return LINK_CONFIDENCE_NONE;
	titled = titles_equal(lc->patch->subject.title, l->norm_summary[idx]);
	if (lc->method == LINK_PWBOT || (lc->method == LINK_TRAILER && by_id))
		c = LINK_CERTAIN;
	else if ((lc->method == LINK_TRAILER && titled) || by_id)
		c = LINK_LIKELY;
	else
		c = LINK_WEAK;
	if (lc->conflicts_nr && c == LINK_CERTAIN)
		c = LINK_LIKELY;
	return c;
}

static int by_date(const void *a, const void *b)
{
	const struct series_patch *x = *(const struct series_patch *const *)a;
	const struct series_patch *y = *(const struct series_patch *const *)b;

	return x->mail->date < y->mail->date ? -1 : x->mail->date > y->mail->date;
}

/* Every posting of the kept patch: its revisions, in its series or not. */
static void find_postings(struct linker *l, struct link_commit *lc)
{
	const struct posting *kept = strmap_get(&l->by_patch, lc->patch->mail->mid);
	const struct strmap_list *list = kept ? strmap_get(&l->by_title, kept->title) : NULL;
	size_t i, alloc = 0;

	ALLOC_GROW(lc->postings, 1, alloc);
	lc->postings[lc->postings_nr++] = lc->patch;
	for (i = 0; list && i < list->nr; i++) {
		const struct posting *po = list->items[i];

		if (po->patch != lc->patch && same_work(po->patch, lc->patch)) {
			ALLOC_GROW(lc->postings, lc->postings_nr + 1, alloc);
			lc->postings[lc->postings_nr++] = po->patch;
		}
	}
	qsort(lc->postings, lc->postings_nr, sizeof(*lc->postings), by_date);
}

static void decide(struct linker *l)
{
	struct link_set *set = l->set;
	size_t i;
	int m;

	for (i = 0; i < set->nr; i++) {
		struct link_commit *lc = &set->commits[i];

		for (m = LINK_METHOD_NR - 1; m > LINK_NONE; m--) {
			const struct finding *f = finding(l, i, (enum link_method)m);

			if (f->patch && !f->other) {
				lc->patch = f->patch;
				lc->method = (enum link_method)m;
				break;
			}
		}
		for (m = LINK_METHOD_NR - 1; m > LINK_NONE; m--) {
			const struct finding *f = finding(l, i, (enum link_method)m);

			if (f->patch && lc->patch && same_work(f->patch, lc->patch) && !f->other)
				lc->agreeing |= 1u << m;
			if (f->patch && !same_work(f->patch, lc->patch))
				add_conflict(lc, (enum link_method)m, f->patch);
			if (f->other && !same_work(f->other, lc->patch))
				add_conflict(lc, (enum link_method)m, f->other);
		}
		for (m = 0; (size_t)m < lc->evidence_nr; m++) {
			struct link_evidence *e = &lc->evidence[m];

			e->accepted = e->patch && lc->patch && same_work(e->patch, lc->patch);
		}
		lc->confidence = confidence_of(l, i);
		if (l->opts->explain && lc->patch)
			find_postings(l, lc);
		set->matched[lc->method]++;
		if (lc->conflicts_nr)
			set->conflicted++;
		if (lc->patch && !strmap_get(&set->by_mid, lc->patch->mail->mid))
			strmap_put(&set->by_mid, lc->patch->mail->mid, lc);
	}
}

int link_commits(struct link_set *set, struct git_repository *repo,
		 const git_oid *commits, size_t nr, struct series_set *series,
		 const struct link_options *opts)
{
	struct linker l;
	struct strmap init = STRMAP_INIT, init_dup = STRMAP_INIT_DUP;
	size_t i;
	int ret = -1;

	memset(&l, 0, sizeof(l));
	l.set = set;
	l.repo = repo;
	l.series = series;
	l.opts = opts;
	l.window = opts->window ? opts->window : LINK_DEFAULT_WINDOW;
	l.patchid_window = opts->patchid_window ? opts->patchid_window : LINK_DEFAULT_PATCHID_WINDOW;
	l.by_patch = init;
	l.by_title = init_dup;
	l.by_path = init_dup;
	l.commit_index = init_dup;
	if (git_mailmap_from_repository(&l.mailmap, repo) < 0)
		l.mailmap = NULL;
	CALLOC_ARRAY(l.found, (nr ? nr : 1) * LINK_METHOD_NR);
	CALLOC_ARRAY(l.cover_of, nr ? nr : 1);
	CALLOC_ARRAY(l.norm_summary, nr ? nr : 1);

	index_postings(&l);
	if (load_commits(&l, commits, nr) < 0)
		goto out;
	match_pwbot(&l);
	match_subject(&l);
	if (match_patchid(&l) < 0)
		goto out;
	decide(&l);
	ret = 0;
out:
	for (i = 0; i < l.postings_nr; i++)
		free(l.postings[i].title);
	free(l.postings);
	for (i = 0; i < nr; i++)
		free(l.norm_summary[i]);
	free(l.norm_summary);
	free(l.found);
	free(l.cover_of);
	strmap_clear(&l.by_patch);
	strmap_clear_values(&l.by_title, strmap_list_free);
	strmap_clear_values(&l.by_path, strmap_list_free);
	strmap_clear(&l.commit_index);
	git_mailmap_free(l.mailmap);
	return ret;
}

const struct link_commit *link_applied(const struct link_set *set, const char *mid)
{
	return strmap_get(&set->by_mid, mid);
}

void link_set_release(struct link_set *set)
{
	size_t i, j;

	for (i = 0; i < set->nr; i++) {
		free(set->commits[i].summary);
		free(set->commits[i].author_name);
		free(set->commits[i].author_email);
		free(set->commits[i].conflicts);
		for (j = 0; j < set->commits[i].evidence_nr; j++)
			free(set->commits[i].evidence[j].why);
		free(set->commits[i].evidence);
		free(set->commits[i].postings);
	}
	free(set->commits);
	strmap_clear(&set->by_mid);
	memset(set, 0, sizeof(*set));
}
