#include "unit.h"
#include "color.h"
#include "date.h"
#include "digest-fixture.h"
#include "digest.h"
#include "mbox.h"
#include "render-json.h"
#include "render-markdown.h"
#include "render-mbox.h"
#include "render-text.h"
#include "render.h"
#include "strbuf.h"
#include "summary.h"

#include <jansson.h>

#define GENERATED 1776124800	/* 2026-04-14T00:00:00Z */

struct rendered {
	struct fixture f;
	struct digest d;
	struct render_options opts;
};

static void make_digest(struct rendered *r)
{
	struct period p;
	struct tzspec utc;
	size_t i;

	fixture_widgets(&r->f);
	tz_parse(&utc, "UTC");
	period_weekly(&p, "2026-W15", NULL, &utc);
	digest_init(&r->d, &p);
	r->d.list = xstrdup("bpf@vger.kernel.org");
	digest_add_applied(&r->d, "b1@y", "fedcba9876543210fedcba9876543210fedcba98", "pwbot", 0, NULL);
	digest_select(&r->d, &r->f.set, r->f.mails, r->f.nr, 10);
	digest_set_urls(&r->d, NULL);
	for (i = 0; i < r->d.entries_nr; i++) {
		struct strbuf sb = STRBUF_INIT;

		summary_patch(&sb, r->d.entries[i].patch);
		r->d.entries[i].summary = strbuf_detach(&sb, NULL);
	}
	digest_write_overview(&r->d);
	r->opts.generated = GENERATED;
	r->opts.tz = NULL;
	r->opts.from = "J\xc3\xb6rg Maintainer <joerg@example.org>";
	r->opts.colors = NULL;
}

