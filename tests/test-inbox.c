#include "unit.h"
#include "inbox.h"
#include "strbuf.h"
#include "usage.h"

#include <git2.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* What a scan saw, one line per message: "<epoch number> <subject line>" or "- <blob>". */
struct seen {
	struct strbuf log;
	struct inbox *inbox;
	struct inbox_origin last;
};

static int collect(const struct inbox_message *msg, void *data)
{
	struct seen *s = data;
	const char *subj = msg->raw ? memmem(msg->raw, msg->len, "Subject: ", 9) : NULL;

	if (msg->removal) {
		strbuf_addf(&s->log, "- %s\n", git_oid_tostr_s(&msg->origin.blob));
	} else if (subj) {
		const char *nl = memchr(subj, '\n', msg->len - (size_t)(subj - msg->raw));

		strbuf_addf(&s->log, "%u %.*s\n", s->inbox->epochs[msg->origin.epoch].number,
			    (int)(nl - subj - 9), subj + 9);
	} else {
		strbuf_addstr(&s->log, "? no subject\n");
	}
	s->last = msg->origin;
	return 0;
}

static void scan(struct seen *s, struct inbox *inbox)
{
	strbuf_reset(&s->log);
	s->inbox = inbox;
	assert_int_equal(inbox_scan(inbox, collect, s), 0);
}

static void test_v2_epochs(void **state)
{
	char *dir = unit_tmpdir();
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct inbox *inbox;
	char *repo;

	unit_sh("cd '%s' && mkdir git && for n in 1 2 5 10; do git init -q --bare git/$n.git; done && "
		"git --git-dir=git/10.git symbolic-ref HEAD refs/heads/main", dir);
	repo = xstrfmt("%s/git/10.git", dir);
	free(unit_inbox_add(repo, 100));
	free(repo);
	repo = xstrfmt("%s/git/1.git", dir);
	free(unit_inbox_add(repo, 1));
	free(unit_inbox_add(repo, 2));
	free(repo);
	repo = xstrfmt("%s/git/2.git", dir);
	free(unit_inbox_add(repo, 3));
	free(repo);
	/* Epochs in numeric order (10 after 2), the empty 5 skipped, HEAD on "main" followed. */
	inbox = inbox_open(dir, 0, NULL);
	assert_int_equal(inbox->kind, INBOX_V2);
	assert_int_equal(inbox->epochs_nr, 4);
	assert_string_equal(inbox->epochs[3].name, "git/10.git");
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "1 message 1\n1 message 2\n2 message 3\n10 message 100\n");
	/* Cursors moved: nothing is new. */
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "");
	inbox_free(inbox);
	strbuf_release(&s.log);
	unit_rmtree(dir);
	free(dir);
}

static void test_v2_delete_and_read_again(void **state)
{
	char *dir = unit_tmpdir(), *repo = xstrfmt("%s/git/0.git", dir), *msg = unit_message(1);
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf raw = STRBUF_INIT, expect = STRBUF_INIT;
	struct inbox *inbox;
	git_oid blob;

	unit_sh("git init -q --bare '%s'", repo);
	free(unit_inbox_add(repo, 1));
	free(unit_inbox_add(repo, 2));
	/* public-inbox-learn rm: a commit whose tree holds the message as "d". */
	free(unit_inbox_commit(repo, "d", msg));
	assert_int_equal(git_odb_hash(&blob, msg, strlen(msg), GIT_OBJECT_BLOB), 0);
	inbox = inbox_open(dir, 0, NULL);
	scan(&s, inbox);
	strbuf_addf(&expect, "0 message 1\n0 message 2\n- %s\n", git_oid_tostr_s(&blob));
	assert_string_equal(s.log.buf, expect.buf);
	/* Read the first message again by its origin. */
	s.last.blob = blob;
	assert_int_equal(inbox_read(inbox, &s.last, &raw), 0);
	assert_string_equal(raw.buf, msg);
	inbox_free(inbox);
	strbuf_release(&s.log);
	strbuf_release(&raw);
	strbuf_release(&expect);
	free(msg);
	free(repo);
	unit_rmtree(dir);
	free(dir);
}

