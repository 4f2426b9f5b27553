/*
 * pager.h - paging our own output, the way git pages its own.
 *
 * Run as "git bpfdigest", git itself starts a pager when pager.bpfdigest
 * (or "git -p") asks for one, and says so in GIT_PAGER_IN_USE; "git
 * --no-pager" sets GIT_PAGER=cat.  Run as git-bpfdigest, or when git
 * started none, we page ourselves with git's rules:
 *
 *  - only when standard output is a terminal, and never when a pager is
 *    already in use (GIT_PAGER_IN_USE);
 *  - the program is $GIT_PAGER, else a pager.bpfdigest command, else
 *    core.pager, else $PAGER, else "less"; "" or "cat" means none;
 *  - it runs through /bin/sh, with LESS=FRX and LV=-c unless they are
 *    set (so short output does not wait for "q" and colours pass);
 *  - standard output, and standard error when it is a terminal, go to
 *    the pager; GIT_PAGER_IN_USE=true is set for us and our children;
 *  - at exit, and on a signal that ends us, we close our side and wait
 *    for the pager, so the terminal is given back in order.
 *
 * The pager is process-wide state: there is one, started at most once.
 */
#ifndef BPFDIGEST_PAGER_H
#define BPFDIGEST_PAGER_H

struct config;

/*
 * A pager.<command> key ("pager.bpfdigest") as git reads it: -1 when
 * unset, 0 for false, 1 for true.  A value that is no boolean is a pager
 * command: 1, and *cmd points to it (it belongs to cfg); *cmd is NULL
 * otherwise.
 */
int pager_config(const struct config *cfg, const char *key, const char **cmd);

/*
 * The pager command: $GIT_PAGER, else cmd (from pager_config()), else
 * core.pager, else $PAGER, else "less".  NULL when that is "" or "cat".
 * The string belongs to the environment, cmd or cfg.
 */
const char *pager_program(const struct config *cfg, const char *cmd);

/*
 * Start the pager (see above; cmd as for pager_program()).  Returns 1
 * when our output now goes to a pager, 0 when none was started: stdout
 * is no terminal, a pager is in use already, the program is "cat", or
 * it could not be run (after a warning).
 */
int pager_start(const struct config *cfg, const char *cmd);

/* Does our standard output go to a pager, ours or git's? */
int pager_in_use(void);

#endif
