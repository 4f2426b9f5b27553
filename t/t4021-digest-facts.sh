#!/bin/bash
test_description='every fact of a digest is true: applied status, series identity, revisions'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3

export SOURCE_DATE_EPOCH=1767225600	# 2026-01-01T00:00:00Z

# entry <digest.json> <message-id> <python expression over e>: the entry
# of a message (or of its series' cover) holds.
entry() {
	python3 - "$@" <<-\EOF
	import json, re, sys
	d, mid, expr = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
	found = [e for e in d["entries"] if mid in (e["m"], e["series"]["cover"])]
	assert len(found) == 1, "%s: %d entries" % (mid, len(found))
	e = found[0]
	if not eval("(" + expr + ")"):
	    print(json.dumps(e, indent=1)[:4000])
	    sys.exit(1)
	EOF
}

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git config --global bpfdigest.inbox "$PWD/inbox"
'

# [bpf-next,v12,1/5] "xsk: Add launch time hardware offload support to XDP
# Tx metadata": the bot's hashes are of bpf-next, not of any local tree.
test_expect_success 'applied: the pw-bot notice is a fact, patch by patch, outside any repository' '
	git bpfdigest --format=json weekly --week=2025-W07 --limit=100 >w07.json &&
	entry w07.json 20250216093430.957880-1-yoong.siang.song@intel.com \
		"e[\"status\"] == \"applied\" and len(e[\"revision_applied\"]) == 5 and
		 all(a[\"source\"] == \"pwbot\" and a[\"tree\"] == \"bpf-next\" for a in e[\"revision_applied\"]) and
		 \"ca4419f15abd\" in [a[\"commit\"] for a in e[\"revision_applied\"]] and
		 all(re.match(r\"^[0-9a-f]{12}$\", a[\"commit\"]) for a in e[\"applied\"])" &&
	git bpfdigest weekly --week=2025-W07 --limit=100 >w07 &&
	grep "Applied to bpf-next as [0-9a-f]\{12\}, with the other 4 patches\." w07
'

# Rong Tao's v5 "Fix bpf_strnstr len error": the bot applied patch 2 of 2
# only, to bpf (not bpf-next, which the subject named).
test_expect_success 'applied: a partly applied revision says which patches' '
	git bpfdigest weekly --week=2025-W35 --limit=100 >w35 &&
	grep "Patch 2 of 2 was applied to bpf (patch 2 as 19139f45999a)\." w35 &&
	! grep "bpf_strnstr: Exact match length.*Applied to" w35
'

# Paul Houssel's "libbpf: fix BTF dedup to support recursive typedef" is
# in libbpf as 370271441c59 (by its Link:) and in bpf-next as 3781413465df
# (by the bot): the mirror's commit is never "applied to bpf-next".
test_expect_success 'in this tree: a commit of the repository is its own fact, with no upstream name' '
	git clone -q --bare "$CORPUS/libbpf.bundle" libbpf.git &&
	GIT_DIR=libbpf.git git bpfdigest --format=json weekly --week=2025-W46 --limit=100 >w46.json &&
	entry w46.json bf00857b1e06f282aac12f6834de7396a7547ba6.1763037045.git.paul.houssel@orange.com \
		"{(a[\"source\"], a[\"tree\"], a[\"commit\"][:12]) for a in e[\"applied\"]} ==
		 {(\"local\", None, \"370271441c59\"), (\"pwbot\", \"bpf-next\", \"3781413465df\")}" &&
	GIT_DIR=libbpf.git git bpfdigest weekly --week=2025-W46 --limit=100 >w46 &&
	grep "Applied to bpf-next as 3781413465df, with the other patch\. In this tree as 370271441c59\." w46 &&
	! grep "to bpf-next as 370271441c59" w46 &&
	# No notice: only the local fact.
	GIT_DIR=libbpf.git git bpfdigest weekly --week=2025-W42 --limit=100 >w42 &&
	grep "In this tree as 665ad8c7f784\." w42 &&
	! grep "Applied to [a-z-]* as 665ad8c7f784" w42
'

test_expect_success 'series: pw-bot and local facts, each said as what it is' '
	git bpfdigest series tencent_E72A37AF03A3B18853066E421B5969976208@qq.com >strnstr &&
	grep "applied to bpf as 19139f45999a (pw-bot)" strnstr &&
	GIT_DIR=libbpf.git git bpfdigest series bf00857b1e06f282aac12f6834de7396a7547ba6.1763037045.git.paul.houssel@orange.com >btf &&
	grep "applied to bpf-next as 3781413465df (pw-bot), in this tree as 370271441c59 (link)" btf &&
	GIT_DIR=libbpf.git git bpfdigest --format=json series bf00857b1e06f282aac12f6834de7396a7547ba6.1763037045.git.paul.houssel@orange.com >btf.json &&
	python3 -c "
import json
s = json.load(open(\"btf.json\"))[\"series\"][0]
p = [p for r in s[\"revisions\"] for p in r[\"patches\"] if p[\"m\"].startswith(\"bf00857b1e06\")][0]
assert [(a[\"source\"], a[\"tree\"]) for a in p[\"applied\"]] == [(\"pwbot\", \"bpf-next\"), (\"local\", None)], p
"
'

# Andrea Righi's "[PATCHSET v10 sched_ext/for-6.19] Add a deadline server
# for sched_ext tasks" has no n/m; its "[PATCH 01/11]" ... answer it.
test_expect_success 'identity: a PATCHSET without n/m is the cover its patches inherit from' '
	git bpfdigest --format=json weekly --week=2025-W44 --limit=100 >w44.json &&
	entry w44.json 20251029191111.167537-1-arighi@nvidia.com \
		"e[\"m\"] != e[\"series\"][\"cover\"] and e[\"series\"][\"title\"] == \"Add a deadline server for sched_ext tasks\" and
		 (e[\"series\"][\"version\"], e[\"series\"][\"total\"], e[\"series\"][\"tree\"]) == (10, 11, \"sched_ext/for-6.19\")" &&
	python3 -c "
import json
d = json.load(open(\"w44.json\"))
assert not [e for e in d[\"entries\"] if \"Fix updating of ppos\" in e[\"series\"][\"title\"]], d[\"overview\"]
assert \"Andrea Righi\x27s v10 series \\\"Add a deadline server for sched_ext tasks\\\" (11 patches)\" in d[\"overview\"], d[\"overview\"]
"
'

# Eliav Farber backported the same minmax.h commits to 6.6.y (15 patches,
# September 22) and to 6.1.y (19 patches, September 24); Sasha Levin sent
# the same AUTOSEL patch for 6.14, 6.13 and 6.12 on April 4.
test_expect_success 'identity: the stable branch is part of a series, as the tree is' '
	git bpfdigest --format=json series 20250924202320.32333-1-farbere@amazon.com >minmax.json &&
	python3 -c "
import json
s = json.load(open(\"minmax.json\"))[\"series\"]
assert len(s) == 1 and [r[\"total\"] for r in s[0][\"revisions\"]] == [19], s[0][\"revisions\"]
" &&
	git bpfdigest weekly --week=2025-W39 --limit=100 >w39 &&
	! grep "Backport minmax.h.*replacing" w39 &&
	git bpfdigest --format=json weekly --week=2025-W14 --limit=200 >w14.json &&
	python3 -c "
import json
d = json.load(open(\"w14.json\"))
E = [e for e in d[\"entries\"] if e[\"title\"] == \"selftests/bpf: Fix stdout race condition in traffic monitor\"]
assert len(E) == 3 and all(len(e[\"series\"][\"revisions\"]) == 1 and \"replacing\" not in e[\"summary\"] for e in E), E
"
'

# Ma Ke sent six one-patch "fix a resource leak in main()" fixes to six
# files of selftests/bpf on July 11, 2024: six pieces of work.
test_expect_success 'identity: same author and subject is no revision without evidence' '
	git bpfdigest --format=json weekly --week=2024-W28 --limit=100 >w28.json &&
	python3 -c "
import json
d = json.load(open(\"w28.json\"))
E = [e for e in d[\"entries\"] if e[\"series\"][\"author\"][\"email\"] == \"make24@iscas.ac.cn\"]
assert len(E) == 6, [e[\"m\"] for e in E]
assert all(len(e[\"series\"][\"revisions\"]) == 1 and \"replacing\" not in e[\"summary\"] for e in E), E
"
'

# Benjamin Tissoires posted v5 of "selftests/bpf: add sleepable timer
# tests" twice; Mina Almasry's v10 changelog is underlined with "====".
test_expect_success 'revisions: a repost is no replacement, an underline no changelog' '
	git bpfdigest weekly --week=2024-W12 --limit=100 >w12 &&
	grep "of Benjamin Tissoires.s v5 series \"selftests/bpf: add sleepable timer tests\" for bpf-next, reposted (first posted March 22)\." w12 &&
	! grep "v5 series[^.]*replacing v5" w12 &&
	git bpfdigest weekly --week=2024-W22 --limit=100 >w22 &&
	grep "of Mina Almasry.s v10 series \"Device Memory TCP\" for net-next, replacing v9 of May 10[;.]" w22 &&
	! grep "replacing [^.]*: ==" w22
'

# Luis Gerhorst: the RFC "bpf: Mitigate Spectre v1 using speculation
# barriers" (February 24, 2025), then v1 "... using barriers" (March 13).
test_expect_success 'revisions: an RFC keeps its title, and v1 replaces the RFC' '
	git bpfdigest weekly --week=2025-W09 --limit=100 >w09 &&
	grep "Luis Gerhorst.s RFC v1 series \"bpf: Mitigate Spectre v1 using speculation barriers\"" w09 &&
	git bpfdigest weekly --week=2025-W11 --limit=100 >w11 &&
	grep "Luis Gerhorst.s v1 series \"bpf: Mitigate Spectre v1 using barriers\" for bpf-next, replacing the RFC of February 24" w11 &&
	! grep "replacing v1 of February 24" w11
'

# "BPF selftest: mptcp subtest failing" (2025-W32) and "strace log before
# the fix, with fsync fix and with fclose fix." (2025-W43) hold a diff or
# a log, but were posted to discuss, not for review.
test_expect_success 'entries are postings, not discussion mails that hold a diff' '
	git bpfdigest --format=json weekly --week=2025-W32 --limit=100 >w32.json &&
	git bpfdigest --format=json weekly --week=2025-W43 --limit=100 >w43.json &&
	! grep "\"title\": \"BPF selftest: mptcp subtest failing\"" w32.json &&
	! grep "\"title\": \"strace log before the fix" w43.json &&
	git bpfdigest --format=json series --all >all.json &&
	grep "\"s\":\"BPF selftest: mptcp subtest failing\"" all.json
'

# chia-yu.chang@nokia-bell-labs.com sends with a bare From: address; the
# Signed-off-by of the same address names Chia-Yu Chang.
test_expect_success 'names: a bare From: address takes the name its Signed-off-by gives' '
	git bpfdigest weekly --week=2025-W44 >w44 &&
	head -n 1 w44 | grep "Chia-Yu Chang posted v5 of \"AccECN protocol case handling series\"" &&
	! grep "chia-yu.chang@nokia-bell-labs.com.s\|chia-yu.chang@nokia-bell-labs.com posted" w44 &&
	entry w44.json 20251029191111.167537-1-arighi@nvidia.com "e[\"series\"][\"author\"][\"name\"] == \"Andrea Righi\""
'

# libbpf's v1.5 cycle: most commits came from patches sent to netdev or
# only to bpf@ outside this archive; their own Link: says they were posted.
test_expect_success 'release: "posted, not in the archive" when the Link: says so, "not posted" only when nothing does' '
	range=26d9ab5f782f..6210515c7866 &&
	GIT_DIR=libbpf.git git bpfdigest --format=json release $range >rel.json &&
	GIT_DIR=libbpf.git git bpfdigest release $range >rel.txt &&
	grep "^Posted, not in the archive ([1-9][0-9]* commits)$" rel.txt &&
	sed -n "/^Posted, not in the archive/,/^Not posted/p" rel.txt |
		grep -F "<https://lore.kernel.org/r/20240410043527.3737160-1-yonghong.song@linux.dev>" &&
	python3 - rel.json <<-\EOF
	import json, re, subprocess, sys
	d = json.load(open(sys.argv[1]))
	linked = [u for u in d["unposted"] if u["link"]]
	assert len(linked) > 30, len(linked)
	for u in d["unposted"]:
	    msg = subprocess.run(["git", "--git-dir=libbpf.git", "log", "-1", "--format=%B", u["commit"]],
	                         capture_output=True, text=True, check=True).stdout
	    links = re.findall(r"(?im)^link:\s*(https://(?:lore\.kernel\.org|patch\.msgid\.link)/\S+)", msg)
	    assert (u["link"] is None) == (not links), (u, links)
	    assert u["link"] is None or u["link"] == links[0], (u, links)
	EOF
'

# Luis Gerhorst's "bpf: Mitigate Spectre v1 using barriers": five
# revisions (the RFC, v1 twice, v2, v3, v4) of 9 to 11 patches.
test_expect_success 'series: a revision says its place once, not on each patch' '
	git bpfdigest series 20250603205800.334980-1-luis.gerhorst@fau.de >spectre &&
	test $(grep -c "^  v[0-9]" spectre) = 5 &&
	test $(grep -c "It is \(patch [0-9]*/[0-9]* of\|the cover letter of\|a standalone\)" spectre) = 5 &&
	grep "It is the cover letter of Luis Gerhorst.s v4 series of 9 patches for bpf-next, replacing v3 of May 1" spectre
'

test_expect_success 'notes: the bot names the upstream commit, the note sits on this tree'"'"'s' '
	git clone -q --bare "$CORPUS/libbpf.bundle" notes.git &&
	GIT_DIR=notes.git git bpfdigest notes 370271441c59~1..370271441c59 &&
	git --git-dir=notes.git notes --ref=bpfdigest show 370271441c59 >note &&
	grep -x "Matched-by: link (likely)" note &&
	grep -x "Applied-upstream: bpf-next as 3781413465df (pw-bot)" note
'

test_done
