#include "unit.h"
#include "strbuf.h"
#include "textsafe.h"

static void assert_line(const char *in, size_t len, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	textsafe_line(&sb, in, len);
	assert_string_equal(sb.buf, want);
	assert_int_equal(textsafe_is_safe(in, len, 0), len == strlen(want) && !memcmp(in, want, len));
	strbuf_release(&sb);
}

#define LINE(in, want) assert_line((in), sizeof(in) - 1, (want))

static void test_controls(void **state)
{
	LINE("bpf: Fix a leak", "bpf: Fix a leak");
	/* ANSI: clear the screen, colours, an OSC 8 hyperlink, a window title. */
	LINE("\033[2J\033[1;31mred\033[0m", " [2J [1;31mred [0m");
	LINE("\033]8;;http://evil/\033\\click\033]8;;\033\\", " ]8;;http://evil/ \\click ]8;; \\");
	LINE("\033]0;title\007x", " ]0;title x");
	LINE("a\rb\bc\x7f" "d", "a b c d");
	LINE("tab\there\nnext", "tab here next");
	LINE("nul\0byte", "nul byte");
	/* C1 controls in UTF-8: CSI (U+009B) and NEL (U+0085). */
	LINE("\xc2\x9b" "31m \xc2\x85", " 31m  ");
	/* Bidi overrides and isolates (Trojan Source). */
	LINE("a\xe2\x80\xae" "cba\xe2\x80\xac" "d\xe2\x81\xa6" "e\xe2\x81\xa9", "a cba d e ");
}

static void test_invisible(void **state)
{
	/* Line and paragraph separators: a line break no one sees in the source. */
	LINE("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "a b c");
	/* Bidi marks: LRM, RLM, ALM. */
	LINE("x\xe2\x80\x8e" "y\xe2\x80\x8f" "z\xd8\x9c", "x y z ");
	/* A BOM inside the text. */
	LINE("\xef\xbb\xbf" "bpf", " bpf");
	/* Tag characters: U+E0000, "hi" as U+E0068 U+E0069, U+E007F. */
	LINE("ok\xf3\xa0\x80\x80\xf3\xa0\x81\xa8\xf3\xa0\x81\xa9\xf3\xa0\x81\xbf!", "ok    !");
	/* Just past the tags: U+E0080 is another matter (unassigned, kept). */
	LINE("\xf3\xa0\x82\x80", "\xf3\xa0\x82\x80");
}

static void test_text_kept(void **state)
{
	/* Everything else that is text stays: accents, CJK, emoji, U+00A0, U+200B. */
	LINE("Jos\xc3\xa9 \xe7\xad\x94\xe5\xa4\x8d \xf0\x9f\x90\x9d \xc2\xa0|\xe2\x80\x8b|",
	     "Jos\xc3\xa9 \xe7\xad\x94\xe5\xa4\x8d \xf0\x9f\x90\x9d \xc2\xa0|\xe2\x80\x8b|");
	/* U+202F (narrow no-break space) and U+200D (emoji joiner) are text. */
	LINE("\xe2\x80\xaf\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
	     "\xe2\x80\xaf\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
}

static void assert_cap(const char *in, size_t max, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	textsafe_cap(&sb, in, max);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_cap(void **state)
{
	assert_cap("bpf: Fix", 8, "bpf: Fix");
	assert_cap("bpf: Fixes", 8, "bpf: Fi\xe2\x80\xa6");
	assert_cap("", 3, "");
	/* Characters, not bytes, and never half of one. */
	assert_cap("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	assert_cap("\xf0\x9f\x90\x9d\xf0\x9f\x90\x9d", 2, "\xf0\x9f\x90\x9d\xf0\x9f\x90\x9d");
}

static void test_invalid_utf8(void **state)
{
	/* Stray bytes, overlong forms, surrogates, beyond U+10FFFF, cut short. */
	LINE("caf\xe9", "caf\xef\xbf\xbd");
	LINE("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	LINE("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	LINE("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	LINE("ab\xe2\x82", "ab\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_text_and_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	textsafe_text(&sb, "line 1\n\tline \0332\r\n", 17);
	assert_string_equal(sb.buf, "line 1\n\tline  2 \n");
	assert_true(textsafe_is_safe(sb.buf, sb.len, 1));
	assert_false(textsafe_is_safe(sb.buf, sb.len, 0));

	/* In place, from an offset: what precedes it is left alone. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "\033kept:\033gone\n");
	textsafe_strbuf(&sb, 6, 0);
	assert_string_equal(sb.buf, "\033kept: gone ");

	s = textsafe_line_owned(xstrdup("fine"));
	assert_string_equal(s, "fine");
	free(s);
	s = textsafe_line_owned(xstrdup("\033[H"));
	assert_string_equal(s, " [H");
	free(s);
	assert_null(textsafe_line_owned(NULL));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_text_kept),
		cmocka_unit_test(test_invisible),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_text_and_strbuf),
	};

	return unit_run("textsafe", tests, ARRAY_SIZE(tests));
}
