#include "notes.h"
#include "repo.h"
#include "date.h"
#include "link.h"
#include "mail.h"
#include "render-mbox.h"
#include "series.h"
#include "state.h"
#include "strbuf.h"
#include "strmap.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The width of a commit message, as git's own templates keep it. */
#define NOTES_WRAP_COLUMNS 72

/* How often a run re-applies its notes on a tip another run moved. */
#define MAX_ATTEMPTS 100

/*
 * For tests of the compare-and-swap: BPFDIGEST_TEST_NOTES_DELAY=<ms>
 * pauses the first attempt between reading the tip and moving the ref,
 * so that another writer can move it in between, for certain.
 */
static void test_delay(size_t attempt)
{
	const char *v = getenv("BPFDIGEST_TEST_NOTES_DELAY");
	long ms = v ? atol(v) : 0;
	struct timespec ts;

	if (attempt != 1 || ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/*
 * libgit2's last error; when it set none (some of its I/O failures, a
 * full disk among them, leave only errno), the system's.
 */
static const char *git_message(void)
{
	const git_error *e = git_error_last();

	if (e && e->message && *e->message)
		return e->message;
	return errno ? strerror(errno) : "unknown error";
}

/* --- the note ---------------------------------------------------------------------- */

/* A Message-ID in a URL: what is not safe in a path segment, %-escaped. */
static void add_url_mid(struct strbuf *out, const char *mid)
{
	for (; *mid; mid++) {
		unsigned char c = (unsigned char)*mid;

		if (isalnum(c) || strchr("-._~@!$&'()*+,;=:", c))
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "%%%02X", c);
	}
}

static void add_link(struct strbuf *out, const char *midmask, const char *mid)
{
	const char *pct = strstr(midmask, "%s");

	if (!pct) {
		strbuf_addstr(out, midmask);
		return;
	}
	strbuf_add(out, midmask, (size_t)(pct - midmask));
	add_url_mid(out, mid);
	strbuf_addstr(out, pct + 2);
}

/* The newest message of a series: what a note's state is computed as of. */
static time_t newest(const struct series *s)
{
	time_t last = 0;
	size_t i, j, k;

	for (i = 0; i < s->revisions_nr; i++) {
		const struct series_revision *rev = s->revisions[i];

		for (j = 0; j <= rev->patches_nr; j++) {
			const struct series_patch *q = j < rev->patches_nr ? rev->patches[j] : rev->cover;

			if (!q)
				continue;
			if (q->mail->date > last)
				last = q->mail->date;
			for (k = 0; k < q->replies_nr; k++)
				if (q->replies[k]->date > last)
					last = q->replies[k]->date;
		}
	}
	return last;
}

/*
 * "State: partially-applied (v2)": the revision's state as of the
 * series' newest message, never the clock, so that a second run writes
 * the same note.  The commit is in the tree, so its patch is applied.
 */
static void add_state(struct strbuf *out, const struct series_patch *p)
{
	struct series_state st = SERIES_STATE_INIT;
	struct state_options opts = STATE_OPTIONS_INIT;
	const struct state_revision *r;
	size_t i, applied = 0;

	opts.at = newest(p->revision->series);
	if (state_series(&st, p->revision->series, &opts) < 0)
		return;
	r = state_find_revision(&st, p->revision);
	for (i = 0; r && i < r->patches_nr; i++)
		if (r->patches[i].patch == p || r->patches[i].state == STATE_APPLIED)
			applied++;
	if (r && applied)
		strbuf_addf(out, "State: %s (v%u)\n",
			    state_name(applied == r->patches_nr ? STATE_APPLIED
								 : STATE_PARTIALLY_APPLIED),
			    p->revision->version);
	series_state_release(&st);
}

void notes_format(struct strbuf *out, const struct link_commit *lc,
		  const struct state_changes *changes, const char *summary, const char *midmask)
{
	const struct series_patch *p = lc->patch;
	const struct series_revision *rev = p->revision;
	const struct series *s = rev->series;
	char day[DATE_ISO_SIZE];
	size_t i, start = out->len;

	strbuf_addf(out, "Posted-as: %s\n", p->mail->subject);
	strbuf_addf(out, "Series: %s (v%u, %u patch%s) by %s\n", s->title, rev->version,
		    rev->total, rev->total == 1 ? "" : "es",
		    *s->author_name ? s->author_name : s->author_email);
	strbuf_addstr(out, "Revisions:");
	for (i = 0; i < s->revisions_nr; i++) {
		date_format_day(day, s->revisions[i]->date);
		strbuf_addf(out, "%s v%u %s", i ? "," : "", s->revisions[i]->version, day);
	}
	strbuf_addch(out, '\n');
	for (i = 0; i < p->reviews_nr; i++)
		strbuf_addf(out, "%s: %s <%s>\n", p->reviews[i].trailer, p->reviews[i].name,
			    p->reviews[i].email);
	add_state(out, p);
	for (i = 0; changes && i < changes->nr; i++)
		strbuf_addf(out, "Applied-with-changes: %s +%zu -%zu\n", changes->files[i].path,
			    changes->files[i].added, changes->files[i].removed);
	strbuf_addf(out, "Matched-by: %s (%s)\n", link_method_name(lc->method),
		    link_confidence_name(lc->confidence));
	/* The bot's own fact, of the upstream tree: this commit may be a mirror's. */
	if (p->applied) {
		char *tree = p->applied->tree ? series_tree_name(p->applied->tree) : NULL;

		strbuf_addf(out, "Applied-upstream: %s%s%s (pw-bot)\n", tree ? tree : "",
			    tree ? " as " : "", p->applied->commit);
		free(tree);
	}
	strbuf_addstr(out, "Link: ");
	add_link(out, midmask ? midmask : NOTES_DEFAULT_MIDMASK, p->mail->mid);
	strbuf_addch(out, '\n');
	strbuf_addstr(out, NOTES_TRAILER "\n");
	if (summary && *summary) {
		struct strbuf line = STRBUF_INIT;

		/* Wrapped as a commit message is: git log shows it as it is. */
		strbuf_addch(out, '\n');
		textsafe_line(&line, summary, strlen(summary));
		render_wrap(out, line.buf, NOTES_WRAP_COLUMNS);
		strbuf_release(&line);
	}
	/*
	 * Notes are shown by every "git log" in a terminal: whatever of the
	 * mail reached this far, none of it may drive that terminal.
	 */
	textsafe_strbuf(out, start, 1);
}

static int starts_line(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

int notes_is_ours(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int matched_by = 0, link = 0, posted_as = starts_line(text, len, "Posted-as: ");

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!n)
			break;
		if (n == strlen(NOTES_TRAILER) && starts_line(p, n, NOTES_TRAILER))
			return 1;
		matched_by |= starts_line(p, n, "Matched-by: ");
		link |= starts_line(p, n, "Link: ");
		p += n + 1;
	}
	return posted_as && matched_by && link;
}

