#!/bin/bash
# Postings under one title: 10k, 40k and 80k one-author one-patch fixes
# with one subject (to different files: other work), and 10k, 40k and 80k
# rerolls of one series (v1, v2, ...).  Each candidate revision is
# compared with a bounded number of earlier ones, so the time of a digest
# grows linearly: the rows compare 40k and 80k with 10k (goal: within
# 1.5 times the ratio of the sizes, 4 and 8).  Before the bound, 40k took
# 32 s (fixes) and 79 s (rerolls), 10k 1.9 s and 1.6 s.
. "$(dirname "$0")/bench-lib.sh"

# make_mbox FILE N SHAPE: N synthetic postings, 10 minutes apart.
make_mbox() {
	test -s "$1" && return 0
	python3 - "$1" "$2" "$3" <<-\EOF
	import sys, time
	out, n, shape = open(sys.argv[1] + ".tmp", "w"), int(sys.argv[2]), sys.argv[3]
	start = 1577836800	# 2020-01-01
	for i in range(n):
	    when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(start + 600 * i))
	    if shape == "fixes":
	        subject, path = "[PATCH] selftests/bpf: Fix a resource leak", "tools/testing/selftests/bpf/t%d.c" % i
	    else:
	        subject, path = "[PATCH bpf-next v%d] bpf: Widget maps" % (i + 1), "kernel/bpf/widget.c"
	    out.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	              "From: Jane Developer <jane@example.org>\nTo: bpf@vger.kernel.org\n"
	              "Subject: %s\nDate: %s\nMessage-ID: <%s-%d@example.org>\n\n"
	              "Close the file before returning.\n\nSigned-off-by: Jane Developer <jane@example.org>\n"
	              "---\n %s | 1 +\n\ndiff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1,2 @@\n x\n+y\n\n"
	              % (subject, when, shape, i, path, path, path, path, path))
	import os
	out.close()
	os.rename(sys.argv[1] + ".tmp", sys.argv[1])
	EOF
}

for shape in fixes rerolls; do
	for n in 10000 40000 80000; do
		mbox=$BENCH_DIR/same-title-$shape-$n.mbox
		make_mbox "$mbox" $n $shape || exit 1
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
