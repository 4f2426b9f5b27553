#include "link.h"
#include "mail.h"
#include "patchid.h"
#include "series.h"
#include "strbuf.h"
#include "subject.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How many first-parent steps the default range looks back. */
#define DEFAULT_DEPTH "1000"

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

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/* --- the range ------------------------------------------------------------- */

static int push_revision(git_revwalk *walk, git_repository *repo, const git_object *obj,
			 int hide)
{
	git_object *commit = NULL;
	int ret;

	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		return -1;
	ret = hide ? git_revwalk_hide(walk, git_object_id(commit))
		   : git_revwalk_push(walk, git_object_id(commit));
	git_object_free(commit);
	return ret;
}

static int push_range(git_revwalk *walk, git_repository *repo, const char *range)
{
	git_revspec spec;
	git_oid base;
	int ret = -1;

	memset(&spec, 0, sizeof(spec));
	if (git_revparse(&spec, repo, range) < 0) {
		/* "A..nope" leaves A parsed. */
		ret = -1;
	} else if (spec.flags & GIT_REVSPEC_SINGLE) {
		ret = push_revision(walk, repo, spec.from, 0);
	} else if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
		git_object *a = NULL, *b = NULL;

		/* A...B: what either has and the other has not. */
		if (!git_object_peel(&a, spec.from, GIT_OBJECT_COMMIT) &&
		    !git_object_peel(&b, spec.to, GIT_OBJECT_COMMIT) &&
		    !git_revwalk_push(walk, git_object_id(a)) &&
		    !git_revwalk_push(walk, git_object_id(b))) {
			ret = 0;
			if (!git_merge_base(&base, repo, git_object_id(a), git_object_id(b)))
				ret = git_revwalk_hide(walk, &base);
		}
		git_object_free(a);
		git_object_free(b);
	} else {
		ret = push_revision(walk, repo, spec.to, 0);
		if (!ret)
			ret = push_revision(walk, repo, spec.from, 1);
	}
	git_object_free(spec.from);
	git_object_free(spec.to);
	return ret;
}

static int push_default(git_revwalk *walk, git_repository *repo)
{
	git_object *head = NULL, *base = NULL;
	int ret;

	if (git_revparse_single(&head, repo, "HEAD") < 0)
		return -1;
	ret = push_revision(walk, repo, head, 0);
	if (!ret && !git_revparse_single(&base, repo, "HEAD~" DEFAULT_DEPTH))
		ret = push_revision(walk, repo, base, 1);
	git_object_free(head);
	git_object_free(base);
	return ret;
}

int link_range(git_oid **out, size_t *nr, git_repository *repo, const char *range)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t alloc = 0;
	int ret = -1;

	*out = NULL;
	*nr = 0;
	if (git_revwalk_new(&walk, repo) < 0)
		return -1;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if ((range ? push_range(walk, repo, range) : push_default(walk, repo)) < 0)
		goto out;
	while (!git_revwalk_next(&id, walk)) {
		git_commit *c;
		unsigned parents;

		if (git_commit_lookup(&c, repo, &id) < 0)
			goto out;
		parents = git_commit_parentcount(c);
		git_commit_free(c);
		if (parents > 1)
			continue;
		ALLOC_GROW(*out, *nr + 1, alloc);
		(*out)[(*nr)++] = id;
	}
	ret = 0;
out:
	if (ret) {
		FREE_AND_NULL(*out);
		*nr = 0;
	}
	git_revwalk_free(walk);
	return ret;
}

/* --- Link: and Message-ID: lines -------------------------------------------- */

static int ends_mid(int c)
{
	return !c || isspace(c) || c == '/' || c == '>' || c == ')' || c == ']' || c == '"';
}

/* Keep mid (given) when it looks like a Message-ID and is new. */
static void add_mid(char ***mids, size_t *nr, size_t *alloc, char *mid)
{
	size_t i;

	if (!strchr(mid, '@') || *mid == '@') {
		free(mid);
		return;
	}
	for (i = 0; i < *nr; i++)
		if (!strcmp((*mids)[i], mid)) {
			free(mid);
			return;
		}
	ALLOC_GROW(*mids, *nr + 1, *alloc);
	(*mids)[(*nr)++] = mid;
}

