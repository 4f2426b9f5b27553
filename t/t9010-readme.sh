#!/bin/bash
test_description='README.md says what is true: the demo output, the packages, the commands'
. "${0%/*}/test-lib.sh"

README="$BUILD_DIR/README.md"
test -f "$README" || skip_all "no README.md in $BUILD_DIR"

# The lines of the README's "## <title>" section.
readme_section() {
	sed -n "/^## $1\$/,/^## /{/^## /d;p}" "$README"
}

test_expect_success 'the sample output is what make demo prints (Generated fixed)' '
	sed -n "/^\$ git -C demo-archive\/kernel bpfdigest weekly/,/^Generated /p" "$README" >expect &&
	test $(wc -l <expect) -gt 3 &&
	SOURCE_DATE_EPOCH=1776124800 make -s -C "$BUILD_DIR" -o git-bpfdigest demo \
		DEMO_DIR="$TRASH_DIRECTORY/demo-archive" >out 2>err &&
	sed -n "/^\$ git -C /,\$p" out | sed "s|$TRASH_DIRECTORY/||" >actual &&
	test_cmp expect actual &&
	test ! -s err
'

test_expect_success 'the README lists every Debian package each target installs' '
	for var in BUILD_DEBS TEST_DEBS DOC_DEBS BENCH_DEBS; do
		sed -n "s/^$var = //p" "$BUILD_DIR/Makefile" | tr " " "\n" | sort >want &&
		test -s want &&
		grep -o "<!-- $var -->[^|;(]*" "$README" >lists &&
		test -s lists &&
		while read -r list; do
			echo "$list" | sed "s/<!-- $var -->//" | grep -o "\`[^\`]*\`" | tr -d "\`" | sort >listed &&
			test_cmp want listed || return 1
		done <lists || return 1
	done
'

test_expect_success 'Real use puts the command on PATH before it runs it' '
	readme_section "Real use" >real &&
	first=$(grep -n "^git bpfdigest\|^cd ~/linux" real | head -n 1 | cut -d: -f1) &&
	install=$(grep -n "^make install prefix=~/.local" real | cut -d: -f1) &&
	path=$(grep -n "^export PATH=\$PWD:\$PATH" real | cut -d: -f1) &&
	test -n "$first" && test -n "$install" && test -n "$path" &&
	test $install -lt $first && test $path -lt $first
'

test_expect_success 'every option the README gives git bpfdigest is one it takes' '
	for c in "" $(git bpfdigest --list-cmds); do
		git bpfdigest $c -h 2>/dev/null |
			sed -n "s/^    \(-[a-z], \)\?--\(\[no-\]\)\?\([a-z-]*\).*/--\3/p" || return 1
		echo --help
	done | sort -u >taken &&
	# what follows "git bpfdigest" or "git-bpfdigest", up to a pipe or a comment
	grep "[ -]bpfdigest " "$README" | grep -v "^|" |
		sed -e "s/.*[ -]bpfdigest\( .*\)/\1/" -e "s/[|#\`].*//" |
		grep -o -- " --[a-z][a-z-]*" | sed "s/^ //" | sort -u >used &&
	test -s used &&
	comm -23 used taken >unknown &&
	test_cmp /dev/null unknown
'

test_expect_success 'the b4 section gives the trailers to git am and b4 am' '
	readme_section "b4, git am and lei" >b4 &&
	grep -F "series --format=mbox --add-trailers <msgid> | git am" b4 &&
	grep -F "series --format=mbox --with-replies <msgid> | b4 am -l -t -m -" b4 &&
	! grep "b4 adds trailers" b4
'

test_expect_success 'completion says it needs bash-completion' '
	grep "bash-completion. package" "$README"
'

# tests/ has a unit test per lib module, or the README names the module
# as tested end to end.
test_expect_success 'each lib module has a unit test, or the README says how it is tested' '
	for c in "$BUILD_DIR"/lib/*.c; do
		m=$(basename "$c" .c) &&
		test -f "$BUILD_DIR/tests/test-$m.c" ||
		grep -q "^| .lib/$m.c. | end to end" "$README" || {
			t=$(sed -n "s/^| .lib\/$m.c. | in .tests\/\(test-[a-z-]*\.c\)..*/\1/p" "$README") &&
			test -n "$t" && grep -q "#include \"$m.h\"" "$BUILD_DIR/tests/$t"
		} ||
		{ echo "lib/$m.c: no tests/test-$m.c, and the README does not say" >&2; return 1; }
	done
'

test_done
