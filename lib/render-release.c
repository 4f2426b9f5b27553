#include "render-release.h"
#include "date.h"
#include "digest.h"
#include "link.h"
#include "mail.h"
#include "release.h"
#include "render-json.h"
#include "render-markdown.h"
#include "render-mbox.h"
#include "series.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <jansson.h>
#include <string.h>

#define WRAP_COLUMNS 72
/* Abbreviated ids: 12 digits, as Fixes: tags and pull requests write them. */
#define ABBREV 12

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void add_day(struct strbuf *out, time_t when, const struct tzspec *tz)
{
	struct tzspec utc;
	struct tm tm;

	if (!tz) {
		tz_parse(&utc, "UTC");
		tz = &utc;
	}
	tz_localtime(tz, when, &tm);
	strbuf_addf(out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/*
 * Commits that match no patch of the archive: posted all the same when
 * their own Link: says so, else (as far as anything says) not posted.
 */
static const char *unposted_heading(int linked)
{
	return linked ? "Posted, not in the archive" : "Not posted to the list";
}

/* "149 non-merge commits applied from A to B: 21 series ... by 31 authors and 12 reviewers." */
static void add_counts(struct strbuf *out, const struct release *rel, const struct tzspec *tz)
{
	size_t posted = rel->nr - rel->unposted_nr, unlinked = rel->unposted_nr - rel->unposted_linked;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;

	if (!rel->nr) {
		strbuf_addstr(out, "No non-merge commits in this range.");
		return;
	}
	add_day(&from, rel->first, tz);
	add_day(&to, rel->last, tz);
	strbuf_addf(out, "%zu non-merge %s applied ", rel->nr, plural(rel->nr, "commit", "commits"));
	if (!strcmp(from.buf, to.buf))
		strbuf_addf(out, "on %s", from.buf);
	else
		strbuf_addf(out, "from %s to %s", from.buf, to.buf);
	if (!rel->series_nr && !rel->unposted_linked)
		strbuf_addstr(out, rel->nr == 1 ? ", not posted to the list"
						: ", none of them posted to the list");
	else if (!rel->series_nr)
		strbuf_addstr(out, ", none of them in the archive");
	else
		strbuf_addf(out, ": %zu series posted to the list (%zu %s)", rel->series_nr, posted,
			    plural(posted, "commit", "commits"));
	if (rel->series_nr && rel->unposted_linked)
		strbuf_addf(out, ", %zu %s posted but not in the archive", rel->unposted_linked,
			    plural(rel->unposted_linked, "commit", "commits"));
	if (rel->series_nr && unlinked)
		strbuf_addf(out, " and %zu %s that %s not", unlinked,
			    plural(unlinked, "commit", "commits"), plural(unlinked, "was", "were"));
	strbuf_addf(out, ", by %zu %s and ", rel->authors, plural(rel->authors, "author", "authors"));
	if (rel->reviewers)
		strbuf_addf(out, "%zu %s.", rel->reviewers, plural(rel->reviewers, "reviewer", "reviewers"));
	else
		strbuf_addstr(out, "no reviewers.");
	strbuf_release(&from);
	strbuf_release(&to);
}

static const char *person_name(const struct release_person *p)
{
	return *p->name ? p->name : p->email;
}

/* "A", "A and B", "A, B and C". */
static void add_authors(struct strbuf *out, const struct release *rel,
			const struct release_series *s, int markdown)
{
	size_t i;

	for (i = 0; i < s->authors_nr; i++) {
		if (i)
			strbuf_addstr(out, i + 1 == s->authors_nr ? " and " : ", ");
		render_markdown_text(out, person_name(&rel->people[s->authors[i]]), markdown);
	}
}

static const struct link_commit *first_commit(const struct release *rel,
					      const struct release_series *s)
{
	return rel->commits[s->commits[0]].link;
}

/* "(Jane Doe; 3 commits from 0123456789ab)" or "(Jane Doe; 0123456789ab)" */
static void add_facts(struct strbuf *out, const struct release *rel,
		      const struct release_series *s, int markdown)
{
	const char *quote = markdown ? "`" : "";

	strbuf_addstr(out, " (");
	add_authors(out, rel, s, markdown);
	strbuf_addstr(out, "; ");
	if (s->commits_nr > 1)
		strbuf_addf(out, "%zu commits from ", s->commits_nr);
	strbuf_addf(out, "%s%.*s%s)", quote, ABBREV, git_oid_tostr_s(&first_commit(rel, s)->id),
		    quote);
}

/* The message a series is linked by: its cover, else its first commit's posting. */
static const char *series_mid(const struct release *rel, const struct release_series *s)
{
	if (s->commits_nr > 1 && s->revision->cover)
		return s->revision->cover->mail->mid;
	return first_commit(rel, s)->patch->mail->mid;
}

/* text wrapped, its first line after first, the others after indent. */
static void add_item(struct strbuf *out, const char *first, const char *indent, const char *text)
{
	struct strbuf wrapped = STRBUF_INIT;
	const char *p;
	int line = 0;

	render_wrap(&wrapped, text, WRAP_COLUMNS - strlen(indent));
	for (p = wrapped.buf; *p; line++) {
		const char *nl = strchrnul(p, '\n');

		strbuf_addstr(out, line ? indent : first);
		strbuf_add(out, p, (size_t)(nl - p));
		strbuf_addch(out, '\n');
		p = *nl ? nl + 1 : nl;
	}
	strbuf_release(&wrapped);
}

static void add_heading(struct strbuf *out, const struct release *rel, int area, int markdown)
{
	size_t i, series = 0, commits = release_area_commits(rel, area);

	for (i = 0; i < rel->series_nr; i++)
		series += rel->series[i].area == area;
	strbuf_addstr(out, markdown ? "\n## " : "\n");
	strbuf_addf(out, "%s (%zu series, %zu %s)\n\n", rel->areas->items[area].title, series,
		    commits, plural(commits, "commit", "commits"));
}

static void add_thanks_names(struct strbuf *out, const struct release *rel)
{
	size_t i;

	for (i = 0; i < rel->people_nr; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, person_name(&rel->people[i]));
	}
	if (rel->people_nr)
		strbuf_addch(out, '.');
}

static const char *const thanks = "Thanks to the authors and reviewers of these commits:";

void render_release_text(struct strbuf *out, const struct release *rel,
			 const struct render_release_options *opts)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int linked;

	strbuf_addf(out, "Release notes for %s\n\n", opts->range);
	add_counts(&sb, rel, opts->tz);
	render_wrap(out, sb.buf, WRAP_COLUMNS);
	for (i = 0; i < rel->series_nr; i++) {
		const struct release_series *s = &rel->series[i];

		if (!i || rel->series[i - 1].area != s->area)
			add_heading(out, rel, s->area, 0);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, s->title);
		add_facts(&sb, rel, s, 0);
		if (s->summary)
			strbuf_addf(&sb, ": %s", s->summary);
		add_item(out, "  - ", "    ", sb.buf);
	}
	for (linked = 1; linked >= 0; linked--) {
		size_t n = linked ? rel->unposted_linked : rel->unposted_nr - rel->unposted_linked;

		if (n)
			strbuf_addf(out, "\n%s (%zu %s)\n\n", unposted_heading(linked), n,
				    plural(n, "commit", "commits"));
		for (i = 0; i < rel->unposted_nr; i++) {
			const struct release_commit *c = &rel->commits[rel->unposted[i]];

			if (!c->posted_link != !linked)
				continue;
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%.*s %s (%s)", ABBREV, git_oid_tostr_s(&c->link->id),
				    c->link->summary, person_name(&rel->people[c->author]));
			if (c->posted_link)
				strbuf_addf(&sb, " <%s>", c->posted_link);
			add_item(out, "  - ", "    ", sb.buf);
		}
	}
	if (rel->people_nr) {
		strbuf_addf(out, "\n%s\n\n", thanks);
		strbuf_reset(&sb);
		add_thanks_names(&sb, rel);
		add_item(out, "  ", "  ", sb.buf);
	}
	strbuf_release(&sb);
}

