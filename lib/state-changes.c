/*
 * state-changes.c - how an applied commit differs from its posting
 * (see state-changes.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "state-changes.h"
#include "strbuf.h"
#include "xalloc.h"

/* One file of a diff: the lines it adds ("+...") and removes ("-..."). */
struct diff_file {
	char *path;
	char **lines;		/* sign, then the text without whitespace */
	size_t nr, alloc;
	int binary;
	int created;		/* "new file mode", or "--- /dev/null" */
};

struct diff_files {
	struct diff_file *v;
	size_t nr, alloc;
};

static int starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* "a/x.c" or "b/x.c" -> "x.c"; a path without the prefix is taken as it is. */
static char *strip_side(const char *s, size_t len)
{
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	if (len >= 2 && (s[0] == 'a' || s[0] == 'b') && s[1] == '/') {
		s += 2;
		len -= 2;
	}
	return xstrndup(s, len);
}

static struct diff_file *new_file(struct diff_files *files, const char *line, size_t len)
{
	struct diff_file *f;
	const char *b = NULL, *p;

	ALLOC_GROW(files->v, files->nr + 1, files->alloc);
	f = &files->v[files->nr++];
	memset(f, 0, sizeof(*f));
	/* "diff --git a/<old> b/<new>": the last " b/" starts the new path. */
	for (p = line + 11; p + 3 <= line + len; p++)
		if (!memcmp(p, " b/", 3))
			b = p + 1;
	f->path = b ? strip_side(b, (size_t)(line + len - b))
		    : strip_side(line + 11, len - 11);
	return f;
}

static void add_line(struct diff_file *f, char sign, const char *s, size_t len)
{
	char *l = xmalloc(len + 2);
	size_t i, n = 0;

	l[n++] = sign;
	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			l[n++] = s[i];
	l[n] = '\0';
	ALLOC_GROW(f->lines, f->nr + 1, f->alloc);
	f->lines[f->nr++] = l;
}

/* "@@ -a[,b] +c[,d] @@": b and d (1 when left out); 0 when not a hunk header. */
static int hunk_header(const char *s, size_t len, long *before, long *after)
{
	const char *end = s + len;
	char *next;

	if (!starts(s, len, "@@ -"))
		return 0;
	s += 4;
	strtol(s, &next, 10);
	*before = 1;
	if (next < end && *next == ',')
		*before = strtol(next + 1, &next, 10);
	if (next + 2 > end || next[0] != ' ' || next[1] != '+')
		return 0;
	strtol(next + 2, &next, 10);
	*after = 1;
	if (next < end && *next == ',')
		*after = strtol(next + 1, &next, 10);
	return next < end && *before >= 0 && *after >= 0;
}

/*
 * Read a diff as patch-id does: headers, then hunks counted by their
 * headers; the first line that fits neither ends it (a mail's "-- "
 * signature, say).
 */
static void parse_diff(struct diff_files *files, const char *s, size_t len)
{
	const char *end = s + len;
	struct diff_file *f = NULL;
	long before = 0, after = 0;
	int in_hunk = 0;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *next = nl ? nl + 1 : end;

		if (n && s[n - 1] == '\r')
			n--;
		if (in_hunk) {
			char c = n ? s[0] : ' ';

			if (c == '\\') {
				s = next;
				continue;
			}
			if (c != ' ' && c != '+' && c != '-')
				break;
			if (c != '+')
				before--;
			if (c != '-')
				after--;
			if (c != ' ')
				add_line(f, c, s + 1, n - 1);
			if (before <= 0 && after <= 0)
				in_hunk = 0;
			s = next;
			continue;
		}
		if (starts(s, n, "diff --git ")) {
			f = new_file(files, s, n);
		} else if (!f) {
			/* Whatever comes before the first file (a log, a diffstat). */
		} else if (hunk_header(s, n, &before, &after)) {
			in_hunk = before > 0 || after > 0;
		} else if (starts(s, n, "+++ /dev/null")) {
			/* A deletion is named by the path it had. */
		} else if (starts(s, n, "+++ ")) {
			free(f->path);
			f->path = strip_side(s + 4, n - 4);
		} else if (starts(s, n, "--- /dev/null") || starts(s, n, "new file mode ")) {
			f->created = 1;
		} else if (starts(s, n, "--- ")) {
			free(f->path);
			f->path = strip_side(s + 4, n - 4);
		} else if (starts(s, n, "Binary files ") || starts(s, n, "GIT binary patch")) {
			f->binary = 1;
		} else if (f->binary) {
			/* The base85 lines of a binary patch, and the blank ones between. */
		} else if (!starts(s, n, "index ") && !starts(s, n, "new file mode ") &&
			   !starts(s, n, "deleted file mode ") && !starts(s, n, "old mode ") &&
			   !starts(s, n, "new mode ") && !starts(s, n, "similarity index ") &&
			   !starts(s, n, "dissimilarity index ") && !starts(s, n, "rename ") &&
			   !starts(s, n, "copy ") && !starts(s, n, "--- ")) {
			break;
		}
		s = next;
	}
}

