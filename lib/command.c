#include "command.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Our children ------------------------------------------------------------- */

struct pids {
	pid_t *v;
	size_t nr, alloc;
};

static int pids_has(const struct pids *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->v[i] == pid)
			return 1;
	return 0;
}

/*
 * Every process whose parent is us, from /proc/<pid>/stat ("pid (comm)
 * state ppid ..."; comm may hold any byte, so look after its last ')').
 * /proc/self/task/<tid>/children would be shorter, but kernels built
 * without CONFIG_PROC_CHILDREN have no such file.
 */
static void our_children(struct pids *out)
{
	pid_t self = getpid();
	struct dirent *de;
	DIR *dir;

	out->nr = 0;
	dir = opendir("/proc");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char path[300], buf[512];
		const char *p;
		ssize_t n;
		int fd;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (!p || strlen(p) < 4)
			continue;
		/* ") S 1234": skip ") ", the state and a blank. */
		if (atol(p + 4) != (long)self)
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = (pid_t)atol(de->d_name);
	}
	closedir(dir);
}

/*
 * Kill the group pgid and every child of ours not in before, reaping
 * them, until none is left: killing one reparents its own descendants to
 * us (we are a subreaper), to be found in the next round.  Bounded, for a
 * process stuck in the kernel that SIGKILL cannot end at once.
 */
static void sweep(pid_t pgid, const struct pids *before)
{
	struct pids now = { NULL, 0, 0 };
	int round;

	for (round = 0; round < 1000; round++) {
		int group = kill(-pgid, SIGKILL) == 0, found = 0;
		size_t i;

		our_children(&now);
		for (i = 0; i < now.nr; i++) {
			pid_t c = now.v[i];

			if (pids_has(before, c))
				continue;
			found = 1;
			/* A setsid'd one leads a group of its own. */
			kill(-c, SIGKILL);
			kill(c, SIGKILL);
			waitpid(c, NULL, WNOHANG);
		}
		if (!group && !found)
			break;
		poll(NULL, 0, 1);
	}
	free(now.v);
}

/* Running ------------------------------------------------------------------ */

static int open_pidfd(pid_t pid)
{
#if defined(__linux__) && defined(SYS_pidfd_open)
	/* valgrind 3.19 does not know the call, and says so in its report. */
	if (RUNNING_ON_VALGRIND)
		return -1;
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

static void set_subreaper(int on)
{
#ifdef __linux__
	prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)on, 0, 0, 0);
#else
	(void)on;
#endif
}

static int get_subreaper(void)
{
	int on = 0;

#ifdef __linux__
	if (prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&on, 0, 0, 0) < 0)
		on = 0;
#endif
	return on;
}

/* What is in the pipe now; not what a descendant goes on writing. */
static int drain(int fd, struct strbuf *out, size_t max)
{
	int avail = 0;

	if (ioctl(fd, FIONREAD, &avail) < 0)
		return 0;
	while (avail > 0) {
		char buf[4096];
		ssize_t got = read(fd, buf, (size_t)avail < sizeof(buf) ? (size_t)avail : sizeof(buf));

		if (got <= 0)
			break;
		strbuf_add(out, buf, (size_t)got);
		if (out->len > max)
			return -1;
		avail -= (int)got;
	}
	return 0;
}

