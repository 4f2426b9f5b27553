#include "series.h"
#include "mail.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How far up a reply chain we look for the patch being answered. */
#define MAX_REPLY_DEPTH 64

int series_is_bot(const char *email)
{
	static const char *const exact[] = { "lkp@intel.com" };
	/* Words of the local part that only robots use ("patchwork-bot+netdevbpf"). */
	static const char *const words[] = { "bot", "syzbot", "robot", "noreply", "ci" };
	const char *at = strchr(email, '@'), *p = email;
	const char *end = at ? at : email + strlen(email);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcasecmp(email, exact[i]))
			return 1;
	while (p < end) {
		const char *w = p;

		while (p < end && isalnum((unsigned char)*p))
			p++;
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if ((size_t)(p - w) == strlen(words[i]) && !strncasecmp(w, words[i], (size_t)(p - w)))
				return 1;
		while (p < end && !isalnum((unsigned char)*p))
			p++;
	}
	return 0;
}

struct series_revision *series_latest(const struct series *s)
{
	return s->revisions_nr ? s->revisions[s->revisions_nr - 1] : NULL;
}

struct series_patch *revision_patch(const struct series_revision *rev, unsigned position)
{
	size_t i;

	for (i = 0; i < rev->patches_nr; i++)
		if (rev->patches[i]->subject.position == position)
			return rev->patches[i];
	return NULL;
}

struct series_patch *series_find(const struct series_set *set, const char *mid)
{
	struct series_patch *p = strmap_get(&set->by_mid, mid);

	return p ? p : strmap_get(&set->reply_to, mid);
}

/* The message a posting hangs from: the start of its thread. */
static const char *thread_root(const struct mail *m)
{
	if (m->refs_nr)
		return m->refs[0];
	if (m->in_reply_to)
		return m->in_reply_to;
	return m->mid;
}

static int is_posting(const struct mail *m, const struct subject *s)
{
	if (s->flags & (SUBJECT_REPLY | SUBJECT_FORWARD))
		return 0;
	return (s->flags & (SUBJECT_PATCH | SUBJECT_PULL)) ||
	       (m->flags & (MAIL_HAS_DIFF | MAIL_PULL_REQUEST));
}

static struct series_revision *new_revision(const struct series_patch *first)
{
	struct series_revision *rev = xcalloc(1, sizeof(*rev));

	rev->version = first->subject.version;
	rev->total = first->subject.total ? first->subject.total : 1;
	rev->tree = xstrdup_or_null(first->subject.tree);
	rev->date = mail_period_time(first->mail);
	if (first->subject.flags & SUBJECT_RFC)
		rev->flags |= REVISION_RFC;
	if (first->subject.flags & SUBJECT_RESEND)
		rev->flags |= REVISION_RESEND;
	if ((first->subject.flags & SUBJECT_PULL) || (first->mail->flags & MAIL_PULL_REQUEST))
		rev->flags |= REVISION_PULL;
	return rev;
}

static void add_to_revision(struct series_revision *rev, struct series_patch *p)
{
	size_t i;
	time_t when = mail_period_time(p->mail);

	p->revision = rev;
	if (when && (!rev->date || when < rev->date))
		rev->date = when;
	if (p->subject.position == 0 && p->subject.total > 0 && !rev->cover) {
		rev->cover = p;
		return;
	}
	ALLOC_GROW(rev->patches, rev->patches_nr + 1, rev->patches_alloc);
	/* Keep patches ordered by position; arrival order may differ. */
	for (i = rev->patches_nr; i > 0 &&
	     rev->patches[i - 1]->subject.position > p->subject.position; i--)
		rev->patches[i] = rev->patches[i - 1];
	rev->patches[i] = p;
	rev->patches_nr++;
}

static const char *revision_title(const struct series_revision *rev)
{
	if (rev->cover)
		return rev->cover->subject.title;
	return rev->patches_nr ? rev->patches[0]->subject.title : "";
}

static const struct mail *revision_author(const struct series_revision *rev)
{
	return rev->cover ? rev->cover->mail : rev->patches[0]->mail;
}

