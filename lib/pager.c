#include "pager.h"
#include "config.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t pager_pid;

int pager_config(const struct config *cfg, const char *key, const char **cmd)
{
	const char *value;
	int b;

	*cmd = NULL;
	if (!config_is_set(cfg, key))
		return -1;
	value = config_get_string(cfg, key);
	b = config_parse_bool(value);
	if (b >= 0)
		return b;
	*cmd = value;
	return 1;
}

const char *pager_program(const struct config *cfg, const char *cmd)
{
	const char *pager = getenv("GIT_PAGER");

	if (!pager)
		pager = cmd;
	if (!pager && cfg)
		pager = config_get_string(cfg, "core.pager");
	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less";
	return !*pager || !strcmp(pager, "cat") ? NULL : pager;
}

int pager_in_use(void)
{
	const char *v = getenv("GIT_PAGER_IN_USE");

	return v && config_parse_bool(v) == 1;
}

/* Our side closed, the pager reads to its end and quits; wait for that. */
static void wait_for_pager(void)
{
	pid_t pid = pager_pid;

	if (!pid)
		return;
	pager_pid = 0;
	close(1);
	close(2);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void wait_for_pager_atexit(void)
{
	fflush(stdout);
	fflush(stderr);
	wait_for_pager();
}

/* Only async-signal-safe calls: close, waitpid, signal, raise. */
static void wait_for_pager_signal(int sig)
{
	wait_for_pager();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* As git decides: a word without shell syntax is run directly. */
static int needs_shell(const char *cmd)
{
	return cmd[strcspn(cmd, "|&;<>()$`\\\"' \t\n*?[#~=%")] != '\0';
}

/*
 * Child side: stdin from the pipe, then exec.  A failed exec is reported
 * to the parent through the close-on-exec pipe err, as an errno.
 */
static void NORETURN run_pager(const char *cmd, int in, int err)
{
	int e;

	dup2(in, 0);
	close(in);
	setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 1);
	setenv("LV", getenv("LV") ? getenv("LV") : "-c", 1);
	if (needs_shell(cmd))
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	else
		execlp(cmd, cmd, (char *)NULL);
	e = errno;
	/* Nothing is left to do when even this fails: the parent sees EOF. */
	if (write(err, &e, sizeof(e)) != sizeof(e))
		_exit(126);
	_exit(127);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int pager_start(const struct config *cfg, const char *cmd)
{
	static const int signals[] = { SIGINT, SIGHUP, SIGTERM, SIGQUIT, SIGPIPE };
	const char *pager;
	int fds[2] = { -1, -1 }, err[2] = { -1, -1 }, e;
	ssize_t n;
	pid_t pid;
	size_t i;

	if (pager_pid || !isatty(1) || pager_in_use())
		return 0;
	pager = pager_program(cfg, cmd);
	if (!pager)
		return 0;
	if (pipe(fds) < 0 || pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	/* Set before the fork: git's pager sees it as well. */
	setenv("GIT_PAGER_IN_USE", "true", 1);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (!pid) {
		close(fds[1]);
		close(err[0]);
		run_pager(pager, fds[0], err[1]);
	}
	close_fd(&fds[0]);
	close_fd(&err[1]);
	while ((n = read(err[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	if (n == sizeof(e)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		errno = e;
		goto fail;
	}
	close_fd(&err[0]);
	pager_pid = pid;
	dup2(fds[1], 1);
	if (isatty(2))
		dup2(fds[1], 2);
	close_fd(&fds[1]);
	atexit(wait_for_pager_atexit);
	for (i = 0; i < ARRAY_SIZE(signals); i++)
		signal(signals[i], wait_for_pager_signal);
	return 1;
fail:
	error_errno("cannot run the pager '%s'", pager);
	unsetenv("GIT_PAGER_IN_USE");
	close_fd(&fds[0]);
	close_fd(&fds[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	return 0;
}
