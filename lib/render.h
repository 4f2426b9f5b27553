/*
 * render.h - writing a digest out.
 *
 * text      the seed's layout (render-text.h)
 * markdown  the same as a document: a heading, the overview, a section
 *           per entry with the lore link, the status in italics
 * json      the digest shape of DESIGN.md, version 1 (render-json.h)
 * mbox      one mboxrd message holding the text, wrapped for mail, ready
 *           for git send-email (render-mbox.h)
 *
 * This is only the dispatcher: each format's module does the writing.
 */
#ifndef BPFDIGEST_RENDER_H
#define BPFDIGEST_RENDER_H

#include <stdio.h>

#include "render-text.h"

struct digest;

enum output_format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON, FORMAT_MBOX };

/* "text", "markdown", "json", "mbox" -> 0, or -1 for anything else. */
int output_format_parse(const char *name, enum output_format *out);
const char *output_format_name(enum output_format fmt);

/* Write d in fmt to out.  Returns 0, or -1 after an error. */
int render_digest(FILE *out, const struct digest *d, enum output_format fmt,
		  const struct render_options *opts);

#endif
