# lib-inbox.sh - building inboxes for t1000-t1099, sourced after test-lib.sh.
#
#   inbox_message N            print a small message with id <N@example.org>
#   inbox_commit REPO FILE     commit stdin as FILE ("m" or "d") on HEAD of the
#                              bare REPO, the way public-inbox writes epochs
#   inbox_add REPO N...        commit inbox_message N for each N
#   update_counts FILE         the numbers of the summary line of "git bpfdigest
#                              update" in FILE: read, new, removed, warnings,
#                              then held, unique, duplicates, unparseable
#   expect_counts "N..." FILE...  each FILE's update_counts are N...
#   pi_import DIR LEVEL [V]    import the mboxrd on stdin into a new inbox DIR
#                              with public-inbox's own Perl API (version V,
#                              default 2; index level LEVEL: basic, medium)

inbox_message() {
	printf 'Message-ID: <%s@example.org>\nSubject: message %s\nFrom: A <a@example.org>\n' "$1" "$1"
	printf 'Date: Mon, 6 Apr 2026 10:%02d:00 +0000\nTo: bpf@vger.kernel.org\n\nbody %s\n' "$(($1 % 60))" "$1"
}

update_counts() {
	sed -n 's/^read \([0-9]*\) messages\?: \([0-9]*\) new, \([0-9]*\) removed, \([0-9]*\) warnings\?; the index holds \([0-9]*\) messages\? (\([0-9]*\) unique, \([0-9]*\) duplicates\?, \([0-9]*\) unparseable)$/\1 \2 \3 \4 \5 \6 \7 \8/p' "$1"
}

expect_counts() {
	echo "$1" >expect &&
	shift &&
	for f in "$@"; do
		update_counts "$f" >actual &&
		test_cmp expect actual || return 1
	done
}

inbox_commit() {
	blob=$(git --git-dir="$1" hash-object -w --stdin) &&
	tree=$(printf '100644 blob %s\t%s\n' "$blob" "$2" | git --git-dir="$1" mktree) &&
	parent=$(git --git-dir="$1" rev-parse -q --verify HEAD) ;
	commit=$(git --git-dir="$1" commit-tree "$tree" ${parent:+-p "$parent"} -m message) &&
	git --git-dir="$1" update-ref HEAD "$commit"
}

inbox_add() {
	repo=$1
	shift
	for n in "$@"; do
		inbox_message "$n" | inbox_commit "$repo" m || return 1
	done
}

pi_import() {
	perl -e '
		use strict;
		use PublicInbox::InboxWritable;
		use PublicInbox::MboxReader;
		my ($dir, $level, $version) = @ARGV;
		my $ibx = PublicInbox::InboxWritable->new({ inboxdir => $dir, name => "bpf",
			version => $version, address => ["bpf\@vger.kernel.org"],
			-primary_address => "bpf\@vger.kernel.org", indexlevel => $level,
			-no_fsync => 1 }, { nproc => 1 });
		$ibx->init_inbox(0) if $version == 1;
		my $im = $ibx->importer(0);
		PublicInbox::MboxReader->mboxrd(\*STDIN, sub { $im->add($_[0]) or die "not added\n" });
		$im->done;
	' "$1" "$2" "${3:-2}"
}

test_require_public_inbox() {
	perl -MPublicInbox::InboxWritable -e 1 2>/dev/null ||
		skip_all "public-inbox's Perl modules are not installed"
}

# pi_remove DIR [V]: remove the message on stdin from the inbox DIR with
# public-inbox's API (a "d" commit in v2, a deleted path in v1).
pi_remove() {
	perl -e '
		use strict;
		use PublicInbox::InboxWritable;
		use PublicInbox::Eml;
		my ($dir, $version) = @ARGV;
		my $ibx = PublicInbox::InboxWritable->new({ inboxdir => $dir, name => "bpf",
			version => $version, address => ["bpf\@vger.kernel.org"],
			-primary_address => "bpf\@vger.kernel.org", -no_fsync => 1 }, { nproc => 1 });
		my $raw = do { local $/; <STDIN> };
		my $im = $ibx->importer(0);
		$im->remove(PublicInbox::Eml->new(\$raw)) or die "not removed\n";
		$im->done;
	' "$1" "${2:-2}"
}
