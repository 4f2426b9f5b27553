#include "render-series.h"
#include "color.h"
#include "date.h"
#include "digest.h"
#include "link.h"
#include "mail.h"
#include "render-markdown.h"
#include "series.h"
#include "state-changes.h"
#include "strbuf.h"
#include "strmap.h"
#include "usage.h"
#include "xalloc.h"

#include <git2.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const struct series_patch *render_series_summarised(const struct series_revision *rev)
{
	if (rev->cover)
		return rev->cover;
	return rev->patches_nr ? rev->patches[0] : NULL;
}

/* The link of a message, by b4.midmask; an empty mask is the default. */
static void add_url(struct strbuf *sb, const char *midmask, const char *mid)
{
	digest_url(sb, midmask && *midmask ? midmask : DIGEST_DEFAULT_MIDMASK, mid);
}

static const char *summary_of(const struct render_series *r, const struct series_patch *p)
{
	return p && r->summaries ? strmap_get(r->summaries, p->mail->mid) : NULL;
}

/* "0/3", "2/3", or "cover", "pull" or "patch" for an unnumbered one. */
static void position_label(struct strbuf *sb, const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;

	if (p == rev->cover && !p->subject.total)
		strbuf_addstr(sb, "cover");
	else if (p->subject.total)
		strbuf_addf(sb, "%u/%u", p->subject.position, p->subject.total);
	else if (rev->flags & REVISION_PULL)
		strbuf_addstr(sb, "pull");
	else
		strbuf_addstr(sb, "patch");
}

/* The commit a patch became, when the link stage knows it. */
static const struct link_commit *applied_as(const struct render_series *r,
					    const struct series_patch *p)
{
	return r->links ? link_applied(r->links, p->mail->mid) : NULL;
}

/* Applied: a pw-bot notice of the archive says so, or this repository has it. */
static int is_applied(const struct render_series *r, const struct series_patch *p)
{
	return p->applied || applied_as(r, p);
}

static const char *status_of(const struct render_series *r, const struct series_patch *p)
{
	return is_applied(r, p) ? "applied" : series_status_name(patch_status(p));
}

/* A revision is applied when every patch of it is. */
static const char *revision_status_of(const struct render_series *r,
				      const struct series_revision *rev)
{
	size_t i;

	for (i = 0; i < rev->patches_nr; i++)
		if (!is_applied(r, rev->patches[i]))
			return series_status_name(revision_status(rev));
	return rev->patches_nr ? "applied" : series_status_name(revision_status(rev));
}

/* A status word, in its colour. */
static void add_status(struct strbuf *sb, const struct color_scheme *colors, const char *status)
{
	enum color_slot slot = !strcmp(status, "applied") ? COLOR_APPLIED :
			       !strcmp(status, "superseded") ? COLOR_SUPERSEDED : COLOR_POSTED;

	color_add(sb, colors, slot, status);
}

static void describe_revision(const struct render_series *r, struct strbuf *sb,
			      const struct series_revision *rev, const struct color_scheme *colors)
{
	char day[16];
	const char *sep = " (";

	strbuf_addf(sb, "v%u", rev->version);
	if (rev->flags & REVISION_RFC) {
		strbuf_addf(sb, "%sRFC", sep);
		sep = ", ";
	}
	if (rev->flags & REVISION_RESEND) {
		strbuf_addf(sb, "%sRESEND", sep);
		sep = ", ";
	}
	if (rev->flags & REVISION_PULL) {
		strbuf_addf(sb, "%spull request", sep);
		sep = ", ";
	}
	if (rev->flags & REVISION_PARTIAL) {
		strbuf_addf(sb, "%spartial reroll of v%u", sep, rev->base->version);
		sep = ", ";
	}
	if (*sep == ',')
		strbuf_addch(sb, ')');
	date_format_day(day, rev->date);
	strbuf_addf(sb, " %s, ", day);
	if (rev->patches_nr < rev->total)
		strbuf_addf(sb, "%zu of %u patches", rev->patches_nr, rev->total);
	else
		strbuf_addf(sb, "%zu patch%s", rev->patches_nr, rev->patches_nr == 1 ? "" : "es");
	strbuf_addstr(sb, ", ");
	add_status(sb, colors, revision_status_of(r, rev));
	if (rev->participants)
		strbuf_addf(sb, ", %zu participant%s", rev->participants,
			    rev->participants == 1 ? "" : "s");
}

