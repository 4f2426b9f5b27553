/*
 * link-world.h - a repository, the mails posted of its commits, and the
 * links between them: what the link and release unit tests build their
 * cases on.  A test writes its own history (link_world_init() makes the
 * empty directory, link_world_open() opens what it wrote) and mails
 * (link_world_add_mail()); link_world_link() assembles the series and
 * links the commits of a range; link_world_free() frees it all and
 * removes the directory.
 */
#ifndef LINK_WORLD_H
#define LINK_WORLD_H

#include "unit.h"
#include "link.h"
#include "range.h"
#include "mail.h"
#include "series.h"

#include <git2.h>
#include <string.h>

struct link_world {
	char *dir;
	git_repository *repo;
	struct mail *mails[32];
	size_t nr;
	struct series_set set;
	git_oid *commits;
	size_t commits_nr;
	struct link_set links;
};

static const char jane[] = "Jane Dev <jane@x.org>";

static inline void link_world_init(struct link_world *w)
{
	struct series_set init = SERIES_SET_INIT;

	memset(w, 0, sizeof(*w));
	w->set = init;
	w->dir = unit_tmpdir();
}

static inline void link_world_open(struct link_world *w)
{
	assert_int_equal(git_repository_open(&w->repo, w->dir), 0);
}

static inline void link_world_add_mail(struct link_world *w, const char *from, const char *mid,
				       const char *reply_to, const char *date,
				       const char *subject, const char *body)
{
	assert_true(w->nr < sizeof(w->mails) / sizeof(w->mails[0]));
	w->mails[w->nr++] = unit_mail(from, mid, reply_to, date, subject, body, 0);
}

/* Mails are whole already: the link stage need not load their bodies. */
static inline int link_world_no_body(struct mail *m, void *data)
{
	(void)m;
	(void)data;
	return 0;
}

/* Series from the mails, then the commits of range (NULL: the default) linked. */
static inline void link_world_link(struct link_world *w, const char *range)
{
	struct link_options opts;

	series_build(&w->set, w->mails, w->nr);
	assert_int_equal(range_commits(&w->commits, &w->commits_nr, w->repo, range), 0);
	memset(&opts, 0, sizeof(opts));
	opts.load_body = link_world_no_body;
	assert_int_equal(link_commits(&w->links, w->repo, w->commits, w->commits_nr, &w->set,
				      &opts), 0);
}

static inline void link_world_free(struct link_world *w)
{
	size_t i;

	link_set_release(&w->links);
	series_set_release(&w->set);
	for (i = 0; i < w->nr; i++) {
		mail_release(w->mails[i]);
		free(w->mails[i]);
	}
	free(w->commits);
	git_repository_free(w->repo);
	unit_rmtree(w->dir);
	free(w->dir);
}

#endif
