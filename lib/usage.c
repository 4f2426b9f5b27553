#include "usage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t warnings;
static int quiet;
static die_routine_fn die_routine;

static void vreport(const char *prefix, const char *fmt, va_list ap,
		    const char *suffix, char *out, size_t outsz)
{
	int n = vsnprintf(out, outsz, fmt, ap);

	if (suffix && n >= 0 && (size_t)n < outsz)
		snprintf(out + n, outsz - n, ": %s", suffix);
	fflush(stdout);
	fprintf(stderr, "%s%s\n", prefix, out);
}

NORETURN static void vdie(const char *suffix, const char *fmt, va_list ap)
{
	char msg[4096];

	vreport("fatal: ", fmt, ap, suffix, msg, sizeof(msg));
	if (die_routine)
		die_routine(EXIT_FATAL, msg);
	exit(EXIT_FATAL);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(NULL, fmt, ap);
}

void die_errno(const char *fmt, ...)
{
	const char *why = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vdie(why, fmt, ap);
}

int error(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL, msg, sizeof(msg));
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	char msg[4096];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(saved), msg, sizeof(msg));
	va_end(ap);
	errno = saved;
	return -1;
}

void warning(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	warnings++;
	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, NULL, msg, sizeof(msg));
	va_end(ap);
}

size_t warning_count(void)
{
	return warnings;
}

void usage_set_quiet(int q)
{
	quiet = q;
}

void usage_set_die_routine(die_routine_fn fn)
{
	die_routine = fn;
}
