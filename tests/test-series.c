#include "unit.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"

#include <stdio.h>

struct fixture {
	struct mail *mails[32];
	size_t nr;
};

/* Add one message; refs is a space-separated list of ids, oldest first. */
static void add(struct fixture *f, const char *from, const char *mid, const char *refs,
		const char *date, const char *subject, const char *body)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	strbuf_addf(&raw, "From: %s\nMessage-ID: <%s>\nDate: %s\nSubject: %s\n", from, mid,
		    date, subject);
	if (refs && *refs) {
		const char *last = strrchr(refs, ' ');

		strbuf_addf(&raw, "In-Reply-To: <%s>\nReferences:", last ? last + 1 : refs);
		for (const char *p = refs; *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			strbuf_addf(&raw, " <%.*s>", (int)l, p);
			p += l;
			while (*p == ' ')
				p++;
		}
		strbuf_addch(&raw, '\n');
	}
	strbuf_addf(&raw, "\n%s", body);
	if (mail_parse(m, raw.buf, raw.len, MAIL_PARSE_FACTS_ONLY, &err) < 0)
		fail_msg("fixture does not parse: %s", err.buf);
	f->mails[f->nr++] = m;
	strbuf_release(&raw);
	strbuf_release(&err);
}

static const char diff[] =
	"msg\n\nSigned-off-by: J <j@x.org>\n---\n x | 1 +\n 1 file changed\n\n"
	"diff --git a/kernel/bpf/x.c b/kernel/bpf/x.c\n--- a/kernel/bpf/x.c\n+++ b/kernel/bpf/x.c\n"
	"@@ -1 +1 @@\n-a\n+b\n";

static void release(struct fixture *f, struct series_set *set)
{
	size_t i;

	series_set_release(set);
	for (i = 0; i < f->nr; i++) {
		mail_release(f->mails[i]);
		free(f->mails[i]);
	}
}

static void test_cover_patches_reroll_reviews(void **state)
{
	struct fixture f = { .nr = 0 };
	struct series_set set = SERIES_SET_INIT;
	const char *jane = "Jane Dev <jane@x.org>";
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Thu, 9 Apr 2026 10:00:00 +0000";
	struct series *s;
	struct series_revision *v1, *v2;
	struct series_patch *p;

	add(&f, jane, "c1@x", NULL, d1, "[PATCH bpf-next 0/2] bpf: Widget support",
	    "intro\n\n 2 files changed\n");
	add(&f, jane, "p2@x", "c1@x", d1, "[PATCH bpf-next 2/2] selftests/bpf: Test widgets", diff);
	add(&f, jane, "p1@x", "c1@x", d1, "[PATCH bpf-next 1/2] bpf: Add widgets", diff);
	add(&f, "Rev <rev@kernel.org>", "r1@x", "c1@x p1@x", d1, "Re: [PATCH bpf-next 1/2] bpf: Add widgets",
	    "> quoted\n\nAcked-by: Rev <rev@kernel.org>\n");
	add(&f, "Bot <bot+bpf-ci@kernel.org>", "b1@x", "c1@x p1@x", d1,
	    "Re: [PATCH bpf-next 1/2] bpf: Add widgets", "AI review\n");
	add(&f, jane, "c2@x", NULL, d2, "[PATCH bpf-next v2 0/2] bpf: Widget support",
	    "intro v2\n\n 2 files changed\n");
	add(&f, jane, "q1@x", "c2@x", d2, "[PATCH bpf-next v2 1/2] bpf: Add widgets", diff);
	add(&f, jane, "q2@x", "c2@x", d2, "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets", diff);
	add(&f, "Rev2 <rev2@kernel.org>", "r2@x", "c2@x", d2, "Re: [PATCH bpf-next v2 0/2] bpf: Widget support",
	    "Reviewed-by: Rev2 <rev2@kernel.org>\n");

	assert_int_equal(series_build(&set, f.mails, f.nr), 0);
	assert_int_equal(set.nr, 1);
	s = set.series[0];
	assert_string_equal(s->title, "bpf: Widget support");
	assert_string_equal(s->author_email, "jane@x.org");
	assert_int_equal(s->revisions_nr, 2);
	v1 = s->revisions[0];
	v2 = s->revisions[1];
	assert_int_equal(v1->version, 1);
	assert_int_equal(v2->version, 2);
	assert_true(v1->flags & REVISION_SUPERSEDED);
	assert_false(v2->flags & REVISION_SUPERSEDED);
	assert_string_equal(v1->tree, "bpf-next");
	assert_non_null(v1->cover);
	assert_int_equal(v1->patches_nr, 2);
	/* Out-of-order arrival is put back in order. */
	assert_string_equal(v1->patches[0]->mail->mid, "p1@x");
	p = v1->patches[0];
	assert_int_equal(p->replies_nr, 2);
	assert_int_equal(p->human_replies, 1);
	assert_int_equal(p->reviews_nr, 1);
	assert_string_equal(p->reviews[0].trailer, "Acked-by");
	assert_string_equal(p->reviews[0].email, "rev@kernel.org");
	assert_int_equal(v1->participants, 1);
	/* A review of the cover applies to every patch. */
	assert_int_equal(v2->patches[0]->reviews_nr, 1);
	assert_int_equal(v2->patches[1]->reviews_nr, 1);
	assert_string_equal(v2->patches[1]->reviews[0].trailer, "Reviewed-by");
	assert_ptr_equal(series_find(&set, "r1@x"), p);
	assert_ptr_equal(series_latest(s), v2);
	assert_ptr_equal(revision_patch(v2, 2), v2->patches[1]);
	release(&f, &set);
}

static void test_bots(void **state)
{
	assert_true(series_is_bot("patchwork-bot+netdevbpf@kernel.org"));
	assert_true(series_is_bot("bot+bpf-ci@kernel.org"));
	assert_true(series_is_bot("lkp@intel.com"));
	assert_false(series_is_bot("ast@kernel.org"));
	assert_true(series_is_bot("syzbot+abc123@syzkaller.appspotmail.com"));
	assert_true(series_is_bot("noreply@github.com"));
	/* Names that merely contain "bot" are people. */
	assert_false(series_is_bot("abbott@example.org"));
	assert_false(series_is_bot("talbot@example.org"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cover_patches_reroll_reviews),
		cmocka_unit_test(test_bots),
	};
	return unit_run("series", tests, ARRAY_SIZE(tests));
}
