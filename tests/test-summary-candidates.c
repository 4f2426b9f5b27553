#include "unit.h"
#include "strbuf.h"
#include "summary-candidates.h"

static const char message[] =
	"The loader is signed as a whole.\n\n"
	"Currently the signed loader accepts a metadata map that another program\n"
	"shares, so the hash it checks can change after the check.\n\n"
	"Fix this by rejecting metadata maps that are not exclusive to the loader.\n\n"
	"Signed-off-by: Jane Dev <jane@example.org>\n";

static void test_problem_and_fix(void **state)
{
	struct summary_candidates *c = xcalloc(1, sizeof(*c));
	char taken[SUMMARY_MAX_CANDIDATES] = { 0 };
	struct summary_candidate *k;

	c->title = "Reject non-exclusive metadata maps in the signed loader";
	c->lead = 1;
	summary_candidates_gather(c, message, "lead@x", SUMMARY_COMMIT_MESSAGE);
	/* The first says little the lead does not; it still counts in the order. */
	assert_int_equal(c->nr, 2);
	assert_int_equal(c->v[0].pos, 1);
	assert_string_equal(c->v[0].mid, "lead@x");
	assert_int_equal(c->v[0].part, SUMMARY_COMMIT_MESSAGE);

	/* Not the first sentences: the one saying what is wrong, and the one mending it. */
	k = summary_candidates_best(c, 1, taken, 0);
	assert_non_null(k);
	assert_string_equal(k->text, "Currently the signed loader accepts a metadata map that "
			    "another program shares, so the hash it checks can change after the check.");
	taken[k - c->v] = 1;
	k = summary_candidates_best(c, 0, taken, 0);
	assert_non_null(k);
	assert_string_equal(k->text, "Fix this by rejecting metadata maps that are not exclusive "
			    "to the loader.");
	taken[k - c->v] = 1;
	/* No cue of a problem in what is left: no problem to choose. */
	assert_null(summary_candidates_best(c, 1, taken, 0));
	summary_candidates_release(c);
	free(c);
}

static void test_left_out_and_weak(void **state)
{
	struct summary_candidates *c = xcalloc(1, sizeof(*c));
	char taken[SUMMARY_MAX_CANDIDATES] = { 0 };
	struct strbuf text = STRBUF_INIT;
	struct summary_candidate *k;
	size_t i;

	strbuf_addstr(&text, "Test the widget map type.\n\nAnd it also checks the other maps.\n\n"
		      "It works.\n\n");
	for (i = 0; i < 70; i++)
		strbuf_addstr(&text, "word ");
	strbuf_addstr(&text, "end.\n");
	c->title = "Test widget map types";

	/* Under its lead, sentences saying the title again are no candidates. */
	c->lead = 1;
	summary_candidates_gather(c, text.buf, "a@x", SUMMARY_COMMIT_MESSAGE);
	assert_int_equal(c->nr, 0);

	/* Without it they are; a conjunction opens none, and 70 words are too many. */
	c->lead = 0;
	summary_candidates_gather(c, text.buf, "a@x", SUMMARY_COMMIT_MESSAGE);
	assert_int_equal(c->nr, 2);
	assert_string_equal(c->v[0].text, "Test the widget map type.");
	assert_int_equal(c->v[0].weak, 0);
	assert_string_equal(c->v[1].text, "It works.");
	assert_int_equal(c->v[1].pos, 2);
	assert_int_equal(c->v[1].weak, 1);
	/* A short one only when asked for weak ones too. */
	taken[0] = 1;
	assert_null(summary_candidates_best(c, 0, taken, 0));
	k = summary_candidates_best(c, 0, taken, 1);
	assert_ptr_equal(k, &c->v[1]);
	taken[1] = 1;
	assert_null(summary_candidates_best(c, 0, taken, 1));

	/* A second text adds to the first, in an order of its own. */
	summary_candidates_gather(c, text.buf, "b@x", SUMMARY_COVER);
	assert_int_equal(c->nr, 4);
	assert_string_equal(c->v[2].text, "Test the widget map type.");
	assert_int_equal(c->v[2].pos, 0);
	assert_int_equal(c->v[2].part, SUMMARY_COVER);
	assert_string_equal(c->v[2].mid, "b@x");
	summary_candidates_release(c);
	free(c);

	/* Never more than SUMMARY_MAX_CANDIDATES. */
	c = xcalloc(1, sizeof(*c));
	c->title = "";
	strbuf_reset(&text);
	for (i = 0; i < 2 * SUMMARY_MAX_CANDIDATES; i++)
		strbuf_addf(&text, "The widget number %zu is fine now.\n\n", i);
	summary_candidates_gather(c, text.buf, "c@x", SUMMARY_COMMIT_MESSAGE);
	assert_int_equal(c->nr, SUMMARY_MAX_CANDIDATES);
	summary_candidates_release(c);
	free(c);
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_problem_and_fix),
		cmocka_unit_test(test_left_out_and_weak),
	};
	return unit_run("summary-candidates", tests, ARRAY_SIZE(tests));
}
