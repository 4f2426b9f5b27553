#include "range.h"
#include "repo.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many first-parent steps the default range looks back. */
#define DEFAULT_DEPTH "1000"

/*
 * The ends of a range: commits to walk from and commits to hide.  They
 * go to libgit2's walk, or, in a shallow clone, to ours: libgit2 1.5
 * knows no shallow boundary and fails on the first parent it lacks.
 */
struct range_ends {
	git_oid push[2], hide[2];
	size_t push_nr, hide_nr;
};

static int add_end(struct range_ends *ends, const git_object *obj, int hide)
{
	git_object *commit = NULL;

	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		return -1;
	if (hide)
		ends->hide[ends->hide_nr++] = *git_object_id(commit);
	else
		ends->push[ends->push_nr++] = *git_object_id(commit);
	git_object_free(commit);
	return 0;
}

static int range_ends_of(struct range_ends *ends, git_repository *repo, const char *range)
{
	git_revspec spec;
	git_oid base;
	int ret = -1;

	memset(&spec, 0, sizeof(spec));
	if (git_revparse(&spec, repo, range) < 0) {
		/* "A..nope" leaves A parsed. */
		ret = -1;
	} else if (spec.flags & GIT_REVSPEC_SINGLE) {
		ret = add_end(ends, spec.from, 0);
	} else if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
		/* A...B: what either has and the other has not. */
		ret = add_end(ends, spec.from, 0);
		if (!ret)
			ret = add_end(ends, spec.to, 0);
		if (!ret && !git_merge_base(&base, repo, &ends->push[0], &ends->push[1]))
			ends->hide[ends->hide_nr++] = base;
	} else {
		ret = add_end(ends, spec.to, 0);
		if (!ret)
			ret = add_end(ends, spec.from, 1);
	}
	git_object_free(spec.from);
	git_object_free(spec.to);
	return ret;
}

static int default_ends(struct range_ends *ends, git_repository *repo)
{
	git_object *head = NULL, *base = NULL;
	int ret;

	if (git_revparse_single(&head, repo, "HEAD") < 0)
		return -1;
	ret = add_end(ends, head, 0);
	if (!ret && !git_revparse_single(&base, repo, "HEAD~" DEFAULT_DEPTH))
		ret = add_end(ends, base, 1);
	git_object_free(head);
	git_object_free(base);
	return ret;
}

/* 4 to 40 hex digits: an object id, as "git log" prints them. */
static int is_object_id(const char *s, size_t len)
{
	size_t i;

	if (len < 4 || len > GIT_OID_HEXSZ)
		return 0;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int range_one_commit(git_oid *out, git_repository *repo, const char *arg)
{
	size_t len = strlen(arg);
	git_object *obj = NULL;
	git_commit *c = NULL;
	char *rev;
	int ret = 0;

	/* "<rev>^!" is git's spelling of that commit alone. */
	if (len > 2 && !strcmp(arg + len - 2, "^!"))
		len -= 2;
	else if (!is_object_id(arg, len))
		return 0;
	rev = xstrndup(arg, len);
	if (!git_revparse_single(&obj, repo, rev) &&
	    !git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT)) {
		ret = git_commit_parentcount(c) <= 1;
		*out = *git_commit_id(c);
	}
	git_commit_free(c);
	git_object_free(obj);
	free(rev);
	return ret;
}

/* The commits .git/shallow lists: their parents are not here. */
static void read_shallow(struct strmap *shallow, git_repository *repo)
{
	struct strbuf path = STRBUF_INIT;
	char line[GIT_OID_HEXSZ + 8];
	FILE *f;

	strbuf_addf(&path, "%sshallow", git_repository_path(repo));
	f = fopen(path.buf, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strlen(line) == GIT_OID_HEXSZ)
			strmap_put(shallow, line, (void *)1);
	}
	if (f)
		fclose(f);
	strbuf_release(&path);
}

/* A commit of our own walk. */
struct walk_node {
	git_oid id;
	git_time_t time;
	size_t children;	/* in the walked set, not yet emitted */
	size_t *parents;	/* indexes of parents in the walked set */
	size_t parents_nr;
	unsigned merge : 1;	/* or shallow: not in the range */
};

