#include "unit.h"
#include "config.h"

#include <stdlib.h>
#include <string.h>

static int collect(const char *value, void *data)
{
	struct strbuf_like { char buf[256]; } *out = data;

	strcat(out->buf, value);
	strcat(out->buf, ";");
	return 0;
}

static void test_parameters_old_and_new_style(void **state)
{
	struct config cfg = CONFIG_INIT;

	/* git < 2.31 wrote 'k=v'; later gits write 'k'='v'. */
	assert_int_equal(config_parse_parameters(&cfg,
		"'bpfdigest.inbox=/a' 'BpfDigest.Format'='json' 'core.bare' 'x.y'= "
		"'bpfdigest.inbox'='it'\\''s' 'x.empty'=''"), 0);
	assert_string_equal(config_get_string(&cfg, "bpfdigest.format"), "json");
	assert_string_equal(config_get_string(&cfg, "BPFDIGEST.FORMAT"), "json");
	assert_true(config_is_set(&cfg, "core.bare"));
	assert_null(config_get_string(&cfg, "core.bare"));
	/* "git -c x.y" is written 'x.y'=: set, without a value. */
	assert_true(config_is_set(&cfg, "x.y"));
	assert_null(config_get_string(&cfg, "x.y"));
	assert_string_equal(config_get_string(&cfg, "bpfdigest.inbox"), "it's");
	/* "git -c x.empty=" is written 'x.empty'='': an empty value. */
	assert_string_equal(config_get_string(&cfg, "x.empty"), "");
	config_free(&cfg);
}

static void test_parameters_malformed(void **state)
{
	struct config cfg = CONFIG_INIT;

	assert_int_equal(config_parse_parameters(&cfg, "'unterminated"), -1);
	assert_int_equal(config_parse_parameters(&cfg, "noquotes=1"), -1);
	config_free(&cfg);
}

static void test_subsection_case(void **state)
{
	struct config cfg = CONFIG_INIT;

	config_add(&cfg, "Bpfdigest.Area.Verifier", "kernel/bpf/verifier.c");
	assert_string_equal(config_get_string(&cfg, "bpfdigest.Area.verifier"),
			    "kernel/bpf/verifier.c");
	/* Subsection names are case-sensitive. */
	assert_null(config_get_string(&cfg, "bpfdigest.area.verifier"));
	config_free(&cfg);
}

static void test_multivar_and_reset(void **state)
{
	struct config cfg = CONFIG_INIT;
	struct { char buf[256]; } out = { "" };

	config_add(&cfg, "bpfdigest.inbox", "a");
	config_add(&cfg, "bpfdigest.inbox", "b");
	config_get_all(&cfg, "bpfdigest.inbox", collect, &out);
	assert_string_equal(out.buf, "a;b;");
	config_add(&cfg, "bpfdigest.inbox", "");
	config_add(&cfg, "bpfdigest.inbox", "c");
	out.buf[0] = '\0';
	config_get_all(&cfg, "bpfdigest.inbox", collect, &out);
	assert_string_equal(out.buf, "c;");
	config_free(&cfg);
}

static void test_bool_and_long(void **state)
{
	struct config cfg = CONFIG_INIT;
	int b = -1;
	long n = 0;

	assert_int_equal(config_parse_bool("Yes"), 1);
	assert_int_equal(config_parse_bool("off"), 0);
	assert_int_equal(config_parse_bool(""), 0);
	assert_int_equal(config_parse_bool(NULL), 1);
	assert_int_equal(config_parse_bool("maybe"), -1);
	config_add(&cfg, "a.b", "true");
	config_add(&cfg, "a.n", "32k");
	assert_int_equal(config_get_bool(&cfg, "a.b", &b), 1);
	assert_int_equal(b, 1);
	assert_int_equal(config_get_long(&cfg, "a.n", &n), 1);
	assert_int_equal(n, 32 * 1024);
	assert_int_equal(config_get_long(&cfg, "a.missing", &n), 0);
	config_free(&cfg);
}

static void test_environment_count(void **state)
{
	struct config cfg = CONFIG_INIT;

	setenv("GIT_CONFIG_COUNT", "1", 1);
	setenv("GIT_CONFIG_KEY_0", "bpfdigest.timezone", 1);
	setenv("GIT_CONFIG_VALUE_0", "Europe/Berlin", 1);
	setenv("GIT_CONFIG_PARAMETERS", "'bpfdigest.format'='markdown'", 1);
	setenv("HOME", "/nonexistent", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	assert_int_equal(config_load(&cfg, NULL), 0);
	assert_string_equal(config_get_string(&cfg, "bpfdigest.timezone"), "Europe/Berlin");
	assert_string_equal(config_get_string(&cfg, "bpfdigest.format"), "markdown");
	config_free(&cfg);
	unsetenv("GIT_CONFIG_COUNT");
	unsetenv("GIT_CONFIG_PARAMETERS");
}

static void assert_expands(const char *value, const char *expect)
{
	char *p = config_expand_path(value);

	assert_non_null(p);
	assert_string_equal(p, expect);
	free(p);
}

static void test_expand_path(void **state)
{
	struct config cfg = CONFIG_INIT;
	struct { char buf[256]; } out = { "" };

	setenv("HOME", "/home/h", 1);
	assert_expands("~/lore/bpf", "/home/h/lore/bpf");
	assert_expands("~", "/home/h");
	assert_expands("~root/x", "/root/x");
	assert_expands("mboxrd:~/a.mbox", "mboxrd:/home/h/a.mbox");
	/* Only a leading "~" (after a scheme) is a home directory. */
	assert_expands("/srv/~/x", "/srv/~/x");
	assert_expands("a b:~/x", "a b:~/x");
	assert_null(config_expand_path("~no-such-user-at-all/x"));

	config_add(&cfg, "bpfdigest.inbox", "~/a");
	config_add(&cfg, "bpfdigest.other", "~/b");
	config_add(&cfg, "bpfdigest.inbox", "/c");
	assert_int_equal(config_expand_paths(&cfg, "bpfdigest.inbox"), 0);
	config_get_all(&cfg, "bpfdigest.inbox", collect, &out);
	assert_string_equal(out.buf, "/home/h/a;/c;");
	assert_string_equal(config_get_string(&cfg, "bpfdigest.other"), "~/b");
	config_add(&cfg, "bpfdigest.inbox", "~no-such-user-at-all/x");
	assert_int_equal(config_expand_paths(&cfg, "bpfdigest.inbox"), -1);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parameters_old_and_new_style),
		cmocka_unit_test(test_parameters_malformed),
		cmocka_unit_test(test_subsection_case),
		cmocka_unit_test(test_multivar_and_reset),
		cmocka_unit_test(test_bool_and_long),
		cmocka_unit_test(test_environment_count),
		cmocka_unit_test(test_expand_path),
	};
	return unit_run("config", tests, ARRAY_SIZE(tests));
}
