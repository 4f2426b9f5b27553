/*
 * inbox-git.c - the inboxes kept in git: v2 (git/N.git epochs), one bare
 * repository (v1, or a v2 epoch) and ref globs.
 *
 * Each epoch is a repository whose history holds one message a commit.
 * Planning walks that history from the epoch's tip back to its cursor
 * (a v1 inbox diffs each commit's tree instead, as its messages are
 * files at 2/38 paths); reading finds the message's blob in the tree.
 */
#include "inbox.h"
#include "inbox-kinds.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *git_error_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

static void open_epoch_repo(struct inbox *inbox, struct inbox_epoch *e)
{
	if (git_repository_open_bare(&e->repo, e->path) < 0)
		die("cannot open inbox '%s': epoch '%s': %s", inbox->location, e->path,
		    git_error_message());
}

static int cmp_epoch(const void *a, const void *b)
{
	const struct inbox_epoch *x = a, *y = b;

	return x->number < y->number ? -1 : x->number > y->number;
}

/* The number at the start of s (which must start with a digit) and what follows it, or -1. */
static long leading_number(const char *s, char **end)
{
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, end, 10);
	return errno || n > UINT_MAX ? -1 : n;
}

/* Parse "N.git" into N; -1 when the name is something else. */
static long epoch_number(const char *name)
{
	char *end;
	long n = leading_number(name, &end);

	return n < 0 || strcmp(end, ".git") ? -1 : n;
}

void inbox_open_v2(struct inbox *inbox, const char *gitdir)
{
	DIR *dir = opendir(gitdir);
	struct dirent *de;
	size_t alloc = 0, i;

	if (!dir)
		die_errno("cannot open inbox '%s'", inbox->location);
	inbox->kind = INBOX_V2;
	while ((de = readdir(dir))) {
		long n = epoch_number(de->d_name);
		char *name, *path;

		if (n < 0)
			continue;
		name = xstrfmt("git/%s", de->d_name);
		path = xstrfmt("%s/%s", gitdir, de->d_name);
		inbox_add_epoch(inbox, &alloc, (unsigned)n, name, path);
		free(name);
		free(path);
	}
	closedir(dir);
	if (!inbox->epochs_nr)
		die("cannot open inbox '%s': no git/N.git epochs", inbox->location);
	QSORT(inbox->epochs, inbox->epochs_nr, cmp_epoch);
	/*
	 * public-inbox numbers epochs from 0 without a gap; a mirror may
	 * start later, but one missing between two is messages missing.
	 */
	for (i = 1; i < inbox->epochs_nr; i++) {
		unsigned lo = inbox->epochs[i - 1].number + 1, hi = inbox->epochs[i].number - 1;

		if (lo == hi)
			warning("inbox '%s': epoch 'git/%u.git' is missing", inbox->location, lo);
		else if (lo < hi)
			warning("inbox '%s': epochs 'git/%u.git' to 'git/%u.git' are missing",
				inbox->location, lo, hi);
	}
	for (i = 0; i < inbox->epochs_nr; i++)
		open_epoch_repo(inbox, &inbox->epochs[i]);
}

