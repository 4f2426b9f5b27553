#include "unit.h"
#include "link.h"
#include "mail.h"
#include "render-link.h"
#include "series.h"
#include "usage.h"
#include "strbuf.h"

#include <git2.h>
#include <jansson.h>
#include <stdio.h>

struct fixture {
	struct mail *mails[4];
	size_t nr;
	struct series_set set;
	struct link_set links;
	struct link_commit commits[3];
};

static void add(struct fixture *f, const char *mid, const char *reply_to, const char *subject)
{
	f->mails[f->nr++] = unit_mail("Jane Dev <jane@x.org>", mid, reply_to,
				      "Mon, 6 Apr 2026 10:00:00 +0000", subject, "Body.\n",
				      MAIL_PARSE_FACTS_ONLY);
}

/* Three commits: one linked, one linked with a conflict, one unmatched. */
static void setup(struct fixture *f)
{
	struct series_set init = SERIES_SET_INIT;
	struct link_set links = LINK_SET_INIT;
	static struct link_conflict conflict;

	memset(f, 0, sizeof(*f));
	f->set = init;
	f->links = links;
	add(f, "c@x", NULL, "[PATCH bpf-next v2 0/2] bpf: Widgets");
	add(f, "p1@x", "c@x", "[PATCH bpf-next v2 1/2] bpf: Add widgets");
	add(f, "p2@x", "c@x", "[PATCH bpf-next v2 2/2] bpf: Test widgets");
	series_build(&f->set, f->mails, f->nr);

	git_oid_fromstr(&f->commits[0].id, "1111111111111111111111111111111111111111");
	f->commits[0].summary = "bpf: Test widgets";
	f->commits[0].patch = series_find(&f->set, "p2@x");
	f->commits[0].method = LINK_PATCH_ID;
	git_oid_fromstr(&f->commits[1].id, "2222222222222222222222222222222222222222");
	f->commits[1].summary = "bpf: Add widgets";
	f->commits[1].patch = series_find(&f->set, "p1@x");
	f->commits[1].method = LINK_TRAILER;
	conflict.method = LINK_SUBJECT;
	conflict.patch = series_find(&f->set, "p2@x");
	f->commits[1].conflicts = &conflict;
	f->commits[1].conflicts_nr = 1;
	git_oid_fromstr(&f->commits[2].id, "3333333333333333333333333333333333333333");
	f->commits[2].summary = "Linux 7.0";
	f->links.commits = f->commits;
	f->links.nr = 3;
	f->links.matched[LINK_PATCH_ID] = 1;
	f->links.matched[LINK_TRAILER] = 1;
	f->links.matched[LINK_NONE] = 1;
	f->links.conflicted = 1;
	f->links.pwbot_missing = 4;
}

static void teardown(struct fixture *f)
{
	size_t i;

	series_set_release(&f->set);
	for (i = 0; i < f->nr; i++) {
		mail_release(f->mails[i]);
		free(f->mails[i]);
	}
}

static char *render(struct fixture *f, enum output_format fmt, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	*ret = render_link(out, &f->links, "v7.0..HEAD", fmt);
	fclose(out);
	return buf;
}

static void test_text(void **state)
{
	struct fixture f;
	char *text;
	int ret;

	setup(&f);
	text = render(&f, FORMAT_TEXT, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"111111111111 patch-id [PATCH bpf-next v2 2/2] bpf: Test widgets <p2@x>\n"
		"222222222222 link     [PATCH bpf-next v2 1/2] bpf: Add widgets <p1@x>\n"
		"333333333333 none     Linux 7.0\n"
		"conflict: 222222222222 subject names [PATCH bpf-next v2 2/2] bpf: Test widgets <p2@x>, "
		"kept link <p1@x>\n"
		"3 commits: 2 matched (pwbot 0, link 1, patch-id 1, subject 0), 1 unmatched, "
		"1 with conflicts\n"
		"pw-bot: 4 applied patches name commits this repository lacks, 0 commits outside "
		"the range, 0 patches not in the archive\n");
	free(text);
	teardown(&f);
}

