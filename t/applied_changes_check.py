#!/usr/bin/env python3
"""applied_changes_check.py LINK.JSON SERIES.JSON MAP...: applied_changes against git.

LINK.JSON is "link --format=json <range>" in a mirror (libbpf), SERIES.JSON
"series --format=json" of the matched Message-IDs, MAP the mirror's
bpfdigest.pathMap values ("tools/lib/bpf/:src/").  Run in the mirror's
repository.  For every matched commit:
  - the posting (its own message, from "series --format=mbox", decoded by
    git mailinfo) is put into the mirror's paths, files it has not dropped;
  - git patch-id --stable of that and of "git show <commit>" are compared;
  - equal ids: applied_changes must be null; different ones: it must be
    what git's own two diffs say, per file: the changed lines (whitespace
    removed) the commit has more (added) and fewer (removed).
Prints the counts; exits 1 on any disagreement.
"""
import json
import re
import subprocess
import sys
from collections import Counter


def git(*args, data=None):
    return subprocess.run(["git"] + list(args), input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def mapped(patch, maps):
    """The diff in the mirror's paths, with only the files some map covers."""
    out, keep = [], False

    def path(p):
        best = None
        for src, dst in maps:
            if p.startswith(src) and (best is None or len(src) > len(best[0])):
                best = (src, dst)
        return best[1] + p[len(best[0]):] if best else None

    for line in patch.splitlines(True):
        m = re.match(rb"diff --git a/(\S+) b/(\S+)", line)
        if m:
            a, b = path(m.group(1).decode()), path(m.group(2).decode())
            keep = a is not None and b is not None
            if keep:
                line = ("diff --git a/%s b/%s\n" % (a, b)).encode()
        elif keep:
            m = re.match(rb"(---|\+\+\+) [ab]/(\S+)", line)
            if m:
                line = ("%s %s/%s\n" % (m.group(1).decode(), "a" if m.group(1) == b"---" else "b",
                                         path(m.group(2).decode()))).encode()
        if keep:
            out.append(line)
    return b"".join(out)


def patch_id(diff):
    out = git("patch-id", "--stable", data=b"From %s Mon Sep 17 00:00:00 2001\n\n" % (b"0" * 40) + diff)
    return out.split()[0] if out else None


def change_lines(diff):
    """path -> Counter of "+text"/"-text" (no whitespace), read by hunk counts."""
    files, path, left = {}, None, None
    for line in diff.decode("utf-8", "replace").splitlines():
        if left:
            if line.startswith("\\"):
                continue
            c = line[:1] or " "
            if c not in " +-":
                left = None
                continue
            left[0] -= c != "+"
            left[1] -= c != "-"
            if c != " ":
                files.setdefault(path, Counter())[c + re.sub(r"\s", "", line[1:])] += 1
            if left[0] <= 0 and left[1] <= 0:
                left = None
            continue
        m = re.match(r"diff --git a/\S+ b/(\S+)", line)
        if m:
            path = m.group(1)
            continue
        m = re.match(r"--- a/(\S+)", line)
        if m:
            path = m.group(1)
        m = re.match(r"\+\+\+ b/(\S+)", line)
        if m:
            path = m.group(1)
        m = re.match(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", line)
        if m:
            left = [int(m.group(1) or 1), int(m.group(2) or 1)]
    return files


def expected(posted, applied):
    p, a = change_lines(posted), change_lines(applied)
    files = []
    for path in sorted(set(p) | set(a)):
        added = sum((a.get(path, Counter()) - p.get(path, Counter())).values())
        removed = sum((p.get(path, Counter()) - a.get(path, Counter())).values())
        if added or removed:
            files.append({"path": path, "added": added, "removed": removed})
    return files


def posting(mid, version):
    mbox = subprocess.run(["git", "bpfdigest", "series", "--format=mbox", "--revision=%d" % version,
                           mid], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    for msg in re.split(rb"(?m)^From mboxrd@z .*\n", mbox)[1:]:
        head = msg.split(b"\n\n", 1)[0]
        if re.search(rb"(?im)^message-id:\s*<%s>" % re.escape(mid.encode()), head):
            msg = re.sub(rb"(?m)^>(>*From )", rb"\1", msg)
            subprocess.run(["git", "mailinfo", "/dev/null", "posted.patch"], input=msg,
                           stdout=subprocess.DEVNULL, check=True)
            return open("posted.patch", "rb").read()
    return None


def main():
    links = json.load(open(sys.argv[1]))["commits"]
    patches = {}
    for s in json.load(open(sys.argv[2]))["series"]:
        for r in s["revisions"]:
            for p in r["patches"]:
                patches[p["m"]] = (r["version"], p)
    maps = [tuple(m.split(":", 1)) for m in sys.argv[3:]]
    same = changed = bad = 0
    for c in links:
        version, p = patches[c["m"]]
        posted = posting(c["m"], version)
        if posted is None:
            continue
        posted = mapped(posted, maps)
        applied = git("show", "--format=", c["commit"])
        if patch_id(posted) == patch_id(applied):
            same += 1
            if p["applied_changes"] is not None:
                bad += 1
                print("same patch-id, yet changes: %s %s" % (c["commit"], p["applied_changes"]))
            continue
        changed += 1
        want = expected(posted, applied)
        got = p["applied_changes"]["files"] if p["applied_changes"] else []
        if got != want:
            bad += 1
            print("%s <%s>: git says %s, we say %s" % (c["commit"][:12], c["m"], want, got))
    print("matched commits: %d applied as posted, %d with changes, %d disagree" %
          (same, changed, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
