#include "summary.h"
#include "summary-candidates.h"
#include "changelog.h"
#include "prose.h"
#include "sentence.h"
#include "date.h"
#include "mail.h"
#include "period.h"
#include "series.h"
#include "strbuf.h"
#include "textline.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A summary's length in sentences, place and status included. */
#define MAX_SENTENCES 5
#define MIN_SENTENCES 3
/* Longer "This series ..." sentences make a poor clause. */
#define MAX_CLAUSE 220

/* Clauses ----------------------------------------------------------------- */

static int is_verb(const char *w, size_t len)
{
	return textline_is_verb(w, len);
}

/* "adds", "fixes", "verifies": a listed verb in the third person. */
static int is_third_person(const char *w, size_t len)
{
	char stem[32];

	if (len < 3 || len >= sizeof(stem) || w[len - 1] != 's')
		return 0;
	memcpy(stem, w, len);
	stem[len] = '\0';
	if (is_verb(stem, len - 1))
		return 1;
	if (len > 3 && !strcmp(stem + len - 3, "ies")) {
		strcpy(stem + len - 3, "y");
		return is_verb(stem, len - 2);
	}
	return len > 2 && stem[len - 2] == 'e' && is_verb(stem, len - 2);
}

/* "add" -> "adds", "fix" -> "fixes", "verify" -> "verifies", "do" -> "does". */
static void add_third_person(struct strbuf *out, const char *w, size_t len)
{
	size_t i;
	char last, prev;

	for (i = 0; i < len; i++)
		strbuf_addch(out, tolower((unsigned char)w[i]));
	last = out->buf[out->len - 1];
	prev = len > 1 ? out->buf[out->len - 2] : 0;
	if (last == 'y' && prev && !strchr("aeiou", prev)) {
		strbuf_setlen(out, out->len - 1);
		strbuf_addstr(out, "ies");
	} else if (strchr("sxzo", last) || (last == 'h' && (prev == 'c' || prev == 's'))) {
		strbuf_addstr(out, "es");
	} else {
		strbuf_addch(out, 's');
	}
}

/* The title without its "subsystem: " prefixes ("bpf, x86: ", "selftests/bpf: "). */
static const char *title_topic(const char *title)
{
	const char *t = title;

	for (;;) {
		const char *colon = strstr(t, ": ");
		const char *q;

		if (!colon || colon - t > 40)
			return t;
		for (q = t + 1; q < colon; q++)
			if (*q == ' ' && q[-1] != ',')
				return t;
		t = colon + 2;
	}
}

int summary_title_clause(struct strbuf *out, const char *title)
{
	const char *t = title_topic(title), *w = t;

	while (*w && (isalpha((unsigned char)*w)))
		w++;
	if (w == t || !is_verb(t, (size_t)(w - t)) || (*w && *w != ' '))
		return 0;
	add_third_person(out, t, (size_t)(w - t));
	strbuf_addstr(out, w);
	return 1;
}

/* "This series adds X." -> "adds X" */
static int cover_clause(const char *s, size_t len, void *data)
{
	static const char *const subjects[] = {
		"patch set", "patchset", "patch series", "series", "set of patches", "patches",
		"patch", "set", "RFC", "revision", "version", "change", "changeset", "work",
	};
	struct strbuf *out = data;
	const char *p = s, *end = s + len;
	size_t i;

	if (!textline_starts_with_ci(p, len, "This ") && !textline_starts_with_ci(p, len, "These ") &&
	    !textline_starts_with_ci(p, len, "The "))
		return 1;	/* only the opening sentence counts */
	p = strchr(p, ' ') + 1;
	/* "This improves X": the verb follows at once. */
	if (textline_starts_with_ci(s, len, "This ")) {
		const char *w = p;

		while (w < end && isalpha((unsigned char)*w))
			w++;
		if (is_third_person(p, (size_t)(w - p)))
			goto predicate;
	}
	for (i = 0; i < ARRAY_SIZE(subjects); i++)
		if (textline_starts_with_ci(p, (size_t)(end - p), subjects[i]) &&
		    p[strlen(subjects[i])] == ' ')
			break;
	if (i == ARRAY_SIZE(subjects))
		return 1;
	p += strlen(subjects[i]) + 1;
predicate:
	while (end > p && strchr(".!", end[-1]))
		end--;
	if (end - p < 10 || end - p > MAX_CLAUSE || memmem(p, (size_t)(end - p), "://", 3) ||
	    !islower((unsigned char)*p))
		return 1;
	strbuf_add(out, p, (size_t)(end - p));
	return 1;
}

