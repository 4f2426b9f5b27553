#include "unit.h"
#include "options.h"
#include "strbuf.h"

#include <sys/wait.h>
#include <unistd.h>

static const char *const usage[] = { "test [<options>]", NULL };

static void test_parse(void **state)
{
	const char *date = NULL, *color = NULL;
	int quiet = 0, verbose = 0, progress = -1;
	struct option_list inboxes = { NULL, 0, 0 };
	struct option opts[] = {
		OPT_STRING(0, "date", &date, "d", "a day"),
		OPT_STRING_LIST(0, "inbox", &inboxes, "loc", "inbox"),
		OPT_BOOL('q', "quiet", &quiet, "quiet"),
		OPT_BOOL(0, "progress", &progress, "progress"),
		OPT_COUNT('v', "verbose", &verbose, "more"),
		OPT_OPTARG(0, "color", &color, "when", "colour", "always"),
		OPT_END(),
	};
	const char *argv[] = { "test", "--date=2026-01-01", "a", "--inbox", "x", "-qvv",
			       "--inbox=y", "--no-progress", "--color", "--", "--date", NULL };
	int argc = parse_options(11, argv, opts, usage, 0);

	assert_int_equal(argc, 2);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "--date");
	assert_string_equal(date, "2026-01-01");
	assert_int_equal(inboxes.nr, 2);
	assert_string_equal(inboxes.items[1], "y");
	assert_int_equal(quiet, 1);
	assert_int_equal(verbose, 2);
	assert_int_equal(progress, 0);
	assert_string_equal(color, "always");
	option_list_clear(&inboxes);
}

static void test_stop_at_non_option(void **state)
{
	int quiet = 0;
	struct option opts[] = { OPT_BOOL('q', "quiet", &quiet, "quiet"), OPT_END() };
	const char *argv[] = { "test", "-q", "weekly", "-q", NULL };
	int argc = parse_options(4, argv, opts, usage, PARSE_OPT_STOP_AT_NON_OPTION);

	assert_int_equal(argc, 2);
	assert_string_equal(argv[0], "weekly");
	assert_string_equal(argv[1], "-q");
}

static void test_negated_optarg_and_no_names(void **state)
{
	const char *color = NULL;
	int no_pager = 0, hidden = 0;
	struct option opts[] = {
		OPT_OPTARG_NEG(0, "color", &color, "when", "colour", "always", "never"),
		OPT_BOOL('P', "no-pager", &no_pager, "no pager"),
		OPT_HIDDEN_BOOL(0, "secret", &hidden, "not shown"),
		OPT_END(),
	};
	const char *argv1[] = { "test", "--color=auto", "--no-color", "-P", "--secret", NULL };
	const char *argv2[] = { "test", "--no-color", "--color", "--no-pager", NULL };

	assert_int_equal(parse_options(5, argv1, opts, usage, 0), 0);
	assert_string_equal(color, "never");
	assert_int_equal(no_pager, 1);
	assert_int_equal(hidden, 1);
	no_pager = 0;
	assert_int_equal(parse_options(4, argv2, opts, usage, 0), 0);
	assert_string_equal(color, "always");
	assert_int_equal(no_pager, 1);
}

/* What parse_options() prints before it exits, and how it exits. */
static int run_to_exit(struct strbuf *out, const char *arg, const struct option *opts)
{
	int fds[2], status;
	char buf[256];
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		const char *argv[] = { "test", arg, NULL };

		dup2(fds[1], 1);
		close(fds[0]);
		parse_options(2, argv, opts, usage, 0);
		_exit(99);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_usage_and_completion(void **state)
{
	const char *date = NULL, *color = NULL, *tz = NULL;
	int quiet = 0, no_pager = 0, hidden = 0;
	struct option opts[] = {
		OPT_STRING(0, "date", &date, "d", "a day"),
		OPT_OPTARG_NEG(0, "color", &color, "when", "colour", "always", "never"),
		OPT_OPTARG(0, "tz", &tz, "zone", "zone", "UTC"),
		OPT_BOOL('q', "quiet", &quiet, "quiet"),
		OPT_BOOL('P', "no-pager", &no_pager, "no pager"),
		OPT_HIDDEN_BOOL(0, "secret", &hidden, "not shown"),
		OPT_END(),
	};
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(run_to_exit(&out, "-h", opts), 129);
	assert_string_equal(out.buf,
		"usage: test [<options>]\n"
		"\n"
		"    --date=<d>                 a day\n"
		"    --[no-]color[=<when>]      colour\n"
		"    --tz[=<zone>]              zone\n"
		"    -q, --[no-]quiet           quiet\n"
		"    -P, --no-pager             no pager\n");
	strbuf_reset(&out);
	/* Without a manual page, --help is -h. */
	assert_int_equal(run_to_exit(&out, "--help", opts), 129);
	assert_non_null(strstr(out.buf, "usage: test"));
	strbuf_reset(&out);
	/* git's __gitcomp_builtin format: values get "=", negations after "--". */
	assert_int_equal(run_to_exit(&out, "--git-completion-helper", opts), 0);
	assert_string_equal(out.buf, "--date= --color --tz --quiet --no-pager -- --no-color --no-quiet\n");
	strbuf_release(&out);
}

static void test_closest_name(void **state)
{
	const char *names[] = { "daily", "weekly", "monthly", "digest", "series", "release" };

	assert_int_equal(options_edit_distance("", ""), 0);
	assert_int_equal(options_edit_distance("abc", ""), 3);
	assert_int_equal(options_edit_distance("wekly", "weekly"), 1);
	/* A swap of two neighbours is one edit, not two substitutions. */
	assert_int_equal(options_edit_distance("dialy", "daily"), 1);
	assert_int_equal(options_edit_distance("kitten", "sitting"), 3);
	assert_string_equal(options_closest_name("wekly", names, 6), "weekly");
	assert_string_equal(options_closest_name("dialy", names, 6), "daily");
	assert_string_equal(options_closest_name("relase", names, 6), "release");
	/* A unique prefix is enough; an ambiguous one is not. */
	assert_string_equal(options_closest_name("rel", names, 6), "release");
	assert_null(options_closest_name("d", names, 6));
	assert_null(options_closest_name("frobnicate", names, 6));
	assert_null(options_closest_name("xy", names, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_stop_at_non_option),
		cmocka_unit_test(test_negated_optarg_and_no_names),
		cmocka_unit_test(test_usage_and_completion),
		cmocka_unit_test(test_closest_name),
	};
	return unit_run("options", tests, ARRAY_SIZE(tests));
}
