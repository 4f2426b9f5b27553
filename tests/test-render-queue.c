#include "unit.h"
#include "color.h"
#include "date.h"
#include "mail.h"
#include "queue.h"
#include "render-queue.h"
#include "series.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <string.h>

/* Two open series: one asked to change, one never answered; made by hand. */
struct fixture {
	struct queue q;
	struct mail review_mail;
	struct series_review review;
	const struct series_review *reviews[1];
	struct queue_patch patches[2];
};

static void setup(struct fixture *f)
{
	struct queue_entry *e;

	memset(f, 0, sizeof(*f));
	queue_init(&f->q, date_utc(2025, 3, 1, 23, 59, 59));
	f->review_mail.mid = "r1@x";
	f->review = (struct series_review){ "Acked-by", "Rev *Q*", "rev@kernel.org", &f->review_mail };
	f->reviews[0] = &f->review;
	f->patches[0] = (struct queue_patch){ "p1@x", 1, "changes-requested", 0 };
	f->patches[1] = (struct queue_patch){ "p2@x", 2, "reviewed", 2 };
	ALLOC_GROW(f->q.entries, 2, f->q.alloc);
	f->q.nr = 2;
	e = &f->q.entries[0];
	memset(e, 0, sizeof(*e) * 2);
	e->title = "bpf: Widget_support";
	e->mid = "c3@x";
	e->version = 3;
	e->state = "changes-requested";
	e->evidence = "cr@x";
	e->since = date_utc(2025, 2, 17, 10, 0, 0);
	e->last_human_reply = (struct queue_reply){ "Alexei", "ast@kernel.org", "cr@x",
						    date_utc(2025, 2, 17, 10, 0, 0) };
	e->reviews = f->reviews;
	e->reviews_nr = 1;
	e->bot_replies = 2;
	e->patches = f->patches;
	e->patches_nr = 2;
	e++;
	e->title = "libbpf: Fix a leak";
	e->mid = "p9@x";
	e->version = 1;
	e->state = "stalled";
	e->since = date_utc(2025, 2, 28, 10, 0, 0);
}

/* The arrays the fixture owns are not the queue's to free. */
static void teardown(struct fixture *f)
{
	size_t i;

	for (i = 0; i < f->q.nr; i++) {
		f->q.entries[i].reviews = NULL;
		f->q.entries[i].patches = NULL;
	}
	queue_release(&f->q);
}

static char *render(struct fixture *f, enum output_format fmt, const struct color_scheme *colors)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(render_queue_buf(&sb, &f->q, fmt, colors), 0);
	return strbuf_detach(&sb, NULL);
}

static void test_text(void **state)
{
	struct fixture f;
	char *out;

	setup(&f);
	queue_set_urls(&f.q, "https://lore.kernel.org/all/%s/");
	out = render(&f, FORMAT_TEXT, NULL);
	assert_string_equal(out,
		"Open series as of 2025-03-01: 2\n"
		"\n"
		"bpf: Widget_support (v3)\n"
		"  changes-requested for 12 days (since 2025-02-17)\n"
		"  last human reply: Alexei, 2025-02-17; reviews: Acked-by Rev *Q*; 2 bot replies\n"
		"  <https://lore.kernel.org/all/c3@x/>\n"
		"\n"
		"libbpf: Fix a leak\n"
		"  stalled for 1 day (since 2025-02-28)\n"
		"  no human reply\n"
		"  <https://lore.kernel.org/all/p9@x/>\n");
	free(out);
	teardown(&f);
}

static void test_markdown_escapes(void **state)
{
	struct fixture f;
	char *out;

	setup(&f);
	out = render(&f, FORMAT_MARKDOWN, NULL);
	assert_non_null(strstr(out, "# Open series as of 2025-03-01: 2\n"));
	assert_non_null(strstr(out, "- bpf: Widget_support (v3)  \n  changes-requested for 12 days"));
	assert_non_null(strstr(out, "Acked-by Rev \\*Q\\*"));
	free(out);
	queue_set_urls(&f.q, "https://lore.kernel.org/all/%s/");
	out = render(&f, FORMAT_MARKDOWN, NULL);
	assert_non_null(strstr(out, "- [libbpf: Fix a leak](https://lore.kernel.org/all/p9@x/)  \n"));
	free(out);
	teardown(&f);
}

static void test_json(void **state)
{
	struct fixture f;
	json_error_t err;
	json_t *root, *s, *p;
	char *out;

	setup(&f);
	out = render(&f, FORMAT_JSON, NULL);
	root = json_loads(out, 0, &err);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(root, "as_of")), "2025-03-01T23:59:59Z");
	assert_int_equal(json_array_size(json_object_get(root, "series")), 2);
	s = json_array_get(json_object_get(root, "series"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "title")), "bpf: Widget_support");
	assert_string_equal(json_string_value(json_object_get(s, "m")), "c3@x");
	assert_true(json_is_null(json_object_get(s, "url")));
	assert_int_equal(json_integer_value(json_object_get(s, "version")), 3);
	assert_string_equal(json_string_value(json_object_get(s, "state")), "changes-requested");
	assert_string_equal(json_string_value(json_object_get(s, "evidence")), "cr@x");
	assert_string_equal(json_string_value(json_object_get(s, "since")), "2025-02-17T10:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "last_human_reply"),
							       "email")), "ast@kernel.org");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(s, "reviews"), 0), "m")), "r1@x");
	assert_int_equal(json_integer_value(json_object_get(s, "bot_replies")), 2);
	p = json_object_get(s, "patches");
	assert_int_equal(json_array_size(p), 2);
	assert_true(json_is_null(json_object_get(json_array_get(p, 0), "unchanged_since")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(p, 1), "unchanged_since")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 1), "state")), "reviewed");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(p, 1), "position")), 2);
	s = json_array_get(json_object_get(root, "series"), 1);
	assert_true(json_is_null(json_object_get(s, "last_human_reply")));
	assert_true(json_is_null(json_object_get(s, "evidence")));
	assert_int_equal(json_array_size(json_object_get(s, "patches")), 0);
	json_decref(root);
	free(out);
	teardown(&f);
}

static void test_empty_and_mbox(void **state)
{
	struct queue q;
	struct strbuf sb = STRBUF_INIT;

	queue_init(&q, date_utc(2025, 1, 2, 0, 0, 0));
	assert_int_equal(render_queue_buf(&sb, &q, FORMAT_TEXT, NULL), 0);
	assert_string_equal(sb.buf, "Open series as of 2025-01-02: 0\n");
	strbuf_reset(&sb);
	assert_int_equal(render_queue_buf(&sb, &q, FORMAT_JSON, NULL), 0);
	assert_non_null(strstr(sb.buf, "\"series\": []"));
	strbuf_reset(&sb);
	assert_int_equal(render_queue_buf(&sb, &q, FORMAT_MBOX, NULL), -1);
	assert_int_equal(queue_days(&q, 0), 0);
	assert_int_equal(queue_days(&q, date_utc(2025, 1, 3, 0, 0, 0)), 0);
	assert_int_equal(queue_days(&q, date_utc(2024, 12, 31, 0, 0, 1)), 1);
	strbuf_release(&sb);
	queue_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_markdown_escapes),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_empty_and_mbox),
	};
	return unit_run("render-queue", tests, ARRAY_SIZE(tests));
}
