#include "link-world.h"
#include "range.h"
#include "strbuf.h"

#include <git2.h>
#include <stdio.h>

static void test_confidence_names(void **state)
{
	assert_string_equal(link_confidence_name(LINK_CERTAIN), "certain");
	assert_string_equal(link_confidence_name(LINK_LIKELY), "likely");
	assert_string_equal(link_confidence_name(LINK_WEAK), "weak");
	assert_string_equal(link_confidence_name(LINK_CONFIDENCE_NONE), "none");
	assert_true(LINK_CERTAIN > LINK_LIKELY && LINK_LIKELY > LINK_WEAK);
}

static void test_method_names(void **state)
{
	assert_string_equal(link_method_name(LINK_PWBOT), "pwbot");
	assert_string_equal(link_method_name(LINK_TRAILER), "link");
	assert_string_equal(link_method_name(LINK_PATCH_ID), "patch-id");
	assert_string_equal(link_method_name(LINK_SUBJECT), "subject");
	assert_string_equal(link_method_name(LINK_NONE), "none");
	assert_string_equal(link_method_name(LINK_METHOD_NR), "none");
	/* A larger value is more trusted. */
	assert_true(LINK_PWBOT > LINK_TRAILER && LINK_TRAILER > LINK_PATCH_ID &&
		    LINK_PATCH_ID > LINK_SUBJECT && LINK_SUBJECT > LINK_NONE);
}

/* --- a tree and its archive ----------------------------------------------------- */

static const char *short_id(struct link_world *w, const char *spec, char *buf)
{
	git_object *obj;

	assert_int_equal(git_revparse_single(&obj, w->repo, spec), 0);
	git_oid_tostr(buf, 13, git_object_id(obj));
	git_object_free(obj);
	return buf;
}

/*
 * Commits, oldest first: base; foo (Link: to its patch); bar (Link: to
 * its cover); baz (same author, subject and date as its posting); qux
 * (posted two months before); tidy (Links to two other patches);
 * stable (only a backport was posted); bot (pw-bot named it); a merge.
 */
