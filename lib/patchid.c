#include "patchid.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The cache file's name carries the way ids are computed: a change to
 * the diff options must not meet ids an older version cached.
 */
#define CACHE_FILE "patch-id-v1"
/* git's default diff.renameLimit; libgit2's own default is 200. */
#define RENAME_LIMIT 1000

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

/*
 * Rename similarity as git scores it, so that "similarity index N%" in a
 * commit's diff reads as in the mail git format-patch wrote (libgit2's
 * own measure often differs by a few percent, and that line is hashed).
 *
 * git cuts each file into spans ending at a newline or after 64 bytes,
 * hashes every span into [0, SPAN_HASHBASE), and counts bytes per hash
 * value; what the two files share is the sum over hash values of the
 * smaller count, and the score is that share of the larger file.
 */
#define SPAN_HASHBASE 107927
#define SPAN_MAX 64
#define SCORE_MAX 60000.0
/* Renames need half the bytes shared: git's default -M50%. */
#define SCORE_MIN 30000.0
#define BINARY_PROBE 8000

struct span {
	uint32_t hash;
	uint32_t bytes;
};

struct span_signature {
	size_t size;
	int regular;
	struct span *spans;	/* by hash, one per value */
	size_t nr;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static void span_add(struct span_signature *sig, size_t *alloc, uint32_t hash, uint32_t bytes)
{
	ALLOC_GROW(sig->spans, sig->nr + 1, *alloc);
	sig->spans[sig->nr].hash = hash;
	sig->spans[sig->nr].bytes = bytes;
	sig->nr++;
}

static struct span_signature *span_signature_of(const git_diff_file *file,
						const char *buf, size_t len)
{
	struct span_signature *sig = xcalloc(1, sizeof(*sig));
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	int text = !memchr(buf, '\0', len < BINARY_PROBE ? len : BINARY_PROBE);
	uint32_t a1 = 0, a2 = 0, n = 0;
	size_t alloc = 0, i, out;

	sig->size = len;
	sig->regular = (file->mode & 0170000) == 0100000;
	while (p < end) {
		uint32_t c = *p++, old = a1;

		/* A CR before LF does not count in text. */
		if (text && c == '\r' && p < end && *p == '\n')
			continue;
		a1 = (a1 << 7) ^ (a2 >> 25);
		a2 = (a2 << 7) ^ (old >> 25);
		a1 += c;
		if (++n < SPAN_MAX && c != '\n')
			continue;
		span_add(sig, &alloc, (a1 + a2 * 0x61) % SPAN_HASHBASE, n);
		n = a1 = a2 = 0;
	}
	if (n)
		span_add(sig, &alloc, (a1 + a2 * 0x61) % SPAN_HASHBASE, n);
	qsort(sig->spans, sig->nr, sizeof(*sig->spans), cmp_span);
	for (i = out = 0; i < sig->nr; i++) {
		if (out && sig->spans[out - 1].hash == sig->spans[i].hash)
			sig->spans[out - 1].bytes += sig->spans[i].bytes;
		else
			sig->spans[out++] = sig->spans[i];
	}
	sig->nr = out;
	return sig;
}

static int span_buffer_signature(void **out, const git_diff_file *file, const char *buf,
				 size_t len, void *payload)
{
	*out = span_signature_of(file, buf, len);
	return 0;
}

static int span_file_signature(void **out, const git_diff_file *file, const char *path,
			       void *payload)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path) < 0) {
		strbuf_release(&sb);
		git_error_set_str(GIT_ERROR_OS, "cannot read a file to compare");
		return -1;
	}
	*out = span_signature_of(file, sb.buf, sb.len);
	strbuf_release(&sb);
	return 0;
}

static void span_free_signature(void *data, void *payload)
{
	struct span_signature *sig = data;

	if (sig)
		free(sig->spans);
	free(sig);
}

static int span_similarity(int *score, void *siga, void *sigb, void *payload)
{
	const struct span_signature *a = siga, *b = sigb;
	size_t max = a->size > b->size ? a->size : b->size;
	size_t min = a->size > b->size ? b->size : a->size;
	size_t i = 0, j = 0;
	double shared = 0, points;

	*score = 0;
	/* Only regular files, and only sizes a rename could bridge. */
	if (!a->regular || !b->regular || !max ||
	    (double)max * (SCORE_MAX - SCORE_MIN) < (double)(max - min) * SCORE_MAX)
		return 0;
	while (i < a->nr && j < b->nr) {
		if (a->spans[i].hash < b->spans[j].hash) {
			i++;
		} else if (a->spans[i].hash > b->spans[j].hash) {
			j++;
		} else {
			shared += a->spans[i].bytes < b->spans[j].bytes ? a->spans[i].bytes
									: b->spans[j].bytes;
			i++;
			j++;
		}
	}
	/* git's two truncations: bytes to score, score to percent. */
	points = (double)(int)(shared * SCORE_MAX / (double)max);
	*score = (int)(points * 100 / SCORE_MAX);
	return 0;
}