static void describe_replies(struct strbuf *sb, const struct series_patch *p)
{
	if (!p->replies_nr)
		strbuf_addstr(sb, "no replies");
	else
		strbuf_addf(sb, "%zu repl%s", p->replies_nr, p->replies_nr == 1 ? "y" : "ies");
	if (p->replies_nr && p->human_replies != p->replies_nr)
		strbuf_addf(sb, " (%zu from people)", p->human_replies);
}

static void text_patch(struct render_series *r, const struct series_patch *p, int markdown)
{
	struct strbuf sb = STRBUF_INIT;
	const char *summary = summary_of(r, p);
	const char *indent = markdown ? "  " : "        ";
	const struct color_scheme *colors = markdown ? NULL : r->colors;
	const struct state_patch *sp = r->state ? state_find_patch(r->state, p) : NULL;
	size_t i;

	strbuf_addstr(&sb, markdown ? "- **" : "    ");
	position_label(&sb, p);
	strbuf_addstr(&sb, markdown ? "** " : " ");
	render_markdown_text(&sb, p->subject.title, markdown);
	strbuf_addch(&sb, '\n');
	/* A code span shows anything but its own backquote. */
	strbuf_addf(&sb, markdown && !strchr(p->mail->mid, '`') ? "%s`<%s>`, " : "%s<%s>, ", indent,
		    p->mail->mid);
	if (p != p->revision->cover && is_applied(r, p)) {
		const struct link_commit *c = applied_as(r, p);

		/* Two facts: what the bot said of upstream, what this tree holds. */
		if (p->applied) {
			char *tree = p->applied->tree ? series_tree_name(p->applied->tree) : NULL;

			add_status(&sb, colors, "applied");
			if (tree)
				strbuf_addf(&sb, " to %s", tree);
			strbuf_addf(&sb, " as %.12s (pw-bot), ", p->applied->commit);
			free(tree);
		}
		if (c && p->applied && !strncmp(git_oid_tostr_s(&c->id), p->applied->commit,
						 strlen(p->applied->commit)))
			strbuf_addstr(&sb, "in this tree, ");
		else if (c)
			strbuf_addf(&sb, "in this tree as %.12s (%s), ", git_oid_tostr_s(&c->id),
				    link_method_name(c->method));
		if (sp && sp->applied_changes) {
			state_describe_changes(&sb, sp->applied_changes);
			strbuf_addstr(&sb, ", ");
		}
	} else if (p != p->revision->cover && patch_status(p) != SERIES_POSTED) {
		add_status(&sb, colors, series_status_name(patch_status(p)));
		strbuf_addstr(&sb, ", ");
	}
	describe_replies(&sb, p);
	strbuf_addch(&sb, '\n');
	for (i = 0; i < p->reviews_nr; i++) {
		struct strbuf review = STRBUF_INIT;

		strbuf_addf(&review, "%s: %s <%s>", p->reviews[i].trailer, p->reviews[i].name,
			    p->reviews[i].email);
		strbuf_addstr(&sb, indent);
		render_markdown_text(&sb, review.buf, markdown);
		strbuf_addch(&sb, '\n');
		strbuf_release(&review);
	}
	if (summary && *summary) {
		strbuf_addstr(&sb, indent);
		render_markdown_text(&sb, summary, markdown);
		strbuf_addch(&sb, '\n');
	}
	fputs(sb.buf, r->out);
	strbuf_release(&sb);
}

