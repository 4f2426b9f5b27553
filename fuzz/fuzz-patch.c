/*
 * fuzz-patch - what is read from a patch mail's text: the split into
 * message, trailers, notes and diff (mail_parse() with its body), and
 * the mail side of patch-ids (patchid_mail(), the kernel-to-mirror path
 * map of patchid_pathmap_diff()).
 *
 * The input is read both as a whole mail and as the text "git patch-id"
 * would be given.  Properties: trailers found by git's rules have a
 * token for a key; a git diff split out of a mail hashes the same alone
 * as after its message; a mirror's rewrite of nothing is empty.
 */
#include "fuzz.h"

#include <ctype.h>

#include "mail.h"
#include "patchid.h"
#include "patchid-pathmap.h"
#include "strbuf.h"

static struct patchid_pathmap map = PATCHID_PATHMAP_INIT;

static void check_trailers(const struct mail *m)
{
	size_t i;
	const char *k;

	for (i = 0; i < m->trailers_nr; i++) {
		FUZZ_CHECK(*m->trailers[i].key, "a trailer has a key");
		for (k = m->trailers[i].key; *k; k++)
			FUZZ_CHECK(isalnum((unsigned char)*k) || *k == '-', "a token");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct strbuf err = STRBUF_INIT, mirror = STRBUF_INIT;
	struct mail m;
	git_oid id;
	size_t kept;

	fuzz_quiet();
	if (!map.nr) {
		patchid_pathmap_add(&map, "tools/lib/bpf/:src/");
		patchid_pathmap_add(&map, "tools/include/:include/");
	}
	patchid_mail(&id, in, size);
	kept = patchid_pathmap_diff(&mirror, &map, in, size);
	FUZZ_CHECK(kept || !mirror.len, "nothing kept, nothing written");
	if (kept)
		patchid_mail(&id, mirror.buf, mirror.len);

	if (!mail_parse(&m, in, size, 0, &err)) {
		check_trailers(&m);
		/*
		 * As "git patch-id" reads text, a line starting "diff " opens
		 * a patch: only a message without one is sure to be skipped.
		 */
		if (!strncmp(m.diff, "diff --git ", 11) && strncmp(m.text, "diff ", 5) &&
		    !strstr(m.text, "\ndiff ")) {
			struct strbuf both = STRBUF_INIT;
			git_oid alone, after;
			int ra, rb;

			ra = patchid_mail(&alone, m.diff, strlen(m.diff));
			strbuf_addf(&both, "%s\n---\n%s", m.text, m.diff);
			rb = patchid_mail(&after, both.buf, both.len);
			FUZZ_CHECK(ra == rb && (ra || git_oid_equal(&alone, &after)),
				   "a diff hashes the same after its message");
			strbuf_release(&both);
		}
		mail_release(&m);
	}
	strbuf_release(&mirror);
	strbuf_release(&err);
	return 0;
}