static git_diff_similarity_metric git_similarity = {
	span_file_signature, span_buffer_signature, span_free_signature, span_similarity, NULL,
};

/* Diff the way "git log -p" does, which is what "git patch-id" reads. */
static int diff_commit(git_diff **out, git_repository *repo, git_commit *c)
{
	git_diff_options dopts;
	git_diff_find_options fopts;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	int ret = -1;

	*out = NULL;
	if (git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) && (git_commit_parent(&parent, c, 0) < 0 ||
					   git_commit_tree(&ptree, parent) < 0)))
		goto out;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_INDENT_HEURISTIC;
	if (git_diff_tree_to_tree(out, repo, ptree, tree, &dopts) < 0)
		goto out;
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	fopts.rename_limit = RENAME_LIMIT;
	fopts.metric = &git_similarity;
	if (git_diff_find_similar(*out, &fopts) < 0) {
		git_diff_free(*out);
		*out = NULL;
		goto out;
	}
	ret = 0;
out:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return ret;
}

int patchid_commit(git_oid *out, git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL;
	git_diff *diff = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	memset(out, 0, sizeof(*out));
	if (git_commit_lookup(&c, repo, commit) < 0) {
		ret = error("cannot read commit '%s': %s",
			    git_oid_tostr(hex, sizeof(hex), commit), git_message());
		goto out;
	}
	if (git_commit_parentcount(c) > 1) {
		ret = PATCHID_NONE;
		goto out;
	}
	if (diff_commit(&diff, repo, c) < 0) {
		ret = error("cannot diff commit '%s': %s",
			    git_oid_tostr(hex, sizeof(hex), commit), git_message());
		goto out;
	}
	if (!git_diff_num_deltas(diff)) {
		ret = PATCHID_NONE;
		goto out;
	}
	if (git_diff_patchid(out, diff, NULL) < 0) {
		ret = error("cannot hash the diff of commit '%s': %s",
			    git_oid_tostr(hex, sizeof(hex), commit), git_message());
		goto out;
	}
	ret = PATCHID_OK;
out:
	git_diff_free(diff);
	git_commit_free(c);
	return ret;
}

/* The offset of the first line starting with "diff --git ", or len. */
static size_t first_git_diff(const char *s, size_t len)
{
	size_t pos = 0;

	while (pos + 11 <= len) {
		const char *nl;

		if (!memcmp(s + pos, "diff --git ", 11))
			return pos;
		nl = memchr(s + pos, '\n', len - pos);
		if (!nl)
			break;
		pos = (size_t)(nl - s) + 1;
	}
	return len;
}

int patchid_mail(git_oid *out, const char *diff, size_t len)
{
	size_t start = first_git_diff(diff, len);
	git_diff *d = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	if (start == len)
		return PATCHID_NONE;
	if (git_diff_from_buffer(&d, diff + start, len - start) < 0) {
		ret = -1;
		goto out;
	}
	if (!git_diff_num_deltas(d)) {
		ret = PATCHID_NONE;
		goto out;
	}
	ret = git_diff_patchid(out, d, NULL) < 0 ? -1 : PATCHID_OK;
out:
	git_diff_free(d);
	return ret;
}

/* --- path maps ------------------------------------------------------------ */

int patchid_pathmap_add(struct patchid_pathmap *map, const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct patchid_mapping *m;

	if (!colon || colon == spec)
		return -1;
	ALLOC_GROW(map->items, map->nr + 1, map->alloc);
	m = &map->items[map->nr++];
	m->from = xstrndup(spec, (size_t)(colon - spec));
	m->to = xstrdup(colon + 1);
	return 0;
}

static const struct patchid_mapping *find_mapping(const struct patchid_pathmap *map,
						  const char *path, size_t len)
{
	const struct patchid_mapping *best = NULL;
	size_t i, blen = 0;

	for (i = 0; i < map->nr; i++) {
		size_t flen = strlen(map->items[i].from);

		if (flen <= len && flen > blen && !memcmp(path, map->items[i].from, flen)) {
			best = &map->items[i];
			blen = flen;
		}
	}
	return best;
}

