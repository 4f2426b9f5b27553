/*
 * patchid-cache.c - patch-ids kept from one run to the next;
 * patchid-cache.h says what and who owns what.
 */
#include "patchid-cache.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The cache file's name carries the way ids are computed: a change to
 * the diff options must not meet ids an older version cached.
 */
#define CACHE_FILE "patch-id-v2"

struct patchid_cache_entry {
	git_oid id;
	enum patchid_status status;
};

static void remember(struct patchid_cache *cache, const char *key, const git_oid *id,
		     enum patchid_status status)
{
	struct patchid_cache_entry *e = strmap_get(&cache->entries, key);

	if (!e) {
		e = xcalloc(1, sizeof(*e));
		strmap_put(&cache->entries, key, e);
	}
	e->status = status;
	if (status == PATCHID_OK)
		e->id = *id;
	else
		memset(&e->id, 0, sizeof(e->id));
}

static int parse_cache_line(struct patchid_cache *cache, char *line)
{
	char *sp = strchr(line, ' ');
	git_oid id;

	if (!sp || sp == line || strchr(sp + 1, ' '))
		return -1;
	*sp = '\0';
	if (!strcmp(sp + 1, "-")) {
		remember(cache, line, NULL, PATCHID_NONE);
		return 0;
	}
	if (strlen(sp + 1) != GIT_OID_HEXSZ || git_oid_fromstr(&id, sp + 1) < 0)
		return -1;
	remember(cache, line, &id, PATCHID_OK);
	return 0;
}

int patchid_cache_open(struct patchid_cache *cache, const char *dir)
{
	struct patchid_cache fresh = PATCHID_CACHE_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t bad = 0;
	char *p, *nl;

	*cache = fresh;
	if (!dir)
		return 0;
	cache->path = xstrfmt("%s/%s", dir, CACHE_FILE);
	if (strbuf_read_file(&sb, cache->path) < 0) {
		if (errno != ENOENT)
			warning("cannot read the patch-id cache '%s': %s", cache->path,
				strerror(errno));
		strbuf_release(&sb);
		return 0;
	}
	for (p = sb.buf; p < sb.buf + sb.len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(sb.buf + sb.len - p));
		if (!nl) {
			bad++;	/* a line cut short by a crash */
			break;
		}
		*nl = '\0';
		if (*p && parse_cache_line(cache, p) < 0)
			bad++;
	}
	if (bad) {
		warning("ignored %zu damaged line%s in the patch-id cache '%s'", bad,
			bad == 1 ? "" : "s", cache->path);
		cache->damaged = 1;
	}
	strbuf_release(&sb);
	return 0;
}

int patchid_cache_get(struct patchid_cache *cache, const char *key, git_oid *out,
		      enum patchid_status *status)
{
	const struct patchid_cache_entry *e = strmap_get(&cache->entries, key);

	if (!e) {
		cache->misses++;
		return 0;
	}
	cache->hits++;
	*out = e->id;
	*status = e->status;
	return 1;
}

static void add_cache_line(struct strbuf *sb, const char *key, const git_oid *id,
			   enum patchid_status status)
{
	char hex[GIT_OID_HEXSZ + 1];

	strbuf_addf(sb, "%s %s\n", key,
		    status == PATCHID_OK ? git_oid_tostr(hex, sizeof(hex), id) : "-");
}

/* Everything known, good lines only, in place of a damaged file. */
static int rewrite_cache(struct patchid_cache *cache)
{
	struct strbuf sb = STRBUF_INIT;
	const struct patchid_cache_entry *e;
	const char *key;
	void *value;
	size_t iter = 0;
	int ret = 0;

	while (strmap_next(&cache->entries, &iter, &key, &value)) {
		e = value;
		add_cache_line(&sb, key, &e->id, e->status);
	}
	if (strbuf_write_file_atomic(&sb, cache->path) < 0)
		ret = error_errno("cannot write the patch-id cache '%s'", cache->path);
	else
		cache->damaged = 0;
	strbuf_reset(&cache->pending);
	strbuf_release(&sb);
	return ret;
}

void patchid_cache_put(struct patchid_cache *cache, const char *key, const git_oid *id,
		       enum patchid_status status)
{
	remember(cache, key, id, status);
	add_cache_line(&cache->pending, key, id, status);
}

int patchid_cache_flush(struct patchid_cache *cache)
{
	const char *p;
	size_t left;
	int fd, ret = 0;

	if (!cache->path || (!cache->pending.len && !cache->damaged))
		return 0;
	if (cache->damaged)
		return rewrite_cache(cache);
	fd = open(cache->path, O_WRONLY | O_APPEND | O_CREAT, 0666);
	if (fd < 0)
		return error_errno("cannot write the patch-id cache '%s'", cache->path);
	/* One write: O_APPEND keeps concurrent runs' lines whole. */
	for (p = cache->pending.buf, left = cache->pending.len; left;) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = error_errno("cannot write the patch-id cache '%s'", cache->path);
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (close(fd) < 0 && !ret)
		ret = error_errno("cannot write the patch-id cache '%s'", cache->path);
	strbuf_reset(&cache->pending);
	return ret;
}

void patchid_cache_release(struct patchid_cache *cache)
{
	strmap_clear_values(&cache->entries, NULL);
	strbuf_release(&cache->pending);
	free(cache->path);
	cache->path = NULL;
}