int summary_clause(struct strbuf *out, const struct series_revision *rev)
{
	/* A series without its cover nor its first patch is not named by a later one. */
	const struct series_patch *first = rev->cover ? rev->cover :
					   rev->patches_nr && rev->patches[0]->subject.position <= 1 ?
					   rev->patches[0] : NULL;
	struct strbuf prose = STRBUF_INIT, clause = STRBUF_INIT;
	int ret = 0;

	if (!first)
		return 0;
	if (first->mail->text) {
		prose_text(&prose, first->mail->text);
		sentence_split(prose.buf, cover_clause, &clause);
	}
	if (clause.len) {
		textsafe_line(out, clause.buf, clause.len);
		ret = 2;
	} else if (summary_title_clause(out, first->subject.title)) {
		ret = 1;
	}
	strbuf_release(&prose);
	strbuf_release(&clause);
	return ret;
}

/* Themes ------------------------------------------------------------------ */

#define MAX_THEMES 3

struct theme {
	char name[48];
	size_t n;
};

/* "selftests/bpf" of "selftests/bpf: Add x", "bpf" of "bpf, x86: Fix y"; 0 when none. */
static size_t theme_of(const char *title)
{
	size_t len;

	if (title_topic(title) == title)
		return 0;
	len = strcspn(title, ":,");
	return len < 48 ? len : 0;
}

void summary_themes(struct strbuf *out, struct series_revision *const *revs, size_t nr)
{
	struct theme themes[64];
	size_t t = 0, i, j, shown = 0;

	for (i = 0; i < nr; i++) {
		const char *title = revs[i]->series->title;
		size_t len = theme_of(title);

		if (!len)
			continue;
		for (j = 0; j < t; j++)
			if (strlen(themes[j].name) == len && !strncasecmp(themes[j].name, title, len))
				break;
		if (j == t) {
			if (t == ARRAY_SIZE(themes))
				continue;
			memcpy(themes[t].name, title, len);
			themes[t].name[len] = '\0';
			themes[t++].n = 0;
		}
		themes[j].n++;
	}
	/* The largest first; equal ones in the order they came (the period's order). */
	for (i = 1; i < t; i++) {
		struct theme tmp = themes[i];

		for (j = i; j > 0 && themes[j - 1].n < tmp.n; j--)
			themes[j] = themes[j - 1];
		themes[j] = tmp;
	}
	while (shown < t && shown < MAX_THEMES && themes[shown].n >= 2)
		shown++;
	if (!shown)
		return;
	strbuf_addstr(out, shown == 1 ? " The most common subject prefix was " :
				      " The most common subject prefixes were ");
	for (i = 0; i < shown; i++)
		strbuf_addf(out, "%s%s (%zu%s)", i == 0 ? "" : i + 1 == shown ? " and " : ", ",
			    themes[i].name, themes[i].n, i == 0 ? " series" : "");
	strbuf_addch(out, '.');
}

/* Place ------------------------------------------------------------------- */

static void local_tm(struct tm *tm, time_t when, const struct tzspec *tz)
{
	struct tzspec utc;

	if (!tz) {
		tz_parse(&utc, "UTC");
		tz = &utc;
	}
	tz_localtime(tz, when, tm);
}

