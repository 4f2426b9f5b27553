#include "series-fixture.h"
#include "archive.h"

#include <stdio.h>
#include <stdlib.h>

static void test_cover_patches_reroll_reviews(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d1 = "Mon, 6 Apr 2026 10:00:00 +0000", *d2 = "Thu, 9 Apr 2026 10:00:00 +0000";
	struct series *s;
	struct series_revision *v1, *v2;
	struct series_patch *p;

	add(&ms, jane, "c1@x", NULL, d1, "[PATCH bpf-next 0/2] bpf: Widget support", cover_body);
	add(&ms, jane, "p2@x", "c1@x", d1, "[PATCH bpf-next 2/2] selftests/bpf: Test widgets", diff);
	add(&ms, jane, "p1@x", "c1@x", d1, "[PATCH bpf-next 1/2] bpf: Add widgets", diff);
	add(&ms, "Rev <rev@kernel.org>", "r1@x", "c1@x p1@x", d1,
	    "Re: [PATCH bpf-next 1/2] bpf: Add widgets",
	    "> quoted\n> Acked-by: Quoted <q@x.org>\n\nAcked-by: Rev <rev@kernel.org>\n");
	add(&ms, "Bot <bot+bpf-ci@kernel.org>", "b1@x", "c1@x p1@x", d1,
	    "Re: [PATCH bpf-next 1/2] bpf: Add widgets", "AI review\n");
	/* A reply to a reply still belongs to the patch; its trailer names someone else. */
	add(&ms, jane, "r1b@x", "c1@x p1@x r1@x", d1, "Re: [PATCH bpf-next 1/2] bpf: Add widgets",
	    "Thanks.\n\nAcked-by: Other <other@x.org>\n");
	add(&ms, jane, "c2@x", NULL, d2, "[PATCH bpf-next v2 0/2] bpf: Widget support", cover_body);
	add(&ms, jane, "q1@x", "c2@x", d2, "[PATCH bpf-next v2 1/2] bpf: Add widgets", diff);
	add(&ms, jane, "q2@x", "c2@x", d2, "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets",
	    diff);
	add(&ms, "Rev2 <rev2@kernel.org>", "r2@x", "c2@x", d2,
	    "Re: [PATCH bpf-next v2 0/2] bpf: Widget support",
	    "Reviewed-by: Rev2 <rev2@kernel.org>\n");
	add(&ms, "Rev3 <rev3@kernel.org>", "r3@x", "c2@x", d2,
	    "Re: [PATCH bpf-next v2 0/2] bpf: Widget support",
	    "Tested-by: <rev3@kernel.org>\nReviewed-by: Rev3\n");

	set = build(&ms);
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
	assert_int_equal(revision_status(v1), SERIES_SUPERSEDED);
	assert_int_equal(revision_status(v2), SERIES_POSTED);
	assert_int_equal(patch_status(v1->patches[1]), SERIES_SUPERSEDED);
	assert_string_equal(v1->tree, "bpf-next");
	assert_non_null(v1->cover);
	assert_int_equal(v1->patches_nr, 2);
	/* Out-of-order arrival is put back in order. */
	assert_string_equal(v1->patches[0]->mail->mid, "p1@x");
	p = v1->patches[0];
	assert_int_equal(p->replies_nr, 3);
	assert_int_equal(p->human_replies, 2);
	assert_int_equal(p->reviews_nr, 1);
	assert_string_equal(p->reviews[0].trailer, "Acked-by");
	assert_string_equal(p->reviews[0].name, "Rev");
	assert_string_equal(p->reviews[0].email, "rev@kernel.org");
	assert_string_equal(p->reviews[0].given_in->mid, "r1@x");
	assert_int_equal(v1->participants, 1);
	/* A review of the cover applies to every patch; a bare name is not a review. */
	assert_int_equal(v2->patches[0]->reviews_nr, 2);
	assert_int_equal(v2->patches[1]->reviews_nr, 2);
	assert_string_equal(v2->patches[1]->reviews[0].trailer, "Reviewed-by");
	assert_string_equal(v2->patches[1]->reviews[1].trailer, "Tested-by");
	assert_int_equal(v2->participants, 2);
	assert_ptr_equal(series_find(&set, "r1@x"), p);
	assert_ptr_equal(series_find(&set, "r1b@x"), p);
	assert_ptr_equal(series_latest(s), v2);
	assert_ptr_equal(revision_patch(v2, 2), v2->patches[1]);
	assert_ptr_equal(revision_patch(v2, 0), v2->cover);
	assert_ptr_equal(series_current_patch(s, 1), v2->patches[0]);
	release(&ms, &set);
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

/* Robots that write from a person's address say so in their name. */
static void test_bot_names(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d = "Mon, 6 Apr 2026 10:00:00 +0000";

	add(&ms, jane, "p@x", NULL, d, "[PATCH] bpf: x", diff);
	add(&ms, "kernel test robot <oliver.sang@intel.com>", "r1@x", "p@x", d, "Re: [PATCH] bpf: x",
	    "Hi,\n\nFYI, we noticed a regression.\n");
	add(&ms, "Oliver Sang <oliver.sang@intel.com>", "r2@x", "p@x", d, "Re: [PATCH] bpf: x",
	    "Sorry, that one was wrong.\n");
	add(&ms, "Abbott Talbot <abbott@example.org>", "r3@x", "p@x", d, "Re: [PATCH] bpf: x", "ok\n");
	/* The author answering from home is no participant. */
	add(&ms, "Jane Dev <jane@home.example>", "r4@x", "r3@x", d, "Re: [PATCH] bpf: x", "thx\n");
	set = build(&ms);
	assert_int_equal(series_find(&set, "p@x")->replies_nr, 4);
	assert_int_equal(series_find(&set, "p@x")->human_replies, 3);
	assert_int_equal(series_find(&set, "p@x")->revision->participants, 2);
	assert_true(series_mail_is_bot(ms.v[1]));
	assert_false(series_mail_is_bot(ms.v[2]));
	release(&ms, &set);
}

/*
 * Threads survive what real archives do to references: loops, ids that
 * point at themselves, missing middle messages, deep threading.
 */
static void test_broken_references(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d = "Tue, 7 Apr 2026 10:00:00 +0000";
	struct series_revision *rev;

	add(&ms, jane, "c@x", NULL, d, "[PATCH 0/4] deep", cover_body);
	add(&ms, jane, "p1@x", "c@x", d, "[PATCH 1/4] one", diff);
	/* p2 is not in the archive; p3 answers it and names the others. */
	add(&ms, jane, "p3@x", "c@x p1@x p2@x", d, "[PATCH 3/4] three", diff);
	add(&ms, jane, "p4@x", "c@x p1@x p2@x p3@x", d, "[PATCH 4/4] four", diff);
	/* Two replies that answer each other, and one that answers itself. */
	add(&ms, "A <a@y.org>", "loop1@x", "loop2@x", d, "Re: loop", "a\n");
	add(&ms, "B <b@y.org>", "loop2@x", "loop1@x", d, "Re: loop", "b\n");
	add(&ms, "C <c@y.org>", "self@x", "self@x", d, "Re: [PATCH 4/4] four", "c\n");
	add(&ms, "D <d@y.org>", "deep@x", "c@x p1@x p2@x p3@x p4@x", d, "Re: [PATCH 4/4] four",
	    "Reviewed-by: D <d@y.org>\n");

	set = build(&ms);
	assert_int_equal(set.cycles, 1);
	assert_int_equal(set.nr, 1);
	rev = set.series[0]->revisions[0];
	assert_non_null(rev->cover);
	assert_int_equal(rev->patches_nr, 3);
	assert_int_equal(rev->total, 4);
	assert_null(revision_patch(rev, 2));
	assert_int_equal(revision_patch(rev, 4)->reviews_nr, 1);
	assert_null(series_find(&set, "loop1@x"));
	assert_null(series_find(&set, "self@x"));
	release(&ms, &set);
}

/*
 * Some servers (qq.com) rewrite the Message-ID of what is sent: the cover
 * then stands alone and its patches answer an id nobody has.
 */
static void test_rewritten_cover_id(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct series_revision *rev;

	add(&ms, jane, "tencent_1@qq.com", NULL, "Tue, 5 Sep 2023 22:04:17 +0800",
	    "[PATCH bpf-next v11 0/2] selftests/bpf: Optimize kallsyms cache", cover_body);
	add(&ms, jane, "tencent_2@qq.com", "cover.1693922135.git.j@x.org",
	    "Tue, 5 Sep 2023 22:04:18 +0800",
	    "[PATCH bpf-next v11 1/2] selftests/bpf: trace_helpers.c: optimize kallsyms cache",
	    diff);
	add(&ms, jane, "tencent_3@qq.com", "cover.1693922135.git.j@x.org",
	    "Tue, 5 Sep 2023 22:04:19 +0800",
	    "[PATCH bpf-next v11 2/2] selftests/bpf: trace_helpers.c: Add a global", diff);
	/* Someone else's patches answering a missing cover stay apart. */
	add(&ms, "Other <o@y.org>", "o1@y", "cover.1@y", "Tue, 5 Sep 2023 22:05:00 +0800",
	    "[PATCH bpf-next v11 1/2] other", diff);

	set = build(&ms);
	assert_int_equal(set.nr, 2);
	rev = series_of(&set, "tencent_2@qq.com")->revisions[0];
	assert_non_null(rev->cover);
	assert_string_equal(rev->cover->mail->mid, "tencent_1@qq.com");
	assert_int_equal(rev->patches_nr, 2);
	assert_int_equal(series_of(&set, "o1@y")->revisions[0]->patches_nr, 1);
	release(&ms, &set);
}

/* A cover whose "0/n" disagrees with its patches still gets them. */
static void test_cover_with_wrong_total(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct series_revision *rev;
	const char *d = "Wed, 13 Apr 2022 16:41:14 +0300";

	add(&ms, jane, "c@x", NULL, d, "[PATCH bpf-next v5 0/5] New BPF helpers", cover_body);
	add(&ms, jane, "p1@x", "c@x", d, "[PATCH bpf-next v5 1/6] one", diff);
	add(&ms, jane, "p2@x", "c@x", d, "[PATCH bpf-next v5 2/6] two", diff);

	set = build(&ms);
	assert_int_equal(set.nr, 1);
	assert_int_equal(set.series[0]->revisions_nr, 1);
	rev = set.series[0]->revisions[0];
	assert_int_equal(rev->total, 6);
	assert_int_equal(rev->patches_nr, 2);
	assert_non_null(rev->cover);
	release(&ms, &set);
}

/* A reply that lost its "Re:" is still a reply; the author's own text-only patch is not. */
static void test_reply_without_re(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d = "Mon, 6 Apr 2026 10:00:00 +0000";

	add(&ms, jane, "p@x", NULL, d, "[PATCH] bpf: x", diff);
	add(&ms, "R <r@y.org>", "r@x", "p@x", d, "[PATCH] bpf: x",
	    "> quoted\n\nReviewed-by: R <r@y.org>\n");
	add(&ms, jane, "t@x", NULL, d, "[RFC PATCH] bpf: an idea in words", "No code yet.\n");

	set = build(&ms);
	assert_int_equal(set.nr, 2);
	assert_int_equal(series_find(&set, "p@x")->replies_nr, 1);
	assert_int_equal(series_find(&set, "p@x")->reviews_nr, 1);
	assert_true(series_find(&set, "t@x")->revision->flags & REVISION_RFC);
	release(&ms, &set);
}

/* Pull requests are postings of their own. */
static void test_pull_request(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	const char *d = "Mon, 6 Apr 2026 10:00:00 +0000";

	add(&ms, "Daniel <daniel@x.org>", "pr@x", NULL, d, "pull-request: bpf-next 2026-04-06",
	    "Hi David,\n\nThe following changes since commit 0123456789ab:\n\n  x (2026-04-01)\n\n"
	    "are available in the Git repository at:\n\n  https://git.kernel.org/x\n");
	add(&ms, "Dave <dave@x.org>", "re@x", "pr@x", d, "Re: pull-request: bpf-next 2026-04-06",
	    "Pulled.\n");

	set = build(&ms);
	assert_int_equal(set.nr, 1);
	assert_true(set.series[0]->revisions[0]->flags & REVISION_PULL);
	assert_string_equal(set.series[0]->revisions[0]->tree, "bpf-next");
	assert_int_equal(series_find(&set, "re@x")->replies_nr, 1);
	release(&ms, &set);
}

/*
 * Patchwork's own series tests: the numbers of covers, patches and
 * comments, and the split into series (our revisions), of every mbox.
 */
struct pw_case {
	char *file;
	size_t messages, covers, patches, comments;
	char *series_patches, *series_covers;
};

static int cmp_rev_date(const void *a, const void *b)
{
	const struct series_revision *x = *(const struct series_revision *const *)a;
	const struct series_revision *y = *(const struct series_revision *const *)b;

	return x->date < y->date ? -1 : x->date > y->date;
}

static void test_patchwork_case(void **state)
{
	const struct pw_case *c = *state;
	struct mails ms = { 0 };
	struct series_set set;
	struct series_revision **revs = NULL;
	size_t nrevs = 0, alloc = 0, covers = 0, patches = 0, comments = 0, i, j;
	struct strbuf sp = STRBUF_INIT, sc = STRBUF_INIT;
	char *path, *rel = xstrfmt("patchwork/series/%s", c->file);

	UNIT_CORPUS_OR_SKIP(path, rel);
	free(rel);
	load_mbox(&ms, path);
	free(path);
	set = build(&ms);
	for (i = 0; i < set.nr; i++)
		for (j = 0; j < set.series[i]->revisions_nr; j++) {
			ALLOC_GROW(revs, nrevs + 1, alloc);
			revs[nrevs++] = set.series[i]->revisions[j];
		}
	qsort(revs, nrevs, sizeof(*revs), cmp_rev_date);
	for (i = 0; i < nrevs; i++) {
		struct series_revision *rev = revs[i];

		covers += !!rev->cover;
		patches += rev->patches_nr;
		comments += rev->cover ? rev->cover->replies_nr : 0;
		for (j = 0; j < rev->patches_nr; j++)
			comments += rev->patches[j]->replies_nr;
		strbuf_addf(&sp, "%s%zu", i ? "," : "", rev->patches_nr);
		strbuf_addf(&sc, "%s%d", i ? "," : "", !!rev->cover);
	}
	assert_int_equal(ms.nr, c->messages);
	if (c->series_patches) {
		assert_int_equal(covers, c->covers);
		assert_int_equal(patches, c->patches);
		assert_int_equal(comments, c->comments);
		if (*c->series_patches)
			assert_string_equal(sp.buf, c->series_patches);
		/* Patchwork leaves covers out of its assertion when a series has none. */
		if (*c->series_covers)
			assert_string_equal(sc.buf, c->series_covers);
	} else {
		/* The dependency cases: a cover and two patches, one revision. */
		assert_int_equal(nrevs, 1);
		assert_non_null(revs[0]->cover);
		assert_int_equal(revs[0]->patches_nr, 2);
	}
	free(revs);
	strbuf_release(&sp);
	strbuf_release(&sc);
	release(&ms, &set);
}

static char *field(char **line)
{
	char *f = *line, *tab = strchr(f, '\t');

	if (tab) {
		*tab = '\0';
		*line = tab + 1;
	} else {
		*line = f + strlen(f);
	}
	return f;
}

/* expected.tsv, one case per row; NULL when the corpus is absent. */
static struct pw_case *patchwork_cases(size_t *nr)
{
	char *path = unit_corpus_path("patchwork/expected.tsv");
	struct strbuf sb = STRBUF_INIT;
	struct pw_case *cases = NULL;
	size_t alloc = 0;
	char *line, *next;

	*nr = 0;
	if (!path)
		return NULL;
	unit_read_file(&sb, path);
	free(path);
	for (line = strchr(sb.buf, '\n') + 1; *line; line = next) {
		struct pw_case *c;
		char *col;

		next = strchr(line, '\n');
		*next++ = '\0';
		ALLOC_GROW(cases, *nr + 1, alloc);
		c = &cases[(*nr)++];
		memset(c, 0, sizeof(*c));
		c->file = xstrdup(field(&line));
		field(&line);
		c->messages = strtoul(field(&line), NULL, 10);
		col = field(&line);
		c->covers = strtoul(col, NULL, 10);
		c->patches = strtoul(field(&line), NULL, 10);
		c->comments = strtoul(field(&line), NULL, 10);
		if (*col) {
			c->series_patches = xstrdup(field(&line));
			c->series_covers = xstrdup(field(&line));
		}
	}
	strbuf_release(&sb);
	return cases;
}

/*
 * b4's trailer-collection samples: the review trailers each patch ends
 * up with in b4's reference output are this patch's reviews.
 */
static void reviews_of_ref(struct strbuf *out, const char *ref, const char *mid)
{
	static const char *const ends[] = { "\n---\n", "\ndiff --git ", "\nFrom git@z " };
	const char *p = strstr(ref, mid), *end = p + strlen(p), *e;
	size_t i;

	assert_non_null(p);
	/* The message ends at its "---", its diff or the next message. */
	for (i = 0; i < ARRAY_SIZE(ends); i++)
		if ((e = strstr(p, ends[i])) && e < end)
			end = e;
	while ((p = strchr(p, '\n')) && p < end) {
		static const char *const keys[] = { "Reviewed-by: ", "Acked-by: ", "Tested-by: " };

		p++;
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strncmp(p, keys[i], strlen(keys[i])))
				strbuf_addf(out, "%.*s\n", (int)strcspn(p, "\n"), p);
	}
}