static void test_incremental_and_rewritten(void **state)
{
	char *dir = unit_tmpdir(), *repo = xstrfmt("%s/git/0.git", dir), *second;
	struct inbox *inbox;
	struct inbox_plan plan;
	int i;

	unit_sh("git init -q --bare '%s'", repo);
	free(unit_inbox_add(repo, 1));
	second = unit_inbox_add(repo, 2);
	inbox = inbox_open(dir, 0, NULL);
	assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
	assert_int_equal(plan.nr, 2);
	assert_false(plan.rescan);
	inbox_plan_done(inbox, &plan);
	inbox_plan_release(&plan);

	for (i = 3; i <= 5; i++)
		free(unit_inbox_add(repo, i));
	assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
	assert_int_equal(plan.nr, 3);
	assert_false(plan.rescan);
	/* Places in the epoch continue after the cursor. */
	assert_true(plan.items[0].origin.offset == 2);
	assert_true(plan.next.count == 5);
	inbox_plan_done(inbox, &plan);
	inbox_plan_release(&plan);

	/* Rewrite: the branch goes back to the second message and gets another. */
	unit_sh("git --git-dir='%s' update-ref HEAD %s", repo, second);
	free(unit_inbox_add(repo, 6));
	assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
	assert_true(plan.rescan);
	assert_string_equal(plan.rescan_why, "its history was rewritten");
	assert_int_equal(plan.nr, 3);
	inbox_plan_release(&plan);
	inbox_free(inbox);
	free(second);
	free(repo);
	unit_rmtree(dir);
	free(dir);
}

static void test_unborn_head_with_one_branch(void **state)
{
	char *dir = unit_tmpdir(), *repo = xstrfmt("%s/git/0.git", dir);
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct inbox *inbox;

	/* HEAD names "main" but messages went to "master" (init.defaultBranch unset). */
	unit_sh("git init -q --bare '%s' && git --git-dir='%s' symbolic-ref HEAD refs/heads/master",
		repo, repo);
	free(unit_inbox_add(repo, 1));
	unit_sh("git --git-dir='%s' symbolic-ref HEAD refs/heads/main", repo);
	inbox = inbox_open(dir, 0, NULL);
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "0 message 1\n");
	inbox_free(inbox);
	strbuf_release(&s.log);
	free(repo);
	unit_rmtree(dir);
	free(dir);
}

/* A public-inbox v1 repository: each message at the 2/38 path of its id's SHA-1. */
static void test_v1(void **state)
{
	char *dir = unit_tmpdir(), *one = unit_message(1), *two = unit_message(2);
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf expect = STRBUF_INIT;
	struct inbox *inbox;
	git_oid blob1;

	unit_sh("set -e; cd '%s'; git init -q --bare v1.git; cd v1.git; "
		"export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@x GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@x; "
		"printf '%%s' '%s' >one; printf '%%s' '%s' >two; "
		"b1=$(git hash-object -w one); b2=$(git hash-object -w two); "
		"t1=$(printf '100644 blob %%s\\t0123456789012345678901234567890123456789\\n' $b1 | git mktree); "
		"d1=$(printf '040000 tree %%s\\tab\\n' $t1 | git mktree); "
		"t2=$(printf '100644 blob %%s\\t0123456789012345678901234567890123456789\\n100644 blob %%s\\tffff456789012345678901234567890123456789\\n' $b1 $b2 | git mktree); "
		"d2=$(printf '040000 tree %%s\\tab\\n' $t2 | git mktree); "
		"t3=$(printf '100644 blob %%s\\tffff456789012345678901234567890123456789\\n' $b2 | git mktree); "
		"d3=$(printf '040000 tree %%s\\tab\\n' $t3 | git mktree); "
		"c1=$(git commit-tree $d1 -m one); c2=$(git commit-tree $d2 -p $c1 -m two); "
		"c3=$(git commit-tree $d3 -p $c2 -m rm); git update-ref refs/heads/master $c3",
		dir, one, two);
	assert_int_equal(git_odb_hash(&blob1, one, strlen(one), GIT_OBJECT_BLOB), 0);
	{
		char *path = xstrfmt("%s/v1.git", dir);

		inbox = inbox_open(path, 0, NULL);
		free(path);
	}
	assert_int_equal(inbox->kind, INBOX_GIT);
	scan(&s, inbox);
	strbuf_addf(&expect, "0 message 1\n0 message 2\n- %s\n", git_oid_tostr_s(&blob1));
	assert_string_equal(s.log.buf, expect.buf);
	inbox_free(inbox);
	strbuf_release(&s.log);
	strbuf_release(&expect);
	free(one);
	free(two);
	unit_rmtree(dir);
	free(dir);
}

