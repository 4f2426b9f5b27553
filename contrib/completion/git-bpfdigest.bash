# bash completion for git-bpfdigest(1)                       -*- shell-script -*-
#
# "make install" puts this file in bash-completion's completions directory
# as "git-bpfdigest".  Completing "git bpfdigest <TAB>", git's completion
# loads it from there by that name and calls _git_bpfdigest; completing
# "git-bpfdigest <TAB>", bash-completion loads it by the command's name.
# To use it from a checkout instead, after git's completion:
#
#   source /usr/share/bash-completion/completions/git
#   source contrib/completion/git-bpfdigest.bash
#
# Nothing is listed here that the program can say: the commands come
# from "git bpfdigest --list-cmds", each command's options from
# "--git-completion-helper" (through git's __gitcomp_builtin, which keeps
# them for the rest of the session), and the commands taking revisions
# are those whose usage names a <revision-range>.  Only the values of
# --format, --color and queue's --state are spelled out.

# The commands, asked once per shell.
__git_bpfdigest_commands ()
{
	if [ -z "${__git_bpfdigest_cmds-}" ]; then
		__git_bpfdigest_cmds="$(__git bpfdigest --list-cmds)"
	fi
	echo "$__git_bpfdigest_cmds"
}

# Does the command's usage ("git bpfdigest <cmd> -h") name a revision range?
__git_bpfdigest_takes_revisions ()
{
	local var="__git_bpfdigest_revs_${1//-/_}"

	if [ -z "${!var-}" ]; then
		case "$(__git bpfdigest "$1" -h)" in
		*"<revision-range>"*) printf -v "$var" yes ;;
		*) printf -v "$var" no ;;
		esac
	fi
	[ "${!var}" = yes ]
}

_git_bpfdigest ()
{
	local subcommand

	case "$cur" in
	--format=*)
		__gitcomp "text markdown json mbox" "" "${cur##--format=}"
		return
		;;
	--color=*)
		__gitcomp "always never auto" "" "${cur##--color=}"
		return
		;;
	--state=*)
		# A comma-separated list: complete the word after the last comma.
		local states="${cur##--state=}"
		__gitcomp "posted reviewed stalled changes-requested nacked deferred partially-applied applied superseded" \
			"${states%"${states##*,}"}" "${states##*,}"
		return
		;;
	--inbox=*)
		# A directory; the words after --inbox= are completed alone.
		__gitcomp_nl "$(compgen -d -- "${cur##--inbox=}")" "" "${cur##--inbox=}" "/"
		return
		;;
	esac

	subcommand="$(__git_find_on_cmdline "$(__git_bpfdigest_commands)")"
	if [ -z "$subcommand" ]; then
		case "$cur" in
		-*) __gitcomp_builtin bpfdigest ;;
		*) __gitcomp "$(__git_bpfdigest_commands)" ;;
		esac
		return
	fi

	case "$cur" in
	-*)
		__gitcomp_builtin "bpfdigest_$subcommand"
		;;
	*)
		if __git_bpfdigest_takes_revisions "$subcommand"; then
			__git_complete_revlist
		fi
		;;
	esac
}

# "git-bpfdigest <TAB>", with git's completion loaded first if need be.
if ! declare -F __git_complete >/dev/null 2>&1 &&
   declare -F _completion_loader >/dev/null 2>&1; then
	_completion_loader git
fi
if declare -F __git_complete >/dev/null 2>&1; then
	__git_complete git-bpfdigest _git_bpfdigest
fi
