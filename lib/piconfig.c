#include "piconfig.h"
#include "strbuf.h"
#include "xalloc.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The git-config file at path, or NULL when it is not there. */
static git_config *open_config(char *path)
{
	git_config *cfg = NULL;

	if (path && (access(path, R_OK) || git_config_open_ondisk(&cfg, path) < 0))
		cfg = NULL;
	free(path);
	return cfg;
}

/* $dir/rel when the variable dir is set, else $HOME/home_rel; NULL without either. */
static char *config_path(const char *dir_var, const char *rel, const char *home_rel)
{
	const char *dir = getenv(dir_var), *home = getenv("HOME");

	if (dir && *dir)
		return rel ? xstrfmt("%s/%s", dir, rel) : xstrdup(dir);
	if (home && *home)
		return xstrfmt("%s/%s", home, home_rel);
	return NULL;
}

static git_config *open_pi_config(void)
{
	return open_config(config_path("PI_CONFIG", NULL, ".public-inbox/config"));
}

static git_config *open_lei_config(void)
{
	return open_config(config_path("XDG_CONFIG_HOME", "lei/config", ".config/lei/config"));
}

static char *get_string(git_config *cfg, const char *key)
{
	git_buf buf = { 0 };
	char *value = NULL;

	if (!git_config_get_string_buf(&buf, cfg, key))
		value = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	return value;
}

static int keep_first(const git_config_entry *e, void *data)
{
	char **first = data;

	if (!*first && e->value)
		*first = xstrdup(e->value);
	return 0;
}

/* The first value of a multi-valued key (libgit2's get_string gives the last). */
static char *get_first(git_config *cfg, const char *key)
{
	char *first = NULL;

	git_config_get_multivar_foreach(cfg, key, NULL, keep_first, &first);
	return first;
}

char *piconfig_inboxdir(const char *name)
{
	git_config *cfg = open_pi_config();
	char *key, *dir = NULL;

	if (!cfg)
		return NULL;
	key = xstrfmt("publicinbox.%s.inboxdir", name);
	dir = get_string(cfg, key);
	free(key);
	if (!dir) {
		key = xstrfmt("publicinbox.%s.mainrepo", name);
		dir = get_string(cfg, key);
		free(key);
	}
	git_config_free(cfg);
	return dir;
}

static int same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && !strcmp(ra, rb);

	free(ra);
	free(rb);
	return same;
}

struct find_name {
	const char *dir;
	struct strbuf name;	/* the publicinbox.<name> whose inboxdir is dir */
};

/*
 * git_config_foreach(), not git_config_foreach_match(): the latter leaks
 * its regex match data in libgit2 1.5.
 */
static int match_inboxdir(const git_config_entry *e, void *data)
{
	struct find_name *f = data;
	const char *name, *dot;

	if (f->name.len || strncmp(e->name, "publicinbox.", 12) || !e->value)
		return 0;
	name = e->name + 12;
	dot = strrchr(name, '.');
	if (dot && (!strcmp(dot, ".inboxdir") || !strcmp(dot, ".mainrepo")) &&
	    same_dir(f->dir, e->value))
		strbuf_add(&f->name, name, (size_t)(dot - name));
	return 0;
}

char *piconfig_address(const char *dir)
{
	git_config *cfg = open_pi_config();
	struct find_name f = { dir, STRBUF_INIT };
	char *address = NULL;

	if (!cfg)
		return NULL;
	git_config_foreach(cfg, match_inboxdir, &f);
	if (f.name.len) {
		/* public-inbox's primary address is the first one. */
		char *key = xstrfmt("publicinbox.%s.address", f.name.buf);

		address = get_first(cfg, key);
		free(key);
	}
	strbuf_release(&f.name);
	git_config_free(cfg);
	return address;
}

struct find_external {
	const char *name;
	char *found;
};

static int match_external(const git_config_entry *e, void *data)
{
	struct find_external *m = data;
	const char *sub, *last, *base;
	size_t len;

	if (m->found || strncmp(e->name, "external.", 9))
		return 0;
	sub = e->name + 9;
	last = strrchr(sub, '.');
	if (!last || *sub != '/')
		return 0;	/* remote externals (https://...) cannot be read here */
	len = (size_t)(last - sub);
	while (len > 1 && sub[len - 1] == '/')
		len--;
	base = sub + len;
	while (base > sub && base[-1] != '/')
		base--;
	if ((size_t)(sub + len - base) == strlen(m->name) &&
	    !strncmp(base, m->name, strlen(m->name)))
		m->found = xstrndup(sub, len);
	return 0;
}

char *piconfig_lei_external(const char *name)
{
	git_config *cfg = open_lei_config();
	struct find_external m = { name, NULL };

	if (!cfg)
		return NULL;
	git_config_foreach(cfg, match_external, &m);
	git_config_free(cfg);
	return m.found;
}