static const char mbox_two[] =
	"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	"Message-ID: <1@example.org>\nSubject: message 1\n\n>From the start\n>>From quoted\n\n"
	"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	"Message-ID: <2@example.org>\nSubject: message 2\n\nsecond\n";

static void test_mbox(void **state)
{
	char *dir = unit_tmpdir(), *file = xstrfmt("%s/list.mbox", dir);
	char *loc = xstrfmt("mboxrd:%s", file), *loc_o = xstrfmt("mboxo:%s", file);
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf raw = STRBUF_INIT;
	struct inbox *inbox;
	struct inbox_plan plan;
	struct inbox_origin first;

	unit_write_file(file, "w", mbox_two);
	inbox = inbox_open(loc, 0, NULL);
	assert_int_equal(inbox->kind, INBOX_MBOXRD);
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "0 message 1\n0 message 2\n");
	/* Read again from its place: unquoted. */
	s.last.offset = strlen("From mboxrd@z Thu Jan  1 00:00:00 1970\n");
	s.last.length = strlen("Message-ID: <1@example.org>\nSubject: message 1\n\n>From the start\n>>From quoted\n");
	first = s.last;
	assert_int_equal(inbox_read(inbox, &first, &raw), 0);
	assert_string_equal(raw.buf,
		"Message-ID: <1@example.org>\nSubject: message 1\n\nFrom the start\n>From quoted\n");
	inbox_free(inbox);

	/* Mail appended: a new inbox with the old cursor reads only the new part. */
	inbox = inbox_open(loc, 0, NULL);
	assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
	inbox_plan_done(inbox, &plan);
	inbox_plan_release(&plan);
	{
		struct inbox_cursor c = inbox->epochs[0].cursor;

		inbox_free(inbox);
		unit_write_file(file, "a", "\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n"
				"Message-ID: <3@example.org>\nSubject: message 3\n\nthird\n");
		inbox = inbox_open(loc, 0, NULL);
		inbox->epochs[0].cursor = c;
		scan(&s, inbox);
		assert_string_equal(s.log.buf, "0 message 3\n");
		c = inbox->epochs[0].cursor;
		inbox_free(inbox);

		/* Changed in place: all of it again. */
		unit_write_file(file, "w", mbox_two);
		inbox = inbox_open(loc, 0, NULL);
		inbox->epochs[0].cursor = c;
		assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
		assert_true(plan.rescan);
		assert_int_equal(plan.nr, 2);
		inbox_plan_release(&plan);
		inbox_free(inbox);
	}

	/* mboxo: only ">From " was quoted; ">>From " is what the mail said. */
	inbox = inbox_open(loc_o, 0, NULL);
	assert_int_equal(inbox->kind, INBOX_MBOXO);
	strbuf_reset(&raw);
	assert_int_equal(inbox_read(inbox, &first, &raw), 0);
	assert_non_null(strstr(raw.buf, "\n>>From quoted\n"));
	inbox_free(inbox);

	strbuf_release(&s.log);
	strbuf_release(&raw);
	free(loc);
	free(loc_o);
	free(file);
	unit_rmtree(dir);
	free(dir);
}

static void test_bare_file(void **state)
{
	char *dir = unit_tmpdir(), *file = xstrfmt("%s/0001-fix.patch", dir), *msg = unit_message(7);
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf raw = STRBUF_INIT;
	struct inbox *inbox;

	/* A body line ">From " stays as it is in a file of one message. */
	unit_write_file(file, "w", msg);
	unit_write_file(file, "a", ">From me\n");
	inbox = inbox_open(file, 0, NULL);
	assert_int_equal(inbox->kind, INBOX_FILE);
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "0 message 7\n");
	assert_int_equal(inbox_read(inbox, &s.last, &raw), 0);
	assert_non_null(strstr(raw.buf, "\n>From me\n"));
	inbox_free(inbox);
	strbuf_release(&s.log);
	strbuf_release(&raw);
	free(msg);
	free(file);
	unit_rmtree(dir);
	free(dir);
}