static int map_path(struct strbuf *out, const struct patchid_pathmap *map,
		    const char *path, size_t len)
{
	const struct patchid_mapping *m = find_mapping(map, path, len);
	size_t flen;

	if (!m)
		return 0;
	flen = strlen(m->from);
	strbuf_addstr(out, m->to);
	strbuf_add(out, path + flen, len - flen);
	return 1;
}

int patchid_pathmap_path(struct strbuf *out, const struct patchid_pathmap *map,
			 const char *path)
{
	return map_path(out, map, path, strlen(path));
}

void patchid_pathmap_fingerprint(struct strbuf *out, const struct patchid_pathmap *map)
{
	struct strbuf all = STRBUF_INIT;
	size_t i;

	if (!map->nr)
		return;
	for (i = 0; i < map->nr; i++)
		strbuf_addf(&all, "%s:%s\n", map->items[i].from, map->items[i].to);
	strbuf_addf(out, "%08x", strhash(all.buf));
	strbuf_release(&all);
}

void patchid_pathmap_release(struct patchid_pathmap *map)
{
	size_t i;

	for (i = 0; i < map->nr; i++) {
		free(map->items[i].from);
		free(map->items[i].to);
	}
	free(map->items);
	memset(map, 0, sizeof(*map));
}

/* One line of a diff: [*pos, end of line), *pos moved past its newline. */
static size_t next_line(const char *s, size_t len, size_t *pos, size_t *llen)
{
	size_t start = *pos;
	const char *nl = memchr(s + start, '\n', len - start);

	*llen = nl ? (size_t)(nl - s) - start : len - start;
	*pos = nl ? (size_t)(nl - s) + 1 : len;
	return start;
}

static int line_is(const char *l, size_t llen, const char *prefix)
{
	size_t plen = strlen(prefix);

	return llen >= plen && !memcmp(l, prefix, plen);
}

/*
 * The old and new path of one file's header, from "diff --git a/P b/P"
 * (both sides equal) or from its rename/copy lines.  Returns 0 or -1.
 */
static int header_paths(const char *s, size_t len, struct strbuf *old_path,
			struct strbuf *new_path)
{
	size_t pos = 0, llen, start = next_line(s, len, &pos, &llen);
	const char *rest = s + start + 11;
	size_t rlen = llen - 11;

	/* "a/P b/P": 2 * |P| + 5 characters, split in the middle. */
	if (rlen > 5 && (rlen - 5) % 2 == 0) {
		size_t plen = (rlen - 5) / 2;

		if (!memcmp(rest, "a/", 2) && !memcmp(rest + 2 + plen, " b/", 3) &&
		    !memcmp(rest + 2, rest + 5 + plen, plen)) {
			strbuf_add(old_path, rest + 2, plen);
			strbuf_add(new_path, rest + 2, plen);
			return 0;
		}
	}
	while (pos < len) {
		const char *l;

		start = next_line(s, len, &pos, &llen);
		l = s + start;
		if (line_is(l, llen, "rename from ") || line_is(l, llen, "copy from "))
			strbuf_add(old_path, strchr(l, ' ') + 6, llen - (size_t)(strchr(l, ' ') + 6 - l));
		else if (line_is(l, llen, "rename to ") || line_is(l, llen, "copy to "))
			strbuf_add(new_path, strchr(l, ' ') + 4, llen - (size_t)(strchr(l, ' ') + 4 - l));
		else if (line_is(l, llen, "@@ "))
			break;
	}
	return old_path->len && new_path->len ? 0 : -1;
}

/* Append one file's section with its paths replaced by their mirror paths. */
static void add_mapped_section(struct strbuf *out, const char *s, size_t len,
			       const char *old_path, const char *new_path)
{
	size_t pos = 0, llen, start;
	int in_header = 1;

	start = next_line(s, len, &pos, &llen);
	strbuf_addf(out, "diff --git a/%s b/%s\n", old_path, new_path);
	while (pos < len) {
		const char *l;

		start = next_line(s, len, &pos, &llen);
		l = s + start;
		if (in_header && line_is(l, llen, "@@ "))
			in_header = 0;
		if (!in_header) {
			strbuf_add(out, l, llen);
		} else if (line_is(l, llen, "--- a/")) {
			strbuf_addf(out, "--- a/%s", old_path);
		} else if (line_is(l, llen, "+++ b/")) {
			strbuf_addf(out, "+++ b/%s", new_path);
		} else if (line_is(l, llen, "rename from ") || line_is(l, llen, "copy from ")) {
			strbuf_add(out, l, (size_t)(strchr(l, ' ') - l));
			strbuf_addf(out, " from %s", old_path);
		} else if (line_is(l, llen, "rename to ") || line_is(l, llen, "copy to ")) {
			strbuf_add(out, l, (size_t)(strchr(l, ' ') - l));
			strbuf_addf(out, " to %s", new_path);
		} else {
			strbuf_add(out, l, llen);
		}
		if (start + llen < len)
			strbuf_addch(out, '\n');
	}
}

