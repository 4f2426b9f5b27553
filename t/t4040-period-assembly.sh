#!/bin/bash
test_description='a digest assembled from its period components equals the full assembly'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_corpus

export SOURCE_DATE_EPOCH=1767225600	# 2026-01-01T00:00:00Z

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git config --global bpfdigest.inbox "$PWD/inbox" &&
	git bpfdigest -q update
'

# Needs attention lists series heard of within bpfdigest.queueDays of the
# period's end: the components of that span are assembled too.  Without
# the limit (0), every open series counts: the whole archive.
test_expect_success 'with Needs attention, the span reaches bpfdigest.queueDays back' '
	BPFDIGEST_TRACE_PERFORMANCE=1 git -c bpfdigest.attention=false bpfdigest weekly \
		--week=2024-W05 --summarizer= >/dev/null 2>trace &&
	sed -n "s/.*period: \([0-9]*\) of \([0-9]*\) messages.*/\1 \2/p" trace >week &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest weekly --week=2024-W05 --summarizer= \
		>/dev/null 2>trace &&
	sed -n "s/.*period: \([0-9]*\) of \([0-9]*\) messages.*/\1 \2/p" trace >month &&
	read w all <week && read m all2 <month &&
	test $all = $all2 && test $w -lt $m && test $m -lt $all &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git -c bpfdigest.queueDays=0 bpfdigest weekly \
		--week=2024-W05 --summarizer= >/dev/null 2>trace &&
	! grep "period: " trace
'

# same_weeks <years> <weeks>: each week's digest (JSON, every entry) is
# the same assembled from its span as from the whole archive.
same_weeks() {
	for y in $1; do
		for w in $2; do
			git bpfdigest --format=json weekly --week=$y-W$w --limit=1000 --summarizer= \
				>sel.json &&
			BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=json weekly \
				--week=$y-W$w --limit=1000 --summarizer= >full.json &&
			test_cmp full.json sel.json || return 1
		done
	done
}

# Every eighth ISO week of 2019-2026 (all weeks take a few minutes: one
# process per week and mode), every entry, and a few days.
test_expect_success 'weekly: the period components give the full assembly' '
	same_weeks "2019 2020 2021 2022 2023 2024 2025" "$(seq -w 3 8 52)"
'

test_expect_success 'daily: the same' '
	for d in 2020-03-03 2022-08-17 2024-02-01 2025-10-01; do
		git bpfdigest --format=json daily --date=$d --summarizer= >sel.json &&
		BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=json daily --date=$d \
			--summarizer= >full.json &&
		test_cmp full.json sel.json || return 1
	done
'

# series <msgid>...: the components of the named messages only.  One
# message of every 20th series (its first patch, a reply, a later
# revision's), as links too, and one the archive does not have.
test_expect_success 'series <msgid>: the named components give the full assembly' '
	BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=json series --all >all.json &&
	python3 - <<-\EOF >mids &&
	import json
	s = json.load(open("all.json"))["series"]
	out = []
	for k, x in enumerate(s[::20]):
	    r = x["revisions"][k % len(x["revisions"])]
	    p = r["patches"][0] if r["patches"] else r["cover"]
	    out.append(p["m"] if k % 3 else "https://lore.kernel.org/bpf/%s/" % p["m"])
	print(" ".join(out + ["no-such-message@example.org"]))
	EOF
	test $(wc -w <mids) -ge 40 &&
	for fmt in json text mbox; do
		test_expect_code 1 git bpfdigest --format=$fmt series $(cat mids) >sel 2>sel.err &&
		test_expect_code 1 env BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=$fmt \
			series $(cat mids) >full 2>full.err &&
		test_cmp full sel && test_cmp full.err sel.err || return 1
	done &&
	grep "no series contains message .no-such-message@example.org." sel.err &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest series $(head -c 200 mids | cut -d" " -f1) \
		>/dev/null 2>trace &&
	grep "period: [0-9]* of [0-9]* messages" trace &&
	git bpfdigest --format=json series --all --since=2024-03-01 --until=2024-03-08 >sel.json &&
	BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=json series --all --since=2024-03-01 \
		--until=2024-03-08 >full.json &&
	test_cmp full.json sel.json
'

