#!/bin/bash
test_description='every real mail accounted for; third-party test mboxes read without a crash'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_corpus

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git --git-dir=inbox/git/0.git rev-list --count HEAD >count &&
	echo 15186 >expect &&
	test_cmp expect count
'

test_expect_success 'all 15,186 mails: parsed + unparseable + repeated ids = total' '
	git bpfdigest --inbox=inbox update >out 2>err &&
	update_counts out >n &&
	read read new removed warned total unique dups broken <n &&
	test $read = 15186 && test $new = 15186 && test $removed = 0 && test $total = 15186 &&
	test $((unique + dups + broken)) = 15186 &&
	test $warned = $broken &&
	# the corpus README: 15,134 distinct Message-IDs
	test $unique = 15134 &&
	# one warning line per unparseable mail, and the summary when there are any
	test $(grep -c "^warning: .*/git/0.git:[0-9a-f]\{40\}: " err) = $broken
'

test_expect_success 'the second run reads nothing and says the same' '
	git bpfdigest --inbox=inbox update >again 2>err &&
	test ! -s err &&
	grep "^read 0 messages: 0 new, 0 removed, 0 warnings; the index holds 15186 messages (15134 unique" again
'

test_expect_success 'every patchwork and b4 test mbox, as mboxrd: no crash, exit 0' '
	bad= &&
	for f in "$CORPUS"/patchwork/mail/* "$CORPUS"/patchwork/series/* \
		 "$CORPUS"/patchwork/fuzz/* "$CORPUS"/b4/*.mbox; do
		case "$f" in *.md) continue ;; esac
		git bpfdigest --inbox="mboxrd:$f" update >out 2>err &&
		grep "^read [0-9]* messages\?: " out >/dev/null || {
			echo "failed: $f"; cat err; bad=1
		}
	done &&
	test -z "$bad"
'

test_done
