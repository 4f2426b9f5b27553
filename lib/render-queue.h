/*
 * render-queue.h - writing the queue out: the `queue` command's output.
 *
 * text      "Open series as of <day>: <n>", then per series its title,
 *           a line "<state> for <n> days (since <day>)", the last human
 *           reply, the reviewers and bot replies, and the lore link
 * markdown  the same as a list, one item per series
 * json      {"version":1, "as_of":..., "series":[{"title", "m", "url",
 *           "version", "state", "since", "last_human_reply":{"name",
 *           "email", "m", "date"} or null, "reviews":[{"trailer", "name",
 *           "email", "m"}], "bot_replies", "patches":[{"m", "position",
 *           "state", "unchanged_since"}]}]}
 *
 * Nothing here decides what to say; every fact comes from the queue.
 */
#ifndef BPFDIGEST_RENDER_QUEUE_H
#define BPFDIGEST_RENDER_QUEUE_H

#include <stdio.h>

#include "render.h"

struct queue;
struct strbuf;

/* Append q in fmt (not mbox) to out.  Returns 0, or -1 after an error. */
int render_queue_buf(struct strbuf *out, const struct queue *q, enum output_format fmt,
		     const struct color_scheme *colors);
/* The same, written to out. */
int render_queue(FILE *out, const struct queue *q, enum output_format fmt,
		 const struct color_scheme *colors);

#endif
