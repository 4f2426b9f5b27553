/*
 * link-trailer.h - the postings a commit message names itself.
 *
 * "b4 am -l" and the maintainers' scripts add "Link:" trailers naming
 * the posting a commit was applied from; some commits carry a
 * "Message-ID:" line instead.  This reads the Message-IDs out of those
 * lines (the linker, link.h, trusts them first) and the revision a
 * Link: line is annotated with.
 *
 * Everything here works on a commit message alone.  New strings are
 * the caller's to free.
 */
#ifndef BPFDIGEST_LINK_TRAILER_H
#define BPFDIGEST_LINK_TRAILER_H

#include <stddef.h>

/*
 * The Message-IDs a commit message names in "Link:" and "Message-ID:"
 * lines: lore.kernel.org/r/<mid>, lore.kernel.org/<list>/<mid>/,
 * lkml.kernel.org/r/<mid>, patch.msgid.link/<mid>, msgid.link/<mid> and
 * any masks given (b4.linkmask), %-escapes decoded.  Appends new strings
 * to *mids (the caller frees them and the array).
 */
void link_trailer_mids(char ***mids, size_t *nr, size_t *alloc, const char *message,
		      const char *const *masks, size_t masks_nr);

/*
 * The revision the Link: line naming mid is annotated with ("# v1",
 * "(v2)", "[v3]"), or 0.
 */
unsigned link_trailer_annotation(const char *message, const char *mid);

#endif