/* The id at p in a URL: its path segment, %-escapes decoded. */
static void add_url_mid(char ***mids, size_t *nr, size_t *alloc, const char *p, const char *end)
{
	const char *e = p;

	while (e < end && !ends_mid((unsigned char)*e))
		e++;
	add_mid(mids, nr, alloc, mail_percent_decode(p, (size_t)(e - p)));
}

static int starts_with_ci(const char *s, const char *end, const char *prefix)
{
	size_t len = strlen(prefix);

	return (size_t)(end - s) >= len && !strncasecmp(s, prefix, len);
}

/* One URL [url, end): the message-id it names, if it is a link to one. */
static void mid_from_url(char ***mids, size_t *nr, size_t *alloc, const char *url,
			 const char *end, const char *const *masks, size_t masks_nr)
{
	/* Hosts whose first path segment is a list name (or "r", "all"). */
	static const char *const listed[] = { "lore.kernel.org/", "lkml.kernel.org/" };
	/* Hosts whose path is the id (after an optional "r/"). */
	static const char *const direct[] = { "patch.msgid.link/", "msgid.link/" };
	const char *p = url;
	size_t i;

	for (i = 0; i < masks_nr; i++) {
		const char *pct = strstr(masks[i], "%s");
		size_t plen = pct ? (size_t)(pct - masks[i]) : 0;

		if (plen && (size_t)(end - url) > plen && !strncmp(url, masks[i], plen)) {
			add_url_mid(mids, nr, alloc, url + plen, end);
			return;
		}
	}
	if (starts_with_ci(p, end, "https://"))
		p += 8;
	else if (starts_with_ci(p, end, "http://"))
		p += 7;
	else
		return;
	for (i = 0; i < ARRAY_SIZE(listed); i++)
		if (starts_with_ci(p, end, listed[i])) {
			const char *seg = p + strlen(listed[i]);
			const char *slash = memchr(seg, '/', (size_t)(end - seg));

			if (slash && slash > seg)
				add_url_mid(mids, nr, alloc, slash + 1, end);
			return;
		}
	for (i = 0; i < ARRAY_SIZE(direct); i++)
		if (starts_with_ci(p, end, direct[i])) {
			const char *seg = p + strlen(direct[i]);

			if (starts_with_ci(seg, end, "r/"))
				seg += 2;
			add_url_mid(mids, nr, alloc, seg, end);
			return;
		}
}

void link_message_ids(char ***mids, size_t *nr, size_t *alloc, const char *message,
		      const char *const *masks, size_t masks_nr)
{
	const char *line = message;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *p = line;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (starts_with_ci(p, end, "link:")) {
			/* Every URL of the line: "Link: [1] https://..." too. */
			for (p += 5; p < end; p++) {
				const char *u = p;

				if (!starts_with_ci(u, end, "http://") && !starts_with_ci(u, end, "https://"))
					continue;
				while (p < end && !isspace((unsigned char)*p) && *p != '>')
					p++;
				mid_from_url(mids, nr, alloc, u, p, masks, masks_nr);
			}
		} else if (starts_with_ci(p, end, "message-id:")) {
			char *mid = mail_normalize_mid(p + 11, (size_t)(end - p - 11));

			if (mid)
				add_mid(mids, nr, alloc, mid);
		}
		line = nl ? nl + 1 : NULL;
	}
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

