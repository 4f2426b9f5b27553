#include "unit.h"
#include "usage.h"

#include <errno.h>
#include <stdio.h>

static void test_die_and_die_errno(void **state)
{
	UNIT_EXPECT_DIE(die("cannot open inbox '%s': %s", "x", "gone"));
	assert_int_equal(unit_died_code, EXIT_FATAL);
	assert_string_equal(unit_died_msg, "cannot open inbox 'x': gone");
	errno = ENOENT;
	UNIT_EXPECT_DIE(die_errno("cannot read '%s'", "f"));
	assert_int_equal(unit_died_code, 128);
	assert_string_equal(unit_died_msg, "cannot read 'f': No such file or directory");
	assert_int_equal(EXIT_USAGE, 129);
}

static void test_error_returns_minus_one_keeps_errno(void **state)
{
	assert_int_equal(error("bad '%s'", "x"), -1);
	errno = EACCES;
	assert_int_equal(error_errno("cannot write '%s'", "y"), -1);
	assert_int_equal(errno, EACCES);
}

static void test_warnings_count_even_when_quiet(void **state)
{
	size_t before = warning_count();

	warning("one");
	usage_set_quiet(1);
	warning("two, not printed");
	usage_set_quiet(0);
	assert_int_equal(warning_count(), before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_die_and_die_errno),
		cmocka_unit_test(test_error_returns_minus_one_keeps_errno),
		cmocka_unit_test(test_warnings_count_even_when_quiet),
	};
	return unit_run("usage", tests, ARRAY_SIZE(tests));
}
