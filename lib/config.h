/*
 * config.h - git configuration, the way git itself sees it.
 *
 * config_load() reads every configuration level through libgit2 (system,
 * global, XDG, the repository's own, with include.path and includeIf
 * honoured), then adds what "git -c key=value" and "git --config-env"
 * pass to subcommands in GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT,
 * which libgit2 1.5 ignores.  Later entries win, so command-line values
 * override files, as in git.
 *
 * Keys are compared the way git does: section and variable names are
 * case-insensitive, subsection names are not.  The struct config owns
 * every string it returns; they live until config_free().
 */
#ifndef BPFDIGEST_CONFIG_H
#define BPFDIGEST_CONFIG_H

#include <stddef.h>

struct git_repository;

struct config_entry {
	char *key;	/* canonical form: "section.Subsection.name" */
	char *value;	/* NULL for "[section] key" with no "=" (boolean true) */
};

struct config {
	struct config_entry *entries;	/* lowest priority first */
	size_t nr, alloc;
};

#define CONFIG_INIT { NULL, 0, 0 }

/*
 * Load configuration for repo (NULL outside a repository: system, global
 * and XDG files only).  Returns 0, or a negative value after printing
 * an error naming what could not be read.
 */
int config_load(struct config *cfg, struct git_repository *repo);
void config_free(struct config *cfg);

/* Add one entry at the highest priority (used for the environment). */
void config_add(struct config *cfg, const char *key, const char *value);

/*
 * Parse GIT_CONFIG_PARAMETERS-style text (both the old 'k=v' and the
 * 'k'='v' forms git writes since 2.31) into cfg.  Returns 0 or -1 on
 * malformed input, after an error naming it.
 */
int config_parse_parameters(struct config *cfg, const char *text);

/* The last value of key, or NULL when unset (or set with no value). */
const char *config_get_string(const struct config *cfg, const char *key);
/* 1 when key is set at all (with or without a value). */
int config_is_set(const struct config *cfg, const char *key);
/*
 * Every value of a multi-valued key, lowest priority first.  Calls fn for
 * each; stops and returns its value when fn returns non-zero.  As with
 * git's credential.helper, an empty value clears the values before it, so
 * "git -c bpfdigest.inbox= -c bpfdigest.inbox=X" uses X alone.
 */
int config_get_all(const struct config *cfg, const char *key,
		   int (*fn)(const char *value, void *data), void *data);
/*
 * Booleans and integers, git's syntax ("yes", "on", "1", "true"; "10k").
 * Return 1 and set *out when set, 0 when unset; die with the key named
 * when the value is malformed, as git does.
 */
int config_get_bool(const struct config *cfg, const char *key, int *out);
int config_get_long(const struct config *cfg, const char *key, long *out);

/*
 * Path-valued keys, as git's --type=path: a value starting "~/" (or
 * "~" alone) gets $HOME in place of "~", "~user/" that user's home
 * directory.  An inbox location "<scheme>:~/..." (mboxrd:, maildir:,
 * v2:) is expanded after its scheme too.  config_expand_path() returns
 * a new string (the caller frees it) or NULL after an error naming the
 * value; config_expand_paths() expands every value of key in cfg in
 * place and returns 0, or -1 after an error.
 */
char *config_expand_path(const char *value);
int config_expand_paths(struct config *cfg, const char *key);

/* git's boolean parsing: 1, 0, or -1 when text is not a boolean. */
int config_parse_bool(const char *text);

/* Canonicalise a key as git does ("Section.Sub.NAME" -> "section.Sub.name"). */
char *config_canonical_key(const char *key);

#endif
