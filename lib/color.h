/*
 * color.h - colours in text output, decided and spelled as git does.
 *
 * Whether to colour: --color[=<when>] on the command line, else
 * color.bpfdigest, else color.ui, else "auto".  <when> is "always",
 * "never", "auto" or a git boolean (true means auto, as in git).  Auto
 * colours when standard output is a terminal, or when it goes to a pager
 * (pager.h) and color.pager (default true) allows, and never when TERM
 * is unset or "dumb".
 *
 * What colour: each slot has a default that color.bpfdigest.<slot>
 * overrides, in git's syntax ("bold red", "yellow ul", "#ff8700", "208",
 * "normal"; attributes bold, dim, italic, ul, blink, reverse, strike,
 * each also with "no").
 *
 * Only the text renderers colour; JSON, markdown and mail never do.  A
 * renderer holds a const struct color_scheme *, NULL meaning no colour,
 * and wraps what it writes with color_open()/color_close().
 */
#ifndef BPFDIGEST_COLOR_H
#define BPFDIGEST_COLOR_H

struct config;
struct strbuf;

/* Room for the longest escape sequence color_parse() writes, with its NUL. */
#define COLOR_MAXLEN 75
#define COLOR_RESET "\033[m"

enum color_when { COLOR_NEVER, COLOR_ALWAYS, COLOR_AUTO };

enum color_slot {
	COLOR_TITLE,		/* a series or entry title */
	COLOR_POSTED,		/* the status "posted" */
	COLOR_SUPERSEDED,	/* "superseded", "Superseded by v3 ..." */
	COLOR_APPLIED,		/* "applied", "Applied to bpf-next as ..." */
	COLOR_SLOTS
};

struct color_scheme {
	char code[COLOR_SLOTS][COLOR_MAXLEN];	/* "" for no colour */
};

/* "always", "never", "auto", or a git boolean.  Returns 0, or -1 for anything else. */
int color_parse_when(const char *value, enum color_when *out);

/* A colour in git's syntax into an escape sequence ("" for "normal").  Returns 0 or -1. */
int color_parse(const char *value, char out[COLOR_MAXLEN]);

/*
 * Decide once, after any pager is started: when is --color's value (an
 * enum color_when), or -1 when it was not given.  Dies naming a bad
 * configuration value.  Fills s from the defaults and
 * color.bpfdigest.<slot> and returns it when colouring, NULL otherwise.
 */
const struct color_scheme *color_setup(struct color_scheme *s, const struct config *cfg,
				       int when);

/* The colour of a slot begins / ends here (nothing when s is NULL). */
void color_open(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot);
void color_close(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot);
/* text in the colour of slot. */
void color_add(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot,
	       const char *text);

#endif
