/*
 * render-text.h - a digest in words: the text format, and the sentences
 * every human-readable format (text, markdown, mbox) says the same way.
 *
 * The text layout is the seed's: the overview paragraph, then for each
 * highlighted patch its subject line and one paragraph (the summary,
 * then its status: reviews, application, a later revision, and the lore
 * link in <>), then "Generated <ISO-8601 UTC>".
 *
 * Nothing here decides what to say; every word comes from the digest.
 */
#ifndef BPFDIGEST_RENDER_TEXT_H
#define BPFDIGEST_RENDER_TEXT_H

#include <time.h>

struct color_scheme;
struct digest;
struct digest_attention;
struct digest_entry;
struct strbuf;
struct tzspec;

struct render_options {
	time_t generated;		/* the "Generated" stamp (date_now()) */
	const struct tzspec *tz;	/* dates in words; NULL: UTC */
	const char *from;		/* "Name <email>" for the mbox From:, or NULL */
	/* Text only: titles and statuses in colour (color.h); NULL for none. */
	const struct color_scheme *colors;
};

/* The text format, appended to out. */
void render_digest_text(struct strbuf *out, const struct digest *d,
			const struct render_options *opts);

/*
 * An entry's status in sentences, for every human-readable format:
 * "Acked by A and B; reviewed by C. Applied to bpf-next as 0123456789ab.
 * Superseded by v3 of June 9."  Appends nothing when nothing is known.
 */
void render_entry_status(struct strbuf *out, const struct digest_entry *e,
			 const struct tzspec *tz);
/* The same with "Applied ..." and "Superseded ..." in colour (NULL: none). */
void render_entry_status_color(struct strbuf *out, const struct digest_entry *e,
			       const struct tzspec *tz, const struct color_scheme *colors);
/*
 * One line of the "Needs attention" section, without its link, as plain
 * text: "Changes requested for 5 days: bpf: Widget support (v2)".
 */
void render_attention_line(struct strbuf *out, const struct digest_attention *a);
/* "[bpf digest] week 2026-W15": the title of a digest, for mail and headings. */
void render_digest_title(struct strbuf *out, const struct digest *d);

/*
 * How much of a stranger's text a digest shows, in characters: a title
 * (a subject is rarely past 100), a name, a summary.  More is cut, with
 * an ellipsis (textsafe_cap()): the digest goes out as mail.
 */
#define RENDER_MAX_TITLE 200
#define RENDER_MAX_NAME 100
#define RENDER_MAX_SUMMARY 2000

#endif
