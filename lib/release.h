/*
 * release.h - a release-note draft for a range of applied commits.
 *
 * release_build() takes what the link stage found for a revision range
 * (which posted patch each commit is) and arranges it the way
 * maintainers write pull requests and release notes:
 *
 *   struct release            the range: counts, period, people
 *     series[]                one per posted series with commits in the
 *                             range, ordered by area, then size
 *       commits               its commits in the range, oldest first
 *     unposted[]              the commits that matched no posted patch
 *     people[]                authors and reviewers, for the thanks
 *
 * Areas.  Each commit has one area: the one its subject's prefixes name
 * ("bpf, x86:" is the x86 JIT, "selftests/bpf:" the selftests), else the
 * one most of its files are in, the weightiest first (the kernel over
 * libbpf and bpftool, those over selftests and documentation, those over
 * anything else).  A series takes the weightiest area among its commits,
 * then the most frequent.  The rules are one table (release-areas.h);
 * bpfdigest.area.<name> adds path globs to an area, or makes a new one.
 *
 * Mirrors.  In libbpf's and bpftool's own repositories src/ is the
 * kernel's tools/lib/bpf/ or tools/bpf/bpftool/: a path is read as the
 * kernel path bpfdigest.pathMap gives it ("<kernel path>:<mirror path>",
 * read backwards), else as the posted patch named the same file.
 *
 * People are .mailmap-resolved: the authors of the commits, and as
 * reviewers whoever gave an Acked-by, Reviewed-by or Tested-by, in the
 * commit or on the list to the patch it was posted as (bots left out).
 *
 * A release points into the link set, and through it into the series
 * set: both must outlive it.  It owns everything else.
 */
#ifndef BPFDIGEST_RELEASE_H
#define BPFDIGEST_RELEASE_H

#include <stddef.h>
#include <time.h>

#include "release-areas.h"

struct git_repository;
struct link_commit;
struct link_set;
struct patchid_pathmap;
struct series;
struct series_patch;
struct series_revision;

enum release_role {
	RELEASE_AUTHOR = 1 << 0,
	RELEASE_REVIEWER = 1 << 1,
};

struct release_person {
	char *name;		/* "" when only the address is known */
	char *email;
	unsigned roles;		/* enum release_role */
};

struct release_commit {
	const struct link_commit *link;	/* its entry in the link set */
	int area;
	size_t author;			/* index into people */
	int series;			/* index into series, -1 when unposted */
	/*
	 * Unposted here, but its own Link: says it was posted: the first
	 * lore.kernel.org or patch.msgid.link URL of its message, or NULL.
	 */
	char *posted_link;
};

struct release_series {
	const struct series *series;
	/* The newest revision one of its commits was posted in. */
	const struct series_revision *revision;
	char *title;			/* the revision's, or the commit's for one commit */
	size_t *commits;		/* indexes into commits, oldest first */
	size_t commits_nr, commits_alloc;
	size_t *authors;		/* indexes into people, by first commit */
	size_t authors_nr, authors_alloc;
	int area;
	char *summary;			/* one sentence (release_summarize()), or NULL */
};

struct release {
	const struct release_areas *areas;
	struct release_commit *commits;	/* oldest first, as applied */
	size_t nr;
	struct release_series *series;	/* by area (table order), commits, first commit */
	size_t series_nr;
	size_t *unposted;		/* indexes into commits, oldest first */
	size_t unposted_nr;
	size_t unposted_linked;		/* ... of them with a posted_link */
	struct release_person *people;	/* by name */
	size_t people_nr;
	size_t authors, reviewers;	/* people with either role */
	time_t first, last;		/* when the oldest and newest commit were applied */
};

struct release_options {
	const struct release_areas *areas;	/* required */
	const struct patchid_pathmap *pathmap;	/* kernel:mirror paths, or NULL */
};

/*
 * Arrange the commits of links (link_commits() over the range) into
 * *rel (overwritten).  Reads each commit's files and trailers and the
 * repository's .mailmap.  Returns 0, or -1 after an error reading the
 * repository.
 */
int release_build(struct release *rel, struct git_repository *repo,
		  const struct link_set *links, const struct release_options *opts);

/*
 * The posted message a series' summary is taken from, when it has one:
 * the cover letter of its revision, for a series of several commits.
 * Its body must be loaded (MAIL_HAS_BODY) before release_summarize().
 */
const struct series_patch *release_summary_source(const struct release_series *s);

/*
 * Give every series its one-sentence summary: the sentence of the cover
 * letter (release_summary_source()) or of its first commit's message
 * that says what the change does, else the first.  Returns 0, or -1
 * after an error reading the repository.
 */
int release_summarize(struct release *rel, struct git_repository *repo);

/* Number of commits in the series of an area, for headings. */
size_t release_area_commits(const struct release *rel, int area);

void release_clear(struct release *rel);

#endif
