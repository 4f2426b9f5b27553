#!/bin/bash
test_description='link: each method, conflicts, ranges and output'
. "${0%/*}/test-lib.sh"
test_require_command perl
perl -MPublicInbox::InboxWritable -e 1 2>/dev/null || skip_all "public-inbox is not installed"

# commit_as NAME EMAIL DATE SUBJECT BODY: commit what is staged.
commit_as() {
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 \
	GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2 GIT_COMMITTER_DATE=$3 \
		git commit -q -s -m "$4" -m "$5"
}

# post RANGE PREFIX DATE [format-patch options]: mail RANGE as git
# send-email would at DATE, into $mails/PREFIX, with Message-IDs
# <PREFIX-N@example.org> (0 for the cover), a second apart.  Like
# send-email, the author of the series sends every mail, the cover too.
post() {
	range=$1 prefix=$2 when=$3
	shift 3
	dir=$mails/$prefix
	tip=${range#*..}
	GIT_COMMITTER_NAME=$(git log -1 --format=%an "$tip") \
	GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae "$tip") \
	git format-patch -q --thread=shallow -o "$dir" "$@" "$range" >/dev/null &&
	n=0 &&
	for f in "$dir"/*.patch; do
		old=$(sed -n "s/^Message-ID: <\(.*\)>$/\1/Ip" "$f" | head -n 1)
		if grep -q "^Subject: \[.* 0*0/" "$f"; then k=0; else n=$((n + 1)); k=$n; fi
		echo "s/$old/$prefix-$k@example.org/g"
		sent=$(date -u -d "$when + $k seconds" "+%a, %-d %b %Y %H:%M:%S +0000")
		sed -i "s/^Date: .*/Date: $sent/" "$f"
	done >"$dir/ids.sed" &&
	sed -i -f "$dir/ids.sed" "$dir"/*.patch &&
	sed -i -e "s/\*\*\* SUBJECT HERE \*\*\*/$prefix series/" \
	       -e "s/\*\*\* BLURB HERE \*\*\*/The $prefix series./" "$dir"/*.patch &&
	rm "$dir/ids.sed"
}

# one_patch NAME FILE LINE AUTHOR EMAIL DATE SUBJECT [PREFIX]: a branch
# NAME from v7.0 setting one line, posted an hour after DATE.
one_patch() {
	git checkout -q -b $1 v7.0 &&
	sed -i "$3s/.*/int $1;/" $2 && git add . &&
	commit_as "$4" $5 "$6" "$7" "Why." &&
	post v7.0..$1 $1 "$(date -u -d "$6 + 1 hour" +%Y-%m-%dT%H:%M:%SZ)" \
		--subject-prefix="${8:-PATCH bpf-next}"
}

# apply PREFIX N: git am patch N of a posting (author date = its Date:).
apply() {
	GIT_COMMITTER_DATE="2026-03-20T12:00:00Z" git am -q "$mails/$1"/000$2-*.patch
}

# add_trailer LINE: append a trailer to HEAD's message, keeping the rest.
add_trailer() {
	git log -1 --format=%B | git interpret-trailers --trailer "$1" >msg &&
	GIT_COMMITTER_DATE="2026-03-20T12:00:00Z" git commit -q --amend -F msg
}

