#!/bin/bash
test_description='series --format=mbox --with-replies and --add-trailers, with real b4 am and git am'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_command b4

# A 2-patch series from git format-patch, and its review on the list:
# an Acked-by to the cover (for both patches), a Reviewed-by and a
# Tested-by to patch 2, a bot's reply, and patch 1 carrying a Reviewed-by
# of its own already.
test_expect_success 'a series and its reviews, archived' '
	# Not our identity: b4 moves the user'"'"'s own Signed-off-by last.
	export GIT_AUTHOR_NAME="Jane Dev" GIT_AUTHOR_EMAIL=jane@example.org &&
	export GIT_COMMITTER_NAME="Jane Dev" GIT_COMMITTER_EMAIL=jane@example.org &&
	git init -q kernel && cd kernel &&
	echo base >f && git add f && git commit -q -m base && git tag base &&
	echo one >>f && git commit -q -a -F - <<-\EOF &&
	bpf: First change

	The first change explains itself.

	Reviewed-by: Early Bird <early@example.org>
	Signed-off-by: Jane Dev <jane@example.org>
	EOF
	echo two >>f && git commit -q -a -F - <<-\EOF &&
	bpf: Second change

	The second change ends without trailers
	EOF
	git format-patch -q --cover-letter --thread --subject-prefix="PATCH bpf-next" \
		--base=base -o ../patches base.. &&
	cd .. &&
	export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL=author@example.com &&
	export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL=committer@example.com &&
	mkdir -p inbox/git && git init -q --bare inbox/git/0.git &&
	i=0 &&
	for f in patches/*.patch; do
		mid=$(sed -n "s/^Message-ID: <\(.*\)>$/\1/Ip" "$f") &&
		echo "$mid" >>mids &&
		sed -e 1d -e "s/^Subject: \[PATCH bpf-next 0\/2\] \*\*\* SUBJECT HERE \*\*\*/Subject: [PATCH bpf-next 0\/2] bpf: Two changes/" \
			-e "s/^\*\*\* BLURB HERE \*\*\*/Two changes for the test./" "$f" |
			sed "/^Subject: /a\\
To: bpf@vger.kernel.org" | inbox_commit inbox/git/0.git m || return 1
	done &&
	cover=$(sed -n 1p mids) && p1=$(sed -n 2p mids) && p2=$(sed -n 3p mids) &&
	reply() { # from, in-reply-to, id, body
		printf "From: %s\nTo: bpf@vger.kernel.org\nSubject: Re: review\nDate: %s\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nReferences: <%s> <%s>\n\n%s\n" \
			"$1" "$(date -R)" "$3" "$2" "$cover" "$2" "$4" | inbox_commit inbox/git/0.git m
	} &&
	reply "Ack Er <acker@example.org>" "$cover" r1@example.org \
		"Looks good.

Acked-by: Ack Er <acker@example.org>" &&
	reply "Rev Iewer <rev@example.org>" "$p2" r2@example.org \
		"> The second change

Reviewed-by: Rev Iewer <rev@example.org>
Tested-by: Rev Iewer <rev@example.org>" &&
	reply "kernel test robot <lkp@intel.com>" "$p2" r3@example.org \
		"Hi, the build is fine." &&
	git bpfdigest --inbox=inbox series --format=json "$cover" >series.json &&
	grep -q "Acked-by" series.json
'

