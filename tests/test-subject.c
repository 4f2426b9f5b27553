#include "unit.h"
#include "subject.h"

struct expect {
	const char *subject;
	const char *title;
	const char *tree;
	unsigned version, position, total, flags;
};

static const struct expect cases[] = {
	{ "[PATCH bpf-next v3 2/7] bpf: Fix a leak", "bpf: Fix a leak", "bpf-next", 3, 2, 7,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH v3 bpf-next 2/7] bpf: x", "bpf: x", "bpf-next", 3, 2, 7,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[bpf-next PATCH v2 3/3] bpf: x", "bpf: x", "bpf-next", 2, 3, 3,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCHv3 bpf-next 02/10] bpf: x", "bpf: x", "bpf-next", 3, 2, 10,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH v6,19/24] bpf: x", "bpf: x", NULL, 6, 19, 24,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[RFC PATCH bpf-next 0/4] bpf: x", "bpf: x", "bpf-next", 1, 0, 4,
	  SUBJECT_PATCH | SUBJECT_RFC },
	{ "[PATCH RESEND bpf] bpf: x", "bpf: x", "bpf", 1, 0, 0,
	  SUBJECT_PATCH | SUBJECT_RESEND },
	{ "[PATCH net-next] [RFC] net: x", "net: x", "net-next", 1, 0, 0,
	  SUBJECT_PATCH | SUBJECT_RFC },
	{ "PATCH 3 of 5: bpf: x", "bpf: x", NULL, 1, 3, 5, SUBJECT_PATCH },
	{ "Re: [PATCH bpf-next v3 2/7] bpf: x", "bpf: x", "bpf-next", 3, 2, 7,
	  SUBJECT_PATCH | SUBJECT_VERSIONED | SUBJECT_REPLY },
	{ "AW: RE: [PATCH] x", "x", NULL, 1, 0, 0, SUBJECT_PATCH | SUBJECT_REPLY },
	{ "Fwd: [PATCH] x", "x", NULL, 1, 0, 0, SUBJECT_PATCH | SUBJECT_FORWARD },
	{ "[bpf-next,v3,1/3] bpf: x", "bpf: x", "bpf-next", 3, 1, 3,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[GIT PULL] bpf 2026-04-01", "bpf 2026-04-01", NULL, 1, 0, 0, SUBJECT_PULL },
	{ "pull-request: bpf-next 2026-04-01", "pull-request: bpf-next 2026-04-01", "bpf-next",
	  1, 0, 0, SUBJECT_PULL },
	{ "[PATCH [bpf-next] v2] nested", "nested", "bpf-next", 2, 0, 0,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	/* Real spellings from the bpf list. */
	{ "[RFCv2 bpf-next 7/7] bpf: x", "bpf: x", "bpf-next", 2, 7, 7,
	  SUBJECT_PATCH | SUBJECT_RFC | SUBJECT_VERSIONED },
	{ "[PATCH 19/19 v6.1.y] minmax.h: x", "minmax.h: x", "v6.1.y", 1, 19, 19, SUBJECT_PATCH },
	{ "[PATCH][next] selftests/bpf: x", "selftests/bpf: x", "next", 1, 0, 0, SUBJECT_PATCH },
	{ "[PATCH -next v2] x", "x", "next", 2, 0, 0, SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH bpf-next/net v2 1/3] x", "x", "bpf-next/net", 2, 1, 3,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH HID for-next v2 1/3] x", "x", "hid", 2, 1, 3, SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCHSET v2 sched_ext/for-6.13 1/3] x", "x", "sched_ext/for-6.13", 2, 1, 3,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH AUTOSEL 6.1 3/9] bpf: x", "bpf: x", NULL, 1, 3, 9, SUBJECT_PATCH },
	{ "[PATCH bpf-next v3b 1/2] x", "x", "bpf-next", 3, 1, 2, SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH V2 0/4] PM / OPP: x", "PM / OPP: x", NULL, 2, 0, 4,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[PATCH net-next,v2 1/2] x", "x", "net-next", 2, 1, 2, SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[RESEND][RFC][PATCH 1/3] x", "x", NULL, 1, 1, 3,
	  SUBJECT_PATCH | SUBJECT_RFC | SUBJECT_RESEND },
	{ "[PATCH bpf-next v2 RESEND 1/2] x", "x", "bpf-next", 2, 1, 2,
	  SUBJECT_PATCH | SUBJECT_VERSIONED | SUBJECT_RESEND },
	{ "[Patch 2/2]: test: x", "test: x", NULL, 1, 2, 2, SUBJECT_PATCH },
	{ "[PATCH 0 of 2] A sample series", "A sample series", NULL, 1, 0, 2, SUBJECT_PATCH },
	{ "RFC PATCH v2 1/4: x", "x", NULL, 2, 1, 4, SUBJECT_PATCH | SUBJECT_RFC | SUBJECT_VERSIONED },
	{ "Patch to fix the build", "Patch to fix the build", NULL, 1, 0, 0, 0 },
	{ "\xe7\xad\x94\xe5\xa4\x8d: [\xe5\xa4\x96\xe9\x83\xa8\xe9\x82\xae\xe4\xbb\xb6] Re: [PATCH] x", "x",
	  NULL, 1, 0, 0, SUBJECT_PATCH | SUBJECT_REPLY },
	{ "Re:Re: [PATCH] x", "x", NULL, 1, 0, 0, SUBJECT_PATCH | SUBJECT_REPLY },
	{ "RE[2]: [PATCH] x", "x", NULL, 1, 0, 0, SUBJECT_PATCH | SUBJECT_REPLY },
	{ "Re: (subset) [PATCH 0/3] x", "x", NULL, 1, 0, 3, SUBJECT_PATCH | SUBJECT_REPLY },
	{ "[PATCH] [PATCH v4] x", "x", NULL, 4, 0, 0, SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "[GIT PULL] seccomp updates for v5.5-rc1", "seccomp updates for v5.5-rc1", NULL, 1, 0, 0,
	  SUBJECT_PULL },
	{ "[linux-next:master] BUILD REGRESSION x", "BUILD REGRESSION x", NULL, 1, 0, 0, 0 },
	{ "[PATCH v2] bad \xff\xfe bytes", "bad ?? bytes", NULL, 2, 0, 0,
	  SUBJECT_PATCH | SUBJECT_VERSIONED },
	{ "plain  subject\twith   spaces", "plain subject with spaces", NULL, 1, 0, 0, 0 },
	{ "", "", NULL, 1, 0, 0, 0 },
};