char *notes_ref_name(const char *value)
{
	char *ref;

	if (!value || !*value)
		return NULL;
	if (!strncmp(value, "refs/notes/", 11))
		ref = xstrdup(value);
	else if (!strncmp(value, "notes/", 6))
		ref = xstrfmt("refs/%s", value);
	else
		ref = xstrfmt("refs/notes/%s", value);
	if (!git_reference_is_valid_name(ref))
		FREE_AND_NULL(ref);
	return ref;
}

/* --- the notes tree -------------------------------------------------------------- */

/* A note already in the tree: where, and which blob. */
struct existing {
	char *path;
	git_oid blob;
};

static int collect_note(const char *root, const git_tree_entry *entry, void *data)
{
	struct strmap *notes = data;
	struct strbuf path = STRBUF_INIT, key = STRBUF_INIT;
	const char *p;
	struct existing *e;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	strbuf_addf(&path, "%s%s", root, git_tree_entry_name(entry));
	for (p = path.buf; *p; p++)
		if (*p != '/')
			strbuf_addch(&key, (char)tolower((unsigned char)*p));
	/* Anything else in a notes tree is not a note; it stays as it is. */
	if (key.len != GIT_OID_HEXSZ || strspn(key.buf, "0123456789abcdef") != GIT_OID_HEXSZ) {
		strbuf_release(&path);
		strbuf_release(&key);
		return 0;
	}
	e = xcalloc(1, sizeof(*e));
	e->path = strbuf_detach(&path, NULL);
	e->blob = *git_tree_entry_id(entry);
	free(strmap_put(notes, key.buf, e));
	strbuf_release(&key);
	return 0;
}

