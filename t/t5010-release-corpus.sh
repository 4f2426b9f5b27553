#!/bin/bash
test_description='release on libbpf with the real archive: the v1.5 cycle'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3

# libbpf's own bump commits bracket the v1.5 cycle (the bundle has no tags).
start=26d9ab5f782f	# libbpf: Start v1.5 development cycle
end=6210515c7866	# libbpf: start v1.6 development cycle
range=$start..$end

# The kernel paths libbpf mirrors, and where (its sync script).
libbpf_map="tools/lib/bpf/:src/ tools/include/uapi/linux/:include/uapi/linux/
	include/uapi/linux/perf_event.h:include/uapi/linux/perf_event.h
	Documentation/bpf/libbpf/:docs/"

test_expect_success 'the archive and the libbpf mirror' '
	test_corpus_inbox bpf &&
	git clone -q --bare "$CORPUS/libbpf.bundle" libbpf.git &&
	test "$(git -C libbpf.git log -1 --format=%s $start)" = "libbpf: Start v1.5 development cycle" &&
	test "$(git -C libbpf.git log -1 --format=%s $end)" = "libbpf: start v1.6 development cycle" &&
	git clone -q --bare libbpf.git plain.git &&
	for m in $libbpf_map; do git -C libbpf.git config --add bpfdigest.pathMap $m || return 1; done &&
	git -C libbpf.git rev-list --no-merges $range >commits &&
	test $(wc -l <commits) = 149
'

test_expect_success 'json: every commit of the range exactly once' '
	git -C libbpf.git bpfdigest --inbox="$TRASH_DIRECTORY/bpf" --format=json release $range >out.json &&
	python3 - out.json commits <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	want = sorted(open(sys.argv[2]).read().split())
	got = [c for a in d["areas"] for s in a["series"] for c in s["commits"]]
	got += [u["commit"] for u in d["unposted"]]
	assert len(got) == len(set(got)), "a commit is listed twice"
	assert sorted(got) == want, set(got) ^ set(want)
	s = d["stats"]
	assert s["commits"] == 149 and s["posted"] + s["unposted"] == 149, s
	assert s["series"] == sum(len(a["series"]) for a in d["areas"]), s
	EOF
'

# area COMMIT: the area the JSON gives the commit (its series' or its own).
cat >area.py <<\EOF
import json, sys
d = json.load(open(sys.argv[1]))
area = {}
for a in d["areas"]:
    for s in a["series"]:
        for c in s["commits"]:
            area[c] = a["name"]
for u in d["unposted"]:
    area[u["commit"]] = u["area"]
for line in sys.stdin:
    c = line.split()[0]
    full = [k for k in area if k.startswith(c)]
    print(c, area[full[0]] if len(full) == 1 else "?")
EOF

# Checked by hand: each commit's files in the mirror, its subject, and
# what the kernel patch touched.
cat >areas.expect <<\EOF
ceeb7211c98b libbpf
98de9ace4dad libbpf
6c8dde355463 libbpf
3578ab89fb85 net
9a3705780020 net
a911ca1e3e16 core
4bd31a104469 core
3827aa514cba libbpf
cece3242fb2a libbpf
114f6ce2fd55 docs
86fc78bd2b8f tracing
ec3c369941e9 net
2fdcc365a0c5 other
61a6e8edd721 other
6210515c7866 libbpf
EOF

test_expect_success 'areas of a sample checked by hand' '
	python3 area.py out.json <areas.expect >areas.got &&
	test_cmp areas.expect areas.got
'

test_expect_success 'series: the cross-endian series is one entry of 7 commits' '
	python3 - out.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	series = {s["first"][:12]: (a["name"], s) for a in d["areas"] for s in a["series"]}
	area, s = series["ceeb7211c98b"]
	assert area == "libbpf" and len(s["commits"]) == 7, (area, s)
	assert s["authors"] == [{"name": "Tony Ambardar", "email": "tony.ambardar@gmail.com"}], s
	assert s["version"] == 6 and s["total"] == 8, s
	area, s = series["3578ab89fb85"]
	assert s["title"] == "Device Memory TCP" and len(s["commits"]) == 2, s
	EOF
'

test_expect_success 'text: unmatched commits listed under "Not posted to the list"' '
	git -C libbpf.git bpfdigest --inbox="$TRASH_DIRECTORY/bpf" release $range >out.txt &&
	grep "^Release notes for $range$" out.txt &&
	grep "^149 non-merge commits applied from 2024-" out.txt &&
	n=$(python3 -c "import json; print(len([u for u in json.load(open(\"out.json\"))[\"unposted\"] if not u[\"link\"]]))") &&
	l=$(python3 -c "import json; print(len([u for u in json.load(open(\"out.json\"))[\"unposted\"] if u[\"link\"]]))") &&
	test $(( n + l )) -gt 100 &&
	grep "^Not posted to the list ($n commits)$" out.txt &&
	grep "^Posted, not in the archive ($l commits)$" out.txt &&
	python3 - out.json out.txt <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	text = open(sys.argv[2]).read()
	# Wrapped at 72 columns: compare with the line breaks folded.
	flat = " ".join(text.split())
	for u in d["unposted"]:
	    item = "- %s %s (%s)" % (u["commit"][:12], u["s"], u["author"]["name"])
	    item += " <%s>" % u["link"] if u["link"] else ""
	    assert " ".join(item.split()) in flat, item
	for a in d["areas"]:
	    for s in a["series"]:
	        assert s["first"][:12] in text, s["title"]
	EOF
'

test_expect_success 'without bpfdigest.pathMap the posted patches still place the series' '
	git -C plain.git bpfdigest --inbox="$TRASH_DIRECTORY/bpf" --format=json release $range >plain.json &&
	python3 - out.json plain.json <<-\EOF
	import json, sys
	def series(f):
	    d = json.load(open(f))
	    return sorted((a["name"], s["first"]) for a in d["areas"] for s in a["series"])
	assert series(sys.argv[1]) == series(sys.argv[2])
	EOF
'

test_expect_success 'the acknowledgements are mailmap-resolved, one name each' '
	python3 - out.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	for key in ("authors", "reviewers"):
	    names = [p["name"].lower() for p in d[key]]
	    emails = [p["email"].lower() for p in d[key]]
	    assert len(names) == len(set(names)) and len(emails) == len(set(emails)), key
	assert len(d["authors"]) == d["stats"]["authors"] > 40
	assert len(d["reviewers"]) == d["stats"]["reviewers"] > 10
	assert not [p for p in d["reviewers"] if "robot" in p["name"] or "bot+" in p["email"]]
	EOF
'

test_done
