#include "options.h"
#include "usage.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void option_list_add(struct option_list *list, const char *item)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = item;
}

void option_list_clear(struct option_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

/*
 * Three rows of the dynamic-programming table are enough: the row
 * before the previous one is where a swap of two neighbours comes from.
 */
size_t options_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *rows = xcalloc(3 * (lb + 1), sizeof(*rows));
	size_t *prev2 = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1), *t;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(rows);
	return d;
}

const char *options_closest_name(const char *word, const char *const *names, size_t nr)
{
	size_t len = strlen(word), limit = len / 3, best_d = (size_t)-1, i, prefixed = 0;
	const char *best = NULL, *prefix = NULL;

	if (limit > 2)
		limit = 2;
	for (i = 0; i < nr; i++) {
		size_t d = options_edit_distance(word, names[i]);

		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
		if (len >= 2 && !strncmp(names[i], word, len)) {
			prefixed++;
			prefix = names[i];
		}
	}
	if (best && best_d && best_d <= limit)
		return best;
	return prefixed == 1 ? prefix : NULL;
}

static const char *manual_page;

void options_set_manual(const char *page)
{
	manual_page = page;
}

static int takes_arg(const struct option *o)
{
	return o->type == OPTION_STRING || o->type == OPTION_STRING_LIST;
}

/* "--[no-]name" for booleans, "--no-name" alone for those named so. */
static int negatable(const struct option *o)
{
	if (o->type == OPTION_BOOL)
		return o->long_name && strncmp(o->long_name, "no-", 3) != 0;
	return o->type == OPTION_OPTARG && o->negated_value;
}

static void print_usage(FILE *fp, const char *const *usage, const struct option *opts)
{
	const struct option *o;
	const char *const *trailer = NULL;
	int first = 1;

	for (; *usage; usage++) {
		/* An empty line ends the synopses; what follows comes after the options. */
		if (!**usage) {
			trailer = usage + 1;
			break;
		}
		fprintf(fp, "%s%s\n", first ? "usage: " : "   or: ", *usage);
		first = 0;
	}
	if (opts && opts->type != OPTION_END)
		fputc('\n', fp);
	for (o = opts; o && o->type != OPTION_END; o++) {
		char spec[128];
		int n = 0;

		if (o->flags & OPTION_HIDDEN)
			continue;
		if (o->short_name)
			n += snprintf(spec + n, sizeof(spec) - n, "-%c%s", o->short_name,
				      o->long_name ? ", " : "");
		if (o->long_name)
			n += snprintf(spec + n, sizeof(spec) - n, "--%s%s",
				      negatable(o) ? "[no-]" : "", o->long_name);
		if (takes_arg(o))
			n += snprintf(spec + n, sizeof(spec) - n, "%s<%s>",
				      o->long_name ? "=" : " ", o->argh);
		else if (o->type == OPTION_OPTARG)
			snprintf(spec + n, sizeof(spec) - n, "[=<%s>]", o->argh);
		fprintf(fp, "    %-26s %s\n", spec, o->help);
	}
	if (trailer && *trailer)
		fputc('\n', fp);
	for (; trailer && *trailer; trailer++)
		fprintf(fp, "%s\n", *trailer);
}

/*
 * What git's __gitcomp_builtin expects: the long options, "=" after those
 * that need a value, then "--" and the negated forms.
 */
static void print_completion(const struct option *opts)
{
	const struct option *o;
	const char *sep = "";

	for (o = opts; o->type != OPTION_END; o++) {
		if (!o->long_name || (o->flags & OPTION_HIDDEN))
			continue;
		printf("%s--%s%s", sep, o->long_name, takes_arg(o) ? "=" : "");
		sep = " ";
	}
	printf("%s--", sep);
	for (o = opts; o->type != OPTION_END; o++)
		if (o->long_name && !(o->flags & OPTION_HIDDEN) && negatable(o))
			printf(" --no-%s", o->long_name);
	putchar('\n');
	exit(0);
}

