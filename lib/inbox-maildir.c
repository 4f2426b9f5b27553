/*
 * inbox-maildir.c - a maildir ("maildir:<dir>", or a directory with cur/):
 * one file a message, in cur/ and new/.
 *
 * A file keeps its place in the epoch (its index in epoch->names) for as
 * long as it exists, although a mail client moves it from new/ to cur/
 * and renames it when its flags change: files are known by their name
 * without the ":2,FLAGS" part.  A file gone is a message removed.
 */
#include "inbox.h"
#include "inbox-kinds.h"
#include "cache.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void inbox_open_maildir(struct inbox *inbox, const char *path)
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
	inbox_add_epoch(inbox, &alloc, 0, ".", path);
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

int inbox_plan_maildir(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
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
		inbox_add_item(plan, ei, e->names_nr);
		e->names_nr++;
	}
	for (i = 0; i < old_nr; i++)
		if (*e->names[i] && !seen[i]) {
			/* Gone: its message leaves the archive; the slot stays, empty. */
			inbox_add_item(plan, ei, i)->removal = 1;
			e->names[i][0] = '\0';
		}
	free(seen);
	free(files);
	strmap_clear(&known);
	return 0;
}

/* Read path into out: 0, -1 when it cannot be read, -2 when it is over max (err says so). */
static long read_file_limited(struct strbuf *out, const char *path, uint64_t max,
			      struct strbuf *err)
{
	struct stat st;

	if (max && !stat(path, &st) && inbox_over_limit((uint64_t)st.st_size, max, err))
		return -2;
	strbuf_reset(out);
	return strbuf_read_file(out, path) < 0 ? -1 : 0;
}

/*
 * Read a maildir file (none over max bytes); if it moved (new/ to cur/,
 * new flags), find it by its key.
 */
int inbox_read_maildir_file(const struct inbox_epoch *e, const char *rel, uint64_t max,
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
