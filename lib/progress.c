#include "progress.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_DELAY_MS 2000
#define REDRAW_MS 1000

static enum progress_mode mode = PROGRESS_AUTO;

struct progress {
	char *title;
	uint64_t total, done;
	uint64_t start_ms, last_ms;	/* when started, when last drawn */
	uint64_t delay_ms;
	int shown;			/* something was drawn */
	unsigned last_percent;
	size_t last_len;		/* to blank out a longer previous line */
	unsigned calls;
};

void progress_set_mode(enum progress_mode m)
{
	mode = m;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* git's GIT_PROGRESS_DELAY, in seconds. */
static uint64_t delay_ms(void)
{
	const char *v = getenv("GIT_PROGRESS_DELAY");
	char *end;
	unsigned long s;

	if (!v || !*v)
		return DEFAULT_DELAY_MS;
	s = strtoul(v, &end, 10);
	return *end ? DEFAULT_DELAY_MS : (uint64_t)s * 1000;
}

struct progress *progress_start(const char *title, uint64_t total)
{
	struct progress *p;

	if (mode == PROGRESS_NEVER || (mode == PROGRESS_AUTO && !isatty(2)))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->title = xstrdup(title);
	p->total = total;
	p->delay_ms = delay_ms();
	p->start_ms = now_ms();
	p->last_percent = ~0u;
	return p;
}

static void draw(struct progress *p, const char *end)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;

	if (p->total)
		strbuf_addf(&sb, "%s: %3u%% (%llu/%llu)", p->title, p->last_percent,
			    (unsigned long long)p->done, (unsigned long long)p->total);
	else
		strbuf_addf(&sb, "%s: %llu", p->title, (unsigned long long)p->done);
	len = sb.len;
	strbuf_addstr(&sb, end);
	/* Blank what remains of a longer line drawn before. */
	if (p->last_len > len && !strcmp(end, "\r"))
		strbuf_addf(&sb, "%*s\r", (int)(p->last_len - len), "");
	fflush(stdout);
	fputs(sb.buf, stderr);
	fflush(stderr);
	p->last_len = len;
	p->shown = 1;
	strbuf_release(&sb);
}

static unsigned percent(const struct progress *p)
{
	uint64_t n = p->done > p->total ? p->total : p->done;

	return p->total ? (unsigned)(n * 100 / p->total) : 0;
}

void progress_update(struct progress *p, uint64_t n)
{
	uint64_t now;
	unsigned pc;

	if (!p)
		return;
	p->done = n;
	/* Reading the clock every call would cost more than the work counted. */
	if (++p->calls % 64 && p->shown && percent(p) == p->last_percent)
		return;
	now = now_ms();
	if (now - p->start_ms < p->delay_ms)
		return;
	pc = percent(p);
	if (!p->shown || pc != p->last_percent || now - p->last_ms >= REDRAW_MS) {
		p->last_percent = pc;
		p->last_ms = now;
		draw(p, "\r");
	}
}

void progress_set_total(struct progress *p, uint64_t total)
{
	if (p)
		p->total = total;
}

void progress_stop(struct progress **pp)
{
	struct progress *p = *pp;

	if (!p)
		return;
	/* Work that ended before the delay stays silent, as in git. */
	if (p->shown) {
		p->last_percent = percent(p);
		draw(p, ", done.\n");
	}
	free(p->title);
	free(p);
	*pp = NULL;
}
