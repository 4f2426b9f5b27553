# test-lib.sh - the shell test library for t/tNNNN-*.sh.
#
# Source it after setting test_description:
#
#   test_description='what this script tests'
#   . "${0%/*}/test-lib.sh"
#   test_expect_success 'title' '
#           git bpfdigest -h >out; test $? = 129
#   '
#   test_done
#
# Each script runs in its own empty directory ("trash") with HOME in it,
# a fixed git identity, TZ=UTC and LC_ALL=C, and prints TAP.  Bodies run
# in the script's shell (so variables carry over) and must chain with &&.
# Run a script with -v (or TEST_VERBOSE=1) to see every command's output,
# and with -d (or TEST_DEBUG=1) to keep the trash directory.
#
# With BPFDIGEST_TEST_VALGRIND=<dir> (make valgrind), every git-bpfdigest
# the script runs runs under valgrind's memcheck, each process's report
# in <dir>/<script>.<pid>.log; a report that is not empty is a failure
# of the script.  Tests that measure time or memory, which valgrind makes
# meaningless, skip themselves with test_skip_under_valgrind.

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BPFDIGEST_BUILD_DIR:-$(cd "$TEST_DIRECTORY/.." && pwd)}
CORPUS=${BPFDIGEST_CORPUS:-$BUILD_DIR/../shared/corpus}
TEST_NAME=$(basename "$0" .sh)

while test $# -gt 0; do
	case "$1" in
	-v|--verbose) TEST_VERBOSE=1 ;;
	-d|--debug) TEST_DEBUG=1 ;;
	esac
	shift
done

# A clean, predictable environment: nothing of the user's git setup leaks in.
unset GIT_DIR GIT_WORK_TREE GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_INDEX_FILE \
	GIT_OBJECT_DIRECTORY GIT_CEILING_DIRECTORIES GIT_NAMESPACE XDG_CONFIG_HOME \
	XDG_CACHE_HOME SOURCE_DATE_EPOCH GIT_PAGER PAGER LESS EDITOR VISUAL
# Nor the make that runs "make check": a test's own make must not join
# its jobserver or take its flags (it warns on stderr, which t9010 checks).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
export LC_ALL=C TZ=UTC
export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
export GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export PATH="$BUILD_DIR:$PATH"

TRASH_DIRECTORY=${TMPDIR:-/tmp}/bpfdigest-trash.$TEST_NAME.$$
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || { echo "Bail out! cannot create $TRASH_DIRECTORY"; exit 1; }
export HOME="$TRASH_DIRECTORY"
git config --global init.defaultBranch master
git config --global user.name 'A U Thor'
git config --global user.email 'author@example.com'
cd "$TRASH_DIRECTORY" || exit 1

if test -n "$BPFDIGEST_TEST_VALGRIND"; then
	mkdir -p "$BPFDIGEST_TEST_VALGRIND" "$TRASH_DIRECTORY/.valgrind" || exit 1
	# The leaks that count are those no pointer reaches; libgit2 keeps
	# its global state (reachable) until exit on purpose.
	cat >"$TRASH_DIRECTORY/.valgrind/git-bpfdigest" <<-EOF
	#!/bin/sh
	printf '%s\\n' "\$PWD: git-bpfdigest \$*" >"$BPFDIGEST_TEST_VALGRIND/$TEST_NAME.\$\$.cmd"
	exec valgrind -q --error-exitcode=126 --leak-check=full \\
		--suppressions="$TEST_DIRECTORY/valgrind.supp" \\
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
		--log-file="$BPFDIGEST_TEST_VALGRIND/$TEST_NAME.%p.log" \\
		"$BUILD_DIR/git-bpfdigest" "\$@"
	EOF
	chmod +x "$TRASH_DIRECTORY/.valgrind/git-bpfdigest"
	export PATH="$TRASH_DIRECTORY/.valgrind:$PATH"
fi

test_count=0
test_failed=0
test_log="$TRASH_DIRECTORY/.test-output"

test_cleanup_trash() {
	cd /
	if test -z "$TEST_DEBUG"; then
		rm -rf "$TRASH_DIRECTORY"
	else
		echo "# trash kept in $TRASH_DIRECTORY"
	fi
}

# A body's "return 1" ends the body, not test_expect_success, whose
# result line would be lost.
test_run_body_() {
	eval "$1"
}

