#!/bin/bash
test_description='a full disk or a read-only filesystem: said, and in the exit status'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
unshare -m true 2>/dev/null || skip_all "no mount namespace (unshare -m) to mount a small filesystem in"

# on_fs DIR OPTS CMD...: run CMD with a new, empty tmpfs mounted on DIR
# (mount options OPTS, e.g. size=8k), in a mount namespace of its own,
# so that nothing is left mounted whatever happens.  OPTS "ro": read-only,
# with an empty DIR/git-bpfdigest in it; "ro-empty": read-only and empty.
on_fs() {
	unshare -m sh -c '
		dir=$1 opts=$2 && shift 2 &&
		mount -t tmpfs -o "${opts%%ro*}" tmpfs "$dir" &&
		case "$opts" in
		*ro) mkdir "$dir/git-bpfdigest" && mount -o remount,ro "$dir" ;;
		*ro-empty) mount -o remount,ro "$dir" ;;
		esac &&
		exec "$@"' on_fs "$@"
}

export XDG_CACHE_HOME="$TRASH_DIRECTORY/cache"

test_expect_success 'an inbox of 300 messages' '
	git init -q --bare inbox/git/0.git &&
	for i in $(seq 300); do inbox_message $i; done >all &&
	inbox_add inbox/git/0.git $(seq 300) &&
	mkdir cache
'

test_expect_success 'update on a full disk: an error, and exit status 1' '
	test_expect_code 1 on_fs cache size=8k git bpfdigest --inbox=inbox update >out 2>err &&
	grep "^error: cannot write the index .*/cache/git-bpfdigest/inbox-[0-9a-f]*.idx.tmp-[0-9]*.: No space left on device$" err &&
	grep "^warning: the index was not saved: the next run reads these messages again$" err &&
	expect_counts "300 300 0 0 300 300 0 0" out
'

test_expect_success 'update on a read-only filesystem: the same' '
	test_expect_code 1 on_fs cache ro git bpfdigest --inbox=inbox update >out 2>err &&
	grep "^error: cannot write the index .*: Read-only file system$" err &&
	grep "^warning: the index was not saved" err
'

test_expect_success 'a digest on a full disk is still printed, with the warning, exit 0' '
	SOURCE_DATE_EPOCH=1775520000 on_fs cache size=8k git bpfdigest --inbox=inbox daily --date=2026-04-06 >out 2>err &&
	grep "^warning: the index was not saved" err &&
	test -s out
'

test_expect_success 'with room again, update saves the index and exits 0' '
	git bpfdigest --inbox=inbox update >out &&
	expect_counts "300 300 0 0 300 300 0 0" out &&
	ls cache/git-bpfdigest/inbox-*.idx
'

# dead_pid: the pid of a process that has just ended.
dead_pid() {
	sh -c 'echo $$'
}

test_expect_success 'temporaries of dead runs are removed at the start; a live one stays' '
	dead=$(dead_pid) &&
	{ sleep 60 & } &&
	live=$! &&
	idx=$(ls cache/git-bpfdigest/inbox-*.idx) &&
	echo half >$idx.tmp-$dead &&
	echo half >$idx.tmp-$live &&
	mkdir cache/git-bpfdigest/notes-pack-0.tmp-$dead &&
	echo x >cache/git-bpfdigest/notes-pack-0.tmp-$dead/pack_git2_123 &&
	echo mine >cache/git-bpfdigest/other.tmp-x &&
	git bpfdigest --inbox=inbox update >out &&
	kill $live &&
	! test -e $idx.tmp-$dead &&
	! test -e cache/git-bpfdigest/notes-pack-0.tmp-$dead &&
	test -e $idx.tmp-$live &&
	test -e cache/git-bpfdigest/other.tmp-x
'

