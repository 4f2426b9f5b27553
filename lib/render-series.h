/*
 * render-series.h - writing series out: the `series` command's output.
 *
 * Text (and markdown) show a series as its title and author, then each
 * revision with its date, size, status and participants, then each cover
 * and patch with its Message-ID, replies, status and reviews, and, when
 * summaries are given, the summary.  JSON has the "series" shape of
 * DESIGN.md (version 1), message fields named like lei's (m, s, f, dt,
 * rt), written one series at a time so that a whole archive streams.
 *
 *   struct render_series r;
 *   render_series_begin(&r, stdout, FORMAT_JSON, summaries, midmask);
 *   for (...)
 *           render_series_one(&r, s);
 *   render_series_end(&r);
 *
 * summaries maps the Message-ID of a patch or cover to its summary text
 * (the revision's summary is its cover's, else its first patch's); it is
 * the caller's, and may be NULL, which leaves summaries out of text and
 * writes them as null in JSON.
 *
 * links, when set (r.links = ... after render_series_begin()), says which
 * commit each patch became: its status is then "applied", text names the
 * commit and JSON fills "applied"; without it, "applied" is empty.
 *
 * midmask makes links of Message-IDs, b4's way ("b4.midmask"): "%s" is
 * the id; NULL is https://lore.kernel.org/all/%s/.  Each revision shows
 * the link of its first message; JSON gives every cover and patch a "url".
 */
#ifndef BPFDIGEST_RENDER_SERIES_H
#define BPFDIGEST_RENDER_SERIES_H

#include <stddef.h>
#include <stdio.h>

#include "render.h"
#include "state.h"

struct color_scheme;
struct link_set;
struct series;
struct series_patch;
struct series_revision;
struct strmap;

struct render_series {
	FILE *out;
	enum output_format format;
	const struct strmap *summaries;
	const char *midmask;
	/* Text only: titles and statuses in colour (color.h); set after begin. */
	const struct color_scheme *colors;
	const struct link_set *links;	/* NULL: what was applied is not known */
	size_t count;		/* series written so far */
	/* JSON: review states as of state_opts.at (links are r->links). */
	struct state_options state_opts;
	const struct series_state *state;	/* of the series being written */
};

/* Returns 0, or -1 after an error (a format series cannot be written in). */
int render_series_begin(struct render_series *r, FILE *out, enum output_format format,
			const struct strmap *summaries, const char *midmask);
void render_series_one(struct render_series *r, const struct series *s);
void render_series_end(struct render_series *r);

/* The summary a revision shows: that of its cover, else of its first patch. */
const struct series_patch *render_series_summarised(const struct series_revision *rev);

#endif
