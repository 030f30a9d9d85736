/* fuzz_input.c: libFuzzer target for the input stage: chunking changes nothing, UTF-8 out is valid. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "input.h"
#include "util.h"

/*
 * Input layout: byte 0 picks the HTTP charset (bits 0-1) and how charset names are classified
 * (bits 2-3 salt a hash, so every name meets every answer); bytes 1-2 (big endian) pick where
 * the document is cut in two (modulo its length), and the second part is fed in pieces of
 * 1 + byte0/16 bytes. The rest is the document. The document goes through the stage twice,
 * whole and cut, and the property is checked: the same bytes out, the same encoding and
 * repair counts; when the bytes out are UTF-8 they are valid UTF-8; and a document already
 * valid UTF-8 is repaired nowhere.
 */
struct run {
	unsigned	 salt;
	struct buf	 out;
	enum input_enc	 enc;
	int		 nstart, nfinal, early;
	size_t		 nbad, namp;
};

static enum input_charset
charset_cb(void *arg, const char *name)
{
	const struct run	*r = arg;
	unsigned		 h = r->salt;

	for (; *name != '\0'; name++)
		h = h * 31 + (unsigned char)*name;
	return (enum input_charset)(h % 4);
}

static int
start_cb(void *arg, enum input_enc enc)
{
	struct run	*r = arg;

	r->enc = enc;
	r->nstart++;
	return 0;
}

static int
out_cb(void *arg, const char *buf, size_t len, int final)
{
	struct run	*r = arg;

	if (r->nstart != 1 || r->nfinal != 0)
		r->early = 1;	/* bytes before the encoding was told, or after the end */
	r->nfinal += final != 0;
	if (buf_append(&r->out, buf, len) == -1)
		abort();
	return 0;
}

/* Feeds doc[0 .. split) at once, then the rest in pieces of step bytes. */
static void
run(struct run *r, unsigned salt, const char *charset, const char *doc, size_t len,
    size_t split, size_t step)
{
	static const struct input_cb cb = { charset_cb, start_cb, out_cb };
	struct input	*in;
	size_t		 off, n;

	memset(r, 0, sizeof(*r));
	r->salt = salt;
	buf_init(&r->out, 0);
	in = input_new(&cb, r, charset);
	if (input_feed(in, doc, split) == -1)
		abort();
	for (off = split; off < len; off += n) {
		n = len - off < step ? len - off : step;
		if (input_feed(in, doc + off, n) == -1)
			abort();
	}
	if (input_finish(in) == -1)
		abort();
	input_repairs(in, &r->nbad, &r->namp);
	input_free(in);
	if (r->nstart != 1 || r->nfinal != 1 || r->early)
		abort();
}

/* Whether s[0 .. len) is UTF-8 as RFC 3629 says: no overlong forms, surrogates, or above U+10FFFF. */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, n, k;
	unsigned	cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 2, cp = s[i] & 0x1f, min = 0x80;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			n = 3, cp = s[i] & 0x0f, min = 0x800;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 4, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "utf-8", "iso-8859-1", "utf-16" };
	const unsigned char *u;
	struct run	 whole, cut;
	const char	*doc, *charset;
	size_t		 len, split, step;
	unsigned	 salt;
	int		 utf8_out, wide_shaped;

	if (size < 3)
		return 0;
	charset = charsets[data[0] & 3];
	salt = (data[0] >> 2) & 3;
	step = 1 + (data[0] >> 4);
	doc = (const char *)data + 3;
	u = data + 3;
	len = size - 3;
	split = len ? (((size_t)data[1] << 8) | data[2]) % (len + 1) : 0;

	run(&whole, salt, charset, doc, len, len, 1);
	run(&cut, salt, charset, doc, len, split, step);
	if (whole.out.len != cut.out.len ||
	    (whole.out.len > 0 && memcmp(whole.out.data, cut.out.data, whole.out.len) != 0) ||
	    whole.enc != cut.enc || whole.nbad != cut.nbad || whole.namp != cut.namp)
		abort();	/* the chunking showed through */

	utf8_out = whole.enc == INPUT_UTF8 || (whole.enc == INPUT_CHARSET && charset != NULL &&
	    charset_cb(&whole, charset) == INPUT_CS_UTF8);
	if (utf8_out && !valid_utf8((const unsigned char *)whole.out.data, whole.out.len))
		abort();

	/*
	 * Bytes that cannot be sniffed as UTF-16/32 (no NUL in the first four, no UTF-16 BOM) and
	 * go out as UTF-8 were repaired: nothing if, and only if, they were valid UTF-8; and then,
	 * with no '&' escaped either, they pass unchanged.
	 */
	wide_shaped = memchr(doc, 0, len < 4 ? len : 4) != NULL ||
	    (len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe)));
	if (utf8_out && !wide_shaped) {
		if ((whole.nbad == 0) != valid_utf8(u, len))
			abort();
		if (whole.nbad == 0 && whole.namp == 0 && (whole.out.len != len ||
		    (len > 0 && memcmp(whole.out.data, doc, len) != 0)))
			abort();
	}
	buf_free(&whole.out);
	buf_free(&cut.out);
	return 0;
}
