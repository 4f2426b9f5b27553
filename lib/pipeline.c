#include "pipeline.h"
#include "config.h"
#include "digest.h"
#include "inbox.h"
#include "link.h"
#include "mail.h"
#include "notes.h"
#include "pager.h"
#include "patchid.h"
#include "patchid-cache.h"
#include "patchid-commits.h"
#include "patchid-pathmap.h"
#include "period.h"
#include "range.h"
#include "release.h"
#include "render-link.h"
#include "render-mbox.h"
#include "render-release.h"
#include "render-series.h"
#include "repo.h"
#include "state-changes.h"
#include "strbuf.h"
#include "summarizer.h"
#include "summary.h"
#include "textsafe.h"
#include "trace.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void pipeline_init(struct pipeline *p, const struct global_options *opts,
		   const struct config *cfg, struct git_repository *repo)
{
	struct archive a = ARCHIVE_INIT;
	struct series_set s = SERIES_SET_INIT;

	memset(p, 0, sizeof(*p));
	p->opts = opts;
	p->cfg = cfg;
	p->repo = repo;
	p->archive = a;
	p->series = s;
}

int pipeline_update(struct pipeline *p)
{
	const struct option_list *inboxes = &p->opts->inboxes;
	const char *threads = getenv("BPFDIGEST_THREADS");
	long max_size;
	char *cache;
	int no_cache;

	if (!inboxes->nr)
		die("no inbox given: use --inbox=<loc> or set bpfdigest.inbox");
	archive_open_repo(&p->archive, p->repo, inboxes->items, inboxes->nr);
	cache = repo_cache_dir(p->repo);
	no_cache = !cache;	/* warned: there is no index to save */
	archive_use_cache(&p->archive, cache);
	free(cache);
	if (threads && *threads)
		p->archive.threads = atoi(threads);
	p->archive.max_message_size = ARCHIVE_DEFAULT_MAX_MESSAGE_SIZE;
	if (config_get_long(p->cfg, "bpfdigest.maxMessageSize", &max_size)) {
		if (max_size < 0)
			die("bad bpfdigest.maxMessageSize '%ld': a size in bytes (0: no limit)",
			    max_size);
		p->archive.max_message_size = (uint64_t)max_size;
	}
	if (archive_update(&p->archive) < 0)
		die("cannot read the inboxes");
	/* The lines that sum up the warnings above them. */
	if (p->archive.warned)
		warning("%zu of %zu messages read could not be parsed and were skipped",
			p->archive.warned, p->archive.read);
	if (p->archive.limited)
		warning("%zu of %zu messages read went over a limit and were cut",
			p->archive.limited, p->archive.read);
	if (p->archive.unsaved) {
		warning("the index was not saved: the next run reads these messages again");
		return -1;
	}
	return no_cache ? -1 : 0;
}

void pipeline_load(struct pipeline *p)
{
	if (p->loaded)
		return;
	p->loaded = 1;
	(void)pipeline_update(p);	/* a digest is still right without a saved index */
	series_build(&p->series, p->archive.mails, p->archive.nr);
}

/* Bodies of the highlighted patches and their covers, read again. */
static void load_bodies(struct pipeline *p, struct digest *d)
{
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		struct series_patch *patch = d->entries[i].patch;
		struct series_revision *rev = patch->revision;

		archive_load_body(&p->archive, patch->mail);
		if (rev->cover)
			archive_load_body(&p->archive, rev->cover->mail);
	}
}

/* The list address the public-inbox configuration gives an inbox we read. */
static char *configured_address(const struct archive *a)
{
	size_t i;

	for (i = 0; i < a->inboxes_nr; i++)
		if (a->inboxes[i]->address)
			return xstrdup(a->inboxes[i]->address);
	return NULL;
}

/* "Name <email>" of the user, as git would sign a commit; NULL if unknown. */
static char *user_ident(const struct config *cfg)
{
	const char *name = getenv("GIT_AUTHOR_NAME"), *email = getenv("GIT_AUTHOR_EMAIL");

	if (!name || !*name)
		name = config_get_string(cfg, "user.name");
	if (!email || !*email)
		email = config_get_string(cfg, "user.email");
	if (!email || !*email)
		return NULL;
	return name && *name ? xstrfmt("%s <%s>", name, email) : xstrfmt("<%s>", email);
}

