#include "unit.h"
#include "mime.h"
#include "strbuf.h"

/* A string literal and its length. */
#define LIT(s) s, sizeof(s) - 1

static void test_base64_and_qp(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	mime_decode_base64(&sb, LIT("aGVsbG8g\nd29ybGQ=\n"));
	assert_string_equal(sb.buf, "hello world");
	strbuf_reset(&sb);
	/* Junk skipped; chunks concatenated after padding still decode. */
	mime_decode_base64(&sb, LIT("aG*k=\r\naGk="));
	assert_string_equal(sb.buf, "hihi");
	strbuf_reset(&sb);
	mime_decode_qp(&sb, LIT("caf=C3=A9 =\nau lait =3D ok="));
	assert_string_equal(sb.buf, "caf\xc3\xa9 au lait = ok");
	strbuf_reset(&sb);
	/* CRLF soft breaks, blanks before them, lowercase hex, a lone "=". */
	mime_decode_qp(&sb, LIT("a= \r\nb=e9 =G1 =\t\nc"));
	assert_string_equal(sb.buf, "ab\xe9 =G1 c");
	strbuf_release(&sb);
}

static void test_ascii_and_utf8(void **state)
{
	static const char long_ascii[] = "0123456789abcdef0123456789abcdef0123456789";

	assert_true(mime_is_ascii(long_ascii, sizeof(long_ascii) - 1));
	assert_false(mime_is_ascii(LIT("0123456789abcdef0123456789abcdef\x80")));
	assert_false(mime_is_ascii(LIT("x\xc3\xa9")));
	assert_true(mime_is_ascii(LIT("")));
	assert_true(mime_is_utf8(LIT("0123456789abcdef\xc3\xa9 and more ascii")));
	assert_false(mime_is_utf8(LIT("0123456789abcdef\xc3")));	/* cut short */
	assert_true(mime_is_utf8(LIT("a\0b")));
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
	strbuf_reset(&sb);
	/* A character split over two words; then a change of charset. */
	in = "=?utf-8?q?caf=C3?= =?utf-8?q?=A9?= =?iso-8859-1?q?=E9?=";
	mime_decode_header(&sb, in, strlen(in));
	assert_string_equal(sb.buf, "caf\xc3\xa9\xc3\xa9");
	strbuf_reset(&sb);
	/* Language suffixes (RFC 2231), words glued to text, blanks inside Q text. */
	in = "x=?UTF-8*en?Q?a b_c?=y =?utf-8?b?w6k=?=";
	mime_decode_header(&sb, in, strlen(in));
	assert_string_equal(sb.buf, "xa b cy \xc3\xa9");
	strbuf_release(&sb);
}

static void test_charsets(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	mime_to_utf8(&sb, LIT("\xe9t\xe9"), "iso-8859-1");
	assert_string_equal(sb.buf, "\xc3\xa9t\xc3\xa9");
	strbuf_reset(&sb);
	/* A lying charset label: bytes that are not UTF-8 become Windows-1252. */
	mime_to_utf8(&sb, LIT("\x93quoted\x94"), "utf-8");
	assert_true(mime_is_utf8(sb.buf, sb.len));
	assert_string_equal(sb.buf, "\xe2\x80\x9cquoted\xe2\x80\x9d");
	strbuf_reset(&sb);
	assert_int_equal(mime_to_utf8(&sb, LIT("plain"), "no-such-charset"), 0);
	assert_string_equal(sb.buf, "plain");
	strbuf_reset(&sb);
	/* Unknown charsets and invalid text say so, and still give UTF-8. */
	assert_int_equal(mime_to_utf8(&sb, LIT("\xe9"), "no-such-charset"), -1);
	assert_string_equal(sb.buf, "\xc3\xa9");
	strbuf_reset(&sb);
	assert_int_equal(mime_to_utf8(&sb, LIT("\x81\x30"), "shift_jis"), -1);
	assert_true(mime_is_utf8(sb.buf, sb.len));
	strbuf_reset(&sb);
	assert_int_equal(mime_to_utf8(&sb, LIT("\xb1"), "iso-8859-2"), 0);
	assert_string_equal(sb.buf, "\xc4\x85");
	strbuf_reset(&sb);
	/* UTF-16 is not read as ASCII even though it could be valid UTF-8. */
	assert_int_equal(mime_to_utf8(&sb, LIT("h\0i\0"), "utf-16le"), 0);
	assert_string_equal(sb.buf, "hi");
	strbuf_release(&sb);
	assert_false(mime_is_utf8(LIT("\xc0\xaf")));	/* overlong */
	assert_false(mime_is_utf8(LIT("\xed\xa0\x80")));	/* surrogate */
	assert_true(mime_is_utf8(LIT("\xf0\x9f\x98\x80")));
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
	/* "name" is not the end of "filename"; quoted semicolons and escapes. */
	v = mime_header_param("attachment; filename=\"a;b \\\"c\\\".patch\"; name=x", "name");
	assert_string_equal(v, "x");
	free(v);
	v = mime_header_param("attachment; filename=\"a;b \\\"c\\\".patch\"; name=x", "filename");
	assert_string_equal(v, "a;b \"c\".patch");
	free(v);
	/* RFC 2231: continuations and charset'language'%XX. */
	v = mime_header_param("attachment; filename*0=\"0001-a-very\"; filename*1=-long.patch", "filename");
	assert_string_equal(v, "0001-a-very-long.patch");
	free(v);
	v = mime_header_param("attachment; filename*=utf-8'en'caf%C3%A9.diff; filename=cafe.diff",
			      "filename");
	assert_string_equal(v, "caf\xc3\xa9.diff");
	free(v);
	v = mime_header_param("x; filename*0*=iso-8859-1''%E9; filename*1*=t%E9.txt", "filename");
	assert_string_equal(v, "\xc3\xa9t\xc3\xa9.txt");
	free(v);
	assert_null(mime_header_param("x; broken; =; charset", "charset"));
}

static void test_unflow(void **state)
{
	static const char in[] =
		"A soft \nbreak and a hard\n"
		" stuffed \n"
		"line\n"
		"> quoted \n"
		">> deeper\n"
		"> \n"
		"-- \n"
		"sig";
	struct strbuf sb = STRBUF_INIT;

	mime_unflow(&sb, in, sizeof(in) - 1, 0);
	assert_string_equal(sb.buf, "A soft break and a hard\n"
				    "stuffed line\n"
				    "> quoted \n"
				    ">> deeper\n"
				    ">\n"
				    "-- \n"
				    "sig");
	strbuf_reset(&sb);
	mime_unflow(&sb, LIT("ab \ncd\r\n"), 1);
	assert_string_equal(sb.buf, "abcd\n");
	strbuf_release(&sb);
}

static void test_html(void **state)
{
	static const char in[] =
		"<HTML><head><title>t</title><STYLE>p {}</STYLE></head>"
		"<body><p>One &amp; two&nbsp;&lt;x&gt;</p><script>alert(1)</script>"
		"Three<br>&#233;&#xe9; &bogus; &</body></html>";
	struct strbuf sb = STRBUF_INIT;

	mime_html_to_text(&sb, in, sizeof(in) - 1);
	assert_string_equal(sb.buf, "One & two <x>\nThree\n\xc3\xa9\xc3\xa9 &bogus; &");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_and_qp),
		cmocka_unit_test(test_ascii_and_utf8),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_unflow),
		cmocka_unit_test(test_html),
	};
	return unit_run("mime", tests, ARRAY_SIZE(tests));
}
