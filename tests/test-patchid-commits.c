#include "unit.h"
#include "patchid.h"
#include "patchid-cache.h"
#include "patchid-commits.h"
#include "strbuf.h"

#include <git2.h>
#include <stdio.h>

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
		cmocka_unit_test(test_commits_equal_git),
		cmocka_unit_test(test_commits_use_the_cache),
		cmocka_unit_test(test_commits_by_algorithm),
		cmocka_unit_test(test_many_commits_in_workers),
	};
	return unit_run("patchid-commits", tests, ARRAY_SIZE(tests));
}
