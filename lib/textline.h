/*
 * textline.h - the lines and words of a mail's text, and what each line is.
 *
 * The lowest layer of reading prose: it cuts a text into lines and says
 * which lines are not prose (code, logs, shell sessions, separators,
 * signatures, changelog headers, greetings) and which words open a
 * kernel sentence (imperative verbs, English words).  The prose
 * (prose.h), its sentences (sentence.h) and the changelogs
 * (changelog.h) all judge lines the same way by asking here.
 *
 * Everything here works on text alone and keeps no state; it never
 * allocates but to edit the strbuf it is given, and never resets one.
 */
#ifndef BPFDIGEST_TEXTLINE_H
#define BPFDIGEST_TEXTLINE_H

#include <stddef.h>

struct strbuf;

/* One line of a text, and it without its surrounding space. */
struct textline {
	const char *raw, *l;	/* point into the text, which owns them */
	size_t rawlen, len;
};
/* The next line of *p into ln, *p moved past it; 0 at the end. */
int textline_next(const char **p, struct textline *ln);
/* Move *l past leading space and shorten *len past trailing space. */
void textline_trim(const char **l, size_t *len);

/* Where prose ends: signatures, b4 footers, shortlogs, diffstats, pulls. */
int textline_is_stop(const char *raw, size_t rawlen, const char *l, size_t len);
/* 1 for an underline or separator: "-----", "=====" */
int textline_is_separator(const char *l, size_t len);
/* 1 for unindented code, logs and separators, as pasted into commit messages */
int textline_is_code_or_log(const char *l, size_t len);
/* 1 for what a shell session or a program prints: "$ cmd", "sudo cmd" */
int textline_is_shell(const char *l, size_t len);
/* 1 for kernel logs and code pasted without indentation ("var_off=(0x0, 0x0)") */
int textline_is_pasted(const char *l, size_t len);
/* 1 for a greeting or sign-off, which open and close covers ("Hi all,") */
int textline_is_greeting(const char *s, size_t len);
/* the length of a list bullet ("- ", "1. ", "a) ") at l, 0 when none */
size_t textline_bullet_len(const char *l, size_t len);
/*
 * 1 for a changelog header line: "Changes in v3:", "Changes since v2:",
 * "v2 -> v3:", "v3:", "V3: inline item", "Changelog:"; sets *version
 * (0 when the header names none) and *rest (the offset of an inline
 * item, len when none).
 */
int textline_changelog_header(const char *l, size_t len, unsigned *version, size_t *rest);
/* drop footnote markers ("[1]") from sb at from on, and a word that pointed at one */
void textline_strip_footnotes(struct strbuf *sb, size_t from);

/* 1 for an imperative verb that opens kernel patch titles ("add", "Fix"). */
int textline_is_verb(const char *w, size_t len);
/* 1 when l opens with a lowercase English word ("when TCP over IPv4 ..."). */
int textline_is_english_start(const char *l, size_t len);
/* The words of s (len bytes), as spaces separate them. */
size_t textline_count_words(const char *s, size_t len);
/* 1 when s (len bytes) starts with prefix, case aside. */
int textline_starts_with_ci(const char *s, size_t len, const char *prefix);

#endif
