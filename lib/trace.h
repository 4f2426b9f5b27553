/*
 * trace.h - how long the stages of a run take, on request.
 *
 * With BPFDIGEST_TRACE_PERFORMANCE set (and not "0"), trace_performance()
 * says on stderr how long a stage took, as GIT_TRACE_PERFORMANCE does
 * for git, and how much memory the run holds at its end:
 * "performance: 0.091417 s, 41 MiB resident (12 of files): period: 9070
 * of 151340 messages".
 * The benchmarks time one stage of a run with it, and tests read what
 * the stage says of its work.
 *
 *   double start = trace_clock();
 *   ... the stage ...
 *   trace_performance(start, "series: %zu messages", n);
 */
#ifndef BPFDIGEST_TRACE_H
#define BPFDIGEST_TRACE_H

#include "usage.h"

/* Seconds on the monotonic clock: a start for trace_performance(). */
double trace_clock(void);
/* The line, when tracing is on; nothing otherwise. */
PRINTF_LIKE(2, 3) void trace_performance(double start, const char *fmt, ...);

#endif
