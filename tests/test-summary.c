#include "unit.h"
#include "strbuf.h"
#include "summary.h"

struct sentences {
	char got[8][256];
	size_t nr;
};

static int keep(const char *s, size_t len, void *data)
{
	struct sentences *out = data;

	if (out->nr < 8)
		snprintf(out->got[out->nr++], 256, "%.*s", (int)len, s);
	return 0;
}

static void test_sentences_keep_abbreviations(void **state)
{
	struct sentences s = { .nr = 0 };

	summary_sentences("Use foo() here, e.g. on v6.12 kernels. It works. Does it? Yes!", keep, &s);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.got[0], "Use foo() here, e.g. on v6.12 kernels.");
	assert_string_equal(s.got[1], "It works.");
	assert_string_equal(s.got[2], "Does it?");
	assert_string_equal(s.got[3], "Yes!");
}

static void test_prose_drops_noise(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	summary_prose(&sb,
		"The map leaks when the\nlookup fails.\n\n"
		"  BUG: KASAN: use-after-free in foo+0x10\n  Call Trace:\n\n"
		"On Mon, Jane wrote:\n> quoted\n\n"
		"Link: https://lore.kernel.org/r/x@y\n\n"
		"Fix it.\n\n"
		"Signed-off-by: A <a@b.c>\n");
	assert_string_equal(sb.buf, "The map leaks when the lookup fails.\nFix it.");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_keep_abbreviations),
		cmocka_unit_test(test_prose_drops_noise),
	};
	return unit_run("summary", tests, ARRAY_SIZE(tests));
}
