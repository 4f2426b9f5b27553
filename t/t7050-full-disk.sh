#!/bin/bash
test_description='a full disk or a read-only filesystem: said, and in the exit status'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
unshare -m true 2>/dev/null || skip_all "no mount namespace (unshare -m) to mount a small filesystem in"

# on_fs DIR OPTS CMD...: run CMD with a new, empty tmpfs mounted on DIR
# (mount options OPTS, e.g. size=8k), in a mount namespace of its own,
# so that nothing is left mounted whatever happens.  With "ro" in OPTS,
# DIR/git-bpfdigest exists in it.
on_fs() {
	unshare -m sh -c '
		dir=$1 opts=$2 && shift 2 &&
		mount -t tmpfs -o "${opts%ro}" tmpfs "$dir" &&
		case "$opts" in
		*ro) mkdir "$dir/git-bpfdigest" && mount -o remount,ro "$dir" ;;
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

test_done