static int setup_summarizer(struct pipeline *p, struct summarizer *sum,
			    const struct pipeline_digest_options *opts)
{
	const char *cmd = opts->summarizer;
	long timeout = SUMMARIZER_DEFAULT_TIMEOUT;
	char *cache;
	int ret;

	if (!cmd)
		cmd = config_get_string(p->cfg, "bpfdigest.summarizer");
	if (!cmd || !*cmd)
		return 0;
	if (config_get_long(p->cfg, "bpfdigest.summarizerTimeout", &timeout) && timeout <= 0)
		die("bad config value '%ld' for 'bpfdigest.summarizerTimeout': not a positive number of seconds",
		    timeout);
	cache = repo_cache_dir(p->repo);
	ret = summarizer_init(sum, cmd, timeout, cache);
	free(cache);
	if (ret < 0)
		die("cannot use the summarizer");
	return 1;
}

/* Each entry's summary and the overview: ours, or what the summarizer makes of them. */
static void summarize(struct pipeline *p, struct digest *d,
		      const struct pipeline_digest_options *opts)
{
	struct summary_context ctx = { &p->opts->tz, 0 };
	struct summarizer sum;
	int external = setup_summarizer(p, &sum, opts);
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		struct digest_entry *e = &d->entries[i];
		struct strbuf sb = STRBUF_INIT;

		summary_compose(&e->sentences, e->patch, &ctx);
		summary_join(&sb, &e->sentences);
		if (external && !summarizer_patch(&sum, &sb, e->patch, e->url))
			summary_release(&e->sentences);	/* not ours any more */
		e->summary = strbuf_detach(&sb, NULL);
	}
	digest_write_overview(d);
	if (external) {
		summarizer_overview(&sum, d);
		summarizer_release(&sum);
	}
}

static void add_applied(struct pipeline *p, struct digest *d);

int pipeline_digest(struct pipeline *p, const struct period *period,
		    const struct pipeline_digest_options *opts)
{
	struct render_options ropts = { date_now(), &p->opts->tz, NULL, NULL };
	const char *list = config_get_string(p->cfg, "bpfdigest.list");
	const char *midmask = config_get_string(p->cfg, "b4.midmask");
	char *from = NULL;
	struct digest d;
	int ret;

	digest_init(&d, period);
	add_applied(p, &d);
	d.list = list && *list ? xstrdup(list) : configured_address(&p->archive);
	/* Mapped, the messages read are the period's: the guess is the archive's. */
	if (!d.list && p->archive.mapped) {
		const char **ids;
		uint64_t *counts;
		size_t n = archive_list_ids(&p->archive, &ids, &counts);

		d.list = digest_guess_list_counted(ids, counts, n);
	}
	digest_select(&d, &p->series, p->archive.mails, p->archive.nr,
		      opts->limit ? opts->limit : digest_default_limit(period->kind));
	digest_set_urls(&d, midmask && *midmask ? midmask : DIGEST_DEFAULT_MIDMASK);
	/* bpfdigest.attention=false: the seed's shape, and nothing after the entries. */
	if (pipeline_attention_wanted(p)) {
		d.archive_has_notices = archive_notices(&p->archive) > 0;
		digest_count_applied(&d, &p->series);
		pipeline_attention(p, &d, midmask && *midmask ? midmask : DIGEST_DEFAULT_MIDMASK);
	}
	load_bodies(p, &d);
	summarize(p, &d, opts);
	if (p->opts->format == FORMAT_MBOX)
		ropts.from = from = user_ident(p->cfg);
	if (p->opts->format == FORMAT_TEXT)
		ropts.colors = p->opts->colors;
	ret = render_digest(stdout, &d, p->opts->format, &ropts);
	free(from);
	digest_release(&d);
	return ret;
}

/* --- link and notes ----------------------------------------------------------- */

/* What the link stage needs besides the series: options, cache, range. */
struct link_run {
	struct link_set set;
	struct link_options opts;
	struct patchid_pathmap pathmap;
	struct option_list masks;
	struct patchid_cache cache;
	git_oid *commits;
	size_t nr;
	const char *range;	/* as given, or the default's spelling */
};

static int add_pathmap(const char *value, void *data)
{
	if (patchid_pathmap_add(data, value) < 0)
		die("bad config value '%s' for 'bpfdigest.pathMap' (use <kernel path>:<mirror path>)",
		    value);
	return 0;
}

