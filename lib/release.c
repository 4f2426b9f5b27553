#include "release.h"
#include "link.h"
#include "mail.h"
#include "patchid-pathmap.h"
#include "prose.h"
#include "sentence.h"
#include "series.h"
#include "strbuf.h"
#include "strmap.h"
#include "summary.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- people ------------------------------------------------------------------ */

struct people {
	struct release_person *items;
	size_t nr, alloc;
	struct strmap by_email;		/* lowercased email -> index + 1 */
	struct strmap by_name;		/* lowercased name -> index + 1 */
};

static char *lowercase(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static size_t lookup(struct strmap *map, const char *key)
{
	char *l = lowercase(key);
	size_t at = (size_t)(uintptr_t)strmap_get(map, l);

	free(l);
	return at;
}

static void remember(struct strmap *map, const char *key, size_t index)
{
	char *l;

	if (!*key)
		return;
	l = lowercase(key);
	if (!strmap_get(map, l))
		strmap_put(map, l, (void *)(uintptr_t)(index + 1));
	free(l);
}

/* The one person of an address or a name, added when new; returns the index. */
static size_t add_person(struct people *pp, const char *name, const char *email, unsigned role)
{
	size_t at = *email ? lookup(&pp->by_email, email) : 0;

	if (!at && *name)
		at = lookup(&pp->by_name, name);
	if (!at) {
		struct release_person *p;

		ALLOC_GROW(pp->items, pp->nr + 1, pp->alloc);
		p = &pp->items[pp->nr++];
		p->name = xstrdup(name);
		p->email = xstrdup(email);
		p->roles = 0;
		at = pp->nr;
	}
	remember(&pp->by_email, email, at - 1);
	remember(&pp->by_name, name, at - 1);
	pp->items[at - 1].roles |= role;
	return at - 1;
}

static void free_people(struct release_person *items, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(items[i].name);
		free(items[i].email);
	}
	free(items);
}

static const char *display_name(const struct release_person *p)
{
	return *p->name ? p->name : p->email;
}

static int cmp_person(const void *a, const void *b)
{
	const struct release_person *x = a, *y = b;
	int c = strcasecmp(display_name(x), display_name(y));

	return c ? c : strcmp(x->email, y->email);
}

/* A reviewer, after .mailmap; bots are not thanked. */
static void add_reviewer(struct people *pp, git_mailmap *mm, const char *trailer,
			 const char *name, const char *email)
{
	const char *n = name, *e = email;

	if (!series_is_review_trailer(trailer) || !strcasecmp(trailer, "Nacked-by") ||
	    series_is_bot(email))
		return;
	if (mm)
		git_mailmap_resolve(&n, &e, mm, name, email);
	add_person(pp, n, e, RELEASE_REVIEWER);
}

static void add_trailer_reviewers(struct people *pp, git_mailmap *mm, const char *message)
{
	git_message_trailer_array trailers;
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	size_t i;

	if (git_message_trailers(&trailers, message) < 0)
		return;
	for (i = 0; i < trailers.count; i++) {
		strbuf_reset(&name);
		strbuf_reset(&email);
		if (!series_parse_person(trailers.trailers[i].value, &name, &email))
			continue;
		/* Commit messages are mail too, once applied. */
		textsafe_strbuf(&name, 0, 0);
		textsafe_strbuf(&email, 0, 0);
		add_reviewer(pp, mm, trailers.trailers[i].key, name.buf, email.buf);
	}
	git_message_trailer_array_free(&trailers);
	strbuf_release(&name);
	strbuf_release(&email);
}

static void add_posted_reviewers(struct people *pp, git_mailmap *mm,
				 const struct series_patch *p)
{
	size_t i;

	for (i = 0; p && i < p->reviews_nr; i++)
		add_reviewer(pp, mm, p->reviews[i].trailer, p->reviews[i].name, p->reviews[i].email);
}

/* --- paths --------------------------------------------------------------------- */

/* Whole trailing path components a and b share ("x/y/z.c", "q/y/z.c": 2). */
static size_t common_components(const char *a, const char *b)
{
	const char *ea = a + strlen(a), *eb = b + strlen(b);
	size_t n = 0;

	for (;;) {
		const char *sa = ea, *sb = eb;

		while (sa > a && sa[-1] != '/')
			sa--;
		while (sb > b && sb[-1] != '/')
			sb--;
		if (sa == ea || ea - sa != eb - sb || memcmp(sa, sb, (size_t)(ea - sa)))
			return n;
		n++;
		if (sa == a || sb == b)
			return n;
		ea = sa - 1;
		eb = sb - 1;
	}
}

