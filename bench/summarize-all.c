/*
 * summarize-all - the time of the offline summariser alone: read the
 * inboxes, assemble every series, load every patch's body (untimed),
 * then summarise every patch and cover, and print how long that took.
 *
 *   summarize-all <inbox>...
 *
 * Prints "<summaries> summaries <seconds> s <microseconds> us/summary", in
 * CPU time: the machine may be busy with other work.
 * bench/b2010-summaries.sh builds it against lib/libbpfdigest.a.
 */
#include <git2.h>
#include <stdio.h>
#include <time.h>

#include "archive.h"
#include "series.h"
#include "strbuf.h"
#include "summary.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, const char **argv)
{
	struct archive a = ARCHIVE_INIT;
	struct series_set set = SERIES_SET_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, k, n = 0;
	double start, took;
	int ret;

	git_libgit2_init();
	archive_open(&a, argv + 1, (size_t)(argc - 1));
	ret = archive_update(&a);
	if (ret < 0 || series_build(&set, a.mails, a.nr) < 0)
		return 1;
	for (i = 0; i < a.nr; i++)
		archive_load_body(&a, a.mails[i]);
	start = now();
	for (i = 0; i < set.nr; i++)
		for (j = 0; j < set.series[i]->revisions_nr; j++) {
			struct series_revision *rev = set.series[i]->revisions[j];

			if (rev->cover) {
				strbuf_reset(&sb);
				summary_patch(&sb, rev->cover);
				n++;
			}
			for (k = 0; k < rev->patches_nr; k++) {
				strbuf_reset(&sb);
				summary_patch(&sb, rev->patches[k]);
				n++;
			}
		}
	took = now() - start;
	printf("%zu summaries %.3f s %.1f us/summary\n", n, took, n ? took * 1e6 / (double)n : 0.0);
	strbuf_release(&sb);
	series_set_release(&set);
	archive_release(&a);
	git_libgit2_shutdown();
	return 0;
}
