#!/bin/bash
# Assembling series: one series from the real archive against b4, and
# every series of the ~150,000-message scaled inbox against the scan of
# that inbox alone.
. "$(dirname "$0")/bench-lib.sh"
bench_require_corpus
command -v b4 >/dev/null || { echo "# skipped $(basename "$0"): b4 is not installed"; exit 0; }

inbox=$(bench_corpus_inbox) || exit 1
# A 28-patch revision of a 12-revision series, with reviews.
mid=20220304172852.274126-1-benjamin.tissoires@redhat.com

# The same mails as one mboxrd, for b4.
mbox=$BENCH_DIR/corpus.mbox
test -s "$mbox" || {
	git -C "$inbox/git/0.git" log --reverse --format='%H:m' |
	git -C "$inbox/git/0.git" cat-file --batch |
	python3 -c '
import re, sys
inp, out = sys.stdin.buffer, sys.stdout.buffer
while True:
    head = inp.readline()
    if not head:
        break
    msg = inp.read(int(head.split()[2]))
    inp.read(1)
    msg = re.sub(rb"(?m)^(>*From )", rb">\1", msg)
    out.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + msg +
              (b"" if msg.endswith(b"\n") else b"\n") + b"\n")
' >"$mbox.tmp" && mv "$mbox.tmp" "$mbox"
} || exit 1

# b4 needs an identity, a repository to run in and an output directory;
# signatures cannot be checked offline.
b4home=$BENCH_DIR/b4-home
mkdir -p "$b4home/repo" "$b4home/out"
printf '[user]\n\tname = Bench\n\temail = bench@example.org\n[b4]\n\tattestation-policy = off\n' \
	>"$b4home/.gitconfig"
git -C "$b4home/repo" init -q 2>/dev/null

# A first run builds the incremental index (a cache of its own here);
# later runs, the usual case once "update" runs from cron, only load it.
# Outside any repository, so that the cache is that one.
cache=$BENCH_DIR/b2000-cache
rm -rf "$cache"
bench_measure cold env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
	git-bpfdigest --inbox="$inbox" series "$mid"
bench_measure ours env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" \
	git-bpfdigest --inbox="$inbox" series "$mid"
bench_measure b4 env -C "$b4home/repo" HOME="$b4home" GIT_CONFIG_NOSYSTEM=1 \
	b4 -q am -m "$mbox" -o "$b4home/out" "$mid"
bench_row "series <msgid>, 15k archive vs b4 am -m (s)" "$ours_s" "$b4_s" s "<= 0.1"
bench_row "series <msgid>, 15k archive vs b4 am -m (KiB)" "$ours_kb" "$b4_kb" KiB ""
bench_row "series <msgid>, no index yet, vs b4 am -m (s)" "$cold_s" "$b4_s" s ""

# The reference scan: every message read and parsed, nothing else.
scan=$BENCH_DIR/archive-scan
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$BENCH_ROOT/lib" -o "$scan" \
	"$BENCH_ROOT/bench/archive-scan.c" "$BENCH_ROOT/lib/libbpfdigest.a" \
	$(pkg-config --libs libgit2 jansson libpcre2-8) || exit 1

bench_measure scan "$scan" "$inbox"
bench_measure all env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" git-bpfdigest --inbox="$inbox" series --all
bench_row "series --all, 15k archive vs the scan alone (s)" "$all_s" "$scan_s" s "<= 1.5"

scaled=$(bench_scaled_inbox 10) || exit 1
bench_measure scan "$scan" "$scaled"
bench_measure all env -C "$BENCH_DIR" XDG_CACHE_HOME="$cache" git-bpfdigest --inbox="$scaled" series --all
bench_row "series --all, 150k inbox vs the scan alone (s)" "$all_s" "$scan_s" s "<= 1.5"
bench_row "series --all, 150k inbox vs the scan alone (KiB)" "$all_kb" "$scan_kb" KiB ""