static void existing_free(void *value)
{
	struct existing *e = value;

	free(e->path);
	free(e);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * git's fan-out, for keys[lo, hi) (sorted, sharing their first n hex
 * digits): git keeps notes in a 16-way trie and, writing the tree, adds
 * a directory level below every even depth at which all 16 branches
 * hold at least two notes.  fanout[i] receives key i's number of levels.
 */
static void fanout_of(const char *const *keys, unsigned char *fanout, size_t lo, size_t hi,
		      unsigned n, unsigned char f)
{
	size_t start[17], i;
	unsigned d, full = 1;

	if (hi - lo == 1 || n >= GIT_OID_HEXSZ) {
		for (i = lo; i < hi; i++)
			fanout[i] = f;
		return;
	}
	for (d = 0, i = lo; d < 16; d++) {
		start[d] = i;
		while (i < hi && (unsigned)(isdigit((unsigned char)keys[i][n])
						    ? keys[i][n] - '0'
						    : keys[i][n] - 'a' + 10) == d)
			i++;
	}
	start[16] = hi;
	for (d = 0; d < 16; d++)
		if (start[d + 1] - start[d] < 2)
			full = 0;
	if (n % 2 == 0 && n <= 2u * f && full)
		f++;
	for (d = 0; d < 16; d++)
		if (start[d + 1] > start[d])
			fanout_of(keys, fanout, start[d], start[d + 1], n + 1, f);
}

static char *fanout_path(const char *key, unsigned char fanout)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned i;

	for (i = 0; i < fanout; i++)
		strbuf_addf(&sb, "%.2s/", key + 2 * i);
	strbuf_addstr(&sb, key + 2 * fanout);
	return strbuf_detach(&sb, NULL);
}

struct plan {
	git_tree_update *updates;
	size_t nr, alloc;
	char **paths;		/* owned copies of the update paths */
	size_t paths_nr, paths_alloc;
};

static void plan_add(struct plan *plan, git_tree_update_t action, const git_oid *blob,
		     char *path)
{
	git_tree_update *u;

	ALLOC_GROW(plan->paths, plan->paths_nr + 1, plan->paths_alloc);
	plan->paths[plan->paths_nr++] = path;
	ALLOC_GROW(plan->updates, plan->nr + 1, plan->alloc);
	u = &plan->updates[plan->nr++];
	memset(u, 0, sizeof(*u));
	u->action = action;
	if (blob)
		u->id = *blob;
	u->filemode = GIT_FILEMODE_BLOB;
	u->path = path;
}

static void plan_release(struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->paths_nr; i++)
		free(plan->paths[i]);
	free(plan->paths);
	free(plan->updates);
	memset(plan, 0, sizeof(*plan));
}

/*
 * What to change in a tree holding existing notes so that it holds the
 * updates too, every note at git's fan-out path.  Sets each update's state.
 */
