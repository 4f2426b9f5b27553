#include "release-areas.h"
#include "strbuf.h"
#include "summary.h"
#include "xalloc.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Every rule for areas is here.  "subjects" are rules on the words of a
 * subject's prefixes ("bpf, x86: " has "bpf" and "x86"): each rule is
 * groups joined by '+', each group alternatives joined by '|', and a
 * rule holds when every group has a word present.  "paths" are globs of
 * kernel paths; a trailing '/' takes everything below.  The most
 * specific glob decides, so "kernel/bpf/cpumap.c" beats "kernel/bpf/".
 * The order is the order of the draft.
 */
static const struct area_row {
	const char *name, *title;
	enum release_rank rank;
	const char *subjects;
	const char *paths;
} table[] = {
	{ "verifier", "Verifier", RELEASE_RANK_KERNEL,
	  "verifier",
	  "kernel/bpf/verifier.c kernel/bpf/log.c kernel/bpf/tnum.c kernel/bpf/liveness.c "
	  "include/linux/bpf_verifier.h include/linux/tnum.h" },
	{ "core", "Core and maps", RELEASE_RANK_KERNEL,
	  "btf",
	  "kernel/bpf/ include/linux/bpf include/linux/btf include/linux/filter.h "
	  "include/uapi/linux/bpf include/uapi/linux/btf.h "
	  "tools/include/uapi/linux/bpf tools/include/uapi/linux/btf.h "
	  "tools/include/linux/filter.h scripts/bpf_doc.py" },
	{ "jit-x86", "JIT (x86)", RELEASE_RANK_KERNEL,
	  "x86|x86_64|x86-64|x86_32|x32+bpf|jit", "arch/x86/net/" },
	{ "jit-arm64", "JIT (arm64)", RELEASE_RANK_KERNEL,
	  "arm64|aarch64+bpf|jit", "arch/arm64/net/" },
	{ "jit-arm", "JIT (arm32)", RELEASE_RANK_KERNEL,
	  "arm|arm32+bpf|jit", "arch/arm/net/" },
	{ "jit-riscv", "JIT (RISC-V)", RELEASE_RANK_KERNEL,
	  "riscv|riscv64|riscv32|rv64|rv32+bpf|jit", "arch/riscv/net/" },
	{ "jit-s390", "JIT (s390)", RELEASE_RANK_KERNEL,
	  "s390|s390x+bpf|jit", "arch/s390/net/" },
	{ "jit-powerpc", "JIT (powerpc)", RELEASE_RANK_KERNEL,
	  "powerpc|powerpc64|powerpc32|ppc|ppc64|ppc32+bpf|jit", "arch/powerpc/net/" },
	{ "jit-loongarch", "JIT (LoongArch)", RELEASE_RANK_KERNEL,
	  "loongarch+bpf|jit", "arch/loongarch/net/" },
	{ "jit-mips", "JIT (MIPS)", RELEASE_RANK_KERNEL,
	  "mips|mips64|mips32+bpf|jit", "arch/mips/net/" },
	{ "jit-sparc", "JIT (SPARC)", RELEASE_RANK_KERNEL,
	  "sparc|sparc64+bpf|jit", "arch/sparc/net/" },
	{ "jit-parisc", "JIT (PA-RISC)", RELEASE_RANK_KERNEL,
	  "parisc|hppa+bpf|jit", "arch/parisc/net/" },
	{ "jit", "JIT (other architectures)", RELEASE_RANK_KERNEL,
	  "jit", "arch/*/net/*" },
	{ "net", "Networking hooks", RELEASE_RANK_KERNEL,
	  "net|netdev|sockmap|sock_map|skmsg|sk_msg|xdp|xsk|af_xdp|tcp|udp|netfilter|netkit|"
	  "veth|tcx|flow_dissector|lwt|cgroup_skb|sk_storage",
	  "net/ drivers/net/ include/net/ include/linux/skmsg.h include/linux/netdevice.h "
	  "include/linux/skbuff.h kernel/bpf/cpumap.c kernel/bpf/devmap.c "
	  "kernel/bpf/net_namespace.c kernel/bpf/offload.c kernel/bpf/reuseport_array.c "
	  "include/uapi/linux/if_xdp.h include/uapi/linux/netdev.h include/uapi/linux/if_link.h "
	  "tools/include/uapi/linux/if_xdp.h tools/include/uapi/linux/netdev.h "
	  "tools/include/uapi/linux/if_link.h" },
	{ "tracing", "Tracing", RELEASE_RANK_KERNEL,
	  "tracing|trace|bpf_trace|perf|kprobe|kprobes|uprobe|uprobes|ftrace|fprobe|tracepoint",
	  "kernel/trace/ kernel/events/ include/trace/ include/linux/trace_events.h "
	  "include/linux/kprobes.h include/linux/uprobes.h include/linux/perf_event.h "
	  "kernel/bpf/stackmap.c include/uapi/linux/perf_event.h "
	  "tools/include/uapi/linux/perf_event.h" },
	{ "libbpf", "libbpf", RELEASE_RANK_TOOLS,
	  "libbpf", "tools/lib/bpf/" },
	{ "bpftool", "bpftool", RELEASE_RANK_TOOLS,
	  "bpftool", "tools/bpf/bpftool/" },
	{ "selftests", "Selftests", RELEASE_RANK_TESTS,
	  "selftests|selftest|kselftest", "tools/testing/selftests/" },
	{ "docs", "Documentation", RELEASE_RANK_TESTS,
	  "docs|doc|documentation", "Documentation/" },
	{ "other", "Other", RELEASE_RANK_OTHER, "", "" },
};