test_expect_success 'without the replies, b4 am adds no review trailer (the problem)' '
	git bpfdigest --inbox=inbox series --format=mbox "$cover" >plain.mbox &&
	mkdir b4-plain && (cd b4-plain && b4 -q am -m ../plain.mbox -o . >/dev/null 2>&1) &&
	! grep -q "^Acked-by:" b4-plain/*.mbx
'

test_expect_success '--with-replies: the cover, the patches and every reply, in thread order' '
	git bpfdigest --inbox=inbox series --format=mbox --with-replies "$cover" >replies.mbox &&
	sed -n "s/^Message-I[dD]: <\(.*\)>$/\1/p" replies.mbox >order &&
	printf "%s\n" "$cover" r1@example.org "$p1" "$p2" r2@example.org r3@example.org >expect &&
	test_cmp expect order &&
	test $(grep -c "^From mboxrd@z " replies.mbox) = 6
'

# b4 applies what was given to the cover to every patch only with -t;
# series does always.
test_expect_success 'b4 am -l -t on --with-replies collects the trailers; git am applies it' '
	mkdir b4-out && (cd b4-out && b4 -q am -l -t -m ../replies.mbox -o . >../b4.log 2>&1) &&
	ls b4-out/*.mbx >mbx && test $(wc -l <mbx) = 1 &&
	grep -c "^Acked-by: Ack Er <acker@example.org>$" b4-out/*.mbx >acks &&
	test $(cat acks) = 2 &&
	grep "^Reviewed-by: Rev Iewer <rev@example.org>$" b4-out/*.mbx &&
	git -C kernel checkout -q -b by-b4 base &&
	git -C kernel am -q "$TRASH_DIRECTORY/$(cat mbx)" &&
	git -C kernel log --format="%B--" base.. >by-b4.log
'

test_expect_success '--add-trailers: git am alone gives what b4 am -l -t gives' '
	git bpfdigest --inbox=inbox series --format=mbox --add-trailers "$cover" >trailers.mbox &&
	test $(grep -c "^From mboxrd@z " trailers.mbox) = 2 &&
	git -C kernel checkout -q -b by-us base &&
	git -C kernel am -q --patch-format=mboxrd "$TRASH_DIRECTORY/trailers.mbox" &&
	git -C kernel log --format="%B--" base.. >by-us.log &&
	test_cmp by-b4.log by-us.log &&
	git -C kernel diff --quiet by-b4 by-us &&
	git -C kernel cat-file commit by-us | sed "1,/^$/d" >last &&
	cat >expect <<-EOF &&
	bpf: Second change

	The second change ends without trailers

	Reviewed-by: Rev Iewer <rev@example.org>
	Tested-by: Rev Iewer <rev@example.org>
	Acked-by: Ack Er <acker@example.org>
	Link: https://lore.kernel.org/r/$p2
	EOF
	test_cmp expect last &&
	# a trailer the patch has already is not repeated
	test $(grep -c "^Reviewed-by: Early Bird" by-us.log) = 1
'

test_expect_success '--add-trailers: Link: follows b4.linkmask, as b4 am -l does' '
	git -c b4.linkmask="https://msgid.example.net/%s" bpfdigest --inbox=inbox \
		series --format=mbox --add-trailers "$cover" >masked.mbox &&
	grep "^Link: https://msgid.example.net/$p1$" masked.mbox &&
	git config --global b4.linkmask "https://msgid.example.net/%s" &&
	mkdir b4-masked && (cd b4-masked && b4 -q am -l -t -m ../replies.mbox -o . >/dev/null 2>&1) &&
	git config --global --unset b4.linkmask &&
	grep "^Link: " b4-masked/*.mbx >b4-links &&
	grep "^Link: " masked.mbox >our-links &&
	test_cmp b4-links our-links
'

test_expect_success 'both options need --format=mbox, and not each other' '
	test_expect_code 129 git bpfdigest --inbox=inbox series --with-replies "$cover" 2>err &&
	grep "^error: --with-replies goes with --format=mbox$" err &&
	test_expect_code 129 git bpfdigest --inbox=inbox series --add-trailers "$cover" 2>err &&
	grep "^error: --add-trailers goes with --format=mbox$" err &&
	test_expect_code 129 git bpfdigest --inbox=inbox --format=mbox series --add-trailers --with-replies "$cover" 2>err &&
	grep "cannot be used together" err
'

test_done
