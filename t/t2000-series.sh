#!/bin/bash
test_description='series: one series or all, text and JSON, on mail written by git format-patch'
. "${0%/*}/test-lib.sh"

# The demo archive: git format-patch series (a v1 and a v2 that links to
# it, a single patch with a review, a series with a patchwork-bot notice,
# an RFC), in a public-inbox v2 inbox, configured in the kernel tree.
test_expect_success 'build the demo archive' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	test -d demo/inbox/git/0.git
'

v1_patch=20260406100000.widgets-2@example.org
v2_cover=20260409100000.widgets-0@example.org
review=CAreview.widgets@example.org

test_expect_success 'any message of any revision shows the same series' '
	cd demo/kernel &&
	git-bpfdigest series "$v1_patch" >../../by-patch &&
	git-bpfdigest series "<$v2_cover>" >../../by-cover &&
	git-bpfdigest series "$review" >../../by-reply &&
	cd ../.. &&
	test_cmp by-patch by-cover &&
	test_cmp by-patch by-reply
'

test_expect_success 'lore and patch.msgid.link URLs name a message too' '
	git-bpfdigest --inbox=demo/inbox series --no-summaries \
		"https://lore.kernel.org/bpf/$v2_cover/" >url1 &&
	git-bpfdigest --inbox=demo/inbox series --no-summaries \
		"https://patch.msgid.link/$v1_patch" >url2 &&
	git-bpfdigest --inbox=demo/inbox series --no-summaries "$v1_patch" >plain &&
	test_cmp plain url1 &&
	test_cmp plain url2
'

test_expect_success 'the text shows revisions, statuses, replies and reviews' '
	git-bpfdigest --inbox=demo/inbox series --no-summaries "$v1_patch" >out &&
	cat >expect <<-\EOF &&
	bpf: Widget maps
	  by Jane Developer <jane@example.org>, tree bpf-next, 2 revisions

	  v1 2026-04-06, 3 patches, superseded, 1 participant
	    https://lore.kernel.org/all/20260406100000.widgets-0@example.org/
	    0/3 bpf: Widget maps
	        <20260406100000.widgets-0@example.org>, no replies
	    1/3 bpf: Add BPF_MAP_TYPE_WIDGET to the uapi
	        <20260406100000.widgets-1@example.org>, superseded, no replies
	    2/3 bpf: Implement widget maps
	        <20260406100000.widgets-2@example.org>, superseded, 1 reply
	    3/3 selftests/bpf: Add widget map tests
	        <20260406100000.widgets-3@example.org>, superseded, no replies

	  v2 2026-04-09, 3 patches, posted
	    https://lore.kernel.org/all/20260409100000.widgets-0@example.org/
	    0/3 bpf: Widget maps
	        <20260409100000.widgets-0@example.org>, no replies
	    1/3 bpf: Add BPF_MAP_TYPE_WIDGET to the uapi
	        <20260409100000.widgets-1@example.org>, no replies
	    2/3 bpf: Implement widget maps
	        <20260409100000.widgets-2@example.org>, no replies
	    3/3 selftests/bpf: Add widget map tests
	        <20260409100000.widgets-3@example.org>, no replies
	EOF
	test_cmp expect out
'

test_expect_success 'links follow b4.midmask' '
	git -C demo/kernel config b4.midmask "https://patch.msgid.link/%s" &&
	(cd demo/kernel && git-bpfdigest series --no-summaries "$v1_patch") >out &&
	git -C demo/kernel config --unset b4.midmask &&
	grep "^    https://patch.msgid.link/20260409100000.widgets-0@example.org$" out
'

test_expect_success 'a review in a reply is shown on its patch; a bot reply is no person' '
	git-bpfdigest --inbox=demo/inbox series 20260407143000.btf-1@example.org >out &&
	grep "^        Acked-by: Andrii Reviewer <andrii@example.org>$" out &&
	grep "^  v1 2026-04-07, 1 patch, posted, 1 participant$" out &&
	git-bpfdigest --inbox=demo/inbox series 20260408083000.flaky-1@example.org >out &&
	grep "<20260408083000.flaky-0@example.org>, 1 reply (0 from people)$" out
'

test_expect_success 'with <msgid>, each patch is summarised; --no-summaries leaves that out' '
	git-bpfdigest --inbox=demo/inbox series 20260407143000.btf-1@example.org >out &&
	grep "^        [A-Z][a-z]* .*\. btf_dump() allocates its buffer before checking its argument" out &&
	git-bpfdigest --inbox=demo/inbox series --no-summaries 20260407143000.btf-1@example.org >out &&
	! grep "allocates its buffer" out
