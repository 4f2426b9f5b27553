#include "unit.h"
#include "prose.h"
#include "sentence.h"
#include "strbuf.h"

static void test_prose_drops_noise(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	prose_text(&sb,
		"The map leaks when the\nlookup fails.\n\n"
		"  BUG: KASAN: use-after-free in foo+0x10\n  Call Trace:\n\n"
		"On Mon, Jane wrote:\n> quoted\n\n"
		"Link: https://lore.kernel.org/r/x@y\n\n"
		"Fix it.\n\n"
		"Signed-off-by: A <a@b.c>\n");
	assert_string_equal(sb.buf, "The map leaks when the lookup fails.\nFix it.");
	strbuf_release(&sb);
}

static void test_prose_headers_footnotes_notes_changelog(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	prose_text(&sb,
		"From: Andrea Righi <arighi@nvidia.com>\n\n"
		"Hi all,\n\n"
		"Add a selftest for the deadline server [1], as\nsuggested in [2].\n"
		"[ Joel: Replaced occurences of CFS in the test\n  with EXT. ]\n\n"
		"- a list item\n* another\n1. first\n3-5: the rest\n\n"
		"The verifier now tracks it:\n"
		"if (x) {\n\treturn 0;\n}\n\n"
		"Fixes: 0123456789ab (\"bpf: Something\")\n"
		"Reported-by: X <x@y.z>\n\n"
		"Changes in v2:\n- Rebased.\n\n"
		"Later text is changelog.\n\n"
		"Thanks,\nJane\n");
	assert_string_equal(sb.buf,
			    "Add a selftest for the deadline server, as suggested.");
	strbuf_reset(&sb);
	/* A cover: shortlog and diffstat end the prose; a changelog first is skipped. */
	prose_text(&sb,
		"v2:\n- first item\n\n"
		"This series adds widgets.\n\n"
		"Jane Dev (2):\n  bpf: Add widget maps\n\n"
		" kernel/bpf/widget.c | 1 +\n 1 file changed\n");
	assert_string_equal(sb.buf, "This series adds widgets.");
	strbuf_release(&sb);
}


/* Every sentence a summary could take from text, one line. */
static char *sentences_of(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	prose_lead(&sb, text, 50);
	return strbuf_detach(&sb, NULL);
}

#define assert_has(hay, needle) assert_non_null(strstr((hay), (needle)))
#define assert_lacks(hay, needle) assert_null(strstr((hay), (needle)))

/* Real commit messages of the archive (Message-IDs named), cut after their prose. */
static void test_junk_list_cut_at_its_lead(void **state)
{
	/* 20250313172127.1098195-2-luis.gerhorst@fau.de: a short list folds into its lead. */
	char *got = sentences_of(
		"This is required to catch the errors later and fall back to a nospec if\n"
		"on a speculative path.\n\n"
		"Move code into do_check_insn(), replace\n"
		"* \"continue\" with \"return INSN_IDX_MODIFIED\"\n"
		"* \"goto process_bpf_exit\" with \"return PROCESS_BPF_EXIT\"\n"
		"* \"do_print_state = \" with \"*do_print_state = \"\n\n"
		"Signed-off-by: Luis Gerhorst <luis.gerhorst@fau.de>\n");

	assert_lacks(got, "replace.");
	assert_has(got, "Move code into do_check_insn(), replace \"continue\" with "
			"\"return INSN_IDX_MODIFIED\", \"goto process_bpf_exit\" with "
			"\"return PROCESS_BPF_EXIT\" and \"do_print_state = \" with \"*do_print_state = \".");
	free(got);
	/* 20240530201616.1316526-7-almasrymina@google.com: "exports 2 APIs:" takes its list. */
	got = sentences_of(
		"As of this patch the netmem type is a no-op abstraction: it's always a\n"
		"struct page underneath. All the page pool internals are converted to\n"
		"use struct netmem instead of struct page, and the page pool now exports\n"
		"2 APIs:\n\n"
		"1. The existing struct page API.\n"
		"2. The new struct netmem API.\n\n"
		"Keeping the existing API is transitional; we do not want to refactor all\n"
		"the current drivers using the page pool at once.\n");
	assert_has(got, "and the page pool now exports 2 APIs: the existing struct page API and "
			"the new struct netmem API.");
	assert_has(got, "As of this patch the netmem type is a no-op abstraction");
	assert_has(got, "Keeping the existing API is transitional");
	free(got);
	/* 20251025053017.2308823-2-kafai.wan@linux.dev: "Fix this by:" and long items go together. */
	got = sentences_of(
		"Fix this by:\n"
		"1. Enhance is_branch_taken() and is_scalar_branch_taken() to properly\n"
		"   handle branch direction computation for same register comparisons\n"
		"   across all BPF jump operations\n"
		"2. For unknown branch directions (e.g., BPF_JSET), add early return in\n"
		"   reg_set_min_max() to avoid bounds adjustment on the same register\n\n"
		"The fix ensures that unnecessary bounds adjustments are skipped, preventing\n"
		"the verifier bug while maintaining correct branch direction analysis.\n");
	assert_string_equal(got, "The fix ensures that unnecessary bounds adjustments are skipped, "
				 "preventing the verifier bug while maintaining correct branch "
				 "direction analysis.");
	free(got);
}

