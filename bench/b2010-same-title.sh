#!/bin/bash
# Postings under one title: 10k, 40k and 80k one-author one-patch fixes
# with one subject (to different files: other work), and 10k, 40k and 80k
# rerolls of one series (v1, v2, ...).  Each candidate revision is
# compared with a bounded number of earlier ones, so the time of a digest
# grows linearly: the rows compare 40k and 80k with 10k (goal: within
# 1.5 times the ratio of the sizes, 4 and 8).  Before the bound, 40k took
# 32 s (fixes) and 79 s (rerolls), 10k 1.9 s and 1.6 s.
. "$(dirname "$0")/bench-lib.sh"

for shape in fixes rerolls; do
	for n in 10000 40000 80000; do
		mbox=$BENCH_DIR/same-title-$shape-$n.mbox
		test -s "$mbox" || "$BENCH_ROOT/t/same-title-mbox" "$mbox" $n $shape || exit 1
		cache=$BENCH_DIR/b2010-cache-$shape-$n
		rm -rf "$cache"
		# The first run builds the index; the measured one rebuilds the series only.
		env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" git-bpfdigest -q --inbox="mboxrd:$mbox" \
			daily --date=2020-01-02 >/dev/null
		bench_best 2 t$n env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
			git-bpfdigest -q --inbox="mboxrd:$mbox" daily --date=2020-01-02
	done
	bench_row "one title, $shape: 40k vs 10k postings (s)" "$t40000_s" "$t10000_s" s "<= 6"
	bench_row "one title, $shape: 80k vs 10k postings (s)" "$t80000_s" "$t10000_s" s "<= 12"
done