static void test_prefixes(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct expect *e = &cases[i];
		struct subject s;

		subject_parse(&s, e->subject);
		if (strcmp(s.title, e->title) || (s.tree == NULL) != (e->tree == NULL) ||
		    (e->tree && strcmp(s.tree, e->tree)) || s.version != e->version ||
		    s.position != e->position || s.total != e->total || s.flags != e->flags)
			fail_msg("'%s': title '%s' tree %s v%u %u/%u flags %#x", e->subject,
				 s.title, s.tree ? s.tree : "-", s.version, s.position, s.total,
				 s.flags);
		subject_release(&s);
	}
}

static void test_normalize(void **state)
{
	char *a = subject_normalize("bpf:  Fix the -EFAULT case");
	char *b = subject_normalize("BPF: fix the EFAULT case.");
	char *c = subject_normalize("net: dsa: Multi-CPU ground work (v3)");
	char *d = subject_normalize("net: dsa: Multi-CPU ground work (V4)");
	char *e = subject_normalize("Add v2 of the API");

	assert_string_equal(a, b);
	assert_string_equal(c, "net dsa multi cpu ground work");
	assert_string_equal(c, d);
	assert_string_equal(e, "add v2 of the api");
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_normalize),
	};
	return unit_run("subject", tests, ARRAY_SIZE(tests));
}
