#include "unit.h"
#include "release-areas.h"

#include <stdlib.h>
#include <string.h>

static const char *area_name(const struct release_areas *areas, int area)
{
	return area < 0 ? "(none)" : areas->items[area].name;
}

static void assert_path_area(const struct release_areas *areas, const char *path,
			     const char *want)
{
	const char *got = area_name(areas, release_areas_of_path(areas, path));

	if (strcmp(got, want))
		fail_msg("'%s' is in area '%s', not '%s'", path, got, want);
}

static void assert_subject_area(const struct release_areas *areas, const char *subject,
				const char *want)
{
	const char *got = area_name(areas, release_areas_of_subject(areas, subject));

	if (strcmp(got, want))
		fail_msg("'%s' names area '%s', not '%s'", subject, got, want);
}

static void test_paths(void **state)
{
	struct release_areas areas;

	release_areas_init(&areas);
	assert_path_area(&areas, "kernel/bpf/verifier.c", "verifier");
	assert_path_area(&areas, "include/linux/bpf_verifier.h", "verifier");
	assert_path_area(&areas, "kernel/bpf/syscall.c", "core");
	assert_path_area(&areas, "kernel/bpf/hashtab.c", "core");
	assert_path_area(&areas, "include/linux/bpf.h", "core");
	assert_path_area(&areas, "include/uapi/linux/bpf.h", "core");
	assert_path_area(&areas, "tools/include/uapi/linux/bpf.h", "core");
	/* The more specific glob wins over kernel/bpf/. */
	assert_path_area(&areas, "kernel/bpf/cpumap.c", "net");
	assert_path_area(&areas, "kernel/bpf/stackmap.c", "tracing");
	assert_path_area(&areas, "net/core/filter.c", "net");
	assert_path_area(&areas, "drivers/net/veth.c", "net");
	assert_path_area(&areas, "kernel/trace/bpf_trace.c", "tracing");
	assert_path_area(&areas, "arch/x86/net/bpf_jit_comp.c", "jit-x86");
	assert_path_area(&areas, "arch/arm64/net/bpf_jit_comp.c", "jit-arm64");
	assert_path_area(&areas, "arch/arm/net/bpf_jit_32.c", "jit-arm");
	assert_path_area(&areas, "arch/riscv/net/bpf_jit_comp64.c", "jit-riscv");
	assert_path_area(&areas, "arch/s390/net/bpf_jit_comp.c", "jit-s390");
	assert_path_area(&areas, "arch/powerpc/net/bpf_jit_comp64.c", "jit-powerpc");
	assert_path_area(&areas, "arch/loongarch/net/bpf_jit.c", "jit-loongarch");
	assert_path_area(&areas, "arch/arc/net/bpf_jit_core.c", "jit");
	assert_path_area(&areas, "arch/x86/kernel/alternative.c", "(none)");
	assert_path_area(&areas, "tools/lib/bpf/libbpf.c", "libbpf");
	assert_path_area(&areas, "tools/bpf/bpftool/prog.c", "bpftool");
	assert_path_area(&areas, "tools/bpf/resolve_btfids/main.c", "(none)");
	assert_path_area(&areas, "tools/testing/selftests/bpf/prog_tests/xdp.c", "selftests");
	assert_path_area(&areas, "Documentation/bpf/kfuncs.rst", "docs");
	assert_path_area(&areas, "mm/memory.c", "(none)");
	assert_string_equal(area_name(&areas, release_areas_other(&areas)), "other");
	assert_int_equal(release_areas_other(&areas), (int)areas.nr - 1);
	release_areas_clear(&areas);
}

