#!/bin/bash
test_description='digests of a real day, week and month of the bpf list'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3

# Real periods of the archive: a busy day, its ISO week and its month.
DAY=2025-06-03 WEEK=2025-W23 MONTH=2025-06
export SOURCE_DATE_EPOCH=1749427200	# 2025-06-09T00:00:00Z

# check_facts <digest.json> <since-epoch> <until-epoch>: every entry
# against the archive itself, read with git and Python's email parser.
check_facts() {
	PYTHONPATH="$TEST_DIRECTORY" python3 - "$1" "$2" "$3" <<-'EOF'
	import email, email.header, email.utils, json, re, subprocess, sys
	digest, since, until = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
	import archive_mail
	# Messages dated around the period (Date: is the author date of the archive).
	by_mid = {archive_mail.message_id(msg): msg for msg in archive_mail.messages(
	    "inbox/git/0.git", ["--since=@%d" % (since - 3 * 86400), "--until=@%d" % (until + 3 * 86400), "HEAD"])}
	def text(h):
	    return re.sub(r"\s+", " ", str(email.header.make_header(email.header.decode_header(h or "")))).strip()
	bad = []
	assert digest["entries"], "no entries"
	for e in digest["entries"]:
	    msg = by_mid.get(e["m"])
	    if msg is None:
	        bad.append("not in the archive: %s" % e["m"]); continue
	    subject = text(msg["Subject"])
	    when = email.utils.parsedate_to_datetime(msg["Date"]).timestamp()
	    name, addr = email.utils.parseaddr(text(msg["From"]))
	    s = e["series"]
	    prefix = re.match(r"^((?:\[[^\]]*\]\s*)+)(.*)$", subject)
	    tags = prefix.group(1) if prefix else ""
	    if not subject.endswith("] " + e["title"]) and subject != e["title"]:
	        bad.append("title %r is not the subject %r" % (e["title"], subject))
	    if not since - 86400 <= when < until + 86400:
	        bad.append("%s is dated outside the period" % e["m"])
	    m = re.search(r"\bv(\d+)\b", tags, re.I) or re.search(r"PATCHv(\d+)", tags, re.I)
	    if (int(m.group(1)) if m else 1) != s["version"]:
	        bad.append("version %d of %r" % (s["version"], subject))
	    m = re.search(r"(\d+)/(\d+)\]", tags)
	    if m and (int(m.group(1)), int(m.group(2))) != (s["position"], s["total"]):
	        bad.append("position %d/%d of %r" % (s["position"], s["total"], subject))
	    if not m and s["total"] > 1:
	        bad.append("total %d of the unnumbered %r" % (s["total"], subject))
	    # A patch sent on behalf is its in-body From:'s (as git am reads it).
	    ib = re.match(rb"\s*From:[ \t]*([^\n]*)", (msg.get_payload(decode=True) or b"") if not msg.is_multipart() else b"")
	    inbody = email.utils.parseaddr(text(ib.group(1).decode("utf-8", "replace")))[1] if ib else ""
	    if s["author"]["email"].lower() not in (addr.lower(), inbody.lower()):
	        bad.append("author %s of %r sent by %s" % (s["author"]["email"], subject, addr))
	    if s["cover"]:
	        cover = by_mid.get(s["cover"])
	        if cover is None or not re.search(r"\b0+/%d\]" % s["total"], text(cover["Subject"])):
	            bad.append("cover %s of %r" % (s["cover"], subject))
	    # What the overview says of the first entry, it says from these facts.
	    if e is digest["entries"][0] and s["total"] > 1:
	        who = re.sub(r"\s*\([^)]*\)$", "", s["author"]["name"]) or s["author"]["email"]
	        if "%s's" % who not in digest["overview"] or "(%d patches)" % s["total"] not in digest["overview"]:
	            bad.append("overview does not name %s's %d patches" % (who, s["total"]))
	    if s["total"] > 1 and s["position"] and "patch %d/%d of" % (s["position"], s["total"]) not in e["summary"]:
	        bad.append("summary of %r does not place it" % subject)
	    # The summary is prose: no trailers, URLs, diffs or quotes; 3 to 5 sentences.
	    summary = e["summary"]
	    for what, rx in [("trailer", r"\b[A-Z][a-z]+(-[a-z]+)*-by:"), ("Signed-off-by", r"Signed-off-by"),
	                     ("URL", r"https?://|lore\.kernel\.org"), ("diff", r"diff --git|@@ -\d"),
	                     ("quote", r"(^|\n)>"), ("newline", r"\n")]:
	        if re.search(rx, summary):
	            bad.append("%s in the summary of %s: %s" % (what, e["m"], summary))
	    sentences = len(re.findall(r"[.!?][\"')\]]*(?:\s+(?=[A-Za-z\"(])|$)", summary))
	    # How much the commit message has to say: its sentences of unquoted, unindented prose.
	    body = msg.get_payload(decode=True) if not msg.is_multipart() else b""
	    body = (body or b"").decode("utf-8", "replace").split("\n---\n")[0]
	    prose = " ".join(l for l in body.split("\n") if l and l[0] not in " \t>[" and
	                     not re.match(r"^[\w-]+: |^https?://|^From: ", l))
	    source = len(re.findall(r"[.!?](\s|$)", prose))
	    if sentences > 5 or (source >= 2 and sentences < 3):
	        bad.append("%d sentences (the source has %d) in the summary of %s: %s" %
	                   (sentences, source, e["m"], summary))
	print("\n".join(bad))
	sys.exit(1 if bad else 0)
	EOF
}

