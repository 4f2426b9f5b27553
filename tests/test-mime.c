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

static void check_header(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	mime_decode_header(&sb, in, strlen(in));
	if (strcmp(sb.buf, want))
		fail_msg("'%s' decodes to '%s', want '%s'", in, sb.buf, want);
	strbuf_release(&sb);
}

static void test_encoded_words(void **state)
{
	/* Whitespace between adjacent encoded words disappears (RFC 2047 6.2). */
	check_header("=?UTF-8?q?J=C3=B6rg?= =?utf-8?B?UsO2ZGVs?= <j@example.org>",
		     "J\xc3\xb6rgR\xc3\xb6" "del <j@example.org>");
	check_header("[PATCH] =?ISO-8859-1?Q?caf=E9?= time", "[PATCH] caf\xc3\xa9 time");
	check_header("=?x-unknown?Q?abc?= and =?broken", "abc and =?broken");
	/* A character split over two words; then a change of charset. */
	check_header("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?= =?iso-8859-1?q?=E9?=",
		     "caf\xc3\xa9\xc3\xa9");
	/* Language suffixes (RFC 2231), words glued to text, blanks inside Q text. */
	check_header("x=?UTF-8*en?Q?a b_c?=y =?utf-8?b?w6k=?=", "xa b cy \xc3\xa9");
	/* An "=?" that never closes leaves the rest plain. */
	check_header("=?a?q?x =?b?q?y =?utf-8?q?z", "=?a?q?x =?b?q?y =?utf-8?q?z");
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
	assert_int_equal(mime_to_utf8(&sb, LIT("\xe9"), "no-such-charset"), -2);
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
	strbuf_reset(&sb);
	/*
	 * Found by fuzz-mail: ASCII read as UCS-4 is values past U+10FFFF,
	 * which glibc writes as 6-byte "UTF-8".  Ours is UTF-8 still.
	 */
	strbuf_addstr(&sb, "kept: ");
	mime_to_utf8(&sb, LIT("\0\0\0A line"), "ucs-4");
	assert_true(mime_is_utf8(sb.buf, sb.len));
	assert_memory_equal(sb.buf, "kept: A\xef\xbf\xbd", 10);
	strbuf_release(&sb);
	assert_false(mime_is_utf8(LIT("\xc0\xaf")));	/* overlong */
	assert_false(mime_is_utf8(LIT("\xed\xa0\x80")));	/* surrogate */
	assert_true(mime_is_utf8(LIT("\xf0\x9f\x98\x80")));
}

/* 7-bit stateful charsets, names glibc spells otherwise, the lossless fallback. */
static void test_charsets_stateful_aliases_fallback(void **state)
{
	static const struct {
		const char *charset, *in, *out;
	} cases[] = {
		/* valid ASCII byte-wise, but kanji after the escape */
		{ "ISO-2022-JP", "\x1b$BF|K\\\x1b(B", "\xe6\x97\xa5\xe6\x9c\xac" },
		{ "iso-2022-kr", "\x1b$)C\x0e\x30\x21\x0f", "\xea\xb0\x80" },
		{ "utf-7", "+AOk-t+AOk-", "\xc3\xa9t\xc3\xa9" },
		/* IANA and x- names iconv knows otherwise */
		{ "ks_c_5601-1987", "\xb0\xa1", "\xea\xb0\x80" },
		{ "x-mac-roman", "\x8e", "\xc3\xa9" },
		{ "x-mac-cyrillic", "\x80", "\xd0\x90" },
		{ "windows-874", "\xa1", "\xe0\xb8\x81" },
		{ "x-sjis", "\x93\xfa", "\xe6\x97\xa5" },
		{ "x-euc-jp", "\xc6\xfc", "\xe6\x97\xa5" },
		{ "x-iso-8859-2", "\xb1", "\xc4\x85" },
	};
	struct strbuf sb = STRBUF_INIT, back = STRBUF_INIT;
	size_t i;
	int c;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strbuf_reset(&sb);
		if (mime_to_utf8(&sb, cases[i].in, strlen(cases[i].in), cases[i].charset))
			fail_msg("%s: not converted", cases[i].charset);
		assert_string_equal(sb.buf, cases[i].out);
	}
	/* In an encoded word too. */
	strbuf_reset(&sb);
	mime_decode_header(&sb, LIT("=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?="));
	assert_string_equal(sb.buf, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_true(mime_charset_is_stateful("iso-2022-jp-2"));
	assert_false(mime_charset_is_stateful("iso-8859-1"));
	/* An unknown charset: every byte 0x80-0xff comes back from the text. */
	strbuf_reset(&sb);
	for (c = 0x80; c < 0x100; c++)
		strbuf_addch(&back, c);
	assert_int_equal(mime_to_utf8(&sb, back.buf, back.len, "x-no-such"), -2);
	assert_true(mime_is_utf8(sb.buf, sb.len));
	assert_null(strstr(sb.buf, "\xef\xbf\xbd"));
	{
		/* Windows-1252 with C1 for its holes is a bijection: count the characters. */
		size_t chars = 0, k;

		for (k = 0; k < sb.len; k++)
			chars += ((unsigned char)sb.buf[k] & 0xc0) != 0x80;
		assert_int_equal(chars, 128);
	}
	strbuf_release(&back);
	strbuf_release(&sb);
}

static void test_params(void **state)
{
	static const struct {
		const char *value, *name, *want;
	} cases[] = {
		{ "text/plain; charset=\"UTF-8\"; format=flowed", "charset", "UTF-8" },
		{ "multipart/mixed;\n boundary=abc123", "boundary", "abc123" },
		{ "text/plain", "charset", NULL },
		/* "name" is not the end of "filename"; quoted semicolons and escapes. */
		{ "attachment; filename=\"a;b \\\"c\\\".patch\"; name=x", "name", "x" },
		{ "attachment; filename=\"a;b \\\"c\\\".patch\"; name=x", "filename", "a;b \"c\".patch" },
		/* RFC 2231: continuations and charset'language'%XX. */
		{ "attachment; filename*0=\"0001-a-very\"; filename*1=-long.patch", "filename",
		  "0001-a-very-long.patch" },
		{ "attachment; filename*=utf-8'en'caf%C3%A9.diff; filename=cafe.diff", "filename",
		  "caf\xc3\xa9.diff" },
		{ "x; filename*0*=iso-8859-1''%E9; filename*1*=t%E9.txt", "filename",
		  "\xc3\xa9t\xc3\xa9.txt" },
		{ "x; broken; =; charset", "charset", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *v = mime_header_param(cases[i].value, cases[i].name);

		if (cases[i].want ? !v || strcmp(v, cases[i].want) : v != NULL)
			fail_msg("%s in '%s': got '%s'", cases[i].name, cases[i].value, v ? v : "(null)");
		free(v);
	}
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
		cmocka_unit_test(test_charsets_stateful_aliases_fallback),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_unflow),
		cmocka_unit_test(test_html),
	};
	return unit_run("mime", tests, ARRAY_SIZE(tests));
}
