#include "unit.h"
#include "mail.h"
#include "mbox.h"
#include "mime.h"
#include "strbuf.h"
#include "strmap.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <strings.h>
#include <unistd.h>

/* ---- helpers ---- */

static int is_utf8(const char *s)
{
	return s && mime_is_utf8(s, strlen(s));
}

static void parse_ok(struct mail *m, const char *raw, unsigned flags)
{
	struct strbuf err = STRBUF_INIT;

	if (mail_parse(m, raw, strlen(raw), flags, &err) < 0)
		fail_msg("mail_parse failed: %s", err.buf);
	strbuf_release(&err);
}

static void parse_file(struct mail *m, const char *rel)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	char *path = unit_corpus_path(rel);

	if (!path)
		fail_msg("corpus file '%s' is missing", rel);
	unit_read_file(&raw, path);
	if (mail_parse(m, raw.buf, raw.len, 0, &err) < 0)
		fail_msg("%s: %s", rel, err.buf);
	strbuf_release(&raw);
	strbuf_release(&err);
	free(path);
}

/* Every trailer as "Key: value\n", the block's marked with '*'. */
static void format_trailers(struct strbuf *out, const struct mail *m)
{
	size_t i;

	for (i = 0; i < m->trailers_nr; i++)
		strbuf_addf(out, "%s%s: %s\n", m->trailers[i].in_block ? "*" : "",
			    m->trailers[i].key, m->trailers[i].value);
}

static void assert_trailers(const struct mail *m, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	format_trailers(&got, m);
	assert_string_equal(got.buf, want);
	strbuf_release(&got);
}

static void join_list(struct strbuf *out, char **list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		strbuf_addf(out, "%s%s", i ? "," : "", list[i]);
}

static void assert_list(char **list, size_t nr, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	join_list(&got, list, nr);
	assert_string_equal(got.buf, want);
	strbuf_release(&got);
}

/* ---- a patch, a reply, the basics ---- */

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
	assert_false(m.flags & MAIL_DIFF_ATTACHED);
	assert_trailers(&m, "*Fixes: 0123456789ab (\"bpf: Add foo\")\n"
			    "*Acked-by: Some One <some@one.org>\n"
			    "*Signed-off-by: Jane Dev <jane@example.org> continued\n");
	assert_string_equal(mail_trailer_get(&m, "acked-by"), "Some One <some@one.org>");
	assert_int_equal(m.paths_nr, 1);
	assert_string_equal(m.paths[0], "kernel/bpf/verifier.c");
	assert_string_equal(m.text, "The verifier leaks a reference when foo() fails.\n\n"
				    "Fix it by releasing the reference, e.g. in the error path.");
	assert_string_equal(m.notes, "v1 -> v2: use the helper\n\n"
				     " kernel/bpf/verifier.c | 2 +-\n"
				     " 1 file changed, 1 insertion(+), 1 deletion(-)");
	assert_string_equal(m.diff, "diff --git a/kernel/bpf/verifier.c b/kernel/bpf/verifier.c\n"
				    "index 1..2 100644\n"
				    "--- a/kernel/bpf/verifier.c\n"
				    "+++ b/kernel/bpf/verifier.c\n"
				    "@@ -1 +1 @@\n-a\n+b\n");
	mail_release(&m);
	strbuf_release(&err);
}

/* What a facts-only parse keeps, as text. */
static void format_facts(struct strbuf *out, const struct mail *m)
{
	size_t i;

	format_trailers(out, m);
	join_list(out, m->paths, m->paths_nr);
	strbuf_addch(out, '|');
	join_list(out, m->links, m->links_nr);
	strbuf_addf(out, "|%s|%s|%s|%x", m->change_id ? m->change_id : "",
		    m->author_email ? m->author_email : "", m->applied_to ? m->applied_to : "",
		    m->flags & ~MAIL_HAS_BODY);
	for (i = 0; i < m->applied_nr; i++)
		strbuf_addf(out, "|%s %s", m->applied[i].subject, m->applied[i].url ? m->applied[i].url : "");
}

static void assert_same_facts(const struct mail *a, const struct mail *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;

	format_facts(&x, a);
	format_facts(&y, b);
	assert_string_equal(x.buf, y.buf);
	strbuf_release(&x);
	strbuf_release(&y);
}

static void test_facts_only_drops_body(void **state)
{
	struct mail m, full;

	parse_ok(&m, patch_mail, MAIL_PARSE_FACTS_ONLY);
	parse_ok(&full, patch_mail, 0);
	assert_null(m.text);
	assert_null(m.notes);
	assert_null(m.diff);
	assert_false(m.flags & MAIL_HAS_BODY);
	assert_true(full.flags & MAIL_HAS_BODY);
	assert_same_facts(&m, &full);
	mail_release(&m);
	mail_release(&full);
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
		"  > Tested-by: Quoted Too <quoted@x.org>\n"
		"\n"
		"Acked-by: Rev Iewer <rev@kernel.org>\n"
		"Reviewed-By: Rev Iewer <rev@kernel.org>\n"
		"\n"
		"Thanks,\nRev\n"
		"   Tested-by: syzbot+1234@syzkaller.appspotmail.com\n"
		"Acked-by: Rev Iewer <rev@kernel.org>\n"
		"Acked-by: nobody in particular\n"
		"-- \n"
		"Reviewed-by: In The <signature@x.org>\n";
	struct mail m;

	parse_ok(&m, reply, 0);
	assert_string_equal(m.from_name, "Rev, Iewer");
	/* Review trailers count anywhere in unquoted text, once each. */
	assert_trailers(&m, "Acked-by: Rev Iewer <rev@kernel.org>\n"
			    "Reviewed-By: Rev Iewer <rev@kernel.org>\n"
			    "Tested-by: syzbot+1234@syzkaller.appspotmail.com\n");
	assert_false(m.flags & MAIL_HAS_DATE);
	assert_false(m.flags & MAIL_BAD_DATE);
	mail_release(&m);
}

static void test_review_verdicts(void **state)
{
	static const struct {
		const char *body;
		unsigned want;
	} cases[] = {
		{ "Needs work.\n\npw-bot: cr\n", MAIL_PWBOT_CR },
		{ "  pw-bot: changes-requested  \n", MAIL_PWBOT_CR },
		{ "pw-bot: defer\n", MAIL_PWBOT_DEFER },
		{ "NAK\n\nthis breaks things\n", MAIL_NAK },
		{ "No.\n\nNacked-by: R <r@x.org>\n", MAIL_NAK },
		/* Someone else's words, or words in passing. */
		{ "> pw-bot: cr\n> NAK\n\nok\n", 0 },
		{ "I would not NAK this.\npw-bot: crash\n", 0 },
		/* As the bpf maintainers write it: after the signature mark. */
		{ "stop sending these.\n\n--\npw-bot: cr\n", MAIL_PWBOT_CR },
	};
	const unsigned all = MAIL_PWBOT_CR | MAIL_PWBOT_DEFER | MAIL_NAK;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mail m, facts;
		char *raw = xstrfmt("From: R <r@x.org>\nMessage-ID: <v%zu@x>\n"
				    "Subject: Re: [PATCH] x\n\n%s", i, cases[i].body);

		parse_ok(&m, raw, 0);
		parse_ok(&facts, raw, MAIL_PARSE_FACTS_ONLY);
		assert_int_equal(m.flags & all, cases[i].want);
		assert_int_equal(facts.flags & all, cases[i].want);
		mail_release(&m);
		mail_release(&facts);
		free(raw);
	}
}

static void test_not_a_mail(void **state)
{
	struct mail m;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(mail_parse(&m, "", 0, 0, &err), -1);
	assert_string_equal(err.buf, "empty message");
	strbuf_reset(&err);
	assert_int_equal(mail_parse(&m, "just text\nno headers\n", 21, 0, &err), -1);
	assert_string_equal(err.buf, "no header block");
	strbuf_reset(&err);
	assert_int_equal(mail_parse(&m, "\nSubject: x\n", 12, 0, &err), -1);
	assert_string_equal(err.buf, "no header block");
	strbuf_reset(&err);
	assert_int_equal(mail_parse(&m, "X-Foo: bar\n\nbody\n", 17, 0, &err), -1);
	assert_string_equal(err.buf, "no Message-ID, From, Subject or Date header");
	strbuf_release(&err);
}

static void test_missing_message_id(void **state)
{
	static const char raw[] = "From: a@b.c\nSubject: hi\n\nbody\n";
	struct mail m, m2;

	parse_ok(&m, raw, 0);
	parse_ok(&m2, raw, 0);
	assert_true(m.flags & MAIL_NO_MESSAGE_ID);
	/* The synthesised id is stable for the same bytes. */
	assert_string_equal(m.mid, m2.mid);
	assert_non_null(strstr(m.mid, "@no-message-id.invalid"));
	mail_release(&m);
	mail_release(&m2);
}

/* ---- headers ---- */

static void test_header_folding_case_duplicates(void **state)
{
	static const char raw[] =
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		"Received: from a by b; Fri, 31 Oct 2025 10:00:00 +0000\n"
		"received: from c by d; Thu, 30 Oct 2025 10:00:00 +0000\n"
		"SUBJECT: [PATCH] first\n"
		"\tsubject, folded with a tab\r\n"
		"subject: [PATCH] the second is ignored\n"
		"message-id : <one@x>\n"
		"Message-Id: <two@x>\n"
		"X-Long: a header we skip\n"
		" with a continuation\n"
		"FROM: j@x.org\n"
		"\n"
		"Subject: not a header, the body\n"
		"goes on here.\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.subject, "[PATCH] first subject, folded with a tab");
	assert_string_equal(m.mid, "one@x");
	assert_string_equal(m.from_email, "j@x.org");
	assert_string_equal(m.from_name, "");
	/* The first Received: is the last hop: the arrival. */
	assert_int_equal(m.arrival, 1761904800);
	/* git mailinfo reads the body's first line as an in-body Subject:. */
	assert_string_equal(m.text, "goes on here.");
	mail_release(&m);
}

/* A long line broken without folding continues its header (public-inbox reads it so). */
static void test_broken_folding(void **state)
{
	static const char raw[] =
		"Subject: [PATCH] a subject broken\n"
		"by a client, not folded\n"
		"From: Jane Doe\n"
		"<jane@x.org>\n"
		"Message-ID: <m@x>\n"
		"\n"
		"Body.\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.subject, "[PATCH] a subject broken by a client, not folded");
	assert_string_equal(m.from_name, "Jane Doe");
	assert_string_equal(m.from_email, "jane@x.org");
	assert_string_equal(m.mid, "m@x");
	assert_string_equal(m.text, "Body.");
	mail_release(&m);
}

static void test_headers_without_blank_line(void **state)
{
	/* The header block ends at the first line that is not a header. */
	static const char raw[] = "Subject: s\nMessage-ID: <a@b>\nhello there\nsecond line\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.subject, "s");
	assert_string_equal(m.text, "hello there\nsecond line");
	mail_release(&m);
}

static void test_encoded_headers(void **state)
{
	static const char raw[] =
		"Subject: =?UTF-8?q?=5BPATCH=5D_caf=C3=A9?= =?ISO-8859-1?Q?_cr=E8me?=\n"
		" =?utf-8?B?4oCU?=  plain\n"
		"From: =?UTF-8?B?SsO2cmc=?= =?UTF-8?B?IFLDtmRlbA==?= <joerg@x.org>\n"
		"Message-ID: <m@x>\n"
		"\n"
		"body\n";
	/* A character split across two encoded words (seen in real mail). */
	static const char split[] =
		"Subject: =?UTF-8?B?w6k=?= =?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?=\n"
		"From: =?x-unknown?q?Bob?= <bob@x>\n"
		"Message-ID: <m@x>\n\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.subject, "[PATCH] caf\xc3\xa9 cr\xc3\xa8me\xe2\x80\x94  plain");
	assert_string_equal(m.from_name, "J\xc3\xb6rg R\xc3\xb6" "del");
	mail_release(&m);
	parse_ok(&m, split, 0);
	assert_string_equal(m.subject, "\xc3\xa9\xc3\xa9t\xc3\xa9");
	assert_string_equal(m.from_name, "Bob");
	mail_release(&m);
}

