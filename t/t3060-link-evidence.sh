#!/bin/bash
test_description='link <commit>: the right Link:, replies, revisions, diff algorithms, evidence'
. "${0%/*}/test-lib.sh"
test_require_corpus

bpftool_map="tools/bpf/bpftool/Documentation/:docs/ tools/bpf/bpftool/bash-completion/:bash-completion/
	tools/bpf/bpftool/:src/ kernel/bpf/disasm.:src/kernel/bpf/disasm.
	tools/include/uapi/:include/uapi/ tools/include/tools/:include/tools/"
libbpf_map="tools/lib/bpf/:src/ tools/include/uapi/linux/:include/uapi/linux/
	include/uapi/linux/perf_event.h:include/uapi/linux/perf_event.h
	Documentation/bpf/libbpf/:docs/"

# The real postings of "asm-generic: Unify uapi bitsperlong.h ..." (bpftool
# 7f2b164ae8bc): the RFC (a v1 with a shorter subject), then v1, v2, v3.
RFC=1683615903-10862-1-git-send-email-yangtiezhu@loongson.cn
V1=1686567694-20099-2-git-send-email-yangtiezhu@loongson.cn
V3=1687443219-11946-2-git-send-email-yangtiezhu@loongson.cn
REPLY=a3a4f48a-07d4-4ed9-bc53-5d383428bdd2@app.fastmail.com

# relink COMMIT LINE...: COMMIT again, its Link: lines replaced by LINEs.
relink() {
	c=$1
	shift
	{
		git log -1 --format=%B $c | grep -vi "^link:"
		for l in "$@"; do echo "$l"; done
	} >msg &&
	GIT_AUTHOR_NAME="$(git log -1 --format=%an $c)" GIT_AUTHOR_EMAIL="$(git log -1 --format=%ae $c)" \
	GIT_AUTHOR_DATE="$(git log -1 --format=%aD $c)" \
		git commit-tree $c^{tree} -p $c^ -F msg
}

test_expect_success 'the archive and the two trees' '
	test_corpus_inbox bpf &&
	git clone -q --bare "$CORPUS/bpftool.bundle" bpftool.git &&
	git clone -q --bare "$CORPUS/libbpf.bundle" libbpf.git &&
	for m in $bpftool_map; do git -C bpftool.git config --add bpfdigest.pathMap $m || return 1; done &&
	for m in $libbpf_map; do git -C libbpf.git config --add bpfdigest.pathMap $m || return 1; done &&
	git -C bpftool.git config bpfdigest.inbox "$TRASH_DIRECTORY/bpf" &&
	git -C libbpf.git config bpfdigest.inbox "$TRASH_DIRECTORY/bpf"
'

test_expect_success 'a Link: to a reply in the RFC thread is no match for v3 (bpftool 7f2b164ae8bc)' '
	cd bpftool.git &&
	git log -1 --format=%B 7f2b164ae8bc | grep "^Link: .*$REPLY" &&
	git bpfdigest link 7f2b164ae8bc >out &&
	grep "^matched: \[PATCH v3 1/2\] asm-generic: Unify uapi bitsperlong.h for arm64, riscv and loongarch <$V3>$" out &&
	grep "^method: subject$" out &&
	grep "^confidence: weak$" out &&
	grep "^  link     no       Link: <$REPLY> is a reply in the thread of v1 \"asm-generic: Unify uapi bitsperlong.h\": no patch of it has this subject" out &&
	grep "^  subject  matched  " out &&
	test_must_fail grep "$RFC" out
'

test_expect_success 'link <commit> lists every revision, with dates and links' '
	cd bpftool.git &&
	git bpfdigest link 7f2b164ae8bc >out &&
	sed -n "/^postings:/,/^evidence:/p" out >postings &&
	grep -c "^  [ *] v[0-9]" postings >count && test $(cat count) = 3 &&
	grep "^    v1  2023-06-12 \[PATCH v1 1/2\] " postings &&
	grep "^    v2  2023-06-21 \[PATCH v2 1/2\] " postings &&
	grep "^  \* v3  2023-06-22 \[PATCH v3 1/2\] " postings &&
	grep "^      https://lore.kernel.org/all/$V3/$" postings &&
	git -c b4.midmask=https://msgid.link/%s bpfdigest link 7f2b164ae8bc^! >out2 &&
	grep "^      https://msgid.link/$V3$" out2
