/*
 * test-state.c - review states: each state, precedence, as-of, staleDays,
 * unchanged/new/dropped patches.
 */
#include "series-fixture.h"
#include "state.h"
#include "state-changes.h"

static const char *const two[] = { "bpf: one", "bpf: two", NULL };

/* 2025-03-01 10:00:00 UTC and days after it. */
static time_t day(int n)
{
	return date_utc(2025, 3, 1, 10, 0, 0) + (time_t)n * 86400;
}

static void stamp(char *buf, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static void reply(struct mails *ms, const char *from, const char *mid, const char *refs,
		  int when, const char *body)
{
	char date[64];

	stamp(date, sizeof(date), day(when) + 3600);
	add(ms, from, mid, refs, date, "Re: [PATCH 1/2] bpf: one", body);
}

struct world {
	struct mails ms;
	struct series_set set;
	struct series_state st;
};

static const struct state_revision *compute(struct world *w, time_t at, unsigned stale)
{
	struct state_options opts = STATE_OPTIONS_INIT;

	w->set = build(&w->ms);
	assert_int_equal(w->set.nr, 1);
	opts.at = at;
	if (stale)
		opts.stale_days = stale;
	assert_int_equal(state_series(&w->st, w->set.series[0], &opts), 0);
	return &w->st.revisions[w->st.nr - 1];
}

static void done(struct world *w)
{
	series_state_release(&w->st);
	release(&w->ms, &w->set);
}

static void test_names(void **unused)
{
	int i;

	for (i = 0; i < STATE_NR; i++)
		assert_int_equal(state_parse(state_name(i)), i);
	assert_int_equal(state_parse("changes-requested"), STATE_CHANGES_REQUESTED);
	assert_int_equal(state_parse("bogus"), -1);
	assert_false(state_is_decided(STATE_STALLED));
	assert_false(state_is_decided(STATE_POSTED));
	assert_true(state_is_decided(STATE_NACKED));
}

static void test_posted_then_stalled(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	r = compute(&w, day(2), 0);
	assert_int_equal(r->state, STATE_POSTED);
	assert_null(r->evidence.mid);
	series_state_release(&w.st);
	series_set_release(&w.set);
	/* Seven days (the default) without a reply. */
	r = compute(&w, day(8), 0);
	assert_int_equal(r->state, STATE_STALLED);
	series_state_release(&w.st);
	series_set_release(&w.set);
	/* staleDays = 10: not yet. */
	r = compute(&w, day(8), 10);
	assert_int_equal(r->state, STATE_POSTED);
	done(&w);
}

static void test_reply_keeps_it_alive(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 5, "Looks odd.\n");
	r = compute(&w, day(8), 0);
	assert_int_equal(r->state, STATE_POSTED);
	done(&w);
}

static void test_reviewed(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 1,
	      "Fine.\n\nAcked-by: Rev <rev@kernel.org>\n");
	r = compute(&w, day(20), 0);
	assert_int_equal(r->patches[0].state, STATE_REVIEWED);
	assert_string_equal(r->patches[0].evidence.mid, "r1@x");
	/* The other patch is stalled; the revision takes the stronger. */
	assert_int_equal(r->patches[1].state, STATE_STALLED);
	assert_int_equal(r->state, STATE_REVIEWED);
	assert_string_equal(r->evidence.mid, "r1@x");
	done(&w);
}

static void test_nacked_is_no_review(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 1,
	      "No.\n\nNacked-by: Rev <rev@kernel.org>\n");
	r = compute(&w, day(2), 0);
	assert_int_equal(w.set.series[0]->revisions[0]->patches[0]->reviews_nr, 0);
	assert_int_equal(r->patches[0].state, STATE_NACKED);
	assert_int_equal(r->state, STATE_NACKED);
	assert_string_equal(r->evidence.mid, "r1@x");
	done(&w);
}

static void test_nak_line_and_quotes(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	/* A quoted verdict is someone else's. */
	reply(&w.ms, "Other <o@x.org>", "r1@x", "a0@x a1@x", 1, "> pw-bot: cr\n> NAK\n\nhm\n");
	r = compute(&w, day(2), 0);
	assert_int_equal(r->state, STATE_POSTED);
	series_state_release(&w.st);
	series_set_release(&w.set);
	reply(&w.ms, "Rev <rev@kernel.org>", "r2@x", "a0@x a1@x", 1, "NAK\n");
	r = compute(&w, day(2), 0);
	assert_int_equal(r->state, STATE_NACKED);
	assert_string_equal(r->evidence.mid, "r2@x");
	done(&w);
}