/* Whether the note in blob id is one we wrote; an unreadable one is not. */
static int blob_is_ours(git_repository *repo, const git_oid *id)
{
	git_blob *blob;
	int ours;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return 0;
	ours = notes_is_ours(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return ours;
}

static void plan_tree(struct plan *plan, struct notes_result *res, struct strmap *existing,
		      struct notes_update *updates, const git_oid *blobs, size_t nr,
		      git_repository *repo, int force)
{
	struct strmap wanted = STRMAP_INIT_DUP;	/* key -> blob (new or kept) */
	const char **keys;
	unsigned char *fanout;
	size_t i = 0, n = 0;
	const char *key;
	void *value;
	char hex[GIT_OID_HEXSZ + 1];

	for (i = 0; i < nr; i++) {
		struct existing *e;

		git_oid_tostr(hex, sizeof(hex), &updates[i].commit);
		e = strmap_get(existing, hex);
		if (!e)
			updates[i].state = NOTES_ADDED;
		else if (git_oid_equal(&e->blob, &blobs[i]))
			updates[i].state = NOTES_UNCHANGED;
		else if (!force && !blob_is_ours(repo, &e->blob))
			updates[i].state = NOTES_FOREIGN;
		else
			updates[i].state = NOTES_UPDATED;
		/* A foreign note is left as it is, by the loop below. */
		if (updates[i].state != NOTES_FOREIGN)
			strmap_put(&wanted, hex, (void *)&blobs[i]);
	}
	for (i = 0; i < nr; i++) {
		res->added += updates[i].state == NOTES_ADDED;
		res->updated += updates[i].state == NOTES_UPDATED;
		res->unchanged += updates[i].state == NOTES_UNCHANGED;
		res->foreign += updates[i].state == NOTES_FOREIGN;
	}
	i = 0;
	while (strmap_next(existing, &i, &key, &value))
		if (!strmap_get(&wanted, key))
			strmap_put(&wanted, key, &((struct existing *)value)->blob);

	ALLOC_ARRAY(keys, wanted.nr ? wanted.nr : 1);
	CALLOC_ARRAY(fanout, wanted.nr ? wanted.nr : 1);
	i = 0;
	while (strmap_next(&wanted, &i, &key, &value))
		keys[n++] = key;
	QSORT(keys, n, cmp_str);
	if (n)
		fanout_of(keys, fanout, 0, n, 0, 0);
	for (i = 0; i < n; i++) {
		const git_oid *blob = strmap_get(&wanted, keys[i]);
		struct existing *e = strmap_get(existing, keys[i]);
		char *path = fanout_path(keys[i], fanout[i]);

		if (e && !strcmp(e->path, path) && git_oid_equal(&e->blob, blob)) {
			free(path);
			continue;
		}
		if (e && strcmp(e->path, path))
			plan_add(plan, GIT_TREE_UPDATE_REMOVE, NULL, xstrdup(e->path));
		plan_add(plan, GIT_TREE_UPDATE_UPSERT, blob, path);
	}
	free(keys);
	free(fanout);
	strmap_clear(&wanted);
}

/* --- writing ------------------------------------------------------------------------ */

/*
 * New objects (thousands of note blobs, a few hundred trees, a commit)
 * are kept in memory and written as one pack: a loose file each cost
 * more than everything else together.  They go through a handle of
 * their own, so that nothing else written in this process lands in the
 * in-memory store.
 */
struct object_writer {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *mempack;	/* owned by odb once added */
	char *tmpdir;			/* where the pack is built; NULL: no cache */
};

/*
 * Looking for deltas among thousands of small notes took three quarters
 * of the writing (git gc compresses them later).  libgit2 has no switch
 * for it but its configuration, so the writer's handle reads one of its
 * own, kept in our cache directory; without it the pack just has deltas.
 */
static void writer_without_deltas(struct object_writer *w, git_repository *repo)
{
	static const char text[] = "# git-bpfdigest: no delta search in the notes pack\n"
				   "[pack]\n\tbigFileThreshold = 1\n\tdeltaCacheSize = 1\n";
	char *dir = repo_cache_dir(repo), *path;
	git_config *cfg = NULL;
	FILE *f;
	int written;

	if (!dir)
		return;
	path = xstrfmt("%s/notes-pack.config", dir);
	f = fopen(path, "w");
	/* fclose() once, whether or not it fails (a full disk fails it). */
	written = f && fputs(text, f) >= 0;
	if (f && fclose(f))
		written = 0;
	if (written && !git_config_new(&cfg) &&
	    !git_config_add_file_ondisk(cfg, path, GIT_CONFIG_LEVEL_APP, w->repo, 0))
		git_repository_set_config(w->repo, cfg);
	git_config_free(cfg);
	free(path);
	free(dir);
}

static int make_signature(git_signature **out, git_repository *repo);

static int writer_open(struct object_writer *w, git_repository *repo)
{
	memset(w, 0, sizeof(*w));
	if (git_repository_open_ext(&w->repo, git_repository_path(repo),
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&w->odb, w->repo) < 0 || git_mempack_new(&w->mempack) < 0)
		return error("cannot prepare to write notes: %s", git_message());
	writer_without_deltas(w, repo);
	/* Its configuration is ours alone: the reflog names the user all the same. */
	{
		git_signature *sig;

		if (!make_signature(&sig, repo)) {
			git_repository_set_ident(w->repo, sig->name, sig->email);
			git_signature_free(sig);
		}
	}
	{
		/* One per writer: threads of a process may write at once. */
		static atomic_uint writers;
		char *dir = repo_cache_dir(repo);

		if (dir)
			w->tmpdir = xstrfmt("%s/notes-pack-%u.tmp-%ld", dir,
					    atomic_fetch_add(&writers, 1), (long)getpid());
		free(dir);
	}
	/* The highest priority: new objects are written here. */
	if (git_odb_add_backend(w->odb, w->mempack, 1000) < 0) {
		w->mempack->free(w->mempack);
		w->mempack = NULL;
		return error("cannot prepare to write notes: %s", git_message());
	}
	return 0;
}

/*
 * Index pack (the bytes of a whole pack) in w->tmpdir and move the pack
 * and its index into objects/pack/, the pack first as git does: a
 * reader that sees the index finds its pack.
 */
static int install_pack(struct object_writer *w, const git_buf *pack)
{
	git_indexer *idx = NULL;
	git_indexer_progress stats;
	char *from = NULL, *to = NULL;
	const char *ext[] = { "pack", "idx" };
	size_t i;
	int ret = -1;

	errno = 0;
	git_error_clear();
	if (mkdir(w->tmpdir, 0777) < 0 && errno != EEXIST) {
		error_errno("cannot write the notes objects: cannot create '%s'", w->tmpdir);
		goto out;
	}
	if (git_indexer_new(&idx, w->tmpdir, 0, NULL, NULL) < 0 ||
	    git_indexer_append(idx, pack->ptr, pack->size, &stats) < 0 ||
	    git_indexer_commit(idx, &stats) < 0) {
		error("cannot write the notes objects in '%s': %s", w->tmpdir, git_message());
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		free(from);
		free(to);
		from = xstrfmt("%s/pack-%s.%s", w->tmpdir, git_indexer_name(idx), ext[i]);
		to = xstrfmt("%sobjects/pack/pack-%s.%s", git_repository_commondir(w->repo),
			     git_indexer_name(idx), ext[i]);
		if (rename(from, to) < 0) {
			error_errno("cannot write the notes objects: cannot rename '%s' to '%s'",
				    from, to);
			goto out;
		}
	}
	if (git_odb_refresh(w->odb) < 0) {
		error("cannot read the notes objects back: %s", git_message());
		goto out;
	}
	ret = 0;
out:
	git_indexer_free(idx);
	/* What is left is ours: the next run removes it if this one cannot. */
	repo_remove_temporary(w->tmpdir);
	free(from);
	free(to);
	return ret;
}

/*
 * Write what is in memory to the repository as one pack.  It is built
 * in a directory of our cache, not objects/pack/ (as git_odb_write_pack()
 * would): a run killed meanwhile leaves nothing there that git calls
 * garbage, and a later run removes what it left in the cache.
 */
static int writer_flush(struct object_writer *w)
{
	git_buf pack = GIT_BUF_INIT;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	int ret = -1;

	errno = 0;
	if (git_mempack_dump(&pack, w->repo, w->mempack) < 0) {
		error("cannot write the notes objects: %s", git_message());
		goto out;
	}
	if (w->tmpdir) {
		if (install_pack(w, &pack) < 0)
			goto out;
	} else if (git_odb_write_pack(&wp, w->odb, NULL, NULL) < 0 ||
		   wp->append(wp, pack.ptr, pack.size, &stats) < 0 || wp->commit(wp, &stats) < 0) {
		/* No cache directory to build it in: git's way. */
		error("cannot write the notes objects: %s", git_message());
		goto out;
	}
	ret = git_mempack_reset(w->mempack);
out:
	if (wp)
		wp->free(wp);
	git_buf_dispose(&pack);
	return ret;
}

static void writer_close(struct object_writer *w)
{
	free(w->tmpdir);
	git_odb_free(w->odb);
	git_repository_free(w->repo);
}

static int make_signature(git_signature **out, git_repository *repo)
{
	const char *name = getenv("GIT_COMMITTER_NAME"), *email = getenv("GIT_COMMITTER_EMAIL");
	git_signature *def = NULL;
	int ret;

	if (git_signature_default(&def, repo) < 0)
		def = NULL;
	if (!name || !*name)
		name = def ? def->name : "git-bpfdigest";
	if (!email || !*email)
		email = def ? def->email : "git-bpfdigest@localhost";
	ret = git_signature_now(out, name, email);
	git_signature_free(def);
	return ret;
}

static int hash_blobs(git_oid *blobs, git_repository *repo, const struct notes_update *updates,
		      size_t nr, int dry_run)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const char *t = updates[i].text;
		int err = dry_run ? git_odb_hash(&blobs[i], t, strlen(t), GIT_OBJECT_BLOB)
				  : git_blob_create_from_buffer(&blobs[i], repo, t, strlen(t));

		if (err < 0)
			return error("cannot write a note: %s", git_message());
	}
	return 0;
}

