#!/bin/bash
test_description='summaries of every weekly digest of 2024-2025: no junk, 3 to 5 sentences'
. "${0%/*}/test-lib.sh"

test_require_corpus
test_require_command python3

# The junk classes of issue 19 as rules.
CHECKER="$TEST_DIRECTORY/summary-junk.py"

test_expect_success 'the checker knows every junk class of the corpus' '
	# Sentences of the summaries of 2024-2025 before the prose stage (issue 19).
	python3 - >junk.json <<-\PY &&
	import json
	junk = [
	    "Move code into do_check_insn(), replace.",
	    "The value is made by embedding the cpu info into the high 32 bits of.",
	    "cases, reject loading directly.",
	    "should have no conflict since they are in different namespaces.",
	    "verifier bug: REG INVARIANTS VIOLATION (true_reg1): range bounds violation var_off=(0x0, 0x0).",
	    "make: Entering directory \x27/linux-kselftest/tools/testing/selftests\x27 make: Leaving directory.",
	    "Map successfully created with ID: 15.",
	    "sudo hwstamp_ctl -i eth0 -t 1.",
	    "listen(fd, 0 /* backlog */) can be used to enforce syncookie.",
	    "long bpf_probe_read_kernel_dynptr(const struct bpf_dynptr *dst.",
	    "It is patch 6/14 of Mina Almasry\x27s v10 series \"Device Memory TCP\" for net-next, replacing v9 of May 10: ====.",
	    "It is patch 1/13 of X\x27s v3 series for bpf-next, replacing v2 of May 2: fix the build (\"selftests/bpf.",
	    "Hi, fix some spelling errors in bpftool, the details are as follows.",
	    "For now, raw_spinlock is used during adding, which can lead to deadlock, as described.",
	    "The most notable differences with the old test are the following.",
	    "Thanks Al, Alexei, and Kees :).",
	    "Hi there, I have explicitly disabled mptpcp by default on my custom kernel.",
	    "This patch fixes this by implementing the necessary changes.",
	    "this patch series adds support for nested seccomp listeners.",
	    "when TCP over IPv4 via INET6 API, bpf_get/setsockopt with ipv4 will fail.",
	    "No functional changes.",
	]
	good = "Adds widget maps. Maps of widgets cannot be created today. It is a standalone patch by Jane Dev."
	entries = [{"m": "good@x", "summary": good}]
	entries += [{"m": "junk%d@x" % i, "summary": "Adds widget maps. %s It is a standalone patch by Jane Dev." % s}
	            for i, s in enumerate(junk)]
	print(json.dumps({"entries": entries}))
	PY
	python3 "$CHECKER" junk.json >out &&
	head -n 1 out >figures &&
	echo "entries=22 junk=21 outside=0" >expect &&
	test_cmp expect figures
'

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	git config --global bpfdigest.inbox "$PWD/inbox"
'

test_expect_success 'every weekly entry of 2024-2025: no junk, 3-5 sentences, sentences with their source' '
	test_weekly_json &&
	python3 "$CHECKER" 20*.json >report &&
	cat report &&
	read entries junk outside <<-EOT &&
	$(head -n 1 report | sed "s/[a-z]*=//g")
	EOT
	test "$entries" -ge 600 &&
	test "$junk" = 0 &&
	test $((outside * 100)) -le "$entries" &&
	# Each summary comes as its sentences too, each with its Message-ID and part.
	python3 - 20*.json <<-\PY
	import json, sys
	bad = 0
	for f in sys.argv[1:]:
	    for e in json.load(open(f))["entries"]:
	        ss = e.get("sentences")
	        if not ss or " ".join(s["text"] for s in ss) != e["summary"]:
	            bad += 1; print("sentences of %s do not make its summary" % e["m"]); continue
	        for s in ss:
	            if not s.get("m") or s.get("part") not in ("subject", "commit-message", "cover", "changelog", "facts"):
	                bad += 1; print("bad provenance in %s: %r" % (e["m"], s))
	sys.exit(1 if bad else 0)
	PY
'

test_done
