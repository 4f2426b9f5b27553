#include "summarizer.h"
#include "changelog.h"
#include "command.h"
#include "mail.h"
#include "prose.h"
#include "render-json.h"
#include "series.h"
#include "strbuf.h"
#include "summary.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"
#include "date.h"
#include "digest.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Splitting ----------------------------------------------------------------- */

void summarizer_free_argv(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **summarizer_split(const char *command)
{
	char **argv = NULL;
	size_t nr = 0, alloc = 0;
	struct strbuf word = STRBUF_INIT;
	const char *p = command;

	for (;;) {
		int in_word = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		strbuf_reset(&word);
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			in_word = 1;
			if (*p == '\'') {
				const char *e = strchr(p + 1, '\'');

				if (!e)
					goto unterminated;
				strbuf_add(&word, p + 1, (size_t)(e - p - 1));
				p = e + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					strbuf_addch(&word, *p++);
				}
				if (!*p)
					goto unterminated;
				p++;
			} else if (*p == '\\' && p[1]) {
				strbuf_addch(&word, p[1]);
				p += 2;
			} else {
				strbuf_addch(&word, *p++);
			}
		}
		if (in_word) {
			ALLOC_GROW(argv, nr + 2, alloc);
			argv[nr++] = xstrdup(word.buf);
			argv[nr] = NULL;
		}
	}
	strbuf_release(&word);
	if (!argv)
		CALLOC_ARRAY(argv, 1);
	return argv;

unterminated:
	strbuf_release(&word);
	if (argv)
		argv[nr] = NULL;
	summarizer_free_argv(argv);
	return NULL;
}

int summarizer_init(struct summarizer *s, const char *command, long timeout,
		    const char *cache_dir)
{
	memset(s, 0, sizeof(*s));
	if (command[0] == '!') {
		CALLOC_ARRAY(s->argv, 4);
		s->argv[0] = xstrdup("/bin/sh");
		s->argv[1] = xstrdup("-c");
		s->argv[2] = xstrdup(command + 1);
	} else {
		s->argv = summarizer_split(command);
		if (!s->argv)
			return error("cannot split summarizer command '%s': unterminated quote",
				     command);
	}
	if (!s->argv[0] || !*s->argv[0]) {
		summarizer_free_argv(s->argv);
		s->argv = NULL;
		return error("empty summarizer command '%s'", command);
	}
	s->command = xstrdup(command);
	s->timeout_ms = (timeout > 0 ? timeout : SUMMARIZER_DEFAULT_TIMEOUT) * 1000L;
	s->cache_dir = xstrdup_or_null(cache_dir);
	return 0;
}

void summarizer_release(struct summarizer *s)
{
	summarizer_free_argv(s->argv);
	free(s->command);
	free(s->cache_dir);
	memset(s, 0, sizeof(*s));
}

/* Input --------------------------------------------------------------------- */

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/*
 * What we computed about p: numbers, booleans and a date we formatted.
 * No string here comes from mail, so none can carry instructions.
 */
static json_t *patch_facts(const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;
	char date[DATE_ISO_SIZE];

	date_format_iso(date, mail_period_time(p->mail));
	return json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:b, s:b, s:b}, s:I, s:I, s:I}",
			 "date", date,
			 "series",
			 "version", (json_int_t)rev->version,
			 "total", (json_int_t)rev->total,
			 "position", (json_int_t)p->subject.position,
			 "revisions", (json_int_t)rev->series->revisions_nr,
			 "rfc", !!(rev->flags & REVISION_RFC),
			 "resend", !!(rev->flags & REVISION_RESEND),
			 "pull", !!(rev->flags & REVISION_PULL),
			 "reviews", (json_int_t)p->reviews_nr,
			 "replies", (json_int_t)p->human_replies,
			 "files", (json_int_t)p->mail->paths_nr);
}

/*
 * Every string about p that came from mail, fenced: its title, subject,
 * Message-ID (and the URL made of it), author and reviewer names and
 * addresses, paths, the series as the JSON digest shows it (titles,
 * tree), the offline summary (made of mail text), and the text itself.
 * NULL when some of it is not UTF-8 (json_pack() refuses it).
 */