void summary_date_words(struct strbuf *out, time_t when, time_t ref, const struct tzspec *tz)
{
	struct tm tm, ref_tm;

	local_tm(&tm, when, tz);
	local_tm(&ref_tm, ref, tz);
	strbuf_addf(out, "%s %d", period_month_names[tm.tm_mon], tm.tm_mday);
	if (tm.tm_year != ref_tm.tm_year)
		strbuf_addf(out, ", %d", tm.tm_year + 1900);
}

int summary_is_selftest(const struct series_patch *p)
{
	size_t i;

	if (!p->mail->paths_nr)
		return !strncmp(p->subject.title, "selftests", 9);
	for (i = 0; i < p->mail->paths_nr; i++)
		if (strncmp(p->mail->paths[i], "tools/testing/selftests/", 24))
			return 0;
	return 1;
}

void summary_add_author(struct strbuf *out, const struct series *s)
{
	const char *name = s->author_name;
	size_t len = strlen(name);

	/* "Jane Doe (Company)": the person, for prose and possessives. */
	if (len && name[len - 1] == ')') {
		const char *open = strrchr(name, '(');

		if (open && open > name) {
			len = (size_t)(open - name);
			while (len && name[len - 1] == ' ')
				len--;
		}
	}
	if (!len) {
		strbuf_addstr(out, s->author_email);
		return;
	}
	/* "Roy, Patrick", as some mail systems write it, is Patrick Roy. */
	{
		const char *comma = memchr(name, ',', len);

		if (comma && comma + 2 < name + len && comma[1] == ' ' &&
		    !memchr(name, ' ', (size_t)(comma - name)) &&
		    !memchr(comma + 2, ' ', len - (size_t)(comma + 2 - name)) &&
		    !memchr(comma + 1, ',', len - (size_t)(comma + 1 - name))) {
			strbuf_add(out, comma + 2, len - (size_t)(comma + 2 - name));
			strbuf_addch(out, ' ');
			strbuf_add(out, name, (size_t)(comma - name));
			return;
		}
	}
	strbuf_add(out, name, len);
}

static const struct series_revision *previous_revision(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	size_t i;

	for (i = 1; i < s->revisions_nr; i++)
		if (s->revisions[i] == rev)
			return s->revisions[i - 1];
	return NULL;
}

/* The commits a pull request's shortlog counts ("Jane Dev (3):"), or 0. */
static unsigned pull_commits(const char *text)
{
	const char *p = text;
	struct textline ln;
	unsigned n = 0;

	if (!text)
		return 0;
	while (textline_next(&p, &ln)) {
		const char *open;

		if (ln.len < 5 || ln.l != ln.raw || ln.l[ln.len - 1] != ':' || ln.l[ln.len - 2] != ')' ||
		    !textline_is_stop(ln.raw, ln.rawlen, ln.l, ln.len))
			continue;
		open = ln.l + ln.len - 3;
		while (open > ln.l && *open != '(')
			open--;
		n += (unsigned)atoi(open + 1);
	}
	return n;
}

/* A second posting of the same version (RFC or not alike), not a resend. */
static int is_repost(const struct series_revision *rev, const struct series_revision *prev)
{
	return prev->version == rev->version &&
	       (prev->flags & REVISION_RFC) == (rev->flags & REVISION_RFC) &&
	       !(rev->flags & REVISION_RESEND);
}

/* The first posting of a revision's version in its series. */
static const struct series_revision *first_of_version(const struct series_revision *rev)
{
	const struct series *s = rev->series;
	size_t i;

	for (i = 0; i < s->revisions_nr; i++)
		if (s->revisions[i]->version == rev->version &&
		    (s->revisions[i]->flags & REVISION_RFC) == (rev->flags & REVISION_RFC))
			return s->revisions[i];
	return rev;
}

/* "the v2 " / "the RFC v2 " / "the RFC " / "the " */
static void add_kind(struct strbuf *out, const struct series_revision *rev)
{
	int versioned = rev->version > 1 || rev->series->revisions_nr > 1;

	if (rev->flags & REVISION_RFC)
		strbuf_addstr(out, "RFC ");
	if (versioned)
		strbuf_addf(out, "v%u ", rev->version);
}

