#include "repo.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *repo_git_error(void)
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
		die("cannot open the repository here: %s", repo_git_error());
	return 0;
}

/* mkdir for the last two levels we create; parents must exist.  0 or -1 (errno). */
static int make_dir(const char *path)
{
	return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

/* The pid of a "<name>.tmp-<pid>" temporary; 0 for any other name. */
static pid_t temporary_pid(const char *name)
{
	const char *p = strstr(name, ".tmp-");
	char *end;
	long pid;

	if (!p || !isdigit((unsigned char)p[5]))
		return 0;
	pid = strtol(p + 5, &end, 10);
	return *end || pid <= 0 || (pid_t)pid != pid ? 0 : (pid_t)pid;
}

void repo_remove_temporary(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			char *file = xstrfmt("%s/%s", path, de->d_name);

			unlink(file);
			free(file);
		}
	closedir(d);
	rmdir(path);
}

/*
 * A pack is installed pack first, then its index (a reader that sees the
 * index finds its pack).  A run killed between the two renames leaves the
 * pack in packdir without its index, which git calls garbage, and the
 * index in its temporary directory: the pack is whole, so finish the
 * install rather than leave the pack behind.
 */
static void finish_pack_install(const char *tmpdir, const char *packdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char *base, *pack, *from, *to;

		if (strncmp(de->d_name, "pack-", 5) || len < 9 ||
		    strcmp(de->d_name + len - 4, ".idx"))
			continue;
		base = xstrfmt("%s/%.*s", packdir, (int)(len - 4), de->d_name);
		pack = xstrfmt("%s.pack", base);
		from = xstrfmt("%s/%s", tmpdir, de->d_name);
		to = xstrfmt("%s.idx", base);
		if (!access(pack, F_OK) && access(to, F_OK) && rename(from, to) < 0)
			warning("cannot finish installing '%s': %s", to, strerror(errno));
		free(base);
		free(pack);
		free(from);
		free(to);
	}
	closedir(d);
}

void repo_remove_stale_temporaries(const char *dir, const char *packdir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		pid_t pid = temporary_pid(de->d_name);
		char *path;

		/* Alive, or not ours to judge (EPERM: another user's): left alone. */
		if (!pid || pid == getpid() || !kill(pid, 0) || errno != ESRCH)
			continue;
		path = xstrfmt("%s/%s", dir, de->d_name);
		if (packdir)
			finish_pack_install(path, packdir);
		repo_remove_temporary(path);
		free(path);
	}
	closedir(d);
}

char *repo_cache_dir(struct git_repository *repo)
{
	static int warned, cleaned;
	char *dir, *base = NULL;

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

		if (xdg && *xdg)
			base = xstrdup(xdg);
		else if (home && *home)
			base = xstrfmt("%s/.cache", home);
		else
			die("cannot find a cache directory: neither XDG_CACHE_HOME nor HOME is set");
		dir = xstrfmt("%s/git-bpfdigest", base);
	}
	/* Without a cache everything still works, only slower: not fatal. */
	if ((base && make_dir(base) < 0) || make_dir(dir) < 0) {
		int err = errno;

		if (!warned++)
			warning("cannot create the cache directory '%s': %s; running without a cache",
				dir, strerror(err));
		FREE_AND_NULL(dir);
	} else if (!cleaned++) {
		char *packdir = repo ? xstrfmt("%sobjects/pack",
					       git_repository_commondir(repo)) : NULL;

		repo_remove_stale_temporaries(dir, packdir);
		free(packdir);
	}
	free(base);
	return dir;
}
