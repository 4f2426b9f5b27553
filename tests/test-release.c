#include "unit.h"
#include "link.h"
#include "mail.h"
#include "patchid-pathmap.h"
#include "range.h"
#include "release.h"
#include "release-fixture.h"
#include "series.h"
#include "strbuf.h"

#include <git2.h>
#include <stdio.h>

/* --- a tree and its archive (release-fixture.h) ------------------------------------ */

static const char *commit_area(const struct release *rel, const char *summary)
{
	return rel->areas->items[commit_titled(rel, summary)->area].name;
}

static void assert_series(const struct release *rel, size_t i, const char *area,
			  const char *title, size_t commits)
{
	const struct release_series *s = &rel->series[i];

	assert_true(i < rel->series_nr);
	assert_string_equal(rel->areas->items[s->area].name, area);
	assert_string_equal(s->title, title);
	assert_int_equal(s->commits_nr, commits);
}

static void test_grouping(void **state)
{
	struct world w;
	struct release rel;
	const struct release_series *widgets;
	size_t i, seen = 0;

	build_world(&w);
	build(&w, &rel, NULL);
	/* Every commit but the merge, each once: in a series or unposted. */
	assert_int_equal(rel.nr, 9);
	for (i = 0; i < rel.series_nr; i++)
		seen += rel.series[i].commits_nr;
	assert_int_equal(seen + rel.unposted_nr, rel.nr);
	/* By area in table order: verifier, core, the x86 JIT, libbpf. */
	assert_int_equal(rel.series_nr, 4);
	assert_series(&rel, 0, "verifier", "bpf: Fix a verifier bug", 1);
	assert_series(&rel, 1, "core", "Widget maps", 3);
	assert_series(&rel, 2, "jit-x86", "bpf, x86: Fix the JIT", 1);
	/* Posted with the kernel path: the mirror's src/bpf.c is libbpf. */
	assert_series(&rel, 3, "libbpf", "bpf: Tidy the loader", 1);
	/* The series' commits oldest first, each area its own. */
	widgets = &rel.series[1];
	assert_string_equal(rel.commits[widgets->commits[0]].link->summary, "bpf: Add widget maps");
	assert_string_equal(commit_area(&rel, "bpf: Add widget maps"), "core");
	assert_string_equal(commit_area(&rel, "libbpf: Support widget maps"), "libbpf");
	assert_string_equal(commit_area(&rel, "selftests/bpf: Test widget maps"), "selftests");
	assert_int_equal(widgets->authors_nr, 2);
	assert_string_equal(rel.people[widgets->authors[0]].name, "Jane Dev");
	assert_string_equal(rel.people[widgets->authors[1]].name, "John Roe");
	assert_int_equal(commit_titled(&rel, "bpf: Add widget maps")->series, 1);
	/* Unposted, oldest first, with their areas. */
	assert_int_equal(rel.unposted_nr, 3);
	assert_string_equal(rel.commits[rel.unposted[0]].link->summary, "bpf: Mirror only");
	assert_int_equal(commit_titled(&rel, "bpf: Mirror only")->series, -1);
	assert_string_equal(commit_area(&rel, "bpf: Mirror only"), "other");
	assert_string_equal(commit_area(&rel, "Side work"), "docs");
	assert_string_equal(commit_area(&rel, "Release 7.1-rc1"), "other");
	assert_true(rel.first < rel.last);
	release_clear(&rel);
	free_world(&w);
}

static void test_people(void **state)
{
	struct world w;
	struct release rel;
	size_t i;

	build_world(&w);
	build(&w, &rel, NULL);
	/*
	 * Rev Iewer reviewed twice (a Reviewed-by of his old address and an
	 * ack on the list) and wrote the release commit as Old Name: one
	 * person after .mailmap.  The robot's Tested-by is not thanked.
	 */
	assert_int_equal(rel.people_nr, 4);
	assert_string_equal(rel.people[0].name, "A U Thor");
	assert_string_equal(rel.people[1].name, "Jane Dev");
	assert_string_equal(rel.people[2].name, "John Roe");
	assert_string_equal(rel.people[3].name, "Rev Iewer");
	assert_string_equal(rel.people[3].email, "rev@x.org");
	assert_int_equal(rel.people[3].roles, RELEASE_AUTHOR | RELEASE_REVIEWER);
	assert_int_equal(rel.people[1].roles, RELEASE_AUTHOR);
	assert_int_equal(rel.authors, 4);
	assert_int_equal(rel.reviewers, 1);
	for (i = 0; i < rel.people_nr; i++)
		assert_null(strstr(rel.people[i].name, "robot"));
	assert_string_equal(rel.people[commit_titled(&rel, "Release 7.1-rc1")->author].name,
			    "Rev Iewer");
	release_clear(&rel);
	free_world(&w);
}

