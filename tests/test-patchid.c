#include "unit.h"
#include "patchid.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <stdio.h>

static const char edit_diff[] =
	"diff --git a/tools/lib/bpf/btf.c b/tools/lib/bpf/btf.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/tools/lib/bpf/btf.c\n"
	"+++ b/tools/lib/bpf/btf.c\n"
	"@@ -10,7 +10,7 @@ int btf_dump(void *d)\n"
	" \tvoid *buf;\n"
	" \n"
	" \tif (!d)\n"
	"-\t\treturn -1;\n"
	"+\t\treturn -EINVAL;\n"
	" \tbuf = malloc(16);\n"
	" \tfree(buf);\n"
	" \treturn 0;\n"
	"diff --git a/kernel/bpf/core.c b/kernel/bpf/core.c\n"
	"index 3333333..4444444 100644\n"
	"--- a/kernel/bpf/core.c\n"
	"+++ b/kernel/bpf/core.c\n"
	"@@ -1,3 +1,4 @@\n"
	" int a;\n"
	"+int b;\n"
	" int c;\n"
	" int d;\n";

static const char rename_diff[] =
	"diff --git a/tools/lib/bpf/old.h b/tools/lib/bpf/new.h\n"
	"similarity index 83%\n"
	"rename from tools/lib/bpf/old.h\n"
	"rename to tools/lib/bpf/new.h\n"
	"index 5555555..6666666 100644\n"
	"--- a/tools/lib/bpf/old.h\n"
	"+++ b/tools/lib/bpf/new.h\n"
	"@@ -1,3 +1,3 @@\n"
	" #ifndef X\n"
	"-#define Y 1\n"
	"+#define Y 2\n"
	" #endif\n";

/* What "git patch-id --stable" says of text (its first id). */
static void git_patch_id(git_oid *out, const char *text)
{
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/in", dir), line[128];
	FILE *f = fopen(path, "w"), *p;
	struct strbuf cmd = STRBUF_INIT;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	strbuf_addf(&cmd, "git patch-id --stable <'%s'", path);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	line[GIT_OID_HEXSZ] = '\0';
	assert_int_equal(git_oid_fromstr(out, line), 0);
	unit_rmtree(dir);
	strbuf_release(&cmd);
	free(path);
	free(dir);
}

static void test_mail_side_equals_git(void **state)
{
	struct strbuf moved = STRBUF_INIT;
	const char *texts[3];
	size_t i;

	/* A file without hunks is hashed with the next one, as git does. */
	strbuf_addf(&moved, "diff --git a/tools/lib/bpf/x.h b/tools/lib/bpf/y.h\n"
		    "similarity index 100%%\nrename from tools/lib/bpf/x.h\n"
		    "rename to tools/lib/bpf/y.h\n%s", edit_diff);
	texts[0] = edit_diff;
	texts[1] = rename_diff;
	texts[2] = moved.buf;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		git_oid ours, git;
		struct strbuf mail = STRBUF_INIT;

		/* What precedes the diff in a mail does not count. */
		strbuf_addf(&mail, "Fix it.\n\nSigned-off-by: A <a@b.c>\n---\n x | 1 +\n\n%s", texts[i]);
		assert_int_equal(patchid_mail(&ours, mail.buf, mail.len), PATCHID_OK);
		git_patch_id(&git, texts[i]);
		assert_true(git_oid_equal(&ours, &git));
		strbuf_release(&mail);
	}
	strbuf_release(&moved);
}

static void test_mail_side_order_does_not_matter(void **state)
{
	const char *second = strstr(edit_diff, "diff --git a/kernel");
	struct strbuf swapped = STRBUF_INIT;
	git_oid a, b;

	strbuf_addstr(&swapped, second);
	strbuf_add(&swapped, edit_diff, (size_t)(second - edit_diff));
	assert_int_equal(patchid_mail(&a, edit_diff, strlen(edit_diff)), PATCHID_OK);
	assert_int_equal(patchid_mail(&b, swapped.buf, swapped.len), PATCHID_OK);
	assert_true(git_oid_equal(&a, &b));
	strbuf_release(&swapped);
}

