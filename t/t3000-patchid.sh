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
	seq 1 2 200 >big.txt && git rm -q a.c && git commit -q -am "many hunks and a deletion" &&
	# git hashes a file without hunks together with the next file.
	git mv elsewhere.txt moved.txt && echo more >>big.txt && git commit -q -am "pure move" &&
	: >empty && git add empty && echo end >>h.c && git commit -q -am "an empty file" &&
	git mv run.sh run && chmod -x run && git commit -q -am "move and chmod" &&
	printf "\001\002\000\003" >blob.bin && git add blob.bin && git commit -q -m "binary"
'

test_expect_success 'every commit: the same patch-id as git' '
	cd repo &&
	git bpfdigest link --patch-id HEAD~1 | sort >ours &&
	git log -p HEAD~1 | git patch-id --stable | sort >git &&
	test_cmp git ours &&
	test $(wc -l <ours) = 10
'

test_expect_success 'a binary change has a patch-id of its own' '
	cd repo &&
	git bpfdigest link --patch-id HEAD~1..HEAD >bin &&
	test $(wc -l <bin) = 1
'

test_expect_success 'a second run reads them from the cache' '
	cd repo &&
	test -s .git/bpfdigest/patch-id-v2 &&
	cp .git/bpfdigest/patch-id-v2 before &&
	git bpfdigest link --patch-id HEAD~1 | sort >again &&
	test_cmp ours again &&
	test_cmp before .git/bpfdigest/patch-id-v2
'

test_expect_success 'a cached id is used as it is, not computed again' '
	cd repo &&
	c=$(git rev-parse HEAD~1) &&
	echo "c$c 0123456789012345678901234567890123456789" >>.git/bpfdigest/patch-id-v2 &&
	git bpfdigest link --patch-id HEAD~2..HEAD~1 >out &&
	echo "0123456789012345678901234567890123456789 $c" >expect &&
	test_cmp expect out
'

test_expect_success 'a damaged cache line is a warning, and the id is computed again' '
	cd repo &&
	c=$(git rev-parse HEAD~1) &&
	grep -v "^c$c " before >.git/bpfdigest/patch-id-v2 &&
	echo "c$c not-an-id" >>.git/bpfdigest/patch-id-v2 &&
	git bpfdigest link --patch-id HEAD~2..HEAD~1 >out 2>err &&
	grep "^warning: ignored 1 damaged line in the patch-id cache" err &&
	git log -p -1 HEAD~1 | git patch-id --stable >expect &&
	test_cmp expect out
'

test_expect_success 'an invalid range is fatal' '
	cd repo &&
	test_expect_code 128 git bpfdigest link --patch-id no-such..HEAD 2>err &&
	grep "^fatal: invalid revision range .no-such..HEAD.$" err
'

test_require_corpus

# Why a commit's patch-id may differ from git's: git hashes a binary
# change by the abbreviated ids of its "index" line, whose length depends
# on the repository; we do not.  Prints "binary", or nothing.
explain() {
	git -C libbpf.git diff-tree --no-commit-id -r -M --numstat "$1" | grep -q "^-	-	" &&
		echo binary
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
	test $(wc -l <same) -ge 2869
'
echo "# libbpf: $(wc -l <"$TRASH_DIRECTORY/same") of 2871 commits agree; the others:"
echo "#   binary: $(grep -c " binary " "$TRASH_DIRECTORY/explained")"

test_done
