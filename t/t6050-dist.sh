#!/bin/bash
test_description='make dist: a reproducible tarball of HEAD that builds and runs the demo as the README says'
. "${0%/*}/test-lib.sh"

git -C "$BUILD_DIR" rev-parse --verify -q HEAD >/dev/null ||
	skip_all "$BUILD_DIR is no git checkout (a tarball cannot make another)"

test_expect_success 'make dist writes the tarball' '
	make -C "$BUILD_DIR" -s dist DISTDIR="$PWD" >out &&
	ls git-bpfdigest-*.tar.gz >tarball &&
	test $(wc -l <tarball) = 1 &&
	name=$(basename $(cat tarball) .tar.gz) &&
	test "$name" = "git-bpfdigest-$(cat "$BUILD_DIR/VERSION" 2>/dev/null ||
		git -C "$BUILD_DIR" describe --tags --always --dirty)"
'

test_expect_success 'it holds HEAD, VERSION and the manual page, nothing else' '
	tar -tzf $name.tar.gz | grep -v "/\$" | sed "s|^$name/||" | sort >content &&
	{
		git -C "$BUILD_DIR" ls-tree -r --name-only HEAD &&
		printf "%s\n" VERSION Documentation/git-bpfdigest.1
	} | sort >expect &&
	test_cmp expect content
'

test_expect_success 'the same HEAD gives the same bytes' '
	mkdir -p again &&
	make -C "$BUILD_DIR" -s dist DISTDIR="$PWD/again" >/dev/null &&
	cmp $name.tar.gz again/$name.tar.gz
'

test_expect_success 'unpacked, "make demo" builds it and prints the digest' '
	tar -xzf $name.tar.gz &&
	(cd $name && make demo) >demo.out 2>&1 &&
	grep "^\$ git -C demo-archive/kernel bpfdigest weekly --date=2026-04-08$" demo.out &&
	grep "^Generated " demo.out &&
	test -x $name/git-bpfdigest
'

test_expect_success 'its manual page is used as it is: no asciidoctor needed' '
	! grep "GEN Documentation" demo.out &&
	(cd $name && make -q Documentation/git-bpfdigest.1) &&
	(cd $name && make -s install DESTDIR="$TRASH_DIRECTORY/stage" prefix=/usr) >install.out 2>&1 &&
	! grep "GEN Documentation" install.out &&
	cmp $name/Documentation/git-bpfdigest.1 stage/usr/share/man/man1/git-bpfdigest.1 &&
	grep -q "git-bpfdigest $(cat $name/VERSION)" $name/Documentation/git-bpfdigest.1
'

test_done
