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

# unchanged_since against git itself: every patch of every revision, as
# "series --format=mbox --revision=N" writes it, through git mailinfo and
# git patch-id --stable, compared with the patch at its position in the
# revision before.
test_expect_success 'unchanged_since agrees with git patch-id --stable on every revision' '
	max=$(python3 -c "import json; print(max(r[\"version\"] for s in json.load(open(\"all.json\"))[\"series\"] for r in s[\"revisions\"]))") &&
	test $max -ge 20 &&
	for n in $(seq 1 $max); do
		git-bpfdigest --inbox=inbox series --all --format=mbox --revision=$n >v$n.mbox 2>/dev/null
		test -s v$n.mbox || return 1
	done &&
	python3 "$TEST_DIRECTORY/unchanged_check.py" all.json mailinfo v*.mbox >out &&
	cat out &&
	grep "^patches compared with their previous revision: 1[0-9][0-9][0-9] unchanged (.*), 1[0-9][0-9][0-9] changed, 0 disagree$" out
'

test_done