static int add_value(const char *value, void *data)
{
	option_list_add(data, value);
	return 0;
}

static int load_body(struct mail *m, void *data)
{
	return archive_load_body(data, m);
}

/* The commits of the range; dies outside a repository or on a bad range. */
static void resolve_range(struct pipeline *p, struct link_run *run, const char *range)
{
	memset(run, 0, sizeof(*run));
	if (!p->repo)
		die("not in a git repository: links are to the commits of one");
	run->range = range ? range : "HEAD~1000..HEAD";
	switch (range_commits(&run->commits, &run->nr, p->repo, range)) {
	case 0:
		break;
	case -1:
		die("invalid revision range '%s'", run->range);
	default:
		die("cannot list the commits of '%s'", run->range);
	}
}

static void open_cache(struct pipeline *p, struct patchid_cache *cache)
{
	char *dir = repo_cache_dir(p->repo);

	patchid_cache_open(cache, dir);
	free(dir);
}

static int link_run_commits(struct pipeline *p, struct link_run *run);

/* Resolve the range, read the inboxes and match; dies on bad input. */
static int run_link(struct pipeline *p, struct link_run *run, const char *range)
{
	resolve_range(p, run, range);
	return link_run_commits(p, run);
}

/* Match run->commits (run->opts.explain as set); dies on bad input. */
static int link_run_commits(struct pipeline *p, struct link_run *run)
{
	double start;
	int ret;

	pipeline_load(p);
	start = trace_clock();

	config_get_all(p->cfg, "bpfdigest.pathMap", add_pathmap, &run->pathmap);
	config_get_all(p->cfg, "b4.linkmask", add_value, &run->masks);
	open_cache(p, &run->cache);
	run->opts.pathmap = run->pathmap.nr ? &run->pathmap : NULL;
	run->opts.linkmasks = run->masks.items;
	run->opts.linkmasks_nr = run->masks.nr;
	run->opts.cache = &run->cache;
	run->opts.load_body = load_body;
	run->opts.load_data = &p->archive;
	ret = link_commits(&run->set, p->repo, run->commits, run->nr, &p->series, &run->opts);
	patchid_cache_flush(&run->cache);
	trace_performance(start, "link: %zu commits, %zu patch-ids computed", run->nr,
			  run->set.patchids_computed);
	return ret;
}

static void release_link(struct link_run *run)
{
	link_set_release(&run->set);
	patchid_pathmap_release(&run->pathmap);
	option_list_clear(&run->masks);
	patchid_cache_release(&run->cache);
	free(run->commits);
}

/*
 * Inside a repository, what of the archive's work was applied there: the
 * link stage over its default range.  Outside one, or in an empty one,
 * nothing is known and nothing is said.  Returns 1 when run->set holds
 * the links (release_link() it), 0 when there are none to know.
 */
static int known_links(struct pipeline *p, struct link_run *run)
{
	if (!p->repo || git_repository_head_unborn(p->repo) != 0 ||
	    git_repository_is_empty(p->repo) != 0)
		return 0;
	if (run_link(p, run, NULL) < 0) {
		release_link(run);
		return 0;
	}
	return 1;
}

/*
 * The commits of this tree the link stage matched, and for the postings
 * of the period (the ones entries can name) how each commit differs.
 */
static void add_applied(struct pipeline *p, struct digest *d)
{
	struct link_run run;
	struct state_options opts = STATE_OPTIONS_INIT;
	struct strbuf changes = STRBUF_INIT;
	size_t i;

	if (!known_links(p, &run))
		return;
	opts.repo = p->repo;
	opts.cache = &run.cache;
	opts.pathmap = run.pathmap.nr ? &run.pathmap : NULL;
	for (i = 0; i < run.set.nr; i++) {
		const struct link_commit *c = &run.set.commits[i];
		struct state_changes *sc = NULL;

		if (!c->patch)
			continue;
		strbuf_reset(&changes);
		if (period_contains(&d->period, c->patch->revision->date)) {
			int had = c->patch->mail->flags & MAIL_HAS_BODY;

			if (had || archive_load_body(&p->archive, c->patch->mail) == 0)
				state_applied_changes(&sc, c->patch, &c->id, &opts);
			if (!had)
				archive_drop_body(c->patch->mail);
			state_describe_changes(&changes, sc);
			state_changes_free(sc);
		}
		digest_add_applied(d, c->patch->mail->mid, git_oid_tostr_s(&c->id),
				   link_method_name(c->method), c->commit_time,
				   changes.len ? changes.buf : NULL);
	}
	patchid_cache_flush(&run.cache);
	strbuf_release(&changes);
	release_link(&run);
}