# An inbox made by public-inbox itself from every mail written.
make_inbox() {
	for f in "$mails"/*/*; do
		case "$f" in
		*.patch) cat "$f" ;;
		*) echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && cat "$f" ;;
		esac
		echo
	done >all.mbox &&
	PI_CONFIG="$HOME/pi-config" perl -e '
		use PublicInbox::InboxWritable; use PublicInbox::MboxReader;
		my $ibx = PublicInbox::InboxWritable->new({inboxdir => $ARGV[0], name => "bpf",
			version => 2, address => ["bpf\@vger.kernel.org"],
			-primary_address => "bpf\@vger.kernel.org", indexlevel => "basic"},
			{nproc => 1});
		my $im = $ibx->importer(0);
		PublicInbox::MboxReader->mboxrd(\*STDIN, sub { $im->add($_[0]) });
		$im->done;' "$1" <all.mbox
}

mails=$TRASH_DIRECTORY/mails

test_expect_success 'posted series, applied in every way a maintainer does' '
	git init -q tree && cd tree &&
	mkdir -p kernel/bpf tools/lib/bpf include/uapi/linux &&
	for f in kernel/bpf/verifier.c kernel/bpf/core.c tools/lib/bpf/libbpf.c \
		 tools/lib/bpf/btf.c include/uapi/linux/bpf.h; do
		seq -f "/* $f line %g */" 1 200 >$f || exit 1
	done &&
	git add . && commit_as "Linus T" linus@example.org 2026-03-01T00:00:00Z "Linux 7.0" "Release." &&
	git tag v7.0 &&

	# s1: a series applied by git am, announced by patchwork-bot
	git checkout -q -b s1 v7.0 &&
	sed -i "10s/.*/int s1_a;/" kernel/bpf/core.c && git add . &&
	commit_as "Alice A" alice@example.org 2026-03-02T09:00:00Z "bpf: Add s1 counters" "Count s1." &&
	sed -i "20s/.*/int s1_b;/" kernel/bpf/core.c && git add . &&
	commit_as "Alice A" alice@example.org 2026-03-02T09:00:01Z "bpf: Use s1 counters" "Use them." &&
	post v7.0..s1 s1 "2026-03-02T10:00:00Z" --cover-letter --subject-prefix="PATCH bpf-next" &&

	# s2: one patch, applied with a lore.kernel.org/r/ link
	one_patch s2 tools/lib/bpf/libbpf.c 10 "Bob B" bob@example.org 2026-03-03T09:00:00Z "libbpf: Fix s2 leak" &&

	# s3: two patches; the commits link to the cover letter
	git checkout -q -b s3 v7.0 &&
	sed -i "10s/.*/int s3_a;/" kernel/bpf/verifier.c && git add . &&
	commit_as "Carol C" carol@example.org 2026-03-04T09:00:00Z "bpf: Check s3 bounds" "Check." &&
	sed -i "20s/.*/int s3_b;/" kernel/bpf/verifier.c && git add . &&
	commit_as "Carol C" carol@example.org 2026-03-04T09:00:01Z "bpf: Test s3 bounds" "Test." &&
	post v7.0..s3 s3 "2026-03-04T10:00:00Z" --cover-letter --subject-prefix="PATCH bpf-next" &&

	# s4: a Message-ID with a "+", %-escaped in a patch.msgid.link URL
	one_patch s4 tools/lib/bpf/btf.c 10 "Dan D" dan@example.org 2026-03-05T09:00:00Z "libbpf: Speed up s4" &&
	sed -i "s/s4-1@example.org/s4+tag@example.org/" "$mails"/s4/*.patch &&

	# s5: a Message-ID: trailer
	one_patch s5 kernel/bpf/core.c 40 "Erin E" erin@example.org 2026-03-06T09:00:00Z "bpf: Name s5" &&

	# s6: applied, then its subject reworded: only the change matches
	one_patch s6 kernel/bpf/verifier.c 40 "Frank F" frank@example.org 2026-03-07T09:00:00Z "bpf: Reject s6" &&

	# s7: posted from an old address under another name, applied with an edit
	one_patch s7 kernel/bpf/core.c 60 "G. Hopper" grace@old.example 2026-03-08T09:00:00Z "bpf: Trim s7" &&

	# s8: two patches; the commit is the second but links to the first
	git checkout -q -b s8 v7.0 &&
	sed -i "80s/.*/int s8_foo;/" kernel/bpf/core.c && git add . &&
	commit_as "Heidi H" heidi@example.org 2026-03-09T09:00:00Z "bpf: Tidy foo" "Tidy." &&
	sed -i "60s/.*/int s8_bar;/" kernel/bpf/verifier.c && git add . &&
	commit_as "Heidi H" heidi@example.org 2026-03-09T09:00:01Z "bpf: Tidy bar" "Tidy." &&
	post v7.0..s8 s8 "2026-03-09T10:00:00Z" --subject-prefix="PATCH bpf-next" &&

	# s9: only a stable backport was posted (AUTOSEL)
	one_patch s9 kernel/bpf/core.c 100 "Ivan I" ivan@example.org 2026-03-10T09:00:00Z "bpf: Fix s9" \
		"PATCH AUTOSEL 6.1" &&

	# s10: a link in the form of a b4.linkmask
	one_patch s10 kernel/bpf/core.c 120 "Kim K" kim@example.org 2026-03-11T09:00:00Z "bpf: Count s10" &&

	cat >"$mails/s1/pwbot.eml" <<-\EOF &&
	From: patchwork-bot+netdevbpf@kernel.org
	Subject: Re: [PATCH bpf-next 0/2] s1 series
	Date: Fri, 20 Mar 2026 12:10:00 +0000
	Message-ID: <pwbot-s1@kernel.org>
	In-Reply-To: <s1-0@example.org>
	References: <s1-0@example.org>

	Hello:

	This series was applied to bpf/bpf-next.git (master)
	by Alexei Maintainer <ast@example.org>:

	Here is the summary with links:
	  - [bpf-next,1/2] bpf: Add s1 counters
	    https://git.kernel.org/bpf/bpf-next/c/@S1A@
	  - [bpf-next,2/2] bpf: Use s1 counters
	    https://git.kernel.org/bpf/bpf-next/c/@S1B@

	You are awesome, thank you!
	EOF
	cat >"$mails/s2/pwbot.eml" <<-\EOF &&
	From: patchwork-bot+netdevbpf@kernel.org
	Subject: Re: [PATCH bpf-next] libbpf: Fix s2 leak
	Date: Fri, 20 Mar 2026 12:20:00 +0000
	Message-ID: <pwbot-s2@kernel.org>
	In-Reply-To: <s2-1@example.org>
	References: <s2-1@example.org>

	Hello:

	This patch was applied to bpf/bpf.git (master)
	by Alexei Maintainer <ast@example.org>:

	Here is the summary with links:
	  - [bpf-next] libbpf: Fix s2 leak
	    https://git.kernel.org/bpf/bpf/c/0123456789ab

	You are awesome, thank you!
	EOF

	git checkout -q master &&
	apply s1 1 && s1a=$(git rev-parse --short=12 HEAD) &&
	apply s1 2 && s1b=$(git rev-parse --short=12 HEAD) &&
	sed -i -e "s/@S1A@/$s1a/" -e "s/@S1B@/$s1b/" "$mails/s1/pwbot.eml" &&
	apply s2 1 && add_trailer "Link: https://lore.kernel.org/r/s2-1@example.org" &&
	apply s3 1 && add_trailer "Link: https://lore.kernel.org/bpf/s3-0@example.org/" &&
	apply s3 2 && add_trailer "Link: https://lore.kernel.org/bpf/s3-0@example.org/" &&
	apply s4 1 && add_trailer "Link: https://patch.msgid.link/s4%2Btag@example.org" &&
	apply s5 1 && add_trailer "Message-ID: <s5-1@example.org>" &&
	apply s6 1 && git log -1 --format=%B | sed "1s/.*/bpf: Refuse s6 early/" >msg &&
	GIT_COMMITTER_DATE="2026-03-20T12:00:00Z" git commit -q --amend -F msg &&
	apply s7 1 && sed -i "60s/.*/int s7; \/* trimmed *\//" kernel/bpf/core.c &&
	git add . && GIT_COMMITTER_DATE="2026-03-20T12:00:00Z" \
		git commit -q --amend --no-edit --author="Grace Hopper <grace@new.example>" &&
	GIT_COMMITTER_DATE="2026-03-20T12:00:00Z" git cherry-pick s8 >/dev/null && add_trailer "Link: https://lore.kernel.org/r/s8-1@example.org" &&
	apply s9 1 &&
	apply s10 1 && add_trailer "Link: https://msgid.example.net/s10-1@example.org" &&
	git checkout -q -b side master~2 &&
	sed -i "140s/.*/int side;/" kernel/bpf/core.c && git add . &&
	commit_as "Zed Z" zed@example.org 2026-03-21T09:00:00Z "bpf: Unposted side fix" "Side." &&
	git checkout -q master &&
	GIT_COMMITTER_DATE="2026-03-22T12:00:00Z" git merge -q --no-ff -m "Merge branch side" side &&
	echo "Grace Hopper <grace@new.example> <grace@old.example>" >.mailmap &&
	make_inbox "$TRASH_DIRECTORY/inbox" &&
	git config bpfdigest.inbox "$TRASH_DIRECTORY/inbox" &&
	git config b4.linkmask "https://msgid.example.net/%s"
'

# method_of SUBJECT-START: the method link printed for that posted subject.
line_of() {
	grep -F -e "$1" out
}

test_expect_success 'link names every commit with its method' '
	cd tree &&
	git bpfdigest link >out 2>err &&
	test_must_fail grep -i "merge branch" out &&
	line_of "[PATCH bpf-next 1/2] bpf: Add s1 counters <s1-1@example.org>" | grep " pwbot " &&
	line_of "[PATCH bpf-next 2/2] bpf: Use s1 counters <s1-2@example.org>" | grep " pwbot " &&
	line_of "[PATCH bpf-next] libbpf: Fix s2 leak <s2-1@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next 1/2] bpf: Check s3 bounds <s3-1@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next 2/2] bpf: Test s3 bounds <s3-2@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next] libbpf: Speed up s4 <s4+tag@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next] bpf: Name s5 <s5-1@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next] bpf: Reject s6 <s6-1@example.org>" | grep " patch-id " &&
	line_of "[PATCH bpf-next] bpf: Trim s7 <s7-1@example.org>" | grep " subject " &&
	line_of "[PATCH bpf-next 1/2] bpf: Tidy foo <s8-1@example.org>" | grep " link " &&
	line_of "[PATCH bpf-next] bpf: Count s10 <s10-1@example.org>" | grep " link " &&
	line_of " none     bpf: Fix s9" &&
	line_of " none     bpf: Unposted side fix" &&
	line_of " none     Linux 7.0"
'

test_expect_success 'the summary counts each method, and pw-bot hashes not here' '
	cd tree &&
	grep "^14 commits: 11 matched (pwbot 2, link 7, patch-id 1, subject 1), 3 unmatched, 1 with conflicts$" out &&
	grep "^pw-bot: 1 applied patches name commits this repository lacks" out
'

test_expect_success 'a link and the subject disagreeing is a conflict, reported' '
	cd tree &&
	c=$(git rev-parse --short=12 HEAD^1~2) &&
	grep "^conflict: $c subject names \[PATCH bpf-next 2/2\] bpf: Tidy bar <s8-2@example.org>, kept link <s8-1@example.org>$" out &&
	test $(grep -c "^conflict:" out) = 1
'

test_expect_success 'without .mailmap the renamed author does not match' '
	cd tree &&
	mv .mailmap mailmap.away &&
	git bpfdigest link >out2 &&
	mv mailmap.away .mailmap &&
	grep " none     bpf: Trim s7$" out2
'

test_expect_success 'without b4.linkmask the custom link is not read' '
	cd tree &&
	git -c b4.linkmask= bpfdigest link >out3 &&
	grep " patch-id [[]PATCH bpf-next[]] bpf: Count s10 <s10-1@example.org>$" out3
'

test_expect_success 'a range: only its commits; pw-bot commits outside it are counted' '
	cd tree &&
	git bpfdigest link v7.0..HEAD~10 >range &&
	grep "^3 commits: 3 matched (pwbot 2, link 1," range &&
	git bpfdigest link HEAD~10..HEAD >range2 &&
	grep "^pw-bot: 1 applied patches name commits this repository lacks, 2 commits outside the range" range2
'

test_expect_success 'JSON has the documented shape' '
	cd tree &&
	git bpfdigest --format=json link >out.json &&
	python3 - out.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["version"] == 1 and d["range"] == "HEAD~1000..HEAD", d["range"]
	s = d["stats"]
	assert (s["commits"], s["matched"], s["pwbot"], s["link"], s["patch-id"], s["subject"]) == (14, 11, 2, 7, 1, 1), s
	c = [x for x in d["commits"] if x["m"] == "s3-2@example.org"][0]
	assert list(c) == ["commit", "method", "m", "s", "series"], list(c)
	assert len(c["commit"]) == 40 and c["method"] == "link"
	assert c["s"] == "[PATCH bpf-next 2/2] bpf: Test s3 bounds"
	assert c["series"] == {"title": "s3 series", "version": 1, "position": 2, "total": 2}, c["series"]
	assert len(d["unmatched"]) == 3 and all(len(x) == 40 for x in d["unmatched"])
	assert len(d["conflicts"]) == 1 and d["conflicts"][0]["kept"]["method"] == "link"
	assert [o["method"] for o in d["conflicts"][0]["others"]] == ["subject"]
	EOF
'

test_expect_success 'a mirror: the path map turns kernel mails into its paths' '
	git init -q mirror && cd mirror &&
	mkdir src && git -C ../tree show v7.0:tools/lib/bpf/btf.c >src/btf.c &&
	git add . && commit_as "Mirror M" m@example.org 2026-03-01T00:00:00Z "sync: base" "Base." &&
	git -C ../tree diff v7.0 s4 -- tools/lib/bpf/btf.c |
		sed -e "/^diff --git/s,tools/lib/bpf/,src/,g" -e "s,^--- a/tools/lib/bpf/,--- a/src/," \
		    -e "s,^+++ b/tools/lib/bpf/,+++ b/src/," >s4.diff &&
	git apply s4.diff && rm s4.diff && git add . &&
	commit_as "Dan D" dan@example.org 2026-03-05T10:00:01Z "sync: btf speed-up from the kernel" "Synced." &&
	git config bpfdigest.inbox "$TRASH_DIRECTORY/inbox" &&
	git bpfdigest link >without &&
	grep " none     sync: btf speed-up" without &&
	git config bpfdigest.pathMap tools/lib/bpf/:src/ &&
	git bpfdigest link >with &&
	grep " patch-id [[]PATCH bpf-next[]] libbpf: Speed up s4 <s4+tag@example.org>$" with
'

test_expect_success 'an invalid range is fatal (128), outside a repository too' '
	cd tree &&
	test_expect_code 128 git bpfdigest link nosuch..HEAD 2>err &&
	grep "^fatal: invalid revision range .nosuch..HEAD.$" err &&
	cd "$TRASH_DIRECTORY" && mkdir -p norepo && cd norepo &&
	test_expect_code 128 env GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY" \
		git-bpfdigest --inbox="$TRASH_DIRECTORY/inbox" link 2>err &&
	grep "^fatal: .link. needs a git repository (run it inside your kernel checkout)$" err
'

test_expect_success 'link writes text or json only; more than one range is a usage error' '
	cd tree &&
	test_expect_code 129 git bpfdigest --format=markdown link 2>err &&
	test_expect_code 129 git bpfdigest link HEAD~1 HEAD 2>err &&
	grep "too many arguments" err
'

test_done
