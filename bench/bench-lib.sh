# bench-lib.sh - helpers for bench/bNNNN-*.sh scripts.
#
# Each benchmark script sources this file, measures our command and a
# reference command in the same run, and prints rows with bench_row.
# Scratch data (the scaled inbox of about 150,000 messages) is built once
# under $BENCH_DIR (default /tmp/bpfdigest-bench) and reused by later runs.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${BPFDIGEST_CORPUS:-$BENCH_ROOT/../shared/corpus}
BENCH_DIR=${BENCH_DIR:-/tmp/bpfdigest-bench}
export PATH="$BENCH_ROOT:$PATH" LC_ALL=C TZ=UTC
mkdir -p "$BENCH_DIR"

bench_require_corpus() {
	test -f "$CORPUS/bpf-list.bundle" || {
		echo "# skipped $(basename "$0"): the corpus ($CORPUS) is absent"
		exit 0
	}
}

# The real archive as a v2 inbox (15,186 messages); prints its path.
bench_corpus_inbox() {
	dir=$BENCH_DIR/corpus-inbox
	bench_build_once "$dir" "$CORPUS/make-inbox" "$CORPUS/bpf-list.bundle" "$dir" || return 1
	echo "$dir"
}

# bench_build_once DIR CMD...: run CMD to build DIR unless a finished
# build is there.  Two bench runs at once wait for each other rather than
# both building, and a build cut short is started again.
bench_build_once() {
	local dir=$1
	shift
	(
		flock 9 &&
		{ test -f "$dir/.complete" || {
			rm -rf "$dir" &&
			"$@" >&2 &&
			touch "$dir/.complete"
		}; }
	) 9>"$dir.lock"
}

# The archive replayed FACTOR times (10 gives ~150,000 messages); prints its path.
bench_scaled_inbox() {
	dir=$BENCH_DIR/scaled-$1
	bench_build_once "$dir" "$CORPUS/make-scaled-inbox" "$dir" "$1" || return 1
	echo "$dir"
}

# The same, the replays one after another (bench/make-sequential-inbox):
# the archive FACTOR times bigger, each week as busy as the real one.
bench_sequential_inbox() {
	dir=$BENCH_DIR/sequential-$1
	bench_build_once "$dir" "$BENCH_ROOT/bench/make-sequential-inbox" "$CORPUS" "$dir" "$1" ||
		return 1
	echo "$dir"
}

# bench_measure VAR CMD...: run CMD (output discarded), set VAR_s to its wall
# time in seconds, VAR_kb to its peak RSS in KiB and VAR_cpu to its CPU
# time (user + system) in seconds.
bench_measure() {
	var=$1
	shift
	start=$(date +%s.%N)
	/usr/bin/time -f '%M %U %S' -o "$BENCH_DIR/.rss.$$" "$@" >/dev/null 2>"$BENCH_DIR/.err.$$" ||
		{ echo "# command failed: $*" >&2; tail -n 5 "$BENCH_DIR/.err.$$" >&2; }
	end=$(date +%s.%N)
	printf -v "${var}_s" '%s' "$(echo "$end - $start" | bc -l)"
	printf -v "${var}_kb" '%s' "$(tail -n 1 "$BENCH_DIR/.rss.$$" | cut -d' ' -f1)"
	printf -v "${var}_cpu" '%s' "$(tail -n 1 "$BENCH_DIR/.rss.$$" | awk '{ print $2 + $3 }')"
}

# bench_best N VAR CMD...: bench_measure CMD N times (give CMD its input
# itself: stdin is read once); VAR_s, VAR_kb and VAR_cpu are those of the
# fastest run, so that other work on the machine weighs less.
bench_best() {
	# bench_measure sets "var": these names must differ from it.
	local _runs=$1 _into=$2 _run _min=
	shift 2
	for _run in $(seq "$_runs"); do
		bench_measure _best "$@"
		if test -z "$_min" || test "$(echo "$_best_s < $_min" | bc -l)" = 1; then
			_min=$_best_s
			printf -v "${_into}_s" '%s' "$_best_s"
			printf -v "${_into}_kb" '%s' "$_best_kb"
			printf -v "${_into}_cpu" '%s' "$_best_cpu"
		fi
	done
}

# bench_row NAME OURS REF UNIT GOAL: one table row; ratio = OURS / REF.
bench_row() {
	ratio=$(echo "scale=3; $2 / $3" | bc -l 2>/dev/null)
	printf '%-52s %10.3f %10.3f %-3s %8sx  %s\n' "$1" "$2" "$3" "$4" "${ratio:-?}" "$5"
}

bench_header() {
	printf '%-52s %10s %10s %-3s %9s  %s\n' "benchmark" "ours" "reference" "" "ratio" "goal"
}
