#include "unit.h"
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

static void test_alloc_aligned_and_strings(void **state)
{
	struct arena a = ARENA_INIT;
	char *s[2000];
	size_t i;

	for (i = 0; i < 2000; i++) {
		double *d = arena_alloc(&a, sizeof(double) * 3);
		char buf[32];

		/* Every piece is aligned for any type, even among strings. */
		assert_int_equal((uintptr_t)d % sizeof(double), 0);
		d[2] = (double)i;
		snprintf(buf, sizeof(buf), "string %zu", i);
		s[i] = arena_strdup(&a, buf);
	}
	for (i = 0; i < 2000; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "string %zu", i);
		assert_string_equal(s[i], buf);
	}
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	{
		int *z = arena_calloc(&a, 100, sizeof(int));

		for (i = 0; i < 100; i++)
			assert_int_equal(z[i], 0);
	}
	/* A piece bigger than a chunk still works. */
	memset(arena_alloc(&a, 10 << 20), 1, 10 << 20);
	assert_true(a.allocated >= (10 << 20));
	arena_release(&a);
	assert_null(a.chunks);
}

static void test_adopt(void **state)
{
	struct arena a = ARENA_INIT;
	void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(map != MAP_FAILED);
	arena_adopt(&a, xmalloc(100), 100);
	arena_adopt_map(&a, map, 4096);
	/* Freed (and unmapped) with the rest: valgrind and ASan would say otherwise. */
	arena_release(&a);
}

static void test_pool_interns_once(void **state)
{
	struct arena a = ARENA_INIT;
	struct arena_pool p = ARENA_POOL_INIT(&a);
	const char *first, *again, *other;
	char buf[32];
	size_t i;

	first = arena_pool_intern(&p, "jane@example.org>", 16);
	assert_string_equal(first, "jane@example.org");
	again = arena_pool_intern(&p, "jane@example.org", 16);
	assert_ptr_equal(first, again);
	other = arena_pool_intern(&p, "jane@example.com", 16);
	assert_ptr_not_equal(first, other);
	/* Growing the table keeps every string findable. */
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "id-%zu", i);
		arena_pool_intern(&p, buf, strlen(buf));
	}
	assert_ptr_equal(arena_pool_intern(&p, "jane@example.org", 16), first);
	snprintf(buf, sizeof(buf), "id-%d", 4321);
	assert_string_equal(arena_pool_intern(&p, buf, strlen(buf)), "id-4321");
	assert_int_equal(p.nr, 5002);
	arena_pool_release(&p);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_aligned_and_strings),
		cmocka_unit_test(test_adopt),
		cmocka_unit_test(test_pool_interns_once),
	};
	return unit_run("arena", tests, ARRAY_SIZE(tests));
}
