#include "unit.h"
#include "piconfig.h"
#include "strbuf.h"

#include <sys/stat.h>

static char *dir;

/* A path under the test's directory, in a static buffer. */
static const char *at(const char *rel)
{
	static char buf[4][4096];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", dir, rel);
	return buf[n];
}

static int setup(void **state)
{
	struct strbuf pi = STRBUF_INIT, lei = STRBUF_INIT;

	dir = unit_tmpdir();
	mkdir(at("xdg"), 0777);
	mkdir(at("xdg/lei"), 0777);
	mkdir(at("bpf"), 0777);
	mkdir(at("netdev"), 0777);
	strbuf_addf(&pi, "[publicinbox \"netdev\"]\n\tinboxdir = %s\n\taddress = netdev@vger.kernel.org\n",
		    at("netdev"));
	strbuf_addf(&pi, "[publicinbox \"bpf\"]\n\tinboxdir = %s\n"
		    "\taddress = bpf@vger.kernel.org\n\taddress = bpf@other.example\n", at("bpf"));
	strbuf_addstr(&pi, "[publicinbox \"old\"]\n\tmainrepo = /srv/old.git\n");
	unit_write_file(at("pi-config"), "w", pi.buf);
	strbuf_addf(&lei, "[external \"https://lore.kernel.org/bpf\"]\n\tboost = 0\n"
		    "[external \"%s/\"]\n\tboost = 0\n", at("mirrors/bpf"));
	unit_write_file(at("xdg/lei/config"), "w", lei.buf);
	setenv("PI_CONFIG", at("pi-config"), 1);
	setenv("XDG_CONFIG_HOME", at("xdg"), 1);
	strbuf_release(&pi);
	strbuf_release(&lei);
	return 0;
}

static int teardown(void **state)
{
	unit_rmtree(dir);
	free(dir);
	unsetenv("PI_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

static void test_inboxdir(void **state)
{
	char *got = piconfig_inboxdir("bpf");

	assert_string_equal(got, at("bpf"));
	free(got);
	got = piconfig_inboxdir("old");
	assert_string_equal(got, "/srv/old.git");
	free(got);
	assert_null(piconfig_inboxdir("nope"));
}

static void test_address_by_directory(void **state)
{
	/* The same directory spelt differently still names the inbox. */
	char *got = piconfig_address(at("netdev/../bpf/"));

	assert_string_equal(got, "bpf@vger.kernel.org");
	free(got);
	assert_null(piconfig_address(at("xdg")));
}

static void test_lei_external(void **state)
{
	char *got = piconfig_lei_external("bpf");

	/* The local external, not the https one with the same last component. */
	assert_string_equal(got, at("mirrors/bpf"));
	free(got);
	assert_null(piconfig_lei_external("netdev"));
}

static void test_no_files(void **state)
{
	setenv("PI_CONFIG", "/nonexistent/pi-config", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_null(piconfig_inboxdir("bpf"));
	assert_null(piconfig_lei_external("bpf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inboxdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_by_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lei_external, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_files, setup, teardown),
	};
	return unit_run("piconfig", tests, ARRAY_SIZE(tests));
}