# check_shape <digest.txt>: the seed's layout.
# seed_part FILE: the digest without what follows its entries (the
# "Needs attention" section and the "Applied this period" line), which
# must itself have its shape: the heading and one to five "- " lines,
# then the applied line, the last before Generated.
seed_part() {
	n=$(wc -l <"$1") &&
	sed -n "$((n - 1))p" "$1" | grep -qx "Applied this period: [0-9]* series to bpf-next, [0-9]* to bpf\(, [0-9]* to [a-z-]*\)*" &&
	head -n $((n - 2)) "$1" >"$1.body" &&
	if grep -qx "Needs attention" "$1.body"; then
		sed -n "/^Needs attention\$/,\$p" "$1.body" | sed 1d >"$1.attention" &&
		k=$(wc -l <"$1.attention") &&
		test $k -ge 1 && test $k -le 5 &&
		! grep -v "^- .* for [0-9]* days\?: .*" "$1.attention" &&
		sed "/^Needs attention\$/,\$d" "$1.body"
	else
		cat "$1.body"
	fi &&
	tail -n 1 "$1"
}

check_shape() {
	seed_part "$1" >"$1.seed" &&
	set -- "$1.seed" &&
	n=$(wc -l <"$1") &&
	test $n -ge 4 &&
	test $(( (n - 2) % 2 )) = 0 &&
	tail -n 1 "$1" | grep -x "Generated 2025-06-09T00:00:00Z" &&
	sed -n "2,$((n - 1))p" "$1" | awk "NR % 2 == 0" >"$1.paragraphs" &&
	! grep -v " <https://lore.kernel.org/all/[^ ]*/>$" "$1.paragraphs"
}

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	test -d inbox/git/0.git &&
	git config --global bpfdigest.inbox "$PWD/inbox"
'

test_expect_success 'daily: a real day in the layout of the seed' '
	git bpfdigest daily --date=$DAY >day &&
	check_shape day &&
	head -n 1 day | grep "^Activity on June 3rd was dominated by Luis Gerhorst.s v4 series \"bpf: Mitigate Spectre v1 using barriers\" (9 patches), which " &&
	git bpfdigest --format=json daily --date=$DAY >day.json &&
	check_facts day.json $(date -d 2025-06-03Z +%s) $(date -d 2025-06-04Z +%s)
'

test_expect_success 'weekly: a real week, one entry per series, byte-identical again' '
	git bpfdigest weekly --week=$WEEK >week &&
	check_shape week &&
	head -n 1 week | grep "^The week of June 2-8 was dominated by " &&
	git bpfdigest --format=json weekly --week=$WEEK >week.json &&
	git bpfdigest --format=json weekly --week=$WEEK >again.json &&
	test_cmp week.json again.json &&
	check_facts week.json $(date -d 2025-06-02Z +%s) $(date -d 2025-06-09Z +%s) &&
	# Blake Jones posted v2 and v3 that week: only v3 is highlighted.
	grep -c "^libbpf: add support for printing BTF character arrays as strings$" week >n &&
	echo 1 >one && test_cmp one n &&
	grep "replacing v2 of June 3" week
'

