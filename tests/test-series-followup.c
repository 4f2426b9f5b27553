#include "series-fixture.h"

#include <stdlib.h>

/*
 * Follow-ups (lib/series-followup.c): review trailers, the people they
 * name, and the patchwork-bot "applied" notices resolved to patches.
 */

static void test_parse_person(void **state)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;

	assert_true(series_parse_person("Jane Doe <jane@x.org>", &name, &email));
	assert_string_equal(name.buf, "Jane Doe");
	assert_string_equal(email.buf, "jane@x.org");
	strbuf_release(&name);
	strbuf_release(&email);
	/* A mail client's wrapped address: the email ends at the first '<'. */
	assert_true(series_parse_person("<jane@x.org<mailto:jane@x.org>>", &name, &email));
	assert_string_equal(name.buf, "");
	assert_string_equal(email.buf, "jane@x.org");
	strbuf_release(&name);
	strbuf_release(&email);
	assert_false(series_parse_person("Jane Doe", &name, &email));
	assert_false(series_parse_person("Jane <no address>", &name, &email));
	strbuf_release(&name);
	strbuf_release(&email);
}

static void test_review_trailers(void **state)
{
	assert_true(series_is_review_trailer("Acked-by"));
	assert_true(series_is_review_trailer("reviewed-BY"));
	assert_true(series_is_review_trailer("Reviewed-and-tested-by"));
	assert_false(series_is_review_trailer("Signed-off-by"));
	assert_false(series_is_review_trailer("Nacked-by"));
}

static void test_tree_name(void **state)
{
	char *t = series_tree_name("bpf/bpf-next.git");

	assert_string_equal(t, "bpf-next");
	free(t);
	t = series_tree_name("netdev");
	assert_string_equal(t, "netdev");
	free(t);
}

static const char pwbot_body[] =
	"Hello:\n\nThis series was applied to bpf/bpf-next.git (refs/heads/master)\n"
	"by Alexei Starovoitov <ast@kernel.org>:\n\nOn Mon, 6 Apr you wrote:\n> intro\n\n"
	"Here is the summary with links:\n"
	"  - [bpf-next,v2,1/3] bpf: one\n    https://git.kernel.org/bpf/bpf-next/c/0123456789ab\n"
	"  - [bpf-next,v2,2/3] bpf: two (reworded)\n    (no matching commit)\n"
	"  - [bpf-next,v2,3/3] bpf: three\n    https://git.kernel.org/bpf/bpf-next/c/abcdef012345\n"
	"\nYou are awesome, thank you!\n";

/* Patchwork-bot notices resolve to the patches they name. */
static void test_pwbot_applied(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Tue, 7 Apr 2026 10:00:00 +0000";
	const char *bot = "patchwork-bot+netdevbpf@kernel.org";

	add(&ms, jane, "c@x", NULL, d1, "[PATCH bpf-next v2 0/3] widgets", cover_body);
	add(&ms, jane, "p1@x", "c@x", d1, "[PATCH bpf-next v2 1/3] bpf: one", diff);
	add(&ms, jane, "p2@x", "c@x", d1, "[PATCH bpf-next v2 2/3] bpf: two", diff);
	add(&ms, jane, "p3@x", "c@x", d1, "[PATCH bpf-next v2 3/3] bpf: three", diff);
	add(&ms, bot, "n@x", "c@x", d2, "Re: [PATCH bpf-next v2 0/3] widgets", pwbot_body);
	add(&ms, jane, "s@x", NULL, d1, "[PATCH bpf-next] bpf: single", diff);
	add(&ms, bot, "n2@x", "s@x", d2, "Re: [PATCH bpf-next] bpf: single",
	    "Hello:\n\nThis patch was applied to bpf/bpf.git (master)\nby A <a@k.org>:\n\n"
	    "Here is the summary with links:\n  - [bpf-next] bpf: single, reworded\n"
	    "    https://git.kernel.org/bpf/bpf/c/fedcba987654\n");

	set = build(&ms);
	assert_int_equal(set.applied_nr, 3);
	assert_int_equal(set.applied_unresolved, 0);
	assert_string_equal(set.applied[0].patch->mail->mid, "p1@x");
	assert_string_equal(set.applied[0].tree, "bpf/bpf-next.git");
	assert_string_equal(set.applied[0].branch, "master");
	assert_string_equal(set.applied[0].commit, "0123456789ab");
	assert_string_equal(set.applied[0].notice->mid, "n@x");
	assert_string_equal(set.applied[0].line, "[bpf-next,v2,1/3] bpf: one");
	assert_string_equal(set.applied[1].patch->mail->mid, "p3@x");
	assert_string_equal(set.applied[2].patch->mail->mid, "s@x");
	assert_string_equal(set.applied[2].tree, "bpf/bpf.git");
	assert_string_equal(set.applied[2].commit, "fedcba987654");
	/* The bot's reply is a reply, by a bot. */
	assert_int_equal(series_find(&set, "c@x")->replies_nr, 1);
	assert_int_equal(series_find(&set, "c@x")->human_replies, 0);
	release(&ms, &set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_person),
		cmocka_unit_test(test_review_trailers),
		cmocka_unit_test(test_tree_name),
		cmocka_unit_test(test_pwbot_applied),
	};
	return unit_run("series-followup", tests, ARRAY_SIZE(tests));
}
