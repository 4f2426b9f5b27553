#include "patchid.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <git2.h>
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The cache file's name carries the way ids are computed: a change to
 * the diff options must not meet ids an older version cached.
 */
#define CACHE_FILE "patch-id-v2"
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
 * libgit2's git_diff_patchid() is not used: it orders and cuts header
 * lines unlike git (renames with a mode change, files without hunks),
 * and building whole patches to hash them cost 13 % more time.
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
	QSORT(sig->spans, sig->nr, cmp_span);
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

/* --- SHA-1 (FIPS 180-4), plain: git's collision checks cost a tenth of the run --- */

struct sha1 {
	uint32_t h[5];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

static void sha1_init(struct sha1 *s)
{
	static const uint32_t init[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};

	memcpy(s->h, init, sizeof(init));
	s->bytes = 0;
	s->fill = 0;
}

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_compress(struct sha1 *s, const unsigned char *p)
{
	uint32_t w[80], a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rotl(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rotl(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

static void sha1_update(struct sha1 *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	s->bytes += len;
	if (s->fill) {
		size_t take = 64 - s->fill < len ? 64 - s->fill : len;

		memcpy(s->block + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill < 64)
			return;
		sha1_compress(s, s->block);
		s->fill = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		sha1_compress(s, p);
	memcpy(s->block, p, len);
	s->fill = len;
}

static void sha1_final(unsigned char out[GIT_OID_RAWSZ], struct sha1 *s)
{
	uint64_t bits = s->bytes * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
	unsigned i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, pad, padlen + 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

/*
 * --- git patch-id --stable, line by line -------------------------------------
 *
 * What "git patch-id --stable" computes from diff text: from the first
 * "diff " line, every line without its whitespace, except "index" lines,
 * hunk headers and "\ No newline" markers, is hashed; the hash is cut at
 * each file that follows a complete hunk, and the pieces' hashes are
 * added as 160-bit numbers, so the order of files does not matter.  (A
 * file without hunks, like a pure rename, is hashed together with the
 * next file, as git does.)  The first line that fits neither a header
 * nor a hunk ends the diff.
 */
struct patchid_reader {
	struct sha1 piece;
	unsigned char sum[GIT_OID_RAWSZ];
	long before, after;	/* lines left in the hunk; -1: in a header */
	size_t hashed;		/* bytes hashed, 0: no patch-id */
	int started, ended;
};

static void reader_init(struct patchid_reader *r)
{
	memset(r, 0, sizeof(*r));
	sha1_init(&r->piece);
	r->before = r->after = -1;
}

static void reader_cut(struct patchid_reader *r)
{
	unsigned char h[GIT_OID_RAWSZ];
	unsigned carry = 0;
	unsigned i;

	sha1_final(h, &r->piece);
	sha1_init(&r->piece);
	for (i = 0; i < GIT_OID_RAWSZ; i++) {
		carry += (unsigned)r->sum[i] + h[i];
		r->sum[i] = (unsigned char)carry;
		carry >>= 8;
	}
}

static int has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && !memcmp(s, prefix, plen);
}

/*
 * A number at *p (advanced past it); 1 when there is none.  A count too
 * big for a long is as good as infinite: it stays LONG_MAX.
 */
static long hunk_count(const char **p, const char *end, int *digits)
{
	long n = 0;

	*digits = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		n = n <= (LONG_MAX - 9) / 10 ? n * 10 + (**p - '0') : LONG_MAX;
		(*p)++;
		(*digits)++;
	}
	return n;
}

/* "@@ -a[,b] +c[,d] @@": the line counts b and d (1 when left out). */
static int hunk_counts(const char *s, size_t len, long *before, long *after)
{
	const char *p = s + 4, *end = s + len;
	int digits;

	hunk_count(&p, end, &digits);
	*before = 1;
	if (p < end && *p == ',') {
		p++;
		*before = hunk_count(&p, end, &digits);
	}
	if (!digits || end - p < 2 || p[0] != ' ' || p[1] != '+')
		return 0;
	p += 2;
	hunk_count(&p, end, &digits);
	*after = 1;
	if (p < end && *p == ',') {
		p++;
		*after = hunk_count(&p, end, &digits);
	}
	return digits > 0;
}

static void reader_line(struct patchid_reader *r, const char *s, size_t len)
{
	char buf[256];
	size_t i, n = 0;

	if (r->ended || (has_prefix(s, len, "\\ ") && len > 12))
		return;
	if (!r->started) {
		if (!has_prefix(s, len, "diff "))
			return;
		r->started = 1;
	}
	if (r->before == -1) {
		if (has_prefix(s, len, "index "))
			return;
		if (has_prefix(s, len, "--- "))
			r->before = r->after = 1;
		else if (!len || !isalpha((unsigned char)s[0])) {
			r->ended = 1;
			return;
		}
	}
	if (r->before == 0 && r->after == 0) {
		if (has_prefix(s, len, "@@ -")) {
			if (!hunk_counts(s, len, &r->before, &r->after))
				r->before = r->after = 0;
			return;
		}
		if (!has_prefix(s, len, "diff ")) {
			r->ended = 1;
			return;
		}
		reader_cut(r);
		r->before = r->after = -1;
	}
	if (len && (s[0] == '-' || s[0] == ' '))
		r->before--;
	if (len && (s[0] == '+' || s[0] == ' '))
		r->after--;
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		buf[n++] = s[i];
		if (n == sizeof(buf)) {
			sha1_update(&r->piece, buf, n);
			r->hashed += n;
			n = 0;
		}
	}
	sha1_update(&r->piece, buf, n);
	r->hashed += n;
}

static int reader_finish(struct patchid_reader *r, git_oid *out)
{
	reader_cut(r);
	memcpy(out->id, r->sum, GIT_OID_RAWSZ);
	return r->hashed ? PATCHID_OK : PATCHID_NONE;
}

/* Every line of text through the reader. */
static void reader_text(struct patchid_reader *r, const char *s, size_t len)
{
	size_t pos = 0;

	while (pos < len && !r->ended) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - s) - pos : len - pos;

		reader_line(r, s + pos, llen);
		pos += llen + 1;
	}
}

/*
 * The commit side: the lines "git log -p" would print for a diff, fed
 * to the reader as libgit2 produces them, without building the patch.
 */
struct emitter {
	struct patchid_reader reader;
	struct strbuf line;
	struct strbuf *text;	/* the lines are written here instead; NULL: hashed */
	int dashes;		/* ---/+++ written for the current file */
};

static void emit(struct emitter *e)
{
	if (e->text) {
		strbuf_addbuf(e->text, &e->line);
		if (!e->line.len || e->line.buf[e->line.len - 1] != '\n')
			strbuf_addch(e->text, '\n');
	} else
		reader_line(&e->reader, e->line.buf, e->line.len);
	strbuf_reset(&e->line);
}

static const char *side(const char *prefix, const git_diff_file *f, int exists,
			struct strbuf *sb)
{
	strbuf_reset(sb);
	if (!exists)
		strbuf_addstr(sb, "/dev/null");
	else
		strbuf_addf(sb, "%s%s", prefix, f->path);
	return sb->buf;
}

static int emit_file(const git_diff_delta *d, float progress, void *data)
{
	struct emitter *e = data;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int added = d->status == GIT_DELTA_ADDED, deleted = d->status == GIT_DELTA_DELETED;

	e->dashes = 0;
	strbuf_addf(&e->line, "diff --git a/%s b/%s", d->old_file.path, d->new_file.path);
	emit(e);
	if (added) {
		strbuf_addf(&e->line, "new file mode %06o", d->new_file.mode);
		emit(e);
	} else if (deleted) {
		strbuf_addf(&e->line, "deleted file mode %06o", d->old_file.mode);
		emit(e);
	} else if (d->old_file.mode != d->new_file.mode) {
		strbuf_addf(&e->line, "old mode %06o", d->old_file.mode);
		emit(e);
		strbuf_addf(&e->line, "new mode %06o", d->new_file.mode);
		emit(e);
	}
	if (d->status == GIT_DELTA_RENAMED || d->status == GIT_DELTA_COPIED) {
		const char *how = d->status == GIT_DELTA_RENAMED ? "rename" : "copy";

		strbuf_addf(&e->line, "similarity index %d%%", d->similarity);
		emit(e);
		strbuf_addf(&e->line, "%s from %s", how, d->old_file.path);
		emit(e);
		strbuf_addf(&e->line, "%s to %s", how, d->new_file.path);
		emit(e);
	}
	if (d->flags & GIT_DIFF_FLAG_BINARY) {
		strbuf_addf(&e->line, "Binary files %s", side("a/", &d->old_file, !added, &a));
		strbuf_addf(&e->line, " and %s differ", side("b/", &d->new_file, !deleted, &b));
		emit(e);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}

static int emit_hunk(const git_diff_delta *d, const git_diff_hunk *h, void *data)
{
	struct emitter *e = data;
	struct strbuf sb = STRBUF_INIT;

	if (!e->dashes) {
		e->dashes = 1;
		strbuf_addf(&e->line, "--- %s",
			    side("a/", &d->old_file, d->status != GIT_DELTA_ADDED, &sb));
		emit(e);
		strbuf_addf(&e->line, "+++ %s",
			    side("b/", &d->new_file, d->status != GIT_DELTA_DELETED, &sb));
		emit(e);
	}
	strbuf_addf(&e->line, "@@ -%d,%d +%d,%d @@", h->old_start, h->old_lines, h->new_start,
		    h->new_lines);
	emit(e);
	strbuf_release(&sb);
	return 0;
}

static int emit_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
		     void *data)
{
	struct emitter *e = data;

	/* "\ No newline at end of file" is not hashed. */
	if (l->origin != GIT_DIFF_LINE_CONTEXT && l->origin != GIT_DIFF_LINE_ADDITION &&
	    l->origin != GIT_DIFF_LINE_DELETION)
		return 0;
	strbuf_addch(&e->line, l->origin);
	strbuf_add(&e->line, l->content, l->content_len);
	emit(e);
	return 0;
}

static const char *const algorithm_names[PATCHID_ALGORITHM_NR] = {
	[PATCHID_MYERS] = "myers",
	[PATCHID_HISTOGRAM] = "histogram",
	[PATCHID_PATIENCE] = "patience",
	[PATCHID_MINIMAL] = "minimal",
};

const char *patchid_algorithm_name(enum patchid_algorithm algo)
{
	return algo < PATCHID_ALGORITHM_NR ? algorithm_names[algo] : "myers";
}

/* Diff the way "git log -p" does, which is what "git patch-id" reads. */
static int diff_commit(git_diff **out, git_repository *repo, git_commit *c,
		       enum patchid_algorithm algo)
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
	if (algo == PATCHID_PATIENCE)
		dopts.flags |= GIT_DIFF_PATIENCE;
	else if (algo == PATCHID_MINIMAL)
		dopts.flags |= GIT_DIFF_MINIMAL;
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

/*
 * libgit2 has no histogram diff: git's own, "git diff-tree -p
 * --histogram", is read as a mail would be.  git is there, since it runs
 * us; when it cannot run, there is no id (PATCHID_NONE).
 */
static int histogram_commit(git_oid *out, git_repository *repo, const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1];
	const char *argv[] = { "git", "--git-dir", git_repository_path(repo), "diff-tree", "-p",
			       "--histogram", "-M", "--no-commit-id", "--root", "--no-color",
			       "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", hex, NULL };
	struct strbuf sb = STRBUF_INIT;
	int pipefd[2], status = 0, ret = PATCHID_NONE;
	pid_t pid;
	char buf[8192];
	ssize_t n;

