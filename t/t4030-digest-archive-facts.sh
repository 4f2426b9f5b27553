#!/bin/bash
test_description='every weekly digest of 2024-2025: applied, identity and posting facts hold'
. "${0%/*}/test-lib.sh"
test_require_corpus
test_require_command python3

export SOURCE_DATE_EPOCH=1767225600	# 2026-01-01T00:00:00Z

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git config --global bpfdigest.inbox "$PWD/inbox"
'

# Every ISO week of 2024 and 2025 (52 each), as JSON, every entry.
test_expect_success 'the weekly digests of 2024-2025' '
	test_weekly_json --limit=1000 &&
	test $(ls 202[45]-W*.json | wc -l) = 104
'

# The facts are checked against the archive itself (Python's email
# parser) and the corpus' own list of patchwork-bot notices.
test_expect_success 'every entry: pw-bot hash named, no self-replacement, one stable branch, a posting' '
	PYTHONPATH="$TEST_DIRECTORY" python3 - "$CORPUS/gold-pwbot.tsv" 202[45]-W*.json <<-\EOF
	import csv, email, email.header, json, re, subprocess, sys
	import archive_mail
	subject = {}
	for msg in archive_mail.messages("inbox/git/0.git"):
	    s = str(email.header.make_header(email.header.decode_header(msg["Subject"] or "")))
	    subject[archive_mail.message_id(msg)] = re.sub(r"\s+", " ", s)
	notices = {}
	for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
	    if r["in_bpf_list"] == "yes":
	        notices.setdefault(r["in_reply_to"], set()).add(r["hash"])
	def prefix(mid):
	    m = re.match(r"^((?:\s*\[[^\]]*\])+)", subject.get(mid, ""))
	    return m.group(1) if m else ""
	def stable(mid):
	    p = prefix(mid)
	    m = re.search(r"\bv?(\d+\.\d+)(?:\.y|\.x|-y|-stable)\b", p, re.I)
	    if m:
	        return m.group(1)
	    m = re.search(r"\b(AUTOSEL|stable)\b(?:\s+v?(\d+\.\d+))?", p, re.I)
	    return (m.group(1).upper(), m.group(2)) if m else None
	posting = re.compile(r"\b(PATCH\w*|RFC\w*|PULL|GIT PULL)\b|\b\d+/\d+\b", re.I)
	bad, entries, with_notice, named = [], 0, 0, 0
	for f in sys.argv[2:]:
	    for e in json.load(open(f))["entries"]:
	        entries += 1
	        s, where = e["series"], "%s %s" % (f, e["m"])
	        hashes = set().union(*(notices.get(k, set()) for k in (e["m"], s["cover"]) if k))
	        if hashes:
	            with_notice += 1
	            got = {a["commit"][:12] for a in e["applied"] + e["revision_applied"]}
	            if got & hashes:
	                named += 1
	            else:
	                bad.append("%s: pw-bot applied it as %s, the entry names %s" % (where, hashes, got))
	        m = re.search(r"replacing (RFC )?v(\d+) of", e["summary"])
	        if m and int(m.group(2)) == s["version"] and bool(m.group(1)) == s["rfc"]:
	            bad.append("%s replaces its own version: %s" % (where, m.group(0)))
	        branches = {stable(r["m"]) for r in s["revisions"]}
	        if len(branches) > 1:
	            bad.append("%s chains stable branches %s" % (where, branches))
	        own = prefix(e["m"]) + prefix(s["cover"] or "")
	        # A cover is never the highlighted patch; an unnumbered PATCHSET is a cover.
	        if re.search(r"PATCHSET", prefix(e["m"]), re.I) and not re.search(r"\b\d+/\d+\b", prefix(e["m"])):
	            bad.append("%s: a PATCHSET cover as an entry" % where)
	        if not s["pull"] and not posting.search(own) and not subject.get(e["m"], "").lower().startswith("pull-request"):
	            bad.append("%s is no posting: %r" % (where, subject.get(e["m"])))
	print("%d entries, %d whose revision has a pw-bot notice, %d of them name its hash" %
	      (entries, with_notice, named))
	print("\n".join(bad[:50]))
	sys.exit(1 if bad or not with_notice else 0)
	EOF
'

test_done