/* --- series ------------------------------------------------------------------ */

/*
 * A Message-ID from what a user pastes: "<mid>", "mid", or a link such
 * as https://lore.kernel.org/bpf/<mid>/ or https://patch.msgid.link/<mid>
 * (where '/' in an id is written %2F).
 */
char *pipeline_message_id(const char *arg)
{
	const char *p = arg, *end;
	struct strbuf sb = STRBUF_INIT;
	char *mid;

	if (strncmp(p, "https://", 8) && strncmp(p, "http://", 7))
		return mail_normalize_mid(arg, strlen(arg));
	/* The first path segment with an '@', else the second ("bpf/<mid>"). */
	p = strchr(strstr(p, "//") + 2, '/');
	if (!p)
		return NULL;
	p++;
	end = p + strcspn(p, "/?#");
	if (!memchr(p, '@', (size_t)(end - p)) && *end == '/') {
		p = end + 1;
		end = p + strcspn(p, "/?#");
	}
	for (; p < end; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], 0 };

			strbuf_addch(&sb, (int)strtol(hex, NULL, 16));
			p += 2;
		} else {
			strbuf_addch(&sb, *p);
		}
	}
	mid = mail_normalize_mid(sb.buf, sb.len);
	strbuf_release(&sb);
	return mid;
}

static int posted_in(const struct series *s, const struct period *period)
{
	size_t i;

	for (i = 0; i < s->revisions_nr; i++)
		if (period_contains(period, s->revisions[i]->date))
			return 1;
	return 0;
}

/* The series to print, each once, in the order asked for. */
static int select_series(struct pipeline *p, const char *const *mids, size_t nr,
			 const struct period *period, const struct series ***out, size_t *out_nr)
{
	const struct series **sel = NULL;
	size_t i, j, n = 0, alloc = 0;
	int ret = 0;

	for (i = 0; i < (nr ? nr : p->series.nr); i++) {
		const struct series *s;

		if (nr) {
			char *mid = pipeline_message_id(mids[i]);
			struct series_patch *patch = mid ? series_find(&p->series, mid) : NULL;

			free(mid);
			if (!patch) {
				error("no series contains message '%s'", mids[i]);
				ret = 1;
				continue;
			}
			s = patch->revision->series;
			for (j = 0; j < n && sel[j] != s; j++)
				;
		} else {
			s = p->series.series[i];
			if (period && !posted_in(s, period))
				continue;
			j = n;
		}
		if (j < n)
			continue;
		ALLOC_GROW(sel, n + 1, alloc);
		sel[n++] = s;
	}
	*out = sel;
	*out_nr = n;
	return ret;
}

static void summarise(struct pipeline *p, struct series_patch *patch, struct strmap *summaries,
		      struct mail ***loaded, size_t *loaded_nr, size_t *loaded_alloc,
		      struct summarizer *ext)
{
	struct series_revision *rev = patch->revision;
	struct mail *need[2] = { patch->mail, rev->cover ? rev->cover->mail : NULL };
	struct summary_context ctx = { NULL, 0 };
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!need[i] || (need[i]->flags & MAIL_HAS_BODY))
			continue;
		if (archive_load_body(&p->archive, need[i]) < 0)
			continue;
		ALLOC_GROW(*loaded, *loaded_nr + 1, *loaded_alloc);
		(*loaded)[(*loaded_nr)++] = need[i];
	}
	/* The revision's place is said once, in the summary of its first message. */
	ctx.without_place = patch != render_series_summarised(rev);
	summary_patch_in(&sb, patch, &ctx);
	if (ext)
		summarizer_patch(ext, &sb, patch, NULL);
	free(strmap_put(summaries, patch->mail->mid, strbuf_detach(&sb, NULL)));
}

