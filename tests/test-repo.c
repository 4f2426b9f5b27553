#include "unit.h"
#include "repo.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <stdio.h>
#include <sys/stat.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_inside_outside_and_git_dir),
		cmocka_unit_test(test_cache_dir),
	};
	return unit_run("repo", tests, ARRAY_SIZE(tests));
}
