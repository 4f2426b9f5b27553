# git-bpfdigest - build, test and install.
#
#   make            build git-bpfdigest (installs missing Debian packages first)
#   make demo       build, make the demo archive, print its weekly digest
#   make check      build and run every test; ends with "N passed, N failed, N skipped"
#   make bench      speed and memory against reference commands (needs the corpus)
#   make doc        the manual page, Documentation/git-bpfdigest.1 (asciidoctor)
#   make install    prefix=/usr/local DESTDIR= bindir= mandir= bashcompdir=
#   make uninstall  the same variables
#   make dist       git-bpfdigest-<version>.tar.gz of HEAD, the manual page built
#   make distcheck  make dist, then "make" and "make demo" in the unpacked tarball
#   make V=1        show full command lines
#   make SANITIZE=1 build with AddressSanitizer and UndefinedBehaviorSanitizer
#   make fuzz       run each libFuzzer target FUZZ_TIME seconds (default 60; clang)
#   make valgrind   the end-to-end tests with every git-bpfdigest under memcheck

prefix ?= /usr/local
bindir ?= $(prefix)/bin
datarootdir ?= $(prefix)/share
mandir ?= $(datarootdir)/man
man1dir ?= $(mandir)/man1
# Where bash-completion looks for completions on demand (git's completion
# loads "git-bpfdigest" from there for "git bpfdigest <TAB>").
bashcompdir ?= $(datarootdir)/bash-completion/completions
DESTDIR ?=

# A release tarball carries VERSION; a git checkout describes itself.
VERSION := $(shell cat VERSION 2>/dev/null || git describe --tags --always --dirty 2>/dev/null || echo unknown)

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
PROVE ?= prove
ASCIIDOCTOR ?= asciidoctor
PKGS = libgit2 jansson libpcre2-8

# Debian packages behind the compiler, the pkg-config modules and the
# tools we need (README.md lists them: t9010 checks it does).  git
# describes the version and is the command we are a part of.
BUILD_DEBS = gcc libc6-dev make git pkg-config libgit2-dev libjansson-dev libpcre2-dev
TEST_DEBS = libcmocka-dev git perl python3 public-inbox lei b4 man-db bash-completion bsdutils cmark curl
DOC_DEBS = asciidoctor
BENCH_DEBS = time bc

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARNINGS) $(CFLAGS) -MMD -MP
# With valgrind's header, the program knows when it runs under valgrind
# (make valgrind); it changes BUILD-FLAGS, so everything is rebuilt.
ifneq ($(wildcard /usr/include/valgrind/valgrind.h),)
ALL_CFLAGS += -DHAVE_VALGRIND_H
endif
ALL_LDFLAGS = -pthread $(LDFLAGS)
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=address,undefined
endif

ifneq ($(V),1)
Q = @
QUIET_CC = @echo '   ' CC $@;
QUIET_LINK = @echo '   ' LINK $@;
QUIET_GEN = @echo '   ' GEN $@;
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

PROGRAM = git-bpfdigest
LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:.c=.o)
LIB_A = lib/libbpfdigest.a
UNIT_SRC = $(sort $(wildcard tests/test-*.c))
UNIT_BIN = $(UNIT_SRC:.c=)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:.c=)
SHELL_TESTS = $(sort $(wildcard t/t[0-9]*.sh))
CORPUS ?= $(CURDIR)/../shared/corpus
MAN_PAGE = Documentation/git-bpfdigest.1
COMPLETION = contrib/completion/git-bpfdigest.bash
DIST_NAME = git-bpfdigest-$(VERSION)

all: $(PROGRAM)

# Install what is missing, and only that; say so.  Root runs apt-get
# directly, anyone else through sudo.
define install_debs
	@missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; \
		else echo "missing Debian packages:$$missing (run as root or install sudo)" >&2; exit 1; fi; \
		echo "installing missing Debian packages:$$missing"; \
		$$sudo apt-get install -y -q $$missing >/dev/null || \
		{ $$sudo apt-get update -q >/dev/null && $$sudo apt-get install -y -q $$missing >/dev/null; } || \
		{ echo "could not install:$$missing" >&2; exit 1; }; \
	fi
endef

deps:
	$(call install_debs,$(BUILD_DEBS))

test-deps: deps
	$(call install_debs,$(TEST_DEBS))

# Rebuild everything when the flags change (SANITIZE=1 and back).
BUILD-FLAGS: FORCE
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > BUILD-FLAGS+; \
	if cmp -s BUILD-FLAGS+ BUILD-FLAGS; then rm -f BUILD-FLAGS+; else mv BUILD-FLAGS+ BUILD-FLAGS; fi

