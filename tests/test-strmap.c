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

static int freed;

static void count_free(void *value)
{
	freed++;
	free(value);
}

static void test_multimap(void **state)
{
	struct strmap map = STRMAP_INIT;
	int a, b, c;
	struct strmap_list *list;

	strmap_list_add(&map, "k", &a);
	strmap_list_add(&map, "k", &a);	/* a repeat of the last item is skipped */
	strmap_list_add(&map, "k", &b);
	strmap_list_add(&map, "k", &a);	/* not the last: kept */
	strmap_list_add(&map, "other", &c);
	list = strmap_get(&map, "k");
	assert_int_equal(list->nr, 3);
	assert_ptr_equal(list->items[0], &a);
	assert_ptr_equal(list->items[1], &b);
	assert_ptr_equal(list->items[2], &a);
	strmap_clear_values(&map, strmap_list_free);
	assert_int_equal(map.nr, 0);
}

static void test_clear_values(void **state)
{
	struct strmap map = STRMAP_INIT;

	strmap_put(&map, "a", xstrdup("x"));
	strmap_put(&map, "b", xstrdup("y"));
	freed = 0;
	strmap_clear_values(&map, count_free);
	assert_int_equal(freed, 2);
	strmap_put(&map, "c", xstrdup("z"));
	strmap_clear_values(&map, NULL);	/* plain free() */
	assert_null(strmap_get(&map, "c"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_remove),
		cmocka_unit_test(test_replace_returns_old),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_multimap),
		cmocka_unit_test(test_clear_values),
	};
	return unit_run("strmap", tests, ARRAY_SIZE(tests));
}