size_t patchid_pathmap_diff(struct strbuf *out, const struct patchid_pathmap *map,
			    const char *diff, size_t len)
{
	struct strbuf old_path = STRBUF_INIT, new_path = STRBUF_INIT;
	struct strbuf mold = STRBUF_INIT, mnew = STRBUF_INIT;
	size_t pos = first_git_diff(diff, len), kept = 0;

	while (pos < len) {
		size_t end = pos + 11;

		/* The section runs to the next "diff --git " line. */
		end += first_git_diff(diff + end, len - end);
		strbuf_reset(&old_path);
		strbuf_reset(&new_path);
		strbuf_reset(&mold);
		strbuf_reset(&mnew);
		if (!header_paths(diff + pos, end - pos, &old_path, &new_path) &&
		    map_path(&mold, map, old_path.buf, old_path.len) &&
		    map_path(&mnew, map, new_path.buf, new_path.len)) {
			add_mapped_section(out, diff + pos, end - pos, mold.buf, mnew.buf);
			kept++;
		}
		pos = end;
	}
	strbuf_release(&old_path);
	strbuf_release(&new_path);
	strbuf_release(&mold);
	strbuf_release(&mnew);
	return kept;
}

/* --- the cache ------------------------------------------------------------ */

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
		if (!nl)
			break;	/* a line cut short by a crash: ignore it */
		*nl = '\0';
		if (*p && parse_cache_line(cache, p) < 0)
			bad++;
	}
	if (bad)
		warning("ignored %zu damaged line%s in the patch-id cache '%s'", bad,
			bad == 1 ? "" : "s", cache->path);
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

void patchid_cache_put(struct patchid_cache *cache, const char *key, const git_oid *id,
		       enum patchid_status status)
{
	char hex[GIT_OID_HEXSZ + 1];

	remember(cache, key, id, status);
	strbuf_addf(&cache->pending, "%s %s\n", key,
		    status == PATCHID_OK ? git_oid_tostr(hex, sizeof(hex), id) : "-");
}

int patchid_cache_flush(struct patchid_cache *cache)
{
	const char *p;
	size_t left;
	int fd, ret = 0;

	if (!cache->path || !cache->pending.len)
		return 0;
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
	size_t i = 0;
	const char *key;
	void *value;

	while (strmap_next(&cache->entries, &i, &key, &value))
		free(value);
	strmap_clear(&cache->entries);
	strbuf_release(&cache->pending);
	free(cache->path);
	cache->path = NULL;
}

/* --- many commits at once --------------------------------------------------- */

/*
 * Diffing is spread over worker processes, not threads: libgit2 unpacks
 * objects of a pack under one lock that every repository handle shares,
 * and threads were slower than one thread (19 s against 10 s for
 * libbpf's 2,871 commits).  A process has its own.
 */
#define MAX_WORKERS 4
/* Below this many diffs a worker does not pay for its start. */
#define WORK_PER_WORKER 64

/* What a worker sends back for each commit. */
struct worker_record {
	uint32_t index;
	int32_t status;
	unsigned char id[GIT_OID_RAWSZ];
};

