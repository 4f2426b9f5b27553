#!/bin/bash
test_description='the manual page: built, installed, found by git help, true to the program'
. "${0%/*}/test-lib.sh"

ADOC="$BUILD_DIR/Documentation/git-bpfdigest.adoc"
PAGE="$BUILD_DIR/Documentation/git-bpfdigest.1"
test -f "$PAGE" || skip_all "the manual page is not built (make doc)"
test_require_command man
export MANWIDTH=80 MANPAGER=cat PAGER=cat
unset MANPATH

# The lines of one "== SECTION" of the page's source.
section() {
	sed -n "/^== $1\$/,/^== /{/^== /d;p}" "$ADOC"
}

# The option names of a usage or of a definition list, one per line:
# "-q, --[no-]quiet" gives -q and --quiet, and with --negated --no-quiet
# too; "--color[=<when>]" gives --color.
option_names() {
	tr ',' '\n' | sed -e 's/^ *//' -e 's/\[\?=.*//' -e 's/ .*//' |
		if test "$1" = --negated; then
			sed 's/^--\[no-\]\(.*\)/--\1\n--no-\1/'
		else
			sed 's/^--\[no-\]/--/'
		fi | grep '^-' | sort -u
}

# The options of "git bpfdigest [<command>] -h" ($2: --negated).
help_options() {
	git bpfdigest $1 -h | sed -n 's/^    \(-[^ ,]*\(, -[^ ,]*\)*\) .*/\1/p' | option_names $2
}

# The options the OPTIONS section defines, in the subsection for command
# $1 ("" for the global options), or in all of it with "--all".
man_options() {
	section OPTIONS | awk -v cmd="$1" '
		/^=== / {
			title = $0
			sub(/^=== /, "", title)
			want = cmd == "--all" || (cmd == "" && title ~ /^Global/) ||
			       (cmd != "" && (" " title " ") ~ ("[ ,]" cmd "[ ,]"))
			next
		}
		want && /^-.*::$/ { sub(/::$/, ""); print }' | option_names --negated
}

test_expect_success 'the page renders with man, every section there' '
	man -l "$PAGE" >rendered 2>err &&
	test ! -s err &&
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION ENVIRONMENT \
		 "EXIT STATUS" INSTALLATION EXAMPLES "SEE ALSO"; do
		grep -q "^$s\$" rendered || { echo "no section $s" >&2; return 1; }
	done &&
	grep -q "^ *git-bpfdigest - digests of a kernel mailing list" rendered
'

test_expect_success 'the page is built from its source without a warning' '
	asciidoctor -b manpage --failure-level=WARN -o fresh.1 "$ADOC" 2>err &&
	test ! -s err &&
	man -l fresh.1 >fresh &&
	sed "\$d" rendered >expect &&
	sed "\$d" fresh >actual &&
	test_cmp expect actual
'

test_expect_success 'every command is in the SYNOPSIS and under COMMANDS' '
	git bpfdigest --list-cmds >cmds &&
	test -s cmds &&
	section SYNOPSIS >synopsis &&
	section COMMANDS >commands &&
	while read cmd; do
		grep -q "^_git bpfdigest $cmd_" synopsis &&
		grep -Eq "(^|, )$cmd(,.*)?::\$" commands ||
		{ echo "$cmd is not documented" >&2; return 1; }
	done <cmds
'

test_expect_success 'every option -h prints is under OPTIONS, in its command'"'"'s part' '
	man_options "" >global &&
	grep -q -- "^--inbox\$" global &&
	help_options "" >main-h &&
	comm -23 main-h global >missing &&
	while read cmd; do
		help_options "$cmd" >"$cmd-h" &&
		# version alone takes no option at all
		{ test -s "$cmd-h" || test "$cmd" = version; } &&
		man_options "$cmd" | sort -u - global >"$cmd-man" &&
		comm -23 "$cmd-h" "$cmd-man" | sed "s/^/$cmd: /" >>missing || return 1
	done <cmds &&
	test_cmp /dev/null missing
'

test_expect_success 'every option under OPTIONS is one the program takes' '
	{
		printf "%s\n" -h --help &&
		for cmd in "" $(cat cmds); do
			help_options "$cmd" --negated || return 1
		done
	} | sort -u >taken &&
	man_options --all >documented &&
	comm -13 taken documented >unknown &&
	test_cmp /dev/null unknown
