/*
 * trace.c - stage timings on stderr (see trace.h).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double trace_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void trace_performance(double start, const char *fmt, ...)
{
	const char *v = getenv("BPFDIGEST_TRACE_PERFORMANCE");
	va_list ap;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	fprintf(stderr, "performance: %.6f s: ", trace_clock() - start);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