void render_release_markdown(struct strbuf *out, const struct release *rel,
			     const struct render_release_options *opts)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int linked;

	strbuf_addstr(out, "# Release notes for ");
	render_markdown_escape(out, opts->range);
	strbuf_addstr(out, "\n\n");
	add_counts(&sb, rel, opts->tz);
	strbuf_addf(out, "%s\n", sb.buf);
	for (i = 0; i < rel->series_nr; i++) {
		const struct release_series *s = &rel->series[i];

		if (!i || rel->series[i - 1].area != s->area)
			add_heading(out, rel, s->area, 1);
		strbuf_addstr(out, "- [");
		render_markdown_escape(out, s->title);
		strbuf_addstr(out, "](");
		digest_url(out, opts->midmask && *opts->midmask ? opts->midmask
							: DIGEST_DEFAULT_MIDMASK,
			   series_mid(rel, s));
		strbuf_addch(out, ')');
		add_facts(out, rel, s, 1);
		if (s->summary) {
			strbuf_addstr(out, ": ");
			render_markdown_escape(out, s->summary);
		}
		strbuf_addch(out, '\n');
	}
	for (linked = 1; linked >= 0; linked--) {
		size_t n = linked ? rel->unposted_linked : rel->unposted_nr - rel->unposted_linked;

		if (n)
			strbuf_addf(out, "\n## %s (%zu %s)\n\n", unposted_heading(linked), n,
				    plural(n, "commit", "commits"));
		for (i = 0; i < rel->unposted_nr; i++) {
			const struct release_commit *c = &rel->commits[rel->unposted[i]];

			if (!c->posted_link != !linked)
				continue;
			strbuf_addf(out, "- `%.*s` ", ABBREV, git_oid_tostr_s(&c->link->id));
			render_markdown_escape(out, c->link->summary);
			strbuf_addstr(out, " (");
			render_markdown_escape(out, person_name(&rel->people[c->author]));
			strbuf_addch(out, ')');
			if (c->posted_link)
				strbuf_addf(out, " <%s>", c->posted_link);
			strbuf_addch(out, '\n');
		}
	}
	if (rel->people_nr) {
		strbuf_addf(out, "\n## Thanks\n\n%s ", thanks);
		strbuf_reset(&sb);
		add_thanks_names(&sb, rel);
		render_markdown_escape(out, sb.buf);
		strbuf_addch(out, '\n');
	}
	strbuf_release(&sb);
}