static void test_mail_side_without_a_diff(void **state)
{
	static const char broken[] = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n";
	git_oid id;
	int r;

	assert_int_equal(patchid_mail(&id, "just words\n", 11), PATCHID_NONE);
	assert_int_equal(patchid_mail(&id, "", 0), PATCHID_NONE);
	/* A hunk cut short is bad input: an answer, never a crash. */
	r = patchid_mail(&id, broken, strlen(broken));
	assert_true(r == PATCHID_OK || r == PATCHID_NONE || r == -1);
}

/*
 * Found by fuzz/fuzz-patch: a hunk count too big for a long overflowed
 * (undefined behaviour; in practice a wrapped, maybe negative count).
 * Any count beyond the input is as good as infinite, whatever its digits
 * (2^64 + 2 wrapped to 2).
 */
static void test_mail_side_huge_hunk_count(void **state)
{
	static const char fuzzed[] = "diff \n--- \n+\n@@ -16666666666666666666";
	static const char *const counts[] = { "18446744073709551618", "99999999999999999999999" };
	git_oid id[2];
	size_t i;
	int r;

	r = patchid_mail(&id[0], fuzzed, strlen(fuzzed));
	assert_true(r == PATCHID_OK || r == PATCHID_NONE);
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		char *diff = xstrfmt("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,%s @@\n"
				     "-a\n+b\n+c\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n"
				     "@@ -1 +1 @@\n-d\n+e\n", counts[i]);

		assert_int_equal(patchid_mail(&id[i], diff, strlen(diff)), PATCHID_OK);
		free(diff);
	}
	assert_true(git_oid_equal(&id[0], &id[1]));
}

static void test_pathmap_paths(void **state)
{
	struct patchid_pathmap map = PATCHID_PATHMAP_INIT;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(patchid_pathmap_add(&map, "tools/bpf/bpftool/:src/"), 0);
	assert_int_equal(patchid_pathmap_add(&map, "tools/bpf/bpftool/Documentation/:docs/"), 0);
	assert_int_equal(patchid_pathmap_add(&map, "no-colon"), -1);
	assert_int_equal(patchid_pathmap_add(&map, ":src/"), -1);
	assert_int_equal(patchid_pathmap_path(&sb, &map, "tools/bpf/bpftool/main.c"), 1);
	assert_string_equal(sb.buf, "src/main.c");
	strbuf_reset(&sb);
	/* The longest prefix wins. */
	assert_int_equal(patchid_pathmap_path(&sb, &map, "tools/bpf/bpftool/Documentation/x.rst"), 1);
	assert_string_equal(sb.buf, "docs/x.rst");
	strbuf_reset(&sb);
	assert_int_equal(patchid_pathmap_path(&sb, &map, "kernel/bpf/core.c"), 0);
	assert_string_equal(sb.buf, "");
	patchid_pathmap_release(&map);
	strbuf_release(&sb);
}

static void test_pathmap_diff(void **state)
{
	struct patchid_pathmap map = PATCHID_PATHMAP_INIT;
	struct strbuf out = STRBUF_INIT, expect = STRBUF_INIT;
	const char *second = strstr(edit_diff, "diff --git a/kernel"), *p, *path;
	git_oid mapped, direct;

	patchid_pathmap_add(&map, "tools/lib/bpf/:src/");
	/* The kernel file is dropped, the library file renamed. */
	assert_int_equal(patchid_pathmap_diff(&out, &map, edit_diff, strlen(edit_diff)), 1);
	for (p = edit_diff; p < second; p = path + 14) {
		path = strstr(p, "tools/lib/bpf/");
		if (!path || path > second)
			path = second;
		strbuf_add(&expect, p, (size_t)(path - p));
		if (path < second)
			strbuf_addstr(&expect, "src/");
	}
	/* The first file alone, its paths rewritten. */
	assert_string_equal(out.buf, expect.buf);
	strbuf_reset(&out);
	assert_int_equal(patchid_pathmap_diff(&out, &map, rename_diff, strlen(rename_diff)), 1);
	assert_non_null(strstr(out.buf, "diff --git a/src/old.h b/src/new.h\n"));
	assert_non_null(strstr(out.buf, "\nrename from src/old.h\nrename to src/new.h\n"));
	assert_non_null(strstr(out.buf, "\n--- a/src/old.h\n+++ b/src/new.h\n"));
	/* Mapped, the id is that of the same diff written with the new paths. */
	assert_int_equal(patchid_mail(&mapped, out.buf, out.len), PATCHID_OK);
	git_patch_id(&direct, out.buf);
	assert_true(git_oid_equal(&mapped, &direct));
	strbuf_reset(&out);
	assert_int_equal(patchid_pathmap_diff(&out, &map, second, strlen(second)), 0);
	assert_int_equal(out.len, 0);
	patchid_pathmap_release(&map);
	strbuf_release(&out);
	strbuf_release(&expect);
}