static void release_digest(struct rendered *r)
{
	digest_release(&r->d);
	fixture_release(&r->f);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int ends_with(const struct strbuf *sb, const char *suffix)
{
	size_t n = strlen(suffix);

	return sb->len >= n && !strcmp(sb->buf + sb->len - n, suffix);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_text_layout(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT;
	char *line2, *line3;

	make_digest(&r);
	render_digest_text(&sb, &r.d, &r.opts);
	/* Overview, then title/paragraph pairs, then Generated. */
	assert_int_equal(count_lines(sb.buf), 1 + 2 * r.d.entries_nr + 1);
	assert_true(starts_with(sb.buf, r.d.overview));
	line2 = strchr(sb.buf, '\n') + 1;
	line3 = strchr(line2, '\n') + 1;
	assert_true(starts_with(line2, "bpf: Add widget maps\n"));
	/* The paragraph: summary, status, link. */
	assert_true(starts_with(line3, r.d.entries[0].summary));
	assert_non_null(strstr(line3, " Acked by Rev Iewer. Superseded by v3 of April 14. "
				      "<https://lore.kernel.org/all/p2@x/>\n"));
	assert_non_null(strstr(sb.buf, "In this tree as fedcba987654."));
	assert_true(ends_with(&sb, "\nGenerated 2026-04-14T00:00:00Z\n"));
	strbuf_release(&sb);
	release_digest(&r);
}

/* The section after the entries, in each format: at most what the digest holds. */
static void test_attention_section(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT;

	make_digest(&r);
	render_digest_text(&sb, &r.d, &r.opts);
	assert_null(strstr(sb.buf, "Needs attention"));
	assert_null(strstr(sb.buf, "Applied this period"));
	strbuf_reset(&sb);
	digest_add_attention(&r.d, "Changes requested", "bpf: Add *widget* maps", 2, 5, "c2@x",
			     DIGEST_DEFAULT_MIDMASK);
	digest_add_attention(&r.d, "Waiting for review", "libbpf: Fix", 1, 1, NULL,
			     DIGEST_DEFAULT_MIDMASK);
	r.d.applied_line = xstrdup("Applied this period: 2 series to bpf-next, 0 to bpf");
	render_digest_text(&sb, &r.d, &r.opts);
	assert_true(ends_with(&sb, "\nNeeds attention\n"
		"- Changes requested for 5 days: bpf: Add *widget* maps (v2) <https://lore.kernel.org/all/c2@x/>\n"
		"- Waiting for review for 1 day: libbpf: Fix\n"
		"Applied this period: 2 series to bpf-next, 0 to bpf\n"
		"Generated 2026-04-14T00:00:00Z\n"));
	strbuf_reset(&sb);
	render_digest_markdown(&sb, &r.d, &r.opts);
	assert_true(ends_with(&sb, "\n\n## Needs attention\n\n"
		"- Changes requested for 5 days: bpf: Add \\*widget\\* maps (v2) (https://lore.kernel.org/all/c2@x/)\n"
		"- Waiting for review for 1 day: libbpf: Fix\n\n"
		"Applied this period: 2 series to bpf-next, 0 to bpf\n\n"
		"---\nGenerated 2026-04-14T00:00:00Z\n"));
	strbuf_reset(&sb);
	assert_int_equal(render_digest_json(&sb, &r.d, &r.opts), 0);
	assert_non_null(strstr(sb.buf, "\"applied_this_period\": \"Applied this period: 2 series"));
	assert_non_null(strstr(sb.buf, "\"label\": \"Changes requested\""));
	strbuf_release(&sb);
	release_digest(&r);
}

static void test_json_shape(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT;
	json_error_t jerr;
	json_t *root, *e, *s, *revs;

	make_digest(&r);
	assert_int_equal(render_digest_json(&sb, &r.d, &r.opts), 0);
	root = json_loads(sb.buf, 0, &jerr);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(root, "list")), "bpf@vger.kernel.org");
	e = json_object_get(root, "period");
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "weekly");
	assert_string_equal(json_string_value(json_object_get(e, "start")), "2026-04-06T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(e, "end")), "2026-04-13T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(root, "generated")),
			    "2026-04-14T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(root, "overview")), r.d.overview);
	e = json_object_get(root, "stats");
	assert_int_equal(json_integer_value(json_object_get(e, "messages")), 10);
	assert_int_equal(json_integer_value(json_object_get(e, "patches")), 6);
	assert_int_equal(json_integer_value(json_object_get(e, "series")), 3);
	assert_int_equal(json_integer_value(json_object_get(e, "authors")), 3);
	assert_int_equal(json_integer_value(json_object_get(e, "applied")), 1);
	assert_int_equal(json_array_size(json_object_get(root, "entries")), 3);

	e = json_array_get(json_object_get(root, "entries"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "title")), "bpf: Add widget maps");
	assert_string_equal(json_string_value(json_object_get(e, "summary")), r.d.entries[0].summary);
	assert_string_equal(json_string_value(json_object_get(e, "m")), "p2@x");
	assert_string_equal(json_string_value(json_object_get(e, "url")),
			    "https://lore.kernel.org/all/p2@x/");
	assert_string_equal(json_string_value(json_object_get(e, "status")), "superseded");
	s = json_object_get(e, "series");
	assert_string_equal(json_string_value(json_object_get(s, "title")), "bpf: Widget support");
	assert_string_equal(json_string_value(json_object_get(s, "cover")), "c2@x");
	assert_int_equal(json_integer_value(json_object_get(s, "version")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "total")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "position")), 1);
	assert_true(json_is_false(json_object_get(s, "rfc")));
	assert_string_equal(json_string_value(json_object_get(s, "tree")), "bpf-next");
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "author"), "name")),
			    "Jane Dev");
	revs = json_object_get(s, "revisions");
	assert_int_equal(json_array_size(revs), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(revs, 0), "date")),
			    "2026-04-06T10:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(revs, 2), "m")), "c3@x");
	assert_int_equal(json_array_size(json_object_get(e, "reviews")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(e, "reviews"), 0), "trailer")), "Acked-by");
	assert_int_equal(json_array_size(json_object_get(e, "applied")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "superseded_by"),
							    "version")), 3);

	e = json_array_get(json_object_get(root, "entries"), 1);
	assert_string_equal(json_string_value(json_object_get(e, "status")), "applied");
	assert_true(json_is_null(json_object_get(e, "superseded_by")));
	assert_true(json_is_null(json_object_get(json_object_get(e, "series"), "cover")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(e, "applied"), 0), "method")), "pwbot");
	e = json_array_get(json_object_get(root, "entries"), 2);
	assert_true(json_is_true(json_object_get(json_object_get(e, "series"), "rfc")));
	json_decref(root);
	strbuf_release(&sb);
	release_digest(&r);
}

