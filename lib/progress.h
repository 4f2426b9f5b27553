/*
 * progress.h - "Reading messages:  42% (63000/150000)" on stderr.
 *
 * Git's rules: progress goes to stderr only; by default only when
 * stderr is a terminal (--progress forces it, --no-progress and -q turn
 * it off); and only for work that is still going on after a short delay
 * (2 seconds, or $GIT_PROGRESS_DELAY), so quick runs print nothing.
 * The line is redrawn in place with "\r", at most about once a second or
 * when the percentage changes, and ends with ", done." when stopped.
 *
 *   struct progress *p = progress_start("Reading messages", total);
 *   for (i = 0; i < total; i++)
 *           progress_update(p, i + 1);
 *   progress_stop(&p);
 *
 * progress_start() returns NULL when progress is off; every function
 * accepts NULL, so callers need no checks.  The caller owns the progress
 * until progress_stop(), which frees it.
 */
#ifndef BPFDIGEST_PROGRESS_H
#define BPFDIGEST_PROGRESS_H

#include <stdint.h>

enum progress_mode {
	PROGRESS_AUTO = -1,	/* when stderr is a terminal (the default) */
	PROGRESS_NEVER = 0,
	PROGRESS_ALWAYS = 1,
};

/* Set once from the command line (--[no-]progress, -q). */
void progress_set_mode(enum progress_mode mode);

/* Start counting; total 0 means unknown (then only the count is shown). */
struct progress *progress_start(const char *title, uint64_t total);
/* n units are done so far. */
void progress_update(struct progress *p, uint64_t n);
/* The total became known or changed. */
void progress_set_total(struct progress *p, uint64_t total);
/* Print the final line (if anything was shown), free *p and set it to NULL. */
void progress_stop(struct progress **p);

#endif
