/*
 * patchid-pathmap.c - a kernel mail's diff in a mirror's paths;
 * patchid-pathmap.h says what and who owns what.
 */
#include "patchid-pathmap.h"
#include "strbuf.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

int patchid_pathmap_add(struct patchid_pathmap *map, const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct patchid_mapping *m;

	if (!colon || colon == spec)
		return -1;
	ALLOC_GROW(map->items, map->nr + 1, map->alloc);
	m = &map->items[map->nr++];
	m->from = xstrndup(spec, (size_t)(colon - spec));
	m->to = xstrdup(colon + 1);
	return 0;
}

static const struct patchid_mapping *find_mapping(const struct patchid_pathmap *map,
						  const char *path, size_t len)
{
	const struct patchid_mapping *best = NULL;
	size_t i, blen = 0;

	for (i = 0; i < map->nr; i++) {
		size_t flen = strlen(map->items[i].from);

		if (flen <= len && flen > blen && !memcmp(path, map->items[i].from, flen)) {
			best = &map->items[i];
			blen = flen;
		}
	}
	return best;
}

static int map_path(struct strbuf *out, const struct patchid_pathmap *map,
		    const char *path, size_t len)
{
	const struct patchid_mapping *m = find_mapping(map, path, len);
	size_t flen;

	if (!m)
		return 0;
	flen = strlen(m->from);
	strbuf_addstr(out, m->to);
	strbuf_add(out, path + flen, len - flen);
	return 1;
}

int patchid_pathmap_path(struct strbuf *out, const struct patchid_pathmap *map,
			 const char *path)
{
	return map_path(out, map, path, strlen(path));
}

void patchid_pathmap_fingerprint(struct strbuf *out, const struct patchid_pathmap *map)
{
	struct strbuf all = STRBUF_INIT;
	size_t i;

	if (!map->nr)
		return;
	for (i = 0; i < map->nr; i++)
		strbuf_addf(&all, "%s:%s\n", map->items[i].from, map->items[i].to);
	strbuf_addf(out, "%08x", strhash(all.buf));
	strbuf_release(&all);
}

void patchid_pathmap_release(struct patchid_pathmap *map)
{
	size_t i;

	for (i = 0; i < map->nr; i++) {
		free(map->items[i].from);
		free(map->items[i].to);
	}
	free(map->items);
	memset(map, 0, sizeof(*map));
}

/* The offset of the first line starting with "diff --git ", or len. */
static size_t first_git_diff(const char *s, size_t len)
{
	size_t pos = 0;

	while (pos + 11 <= len) {
		const char *nl;

		if (!memcmp(s + pos, "diff --git ", 11))
			return pos;
		nl = memchr(s + pos, '\n', len - pos);
		if (!nl)
			break;
		pos = (size_t)(nl - s) + 1;
	}
	return len;
}

/* One line of a diff: [*pos, end of line), *pos moved past its newline. */
static size_t next_line(const char *s, size_t len, size_t *pos, size_t *llen)
{
	size_t start = *pos;
	const char *nl = memchr(s + start, '\n', len - start);

	*llen = nl ? (size_t)(nl - s) - start : len - start;
	*pos = nl ? (size_t)(nl - s) + 1 : len;
	return start;
}

static int line_is(const char *l, size_t llen, const char *prefix)
{
	size_t plen = strlen(prefix);

	return llen >= plen && !memcmp(l, prefix, plen);
}

/*
 * The old and new path of one file's header, from "diff --git a/P b/P"
 * (both sides equal) or from its rename/copy lines.  Returns 0 or -1.
 */
static int header_paths(const char *s, size_t len, struct strbuf *old_path,
			struct strbuf *new_path)
{
	size_t pos = 0, llen, start = next_line(s, len, &pos, &llen);
	const char *rest = s + start + 11;
	size_t rlen = llen - 11;

