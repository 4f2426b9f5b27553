#!/bin/bash
test_description='pager and colour: git'"'"'s rules, on a real terminal (script) and without'
. "${0%/*}/test-lib.sh"
test_require_command script

# The Generated stamp would differ between runs a second apart.
export TERM=xterm SOURCE_DATE_EPOCH=1776124800
v1_patch=20260406100000.widgets-2@example.org

# on_tty CMD...: run CMD with a pseudo-terminal as stdin, stdout and
# stderr (util-linux script); what it prints comes back without \r.  A
# real pager waiting for keys would hang the test: it is killed instead.
on_tty() {
	local cmd= a
	for a in "$@"; do
		cmd="$cmd $(printf '%q' "$a")"
	done
	timeout 60 script -qec "$cmd" /dev/null </dev/null | tr -d '\r'
	return ${PIPESTATUS[0]}
}

# A pager standing in for less: it logs that it ran, with the variables
# it was given, and keeps what it read in pager.out.
write_pager() {
	cat >"$1" <<-EOF
	#!/bin/sh
	echo "$2 LESS=\$LESS LV=\$LV GIT_PAGER_IN_USE=\$GIT_PAGER_IN_USE" >>"$PWD/pager.log"
	cat >"$PWD/pager.out"
	EOF
	chmod +x "$1"
}

test_expect_success 'the demo archive, and pagers standing in for less' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	mkdir -p bin &&
	write_pager bin/less less &&
	write_pager bin/pager-env PAGER &&
	write_pager bin/git-pager GIT_PAGER &&
	write_pager bin/core-pager core.pager &&
	write_pager bin/cmd-pager pager.bpfdigest &&
	export PATH="$PWD/bin:$PATH" &&
	cd demo/kernel &&
	git bpfdigest series --no-summaries $v1_patch >../../plain &&
	git bpfdigest --no-color weekly --date=2026-04-08 >../../weekly-plain 2>&1
'

reset_pager() {
	rm -f "$TRASH_DIRECTORY/pager.log" "$TRASH_DIRECTORY/pager.out"
}

test_expect_success 'on a terminal the output goes to less, with LESS=FRX and LV=-c' '
	reset_pager &&
	(cd demo/kernel && on_tty git-bpfdigest --no-color weekly --date=2026-04-08) >tty &&
	test ! -s tty &&
	echo "less LESS=FRX LV=-c GIT_PAGER_IN_USE=true" >expect &&
	test_cmp expect pager.log &&
	test_cmp weekly-plain pager.out
'

test_expect_success 'LESS and LV that are set are left alone' '
	reset_pager &&
	(cd demo/kernel && LESS=-S LV=-x on_tty git-bpfdigest series $v1_patch) &&
	echo "less LESS=-S LV=-x GIT_PAGER_IN_USE=true" >expect &&
	test_cmp expect pager.log
'

test_expect_success 'no pager when stdout is no terminal' '
	reset_pager &&
	(cd demo/kernel && git-bpfdigest --no-color weekly --date=2026-04-08) >out 2>&1 &&
	test_cmp weekly-plain out &&
	test ! -e pager.log
'

test_expect_success 'no pager when one is in use already (GIT_PAGER_IN_USE)' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER_IN_USE=true on_tty git-bpfdigest --no-color weekly --date=2026-04-08) >tty &&
	test ! -e pager.log &&
	test_cmp weekly-plain tty
'

test_expect_success 'no pager with -P, --no-pager, git --no-pager or pager.bpfdigest=false' '
	reset_pager &&
	(
		cd demo/kernel &&
		on_tty git-bpfdigest -P --no-color weekly --date=2026-04-08 &&
		on_tty git-bpfdigest --no-pager series $v1_patch &&
		on_tty git --no-pager bpfdigest series $v1_patch &&
		on_tty git -c pager.bpfdigest=false bpfdigest series $v1_patch &&
		on_tty git-bpfdigest -p -P series $v1_patch
	) >tty &&
	test ! -e pager.log &&
	grep -c "^  by Jane Developer <jane@example.org>" tty >count &&
	echo 4 >expect &&
	test_cmp expect count
'

# Through git, a false pager.bpfdigest is GIT_PAGER=cat already: git -p is
# the way there.
test_expect_success '-p pages even when pager.bpfdigest is false' '
	reset_pager &&
	git -C demo/kernel config pager.bpfdigest false &&
	(cd demo/kernel && on_tty git-bpfdigest -p series $v1_patch &&
		PAGER=less on_tty git -p bpfdigest series $v1_patch) &&
	git -C demo/kernel config --unset pager.bpfdigest &&
	test $(wc -l <pager.log) = 2
'

