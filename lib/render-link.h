/*
 * render-link.h - the output of "git bpfdigest link".
 *
 * Text: one line per commit, newest first,
 *
 *   <12 hex> <method> [PATCH ...] <subject as posted> <message-id>
 *   <12 hex> none     <commit subject>
 *
 * then one "conflict:" line per method that named another patch than
 * the one kept, and a summary: commits matched per method, unmatched,
 * conflicts, and the pw-bot notices naming commits this repository
 * lacks.  JSON: the "Links" shape of DESIGN.md, plus "conflicts".
 */
#ifndef BPFDIGEST_RENDER_LINK_H
#define BPFDIGEST_RENDER_LINK_H

#include <stdio.h>

#include "render.h"

struct link_set;

/* Returns 0, or -1 after an error (a format links have not). */
int render_link(FILE *out, const struct link_set *set, const char *range,
		enum output_format fmt);

/* The lore link of a posting when b4.midmask is not set. */
#define RENDER_LINK_MIDMASK "https://lore.kernel.org/all/%s/"

/*
 * "git bpfdigest link <commit>": for each commit (one, usually) its
 * match, every posting of the patch (all revisions, with dates and
 * links, built with midmask), the confidence, and the evidence method
 * by method: what matched, what agreed, what was tried and rejected and
 * why.  JSON: one object per commit, the same facts.
 */
int render_link_explain(FILE *out, const struct link_set *set, const char *midmask,
			enum output_format fmt);

#endif