static void test_changes_requested_and_deferred(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 1,
	      "Please rework.\n\nAcked-by: Rev <rev@kernel.org>\n");
	reply(&w.ms, "Max <max@kernel.org>", "r2@x", "a0@x", 2, "Later.\n\npw-bot: defer\n");
	/* As of day 1.5 the defer is not there yet. */
	r = compute(&w, day(1) + 43200, 0);
	assert_int_equal(r->state, STATE_REVIEWED);
	series_state_release(&w.st);
	series_set_release(&w.set);
	r = compute(&w, day(3), 0);
	assert_int_equal(r->state, STATE_DEFERRED);
	assert_string_equal(r->evidence.mid, "r2@x");
	series_state_release(&w.st);
	series_set_release(&w.set);
	reply(&w.ms, "Max <max@kernel.org>", "r3@x", "a0@x a2@x", 3,
	      "See above.\n\npw-bot: changes-requested\n");
	r = compute(&w, day(4), 0);
	assert_int_equal(r->state, STATE_CHANGES_REQUESTED);
	assert_string_equal(r->evidence.mid, "r3@x");
	assert_int_equal(r->patches[1].state, STATE_CHANGES_REQUESTED);
	/* The cover's defer reaches both patches; the cr only its own. */
	assert_int_equal(r->patches[0].state, STATE_DEFERRED);
	done(&w);
}

static void test_bot_verdict_ignored(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "patchwork-bot+netdevbpf@kernel.org", "r1@x", "a0@x", 1,
	      "Hello:\n\npw-bot: cr\n");
	r = compute(&w, day(2), 0);
	assert_int_equal(r->state, STATE_POSTED);
	done(&w);
}

static void test_superseded_and_as_of(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 1, "NAK\n");
	post(&w.ms, jane, "b", "2025-03-05 10:00:00", "PATCH v2", "t", two);
	r = compute(&w, day(6), 0);
	assert_int_equal(w.st.nr, 2);
	/* superseded beats nacked. */
	assert_int_equal(w.st.revisions[0].state, STATE_SUPERSEDED);
	assert_string_equal(w.st.revisions[0].evidence.mid, "b0@x");
	assert_int_equal(r->state, STATE_POSTED);
	series_state_release(&w.st);
	series_set_release(&w.set);
	/* As of day 3, v2 does not exist yet. */
	r = compute(&w, day(3), 0);
	assert_int_equal(w.st.revisions[0].state, STATE_NACKED);
	assert_false(w.st.revisions[1].seen);
	done(&w);
}

static void test_applied_by_notice(void **unused)
{
	struct world w = { 0 };
	const struct state_revision *r;
	char date[64];

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH bpf-next", "t", two);
	reply(&w.ms, "Rev <rev@kernel.org>", "r1@x", "a0@x a1@x", 1, "NAK\n");
	stamp(date, sizeof(date), day(3));
	add(&w.ms, "patchwork-bot+netdevbpf@kernel.org", "bot@x", "a0@x a1@x", date,
	    "Re: [PATCH bpf-next 1/2] bpf: one",
	    "Hello:\n\nThis patch was applied to bpf/bpf-next.git (master)\n"
	    "by Alexei Starovoitov <ast@kernel.org>:\n\n"
	    "On Sat, 1 Mar 2025 you wrote:\n\n"
	    "Here is the summary with links:\n"
	    "  - [bpf-next,1/2] bpf: one\n"
	    "    https://git.kernel.org/bpf/bpf-next/c/0123456789ab\n\n"
	    "You are awesome, thank you!\n");
	r = compute(&w, day(4), 0);
	assert_non_null(w.set.series[0]->revisions[0]->patches[0]->applied);
	assert_int_equal(r->patches[0].state, STATE_APPLIED);
	assert_string_equal(r->patches[0].evidence.mid, "bot@x");
	assert_int_equal(r->state, STATE_PARTIALLY_APPLIED);
	series_state_release(&w.st);
	series_set_release(&w.set);
	r = compute(&w, day(2), 0);
	assert_int_equal(r->state, STATE_NACKED);
	done(&w);
}

/* Mails with their bodies, for patch-ids. */
static void add_full(struct mails *ms, const char *mid, const char *refs, const char *date,
		     const char *subject, const char *body)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	strbuf_addf(&raw, "From: %s\nMessage-ID: <%s>\nDate: %s\nSubject: %s\n", jane, mid,
		    date, subject);
	if (refs)
		strbuf_addf(&raw, "In-Reply-To: <%s>\nReferences: <%s>\n", refs, refs);
	strbuf_addf(&raw, "\n%s", body);
	assert_int_equal(mail_parse(m, raw.buf, raw.len, 0, &err), 0);
	ALLOC_GROW(ms->v, ms->nr + 1, ms->alloc);
	ms->v[ms->nr++] = m;
	strmap_put(&ms->mids, m->mid, m);
	strbuf_release(&raw);
	strbuf_release(&err);
}

