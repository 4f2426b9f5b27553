/*
 * inbox.c - naming an inbox, and driving its planning and reading.
 *
 * What each kind does (listing epochs, finding what is new, reading one
 * message) is in lib/inbox-git.c, lib/inbox-mbox.c and lib/inbox-maildir.c;
 * this file turns a location into one of them and calls it.
 */
#include "inbox.h"
#include "inbox-kinds.h"
#include "piconfig.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <errno.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

const char *inbox_kind_name(enum inbox_kind kind)
{
	switch (kind) {
	case INBOX_V2: return "v2";
	case INBOX_GIT: return "git";
	case INBOX_REFS: return "refs";
	case INBOX_MBOXRD: return "mboxrd";
	case INBOX_MBOXO: return "mboxo";
	case INBOX_MAILDIR: return "maildir";
	case INBOX_FILE: return "file";
	}
	return "unknown";
}

static int is_git_kind(enum inbox_kind kind)
{
	return kind == INBOX_V2 || kind == INBOX_GIT || kind == INBOX_REFS;
}

struct inbox_epoch *inbox_add_epoch(struct inbox *inbox, size_t *alloc, unsigned number,
				    const char *name, const char *path)
{
	struct inbox_epoch *e;

	ALLOC_GROW(inbox->epochs, inbox->epochs_nr + 1, *alloc);
	e = &inbox->epochs[inbox->epochs_nr++];
	memset(e, 0, sizeof(*e));
	e->number = number;
	e->name = xstrdup(name);
	e->path = xstrdup(path);
	return e;
}

static void open_path(struct inbox *inbox, const char *path, git_repository *repo)
{
	struct stat st;
	char *sub;

	if (stat(path, &st) < 0) {
		int saved = errno;
		char *named;

		if (saved == ENOENT && !strchr(path, '/') &&
		    ((named = piconfig_inboxdir(path)) || (named = piconfig_lei_external(path)))) {
			open_path(inbox, named, repo);
			free(named);
			return;
		}
		errno = saved;
		die_errno("cannot open inbox '%s'", inbox->location);
	}
	inbox->resolved = realpath(path, NULL);
	if (!inbox->resolved)
		die_errno("cannot open inbox '%s'", inbox->location);
	if (S_ISREG(st.st_mode)) {
		inbox_open_file(inbox, inbox->resolved);
		return;
	}
	sub = xstrfmt("%s/git", inbox->resolved);
	if (is_dir(sub)) {
		inbox_open_v2(inbox, sub);
		free(sub);
		return;
	}
	free(sub);
	if (inbox_open_git(inbox, inbox->resolved) == 0)
		return;
	sub = xstrfmt("%s/cur", inbox->resolved);
	if (is_dir(sub)) {
		free(sub);
		inbox_open_maildir(inbox, inbox->resolved);
		return;
	}
	free(sub);
	die("cannot open inbox '%s': not a public-inbox directory or git repository",
	    inbox->location);
}

/* The path after a "kind:" prefix, made absolute. */
static void resolve_prefixed(struct inbox *inbox, const char *path)
{
	if (!*path)
		die("cannot open inbox '%s': no path after the prefix", inbox->location);
	inbox->resolved = realpath(path, NULL);
	if (!inbox->resolved)
		die_errno("cannot open inbox '%s'", inbox->location);
}

struct inbox *inbox_open(const char *loc, unsigned index, git_repository *repo)
{
	struct inbox *inbox = xcalloc(1, sizeof(*inbox));

	/* zlib's checksum catches damaged objects; hashing every message again costs 40%. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	inbox->location = xstrdup(loc);
	inbox->index = index;
	if (starts_with(loc, "mboxrd:") || starts_with(loc, "mboxo:") || starts_with(loc, "mbox:")) {
		enum inbox_kind kind = starts_with(loc, "mboxo:") ? INBOX_MBOXO : INBOX_MBOXRD;

		resolve_prefixed(inbox, strchr(loc, ':') + 1);
		inbox_map_file(inbox, inbox->resolved, kind);
	} else if (starts_with(loc, "maildir:")) {
		resolve_prefixed(inbox, loc + 8);
		inbox_open_maildir(inbox, inbox->resolved);
	} else if (starts_with(loc, "refs/")) {
		inbox->resolved = xstrdup(loc);
		inbox_open_refs(inbox, loc, repo);
	} else {
		open_path(inbox, loc, repo);
		/* The list a public-inbox directory archives, when its config says. */
		inbox->address = piconfig_address(inbox->resolved);
	}
	return inbox;
}

