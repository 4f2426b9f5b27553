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

/*
 * Resident memory now, in MiB, and how much of it maps files (the index,
 * the packs): pages the kernel can drop and read again.  0 when the
 * system does not say.
 */
static void resident_mb(unsigned long *all, unsigned long *files)
{
	unsigned long pages = 0, rss = 0, shared = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f && fscanf(f, "%lu %lu %lu", &pages, &rss, &shared) != 3)
		rss = shared = 0;
	if (f)
		fclose(f);
	*all = rss * (unsigned long)sysconf(_SC_PAGESIZE) >> 20;
	*files = shared * (unsigned long)sysconf(_SC_PAGESIZE) >> 20;
}

void trace_performance(double start, const char *fmt, ...)
{
	const char *v = getenv("BPFDIGEST_TRACE_PERFORMANCE");
	unsigned long all, files;
	va_list ap;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	resident_mb(&all, &files);
	fprintf(stderr, "performance: %.6f s, %lu MiB resident (%lu of files): ",
		trace_clock() - start, all, files);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
