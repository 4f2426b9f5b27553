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
	{ "pull-request: bpf-next 2026-04-01", "pull-request: bpf-next 2026-04-01", NULL,
	  1, 0, 0, SUBJECT_PULL },
	{ "[PATCH [bpf-next] v2] nested", "nested", "bpf-next", 2, 0, 0,
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

	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_normalize),
	};
	return unit_run("subject", tests, ARRAY_SIZE(tests));
}
