#include "render-markdown.h"
#include "date.h"
#include "digest.h"
#include "render-text.h"
#include "series.h"
#include "strbuf.h"
#include "textsafe.h"

#include <ctype.h>
#include <string.h>

void render_markdown_text(struct strbuf *out, const char *s, int markdown)
{
	if (markdown)
		render_markdown_escape(out, s);
	else
		strbuf_addstr(out, s);
}

void render_markdown_escape(struct strbuf *out, const char *s)
{
	struct strbuf safe = STRBUF_INIT;
	const char *p;

	/* One line of text, whatever the mail held (textsafe.h). */
	textsafe_line(&safe, s, strlen(s));
	s = safe.buf;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* "&" starts an entity ("&#27;" is an ESC once rendered), "~~" strikes. */
		int special = strchr("\\`*[]<>|&~", c) != NULL;

		/* "do_check_insn" is safe; only a "_" at a word edge emphasises. */
		if (c == '_')
			special = p == s || !isalnum((unsigned char)p[-1]) ||
				  !isalnum((unsigned char)p[1]);
		/* "#" and "1." open headings and lists only at the start. */
		if ((c == '#' || c == '-' || c == '+') && p == s)
			special = 1;
		if (special)
			strbuf_addch(out, '\\');
		strbuf_addch(out, (char)c);
	}
	strbuf_release(&safe);
}

void render_digest_markdown(struct strbuf *out, const struct digest *d,
			    const struct render_options *opts)
{
	struct strbuf title = STRBUF_INIT;
	char stamp[DATE_ISO_SIZE];
	size_t i;

	render_digest_title(&title, d);
	strbuf_addstr(out, "# ");
	render_markdown_escape(out, title.buf);
	strbuf_reset(&title);
	strbuf_addstr(out, "\n\n");
	textsafe_cap(&title, d->overview, RENDER_MAX_SUMMARY);
	render_markdown_escape(out, title.buf);
	strbuf_addstr(out, "\n\n");
	for (i = 0; i < d->entries_nr; i++) {
		const struct digest_entry *e = &d->entries[i];
		struct strbuf status = STRBUF_INIT, capped = STRBUF_INIT;

		strbuf_addstr(out, "## ");
		if (e->url)
			strbuf_addch(out, '[');
		textsafe_cap(&capped, e->patch->subject.title, RENDER_MAX_TITLE);
		render_markdown_escape(out, capped.buf);
		if (e->url)
			strbuf_addf(out, "](%s)", e->url);
		strbuf_addstr(out, "\n\n");
		if (e->summary && *e->summary) {
			strbuf_reset(&capped);
			textsafe_cap(&capped, e->summary, RENDER_MAX_SUMMARY);
			render_markdown_escape(out, capped.buf);
			strbuf_addstr(out, "\n\n");
		}
		strbuf_release(&capped);
		render_entry_status(&status, e, opts->tz);
		if (status.len) {
			strbuf_addch(out, '*');
			render_markdown_escape(out, status.buf);
			strbuf_addstr(out, "*\n\n");
		}
		strbuf_release(&status);
	}
	if (d->attention_nr)
		strbuf_addstr(out, "## Needs attention\n\n");
	for (i = 0; i < d->attention_nr; i++) {
		const struct digest_attention *a = &d->attention[i];
		struct strbuf line = STRBUF_INIT;

		strbuf_addstr(out, "- ");
		render_attention_line(&line, a);
		render_markdown_escape(out, line.buf);
		strbuf_release(&line);
		if (a->url)
			strbuf_addf(out, " (%s)", a->url);
		strbuf_addch(out, '\n');
	}
	if (d->attention_nr)
		strbuf_addch(out, '\n');
	if (d->applied_line)
		strbuf_addf(out, "%s\n\n", d->applied_line);
	date_format_iso(stamp, opts->generated);
	strbuf_addf(out, "---\nGenerated %s\n", stamp);
	strbuf_release(&title);
}