static void test_json(void **state)
{
	struct fixture f;
	json_t *root, *c;
	json_error_t err;
	char *text;
	int ret;

	setup(&f);
	text = render(&f, FORMAT_JSON, &ret);
	assert_int_equal(ret, 0);
	root = json_loads(text, 0, &err);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(root, "range")), "v7.0..HEAD");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "stats"), "matched")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "stats"), "patch-id")), 1);
	c = json_array_get(json_object_get(root, "commits"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "commit")),
			    "1111111111111111111111111111111111111111");
	assert_string_equal(json_string_value(json_object_get(c, "method")), "patch-id");
	assert_string_equal(json_string_value(json_object_get(c, "m")), "p2@x");
	assert_string_equal(json_string_value(json_object_get(c, "s")),
			    "[PATCH bpf-next v2 2/2] bpf: Test widgets");
	c = json_object_get(c, "series");
	assert_string_equal(json_string_value(json_object_get(c, "title")), "bpf: Widgets");
	assert_int_equal(json_integer_value(json_object_get(c, "version")), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "position")), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "total")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(root, "unmatched"), 0)),
			    "3333333333333333333333333333333333333333");
	c = json_array_get(json_object_get(root, "conflicts"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "kept"), "m")), "p1@x");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(c, "others"), 0), "method")), "subject");
	json_decref(root);
	free(text);
	teardown(&f);
}

/* link <commit>: the match, the postings, the evidence method by method. */
static void test_explain(void **state)
{
	struct fixture f;
	struct link_set one = LINK_SET_INIT;
	struct link_evidence ev[2];
	struct series_patch *postings[1];
	char *buf = NULL, why0[] = "Link: <p1@x> is this patch (v2), with this subject",
	     why1[] = "the same subject, posted by X <x@y>: another author";
	size_t len = 0;
	FILE *out;
	json_t *root;
	json_error_t err;

	setup(&f);
	postings[0] = f.commits[1].patch;
	ev[0] = (struct link_evidence){ LINK_TRAILER, f.commits[1].patch, 1, why0 };
	ev[1] = (struct link_evidence){ LINK_SUBJECT, NULL, 0, why1 };
	f.commits[1].evidence = ev;
	f.commits[1].evidence_nr = 2;
	f.commits[1].postings = postings;
	f.commits[1].postings_nr = 1;
	f.commits[1].confidence = LINK_LIKELY;
	one.commits = &f.commits[1];
	one.nr = 1;
	out = open_memstream(&buf, &len);
	assert_int_equal(render_link_explain(out, &one, "https://msgid.link/%s", FORMAT_TEXT), 0);
	fclose(out);
	assert_string_equal(buf,
		"commit 2222222222222222222222222222222222222222\n"
		"subject: bpf: Add widgets\n"
		"matched: [PATCH bpf-next v2 1/2] bpf: Add widgets <p1@x>\n"
		"series: bpf: Widgets (v2, 2 patches)\n"
		"method: link\n"
		"confidence: likely\n"
		"postings:\n"
		"  * v2  2026-04-06 [PATCH bpf-next v2 1/2] bpf: Add widgets\n"
		"      https://msgid.link/p1@x\n"
		"evidence:\n"
		"  pwbot    no       no patchwork-bot notice names this commit\n"
		"  link     matched  Link: <p1@x> is this patch (v2), with this subject\n"
		"  patch-id no       no posting touches its files in the window\n"
		"  subject  no       the same subject, posted by X <x@y>: another author\n"
		"conflict: 222222222222 subject names [PATCH bpf-next v2 2/2] bpf: Test widgets <p2@x>, "
		"kept link <p1@x>\n");
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	assert_int_equal(render_link_explain(out, &one, NULL, FORMAT_JSON), 0);
	fclose(out);
	root = json_loads(buf, 0, &err);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "confidence")), "likely");
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "match"), "m")),
			    "p1@x");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(root, "postings"), 0), "url")),
			    "https://lore.kernel.org/all/p1@x/");
	assert_int_equal(json_array_size(json_object_get(root, "evidence")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(root, "evidence"), 0), "verdict")),
			    "matched");
	json_decref(root);
	free(buf);
	teardown(&f);
}

static void test_other_formats_are_refused(void **state)
{
	struct fixture f;
	char *text;
	int ret;

	setup(&f);
	usage_set_quiet(1);
	text = render(&f, FORMAT_MARKDOWN, &ret);
	usage_set_quiet(0);
	assert_int_equal(ret, -1);
	free(text);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_other_formats_are_refused),
	};
	return unit_run("render-link", tests, ARRAY_SIZE(tests));
}