# test_expect_success <title> <body>
test_expect_success() {
	test_count=$((test_count + 1))
	if test -n "$TEST_VERBOSE"; then
		# Once, in this shell (bodies are not idempotent, and
		# variables carry over), its trace and output shown after.
		exec 8>"$test_log"
		BASH_XTRACEFD=8
		set -x
		test_run_body_ "$2" >&8 2>&8
		status=$?
		{ set +x; } 2>/dev/null
		unset BASH_XTRACEFD
		exec 8>&-
		grep -v '^+ set +x$' "$test_log" | sed 's/^/# /'
	else
		test_run_body_ "$2" >"$test_log" 2>&1
		status=$?
	fi
	cd "$TRASH_DIRECTORY" || exit 1
	if test $status = 0; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		{
			printf '%s\n' "$2"
			echo "--- output:"
			test -z "$TEST_VERBOSE" && test -f "$test_log" && tail -n 40 "$test_log"
		} | sed 's/^/#	/' >&2	# on stderr: prove shows why without -v
	fi
}

# test_skip_under_valgrind <title>: true (and the test reported as
# skipped) when this is a valgrind run; use as
#   test_skip_under_valgrind "title" || test_expect_success "title" '...'
test_skip_under_valgrind() {
	test -n "$BPFDIGEST_TEST_VALGRIND" || return 1
	test_skip "$1" "measures time or memory, which valgrind changes"
}

# test_skip <title> <reason>: report a test as skipped.
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1 ($2)"
}

# Skip the whole script (prints a TAP plan of 0), or once tests have
# run (a test_require_* half-way down), the rest of it, as one skip.
skip_all() {
	if test $test_count -gt 0; then
		test_skip "the rest of $TEST_NAME" "$1"
		test_done
		exit
	fi
	echo "1..0 # SKIP $1"
	test_cleanup_trash
	exit 0
}

test_done() {
	if test -n "$BPFDIGEST_TEST_VALGRIND"; then
		for log in "$BPFDIGEST_TEST_VALGRIND/$TEST_NAME".*.log; do
			test -e "$log" || continue
			test -s "$log" || { rm -f "$log" "${log%.log}.cmd"; continue; }
			test_failed=$((test_failed + 1))
			test_count=$((test_count + 1))
			echo "not ok $test_count - valgrind: $log"
			{ cat "${log%.log}.cmd"; head -n 40 "$log"; } | sed 's/^/#	/'
		done
	fi
	echo "1..$test_count"
	test_cleanup_trash
	test $test_failed = 0
}

# The corpus is needed: skip the script cleanly when it is absent.
test_require_corpus() {
	test -d "$CORPUS" && test -f "$CORPUS/bpf-list.bundle" ||
		skip_all "the corpus ($CORPUS) is absent"
}

test_require_command() {
	command -v "$1" >/dev/null 2>&1 || skip_all "'$1' is not installed"
}

# test_expect_code <code> <command>...: the command exits with exactly <code>.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	test "$got" = "$want" && return 0
	echo "test_expect_code: '$*' exited $got, wanted $want" >&2
	return 1
}

# test_must_fail <command>...: a clean failure (exit 1..127 or our 128/129), not a crash.
test_must_fail() {
	"$@"
	got=$?
	if test $got = 0; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	elif test $got -gt 129; then
		echo "test_must_fail: '$*' died by signal ($got)" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2"
}

# The real archive as a v2 inbox, built once per script into $1.
# The inbox is built once per bundle and make-inbox (in t/.corpus-inbox,
# under a lock, complete before it is named) and each test gets a copy:
# a dozen scripts would otherwise each spend seconds rebuilding it.
test_corpus_inbox() {
	local key cache
	key=$(cat "$CORPUS/bpf-list.bundle" "$CORPUS/make-inbox" | cksum | cut -d" " -f1) &&
	cache="$BUILD_DIR/t/.corpus-inbox/$key" &&
	mkdir -p "$BUILD_DIR/t/.corpus-inbox" &&
	(
		flock 9 &&
		if ! test -d "$cache"; then
			rm -rf "$cache.tmp" &&
			"$CORPUS/make-inbox" "$CORPUS/bpf-list.bundle" "$cache.tmp" >/dev/null &&
			mv "$cache.tmp" "$cache"
		fi
	) 9>"$BUILD_DIR/t/.corpus-inbox/lock" &&
	cp -a "$cache" "$1"
}

# test_weekly_json [<option>...]: the weekly digest of every ISO week of
# 2024 and 2025 (52 each) as JSON, into <year>-W<week>.json; the options
# go to "weekly".  For the archive-wide tests: a rule that holds for every
# digest is asserted over all of them.
test_weekly_json() {
	local y w
	for y in 2024 2025; do
		for w in $(seq -w 1 52); do
			git bpfdigest --format=json weekly --week=$y-W$w "$@" >$y-W$w.json || return 1
		done
	done
}
