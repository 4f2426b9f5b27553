#include "patchid.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

int patchid_mail(git_oid *out, const char *diff, size_t len)
{
	struct patchid_reader r;

	reader_init(&r);
	reader_text(&r, diff, len);
	return reader_finish(&r, out);
}
