#include "mail.h"
#include "mail-header.h"
#include "mail-mime.h"
#include "mail-trailer.h"
#include "strbuf.h"
#include "textsafe.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the body's parts ---- */

/* Where things are in a decoded body; offsets, len for "none". */
struct layout {
	size_t sep;		/* the "---" line, or a cover letter's shortlog */
	size_t notes;		/* where the notes begin */
	size_t sig;		/* the first "-- " line before the diff */
	size_t sig_after_sep;	/* the first one after sep */
	size_t diff;		/* the first line of the diff */
	size_t diff_end;	/* the format-patch signature after it */
	size_t applied;		/* "This series was applied to ..." */
	size_t change_id;	/* b4's "change-id: " */
	size_t *reviews;	/* lines that may hold review trailers */
	size_t reviews_nr, reviews_alloc;
	int diffstat, pull;
};

static int starts_with(const char *s, size_t len, const char *prefix, size_t plen)
{
	return len >= plen && !memcmp(s, prefix, plen);
}
#define STARTS(s, len, lit) starts_with((s), (len), (lit), sizeof(lit) - 1)

/* " 3 files changed, ..." */
static int is_diffstat_summary(const char *l, size_t len)
{
	size_t i = 0;

	while (i < len && l[i] == ' ')
		i++;
	if (i == len || !isdigit((unsigned char)l[i]))
		return 0;
	while (i < len && isdigit((unsigned char)l[i]))
		i++;
	if (!starts_with(l + i, len - i, " file", 5))
		return 0;
	i += 5;
	if (i < len && l[i] == 's')
		i++;
	return starts_with(l + i, len - i, " changed", 8);
}

/* "Jane Doe (3):", the first line of a format-patch cover letter's shortlog. */
static int is_shortlog_head(const char *l, size_t len, const char *next, const char *end)
{
	size_t i;

	if (len < 5 || l[len - 1] != ':' || l[len - 2] != ')' || isspace((unsigned char)l[0]))
		return 0;
	for (i = len - 3; i > 0 && isdigit((unsigned char)l[i]); i--)
		;
	if (i == len - 3 || l[i] != '(' || i < 2 || l[i - 1] != ' ')
		return 0;
	return end - next > 2 && next[0] == ' ' && next[1] == ' ' && !isspace((unsigned char)next[2]);
}

/* Lines of a non-git diff's header that precede "--- " (CVS, diff -u). */
static int is_diff_header_line(const char *l, size_t len)
{
	return STARTS(l, len, "Index: ") || STARTS(l, len, "====") ||
	       STARTS(l, len, "diff -") || STARTS(l, len, "RCS file: ") ||
	       STARTS(l, len, "retrieving revision ");
}

static const char *const link_hosts[] = {
	"lore.kernel.org/", "lkml.kernel.org/r/", "patch.msgid.link/", "msgid.link/",
};

