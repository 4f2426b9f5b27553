#include "unit.h"
#include "repo.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_open_inside_outside_and_git_dir(void **state)
{
	char *dir = unit_tmpdir(), *old = getcwd(NULL, 0), *sub;
	git_repository *r;

	unit_sh("git init -q '%s/repo' && mkdir -p '%s/repo/a/b' '%s/plain'", dir, dir, dir);
	unsetenv("GIT_DIR");
	/* Discovery from a subdirectory, as git does. */
	sub = xstrfmt("%s/repo/a/b", dir);
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(repo_open(&r), 0);
	assert_non_null(strstr(git_repository_path(r), "/repo/.git/"));
	git_repository_free(r);
	free(sub);
	/* None here, below the ceiling: 1, not an error. */
	sub = xstrfmt("%s/plain", dir);
	setenv("GIT_CEILING_DIRECTORIES", dir, 1);
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(repo_open(&r), 1);
	assert_null(r);
	free(sub);
	/* GIT_DIR is taken as it is; a wrong one is fatal and named. */
	sub = xstrfmt("%s/repo/.git", dir);
	setenv("GIT_DIR", sub, 1);
	assert_int_equal(repo_open(&r), 0);
	git_repository_free(r);
	free(sub);
	setenv("GIT_DIR", "/nonexistent/.git", 1);
	UNIT_EXPECT_DIE(repo_open(&r));
	assert_string_equal(unit_died_msg, "not a git repository: '/nonexistent/.git'");
	unsetenv("GIT_DIR");
	unsetenv("GIT_CEILING_DIRECTORIES");
	assert_int_equal(chdir(old), 0);
	unit_rmtree(dir);
	free(old);
	free(dir);
}

/* repo_cache_dir(repo) is dir + suffix, and a directory it made. */
static void assert_cache_dir(git_repository *repo, const char *dir, const char *suffix)
{
	char *cache = repo_cache_dir(repo), *expect = xstrfmt("%s%s", dir, suffix);
	struct stat st;

	assert_string_equal(cache, expect);
	assert_int_equal(stat(cache, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(cache);
	free(expect);
}

static void test_cache_dir(void **state)
{
	char *dir = unit_tmpdir(), *repo_dir = xstrfmt("%s/repo", dir);
	git_repository *r;

	unit_sh("git init -q '%s'", repo_dir);
	assert_int_equal(git_repository_open(&r, repo_dir), 0);
	assert_cache_dir(r, repo_dir, "/.git/bpfdigest");
	git_repository_free(r);
	/* Outside a repository: $XDG_CACHE_HOME, else ~/.cache, created. */
	setenv("XDG_CACHE_HOME", dir, 1);
	assert_cache_dir(NULL, dir, "/git-bpfdigest");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", dir, 1);
	assert_cache_dir(NULL, dir, "/.cache/git-bpfdigest");
	unit_rmtree(dir);
	free(repo_dir);
	free(dir);
}

/*
 * A run killed between moving its pack and its index into objects/pack
 * (the notes writer) left a pack git calls garbage: the next run moves
 * the index in, then removes the rest of the dead run's temporaries.
 */
static void test_stale_pack_install_finished(void **state)
{
	char *dir = unit_tmpdir(), *tmp, *live, *cache, *pack;
	pid_t dead = fork();

	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	tmp = xstrfmt("%s/cache/notes-pack-0.tmp-%ld", dir, (long)dead);
	live = xstrfmt("%s/cache/notes-pack-1.tmp-%ld", dir, (long)getpid());
	unit_sh("mkdir -p '%s' '%s' '%s/pack' && echo i >'%s/pack-ab12.idx' && "
		"echo p >'%s/pack/pack-ab12.pack' && echo j >'%s/pack-cd34.idx' && "
		"echo k >'%s/pack-ab12.idx'", tmp, live, dir, tmp, dir, tmp, live);
	cache = xstrfmt("%s/cache", dir);
	pack = xstrfmt("%s/pack", dir);
	repo_remove_stale_temporaries(cache, pack);
	/* Its pack was there: the index joins it; one without a pack goes. */
	unit_sh("test \"$(cat '%s/pack/pack-ab12.idx')\" = i && "
		"! test -e '%s/pack/pack-cd34.idx' && ! test -e '%s' && "
		"test -e '%s/pack-ab12.idx'", dir, dir, tmp, live);
	unit_rmtree(dir);
	free(cache);
	free(pack);
	free(tmp);
	free(live);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_inside_outside_and_git_dir),
		cmocka_unit_test(test_cache_dir),
		cmocka_unit_test(test_stale_pack_install_finished),
	};
	return unit_run("repo", tests, ARRAY_SIZE(tests));
}