test_expect_success 'the pager: GIT_PAGER, pager.bpfdigest, core.pager, PAGER, then less' '
	(
		cd demo/kernel &&
		reset_pager &&
		GIT_PAGER=git-pager PAGER=pager-env on_tty git -c pager.bpfdigest=cmd-pager \
			-c core.pager=core-pager bpfdigest series $v1_patch &&
		PAGER=pager-env on_tty git -c pager.bpfdigest=cmd-pager \
			-c core.pager=core-pager bpfdigest series $v1_patch &&
		PAGER=pager-env on_tty git -c core.pager=core-pager bpfdigest series $v1_patch &&
		PAGER=pager-env on_tty git bpfdigest series $v1_patch &&
		on_tty git bpfdigest series $v1_patch
	) &&
	sed "s/ .*//" pager.log >order &&
	printf "%s\n" GIT_PAGER pager.bpfdigest core.pager PAGER less >expect &&
	test_cmp expect order
'

test_expect_success 'a pager named cat or empty is no pager' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER=cat on_tty git-bpfdigest series $v1_patch &&
		PAGER= on_tty git-bpfdigest series $v1_patch) >tty &&
	test ! -e pager.log &&
	test $(grep -c "^  by Jane Developer <jane@example.org>" tty) = 2
'

test_expect_success 'the pager runs through the shell when it needs one' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER="sed s/Widget/Gadget/ >\"$TRASH_DIRECTORY/pager.out\"" \
		on_tty git-bpfdigest --no-color series $v1_patch) &&
	grep "^bpf: Gadget maps$" pager.out
'

test_expect_success 'git -p bpfdigest: git pages, we do not page again, colours pass' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER=git-pager on_tty git -p bpfdigest series $v1_patch) &&
	test $(wc -l <pager.log) = 1 &&
	grep "^GIT_PAGER LESS=FRX LV=-c " pager.log &&
	grep -q "$(printf "\033")\[1mbpf: Widget maps" pager.out
'

test_expect_success 'color.pager=false: no colour in the pager' '
	reset_pager &&
	(cd demo/kernel && on_tty git -c color.pager=false bpfdigest series $v1_patch) &&
	grep "^bpf: Widget maps$" pager.out &&
	reset_pager &&
	(cd demo/kernel && GIT_PAGER=git-pager on_tty git -c color.pager=false -p bpfdigest series $v1_patch) &&
	grep "^bpf: Widget maps$" pager.out
'

test_expect_success 'errors go to the pager too, and the exit status is kept' '
	reset_pager &&
	(cd demo/kernel && test_expect_code 1 on_tty git-bpfdigest --no-color series $v1_patch nosuch@id) >tty &&
	test ! -s tty &&
	grep "^error: no series contains message .nosuch@id.$" pager.out &&
	grep "^bpf: Widget maps$" pager.out
'

test_expect_success 'a pager that cannot run is named, and the output still shown' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER=/nonexistent/pager on_tty git-bpfdigest --no-color series $v1_patch) >tty &&
	grep "^error: cannot run the pager ./nonexistent/pager.: No such file or directory$" tty &&
	grep "^bpf: Widget maps$" tty
'

test_expect_success 'we wait for the pager before we exit' '
	reset_pager &&
	(cd demo/kernel && GIT_PAGER="sleep 1; cat >\"$TRASH_DIRECTORY/pager.out\"" \
		on_tty git-bpfdigest --no-color series --no-summaries $v1_patch) &&
	test_cmp plain pager.out
'

# Progress is drawn on stderr when it is a terminal: with stderr going to
# the pager, it is not, and the pager gets none.
test_expect_success 'progress stays out of the pager' '
	reset_pager &&
	rm -rf demo/kernel/.git/bpfdigest &&
	(cd demo/kernel && GIT_PROGRESS_DELAY=0 on_tty git-bpfdigest -P series $v1_patch) >tty &&
	grep "Reading messages: 100% (16/16), done.$" tty &&
	rm -rf demo/kernel/.git/bpfdigest &&
	(cd demo/kernel && GIT_PROGRESS_DELAY=0 on_tty git-bpfdigest series $v1_patch) >tty &&
	test ! -s tty &&
	grep "bpf: Widget maps" pager.out &&
	! grep -q "Reading messages" pager.out
'

# Colour.