/*
 * The kernel path of a file of this tree (see release.h, "Mirrors"): by
 * the path map; else the file of renamed (the posted patch of a commit
 * whose paths all differ from it) that ends the same way: src/libbpf.c
 * is tools/lib/bpf/libbpf.c.
 */
static void kernel_path(struct strbuf *out, const char *path, const struct patchid_pathmap *map,
			const struct series_patch *renamed)
{
	const struct patchid_mapping *best = NULL;
	const char *named = NULL;
	size_t i, best_n = 0;

	for (i = 0; map && i < map->nr; i++) {
		const struct patchid_mapping *m = &map->items[i];
		size_t len = strlen(m->to);

		if (len && !strncmp(path, m->to, len) && (!best || len > strlen(best->to)))
			best = m;
	}
	strbuf_reset(out);
	if (best) {
		strbuf_addstr(out, best->from);
		strbuf_addstr(out, path + strlen(best->to));
		return;
	}
	for (i = 0; renamed && i < renamed->mail->paths_nr; i++) {
		const char *p = renamed->mail->paths[i];
		size_t n;

		n = common_components(p, path);
		if (n > best_n) {
			best_n = n;
			named = p;
		}
	}
	strbuf_addstr(out, named ? named : path);
}

/* --- building -------------------------------------------------------------------- */

struct builder {
	struct release *rel;
	git_repository *repo;
	const struct release_options *opts;
	git_mailmap *mailmap;
	struct people people;
	size_t *counts;			/* per area, scratch */
	struct strbuf path;
};

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/*
 * A commit of a mirror names none of the paths its posted patch does;
 * one of the tree the patch was written for names them as they are.
 */
static int renamed_paths(git_diff *diff, const struct series_patch *posted)
{
	size_t i, j, n = git_diff_num_deltas(diff);

	for (i = 0; i < n; i++)
		for (j = 0; j < posted->mail->paths_nr; j++)
			if (!strcmp(git_diff_get_delta(diff, i)->new_file.path, posted->mail->paths[j]))
				return 0;
	return 1;
}

/* The area of a commit: its subject's prefixes, else its files. */
static int commit_area(struct builder *b, const struct link_commit *lc, git_diff *diff)
{
	const struct release_areas *areas = b->opts->areas;
	const struct series_patch *renamed = NULL;
	int area = release_areas_of_subject(areas, lc->summary);
	size_t i, n;

	if (area >= 0)
		return area;
	if (lc->patch && renamed_paths(diff, lc->patch))
		renamed = lc->patch;
	memset(b->counts, 0, areas->nr * sizeof(*b->counts));
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		int a;

		kernel_path(&b->path, d->new_file.path, b->opts->pathmap, renamed);
		a = release_areas_of_path(areas, b->path.buf);
		b->counts[a < 0 ? release_areas_other(areas) : a]++;
	}
	return release_areas_weightiest(areas, b->counts);
}

/*
 * "Link: https://lore.kernel.org/r/<id>" (or patch.msgid.link) in a
 * commit message: the patch was posted, if not to (or not in) the archive
 * we read.  The URL as written, or NULL.
 */
static char *lore_link(const char *msg)
{
	const char *l;

	for (l = msg; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *url = l + 5;
		size_t len;

		if (strncasecmp(l, "Link:", 5))
			continue;
		url += strspn(url, " \t");
		len = strcspn(url, " \t\r\n");
		if ((len > 24 && !strncmp(url, "https://lore.kernel.org/", 24)) ||
		    (len > 26 && !strncmp(url, "https://patch.msgid.link/", 25)))
			return xstrndup(url, len);
	}
	return NULL;
}

static int read_commit(struct builder *b, struct release_commit *rc)
{
	const struct link_commit *lc = rc->link;
	git_commit *c = NULL;
	git_diff *diff = NULL;
	int ret = -1;

	if (git_commit_lookup(&c, b->repo, &lc->id) < 0 ||
	    link_commit_paths(&diff, b->repo, &lc->id) < 0) {
		error("cannot read commit '%s': %s", git_oid_tostr_s(&lc->id), git_message());
		goto out;
	}
	rc->area = commit_area(b, lc, diff);
	rc->author = add_person(&b->people, lc->author_name, lc->author_email, RELEASE_AUTHOR);
	add_trailer_reviewers(&b->people, b->mailmap, git_commit_message(c));
	add_posted_reviewers(&b->people, b->mailmap, lc->patch);
	if (!lc->patch)
		rc->posted_link = lore_link(git_commit_message(c));
	ret = 0;
out:
	git_diff_free(diff);
	git_commit_free(c);
	return ret;
}