int pipeline_series(struct pipeline *p, const char *const *mids, size_t nr,
		    const struct period *period, unsigned flags)
{
	const struct series **sel;
	struct render_series r;
	struct strmap summaries = STRMAP_INIT;
	struct mail **loaded = NULL;
	size_t sel_nr, i, j, k, loaded_nr = 0, loaded_alloc = 0;
	int want = (flags & PIPELINE_SERIES_SUMMARIES) || p->opts->format == FORMAT_JSON;
	long stale;
	int ret = select_series(p, mids, nr, period, &sel, &sel_nr);
	struct link_run run;
	int linked = known_links(p, &run);
	/* Named series only: --all would be a run per patch of the archive. */
	const struct pipeline_digest_options no_opts = { 0, NULL };
	struct summarizer sum;
	int external = want && nr && setup_summarizer(p, &sum, &no_opts);

	if (render_series_begin(&r, stdout, p->opts->format, want ? &summaries : NULL,
				p->cfg ? config_get_string(p->cfg, "b4.midmask") : NULL) < 0) {
		ret = -1;
		goto out;
	}
	if (linked) {
		r.links = &run.set;
		/* applied_changes: the commits against the postings, in the mirror's paths. */
		r.state_opts.repo = p->repo;
		r.state_opts.cache = &run.cache;
		r.state_opts.pathmap = run.pathmap.nr ? &run.pathmap : NULL;
	}
	if (p->cfg && config_get_long(p->cfg, "bpfdigest.staleDays", &stale)) {
		if (stale <= 0 || stale > 3650)
			warning("bpfdigest.staleDays %ld is out of range (1-3650); using %d", stale,
				STATE_STALE_DAYS_DEFAULT);
		else
			r.state_opts.stale_days = (unsigned)stale;
	}
	if (p->opts->format == FORMAT_TEXT)
		r.colors = p->opts->colors;
	for (i = 0; i < sel_nr; i++) {
		const struct series *s = sel[i];

		for (j = 0; want && j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];

			if (rev->cover)
				summarise(p, rev->cover, &summaries, &loaded, &loaded_nr, &loaded_alloc,
					  external ? &sum : NULL);
			for (k = 0; k < rev->patches_nr; k++)
				summarise(p, rev->patches[k], &summaries, &loaded, &loaded_nr,
					  &loaded_alloc, external ? &sum : NULL);
		}
		/* The patches' diffs, for their patch-ids (unchanged_since, applied_changes). */
		if (linked || p->opts->format == FORMAT_JSON) {
			size_t first = loaded_nr;

			state_wanted_bodies(&loaded, &loaded_nr, &loaded_alloc, s);
			for (k = first; k < loaded_nr; k++)
				archive_load_body(&p->archive, loaded[k]);
		}
		render_series_one(&r, s);
		strmap_clear_values(&summaries, NULL);
		/* Bodies read for summaries are dropped again: an archive holds many. */
		for (k = 0; k < loaded_nr; k++)
			archive_drop_body(loaded[k]);
		loaded_nr = 0;
	}
	render_series_end(&r);
out:
	if (external)
		summarizer_release(&sum);
	if (linked)
		release_link(&run);
	free(loaded);
	free(sel);
	return ret;
}

static const struct series_revision *pick_revision(const struct series *s, unsigned version)
{
	size_t i;

	if (!version)
		return series_latest(s);
	for (i = s->revisions_nr; i-- > 0;)
		if (s->revisions[i]->version == version)
			return s->revisions[i];
	return NULL;
}

/*
 * Where the series mbox goes: as archived for a pipe or a file (git am
 * reads it); to be read, on a terminal or in the pager, mail may not drive
 * the terminal, so it gets the filter every other output has.
 */
struct mbox_out {
	int shown;
	size_t filtered;
};

/* One archived message as mboxrd on stdout; with trailers, when given. */
static int write_mbox_mail(struct pipeline *p, struct mbox_out *w, const struct mail *m,
			   const char *const *trailers, size_t trailers_nr)
{
	struct strbuf raw = STRBUF_INIT, edited = STRBUF_INIT, out = STRBUF_INIT;
	int ret = archive_read_raw(&p->archive, m, &raw);

	if (ret >= 0 && trailers_nr &&
	    render_mbox_add_trailers(&edited, raw.buf, raw.len, trailers, trailers_nr) < 0)
		warning("cannot add trailers to '%s': its body is encoded or has no '---' line",
			m->mid);
	if (ret >= 0) {
		if (trailers_nr)
			render_mbox_message(&out, edited.buf, edited.len);
		else
			render_mbox_message(&out, raw.buf, raw.len);
		if (w->shown && !textsafe_is_safe(out.buf, out.len, 1)) {
			textsafe_strbuf(&out, 0, 1);
			w->filtered++;
		}
		if (fwrite(out.buf, 1, out.len, stdout) != out.len)
			ret = error_errno("cannot write the mbox");
	}
	strbuf_release(&raw);
	strbuf_release(&edited);
	strbuf_release(&out);
	return ret;
}