	git_oid_tostr(hex, sizeof(hex), commit);
	if (pipe(pipefd) < 0)
		return PATCHID_NONE;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return PATCHID_NONE;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(pipefd[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		ret = patchid_mail(out, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

int patchid_commit(git_oid *out, git_repository *repo, const git_oid *commit)
{
	return patchid_commit_algorithm(out, repo, commit, PATCHID_MYERS);
}

int patchid_commit_diff(struct strbuf *out, git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL;
	git_diff *diff = NULL;
	struct emitter e = { .text = out };
	char hex[GIT_OID_HEXSZ + 1];
	int ret = -1;

	strbuf_init(&e.line, 128);
	if (git_commit_lookup(&c, repo, commit) < 0) {
		error("cannot read commit '%s': %s", git_oid_tostr(hex, sizeof(hex), commit),
		      git_message());
		goto out;
	}
	if (git_commit_parentcount(c) > 1) {
		ret = PATCHID_NONE;
		goto out;
	}
	if (diff_commit(&diff, repo, c, PATCHID_MYERS) < 0 ||
	    git_diff_foreach(diff, emit_file, NULL, emit_hunk, emit_line, &e) < 0) {
		error("cannot diff commit '%s': %s", git_oid_tostr(hex, sizeof(hex), commit),
		      git_message());
		goto out;
	}
	ret = PATCHID_OK;
out:
	strbuf_release(&e.line);
	git_diff_free(diff);
	git_commit_free(c);
	return ret;
}

int patchid_commit_algorithm(git_oid *out, git_repository *repo, const git_oid *commit,
			     enum patchid_algorithm algo)
{
	git_commit *c = NULL;
	git_diff *diff = NULL;
	struct emitter e = { .text = NULL };
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	strbuf_init(&e.line, 128);
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
	if (algo == PATCHID_HISTOGRAM) {
		ret = histogram_commit(out, repo, commit);
		goto out;
	}
	if (diff_commit(&diff, repo, c, algo) < 0) {
		ret = error("cannot diff commit '%s': %s",
			    git_oid_tostr(hex, sizeof(hex), commit), git_message());
		goto out;
	}
	reader_init(&e.reader);
	if (git_diff_foreach(diff, emit_file, NULL, emit_hunk, emit_line, &e) < 0) {
		ret = error("cannot diff commit '%s': %s",
			    git_oid_tostr(hex, sizeof(hex), commit), git_message());
		goto out;
	}
	ret = reader_finish(&e.reader, out);
out:
	strbuf_release(&e.line);
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
	struct patchid_reader r;

	reader_init(&r);
	reader_text(&r, diff, len);
	return reader_finish(&r, out);
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
			     const git_oid *commits, const size_t *todo, size_t nr,
			     enum patchid_algorithm algo)
{
	size_t i;

	for (i = 0; i < nr; i++)
		status[todo[i]] = patchid_commit_algorithm(&out[todo[i]], repo, &commits[todo[i]],
							   algo);
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
				const size_t *todo, size_t nr, unsigned k, unsigned nworkers,
				enum patchid_algorithm algo)
{
	git_repository *repo;
	size_t i;

	/* A commit's new blobs are the next one's old blobs: keep them. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)16 << 20);
	/*
	 * Big blobs and diffs come and go: reuse their memory rather than
	 * map fresh zeroed pages for each (a tenth of the time went there).
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		_exit(1);
	for (i = (size_t)k * BLOCK; i < nr; i += (i + 1) % BLOCK ? 1 : (size_t)(nworkers - 1) * BLOCK + 1) {
		struct worker_record rec;
		git_oid id;

		memset(&rec, 0, sizeof(rec));
		rec.index = (uint32_t)i;
		rec.status = patchid_commit_algorithm(&id, repo, &commits[todo[i]], algo);
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
			       unsigned nworkers, enum patchid_algorithm algo)
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
				   nworkers, algo);
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
	compute_serially(out, status, repo, commits, left, left_nr, algo);
	free(left);
	free(done);
}

size_t patchid_commits(git_oid *out, int *status, git_repository *repo,
		       const git_oid *commits, size_t nr, struct patchid_cache *cache)
{
	return patchid_commits_algorithm(out, status, repo, commits, nr, cache, PATCHID_MYERS);
}

/* "c<commit>", and ":<algorithm>" after it for all but myers. */
static void commit_key(char *key, size_t size, const git_oid *commit,
		       enum patchid_algorithm algo)
{
	char hex[GIT_OID_HEXSZ + 1];

	snprintf(key, size, "c%s%s%s", git_oid_tostr(hex, sizeof(hex), commit),
		 algo == PATCHID_MYERS ? "" : ":", algo == PATCHID_MYERS ? "" : algorithm_names[algo]);
}

size_t patchid_commits_algorithm(git_oid *out, int *status, git_repository *repo,
				 const git_oid *commits, size_t nr, struct patchid_cache *cache,
				 enum patchid_algorithm algo)
{
	char key[GIT_OID_HEXSZ + 16];
	size_t *todo, todo_nr = 0, i;
	unsigned nworkers;

	ALLOC_ARRAY(todo, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		enum patchid_status st;

		commit_key(key, sizeof(key), &commits[i], algo);
		if (cache && patchid_cache_get(cache, key, &out[i], &st))
			status[i] = st;
		else
			todo[todo_nr++] = i;
	}
	nworkers = worker_count(todo_nr);
	if (nworkers > 1)
		compute_in_workers(out, status, repo, commits, todo, todo_nr, nworkers, algo);
	else
		compute_serially(out, status, repo, commits, todo, todo_nr, algo);
	for (i = 0; cache && i < todo_nr; i++) {
		commit_key(key, sizeof(key), &commits[todo[i]], algo);
		if (status[todo[i]] >= 0)
			patchid_cache_put(cache, key, &out[todo[i]],
					  (enum patchid_status)status[todo[i]]);
	}
	free(todo);
	return todo_nr;
}
