#include "unit.h"
#include "mail.h"
#include "strbuf.h"
#include "usage.h"

#include <fcntl.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * What the code under test prints on stderr (the error: and fatal: lines
 * tests of bad input expect) is kept in a file while the tests run, so
 * that "make check" shows none of it.  At the end it becomes TAP comments
 * (prove -v shows them) and, when a test failed or the program exits
 * another way (a die() no test caught), goes to stderr as well, with
 * cmocka's own report of the failure.
 */
static FILE *captured;
static int real_stderr = -1;

static void release_stderr(int show)
{
	char line[4096];
	size_t len;

	if (real_stderr < 0)
		return;
	fflush(stderr);
	dup2(real_stderr, STDERR_FILENO);
	close(real_stderr);
	real_stderr = -1;
	rewind(captured);
	while (fgets(line, sizeof(line), captured)) {
		len = strlen(line);
		printf("# %s%s", line, len && line[len - 1] == '\n' ? "" : "\n");
		if (show)
			fputs(line, stderr);
	}
	fflush(stdout);
	fclose(captured);
	captured = NULL;
}

static void release_stderr_at_exit(void)
{
	release_stderr(1);
}

static void capture_stderr(void)
{
	if (getenv("UNIT_STDERR"))	/* UNIT_STDERR=1 ./tests/test-x: as it comes */
		return;
	fflush(stderr);
	captured = tmpfile();
	real_stderr = captured ? dup(STDERR_FILENO) : -1;
	if (real_stderr < 0 || dup2(fileno(captured), STDERR_FILENO) < 0) {
		if (real_stderr >= 0)
			close(real_stderr);
		real_stderr = -1;
		return;
	}
	atexit(release_stderr_at_exit);
}

jmp_buf unit_died_jmp;
int unit_died_code;
char unit_died_msg[4096];

void unit_die_routine(int code, const char *msg)
{
	unit_died_code = code;
	snprintf(unit_died_msg, sizeof(unit_died_msg), "%s", msg);
	longjmp(unit_died_jmp, 1);
}

void unit_set_die_routine(int on)
{
	usage_set_die_routine(on ? unit_die_routine : NULL);
}

int unit_run(const char *name, const struct CMUnitTest *tests, size_t nr)
{
	int ret;

	git_libgit2_init();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	capture_stderr();
	ret = _cmocka_run_group_tests(name, tests, nr, NULL, NULL);
	release_stderr(ret != 0);
	return ret;
}

char *unit_corpus_path(const char *rel)
{
	const char *dir = getenv("BPFDIGEST_CORPUS");
	struct stat st;
	char *path;

	if (!dir || !*dir)
		dir = "../shared/corpus";
	path = xstrfmt("%s/%s", dir, rel);
	if (stat(path, &st) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

void unit_read_file(struct strbuf *sb, const char *path)
{
	if (strbuf_read_file(sb, path) < 0)
		fail_msg("cannot read '%s'", path);
}

int unit_stdout_to_null(void)
{
	int saved, null;

	fflush(stdout);
	saved = dup(1);
	null = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && null >= 0);
	dup2(null, 1);
	close(null);
	return saved;
}

void unit_stdout_restore(int saved)
{
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
}

char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xstrfmt("%s/bpfdigest-unit.XXXXXX", base && *base ? base : "/tmp");

	if (!mkdtemp(dir))
		fail_msg("cannot make a directory '%s'", dir);
	return dir;
}

void unit_rmtree(const char *dir)
{
	unit_sh("rm -rf '%s'", dir);
}

void unit_write_file(const char *path, const char *mode, const char *content)
{
	FILE *fp = fopen(path, mode);

	if (!fp || fputs(content, fp) < 0 || fclose(fp))
		fail_msg("cannot write '%s'", path);
}

void unit_sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int status;

	/* A fixed identity, and nothing of the user's configuration. */
	strbuf_addstr(&cmd, "export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL=author@example.com "
		      "GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL=committer@example.com "
		      "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_COUNT=1 "
		      "GIT_CONFIG_KEY_0=init.defaultBranch GIT_CONFIG_VALUE_0=master; ");
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	status = system(cmd.buf);
	if (status != 0)
		fail_msg("command failed (%d): %s", status, cmd.buf);
	strbuf_release(&cmd);
}

struct mail *unit_mail(const char *from, const char *mid, const char *reply_to,
		       const char *date, const char *subject, const char *body, unsigned flags)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	strbuf_addf(&raw, "From: %s\nMessage-ID: <%s>\nDate: %s\nSubject: %s\n", from, mid, date,
		    subject);
	if (reply_to)
		strbuf_addf(&raw, "In-Reply-To: <%s>\nReferences: <%s>\n", reply_to, reply_to);
	strbuf_addf(&raw, "\n%s", body);
	if (mail_parse(m, raw.buf, raw.len, flags, &err) < 0)
		fail_msg("fixture does not parse: %s", err.buf);
	strbuf_release(&raw);
	strbuf_release(&err);
	return m;
}

char *unit_inbox_commit(const char *repo, const char *file, const char *content)
{
	struct strbuf out = STRBUF_INIT;
	char *msg = xstrfmt("%s/.unit-message", repo), *res = xstrfmt("%s/.unit-commit", repo);
	FILE *fp = fopen(msg, "wb");

	if (!fp || fwrite(content, 1, strlen(content), fp) != strlen(content) || fclose(fp))
		fail_msg("cannot write '%s'", msg);
	unit_sh("set -e; cd '%s'; blob=$(git hash-object -w .unit-message); "
		"tree=$(printf '100644 blob %%s\t%s\n' $blob | git mktree); "
		"parent=$(git rev-parse -q --verify HEAD || :); "
		"commit=$(git commit-tree $tree ${parent:+-p $parent} -m message); "
		"git update-ref HEAD $commit; echo $commit >.unit-commit", repo, file);
	unit_read_file(&out, res);
	strbuf_trim(&out);
	unlink(msg);
	unlink(res);
	free(msg);
	free(res);
	return strbuf_detach(&out, NULL);
}

char *unit_message(int n)
{
	return xstrfmt("Message-ID: <%d@example.org>\nSubject: message %d\n"
		       "From: A <a@example.org>\nDate: Mon, 6 Apr 2026 10:00:%02d +0000\n\n"
		       "body %d\n", n, n, n % 60, n);
}

char *unit_inbox_add(const char *repo, int n)
{
	char *msg = unit_message(n), *commit = unit_inbox_commit(repo, "m", msg);

	free(msg);
	return commit;
}