static json_t *patch_mail(const struct series_patch *p, const char *summary_key,
			  const char *summary, const char *url, int with_text)
{
	const struct series_patch *cover = p->revision->cover;
	struct strbuf changelog = STRBUF_INIT, diffstat = STRBUF_INIT;
	json_t *reviews = json_array(), *paths = json_array(), *m;
	size_t i;

	for (i = 0; i < p->reviews_nr; i++)
		json_array_append_new(reviews, json_pack("{s:s?, s:s?, s:s?}",
							 "trailer", p->reviews[i].trailer,
							 "name", p->reviews[i].name,
							 "email", p->reviews[i].email));
	for (i = 0; i < p->mail->paths_nr; i++)
		json_array_append_new(paths, json_string(p->mail->paths[i]));
	/* The series as the JSON digest shows it, so that both speak alike. */
	m = json_pack("{s:s?, s:s?, s:s?, s:s?, s:{s:s?, s:s?}, s:o?, s:o, s:o, s:s?}",
		      "title", p->subject.title,
		      "subject", p->mail->subject,
		      "m", p->mail->mid,
		      "url", url,
		      "author", "name", p->mail->from_name, "email", p->mail->from_email,
		      "series", render_json_series(p),
		      "reviews", reviews,
		      "paths", paths,
		      summary_key, summary);
	if (!m || !with_text)
		return m;
	changelog_lines(&changelog, p->mail->notes);
	changelog_lines(&changelog, p->mail->text);
	if (cover) {
		changelog_lines(&changelog, cover->mail->text);
		changelog_lines(&changelog, cover->mail->notes);
	}
	changelog_diffstat(&diffstat, p->mail->notes);
	json_object_set_new(m, "commit_message", text_or_null(p->mail->text));
	json_object_set_new(m, "cover_letter",
			    text_or_null(cover && cover != p ? cover->mail->text : NULL));
	json_object_set_new(m, "changelog", text_or_null(changelog.buf));
	json_object_set_new(m, "diffstat", text_or_null(diffstat.buf));
	strbuf_release(&changelog);
	strbuf_release(&diffstat);
	return m;
}

/* {version, task, untrusted, facts, mail} as pretty JSON, to out. */
static void add_request(struct strbuf *out, const char *task, json_t *facts, json_t *mail)
{
	json_t *root;
	char *text;

	/* Text that is not UTF-8 makes json_pack() fail: send the facts alone. */
	root = json_pack("{s:i, s:s, s:s, s:o, s:o}", "version", SUMMARIZER_INPUT_VERSION,
			 "task", task, "untrusted", SUMMARIZER_UNTRUSTED,
			 "facts", facts ? facts : json_object(),
			 "mail", mail ? mail : json_object());
	text = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
	if (text)
		strbuf_addf(out, "%s\n", text);
	free(text);
	json_decref(root);
}

void summarizer_input(struct strbuf *out, const struct series_patch *p,
		      const char *offline_summary, const char *url)
{
	add_request(out, SUMMARIZER_TASK, patch_facts(p),
		    patch_mail(p, "offline_summary", offline_summary, url, 1));
}

/*
 * One line of safe text (textsafe.h): whitespace runs (newlines too)
 * become one space; controls go.
 */
static void clean_output(struct strbuf *sb)
{
	size_t r, w = 0;
	int space = 0;

	textsafe_strbuf(sb, 0, 1);

	for (r = 0; r < sb->len; r++) {
		unsigned char c = (unsigned char)sb->buf[r];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = w > 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (space)
			sb->buf[w++] = ' ';
		space = 0;
		sb->buf[w++] = (char)c;
	}
	strbuf_setlen(sb, w);
}

/* Checking a reply ---------------------------------------------------------- */

/* A line that is markdown's, not prose: heading, quote, fence, list, rule. */
static int markdown_line(const char *line, size_t len)
{
	size_t i = 0, j;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	line += i;
	len -= i;
	if (!len)
		return 0;
	if (line[0] == '#' || line[0] == '>' || line[0] == '|' ||
	    (len >= 3 && (!strncmp(line, "```", 3) || !strncmp(line, "~~~", 3))))
		return 1;
	if (len >= 2 && line[0] && strchr("-*+", line[0]) && line[1] == ' ')
		return 1;
	for (j = 0; j < len && isdigit((unsigned char)line[j]); j++)
		;
	if (j && j + 1 < len && (line[j] == '.' || line[j] == ')') && line[j + 1] == ' ')
		return 1;
	/* An underline (=== or ---) or a rule. */
	for (j = 0; j < len && (line[j] == '=' || line[j] == '-' || line[j] == ' '); j++)
		;
	return j == len && len >= 3;
}