'

test_expect_success 'one series asked for twice is printed once' '
	git-bpfdigest --inbox=demo/inbox series --no-summaries "$v1_patch" "$v2_cover" >twice &&
	test_cmp plain twice
'

test_expect_success '--all lists every series by first posting' '
	git-bpfdigest --inbox=demo/inbox series --all >all &&
	grep -v "^ " all | grep . >titles &&
	cat >expect <<-\EOF &&
	bpf: Widget maps
	libbpf: Fix memory leak in btf_dump()
	selftests/bpf: Faster and broader map tests
	bpf: Allow sleepable widget programs
	EOF
	test_cmp expect titles &&
	! grep "allocates its buffer" all
'

test_expect_success '--since and --until keep the series posted in the range' '
	git-bpfdigest --inbox=demo/inbox series --all --since=2026-04-07 --until=2026-04-09 >range &&
	grep -v "^ " range | grep . >titles &&
	cat >expect <<-\EOF &&
	libbpf: Fix memory leak in btf_dump()
	selftests/bpf: Faster and broader map tests
	EOF
	test_cmp expect titles &&
	git-bpfdigest --inbox=demo/inbox series --all --since=2026-04-09 --until=2026-04-10 >range &&
	grep -c "^[^ ]" range >count &&
	echo 1 >expect &&
	test_cmp expect count
'

test_expect_success 'an unknown message is an error naming it; the others still print' '
	test_expect_code 1 git-bpfdigest --inbox=demo/inbox series --no-summaries \
		nosuch@example.org "$v1_patch" >out 2>err &&
	grep "^error: no series contains message .nosuch@example.org.$" err &&
	test_cmp plain out
'

json_check() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])
' "$@"
}

test_expect_success 'JSON is valid and has the DESIGN.md shape' '
	git-bpfdigest --inbox=demo/inbox --format=json series "$v1_patch" >out.json &&
	python3 -m json.tool out.json >/dev/null &&
	json_check out.json "
