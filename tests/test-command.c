#include "unit.h"
#include "command.h"
#include "strbuf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Run "/bin/sh -c script" on a line of input, with 8 KiB for its output. */
static enum command_result run_sh(const char *script, long timeout_ms, struct strbuf *out,
				  struct strbuf *why)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	return command_run(out, argv, "input\n", 6, 8192, timeout_ms, why);
}

static pid_t read_pid(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	pid_t pid;

	unit_read_file(&sb, path);
	pid = (pid_t)atol(sb.buf);
	strbuf_release(&sb);
	assert_true(pid > 1);
	return pid;
}

static int gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

/* Remove what a failing test left running, so that prove does not hang. */
static void cleanup(pid_t pid)
{
	if (!gone(pid))
		kill(pid, SIGKILL);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* A test's scratch: a directory with a pid file, and run_sh()'s buffers. */
struct scratch {
	char *dir, *pidfile;
	struct strbuf out, why;
};

static int scratch_setup(void **state)
{
	struct scratch *s = xmalloc(sizeof(*s));

	s->dir = unit_tmpdir();
	s->pidfile = xstrfmt("%s/pid", s->dir);
	strbuf_init(&s->out, 0);
	strbuf_init(&s->why, 0);
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;

	unit_rmtree(s->dir);
	free(s->dir);
	free(s->pidfile);
	strbuf_release(&s->out);
	strbuf_release(&s->why);
	free(s);
	return 0;
}

static void test_answer_and_status(void **state)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;

	assert_int_equal(run_sh("cat; echo done", 5000, &out, &why), COMMAND_OK);
	assert_string_equal(out.buf, "input\ndone\n");
	strbuf_reset(&out);
	assert_int_equal(run_sh("echo partial; exit 3", 5000, &out, &why), COMMAND_FAILED);
	assert_string_equal(why.buf, "exit status 3");
	strbuf_reset(&why);
	assert_int_equal(run_sh("kill -TERM $$", 5000, &out, &why), COMMAND_FAILED);
	assert_string_equal(why.buf, "killed by signal 15");
	strbuf_reset(&out);
	assert_int_equal(run_sh("yes", 5000, &out, &why), COMMAND_TOO_LONG);
	strbuf_release(&out);
	strbuf_release(&why);
}

/* Shape 1: a good answer, and a backgrounded child that would live on. */
static void test_background_child_killed_after_success(void **state)
{
	struct scratch *s = *state;
	char *script;
	pid_t pid;

	script = xstrfmt("sleep 60 </dev/null >/dev/null 2>&1 & echo $! >'%s'; echo Fine.",
			 s->pidfile);
	assert_int_equal(run_sh(script, 5000, &s->out, &s->why), COMMAND_OK);
	assert_string_equal(s->out.buf, "Fine.\n");
	pid = read_pid(s->pidfile);
	cleanup(pid);
	assert_true(gone(pid));
	free(script);
}

/*
 * Shape 2: a grandchild in a session of its own (setsid) is no longer in
 * the group, and survived the timeout's group kill; after a good answer
 * too.
 */
static void test_setsid_grandchild_killed(void **state)
{
	static const char *const tails[] = { "sleep 30", "echo Fine." };
	struct scratch *s = *state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		char *script = xstrfmt("rm -f '%s'; "
				       "setsid sh -c 'echo $$ >\"$0\"; exec sleep 60' '%s' "
				       "</dev/null >/dev/null 2>&1 & "
				       "while ! test -s '%s'; do sleep 0.01; done; %s",
				       s->pidfile, s->pidfile, s->pidfile, tails[i]);
		enum command_result r;
		pid_t pid;

		strbuf_reset(&s->out);
		r = run_sh(script, 1000, &s->out, &s->why);
		pid = read_pid(s->pidfile);
		cleanup(pid);
		assert_int_equal(r, i ? COMMAND_OK : COMMAND_TIMEOUT);
		assert_true(gone(pid));
		free(script);
	}
}

/*
 * Shape 3: a grandchild holds stdout open; the answer is taken when the
 * command exits, not when the pipe closes (which was after the timeout:
 * "no answer").
 */
static void test_grandchild_holding_stdout(void **state)
{
	struct scratch *s = *state;
	char *script = xstrfmt("sleep 60 & echo $! >'%s'; echo Fine.", s->pidfile);
	struct timespec start;
	enum command_result r;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &start);
	r = run_sh(script, 5000, &s->out, &s->why);
	pid = read_pid(s->pidfile);
	cleanup(pid);
	assert_int_equal(r, COMMAND_OK);
	assert_string_equal(s->out.buf, "Fine.\n");
	assert_true(elapsed_ms(&start) < 3000);
	assert_true(gone(pid));
	free(script);
}

/* A child of ours from before the run (a pager) is none of its business. */
static void test_other_children_untouched(void **state)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	pid_t pager = fork();
	int status;

	assert_true(pager >= 0);
	if (!pager) {
		execlp("sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(run_sh("sleep 60 & echo Fine.", 5000, &out, &why), COMMAND_OK);
	assert_int_equal(run_sh("sleep 60", 300, &out, &why), COMMAND_TIMEOUT);
	assert_int_equal(waitpid(pager, &status, WNOHANG), 0);
	kill(pager, SIGKILL);
	assert_int_equal(waitpid(pager, &status, 0), pager);
	strbuf_release(&out);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_and_status),
		cmocka_unit_test_setup_teardown(test_background_child_killed_after_success, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_setsid_grandchild_killed, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_grandchild_holding_stdout, scratch_setup,
						scratch_teardown),
		cmocka_unit_test(test_other_children_untouched),
	};
	return unit_run("command", tests, ARRAY_SIZE(tests));
}
