#!/bin/bash
test_description='b4 and git am: series as mboxrd, applied by real git am and b4 am; b4 masks'
. "${0%/*}/test-lib.sh"
test_require_command b4

v1_cover=20260406100000.widgets-0@example.org
v2_cover=20260409100000.widgets-0@example.org

test_expect_success 'the demo archive' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	cd demo/kernel &&
	git bpfdigest series --format=mbox $v2_cover >../../v2.mbox
'

test_expect_success 'series --format=mbox: the patches of the latest revision, no cover' '
	grep "^From mboxrd@z Thu Jan  1 00:00:00 1970$" v2.mbox >separators &&
	test $(wc -l <separators) = 3 &&
	grep "^Subject: " v2.mbox >subjects &&
	cat >expect <<-\EOF &&
	Subject: [PATCH bpf-next v2 1/3] bpf: Add BPF_MAP_TYPE_WIDGET to the uapi
	Subject: [PATCH bpf-next v2 2/3] bpf: Implement widget maps
	Subject: [PATCH bpf-next v2 3/3] selftests/bpf: Add widget map tests
	EOF
	test_cmp expect subjects
'

test_expect_success 'each message is the archived one, byte for byte' '
	git -C demo/inbox/git/0.git log --format="%H %s" >log &&
	n=0 &&
	for c in $(grep "v2 [123]/3" log | sort -k6 | cut -d" " -f1); do
		n=$((n + 1)) &&
		git -C demo/inbox/git/0.git cat-file blob $c:m >archived-$n || return 1
	done &&
	test $n = 3 &&
	awk "/^From mboxrd@z /{ n++; next } { print > (\"written-\" n) }" v2.mbox &&
	for n in 1 2 3; do
		sed "\$d" written-$n >w && test_cmp archived-$n w || return 1
	done
'

test_expect_success 'git am applies it to a fresh branch, as Jane committed it' '
	cd demo/kernel &&
	git checkout -q -b widgets-v2 v7.0 &&
	git am -q ../../v2.mbox &&
	git log --format="%an <%ae>|%s" v7.0.. >../../applied &&
	git show HEAD~1:kernel/bpf/widget.c >../../widget.c &&
	git checkout -q master &&
	cd ../.. &&
	cat >expect <<-\EOF &&
	Jane Developer <jane@example.org>|selftests/bpf: Add widget map tests
	Jane Developer <jane@example.org>|bpf: Implement widget maps
	Jane Developer <jane@example.org>|bpf: Add BPF_MAP_TYPE_WIDGET to the uapi
	EOF
	test_cmp expect applied &&
	grep "size > 4096" widget.c
'

test_expect_success 'the patch-ids of the commits are those of the mails' '
	git -C demo/kernel log -p v7.0..widgets-v2 | git patch-id --stable | cut -d" " -f1 | sort >commits &&
	git patch-id --stable <v2.mbox | cut -d" " -f1 | sort >mails &&
	test $(wc -l <mails) = 3 &&
	test_cmp commits mails
'

test_expect_success '--revision=1 gives v1; a missing revision is an error (1)' '
	cd demo/kernel &&
	git bpfdigest series --format=mbox --revision=1 $v2_cover >../../v1.mbox &&
	git checkout -q -b widgets-v1 v7.0 &&
	git am -q ../../v1.mbox &&
	git show HEAD~1:kernel/bpf/widget.c >../../widget.c &&
	git checkout -q master &&
	test_expect_code 1 git bpfdigest series --format=mbox --revision=3 $v1_cover >../../none 2>../../err &&
	cd ../.. &&
	grep "size > 0 ? 0 : -22" widget.c &&
	test ! -s none &&
	grep "^error: series .bpf: Widget maps. has no v3$" err
'

test_expect_success '--revision needs --format=mbox and a positive number' '
	cd demo/kernel &&
	test_expect_code 129 git bpfdigest series --revision=1 $v2_cover 2>err &&
	grep "^error: --revision goes with --format=mbox$" err &&
	test_expect_code 129 git bpfdigest --format=mbox series --revision=v2 $v2_cover 2>err &&
	grep "^error: option .revision. expects a positive number, not .v2.$" err
'

