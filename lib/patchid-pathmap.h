/*
 * patchid-pathmap.h - a kernel mail's diff in a mirror's paths.
 *
 * libbpf and bpftool are mirrors of parts of the kernel tree under
 * other paths (tools/lib/bpf/ is src/ there).  A patchid_pathmap
 * rewrites a kernel mail's diff into the mirror's paths, keeping only
 * the files the mirror has, so that its patch-id (patchid_mail() of
 * patchid.h) can equal the mirror's commit.
 *
 *   struct patchid_pathmap map = PATCHID_PATHMAP_INIT;
 *   patchid_pathmap_add(&map, "tools/lib/bpf/:src/");
 *   if (patchid_pathmap_diff(&sb, &map, diff, len))
 *           patchid_mail(&id, sb.buf, sb.len);
 *   patchid_pathmap_release(&map);
 *
 * The map owns its mappings' strings; everything else is the caller's.
 * It works on text alone: no repository, and no patch-id of its own.
 */
#ifndef BPFDIGEST_PATCHID_PATHMAP_H
#define BPFDIGEST_PATCHID_PATHMAP_H

#include <stddef.h>

struct strbuf;

/* Kernel paths to mirror paths: "tools/lib/bpf/" -> "src/". */
struct patchid_mapping {
	char *from;
	char *to;
};

struct patchid_pathmap {
	struct patchid_mapping *items;
	size_t nr, alloc;
};

#define PATCHID_PATHMAP_INIT { NULL, 0, 0 }

/*
 * Add "<from>:<to>" (two path prefixes, e.g. "tools/lib/bpf/:src/").
 * Returns 0, or -1 when spec has no ':' or an empty <from>.  The longest
 * matching <from> wins.
 */
int patchid_pathmap_add(struct patchid_pathmap *map, const char *spec);
/* The mirror path of path appended to out: 1, or 0 when nothing maps it. */
int patchid_pathmap_path(struct strbuf *out, const struct patchid_pathmap *map,
			 const char *path);
/*
 * Rewrite a mail diff into the mirror's paths: every file some mapping
 * covers, renamed; the other files dropped.  Appends to out and returns
 * the number of files kept (0: the map does not apply to this diff).
 */
size_t patchid_pathmap_diff(struct strbuf *out, const struct patchid_pathmap *map,
			    const char *diff, size_t len);
/* A short fingerprint of the mappings, for cache keys ("" when empty). */
void patchid_pathmap_fingerprint(struct strbuf *out, const struct patchid_pathmap *map);
void patchid_pathmap_release(struct patchid_pathmap *map);

#endif
