/*
 * git-bpfdigest - digests of the bpf mailing list, linked to the tree.
 *
 * This file is the command: the global options, the table of
 * subcommands, and for each subcommand its options.  Everything else is
 * in lib/.  Configuration is read first and options override it, as in
 * git's own commands.
 */
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/color.h"
#include "lib/config.h"
#include "lib/date.h"
#include "lib/digest.h"
#include "lib/link.h"
#include "lib/notes.h"
#include "lib/options.h"
#include "lib/pager.h"
#include "lib/period.h"
#include "lib/pipeline.h"
#include "lib/range.h"
#include "lib/progress.h"
#include "lib/render.h"
#include "lib/queue.h"
#include "lib/repo.h"
#include "lib/state.h"
#include "lib/strbuf.h"
#include "lib/usage.h"
#include "lib/xalloc.h"

struct context {
	struct global_options opts;
	struct config cfg;
	struct git_repository *repo;
	struct option_list cli_inboxes;	/* --inbox, before or after the subcommand */
	const char *format_name;	/* set by --format */
	const char *tz_name;		/* set by --tz */
	const char *color_name;		/* set by --[no-]color */
	int color_when;			/* ... parsed; -1 when not given */
	struct color_scheme colors;	/* ctx->opts.colors points here when colouring */
	int paginate, no_pager;		/* -p, -P */
	int progress;			/* --[no-]progress; -1 when not given */
};

/* --format, --tz, --inbox and --color are accepted before and after the subcommand. */
#define COMMON_OPTIONS(ctx)                                                          \
	OPT_STRING_LIST(0, "inbox", &(ctx)->cli_inboxes, "loc",                          \
			"read mail from <loc> (repeatable; replaces bpfdigest.inbox)"),   \
	OPT_STRING(0, "format", &(ctx)->format_name, "fmt",                         \
		   "output format: text, markdown, json or mbox"),                    \
	OPT_STRING(0, "tz", &(ctx)->tz_name, "zone",                                \
		   "time zone of period boundaries (default UTC)"),                   \
	OPT_OPTARG_NEG(0, "color", &(ctx)->color_name, "when",                      \
		       "colour text output: always, never or auto", "always", "never")

#define MAIN_USAGE "git bpfdigest [--inbox=<loc>]... [--format=<fmt>] [--tz=<zone>] [--color[=<when>]] [--[no-]progress] [-p | -P] [-q] <command> [<args>]"

static int add_config_inbox(const char *value, void *data)
{
	option_list_add(data, value);
	return 0;
}

/* Options override configuration: --inbox replaces every bpfdigest.inbox. */
static void apply_options(struct context *ctx)
{
	option_list_clear(&ctx->opts.inboxes);
	if (ctx->cli_inboxes.nr)
		for (size_t i = 0; i < ctx->cli_inboxes.nr; i++)
			option_list_add(&ctx->opts.inboxes, ctx->cli_inboxes.items[i]);
	else
		config_get_all(&ctx->cfg, "bpfdigest.inbox", add_config_inbox,
			       &ctx->opts.inboxes);
	/* parse_color_option() has checked both: these cannot fail. */
	if (ctx->format_name)
		output_format_parse(ctx->format_name, &ctx->opts.format);
	if (ctx->tz_name)
		tz_parse(&ctx->opts.tz, ctx->tz_name);
	/* After the pager has started: auto colour depends on it. */
	ctx->opts.colors = color_setup(&ctx->colors, &ctx->cfg, ctx->color_when);
}

static void parse_color_option(struct context *ctx, const char *const *usage,
			       const struct option *opts)
{
	enum color_when when;
	enum output_format format;
	struct tzspec tz;

	/* A bad value of an option is a usage error (129), as in git. */
	if (ctx->format_name && output_format_parse(ctx->format_name, &format) < 0)
		usage_error(usage, opts, "option 'format' expects text, markdown, json or mbox, not '%s'",
			    ctx->format_name);
	if (ctx->tz_name && tz_parse(&tz, ctx->tz_name) < 0)
		usage_error(usage, opts, "option 'tz' expects UTC, an offset (+0200) or a zone name (Europe/Paris), not '%s'",
			    ctx->tz_name);
	if (!ctx->color_name)
		return;
	if (color_parse_when(ctx->color_name, &when) < 0)
		usage_error(usage, opts, "option 'color' expects always, never or auto, not '%s'",
			    ctx->color_name);
	ctx->color_when = (int)when;
}

