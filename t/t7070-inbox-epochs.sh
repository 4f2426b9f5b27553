#!/bin/bash
test_description='epochs rewound, missing or gone: counted right, and said'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"

update() {
	git bpfdigest "$@" update >update.out 2>update.err
}

# An epoch of 50 messages in which the archive holds two of them twice
# (public-inbox keeps a message posted again with the same Message-ID).
test_expect_success 'an epoch with duplicates' '
	git init -q --bare inbox/git/0.git &&
	inbox_add inbox/git/0.git $(seq 50) 7 8 51 &&
	update --inbox=inbox &&
	expect_counts "53 53 0 0 53 51 2 0" update.out
'

test_expect_success 'the epoch rewound by one commit: 0 new, 1 removed' '
	git --git-dir=inbox/git/0.git update-ref HEAD HEAD~1 &&
	update --inbox=inbox &&
	grep "its history was rewritten; reading it again" update.err &&
	expect_counts "52 0 1 0 52 50 2 0" update.out
'

test_expect_success 'and rewound past a duplicate: its copy leaves, nothing is new' '
	git --git-dir=inbox/git/0.git update-ref HEAD HEAD~1 &&
	update --inbox=inbox &&
	expect_counts "51 0 1 0 51 50 1 0" update.out
'

test_expect_success 'an epoch missing between two: a warning naming it' '
	git init -q --bare inbox/git/1.git &&
	inbox_add inbox/git/1.git 60 &&
	git init -q --bare inbox/git/3.git &&
	inbox_add inbox/git/3.git 61 &&
	update --inbox=inbox &&
	grep "^warning: inbox .inbox.: epoch .git/2.git. is missing$" update.err &&
	git init -q --bare inbox/git/7.git &&
	inbox_add inbox/git/7.git 62 &&
	update --inbox=inbox &&
	grep "^warning: inbox .inbox.: epochs .git/4.git. to .git/6.git. are missing$" update.err &&
	expect_counts "1 1 0 0 54 53 1 0" update.out
'

test_expect_success 'an epoch gone since the last run: a warning naming it' '
	rm -rf inbox/git/3.git &&
	update --inbox=inbox &&
	grep "^warning: inbox .inbox.: epoch .git/3.git. is gone since the last run; its messages leave the index$" update.err &&
	expect_counts "0 0 1 0 53 52 1 0" update.out &&
	update --inbox=inbox &&
	test_must_fail grep "gone since" update.err
'

test_done