static int cmp_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct diff_file *)a)->path, ((const struct diff_file *)b)->path);
}

/*
 * One file per path: a diff that names a path twice (a mail quoting a
 * second copy of a hunk) has its lines together.
 */
static void sort_files(struct diff_files *files)
{
	size_t i, j = 0;

	QSORT(files->v, files->nr, cmp_file);
	for (i = 0; i < files->nr; i++) {
		struct diff_file *f = &files->v[i];

		if (j && !strcmp(files->v[j - 1].path, f->path)) {
			struct diff_file *into = &files->v[j - 1];
			size_t k;

			for (k = 0; k < f->nr; k++) {
				ALLOC_GROW(into->lines, into->nr + 1, into->alloc);
				into->lines[into->nr++] = f->lines[k];
			}
			into->binary |= f->binary;
			into->created |= f->created;
			free(f->lines);
			free(f->path);
			continue;
		}
		files->v[j++] = *f;
	}
	files->nr = j;
	for (i = 0; i < files->nr; i++)
		QSORT(files->v[i].lines, files->v[i].nr, cmp_string);
}

static void release_files(struct diff_files *files)
{
	size_t i, j;

	for (i = 0; i < files->nr; i++) {
		for (j = 0; j < files->v[i].nr; j++)
			free(files->v[i].lines[j]);
		free(files->v[i].lines);
		free(files->v[i].path);
	}
	free(files->v);
}

/* The lines of a (sorted) that b lacks, counted with their repeats. */
static size_t missing(const struct diff_file *a, const struct diff_file *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->nr) {
		int c = j < b->nr ? strcmp(a->lines[i], b->lines[j]) : -1;

		if (c < 0) {
			n++;
			i++;
		} else if (c > 0) {
			j++;
		} else {
			i++;
			j++;
		}
	}
	return n;
}

static void add_change(struct state_changes **out, const char *path, size_t added,
		       size_t removed)
{
	struct state_changes *c = *out;
	struct state_file_change *fc;

	if (!c)
		*out = c = xcalloc(1, sizeof(*c));
	ALLOC_GROW(c->files, c->nr + 1, c->alloc);
	fc = &c->files[c->nr++];
	fc->path = xstrdup(path);
	fc->added = added;
	fc->removed = removed;
	c->added += added;
	c->removed += removed;
}

size_t state_changes_compare(struct state_changes **out, const char *posted, size_t posted_len,
			     const char *applied, size_t applied_len,
			     int (*in_tree)(const char *path, void *data), void *data)
{
	static const struct diff_file none = { NULL, NULL, 0, 0, 0, 0 };
	struct diff_files p = { NULL, 0, 0 }, a = { NULL, 0, 0 };
	size_t i = 0, j = 0, common = 0;

	*out = NULL;
	parse_diff(&p, posted, posted_len);
	parse_diff(&a, applied, applied_len);
	sort_files(&p);
	sort_files(&a);
	/* A file the posting changes that the tree never had: paths of another tree. */
	for (i = 0; in_tree && i < p.nr; i++)
		if (!p.v[i].created && !in_tree(p.v[i].path, data))
			goto out;
	i = 0;
	while (i < p.nr && j < a.nr) {
		int c = strcmp(p.v[i].path, a.v[j].path);

		common += !c;
		i += c <= 0;
		j += c >= 0;
	}
	/*
	 * Not one path in common: the two diffs are of different trees (a
	 * mirror's commit and a kernel posting, with no bpfdigest.pathMap),
	 * and nothing can be told.
	 */
	i = j = 0;
	while (common && (i < p.nr || j < a.nr)) {
		int c = i == p.nr ? 1 : j == a.nr ? -1 : strcmp(p.v[i].path, a.v[j].path);
		const struct diff_file *pf = c <= 0 ? &p.v[i] : &none;
		const struct diff_file *af = c >= 0 ? &a.v[j] : &none;
		size_t added = missing(af, pf), removed = missing(pf, af);

		/* A binary file on one side only is a change of its own. */
		if (added || removed || (c && (pf->binary || af->binary)))
			add_change(out, c <= 0 ? pf->path : af->path, added, removed);
		i += c <= 0;
		j += c >= 0;
	}
out:
	release_files(&p);
	release_files(&a);
	return *out ? (*out)->nr : 0;
}

void state_changes_free(struct state_changes *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nr; i++)
		free(c->files[i].path);
	free(c->files);
	free(c);
}

void state_describe_changes(struct strbuf *out, const struct state_changes *c)
{
	size_t i;

	if (!c || !c->nr)
		return;
	strbuf_addstr(out, "applied with changes to ");
	for (i = 0; i < c->nr; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", c->files[i].path);
	strbuf_addf(out, ", +%zu \u2212%zu", c->added, c->removed);
}
