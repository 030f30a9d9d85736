/* input.c: the feed parser's input stage: UTF-16/32 decoding, the UTF-8 repair, stray '&'. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "util.h"

/* UTF-16/32 are decoded here (libxml2 2.9.14 cannot read UTF-32; see PITFALLS). */
enum wide { W_NONE, W_U16LE, W_U16BE, W_U32LE, W_U32BE };

/* Whether the UTF-8 repair applies: only when the document's effective encoding is UTF-8. */
enum u8mode {
	U8_UNDECIDED,	/* waiting for the XML declaration; bytes are held in prolog */
	U8_ON,
	U8_OFF		/* UTF-16/32, or a declared or HTTP charset that libxml2 converts */
};

/* Bytes held while the XML declaration is read: it is short, so this is plenty. */
#define MAX_PROLOG	1024

/*
 * The input stage: optional UTF-16/32 decoding; then, when the document is UTF-8, the UTF-8
 * repair, which reads each byte that is not valid UTF-8 as windows-1252 (what such bytes
 * nearly always are); then the ampersand filter, which turns what cannot be a reference
 * ("AT&T", "?a=1&b=2") into "&amp;" and "&#X41;" into "&#x41;", outside CDATA sections and
 * comments. Undecided tails are carried to the next chunk, so the output does not depend on
 * how the input was cut.
 */
struct input {
	struct input_cb	 cb;
	void		*arg;
	char		*charset;	/* the HTTP charset, or NULL */
	unsigned char	 head[4];	/* first bytes, held until the encoding can be sniffed */
	size_t		 nhead;
	int		 started;	/* head sniffed and sent on */
	int		 stopped;	/* a callback returned -1 */
	enum wide	 wide;
	unsigned char	 wcarry[4];
	size_t		 nwcarry;
	unsigned	 high;		/* pending UTF-16 high surrogate, or 0 */
	enum u8mode	 u8;
	struct buf	 prolog;	/* bytes held while u8 is undecided */
	unsigned char	 u8carry[4];	/* an incomplete UTF-8 sequence at the end of a chunk */
	size_t		 nu8carry;
	struct buf	 fix;		/* scratch: the repaired chunk, once it differs */
	size_t		 nbad;		/* bytes read as windows-1252 */
	int		 filter;	/* the ampersand filter applies (ASCII-compatible input) */
	enum { IN_TEXT, IN_CDATA, IN_COMMENT } state;
	struct buf	 dec;		/* scratch: decoded UTF-16/32 */
	struct buf	 carry;		/* undecided bytes */
	struct buf	 out;		/* scratch: the filtered chunk, once it differs */
	size_t		 copied;	/* bytes of the chunk already copied to out */
	size_t		 nfixed;	/* '&' escaped and references respelled */
};

/* What windows-1252 means by bytes 0x80-0x9F; 0 for the five it leaves undefined. */
static const unsigned short cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/* ---- input stage: wide encodings and stray ampersands ---- */

/* One UTF-16/32 code unit, as its byte order says. */
static unsigned
wide_unit(enum wide w, const unsigned char *u)
{
	switch (w) {
	case W_U16LE:
		return u[0] | (unsigned)u[1] << 8;
	case W_U16BE:
		return (unsigned)u[0] << 8 | u[1];
	case W_U32LE:
		return u[0] | (unsigned)u[1] << 8 | (unsigned)u[2] << 16 | (unsigned)u[3] << 24;
	default:
		return (unsigned)u[0] << 24 | (unsigned)u[1] << 16 | (unsigned)u[2] << 8 | u[3];
	}
}

static void
wide_code_unit(struct input *in, struct buf *b, unsigned cu)
{
	if (in->wide == W_U32LE || in->wide == W_U32BE) {
		buf_put_utf8(b, cu);
		return;
	}
	if (cu >= 0xd800 && cu <= 0xdbff) {
		if (in->high)
			buf_put_utf8(b, 0xfffd);
		in->high = cu;
		return;
	}
	if (cu >= 0xdc00 && cu <= 0xdfff && in->high) {
		buf_put_utf8(b, 0x10000 + ((in->high - 0xd800) << 10) + (cu - 0xdc00));
		in->high = 0;
		return;
	}
	if (in->high)
		buf_put_utf8(b, 0xfffd);
	in->high = 0;
	buf_put_utf8(b, cu);
}