'

test_expect_success 'link --format=json <commit> carries the same' '
	cd bpftool.git &&
	git bpfdigest --format=json link 7f2b164ae8bc >out.json &&
	python3 - "$V3" "$REPLY" <<-\PY
	import json, sys
	v3, reply = sys.argv[1:]
	d = json.load(open("out.json"))
	assert d["match"]["m"] == v3 and d["match"]["method"] == "subject", d["match"]
	assert d["confidence"] == "weak"
	assert [p["version"] for p in d["postings"]] == [1, 2, 3]
	assert [p["applied"] for p in d["postings"]] == [False, False, True]
	assert all(p["url"].endswith("/") and p["dt"].endswith("Z") for p in d["postings"])
	ev = [e for e in d["evidence"] if reply in e["why"]]
	assert len(ev) == 1 and ev[0]["method"] == "link" and ev[0]["verdict"] == "no", ev
	assert {e["method"] for e in d["evidence"]} >= {"link", "patch-id", "subject"}
	PY
'

test_expect_success 'several Link: lines: the last posted patch of this commit wins' '
	cd bpftool.git &&
	c=$(relink 7f2b164ae8bc "Link: https://lore.kernel.org/all/$V1/" "Link: https://lore.kernel.org/r/$V3") &&
	git bpfdigest link $c >out &&
	grep "^matched: .*<$V3>$" out && grep "^method: link$" out &&
	grep "^  link     revision Link: <$V1> is this patch (v1), with this subject$" out &&
	grep "^  link     matched  Link: <$V3> is this patch (v3), with this subject$" out
'

test_expect_success 'a Link: annotated "# v1" names v1, never the commit' '
	cd bpftool.git &&
	c=$(relink 7f2b164ae8bc "Link: https://lore.kernel.org/r/$V3" "Link: https://lore.kernel.org/all/$V1/ # v1") &&
	git bpfdigest link $c >out &&
	grep "^matched: .*<$V3>$" out && grep "^method: link$" out &&
	grep "^  link     no       Link: <$V1> is annotated v1: it names that revision, not the one applied$" out &&
	c=$(relink 7f2b164ae8bc "Link: https://lore.kernel.org/all/$V1/ # v1") &&
	git bpfdigest link $c >out &&
	grep "^matched: .*<$V3>$" out && grep "^method: subject$" out
'

test_expect_success 'a Link: confirmed by patch-id is certain (libbpf dc8673b28b9e)' '
	cd libbpf.git &&
	git bpfdigest link dc8673b28b9e >out &&
	grep "^method: link$" out && grep "^confidence: certain$" out &&
	grep "^  patch-id agrees   patch-id [0-9a-f]* (myers diff) equals the posting.s$" out
'

test_expect_success 'an author posting from another address: the exact name still matches' '
	cd bpftool.git &&
	git log -1 --format=%ae 7f2b164ae8bc >email && grep "^yangtiezhu@loongson.cn$" email &&
	msg=$(git log -1 --format=%B 7f2b164ae8bc | grep -vi "^link:") &&
	c=$(GIT_AUTHOR_NAME="Tiezhu Yang" GIT_AUTHOR_EMAIL=tiezhu@elsewhere.example \
		GIT_AUTHOR_DATE="$(git log -1 --format=%aD 7f2b164ae8bc)" \
		git commit-tree 7f2b164ae8bc^{tree} -p 7f2b164ae8bc^ -m "$msg") &&
	git bpfdigest link $c >out &&
	grep "^matched: .*<$V3>$" out && grep "^method: subject$" out &&
	c=$(GIT_AUTHOR_NAME="T. Yang" GIT_AUTHOR_EMAIL=tiezhu@elsewhere.example \
		GIT_AUTHOR_DATE="$(git log -1 --format=%aD 7f2b164ae8bc)" \
		git commit-tree 7f2b164ae8bc^{tree} -p 7f2b164ae8bc^ -m "$msg") &&
	git bpfdigest link $c >out &&
	grep "^matched: none$" out &&
	grep "^  subject  no       the same subject, posted by Tiezhu Yang <yangtiezhu@loongson.cn>: another author" out &&
	echo "Tiezhu Yang <yangtiezhu@loongson.cn> T. Yang <tiezhu@elsewhere.example>" >"$TRASH_DIRECTORY/mailmap" &&
	git config mailmap.file "$TRASH_DIRECTORY/mailmap" &&
	git bpfdigest link $c >out &&
	git config --unset mailmap.file &&
	grep "^matched: .*<$V3>$" out && grep "^method: subject$" out &&
	grep "^  subject  matched  the same subject by the same author" out