static void test_json_survives_bad_utf8(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT;
	json_t *root;

	make_digest(&r);
	free(r.d.overview);
	r.d.overview = xstrdup("Caf\xe9 \xff ok \xc3\xa9");
	assert_int_equal(render_digest_json(&sb, &r.d, &r.opts), 0);
	root = json_loads(sb.buf, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "overview")),
			    "Caf\xef\xbf\xbd \xef\xbf\xbd ok \xc3\xa9");
	json_decref(root);
	strbuf_release(&sb);
	release_digest(&r);
}

static void test_markdown(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT;

	make_digest(&r);
	render_digest_markdown(&sb, &r.d, &r.opts);
	assert_true(starts_with(sb.buf, "# \\[bpf digest\\] week 2026-W15\n\n"));
	assert_non_null(strstr(sb.buf, "\n## [bpf: Add widget maps](https://lore.kernel.org/all/p2@x/)\n\n"));
	assert_non_null(strstr(sb.buf, "\n*Acked by Rev Iewer. Superseded by v3 of April 14.*\n"));
	assert_non_null(strstr(sb.buf, "Add BPF_MAP_TYPE_WIDGET, which"));
	assert_non_null(strstr(sb.buf, "widget_free()"));
	assert_true(ends_with(&sb, "---\nGenerated 2026-04-14T00:00:00Z\n"));
	strbuf_reset(&sb);
	render_markdown_escape(&sb, "# a*b_c d_ [x](y) <z> do_it");
	assert_string_equal(sb.buf, "\\# a\\*b_c d\\_ \\[x\\](y) \\<z\\> do_it");
	/* An entity would become its character once rendered; "~~" strikes through. */
	strbuf_reset(&sb);
	render_markdown_escape(&sb, "&#27;[2J &#x202E; ~~x~~");
	assert_string_equal(sb.buf, "\\&#27;\\[2J \\&#x202E; \\~\\~x\\~\\~");
	strbuf_release(&sb);
	release_digest(&r);
}

static int grab(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct strbuf *sb = data;

	mbox_unquote(sb, msg, len);
	return 0;
}

static void test_mbox_message(void **state)
{
	struct rendered r;
	struct strbuf sb = STRBUF_INIT, again = STRBUF_INIT, msg = STRBUF_INIT, err = STRBUF_INIT;
	struct mail m;
	const char *body, *p;

	make_digest(&r);
	/* A summary line starting "From " must survive the mbox. */
	free(r.d.entries[2].summary);
	r.d.entries[2].summary = xstrdup("From now on it works.");
	render_digest_mbox(&sb, &r.d, &r.opts);
	render_digest_mbox(&again, &r.d, &r.opts);
	assert_string_equal(sb.buf, again.buf);
	assert_true(starts_with(sb.buf, "From git-bpfdigest Tue Apr 14 00:00:00 2026\n"));
	assert_non_null(strstr(sb.buf, "\n>From now on it works.\n"));
	assert_int_equal(mbox_split(sb.buf, sb.len, grab, &msg), 1);
	assert_int_equal(mail_parse(&m, msg.buf, msg.len, 0, &err), 0);
	assert_string_equal(m.subject, "[bpf digest] week 2026-W15");
	assert_string_equal(m.from_name, "J\xc3\xb6rg Maintainer");
	assert_string_equal(m.from_email, "joerg@example.org");
	assert_int_equal(m.date, GENERATED);
	assert_true(starts_with(m.mid, "bpfdigest-2026-W15-"));
	assert_non_null(strstr(m.mid, "@example.org"));
	assert_non_null(strstr(msg.buf, "\nFrom now on it works.\n"));
	/* Wrapped for mail: no line over 72 columns but unbreakable words. */
	body = strstr(msg.buf, "\n\n") + 2;
	for (p = body; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > 72)
			assert_null(memchr(p, ' ', len));
		p += len + (nl != NULL);
	}
	assert_non_null(strstr(body, "\n<https://lore.kernel.org/all/p2@x/>\n"));
	mail_release(&m);
	strbuf_release(&sb);
	strbuf_release(&again);
	strbuf_release(&msg);
	strbuf_release(&err);
	release_digest(&r);
}

