#include "series-fixture.h"
#include "color.h"
#include "render-series.h"

#include <jansson.h>
#include <stdio.h>

/* Two revisions, a review on the cover, a partial reroll, an odd byte. */
static void fixture(struct mails *ms)
{
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Thu, 9 Apr 2026 10:00:00 +0000";

	add(ms, jane, "c1@x", NULL, d1, "[PATCH bpf-next 0/2] bpf: Widget support", cover_body);
	add(ms, jane, "p1@x", "c1@x", d1, "[PATCH bpf-next 1/2] bpf: Add widgets", diff);
	add(ms, jane, "p2@x", "c1@x", d1, "[PATCH bpf-next 2/2] selftests/bpf: Test widgets", diff);
	add(ms, "Rev \"Q\" <rev@kernel.org>", "r1@x", "c1@x", d1,
	    "Re: [PATCH bpf-next 0/2] bpf: Widget support", "Acked-by: Rev \"Q\" <rev@kernel.org>\n");
	add(ms, "Bot <bot+bpf-ci@kernel.org>", "b1@x", "c1@x p1@x", d1,
	    "Re: [PATCH bpf-next 1/2] bpf: Add widgets", "AI review\n");
	add(ms, jane, "q2@x", "c1@x p2@x", d2, "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets",
	    diff);
	/* The mail stage makes UTF-8 of what it decodes; be robust to what it may not. */
	free(ms->v[ms->nr - 1]->subject);
	ms->v[ms->nr - 1]->subject =
		xstrdup("[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets \xff");
}

static char *render_with(const struct series_set *set, enum output_format fmt,
			 const struct strmap *summaries, const char *midmask)
{
	struct render_series r;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out = open_memstream(&buf, &len);

	assert_int_equal(render_series_begin(&r, out, fmt, summaries, midmask), 0);
	for (i = 0; i < set->nr; i++)
		render_series_one(&r, set->series[i]);
	render_series_end(&r);
	fclose(out);
	return buf;
}

static char *render(const struct series_set *set, enum output_format fmt,
		    const struct strmap *summaries)
{
	return render_with(set, fmt, summaries, NULL);
}

static void test_text(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct strmap summaries = STRMAP_INIT;
	char *out;

	fixture(&ms);
	set = build(&ms);
	strmap_put(&summaries, "p1@x", "Adds widgets.");
	out = render(&set, FORMAT_TEXT, &summaries);
	assert_string_equal(out,
		"bpf: Widget support\n"
		"  by Jane Dev <jane@x.org>, tree bpf-next, 2 revisions\n"
		"\n"
		"  v1 2026-04-06, 2 patches, posted, 1 participant\n"
		"    https://lore.kernel.org/all/c1@x/\n"
		"    0/2 bpf: Widget support\n"
		"        <c1@x>, 1 reply\n"
		"        Acked-by: Rev \"Q\" <rev@kernel.org>\n"
		"    1/2 bpf: Add widgets\n"
		"        <p1@x>, 1 reply (0 from people)\n"
		"        Acked-by: Rev \"Q\" <rev@kernel.org>\n"
		"        Adds widgets.\n"
		"    2/2 selftests/bpf: Test widgets\n"
		"        <p2@x>, superseded, no replies\n"
		"        Acked-by: Rev \"Q\" <rev@kernel.org>\n"
		"\n"
		"  v2 (partial reroll of v1) 2026-04-09, 1 of 2 patches, posted\n"
		"    https://lore.kernel.org/all/q2@x/\n"
		"    2/2 selftests/bpf: Test widgets ?\n"
		"        <q2@x>, no replies\n"
		"        Acked-by: Rev \"Q\" <rev@kernel.org>\n");
	free(out);
	out = render(&set, FORMAT_MARKDOWN, NULL);
	assert_non_null(strstr(out, "## bpf: Widget support\n\nby Jane Dev \\<jane@x.org\\>"));
	assert_non_null(strstr(out, "\n### v1 2026-04-06, 2 patches, posted, 1 participant\n\n"
				    "<https://lore.kernel.org/all/c1@x/>\n"));
	assert_non_null(strstr(out, "- **1/2** bpf: Add widgets\n  `<p1@x>`, 1 reply"));
	free(out);
	strmap_clear(&summaries);
	release(&ms, &set);
}

