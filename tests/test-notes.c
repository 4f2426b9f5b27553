#include "unit.h"
#include "link.h"
#include "mail.h"
#include "notes.h"
#include "state.h"
#include "series.h"
#include "strbuf.h"

#include <git2.h>
#include <pthread.h>
#include <stdio.h>

/* --- the note ------------------------------------------------------------------- */

struct fixture {
	struct mail *mails[16];
	size_t nr;
	struct series_set set;
};

static void add(struct fixture *f, const char *from, const char *mid, const char *reply_to,
		const char *date, const char *subject, const char *body)
{
	f->mails[f->nr++] = unit_mail(from, mid, reply_to, date, subject, body,
				      MAIL_PARSE_FACTS_ONLY);
}

static void release(struct fixture *f)
{
	size_t i;

	series_set_release(&f->set);
	for (i = 0; i < f->nr; i++) {
		mail_release(f->mails[i]);
		free(f->mails[i]);
	}
}

static const char diff[] = "Add.\n\nSigned-off-by: J <jane@x.org>\n---\n"
			   "diff --git a/k.c b/k.c\n--- a/k.c\n+++ b/k.c\n@@ -1 +1 @@\n-a\n+b\n";

static void widgets(struct fixture *f)
{
	const char *jane = "Jane Dev <jane@x.org>";
	struct series_set init = SERIES_SET_INIT;

	f->nr = 0;
	f->set = init;
	add(f, jane, "c1@x", NULL, "Mon, 6 Apr 2026 10:00:00 +0000", "[PATCH bpf-next 0/2] bpf: Widget support", "v1\n");
	add(f, jane, "p1@x", "c1@x", "Mon, 6 Apr 2026 10:00:01 +0000", "[PATCH bpf-next 1/2] bpf: Add widgets", diff);
	add(f, jane, "p2@x", "c1@x", "Mon, 6 Apr 2026 10:00:02 +0000", "[PATCH bpf-next 2/2] selftests/bpf: Test widgets", diff);
	add(f, jane, "c2@x", NULL, "Thu, 9 Apr 2026 10:00:00 +0000", "[PATCH bpf-next v2 0/2] bpf: Widget support", "v2\n");
	add(f, jane, "a/b@x", "c2@x", "Thu, 9 Apr 2026 10:00:01 +0000", "[PATCH bpf-next v2 1/2] bpf: Add widgets", diff);
	add(f, jane, "q2@x", "c2@x", "Thu, 9 Apr 2026 10:00:02 +0000", "[PATCH bpf-next v2 2/2] selftests/bpf: Test widgets", diff);
	add(f, "Rev Iewer <rev@kernel.org>", "r1@x", "a/b@x", "Fri, 10 Apr 2026 10:00:00 +0000",
	    "Re: [PATCH bpf-next v2 1/2] bpf: Add widgets", "> quoted\n\nAcked-by: Rev Iewer <rev@kernel.org>\n");
	series_build(&f->set, f->mails, f->nr);
}

