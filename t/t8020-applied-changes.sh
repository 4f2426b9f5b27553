#!/bin/bash
test_description='applied with changes: real libbpf commits against their postings, checked with git'
. "${0%/*}/test-lib.sh"
test_require_corpus

libbpf_map="tools/lib/bpf/:src/ tools/include/uapi/linux/:include/uapi/linux/
	include/uapi/linux/perf_event.h:include/uapi/linux/perf_event.h
	Documentation/bpf/libbpf/:docs/"

# "libbpf: ringbuf: allow to consume up to a certain amount of items"
# (v4 2/4, libbpf 98de9ace4dad): applied without the posting's second
# "if (res > INT_MAX) { ... break; }" block; 3/4 (b521a722b992) as posted.
MID=20240406092005.92399-3-andrea.righi@canonical.com
NEXT=20240406092005.92399-4-andrea.righi@canonical.com

test_expect_success 'the archive and the libbpf tree' '
	test_corpus_inbox bpf &&
	git clone -q --bare "$CORPUS/libbpf.bundle" libbpf.git &&
	for m in $libbpf_map; do git -C libbpf.git config --add bpfdigest.pathMap $m || return 1; done &&
	git -C libbpf.git config bpfdigest.inbox "$TRASH_DIRECTORY/bpf"
'

test_expect_success 'git itself: the posting and the commit have other patch-ids' '
	cd libbpf.git &&
	git bpfdigest series --format=mbox --revision=4 $MID >v4.mbox &&
	mkdir v4 && git mailsplit --mboxrd -ov4 v4.mbox >/dev/null &&
	git mailinfo /dev/null posted <v4/0002 >/dev/null &&
	sed "s|a/tools/lib/bpf/|a/src/|g; s|b/tools/lib/bpf/|b/src/|g" posted >mapped &&
	git patch-id --stable <mapped >posted.id &&
	git show 98de9ace4dad | git patch-id --stable >applied.id &&
	test -s posted.id && test -s applied.id &&
	! test "$(cut -d" " -f1 posted.id)" = "$(cut -d" " -f1 applied.id)" &&
	git mailinfo /dev/null posted3 <v4/0003 >/dev/null &&
	sed "s|a/tools/lib/bpf/|a/src/|g; s|b/tools/lib/bpf/|b/src/|g" posted3 | git patch-id --stable >posted3.id &&
	git show b521a722b992 | git patch-id --stable >applied3.id &&
	test "$(cut -d" " -f1 posted3.id)" = "$(cut -d" " -f1 applied3.id)"
'

test_expect_success 'series --format=json: applied_changes of the edited patch, null for the others' '
	cd libbpf.git &&
	git bpfdigest --format=json series $MID >s.json &&
	python3 - <<-\PY
	import json
	s = json.load(open("s.json"))["series"][0]
	v4 = [r for r in s["revisions"] if r["version"] == 4][0]
	p = {x["position"]: x for x in v4["patches"]}
	assert p[2]["applied_changes"] == {"files": [{"path": "src/ringbuf.c", "added": 0, "removed": 4}],
	                                  "added": 0, "removed": 4}, p[2]["applied_changes"]
	assert p[1]["applied_changes"] is None and p[3]["applied_changes"] is None
	PY
'

test_expect_success 'series (text) and notes say it' '
	cd libbpf.git &&
	git bpfdigest series $MID >s.txt &&
	grep -F "<$MID>, applied to bpf-next as 13e8125a2276 (pw-bot), in this tree as 98de9ace4dad (link), applied with changes to src/ringbuf.c, +0 −4, " s.txt &&
	grep -A1 "consume_n / ring_buffer__consume_n" s.txt | grep -F "<$NEXT>" >next &&
	! grep "with changes" next &&
	git bpfdigest notes 98de9ace4dad~2..98de9ace4dad >out &&
	git notes --ref=bpfdigest show 98de9ace4dad >note &&
	grep -x "Applied-with-changes: src/ringbuf.c +0 -4" note &&
	git bpfdigest notes b521a722b992~1..b521a722b992 >out &&
	git notes --ref=bpfdigest show b521a722b992 >note3 &&
	grep "^Posted-as: .*consume_n" note3 &&
	! grep "^Applied-with-changes:" note3
'

# "libbpf: fix USDT SIB argument handling ..." (v16 1/2, libbpf
# 9236e137e9ee), one of the commits the last test checks against git.
test_expect_success 'a digest entry says it, from the same facts as series' '
	cd libbpf.git &&
	git bpfdigest weekly --date=2025-08-27 >week &&
	grep -F "In this tree as 9236e137e9ee, applied with changes to src/usdt.c, +5 −12." week &&
	git bpfdigest --format=json weekly --date=2025-08-27 >week.json &&
	git bpfdigest --format=json series 20250827053128.1301287-2-phoenix500526@163.com >usdt.json &&
	python3 - <<-\PY
	import json
	e = [e for e in json.load(open("week.json"))["entries"]
	     if e["m"] == "20250827053128.1301287-2-phoenix500526@163.com"][0]
	local = [a for a in e["applied"] if a["source"] == "local"]
	assert local[0]["changes"] == "applied with changes to src/usdt.c, +5 \u221212", local
	p = [p for r in json.load(open("usdt.json"))["series"][0]["revisions"] for p in r["patches"]
	     if p["m"] == e["m"]][0]
	assert p["applied_changes"]["files"] == [{"path": "src/usdt.c", "added": 5, "removed": 12}]
	PY
'

# Every commit the link stage matches in its default range: git patch-id
# of the posting (decoded by git mailinfo, put into libbpf'"'"'s paths) and of
# the commit, and where they differ, the changed lines of git'"'"'s own diffs.
test_expect_success 'every matched commit: applied_changes agrees with git' '
	cd libbpf.git &&
	git bpfdigest link --format=json >link.json &&
	git bpfdigest --format=json series $(python3 -c "import json; print(\" \".join(c[\"m\"] for c in json.load(open(\"link.json\"))[\"commits\"]))") >all.json &&
	python3 "$TEST_DIRECTORY/applied_changes_check.py" link.json all.json $libbpf_map >out &&
	cat out &&
	grep "^matched commits: [1-9][0-9]* applied as posted, [4-9] with changes, 0 disagree$" out
'

# The same tree without bpfdigest.pathMap: the postings are in the
# kernel's paths, the commits in libbpf's; no comparison can be made,
# and none is printed.
test_expect_success 'a mirror without bpfdigest.pathMap says nothing of changes' '
	git clone -q --bare "$CORPUS/libbpf.bundle" plain.git &&
	git -C plain.git config bpfdigest.inbox "$TRASH_DIRECTORY/bpf" &&
	cd plain.git &&
	git bpfdigest --format=json series $(python3 -c "import json; print(\" \".join(c[\"m\"] for c in json.load(open(\"../libbpf.git/link.json\"))[\"commits\"]))") >all.json &&
	python3 -c "
import json
n = 0
for s in json.load(open(\"all.json\"))[\"series\"]:
    for r in s[\"revisions\"]:
        for p in r[\"patches\"]:
            assert p[\"applied_changes\"] is None, (p[\"m\"], p[\"applied_changes\"])
            n += any(a[\"source\"] == \"local\" for a in p[\"applied\"])
assert n >= 20, n
" &&
	git bpfdigest series $MID >s.txt &&
	grep -F "in this tree as 98de9ace4dad (link), 1 reply" s.txt
'

test_done
