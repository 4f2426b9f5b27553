#include "render-mbox.h"
#include "date.h"
#include "digest.h"
#include "mbox.h"
#include "render-text.h"
#include "series.h"
#include "strbuf.h"
#include "textsafe.h"
#include "usage.h"

#include <ctype.h>
#include <git2.h>
#include <string.h>
#include <strings.h>

#define WRAP_COLUMNS 72
/* RFC 5322: lines should stay within 78 characters and must within 998 bytes. */
#define HEADER_COLUMNS 78
#define LONG_WORD 200

static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Columns of a UTF-8 string, counting each character as one. */
static size_t columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

void render_wrap(struct strbuf *out, const char *text, size_t width)
{
	const char *p = text;
	size_t col = 0;

	while (*p) {
		const char *w;
		size_t len, cols;

		while (*p == ' ')
			p++;
		if (*p == '\n') {
			strbuf_addch(out, '\n');
			col = 0;
			p++;
			continue;
		}
		if (!*p)
			break;
		for (w = p; *w && *w != ' ' && *w != '\n'; w++)
			;
		len = (size_t)(w - p);
		cols = columns(p, len);
		/*
		 * No line may pass 998 bytes (RFC 5322): a "word" that long is
		 * no word, and goes on lines of its own, width characters each.
		 */
		if (cols > LONG_WORD) {
			size_t n = 0, i = 0;

			if (col)
				strbuf_addch(out, '\n');
			for (; i < len; i++) {
				if (((unsigned char)p[i] & 0xc0) != 0x80 && n++ == width) {
					strbuf_addch(out, '\n');
					n = 1;
				}
				strbuf_addch(out, p[i]);
			}
			col = n;
			p = w;
			continue;
		}
		if (col && col + 1 + cols > width) {
			strbuf_addch(out, '\n');
			col = 0;
		} else if (col) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, p, len);
		col += cols;
		p = w;
	}
	if (col)
		strbuf_addch(out, '\n');
}

/* An RFC 2047 encoded-word for a display name that is not plain ASCII. */
static void add_display_name(struct strbuf *out, const char *name, size_t len)
{
	size_t i;
	int ascii = 1, special = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		ascii &= c < 0x80;
		special |= strchr("()<>[]:;@\\,.\"", c) && c;
	}
	if (ascii && !special) {
		strbuf_add(out, name, len);
		return;
	}
	if (ascii) {
		strbuf_addch(out, '"');
		for (i = 0; i < len; i++) {
			if (name[i] == '"' || name[i] == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, name[i]);
		}
		strbuf_addch(out, '"');
		return;
	}
	strbuf_addstr(out, "=?UTF-8?q?");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == ' ')
			strbuf_addch(out, '_');
		else if (c < 0x80 && (isalnum(c) || strchr("!*+-/", c)))
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "=%02X", c);
	}
	strbuf_addstr(out, "?=");
}

/*
 * Whether s is one plain address, local@domain in RFC 5322's dot-atoms:
 * no display name, no comment, no second address after a comma.  The
 * list's address may come from a List-Id, which anyone can write.
 */
static int is_plain_address(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	int prev_dot = 1;

	if (!at || at == s || !at[1] || strlen(s) > 254)
		return 0;
	for (p = s; p < at; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else if (c < 0x80 && (isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c))) {
			prev_dot = 0;
		} else {
			return 0;
		}
	}
	if (prev_dot)
		return 0;
	for (p = at + 1, prev_dot = 1; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else if (c < 0x80 && (isalnum(c) || c == '-')) {
			prev_dot = 0;
		} else {
			return 0;
		}
	}
	return !prev_dot;
}

/*
 * "Name: value", folded as RFC 5322 asks: a line that would pass
 * HEADER_COLUMNS goes on after a newline and a space, between words.
 */
static void add_header(struct strbuf *out, const char *name, const char *value)
{
	size_t col = strlen(name) + 1;
	const char *p = value;

	strbuf_addf(out, "%s:", name);
	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		if (col > strlen(name) + 1 && col + 1 + columns(p, len) > HEADER_COLUMNS) {
			strbuf_addch(out, '\n');
			col = 0;
		}
		strbuf_addch(out, ' ');
		strbuf_add(out, p, len);
		col += 1 + columns(p, len);
		p += len;
	}
	strbuf_addch(out, '\n');
}