%.o: %.c BUILD-FLAGS | deps
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) $(VERSION_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The version goes into git-bpfdigest.o alone, through a file of its own
# rather than BUILD-FLAGS: a new commit rebuilds one object, not all.
VERSION-FILE: FORCE
	@echo '$(VERSION)' > VERSION-FILE+; \
	if cmp -s VERSION-FILE+ VERSION-FILE; then rm -f VERSION-FILE+; else mv VERSION-FILE+ VERSION-FILE; fi

git-bpfdigest.o: VERSION-FILE
git-bpfdigest.o: VERSION_CFLAGS = -DBPFDIGEST_VERSION='"$(VERSION)"'

$(LIB_A): $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(PROGRAM): git-bpfdigest.o $(LIB_A)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

tests/test-%: tests/test-%.o tests/unit.o $(LIB_A) | test-deps
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $< tests/unit.o $(LIB_A) $(PKG_LIBS) -lcmocka

tests/%.o: tests/%.c BUILD-FLAGS | test-deps
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Ilib -c -o $@ $<

# Benchmark drivers: small programs on the library.
$(BENCH_BIN): %: %.o $(LIB_A)
	$(QUIET_LINK)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(PKG_LIBS)

bench/%.o: bench/%.c BUILD-FLAGS | deps
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Ilib -c -o $@ $<

# Keep the objects make would treat as intermediate.
.SECONDARY: tests/unit.o $(UNIT_SRC:.c=.o) $(BENCH_SRC:.c=.o)

unit-tests: $(UNIT_BIN)

# The t/ scripts with each git-bpfdigest under valgrind (test-lib.sh): a
# report of any error or leak fails its script.  Some 30 times slower.
VALGRIND_DIR ?= /tmp/bpfdigest-valgrind
valgrind-deps: test-deps
	$(call install_debs,valgrind)

# valgrind first, then the build: it looks for valgrind's header.
valgrind: valgrind-deps
	@$(MAKE) --no-print-directory $(PROGRAM) $(UNIT_BIN) $(MAN_PAGE)
	@rm -rf '$(VALGRIND_DIR)' t/.prove.log; \
	BPFDIGEST_BUILD_DIR='$(CURDIR)' BPFDIGEST_CORPUS='$(CORPUS)' \
	BPFDIGEST_TEST_VALGRIND='$(VALGRIND_DIR)' \
	$(PROVE) -j2 --directives $(PROVE_OPTS) $(SHELL_TESTS) 2>&1 | tee t/.prove.log; \
	status=$${PIPESTATUS[0]}; \
	t/summarize-prove t/.prove.log; \
	exit $$status

# Both kinds of test through prove (--directives lists each skipped
# test); then one summary line.
check: $(PROGRAM) $(UNIT_BIN) $(MAN_PAGE) bench/parse-mails | test-deps
	@rm -f t/.prove.log; \
	BPFDIGEST_BUILD_DIR='$(CURDIR)' BPFDIGEST_CORPUS='$(CORPUS)' \
	$(PROVE) -j2 --directives $(PROVE_OPTS) $(UNIT_BIN) $(SHELL_TESTS) 2>&1 | tee t/.prove.log; \
	status=$${PIPESTATUS[0]}; \
	t/summarize-prove t/.prove.log; \
	exit $$status

bench-deps: test-deps
	$(call install_debs,$(BENCH_DEBS))

# Speed and memory against reference commands measured in the same run.
bench: $(PROGRAM) $(BENCH_BIN) | bench-deps
	@BPFDIGEST_CORPUS='$(CORPUS)' bench/run

# libFuzzer targets (fuzz/): the library built again with clang, coverage
# and the sanitizers, in fuzz/build/, away from the normal objects.
FUZZ_CC ?= clang
FUZZ_SRC = $(sort $(wildcard fuzz/fuzz-*.c))
FUZZ_BIN = $(patsubst fuzz/%.c,fuzz/build/%,$(FUZZ_SRC))
FUZZ_LIB_OBJ = $(patsubst lib/%.c,fuzz/build/lib/%.o,$(LIB_SRC))
FUZZ_SANITIZE = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARNINGS) -g -O2 -fno-omit-frame-pointer \
	$(FUZZ_SANITIZE) -MMD -MP