static void build_world(struct link_world *w)
{
	char hex[16], *bot_body;

	link_world_init(w);
	unit_sh("cd '%s' && git init -q . && echo base >a && git add a && "
		"GIT_AUTHOR_DATE=2026-04-01T00:00:00Z git commit -q -m base && "
		"c() { echo \"$1\" >>a && GIT_AUTHOR_NAME='Jane Dev' GIT_AUTHOR_EMAIL=jane@x.org "
		"GIT_AUTHOR_DATE=$2 git commit -q -a -F -; } && "
		"printf 'bpf: Add foo\\n\\nFoo.\\n\\nLink: https://lore.kernel.org/r/p1@x\\n' | c foo 2026-04-06T10:00:01Z && "
		"printf 'bpf: Add bar\\n\\nBar.\\n\\nLink: https://lore.kernel.org/bpf/c2@x/\\n' | c bar 2026-04-06T11:00:01Z && "
		"printf 'bpf: Fix baz\\n\\nBaz.\\n' | c baz 2026-04-06T12:00:01Z && "
		"printf 'bpf: Fix qux\\n\\nQux.\\n' | c qux 2026-06-06T13:00:01Z && "
		"printf 'bpf: Tidy\\n\\nLink: https://lore.kernel.org/r/p5a@x\\nLink: https://lore.kernel.org/r/p5b@x\\n' | c tidy 2026-04-06T14:00:01Z && "
		"printf 'bpf: Fix stable\\n\\nStable.\\n' | c stable 2026-04-06T15:00:01Z && "
		"printf 'bpf: Applied by bot\\n\\nBot.\\n' | c bot 2026-04-06T16:00:01Z && "
		"git checkout -q -b side HEAD~1 && echo side >b && git add b && git commit -q -m side && "
		"git checkout -q master && git merge -q -m merge side", w->dir);
	link_world_open(w);

	link_world_add_mail(w, jane, "p1@x", NULL, "Mon, 6 Apr 2026 10:00:01 +0000", "[PATCH bpf-next] bpf: Add foo", "Foo.\n");
	link_world_add_mail(w, jane, "c2@x", NULL, "Mon, 6 Apr 2026 11:00:00 +0000", "[PATCH bpf-next 0/2] bpf: Bar", "Cover.\n");
	link_world_add_mail(w, jane, "p2a@x", "c2@x", "Mon, 6 Apr 2026 11:00:01 +0000", "[PATCH bpf-next 1/2] bpf: Add bar", "Bar.\n");
	link_world_add_mail(w, jane, "p2b@x", "c2@x", "Mon, 6 Apr 2026 11:00:02 +0000", "[PATCH bpf-next 2/2] bpf: Test bar", "Test.\n");
	link_world_add_mail(w, "Jane D. <JANE@x.org>", "p3@x", NULL, "Mon, 6 Apr 2026 12:00:01 +0000", "[PATCH bpf-next] bpf: fix baz", "Baz.\n");
	link_world_add_mail(w, jane, "p4@x", NULL, "Mon, 6 Apr 2026 13:00:01 +0000", "[PATCH bpf-next] bpf: Fix qux", "Qux.\n");
	link_world_add_mail(w, jane, "p5a@x", NULL, "Mon, 6 Apr 2026 14:00:01 +0000", "[PATCH bpf-next] bpf: Tidy one", "One.\n");
	link_world_add_mail(w, jane, "p5b@x", NULL, "Mon, 6 Apr 2026 14:00:02 +0000", "[PATCH bpf-next] bpf: Tidy two", "Two.\n");
	link_world_add_mail(w, jane, "p6@x", NULL, "Mon, 6 Apr 2026 15:00:01 +0000", "[PATCH AUTOSEL 6.1] bpf: Fix stable", "Stable.\n");
	link_world_add_mail(w, jane, "p7@x", NULL, "Mon, 6 Apr 2026 16:00:01 +0000", "[PATCH bpf-next] bpf: Applied by bot", "Bot.\n");
	bot_body = xstrfmt("Hello:\n\nThis patch was applied to bpf/bpf-next.git (master)\n"
			   "by Alexei <ast@x.org>:\n\nHere is the summary with links:\n"
			   "  - [bpf-next] bpf: Applied by bot\n"
			   "    https://git.kernel.org/bpf/bpf-next/c/%s\n"
			   "  - [bpf-next] bpf: Applied by bot\n"
			   "    https://git.kernel.org/bpf/bpf-next/c/0000000000ff\n",
			   short_id(w, "master^1", hex));
	link_world_add_mail(w, "patchwork-bot+netdevbpf@kernel.org", "bot@x", "p7@x",
		 "Tue, 7 Apr 2026 10:00:00 +0000", "Re: [PATCH bpf-next] bpf: Applied by bot", bot_body);
	free(bot_body);
	link_world_link(w, NULL);
}

static const struct link_commit *commit_titled(const struct link_world *w, const char *summary)
{
	size_t i;

	for (i = 0; i < w->links.nr; i++)
		if (!strcmp(w->links.commits[i].summary, summary))
			return &w->links.commits[i];
	fail_msg("no commit '%s'", summary);
	return NULL;
}

static void assert_match(const struct link_world *w, const char *summary, enum link_method m,
			 const char *mid)
{
	const struct link_commit *lc = commit_titled(w, summary);

	assert_string_equal(link_method_name(lc->method), link_method_name(m));
	if (mid)
		assert_string_equal(lc->patch->mail->mid, mid);
	else
		assert_null(lc->patch);
}

static void test_each_method(void **state)
{
	struct link_world w;

	build_world(&w);
	/* The merge is left out; the side commit is in. */
	assert_int_equal(w.links.nr, 9);
	assert_match(&w, "bpf: Add foo", LINK_TRAILER, "p1@x");
	assert_match(&w, "bpf: Add bar", LINK_TRAILER, "p2a@x");
	assert_match(&w, "bpf: Fix baz", LINK_SUBJECT, "p3@x");
	assert_match(&w, "bpf: Fix qux", LINK_NONE, NULL);
	assert_match(&w, "bpf: Fix stable", LINK_NONE, NULL);
	assert_match(&w, "bpf: Applied by bot", LINK_PWBOT, "p7@x");
	assert_match(&w, "side", LINK_NONE, NULL);
	assert_int_equal(w.links.matched[LINK_TRAILER], 2);
	assert_int_equal(w.links.matched[LINK_PWBOT], 1);
	assert_int_equal(w.links.matched[LINK_SUBJECT], 1);
	assert_int_equal(w.links.matched[LINK_NONE], 5);
	/* The subject agreed with the bot and with the links. */
	assert_true(commit_titled(&w, "bpf: Add foo")->agreeing & (1u << LINK_SUBJECT));
	assert_true(commit_titled(&w, "bpf: Applied by bot")->agreeing & (1u << LINK_SUBJECT));
	assert_int_equal(w.links.pwbot_missing, 1);
	link_world_free(&w);
}