static char *patch_body(const char *file, const char *line)
{
	return xstrfmt("msg\n\nSigned-off-by: J <j@x.org>\n---\n\n"
		       "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1 @@\n-a\n+%s\n",
		       file, file, file, file, line);
}

static void revision(struct mails *ms, const char *id, int when, const char *v,
		     const char *const *lines, size_t n)
{
	char date[64], *cover = xstrfmt("%s0@x", id), *subject;
	size_t k;

	stamp(date, sizeof(date), day(when));
	subject = xstrfmt("[PATCH%s 0/%zu] topic", v, n);
	add_full(ms, cover, NULL, date, subject, cover_body);
	free(subject);
	for (k = 1; k <= n; k++) {
		char *mid = xstrfmt("%s%zu@x", id, k), *body = patch_body("f.c", lines[k - 1]);

		subject = xstrfmt("[PATCH%s %zu/%zu] bpf: patch %s", v, k, n,
				  k == 3 ? "three" : k == 2 ? "two" : "one");
		stamp(date, sizeof(date), day(when) + (time_t)k);
		add_full(ms, mid, cover, date, subject, body);
		free(mid);
		free(body);
		free(subject);
	}
	free(cover);
}

static void test_unchanged_new_dropped(void **unused)
{
	static const char *const v1[] = { "x", "y", "z" };
	static const char *const v2[] = { "x", "y2" };
	static const char *const v3[] = { "x", "y2", "w" };
	struct world w = { 0 };
	const struct state_revision *r;

	revision(&w.ms, "a", 0, "", v1, 3);
	revision(&w.ms, "b", 2, " v2", v2, 2);
	revision(&w.ms, "c", 4, " v3", v3, 3);
	r = compute(&w, day(5), 0);
	assert_int_equal(w.st.nr, 3);
	/* v2 dropped patch 3. */
	assert_int_equal(w.st.revisions[1].dropped_nr, 1);
	assert_int_equal(w.st.revisions[1].dropped[0], 3);
	assert_int_equal(w.st.revisions[1].patches[0].unchanged_since, 1);
	assert_int_equal(w.st.revisions[1].patches[1].unchanged_since, 2);
	/* v3: 1/3 the same since v1, 2/3 since v2, 3/3 new. */
	assert_int_equal(r->patches_nr, 3);
	assert_int_equal(r->patches[0].unchanged_since, 1);
	assert_int_equal(r->patches[1].unchanged_since, 2);
	assert_int_equal(r->patches[2].unchanged_since, 3);
	assert_false(r->patches[0].is_new);
	assert_true(r->patches[2].is_new);
	assert_int_equal(r->dropped_nr, 0);
	assert_true(r->patches[0].patch_id_ok);
	done(&w);
}

static void test_wanted_bodies(void **unused)
{
	struct world w = { 0 };
	struct mail **mails = NULL;
	size_t nr = 0, alloc = 0;

	post(&w.ms, jane, "a", "2025-03-01 10:00:00", "PATCH", "t", two);
	w.set = build(&w.ms);
	state_wanted_bodies(&mails, &nr, &alloc, w.set.series[0]);
	assert_int_equal(nr, 2);
	assert_string_equal(mails[0]->mid, "a1@x");
	free(mails);
	release(&w.ms, &w.set);
}

static void test_describe_changes(void **unused)
{
	struct state_file_change f[] = { { "kernel/bpf/verifier.c", 2, 1 } };
	struct state_changes c = { f, 1, 1, 2, 1 };
	struct strbuf sb = STRBUF_INIT;

	state_describe_changes(&sb, NULL);
	assert_string_equal(sb.buf, "");
	state_describe_changes(&sb, &c);
	assert_string_equal(sb.buf, "applied with changes to kernel/bpf/verifier.c, +2 \u22121");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_posted_then_stalled),
		cmocka_unit_test(test_reply_keeps_it_alive),
		cmocka_unit_test(test_reviewed),
		cmocka_unit_test(test_nacked_is_no_review),
		cmocka_unit_test(test_nak_line_and_quotes),
		cmocka_unit_test(test_changes_requested_and_deferred),
		cmocka_unit_test(test_bot_verdict_ignored),
		cmocka_unit_test(test_superseded_and_as_of),
		cmocka_unit_test(test_applied_by_notice),
		cmocka_unit_test(test_unchanged_new_dropped),
		cmocka_unit_test(test_wanted_bodies),
		cmocka_unit_test(test_describe_changes),
	};

	return unit_run("state", tests, ARRAY_SIZE(tests));
}