static void test_text_colors(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct color_scheme colors;
	struct render_series r;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out;
	enum output_format fmt;

	assert_int_equal(color_parse("bold", colors.code[COLOR_TITLE]), 0);
	assert_int_equal(color_parse("yellow", colors.code[COLOR_POSTED]), 0);
	assert_int_equal(color_parse("red", colors.code[COLOR_SUPERSEDED]), 0);
	assert_int_equal(color_parse("green", colors.code[COLOR_APPLIED]), 0);
	fixture(&ms);
	set = build(&ms);
	for (fmt = FORMAT_TEXT; fmt <= FORMAT_JSON; fmt++) {
		out = open_memstream(&buf, &len);
		assert_int_equal(render_series_begin(&r, out, fmt, NULL, NULL), 0);
		r.colors = &colors;
		for (i = 0; i < set.nr; i++)
			render_series_one(&r, set.series[i]);
		render_series_end(&r);
		fclose(out);
		if (fmt == FORMAT_TEXT) {
			assert_true(!strncmp(buf, "\033[1mbpf: Widget support\033[m\n", 27));
			assert_non_null(strstr(buf, "\n  v1 2026-04-06, 2 patches, \033[33mposted\033[m, 1 participant\n"));
			assert_non_null(strstr(buf, "\n        <p2@x>, \033[31msuperseded\033[m, no replies\n"));
		} else {
			assert_null(strchr(buf, '\033'));
		}
		free(buf);
		buf = NULL;
	}
	release(&ms, &set);
}

static void test_json(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct strmap summaries = STRMAP_INIT;
	json_error_t err;
	json_t *doc, *s, *v1, *v2, *p, *r;
	char *out;

	fixture(&ms);
	set = build(&ms);
	strmap_put(&summaries, "c1@x", "The series.");
	strmap_put(&summaries, "p1@x", "Adds widgets.");
	out = render(&set, FORMAT_JSON, &summaries);
	doc = json_loads(out, 0, &err);
	if (!doc)
		fail_msg("invalid JSON at %d: %s\n%s", err.position, err.text, out);
	assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "series")), 1);
	s = json_array_get(json_object_get(doc, "series"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "title")), "bpf: Widget support");
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "author"), "email")),
			    "jane@x.org");
	assert_string_equal(json_string_value(json_object_get(s, "tree")), "bpf-next");
	v1 = json_array_get(json_object_get(s, "revisions"), 0);
	v2 = json_array_get(json_object_get(s, "revisions"), 1);
	assert_int_equal(json_integer_value(json_object_get(v1, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(v1, "dt")), "2026-04-06T10:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(v1, "total")), 2);
	assert_true(json_is_false(json_object_get(v1, "rfc")));
	assert_true(json_is_false(json_object_get(v1, "superseded")));
	assert_string_equal(json_string_value(json_object_get(v1, "summary")), "The series.");
	assert_string_equal(json_string_value(json_object_get(json_object_get(v1, "cover"), "m")),
			    "c1@x");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(v1, "cover"), "replies")),
			 1);
	p = json_array_get(json_object_get(v1, "patches"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "m")), "p1@x");
	assert_string_equal(json_string_value(json_object_get(p, "s")),
			    "[PATCH bpf-next 1/2] bpf: Add widgets");
	assert_string_equal(json_string_value(json_object_get(p, "f")), "Jane Dev <jane@x.org>");
	assert_string_equal(json_string_value(json_object_get(p, "dt")), "2026-04-06T10:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(p, "position")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "replies")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "human_replies")), 0);
	assert_string_equal(json_string_value(json_object_get(p, "status")), "posted");
	assert_string_equal(json_string_value(json_object_get(p, "summary")), "Adds widgets.");
	assert_string_equal(json_string_value(json_object_get(p, "url")),
			    "https://lore.kernel.org/all/p1@x/");
	assert_string_equal(json_string_value(json_object_get(json_object_get(v1, "cover"), "url")),
			    "https://lore.kernel.org/all/c1@x/");
	r = json_array_get(json_object_get(p, "reviews"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "trailer")), "Acked-by");
	assert_string_equal(json_string_value(json_object_get(r, "name")), "Rev \"Q\"");
	assert_string_equal(json_string_value(json_object_get(r, "m")), "r1@x");
	p = json_array_get(json_object_get(v1, "patches"), 1);
	assert_string_equal(json_string_value(json_object_get(p, "status")), "superseded");
	assert_string_equal(json_string_value(json_object_get(p, "superseded_by")), "q2@x");
	assert_true(json_is_null(json_object_get(p, "summary")));
	/* Review states, with the mail that set them. */
	assert_string_equal(json_string_value(json_object_get(p, "state")), "superseded");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "state_evidence"),
							      "m")), "q2@x");
	assert_true(json_is_null(json_object_get(p, "applied_changes")));
	assert_true(json_is_boolean(json_object_get(p, "new")));
	p = json_array_get(json_object_get(v1, "patches"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "state")), "reviewed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "state_evidence"),
							      "m")), "r1@x");
	/* One patch replaced by the partial reroll: superseded is the stronger. */
	assert_string_equal(json_string_value(json_object_get(v1, "state")), "superseded");
	assert_true(json_is_array(json_object_get(v1, "dropped")));
	assert_true(json_is_null(json_object_get(v2, "cover")));
	assert_int_equal(json_integer_value(json_object_get(v2, "partial_of")), 1);
	/* A subject that is not UTF-8 still makes valid JSON. */
	p = json_array_get(json_object_get(v2, "patches"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "s")),
			    "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets \xef\xbf\xbd");
	json_decref(doc);
	free(out);
	strmap_clear(&summaries);
	release(&ms, &set);
}