/* Whether m is one of the follow-ups of patch (a trailer given in a reply). */
static int is_reply_to(const struct series_patch *patch, const struct mail *m)
{
	size_t i;

	for (i = 0; i < patch->replies_nr; i++)
		if (patch->replies[i] == m)
			return 1;
	return 0;
}

/* b4's own default for b4.linkmask (b4 0.12). */
#define B4_DEFAULT_LINKMASK "https://lore.kernel.org/r/%s"

/*
 * A patch (or the cover), its trailers added with PIPELINE_MBOX_TRAILERS
 * (those given in the patch itself are there already), then with
 * PIPELINE_MBOX_REPLIES its follow-ups.
 */
static int write_mbox_patch(struct pipeline *p, struct mbox_out *w,
			    const struct series_patch *patch,
			    unsigned flags)
{
	struct option_list lines = { 0 };
	struct strbuf link = STRBUF_INIT;
	const char *mask = NULL;
	size_t i;
	int ret, pass;

	if (flags & PIPELINE_MBOX_TRAILERS) {
		/* As b4 am -t: those given to the patch, then those to the cover. */
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < patch->reviews_nr; i++) {
				const struct series_review *r = &patch->reviews[i];

				if (r->given_in == patch->mail ||
				    is_reply_to(patch, r->given_in) != !pass)
					continue;
				option_list_add(&lines, xstrfmt("%s: %s <%s>", r->trailer,
								r->name, r->email));
			}
		/* b4 reads one linkmask: the last one set wins, as in git. */
		mask = config_get_string(p->cfg, "b4.linkmask");
		strbuf_addstr(&link, "Link: ");
		digest_url(&link, mask && *mask ? mask : B4_DEFAULT_LINKMASK, patch->mail->mid);
		option_list_add(&lines, strbuf_detach(&link, NULL));
	}
	ret = write_mbox_mail(p, w, patch->mail, lines.items, lines.nr);
	for (i = 0; i < lines.nr; i++)
		free((char *)lines.items[i]);
	option_list_clear(&lines);
	if (flags & PIPELINE_MBOX_REPLIES)
		for (i = 0; i < patch->replies_nr && ret >= 0; i++)
			ret = write_mbox_mail(p, w, patch->replies[i], NULL, 0);
	return ret;
}

int pipeline_series_mbox(struct pipeline *p, const char *const *mids, size_t nr,
			 const struct period *period, unsigned version, unsigned flags)
{
	const struct series **sel;
	size_t sel_nr, i, j;
	int ret = select_series(p, mids, nr, period, &sel, &sel_nr);
	struct mbox_out w = { isatty(1) || pager_in_use(), 0 };

	for (i = 0; i < sel_nr && ret >= 0; i++) {
		const struct series_revision *rev = pick_revision(sel[i], version);

		if (!rev) {
			error("series '%s' has no v%u", sel[i]->title, version);
			ret = 1;
			continue;
		}
		if (rev->patches_nr < rev->total)
			warning("v%u of '%s' has %zu of its %u patches", rev->version,
				sel[i]->title, rev->patches_nr, rev->total);
		if ((flags & PIPELINE_MBOX_REPLIES) && rev->cover &&
		    write_mbox_patch(p, &w, rev->cover, flags & ~PIPELINE_MBOX_TRAILERS) < 0)
			ret = -1;
		for (j = 0; j < rev->patches_nr && ret >= 0; j++)
			if (write_mbox_patch(p, &w, rev->patches[j], flags) < 0)
				ret = -1;
	}
	if (w.filtered)
		warning("%zu message%s shown with control characters as spaces; "
			"redirect the output for the mbox as archived", w.filtered,
			w.filtered == 1 ? "" : "s");
	free(sel);
	return ret;
}

