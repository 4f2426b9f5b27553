#!/bin/bash
# The queue of the 150k-message scaled inbox (the archive replayed ten
# times), warm index: "git bpfdigest queue" against a "weekly" digest of
# the same inbox in the same run, which reads the same archive and
# assembles the same series.  The queue computes every open series'
# state on top.  Goal: at most 1.2 times the weekly run.  "queue --at",
# which assembles the series again from the mail of a date, is shown
# too.  Best of three runs each, interleaved, since the machine is shared.
. "$(dirname "$0")/bench-lib.sh"
bench_require_corpus
git-bpfdigest --list-cmds | grep -qx queue || {
	echo "# skipped $(basename "$0"): no queue command in this build"
	exit 0
}

inbox=$(bench_scaled_inbox 10) || exit 1
cache=$BENCH_DIR/b8000-cache
# /usr/bin/time runs a program, not a function: the command in full.
run="env -C $BENCH_DIR XDG_CACHE_HOME=$cache git-bpfdigest --inbox=$inbox"
$run update -q	# the index, built once

best() { printf '%s\n' "$@" | sort -g | head -n 1; }
queue=() at=() weekly=()
for i in 1 2 3; do
	bench_measure q $run queue
	bench_measure a $run queue --at=2025-06-01
	bench_measure w $run weekly --week=2025-W22 --summarizer=
	queue+=("$q_s") at+=("$a_s") weekly+=("$w_s")
done
q=$(best "${queue[@]}") w=$(best "${weekly[@]}")
bench_row "queue: 150k messages vs weekly (s)" "$q" "$w" s \
	"<= 1.2x: $(echo "$q <= 1.2 * $w" | bc -l | sed 's/1/met/; s/0/missed/')"
bench_row "queue --at=2025-06-01 vs weekly (s)" "$(best "${at[@]}")" "$w" s "-"
