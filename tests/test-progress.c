#include "unit.h"
#include "progress.h"
#include "strbuf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* stderr goes to a file (or fd) while a test runs; restore_stderr() reads it back. */
static int saved_stderr = -1;

static void redirect_stderr(int fd)
{
	fflush(stderr);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fd, 2) == 2);
}

static void restore_stderr(void)
{
	fflush(stderr);
	assert_true(dup2(saved_stderr, 2) == 2);
	close(saved_stderr);
	saved_stderr = -1;
}

/* Run fn with stderr in a file; what it printed goes to out. */
static void capture(struct strbuf *out, void (*fn)(void))
{
	char path[] = "/tmp/test-progress.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	redirect_stderr(fd);
	fn();
	restore_stderr();
	close(fd);
	unit_read_file(out, path);
	unlink(path);
}

static int ends_with(const struct strbuf *sb, const char *suffix)
{
	size_t len = strlen(suffix);

	return sb->len >= len && !memcmp(sb->buf + sb->len - len, suffix, len);
}

static void count_to_ten(void)
{
	struct progress *p = progress_start("Reading messages", 10);
	uint64_t i;

	for (i = 1; i <= 10; i++)
		progress_update(p, i);
	progress_stop(&p);
	assert_null(p);
}

static void count_unknown(void)
{
	struct progress *p = progress_start("Counting", 0);

	progress_update(p, 3);
	progress_update(p, 5);
	progress_stop(&p);
}

static void test_forced_on(void **state)
{
	struct strbuf out = STRBUF_INIT;

	setenv("GIT_PROGRESS_DELAY", "0", 1);
	progress_set_mode(PROGRESS_ALWAYS);
	capture(&out, count_to_ten);
	print_message("# %s", out.buf);
	/* Redrawn in place as the percentage moves, then closed. */
	assert_non_null(strstr(out.buf, "Reading messages:  10% (1/10)\r"));
	assert_non_null(strstr(out.buf, "Reading messages:  50% (5/10)\r"));
	assert_true(ends_with(&out, "\rReading messages: 100% (10/10), done.\n"));
	strbuf_reset(&out);
	capture(&out, count_unknown);
	/* Without a total, the count is redrawn once a second: then the final one. */
	assert_string_equal(out.buf, "Counting: 3\rCounting: 5, done.\n");
	strbuf_release(&out);
}

static void test_delay(void **state)
{
	struct strbuf out = STRBUF_INIT;

	/* Quick work finishes before the delay (git's 2 seconds): nothing shown. */
	unsetenv("GIT_PROGRESS_DELAY");
	progress_set_mode(PROGRESS_ALWAYS);
	capture(&out, count_to_ten);
	assert_int_equal(out.len, 0);
	setenv("GIT_PROGRESS_DELAY", "1", 1);
	capture(&out, count_to_ten);
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

static void test_off(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct progress *p;

	setenv("GIT_PROGRESS_DELAY", "0", 1);
	progress_set_mode(PROGRESS_NEVER);
	p = progress_start("Reading messages", 10);
	assert_null(p);
	/* Every call takes NULL. */
	progress_update(p, 1);
	progress_set_total(p, 2);
	progress_stop(&p);
	capture(&out, count_to_ten);
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

static void test_auto_not_a_terminal(void **state)
{
	struct strbuf out = STRBUF_INIT;

	setenv("GIT_PROGRESS_DELAY", "0", 1);
	progress_set_mode(PROGRESS_AUTO);
	capture(&out, count_to_ten);
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

static void test_auto_terminal(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct progress *p;
	char buf[4096];
	int master, slave;
	ssize_t n;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		print_message("# no pseudo-terminal here\n");
		skip();
	}
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	setenv("GIT_PROGRESS_DELAY", "0", 1);
	progress_set_mode(PROGRESS_AUTO);
	redirect_stderr(slave);
	p = progress_start("Reading messages", 2);
	progress_update(p, 2);
	progress_stop(&p);
	restore_stderr();
	close(slave);
	/* A terminal may hand the line over in pieces: read until it is all there. */
	while (!strstr(out.buf, "done.") && (n = read(master, buf, sizeof(buf) - 1)) > 0)
		strbuf_add(&out, buf, (size_t)n);
	assert_non_null(strstr(out.buf, "Reading messages: 100% (2/2), done."));
	close(master);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forced_on),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_auto_not_a_terminal),
		cmocka_unit_test(test_auto_terminal),
	};
	return unit_run("progress", tests, ARRAY_SIZE(tests));
}