/* "--help": the manual page through git help, as git's own commands do. */
static void show_manual(const char *const *usage, const struct option *opts)
{
	if (!manual_page)
		usage_with_options(usage, opts, 0);
	fflush(stdout);
	execlp("git", "git", "help", manual_page, (char *)NULL);
	die_errno("cannot run 'git help %s'", manual_page);
}

void usage_with_options(const char *const *usage, const struct option *opts, int err)
{
	print_usage(err ? stderr : stdout, usage, opts);
	exit(EXIT_USAGE);
}

void usage_error(const char *const *usage, const struct option *opts, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_with_options(usage, opts, 1);
}

static void set_value(const struct option *o, const char *arg, int negated,
		      const char *const *usage, const struct option *opts)
{
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = !negated;
		break;
	case OPTION_COUNT:
		(*(int *)o->value)++;
		break;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		break;
	case OPTION_STRING_LIST:
		option_list_add(o->value, arg);
		break;
	case OPTION_OPTARG:
		*(const char **)o->value = arg ? arg : o->default_value;
		break;
	case OPTION_END:
		usage_error(usage, opts, "internal error: option table end reached");
	}
}

/* Parse one long option at argv[*i]; returns 0 or dies. */
static void parse_long(int argc, const char **argv, int *i, const struct option *opts,
		       const char *const *usage)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	int negated = 0;
	const struct option *o;

	if (!strcmp(arg, "help"))
		show_manual(usage, opts);
	if (!strcmp(arg, "git-completion-helper"))
		print_completion(opts);

	if (len > 3 && !strncmp(arg, "no-", 3)) {
		for (o = opts; o->type != OPTION_END; o++)
			if (o->long_name && strlen(o->long_name) == len &&
			    !strncmp(o->long_name, arg, len))
				break;
		if (o->type == OPTION_END) {
			negated = 1;
			arg += 3;
			len -= 3;
		}
	}
	for (o = opts; o->type != OPTION_END; o++) {
		if (!o->long_name || strlen(o->long_name) != len || strncmp(o->long_name, arg, len))
			continue;
		if (negated && !negatable(o))
			usage_error(usage, opts, "option '%s' cannot be negated", o->long_name);
		if (negated && o->type == OPTION_OPTARG) {
			if (eq)
				usage_error(usage, opts, "option 'no-%s' takes no value", o->long_name);
			*(const char **)o->value = o->negated_value;
		} else if (takes_arg(o)) {
			if (eq) {
				set_value(o, eq + 1, 0, usage, opts);
			} else if (*i + 1 < argc) {
				set_value(o, argv[++*i], 0, usage, opts);
			} else {
				usage_error(usage, opts, "option '%s' requires a value", o->long_name);
			}
		} else if (o->type == OPTION_OPTARG) {
			set_value(o, eq ? eq + 1 : NULL, 0, usage, opts);
		} else {
			if (eq)
				usage_error(usage, opts, "option '%s' takes no value", o->long_name);
			set_value(o, NULL, negated, usage, opts);
		}
		return;
	}
	usage_error(usage, opts, "unknown option '%s'", argv[*i] + 2);
}

static void parse_short(int argc, const char **argv, int *i, const struct option *opts,
			const char *const *usage)
{
	const char *p = argv[*i] + 1;

	for (; *p; p++) {
		const struct option *o;

		if (*p == 'h')
			usage_with_options(usage, opts, 0);
		for (o = opts; o->type != OPTION_END; o++)
			if (o->short_name == *p)
				break;
		if (o->type == OPTION_END)
			usage_error(usage, opts, "unknown switch '%c'", *p);
		if (takes_arg(o)) {
			if (p[1])
				set_value(o, p + 1, 0, usage, opts);
			else if (*i + 1 < argc)
				set_value(o, argv[++*i], 0, usage, opts);
			else
				usage_error(usage, opts, "switch '%c' requires a value", *p);
			return;
		}
		set_value(o, NULL, 0, usage, opts);
	}
}

int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, unsigned flags)
{
	int i, out = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION)
				break;
			argv[out++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help-all") || !strcmp(a, "-h"))
			usage_with_options(usage, opts, 0);
		if (a[1] == '-')
			parse_long(argc, argv, &i, opts, usage);
		else
			parse_short(argc, argv, &i, opts, usage);
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}
