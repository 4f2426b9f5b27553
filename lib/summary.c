#include "summary.h"
#include "prose.h"
#include "date.h"
#include "mail.h"
#include "period.h"
#include "series.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A summary's length in sentences, place and status included. */
#define MAX_SENTENCES 5
#define MIN_SENTENCES 3
/* Sentences from the source text, and from its opening paragraph. */
#define MAX_SOURCE_SENTENCES 3
/* Longer "This series ..." sentences make a poor clause. */
#define MAX_CLAUSE 220

/* Clauses ----------------------------------------------------------------- */

/* Imperative verbs that open kernel patch titles. */
static const char *const verbs[] = {
	"add", "adjust", "allow", "annotate", "avoid", "bail", "bump", "cache", "call",
	"change", "check", "clarify", "clean", "clear", "consolidate", "constify",
	"convert", "copy", "correct", "create", "deduplicate", "defer", "define", "delete",
	"deny", "deprecate", "detect", "disable", "disallow", "do", "document", "drop",
	"dump", "emit", "enable", "enforce", "ensure", "expand", "explain", "export",
	"expose", "extend", "extract", "factor", "fix", "flush", "free", "generalize",
	"guard", "handle", "harden", "hide", "honor", "honour", "ignore", "implement",
	"improve", "include", "increase", "inherit", "initialize", "inline", "introduce",
	"invalidate", "keep", "kill", "let", "limit", "make", "mark", "merge", "migrate",
	"mitigate", "move", "optimize", "optimise", "override", "pass", "permit", "plumb",
	"populate", "prefer", "prepare", "preserve", "prevent", "print", "propagate",
	"protect", "provide", "prune", "read", "record", "reduce", "refactor", "refine",
	"refuse", "register", "reject", "relax", "release", "remove", "rename", "reorder",
	"reorganize", "replace", "report", "require", "reserve", "reset", "resolve",
	"restore", "restrict", "retain", "retry", "return", "reuse", "revert", "rework",
	"rewrite", "sanitize", "save", "separate", "set", "share", "show", "silence",
	"simplify", "skip", "sort", "split", "stop", "store", "streamline", "strip",
	"support", "suppress", "switch", "sync", "take", "teach", "test", "tidy", "track",
	"treat", "trigger", "trim", "tune", "turn", "undo", "unify", "unregister",
	"update", "upgrade", "use", "validate", "verify", "warn", "wire", "write", "zero",
};

static int is_verb(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (len == strlen(verbs[i]) && !strncasecmp(w, verbs[i], len))
			return 1;
	return 0;
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

	if (!prose_starts_with_ci(p, len, "This ") && !prose_starts_with_ci(p, len, "These ") &&
	    !prose_starts_with_ci(p, len, "The "))
		return 1;	/* only the opening sentence counts */
	p = strchr(p, ' ') + 1;
	/* "This improves X": the verb follows at once. */
	if (prose_starts_with_ci(s, len, "This ")) {
		const char *w = p;

		while (w < end && isalpha((unsigned char)*w))
			w++;
		if (is_third_person(p, (size_t)(w - p)))
			goto predicate;
	}
	for (i = 0; i < ARRAY_SIZE(subjects); i++)
		if (prose_starts_with_ci(p, (size_t)(end - p), subjects[i]) &&
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
	const struct series_patch *first = rev->cover ? rev->cover :
					   rev->patches_nr ? rev->patches[0] : NULL;
	struct strbuf prose = STRBUF_INIT, clause = STRBUF_INIT;
	int ret = 0;

	if (!first)
		return 0;
	if (first->mail->text) {
		prose_text(&prose, first->mail->text);
		prose_sentences(prose.buf, cover_clause, &clause);
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
	struct prose_line ln;
	unsigned n = 0;

	if (!text)
		return 0;
	while (prose_next_line(&p, &ln)) {
		const char *open;

		if (ln.len < 5 || ln.l != ln.raw || ln.l[ln.len - 1] != ':' || ln.l[ln.len - 2] != ')' ||
		    !prose_is_stop_line(ln.raw, ln.rawlen, ln.l, ln.len))
			continue;
		open = ln.l + ln.len - 3;
		while (open > ln.l && *open != '(')
			open--;
		n += (unsigned)atoi(open + 1);
	}
	return n;
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
		strbuf_addf(out, "series \"%s\"", s->title);
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
	if (prev && !(rev->flags & REVISION_RESEND)) {
		const struct series_patch *cover = rev->cover;
		struct strbuf item = STRBUF_INIT;

		strbuf_addf(out, ", replacing v%u of ", prev->version);
		summary_date_words(out, prev->date, rev->date, tz);
		if (summary_changelog_item(&item, p->mail->notes, rev->version) ||
		    summary_changelog_item(&item, p->mail->text, rev->version) ||
		    (cover && summary_changelog_item(&item, cover->mail->text, rev->version)) ||
		    (cover && summary_changelog_item(&item, cover->mail->notes, rev->version)))
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

void summary_patch_in(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx)
{
	struct strbuf prose = STRBUF_INIT, body = STRBUF_INIT, tail = STRBUF_INIT;
	struct prose_collect c = { &body, 0, 0, 0, 0 };
	const struct series_patch *cover = p->revision->cover;
	size_t extra, budget;

	add_place(&tail, p, ctx);
	extra = 1 + add_companions(&tail, p);
	if (ctx && ctx->applied_commit) {
		strbuf_addstr(&tail, " It was applied");
		if (ctx->applied_tree)
			strbuf_addf(&tail, " to %s", ctx->applied_tree);
		strbuf_addf(&tail, " as %.12s.", ctx->applied_commit);
		extra++;
	}
	budget = MAX_SENTENCES - extra;
	if (budget > MAX_SOURCE_SENTENCES)
		budget = MAX_SOURCE_SENTENCES;

	prose_text(&prose, p->mail->text);
	prose_collect(&c, prose.buf, budget);
	/* A terse patch in a series: the cover says what the whole is for. */
	if (c.taken + extra < MIN_SENTENCES && cover && cover != p && cover->mail->text) {
		strbuf_reset(&prose);
		prose_text(&prose, cover->mail->text);
		prose_collect(&c, prose.buf, budget - c.taken);
	}
	/* Mail text is untrusted: no terminal controls in what we print. */
	textsafe_line(out, body.buf, body.len);
	if (body.len)
		strbuf_addch(out, ' ');
	textsafe_line(out, tail.buf, tail.len);
	strbuf_release(&prose);
	strbuf_release(&body);
	strbuf_release(&tail);
}

void summary_patch(struct strbuf *out, const struct series_patch *p)
{
	summary_patch_in(out, p, NULL);
}

/* The prose stage under the names its callers knew (prose.h says what each does). */
void summary_lead(struct strbuf *out, const char *text, size_t max)
{
	prose_lead(out, text, max);
}

size_t summary_sentences(const char *text,
			 int (*fn)(const char *sentence, size_t len, void *data),
			 void *data)
{
	return prose_sentences(text, fn, data);
}

void summary_prose(struct strbuf *out, const char *text)
{
	prose_text(out, text);
}

int summary_changelog_item(struct strbuf *out, const char *text, unsigned version)
{
	return prose_changelog_item(out, text, version);
}

void summary_changelog(struct strbuf *out, const char *text)
{
	prose_changelog(out, text);
}

void summary_diffstat(struct strbuf *out, const char *notes)
{
	prose_diffstat(out, notes);
}

const char *summary_title_topic(const char *title)
{
	return title_topic(title);
}
