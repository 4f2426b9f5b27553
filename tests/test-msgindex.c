#include "unit.h"
#include "mail.h"
#include "msgindex.h"
#include "series.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DAY (24 * 60 * 60)

static struct mail m[8];
static struct mail *mails[8];
static char *refs_reply[] = { "cover@x" };
static char *link_v1[] = { "cover@x" };

static void set(size_t i, const char *mid, const char *irt, const char *subject,
		const char *email, time_t date)
{
	memset(&m[i], 0, sizeof(m[i]));
	m[i].mid = (char *)mid;
	m[i].in_reply_to = (char *)irt;
	m[i].subject = (char *)subject;
	m[i].from_email = (char *)email;
	m[i].from_name = (char *)"";
	m[i].date = date;
	m[i].flags = MAIL_HAS_DATE;
	mails[i] = &m[i];
}

/*
 * The messages of the components posted in [start, end) of m[0..nr),
 * with the times archive_times() gives, marked in two parts as the
 * pipeline does.
 */
static size_t select_period(size_t nr, const uint32_t *comp, time_t start, time_t end,
			    uint32_t *sel)
{
	unsigned char want[8] = { 0 };
	time_t when[8], date[8];
	size_t i, half = nr / 2;

	for (i = 0; i < nr; i++) {
		when[i] = mail_period_time(mails[i]);
		date[i] = (mails[i]->flags & MAIL_HAS_DATE) ? mails[i]->date : when[i];
	}
	msgindex_mark_period(want, comp, when, date, half, start, end);
	msgindex_mark_period(want, comp + half, when + half, date + half, nr - half, start, end);
	return msgindex_select_marked(want, comp, nr, sel);
}

static void test_components(void **state)
{
	uint32_t comp[8], sel[8];
	size_t n;

	(void)state;
	set(0, "cover@x", NULL, "[PATCH 0/1] bpf: Do a thing", "a@x", 10 * DAY);
	set(1, "p1@x", "cover@x", "[PATCH 1/1] bpf: Do it", "a@x", 10 * DAY + 1);
	set(2, "re@x", NULL, "Re: [PATCH 1/1] bpf: Do it", "b@x", 40 * DAY);
	m[2].refs = refs_reply;
	m[2].refs_nr = 1;
	/* v2, unthreaded, months later: joined by its "Link to v1". */
	set(3, "v2@x", NULL, "[PATCH v2] bpf: Do a better thing", "a@x", 100 * DAY);
	m[3].links = link_v1;
	m[3].links_nr = 1;
	/* Same title as v2 from someone else: joined, titles are across senders. */
	set(4, "other@x", NULL, "[PATCH] bpf: Do a better thing", "c@x", 300 * DAY);
	/* b4 change-id. */
	set(5, "cid1@x", NULL, "[PATCH] libbpf: One", "d@x", 500 * DAY);
	m[5].change_id = (char *)"20250101-one";
	set(6, "cid2@x", NULL, "[PATCH v2] libbpf: One, reworded", "e@x", 600 * DAY);
	m[6].change_id = (char *)"20250101-one";
	/* Alone. */
	set(7, "lone@x", NULL, "[PATCH] selftests: Unrelated", "f@x", 700 * DAY);

	assert_int_equal(msgindex_components(mails, 8, comp), 3);
	assert_int_equal(comp[1], 0);
	assert_int_equal(comp[2], 0);
	assert_int_equal(comp[3], 0);
	assert_int_equal(comp[4], 0);
	assert_int_equal(comp[6], 5);
	assert_int_equal(comp[7], 7);

	/* A period holding only the reply selects its whole component. */
	n = select_period(8, comp, 40 * DAY, 41 * DAY, sel);
	assert_int_equal(n, 5);
	assert_int_equal(sel[4], 4);
	n = select_period(8, comp, 600 * DAY, 601 * DAY, sel);
	assert_int_equal(n, 2);
	assert_int_equal(sel[0], 5);
	assert_int_equal(select_period(8, comp, 800 * DAY, 801 * DAY, sel), 0);
	/* Named messages: the reply brings its thread and the v2; two of one component, once. */
	{
		uint32_t which[] = { 2, 6, 0 };

		n = msgindex_select_messages(comp, 8, which, 3, sel);
		assert_int_equal(n, 7);
		assert_int_equal(sel[5], 5);
		assert_int_equal(sel[6], 6);
		assert_int_equal(msgindex_select_messages(comp, 8, which, 0, sel), 0);
	}
	/*
	 * A bad clock: dated day 800, arrived day 700 (the period counts the
	 * arrival), yet the queue reads the Date: either selects it.
	 */
	m[7].arrival = 700 * DAY;
	m[7].date = 800 * DAY;
	assert_int_equal(mail_period_time(&m[7]), 700 * DAY);
	assert_int_equal(select_period(8, comp, 800 * DAY, 801 * DAY, sel), 1);
	assert_int_equal(select_period(8, comp, 700 * DAY, 701 * DAY, sel), 1);
	assert_int_equal(sel[0], 7);
}

