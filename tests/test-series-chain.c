#include "series-fixture.h"

#include <stdlib.h>

/*
 * Revisions chained into series (lib/series-chain.c): by thread, b4's
 * change-id, lore links, author and title, patch titles; partial
 * rerolls and what supersedes what.  Through series_build(), as the
 * chaining needs the revisions the grouping makes.
 */

/* A one-file patch mail touching path. */
static char *patch_of(const char *path)
{
	return xstrfmt("msg\n\nSigned-off-by: J <j@x.org>\n---\n %s | 1 +\n\ndiff --git a/%s b/%s\n"
		       "--- a/%s\n+++ b/%s\n@@ -1 +1 @@\n-a\n+b\n", path, path, path, path, path);
}

/*
 * A reroll of one patch sent in reply to its old version replaces that
 * patch only; a review of the cover still covers it.
 */
static void test_partial_reroll(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Wed, 8 Apr 2026 10:00:00 +0000";
	struct series *s;
	struct series_revision *v1, *v2;

	add(&ms, jane, "c@x", NULL, d1, "[PATCH 0/3] widgets", cover_body);
	add(&ms, jane, "p1@x", "c@x", d1, "[PATCH 1/3] one", diff);
	add(&ms, jane, "p2@x", "c@x", d1, "[PATCH 2/3] two", diff);
	add(&ms, jane, "p3@x", "c@x", d1, "[PATCH 3/3] three", diff);
	add(&ms, "R <r@y.org>", "rc@x", "c@x", d1, "Re: [PATCH 0/3] widgets",
	    "Acked-by: R <r@y.org>\n");
	add(&ms, "S <s@y.org>", "rv@x", "c@x p2@x", d1, "Re: [PATCH 2/3] two", "Please fix.\n");
	add(&ms, jane, "q2@x", "c@x p2@x rv@x", d2, "[PATCH v2 2/3] two", diff);

	set = build(&ms);
	assert_int_equal(set.nr, 1);
	s = set.series[0];
	assert_int_equal(s->revisions_nr, 2);
	v1 = s->revisions[0];
	v2 = s->revisions[1];
	assert_true(v2->flags & REVISION_PARTIAL);
	assert_ptr_equal(v2->base, v1);
	assert_false(v1->flags & REVISION_SUPERSEDED);
	assert_int_equal(patch_status(v1->patches[0]), SERIES_POSTED);
	assert_int_equal(patch_status(v1->patches[1]), SERIES_SUPERSEDED);
	assert_ptr_equal(v1->patches[1]->superseded_by, v2->patches[0]);
	assert_ptr_equal(series_current_patch(s, 1), v1->patches[0]);
	assert_ptr_equal(series_current_patch(s, 2), v2->patches[0]);
	assert_int_equal(v2->patches[0]->reviews_nr, 1);
	assert_string_equal(v2->patches[0]->reviews[0].email, "r@y.org");
	release(&ms, &set);
}

/* Revision chains by change-id and by "Link to v1" links, across new titles. */
static void test_chains_by_change_id_and_links(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct series *s;

	add(&ms, jane, "a1@x", NULL, "Mon, 6 Apr 2026 10:00:00 +0000", "[PATCH 0/1] first name",
	    "intro\n\n 1 file changed\n\n---\nchange-id: 20260406-widget-abcdef\n");
	add(&ms, jane, "a2@x", "a1@x", "Mon, 6 Apr 2026 10:00:01 +0000", "[PATCH 1/1] widget",
	    diff);
	add(&ms, jane, "b1@x", NULL, "Mon, 13 Apr 2026 10:00:00 +0000",
	    "[PATCH v2 0/1] second name",
	    "intro\n\n 1 file changed\n\n---\nchange-id: 20260406-widget-abcdef\n");
	add(&ms, jane, "b2@x", "b1@x", "Mon, 13 Apr 2026 10:00:01 +0000",
	    "[PATCH v2 1/1] widget again", diff);
	add(&ms, jane, "c1@x", NULL, "Mon, 20 Apr 2026 10:00:00 +0000",
	    "[PATCH v3 0/1] third name",
	    "intro\n\n 1 file changed\n\nLink to v2: https://lore.kernel.org/r/b1@x\n");
	add(&ms, jane, "c2@x", "c1@x", "Mon, 20 Apr 2026 10:00:01 +0000",
	    "[PATCH v3 1/1] widget once more", diff);

	set = build(&ms);
	assert_int_equal(set.nr, 1);
	s = set.series[0];
	assert_int_equal(s->revisions_nr, 3);
	assert_string_equal(s->title, "third name");
	assert_int_equal(s->revisions[2]->version, 3);
	assert_true(s->revisions[1]->flags & REVISION_SUPERSEDED);
	release(&ms, &set);
}

