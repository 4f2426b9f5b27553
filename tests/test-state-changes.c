/*
 * test-state-changes.c - how an applied commit differs from its posting:
 * lines added and removed per file, whitespace, offsets, signatures,
 * deletions, binary files and the description.
 */
#include "unit.h"
#include "state-changes.h"
#include "strbuf.h"

/* As a mail carries it: a hunk, then the signature git send-email adds. */
static const char posted[] =
	"diff --git a/src/ringbuf.c b/src/ringbuf.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/src/ringbuf.c\n"
	"+++ b/src/ringbuf.c\n"
	"@@ -10,4 +10,6 @@ static int process(struct ring *r)\n"
	" \tint cnt = 0;\n"
	"-\tif (res > INT_MAX)\n"
	"-\t\treturn INT_MAX;\n"
	"+\tif (res > INT_MAX) {\n"
	"+\t\tres = INT_MAX;\n"
	"+\t\tbreak;\n"
	"+\t}\n"
	" \treturn res;\n"
	"diff --git a/src/old.c b/src/old.c\n"
	"deleted file mode 100644\n"
	"index 3333333..0000000\n"
	"--- a/src/old.c\n"
	"+++ /dev/null\n"
	"@@ -1,2 +0,0 @@\n"
	"-int old;\n"
	"-int older;\n"
	"-- \n"
	"2.43.0\n";

static size_t compare(struct state_changes **c, const char *a, const char *b)
{
	return state_changes_compare(c, a, strlen(a), b, strlen(b), NULL, NULL);
}

static void test_same_change_is_no_change(void **state)
{
	struct state_changes *c = (void *)1;
	/* Another offset, other context, re-indented, no signature: the same change. */
	const char *applied =
		"diff --git a/src/ringbuf.c b/src/ringbuf.c\n"
		"--- a/src/ringbuf.c\n"
		"+++ b/src/ringbuf.c\n"
		"@@ -40,3 +42,5 @@\n"
		"-\tif (res > INT_MAX)\n"
		"-\t\treturn INT_MAX;\n"
		"+    if (res > INT_MAX) {\n"
		"+\t\tres = INT_MAX;\n"
		"+\t\tbreak;\n"
		"+\t}\n"
		" \tgoto done;\n"
		"diff --git a/src/old.c b/src/old.c\n"
		"deleted file mode 100644\n"
		"--- a/src/old.c\n"
		"+++ /dev/null\n"
		"@@ -1,2 +0,0 @@\n"
		"-int old;\n"
		"-int older;\n";

	assert_int_equal(compare(&c, posted, applied), 0);
	assert_null(c);
	assert_int_equal(compare(&c, posted, posted), 0);
	assert_null(c);
}

/* A mirror's tree: src/ and nothing else. */
static int only_src(const char *path, void *data)
{
	(void)data;
	return !strncmp(path, "src/", 4);
}

static void test_other_trees_say_nothing(void **state)
{
	struct state_changes *c = (void *)1;
	/* A kernel posting against a mirror's commit, the paths not mapped. */
	const char *kernel =
		"diff --git a/tools/lib/bpf/btf.c b/tools/lib/bpf/btf.c\n"
		"--- a/tools/lib/bpf/btf.c\n"
		"+++ b/tools/lib/bpf/btf.c\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n";
	const char *mirror =
		"diff --git a/src/btf.c b/src/btf.c\n"
		"--- a/src/btf.c\n"
		"+++ b/src/btf.c\n"
		"@@ -1 +1 @@\n"
		"-a\n"
		"+b\n";

	assert_int_equal(compare(&c, kernel, mirror), 0);
	assert_null(c);
	/* A path in common, another the tree lacks: still another tree's paths. */
	{
		struct strbuf both = STRBUF_INIT;

		strbuf_addstr(&both, kernel);
		strbuf_addstr(&both, mirror);
		assert_int_equal(state_changes_compare(&c, both.buf, both.len, mirror, strlen(mirror),
						       only_src, NULL), 0);
		assert_null(c);
		/* Without the check, the kernel file is one the commit left out. */
		assert_int_equal(compare(&c, both.buf, mirror), 1);
		assert_string_equal(c->files[0].path, "tools/lib/bpf/btf.c");
		state_changes_free(c);
		strbuf_release(&both);
	}
	/* A file the posting creates need not be in the tree before. */
	assert_int_equal(state_changes_compare(&c, posted, strlen(posted), posted, strlen(posted),
					       only_src, NULL), 0);
	assert_null(c);
}

