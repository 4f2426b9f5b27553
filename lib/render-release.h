/*
 * render-release.h - the output of "git bpfdigest release".
 *
 * Text is meant to be pasted into a pull-request mail, wrapped at 72
 * columns:
 *
 *   Release notes for v7.0..v7.1
 *
 *   149 non-merge commits applied from 2026-04-06 to 2026-06-01: 21
 *   series posted to the list (97 commits) and 52 commits that were not,
 *   by 31 authors and 12 reviewers.
 *
 *   Verifier (2 series, 5 commits)
 *
 *     - bpf: Track precision of stack slots (Jane Doe; 3 commits from
 *       0123456789ab): This series teaches the verifier to ...
 *     - bpf: Fix a leak (John Roe; 89abcdef0123): Free the state on ...
 *
 *   Not posted to the list (52 commits)
 *
 *     - 8a2054f417cf ci: Bump the run-on-arch action (Ann Other)
 *
 *   Thanks to the authors and reviewers of these commits:
 *
 *     Alan Maguire, Andrii Nakryiko, ...
 *
 * One item per series: its title, its authors, the number of commits
 * (left out for one) and the first applied commit, then the summary.
 * Markdown is the same document, one line per item, titles linked to
 * the posting (b4.midmask).  JSON (version 1):
 *
 *   {"version":1, "range":"…",
 *    "period":{"start":"<ISO>","end":"<ISO>"} | null,
 *    "stats":{"commits","series","posted","unposted","authors","reviewers"},
 *    "areas":[{"name":"verifier","title":"Verifier","commits":5,
 *      "series":[{"title","authors":[{"name","email"}],"commits":["<40 hex>",…],
 *                 "first":"<40 hex>","summary":"…"|null,"m":"<msgid>","url":"…",
 *                 "version":2,"total":3,"tree":"bpf-next"|null}]}],
 *    "unposted":[{"commit":"<40 hex>","s":"…","author":{"name","email"},"area":"…"}],
 *    "authors":[{"name","email"}], "reviewers":[{"name","email"}]}
 *
 * Only areas with series are written.  "commits" lists every commit of
 * a series in the range, oldest first; with "unposted" that is every
 * commit of the range exactly once.
 */
#ifndef BPFDIGEST_RENDER_RELEASE_H
#define BPFDIGEST_RENDER_RELEASE_H

#include <stdio.h>

#include "render.h"

struct release;
struct strbuf;
struct tzspec;

struct render_release_options {
	const char *range;		/* as the user gave it */
	const char *midmask;		/* b4.midmask; NULL: the default */
	const struct tzspec *tz;	/* dates of the period; NULL: UTC */
};

void render_release_text(struct strbuf *out, const struct release *rel,
			 const struct render_release_options *opts);
void render_release_markdown(struct strbuf *out, const struct release *rel,
			     const struct render_release_options *opts);
/* Returns 0, or -1 after an error. */
int render_release_json(struct strbuf *out, const struct release *rel,
			const struct render_release_options *opts);

/* Write rel in fmt (not mbox).  Returns 0, or -1 after an error. */
int render_release(FILE *out, const struct release *rel, enum output_format fmt,
		   const struct render_release_options *opts);

#endif
