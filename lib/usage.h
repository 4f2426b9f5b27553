/*
 * usage.h - how git-bpfdigest reports trouble.
 *
 * The conventions are git's: messages are lowercase, have no final period
 * and quote the object they are about ("cannot open inbox '%s': %s").
 *
 *  - die() prints "fatal: ..." and exits 128; the run cannot go on.
 *  - die_usage() prints "usage: ..." style text and exits 129.
 *  - error() prints "error: ..." and returns -1 so callers can
 *    "return error(...)".
 *  - warning() prints "warning: ..." and counts the warning; bad input
 *    (a broken mail among thousands) is a warning, never a crash.
 *
 * The program name used in messages is set once by usage_set_program().
 */
#ifndef BPFDIGEST_USAGE_H
#define BPFDIGEST_USAGE_H

#include <stddef.h>

#define EXIT_FATAL 128
#define EXIT_USAGE 129

#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#define NORETURN __attribute__((noreturn))

NORETURN PRINTF_LIKE(1, 2) void die(const char *fmt, ...);
/* Like die(), with ": <strerror(errno)>" appended. */
NORETURN PRINTF_LIKE(1, 2) void die_errno(const char *fmt, ...);
PRINTF_LIKE(1, 2) int error(const char *fmt, ...);
/* Like error(), with ": <strerror(errno)>" appended; errno is preserved. */
PRINTF_LIKE(1, 2) int error_errno(const char *fmt, ...);
PRINTF_LIKE(1, 2) void warning(const char *fmt, ...);

/* Number of warning() calls so far, for the end-of-run summary. */
size_t warning_count(void);

/* When quiet, warning() still counts but prints nothing (for -q). */
void usage_set_quiet(int quiet);

/*
 * die() normally exits the process.  Tests of code that dies install a
 * routine here that longjmp()s out instead; it must not return.
 */
typedef NORETURN void (*die_routine_fn)(int code, const char *msg);
void usage_set_die_routine(die_routine_fn fn);

#endif
