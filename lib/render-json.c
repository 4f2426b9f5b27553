#include "render-json.h"
#include "date.h"
#include "digest.h"
#include "mail.h"
#include "render-text.h"
#include "summary.h"
#include "series.h"
#include "strbuf.h"
#include "usage.h"

#include <jansson.h>
#include <stdlib.h>

static const char *const kind_names[] = {
	[PERIOD_DAILY] = "daily", [PERIOD_WEEKLY] = "weekly",
	[PERIOD_MONTHLY] = "monthly", [PERIOD_RANGE] = "range",
};

static json_t *iso(time_t when)
{
	char buf[DATE_ISO_SIZE];

	date_format_iso(buf, when);
	return json_string(buf);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (s[0] >= 0xf8)
		n = 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * A JSON string of s.  Mail text is decoded to UTF-8 upstream; should a
 * stray byte survive, it becomes U+FFFD here rather than failing the
 * whole digest.
 */
static json_t *str(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	json_t *j = json_string(s);

	if (j)
		return j;
	while (*p) {
		size_t n = utf8_len(p);

		if (n) {
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return j ? j : json_string("");
}

static json_t *string_or_null(const char *s)
{
	return s ? str(s) : json_null();
}

static const char *revision_mid(const struct series_revision *rev)
{
	if (rev->cover)
		return rev->cover->mail->mid;
	return rev->patches_nr ? rev->patches[0]->mail->mid : NULL;
}

static json_t *revision_ref(const struct series_revision *rev)
{
	return json_pack("{s:I, s:o, s:o}", "version", (json_int_t)rev->version,
			 "date", iso(rev->date), "m", string_or_null(revision_mid(rev)));
}

json_t *render_json_series(const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;
	const struct series *s = rev->series;
	json_t *revs = json_array();
	size_t i;

	for (i = 0; i < s->revisions_nr; i++)
		json_array_append_new(revs, revision_ref(s->revisions[i]));
	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:b, s:b, s:b, s:o, s:{s:o, s:o}, s:o}",
			 "title", str(s->title),
			 "cover", string_or_null(rev->cover ? rev->cover->mail->mid : NULL),
			 "version", (json_int_t)rev->version,
			 "total", (json_int_t)rev->total,
			 "position", (json_int_t)p->subject.position,
			 "rfc", !!(rev->flags & REVISION_RFC),
			 "resend", !!(rev->flags & REVISION_RESEND),
			 "pull", !!(rev->flags & REVISION_PULL),
			 "tree", string_or_null(rev->tree),
			 "author", "name", str(s->author_name), "email", str(s->author_email),
			 "revisions", revs);
}

static const char *status_of(const struct digest_entry *e)
{
	if (e->applied && e->applied->nr)
		return "applied";
	return e->superseded_by ? "superseded" : "posted";
}

/* Every patch of the entry's revision that a pw-bot notice names. */
static json_t *revision_applied(const struct digest_entry *e)
{
	const struct series_revision *rev = e->patch->revision;
	json_t *out = json_array();
	size_t i;

	for (i = 0; i < rev->patches_nr; i++) {
		const struct series_applied *a = rev->patches[i]->applied;
		char *tree;

		if (!a)
			continue;
		tree = a->tree ? series_tree_name(a->tree) : NULL;
		json_array_append_new(out, json_pack("{s:I, s:o, s:o, s:s}",
						     "position", (json_int_t)rev->patches[i]->subject.position,
						     "commit", str(a->commit), "tree", string_or_null(tree),
						     "source", "pwbot"));
		free(tree);
	}
	return out;
}

static json_t *entry_json(const struct digest_entry *e)
{
	const struct series_patch *p = e->patch;
	json_t *reviews = json_array(), *applied = json_array(), *entry;
	size_t i;

	for (i = 0; i < p->reviews_nr; i++)
		json_array_append_new(reviews, json_pack("{s:o, s:o, s:o}",
							 "trailer", str(p->reviews[i].trailer),
							 "name", str(p->reviews[i].name),
							 "email", str(p->reviews[i].email)));
	for (i = 0; e->applied && i < e->applied->nr; i++) {
		const struct digest_applied *a = &e->applied->items[i];

		json_array_append_new(applied, json_pack("{s:o, s:o, s:o, s:s, s:o}",
							 "commit", str(a->commit),
							 "method", str(a->method),
							 "tree", string_or_null(a->tree),
							 "source", a->source,
							 "changes", string_or_null(a->changes)));
	}
	entry = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}",
			  "title", str(p->subject.title),
			  "summary", str(e->summary ? e->summary : ""),
			  "m", str(p->mail->mid),
			  "url", string_or_null(e->url),
			  "series", render_json_series(p),
			  "reviews", reviews,
			  "applied", applied,
			  "revision_applied", revision_applied(e),
			  "status", status_of(e),
			  "superseded_by", e->superseded_by ? revision_ref(e->superseded_by) : json_null());
	if (e->sentences.nr) {
		json_t *sentences = json_array();

		for (i = 0; i < e->sentences.nr; i++) {
			const struct summary_sentence *s = &e->sentences.v[i];

			json_array_append_new(sentences, json_pack("{s:o, s:o, s:s}", "text", str(s->text),
								   "m", str(s->mid),
								   "part", summary_part_name(s->part)));
		}
		json_object_set_new(entry, "sentences", sentences);
	}
	return entry;
}

int render_digest_json(struct strbuf *out, const struct digest *d,
		       const struct render_options *opts)
{
	json_t *entries = json_array(), *root;
	char *text;
	size_t i;
	int ret = 0;

	for (i = 0; i < d->entries_nr; i++)
		json_array_append_new(entries, entry_json(&d->entries[i]));
	root = json_pack("{s:i, s:o, s:{s:s, s:o, s:o, s:o}, s:o, s:o, "
			 "s:{s:I, s:I, s:I, s:I, s:I}, s:o}",
			 "version", 1,
			 "list", string_or_null(d->list),
			 "period", "kind", kind_names[d->period.kind], "start", iso(d->period.start),
			 "end", iso(d->period.end), "tz", str(d->period.tz.name),
			 "generated", iso(opts->generated),
			 "overview", str(d->overview ? d->overview : ""),
			 "stats", "messages", (json_int_t)d->messages, "patches", (json_int_t)d->patches,
			 "series", (json_int_t)d->series, "authors", (json_int_t)d->authors,
			 "applied", (json_int_t)d->applied,
			 "entries", entries);
	if (root) {
		json_t *attention = json_array();

		for (i = 0; i < d->attention_nr; i++) {
			const struct digest_attention *a = &d->attention[i];

			json_array_append_new(attention, json_pack("{s:s, s:o, s:I, s:I, s:o, s:o}",
				"label", a->label, "title", str(a->title ? a->title : ""),
				"version", (json_int_t)a->version, "days", (json_int_t)a->days,
				"m", string_or_null(a->mid), "url", string_or_null(a->url)));
		}
		json_object_set_new(root, "attention", attention);
		json_object_set_new(root, "applied_this_period", string_or_null(d->applied_line));
	}
	if (!root)
		return error("cannot build the JSON digest");
	text = json_dumps(root, JSON_INDENT(2));
	if (!text)
		ret = error("cannot write the JSON digest");
	else
		strbuf_addf(out, "%s\n", text);
	free(text);
	json_decref(root);
	return ret;
}

json_t *render_json_string(const char *s)
{
	return str(s);
}

json_t *render_json_string_or_null(const char *s)
{
	return string_or_null(s);
}

json_t *render_json_time(time_t when)
{
	return iso(when);
}
