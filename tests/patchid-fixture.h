/*
 * patchid-fixture.h - diffs for the patch-id tests, and git's id of them.
 *
 * edit_diff changes a libbpf file and a kernel file; rename_diff renames
 * a libbpf header with an edit.  The mail side (test-patchid.c) hashes
 * them and the path maps (test-patchid-pathmap.c) rewrite them; both
 * check what they get against "git patch-id --stable" itself.
 */
#ifndef PATCHID_FIXTURE_H
#define PATCHID_FIXTURE_H

#include "unit.h"
#include "strbuf.h"

#include <git2.h>
#include <stdio.h>

static const char edit_diff[] =
	"diff --git a/tools/lib/bpf/btf.c b/tools/lib/bpf/btf.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/tools/lib/bpf/btf.c\n"
	"+++ b/tools/lib/bpf/btf.c\n"
	"@@ -10,7 +10,7 @@ int btf_dump(void *d)\n"
	" \tvoid *buf;\n"
	" \n"
	" \tif (!d)\n"
	"-\t\treturn -1;\n"
	"+\t\treturn -EINVAL;\n"
	" \tbuf = malloc(16);\n"
	" \tfree(buf);\n"
	" \treturn 0;\n"
	"diff --git a/kernel/bpf/core.c b/kernel/bpf/core.c\n"
	"index 3333333..4444444 100644\n"
	"--- a/kernel/bpf/core.c\n"
	"+++ b/kernel/bpf/core.c\n"
	"@@ -1,3 +1,4 @@\n"
	" int a;\n"
	"+int b;\n"
	" int c;\n"
	" int d;\n";

static const char rename_diff[] =
	"diff --git a/tools/lib/bpf/old.h b/tools/lib/bpf/new.h\n"
	"similarity index 83%\n"
	"rename from tools/lib/bpf/old.h\n"
	"rename to tools/lib/bpf/new.h\n"
	"index 5555555..6666666 100644\n"
	"--- a/tools/lib/bpf/old.h\n"
	"+++ b/tools/lib/bpf/new.h\n"
	"@@ -1,3 +1,3 @@\n"
	" #ifndef X\n"
	"-#define Y 1\n"
	"+#define Y 2\n"
	" #endif\n";

/* What "git patch-id --stable" says of text (its first id). */
static inline void git_patch_id(git_oid *out, const char *text)
{
	char *dir = unit_tmpdir(), *path = xstrfmt("%s/in", dir), line[128];
	FILE *f = fopen(path, "w"), *p;
	struct strbuf cmd = STRBUF_INIT;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	strbuf_addf(&cmd, "git patch-id --stable <'%s'", path);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	line[GIT_OID_HEXSZ] = '\0';
	assert_int_equal(git_oid_fromstr(out, line), 0);
	unit_rmtree(dir);
	strbuf_release(&cmd);
	free(path);
	free(dir);
}

#endif
