#!/bin/bash
test_description='series on the real bpf archive: the tricky cases, assembled right'
. "${0%/*}/test-lib.sh"
test_require_corpus

# One inbox and one JSON document of every series for the whole script;
# each test then looks at the series that holds one real message.
test_expect_success 'build the inbox and assemble every series' '
	test_corpus_inbox inbox &&
	git-bpfdigest --inbox=inbox --format=json series --all >all.json &&
	python3 -m json.tool all.json >/dev/null
'

# series_check MID PYTHON: run PYTHON with s = the series that holds MID,
# R = its revisions, V = their versions, rev(mid) = the revision holding mid.
series_check() {
	python3 -c '
import json, sys
mid, code = sys.argv[1], sys.argv[2]
def members(r):
    return ([r["cover"]] if r["cover"] else []) + r["patches"]
found = [s for s in json.load(open("all.json"))["series"]
         if any(p["m"] == mid for r in s["revisions"] for p in members(r))]
assert len(found) == 1, "%s is in %d series" % (mid, len(found))
s = found[0]
R = s["revisions"]
V = [r["version"] for r in R]
def rev(m):
    return [r for r in R if any(p["m"] == m for p in members(r))][0]
def positions(r):
    return [p["position"] for p in r["patches"]]
try:
    exec(code)
except AssertionError:
    print("series %r: versions %s" % (s["title"], V))
    raise
' "$@"
}

test_expect_success 'every series is well formed' '
	python3 -c "