static void add_index(size_t **items, size_t *nr, size_t *alloc, size_t value)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if ((*items)[i] == value)
			return;
	ALLOC_GROW(*items, *nr + 1, *alloc);
	(*items)[(*nr)++] = value;
}

/* Commits to series: one entry per posted series, in the order first met. */
static void group_series(struct builder *b)
{
	struct release *rel = b->rel;
	struct strmap by_series = STRMAP_INIT_DUP;
	char key[32];
	size_t i, alloc = 0;

	for (i = 0; i < rel->nr; i++) {
		struct release_commit *rc = &rel->commits[i];
		const struct series_patch *p = rc->link->patch;
		struct release_series *rs;
		size_t at;

		if (!p) {
			ALLOC_GROW(rel->unposted, rel->unposted_nr + 1, alloc);
			rel->unposted[rel->unposted_nr++] = i;
			rel->unposted_linked += !!rc->posted_link;
			rc->series = -1;
			continue;
		}
		/* A series is named by its address. */
		snprintf(key, sizeof(key), "%p", (const void *)p->revision->series);
		at = (size_t)(uintptr_t)strmap_get(&by_series, key);
		if (!at) {
			REALLOC_ARRAY(rel->series, rel->series_nr + 1);
			rs = &rel->series[rel->series_nr++];
			memset(rs, 0, sizeof(*rs));
			rs->series = p->revision->series;
			at = rel->series_nr;
			strmap_put(&by_series, key, (void *)(uintptr_t)at);
		}
		rs = &rel->series[at - 1];
		rc->series = (int)(at - 1);
		add_index(&rs->commits, &rs->commits_nr, &rs->commits_alloc, i);
		add_index(&rs->authors, &rs->authors_nr, &rs->authors_alloc, rc->author);
		if (!rs->revision || p->revision->version > rs->revision->version ||
		    (p->revision->version == rs->revision->version &&
		     p->revision->date > rs->revision->date))
			rs->revision = p->revision;
	}
	strmap_clear(&by_series);
}

/* Each series' area and title. */
static void describe_series(struct builder *b)
{
	struct release *rel = b->rel;
	size_t i, j;

	for (i = 0; i < rel->series_nr; i++) {
		struct release_series *rs = &rel->series[i];
		const struct series_revision *rev = rs->revision;

		memset(b->counts, 0, b->opts->areas->nr * sizeof(*b->counts));
		for (j = 0; j < rs->commits_nr; j++)
			b->counts[rel->commits[rs->commits[j]].area]++;
		rs->area = release_areas_weightiest(b->opts->areas, b->counts);
		if (rs->commits_nr == 1)
			rs->title = xstrdup(rel->commits[rs->commits[0]].link->summary);
		else if (rev->cover && *rev->cover->subject.title)
			rs->title = xstrdup(rev->cover->subject.title);
		else
			rs->title = xstrdup(rs->series->title);
	}
}

static int cmp_series(const void *a, const void *b)
{
	const struct release_series *x = a, *y = b;

	if (x->area != y->area)
		return x->area < y->area ? -1 : 1;
	if (x->commits_nr != y->commits_nr)
		return x->commits_nr > y->commits_nr ? -1 : 1;
	return x->commits[0] < y->commits[0] ? -1 : x->commits[0] > y->commits[0];
}

static int cmp_person_at(const void *a, const void *b, void *data)
{
	const struct release_person *items = data;

	return cmp_person(&items[*(const size_t *)a], &items[*(const size_t *)b]);
}

