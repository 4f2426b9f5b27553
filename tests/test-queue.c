#include "series-fixture.h"
#include "queue.h"

/*
 * Three series: widgets (v1, then v2 on Thursday, reviewed, a bot and a
 * human reply), a fix nobody answered, and an old one a month quiet; and
 * a discussion that quotes a diff, which patchwork takes for a series but
 * nobody posted for review: it is never in the queue.
 */
static void fixture(struct mails *ms)
{
	const char *mon = "Mon, 6 Apr 2026 10:00:00 +0000", *thu = "Thu, 9 Apr 2026 10:00:00 +0000";

	add(ms, jane, "c1@x", NULL, mon, "[PATCH bpf-next 0/2] bpf: Widget support", cover_body);
	add(ms, jane, "p1@x", "c1@x", mon, "[PATCH bpf-next 1/2] bpf: Add widgets", diff);
	add(ms, jane, "p2@x", "c1@x", mon, "[PATCH bpf-next 2/2] selftests/bpf: Test widgets", diff);
	add(ms, jane, "c2@x", NULL, thu, "[PATCH bpf-next v2 0/2] bpf: Widget support", cover_body);
	add(ms, jane, "q1@x", "c2@x", thu, "[PATCH bpf-next v2 1/2] bpf: Add widgets", diff);
	add(ms, jane, "q2@x", "c2@x", thu, "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets", diff);
	add(ms, "Rev <rev@kernel.org>", "r1@x", "c2@x", "Fri, 10 Apr 2026 10:00:00 +0000",
	    "Re: [PATCH bpf-next v2 0/2] bpf: Widget support", "Acked-by: Rev <rev@kernel.org>\n");
	add(ms, "Bot <bot+bpf-ci@kernel.org>", "b1@x", "c2@x q1@x", thu,
	    "Re: [PATCH bpf-next v2 1/2] bpf: Add widgets", "AI review\n");
	add(ms, "Late <late@kernel.org>", "r2@x", "c2@x q2@x", "Mon, 13 Apr 2026 10:00:00 +0000",
	    "Re: [PATCH bpf-next v2 2/2] selftests/bpf: Test widgets", "A question.\n");
	add(ms, "Max <max@example.org>", "f1@x", NULL, "Tue, 7 Apr 2026 10:00:00 +0000",
	    "[PATCH bpf] bpf: Fix a leak", diff);
	add(ms, "Old <old@example.org>", "o1@x", NULL, "Mon, 2 Mar 2026 10:00:00 +0000",
	    "[PATCH bpf-next] bpf: Old idea", diff);
	add(ms, "Ask <ask@example.org>", "d1@x", NULL, "Wed, 8 Apr 2026 09:00:00 +0000",
	    "BPF selftest: strace log before the fix", diff);
}

/* Every revision open, "posted" since its posting; the fix is "closed" (applied). */
static int fake_fill(struct queue_entry *e, const struct series_revision *rev, time_t at,
		     void *data)
{
	const char *closed = data;
	const struct series_patch *first = rev->cover ? rev->cover : rev->patches[0];

	if (closed && !strcmp(first->mail->mid, closed))
		return 0;
	e->state = "posted";
	e->state_id = rev->version;
	e->since = rev->date;
	CALLOC_ARRAY(e->patches, rev->patches_nr);
	e->patches_nr = rev->patches_nr;
	for (size_t i = 0; i < rev->patches_nr; i++) {
		e->patches[i].mid = rev->patches[i]->mail->mid;
		e->patches[i].position = rev->patches[i]->subject.position;
		e->patches[i].state = "posted";
	}
	return 1;
}

/* Marks what it finished: unchanged_since 7 on the first patch. */
static size_t finished;

static void fake_finish(struct queue_entry *e, const struct series_revision *rev, time_t at,
			void *data)
{
	(void)rev;
	(void)at;
	(void)data;
	finished++;
	if (e->patches_nr)
		e->patches[0].unchanged_since = 7;
}

