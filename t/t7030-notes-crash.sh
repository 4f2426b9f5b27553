#!/bin/bash
test_description='notes survive SIGKILL at any point; concurrent writers lose nothing'
. "${0%/*}/test-lib.sh"
test_require_command python3

N=60
KILLS=${BPFDIGEST_TEST_KILLS:-100}

# A tree of N applied patches, each commit with a Link: to its mail.
test_expect_success 'a kernel tree and the archive of its patches' '
	python3 - $N <<-\EOF &&
	import sys
	n = int(sys.argv[1])
	with open("list.mbox", "w") as box, open("import", "w") as fi:
	    fi.write("reset refs/heads/master\n")
	    for i in range(n):
	        mid = "patch-%d@example.org" % i
	        msg = "bpf: Change number %d\n\nChange number %d of many.\n\nLink: https://lore.kernel.org/r/%s\n" % (i, i, mid)
	        fi.write("commit refs/heads/master\ncommitter C O Mitter <c@example.org> %d +0000\n" % (1775000000 + i))
	        fi.write("data %d\n%s\n" % (len(msg), msg))
	        fi.write("M 644 inline kernel/bpf/f%d.c\ndata 2\n%d\n\n" % (i, i % 10))
	        box.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n")
	        box.write("From: Jane Dev <jane@example.org>\nMessage-ID: <%s>\n" % mid)
	        box.write("Date: Tue, 7 Apr 2026 10:%02d:00 +0000\n" % (i % 60))
	        box.write("Subject: [PATCH bpf-next] bpf: Change number %d\n\n" % i)
	        box.write("Change number %d of many.\n\nSigned-off-by: Jane Dev <jane@example.org>\n---\n" % i)
	        box.write("diff --git a/kernel/bpf/f%d.c b/kernel/bpf/f%d.c\nnew file mode 100644\n" % (i, i))
	        box.write("--- /dev/null\n+++ b/kernel/bpf/f%d.c\n@@ -0,0 +1 @@\n+%d\n\n" % (i, i % 10))
	EOF
	git init -q kernel &&
	git -C kernel fast-import --quiet <import &&
	git -C kernel reset -q --hard &&
	git -C kernel config bpfdigest.inbox "mboxrd:$TRASH_DIRECTORY/list.mbox" &&
	git -C kernel bpfdigest link >link.out &&
	grep "^$N commits: $N matched" link.out
'

# check_notes [MASK]: refs/notes/bpfdigest is absent, or names a
# complete notes commit: N whole notes, all written by one run (so all
# with the same Link: mask).  git fsck finds nothing wrong, and git
# finds no garbage (a temporary pack a killed run left) in objects/.
check_notes() {
	(
		cd kernel &&
		git fsck --strict --no-progress --no-dangling >fsck.out 2>&1 &&
		! test -s fsck.out || { echo "# fsck:"; cat fsck.out; exit 1; }
		git count-objects -v >count.out &&
		grep -qx "garbage: 0" count.out && grep -qx "size-garbage: 0" count.out || {
			echo "# garbage:"; cat count.out; ls .git/objects/pack; exit 1
		}
		git rev-parse -q --verify refs/notes/bpfdigest >/dev/null || exit 0
		git cat-file -e "refs/notes/bpfdigest^{commit}" || { echo "# no commit"; exit 1; }
		git notes --ref=bpfdigest list >notes.list &&
		git log --notes=bpfdigest --format="%N" >notes.all &&
		sed -n "s|^Link: \(https://[a-z.]*/[a-z0-9]*/\).*|\1|p" notes.all | sort -u >masks &&
		test $(wc -l <notes.list) = $N &&
		test $(grep -c "^Posted-as: \[PATCH bpf-next\] bpf: Change number" notes.all) = $N &&
		test $(grep -c "^Matched-by: link (" notes.all) = $N &&
		test $(wc -l <masks) = 1 || {
			echo "# $(wc -l <notes.list) notes, masks: $(cat masks)"
			exit 1
		}
	)
}

test_expect_success 'a run without a kill, timed' '
	start=$(date +%s%N) &&
	git -C kernel bpfdigest notes >out &&
	end=$(date +%s%N) &&
	grep ": $N added, 0 updated, 0 unchanged" out &&
	check_notes &&
	echo $(( (end - start) / 1000 )) >usec &&
	echo "# a notes run takes $(cat usec) us"
'