int inbox_open_git(struct inbox *inbox, const char *path)
{
	git_repository *repo;
	size_t alloc = 0;

	if (git_repository_open_bare(&repo, path) < 0)
		return -1;
	git_repository_free(repo);
	inbox->kind = INBOX_GIT;
	open_epoch_repo(inbox, inbox_add_epoch(inbox, &alloc, 0, ".", path));
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The number of "0" in refs/lore/bpf/0/master, prefix being the glob's fixed part; or -1. */
static long ref_number(const char *ref, size_t prefix)
{
	char *end;
	long n = leading_number(ref + prefix, &end);

	return n < 0 || (*end && *end != '/') ? -1 : n;
}

static int cmp_ref_epoch(const void *a, const void *b)
{
	const struct inbox_epoch *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

void inbox_open_refs(struct inbox *inbox, const char *glob, git_repository *repo)
{
	git_reference_iterator *it = NULL;
	const char *name, *path;
	char **refs = NULL;
	size_t nr = 0, ralloc = 0, alloc = 0, prefix, i;

	if (!repo)
		die("cannot open inbox '%s': not in a git repository", inbox->location);
	inbox->kind = INBOX_REFS;
	path = git_repository_path(repo);
	if (git_reference_iterator_glob_new(&it, repo, glob) < 0)
		die("cannot open inbox '%s': %s", inbox->location, git_error_message());
	while (!git_reference_next_name(&name, it)) {
		ALLOC_GROW(refs, nr + 1, ralloc);
		refs[nr++] = xstrdup(name);
	}
	git_reference_iterator_free(it);
	if (!nr)
		die("cannot open inbox '%s': no ref matches", inbox->location);
	QSORT(refs, nr, cmp_str);
	/* Number epochs by the first component after the glob's fixed part. */
	prefix = strcspn(glob, "*?[");
	while (prefix && glob[prefix - 1] != '/')
		prefix--;
	for (i = 0; i < nr; i++) {
		long n = ref_number(refs[i], prefix);
		struct inbox_epoch *e;

		e = inbox_add_epoch(inbox, &alloc, n < 0 ? UINT_MAX : (unsigned)n, refs[i], path);
		e->ref = refs[i];
		open_epoch_repo(inbox, e);
	}
	free(refs);
	QSORT(inbox->epochs, inbox->epochs_nr, cmp_ref_epoch);
	for (i = 0; i < inbox->epochs_nr; i++)
		if (inbox->epochs[i].number == UINT_MAX)
			inbox->epochs[i].number = (unsigned)i;
}

/*
 * The commit an epoch's messages end at: its ref, or HEAD whatever branch
 * it names; when HEAD names no commit (a placeholder, or a repository
 * whose HEAD is not the branch written to), its only branch.
 * Returns 0, 1 when the epoch is empty, -1 with the reason in err.
 */
static int epoch_tip(struct inbox_epoch *e, git_oid *tip, struct strbuf *err)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int found = 0, err_code;

	if (!e->repo)
		return 1;
	if (e->ref) {
		/* A fetched ref may be a tag: the messages end at its commit. */
		char *spec = xstrfmt("%s^{commit}", e->ref);
		git_object *obj = NULL;

		err_code = git_revparse_single(&obj, e->repo, spec);
		free(spec);
		if (!err_code)
			git_oid_cpy(tip, git_object_id(obj));
		git_object_free(obj);
		if (err_code < 0)
			strbuf_addstr(err, git_error_message());
		return err_code < 0 ? -1 : 0;
	}
	err_code = git_reference_name_to_id(tip, e->repo, "HEAD");
	if (!err_code)
		return 0;
	if (err_code != GIT_ENOTFOUND && err_code != GIT_EUNBORNBRANCH) {
		strbuf_addstr(err, git_error_message());
		return -1;
	}
	if (git_reference_iterator_glob_new(&it, e->repo, "refs/heads/*") < 0) {
		strbuf_addstr(err, git_error_message());
		return -1;
	}
	while (!git_reference_next_name(&name, it))
		if (!found++ && git_reference_name_to_id(tip, e->repo, name) < 0)
			found = -1000;
	git_reference_iterator_free(it);
	if (found == 1)
		return 0;
	if (!found)
		return 1;
	strbuf_addstr(err, "HEAD names no commit and there are several branches");
	return -1;
}

/* Find "name" in a raw tree; its oid in *oid. */
static int tree_find(const char *tree, size_t len, const char *name, git_oid *oid, int *is_tree)
{
	const char *p = tree, *end = tree + len;
	size_t nlen = strlen(name);

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;

		if (!sp)
			break;
		nul = memchr(sp, '\0', (size_t)(end - sp));
		if (!nul || (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
			break;
		if ((size_t)(nul - sp - 1) == nlen && !memcmp(sp + 1, name, nlen)) {
			git_oid_fromraw(oid, (const unsigned char *)nul + 1);
			if (is_tree)
				*is_tree = *p == '4';	/* mode 40000 */
			return 1;
		}
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

/* What the archive needs of a commit. */
struct commit_info {
	git_oid tree;
	git_oid parent;		/* the first one */
	unsigned parents;
	time_t when;		/* committer time */
};

static int parse_commit(const char *buf, size_t len, struct commit_info *ci)
{
	const char *p = buf, *end = buf + len;

	memset(ci, 0, sizeof(*ci));
	if (len < 5 + GIT_OID_HEXSZ || memcmp(buf, "tree ", 5) ||
	    git_oid_fromstrn(&ci->tree, buf + 5, GIT_OID_HEXSZ) < 0)
		return -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!llen)
			break;	/* the headers end */
		if (llen == 7 + GIT_OID_HEXSZ && !memcmp(p, "parent ", 7)) {
			if (!ci->parents++ && git_oid_fromstrn(&ci->parent, p + 7, GIT_OID_HEXSZ) < 0)
				return -1;
		} else if (llen > 10 && !memcmp(p, "committer ", 10)) {
			const char *gt = p + llen;

			while (gt > p && *gt != '>')
				gt--;
			if (*gt == '>')
				ci->when = (time_t)strtoll(gt + 1, NULL, 10);
			break;
		}
		p += llen + 1;
	}
	return 0;
}

/* Read a raw object of the expected type; the caller frees *obj. */
static int read_object(git_odb_object **obj, git_odb *odb, const git_oid *oid,
		       git_object_t type, struct strbuf *err)
{
	if (git_odb_read(obj, odb, oid) < 0) {
		strbuf_addf(err, "cannot read %s: %s", git_oid_tostr_s(oid), git_error_message());
		return -1;
	}
	if (git_odb_object_type(*obj) != type) {
		strbuf_addf(err, "%s is a %s, not a %s", git_oid_tostr_s(oid),
			    git_object_type2string(git_odb_object_type(*obj)),
			    git_object_type2string(type));
		git_odb_object_free(*obj);
		*obj = NULL;
		return -1;
	}
	return 0;
}

static int read_commit(git_odb *odb, const git_oid *oid, struct commit_info *ci,
		       struct strbuf *err)
{
	git_odb_object *c = NULL;
	int ret;

	if (read_object(&c, odb, oid, GIT_OBJECT_COMMIT, err) < 0)
		return -1;
	ret = parse_commit(git_odb_object_data(c), git_odb_object_size(c), ci);
	git_odb_object_free(c);
	if (ret < 0)
		strbuf_addf(err, "commit %s is malformed", git_oid_tostr_s(oid));
	return ret;
}

/* The tree of a commit, read. */
static int read_commit_tree(git_odb *odb, const git_oid *commit, git_odb_object **tree,
			    time_t *when, struct strbuf *err)
{
	struct commit_info ci;

	*tree = NULL;
	if (read_commit(odb, commit, &ci, err) < 0)
		return -1;
	*when = ci.when;
	return read_object(tree, odb, &ci.tree, GIT_OBJECT_TREE, err);
}

/* v1 (ssoma) layout: messages at 2/38 paths, no "m" or "d" at the top. */
static int is_v1_tree(const git_odb_object *tree)
{
	const char *data = git_odb_object_data((git_odb_object *)tree);
	size_t len = git_odb_object_size((git_odb_object *)tree);
	git_oid oid;

	return len && !tree_find(data, len, "m", &oid, NULL) && !tree_find(data, len, "d", &oid, NULL);
}

struct tree_entry {
	const char *name;
	size_t name_len;
	git_oid oid;
	int is_tree;
};

/* The entries of a raw tree, in order; *nr of them. */
static struct tree_entry *tree_entries(const git_odb_object *obj, size_t *nr)
{
	const char *p = obj ? git_odb_object_data((git_odb_object *)obj) : NULL;
	const char *end = p ? p + git_odb_object_size((git_odb_object *)obj) : NULL;
	struct tree_entry *list = NULL;
	size_t alloc = 0;

	*nr = 0;
	while (p && p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;

		if (!sp || !(nul = memchr(sp, '\0', (size_t)(end - sp))) ||
		    (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
			break;
		ALLOC_GROW(list, *nr + 1, alloc);
		list[*nr].name = sp + 1;
		list[*nr].name_len = (size_t)(nul - sp - 1);
		list[*nr].is_tree = *p == '4';
		git_oid_fromraw(&list[*nr].oid, (const unsigned char *)nul + 1);
		(*nr)++;
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return list;
}

static int cmp_entry_name(const struct tree_entry *a, const struct tree_entry *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);

	return c ? c : (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

struct v1_diff {
	git_odb *odb;
	struct inbox_plan *plan;
	const struct inbox_item *commit;	/* template: epoch, commit, offset, time */
	struct strbuf *err;
};

static void v1_emit(struct v1_diff *d, const git_oid *blob, int removal)
{
	struct inbox_item *it = inbox_add_item(d->plan, d->commit->origin.epoch, d->commit->origin.offset);

	it->origin.commit = d->commit->origin.commit;
	it->origin.blob = *blob;
	it->archived = d->commit->archived;
	it->blob_known = 1;
	it->removal = removal;
}

/*
 * Compare two trees of a v1 inbox, depth first, emitting the blobs added
 * and removed.  Trees sort their entries, so one merge pass suffices.
 */
static int v1_diff_trees(struct v1_diff *d, const git_oid *old, const git_oid *new, int depth)
{
	git_odb_object *o = NULL, *n = NULL;
	struct tree_entry *oe = NULL, *ne = NULL;
	size_t onr = 0, nnr = 0, i = 0, j = 0;
	int ret = 0;

	if (depth > 4)
		return 0;	/* ssoma nests at most 3 levels */
	if ((old && read_object(&o, d->odb, old, GIT_OBJECT_TREE, d->err) < 0) ||
	    (new && read_object(&n, d->odb, new, GIT_OBJECT_TREE, d->err) < 0)) {
		ret = -1;
		goto out;
	}
	oe = tree_entries(o, &onr);
	ne = tree_entries(n, &nnr);
	while (!ret && (i < onr || j < nnr)) {
		int c = i == onr ? 1 : j == nnr ? -1 : cmp_entry_name(&oe[i], &ne[j]);

		if (c == 0 && git_oid_equal(&oe[i].oid, &ne[j].oid)) {
			i++;
			j++;
			continue;
		}
		if (c <= 0) {
			if (oe[i].is_tree)
				ret = v1_diff_trees(d, &oe[i].oid, c == 0 && ne[j].is_tree ? &ne[j].oid : NULL, depth + 1);
			else
				v1_emit(d, &oe[i].oid, 1);
		}
		if (!ret && c >= 0) {
			if (ne[j].is_tree)
				ret = c == 0 && oe[i].is_tree ? 0 : v1_diff_trees(d, NULL, &ne[j].oid, depth + 1);
			else
				v1_emit(d, &ne[j].oid, 0);
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
out:
	free(oe);
	free(ne);
	git_odb_object_free(o);
	git_odb_object_free(n);
	return ret;
}

/* Replace each commit item of a v1 epoch by the blobs it adds and removes. */
static int plan_v1(struct inbox_epoch *e, struct inbox_plan *plan, const git_oid *before,
		   struct strbuf *err)
{
	struct inbox_item *commits = plan->items;
	size_t nr = plan->nr, i;
	git_odb *odb = NULL;
	git_oid prev;
	int have_prev = before && !git_oid_is_zero(before), ret = 0;

	if (git_repository_odb(&odb, e->repo) < 0) {
		strbuf_addstr(err, git_error_message());
		return -1;
	}
	if (have_prev) {
		git_odb_object *t = NULL;
		time_t when;

		if (read_commit_tree(odb, before, &t, &when, err) < 0) {
			git_odb_free(odb);
			return -1;
		}
		git_oid_cpy(&prev, git_odb_object_id(t));
		git_odb_object_free(t);
	}
	plan->items = NULL;
	plan->nr = plan->alloc = 0;
	for (i = 0; i < nr && !ret; i++) {
		struct v1_diff d = { odb, plan, &commits[i], err };
		git_odb_object *t = NULL;
		git_oid tree;

		if (read_commit_tree(odb, &commits[i].origin.commit, &t, &commits[i].archived, err) < 0) {
			ret = -1;
			break;
		}
		git_oid_cpy(&tree, git_odb_object_id(t));
		git_odb_object_free(t);
		ret = v1_diff_trees(&d, have_prev ? &prev : NULL, &tree, 0);
		prev = tree;
		have_prev = 1;
	}
	free(commits);
	git_odb_free(odb);
	return ret;
}

/*
 * Public-inbox histories are linear: walk first parents back from the
 * tip to the cursor, reading each commit once, so that the items know
 * their trees.  Returns 0 (*found says whether the cursor was met), 1
 * when a merge commit makes a revision walk necessary, -1 on error.
 */
static int walk_linear(struct inbox_epoch *e, size_t ei, const git_oid *tip,
		       struct inbox_plan *plan, int *found, struct strbuf *err)
{
	const git_oid *stop = git_oid_is_zero(&e->cursor.commit) ? NULL : &e->cursor.commit;
	git_odb *odb = NULL;
	git_oid oid = *tip;
	size_t i;
	int ret = 0;

	*found = 0;
	if (git_repository_odb(&odb, e->repo) < 0) {
		strbuf_addstr(err, git_error_message());
		return -1;
	}
	for (;;) {
		struct commit_info ci;
		struct inbox_item *it;

		if (stop && git_oid_equal(&oid, stop)) {
			*found = 1;
			break;
		}
		if (read_commit(odb, &oid, &ci, err) < 0) {
			ret = -1;
			break;
		}
		if (ci.parents > 1) {
			ret = 1;
			break;
		}
		it = inbox_add_item(plan, ei, 0);
		it->origin.commit = oid;
		it->tree = ci.tree;
		it->archived = ci.when;
		it->tree_known = 1;
		if (!ci.parents)
			break;
		oid = ci.parent;
	}
	git_odb_free(odb);
	if (ret) {
		plan->nr = 0;
		return ret;
	}
	for (i = 0; i < plan->nr / 2; i++) {
		struct inbox_item tmp = plan->items[i];

		plan->items[i] = plan->items[plan->nr - 1 - i];
		plan->items[plan->nr - 1 - i] = tmp;
	}
	return 0;
}

/* The same with libgit2's revision walk, for histories with merges. */
static int walk_revs(struct inbox_epoch *e, size_t ei, const git_oid *tip,
		     struct inbox_plan *plan, int *found, struct strbuf *err)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int ret;

	*found = 0;
	if (git_revwalk_new(&walk, e->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, tip) < 0)
		goto fail;
	if (!git_oid_is_zero(&e->cursor.commit) &&
	    git_graph_descendant_of(e->repo, tip, &e->cursor.commit) == 1) {
		if (git_revwalk_hide(walk, &e->cursor.commit) < 0)
			goto fail;
		*found = 1;
	}
	git_error_clear();
	while (!(ret = git_revwalk_next(&oid, walk)))
		inbox_add_item(plan, ei, 0)->origin.commit = oid;
	if (ret != GIT_ITEROVER)
		goto fail;
	git_revwalk_free(walk);
	return 0;
fail:
	strbuf_addstr(err, git_error_message());
	git_revwalk_free(walk);
	return -1;
}

int inbox_plan_git(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
{
	struct inbox_epoch *e = &inbox->epochs[ei];
	uint64_t pos = 0;
	git_oid tip;
	size_t i;
	int ret, found;

	ret = epoch_tip(e, &tip, err);
	if (ret < 0)
		return -1;
	memset(&plan->next, 0, sizeof(plan->next));
	if (ret == 1) {
		/* Empty (a placeholder); if it had messages, they are gone. */
		if (!git_oid_is_zero(&e->cursor.commit)) {
			plan->rescan = 1;
			plan->rescan_why = "it is empty now";
		}
		return 0;
	}
	if (git_oid_equal(&tip, &e->cursor.commit)) {
		plan->next = e->cursor;
		return 0;
	}
	ret = walk_linear(e, ei, &tip, plan, &found, err);
	if (ret == 1)
		ret = walk_revs(e, ei, &tip, plan, &found, err);
	if (ret < 0)
		return -1;
	if (found) {
		pos = e->cursor.count;
	} else if (!git_oid_is_zero(&e->cursor.commit)) {
		/* The cursor is no longer in the history: the items are all of it. */
		plan->rescan = 1;
		plan->rescan_why = "its history was rewritten";
	}
	for (i = 0; i < plan->nr; i++)
		plan->items[i].origin.offset = pos++;
	plan->next.commit = tip;
	plan->next.count = pos;

	/* A v1 inbox (or a bare repository of 2/38 paths): diff each commit. */
	if (inbox->kind == INBOX_GIT && plan->nr) {
		git_odb *odb = NULL;
		git_odb_object *t = NULL;
		time_t when;
		int v1 = 0;

		if (git_repository_odb(&odb, e->repo) < 0) {
			strbuf_addstr(err, git_error_message());
			return -1;
		}
		ret = read_commit_tree(odb, &tip, &t, &when, err);
		if (!ret)
			v1 = is_v1_tree(t);
		git_odb_object_free(t);
		git_odb_free(odb);
		if (ret < 0)
			return -1;
		if (v1)
			return plan_v1(e, plan, plan->rescan ? NULL : &e->cursor.commit, err);
	}
	return 0;
}

static git_odb *reader_odb(struct inbox_reader *r, uint32_t epoch, struct strbuf *err)
{
	struct inbox_epoch *e = &r->inbox->epochs[epoch];
	size_t slot = r->inbox->kind == INBOX_REFS ? 0 : epoch;

	if (r->odbs[slot])
		return r->odbs[slot];
	if (git_repository_open_bare(&r->repos[slot], e->path) < 0 ||
	    git_repository_odb(&r->odbs[slot], r->repos[slot]) < 0) {
		strbuf_addf(err, "cannot open '%s': %s", e->path, git_error_message());
		return NULL;
	}
	return r->odbs[slot];
}

int inbox_read_git_item(struct inbox_reader *r, const struct inbox_item *item,
			struct inbox_message *msg, struct strbuf *err)
{
	git_odb *odb = reader_odb(r, item->origin.epoch, err);
	git_odb_object *tree = NULL;
	git_oid blob;
	int is_tree = 0;

	if (!odb)
		return -1;
	if (item->blob_known) {
		if (item->removal)
			return 0;	/* v1: the blob named is all there is to know */
		blob = item->origin.blob;
	} else {
		const char *data;
		size_t len;

		if (item->tree_known) {
			if (read_object(&tree, odb, &item->tree, GIT_OBJECT_TREE, err) < 0)
				return -1;
		} else if (read_commit_tree(odb, &item->origin.commit, &tree, &msg->archived, err) < 0) {
			return -1;
		}
		data = git_odb_object_data(tree);
		len = git_odb_object_size(tree);
		if (tree_find(data, len, "m", &blob, &is_tree)) {
			msg->removal = 0;
		} else if (tree_find(data, len, "d", &blob, &is_tree)) {
			msg->removal = 1;
		} else {
			git_odb_object_free(tree);
			return 1;	/* neither: nothing to read */
		}
		git_odb_object_free(tree);
		if (is_tree) {
			strbuf_addstr(err, "the message is a directory, not a file");
			return -1;
		}
		msg->origin.blob = blob;
	}
	if (r->inbox->max_message_size) {
		size_t size;
		git_object_t type;

		/* The size is in the object's header: nothing big is inflated. */
		if (!git_odb_read_header(&size, &type, odb, &blob) &&
		    inbox_over_limit(size, r->inbox->max_message_size, err))
			return -1;
	}
	if (read_object(&r->obj, odb, &blob, GIT_OBJECT_BLOB, err) < 0)
		return -1;
	msg->raw = git_odb_object_data(r->obj);
	msg->len = git_odb_object_size(r->obj);
	return 0;
}

int inbox_read_git_blob(const struct inbox_epoch *e, const git_oid *blob, struct strbuf *out,
			struct strbuf *err)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	int ret = 0;

	if (!e->repo || git_repository_odb(&odb, e->repo) < 0) {
		strbuf_addstr(err, e->repo ? git_error_message() : "an empty epoch");
		ret = -1;
	} else if (read_object(&obj, odb, blob, GIT_OBJECT_BLOB, err) < 0) {
		ret = -1;
	} else {
		strbuf_add(out, git_odb_object_data(obj), git_odb_object_size(obj));
	}
	git_odb_object_free(obj);
	git_odb_free(odb);
	return ret;
}