/* "Name <email>" as a From: header value. */
static void add_from(struct strbuf *out, const char *from)
{
	const char *lt = strrchr(from, '<');
	size_t nlen;

	if (!lt) {
		strbuf_addstr(out, from);
		return;
	}
	nlen = (size_t)(lt - from);
	while (nlen && from[nlen - 1] == ' ')
		nlen--;
	if (nlen) {
		add_display_name(out, from, nlen);
		strbuf_addch(out, ' ');
	}
	strbuf_addstr(out, lt);
}

static void body_of(struct strbuf *out, const struct digest *d,
		    const struct render_options *opts)
{
	char stamp[DATE_ISO_SIZE];
	size_t i;

	{
		struct strbuf overview = STRBUF_INIT;

		textsafe_cap(&overview, d->overview, RENDER_MAX_SUMMARY);
		render_wrap(out, overview.buf, WRAP_COLUMNS);
		strbuf_release(&overview);
	}
	for (i = 0; i < d->entries_nr; i++) {
		const struct digest_entry *e = &d->entries[i];
		struct strbuf para = STRBUF_INIT;

		strbuf_addch(out, '\n');
		textsafe_cap(&para, e->patch->subject.title, RENDER_MAX_TITLE);
		render_wrap(out, para.buf, WRAP_COLUMNS);
		strbuf_reset(&para);
		textsafe_cap(&para, e->summary ? e->summary : "", RENDER_MAX_SUMMARY);
		render_entry_status(&para, e, opts->tz);
		render_wrap(out, para.buf, WRAP_COLUMNS);
		if (e->url)
			strbuf_addf(out, "<%s>\n", e->url);
		strbuf_release(&para);
	}
	if (d->attention_nr)
		strbuf_addstr(out, "\nNeeds attention\n");
	for (i = 0; i < d->attention_nr; i++) {
		struct strbuf line = STRBUF_INIT;

		strbuf_addstr(&line, "- ");
		render_attention_line(&line, &d->attention[i]);
		render_wrap(out, line.buf, WRAP_COLUMNS);
		if (d->attention[i].url)
			strbuf_addf(out, "<%s>\n", d->attention[i].url);
		strbuf_release(&line);
	}
	if (d->applied_line)
		strbuf_addf(out, "\n%s\n", d->applied_line);
	date_format_iso(stamp, opts->generated);
	strbuf_addf(out, "\nGenerated %s\n", stamp);
}

void render_mbox_message(struct strbuf *out, const char *raw, size_t len)
{
	if (len >= 5 && !memcmp(raw, "From ", 5)) {
		const char *nl = memchr(raw, '\n', len);
		size_t skip = nl ? (size_t)(nl - raw) + 1 : len;

		raw += skip;
		len -= skip;
	}
	strbuf_addstr(out, "From mboxrd@z Thu Jan  1 00:00:00 1970\n");
	mbox_quote(out, raw, len);
	if (len && raw[len - 1] != '\n')
		strbuf_addch(out, '\n');
	strbuf_addch(out, '\n');
}

/* Does header name (unfolded lines aside) hold word, in any case? */
static int header_contains(const char *hdr, size_t len, const char *name, const char *word)
{
	size_t nlen = strlen(name), wlen = strlen(word), i = 0;

	while (i < len) {
		const char *line = hdr + i, *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i, k;

		if (llen > nlen && !strncasecmp(line, name, nlen) && line[nlen] == ':')
			for (k = nlen + 1; k + wlen <= llen; k++)
				if (!strncasecmp(line + k, word, wlen))
					return 1;
		i += llen + 1;
	}
	return 0;
}

/* Is [p, p + len) a line that has "Token: value" form, as trailers do? */
static int is_trailer_line(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (isalnum((unsigned char)p[i]) || p[i] == '-'))
		i++;
	return i && i + 1 < len && p[i] == ':' && p[i + 1] == ' ';
}

/* Is the line (no newline) already in the message part [msg, msg + len)? */
static int has_line(const char *msg, size_t len, const char *line)
{
	size_t llen = strlen(line), i = 0;

	while (i < len) {
		const char *l = msg + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i;

		if (n && l[n - 1] == '\r')
			n--;
		if (n == llen && !strncasecmp(l, line, n))
			return 1;
		i = nl ? (size_t)(nl - msg) + 1 : len;
	}
	return 0;
}

