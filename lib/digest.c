#include "digest.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether a path is core BPF code rather than tests or tooling. */
static int is_core_path(const char *path)
{
	return !strncmp(path, "kernel/bpf/", 11) || !strncmp(path, "include/uapi/", 13) ||
	       !strncmp(path, "include/linux/bpf", 17) || !strncmp(path, "arch/", 5) ||
	       !strncmp(path, "net/", 4);
}

static int patch_core_paths(const struct series_patch *p)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->mail->paths_nr; i++)
		n += is_core_path(p->mail->paths[i]);
	return n;
}

static long revision_score(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	long score = 0;
	size_t i;

	score += 4 * (long)(rev->patches_nr < 20 ? rev->patches_nr : 20);
	score += 3 * (long)(s->revisions_nr < 10 ? s->revisions_nr : 10);
	score += 2 * (long)rev->participants;
	for (i = 0; i < rev->patches_nr; i++) {
		score += (long)(rev->patches[i]->human_replies < 5 ? rev->patches[i]->human_replies : 5);
		score += patch_core_paths(rev->patches[i]) ? 2 : 0;
	}
	if (rev->flags & REVISION_RFC)
		score -= 5;
	return score;
}

static int cmp_ranked(const void *a, const void *b)
{
	const struct series_revision *x = *(const struct series_revision *const *)a;
	const struct series_revision *y = *(const struct series_revision *const *)b;
	long sx = revision_score(x), sy = revision_score(y);
	int c;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	/* Deterministic to the end: titles, then the first message-ids. */
	c = strcmp(x->series->title, y->series->title);
	if (c)
		return c;
	return strcmp(x->patches_nr ? x->patches[0]->mail->mid : "",
		      y->patches_nr ? y->patches[0]->mail->mid : "");
}

/* The patch that best represents a revision: core code first, else the first. */
static struct series_patch *highlight(const struct series_revision *rev)
{
	size_t i;

	for (i = 0; i < rev->patches_nr; i++)
		if (patch_core_paths(rev->patches[i]))
			return rev->patches[i];
	return rev->patches[0];
}

void digest_select(struct digest *d, const struct series_set *set,
		   struct mail *const *mails, size_t nr,
		   const struct period *period, size_t limit)
{
	struct strmap authors = STRMAP_INIT;
	size_t i, j, alloc = 0;

	memset(d, 0, sizeof(*d));
	d->period = *period;
	d->list = digest_guess_list(mails, nr);
	for (i = 0; i < nr; i++)
		if (period_contains(period, mail_period_time(mails[i])))
			d->messages++;
	for (i = 0; i < set->nr; i++) {
		const struct series *s = set->series[i];

		for (j = 0; j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];

			if (!rev->patches_nr || !period_contains(period, rev->date))
				continue;
			ALLOC_GROW(d->revisions, d->revisions_nr + 1, alloc);
			d->revisions[d->revisions_nr++] = rev;
			d->patches += rev->patches_nr;
			strmap_put(&authors, s->author_email, (void *)s);
		}
	}
	d->authors = authors.nr;
	strmap_clear(&authors);
	qsort(d->revisions, d->revisions_nr, sizeof(*d->revisions), cmp_ranked);

	d->entries_nr = d->revisions_nr < limit ? d->revisions_nr : limit;
	CALLOC_ARRAY(d->entries, d->entries_nr);
	for (i = 0; i < d->entries_nr; i++)
		d->entries[i].patch = highlight(d->revisions[i]);
}

static void describe_revision(struct strbuf *out, const struct series_revision *rev)
{
	const struct series *s = rev->series;

	strbuf_addf(out, "%s's v%u ", *s->author_name ? s->author_name : s->author_email,
		    rev->version);
	if (rev->patches_nr > 1)
		strbuf_addf(out, "series \"%s\" (%zu patches)", s->title, rev->patches_nr);
	else
		strbuf_addf(out, "patch \"%s\"", s->title);
}

void digest_write_overview(struct digest *d)
{
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;
	size_t i;

	period_describe(&when, &d->period);
	if (!d->revisions_nr) {
		free(d->overview);
		d->overview = xstrfmt("No patches were submitted to %s during this period.",
				      d->list ? d->list : "the list");
		strbuf_release(&when);
		return;
	}
	switch (d->period.kind) {
	case PERIOD_DAILY:
		strbuf_addf(&sb, "Activity on %s", when.buf);
		break;
	case PERIOD_WEEKLY:
		strbuf_addf(&sb, "The week of %s", when.buf);
		break;
	case PERIOD_MONTHLY:
		strbuf_addf(&sb, "%s, with %zu patches across %zu series from %zu authors,",
			    when.buf, d->patches, d->revisions_nr, d->authors);
		break;
	case PERIOD_RANGE:
		strbuf_addf(&sb, "The period of %s", when.buf);
		break;
	}
	strbuf_addstr(&sb, " was dominated by ");
	describe_revision(&sb, d->revisions[0]);
	strbuf_addch(&sb, '.');
	for (i = 1; i < d->revisions_nr && i < 3; i++) {
		strbuf_addstr(&sb, i == 1 ? " Also posted: " : "; ");
		describe_revision(&sb, d->revisions[i]);
	}
	if (d->revisions_nr > 1)
		strbuf_addch(&sb, '.');
	free(d->overview);
	d->overview = strbuf_detach(&sb, NULL);
	strbuf_release(&when);
}

char *digest_guess_list(struct mail *const *mails, size_t nr)
{
	struct strmap counts = STRMAP_INIT_DUP;
	const char *best = NULL, *key;
	size_t i, bestn = 0, k = 0;
	void *value;
	char *out = NULL;

	for (i = 0; i < nr; i++)
		if (mails[i]->list_id) {
			uintptr_t n = (uintptr_t)strmap_get(&counts, mails[i]->list_id);

			strmap_put(&counts, mails[i]->list_id, (void *)(n + 1));
		}
	while (strmap_next(&counts, &k, &key, &value))
		if ((uintptr_t)value > bestn ||
		    ((uintptr_t)value == bestn && best && strcmp(key, best) < 0)) {
			bestn = (uintptr_t)value;
			best = key;
		}
	if (best) {
		/* List-Id "bpf.vger.kernel.org" names bpf@vger.kernel.org. */
		const char *dot = strchr(best, '.');

		out = dot ? xstrfmt("%.*s@%s", (int)(dot - best), best, dot + 1) : xstrdup(best);
	}
	strmap_clear(&counts);
	return out;
}

void digest_release(struct digest *d)
{
	size_t i;

	for (i = 0; i < d->entries_nr; i++)
		free(d->entries[i].summary);
	free(d->entries);
	free(d->revisions);
	free(d->overview);
	free(d->list);
	memset(d, 0, sizeof(*d));
}
