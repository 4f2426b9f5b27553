#include "series-build.h"
#include "mail.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- replies and their review trailers ---- */

/*
 * "Name <email>" -> name and email, or 0 when there is no email.  Mail
 * clients wrap addresses ("<a@b.org<mailto:a@b.org>>"): the email ends
 * at the first '>' or '<'.
 */
int series_parse_person(const char *value, struct strbuf *name, struct strbuf *email)
{
	const char *lt = strchr(value, '<');
	size_t len;

	if (!lt)
		return 0;
	len = strcspn(lt + 1, "<>");
	if (!memchr(lt + 1, '@', len))
		return 0;
	strbuf_add(email, lt + 1, len);
	strbuf_trim(email);
	strbuf_add(name, value, (size_t)(lt - value));
	strbuf_trim(name);
	return 1;
}

static void add_review(struct builder *b, struct series_patch *p, const char *trailer,
		       const char *name, const char *email, const struct mail *given_in)
{
	struct strbuf key = STRBUF_INIT;
	struct series_review *r;
	size_t i;

	strbuf_addf(&key, "%p\n%s\n%s\n%s", (void *)p, trailer, email, name);
	for (i = 0; i < key.len; i++)
		key.buf[i] = (char)tolower((unsigned char)key.buf[i]);
	if (strmap_get(&b->reviews, key.buf)) {
		strbuf_release(&key);
		return;
	}
	strmap_put(&b->reviews, key.buf, p);
	strbuf_release(&key);
	ALLOC_GROW(p->reviews, p->reviews_nr + 1, p->reviews_alloc);
	r = &p->reviews[p->reviews_nr++];
	r->trailer = xstrdup(trailer);
	r->name = xstrdup(name);
	r->email = xstrdup(email);
	r->given_in = given_in;
}

int series_is_review_trailer(const char *key)
{
	static const char *const keys[] = {
		"Acked-by", "Reviewed-by", "Tested-by", "Reviewed-and-tested-by",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcasecmp(key, keys[i]))
			return 1;
	return 0;
}

/* The review trailers of from; a reply's only when they name its sender. */
static void collect_reviews(struct builder *b, struct series_patch *p, const struct mail *from)
{
	struct series_revision *rev = p->revision;
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < from->trailers_nr; i++) {
		const struct mail_trailer *t = &from->trailers[i];

		strbuf_reset(&name);
		strbuf_reset(&email);
		if (!series_is_review_trailer(t->key) || !series_parse_person(t->value, &name, &email))
			continue;
		/* Like b4: someone else's trailer quoted in a reply is not given by it. */
		if (from != p->mail && strcasecmp(email.buf, from->from_email) &&
		    (!name.len || strcasecmp(name.buf, from->from_name)))
			continue;
		if (p == rev->cover)
			for (j = 0; j < rev->patches_nr; j++)
				add_review(b, rev->patches[j], t->key, name.buf, email.buf, from);
		add_review(b, p, t->key, name.buf, email.buf, from);
	}
	strbuf_release(&name);
	strbuf_release(&email);
}

static void attach_reply(struct builder *b, struct series_patch *p, struct mail *m)
{
	struct series_set *set = b->set;

	ALLOC_GROW(p->replies, p->replies_nr + 1, p->replies_alloc);
	p->replies[p->replies_nr++] = m;
	if (!series_mail_is_bot(m))
		p->human_replies++;
	strmap_put(&set->reply_to, m->mid, p);
	collect_reviews(b, p, m);
}

/* The nearest posting above node i in its thread, or -1. */
static int answered(struct builder *b, int i)
{
	int j = b->nodes[i].parent, found, next;

	while (j >= 0 && !b->nodes[j].posting && b->nodes[j].answers == -2)
		j = b->nodes[j].parent;
	if (j < 0)
		found = -1;
	else if (b->nodes[j].posting)
		found = j;
	else
		found = b->nodes[j].answers;
	/* Remember it for every message on the way up. */
	for (j = b->nodes[i].parent; j >= 0 && !b->nodes[j].posting && b->nodes[j].answers == -2;
	     j = next) {
		next = b->nodes[j].parent;
		b->nodes[j].answers = found;
	}
	return found;
}

void series_attach_followups(struct builder *b)
{
	size_t i, j, k;

	/* A patch's own review trailers (carried from earlier revisions) come first. */
	for (i = 0; i < b->nr; i++) {
		struct series_patch *p = b->nodes[i].posting;

		if (p && p != p->revision->cover)
			collect_reviews(b, p, p->mail);
	}
	for (i = 0; i < b->nr; i++) {
		int t;

		if (b->nodes[i].posting)
			continue;
		t = answered(b, (int)i);
		b->nodes[i].answers = t;
		if (t >= 0)
			attach_reply(b, b->nodes[t].posting, b->nodes[i].mail);
	}
	/* A review of the cover also covers the patches a partial reroll resent. */
	for (i = 0; i < b->revs_nr; i++) {
		struct series_revision *rev = &b->revs[i]->rev;
		const struct series_patch *cover = rev->base ? rev->base->cover : NULL;

		for (j = 0; cover && j < cover->reviews_nr; j++) {
			const struct series_review *r = &cover->reviews[j];

			if (r->given_in == cover->mail)
				continue;
			for (k = 0; k < rev->patches_nr; k++)
				add_review(b, rev->patches[k], r->trailer, r->name, r->email,
					   r->given_in);
		}
	}
}

