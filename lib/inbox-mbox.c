/*
 * inbox-mbox.c - the inboxes of one file: an mbox ("mboxrd:", "mboxo:",
 * as lei q and b4 mbox write them) or a single message.
 *
 * The file is mapped whole while the inbox is open.  Its one epoch is
 * planned by splitting it into messages (mbox.h), or only what was
 * appended since the cursor when the bytes read before are unchanged;
 * reading undoes the "From " quoting of the message's bytes.
 */
#include "inbox.h"
#include "inbox-kinds.h"
#include "cache.h"
#include "mbox.h"
#include "strbuf.h"
#include "usage.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void inbox_map_file(struct inbox *inbox, const char *path, enum inbox_kind kind)
{
	struct stat st;
	size_t alloc = 0;
	/* Non-blocking: opening a FIFO would wait for a writer, maybe forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &st) < 0)
		die_errno("cannot open inbox '%s'", inbox->location);
	if (!S_ISREG(st.st_mode))
		die("cannot open inbox '%s': not a regular file (an mbox is read whole, "
		    "from a file)", inbox->location);
	inbox->kind = kind;
	inbox->map_len = (size_t)st.st_size;
	if (inbox->map_len) {
		void *map = mmap(NULL, inbox->map_len, PROT_READ, MAP_PRIVATE, fd, 0);

		if (map == MAP_FAILED)
			die_errno("cannot open inbox '%s'", inbox->location);
		inbox->map = map;
	}
	close(fd);
	inbox_add_epoch(inbox, &alloc, 0, ".", path);
}

/* A regular file: an mbox when it starts like one, else one message. */
void inbox_open_file(struct inbox *inbox, const char *path)
{
	inbox_map_file(inbox, path, INBOX_FILE);
	if (mbox_is_mbox(inbox->map, inbox->map_len))
		inbox->kind = INBOX_MBOXRD;
}

struct mbox_plan {
	struct inbox_plan *plan;
	size_t epoch;
	const char *base;
};

static int plan_mbox_message(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct mbox_plan *mp = data;
	struct inbox_item *it = inbox_add_item(mp->plan, mp->epoch, (uint64_t)(msg - mp->base));

	it->origin.length = len;
	return 0;
}

int inbox_plan_mbox(struct inbox *inbox, size_t ei, struct inbox_plan *plan, struct strbuf *err)
{
	struct inbox_epoch *e = &inbox->epochs[ei];
	struct inbox_cursor *c = &e->cursor;
	struct mbox_plan mp = { plan, ei, inbox->map };
	struct stat st;
	size_t start = 0;

	if (stat(e->path, &st) < 0) {
		strbuf_addf(err, "cannot stat '%s': %s", e->path, strerror(errno));
		return -1;
	}
	plan->next.size = inbox->map_len;
	/* A racy mtime is not kept, so that the next run compares the bytes. */
	plan->next.mtime = is_racy(mtime_ns(&st)) ? 0 : mtime_ns(&st);
	if (c->size == inbox->map_len && c->mtime == plan->next.mtime && c->mtime && c->hash) {
		plan->next = *c;
		return 0;
	}
	plan->next.hash = cache_hash(inbox->map, inbox->map_len);
	if (c->hash && c->size == inbox->map_len && c->hash == plan->next.hash)
		return 0;	/* touched, not changed */
	if (inbox->kind == INBOX_FILE) {
		plan->rescan = c->hash != 0;
		plan->rescan_why = "it changed";
		if (inbox->map_len)
			inbox_add_item(plan, ei, 0)->origin.length = inbox->map_len;
		return 0;
	}
	/* Mail appended to what was read: read only the new part. */
	if (c->hash && c->size < inbox->map_len) {
		start = (size_t)c->size;
		/* The blank line that separates it may come with the new part. */
		if (inbox->map_len - start >= 2 && !memcmp(inbox->map + start, "\r\n", 2))
			start += 2;
		else if (inbox->map[start] == '\n')
			start++;
		if (inbox->map_len - start < 5 || memcmp(inbox->map + start, "From ", 5) ||
		    cache_hash(inbox->map, (size_t)c->size) != c->hash)
			start = 0;
	}
	if (c->hash && !start) {
		plan->rescan = 1;
		plan->rescan_why = "it changed";
	}
	if (start < inbox->map_len)
		mbox_split(inbox->map + start, inbox->map_len - start, plan_mbox_message, &mp);
	return 0;
}

void inbox_mbox_unquote(struct strbuf *out, enum inbox_kind kind, const char *msg, size_t len)
{
	strbuf_reset(out);
	if (kind == INBOX_MBOXO)
		mbox_unquote_mboxo(out, msg, len);
	else
		mbox_unquote(out, msg, len);
}

int inbox_read_mbox_item(struct inbox_reader *r, const struct inbox_item *item,
			 struct inbox_message *msg, struct strbuf *err)
{
	const struct inbox *inbox = r->inbox;
	uint64_t off = item->origin.offset, len = item->origin.length;

	if (off > inbox->map_len || len > inbox->map_len - off) {
		strbuf_addstr(err, "beyond the end of the file");
		return -1;
	}
	if (inbox_over_limit(len, inbox->max_message_size, err))
		return -1;
	if (inbox->kind == INBOX_FILE) {
		msg->raw = inbox->map + off;
		msg->len = (size_t)len;
		return 0;
	}
	inbox_mbox_unquote(&r->buf, inbox->kind, inbox->map + off, (size_t)len);
	msg->raw = r->buf.buf;
	msg->len = r->buf.len;
	return 0;
}
