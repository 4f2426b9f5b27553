/*
 * fuzz.h - what the libFuzzer targets in fuzz/ share.
 *
 * Each fuzz/fuzz-<name>.c defines LLVMFuzzerTestOneInput() for one
 * parser and checks, besides "no crash, no leak, no undefined behaviour"
 * (the sanitizers' part), properties that must hold for any input: the
 * two parsing modes agree, what is kept is safe text, quoting undoes.
 * A property that fails aborts with FUZZ_CHECK's message, so libFuzzer
 * saves the input as a crasher like any other.
 *
 * The targets are built and run by "make fuzz" (see fuzz/run); they are
 * never part of the program.
 */
#ifndef BPFDIGEST_FUZZ_H
#define BPFDIGEST_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "textsafe.h"
#include "usage.h"
#include "xalloc.h"

#define FUZZ_CHECK(cond, what)                                                  \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "fuzz: %s:%d: %s (%s)\n", __FILE__,      \
				__LINE__, (what), #cond);                       \
			abort();                                                \
		}                                                               \
	} while (0)

/* A string the parsers keep as one line of text: safe (textsafe.h). */
static inline int fuzz_is_safe_line(const char *s)
{
	return !s || textsafe_is_safe(s, strlen(s), 0);
}

/* A body: valid UTF-8 up to its NUL. */
static inline int fuzz_is_utf8(const char *s)
{
	return !s || mime_is_utf8(s, strlen(s));
}

/* Equal strings, NULL only equal to NULL. */
static inline int fuzz_streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Warnings go nowhere: a fuzzer prints millions of inputs' worth. */
static inline void fuzz_quiet(void)
{
	static int done;

	if (!done) {
		usage_set_quiet(1);
		done = 1;
	}
}

#endif
