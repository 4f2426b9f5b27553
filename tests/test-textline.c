#include "unit.h"
#include "strbuf.h"
#include "textline.h"

static void test_next_trims_each_line(void **state)
{
	const char *p = "  first line  \n\n\tlast";
	struct textline ln;

	assert_int_equal(textline_next(&p, &ln), 1);
	assert_int_equal(ln.rawlen, 14);
	assert_int_equal(ln.len, 10);
	assert_memory_equal(ln.l, "first line", 10);
	assert_int_equal(textline_next(&p, &ln), 1);
	assert_int_equal(ln.len, 0);
	assert_int_equal(textline_next(&p, &ln), 1);
	assert_int_equal(ln.len, 4);
	assert_memory_equal(ln.l, "last", 4);
	assert_int_equal(textline_next(&p, &ln), 0);
}

static void test_stop_and_junk_lines(void **state)
{
#define LINE(s) s, strlen(s)
	assert_true(textline_is_stop(LINE("-- "), LINE("--")));
	assert_true(textline_is_stop(LINE(" 3 files changed, 10 insertions(+)"),
				     LINE("3 files changed, 10 insertions(+)")));
	assert_true(textline_is_stop(LINE("Jane Developer (3):"), LINE("Jane Developer (3):")));
	assert_false(textline_is_stop(LINE("The map leaks."), LINE("The map leaks.")));
	assert_true(textline_is_separator(LINE("=====")));
	assert_true(textline_is_code_or_log(LINE("Call Trace:")));
	assert_true(textline_is_shell(LINE("$ bpftool prog show")));
	assert_true(textline_is_pasted(LINE("R1=0x1 R2=0x2 R3=0x3")));
	assert_true(textline_is_greeting(LINE("Hi all,")));
	assert_false(textline_is_code_or_log(LINE("The map leaks when the lookup fails.")));
	assert_int_equal(textline_bullet_len(LINE("- an item")), 2);
	assert_int_equal(textline_bullet_len(LINE("1. an item")), 3);
	assert_int_equal(textline_bullet_len(LINE("an item")), 0);
#undef LINE
}

static void test_changelog_headers(void **state)
{
	unsigned version;
	size_t rest;

	assert_true(textline_changelog_header("Changes in v3:", 14, &version, &rest));
	assert_int_equal(version, 3);
	assert_int_equal(rest, 14);
	assert_true(textline_changelog_header("v2 -> v3:", 9, &version, &rest));
	assert_int_equal(version, 3);
	assert_false(textline_changelog_header("The map leaks.", 14, &version, &rest));
}

static void test_words(void **state)
{
	assert_int_equal(textline_count_words("  two  words ", 13), 2);
	assert_true(textline_is_verb("Fix", 3));
	assert_false(textline_is_verb("fixes", 5));
	assert_true(textline_is_english_start("when TCP over IPv4", 18));
	assert_false(textline_is_english_start("bpftrace is useful", 18));
	assert_true(textline_starts_with_ci("Signed-off-by: A", 16, "signed-off-by:"));
}

static void test_strip_footnotes(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "as described in [1] the map leaks");
	textline_strip_footnotes(&sb, 0);
	assert_null(strstr(sb.buf, "[1]"));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_trims_each_line),
		cmocka_unit_test(test_stop_and_junk_lines),
		cmocka_unit_test(test_changelog_headers),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_strip_footnotes),
	};
	return unit_run("textline", tests, ARRAY_SIZE(tests));
}