test_expect_success 'monthly: counts in the overview, facts of every series of the month' '
	git bpfdigest monthly --month=$MONTH >month &&
	check_shape month &&
	head -n 1 month | grep -E "^June 2025 brought [0-9]+ patches across [0-9]+ series from [0-9]+ authors" &&
	test $(( ($(wc -l <month.seed) - 2) / 2 )) = 12 &&
	git bpfdigest --format=json monthly --month=$MONTH --limit=1000 >month.json &&
	check_facts month.json $(date -d 2025-06-01Z +%s) $(date -d 2025-07-01Z +%s) &&
	python3 -c "import json,sys; d=json.load(open(\"month.json\")); sys.exit(not 12 < len(d[\"entries\"]) <= d[\"stats\"][\"series\"])"
'

test_expect_success 'bpfdigest.attention=false: the seed shape alone, nothing after the entries' '
	git -c bpfdigest.attention=false bpfdigest weekly --week=$WEEK >plain &&
	test_cmp week.seed plain &&
	git -c bpfdigest.attention=false bpfdigest --format=json weekly --week=$WEEK >plain.json &&
	python3 -c "import json,sys; d=json.load(open(\"plain.json\")); sys.exit(not (d[\"applied_this_period\"] is None and d[\"attention\"] == []))" &&
	test_expect_code 128 git -c bpfdigest.attention=maybe bpfdigest weekly --week=$WEEK 2>err &&
	grep "bpfdigest.attention" err
'

test_expect_success 'reviews, revisions and links are stated' '
	grep "Acked by Kumar Kartikeya Dwivedi" day &&
	grep "replacing v3 of May 1: remove insn parameter from do_check_insn()" day &&
	grep "<https://lore.kernel.org/all/20250603205800.334980-2-luis.gerhorst@fau.de/>" day &&
	grep "Superseded by v3 of June 10" week
'

test_expect_success 'digest --since --until and weekly agree on the same days' '
	git bpfdigest digest --since=2025-06-02 --until=2025-06-09 >range &&
	head -n 1 range | grep "^The period of June 2-8 was dominated by " &&
	sed 1d range >range.rest && sed 1d week >week.rest &&
	test_cmp week.rest range.rest
'

test_expect_success 'weekly defaults to the last complete week before SOURCE_DATE_EPOCH' '
	SOURCE_DATE_EPOCH=$(date -d 2025-06-11T12:00Z +%s) git bpfdigest weekly >w &&
	tail -n 1 w | grep -x "Generated 2025-06-11T12:00:00Z" &&
	sed "\$d" w >w.rest && sed "\$d" week >week.rest && test_cmp week.rest w.rest
'

test_expect_success '--tz moves the boundaries of the day' '
	git bpfdigest --tz=America/Los_Angeles --format=json daily --date=$DAY >la.json &&
	grep "\"start\": \"2025-06-03T07:00:00Z\"" la.json &&
	! test_cmp day.json la.json
'

test_expect_success '--limit bounds the entries' '
	git bpfdigest weekly --week=$WEEK --limit=2 >two &&
	seed_part two >two.seed &&
	test $(wc -l <two.seed) = 6 &&
	head -n 5 two >two.head && head -n 5 week >week.head && test_cmp week.head two.head &&
	test_expect_code 129 git bpfdigest weekly --limit=0 &&
	test_expect_code 129 git bpfdigest weekly --limit=x
'

test_expect_success 'an empty period names the list of the archive (its List-Id) and the period' '
	git bpfdigest digest --since=2010-01-01 --until=2010-01-02 >empty &&
	cat >expect <<-\EOF &&
	No patches were submitted to linux-kselftest@vger.kernel.org on January 1, 2010.
	Applied this period: 0 series to bpf-next, 0 to bpf
	Generated 2025-06-09T00:00:00Z
	EOF
	test_cmp expect empty
'

test_expect_success 'a day with only replies is an empty digest; bpfdigest.list names the list' '
	git -c bpfdigest.list=bpf@vger.kernel.org bpfdigest --format=json daily --date=2024-01-10 >replies.json &&
	python3 -c "import json,sys; d=json.load(open(\"replies.json\")); sys.exit(not (d[\"stats\"][\"messages\"] >= 3 and d[\"entries\"] == [] and d[\"list\"] == \"bpf@vger.kernel.org\" and d[\"overview\"] == \"No patches were submitted to bpf@vger.kernel.org on January 10, 2024.\"))"
'