/* Decodes UTF-16/32 bytes into UTF-8, keeping a partial code unit for the next call. */
static void
wide_decode(struct input *in, struct buf *b, const unsigned char *s, size_t len)
{
	size_t	unit = (in->wide == W_U16LE || in->wide == W_U16BE) ? 2 : 4;

	while (len > 0) {
		in->wcarry[in->nwcarry++] = *s++;
		len--;
		if (in->nwcarry == unit) {
			wide_code_unit(in, b, wide_unit(in->wide, in->wcarry));
			in->nwcarry = 0;
		}
	}
}

/* UTF-16/32 from a byte order mark or the shape of "<?" ; bom gets the BOM length. */
static enum wide
sniff_wide(const unsigned char *h, size_t n, size_t *bom)
{
	*bom = 0;
	if (n < 4)
		return W_NONE;
	if (h[0] == 0 && h[1] == 0 && h[2] == 0xfe && h[3] == 0xff)
		return *bom = 4, W_U32BE;
	if (h[0] == 0xff && h[1] == 0xfe && h[2] == 0 && h[3] == 0)
		return *bom = 4, W_U32LE;
	if (h[0] == 0xfe && h[1] == 0xff)
		return *bom = 2, W_U16BE;
	if (h[0] == 0xff && h[1] == 0xfe)
		return *bom = 2, W_U16LE;
	if (h[0] == 0 && h[1] == 0 && h[2] == 0 && h[3] != 0)
		return W_U32BE;
	if (h[0] != 0 && h[1] == 0 && h[2] == 0 && h[3] == 0)
		return W_U32LE;
	if (h[0] == 0 && h[1] != 0 && h[2] == 0 && h[3] != 0)
		return W_U16BE;
	if (h[0] != 0 && h[1] == 0 && h[2] != 0 && h[3] == 0)
		return W_U16LE;
	return W_NONE;
}

static int
is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

/*
 * Copies the input into in->out up to s[upto] (not yet copied bytes only). The filter rarely
 * changes anything, so the input is copied only once a change is needed: until then in->out
 * stays empty and the caller hands libxml2 the input itself.
 */
static void
copy_upto(struct input *in, const char *s, size_t upto)
{
	if (upto > in->copied) {
		buf_append(&in->out, s + in->copied, upto - in->copied);
		in->copied = upto;
	}
}

/* Replaces s[at .. at+n) by rep in the output. */
static void
replace(struct input *in, const char *s, size_t at, size_t n, const char *rep)
{
	copy_upto(in, s, at);
	buf_puts(&in->out, rep);
	in->copied = at + n;
	in->nfixed++;
}

/*
 * Decides on the '&' at s[i]: returns the bytes consumed (a reference is kept whole, a bare
 * '&' becomes "&amp;"), or 0 when the data ends before it can tell (only when more may come).
 * The byte after the longest name or number allowed decides too (is it ';'?), so the data
 * must reach it: the undecided tail is at most 40 bytes.
 */
static size_t
amp_decide(struct input *in, const char *s, size_t i, size_t len, int final)
{
	const char	*r = s + i;
	size_t		 n = 1, rlen = len - i, start;
	int		 hex = 0;

	if (n < rlen && r[n] == '#') {
		n++;
		if (n < rlen && (r[n] == 'x' || r[n] == 'X'))
			hex = 1, n++;
		start = n;
		while (n < rlen && n < 16 && (hex ? isxdigit((unsigned char)r[n]) :
		    isdigit((unsigned char)r[n])))
			n++;
		if (n == rlen && !final)
			return 0;
		if (n > start && n < rlen && r[n] == ';') {
			if (hex && r[2] == 'X')
				replace(in, s, i + 2, 1, "x");
			return n + 1;
		}
	} else {
		while (n < rlen && n < 40 && is_name_char((unsigned char)r[n]))
			n++;
		if (n == rlen && !final)
			return 0;
		if (n > 1 && n < rlen && r[n] == ';')
			return n + 1;
	}
	replace(in, s, i, 1, "&amp;");
	return 1;
}

/* Length of the longest prefix of s that is a proper prefix of word (a possible split). */
static int
starts_partial(const char *s, size_t len, const char *word)
{
	size_t	n = strlen(word);

	return len < n && memcmp(s, word, len) == 0;
}

