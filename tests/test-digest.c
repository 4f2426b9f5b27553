#include "unit.h"
#include "date.h"
#include "digest-fixture.h"
#include "digest.h"
#include "period.h"
#include "strbuf.h"
#include "summary.h"

static void week15(struct period *p)
{
	struct tzspec utc;

	tz_parse(&utc, "UTC");
	assert_int_equal(period_weekly(p, "2026-W15", NULL, &utc), 0);
}

/* Week 15's digest; applied_mid, when given, was applied on its Sunday. */
static void select_week(struct digest *d, struct fixture *f, size_t limit,
			const char *applied_mid)
{
	struct period p;

	week15(&p);
	digest_init(d, &p);
	d->list = xstrdup("bpf@vger.kernel.org");
	if (applied_mid) {
		digest_add_applied(d, applied_mid, "0123456789abcdef0123456789abcdef01234567",
				   "link", p.start + 86400 * 6, NULL);
		/* Twice: kept once. */
		digest_add_applied(d, applied_mid, "0123456789abcdef0123456789abcdef01234567",
				   "link", p.start + 86400 * 6, NULL);
	}
	digest_select(d, &f->set, f->mails, f->nr, limit);
}

static const char *entry_mid(const struct digest *d, size_t i)
{
	return d->entries[i].patch->mail->mid;
}

static void test_one_entry_per_series_ranked(void **state)
{
	struct fixture f;
	struct digest d;

	fixture_widgets(&f);
	select_week(&d, &f, 10, NULL);
	/* v1 and v2 of the widgets were both posted this week: v2 stands for them. */
	assert_int_equal(d.revisions_nr, 3);
	assert_int_equal(d.entries_nr, 3);
	/* The kernel patch, not the selftest, represents the series. */
	assert_string_equal(entry_mid(&d, 0), "p2@x");
	assert_int_equal(d.entries[0].patch->revision->version, 2);
	assert_non_null(d.entries[0].superseded_by);
	assert_int_equal(d.entries[0].superseded_by->version, 3);
	/* Bob and Carol score the same; the earlier posting goes first. */
	assert_string_equal(entry_mid(&d, 1), "b1@y");
	assert_string_equal(entry_mid(&d, 2), "rfc1@z");
	assert_null(d.entries[1].superseded_by);
	assert_null(d.entries[1].applied);
	assert_int_equal(d.messages, 10);
	assert_int_equal(d.patches, 6);
	assert_int_equal(d.series, 3);
	assert_int_equal(d.authors, 3);
	assert_int_equal(d.applied, 0);
	digest_release(&d);

	select_week(&d, &f, 1, NULL);
	assert_int_equal(d.entries_nr, 1);
	assert_int_equal(d.revisions_nr, 3);
	digest_release(&d);
	fixture_release(&f);
}

static void test_applied_ranks_and_shows(void **state)
{
	struct fixture f;
	struct digest d;

	fixture_widgets(&f);
	select_week(&d, &f, 10, "rfc1@z");
	assert_string_equal(entry_mid(&d, 1), "rfc1@z");
	assert_non_null(d.entries[1].applied);
	assert_int_equal(d.entries[1].applied->nr, 1);
	assert_string_equal(d.entries[1].applied->items[0].method, "link");
	assert_int_equal(d.applied, 1);
	digest_release(&d);
	fixture_release(&f);
}

/* What a patchwork-bot notice would record for patch mid of the fixture. */
static void add_notice(struct fixture *f, const char *mid, const char *commit)
{
	struct series_applied *a;

	ALLOC_GROW(f->set.applied, f->set.applied_nr + 1, f->set.applied_alloc);
	a = &f->set.applied[f->set.applied_nr++];
	memset(a, 0, sizeof(*a));
	a->patch = fixture_patch_of(f, mid);
	a->tree = xstrdup("bpf/bpf-next.git");
	a->branch = xstrdup("master");
	a->commit = xstrdup(commit);
	a->notice = f->mails[0];
	a->patch->applied = a;
}