static const char *markdown_in(const char *text, size_t len)
{
	static const char *const inline_marks[] = { "**", "`", "](", "~~" };
	size_t i;

	for (i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (markdown_line(text + i, end - i))
			return "a markdown heading, list, quote or code block";
		i = end + 1;
	}
	for (i = 0; i < ARRAY_SIZE(inline_marks); i++)
		if (memmem(text, len, inline_marks[i], strlen(inline_marks[i])))
			return "markdown emphasis, code or links";
	return NULL;
}

/* Words of a title that say nothing of this patch in particular. */
static int generic_word(const char *w)
{
	static const char *const words[] = {
		"about", "across", "add", "adds", "after", "allow", "also", "avoid", "before",
		"being", "been", "change", "check", "clean", "cleanup", "convert", "does",
		"drop", "each", "enable", "disable", "fix", "fixes", "from", "handle", "have",
		"implement", "instead", "into", "introduce", "just", "make", "more", "move",
		"only", "other", "over", "patch", "refactor", "remove", "rename", "replace",
		"rework", "same", "series", "should", "some", "support", "that", "than",
		"their", "them", "then", "there", "these", "they", "this", "those", "under",
		"update", "use", "using", "when", "where", "which", "while", "with", "within",
		"without", "would",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(w, words[i]))
			return 1;
	return 0;
}

/* The title without its "subsystem: " prefix ("bpf, arm64: "). */
static const char *title_topic(const char *title)
{
	const char *colon = strstr(title, ": "), *p;

	if (!colon)
		return title;
	for (p = title; p < colon; p++)
		if (*p == ' ' && (p == title || p[-1] != ','))
			return title;
	return colon + 2;
}

static int has_word_ci(const char *text, const char *stem)
{
	size_t n = strlen(stem);
	const char *p;

	for (p = text; *p; p++)
		if (!strncasecmp(p, stem, n))
			return 1;
	return 0;
}

/*
 * Whether text names what title does: every identifier of the title (a
 * word with '_' or before "()": btf_dump, BPF_PROG_QUERY) as it is
 * written, and at least one of its other words (four letters or more,
 * not a generic one; "maps" is found in "maps", "widget" in "widgets").
 * With loose, any one of them is enough.  The first missing is in why.
 */
static int names_title(const char *text, const char *title, int loose, struct strbuf *why)
{
	const char *p = title_topic(title);
	int words = 0, found = 0, ids = 0, ids_found = 0;
	struct strbuf missing = STRBUF_INIT, tok = STRBUF_INIT;

	while (*p) {
		int ident = 0;
		size_t i;

		while (*p && !isalnum((unsigned char)*p) && *p != '_')
			p++;
		strbuf_reset(&tok);
		while (*p && (isalnum((unsigned char)*p) || *p == '_'))
			strbuf_addch(&tok, *p++);
		if (tok.len < 3)
			continue;
		ident = strchr(tok.buf, '_') || (p[0] == '(' && p[1] == ')');
		if (ident) {
			ids++;
			if (strstr(text, tok.buf))
				ids_found++;
			else if (!missing.len)
				strbuf_addstr(&missing, tok.buf);
			continue;
		}
		for (i = 0; i < tok.len; i++)
			if (!isalpha((unsigned char)tok.buf[i]))
				break;
		if (i < tok.len || tok.len < 4)
			continue;
		for (i = 0; i < tok.len; i++)
			tok.buf[i] = (char)tolower((unsigned char)tok.buf[i]);
		if (generic_word(tok.buf))
			continue;
		words++;
		/* A stem: "exclusive" is in "exclusivity", "maps" in "maps". */
		if (tok.len > 5)
			strbuf_setlen(&tok, tok.len - 2);
		if (has_word_ci(text, tok.buf))
			found++;
	}
	strbuf_release(&tok);
	if (loose ? (ids + words && !ids_found && !found) : (ids_found < ids || (words && !found))) {
		if (missing.len && !loose)
			strbuf_addf(why, "it does not name '%s' of the title '%s'", missing.buf, title);
		else
			strbuf_addf(why, "it names nothing of the title '%s'", title);
		strbuf_release(&missing);
		return 0;
	}
	strbuf_release(&missing);
	return 1;
}

/* Characters, not bytes, of UTF-8 text: those that do not continue one. */
static size_t utf8_chars(const struct strbuf *sb)
{
	size_t i, n = 0;

	for (i = 0; i < sb->len; i++)
		n += ((unsigned char)sb->buf[i] & 0xc0) != 0x80;
	return n;
}

