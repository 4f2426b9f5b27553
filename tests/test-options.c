#include "unit.h"
#include "options.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_stop_at_non_option),
	};
	return unit_run("options", tests, ARRAY_SIZE(tests));
}
