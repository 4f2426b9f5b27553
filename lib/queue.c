#include "queue.h"
#include "digest.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void queue_init(struct queue *q, time_t as_of)
{
	memset(q, 0, sizeof(*q));
	q->as_of = as_of;
}

void queue_set_urls(struct queue *q, const char *midmask)
{
	size_t i;

	for (i = 0; i < q->nr; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!q->entries[i].mid)
			continue;
		digest_url(&sb, midmask, q->entries[i].mid);
		free(q->entries[i].url);
		q->entries[i].url = strbuf_detach(&sb, NULL);
	}
}

long queue_days(const struct queue *q, time_t since)
{
	return since && since < q->as_of ? (long)((q->as_of - since) / 86400) : 0;
}

void queue_release(struct queue *q)
{
	size_t i;

	for (i = 0; i < q->nr; i++) {
		free(q->entries[i].url);
		free(q->entries[i].reviews);
		free(q->entries[i].patches);
	}
	free(q->entries);
	memset(q, 0, sizeof(*q));
}