static void test_unthreaded_window(void **state)
{
	uint32_t comp[8];

	(void)state;
	set(0, "u1@x", NULL, "[PATCH 1/2] net: First", "a@x", 10 * DAY);
	set(1, "u2@x", NULL, "[PATCH 2/2] net: Second", "a@x", 10 * DAY + 60);
	/* Another version, or another sender, or a day later: apart. */
	set(2, "u3@x", NULL, "[PATCH v2 1/2] net: Third", "a@x", 10 * DAY + 120);
	set(3, "u4@x", NULL, "[PATCH 1/2] net: Fourth", "b@x", 10 * DAY + 120);
	set(4, "u5@x", NULL, "[PATCH 1/2] net: Fifth", "a@x", 12 * DAY);
	assert_int_equal(msgindex_components(mails, 5, comp), 4);
	assert_int_equal(comp[1], 0);
	assert_int_equal(comp[2], 2);
	assert_int_equal(comp[3], 3);
	assert_int_equal(comp[4], 4);
}

/*
 * One title over the years: joined while each posting is within the
 * reroll window of the part before it, apart past it.  A part is judged
 * by all its times: a thread's late reply keeps it near a later posting.
 */
static void test_title_window(void **state)
{
	uint32_t comp[8];
	const time_t year = SERIES_REROLL_WINDOW;

	(void)state;
	set(0, "t1@x", NULL, "[PATCH] bpf: Fix the verifier", "a@x", 10 * DAY);
	set(1, "t2@x", NULL, "[PATCH v2] bpf: Fix the verifier", "a@x", 10 * DAY + year);
	/* A year and a day after v2: nothing chains so far back. */
	set(2, "t3@x", NULL, "[PATCH] bpf: Fix the verifier", "b@x", 11 * DAY + 2 * year);
	/* Its thread goes on for two years... */
	set(3, "t3r@x", "t3@x", "Re: [PATCH] bpf: Fix the verifier", "c@x", 11 * DAY + 4 * year);
	/* ... so a posting of the title a year after that reply is with it. */
	set(4, "t4@x", NULL, "[PATCH v2] bpf: Fix the verifier", "b@x", 11 * DAY + 5 * year);
	set(5, "t5@x", NULL, "[PATCH] bpf: Fix the verifier", "d@x", 12 * DAY + 6 * year);
	assert_int_equal(msgindex_components(mails, 6, comp), 3);
	assert_int_equal(comp[1], 0);
	assert_int_equal(comp[2], 2);
	assert_int_equal(comp[3], 2);
	assert_int_equal(comp[4], 2);
	assert_int_equal(comp[5], 5);
}

static void test_on_disk(void **state)
{
	uint32_t comp[8], back[8];
	char dir[] = "/tmp/test-msgindex.XXXXXX", path[64], bad[64];
	uint64_t key;
	FILE *f;
	long size;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.comp", dir);
	snprintf(bad, sizeof(bad), "%s/bad.comp", dir);
	set(0, "a@x", NULL, "[PATCH] bpf: A", "a@x", 10 * DAY);
	set(1, "b@x", "a@x", "Re: [PATCH] bpf: A", "b@x", 11 * DAY);
	set(2, "c@x", NULL, "[PATCH] bpf: C", "c@x", 12 * DAY);
	assert_int_equal(msgindex_components(mails, 3, comp), 2);
	key = msgindex_key(0x1234);
	assert_int_equal(msgindex_read(path, key, back, 3), MSGINDEX_STALE);
	assert_int_equal(msgindex_write(path, key, comp, 3), 0);
	memset(back, 0xff, sizeof(back));
	assert_int_equal(msgindex_read(path, key, back, 3), 0);
	assert_memory_equal(back, comp, 3 * sizeof(*comp));
	/* Another archive (another index): another key; or another count. */
	assert_true(msgindex_key(0x1235) != key);
	assert_int_equal(msgindex_key(0x1234), key);
	assert_int_equal(msgindex_read(path, msgindex_key(0x1235), back, 3), MSGINDEX_STALE);
	assert_int_equal(msgindex_read(path, key, back, 2), MSGINDEX_STALE);

	/* Cut short, then one byte of the components flipped: damaged, not trusted. */
	f = fopen(path, "rb");
	assert_non_null(f);
	{
		unsigned char buf[256];
		size_t n = fread(buf, 1, sizeof(buf), f);
		FILE *g;

		fclose(f);
		g = fopen(bad, "wb");
		fwrite(buf, 1, n - 1, g);
		fclose(g);
		assert_int_equal(msgindex_read(bad, key, back, 3), MSGINDEX_DAMAGED);
		buf[n - 4] ^= 1;
		g = fopen(bad, "wb");
		fwrite(buf, 1, n, g);
		fclose(g);
		assert_int_equal(msgindex_read(bad, key, back, 3), MSGINDEX_DAMAGED);
		/* Garbage where the magic is. */
		g = fopen(bad, "wb");
		fputs("not a components file at all, but long enough to have a header", g);
		fclose(g);
		assert_int_equal(msgindex_read(bad, key, back, 3), MSGINDEX_DAMAGED);
		size = (long)n;
	}
	assert_true(size > 0);
	/* A component named by a later message cannot be ours, checksum or not. */
	comp[0] = 2;
	assert_int_equal(msgindex_write(bad, key, comp, 3), 0);
	assert_int_equal(msgindex_read(bad, key, back, 3), MSGINDEX_DAMAGED);
	unlink(path);
	unlink(bad);
	rmdir(dir);
}

