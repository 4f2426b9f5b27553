#include "render.h"
#include "digest.h"
#include "series.h"
#include "usage.h"

#include <string.h>

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_MARKDOWN] = "markdown",
	[FORMAT_JSON] = "json",
	[FORMAT_MBOX] = "mbox",
};

int output_format_parse(const char *name, enum output_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i])) {
			*out = (enum output_format)i;
			return 0;
		}
	return -1;
}

const char *output_format_name(enum output_format fmt)
{
	return format_names[fmt];
}

static void render_text(FILE *out, const struct digest *d, time_t generated)
{
	char stamp[DATE_ISO_SIZE];
	size_t i;

	fprintf(out, "%s\n", d->overview);
	for (i = 0; i < d->entries_nr; i++) {
		const struct digest_entry *e = &d->entries[i];

		fprintf(out, "%s\n", e->patch->subject.title);
		fprintf(out, "%s\n", e->summary ? e->summary : "");
	}
	date_format_iso(stamp, generated);
	fprintf(out, "Generated %s\n", stamp);
}

int render_digest(FILE *out, const struct digest *d, enum output_format fmt,
		  time_t generated)
{
	switch (fmt) {
	case FORMAT_TEXT:
		render_text(out, d, generated);
		return 0;
	default:
		return error("format '%s' is not implemented yet for digests",
			     output_format_name(fmt));
	}
}
