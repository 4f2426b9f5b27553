#include "render-text.h"
#include "color.h"
#include "date.h"
#include "digest.h"
#include "series.h"
#include "strbuf.h"
#include "summary.h"
#include "textsafe.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void render_digest_title(struct strbuf *out, const struct digest *d)
{
	static const char *const kinds[] = {
		[PERIOD_DAILY] = "day ", [PERIOD_WEEKLY] = "week ",
		[PERIOD_MONTHLY] = "month ", [PERIOD_RANGE] = "",
	};
	const char *list = d->list ? d->list : "list";
	const char *at = strchr(list, '@');
	char *name = xstrndup(list, at ? (size_t)(at - list) : strlen(list));

	strbuf_addch(out, '[');
	textsafe_cap(out, name, RENDER_MAX_NAME);
	strbuf_addf(out, " digest] %s", kinds[d->period.kind]);
	free(name);
	period_label(out, &d->period);
}

/* "A", "A and B", "A, B and C" */
static void add_names(struct strbuf *out, const char *const *names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
	{
		strbuf_addstr(out, i == 0 ? "" : i + 1 == nr ? " and " : ", ");
		textsafe_cap(out, names[i], RENDER_MAX_NAME);
	}
}

static void add_reviews(struct strbuf *out, const struct series_patch *p)
{
	static const char *const kinds[][2] = {
		{ "Acked-by", "acked by" },
		{ "Reviewed-by", "reviewed by" },
		{ "Tested-by", "tested by" },
	};
	const char **names;
	size_t k, i, groups = 0;

	if (!p->reviews_nr)
		return;
	ALLOC_ARRAY(names, p->reviews_nr);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		size_t n = 0;

		for (i = 0; i < p->reviews_nr; i++) {
			const struct series_review *r = &p->reviews[i];

			if (strcasecmp(r->trailer, kinds[k][0]))
				continue;
			names[n++] = *r->name ? r->name : r->email;
		}
		if (!n)
			continue;
		if (groups++)
			strbuf_addstr(out, "; ");
		else if (out->len)
			strbuf_addch(out, ' ');
		/* "Acked by ..." capitalised only at the start of the sentence. */
		strbuf_addch(out, groups == 1 ? kinds[k][1][0] - 'a' + 'A' : kinds[k][1][0]);
		strbuf_addstr(out, kinds[k][1] + 1);
		strbuf_addch(out, ' ');
		add_names(out, names, n);
	}
	if (groups)
		strbuf_addch(out, '.');
	free(names);
}

void render_entry_status(struct strbuf *out, const struct digest_entry *e,
			 const struct tzspec *tz)
{
	render_entry_status_color(out, e, tz, NULL);
}

void render_entry_status_color(struct strbuf *out, const struct digest_entry *e,
			       const struct tzspec *tz, const struct color_scheme *colors)
{
	const struct series_revision *rev = e->patch->revision;

	add_reviews(out, e->patch);
	if (e->applied_text) {
		if (out->len)
			strbuf_addch(out, ' ');
		color_open(out, colors, COLOR_APPLIED);
		strbuf_addstr(out, e->applied_text);
		color_close(out, colors, COLOR_APPLIED);
	}
	if (e->superseded_by) {
		if (out->len)
			strbuf_addch(out, ' ');
		color_open(out, colors, COLOR_SUPERSEDED);
		strbuf_addf(out, "Superseded by v%u of ", e->superseded_by->version);
		summary_date_words(out, e->superseded_by->date, rev->date, tz);
		strbuf_addch(out, '.');
		color_close(out, colors, COLOR_SUPERSEDED);
	}
}

void render_attention_line(struct strbuf *out, const struct digest_attention *a)
{
	strbuf_addf(out, "%s for %ld %s: ", a->label, a->days, a->days == 1 ? "day" : "days");
	textsafe_cap(out, a->title ? a->title : "", RENDER_MAX_TITLE);
	if (a->version > 1)
		strbuf_addf(out, " (v%u)", a->version);
}

void render_digest_text(struct strbuf *out, const struct digest *d,
			const struct render_options *opts)
{
	char stamp[DATE_ISO_SIZE];
	size_t i;

	textsafe_cap(out, d->overview, RENDER_MAX_SUMMARY);
	strbuf_addch(out, '\n');
	for (i = 0; i < d->entries_nr; i++) {
		const struct digest_entry *e = &d->entries[i];
		struct strbuf para = STRBUF_INIT, title = STRBUF_INIT;

		textsafe_cap(&para, e->summary ? e->summary : "", RENDER_MAX_SUMMARY);
		render_entry_status_color(&para, e, opts->tz, opts->colors);
		if (e->url)
			strbuf_addf(&para, "%s<%s>", para.len ? " " : "", e->url);
		textsafe_cap(&title, e->patch->subject.title, RENDER_MAX_TITLE);
		color_add(out, opts->colors, COLOR_TITLE, title.buf);
		strbuf_release(&title);
		strbuf_addf(out, "\n%s\n", para.buf);
		strbuf_release(&para);
	}
	if (d->attention_nr)
		strbuf_addstr(out, "Needs attention\n");
	for (i = 0; i < d->attention_nr; i++) {
		strbuf_addstr(out, "- ");
		render_attention_line(out, &d->attention[i]);
		if (d->attention[i].url)
			strbuf_addf(out, " <%s>", d->attention[i].url);
		strbuf_addch(out, '\n');
	}
	if (d->applied_line)
		strbuf_addf(out, "%s\n", d->applied_line);
	date_format_iso(stamp, opts->generated);
	strbuf_addf(out, "Generated %s\n", stamp);
}