/* The notes ref's tip (NULL when it does not exist yet) and its tree. */
static int read_tip(git_commit **tip, git_tree **tree, git_repository *repo, const char *ref)
{
	git_oid id;
	int err;

	*tip = NULL;
	*tree = NULL;
	err = git_reference_name_to_id(&id, repo, ref);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0 || git_commit_lookup(tip, repo, &id) < 0 || git_commit_tree(tree, *tip) < 0)
		return error("cannot read '%s': %s", ref, git_message());
	return 0;
}

/*
 * libgit2 appends to the reflog before it moves the ref: when the move
 * fails (a full disk), the log says the ref moved to commit.  Take that
 * line back, unless the ref did move after all.
 */
static void unlog_failed_update(git_repository *repo, const char *ref, const git_oid *commit)
{
	git_reflog *log = NULL;
	const git_reflog_entry *last;
	git_oid now;

	if (!git_reference_name_to_id(&now, repo, ref) && git_oid_equal(&now, commit))
		return;
	if (git_reflog_read(&log, repo, ref) < 0)
		goto out;
	last = git_reflog_entry_byindex(log, 0);
	if (last && git_oid_equal(git_reflog_entry_id_new(last), commit) &&
	    (git_reflog_drop(log, 0, 1) < 0 || git_reflog_write(log) < 0))
		warning("the reflog of '%s' says it moved to %s, which it did not",
			ref, git_oid_tostr_s(commit));
out:
	git_reflog_free(log);
}

