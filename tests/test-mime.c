#include "unit.h"
#include "mime.h"
#include "strbuf.h"

static void test_base64_and_qp(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	mime_decode_base64(&sb, "aGVsbG8g\nd29ybGQ=\n", 18);
	assert_string_equal(sb.buf, "hello world");
	strbuf_reset(&sb);
	mime_decode_qp(&sb, "caf=C3=A9 =\nau lait =3D ok=", 27);
	assert_string_equal(sb.buf, "caf\xc3\xa9 au lait = ok");
	strbuf_release(&sb);
}

static void test_encoded_words(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *in = "=?UTF-8?q?J=C3=B6rg?= =?utf-8?B?UsO2ZGVs?= <j@example.org>";

	mime_decode_header(&sb, in, strlen(in));
	/* Whitespace between adjacent encoded words disappears (RFC 2047 6.2). */
	assert_string_equal(sb.buf, "J\xc3\xb6rgR\xc3\xb6" "del <j@example.org>");
	strbuf_reset(&sb);
	in = "[PATCH] =?ISO-8859-1?Q?caf=E9?= time";
	mime_decode_header(&sb, in, strlen(in));
	assert_string_equal(sb.buf, "[PATCH] caf\xc3\xa9 time");
	strbuf_reset(&sb);
	in = "=?x-unknown?Q?abc?= and =?broken";
	mime_decode_header(&sb, in, strlen(in));
	assert_string_equal(sb.buf, "abc and =?broken");
	strbuf_release(&sb);
}

static void test_charsets(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	mime_to_utf8(&sb, "\xe9t\xe9", 3, "iso-8859-1");
	assert_string_equal(sb.buf, "\xc3\xa9t\xc3\xa9");
	strbuf_reset(&sb);
	/* A lying charset label: bytes that are not UTF-8 become Windows-1252. */
	mime_to_utf8(&sb, "\x93quoted\x94", 8, "utf-8");
	assert_true(mime_is_utf8(sb.buf, sb.len));
	assert_string_equal(sb.buf, "\xe2\x80\x9cquoted\xe2\x80\x9d");
	strbuf_reset(&sb);
	mime_to_utf8(&sb, "plain", 5, "no-such-charset");
	assert_string_equal(sb.buf, "plain");
	strbuf_release(&sb);
	assert_false(mime_is_utf8("\xc0\xaf", 2));	/* overlong */
	assert_false(mime_is_utf8("\xed\xa0\x80", 3));	/* surrogate */
	assert_true(mime_is_utf8("\xf0\x9f\x98\x80", 4));
}

static void test_params(void **state)
{
	char *v = mime_header_param("text/plain; charset=\"UTF-8\"; format=flowed", "charset");

	assert_string_equal(v, "UTF-8");
	free(v);
	v = mime_header_param("multipart/mixed;\n boundary=abc123", "boundary");
	assert_string_equal(v, "abc123");
	free(v);
	assert_null(mime_header_param("text/plain", "charset"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_and_qp),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_params),
	};
	return unit_run("mime", tests, ARRAY_SIZE(tests));
}