/* Distinct people, not bots and not the author, who answered the revision. */
size_t series_count_participants(const struct series_revision *rev)
{
	struct strmap seen = STRMAP_INIT;
	size_t i, j, n;
	const struct mail *author = revision_author(rev);

	for (i = 0; i <= rev->patches_nr; i++) {
		const struct series_patch *p = i < rev->patches_nr ? rev->patches[i] : rev->cover;

		for (j = 0; p && j < p->replies_nr; j++) {
			const struct mail *m = p->replies[j];

			if (*m->from_email && !series_same_person(author, m) && !series_mail_is_bot(m))
				strmap_put(&seen, m->from_email, (void *)m);
		}
	}
	n = seen.nr;
	strmap_clear(&seen);
	return n;
}

/* ---- patchwork-bot "applied" notices ---- */

static struct series_patch *patch_titled(const struct series_revision *rev, const char *norm)
{
	size_t i;

	for (i = 0; i < rev->patches_nr; i++) {
		char *n = subject_normalize(rev->patches[i]->subject.title);
		int eq = !strcmp(n, norm);

		free(n);
		if (eq)
			return rev->patches[i];
	}
	return NULL;
}

/*
 * The patch a notice line names: by position in the revision the notice
 * answers when the title agrees, else by title there, else by title in
 * the other revisions of the series (the same version first, newest
 * first), else by position alone when the numbering agrees.
 */
static struct series_patch *resolve_applied(const struct series_patch *answered_patch,
					    const struct subject *s, size_t lines)
{
	const struct series_revision *rev = answered_patch->revision;
	const struct series *series = rev->series;
	struct series_patch *p = NULL;
	char *norm = subject_normalize(s->title);
	size_t i;
	int pass;

	if (s->position) {
		p = revision_patch(rev, s->position);
		if (p) {
			char *n = subject_normalize(p->subject.title);

			if (strcmp(n, norm))
				p = NULL;
			free(n);
		}
	}
	if (!p)
		p = patch_titled(rev, norm);
	for (pass = 0; pass < 2 && !p; pass++)
		for (i = series->revisions_nr; i-- > 0 && !p;)
			if (series->revisions[i] != rev &&
			    (pass || series->revisions[i]->version == s->version))
				p = patch_titled(series->revisions[i], norm);
	if (!p && s->position && s->total == rev->total)
		p = revision_patch(rev, s->position);
	if (!p && lines == 1 && rev->patches_nr == 1 && s->total <= 1)
		p = rev->patches[0];
	free(norm);
	return p;
}

/* "bpf/bpf-next.git (master)" -> tree and branch ("refs/heads/master" in 2020). */
static void split_applied_to(const char *to, char **tree, char **branch)
{
	const char *open = strchr(to, '('), *close = open ? strchr(open, ')') : NULL;
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, to, open ? (size_t)(open - to) : strlen(to));
	strbuf_trim(&sb);
	*tree = strbuf_detach(&sb, NULL);
	*branch = NULL;
	if (close) {
		open++;
		if (!strncmp(open, "refs/heads/", 11))
			open += 11;
		*branch = xstrndup(open, (size_t)(close - open));
	}
}

/* ".../c/<hex>" -> the hex, or NULL. */
static char *commit_of_url(const char *url)
{
	const char *c = url ? strstr(url, "/c/") : NULL;
	size_t n = 0;

	if (!c)
		return NULL;
	c += 3;
	while (isxdigit((unsigned char)c[n]))
		n++;
	return n >= 7 ? xstrndup(c, n) : NULL;
}

static void collect_applied(struct builder *b)
{
	struct series_set *set = b->set;
	size_t i, k;

	for (i = 0; i < b->nr; i++) {
		const struct node *n = &b->nodes[i];
		const struct mail *m = n->mail;

		if (!m->applied_to || !m->applied_nr || n->posting)
			continue;
		for (k = 0; k < m->applied_nr; k++) {
			struct series_patch *p = NULL;
			struct series_applied *a;
			char *commit = commit_of_url(m->applied[k].url);
			struct subject s;

			/* "(no matching commit)": listed, but not applied. */
			if (!commit)
				continue;
			if (n->answers >= 0) {
				subject_parse(&s, m->applied[k].subject);
				p = resolve_applied(b->nodes[n->answers].posting, &s, m->applied_nr);
				subject_release(&s);
			}
			if (!p) {
				set->applied_unresolved++;
				free(commit);
				continue;
			}
			ALLOC_GROW(set->applied, set->applied_nr + 1, set->applied_alloc);
			a = &set->applied[set->applied_nr++];
			a->patch = p;
			split_applied_to(m->applied_to, &a->tree, &a->branch);
			a->commit = commit;
			a->url = m->applied[k].url;
			a->line = m->applied[k].subject;
			a->notice = m;
		}
	}
}

char *series_tree_name(const char *tree)
{
	const char *base = strrchr(tree, '/');
	size_t len;

	base = base ? base + 1 : tree;
	len = strlen(base);
	if (len > 4 && !strcmp(base + len - 4, ".git"))
		len -= 4;
	return xstrndup(base, len);
}

/* Once set->applied no longer grows: each patch's first notice line. */
static void point_to_notices(struct series_set *set)
{
	size_t i;

	for (i = 0; i < set->applied_nr; i++)
		if (!set->applied[i].patch->applied)
			set->applied[i].patch->applied = &set->applied[i];
}

void series_collect_applied(struct builder *b)
{
	collect_applied(b);
	point_to_notices(b->set);
}
