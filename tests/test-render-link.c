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
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_other_formats_are_refused),
	};
	return unit_run("render-link", tests, ARRAY_SIZE(tests));
}
