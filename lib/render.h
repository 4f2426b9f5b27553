/*
 * render.h - writing a digest out.
 *
 * text      the seed's layout: the overview paragraph, then for each
 *           highlighted patch its subject line and one paragraph (the
 *           summary, then its status: reviews, application, a later
 *           revision, and the lore link in <>), then "Generated <ISO-8601 UTC>"
 * markdown  the same as a document: a heading, the overview, a section
 *           per entry with the lore link, the status in italics
 * json      the digest shape of DESIGN.md, version 1 (render-json.h)
 * mbox      one mboxrd message holding the text, wrapped for mail, ready
 *           for git send-email (render-mbox.h)
 *
 * Nothing here decides what to say; every word comes from the digest.
 */
#ifndef BPFDIGEST_RENDER_H
#define BPFDIGEST_RENDER_H

#include <stdio.h>
#include <time.h>

struct color_scheme;
struct digest;
struct digest_attention;
struct digest_entry;
struct strbuf;
struct tzspec;

enum output_format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON, FORMAT_MBOX };

/* "text", "markdown", "json", "mbox" -> 0, or -1 for anything else. */
int output_format_parse(const char *name, enum output_format *out);
const char *output_format_name(enum output_format fmt);

struct render_options {
	time_t generated;		/* the "Generated" stamp (date_now()) */
	const struct tzspec *tz;	/* dates in words; NULL: UTC */
	const char *from;		/* "Name <email>" for the mbox From:, or NULL */
	/* Text only: titles and statuses in colour (color.h); NULL for none. */
	const struct color_scheme *colors;
};

/* Write d in fmt to out.  Returns 0, or -1 after an error. */
int render_digest(FILE *out, const struct digest *d, enum output_format fmt,
		  const struct render_options *opts);

/* Each format into a buffer. */
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
 * One line of the "Needs attention" section, without its link:
 * "Changes requested for 5 days: bpf: Widget support (v2)", escaped for
 * Markdown when markdown is set.
 */
void render_attention_line(struct strbuf *out, const struct digest_attention *a, int markdown);
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