# Kill notes at a random point of its run, KILLS times: with the ref
# removed first (everything is added) or the mask changed (everything is
# updated), so that each run has a notes commit to make.
test_expect_success "SIGKILL at random points, $KILLS times: always a complete notes commit" '
	(
	usec=$(cat usec) && kills=0 locks=0 &&
	for i in $(seq $KILLS); do
		if test $((i % 2)) = 0; then
			git -C kernel update-ref -d refs/notes/bpfdigest
		else
			git -C kernel config b4.midmask "https://lore.kernel.org/m$i/%s/"
		fi &&
		at=$(( RANDOM * RANDOM % usec )) &&
		# git-bpfdigest itself: killing a git that runs it would
		# leave it running on.
		{ (cd kernel && exec git-bpfdigest notes >/dev/null 2>&1) & } &&
		pid=$! &&
		sleep "$(printf "%d.%06d" $((at / 1000000)) $((at % 1000000)))" &&
		{ kill -9 $pid 2>/dev/null; wait $pid; test $? != 137 || kills=$((kills + 1)); } &&
		# A lock left behind, as git leaves them: the user removes it.
		if test -e kernel/.git/refs/notes/bpfdigest.lock; then
			locks=$((locks + 1)) &&
			rm kernel/.git/refs/notes/bpfdigest.lock
		fi &&
		# A kill between moving the pack and its index leaves a
		# pack git calls garbage: the next run of ours (any command
		# that opens the cache) finishes that install.
		git -C kernel bpfdigest -q update &&
		check_notes || { echo "# iteration $i, killed at $at us"; exit 1; }
	done &&
	echo "# $kills of $KILLS runs killed, $locks locks left" &&
	test $kills -gt $((KILLS / 4))
	) &&
	git -C kernel bpfdigest notes >out &&
	grep -E ": ($N added, 0 updated, 0 unchanged|0 added, $N updated, 0 unchanged|0 added, 0 updated, $N unchanged)$" out &&
	check_notes &&
	# What the killed runs left in our cache, the run after them removed.
	! ls kernel/.git/bpfdigest | grep "\.tmp-" &&
	git -C kernel gc --quiet 2>gc.err &&
	! test -s gc.err
'

test_expect_success 'a lock left by a dead writer: a clear error, then fine once removed' '
	: >kernel/.git/refs/notes/bpfdigest.lock &&
	git -C kernel config b4.midmask "https://lore.kernel.org/locked/%s/" &&
	test_expect_code 128 git -C kernel bpfdigest notes 2>err &&
	grep "^error: cannot lock .refs/notes/bpfdigest.: .*/kernel/.git/refs/notes/bpfdigest.lock. exists; if no other git is running, remove it$" err &&
	rm kernel/.git/refs/notes/bpfdigest.lock &&
	git -C kernel bpfdigest notes >out &&
	grep ": 0 added, $N updated, 0 unchanged" out &&
	check_notes
'

test_expect_success 'a writer that moves the ref first: the run applies its notes on top' '
	git -C kernel update-ref -d refs/notes/bpfdigest &&
	git -C kernel notes --ref=bpfdigest add -m "an older note" HEAD~$((N - 1)) &&
	{
		BPFDIGEST_TEST_NOTES_DELAY=3000 BPFDIGEST_TRACE_PERFORMANCE=1 \
			git -C kernel bpfdigest notes HEAD~20..HEAD >late.out 2>late.err &
	} &&
	late=$! &&
	sleep 1 &&
	git -C kernel bpfdigest notes HEAD~40..HEAD~20 >early.out &&
	git -C kernel notes --ref=bpfdigest add -m "by hand" HEAD~50 &&
	wait $late &&
	grep ": 20 added" early.out &&
	grep ": 20 added" late.out &&
	grep "^performance: .*: notes: 20 notes written in 2 attempts$" late.err &&
	git -C kernel notes --ref=bpfdigest list >list &&
	test $(wc -l <list) = 42 &&
	git -C kernel notes --ref=bpfdigest show HEAD~$((N - 1)) | grep -x "an older note" &&
	git -C kernel notes --ref=bpfdigest show HEAD~50 | grep -x "by hand" &&
	git -C kernel notes --ref=bpfdigest show HEAD~30 | grep "^Posted-as: .*Change number 29$" &&
	git -C kernel notes --ref=bpfdigest show HEAD | grep "^Posted-as: .*Change number 59$"
'

test_expect_success 'many writers at once lose nothing' '
	git -C kernel update-ref -d refs/notes/bpfdigest &&
	for range in HEAD~10..HEAD HEAD~20..HEAD~10 HEAD~30..HEAD~20 HEAD~40..HEAD~30 \
		     HEAD~50..HEAD~40 HEAD~50; do
		{ git -C kernel bpfdigest notes $range >/dev/null 2>&1 & }
	done &&
	wait &&
	git -C kernel bpfdigest notes >out &&
	grep ": 0 added, 0 updated, $N unchanged" out &&
	check_notes
'

test_done
