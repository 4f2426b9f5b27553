/*
 * test-archive - unit tests of lib/archive.c.
 *
 * Also a small tool for t/ scripts: "test-archive --dump <loc>..." reads
 * the inboxes (no index) and prints one line per message, in archive
 * order: "<Message-ID> TAB <date as seconds> TAB <subject>".
 */
#include "unit.h"
#include "archive.h"
#include "arena.h"
#include "cache.h"
#include "inbox.h"
#include "mail.h"
#include "strbuf.h"
#include "usage.h"

#include <dirent.h>
#include <git2.h>
#include <stdio.h>
#include <unistd.h>

static void add_message(const char *repo, int n)
{
	free(unit_inbox_add(repo, n));
}

/* The archive's mails as "mid subject" lines, to compare two archives. */
static void describe(struct strbuf *out, const struct archive *a)
{
	size_t i;

	strbuf_reset(out);
	for (i = 0; i < a->nr; i++)
		strbuf_addf(out, "%s %s %lld\n", a->mails[i]->mid, a->mails[i]->subject,
			    (long long)a->mails[i]->date);
}

/* Read locations into a (with an index in cache when not NULL). */
static void update(struct archive *a, const char *cache, const char *const *locs, size_t nr,
		   int threads)
{
	struct archive init = ARCHIVE_INIT;

	*a = init;
	archive_open(a, locs, nr);
	if (cache)
		archive_use_cache(a, cache);
	a->threads = threads;
	assert_int_equal(archive_update(a), 0);
}

/* Every message accounted for: unique + repeated ids + unparseable = all. */
static void assert_accounted(const struct archive *a)
{
	assert_int_equal(a->nr + a->duplicates + a->broken, a->seen);
}

static void test_corpus_every_message(void **state)
{
	char *bundle, *dir, *inbox, *cache, *cmd;
	const char *locs[1];
	struct archive one, two, again;
	struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT, out = STRBUF_INIT;
	FILE *fp;

	UNIT_CORPUS_OR_SKIP(bundle, "bpf-list.bundle");
	dir = unit_tmpdir();
	inbox = xstrfmt("%s/inbox", dir);
	cache = xstrfmt("%s/cache", dir);
	unit_sh("mkdir '%s' && git clone -q --bare '%s' '%s/git/0.git'", cache, bundle, inbox);
	/* The count comes from git itself, not from us. */
	cmd = xstrfmt("git --git-dir='%s/git/0.git' rev-list --count HEAD", inbox);
	fp = popen(cmd, "r");
	free(cmd);
	assert_non_null(fp);
	assert_true(strbuf_getline(&out, fp) != EOF);
	pclose(fp);
	assert_string_equal(out.buf, "15186");

	locs[0] = inbox;
	update(&one, cache, locs, 1, 1);
	assert_int_equal(one.seen, 15186);
	assert_int_equal(one.read, 15186);
	assert_accounted(&one);
	print_message("# %zu unique, %zu duplicates, %zu unparseable\n", one.nr, one.duplicates,
		      one.broken);
	/* The corpus README: 15,134 distinct Message-IDs, 52 repeated. */
	assert_int_equal(one.nr, 15134);
	assert_int_equal(one.duplicates, 52);

	/* Two threads give the same archive, in the same order. */
	update(&two, NULL, locs, 1, 2);
	describe(&d1, &one);
	describe(&d2, &two);
	assert_string_equal(d1.buf, d2.buf);

	/* From the index: nothing read, the same archive. */
	update(&again, cache, locs, 1, 0);
	assert_int_equal(again.read, 0);
	assert_int_equal(again.seen, 15186);
	describe(&d2, &again);
	assert_string_equal(d1.buf, d2.buf);

	archive_release(&one);
	archive_release(&two);
	archive_release(&again);
	strbuf_release(&d1);
	strbuf_release(&d2);
	strbuf_release(&out);
	free(inbox);
	free(cache);
	free(bundle);
	unit_rmtree(dir);
	free(dir);
}

