#include "unit.h"
#include "mail.h"
#include "strbuf.h"

static const char patch_mail[] =
	"Received: from x by y; Thu, 30 Oct 2025 04:00:41 +0100 (CET)\n"
	"From: Jane Dev <Jane@Example.ORG>\n"
	"Subject: [PATCH bpf-next v2 1/2] bpf: Fix a\n"
	" folded subject\n"
	"Date: Thu, 30 Oct 2025 11:00:09 +0800\n"
	"Message-ID: < 20251030-1-jane@example.org >\n"
	"In-Reply-To: <20251030-0-jane@example.org>\n"
	"References: <20251030-0-jane@example.org>\n"
	"\t<20251029-x@example.org>\n"
	"List-Id: <bpf.vger.kernel.org>\n"
	"\n"
	"The verifier leaks a reference when foo() fails.\n"
	"\n"
	"Fix it by releasing the reference, e.g. in the error path.\n"
	"\n"
	"Fixes: 0123456789ab (\"bpf: Add foo\")\n"
	"Acked-by: Some One <some@one.org>\n"
	"Signed-off-by: Jane Dev <jane@example.org>\n"
	"  continued\n"
	"---\n"
	"v1 -> v2: use the helper\n"
	"\n"
	" kernel/bpf/verifier.c | 2 +-\n"
	" 1 file changed, 1 insertion(+), 1 deletion(-)\n"
	"\n"
	"diff --git a/kernel/bpf/verifier.c b/kernel/bpf/verifier.c\n"
	"index 1..2 100644\n"
	"--- a/kernel/bpf/verifier.c\n"
	"+++ b/kernel/bpf/verifier.c\n"
	"@@ -1 +1 @@\n"
	"-a\n"
	"+b\n"
	"-- \n"
	"2.43.0\n";

static void test_patch_mail(void **state)
{
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, patch_mail, sizeof(patch_mail) - 1, 0, &err), 0);
	assert_string_equal(m.mid, "20251030-1-jane@example.org");
	assert_string_equal(m.in_reply_to, "20251030-0-jane@example.org");
	assert_int_equal(m.refs_nr, 2);
	assert_string_equal(m.refs[1], "20251029-x@example.org");
	assert_string_equal(m.subject, "[PATCH bpf-next v2 1/2] bpf: Fix a folded subject");
	assert_string_equal(m.from_name, "Jane Dev");
	assert_string_equal(m.from_email, "Jane@example.org");
	assert_string_equal(m.list_id, "bpf.vger.kernel.org");
	assert_true(m.flags & MAIL_HAS_DATE);
	assert_int_equal(m.date, 1761793209);
	assert_int_equal(m.date_tz, 480);
	assert_int_equal(m.arrival, 1761793241);
	assert_true(m.flags & MAIL_HAS_DIFF);
	assert_true(m.flags & MAIL_HAS_DIFFSTAT);
	assert_int_equal(m.trailers_nr, 3);
	assert_string_equal(m.trailers[0].key, "Fixes");
	assert_string_equal(mail_trailer_get(&m, "acked-by"), "Some One <some@one.org>");
	assert_string_equal(mail_trailer_get(&m, "Signed-off-by"),
			    "Jane Dev <jane@example.org> continued");
	assert_int_equal(m.paths_nr, 1);
	assert_string_equal(m.paths[0], "kernel/bpf/verifier.c");
	assert_string_equal(m.text, "The verifier leaks a reference when foo() fails.\n\n"
				    "Fix it by releasing the reference, e.g. in the error path.");
	assert_non_null(strstr(m.notes, "v1 -> v2: use the helper"));
	assert_non_null(strstr(m.notes, "1 file changed"));
	assert_true(!strncmp(m.diff, "diff --git a/kernel/bpf/verifier.c", 34));
	assert_null(strstr(m.diff, "2.43.0"));
	mail_release(&m);
	strbuf_release(&err);
}

static void test_facts_only_drops_body(void **state)
{
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, patch_mail, sizeof(patch_mail) - 1,
				    MAIL_PARSE_FACTS_ONLY, &err), 0);
	assert_null(m.text);
	assert_null(m.diff);
	assert_false(m.flags & MAIL_HAS_BODY);
	assert_int_equal(m.trailers_nr, 3);
	assert_int_equal(m.paths_nr, 1);
	mail_release(&m);
}

