#!/bin/bash
test_description='review states on the real bpf archive, against the raw mails'
. "${0%/*}/test-lib.sh"
test_require_corpus

test_expect_success 'build the inbox and assemble every series' '
	test_corpus_inbox inbox &&
	git-bpfdigest --inbox=inbox --format=json series --all >all.json
'

# Every human reply with a "pw-bot: cr" line or a Nacked-by: trailer to a
# latest revision gives it that state (or a stronger one).
test_expect_success 'pw-bot: cr and Nacked-by replies set the state of latest revisions' '
	python3 "$TEST_DIRECTORY/states_check.py" inbox >out &&
	cat out &&
	grep "^replies to latest revisions: 3[0-9] pw-bot: cr, [1-9] Nacked-by$" out
'

test_expect_success 'every revision and patch has a state; decided ones have evidence' '
	python3 -c "
import json
for s in json.load(open(\"all.json\"))[\"series\"]:
    for r in s[\"revisions\"]:
        for x in [r] + r[\"patches\"]:
            assert x[\"state\"], x
            if x[\"state\"] not in (\"posted\",):
                assert x[\"state_evidence\"], (s[\"title\"], x[\"state\"])
"
'

test_done
