#!/bin/bash
# Summarising: every patch and cover of the real archive (what "series
# --all" with summaries does), the summariser alone against the time to
# read the archive and load every body, and "series --all" with and
# without summaries.  Goal: under 50 us of CPU per summary.
. "$(dirname "$0")/bench-lib.sh"
bench_require_corpus

inbox=$(bench_corpus_inbox) || exit 1
prog=$BENCH_DIR/summarize-all
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$BENCH_ROOT/lib" -o "$prog" \
	"$BENCH_ROOT/bench/summarize-all.c" "$BENCH_ROOT/lib/libbpfdigest.a" \
	$(pkg-config --libs libgit2 jansson libpcre2-8) || exit 1

# The best of three: the machine may be busy.
best=
for run in 1 2 3; do
	got=$("$prog" "$inbox") || exit 1
	us=$(echo "$got" | awk '{ print $5 }')
	n=$(echo "$got" | awk '{ print $1 }')
	if test -z "$best" || test "$(echo "$us < $best" | bc -l)" = 1; then
		best=$us
	fi
done
echo "# $n summaries"
bench_row "summary of one patch, CPU (us)" "$best" 50 us "< 50"

cache=$BENCH_DIR/b2010-cache
bench_measure warm env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
	git-bpfdigest --inbox="$inbox" series --all --no-summaries
bench_best 3 plain env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
	git-bpfdigest --inbox="$inbox" series --all --no-summaries
bench_best 3 summed env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
	git-bpfdigest --inbox="$inbox" series --all --summaries
bench_row "series --all, with summaries vs without (s)" "$summed_s" "$plain_s" s ""