static void test_lines_added_and_removed(void **state)
{
	struct state_changes *c;
	struct strbuf sb = STRBUF_INIT;
	/* The maintainer kept the early return, and added a file. */
	const char *applied =
		"diff --git a/src/ringbuf.c b/src/ringbuf.c\n"
		"--- a/src/ringbuf.c\n"
		"+++ b/src/ringbuf.c\n"
		"@@ -10,3 +10,4 @@\n"
		" \tint cnt = 0;\n"
		"-\t\treturn INT_MAX;\n"
		"+\t\tres = INT_MAX;\n"
		"+\t\tres = INT_MAX;\n"
		" \treturn res;\n"
		"diff --git a/src/new.h b/src/new.h\n"
		"new file mode 100644\n"
		"--- /dev/null\n"
		"+++ b/src/new.h\n"
		"@@ -0,0 +1 @@\n"
		"+#define NEW 1\n"
		"diff --git a/src/old.c b/src/old.c\n"
		"deleted file mode 100644\n"
		"--- a/src/old.c\n"
		"+++ /dev/null\n"
		"@@ -1,2 +0,0 @@\n"
		"-int old;\n"
		"-int older;\n";

	assert_int_equal(compare(&c, posted, applied), 2);
	assert_non_null(c);
	assert_string_equal(c->files[0].path, "src/new.h");
	assert_int_equal(c->files[0].added, 1);
	assert_int_equal(c->files[0].removed, 0);
	/* +res twice against once; the posting's if, break, } and -if are not there. */
	assert_string_equal(c->files[1].path, "src/ringbuf.c");
	assert_int_equal(c->files[1].added, 1);
	assert_int_equal(c->files[1].removed, 4);
	assert_int_equal(c->added, 2);
	assert_int_equal(c->removed, 4);
	state_describe_changes(&sb, c);
	assert_string_equal(sb.buf, "applied with changes to src/new.h, src/ringbuf.c, +2 \u22124");
	strbuf_release(&sb);
	state_changes_free(c);
}

static void test_file_left_out_and_deletion_named(void **state)
{
	struct state_changes *c;
	/* Applied without the deletion: the file is named by its old path. */
	const char *applied =
		"diff --git a/src/ringbuf.c b/src/ringbuf.c\n"
		"--- a/src/ringbuf.c\n"
		"+++ b/src/ringbuf.c\n"
		"@@ -10,2 +10,4 @@\n"
		"-\tif (res > INT_MAX)\n"
		"-\t\treturn INT_MAX;\n"
		"+\tif (res > INT_MAX) {\n"
		"+\t\tres = INT_MAX;\n"
		"+\t\tbreak;\n"
		"+\t}\n";

	assert_int_equal(compare(&c, posted, applied), 1);
	assert_string_equal(c->files[0].path, "src/old.c");
	assert_int_equal(c->files[0].added, 0);
	assert_int_equal(c->files[0].removed, 2);
	state_changes_free(c);
}

static void test_the_diff_ends_where_patch_id_stops(void **state)
{
	struct state_changes *c;
	/* A line after the last hunk ends the diff: "-- " is no removed line. */
	struct strbuf longer = STRBUF_INIT;

	strbuf_addstr(&longer, posted);
	strbuf_addstr(&longer, "-int not_a_change;\n+neither;\n");
	assert_int_equal(compare(&c, posted, longer.buf), 0);
	assert_null(c);
	/* A hunk whose counts run past the text is read as far as it goes. */
	assert_int_equal(compare(&c, "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,9 +1,9 @@\n-a\n+b\n",
				 "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"), 0);
	assert_null(c);
	strbuf_release(&longer);
}

static void test_binary_files(void **state)
{
	struct state_changes *c;
	const char *bin = "diff --git a/logo.png b/logo.png\n"
			  "index 1111111..2222222 100644\n"
			  "GIT binary patch\n"
			  "literal 4\n"
			  "LcmZQzWMT#Y01f~L\n"
			  "\n"
			  "literal 0\n"
			  "HcmV?d00001\n"
			  "\n";

	/* Both have it: nothing to tell them apart by. */
	assert_int_equal(compare(&c, bin, "diff --git a/logo.png b/logo.png\n"
				 "Binary files a/logo.png and b/logo.png differ\n"), 0);
	assert_null(c);
	/* Files after a binary one are still read. */
	{
		struct strbuf both = STRBUF_INIT;

		strbuf_addstr(&both, bin);
		strbuf_addstr(&both, posted);
		assert_int_equal(compare(&c, both.buf, bin), 2);
		assert_string_equal(c->files[0].path, "src/old.c");
		assert_string_equal(c->files[1].path, "src/ringbuf.c");
		assert_int_equal(c->removed, 8);
		state_changes_free(c);
		/* One has it alone: a change of its own, of no lines. */
		assert_int_equal(compare(&c, both.buf, posted), 1);
		assert_string_equal(c->files[0].path, "logo.png");
		assert_int_equal(c->added + c->removed, 0);
		state_changes_free(c);
		strbuf_release(&both);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_change_is_no_change),
		cmocka_unit_test(test_other_trees_say_nothing),
		cmocka_unit_test(test_lines_added_and_removed),
		cmocka_unit_test(test_file_left_out_and_deletion_named),
		cmocka_unit_test(test_the_diff_ends_where_patch_id_stops),
		cmocka_unit_test(test_binary_files),
	};

	return unit_run("state-changes", tests, ARRAY_SIZE(tests));
}
