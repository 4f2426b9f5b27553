#!/bin/bash
test_description='lei q output read like the inbox it came from: the same digests and series'
. "${0%/*}/test-lib.sh"
test_require_command lei
test_require_command public-inbox-index

# lei keeps its configuration, store and daemon socket under these.
export XDG_CONFIG_HOME="$TRASH_DIRECTORY/xdg/config" XDG_DATA_HOME="$TRASH_DIRECTORY/xdg/data"
export XDG_RUNTIME_DIR="$TRASH_DIRECTORY/xdg/run" XDG_CACHE_HOME="$TRASH_DIRECTORY/xdg/cache"
export PI_CONFIG="$TRASH_DIRECTORY/pi-config"
export SOURCE_DATE_EPOCH=1776124800
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# Everything the tool says about an inbox: digests and series, every format.
outputs() {
	git bpfdigest --inbox="$1" weekly --date=2026-04-08 &&
	git bpfdigest --inbox="$1" --format=json daily --date=2026-04-06 &&
	git bpfdigest --inbox="$1" --format=markdown monthly --month=2026-04 &&
	git bpfdigest --inbox="$1" series --all &&
	git bpfdigest --inbox="$1" --format=json series --all
}

test_expect_success 'the demo inbox, indexed for searches, as a lei external' '
	"$BUILD_DIR/demo/make-demo" demo >/dev/null &&
	public-inbox-index -L medium demo/inbox 2>err &&
	lei add-external "$PWD/demo/inbox" 2>>err &&
	outputs demo/inbox >expect &&
	grep -q "^bpf: Widget maps$" expect
'

test_expect_success 'lei q writes every message to a v2 inbox, an mboxrd and a maildir' '
	lei q -q -o "v2:$PWD/lei-v2" "d:19700101.." &&
	lei q -q -o "mboxrd:$PWD/lei.mbox" "d:19700101.." &&
	lei q -q -o "maildir:$PWD/lei-maildir" "d:19700101.." &&
	n=$(git -C demo/inbox/git/0.git rev-list --count HEAD) &&
	test $(git -C lei-v2/git/0.git rev-list --count HEAD) = $n &&
	test $(grep -c "^From " lei.mbox) = $n &&
	test $(find lei-maildir/cur lei-maildir/new -type f | wc -l) = $n
'

test_expect_success 'the v2 inbox lei wrote gives the same digests and series' '
	outputs lei-v2 >actual &&
	test_cmp expect actual
'

test_expect_success 'a lei search for whole threads gives the series it matched' '
	lei q -q -t -o "v2:$PWD/lei-widgets" "s:widget" &&
	git bpfdigest --inbox=lei-widgets series --no-summaries 20260409100000.widgets-0@example.org >actual &&
	git bpfdigest --inbox=demo/inbox series --no-summaries 20260409100000.widgets-0@example.org >expect-widgets &&
	test_cmp expect-widgets actual
'

# mboxrd: and maildir: locations arrive with the inbox sources; until
# then these say so and skip.
for kind in mboxrd maildir; do
	loc=$kind:$TRASH_DIRECTORY/lei.mbox
	test $kind = maildir && loc=$kind:$TRASH_DIRECTORY/lei-maildir
	if git bpfdigest --inbox="$loc" series --all >/dev/null 2>&1; then
		test_expect_success "lei's $kind gives the same digests and series" "
			outputs '$loc' >actual &&
			test_cmp expect actual
		"
	else
		test_skip "lei's $kind gives the same digests and series" "--inbox=$kind: is not read yet"
	fi
done

test_expect_success 'lei is stopped' '
	lei daemon-kill
'

test_done
