/*
 * fuzz-mbox - the mbox reader: mbox_split() and mboxrd/mboxo unquoting.
 *
 * Properties: the messages split out lie inside the input, in order,
 * without overlapping; mboxrd quoting is undone exactly by unquoting;
 * and a message written as mboxrd (a "From " line, the quoted message,
 * a blank line) is split back out and unquoted to the same bytes, next
 * to another one.
 */
#include "fuzz.h"

#include "mbox.h"
#include "strbuf.h"

struct split {
	const char *buf;
	size_t len;
	const char *last_end;
	struct strbuf out[3];
	size_t nr;
};

static int check_message(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct split *sp = data;
	struct strbuf unquoted = STRBUF_INIT, mboxo = STRBUF_INIT;

	FUZZ_CHECK(msg >= sp->buf && msg + len <= sp->buf + sp->len, "inside the input");
	FUZZ_CHECK(msg >= sp->last_end, "in order, without overlap");
	FUZZ_CHECK(offset <= (uint64_t)(msg - sp->buf), "the From line precedes the message");
	sp->last_end = msg + len;
	mbox_unquote(&unquoted, msg, len);
	FUZZ_CHECK(unquoted.len <= len, "unquoting only removes");
	mbox_unquote_mboxo(&mboxo, msg, len);
	FUZZ_CHECK(mboxo.len <= len && mboxo.len >= unquoted.len, "mboxo unquotes less");
	if (sp->nr < ARRAY_SIZE(sp->out))
		strbuf_addbuf(&sp->out[sp->nr], &unquoted);
	sp->nr++;
	strbuf_release(&unquoted);
	strbuf_release(&mboxo);
	return 0;
}

static void split(struct split *sp, const char *buf, size_t len)
{
	size_t i;

	memset(sp, 0, sizeof(*sp));
	sp->buf = sp->last_end = buf;
	sp->len = len;
	for (i = 0; i < ARRAY_SIZE(sp->out); i++)
		strbuf_init(&sp->out[i], 0);
	FUZZ_CHECK(mbox_split(buf, len, check_message, sp) == (long)sp->nr, "the count");
}

static void release(struct split *sp)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sp->out); i++)
		strbuf_release(&sp->out[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct strbuf quoted = STRBUF_INIT, back = STRBUF_INIT, box = STRBUF_INIT, msg = STRBUF_INIT;
	struct split sp;

	fuzz_quiet();
	split(&sp, in, size);
	release(&sp);

	/* Quoting round trip, any bytes. */
	mbox_quote(&quoted, in, size);
	mbox_unquote(&back, quoted.buf, quoted.len);
	FUZZ_CHECK(back.len == size && !memcmp(back.buf, in, size), "quote, unquote");

	/*
	 * As a message of an mbox: it ends with a newline as every mail
	 * does, and its headers come first, so it cannot start empty.
	 */
	strbuf_addstr(&msg, "X: y\n");
	strbuf_add(&msg, in, size);
	if (msg.buf[msg.len - 1] != '\n')
		strbuf_addch(&msg, '\n');
	strbuf_reset(&quoted);
	mbox_quote(&quoted, msg.buf, msg.len);
	strbuf_addstr(&box, "From mboxrd@z Thu Jan  1 00:00:00 1970\n");
	strbuf_addbuf(&box, &quoted);
	strbuf_addstr(&box, "\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n");
	strbuf_addbuf(&box, &quoted);
	strbuf_addch(&box, '\n');
	split(&sp, box.buf, box.len);
	FUZZ_CHECK(sp.nr == 2, "two messages written, two read");
	FUZZ_CHECK(sp.out[0].len == msg.len && !memcmp(sp.out[0].buf, msg.buf, msg.len),
		   "the first message read back");
	FUZZ_CHECK(sp.out[1].len == msg.len && !memcmp(sp.out[1].buf, msg.buf, msg.len),
		   "the last message read back");
	release(&sp);

	strbuf_release(&quoted);
	strbuf_release(&back);
	strbuf_release(&box);
	strbuf_release(&msg);
	return 0;
}
