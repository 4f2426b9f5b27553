/*
 * mail.h - one email, parsed the way kernel patch mail is written.
 *
 * mail_parse() turns the raw bytes of an RFC 5322 message into a struct
 * mail: the headers a digest needs, decoded to UTF-8, and the body split
 * into the parts of a patch mail:
 *
 *   text      the message: for a patch its commit message, for a cover
 *             letter its introduction, for a reply what the sender wrote
 *   trailers  "Key: value" lines (Signed-off-by, Acked-by, Link, ...)
 *   notes     what follows "---" and precedes the diff: changelog, diffstat
 *   diff      from the first "diff --git" line
 *
 * Besides the body, a parse extracts the small facts later stages need
 * even when the body is not kept (MAIL_PARSE_FACTS_ONLY): trailers, the
 * paths the diff touches, b4's change-id, message-ids named by lore
 * links, and the items of a patchwork-bot "applied" notice.  That is what
 * the message index stores for every mail; the body is read again from
 * the archive for the few messages whose text is needed.
 *
 * A struct mail owns every string in it; mail_release() frees them.
 */
#ifndef BPFDIGEST_MAIL_H
#define BPFDIGEST_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "inbox.h"

struct strbuf;

struct mail_trailer {
	char *key;	/* as written, e.g. "Acked-by" */
	char *value;	/* continuation lines joined, trimmed */
};

/* One line of a patchwork-bot notice: "- [bpf-next,v3,1/3] subject" + URL. */
struct mail_applied {
	char *subject;	/* as the bot wrote it, with its [tree,vN,n/m] tag */
	char *url;	/* https://git.kernel.org/<tree>/c/<hash>, or NULL */
};

enum mail_flag {
	MAIL_HAS_DATE = 1 << 0,		/* Date: was present and parsed */
	MAIL_HAS_DIFF = 1 << 1,		/* a diff, inline or attached */
	MAIL_HAS_DIFFSTAT = 1 << 2,	/* a "N files changed" summary */
	MAIL_PULL_REQUEST = 1 << 3,	/* "The following changes since commit" */
	MAIL_HAS_BODY = 1 << 4,		/* text, notes and diff are loaded */
	MAIL_NO_MESSAGE_ID = 1 << 5,	/* mid was synthesised from the content */
};

struct mail {
	/* Threading: Message-IDs without angle brackets. */
	char *mid;
	char *in_reply_to;	/* NULL when absent */
	char **refs;		/* References, oldest first */
	size_t refs_nr;

	char *subject;		/* unfolded, decoded; "" when absent */
	char *from_name;	/* "" when the From: has no display name */
	char *from_email;	/* lowercased domain; "" when absent */
	char *list_id;		/* List-Id without <>, NULL when absent */

	time_t date;		/* Date: as UTC (valid with MAIL_HAS_DATE) */
	int date_tz;		/* its offset, minutes east of UTC */
	time_t arrival;		/* first Received:, else the archive's time */
	unsigned flags;		/* enum mail_flag */

	struct mail_trailer *trailers;
	size_t trailers_nr;
	char *change_id;	/* b4's "change-id: 20250101-topic-abcdef", or NULL */
	char **links;		/* message-ids named by lore/patch.msgid links */
	size_t links_nr;
	char **paths;		/* files the diff touches, in diff order */
	size_t paths_nr;
	char *applied_to;	/* pw-bot: "bpf/bpf-next.git (master)", or NULL */
	struct mail_applied *applied;
	size_t applied_nr;

	/* The body, with MAIL_HAS_BODY only. */
	char *text;
	char *notes;
	char *diff;

	struct inbox_origin origin;
};

enum mail_parse_flags {
	/* Extract the facts, then drop text, notes and diff. */
	MAIL_PARSE_FACTS_ONLY = 1 << 0,
};

/*
 * Parse len bytes of raw mail into *mail (which is overwritten).
 * Returns 0, or -1 when the bytes are not a mail at all, with the reason
 * appended to err ("no header block", ...); *mail is then empty.
 * Imperfect but usable mail (a bad charset, a broken Date:) parses.
 */
int mail_parse(struct mail *mail, const char *raw, size_t len, unsigned flags,
	       struct strbuf *err);

void mail_release(struct mail *mail);

/* The first trailer named key (case-insensitive), or NULL. */
const char *mail_trailer_get(const struct mail *mail, const char *key);

/*
 * Normalise a Message-ID: strip <>, surrounding whitespace and comments.
 * Returns a new string, or NULL for an empty one.  A malformed id (no @,
 * spaces inside) is kept as written: lore keeps them too.
 */
char *mail_normalize_mid(const char *s, size_t len);

/* s[0, len) with its %XX escapes decoded (ids in URLs).  A new string. */
char *mail_percent_decode(const char *s, size_t len);

/*
 * The time a message belongs to a period by: its Date:, unless missing or
 * more than two days away from its arrival (see DESIGN.md).
 */
time_t mail_period_time(const struct mail *mail);

#endif