esc=$(printf "\033")
cat >colored-series <<EOF
${esc}[1mbpf: Widget maps${esc}[m
  v1 2026-04-06, 3 patches, ${esc}[31msuperseded${esc}[m, 1 participant
        <20260406100000.widgets-1@example.org>, ${esc}[31msuperseded${esc}[m, no replies
  v2 2026-04-09, 3 patches, ${esc}[33mposted${esc}[m
EOF

# The coloured lines of a series output: the title, revisions, a patch.
colored_lines() {
	grep -e "^${esc}\[" -e "^  v[0-9]" -e "widgets-1@example.org>, .*superseded" "$1"
}

test_expect_success '--color: titles and statuses of series in colour' '
	(cd demo/kernel && git bpfdigest --color series --no-summaries $v1_patch) >out &&
	colored_lines out >lines &&
	test_cmp colored-series lines &&
	sed "s/${esc}\[[0-9;]*m//g" out >stripped &&
	test_cmp plain stripped
'

test_expect_success '--color=always after the command, and in a digest' '
	(cd demo/kernel && git bpfdigest daily --date=2026-04-06 --color=always) >out &&
	grep "^${esc}\[1mbpf: Add BPF_MAP_TYPE_WIDGET to the uapi${esc}\[m$" out &&
	grep "${esc}\[31mSuperseded by v2 of April 9.${esc}\[m <https://" out
'

test_expect_success 'never in markdown, JSON or mbox, whatever is asked' '
	(
		cd demo/kernel &&
		for fmt in markdown json mbox; do
			git -c color.ui=always bpfdigest --color=always --format=$fmt daily --date=2026-04-06 &&
			git -c color.bpfdigest=always bpfdigest --color=always --format=$fmt series $v1_patch ||
			return 1
		done
	) >out &&
	test -s out &&
	! grep -q "$esc" out
'

test_expect_success 'auto: colour on a terminal, not in a file, not for TERM=dumb' '
	(cd demo/kernel && on_tty git-bpfdigest -P series $v1_patch) >tty &&
	grep "^${esc}\[1mbpf: Widget maps" tty &&
	(cd demo/kernel && git-bpfdigest --color=auto series $v1_patch) >file &&
	! grep -q "$esc" file &&
	(cd demo/kernel && TERM=dumb on_tty git-bpfdigest -P series $v1_patch) >tty &&
	grep "^bpf: Widget maps$" tty &&
	(cd demo/kernel && on_tty env -u TERM git-bpfdigest -P series $v1_patch) >tty &&
	grep "^bpf: Widget maps$" tty
'

# first_line CONFIG... -- OPTIONS...: the first line of series output.
first_line() {
	local cfg=()
	while test "$1" != --; do
		cfg+=(-c "$1")
		shift
	done
	shift
	(cd demo/kernel && git "${cfg[@]}" bpfdigest "$@" series $v1_patch) | head -n 1
}

test_expect_success '--color, then color.bpfdigest, then color.ui' '
	bold="${esc}[1mbpf: Widget maps${esc}[m" plain="bpf: Widget maps" &&
	test "$(first_line color.ui=always --)" = "$bold" &&
	test "$(first_line color.bpfdigest=always --)" = "$bold" &&
	test "$(first_line color.ui=always color.bpfdigest=never --)" = "$plain" &&
	test "$(first_line color.ui=never color.bpfdigest=always --)" = "$bold" &&
	test "$(first_line color.bpfdigest=always -- --color=never)" = "$plain" &&
	test "$(first_line color.bpfdigest=always -- --no-color)" = "$plain" &&
	test "$(first_line color.bpfdigest=never -- --color)" = "$bold" &&
	test "$(first_line color.ui=never -- --color=always --no-color --color)" = "$bold" &&
	test "$(first_line color.bpfdigest=true --)" = "$plain"
'

test_expect_success 'color.bpfdigest.<slot> in git'"'"'s syntax' '
	test "$(first_line "color.bpfdigest.title=blue ul" -- --color)" = \
		"${esc}[4;34mbpf: Widget maps${esc}[m" &&
	test "$(first_line "color.bpfdigest.title=#ff8700 nobold" -- --color)" = \
		"${esc}[22;38;2;255;135;0mbpf: Widget maps${esc}[m" &&
	test "$(first_line "color.bpfdigest.title=normal" -- --color)" = "bpf: Widget maps" &&
	(cd demo/kernel && git -c color.bpfdigest.superseded="brightred reverse" \
		-c color.bpfdigest.posted=208 bpfdigest --color series $v1_patch) >out &&
	grep "^  v1 2026-04-06, 3 patches, ${esc}\[7;91msuperseded${esc}\[m, 1 participant$" out &&
	grep "^  v2 2026-04-09, 3 patches, ${esc}\[38;5;208mposted${esc}\[m$" out
'

test_expect_success 'bad values are named' '
	cd demo/kernel &&
	test_expect_code 129 git bpfdigest --color=sometimes series $v1_patch 2>err &&
	grep "^error: option .color. expects always, never or auto, not .sometimes.$" err &&
	test_expect_code 129 git bpfdigest series --color=sometimes $v1_patch 2>err &&
	grep "^usage: git bpfdigest series" err &&
	test_expect_code 128 git -c color.ui=sometimes bpfdigest series $v1_patch 2>err &&
	grep "^fatal: bad config value .sometimes. for .color.ui.$" err &&
	test_expect_code 128 git -c color.bpfdigest.title=purple bpfdigest --color series $v1_patch 2>err &&
	grep "^fatal: bad color value .purple. for .color.bpfdigest.title.$" err
'

test_done