static void build_at(struct queue *q, const struct series_set *set, const char *date,
		     const struct queue_filter *f, const char *closed, long window)
{
	struct queue_states states = { fake_fill, (void *)closed, fake_finish };
	struct queue_filter none = { NULL, 0, NULL, NULL };
	time_t at;
	int tz;

	assert_int_equal(date_parse(date, &at, &tz), 0);
	queue_init(q, at);
	finished = 0;
	queue_build(q, set, f ? f : &none, &states, window);
	/* Finished are the listed ones, and no other. */
	assert_int_equal(finished, q->nr);
	for (size_t i = 0; i < q->nr; i++)
		assert_int_equal(q->entries[i].patches[0].unchanged_since, 7);
}

static void test_open_oldest_first_as_of(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct queue q;
	const struct queue_entry *e;

	fixture(&ms);
	set = build(&ms);
	/* Saturday: v2 is the latest; the late reply of Monday is not yet sent. */
	build_at(&q, &set, "Sat, 11 Apr 2026 12:00:00 +0000", NULL, NULL, 0);
	assert_int_equal(q.nr, 3);
	assert_string_equal(q.entries[0].mid, "o1@x");
	assert_string_equal(q.entries[1].mid, "f1@x");
	e = &q.entries[2];
	assert_string_equal(e->mid, "c2@x");
	assert_int_equal(e->version, 2);
	assert_string_equal(e->title, "bpf: Widget support");
	assert_string_equal(e->last_human_reply.mid, "r1@x");
	assert_string_equal(e->last_human_reply.email, "rev@kernel.org");
	assert_int_equal(e->bot_replies, 1);
	assert_int_equal(e->reviews_nr, 1);
	assert_string_equal(e->reviews[0]->email, "rev@kernel.org");
	assert_int_equal(e->patches_nr, 2);
	assert_int_equal(e->patches[1].position, 2);
	queue_release(&q);

	/* Wednesday: v1 was the latest, nobody had answered. */
	build_at(&q, &set, "Wed, 8 Apr 2026 12:00:00 +0000", NULL, NULL, 0);
	assert_int_equal(q.nr, 3);
	assert_string_equal(q.entries[1].mid, "c1@x");
	assert_null(q.entries[1].last_human_reply.mid);
	queue_release(&q);

	/* Tuesday after: the late reply is the last; a closed series is left out. */
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", NULL, "f1@x", 0);
	assert_int_equal(q.nr, 2);
	assert_string_equal(q.entries[1].last_human_reply.mid, "r2@x");
	queue_release(&q);

	/* A month quiet: abandoned, with a window of 30 days. */
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", NULL, NULL, 30);
	assert_int_equal(q.nr, 2);
	assert_string_equal(q.entries[0].mid, "f1@x");
	queue_release(&q);
	release(&ms, &set);
}

static void test_filters(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct queue q;
	const unsigned v2[] = { 2 };
	struct queue_filter by_state = { v2, 1, NULL, NULL };
	struct queue_filter by_author = { NULL, 0, "MAX@example.org", NULL };
	struct queue_filter by_reviewer = { NULL, 0, NULL, "rev@kernel.org" };
	struct queue_filter nobody = { NULL, 0, NULL, "late@kernel.org" };

	fixture(&ms);
	set = build(&ms);
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", &by_state, NULL, 0);
	assert_int_equal(q.nr, 1);
	assert_string_equal(q.entries[0].mid, "c2@x");
	queue_release(&q);
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", &by_author, NULL, 0);
	assert_int_equal(q.nr, 1);
	assert_string_equal(q.entries[0].mid, "f1@x");
	queue_release(&q);
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", &by_reviewer, NULL, 0);
	assert_int_equal(q.nr, 1);
	assert_string_equal(q.entries[0].mid, "c2@x");
	queue_release(&q);
	/* A reply is no review. */
	build_at(&q, &set, "Tue, 14 Apr 2026 12:00:00 +0000", &nobody, NULL, 0);
	assert_int_equal(q.nr, 0);
	queue_release(&q);
	release(&ms, &set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_oldest_first_as_of),
		cmocka_unit_test(test_filters),
	};
	return unit_run("queue", tests, ARRAY_SIZE(tests));
}
