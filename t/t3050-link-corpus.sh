#!/bin/bash
test_description='link on the real trees: precision and recall against the gold'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3

# The kernel paths each mirror carries, and where (their sync scripts).
libbpf_map="tools/lib/bpf/:src/ tools/include/uapi/linux/:include/uapi/linux/
	include/uapi/linux/perf_event.h:include/uapi/linux/perf_event.h
	Documentation/bpf/libbpf/:docs/"
bpftool_map="tools/bpf/bpftool/Documentation/:docs/ tools/bpf/bpftool/bash-completion/:bash-completion/
	tools/bpf/bpftool/:src/ kernel/bpf/disasm.:src/kernel/bpf/disasm.
	tools/include/uapi/:include/uapi/ tools/include/tools/:include/tools/"

# mirror NAME BUNDLE BRANCH MAP: a bare clone with the path map, and a
# branch "nolink": the same history with every Link: line removed.
mirror() {
	git clone -q --bare "$CORPUS/$2" $1.git &&
	for m in $4; do git -C $1.git config --add bpfdigest.pathMap $m || return 1; done &&
	git -C $1.git fast-export --no-data --signed-tags=strip refs/heads/$3 |
	perl -e '
		binmode STDIN; binmode STDOUT;
		my $msg = 0;
		while (my $l = <STDIN>) {
			if ($l =~ /^commit /) { $msg = 1; $l =~ s,^commit refs/heads/.*,commit refs/heads/nolink,; }
			if ($l =~ /^reset refs\/heads\//) { $l = "reset refs/heads/nolink\n"; }
			if ($l =~ /^data (\d+)$/) {
				read(STDIN, my $d, $1) == $1 or die "short read";
				$d = join("", grep { !/^link:/i } split(/^/m, $d)) if $msg;
				$msg = 0;
				print "data ", length($d), "\n", $d;
				next;
			}
			print $l;
		}' | git -C $1.git fast-import --quiet &&
	# The rewritten commits, by tree and author time, are the originals.
	git -C $1.git log --format="%T %at %H" $3 >$1.orig &&
	git -C $1.git log --format="%T %at %H" nolink >$1.new &&
	awk "NR == FNR { o[\$1 \" \" \$2] = \$3; next } { print o[\$1 \" \" \$2], \$3 }" \
		$1.orig $1.new >$1.idmap &&
	test $(awk "NF == 2" $1.idmap | sort -u | wc -l) = $(wc -l <$1.orig) &&
	test $(cut -d" " -f1 $1.idmap | sort -u | wc -l) = $(wc -l <$1.orig)
}

cat >score.py <<\EOF
# score.py GOLD KIND OUT.json... : precision and recall of link output.
#   KIND "links": gold-links.tsv; "regen": regen/gold.tsv.
# Each OUT.json is "<tree>:<file>[:<idmap>]"; the idmap turns rewritten
# commit ids back into the originals.  Prints "key value" lines.
import csv, json, sys, re
gold_file, kind, outs = sys.argv[1], sys.argv[2], sys.argv[3:]
def norm(s):
    s = re.sub(r"^(\s*(re|aw|fwd?):\s*)*(\[[^]]*\]\s*)*", "", s, flags=re.I)
    return " ".join(re.sub(r"[^\w]+", " ", s.lower()).split())
gold = {}
for r in csv.DictReader(open(gold_file), delimiter="\t"):
    if kind == "links":
        # A Link: to a reply names the thread its patch started.
        alt = r["thread_root"] if r["mail_subject"].lower().startswith("re:") else None
        gold[(r["tree"], r["tree_commit"])] = (r["message_id"], alt, r["commit_subject"])
    elif r["role"] == "patch":
        gold[(r["repo"], r["commit"])] = (r["message_id"], None, r["subject"])
tp = fp = found = 0
per = {}
for spec in outs:
    tree, path, *rest = spec.split(":")
    idmap = dict(l.split() [::-1] for l in open(rest[0])) if rest else {}
    for c in json.load(open(path))["commits"]:
        key = (tree, idmap.get(c["commit"], c["commit"]))
        if key not in gold:
            continue
        mid, alt, subject = gold[key]
        right = c["m"] == mid or c["m"] == alt
        # Without the Link: a reply named, the posting applied is as right.
        if not right and alt and norm(c["s"]) == norm(subject):
            right = True
        m = per.setdefault(c["method"], [0, 0])
        m[0 if right else 1] += 1
        tp += right
        fp += not right
        if not right:
            print("wrong", key, c["method"], c["m"], file=sys.stderr)
print("gold", len(gold))
print("matched", tp + fp)
print("right", tp)
print("wrong", fp)
for k, (r, w) in sorted(per.items()):
    print("method-%s %d/%d" % (k, r, r + w))
EOF

# run NAME INBOX TREE RANGE: link's JSON for one tree and inbox.
run() {
	git -C $3.git bpfdigest --inbox="$TRASH_DIRECTORY/$2" --format=json link $4 >$1.json
}

value() {
	sed -n "s/^$1 //p" "$2"
}

test_expect_success 'the archive, regen and the two mirrors (with and without Link:)' '
	test_corpus_inbox bpf &&
	"$CORPUS/make-inbox" "$CORPUS/regen/series.mbox" regen >/dev/null &&
	mirror libbpf libbpf.bundle master "$libbpf_map" &&
	mirror bpftool bpftool.bundle main "$bpftool_map" &&
	test $(git -C libbpf.git log --format=%B nolink | grep -ci "^link:") = 0 &&
	test $(git -C libbpf.git log --format=%B master | grep -ci "^link:") -gt 1700
'

test_expect_success 'gold-links: every match right, every pair in the archive found' '
	run l1 bpf libbpf master && run l2 bpf bpftool main &&
	python3 score.py "$CORPUS/gold-links.tsv" links \
		libbpf/libbpf:l1.json libbpf/bpftool:l2.json >gold.score &&
	test $(value gold gold.score) = 71 &&
	test $(value wrong gold.score) = 0 &&
	test $(value right gold.score) = 69
'

test_expect_success 'gold-links without Link: lines: still right, recall >= 69 of 71' '
	run n1 bpf libbpf nolink && run n2 bpf bpftool nolink &&
	python3 score.py "$CORPUS/gold-links.tsv" links \
		libbpf/libbpf:n1.json:libbpf.idmap libbpf/bpftool:n2.json:bpftool.idmap >nolink.score &&
	test $(value wrong nolink.score) = 0 &&
	test $(value right nolink.score) -ge 69
'

test_expect_success 'regen: every patch found, every match right' '
	run r1 regen libbpf master && run r2 regen bpftool main &&
	python3 score.py "$CORPUS/regen/gold.tsv" regen \
		libbpf/libbpf:r1.json libbpf/bpftool:r2.json >regen.score &&
	test $(value gold regen.score) = 1978 &&
	test $(value wrong regen.score) = 0 &&
	test $(value right regen.score) = 1978
'

test_expect_success 'regen without Link: lines: patch-id finds >= 1976 of 1978, all right' '
	run m1 regen libbpf nolink && run m2 regen bpftool nolink &&
	python3 score.py "$CORPUS/regen/gold.tsv" regen \
		libbpf/libbpf:m1.json:libbpf.idmap libbpf/bpftool:m2.json:bpftool.idmap >regen-nolink.score &&
	test $(value wrong regen-nolink.score) = 0 &&
	test $(value right regen-nolink.score) -ge 1976
'

test_expect_success 'the patch-id cache makes a second run compute nothing' '
	cp libbpf.git/bpfdigest/patch-id-v2 cache.before &&
	BPFDIGEST_TRACE_PERFORMANCE=1 git -C libbpf.git bpfdigest --inbox="$TRASH_DIRECTORY/regen" \
		--format=json link nolink >again.json 2>trace &&
	grep "link: 2871 commits, 0 patch-ids computed$" trace &&
	test_cmp cache.before libbpf.git/bpfdigest/patch-id-v2 &&
	test_cmp m1.json again.json
'

for s in gold nolink regen regen-nolink; do
	f=$TRASH_DIRECTORY/$s.score
	test -f "$f" && echo "# $s: $(tr '\n' ' ' <"$f")"
done

test_done