/* Offset of the first c in s[from .. len), or len. */
static size_t
find_byte(const char *s, size_t from, size_t len, char c)
{
	const char	*q = from < len ? memchr(s + from, c, len - from) : NULL;

	return q != NULL ? (size_t)(q - s) : len;
}

/* Offset of the first "<!" (CDATA section, comment, DOCTYPE) in s[from .. len), or len. */
static size_t
find_decl(const char *s, size_t from, size_t len)
{
	size_t	b;

	/* '!' is rarer than '<' in feeds, so look for it and check the byte before. */
	for (b = find_byte(s, from + 1, len, '!'); b < len; b = find_byte(s, b + 1, len, '!'))
		if (s[b - 1] == '<')
			return b - 1;
	return len;
}

/*
 * Runs the ampersand filter over s; changes go to in->out (see copy_upto). Returns the bytes
 * consumed: the rest is undecided and must come again with the next chunk.
 */
static size_t
amp_filter(struct input *in, const char *s, size_t len, int final)
{
	size_t	i = 0, j, amp = 0, decl = 0, n;
	int	known = 0;

	in->copied = 0;
	while (i < len) {
		if (in->state != IN_TEXT) {
			const char *end = in->state == IN_CDATA ? "]]>" : "-->";

			for (j = find_byte(s, i, len, end[0]); j < len; j = find_byte(s, j + 1, len,
			    end[0]))
				if (len - j >= 3 && memcmp(s + j, end, 3) == 0)
					break;
			/* The last two bytes may start the end marker: they wait for more. */
			if (j == len)
				return final ? len : (len - i >= 2 ? len - 2 : i);
			i = j + 3;
			in->state = IN_TEXT;
			continue;
		}
		/* In text only '&' and "<!" need a look; a found position is good until passed. */
		if (!known || amp < i)
			amp = find_byte(s, i, len, '&');
		if (!known || decl < i)
			decl = find_decl(s, i, len);
		known = 1;
		if (amp < decl) {
			if ((n = amp_decide(in, s, amp, len, final)) == 0)
				return amp;
			i = amp + n;
			continue;
		}
		if (decl == len) {
			/* A '<' at the very end may start "<!": it waits for the next chunk. */
			if (!final && s[len - 1] == '<')
				return len - 1;
			return len;
		}
		i = decl;
		if (!final && (starts_partial(s + i, len - i, "<![CDATA[") ||
		    starts_partial(s + i, len - i, "<!--")))
			return i;
		if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			in->state = IN_CDATA;
			i += 9;
		} else if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			in->state = IN_COMMENT;
			i += 4;
		} else
			i += 2;		/* "<!DOCTYPE" and the like */
	}
	return i;
}

/* ---- input stage: UTF-8 that is not ---- */

#define U8_SHORT	(-1)	/* utf8_len: the data ends inside a sequence valid so far */

/*
 * Length (2 to 4) of the valid UTF-8 sequence at s, which holds n > 0 bytes and s[0] >= 0x80;
 * 0 when s[0] does not start one (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF); U8_SHORT when the n bytes are a valid beginning of one.
 */
static int
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	int		len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((size_t)i == n)
			return U8_SHORT;
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80, hi = 0xbf;
	}
	return len;
}

/* Appends what windows-1252 means by byte c (>= 0x80): U+FFFD for its five undefined bytes. */
static void
bad_byte(struct input *in, unsigned char c)
{
	unsigned	cp = input_cp1252(c);

	buf_put_utf8(&in->fix, cp != 0 ? cp : 0xfffd);
	in->nbad++;
}

/* Offset of the first byte >= 0x80 in s[from .. len), or len: eight bytes at a time. */
static size_t
find_high(const unsigned char *s, size_t from, size_t len)
{
	uint64_t	w;

	while (len - from >= 8) {
		memcpy(&w, s + from, 8);
		if (w & 0x8080808080808080ull)
			break;
		from += 8;
	}
	while (from < len && s[from] < 0x80)
		from++;
	return from;
}

/*
 * The UTF-8 repair. A document that calls itself UTF-8 (or says nothing) but holds bytes that
 * are not is nearly always windows-1252 or ISO-8859-1 text pasted into it ("Erdo\xF0an",
 * smart quotes 0x93/0x94), so each invalid byte is read as windows-1252 (Latin-1 above 0x9F),
 * as browsers do for such pages; valid sequences pass untouched. libxml2 alone would turn them
 * into U+FFFD or switch the rest of the document to Latin-1. A sequence cut by the end of the
 * chunk waits in u8carry for the next (at the end of the document it is invalid). Sets *outlen
 * and returns the bytes to go on with: s itself when nothing changed (the usual case), else
 * in->fix.
 */
