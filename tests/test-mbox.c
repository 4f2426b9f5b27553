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
		cmocka_unit_test(test_bare_message),
		cmocka_unit_test(test_quote_roundtrip),
		cmocka_unit_test(test_unquote_mboxo),
		cmocka_unit_test(test_corpus_regen_count),
	};
	return unit_run("mbox", tests, ARRAY_SIZE(tests));
}
