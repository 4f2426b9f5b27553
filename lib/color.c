#include "color.h"
#include "config.h"
#include "pager.h"
#include "strbuf.h"
#include "usage.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const struct {
	const char *name;
	const char *value;
} slots[COLOR_SLOTS] = {
	[COLOR_TITLE] = { "title", "bold" },
	[COLOR_POSTED] = { "posted", "yellow" },
	[COLOR_SUPERSEDED] = { "superseded", "red" },
	[COLOR_APPLIED] = { "applied", "green" },
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	int on, off;
} attributes[] = {
	{ "bold", 1, 22 }, { "dim", 2, 22 }, { "italic", 3, 23 }, { "ul", 4, 24 },
	{ "blink", 5, 25 }, { "reverse", 7, 27 }, { "strike", 9, 29 },
};

int color_parse_when(const char *value, enum color_when *out)
{
	int b;

	if (value && !strcasecmp(value, "always"))
		*out = COLOR_ALWAYS;
	else if (value && !strcasecmp(value, "never"))
		*out = COLOR_NEVER;
	else if (value && !strcasecmp(value, "auto"))
		*out = COLOR_AUTO;
	else if ((b = config_parse_bool(value)) >= 0)
		*out = b ? COLOR_AUTO : COLOR_NEVER;	/* "true" is auto, as in git */
	else
		return -1;
	return 0;
}

static int parse_number(const char *s, size_t len, long max, long *out)
{
	char buf[8], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtol(buf, &end, 10);
	return *end || *out < 0 || *out > max ? -1 : 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * One colour word as the SGR parameters of a foreground colour (base 30)
 * or a background one (base 40): "31", "91", "38;5;208", "38;2;255;0;0".
 * "normal" leaves the colour alone: an empty code.  Returns 0 or -1.
 */
static int parse_one_color(const char *w, size_t len, int base, struct strbuf *code)
{
	size_t i;
	long n;

	if ((len == 6 && !strncasecmp(w, "normal", 6)) || (len == 2 && !strncmp(w, "-1", 2)))
		return 0;
	if (len == 7 && !strncasecmp(w, "default", 7)) {
		strbuf_addf(code, "%d", base + 9);
		return 0;
	}
	if (len == 7 && w[0] == '#') {
		int rgb[3];

		for (i = 0; i < 3; i++) {
			int hi = hex(w[1 + 2 * i]), lo = hex(w[2 + 2 * i]);

			if (hi < 0 || lo < 0)
				return -1;
			rgb[i] = hi * 16 + lo;
		}
		strbuf_addf(code, "%d;2;%d;%d;%d", base + 8, rgb[0], rgb[1], rgb[2]);
		return 0;
	}
	if (!parse_number(w, len, 255, &n)) {
		strbuf_addf(code, "%d;5;%ld", base + 8, n);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(color_names); i++) {
		size_t l = strlen(color_names[i]);

		if (len == l && !strncasecmp(w, color_names[i], l)) {
			strbuf_addf(code, "%d", base + (int)i);
			return 0;
		}
		if (len == l + 6 && !strncasecmp(w, "bright", 6) &&
		    !strncasecmp(w + 6, color_names[i], l)) {
			strbuf_addf(code, "%d", base + 60 + (int)i);
			return 0;
		}
	}
	return -1;
}

static int parse_attribute(const char *w, size_t len, struct strbuf *code)
{
	int negate = 0;
	size_t i;

	if (len > 2 && !strncasecmp(w, "no", 2)) {
		negate = 1;
		w += 2;
		len -= 2;
		if (len > 1 && *w == '-') {
			w++;
			len--;
		}
	}
	for (i = 0; i < ARRAY_SIZE(attributes); i++)
		if (strlen(attributes[i].name) == len && !strncasecmp(w, attributes[i].name, len)) {
			strbuf_addf(code, "%s%d", code->len ? ";" : "",
				    negate ? attributes[i].off : attributes[i].on);
			return 0;
		}
	return -1;
}

int color_parse(const char *value, char out[COLOR_MAXLEN])
{
	struct strbuf attrs = STRBUF_INIT, colors[2] = { STRBUF_INIT, STRBUF_INIT };
	struct strbuf sb = STRBUF_INIT;
	const char *p = value, *parts[4];
	int ncolors = 0, reset = 0, ret = -1;
	size_t i;

	while (*p) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (!len)
			break;
		if (len == 5 && !strncasecmp(p, "reset", 5))
			reset = 1;
		else if (ncolors < 2 && !parse_one_color(p, len, ncolors ? 40 : 30, &colors[ncolors]))
			ncolors++;
		else if (parse_attribute(p, len, &attrs))
			goto out;
		p += len;
	}
	/* One sequence: the reset, the attributes, then foreground and background. */
	parts[0] = reset ? "0" : "";
	parts[1] = attrs.buf;
	parts[2] = colors[0].buf;
	parts[3] = colors[1].buf;
	for (i = 0; i < ARRAY_SIZE(parts); i++)
		if (*parts[i])
			strbuf_addf(&sb, "%s%s", sb.len ? ";" : "\033[", parts[i]);
	if (sb.len)
		strbuf_addch(&sb, 'm');
	if (sb.len < COLOR_MAXLEN) {
		memcpy(out, sb.buf, sb.len + 1);
		ret = 0;
	}
out:
	strbuf_release(&sb);
	strbuf_release(&attrs);
	strbuf_release(&colors[0]);
	strbuf_release(&colors[1]);
	return ret;
}

/* color.bpfdigest or color.ui as git reads them; -1 when unset. */
static int config_when(const struct config *cfg, const char *key)
{
	enum color_when when;
	const char *v;

	if (!config_is_set(cfg, key))
		return -1;
	v = config_get_string(cfg, key);
	if (color_parse_when(v, &when) < 0)
		die("bad config value '%s' for '%s'", v ? v : "", key);
	return (int)when;
}

static int auto_color(const struct config *cfg)
{
	const char *term = getenv("TERM");
	int pager_color = 1;

	if (!term || !strcmp(term, "dumb"))
		return 0;
	if (isatty(1))
		return 1;
	config_get_bool(cfg, "color.pager", &pager_color);
	return pager_in_use() && pager_color;
}

const struct color_scheme *color_setup(struct color_scheme *s, const struct config *cfg,
				       int when)
{
	size_t i;

	if (when < 0)
		when = config_when(cfg, "color.bpfdigest");
	if (when < 0)
		when = config_when(cfg, "color.ui");
	if (when < 0)
		when = COLOR_AUTO;
	if (when == COLOR_NEVER || (when == COLOR_AUTO && !auto_color(cfg)))
		return NULL;
	for (i = 0; i < COLOR_SLOTS; i++) {
		char key[64];
		const char *v;

		snprintf(key, sizeof(key), "color.bpfdigest.%s", slots[i].name);
		v = config_get_string(cfg, key);
		if (!v)
			v = slots[i].value;
		if (color_parse(v, s->code[i]) < 0)
			die("bad color value '%s' for '%s'", v, key);
	}
	return s;
}

void color_open(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot)
{
	if (s)
		strbuf_addstr(sb, s->code[slot]);
}

void color_close(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot)
{
	if (s && *s->code[slot])
		strbuf_addstr(sb, COLOR_RESET);
}

void color_add(struct strbuf *sb, const struct color_scheme *s, enum color_slot slot,
	       const char *text)
{
	color_open(sb, s, slot);
	strbuf_addstr(sb, text);
	color_close(sb, s, slot);
}
