/*
 * summary-candidates.h - the sentences a summary may take, and their scores.
 *
 * The choosing half of the summariser (summary.h composes what it
 * chooses).  From a commit message or a cover letter it gathers the
 * prose sentences fit to be read alone (prose.h gives the prose,
 * sentence.h its sentences and which are fit), drops those a summary
 * cannot use (too long, opening with "And", repeating the lead), and
 * scores the rest twice: as the statement of a problem ("Currently ...
 * fails") and as the statement of a fix ("Fix this by ...").  Words the
 * sentence shares with the subject and identifiers it shares with the
 * diff count for both; sentences late in their message count less.
 *
 *   struct summary_candidates *c = xcalloc(1, sizeof(*c));
 *   c->title = summary_title_topic(title);
 *   c->diff = mail->diff;
 *   summary_candidates_gather(c, mail->text, mail->mid, SUMMARY_COMMIT_MESSAGE);
 *   k = summary_candidates_best(c, 1, taken, 0);   // the best problem
 *   summary_candidates_release(c);
 *   free(c);
 *
 * A struct summary_candidates is large (the candidates are in it): the
 * caller allocates it zeroed, sets the fields marked "the caller's"
 * and gathers from one or more texts into it.  Candidate texts are owned
 * by c and freed by summary_candidates_release(); every other pointer
 * is borrowed and must outlive c.  Nothing here reads a mail or a
 * series.
 */
#ifndef BPFDIGEST_SUMMARY_CANDIDATES_H
#define BPFDIGEST_SUMMARY_CANDIDATES_H

#include <stddef.h>

#include "summary.h"

/* Sentences of a message's prose that may be chosen. */
#define SUMMARY_MAX_CANDIDATES 24

struct summary_candidate {
	char *text;		/* cleaned, one line, final period; owned by the candidates */
	const char *mid;	/* the message it came from */
	enum summary_part part;
	size_t pos;		/* order in its message */
	int problem, fix;	/* scores */
	int weak;		/* short, or leaning on the sentence before it */
};

struct summary_candidates {
	struct summary_candidate v[SUMMARY_MAX_CANDIDATES];
	size_t nr;
	const char *title;	/* the caller's: the subject's topic, for overlap */
	const char *diff;	/* the caller's (may be NULL): for the identifiers the patch touches */
	int lead;		/* the caller's: the subject leads the summary */
	/* The text being gathered: summary_candidates_gather() sets them. */
	const char *mid;
	enum summary_part part;
	size_t pos;
};

/*
 * Add the fit sentences of text's prose to c, up to
 * SUMMARY_MAX_CANDIDATES in all, each remembering mid (borrowed) and
 * part.  Candidates gathered before stay where they are.
 */
void summary_candidates_gather(struct summary_candidates *c, const char *text, const char *mid,
			       enum summary_part part);

/*
 * The candidate with the best problem score (problem non-zero; only
 * those with a positive one) or fix score, skipping those whose taken[i]
 * is set, and weak ones unless weak is non-zero; NULL when none is left.
 * taken has one entry per candidate (SUMMARY_MAX_CANDIDATES is enough).
 */
struct summary_candidate *summary_candidates_best(struct summary_candidates *c, int problem,
						  const char *taken, int weak);

/* Free the candidates' texts; c itself is the caller's. */
void summary_candidates_release(struct summary_candidates *c);

#endif