/* Parse a subcommand's options (the common ones included). */
static int parse_command_options(struct context *ctx, int argc, const char **argv,
				 const struct option *opts, const char *const *usage)
{
	argc = parse_options(argc, argv, opts, usage, 0);
	parse_color_option(ctx, usage, opts);
	apply_options(ctx);
	return argc;
}

/* --limit and --summarizer, shared by the digest commands. */
#define DIGEST_OPTIONS(limit, summarizer)                                              \
	OPT_STRING(0, "limit", (limit), "n", "highlight at most <n> series"),          \
	OPT_STRING(0, "summarizer", (summarizer), "cmd",                                \
		   "summarise with <cmd> (\"\" for the offline summaries only)")

/* A positive number given to option name, or a usage error. */
static unsigned long parse_positive(const char *value, const char *name,
				    const char *const *usage, const struct option *opts)
{
	char *end;
	unsigned long n = strtoul(value, &end, 10);

	if (*end || !*value || value[0] == '-' || !n || n > UINT_MAX)
		usage_error(usage, opts, "option '%s' expects a positive number, not '%s'",
			    name, value);
	return n;
}

static size_t parse_limit(const char *limit, const char *const *usage,
			  const struct option *opts)
{
	if (!limit)
		return 0;	/* the period's default */
	return parse_positive(limit, "limit", usage, opts);
}

static int run_digest(struct context *ctx, const struct period *period, const char *limit,
		      const char *summarizer, const char *const *usage, const struct option *opts)
{
	struct pipeline_digest_options dopts = { parse_limit(limit, usage, opts), summarizer };
	struct pipeline p;
	int ret;

	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	pipeline_load_period(&p, period);
	ret = pipeline_digest(&p, period, &dopts);
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : 0;
}

