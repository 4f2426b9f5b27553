#include "unit.h"
#include "release.h"
#include "release-fixture.h"
#include "render-release.h"
#include "strbuf.h"

#include <git2.h>
#include <jansson.h>
#include <stdio.h>

/* The world's release, summarised, with its abbreviated commit ids at hand. */
struct drawn {
	struct world w;
	struct release rel;
	struct render_release_options opts;
};

static void draw(struct drawn *d)
{
	build_world(&d->w);
	build(&d->w, &d->rel, NULL);
	assert_int_equal(release_summarize(&d->rel, d->w.l.repo), 0);
	d->opts.range = "v7.0..master";
	d->opts.midmask = NULL;
	d->opts.tz = NULL;
}

static void undraw(struct drawn *d)
{
	release_clear(&d->rel);
	free_world(&d->w);
}

static const char *abbrev(const struct release *rel, const char *summary)
{
	static char hex[8][13];
	static size_t next;
	char *buf = hex[next++ % 8];

	git_oid_tostr(buf, 13, &commit_titled(rel, summary)->link->id);
	return buf;
}

static void test_text(void **state)
{
	struct drawn d;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;

	draw(&d);
	render_release_text(&out, &d.rel, &d.opts);
	strbuf_addf(&want,
		    "Release notes for v7.0..master\n"
		    "\n"
		    "9 non-merge commits applied from 2026-04-06 to 2026-04-12: 4 series\n"
		    "posted to the list (6 commits) and 3 commits that were not, by 4 authors\n"
		    "and 1 reviewer.\n"
		    "\n"
		    "Verifier (1 series, 1 commit)\n"
		    "\n"
		    "  - bpf: Fix a verifier bug (Jane Dev; %s): Reject it by\n"
		    "    checking the bounds.\n"
		    "\n"
		    "Core and maps (1 series, 3 commits)\n"
		    "\n"
		    "  - Widget maps (Jane Dev and John Roe; 3 commits from %s):\n"
		    "    This series adds widget maps to the kernel and libbpf.\n"
		    "\n"
		    "JIT (x86) (1 series, 1 commit)\n"
		    "\n"
		    "  - bpf, x86: Fix the JIT (Jane Dev; %s): Fix the jump offset\n"
		    "    of tail calls in the JIT.\n"
		    "\n"
		    "libbpf (1 series, 1 commit)\n"
		    "\n"
		    "  - bpf: Tidy the loader (Jane Dev; %s): Tidy the loader code.\n"
		    "\n"
		    "Not posted to the list (3 commits)\n"
		    "\n"
		    "  - %s bpf: Mirror only (Jane Dev)\n"
		    "  - %s Side work (A U Thor)\n"
		    "  - %s Release 7.1-rc1 (Rev Iewer)\n"
		    "\n"
		    "Thanks to the authors and reviewers of these commits:\n"
		    "\n"
		    "  A U Thor, Jane Dev, John Roe, Rev Iewer.\n",
		    abbrev(&d.rel, "bpf: Fix a verifier bug"), abbrev(&d.rel, "bpf: Add widget maps"),
		    abbrev(&d.rel, "bpf, x86: Fix the JIT"), abbrev(&d.rel, "bpf: Tidy the loader"),
		    abbrev(&d.rel, "bpf: Mirror only"), abbrev(&d.rel, "Side work"),
		    abbrev(&d.rel, "Release 7.1-rc1"));
	assert_string_equal(out.buf, want.buf);
	strbuf_release(&out);
	strbuf_release(&want);
	undraw(&d);
}

/* Every line of a text draft fits a mail: 72 columns, long words aside. */
static void test_text_wraps(void **state)
{
	struct drawn d;
	struct strbuf out = STRBUF_INIT;
	const char *p;

	draw(&d);
	free(d.rel.series[0].summary);
	d.rel.series[0].summary = xstrdup("A summary long enough to need wrapping, twice over, "
					  "since it goes on and on about the verifier and the "
					  "bounds it checks and the programs it rejects.");
	render_release_text(&out, &d.rel, &d.opts);
	for (p = out.buf; *p;) {
		size_t len = strcspn(p, "\n");

		if (len > 72)
			fail_msg("line of %zu columns: %.*s", len, (int)len, p);
		p += len + (p[len] == '\n');
	}
	assert_non_null(strstr(out.buf, "  - bpf: Fix a verifier bug (Jane Dev; "));
	/* The item goes on under its text, not under its dash. */
	p = strstr(out.buf, "  - bpf: Fix a verifier bug");
	assert_non_null(strstr(p, "): A summary long\n    enough to need wrapping, twice over,"));
	assert_non_null(strstr(p, "\n    the verifier and the bounds it checks and the programs it rejects.\n"));
	strbuf_release(&out);
	undraw(&d);
}

