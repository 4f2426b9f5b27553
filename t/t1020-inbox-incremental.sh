#!/bin/bash
test_description='the incremental index: only new messages are read, changes are noticed'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

export XDG_CACHE_HOME="$TRASH_DIRECTORY/cache"

# "read R messages: N new, D removed, W warnings; the index holds T messages (U unique, ...)"
counts() {
	git bpfdigest "$@" update >update.out 2>update.err &&
	sed -n 's/^read \([0-9]*\) messages: \([0-9]*\) new, \([0-9]*\) removed, \([0-9]*\) warnings; the index holds \([0-9]*\) messages (\([0-9]*\) unique.*/\1 \2 \3 \4 \5 \6/p' update.out
}

test_expect_success 'a first run reads everything' '
	mkdir -p inbox/git &&
	git init -q --bare inbox/git/0.git &&
	inbox_add inbox/git/0.git 1 2 3 4 5 &&
	echo "5 5 0 0 5 5" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual &&
	ls cache/git-bpfdigest/inbox-*.idx >index &&
	test $(wc -l <index) = 1
'

test_expect_success 'nothing new: nothing read, the index is not rewritten' '
	index=$(cat index) &&
	touch -d "2000-01-01" "$index" &&
	echo "0 0 0 0 5 5" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual &&
	test "$(find "$index" -newermt 2000-01-02)" = ""
'

test_expect_success 'messages added to an epoch: only they are read' '
	inbox_add inbox/git/0.git 6 7 &&
	echo "2 2 0 0 7 7" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual
'

test_expect_success 'a new epoch: only it is read' '
	git init -q --bare inbox/git/1.git &&
	inbox_add inbox/git/1.git 8 &&
	echo "1 1 0 0 8 8" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual
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
	echo "7 0 0 0 8 8" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual &&
	grep "^warning: inbox .inbox.: epoch .git/0.git.: its history was rewritten; reading it again$" update.err
'

test_expect_success 'a message purged from history: read again, it is gone' '
	(
		GIT_DIR=inbox/git/0.git &&
		export GIT_DIR &&
		git update-ref HEAD HEAD~2 &&
		inbox_add "$GIT_DIR" 9
	) &&
	echo "6 1 2 0 7 7" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual
'

test_expect_success 'a damaged index: a warning, then rebuilt' '
	index=$(cat index) &&
	printf "BPFDIGEST INDEX\ntruncated" >"$index" &&
	echo "7 7 0 0 7 7" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual &&
	grep "^warning: the index .* of inbox .inbox. is unusable (truncated); rebuilding it$" update.err &&
	echo "0 0 0 0 7 7" >expect &&
	counts --inbox=inbox >actual &&
	test_cmp expect actual
'

test_expect_success 'an index of another version is rebuilt' '
	index=$(cat index) &&
	printf "\077" | dd of="$index" bs=1 seek=16 conv=notrunc 2>/dev/null &&
	counts --inbox=inbox >actual &&
	grep "is unusable (version 63, not [0-9]*); rebuilding it$" update.err &&
	echo "7 7 0 0 7 7" >expect &&
	test_cmp expect actual
'

test_expect_success 'an mbox: appended mail is read alone, a rewrite reads all' '
	for n in 1 2 3; do
		echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && inbox_message $n && echo || return 1
	done >list.mbox &&
	echo "3 3 0 0 3 3" >expect &&
	counts --inbox=mboxrd:list.mbox >actual &&
	test_cmp expect actual &&
	{ echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && inbox_message 4 && echo; } >>list.mbox &&
	echo "1 1 0 0 4 4" >expect &&
	counts --inbox=mboxrd:list.mbox >actual &&
	test_cmp expect actual &&
	sed -i "s/^Subject: message 2$/Subject: message two/" list.mbox &&
	echo "4 0 0 0 4 4" >expect &&
	counts --inbox=mboxrd:list.mbox >actual &&
	test_cmp expect actual &&
	grep "^warning: inbox .mboxrd:list.mbox.: epoch .\..: it changed; reading it again$" update.err
'

test_expect_success 'a maildir: new files read, moved ones kept, deleted ones removed' '
	mkdir -p md/cur md/new md/tmp &&
	inbox_message 1 >md/new/1.host &&
	inbox_message 2 >md/new/2.host &&
	echo "2 2 0 0 2 2" >expect &&
	counts --inbox=maildir:md >actual &&
	test_cmp expect actual &&
	mv md/new/1.host md/cur/1.host:2,S &&
	rm md/new/2.host &&
	inbox_message 3 >md/new/3.host &&
	echo "1 1 1 0 2 2" >expect &&
	counts --inbox=maildir:md >actual &&
	test_cmp expect actual &&
	git bpfdigest --inbox=maildir:md digest --since=2026-04-06 --until=2026-04-07 >out &&
	test -s out
'

test_done