static void reviews_of_patch(struct strbuf *out, const struct series_patch *p)
{
	size_t i;

	for (i = 0; i < p->reviews_nr; i++)
		strbuf_addf(out, "%s: %s <%s>\n", p->reviews[i].trailer, p->reviews[i].name,
			    p->reviews[i].email);
}

static void check_b4_case(const char *name, size_t npatches)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct strbuf ref = STRBUF_INIT;
	char *mbox, *refpath, *rel;
	const char *p;
	size_t seen = 0;

	rel = xstrfmt("b4/trailers-followup-%s.mbox", name);
	UNIT_CORPUS_OR_SKIP(mbox, rel);
	free(rel);
	rel = xstrfmt("b4/trailers-followup-%s-ref-defaults.txt", name);
	refpath = unit_corpus_path(rel);
	free(rel);
	load_mbox(&ms, mbox);
	unit_read_file(&ref, refpath);
	set = build(&ms);
	/* Each patch of the reference, found by its Message-Id. */
	for (p = ref.buf; (p = strstr(p, "\nMessage-Id: <")); p++) {
		char *mid = xstrndup(p + 14, strcspn(p + 14, ">"));
		struct series_patch *patch = strmap_get(&set.by_mid, mid);
		struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;

		if (!patch)
			fail_msg("%s: patch <%s> was not assembled", name, mid);
		/* b4 applies the newest posting of each position. */
		if (series_current_patch(patch->revision->series, patch->subject.position) != patch)
			fail_msg("%s: <%s> is not the newest of its position", name, mid);
		reviews_of_ref(&want, p, mid);
		reviews_of_patch(&got, patch);
		if (strcmp(want.buf, got.buf))
			fail_msg("%s <%s>: b4 gives\n%sbut we have\n%s", name, mid, want.buf, got.buf);
		strbuf_release(&want);
		strbuf_release(&got);
		free(mid);
		seen++;
	}
	assert_int_equal(seen, npatches);
	strbuf_release(&ref);
	free(mbox);
	free(refpath);
	release(&ms, &set);
}

