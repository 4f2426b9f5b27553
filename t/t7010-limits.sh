#!/bin/bash
test_description='what one hostile message or thread may cost is bounded, with a warning'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_command python3

# Each command here has this much CPU time (not wall time, which a busy
# machine stretches): the linear work takes a second or two, six with
# the sanitizers; before, a flat thread of acks took 30 s and a big
# series 200 s.  Under valgrind everything is some 50 times slower.
LIMIT=20
test -z "$BPFDIGEST_TEST_VALGRIND" || LIMIT=1200

# cpu_limited CMD...: run CMD, killed (SIGXCPU) past LIMIT seconds of CPU.
cpu_limited() {
	(ulimit -t $LIMIT && exec "$@")
}

# mail FILE MID [HEADERS...]: write a small mail with extra header lines.
mail() {
	file=$1 mid=$2
	shift 2
	{
		printf 'Message-ID: <%s>\nFrom: A <a@example.org>\n' "$mid"
		printf 'Date: Mon, 6 Apr 2026 10:00:00 +0000\n'
		for h in "$@"; do printf '%s\n' "$h"; done
		printf 'Subject: [PATCH] mail %s\n\nbody\n' "$mid"
	} >"$file"
}

# rss_kb FILE: the maximum resident set size /usr/bin/time wrote to FILE.
rss_kb() {
	sed -n 's/^rss \([0-9]*\)$/\1/p' "$1"
}

test_expect_success 'a message over bpfdigest.maxMessageSize is skipped unread, with a warning' '
	git init -q --bare small/git/0.git &&
	inbox_add small/git/0.git 1 &&
	{ inbox_message 2 && head -c 200000 /dev/zero | tr "\0" "x" && echo; } |
		inbox_commit small/git/0.git m &&
	inbox_add small/git/0.git 3 &&
	git -c bpfdigest.maxMessageSize=100k bpfdigest --inbox=small update >out 2>err &&
	grep "^warning: .*small/git/0.git:[0-9a-f]*: a message of 200[0-9]* bytes is larger than bpfdigest.maxMessageSize (102400 bytes); skipped$" err &&
	grep "^warning: 1 of 3 messages read could not be parsed and were skipped$" err &&
	expect_counts "3 2 0 1 3 2 0 1" out &&
	rm -rf "$HOME/.cache" &&
	git -c bpfdigest.maxMessageSize=1m bpfdigest --inbox=small update >out 2>err &&
	test ! -s err &&
	expect_counts "3 3 0 0 3 3 0 0" out
'

test_skip_under_valgrind 'the default limit is 32 MiB, and a bigger message costs no memory' ||
test_expect_success 'the default limit is 32 MiB, and a bigger message costs no memory' '
	git init -q --bare big/git/0.git &&
	inbox_add big/git/0.git 1 &&
	{ inbox_message 2 && head -c 48000000 /dev/zero | tr "\0" "x" && echo; } |
		inbox_commit big/git/0.git m &&
	/usr/bin/time -f "rss %M" -o time.out git bpfdigest --inbox=big update >out 2>err &&
	grep "is larger than bpfdigest.maxMessageSize (33554432 bytes); skipped$" err &&
	expect_counts "2 1 0 1 2 1 0 1" out &&
	echo "max RSS $(rss_kb time.out) KiB" &&
	test "$(rss_kb time.out)" -lt 40000
'

test_expect_success 'the same in an mbox, a maildir and a lone file' '
	mail a.eml a@x &&
	mail b.eml b@x && head -c 70000 /dev/zero | tr "\0" "y" >>b.eml && echo >>b.eml &&
	mail c.eml c@x &&
	for f in a b c; do echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && cat $f.eml && echo; done >box &&
	mkdir -p md/cur md/new md/tmp &&
	cp a.eml md/cur/1.host && cp b.eml md/cur/2.host && cp c.eml md/cur/3.host &&
	(
		for loc in mboxrd:box maildir:md b.eml; do
			git -c bpfdigest.maxMessageSize=64k bpfdigest --inbox=$loc update >out 2>err &&
			grep "a message of 70[0-9]* bytes is larger than bpfdigest.maxMessageSize (65536 bytes); skipped$" err ||
			exit 1
		done
	) &&
	git -c bpfdigest.maxMessageSize=0 bpfdigest --inbox=b.eml update >out 2>err &&
	test ! -s err &&
	test_expect_code 128 git -c bpfdigest.maxMessageSize=-1 bpfdigest --inbox=b.eml update 2>err &&
	grep "^fatal: bad bpfdigest.maxMessageSize" err
'

test_expect_success 'a header line over 1 MiB is cut there' '
	python3 -c "
