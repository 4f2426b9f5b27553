#!/bin/bash
test_description='the same mails from public-inbox, lei mboxrd and lei maildir: the same messages'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_corpus
test_require_public_inbox
test_require_command lei

# "test-archive --dump" prints Message-ID, Date and Subject of every message read.
test -x "$BUILD_DIR/tests/test-archive" || skip_all "tests/test-archive is not built (make unit-tests)"
dump() {
	"$BUILD_DIR/tests/test-archive" --dump "$@"
}

# lei keeps its configuration, data and daemon under these.
export XDG_CONFIG_HOME="$TRASH_DIRECTORY/xdg/config" XDG_DATA_HOME="$TRASH_DIRECTORY/xdg/data"
export XDG_RUNTIME_DIR="$TRASH_DIRECTORY/xdg/run" XDG_CACHE_HOME="$TRASH_DIRECTORY/xdg/cache"
export PI_CONFIG="$TRASH_DIRECTORY/pi-config"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

test_expect_success 'public-inbox imports every regenerated series mail' '
	pi_import "$PWD/all" basic <"$CORPUS/regen/series.mbox" &&
	git bpfdigest --inbox=all update >out &&
	grep "^read 2242 messages: 2242 new, 0 removed, 0 warnings" out
'

test_expect_success 'the inbox and the mbox it came from hold the same messages' '
	dump "$PWD/all" | sort >from-inbox &&
	dump "mboxrd:$CORPUS/regen/series.mbox" | sort >from-mbox &&
	test $(wc -l <from-inbox) = 2242 &&
	test_cmp from-mbox from-inbox
'

# lei searches need a Xapian index ("medium"): a slice keeps this quick.
test_expect_success 'a searchable inbox of 300 mails, and lei pointed at it' '
	awk "/^From mboxrd@z/ { n++ } n <= 300" "$CORPUS/regen/series.mbox" >slice.mbox &&
	pi_import "$PWD/slice" medium <slice.mbox &&
	lei add-external "$PWD/slice" 2>/dev/null
'

test_expect_success 'lei q -o mboxrd: and -o maildir: write them out' '
	lei q -q -o "mboxrd:$PWD/lei.mbox" "d:19700101.." &&
	lei q -q -o "maildir:$PWD/lei-maildir" "d:19700101.." &&
	lei daemon-kill &&
	test $(grep -c "^From " lei.mbox) = 300 &&
	test $(find lei-maildir/cur lei-maildir/new -type f | wc -l) = 300
'

test_expect_success 'v2 inbox, mboxrd and maildir: identical ids, subjects and dates' '
	dump "$PWD/slice" | sort >v2 &&
	dump "mboxrd:$PWD/lei.mbox" | sort >mboxrd &&
	dump "maildir:$PWD/lei-maildir" | sort >maildir &&
	dump "mboxrd:$PWD/slice.mbox" | sort >source &&
	test $(wc -l <v2) = 300 &&
	test_cmp source v2 &&
	test_cmp v2 mboxrd &&
	test_cmp v2 maildir
'

test_expect_success 'git bpfdigest update counts them the same way' '
	git bpfdigest --inbox=slice update >a &&
	git bpfdigest --inbox="mboxrd:lei.mbox" update >b &&
	git bpfdigest --inbox="maildir:lei-maildir" update >c &&
	grep "^read 300 messages: 300 new, 0 removed, 0 warnings" a &&
	sed "s/.*;//" a >expect &&
	sed "s/.*;//" b >actual && test_cmp expect actual &&
	sed "s/.*;//" c >actual && test_cmp expect actual
'

test_expect_success 'lei is stopped' '
	lei daemon-kill 2>/dev/null || :
'

test_done