/*
 * Chaining by author and title: a reroll follows the closest earlier
 * chain in time, tree and size; an unversioned same-title patch months
 * later is new work, not a resend (b4 issue #58).
 */
static void test_same_subject_chains(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;

	add(&ms, jane, "old@x", NULL, "Mon, 6 Jan 2025 10:00:00 +0000",
	    "[PATCH bpf] selftests/bpf: Fix the build", diff);
	add(&ms, jane, "new@x", NULL, "Mon, 7 Jul 2025 10:00:00 +0000",
	    "[PATCH bpf] selftests/bpf: Fix the build", diff);
	add(&ms, jane, "resend@x", NULL, "Mon, 14 Jul 2025 10:00:00 +0000",
	    "[PATCH RESEND bpf] selftests/bpf: Fix the build", diff);
	/* Two same-titled series, to two trees, the same day. */
	post(&ms, jane, "x", "2025-09-01 10:00:00", "PATCH bpf", "fixes",
	     (const char *const[]){ "a", "b", NULL });
	post(&ms, jane, "y", "2025-09-01 11:00:00", "PATCH bpf-next", "fixes",
	     (const char *const[]){ "c", "d", "e", NULL });
	/* Untagged v2 of three patches: the bpf-next series, by size. */
	post(&ms, jane, "z", "2025-09-08 10:00:00", "PATCH v2", "fixes",
	     (const char *const[]){ "c", "d", "e", NULL });
	/* v2 to bpf: the bpf series, by tree. */
	post(&ms, jane, "w", "2025-09-08 12:00:00", "PATCH bpf v2", "fixes",
	     (const char *const[]){ "a", "b", NULL });

	set = build(&ms);
	assert_ptr_not_equal(series_of(&set, "old@x"), series_of(&set, "new@x"));
	assert_ptr_equal(series_of(&set, "new@x"), series_of(&set, "resend@x"));
	assert_true(series_find(&set, "resend@x")->revision->flags & REVISION_RESEND);
	assert_ptr_not_equal(series_of(&set, "x0@x"), series_of(&set, "y0@x"));
	assert_ptr_equal(series_of(&set, "z0@x"), series_of(&set, "y0@x"));
	assert_ptr_equal(series_of(&set, "w0@x"), series_of(&set, "x0@x"));
	assert_int_equal(set.nr, 4);
	release(&ms, &set);
}

/* A cover's title changed, the patches kept theirs: still one series. */
static void test_chain_by_patch_titles(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;

	post(&ms, jane, "a", "2026-04-06 10:00:00", "PATCH", "widgets",
	     (const char *const[]){ "bpf: one", "bpf: two", NULL });
	post(&ms, jane, "b", "2026-04-13 10:00:00", "PATCH v2", "gadgets and widgets",
	     (const char *const[]){ "bpf: one", "bpf: two", "bpf: three", NULL });

	set = build(&ms);
	assert_int_equal(set.nr, 1);
	assert_int_equal(set.series[0]->revisions_nr, 2);
	assert_string_equal(set.series[0]->title, "gadgets and widgets");
	release(&ms, &set);
}

/*
 * One person, several addresses: a name in another order, or no name and
 * the same mailbox at another domain.  Someone else with the title is
 * not them.
 */
static void test_author_identities(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;

	add(&ms, "Patrick Roy <patrick.roy@home.example>", "h0@x", NULL,
	    "Wed, 24 Sep 2025 15:10:40 +0000", "[PATCH v7 0/3] Direct map removal", cover_body);
	add(&ms, "Patrick Roy <patrick.roy@home.example>", "h1@x", "h0@x",
	    "Wed, 24 Sep 2025 15:10:41 +0000", "[PATCH v7 1/3] one", diff);
	/* The rest of the same posting, from work, answering patch 1. */
	add(&ms, "\"Roy, Patrick\" <roypat@work.example>", "w2@x", "h1@x",
	    "Wed, 24 Sep 2025 15:22:24 +0000", "[PATCH v7 2/3] two", diff);
	add(&ms, "\"Roy, Patrick\" <roypat@work.example>", "w3@x", "w2@x",
	    "Wed, 24 Sep 2025 15:22:25 +0000", "[PATCH v7 3/3] three", diff);
	add(&ms, "roberto.sassu@huawei.example", "r1@x", NULL, "Tue, 9 Aug 2022 13:45:53 +0000",
	    "[PATCH v11] bpf: Add kfuncs", diff);
	add(&ms, "Roberto Sassu <roberto.sassu@huaweicloud.example>", "r2@x", NULL,
	    "Thu, 18 Aug 2022 15:29:19 +0000", "[PATCH v12] bpf: Add kfuncs", diff);
	add(&ms, "Someone Else <roberto@else.example>", "e1@x", NULL,
	    "Fri, 19 Aug 2022 15:29:19 +0000", "[PATCH v13] bpf: Add kfuncs", diff);

	set = build(&ms);
	assert_int_equal(series_of(&set, "w3@x")->revisions_nr, 1);
	assert_int_equal(series_find(&set, "w3@x")->revision->patches_nr, 3);
	assert_ptr_equal(series_of(&set, "r1@x"), series_of(&set, "r2@x"));
	assert_ptr_not_equal(series_of(&set, "r2@x"), series_of(&set, "e1@x"));
	assert_int_equal(set.nr, 3);
	release(&ms, &set);
}

