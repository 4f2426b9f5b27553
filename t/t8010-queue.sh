#!/bin/bash
test_description='queue: the open series as the archive stood on dates of 2025, checked against the mail'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3
# The command needs the states of issue 16 part A (lib/state.h).
git bpfdigest --list-cmds | grep -qx queue || skip_all "no queue command in this build"

export SOURCE_DATE_EPOCH=1767225600	# 2026-01-01T00:00:00Z
DATES="2025-01-15 2025-03-01 2025-05-20 2025-08-04 2025-10-31"

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git config --global bpfdigest.inbox "$PWD/inbox" &&
	git bpfdigest --format=json series --all >all.json
'

test_expect_success 'queue --at= on dates of 2025, as JSON' '
	for d in $DATES; do
		git bpfdigest --format=json queue --at=$d >q-$d.json || return 1
	done
'

# Checked against series --format=json (what was posted, in which
# series), the raw mail (when each message was sent, by the rule a period
# uses) and the corpus' list of patchwork-bot notices (what was applied):
# not against the queue's own idea of a state.
test_expect_success 'each listed series was open on its date: posted, not superseded, not applied by then' '
	PYTHONPATH="$TEST_DIRECTORY" python3 - "$CORPUS/gold-pwbot.tsv" $DATES <<-\EOF
	import csv, datetime, email.utils, json, re, sys
	import archive_mail
	when = {}
	for msg in archive_mail.messages("inbox/git/0.git"):
	    mid = archive_mail.message_id(msg)
	    t = None
	    try:
	        t = email.utils.parsedate_to_datetime(msg["Date"]).timestamp()
	    except Exception:
	        pass
	    when.setdefault(mid, t)
	def iso(s):
	    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
	revs = {}
	for s in json.load(open("all.json"))["series"]:
	    full = [r for r in s["revisions"] if r["partial_of"] is None]
	    for r in s["revisions"]:
	        first = r["cover"] or (r["patches"][0] if r["patches"] else None)
	        if first:
	            revs[first["m"]] = (r, full)
	# A notice answers a patch, or the cover and names the patches it
	# applied ("[bpf-next,v2,1/3] ..."): positions, not the whole series.
	notices = {}
	for row in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
	    if row["in_bpf_list"] == "yes":
	        n = re.search(r",0*(\d+)/\d+\]", row["summary"])
	        notices.setdefault(row["in_reply_to"], []).append(
	            (row["pwbot_message_id"], int(n.group(1)) if n else None))
	def applied_by(mid, at, position=None):
	    return any(when.get(n) is not None and when[n] <= at and (position is None or p == position)
	               for n, p in notices.get(mid, []))
	total, applied = 0, []
	for day in sys.argv[2:]:
	    at = iso(day + "T23:59:59Z")
	    q = json.load(open("q-%s.json" % day))
	    assert q["version"] == 1 and q["as_of"] == day + "T23:59:59Z", q["as_of"]
	    assert q["series"], "nothing open on " + day
	    for e in q["series"]:
	        r, full = revs[e["m"]]
	        posted = iso(r["dt"] or r["patches"][0]["rt"])
	        # The Date: a period counts a message by (two days of slack for a bad clock).
	        assert posted <= at + 2 * 86400, (day, e["m"], "posted later")
	        later = [x for x in full if x["version"] > r["version"] and x["dt"] and iso(x["dt"]) <= at - 2 * 86400]
	        assert not later, (day, e["m"], "superseded by v%d" % later[0]["version"])
	        cover = r["cover"]["m"] if r["cover"] else None
	        if r["patches"] and all(applied_by(p["m"], at - 2 * 86400) or
	                                (cover and applied_by(cover, at - 2 * 86400, p["position"]))
	                                for p in r["patches"]):
	            applied.append((day, e["m"]))
	        # Every fact it shows was in the archive by then.
	        for m in [e["evidence"], (e["last_human_reply"] or {}).get("m")] + [x["m"] for x in e["reviews"]]:
	            assert m is None or when.get(m) is None or when[m] <= at + 2 * 86400, (day, m, "sent later")
	        assert iso(e["since"]) <= at, (day, e["m"], e["since"])
	        assert e["state"] not in ("applied", "superseded"), e["state"]
	        total += 1
	print("# %d open series checked on %d dates" % (total, len(sys.argv) - 2))
	open("applied-listed", "w").write("".join("%s %s\n" % a for a in applied))
	EOF
'

test_expect_success 'no listed series was applied (per the pw-bot notices) by its date' '
	test_cmp /dev/null applied-listed
'

# unchanged_since of the patches of open series: what series --format=json
# says of the same patch (which t8000 checks against git patch-id).
test_expect_success 'the patches say since when they are unchanged, as series does' '
	python3 - $DATES <<-\EOF
	import json, sys
	since = {}
	for s in json.load(open("all.json"))["series"]:
	    for r in s["revisions"]:
	        for p in r["patches"]:
	            since[p["m"]] = p["unchanged_since"]
	n = 0
	for day in sys.argv[1:]:
	    for e in json.load(open("q-%s.json" % day))["series"]:
	        for p in e["patches"]:
	            if since.get(p["m"]):
	                assert p["unchanged_since"] == since[p["m"]], (day, p["m"], p["unchanged_since"])
	                n += e["version"] > 1
	assert n >= 50, n
	print("# %d patches of rerolled open series" % n)
	EOF
'