import json
for s in json.load(open(\"all.json\"))[\"series\"]:
    R = s[\"revisions\"]
    assert R and [r[\"version\"] for r in R] == sorted(r[\"version\"] for r in R)
    assert R[-1][\"status\"] in (\"posted\", \"applied\") and not R[-1][\"superseded\"]
    for r in R:
        assert r[\"cover\"] or r[\"patches\"]
        assert positions == sorted(positions) if (positions := [p[\"position\"] for p in r[\"patches\"]]) else True
        assert r[\"superseded\"] == (r[\"status\"] == \"superseded\") or r[\"status\"] == \"applied\"
"
'

test_expect_success 'rerolls v1 to v12, a single patch growing a cover, cover ids rewritten by the server' '
	series_check tencent_F9CAE827E2BA8193D06796FBE58ECAD16B06@qq.com "
assert s[\"title\"] == \"selftests/bpf: Optimize kallsyms cache\"
assert V == [1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 11, 12], V
v11 = rev(\"tencent_F9CAE827E2BA8193D06796FBE58ECAD16B06@qq.com\")
assert v11[\"cover\"][\"m\"] == \"tencent_F04BD6C8A5A70AD82BCCE820E2B2419CD006@qq.com\"
assert positions(v11) == [1, 2]
assert R[0][\"cover\"] is None and positions(R[0]) == [0]
assert [r[\"superseded\"] for r in R].count(False) == 1
"
'

test_expect_success 'a long reroll: v1, then v5 to v26 of one net-next series' '
	series_check 20240910171458.219195-1-almasrymina@google.com "
assert s[\"title\"] == \"Device Memory TCP\" and s[\"tree\"] == \"net-next\"
assert V == [1] + list(range(5, 27)), V
assert all(r[\"superseded\"] for r in R[:-1]) and R[-1][\"status\"] in (\"posted\", \"applied\")
assert all(r[\"cover\"] and len(r[\"patches\"]) == r[\"total\"] for r in R)
"
'

test_expect_success 'comma prefixes: [PATCH bpf,v2,1/2]' '
	series_check 20240831054525.364353-1-aha310510@gmail.com "
assert V == [2] and s[\"tree\"] == \"bpf\"
assert R[0][\"total\"] == 2 and positions(R[0]) == [1, 2]
assert R[0][\"patches\"][0][\"s\"].startswith(\"[PATCH bpf,v2,1/2] \")
"
'

test_expect_success 'PATCHv3, then PATCHv4 RESEND of the same series' '
	series_check 20250106081043.2073169-1-liuhangbin@gmail.com "
assert V == [3, 4] and s[\"tree\"] == \"net-next\"
assert not R[0][\"resend\"] and R[1][\"resend\"]
assert R[0][\"superseded\"] and R[1][\"status\"] in (\"posted\", \"applied\")
"
'

test_expect_success 'a 28-patch revision, eleven more revisions, a one-patch reroll' '
	series_check 20220304172852.274126-1-benjamin.tissoires@redhat.com "
assert V == [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 11, 12], V
v2 = rev(\"20220304172852.274126-1-benjamin.tissoires@redhat.com\")
assert positions(v2) == list(range(1, 29))
v8 = R[6]
assert v8[\"partial_of\"] == 7 and len(v8[\"patches\"]) == 1 and v8[\"cover\"] is None
"
'

test_expect_success 'partial rerolls, and a chain across a change of address (huawei.com, huaweicloud.com)' '
	series_check 20220826091228.1701185-1-roberto.sassu@huaweicloud.com "
assert V == [9, 10, 11, 12, 13, 14, 14, 15, 16, 17, 17, 17, 18, 18], V
p = rev(\"20220826091228.1701185-1-roberto.sassu@huaweicloud.com\")
assert p[\"partial_of\"] == 13 and positions(p) == [4]
v13 = R[4]
assert v13[\"patches\"][3][\"superseded_by\"] == \"20220826091228.1701185-1-roberto.sassu@huaweicloud.com\"
# Patches move when a series grows: the replacement has the same title.
assert v13[\"patches\"][2][\"superseded_by\"] == \"20220830161716.754078-5-roberto.sassu@huaweicloud.com\"
"
'

test_expect_success 'one revision sent in two halves from two addresses; taken over by someone else' '
	series_check 20250924152214.7292-1-roypat@amazon.co.uk "
assert V == [4, 6, 7, 8, 9], V
v7 = rev(\"20250924152214.7292-1-roypat@amazon.co.uk\")
assert positions(v7) == list(range(1, 13)) and v7[\"partial_of\"] is None
assert R[3][\"cover\"][\"f\"].endswith(\"<kalyazin@amazon.co.uk>\")
"
'

test_expect_success 'same-version rerolls sent twice stay distinct revisions' '
	series_check 20250814064504.103401-1-phoenix500526@163.com "
assert V == [4, 5, 6, 7, 8, 8, 9, 9, 10, 11, 12, 12, 13, 14, 15, 16], V
assert len(R[4][\"patches\"]) == 2 and len(R[5][\"patches\"]) == 2
"
'

test_expect_success 'deep threading: each patch answers the one before' '
	series_check 20200527185700.14658-1-a.s.protopopov@gmail.com "
assert V == [1] and positions(R[0]) == [1, 2, 3, 4, 5]
assert R[0][\"cover\"][\"m\"] == \"20200527185700.14658-1-a.s.protopopov@gmail.com\"
"
'

test_expect_success 'a cover whose 0/5 disagrees with its six patches' '
	series_check 20220413134120.3253433-1-maximmi@nvidia.com "
v5 = rev(\"20220413134120.3253433-1-maximmi@nvidia.com\")
assert v5[\"version\"] == 5 and v5[\"total\"] == 6 and positions(v5) == [1, 2, 3, 4, 5, 6]
assert V == [2, 3, 4, 5, 6, 7, 8, 9, 10], V
"
'

test_expect_success 'a pull request, answered by a person and by a bot' '
	series_check 201911260818.9C5DC1E@keescook "
r = R[0]
assert r[\"pull\"] and r[\"cover\"] is None
p = r[\"patches\"][0]
assert p[\"replies\"] == 2 and p[\"human_replies\"] == 1
"
'

test_expect_success 'reviews given in replies, and the bot notice counted as a reply' '
	series_check 20190511025249.32678-1-skhan@linuxfoundation.org "
p = R[0][\"patches\"][0]
assert {\"trailer\": \"Acked-by\", \"name\": \"Alexei Starovoitov\", \"email\": \"ast@kernel.org\",
        \"m\": \"20190511043729.3o4enh35lrmne3kd@ast-mbp\"} in p[\"reviews\"]
" &&
	series_check cover.1649462033.git.geliang.tang@suse.com "
assert V == [2, 3], V
v3 = R[1]
assert v3[\"cover\"][\"replies\"] == 1 and v3[\"cover\"][\"human_replies\"] == 0
assert v3[\"patches\"][0][\"reviews\"][0][\"email\"] == \"songliubraving@fb.com\"
"
'

test_done
