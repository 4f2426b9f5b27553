#!/bin/bash
test_description='we touch nothing in the repository but refs/notes/bpfdigest and our cache'
. "${0%/*}/test-lib.sh"

export SOURCE_DATE_EPOCH=1776124800	# 2026-04-14T00:00:00Z
export GIT_PAGER=cat

# A summarizer, so that its cache is made too: it names the title, or
# its reply is not used (and not cached).
cat >summarize <<\EOF
#!/usr/bin/python3
import json, sys
m = json.load(sys.stdin)["mail"]
print("A summary from the model of %s." % (m["entries"][0] if "entries" in m else m)["title"])
EOF
chmod +x summarize

# Every command, every format, as a maintainer would run them.
run_everything() {
	(
		cd demo/kernel &&
		git bpfdigest update &&
		git bpfdigest series --all &&
		git bpfdigest --format=json series --all &&
		git bpfdigest link &&
		git bpfdigest --format=json link &&
		git bpfdigest notes &&
		git bpfdigest release v7.0..HEAD &&
		git bpfdigest --format=json release v7.0..HEAD &&
		git bpfdigest weekly --week=2026-W15 &&
		git bpfdigest daily --date=2026-04-07 &&
		git bpfdigest monthly --month=2026-04 &&
		for f in text markdown json mbox; do
			git bpfdigest --format=$f digest --since=2026-04-01 --until=2026-04-30 || exit 1
		done &&
		git bpfdigest weekly --week=2026-W15 --summarizer="$TRASH_DIRECTORY/summarize"
	)
}

# What may not change: every ref but ours with its reflog, HEAD, the
# index, the configuration, hooks, info, every file of the working tree
# (tracked, changed, untracked, ignored) with its mode, and every object
# already there (new ones may come: our notes).
snapshot() {
	(
		cd demo/kernel &&
		git for-each-ref --format="%(refname) %(objectname)" | grep -v "^refs/notes/bpfdigest "
		find .git -path .git/objects -prune -o -path .git/bpfdigest -prune -o \
			-path .git/refs/notes/bpfdigest -prune -o \
			-path .git/logs/refs/notes/bpfdigest -prune -o -type f -print |
			LC_ALL=C sort | xargs sha256sum
		find . -path ./.git -prune -o -print | LC_ALL=C sort |
			while read -r f; do
				stat -c "%n %A %s" "$f"
				test -f "$f" && sha256sum <"$f"
			done
	) >"$1" &&
	(cd demo/kernel/.git/objects && find . -type f | xargs sha256sum | LC_ALL=C sort) >"$1.objects"
}

test_expect_success 'a kernel checkout in the middle of work' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	(
		cd demo/kernel &&
		git branch topic HEAD~1 &&
		git tag -a -m "a candidate" v7.1-rc1 HEAD~1 &&
		git tag light HEAD~2 &&
		git update-ref refs/remotes/origin/master HEAD~1 &&
		echo "*.o" >.git/info/exclude &&
		echo ignored >built.o &&
		echo untracked >notes.txt &&
		f=$(git ls-files | head -n 1) &&
		echo stashed >>"$f" && git stash -q &&
		echo staged >>"$f" && git add "$f" &&
		echo unstaged >>"$f" &&
		git config user.name "Kernel Maintainer"
	) &&
	snapshot before
'

test_expect_success 'every command, every format: only our ref and cache change' '
	run_everything >out.1 2>err.1 &&
	snapshot after &&
	test_cmp before after &&
	# Objects are only added.
	comm -23 before.objects after.objects >lost &&
	test_cmp /dev/null lost &&
	git -C demo/kernel rev-parse -q --verify refs/notes/bpfdigest &&
	test -d demo/kernel/.git/bpfdigest &&
	! grep -v "^warning: " err.1
'

test_expect_success 'git fsck is clean, the index as git sees it unchanged' '
	git -C demo/kernel fsck --strict --no-progress --no-dangling >fsck 2>&1 &&
	test_cmp /dev/null fsck &&
	git -C demo/kernel diff --cached --name-only >staged &&
	test $(wc -l <staged) = 1 &&
	git -C demo/kernel stash list >stash &&
	test $(wc -l <stash) = 1
'

test_expect_success 'a second run: the same output, still nothing else changed' '
	run_everything >out.2 2>err.2 &&
	grep "^read 0 messages: 0 new" out.2 &&
	grep "^notes in refs/notes/bpfdigest: 0 added, 0 updated, 3 unchanged$" out.2 &&
	sed -e "/^read [0-9]* messages: /d" -e "/^notes in /d" out.1 >expect &&
	sed -e "/^read [0-9]* messages: /d" -e "/^notes in /d" out.2 >actual &&
	test_cmp expect actual &&
	snapshot after2 &&
	test_cmp before after2
'

# Each file of our cache, damaged in turn: cut in the middle of a line,
# then garbage.  The run warns, naming the file, gives the same output,
# and rebuilds it (the run after is quiet again).  notes-pack.config is
# not read before it is written: each notes run writes it anew.
test_expect_success 'every cache file damaged: a warning, the same output, rebuilt' '
	(cd demo/kernel/.git/bpfdigest && find . -type f -size +0 ! -name notes-pack.config |
		LC_ALL=C sort) >files &&
	test $(wc -l <files) -ge 3 &&
	(
	while read -r f; do
		path=demo/kernel/.git/bpfdigest/${f#./} &&
		for damage in truncate garbage; do
			if test $damage = truncate; then
				size=$(stat -c %s "$path") &&
				truncate -s $((size / 2)) "$path" &&
				while test -z "$(tail -c 1 "$path")"; do
					truncate -s -1 "$path" || exit 1
				done
			else
				head -c 4096 /dev/urandom >"$path"
			fi &&
			run_everything >out.3 2>err.3 &&
			sed "/^read [0-9]* messages: /d" out.2 >expect &&
			sed "/^read [0-9]* messages: /d" out.3 >actual &&
			test_cmp expect actual &&
			grep "^warning: .*${f#./}" err.3 || {
				echo "# no warning for $damage $f:"; cat err.3; exit 1
			} &&
			run_everything >out.4 2>err.4 &&
			test_cmp out.2 out.4 &&
			test_cmp err.2 err.4 || exit 1
		done
	done <files
	) &&
	snapshot after3 &&
	test_cmp before after3
'

test_done
