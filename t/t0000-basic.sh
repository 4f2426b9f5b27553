#!/bin/bash
test_description='command-line conventions: usage, exit codes, config, repository'
. "${0%/*}/test-lib.sh"

test_expect_success '-h prints usage on stdout and exits 129' '
	test_expect_code 129 git-bpfdigest -h >out 2>err &&
	grep "^usage: git bpfdigest" out &&
	# every command, with its line of help
	grep "^commands:$" out &&
	for c in daily weekly monthly digest series link notes release update; do
		grep "^    $c  *[a-z]" out || exit 1
	done &&
	test ! -s err
'

test_expect_success 'git bpfdigest -h works through git' '
	test_expect_code 129 git bpfdigest -h >out &&
	grep "^usage: git bpfdigest" out
'

test_expect_success 'an unknown option prints usage on stderr and exits 129' '
	test_expect_code 129 git-bpfdigest --no-such-option >out 2>err &&
	test ! -s out &&
	grep "unknown option .no-such-option." err &&
	grep "^usage: " err
'

test_expect_success 'no command is a usage error' '
	test_expect_code 129 git-bpfdigest >out 2>err &&
	grep "^usage: " err
'

test_expect_success 'an unknown command is a usage error' '
	test_expect_code 129 git-bpfdigest frobnicate 2>err &&
	grep "unknown command .frobnicate." err
'

test_expect_success 'subcommand -h prints its own usage and exits 129' '
	test_expect_code 129 git-bpfdigest weekly -h >out &&
	grep "^usage: git bpfdigest weekly" out &&
	grep -- "--week=<YYYY-Www>" out
'

test_expect_success 'a subcommand option needs its value' '
	test_expect_code 129 git-bpfdigest daily --date 2>err &&
	grep "requires a value" err
'

test_expect_success 'a missing inbox is fatal, names it, exits 128' '
	test_expect_code 128 git-bpfdigest --inbox=/nonexistent/inbox weekly 2>err &&
	grep "^fatal: cannot open inbox ./nonexistent/inbox.: No such file or directory$" err
'

test_expect_success 'no inbox at all is fatal' '
	test_expect_code 128 git-bpfdigest weekly 2>err &&
	grep "^fatal: no inbox given" err
'

test_expect_success 'a bad date is a usage error that names it' '
	mkdir empty-inbox &&
	git init -q --bare empty-inbox/git/0.git &&
	test_expect_code 129 git-bpfdigest --inbox=empty-inbox daily --date=2026-02-30 2>err &&
	grep "invalid date .2026-02-30." err
'

test_expect_success 'an unknown format is a usage error' '
	test_expect_code 129 git-bpfdigest --inbox=empty-inbox --format=pdf weekly 2>err &&
	grep "^error: option .format. expects text, markdown, json or mbox, not .pdf.$" err
'

test_expect_success 'an unknown time zone is a usage error' '
	test_expect_code 129 git-bpfdigest --inbox=empty-inbox --tz=Mars/Olympus weekly 2>err &&
	grep "^error: option .tz. expects .*, not .Mars/Olympus.$" err
'

test_expect_success 'an empty inbox outside a repository gives the empty digest' '
	git-bpfdigest --inbox=empty-inbox digest --since=2026-01-01 --until=2026-01-08 >out &&
	head -n 1 out >first &&
	echo "No patches were submitted to the list from January 1 to January 7, 2026." >expect &&
	test_cmp expect first &&
	grep "^Generated [0-9-]*T[0-9:]*Z$" out
'

test_expect_success 'SOURCE_DATE_EPOCH fixes the Generated stamp' '
	SOURCE_DATE_EPOCH=1776124800 git-bpfdigest --inbox=empty-inbox weekly --week=2026-W15 >out &&
	tail -n 1 out >last &&
	echo "Generated 2026-04-14T00:00:00Z" >expect &&
	test_cmp expect last
'

test_expect_success 'bpfdigest.inbox from the repository configuration' '
	git init -q repo &&
	git -C repo config bpfdigest.inbox "$PWD/missing-from-config" &&
	test_expect_code 128 git -C repo bpfdigest weekly 2>err &&
	grep "cannot open inbox .$PWD/missing-from-config." err
'

test_expect_success 'git -c bpfdigest.inbox=X adds X to the configured inboxes' '
	git -C repo config bpfdigest.inbox "$PWD/empty-inbox" &&
	test_expect_code 128 git -C repo -c bpfdigest.inbox="$PWD/from-command-line" bpfdigest weekly 2>err &&
	grep "cannot open inbox .$PWD/from-command-line." err
'

test_expect_success 'an empty bpfdigest.inbox resets the list, as credential.helper does' '
	git -C repo config --add bpfdigest.inbox "$PWD/missing-from-config" &&
	git -C repo -c bpfdigest.inbox= -c bpfdigest.inbox="$PWD/empty-inbox" bpfdigest daily --date=2026-01-01 >out &&
	grep "^No patches were submitted" out &&
	git -C repo config --unset-all bpfdigest.inbox &&
	git -C repo config bpfdigest.inbox "$PWD/missing-from-config"
'

test_expect_success 'git -c works outside a repository too' '
	git -c bpfdigest.inbox="$PWD/empty-inbox" bpfdigest daily --date=2026-01-01 >out &&
	grep "^No patches were submitted" out
'

test_expect_success '--inbox overrides the configuration' '
	git -C repo bpfdigest --inbox="$PWD/empty-inbox" daily --date=2026-01-01 >out &&
	grep "^No patches were submitted" out
'

test_expect_success 'config include.path is honoured' '
	git config -f included.cfg bpfdigest.inbox "$PWD/from-include" &&
	git -C repo config --unset bpfdigest.inbox &&
	git -C repo config include.path "$PWD/included.cfg" &&
	test_expect_code 128 git -C repo bpfdigest weekly 2>err &&
	grep "cannot open inbox .$PWD/from-include." err
'

test_expect_success 'a bad bpfdigest.format in the configuration is fatal and named' '
	test_expect_code 128 git -c bpfdigest.format=nope bpfdigest --inbox=empty-inbox weekly 2>err &&
	grep "^fatal: bad config value .nope. for .bpfdigest.format.$" err
'

test_expect_success 'GIT_DIR is honoured' '
	GIT_DIR="$PWD/repo/.git" git-bpfdigest weekly 2>err;
	test $? = 128 && grep "from-include" err
'

test_done
