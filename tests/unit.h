/*
 * unit.h - what every unit test under tests/ shares.
 *
 * Unit tests use cmocka and print TAP, so prove can run them next to the
 * shell tests in t/.  Each tests/test-<module>.c tests lib/<module>.c and
 * ends with
 *
 *   int main(void) { return unit_run("module", tests, ARRAY_SIZE(tests)); }
 *
 * Tests that read ../shared/corpus find it with unit_corpus_path(), which
 * returns NULL when the corpus is absent; such a test calls skip().
 */
#ifndef BPFDIGEST_UNIT_H
#define BPFDIGEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xalloc.h"

struct mail;
struct strbuf;

int unit_run(const char *name, const struct CMUnitTest *tests, size_t nr);

/*
 * UNIT_EXPECT_DIE(stmt): stmt must die(); its exit code and message are
 * then in unit_died_code and unit_died_msg, and the test goes on.
 */
extern jmp_buf unit_died_jmp;
extern int unit_died_code;
extern char unit_died_msg[4096];
__attribute__((noreturn)) void unit_die_routine(int code, const char *msg);
void unit_set_die_routine(int on);
#define UNIT_EXPECT_DIE(stmt)                                            \
	do {                                                             \
		unit_set_die_routine(1);                                 \
		if (!setjmp(unit_died_jmp)) {                            \
			stmt;                                            \
			unit_set_die_routine(0);                         \
			fail_msg("did not die: %s", #stmt);              \
		}                                                        \
		unit_set_die_routine(0);                                 \
	} while (0)

/* "<corpus>/<rel>" as a new string, or NULL when the corpus is absent. */
char *unit_corpus_path(const char *rel);
/* Read a whole file into sb; fails the test when it cannot. */
void unit_read_file(struct strbuf *sb, const char *path);

/*
 * Standard output away from any terminal, for code that looks: returns
 * the descriptor unit_stdout_restore() puts back.
 */
int unit_stdout_to_null(void);
void unit_stdout_restore(int saved);

/*
 * Scratch repositories for tests of code that reads or writes git:
 * unit_tmpdir() makes a new empty directory (the caller frees the name,
 * unit_rmtree() removes it), unit_sh() runs a shell command line and
 * fails the test unless it exits 0.
 */
char *unit_tmpdir(void);
void unit_rmtree(const char *dir);
__attribute__((format(printf, 1, 2)))
void unit_sh(const char *fmt, ...);

/*
 * A mail from its parts (In-Reply-To and References name reply_to when
 * it is not NULL), parsed with mail_parse() flags; fails the test when it
 * does not parse.  The caller frees it with mail_release() and free().
 */
struct mail *unit_mail(const char *from, const char *mid, const char *reply_to,
		       const char *date, const char *subject, const char *body, unsigned flags);

/* Write (mode "w") or append (mode "a") content to path; fail the test when it cannot. */
void unit_write_file(const char *path, const char *mode, const char *content);
/*
 * Commit one file (public-inbox's "m" or "d") holding content on HEAD of
 * the bare repository repo, as public-inbox does: the tree holds only
 * that file.  Returns the commit id as a new string.
 */
char *unit_inbox_commit(const char *repo, const char *file, const char *content);
/* A small mail: Message-ID <n@example.org>, Subject "message n", body "body n". */
char *unit_message(int n);
/* Commit unit_message(n) as "m"; returns the commit id as a new string. */
char *unit_inbox_add(const char *repo, int n);

/* Skip the current test unless the corpus is there; evaluates to the path. */
#define UNIT_CORPUS_OR_SKIP(var, rel)                      \
	do {                                               \
		(var) = unit_corpus_path(rel);             \
		if (!(var)) {                              \
			print_message("corpus absent\n");  \
			skip();                            \
		}                                          \
	} while (0)

#endif