static const char *
utf8_fix(struct input *in, const char *s, size_t len, int final, size_t *outlen)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		 t[4];
	size_t			 i = 0, copied = 0, end = len, k, m;
	int			 changed = 0, n;

	buf_reset(&in->fix);
	if (in->nu8carry > 0) {
		/* Complete the carried sequence with the first bytes of this chunk. */
		k = in->nu8carry;
		memcpy(t, in->u8carry, k);
		for (m = 0; k + m < sizeof(t) && m < len; m++)
			t[k + m] = u[m];
		n = utf8_len(t, k + m);
		if (n == U8_SHORT && !final) {
			memcpy(in->u8carry + k, u, m);	/* m == len: still cut */
			in->nu8carry = k + m;
			*outlen = 0;
			return s;
		}
		in->nu8carry = 0;
		changed = 1;
		if (n > 0) {
			buf_append(&in->fix, t, (size_t)n);
			i = copied = (size_t)n - k;
		} else {
			/* A lead byte and continuation bytes, each invalid on its own. */
			for (m = 0; m < k; m++)
				bad_byte(in, t[m]);
		}
	}
	while (i < len) {
		if (u[i] < 0x80) {
			i = find_high(u, i + 1, len);
			continue;
		}
		/* Most text is in scripts of two- or three-byte sequences: check those inline. */
		if (len - i >= 3 && (u[i + 1] & 0xc0) == 0x80) {
			if (u[i] >= 0xc2 && u[i] <= 0xdf) {
				i += 2;
				continue;
			}
			if (u[i] >= 0xe1 && u[i] <= 0xef && u[i] != 0xed && (u[i + 2] & 0xc0) == 0x80) {
				i += 3;
				continue;
			}
		}
		n = utf8_len(u + i, len - i);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		if (n == U8_SHORT && !final) {
			memcpy(in->u8carry, u + i, len - i);
			in->nu8carry = len - i;
			end = i;
			break;
		}
		buf_append(&in->fix, s + copied, i - copied);
		bad_byte(in, u[i]);
		changed = 1;
		copied = ++i;
	}
	if (!changed) {
		*outlen = end;
		return s;
	}
	buf_append(&in->fix, s + copied, end - copied);
	*outlen = in->fix.len;
	return in->fix.data;
}

static int
is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_wide_charset(const char *cs)
{
	return cs != NULL && (strncasecmp(cs, "utf-16", 6) == 0 || strncasecmp(cs, "utf16", 5) == 0 ||
	    strncasecmp(cs, "utf-32", 6) == 0 || strncasecmp(cs, "ucs", 3) == 0);
}

/*
 * Whether a document without BOM or HTTP charset is UTF-8, from its first bytes s[0 .. len):
 * it is unless the XML declaration names an encoding libxml2 converts (charset_cb asks it
 * which). A declared UTF-16/32
 * (here the bytes are 8-bit) and a name libxml2 does not know count as UTF-8, because libxml2
 * reads on in UTF-8 then; so does US-ASCII, which cannot hold the bytes the repair is for.
 * U8_UNDECIDED while the declaration may still be incomplete. Only the first MAX_PROLOG bytes
 * count, however many have come, so that the answer does not depend on the chunking.
 */
