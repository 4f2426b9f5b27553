/*
 * mime.h - MIME decoding: transfer encodings, charsets, encoded words.
 *
 * Every function appends to a strbuf owned by the caller and never fails
 * hard: malformed input is decoded as far as it goes and the rest kept
 * as-is, because a slightly broken mail is still worth reading.  Inputs
 * are (pointer, length) pairs and may hold any byte, NUL included.
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
 * Convert text in charset to UTF-8.  Text that is already valid UTF-8 is
 * taken as it is whatever the label says (mislabelled mail is common),
 * except in the 7-bit stateful charsets (ISO-2022-*, HZ, UTF-7) and
 * UTF-16/32, which are always converted.  Names glibc's iconv knows
 * under another one (ks_c_5601-1987, x-mac-roman, windows-874, any
 * "x-" name) are mapped.  Unknown charsets and invalid bytes fall back
 * to Windows-1252 for the bytes that are not UTF-8, its five undefined
 * bytes kept as the C1 controls of the same value, so the result is
 * always valid UTF-8 and no byte is lost.  Returns 0; -1 when the text
 * was invalid in the charset; -2 when the charset was unknown (the
 * fallback was used in both cases).
 */
int mime_to_utf8(struct strbuf *out, const char *in, size_t len,
		 const char *charset);

/* 1 for a 7-bit stateful charset (ISO-2022-JP, HZ, UTF-7): ASCII bytes, other text. */
int mime_charset_is_stateful(const char *charset);

/* 1 when the bytes are valid UTF-8 (NUL included). */
int mime_is_utf8(const char *in, size_t len);
/* 1 when every byte is 7-bit. */
int mime_is_ascii(const char *in, size_t len);

/*
 * Decode RFC 2047 encoded words ("=?UTF-8?B?...?=") in a header value.
 * Adjacent encoded words in the same charset are joined before they are
 * converted, so a character split across two words survives.
 */
void mime_decode_header(struct strbuf *out, const char *in, size_t len);

/*
 * The value of a parameter of a structured header such as Content-Type
 * ("text/plain; charset=utf-8; format=flowed"), unquoted, with RFC 2231
 * continuations ("name*0=", "name*1=") joined and "name*=utf-8''%C3%A9"
 * decoded; a new string, or NULL when absent.
 */
char *mime_header_param(const char *value, const char *name);

/*
 * Undo format=flowed (RFC 3676): join soft line breaks (a line ending in
 * a space continues on the next line with the same quote depth; with
 * delsp that space goes too) and remove space-stuffing.  Quoted lines
 * come out as "> " per level.
 */
void mime_unflow(struct strbuf *out, const char *in, size_t len, int delsp);

/*
 * The text of an HTML part, for mail that has no text/plain: tags
 * dropped, block ends turned into newlines, common entities decoded.
 */
void mime_html_to_text(struct strbuf *out, const char *in, size_t len);

#endif
