#include "config.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <pwd.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *config_canonical_key(const char *key)
{
	char *out = xstrdup(key);
	char *first = strchr(out, '.'), *last = strrchr(out, '.'), *p;

	/* Section (before the first dot) and name (after the last) fold case. */
	for (p = out; *p && (!first || p < first); p++)
		*p = (char)tolower((unsigned char)*p);
	if (last)
		for (p = last; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return out;
}

void config_add(struct config *cfg, const char *key, const char *value)
{
	struct config_entry *e;

	ALLOC_GROW(cfg->entries, cfg->nr + 1, cfg->alloc);
	e = &cfg->entries[cfg->nr++];
	e->key = config_canonical_key(key);
	e->value = xstrdup_or_null(value);
}

void config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nr; i++) {
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	cfg->entries = NULL;
	cfg->nr = cfg->alloc = 0;
}

/*
 * Read one shell single-quoted word, as git's sq_quote_buf() writes it:
 * 'abc'\''def' is "abc'def".  On success *p is just past the word.
 */
static int read_sq_word(const char **p, struct strbuf *out)
{
	const char *s = *p;

	if (*s != '\'')
		return -1;
	strbuf_reset(out);
	for (;;) {
		s++;
		while (*s && *s != '\'')
			strbuf_addch(out, *s++);
		if (*s != '\'')
			return -1;
		s++;
		/* A backslash-escaped character between quoted runs. */
		if (*s == '\\' && s[1] && s[2] == '\'') {
			strbuf_addch(out, s[1]);
			s += 2;
			continue;
		}
		break;
	}
	*p = s;
	return 0;
}

int config_parse_parameters(struct config *cfg, const char *text)
{
	struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;
	const char *p = text;
	int ret = 0;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (read_sq_word(&p, &key) < 0) {
			ret = error("bogus format in GIT_CONFIG_PARAMETERS '%s'", text);
			break;
		}
		if (*p == '=') {
			/*
			 * New style: 'key'='value'; 'key'= with nothing quoted
			 * after it is "git -c key", a key without a value (true).
			 */
			p++;
			if (*p == '\'') {
				if (read_sq_word(&p, &value) < 0) {
					ret = error("bogus format in GIT_CONFIG_PARAMETERS '%s'", text);
					break;
				}
				config_add(cfg, key.buf, value.buf);
			} else {
				config_add(cfg, key.buf, NULL);
			}
		} else {
			/* Old style 'key=value', or a bare 'key' meaning true. */
			char *eq = strchr(key.buf, '=');

			if (eq) {
				*eq = '\0';
				config_add(cfg, key.buf, eq + 1);
			} else {
				config_add(cfg, key.buf, NULL);
			}
		}
		if (*p && !isspace((unsigned char)*p)) {
			ret = error("bogus format in GIT_CONFIG_PARAMETERS '%s'", text);
			break;
		}
	}
	strbuf_release(&key);
	strbuf_release(&value);
	return ret;
}

static int load_config_count(struct config *cfg)
{
	const char *count = getenv("GIT_CONFIG_COUNT");
	char *end;
	long n, i;

	if (!count || !*count)
		return 0;
	errno = 0;
	n = strtol(count, &end, 10);
	if (errno || *end || n < 0 || n > INT_MAX)
		return error("bogus count in GIT_CONFIG_COUNT '%s'", count);
	for (i = 0; i < n; i++) {
		char name[64];
		const char *key, *value;

		snprintf(name, sizeof(name), "GIT_CONFIG_KEY_%ld", i);
		key = getenv(name);
		if (!key || !*key)
			return error("missing config key %s", name);
		snprintf(name, sizeof(name), "GIT_CONFIG_VALUE_%ld", i);
		value = getenv(name);
		if (!value)
			return error("missing config value %s", name);
		config_add(cfg, key, value);
	}
	return 0;
}

static int collect_entry(const git_config_entry *entry, void *data)
{
	/* libgit2 reports "[section] key" with no "=" as a NULL value. */
	config_add(data, entry->name, entry->value);
	return 0;
}

int config_load(struct config *cfg, struct git_repository *repo)
{
	git_config *gcfg = NULL;
	git_config_level_t levels[] = {
		GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
		GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
		GIT_CONFIG_LEVEL_LOCAL,
		GIT_CONFIG_LEVEL_APP,
	};
	const char *params;
	size_t i;
	int ret = 0;

	if (repo ? git_repository_config_snapshot(&gcfg, repo)
		 : git_config_open_default(&gcfg)) {
		const git_error *e = git_error_last();

		return error("cannot read git configuration: %s",
			     e ? e->message : "unknown error");
	}
	/*
	 * Walk the levels from lowest to highest priority so that the last
	 * entry of a key is the one that wins and multi-valued keys keep
	 * git's order.
	 */
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		git_config *level = NULL;
		int err = git_config_open_level(&level, gcfg, levels[i]);

		if (err == GIT_ENOTFOUND)
			continue;
		if (err < 0) {
			const git_error *e = git_error_last();

			ret = error("cannot read git configuration: %s",
				    e ? e->message : "unknown error");
			goto out;
		}
		err = git_config_foreach(level, collect_entry, cfg);
		git_config_free(level);
		if (err < 0) {
			ret = error("cannot read git configuration");
			goto out;
		}
	}
	if (load_config_count(cfg) < 0) {
		ret = -1;
		goto out;
	}
	params = getenv("GIT_CONFIG_PARAMETERS");
	if (params && config_parse_parameters(cfg, params) < 0)
		ret = -1;
