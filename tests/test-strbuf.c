#include "unit.h"
#include "strbuf.h"

#include <string.h>

static void test_add_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	size_t len;

	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	strbuf_addf(&sb, "%d/%s", 42, "x");
	assert_string_equal(sb.buf, "abc-42/x");
	assert_int_equal(sb.len, 8);
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "abc-42/x");
	assert_int_equal(len, 8);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	free(s);
}

static void test_grow_large(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = 0; i < 100000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	assert_int_equal(sb.len, 100000);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_int_equal(sb.buf[26], 'a');
	strbuf_release(&sb);
}

static void test_trim(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, " \t hello world \n\n");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "hello world");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "   ");
	strbuf_trim(&sb);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
	/* Trimming an untouched buffer must not write to the shared empty string. */
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "");
}

static void test_embedded_nul(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 3);
	strbuf_release(&sb);
}

static void test_read_file(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_true(strbuf_read_file(&sb, "/nonexistent/file") < 0);
	assert_true(strbuf_read_file(&sb, "/proc/self/cmdline") > 0);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_detach),
		cmocka_unit_test(test_grow_large),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_read_file),
	};
	return unit_run("strbuf", tests, ARRAY_SIZE(tests));
}