static void test_applied_from_notice_and_this_tree(void **state)
{
	struct fixture f;
	struct digest d;

	/* The bot named patch 1 of 2 of v2: its hash, the tree, and that it is partial. */
	fixture_widgets(&f);
	add_notice(&f, "p2@x", "ca4419f15abd");
	select_week(&d, &f, 10, NULL);
	assert_string_equal(entry_mid(&d, 0), "p2@x");
	assert_int_equal(d.entries[0].revision_applied, 1);
	assert_string_equal(d.entries[0].applied->items[0].source, "pwbot");
	assert_string_equal(d.entries[0].applied->items[0].tree, "bpf-next");
	assert_string_equal(d.entries[0].applied_text,
			    "Patch 1 of 2 was applied to bpf-next, this one as ca4419f15abd.");
	digest_release(&d);
	fixture_release(&f);

	/* All of it, and a commit of this repository: two facts, the local one with no tree. */
	fixture_widgets(&f);
	add_notice(&f, "p2@x", "ca4419f15abd");
	add_notice(&f, "s2@x", "89cad6a160c0");
	select_week(&d, &f, 10, "p2@x");
	assert_string_equal(d.entries[0].applied_text,
			    "Applied to bpf-next as ca4419f15abd, with the other patch. "
			    "In this tree as 0123456789ab.");
	digest_release(&d);
	fixture_release(&f);

	/* Edited on the way in: the local fact says how. */
	{
		struct period p;

		fixture_widgets(&f);
		week15(&p);
		digest_init(&d, &p);
		d.list = xstrdup("bpf@vger.kernel.org");
		digest_add_applied(&d, "p2@x", "0123456789abcdef0123456789abcdef01234567", "link",
				   p.start + 86400 * 6,
				   "applied with changes to kernel/bpf/widget.c, +2 \u22121");
		digest_select(&d, &f.set, f.mails, f.nr, 10);
		assert_string_equal(d.entries[0].applied_text,
				    "In this tree as 0123456789ab, applied with changes to "
				    "kernel/bpf/widget.c, +2 \u22121.");
		assert_string_equal(d.entries[0].applied->items[0].changes,
				    "applied with changes to kernel/bpf/widget.c, +2 \u22121");
		digest_release(&d);
		fixture_release(&f);
	}
}

/* The notice of add_notice() in another tree than bpf-next. */
static void set_tree(struct fixture *f, const char *tree)
{
	free(f->set.applied[f->set.applied_nr - 1].tree);
	f->set.applied[f->set.applied_nr - 1].tree = xstrdup(tree);
}

static void test_applied_this_period(void **state)
{
	struct fixture f;
	struct digest d;
	struct period next;
	struct tzspec utc;

	/* No notice in the whole archive: nothing is known, nothing said. */
	fixture_widgets(&f);
	select_week(&d, &f, 10, NULL);
	digest_count_applied(&d, &f.set);
	assert_null(d.applied_line);
	/* The archive has notices, only not among these series (a period's assembly). */
	d.archive_has_notices = 1;
	digest_count_applied(&d, &f.set);
	assert_string_equal(d.applied_line, "Applied this period: 0 series to bpf-next, 0 to bpf");
	digest_release(&d);
	fixture_release(&f);

	/* Two patches of one series count once; bpf and others by tree. */
	fixture_widgets(&f);
	add_notice(&f, "p2@x", "ca4419f15abd");
	add_notice(&f, "s2@x", "89cad6a160c0");
	add_notice(&f, "p1@x", "0123456789ab");
	set_tree(&f, "bpf/bpf.git");
	add_notice(&f, "s1@x", "0123456789ac");
	set_tree(&f, "netdev/net-next.git");
	select_week(&d, &f, 10, NULL);
	digest_count_applied(&d, &f.set);
	assert_string_equal(d.applied_line,
			    "Applied this period: 1 series to bpf-next, 1 to bpf, 1 to net-next");
	digest_release(&d);

	/* The notices are dated in week 15: week 16 had none applied. */
	tz_parse(&utc, "UTC");
	assert_int_equal(period_weekly(&next, "2026-W16", NULL, &utc), 0);
	digest_init(&d, &next);
	digest_select(&d, &f.set, f.mails, f.nr, 10);
	digest_count_applied(&d, &f.set);
	assert_string_equal(d.applied_line, "Applied this period: 0 series to bpf-next, 0 to bpf");
	digest_release(&d);
	fixture_release(&f);
}

static void test_attention_lines(void **state)
{
	struct fixture f;
	struct digest d;
	size_t i;

	fixture_widgets(&f);
	select_week(&d, &f, 10, NULL);
	for (i = 0; i < DIGEST_ATTENTION_MAX; i++)
		assert_int_equal(digest_add_attention(&d, "NAKed", "bpf: Widgets", 2, 3, "c2@x",
						      DIGEST_DEFAULT_MIDMASK), 0);
	assert_int_equal(digest_add_attention(&d, "NAKed", "one too many", 1, 1, NULL,
					      DIGEST_DEFAULT_MIDMASK), -1);
	assert_int_equal(d.attention_nr, DIGEST_ATTENTION_MAX);
	assert_string_equal(d.attention[0].url, "https://lore.kernel.org/all/c2@x/");
	digest_release(&d);
	fixture_release(&f);
}