static void text_series(struct render_series *r, const struct series *s, int markdown)
{
	struct strbuf sb = STRBUF_INIT;
	const struct series_revision *latest = series_latest(s);
	const struct color_scheme *colors = markdown ? NULL : r->colors;
	size_t i, j;

	if (r->count)
		fputc('\n', r->out);
	strbuf_addstr(&sb, markdown ? "## " : "");
	if (markdown)
		render_markdown_escape(&sb, s->title);
	else
		color_add(&sb, colors, COLOR_TITLE, s->title);
	strbuf_addstr(&sb, markdown ? "\n\nby " : "\n  by ");
	{
		struct strbuf by = STRBUF_INIT;

		if (*s->author_name)
			strbuf_addf(&by, "%s <%s>", s->author_name, s->author_email);
		else
			strbuf_addf(&by, "<%s>", s->author_email);
		if (latest->tree)
			strbuf_addf(&by, ", tree %s", latest->tree);
		render_markdown_text(&sb, by.buf, markdown);
		strbuf_release(&by);
	}
	strbuf_addf(&sb, ", %zu revision%s\n", s->revisions_nr, s->revisions_nr == 1 ? "" : "s");
	fputs(sb.buf, r->out);
	for (i = 0; i < s->revisions_nr; i++) {
		const struct series_revision *rev = s->revisions[i];
		const char *summary = summary_of(r, render_series_summarised(rev));

		strbuf_reset(&sb);
		strbuf_addstr(&sb, markdown ? "\n### " : "\n  ");
		describe_revision(r, &sb, rev, colors);
		strbuf_addstr(&sb, markdown ? "\n\n<" : "\n    ");
		add_url(&sb, r->midmask, render_series_summarised(rev)->mail->mid);
		strbuf_addstr(&sb, markdown ? ">\n" : "\n");
		if (markdown && summary && *summary) {
			strbuf_addch(&sb, '\n');
			render_markdown_escape(&sb, summary);
			strbuf_addstr(&sb, "\n\n");
		}
		else if (markdown)
			strbuf_addch(&sb, '\n');
		fputs(sb.buf, r->out);
		if (rev->cover)
			text_patch(r, rev->cover, markdown);
		for (j = 0; j < rev->patches_nr; j++)
			text_patch(r, rev->patches[j], markdown);
	}
	strbuf_release(&sb);
}