	/* "a/P b/P": 2 * |P| + 5 characters, split in the middle. */
	if (rlen > 5 && (rlen - 5) % 2 == 0) {
		size_t plen = (rlen - 5) / 2;

		if (!memcmp(rest, "a/", 2) && !memcmp(rest + 2 + plen, " b/", 3) &&
		    !memcmp(rest + 2, rest + 5 + plen, plen)) {
			strbuf_add(old_path, rest + 2, plen);
			strbuf_add(new_path, rest + 2, plen);
			return 0;
		}
	}
	while (pos < len) {
		const char *l;

		start = next_line(s, len, &pos, &llen);
		l = s + start;
		if (line_is(l, llen, "rename from ") || line_is(l, llen, "copy from "))
			strbuf_add(old_path, strchr(l, ' ') + 6, llen - (size_t)(strchr(l, ' ') + 6 - l));
		else if (line_is(l, llen, "rename to ") || line_is(l, llen, "copy to "))
			strbuf_add(new_path, strchr(l, ' ') + 4, llen - (size_t)(strchr(l, ' ') + 4 - l));
		else if (line_is(l, llen, "@@ "))
			break;
	}
	return old_path->len && new_path->len ? 0 : -1;
}

/* Append one file's section with its paths replaced by their mirror paths. */
static void add_mapped_section(struct strbuf *out, const char *s, size_t len,
			       const char *old_path, const char *new_path)
{
	size_t pos = 0, llen, start;
	int in_header = 1;

	start = next_line(s, len, &pos, &llen);
	strbuf_addf(out, "diff --git a/%s b/%s\n", old_path, new_path);
	while (pos < len) {
		const char *l;

		start = next_line(s, len, &pos, &llen);
		l = s + start;
		if (in_header && line_is(l, llen, "@@ "))
			in_header = 0;
		if (!in_header) {
			strbuf_add(out, l, llen);
		} else if (line_is(l, llen, "--- a/")) {
			strbuf_addf(out, "--- a/%s", old_path);
		} else if (line_is(l, llen, "+++ b/")) {
			strbuf_addf(out, "+++ b/%s", new_path);
		} else if (line_is(l, llen, "rename from ") || line_is(l, llen, "copy from ")) {
			strbuf_add(out, l, (size_t)(strchr(l, ' ') - l));
			strbuf_addf(out, " from %s", old_path);
		} else if (line_is(l, llen, "rename to ") || line_is(l, llen, "copy to ")) {
			strbuf_add(out, l, (size_t)(strchr(l, ' ') - l));
			strbuf_addf(out, " to %s", new_path);
		} else {
			strbuf_add(out, l, llen);
		}
		if (start + llen < len)
			strbuf_addch(out, '\n');
	}
}

size_t patchid_pathmap_diff(struct strbuf *out, const struct patchid_pathmap *map,
			    const char *diff, size_t len)
{
	struct strbuf old_path = STRBUF_INIT, new_path = STRBUF_INIT;
	struct strbuf mold = STRBUF_INIT, mnew = STRBUF_INIT;
	size_t pos = first_git_diff(diff, len), kept = 0;

	while (pos < len) {
		size_t end = pos + 11;

		/* The section runs to the next "diff --git " line. */
		end += first_git_diff(diff + end, len - end);
		strbuf_reset(&old_path);
		strbuf_reset(&new_path);
		strbuf_reset(&mold);
		strbuf_reset(&mnew);
		if (!header_paths(diff + pos, end - pos, &old_path, &new_path) &&
		    map_path(&mold, map, old_path.buf, old_path.len) &&
		    map_path(&mnew, map, new_path.buf, new_path.len)) {
			add_mapped_section(out, diff + pos, end - pos, mold.buf, mnew.buf);
			kept++;
		}
		pos = end;
	}
	strbuf_release(&old_path);
	strbuf_release(&new_path);
	strbuf_release(&mold);
	strbuf_release(&mnew);
	return kept;
}
