/*
 * summary.h - a few sentences saying what a posted patch does.
 *
 * The offline summariser is extractive and deterministic.  Its first
 * stage, prose.h, cleans the commit message (and, for a series, the
 * cover letter) into sentences; summary-candidates.h scores them as
 * problem and fix; this one chooses among them, composes, and adds in
 * words where the patch sits: its position in the series, its revision
 * and what changed since the previous one, companion selftests, and
 * where it was applied.
 * A summary has 3 to 5 sentences when the source has enough text.
 *
 * The patch's mail (and its cover's) must have their body loaded
 * (MAIL_HAS_BODY); patches without one get a summary from their facts.
 * Nothing is invented: every clause comes from the mail or the series.
 */
#ifndef BPFDIGEST_SUMMARY_H
#define BPFDIGEST_SUMMARY_H

#include <stddef.h>
#include <time.h>

struct strbuf;
struct tzspec;
struct series;
struct series_patch;
struct series_revision;

/* What the summary may say beyond the mail itself; every field optional. */
struct summary_context {
	const struct tzspec *tz;	/* dates in words ("May 19"); NULL: UTC */
	/*
	 * Leave out where the patch sits and its companions: a view that
	 * says the revision's place once (`series`) does not repeat it on
	 * each of its patches.
	 */
	int without_place;
};

/* Where a sentence of a summary came from. */
enum summary_part {
	SUMMARY_SUBJECT,	/* the patch's subject, in the third person */
	SUMMARY_COMMIT_MESSAGE,	/* a sentence of the commit message */
	SUMMARY_COVER,		/* a sentence of the cover letter */
	SUMMARY_CHANGELOG,	/* a changelog item */
	SUMMARY_FACTS,		/* said in words from trailers and series facts */
};

struct summary_sentence {
	char *text;		/* one sentence, owned */
	const char *mid;	/* the message it came from (borrowed from the mail) */
	enum summary_part part;
};

/* A summary as its sentences, in order. */
struct summary {
	struct summary_sentence *v;
	size_t nr, alloc;
};

/*
 * Compose the summary of p into out (zeroed by the caller; free it with
 * summary_release()): a lead from the subject in the third person, the
 * commit message's best problem and fix sentences, its Fixes: and
 * Reported-by: trailers in words, and one sentence for place and status.
 * 3 to 5 sentences when the mail has the prose for it; ctx may be NULL.
 */
void summary_compose(struct summary *out, const struct series_patch *p,
		     const struct summary_context *ctx);
/*
 * What a release entry or an overview says of p beside its title: the
 * first sentence of its summary from its own message (problem or fix),
 * else its lead, the subject in the third person.  Returns 0 (out
 * untouched) when there is none.
 */
int summary_lead_sentence(struct strbuf *out, const struct series_patch *p);
/* The sentences of s as one line, a space between them, appended to out. */
void summary_join(struct strbuf *out, const struct summary *s);
void summary_release(struct summary *s);
/* "subject", "commit-message", "cover", "changelog", "facts". */
const char *summary_part_name(enum summary_part part);

/* Append the summary of p to out (one line, no trailing newline). */
void summary_patch(struct strbuf *out, const struct series_patch *p);
/* The same, saying what ctx knows (ctx may be NULL). */
void summary_patch_in(struct strbuf *out, const struct series_patch *p,
		      const struct summary_context *ctx);

/*
 * The title after its "subsystem: " prefixes: "Fix a leak" of
 * "bpf, x86: Fix a leak" (a pointer into title; title itself when it
 * has none).
 */
const char *summary_title_topic(const char *title);

/*
 * What a revision does, as a clause for "..., which <clause>": from the
 * cover's "This series adds ..." or the title's imperative verb ("bpf:
 * Add widget maps" gives "adds widget maps").  Returns 1 when there is
 * one, 0 (out untouched) when nothing can be said honestly.
 */
int summary_clause(struct strbuf *out, const struct series_revision *rev);
/*
 * The period's themes, as one sentence (a space before it) appended to
 * out: " The most common subject prefixes were selftests/bpf (5 series),
 * bpf (3) and libbpf (2)."  Nothing when no prefix has two series.
 */
void summary_themes(struct strbuf *out, struct series_revision *const *revs, size_t nr);
/* The same, from a title alone. */
int summary_title_clause(struct strbuf *out, const char *title);

/*
 * A date in words, in tz (NULL: UTC): "May 19", or "May 19, 2024" when
 * the year differs from that of ref.
 */
void summary_date_words(struct strbuf *out, time_t when, time_t ref, const struct tzspec *tz);

/* The author of a series for prose: "Jane Doe" of "Jane Doe (Company)", else the address. */
void summary_add_author(struct strbuf *out, const struct series *s);

/* 1 when every path a patch touches is a selftest (tools/testing/selftests/). */
int summary_is_selftest(const struct series_patch *p);

#endif