/* "It is patch 3/7 of Jane's v2 series "X" for bpf-next, replacing v1 of May 19: <item>." */
static void add_place(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx)
{
	const struct series_revision *rev = p->revision, *prev = previous_revision(rev);
	const struct series *s = rev->series;
	const struct tzspec *tz = ctx ? ctx->tz : NULL;
	struct strbuf who_sb = STRBUF_INIT;
	const char *who;

	summary_add_author(&who_sb, s);
	who = who_sb.buf;

	if (out->len)
		strbuf_addch(out, ' ');
	strbuf_addstr(out, rev->flags & REVISION_RESEND ? "It is a resend of " : "It is ");
	if (rev->flags & REVISION_PULL) {
		unsigned commits = pull_commits(p->mail->text);

		strbuf_addf(out, "a pull request by %s", who);
		if (commits)
			strbuf_addf(out, " of %u commit%s", commits, commits == 1 ? "" : "s");
	} else if (p == rev->cover) {
		strbuf_addf(out, "the cover letter of %s's ", who);
		add_kind(out, rev);
		strbuf_addf(out, "series of %u patch%s", rev->total, rev->total == 1 ? "" : "es");
	} else if (rev->total > 1 && p->subject.position) {
		strbuf_addf(out, "patch %u/%u of %s's ", p->subject.position, rev->total, who);
		add_kind(out, rev);
		strbuf_addf(out, "series \"%s\"", series_revision_title(rev));
	} else {
		if (rev->version > 1 && !(rev->flags & REVISION_RESEND))
			strbuf_addf(out, "the v%u revision of a standalone ", rev->version);
		else
			strbuf_addstr(out, "a standalone ");
		if (rev->flags & REVISION_RFC)
			strbuf_addstr(out, "RFC ");
		strbuf_addf(out, "patch by %s", who);
	}
	if (rev->tree)
		strbuf_addf(out, " for %s", rev->tree);
	if (prev && is_repost(rev, prev)) {
		/* The same version again: no change to name, and no changelog of its own. */
		strbuf_addf(out, ", reposted (first posted ");
		summary_date_words(out, first_of_version(rev)->date, rev->date, tz);
		strbuf_addch(out, ')');
	} else if (prev && !(rev->flags & REVISION_RESEND)) {
		const struct series_patch *cover = rev->cover;
		struct strbuf item = STRBUF_INIT;

		if ((prev->flags & REVISION_RFC) && !(rev->flags & REVISION_RFC) && prev->version == 1)
			strbuf_addstr(out, ", replacing the RFC of ");
		else if ((prev->flags & REVISION_RFC) && !(rev->flags & REVISION_RFC))
			strbuf_addf(out, ", replacing RFC v%u of ", prev->version);
		else
			strbuf_addf(out, ", replacing v%u of ", prev->version);
		summary_date_words(out, prev->date, rev->date, tz);
		if (changelog_item(&item, p->mail->notes, rev->version) ||
		    changelog_item(&item, p->mail->text, rev->version) ||
		    (cover && changelog_item(&item, cover->mail->text, rev->version)) ||
		    (cover && changelog_item(&item, cover->mail->notes, rev->version)))
			strbuf_addf(out, ": %s", item.buf);
		strbuf_release(&item);
	}
	strbuf_addch(out, '.');
	strbuf_release(&who_sb);
}

/*
 * Companions are looked for in revisions up to this size: each patch's
 * summary scans its revision, and a series of a hundred thousand patches
 * (hostile, or a mistake) must not cost the square of that.  Real ones
 * stay far below.
 */
#define MAX_COMPANION_SCAN 512

