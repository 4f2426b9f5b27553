#include "unit.h"
#include "color.h"
#include "config.h"
#include "strbuf.h"

#include <stdio.h>

static void assert_color(const char *value, const char *expect)
{
	char out[COLOR_MAXLEN];

	assert_int_equal(color_parse(value, out), 0);
	assert_string_equal(out, expect);
}

static void test_parse(void **state)
{
	char out[COLOR_MAXLEN];

	assert_color("red", "\033[31m");
	assert_color("bold red", "\033[1;31m");
	/* Attributes first, whatever the order written; then fore- and background. */
	assert_color("red bold", "\033[1;31m");
	assert_color("yellow blue ul", "\033[4;33;44m");
	assert_color("brightred", "\033[91m");
	assert_color("normal brightblue", "\033[104m");
	assert_color("default", "\033[39m");
	assert_color("208", "\033[38;5;208m");
	assert_color("#ff8700", "\033[38;2;255;135;0m");
	assert_color("  Bold  RED ", "\033[1;31m");
	assert_color("nobold no-ul dim", "\033[22;24;2m");
	assert_color("reset green", "\033[0;32m");
	assert_color("normal", "");
	assert_color("", "");
	assert_color("-1 red", "\033[41m");

	assert_int_equal(color_parse("purple", out), -1);
	assert_int_equal(color_parse("red green blue", out), -1);
	assert_int_equal(color_parse("256", out), -1);
	assert_int_equal(color_parse("#ff87", out), -1);
	assert_int_equal(color_parse("#gg8700", out), -1);
	assert_int_equal(color_parse("nobright", out), -1);
}

static void test_parse_longest(void **state)
{
	char out[COLOR_MAXLEN];

	assert_int_equal(color_parse("reset bold dim italic ul blink reverse strike "
				     "#ffffff #ffffff", out), 0);
	assert_true(strlen(out) < COLOR_MAXLEN);
}

static void test_when(void **state)
{
	enum color_when w;

	assert_int_equal(color_parse_when("always", &w), 0);
	assert_int_equal(w, COLOR_ALWAYS);
	assert_int_equal(color_parse_when("Never", &w), 0);
	assert_int_equal(w, COLOR_NEVER);
	assert_int_equal(color_parse_when("auto", &w), 0);
	assert_int_equal(w, COLOR_AUTO);
	/* As in git, a boolean true means auto, not always. */
	assert_int_equal(color_parse_when("true", &w), 0);
	assert_int_equal(w, COLOR_AUTO);
	assert_int_equal(color_parse_when(NULL, &w), 0);
	assert_int_equal(w, COLOR_AUTO);
	assert_int_equal(color_parse_when("off", &w), 0);
	assert_int_equal(w, COLOR_NEVER);
	assert_int_equal(color_parse_when("sometimes", &w), -1);
}

/* color_setup() with standard output away from any terminal. */
static const struct color_scheme *setup_off_tty(struct color_scheme *s,
						const struct config *cfg, int when)
{
	int saved = unit_stdout_to_null();
	const struct color_scheme *ret = color_setup(s, cfg, when);

	unit_stdout_restore(saved);
	return ret;
}

static void test_setup_order(void **state)
{
	struct config cfg = CONFIG_INIT;
	struct color_scheme s;

	unsetenv("GIT_PAGER_IN_USE");
	setenv("TERM", "xterm", 1);
	assert_null(setup_off_tty(&s, &cfg, -1));
	assert_ptr_equal(setup_off_tty(&s, &cfg, COLOR_ALWAYS), &s);
	assert_string_equal(s.code[COLOR_TITLE], "\033[1m");
	assert_string_equal(s.code[COLOR_POSTED], "\033[33m");
	assert_string_equal(s.code[COLOR_SUPERSEDED], "\033[31m");
	assert_string_equal(s.code[COLOR_APPLIED], "\033[32m");

	config_add(&cfg, "color.ui", "always");
	assert_non_null(setup_off_tty(&s, &cfg, -1));
	config_add(&cfg, "color.bpfdigest", "never");
	assert_null(setup_off_tty(&s, &cfg, -1));
	assert_non_null(setup_off_tty(&s, &cfg, COLOR_ALWAYS));
	config_add(&cfg, "color.bpfdigest", "always");
	assert_non_null(setup_off_tty(&s, &cfg, -1));
	assert_null(setup_off_tty(&s, &cfg, COLOR_NEVER));
	config_add(&cfg, "color.bpfdigest.title", "blue ul");
	config_add(&cfg, "color.bpfdigest.applied", "normal");
	assert_non_null(setup_off_tty(&s, &cfg, -1));
	assert_string_equal(s.code[COLOR_TITLE], "\033[4;34m");
	assert_string_equal(s.code[COLOR_APPLIED], "");
	config_free(&cfg);
}

static void test_setup_auto_pager(void **state)
{
	struct config cfg = CONFIG_INIT;
	struct color_scheme s;

	setenv("TERM", "xterm", 1);
	setenv("GIT_PAGER_IN_USE", "true", 1);
	assert_non_null(setup_off_tty(&s, &cfg, COLOR_AUTO));
	setenv("TERM", "dumb", 1);
	assert_null(setup_off_tty(&s, &cfg, COLOR_AUTO));
	unsetenv("TERM");
	assert_null(setup_off_tty(&s, &cfg, COLOR_AUTO));
	setenv("TERM", "xterm", 1);
	config_add(&cfg, "color.pager", "false");
	assert_null(setup_off_tty(&s, &cfg, COLOR_AUTO));
	setenv("GIT_PAGER_IN_USE", "false", 1);
	config_add(&cfg, "color.pager", "true");
	assert_null(setup_off_tty(&s, &cfg, COLOR_AUTO));
	unsetenv("GIT_PAGER_IN_USE");
	config_free(&cfg);
}

static void test_open_close(void **state)
{
	struct color_scheme s;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(color_parse("green", s.code[COLOR_APPLIED]), 0);
	assert_int_equal(color_parse("normal", s.code[COLOR_TITLE]), 0);
	color_open(&sb, &s, COLOR_APPLIED);
	strbuf_addstr(&sb, "applied");
	color_close(&sb, &s, COLOR_APPLIED);
	color_open(&sb, &s, COLOR_TITLE);
	strbuf_addstr(&sb, " title");
	color_close(&sb, &s, COLOR_TITLE);
	color_open(&sb, NULL, COLOR_APPLIED);
	strbuf_addstr(&sb, " plain");
	color_close(&sb, NULL, COLOR_APPLIED);
	color_add(&sb, &s, COLOR_APPLIED, " more");
	color_add(&sb, NULL, COLOR_APPLIED, " less");
	assert_string_equal(sb.buf, "\033[32mapplied\033[m title plain\033[32m more\033[m less");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_longest),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_setup_order),
		cmocka_unit_test(test_setup_auto_pager),
		cmocka_unit_test(test_open_close),
	};
	return unit_run("color", tests, ARRAY_SIZE(tests));
}
