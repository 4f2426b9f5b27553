#include "render-queue.h"
#include "color.h"
#include "date.h"
#include "mail.h"
#include "queue.h"
#include "render-json.h"
#include "render-markdown.h"
#include "series.h"
#include "strbuf.h"
#include "textsafe.h"
#include "usage.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* "Name" of a person, else the address; capped, safe for a terminal. */
static void add_person(struct strbuf *out, const char *name, const char *email, int markdown)
{
	struct strbuf sb = STRBUF_INIT;

	textsafe_cap(&sb, name && *name ? name : email ? email : "", RENDER_MAX_NAME);
	render_markdown_text(out, sb.buf, markdown);
	strbuf_release(&sb);
}

static void add_day(struct strbuf *out, time_t when)
{
	char day[DATE_ISO_SIZE];

	date_format_day(day, when);
	strbuf_addstr(out, day);
}

/* "changes-requested for 12 days (since 2025-02-20)" */
static void add_state(struct strbuf *out, const struct queue *q, const struct queue_entry *e,
		      const struct color_scheme *colors)
{
	long days = queue_days(q, e->since);

	color_add(out, colors, COLOR_POSTED, e->state);
	if (!e->since)
		return;
	strbuf_addf(out, " for %ld %s (since ", days, days == 1 ? "day" : "days");
	add_day(out, e->since);
	strbuf_addch(out, ')');
}

/* "last human reply: A, 2025-02-21; reviews: Acked-by B, Reviewed-by C; 2 bot replies" */
static void add_facts(struct strbuf *out, const struct queue_entry *e, int markdown)
{
	size_t i;

	if (e->last_human_reply.mid) {
		strbuf_addstr(out, "last human reply: ");
		add_person(out, e->last_human_reply.name, e->last_human_reply.email, markdown);
		strbuf_addstr(out, ", ");
		add_day(out, e->last_human_reply.when);
	} else {
		strbuf_addstr(out, "no human reply");
	}
	for (i = 0; i < e->reviews_nr; i++) {
		const struct series_review *r = e->reviews[i];

		strbuf_addstr(out, i ? ", " : "; reviews: ");
		textsafe_cap(out, r->trailer, RENDER_MAX_NAME);
		strbuf_addch(out, ' ');
		add_person(out, r->name, r->email, markdown);
	}
	if (e->bot_replies)
		strbuf_addf(out, "; %zu bot %s", e->bot_replies,
			    e->bot_replies == 1 ? "reply" : "replies");
}

static void add_title(struct strbuf *out, const struct queue_entry *e, int markdown)
{
	struct strbuf sb = STRBUF_INIT;

	textsafe_cap(&sb, e->title ? e->title : "", RENDER_MAX_TITLE);
	render_markdown_text(out, sb.buf, markdown);
	strbuf_release(&sb);
	if (e->version > 1)
		strbuf_addf(out, " (v%u)", e->version);
}

static void render_text(struct strbuf *out, const struct queue *q, int markdown,
			const struct color_scheme *colors)
{
	size_t i;

	strbuf_addstr(out, markdown ? "# Open series as of " : "Open series as of ");
	add_day(out, q->as_of);
	strbuf_addf(out, ": %zu\n", q->nr);
	for (i = 0; i < q->nr; i++) {
		const struct queue_entry *e = &q->entries[i];
		struct strbuf title = STRBUF_INIT;

		strbuf_addch(out, '\n');
		add_title(&title, e, markdown);
		if (markdown) {
			if (e->url)
				strbuf_addf(out, "- [%s](%s)  \n  ", title.buf, e->url);
			else
				strbuf_addf(out, "- %s  \n  ", title.buf);
		} else {
			color_add(out, colors, COLOR_TITLE, title.buf);
			strbuf_addstr(out, "\n  ");
		}
		strbuf_release(&title);
		add_state(out, q, e, markdown ? NULL : colors);
		strbuf_addstr(out, markdown ? "  \n  " : "\n  ");
		add_facts(out, e, markdown);
		strbuf_addch(out, '\n');
		if (!markdown && e->url)
			strbuf_addf(out, "  <%s>\n", e->url);
	}
}

static json_t *reply_json(const struct queue_reply *r)
{
	if (!r->mid)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o}", "name", render_json_string(r->name ? r->name : ""),
			 "email", render_json_string(r->email ? r->email : ""),
			 "m", render_json_string(r->mid), "date", render_json_time(r->when));
}

static json_t *entry_json(const struct queue_entry *e)
{
	json_t *reviews = json_array(), *patches = json_array();
	size_t i;

	for (i = 0; i < e->reviews_nr; i++) {
		const struct series_review *r = e->reviews[i];

		json_array_append_new(reviews, json_pack("{s:o, s:o, s:o, s:o}",
							 "trailer", render_json_string(r->trailer),
							 "name", render_json_string(r->name),
							 "email", render_json_string(r->email),
							 "m", render_json_string_or_null(r->given_in ?
											 r->given_in->mid : NULL)));
	}
	for (i = 0; i < e->patches_nr; i++) {
		const struct queue_patch *p = &e->patches[i];

		json_array_append_new(patches, json_pack("{s:o, s:I, s:s, s:o}",
							 "m", render_json_string(p->mid),
							 "position", (json_int_t)p->position,
							 "state", p->state,
							 "unchanged_since", p->unchanged_since ?
							 json_integer((json_int_t)p->unchanged_since) :
							 json_null()));
	}
	return json_pack("{s:o, s:o, s:o, s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:o}",
			 "title", render_json_string(e->title ? e->title : ""),
			 "m", render_json_string_or_null(e->mid),
			 "url", render_json_string_or_null(e->url),
			 "version", (json_int_t)e->version,
			 "state", e->state,
			 "evidence", render_json_string_or_null(e->evidence),
			 "since", e->since ? render_json_time(e->since) : json_null(),
			 "last_human_reply", reply_json(&e->last_human_reply),
			 "reviews", reviews,
			 "bot_replies", (json_int_t)e->bot_replies,
			 "patches", patches);
}

static int render_json(struct strbuf *out, const struct queue *q)
{
	json_t *series = json_array(), *root;
	char *text;
	size_t i;

	for (i = 0; i < q->nr; i++)
		json_array_append_new(series, entry_json(&q->entries[i]));
	root = json_pack("{s:i, s:o, s:o}", "version", 1, "as_of", render_json_time(q->as_of),
			 "series", series);
	if (!root)
		return error("cannot build the JSON queue");
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!text)
		return error("cannot write the JSON queue");
	strbuf_addf(out, "%s\n", text);
	free(text);
	return 0;
}

int render_queue_buf(struct strbuf *out, const struct queue *q, enum output_format fmt,
		     const struct color_scheme *colors)
{
	switch (fmt) {
	case FORMAT_TEXT:
		render_text(out, q, 0, colors);
		return 0;
	case FORMAT_MARKDOWN:
		render_text(out, q, 1, NULL);
		return 0;
	case FORMAT_JSON:
		return render_json(out, q);
	case FORMAT_MBOX:
		break;
	}
	return error("the queue is written as text, markdown or json, not %s",
		     output_format_name(fmt));
}

int render_queue(FILE *out, const struct queue *q, enum output_format fmt,
		 const struct color_scheme *colors)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = render_queue_buf(&sb, q, fmt, colors);

	if (!ret && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		ret = error_errno("cannot write the queue");
	strbuf_release(&sb);
	return ret;
}
