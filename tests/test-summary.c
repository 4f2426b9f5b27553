#include "unit.h"
#include "digest-fixture.h"
#include "date.h"
#include "strbuf.h"
#include "summary.h"

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

	summary_sentences("Use foo() here, e.g. on v6.12 kernels. It works. Does it? Yes!", keep, &s);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.got[0], "Use foo() here, e.g. on v6.12 kernels.");
	assert_string_equal(s.got[1], "It works.");
	assert_string_equal(s.got[2], "Does it?");
	assert_string_equal(s.got[3], "Yes!");
}

static void test_sentences_identifiers_quotes_initials(void **state)
{
	struct sentences s = { .nr = 0 };

	summary_sentences("Reported by A. Starovoitov, i.e. the maintainer. bpftrace is useful "
			  "(see the docs.) It calls \"foo().\" Then it stops\nNew paragraph",
			  keep, &s);
	assert_int_equal(s.nr, 5);
	assert_string_equal(s.got[0], "Reported by A. Starovoitov, i.e. the maintainer.");
	assert_string_equal(s.got[1], "bpftrace is useful (see the docs.)");
	assert_string_equal(s.got[2], "It calls \"foo().\"");
	assert_string_equal(s.got[3], "Then it stops");
	assert_string_equal(s.got[4], "New paragraph");
	assert_int_equal(summary_sentences("", count, NULL), 0);
}

static void test_fragments_left_out(void **state)
{
	struct fixture f;
	struct strbuf sb = STRBUF_INIT;

	memset(&f, 0, sizeof(f));
	fixture_add(&f, JANE, "frag@x", NULL, MON, "[PATCH] selftests: Fix build warnings",
		    "Fix\n\n  clone3.c:57:6: warning: unused variable 'ret'\n\n"
		    "by removing the unused variables. bpftool is fine as it is.\n---\n x | 1 +\n");
	series_build(&f.set, f.mails, f.nr);
	summary_patch(&sb, fixture_patch_of(&f, "frag@x"));
	assert_string_equal(sb.buf, "bpftool is fine as it is. It is a standalone patch by Jane Dev.");
	strbuf_release(&sb);
	fixture_release(&f);
}

