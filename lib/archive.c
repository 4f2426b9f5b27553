#include "archive.h"
#include "inbox.h"
#include "mail.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void archive_open(struct archive *a, const char *const *locations, size_t nr)
{
	size_t i;

	CALLOC_ARRAY(a->inboxes, nr);
	for (i = 0; i < nr; i++)
		a->inboxes[i] = inbox_open(locations[i], (unsigned)i);
	a->inboxes_nr = nr;
}

static int add_message(const struct inbox_message *msg, void *data)
{
	struct archive *a = data;
	struct strbuf err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	a->seen++;
	if (mail_parse(m, msg->raw, msg->len, MAIL_PARSE_FACTS_ONLY, &err) < 0) {
		struct strbuf where = STRBUF_INIT;

		inbox_describe(a->inboxes[msg->origin.source], &msg->origin, &where);
		warning("%s: %s", where.buf, err.buf);
		strbuf_release(&where);
		strbuf_release(&err);
		free(m);
		a->broken++;
		return 0;
	}
	m->origin = msg->origin;
	if (!m->arrival)
		m->arrival = msg->archived;
	if (strmap_get(&a->by_mid, m->mid)) {
		a->duplicates++;
		mail_release(m);
		free(m);
		return 0;
	}
	ALLOC_GROW(a->mails, a->nr + 1, a->alloc);
	a->mails[a->nr++] = m;
	strmap_put(&a->by_mid, m->mid, m);
	return 0;
}

int archive_update(struct archive *a)
{
	size_t i;

	for (i = 0; i < a->inboxes_nr; i++)
		if (inbox_scan(a->inboxes[i], add_message, a) < 0)
			return -1;
	return 0;
}

struct mail *archive_find(const struct archive *a, const char *mid)
{
	return strmap_get(&a->by_mid, mid);
}

int archive_read_raw(struct archive *a, const struct mail *m, struct strbuf *out)
{
	if (m->origin.source >= a->inboxes_nr)
		return error("message '%s' comes from no inbox", m->mid);
	return inbox_read(a->inboxes[m->origin.source], &m->origin, out);
}

int archive_load_body(struct archive *a, struct mail *m)
{
	struct strbuf raw = STRBUF_INIT, err = STRBUF_INIT;
	struct mail full;
	int ret = 0;

	if (m->flags & MAIL_HAS_BODY)
		return 0;
	if (m->origin.source >= a->inboxes_nr ||
	    inbox_read(a->inboxes[m->origin.source], &m->origin, &raw) < 0) {
		ret = -1;
		goto out;
	}
	if (mail_parse(&full, raw.buf, raw.len, 0, &err) < 0) {
		ret = error("cannot parse message '%s' again: %s", m->mid, err.buf);
		goto out;
	}
	m->text = full.text;
	m->notes = full.notes;
	m->diff = full.diff;
	m->flags |= MAIL_HAS_BODY;
	full.text = full.notes = full.diff = NULL;
	mail_release(&full);
out:
	strbuf_release(&raw);
	strbuf_release(&err);
	return ret;
}

void archive_release(struct archive *a)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		mail_release(a->mails[i]);
		free(a->mails[i]);
	}
	free(a->mails);
	for (i = 0; i < a->inboxes_nr; i++)
		inbox_free(a->inboxes[i]);
	free(a->inboxes);
	strmap_clear(&a->by_mid);
	memset(a, 0, sizeof(*a));
}