static void test_markdown(void **state)
{
	struct drawn d;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;

	draw(&d);
	d.opts.midmask = "https://msgid.link/%s";
	render_release_markdown(&out, &d.rel, &d.opts);
	assert_true(!strncmp(out.buf, "# Release notes for v7.0..master\n\n9 non-merge commits", 52));
	strbuf_addf(&want, "\n## Core and maps (1 series, 3 commits)\n\n"
		    "- [Widget maps](https://msgid.link/w0@x) (Jane Dev and John Roe; 3 commits "
		    "from `%s`): This series adds widget maps to the kernel and libbpf.\n",
		    abbrev(&d.rel, "bpf: Add widget maps"));
	assert_non_null(strstr(out.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "\n## Not posted to the list (3 commits)\n\n- `%s` bpf: Mirror only (Jane Dev)\n",
		    abbrev(&d.rel, "bpf: Mirror only"));
	assert_non_null(strstr(out.buf, want.buf));
	assert_non_null(strstr(out.buf, "\n## Thanks\n\nThanks to the authors and reviewers of these "
					"commits: A U Thor, Jane Dev, John Roe, Rev Iewer.\n"));
	/* Mail text stays literal. */
	free(d.rel.series[0].title);
	d.rel.series[0].title = xstrdup("bpf: Fix *foo* [bar]");
	strbuf_reset(&out);
	render_release_markdown(&out, &d.rel, &d.opts);
	assert_non_null(strstr(out.buf, "- [bpf: Fix \\*foo\\* \\[bar\\]](https://msgid.link/v1@x) "));
	strbuf_release(&out);
	strbuf_release(&want);
	undraw(&d);
}

static json_t *parse_json(const struct strbuf *sb)
{
	json_error_t err;
	json_t *root = json_loads(sb->buf, 0, &err);

	if (!root)
		fail_msg("bad JSON: %s", err.text);
	return root;
}

static void test_json(void **state)
{
	struct drawn d;
	struct strbuf out = STRBUF_INIT;
	json_t *root, *areas, *area, *series, *unposted, *v;
	size_t i, j, k, commits = 0;

	draw(&d);
	assert_int_equal(render_release_json(&out, &d.rel, &d.opts), 0);
	root = parse_json(&out);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(root, "range")), "v7.0..master");
	v = json_object_get(root, "period");
	assert_string_equal(json_string_value(json_object_get(v, "start")), "2026-04-06T10:00:01Z");
	assert_string_equal(json_string_value(json_object_get(v, "end")), "2026-04-12T10:00:01Z");
	v = json_object_get(root, "stats");
	assert_int_equal(json_integer_value(json_object_get(v, "commits")), 9);
	assert_int_equal(json_integer_value(json_object_get(v, "series")), 4);
	assert_int_equal(json_integer_value(json_object_get(v, "posted")), 6);
	assert_int_equal(json_integer_value(json_object_get(v, "unposted")), 3);
	assert_int_equal(json_integer_value(json_object_get(v, "authors")), 4);
	assert_int_equal(json_integer_value(json_object_get(v, "reviewers")), 1);

	areas = json_object_get(root, "areas");
	assert_int_equal(json_array_size(areas), 4);
	json_array_foreach(areas, i, area) {
		static const char *const names[] = { "verifier", "core", "jit-x86", "libbpf" };

		assert_string_equal(json_string_value(json_object_get(area, "name")), names[i]);
		json_array_foreach(json_object_get(area, "series"), j, series)
			commits += json_array_size(json_object_get(series, "commits"));
	}
	area = json_array_get(areas, 1);
	assert_string_equal(json_string_value(json_object_get(area, "title")), "Core and maps");
	assert_int_equal(json_integer_value(json_object_get(area, "commits")), 3);
	series = json_array_get(json_object_get(area, "series"), 0);
	assert_string_equal(json_string_value(json_object_get(series, "title")), "Widget maps");
	assert_string_equal(json_string_value(json_object_get(series, "m")), "w0@x");
	assert_string_equal(json_string_value(json_object_get(series, "url")),
			    "https://lore.kernel.org/all/w0@x/");
	assert_string_equal(json_string_value(json_object_get(series, "tree")), "bpf-next");
	assert_int_equal(json_integer_value(json_object_get(series, "total")), 3);
	assert_string_equal(json_string_value(json_object_get(series, "first")),
			    git_oid_tostr_s(&commit_titled(&d.rel, "bpf: Add widget maps")->link->id));
	assert_int_equal(json_array_size(json_object_get(series, "authors")), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(series, "authors"), 1), "email")), "john@x.org");

	unposted = json_object_get(root, "unposted");
	assert_int_equal(json_array_size(unposted), 3);
	commits += json_array_size(unposted);
	assert_int_equal(commits, 9);
	v = json_array_get(unposted, 1);
	assert_string_equal(json_string_value(json_object_get(v, "s")), "Side work");
	assert_string_equal(json_string_value(json_object_get(v, "area")), "docs");
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "author"), "name")),
			    "A U Thor");
	assert_int_equal(json_array_size(json_object_get(root, "authors")), 4);
	v = json_object_get(root, "reviewers");
	assert_int_equal(json_array_size(v), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "email")),
			    "rev@x.org");
	for (k = 0; k < d.rel.series_nr; k++)
		assert_non_null(d.rel.series[k].summary);
	json_decref(root);
	strbuf_release(&out);
	undraw(&d);
}