test_expect_success 'the queue of a date forgets what came after it' '
	python3 - <<-\EOF
	import json
	a = json.load(open("q-2025-01-15.json"))["series"]
	b = json.load(open("q-2025-10-31.json"))["series"]
	ma, mb = {e["m"] for e in a}, {e["m"] for e in b}
	# Work open in January was mostly applied or rerolled by October.
	assert len(ma - mb) > len(ma) // 2, (len(ma), len(ma & mb))
	EOF
'

test_expect_success '--state keeps only those states, in the same order' '
	git bpfdigest --format=json queue --at=2025-05-20 --state=changes-requested,nacked >cr.json &&
	python3 -c "
import json, sys
all = json.load(open(\"q-2025-05-20.json\"))[\"series\"]
got = json.load(open(\"cr.json\"))[\"series\"]
want = [e[\"m\"] for e in all if e[\"state\"] in (\"changes-requested\", \"nacked\")]
assert want and [e[\"m\"] for e in got] == want, (len(want), len(got))
"
'

test_expect_success '--state and --at take only what they name' '
	test_expect_code 129 git bpfdigest queue --state=nope 2>err &&
	grep "option .state. expects states" err &&
	test_expect_code 129 git bpfdigest queue --at=yesterdayish 2>err &&
	grep "option .at. expects a date" err &&
	test_expect_code 129 git bpfdigest queue --author=a@x --mine 2>err &&
	test_expect_code 129 git bpfdigest --format=mbox queue 2>err
'

test_expect_success '--author, --mine and --reviewer pick from the same list' '
	python3 - <<-\EOF >people
	import json
	from collections import Counter
	all = json.load(open("q-2025-05-20.json"))["series"]
	revs = {}
	for s in json.load(open("all.json"))["series"]:
	    for r in s["revisions"]:
	        first = r["cover"] or (r["patches"][0] if r["patches"] else None)
	        if first:
	            revs[first["m"]] = s["author"]["email"]
	a = Counter(revs[e["m"]] for e in all).most_common(1)[0][0]
	r = Counter(x["email"] for e in all for x in e["reviews"]).most_common(1)[0][0]
	print(a, r)
	EOF
	read author reviewer <people &&
	git bpfdigest --format=json queue --at=2025-05-20 --author=$author >by.json &&
	git -c user.email=$author bpfdigest --format=json queue --at=2025-05-20 --mine >mine.json &&
	test_cmp by.json mine.json &&
	git bpfdigest --format=json queue --at=2025-05-20 --reviewer=$reviewer >rev.json &&
	python3 - "$author" "$reviewer" <<-\EOF
	import json, sys
	author, reviewer = sys.argv[1:]
	every = json.load(open("q-2025-05-20.json"))["series"]
	by = json.load(open("by.json"))["series"]
	rev = json.load(open("rev.json"))["series"]
	assert by and len(by) < len(every)
	assert rev and all(any(x["email"] == reviewer for x in e["reviews"]) for e in rev)
	want = [e["m"] for e in every if any(x["email"] == reviewer for x in e["reviews"])]
	assert [e["m"] for e in rev] == want
	EOF
'

test_expect_success 'text and markdown name the same series' '
	git bpfdigest queue --at=2025-05-20 >q.txt &&
	git bpfdigest --format=markdown queue --at=2025-05-20 >q.md &&
	n=$(python3 -c "import json; print(len(json.load(open(\"q-2025-05-20.json\"))[\"series\"]))") &&
	grep -q "^Open series as of 2025-05-20: $n\$" q.txt &&
	test $(grep -c "^  <https://lore.kernel.org/all/" q.txt) = $n &&
	test $(grep -c "^- " q.md) = $n
'

# The digest: each "Needs attention" line names a series that is open at
# the end of the period with that state (read from queue --at), at most 5.
test_expect_success 'the weekly digest ends with Needs attention, true to the queue of its last day' '
	git bpfdigest --format=json weekly --week=2025-W21 >w.json &&
	git bpfdigest --format=json queue --at=2025-05-25 >q-w21.json &&
	git bpfdigest weekly --week=2025-W21 >w.txt &&
	python3 - <<-\EOF
	import json
	d = json.load(open("w.json"))
	q = {e["m"]: e for e in json.load(open("q-w21.json"))["series"]}
	label = {"NAKed": ("nacked",), "Changes requested": ("changes-requested",),
	         "Waiting for review": ("posted", "stalled")}
	assert 0 < len(d["attention"]) <= 5, d["attention"]
	for a in d["attention"]:
	    assert a["m"] in q, a
	    assert q[a["m"]]["state"] in label[a["label"]], (a, q[a["m"]]["state"])
	assert d["applied_this_period"].startswith("Applied this period: ")
	text = open("w.txt").read()
	assert "\nNeeds attention\n" in text and "\nApplied this period: " in text
	assert text.index("Needs attention") > text.index(d["entries"][-1]["title"])
	EOF
'

test_expect_success 'bpfdigest.attention=false leaves the digest as it was' '
	git -c bpfdigest.attention=false bpfdigest weekly --week=2025-W21 >off.txt &&
	! grep -q "Needs attention\|Applied this period" off.txt &&
	grep -v "^- \|^Needs attention\$\|^Applied this period: " w.txt >expect &&
	test_cmp expect off.txt &&
	git -c bpfdigest.attention=false bpfdigest --format=json weekly --week=2025-W21 >off.json &&
	python3 -c "
import json
d = json.load(open(\"off.json\"))
assert d[\"attention\"] == [] and d[\"applied_this_period\"] is None
"
'

test_done