int render_mbox_add_trailers(struct strbuf *out, const char *raw, size_t len,
			     const char *const *lines, size_t nr)
{
	const char *body = NULL, *end = raw + len, *p, *sep = NULL, *last = NULL, *q;
	size_t hlen, i;
	int ret = -1;

	for (p = raw; p < end; p++)
		if (*p == '\n' && (p + 1 < end && (p[1] == '\n' ||
				    (p[1] == '\r' && p + 2 < end && p[2] == '\n')))) {
			body = p + (p[1] == '\n' ? 2 : 3);
			break;
		}
	if (!body)
		goto copy;
	hlen = (size_t)(body - raw);
	if (header_contains(raw, hlen, "Content-Transfer-Encoding", "base64") ||
	    header_contains(raw, hlen, "Content-Transfer-Encoding", "quoted-printable") ||
	    header_contains(raw, hlen, "Content-Type", "multipart/"))
		goto copy;
	/* The "---" line (or the diff itself) ends the message, as for git am. */
	for (p = body; p < end; p = q + 1) {
		size_t n;

		q = memchr(p, '\n', (size_t)(end - p));
		if (!q)
			q = end;
		n = (size_t)(q - p);
		if (n && p[n - 1] == '\r')
			n--;
		if ((n == 3 && !memcmp(p, "---", 3)) || (n > 5 && !memcmp(p, "diff -", 6))) {
			sep = p;
			break;
		}
		if (n)
			last = p;
		if (q == end)
			break;
	}
	if (!sep || !last)
		goto copy;
	q = memchr(last, '\n', (size_t)(sep - last));
	q = q ? q + 1 : sep;
	strbuf_add(out, raw, (size_t)(q - raw));
	{
		size_t lastlen = (size_t)(q - last) - 1;
		int added = 0;

		if (lastlen && last[lastlen - 1] == '\r')
			lastlen--;
		for (i = 0; i < nr; i++) {
			if (has_line(body, (size_t)(sep - body), lines[i]))
				continue;
			if (!added && !is_trailer_line(last, lastlen))
				strbuf_addch(out, '\n');
			strbuf_addf(out, "%s\n", lines[i]);
			added = 1;
		}
	}
	strbuf_add(out, q, (size_t)(end - q));
	return 0;
copy:
	strbuf_add(out, raw, len);
	return ret;
}

void render_digest_mbox(struct strbuf *out, const struct digest *d,
			const struct render_options *opts)
{
	struct strbuf body = STRBUF_INIT, title = STRBUF_INIT, label = STRBUF_INIT;
	struct strbuf domain = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	const char *at = opts->from ? strrchr(opts->from, '@') : NULL;
	git_oid oid;
	struct tm tm;
	size_t i;

	body_of(&body, d, opts);
	render_digest_title(&title, d);
	period_label(&label, &d->period);
	/* "2026-04-01..2026-04-14" is no dot-atom: a Message-ID wants single dots. */
	for (i = 0; i < label.len; i++)
		if (label.buf[i] == '.')
			label.buf[i] = '_';
	/* The id follows the content: the same digest, the same message. */
	git_odb_hash(&oid, body.buf, body.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	if (at)
		strbuf_add(&domain, at + 1, strcspn(at + 1, "> "));
	if (!domain.len)
		strbuf_addstr(&domain, "git-bpfdigest");
	gmtime_r(&opts->generated, &tm);
	strbuf_addf(out, "From git-bpfdigest %s %s %2d %02d:%02d:%02d %d\n", days[tm.tm_wday],
		    months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    tm.tm_year + 1900);
	if (opts->from && *opts->from) {
		struct strbuf from = STRBUF_INIT;

		add_from(&from, opts->from);
		add_header(out, "From", from.buf);
		strbuf_release(&from);
	}
	if (d->list && is_plain_address(d->list)) {
		add_header(out, "To", d->list);
	} else if (d->list) {
		struct strbuf shown = STRBUF_INIT;

		textsafe_line(&shown, d->list, strnlen(d->list, 200));
		warning("the list's address '%s' is no plain address: no To: header "
			"(set bpfdigest.list)", shown.buf);
		strbuf_release(&shown);
	}
	add_header(out, "Subject", title.buf);
	strbuf_addf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0000\n", days[tm.tm_wday],
		    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	strbuf_addf(out, "Message-ID: <bpfdigest-%s-%.12s@%s>\n", label.buf, hex, domain.buf);
	strbuf_addstr(out, "MIME-Version: 1.0\n"
			   "Content-Type: text/plain; charset=UTF-8\n"
			   "Content-Transfer-Encoding: 8bit\n\n");
	mbox_quote(out, body.buf, body.len);
	/* mboxrd: a blank line ends the message. */
	strbuf_addch(out, '\n');
	strbuf_release(&body);
	strbuf_release(&title);
	strbuf_release(&label);
	strbuf_release(&domain);
}