/* Is the n-byte sequence at p one character jansson accepts? */
static int valid_char(const unsigned char *p, size_t n)
{
	json_t *j;
	size_t k;

	if (!n)
		return 0;
	for (k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	j = json_stringn((const char *)p, n);
	json_decref(j);
	return j != NULL;
}

/* A JSON string of possibly broken UTF-8: bad bytes become U+FFFD. */
static json_t *jstr(const char *s)
{
	json_t *j;
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	for (p = (const unsigned char *)s; *p;) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 :
			   (*p >> 3) == 30 ? 4 : 0;

		if (valid_char(p, n)) {
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *jtime(time_t when)
{
	char buf[DATE_ISO_SIZE];

	date_format_iso(buf, when);
	return json_string(buf);
}

static json_t *jfrom(const struct mail *m)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (*m->from_name)
		strbuf_addf(&sb, "%s <%s>", m->from_name, m->from_email);
	else
		strbuf_addstr(&sb, m->from_email);
	j = jstr(sb.buf);
	strbuf_release(&sb);
	return j;
}

/* The fields every message has, named like lei's. */
static json_t *json_message(const struct series_patch *p)
{
	const struct mail *m = p->mail;
	json_t *o = json_object();

	json_object_set_new(o, "m", jstr(m->mid));
	json_object_set_new(o, "s", jstr(m->subject));
	json_object_set_new(o, "f", jfrom(m));
	json_object_set_new(o, "dt", (m->flags & MAIL_HAS_DATE) ? jtime(m->date) : json_null());
	json_object_set_new(o, "rt", jtime(m->arrival));
	json_object_set_new(o, "replies", json_integer((json_int_t)p->replies_nr));
	json_object_set_new(o, "human_replies", json_integer((json_int_t)p->human_replies));
	return o;
}

static json_t *json_url(const struct render_series *r, const struct series_patch *p)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	add_url(&sb, r->midmask, p->mail->mid);
	j = jstr(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *json_evidence(const struct state_evidence *ev)
{
	if (!ev->mid && !ev->commit)
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "m", jstr(ev->mid), "dt", jtime(ev->date), "commit",
			 jstr(ev->commit));
}

static json_t *json_changes(const struct state_changes *c)
{
	json_t *files;
	size_t i;

	if (!c)
		return json_null();
	files = json_array();
	for (i = 0; i < c->nr; i++)
		json_array_append_new(files, json_pack("{s:s, s:I, s:I}", "path", c->files[i].path,
						       "added", (json_int_t)c->files[i].added,
						       "removed", (json_int_t)c->files[i].removed));
	return json_pack("{s:o, s:I, s:I}", "files", files, "added", (json_int_t)c->added,
			 "removed", (json_int_t)c->removed);
}

/* "state", its evidence, unchanged_since, new and applied_changes of a patch. */
static void json_patch_state(const struct render_series *r, json_t *o,
			     const struct series_patch *p)
{
	const struct state_patch *sp = r->state ? state_find_patch(r->state, p) : NULL;

	if (!sp)
		return;
	json_object_set_new(o, "state", json_string(state_name(sp->state)));
	json_object_set_new(o, "state_evidence", json_evidence(&sp->evidence));
	json_object_set_new(o, "unchanged_since", sp->unchanged_since ?
				   json_integer(sp->unchanged_since) : json_null());
	json_object_set_new(o, "new", json_boolean(sp->is_new));
	json_object_set_new(o, "applied_changes", json_changes(sp->applied_changes));
}

static void json_revision_state(const struct render_series *r, json_t *o,
				const struct series_revision *rev)
{
	const struct state_revision *sr = r->state ? state_find_revision(r->state, rev) : NULL;
	json_t *dropped;
	size_t i;

	if (!sr)
		return;
	json_object_set_new(o, "state", json_string(state_name(sr->state)));
	json_object_set_new(o, "state_evidence", json_evidence(&sr->evidence));
	dropped = json_array();
	for (i = 0; i < sr->dropped_nr; i++)
		json_array_append_new(dropped, json_integer(sr->dropped[i]));
	json_object_set_new(o, "dropped", dropped);
}

static json_t *json_patch(const struct render_series *r, const struct series_patch *p)
{
	json_t *o = json_message(p), *reviews = json_array(), *applied = json_array();
	const struct link_commit *c = applied_as(r, p);
	size_t i;

	json_object_set_new(o, "url", json_url(r, p));
	json_object_set_new(o, "position", json_integer(p->subject.position));
	json_object_set_new(o, "status", json_string(status_of(r, p)));
	if (p->applied) {
		char *tree = p->applied->tree ? series_tree_name(p->applied->tree) : NULL;

		json_array_append_new(applied, json_pack("{s:s, s:s, s:o, s:s}", "commit",
							 p->applied->commit, "method", "pwbot",
							 "tree", tree ? json_string(tree) : json_null(),
							 "source", "pwbot"));
		free(tree);
	}
	if (c)
		json_array_append_new(applied, json_pack("{s:s, s:s, s:n, s:s}", "commit",
							 git_oid_tostr_s(&c->id), "method",
							 link_method_name(c->method), "tree",
							 "source", "local"));
	json_object_set_new(o, "applied", applied);
	json_object_set_new(o, "superseded_by",
			    p->superseded_by ? jstr(p->superseded_by->mail->mid) : json_null());
	json_object_set_new(o, "summary", jstr(summary_of(r, p)));
	for (i = 0; i < p->reviews_nr; i++) {
		const struct series_review *rv = &p->reviews[i];
		json_t *j = json_object();

		json_object_set_new(j, "trailer", jstr(rv->trailer));
		json_object_set_new(j, "name", jstr(rv->name));
		json_object_set_new(j, "email", jstr(rv->email));
		json_object_set_new(j, "m", jstr(rv->given_in->mid));
		json_array_append_new(reviews, j);
	}
	json_object_set_new(o, "reviews", reviews);
	json_patch_state(r, o, p);
	return o;
}

static json_t *json_revision(const struct render_series *r, const struct series_revision *rev)
{
	json_t *o = json_object(), *patches = json_array();
	size_t i;

	json_object_set_new(o, "version", json_integer(rev->version));
	json_object_set_new(o, "dt", jtime(rev->date));
	json_object_set_new(o, "total", json_integer(rev->total));
	json_object_set_new(o, "rfc", json_boolean(rev->flags & REVISION_RFC));
	json_object_set_new(o, "resend", json_boolean(rev->flags & REVISION_RESEND));
	json_object_set_new(o, "pull", json_boolean(rev->flags & REVISION_PULL));
	json_object_set_new(o, "superseded", json_boolean(rev->flags & REVISION_SUPERSEDED));
	json_object_set_new(o, "partial_of",
			    rev->base ? json_integer(rev->base->version) : json_null());
	json_object_set_new(o, "status", json_string(revision_status_of(r, rev)));
	json_object_set_new(o, "tree", jstr(rev->tree));
	json_object_set_new(o, "participants", json_integer((json_int_t)rev->participants));
	if (rev->cover) {
		json_t *cover = json_message(rev->cover);

		json_object_set_new(cover, "url", json_url(r, rev->cover));
		json_object_set_new(o, "cover", cover);
	} else {
		json_object_set_new(o, "cover", json_null());
	}
	json_object_set_new(o, "summary", jstr(summary_of(r, render_series_summarised(rev))));
	for (i = 0; i < rev->patches_nr; i++)
		json_array_append_new(patches, json_patch(r, rev->patches[i]));
	json_object_set_new(o, "patches", patches);
	json_revision_state(r, o, rev);
	return o;
}

static void json_series(struct render_series *r, const struct series *s)
{
	json_t *o = json_object(), *author = json_object(), *revs = json_array();
	size_t i;

	json_object_set_new(o, "title", jstr(s->title));
	json_object_set_new(author, "name", jstr(s->author_name));
	json_object_set_new(author, "email", jstr(s->author_email));
	json_object_set_new(o, "author", author);
	json_object_set_new(o, "tree", jstr(series_latest(s)->tree));
	for (i = 0; i < s->revisions_nr; i++)
		json_array_append_new(revs, json_revision(r, s->revisions[i]));
	json_object_set_new(o, "revisions", revs);
	if (r->count)
		fputs(",\n", r->out);
	json_dumpf(o, r->out, JSON_COMPACT);
	json_decref(o);
}

int render_series_begin(struct render_series *r, FILE *out, enum output_format format,
			const struct strmap *summaries, const char *midmask)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->format = format;
	r->summaries = summaries;
	r->midmask = midmask;
	switch (format) {
	case FORMAT_TEXT:
	case FORMAT_MARKDOWN:
		return 0;
	case FORMAT_JSON:
		fputs("{\"version\":1,\"series\":[\n", out);
		return 0;
	default:
		return error("format '%s' is not supported by the series command",
			     output_format_name(format));
	}
}

void render_series_one(struct render_series *r, const struct series *s)
{
	struct series_state st = SERIES_STATE_INIT;
	struct state_options opts = r->state_opts;

	opts.links = r->links;
	if (!state_series(&st, s, &opts))
		r->state = &st;
	if (r->format == FORMAT_JSON)
		json_series(r, s);
	else
		text_series(r, s, r->format == FORMAT_MARKDOWN);
	r->state = NULL;
	series_state_release(&st);
	r->count++;
}

void render_series_end(struct render_series *r)
{
	if (r->format == FORMAT_JSON)
		fputs(r->count ? "\n]}\n" : "]}\n", r->out);
}
