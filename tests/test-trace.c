/*
 * test-trace.c - stage timings: silent unless asked, one line when asked.
 */
#include "unit.h"
#include "trace.h"

#include <stdio.h>
#include <unistd.h>

/* What trace_performance() writes on stderr, with BPFDIGEST_TRACE_PERFORMANCE=value. */
static void traced(char *out, size_t size, const char *value)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(f);
	if (value)
		setenv("BPFDIGEST_TRACE_PERFORMANCE", value, 1);
	else
		unsetenv("BPFDIGEST_TRACE_PERFORMANCE");
	fflush(stderr);
	dup2(fileno(f), 2);
	trace_performance(trace_clock(), "series: %zu messages", (size_t)42);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void test_silent_unless_asked(void **state)
{
	char out[256];

	(void)state;
	traced(out, sizeof(out), NULL);
	assert_string_equal(out, "");
	traced(out, sizeof(out), "0");
	assert_string_equal(out, "");
	traced(out, sizeof(out), "");
	assert_string_equal(out, "");
}

static void test_one_line_when_asked(void **state)
{
	char out[256];
	double a, b;

	(void)state;
	traced(out, sizeof(out), "1");
	assert_true(!strncmp(out, "performance: 0.0", 16));
	assert_non_null(strstr(out, " MiB resident ("));
	assert_non_null(strstr(out, " of files): series: 42 messages\n"));
	/* One line: its only newline ends it. */
	assert_ptr_equal(strchr(out, '\n') + 1, out + strlen(out));
	a = trace_clock();
	b = trace_clock();
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_unless_asked),
		cmocka_unit_test(test_one_line_when_asked),
	};

	return unit_run("trace", tests, ARRAY_SIZE(tests));
}