static void test_format(void **state)
{
	struct fixture f;
	struct link_commit lc;
	struct strbuf sb = STRBUF_INIT;

	widgets(&f);
	memset(&lc, 0, sizeof(lc));
	lc.patch = series_find(&f.set, "a/b@x");
	lc.method = LINK_TRAILER;
	lc.confidence = LINK_LIKELY;
	notes_format(&sb, &lc, NULL, "It adds widgets. It is patch 1/2.", NULL);
	assert_string_equal(sb.buf,
			    "Posted-as: [PATCH bpf-next v2 1/2] bpf: Add widgets\n"
			    "Series: bpf: Widget support (v2, 2 patches) by Jane Dev\n"
			    "Revisions: v1 2026-04-06, v2 2026-04-09\n"
			    "Acked-by: Rev Iewer <rev@kernel.org>\n"
			    "State: partially-applied (v2)\n"
			    "Matched-by: link (likely)\n"
			    "Link: https://lore.kernel.org/all/a%2Fb@x/\n"
			    "Generated-by: git-bpfdigest\n"
			    "\n"
			    "It adds widgets. It is patch 1/2.\n");
	strbuf_reset(&sb);
	/* Edited on the way in: a line per file, after the state. */
	{
		struct state_file_change files[] = { { "kernel/bpf/widget.c", 2, 1 },
						     { "include/linux/widget.h", 0, 3 } };
		struct state_changes changes = { files, 2, 2, 2, 4 };

		notes_format(&sb, &lc, &changes, "", NULL);
		assert_non_null(strstr(sb.buf, "State: partially-applied (v2)\n"
					       "Applied-with-changes: kernel/bpf/widget.c +2 -1\n"
					       "Applied-with-changes: include/linux/widget.h +0 -3\n"
					       "Matched-by: link (likely)\n"));
	}
	strbuf_reset(&sb);
	/* A long summary is wrapped at 72 columns, as a commit message. */
	notes_format(&sb, &lc, NULL, "Widgets are small and many; each map of them is an array of counters that "
		     "programs bump without locks. It is patch 1/2 of Jane Dev's v2 series.", NULL);
	assert_non_null(strstr(sb.buf, "\n\n"
			       "Widgets are small and many; each map of them is an array of counters\n"
			       "that programs bump without locks. It is patch 1/2 of Jane Dev's v2\n"
			       "series.\n"));
	strbuf_reset(&sb);
	lc.patch = series_find(&f.set, "p2@x");
	lc.method = LINK_PATCH_ID;
	notes_format(&sb, &lc, NULL, "", "https://msgid.link/%s");
	assert_string_equal(sb.buf,
			    "Posted-as: [PATCH bpf-next 2/2] selftests/bpf: Test widgets\n"
			    "Series: bpf: Widget support (v1, 2 patches) by Jane Dev\n"
			    "Revisions: v1 2026-04-06, v2 2026-04-09\n"
			    "State: partially-applied (v1)\n"
			    "Matched-by: patch-id (likely)\n"
			    "Link: https://msgid.link/p2@x\n"
			    "Generated-by: git-bpfdigest\n");
	strbuf_release(&sb);
	release(&f);
}

static void test_ref_names(void **state)
{
	char *r;

	r = notes_ref_name("bpfdigest");
	assert_string_equal(r, "refs/notes/bpfdigest");
	free(r);
	r = notes_ref_name("notes/review");
	assert_string_equal(r, "refs/notes/review");
	free(r);
	r = notes_ref_name("refs/notes/x");
	assert_string_equal(r, "refs/notes/x");
	free(r);
	r = notes_ref_name("refs/heads/main");
	assert_string_equal(r, "refs/notes/refs/heads/main");
	free(r);
	assert_null(notes_ref_name("bad..name"));
	assert_null(notes_ref_name(""));
	assert_null(notes_ref_name(NULL));
}

/* --- writing ---------------------------------------------------------------------- */

#define REF "refs/notes/test"
#define OURS NOTES_TRAILER "\n"

#define IS_OURS(text) notes_is_ours(text, strlen(text))

static void test_is_ours(void **state)
{
	assert_true(IS_OURS(OURS));
	assert_true(IS_OURS("Posted-as: x\n" OURS "\nsummary\n"));
	/* Notes written before the trailer line existed. */
	assert_true(IS_OURS("Posted-as: [PATCH] x\nMatched-by: link\nLink: https://l/m/\n"));
	/* Only the header lines count: not a quote in the text below them. */
	assert_false(IS_OURS("my note\n\n" OURS));
	assert_false(IS_OURS("my note\n"));
	assert_false(IS_OURS("Posted-as: x\nLink: y\n"));
	assert_false(IS_OURS(NOTES_TRAILER "-ish\n"));
	assert_false(IS_OURS(""));
}

/* n notes on made-up object ids: the sha1 of "i", from first on. */
static struct notes_update *made_up(size_t first, size_t n, const char *text)
{
	struct notes_update *u = xcalloc(n, sizeof(*u));
	size_t i;

	for (i = 0; i < n; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%zu", first + i);
		git_odb_hash(&u[i].commit, buf, strlen(buf), GIT_OBJECT_BLOB);
		u[i].text = text;
	}
	return u;
}