/* "Patches 7 to 9 add selftests." for the selftests beside a kernel patch. */
static int add_companions(struct strbuf *out, const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;
	unsigned pos[64];
	size_t n = 0, i;

	if (rev->total < 2 || rev->patches_nr > MAX_COMPANION_SCAN || summary_is_selftest(p))
		return 0;
	for (i = 0; i < rev->patches_nr && n < ARRAY_SIZE(pos); i++)
		if (rev->patches[i] != p && rev->patches[i]->subject.position &&
		    summary_is_selftest(rev->patches[i]))
			pos[n++] = rev->patches[i]->subject.position;
	if (!n)
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	if (n == 1) {
		strbuf_addf(out, "Patch %u adds selftests.", pos[0]);
		return 1;
	}
	strbuf_addstr(out, "Patches ");
	if (n > 2 && pos[n - 1] - pos[0] == n - 1) {
		strbuf_addf(out, "%u to %u", pos[0], pos[n - 1]);
	} else {
		for (i = 0; i < n; i++)
			strbuf_addf(out, "%s%u", i == 0 ? "" : i + 1 == n ? " and " : ", ", pos[i]);
	}
	strbuf_addstr(out, " add selftests.");
	return 1;
}

/* Composition --------------------------------------------------------- */

static void summary_add(struct summary *out, char *text, const char *mid, enum summary_part part)
{
	struct summary_sentence *s;

	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	s = &out->v[out->nr++];
	s->text = text;
	s->mid = mid;
	s->part = part;
}

/* "Print X and support Y" reads "Prints X and supports Y": the verbs after "and". */
static void third_person_and(struct strbuf *out, size_t from)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = out->buf + from, *and;

	while ((and = strstr(p, " and "))) {
		const char *w = and + 5, *e = w;

		while (*e && isalpha((unsigned char)*e))
			e++;
		strbuf_add(&sb, p, (size_t)(w - p));
		if (e > w && *e == ' ' && islower((unsigned char)*w) && is_verb(w, (size_t)(e - w)))
			add_third_person(&sb, w, (size_t)(e - w));
		else
			strbuf_add(&sb, w, (size_t)(e - w));
		p = e;
	}
	strbuf_addstr(&sb, p);
	strbuf_setlen(out, from);
	strbuf_addbuf(out, &sb);
	strbuf_release(&sb);
}

/*
 * "libbpf: Reject non-exclusive metadata maps in the signed loader" ->
 * "Rejects non-exclusive metadata maps in libbpf's signed loader."
 * Returns 0 (out untouched) when the title does not open with a verb.
 */
static int lead_sentence(struct strbuf *out, const char *title)
{
	const char *topic = title_topic(title), *w = topic, *rest, *in_the;
	const char *last = title, *q;
	size_t start = out->len, plen = 0, tlen;

	while (*w && isalpha((unsigned char)*w))
		w++;
	if (w == topic || !is_verb(topic, (size_t)(w - topic)) || (*w && *w != ' '))
		return 0;
	add_third_person(out, topic, (size_t)(w - topic));
	out->buf[start] = (char)toupper((unsigned char)out->buf[start]);
	rest = w;
	tlen = strlen(rest);
	while (tlen && strchr(". ", rest[tlen - 1]))
		tlen--;
	/* The last "subsystem: " of the prefixes names the place ("stmmac" of "net: stmmac: "). */
	for (q = title; q + 2 <= topic; q++)
		if (q[0] == ':' && q[1] == ' ' && q + 2 < topic) {
			last = q + 2;
		}
	if (topic > title) {
		plen = (size_t)(topic - last) - 2;
		while (plen && last[plen - 1] == ' ')
			plen--;
	}
	in_the = plen ? memmem(rest, tlen, " in the ", 8) : NULL;
	if (plen && !memchr(last, ',', plen) && !memchr(last, ' ', plen) && in_the) {
		strbuf_add(out, rest, (size_t)(in_the - rest));
		strbuf_addstr(out, " in ");
		strbuf_add(out, last, plen);
		strbuf_addstr(out, "'s ");
		strbuf_add(out, in_the + 8, tlen - (size_t)(in_the + 8 - rest));
	} else {
		strbuf_add(out, rest, tlen);
	}
	strbuf_addch(out, '.');
	third_person_and(out, start);
	return 1;
}