static void test_raw_8bit_headers(void **state)
{
	/* Unencoded UTF-8 is kept; Latin-1 bytes become UTF-8. */
	static const char raw[] =
		"Subject: r\xc3\xa9sum\xc3\xa9\n"
		"From: Andr\xe9 <andre@x.org>\n"
		"Message-ID: <m@x>\n\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.subject, "r\xc3\xa9sum\xc3\xa9");
	assert_string_equal(m.from_name, "Andr\xc3\xa9");
	mail_release(&m);
}

static void test_message_ids(void **state)
{
	static const char raw[] =
		"From: a@b\n"
		"Message-ID: <20251030.1\n"
		"\t@x.org> (added by postmaster)\n"
		"In-Reply-To: <parent@x.org> (Jane's message of \"Mon, 1 Jun\")\n"
		"References: <root@x.org> <parent@x.org>\n"
		" <root@x.org>\n"
		"\n";
	static const char bare[] =
		"From: a@b\n"
		"Message-ID: bare-id@x.org\n"
		"In-Reply-To: parent@x.org\n"
		"References: root@x.org, parent@x.org\n"
		"\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.mid, "20251030.1@x.org");
	assert_string_equal(m.in_reply_to, "parent@x.org");
	assert_list(m.refs, m.refs_nr, "root@x.org,parent@x.org");
	mail_release(&m);
	/* Malformed ids are kept as written. */
	parse_ok(&m, bare, 0);
	assert_string_equal(m.mid, "bare-id@x.org");
	assert_string_equal(m.in_reply_to, "parent@x.org");
	assert_list(m.refs, m.refs_nr, "root@x.org,parent@x.org");
	mail_release(&m);
}

/* The sender a mail with these headers is from. */
static void assert_sender(const char *headers, const char *name, const char *email)
{
	struct strbuf raw = STRBUF_INIT;
	struct mail m;

	strbuf_addf(&raw, "%sMessage-ID: <m@x>\n\n", headers);
	parse_ok(&m, raw.buf, MAIL_PARSE_FACTS_ONLY);
	assert_string_equal(m.from_name, name);
	assert_string_equal(m.from_email, email);
	mail_release(&m);
	strbuf_release(&raw);
}