assert d[\"version\"] == 1 and len(d[\"series\"]) == 1
s = d[\"series\"][0]
assert s[\"title\"] == \"bpf: Widget maps\" and s[\"tree\"] == \"bpf-next\"
assert s[\"author\"] == {\"name\": \"Jane Developer\", \"email\": \"jane@example.org\"}
v1, v2 = s[\"revisions\"]
assert (v1[\"version\"], v2[\"version\"]) == (1, 2)
assert v1[\"superseded\"] and not v2[\"superseded\"] and v2[\"status\"] == \"posted\"
assert v1[\"dt\"] == \"2026-04-06T10:00:00Z\" and v1[\"total\"] == 3
assert v1[\"rfc\"] is False and v1[\"resend\"] is False
assert v2[\"cover\"][\"m\"] == \"20260409100000.widgets-0@example.org\"
assert v2[\"cover\"][\"replies\"] == 0
assert v2[\"summary\"].startswith(\"This series adds widget maps\")
p = v1[\"patches\"][1]
assert p[\"m\"] == \"$v1_patch\" and p[\"position\"] == 2 and p[\"replies\"] == 1
assert p[\"s\"] == \"[PATCH bpf-next 2/3] bpf: Implement widget maps\"
assert p[\"f\"] == \"Jane Developer <jane@example.org>\"
assert p[\"dt\"] == \"2026-04-06T10:00:02Z\" and p[\"rt\"] == \"2026-04-06T10:02:30Z\"
assert p[\"status\"] == \"superseded\"
assert p[\"superseded_by\"] == \"20260409100000.widgets-2@example.org\"
assert p[\"summary\"].startswith(\"Implements widget maps. Widget maps hold a fixed number of counters\")
assert p[\"reviews\"] == []
assert p[\"url\"] == \"https://lore.kernel.org/all/$v1_patch/\"
for r in s[\"revisions\"]:
    for k in (\"version\", \"dt\", \"total\", \"rfc\", \"resend\", \"superseded\", \"cover\", \"summary\", \"patches\"):
        assert k in r, k
    for q in r[\"patches\"]:
        for k in (\"m\", \"s\", \"f\", \"dt\", \"rt\", \"position\", \"replies\", \"summary\", \"reviews\"):
            assert k in q, k
"
'

test_expect_success 'JSON reviews carry the trailer, the person and the reply' '
	git-bpfdigest --inbox=demo/inbox --format=json series 20260407143000.btf-1@example.org >out.json &&
	json_check out.json "
r = d[\"series\"][0][\"revisions\"][0]
assert r[\"cover\"] is None
assert r[\"patches\"][0][\"reviews\"] == [{\"trailer\": \"Acked-by\", \"name\": \"Andrii Reviewer\",
    \"email\": \"andrii@example.org\", \"m\": \"CAreview.btf@example.org\"}]
"
'

test_expect_success 'JSON --all of every series is one valid document' '
	git-bpfdigest --inbox=demo/inbox --format=json series --all >all.json &&
	json_check all.json "assert len(d[\"series\"]) == 4"
'

test_expect_success 'markdown has a heading per series and revision' '
	git-bpfdigest --inbox=demo/inbox --format=markdown series --no-summaries "$v1_patch" >out.md &&
	grep "^## bpf: Widget maps$" out.md &&
	grep "^### v2 2026-04-09, 3 patches, posted$" out.md &&
	grep "^<https://lore.kernel.org/all/20260409100000.widgets-0@example.org/>$" out.md &&
	grep "^- \*\*2/3\*\* bpf: Implement widget maps$" out.md
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 git-bpfdigest --inbox=demo/inbox series 2>err &&
	grep "series needs <msgid>... or --all" err &&
	test_expect_code 129 git-bpfdigest --inbox=demo/inbox series --all "$v1_patch" 2>err &&
	grep "cannot be used together" err &&
	test_expect_code 129 git-bpfdigest --inbox=demo/inbox series --since=2026-04-01 "$v1_patch" 2>err &&
	test_expect_code 129 git-bpfdigest --inbox=demo/inbox series --all --since=2026-04-01 2>err &&
	grep "go together" err &&
	test_expect_code 129 git-bpfdigest --inbox=demo/inbox series --all --since=2026-02-30 \
		--until=2026-03-01 2>err &&
	test_expect_code 129 git-bpfdigest series -h >out &&
	grep "^usage: git bpfdigest series" out
'

test_expect_success 'mbox: the patches of the latest revision of every series' '
	git-bpfdigest --inbox=demo/inbox --format=mbox series --all >all.mbox &&
	grep "^Subject: " all.mbox | sort >subjects &&
	cat >expect <<-\EOF &&
	Subject: [PATCH bpf-next 1/2] selftests/bpf: Shorten the wait in test_maps
	Subject: [PATCH bpf-next 2/2] selftests/bpf: Add a parallel map update test
	Subject: [PATCH bpf-next v2 1/3] bpf: Add BPF_MAP_TYPE_WIDGET to the uapi
	Subject: [PATCH bpf-next v2 2/3] bpf: Implement widget maps
	Subject: [PATCH bpf-next v2 3/3] selftests/bpf: Add widget map tests
	Subject: [PATCH bpf-next] bpf: Allow sleepable widget programs
	Subject: [PATCH bpf-next] libbpf: Fix memory leak in btf_dump()
	EOF
	test_cmp expect subjects &&
	test $(grep -c "^From mboxrd@z " all.mbox) = 7
'

test_expect_success 'inside the tree, applied patches show the commit and method' '
	pw=$(git -C demo/kernel log -1 --format=%H --grep="Shorten the wait") &&
	(cd demo/kernel && git-bpfdigest series --no-summaries 20260408083000.flaky-0@example.org) >out &&
	grep "^  v1 2026-04-08, 2 patches, applied$" out &&
	grep -F "<20260408083000.flaky-1@example.org>, applied to bpf-next as $(echo $pw | cut -c1-12) (pw-bot), in this tree," out &&
	(cd demo/kernel && git-bpfdigest --format=json series 20260407143000.btf-1@example.org) >out.json &&
	ln=$(git -C demo/kernel log -1 --format=%H --grep="btf_dump") &&
	python3 - out.json "$ln" <<-\EOF
	import json, sys
	rev = json.load(open(sys.argv[1]))["series"][0]["revisions"][0]
	assert rev["status"] == "applied", rev["status"]
	p = rev["patches"][0]
	assert p["status"] == "applied" and p["applied"] == [{"commit": sys.argv[2], "method": "link", "tree": None, "source": "local"}], p
	EOF
'

test_expect_success 'outside the tree the applied list is empty' '
	git-bpfdigest --inbox="$PWD/demo/inbox" --format=json series 20260407143000.btf-1@example.org >out.json &&
	python3 -c "import json,sys; p = json.load(open(sys.argv[1]))[\"series\"][0][\"revisions\"][0][\"patches\"][0]; assert p[\"applied\"] == [] and p[\"status\"] == \"posted\", p" out.json
'

test_done
