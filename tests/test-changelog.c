#include "unit.h"
#include "changelog.h"
#include "strbuf.h"

static void item(const char *text, unsigned version, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int found = changelog_item(&sb, text, version);

	if (!want) {
		assert_int_equal(found, 0);
	} else {
		assert_int_equal(found, 1);
		assert_string_equal(sb.buf, want);
	}
	strbuf_release(&sb);
}

static void test_changelog_items(void **state)
{
	/* b4: placeholders and links to older revisions are no items. */
	item("Intro.\n\nChanges in v3:\n- EDITME: describe\n- Fix the leak in foo().\n"
	     "- Link to v2: https://lore.kernel.org/r/x\n", 3, "fix the leak in foo()");
	item("v2 -> v3: Use a spinlock (Andrii)\nv1 -> v2: Rebased\n", 3, "use a spinlock (Andrii)");
	item("v2 -> v3: Use a spinlock\nv1 -> v2: Rebased\n", 2, "rebased");
	item("v3:\n  - Drop patch 2\n    as requested\n  - Other\nv2:\n  - old\n", 3,
	     "drop patch 2 as requested");
	item("Changes since v2:\n * Keep BPF_F_FOO\n", 3, "keep BPF_F_FOO");
	item("Changes:\n- Add a test\n", 2, "add a test");
	item("v8: - Add stripped down qcfg\n", 8, "add stripped down qcfg");
	item("V3: https://lore.kernel.org/bpf/x/\nV4: fix the build on arm64\n", 4,
	     "fix the build on arm64");
	/* Numbered changelogs for other revisions say nothing of this one. */
	item("v2:\n- old\n", 3, NULL);
	/* Prose that merely starts like a header is not a changelog. */
	item("Changes to the verifier are needed:\n- this is not one\n", 2, NULL);
	item("v2 of the series was broken.\n", 2, NULL);
	item(NULL, 2, NULL);
}

static void test_changelog_and_diffstat(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	changelog_lines(&sb, "Intro.\n\nv2:\n- a\n  more\n- b\n\nv1:\n- c\n\nOutro.\n");
	assert_string_equal(sb.buf, "v2:\n- a more\n- b\nv1:\n- c\n");
	strbuf_reset(&sb);
	changelog_diffstat(&sb, "v2: x\n\n kernel/bpf/a.c | 3 +-\n b.bin | Bin 0 -> 12 bytes\n"
			 " 2 files changed, 2 insertions(+)\n");
	assert_string_equal(sb.buf, "kernel/bpf/a.c | 3 +-\nb.bin | Bin 0 -> 12 bytes\n"
			    "2 files changed, 2 insertions(+)\n");
	strbuf_release(&sb);
}

static void test_underlines_and_wrapped_items(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	/* 20240530201616.1316526-1-almasrymina@google.com: "====" is an underline. */
	assert_int_equal(changelog_item(&sb,
		"v10: https://patchwork.kernel.org/project/netdevbpf/list/?series=852422&state=*\n"
		"====\n\n"
		"Major Changes:\n"
		"--------------\n\n"
		"v9 was sent right before the merge window closed (sorry!).\n", 10), 0);
	assert_int_equal(sb.len, 0);
	/* cover.1720146231.git.tanggeliang@kylinos.cn: an item wrapped mid-quote. */
	if (changelog_item(&sb,
		"v2:\n"
		" - Although all CI tests passed on x86_64 \"bpf/vmtest-bpf-next-VM_Test-22\n"
		"Logs for x86_64-gcc / test (test_progs, false, 360) / test_progs on x86_64\n"
		"with gcc\", some unexpect \"SKIP\"s are showed in the log:\n\n"
		"  #29/1    bpf_tcp_ca/dctcp:SKIP\n", 2))
		assert_non_null(strstr(sb.buf, "with gcc\""));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changelog_items),
		cmocka_unit_test(test_changelog_and_diffstat),
		cmocka_unit_test(test_underlines_and_wrapped_items),
	};
	return unit_run("changelog", tests, ARRAY_SIZE(tests));
}