/* The quoted title of a Fixes: trailer ("0123abcd (\"bpf: Foo\")"), or 0. */
static int fixes_title(struct strbuf *out, const char *value)
{
	const char *open = strstr(value, "(\""), *close;

	if (!open)
		return 0;
	close = strstr(open + 2, "\")");
	if (!close || close == open + 2)
		return 0;
	strbuf_addch(out, '"');
	strbuf_add(out, open + 2, (size_t)(close - open - 2));
	strbuf_addch(out, '"');
	return 1;
}

/* "Jane Doe" of "Jane Doe <jane@x>"; "syzbot" of any syzbot address. */
static void add_reporter(struct strbuf *out, const char *value)
{
	const char *lt = strchr(value, '<');
	size_t len = lt ? (size_t)(lt - value) : strlen(value);

	if (strstr(value, "syzbot") || strstr(value, "syzkaller")) {
		strbuf_addstr(out, "syzbot");
		return;
	}
	while (len && (value[len - 1] == ' ' || value[len - 1] == '"'))
		len--;
	while (len && *value == '"') {
		value++;
		len--;
	}
	if (!len || memchr(value, '@', len)) {
		strbuf_addstr(out, "a bug report");
		return;
	}
	strbuf_add(out, value, len);
}

/* "It fixes a bug introduced by "bpf: Foo", reported by syzbot." from the trailers. */
static int trailer_sentence(struct strbuf *out, const struct mail *m)
{
	struct strbuf fixes = STRBUF_INIT, who = STRBUF_INIT;
	size_t i, reporters = 0;
	int closes_syzbot = 0;

	for (i = 0; i < m->trailers_nr; i++) {
		const struct mail_trailer *t = &m->trailers[i];

		if (!strcasecmp(t->key, "Fixes") && !fixes.len)
			fixes_title(&fixes, t->value);
		else if (!strcasecmp(t->key, "Reported-by") && reporters < 2) {
			struct strbuf one = STRBUF_INIT;

			add_reporter(&one, t->value);
			if (!strstr(who.buf ? who.buf : "", one.buf) || !who.len) {
				if (who.len)
					strbuf_addstr(&who, " and ");
				strbuf_addbuf(&who, &one);
				reporters++;
			}
			strbuf_release(&one);
		} else if (!strcasecmp(t->key, "Closes") &&
			   (strstr(t->value, "syzkaller") || strstr(t->value, "syzbot")))
			closes_syzbot = 1;
	}
	if (closes_syzbot && !who.len)
		strbuf_addstr(&who, "syzbot");
	if (!fixes.len && !who.len)
		goto out;
	if (out->len)
		strbuf_addch(out, ' ');
	if (fixes.len)
		strbuf_addf(out, "It fixes a bug introduced by %s%s", fixes.buf, who.len ? "," : "");
	else
		strbuf_addstr(out, "It fixes a bug");
	if (who.len)
		strbuf_addf(out, " reported by %s", who.buf);
	strbuf_addch(out, '.');
out:
	strbuf_release(&fixes);
	strbuf_release(&who);
	return out->len > 0;
}

/* Where the next sentence of the status functions starts (". Patch 3 adds"), or NULL. */
static const char *next_status(const char *p)
{
	static const char *const starts[] = { ". Patch ", ". Patches ", ". It was applied" };
	const char *first = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		const char *at = strstr(p, starts[i]);

		if (at && (!first || at < first))
			first = at;
	}
	return first;
}

/*
 * "It changes kernel/bpf/verifier.c." / "It changes 3 files under
 * tools/testing/selftests/bpf." from the paths the diff touches: a fact
 * to say when the mail has little prose.
 */
