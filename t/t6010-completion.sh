#!/bin/bash
test_description='bash completion: git completion loads ours and offers what the program says'
. "${0%/*}/test-lib.sh"

test -f /usr/share/bash-completion/bash_completion ||
	skip_all "bash-completion is not installed"
test -f /usr/share/bash-completion/completions/git ||
	skip_all "git's bash completion is not installed"
unset XDG_DATA_HOME BASH_COMPLETION_USER_DIR

# complete WORD...: what bash offers for the last word, one per line,
# sorted.  A fresh bash loads completions as an interactive one does:
# bash-completion first, then the command's completion on demand, from
# /usr/share and from ~/.local/share/bash-completion/completions.
cat >complete.bash <<-\EOF
	source /usr/share/bash-completion/bash_completion
	func=
	for try in 1 2; do
		func=$(complete -p "$1" 2>/dev/null | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		test -n "$func" && break
		_completion_loader "$1"
	done
	test -n "$func" || { echo "no completion for $1" >&2; exit 1; }
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sed 's/ $//' | sort
EOF
complete() {
	bash "$TRASH_DIRECTORY/complete.bash" "$@"
}

test_expect_success 'make install puts the completion where bash-completion looks' '
	make -C "$BUILD_DIR" -s -o git-bpfdigest -o Documentation/git-bpfdigest.1 \
		install prefix="$HOME/.local" >/dev/null &&
	test -f "$HOME/.local/share/bash-completion/completions/git-bpfdigest" &&
	export PATH="$HOME/.local/bin:$PATH"
'

test_expect_success 'git <TAB> offers bpfdigest, found in PATH' '
	complete git bpf >out &&
	echo bpfdigest >expect &&
	test_cmp expect out
'

test_expect_success 'the commands are those the program lists' '
	git bpfdigest --list-cmds | sort >expect &&
	test -s expect &&
	complete git bpfdigest "" >out &&
	test_cmp expect out &&
	complete git bpfdigest ser >out &&
	echo series >expect &&
	test_cmp expect out
'

test_expect_success 'git-bpfdigest <TAB> completes the same' '
	complete git-bpfdigest we >out &&
	echo weekly >expect &&
	test_cmp expect out &&
	complete git-bpfdigest series --rev >out &&
	echo --revision= >expect &&
	test_cmp expect out
'

test_expect_success 'global options, from the program, hidden ones left out' '
	complete git bpfdigest -- >out &&
	cat >expect <<-\EOF &&
	--color
	--format=
	--inbox=
	--no-...
	--no-pager
	--paginate
	--progress
	--quiet
	--tz=
	--version
	EOF
	test_cmp expect out
'

test_expect_success 'a command'"'"'s options, and their negations' '
	complete git bpfdigest series -- >out &&
	cat >expect <<-\EOF &&
	--add-trailers
	--all
	--color
	--format=
	--inbox=
	--no-...
	--revision=
	--since=
	--summaries
	--tz=
	--until=
	--with-replies
	EOF
	test_cmp expect out &&
	complete git bpfdigest --inbox=x series --no- >out &&
	printf "%s\n" --no-add-trailers --no-all --no-color --no-summaries --no-with-replies >expect &&
	test_cmp expect out
'

test_expect_success 'every command completes every option its -h shows' '
	for cmd in $(git bpfdigest --list-cmds); do
		git bpfdigest $cmd -h | sed -n "s/^    \(-[a-z], \)\?--\(\[no-\]\)\?\([a-z-]*\).*/--\3/p" |
			sort >expect &&
		{ test -s expect || test $cmd = version; } &&
		complete git bpfdigest $cmd -- | sed -e "s/=\$//" -e "/^--no-\.\.\.\$/d" >out &&
		test_cmp expect out || return 1
	done
'

test_expect_success '--format= offers the formats the program takes' '
	complete git bpfdigest --format= >out &&
	printf "%s\n" json markdown mbox text >expect &&
	test_cmp expect out &&
	mkdir -p inbox && git init -q --bare inbox/git/0.git &&
	test_expect_code 129 git bpfdigest --inbox=inbox --format=nope daily 2>err &&
	sed -n "s/.* expects \(.*\), not .nope.\$/\1/p" err | sed "s/,\? or /, /" | tr -s ", " "\n" | sort >taken &&
	test_cmp expect taken &&
	complete git bpfdigest weekly --format=ma >out &&
	echo markdown >expect &&
	test_cmp expect out
'

test_expect_success '--color= offers always, never and auto' '
	complete git bpfdigest --color= >out &&
	printf "%s\n" always auto never >expect &&
	test_cmp expect out &&
	for when in always auto never; do
		git bpfdigest --inbox=inbox --color=$when daily --date=2026-01-01 >/dev/null || return 1
	done
'

# Until the queue command is built (issue 16: it needs the states), there is nothing to offer.
if git bpfdigest --list-cmds | grep -qx queue; then
test_expect_success 'queue --state= offers the states the program takes, after each comma' '
	complete git bpfdigest queue --state= >out &&
	test_expect_code 129 git bpfdigest --inbox=inbox queue --state=nope 2>err &&
	sed -n "s/.* expects states (\(.*\)), not .nope.\$/\1/p" err | tr -s ", " "\n" | sort >expect &&
	test -s expect &&
	test_cmp expect out &&
	complete git bpfdigest queue --state=nacked,chan >out &&
	echo nacked,changes-requested >expect &&
	test_cmp expect out
'
else
	test_skip "queue --state= offers the states the program takes, after each comma" "no queue command in this build"
fi

test_expect_success '--inbox= offers directories' '
	mkdir -p lore/bpf && : >lore/file &&
	complete git bpfdigest --inbox=lo >out &&
	echo lore/ >expect &&
	test_cmp expect out &&
	complete git bpfdigest --inbox=lore/ >out &&
	echo lore/bpf/ >expect &&
	test_cmp expect out
'

# A command whose usage names a <revision-range> completes revisions with
# git's own __git_complete_revlist.
test_expect_success 'a repository with a branch and a tag' '
	git init -q repo &&
	git -C repo commit -q --allow-empty -m one &&
	git -C repo tag v7.0 &&
	git -C repo branch maint
'
revcmds=$(for cmd in $(git bpfdigest --list-cmds); do
	git bpfdigest $cmd -h | grep -q "<revision-range>" && echo $cmd
done)
if test -z "$revcmds"; then
	test_skip 'revision ranges complete as in git log' 'no command takes a <revision-range> yet'
fi
for cmd in $revcmds; do
	test_expect_success "'$cmd' completes revisions and ranges" "
		(cd repo && complete git bpfdigest $cmd ma) >out &&
		printf '%s\n' maint master >expect &&
		test_cmp expect out &&
		(cd repo && complete git bpfdigest $cmd v7.0..mai) >out &&
		echo v7.0..maint >expect &&
		test_cmp expect out
	"
done

test_done