#define OTHER_NAME "other"

static void add_area(struct release_areas *areas, size_t at, const char *name,
		     const char *title, enum release_rank rank)
{
	struct release_area *a;
	size_t i, j;

	ALLOC_GROW(areas->items, areas->nr + 1, areas->alloc);
	memmove(areas->items + at + 1, areas->items + at, (areas->nr - at) * sizeof(*a));
	areas->nr++;
	a = &areas->items[at];
	a->name = xstrdup(name);
	a->title = xstrdup(title);
	a->rank = rank;
	/* Rules name areas by index: those after the new one moved up. */
	for (i = 0; i < areas->globs_nr; i++)
		if (areas->globs[i].area >= (int)at)
			areas->globs[i].area++;
	for (j = 0; j < areas->prefixes_nr; j++)
		if (areas->prefixes[j].area >= (int)at)
			areas->prefixes[j].area++;
}

static size_t literal_length(const char *pattern)
{
	return strcspn(pattern, "*?[");
}

static void add_glob(struct release_areas *areas, int area, const char *pattern, size_t len,
		     int configured)
{
	struct release_glob *g;

	ALLOC_GROW(areas->globs, areas->globs_nr + 1, areas->globs_alloc);
	g = &areas->globs[areas->globs_nr++];
	g->pattern = xstrndup(pattern, len);
	g->literal = literal_length(g->pattern);
	g->area = area;
	g->configured = configured;
}

/* Call fn with each space-separated word of list. */
static void each_word(const char *list, void (*fn)(struct release_areas *, int, const char *,
						    size_t),
		      struct release_areas *areas, int area)
{
	const char *p = list;

	while (*p) {
		size_t len;

		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (len)
			fn(areas, area, p, len);
		p += len;
	}
}

static void add_builtin_glob(struct release_areas *areas, int area, const char *p, size_t len)
{
	add_glob(areas, area, p, len, 0);
}

static void add_prefix_rule(struct release_areas *areas, int area, const char *p, size_t len)
{
	ALLOC_GROW(areas->prefixes, areas->prefixes_nr + 1, areas->prefixes_alloc);
	areas->prefixes[areas->prefixes_nr].rule = xstrndup(p, len);
	areas->prefixes[areas->prefixes_nr].area = area;
	areas->prefixes_nr++;
}

void release_areas_init(struct release_areas *areas)
{
	struct release_areas init = RELEASE_AREAS_INIT;
	size_t i;

	*areas = init;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		add_area(areas, areas->nr, table[i].name, table[i].title, table[i].rank);
		each_word(table[i].subjects, add_prefix_rule, areas, (int)i);
		each_word(table[i].paths, add_builtin_glob, areas, (int)i);
	}
}

int release_areas_find(const struct release_areas *areas, const char *name)
{
	size_t i;

	for (i = 0; i < areas->nr; i++)
		if (!strcasecmp(areas->items[i].name, name))
			return (int)i;
	return -1;
}

int release_areas_other(const struct release_areas *areas)
{
	int other = release_areas_find(areas, OTHER_NAME);

	return other < 0 ? (int)areas->nr - 1 : other;
}

/* A git configuration variable name: a letter, then letters, digits and '-'. */
static int valid_name(const char *name)
{
	const char *p = name;

	if (!isalpha((unsigned char)*p))
		return 0;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}

int release_areas_add(struct release_areas *areas, const char *name, const char *glob)
{
	int area;

	if (!glob || !*glob || !valid_name(name))
		return -1;
	area = release_areas_find(areas, name);
	if (area < 0) {
		area = release_areas_other(areas);
		add_area(areas, (size_t)area, name, name, RELEASE_RANK_KERNEL);
	}
	add_glob(areas, area, glob, strlen(glob), 1);
	return 0;
}

