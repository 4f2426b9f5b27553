#include "summarizer.h"
#include "command.h"
#include "mail.h"
#include "render-json.h"
#include "series.h"
#include "strbuf.h"
#include "summary.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"
#include "date.h"

#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static json_t *patch_mail(const struct series_patch *p, const char *offline_summary,
			  const char *url, int with_text)
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
		      "offline_summary", offline_summary);
	if (!m || !with_text)
		return m;
	summary_changelog(&changelog, p->mail->notes);
	summary_changelog(&changelog, p->mail->text);
	if (cover) {
		summary_changelog(&changelog, cover->mail->text);
		summary_changelog(&changelog, cover->mail->notes);
	}
	summary_diffstat(&diffstat, p->mail->notes);
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
	add_request(out, SUMMARIZER_TASK, patch_facts(p), patch_mail(p, offline_summary, url, 1));
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

int summarizer_run(struct summarizer *s, struct strbuf *out, const char *input,
		   const char *what)
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
		clean_output(&got);
		if (!got.len)
			strbuf_addstr(&why, "empty output");
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
