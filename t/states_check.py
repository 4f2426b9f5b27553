#!/usr/bin/env python3
"""t8000: review states in series JSON against the raw archive.

Reads all.json (series --all --format=json) and every message blob of the
inbox's git repositories; every human reply with its own "pw-bot: cr" (or
changes-requested) line, or a Nacked-by: trailer, that answers a patch or
cover of a latest revision must give that revision such a state (or a
stronger one).  Prints the counts.
"""
import email, email.policy, json, re, subprocess, sys, glob

STRONGER = {"changes-requested": ["changes-requested", "nacked", "superseded",
                                  "partially-applied", "applied"],
            "nacked": ["nacked", "superseded", "partially-applied", "applied"]}
CR = re.compile(r"^\s*pw-bot:\s*(cr|changes-requested)\s*$", re.M | re.I)
NAK = re.compile(r"^Nacked-by:.*<[^>]+>", re.M | re.I)

def blobs(gitdir):
    ids = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "--batch-all-objects",
                          "--batch-check=%(objectname) %(objecttype)"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    want = "".join(l.split()[0] + "\n" for l in ids if l.endswith(" blob"))
    out = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "--batch"], input=want.encode(),
                         capture_output=True, check=True).stdout
    i = 0
    while i < len(out):
        nl = out.index(b"\n", i)
        size = int(out[i:nl].split()[2])
        yield out[nl + 1:nl + 1 + size]
        i = nl + 1 + size + 1

def text_of(msg):
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            try:
                return part.get_content()
            except Exception:
                return part.get_payload(decode=True).decode("utf-8", "replace")
    return ""

def mid(v):
    return (v or "").strip().strip("<>")

latest = {}
for s in json.load(open("all.json"))["series"]:
    r = s["revisions"][-1]
    for p in ([r["cover"]] if r["cover"] else []) + r["patches"]:
        latest[p["m"]] = r
counts = {"changes-requested": 0, "nacked": 0}
bad = []
for gitdir in sorted(glob.glob(sys.argv[1] + "/git/*.git")):
    for raw in blobs(gitdir):
        low = raw.lower()
        if b"pw-bot" not in low and b"nacked-by" not in low:
            continue
        m = email.message_from_bytes(raw, policy=email.policy.default)
        frm = str(m.get("From", "")).lower()
        if "bot" in frm or "robot" in frm:
            continue
        parent = mid(str(m.get("In-Reply-To", "")).split()[0] if m.get("In-Reply-To") else "")
        if parent not in latest:
            continue
        body = "\n".join(l for l in text_of(m).split("\n") if not l.startswith(">"))
        for state, pat in (("changes-requested", CR), ("nacked", NAK)):
            if pat.search(body):
                counts[state] += 1
                if latest[parent].get("state") not in STRONGER[state]:
                    bad.append((state, mid(str(m.get("Message-ID"))), latest[parent].get("state")))
print("replies to latest revisions: %d pw-bot: cr, %d Nacked-by"
      % (counts["changes-requested"], counts["nacked"]))
for b in bad:
    print("mismatch: %s in %s, revision is %s" % b)
sys.exit(1 if bad else 0)
