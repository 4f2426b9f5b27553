/*
 * archive-scan - the reference for assembling series: read every inbox
 * and parse every message, as the series command does first, and stop.
 *
 *   archive-scan <inbox>...
 *
 * bench/b2000-series.sh builds it against lib/libbpfdigest.a.
 */
#include <git2.h>
#include <stdio.h>

#include "archive.h"

int main(int argc, const char **argv)
{
	struct archive a = ARCHIVE_INIT;
	int ret;

	git_libgit2_init();
	archive_open(&a, argv + 1, (size_t)(argc - 1));
	ret = archive_update(&a);
	printf("%zu messages\n", a.nr);
	archive_release(&a);
	git_libgit2_shutdown();
	return ret < 0;
}
