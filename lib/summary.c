#include "summary.h"
#include "mail.h"
#include "series.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Sentences in a summary, from the source text (the place sentence is extra). */
#define MAX_SOURCE_SENTENCES 3

static int starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && !strncasecmp(s, prefix, plen);
}

/* Lines that are not prose: quotes, URLs, trailers, changelog headers, code. */
static int is_noise_line(const char *l, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)l[i]))
		i++;
	l += i;
	len -= i;
	if (!len)
		return 0;
	if (l[0] == '>' || l[0] == '[' || l[0] == '|')
		return 1;
	if (starts_with_ci(l, len, "http://") || starts_with_ci(l, len, "https://") ||
	    starts_with_ci(l, len, "link:") || starts_with_ci(l, len, "closes:") ||
	    starts_with_ci(l, len, "fixes:") || starts_with_ci(l, len, "cc:") ||
	    starts_with_ci(l, len, "changes in v") || starts_with_ci(l, len, "changelog") ||
	    starts_with_ci(l, len, "v1:") || starts_with_ci(l, len, "v2") ||
	    starts_with_ci(l, len, "v3") || starts_with_ci(l, len, "v4") ||
	    starts_with_ci(l, len, "base-commit:") || starts_with_ci(l, len, "change-id:"))
		return 1;
	/* "Signed-off-by:"-like trailers left in the text. */
	{
		size_t k = 0;

		while (k < len && (isalnum((unsigned char)l[k]) || l[k] == '-'))
			k++;
		if (k > 3 && k < len && l[k] == ':' && !strncasecmp(l + k - 3, "-by", 3))
			return 1;
	}
	return 0;
}

/* Indented lines are code, logs or lists in kernel commit messages. */
static int is_indented(const char *l, size_t len)
{
	return len && (l[0] == ' ' || l[0] == '\t');
}

void summary_prose(struct strbuf *out, const char *text)
{
	const char *p = text;
	size_t para_start = out->len;
	int noise = 0, prose = 0;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), i;
		int blank = 1;

		for (i = 0; i < len; i++)
			if (!isspace((unsigned char)p[i]))
				blank = 0;
		if (blank) {
			/* End of a paragraph: keep it only if it was prose throughout. */
			if (noise || !prose)
				strbuf_setlen(out, para_start);
			else if (out->len > para_start)
				strbuf_addch(out, '\n');
			para_start = out->len;
			noise = prose = 0;
		} else if (is_noise_line(p, len)) {
			/* A quote, URL or trailer makes the whole paragraph noise. */
			noise = 1;
		} else if (!is_indented(p, len)) {
			/* Indented lines (code, logs, lists) are skipped. */
			if (prose)
				strbuf_addch(out, ' ');
			prose = 1;
			strbuf_add(out, p, len);
			strbuf_rtrim(out);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (noise || !prose)
		strbuf_setlen(out, para_start);
	strbuf_rtrim(out);
}

/* Abbreviations after which a period does not end a sentence. */
static int is_abbreviation(const char *s, size_t end)
{
	static const char *const abbrevs[] = {
		"e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "resp", "Mr", "Dr", "no",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		size_t l = strlen(abbrevs[i]);

		if (end >= l && !strncasecmp(s + end - l, abbrevs[i], l) &&
		    (end == l || !isalnum((unsigned char)s[end - l - 1])))
			return 1;
	}
	return 0;
}

size_t summary_sentences(const char *text,
			 int (*fn)(const char *sentence, size_t len, void *data),
			 void *data)
{
	size_t start = 0, i, n = 0;

	for (i = 0; text[i]; i++) {
		char c = text[i];
		int end = 0;

		if (c == '\n') {
			end = 1;	/* paragraphs end sentences */
		} else if ((c == '.' || c == '!' || c == '?') &&
			   (isspace((unsigned char)text[i + 1]) || !text[i + 1])) {
			/* "v6.12" and "foo()." have no space after the dot inside. */
			end = !is_abbreviation(text, i);
			if (end && text[i + 1] == ' ' && text[i + 2] &&
			    islower((unsigned char)text[i + 2]))
				end = 0;
		}
		if (end || !text[i + 1]) {
			size_t stop = end && c != '\n' ? i + 1 : (text[i + 1] ? i : i + 1);

			while (start < stop && isspace((unsigned char)text[start]))
				start++;
			while (stop > start && isspace((unsigned char)text[stop - 1]))
				stop--;
			if (stop > start) {
				n++;
				if (fn(text + start, stop - start, data))
					return n;
			}
			start = i + 1;
		}
	}
	return n;
}

struct collect {
	struct strbuf *out;
	size_t taken;
};

static int take_sentence(const char *s, size_t len, void *data)
{
	struct collect *c = data;

	if (c->out->len)
		strbuf_addch(c->out, ' ');
	strbuf_add(c->out, s, len);
	if (len && s[len - 1] != '.' && s[len - 1] != '!' && s[len - 1] != '?')
		strbuf_addch(c->out, '.');
	return ++c->taken >= MAX_SOURCE_SENTENCES;
}

static void add_place(struct strbuf *out, const struct series_patch *p)
{
	const struct series_revision *rev = p->revision;
	const struct series *s = rev->series;

	if (out->len)
		strbuf_addch(out, ' ');
	if (rev->total > 1 && p->subject.position)
		strbuf_addf(out, "It is patch %u/%u of", p->subject.position, rev->total);
	else
		strbuf_addstr(out, "It is");
	if (rev->total > 1 && p->subject.position)
		strbuf_addf(out, " the v%u series \"%s\"", rev->version, s->title);
	else
		strbuf_addf(out, " a standalone v%u patch", rev->version);
	strbuf_addf(out, " by %s", *s->author_name ? s->author_name : s->author_email);
	if (s->revisions_nr > 1 && s->revisions[0] != rev)
		strbuf_addf(out, ", revised %zu times", s->revisions_nr - 1);
	strbuf_addch(out, '.');
}

void summary_patch(struct strbuf *out, const struct series_patch *p)
{
	struct strbuf prose = STRBUF_INIT, body = STRBUF_INIT;
	struct collect c = { &body, 0 };
	const struct mail *m = p->mail;

	if (m->text)
		summary_prose(&prose, m->text);
	if (!prose.len && p->revision->cover && p->revision->cover->mail->text)
		summary_prose(&prose, p->revision->cover->mail->text);
	summary_sentences(prose.buf, take_sentence, &c);
	add_place(&body, p);
	strbuf_addbuf(out, &body);
	strbuf_release(&prose);
	strbuf_release(&body);
}