struct shallow_walk {
	git_repository *repo;
	struct strmap shallow;	/* hex -> 1 */
	struct strmap hidden;	/* hex -> 1 */
	struct strmap index;	/* hex -> node index + 1 */
	struct walk_node *nodes;
	size_t nr, alloc;
	size_t cut;		/* shallow commits the walk stopped at */
};

/* Mark what hide reaches (up to the boundary) hidden. */
static int walk_hide(struct shallow_walk *w, const git_oid *start)
{
	git_oid *stack = NULL;
	size_t nr = 0, alloc = 0;
	char hex[GIT_OID_HEXSZ + 1];
	int ret = 0;

	ALLOC_GROW(stack, nr + 1, alloc);
	stack[nr++] = *start;
	while (nr && !ret) {
		git_oid id = stack[--nr];
		git_commit *c;
		unsigned i;

		git_oid_tostr(hex, sizeof(hex), &id);
		if (strmap_get(&w->hidden, hex))
			continue;
		strmap_put(&w->hidden, hex, (void *)1);
		if (strmap_get(&w->shallow, hex))
			continue;
		if (git_commit_lookup(&c, w->repo, &id) < 0) {
			ret = error("cannot read commit '%s': %s", hex, repo_git_error());
			break;
		}
		for (i = 0; i < git_commit_parentcount(c); i++) {
			ALLOC_GROW(stack, nr + 1, alloc);
			stack[nr++] = *git_commit_parent_id(c, i);
		}
		git_commit_free(c);
	}
	free(stack);
	return ret;
}

/* The node of id (added when new), or 0 when it is hidden; index + 1. */
static size_t walk_add(struct shallow_walk *w, const git_oid *id, git_oid **stack, size_t *nr,
		       size_t *alloc)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t idx;

	git_oid_tostr(hex, sizeof(hex), id);
	if (strmap_get(&w->hidden, hex))
		return 0;
	idx = (size_t)(uintptr_t)strmap_get(&w->index, hex);
	if (idx)
		return idx;
	ALLOC_GROW(w->nodes, w->nr + 1, w->alloc);
	memset(&w->nodes[w->nr], 0, sizeof(w->nodes[w->nr]));
	w->nodes[w->nr].id = *id;
	strmap_put(&w->index, hex, (void *)(uintptr_t)(w->nr + 1));
	ALLOC_GROW(*stack, *nr + 1, *alloc);
	(*stack)[(*nr)++] = *id;
	return ++w->nr;
}

static int walk_push(struct shallow_walk *w, const git_oid *start)
{
	git_oid *stack = NULL;
	size_t nr = 0, alloc = 0;
	char hex[GIT_OID_HEXSZ + 1];
	int ret = 0;

	walk_add(w, start, &stack, &nr, &alloc);
	while (nr && !ret) {
		git_oid id = stack[--nr];
		size_t idx = (size_t)(uintptr_t)strmap_get(&w->index,
							  git_oid_tostr(hex, sizeof(hex), &id)) - 1;
		git_commit *c;
		unsigned i, n;

		if (git_commit_lookup(&c, w->repo, &id) < 0) {
			ret = error("cannot read commit '%s': %s", hex, repo_git_error());
			break;
		}
		w->nodes[idx].time = git_commit_time(c);
		n = git_commit_parentcount(c);
		w->nodes[idx].merge = n > 1;
		if (strmap_get(&w->shallow, hex)) {
			/* Without its parent it has no diff: left out like a merge. */
			w->nodes[idx].merge = 1;
			w->cut++;
			n = 0;
		}
		if (n)
			ALLOC_ARRAY(w->nodes[idx].parents, n);
		for (i = 0; i < n; i++) {
			size_t p = walk_add(w, git_commit_parent_id(c, i), &stack, &nr, &alloc);

			if (p)
				w->nodes[idx].parents[w->nodes[idx].parents_nr++] = p - 1;
		}
		git_commit_free(c);
	}
	free(stack);
	return ret;
}

