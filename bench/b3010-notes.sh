#!/bin/bash
# Writing notes: "git bpfdigest notes" on libbpf and bpftool (2,187 notes
# from the regen archive) against a loop of "git notes add" writing the
# same notes.  Goal: at least 50 times faster, i.e. a ratio <= 0.02.
# Ours is the writing stage alone (BPFDIGEST_TRACE_PERFORMANCE), as the
# loop is given the texts; the whole command is shown too.
. "$(dirname "$0")/../bench/bench-lib.sh"
bench_require_corpus

repo=$BENCH_DIR/notes.git
inbox=$BENCH_DIR/regen-inbox
test -d "$inbox/git/0.git" ||
	"$CORPUS/make-inbox" "$CORPUS/regen/series.mbox" "$inbox" >/dev/null || exit 1
# A fresh repository each time: objects written before are not written again.
rm -rf "$repo"
{
	git clone -q --bare "$CORPUS/libbpf.bundle" "$repo" &&
	git -C "$repo" fetch -q "$CORPUS/bpftool.bundle" main:bpftool &&
	both=$(echo both | git -C "$repo" commit-tree "$(git -C "$repo" mktree </dev/null)" \
		-p master -p bpftool) &&
	git -C "$repo" update-ref refs/heads/both "$both" &&
	git -C "$repo" config bpfdigest.inbox "$inbox"
} || exit 1

git -C "$repo" update-ref -d refs/notes/bpfdigest 2>/dev/null
git -C "$repo" bpfdigest link both >/dev/null	# warm the patch-id cache
git -C "$repo" update-ref -d refs/notes/bpfdigest 2>/dev/null
BPFDIGEST_TRACE_PERFORMANCE=1 bench_measure all git -C "$repo" bpfdigest notes both
ours=$(sed -n 's/^performance: \([0-9.]*\) s: notes: \([0-9]*\) notes written.*/\1 \2/p' \
	"$BENCH_DIR/.err.$$")
n=${ours#* }
ours=${ours% *}

# The same notes, one "git notes add" each.
texts=$BENCH_DIR/notes-texts
rm -rf "$texts" && mkdir -p "$texts"
git -C "$repo" notes --ref=bpfdigest list >"$texts/list"
while read -r blob commit; do
	git -C "$repo" cat-file blob "$blob" >"$texts/$blob"
done <"$texts/list"
git -C "$repo" update-ref -d refs/notes/loop 2>/dev/null
bench_measure loop sh -c "while read -r blob commit; do
	git -C '$repo' notes --ref=loop add -F '$texts/'\$blob \$commit || exit 1
done <'$texts/list'"
test "$(git -C "$repo" notes --ref=loop list | wc -l)" = "$n" || echo "# the loop wrote other notes" >&2

bench_row "notes: $n written (the writing stage)" "$ours" "$loop_s" s "<= 0.02"
bench_row "notes: $n written (the whole command)" "$all_s" "$loop_s" s "-"
rm -rf "$texts" "$repo"