static void test_pathmap_fingerprint(void **state)
{
	struct patchid_pathmap a = PATCHID_PATHMAP_INIT, b = PATCHID_PATHMAP_INIT;
	struct strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;

	patchid_pathmap_fingerprint(&fa, &a);
	assert_string_equal(fa.buf, "");
	patchid_pathmap_add(&a, "tools/lib/bpf/:src/");
	patchid_pathmap_add(&b, "tools/lib/bpf/:lib/");
	patchid_pathmap_fingerprint(&fa, &a);
	patchid_pathmap_fingerprint(&fb, &b);
	assert_int_equal(fa.len, 8);
	assert_string_not_equal(fa.buf, fb.buf);
	patchid_pathmap_release(&a);
	patchid_pathmap_release(&b);
	strbuf_release(&fa);
	strbuf_release(&fb);
}

static void test_cache_round_trip(void **state)
{
	char *dir = unit_tmpdir(), *file = xstrfmt("%s/patch-id-v2", dir);
	struct patchid_cache cache;
	struct strbuf sb = STRBUF_INIT;
	enum patchid_status st;
	git_oid id, got;
	size_t warnings;
	FILE *f;

	git_oid_fromstr(&id, "0123456789abcdef0123456789abcdef01234567");
	patchid_cache_open(&cache, dir);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 0);
	patchid_cache_put(&cache, "cabc", &id, PATCHID_OK);
	patchid_cache_put(&cache, "cmerge", NULL, PATCHID_NONE);
	assert_int_equal(patchid_cache_flush(&cache), 0);
	patchid_cache_release(&cache);

	/* Another run's damaged and cut-short lines are skipped, with a warning. */
	f = fopen(file, "a");
	fputs("cbad 12345\nc-cut-short 0123", f);
	fclose(f);
	warnings = warning_count();
	usage_set_quiet(1);
	patchid_cache_open(&cache, dir);
	usage_set_quiet(0);
	assert_int_equal(warning_count(), warnings + 1);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 1);
	assert_int_equal(st, PATCHID_OK);
	assert_true(git_oid_equal(&got, &id));
	assert_int_equal(patchid_cache_get(&cache, "cmerge", &got, &st), 1);
	assert_int_equal(st, PATCHID_NONE);
	assert_int_equal(patchid_cache_get(&cache, "cbad", &got, &st), 0);
	assert_int_equal(cache.hits, 2);
	assert_int_equal(cache.misses, 1);
	/* The flush rewrites the damaged file: the next run finds it whole. */
	assert_int_equal(patchid_cache_flush(&cache), 0);
	patchid_cache_release(&cache);
	assert_int_equal(strbuf_read_file(&sb, file), 46 + 9);
	assert_non_null(strstr(sb.buf, "cmerge -\n"));
	assert_null(strstr(sb.buf, "cut-short"));
	strbuf_release(&sb);
	warnings = warning_count();
	patchid_cache_open(&cache, dir);
	assert_int_equal(warning_count(), warnings);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 1);
	patchid_cache_release(&cache);

	/* Without a directory the cache lives for the run only. */
	patchid_cache_open(&cache, NULL);
	patchid_cache_put(&cache, "cx", &id, PATCHID_OK);
	assert_int_equal(patchid_cache_flush(&cache), 0);
	assert_int_equal(patchid_cache_get(&cache, "cx", &got, &st), 1);
	patchid_cache_release(&cache);
	unit_rmtree(dir);
	free(file);
	free(dir);
}

