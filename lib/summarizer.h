/*
 * summarizer.h - summaries written by an external command, cached.
 *
 * bpfdigest.summarizer (or --summarizer) names a command, typically an
 * LLM command-line tool.  For each digest entry it is run with one JSON
 * object on stdin (summarizer_input(): the entry's facts, the offline
 * summary, and the commit message, cover letter, changelog and diffstat
 * under "mail", marked as untrusted data) and must print the summary on
 * stdout.  The value is split into words like a shell would (quotes and
 * backslashes) but run without one, unless it starts with "!", in which
 * case the rest is given to /bin/sh -c.
 *
 * The command is run by command_run() (command.h): its answer is taken
 * when it exits, and nothing it started outlives it.  A run that exits
 * non-zero, outlives the timeout, prints more than SUMMARIZER_MAX_OUTPUT bytes or
 * prints nothing gives a warning and no summary: the caller keeps the
 * offline one.  Good summaries are cached by the hash of the command and
 * its input, one file each under <cache dir>/summaries/, so a second run
 * over the same mail calls nothing.  An entry carries the hash of its
 * summary: one cut short or garbled is a warning, and the command runs
 * again.
 *
 * The struct summarizer owns its strings.
 */
#ifndef BPFDIGEST_SUMMARIZER_H
#define BPFDIGEST_SUMMARIZER_H

#include <stddef.h>

struct series_patch;
struct strbuf;

#define SUMMARIZER_DEFAULT_TIMEOUT 60	/* seconds */
#define SUMMARIZER_MAX_OUTPUT 8192	/* bytes */

struct summarizer {
	char *command;		/* as configured, for messages and the cache key */
	char **argv;		/* NULL-terminated */
	long timeout_ms;
	char *cache_dir;	/* where summaries are kept, or NULL for none */
	size_t runs;		/* commands run */
	size_t cached;		/* summaries found in the cache */
	size_t failures;	/* runs that gave no summary */
};

/*
 * Prepare command (timeout in seconds; cache_dir may be NULL).  Returns
 * 0, or -1 after an error naming a command that cannot be split
 * (an unterminated quote) or is empty.
 */
int summarizer_init(struct summarizer *s, const char *command, long timeout,
		    const char *cache_dir);
void summarizer_release(struct summarizer *s);

/*
 * Split a command into words: blanks separate, '...' and "..." quote,
 * a backslash escapes the next character (in "..." only before " and \).
 * Returns a NULL-terminated array the caller frees with
 * summarizer_free_argv(), or NULL for an unterminated quote.
 */
char **summarizer_split(const char *command);
void summarizer_free_argv(char **argv);

/*
 * The JSON object a command gets for patch p: version, the task, a note
 * that mail text is untrusted, "facts" (title, subject, m, url, date, the
 * "series" object of the JSON digest (render-json.h), paths, reviews),
 * "offline_summary", and "mail" (commit_message, cover_letter, changelog,
 * diffstat).  p's body (and its cover's) must be loaded.  Appends to out.
 */
void summarizer_input(struct strbuf *out, const struct series_patch *p,
		      const char *offline_summary, const char *url);

/*
 * The summary for input, from the cache or by running the command.
 * Returns 0 with the summary (one line, trimmed) appended to out, or -1
 * after a warning naming what (e.g. the patch's Message-ID) and why.
 */
int summarizer_run(struct summarizer *s, struct strbuf *out, const char *input,
		   const char *what);

#endif
