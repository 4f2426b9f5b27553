/*
 * trace.c - stage timings on stderr (see trace.h).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double trace_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory now, in MiB (0 when the system does not say). */
static unsigned long resident_mb(void)
{
	unsigned long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * (unsigned long)sysconf(_SC_PAGESIZE) >> 20;
}

void trace_performance(double start, const char *fmt, ...)
{
	const char *v = getenv("BPFDIGEST_TRACE_PERFORMANCE");
	va_list ap;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	fprintf(stderr, "performance: %.6f s, %lu MiB resident: ", trace_clock() - start,
		resident_mb());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