static void compute_serially(git_oid *out, int *status, git_repository *repo,
			     const git_oid *commits, const size_t *todo, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		status[todo[i]] = patchid_commit(&out[todo[i]], repo, &commits[todo[i]]);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Workers take blocks of neighbouring commits in turn: neighbours share
 * trees and blobs (a commit's old side is its parent's new side), and
 * taking turns spreads the few huge diffs.
 */
#define BLOCK 16

/* In the child: every nworkers-th block of todo[], from the k-th. */
static NORETURN void run_worker(int fd, const char *gitdir, const git_oid *commits,
				const size_t *todo, size_t nr, unsigned k, unsigned nworkers)
{
	git_repository *repo;
	size_t i;

	/* A commit's new blobs are the next one's old blobs: keep them. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)16 << 20);
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		_exit(1);
	for (i = (size_t)k * BLOCK; i < nr; i += (i + 1) % BLOCK ? 1 : (size_t)(nworkers - 1) * BLOCK + 1) {
		struct worker_record rec;
		git_oid id;

		memset(&rec, 0, sizeof(rec));
		rec.index = (uint32_t)i;
		rec.status = patchid_commit(&id, repo, &commits[todo[i]]);
		memcpy(rec.id, id.id, GIT_OID_RAWSZ);
		if (write_all(fd, &rec, sizeof(rec)) < 0)
			_exit(1);
	}
	_exit(0);
}

static unsigned worker_count(size_t work)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1;

	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if (n > work / WORK_PER_WORKER)
		n = work / WORK_PER_WORKER;
	return (unsigned)n;
}

/*
 * Compute todo[] in worker processes; what no worker reported (one
 * could not start, or died) is computed here afterwards.
 */
static void compute_in_workers(git_oid *out, int *status, git_repository *repo,
			       const git_oid *commits, const size_t *todo, size_t nr,
			       unsigned nworkers)
{
	struct pollfd fds[MAX_WORKERS];
	pid_t pids[MAX_WORKERS];
	unsigned char *done = xcalloc(nr ? nr : 1, 1);
	size_t *left, left_nr = 0, i;
	unsigned k, started = 0, open_fds;

	fflush(NULL);	/* nothing buffered may be written twice */
	for (k = 0; k < nworkers; k++) {
		int pipefd[2];

		if (pipe(pipefd) < 0)
			break;
		pids[started] = fork();
		if (pids[started] < 0) {
			close(pipefd[0]);
			close(pipefd[1]);
			break;
		}
		if (!pids[started]) {
			close(pipefd[0]);
			run_worker(pipefd[1], git_repository_path(repo), commits, todo, nr, k,
				   nworkers);
		}
		close(pipefd[1]);
		fds[started].fd = pipefd[0];
		fds[started].events = POLLIN;
		started++;
	}
	for (open_fds = started; open_fds;) {
		if (poll(fds, started, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (k = 0; k < started; k++) {
			struct worker_record rec;
			ssize_t n;

			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			/* Records are small and written whole: a pipe keeps them so. */
			n = read(fds[k].fd, &rec, sizeof(rec));
			if (n < 0 && errno == EINTR)
				continue;
			if (n != (ssize_t)sizeof(rec) || rec.index >= nr) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open_fds--;
				continue;
			}
			status[todo[rec.index]] = rec.status;
			memcpy(out[todo[rec.index]].id, rec.id, GIT_OID_RAWSZ);
			done[rec.index] = 1;
		}
	}
	for (k = 0; k < started; k++) {
		if (fds[k].fd >= 0)
			close(fds[k].fd);
		waitpid(pids[k], NULL, 0);
	}
	ALLOC_ARRAY(left, nr ? nr : 1);
	for (i = 0; i < nr; i++)
		if (!done[i])
			left[left_nr++] = todo[i];
	compute_serially(out, status, repo, commits, left, left_nr);
	free(left);
	free(done);
}

size_t patchid_commits(git_oid *out, int *status, git_repository *repo,
		       const git_oid *commits, size_t nr, struct patchid_cache *cache)
{
	char key[GIT_OID_HEXSZ + 2];
	size_t *todo, todo_nr = 0, i;
	unsigned nworkers;

	ALLOC_ARRAY(todo, nr ? nr : 1);
	key[0] = 'c';
	for (i = 0; i < nr; i++) {
		enum patchid_status st;

		git_oid_tostr(key + 1, sizeof(key) - 1, &commits[i]);
		if (cache && patchid_cache_get(cache, key, &out[i], &st))
			status[i] = st;
		else
			todo[todo_nr++] = i;
	}
	nworkers = worker_count(todo_nr);
	if (nworkers > 1)
		compute_in_workers(out, status, repo, commits, todo, todo_nr, nworkers);
	else
		compute_serially(out, status, repo, commits, todo, todo_nr);
	for (i = 0; cache && i < todo_nr; i++) {
		git_oid_tostr(key + 1, sizeof(key) - 1, &commits[todo[i]]);
		if (status[todo[i]] >= 0)
			patchid_cache_put(cache, key, &out[todo[i]],
					  (enum patchid_status)status[todo[i]]);
	}
	free(todo);
	return todo_nr;
}
