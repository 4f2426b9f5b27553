/*
 * render.h - writing a digest out.
 *
 * The text format is the seed's: the overview paragraph, then for each
 * highlighted patch its subject line and its summary paragraph, then
 * "Generated <ISO-8601 UTC>".
 */
#ifndef BPFDIGEST_RENDER_H
#define BPFDIGEST_RENDER_H

#include <stdio.h>
#include <time.h>

struct digest;

enum output_format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON, FORMAT_MBOX };

/* "text", "markdown", "json", "mbox" -> 0, or -1 for anything else. */
int output_format_parse(const char *name, enum output_format *out);
const char *output_format_name(enum output_format fmt);

/* Returns 0, or -1 after an error (an unsupported format). */
int render_digest(FILE *out, const struct digest *d, enum output_format fmt,
		  time_t generated);

#endif