static int glob_matches(const struct release_glob *g, const char *path)
{
	/* Without wildcards a glob is a prefix: "kernel/bpf/", "include/linux/bpf". */
	if (!g->pattern[g->literal])
		return !strncmp(path, g->pattern, g->literal);
	return !fnmatch(g->pattern, path, 0);
}

int release_areas_of_path(const struct release_areas *areas, const char *path)
{
	const struct release_glob *best = NULL;
	size_t i;

	for (i = 0; i < areas->globs_nr; i++) {
		const struct release_glob *g = &areas->globs[i];

		if (!glob_matches(g, path))
			continue;
		if (!best || g->literal > best->literal ||
		    (g->literal == best->literal && g->configured > best->configured))
			best = g;
	}
	return best ? best->area : -1;
}

/* --- subjects --------------------------------------------------------------- */

#define MAX_WORDS 16

struct words {
	char word[MAX_WORDS][32];
	size_t nr;
};

static int is_word_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* The words of a subject's "subsystem: " prefixes, lowercased, in order. */
static void prefix_words(struct words *w, const char *subject)
{
	const char *topic = summary_title_topic(subject), *p = subject;

	w->nr = 0;
	while (p < topic && w->nr < MAX_WORDS) {
		size_t len = 0;

		while (p < topic && !is_word_char((unsigned char)*p))
			p++;
		while (p + len < topic && is_word_char((unsigned char)p[len]))
			len++;
		if (len && len < sizeof(w->word[0])) {
			size_t i;

			for (i = 0; i < len; i++)
				w->word[w->nr][i] = (char)tolower((unsigned char)p[i]);
			w->word[w->nr][len] = '\0';
			w->nr++;
		}
		p += len;
	}
}

/* Where among the words a group of alternatives is first met, or -1. */
static int group_position(const struct words *w, const char *group, size_t len)
{
	size_t i;

	for (i = 0; i < w->nr; i++) {
		const char *alt = group, *end = group + len;

		while (alt < end) {
			const char *bar = memchr(alt, '|', (size_t)(end - alt));
			size_t alen = (size_t)((bar ? bar : end) - alt);

			if (strlen(w->word[i]) == alen && !strncmp(w->word[i], alt, alen))
				return (int)i;
			alt += alen + 1;
		}
	}
	return -1;
}

/* Where a rule holds (its last group's word), or -1 when it does not. */
static int rule_position(const struct words *w, const char *rule)
{
	const char *p = rule;
	int at = -1;

	while (*p) {
		size_t len = strcspn(p, "+");
		int pos = group_position(w, p, len);

		if (pos < 0)
			return -1;
		if (pos > at)
			at = pos;
		p += len;
		if (*p)
			p++;
	}
	return at;
}

int release_areas_of_subject(const struct release_areas *areas, const char *subject)
{
	struct words w;
	int best = -1, best_pos = 0;
	size_t i;

	prefix_words(&w, subject);
	for (i = 0; w.nr && i < areas->prefixes_nr; i++) {
		const struct release_prefix *r = &areas->prefixes[i];
		int pos = rule_position(&w, r->rule);

		if (pos < 0)
			continue;
		if (best < 0 || pos < best_pos ||
		    (pos == best_pos && areas->items[r->area].rank > areas->items[best].rank) ||
		    (pos == best_pos && areas->items[r->area].rank == areas->items[best].rank &&
		     r->area < best)) {
			best = r->area;
			best_pos = pos;
		}
	}
	return best;
}

void release_areas_clear(struct release_areas *areas)
{
	size_t i;

	for (i = 0; i < areas->nr; i++) {
		free(areas->items[i].name);
		free(areas->items[i].title);
	}
	for (i = 0; i < areas->globs_nr; i++)
		free(areas->globs[i].pattern);
	for (i = 0; i < areas->prefixes_nr; i++)
		free(areas->prefixes[i].rule);
	free(areas->items);
	free(areas->globs);
	free(areas->prefixes);
	memset(areas, 0, sizeof(*areas));
}

/*
 * Of counts[] per area, the weightiest area with any, then the one with
 * most, then the first in the table; "other" when all are zero.
 */
int release_areas_weightiest(const struct release_areas *areas, const size_t *counts)
{
	int best = -1;
	size_t i;

	for (i = 0; i < areas->nr; i++) {
		if (!counts[i])
			continue;
		if (best < 0 || areas->items[i].rank > areas->items[best].rank ||
		    (areas->items[i].rank == areas->items[best].rank && counts[i] > counts[best]))
			best = (int)i;
	}
	return best < 0 ? release_areas_other(areas) : best;
}
