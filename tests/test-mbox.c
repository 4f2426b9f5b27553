#include "unit.h"
#include "mbox.h"
#include "strbuf.h"

struct collected {
	struct strbuf all;
	long n;
};

static int collect(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct collected *c = data;

	mbox_unquote(&c->all, msg, len);
	strbuf_addf(&c->all, "|@%llu\n", (unsigned long long)offset);
	c->n++;
	return 0;
}

static void test_split_mboxrd(void **state)
{
	static const char mbox[] =
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		"Subject: one\n\nbody\n>From the start\n>>From quoted\nFrom: not a separator\n\n"
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		"Subject: two\n\nx\n";
	struct collected c = { STRBUF_INIT, 0 };

	assert_int_equal(mbox_split(mbox, sizeof(mbox) - 1, collect, &c), 2);
	assert_string_equal(c.all.buf,
		"Subject: one\n\nbody\nFrom the start\n>From quoted\nFrom: not a separator\n|@0\n"
		"Subject: two\n\nx\n|@111\n");
	strbuf_release(&c.all);
}

/*
 * Found by fuzz/fuzz-mbox: writers end every message with a blank line,
 * the last one too, and it is not part of the message.  It was kept on
 * the last message only, so a message read differently depending on
 * whether mail followed it.
 */
static void test_last_message_blank_line(void **state)
{
	static const char mbox[] =
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nX: y\n\n"
		"From mboxrd@z Thu Jan  1 00:00:00 1970\nX: y\n\n";
	static const char crlf[] =
		"From x\r\nX: y\r\n\r\nbody\r\n\r\n";
	static const char no_blank[] = "From x\nX: y\n\nbody\n";
	struct collected c = { STRBUF_INIT, 0 };

	assert_int_equal(mbox_split(mbox, sizeof(mbox) - 1, collect, &c), 2);
	assert_string_equal(c.all.buf, "X: y\n|@0\nX: y\n|@45\n");
	strbuf_reset(&c.all);
	assert_int_equal(mbox_split(crlf, sizeof(crlf) - 1, collect, &c), 1);
	assert_string_equal(c.all.buf, "X: y\r\n\r\nbody\r\n|@0\n");
	strbuf_reset(&c.all);
	/* A last message without the blank line loses nothing. */
	assert_int_equal(mbox_split(no_blank, sizeof(no_blank) - 1, collect, &c), 1);
	assert_string_equal(c.all.buf, "X: y\n\nbody\n|@0\n");
	strbuf_release(&c.all);
}

static void test_bare_message(void **state)
{
	static const char eml[] = "Subject: bare\n\nFrom here on\n";
	struct collected c = { STRBUF_INIT, 0 };

	assert_int_equal(mbox_split(eml, sizeof(eml) - 1, collect, &c), 1);
	assert_int_equal(c.n, 1);
	strbuf_release(&c.all);
}

static void test_quote_roundtrip(void **state)
{
	static const char msg[] = "From: a\n\nFrom x\n>From y\n>>From z\nplain\n";
	struct strbuf q = STRBUF_INIT, u = STRBUF_INIT;

	mbox_quote(&q, msg, sizeof(msg) - 1);
	assert_string_equal(q.buf, "From: a\n\n>From x\n>>From y\n>>>From z\nplain\n");
	mbox_unquote(&u, q.buf, q.len);
	assert_string_equal(u.buf, msg);
	strbuf_release(&q);
	strbuf_release(&u);
}

static void test_unquote_mboxo(void **state)
{
	static const char quoted[] = "From: a\n\n>From x\n>>From y\nplain >From\n";
	struct strbuf rd = STRBUF_INIT, o = STRBUF_INIT;

	/* mboxo quoted only "From ": ">>From " is what the sender wrote. */
	mbox_unquote_mboxo(&o, quoted, sizeof(quoted) - 1);
	assert_string_equal(o.buf, "From: a\n\nFrom x\n>>From y\nplain >From\n");
	mbox_unquote(&rd, quoted, sizeof(quoted) - 1);
	assert_string_equal(rd.buf, "From: a\n\nFrom x\n>From y\nplain >From\n");
	strbuf_release(&rd);
	strbuf_release(&o);
}

/* What git mailsplit splits, and only that. */
static void test_split_as_git_mailsplit(void **state)
{
	/* Blank and blank-looking lines before the first "From " line. */
	static const char lead[] =
		"\n \t\n\nFrom a@b Thu Jan  1 00:00:00 1970\nX: 1\n\nbody\n";
	/* mboxo: the body's own "From " lines are not quoted. */
	static const char mboxo[] =
		"From a@b Thu Jan  1 00:00:00 1970\nX: 1\n\nbody\n\n"
		"From the start, this was wrong.\n\n"
		"From here on\n"
		"From a@b Thu Jan  1 00:00:00 1970\nnot after a blank line\n\n"
		"From a@b Mon Apr  6 10:00:00 2026\nX: 2\n\nx\n";
	/* mboxrd: one level of quoting comes off, no more. */
	static const char rd[] =
		"From a@b Thu Jan  1 00:00:00 1970\nX: 1\n\n>From a\n>>From b\n>>>From c\n";
	struct collected c = { STRBUF_INIT, 0 };

	assert_true(mbox_is_mbox(lead, sizeof(lead) - 1));
	assert_false(mbox_is_mbox("X: 1\n\nFrom a@b Thu Jan  1 00:00:00 1970\n", 36));
	assert_int_equal(mbox_split(lead, sizeof(lead) - 1, collect, &c), 1);
	assert_string_equal(c.all.buf, "X: 1\n\nbody\n|@5\n");
	strbuf_reset(&c.all);
	assert_int_equal(mbox_split(mboxo, sizeof(mboxo) - 1, collect, &c), 2);
	assert_string_equal(c.all.buf,
		"X: 1\n\nbody\n\nFrom the start, this was wrong.\n\nFrom here on\n"
		"From a@b Thu Jan  1 00:00:00 1970\nnot after a blank line\n|@0\n"
		"X: 2\n\nx\n|@150\n");
	strbuf_reset(&c.all);
	assert_int_equal(mbox_split(rd, sizeof(rd) - 1, collect, &c), 1);
	assert_string_equal(c.all.buf, "X: 1\n\nFrom a\n>From b\n>>From c\n|@0\n");
	strbuf_release(&c.all);
}

static void test_corpus_regen_count(void **state)
{
	struct collected c = { STRBUF_INIT, 0 };
	struct strbuf buf = STRBUF_INIT;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "regen/series.mbox");
	unit_read_file(&buf, path);
	assert_int_equal(mbox_split(buf.buf, buf.len, collect, &c), 2242);
	strbuf_release(&buf);
	strbuf_release(&c.all);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_mboxrd),
		cmocka_unit_test(test_last_message_blank_line),
		cmocka_unit_test(test_bare_message),
		cmocka_unit_test(test_quote_roundtrip),
		cmocka_unit_test(test_unquote_mboxo),
		cmocka_unit_test(test_split_as_git_mailsplit),
		cmocka_unit_test(test_corpus_regen_count),
	};
	return unit_run("mbox", tests, ARRAY_SIZE(tests));
}