static int cmd_daily(int argc, const char **argv, struct context *ctx)
{
	const char *date = NULL, *limit = NULL, *summarizer = NULL;
	const char *const usage[] = {
		"git bpfdigest daily [--date=<YYYY-MM-DD>] [--limit=<n>] [--summarizer=<cmd>]", NULL
	};
	struct option opts[] = {
		OPT_STRING(0, "date", &date, "YYYY-MM-DD", "the day (default: yesterday)"),
		DIGEST_OPTIONS(&limit, &summarizer),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct period period;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (period_daily(&period, date, &ctx->opts.tz) < 0)
		return EXIT_USAGE;
	return run_digest(ctx, &period, limit, summarizer, usage, opts);
}

static int cmd_weekly(int argc, const char **argv, struct context *ctx)
{
	const char *week = NULL, *date = NULL, *limit = NULL, *summarizer = NULL;
	const char *const usage[] = {
		"git bpfdigest weekly [--week=<YYYY-Www> | --date=<YYYY-MM-DD>] [--limit=<n>] [--summarizer=<cmd>]", NULL
	};
	struct option opts[] = {
		OPT_STRING(0, "week", &week, "YYYY-Www", "the ISO week (default: the last complete one)"),
		OPT_STRING(0, "date", &date, "YYYY-MM-DD", "the week containing this day"),
		DIGEST_OPTIONS(&limit, &summarizer),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct period period;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (week && date)
		usage_error(usage, opts, "--week and --date cannot be used together");
	if (period_weekly(&period, week, date, &ctx->opts.tz) < 0)
		return EXIT_USAGE;
	return run_digest(ctx, &period, limit, summarizer, usage, opts);
}

static int cmd_monthly(int argc, const char **argv, struct context *ctx)
{
	const char *month = NULL, *limit = NULL, *summarizer = NULL;
	const char *const usage[] = {
		"git bpfdigest monthly [--month=<YYYY-MM>] [--limit=<n>] [--summarizer=<cmd>]", NULL
	};
	struct option opts[] = {
		OPT_STRING(0, "month", &month, "YYYY-MM", "the month (default: the last complete one)"),
		DIGEST_OPTIONS(&limit, &summarizer),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct period period;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (period_monthly(&period, month, &ctx->opts.tz) < 0)
		return EXIT_USAGE;
	return run_digest(ctx, &period, limit, summarizer, usage, opts);
}

static int cmd_digest(int argc, const char **argv, struct context *ctx)
{
	const char *since = NULL, *until = NULL, *limit = NULL, *summarizer = NULL;
	const char *const usage[] = {
		"git bpfdigest digest --since=<YYYY-MM-DD> --until=<YYYY-MM-DD> [--limit=<n>] [--summarizer=<cmd>]", NULL
	};
	struct option opts[] = {
		OPT_STRING(0, "since", &since, "YYYY-MM-DD", "first day of the range"),
		OPT_STRING(0, "until", &until, "YYYY-MM-DD", "the day after the range"),
		DIGEST_OPTIONS(&limit, &summarizer),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct period period;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (!since || !until)
		usage_error(usage, opts, "digest needs both --since and --until");
	if (period_range(&period, since, until, &ctx->opts.tz) < 0)
		return EXIT_USAGE;
	return run_digest(ctx, &period, limit, summarizer, usage, opts);
}

/* "1 message", "2 messages": word must be a literal. */
#define PLURAL(n, word) ((n) == 1 ? word : word "s")

static int cmd_update(int argc, const char **argv, struct context *ctx)
{
	const char *const usage[] = { "git bpfdigest update [-q]", NULL };
	struct option opts[] = {
		OPT_BOOL('q', "quiet", &ctx->opts.quiet, "print no summary, no warnings and no progress"),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct pipeline p;
	const struct archive *a;
	size_t warned;
	int ret;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (ctx->opts.quiet) {	/* "update -q" as "-q update" */
		usage_set_quiet(1);
		progress_set_mode(PROGRESS_NEVER);
	}
	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	/* The index is what update is for: not saving it is a failure.  No mail is wanted. */
	p.archive.lazy = 1;
	ret = pipeline_update(&p) < 0 ? 1 : 0;
	a = &p.archive;
	warned = a->warned + a->limited;
	/* The summary is for people; a cron job with -q mails nothing. */
	if (!ctx->opts.quiet)
		printf("read %zu %s: %zu new, %zu removed, %zu %s; "
		       "the index holds %zu %s (%zu unique, %zu %s, %zu unparseable)\n",
		       a->read, PLURAL(a->read, "message"), a->added, a->removed,
		       warned, PLURAL(warned, "warning"), a->seen, PLURAL(a->seen, "message"),
		       a->total, a->duplicates, PLURAL(a->duplicates, "duplicate"), a->broken);
	pipeline_release(&p);
	return ret;
}

static int cmd_series(int argc, const char **argv, struct context *ctx)
{
	const char *since = NULL, *until = NULL, *revision = NULL;
	int all = 0, summaries = -1, with_replies = 0, add_trailers = 0;
	const char *const usage[] = {
		"git bpfdigest series [--[no-]summaries] <msgid>...",
		"git bpfdigest series --all [--since=<YYYY-MM-DD> --until=<YYYY-MM-DD>]",
		"git bpfdigest series --format=mbox [--revision=<n>] [--with-replies | --add-trailers] (<msgid>... | --all ...)",
		NULL
	};
	struct option opts[] = {
		OPT_BOOL(0, "all", &all, "every series (in the range, when given)"),
		OPT_STRING(0, "since", &since, "YYYY-MM-DD", "with --all: first day of the range"),
		OPT_STRING(0, "until", &until, "YYYY-MM-DD", "with --all: the day after the range"),
		OPT_BOOL(0, "summaries", &summaries,
			 "summarise every patch (default: with <msgid>, and always in JSON)"),
		OPT_STRING(0, "revision", &revision, "n",
			   "with --format=mbox: the patches of v<n> (default: the latest)"),
		OPT_BOOL(0, "with-replies", &with_replies,
			 "with --format=mbox: the cover and the replies too, for b4 am"),
		OPT_BOOL(0, "add-trailers", &add_trailers,
			 "with --format=mbox: the list's review trailers and a Link: in each patch"),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct period period;
	struct pipeline p;
	unsigned version = 0;
	int ret;

	argc = parse_command_options(ctx, argc, argv, opts, usage);
	if (all && argc)
		usage_error(usage, opts, "--all and <msgid> cannot be used together");
	if (!all && !argc)
		usage_error(usage, opts, "series needs <msgid>... or --all");
	if ((since || until) && !all)
		usage_error(usage, opts, "--since and --until go with --all");
	if (!since != !until)
		usage_error(usage, opts, "--since and --until go together");
	if (revision && ctx->opts.format != FORMAT_MBOX)
		usage_error(usage, opts, "--revision goes with --format=mbox");
	if ((with_replies || add_trailers) && ctx->opts.format != FORMAT_MBOX)
		usage_error(usage, opts, "--%s goes with --format=mbox",
			    with_replies ? "with-replies" : "add-trailers");
	if (with_replies && add_trailers)
		usage_error(usage, opts, "--with-replies and --add-trailers cannot be used together");
	if (revision)
		version = (unsigned)parse_positive(revision, "revision", usage, opts);
	if (since && period_range(&period, since, until, &ctx->opts.tz) < 0)
		return EXIT_USAGE;
	if (summaries < 0)
		summaries = !all;

	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	pipeline_load_series(&p, argv, (size_t)argc, since ? &period : NULL);
	if (ctx->opts.format == FORMAT_MBOX)
		ret = pipeline_series_mbox(&p, argv, (size_t)argc, since ? &period : NULL, version,
					   (with_replies ? PIPELINE_MBOX_REPLIES : 0) |
					   (add_trailers ? PIPELINE_MBOX_TRAILERS : 0));
	else
		ret = pipeline_series(&p, argv, (size_t)argc, since ? &period : NULL,
				      summaries ? PIPELINE_SERIES_SUMMARIES : 0);
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : ret;
}

/* "--at=2025-03-01" is that whole day in the --tz zone; anything else a date parses as. */
static time_t parse_at(const char *at, const struct tzspec *tz, const char *const *usage,
		       const struct option *opts)
{
	int year, month, day, offset;
	time_t when;

	if (!date_parse_day(at, &year, &month, &day))
		return tz_mktime(tz, year, month, day, 23, 59, 59);
	if (date_parse(at, &when, &offset) < 0)
		usage_error(usage, opts, "option 'at' expects a date (YYYY-MM-DD), not '%s'", at);
	return when;
}

/* "--state=nacked,changes-requested" into states[]; a usage error for a name that is none. */
static size_t parse_states(const char *list, unsigned *states, size_t max,
			   const char *const *usage, const struct option *opts)
{
	char *copy = xstrdup(list), *word, *save = NULL;
	size_t n = 0;

	for (word = strtok_r(copy, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
		int st = state_parse(word);

		if (st < 0) {
			struct strbuf names = STRBUF_INIT;
			int i;

			for (i = 0; i < STATE_NR; i++)
				strbuf_addf(&names, "%s%s", i ? ", " : "", state_name((enum state)i));
			usage_error(usage, opts, "option 'state' expects states (%s), not '%s'",
				    names.buf, word);
		}
		if (n < max)
			states[n++] = (unsigned)st;
	}
	free(copy);
	if (!n)
		usage_error(usage, opts, "option 'state' expects at least one state");
	return n;
}

static int cmd_queue(int argc, const char **argv, struct context *ctx)
{
	const char *at = NULL, *state = NULL, *author = NULL, *reviewer = NULL;
	int mine = 0;
	const char *const usage[] = {
		"git bpfdigest queue [--at=<date>] [--state=<state>,...] [--author=<email> | --mine] [--reviewer=<email>]",
		NULL
	};
	struct option opts[] = {
		OPT_STRING(0, "at", &at, "date", "as the archive stood at the end of that day (default: now)"),
		OPT_STRING(0, "state", &state, "states", "only series in these states"),
		OPT_STRING(0, "author", &author, "email", "only series by this author"),
		OPT_BOOL(0, "mine", &mine, "only series by you (user.email)"),
		OPT_STRING(0, "reviewer", &reviewer, "email", "only series this person reviewed"),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct pipeline_queue_options qopts;
	unsigned states[STATE_NR * 4];
	struct pipeline p;
	int ret;

	if (parse_command_options(ctx, argc, argv, opts, usage))
		usage_error(usage, opts, "too many arguments");
	if (ctx->opts.format == FORMAT_MBOX)
		usage_error(usage, opts, "queue writes text, markdown or json, not mbox");
	if (author && mine)
		usage_error(usage, opts, "--author and --mine cannot be used together");
	memset(&qopts, 0, sizeof(qopts));
	qopts.at = at ? parse_at(at, &ctx->opts.tz, usage, opts) : date_now();
	qopts.as_of = !!at;
	if (state) {
		qopts.filter.states = states;
		qopts.filter.states_nr = parse_states(state, states, ARRAY_SIZE(states), usage, opts);
	}
	if (mine) {
		author = config_get_string(&ctx->cfg, "user.email");
		if (!author || !*author)
			die("--mine needs user.email (git config user.email <you@example.org>)");
	}
	qopts.filter.author = author && *author ? author : NULL;
	qopts.filter.reviewer = reviewer && *reviewer ? reviewer : NULL;

	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	ret = pipeline_queue(&p, &qopts);
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : 0;
}

/* The one optional <revision-range> of link and notes. */
static const char *range_argument(int argc, const char **argv, const char *const *usage,
				  const struct option *opts)
{
	if (argc > 1)
		usage_error(usage, opts, "too many arguments");
	return argc ? argv[0] : NULL;
}

/* link, notes and release are about the commits of the repository they run in. */
static void need_repository(const struct context *ctx, const char *name)
{
	if (!ctx->repo)
		die("'%s' needs a git repository (run it inside your kernel checkout)", name);
}

static int cmd_link(int argc, const char **argv, struct context *ctx)
{
	const char *const usage[] = { "git bpfdigest link [--patch-id] [<revision-range>]",
				      "git bpfdigest link (<commit-id> | <rev>^!)", NULL };
	int patch_ids = 0;
	struct option opts[] = {
		OPT_BOOL(0, "patch-id", &patch_ids,
			 "print each commit's patch-id instead, as git patch-id --stable does"),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct pipeline p;
	const char *range;
	git_oid one;
	int ret;

	argc = parse_command_options(ctx, argc, argv, opts, usage);
	range = range_argument(argc, argv, usage, opts);
	if (ctx->opts.format != FORMAT_TEXT && ctx->opts.format != FORMAT_JSON)
		usage_error(usage, opts, "link writes text or json, not %s",
			    output_format_name(ctx->opts.format));
	need_repository(ctx, "link");
	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	/* One commit (by id, or <rev>^!), not a range: explain it. */
	if (!patch_ids && range && range_one_commit(&one, ctx->repo, range))
		ret = pipeline_link_explain(&p, &one);
	else
		ret = patch_ids ? pipeline_patch_ids(&p, range) : pipeline_link(&p, range);
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : 0;
}

static int cmd_notes(int argc, const char **argv, struct context *ctx)
{
	const char *const usage[] = {
		"git bpfdigest notes [<revision-range>] [--dry-run] [--force]", NULL
	};
	int dry_run = 0, force = 0;
	struct option opts[] = {
		OPT_BOOL('n', "dry-run", &dry_run, "say which notes would change; write nothing"),
		OPT_BOOL('f', "force", &force, "replace notes git-bpfdigest did not write, too"),
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct pipeline p;
	const char *range;
	int ret;

	argc = parse_command_options(ctx, argc, argv, opts, usage);
	range = range_argument(argc, argv, usage, opts);
	need_repository(ctx, "notes");
	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	ret = pipeline_notes(&p, range,
			     (dry_run ? NOTES_DRY_RUN : 0) | (force ? NOTES_FORCE : 0));
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : 0;
}

static int cmd_release(int argc, const char **argv, struct context *ctx)
{
	const char *const usage[] = { "git bpfdigest release <revision-range>", NULL };
	struct option opts[] = {
		COMMON_OPTIONS(ctx),
		OPT_END(),
	};
	struct pipeline p;
	int ret;

	argc = parse_command_options(ctx, argc, argv, opts, usage);
	if (argc != 1)
		usage_error(usage, opts, argc ? "too many arguments" : "release needs a <revision-range>");
	if (ctx->opts.format == FORMAT_MBOX)
		usage_error(usage, opts, "release writes text, markdown or json, not mbox");
	need_repository(ctx, "release");
	pipeline_init(&p, &ctx->opts, &ctx->cfg, ctx->repo);
	ret = pipeline_release_draft(&p, argv[0]);
	pipeline_release(&p);
	return ret < 0 ? EXIT_FATAL : 0;
}

/* The Makefile passes the version it computed (git describe or VERSION). */
#ifndef BPFDIGEST_VERSION
#define BPFDIGEST_VERSION "unknown"
#endif

static int cmd_version(int argc, const char **argv, struct context *ctx)
{
	const char *const usage[] = { "git bpfdigest version", NULL };
	struct option opts[] = { OPT_END() };

	if (parse_options(argc, argv, opts, usage, 0))
		usage_error(usage, opts, "too many arguments");
	printf("git-bpfdigest version %s\n", BPFDIGEST_VERSION);
	return 0;
}

/* Output to be read, as git log's, goes to a pager on a terminal (pager.h). */
#define USE_PAGER (1 << 0)

static const struct command {
	const char *name;
	int (*fn)(int argc, const char **argv, struct context *ctx);
	const char *help;
	unsigned flags;
} commands[] = {
	{ "daily", cmd_daily, "digest one day", USE_PAGER },
	{ "weekly", cmd_weekly, "digest one ISO week", USE_PAGER },
	{ "monthly", cmd_monthly, "digest one month", USE_PAGER },
	{ "digest", cmd_digest, "digest any range of days", USE_PAGER },
	{ "series", cmd_series, "show series, their revisions and reviews", USE_PAGER },
	{ "queue", cmd_queue, "list the open series, oldest wait first", USE_PAGER },
	{ "link", cmd_link, "match applied commits to posted patches", USE_PAGER },
	{ "notes", cmd_notes, "write refs/notes/bpfdigest on applied commits", 0 },
	{ "release", cmd_release, "draft release notes for a commit range", USE_PAGER },
	{ "update", cmd_update, "bring the incremental index up to date", 0 },
	{ "version", cmd_version, "print the version of git-bpfdigest", 0 },
};

/*
 * The usage: the synopsis, then (after the options) every command with
 * its line of help, from the command table.
 */
static const char *const *main_usage(void)
{
	static const char *usage[ARRAY_SIZE(commands) + 4];
	size_t i, n = 0;

	if (usage[0])
		return usage;
	usage[n++] = MAIN_USAGE;
	usage[n++] = "";
	usage[n++] = "commands:";
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		usage[n++] = xstrfmt("    %-10s %s", commands[i].name, commands[i].help);
	usage[n] = NULL;
	return usage;
}

/* As git: "did you mean ...?" when a command is a typo away from one. */
NORETURN static void unknown_command(const char *name, const struct option *opts)
{
	const char *names[ARRAY_SIZE(commands)];
	const char *guess;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	guess = options_closest_name(name, names, ARRAY_SIZE(names));
	if (guess)
		usage_error(main_usage(), opts, "unknown command '%s'; did you mean '%s'?",
			    name, guess);
	usage_error(main_usage(), opts, "unknown command '%s'", name);
}

/* The commands that work, one per line, for completion and scripts. */
static void list_commands(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].fn)
			printf("%s\n", commands[i].name);
	exit(0);
}

/*
 * As git decides for its own commands: -P never pages, -p always does,
 * otherwise pager.bpfdigest, otherwise the command's default.
 */
static void setup_pager(struct context *ctx, const struct command *cmd)
{
	const char *pager_cmd;
	int use = pager_config(&ctx->cfg, "pager.bpfdigest", &pager_cmd);

	if (ctx->no_pager)
		return;
	if (ctx->paginate)
		use = 1;
	else if (use < 0)
		use = !!(cmd->flags & USE_PAGER);
	if (use)
		pager_start(&ctx->cfg, pager_cmd);
}

static void load_config(struct context *ctx)
{
	const char *v;

	if (repo_open(&ctx->repo) < 0)
		exit(EXIT_FATAL);
	if (config_load(&ctx->cfg, ctx->repo) < 0)
		die("cannot read the configuration");
	if (config_expand_paths(&ctx->cfg, "bpfdigest.inbox") < 0)
		die("bad config value for 'bpfdigest.inbox'");
	v = config_get_string(&ctx->cfg, "bpfdigest.format");
	if (v && output_format_parse(v, &ctx->opts.format) < 0)
		die("bad config value '%s' for 'bpfdigest.format'", v);
	v = config_get_string(&ctx->cfg, "bpfdigest.timezone");
	if (v && tz_parse(&ctx->opts.tz, v) < 0)
		die("bad config value '%s' for 'bpfdigest.timezone'", v);
}

int main(int argc, const char **argv)
{
	struct context ctx;
	int list_cmds = 0, show_version = 0;
	struct option opts[] = {
		COMMON_OPTIONS(&ctx),
		OPT_BOOL('q', "quiet", &ctx.opts.quiet, "print no warnings and no progress"),
		OPT_BOOL(0, "progress", &ctx.progress,
			 "show progress on stderr (default: when it is a terminal)"),
		OPT_BOOL('p', "paginate", &ctx.paginate, "page the output when it goes to a terminal"),
		OPT_BOOL('P', "no-pager", &ctx.no_pager, "do not page the output"),
		OPT_BOOL(0, "version", &show_version, "print the version and exit"),
		OPT_HIDDEN_BOOL(0, "list-cmds", &list_cmds, "list the commands"),
		OPT_END(),
	};
	const struct command *cmd = NULL;
	size_t i;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.color_when = -1;
	ctx.progress = -1;
	tz_parse(&ctx.opts.tz, "UTC");
	options_set_manual("bpfdigest");
	git_libgit2_init();
	/* Hashing every object read again costs ~40 % of reading it. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);

	argc = parse_options(argc, argv, opts, main_usage(), PARSE_OPT_STOP_AT_NON_OPTION);
	if (list_cmds)
		list_commands();
	parse_color_option(&ctx, main_usage(), opts);
	if (show_version) {
		const char *version_argv[] = { "version", NULL };

		return cmd_version(1, version_argv, &ctx);
	}
	if (!argc)
		usage_with_options(main_usage(), opts, 1);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[0], commands[i].name))
			cmd = &commands[i];
	if (!cmd)
		unknown_command(argv[0], opts);
	if (!cmd->fn)
		die("'%s' is not implemented yet", cmd->name);
	/* Needs neither the configuration nor a repository. */
	if (cmd->fn == cmd_version)
		return cmd_version(argc, argv, &ctx);

	load_config(&ctx);
	setup_pager(&ctx, cmd);
	apply_options(&ctx);
	usage_set_quiet(ctx.opts.quiet);
	if (ctx.opts.quiet)
		progress_set_mode(PROGRESS_NEVER);
	else if (ctx.progress >= 0)
		progress_set_mode(ctx.progress ? PROGRESS_ALWAYS : PROGRESS_NEVER);

	ret = cmd->fn(argc, argv, &ctx);
	fflush(stdout);
	if (ferror(stdout))
		die("cannot write the output");
	git_repository_free(ctx.repo);
	config_free(&ctx.cfg);
	option_list_clear(&ctx.opts.inboxes);
	option_list_clear(&ctx.cli_inboxes);
	git_libgit2_shutdown();
	return ret;
}