void inbox_free(struct inbox *inbox)
{
	size_t i, j;

	if (!inbox)
		return;
	for (i = 0; i < inbox->epochs_nr; i++) {
		struct inbox_epoch *e = &inbox->epochs[i];

		git_repository_free(e->repo);
		free(e->name);
		free(e->path);
		free(e->ref);
		for (j = 0; j < e->names_nr; j++)
			free(e->names[j]);
		free(e->names);
	}
	if (inbox->map)
		munmap((void *)inbox->map, inbox->map_len);
	free(inbox->epochs);
	free(inbox->location);
	free(inbox->resolved);
	free(inbox->address);
	free(inbox);
}

/* ---- planning ---- */

struct inbox_item *inbox_add_item(struct inbox_plan *plan, size_t epoch, uint64_t offset)
{
	struct inbox_item *it;

	ALLOC_GROW(plan->items, plan->nr + 1, plan->alloc);
	it = &plan->items[plan->nr++];
	memset(it, 0, sizeof(*it));
	it->origin.epoch = (uint32_t)epoch;
	it->origin.offset = offset;
	return it;
}

int inbox_plan(struct inbox *inbox, size_t e, struct inbox_plan *plan)
{
	struct strbuf err = STRBUF_INIT;
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->epoch = e;
	if (e >= inbox->epochs_nr)
		return error("inbox '%s' has no epoch %zu", inbox->location, e);
	if (is_git_kind(inbox->kind))
		ret = inbox_plan_git(inbox, e, plan, &err);
	else if (inbox->kind == INBOX_MAILDIR)
		ret = inbox_plan_maildir(inbox, e, plan, &err);
	else
		ret = inbox_plan_mbox(inbox, e, plan, &err);
	if (ret < 0)
		error("cannot read inbox '%s': epoch '%s': %s", inbox->location,
		      inbox->epochs[e].name, err.buf);
	strbuf_release(&err);
	return ret;
}

void inbox_plan_release(struct inbox_plan *plan)
{
	free(plan->items);
	memset(plan, 0, sizeof(*plan));
}

void inbox_plan_done(struct inbox *inbox, const struct inbox_plan *plan)
{
	inbox->epochs[plan->epoch].cursor = plan->next;
}

/* ---- reading ---- */

struct inbox_reader *inbox_reader_new(struct inbox *inbox)
{
	struct inbox_reader *r = xcalloc(1, sizeof(*r));

	r->inbox = inbox;
	CALLOC_ARRAY(r->repos, inbox->epochs_nr + 1);
	CALLOC_ARRAY(r->odbs, inbox->epochs_nr + 1);
	strbuf_init(&r->buf, 0);
	return r;
}

void inbox_reader_free(struct inbox_reader *r)
{
	size_t i;

	if (!r)
		return;
	git_odb_object_free(r->obj);
	for (i = 0; i < r->inbox->epochs_nr; i++) {
		/* Epochs of a ref glob share the first one's handles. */
		if (r->inbox->kind == INBOX_REFS && i)
			break;
		git_odb_free(r->odbs[i]);
		git_repository_free(r->repos[i]);
	}
	free(r->repos);
	free(r->odbs);
	strbuf_release(&r->buf);
	free(r);
}

/*
 * Whether a message of size bytes is over the limit max (0: none); if so
 * err says so.  Messages over it are not read at all: memory stays
 * bounded whatever a mailbox holds.
 */
int inbox_over_limit(uint64_t size, uint64_t max, struct strbuf *err)
{
	if (!max || size <= max)
		return 0;
	strbuf_addf(err, "a message of %llu bytes is larger than bpfdigest.maxMessageSize "
		    "(%llu bytes); skipped", (unsigned long long)size, (unsigned long long)max);
	return 1;
}

int inbox_reader_read(struct inbox_reader *r, const struct inbox_item *item,
		      struct inbox_message *msg, struct strbuf *err)
{
	const struct inbox *inbox = r->inbox;

	git_odb_object_free(r->obj);
	r->obj = NULL;
	memset(msg, 0, sizeof(*msg));
	msg->origin = item->origin;
	msg->origin.source = inbox->index;
	msg->archived = item->archived;
	msg->removal = item->removal;
	if (item->origin.epoch >= inbox->epochs_nr) {
		strbuf_addstr(err, "no such epoch");
		return -1;
	}
	if (is_git_kind(inbox->kind))
		return inbox_read_git_item(r, item, msg, err);
	if (inbox->kind == INBOX_MAILDIR) {
		const struct inbox_epoch *e = &inbox->epochs[item->origin.epoch];

		if (item->removal)
			return 0;
		if (item->origin.offset >= e->names_nr) {
			strbuf_addstr(err, "no such file");
			return -1;
		}
		if (inbox_read_maildir_file(e, e->names[item->origin.offset],
					    inbox->max_message_size, &r->buf, err) < 0)
			return -1;
		msg->raw = r->buf.buf;
		msg->len = r->buf.len;
		return 0;
	}
	return inbox_read_mbox_item(r, item, msg, err);
}

