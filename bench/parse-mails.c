/*
 * parse-mails - the mail_parse() benchmark driver of b1100-parse.sh.
 *
 *   bench/parse-mails [--full] [--split] <git-dir> <blob-ids
 *
 *   bench/parse-mails --dump <files
 *
 * Reads the blobs named on stdin (one id per line, as "git cat-file
 * --batch" takes them) from the repository with libgit2, and parses each
 * with MAIL_PARSE_FACTS_ONLY (--full: the whole body too).  By default
 * it reads and parses one blob after the other, as a scan does.  With
 * --split it reads every blob into memory first and then times the
 * parsing alone.  Prints "messages N bytes N failed N read_s S parse_s S".
 *
 * With --dump it reads the mail files named on stdin and prints our
 * parse of each as one JSON object a line (t1050-mail-conformance.sh
 * compares it with git mailinfo and Python's email package): sender,
 * in-body author, subject and its title, message, trailers, notes,
 * diff and the decoded body.
 */
#include "mail.h"
#include "strbuf.h"
#include "subject.h"
#include "xalloc.h"

#include <git2.h>
#include <jansson.h>
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

static json_t *jstr(const char *s)
{
	return json_string(s ? s : "");
}

/* Our parse of one mail file as a JSON line on stdout. */
static void dump_one(const char *path)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT, body = STRBUF_INIT;
	json_t *o = json_object(), *tr = json_array();
	struct subject subj;
	struct mail m;
	size_t i;
	char *line;

	json_object_set_new(o, "file", json_string(path));
	if (strbuf_read_file(&raw, path) < 0) {
		json_object_set_new(o, "error", json_string("cannot read"));
	} else if (mail_parse(&m, raw.buf, raw.len, 0, &err) < 0) {
		json_object_set_new(o, "error", json_string(err.buf));
	} else {
		subject_parse(&subj, m.subject);
		json_object_set_new(o, "from_name", jstr(m.from_name));
		json_object_set_new(o, "from_email", jstr(m.from_email));
		if (m.author_email) {
			json_object_set_new(o, "author_name", jstr(m.author_name));
			json_object_set_new(o, "author_email", jstr(m.author_email));
		}
		json_object_set_new(o, "subject", jstr(m.subject));
		json_object_set_new(o, "title", jstr(subj.title));
		json_object_set_new(o, "text", jstr(m.text));
		for (i = 0; i < m.trailers_nr; i++)
			if (m.trailers[i].in_block)
				json_array_append_new(tr, json_pack("[ss]", m.trailers[i].key,
								    m.trailers[i].value));
		json_object_set(o, "trailers", tr);
		json_object_set_new(o, "notes", jstr(m.notes));
		json_object_set_new(o, "diff", jstr(m.diff));
		json_object_set_new(o, "has_diff", json_boolean(m.flags & MAIL_HAS_DIFF));
		mail_decode_body(&body, raw.buf, raw.len);
		json_object_set_new(o, "body", json_stringn(body.buf, body.len));
		subject_release(&subj);
		mail_release(&m);
	}
	line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	puts(line);
	free(line);
	json_decref(tr);
	json_decref(o);
	strbuf_release(&raw);
	strbuf_release(&err);
	strbuf_release(&body);
}

static int dump(void)
{
	struct strbuf line = STRBUF_INIT;

	while (strbuf_getline(&line, stdin) != EOF)
		dump_one(line.buf);
	strbuf_release(&line);
	return 0;
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

	if (argc == 2 && !strcmp(argv[1], "--dump"))
		return dump();
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
