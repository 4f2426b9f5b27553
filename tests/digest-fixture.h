/*
 * digest-fixture.h - a small week of list traffic, shared by the digest,
 * summary and render tests.
 *
 * Week 2026-W15 (Monday April 6 to Sunday April 12, UTC):
 *   - Jane Dev's "bpf: Widget support": v1 (0/2, 1/2, 2/2) on Monday with
 *     an Acked-by reply to 1/2, v2 (same shape) on Thursday, v3 on April
 *     14, the next week;
 *   - Bob's standalone selftest fix on Wednesday;
 *   - Carol's RFC libbpf patch on Friday;
 *   - a reply on Saturday, to Bob's patch.
 * Every mail is parsed with its body, as archive_load_body() gives it.
 */
#ifndef DIGEST_FIXTURE_H
#define DIGEST_FIXTURE_H

#include "mail.h"
#include "series.h"
#include "strbuf.h"

struct fixture {
	struct mail *mails[64];
	size_t nr;
	struct series_set set;
};

/*
 * A mail parsed from a few header values and a body: refs is a
 * space-separated list of Message-IDs, oldest first (NULL or "" for none;
 * the last is also the In-Reply-To).  flags are mail_parse()'s.  Fails
 * the test when it does not parse; free with mail_release() + free().
 */
static inline struct mail *fixture_mail(const char *from, const char *mid, const char *refs,
					const char *date, const char *subject, const char *body,
					unsigned flags)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	strbuf_addf(&raw, "From: %s\nMessage-ID: <%s>\nDate: %s\nSubject: %s\n", from, mid,
		    date, subject);
	if (refs && *refs) {
		const char *last = strrchr(refs, ' '), *p;

		strbuf_addf(&raw, "In-Reply-To: <%s>\nReferences:", last ? last + 1 : refs);
		for (p = refs; *p;) {
			size_t l = strcspn(p, " ");

			strbuf_addf(&raw, " <%.*s>", (int)l, p);
			p += l;
			while (*p == ' ')
				p++;
		}
		strbuf_addch(&raw, '\n');
	}
	strbuf_addf(&raw, "\n%s", body);
	if (mail_parse(m, raw.buf, raw.len, flags, &err) < 0)
		fail_msg("fixture does not parse: %s", err.buf);
	strbuf_release(&raw);
	strbuf_release(&err);
	return m;
}

static inline void fixture_add(struct fixture *f, const char *from, const char *mid,
			       const char *refs, const char *date, const char *subject,
			       const char *body)
{
	f->mails[f->nr++] = fixture_mail(from, mid, refs, date, subject, body, 0);
}

/* A patch body: message, trailers, notes, diffstat and a diff of path. */
static inline char *fixture_patch(const char *message, const char *notes, const char *path)
{
	return xstrfmt("%s\n\nSigned-off-by: Jane Dev <jane@x.org>\n---\n%s%s"
		       " %s | 1 +\n 1 file changed, 1 insertion(+)\n\n"
		       "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1,2 @@\n a\n+b\n",
		       message, notes, *notes ? "\n" : "", path, path, path, path, path);
}

#define JANE "Jane Dev <jane@x.org>"
#define MON "Mon, 6 Apr 2026 10:00:00 +0000"
#define WED "Wed, 8 Apr 2026 09:00:00 +0000"
#define THU "Thu, 9 Apr 2026 10:00:00 +0000"
#define FRI "Fri, 10 Apr 2026 23:30:00 -0200"	/* Saturday 01:30 UTC */
#define SAT "Sat, 11 Apr 2026 12:00:00 +0000"
#define NEXT_TUE "Tue, 14 Apr 2026 08:00:00 +0000"

static const char fixture_widget_message[] =
	"From: Jane Dev <jane@x.org>\n\n"
	"Maps of widgets cannot be created today, so programs keep widgets in\n"
	"arrays and search them, e.g. in the XDP path.  That is slow (see [1]).\n\n"
	"Add BPF_MAP_TYPE_WIDGET, which stores widgets by id.  Lookups take\n"
	"constant time.\n\n"
	"  $ bpftool map create /sys/fs/bpf/w type widget\n\n"
	"> Why not a hash map?\n"
	"Hash maps cannot hold widgets larger than a page.\n\n"
	"[1] https://lore.kernel.org/bpf/slow@x/\n\n"
	"Acked-by: Rev Iewer <rev@kernel.org>";