static void describe_status(struct strbuf *why, int status)
{
	if (WIFEXITED(status))
		strbuf_addf(why, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		strbuf_addf(why, "killed by signal %d", WTERMSIG(status));
}

enum command_result command_run(struct strbuf *out, char *const *argv, const char *in,
				size_t inlen, size_t max, long timeout_ms, struct strbuf *why)
{
	int to_child[2] = { -1, -1 }, from_child[2] = { -1, -1 };
	struct pids before = { NULL, 0, 0 };
	struct sigaction ign, old;
	enum command_result result = COMMAND_OK;
	int status = 0, exited = 0, pidfd, was_subreaper = get_subreaper();
	size_t written = 0;
	long deadline = now_ms() + timeout_ms;
	pid_t pid;

	if (pipe(to_child) < 0 || pipe(from_child) < 0) {
		strbuf_addf(why, "cannot create a pipe: %s", strerror(errno));
		result = COMMAND_FAILED;
		goto close_pipes;
	}
	our_children(&before);
	set_subreaper(1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		strbuf_addf(why, "cannot fork: %s", strerror(errno));
		result = COMMAND_FAILED;
		goto out;
	}
	if (!pid) {
		/* Its own session: its own group, and no terminal to read. */
		setsid();
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[0]);
		close(to_child[1]);
		close(from_child[0]);
		close(from_child[1]);
		execvp(argv[0], argv);
		dprintf(2, "error: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	to_child[0] = from_child[1] = -1;
	fcntl(to_child[1], F_SETFL, O_NONBLOCK);
	fcntl(from_child[0], F_SETFL, O_NONBLOCK);
	pidfd = open_pidfd(pid);
	/* A command that does not read its input must not kill us with SIGPIPE. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);

	if (!inlen) {
		close(to_child[1]);
		to_child[1] = -1;
	}
	for (;;) {
		struct pollfd fds[3];
		int r, rd = -1, wr = -1, tick;
		nfds_t n = 0;
		long left = deadline - now_ms();
		pid_t w;

		if (left <= 0) {
			result = COMMAND_TIMEOUT;
			break;
		}
		if (from_child[0] >= 0) {
			rd = (int)n;
			fds[n].fd = from_child[0];
			fds[n++].events = POLLIN;
		}
		if (to_child[1] >= 0) {
			wr = (int)n;
			fds[n].fd = to_child[1];
			fds[n++].events = POLLOUT;
		}
		if (pidfd >= 0) {
			fds[n].fd = pidfd;
			fds[n++].events = POLLIN;
		}
		/* Without a pidfd its exit is noticed by looking, often. */
		tick = pidfd >= 0 ? 1000 : 10;
		r = poll(fds, n, (int)(left > tick ? tick : left));
		if (r < 0 && errno != EINTR) {
			strbuf_addf(why, "cannot poll: %s", strerror(errno));
			result = COMMAND_FAILED;
			break;
		}
		if (r > 0 && wr >= 0 && (fds[wr].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t got = write(to_child[1], in + written, inlen - written);

			if (got > 0)
				written += (size_t)got;
			if ((got < 0 && errno != EAGAIN && errno != EINTR) || written == inlen) {
				close(to_child[1]);
				to_child[1] = -1;
			}
		}
		if (r > 0 && rd >= 0 && (fds[rd].revents & (POLLIN | POLLERR | POLLHUP))) {
			char buf[4096];
			ssize_t got = read(from_child[0], buf, sizeof(buf));

			if (got > 0) {
				strbuf_add(out, buf, (size_t)got);
				if (out->len > max) {
					result = COMMAND_TOO_LONG;
					break;
				}
			} else if (!got || (errno != EAGAIN && errno != EINTR)) {
				close(from_child[0]);
				from_child[0] = -1;
			}
		}
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR)) {
			exited = 1;
			break;
		}
	}
	/* The answer is what it wrote before it exited. */
	if (exited && from_child[0] >= 0 && drain(from_child[0], out, max) < 0)
		result = COMMAND_TOO_LONG;
	if (!exited) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	/* Whatever it started goes with it, however it ended. */
	sweep(pid, &before);
	sigaction(SIGPIPE, &old, NULL);
	if (pidfd >= 0)
		close(pidfd);
	if (result == COMMAND_OK && !(WIFEXITED(status) && !WEXITSTATUS(status))) {
		result = COMMAND_FAILED;
		describe_status(why, status);
	}
out:
	if (!was_subreaper)
		set_subreaper(0);
close_pipes:
	if (to_child[0] >= 0)
		close(to_child[0]);
	if (to_child[1] >= 0)
		close(to_child[1]);
	if (from_child[0] >= 0)
		close(from_child[0]);
	if (from_child[1] >= 0)
		close(from_child[1]);
	free(before.v);
	return result;
}