static void test_overview_week_day_month(void **state)
{
	struct fixture f;
	struct digest d;
	struct period p;
	struct tzspec utc;

	fixture_widgets(&f);
	tz_parse(&utc, "UTC");
	select_week(&d, &f, 10, NULL);
	digest_write_overview(&d);
	assert_string_equal(d.overview,
		"The week of April 6-12 on bpf-next was dominated by Jane Dev's v2 series \"bpf: Widget support\" "
		"(2 patches), which adds widget maps to BPF. Bob posted a patch that fixes flaky test "
		"and Carol posted an RFC patch that supports foo programs. "
		"In all, 6 patches across 3 series from 3 authors were posted.");
	digest_release(&d);

	period_daily(&p, "2026-04-08", &utc);
	digest_init(&d, &p);
	digest_select(&d, &f.set, f.mails, f.nr, 6);
	digest_write_overview(&d);
	assert_string_equal(d.overview, "Activity on April 8th consisted of Bob's patch "
			    "\"selftests/bpf: Fix flaky test\".");
	digest_release(&d);

	period_monthly(&p, "2026-04", &utc);
	digest_init(&d, &p);
	digest_select(&d, &f.set, f.mails, f.nr, 12);
	digest_write_overview(&d);
	/* The month holds v3 too: the widgets are one series, counted once. */
	assert_string_equal(d.overview,
		"April 2026 brought 8 patches across 3 series from 3 authors on bpf-next. "
		"It was headlined by Jane Dev's v3 series \"bpf: Widget support\" (2 patches), "
		"which adds widget maps to BPF. Bob posted a patch that fixes flaky test "
		"and Carol posted an RFC patch that supports foo programs.");
	assert_int_equal(d.entries_nr, 3);
	assert_null(d.entries[0].superseded_by);
	digest_release(&d);
	fixture_release(&f);
}

static void test_empty_and_replies_only(void **state)
{
	struct fixture f;
	struct digest d;
	struct period p;
	struct tzspec utc;

	fixture_widgets(&f);
	tz_parse(&utc, "UTC");
	/* Sunday: nothing at all. */
	period_daily(&p, "2026-04-12", &utc);
	digest_init(&d, &p);
	d.list = xstrdup("bpf@vger.kernel.org");
	digest_select(&d, &f.set, f.mails, f.nr, 6);
	digest_write_overview(&d);
	assert_int_equal(d.entries_nr, 0);
	assert_int_equal(d.messages, 0);
	assert_string_equal(d.overview,
			    "No patches were submitted to bpf@vger.kernel.org on April 12, 2026.");
	digest_release(&d);
	/* Saturday in UTC: Dan's reply, and Carol's patch (Friday in her zone). */
	period_daily(&p, "2026-04-11", &utc);
	digest_init(&d, &p);
	digest_select(&d, &f.set, f.mails, f.nr, 6);
	assert_int_equal(d.entries_nr, 1);
	assert_string_equal(entry_mid(&d, 0), "rfc1@z");
	digest_release(&d);
	/* Saturday in her zone: only the reply; the list is unknown here. */
	tz_parse(&utc, "-0200");
	period_daily(&p, "2026-04-11", &utc);
	digest_init(&d, &p);
	digest_select(&d, &f.set, f.mails, f.nr, 6);
	digest_write_overview(&d);
	assert_int_equal(d.messages, 1);
	assert_int_equal(d.entries_nr, 0);
	assert_string_equal(d.overview, "No patches were submitted to the list on April 11, 2026.");
	digest_release(&d);
	fixture_release(&f);
}

