#include "inbox.h"
#include "cache.h"
#include "mbox.h"
#include "piconfig.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *git_error_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Whether a change at mtime (ns) could be followed by another with the same mtime. */
static int is_racy(int64_t mtime)
{
	return mtime / 1000000000 >= (int64_t)time(NULL) - 2;
}

const char *inbox_kind_name(enum inbox_kind kind)
{
	switch (kind) {
	case INBOX_V2: return "v2";
	case INBOX_GIT: return "git";
	case INBOX_REFS: return "refs";
	case INBOX_MBOXRD: return "mboxrd";
	case INBOX_MBOXO: return "mboxo";
	case INBOX_MAILDIR: return "maildir";
	case INBOX_FILE: return "file";
	}
	return "unknown";
}

static int is_git_kind(enum inbox_kind kind)
{
	return kind == INBOX_V2 || kind == INBOX_GIT || kind == INBOX_REFS;
}

static struct inbox_epoch *add_epoch(struct inbox *inbox, size_t *alloc, unsigned number,
				     const char *name, const char *path)
{
	struct inbox_epoch *e;

	ALLOC_GROW(inbox->epochs, inbox->epochs_nr + 1, *alloc);
	e = &inbox->epochs[inbox->epochs_nr++];
	memset(e, 0, sizeof(*e));
	e->number = number;
	e->name = xstrdup(name);
	e->path = xstrdup(path);
	return e;
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

static void open_v2(struct inbox *inbox, const char *gitdir)
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
		add_epoch(inbox, &alloc, (unsigned)n, name, path);
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

static int open_git(struct inbox *inbox, const char *path)
{
	git_repository *repo;
	size_t alloc = 0;

	if (git_repository_open_bare(&repo, path) < 0)
		return -1;
	git_repository_free(repo);
	inbox->kind = INBOX_GIT;
	open_epoch_repo(inbox, add_epoch(inbox, &alloc, 0, ".", path));
	return 0;
}

static void map_file(struct inbox *inbox, const char *path, enum inbox_kind kind)
{
	struct stat st;
	size_t alloc = 0;
	/* Non-blocking: opening a FIFO would wait for a writer, maybe forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &st) < 0)
		die_errno("cannot open inbox '%s'", inbox->location);
	if (!S_ISREG(st.st_mode))
		die("cannot open inbox '%s': not a regular file (an mbox is read whole, "
		    "from a file)", inbox->location);
	inbox->kind = kind;
	inbox->map_len = (size_t)st.st_size;
	if (inbox->map_len) {
		void *map = mmap(NULL, inbox->map_len, PROT_READ, MAP_PRIVATE, fd, 0);

		if (map == MAP_FAILED)
			die_errno("cannot open inbox '%s'", inbox->location);
		inbox->map = map;
	}
	close(fd);
	add_epoch(inbox, &alloc, 0, ".", path);
}

static void open_maildir(struct inbox *inbox, const char *path)
{
	char *cur = xstrfmt("%s/cur", path), *new = xstrfmt("%s/new", path);
	size_t alloc = 0;

	if (!is_dir(cur) && !is_dir(new)) {
		if (!is_dir(path))
			die_errno("cannot open inbox '%s'", inbox->location);
		die("cannot open inbox '%s': not a maildir (no cur/ or new/)", inbox->location);
	}
	free(cur);
	free(new);
	inbox->kind = INBOX_MAILDIR;
	add_epoch(inbox, &alloc, 0, ".", path);
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

static void open_refs(struct inbox *inbox, const char *glob, git_repository *repo)
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

		e = add_epoch(inbox, &alloc, n < 0 ? UINT_MAX : (unsigned)n, refs[i], path);
		e->ref = refs[i];
		open_epoch_repo(inbox, e);
	}
	free(refs);
	QSORT(inbox->epochs, inbox->epochs_nr, cmp_ref_epoch);
	for (i = 0; i < inbox->epochs_nr; i++)
		if (inbox->epochs[i].number == UINT_MAX)
			inbox->epochs[i].number = (unsigned)i;
}

/* A regular file: an mbox when it starts like one, else one message. */
static void open_file(struct inbox *inbox, const char *path)
{
	map_file(inbox, path, INBOX_FILE);
	if (mbox_is_mbox(inbox->map, inbox->map_len))
		inbox->kind = INBOX_MBOXRD;
}

static void open_path(struct inbox *inbox, const char *path, git_repository *repo)
{
	struct stat st;
	char *sub;

	if (stat(path, &st) < 0) {
		int saved = errno;
		char *named;

		if (saved == ENOENT && !strchr(path, '/') &&
		    ((named = piconfig_inboxdir(path)) || (named = piconfig_lei_external(path)))) {
			open_path(inbox, named, repo);
			free(named);
			return;
		}
		errno = saved;
		die_errno("cannot open inbox '%s'", inbox->location);
	}
	inbox->resolved = realpath(path, NULL);
	if (!inbox->resolved)
		die_errno("cannot open inbox '%s'", inbox->location);
	if (S_ISREG(st.st_mode)) {
		open_file(inbox, inbox->resolved);
		return;
	}
	sub = xstrfmt("%s/git", inbox->resolved);
	if (is_dir(sub)) {
		open_v2(inbox, sub);
		free(sub);
		return;
	}
	free(sub);
	if (open_git(inbox, inbox->resolved) == 0)
		return;
	sub = xstrfmt("%s/cur", inbox->resolved);
	if (is_dir(sub)) {
		free(sub);
		open_maildir(inbox, inbox->resolved);
		return;
	}
	free(sub);
	die("cannot open inbox '%s': not a public-inbox directory or git repository",
	    inbox->location);
}

/* The path after a "kind:" prefix, made absolute. */
static void resolve_prefixed(struct inbox *inbox, const char *path)
{
	if (!*path)
		die("cannot open inbox '%s': no path after the prefix", inbox->location);
	inbox->resolved = realpath(path, NULL);
	if (!inbox->resolved)
		die_errno("cannot open inbox '%s'", inbox->location);
}

struct inbox *inbox_open(const char *loc, unsigned index, git_repository *repo)
{
	struct inbox *inbox = xcalloc(1, sizeof(*inbox));

	/* zlib's checksum catches damaged objects; hashing every message again costs 40%. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	inbox->location = xstrdup(loc);
	inbox->index = index;
	if (starts_with(loc, "mboxrd:") || starts_with(loc, "mboxo:") || starts_with(loc, "mbox:")) {
		enum inbox_kind kind = starts_with(loc, "mboxo:") ? INBOX_MBOXO : INBOX_MBOXRD;

		resolve_prefixed(inbox, strchr(loc, ':') + 1);
		map_file(inbox, inbox->resolved, kind);
	} else if (starts_with(loc, "maildir:")) {
		resolve_prefixed(inbox, loc + 8);
		open_maildir(inbox, inbox->resolved);
	} else if (starts_with(loc, "refs/")) {
		inbox->resolved = xstrdup(loc);
		open_refs(inbox, loc, repo);
	} else {
		open_path(inbox, loc, repo);
		/* The list a public-inbox directory archives, when its config says. */
		inbox->address = piconfig_address(inbox->resolved);
	}
	return inbox;
}

void inbox_free(struct inbox *inbox)
{
	size_t i, j;

	if (!inbox)
		return;
	for (i = 0; i < inbox->epochs_nr; i++) {
		struct inbox_epoch *e = &inbox->epochs[i];

		git_repository_free(e->repo);
		free(e->name);
		free(e->path);
		free(e->ref);
		for (j = 0; j < e->names_nr; j++)
			free(e->names[j]);
		free(e->names);
	}
	if (inbox->map)
		munmap((void *)inbox->map, inbox->map_len);
	free(inbox->epochs);
	free(inbox->location);
	free(inbox->resolved);
	free(inbox->address);
	free(inbox);
}

/* ---- planning ---- */

static struct inbox_item *add_item(struct inbox_plan *plan, size_t epoch, uint64_t offset)
{
	struct inbox_item *it;

	ALLOC_GROW(plan->items, plan->nr + 1, plan->alloc);
	it = &plan->items[plan->nr++];
	memset(it, 0, sizeof(*it));
	it->origin.epoch = (uint32_t)epoch;
	it->origin.offset = offset;
	return it;
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
	struct inbox_item *it = add_item(d->plan, d->commit->origin.epoch, d->commit->origin.offset);

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
		it = add_item(plan, ei, 0);
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
		add_item(plan, ei, 0)->origin.commit = oid;
	if (ret != GIT_ITEROVER)
		goto fail;
	git_revwalk_free(walk);
	return 0;
fail:
	strbuf_addstr(err, git_error_message());
	git_revwalk_free(walk);
	return -1;
}

static int plan_git(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
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

struct mbox_plan {
	struct inbox_plan *plan;
	size_t epoch;
	const char *base;
};

static int plan_mbox_message(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct mbox_plan *mp = data;
	struct inbox_item *it = add_item(mp->plan, mp->epoch, (uint64_t)(msg - mp->base));

	it->origin.length = len;
	return 0;
}

static int plan_mbox(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
{
	struct inbox_epoch *e = &inbox->epochs[ei];
	struct inbox_cursor *c = &e->cursor;
	struct mbox_plan mp = { plan, ei, inbox->map };
	struct stat st;
	size_t start = 0;

	if (stat(e->path, &st) < 0) {
		strbuf_addf(err, "cannot stat '%s': %s", e->path, strerror(errno));
		return -1;
	}
	plan->next.size = inbox->map_len;
	/* A racy mtime is not kept, so that the next run compares the bytes. */
	plan->next.mtime = is_racy(mtime_ns(&st)) ? 0 : mtime_ns(&st);
	if (c->size == inbox->map_len && c->mtime == plan->next.mtime && c->mtime && c->hash) {
		plan->next = *c;
		return 0;
	}
	plan->next.hash = cache_hash(inbox->map, inbox->map_len);
	if (c->hash && c->size == inbox->map_len && c->hash == plan->next.hash)
		return 0;	/* touched, not changed */
	if (inbox->kind == INBOX_FILE) {
		plan->rescan = c->hash != 0;
		plan->rescan_why = "it changed";
		if (inbox->map_len)
			add_item(plan, ei, 0)->origin.length = inbox->map_len;
		return 0;
	}
	/* Mail appended to what was read: read only the new part. */
	if (c->hash && c->size < inbox->map_len) {
		start = (size_t)c->size;
		/* The blank line that separates it may come with the new part. */
		if (inbox->map_len - start >= 2 && !memcmp(inbox->map + start, "\r\n", 2))
			start += 2;
		else if (inbox->map[start] == '\n')
			start++;
		if (inbox->map_len - start < 5 || memcmp(inbox->map + start, "From ", 5) ||
		    cache_hash(inbox->map, (size_t)c->size) != c->hash)
			start = 0;
	}
	if (c->hash && !start) {
		plan->rescan = 1;
		plan->rescan_why = "it changed";
	}
	if (start < inbox->map_len)
		mbox_split(inbox->map + start, inbox->map_len - start, plan_mbox_message, &mp);
	return 0;
}

/* The name of a maildir file without its ":2,FLAGS" info part. */
static size_t maildir_key_len(const char *file)
{
	const char *colon = strchr(file, ':');

	return colon ? (size_t)(colon - file) : strlen(file);
}

static const char *maildir_base(const char *rel)
{
	const char *slash = strchr(rel, '/');

	return slash ? slash + 1 : rel;
}

static int list_maildir(const char *dir, const char *sub, char ***list, size_t *nr,
			size_t *alloc, int64_t *mtime)
{
	char *path = xstrfmt("%s/%s", dir, sub);
	DIR *d = opendir(path);
	struct dirent *de;
	struct stat st;

	*mtime = 0;
	if (!d) {
		int missing = errno == ENOENT;

		free(path);
		return missing ? 0 : -1;
	}
	if (!fstat(dirfd(d), &st))
		*mtime = mtime_ns(&st);
	while ((de = readdir(d))) {
		/* Dot files are not mail; neither are directories. */
		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		ALLOC_GROW(*list, *nr + 1, *alloc);
		(*list)[(*nr)++] = xstrfmt("%s/%s", sub, de->d_name);
	}
	closedir(d);
	free(path);
	return 0;
}

static uint64_t maildir_fingerprint(const char *dir)
{
	static const char *const subs[] = { "cur", "new" };
	int64_t mt[2] = { 0, 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subs); i++) {
		char *path = xstrfmt("%s/%s", dir, subs[i]);
		struct stat st;

		if (!stat(path, &st))
			mt[i] = mtime_ns(&st);
		free(path);
	}
	return cache_hash(mt, sizeof(mt)) | 1;
}

static int cmp_maildir_base(const void *a, const void *b)
{
	return strcmp(maildir_base(*(char *const *)a), maildir_base(*(char *const *)b));
}

static int plan_maildir(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
{
	struct inbox_epoch *e = &inbox->epochs[ei];
	struct strmap known = STRMAP_INIT_DUP;
	char **files = NULL;
	size_t nr = 0, alloc = 0, old_nr = e->names_nr, i;
	int64_t mt[2];
	unsigned char *seen;

	plan->next = e->cursor;
	if (e->cursor.hash && maildir_fingerprint(e->path) == e->cursor.hash)
		return 0;
	if (list_maildir(e->path, "cur", &files, &nr, &alloc, &mt[0]) < 0 ||
	    list_maildir(e->path, "new", &files, &nr, &alloc, &mt[1]) < 0) {
		strbuf_addf(err, "cannot read maildir '%s': %s", e->path, strerror(errno));
		for (i = 0; i < nr; i++)
			free(files[i]);
		free(files);
		return -1;
	}
	/*
	 * A directory changed in the last seconds may change again within
	 * its mtime's granularity: then list it again next time.
	 */
	plan->next.hash = is_racy(mt[0]) || is_racy(mt[1]) ? 0 : cache_hash(mt, sizeof(mt)) | 1;
	QSORT(files, nr, cmp_maildir_base);
	seen = xcalloc(old_nr + 1, 1);
	for (i = 0; i < old_nr; i++)
		if (*e->names[i]) {
			const char *base = maildir_base(e->names[i]);
			char *key = xstrndup(base, maildir_key_len(base));

			strmap_put(&known, key, (void *)(uintptr_t)(i + 1));
			free(key);
		}
	for (i = 0; i < nr; i++) {
		const char *base = maildir_base(files[i]);
		char *key = xstrndup(base, maildir_key_len(base));
		uintptr_t at = (uintptr_t)strmap_get(&known, key);

		free(key);
		if (at && !seen[at - 1]) {
			/* Known; it may have moved from new/ to cur/ or had its flags changed. */
			seen[at - 1] = 1;
			free(e->names[at - 1]);
			e->names[at - 1] = files[i];
			continue;
		}
		ALLOC_GROW(e->names, e->names_nr + 1, e->names_alloc);
		e->names[e->names_nr] = files[i];
		add_item(plan, ei, e->names_nr);
		e->names_nr++;
	}
	for (i = 0; i < old_nr; i++)
		if (*e->names[i] && !seen[i]) {
			/* Gone: its message leaves the archive; the slot stays, empty. */
			add_item(plan, ei, i)->removal = 1;
			e->names[i][0] = '\0';
		}
	free(seen);
	free(files);
	strmap_clear(&known);
	return 0;
}

int inbox_plan(struct inbox *inbox, size_t e, struct inbox_plan *plan)
{
	struct strbuf err = STRBUF_INIT;
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->epoch = e;
	if (e >= inbox->epochs_nr)
		return error("inbox '%s' has no epoch %zu", inbox->location, e);
	if (is_git_kind(inbox->kind))
		ret = plan_git(inbox, e, plan, &err);
	else if (inbox->kind == INBOX_MAILDIR)
		ret = plan_maildir(inbox, e, plan, &err);
	else
		ret = plan_mbox(inbox, e, plan, &err);
	if (ret < 0)
		error("cannot read inbox '%s': epoch '%s': %s", inbox->location,
		      inbox->epochs[e].name, err.buf);
	strbuf_release(&err);
	return ret;
}

void inbox_plan_release(struct inbox_plan *plan)
{
	free(plan->items);
	memset(plan, 0, sizeof(*plan));
}

void inbox_plan_done(struct inbox *inbox, const struct inbox_plan *plan)
{
	inbox->epochs[plan->epoch].cursor = plan->next;
}

/* ---- reading ---- */

struct inbox_reader {
	struct inbox *inbox;
	git_repository **repos;		/* per epoch, opened on first use */
	git_odb **odbs;
	git_odb_object *obj;		/* what msg->raw points into */
	struct strbuf buf;
};

struct inbox_reader *inbox_reader_new(struct inbox *inbox)
{
	struct inbox_reader *r = xcalloc(1, sizeof(*r));

	r->inbox = inbox;
	CALLOC_ARRAY(r->repos, inbox->epochs_nr + 1);
	CALLOC_ARRAY(r->odbs, inbox->epochs_nr + 1);
	strbuf_init(&r->buf, 0);
	return r;
}

void inbox_reader_free(struct inbox_reader *r)
{
	size_t i;

	if (!r)
		return;
	git_odb_object_free(r->obj);
	for (i = 0; i < r->inbox->epochs_nr; i++) {
		/* Epochs of a ref glob share the first one's handles. */
		if (r->inbox->kind == INBOX_REFS && i)
			break;
		git_odb_free(r->odbs[i]);
		git_repository_free(r->repos[i]);
	}
	free(r->repos);
	free(r->odbs);
	strbuf_release(&r->buf);
	free(r);
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

/*
 * Whether a message of size bytes is over the limit max (0: none); if so
 * err says so.  Messages over it are not read at all: memory stays
 * bounded whatever a mailbox holds.
 */
static int over_limit(uint64_t size, uint64_t max, struct strbuf *err)
{
	if (!max || size <= max)
		return 0;
	strbuf_addf(err, "a message of %llu bytes is larger than bpfdigest.maxMessageSize "
		    "(%llu bytes); skipped", (unsigned long long)size, (unsigned long long)max);
	return 1;
}

static int read_git_item(struct inbox_reader *r, const struct inbox_item *item,
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
		    over_limit(size, r->inbox->max_message_size, err))
			return -1;
	}
	if (read_object(&r->obj, odb, &blob, GIT_OBJECT_BLOB, err) < 0)
		return -1;
	msg->raw = git_odb_object_data(r->obj);
	msg->len = git_odb_object_size(r->obj);
	return 0;
}

static void unquote(struct strbuf *out, enum inbox_kind kind, const char *msg, size_t len)
{
	strbuf_reset(out);
	if (kind == INBOX_MBOXO)
		mbox_unquote_mboxo(out, msg, len);
	else
		mbox_unquote(out, msg, len);
}

static int read_mbox_item(struct inbox_reader *r, const struct inbox_item *item,
			  struct inbox_message *msg, struct strbuf *err)
{
	const struct inbox *inbox = r->inbox;
	uint64_t off = item->origin.offset, len = item->origin.length;

	if (off > inbox->map_len || len > inbox->map_len - off) {
		strbuf_addstr(err, "beyond the end of the file");
		return -1;
	}
	if (over_limit(len, inbox->max_message_size, err))
		return -1;
	if (inbox->kind == INBOX_FILE) {
		msg->raw = inbox->map + off;
		msg->len = (size_t)len;
		return 0;
	}
	unquote(&r->buf, inbox->kind, inbox->map + off, (size_t)len);
	msg->raw = r->buf.buf;
	msg->len = r->buf.len;
	return 0;
}

/* Read path into out: 0, -1 when it cannot be read, -2 when it is over max (err says so). */
static long read_file_limited(struct strbuf *out, const char *path, uint64_t max,
			      struct strbuf *err)
{
	struct stat st;

	if (max && !stat(path, &st) && over_limit((uint64_t)st.st_size, max, err))
		return -2;
	strbuf_reset(out);
	return strbuf_read_file(out, path) < 0 ? -1 : 0;
}

/*
 * Read a maildir file (none over max bytes); if it moved (new/ to cur/,
 * new flags), find it by its key.
 */
static int read_maildir_file(const struct inbox_epoch *e, const char *rel, uint64_t max,
			     struct strbuf *out, struct strbuf *err)
{
	static const char *const subs[] = { "cur", "new" };
	const char *base = maildir_base(rel);
	size_t klen = maildir_key_len(base), i;
	char *path = xstrfmt("%s/%s", e->path, rel);
	long n;

	n = read_file_limited(out, path, max, err);
	free(path);
	if (n == -2)
		return -1;
	if (n >= 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(subs); i++) {
		char *dir = xstrfmt("%s/%s", e->path, subs[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (!strncmp(de->d_name, base, klen) &&
			    (de->d_name[klen] == ':' || !de->d_name[klen])) {
				char *p = xstrfmt("%s/%s", dir, de->d_name);

				n = read_file_limited(out, p, max, err);
				free(p);
				break;
			}
		if (d)
			closedir(d);
		free(dir);
		if (n == -2)
			return -1;
		if (n >= 0)
			return 0;
	}
	strbuf_addf(err, "cannot read '%s/%s': %s", e->path, rel, strerror(ENOENT));
	return -1;
}

int inbox_reader_read(struct inbox_reader *r, const struct inbox_item *item,
		      struct inbox_message *msg, struct strbuf *err)
{
	const struct inbox *inbox = r->inbox;

	git_odb_object_free(r->obj);
	r->obj = NULL;
	memset(msg, 0, sizeof(*msg));
	msg->origin = item->origin;
	msg->origin.source = inbox->index;
	msg->archived = item->archived;
	msg->removal = item->removal;
	if (item->origin.epoch >= inbox->epochs_nr) {
		strbuf_addstr(err, "no such epoch");
		return -1;
	}
	if (is_git_kind(inbox->kind))
		return read_git_item(r, item, msg, err);
	if (inbox->kind == INBOX_MAILDIR) {
		const struct inbox_epoch *e = &inbox->epochs[item->origin.epoch];

		if (item->removal)
			return 0;
		if (item->origin.offset >= e->names_nr) {
			strbuf_addstr(err, "no such file");
			return -1;
		}
		if (read_maildir_file(e, e->names[item->origin.offset], inbox->max_message_size,
				      &r->buf, err) < 0)
			return -1;
		msg->raw = r->buf.buf;
		msg->len = r->buf.len;
		return 0;
	}
	return read_mbox_item(r, item, msg, err);
}

int inbox_scan(struct inbox *inbox, inbox_message_fn fn, void *data)
{
	struct inbox_reader *r = inbox_reader_new(inbox);
	struct strbuf err = STRBUF_INIT, where = STRBUF_INIT;
	size_t e, i;
	int ret = 0;

	for (e = 0; e < inbox->epochs_nr && !ret; e++) {
		struct inbox_plan plan;

		if (inbox_plan(inbox, e, &plan) < 0) {
			ret = -1;
			break;
		}
		for (i = 0; i < plan.nr && !ret; i++) {
			struct inbox_message msg;
			int got;

			strbuf_reset(&err);
			got = inbox_reader_read(r, &plan.items[i], &msg, &err);
			if (got < 0) {
				strbuf_reset(&where);
				inbox_describe(inbox, &plan.items[i].origin, &where);
				warning("%s: %s", where.buf, err.buf);
			} else if (!got) {
				ret = fn(&msg, data);
			}
		}
		if (!ret)
			inbox_plan_done(inbox, &plan);
		inbox_plan_release(&plan);
	}
	inbox_reader_free(r);
	strbuf_release(&err);
	strbuf_release(&where);
	return ret;
}

int inbox_read(struct inbox *inbox, const struct inbox_origin *origin, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;
	const struct inbox_epoch *e;
	int ret = 0;

	if (origin->epoch >= inbox->epochs_nr)
		return error("inbox '%s' has no epoch %u", inbox->location, origin->epoch);
	e = &inbox->epochs[origin->epoch];
	if (is_git_kind(inbox->kind)) {
		git_odb *odb = NULL;
		git_odb_object *obj = NULL;

		if (!e->repo || git_repository_odb(&odb, e->repo) < 0) {
			strbuf_addstr(&err, e->repo ? git_error_message() : "an empty epoch");
			ret = -1;
		} else if (read_object(&obj, odb, &origin->blob, GIT_OBJECT_BLOB, &err) < 0) {
			ret = -1;
		} else {
			strbuf_add(out, git_odb_object_data(obj), git_odb_object_size(obj));
		}
		git_odb_object_free(obj);
		git_odb_free(odb);
	} else if (inbox->kind == INBOX_MAILDIR) {
		struct strbuf file = STRBUF_INIT;

		if (origin->offset >= e->names_nr || !*e->names[origin->offset]) {
			strbuf_addstr(&err, "no such file");
			ret = -1;
		} else if (!(ret = read_maildir_file(e, e->names[origin->offset], 0, &file, &err))) {
			strbuf_addbuf(out, &file);
		}
		strbuf_release(&file);
	} else if (origin->offset > inbox->map_len ||
		   origin->length > inbox->map_len - origin->offset) {
		strbuf_addstr(&err, "beyond the end of the file");
		ret = -1;
	} else if (inbox->kind == INBOX_FILE) {
		strbuf_add(out, inbox->map + origin->offset, (size_t)origin->length);
	} else {
		struct strbuf msg = STRBUF_INIT;

		unquote(&msg, inbox->kind, inbox->map + origin->offset, (size_t)origin->length);
		strbuf_addbuf(out, &msg);
		strbuf_release(&msg);
	}
	if (ret < 0) {
		struct strbuf where = STRBUF_INIT;

		inbox_describe(inbox, origin, &where);
		error("cannot read message %s again: %s", where.buf, err.buf);
		strbuf_release(&where);
	}
	strbuf_release(&err);
	return ret;
}

void inbox_describe(const struct inbox *inbox, const struct inbox_origin *origin,
		    struct strbuf *out)
{
	const struct inbox_epoch *e;

	if (origin->epoch >= inbox->epochs_nr) {
		strbuf_addstr(out, inbox->location);
		return;
	}
	e = &inbox->epochs[origin->epoch];
	switch (inbox->kind) {
	case INBOX_V2:
	case INBOX_GIT:
		strbuf_addf(out, "%s:%s", e->path, git_oid_tostr_s(&origin->commit));
		break;
	case INBOX_REFS:
		strbuf_addf(out, "%s:%s", e->ref, git_oid_tostr_s(&origin->commit));
		break;
	case INBOX_MAILDIR:
		if (origin->offset < e->names_nr && *e->names[origin->offset])
			strbuf_addf(out, "%s/%s", e->path, e->names[origin->offset]);
		else
			strbuf_addstr(out, e->path);
		break;
	case INBOX_MBOXRD:
	case INBOX_MBOXO:
		strbuf_addf(out, "%s:%llu", e->path, (unsigned long long)origin->offset);
		break;
	case INBOX_FILE:
		strbuf_addstr(out, e->path);
		break;
	}
}