int pipeline_link(struct pipeline *p, const char *range)
{
	struct link_run run;
	int ret = run_link(p, &run, range);

	if (!ret)
		ret = render_link(stdout, &run.set, run.range, p->opts->format);
	release_link(&run);
	return ret;
}

int pipeline_link_explain(struct pipeline *p, const git_oid *commit)
{
	struct link_run run;
	int ret;

	memset(&run, 0, sizeof(run));
	run.commits = xmalloc(sizeof(*run.commits));
	run.commits[0] = *commit;
	run.nr = 1;
	run.range = "";
	run.opts.explain = 1;
	ret = link_run_commits(p, &run);
	if (!ret)
		ret = render_link_explain(stdout, &run.set,
					  p->cfg ? config_get_string(p->cfg, "b4.midmask") : NULL,
					  p->opts->format);
	release_link(&run);
	return ret;
}

int pipeline_patch_ids(struct pipeline *p, const char *range)
{
	struct link_run run;
	git_oid *ids;
	int *status;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int ret = 0;

	resolve_range(p, &run, range);
	open_cache(p, &run.cache);
	CALLOC_ARRAY(ids, run.nr ? run.nr : 1);
	CALLOC_ARRAY(status, run.nr ? run.nr : 1);
	patchid_commits(ids, status, p->repo, run.commits, run.nr, &run.cache);
	patchid_cache_flush(&run.cache);
	for (i = 0; i < run.nr; i++) {
		if (status[i] < 0)
			ret = -1;
		if (status[i] != PATCHID_OK)
			continue;
		printf("%s ", git_oid_tostr(hex, sizeof(hex), &ids[i]));
		printf("%s\n", git_oid_tostr(hex, sizeof(hex), &run.commits[i]));
	}
	free(ids);
	free(status);
	release_link(&run);
	return ret;
}

/* The note of every matched commit, its summary from the reloaded bodies. */
static void make_notes(struct pipeline *p, struct link_run *run,
		       struct notes_update *updates, size_t *nr)
{
	const struct link_set *set = &run->set;
	const char *midmask = config_get_string(p->cfg, "b4.midmask");
	struct strbuf summary = STRBUF_INIT, note = STRBUF_INIT;
	struct state_options opts = STATE_OPTIONS_INIT;
	struct state_changes *changes;
	size_t i;

	opts.repo = p->repo;
	opts.cache = &run->cache;
	opts.pathmap = run->pathmap.nr ? &run->pathmap : NULL;
	*nr = 0;
	for (i = 0; i < set->nr; i++) {
		const struct link_commit *lc = &set->commits[i];

		if (!lc->patch)
			continue;
		archive_load_body(&p->archive, lc->patch->mail);
		if (lc->patch->revision->cover)
			archive_load_body(&p->archive, lc->patch->revision->cover->mail);
		strbuf_reset(&summary);
		strbuf_reset(&note);
		summary_patch(&summary, lc->patch);
		state_applied_changes(&changes, lc->patch, &lc->id, &opts);
		notes_format(&note, lc, changes, summary.buf, midmask);
		state_changes_free(changes);
		updates[*nr].commit = lc->id;
		updates[*nr].text = strbuf_detach(&note, NULL);
		(*nr)++;
	}
	strbuf_release(&summary);
	strbuf_release(&note);
}