static void test_subjects(void **state)
{
	struct release_areas areas;

	release_areas_init(&areas);
	assert_subject_area(&areas, "bpf, x86: Fix tail calls", "jit-x86");
	assert_subject_area(&areas, "x86/bpf: Fix tail calls", "jit-x86");
	assert_subject_area(&areas, "bpf, arm64: Support kfuncs", "jit-arm64");
	assert_subject_area(&areas, "arm64: bpf: Support kfuncs", "jit-arm64");
	assert_subject_area(&areas, "riscv, bpf: Add Zba support", "jit-riscv");
	assert_subject_area(&areas, "s390/bpf: Fix a leak", "jit-s390");
	assert_subject_area(&areas, "powerpc64/bpf: Fix a leak", "jit-powerpc");
	assert_subject_area(&areas, "LoongArch, bpf: Fix a leak", "jit-loongarch");
	assert_subject_area(&areas, "selftests/bpf: Add a test", "selftests");
	assert_subject_area(&areas, "selftest/bpf: Add a test", "selftests");
	assert_subject_area(&areas, "bpf/selftests: Add a test", "selftests");
	/* The first word that names an area decides. */
	assert_subject_area(&areas, "selftests: net: Add a test", "selftests");
	assert_subject_area(&areas, "libbpf, selftests/bpf: Adjust to LLVM", "libbpf");
	assert_subject_area(&areas, "libbpf: ringbuf: Consume up to n", "libbpf");
	assert_subject_area(&areas, "tools: bpftool: Dump maps", "bpftool");
	assert_subject_area(&areas, "bpftool: Dump maps", "bpftool");
	assert_subject_area(&areas, "bpf: docs: Fix a typo", "docs");
	assert_subject_area(&areas, "docs/bpf: Fix a typo", "docs");
	assert_subject_area(&areas, "bpf, sockmap: Fix a race", "net");
	assert_subject_area(&areas, "net: Add a hook", "net");
	assert_subject_area(&areas, "bpf/verifier: Track more", "verifier");
	assert_subject_area(&areas, "bpf_trace: Add a helper", "tracing");
	/* An architecture without "bpf" is not a JIT. */
	assert_subject_area(&areas, "perf/x86/intel: Support Lunar Lake", "tracing");
	assert_subject_area(&areas, "x86/mm: Fix it", "(none)");
	/* "bpf:" alone says nothing; nor does prose with a colon. */
	assert_subject_area(&areas, "bpf: Fix the verifier", "(none)");
	assert_subject_area(&areas, "Revert \"selftests/bpf: Add a test\"", "(none)");
	assert_subject_area(&areas, "tools headers UAPI: Sync linux/bpf.h", "(none)");
	assert_subject_area(&areas, "", "(none)");
	release_areas_clear(&areas);
}

static void test_configured_areas(void **state)
{
	struct release_areas areas;
	int other, sched;

	release_areas_init(&areas);
	other = release_areas_other(&areas);
	assert_int_equal(release_areas_add(&areas, "sched-ext", "kernel/sched/ext*"), 0);
	assert_int_equal(release_areas_add(&areas, "sched-ext", "tools/sched_ext/"), 0);
	sched = release_areas_find(&areas, "sched-ext");
	/* A new area goes before "other", weighing as the kernel. */
	assert_int_equal(sched, other);
	assert_int_equal(release_areas_other(&areas), other + 1);
	assert_int_equal(areas.items[sched].rank, RELEASE_RANK_KERNEL);
	assert_path_area(&areas, "kernel/sched/ext.c", "sched-ext");
	assert_path_area(&areas, "tools/sched_ext/scx.c", "sched-ext");
	/* The rules of the other areas still point at them. */
	assert_path_area(&areas, "kernel/bpf/verifier.c", "verifier");
	assert_path_area(&areas, "Documentation/bpf/kfuncs.rst", "docs");
	assert_subject_area(&areas, "bpf: docs: Fix", "docs");
	/* An added glob wins a tie, not over a more specific one. */
	assert_int_equal(release_areas_add(&areas, "net", "kernel/bpf/"), 0);
	assert_path_area(&areas, "kernel/bpf/syscall.c", "net");
	assert_path_area(&areas, "kernel/bpf/verifier.c", "verifier");
	assert_int_equal(release_areas_add(&areas, "TRACING", "kernel/bpf/helpers.c"), 0);
	assert_path_area(&areas, "kernel/bpf/helpers.c", "tracing");
	/* Names git would not take, and empty globs. */
	assert_int_equal(release_areas_add(&areas, "a.b", "x/"), -1);
	assert_int_equal(release_areas_add(&areas, "9lives", "x/"), -1);
	assert_int_equal(release_areas_add(&areas, "", "x/"), -1);
	assert_int_equal(release_areas_add(&areas, "x", ""), -1);
	assert_int_equal(release_areas_add(&areas, "x", NULL), -1);
	release_areas_clear(&areas);
}

static void test_weightiest(void **state)
{
	struct release_areas areas;
	size_t *counts;
	int docs, verifier;

	release_areas_init(&areas);
	counts = calloc(areas.nr, sizeof(*counts));
	docs = release_areas_find(&areas, "docs");
	verifier = release_areas_find(&areas, "verifier");
	assert_true(docs >= 0 && verifier >= 0);
	/* Nothing counted: "other". */
	assert_int_equal(release_areas_weightiest(&areas, counts), release_areas_other(&areas));
	/* The kernel outweighs documentation, however many files it has. */
	counts[docs] = 5;
	counts[verifier] = 1;
	assert_int_equal(release_areas_weightiest(&areas, counts), verifier);
	counts[verifier] = 0;
	assert_int_equal(release_areas_weightiest(&areas, counts), docs);
	free(counts);
	release_areas_clear(&areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_subjects),
		cmocka_unit_test(test_configured_areas),
		cmocka_unit_test(test_weightiest),
	};
	return unit_run("release-areas", tests, ARRAY_SIZE(tests));
}