static void test_junk_continuation_lines(void **state)
{
	/* 20250214091823.46042-2-mrpre@163.com: an item wrapped without indentation. */
	char *got = sentences_of(
		"may_goto uses an additional 8 bytes on the stack, which causes the\n"
		"interpreters[] array to go out of bounds when calculating index by\n"
		"stack_size.\n\n"
		"1. If a BPF program is rewritten, re-evaluate the stack size. For non-JIT\n"
		"cases, reject loading directly.\n\n"
		"2. For non-JIT cases, calculating interpreters[idx] may still cause\n"
		"out-of-bounds array access, and just warn about it.\n");

	assert_lacks(got, "ases, reject loading directly");
	assert_lacks(got, "out-of-bounds array access, and just warn");
	assert_has(got, "may_goto uses an additional 8 bytes on the stack");
	free(got);
	/* 20241218130909.2173-2-shaw.leon@gmail.com: the rest of a sentence after its example. */
	got = sentences_of(
		"When creating link, lookup for existing device in target net namespace\n"
		"instead of current one.\n"
		"For example, two links created by:\n\n"
		"  # ip link add dummy1 type dummy\n"
		"  # ip link add netns ns1 dummy1 type dummy\n\n"
		"should have no conflict since they are in different namespaces.\n");
	assert_string_equal(got, "When creating link, lookup for existing device in target net "
				 "namespace instead of current one.");
	free(got);
}

static void test_junk_kernel_logs(void **state)
{
	/* 20251025053017.2308823-2-kafai.wan@linux.dev */
	char *got = sentences_of(
		"When conditional jumps are performed on the same register (e.g., r0 <= r0,\n"
		"r0 > r0, r0 < r0) where the register holds a scalar with range, the verifier\n"
		"incorrectly attempts to adjust the register's min/max bounds. This leads to\n"
		"invalid range bounds and triggers a BUG warning:\n\n"
		"verifier bug: REG INVARIANTS VIOLATION (true_reg1): range bounds violation "
		"u64=[0x1, 0x0] s64=[0x1, 0x0] u32=[0x1, 0x0] s32=[0x1, 0x0] var_off=(0x0, 0x0)\n"
		"WARNING: CPU: 0 PID: 92 at kernel/bpf/verifier.c:2731 reg_bounds_sanity_check+0x163/0x220\n"
		"Call Trace:\n <TASK>\n reg_set_min_max+0xf7/0x1d0\n\n"
		"The root cause is in regs_refine_cond_op() where BPF_JLT/BPF_JSLT operations\n"
		"adjust both min/max bounds on the same register, causing invalid bounds.\n");

	assert_lacks(got, "REG INVARIANTS");
	assert_lacks(got, "var_off");
	assert_lacks(got, "triggers a BUG warning");
	assert_has(got, "The root cause is in regs_refine_cond_op()");
	free(got);
	/* 20241118140608.53524-1-mrpre@163.com */
	got = sentences_of(
		"Currently, when testing a certain target in selftests, executing the\n"
		"command 'make TARGETS=XX -C tools/testing/selftests' succeeds for non-BPF,\n"
		"but a similar command fails for BPF:\n"
		"'''\n"
		"make TARGETS=bpf -C tools/testing/selftests\n"
		"make: Entering directory '/linux-kselftest/tools/testing/selftests'\n"
		"make: *** [Makefile:197: all] Error 1\n"
		"make: Leaving directory '/linux-kselftest/tools/testing/selftests'\n"
		"'''\n\n"
		"The reason is that the previous commit:\n");
	assert_lacks(got, "Entering directory");
	assert_lacks(got, "Error 1");
	free(got);
}