static void test_maildir(void **state)
{
	char *dir = unit_tmpdir(), *loc = xstrfmt("maildir:%s", dir), *path;
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf raw = STRBUF_INIT;
	struct inbox *inbox;
	struct inbox_plan plan;
	size_t warnings;
	int n;

	/* Directories and dot files in cur/ are not mail. */
	unit_sh("mkdir -p '%s/cur/sub' '%s/new' '%s/tmp' && echo x >'%s/cur/.hidden'", dir, dir, dir, dir);
	for (n = 1; n <= 3; n++) {
		char *msg = unit_message(n);

		path = xstrfmt("%s/%s/100%d.M1P1.host%s", dir, n == 3 ? "new" : "cur", n,
			       n == 3 ? "" : ":2,S");
		unit_write_file(path, "w", msg);
		free(path);
		free(msg);
	}
	inbox = inbox_open(loc, 0, NULL);
	assert_int_equal(inbox->kind, INBOX_MAILDIR);
	warnings = warning_count();
	scan(&s, inbox);
	assert_string_equal(s.log.buf, "0 message 1\n0 message 2\n0 message 3\n");
	assert_int_equal(warning_count(), warnings);

	/* A mail reader moves new/ to cur/ and sets flags: same message, nothing new. */
	unit_sh("cd '%s' && mv new/1003.M1P1.host cur/1003.M1P1.host:2,RS && "
		"rm cur/1001.M1P1.host:2,S && touch -d '+1 minute' cur new", dir);
	assert_int_equal(inbox_plan(inbox, 0, &plan), 0);
	assert_int_equal(plan.nr, 1);
	assert_true(plan.items[0].removal);
	assert_true(plan.items[0].origin.offset == 0);
	inbox_plan_done(inbox, &plan);
	inbox_plan_release(&plan);
	/* The moved file is still found by its name. */
	s.last.offset = 2;
	assert_int_equal(inbox_read(inbox, &s.last, &raw), 0);
	assert_non_null(strstr(raw.buf, "Subject: message 3\n"));
	inbox_free(inbox);
	strbuf_release(&s.log);
	strbuf_release(&raw);
	free(loc);
	unit_rmtree(dir);
	free(dir);
}

static void test_refs(void **state)
{
	char *dir = unit_tmpdir(), *repo = xstrfmt("%s/kernel", dir), *c1, *c2;
	struct seen s = { STRBUF_INIT, NULL, { 0 } };
	struct strbuf where = STRBUF_INIT;
	git_repository *r;
	struct inbox *inbox;

	/* Epochs fetched into a kernel checkout as refs/lore/bpf/<N>/master. */
	unit_sh("git init -q '%s'", repo);
	{
		char *gitdir = xstrfmt("%s/.git", repo);

		c1 = unit_inbox_add(gitdir, 1);
		c2 = unit_inbox_add(gitdir, 2);
		/* Epoch 0 is an annotated tag: read up to its commit. */
		unit_sh("cd '%s' && git update-ref refs/lore/bpf/1/master %s && "
			"git tag -a -m epoch0 t0 %s && git update-ref refs/lore/bpf/0/tag t0 && "
			"git tag -d t0 >/dev/null && git update-ref -d HEAD",
			repo, c2, c1);
		free(gitdir);
	}
	assert_int_equal(git_repository_open(&r, repo), 0);
	inbox = inbox_open("refs/lore/bpf/*", 0, r);
	assert_int_equal(inbox->kind, INBOX_REFS);
	assert_int_equal(inbox->epochs_nr, 2);
	assert_string_equal(inbox->epochs[0].name, "refs/lore/bpf/0/tag");
	scan(&s, inbox);
	/* Epoch 1 holds both messages (its ref is the later commit). */
	assert_string_equal(s.log.buf, "0 message 1\n1 message 1\n1 message 2\n");
	inbox_describe(inbox, &s.last, &where);
	assert_true(!strncmp(where.buf, "refs/lore/bpf/1/master:", 23));
	inbox_free(inbox);
	git_repository_free(r);
	strbuf_release(&s.log);
	strbuf_release(&where);
	free(c1);
	free(c2);
	free(repo);
	unit_rmtree(dir);
	free(dir);
}