static void test_prose_drops_noise(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	summary_prose(&sb,
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

	summary_prose(&sb,
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
	summary_prose(&sb,
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
	int found = summary_changelog_item(&sb, text, version);

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

	summary_changelog(&sb, "Intro.\n\nv2:\n- a\n  more\n- b\n\nv1:\n- c\n\nOutro.\n");
	assert_string_equal(sb.buf, "v2:\n- a more\n- b\nv1:\n- c\n");
	strbuf_reset(&sb);
	summary_diffstat(&sb, "v2: x\n\n kernel/bpf/a.c | 3 +-\n b.bin | Bin 0 -> 12 bytes\n"
			 " 2 files changed, 2 insertions(+)\n");
	assert_string_equal(sb.buf, "kernel/bpf/a.c | 3 +-\nb.bin | Bin 0 -> 12 bytes\n"
			    "2 files changed, 2 insertions(+)\n");
	strbuf_release(&sb);
}

static void clause(const char *title, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(summary_title_clause(&sb, title), want != NULL);
	assert_string_equal(sb.buf, want ? want : "");
	strbuf_release(&sb);
}

static void test_title_clauses(void **state)
{
	clause("bpf: Add widget maps", "adds widget maps");
	clause("selftests/bpf: fix signedness bug", "fixes signedness bug");
	clause("bpf, x86: Support stack arguments", "supports stack arguments");
	clause("libbpf: Verify BTF", "verifies BTF");
	clause("bpf: Teach the verifier about foo", "teaches the verifier about foo");
	clause("bpf: Do not leak", "does not leak");
	clause("More gen_loader fixes", NULL);
	clause("bpf: Widget support", NULL);
	clause("net: Addition of things", NULL);
}

static void test_series_clause_and_place(void **state)
{
	struct fixture f;
	struct strbuf sb = STRBUF_INIT;
	struct series_patch *p;
	struct sentences s = { .nr = 0 };

	fixture_widgets(&f);
	p = fixture_patch_of(&f, "p2@x");
	assert_int_equal(summary_clause(&sb, p->revision), 2);
	assert_string_equal(sb.buf, "adds widget maps to BPF");
	strbuf_reset(&sb);
	assert_int_equal(summary_clause(&sb, fixture_patch_of(&f, "b1@y")->revision), 1);
	assert_string_equal(sb.buf, "fixes flaky test");
	strbuf_reset(&sb);

	summary_patch(&sb, p);
	assert_string_equal(sb.buf,
		"Maps of widgets cannot be created today, so programs keep widgets in arrays "
		"and search them, e.g. in the XDP path. That is slow. "
		"Add BPF_MAP_TYPE_WIDGET, which stores widgets by id. "
		"It is patch 1/2 of Jane Dev's v2 series \"bpf: Widget support\" for bpf-next, "
		"replacing v1 of April 6: fix the refcount leak in widget_free(). "
		"Patch 2 adds selftests.");
	summary_sentences(sb.buf, keep, &s);
	assert_int_equal(s.nr, 5);

	/* A terse patch borrows from its cover... */
	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "s3@x"));
	assert_string_equal(sb.buf,
		"Test the widget map type. This series adds widget maps to BPF. "
		"It is patch 2/2 of Jane Dev's v3 series \"bpf: Widget support\" for bpf-next, "
		"replacing v2 of April 9: rebase on bpf-next.");
	/* ... unless what is known of it already makes three sentences. */
	strbuf_reset(&sb);
	{
		struct summary_context ctx = { NULL, "0123456789abcdef0123", "bpf-next", 0 };

		summary_patch_in(&sb, fixture_patch_of(&f, "s3@x"), &ctx);
	}
	assert_string_equal(sb.buf,
		"Test the widget map type. "
		"It is patch 2/2 of Jane Dev's v3 series \"bpf: Widget support\" for bpf-next, "
		"replacing v2 of April 9: rebase on bpf-next. "
		"It was applied to bpf-next as 0123456789ab.");

	/* A cover letter is said to be one, not a patch. */
	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "c1@x"));
	assert_non_null(strstr(sb.buf, "It is the cover letter of Jane Dev's v1 series of 2 patches for bpf-next."));
	assert_null(strstr(sb.buf, "standalone"));

	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "rfc1@z"));
	assert_string_equal(sb.buf,
		"libbpf cannot attach foo programs. Support them in bpf_program__attach(). "
		"It is a standalone RFC patch by Carol for bpf-next.");
	strbuf_release(&sb);
	fixture_release(&f);
}

static void author(const char *name, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct series s = { 0 };

	s.author_name = (char *)name;
	s.author_email = (char *)"alexis@x.org";
	summary_add_author(&sb, &s);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_date_words_and_author(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct tzspec ny;

	summary_date_words(&sb, 1780000000, 1780000000, NULL);	/* 2026-05-28T20:26:40Z */
	assert_string_equal(sb.buf, "May 28");
	strbuf_reset(&sb);
	tz_parse(&ny, "+1000");
	summary_date_words(&sb, 1780000000, 1700000000, &ny);
	assert_string_equal(sb.buf, "May 29, 2026");
	strbuf_release(&sb);
	author("Alexis Lothor\xc3\xa9 (eBPF Foundation)", "Alexis Lothor\xc3\xa9");
	author("Roy, Patrick", "Patrick Roy");
	author("Doe, Jane, Jr.", "Doe, Jane, Jr.");
	author("", "alexis@x.org");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_keep_abbreviations),
		cmocka_unit_test(test_sentences_identifiers_quotes_initials),
		cmocka_unit_test(test_fragments_left_out),
		cmocka_unit_test(test_prose_drops_noise),
		cmocka_unit_test(test_prose_headers_footnotes_notes_changelog),
		cmocka_unit_test(test_changelog_items),
		cmocka_unit_test(test_changelog_and_diffstat),
		cmocka_unit_test(test_title_clauses),
		cmocka_unit_test(test_series_clause_and_place),
		cmocka_unit_test(test_date_words_and_author),
	};
	return unit_run("summary", tests, ARRAY_SIZE(tests));
}