/* One title the other one, or its start ("X" and "X for Y"). */
static int titles_related(const char *a, const char *b)
{
	char *x = subject_normalize(a), *y = subject_normalize(b);
	size_t lx = strlen(x), ly = strlen(y);
	const char *longer = lx > ly ? x : y;
	size_t shorter = lx > ly ? ly : lx;
	int ret = shorter && !strncmp(x, y, shorter) &&
		  (longer[shorter] == '\0' || longer[shorter] == ' ');

	free(x);
	free(y);
	return ret;
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
			return error("cannot read commit '%s': %s", hex, git_message());
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

static void find_trailer_links(struct linker *l, size_t idx, const char *message)
{
	const struct link_options *o = l->opts;
	const char *norm = l->norm_summary[idx];
	struct series_patch **titled, **named;
	char **mids = NULL;
	size_t nr = 0, alloc = 0, i, titled_nr = 0, named_nr = 0;

	link_message_ids(&mids, &nr, &alloc, message, o->linkmasks, o->linkmasks_nr);
	ALLOC_ARRAY(titled, nr ? nr : 1);
	ALLOC_ARRAY(named, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		struct series_patch *p = strmap_get(&l->series->by_mid, mids[i]);
		int reply = 0;

		if (!p) {
			p = strmap_get(&l->series->reply_to, mids[i]);
			reply = 1;
		}
		if (!p || !p->revision)
			continue;
		if (p->revision->cover == p) {
			/* A cover names the series: the patch is the one with this title. */
			struct series_patch *q = by_title_in(p->revision, norm);

			if (q)
				titled[titled_nr++] = q;
			else if (!l->cover_of[idx])
				l->cover_of[idx] = p->revision;
		} else if (is_patch(p) && titles_equal(p->subject.title, norm)) {
			titled[titled_nr++] = p;
		} else if (is_patch(p) && reply && titles_related(p->subject.title, norm) &&
			   same_author(l, &l->set->commits[idx], p->mail)) {
			/* A reply in the author's own thread, the subject reworded. */
			named[named_nr++] = p;
		} else if (is_patch(p) && !reply) {
			/* A reworded subject: the link to the patch itself still counts. */
			named[named_nr++] = p;
		}
	}
	/* Links to several patches: those with the commit's subject decide. */
	if (!titled_nr) {
		memcpy(titled, named, named_nr * sizeof(*named));
		titled_nr = named_nr;
	}
	for (i = 0; i < titled_nr; i++)
		record(l, idx, LINK_TRAILER, titled[i]);
	if (titled_nr)
		l->cover_of[idx] = NULL;
	for (i = 0; i < nr; i++)
		free(mids[i]);
	free(mids);
	free(titled);
	free(named);
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
			     git_oid_tostr_s(&l->set->commits[idx].id), git_message());
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
			/* The Link: named this revision's cover: that decides. */
			record(l, idx, LINK_TRAILER, po->patch);
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

static int match_patchid(struct linker *l)
{
	struct link_set *set = l->set;
	struct posting_list *per_commit;
	struct strbuf fp = STRBUF_INIT;
	git_oid *ids, *pids;
	int *status;
	size_t *which, n = 0, i;
	int ret = 0;

	if (!l->postings_nr)
		return 0;
	CALLOC_ARRAY(per_commit, set->nr ? set->nr : 1);
	ALLOC_ARRAY(which, set->nr ? set->nr : 1);
	for (i = 0; i < set->nr; i++) {
		if (finding(l, i, LINK_PWBOT)->patch ||
		    (finding(l, i, LINK_TRAILER)->patch && !finding(l, i, LINK_TRAILER)->other))
			continue;
		if (commit_candidates(l, &per_commit[i], i) < 0) {
			ret = -1;
			goto out;
		}
		if (per_commit[i].nr)
			which[n++] = i;
	}
	ALLOC_ARRAY(ids, n ? n : 1);
	CALLOC_ARRAY(pids, n ? n : 1);
	CALLOC_ARRAY(status, n ? n : 1);
	for (i = 0; i < n; i++)
		ids[i] = set->commits[which[i]].id;
	set->patchids_computed += patchid_commits(pids, status, l->repo, ids, n, l->opts->cache);
	if (l->opts->pathmap)
		patchid_pathmap_fingerprint(&fp, l->opts->pathmap);
	for (i = 0; i < n; i++)
		if (status[i] == PATCHID_OK)
			pick_by_patchid(l, which[i], &pids[i], &per_commit[which[i]], fp.buf);
	free(ids);
	free(pids);
	free(status);
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

		found.nr = 0;
		for (j = 0; list && j < list->nr; j++) {
			struct posting *po = list->items[j];

			if (distance(po->date, lc->author_time) <= l->window &&
			    same_author(l, lc, po->patch->mail)) {
				ALLOC_GROW(found.items, found.nr + 1, found.alloc);
				found.items[found.nr++] = po;
			}
		}
		record_nearest(l, i, LINK_SUBJECT, found.items, found.nr);
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
	size_t i;

	for (i = 0; i < set->nr; i++) {
		free(set->commits[i].summary);
		free(set->commits[i].author_name);
		free(set->commits[i].author_email);
		free(set->commits[i].conflicts);
	}
	free(set->commits);
	strmap_clear(&set->by_mid);
	memset(set, 0, sizeof(*set));
}