int pipeline_notes(struct pipeline *p, const char *range, int flags)
{
	int dry_run = flags & NOTES_DRY_RUN;
	struct link_run run;
	struct notes_update *updates = NULL;
	struct notes_result res;
	char *ref = NULL;
	const char *value;
	size_t nr = 0, i;
	double start;
	int ret;

	value = config_get_string(p->cfg, "bpfdigest.notesRef");
	ref = notes_ref_name(value ? value : NOTES_DEFAULT_REF);
	if (!ref)
		die("bad config value '%s' for 'bpfdigest.notesRef'", value);
	ret = run_link(p, &run, range);
	if (ret)
		goto out;
	CALLOC_ARRAY(updates, run.set.nr ? run.set.nr : 1);
	make_notes(p, &run, updates, &nr);
	start = trace_clock();
	ret = notes_write(&res, p->repo, ref, updates, nr, "Notes added by 'git bpfdigest notes'\n",
			  flags);
	if (ret)
		goto out;
	trace_performance(start, "notes: %zu notes written in %zu attempt%s", res.added + res.updated,
			  res.attempts, res.attempts == 1 ? "" : "s");
	for (i = 0; dry_run && i < nr; i++)
		if (updates[i].state == NOTES_ADDED || updates[i].state == NOTES_UPDATED)
			printf("%s %s\n", updates[i].state == NOTES_ADDED ? "add" : "update",
			       git_oid_tostr_s(&updates[i].commit));
	for (i = 0; i < nr; i++)
		if (updates[i].state == NOTES_FOREIGN)
			warning("keeping the note on %s in '%s': git-bpfdigest did not write it",
				git_oid_tostr_s(&updates[i].commit), ref);
	if (res.foreign)
		warning("%zu note%s kept; 'git bpfdigest notes --force' replaces them", res.foreign,
			res.foreign == 1 ? "" : "s");
	printf("notes in %s%s: %zu added, %zu updated, %zu unchanged", ref,
	       dry_run ? " (dry run)" : "", res.added, res.updated, res.unchanged);
	if (res.foreign)
		printf(", %zu kept (not ours)", res.foreign);
	putchar('\n');
out:
	for (i = 0; i < nr; i++)
		free((char *)updates[i].text);
	free(updates);
	free(ref);
	release_link(&run);
	return ret;
}

/* --- release ------------------------------------------------------------------ */

struct area_config {
	struct release_areas *areas;
	const char *key;
	const char *name;
};

static int add_area_globs(const char *value, void *data)
{
	struct area_config *ac = data;
	const char *p = value;

	while (*p) {
		size_t len;
		char *glob;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (!len)
			break;
		glob = xstrndup(p, len);
		if (release_areas_add(ac->areas, ac->name, glob) < 0)
			die("bad config key '%s': an area name is a letter, then letters, digits and '-'",
			    ac->key);
		free(glob);
		p += len;
	}
	return 0;
}

/* The area table, with the globs of every bpfdigest.area.<name>. */
static void load_areas(struct pipeline *p, struct release_areas *areas)
{
	static const char prefix[] = "bpfdigest.area.";
	struct strmap seen = STRMAP_INIT;
	size_t i;

	release_areas_init(areas);
	for (i = 0; p->cfg && i < p->cfg->nr; i++) {
		const struct config_entry *e = &p->cfg->entries[i];
		const char *name = e->key + strlen(prefix);
		struct area_config ac = { areas, NULL, name };
		char *key;

		if (strncmp(e->key, prefix, strlen(prefix)) || strmap_get(&seen, e->key))
			continue;
		if (!e->value)
			die("bad config value for '%s': a path glob is needed", e->key);
		strmap_put(&seen, e->key, (void *)e->key);
		ac.key = key = xstrfmt("bpfdigest.area.%s", name);
		config_get_all(p->cfg, key, add_area_globs, &ac);
		free(key);
	}
	strmap_clear(&seen);
}

int pipeline_release_draft(struct pipeline *p, const char *range)
{
	const char *midmask = config_get_string(p->cfg, "b4.midmask");
	struct render_release_options ropts = { range, midmask, &p->opts->tz };
	struct release_options opts = { NULL, NULL };
	struct release_areas areas;
	struct release rel;
	struct link_run run;
	double start;
	size_t i;
	int ret;

	if (!range)
		die("release needs a revision range");
	load_areas(p, &areas);
	ret = run_link(p, &run, range);
	if (ret)
		goto out;
	start = trace_clock();
	opts.areas = &areas;
	opts.pathmap = run.pathmap.nr ? &run.pathmap : NULL;
	ret = release_build(&rel, p->repo, &run.set, &opts);
	if (ret)
		goto out;
	for (i = 0; i < rel.series_nr; i++) {
		const struct series_patch *cover = release_summary_source(&rel.series[i]);

		if (cover)
			archive_load_body(&p->archive, cover->mail);
	}
	ret = release_summarize(&rel, p->repo);
	trace_performance(start, "release: %zu commits, %zu series", rel.nr, rel.series_nr);
	if (!ret)
		ret = render_release(stdout, &rel, p->opts->format, &ropts);
	release_clear(&rel);
out:
	release_link(&run);
	release_areas_clear(&areas);
	return ret;
}

void pipeline_release(struct pipeline *p)
{
	series_set_release(&p->series);
	archive_release(&p->archive);
}
