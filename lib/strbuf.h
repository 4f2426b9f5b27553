/*
 * strbuf.h - a growable string buffer.
 *
 * A strbuf owns buf; buf is always NUL-terminated (even when empty, when
 * it points to a shared empty string and alloc is 0), and len never
 * counts the NUL.  Bytes may include NULs; use len, not strlen().
 *
 *   struct strbuf sb = STRBUF_INIT;
 *   strbuf_addf(&sb, "%d patches", n);
 *   puts(sb.buf);
 *   strbuf_release(&sb);
 *
 * strbuf_detach() hands the string to the caller (who frees it) and
 * leaves the strbuf empty and reusable.
 */
#ifndef BPFDIGEST_STRBUF_H
#define BPFDIGEST_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT { 0, 0, strbuf_empty }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Make room for extra more bytes (plus the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
__attribute__((format(printf, 2, 3)))
void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* printf into a new string (the caller frees it). */
__attribute__((format(printf, 1, 2)))
char *xstrfmt(const char *fmt, ...);

/* Remove whitespace at either end. */
void strbuf_trim(struct strbuf *sb);
void strbuf_rtrim(struct strbuf *sb);

/*
 * Append the whole of a file or stream.  Return the number of bytes read,
 * or -1 with errno set (what was read so far stays in sb).
 */
long strbuf_read_file(struct strbuf *sb, const char *path);
long strbuf_read_fd(struct strbuf *sb, int fd);

/*
 * Replace the file at path by what sb holds, whole or not at all: it is
 * written to "<path>.tmp-<pid>" and renamed over path, so a reader (or a
 * run killed half-way) sees the old file or the new one.  Returns 0, or
 * -1 with errno set and the temporary file removed.
 */
int strbuf_write_file_atomic(const struct strbuf *sb, const char *path);

/* Read one line (without its "\n") into sb; return EOF at end of input. */
int strbuf_getline(struct strbuf *sb, FILE *fp);

#endif
