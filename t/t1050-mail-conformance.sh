#!/bin/bash
test_description='every mail read as git mailinfo and Python email read it, field by field'
. "${0%/*}/test-lib.sh"
test_require_corpus

# git mailinfo is one process a mail: on two loaded cores the 15,186 mails
# of the archive take two to three minutes, past this test's minute (the
# full run, measured once: 2m45s; every field >= 99.77% once the
# differences on purpose are counted, the lowest "git message").  So
# the archive is read at every STRIDE-th mail (BPFDIGEST_CONFORMANCE_STRIDE=1
# for all of them), the third-party test mails all.
STRIDE=${BPFDIGEST_CONFORMANCE_STRIDE:-6}
DUMP="$BUILD_DIR/bench/parse-mails"

# Each patchwork and b4 test mail into mails/, mboxes split by git
# mailsplit.  (Not patchwork/fuzz: fuzzed bytes, for t1030's no-crash test.)
split_test_mails() {
	n=0
	for f in "$CORPUS"/patchwork/mail/* "$CORPUS"/patchwork/series/* \
		 "$CORPUS"/b4/*.mbox; do
		case "$f" in *.md) continue ;; esac
		n=$((n + 1))
		rm -rf split && mkdir split || return 1
		if head -c 5 "$f" | grep "^From " >/dev/null; then
			# not an mbox to git: one mail, as git am would read it
			git mailsplit -osplit "$f" >/dev/null 2>&1 ||
			{ rm -f split/* && cp "$f" split/0001; } || return 1
		else
			cp "$f" split/0001 || return 1
		fi
		for m in split/*; do
			test -f "$m" || continue
			mv "$m" "mails/t$n-${m#split/}" || return 1
		done
	done
	rm -rf split
}

test_expect_success 'a patch sent on behalf: the in-body From: is the series author' '
	cat >behalf.mbox <<-\EOF &&
	From mboxrd@z Thu Jan  1 00:00:00 1970
	From: Send Er <sender@example.org>
	Subject: [PATCH bpf-next] bpf: fix the widget
	Message-ID: <behalf-1@example.org>
	Date: Mon, 6 Apr 2026 10:00:00 +0000

	From: Jane Author <jane@example.org>

	Fix the widget.

	Signed-off-by: Jane Author <jane@example.org>
	Signed-off-by: Send Er <sender@example.org>
	---
	diff --git a/x b/x
	--- a/x
	+++ b/x
	@@ -1 +1 @@
	-a
	+b

	EOF
	git bpfdigest --inbox=mboxrd:behalf.mbox series --no-summaries --format=json \
		behalf-1@example.org >out.json &&
	python3 -c "
import json, sys
s = json.load(open(\"out.json\"))
s = s[0] if isinstance(s, list) else s
s = s.get(\"series\", [s])[0] if \"series\" in s else s
a = s[\"author\"]
sys.exit(0 if (a[\"name\"], a[\"email\"]) == (\"Jane Author\", \"jane@example.org\") else 1)
"
'

test_expect_success 'the mails: the archive, patchwork and b4 test mails, one a file' '
	test -x "$DUMP" &&
	git clone -q --bare "$CORPUS/bpf-list.bundle" bpf.git &&
	mkdir mails mi &&
	git --git-dir=bpf.git rev-list --reverse HEAD |
	awk -v s=$STRIDE "(NR - 1) % s == 0 { print \$0 \":m\" }" |
	git --git-dir=bpf.git cat-file --batch |
	python3 "$TEST_DIRECTORY/mail-conformance.py" extract mails &&
	split_test_mails &&
	ls mails >names &&
	test $(grep -c "^a" names) -ge $((15186 / STRIDE)) &&
	test $(grep -c "^t" names) -ge 100
'

test_expect_success 'git mailinfo and our parse of each' '
	(
		cd mails &&
		while read f; do
			git mailinfo -u "../mi/$f.msg" "../mi/$f.patch" <"$f" >"../mi/$f.info" 2>/dev/null ||
			rm -f "../mi/$f.info"
		done <../names
	) &&
	sed "s|^|mails/|" names >paths &&
	"$DUMP" --dump <paths >ours.jsonl &&
	test $(wc -l <ours.jsonl) = $(wc -l <names)
'

test_expect_success 'each field agrees with git mailinfo and Python email on >= 99.5% of mails' '
	python3 "$TEST_DIRECTORY/mail-conformance.py" ours.jsonl mi paths >report;
	ret=$? &&
	cat report &&
	grep "^git author name " report &&
	grep "^python text " report &&
	test $ret = 0
'

test_done
