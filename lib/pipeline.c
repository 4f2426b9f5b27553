#include "pipeline.h"
#include "config.h"
#include "digest.h"
#include "mail.h"
#include "period.h"
#include "render-mbox.h"
#include "render-series.h"
#include "repo.h"
#include "strbuf.h"
#include "summarizer.h"
#include "summary.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void pipeline_load(struct pipeline *p)
{
	const struct option_list *inboxes = &p->opts->inboxes;

	if (!inboxes->nr)
		die("no inbox given: use --inbox=<loc> or set bpfdigest.inbox");
	archive_open(&p->archive, inboxes->items, inboxes->nr);
	if (archive_update(&p->archive) < 0)
		die("cannot read the inboxes");
	if (p->archive.broken)
		warning("%zu of %zu messages could not be parsed and were skipped",
			p->archive.broken, p->archive.seen);
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

struct pi_lookup {
	const char *const *locations;
	size_t nr;
	struct strbuf name;	/* the matching publicinbox.<name> */
};

static int same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && !strcmp(ra, rb);

	free(ra);
	free(rb);
	return same;
}

static int match_inboxdir(const git_config_entry *e, void *data)
{
	struct pi_lookup *l = data;
	const char *name = e->name + strlen("publicinbox."), *dot = strrchr(name, '.');
	size_t i;

	if (l->name.len || !dot || strcmp(dot, ".inboxdir") || !e->value)
		return 0;
	for (i = 0; i < l->nr; i++)
		if (!strncmp(l->locations[i], name, (size_t)(dot - name)) ?
		    !l->locations[i][dot - name] : same_dir(l->locations[i], e->value)) {
			strbuf_add(&l->name, name, (size_t)(dot - name));
			break;
		}
	return 0;
}

/* publicinbox.<name>.address of the inbox we read, from $PI_CONFIG. */
static char *public_inbox_address(const struct option_list *inboxes)
{
	struct pi_lookup l = { inboxes->items, inboxes->nr, STRBUF_INIT };
	const char *env = getenv("PI_CONFIG"), *home = getenv("HOME");
	char *path = env && *env ? xstrdup(env) : home ? xstrfmt("%s/.public-inbox/config", home) : NULL;
	git_config *cfg = NULL;
	char *address = NULL;

	if (!path || access(path, R_OK) || git_config_open_ondisk(&cfg, path) < 0)
		goto out;
	git_config_foreach_match(cfg, "^publicinbox\\..*\\.inboxdir$", match_inboxdir, &l);
	if (l.name.len) {
		char *key = xstrfmt("publicinbox.%s.address", l.name.buf);
		git_buf buf = { NULL, 0, 0 };

		if (!git_config_get_string_buf(&buf, cfg, key))
			address = xstrdup(buf.ptr);
		git_buf_dispose(&buf);
		free(key);
	}
out:
	git_config_free(cfg);
	strbuf_release(&l.name);
	free(path);
	return address;
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

/* Each entry's summary: the offline one, or what the summarizer makes of it. */
static void summarize(struct pipeline *p, struct digest *d,
		      const struct pipeline_digest_options *opts)
{
	struct summary_context ctx = { &p->opts->tz, NULL, NULL };
	struct summarizer sum;
	int external = setup_summarizer(p, &sum, opts);
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		struct digest_entry *e = &d->entries[i];
		struct strbuf sb = STRBUF_INIT;

		summary_patch_in(&sb, e->patch, &ctx);
		if (external) {
			struct strbuf input = STRBUF_INIT, got = STRBUF_INIT;

			summarizer_input(&input, e->patch, sb.buf, e->url);
			if (!summarizer_run(&sum, &got, input.buf, e->patch->mail->mid)) {
				strbuf_reset(&sb);
				strbuf_addbuf(&sb, &got);
			}
			strbuf_release(&input);
			strbuf_release(&got);
		}
		e->summary = strbuf_detach(&sb, NULL);
	}
	if (external)
		summarizer_release(&sum);
}

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
	d.list = list && *list ? xstrdup(list) : public_inbox_address(&p->opts->inboxes);
	digest_select(&d, &p->series, p->archive.mails, p->archive.nr,
		      opts->limit ? opts->limit : digest_default_limit(period->kind));
	digest_set_urls(&d, midmask && *midmask ? midmask : DIGEST_DEFAULT_MIDMASK);
	load_bodies(p, &d);
	summarize(p, &d, opts);
	digest_write_overview(&d);
	if (p->opts->format == FORMAT_MBOX)
		ropts.from = from = user_ident(p->cfg);
	if (p->opts->format == FORMAT_TEXT)
		ropts.colors = p->opts->colors;
	ret = render_digest(stdout, &d, p->opts->format, &ropts);
	free(from);
	digest_release(&d);
	return ret;
}

