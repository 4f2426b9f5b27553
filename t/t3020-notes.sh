#!/bin/bash
test_description='notes: one note per applied commit in refs/notes/bpfdigest'
. "${0%/*}/test-lib.sh"

# Everything in the repository but our notes ref and our cache.
snapshot() {
	{
		git for-each-ref --format="%(refname) %(objectname)" | grep -v "^refs/notes/"
		git rev-parse HEAD
		git status --porcelain
		git config --list --local
		git stash list
	} >"$1"
}

test_expect_success 'the demo: a tree with applied series and their archive' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	git -C demo/kernel bpfdigest link >links &&
	grep "^4 commits: 3 matched (pwbot 2, link 1, patch-id 0, subject 0)" links
'

test_expect_success 'notes writes one note per matched commit, in one commit' '
	cd demo/kernel &&
	snapshot ../../before &&
	git bpfdigest notes >../../out &&
	snapshot ../../after &&
	cd ../.. &&
	test_cmp before after &&
	echo "notes in refs/notes/bpfdigest: 3 added, 0 updated, 0 unchanged" >expect &&
	test_cmp expect out &&
	test $(git -C demo/kernel notes --ref=bpfdigest list | wc -l) = 3 &&
	test $(git -C demo/kernel rev-list --count refs/notes/bpfdigest) = 1
'

test_expect_success 'git log --notes=bpfdigest shows what the commit was posted as' '
	cd demo/kernel &&
	c=$(git log --format=%H --grep="^libbpf: Fix memory leak in btf_dump" -1) &&
	git log --notes=bpfdigest -1 $c >log &&
	grep "^Notes (bpfdigest):$" log &&
	git notes --ref=bpfdigest show $c >note &&
	cat >expect <<-\EOF &&
	Posted-as: [PATCH bpf-next] libbpf: Fix memory leak in btf_dump()
	Series: libbpf: Fix memory leak in btf_dump() (v1, 1 patch) by Bob Hacker
	Revisions: v1 2026-04-07
	Acked-by: Andrii Reviewer <andrii@example.org>
	State: applied (v1)
	Matched-by: link (certain)
	Link: https://lore.kernel.org/all/20260407143000.btf-1@example.org/
	Generated-by: git-bpfdigest
	EOF
	head -n 8 note >head &&
	test_cmp expect head &&
	test -z "$(sed -n 9p note)" &&
	sed -n 10p note | grep "btf_dump() allocates its buffer"
'

test_expect_success 'the summary of a note is wrapped at 72 columns, as a commit message' '
	cd demo/kernel &&
	for c in $(git notes --ref=bpfdigest list | cut -d" " -f2); do
		git notes --ref=bpfdigest show $c | sed "1,/^\$/d" || return 1
	done >../../summaries &&
	cd ../.. &&
	test $(wc -l <summaries) -gt 3 &&
	! grep -n ".\{73\}" summaries
'

test_expect_success 'a pw-bot match says so; the series line counts its patches' '
	cd demo/kernel &&
	c=$(git log --format=%H --grep="^selftests/bpf: Shorten the wait" -1) &&
	git notes --ref=bpfdigest show $c >note &&
	grep "^Series: selftests/bpf: Faster and broader map tests (v1, 2 patches) by Carol Tester$" note &&
	grep "^Matched-by: pwbot (certain)$" note
'

test_expect_success 'running again changes nothing' '
	cd demo/kernel &&
	tip=$(git rev-parse refs/notes/bpfdigest) &&
	git bpfdigest notes >out &&
	echo "notes in refs/notes/bpfdigest: 0 added, 0 updated, 3 unchanged" >expect &&
	test_cmp expect out &&
	test $(git rev-parse refs/notes/bpfdigest) = $tip
'

test_expect_success 'a changed note is rewritten; notes by others stay' '
	cd demo/kernel &&
	first=$(git log --format=%H --reverse | head -n 1) &&
	git notes --ref=bpfdigest add -m "a note of my own" $first &&
	tip=$(git rev-parse refs/notes/bpfdigest) &&
	git bpfdigest notes --dry-run >dry &&
	test $(git rev-parse refs/notes/bpfdigest) = $tip &&
	git config b4.midmask "https://msgid.link/%s" &&
	git bpfdigest notes --dry-run >dry &&
	test $(grep -c "^update " dry) = 3 &&
	grep "(dry run): 0 added, 3 updated, 0 unchanged" dry &&
	test $(git rev-parse refs/notes/bpfdigest) = $tip &&
	git bpfdigest notes >out &&
	grep ": 0 added, 3 updated, 0 unchanged" out &&
	test $(git rev-parse refs/notes/bpfdigest^) = $tip &&
	git notes --ref=bpfdigest show $first >mine &&
	echo "a note of my own" >expect && test_cmp expect mine &&
	git notes --ref=bpfdigest list | wc -l >count && echo 4 >expect && test_cmp expect count &&
	git log --notes=bpfdigest | grep "^    Link: https://msgid.link/20260407143000.btf-1@example.org$"