static int count_path(const char *root, const git_tree_entry *e, void *data)
{
	size_t *depth = data;
	const char *p;
	size_t slashes = 0;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	for (p = root; *p; p++)
		slashes += *p == '/';
	depth[slashes < 3 ? slashes : 3]++;
	return 0;
}

/* How many blobs sit at each depth (0, 1, 2, more) of the notes tree. */
static void depths(git_repository *repo, size_t depth[4])
{
	git_object *obj;
	git_tree *tree;

	memset(depth, 0, 4 * sizeof(*depth));
	assert_int_equal(git_revparse_single(&obj, repo, REF "^{tree}"), 0);
	tree = (git_tree *)obj;
	git_tree_walk(tree, GIT_TREEWALK_PRE, count_path, depth);
	git_tree_free(tree);
}

static git_repository *new_repo(char **dir)
{
	git_repository *repo;

	*dir = unit_tmpdir();
	assert_int_equal(git_repository_init(&repo, *dir, 1), 0);
	return repo;
}

static void test_write_fanout_and_reruns(void **state)
{
	char *dir;
	git_repository *repo = new_repo(&dir);
	struct notes_update *few = made_up(0, 10, OURS "note\n"),
			   *many = made_up(10, 600, OURS "note\n");
	struct notes_result res;
	git_oid tip;
	size_t depth[4];

	/* Few notes: flat, as git writes them. */
	assert_int_equal(notes_write(&res, repo, REF, few, 10, "m\n", 0), 0);
	assert_int_equal(res.added, 10);
	assert_int_equal(res.committed, 1);
	depths(repo, depth);
	assert_int_equal(depth[0], 10);
	/* Many: one level of fan-out for all, the first ten moved. */
	assert_int_equal(notes_write(&res, repo, REF, many, 600, "m\n", 0), 0);
	assert_int_equal(res.added, 600);
	depths(repo, depth);
	assert_int_equal(depth[0], 0);
	assert_int_equal(depth[1], 610);
	/* Again: nothing to do, no commit. */
	git_reference_name_to_id(&tip, repo, REF);
	assert_int_equal(notes_write(&res, repo, REF, few, 10, "m\n", 0), 0);
	assert_int_equal(res.unchanged, 10);
	assert_int_equal(res.committed, 0);
	/* One changed: dry run first, then for real. */
	few[3].text = OURS "changed\n";
	assert_int_equal(notes_write(&res, repo, REF, few, 10, "m\n", 1), 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(few[3].state, NOTES_UPDATED);
	assert_int_equal(few[0].state, NOTES_UNCHANGED);
	assert_int_equal(res.committed, 0);
	assert_int_equal(notes_write(&res, repo, REF, few, 10, "m\n", 0), 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 9);
	{
		git_commit *c;

		git_commit_lookup(&c, repo, &res.commit);
		assert_true(git_oid_equal(git_commit_parent_id(c, 0), &tip));
		git_commit_free(c);
	}
	free(few);
	free(many);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

static void test_other_entries_stay(void **state)
{
	char *dir;
	git_repository *repo = new_repo(&dir);
	struct notes_update *u = made_up(0, 3, "note\n");
	struct notes_result res;
	git_object *obj;

	unit_sh("cd '%s' && b=$(echo keep | git hash-object -w --stdin) && "
		"t=$(printf '100644 blob %%s\\tREADME\\n' $b | git mktree) && "
		"c=$(echo base | git commit-tree $t) && git update-ref " REF " $c", dir);
	assert_int_equal(notes_write(&res, repo, REF, u, 3, "m\n", 0), 0);
	assert_int_equal(git_revparse_single(&obj, repo, REF ":README"), 0);
	git_object_free(obj);
	free(u);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

/* A note added by hand stays, unless forced; ours are replaced. */
static void test_foreign_notes_stay(void **state)
{
	char *dir;
	git_repository *repo = new_repo(&dir);
	struct notes_update *u = made_up(0, 3, OURS "first\n");
	struct notes_result res;
	git_object *obj;
	char hex[GIT_OID_HEXSZ + 1], *spec;

	assert_int_equal(notes_write(&res, repo, REF, u, 3, "m\n", 0), 0);
	git_oid_tostr(hex, sizeof(hex), &u[1].commit);
	unit_sh("cd '%s' && b=$(echo mine | git hash-object -w --stdin) && "
		"t=$(git ls-tree " REF " | sed 's/[0-9a-f]*\\t%s$/'$b'\\t%s/' | git mktree) && "
		"c=$(echo by hand | git commit-tree $t -p " REF ") && git update-ref " REF " $c",
		dir, hex, hex);
	u[0].text = u[1].text = u[2].text = OURS "second\n";
	assert_int_equal(notes_write(&res, repo, REF, u, 3, "m\n", NOTES_DRY_RUN), 0);
	assert_int_equal(res.foreign, 1);
	assert_int_equal(u[1].state, NOTES_FOREIGN);
	assert_int_equal(notes_write(&res, repo, REF, u, 3, "m\n", 0), 0);
	assert_int_equal(res.updated, 2);
	assert_int_equal(res.foreign, 1);
	assert_int_equal(u[0].state, NOTES_UPDATED);
	assert_int_equal(u[1].state, NOTES_FOREIGN);
	spec = xstrfmt(REF ":%s", hex);
	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	assert_string_equal(git_blob_rawcontent((git_blob *)obj), "mine\n");
	git_object_free(obj);
	/* --force: replaced and counted as updated. */
	assert_int_equal(notes_write(&res, repo, REF, u, 3, "m\n", NOTES_FORCE), 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.foreign, 0);
	assert_int_equal(res.unchanged, 2);
	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	assert_string_equal(git_blob_rawcontent((git_blob *)obj), OURS "second\n");
	git_object_free(obj);
	free(spec);
	free(u);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

struct writer {
	const char *dir;
	size_t first, n;
	struct notes_result res;
	int ret;
};

/* A thread writing its n notes, from its own repository handle. */
static void *write_notes(void *data)
{
	struct writer *w = data;
	git_repository *repo;
	struct notes_update *u = made_up(w->first, w->n, "concurrent\n");

	w->ret = -1;
	if (!git_repository_open(&repo, w->dir)) {
		w->ret = notes_write(&w->res, repo, REF, u, w->n, "m\n", 0);
		git_repository_free(repo);
	}
	free(u);
	return NULL;
}

/*
 * Four writers at once into a new repository, each of n notes of its
 * own: each commits once, and the notes ref ends up with all of them.
 */
static void four_writers(size_t first, size_t n)
{
	char *dir;
	git_repository *repo = new_repo(&dir);
	struct writer w[4];
	pthread_t t[4];
	size_t i, depth[4];

	for (i = 0; i < 4; i++) {
		w[i].dir = dir;
		w[i].first = first + n * i;
		w[i].n = n;
		assert_int_equal(pthread_create(&t[i], NULL, write_notes, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].ret, 0);
		assert_int_equal(w[i].res.added, n);
		assert_int_equal(w[i].res.committed, 1);
	}
	depths(repo, depth);
	assert_int_equal(depth[0] + depth[1] + depth[2] + depth[3], 4 * n);
	git_repository_free(repo);
	unit_rmtree(dir);
	free(dir);
}

static void test_concurrent_writers_lose_nothing(void **state)
{
	(void)state;
	four_writers(1000, 50);
}

/*
 * Writers that all find no notes ref, then all create it: each must find
 * it made under its lock and try again, not overwrite the others.
 * libgit2 checks that a ref is absent before it takes its lock, so
 * creating without comparing lost a writer's notes now and then (one
 * run in fifteen or so of the test above): many rounds catch it.
 */
static void test_writers_creating_the_ref(void **state)
{
	size_t round;

	(void)state;
	for (round = 0; round < 25; round++)
		four_writers(3000, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_ref_names),
		cmocka_unit_test(test_write_fanout_and_reruns),
		cmocka_unit_test(test_other_entries_stay),
		cmocka_unit_test(test_is_ours),
		cmocka_unit_test(test_foreign_notes_stay),
		cmocka_unit_test(test_concurrent_writers_lose_nothing),
		cmocka_unit_test(test_writers_creating_the_ref),
	};
	return unit_run("notes", tests, ARRAY_SIZE(tests));
}