'

# The newest 300 libbpf commits posted again from a tree that diffs with
# histogram (git format-patch --histogram), Message-ID <commit@histogram>.
test_expect_success 'postings diffed with --histogram' '
	cd libbpf.git &&
	git format-patch -q --histogram --no-numbered --stdout -300 master |
	awk "/^From [0-9a-f]+ Mon Sep 17 00:00:00 2001\$/ { print; print \"Message-ID: <\" \$2 \"@histogram>\"; next } { print }" \
		>../histogram.mbox &&
	test $(grep -c "^Message-ID: <[0-9a-f]*@histogram>" ../histogram.mbox) = 300 &&
	git log -p --no-merges -300 master | git patch-id --stable | sort >../myers.ids &&
	git log -p --no-merges --histogram -300 master | git patch-id --stable | sort >../histogram.ids &&
	comm -13 ../myers.ids ../histogram.ids | cut -d" " -f2 | sort >../rediffed &&
	test $(wc -l <../rediffed) -ge 10
'

test_expect_success 'commits whose myers patch-id differs still link by patch-id (histogram)' '
	cd libbpf.git &&
	git bpfdigest --inbox="mboxrd:$TRASH_DIRECTORY/histogram.mbox" --format=json link master~300..master >../h.json &&
	python3 - ../h.json ../rediffed <<-\PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	rediffed = set(open(sys.argv[2]).read().split())
	by = {c["commit"]: c for c in d["commits"]}
	wrong = [c for c in d["commits"] if c["m"] != c["commit"] + "@histogram"]
	assert not wrong, wrong[:3]
	for c in rediffed:
	    assert c in by and by[c]["method"] == "patch-id", (c, by.get(c))
	print(len(rediffed), "rediffed,", sum(c["method"] == "patch-id" for c in by.values()), "by patch-id of", len(by))
	PY
'

test_expect_success 'link <commit> names the algorithm that matched; the cache keeps it' '
	cd libbpf.git &&
	c=$(head -n 1 ../rediffed) &&
	git bpfdigest --inbox="mboxrd:$TRASH_DIRECTORY/histogram.mbox" link $c >out &&
	grep "^method: patch-id$" out && grep "^confidence: likely$" out &&
	grep "^  patch-id matched  patch-id [0-9a-f]* (histogram diff) equals the posting.s$" out &&
	grep "^c$c:histogram [0-9a-f]*$" bpfdigest/patch-id-v2 &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git bpfdigest --inbox="mboxrd:$TRASH_DIRECTORY/histogram.mbox" \
		--format=json link master~300..master >again.json 2>trace &&
	grep "link: 300 commits, 0 patch-ids computed$" trace &&
	test_cmp ../h.json again.json
'

test_expect_success 'notes say Matched-by with the confidence' '
	cd libbpf.git &&
	c=$(head -n 1 ../rediffed) &&
	git bpfdigest --inbox="mboxrd:$TRASH_DIRECTORY/histogram.mbox" notes $c~1..$c >out &&
	grep ": 1 added" out &&
	git notes --ref=bpfdigest show $c >note &&
	grep "^Matched-by: patch-id (likely)$" note
'

test_done
