#!/bin/bash
test_description='progress on stderr, by git'"'"'s rules'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

# Show progress at once, not after git's two seconds.
export GIT_PROGRESS_DELAY=0

fresh() {
	rm -rf "$HOME/.cache/git-bpfdigest"
}

test_expect_success 'an inbox of a few messages' '
	mkdir -p inbox/git &&
	git init -q --bare inbox/git/0.git &&
	inbox_add inbox/git/0.git 1 2 3 4 5
'

test_expect_success '--progress forces it, on stderr only' '
	fresh &&
	git bpfdigest --progress --inbox=inbox update >out 2>err &&
	grep "Reading messages: 100% (5/5), done\.$" err &&
	test $(wc -l <out) = 1 &&
	! grep Reading out
'

test_expect_success 'not a terminal: no progress by default' '
	fresh &&
	git bpfdigest --inbox=inbox update >out 2>err &&
	test ! -s err
'

test_expect_success '--no-progress and -q turn it off' '
	fresh &&
	git bpfdigest --no-progress --inbox=inbox update >out 2>err &&
	test ! -s err &&
	fresh &&
	git bpfdigest -q --progress --inbox=inbox update >out 2>err &&
	test ! -s err
'

test_expect_success 'quick work stays silent with git'"'"'s default delay' '
	fresh &&
	GIT_PROGRESS_DELAY= git bpfdigest --progress --inbox=inbox update >out 2>err &&
	test ! -s err
'

if ! command -v script >/dev/null || ! script -qec true /dev/null >/dev/null 2>&1; then
	test_skip 'a terminal shows it by default' 'no script(1) or no pseudo-terminal'
	test_skip '--no-progress wins on a terminal' 'no script(1) or no pseudo-terminal'
else
	test_expect_success 'a terminal shows it by default' '
		fresh &&
		script -qec "git bpfdigest --inbox=inbox update" /dev/null >tty &&
		grep "Reading messages: 100% (5/5), done\." tty
	'

	test_expect_success '--no-progress wins on a terminal' '
		fresh &&
		script -qec "git bpfdigest --no-progress --inbox=inbox update" /dev/null >tty &&
		grep "^read 5 messages" tty &&
		! grep Reading tty
	'
fi

test_done
