#!/bin/bash
# Patch-ids of every libbpf commit: "git bpfdigest link --patch-id" with
# an empty cache against "git log -p --no-merges | git patch-id --stable".
# Goal: at most git's time.  Best of three runs each, interleaved, since
# the machine is shared.
. "$(dirname "$0")/../bench/bench-lib.sh"
bench_require_corpus

repo=$BENCH_DIR/libbpf.git
test -d "$repo" || git clone -q --bare "$CORPUS/libbpf.bundle" "$repo" || exit 1

best() { printf '%s\n' "$@" | sort -g | head -n 1; }
ours=() ref=()
for i in 1 2 3; do
	rm -rf "$repo/bpfdigest"
	bench_measure o git -C "$repo" bpfdigest link --patch-id HEAD
	bench_measure r sh -c "git -C '$repo' log -p --no-merges HEAD | git patch-id --stable"
	ours+=("$o_s") ref+=("$r_s")
done
bench_row "patch-id, 2,871 libbpf commits (cold cache)" "$(best "${ours[@]}")" \
	"$(best "${ref[@]}")" s "<= 1.0"
bench_measure w git -C "$repo" bpfdigest link --patch-id HEAD
bench_row "patch-id, the same again (cached)" "$w_s" "$(best "${ref[@]}")" s "-"