int inbox_scan(struct inbox *inbox, inbox_message_fn fn, void *data)
{
	struct inbox_reader *r = inbox_reader_new(inbox);
	struct strbuf err = STRBUF_INIT, where = STRBUF_INIT;
	size_t e, i;
	int ret = 0;

	for (e = 0; e < inbox->epochs_nr && !ret; e++) {
		struct inbox_plan plan;

		if (inbox_plan(inbox, e, &plan) < 0) {
			ret = -1;
			break;
		}
		for (i = 0; i < plan.nr && !ret; i++) {
			struct inbox_message msg;
			int got;

			strbuf_reset(&err);
			got = inbox_reader_read(r, &plan.items[i], &msg, &err);
			if (got < 0) {
				strbuf_reset(&where);
				inbox_describe(inbox, &plan.items[i].origin, &where);
				warning("%s: %s", where.buf, err.buf);
			} else if (!got) {
				ret = fn(&msg, data);
			}
		}
		if (!ret)
			inbox_plan_done(inbox, &plan);
		inbox_plan_release(&plan);
	}
	inbox_reader_free(r);
	strbuf_release(&err);
	strbuf_release(&where);
	return ret;
}

int inbox_read(struct inbox *inbox, const struct inbox_origin *origin, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;
	const struct inbox_epoch *e;
	int ret = 0;

	if (origin->epoch >= inbox->epochs_nr)
		return error("inbox '%s' has no epoch %u", inbox->location, origin->epoch);
	e = &inbox->epochs[origin->epoch];
	if (is_git_kind(inbox->kind)) {
		ret = inbox_read_git_blob(e, &origin->blob, out, &err);
	} else if (inbox->kind == INBOX_MAILDIR) {
		struct strbuf file = STRBUF_INIT;

		if (origin->offset >= e->names_nr || !*e->names[origin->offset]) {
			strbuf_addstr(&err, "no such file");
			ret = -1;
		} else if (!(ret = inbox_read_maildir_file(e, e->names[origin->offset], 0,
							   &file, &err))) {
			strbuf_addbuf(out, &file);
		}
		strbuf_release(&file);
	} else if (origin->offset > inbox->map_len ||
		   origin->length > inbox->map_len - origin->offset) {
		strbuf_addstr(&err, "beyond the end of the file");
		ret = -1;
	} else if (inbox->kind == INBOX_FILE) {
		strbuf_add(out, inbox->map + origin->offset, (size_t)origin->length);
	} else {
		struct strbuf msg = STRBUF_INIT;

		inbox_mbox_unquote(&msg, inbox->kind, inbox->map + origin->offset,
				   (size_t)origin->length);
		strbuf_addbuf(out, &msg);
		strbuf_release(&msg);
	}
	if (ret < 0) {
		struct strbuf where = STRBUF_INIT;

		inbox_describe(inbox, origin, &where);
		error("cannot read message %s again: %s", where.buf, err.buf);
		strbuf_release(&where);
	}
	strbuf_release(&err);
	return ret;
}

void inbox_describe(const struct inbox *inbox, const struct inbox_origin *origin,
		    struct strbuf *out)
{
	const struct inbox_epoch *e;

	if (origin->epoch >= inbox->epochs_nr) {
		strbuf_addstr(out, inbox->location);
		return;
	}
	e = &inbox->epochs[origin->epoch];
	switch (inbox->kind) {
	case INBOX_V2:
	case INBOX_GIT:
		strbuf_addf(out, "%s:%s", e->path, git_oid_tostr_s(&origin->commit));
		break;
	case INBOX_REFS:
		strbuf_addf(out, "%s:%s", e->ref, git_oid_tostr_s(&origin->commit));
		break;
	case INBOX_MAILDIR:
		if (origin->offset < e->names_nr && *e->names[origin->offset])
			strbuf_addf(out, "%s/%s", e->path, e->names[origin->offset]);
		else
			strbuf_addstr(out, e->path);
		break;
	case INBOX_MBOXRD:
	case INBOX_MBOXO:
		strbuf_addf(out, "%s:%llu", e->path, (unsigned long long)origin->offset);
		break;
	case INBOX_FILE:
		strbuf_addstr(out, e->path);
		break;
	}
}