static void test_same_title_other_address_and_pull(void **state)
{
	struct fixture f;
	struct digest d;
	struct period p;
	struct tzspec utc;
	struct strbuf sb = STRBUF_INIT;

	memset(&f, 0, sizeof(f));
	fixture_add(&f, "Sue <sue@a.org>", "v1@a", NULL, MON, "[PATCH bpf] bpf: Fix the thing",
		    "The thing is broken. Fix it.\n---\n x | 1 +\n");
	fixture_add(&f, "Sue <sue@b.org>", "v2@b", NULL, WED, "[PATCH bpf v2] bpf: Fix the thing",
		    "The thing is broken. Fix it properly.\n---\n x | 1 +\n");
	fixture_add(&f, "Al <al@kernel.org>", "pull@k", NULL, THU, "[GIT PULL] bpf 2026-04-09",
		    "Hi Linus,\n\nPlease pull these BPF fixes for the next release.\n\n"
		    "The following changes since commit 0123:\n\n  Linux 7.0\n\n"
		    "are available in the Git repository at:\n\n  https://git.kernel.org/x\n\n"
		    "----------------------------------------------------------------\n"
		    "Jane Dev (2):\n      bpf: One\n      bpf: Two\n\nSue (1):\n      bpf: Three\n");
	series_build(&f.set, f.mails, f.nr);
	tz_parse(&utc, "UTC");
	period_weekly(&p, "2026-W15", NULL, &utc);
	digest_init(&d, &p);
	digest_select(&d, &f.set, f.mails, f.nr, 10);
	/* Sue's v1 and v2 are one series: the series stage knows her by name. */
	assert_int_equal(f.set.nr, 2);
	assert_int_equal(d.entries_nr, 2);
	assert_string_equal(entry_mid(&d, 0), "pull@k");
	assert_string_equal(entry_mid(&d, 1), "v2@b");
	digest_write_overview(&d);
	assert_string_equal(d.overview,
		"The week of April 6-12 was dominated by Al's pull request \"bpf 2026-04-09\". "
		"Sue posted v2 of a patch that fixes the thing. "
		"In all, 3 patches across 2 series from 2 authors were posted.");
	summary_patch(&sb, d.entries[0].patch);
	assert_string_equal(sb.buf, "Please pull these BPF fixes for the next release. "
			    "It is a pull request by Al of 3 commits.");
	strbuf_release(&sb);
	digest_release(&d);
	fixture_release(&f);
}

static void test_urls_limits_list(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct fixture f;

	digest_url(&sb, DIGEST_DEFAULT_MIDMASK, "20260406.123-1-jane+x@x.org");
	assert_string_equal(sb.buf, "https://lore.kernel.org/all/20260406.123-1-jane+x@x.org/");
	strbuf_reset(&sb);
	digest_url(&sb, "https://lore.example/r/%s", "a/b%c d#?@x");
	assert_string_equal(sb.buf, "https://lore.example/r/a%2Fb%25c%20d%23%3F@x");
	strbuf_reset(&sb);
	digest_url(&sb, "https://msgid.link/", "x@y");
	assert_string_equal(sb.buf, "https://msgid.link/x@y");
	strbuf_release(&sb);
	assert_int_equal(digest_default_limit(PERIOD_DAILY), 6);
	assert_int_equal(digest_default_limit(PERIOD_WEEKLY), 10);
	assert_int_equal(digest_default_limit(PERIOD_MONTHLY), 12);

	memset(&f, 0, sizeof(f));
	f.mails[f.nr++] = fixture_mail("A <a@x>", "l1@x", NULL, MON, "s",
				    "List-Id: <ignored in the body>\n", MAIL_PARSE_FACTS_ONLY);
	assert_null(digest_guess_list(f.mails, f.nr));
	mail_release(f.mails[0]);
	free(f.mails[0]);
	{
		struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
		struct mail m[3];
		struct mail *ms[3] = { &m[0], &m[1], &m[2] };
		const char *ids[] = { "bpf.vger.kernel.org", "netdev.vger.kernel.org",
				      "bpf.vger.kernel.org" };
		char *list;
		int i;

		for (i = 0; i < 3; i++) {
			strbuf_reset(&raw);
			strbuf_addf(&raw, "From: a@x\nMessage-ID: <%d@x>\nList-Id: <%s>\n\nx\n", i, ids[i]);
			assert_int_equal(mail_parse(&m[i], raw.buf, raw.len, MAIL_PARSE_FACTS_ONLY,
						    &err), 0);
		}
		list = digest_guess_list(ms, 3);
		assert_string_equal(list, "bpf@vger.kernel.org");
		free(list);
		for (i = 0; i < 3; i++)
			mail_release(&m[i]);
		strbuf_release(&raw);
		strbuf_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_entry_per_series_ranked),
		cmocka_unit_test(test_applied_ranks_and_shows),
		cmocka_unit_test(test_applied_from_notice_and_this_tree),
		cmocka_unit_test(test_applied_this_period),
		cmocka_unit_test(test_attention_lines),
		cmocka_unit_test(test_overview_week_day_month),
		cmocka_unit_test(test_empty_and_replies_only),
		cmocka_unit_test(test_same_title_other_address_and_pull),
		cmocka_unit_test(test_urls_limits_list),
	};
	return unit_run("digest", tests, ARRAY_SIZE(tests));
}