# The components are kept beside the index: read when they are of this
# archive, joined again (with a warning) when the file is damaged, and
# joined again (silently) when the archive changed.
test_expect_success 'the components on disk: used, rebuilt when damaged, never trusted' '
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >want.json &&
	comp=$(ls .git/bpfdigest/*.comp 2>/dev/null || ls "$HOME"/.cache/git-bpfdigest/*.comp) &&
	test -s "$comp" &&
	cp "$comp" good &&
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >got.json 2>err &&
	test_cmp want.json got.json && ! test -s err &&
	test_cmp good "$comp" &&
	# A byte of the components changed: not trusted, rebuilt, same digest.
	python3 -c "
import sys
b = bytearray(open(sys.argv[1], \"rb\").read()); b[60] ^= 0x40
open(sys.argv[1], \"wb\").write(b)" "$comp" &&
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >got.json 2>err &&
	test_cmp want.json got.json &&
	grep "^warning: the components .* are damaged; joining them again$" err &&
	test_cmp good "$comp" &&
	# Cut short: the same.
	head -c 100 good >"$comp" &&
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >got.json 2>err &&
	test_cmp want.json got.json && grep "are damaged" err && test_cmp good "$comp"
'

# The index is mapped, not loaded, when the inbox has nothing new: a
# digest reads the records of its span only, each block checked as it is
# first read.  Damage met there, or in the directory, is warned about;
# the archive is then read whole and the index rebuilt, the digest the same.
test_expect_success 'the index mapped: damage found when read is rebuilt, never trusted' '
	idx=${comp%.comp} &&
	cp "$idx" good-idx &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest --format=json weekly --week=2024-W05 \
		--summarizer= >got.json 2>trace &&
	test_cmp want.json got.json &&
	grep "period: .* (index mapped)$" trace &&
	# A byte in the middle (a block of records or strings), and no
	# components: joining them reads every record.
	size=$(wc -c <"$idx") &&
	python3 -c "
import sys
b = bytearray(open(sys.argv[1], \"rb\").read()); b[int(sys.argv[2]) // 2] ^= 0x20
open(sys.argv[1], \"wb\").write(b)" "$idx" $size &&
	rm "$comp" &&
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >got.json 2>err &&
	test_cmp want.json got.json &&
	grep "^warning: the index .* is unusable (checksum mismatch); rebuilding it$" err &&
	test $(grep -c warning err) = 1 &&
	test_cmp good-idx "$idx" &&
	# The directory, at the end of the file: nothing of it is used.
	python3 -c "
import sys
b = bytearray(open(sys.argv[1], \"rb\").read()); b[-100] ^= 0x20
open(sys.argv[1], \"wb\").write(b)" "$idx" &&
	git bpfdigest --format=json weekly --week=2024-W05 --summarizer= >got.json 2>err &&
	test_cmp want.json got.json &&
	grep "^warning: the index .* is unusable (checksum mismatch); rebuilding it$" err &&
	test_cmp good-idx "$idx" &&
	# Rebuilt: the next run maps it again.
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest --format=json weekly --week=2024-W05 \
		--summarizer= >got.json 2>trace &&
	grep "(index mapped)$" trace
'

# New mail that only adds to the index: the index is extended without
# being loaded, then mapped, and the components joined from the old
# messages' facts and the new mail alone; the digest has the new patch,
# as the full assembly of the inbox read whole has.
test_expect_success 'the index mapped: new mail extends it, still mapped' '
	printf "%s\n" "Message-ID: <t4040-new@example.org>" \
		"Subject: [PATCH bpf-next] bpf: A patch that arrived late" \
		"From: Late Comer <late@example.org>" "Date: Wed, 31 Jan 2024 10:00:00 +0000" \
		"To: bpf@vger.kernel.org" "" "A body." "" "---" \
		"diff --git a/k.c b/k.c" "--- a/k.c" "+++ b/k.c" "@@ -1 +1 @@" "-a" "+b" |
	GIT_COMMITTER_DATE="2024-01-31T10:00:05Z" inbox_commit inbox/git/0.git m &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest --format=json weekly --week=2024-W05 \
		--limit=1000 --summarizer= >sel.json 2>trace &&
	grep "(index mapped)$" trace &&
	# The components of the old messages from their facts: one message joined.
	grep "components: 1 of [0-9]* messages joined from the mail$" trace &&
	grep "A patch that arrived late" sel.json &&
	# The components of the extended index were saved by that run.
	cp "$comp" comp-after &&
	BPFDIGEST_FULL_ASSEMBLY=1 git bpfdigest --format=json weekly --week=2024-W05 \
		--limit=1000 --summarizer= >full.json &&
	test_cmp full.json sel.json &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest --format=json weekly --week=2024-W05 \
		--limit=1000 --summarizer= >again.json 2>trace &&
	grep "(index mapped)$" trace && test_cmp full.json again.json &&
	test_cmp comp-after "$comp"
'

# The same weeks with Needs attention off: the period alone is assembled.
test_expect_success 'without Needs attention, the period alone gives the full assembly' '
	git config --global bpfdigest.attention false &&
	same_weeks "2019 2021 2023 2025" "$(seq -w 7 16 52)"
'

test_done