/* A repository: a root commit, an edit, a rename with edits, a merge, an empty commit. */
static git_repository *history(char **dir)
{
	git_repository *repo;

	*dir = unit_tmpdir();
	unit_sh("cd '%s' && git init -q . && seq 1 30 >a && seq 1 60 >b && git add a b && "
		"git commit -q -m root && sed -i 5d a && git commit -q -am edit && "
		"git mv b c && seq 1 20 >>c && git commit -q -am move && "
		"git checkout -q -b side HEAD~1 && echo x >d && git add d && git commit -q -m side && "
		"git checkout -q - && git merge -q -m merge side && "
		"git commit -q --allow-empty -m empty", *dir);
	assert_int_equal(git_repository_open(&repo, *dir), 0);
	return repo;
}

static void rev(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj;

	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	*out = *git_object_id(obj);
	git_object_free(obj);
}

static void test_commits_equal_git(void **state)
{
	char *dir, line[128];
	git_repository *repo = history(&dir);
	git_oid ids[4], out[4], git;
	int status[4];
	struct strbuf cmd = STRBUF_INIT;
	FILE *p;
	size_t i, n = 0;

	rev(&ids[0], repo, "HEAD~1^1");	/* the rename with edits */
	rev(&ids[1], repo, "HEAD~1");	/* the merge */
	rev(&ids[2], repo, "HEAD");	/* nothing changed */
	rev(&ids[3], repo, "HEAD~1^1~2");	/* the root */
	assert_int_equal(patchid_commits(out, status, repo, ids, 4, NULL), 4);
	assert_int_equal(status[0], PATCHID_OK);
	assert_int_equal(status[1], PATCHID_NONE);
	assert_int_equal(status[2], PATCHID_NONE);
	assert_int_equal(status[3], PATCHID_OK);
	for (i = 0; i < 4; i += 3) {
		char hex[GIT_OID_HEXSZ + 1];

		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "cd '%s' && git show %s | git patch-id --stable", dir,
			    git_oid_tostr(hex, sizeof(hex), &ids[i]));
		p = popen(cmd.buf, "r");
		assert_non_null(fgets(line, sizeof(line), p));
		pclose(p);
		line[GIT_OID_HEXSZ] = '\0';
		git_oid_fromstr(&git, line);
		assert_true(git_oid_equal(&git, &out[i]));
		n++;
	}
	assert_int_equal(n, 2);
	git_repository_free(repo);
	unit_rmtree(dir);
	strbuf_release(&cmd);
	free(dir);
}