static void test_incremental(void **state)
{
	char *dir = unit_tmpdir(), *inbox = xstrfmt("%s/inbox", dir);
	char *repo = xstrfmt("%s/git/0.git", inbox), *cache = xstrfmt("%s/cache", dir);
	const char *locs[1] = { inbox };
	struct archive a, fresh;
	struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
	int n;

	unit_sh("git init -q --bare '%s' && mkdir '%s'", repo, cache);
	for (n = 1; n <= 3; n++)
		add_message(repo, n);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.read, 3);
	assert_int_equal(a.added, 3);
	archive_release(&a);

	/* Two more: only they are read. */
	add_message(repo, 4);
	add_message(repo, 5);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.read, 2);
	assert_int_equal(a.added, 2);
	assert_int_equal(a.nr, 5);
	/* Updating the same archive again goes on from where it is. */
	add_message(repo, 6);
	assert_int_equal(archive_update(&a), 0);
	assert_int_equal(a.read, 1);
	assert_int_equal(a.nr, 6);
	assert_int_equal(a.seen, 6);
	assert_int_equal(a.duplicates, 0);
	archive_release(&a);
	unit_sh("cd '%s' && git update-ref HEAD HEAD~1", repo);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.removed, 1);
	assert_int_equal(a.nr, 5);
	update(&fresh, NULL, locs, 1, 0);
	describe(&d1, &a);
	describe(&d2, &fresh);
	assert_string_equal(d1.buf, d2.buf);
	/* Bodies come from the inbox, by the origin kept in the index. */
	assert_int_equal(archive_load_body(&a, a.mails[0]), 0);
	assert_string_equal(a.mails[0]->text, "body 1");
	archive_release(&a);
	archive_release(&fresh);

	/* public-inbox-learn rm of message 2. */
	{
		char *msg = unit_message(2);

		free(unit_inbox_commit(repo, "d", msg));
		free(msg);
	}
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.read, 0);
	assert_int_equal(a.removed, 1);
	assert_int_equal(a.nr, 4);
	assert_null(archive_find(&a, "2@example.org"));
	archive_release(&a);

	/* Rewritten history (as public-inbox-purge does): noticed, read again. */
	unit_sh("cd '%s' && git update-ref HEAD HEAD~3", repo);
	add_message(repo, 6);
	n = (int)warning_count();
	update(&a, cache, locs, 1, 0);
	assert_int_equal(warning_count(), n + 1);
	assert_int_equal(a.rescanned, 1);
	assert_int_equal(a.read, 4);
	/* 6, and 2 whose removal was rewritten away; 1 and 3 were known */
	assert_int_equal(a.added, 2);
	assert_int_equal(a.removed, 2);	/* 4 and 5 */
	update(&fresh, NULL, locs, 1, 0);
	describe(&d1, &a);
	describe(&d2, &fresh);
	assert_string_equal(d1.buf, d2.buf);
	assert_string_equal(d1.buf, "1@example.org message 1 1775469601\n"
			    "2@example.org message 2 1775469602\n"
			    "3@example.org message 3 1775469603\n"
			    "6@example.org message 6 1775469606\n");
	archive_release(&a);
	archive_release(&fresh);

	/* A damaged index: a warning, then the same archive as without one. */
	unit_sh("cd '%s' && for f in *.idx; do printf garbage >\"$f\"; done", cache);
	n = (int)warning_count();
	update(&a, cache, locs, 1, 0);
	assert_int_equal(warning_count(), n + 1);
	assert_int_equal(a.read, 4);
	describe(&d2, &a);
	assert_string_equal(d1.buf, d2.buf);
	archive_release(&a);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.read, 0);
	archive_release(&a);

	strbuf_release(&d1);
	strbuf_release(&d2);
	free(repo);
	free(inbox);
	free(cache);
	unit_rmtree(dir);
	free(dir);
}

/* How many extensions the index of a's inbox has had; it holds mails_nr mails. */
static uint32_t index_extensions(const char *cache, const struct archive *a, size_t mails_nr)
{
	struct cache_index idx;
	struct arena arena = ARENA_INIT;
	struct strbuf err = STRBUF_INIT;
	char *path = cache_path(cache, a->inboxes[0]);

	assert_int_equal(cache_read(&idx, &arena, path, &err), 0);
	assert_int_equal(idx.mails_nr, mails_nr);
	arena_release(&arena);
	strbuf_release(&err);
	free(path);
	return idx.extensions;
}

/*
 * Runs that only add mail extend the index; a run that removes some, and
 * every so often one that does not, writes it whole.
 */
static void test_index_extended_then_whole(void **state)
{
	char *dir = unit_tmpdir(), *inbox = xstrfmt("%s/inbox", dir);
	char *repo = xstrfmt("%s/git/0.git", inbox), *cache = xstrfmt("%s/cache", dir);
	const char *locs[1] = { inbox };
	struct archive a;
	uint32_t seen[40];
	int n, whole_again = 0;

	unit_sh("git init -q --bare '%s' && mkdir '%s'", repo, cache);
	for (n = 0; n < 40; n++) {
		add_message(repo, n);
		update(&a, cache, locs, 1, 0);
		assert_int_equal(a.read, 1);
		seen[n] = index_extensions(cache, &a, n + 1);
		archive_release(&a);
		if (n && !seen[n])
			whole_again = 1;
		assert_true(!n || seen[n] == 0 || seen[n] == seen[n - 1] + 1);
	}
	assert_int_equal(seen[1], 1);
	assert_true(whole_again);
	/* A removal: written whole. */
	unit_sh("cd '%s' && git update-ref HEAD HEAD~1", repo);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.removed, 1);
	assert_int_equal(index_extensions(cache, &a, 39), 0);
	archive_release(&a);
	free(repo);
	free(inbox);
	free(cache);
	unit_rmtree(dir);
	free(dir);
}

