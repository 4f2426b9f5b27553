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
 *             (for a cover letter: from its shortlog "Name (3):" on)
 *   diff      from the first "diff --git" line (or a "--- a/x" and
 *             "+++ b/x" pair), up to the "-- " signature
 *
 * The message ends where "git am" ends it: at the first line of "---"
 * and a blank, or the diff; and at a "-- " (or "--") signature.  In-body
 * From:/Subject:/Date: lines before it are not part of it (From: gives
 * author_name and author_email, as git am takes them).  Its trailers are
 * found with git's rules (those of git_message_trailers()): the last
 * paragraph, if it is all "token: value" lines, or has a git trailer such
 * as Signed-off-by and is at least a quarter trailers; continuation lines
 * are joined with a space.  Review trailers ("Acked-by: Name <email>",
 * any "*-by:" naming an address) count wherever they are in the unquoted
 * text of a reply.
 *
 * The body is decoded first: MIME multipart (nested), base64 and
 * quoted-printable, any charset to UTF-8 (see mime.h), format=flowed;
 * HTML only when there is no text/plain; patches attached as
 * text/x-patch, text/x-diff or as .patch or .diff files follow the text.
 * Headers are unfolded and RFC 2047-decoded; of repeated headers the
 * first counts (the first Received: is the last hop, the arrival).
 *
 * Besides the body, a parse extracts the small facts later stages need
 * even when the body is not kept (MAIL_PARSE_FACTS_ONLY): trailers, the
 * paths the diff touches, b4's change-id, message-ids named by lore
 * links, and the items of a patchwork-bot "applied" notice.  That is what
 * the message index stores for every mail; the body is read again from
 * the archive for the few messages whose text is needed.
 *
 * A struct mail owns every string in it; mail_release() frees them.
 * mail_parse() keeps no state between calls: threads may parse at once.
 *
 * Three files do the work: mail-header.c reads the header block
 * (mail-header.h), mail-mime.c decodes the body's MIME structure
 * (mail-mime.h), and mail.c splits the decoded body into its parts.
 * Those two headers are mail.c's own; the rest of the program uses this
 * one.
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
	int in_block;	/* 1: from the message's trailer block (git's rules);
			 * 0: a review trailer found elsewhere in unquoted text */
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
	MAIL_DIFF_ATTACHED = 1 << 6,	/* the diff came from an attachment */
	MAIL_BAD_DATE = 1 << 7,		/* a Date: that could not be parsed */
	MAIL_BAD_CHARSET = 1 << 8,	/* an unknown charset or invalid text in it */
	/* Limits (see below): the mail went over one and was cut. */
	MAIL_LONG_HEADER = 1 << 9,	/* a header line longer than MAIL_MAX_HEADER_LINE */
	MAIL_DEEP_MIME = 1 << 10,	/* parts nested deeper than MAIL_MAX_MIME_DEPTH */
	MAIL_MANY_REFS = 1 << 11,	/* References naming more than MAIL_MAX_REFS ids */
	/* A text part in a charset iconv does not know: read as Windows-1252 (mime.h). */
	MAIL_UNKNOWN_CHARSET = 1 << 12,
	/* Review verdicts a human wrote on a line of its own (state.h). */
	MAIL_PWBOT_CR = 1 << 13,	/* "pw-bot: cr" or "pw-bot: changes-requested" */
	MAIL_PWBOT_DEFER = 1 << 14,	/* "pw-bot: defer" */
	MAIL_NAK = 1 << 15,		/* a "Nacked-by:" trailer or a "NAK" line */
};

/*
 * Mail is written by strangers: what one message may cost is bounded.
 * A header line (folded lines included) longer than MAIL_MAX_HEADER_LINE
 * bytes is read up to there; MIME parts nested deeper than
 * MAIL_MAX_MIME_DEPTH are skipped; of a References list longer than
 * MAIL_MAX_REFS, the first id (the thread's root) and the newest ones
 * are kept, as RFC 5322 says to shorten it.  Each sets its flag above,
 * so that the caller can warn; mail_describe_limits() says what.  (The
 * size of a whole message is bounded before it is read: see
 * archive.h.)
 */
#define MAIL_MAX_HEADER_LINE (1 << 20)
#define MAIL_MAX_MIME_DEPTH 16
#define MAIL_MAX_REFS 1000
/* What the archive warns about, once per mail (an unknown charset too). */
#define MAIL_LIMIT_FLAGS (MAIL_LONG_HEADER | MAIL_DEEP_MIME | MAIL_MANY_REFS | MAIL_UNKNOWN_CHARSET)

struct mail {
	/* Threading: Message-IDs without angle brackets. */
	char *mid;
	char *in_reply_to;	/* NULL when absent */
	char **refs;		/* References, oldest first */
	size_t refs_nr;

	char *subject;		/* unfolded, decoded; "" when absent */
	char *from_name;	/* "" when the From: has no display name */
	char *from_email;	/* lowercased domain; "" when absent */
	/*
	 * A patch sent on someone else's behalf names its author in an
	 * in-body "From:" line, as git am reads it; NULL otherwise.
	 */
	char *author_name;
	char *author_email;
	char *list_id;		/* List-Id without <>, NULL when absent */

	time_t date;		/* Date: as UTC (valid with MAIL_HAS_DATE) */
	int date_tz;		/* its offset, minutes east of UTC */
	time_t arrival;		/* first Received:, else the archive's time */
	unsigned flags;		/* enum mail_flag */

	struct mail_trailer *trailers;	/* the block's first, in order */
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

/*
 * Append to out the body of raw mail as mail_parse() reads it: the text
 * parts decoded to UTF-8 with LF line ends, format=flowed undone, then
 * attached patches.  Returns 0, or -1 (with nothing appended) when raw
 * has no header block.
 */
int mail_decode_body(struct strbuf *out, const char *raw, size_t len);

/*
 * Append what limits mail went over ("a header line longer than 1 MiB
 * was cut", ...), separated by "; ".  Returns how many.
 */
int mail_describe_limits(struct strbuf *out, const struct mail *mail);

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
