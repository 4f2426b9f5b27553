#include "unit.h"
#include "patchid-cache.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <stdio.h>

static void test_cache_round_trip(void **state)
{
	char *dir = unit_tmpdir(), *file = xstrfmt("%s/patch-id-v2", dir);
	struct patchid_cache cache;
	struct strbuf sb = STRBUF_INIT;
	enum patchid_status st;
	git_oid id, got;
	size_t warnings;
	FILE *f;

	git_oid_fromstr(&id, "0123456789abcdef0123456789abcdef01234567");
	patchid_cache_open(&cache, dir);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 0);
	patchid_cache_put(&cache, "cabc", &id, PATCHID_OK);
	patchid_cache_put(&cache, "cmerge", NULL, PATCHID_NONE);
	assert_int_equal(patchid_cache_flush(&cache), 0);
	patchid_cache_release(&cache);

	/* Another run's damaged and cut-short lines are skipped, with a warning. */
	f = fopen(file, "a");
	fputs("cbad 12345\nc-cut-short 0123", f);
	fclose(f);
	warnings = warning_count();
	usage_set_quiet(1);
	patchid_cache_open(&cache, dir);
	usage_set_quiet(0);
	assert_int_equal(warning_count(), warnings + 1);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 1);
	assert_int_equal(st, PATCHID_OK);
	assert_true(git_oid_equal(&got, &id));
	assert_int_equal(patchid_cache_get(&cache, "cmerge", &got, &st), 1);
	assert_int_equal(st, PATCHID_NONE);
	assert_int_equal(patchid_cache_get(&cache, "cbad", &got, &st), 0);
	assert_int_equal(cache.hits, 2);
	assert_int_equal(cache.misses, 1);
	/* The flush rewrites the damaged file: the next run finds it whole. */
	assert_int_equal(patchid_cache_flush(&cache), 0);
	patchid_cache_release(&cache);
	assert_int_equal(strbuf_read_file(&sb, file), 46 + 9);
	assert_non_null(strstr(sb.buf, "cmerge -\n"));
	assert_null(strstr(sb.buf, "cut-short"));
	strbuf_release(&sb);
	warnings = warning_count();
	patchid_cache_open(&cache, dir);
	assert_int_equal(warning_count(), warnings);
	assert_int_equal(patchid_cache_get(&cache, "cabc", &got, &st), 1);
	patchid_cache_release(&cache);

	/* Without a directory the cache lives for the run only. */
	patchid_cache_open(&cache, NULL);
	patchid_cache_put(&cache, "cx", &id, PATCHID_OK);
	assert_int_equal(patchid_cache_flush(&cache), 0);
	assert_int_equal(patchid_cache_get(&cache, "cx", &got, &st), 1);
	patchid_cache_release(&cache);
	unit_rmtree(dir);
	free(file);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_round_trip),
	};
	return unit_run("patchid-cache", tests, ARRAY_SIZE(tests));
}