test_expect_success 'update killed while it writes the index: nothing stays behind' '
	# An epoch of 20000 messages, for an index that takes a while to write.
	python3 - <<-\EOF &&
	with open("import", "w") as fi:
	    fi.write("reset refs/heads/master\n")
	    for i in range(20000):
	        msg = ("Message-ID: <big-%d@example.org>\nSubject: [PATCH] big %d\n"
	               "From: A <a@example.org>\nDate: Mon, 6 Apr 2026 10:00:00 +0000\n\nbody\n" % (i, i))
	        fi.write("commit refs/heads/master\ncommitter C <c@example.org> %d +0000\n" % (1775000000 + i))
	        fi.write("data 1\nm\nM 644 inline m\ndata %d\n%s\n" % (len(msg), msg))
	EOF
	git init -q --bare big/git/0.git &&
	git --git-dir=big/git/0.git fast-import --quiet <import &&
	left=0 &&
	for i in $(seq 5); do
		rm -f cache/git-bpfdigest/inbox-*.idx &&
		{ git-bpfdigest --inbox=big update >/dev/null 2>&1 & } &&
		pid=$! &&
		# Until it has begun writing the index (compgen: no fork, no delay).
		while kill -0 $pid 2>/dev/null && ! compgen -G "cache/git-bpfdigest/*.tmp-$pid" >/dev/null; do :; done &&
		{ kill -9 $pid 2>/dev/null; wait $pid; } ;
		left=$((left + $(ls cache/git-bpfdigest | grep -c "\.tmp-$pid")))
	done &&
	echo "# $left of 5 killed runs left a temporary index" &&
	test $left -gt 0 &&
	git bpfdigest --inbox=big update >out &&
	! ls cache/git-bpfdigest | grep "\.tmp-[0-9]"
'

test_expect_success 'a cache directory that cannot be created: a warning, and no cache' '
	SOURCE_DATE_EPOCH=1775520000 on_fs cache ro-empty \
		git bpfdigest --inbox=inbox daily --date=2026-04-06 >out 2>err &&
	grep "^warning: cannot create the cache directory .*/cache/git-bpfdigest.: Read-only file system; running without a cache$" err &&
	test $(grep -c "^warning: cannot create the cache directory" err) = 1 &&
	test -s out &&
	test_expect_code 1 on_fs cache ro-empty git bpfdigest --inbox=inbox update >out 2>err &&
	grep "^warning: cannot create the cache directory" err &&
	expect_counts "300 300 0 0 300 300 0 0" out
'

test_expect_success 'the demo kernel tree with its notes' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	git -C demo/kernel bpfdigest notes >out &&
	grep ": 3 added" out &&
	git -C demo/kernel reflog refs/notes/bpfdigest >reflog.before &&
	test $(wc -l <reflog.before) = 1
'

test_expect_success 'a ref update that fails on a full disk leaves the reflog as it was' '
	git -C demo/kernel config b4.midmask "https://msgid.link/%s" &&
	tip=$(git -C demo/kernel rev-parse refs/notes/bpfdigest) &&
	mkdir -p filler && head -c 4096 /dev/zero >filler/4k &&
	(
		cd demo/kernel &&
		cp .git/refs/notes/bpfdigest ../../ref &&
		# The ref itself fills the one page of the filesystem.
		test_expect_code 128 on_fs .git/refs/notes size=4k sh -c "
			cp ../../ref .git/refs/notes/bpfdigest &&
			{ cp ../../filler/4k .git/refs/notes/ 2>/dev/null; git bpfdigest notes; }" 2>../../err
	) &&
	grep "^error: cannot update .refs/notes/bpfdigest.: .*No space left on device$" err &&
	test $(git -C demo/kernel rev-parse refs/notes/bpfdigest) = $tip &&
	git -C demo/kernel reflog refs/notes/bpfdigest >reflog.after &&
	test_cmp reflog.before reflog.after &&
	git -C demo/kernel bpfdigest notes >out &&
	grep ": 0 added, 3 updated" out &&
	test $(git -C demo/kernel reflog refs/notes/bpfdigest | wc -l) = 2
'

test_expect_success 'a full disk while the notes pack is written: the error says so' '
	git -C demo/kernel config b4.midmask "https://lore.kernel.org/r/%s" &&
	(
		cd demo/kernel &&
		test_expect_code 128 on_fs .git/bpfdigest size=4k sh -c "
			cp ../../filler/4k .git/bpfdigest/ 2>/dev/null; git bpfdigest notes" 2>../../err
	) &&
	grep "^error: cannot write the notes objects in .*: No space left on device$" err &&
	test_must_fail grep "unknown error" err &&
	git -C demo/kernel count-objects -v >count &&
	grep -x "garbage: 0" count
'

test_done