static void test_review_reply(void **state)
{
	static const char reply[] =
		"From: \"Rev, Iewer\" <rev@kernel.org>\n"
		"Subject: Re: [PATCH] x\n"
		"Message-ID: <r1@kernel.org>\n"
		"In-Reply-To: <p1@x.org>\n"
		"\n"
		"On Mon, Jane wrote:\n"
		"> Signed-off-by: Jane <jane@x.org>\n"
		"> Acked-by: Quoted <quoted@x.org>\n"
		"\n"
		"Acked-by: Rev Iewer <rev@kernel.org>\n"
		"\n"
		"Thanks,\nRev\n";
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, reply, sizeof(reply) - 1, 0, &err), 0);
	assert_string_equal(m.from_name, "Rev, Iewer");
	assert_int_equal(m.trailers_nr, 1);
	assert_string_equal(m.trailers[0].value, "Rev Iewer <rev@kernel.org>");
	assert_false(m.flags & MAIL_HAS_DATE);
	mail_release(&m);
}

static void test_not_a_mail(void **state)
{
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, "", 0, 0, &err), -1);
	strbuf_reset(&err);
	assert_int_equal(mail_parse(&m, "just text\nno headers\n", 21, 0, &err), -1);
	assert_string_equal(err.buf, "no header block");
	strbuf_reset(&err);
	assert_int_equal(mail_parse(&m, "X-Foo: bar\n\nbody\n", 17, 0, &err), -1);
	strbuf_release(&err);
}

static void test_missing_message_id(void **state)
{
	static const char raw[] = "From: a@b.c\nSubject: hi\n\nbody\n";
	struct mail m, m2;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, raw, sizeof(raw) - 1, 0, &err), 0);
	assert_int_equal(mail_parse(&m2, raw, sizeof(raw) - 1, 0, &err), 0);
	assert_true(m.flags & MAIL_NO_MESSAGE_ID);
	/* The synthesised id is stable for the same bytes. */
	assert_string_equal(m.mid, m2.mid);
	mail_release(&m);
	mail_release(&m2);
}

static void test_pwbot_notice(void **state)
{
	static const char raw[] =
		"From: patchwork-bot+netdevbpf@kernel.org\n"
		"Subject: Re: [PATCH bpf-next v3 0/2] bpf: x\n"
		"Message-ID: <n1@kernel.org>\n"
		"\n"
		"Hello:\n\n"
		"This series was applied to bpf/bpf-next.git (master)\n"
		"by Alexei Starovoitov <ast@kernel.org>:\n\n"
		"Here is the summary with links:\n"
		"  - [bpf-next,v3,1/2] bpf: one\n"
		"    https://git.kernel.org/bpf/bpf-next/c/0123456789ab\n"
		"  - [bpf-next,v3,2/2] selftests/bpf: two\n"
		"    (no matching commit)\n\n"
		"You are awesome, thank you!\n";
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, raw, sizeof(raw) - 1, MAIL_PARSE_FACTS_ONLY, &err), 0);
	assert_string_equal(m.applied_to, "bpf/bpf-next.git (master)");
	assert_int_equal(m.applied_nr, 2);
	assert_string_equal(m.applied[0].subject, "[bpf-next,v3,1/2] bpf: one");
	assert_string_equal(m.applied[0].url, "https://git.kernel.org/bpf/bpf-next/c/0123456789ab");
	assert_null(m.applied[1].url);
	mail_release(&m);
}

static void test_corpus_multipart_patch(void **state)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail m;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "patchwork/mail/0019-multipart-patch.mbox");
	unit_read_file(&raw, path);
	assert_int_equal(mail_parse(&m, raw.buf, raw.len, 0, &err), 0);
	assert_true(m.flags & MAIL_HAS_DIFF);
	assert_true(m.paths_nr >= 1);
	mail_release(&m);
	strbuf_release(&raw);
	free(path);
}

static void test_corpus_pull_request(void **state)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail m;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "patchwork/mail/0001-git-pull-request.mbox");
	unit_read_file(&raw, path);
	assert_int_equal(mail_parse(&m, raw.buf, raw.len, 0, &err), 0);
	assert_true(m.flags & MAIL_PULL_REQUEST);
	mail_release(&m);
	strbuf_release(&raw);
	free(path);
}

static void test_period_time(void **state)
{
	struct mail m = { 0 };

	m.arrival = 1000000;
	assert_int_equal(mail_period_time(&m), 1000000);
	m.flags = MAIL_HAS_DATE;
	m.date = 1000000 - 3600;
	assert_int_equal(mail_period_time(&m), 1000000 - 3600);
	m.date = 1000000 - 3 * 86400;	/* a skewed clock */
	assert_int_equal(mail_period_time(&m), 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch_mail),
		cmocka_unit_test(test_facts_only_drops_body),
		cmocka_unit_test(test_review_reply),
		cmocka_unit_test(test_not_a_mail),
		cmocka_unit_test(test_missing_message_id),
		cmocka_unit_test(test_pwbot_notice),
		cmocka_unit_test(test_corpus_multipart_patch),
		cmocka_unit_test(test_corpus_pull_request),
		cmocka_unit_test(test_period_time),
	};
	return unit_run("mail", tests, ARRAY_SIZE(tests));
}