/* Newest first, no commit before one of its children (git log's order). */
static void walk_emit(struct shallow_walk *w, git_oid **out, size_t *nr)
{
	size_t *ready = NULL, ready_nr = 0, ready_alloc = 0, alloc = 0, i, j;

	for (i = 0; i < w->nr; i++)
		for (j = 0; j < w->nodes[i].parents_nr; j++)
			w->nodes[w->nodes[i].parents[j]].children++;
	for (i = 0; i < w->nr; i++)
		if (!w->nodes[i].children) {
			ALLOC_GROW(ready, ready_nr + 1, ready_alloc);
			ready[ready_nr++] = i;
		}
	while (ready_nr) {
		size_t best = 0, n;

		/* The newest ready commit: a scan, as shallow histories are short. */
		for (i = 1; i < ready_nr; i++)
			if (w->nodes[ready[i]].time > w->nodes[ready[best]].time)
				best = i;
		n = ready[best];
		ready[best] = ready[--ready_nr];
		if (!w->nodes[n].merge) {
			ALLOC_GROW(*out, *nr + 1, alloc);
			(*out)[(*nr)++] = w->nodes[n].id;
		}
		for (j = 0; j < w->nodes[n].parents_nr; j++) {
			size_t p = w->nodes[n].parents[j];

			if (!--w->nodes[p].children) {
				ALLOC_GROW(ready, ready_nr + 1, ready_alloc);
				ready[ready_nr++] = p;
			}
		}
	}
	free(ready);
}

static int shallow_range(git_oid **out, size_t *nr, git_repository *repo,
			 const struct range_ends *ends)
{
	struct shallow_walk w;
	struct strmap init = STRMAP_INIT_DUP;
	size_t i;
	int ret = 0;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.shallow = init;
	w.hidden = init;
	w.index = init;
	read_shallow(&w.shallow, repo);
	for (i = 0; !ret && i < ends->hide_nr; i++)
		ret = walk_hide(&w, &ends->hide[i]);
	for (i = 0; !ret && i < ends->push_nr; i++)
		ret = walk_push(&w, &ends->push[i]);
	if (!ret)
		walk_emit(&w, out, nr);
	if (!ret && w.cut)
		warning("shallow clone: the history stops at %zu shallow commit%s; %s and "
			"older commits are not linked", w.cut, w.cut == 1 ? "" : "s",
			w.cut == 1 ? "it" : "they");
	for (i = 0; i < w.nr; i++)
		free(w.nodes[i].parents);
	free(w.nodes);
	strmap_clear(&w.shallow);
	strmap_clear(&w.hidden);
	strmap_clear(&w.index);
	return ret;
}

int range_commits(git_oid **out, size_t *nr, git_repository *repo, const char *range)
{
	struct range_ends ends;
	git_revwalk *walk = NULL;
	git_oid id;
	size_t alloc = 0, i;
	int ret = -1, err;

	*out = NULL;
	*nr = 0;
	memset(&ends, 0, sizeof(ends));
	if ((range ? range_ends_of(&ends, repo, range) : default_ends(&ends, repo)) < 0)
		return -1;
	if (git_repository_is_shallow(repo) == 1) {
		ret = shallow_range(out, nr, repo, &ends);
		goto out;
	}
	if (git_revwalk_new(&walk, repo) < 0)
		goto out;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	for (i = 0; i < ends.push_nr; i++)
		if (git_revwalk_push(walk, &ends.push[i]) < 0)
			goto out;
	for (i = 0; i < ends.hide_nr; i++)
		if (git_revwalk_hide(walk, &ends.hide[i]) < 0)
			goto out;
	while (!(err = git_revwalk_next(&id, walk))) {
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
	/* Only the end of the walk ends it: a missing object is no end. */
	if (err != GIT_ITEROVER) {
		error("cannot walk the history: %s", repo_git_error());
		goto out;
	}
	ret = 0;
out:
	if (ret) {
		FREE_AND_NULL(*out);
		*nr = 0;
		ret = -2;	/* the range was good: its history is not */
	}
	git_revwalk_free(walk);
	return ret;
}