/*
 * A Message-ID from what a user pastes: "<mid>", "mid", or a link such
 * as https://lore.kernel.org/bpf/<mid>/ or https://patch.msgid.link/<mid>
 * (where '/' in an id is written %2F).
 */
static char *mid_from_argument(const char *arg)
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
			char *mid = mid_from_argument(mids[i]);
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

/* Bodies read for summaries are dropped again: an archive holds many. */
static void drop_body(struct mail *m)
{
	FREE_AND_NULL(m->text);
	FREE_AND_NULL(m->notes);
	FREE_AND_NULL(m->diff);
	m->flags &= ~MAIL_HAS_BODY;
}

static void summarise(struct pipeline *p, struct series_patch *patch, struct strmap *summaries,
		      struct mail ***loaded, size_t *loaded_nr, size_t *loaded_alloc)
{
	struct series_revision *rev = patch->revision;
	struct mail *need[2] = { patch->mail, rev->cover ? rev->cover->mail : NULL };
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
	summary_patch(&sb, patch);
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
	int ret = select_series(p, mids, nr, period, &sel, &sel_nr);

	if (render_series_begin(&r, stdout, p->opts->format, want ? &summaries : NULL,
				p->cfg ? config_get_string(p->cfg, "b4.midmask") : NULL) < 0) {
		free(sel);
		return -1;
	}
	if (p->opts->format == FORMAT_TEXT)
		r.colors = p->opts->colors;
	for (i = 0; i < sel_nr; i++) {
		const struct series *s = sel[i];
		const char *key;
		void *value;

		for (j = 0; want && j < s->revisions_nr; j++) {
			struct series_revision *rev = s->revisions[j];

			if (rev->cover)
				summarise(p, rev->cover, &summaries, &loaded, &loaded_nr, &loaded_alloc);
			for (k = 0; k < rev->patches_nr; k++)
				summarise(p, rev->patches[k], &summaries, &loaded, &loaded_nr,
					  &loaded_alloc);
		}
		render_series_one(&r, s);
		for (k = 0; strmap_next(&summaries, &k, &key, &value);)
			free(value);
		strmap_clear(&summaries);
		for (k = 0; k < loaded_nr; k++)
			drop_body(loaded[k]);
		loaded_nr = 0;
	}
	render_series_end(&r);
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

int pipeline_series_mbox(struct pipeline *p, const char *const *mids, size_t nr,
			 const struct period *period, unsigned version)
{
	const struct series **sel;
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
	size_t sel_nr, i, j;
	int ret = select_series(p, mids, nr, period, &sel, &sel_nr);

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
		for (j = 0; j < rev->patches_nr; j++) {
			strbuf_reset(&raw);
			strbuf_reset(&out);
			if (archive_read_raw(&p->archive, rev->patches[j]->mail, &raw) < 0) {
				ret = -1;
				break;
			}
			render_mbox_message(&out, raw.buf, raw.len);
			if (fwrite(out.buf, 1, out.len, stdout) != out.len) {
				ret = error_errno("cannot write the mbox");
				break;
			}
		}
	}
	strbuf_release(&raw);
	strbuf_release(&out);
	free(sel);
	return ret;
}

void pipeline_release(struct pipeline *p)
{
	series_set_release(&p->series);
	archive_release(&p->archive);
}
