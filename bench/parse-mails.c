/*
 * parse-mails - the mail_parse() benchmark driver of b1100-parse.sh.
 *
 *   bench/parse-mails [--full] [--split] <git-dir> <blob-ids
 *
 * Reads the blobs named on stdin (one id per line, as "git cat-file
 * --batch" takes them) from the repository with libgit2, and parses each
 * with MAIL_PARSE_FACTS_ONLY (--full: the whole body too).  By default
 * it reads and parses one blob after the other, as a scan does.  With
 * --split it reads every blob into memory first and then times the
 * parsing alone.  Prints "messages N bytes N failed N read_s S parse_s S".
 */
#include "mail.h"
#include "strbuf.h"
#include "xalloc.h"

#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_one(const char *raw, size_t len, unsigned flags)
{
	struct strbuf err = STRBUF_INIT;
	struct mail m;
	int ret = mail_parse(&m, raw, len, flags, &err);

	if (!ret)
		mail_release(&m);
	strbuf_release(&err);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned flags = MAIL_PARSE_FACTS_ONLY;
	int split = 0, i;
	git_repository *repo;
	struct strbuf line = STRBUF_INIT;
	struct strbuf *blobs = NULL;
	size_t nr = 0, alloc = 0, bytes = 0, failed = 0, k;
	double t0, read_s = 0, parse_s = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--full"))
			flags = 0;
		else if (!strcmp(argv[i], "--split"))
			split = 1;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: parse-mails [--full] [--split] <git-dir> <blob-ids\n");
		return 129;
	}
	git_libgit2_init();
	/* What the scan does: hashing every blob again costs ~40 %. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (git_repository_open_bare(&repo, argv[i])) {
		fprintf(stderr, "fatal: cannot open '%s': %s\n", argv[i], git_error_last()->message);
		return 128;
	}
	t0 = now();
	while (strbuf_getline(&line, stdin) != EOF) {
		git_oid oid;
		git_blob *blob;
		const char *raw;
		size_t len;

		if (git_oid_fromstrn(&oid, line.buf, line.len) ||
		    git_blob_lookup(&blob, repo, &oid)) {
			fprintf(stderr, "fatal: cannot read blob '%s'\n", line.buf);
			return 128;
		}
		raw = git_blob_rawcontent(blob);
		len = (size_t)git_blob_rawsize(blob);
		bytes += len;
		nr++;
		if (split) {
			ALLOC_GROW(blobs, nr, alloc);
			strbuf_init(&blobs[nr - 1], len);
			strbuf_add(&blobs[nr - 1], raw, len);
		} else if (parse_one(raw, len, flags)) {
			failed++;
		}
		git_blob_free(blob);
	}
	read_s = now() - t0;
	if (split) {
		t0 = now();
		for (k = 0; k < nr; k++)
			if (parse_one(blobs[k].buf, blobs[k].len, flags))
				failed++;
		parse_s = now() - t0;
		for (k = 0; k < nr; k++)
			strbuf_release(&blobs[k]);
		free(blobs);
	}
	printf("messages %zu bytes %zu failed %zu read_s %.3f parse_s %.3f\n",
	       nr, bytes, failed, read_s, parse_s);
	strbuf_release(&line);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}
