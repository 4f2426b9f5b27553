#include "unit.h"
#include "patchid.h"
#include "strbuf.h"

#include "patchid-fixture.h"

static void test_mail_side_equals_git(void **state)
{
	struct strbuf moved = STRBUF_INIT;
	const char *texts[3];
	size_t i;

	/* A file without hunks is hashed with the next one, as git does. */
	strbuf_addf(&moved, "diff --git a/tools/lib/bpf/x.h b/tools/lib/bpf/y.h\n"
		    "similarity index 100%%\nrename from tools/lib/bpf/x.h\n"
		    "rename to tools/lib/bpf/y.h\n%s", edit_diff);
	texts[0] = edit_diff;
	texts[1] = rename_diff;
	texts[2] = moved.buf;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		git_oid ours, git;
		struct strbuf mail = STRBUF_INIT;

		/* What precedes the diff in a mail does not count. */
		strbuf_addf(&mail, "Fix it.\n\nSigned-off-by: A <a@b.c>\n---\n x | 1 +\n\n%s", texts[i]);
		assert_int_equal(patchid_mail(&ours, mail.buf, mail.len), PATCHID_OK);
		git_patch_id(&git, texts[i]);
		assert_true(git_oid_equal(&ours, &git));
		strbuf_release(&mail);
	}
	strbuf_release(&moved);
}

static void test_mail_side_order_does_not_matter(void **state)
{
	const char *second = strstr(edit_diff, "diff --git a/kernel");
	struct strbuf swapped = STRBUF_INIT;
	git_oid a, b;

	strbuf_addstr(&swapped, second);
	strbuf_add(&swapped, edit_diff, (size_t)(second - edit_diff));
	assert_int_equal(patchid_mail(&a, edit_diff, strlen(edit_diff)), PATCHID_OK);
	assert_int_equal(patchid_mail(&b, swapped.buf, swapped.len), PATCHID_OK);
	assert_true(git_oid_equal(&a, &b));
	strbuf_release(&swapped);
}

static void test_mail_side_without_a_diff(void **state)
{
	static const char broken[] = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n";
	git_oid id;
	int r;

	assert_int_equal(patchid_mail(&id, "just words\n", 11), PATCHID_NONE);
	assert_int_equal(patchid_mail(&id, "", 0), PATCHID_NONE);
	/* A hunk cut short is bad input: an answer, never a crash. */
	r = patchid_mail(&id, broken, strlen(broken));
	assert_true(r == PATCHID_OK || r == PATCHID_NONE || r == -1);
}

/*
 * Found by fuzz/fuzz-patch: a hunk count too big for a long overflowed
 * (undefined behaviour; in practice a wrapped, maybe negative count).
 * Any count beyond the input is as good as infinite, whatever its digits
 * (2^64 + 2 wrapped to 2).
 */
static void test_mail_side_huge_hunk_count(void **state)
{
	static const char fuzzed[] = "diff \n--- \n+\n@@ -16666666666666666666";
	static const char *const counts[] = { "18446744073709551618", "99999999999999999999999" };
	git_oid id[2];
	size_t i;
	int r;

	r = patchid_mail(&id[0], fuzzed, strlen(fuzzed));
	assert_true(r == PATCHID_OK || r == PATCHID_NONE);
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		char *diff = xstrfmt("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,%s @@\n"
				     "-a\n+b\n+c\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n"
				     "@@ -1 +1 @@\n-d\n+e\n", counts[i]);

		assert_int_equal(patchid_mail(&id[i], diff, strlen(diff)), PATCHID_OK);
		free(diff);
	}
	assert_true(git_oid_equal(&id[0], &id[1]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_side_equals_git),
		cmocka_unit_test(test_mail_side_order_does_not_matter),
		cmocka_unit_test(test_mail_side_without_a_diff),
		cmocka_unit_test(test_mail_side_huge_hunk_count),
	};
	return unit_run("patchid", tests, ARRAY_SIZE(tests));
}