/* One attempt: 0 done, 1 the ref moved under us (try again), -1 error. */
static int write_once(struct notes_result *res, struct object_writer *writer,
		      git_repository *repo, git_repository *main, const char *ref,
		      struct notes_update *updates, const git_oid *blobs, size_t nr,
		      const char *message, int flags)
{
	int dry_run = flags & NOTES_DRY_RUN;
	struct strmap existing = STRMAP_INIT_DUP;
	struct plan plan = { NULL, 0, 0, NULL, 0, 0 };
	git_commit *tip = NULL;
	git_tree *tree = NULL, *new_tree = NULL;
	git_signature *sig = NULL;
	git_reference *moved = NULL;
	git_oid tree_id, none;
	const git_commit *parents[1];
	int ret = -1, err;

	res->added = res->updated = res->unchanged = res->foreign = 0;
	if (read_tip(&tip, &tree, repo, ref) < 0)
		goto out;
	if (tree && git_tree_walk(tree, GIT_TREEWALK_PRE, collect_note, &existing) < 0) {
		error("cannot read the notes in '%s': %s", ref, git_message());
		goto out;
	}
	plan_tree(&plan, res, &existing, updates, blobs, nr, repo, flags & NOTES_FORCE);
	if (!plan.nr || dry_run) {
		ret = 0;
		goto out;
	}
	if (git_tree_create_updated(&tree_id, repo, tree, plan.nr, plan.updates) < 0 ||
	    git_tree_lookup(&new_tree, repo, &tree_id) < 0 || make_signature(&sig, main) < 0) {
		error("cannot build the notes tree: %s", git_message());
		goto out;
	}
	parents[0] = tip;
	if (git_commit_create(&res->commit, repo, NULL, sig, sig, NULL, message, new_tree,
			      tip ? 1 : 0, parents) < 0) {
		error("cannot commit the notes: %s", git_message());
		goto out;
	}
	/* Every object on disk before the ref names them. */
	if (writer && writer_flush(writer) < 0)
		goto out;
	test_delay(res->attempts);
	/*
	 * Compared under the ref's lock with what it was: with the tip read,
	 * or with the zero id when there was none.  (Without force, libgit2
	 * checks that the ref is absent before it takes the lock: two
	 * writers creating it at once would both succeed, one lost.)
	 */
	git_oid_fromstr(&none, "0000000000000000000000000000000000000000");
	err = git_reference_create_matching(&moved, repo, ref, &res->commit, 1,
					    tip ? git_commit_id(tip) : &none, message);
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ELOCKED) {
		res->locked = err == GIT_ELOCKED;
		ret = 1;
		goto out;
	}
	if (err < 0) {
		error("cannot update '%s': %s", ref, git_message());
		unlog_failed_update(repo, ref, &res->commit);
		goto out;
	}
	res->committed = 1;
	ret = 0;
