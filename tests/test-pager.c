#include "unit.h"
#include "config.h"
#include "pager.h"

#include <stdio.h>

static void test_config(void **state)
{
	struct config cfg = CONFIG_INIT;
	const char *cmd;

	assert_int_equal(pager_config(&cfg, "pager.bpfdigest", &cmd), -1);
	assert_null(cmd);
	config_add(&cfg, "pager.bpfdigest", "false");
	assert_int_equal(pager_config(&cfg, "pager.bpfdigest", &cmd), 0);
	/* "[pager] bpfdigest" with no value is true. */
	config_add(&cfg, "pager.bpfdigest", NULL);
	assert_int_equal(pager_config(&cfg, "pager.bpfdigest", &cmd), 1);
	assert_null(cmd);
	config_add(&cfg, "pager.bpfdigest", "less -S");
	assert_int_equal(pager_config(&cfg, "pager.bpfdigest", &cmd), 1);
	assert_string_equal(cmd, "less -S");
	config_free(&cfg);
}

static void test_program_order(void **state)
{
	struct config cfg = CONFIG_INIT;

	unsetenv("GIT_PAGER");
	unsetenv("PAGER");
	assert_string_equal(pager_program(&cfg, NULL), "less");
	assert_string_equal(pager_program(NULL, NULL), "less");
	setenv("PAGER", "more", 1);
	assert_string_equal(pager_program(&cfg, NULL), "more");
	config_add(&cfg, "core.pager", "most");
	assert_string_equal(pager_program(&cfg, NULL), "most");
	assert_string_equal(pager_program(&cfg, "lv"), "lv");
	setenv("GIT_PAGER", "pg", 1);
	assert_string_equal(pager_program(&cfg, "lv"), "pg");
	/* "cat" and "" mean no pager, wherever they come from. */
	setenv("GIT_PAGER", "cat", 1);
	assert_null(pager_program(&cfg, "lv"));
	setenv("GIT_PAGER", "", 1);
	assert_null(pager_program(&cfg, "lv"));
	unsetenv("GIT_PAGER");
	config_add(&cfg, "core.pager", "");
	assert_null(pager_program(&cfg, NULL));
	unsetenv("PAGER");
	config_free(&cfg);
}

static void test_in_use(void **state)
{
	unsetenv("GIT_PAGER_IN_USE");
	assert_false(pager_in_use());
	setenv("GIT_PAGER_IN_USE", "true", 1);
	assert_true(pager_in_use());
	setenv("GIT_PAGER_IN_USE", "1", 1);
	assert_true(pager_in_use());
	setenv("GIT_PAGER_IN_USE", "false", 1);
	assert_false(pager_in_use());
	setenv("GIT_PAGER_IN_USE", "", 1);
	assert_false(pager_in_use());
	unsetenv("GIT_PAGER_IN_USE");
}

/* Away from a terminal nothing starts, and nothing claims a pager. */
static void test_start_needs_terminal(void **state)
{
	struct config cfg = CONFIG_INIT;
	int saved, started;

	unsetenv("GIT_PAGER_IN_USE");
	setenv("GIT_PAGER", "false", 1);
	saved = unit_stdout_to_null();
	started = pager_start(&cfg, NULL);
	unit_stdout_restore(saved);
	assert_int_equal(started, 0);
	assert_false(pager_in_use());
	unsetenv("GIT_PAGER");
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_program_order),
		cmocka_unit_test(test_in_use),
		cmocka_unit_test(test_start_needs_terminal),
	};
	return unit_run("pager", tests, ARRAY_SIZE(tests));
}
