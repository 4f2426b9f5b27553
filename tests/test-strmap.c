#include "unit.h"
#include "strmap.h"

#include <stdio.h>
#include <string.h>

static void test_put_get_remove(void **state)
{
	struct strmap map = STRMAP_INIT_DUP;
	char key[32];
	int values[5000];
	size_t i;

	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key-%zu", i);
		values[i] = (int)i;
		assert_null(strmap_put(&map, key, &values[i]));
	}
	assert_int_equal(map.nr, 5000);
	for (i = 0; i < 5000; i += 2) {
		snprintf(key, sizeof(key), "key-%zu", i);
		assert_ptr_equal(strmap_remove(&map, key), &values[i]);
	}
	assert_int_equal(map.nr, 2500);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key-%zu", i);
		if (i % 2)
			assert_ptr_equal(strmap_get(&map, key), &values[i]);
		else
			assert_null(strmap_get(&map, key));
	}
	/* Re-inserting over tombstones keeps the count right. */
	for (i = 0; i < 5000; i += 2) {
		snprintf(key, sizeof(key), "key-%zu", i);
		strmap_put(&map, key, &values[i]);
	}
	assert_int_equal(map.nr, 5000);
	strmap_clear(&map);
	assert_int_equal(map.nr, 0);
	assert_null(strmap_get(&map, "key-1"));
}

static void test_replace_returns_old(void **state)
{
	struct strmap map = STRMAP_INIT;
	int a, b;

	assert_null(strmap_put(&map, "x", &a));
	assert_ptr_equal(strmap_put(&map, "x", &b), &a);
	assert_ptr_equal(strmap_get(&map, "x"), &b);
	assert_int_equal(map.nr, 1);
	strmap_clear(&map);
}

static void test_iterate(void **state)
{
	struct strmap map = STRMAP_INIT;
	const char *keys[] = { "a", "b", "c" };
	size_t i, iter = 0, seen = 0;
	const char *k;
	void *v;

	for (i = 0; i < 3; i++)
		strmap_put(&map, keys[i], (void *)keys[i]);
	while (strmap_next(&map, &iter, &k, &v)) {
		assert_string_equal(k, v);
		seen++;
	}
	assert_int_equal(seen, 3);
	strmap_clear(&map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_remove),
		cmocka_unit_test(test_replace_returns_old),
		cmocka_unit_test(test_iterate),
	};
	return unit_run("strmap", tests, ARRAY_SIZE(tests));
}
