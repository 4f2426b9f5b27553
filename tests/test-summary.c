#include "unit.h"
#include "digest-fixture.h"
#include "date.h"
#include "prose.h"
#include "sentence.h"
#include "strbuf.h"
#include "summary.h"

static int count_sentence(const char *s, size_t len, void *data)
{
	return 0;
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
	/* The title leads; "by removing ..." continued the log, and goes with it. */
	assert_string_equal(sb.buf, "Fixes build warnings. bpftool is fine as it is. "
			    "It is a standalone patch by Jane Dev.");
	strbuf_release(&sb);
	fixture_release(&f);
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
		"Adds widget maps. "
		"Maps of widgets cannot be created today, so programs keep widgets in arrays "
		"and search them, e.g. in the XDP path. "
		"Add BPF_MAP_TYPE_WIDGET, which stores widgets by id. "
		"It is patch 1/2 of Jane Dev's v2 series \"bpf: Widget support\" for bpf-next, "
		"replacing v1 of April 6: fix the refcount leak in widget_free(); "
		"patch 2 adds selftests.");
	assert_int_equal(sentence_split(sb.buf, count_sentence, NULL), 4);

	/* A terse patch borrows from its cover... */
	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "s3@x"));
	assert_string_equal(sb.buf,
		"Tests widget maps. This series adds widget maps to BPF. "
		"It is patch 2/2 of Jane Dev's v3 series \"bpf: Widget support\" for bpf-next, "
		"replacing v2 of April 9: rebase on bpf-next.");
	/* A cover letter is said to be one, not a patch. */
	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "c1@x"));
	assert_non_null(strstr(sb.buf, "It is the cover letter of Jane Dev's v1 series of 2 patches for bpf-next"));
	assert_null(strstr(sb.buf, "standalone"));

	strbuf_reset(&sb);
	summary_patch(&sb, fixture_patch_of(&f, "rfc1@z"));
	assert_string_equal(sb.buf,
		"Supports foo programs. "
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

static void test_themes_and_mid_series(void **state)
{
	static const char *const titles[] = {
		"selftests/bpf: Add widget tests", "bpf: Add widget maps", "libbpf: Support foo",
		"selftests/bpf: Fix flaky test", "bpf, x86: Fix the JIT", "Widget support",
		"selftests/bpf: Test foo",
	};
	struct series s[ARRAY_SIZE(titles)];
	struct series_revision r[ARRAY_SIZE(titles)], *revs[ARRAY_SIZE(titles)];
	struct strbuf sb = STRBUF_INIT;
	struct fixture f;
	size_t i;

	memset(s, 0, sizeof(s));
	memset(r, 0, sizeof(r));
	for (i = 0; i < ARRAY_SIZE(titles); i++) {
		s[i].title = (char *)titles[i];
		r[i].series = &s[i];
		revs[i] = &r[i];
	}
	summary_themes(&sb, revs, ARRAY_SIZE(titles));
	assert_string_equal(sb.buf, " The most common subject prefixes were selftests/bpf (3 series) "
				    "and bpf (2).");
	strbuf_reset(&sb);
	summary_themes(&sb, revs + 1, 3);
	assert_string_equal(sb.buf, "");

	/* A series seen from its second patch only is not named by it. */
	fixture_widgets(&f);
	{
		struct series_revision *rev = fixture_patch_of(&f, "b1@y")->revision;
		struct series_patch *first = rev->patches[0];
		unsigned pos = first->subject.position;

		first->subject.position = 2;
		assert_int_equal(summary_clause(&sb, rev), 0);
		first->subject.position = pos;
	}
	strbuf_release(&sb);
	fixture_release(&f);
}

static void test_composed_lead_problem_fix_trailers(void **state)
{
	struct fixture f;
	struct strbuf sb = STRBUF_INIT;
	struct summary s = { 0 };

	memset(&f, 0, sizeof(f));
	fixture_add(&f, JANE, "lead@x", NULL, MON,
		    "[PATCH bpf-next] libbpf: Reject non-exclusive metadata maps in the signed loader",
		    "The loader is signed as a whole.\n\n"
		    "Currently the signed loader accepts a metadata map that another program\n"
		    "shares, so the hash it checks can change after the check.\n\n"
		    "Fix this by rejecting metadata maps that are not exclusive to the loader.\n\n"
		    "Reported-by: syzbot+1234@syzkaller.appspotmail.com\n"
		    "Reported-by: Jane Roe <jane@roe.org>\n"
		    "Fixes: 0123456789ab (\"libbpf: Sign the loader\")\n"
		    "Signed-off-by: Jane Dev <jane@example.org>\n---\n x | 1 +\n");
	series_build(&f.set, f.mails, f.nr);
	summary_compose(&s, fixture_patch_of(&f, "lead@x"), NULL);
	summary_join(&sb, &s);
	/* The problem ("Currently") and the fix ("Fix this by"), not the first two. */
	assert_string_equal(sb.buf,
		"Rejects non-exclusive metadata maps in libbpf's signed loader. "
		"Currently the signed loader accepts a metadata map that another program shares, "
		"so the hash it checks can change after the check. "
		"Fix this by rejecting metadata maps that are not exclusive to the loader. "
		"It fixes a bug introduced by \"libbpf: Sign the loader\", reported by syzbot and "
		"Jane Roe. It is a standalone patch by Jane Dev for bpf-next.");
	assert_int_equal(s.nr, 5);
	assert_int_equal(s.v[0].part, SUMMARY_SUBJECT);
	assert_int_equal(s.v[1].part, SUMMARY_COMMIT_MESSAGE);
	assert_int_equal(s.v[3].part, SUMMARY_FACTS);
	assert_string_equal(s.v[1].mid, "lead@x");
	assert_string_equal(summary_part_name(s.v[4].part), "facts");
	summary_release(&s);
	/* Without its place, the summary ends with its last sentence, not " .". */
	{
		struct summary_context ctx = { NULL, 1 };

		strbuf_reset(&sb);
		summary_compose(&s, fixture_patch_of(&f, "lead@x"), &ctx);
		summary_join(&sb, &s);
		assert_int_equal(s.nr, 4);
		assert_non_null(strstr(sb.buf, "reported by syzbot and Jane Roe."));
		assert_int_equal(sb.buf[sb.len - 1], '.');
		assert_null(strstr(sb.buf, ". ."));
		summary_release(&s);
	}
	strbuf_release(&sb);
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragments_left_out),
		cmocka_unit_test(test_title_clauses),
		cmocka_unit_test(test_series_clause_and_place),
		cmocka_unit_test(test_date_words_and_author),
		cmocka_unit_test(test_themes_and_mid_series),
		cmocka_unit_test(test_composed_lead_problem_fix_trailers),
	};
	return unit_run("summary", tests, ARRAY_SIZE(tests));
}
