/*
 * command.h - run an outside command with a bounded cost, leaving nothing.
 *
 * command_run() feeds the command its input on stdin and reads at most
 * max bytes of its stdout, for at most timeout_ms.  The answer is what it
 * printed by the time it exits: a descendant that holds stdout open (a
 * backgrounded "sleep 99 &") no longer decides when the answer is read.
 *
 * Nothing it started outlives it:
 *  - it runs in a session (and process group) of its own, and that whole
 *    group is killed with SIGKILL every time, after a good exit too;
 *  - while it runs we are a child subreaper (PR_SET_CHILD_SUBREAPER), so
 *    a descendant that left the group (setsid, setpgid) is reparented to
 *    us when its parent dies, rather than to init; every child of ours
 *    that was not there before the run is killed (with its own group)
 *    and reaped, until none is left.  Children we had before (a pager)
 *    are never touched.
 * A descendant that escapes while its parent lives on outside our tree
 * cannot exist: every ancestor up to the command is ours and is killed.
 * Off Linux only the process group is killed.
 */
#ifndef BPFDIGEST_COMMAND_H
#define BPFDIGEST_COMMAND_H

#include <stddef.h>

struct strbuf;

enum command_result {
	COMMAND_OK,		/* exited 0 */
	COMMAND_FAILED,		/* could not run, non-zero exit, a signal: see why */
	COMMAND_TIMEOUT,	/* still running at the deadline */
	COMMAND_TOO_LONG,	/* printed more than max bytes */
};

/*
 * Run argv (NULL-terminated, looked up in PATH) with in[0..inlen) on its
 * stdin; its stdout is appended to out, its stderr is ours.  On
 * COMMAND_FAILED why says what happened ("exit status 2").
 */
enum command_result command_run(struct strbuf *out, char *const *argv, const char *in,
				size_t inlen, size_t max, long timeout_ms, struct strbuf *why);

#endif
