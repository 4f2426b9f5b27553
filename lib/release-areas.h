/*
 * release-areas.h - the areas of the kernel a release note groups by.
 *
 * One table says which area of the bpf tree a commit belongs to: rules
 * on the words of a subject's prefixes ("bpf, x86:" is the x86 JIT),
 * kernel path globs (the most specific wins), and how much each area
 * weighs when a commit or series touches several.  The built-in rows
 * come first, then those bpfdigest.area.<name> configures.  release.h
 * sorts commits and series with it; nothing here knows of commits.
 *
 * The table owns its names, titles, globs and rules.
 */
#ifndef BPFDIGEST_RELEASE_AREAS_H
#define BPFDIGEST_RELEASE_AREAS_H

#include <stddef.h>

/* How much an area weighs when a commit or series touches several. */
enum release_rank {
	RELEASE_RANK_OTHER = 0,		/* whatever no rule names */
	RELEASE_RANK_TESTS = 1,		/* selftests, documentation */
	RELEASE_RANK_TOOLS = 2,		/* libbpf, bpftool */
	RELEASE_RANK_KERNEL = 3,	/* verifier, core, JITs, networking, tracing */
};

struct release_area {
	char *name;		/* "jit-x86": the <name> of bpfdigest.area.<name> */
	char *title;		/* "JIT (x86)" */
	enum release_rank rank;
};

/* A path glob: fnmatch(3) without FNM_PATHNAME, or a prefix ending in '/'. */
struct release_glob {
	char *pattern;
	size_t literal;		/* length before the first wildcard: specificity */
	int area;
	int configured;		/* from bpfdigest.area.<name>: wins a tie */
};

/*
 * A subject rule: groups of alternative words ("x86|x86_64+bpf|jit"),
 * every group present among the prefixes' words.
 */
struct release_prefix {
	char *rule;
	int area;
};

/* The area table: the built-in rows, then those configured. */
struct release_areas {
	struct release_area *items;	/* in output order; "other" last */
	size_t nr, alloc;
	struct release_glob *globs;
	size_t globs_nr, globs_alloc;
	struct release_prefix *prefixes;
	size_t prefixes_nr, prefixes_alloc;
};

#define RELEASE_AREAS_INIT { NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 }

/* The built-in table into *areas (overwritten). */
void release_areas_init(struct release_areas *areas);
/*
 * bpfdigest.area.<name> = <glob>: add glob to the area name, which is
 * made (weighing as the kernel, listed before "other") when it is new.
 * Returns 0, or -1 for an empty glob or a name git would not accept.
 */
int release_areas_add(struct release_areas *areas, const char *name, const char *glob);
/* The index of the area called name, or -1. */
int release_areas_find(const struct release_areas *areas, const char *name);
/* The area a kernel path is in, by the most specific glob, or -1. */
int release_areas_of_path(const struct release_areas *areas, const char *path);
/*
 * The area a commit subject's prefixes ("bpf, arm64: ...") name, or -1
 * when they name none ("bpf: ..." alone says nothing).  Of several, the
 * one named first wins, then the weightiest.
 */
int release_areas_of_subject(const struct release_areas *areas, const char *subject);
/* The index of "other", where everything unnamed goes. */
int release_areas_other(const struct release_areas *areas);
void release_areas_clear(struct release_areas *areas);
/*
 * Of counts[] (one per area), the weightiest area with any, then the
 * one with most, then the first in the table; "other" when all are zero.
 */
int release_areas_weightiest(const struct release_areas *areas, const size_t *counts);

#endif