/* --- JSON ----------------------------------------------------------------------- */

static json_t *iso(time_t when)
{
	char buf[DATE_ISO_SIZE];

	date_format_iso(buf, when);
	return json_string(buf);
}

static json_t *person_json(const struct release_person *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", render_json_string(p->name));
	json_object_set_new(o, "email", render_json_string(p->email));
	return o;
}

static json_t *series_json(const struct release *rel, const struct release_series *s,
			   const struct render_release_options *opts)
{
	const struct series_revision *rev = s->revision;
	json_t *o = json_object(), *authors = json_array(), *commits = json_array();
	struct strbuf url = STRBUF_INIT;
	const char *mid = series_mid(rel, s);
	size_t i;

	for (i = 0; i < s->authors_nr; i++)
		json_array_append_new(authors, person_json(&rel->people[s->authors[i]]));
	for (i = 0; i < s->commits_nr; i++)
		json_array_append_new(commits,
				      json_string(git_oid_tostr_s(&rel->commits[s->commits[i]].link->id)));
	digest_url(&url, opts->midmask && *opts->midmask ? opts->midmask : DIGEST_DEFAULT_MIDMASK,
		   mid);
	json_object_set_new(o, "title", render_json_string(s->title));
	json_object_set_new(o, "authors", authors);
	json_object_set_new(o, "commits", commits);
	json_object_set_new(o, "first", json_string(git_oid_tostr_s(&first_commit(rel, s)->id)));
	json_object_set_new(o, "summary", s->summary ? render_json_string(s->summary) : json_null());
	json_object_set_new(o, "m", render_json_string(mid));
	json_object_set_new(o, "url", render_json_string(url.buf));
	json_object_set_new(o, "version", json_integer(rev->version));
	json_object_set_new(o, "total", json_integer(rev->total));
	json_object_set_new(o, "tree", rev->tree ? render_json_string(rev->tree) : json_null());
	strbuf_release(&url);
	return o;
}

