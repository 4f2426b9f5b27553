#include "link-trailer.h"
#include "mail.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int starts_with_ci_line(const char *s, const char *end, const char *prefix);

static int ends_mid(int c)
{
	return !c || isspace(c) || c == '/' || c == '>' || c == ')' || c == ']' || c == '"';
}

/* Keep mid (given) when it looks like a Message-ID and is new. */
static void add_mid(char ***mids, size_t *nr, size_t *alloc, char *mid)
{
	size_t i;

	if (!strchr(mid, '@') || *mid == '@') {
		free(mid);
		return;
	}
	for (i = 0; i < *nr; i++)
		if (!strcmp((*mids)[i], mid)) {
			free(mid);
			return;
		}
	ALLOC_GROW(*mids, *nr + 1, *alloc);
	(*mids)[(*nr)++] = mid;
}

/*
 * The revision a Link: line is annotated with: "Link: <url> # v1",
 * "Link: <url> (v2)", "[v3]"; 0 when none.
 */
static unsigned link_annotation(const char *p, const char *end)
{
	while (p < end && (isspace((unsigned char)*p) || *p == '#' || *p == '(' || *p == '['))
		p++;
	if (p + 1 < end && (*p == 'v' || *p == 'V') && isdigit((unsigned char)p[1]))
		return (unsigned)strtoul(p + 1, NULL, 10);
	return 0;
}

unsigned link_trailer_annotation(const char *message, const char *mid)
{
	const char *line = message;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *hit = memmem(line, (size_t)(end - line), mid, strlen(mid));

		if (hit && starts_with_ci_line(line, end, "link:")) {
			const char *u = hit + strlen(mid);

			while (u < end && !isspace((unsigned char)*u))
				u++;
			return link_annotation(u, end);
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The id at p in a URL: its path segment, %-escapes decoded. */
static void add_url_mid(char ***mids, size_t *nr, size_t *alloc, const char *p, const char *end)
{
	const char *e = p;

	while (e < end && !ends_mid((unsigned char)*e))
		e++;
	add_mid(mids, nr, alloc, mail_percent_decode(p, (size_t)(e - p)));
}

static int starts_with_ci(const char *s, const char *end, const char *prefix)
{
	size_t len = strlen(prefix);

	return (size_t)(end - s) >= len && !strncasecmp(s, prefix, len);
}

/* A line that starts (after blanks) with prefix. */
static int starts_with_ci_line(const char *s, const char *end, const char *prefix)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return starts_with_ci(s, end, prefix);
}

/* One URL [url, end): the message-id it names, if it is a link to one. */
static void mid_from_url(char ***mids, size_t *nr, size_t *alloc, const char *url,
			 const char *end, const char *const *masks, size_t masks_nr)
{
	/* Hosts whose first path segment is a list name (or "r", "all"). */
	static const char *const listed[] = { "lore.kernel.org/", "lkml.kernel.org/" };
	/* Hosts whose path is the id (after an optional "r/"). */
	static const char *const direct[] = { "patch.msgid.link/", "msgid.link/" };
	const char *p = url;
	size_t i;

	for (i = 0; i < masks_nr; i++) {
		const char *pct = strstr(masks[i], "%s");
		size_t plen = pct ? (size_t)(pct - masks[i]) : 0;

		if (plen && (size_t)(end - url) > plen && !strncmp(url, masks[i], plen)) {
			add_url_mid(mids, nr, alloc, url + plen, end);
			return;
		}
	}
	if (starts_with_ci(p, end, "https://"))
		p += 8;
	else if (starts_with_ci(p, end, "http://"))
		p += 7;
	else
		return;
	for (i = 0; i < ARRAY_SIZE(listed); i++)
		if (starts_with_ci(p, end, listed[i])) {
			const char *seg = p + strlen(listed[i]);
			const char *slash = memchr(seg, '/', (size_t)(end - seg));

			if (slash && slash > seg)
				add_url_mid(mids, nr, alloc, slash + 1, end);
			return;
		}
	for (i = 0; i < ARRAY_SIZE(direct); i++)
		if (starts_with_ci(p, end, direct[i])) {
			const char *seg = p + strlen(direct[i]);

			if (starts_with_ci(seg, end, "r/"))
				seg += 2;
			add_url_mid(mids, nr, alloc, seg, end);
			return;
		}
}

void link_trailer_mids(char ***mids, size_t *nr, size_t *alloc, const char *message,
		      const char *const *masks, size_t masks_nr)
{
	const char *line = message;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *p = line;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (starts_with_ci(p, end, "link:")) {
			/* Every URL of the line: "Link: [1] https://..." too. */
			for (p += 5; p < end; p++) {
				const char *u = p;

				if (!starts_with_ci(u, end, "http://") && !starts_with_ci(u, end, "https://"))
					continue;
				while (p < end && !isspace((unsigned char)*p) && *p != '>')
					p++;
				mid_from_url(mids, nr, alloc, u, p, masks, masks_nr);
			}
		} else if (starts_with_ci(p, end, "message-id:")) {
			char *mid = mail_normalize_mid(p + 11, (size_t)(end - p - 11));

			if (mid)
				add_mid(mids, nr, alloc, mid);
		}
		line = nl ? nl + 1 : NULL;
	}
}