int summarizer_check(struct strbuf *why, const char *reply, size_t len,
		     const struct summarizer_expect *e)
{
	struct strbuf text = STRBUF_INIT;
	const char *md = markdown_in(reply, len);
	size_t chars;
	int ok = 0;

	strbuf_add(&text, reply, len);
	clean_output(&text);
	chars = utf8_chars(&text);
	if (!text.len)
		strbuf_addstr(why, "empty output");
	else if (md)
		strbuf_addf(why, "%s, not plain text", md);
	else if (e && chars > e->max_chars)
		strbuf_addf(why, "%zu characters, more than %zu", chars, e->max_chars);
	else if (e && e->title && !names_title(text.buf, e->title, e->loose, why)) {
		/* The series title will do for the other (loose). */
		if (e->alt_title && e->loose) {
			strbuf_reset(why);
			ok = names_title(text.buf, e->alt_title, 1, why);
		}
	} else {
		ok = 1;
	}
	strbuf_release(&text);
	return ok ? 0 : -1;
}

/* <cache>/summaries/<40 hex of command and input> */
static char *cache_path(const struct summarizer *s, const char *input)
{
	struct strbuf key = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;

	strbuf_addstr(&key, s->command);
	strbuf_addch(&key, '\0');
	strbuf_addstr(&key, input);
	git_odb_hash(&oid, key.buf, key.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	strbuf_release(&key);
	return xstrfmt("%s/summaries/%s", s->cache_dir, hex);
}

/*
 * A cache entry is a header line naming the format and the hash of the
 * summary, then the summary: a file cut short or garbled (a full disk,
 * a crash, a hand edit) does not match its hash, and is not used.
 */
#define CACHE_ENTRY_MAGIC "bpfdigest-summary 1 "

static void entry_hash(char hex[GIT_OID_HEXSZ + 1], const char *summary, size_t len)
{
	git_oid oid;

	git_odb_hash(&oid, summary, len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &oid);
}

/*
 * The summary of a cache entry (its file's contents) appended to out:
 * 0, or -1 when the entry is damaged.
 */
static int cache_entry_parse(struct strbuf *out, const struct strbuf *file)
{
	const size_t mlen = strlen(CACHE_ENTRY_MAGIC), hlen = mlen + GIT_OID_HEXSZ + 1;
	char hex[GIT_OID_HEXSZ + 1];
	const char *text;
	size_t len;

	if (file->len < hlen + 2 || memcmp(file->buf, CACHE_ENTRY_MAGIC, mlen) ||
	    file->buf[hlen - 1] != '\n' || file->buf[file->len - 1] != '\n')
		return -1;
	text = file->buf + hlen;
	len = file->len - hlen - 1;
	entry_hash(hex, text, len);
	if (memcmp(hex, file->buf + mlen, GIT_OID_HEXSZ) || !textsafe_is_safe(text, len, 0))
		return -1;
	strbuf_add(out, text, len);
	return 0;
}

static void cache_store(const char *path, const char *dir, const struct strbuf *summary)
{
	struct strbuf entry = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		warning("cannot create directory '%s': %s", dir, strerror(errno));
		return;
	}
	entry_hash(hex, summary->buf, summary->len);
	strbuf_addf(&entry, "%s%s\n", CACHE_ENTRY_MAGIC, hex);
	strbuf_add(&entry, summary->buf, summary->len);
	strbuf_addch(&entry, '\n');
	/* Whole or not at all: a reader never sees half an entry. */
	if (strbuf_write_file_atomic(&entry, path) < 0)
		warning("cannot write '%s': %s", path, strerror(errno));
	strbuf_release(&entry);
}

