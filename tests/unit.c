#include "unit.h"
#include "strbuf.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int unit_run(const char *name, const struct CMUnitTest *tests, size_t nr)
{
	git_libgit2_init();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(name, tests, nr, NULL, NULL);
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