static void test_identity_evidence(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Tue, 7 Apr 2026 10:00:00 +0000";
	char *a = patch_of("tools/a.c"), *b = patch_of("tools/b.c");
	struct series_patch *p;
	size_t i;

	/* One subject, two files, no other evidence: two pieces of work. */
	add(&ms, jane, "f1@x", NULL, d1, "[PATCH] selftests/bpf: Fix a leak", a);
	add(&ms, jane, "f2@x", NULL, d2, "[PATCH] selftests/bpf: Fix a leak", b);
	/* The same file again, later: a repost of f1's work. */
	add(&ms, jane, "f3@x", NULL, "Wed, 8 Apr 2026 10:00:00 +0000",
	    "[PATCH] selftests/bpf: Fix a leak", a);
	/* One backport to two stable branches: two series, v6.6.y never "v6". */
	add(&ms, jane, "s1@x", NULL, d1, "[PATCH 6.6.y] bpf: Fix a leak in the map", a);
	add(&ms, jane, "s2@x", NULL, d2, "[PATCH 6.1.y] bpf: Fix a leak in the map", a);
	add(&ms, jane, "u1@x", NULL, d1, "[PATCH AUTOSEL 6.13 01/02] bpf: Fix the verifier", a);
	add(&ms, jane, "u2@x", NULL, d2, "[PATCH AUTOSEL 6.12 01/02] bpf: Fix the verifier", a);
	/* A PATCHSET without n/m is the cover its numbered replies join. */
	add(&ms, jane, "ps0@x", NULL, d1, "[PATCHSET v10 sched_ext/for-6.19] Add a server", "intro\n");
	add(&ms, jane, "ps1@x", "ps0@x", d1, "[PATCH 1/2] sched: One", a);
	add(&ms, jane, "ps2@x", "ps0@x", d1, "[PATCH 2/2] sched: Two", b);
	set = build(&ms);

	assert_ptr_not_equal(series_find(&set, "f1@x")->revision->series,
			     series_find(&set, "f2@x")->revision->series);
	assert_ptr_equal(series_find(&set, "f1@x")->revision->series,
			 series_find(&set, "f3@x")->revision->series);
	assert_ptr_not_equal(series_find(&set, "s1@x")->revision->series,
			     series_find(&set, "s2@x")->revision->series);
	assert_int_equal(series_find(&set, "s1@x")->revision->version, 1);
	assert_ptr_not_equal(series_find(&set, "u1@x")->revision->series,
			     series_find(&set, "u2@x")->revision->series);
	p = series_find(&set, "ps1@x");
	assert_non_null(p->revision->cover);
	assert_string_equal(p->revision->cover->mail->mid, "ps0@x");
	assert_int_equal(p->revision->version, 10);
	assert_int_equal(p->revision->patches_nr, 2);
	assert_string_equal(p->revision->series->title, "Add a server");
	assert_string_equal(series_revision_title(p->revision), "Add a server");
	for (i = 0; i < set.nr; i++)
		assert_true(set.series[i]->revisions_nr <= 2);
	release(&ms, &set);
	free(a);
	free(b);
}

static void test_bare_address_name(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;

	add(&ms, "chia-yu.chang@nokia-bell-labs.com", "n1@x", NULL, "Mon, 6 Apr 2026 10:00:00 +0000",
	    "[PATCH net-next] tcp: AccECN",
	    "msg\n\nSigned-off-by: Chia-Yu Chang <chia-yu.chang@nokia-bell-labs.com>\n---\n");
	set = build(&ms);
	assert_string_equal(set.series[0]->author_name, "Chia-Yu Chang");
	release(&ms, &set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partial_reroll),
		cmocka_unit_test(test_chains_by_change_id_and_links),
		cmocka_unit_test(test_same_subject_chains),
		cmocka_unit_test(test_chain_by_patch_titles),
		cmocka_unit_test(test_author_identities),
		cmocka_unit_test(test_identity_evidence),
		cmocka_unit_test(test_bare_address_name),
	};
	return unit_run("series-chain", tests, ARRAY_SIZE(tests));
}