static int files_sentence(struct strbuf *out, const struct mail *m)
{
	size_t i, common;

	if (!m->paths_nr)
		return 0;
	if (m->paths_nr == 1) {
		strbuf_addf(out, "It changes %s.", m->paths[0]);
		return 1;
	}
	/* The directory every path is under. */
	common = strlen(m->paths[0]);
	for (i = 1; i < m->paths_nr; i++) {
		size_t k = 0;

		while (k < common && m->paths[i][k] == m->paths[0][k])
			k++;
		common = k;
	}
	while (common && m->paths[0][common - 1] != '/')
		common--;
	if (common > 1)
		strbuf_addf(out, "It changes %zu files under %.*s.", m->paths_nr, (int)common - 1,
			    m->paths[0]);
	else
		strbuf_addf(out, "It changes %zu files, %s among them.", m->paths_nr, m->paths[0]);
	return 1;
}

/*
 * The place and status sentences (add_place(), add_companions(), the
 * applied commit) as one sentence: "It is patch 1/3 of ...; patch 3 adds
 * selftests; it was applied to bpf-next as 0123456789ab."
 */
static void join_status(struct strbuf *out, const char *tail)
{
	const char *p = tail;
	int first = 1;

	while (*p) {
		const char *end = next_status(p);
		size_t len;

		len = end ? (size_t)(end - p) : strlen(p);
		while (len && p[len - 1] == '.')
			len--;
		if (!first) {
			strbuf_addstr(out, "; ");
			strbuf_addch(out, (char)tolower((unsigned char)*p));
			strbuf_add(out, p + 1, len - 1);
		} else {
			strbuf_add(out, p, len);
		}
		first = 0;
		if (!end)
			break;
		p = end + 2;
	}
	strbuf_addch(out, '.');
}

