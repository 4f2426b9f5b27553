#include "unit.h"
#include "mail-header.h"
#include "mail.h"
#include "strbuf.h"

#include <stdlib.h>

/* Malformed ids are kept as written, without their stray brackets. */
static void test_normalize_mid(void **state)
{
	char *id;

	id = mail_normalize_mid(" <unterminated@x", 16);
	assert_string_equal(id, "unterminated@x");
	free(id);
	id = mail_normalize_mid("<with space@x>", 14);
	assert_string_equal(id, "with space@x");
	free(id);
	assert_null(mail_normalize_mid("<>", 2));
	assert_null(mail_normalize_mid("   ", 3));
}

/* The first of repeated headers counts; folding stays in the raw value until unfolded. */
static void test_scan_and_unfold(void **state)
{
	static const char raw[] =
		"Subject: first\n"
		"\tfolded\n"
		"X-Other: skipped\n"
		"subject: second\n"
		"From: \"Doe, Jane\" <Jane@Example.ORG>\n"
		"\n"
		"body\n";
	struct header_block hb;
	struct strbuf sb = STRBUF_INIT;
	char *name, *email;

	assert_int_equal(mail_header_scan(&hb, raw, sizeof(raw) - 1), 4);
	assert_string_equal(raw + hb.end, "body\n");
	assert_null(hb.h[H_DATE].value);
	mail_header_unfold(&sb, &hb.h[H_SUBJECT]);
	assert_string_equal(sb.buf, "first folded");
	mail_header_address(&hb.h[H_FROM], &name, &email);
	assert_string_equal(name, "Doe, Jane");
	assert_string_equal(email, "Jane@example.org");
	free(name);
	free(email);
	strbuf_release(&sb);

	assert_int_equal(mail_header_scan(&hb, "no header here\n", 15), 0);
}

static void test_skip_from_line(void **state)
{
	const char *raw = "From jane Mon Sep 17 00:00:00 2001\nSubject: x\n";
	size_t len = strlen(raw);

	mail_skip_from_line(&raw, &len);
	assert_string_equal(raw, "Subject: x\n");
	assert_int_equal(len, 11);
}

static void test_add_unique(void **state)
{
	char **list = NULL;
	size_t nr = 0, alloc = 0, i;

	mail_list_add_unique(&list, &nr, &alloc, xstrdup("a@x"));
	mail_list_add_unique(&list, &nr, &alloc, xstrdup("b@x"));
	mail_list_add_unique(&list, &nr, &alloc, xstrdup("a@x"));
	assert_int_equal(nr, 2);
	assert_string_equal(list[0], "a@x");
	assert_string_equal(list[1], "b@x");
	for (i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_mid),
		cmocka_unit_test(test_scan_and_unfold),
		cmocka_unit_test(test_skip_from_line),
		cmocka_unit_test(test_add_unique),
	};
	return unit_run("mail-header", tests, ARRAY_SIZE(tests));
}