int summarizer_run_checked(struct summarizer *s, struct strbuf *out, const char *input,
			   const char *what, const struct summarizer_expect *e)
{
	struct strbuf got = STRBUF_INIT, why = STRBUF_INIT;
	char *path = s->cache_dir ? cache_path(s, input) : NULL;
	enum command_result r;
	int ret = -1;

	if (path && strbuf_read_file(&got, path) >= 0) {
		if (!cache_entry_parse(out, &got)) {
			s->cached++;
			ret = 0;
			goto out;
		}
		warning("the cached summary '%s' is damaged; running the summarizer again", path);
		unlink(path);
	}
	strbuf_reset(&got);
	s->runs++;
	r = command_run(&got, s->argv, input, strlen(input), SUMMARIZER_MAX_OUTPUT,
			s->timeout_ms, &why);
	switch (r) {
	case COMMAND_TIMEOUT:
		strbuf_addf(&why, "no answer within %ld s", s->timeout_ms / 1000);
		break;
	case COMMAND_TOO_LONG:
		strbuf_addf(&why, "more than %d bytes of output", SUMMARIZER_MAX_OUTPUT);
		break;
	case COMMAND_FAILED:
		break;
	case COMMAND_OK:
		if (!summarizer_check(&why, got.buf, got.len, e))
			clean_output(&got);
		break;
	}
	if (why.len) {
		s->failures++;
		warning("summarizer '%s' failed for %s: %s; using the offline summary",
			s->command, what, why.buf);
		goto out;
	}
	if (path) {
		char *dir = xstrfmt("%s/summaries", s->cache_dir);

		cache_store(path, dir, &got);
		free(dir);
	}
	strbuf_addbuf(out, &got);
	ret = 0;
out:
	free(path);
	strbuf_release(&got);
	strbuf_release(&why);
	return ret;
}

int summarizer_run(struct summarizer *s, struct strbuf *out, const char *input,
		   const char *what)
{
	return summarizer_run_checked(s, out, input, what, NULL);
}

void summarizer_overview_input(struct strbuf *out, const struct digest *d)
{
	static const char *const kinds[] = { "daily", "weekly", "monthly", "range" };
	struct strbuf when = STRBUF_INIT;
	char start[DATE_ISO_SIZE], end[DATE_ISO_SIZE];
	json_t *facts_entries = json_array(), *mail_entries = json_array(), *facts, *mail;
	size_t i;

	for (i = 0; i < d->entries_nr; i++) {
		const struct digest_entry *e = &d->entries[i];
		json_t *f = patch_facts(e->patch), *m;

		json_object_set_new(f, "status", json_string(e->applied && e->applied->nr ? "applied" :
							     e->superseded_by ? "superseded" : "posted"));
		json_array_append_new(facts_entries, f);
		m = patch_mail(e->patch, "summary", e->summary, e->url, 0);
		json_array_append_new(mail_entries, m ? m : json_null());
	}
	/* period_describe() is made of our dates, not of mail. */
	period_describe(&when, &d->period);
	date_format_iso(start, d->period.start);
	date_format_iso(end, d->period.end);
	facts = json_pack("{s:{s:s, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I}, s:o}",
			  "period", "kind", kinds[d->period.kind], "start", start, "end", end,
			  "described", when.buf,
			  "stats", "messages", (json_int_t)d->messages,
			  "patches", (json_int_t)d->patches, "series", (json_int_t)d->series,
			  "authors", (json_int_t)d->authors, "applied", (json_int_t)d->applied,
			  "entries", facts_entries);
	mail = json_pack("{s:s?, s:s?, s:o}", "list", d->list, "offline_overview", d->overview,
			 "entries", mail_entries);
	add_request(out, SUMMARIZER_OVERVIEW_TASK, facts, mail);
	strbuf_release(&when);
}

int summarizer_patch(struct summarizer *s, struct strbuf *summary,
		     const struct series_patch *p, const char *url)
{
	const struct summarizer_expect e = { SUMMARIZER_MAX_SUMMARY, p->subject.title, NULL, 0 };
	struct strbuf input = STRBUF_INIT, got = STRBUF_INIT;
	int ret;

	summarizer_input(&input, p, summary->buf, url);
	ret = summarizer_run_checked(s, &got, input.buf, p->mail->mid, &e);
	if (!ret) {
		strbuf_reset(summary);
		strbuf_addbuf(summary, &got);
	}
	strbuf_release(&input);
	strbuf_release(&got);
	return ret;
}

int summarizer_overview(struct summarizer *s, struct digest *d)
{
	struct strbuf input = STRBUF_INIT, got = STRBUF_INIT;
	struct summarizer_expect e = { SUMMARIZER_MAX_OVERVIEW, NULL, NULL, 1 };
	int ret;

	if (!d->entries_nr)
		return -1;
	/* It must name the series that leads, as the offline overview does. */
	e.title = d->entries[0].patch->subject.title;
	e.alt_title = d->entries[0].patch->revision->series->title;
	summarizer_overview_input(&input, d);
	ret = summarizer_run_checked(s, &got, input.buf, "the overview", &e);
	if (!ret) {
		free(d->overview);
		d->overview = strbuf_detach(&got, NULL);
	}
	strbuf_release(&input);
	strbuf_release(&got);
	return ret;
}
