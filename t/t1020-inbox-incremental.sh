#!/bin/bash
test_description='the incremental index: only new messages are read, changes are noticed'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

export XDG_CACHE_HOME="$TRASH_DIRECTORY/cache"

update() {
	git bpfdigest "$@" update >update.out 2>update.err
}

test_expect_success 'a first run reads everything' '
	mkdir -p inbox/git &&
	git init -q --bare inbox/git/0.git &&
	inbox_add inbox/git/0.git 1 2 3 4 5 &&
	update --inbox=inbox &&
	expect_counts "5 5 0 0 5 5 0 0" update.out &&
	ls cache/git-bpfdigest/inbox-*.idx >index &&
	test $(wc -l <index) = 1
'

test_expect_success 'nothing new: nothing read, the index is not rewritten' '
	index=$(cat index) &&
	touch -d "2000-01-01" "$index" &&
	update --inbox=inbox &&
	expect_counts "0 0 0 0 5 5 0 0" update.out &&
	test "$(find "$index" -newermt 2000-01-02)" = ""
'

test_expect_success 'messages added to an epoch: only they are read' '
	inbox_add inbox/git/0.git 6 7 &&
	update --inbox=inbox &&
	expect_counts "2 2 0 0 7 7 0 0" update.out
'

test_expect_success 'a new epoch: only it is read' '
	git init -q --bare inbox/git/1.git &&
	inbox_add inbox/git/1.git 8 &&
	update --inbox=inbox &&
	expect_counts "1 1 0 0 8 8 0 0" update.out
'

test_expect_success 'the digest reads from the index and gives what a fresh read gives' '
	export SOURCE_DATE_EPOCH=1776124800 &&
	git bpfdigest --inbox=inbox digest --since=2026-04-01 --until=2026-04-30 >cached &&
	XDG_CACHE_HOME="$PWD/fresh-cache" git bpfdigest --inbox=inbox digest \
		--since=2026-04-01 --until=2026-04-30 >fresh &&
	test_cmp fresh cached &&
	grep "^Generated 2026-04-14T00:00:00Z$" cached &&
	unset SOURCE_DATE_EPOCH
'

test_expect_success 'an epoch rewritten (amend + force): noticed and read again' '
	(
		GIT_DIR=inbox/git/0.git &&
		export GIT_DIR &&
		tree=$(git rev-parse HEAD^{tree}) &&
		new=$(git commit-tree $tree -p HEAD~1 -m amended) &&
		git update-ref HEAD $new
	) &&
	update --inbox=inbox &&
	expect_counts "7 0 0 0 8 8 0 0" update.out &&
	grep "^warning: inbox .inbox.: epoch .git/0.git.: its history was rewritten; reading it again$" update.err
'

test_expect_success 'a message purged from history: read again, it is gone' '
	(
		GIT_DIR=inbox/git/0.git &&
		export GIT_DIR &&
		git update-ref HEAD HEAD~2 &&
		inbox_add "$GIT_DIR" 9
	) &&
	update --inbox=inbox &&
	expect_counts "6 1 2 0 7 7 0 0" update.out
'

test_expect_success 'a damaged index: a warning, then rebuilt' '
	index=$(cat index) &&
	printf "BPFDIGEST INDEX\ntruncated" >"$index" &&
	update --inbox=inbox &&
	expect_counts "7 7 0 0 7 7 0 0" update.out &&
	grep "^warning: the index .* of inbox .inbox. is unusable (truncated); rebuilding it$" update.err &&
	update --inbox=inbox &&
	expect_counts "0 0 0 0 7 7 0 0" update.out
'

test_expect_success 'an index of another version is rebuilt' '
	index=$(cat index) &&
	printf "\077" | dd of="$index" bs=1 seek=16 conv=notrunc 2>/dev/null &&
	update --inbox=inbox &&
	grep "is unusable (version 63, not [0-9]*); rebuilding it$" update.err &&
	expect_counts "7 7 0 0 7 7 0 0" update.out
'

test_expect_success 'an mbox: appended mail is read alone, a rewrite reads all' '
	for n in 1 2 3; do
		echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && inbox_message $n && echo || return 1
	done >list.mbox &&
	update --inbox=mboxrd:list.mbox &&
	expect_counts "3 3 0 0 3 3 0 0" update.out &&
	{ echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && inbox_message 4 && echo; } >>list.mbox &&
	update --inbox=mboxrd:list.mbox &&
	expect_counts "1 1 0 0 4 4 0 0" update.out &&
	sed -i "s/^Subject: message 2$/Subject: message two/" list.mbox &&
	update --inbox=mboxrd:list.mbox &&
	expect_counts "4 0 0 0 4 4 0 0" update.out &&
	grep "^warning: inbox .mboxrd:list.mbox.: epoch .\..: it changed; reading it again$" update.err
'

test_expect_success 'a maildir: new files read, moved ones kept, deleted ones removed' '
	mkdir -p md/cur md/new md/tmp &&
	inbox_message 1 >md/new/1.host &&
	inbox_message 2 >md/new/2.host &&
	update --inbox=maildir:md &&
	expect_counts "2 2 0 0 2 2 0 0" update.out &&
	mv md/new/1.host md/cur/1.host:2,S &&
	rm md/new/2.host &&
	inbox_message 3 >md/new/3.host &&
	update --inbox=maildir:md &&
	expect_counts "1 1 1 0 2 2 0 0" update.out &&
	git bpfdigest --inbox=maildir:md digest --since=2026-04-06 --until=2026-04-07 >out &&
	test -s out
'

test_done