static enum u8mode
prolog_mode(struct input *in, const char *s, size_t len, int final)
{
	const char		*end, *e, *q;
	char			 name[64];
	enum input_charset	 cs;

	if (len < 6)
		return !final && (len == 0 || memcmp(s, "<?xml", len < 5 ? len : 5) == 0) ?
		    U8_UNDECIDED : U8_ON;
	if (memcmp(s, "<?xml", 5) != 0 || !is_xml_space(s[5]))
		return U8_ON;
	if (len > MAX_PROLOG)
		len = MAX_PROLOG;
	if ((end = memmem(s, len, "?>", 2)) == NULL) {
		if (!final && len < MAX_PROLOG)
			return U8_UNDECIDED;
		end = s + len;
	}
	if ((e = memmem(s, (size_t)(end - s), "encoding", 8)) == NULL)
		return U8_ON;
	for (e += 8; e < end && is_xml_space(*e); e++)
		;
	if (e == end || *e++ != '=')
		return U8_ON;
	while (e < end && is_xml_space(*e))
		e++;
	if (e == end || (*e != '"' && *e != '\''))
		return U8_ON;
	if ((q = memchr(e + 1, *e, (size_t)(end - e - 1))) == NULL ||
	    (size_t)(q - e - 1) >= sizeof(name))
		return U8_ON;
	memcpy(name, e + 1, (size_t)(q - e - 1));
	name[q - e - 1] = '\0';
	cs = in->cb.charset_cb(in->arg, name);
	if (cs == INPUT_CS_UTF8 || cs == INPUT_CS_ASCII || strcasecmp(name, "us-ascii") == 0 ||
	    is_wide_charset(name) || cs == INPUT_CS_UNKNOWN)
		return U8_ON;
	return U8_OFF;
}

/* Hands bytes on; once a callback has said stop, nothing more goes out. */
static int
emit(struct input *in, const char *buf, size_t len, int final)
{
	if (in->stopped)
		return -1;
	if (in->cb.out_cb(in->arg, buf, len, final) == -1) {
		in->stopped = 1;
		return -1;
	}
	return 0;
}

/* Tells the caller the encoding of the bytes out, once, before the first of them. */
static int
decided(struct input *in, enum input_enc enc)
{
	if (in->cb.start_cb(in->arg, enc) == -1) {
		in->stopped = 1;
		return -1;
	}
	return 0;
}

/* The ampersand filter's part of input_push: carried tail first, then the chunk. */
static int
amp_push(struct input *in, const char *buf, size_t len, int final)
{
	size_t		 used;
	int		 carried = in->carry.len > 0, rc;

	/* Undecided bytes from the last chunk go first; without them the chunk is read in place. */
	if (carried) {
		if (buf_append(&in->carry, buf, len) == -1)
			return -1;
		buf = in->carry.data;
		len = in->carry.len;
	}
	buf_reset(&in->out);
	used = amp_filter(in, buf, len, final);
	if (in->out.len > 0) {
		copy_upto(in, buf, used);
		rc = emit(in, in->out.data, in->out.len, final);
	} else
		rc = emit(in, buf, used, final);
	if (carried) {
		memmove(in->carry.data, in->carry.data + used, in->carry.len - used);
		in->carry.len -= used;
		in->carry.data[in->carry.len] = '\0';
	} else if (used < len && buf_append(&in->carry, buf + used, len - used) == -1)
		return -1;
	return rc;
}

/* Bytes from the caller: decoded, repaired, filtered, then handed on. */
static int
input_push(struct input *in, const char *buf, size_t len, int final)
{
	int	rc;

	if (in->wide != W_NONE) {
		buf_reset(&in->dec);
		wide_decode(in, &in->dec, (const unsigned char *)buf, len);
		buf = in->dec.data ? in->dec.data : "";
		len = in->dec.len;
	}
	if (in->u8 == U8_UNDECIDED) {
		/* Nothing goes out before it is known whether the UTF-8 repair applies. */
		if (buf_append(&in->prolog, buf, len) == -1)
			return -1;
		in->u8 = prolog_mode(in, in->prolog.data, in->prolog.len, final);
		if (in->u8 == U8_UNDECIDED)
			return 0;
		/* A declared UTF-16, ASCII or unknown encoding: the parser gets UTF-8. */
		if (decided(in, in->u8 == U8_ON ? INPUT_UTF8 : INPUT_DECLARED) == -1)
			return -1;
		buf = in->prolog.data ? in->prolog.data : "";
		len = in->prolog.len;
	}
	if (in->u8 == U8_ON)
		buf = utf8_fix(in, buf, len, final, &len);
	if (!in->filter)
		rc = emit(in, buf, len, final);
	else
		rc = amp_push(in, buf, len, final);
	if (in->prolog.data != NULL)
		buf_free(&in->prolog);
	return rc;
}

static int
has_bom(const unsigned char *h, size_t n)
{
	return (n >= 3 && h[0] == 0xef && h[1] == 0xbb && h[2] == 0xbf) ||
	    (n >= 2 && ((h[0] == 0xfe && h[1] == 0xff) || (h[0] == 0xff && h[1] == 0xfe)));
}

