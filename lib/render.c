#include "render.h"
#include "render-json.h"
#include "render-markdown.h"
#include "render-mbox.h"
#include "render-text.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

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

	for (i = 0; i < ARRAY_SIZE(format_names); i++)
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

int render_digest(FILE *out, const struct digest *d, enum output_format fmt,
		  const struct render_options *opts)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	switch (fmt) {
	case FORMAT_TEXT:
		render_digest_text(&sb, d, opts);
		break;
	case FORMAT_MARKDOWN:
		render_digest_markdown(&sb, d, opts);
		break;
	case FORMAT_JSON:
		ret = render_digest_json(&sb, d, opts);
		break;
	case FORMAT_MBOX:
		render_digest_mbox(&sb, d, opts);
		break;
	}
	if (!ret && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		ret = error_errno("cannot write the digest");
	strbuf_release(&sb);
	return ret;
}
