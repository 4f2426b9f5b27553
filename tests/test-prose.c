#include "unit.h"
#include "prose.h"
#include "strbuf.h"

struct sentences {
	char got[8][256];
	size_t nr;
};

static int keep(const char *s, size_t len, void *data)
{
	struct sentences *out = data;

	if (out->nr < 8)
		snprintf(out->got[out->nr++], 256, "%.*s", (int)len, s);
	return 0;
}

static int count(const char *s, size_t len, void *data)
{
	return 0;
}

static void test_sentences_keep_abbreviations(void **state)
{
	struct sentences s = { .nr = 0 };

	prose_sentences("Use foo() here, e.g. on v6.12 kernels. It works. Does it? Yes!", keep, &s);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.got[0], "Use foo() here, e.g. on v6.12 kernels.");
	assert_string_equal(s.got[1], "It works.");
	assert_string_equal(s.got[2], "Does it?");
	assert_string_equal(s.got[3], "Yes!");
}

static void test_sentences_identifiers_quotes_initials(void **state)
{
	struct sentences s = { .nr = 0 };

	prose_sentences("Reported by A. Starovoitov, i.e. the maintainer. bpftrace is useful "
			  "(see the docs.) It calls \"foo().\" Then it stops\nNew paragraph",
			  keep, &s);
	assert_int_equal(s.nr, 5);
	assert_string_equal(s.got[0], "Reported by A. Starovoitov, i.e. the maintainer.");
	assert_string_equal(s.got[1], "bpftrace is useful (see the docs.)");
	assert_string_equal(s.got[2], "It calls \"foo().\"");
	assert_string_equal(s.got[3], "Then it stops");
	assert_string_equal(s.got[4], "New paragraph");
	assert_int_equal(prose_sentences("", count, NULL), 0);
}

static void test_prose_drops_noise(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	prose_text(&sb,
		"The map leaks when the\nlookup fails.\n\n"
		"  BUG: KASAN: use-after-free in foo+0x10\n  Call Trace:\n\n"
		"On Mon, Jane wrote:\n> quoted\n\n"
		"Link: https://lore.kernel.org/r/x@y\n\n"
		"Fix it.\n\n"
		"Signed-off-by: A <a@b.c>\n");
	assert_string_equal(sb.buf, "The map leaks when the lookup fails.\nFix it.");
	strbuf_release(&sb);
}

static void test_prose_headers_footnotes_notes_changelog(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	prose_text(&sb,
		"From: Andrea Righi <arighi@nvidia.com>\n\n"
		"Hi all,\n\n"
		"Add a selftest for the deadline server [1], as\nsuggested in [2].\n"
		"[ Joel: Replaced occurences of CFS in the test\n  with EXT. ]\n\n"
		"- a list item\n* another\n1. first\n3-5: the rest\n\n"
		"The verifier now tracks it:\n"
		"if (x) {\n\treturn 0;\n}\n\n"
		"Fixes: 0123456789ab (\"bpf: Something\")\n"
		"Reported-by: X <x@y.z>\n\n"
		"Changes in v2:\n- Rebased.\n\n"
		"Later text is changelog.\n\n"
		"Thanks,\nJane\n");
	assert_string_equal(sb.buf,
			    "Add a selftest for the deadline server, as suggested.\n"
			    "The verifier now tracks it:");
	strbuf_reset(&sb);
	/* A cover: shortlog and diffstat end the prose; a changelog first is skipped. */
	prose_text(&sb,
		"v2:\n- first item\n\n"
		"This series adds widgets.\n\n"
		"Jane Dev (2):\n  bpf: Add widget maps\n\n"
		" kernel/bpf/widget.c | 1 +\n 1 file changed\n");
	assert_string_equal(sb.buf, "This series adds widgets.");
	strbuf_release(&sb);
}

static void item(const char *text, unsigned version, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int found = prose_changelog_item(&sb, text, version);

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

	prose_changelog(&sb, "Intro.\n\nv2:\n- a\n  more\n- b\n\nv1:\n- c\n\nOutro.\n");
	assert_string_equal(sb.buf, "v2:\n- a more\n- b\nv1:\n- c\n");
	strbuf_reset(&sb);
	prose_diffstat(&sb, "v2: x\n\n kernel/bpf/a.c | 3 +-\n b.bin | Bin 0 -> 12 bytes\n"
			 " 2 files changed, 2 insertions(+)\n");
	assert_string_equal(sb.buf, "kernel/bpf/a.c | 3 +-\nb.bin | Bin 0 -> 12 bytes\n"
			    "2 files changed, 2 insertions(+)\n");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_keep_abbreviations),
		cmocka_unit_test(test_sentences_identifiers_quotes_initials),
		cmocka_unit_test(test_prose_drops_noise),
		cmocka_unit_test(test_prose_headers_footnotes_notes_changelog),
		cmocka_unit_test(test_changelog_items),
		cmocka_unit_test(test_changelog_and_diffstat),
	};
	return unit_run("prose", tests, ARRAY_SIZE(tests));
}