/*
 * Decides what it can from the first bytes, then sends them on. Encoding precedence: a byte
 * order mark (or UTF-16/32 shape), then the HTTP charset, then the XML declaration, then
 * UTF-8. The HTTP charset beats the declaration as RFC 7303 section 3 says (and feedparser
 * does): a server that names a charset usually transcoded the body. The trade-off: a server
 * that labels every response ISO-8859-1 garbles the non-ASCII text of a UTF-8 feed. When the
 * encoding that wins is UTF-8, bytes that are not UTF-8 are read as windows-1252 (utf8_fix);
 * any other encoding is the XML parser's to convert, and nothing is repaired.
 */
static int
start(struct input *in)
{
	enum input_charset	cs;
	size_t			bom;

	in->started = 1;
	in->wide = sniff_wide(in->head, in->nhead, &bom);
	in->filter = 1;
	in->u8 = U8_UNDECIDED;	/* the XML declaration decides */
	if (in->wide != W_NONE) {
		/* Decoded here: the parser gets UTF-8. */
		in->u8 = U8_OFF;
		if (decided(in, INPUT_UTF8) == -1)
			return -1;
	} else if (has_bom(in->head, in->nhead)) {
		/*
		 * A UTF-8 BOM (libxml2 skips it; a UTF-16 one is sniffed as wide above). It beats
		 * the declaration: libxml2 would otherwise switch to a declared ISO-8859-1.
		 */
		in->u8 = U8_ON;
		if (decided(in, INPUT_UTF8) == -1)
			return -1;
	} else if (in->charset != NULL &&
	    (cs = in->cb.charset_cb(in->arg, in->charset)) != INPUT_CS_UNKNOWN) {
		in->filter = !is_wide_charset(in->charset);
		in->u8 = cs == INPUT_CS_UTF8 ? U8_ON : U8_OFF;
		if (decided(in, INPUT_CHARSET) == -1)
			return -1;
	}
	return input_push(in, (const char *)in->head + bom, in->nhead - bom, 0);
}

/* input_feed and input_finish: the first bytes wait in head until they are four, or the end. */
static int
feed(struct input *in, const char *buf, size_t len, int final)
{
	if (in->stopped)
		return -1;
	if (!in->started) {
		while (len > 0 && in->nhead < sizeof(in->head)) {
			in->head[in->nhead++] = (unsigned char)*buf++;
			len--;
		}
		if (in->nhead < sizeof(in->head) && !final)
			return 0;
		if (start(in) == -1) {
			in->stopped = 1;
			return -1;
		}
	}
	if (input_push(in, buf, len, final) == -1) {
		in->stopped = 1;
		return -1;
	}
	return 0;
}

/* ---- public interface ---- */

struct input *
input_new(const struct input_cb *cb, void *arg, const char *charset)
{
	struct input	*in;

	in = xcalloc(1, sizeof(*in));
	in->cb = *cb;
	in->arg = arg;
	in->charset = charset && *charset ? xstrdup(charset) : NULL;
	buf_init(&in->dec, SIZE_MAX / 4);
	buf_init(&in->carry, SIZE_MAX / 4);
	buf_init(&in->out, SIZE_MAX / 4);
	buf_init(&in->prolog, SIZE_MAX / 4);
	buf_init(&in->fix, SIZE_MAX / 4);
	return in;
}

int
input_feed(struct input *in, const char *buf, size_t len)
{
	return feed(in, buf, len, 0);
}

int
input_finish(struct input *in)
{
	return feed(in, "", 0, 1);
}

void
input_repairs(const struct input *in, size_t *nbad, size_t *namp)
{
	*nbad = in->nbad;
	*namp = in->nfixed;
}

size_t
input_buffered(const struct input *in)
{
	return (in->started ? 0 : in->nhead) + in->nwcarry + in->nu8carry + in->prolog.len +
	    in->carry.len;
}

unsigned
input_cp1252(unsigned char c)
{
	return c < 0x80 || c >= 0xa0 ? c : cp1252_c1[c - 0x80];
}

void
input_free(struct input *in)
{
	if (in == NULL)
		return;
	buf_free(&in->dec);
	buf_free(&in->carry);
	buf_free(&in->out);
	buf_free(&in->prolog);
	buf_free(&in->fix);
	free(in->charset);
	free(in);
}