static void test_empty(void **state)
{
	struct release_areas areas;
	struct release rel;
	struct render_release_options opts = { "v7.0..v7.0", NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	json_t *root;

	release_areas_init(&areas);
	memset(&rel, 0, sizeof(rel));
	rel.areas = &areas;
	render_release_text(&out, &rel, &opts);
	assert_string_equal(out.buf, "Release notes for v7.0..v7.0\n\nNo non-merge commits in this range.\n");
	strbuf_reset(&out);
	assert_int_equal(render_release_json(&out, &rel, &opts), 0);
	root = parse_json(&out);
	assert_true(json_is_null(json_object_get(root, "period")));
	assert_int_equal(json_array_size(json_object_get(root, "areas")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "stats"), "commits")), 0);
	json_decref(root);
	strbuf_release(&out);
	release_areas_clear(&areas);
}

/* One commit, posted by nobody and reviewed by nobody, reads so. */
static void test_one_unposted(void **state)
{
	struct world w;
	struct release rel;
	struct link_set one;
	struct release_options ropts;
	struct render_release_options opts = { "side~1..side", NULL, NULL };
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	size_t i;

	build_world(&w);
	one = w.l.links;
	for (i = 0; i < w.l.links.nr; i++)
		if (!strcmp(w.l.links.commits[i].summary, "Side work"))
			one.commits = &w.l.links.commits[i];
	one.nr = 1;
	ropts.areas = &w.areas;
	ropts.pathmap = NULL;
	assert_int_equal(release_build(&rel, w.l.repo, &one, &ropts), 0);
	render_release_text(&out, &rel, &opts);
	strbuf_addf(&want, "Release notes for side~1..side\n\n"
		    "1 non-merge commit applied on 2026-04-11, not posted to the list, by 1\n"
		    "author and no reviewers.\n\nNot posted to the list (1 commit)\n\n"
		    "  - %s Side work (A U Thor)\n\n"
		    "Thanks to the authors and reviewers of these commits:\n\n  A U Thor.\n",
		    abbrev(&rel, "Side work"));
	assert_string_equal(out.buf, want.buf);
	strbuf_release(&out);
	strbuf_release(&want);
	release_clear(&rel);
	free_world(&w);
}

static void test_formats(void **state)
{
	struct release_areas areas;
	struct release rel;
	struct render_release_options opts = { "HEAD", NULL, NULL };
	FILE *devnull = fopen("/dev/null", "w");

	release_areas_init(&areas);
	memset(&rel, 0, sizeof(rel));
	rel.areas = &areas;
	assert_int_equal(render_release(devnull, &rel, FORMAT_TEXT, &opts), 0);
	assert_int_equal(render_release(devnull, &rel, FORMAT_MARKDOWN, &opts), 0);
	assert_int_equal(render_release(devnull, &rel, FORMAT_JSON, &opts), 0);
	assert_int_equal(render_release(devnull, &rel, FORMAT_MBOX, &opts), -1);
	fclose(devnull);
	release_areas_clear(&areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_wraps),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_unposted),
		cmocka_unit_test(test_formats),
	};

	return unit_run("render-release", tests, ARRAY_SIZE(tests));
}