static void test_names(void **state)
{
	char *dir = unit_tmpdir(), *pi = xstrfmt("%s/pi-config", dir), *cfg;
	struct inbox *inbox;

	unit_sh("cd '%s' && mkdir -p lore/bpf/git xdg/lei && git init -q --bare lore/bpf/git/0.git && "
		"git init -q --bare other.git && "
		"git config -f pi-config publicinbox.bpf.inboxdir '%s/lore/bpf' && "
		"git config -f xdg/lei/config external.'%s/other.git'.boost 0 && "
		"git config -f xdg/lei/config external.'https://lore.kernel.org/netdev'.boost 0",
		dir, dir, dir);
	setenv("PI_CONFIG", pi, 1);
	cfg = xstrfmt("%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	inbox = inbox_open("bpf", 0, NULL);
	assert_int_equal(inbox->kind, INBOX_V2);
	assert_true(strstr(inbox->resolved, "/lore/bpf") != NULL);
	inbox_free(inbox);
	inbox = inbox_open("other.git", 0, NULL);
	assert_int_equal(inbox->kind, INBOX_GIT);
	inbox_free(inbox);
	unsetenv("PI_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	free(cfg);
	free(pi);
	unit_rmtree(dir);
	free(dir);
}

static int die_pipe = -1;

/* In the child: hand the message to the parent and leave without cleaning up. */
NORETURN static void child_die(int code, const char *msg)
{
	ssize_t n = write(die_pipe, msg, strlen(msg));

	_exit(n < 0 ? 1 : code);
}

/*
 * Open loc and expect it to die with "cannot open inbox '<loc>': <why>",
 * exit code 128.  In a child process, since die() does not return.
 */
static void assert_cannot_open(const char *loc, git_repository *repo, const char *why)
{
	char *expect = xstrfmt("cannot open inbox '%s': %s", loc, why);
	char buf[4096];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fds[0]);
		die_pipe = fds[1];
		usage_set_die_routine(child_die);
		alarm(20);	/* one that waits (on a FIFO) fails, not hangs */
		inbox_open(loc, 0, repo);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(waitpid(pid, &status, 0) == pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, expect);
	free(expect);
}

static void test_errors(void **state)
{
	char *dir = unit_tmpdir(), *plain = xstrfmt("%s/plain", dir), *loc;
	git_repository *r;

	unit_sh("mkdir '%s' && git init -q '%s/repo'", plain, dir);
	assert_cannot_open("/nonexistent/inbox", NULL, "No such file or directory");
	assert_cannot_open("no-such-name", NULL, "No such file or directory");
	assert_cannot_open(plain, NULL, "not a public-inbox directory or git repository");
	assert_cannot_open("refs/lore/bpf/*", NULL, "not in a git repository");
	loc = xstrfmt("%s/repo", dir);
	assert_int_equal(git_repository_open(&r, loc), 0);
	assert_cannot_open("refs/lore/bpf/*", r, "no ref matches");
	git_repository_free(r);
	free(loc);
	loc = xstrfmt("maildir:%s", plain);
	assert_cannot_open(loc, NULL, "not a maildir (no cur/ or new/)");
	free(loc);
	assert_cannot_open("mboxrd:/nonexistent.mbox", NULL, "No such file or directory");
	loc = xstrfmt("mboxrd:%s", plain);
	assert_cannot_open(loc, NULL, "not a regular file (an mbox is read whole, from a file)");
	free(loc);
	/* A FIFO no one writes to: refused at once, not read forever. */
	unit_sh("mkfifo '%s/fifo'", dir);
	loc = xstrfmt("mboxrd:%s/fifo", dir);
	assert_cannot_open(loc, NULL, "not a regular file (an mbox is read whole, from a file)");
	free(loc);
	free(plain);
	unit_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_epochs),
		cmocka_unit_test(test_v2_delete_and_read_again),
		cmocka_unit_test(test_incremental_and_rewritten),
		cmocka_unit_test(test_unborn_head_with_one_branch),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_bare_file),
		cmocka_unit_test(test_maildir),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errors),
	};
	return unit_run("inbox", tests, ARRAY_SIZE(tests));
}
