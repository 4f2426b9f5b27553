#include "unit.h"
#include "render-mbox.h"
#include "strbuf.h"

static const char *const trailers[] = {
	"Reviewed-by: Rev Iewer <rev@example.org>",
	"Acked-by: Ack Er <acker@example.org>",
	"Link: https://lore.kernel.org/r/1@example.org",
};

static void test_add_trailers_after_the_last_trailer(void **state)
{
	static const char raw[] =
		"From: A <a@example.org>\nSubject: [PATCH] x\n\n"
		"Why.\n\nSigned-off-by: A <a@example.org>\n"
		"acked-by: ack er <ACKER@example.org>\n\n---\n f | 1 +\n";
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(render_mbox_add_trailers(&out, raw, sizeof(raw) - 1, trailers, 3), 0);
	/* The Acked-by already there (in any case) is not added again. */
	assert_string_equal(out.buf,
		"From: A <a@example.org>\nSubject: [PATCH] x\n\n"
		"Why.\n\nSigned-off-by: A <a@example.org>\n"
		"acked-by: ack er <ACKER@example.org>\n"
		"Reviewed-by: Rev Iewer <rev@example.org>\n"
		"Link: https://lore.kernel.org/r/1@example.org\n\n---\n f | 1 +\n");
	strbuf_release(&out);
}

static void test_add_trailers_new_paragraph(void **state)
{
	static const char raw[] =
		"Subject: x\n\nNo trailers here: but a colon.\n"
		"diff --git a/f b/f\n--- a/f\n+++ b/f\n";
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(render_mbox_add_trailers(&out, raw, sizeof(raw) - 1, trailers + 2, 1), 0);
	assert_string_equal(out.buf,
		"Subject: x\n\nNo trailers here: but a colon.\n\n"
		"Link: https://lore.kernel.org/r/1@example.org\n"
		"diff --git a/f b/f\n--- a/f\n+++ b/f\n");
	strbuf_release(&out);
}

static void test_add_trailers_crlf(void **state)
{
	static const char raw[] =
		"Subject: x\r\n\r\nWhy.\r\n\r\nSigned-off-by: A <a@example.org>\r\n---\r\n";
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(render_mbox_add_trailers(&out, raw, sizeof(raw) - 1, trailers, 1), 0);
	assert_string_equal(out.buf,
		"Subject: x\r\n\r\nWhy.\r\n\r\nSigned-off-by: A <a@example.org>\r\n"
		"Reviewed-by: Rev Iewer <rev@example.org>\n---\r\n");
	strbuf_release(&out);
}

/* What cannot be edited without decoding is copied unchanged, and said so. */
static void test_add_trailers_refused(void **state)
{
	static const char *const raws[] = {
		"Subject: x\nContent-Transfer-Encoding: base64\n\nV2h5Lgo=\n---\n",
		"Subject: x\ncontent-transfer-encoding: Quoted-Printable\n\nWhy.=\n\n---\n",
		"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nWhy.\n---\n--b--\n",
		"Subject: x\n\nA reply without any patch.\n",
		"Subject: no body at all\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(raws); i++) {
		struct strbuf out = STRBUF_INIT;

		assert_int_equal(render_mbox_add_trailers(&out, raws[i], strlen(raws[i]),
							  trailers, 3), -1);
		assert_string_equal(out.buf, raws[i]);
		strbuf_release(&out);
	}
}

static void test_mbox_message(void **state)
{
	static const char raw[] = "From old-separator\nSubject: x\n\nFrom here\n>From there";
	struct strbuf out = STRBUF_INIT;

	render_mbox_message(&out, raw, sizeof(raw) - 1);
	assert_string_equal(out.buf,
		"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
		"Subject: x\n\n>From here\n>>From there\n\n");
	strbuf_release(&out);
}

static void test_wrap(void **state)
{
	struct strbuf out = STRBUF_INIT;

	render_wrap(&out, "aaa bbb ccc\nddd  eee", 7);
	assert_string_equal(out.buf, "aaa bbb\nccc\nddd eee\n");
	strbuf_reset(&out);
	/* Characters, not bytes, count; a long word stays whole. */
	render_wrap(&out, "\xc3\xa9\xc3\xa9\xc3\xa9 xxx averyveryverylongword", 7);
	assert_string_equal(out.buf, "\xc3\xa9\xc3\xa9\xc3\xa9 xxx\naveryveryverylongword\n");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_trailers_after_the_last_trailer),
		cmocka_unit_test(test_add_trailers_new_paragraph),
		cmocka_unit_test(test_add_trailers_crlf),
		cmocka_unit_test(test_add_trailers_refused),
		cmocka_unit_test(test_mbox_message),
		cmocka_unit_test(test_wrap),
	};
	return unit_run("render-mbox", tests, ARRAY_SIZE(tests));
}
