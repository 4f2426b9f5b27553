#!/bin/bash
test_description='release: a draft for a range, by series and area, and its edges'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-inbox.sh"
test_require_command perl
test_require_command b4
test_require_command python3
test_require_public_inbox

mails=$TRASH_DIRECTORY/mails

# work NAME AUTHOR EMAIL DATE SUBJECT FILE...: a commit on the current
# branch appending a line to each FILE, its body read from stdin.
work() {
	name=$1 email=$2 when=$3 subject=$4
	shift 4
	for f in "$@"; do
		mkdir -p "$(dirname "$f")" && echo "$subject" >>"$f" && git add "$f" || return 1
	done &&
	{ echo "$subject" && echo && cat; } >msg &&
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$when \
	GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$when \
		git commit -q -F msg
}

# post RANGE PREFIX DATE [format-patch options]: mail RANGE as its author
# sends it, into $mails/PREFIX, Message-IDs <PREFIX-N@example.org> (0 for
# the cover), a second apart from DATE.
post() {
	range=$1 prefix=$2 when=$3
	shift 3
	dir=$mails/$prefix
	GIT_COMMITTER_NAME=$(git log -1 --format=%an "${range#*..}") \
	GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae "${range#*..}") \
	git format-patch -q --thread=shallow --subject-prefix="PATCH bpf-next" -o "$dir" \
		"$@" "$range" >/dev/null &&
	k=0 &&
	for f in "$dir"/*.patch; do
		old=$(sed -n "s/^Message-ID: <\(.*\)>$/\1/Ip" "$f" | head -n 1) &&
		if grep -q "^Subject: \[.* 0*0/" "$f"; then n=0; else k=$((k + 1)); n=$k; fi &&
		echo "s/$old/$prefix-$n@example.org/g" &&
		sed -i "s/^Date: .*/Date: $(date -u -d "$when + $n seconds" -R)/" "$f" || return 1
	done >"$dir/ids.sed" &&
	sed -i -f "$dir/ids.sed" "$dir"/*.patch &&
	sed -i -e "s/\*\*\* SUBJECT HERE \*\*\*/Widget maps/" \
	       -e "s/\*\*\* BLURB HERE \*\*\*/This series adds widget maps, from the kernel to libbpf./" \
		"$dir"/*.patch &&
	rm "$dir/ids.sed"
}