/*
 * The facts of an archive's messages, kept, give a builder of the archive
 * grown the same components as joining it all again; facts of another
 * index, or damaged, are not used.
 */
static void test_facts_resume(void **state)
{
	uint32_t comp[8], again[8];
	char dir[] = "/tmp/test-msgindex.XXXXXX", path[64];
	struct msgindex_builder *b;
	uint64_t id = 0;
	size_t nr = 0, i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.facts", dir);
	set(0, "cover@x", NULL, "[PATCH 0/1] bpf: Do a thing", "a@x", 10 * DAY);
	set(1, "p1@x", "cover@x", "[PATCH 1/1] bpf: Do it", "a@x", 10 * DAY + 1);
	set(2, "u1@x", NULL, "[PATCH 1/2] net: First", "b@x", 20 * DAY);
	set(3, "u2@x", NULL, "[PATCH 2/2] net: Second", "b@x", 20 * DAY + 60);
	set(4, "v2@x", NULL, "[PATCH v2 0/1] bpf: Do a thing", "c@x", 50 * DAY);
	set(5, "re@x", "p1@x", "Re: [PATCH 1/1] bpf: Do it", "d@x", 60 * DAY);
	set(6, "cid@x", NULL, "[PATCH] libbpf: One", "e@x", 70 * DAY);
	m[6].change_id = (char *)"20250101-one";
	set(7, "cid2@x", NULL, "[PATCH v2] libbpf: One, reworded", "e@x", 80 * DAY);
	m[7].change_id = (char *)"20250101-one";
	/* The thread and its v2 by title, the unthreaded pair, the change-id: three. */
	assert_int_equal(msgindex_components(mails, 8, comp), 3);
	/* The first five, kept under identity 7. */
	b = msgindex_builder_new(5);
	msgindex_builder_keep_facts(b);
	for (i = 0; i < 5; i++)
		msgindex_builder_add(b, mails[i]);
	assert_int_equal(msgindex_facts_write(path, b, 7), 0);
	msgindex_builder_finish(b, NULL);
	assert_int_equal(msgindex_facts_peek(path, &id, &nr), 0);
	assert_true(id == 7 && nr == 5);
	/* Grown to eight: the five from the file, three read. */
	b = msgindex_builder_new(8);
	assert_int_equal(msgindex_builder_resume(b, path, 7, 5), 0);
	for (i = 5; i < 8; i++)
		msgindex_builder_add(b, mails[i]);
	assert_int_equal(msgindex_builder_finish(b, again), 3);
	assert_memory_equal(again, comp, sizeof(comp));
	/* Another identity or count: stale; a byte changed: damaged; the builder untouched. */
	b = msgindex_builder_new(8);
	assert_int_equal(msgindex_builder_resume(b, path, 8, 5), MSGINDEX_STALE);
	assert_int_equal(msgindex_builder_resume(b, path, 7, 4), MSGINDEX_STALE);
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, -3, SEEK_END);
	fputc(0x55, f);
	fclose(f);
	assert_int_equal(msgindex_builder_resume(b, path, 7, 5), MSGINDEX_DAMAGED);
	for (i = 0; i < 8; i++)
		msgindex_builder_add(b, mails[i]);
	assert_int_equal(msgindex_builder_finish(b, again), 3);
	assert_memory_equal(again, comp, sizeof(comp));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_unthreaded_window),
		cmocka_unit_test(test_title_window),
		cmocka_unit_test(test_on_disk),
		cmocka_unit_test(test_facts_resume),
	};
	return unit_run("msgindex", tests, ARRAY_SIZE(tests));
}
