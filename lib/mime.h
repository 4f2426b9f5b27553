/*
 * mime.h - MIME decoding: transfer encodings, charsets, encoded words.
 *
 * Every function appends to a strbuf owned by the caller and never fails
 * hard: malformed input is decoded as far as it goes and the rest kept
 * as-is, because a slightly broken mail is still worth reading.
 */
#ifndef BPFDIGEST_MIME_H
#define BPFDIGEST_MIME_H

#include <stddef.h>

struct strbuf;

/* Content-Transfer-Encoding: base64 (RFC 2045 6.8); junk characters skipped. */
void mime_decode_base64(struct strbuf *out, const char *in, size_t len);
/* Content-Transfer-Encoding: quoted-printable (RFC 2045 6.7). */
void mime_decode_qp(struct strbuf *out, const char *in, size_t len);

/*
 * Convert text in charset to UTF-8.  Unknown charsets and invalid bytes
 * fall back to treating the text as UTF-8 where it is valid and as
 * Windows-1252/Latin-1 where it is not, so the result is always UTF-8.
 */
void mime_to_utf8(struct strbuf *out, const char *in, size_t len,
		  const char *charset);

/* 1 when the bytes are valid UTF-8. */
int mime_is_utf8(const char *in, size_t len);

/* Decode RFC 2047 encoded words ("=?UTF-8?B?...?=") in a header value. */
void mime_decode_header(struct strbuf *out, const char *in, size_t len);

/*
 * The value of a parameter of a structured header such as Content-Type
 * ("text/plain; charset=utf-8; format=flowed"), without quotes; a new
 * string, or NULL when absent.
 */
char *mime_header_param(const char *value, const char *name);

#endif
