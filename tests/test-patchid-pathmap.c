#include "unit.h"
#include "patchid.h"
#include "patchid-pathmap.h"
#include "strbuf.h"

#include "patchid-fixture.h"

static void test_pathmap_paths(void **state)
{
	struct patchid_pathmap map = PATCHID_PATHMAP_INIT;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(patchid_pathmap_add(&map, "tools/bpf/bpftool/:src/"), 0);
	assert_int_equal(patchid_pathmap_add(&map, "tools/bpf/bpftool/Documentation/:docs/"), 0);
	assert_int_equal(patchid_pathmap_add(&map, "no-colon"), -1);
	assert_int_equal(patchid_pathmap_add(&map, ":src/"), -1);
	assert_int_equal(patchid_pathmap_path(&sb, &map, "tools/bpf/bpftool/main.c"), 1);
	assert_string_equal(sb.buf, "src/main.c");
	strbuf_reset(&sb);
	/* The longest prefix wins. */
	assert_int_equal(patchid_pathmap_path(&sb, &map, "tools/bpf/bpftool/Documentation/x.rst"), 1);
	assert_string_equal(sb.buf, "docs/x.rst");
	strbuf_reset(&sb);
	assert_int_equal(patchid_pathmap_path(&sb, &map, "kernel/bpf/core.c"), 0);
	assert_string_equal(sb.buf, "");
	patchid_pathmap_release(&map);
	strbuf_release(&sb);
}

static void test_pathmap_diff(void **state)
{
	struct patchid_pathmap map = PATCHID_PATHMAP_INIT;
	struct strbuf out = STRBUF_INIT, expect = STRBUF_INIT;
	const char *second = strstr(edit_diff, "diff --git a/kernel"), *p, *path;
	git_oid mapped, direct;

	patchid_pathmap_add(&map, "tools/lib/bpf/:src/");
	/* The kernel file is dropped, the library file renamed. */
	assert_int_equal(patchid_pathmap_diff(&out, &map, edit_diff, strlen(edit_diff)), 1);
	for (p = edit_diff; p < second; p = path + 14) {
		path = strstr(p, "tools/lib/bpf/");
		if (!path || path > second)
			path = second;
		strbuf_add(&expect, p, (size_t)(path - p));
		if (path < second)
			strbuf_addstr(&expect, "src/");
	}
	/* The first file alone, its paths rewritten. */
	assert_string_equal(out.buf, expect.buf);
	strbuf_reset(&out);
	assert_int_equal(patchid_pathmap_diff(&out, &map, rename_diff, strlen(rename_diff)), 1);
	assert_non_null(strstr(out.buf, "diff --git a/src/old.h b/src/new.h\n"));
	assert_non_null(strstr(out.buf, "\nrename from src/old.h\nrename to src/new.h\n"));
	assert_non_null(strstr(out.buf, "\n--- a/src/old.h\n+++ b/src/new.h\n"));
	/* Mapped, the id is that of the same diff written with the new paths. */
	assert_int_equal(patchid_mail(&mapped, out.buf, out.len), PATCHID_OK);
	git_patch_id(&direct, out.buf);
	assert_true(git_oid_equal(&mapped, &direct));
	strbuf_reset(&out);
	assert_int_equal(patchid_pathmap_diff(&out, &map, second, strlen(second)), 0);
	assert_int_equal(out.len, 0);
	patchid_pathmap_release(&map);
	strbuf_release(&out);
	strbuf_release(&expect);
}

static void test_pathmap_fingerprint(void **state)
{
	struct patchid_pathmap a = PATCHID_PATHMAP_INIT, b = PATCHID_PATHMAP_INIT;
	struct strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;

	patchid_pathmap_fingerprint(&fa, &a);
	assert_string_equal(fa.buf, "");
	patchid_pathmap_add(&a, "tools/lib/bpf/:src/");
	patchid_pathmap_add(&b, "tools/lib/bpf/:lib/");
	patchid_pathmap_fingerprint(&fa, &a);
	patchid_pathmap_fingerprint(&fb, &b);
	assert_int_equal(fa.len, 8);
	assert_string_not_equal(fa.buf, fb.buf);
	patchid_pathmap_release(&a);
	patchid_pathmap_release(&b);
	strbuf_release(&fa);
	strbuf_release(&fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pathmap_paths),
		cmocka_unit_test(test_pathmap_diff),
		cmocka_unit_test(test_pathmap_fingerprint),
	};
	return unit_run("patchid-pathmap", tests, ARRAY_SIZE(tests));
}