static void test_b4_trailers(void **state)
{
	static const struct {
		const char *name;
		size_t patches;
	} cases[] = {
		{ "single", 1 },		{ "with-cover", 2 },	{ "partial-reroll", 2 },
		{ "nore", 1 },			{ "non-git-patch", 1 },	{ "with-diffstat", 1 },
		{ "name-parens", 1 },		{ "bare-address", 1 },	{ "stripped-lines", 1 },
		{ "htmljunk", 1 },		{ "non-git-patch-with-comments", 1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_b4_case(cases[i].name, cases[i].patches);
}

/* A follow-up that repeats a trailer the patch carries adds nothing. */
static void test_b4_already_present(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	char *path;
	size_t i, j;

	UNIT_CORPUS_OR_SKIP(path, "b4/trailers-followup-already-present.mbox");
	load_mbox(&ms, path);
	free(path);
	set = build(&ms);
	assert_int_equal(set.nr, 1);
	for (i = 0; i < set.series[0]->revisions[0]->patches_nr; i++) {
		const struct series_patch *p = set.series[0]->revisions[0]->patches[i];

		for (j = 1; j < p->reviews_nr; j++)
			assert_false(!strcasecmp(p->reviews[j].email, p->reviews[j - 1].email) &&
				     !strcmp(p->reviews[j].trailer, p->reviews[j - 1].trailer));
	}
	release(&ms, &set);
}

/* b4's naked covers: the author's own thread root is a cover, a bug report is not. */
static void test_b4_naked_covers(void **state)
{
	struct mails ms = { 0 };
	struct series_set set;
	char *path;

	UNIT_CORPUS_OR_SKIP(path, "b4/naked-cover-single.mbox");
	load_mbox(&ms, path);
	free(path);
	set = build(&ms);
	assert_int_equal(set.nr, 1);
	assert_string_equal(set.series[0]->title, "do a thing to the widget subsystem");
	assert_non_null(set.series[0]->revisions[0]->cover);
	assert_int_equal(set.series[0]->revisions[0]->patches_nr, 1);
	release(&ms, &set);

	path = unit_corpus_path("b4/naked-cover-bugreport.mbox");
	load_mbox(&ms, path);
	free(path);
	set = build(&ms);
	assert_int_equal(set.nr, 1);
	assert_string_equal(set.series[0]->title, "widget: fix data corruption under load");
	assert_null(set.series[0]->revisions[0]->cover);
	release(&ms, &set);
}

/* b4's thread samples: the trailers of the applied patches (.verify). */
static void check_b4_verify(const char *mbox_name, const char *verify_name)
{
	struct mails ms = { 0 };
	struct series_set set;
	struct strbuf verify = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
	char *path, *rel = xstrfmt("b4/%s", mbox_name);
	const struct series_revision *rev;
	const char *p;
	size_t i, j;

	UNIT_CORPUS_OR_SKIP(path, rel);
	free(rel);
	load_mbox(&ms, path);
	free(path);
	rel = xstrfmt("b4/%s", verify_name);
	path = unit_corpus_path(rel);
	free(rel);
	unit_read_file(&verify, path);
	free(path);
	set = build(&ms);
	assert_int_equal(set.nr, 1);
	rev = series_latest(set.series[0]);
	/* git log order is newest first: the last patch comes first. */
	for (i = rev->patches_nr; i-- > 0;)
		for (j = 0; j < rev->patches[i]->reviews_nr; j++)
			if (rev->patches[i]->reviews[j].given_in != rev->patches[i]->mail)
				strbuf_addf(&got, "%s: %s <%s>\n", rev->patches[i]->reviews[j].trailer,
					    rev->patches[i]->reviews[j].name,
					    rev->patches[i]->reviews[j].email);
	for (p = verify.buf; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
		if (!strncmp(p, "Reviewed-by: ", 13) || !strncmp(p, "Acked-by: ", 10) ||
		    !strncmp(p, "Tested-by: ", 11))
			strbuf_addf(&want, "%.*s\n", (int)strcspn(p, "\n"), p);
	assert_string_equal(got.buf, want.buf);
	strbuf_release(&verify);
	strbuf_release(&got);
	strbuf_release(&want);
	release(&ms, &set);
}

static void test_b4_thread_verify(void **state)
{
	check_b4_verify("trailers-thread-with-followups.mbox", "trailers-thread-with-followups.verify");
	check_b4_verify("trailers-thread-with-cover-followup.mbox",
			"trailers-thread-with-cover-followup.verify");
}

/* The real archive as an inbox in a temporary directory; the path, or NULL. */
static char *corpus_inbox(void)
{
	char *bundle = unit_corpus_path("bpf-list.bundle"), *script, *cmd, *dir;
	const char *tmp = getenv("TMPDIR");

	if (!bundle)
		return NULL;
	dir = xstrfmt("%s/bpfdigest-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		fail_msg("cannot create a temporary directory");
	script = unit_corpus_path("make-inbox");
	cmd = xstrfmt("'%s' '%s' '%s/inbox' >/dev/null 2>&1", script, bundle, dir);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
	free(cmd);
	free(script);
	free(bundle);
	return dir;
}

static void remove_dir(char *dir)
{
	char *cmd = xstrfmt("rm -rf '%s'", dir);

	if (system(cmd))
		print_message("cannot remove %s\n", dir);
	free(cmd);
	free(dir);
}

/* "[bpf-next,v2,1/3] bpf: x" or "bpf: x" -> "bpf x" */
static char *normalized_title(const char *s)
{
	struct subject subj;
	char *n;

	subject_parse(&subj, s);
	n = subject_normalize(subj.title);
	subject_release(&subj);
	return n;
}

static int has_patch_titled(const struct series *s, const char *norm)
{
	size_t i, j;

	for (i = 0; i < s->revisions_nr; i++)
		for (j = 0; j < s->revisions[i]->patches_nr; j++) {
			char *n = normalized_title(s->revisions[i]->patches[j]->subject.title);
			int eq = !strcmp(n, norm);

			free(n);
			if (eq)
				return 1;
		}
	return 0;
}

/*
 * gold-pwbot.tsv: every patchwork-bot line of the real archive names the
 * patch it says, on the tree and branch it says; a line we cannot resolve
 * names a patch that is not in the archive.
 */
static void test_pwbot_gold(void **state)
{
	struct archive a = ARCHIVE_INIT;
	struct series_set set = SERIES_SET_INIT;
	struct strmap found = STRMAP_INIT_DUP;
	struct strbuf tsv = STRBUF_INIT;
	char *gold, *dir, *inbox, *line, *next;
	const char *loc;
	size_t i, rows = 0, resolved = 0, absent = 0;

	UNIT_CORPUS_OR_SKIP(gold, "gold-pwbot.tsv");
	dir = corpus_inbox();
	inbox = xstrfmt("%s/inbox", dir);
	loc = inbox;
	archive_open(&a, &loc, 1);
	assert_int_equal(archive_update(&a), 0);
	assert_int_equal(series_build(&set, a.mails, a.nr), 0);
	for (i = 0; i < set.applied_nr; i++) {
		char *key = xstrfmt("%s %s", set.applied[i].notice->mid, set.applied[i].commit);

		assert_null(strmap_put(&found, key, &set.applied[i]));
		free(key);
	}
	unit_read_file(&tsv, gold);
	for (line = strchr(tsv.buf, '\n') + 1; *line; line = next) {
		char *notice, *tree, *hash, *summary, *key, *want, *got, *at;
		const struct series_applied *x;

		next = strchr(line, '\n');
		*next++ = '\0';
		notice = field(&line);
		field(&line);
		field(&line);
		if (strcmp(field(&line), "yes"))
			continue;
		field(&line);
		tree = field(&line);
		hash = field(&line);
		field(&line);
		summary = field(&line);
		rows++;
		key = xstrfmt("%s %s", notice, hash);
		x = strmap_get(&found, key);
		free(key);
		want = normalized_title(summary);
		if (!x) {
			/* Not resolved: the notice's series must lack that patch. */
			const struct series_patch *n = series_find(&set, notice);

			if (n && has_patch_titled(n->revision->series, want))
				fail_msg("'%s' (%s) is in the archive but was not resolved", summary,
					 hash);
			absent++;
			free(want);
			continue;
		}
		got = normalized_title(x->patch->subject.title);
		at = strchr(tree, '@');
		*at = '\0';
		if (!strncmp(at + 1, "refs/heads/", 11))
			at += 11;
		if (strcmp(got, want) || strcmp(x->tree, tree) || strcmp(x->branch, at + 1))
			fail_msg("'%s' resolved to '%s' on %s (%s)", summary, x->patch->subject.title,
				 x->tree, x->branch);
		resolved++;
		free(want);
		free(got);
	}
	print_message("%zu gold lines: %zu resolved, %zu name patches not in the archive\n", rows,
		      resolved, absent);
	assert_int_equal(rows, 843);
	assert_true(resolved >= 800);
	/* Nothing resolved that the gold does not list. */
	assert_int_equal(set.applied_nr, resolved);
	strmap_clear(&found);
	strbuf_release(&tsv);
	series_set_release(&set);
	archive_release(&a);
	free(inbox);
	free(gold);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_cover_patches_reroll_reviews),
		cmocka_unit_test(test_bots),
		cmocka_unit_test(test_bot_names),
		cmocka_unit_test(test_broken_references),
		cmocka_unit_test(test_rewritten_cover_id),
		cmocka_unit_test(test_cover_with_wrong_total),
		cmocka_unit_test(test_reply_without_re),
		cmocka_unit_test(test_pull_request),
		cmocka_unit_test(test_b4_trailers),
		cmocka_unit_test(test_b4_already_present),
		cmocka_unit_test(test_b4_naked_covers),
		cmocka_unit_test(test_b4_thread_verify),
		cmocka_unit_test(test_pwbot_gold),
	};
	size_t nr, i, n = ARRAY_SIZE(fixed);
	struct pw_case *cases = patchwork_cases(&nr), **states;
	struct CMUnitTest *tests;
	int ret;

	CALLOC_ARRAY(tests, n + nr);
	CALLOC_ARRAY(states, nr ? nr : 1);
	memcpy(tests, fixed, sizeof(fixed));
	/* One test per patchwork mbox, named after it. */
	for (i = 0; i < nr; i++) {
		states[i] = &cases[i];
		tests[n + i].name = xstrfmt("patchwork %s", cases[i].file);
		tests[n + i].test_func = test_patchwork_case;
		tests[n + i].initial_state = states[i];
	}
	ret = unit_run("series", tests, n + nr);
	for (i = 0; i < nr; i++) {
		free((char *)tests[n + i].name);
		free(cases[i].file);
		free(cases[i].series_patches);
		free(cases[i].series_covers);
	}
	free(states);
	free(cases);
	free(tests);
	return ret;
}
