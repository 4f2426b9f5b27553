#include "unit.h"
#include "link-trailer.h"

#include <stdlib.h>
#include <string.h>

struct ids {
	char **mids;
	size_t nr, alloc;
};

static void parse(struct ids *ids, const char *message, const char *mask)
{
	const char *masks[] = { mask };

	memset(ids, 0, sizeof(*ids));
	link_trailer_mids(&ids->mids, &ids->nr, &ids->alloc, message, masks, mask ? 1 : 0);
}

static void release_ids(struct ids *ids)
{
	size_t i;

	for (i = 0; i < ids->nr; i++)
		free(ids->mids[i]);
	free(ids->mids);
}

static void test_message_ids(void **state)
{
	struct ids ids;

	parse(&ids,
	      "bpf: Fix it\n\nSee https://lore.kernel.org/r/prose@x.org for why.\n\n"
	      "Fixes: 0123456789ab (\"bpf: Break it\")\n"
	      "Signed-off-by: A <a@b.c>\n"
	      "Link: https://lore.kernel.org/r/20260101.1-1-a@b.c\n"
	      "Link: https://lore.kernel.org/bpf/20260101.1-2-a@b.c/\n"
	      "Link: https://lore.kernel.org/all/cover.1.git.a@b.c/T/#u\n"
	      "link: [1] https://patch.msgid.link/tencent_AB%2BCD@qq.com\n"
	      "Link: https://msgid.link/r/old-b4@x.org\n"
	      "Link: https://lkml.kernel.org/r/lkml@x.org\n"
	      "Link: https://lore.kernel.org/r/20260101.1-1-a@b.c\n"
	      "Link: https://github.com/libbpf/libbpf/issues/1\n"
	      "Link: https://lore.kernel.org/bpf/no-at-sign/\n"
	      "Message-ID: <mid/trailer@x.org>\n",
	      NULL);
	assert_int_equal(ids.nr, 7);
	assert_string_equal(ids.mids[0], "20260101.1-1-a@b.c");
	assert_string_equal(ids.mids[1], "20260101.1-2-a@b.c");
	assert_string_equal(ids.mids[2], "cover.1.git.a@b.c");
	assert_string_equal(ids.mids[3], "tencent_AB+CD@qq.com");
	assert_string_equal(ids.mids[4], "old-b4@x.org");
	assert_string_equal(ids.mids[5], "lkml@x.org");
	assert_string_equal(ids.mids[6], "mid/trailer@x.org");
	release_ids(&ids);
}

static void test_message_ids_masks(void **state)
{
	struct ids ids;
	const char *msg = "x\n\nLink: https://msgid.example.net/m%40x@y.org/raw\n";

	parse(&ids, msg, NULL);
	assert_int_equal(ids.nr, 0);
	release_ids(&ids);
	parse(&ids, msg, "https://msgid.example.net/%s/raw");
	assert_int_equal(ids.nr, 1);
	assert_string_equal(ids.mids[0], "m@x@y.org");
	release_ids(&ids);
}

static void test_annotations(void **state)
{
	const char *msg = "bpf: Fix\n\nLink: https://lore.kernel.org/r/a@x # v1\n"
			  "Link: https://lore.kernel.org/bpf/b@x/ (v2)\n"
			  "Link: https://lore.kernel.org/r/c@x [v10]\n"
			  "Link: https://lore.kernel.org/r/d@x\n"
			  "Closes: https://lore.kernel.org/r/e@x # v3\n";

	assert_int_equal(link_trailer_annotation(msg, "a@x"), 1);
	assert_int_equal(link_trailer_annotation(msg, "b@x"), 2);
	assert_int_equal(link_trailer_annotation(msg, "c@x"), 10);
	assert_int_equal(link_trailer_annotation(msg, "d@x"), 0);
	/* Only Link: lines: the others name no posting of this commit. */
	assert_int_equal(link_trailer_annotation(msg, "e@x"), 0);
	assert_int_equal(link_trailer_annotation(msg, "z@x"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_ids),
		cmocka_unit_test(test_message_ids_masks),
		cmocka_unit_test(test_annotations),
	};
	return unit_run("link-trailer", tests, ARRAY_SIZE(tests));
}