/* Unnumbered postings are labelled by what they are. */
static void test_labels(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d = "Mon, 6 Apr 2026 10:00:00 +0000";
	char *out;

	add(&ms, "Kees <kees@x.org>", "pr@x", NULL, d, "[GIT PULL] seccomp updates",
	    "The following changes since commit 0123456789ab:\n\nare available in the Git "
	    "repository at:\n\n  https://git.kernel.org/x\n");
	add(&ms, jane, "p@x", NULL, "Tue, 7 Apr 2026 10:00:00 +0000", "[RFC PATCH] bpf: x", diff);
	set = build(&ms);
	out = render(&set, FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "\n  v1 (pull request) 2026-04-06, 1 patch, posted\n"
				    "    https://lore.kernel.org/all/pr@x/\n    pull seccomp updates\n"));
	assert_non_null(strstr(out, "\n  v1 (RFC) 2026-04-07, 1 patch, posted\n"
				    "    https://lore.kernel.org/all/p@x/\n    patch bpf: x\n"));
	free(out);
	/* b4.midmask; '/' in an id is escaped as lore does. */
	free(ms.v[1]->mid);
	ms.v[1]->mid = xstrdup("a/b c@x");
	out = render_with(&set, FORMAT_TEXT, NULL, "https://patch.msgid.link/%s");
	assert_non_null(strstr(out, "\n    https://patch.msgid.link/a%2Fb%20c@x\n"));
	free(out);
	release(&ms, &set);
}

static void test_empty_and_unsupported(void **state)
{
	struct series_set set = SERIES_SET_INIT;
	struct render_series r;
	char *out = render(&set, FORMAT_JSON, NULL);

	assert_string_equal(out, "{\"version\":1,\"series\":[\n]}\n");
	free(out);
	out = render(&set, FORMAT_TEXT, NULL);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(render_series_begin(&r, stdout, FORMAT_MBOX, NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text_colors),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_empty_and_unsupported),
	};
	return unit_run("render-series", tests, ARRAY_SIZE(tests));
}
