/*
 * fuzz-mail - the mail and MIME parser: mail_parse() in both modes,
 * mail_decode_body(), and the copy the index keeps (cache_copy_mail()).
 *
 * Properties: a message parses in both modes or in neither; both modes
 * find the same facts, and so does the index's copy; every fact is one
 * line of safe text; the body is valid UTF-8.
 */
#include "fuzz.h"

#include "arena.h"
#include "cache.h"
#include "mail.h"
#include "strbuf.h"

static void check_list(char *const *a, size_t an, char *const *b, size_t bn, const char *what)
{
	size_t i;

	FUZZ_CHECK(an == bn, what);
	for (i = 0; i < an; i++) {
		FUZZ_CHECK(fuzz_streq(a[i], b[i]), what);
		FUZZ_CHECK(a[i] && fuzz_is_safe_line(a[i]), what);
	}
}

/* Every fact of a and b alike, and safe. */
static void check_facts(const struct mail *a, const struct mail *b)
{
	size_t i;

	FUZZ_CHECK(fuzz_streq(a->mid, b->mid) && a->mid && *a->mid, "Message-ID");
	FUZZ_CHECK(fuzz_streq(a->in_reply_to, b->in_reply_to), "In-Reply-To");
	check_list(a->refs, a->refs_nr, b->refs, b->refs_nr, "References");
	FUZZ_CHECK(fuzz_streq(a->subject, b->subject) && a->subject, "Subject");
	FUZZ_CHECK(fuzz_streq(a->from_name, b->from_name) && a->from_name, "From name");
	FUZZ_CHECK(fuzz_streq(a->from_email, b->from_email) && a->from_email, "From email");
	FUZZ_CHECK(fuzz_streq(a->author_name, b->author_name), "author name");
	FUZZ_CHECK(fuzz_streq(a->author_email, b->author_email), "author email");
	FUZZ_CHECK(fuzz_streq(a->list_id, b->list_id), "List-Id");
	FUZZ_CHECK(a->date == b->date && a->date_tz == b->date_tz, "Date");
	FUZZ_CHECK(a->arrival == b->arrival, "arrival");
	FUZZ_CHECK((a->flags & ~MAIL_HAS_BODY) == (b->flags & ~MAIL_HAS_BODY), "flags");
	FUZZ_CHECK(a->trailers_nr == b->trailers_nr, "trailers");
	for (i = 0; i < a->trailers_nr; i++) {
		FUZZ_CHECK(fuzz_streq(a->trailers[i].key, b->trailers[i].key), "trailer key");
		FUZZ_CHECK(fuzz_streq(a->trailers[i].value, b->trailers[i].value), "trailer value");
		FUZZ_CHECK(a->trailers[i].in_block == b->trailers[i].in_block, "trailer place");
		FUZZ_CHECK(fuzz_is_safe_line(a->trailers[i].key) &&
			   fuzz_is_safe_line(a->trailers[i].value), "trailer text");
	}
	FUZZ_CHECK(fuzz_streq(a->change_id, b->change_id), "change-id");
	check_list(a->links, a->links_nr, b->links, b->links_nr, "links");
	check_list(a->paths, a->paths_nr, b->paths, b->paths_nr, "paths");
	FUZZ_CHECK(fuzz_streq(a->applied_to, b->applied_to), "applied to");
	FUZZ_CHECK(a->applied_nr == b->applied_nr, "applied");
	for (i = 0; i < a->applied_nr; i++) {
		FUZZ_CHECK(fuzz_streq(a->applied[i].subject, b->applied[i].subject), "applied line");
		FUZZ_CHECK(fuzz_streq(a->applied[i].url, b->applied[i].url), "applied URL");
		FUZZ_CHECK(fuzz_is_safe_line(a->applied[i].subject) &&
			   fuzz_is_safe_line(a->applied[i].url), "applied text");
	}
	FUZZ_CHECK(fuzz_is_safe_line(a->mid) && fuzz_is_safe_line(a->in_reply_to) &&
		   fuzz_is_safe_line(a->subject) && fuzz_is_safe_line(a->from_name) &&
		   fuzz_is_safe_line(a->from_email) && fuzz_is_safe_line(a->author_name) &&
		   fuzz_is_safe_line(a->author_email) && fuzz_is_safe_line(a->list_id) &&
		   fuzz_is_safe_line(a->change_id) && fuzz_is_safe_line(a->applied_to),
		   "header text");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *raw = (const char *)data;
	struct strbuf err = STRBUF_INIT, body = STRBUF_INIT;
	struct mail full, facts;
	int rf, rs, rb;

	fuzz_quiet();
	rf = mail_parse(&full, raw, size, 0, &err);
	rs = mail_parse(&facts, raw, size, MAIL_PARSE_FACTS_ONLY, &err);
	FUZZ_CHECK(rf == rs, "both modes parse, or neither");
	rb = mail_decode_body(&body, raw, size);
	FUZZ_CHECK(fuzz_is_utf8(body.buf), "decoded body");
	if (!rf) {
		struct arena arena = ARENA_INIT;
		struct arena_pool pool = ARENA_POOL_INIT(&arena);
		struct mail *copy;

		FUZZ_CHECK(!rb, "a mail has a body to decode");
		FUZZ_CHECK(full.flags & MAIL_HAS_BODY, "a full parse has the body");
		FUZZ_CHECK(!(facts.flags & MAIL_HAS_BODY) && !facts.text, "facts only: no body");
		FUZZ_CHECK(full.text && full.notes && full.diff, "body parts");
		FUZZ_CHECK(fuzz_is_utf8(full.text) && fuzz_is_utf8(full.notes) &&
			   fuzz_is_utf8(full.diff), "body text");
		check_facts(&full, &facts);
		copy = cache_copy_mail(&pool, &facts);
		check_facts(copy, &facts);
		arena_pool_release(&pool);
		arena_release(&arena);
		mail_release(&full);
		mail_release(&facts);
	} else {
		FUZZ_CHECK(err.len, "a failure says why");
	}
	strbuf_release(&body);
	strbuf_release(&err);
	return 0;
}
