#!/bin/bash
test_description='git habits: version, typos, bad values, ~ in paths, -q, repositories'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

test_expect_success '--version and version print the version the Makefile computed' '
	test -s "$BUILD_DIR/VERSION-FILE" &&
	echo "git-bpfdigest version $(cat "$BUILD_DIR/VERSION-FILE")" >expect &&
	git bpfdigest --version >out 2>err &&
	test_cmp expect out && test ! -s err &&
	git bpfdigest version >out &&
	test_cmp expect out &&
	! grep "version unknown" out
'

test_expect_success 'version needs no repository and ignores a bad configuration' '
	mkdir elsewhere &&
	(cd elsewhere && git -c bpfdigest.format=nope bpfdigest version >../out) &&
	grep "^git-bpfdigest version " out &&
	test_expect_code 129 git bpfdigest version extra 2>err &&
	grep "too many arguments" err
'

test_expect_success 'an unknown command suggests the closest one' '
	for typo in wekly:weekly dialy:daily seires:series lnik:link notse:notes \
		    updtae:update relase:release rel:release; do
		test_expect_code 129 git bpfdigest ${typo%%:*} 2>err &&
		grep "^error: unknown command .${typo%%:*}.; did you mean .${typo#*:}.?$" err ||
		return 1
	done
'

test_expect_success 'a command far from every other gets no suggestion' '
	test_expect_code 129 git bpfdigest frobnicate 2>err &&
	grep "^error: unknown command .frobnicate.$" err
'

test_expect_success 'bad option values are usage errors (129), before and after the command' '
	mkdir -p empty/git && git init -q --bare empty/git/0.git &&
	test_expect_code 129 git bpfdigest --inbox=empty --format=yaml weekly 2>err &&
	grep "^error: option .format. expects" err && grep "^usage: git bpfdigest" err &&
	test_expect_code 129 git bpfdigest --inbox=empty weekly --format=yaml 2>err &&
	grep "^usage: git bpfdigest weekly" err &&
	test_expect_code 129 git bpfdigest --inbox=empty --tz=Mars/Olympus weekly 2>err &&
	test_expect_code 129 git bpfdigest --inbox=empty weekly --tz=Mars/Olympus 2>err &&
	grep "^error: option .tz. expects .*not .Mars/Olympus.$" err &&
	test_expect_code 129 git bpfdigest --inbox=empty --color=sometimes weekly 2>err &&
	test_expect_code 129 git bpfdigest --inbox=empty weekly --color=sometimes 2>err &&
	grep "^error: option .color. expects" err
'

test_expect_success 'outside a repository, link, notes and release say what to do' '
	for c in link notes "release v1..v2"; do
		(cd elsewhere && test_expect_code 128 git bpfdigest --inbox=../empty $c 2>../err) &&
		name=${c%% *} &&
		echo "fatal: '\''$name'\'' needs a git repository (run it inside your kernel checkout)" >expect &&
		test_cmp expect err || return 1
	done
'

test_expect_success 'bpfdigest.inbox expands ~/ and ~user/ as git --type=path does' '
	mkdir -p "$HOME/lore/bpf/git" && git init -q --bare "$HOME/lore/bpf/git/0.git" &&
	inbox_add "$HOME/lore/bpf/git/0.git" 1 &&
	git -c bpfdigest.inbox="~/lore/bpf" bpfdigest update >out 2>err &&
	test ! -s err &&
	grep "^read 1 message: 1 new" out &&
	user=$(id -un) && home=$(getent passwd "$user" | cut -d: -f6) &&
	test_expect_code 128 git -c bpfdigest.inbox="~$user/no-such-inbox" bpfdigest update 2>err &&
	grep "^fatal: cannot open inbox .$home/no-such-inbox.: " err &&
	test_expect_code 128 git -c bpfdigest.inbox="mboxrd:~/no.mbox" bpfdigest update 2>err &&
	grep "^fatal: cannot open inbox .mboxrd:$HOME/no.mbox.: " err &&
	test_expect_code 128 git -c bpfdigest.inbox="~no-such-user-here/x" bpfdigest update 2>err &&
	grep "^error: cannot expand .~no-such-user-here/x.: no user .no-such-user-here.$" err &&
	git config --global bpfdigest.inbox "~/lore/bpf" &&
	git bpfdigest update >out && grep "^read 0 messages: 0 new" out &&
	git config --global --unset bpfdigest.inbox
'

test_expect_success 'the update summary says 1 message, 1 warning, 1 duplicate' '
	mkdir -p one/git && git init -q --bare one/git/0.git &&
	inbox_add one/git/0.git 1 &&
	git bpfdigest --inbox=one update >out &&
	grep "^read 1 message: 1 new, 0 removed, 0 warnings; the index holds 1 message (1 unique, 0 duplicates, 0 unparseable)$" out &&
	inbox_add one/git/0.git 1 &&
	git bpfdigest --inbox=one update >out &&
	grep "^read 1 message: 1 new, 0 removed, 0 warnings; the index holds 2 messages (1 unique, 1 duplicate, 0 unparseable)$" out
'

test_expect_success '-q silences the summary of update, before or after the command' '
	inbox_add one/git/0.git 2 &&
	git bpfdigest -q --inbox=one update >out 2>err &&
	test ! -s out && test ! -s err &&
	inbox_add one/git/0.git 3 &&
	git bpfdigest --inbox=one update -q >out 2>err &&
	test ! -s out && test ! -s err &&
	git bpfdigest --inbox=one update --quiet >out &&
	test ! -s out &&
	git bpfdigest --inbox=one update >out &&
	grep "^read 0 messages: 0 new" out
'

test_done
