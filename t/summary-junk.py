#!/usr/bin/env python3
# summary-junk.py <digest.json>...: the junk classes of issue 19 as rules.
#
# Every entry's summary is cut into sentences; a sentence that matches a
# rule is junk (a list cut at its colon, a continuation line, a log, a
# shell line, program output, code, an underline, a changelog item cut at
# a wrapped line, a dangling reference, a greeting or thanks, an empty
# sentence, a lowercase start).  Prints the figures on one line:
#   entries=N junk=J outside=O
# (J entries with a junk sentence, O entries outside 3-5 sentences), then
# each junk sentence ("junk <rule> <mid>: <sentence>") and, with -v, each
# entry outside 3-5 sentences.  Exits 0; the caller judges the figures.
import json
import re
import sys

# Where a sentence ends: as the end-to-end tests count them.
END = re.compile(r"(?<!\b[A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?](?:[\"')\]]*\s+(?=[A-Z\"(])|\s+(?=[a-z])|[\"')\]]*$)")

# Words a sentence does not end on: its list or its object was cut off.
DANGLING_LAST = set("""the a an of to and or with into by in on at
than via are be were these those its their our such e.g i.e which when where
while because if""".split())

# Lowercase names that open kernel sentences as they are ("bpftool is ...").
LOWER_NAMES = set("""bpftool libbpf bpftrace perf syzbot veristat kfunc kfuncs
xdp tc git gcc clang pahole ftrace kprobes kprobe uprobes uprobe fentry fexit
cgroup cgroups sockmap selftests selftest iproute ethtool strace gdb objtool
resolve_btfs lld llvm runqslower tcpdump strnstr sizeof rxq sparse smatch cpumap devmap xskmap bpffs sysfs procfs
debugfs tracefs kselftest vmlinux glibc musl rustc cargo make kbuild kconfig
nft iptables nftables libxdp lsm systemd dwarves crash""".split())

# Words that open English sentences mid-thought ("should have no conflict ...").
ENGLISH = set("""a after all also although an and another any are as at because before
both but by can cannot cases could currently each either even every first for from
given having here however if in instead is it its many may might more most must no
not now of on once one only or other otherwise our rather second set should since so
some such that the their then there these they this those though thus to today under
unless until upon we what when where whether which while why will with without would
you add fix remove use make move allow avoid check drop ensure handle introduce let
replace return skip support update""".split())

RULES = [
    ("log", re.compile(r"\b(?:var_off|umin|umax|smin|smax|u32_min|s32_min)=|"
                       r"REG INVARIANTS|verifier bug:|make(?:\[\d+\])?: (?:Entering|Leaving|\*\*\*)|"
                       r"^\[\s*\d+\.\d+\]|Call Trace|\bRIP: |\+0x[0-9a-f]+/0x[0-9a-f]+|"
                       r"^(?:BUG|WARNING|Oops|KASAN|UBSAN):|\bkernel: \[|\bsegfault at\b")),
    ("shell", re.compile(r"^(?:sudo|\$|#|\./|cd|echo|cat|insmod|modprobe|ip link|bpftool prog|"
                         r"bpftool map)\s|^\w[\w-]* (?:-\w+ \S+ ){2,}")),
    ("output", re.compile(r"successfully created with ID|\bwith ID: \d+|^(?:ok|not ok) \d+|"
                          r"^#\d+\s|\bPASS\b.*\bFAIL\b|\bSUCCESS!|^Summary: \d+")),
    ("code", re.compile(r"/\*\s|\s\*/|;\s*$|\w\+\+;|\w=\w+;\s|\{\s|\s\}|[{}]\.?$|\*\w+\.$|^\s*#(?:include|define)|"
                        r"\b(?:int|void|char|struct \w+) \*\w+[,)]|\breturn -E[A-Z]+;")),
    ("underline", re.compile(r"={3,}|-{4,}|~{3,}|_{4,}|\*{3,}")),
    ("dangling-reference", re.compile(r"\b(?:as follows|the following|as described|are the following|"
                                      r"as below|shown below|see below|listed below|the details are|"
                                      r"described below)[.:]?[\"')]*$", re.I)),
    ("greeting", re.compile(r"^(?:Hi|Hello|Dear|Hey|Greetings|Cheers|Regards|Best regards)\b|"
                            r"^Thanks?\b(?! to )|\bThank you\b|:\)|:-\)|;\)", re.I)),
    ("empty", re.compile(r"\bthe necessary changes\b|^This (?:patch|commit|change|series) "
                         r"(?:fixes|addresses|solves|resolves|handles) (?:this|it|that|the (?:issue|problem))"
                         r"\.$|^No (?:major |functional )?changes?\.$|^None\.$", re.I)),
    ("backport-header", re.compile(r"\[ ?Upstream commit|^commit [0-9a-f]{12,} upstream", re.I)),
]


def balanced(s):
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth = []
    for c in s:
        if c in pairs:
            depth.append(pairs[c])
        elif c in pairs.values():
            if not depth:
                return False
            want = depth.pop()
            if want != c and not (want == "]" and c == ")"):  # "[0, n)" is a range
                return False
    return not depth and s.count('"') % 2 == 0


def sentences(summary):
    out, start = [], 0
    for m in END.finditer(summary):
        out.append(summary[start:m.end()].strip())
        start = m.end()
    if summary[start:].strip():
        out.append(summary[start:].strip())
    return out


def junk(s):
    """The rule s breaks, or None."""
    for name, rx in RULES:
        if rx.search(s):
            return name
    words = re.findall(r"[\w.'-]+", s)
    if len(words) < 2 or (len(words) == 2 and words[1].lower().rstrip(".") in
                          ("it", "them", "this", "these", "that", "those")):
        return "empty"
    body = s.rstrip(".!?\"')")
    last = re.findall(r"[\w.]+$", body)
    if last and last[0].rstrip(".") in DANGLING_LAST:
        return "cut-list"
    # "Move code into do_check_insn(), replace.": a list cut after its verb.
    if re.search(r", [a-z]+\.$", s) and s.count(",") < 2 and not re.search(r", (?:too|etc|respectively|instead|though|"
                                                        r"however|again|first|later|too|as well)\.$", s):
        return "cut-list"
    if not balanced(s):
        return "cut-item"
    first = re.match(r"[a-z]+(?=[ ,])", s)
    if first and first.group(0) not in LOWER_NAMES and (first.group(0) in ENGLISH or
                                                        re.match(r"[a-z]+(?:s|ed|ing)$", first.group(0))):
        return "lowercase"
    return None


def main(argv):
    verbose = "-v" in argv
    files = [a for a in argv if a != "-v"]
    entries = bad = outside = 0
    lines = []
    for f in files:
        with open(f) as fh:
            d = json.load(fh)
        for e in d.get("entries", []):
            entries += 1
            ss = sentences(e.get("summary") or "")
            hit = [(junk(s), s) for s in ss]
            hit = [(r, s) for r, s in hit if r]
            if hit:
                bad += 1
                for r, s in hit:
                    lines.append("junk %s %s: %s" % (r, e.get("m"), s))
            if not 3 <= len(ss) <= 5:
                outside += 1
                if verbose:
                    lines.append("outside %d %s: %s" % (len(ss), e.get("m"), e.get("summary")))
    print("entries=%d junk=%d outside=%d" % (entries, bad, outside))
    for l in lines:
        print(l)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