static void test_junk_shell_and_program_output(void **state)
{
	/* 20251101193357.111186-2-harshit.m.mogalapalli@oracle.com */
	char *got = sentences_of(
		"It is useful to print map ID on successful creation.\n\n"
		"JSON case:\n"
		"$ ./bpftool -j map create /sys/fs/bpf/test_map4 type hash key 4 value 8 entries 128 name map4\n"
		"{\"id\":12}\n\n"
		"Generic case:\n"
		"$ ./bpftool  map create /sys/fs/bpf/test_map5 type hash key 4 value 8 entries 128 name map5\n"
		"Map successfully created with ID: 15\n\n"
		"Bpftool Issue: https://github.com/libbpf/bpftool/issues/121\n");

	assert_string_equal(got, "It is useful to print map ID on successful creation.");
	free(got);
	/* 20241205051936.3156307-1-yoong.siang.song@intel.com */
	got = sentences_of(
		"Currently, user needs to manually enable transmit hardware timestamp\n"
		"feature of certain Ethernet drivers, e.g. stmmac and igc drivers, through\n"
		"following command after running the xdp_hw_metadata app.\n\n"
		"sudo hwstamp_ctl -i eth0 -t 1\n\n"
		"To simplify the step test of xdp_hw_metadata, set tx_type to HWTSTAMP_TX_ON\n"
		"to enable hardware timestamping for all outgoing packets, so that user no\n"
		"longer need to execute hwstamp_ctl command.\n");
	assert_lacks(got, "sudo");
	assert_has(got, "To simplify the step test of xdp_hw_metadata");
	free(got);
}

static void test_junk_code(void **state)
{
	/* 1660229659b66eaad07aa2126e9c9fe217eba0dd.1720515893.git.tanggeliang@kylinos.cn */
	char *got = sentences_of(
		"Some callers expect __start_server() helper to pass their own \"backlog\"\n"
		"value to listen() instead of the default of 1.\n\n"
		"listen(fd, 0 /* backlog */) can be used to enforce syncookie. Meaning\n"
		"backlog 0 is a legit value.\n");

	assert_lacks(got, "/*");
	assert_has(got, "Some callers expect __start_server() helper");
	free(got);
	/* 20250125-bpf_dynptr_probe-v2-1-c42c87f97afe@outlook.com */
	got = sentences_of(
		"This patch add a helper function bpf_probe_read_kernel_dynptr:\n\n"
		"long bpf_probe_read_kernel_dynptr(const struct bpf_dynptr *dst,\n"
		"\tu32 offset, u32 size, const void *unsafe_ptr, u64 flags);\n\n"
		"It is useful for reading variable-length data from kernel memory into\n"
		"dynptr.\n");
	assert_string_equal(got, "It is useful for reading variable-length data from kernel "
				 "memory into dynptr.");
	free(got);
}

