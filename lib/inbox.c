#include "inbox.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *git_error_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

static int cmp_epoch(const void *a, const void *b)
{
	const struct inbox_epoch *x = a, *y = b;

	return x->number < y->number ? -1 : x->number > y->number;
}

/* Parse "N.git" into N; -1 when the name is something else. */
static long epoch_number(const char *name)
{
	char *end;
	long n;

	if (!*name || *name < '0' || *name > '9')
		return -1;
	n = strtol(name, &end, 10);
	return strcmp(end, ".git") ? -1 : n;
}

static void add_epoch(struct inbox *inbox, size_t *alloc, unsigned number,
		      const char *path)
{
	struct inbox_epoch *e;

	ALLOC_GROW(inbox->epochs, inbox->epochs_nr + 1, *alloc);
	e = &inbox->epochs[inbox->epochs_nr++];
	e->number = number;
	e->path = xstrdup(path);
	e->repo = NULL;
	if (git_repository_open_bare(&e->repo, path) < 0)
		die("cannot open inbox '%s': epoch '%s': %s", inbox->location,
		    path, git_error_message());
}

struct inbox *inbox_open(const char *loc, unsigned index)
{
	struct inbox *inbox = xcalloc(1, sizeof(*inbox));
	char *gitdir = xstrfmt("%s/git", loc);
	struct stat st;
	size_t alloc = 0;
	DIR *dir;

	inbox->location = xstrdup(loc);
	inbox->index = index;
	if (stat(loc, &st) < 0)
		die_errno("cannot open inbox '%s'", loc);
	dir = opendir(gitdir);
	if (dir) {
		struct dirent *de;

		while ((de = readdir(dir))) {
			long n = epoch_number(de->d_name);
			char *path;

			if (n < 0)
				continue;
			path = xstrfmt("%s/%s", gitdir, de->d_name);
			add_epoch(inbox, &alloc, (unsigned)n, path);
			free(path);
		}
		closedir(dir);
		qsort(inbox->epochs, inbox->epochs_nr, sizeof(*inbox->epochs), cmp_epoch);
	} else if (errno == ENOENT) {
		/* A single bare epoch repository given directly. */
		git_repository *repo;

		if (git_repository_open_bare(&repo, loc) < 0)
			die("cannot open inbox '%s': not a public-inbox directory or git repository",
			    loc);
		git_repository_free(repo);
		add_epoch(inbox, &alloc, 0, loc);
	} else {
		die_errno("cannot open inbox '%s'", loc);
	}
	if (!inbox->epochs_nr)
		die("cannot open inbox '%s': no git/N.git epochs", loc);
	free(gitdir);
	return inbox;
}

void inbox_free(struct inbox *inbox)
{
	size_t i;

	if (!inbox)
		return;
	for (i = 0; i < inbox->epochs_nr; i++) {
		git_repository_free(inbox->epochs[i].repo);
		free(inbox->epochs[i].path);
	}
	free(inbox->epochs);
	free(inbox->location);
	free(inbox);
}

static int scan_epoch(struct inbox *inbox, struct inbox_epoch *e,
		      inbox_message_fn fn, void *data)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int ret = 0, err;

	if (git_revwalk_new(&walk, e->repo) < 0)
		return error("cannot read inbox '%s': epoch '%s': %s", inbox->location,
			     e->path, git_error_message());
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	err = git_repository_head_unborn(e->repo) == 1 ? GIT_EUNBORNBRANCH
						       : git_revwalk_push_head(walk);
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH) {
		/* An empty placeholder epoch. */
		git_revwalk_free(walk);
		return 0;
	}
	if (err < 0) {
		ret = error("cannot read inbox '%s': epoch '%s': %s", inbox->location,
			    e->path, git_error_message());
		goto out;
	}
	while (!ret && !git_revwalk_next(&oid, walk)) {
		git_commit *commit = NULL;
		git_tree *tree = NULL;
		git_blob *blob = NULL;
		const git_tree_entry *entry;
		struct inbox_message msg;

		if (git_commit_lookup(&commit, e->repo, &oid) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			warning("%s:%s: cannot read commit: %s", e->path,
				git_oid_tostr_s(&oid), git_error_message());
			goto next;
		}
		entry = git_tree_entry_byname(tree, "m");
		if (!entry)
			goto next;	/* a deletion ("d") or an empty commit */
		if (git_blob_lookup(&blob, e->repo, git_tree_entry_id(entry)) < 0) {
			warning("%s:%s: cannot read message blob: %s", e->path,
				git_oid_tostr_s(&oid), git_error_message());
			goto next;
		}
		memset(&msg, 0, sizeof(msg));
		msg.raw = git_blob_rawcontent(blob);
		msg.len = (size_t)git_blob_rawsize(blob);
		msg.origin.source = inbox->index;
		msg.origin.epoch = e->number;
		git_oid_cpy(&msg.origin.commit, &oid);
		git_oid_cpy(&msg.origin.blob, git_tree_entry_id(entry));
		msg.archived = git_commit_committer(commit)->when.time;
		ret = fn(&msg, data);
next:
		git_blob_free(blob);
		git_tree_free(tree);
		git_commit_free(commit);
	}
out:
	git_revwalk_free(walk);
	return ret;
}

int inbox_scan(struct inbox *inbox, inbox_message_fn fn, void *data)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < inbox->epochs_nr && !ret; i++)
		ret = scan_epoch(inbox, &inbox->epochs[i], fn, data);
	return ret;
}

static struct inbox_epoch *find_epoch(struct inbox *inbox, unsigned number)
{
	size_t i;

	for (i = 0; i < inbox->epochs_nr; i++)
		if (inbox->epochs[i].number == number)
			return &inbox->epochs[i];
	return NULL;
}

int inbox_read(struct inbox *inbox, const struct inbox_origin *origin,
	       struct strbuf *out)
{
	struct inbox_epoch *e = find_epoch(inbox, origin->epoch);
	git_blob *blob = NULL;

	if (!e || !e->repo)
		return error("inbox '%s' has no epoch %u", inbox->location, origin->epoch);
	if (git_blob_lookup(&blob, e->repo, &origin->blob) < 0)
		return error("cannot read message %s from '%s': %s",
			     git_oid_tostr_s(&origin->blob), e->path, git_error_message());
	strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

void inbox_describe(const struct inbox *inbox, const struct inbox_origin *origin,
		    struct strbuf *out)
{
	size_t i;

	for (i = 0; i < inbox->epochs_nr; i++)
		if (inbox->epochs[i].number == origin->epoch) {
			strbuf_addf(out, "%s:%s", inbox->epochs[i].path,
				    git_oid_tostr_s(&origin->commit));
			return;
		}
	strbuf_addf(out, "%s", inbox->location);
}