static int cmp_revision(const void *a, const void *b)
{
	const struct series_revision *x = *(const struct series_revision *const *)a;
	const struct series_revision *y = *(const struct series_revision *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->version < y->version ? -1 : x->version > y->version;
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;

	return cmp_revision(&x->revisions[0], &y->revisions[0]);
}

static void add_review(struct series_patch *p, const char *trailer,
		       const char *value, const struct mail *given_in)
{
	struct series_review *r;
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	struct strbuf name = STRBUF_INIT;
	char *email;
	size_t i;

	if (!lt || !gt || !memchr(lt, '@', (size_t)(gt - lt)))
		return;
	email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	for (i = 0; i < p->reviews_nr; i++)
		if (!strcasecmp(p->reviews[i].trailer, trailer) &&
		    !strcasecmp(p->reviews[i].email, email)) {
			free(email);
			return;
		}
	strbuf_add(&name, value, (size_t)(lt - value));
	strbuf_trim(&name);
	ALLOC_GROW(p->reviews, p->reviews_nr + 1, p->reviews_alloc);
	r = &p->reviews[p->reviews_nr++];
	r->trailer = xstrdup(trailer);
	r->name = strbuf_detach(&name, NULL);
	r->email = email;
	r->given_in = given_in;
}

static int is_review_trailer(const char *key)
{
	static const char *const keys[] = {
		"Acked-by", "Reviewed-by", "Tested-by",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcasecmp(key, keys[i]))
			return 1;
	return 0;
}

static void collect_reviews(struct series_patch *p, const struct mail *from)
{
	size_t i, j;

	for (i = 0; i < from->trailers_nr; i++) {
		const struct mail_trailer *t = &from->trailers[i];

		if (!is_review_trailer(t->key))
			continue;
		if (p->subject.position == 0 && p->revision && p->revision->cover == p) {
			/* A review of the cover is a review of every patch. */
			for (j = 0; j < p->revision->patches_nr; j++)
				add_review(p->revision->patches[j], t->key, t->value, from);
		}
		add_review(p, t->key, t->value, from);
	}
}

static void attach_reply(struct series_set *set, struct series_patch *p, struct mail *m)
{
	ALLOC_GROW(p->replies, p->replies_nr + 1, p->replies_alloc);
	p->replies[p->replies_nr++] = m;
	if (!series_is_bot(m->from_email))
		p->human_replies++;
	strmap_put(&set->reply_to, m->mid, p);
	collect_reviews(p, m);
}

/* The posting a follow-up answers, looking up its reply chain. */
static struct series_patch *answered(const struct series_set *set, const struct mail *m)
{
	size_t i;
	struct series_patch *p;

	if (m->in_reply_to && (p = series_find(set, m->in_reply_to)))
		return p;
	for (i = m->refs_nr; i > 0 && m->refs_nr - i < MAX_REPLY_DEPTH; i--)
		if ((p = series_find(set, m->refs[i - 1])))
			return p;
	return NULL;
}

static size_t count_participants(const struct series_revision *rev)
{
	struct strmap seen = STRMAP_INIT;
	size_t i, j, n;
	const char *author = revision_author(rev)->from_email;

	for (i = 0; i <= rev->patches_nr; i++) {
		const struct series_patch *p = i < rev->patches_nr ? rev->patches[i] : rev->cover;

		if (!p)
			continue;
		for (j = 0; j < p->replies_nr; j++) {
			const char *e = p->replies[j]->from_email;

			if (*e && strcasecmp(e, author) && !series_is_bot(e))
				strmap_put(&seen, e, (void *)e);
		}
	}
	n = seen.nr;
	strmap_clear(&seen);
	return n;
}

int series_build(struct series_set *set, struct mail **mails, size_t nr)
{
	struct strmap revisions = STRMAP_INIT_DUP, chains = STRMAP_INIT_DUP;
	struct series_patch **postings;
	struct mail **followups;
	size_t npost = 0, nfollow = 0, i, j;

	ALLOC_ARRAY(postings, nr);
	ALLOC_ARRAY(followups, nr);
	for (i = 0; i < nr; i++) {
		struct series_patch *p = xcalloc(1, sizeof(*p));

		subject_parse(&p->subject, mails[i]->subject);
		p->mail = mails[i];
		if (!is_posting(mails[i], &p->subject)) {
			subject_release(&p->subject);
			free(p);
			followups[nfollow++] = mails[i];
			continue;
		}
		postings[npost++] = p;
	}

	/* Postings into revisions: one thread and one version make a revision. */
	for (i = 0; i < npost; i++) {
		struct series_patch *p = postings[i];
		const char *root = p->subject.position == 0 && p->subject.total ? p->mail->mid
										  : thread_root(p->mail);
		char *key = xstrfmt("%s\n%u", root, p->subject.version);
		struct series_revision *rev = strmap_get(&revisions, key);

		if (rev && ((p->subject.total && rev->total != p->subject.total) ||
			    (p->subject.position && revision_patch(rev, p->subject.position)))) {
			/* A different posting in the same thread: a revision of its own. */
			unsigned n = 0;

			do {
				free(key);
				key = xstrfmt("%s\n%u\n%u", p->mail->mid, p->subject.version, n++);
			} while (strmap_get(&revisions, key));
			rev = NULL;
		}
		if (!rev) {
			rev = new_revision(p);
			strmap_put(&revisions, key, rev);
		}
		free(key);
		add_to_revision(rev, p);
		strmap_put(&set->by_mid, p->mail->mid, p);
	}

	/* Revisions into series: the same author and title are the same work. */
	{
		size_t k = 0;
		const char *key;
		void *value;
		struct series_revision **revs;
		size_t nrev = revisions.nr;

		ALLOC_ARRAY(revs, nrev ? nrev : 1);
		nrev = 0;
		while (strmap_next(&revisions, &k, &key, &value))
			revs[nrev++] = value;
		qsort(revs, nrev, sizeof(*revs), cmp_revision);
		for (i = 0; i < nrev; i++) {
			struct series_revision *rev = revs[i];
			const struct mail *author = revision_author(rev);
			char *norm = subject_normalize(revision_title(rev));
			char *ckey = xstrfmt("%s\n%s", author->from_email, norm);
			struct series *s = strmap_get(&chains, ckey);

			if (!s) {
				s = xcalloc(1, sizeof(*s));
				s->title = xstrdup(revision_title(rev));
				s->author_name = xstrdup(author->from_name);
				s->author_email = xstrdup(author->from_email);
				strmap_put(&chains, ckey, s);
				ALLOC_GROW(set->series, set->nr + 1, set->alloc);
				set->series[set->nr++] = s;
			}
			rev->series = s;
			ALLOC_GROW(s->revisions, s->revisions_nr + 1, s->revisions_alloc);
			s->revisions[s->revisions_nr++] = rev;
			free(ckey);
			free(norm);
		}
		free(revs);
	}
	for (i = 0; i < set->nr; i++) {
		struct series *s = set->series[i];

		for (j = 0; j + 1 < s->revisions_nr; j++)
			s->revisions[j]->flags |= REVISION_SUPERSEDED;
	}
	qsort(set->series, set->nr, sizeof(*set->series), cmp_series);

	/* A patch's own review trailers (carried from earlier revisions). */
	for (i = 0; i < npost; i++)
		collect_reviews(postings[i], postings[i]->mail);
	/* Follow-ups, in order; a reply to a reply finds its patch through the first. */
	for (i = 0; i < nfollow; i++) {
		struct series_patch *p = answered(set, followups[i]);

		if (p)
			attach_reply(set, p, followups[i]);
	}
	for (i = 0; i < set->nr; i++)
		for (j = 0; j < set->series[i]->revisions_nr; j++)
			set->series[i]->revisions[j]->participants =
				count_participants(set->series[i]->revisions[j]);

	strmap_clear(&revisions);
	strmap_clear(&chains);
	free(postings);
	free(followups);
	return 0;
}

static void release_patch(struct series_patch *p)
{
	size_t i;

	if (!p)
		return;
	subject_release(&p->subject);
	free(p->replies);
	for (i = 0; i < p->reviews_nr; i++) {
		free(p->reviews[i].trailer);
		free(p->reviews[i].name);
		free(p->reviews[i].email);
	}
	free(p->reviews);
	free(p);
}

void series_set_release(struct series_set *set)
{
	size_t i, j, k;

	for (i = 0; i < set->nr; i++) {
		struct series *s = set->series[i];

		for (j = 0; j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];

			release_patch(rev->cover);
			for (k = 0; k < rev->patches_nr; k++)
				release_patch(rev->patches[k]);
			free(rev->patches);
			free(rev->tree);
			free(rev);
		}
		free(s->revisions);
		free(s->title);
		free(s->author_name);
		free(s->author_email);
		free(s);
	}
	free(set->series);
	strmap_clear(&set->by_mid);
	strmap_clear(&set->reply_to);
	memset(set, 0, sizeof(*set));
}