static void test_junk_dangling_references_and_empty(void **state)
{
	/* 20240905110354.3274546-2-yikai.lin@vivo.com: a greeting, then "as follows". */
	char *got = sentences_of(
		"Hi, fix some spelling errors in bpftool, the details are as follows.\n\n"
		"-in file \"bpftool-gen.rst\"\n"
		"\tinstuctions==>instructions\n");

	assert_lacks(got, "as follows");
	assert_lacks(got, "Hi,");
	free(got);
	/* 20250802084803.108777-2-phoenix500526@163.com */
	got = sentences_of(
		"When using GCC on x86-64 to compile an usdt prog with -O1 or higher\n"
		"optimization, the compiler will generate SIB addressing mode for global\n"
		"array.\n\n"
		"This patch fixes this by implementing the necessary changes.\n");
	assert_lacks(got, "necessary changes");
	free(got);
	/* 20250417230029.21905-2-chia-yu.chang@nokia-bell-labs.com */
	got = sentences_of("Fix the comment of the TCP_ACCECN option.\n\nNo functional changes.\n");
	assert_string_equal(got, "Fix the comment of the TCP_ACCECN option.");
	free(got);
}

static void test_junk_greetings_thanks_and_lowercase(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;

	/* 20250911175215.147938-2-tom.hromatka@oracle.com (its notes) */
	assert_int_equal(sentence_clean(&sb, "Thanks Al, Alexei, and Kees :)", 30), 0);
	/* 20240914103226.71109-2-zhoufeng.zf@bytedance.com: an English word is capitalised. */
	got = sentences_of(
		"when TCP over IPv4 via INET6 API, bpf_get/setsockopt with ipv4 will\n"
		"fail, because sk->sk_family is AF_INET6.\n");
	assert_string_equal(got, "When TCP over IPv4 via INET6 API, bpf_get/setsockopt with ipv4 "
				 "will fail, because sk->sk_family is AF_INET6.");
	free(got);
	/* 20251202115200.110646-1 (a cover): "this patch series adds" */
	strbuf_reset(&sb);
	sentence_clean(&sb, "this patch series adds support for nested seccomp listeners.", 61);
	assert_string_equal(sb.buf, "This patch series adds support for nested seccomp listeners.");
	/* ... an identifier is not. */
	strbuf_reset(&sb);
	sentence_clean(&sb, "may_goto uses an additional 8 bytes on the stack.", 49);
	assert_string_equal(sb.buf, "may_goto uses an additional 8 bytes on the stack.");
	strbuf_release(&sb);
}

static void test_junk_backport_quotes_upstream_cover(void **state)
{
	/* 20250924202320.32333-14-farbere@amazon.com: the upstream cover is not the text. */
	char *got = sentences_of(
		"From: David Laight <David.Laight@ACULAB.COM>\n\n"
		"[ Upstream commit 71ee9b16251ea4bf7c1fe222517c82bdb3220acc ]\n\n"
		"Patch series \"minmax.h: Cleanups and minor optimisations\".\n\n"
		"Some tidyups and minor changes to minmax.h.\n\n"
		"This patch (of 7):\n\n"
		"Link: https://lkml.kernel.org/r/c50365d214e04f9ba256d417c8bebbc0@AcuMS.aculab.com\n");

	assert_string_equal(got, "");
	free(got);
	/* 20250924202320.32333-19-farbere@amazon.com: the upstream message is the text. */
	got = sentences_of(
		"From: David Laight <David.Laight@ACULAB.COM>\n\n"
		"[ Upstream commit 495bba17cdf95e9703af1b8ef773c55ef0dfe703 ]\n\n"
		"Always pass a 'type' through to __clamp_once(), pass '__auto_type' from\n"
		"clamp() itself.\n");
	assert_string_equal(got, "Always pass a 'type' through to __clamp_once(), pass "
				 "'__auto_type' from clamp() itself.");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prose_drops_noise),
		cmocka_unit_test(test_prose_headers_footnotes_notes_changelog),
		cmocka_unit_test(test_junk_list_cut_at_its_lead),
		cmocka_unit_test(test_junk_continuation_lines),
		cmocka_unit_test(test_junk_kernel_logs),
		cmocka_unit_test(test_junk_shell_and_program_output),
		cmocka_unit_test(test_junk_code),
		cmocka_unit_test(test_junk_dangling_references_and_empty),
		cmocka_unit_test(test_junk_greetings_thanks_and_lowercase),
		cmocka_unit_test(test_junk_backport_quotes_upstream_cover),
	};
	return unit_run("prose", tests, ARRAY_SIZE(tests));
}
