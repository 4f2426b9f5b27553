#!/bin/bash
test_description='the demo archive: format-patch series, a reroll, a review, git am with Link:'
. "${0%/*}/test-lib.sh"

test_expect_success 'make-demo builds the tree and the inbox' '
	"$BUILD_DIR/demo/make-demo" demo >log &&
	grep "^make-demo: 16 mails" log &&
	test -d demo/inbox/git/0.git &&
	git -C demo/kernel log --format=%B | grep "^Link: https://lore.kernel.org/r/20260407143000.btf-1@example.org$"
'

test_expect_success 'the demo inbox is what public-inbox writes: one m per commit' '
	git -C demo/inbox/git/0.git rev-list HEAD >commits &&
	test $(wc -l <commits) = 16 &&
	while read c; do
		test "$(git -C demo/inbox/git/0.git ls-tree --name-only $c)" = m || exit 1
	done <commits
'

test_expect_success 'the demo is reproducible' '
	"$BUILD_DIR/demo/make-demo" demo2 >/dev/null &&
	test "$(git -C demo/inbox/git/0.git rev-parse HEAD)" = "$(git -C demo2/inbox/git/0.git rev-parse HEAD)"
'

test_expect_success 'weekly digest from inside the tree uses bpfdigest.inbox' '
	SOURCE_DATE_EPOCH=1776124800 git -C demo/kernel bpfdigest weekly --date=2026-04-08 >out &&
	head -n 1 out | grep "^The week of April 6-12 on bpf-next was dominated by Jane Developer" &&
	grep -x "libbpf: Fix memory leak in btf_dump()" out &&
	grep -x "selftests/bpf: Shorten the wait in test_maps" out &&
	grep -x "bpf: Allow sleepable widget programs" out &&
	tail -n 1 out | grep -x "Generated 2026-04-14T00:00:00Z"
'

test_expect_success 'inside the tree, applied patches name the commit they became' '
	pw=$(git -C demo/kernel log -1 --format=%H --grep="Shorten the wait") &&
	ln=$(git -C demo/kernel log -1 --format=%H --grep="btf_dump") &&
	grep -F "Applied to bpf-next as $(echo $pw | cut -c1-12), with the other patch. It is in this tree." out &&
	grep -F "In this tree as $(echo $ln | cut -c1-12)." out &&
	git -C demo/kernel bpfdigest --format=json weekly --date=2026-04-08 >out.json &&
	python3 - out.json "$pw" "$ln" <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	applied = {(a["commit"], a["method"], a["source"]) for e in d["entries"] for a in e["applied"]}
	assert applied == {(sys.argv[2][:12], "pwbot", "pwbot"), (sys.argv[2], "pwbot", "local"),
	                   (sys.argv[3], "link", "local")}, applied
	assert d["stats"]["applied"] == 3, d["stats"]  # both of Carol's patches, and Bob's
	EOF
'

test_expect_success 'outside the tree only the pw-bot notice is said, never "in this tree"' '
	git bpfdigest --inbox="$PWD/demo/inbox" weekly --date=2026-04-08 >outside &&
	pw=$(git -C demo/kernel log -1 --format=%H --grep="Shorten the wait") &&
	grep -F "Applied to bpf-next as $(echo $pw | cut -c1-12), with the other patch. <" outside &&
	! grep -i "in this tree" outside &&
	ln=$(git -C demo/kernel log -1 --format=%H --grep="btf_dump") &&
	! grep -i "as $(echo $ln | cut -c1-12)" outside
'

test_expect_success 'a week without mail is empty and names the list' '
	git -C demo/kernel bpfdigest weekly --week=2026-W20 >out &&
	head -n 1 out | grep -x "No patches were submitted to bpf@vger.kernel.org in the week of May 11-17, 2026."
'

test_done