'

test_expect_success 'a note written by hand on a matched commit stays, unless --force' '
	cd demo/kernel &&
	c=$(git log --format=%H --grep="^libbpf: Fix memory leak in btf_dump" -1) &&
	git notes --ref=bpfdigest add -f -m "my own words" $c &&
	git bpfdigest notes --dry-run >dry 2>err &&
	test_must_fail grep "^update $c" dry &&
	git bpfdigest notes >out 2>err &&
	grep "^notes in refs/notes/bpfdigest: 0 added, 0 updated, 2 unchanged, 1 kept (not ours)$" out &&
	grep "^warning: keeping the note on $c in .refs/notes/bpfdigest.: git-bpfdigest did not write it$" err &&
	grep "^warning: 1 note kept; .git bpfdigest notes --force. replaces them$" err &&
	git notes --ref=bpfdigest show $c >note &&
	echo "my own words" >expect && test_cmp expect note &&
	git bpfdigest notes --force >out &&
	grep ": 0 added, 1 updated, 2 unchanged$" out &&
	git notes --ref=bpfdigest show $c | grep "^Generated-by: git-bpfdigest$"
'

test_expect_success 'bpfdigest.notesRef names another ref' '
	cd demo/kernel &&
	git config bpfdigest.notesRef review &&
	git bpfdigest notes >out &&
	grep "^notes in refs/notes/review: 3 added" out &&
	git log --notes=review -1 | grep "^Notes (review):" &&
	git config bpfdigest.notesRef "bad..name" &&
	test_expect_code 128 git bpfdigest notes 2>err &&
	grep "^fatal: bad config value .bad..name. for .bpfdigest.notesRef.$" err &&
	git config --unset bpfdigest.notesRef
'

test_expect_success 'git fsck is clean' '
	cd demo/kernel &&
	git fsck --strict 2>err &&
	test_must_fail grep -v "^Checking" err
'

test_require_corpus

test_expect_success 'two thousand notes: libbpf and bpftool histories, the regen archive' '
	"$CORPUS/make-inbox" "$CORPUS/regen/series.mbox" regen >/dev/null &&
	git clone -q --bare "$CORPUS/libbpf.bundle" big.git && cd big.git &&
	git fetch -q "$CORPUS/bpftool.bundle" main:bpftool &&
	tree=$(git mktree </dev/null) &&
	both=$(echo both | git commit-tree $tree -p master -p bpftool) &&
	git update-ref refs/heads/both $both &&
	git config bpfdigest.inbox "$TRASH_DIRECTORY/regen" &&
	git bpfdigest link both >links &&
	grep "^3727 commits: 2187 matched" links
'

test_expect_success 'two notes runs at once lose nothing' '
	cd big.git &&
	{
		git bpfdigest notes master >one 2>err1 &
		git bpfdigest notes bpftool >two 2>err2 &
		wait
	} &&
	grep ": 1704 added, 0 updated, 0 unchanged" one &&
	grep ": 483 added, 0 updated, 0 unchanged" two &&
	test $(git notes --ref=bpfdigest list | wc -l) = 2187 &&
	test $(git rev-list --count refs/notes/bpfdigest) = 2 &&
	git bpfdigest notes both >three &&
	grep ": 0 added, 0 updated, 2187 unchanged" three
'

test_expect_success 'the notes tree is fanned out as git fans it out' '
	cd big.git &&
	git ls-tree -r --name-only refs/notes/bpfdigest >ours &&
	grep -c "^[0-9a-f][0-9a-f]/[0-9a-f]\{38\}$" ours >n && echo 2187 >expect && test_cmp expect n &&
	# git rewrites the whole tree when its fan-out changes: ours must stand.
	blob=$(echo x | git hash-object -w --stdin) &&
	git notes --ref=bpfdigest add -m x $blob && git notes --ref=bpfdigest remove $blob &&
	git ls-tree -r --name-only refs/notes/bpfdigest >gits &&
	test_cmp ours gits
'

test_expect_success 'git fsck is clean after all of it' '
	cd big.git &&
	git fsck --strict 2>err &&
	test_must_fail grep -v "^Checking" err
'

test_done