'

# Keys are read as string literals; "color.bpfdigest.%s" is documented as
# color.bpfdigest.<slot>.
test_expect_success 'CONFIGURATION documents every key the code reads, and no other' '
	test -f "$BUILD_DIR/git-bpfdigest.c" || { echo "no source in $BUILD_DIR" >&2; return 1; } &&
	cat "$BUILD_DIR/git-bpfdigest.c" "$BUILD_DIR"/lib/*.c |
		grep -oE "\"(bpfdigest|b4|color|pager|core)\.[A-Za-z%.]*[A-Za-z%]\"" |
		tr -d "\"" | grep -v "\.h\$" | sed "s/%s/<>/" | sort -u >read &&
	grep -q "^bpfdigest\.inbox\$" read &&
	section CONFIGURATION | sed -n "s/^\([a-z0-9]*\.[A-Za-z0-9.<>]*\)::\$/\1/p" |
		sed "s/<[a-z]*>/<>/" | sort -u >keys &&
	comm -23 read keys >undocumented &&
	comm -13 read keys >unread &&
	test_cmp /dev/null undocumented &&
	test_cmp /dev/null unread
'

test_expect_success 'make install puts the page where man finds it from PATH' '
	make -C "$BUILD_DIR" -s -o git-bpfdigest -o Documentation/git-bpfdigest.1 \
		install prefix="$PWD/inst" >/dev/null &&
	test -f inst/share/man/man1/git-bpfdigest.1 &&
	PATH="$PWD/inst/bin:/usr/bin:/bin" man git-bpfdigest >found &&
	test_cmp rendered found
'

test_expect_success 'git help -m bpfdigest opens it, with MANPATH too' '
	PATH="$PWD/inst/bin:/usr/bin:/bin" git help -m bpfdigest >help-m &&
	test_cmp rendered help-m &&
	mkdir -p elsewhere &&
	mv inst/share/man elsewhere/ &&
	PATH="$PWD/inst/bin:/usr/bin:/bin" MANPATH="$PWD/elsewhere/man:" git help -m bpfdigest >help-manpath &&
	mv elsewhere/man inst/share/ &&
	test_cmp rendered help-manpath
'

test_expect_success 'git bpfdigest --help and --help after a command open it' '
	PATH="$PWD/inst/bin:/usr/bin:/bin" git bpfdigest --help >help1 &&
	test_cmp rendered help1 &&
	PATH="$PWD/inst/bin:/usr/bin:/bin" git-bpfdigest --help >help2 &&
	test_cmp rendered help2 &&
	PATH="$PWD/inst/bin:/usr/bin:/bin" git bpfdigest weekly --help >help3 &&
	test_cmp rendered help3
'

test_expect_success '--help says so when git help cannot run' '
	test_expect_code 128 env PATH=/nonexistent "$BUILD_DIR/git-bpfdigest" --help 2>err &&
	grep "^fatal: cannot run .git help bpfdigest.: No such file or directory$" err
'

test_expect_success 'make uninstall removes what install put, DESTDIR too' '
	make -C "$BUILD_DIR" -s uninstall prefix="$PWD/inst" &&
	test -z "$(find inst -type f)" &&
	make -C "$BUILD_DIR" -s -o git-bpfdigest -o Documentation/git-bpfdigest.1 \
		install DESTDIR="$PWD/stage" prefix=/usr bashcompdir=/usr/share/bash-completion/completions >/dev/null &&
	(cd stage && find . -type f | sort) >staged &&
	cat >expect <<-\EOF &&
	./usr/bin/git-bpfdigest
	./usr/share/bash-completion/completions/git-bpfdigest
	./usr/share/man/man1/git-bpfdigest.1
	EOF
	test_cmp expect staged &&
	cmp "$BUILD_DIR/git-bpfdigest" stage/usr/bin/git-bpfdigest &&
	test -x stage/usr/bin/git-bpfdigest &&
	make -C "$BUILD_DIR" -s uninstall DESTDIR="$PWD/stage" prefix=/usr &&
	test -z "$(find stage -type f)"
'

test_done
