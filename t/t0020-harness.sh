#!/bin/bash
test_description='the test harness: make check quiet on expected errors, its summary counts skips'
. "${0%/*}/test-lib.sh"

test_expect_success 'summarize-prove counts passed, failed and skipped tests and scripts' '
	mkdir tap &&
	printf "#!/bin/sh\necho \"1..0 # SKIP no corpus\"\n" >tap/a.t &&
	printf "#!/bin/sh\nprintf \"ok 1 - x\\\\nok 2 # skip y (z)\\\\nok 3 # SKIP w\\\\n1..3\\\\n\"\n" >tap/b.t &&
	printf "#!/bin/sh\nprintf \"ok 1 - x\\\\nnot ok 2 - y\\\\n1..2\\\\n\"\n" >tap/c.t &&
	printf "#!/bin/sh\nprintf \"ok 1 - x\\\\n\"; exit 3\n" >tap/d.t &&
	chmod +x tap/*.t &&
	prove -j2 --directives tap/a.t tap/b.t tap/c.t tap/d.t >log 2>&1;
	"$TEST_DIRECTORY/summarize-prove" log >summary &&
	echo "3 passed, 2 failed, 3 skipped" >expect &&
	test_cmp expect summary &&
	prove --directives tap/a.t >log 2>&1 &&
	test_expect_code 1 "$TEST_DIRECTORY/summarize-prove" log >summary &&
	grep "^0 passed, 1 failed, 0 skipped (no test ran)$" summary
'

test_expect_success 'make check runs prove with --directives, so that skips are counted' '
	grep -c "\$(PROVE) -j2 --directives " "$BUILD_DIR/Makefile" >n &&
	test $(cat n) = 2
'

test_expect_success 'a unit test keeps what the code prints on stderr as TAP comments' '
	test -x "$BUILD_DIR/tests/test-config" || { echo "build the unit tests first" >&2; return 1; } &&
	"$BUILD_DIR/tests/test-config" >out 2>err &&
	test ! -s err &&
	grep "^# error: bogus format in GIT_CONFIG_PARAMETERS" out &&
	UNIT_STDERR=1 "$BUILD_DIR/tests/test-config" >out 2>err &&
	grep "^error: bogus format in GIT_CONFIG_PARAMETERS" err
'

test_expect_success 'a body that returns early still gets its TAP line' '
	cat >early.sh <<-EOF &&
	#!/bin/bash
	test_description="early return"
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "returns 1" "for i in 1; do return 1; done"
	test_expect_success "returns 0" "return 0"
	test_done
	EOF
	env -u TEST_VERBOSE -u TEST_DEBUG bash early.sh >out 2>&1;
	grep "^not ok 1 - returns 1$" out &&
	grep "^ok 2 - returns 0$" out &&
	grep "^1..2$" out
'

test_expect_success 'a script that skips half-way down skips the rest, with a good plan' '
	cat >half.sh <<-EOF &&
	#!/bin/bash
	test_description="half"
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "runs" "true"
	skip_all "no corpus here"
	test_expect_success "never runs" "false"
	EOF
	env -u TEST_VERBOSE -u TEST_DEBUG bash half.sh >out 2>&1 &&
	cat >expect <<-\EOF &&
	ok 1 - runs
	ok 2 # skip the rest of half (no corpus here)
	1..2
	EOF
	test_cmp expect out
'

test_expect_success 'a test does not inherit the flags of the make that runs make check' '
	cat >flags.sh <<-EOF &&
	#!/bin/bash
	test_description="flags"
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "no make flags" "test -z \"\\\$MAKEFLAGS\\\$MFLAGS\\\$MAKELEVEL\""
	test_done
	EOF
	MAKEFLAGS=" -j2 --jobserver-auth=fifo:/nonexistent" MFLAGS=-j2 MAKELEVEL=1 \
		env -u TEST_VERBOSE -u TEST_DEBUG bash flags.sh >out 2>&1 &&
	grep "^ok 1 - no make flags$" out
'

test_done