test_expect_success 'b4 am -m reads it (from stdin too) and writes what git am applies' '
	mkdir -p b4-out &&
	git -C demo/kernel bpfdigest series --format=mbox $v2_cover |
		(cd b4-out && b4 -q am -m - -o . >../b4.log 2>&1) &&
	ls b4-out/*.mbx >mbx &&
	test $(wc -l <mbx) = 1 &&
	cd demo/kernel &&
	git checkout -q -b widgets-b4 v7.0 &&
	git am -q "$TRASH_DIRECTORY/$(cat ../../mbx)" &&
	git log --format=%s v7.0.. >../../b4-applied &&
	git diff --quiet widgets-v2 widgets-b4 &&
	git checkout -q master &&
	cd ../.. &&
	sed "s/^[^|]*|//" applied >expect &&
	test_cmp expect b4-applied
'

# A commit message line that starts with "From " is quoted in an mbox
# (">From "), the mboxrd way: git am --patch-format=mboxrd gives it back.
test_expect_success 'a message with "From " lines survives, the mboxrd way' '
	git init -q quote &&
	(
		cd quote &&
		echo a >f && git add f && git commit -q -m base && git tag base &&
		echo b >>f &&
		git commit -q -a -F - <<-\EOF &&
		bpf: Quote mail

		From now on a line may start with From.
		>From stays as it was written.
		EOF
		git format-patch -q --subject-prefix="PATCH bpf-next" -1 -o ../quote-patch
	) &&
	mkdir -p quote-inbox/git && git init -q --bare quote-inbox/git/0.git &&
	{
		echo "Message-ID: <quote-1@example.org>" &&
		echo "To: bpf@vger.kernel.org" &&
		sed 1d quote-patch/*.patch
	} >mail &&
	blob=$(git -C quote-inbox/git/0.git hash-object -w --stdin <mail) &&
	tree=$(printf "100644 blob %s\tm\n" $blob | git -C quote-inbox/git/0.git mktree) &&
	commit=$(git -C quote-inbox/git/0.git commit-tree -m "bpf: Quote mail" $tree) &&
	git -C quote-inbox/git/0.git update-ref refs/heads/master $commit &&
	git bpfdigest --inbox=quote-inbox series --format=mbox quote-1@example.org >quote.mbox &&
	grep "^>From now on" quote.mbox &&
	grep "^>>From stays" quote.mbox &&
	git -C quote log -1 --format=%B >expect &&
	git -C quote checkout -q -b again base &&
	git -C quote am -q --patch-format=mboxrd "$PWD/quote.mbox" &&
	git -C quote log -1 --format=%B >actual &&
	test_cmp expect actual
'

test_expect_success 'digest links follow b4.midmask, in every format' '
	cd demo/kernel &&
	git config b4.midmask "https://msgid.example.net/%s" &&
	git bpfdigest weekly --date=2026-04-08 >../../text &&
	git bpfdigest --format=markdown weekly --date=2026-04-08 >../../md &&
	git bpfdigest --format=json weekly --date=2026-04-08 >../../json &&
	git bpfdigest --format=mbox weekly --date=2026-04-08 >../../mbox &&
	git bpfdigest --format=json series $v2_cover >../../series.json &&
	git config --unset b4.midmask &&
	git bpfdigest weekly --date=2026-04-08 >../../default &&
	cd ../.. &&
	grep -F "<https://msgid.example.net/20260409100000.widgets-1@example.org>" text &&
	grep -F "](https://msgid.example.net/20260409100000.widgets-1@example.org)" md &&
	grep -E "\"url\": ?\"https://msgid.example.net/20260409100000.widgets-1@example.org\"" json &&
	grep -F "<https://msgid.example.net/20260409100000.widgets-1@example.org>" mbox &&
	grep -E "\"url\": ?\"https://msgid.example.net/20260409100000.widgets-0@example.org\"" series.json &&
	! grep -q "lore.kernel.org/all" text md json mbox series.json &&
	grep -F "<https://lore.kernel.org/all/20260409100000.widgets-1@example.org/>" default
'

# b4 am -l adds "Link: <b4.linkmask>" trailers; link reads them back.
# b4 reads the configuration where it runs: the global one here.
test_expect_success 'b4.linkmask: what b4 am -l links, link matches' '
	git config --global b4.linkmask "https://msgid.example.net/%s" &&
	mkdir -p b4-linked &&
	git -C demo/kernel bpfdigest series --format=mbox $v2_cover |
		(cd b4-linked && b4 -q am -l -m - -o . >/dev/null 2>&1) &&
	grep "^Link: https://msgid.example.net/20260409100000.widgets-1@example.org$" b4-linked/*.mbx &&
	cd demo/kernel &&
	git checkout -q -b linked master &&
	git am -q "$TRASH_DIRECTORY"/b4-linked/*.mbx &&
	git bpfdigest --format=json link HEAD~3..HEAD >../../link.json &&
	git -c b4.linkmask= bpfdigest --format=json link HEAD~3..HEAD >../../nolink.json &&
	git config --global --unset b4.linkmask &&
	git checkout -q master &&
	cd ../.. &&
	tr -d " \n" <link.json | grep -o "\"method\":\"link\",\"m\":\"20260409100000.widgets-[123]@example.org\"" >links &&
	test $(wc -l <links) = 3 &&
	! grep -q "\"link\": *[1-9]" nolink.json
'

test_done
