/*
 * repo.h - find the repository the command runs in, as git would.
 *
 * git runs "git bpfdigest" with the environment of the user's shell
 * plus what its own options set (GIT_DIR from --git-dir, and so on).
 * repo_open() honours GIT_DIR, GIT_CEILING_DIRECTORIES and discovery
 * from the current directory.  It does not use libgit2's
 * GIT_REPOSITORY_OPEN_FROM_ENV, which fails whenever GIT_WORK_TREE is
 * set.  We never need a work tree: we only read objects and config and
 * write refs/notes/bpfdigest and our own cache.
 */
#ifndef BPFDIGEST_REPO_H
#define BPFDIGEST_REPO_H

struct git_repository;

/*
 * Open the repository for the current directory into *out.
 * Returns 0, 1 when there is no repository here (*out is NULL; not an
 * error: many commands work outside one), or dies when GIT_DIR names
 * something that is not a repository.
 */
int repo_open(struct git_repository **out);

/*
 * The message of libgit2's last error on this thread, or "unknown
 * error": for the ": %s" of our own messages.  libgit2 owns the string,
 * valid until its next call on this thread.
 */
const char *repo_git_error(void);

/*
 * The directory for our cache: "$GIT_DIR/bpfdigest" inside a repository,
 * "$XDG_CACHE_HOME/git-bpfdigest" (or "~/.cache/git-bpfdigest") outside.
 * The directory is created if needed.  Returns a new string, or NULL
 * (after one warning per process) when it cannot be created: callers
 * then run without a cache.  The first call of a process removes the
 * temporaries runs killed before they could (repo_remove_stale_temporaries()).
 */
char *repo_cache_dir(struct git_repository *repo);

/*
 * Remove from dir the temporaries of runs no longer running: every file
 * or directory (of files) named "<name>.tmp-<pid>" whose pid is not a
 * live process of this machine.  Every temporary we write is so named.
 * With packdir (the repository's objects/pack), a pack that a killed run
 * moved there without its index gets the index left in its temporary
 * directory first, so that no half-installed pack stays behind.
 */
void repo_remove_stale_temporaries(const char *dir, const char *packdir);
/* Remove path, a file or a directory of files (quietly: it may not exist). */
void repo_remove_temporary(const char *path);

#endif
