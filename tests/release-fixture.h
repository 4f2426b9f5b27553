/*
 * release-fixture.h - a tree and its archive for the release tests.
 *
 * After the tag v7.0, oldest first: the widget series (kernel, libbpf
 * and selftests, one patch by John), an x86 JIT fix, a verifier fix
 * (acked on the list, and by a bot), a libbpf mirror commit posted with
 * the kernel path, a mirror commit never posted, a side branch touching
 * the docs merged in, and a release commit by an old address of the
 * reviewer that .mailmap maps.  Beside them, on the branch fixup, a
 * commit whose Makefile differs from the one its posting touched.
 * Dates and identities are fixed.
 */
#ifndef RELEASE_FIXTURE_H
#define RELEASE_FIXTURE_H

#include "link-world.h"
#include "release.h"

struct world {
	struct link_world l;
	struct release_areas areas;
};

static void build_world(struct world *w)
{
	link_world_init(&w->l);
	unit_sh("cd '%s' && git init -q . && "
		"printf 'Rev Iewer <rev@x.org> <old@x.org>\\n' >.mailmap && echo 7.0 >Makefile && "
		"git add . && GIT_AUTHOR_DATE=2026-04-01T00:00:00Z GIT_COMMITTER_DATE=2026-04-01T00:00:00Z "
		"git commit -q -m 'Linux 7.0' && git tag v7.0 && "
		"c() { for f in $1; do mkdir -p $(dirname $f) && echo \"$4\" >>$f && git add $f; done && "
		"GIT_AUTHOR_NAME=\"$2\" GIT_AUTHOR_EMAIL=$3 GIT_AUTHOR_DATE=$4 GIT_COMMITTER_DATE=$4 "
		"git commit -q -F -; } && "
		"printf 'bpf: Add widget maps\\n\\nWidgets need a home.\\n\\n"
		"Reviewed-by: Old Name <old@x.org>\\nLink: https://lore.kernel.org/r/w1@x\\n' | "
		"c 'kernel/bpf/widget.c include/uapi/linux/bpf.h' 'Jane Dev' jane@x.org 2026-04-06T10:00:01Z && "
		"printf 'libbpf: Support widget maps\\n\\nLink: https://lore.kernel.org/r/w2@x\\n' | "
		"c tools/lib/bpf/libbpf.c 'Jane Dev' jane@x.org 2026-04-06T10:00:02Z && "
		"printf 'selftests/bpf: Test widget maps\\n\\nLink: https://lore.kernel.org/r/w3@x\\n' | "
		"c tools/testing/selftests/bpf/widget.c 'John Roe' john@x.org 2026-04-06T10:00:03Z && "
		"printf 'bpf, x86: Fix the JIT\\n\\nLink: https://lore.kernel.org/r/x1@x\\n' | "
		"c 'arch/x86/net/bpf_jit_comp.c kernel/bpf/core.c' 'Jane Dev' jane@x.org 2026-04-07T10:00:01Z && "
		"printf 'bpf: Fix a verifier bug\\n\\nThe verifier accepted a bad program. "
		"Reject it by checking the bounds.\\n\\nLink: https://lore.kernel.org/r/v1@x\\n' | "
		"c 'kernel/bpf/verifier.c tools/testing/selftests/bpf/verifier/a.c' 'Jane Dev' jane@x.org "
		"2026-04-08T10:00:01Z && "
		"printf 'bpf: Tidy the loader\\n\\nLink: https://lore.kernel.org/r/m1@x\\n' | "
		"c src/bpf.c 'Jane Dev' jane@x.org 2026-04-09T10:00:01Z && "
		"printf 'bpf: Mirror only\\n' | c src/btf.c 'Jane Dev' jane@x.org 2026-04-10T10:00:01Z && "
		"git checkout -q -b side && "
		"printf 'Side work\\n' | c Documentation/bpf/side.rst 'A U Thor' author@example.com "
		"2026-04-11T10:00:01Z && git checkout -q master && "
		"printf 'Release 7.1-rc1\\n' | c Makefile 'Old Name' old@x.org 2026-04-12T10:00:01Z && "
		"GIT_COMMITTER_DATE=2026-04-13T10:00:01Z git merge -q --no-ff -m merge side && "
		"git checkout -q -b fixup v7.0 && "
		"printf 'bpf: Build the test\\n\\nLink: https://lore.kernel.org/r/f1@x\\n' | "
		"c 'Makefile tools/testing/selftests/bpf/x.c' 'Jane Dev' jane@x.org 2026-04-14T10:00:01Z && "
		"git checkout -q master",
		w->l.dir);
	link_world_open(&w->l);

	link_world_add_mail(&w->l, jane, "w0@x", NULL, "Mon, 6 Apr 2026 09:00:00 +0000",
		 "[PATCH bpf-next 0/3] Widget maps",
		 "This series adds widget maps to the kernel and libbpf.\n");
	link_world_add_mail(&w->l, jane, "w1@x", "w0@x", "Mon, 6 Apr 2026 09:00:01 +0000",
		 "[PATCH bpf-next 1/3] bpf: Add widget maps", "Widgets need a home.\n");
	link_world_add_mail(&w->l, jane, "w2@x", "w0@x", "Mon, 6 Apr 2026 09:00:02 +0000",
		 "[PATCH bpf-next 2/3] libbpf: Support widget maps", "Support them.\n");
	link_world_add_mail(&w->l, jane, "w3@x", "w0@x", "Mon, 6 Apr 2026 09:00:03 +0000",
		 "[PATCH bpf-next 3/3] selftests/bpf: Test widget maps", "Test them.\n");
	link_world_add_mail(&w->l, jane, "x1@x", NULL, "Tue, 7 Apr 2026 09:00:00 +0000",
		 "[PATCH bpf-next] bpf, x86: Fix the JIT", "Hi, fix the jump offset of tail calls in the JIT.\n");
	link_world_add_mail(&w->l, jane, "v1@x", NULL, "Wed, 8 Apr 2026 09:00:00 +0000",
		 "[PATCH bpf-next] bpf: Fix a verifier bug", "Bad programs.\n");
	link_world_add_mail(&w->l, "Rev Iewer <rev@x.org>", "r1@x", "v1@x", "Wed, 8 Apr 2026 09:30:00 +0000",
		 "Re: [PATCH bpf-next] bpf: Fix a verifier bug", "Acked-by: Rev Iewer <rev@x.org>\n");
	link_world_add_mail(&w->l, "kernel test robot <lkp@intel.com>", "r2@x", "v1@x",
		 "Wed, 8 Apr 2026 09:40:00 +0000", "Re: [PATCH bpf-next] bpf: Fix a verifier bug",
		 "Tested-by: kernel test robot <lkp@intel.com>\n");
	link_world_add_mail(&w->l, jane, "m1@x", NULL, "Thu, 9 Apr 2026 09:00:00 +0000",
		 "[PATCH bpf-next] bpf: Tidy the loader",
		 "Tidy the loader code.\n---\ndiff --git a/tools/lib/bpf/bpf.c b/tools/lib/bpf/bpf.c\n"
		 "--- a/tools/lib/bpf/bpf.c\n+++ b/tools/lib/bpf/bpf.c\n@@ -1 +1 @@\n-a\n+b\n");
	link_world_add_mail(&w->l, jane, "f1@x", NULL, "Tue, 14 Apr 2026 09:00:00 +0000",
		 "[PATCH bpf-next] bpf: Build the test",
		 "Build it.\n---\ndiff --git a/tools/testing/selftests/bpf/x.c b/tools/testing/selftests/bpf/x.c\n"
		 "--- a/tools/testing/selftests/bpf/x.c\n+++ b/tools/testing/selftests/bpf/x.c\n"
		 "@@ -1 +1 @@\n-a\n+b\n"
		 "diff --git a/tools/lib/bpf/Makefile b/tools/lib/bpf/Makefile\n"
		 "--- a/tools/lib/bpf/Makefile\n+++ b/tools/lib/bpf/Makefile\n@@ -1 +1 @@\n-a\n+b\n");
	link_world_link(&w->l, "v7.0..master");
	release_areas_init(&w->areas);
}

static void free_world(struct world *w)
{
	release_areas_clear(&w->areas);
	link_world_free(&w->l);
}

static void build(struct world *w, struct release *rel, const struct patchid_pathmap *map)
{
	struct release_options opts = { &w->areas, map };

	assert_int_equal(release_build(rel, w->l.repo, &w->l.links, &opts), 0);
}

static const struct release_commit *commit_titled(const struct release *rel, const char *summary)
{
	size_t i;

	for (i = 0; i < rel->nr; i++)
		if (!strcmp(rel->commits[i].link->summary, summary))
			return &rel->commits[i];
	fail_msg("no commit '%s'", summary);
	return NULL;
}

#endif
