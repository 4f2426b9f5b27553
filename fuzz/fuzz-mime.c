/*
 * fuzz-mime - MIME decoding on its own: transfer encodings, charsets,
 * encoded words, header parameters, format=flowed and HTML.
 *
 * The first byte picks a charset (one of the list, or the input's first
 * line), the rest is decoded every way.  Properties: whatever the bytes
 * and the label, charset conversion and header decoding give valid
 * UTF-8; base64 and quoted-printable never grow the input; undoing
 * format=flowed and HTML keep valid UTF-8 valid.
 */
#include "fuzz.h"

#include "mime.h"
#include "strbuf.h"

static const char *const charsets[] = {
	NULL, "", "utf-8", "us-ascii", "iso-8859-1", "windows-1252", "iso-2022-jp",
	"utf-16", "utf-16le", "utf-7", "gb2312", "big5", "koi8-r", "shift_jis",
	"euc-kr", "x-unknown-charset", "iso-2022-kr", "ks_c_5601-1987", "x-mac-roman",
	"windows-874", "x-sjis",
};
static const char *const params[] = { "charset", "boundary", "filename", "name", "format" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT, cs = STRBUF_INIT, val = STRBUF_INIT;
	const char *in, *charset;
	unsigned pick;
	size_t i;
	int valid;

	fuzz_quiet();
	if (!size)
		return 0;
	pick = data[0];
	in = (const char *)data + 1;
	size--;
	if (pick % (ARRAY_SIZE(charsets) + 1) < ARRAY_SIZE(charsets)) {
		charset = charsets[pick % (ARRAY_SIZE(charsets) + 1)];
	} else {
		const char *nl = memchr(in, '\n', size < 40 ? size : 40);

		strbuf_add(&cs, in, nl ? (size_t)(nl - in) : 0);
		charset = cs.buf;
	}

	mime_to_utf8(&out, in, size, charset);
	FUZZ_CHECK(mime_is_utf8(out.buf, out.len), "charset conversion");
	strbuf_reset(&out);
	mime_decode_header(&out, in, size);
	FUZZ_CHECK(mime_is_utf8(out.buf, out.len), "encoded words");
	strbuf_reset(&out);
	mime_decode_base64(&out, in, size);
	FUZZ_CHECK(out.len <= size, "base64 shrinks");
	strbuf_reset(&out);
	mime_decode_qp(&out, in, size);
	FUZZ_CHECK(out.len <= size, "quoted-printable shrinks");

	valid = mime_is_utf8(in, size);
	strbuf_reset(&out);
	mime_unflow(&out, in, size, pick & 1);
	FUZZ_CHECK(!valid || mime_is_utf8(out.buf, out.len), "format=flowed");
	strbuf_reset(&out);
	mime_html_to_text(&out, in, size);
	FUZZ_CHECK(!valid || mime_is_utf8(out.buf, out.len), "HTML");

	/* Header parameters take a C string. */
	strbuf_add(&val, in, size);
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		char *v = mime_header_param(val.buf, params[i]);

		free(v);
	}
	strbuf_release(&out);
	strbuf_release(&cs);
	strbuf_release(&val);
	return 0;
}