static void test_text_colors(void **state)
{
	static const char *const slots[COLOR_SLOTS] = {
		[COLOR_TITLE] = "bold", [COLOR_POSTED] = "yellow",
		[COLOR_SUPERSEDED] = "red", [COLOR_APPLIED] = "green",
	};
	struct color_scheme colors;
	struct rendered r;
	struct strbuf plain = STRBUF_INIT, sb = STRBUF_INIT;
	enum output_format fmt;
	size_t i;

	for (i = 0; i < COLOR_SLOTS; i++)
		assert_int_equal(color_parse(slots[i], colors.code[i]), 0);
	make_digest(&r);
	render_digest_text(&plain, &r.d, &r.opts);
	r.opts.colors = &colors;
	render_digest_text(&sb, &r.d, &r.opts);
	assert_non_null(strstr(sb.buf, "\n\033[1mbpf: Add widget maps\033[m\n"));
	assert_non_null(strstr(sb.buf, " Acked by Rev Iewer. \033[31mSuperseded by v3 of April 14.\033[m <https://"));
	assert_non_null(strstr(sb.buf, "\033[32mIn this tree as fedcba987654.\033[m"));
	/* Without the escapes, the same text. */
	for (i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\033') {
			size_t end = i + strcspn(sb.buf + i, "m") + 1;

			memmove(sb.buf + i, sb.buf + end, sb.len - end + 1);
			sb.len -= end - i;
			i--;
		}
	assert_string_equal(sb.buf, plain.buf);
	/* Never in the other formats, even when asked. */
	for (fmt = FORMAT_MARKDOWN; fmt <= FORMAT_MBOX; fmt++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		assert_int_equal(render_digest(out, &r.d, fmt, &r.opts), 0);
		fclose(out);
		assert_true(len > 0);
		assert_null(memchr(buf, '\033', len));
		free(buf);
	}
	strbuf_release(&plain);
	strbuf_release(&sb);
	release_digest(&r);
}

static void test_mbox_of_archived_message(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char raw[] = "From 0123 Mon Sep 17 00:00:00 2001\nSubject: x\n\nFrom me\n>From you\nend";

	render_mbox_message(&sb, raw, sizeof(raw) - 1);
	assert_string_equal(sb.buf, "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
				    "Subject: x\n\n>From me\n>>From you\nend\n\n");
	strbuf_reset(&sb);
	render_mbox_message(&sb, "Subject: y\n\nbody\n", 17);
	assert_string_equal(sb.buf, "From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: y\n\nbody\n\n");
	strbuf_release(&sb);
}

static void test_wrap_and_formats(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	enum output_format f;

	render_wrap(&sb, "aaa bbb ccc\nddd  eee", 7);
	assert_string_equal(sb.buf, "aaa bbb\nccc\nddd eee\n");
	strbuf_reset(&sb);
	render_wrap(&sb, "\xc3\xa9\xc3\xa9\xc3\xa9 abc", 7);	/* columns, not bytes */
	assert_string_equal(sb.buf, "\xc3\xa9\xc3\xa9\xc3\xa9 abc\n");
	strbuf_release(&sb);
	assert_int_equal(output_format_parse("mbox", &f), 0);
	assert_int_equal(f, FORMAT_MBOX);
	assert_int_equal(output_format_parse("html", &f), -1);
	assert_string_equal(output_format_name(FORMAT_MARKDOWN), "markdown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_attention_section),
		cmocka_unit_test(test_json_survives_bad_utf8),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_mbox_message),
		cmocka_unit_test(test_wrap_and_formats),
		cmocka_unit_test(test_text_colors),
		cmocka_unit_test(test_mbox_of_archived_message),
	};
	return unit_run("render", tests, ARRAY_SIZE(tests));
}
