#!/bin/bash
test_description='tens of thousands of postings under one title cost linear time'
. "${0%/*}/test-lib.sh"
test_require_command python3

# 30,000 took 18 s (fixes) and 40 s (rerolls) when every earlier posting
# of the title was a candidate; bounded, well under a second.
for shape in fixes rerolls; do
	test_expect_success "30,000 $shape under one title: in bounded time, assembled right" '
		"$TEST_DIRECTORY/same-title-mbox" $shape.mbox 30000 $shape &&
		git bpfdigest -q --inbox=mboxrd:$shape.mbox daily --date=2020-01-02 >/dev/null &&
		timeout 8 git bpfdigest -q --inbox=mboxrd:$shape.mbox --format=json daily --date=2020-01-02 >$shape.json &&
		python3 -c "
import json, sys
d = json.load(open(\"$shape.json\"))
want = 144 if \"$shape\" == \"fixes\" else 1
assert d[\"stats\"][\"patches\"] == 144 and d[\"stats\"][\"series\"] == want, d[\"stats\"]
"
	'
done

test_done
