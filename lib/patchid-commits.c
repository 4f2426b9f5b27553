/*
 * patchid-commits.c - the patch-ids of many commits, cached or computed
 * in worker processes; patchid-commits.h says what and who owns what.
 */
#include "patchid-commits.h"
#include "patchid-cache.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <git2.h>
#include <malloc.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Diffing is spread over worker processes, not threads: libgit2 unpacks
 * objects of a pack under one lock that every repository handle shares,
 * and threads were slower than one thread (19 s against 10 s for
 * libbpf's 2,871 commits).  A process has its own.
 */
#define MAX_WORKERS 4
/* Below this many diffs a worker does not pay for its start. */
#define WORK_PER_WORKER 64

/* What a worker sends back for each commit. */
struct worker_record {
	uint32_t index;
	int32_t status;
	unsigned char id[GIT_OID_RAWSZ];
};

static void compute_serially(git_oid *out, int *status, git_repository *repo,
			     const git_oid *commits, const size_t *todo, size_t nr,
			     enum patchid_algorithm algo)
{
	size_t i;

	for (i = 0; i < nr; i++)
		status[todo[i]] = patchid_commit_algorithm(&out[todo[i]], repo, &commits[todo[i]],
							   algo);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Workers take blocks of neighbouring commits in turn: neighbours share
 * trees and blobs (a commit's old side is its parent's new side), and
 * taking turns spreads the few huge diffs.
 */
#define BLOCK 16

/* In the child: every nworkers-th block of todo[], from the k-th. */
static NORETURN void run_worker(int fd, const char *gitdir, const git_oid *commits,
				const size_t *todo, size_t nr, unsigned k, unsigned nworkers,
				enum patchid_algorithm algo)
{
	git_repository *repo;
	size_t i;

	/* A commit's new blobs are the next one's old blobs: keep them. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, (size_t)16 << 20);
	/*
	 * Big blobs and diffs come and go: reuse their memory rather than
	 * map fresh zeroed pages for each (a tenth of the time went there).
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		_exit(1);
	for (i = (size_t)k * BLOCK; i < nr; i += (i + 1) % BLOCK ? 1 : (size_t)(nworkers - 1) * BLOCK + 1) {
		struct worker_record rec;
		git_oid id;

		memset(&rec, 0, sizeof(rec));
		rec.index = (uint32_t)i;
		rec.status = patchid_commit_algorithm(&id, repo, &commits[todo[i]], algo);
		memcpy(rec.id, id.id, GIT_OID_RAWSZ);
		if (write_all(fd, &rec, sizeof(rec)) < 0)
			_exit(1);
	}
	_exit(0);
}

static unsigned worker_count(size_t work)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1;

	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if (n > work / WORK_PER_WORKER)
		n = work / WORK_PER_WORKER;
	return (unsigned)n;
}

/*
 * Compute todo[] in worker processes; what no worker reported (one
 * could not start, or died) is computed here afterwards.
 */
static void compute_in_workers(git_oid *out, int *status, git_repository *repo,
			       const git_oid *commits, const size_t *todo, size_t nr,
			       unsigned nworkers, enum patchid_algorithm algo)
{
	struct pollfd fds[MAX_WORKERS];
	pid_t pids[MAX_WORKERS];
	unsigned char *done = xcalloc(nr ? nr : 1, 1);
	size_t *left, left_nr = 0, i;
	unsigned k, started = 0, open_fds;

	fflush(NULL);	/* nothing buffered may be written twice */
	for (k = 0; k < nworkers; k++) {
		int pipefd[2];

		if (pipe(pipefd) < 0)
			break;
		pids[started] = fork();
		if (pids[started] < 0) {
			close(pipefd[0]);
			close(pipefd[1]);
			break;
		}
		if (!pids[started]) {
			close(pipefd[0]);
			run_worker(pipefd[1], git_repository_path(repo), commits, todo, nr, k,
				   nworkers, algo);
		}
		close(pipefd[1]);
		fds[started].fd = pipefd[0];
		fds[started].events = POLLIN;
		started++;
	}
	for (open_fds = started; open_fds;) {
		if (poll(fds, started, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (k = 0; k < started; k++) {
			struct worker_record rec;
			ssize_t n;

			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			/* Records are small and written whole: a pipe keeps them so. */
			n = read(fds[k].fd, &rec, sizeof(rec));
			if (n < 0 && errno == EINTR)
				continue;
			if (n != (ssize_t)sizeof(rec) || rec.index >= nr) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open_fds--;
				continue;
			}
			status[todo[rec.index]] = rec.status;
			memcpy(out[todo[rec.index]].id, rec.id, GIT_OID_RAWSZ);
			done[rec.index] = 1;
		}
	}
	for (k = 0; k < started; k++) {
		if (fds[k].fd >= 0)
			close(fds[k].fd);
		waitpid(pids[k], NULL, 0);
	}
	ALLOC_ARRAY(left, nr ? nr : 1);
	for (i = 0; i < nr; i++)
		if (!done[i])
			left[left_nr++] = todo[i];
	compute_serially(out, status, repo, commits, left, left_nr, algo);
	free(left);
	free(done);
}

size_t patchid_commits(git_oid *out, int *status, git_repository *repo,
		       const git_oid *commits, size_t nr, struct patchid_cache *cache)
{
	return patchid_commits_algorithm(out, status, repo, commits, nr, cache, PATCHID_MYERS);
}

/* "c<commit>", and ":<algorithm>" after it for all but myers. */
static void commit_key(char *key, size_t size, const git_oid *commit,
		       enum patchid_algorithm algo)
{
	char hex[GIT_OID_HEXSZ + 1];

	snprintf(key, size, "c%s%s%s", git_oid_tostr(hex, sizeof(hex), commit),
		 algo == PATCHID_MYERS ? "" : ":",
		 algo == PATCHID_MYERS ? "" : patchid_algorithm_name(algo));
}

size_t patchid_commits_algorithm(git_oid *out, int *status, git_repository *repo,
				 const git_oid *commits, size_t nr, struct patchid_cache *cache,
				 enum patchid_algorithm algo)
{
	char key[GIT_OID_HEXSZ + 16];
	size_t *todo, todo_nr = 0, i;
	unsigned nworkers;

	ALLOC_ARRAY(todo, nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		enum patchid_status st;

		commit_key(key, sizeof(key), &commits[i], algo);
		if (cache && patchid_cache_get(cache, key, &out[i], &st))
			status[i] = st;
		else
			todo[todo_nr++] = i;
	}
	nworkers = worker_count(todo_nr);
	if (nworkers > 1)
		compute_in_workers(out, status, repo, commits, todo, todo_nr, nworkers, algo);
	else
		compute_serially(out, status, repo, commits, todo, todo_nr, algo);
	for (i = 0; cache && i < todo_nr; i++) {
		commit_key(key, sizeof(key), &commits[todo[i]], algo);
		if (status[todo[i]] >= 0)
			patchid_cache_put(cache, key, &out[todo[i]],
					  (enum patchid_status)status[todo[i]]);
	}
	free(todo);
	return todo_nr;
}