import sys
sys.stdout.write(\"Message-ID: <long@x>\nFrom: A <a@example.org>\nDate: Mon, 6 Apr 2026 10:00:00 +0000\n\")
sys.stdout.write(\"Subject: [PATCH] \" + \"word \" * 600000 + \"\n\")
sys.stdout.write(\"X-Junk: \" + \"j\" * 3000000 + \"\n\nbody\n\")
" >long.eml &&
	cpu_limited git bpfdigest --inbox=long.eml series --all >out 2>err &&
	grep "^warning: .*long.eml: message .long@x.: a header line longer than 1 MiB was cut$" err &&
	grep "^warning: 1 of 1 messages read went over a limit and were cut$" err &&
	title=$(sed -n "1p" out) &&
	test ${#title} -gt 1000000 && test ${#title} -le 1048576
'

test_expect_success 'MIME nested deeper than 16 levels: the deeper parts are skipped' '
	python3 -c "
import sys
w = sys.stdout.write
w(\"Message-ID: <deep@x>\nFrom: A <a@example.org>\nDate: Mon, 6 Apr 2026 10:00:00 +0000\nSubject: [PATCH] deep\n\")
depth = 5000
w(\"Content-Type: multipart/mixed; boundary=b0\n\n\")
for i in range(depth):
    w(\"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n\" % (i, i + 1))
w(\"--b%d\nContent-Type: text/plain\n\nthe innermost text\n\" % depth)
for i in range(depth, -1, -1):
    w(\"--b%d--\n\" % i)
" >deep.eml &&
	cpu_limited git bpfdigest --inbox=deep.eml update >out 2>err &&
	grep "^warning: .*deep.eml: message .deep@x.: MIME parts nested deeper than 16 levels were skipped$" err &&
	expect_counts "1 1 0 1 1 1 0 0" out
'

test_expect_success 'References naming 10,000 messages: the root and the newest are kept' '
	python3 -c "
import sys
w = sys.stdout.write
w(\"From mboxrd@z Thu Jan  1 00:00:00 1970\n\")
w(\"Message-ID: <root@x>\nFrom: A <a@example.org>\nDate: Mon, 6 Apr 2026 10:00:00 +0000\nSubject: [PATCH] root\n\nbody\n\n\")
w(\"From mboxrd@z Thu Jan  1 00:00:00 1970\n\")
refs = \" \".join([\"<root@x>\"] + [\"<missing%d@x>\" % i for i in range(9998)] + [\"<newest@x>\"])
w(\"Message-ID: <reply@x>\nFrom: B <b@example.org>\nDate: Mon, 6 Apr 2026 11:00:00 +0000\nSubject: Re: [PATCH] root\nReferences: %s\n\nAcked-by: B <b@example.org>\n\n\" % refs)
" >refs.mbox &&
	cpu_limited git bpfdigest --inbox=mboxrd:refs.mbox series --all >out 2>err &&
	grep "^warning: .*refs.mbox:[0-9]*: message .reply@x.: References names more than 1000 messages: the first and the newest 999 were kept$" err &&
	grep "1 reply" out &&
	grep "Acked-by: B <b@example.org>" out
'

# thread N SHAPE: an mbox of one thread of N messages.
#   flat    a patch and N-1 replies to it, each with an Acked-by of its own
#   chain   the same, each reply answering the one before
#   series  one series of N patches, sent in reverse order
thread() {
	python3 - "$@" <<-\EOF
	import sys
	n, shape = int(sys.argv[1]), sys.argv[2]
	w = sys.stdout.write
	def msg(mid, parent, who, subject, body, t):
	    w("From mboxrd@z Thu Jan  1 00:00:00 1970\n")
	    w("Message-ID: <%s@x>\nFrom: %s <%s@example.org>\n" % (mid, who, who.lower()))
	    w("Date: Mon, 6 Apr 2026 %02d:%02d:%02d +0000\n" % (t // 3600 % 24, t // 60 % 60, t % 60))
	    if parent:
	        w("In-Reply-To: <%s@x>\nReferences: <m0@x> <%s@x>\n" % (parent, parent))
	    w("Subject: %s\n\n%s\n\n" % (subject, body))
	diff = "Signed-off-by: A <a@example.org>\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b"
	if shape == "series":
	    for i in range(n, 0, -1):
	        msg("m%d" % (i - 1), "m0" if i > 1 else None, "A",
	            "[PATCH bpf-next %d/%d] bpf: Part %d" % (i, n, i), "Part %d.\n\n%s" % (i, diff), i)
	else:
	    msg("m0", None, "A", "[PATCH bpf-next] bpf: A patch everyone acks", "A patch.\n\n" + diff, 0)
	    for i in range(1, n):
	        parent = "m0" if shape == "flat" or i == 1 else "m%d" % (i - 1)
	        msg("m%d" % i, parent, "P%d" % i, "Re: [PATCH bpf-next] bpf: A patch everyone acks",
	            "> A patch.\n\nAcked-by: P%d <p%d@example.org>" % (i, i), i)
	EOF
}

test_expect_success 'a thread of 100,000 replies, flat or chained: one patch, every ack' '
	thread 100000 flat >flat.mbox &&
	thread 100000 chain >chain.mbox &&
	(
		for shape in flat chain; do
			cpu_limited git bpfdigest --inbox=mboxrd:$shape.mbox series --all >$shape.out 2>err &&
			test ! -s err &&
			grep -c "^        Acked-by: P[0-9]* <p[0-9]*@example.org>$" $shape.out >count &&
			echo 99999 >expect && test_cmp expect count &&
			grep "99999 replies" $shape.out || exit 1
		done
	)
'

test_expect_success 'a series of 100,000 patches sent backwards: in order, summarised' '
	thread 100000 series >series.mbox &&
	cpu_limited git bpfdigest --inbox=mboxrd:series.mbox series --all --format=json >series.json 2>err &&
	test ! -s err &&
	python3 -c "
import json, sys
s = json.load(open(\"series.json\"))[\"series\"]
assert len(s) == 1, len(s)
p = s[0][\"revisions\"][0][\"patches\"]
assert [x[\"position\"] for x in p] == list(range(1, 100001)), \"out of order\"
assert all(x[\"summary\"] for x in p)
"
'

test_done
