#include "unit.h"
#include "sentence.h"

#include <stdio.h>

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

static int count(const char *s, size_t len, void *data)
{
	return 0;
}

static void test_sentences_keep_abbreviations(void **state)
{
	struct sentences s = { .nr = 0 };

	sentence_split("Use foo() here, e.g. on v6.12 kernels. It works. Does it? Yes!", keep, &s);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.got[0], "Use foo() here, e.g. on v6.12 kernels.");
	assert_string_equal(s.got[1], "It works.");
	assert_string_equal(s.got[2], "Does it?");
	assert_string_equal(s.got[3], "Yes!");
}

static void test_sentences_identifiers_quotes_initials(void **state)
{
	struct sentences s = { .nr = 0 };

	sentence_split("Reported by A. Starovoitov, i.e. the maintainer. bpftrace is useful "
			  "(see the docs.) It calls \"foo().\" Then it stops\nNew paragraph",
			  keep, &s);
	assert_int_equal(s.nr, 5);
	assert_string_equal(s.got[0], "Reported by A. Starovoitov, i.e. the maintainer.");
	assert_string_equal(s.got[1], "bpftrace is useful (see the docs.)");
	assert_string_equal(s.got[2], "It calls \"foo().\"");
	assert_string_equal(s.got[3], "Then it stops");
	assert_string_equal(s.got[4], "New paragraph");
	assert_int_equal(sentence_split("", count, NULL), 0);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_keep_abbreviations),
		cmocka_unit_test(test_sentences_identifiers_quotes_initials),
	};
	return unit_run("sentence", tests, ARRAY_SIZE(tests));
}