test_expect_success 'a day with one pull request' '
	git bpfdigest daily --date=2019-11-26 >pull &&
	cat >expect <<-\EOF &&
	Activity on November 26th consisted of Kees Cook'"'"'s pull request "seccomp updates for v5.5-rc1".
	seccomp updates for v5.5-rc1
	EOF
	head -n 2 pull >actual &&
	test_cmp expect actual &&
	sed -n 3p pull | grep "^Please pull these seccomp updates for v5.5-rc1\. .* It is a pull request by Kees Cook\. <https"
'

test_expect_success 'or the list from the public-inbox configuration of the inbox' '
	git config -f pi-config publicinbox.bpf.inboxdir "$PWD/inbox" &&
	git config -f pi-config publicinbox.bpf.address bpf@vger.kernel.org &&
	PI_CONFIG=$PWD/pi-config git bpfdigest --inbox=inbox daily --date=2024-01-10 >l2 &&
	head -n 1 l2 | grep -x "No patches were submitted to bpf@vger.kernel.org on January 10, 2024."
'

test_expect_success 'json: the digest shape of DESIGN.md' '
	python3 - week.json <<-\EOF
	import json, re, sys
	d = json.load(open(sys.argv[1]))
	iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
	assert d["version"] == 1 and isinstance(d["list"], str)
	assert d["period"] == {"kind": "weekly", "start": "2025-06-02T00:00:00Z",
	                       "end": "2025-06-09T00:00:00Z", "tz": "UTC"}, d["period"]
	assert d["generated"] == "2025-06-09T00:00:00Z" and d["overview"]
	assert set(d["stats"]) == {"messages", "patches", "series", "authors", "applied"}
	assert all(isinstance(v, int) for v in d["stats"].values())
	for e in d["entries"]:
	    assert set(e) >= {"title", "summary", "m", "url", "series", "reviews", "applied", "superseded_by"}
	    assert e["url"] == "https://lore.kernel.org/all/%s/" % e["m"]
	    s = e["series"]
	    assert isinstance(s["version"], int) and isinstance(s["total"], int) and isinstance(s["position"], int)
	    assert s["cover"] is None or isinstance(s["cover"], str)
	    assert isinstance(s["rfc"], bool) and isinstance(s["resend"], bool)
	    assert set(s["author"]) == {"name", "email"}
	    assert all(iso.match(r["date"]) and isinstance(r["version"], int) for r in s["revisions"])
	    assert all(set(r) == {"trailer", "name", "email"} for r in e["reviews"])
	    # Outside a repository only the pw-bot notices of the archive say what was applied.
	    assert all(set(a) == {"commit", "method", "tree", "source", "changes"} and a["changes"] is None
	               for a in e["applied"])
	    assert all(set(a) == {"commit", "position", "tree", "source"} for a in e["revision_applied"])
	    assert all(a["source"] == "pwbot" and re.match(r"^[0-9a-f]{7,40}$", a["commit"])
	               for a in e["applied"] + e["revision_applied"])
	    assert e["superseded_by"] is None or isinstance(e["superseded_by"]["version"], int)
	EOF
'

test_expect_success 'markdown: a heading, the overview, a linked section per entry' '
	git bpfdigest --format=markdown weekly --week=$WEEK >week.md &&
	head -n 1 week.md | grep -x "# \\\\\[linux-kselftest digest\\\\\] week 2025-W23" &&
	test $(grep -c "^## \[.*\](https://lore.kernel.org/all/.*/)$" week.md) = $(( ($(wc -l <week.seed) - 2) / 2 )) &&
	tail -n 1 week.md | grep -x "Generated 2025-06-09T00:00:00Z"
'

test_expect_success 'mbox: one message that git mailsplit and mailinfo read back' '
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL &&
		git -c bpfdigest.list=bpf@vger.kernel.org -c user.name="Jane Maintainer" \
			-c user.email=jane@example.org bpfdigest --format=mbox weekly --week=$WEEK
	) >week.mbox &&
	mkdir split &&
	git mailsplit -osplit week.mbox >count &&
	echo 1 >one && test_cmp one count &&
	git mailinfo -k msg patch <split/0001 >info &&
	grep -x "Subject: \[bpf digest\] week 2025-W23" info &&
	grep -x "Author: Jane Maintainer" info &&
	grep -x "Email: jane@example.org" info &&
	grep "^The week of June 2-8 was dominated by" msg &&
	grep "^Generated 2025-06-09T00:00:00Z$" msg &&
	grep -x "To: bpf@vger.kernel.org" week.mbox &&
	! awk "length > 78 && / /" msg | grep .
'

test_done