static void test_commits_use_the_cache(void **state)
{
	char *dir;
	git_repository *repo = history(&dir);
	struct patchid_cache cache;
	git_oid id, out, fake;
	int status;
	char key[GIT_OID_HEXSZ + 2] = "c";

	rev(&id, repo, "HEAD~1^1");
	git_oid_fromstr(&fake, "89abcdef0123456789abcdef0123456789abcdef");
	patchid_cache_open(&cache, NULL);
	git_oid_tostr(key + 1, sizeof(key) - 1, &id);
	patchid_cache_put(&cache, key, &fake, PATCHID_OK);
	/* A cached id is taken as it is: nothing is computed. */
	assert_int_equal(patchid_commits(&out, &status, repo, &id, 1, &cache), 0);
	assert_true(git_oid_equal(&out, &fake));
	patchid_cache_release(&cache);
	/* Computed ids are remembered. */
	patchid_cache_open(&cache, NULL);
	assert_int_equal(patchid_commits(&out, &status, repo, &id, 1, &cache), 1);
	assert_int_equal(patchid_commits(&out, &status, repo, &id, 1, &cache), 0);
	patchid_cache_release(&cache);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

/*
 * A change whose diff differs by algorithm (found by trying): myers and
 * minimal agree, histogram and patience each differ.  Each algorithm's
 * id is the one "git show --diff-algorithm=X | git patch-id" prints,
 * and each is cached under its own key.
 */
static void test_commits_by_algorithm(void **state)
{
	static const char *const names[] = { "myers", "histogram", "patience", "minimal" };
	char *dir = unit_tmpdir(), line[128], hex[GIT_OID_HEXSZ + 1];
	git_repository *repo;
	git_oid id, out[PATCHID_ALGORITHM_NR], git;
	struct patchid_cache cache;
	struct strbuf cmd = STRBUF_INIT;
	int status, a;
	FILE *p;

	unit_sh("cd '%s' && git init -q . && "
		"printf 'y();\\nx();\\n}\\nreturn 0;\\ny();\\nx();\\n{\\n' >f && git add f && "
		"git commit -q -m base && "
		"printf '{\\nreturn 0;\\ny();\\nx();\\n}\\nx();\\n' >f && git commit -q -am change",
		dir);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	rev(&id, repo, "HEAD");
	patchid_cache_open(&cache, NULL);
	for (a = 0; a < PATCHID_ALGORITHM_NR; a++) {
		assert_string_equal(patchid_algorithm_name((enum patchid_algorithm)a), names[a]);
		assert_int_equal(patchid_commits_algorithm(&out[a], &status, repo, &id, 1, &cache,
							   (enum patchid_algorithm)a), 1);
		assert_int_equal(status, PATCHID_OK);
		strbuf_reset(&cmd);
		strbuf_addf(&cmd, "cd '%s' && git show --diff-algorithm=%s %s | git patch-id --stable",
			    dir, names[a], git_oid_tostr(hex, sizeof(hex), &id));
		p = popen(cmd.buf, "r");
		assert_non_null(fgets(line, sizeof(line), p));
		pclose(p);
		line[GIT_OID_HEXSZ] = '\0';
		git_oid_fromstr(&git, line);
		assert_true(git_oid_equal(&git, &out[a]));
		/* Known now, under "c<commit>[:<algorithm>]". */
		assert_int_equal(patchid_commits_algorithm(&git, &status, repo, &id, 1, &cache,
							   (enum patchid_algorithm)a), 0);
	}
	assert_true(git_oid_equal(&out[PATCHID_MYERS], &out[PATCHID_MINIMAL]));
	assert_false(git_oid_equal(&out[PATCHID_MYERS], &out[PATCHID_HISTOGRAM]));
	assert_false(git_oid_equal(&out[PATCHID_MYERS], &out[PATCHID_PATIENCE]));
	assert_false(git_oid_equal(&out[PATCHID_HISTOGRAM], &out[PATCHID_PATIENCE]));
	assert_int_equal(patchid_commit(&git, repo, &id), PATCHID_OK);
	assert_true(git_oid_equal(&git, &out[PATCHID_MYERS]));
	patchid_cache_release(&cache);
	git_repository_free(repo);
	unit_rmtree(dir);
	strbuf_release(&cmd);
	free(dir);
}

static void test_many_commits_in_workers(void **state)
{
	char *dir = unit_tmpdir();
	git_repository *repo;
	git_revwalk *walk;
	git_oid *ids, *out, *serial, id;
	int *status, *serial_status;
	size_t nr = 0, i;

	/* Enough commits for worker processes; each result as computed alone. */
	unit_sh("cd '%s' && git init -q . && for i in $(seq 1 150); do "
		"echo $i >>f && git add f && git commit -q -m $i || exit 1; done", dir);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	ALLOC_ARRAY(ids, 150);
	git_revwalk_new(&walk, repo);
	git_revwalk_push_head(walk);
	while (!git_revwalk_next(&id, walk))
		ids[nr++] = id;
	git_revwalk_free(walk);
	assert_int_equal(nr, 150);
	CALLOC_ARRAY(out, nr);
	CALLOC_ARRAY(serial, nr);
	CALLOC_ARRAY(status, nr);
	CALLOC_ARRAY(serial_status, nr);
	assert_int_equal(patchid_commits(out, status, repo, ids, nr, NULL), nr);
	for (i = 0; i < nr; i++) {
		serial_status[i] = patchid_commit(&serial[i], repo, &ids[i]);
		assert_int_equal(status[i], serial_status[i]);
		assert_true(git_oid_equal(&out[i], &serial[i]));
	}
	free(ids);
	free(out);
	free(serial);
	free(status);
	free(serial_status);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_side_equals_git),
		cmocka_unit_test(test_mail_side_order_does_not_matter),
		cmocka_unit_test(test_mail_side_without_a_diff),
		cmocka_unit_test(test_mail_side_huge_hunk_count),
		cmocka_unit_test(test_pathmap_paths),
		cmocka_unit_test(test_pathmap_diff),
		cmocka_unit_test(test_pathmap_fingerprint),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_commits_equal_git),
		cmocka_unit_test(test_commits_use_the_cache),
		cmocka_unit_test(test_commits_by_algorithm),
		cmocka_unit_test(test_many_commits_in_workers),
	};
	return unit_run("patchid", tests, ARRAY_SIZE(tests));
}
