/*
 * fuzz-subject - the grammar of patch subject prefixes: subject_parse()
 * and subject_normalize().
 *
 * Subjects reach the parser as the mail stage leaves them, one line of
 * safe UTF-8 (textsafe.h), so the input is made so first.  Properties:
 * what comes out is safe text too; a version is never 0; a title does
 * not grow; normalising is idempotent.
 */
#include "fuzz.h"

#include "strbuf.h"
#include "subject.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf s = STRBUF_INIT;
	struct subject subj;
	char *norm, *again;

	fuzz_quiet();
	textsafe_line(&s, (const char *)data, size);
	subject_parse(&subj, s.buf);
	FUZZ_CHECK(subj.title && subj.prefix, "title and prefix are set");
	FUZZ_CHECK(fuzz_is_safe_line(subj.title) && fuzz_is_safe_line(subj.prefix) &&
		   fuzz_is_safe_line(subj.tree), "safe text");
	FUZZ_CHECK(strlen(subj.title) <= s.len, "the title is part of the subject");
	FUZZ_CHECK(subj.version >= 1, "versions start at 1");
	FUZZ_CHECK(!subj.total || subj.position <= subj.total || (subj.flags & SUBJECT_PATCH),
		   "numbering");
	norm = subject_normalize(subj.title);
	again = subject_normalize(norm);
	FUZZ_CHECK(!strcmp(norm, again) || strlen(again) < strlen(norm), "normalising settles");
	free(norm);
	free(again);
	subject_release(&subj);
	strbuf_release(&s);
	return 0;
}