static json_t *areas_json(const struct release *rel, const struct render_release_options *opts)
{
	json_t *areas = json_array(), *list = NULL;
	size_t i;

	for (i = 0; i < rel->series_nr; i++) {
		const struct release_series *s = &rel->series[i];

		if (!i || rel->series[i - 1].area != s->area) {
			const struct release_area *a = &rel->areas->items[s->area];

			list = json_array();
			json_array_append_new(areas, json_pack("{s:s, s:s, s:I, s:o}", "name", a->name,
							       "title", a->title, "commits",
							       (json_int_t)release_area_commits(rel, s->area),
							       "series", list));
		}
		json_array_append_new(list, series_json(rel, s, opts));
	}
	return areas;
}

static json_t *people_json(const struct release *rel, unsigned role)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < rel->people_nr; i++)
		if (rel->people[i].roles & role)
			json_array_append_new(list, person_json(&rel->people[i]));
	return list;
}

int render_release_json(struct strbuf *out, const struct release *rel,
			const struct render_release_options *opts)
{
	json_t *root = json_object(), *unposted = json_array(), *stats;
	char *text;
	size_t i;

	stats = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "commits", (json_int_t)rel->nr,
			  "series", (json_int_t)rel->series_nr, "posted",
			  (json_int_t)(rel->nr - rel->unposted_nr), "unposted",
			  (json_int_t)rel->unposted_nr, "authors", (json_int_t)rel->authors,
			  "reviewers", (json_int_t)rel->reviewers);
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "range", render_json_string(opts->range));
	json_object_set_new(root, "period", rel->nr ? json_pack("{s:o, s:o}", "start",
								  iso(rel->first), "end",
								  iso(rel->last))
						    : json_null());
	json_object_set_new(root, "stats", stats);
	json_object_set_new(root, "areas", areas_json(rel, opts));
	for (i = 0; i < rel->unposted_nr; i++) {
		const struct release_commit *c = &rel->commits[rel->unposted[i]];
		json_t *o = json_object();

		json_object_set_new(o, "commit", json_string(git_oid_tostr_s(&c->link->id)));
		json_object_set_new(o, "s", render_json_string(c->link->summary));
		json_object_set_new(o, "author", person_json(&rel->people[c->author]));
		json_object_set_new(o, "area", json_string(rel->areas->items[c->area].name));
		json_object_set_new(o, "link", c->posted_link ? render_json_string(c->posted_link)
							      : json_null());
		json_array_append_new(unposted, o);
	}
	json_object_set_new(root, "unposted", unposted);
	json_object_set_new(root, "authors", people_json(rel, RELEASE_AUTHOR));
	json_object_set_new(root, "reviewers", people_json(rel, RELEASE_REVIEWER));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return error("cannot write the JSON output");
	strbuf_addstr(out, text);
	strbuf_addch(out, '\n');
	free(text);
	return 0;
}

int render_release(FILE *out, const struct release *rel, enum output_format fmt,
		   const struct render_release_options *opts)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	switch (fmt) {
	case FORMAT_TEXT:
		render_release_text(&sb, rel, opts);
		break;
	case FORMAT_MARKDOWN:
		render_release_markdown(&sb, rel, opts);
		break;
	case FORMAT_JSON:
		ret = render_release_json(&sb, rel, opts);
		break;
	default:
		ret = error("format '%s' is not available for release notes (use text, markdown or json)",
			    output_format_name(fmt));
	}
	if (!ret)
		fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
	return ret;
}
