/*
 * options.h - command-line options, described once in a table.
 *
 * The table drives both parsing and the usage text, so "-h" can never
 * disagree with what is accepted.  Conventions are git's: "--name=value"
 * or "--name value", "--no-name" for booleans, "--" ends options, "-h"
 * prints usage on stdout and exits 129, an unknown option prints an error
 * and the usage on stderr and exits 129.
 *
 *   const char *date = NULL;
 *   struct option opts[] = {
 *           OPT_STRING(0, "date", &date, "YYYY-MM-DD", "the day to digest"),
 *           OPT_END(),
 *   };
 *   argc = parse_options(argc, argv, opts, usage, 0);
 */
#ifndef BPFDIGEST_OPTIONS_H
#define BPFDIGEST_OPTIONS_H

#include <stddef.h>

enum option_type {
	OPTION_END,
	OPTION_BOOL,		/* int *: 1, or 0 with --no- */
	OPTION_COUNT,		/* int *: incremented each time */
	OPTION_STRING,		/* const char **: the last value wins */
	OPTION_STRING_LIST,	/* struct option_list *: every value, in order */
	OPTION_OPTARG,		/* const char **: "--color" alone gives default_value */
};

struct option_list {
	const char **items;
	size_t nr, alloc;
};

enum option_flags {
	/* Accepted, but neither in the usage nor offered for completion. */
	OPTION_HIDDEN = 1 << 0,
};

struct option {
	enum option_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;		/* "<when>" in usage */
	const char *help;
	const char *default_value;	/* for OPTION_OPTARG */
	/* OPTION_OPTARG: what "--no-<name>" stores; NULL: it cannot be negated */
	const char *negated_value;
	unsigned flags;			/* enum option_flags */
};

/*
 * A boolean whose name starts with "no-" (OPT_BOOL('P', "no-pager", ...))
 * is shown as such, without "[no-]".
 */
#define OPT_END() { OPTION_END, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
#define OPT_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h), NULL, NULL, 0 }
#define OPT_HIDDEN_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h), NULL, NULL, OPTION_HIDDEN }
#define OPT_COUNT(s, l, v, h) { OPTION_COUNT, (s), (l), (v), NULL, (h), NULL, NULL, 0 }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h), NULL, NULL, 0 }
#define OPT_STRING_LIST(s, l, v, a, h) { OPTION_STRING_LIST, (s), (l), (v), (a), (h), NULL, NULL, 0 }
#define OPT_OPTARG(s, l, v, a, h, d) { OPTION_OPTARG, (s), (l), (v), (a), (h), (d), NULL, 0 }
/* "--color" stores d, "--color=<v>" v, "--no-color" n, as git's --[no-]color. */
#define OPT_OPTARG_NEG(s, l, v, a, h, d, n) { OPTION_OPTARG, (s), (l), (v), (a), (h), (d), (n), 0 }

enum parse_options_flags {
	/* Stop at the first non-option (a subcommand name) instead of collecting. */
	PARSE_OPT_STOP_AT_NON_OPTION = 1 << 0,
};

/*
 * Parse argv[1..argc) (argv[0] is the command name).  Returns the number
 * of remaining arguments, which are moved to argv[0..].  Dies with usage
 * (exit 129) on errors.
 */
int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, unsigned flags);

/*
 * Print usage lines and the option table; exit 129 (stdout when !err).
 * An empty string in usage ends the synopses: the lines after it are
 * printed as they are, after the option table (a list of commands).
 */
__attribute__((noreturn))
void usage_with_options(const char *const *usage, const struct option *opts, int err);

/* Die with "error: <msg>" then usage on stderr, exit 129. */
__attribute__((noreturn, format(printf, 3, 4)))
void usage_error(const char *const *usage, const struct option *opts, const char *fmt, ...);

/*
 * The manual page "--help" opens with "git help <page>" (which honours
 * help.format and man.viewer).  Without one, "--help" prints the usage
 * like -h.  page must live as long as the program.
 */
void options_set_manual(const char *page);

/*
 * The name in names[0..nr) closest to word, for "did you mean ...?" after
 * a typo, or NULL when none is close enough.  Close is an edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours each
 * count one) of at most a third of the word and at most 2, or word being
 * the start of exactly one name.  Of equally close names the first wins.
 */
const char *options_closest_name(const char *word, const char *const *names, size_t nr);

/* The optimal-string-alignment distance between a and b (see above). */
size_t options_edit_distance(const char *a, const char *b);

void option_list_add(struct option_list *list, const char *item);
void option_list_clear(struct option_list *list);

#endif
