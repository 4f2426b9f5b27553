#!/usr/bin/env python3
"""unchanged_check.py ALL.JSON WORKDIR MBOX...: check "unchanged_since" against git.

ALL.JSON is "series --all --format=json"; each MBOX is what
"series --all --format=mbox --revision=N" wrote for one N.  Each message
goes through "git mailinfo" (into WORKDIR), and its diff gets its own
"From <40 hex>" line, so that one run of "git patch-id --stable" names
the patch-id of every message; the Message-ID is read from the message.

Then, for every two consecutive full revisions of a series, and every
position both hold where git found a patch-id for both patches (b4's
"unchanged" marker):
  - equal patch-ids: the later patch's unchanged_since is the earlier's
    (the chain continues), and at most the earlier's version;
  - different ones: the later patch's unchanged_since is its own version.
Prints the counts; exits 1 on any disagreement.
"""
import json
import os
import re
import subprocess
import sys


def mboxrd_messages(path):
    """The messages of an mboxrd, as lists of lines (From_ line dropped)."""
    msgs, cur = [], None
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From mboxrd@z "):
                cur = []
                msgs.append(cur)
            elif cur is not None:
                cur.append(line)
    return msgs


def message_id(lines):
    for i, line in enumerate(lines):
        if line in (b"\n", b"\r\n"):
            break
        if line[:11].lower() == b"message-id:":
            value = line[11:]
            # A folded header goes on on the next lines.
            for nxt in lines[i + 1:]:
                if nxt[:1] not in (b" ", b"\t"):
                    break
                value += nxt
            m = re.search(rb"<([^>]+)>", value)
            return (m.group(1) if m else value.strip()).decode("utf-8", "replace")
    return None


def headers(lines):
    out = []
    for line in lines:
        if line in (b"\n", b"\r\n"):
            break
        out.append(line.lower())
    return b"".join(out)


def patch_ids(paths, workdir):
    """Message-ID -> patch-id, as git mailinfo and git patch-id --stable see it."""
    mids, raw = [], {}
    os.makedirs(workdir, exist_ok=True)
    for path in paths:
        for lines in mboxrd_messages(path):
            mid = message_id(lines)
            if not mid:
                continue
            mids.append(mid)
            # mboxrd quoting undone, as git am --patch-format=mboxrd does.
            lines = [re.sub(rb"^>(>*From )", rb"\1", l) for l in lines]
            h = headers(lines)
            if re.search(rb"content-transfer-encoding:\s*(quoted-printable|base64)|"
                         rb"content-type:\s*multipart", h):
                with open(os.path.join(workdir, "%d" % len(mids)), "wb") as f:
                    f.writelines(lines)
            else:
                raw[len(mids)] = lines[len(h.splitlines()):]
    # An encoded or multipart mail goes through git mailinfo, which decodes
    # it as git am would and writes its diff alone, two at a time; a mail
    # git am would refuse ("cannot convert from y to UTF-8") has no id.
    # Plain mails are given to git patch-id as they are.
    subprocess.run("ls | grep -v patch | xargs -r -P2 -n64 sh -c "
                   "'for f; do git mailinfo /dev/null $f.patch <$f >/dev/null 2>&1 || "
                   "rm -f $f.patch; done' -", shell=True, cwd=workdir, check=True)
    chunks = []
    for i in range(1, len(mids) + 1):
        path = os.path.join(workdir, "%d.patch" % i)
        if i in raw:
            text = raw[i]
        elif os.path.exists(path):
            with open(path, "rb") as f:
                text = f.read().splitlines(True)
        else:
            continue
        chunks.append(b"From %040x Mon Sep 17 00:00:00 2001\n\n" % i)
        # A "commit <hex>" or "From <hex>" line of the log would start
        # another patch for git patch-id: it gets a space in front.
        chunks.extend(b" " + l if re.match(rb"(commit|From) [0-9a-f]{40}", l) else l
                      for l in text)
    out = subprocess.run(["git", "patch-id", "--stable"], input=b"".join(chunks),
                         stdout=subprocess.PIPE, check=True).stdout
    ids = {}
    for line in out.decode().splitlines():
        pid, commit = line.split()
        ids[mids[int(commit, 16) - 1]] = pid
    return ids


def main():
    series = json.load(open(sys.argv[1]))["series"]
    ids = patch_ids(sys.argv[3:], sys.argv[2])
    same = differ = chained = bad = 0
    for s in series:
        full = [r for r in s["revisions"] if not r["partial_of"]]
        for prev, cur in zip(full, full[1:]):
            old = {p["position"]: p for p in prev["patches"]}
            for p in cur["patches"]:
                o = old.get(p["position"])
                if not o or p["m"] not in ids or o["m"] not in ids:
                    continue
                where = "%s v%d patch %d" % (s["title"], cur["version"], p["position"])
                if ids[p["m"]] == ids[o["m"]]:
                    same += 1
                    if p["unchanged_since"] != o["unchanged_since"] or \
                       (p["unchanged_since"] or 0) > prev["version"]:
                        bad += 1
                        print("unchanged by git, not by us: %s: since %s, v%d since %s" %
                              (where, p["unchanged_since"], prev["version"],
                               o["unchanged_since"]))
                    elif p["unchanged_since"] < prev["version"]:
                        chained += 1
                else:
                    differ += 1
                    if p["unchanged_since"] != cur["version"]:
                        bad += 1
                        print("changed by git, not by us: %s: since %s" %
                              (where, p["unchanged_since"]))
    print("patches compared with their previous revision: %d unchanged (%d since an "
          "earlier one), %d changed, %d disagree" % (same, chained, differ, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