out:
	git_config_free(gcfg);
	return ret;
}

static const struct config_entry *find_last(const struct config *cfg,
					    const char *key)
{
	char *canon = config_canonical_key(key);
	const struct config_entry *found = NULL;
	size_t i;

	for (i = cfg->nr; i > 0; i--)
		if (!strcmp(cfg->entries[i - 1].key, canon)) {
			found = &cfg->entries[i - 1];
			break;
		}
	free(canon);
	return found;
}

const char *config_get_string(const struct config *cfg, const char *key)
{
	const struct config_entry *e = find_last(cfg, key);

	return e ? e->value : NULL;
}

int config_is_set(const struct config *cfg, const char *key)
{
	return find_last(cfg, key) != NULL;
}

int config_get_all(const struct config *cfg, const char *key,
		   int (*fn)(const char *value, void *data), void *data)
{
	char *canon = config_canonical_key(key);
	size_t i, start = 0;
	int ret = 0;

	for (i = 0; i < cfg->nr; i++)
		if (!strcmp(cfg->entries[i].key, canon) && cfg->entries[i].value &&
		    !*cfg->entries[i].value)
			start = i + 1;
	for (i = start; i < cfg->nr && !ret; i++)
		if (!strcmp(cfg->entries[i].key, canon) && cfg->entries[i].value)
			ret = fn(cfg->entries[i].value, data);
	free(canon);
	return ret;
}

/* The home directory of "~" (user empty) or "~user", or NULL. */
static const char *home_of(const char *user, size_t len)
{
	struct passwd *pw;
	char *name;

	if (!len) {
		const char *home = getenv("HOME");

		if (home && *home)
			return home;
		pw = getpwuid(getuid());
		return pw ? pw->pw_dir : NULL;
	}
	name = xstrndup(user, len);
	pw = getpwnam(name);
	free(name);
	return pw ? pw->pw_dir : NULL;
}

char *config_expand_path(const char *value)
{
	const char *path = value, *colon = strchr(value, ':'), *slash, *home;
	size_t scheme = 0, user;

	/* "mboxrd:~/x": the scheme is letters and digits before the colon. */
	if (colon && colon[1] == '~') {
		const char *p;

		for (p = value; p < colon && isalnum((unsigned char)*p); p++)
			;
		if (p == colon && p > value) {
			scheme = (size_t)(colon + 1 - value);
			path = colon + 1;
		}
	}
	if (*path != '~')
		return xstrdup(value);
	slash = strchrnul(path, '/');
	user = (size_t)(slash - path - 1);
	home = home_of(path + 1, user);
	if (!home) {
		if (user)
			error("cannot expand '%s': no user '%.*s'", value, (int)user, path + 1);
		else
			error("cannot expand '%s': HOME is not set", value);
		return NULL;
	}
	return xstrfmt("%.*s%s%s", (int)scheme, value, home, slash);
}

int config_expand_paths(struct config *cfg, const char *key)
{
	char *canon = config_canonical_key(key);
	int ret = 0;
	size_t i;

	for (i = 0; i < cfg->nr; i++) {
		struct config_entry *e = &cfg->entries[i];
		char *expanded;

		if (strcmp(e->key, canon) || !e->value)
			continue;
		expanded = config_expand_path(e->value);
		if (!expanded) {
			ret = -1;
			break;
		}
		free(e->value);
		e->value = expanded;
	}
	free(canon);
	return ret;
}

int config_parse_bool(const char *text)
{
	static const char *yes[] = { "true", "yes", "on", "1" };
	static const char *no[] = { "false", "no", "off", "0", "" };
	size_t i;

	if (!text)
		return 1;
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		if (!strcasecmp(text, yes[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(no); i++)
		if (!strcasecmp(text, no[i]))
			return 0;
	return -1;
}

int config_get_bool(const struct config *cfg, const char *key, int *out)
{
	const struct config_entry *e = find_last(cfg, key);
	int v;

	if (!e)
		return 0;
	v = config_parse_bool(e->value);
	if (v < 0)
		die("bad boolean config value '%s' for '%s'", e->value, key);
	*out = v;
	return 1;
}

int config_get_long(const struct config *cfg, const char *key, long *out)
{
	const struct config_entry *e = find_last(cfg, key);
	long v, unit = 1;
	char *end;

	if (!e)
		return 0;
	if (!e->value || !*e->value)
		die("bad numeric config value '' for '%s'", key);
	errno = 0;
	v = strtol(e->value, &end, 10);
	if (*end && !end[1]) {
		switch (tolower((unsigned char)*end)) {
		case 'k': unit = 1024; end++; break;
		case 'm': unit = 1024 * 1024; end++; break;
		case 'g': unit = 1024L * 1024 * 1024; end++; break;
		}
	}
	if (errno || *end || end == e->value || (v && LONG_MAX / labs(v) < unit))
		die("bad numeric config value '%s' for '%s'", e->value, key);
	*out = v * unit;
	return 1;
}