# The mails as one mboxrd, and a v2 inbox of them written by public-inbox.
make_inbox() {
	for f in "$mails"/*/*; do
		echo "From mboxrd@z Thu Jan  1 00:00:00 1970" && sed "/^From [0-9a-f]\{40\} /d" "$f" && echo
	done >"$TRASH_DIRECTORY/all.mbox" &&
	pi_import "$1" basic <"$TRASH_DIRECTORY/all.mbox"
}

# apply MSGID: what b4 makes of the thread (Link: and the reviews given
# on the list added), applied by git am as the maintainer.
apply() {
	b4 -q am -m "$TRASH_DIRECTORY/all.mbox" -l -o - "$1" >"$TRASH_DIRECTORY/am.mbox" &&
	GIT_COMMITTER_NAME="Alexei Maintainer" GIT_COMMITTER_EMAIL=ast@example.org \
	GIT_COMMITTER_DATE="2026-04-20T12:00:00Z" git am -q "$TRASH_DIRECTORY/am.mbox"
}

test_expect_success 'posted work, applied with b4 as maintainers do' '
	git init -q tree && cd tree &&
	printf "Rev Iewer <rev@example.org> <rev@old.example>\n" >.mailmap &&
	work "Linus T" linus@example.org 2026-04-01T00:00:00Z "Linux 7.0" \
		Makefile kernel/bpf/verifier.c kernel/bpf/syscall.c </dev/null &&
	git add .mailmap && git commit -q --amend --no-edit && git tag v7.0 &&

	git checkout -q -b widgets v7.0 &&
	echo "Widgets need a map type." | work "Jane Dev" jane@example.org 2026-04-06T09:00:00Z \
		"bpf: Add widget maps" kernel/bpf/widget.c include/uapi/linux/bpf.h &&
	echo "Teach libbpf the new map type." | work "Jane Dev" jane@example.org 2026-04-06T09:00:01Z \
		"libbpf: Support widget maps" tools/lib/bpf/libbpf.c &&
	echo "Exercise the maps." | work "Jane Dev" jane@example.org 2026-04-06T09:00:02Z \
		"selftests/bpf: Test widget maps" tools/testing/selftests/bpf/prog_tests/widget.c &&
	post v7.0..widgets widgets 2026-04-06T10:00:00Z --cover-letter &&

	git checkout -q -b jit v7.0 &&
	echo "Tail calls jumped one instruction too far." | work "John Roe" john@example.org \
		2026-04-07T09:00:00Z "bpf, x86: Fix tail calls" arch/x86/net/bpf_jit_comp.c &&
	post v7.0..jit jit 2026-04-07T10:00:00Z &&

	git checkout -q -b fix v7.0 &&
	printf "The verifier let a bad program through.\n\nReject it by checking the bounds first.\n" |
	work "Jane Dev" jane@example.org 2026-04-08T09:00:00Z "bpf: Fix a bounds check" \
		kernel/bpf/verifier.c tools/testing/selftests/bpf/verifier/bounds.c &&
	post v7.0..fix fix 2026-04-08T10:00:00Z &&
	cat >"$mails/fix/ack.eml" <<-\EOF &&
	From: Rev Iewer <rev@example.org>
	Subject: Re: [PATCH bpf-next] bpf: Fix a bounds check
	Date: Wed, 8 Apr 2026 11:00:00 +0000
	Message-ID: <fix-ack@example.org>
	In-Reply-To: <fix-1@example.org>
	References: <fix-1@example.org>

	Looks right.

	Acked-by: Rev Iewer <rev@example.org>
	EOF
	make_inbox "$TRASH_DIRECTORY/inbox" &&

	git checkout -q master &&
	apply widgets-0@example.org && apply jit-1@example.org && apply fix-1@example.org &&
	grep "^Acked-by: Rev Iewer" ../am.mbox &&
	echo "Reviewed-by: Rev Iewer <rev@old.example>" |
	work "Linus T" linus@example.org 2026-04-21T00:00:00Z "Makefile: Drop a stale flag" Makefile &&
	git tag premerge &&
	git checkout -q -b docs && work "Ann Other" ann@example.org 2026-04-22T00:00:00Z \
		"Describe the widgets" Documentation/bpf/widgets.rst </dev/null &&
	git checkout -q master &&
	GIT_COMMITTER_DATE=2026-04-23T00:00:00Z git merge -q --no-ff -m "Merge the docs" docs &&
	git tag merged &&
	work "Linus T" linus@example.org 2026-04-24T00:00:00Z "Linux 7.1-rc1" Makefile </dev/null &&
	git config bpfdigest.inbox "$TRASH_DIRECTORY/inbox" &&
	git rev-list --no-merges v7.0..master >../all-commits &&
	test $(wc -l <../all-commits) = 8
'

# The draft with commit ids masked.
masked() {
	sed -E "s/\b[0-9a-f]{12}\b/xxxxxxxxxxxx/g" "$@"
}

test_expect_success 'text: series by area, unposted commits, counts and thanks' '
	cd tree &&
	git bpfdigest release v7.0..master >../out &&
	masked ../out >../draft &&
	cat >../expect <<-\EOF &&
	Release notes for v7.0..master

	8 non-merge commits applied from 2026-04-20 to 2026-04-24: 3 series
	posted to the list (5 commits) and 3 commits that were not, by 4 authors
	and 1 reviewer.

	Verifier (1 series, 1 commit)

	  - bpf: Fix a bounds check (Jane Dev; xxxxxxxxxxxx): Reject it by
	    checking the bounds first.

	Core and maps (1 series, 3 commits)

	  - Widget maps (Jane Dev; 3 commits from xxxxxxxxxxxx): This series
	    adds widget maps, from the kernel to libbpf.

	JIT (x86) (1 series, 1 commit)

	  - bpf, x86: Fix tail calls (John Roe; xxxxxxxxxxxx): Tail calls jumped
	    one instruction too far.

	Not posted to the list (3 commits)

	  - xxxxxxxxxxxx Makefile: Drop a stale flag (Linus T)
	  - xxxxxxxxxxxx Describe the widgets (Ann Other)
	  - xxxxxxxxxxxx Linux 7.1-rc1 (Linus T)

	Thanks to the authors and reviewers of these commits:

	  Ann Other, Jane Dev, John Roe, Linus T, Rev Iewer.
	EOF
	test_cmp ../expect ../draft
'

test_expect_success 'the first applied commit of each series is named' '
	cd tree &&
	grep "3 commits from $(git rev-parse --short=12 ":/bpf: Add widget maps")): This series" ../out &&
	grep "^  - $(git rev-parse --short=12 ":/Linux 7.1-rc1") Linux 7.1-rc1" ../out
'

test_expect_success 'json: every commit of the range once, with its area' '
	cd tree &&
	git bpfdigest --format=json release v7.0..master >../out.json &&
	python3 - ../out.json ../all-commits <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	want = sorted(open(sys.argv[2]).read().split())
	got = [c for a in d["areas"] for s in a["series"] for c in s["commits"]]
	got += [u["commit"] for u in d["unposted"]]
	assert sorted(got) == want, (got, want)
	assert d["version"] == 1 and d["range"] == "v7.0..master"
	assert d["stats"] == {"commits": 8, "series": 3, "posted": 5, "unposted": 3,
	                      "authors": 4, "reviewers": 1}, d["stats"]
	assert [a["name"] for a in d["areas"]] == ["verifier", "core", "jit-x86"]
	w = d["areas"][1]["series"][0]
	assert w["m"] == "widgets-0@example.org" and w["total"] == 3 and w["tree"] == "bpf-next"
	assert w["url"] == "https://lore.kernel.org/all/widgets-0@example.org/"
	assert [u["area"] for u in d["unposted"]] == ["other", "docs", "other"]
	assert d["reviewers"] == [{"name": "Rev Iewer", "email": "rev@example.org"}]
	assert d["period"] == {"start": "2026-04-20T12:00:00Z", "end": "2026-04-24T00:00:00Z"}
	EOF
'

test_expect_success 'markdown: sections, and titles linked by b4.midmask' '
	cd tree &&
	git -c b4.midmask=https://msgid.link/%s bpfdigest --format=markdown release v7.0..master >../out.md &&
	grep "^# Release notes for v7.0..master$" ../out.md &&
	grep "^## JIT (x86) (1 series, 1 commit)$" ../out.md &&
	grep "^- \[Widget maps\](https://msgid.link/widgets-0@example.org) (Jane Dev; 3 commits from \`[0-9a-f]\{12\}\`): " ../out.md &&
	grep "^## Not posted to the list (3 commits)$" ../out.md
'

test_expect_success 'bpfdigest.area.<name> adds globs, and new areas' '
	cd tree &&
	git -c bpfdigest.area.widgets=kernel/bpf/widget* -c "bpfdigest.area.widgets=include/uapi/linux/bpf.h" \
		-c bpfdigest.area.docs=Makefile bpfdigest release v7.0..master >../out &&
	grep "^widgets (1 series, 3 commits)$" ../out &&
	git -c bpfdigest.area.widgets=kernel/bpf/widget* -c "bpfdigest.area.widgets=include/uapi/linux/bpf.h" \
		-c bpfdigest.area.docs=Makefile bpfdigest --format=json release v7.0..master >../out.json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert [a[\"name\"] for a in d[\"areas\"]] == [\"verifier\", \"jit-x86\", \"widgets\"], d[\"areas\"]
assert [u[\"area\"] for u in d[\"unposted\"]] == [\"docs\", \"docs\", \"docs\"], d[\"unposted\"]
" ../out.json
'

test_expect_success 'a bad area name, or no glob, is fatal' '
	cd tree &&
	test_expect_code 128 git -c bpfdigest.area.no.such=x/ bpfdigest release v7.0..master 2>../err &&
	grep "^fatal: bad config key .bpfdigest.area.no.such.: an area name is" ../err &&
	cp .git/config ../config.saved &&
	printf "[bpfdigest \"area\"]\n\twidgets\n" >>.git/config &&
	test_expect_code 128 git bpfdigest release v7.0..master 2>../err &&
	cp ../config.saved .git/config &&
	grep "^fatal: bad config value for .bpfdigest.area.widgets.: a path glob is needed" ../err
'

test_expect_success 'an empty range is an empty draft' '
	cd tree &&
	git bpfdigest release master..master >../out &&
	printf "Release notes for master..master\n\nNo non-merge commits in this range.\n" >../expect &&
	test_cmp ../expect ../out &&
	git bpfdigest --format=json release master..master >../out.json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"stats\"][\"commits\"] == 0 and d[\"period\"] is None and d[\"areas\"] == [] and d[\"unposted\"] == []
" ../out.json
'

test_expect_success 'a range of merges only has no commits to draft' '
	cd tree &&
	git rev-list merged^2..merged >../merges &&
	test $(wc -l <../merges) = 1 &&
	git bpfdigest release merged^2..merged >../out &&
	grep "^No non-merge commits in this range.$" ../out
'

test_expect_success 'an invalid range is fatal (128)' '
	cd tree &&
	test_expect_code 128 git bpfdigest release nope..master >../out 2>../err &&
	grep "^fatal: invalid revision range .nope\.\.master.$" ../err &&
	test ! -s ../out
'

test_expect_success 'usage errors (129): no range, two ranges, mbox' '
	cd tree &&
	test_expect_code 129 git bpfdigest release 2>../err &&
	grep "release needs a <revision-range>" ../err &&
	test_expect_code 129 git bpfdigest release v7.0..master HEAD 2>../err &&
	grep "too many arguments" ../err &&
	test_expect_code 129 git bpfdigest --format=mbox release v7.0..master 2>../err &&
	grep "release writes text, markdown or json, not mbox" ../err
'

test_expect_success 'outside a repository it is fatal' '
	test_expect_code 128 git bpfdigest --inbox="$TRASH_DIRECTORY/inbox" release v7.0..master 2>err &&
	grep "^fatal: .release. needs a git repository (run it inside your kernel checkout)$" err
'

test_done