static int by_position(const void *a, const void *b)
{
	const struct summary_candidate *x = *(const struct summary_candidate *const *)a;
	const struct summary_candidate *y = *(const struct summary_candidate *const *)b;

	if (x->part != y->part)
		return x->part == SUMMARY_COMMIT_MESSAGE ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void summary_compose(struct summary *out, const struct series_patch *p,
		     const struct summary_context *ctx)
{
	struct strbuf tail = STRBUF_INIT, sb = STRBUF_INIT;
	struct summary_candidates *c = xcalloc(1, sizeof(*c));
	const struct series_patch *cover = p->revision->cover;
	struct summary_candidate *chosen[MAX_SENTENCES];
	char taken[SUMMARY_MAX_CANDIDATES] = { 0 };
	size_t n = 0, fixed, budget, i, want;
	int lead;

	if (!ctx || !ctx->without_place) {
		add_place(&tail, p, ctx);
		add_companions(&tail, p);
	}

	/* Mail text is untrusted: no terminal controls in what we print. */
	lead = lead_sentence(&sb, p->subject.title);
	if (lead) {
		struct strbuf safe = STRBUF_INIT;

		textsafe_line(&safe, sb.buf, sb.len);
		summary_add(out, strbuf_detach(&safe, NULL), p->mail->mid, SUMMARY_SUBJECT);
	}
	strbuf_reset(&sb);
	fixed = lead + 1 + trailer_sentence(&sb, p->mail);

	c->title = title_topic(p->subject.title);
	c->lead = lead;
	c->diff = p->mail->diff;
	if (p->mail->text)
		summary_candidates_gather(c, p->mail->text, p->mail->mid,
		       p == cover ? SUMMARY_COVER : SUMMARY_COMMIT_MESSAGE);
	budget = MAX_SENTENCES - fixed;
	want = fixed >= MIN_SENTENCES ? 2 : MIN_SENTENCES - fixed;
	if (want < 2)
		want = 2;
	if (want > budget)
		want = budget;
	/* The best problem, then the best fix, then more by the fix score. */
	if (n < want) {
		struct summary_candidate *k = summary_candidates_best(c, 1, taken, 0);

		if (k) {
			taken[k - c->v] = 1;
			chosen[n++] = k;
		}
	}
	while (n < want) {
		/* Short sentences, and those leaning back, only to reach three. */
		struct summary_candidate *k = summary_candidates_best(c, 0, taken, 0);

		if (!k && n + fixed < MIN_SENTENCES)
			k = summary_candidates_best(c, 0, taken, 1);
		if (!k)
			break;
		taken[k - c->v] = 1;
		chosen[n++] = k;
	}
	/* A terse patch in a series: the cover says what the whole is for. */
	if (n + fixed < MIN_SENTENCES && cover && cover != p && cover->mail->text) {
		size_t from = c->nr;

		summary_candidates_gather(c, cover->mail->text, cover->mail->mid, SUMMARY_COVER);
		for (i = from; i < c->nr && n + fixed < MIN_SENTENCES; i++) {
			taken[i] = 1;
			chosen[n++] = &c->v[i];
		}
	}
	/* Still short of three: what the patch touches, from its diff. */
	if (n + fixed < MIN_SENTENCES && !sb.len && files_sentence(&sb, p->mail))
		fixed++;
	/* Problem before fix reads as the message does: in its order. */
	qsort(chosen, n, sizeof(*chosen), by_position);
	for (i = 0; i < n; i++) {
		struct strbuf safe = STRBUF_INIT;

		textsafe_line(&safe, chosen[i]->text, strlen(chosen[i]->text));
		summary_add(out, strbuf_detach(&safe, NULL), chosen[i]->mid, chosen[i]->part);
	}
	if (sb.len) {
		struct strbuf safe = STRBUF_INIT;

		textsafe_line(&safe, sb.buf, sb.len);
		summary_add(out, strbuf_detach(&safe, NULL), p->mail->mid, SUMMARY_FACTS);
	}
	strbuf_reset(&sb);
	/* Without its place (said once per revision), a summary may have no tail. */
	if (tail.len) {
		struct strbuf safe = STRBUF_INIT;

		join_status(&sb, tail.buf);
		textsafe_line(&safe, sb.buf, sb.len);
		summary_add(out, strbuf_detach(&safe, NULL), p->mail->mid, SUMMARY_FACTS);
	}
	summary_candidates_release(c);
	free(c);
	strbuf_release(&sb);
	strbuf_release(&tail);
}

void summary_join(struct strbuf *out, const struct summary *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++) {
		if (i)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, s->v[i].text);
	}
}

void summary_release(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->v[i].text);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const char *summary_part_name(enum summary_part part)
{
	static const char *const names[] = {
		[SUMMARY_SUBJECT] = "subject",
		[SUMMARY_COMMIT_MESSAGE] = "commit-message",
		[SUMMARY_COVER] = "cover",
		[SUMMARY_CHANGELOG] = "changelog",
		[SUMMARY_FACTS] = "facts",
	};

	return names[part];
}

int summary_lead_sentence(struct strbuf *out, const struct series_patch *p)
{
	struct summary s = { 0 };
	size_t ret = 0, i;

	summary_compose(&s, p, NULL);
	/* Beside its title, the series says more in its own words than in the title's. */
	for (i = 0; i < s.nr && !ret; i++)
		if (s.v[i].part == SUMMARY_COMMIT_MESSAGE || s.v[i].part == SUMMARY_COVER)
			ret = i + 1;
	if (!ret && s.nr && s.v[0].part == SUMMARY_SUBJECT)
		ret = 1;
	if (ret)
		strbuf_addstr(out, s.v[ret - 1].text);
	summary_release(&s);
	return ret > 0;
}

void summary_patch_in(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx)
{
	struct summary s = { 0 };

	summary_compose(&s, p, ctx);
	summary_join(out, &s);
	summary_release(&s);
}

void summary_patch(struct strbuf *out, const struct series_patch *p)
{
	summary_patch_in(out, p, NULL);
}

const char *summary_title_topic(const char *title)
{
	return title_topic(title);
}
