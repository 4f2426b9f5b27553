/*
 * subject.h - the bracket prefixes of patch mail subjects.
 *
 * "Re: [PATCH bpf-next v3 2/7] bpf: Fix a leak" parses into the title
 * "bpf: Fix a leak", tree "bpf-next", version 3, position 2 of 7, and the
 * REPLY flag.  Every real spelling seen on the lists is accepted:
 * "[PATCH v3 bpf-next 2/7]", "[PATCHv3 bpf-next 02/10]",
 * "[bpf-next PATCH v2 3/3]", "[PATCH v6,19/24]", "[RFCv2 bpf-next 0/7]",
 * "[RFC PATCH ...]", "[PATCH RESEND ...]", "[PATCH net-next] [RFC] ...",
 * "[PATCH 0 of 2]" and "PATCH 3 of 5" (Mercurial), nested brackets,
 * "[bpf-next,v3,1/3]" (patchwork-bot), "Re:"/"AW:"/"Fwd:"/"答复:" in any
 * case and any number, and pull requests: "[GIT PULL]", "[PULL ...]" and
 * "pull-request: bpf-next 2026-04-01".
 *
 * The grammar is a handful of pcre2 patterns compiled on first use and
 * kept for the life of the process (single-threaded use only).
 */
#ifndef BPFDIGEST_SUBJECT_H
#define BPFDIGEST_SUBJECT_H

enum subject_flag {
	SUBJECT_PATCH = 1 << 0,		/* a PATCH tag, or n/m numbering */
	SUBJECT_RFC = 1 << 1,
	SUBJECT_RESEND = 1 << 2,
	SUBJECT_REPLY = 1 << 3,		/* "Re:" and its translations */
	SUBJECT_FORWARD = 1 << 4,	/* "Fwd:" */
	SUBJECT_PULL = 1 << 5,		/* "[GIT PULL]", "pull-request:" */
	SUBJECT_VERSIONED = 1 << 6,	/* an explicit vN was given */
};

struct subject {
	char *title;		/* the subject without prefixes, spaces collapsed */
	char *prefix;		/* the bracket text as written, "" when none */
	char *tree;		/* "bpf-next", "net", ...; NULL when none */
	unsigned version;	/* 1 unless a vN was given */
	unsigned position;	/* n of n/m, 0 for a cover or when unnumbered */
	unsigned total;		/* m of n/m, 0 when unnumbered */
	unsigned flags;		/* enum subject_flag */
};

/* Parse s (UTF-8).  Never fails: an unprefixed subject is all title. */
void subject_parse(struct subject *out, const char *s);
void subject_release(struct subject *subj);

/* 1 for "0/n": a cover letter's numbering. */
static inline int subject_is_cover(const struct subject *s)
{
	return s->position == 0 && s->total > 0;
}

/*
 * The title folded for comparison: lowercase, runs of whitespace and
 * punctuation collapsed, so that rerolls with reworded spacing match.
 * A new string.
 */
char *subject_normalize(const char *title);

#endif