/* People by name; the indexes that point at them follow. */
static void sort_people(struct builder *b)
{
	struct release *rel = b->rel;
	struct people *pp = &b->people;
	size_t *order, *where, i, j;

	ALLOC_ARRAY(order, pp->nr ? pp->nr : 1);
	ALLOC_ARRAY(where, pp->nr ? pp->nr : 1);
	for (i = 0; i < pp->nr; i++)
		order[i] = i;
	qsort_r(order, pp->nr, sizeof(*order), cmp_person_at, pp->items);
	CALLOC_ARRAY(rel->people, pp->nr ? pp->nr : 1);
	for (i = 0; i < pp->nr; i++) {
		rel->people[i] = pp->items[order[i]];
		where[order[i]] = i;
		if (rel->people[i].roles & RELEASE_AUTHOR)
			rel->authors++;
		if (rel->people[i].roles & RELEASE_REVIEWER)
			rel->reviewers++;
	}
	rel->people_nr = pp->nr;
	for (i = 0; i < rel->nr; i++)
		rel->commits[i].author = where[rel->commits[i].author];
	for (i = 0; i < rel->series_nr; i++)
		for (j = 0; j < rel->series[i].authors_nr; j++)
			rel->series[i].authors[j] = where[rel->series[i].authors[j]];
	/* The strings moved to rel->people. */
	FREE_AND_NULL(pp->items);
	pp->nr = 0;
	free(order);
	free(where);
}

int release_build(struct release *rel, struct git_repository *repo,
		  const struct link_set *links, const struct release_options *opts)
{
	struct builder b;
	size_t i;
	int ret = -1;

	memset(rel, 0, sizeof(*rel));
	memset(&b, 0, sizeof(b));
	rel->areas = opts->areas;
	b.rel = rel;
	b.repo = repo;
	b.opts = opts;
	b.people.by_email = (struct strmap)STRMAP_INIT_DUP;
	b.people.by_name = (struct strmap)STRMAP_INIT_DUP;
	strbuf_init(&b.path, 0);
	if (git_mailmap_from_repository(&b.mailmap, repo) < 0)
		b.mailmap = NULL;
	CALLOC_ARRAY(b.counts, opts->areas->nr);

	/* The link set is newest first; a draft reads in the order applied. */
	CALLOC_ARRAY(rel->commits, links->nr ? links->nr : 1);
	for (i = 0; i < links->nr; i++) {
		struct release_commit *rc = &rel->commits[i];
		const struct link_commit *lc = &links->commits[links->nr - 1 - i];

		rc->link = lc;
		rel->nr = i + 1;
		if (read_commit(&b, rc) < 0)
			goto out;
		if (!rel->first || lc->commit_time < rel->first)
			rel->first = lc->commit_time;
		if (lc->commit_time > rel->last)
			rel->last = lc->commit_time;
	}
	group_series(&b);
	describe_series(&b);
	QSORT(rel->series, rel->series_nr, cmp_series);
	for (i = 0; i < rel->series_nr; i++) {
		size_t j;

		for (j = 0; j < rel->series[i].commits_nr; j++)
			rel->commits[rel->series[i].commits[j]].series = (int)i;
	}
	sort_people(&b);
	ret = 0;
out:
	if (ret)
		release_clear(rel);
	free_people(b.people.items, b.people.nr);
	strmap_clear(&b.people.by_email);
	strmap_clear(&b.people.by_name);
	strbuf_release(&b.path);
	free(b.counts);
	git_mailmap_free(b.mailmap);
	return ret;
}

/* --- summaries ------------------------------------------------------------------ */

const struct series_patch *release_summary_source(const struct release_series *s)
{
	return s->commits_nr > 1 && s->revision ? s->revision->cover : NULL;
}

/* How many sentences of a text are looked at for the one that says what it does. */
#define LEAD_SENTENCES 8

struct pick {
	struct strbuf *out;
	int found;
};

/*
 * "This series adds ...", "Add ...": a sentence saying what the change
 * does, rather than the problem it solves.
 */
static int says_what_it_does(const char *s, size_t len)
{
	static const char *const openings[] = {
		"This patch ", "This series ", "This set ", "This patchset ", "This patch set ",
		"This patch series ", "This commit ", "This change ", "These patches ",
		"This adds ", "This introduces ", "This implements ", "This makes ",
		"This fixes ", "This allows ", "This enables ", "The patch ", "The series ",
	};
	struct strbuf clause = STRBUF_INIT;
	char *sentence;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(openings); i++)
		if (len > strlen(openings[i]) && !strncasecmp(s, openings[i], strlen(openings[i])))
			return 1;
	/* An imperative sentence: its first word is a verb a title would start with. */
	sentence = xstrndup(s, len);
	ret = summary_title_clause(&clause, sentence);
	free(sentence);
	strbuf_release(&clause);
	return ret;
}

