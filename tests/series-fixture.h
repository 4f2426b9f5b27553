/*
 * series-fixture.h - mails for the series tests, parsed as an archive
 * would: one struct mail per Message-ID, in the order added.
 *
 *   struct mails ms = { 0 };
 *   add(&ms, "Jane <jane@x.org>", "p1@x", "c@x", date, "[PATCH 1/2] x", body);
 *   load_mbox(&ms, path);
 *   struct series_set set = build(&ms);
 *   struct series *s = series_of(&set, "p1@x");
 *   ...
 *   release(&ms, &set);
 *
 * diff is a patch body, cover_body a cover letter's, jane an author.
 */
#include <stdio.h>
#include <time.h>
#ifndef BPFDIGEST_TESTS_SERIES_FIXTURE_H
#define BPFDIGEST_TESTS_SERIES_FIXTURE_H

#include "unit.h"
#include "date.h"
#include "mail.h"
#include "mbox.h"
#include "series.h"
#include "strbuf.h"
#include "strmap.h"

/* A set of parsed mails, one per Message-ID as in an archive. */
struct mails {
	struct mail **v;
	size_t nr, alloc;
	struct strmap mids;
};

static inline void mails_add_raw(struct mails *ms, const char *raw, size_t len)
{
	struct strbuf err = STRBUF_INIT;
	struct mail *m = xmalloc(sizeof(*m));

	if (mail_parse(m, raw, len, MAIL_PARSE_FACTS_ONLY, &err) < 0)
		fail_msg("fixture does not parse: %s", err.buf);
	strbuf_release(&err);
	if (strmap_get(&ms->mids, m->mid)) {
		mail_release(m);
		free(m);
		return;
	}
	ALLOC_GROW(ms->v, ms->nr + 1, ms->alloc);
	ms->v[ms->nr++] = m;
	strmap_put(&ms->mids, m->mid, m);
}

/* One message; refs is a space-separated list of ids, oldest first. */
static inline void add(struct mails *ms, const char *from, const char *mid, const char *refs,
		const char *date, const char *subject, const char *body)
{
	struct strbuf raw = STRBUF_INIT;

	strbuf_addf(&raw, "From: %s\nMessage-ID: <%s>\nDate: %s\nSubject: %s\n", from, mid,
		    date, subject);
	if (refs && *refs) {
		const char *last = strrchr(refs, ' ');

		strbuf_addf(&raw, "In-Reply-To: <%s>\nReferences:", last ? last + 1 : refs);
		for (const char *p = refs; *p;) {
			size_t l = strcspn(p, " ");

			strbuf_addf(&raw, " <%.*s>", (int)l, p);
			p += l;
			p += strspn(p, " ");
		}
		strbuf_addch(&raw, '\n');
	}
	strbuf_addf(&raw, "\n%s", body);
	mails_add_raw(ms, raw.buf, raw.len);
	strbuf_release(&raw);
}

static inline int add_mbox_message(const char *msg, size_t len, uint64_t offset, void *data)
{
	struct strbuf raw = STRBUF_INIT;

	mbox_unquote(&raw, msg, len);
	mails_add_raw(data, raw.buf, raw.len);
	strbuf_release(&raw);
	return 0;
}

static inline void load_mbox(struct mails *ms, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	unit_read_file(&sb, path);
	mbox_split(sb.buf, sb.len, add_mbox_message, ms);
	strbuf_release(&sb);
}

static inline void release(struct mails *ms, struct series_set *set)
{
	size_t i;

	series_set_release(set);
	for (i = 0; i < ms->nr; i++) {
		mail_release(ms->v[i]);
		free(ms->v[i]);
	}
	free(ms->v);
	strmap_clear(&ms->mids);
	memset(ms, 0, sizeof(*ms));
}

static inline struct series_set build(struct mails *ms)
{
	struct series_set set = SERIES_SET_INIT;

	assert_int_equal(series_build(&set, ms->v, ms->nr), 0);
	return set;
}

/* The series the message belongs to, checked to exist. */
static inline struct series *series_of(const struct series_set *set, const char *mid)
{
	struct series_patch *p = series_find(set, mid);

	if (!p)
		fail_msg("'%s' is in no series", mid);
	return p->revision->series;
}

static const char diff[] =
	"msg\n\nSigned-off-by: J <j@x.org>\n---\n x | 1 +\n 1 file changed\n\n"
	"diff --git a/kernel/bpf/x.c b/kernel/bpf/x.c\n--- a/kernel/bpf/x.c\n+++ b/kernel/bpf/x.c\n"
	"@@ -1 +1 @@\n-a\n+b\n";
static const char cover_body[] = "intro\n\n x | 1 +\n 2 files changed\n";
static const char *const jane = "Jane Dev <jane@x.org>";

/*
 * A series as git send-email posts it, a second a message from date
 * ("YYYY-MM-DD HH:MM:SS", UTC): the cover "[<prefix> 0/n] <title>" with
 * Message-ID <id>0@x, then "[<prefix> k/n] <titles[k-1]>" as <id>k@x,
 * answering the cover.  titles ends with NULL.
 */
static inline void post(struct mails *ms, const char *from, const char *id, const char *date,
			const char *prefix, const char *title, const char *const *titles)
{
	int y, mo, d, h, mi, sec;
	size_t n = 0, k;
	time_t when;
	char *cover = xstrfmt("%s0@x", id);

	if (sscanf(date, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
		fail_msg("bad fixture date '%s'", date);
	when = date_utc(y, mo, d, h, mi, sec);
	while (titles[n])
		n++;
	for (k = 0; k <= n; k++) {
		char stamp[64], *mid = xstrfmt("%s%zu@x", id, k);
		char *subject = xstrfmt("[%s %zu/%zu] %s", prefix, k, n, k ? titles[k - 1] : title);
		time_t t = when + (time_t)k;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		add(ms, from, mid, k ? cover : NULL, stamp, subject, k ? diff : cover_body);
		free(mid);
		free(subject);
	}
	free(cover);
}

#endif