out:
	git_reference_free(moved);
	git_signature_free(sig);
	git_tree_free(new_tree);
	git_tree_free(tree);
	git_commit_free(tip);
	plan_release(&plan);
	strmap_clear_values(&existing, existing_free);
	return ret;
}

/* A short, growing, varied pause before trying again. */
static void back_off(size_t attempt)
{
	struct timespec ts;

	ts.tv_sec = 0;
	ts.tv_nsec = (long)((attempt < 20 ? attempt : 20) * 1000000L +
			    (rand() % 1000) * 1000L);
	nanosleep(&ts, NULL);
}

int notes_write(struct notes_result *res, git_repository *repo, const char *ref,
		struct notes_update *updates, size_t nr, const char *message, int flags)
{
	int dry_run = flags & NOTES_DRY_RUN;
	struct object_writer writer;
	git_repository *objects = repo;
	git_oid *blobs;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	memset(&writer, 0, sizeof(writer));
	CALLOC_ARRAY(blobs, nr ? nr : 1);
	if (!dry_run) {
		if (writer_open(&writer, repo) < 0)
			goto out;
		objects = writer.repo;
	}
	if (hash_blobs(blobs, objects, updates, nr, dry_run) < 0)
		goto out;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	for (res->attempts = 1; res->attempts <= MAX_ATTEMPTS; res->attempts++) {
		ret = write_once(res, dry_run ? NULL : &writer, objects, repo, ref, updates, blobs,
				 nr, message, flags);
		if (ret <= 0)
			goto out;
		back_off(res->attempts);
	}
	/* A lock left by a writer that died (git leaves those to the user too). */
	if (res->locked)
		ret = error("cannot lock '%s': '%s%s.lock' exists; if no other git is running, "
			    "remove it", ref, git_repository_commondir(repo), ref);
	else
		ret = error("cannot update '%s': other writers kept moving it", ref);
out:
	writer_close(&writer);
	free(blobs);
	return ret;
}