static void test_mirror_paths(void **state)
{
	struct world w;
	struct release rel;
	struct patchid_pathmap map = PATCHID_PATHMAP_INIT;

	build_world(&w);
	/* bpfdigest.pathMap read backwards: src/btf.c is tools/lib/bpf/btf.c. */
	assert_int_equal(patchid_pathmap_add(&map, "tools/lib/bpf/:src/"), 0);
	build(&w, &rel, &map);
	assert_string_equal(commit_area(&rel, "bpf: Mirror only"), "libbpf");
	assert_string_equal(commit_area(&rel, "bpf: Tidy the loader"), "libbpf");
	release_clear(&rel);
	patchid_pathmap_release(&map);
	free_world(&w);
}

/* A tree of kernel paths keeps them: its Makefile is no tools/lib/bpf/Makefile. */
static void test_kernel_paths_stay(void **state)
{
	struct world w;
	struct release rel;
	struct link_set links = LINK_SET_INIT;
	struct link_options lopts;
	struct release_options opts;
	git_oid *ids;
	size_t nr;

	build_world(&w);
	assert_int_equal(range_commits(&ids, &nr, w.l.repo, "master..fixup"), 0);
	memset(&lopts, 0, sizeof(lopts));
	lopts.load_body = link_world_no_body;
	assert_int_equal(link_commits(&links, w.l.repo, ids, nr, &w.l.set, &lopts), 0);
	opts.areas = &w.areas;
	opts.pathmap = NULL;
	assert_int_equal(release_build(&rel, w.l.repo, &links, &opts), 0);
	assert_int_equal(rel.nr, 1);
	assert_int_equal(rel.series_nr, 1);
	assert_string_equal(commit_area(&rel, "bpf: Build the test"), "selftests");
	release_clear(&rel);
	link_set_release(&links);
	free(ids);
	free_world(&w);
}

static void test_configured_area_in_build(void **state)
{
	struct world w;
	struct release rel;

	build_world(&w);
	assert_int_equal(release_areas_add(&w.areas, "widgets", "kernel/bpf/widget*"), 0);
	assert_int_equal(release_areas_add(&w.areas, "widgets", "include/uapi/linux/bpf.h"), 0);
	build(&w, &rel, NULL);
	assert_string_equal(commit_area(&rel, "bpf: Add widget maps"), "widgets");
	/* The series goes with its weightiest commit: widgets, not libbpf. */
	assert_string_equal(rel.areas->items[rel.series[commit_titled(&rel,
		"libbpf: Support widget maps")->series].area].name, "widgets");
	release_clear(&rel);
	free_world(&w);
}

static void test_summaries(void **state)
{
	struct world w;
	struct release rel;

	build_world(&w);
	build(&w, &rel, NULL);
	/* Only a series of several commits speaks through its cover. */
	assert_non_null(release_summary_source(&rel.series[1]));
	assert_null(release_summary_source(&rel.series[0]));
	assert_int_equal(release_summarize(&rel, w.l.repo), 0);
	assert_string_equal(rel.series[1].summary,
			    "This series adds widget maps to the kernel and libbpf.");
	/* The sentence saying what the change does, not the problem. */
	assert_string_equal(rel.series[0].summary, "Reject it by checking the bounds.");
	/* The commit says nothing: the posting does, its greeting left out. */
	assert_string_equal(rel.series[2].summary, "Fix the jump offset of tail calls in the JIT.");
	assert_string_equal(rel.series[3].summary, "Tidy the loader code.");
	release_clear(&rel);
	free_world(&w);
}

static void test_empty(void **state)
{
	struct world w;
	struct release rel;
	struct link_set empty = LINK_SET_INIT;
	struct release_options opts;

	build_world(&w);
	opts.areas = &w.areas;
	opts.pathmap = NULL;
	assert_int_equal(release_build(&rel, w.l.repo, &empty, &opts), 0);
	assert_int_equal(rel.nr, 0);
	assert_int_equal(rel.series_nr, 0);
	assert_int_equal(rel.people_nr, 0);
	assert_int_equal(rel.first, 0);
	assert_int_equal(release_summarize(&rel, w.l.repo), 0);
	release_clear(&rel);
	free_world(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_people),
		cmocka_unit_test(test_mirror_paths),
		cmocka_unit_test(test_kernel_paths_stay),
		cmocka_unit_test(test_configured_area_in_build),
		cmocka_unit_test(test_summaries),
		cmocka_unit_test(test_empty),
	};

	return unit_run("release", tests, ARRAY_SIZE(tests));
}
