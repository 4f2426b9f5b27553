#!/bin/bash
test_description='tens of thousands of postings under one title cost linear time'
. "${0%/*}/test-lib.sh"
test_require_command python3

# make_mbox FILE N SHAPE: N postings of one author, 10 minutes apart:
# "fixes" are one-patch fixes with one subject to N files (N pieces of
# work), "rerolls" v1, v2, ... of one patch.
make_mbox() {
	python3 - "$@" <<-\EOF
	import sys, time
	out, n, shape = open(sys.argv[1], "w"), int(sys.argv[2]), sys.argv[3]
	for i in range(n):
	    when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(1577836800 + 600 * i))
	    if shape == "fixes":
	        subject, path = "[PATCH] selftests/bpf: Fix a resource leak", "tools/testing/selftests/bpf/t%d.c" % i
	    else:
	        subject, path = "[PATCH bpf-next v%d] bpf: Widget maps" % (i + 1), "kernel/bpf/widget.c"
	    out.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	              "From: Jane Developer <jane@example.org>\nTo: bpf@vger.kernel.org\n"
	              "Subject: %s\nDate: %s\nMessage-ID: <%s-%d@example.org>\n\n"
	              "Close the file before returning.\n\nSigned-off-by: Jane Developer <jane@example.org>\n"
	              "---\n %s | 1 +\n\ndiff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1,2 @@\n x\n+y\n\n"
	              % (subject, when, shape, i, path, path, path, path, path))
	EOF
}

# 30,000 took 18 s (fixes) and 40 s (rerolls) when every earlier posting
# of the title was a candidate; bounded, well under a second.
for shape in fixes rerolls; do
	test_expect_success "30,000 $shape under one title: in bounded time, assembled right" '
		make_mbox $shape.mbox 30000 $shape &&
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