static void test_ambiguous_links_are_conflicts(void **state)
{
	struct link_world w;
	const struct link_commit *lc;

	build_world(&w);
	lc = commit_titled(&w, "bpf: Tidy");
	assert_null(lc->patch);
	assert_int_equal(lc->conflicts_nr, 2);
	assert_int_equal(lc->conflicts[0].method, LINK_TRAILER);
	assert_string_equal(lc->conflicts[0].patch->mail->mid, "p5a@x");
	assert_string_equal(lc->conflicts[1].patch->mail->mid, "p5b@x");
	assert_int_equal(w.links.conflicted, 1);
	link_world_free(&w);
}

static void test_applied_by_mid(void **state)
{
	struct link_world w;
	const struct link_commit *lc;

	build_world(&w);
	lc = link_applied(&w.links, "p2a@x");
	assert_non_null(lc);
	assert_string_equal(lc->summary, "bpf: Add bar");
	assert_null(link_applied(&w.links, "p2b@x"));
	assert_null(link_applied(&w.links, "p4@x"));
	link_world_free(&w);
}

static void test_ranges(void **state)
{
	struct link_world w;
	git_oid *ids;
	size_t nr;

	build_world(&w);
	assert_int_equal(range_commits(&ids, &nr, w.repo, "HEAD"), 0);
	assert_int_equal(nr, 9);
	free(ids);
	assert_int_equal(range_commits(&ids, &nr, w.repo, "HEAD^1~2..HEAD^1"), 0);
	assert_int_equal(nr, 2);
	free(ids);
	assert_int_equal(range_commits(&ids, &nr, w.repo, "side...master^1"), 0);
	assert_int_equal(nr, 2);
	free(ids);
	assert_int_equal(range_commits(&ids, &nr, w.repo, "no-such-branch"), -1);
	assert_null(ids);
	assert_int_equal(range_commits(&ids, &nr, w.repo, "HEAD..nope"), -1);
	link_world_free(&w);
}

static void test_one_commit(void **state)
{
	struct link_world w;
	git_object *obj;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];

	build_world(&w);
	assert_int_equal(git_revparse_single(&obj, w.repo, "HEAD^1"), 0);
	git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
	/* By object id, full or abbreviated, or as <rev>^!. */
	assert_int_equal(range_one_commit(&id, w.repo, hex), 1);
	assert_true(git_oid_equal(&id, git_object_id(obj)));
	hex[7] = '\0';
	assert_int_equal(range_one_commit(&id, w.repo, hex), 1);
	assert_int_equal(range_one_commit(&id, w.repo, "HEAD^1^!"), 1);
	assert_true(git_oid_equal(&id, git_object_id(obj)));
	/* A branch, HEAD or a range is a range: all its ancestors. */
	assert_int_equal(range_one_commit(&id, w.repo, "master"), 0);
	assert_int_equal(range_one_commit(&id, w.repo, "HEAD"), 0);
	assert_int_equal(range_one_commit(&id, w.repo, "HEAD~2..HEAD"), 0);
	/* A merge has no patch to explain. */
	assert_int_equal(range_one_commit(&id, w.repo, "HEAD^!"), 0);
	assert_int_equal(range_one_commit(&id, w.repo, "nope^!"), 0);
	git_object_free(obj);
	link_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confidence_names),
		cmocka_unit_test(test_method_names),
		cmocka_unit_test(test_each_method),
		cmocka_unit_test(test_ambiguous_links_are_conflicts),
		cmocka_unit_test(test_applied_by_mid),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_one_commit),
	};
	return unit_run("link", tests, ARRAY_SIZE(tests));
}