/*
 * The same lazily (archive.lazy, as update and the digests run): the
 * index is extended without being loaded, and the archive left mapped;
 * every so often it is read and written whole, and so is it on a
 * removal (a v2 "d", known only once read).
 */
static void test_index_extended_mapped(void **state)
{
	char *dir = unit_tmpdir(), *inbox = xstrfmt("%s/inbox", dir);
	char *repo = xstrfmt("%s/git/0.git", inbox), *cache = xstrfmt("%s/cache", dir);
	const char *locs[1] = { inbox };
	struct archive a = ARCHIVE_INIT;
	uint32_t seen[40];
	int n, whole_again = 0;
	char *msg = unit_message(5);

	unit_sh("git init -q --bare '%s' && mkdir '%s'", repo, cache);
	for (n = 0; n < 40; n++) {
		add_message(repo, n);
		archive_open(&a, locs, 1);
		archive_use_cache(&a, cache);
		a.lazy = 1;
		assert_int_equal(archive_update(&a), 0);
		assert_int_equal(a.read, 1);
		assert_int_equal(a.total, n + 1);
		seen[n] = index_extensions(cache, &a, n + 1);
		/* Mapped unless it was read whole: the first time, and each time written whole. */
		assert_int_equal(a.mapped, n && seen[n] != 0);
		archive_release(&a);
		a = (struct archive)ARCHIVE_INIT;
		if (n && !seen[n])
			whole_again = 1;
		assert_true(!n || seen[n] == 0 || seen[n] == seen[n - 1] + 1);
	}
	assert_true(whole_again);
	/* A "d" commit: read whole, the message removed, written whole. */
	free(unit_inbox_commit(repo, "d", msg));
	archive_open(&a, locs, 1);
	archive_use_cache(&a, cache);
	a.lazy = 1;
	assert_int_equal(archive_update(&a), 0);
	assert_int_equal(a.removed, 1);
	assert_int_equal(a.mapped, 0);
	assert_int_equal(a.nr, 39);
	assert_int_equal(index_extensions(cache, &a, 39), 0);
	archive_release(&a);
	free(msg);
	free(repo);
	free(inbox);
	free(cache);
	unit_rmtree(dir);
	free(dir);
}

/* A "d" in a later epoch still holds when the earlier epoch is read again. */
static void test_removal_across_epochs(void **state)
{
	char *dir = unit_tmpdir(), *inbox = xstrfmt("%s/inbox", dir);
	char *e0 = xstrfmt("%s/git/0.git", inbox), *e1 = xstrfmt("%s/git/1.git", inbox);
	char *cache = xstrfmt("%s/cache", dir), *msg = unit_message(1);
	const char *locs[1] = { inbox };
	struct archive a;

	unit_sh("git init -q --bare '%s' && git init -q --bare '%s' && mkdir '%s'", e0, e1, cache);
	add_message(e0, 1);
	add_message(e0, 2);
	add_message(e1, 3);
	free(unit_inbox_commit(e1, "d", msg));
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.nr, 2);
	assert_int_equal(a.removed, 1);
	archive_release(&a);
	/* Epoch 0 rewritten: message 1 comes back from it, but stays removed. */
	unit_sh("cd '%s' && git commit-tree -m again HEAD^{tree} -p HEAD~1 >../new && "
		"git update-ref HEAD $(cat ../new)", e0);
	update(&a, cache, locs, 1, 0);
	assert_int_equal(a.rescanned, 1);
	assert_null(archive_find(&a, "1@example.org"));
	assert_int_equal(a.nr, 2);
	archive_release(&a);
	free(msg);
	free(e0);
	free(e1);
	free(cache);
	free(inbox);
	unit_rmtree(dir);
	free(dir);
}

static void test_bad_input(void **state)
{
	char *dir = unit_tmpdir(), *repo = xstrfmt("%s/git/0.git", dir);
	const char *locs[1] = { dir };
	struct archive a;
	size_t before, limit = 0, after = 0;

	unit_sh("git init -q --bare '%s'", repo);
	add_message(repo, 1);
	free(unit_inbox_commit(repo, "m", ""));
	free(unit_inbox_commit(repo, "m", "not a mail: no header at all\n"));
	add_message(repo, 1);
	add_message(repo, 2);
	before = warning_count();
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &limit);
	update(&a, NULL, locs, 1, 0);
	assert_int_equal(warning_count(), before + 2);
	/* What the archive changed in libgit2 for its reading is put back. */
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &after);
	assert_int_equal(after, limit);
	assert_int_equal(a.seen, 5);
	assert_int_equal(a.warned, 2);
	assert_int_equal(a.broken, 2);
	assert_int_equal(a.duplicates, 1);
	assert_int_equal(a.nr, 2);
	assert_accounted(&a);
	archive_release(&a);
	free(repo);
	unit_rmtree(dir);
	free(dir);
}