fuzz/build/lib/%.o: lib/%.c | deps
	@mkdir -p $(@D)
	$(QUIET_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

fuzz/build/%.o: fuzz/%.c | deps
	@mkdir -p $(@D)
	$(QUIET_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -Ilib -c -o $@ $<

fuzz/build/fuzz-%: fuzz/build/fuzz-%.o $(FUZZ_LIB_OBJ)
	$(QUIET_LINK)$(FUZZ_CC) -pthread -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS)

.SECONDARY: $(FUZZ_SRC:fuzz/%.c=fuzz/build/%.o) $(FUZZ_LIB_OBJ)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@CORPUS='$(CORPUS)' fuzz/run

# DEMO_DIR: where the archive goes (t9010 puts it in its own directory).
DEMO_DIR ?= demo-archive
demo: $(PROGRAM)
	@demo/make-demo '$(DEMO_DIR)' && \
	echo && echo '$$ git -C $(DEMO_DIR)/kernel bpfdigest weekly --date=2026-04-08' && \
	PATH="$(CURDIR):$$PATH" git -C '$(DEMO_DIR)/kernel' bpfdigest weekly --date=2026-04-08

# Built only when the page is older than its source: a release tarball
# ships it, so installing from one needs no asciidoctor.
$(MAN_PAGE): Documentation/git-bpfdigest.adoc
	$(call install_debs,$(DOC_DEBS))
	$(QUIET_GEN)$(ASCIIDOCTOR) -b manpage --failure-level=WARN \
		-a mansource='git-bpfdigest $(VERSION)' -o $@ $<

doc: $(MAN_PAGE)

install: $(PROGRAM) $(MAN_PAGE)
	install -d '$(DESTDIR)$(bindir)' '$(DESTDIR)$(man1dir)' '$(DESTDIR)$(bashcompdir)'
	install -m 755 $(PROGRAM) '$(DESTDIR)$(bindir)/$(PROGRAM)'
	install -m 644 $(MAN_PAGE) '$(DESTDIR)$(man1dir)/git-bpfdigest.1'
	install -m 644 $(COMPLETION) '$(DESTDIR)$(bashcompdir)/git-bpfdigest'

uninstall:
	rm -f '$(DESTDIR)$(bindir)/$(PROGRAM)' '$(DESTDIR)$(man1dir)/git-bpfdigest.1' \
		'$(DESTDIR)$(bashcompdir)/git-bpfdigest'

# HEAD as git archive writes it, plus VERSION and the manual page built
# from it, into $(DISTDIR); every file dated like HEAD, so that make sees
# the page as up to date, and the same HEAD gives the same bytes.
DISTDIR ?= .
dist:
	$(Q)git rev-parse --verify -q HEAD >/dev/null || { echo "make dist needs a git checkout" >&2; exit 1; }
	$(Q)tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git archive --format=tar --prefix=$(DIST_NAME)/ HEAD | tar -C "$$tmp" -xf - && \
	echo '$(VERSION)' >"$$tmp/$(DIST_NAME)/VERSION" && \
	$(MAKE) --no-print-directory -C "$$tmp/$(DIST_NAME)" doc && \
	tar -C "$$tmp" -cf - --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime="$$(git log -1 --format=@%ct HEAD)" $(DIST_NAME) | \
		gzip -9 -n >'$(DISTDIR)/$(DIST_NAME).tar.gz' && \
	echo "    DIST $(DISTDIR)/$(DIST_NAME).tar.gz"

# The tarball builds and runs the demo with the README's commands.
distcheck: dist
	$(Q)tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar -C "$$tmp" -xzf '$(DISTDIR)/$(DIST_NAME).tar.gz' && \
	$(MAKE) -C "$$tmp/$(DIST_NAME)" demo && \
	echo "$(DIST_NAME).tar.gz builds and runs the demo"

clean:
	rm -f $(PROGRAM) git-bpfdigest.o $(LIB_OBJ) $(LIB_A) $(UNIT_BIN) tests/*.o \
		$(BENCH_BIN) bench/*.o bench/*.d \
		*.d lib/*.d tests/*.d BUILD-FLAGS VERSION-FILE t/.prove.log $(MAN_PAGE) git-bpfdigest-*.tar.gz
	rm -rf demo-archive t/trash.* t/.corpus-inbox fuzz/build

.PHONY: all deps test-deps bench-deps unit-tests check bench demo doc install uninstall \
	dist distcheck clean FORCE fuzz fuzz-build valgrind valgrind-deps
SHELL = /bin/bash

-include $(LIB_OBJ:.o=.d) git-bpfdigest.d $(UNIT_SRC:.c=.d) $(BENCH_SRC:.c=.d) \
	$(wildcard fuzz/build/*.d fuzz/build/lib/*.d)
