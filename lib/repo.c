#include "repo.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *last_git_error(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown error";
}

int repo_open(struct git_repository **out)
{
	const char *gitdir = getenv("GIT_DIR");
	const char *ceiling = getenv("GIT_CEILING_DIRECTORIES");
	int err;

	*out = NULL;
	if (gitdir && *gitdir) {
		if (git_repository_open_ext(out, gitdir,
					    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
			die("not a git repository: '%s'", gitdir);
		return 0;
	}
	err = git_repository_open_ext(out, ".", 0, ceiling);
	if (err == GIT_ENOTFOUND) {
		*out = NULL;
		return 1;
	}
	if (err < 0)
		die("cannot open the repository here: %s", last_git_error());
	return 0;
}

/* mkdir -p for the last two levels we create; parents must exist. */
static void make_dir(const char *path)
{
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		die_errno("cannot create directory '%s'", path);
}

char *repo_cache_dir(struct git_repository *repo)
{
	char *dir;

	if (repo) {
		const char *gitdir = git_repository_path(repo);
		size_t len = strlen(gitdir);

		dir = xstrfmt("%.*sbpfdigest", (int)len, gitdir);
		if (len && gitdir[len - 1] != '/') {
			free(dir);
			dir = xstrfmt("%s/bpfdigest", gitdir);
		}
	} else {
		const char *xdg = getenv("XDG_CACHE_HOME");
		const char *home = getenv("HOME");
		char *base;

		if (xdg && *xdg)
			base = xstrdup(xdg);
		else if (home && *home)
			base = xstrfmt("%s/.cache", home);
		else
			die("cannot find a cache directory: neither XDG_CACHE_HOME nor HOME is set");
		make_dir(base);
		dir = xstrfmt("%s/git-bpfdigest", base);
		free(base);
	}
	make_dir(dir);
	return dir;
}
