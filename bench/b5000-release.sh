#!/bin/bash
# Release draft of the whole libbpf history (2,871 commits) with the real
# archive, warm cache: "git bpfdigest release HEAD" against "git log
# --no-merges --name-only HEAD", which reads the same commits and files.
# Goal: the whole command under 2 s.  The release stage alone (grouping,
# areas, people, summaries; BPFDIGEST_TRACE_PERFORMANCE) is shown too.
# Best of three runs each, interleaved, since the machine is shared.
. "$(dirname "$0")/../bench/bench-lib.sh"
bench_require_corpus

inbox=$(bench_corpus_inbox) || exit 1
repo=$BENCH_DIR/release-libbpf.git
rm -rf "$repo"
git clone -q --bare "$CORPUS/libbpf.bundle" "$repo" || exit 1
for m in tools/lib/bpf/:src/ tools/include/uapi/linux/:include/uapi/linux/ \
	 include/uapi/linux/perf_event.h:include/uapi/linux/perf_event.h \
	 Documentation/bpf/libbpf/:docs/; do
	git -C "$repo" config --add bpfdigest.pathMap "$m" || exit 1
done
git -C "$repo" config bpfdigest.inbox "$inbox"
git -C "$repo" bpfdigest release HEAD >/dev/null	# warm the patch-id cache

best() { printf '%s\n' "$@" | sort -g | head -n 1; }
ours=() stage=() ref=()
for i in 1 2 3; do
	BPFDIGEST_TRACE_PERFORMANCE=1 bench_measure o git -C "$repo" bpfdigest release HEAD
	stage+=("$(sed -n 's/^performance: \([0-9.]*\) s: release: .*/\1/p' "$BENCH_DIR/.err.$$")")
	bench_measure r git -C "$repo" log --no-merges --name-only HEAD
	ours+=("$o_s") ref+=("$r_s")
done
o=$(best "${ours[@]}")
bench_row "release: 2,871 libbpf commits (warm cache)" "$o" "$(best "${ref[@]}")" s \
	"< 2 s: $(echo "$o < 2" | bc -l | sed 's/1/met/; s/0/missed/')"
bench_row "release: the release stage alone" "$(best "${stage[@]}")" "$(best "${ref[@]}")" s "-"
rm -rf "$repo"