static inline void fixture_widgets(struct fixture *f)
{
	static const char *const mids[3][3] = {
		{ "c1@x", "p1@x", "s1@x" },
		{ "c2@x", "p2@x", "s2@x" },
		{ "c3@x", "p3@x", "s3@x" },
	};
	static const char *const dates[3] = { MON, THU, NEXT_TUE };
	static const char *const covers[3] = {
		"Hi all,\n\nThis series adds widget maps to BPF. Programs get constant-time "
		"lookups.\n\nJane Dev (2):\n  bpf: Add widget maps\n  selftests/bpf: Test "
		"widget maps\n\n 2 files changed, 2 insertions(+)\n",
		"This series adds widget maps to BPF. Programs get constant-time lookups.\n\n"
		"Changes in v2:\n- EDITME: describe what is new\n- Fix the refcount leak in "
		"widget_free().\n- Link to v1: https://lore.kernel.org/r/c1@x\n\n"
		"---\nbase-commit: 0123456789abcdef\nchange-id: 20260406-widgets-abc\n",
		"This series adds widget maps to BPF.\n\nv2 -> v3: Rebase on bpf-next.\n",
	};
	size_t v;

	memset(f, 0, sizeof(*f));
	for (v = 0; v < 3; v++) {
		char *subject, *refs, *p1, *p2;

		subject = xstrfmt("[PATCH bpf-next%s 0/2] bpf: Widget support",
				  v ? (v == 1 ? " v2" : " v3") : "");
		fixture_add(f, JANE, mids[v][0], NULL, dates[v], subject, covers[v]);
		free(subject);

		subject = xstrfmt("[PATCH bpf-next%s 1/2] bpf: Add widget maps",
				  v ? (v == 1 ? " v2" : " v3") : "");
		p1 = fixture_patch(fixture_widget_message,
				   v == 1 ? "v2: fix the refcount leak in widget_free()\n" : "",
				   "kernel/bpf/widget.c");
		fixture_add(f, JANE, mids[v][1], mids[v][0], dates[v], subject, p1);
		free(subject);
		free(p1);

		subject = xstrfmt("[PATCH bpf-next%s 2/2] selftests/bpf: Test widget maps",
				  v ? (v == 1 ? " v2" : " v3") : "");
		p2 = fixture_patch("Test the widget map type.", "",
				   "tools/testing/selftests/bpf/prog_tests/widget.c");
		fixture_add(f, JANE, mids[v][2], mids[v][0], dates[v], subject, p2);
		free(subject);
		free(p2);

		if (!v) {
			refs = xstrfmt("%s %s", mids[0][0], mids[0][1]);
			fixture_add(f, "Rev Iewer <rev@kernel.org>", "r1@x", refs, MON,
				    "Re: [PATCH bpf-next 1/2] bpf: Add widget maps",
				    "> Add BPF_MAP_TYPE_WIDGET\n\nNice.\n\n"
				    "Acked-by: Rev Iewer <rev@kernel.org>\n");
			free(refs);
		}
	}
	{
		char *body = xstrfmt("The test sleeps one second too few on slow machines.\n"
				     "Wait for the event instead of sleeping.\n\n"
				     "Signed-off-by: Bob <bob@y.org>\n---\n"
				     " tools/testing/selftests/bpf/test_flaky.c | 1 +\n\n"
				     "diff --git a/tools/testing/selftests/bpf/test_flaky.c "
				     "b/tools/testing/selftests/bpf/test_flaky.c\n@@ -1 +1 @@\n-a\n+b\n");

		fixture_add(f, "Bob <bob@y.org>", "b1@y", NULL, WED,
			    "[PATCH bpf] selftests/bpf: Fix flaky test", body);
		free(body);
		body = xstrfmt("libbpf cannot attach foo programs. Support them in "
			       "bpf_program__attach().\n\nSigned-off-by: Carol <carol@z.org>\n---\n"
			       " tools/lib/bpf/libbpf.c | 1 +\n\n"
			       "diff --git a/tools/lib/bpf/libbpf.c b/tools/lib/bpf/libbpf.c\n"
			       "@@ -1 +1 @@\n-a\n+b\n");
		fixture_add(f, "Carol <carol@z.org>", "rfc1@z", NULL, FRI,
			    "[RFC PATCH bpf-next] libbpf: Support foo programs", body);
		free(body);
		fixture_add(f, "Dan <dan@w.org>", "d1@w", "b1@y", SAT,
			    "Re: [PATCH bpf] selftests/bpf: Fix flaky test",
			    "> Wait for the event\n\nLooks right to me.\n");
	}
	series_build(&f->set, f->mails, f->nr);
}

static inline void fixture_release(struct fixture *f)
{
	size_t i;

	series_set_release(&f->set);
	for (i = 0; i < f->nr; i++) {
		mail_release(f->mails[i]);
		free(f->mails[i]);
	}
}

static inline struct series_patch *fixture_patch_of(struct fixture *f, const char *mid)
{
	struct series_patch *p = series_find(&f->set, mid);

	assert_non_null(p);
	return p;
}

#endif