/* Decode %XX escapes (message-ids in URLs). */
static char *percent_decode(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			strbuf_addch(&sb, (int)strtol(hex, NULL, 16));
			i += 2;
		} else {
			strbuf_addch(&sb, s[i]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The message-id of a lore or msgid.link URL whose "://" is at url: the
 * first of the next two path components with an '@' in it
 * ("lore.kernel.org/bpf/<mid>/T/", ".../r/<mid>", "patch.msgid.link/<mid>").
 */
static void add_link(struct mail *m, size_t *alloc, const char *url, const char *end)
{
	const char *p = url + 3, *id = NULL, *e;
	size_t h;
	int k;

	for (h = 0; h < ARRAY_SIZE(link_hosts) && !id; h++) {
		size_t hl = strlen(link_hosts[h]);

		if ((size_t)(end - p) > hl && !memcmp(p, link_hosts[h], hl))
			id = p + hl;
	}
	for (k = 0; id && k < 2; k++) {
		char *mid;
		size_t len;

		for (e = id; e < end && !isspace((unsigned char)*e) && !strchr("<>/)]\"'#?,;", *e); e++)
			;
		len = (size_t)(e - id);
		while (len && id[len - 1] == '.')
			len--;
		mid = textsafe_line_owned(percent_decode(id, len));
		if (strchr(mid, '@')) {
			mail_list_add_unique(&m->links, &m->links_nr, alloc, mid);
			return;
		}
		free(mid);
		id = e < end && *e == '/' ? e + 1 : NULL;
	}
}

/*
 * Look at the colons of an unquoted line: a "*-by:" trailer may be a
 * review, "://" may be a lore link.
 */
static void scan_colons(struct mail *m, struct layout *lay, size_t *links_alloc,
			const char *s, const char *l, size_t len)
{
	const char *end = l + len, *colon = memchr(l, ':', len), *t = l;

	if (!colon)
		return;
	while (t < colon && (*t == ' ' || *t == '\t'))
		t++;
	if (is_by_token(colon, t)) {
		ALLOC_GROW(lay->reviews, lay->reviews_nr + 1, lay->reviews_alloc);
		lay->reviews[lay->reviews_nr++] = (size_t)(l - s);
	}
	for (; colon; colon = memchr(colon + 1, ':', (size_t)(end - colon - 1)))
		if (end - colon > 3 && colon[1] == '/' && colon[2] == '/')
			add_link(m, links_alloc, colon, end);
}

static void add_path(struct mail *m, size_t *alloc, char *path)
{
	path = textsafe_line_owned(path);
	if (!*path || !strcmp(path, "/dev/null"))
		free(path);
	else
		mail_list_add_unique(&m->paths, &m->paths_nr, alloc, path);
}

/* A C-quoted name as git writes it ("a/t\303\251st"), unquoted; returns its end. */
static const char *unquote_c(struct strbuf *out, const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		if (*p != '\\' || p + 1 >= end) {
			strbuf_addch(out, *p);
			continue;
		}
		p++;
		if (*p >= '0' && *p <= '7' && p + 2 < end) {
			strbuf_addch(out, (p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
			p += 2;
		} else {
			strbuf_addch(out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
		}
	}
	return p < end ? p + 1 : end;
}

/* The path after the change in "diff --git a/x b/y", or NULL. */
static char *git_diff_path(const char *rest, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = rest + n, *b;
	size_t half;

	if (n && rest[0] == '"') {
		/* Quoted names: skip the first, unquote the second. */
		const char *p = unquote_c(&sb, rest, end);

		strbuf_reset(&sb);
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '"')
			unquote_c(&sb, p, end);
		else
			strbuf_add(&sb, p, (size_t)(end - p));
		if (sb.len > 2 && sb.buf[1] == '/') {
			memmove(sb.buf, sb.buf + 2, sb.len - 1);
			strbuf_setlen(&sb, sb.len - 2);
		}
		return strbuf_detach(&sb, NULL);
	}
	/* The same name on both sides: split in the middle (works with spaces). */
	half = n / 2;
	if (n % 2 && rest[half] == ' ') {
		if (!memcmp(rest, rest + half + 1, half))
			return xstrndup(rest + half + 1, half);
		if (half > 2 && rest[1] == '/' && rest[half + 2] == '/' &&
		    !memcmp(rest + 2, rest + half + 3, half - 2))
			return xstrndup(rest + half + 3, half - 2);
	}
	/* A rename: the last " b/". */
	for (b = end - 3; b > rest; b--)
		if (b[0] == ' ' && b[1] == 'b' && b[2] == '/')
			return xstrndup(b + 3, (size_t)(end - b - 3));
	/* A line broken by the mailer: the "+++ " line will tell. */
	return NULL;
}

/* The path of a "+++ b/x\t<date>" line of a diff without git headers. */
static char *plus_path(const char *l, size_t len)
{
	const char *p = l + 4, *end = l + len, *tab = memchr(p, '\t', len - 4);

	if (tab)
		end = tab;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end - p > 2 && p[0] == 'b' && p[1] == '/')
		p += 2;
	return xstrndup(p, (size_t)(end - p));
}

/*
 * One pass over the decoded body: where the message, notes and diff are,
 * and the facts that need a look at every line (links, paths, review
 * trailer candidates).  Quoted lines are skipped at their first byte.
 */
static void find_layout(struct mail *m, struct layout *lay, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	size_t links_alloc = 0, paths_alloc = 0, hdr_run = len, lines_after_sig = 0;
	int in_diff = 0, git_section = 0;

	lay->sep = lay->notes = lay->sig = lay->sig_after_sep = lay->diff = len;
	lay->diff_end = lay->applied = lay->change_id = len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t llen = (size_t)((nl ? nl : end) - p), off = (size_t)(p - s);

		if (in_diff) {
			lines_after_sig++;
			switch (*p) {
			case 'd':
				if (STARTS(p, llen, "diff --git ")) {
					char *path = git_diff_path(p + 11, llen - 11);

					git_section = path != NULL;
					if (path)
						add_path(m, &paths_alloc, path);
					lay->diff_end = len;
				}
				break;
			case '+':
				if (!git_section && STARTS(p, llen, "+++ "))
					add_path(m, &paths_alloc, plus_path(p, llen));
				break;
			case '-':
				if (llen == 3 && p[1] == '-' && p[2] == ' ') {
					lay->diff_end = off;
					lines_after_sig = 0;
				}
				break;
			case 'c':
				if (lay->change_id == len && STARTS(p, llen, "change-id: "))
					lay->change_id = off;
				break;
			}
			p = next;
			continue;
		}

		switch (*p) {
		case '>':
			p = next;	/* quoted */
			continue;
		case 'd':
			if (STARTS(p, llen, "diff --git ")) {
				lay->diff = off;
				in_diff = 1;
				continue;	/* read this line again as part of the diff */
			}
			break;
		case '-':
			if (STARTS(p, llen, "--- ") && STARTS(next, (size_t)(end - next), "+++ ")) {
				/* A diff without git headers, maybe after Index:/diff -u lines. */
				lay->diff = hdr_run < off ? hdr_run : off;
				in_diff = 1;
				p = next;
				continue;
			}
			if (llen >= 3 && p[1] == '-' && p[2] == '-' &&
			    (llen == 3 || isspace((unsigned char)p[3]))) {
				if (lay->sep == len) {
					lay->sep = off;
					lay->notes = (size_t)(next - s);
				}
			} else if ((llen == 3 && p[1] == '-' && p[2] == ' ') ||
				   (llen == 2 && p[1] == '-')) {
				if (lay->sig == len)
					lay->sig = off;
				if (lay->sep < off && lay->sig_after_sep == len)
					lay->sig_after_sep = off;
			}
			break;
		case 'T':
			if (lay->applied == len && (STARTS(p, llen, "This series was applied to ") ||
						    STARTS(p, llen, "This patch was applied to ")))
				lay->applied = off;
			else if (STARTS(p, llen, "The following changes since commit") &&
				 (llen == 34 || p[34] == ' ' || p[34] == ':'))
				lay->pull = 1;	/* git request-pull, maybe wrapped */
			break;
		case 'c':
			if (lay->change_id == len && STARTS(p, llen, "change-id: "))
				lay->change_id = off;
			break;
		case ' ':
			if (!lay->diffstat && is_diffstat_summary(p, llen))
				lay->diffstat = 1;
			break;
		}
		if (is_diff_header_line(p, llen)) {
			if (hdr_run == len)
				hdr_run = off;
		} else {
			hdr_run = len;
		}
		if (lay->sep == len && is_shortlog_head(p, llen, next, end)) {
			lay->sep = off;
			lay->notes = off;
		}
		{
			const char *t = p;

			while (t < p + llen && (*t == ' ' || *t == '\t'))
				t++;
			if (t < p + llen && *t != '>')
				scan_colons(m, lay, &links_alloc, s, p, llen);
		}
		p = next;
	}
	/* The format-patch signature ends the diff; a "-- " long before the end is diff content. */
	if (lay->diff_end < len && lines_after_sig > 8)
		lay->diff_end = len;
	if (lay->diff == len)
		lay->diff_end = len;
}

/* ---- other facts ---- */

static char *line_value(const char *v, const char *end)
{
	const char *nl = memchr(v, '\n', (size_t)(end - v));
	struct strbuf sb = STRBUF_INIT;

	textsafe_line(&sb, v, (size_t)((nl ? nl : end) - v));
	strbuf_trim(&sb);
	return strbuf_detach(&sb, NULL);
}

/*
 * A patchwork-bot notice: "This series was applied to <tree> (<branch>)"
 * then, after "Here is the summary with links:", "  - [tag] subject"
 * lines each followed by its commit URL.
 */
static void extract_applied(struct mail *m, const char *s, size_t pos, size_t end_off)
{
	const char *l = s + pos, *end = s + end_off, *p;
	size_t alloc = 0;
	char *to;

	l += STARTS(l, (size_t)(end - l), "This series") ? 27 : 26;
	to = line_value(l, end);
	if (*to && to[strlen(to) - 1] == ':')
		to[strlen(to) - 1] = '\0';
	m->applied_to = to;
	for (p = l; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *t = p;

		while (t < le && (*t == ' ' || *t == '\t'))
			t++;
		if (le - t > 3 && t[0] == '-' && t[1] == ' ' && t[2] == '[') {
			struct mail_applied *a;
			char *url = nl ? line_value(nl + 1, end) : NULL;

			ALLOC_GROW(m->applied, m->applied_nr + 1, alloc);
			a = &m->applied[m->applied_nr++];
			a->subject = textsafe_line_owned(xstrndup(t + 2, (size_t)(le - t - 2)));
			if (url && strncmp(url, "http", 4))
				FREE_AND_NULL(url);
			a->url = url;
		}
		p = nl ? nl + 1 : end;
	}
}

/*
 * Copy s[from..to) into a new string without the blanks at its end, and
 * without its leading empty lines (or all leading blanks, with left).
 */
static char *copy_trimmed(const char *s, size_t from, size_t to, int left)
{
	struct strbuf sb = STRBUF_INIT;

	if (left) {
		while (from < to && isspace((unsigned char)s[from]))
			from++;
	} else {
		size_t p = from;

		while (p < to && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n'))
			if (s[p++] == '\n')
				from = p;
	}
	if (from < to)
		strbuf_add(&sb, s + from, to - from);
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A line "From <40 hex> Mon Sep 17 00:00:00 2001", as git format-patch starts a patch. */
static int is_format_patch_from(const char *l, size_t len)
{
	static const char date[] = " Mon Sep 17 00:00:00 2001";
	size_t i;

	if (len && *l == '>') {
		l++;
		len--;
	}
	if (len != 5 + 40 + sizeof(date) - 1 || memcmp(l, "From ", 5))
		return 0;
	for (i = 5; i < 45; i++)
		if (!isxdigit((unsigned char)l[i]))
			return 0;
	return !memcmp(l + 45, date, sizeof(date) - 1);
}

/* The index of the first of names that line l starts with (case aside), or -1. */
static int starts_with_any(const char *l, size_t len, const char *const *names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		size_t n = strlen(names[i]);

		if (len >= n && !strncasecmp(l, names[i], n))
			return (int)i;
	}
	return -1;
}

/* Which in-body header line l is: 'F'rom, 'S'ubject, 'D'ate, or 0. */
static int inbody_header_name(const char *l, size_t len)
{
	static const char *const names[] = { "From:", "Subject:", "Date:" };
	int i = starts_with_any(l, len, names, ARRAY_SIZE(names));

	return i < 0 ? 0 : names[i][0];
}

/* The header lines mail clients put above a quoted or forwarded mail. */
static int is_quoted_mail_header(const char *l, size_t len)
{
	static const char *const names[] = {
		"To:", "Cc:", "Sent:", "Reply-To:", "Message-ID:", "In-Reply-To:", "Bcc:",
	};

	return starts_with_any(l, len, names, ARRAY_SIZE(names)) >= 0;
}

/*
 * git am's in-body headers: "From:", "Subject:" and "Date:" lines first
 * in the body (blank lines before them skipped), each at most once,
 * folded lines included, also after a pasted "From <sha> Mon Sep 17
 * 00:00:00 2001" line.  They end at a blank line, which goes with them,
 * or at the first other line, which begins the message.  They are not
 * part of the message; a From: there names the patch's author.  Returns
 * the block's length.
 */
static size_t inbody_headers(struct mail *m, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *from = NULL, *from_end = NULL, *block = s;
	unsigned seen = 0;
	int any = 0, last = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t llen = (size_t)(le - p);
		int name;

		if (!llen) {
			if (any) {
				p = nl ? nl + 1 : end;
				block = p;
				break;
			}
		} else if (last && (*p == ' ' || *p == '\t')) {
			if (last == 'F')
				from_end = le;
		} else if (is_format_patch_from(p, llen)) {
			last = 0;
			any = 1;
		} else if ((name = inbody_header_name(p, llen)) &&
			   !(seen & (1u << (name & 31)))) {
			seen |= 1u << (name & 31);
			last = name;
			any = 1;
			if (name == 'F') {
				from = p + 5;
				from_end = le;
			}
		} else {
			/*
			 * The message begins here.  Unless this is another
			 * mail header: then the block was a quoted mail's
			 * ("From: ...\nSent: ..." of a reply), not git's.
			 */
			if (is_quoted_mail_header(p, llen))
				return 0;
			break;
		}
		p = nl ? nl + 1 : end;
		block = p;
	}
	if (!any)
		return 0;
	if (from) {
		struct raw_header h = { from, (size_t)(from_end - from) };
		char *name, *email;

		mail_header_address(&h, &name, &email);
		if (strchr(email, '@')) {
			m->author_name = name;
			m->author_email = email;
		} else {
			free(name);
			free(email);
		}
	}
	return (size_t)(block - s);
}

/*
 * Whether git mailinfo would see a patch in s: a line after one that
 * starts one ("diff -", "Index: ", "--- file", or "---" and blanks).
 */
static int has_patch_break(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = (size_t)((nl ? nl : end) - p), i = 3;
		int brk = starts_with(p, llen, "diff -", 6) || starts_with(p, llen, "Index: ", 7);

		if (!brk && starts_with(p, llen, "---", 3)) {
			if (llen > 4 && p[3] == ' ' && !isspace((unsigned char)p[4]))
				brk = 1;
			while (i < llen && isspace((unsigned char)p[i]))
				i++;
			brk |= i == llen;
		}
		if (brk)
			return nl && nl + 1 < end;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/*
 * A line of its own that says "pw-bot: cr" (what the bpf maintainers
 * write to set a patchwork state), or "NAK".  Quoted lines are someone
 * else's words and do not count.
 */
static unsigned verdict_line(const char *l, size_t len)
{
	static const struct {
		const char *text;
		unsigned flag;
	} verdicts[] = {
		{ "pw-bot: cr", MAIL_PWBOT_CR },
		{ "pw-bot: changes-requested", MAIL_PWBOT_CR },
		{ "pw-bot: defer", MAIL_PWBOT_DEFER },
	};
	size_t i;

	while (len && isspace((unsigned char)*l))
		l++, len--;
	while (len && isspace((unsigned char)l[len - 1]))
		len--;
	if (len && (l[len - 1] == '.' || l[len - 1] == '!'))
		len--;
	for (i = 0; i < ARRAY_SIZE(verdicts); i++)
		if (strlen(verdicts[i].text) == len && !strncasecmp(l, verdicts[i].text, len))
			return verdicts[i].flag;
	if (len == 3 && !memcmp(l, "NAK", 3))
		return MAIL_NAK;
	return 0;
}

static unsigned verdicts(const struct mail *m, const char *s, size_t end)
{
	unsigned flags = 0;
	size_t i, off = 0;

	for (i = 0; i < m->trailers_nr; i++)
		if (!strcasecmp(m->trailers[i].key, "Nacked-by"))
			flags |= MAIL_NAK;
	while (off < end) {
		const char *nl = memchr(s + off, '\n', end - off);
		size_t llen = nl ? (size_t)(nl - s - off) : end - off;

		if (llen && s[off] != '>')
			flags |= verdict_line(s + off, llen);
		off += llen + 1;
	}
	return flags;
}

static void split_body(struct mail *m, const char *s, size_t len, size_t attached_at,
		       unsigned flags)
{
	struct layout lay = { 0 };
	size_t msg_end, tstart, tend, review_end, alloc = 0, i, skip;

	skip = inbody_headers(m, s, len);
	s += skip;
	len -= skip;
	attached_at = attached_at > skip ? attached_at - skip : 0;
	find_layout(m, &lay, s, len);
	msg_end = min_size(min_size(lay.sep, lay.sig), lay.diff);
	if (m->author_email && !has_patch_break(s, len)) {
		/* git am takes an in-body From: only for a patch (not a cover letter). */
		FREE_AND_NULL(m->author_name);
		FREE_AND_NULL(m->author_email);
	}

	/* The message's own trailer block, then review trailers elsewhere. */
	mail_trailer_block(m, &alloc, s, msg_end, &tstart, &tend);
	review_end = lay.diff < len ? msg_end : lay.sig;
	for (i = 0; i < lay.reviews_nr; i++)
		if (lay.reviews[i] < review_end && (lay.reviews[i] < tstart || lay.reviews[i] >= tend))
			mail_trailer_review(m, &alloc, s + lay.reviews[i], s + review_end);
	free(lay.reviews);

	if (lay.diff < len) {
		m->flags |= MAIL_HAS_DIFF;
		if (lay.diff >= attached_at)
			m->flags |= MAIL_DIFF_ATTACHED;
	}
	if (lay.diffstat)
		m->flags |= MAIL_HAS_DIFFSTAT;
	/* Maintainers put "pw-bot: cr" after the "--" that ends their words, too. */
	m->flags |= verdicts(m, s, lay.diff);
	if (lay.pull)
		m->flags |= MAIL_PULL_REQUEST;
	if (lay.applied < lay.diff)
		extract_applied(m, s, lay.applied, lay.diff);
	if (lay.change_id < len) {
		char *id = line_value(s + lay.change_id + 11, s + len);

		if (*id)
			m->change_id = id;
		else
			free(id);
	}

	if (!(flags & MAIL_PARSE_FACTS_ONLY)) {
		size_t notes_end = lay.diff < len ? lay.diff : lay.sig_after_sep;

		m->text = copy_trimmed(s, 0, tstart < tend ? tstart : msg_end, 0);
		m->notes = lay.sep < lay.diff ? copy_trimmed(s, lay.notes, notes_end, 1)
					      : xstrdup("");
		m->diff = copy_trimmed(s, lay.diff, lay.diff_end, 0);
		if (*m->diff) {
			size_t dl = strlen(m->diff);

			/* Keep the diff's final newline: git apply wants it. */
			m->diff = xrealloc(m->diff, dl + 2);
			m->diff[dl] = '\n';
			m->diff[dl + 1] = '\0';
		}
		m->flags |= MAIL_HAS_BODY;
	}
}

/* ---- the whole mail ---- */

int mail_parse(struct mail *m, const char *raw, size_t len, unsigned flags,
	       struct strbuf *err)
{
	struct header_block hb;
	struct strbuf decoded = STRBUF_INIT;
	const char *body;
	size_t blen, attached_at;

	memset(m, 0, sizeof(*m));
	mail_skip_from_line(&raw, &len);
	if (!len) {
		strbuf_addstr(err, "empty message");
		return -1;
	}
	if (!mail_header_scan(&hb, raw, len)) {
		strbuf_addstr(err, "no header block");
		return -1;
	}
	if (!hb.h[H_MESSAGE_ID].value && !hb.h[H_FROM].value &&
	    !hb.h[H_SUBJECT].value && !hb.h[H_DATE].value) {
		strbuf_addstr(err, "no Message-ID, From, Subject or Date header");
		return -1;
	}
	mail_header_facts(m, &hb, raw, len);
	m->flags |= hb.flags;

	body = raw + hb.end;
	blen = len - hb.end;
	if (mail_mime_is_plain(&hb, body, blen)) {
		attached_at = blen;
	} else {
		m->flags |= mail_mime_decode(&decoded, &attached_at, &hb, body, blen);
		body = decoded.buf;
		blen = decoded.len;
	}
	split_body(m, body, blen, attached_at, flags);
	strbuf_release(&decoded);
	return 0;
}

int mail_decode_body(struct strbuf *out, const char *raw, size_t len)
{
	struct header_block hb;
	size_t attached_at;

	mail_skip_from_line(&raw, &len);
	if (!mail_header_scan(&hb, raw, len))
		return -1;
	mail_mime_decode(out, &attached_at, &hb, raw + hb.end, len - hb.end);
	return 0;
}

static void free_list(char **list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

void mail_release(struct mail *m)
{
	size_t i;

	free(m->mid);
	free(m->in_reply_to);
	free_list(m->refs, m->refs_nr);
	free(m->subject);
	free(m->from_name);
	free(m->from_email);
	free(m->author_name);
	free(m->author_email);
	free(m->list_id);
	for (i = 0; i < m->trailers_nr; i++) {
		free(m->trailers[i].key);
		free(m->trailers[i].value);
	}
	free(m->trailers);
	free(m->change_id);
	free_list(m->links, m->links_nr);
	free_list(m->paths, m->paths_nr);
	free(m->applied_to);
	for (i = 0; i < m->applied_nr; i++) {
		free(m->applied[i].subject);
		free(m->applied[i].url);
	}
	free(m->applied);
	free(m->text);
	free(m->notes);
	free(m->diff);
	memset(m, 0, sizeof(*m));
}

int mail_describe_limits(struct strbuf *out, const struct mail *m)
{
	int n = 0;

	if (m->flags & MAIL_LONG_HEADER)
		strbuf_addf(out, "%sa header line longer than %d MiB was cut", n++ ? "; " : "",
			    MAIL_MAX_HEADER_LINE >> 20);
	if (m->flags & MAIL_DEEP_MIME)
		strbuf_addf(out, "%sMIME parts nested deeper than %d levels were skipped",
			    n++ ? "; " : "", MAIL_MAX_MIME_DEPTH);
	if (m->flags & MAIL_UNKNOWN_CHARSET)
		strbuf_addf(out, "%stext in an unknown charset was read as Windows-1252, byte for byte",
			    n++ ? "; " : "");
	if (m->flags & MAIL_MANY_REFS)
		strbuf_addf(out, "%sReferences names more than %d messages: the first and the "
			    "newest %d were kept", n++ ? "; " : "", MAIL_MAX_REFS, MAIL_MAX_REFS - 1);
	return n;
}

const char *mail_trailer_get(const struct mail *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->trailers_nr; i++)
		if (!strcasecmp(m->trailers[i].key, key))
			return m->trailers[i].value;
	return NULL;
}

time_t mail_period_time(const struct mail *m)
{
	if (!(m->flags & MAIL_HAS_DATE))
		return m->arrival;
	if (m->arrival && (m->date > m->arrival + 2 * 86400 ||
			   m->date < m->arrival - 2 * 86400))
		return m->arrival;
	return m->date;
}

char *mail_percent_decode(const char *s, size_t len)
{
	return percent_decode(s, len);
}
