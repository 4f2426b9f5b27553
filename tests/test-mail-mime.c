#include "unit.h"
#include "mail-header.h"
#include "mail-mime.h"
#include "mail.h"
#include "strbuf.h"

#include <string.h>

static void scan(struct header_block *hb, const char *raw)
{
	if (!mail_header_scan(hb, raw, strlen(raw)))
		fail_msg("no header block");
}

/* The body of raw decoded into out; returns the flags the decoding raised. */
static unsigned decode(struct strbuf *out, size_t *attached_at, const char *raw)
{
	struct header_block hb;

	scan(&hb, raw);
	return mail_mime_decode(out, attached_at, &hb, raw + hb.end, strlen(raw) - hb.end);
}

/* Most patch mail is read in place; an encoding or CRLF needs the decoder. */
static void test_is_plain(void **state)
{
	static const char plain[] = "Content-Type: text/plain; charset=utf-8\n\nA patch.\n";
	static const char qp[] = "Content-Transfer-Encoding: quoted-printable\n\nA=20patch.\n";
	static const char crlf[] = "Subject: x\n\nA patch.\r\n";
	static const char flowed[] = "Content-Type: text/plain; format=flowed\n\nA patch.\n";
	const char *raws[] = { plain, qp, crlf, flowed };
	int want[] = { 1, 0, 0, 0 };
	struct header_block hb;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(raws); i++) {
		scan(&hb, raws[i]);
		assert_int_equal(mail_mime_is_plain(&hb, raws[i] + hb.end,
						    strlen(raws[i]) - hb.end), want[i]);
	}
}

/* Text parts first, attached patches after them; a signature is left out. */
static void test_decode_multipart(void **state)
{
	static const char raw[] =
		"Content-Type: multipart/mixed; boundary=\"b\"\n"
		"\n"
		"--b\n"
		"Content-Type: text/plain; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: base64\n"
		"\n"
		"Q2Fm6SBmaXguDQo=\n"
		"--b\n"
		"Content-Type: text/x-patch; name=\"fix.patch\"\n"
		"Content-Disposition: attachment; filename=\"fix.patch\"\n"
		"\n"
		"diff --git a/x b/x\n"
		"--b\n"
		"Content-Type: application/pgp-signature\n"
		"\n"
		"PGP\n"
		"--b--\n";
	struct strbuf out = STRBUF_INIT;
	size_t attached_at;
	unsigned flags = decode(&out, &attached_at, raw);

	assert_int_equal(flags, 0);
	assert_string_equal(out.buf, "Caf\xc3\xa9 fix.\ndiff --git a/x b/x");
	assert_int_equal(attached_at, strlen("Caf\xc3\xa9 fix.\n"));
	strbuf_release(&out);
}

/* A charset iconv does not know is read as Windows-1252, and says so. */
static void test_unknown_charset(void **state)
{
	static const char raw[] = "Content-Type: text/plain; charset=x-unheard-of\n"
				  "Content-Transfer-Encoding: 8bit\n\nna\xefve\n";
	struct strbuf out = STRBUF_INIT;
	size_t attached_at;
	unsigned flags = decode(&out, &attached_at, raw);

	assert_true(flags & MAIL_UNKNOWN_CHARSET);
	assert_string_equal(out.buf, "na\xc3\xafve\n");
	assert_int_equal(attached_at, out.len);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_plain),
		cmocka_unit_test(test_decode_multipart),
		cmocka_unit_test(test_unknown_charset),
	};
	return unit_run("mail-mime", tests, ARRAY_SIZE(tests));
}
