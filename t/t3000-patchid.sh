#!/bin/bash
test_description='patch-ids agree with git patch-id --stable'
. "${0%/*}/test-lib.sh"

# A repository with the changes patch-ids are touchy about.
test_expect_success 'a repository of edits, moves, modes and indents' '
	git init -q repo && cd repo &&
	printf "int a;\nint b;\n" >a.c && seq 1 200 >big.txt && seq 1 50 >moved.txt &&
	printf "#!/bin/sh\necho hi\n" >run.sh &&
	git add . && git commit -q -m "base" &&
	printf "int a;\nint c;\nint b;\n" >a.c && git commit -q -am "edit" &&
	git mv moved.txt elsewhere.txt && seq 1 40 >>elsewhere.txt && git commit -q -am "move and edit" &&
	chmod +x run.sh && git commit -q -am "mode" &&
	# The indent heuristic decides where this hunk starts.
	printf "void f(void)\n{\n}\n\nvoid g(void)\n{\n}\n" >h.c && git add h.c && git commit -q -m h &&
	printf "void f(void)\n{\n}\n\nvoid e(void)\n{\n}\n\nvoid g(void)\n{\n}\n" >h.c &&
	git commit -q -am "insert e" &&
	seq 1 2 200 >big.txt && git rm -q a.c && git commit -q -am "many hunks and a deletion"
'

test_expect_success 'every commit: the same patch-id as git' '
	cd repo &&
	git bpfdigest link --patch-id HEAD | sort >ours &&
	git log -p HEAD | git patch-id --stable | sort >git &&
	test_cmp git ours &&
	test $(wc -l <ours) = 7
'

test_expect_success 'a second run reads them from the cache' '
	cd repo &&
	test -s .git/bpfdigest/patch-id-v1 &&
	cp .git/bpfdigest/patch-id-v1 before &&
	git bpfdigest link --patch-id HEAD | sort >again &&
	test_cmp ours again &&
	test_cmp before .git/bpfdigest/patch-id-v1
'

test_expect_success 'a cached id is used as it is, not computed again' '
	cd repo &&
	head=$(git rev-parse HEAD) &&
	echo "c$head 0123456789012345678901234567890123456789" >>.git/bpfdigest/patch-id-v1 &&
	git bpfdigest link --patch-id HEAD~1..HEAD >out &&
	echo "0123456789012345678901234567890123456789 $head" >expect &&
	test_cmp expect out
'

test_expect_success 'a damaged cache line is a warning, and the id is computed again' '
	cd repo &&
	head=$(git rev-parse HEAD) &&
	grep -v "^c$head " before >.git/bpfdigest/patch-id-v1 &&
	echo "c$head not-an-id" >>.git/bpfdigest/patch-id-v1 &&
	git bpfdigest link --patch-id HEAD~1..HEAD >out 2>err &&
	grep "^warning: ignored 1 damaged line in the patch-id cache" err &&
	git log -p -1 HEAD | git patch-id --stable >expect &&
	test_cmp expect out
'

test_expect_success 'an invalid range is fatal' '
	cd repo &&
	test_expect_code 128 git bpfdigest link --patch-id no-such..HEAD 2>err &&
	grep "^fatal: invalid revision range .no-such..HEAD.$" err
'

test_require_corpus

# Classify a commit whose patch-id differs from git's: binary, an empty
# file, a pure rename (git hashes its header together with the next
# file's), or a rename with a mode change (libgit2 orders those header
# lines differently).  Prints the kinds, or nothing when unexplained.
explain() {
	git -C libbpf.git diff-tree --no-commit-id -r -M --numstat "$1" | grep -q "^-	-	" &&
		echo binary
	git -C libbpf.git diff-tree --no-commit-id -r -M --raw --no-abbrev "$1" >raw
	grep -Eq "^:[0-7]+ [0-7]+ [0-9a-f]+ e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 A|^:[0-7]+ [0-7]+ e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 [0-9a-f]+ D" raw &&
		echo empty-file
	grep -q " R100	" raw && echo pure-rename
	awk '$5 ~ /^R/ && $1 != ":" $2' raw | grep -q . && echo rename-mode
	true
}

test_expect_success 'libbpf: every text change has git'\''s patch-id' '
	git clone -q --bare "$CORPUS/libbpf.bundle" libbpf.git &&
	git -C libbpf.git bpfdigest link --patch-id HEAD | sort >ours &&
	git -C libbpf.git log -p --no-merges HEAD | git patch-id --stable | sort >git &&
	test $(wc -l <git) = 2871 &&
	comm -12 ours git >same &&
	comm -3 ours git | awk "{print \$2}" | sort -u >differ &&
	while read -r c; do
		kinds=$(explain $c | tr "\n" " ") &&
		test -n "$kinds" || { echo "unexplained: $c"; exit 1; }
		echo "$c $kinds"
	done <differ >explained &&
	test $(wc -l <same) -ge 2860
'
echo "# libbpf: $(wc -l <"$TRASH_DIRECTORY/same") of 2871 commits agree; the others:"
for k in binary empty-file pure-rename rename-mode; do
	echo "#   $k: $(grep -c " $k " "$TRASH_DIRECTORY/explained")"
done

test_done
