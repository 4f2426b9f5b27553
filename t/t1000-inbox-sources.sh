#!/bin/bash
test_description='every kind of --inbox, read by "git bpfdigest update"'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

test_expect_success 'a v2 inbox: epochs in numeric order, a placeholder, HEAD on any branch' '
	mkdir -p v2/git &&
	for n in 0 1 2 10; do git init -q --bare v2/git/$n.git || return 1; done &&
	git --git-dir=v2/git/10.git symbolic-ref HEAD refs/heads/main &&
	inbox_add v2/git/0.git 1 2 &&
	inbox_add v2/git/1.git 3 &&
	inbox_add v2/git/10.git 4 &&
	git bpfdigest --inbox=v2 update >out 2>err &&
	echo "warning: inbox '"'v2'"': epochs '"'git/3.git'"' to '"'git/9.git'"' are missing" >expect &&
	test_cmp expect err &&
	expect_counts "4 4 0 0 4 4 0 0" out
'

test_expect_success 'the index lives in $XDG_CACHE_HOME outside a repository' '
	ls "$HOME"/.cache/git-bpfdigest/inbox-*.idx &&
	XDG_CACHE_HOME="$PWD/xdg-cache" git bpfdigest --inbox=v2 update >out &&
	ls xdg-cache/git-bpfdigest/inbox-*.idx &&
	grep "^read 4 messages" out
'

test_expect_success 'and in $GIT_DIR/bpfdigest inside one' '
	git init -q kernel &&
	(cd kernel && git bpfdigest --inbox=../v2 update >../out) &&
	ls kernel/.git/bpfdigest/inbox-*.idx &&
	grep "^read 4 messages" out
'

test_expect_success 'one epoch given directly' '
	git bpfdigest --inbox=v2/git/0.git update >out &&
	expect_counts "2 2 0 0 2 2 0 0" out
'

test_expect_success 'epochs fetched as refs into the current repository' '
	(
		cd kernel &&
		git fetch -q ../v2/git/0.git "+refs/heads/*:refs/lore/bpf/0/*" &&
		git fetch -q ../v2/git/1.git "+refs/heads/*:refs/lore/bpf/1/*" &&
		git bpfdigest --inbox="refs/lore/bpf/*" update >../out
	) &&
	expect_counts "3 3 0 0 3 3 0 0" out &&
	git -C kernel config bpfdigest.inbox "refs/lore/bpf/*" &&
	git -C kernel bpfdigest update >out &&
	grep "^read 0 messages" out
'

test_expect_success 'a ref glob needs a repository and a matching ref' '
	test_expect_code 128 git bpfdigest --inbox="refs/lore/bpf/*" update 2>err &&
	grep "^fatal: cannot open inbox .refs/lore/bpf/\*.: not in a git repository$" err &&
	test_expect_code 128 git -C kernel bpfdigest --inbox="refs/lore/netdev/*" update 2>err &&
	grep "^fatal: cannot open inbox .refs/lore/netdev/\*.: no ref matches$" err
'

test_require_public_inbox

test_expect_success 'an inbox written by public-inbox itself, v2 and v1' '
	for n in 5 6 7; do
		echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && inbox_message $n && echo || return 1
	done >three.mbox &&
	pi_import "$PWD/pi2" basic 2 <three.mbox &&
	pi_import "$PWD/pi1" basic 1 <three.mbox &&
	git bpfdigest --inbox=pi2 update >out2 &&
	git bpfdigest --inbox=pi1 update >out1 &&
	expect_counts "3 3 0 0 3 3 0 0" out2 out1
'

test_expect_success 'a message removed by public-inbox leaves the archive' '
	inbox_message 6 | pi_remove "$PWD/pi2" 2 2>/dev/null &&
	inbox_message 6 | pi_remove "$PWD/pi1" 1 2>/dev/null &&
	git bpfdigest --inbox=pi2 update >out2 &&
	git bpfdigest --inbox=pi1 update >out1 &&
	expect_counts "0 0 1 0 2 2 0 0" out2 out1
'

test_expect_success 'mboxrd:, maildir: and a bare .eml' '
	git bpfdigest --inbox=mboxrd:three.mbox update >out &&
	expect_counts "3 3 0 0 3 3 0 0" out &&
	mkdir -p md/cur md/new md/tmp &&
	inbox_message 8 >md/new/1.host &&
	inbox_message 9 >md/cur/2.host:2,S &&
	git bpfdigest --inbox=maildir:md update >out &&
	expect_counts "2 2 0 0 2 2 0 0" out &&
	inbox_message 10 >one.eml &&
	git bpfdigest --inbox=one.eml update >out &&
	expect_counts "1 1 0 0 1 1 0 0" out
'

test_expect_success 'names from $PI_CONFIG and from lei externals' '
	git config -f pi-config publicinbox.bpf.inboxdir "$PWD/pi2" &&
	PI_CONFIG="$PWD/pi-config" git bpfdigest --inbox=bpf update >out &&
	grep "the index holds 2 messages" out &&
	mkdir -p xdg/lei &&
	git config -f xdg/lei/config "external.$PWD/v2.boost" 0 &&
	XDG_CONFIG_HOME="$PWD/xdg" git bpfdigest --inbox=v2 update >out &&
	grep "the index holds 4 messages" out &&
	test_expect_code 128 git bpfdigest --inbox=no-such-name update 2>err &&
	grep "^fatal: cannot open inbox .no-such-name.: No such file or directory$" err
'

test_expect_success 'what is not an inbox is fatal and named' '
	mkdir plain &&
	test_expect_code 128 git bpfdigest --inbox=plain update 2>err &&
	grep "^fatal: cannot open inbox .plain.: not a public-inbox directory or git repository$" err &&
	test_expect_code 128 git bpfdigest --inbox=maildir:plain update 2>err &&
	grep "^fatal: cannot open inbox .maildir:plain.: not a maildir" err &&
	test_expect_code 128 git bpfdigest --inbox=mboxrd:missing.mbox update 2>err &&
	grep "^fatal: cannot open inbox .mboxrd:missing.mbox.: No such file or directory$" err
'

test_expect_success 'a broken message: one warning naming it, a summary, exit 0' '
	git init -q --bare bad.git &&
	inbox_add bad.git 1 &&
	printf "no header here, just text\n" | inbox_commit bad.git m &&
	bad=$(git --git-dir=bad.git rev-parse HEAD) &&
	inbox_add bad.git 2 &&
	git bpfdigest --inbox=bad.git update >out 2>err &&
	cat >expect <<-EOF &&
	warning: $PWD/bad.git:$bad: no header block
	warning: 1 of 3 messages read could not be parsed and were skipped
	EOF
	test_cmp expect err &&
	expect_counts "3 2 0 1 3 2 0 1" out &&
	git bpfdigest --inbox=bad.git update >out 2>err &&
	test ! -s err &&
	grep "(2 unique, 0 duplicates, 1 unparseable)" out &&
	git bpfdigest -q --inbox=bad.git/ daily --date=2026-04-06 >out 2>err &&
	test ! -s err
'

test_done
