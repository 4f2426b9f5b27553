#!/bin/bash
test_description='digest of a real week of the bpf list'
. "${0%/*}/test-lib.sh"
test_require_corpus

test_expect_success 'build the inbox from the real archive' '
	test_corpus_inbox inbox &&
	test -d inbox/git/0.git
'

test_expect_success 'digest a real week' '
	SOURCE_DATE_EPOCH=1749427200 git-bpfdigest --inbox=inbox digest --since=2025-06-01 --until=2025-06-08 >out &&
	test $(wc -l <out) -ge 7
'

test_expect_success 'the digest has the shape of the seed examples' '
	tail -n 1 out >last &&
	echo "Generated 2025-06-09T00:00:00Z" >expect &&
	test_cmp expect last &&
	head -n 1 out | grep "^The period of June 1-7 was dominated by " &&
	# overview, then title/summary pairs, then Generated: an even count in between
	n=$(wc -l <out) && test $(( (n - 2) % 2 )) = 0
'

test_expect_success 'every title is a real subject posted that week' '
	git -C inbox/git/0.git log --since=2025-05-31 --until=2025-06-09 --format=%s |
		tr -s " " >subjects &&
	n=$(wc -l <out) &&
	sed -n "2,$((n - 1))p" out | awk "NR % 2 == 1" >titles &&
	test $(wc -l <titles) -ge 5 &&
	while read -r title; do
		grep -F -e "] $title" subjects >/dev/null ||
		{ echo "not a subject of that week: $title"; exit 1; }
	done <titles
'

test_expect_success 'the overview names the authors of the first highlighted series' '
	head -n 1 out >overview &&
	first=$(sed -n 2p out) &&
	mid_author=$(git -C inbox/git/0.git log --since=2025-05-31 --until=2025-06-09 \
		--format="%an%x09%s" | tr -s " " | grep -F -e "] $first" | head -n 1 | cut -f1) &&
	test -n "$mid_author" &&
	grep -F "$mid_author" overview
'

test_expect_success 'summaries carry no trailers, URLs or diff lines' '
	n=$(wc -l <out) &&
	sed -n "2,$((n - 1))p" out | awk "NR % 2 == 0" >summaries &&
	! grep -E "Signed-off-by|Acked-by|https?://|^diff --git|^@@ " summaries
'

test_expect_success 'the same inputs give byte-identical output' '
	SOURCE_DATE_EPOCH=1749427200 git-bpfdigest --inbox=inbox digest --since=2025-06-01 --until=2025-06-08 >again &&
	test_cmp out again
'

test_expect_success 'weekly for the same ISO week gives the same entries' '
	SOURCE_DATE_EPOCH=1749427200 git-bpfdigest --inbox=inbox weekly --week=2025-W22 >week &&
	head -n 1 week | grep "^The week of May 26 - June 1" &&
	SOURCE_DATE_EPOCH=1749427200 git-bpfdigest --inbox=inbox weekly --date=2025-06-04 >week23 &&
	head -n 1 week23 | grep "^The week of June 2-8"
'

test_expect_success 'a period before the archive is empty' '
	git-bpfdigest --inbox=inbox digest --since=2010-01-01 --until=2010-01-02 >empty &&
	head -n 1 empty | grep "^No patches were submitted to .* during this period\.$"
'

test_done
