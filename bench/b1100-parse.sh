#!/bin/bash
# b1100-parse: mail_parse() on the real archive (15,186 mails, ~225 MB).
#
# The index parses every message it reads, so parsing must cost little
# next to reading: the scan (libgit2 reads each blob, mail_parse() with
# MAIL_PARSE_FACTS_ONLY) is timed against "git cat-file --batch" reading
# the same blobs, and parsing alone (blobs already in memory) against
# reading alone.  Each figure is the best of three runs.
. "$(dirname "$0")/bench-lib.sh"
bench_require_corpus
inbox=$(bench_corpus_inbox) || exit 1
repo=$inbox/git/0.git
driver=$BENCH_ROOT/bench/parse-mails
blobs=$BENCH_DIR/corpus-blobs
test -s "$blobs" ||
	git -C "$repo" rev-list --objects HEAD | awk 'NF == 2 && $2 == "m" { print $1 }' >"$blobs"

# best VAR CMD...: the least wall time of three runs of CMD (stdin: the blob list).
best() {
	local out=$1 min= run
	shift
	for run in 1 2 3; do
		bench_measure one "$@" <"$blobs"
		if test -z "$min" || test "$(echo "$one_s < $min" | bc -l)" = 1; then
			min=$one_s
		fi
	done
	printf -v "$out" '%s' "$min"
}

best ref git -C "$repo" cat-file --batch
best ours "$driver" "$repo"
bench_row "scan 15k mails: read+parse vs git cat-file --batch (s)" "$ours" "$ref" s "<= 1.5x"

# Throughput in MB/s from the driver's own clocks: parse vs read.
parse_mbs=0 read_mbs=0 full_mbs=0
for run in 1 2 3; do
	# "messages N bytes N failed N read_s S parse_s S"
	set -- $("$driver" --split "$repo" <"$blobs")
	p=$(echo "$4 / ${10} / 1000000" | bc -l)
	r=$(echo "$4 / $8 / 1000000" | bc -l)
	set -- $("$driver" --split --full "$repo" <"$blobs")
	f=$(echo "$4 / ${10} / 1000000" | bc -l)
	test "$(echo "$p > $parse_mbs" | bc -l)" = 1 && parse_mbs=$p
	test "$(echo "$r > $read_mbs" | bc -l)" = 1 && read_mbs=$r
	test "$(echo "$f > $full_mbs" | bc -l)" = 1 && full_mbs=$f
done
bench_row "mail_parse facts-only vs libgit2 blob reads (MB/s)" "$parse_mbs" "$read_mbs" MB/s ">= 2x"
bench_row "mail_parse full body vs libgit2 blob reads (MB/s)" "$full_mbs" "$read_mbs" MB/s "-"