static void test_from_forms(void **state)
{
	static const struct {
		const char *from, *name, *email;
	} cases[] = {
		{ "Jane Doe <jane@Example.COM>", "Jane Doe", "jane@example.com" },
		{ "\"Doe, Jane \\\"JD\\\"\" <jane@x.org>", "Doe, Jane \"JD\"", "jane@x.org" },
		{ "jane@x.org (Jane Doe)", "Jane Doe", "jane@x.org" },
		{ "<jane@x.org>", "", "jane@x.org" },
		{ "jane@x.org", "", "jane@x.org" },
		{ "\"a <b>\" <jane@x.org>", "a <b>", "jane@x.org" },
		{ "Jane (the dev) Doe <jane@x.org>", "Jane (the dev) Doe", "jane@x.org" },
		{ "=?utf-8?q?Doe=2C_Jane?= <jane@x.org>", "Doe, Jane", "jane@x.org" },
		{ "jane@x.org, bob@y.org", "", "jane@x.org" },
		{ "", "", "" },
		/* RFC 5322 comments, escapes, unterminated quotes, the null path */
		{ "jane@x.org (Jane \\(JD\\) Doe)", "Jane (JD) Doe", "jane@x.org" },
		{ "<jane@x.org> (Jane Doe)", "Jane Doe", "jane@x.org" },
		{ "\"Jane \\\\ Doe\" <jane@x.org>", "Jane \\ Doe", "jane@x.org" },
		{ "\"Jane Doe <jane@x.org>", "Jane Doe", "jane@x.org" },
		{ "MAILER-DAEMON <>", "MAILER-DAEMON", "" },
		{ "<>", "", "" },
		/* encoded words are decoded after the split: "<" and "(" stay names */
		{ "=?UTF-8?Q?Doe_=3Cfake=40evil.org=3E?= <jane@x.org>", "Doe <fake@evil.org>",
		  "jane@x.org" },
		{ "jane@x.org (=?UTF-8?Q?J=C3=A9r=C3=B4me_=28JD=29?=)", "J\xc3\xa9r\xc3\xb4me (JD)",
		  "jane@x.org" },
		{ "=?UTF-8?B?KGJvdCk=?= <bot@x.org>", "(bot)", "bot@x.org" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *headers = xstrfmt("From: %s\n", cases[i].from);

		assert_sender(headers, cases[i].name, cases[i].email);
		free(headers);
	}
}

static void test_list_rewritten_from(void **state)
{
	static const struct {
		const char *headers, *name, *email;
	} cases[] = {
		/* b4's web relay, as in the real archive */
		{ "From: Levi Zim via B4 Relay <devnull+rsworktech.outlook.com@kernel.org>\n"
		  "X-Original-From: Levi Zim <rsworktech@outlook.com>\n"
		  "Reply-To: rsworktech@outlook.com\n",
		  "Levi Zim", "rsworktech@outlook.com" },
		/* Google Groups and mailman's DMARC mitigation */
		{ "From: 'Jane Doe' via bpf <bpf@googlegroups.com>\n"
		  "Reply-To: Jane Doe <jane@x.org>\n",
		  "Jane Doe", "jane@x.org" },
		{ "From: Jane Doe via bpf <bpf@lists.x.org>\n"
		  "Reply-To: jane@x.org\n",
		  "Jane Doe", "jane@x.org" },
		/* A Reply-To naming the list itself does not help. */
		{ "From: Jane Doe via bpf <bpf@lists.x.org>\n"
		  "Reply-To: bpf@lists.x.org\n",
		  "Jane Doe", "bpf@lists.x.org" },
		{ "From: \"Jane Doe via bpf\" <bpf@lists.x.org>\n",
		  "Jane Doe", "bpf@lists.x.org" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_sender(cases[i].headers, cases[i].name, cases[i].email);
}

static void test_dates(void **state)
{
	static const char bad[] =
		"From: a@b\nMessage-ID: <m@x>\nDate: sometime last week\n"
		"Received: from a by b with ESMTP id 1; Thu, 30 Oct 25 04:00:41 EST\n\n";
	static const char obsolete[] =
		"From: a@b\nMessage-ID: <m@x>\nDate: 30 Oct 2025 11:00 -0700 (PDT)\n\n";
	struct mail m;

	parse_ok(&m, bad, 0);
	assert_false(m.flags & MAIL_HAS_DATE);
	assert_true(m.flags & MAIL_BAD_DATE);
	assert_int_equal(m.arrival, 1761814841);
	assert_int_equal(mail_period_time(&m), m.arrival);
	mail_release(&m);
	parse_ok(&m, obsolete, 0);
	assert_true(m.flags & MAIL_HAS_DATE);
	assert_int_equal(m.date, 1761847200);
	assert_int_equal(m.date_tz, -420);
	mail_release(&m);
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

/* ---- bodies: MIME, charsets, flowed ---- */

static void test_transfer_encodings(void **state)
{
	static const char qp[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=\"iso-8859-1\"\n"
		"Content-Transfer-Encoding: Quoted-Printable\n\n"
		"Le caf=E9 est tr=E8s bon, et cette ligne est coup=\n"
		"=E9e en deux.=20\n"
		"\n"
		"Signed-off-by: Ren=E9 <rene@x.org>\n";
	static const char b64[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: base64\n\n"
		"VGV4dAoKQWNrZWQtYnk6IErDtnJnIDxqQHgub3JnPgo=\n";
	struct mail m;

	parse_ok(&m, qp, 0);
	assert_string_equal(m.text, "Le caf\xc3\xa9 est tr\xc3\xa8s bon, et cette ligne est "
				    "coup\xc3\xa9" "e en deux.");
	assert_trailers(&m, "*Signed-off-by: Ren\xc3\xa9 <rene@x.org>\n");
	assert_false(m.flags & MAIL_BAD_CHARSET);
	mail_release(&m);
	parse_ok(&m, b64, 0);
	assert_string_equal(m.text, "Text");
	assert_trailers(&m, "*Acked-by: J\xc3\xb6rg <j@x.org>\n");
	mail_release(&m);
}

static void test_charsets(void **state)
{
	static const char koi8[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=koi8-r\n\n"
		"\xf0\xd2\xc9\xd7\xc5\xd4\n";
	/* git send-email's "Which 8bit encoding should I declare?" answered "y". */
	static const char y[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=\"y\"\n\n"
		"Signed-off-by: J\xc3\xb6rg <j@x.org>\n";
	static const char unknown[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=x-no-such-charset\n"
		"Content-Transfer-Encoding: 8bit\n\n"
		"caf\xe9 \x93quoted\x94\n";
	static const char crlf[] =
		"From: a@b\r\nMessage-ID: <m@x>\r\nSubject: crlf\r\n\r\n"
		"line one\r\nline\0two\r\n";
	struct mail m;

	parse_ok(&m, koi8, 0);
	assert_string_equal(m.text, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	mail_release(&m);
	parse_ok(&m, y, 0);
	assert_trailers(&m, "*Signed-off-by: J\xc3\xb6rg <j@x.org>\n");
	assert_false(m.flags & MAIL_BAD_CHARSET);
	mail_release(&m);
	parse_ok(&m, unknown, 0);
	assert_string_equal(m.text, "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
	assert_true(m.flags & MAIL_BAD_CHARSET);
	mail_release(&m);
	{
		struct strbuf err = STRBUF_INIT;

		assert_int_equal(mail_parse(&m, crlf, sizeof(crlf) - 1, 0, &err), 0);
		assert_string_equal(m.subject, "crlf");
		assert_string_equal(m.text, "line one\nlinetwo");
		mail_release(&m);
	}
}

static const char nested_mime[] =
	"From: Jane <jane@x.org>\n"
	"Message-ID: <m@x>\n"
	"Subject: [PATCH] attached\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed;\n"
	"\tboundary=\"==outer\"\n"
	"\n"
	"This is the preamble, which is ignored.\n"
	"--==outer\n"
	"Content-Type: multipart/alternative; boundary=\"==outer-alt\"\n"
	"\n"
	"--==outer-alt\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"Content-Transfer-Encoding: quoted-printable\n"
	"\n"
	"The fix is attached =E2=80=94 please apply.\n"
	"\n"
	"Signed-off-by: Jane <jane@x.org>\n"
	"--==outer-alt\n"
	"Content-Type: text/html\n"
	"\n"
	"<p>The fix is <b>attached</b></p>\n"
	"--==outer-alt--\n"
	"\n"
	"--==outer\n"
	"Content-Type: text/x-diff; charset=us-ascii; name=fix.diff\n"
	"Content-Disposition: attachment; filename=\"fix.diff\"\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"ZGlmZiAtLWdpdCBhL3ggYi94CmluZGV4IDEuLjIgMTAwNjQ0Ci0tLSBhL3gKKysrIGIveApAQCAt\n"
	"MSArMSBAQAotYQorYgo=\n"
	"--==outer\n"
	"Content-Type: text/plain; name=\"dmesg.txt\"\n"
	"Content-Disposition: attachment; filename=\"dmesg.txt\"\n"
	"\n"
	"Acked-by: A log line <that@is.not.text>\n"
	"--==outer\n"
	"Content-Type: application/pgp-signature\n"
	"\n"
	"-----BEGIN PGP SIGNATURE-----\n"
	"--==outer--\n"
	"Epilogue, ignored.\n";

static void test_nested_multipart(void **state)
{
	struct mail m;

	parse_ok(&m, nested_mime, 0);
	assert_string_equal(m.text, "The fix is attached \xe2\x80\x94 please apply.");
	assert_trailers(&m, "*Signed-off-by: Jane <jane@x.org>\n");
	assert_true(m.flags & MAIL_HAS_DIFF);
	assert_true(m.flags & MAIL_DIFF_ATTACHED);
	assert_string_equal(m.diff, "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n"
				    "@@ -1 +1 @@\n-a\n+b\n");
	assert_list(m.paths, m.paths_nr, "x");
	mail_release(&m);
}

static void test_crlf_multipart_and_truncation(void **state)
{
	static const char raw[] =
		"From: a@b\r\nMessage-ID: <m@x>\r\n"
		"Content-Type: multipart/signed; boundary=b1; protocol=x\r\n\r\n"
		"--b1\r\n"
		"Content-Type: text/plain\r\n\r\n"
		"signed\r\ntext\r\n"
		"--b1\r\n"
		"Content-Type: text/x-patch\r\n\r\n"
		"diff --git a/y b/y\r\n"
		"--- a/y\r\n"
		"+++ b/y\r\n";	/* truncated: no closing delimiter */
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.text, "signed\ntext");
	assert_true(m.flags & MAIL_DIFF_ATTACHED);
	assert_list(m.paths, m.paths_nr, "y");
	mail_release(&m);
}

/* What one mail may cost is bounded (mail.h), and the mail says where it was cut. */
static void test_limits(void **state)
{
	struct strbuf raw = STRBUF_INIT, why = STRBUF_INIT;
	struct mail m;
	int i;

	/* A header line over MAIL_MAX_HEADER_LINE, folded or not: cut there. */
	strbuf_addstr(&raw, "Message-ID: <long@x>\nSubject: ");
	for (i = 0; i < 300000; i++)
		strbuf_addstr(&raw, i % 1000 ? "word " : "word\n ");
	strbuf_addstr(&raw, "\nFrom: a@b\n\nbody\n");
	parse_ok(&m, raw.buf, 0);
	assert_true(m.flags & MAIL_LONG_HEADER);
	assert_true(strlen(m.subject) <= MAIL_MAX_HEADER_LINE &&
		    strlen(m.subject) > MAIL_MAX_HEADER_LINE - 1000);
	assert_string_equal(m.from_email, "a@b");
	assert_int_equal(mail_describe_limits(&why, &m), 1);
	assert_string_equal(why.buf, "a header line longer than 1 MiB was cut");
	mail_release(&m);

	/* MIME nested deeper than MAIL_MAX_MIME_DEPTH: the deeper parts go. */
	strbuf_reset(&raw);
	strbuf_addstr(&raw, "Message-ID: <deep@x>\nContent-Type: multipart/mixed; boundary=b0\n\n");
	for (i = 0; i < 40; i++)
		strbuf_addf(&raw, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1);
	strbuf_addstr(&raw, "--b40\n\ndeep text\n");
	parse_ok(&m, raw.buf, 0);
	assert_true(m.flags & MAIL_DEEP_MIME);
	assert_string_equal(m.text, "");
	mail_release(&m);

	/* References over MAIL_MAX_REFS: the root and the newest stay. */
	strbuf_reset(&raw);
	strbuf_addstr(&raw, "Message-ID: <r@x>\nReferences:");
	for (i = 0; i < 10000; i++)
		strbuf_addf(&raw, " <%d@x>", i);
	strbuf_addstr(&raw, "\n\nbody\n");
	parse_ok(&m, raw.buf, MAIL_PARSE_FACTS_ONLY);
	assert_true(m.flags & MAIL_MANY_REFS);
	assert_int_equal(m.refs_nr, MAIL_MAX_REFS);
	assert_string_equal(m.refs[0], "0@x");
	assert_string_equal(m.refs[1], "9001@x");
	assert_string_equal(m.refs[MAIL_MAX_REFS - 1], "9999@x");
	strbuf_reset(&why);
	mail_describe_limits(&why, &m);
	assert_string_equal(why.buf, "References names more than 1000 messages: "
				     "the first and the newest 999 were kept");
	mail_release(&m);

	/* Within the limits, nothing is said. */
	parse_ok(&m, "Message-ID: <ok@x>\nReferences: <a@x>\n\nbody\n", 0);
	assert_false(m.flags & MAIL_LIMIT_FLAGS);
	strbuf_reset(&why);
	assert_int_equal(mail_describe_limits(&why, &m), 0);
	mail_release(&m);
	strbuf_release(&raw);
	strbuf_release(&why);
}

static void test_html_only(void **state)
{
	static const char raw[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/html; charset=utf-8\n\n"
		"<html><head><style>p { x: y }</style></head><body>"
		"<p>Looks good &amp; works.</p><div>Acked-by: Jane &lt;jane@x.org&gt;</div>"
		"</body></html>\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.text, "Looks good & works.\nAcked-by: Jane <jane@x.org>");
	assert_trailers(&m, "Acked-by: Jane <jane@x.org>\n");
	mail_release(&m);
}

static void test_format_flowed(void **state)
{
	static const char raw[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
		"On Mon, Jane wrote:\n"
		"> This quoted paragraph was \n"
		"> wrapped by the mailer.\n"
		">> Deeper \n"
		"> back to one\n"
		"\n"
		"This reply is long enough to \n"
		"be wrapped, twice over \n"
		"in fact.\n"
		" From here on the line is space-stuffed.\n"
		"\n"
		"Acked-by: Some Body \n"
		"<some@body.org>\n"
		"-- \n"
		"sig\n";
	static const char delsp[] =
		"From: a@b\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; format=flowed; delsp=yes\n\n"
		"A word split acr \n"
		"oss lines.\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.text, "On Mon, Jane wrote:\n"
				    "> This quoted paragraph was wrapped by the mailer.\n"
				    ">> Deeper \n"
				    "> back to one\n"
				    "\n"
				    "This reply is long enough to be wrapped, twice over in fact.\n"
				    "From here on the line is space-stuffed.");
	assert_trailers(&m, "*Acked-by: Some Body <some@body.org>\n");
	mail_release(&m);
	parse_ok(&m, delsp, 0);
	assert_string_equal(m.text, "A word split across lines.");
	mail_release(&m);
}

static void test_decode_body(void **state)
{
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(mail_decode_body(&out, nested_mime, sizeof(nested_mime) - 1), 0);
	assert_non_null(strstr(out.buf, "The fix is attached \xe2\x80\x94 please apply.\n"));
	assert_non_null(strstr(out.buf, "\ndiff --git a/x b/x\n"));
	assert_null(strstr(out.buf, "<p>"));
	assert_null(strstr(out.buf, "dmesg"));
	assert_null(strstr(out.buf, "PGP"));
	strbuf_reset(&out);
	assert_int_equal(mail_decode_body(&out, "no headers", 10), -1);
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

/* ---- the body's parts ---- */

static void test_trailer_rules(void **state)
{
	static const struct {
		const char *body, *trailers;
	} cases[] = {
		/* The subject is the title: a body of trailers only has them. */
		{ "Signed-off-by: A <a@x>\n", "*Signed-off-by: A <a@x>\n" },
		/* Only the last paragraph counts. */
		{ "Text.\n\nFixes: 123\n\nMore text.\n", "" },
		/* All "token: value" lines, no git trailer needed. */
		{ "Text.\n\nLink: https://x\nCloses: 42\n", "*Link: https://x\n*Closes: 42\n" },
		/* A git trailer and a quarter trailers: the rest is ignored. */
		{ "Text.\n\n[ rebased ]\nnot a trailer\nmore prose here\n"
		  "Signed-off-by: A <a@x>\n",
		  "*Signed-off-by: A <a@x>\n" },
		/* ... but less than a quarter is prose (a "*-by" naming an address still counts). */
		{ "Text.\n\none\ntwo\nthree\nfour\nfive\nsix\nseven\nSigned-off-by: A <a@x>\nCc: c@x\n",
		  "Signed-off-by: A <a@x>\n" },
		/* Without a git trailer, one prose line spoils it. */
		{ "Text.\n\nAcked-by: B <b@x>\nthanks!\nCc: c@x\n", "Acked-by: B <b@x>\n" },
		/* Continuations (space or tab) are joined; comments and blanks at the end skipped. */
		{ "Text.\n\nReported-by: A Very Long\n  Name <a@x>\nTested-by: T\n\tTester <t@x>\n"
		  "# a comment\n\n\n",
		  "*Reported-by: A Very Long Name <a@x>\n*Tested-by: T Tester <t@x>\n" },
		/* "Key : value" and a Conflicts: list at the end. */
		{ "Text.\n\nAcked-by : B <b@x>\n\nConflicts:\n\tfile.c\n",
		  "*Acked-by: B <b@x>\n" },
		/* The message ends at "---", at a signature, or at the diff. */
		{ "Text.\n\nAcked-by: B <b@x>\n--- \nv2: Reviewed-by: X <x@y>\n",
		  "*Acked-by: B <b@x>\n" },
		{ "Text.\n\nAcked-by: B <b@x>\n--\nsig\n", "*Acked-by: B <b@x>\n" },
		{ "Text.\n\nAcked-by: B <b@x>\n\ndiff --git a/f b/f\n", "*Acked-by: B <b@x>\n" },
		/* A ruler of dashes is text (as for git, unlike libgit2 1.5). */
		{ "Text.\n---------\n\nAcked-by: B <b@x>\n", "*Acked-by: B <b@x>\n" },
		/* URLs look like trailers to git too. */
		{ "Text.\n\nhttps://example.org/x\n", "*https: //example.org/x\n" },
		/* Repeats in the block are kept, as git keeps them. */
		{ "T.\n\nSigned-off-by: A <a@x>\nSigned-off-by: A <a@x>\n",
		  "*Signed-off-by: A <a@x>\n*Signed-off-by: A <a@x>\n" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf raw = STRBUF_INIT, got = STRBUF_INIT;
		struct mail m;

		strbuf_addf(&raw, "Subject: s\nMessage-ID: <m@x>\n\n%s", cases[i].body);
		parse_ok(&m, raw.buf, 0);
		format_trailers(&got, &m);
		if (strcmp(got.buf, cases[i].trailers))
			fail_msg("case %zu: got\n%s\nwant\n%s", i, got.buf, cases[i].trailers);
		mail_release(&m);
		strbuf_release(&raw);
		strbuf_release(&got);
	}
}

/* libgit2's trailers of a message, continuation lines joined as git joins them. */
static void libgit2_trailers(struct strbuf *out, const char *msg)
{
	git_message_trailer_array arr = { 0 };
	size_t i;

	assert_int_equal(git_message_trailers(&arr, msg), 0);
	for (i = 0; i < arr.count; i++) {
		const char *v = arr.trailers[i].value;
		struct strbuf val = STRBUF_INIT;

		for (; *v; v++) {
			if (*v == '\n') {
				while (isspace((unsigned char)v[1]))
					v++;
				strbuf_addch(&val, ' ');
			} else {
				strbuf_addch(&val, *v);
			}
		}
		strbuf_trim(&val);
		strbuf_addf(out, "*%s: %s\n", arr.trailers[i].key, val.buf);
		strbuf_release(&val);
	}
	git_message_trailer_array_free(&arr);
}

/* Our block trailers of "Subject: <subject>\n\n<body>". */
static void our_trailers(struct strbuf *out, const char *subject, const char *body)
{
	struct strbuf raw = STRBUF_INIT;
	struct mail m;
	size_t i;

	strbuf_addf(&raw, "Subject: %s\nMessage-ID: <m@x>\n\n%s", subject, body);
	parse_ok(&m, raw.buf, MAIL_PARSE_FACTS_ONLY);
	for (i = 0; i < m.trailers_nr; i++)
		if (m.trailers[i].in_block)
			strbuf_addf(out, "*%s: %s\n", m.trailers[i].key, m.trailers[i].value);
	mail_release(&m);
	strbuf_release(&raw);
}

/*
 * Where we differ from libgit2 1.5's git_message_trailers(), on purpose.
 * Each case shows both results; git's own behaviour is what we follow.
 */
static void test_trailers_vs_libgit2(void **state)
{
	static const struct {
		const char *why, *body, *ours, *libgit2;
	} cases[] = {
		{ "the same on ordinary mail",
		  "Text.\n\nAcked-by: B <b@x>\nSigned-off-by: A\n <a@x>\n---\n x | 1 +\n",
		  "*Acked-by: B <b@x>\n*Signed-off-by: A <a@x>\n",
		  "*Acked-by: B <b@x>\n*Signed-off-by: A <a@x>\n" },
		{ "libgit2 1.5 ends the message at any line starting with \"---\"; git needs a blank after it",
		  "Text.\n\nTopology:\n---------\n  a -- b\n\nSigned-off-by: A <a@x>\n---\n",
		  "*Signed-off-by: A <a@x>\n", "*Topology: \n" },
		{ "a \"--\" signature line ends the message for us, not for git",
		  "Text.\n\nSigned-off-by: A <a@x>\n\n--\n\nnew in v5\n---\n",
		  "*Signed-off-by: A <a@x>\n", "" },
		{ "libgit2 takes only space continuations; git takes tabs too",
		  "Text.\n\nReported-by: A\n\t<a@x>\nSigned-off-by: A <a@x>\n",
		  "*Reported-by: A <a@x>\n*Signed-off-by: A <a@x>\n",
		  "*Reported-by: A\n*Signed-off-by: A <a@x>\n" },
		{ "libgit2 reads the line after an empty value as that value",
		  "Text.\n\nCc:\nSigned-off-by: A <a@x>\n",
		  "*Cc: \n*Signed-off-by: A <a@x>\n", "*Cc: Signed-off-by: A <a@x>\n" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT, msg = STRBUF_INIT;

		strbuf_addf(&msg, "subject\n\n%s", cases[i].body);
		our_trailers(&ours, "subject", cases[i].body);
		libgit2_trailers(&theirs, msg.buf);
		if (strcmp(ours.buf, cases[i].ours) || strcmp(theirs.buf, cases[i].libgit2))
			fail_msg("%s: ours\n%s\nlibgit2\n%s", cases[i].why, ours.buf, theirs.buf);
		strbuf_release(&ours);
		strbuf_release(&theirs);
		strbuf_release(&msg);
	}
}

static void test_inbody_headers(void **state)
{
	static const char raw[] =
		"From: Send Er <send@er.org>\nSubject: [PATCH] x\nMessage-ID: <m@x>\n\n"
		"\n"
		"From: =?UTF-8?q?J=C3=B6rg?= <joerg@x.org>\n"
		"Date: Thu, 30 Oct 2025 11:00:09 +0800\n"
		"\n"
		"Text.\n\nSigned-off-by: J\xc3\xb6rg <joerg@x.org>\n---\n"
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
	/* A forwarded mail's header lines are not in-body headers. */
	static const char outlook[] =
		"From: a@b\nSubject: Re: x\nMessage-ID: <m@x>\n\n"
		"From: Jane <jane@x.org>\nSent: Monday\n\nText.\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_string_equal(m.from_email, "send@er.org");
	assert_string_equal(m.author_name, "J\xc3\xb6rg");
	assert_string_equal(m.author_email, "joerg@x.org");
	assert_string_equal(m.text, "Text.");
	assert_trailers(&m, "*Signed-off-by: J\xc3\xb6rg <joerg@x.org>\n");
	mail_release(&m);
	parse_ok(&m, outlook, 0);
	assert_null(m.author_name);
	assert_string_equal(m.text, "From: Jane <jane@x.org>\nSent: Monday\n\nText.");
	mail_release(&m);
}

/* A 7-bit ISO-2022-JP body is converted; an unknown charset is said once. */
static void test_stateful_and_unknown_charsets(void **state)
{
	static const char jp[] =
		"From: a@b.org\nSubject: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=ISO-2022-JP\n\n\x1b$BF|K\\\x1b(B\n";
	static const char unknown[] =
		"From: a@b.org\nSubject: s\nMessage-ID: <m@x>\n"
		"Content-Type: text/plain; charset=x-klingon\n\ncaf\xe9 \x81\n";
	struct strbuf why = STRBUF_INIT;
	struct mail m;

	parse_ok(&m, jp, 0);
	assert_string_equal(m.subject, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(m.text, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_false(m.flags & (MAIL_BAD_CHARSET | MAIL_UNKNOWN_CHARSET));
	mail_release(&m);
	parse_ok(&m, unknown, 0);
	assert_string_equal(m.text, "caf\xc3\xa9 \xc2\x81");
	assert_true(m.flags & MAIL_UNKNOWN_CHARSET);
	assert_true(m.flags & MAIL_LIMIT_FLAGS);
	assert_int_equal(mail_describe_limits(&why, &m), 1);
	assert_string_equal(why.buf, "text in an unknown charset was read as Windows-1252, byte for byte");
	mail_release(&m);
	strbuf_release(&why);
}

/* Forwarded mails are not the text: digest parts and message/rfc822. */
static void test_digest_and_rfc822_parts(void **state)
{
	static const char digest[] =
		"From: a@b.org\nSubject: digest\nMessage-ID: <m@x>\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=outer\n\n"
		"--outer\nContent-Type: text/plain\n\nThe outer text.\n"
		"--outer\nContent-Type: multipart/digest; boundary=d\n\n"
		"--d\n\nFrom: c@d.org\nSubject: inner\n\nInner text one.\n"
		"--d\nContent-Type: message/rfc822\n\nFrom: e@f.org\n\nInner text two.\n"
		"--d\nContent-Type: text/plain\n\nA text part of the digest.\n"
		"--d--\n--outer--\n";
	static const char forward[] =
		"From: a@b.org\nSubject: fwd\nMessage-ID: <m@x>\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=b\n\n"
		"--b\nContent-Type: text/plain\n\nSee below.\n"
		"--b\nContent-Type: message/rfc822\n\n"
		"From: c@d.org\nSubject: inner\nContent-Type: text/plain\n\n"
		"Inner text.\n\nSigned-off-by: C <c@d.org>\n"
		"--b--\n";
	static const char top[] =
		"From: a@b.org\nSubject: fwd\nMessage-ID: <m@x>\n"
		"Content-Type: message/rfc822\n\nFrom: c@d.org\n\nInner text.\n";
	struct mail m;

	parse_ok(&m, digest, 0);
	assert_string_equal(m.text, "The outer text.\nA text part of the digest.");
	mail_release(&m);
	parse_ok(&m, forward, 0);
	assert_string_equal(m.text, "See below.");
	assert_int_equal(m.trailers_nr, 0);
	mail_release(&m);
	parse_ok(&m, top, 0);
	assert_string_equal(m.text, "");
	mail_release(&m);
}

/* In-body headers the way git mailinfo reads them (its check_inbody_header()). */
static void test_inbody_headers_as_git(void **state)
{
	static const struct {
		const char *body, *name, *email, *text;
	} cases[] = {
		/* folded */
		{ "From: =?UTF-8?Q?J=C3=B6rg?=\n <joerg@x.org>\nSubject: x\n\nText.\n",
		  "J\xc3\xb6rg", "joerg@x.org", "Text." },
		/* ended by the message itself, not a blank line */
		{ "From: Jane <jane@x.org>\nFix the leak.\n", "Jane", "jane@x.org",
		  "Fix the leak." },
		/* after a pasted format-patch line, escaped or not */
		{ ">From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
		  "From: Jane <jane@x.org>\nDate: Mon, 6 Apr 2026 10:00:00 +0000\n"
		  "Subject: [PATCH] x\n\nText.\n", "Jane", "jane@x.org", "Text." },
		{ "\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
		  "From: Jane <jane@x.org>\n\nText.\n", "Jane", "jane@x.org", "Text." },
		/* each header once: a second From: is the message */
		{ "From: Jane <jane@x.org>\nFrom: Bob <bob@x.org>\nwrote this.\n", "Jane",
		  "jane@x.org", "From: Bob <bob@x.org>\nwrote this." },
		/* a From: without an address names no author */
		{ "From: nobody\n\nText.\n", NULL, NULL, "Text." },
		/* not at the top: the message */
		{ "Text.\nFrom: Jane <jane@x.org>\n", NULL, NULL,
		  "Text.\nFrom: Jane <jane@x.org>" },
	};
	static const char diff[] = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
	char *raw;
	/* Without a patch (a cover letter) git am names no author: the lines still go. */
	static const char cover[] =
		"From: Send Er <send@er.org>\nSubject: [PATCH 0/2] x\nMessage-ID: <m@x>\n\n"
		"From: Jane <jane@x.org>\n\nThe series.\n";
	struct mail m;
	size_t i;

	parse_ok(&m, cover, 0);
	assert_null(m.author_name);
	assert_string_equal(m.text, "The series.");
	mail_release(&m);
	/* Anything after a "---" line is a patch to git mailinfo: the author counts. */
	raw = xstrfmt("%s---\nv2: changes\n", cover);
	parse_ok(&m, raw, 0);
	assert_string_equal(m.author_email, "jane@x.org");
	mail_release(&m);
	free(raw);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		raw = xstrfmt("From: Send Er <send@er.org>\nSubject: [PATCH] x\n"
				    "Message-ID: <m@x>\n\n%s---\n%s", cases[i].body, diff);

		parse_ok(&m, raw, 0);
		if (cases[i].name) {
			assert_non_null(m.author_name);
			assert_string_equal(m.author_name, cases[i].name);
			assert_string_equal(m.author_email, cases[i].email);
		} else {
			assert_null(m.author_name);
		}
		assert_string_equal(m.text, cases[i].text);
		assert_string_equal(m.from_email, "send@er.org");
		assert_true(m.flags & MAIL_HAS_DIFF);
		mail_release(&m);
		free(raw);
	}
}

static void test_cover_letters(void **state)
{
	/* git format-patch --cover-letter: no "---", a shortlog instead. */
	static const char fp[] =
		"Subject: [PATCH 0/2] bpf: widgets\nMessage-ID: <c@x>\n\n"
		"This series adds widgets.\n"
		"\n"
		"Jane Dev (2):\n"
		"  bpf: Add widgets\n"
		"  selftests/bpf: Test widgets\n"
		"\n"
		" kernel/bpf/widget.c | 10 ++++++++++\n"
		" 1 file changed, 10 insertions(+)\n"
		"\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"-- \n"
		"2.43.0\n";
	/* b4: the shortlog below "---", then its footer. */
	static const char b4[] =
		"Subject: [PATCH v2 0/2] bpf: widgets\nMessage-ID: <c@x>\n\n"
		"This series adds widgets.\n"
		"\n"
		"Changes in v2:\n"
		"- Fixed a leak\n"
		"- Link to v1: https://lore.kernel.org/r/20250101-widgets-v1-0-abcdef@x.org\n"
		"\n"
		"Signed-off-by: Jane Dev <jane@x.org>\n"
		"---\n"
		"Jane Dev (2):\n"
		"      bpf: Add widgets\n"
		"\n"
		"---\n"
		"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
		"change-id: 20250101-widgets-0123456789ab\n"
		"\n"
		"Best regards,\n"
		"-- \n"
		"Jane Dev <jane@x.org>\n";
	struct mail m;

	parse_ok(&m, fp, 0);
	assert_string_equal(m.text, "This series adds widgets.");
	assert_true(!strncmp(m.notes, "Jane Dev (2):\n  bpf: Add widgets\n", 33));
	assert_non_null(strstr(m.notes, "1 file changed"));
	assert_null(strstr(m.notes, "2.43.0"));
	assert_true(m.flags & MAIL_HAS_DIFFSTAT);
	assert_false(m.flags & MAIL_HAS_DIFF);
	assert_int_equal(m.trailers_nr, 0);
	mail_release(&m);

	parse_ok(&m, b4, 0);
	assert_string_equal(m.text, "This series adds widgets.\n\nChanges in v2:\n- Fixed a leak\n"
				    "- Link to v1: https://lore.kernel.org/r/20250101-widgets-v1-0-abcdef@x.org");
	assert_trailers(&m, "*Signed-off-by: Jane Dev <jane@x.org>\n");
	assert_string_equal(m.change_id, "20250101-widgets-0123456789ab");
	assert_list(m.links, m.links_nr, "20250101-widgets-v1-0-abcdef@x.org");
	mail_release(&m);
}

static void test_diffs_and_paths(void **state)
{
	static const char raw[] =
		"Subject: [PATCH] many kinds\nMessage-ID: <m@x>\n\n"
		"Text.\n"
		"---\n"
		"diff --git a/old name.c b/new name.c\n"
		"similarity index 90%\n"
		"rename from old name.c\n"
		"rename to new name.c\n"
		"diff --git a/same b/same\n"
		"old mode 100644\n"
		"new mode 100755\n"
		"diff --git \"a/t\\303\\251st\" \"b/t\\303\\251st\"\n"
		"new file mode 100644\n"
		"diff --git a/tools/lib/bpf/a-very-long-path-the-mailer.c\n"
		"index 1..2 100644\n"
		"--- a/tools/lib/bpf/a-very-long-path-the-mailer.c\n"
		"+++ b/tools/lib/bpf/a-very-long-path-the-mailer.c\n"
		"@@ -1,2 +1,2 @@\n"
		"-- \n"
		"+-\n"
		"diff --git a/gone b/gone\n"
		"deleted file mode 100644\n"
		"--- a/gone\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-x\n"
		"-- \n"
		"2.43.0\n"
		"\n";
	static const char cvs[] =
		"Subject: [PATCH] cvs\nMessage-ID: <m@x>\n\n"
		"Text.\n"
		"Index: src/foo.c\n"
		"===================================================================\n"
		"RCS file: /cvs/src/foo.c,v\n"
		"--- src/foo.c\t1 Jan 2000\n"
		"+++ src/foo.c\t2 Jan 2000\n"
		"@@ -1 +1 @@\n";
	struct mail m;

	parse_ok(&m, raw, 0);
	assert_list(m.paths, m.paths_nr,
		    "new name.c,same,t\xc3\xa9st,tools/lib/bpf/a-very-long-path-the-mailer.c,gone");
	/* A "-- " inside the diff is content; the one at the end is the signature. */
	assert_non_null(strstr(m.diff, "\n-- \n+-\n"));
	assert_null(strstr(m.diff, "2.43.0"));
	assert_string_equal(m.notes, "");
	mail_release(&m);
	parse_ok(&m, cvs, 0);
	assert_true(m.flags & MAIL_HAS_DIFF);
	assert_true(!strncmp(m.diff, "Index: src/foo.c\n", 17));
	assert_string_equal(m.text, "Text.");
	assert_list(m.paths, m.paths_nr, "src/foo.c");
	mail_release(&m);
}

static void test_links(void **state)
{
	static const char raw[] =
		"Subject: Re: x\nMessage-ID: <m@x>\n\n"
		"v1: https://lore.kernel.org/bpf/20250101.1-1-a@x.org/\n"
		"See https://lore.kernel.org/all/CAADnVQ%2Bxyz%40mail.gmail.com/T/#u and\n"
		"https://patch.msgid.link/20250102-2-b@x.org. Also\n"
		"<https://msgid.link/20250103.3@x.org> (https://lkml.kernel.org/r/4@x.org)\n"
		"> https://lore.kernel.org/r/quoted@x.org\n"
		"https://lore.kernel.org/bpf/?q=not-an-id and https://lore.kernel.org/r/20250101.1-1-a@x.org\n"
		"https://example.org/r/other@x.org\n"
		"https://lore.kernel.org/5@x.org https://msgid.link/r/6@x.org\n";
	struct mail m;

	parse_ok(&m, raw, MAIL_PARSE_FACTS_ONLY);
	assert_list(m.links, m.links_nr,
		    "20250101.1-1-a@x.org,CAADnVQ+xyz@mail.gmail.com,20250102-2-b@x.org,"
		    "20250103.3@x.org,4@x.org,5@x.org,6@x.org");
	mail_release(&m);
}

static void test_flags(void **state)
{
	static const char quoted_stat[] =
		"Subject: Re: x\nMessage-ID: <m@x>\n\n"
		">  1 file changed, 2 insertions(+)\n> diff --git a/x b/x\n";
	static const char pull[] =
		"Subject: [GIT PULL] bpf\nMessage-ID: <m@x>\n\n"
		"Hi,\n\nThe following changes since commit 0123:\n\n  x (2025-01-01)\n";
	struct mail m;

	parse_ok(&m, quoted_stat, 0);
	assert_false(m.flags & (MAIL_HAS_DIFFSTAT | MAIL_HAS_DIFF | MAIL_PULL_REQUEST));
	mail_release(&m);
	parse_ok(&m, pull, 0);
	assert_true(m.flags & MAIL_PULL_REQUEST);
	mail_release(&m);
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
		"On Mon, 1 Jun 2025 you wrote:\n"
		"> - [quoted] not an item\n"
		"> Signed-off-by: Jane <jane@x.org>\n\n"
		"Here is the summary with links:\n"
		"  - [bpf-next,v3,1/2] bpf: one\n"
		"    https://git.kernel.org/bpf/bpf-next/c/0123456789ab\n"
		"  - [bpf-next,v3,2/2] selftests/bpf: two\n"
		"    (no matching commit)\n\n"
		"You are awesome, thank you!\n"
		"--\n"
		"Deet-doot-dot, I am a bot.\n";
	struct mail m;

	parse_ok(&m, raw, MAIL_PARSE_FACTS_ONLY);
	assert_string_equal(m.applied_to, "bpf/bpf-next.git (master)");
	assert_int_equal(m.applied_nr, 2);
	assert_string_equal(m.applied[0].subject, "[bpf-next,v3,1/2] bpf: one");
	assert_string_equal(m.applied[0].url, "https://git.kernel.org/bpf/bpf-next/c/0123456789ab");
	assert_string_equal(m.applied[1].subject, "[bpf-next,v3,2/2] selftests/bpf: two");
	assert_null(m.applied[1].url);
	assert_int_equal(m.trailers_nr, 0);
	mail_release(&m);
}

/* ---- real tools: git format-patch ---- */

static void remove_dir(const char *dir)
{
	char *cmd = xstrfmt("rm -rf '%s'", dir);

	if (system(cmd))
		print_message("could not remove %s\n", dir);
	free(cmd);
}

/* Temporary directories, removed at exit even when a test fails half-way. */
static char *temp_dirs[4];
static size_t temp_dirs_nr;

static void remove_temp_dirs(void)
{
	while (temp_dirs_nr) {
		remove_dir(temp_dirs[--temp_dirs_nr]);
		free(temp_dirs[temp_dirs_nr]);
	}
}

/* A new temporary directory; it and what is in it go at exit. */
static const char *make_temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xstrfmt("%s/bpfdigest-test-mail.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (temp_dirs_nr == ARRAY_SIZE(temp_dirs))
		fail_msg("too many temporary directories");
	if (!mkdtemp(dir))
		fail_msg("cannot create a temporary directory: %s", strerror(errno));
	if (!temp_dirs_nr)
		atexit(remove_temp_dirs);
	temp_dirs[temp_dirs_nr++] = dir;
	return dir;
}

static void run(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	if (system(cmd.buf))
		fail_msg("command failed: %s", cmd.buf);
	strbuf_release(&cmd);
}

/* The output of a shell command. */
static void capture(struct strbuf *out, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	FILE *fp;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	fp = popen(cmd.buf, "r");
	if (!fp)
		fail_msg("cannot run: %s", cmd.buf);
	strbuf_reset(out);
	strbuf_read_fd(out, fileno(fp));
	if (pclose(fp))
		fail_msg("command failed: %s", cmd.buf);
	strbuf_release(&cmd);
}

/*
 * Commits made with git, mailed with git format-patch in several ways,
 * parsed back: subject, author, date, trailers (git's own, unfolded) and
 * the diff must be what git says they are.
 */
static void test_git_format_patch(void **state)
{
	static const char *const formats[] = {
		"", "--attach", "--inline", "--encode-email-headers",
		"--no-encode-email-headers", "--add-header='Content-Type: text/plain; charset=utf-8'",
		"--from='Send Er <send@er.org>'",
	};
	const char *dir = make_temp_dir();
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	size_t f;

	run("cd '%s' && git init -q repo && cd repo && "
	    "git config user.name 'Jörg Rödel' && git config user.email joerg@Example.ORG && "
	    "printf 'a\\nb\\n' >file && mkdir -p 'dir with space' && echo x >'dir with space/f' && "
	    "git add . && git commit -q -m init && "
	    "printf 'a\\nB\\n' >file && git mv 'dir with space/f' 'dir with space/g' && "
	    "GIT_AUTHOR_DATE='2025-10-30T11:00:09+0800' git commit -q -a -F - <<'EOF'\n"
	    "bpf: Fix the verifier for a case with a rather long subject line that folds, caf\xc3\xa9\n"
	    "\n"
	    "The body says why, in UTF-8: na\xc3\xafve.\n"
	    "---------\n"
	    "A ruler above is text.\n"
	    "\n"
	    "Reported-by: Some One With A Long Name\n"
	    " <some@one.org>\n"
	    "Acked-by: Q <q@x.org>\n"
	    "Signed-off-by: J\xc3\xb6rg R\xc3\xb6" "del <joerg@example.org>\n"
	    "EOF\n",
	    dir);
	capture(&want, "cd '%s/repo' && git log -1 --format='%%(trailers:unfold)'", dir);
	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		struct strbuf raw = STRBUF_INIT, got = STRBUF_INIT, diff = STRBUF_INIT;
		struct mail m;
		size_t i;

		capture(&raw, "cd '%s/repo' && git format-patch -1 --stdout %s", dir, formats[f]);
		parse_ok(&m, raw.buf, 0);
		assert_string_equal(m.subject, "[PATCH] bpf: Fix the verifier for a case with a rather "
					       "long subject line that folds, caf\xc3\xa9");
		if (strstr(formats[f], "--from")) {
			/* The sender in From:, the author in the body's first line. */
			assert_string_equal(m.from_name, "Send Er");
			assert_string_equal(m.author_name, "J\xc3\xb6rg R\xc3\xb6" "del");
			assert_string_equal(m.author_email, "joerg@example.org");
		} else {
			assert_string_equal(m.from_name, "J\xc3\xb6rg R\xc3\xb6" "del");
			assert_string_equal(m.from_email, "joerg@example.org");
			assert_null(m.author_name);
		}
		assert_int_equal(m.date, 1761793209);
		assert_int_equal(m.date_tz, 480);
		assert_string_equal(m.text, "The body says why, in UTF-8: na\xc3\xafve.\n"
					    "---------\nA ruler above is text.");
		for (i = 0; i < m.trailers_nr; i++)
			strbuf_addf(&got, "%s: %s\n", m.trailers[i].key, m.trailers[i].value);
		strbuf_addch(&got, '\n');
		if (strcmp(got.buf, want.buf))
			fail_msg("format-patch %s: trailers\n%s\ngit says\n%s", formats[f], got.buf, want.buf);
		capture(&diff, "cd '%s/repo' && git diff-tree -p -M HEAD~1 HEAD", dir);
		assert_string_equal(m.diff, diff.buf);
		capture(&diff, "cd '%s/repo' && "
			"git diff-tree -r -M --name-only -z HEAD~1 HEAD | tr '\\0' ,", dir);
		strbuf_setlen(&diff, diff.len - 1);
		assert_list(m.paths, m.paths_nr, diff.buf);
		if (!strcmp(formats[f], "--attach"))
			assert_true(m.flags & MAIL_DIFF_ATTACHED);
		mail_release(&m);
		strbuf_release(&raw);
		strbuf_release(&got);
		strbuf_release(&diff);
	}
	strbuf_release(&out);
	strbuf_release(&want);
}

/* ---- the corpus fixtures: patchwork and b4 test mails ---- */

static void test_patchwork_mails(void **state)
{
	static const struct {
		const char *file;
		unsigned flags;
		const char *paths;
	} cases[] = {
		{ "0001-git-pull-request.mbox", MAIL_PULL_REQUEST, "" },
		{ "0002-git-pull-request-wrapped.mbox", MAIL_PULL_REQUEST, "" },
		{ "0003-git-pull-request-with-diff.mbox", MAIL_PULL_REQUEST | MAIL_HAS_DIFF,
		  "arch/x86/include/asm/smp.h,arch/x86/kernel/acpi/sleep.c,arch/x86/kernel/cpu/mtrr/main.c" },
		{ "0004-git-pull-request-git+ssh.mbox", MAIL_PULL_REQUEST, "" },
		{ "0005-git-pull-request-ssh.mbox", MAIL_PULL_REQUEST, "" },
		{ "0006-git-pull-request-http.mbox", MAIL_PULL_REQUEST, "" },
		/* CVS: "Index:" and "diff -u -p -r1.329" headers, then "+++ <path>\t<date>" */
		{ "0007-cvs-format-diff.mbox", MAIL_HAS_DIFF, "bfd/elf-bfd.h,bfd/elflink.c,bfd/elfxx-mips.c" },
		/* renames: the new name */
		{ "0008-git-rename.mbox", MAIL_HAS_DIFF,
		  "package/rpi-userland/rpi-userland-000-add-pkgconfig-files.patch,"
		  "package/rpi-userland/rpi-userland-001-makefiles-cmake-vmcs.cmake-"
		  "allow-to-override-VMCS_IN.patch" },
		{ "0009-git-rename-with-diff.mbox", MAIL_HAS_DIFF,
		  "package/rpi-userland/rpi-userland-000-add-pkgconfig-files.patch,"
		  "package/rpi-userland/rpi-userland-001-makefiles-cmake-vmcs.cmake-"
		  "allow-to-override-VMCS_IN.patch" },
		{ "0011-no-newline-at-end-of-file.mbox", MAIL_HAS_DIFF,
		  "tools/testing/selftests/powerpc/Makefile,tools/testing/selftests/powerpc/vphn/vphn.c,"
		  "tools/testing/selftests/powerpc/vphn/vphn.h" },
		{ "0017-git-pull-request-git-2-14-3.mbox", MAIL_PULL_REQUEST, "" },
		{ "0019-multipart-patch.mbox", MAIL_HAS_DIFF, "patchwork/parser.py" },
		{ "0021-git-empty-new-file.mbox", MAIL_HAS_DIFF, "banana" },
		{ "0022-git-mode-change.mbox", MAIL_HAS_DIFF, "scripts/kconfig/nconf-cfg.sh" },
		{ "0023-git-pull-request-newline-in-url.mbox", MAIL_PULL_REQUEST, "" },
		{ "0024-git-pull-request-trailing-space.mbox", MAIL_PULL_REQUEST, "" },
		/* "diff --git pixel.bmp pixel.bmp": format-patch --no-prefix */
		{ "0025-git-add-binary-file.mbox", MAIL_HAS_DIFF, "pixel.bmp" },
		{ "0026-git-add-mixed-binary-text-files.mbox", MAIL_HAS_DIFF, "pixel.bmp,quit.sh" },
		{ "0027-git-modify-binary-file.mbox", MAIL_HAS_DIFF, "pixel.bmp" },
	};
	struct mail m;
	char *path;
	size_t i;

	UNIT_CORPUS_OR_SKIP(path, "patchwork/mail");
	free(path);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf rel = STRBUF_INIT, got = STRBUF_INIT;

		strbuf_addf(&rel, "patchwork/mail/%s", cases[i].file);
		parse_file(&m, rel.buf);
		join_list(&got, m.paths, m.paths_nr);
		if ((m.flags & (MAIL_PULL_REQUEST | MAIL_HAS_DIFF)) != cases[i].flags ||
		    strcmp(got.buf, cases[i].paths))
			fail_msg("%s: flags %x paths '%s'", cases[i].file, m.flags, got.buf);
		mail_release(&m);
		strbuf_release(&rel);
		strbuf_release(&got);
	}

	/* The "\ No newline" markers belong to the diff. */
	parse_file(&m, "patchwork/mail/0011-no-newline-at-end-of-file.mbox");
	assert_null(strstr(m.text, "No newline"));
	assert_non_null(strstr(m.diff, "\\ No newline at end of file\n"));
	assert_non_null(strstr(strstr(m.diff, "\\ No newline") + 1, "\\ No newline"));
	mail_release(&m);
	/* charset="none", quoted-printable: decoded, valid UTF-8. */
	parse_file(&m, "patchwork/mail/0010-invalid-charset.mbox");
	assert_true(!strncmp(m.text, "This patch, relative to a tree with", 35));
	assert_true(m.flags & MAIL_HAS_DIFF);
	mail_release(&m);
	parse_file(&m, "patchwork/mail/0014-with-unencoded-utf8-headers.mbox");
	assert_string_equal(m.from_name, "Rafa\xc5\x82 Mi\xc5\x82" "ecki");
	assert_non_null(strstr(m.subject, "to include Rafa\xc5\x82 Mi\xc5\x82" "ecki"));
	mail_release(&m);
	parse_file(&m, "patchwork/mail/0015-with-invalid-utf8-headers.mbox");
	assert_string_equal(m.from_name, "Rafa\xc5\x82 Mi\xc5\x82" "ecki");
	mail_release(&m);
	parse_file(&m, "patchwork/mail/0016-no-subject.mbox");
	assert_string_equal(m.subject, "");
	assert_string_equal(m.mid, "ABC@DEF");
	assert_trailers(&m, "*Signed-off-by: \"Yann E. MORIN\" <yann.morin.1998@free.fr>\n");
	mail_release(&m);
	/* HTML alternatives are ignored when there is text. */
	parse_file(&m, "patchwork/mail/0020-multipart-comment.mbox");
	assert_true(m.text[0] != '\0');
	assert_null(strstr(m.text, "<meta"));
	assert_null(strstr(m.text, "<div"));
	mail_release(&m);
	parse_file(&m, "patchwork/mail/0019-multipart-patch.mbox");
	assert_null(strstr(m.text, "<div"));
	assert_null(strstr(m.diff, "<div"));
	mail_release(&m);
}

static void parse_message(const char *raw, size_t len, const char *name, size_t *parsed,
			  size_t *rejected)
{
	struct strbuf err = STRBUF_INIT, body = STRBUF_INIT;
	struct mail m;

	if (mail_parse(&m, raw, len, 0, &err) == 0) {
		/* Whatever the bytes, the strings are UTF-8. */
		if (!is_utf8(m.subject) || !is_utf8(m.from_name) || !is_utf8(m.text) ||
		    !is_utf8(m.notes) || !is_utf8(m.diff))
			fail_msg("%s: not UTF-8", name);
		mail_release(&m);
		(*parsed)++;
	} else {
		assert_true(err.len > 0);
		print_message("%s: rejected: %s\n", name, err.buf);
		(*rejected)++;
	}
	mail_decode_body(&body, raw, len);
	strbuf_release(&err);
	strbuf_release(&body);
}

struct folder_count {
	const char *name;
	size_t parsed, rejected;
};

static int parse_split(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct folder_count *c = data;
	struct strbuf raw = STRBUF_INIT;

	mbox_unquote(&raw, msg, len);
	parse_message(raw.buf, raw.len, c->name, &c->parsed, &c->rejected);
	strbuf_release(&raw);
	return 0;
}

/*
 * Every mail of a corpus folder parses or is rejected with a reason;
 * with split, each file is an mbox of several.
 */
static void parse_folder(const char *rel, int split, size_t *parsed, size_t *rejected)
{
	char *dir = unit_corpus_path(rel);
	DIR *d;
	struct dirent *de;

	d = opendir(dir);
	if (!d)
		fail_msg("cannot open '%s'", dir);
	while ((de = readdir(d))) {
		struct strbuf raw = STRBUF_INIT;
		char *path;

		if (de->d_name[0] == '.' || (!strstr(de->d_name, ".mbox") && !strstr(de->d_name, ".txt")))
			continue;
		path = xstrfmt("%s/%s", dir, de->d_name);
		unit_read_file(&raw, path);
		if (split) {
			struct folder_count c = { de->d_name, 0, 0 };

			mbox_split(raw.buf, raw.len, parse_split, &c);
			*parsed += c.parsed;
			*rejected += c.rejected;
		} else {
			parse_message(raw.buf, raw.len, de->d_name, parsed, rejected);
		}
		free(path);
		strbuf_release(&raw);
	}
	closedir(d);
	free(dir);
}

static void test_fuzzed_and_fixture_mails(void **state)
{
	size_t parsed = 0, rejected = 0;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "patchwork/fuzz");
	free(path);
	/* Patchwork reads each of these files as one message. */
	parse_folder("patchwork/fuzz", 0, &parsed, &rejected);
	parse_folder("patchwork/mail", 0, &parsed, &rejected);
	assert_int_equal(parsed, 17 + 26);
	assert_int_equal(rejected, 0);
	parse_folder("patchwork/series", 1, &parsed, &rejected);
	parse_folder("b4", 1, &parsed, &rejected);
	print_message("%zu parsed, %zu rejected with a reason\n", parsed, rejected);
	assert_true(parsed >= 200);
	/* b4's gpg-*.txt are gpg's output, not mail, and its LICENSE neither. */
	assert_int_equal(rejected, 6);
}

struct b4_thread {
	struct strbuf patches;	/* "Key: value\n" of every patch */
	struct strbuf reviews;	/* ... and of every reply */
};

static int collect_b4(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct b4_thread *t = data;
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail m;
	size_t i;

	mbox_unquote(&raw, msg, len);
	if (mail_parse(&m, raw.buf, raw.len, MAIL_PARSE_FACTS_ONLY, &err) == 0) {
		for (i = 0; i < m.trailers_nr; i++)
			strbuf_addf(m.flags & MAIL_HAS_DIFF ? &t->patches : &t->reviews, "%s: %s\n",
				    m.trailers[i].key, m.trailers[i].value);
		mail_release(&m);
	}
	strbuf_release(&raw);
	strbuf_release(&err);
	return 0;
}

/*
 * b4's follow-up trailer tests: every trailer b4 adds to the patch from
 * the replies (its reference output) is one we found in a reply.
 */
static void test_b4_followup_trailers(void **state)
{
	static const char *const cases[] = {
		"single", "with-cover", "custody", "partial-reroll", "nore",
		"non-git-patch", "non-git-patch-with-comments", "with-diffstat",
		"name-parens", "bare-address", "stripped-lines", "htmljunk",
	};
	size_t i, checked = 0;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "b4");
	free(path);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf mbox = STRBUF_INIT, ref = STRBUF_INIT;
		struct b4_thread t = { STRBUF_INIT, STRBUF_INIT };
		char *mrel = xstrfmt("b4/trailers-followup-%s.mbox", cases[i]);
		char *rrel = xstrfmt("b4/trailers-followup-%s-ref-defaults.txt", cases[i]);
		char *mp = unit_corpus_path(mrel), *rp = unit_corpus_path(rrel);

		if (!rp) {
			/* This case has no default variant. */
			free(rrel);
			rrel = xstrfmt("b4/trailers-followup-%s-ref-ordered.txt", cases[i]);
			rp = unit_corpus_path(rrel);
		}
		const char *line;

		if (!mp || !rp)
			fail_msg("b4 case %s is missing", cases[i]);
		unit_read_file(&mbox, mp);
		unit_read_file(&ref, rp);
		mbox_split(mbox.buf, mbox.len, collect_b4, &t);
		for (line = ref.buf; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
			size_t len = strcspn(line, "\n");
			char *l = xstrndup(line, len), *colon = strchr(l, ':');

			struct strbuf want = STRBUF_INIT;

			strbuf_addf(&want, "%s\n", l);
			/*
			 * A trailer b4 added to a patch must come from a reply
			 * (but for its user's own Signed-off-by).
			 */
			if (colon && colon > l + 3 && !strncasecmp(colon - 3, "-by", 3) &&
			    strchr(l, '@') && !strstr(t.patches.buf, want.buf) &&
			    strncmp(l, "Signed-off-by", 13)) {
				if (!strstr(t.reviews.buf, want.buf))
					fail_msg("b4 %s: '%s' not found in the replies; found:\n%s",
						 cases[i], l, t.reviews.buf);
				checked++;
			}
			strbuf_release(&want);
			free(l);
		}
		strbuf_release(&mbox);
		strbuf_release(&ref);
		strbuf_release(&t.patches);
		strbuf_release(&t.reviews);
		free(mp);
		free(rp);
		free(mrel);
		free(rrel);
	}
	print_message("%zu follow-up trailers found as b4 finds them\n", checked);
	assert_true(checked >= 12);
}

/* ---- the real archive: 15,186 mails of the bpf list ---- */

struct corpus {
	git_repository *repo;
	const char *dir;	/* removed at exit */
	/* results of the one pass over every mail */
	size_t mails, parsed, rejected;
	size_t bad_subject, bad_author, bad_email, bad_date, facts_differ;
	size_t patches, agree, explained_ruler, explained_signature, unexplained;
	size_t trailers;
	struct strmap applied;	/* commit id -> "summary\turl\n"... */
	struct strmap ids;	/* commit id -> "mid\tthread root" */
	struct strmap mids;	/* every Message-ID seen */
	size_t encoded, mailinfo_checked, mailinfo_differ;
};

static struct corpus corpus;

static void remove_corpus(void)
{
	size_t i = 0;
	const char *key;
	void *items;

	while (strmap_next(&corpus.applied, &i, &key, &items)) {
		strbuf_release(items);
		free(items);
	}
	strmap_clear(&corpus.applied);
	i = 0;
	while (strmap_next(&corpus.ids, &i, &key, &items))
		free(items);
	strmap_clear(&corpus.ids);
	strmap_clear(&corpus.mids);
	if (corpus.repo)
		git_repository_free(corpus.repo);
}

/* git's name cleanup: no leading or trailing "crud". */
static void strip_crud(struct strbuf *sb)
{
	static const char crud[] = ".,:;<>\"\\'";

	while (sb->len && (strchr(crud, sb->buf[sb->len - 1]) ||
			   isspace((unsigned char)sb->buf[sb->len - 1])))
		strbuf_setlen(sb, sb->len - 1);
	while (sb->len && (strchr(crud, sb->buf[0]) || isspace((unsigned char)sb->buf[0]))) {
		memmove(sb->buf, sb->buf + 1, sb->len);
		sb->len--;
	}
}

/* "subject\n\n" + the body up to its diff: the commit message git am makes. */
static void am_message(struct strbuf *msg, const struct mail *m, const char *raw, size_t len)
{
	struct strbuf body = STRBUF_INIT;
	const char *diff;

	assert_int_equal(mail_decode_body(&body, raw, len), 0);
	diff = !strncmp(body.buf, "diff --git ", 11) ? body.buf : strstr(body.buf, "\ndiff --git ");
	if (diff && diff != body.buf)
		diff++;
	strbuf_addf(msg, "%s\n\n", m->subject);
	strbuf_add(msg, body.buf, diff ? (size_t)(diff - body.buf) : body.len);
	strbuf_release(&body);
}

/* libgit2 1.5 ends a message at "---------"; git needs a blank after the dashes. */
static void hide_rulers(struct strbuf *msg)
{
	char *p;

	for (p = msg->buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, "---", 3) && p[3] && !isspace((unsigned char)p[3]))
			p[0] = '=';
}

/* We end a message at a "-- " or "--" signature line; git does not. */
static void cut_at_signature(struct strbuf *msg)
{
	char *p;

	for (p = strstr(msg->buf, "\n\n"); p; p = strchr(p + 1, '\n')) {
		if (!strncmp(p, "\n---", 4) && isspace((unsigned char)p[4]))
			return;
		if (!strncmp(p, "\n-- \n", 5) || !strncmp(p, "\n--\n", 4)) {
			strbuf_setlen(msg, (size_t)(p - msg->buf) + 1);
			return;
		}
	}
}

static void compare_trailers(const struct mail *m, const char *raw, size_t len, const char *hex)
{
	struct strbuf msg = STRBUF_INIT, ours = STRBUF_INIT, theirs = STRBUF_INIT;
	size_t i;

	for (i = 0; i < m->trailers_nr; i++)
		if (m->trailers[i].in_block)
			strbuf_addf(&ours, "*%s: %s\n", m->trailers[i].key, m->trailers[i].value);
	am_message(&msg, m, raw, len);
	libgit2_trailers(&theirs, msg.buf);
	corpus.patches++;
	if (!strcmp(ours.buf, theirs.buf)) {
		corpus.agree++;
		goto out;
	}
	hide_rulers(&msg);
	strbuf_reset(&theirs);
	libgit2_trailers(&theirs, msg.buf);
	if (!strcmp(ours.buf, theirs.buf)) {
		corpus.explained_ruler++;
		goto out;
	}
	cut_at_signature(&msg);
	strbuf_reset(&theirs);
	libgit2_trailers(&theirs, msg.buf);
	if (!strcmp(ours.buf, theirs.buf)) {
		corpus.explained_signature++;
		goto out;
	}
	corpus.unexplained++;
	if (corpus.unexplained <= 5)
		print_message("%s: trailers differ: ours\n%slibgit2\n%s", hex, ours.buf, theirs.buf);
out:
	strbuf_release(&msg);
	strbuf_release(&ours);
	strbuf_release(&theirs);
}

/* The header block of raw, lowercased, folding kept. */
static void lower_headers(struct strbuf *out, const char *raw, size_t len)
{
	const char *end = memmem(raw, len, "\n\n", 2);
	size_t i;

	strbuf_add(out, raw, end ? (size_t)(end - raw) : len);
	for (i = 0; i < out->len; i++)
		out->buf[i] = (char)tolower((unsigned char)out->buf[i]);
}

/* Lines without trailing blanks; no leading in-body headers, no blank lines at either end. */
static void normalize_body(struct strbuf *out, const char *in)
{
	int head = 1;

	while (*in) {
		size_t len = strcspn(in, "\n");

		while (len && isspace((unsigned char)in[len - 1]))
			len--;
		if (head && (!len || !strncmp(in, "From: ", 6) || !strncmp(in, "Date: ", 6) ||
			     !strncmp(in, "Subject: ", 9))) {
			/* git mailinfo takes these as in-body headers */
		} else {
			head = 0;
			strbuf_add(out, in, len);
			strbuf_addch(out, '\n');
		}
		in += strcspn(in, "\n");
		if (*in)
			in++;
	}
	while (out->len > 1 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
		strbuf_setlen(out, out->len - 1);
}

/*
 * git mailinfo decodes a mail the way git am does: for a sample of the
 * single-part mails with a transfer encoding or a legacy charset, its
 * message and patch must be our decoded body, and its author ours.
 * (Multipart and format=flowed mail is left out: git keeps signature
 * parts and ignores quote levels of flowed text, we do not.)
 */
static void compare_with_mailinfo(const struct mail *m, const char *raw, size_t len,
				  const char *hex)
{
	struct strbuf headers = STRBUF_INIT, ours = STRBUF_INIT, theirs = STRBUF_INIT;
	struct strbuf body = STRBUF_INIT, out = STRBUF_INIT, name = STRBUF_INIT;
	char *file = xstrfmt("%s/m", corpus.dir);
	FILE *fp;

	lower_headers(&headers, raw, len);
	if (strstr(headers.buf, "multipart/") || strstr(headers.buf, "format=flowed") ||
	    !(strstr(headers.buf, "quoted-printable") || strstr(headers.buf, "base64") ||
	      strstr(headers.buf, "charset=iso-") || strstr(headers.buf, "charset=\"iso-") ||
	      strstr(headers.buf, "charset=windows-") || strstr(headers.buf, "charset=\"windows-")))
		goto out;
	if (corpus.encoded++ % 6)
		goto out;
	fp = fopen(file, "w");
	if (!fp || fwrite(raw, 1, len, fp) != len || fclose(fp))
		fail_msg("cannot write '%s'", file);
	capture(&out, "cd '%s' && git mailinfo -u msg patch <m 2>/dev/null && cat msg patch", corpus.dir);
	corpus.mailinfo_checked++;
	mail_decode_body(&body, raw, len);
	normalize_body(&ours, body.buf);
	{
		/* "Author: ...\nEmail: ...\nSubject: ...\nDate: ...\n\n" then msg and patch */
		char *sep = strstr(out.buf, "\n\n");
		char *author = strstr(out.buf, "Author: "), *email = strstr(out.buf, "Email: ");

		const char *our_email = m->author_email ? m->author_email : m->from_email;

		/* git keeps invalid bytes; we read them as Windows-1252. */
		if (sep && !mime_is_utf8(sep, strlen(sep))) {
			struct strbuf fixed = STRBUF_INIT;

			mime_to_utf8(&fixed, sep + 2, strlen(sep + 2), NULL);
			normalize_body(&theirs, fixed.buf);
			strbuf_release(&fixed);
		} else {
			normalize_body(&theirs, sep ? sep + 2 : "");
		}
		/* git's author: the in-body From:, else the header; the address when unnamed. */
		strbuf_addstr(&name, m->author_email ? m->author_name : m->from_name);
		strip_crud(&name);
		if (!name.len)
			strbuf_addstr(&name, our_email);
		if (strcmp(ours.buf, theirs.buf) ||
		    !author || strncmp(author + 8, name.buf, name.len) || author[8 + name.len] != '\n' ||
		    !email || strncasecmp(email + 7, our_email, strlen(our_email))) {
			if (corpus.mailinfo_differ++ < 5) {
				size_t i = 0, l;

				while (i < ours.len && i < theirs.len && ours.buf[i] == theirs.buf[i])
					i++;
				l = i;
				while (l && ours.buf[l - 1] != '\n')
					l--;
				print_message("%s: git mailinfo and we differ at\n  ours: %.80s\n  git:  %.80s\n"
					      "  author: %.60s\n", hex, ours.buf + l, theirs.buf + l,
					      author ? author : "?");
			}
		}
	}
out:
	free(file);
	strbuf_release(&headers);
	strbuf_release(&ours);
	strbuf_release(&theirs);
	strbuf_release(&body);
	strbuf_release(&out);
	strbuf_release(&name);
}

static void check_one(git_commit *commit, const char *raw, size_t len)
{
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;
	const git_signature *author = git_commit_author(commit);
	const char *summary = git_commit_summary(commit);
	struct mail m, facts;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	corpus.mails++;
	if (mail_parse(&m, raw, len, 0, &err) < 0) {
		corpus.rejected++;
		print_message("%s: rejected: %s\n", hex, err.buf);
		strbuf_release(&err);
		return;
	}
	corpus.parsed++;
	corpus.trailers += m.trailers_nr;

	/* public-inbox's commit: message = Subject (unfolded), author = From and Date:. */
	if (strcmp(summary, m.subject) && corpus.bad_subject++ < 5)
		print_message("%s: subject '%s', git says '%s'\n", hex, m.subject, summary);
	strbuf_addstr(&sb, m.from_name);
	strip_crud(&sb);
	if (strcmp(sb.buf, author->name) && !(!sb.len && !strcmp(author->name, author->email)) &&
	    corpus.bad_author++ < 5)
		print_message("%s: author '%s', git says '%s'\n", hex, m.from_name, author->name);
	if (strcasecmp(m.from_email, author->email) && corpus.bad_email++ < 5)
		print_message("%s: email '%s', git says '%s'\n", hex, m.from_email, author->email);
	if ((!(m.flags & MAIL_HAS_DATE) || m.date != author->when.time) && corpus.bad_date++ < 5)
		print_message("%s: date %lld, git says %lld\n", hex, (long long)m.date,
			      (long long)author->when.time);

	/* The index's facts-only parse finds the same facts. */
	if (mail_parse(&facts, raw, len, MAIL_PARSE_FACTS_ONLY, &err) < 0)
		fail_msg("%s: facts-only parse failed: %s", hex, err.buf);
	{
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

		format_facts(&a, &m);
		format_facts(&b, &facts);
		if (strcmp(a.buf, b.buf) && corpus.facts_differ++ < 5)
			print_message("%s: facts differ:\n%s\n%s\n", hex, a.buf, b.buf);
		strbuf_release(&a);
		strbuf_release(&b);
	}
	mail_release(&facts);

	if ((m.flags & MAIL_HAS_DIFF) && strstr(m.subject, "PATCH"))
		compare_trailers(&m, raw, len, hex);
	compare_with_mailinfo(&m, raw, len, hex);
	strmap_put(&corpus.mids, m.mid, &corpus);
	strmap_put(&corpus.ids, hex, xstrfmt("%s\t%s", m.mid,
					      m.refs_nr ? m.refs[0] : m.in_reply_to ? m.in_reply_to : m.mid));
	if (m.applied_nr) {
		struct strbuf *items = xcalloc(1, sizeof(*items));
		size_t i;

		strbuf_init(items, 0);
		for (i = 0; i < m.applied_nr; i++)
			strbuf_addf(items, "%s\t%s\n", m.applied[i].subject,
				    m.applied[i].url ? m.applied[i].url : "");
		strbuf_addf(items, "to\t%s\n", m.applied_to);
		strmap_put(&corpus.applied, hex, items);
	}
	mail_release(&m);
	strbuf_release(&err);
	strbuf_release(&sb);
}

/* Clone the bpf-list bundle once and check every mail; NULL without the corpus. */
static struct corpus *corpus_checked(void)
{
	static int done;
	git_revwalk *walk;
	git_oid oid;
	char *bundle;

	if (done)
		return corpus.repo ? &corpus : NULL;
	done = 1;
	bundle = unit_corpus_path("bpf-list.bundle");
	if (!bundle)
		return NULL;
	corpus.applied.dup_keys = 1;
	corpus.ids.dup_keys = 1;
	corpus.mids.dup_keys = 1;
	corpus.dir = make_temp_dir();
	atexit(remove_corpus);
	run("git clone -q --bare '%s' '%s/bpf.git'", bundle, corpus.dir);
	free(bundle);
	{
		char *path = xstrfmt("%s/bpf.git", corpus.dir);

		assert_int_equal(git_repository_open_bare(&corpus.repo, path), 0);
		free(path);
	}
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	assert_int_equal(git_revwalk_new(&walk, corpus.repo), 0);
	assert_int_equal(git_revwalk_push_head(walk), 0);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (!git_revwalk_next(&oid, walk)) {
		git_commit *commit;
		git_tree *tree;
		const git_tree_entry *entry;
		git_blob *blob;

		assert_int_equal(git_commit_lookup(&commit, corpus.repo, &oid), 0);
		assert_int_equal(git_commit_tree(&tree, commit), 0);
		entry = git_tree_entry_byname(tree, "m");
		if (entry && !git_blob_lookup(&blob, corpus.repo, git_tree_entry_id(entry))) {
			check_one(commit, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
		}
		git_tree_free(tree);
		git_commit_free(commit);
	}
	git_revwalk_free(walk);
	print_message("%zu mails: %zu parsed, %zu rejected\n", corpus.mails, corpus.parsed,
		      corpus.rejected);
	return &corpus;
}

#define CORPUS_OR_SKIP(c)                                  \
	do {                                               \
		(c) = corpus_checked();                    \
		if (!(c)) {                                \
			print_message("corpus absent\n");  \
			skip();                            \
		}                                          \
	} while (0)

static void test_corpus_every_mail_parses(void **state)
{
	struct corpus *c;

	CORPUS_OR_SKIP(c);
	assert_int_equal(c->mails, 15186);
	assert_int_equal(c->parsed + c->rejected, c->mails);
	assert_int_equal(c->rejected, 0);
	assert_int_equal(c->facts_differ, 0);
	/* The corpus README counts 52 repeated Message-IDs. */
	assert_int_equal(c->mids.nr, 15134);
}

static void test_corpus_headers_match_git_log(void **state)
{
	struct corpus *c;

	CORPUS_OR_SKIP(c);
	assert_int_equal(c->bad_subject, 0);
	assert_int_equal(c->bad_author, 0);
	assert_int_equal(c->bad_email, 0);
	assert_int_equal(c->bad_date, 0);
}

static void test_corpus_decoding_matches_git_mailinfo(void **state)
{
	struct corpus *c;

	CORPUS_OR_SKIP(c);
	print_message("%zu of %zu encoded single-part mails compared with git mailinfo, "
		      "%zu differ\n", c->mailinfo_checked, c->encoded, c->mailinfo_differ);
	assert_true(c->mailinfo_checked >= 300);
	assert_int_equal(c->mailinfo_differ, 0);
}

static void test_corpus_trailers_agree_with_libgit2(void **state)
{
	struct corpus *c;

	CORPUS_OR_SKIP(c);
	print_message("%zu patch mails: %zu agree with git_message_trailers(), %zu more once "
		      "\"---------\" rulers are hidden from libgit2 1.5, %zu more once the message "
		      "ends at a \"--\" signature; %zu unexplained\n",
		      c->patches, c->agree, c->explained_ruler, c->explained_signature, c->unexplained);
	assert_true(c->patches > 6000);
	assert_int_equal(c->unexplained, 0);
	/* The deliberate differences stay rare. */
	assert_true(c->agree * 100 >= c->patches * 99);
}

/* Split a TSV line in place into nr fields; 0 when it has fewer. */
static int tsv_fields(char *line, char **f, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (line)
			*line++ = '\0';
		else if (i < nr - 1)
			return 0;
		else
			line = f[i] + strlen(f[i]);
	}
	return 1;
}

/*
 * The mails that libbpf/bpftool commits name in their Link: trailers
 * have the Message-ID (and thread root) the commits name.
 */
static void test_corpus_gold_link_ids(void **state)
{
	struct strbuf tsv = STRBUF_INIT;
	struct corpus *c;
	char *path, *line, *save = NULL;
	size_t rows = 0;

	CORPUS_OR_SKIP(c);
	UNIT_CORPUS_OR_SKIP(path, "gold-links.tsv");
	unit_read_file(&tsv, path);
	free(path);
	for (line = strtok_r(tsv.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *want;
		const char *got;

		if (!tsv_fields(line, f, 4) || strcmp(f[2], "yes"))
			continue;
		rows++;
		want = xstrfmt("%s\t%s", f[0], f[1]);
		got = strmap_get(&c->ids, f[3]);
		if (!got || strcmp(got, want))
			fail_msg("%s: ids '%s', gold '%s'", f[3], got ? got : "(none)", want);
		free(want);
	}
	assert_int_equal(rows, 69);
	strbuf_release(&tsv);
}

/* Every gold pw-bot row whose bot mail is in the bundle: its summary and commit hash. */
static void test_corpus_pwbot_gold(void **state)
{
	struct strbuf tsv = STRBUF_INIT;
	struct corpus *c;
	char *path, *line, *save = NULL;
	size_t rows = 0, found = 0;

	CORPUS_OR_SKIP(c);
	UNIT_CORPUS_OR_SKIP(path, "gold-pwbot.tsv");
	unit_read_file(&tsv, path);
	free(path);
	for (line = strtok_r(tsv.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[9];
		struct strbuf *items, want = STRBUF_INIT;

		if (!tsv_fields(line, f, 9) || strcmp(f[3], "yes"))
			continue;
		rows++;
		items = strmap_get(&c->applied, f[4]);
		if (!items) {
			print_message("%s: no applied notice found\n", f[4]);
			continue;
		}
		/* The summary line, then the link whose commit is the gold hash. */
		strbuf_addf(&want, "%s\t%s\n", f[8], f[7]);
		if (strstr(items->buf, want.buf) && strstr(f[7], f[6]))
			found++;
		else
			print_message("%s: want '%s', have\n%s", f[4], want.buf, items->buf);
		strbuf_release(&want);
	}
	print_message("%zu of %zu gold pw-bot rows found\n", found, rows);
	assert_int_equal(rows, 843);
	assert_int_equal(found, rows);
	strbuf_release(&tsv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch_mail),
		cmocka_unit_test(test_facts_only_drops_body),
		cmocka_unit_test(test_review_reply),
		cmocka_unit_test(test_not_a_mail),
		cmocka_unit_test(test_missing_message_id),
		cmocka_unit_test(test_header_folding_case_duplicates),
		cmocka_unit_test(test_headers_without_blank_line),
		cmocka_unit_test(test_broken_folding),
		cmocka_unit_test(test_encoded_headers),
		cmocka_unit_test(test_raw_8bit_headers),
		cmocka_unit_test(test_message_ids),
		cmocka_unit_test(test_from_forms),
		cmocka_unit_test(test_list_rewritten_from),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_period_time),
		cmocka_unit_test(test_transfer_encodings),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_nested_multipart),
		cmocka_unit_test(test_crlf_multipart_and_truncation),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_html_only),
		cmocka_unit_test(test_format_flowed),
		cmocka_unit_test(test_decode_body),
		cmocka_unit_test(test_trailer_rules),
		cmocka_unit_test(test_trailers_vs_libgit2),
		cmocka_unit_test(test_inbody_headers),
		cmocka_unit_test(test_inbody_headers_as_git),
		cmocka_unit_test(test_digest_and_rfc822_parts),
		cmocka_unit_test(test_stateful_and_unknown_charsets),
		cmocka_unit_test(test_cover_letters),
		cmocka_unit_test(test_diffs_and_paths),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_pwbot_notice),
		cmocka_unit_test(test_git_format_patch),
		cmocka_unit_test(test_patchwork_mails),
		cmocka_unit_test(test_fuzzed_and_fixture_mails),
		cmocka_unit_test(test_b4_followup_trailers),
		cmocka_unit_test(test_corpus_every_mail_parses),
		cmocka_unit_test(test_corpus_headers_match_git_log),
		cmocka_unit_test(test_corpus_decoding_matches_git_mailinfo),
		cmocka_unit_test(test_corpus_trailers_agree_with_libgit2),
		cmocka_unit_test(test_corpus_gold_link_ids),
		cmocka_unit_test(test_corpus_pwbot_gold),
		cmocka_unit_test(test_review_verdicts),
	};
	return unit_run("mail", tests, ARRAY_SIZE(tests));
}