/* "Hi, fix ..." is "Fix ...": the greeting is the mail's, not the change's. */
static const char *skip_greeting(const char *s, size_t *len)
{
	static const char *const greetings[] = {
		"Hi all", "Hello all", "Hi everyone", "Hello everyone", "Hi", "Hello", "Hey",
	};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(greetings); i++) {
		n = strlen(greetings[i]);
		if (*len > n + 2 && !strncasecmp(s, greetings[i], n) && strchr(",!", s[n]) &&
		    s[n + 1] == ' ' && isalpha((unsigned char)s[n + 2])) {
			*len -= n + 2;
			return s + n + 2;
		}
	}
	return s;
}

/* Append a sentence, its first letter capitalised. */
static void add_sentence(struct strbuf *out, const char *s, size_t len)
{
	strbuf_addch(out, toupper((unsigned char)*s));
	strbuf_add(out, s + 1, len - 1);
}

static int pick_sentence(const char *s, size_t len, void *data)
{
	struct pick *p = data;

	s = skip_greeting(s, &len);
	if (!says_what_it_does(s, len))
		return 0;
	add_sentence(p->out, s, len);
	p->found = 1;
	return 1;
}

/* A sentence that reads as one: "cp a b" or "v2: ..." is left out. */
static int first_sentence(const char *s, size_t len, void *data)
{
	struct pick *p = data;

	s = skip_greeting(s, &len);
	if (!isupper((unsigned char)*s))
		return 1;
	add_sentence(p->out, s, len);
	p->found = 1;
	return 1;
}

/*
 * One sentence of the first text that has the kind: the sentence that
 * says what the change does (fn pick_sentence), or the opening one.
 */
static int one_sentence(struct strbuf *out, const char *const *texts, size_t nr,
			int (*fn)(const char *, size_t, void *))
{
	struct strbuf lead = STRBUF_INIT;
	struct pick p = { out, 0 };
	size_t i;

	for (i = 0; i < nr && !p.found; i++) {
		strbuf_reset(&lead);
		prose_lead(&lead, texts[i], LEAD_SENTENCES);
		sentence_split(lead.buf, fn, &p);
	}
	strbuf_release(&lead);
	return p.found;
}

int release_summarize(struct release *rel, struct git_repository *repo)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < rel->series_nr; i++) {
		struct release_series *rs = &rel->series[i];
		const struct series_patch *cover = release_summary_source(rs);
		const struct link_commit *first = rel->commits[rs->commits[0]].link;
		const struct mail *posted = first->patch->mail;
		const char *texts[3];
		size_t nr = 0;
		git_commit *c;

		if (git_commit_lookup(&c, repo, &first->id) < 0) {
			ret = error("cannot read commit '%s': %s", git_oid_tostr_s(&first->id),
				    git_message());
			break;
		}
		/* The cover speaks for a series; the commit as applied, then as posted, for a patch. */
		if (cover && (cover->mail->flags & MAIL_HAS_BODY))
			texts[nr++] = cover->mail->text;
		texts[nr++] = git_commit_body(c);
		if (posted->flags & MAIL_HAS_BODY)
			texts[nr++] = posted->text;
		strbuf_reset(&sb);
		/* What it does, in the prose stage's sentences; else its summary's lead. */
		if (!one_sentence(&sb, texts, nr, pick_sentence) &&
		    !one_sentence(&sb, texts, nr, first_sentence))
			summary_lead_sentence(&sb, cover ? cover : first->patch);
		git_commit_free(c);
		free(rs->summary);
		rs->summary = sb.len ? xstrdup(sb.buf) : NULL;
	}
	strbuf_release(&sb);
	return ret;
}

size_t release_area_commits(const struct release *rel, int area)
{
	size_t i, n = 0;

	for (i = 0; i < rel->series_nr; i++)
		if (rel->series[i].area == area)
			n += rel->series[i].commits_nr;
	return n;
}

void release_clear(struct release *rel)
{
	size_t i;

	for (i = 0; i < rel->series_nr; i++) {
		free(rel->series[i].title);
		free(rel->series[i].commits);
		free(rel->series[i].authors);
		free(rel->series[i].summary);
	}
	free_people(rel->people, rel->people_nr);
	free(rel->series);
	for (i = 0; i < rel->nr; i++)
		free(rel->commits[i].posted_link);
	free(rel->commits);
	free(rel->unposted);
	memset(rel, 0, sizeof(*rel));
}
