#include "unit.h"
#include "mail-trailer.h"
#include "mail.h"
#include "strbuf.h"

/*
 * These call mail-trailer.c directly, on a message body as mail.c hands
 * it over; tests/test-mail.c has git's rules case by case, through
 * mail_parse(), and checks them against libgit2 and the corpus.
 */

/* Every trailer as "Key: value\n", the block's marked with '*'. */
static void trailers_of(struct strbuf *out, const struct mail *m)
{
	size_t i;

	for (i = 0; i < m->trailers_nr; i++)
		strbuf_addf(out, "%s%s: %s\n", m->trailers[i].in_block ? "*" : "",
			    m->trailers[i].key, m->trailers[i].value);
}

/* Where the block is: its start and end in s; s stops where the message does. */
static void test_block_bounds(void **state)
{
	static const char body[] =
		"Text.\n"
		"\n"
		"Acked-by: B\n"
		"  <b@x>\n"
		"Link: https://x\n"
		"# a comment\n"
		"\n";
	struct strbuf got = STRBUF_INIT;
	struct mail m = { 0 };
	size_t alloc = 0, start, end;

	mail_trailer_block(&m, &alloc, body, strlen(body), &start, &end);
	assert_int_equal(start, 7);
	assert_int_equal(end, strlen(body) - strlen("# a comment\n\n"));
	trailers_of(&got, &m);
	assert_string_equal(got.buf, "*Acked-by: B <b@x>\n*Link: https://x\n");

	/* A last paragraph of prose: no block, start == end. */
	mail_release(&m);
	memset(&m, 0, sizeof(m));
	alloc = 0;
	mail_trailer_block(&m, &alloc, "Text.\n\nJust prose.\n", 19, &start, &end);
	assert_int_equal(start, end);
	assert_int_equal(m.trailers_nr, 0);
	mail_release(&m);
	strbuf_release(&got);
}

/*
 * A review line is taken indented, "<mailto:>" dropped, once; lines
 * that are not "*-by:" with an address are not.
 */
static void test_review(void **state)
{
	static const char *const lines[] = {
		"  Reviewed-by: R <r@x<mailto:r@x>>\n",
		"Reviewed-by: R <r@x>\n",
		"Reviewed-by: no address\n",
		"Cc: c@x\n",
		"\tTested-By: T <t@x>",
	};
	struct strbuf got = STRBUF_INIT;
	struct mail m = { 0 };
	size_t alloc = 0, i;

	for (i = 0; i < ARRAY_SIZE(lines); i++)
		mail_trailer_review(&m, &alloc, lines[i], lines[i] + strlen(lines[i]));
	trailers_of(&got, &m);
	assert_string_equal(got.buf, "Reviewed-by: R <r@x>\nTested-By: T <t@x>\n");
	mail_release(&m);
	strbuf_release(&got);
}

static void test_by_token(void **state)
{
	static const char acked[] = "Acked-BY: x", by[] = "-by: x", cc[] = "Cc: x";

	assert_true(is_by_token(acked + 8, acked));
	assert_false(is_by_token(by + 3, by));
	assert_false(is_by_token(cc + 2, cc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_bounds),
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_by_token),
	};
	return unit_run("mail-trailer", tests, ARRAY_SIZE(tests));
}