/* archive_load_body() works whatever the inbox is made of. */
static void test_bodies_every_kind(void **state)
{
	char *dir = unit_tmpdir(), *m5 = unit_message(5), *m6 = unit_message(6), *m7 = unit_message(7);
	char *v2 = xstrfmt("%s/v2", dir), *epoch = xstrfmt("%s/v2/git/0.git", dir);
	char *mbox = xstrfmt("mboxrd:%s/list.mbox", dir), *maildir = xstrfmt("maildir:%s/md", dir);
	char *eml = xstrfmt("%s/one.eml", dir), *path;
	const char *locs[4] = { v2, mbox, maildir, eml };
	struct archive a;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	unit_sh("git init -q --bare '%s' && mkdir -p '%s/md/cur' '%s/md/new'", epoch, dir, dir);
	add_message(epoch, 1);
	add_message(epoch, 2);
	strbuf_addf(&sb, "From mboxrd@z Thu Jan  1 00:00:00 1970\n%s\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n%s",
		    m5, m6);
	path = xstrfmt("%s/list.mbox", dir);
	unit_write_file(path, "w", sb.buf);
	free(path);
	path = xstrfmt("%s/md/new/1.host", dir);
	unit_write_file(path, "w", m7);
	free(path);
	{
		char *m8 = unit_message(8);

		unit_write_file(eml, "w", m8);
		free(m8);
	}
	update(&a, NULL, locs, 4, 0);
	assert_int_equal(a.nr, 6);
	for (i = 0; i < a.nr; i++) {
		char *want = xstrfmt("body %s", a.mails[i]->mid);

		*strchr(want, '@') = '\0';
		assert_int_equal(archive_load_body(&a, a.mails[i]), 0);
		assert_string_equal(a.mails[i]->text, want);
		free(want);
	}
	archive_release(&a);
	strbuf_release(&sb);
	free(m5);
	free(m6);
	free(m7);
	free(v2);
	free(epoch);
	free(mbox);
	free(maildir);
	free(eml);
	unit_rmtree(dir);
	free(dir);
}

/* Every mbox of patchwork's and b4's test data read as an mboxrd source. */
static void read_all_mboxes(const char *dir, const char *suffix, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), slen = strlen(suffix);
		char *loc;
		const char *locs[1];
		struct archive a;

		if (de->d_name[0] == '.' || len < slen || strcmp(de->d_name + len - slen, suffix) ||
		    (len > 3 && !strcmp(de->d_name + len - 3, ".md")))
			continue;
		loc = xstrfmt("mboxrd:%s/%s", dir, de->d_name);
		locs[0] = loc;
		update(&a, NULL, locs, 1, 0);
		assert_accounted(&a);
		assert_true(a.seen >= 1 || !strcmp(de->d_name, "empty.mbox"));
		archive_release(&a);
		free(loc);
		(*files)++;
	}
	closedir(d);
}

static void test_patchwork_and_b4(void **state)
{
	static const char *const dirs[][2] = {
		{ "patchwork/mail", ".mbox" },
		{ "patchwork/series", "" },	/* *.mbox and *.mbox.template */
		{ "patchwork/fuzz", "" },
		{ "b4", ".mbox" },
	};
	size_t i, files = 0;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		char *dir;

		UNIT_CORPUS_OR_SKIP(dir, dirs[i][0]);
		read_all_mboxes(dir, dirs[i][1], &files);
		free(dir);
	}
	print_message("# %zu files read\n", files);
	assert_true(files >= 26 + 32 + 17 + 19);
}

static int dump(int argc, const char **argv)
{
	struct archive a = ARCHIVE_INIT;
	size_t i;

	git_libgit2_init();
	archive_open(&a, argv, (size_t)argc);
	if (archive_update(&a) < 0)
		return 1;
	for (i = 0; i < a.nr; i++)
		printf("%s\t%lld\t%s\n", a.mails[i]->mid, (long long)a.mails[i]->date,
		       a.mails[i]->subject);
	archive_release(&a);
	return 0;
}

int main(int argc, const char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_every_message),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_index_extended_then_whole),
		cmocka_unit_test(test_index_extended_mapped),
		cmocka_unit_test(test_removal_across_epochs),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_bodies_every_kind),
		cmocka_unit_test(test_patchwork_and_b4),
	};

	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump(argc - 2, argv + 2);
	/* Warnings are expected here and counted with warning_count(): keep TAP clean. */
	usage_set_quiet(1);
	return unit_run("archive", tests, ARRAY_SIZE(tests));
}
