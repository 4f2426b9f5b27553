#include "unit.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>

static void test_strings(void **state)
{
	char *s = xstrdup("abc"), *t = xstrndup("abcdef", 4), *u = xstrdup_or_null(NULL);

	assert_string_equal(s, "abc");
	assert_string_equal(t, "abcd");
	assert_null(u);
	free(s);
	free(t);
	s = xstrfmt("%s-%d", "v", 2);
	assert_string_equal(s, "v-2");
	free(s);
}

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_alloc_grow(void **state)
{
	int *items = NULL;
	size_t nr = 0, alloc = 0, i;

	for (i = 0; i < 1000; i++) {
		ALLOC_GROW(items, nr + 1, alloc);
		items[nr++] = (int)i;
	}
	assert_true(alloc >= 1000 && alloc < 2000);
	assert_int_equal(items[999], 999);
	free(items);
	/* An empty, NULL array is not handed to qsort() (which wants non-NULL). */
	items = NULL;
	QSORT(items, nr - 1000, compare_ints);
	assert_null(items);
}

static void test_overflow_dies(void **state)
{
	assert_int_equal(st_mult(3, 4), 12);
	assert_int_equal(st_mult(SIZE_MAX, 0), 0);
	UNIT_EXPECT_DIE(st_mult(SIZE_MAX / 2, 3));
	assert_non_null(strstr(unit_died_msg, "size overflow"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_alloc_grow),
		cmocka_unit_test(test_overflow_dies),
	};
	return unit_run("xalloc", tests, ARRAY_SIZE(tests));
}
