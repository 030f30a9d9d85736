/* fold.c: folds text for matching (NFKC, case, marks, punctuation, space) and keeps an offset map. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "fold.h"

/*
 * Most news text is ASCII, and utf8proc costs a table walk and a function call per code point, so
 * ASCII bytes take a fast path and only the rest goes through utf8proc, one "segment" at a time: a
 * code point plus the combining marks that follow it. Composition (e + U+0301 = é) only happens
 * inside such a segment, which is what NFKC needs in practice (Hangul jamo written out letter by
 * letter is the known exception: it stays decomposed). Folding piece by piece keeps the offset map
 * exact and the cost linear.
 */

#define DROP		(-1)	/* map_cp: the code point disappears */
#define SEG_MAX		64	/* code points a segment may decompose to without a heap buffer */
#define SEG_INPUT_MAX	32	/* combining marks gathered into one segment at most */

struct out {
	char	*s;
	size_t	*map;
	size_t	 len;
	size_t	 cap;	/* bytes allocated for s (map has as many entries) */
};

static int
reserve(struct out *o, size_t extra)
{
	size_t	 need, ncap;
	char	*s;
	size_t	*map;

	if (extra > SIZE_MAX / sizeof(size_t) - o->len)
		return -1;
	need = o->len + extra;
	if (need <= o->cap)
		return 0;
	ncap = o->cap * 2 > need ? o->cap * 2 : need;
	if (ncap > SIZE_MAX / sizeof(size_t))
		return -1;
	if ((s = realloc(o->s, ncap)) == NULL)
		return -1;
	o->s = s;
	if ((map = realloc(o->map, ncap * sizeof(size_t))) == NULL)
		return -1;
	o->map = map;
	o->cap = ncap;
	return 0;
}

/* Callers reserve first: these never grow the buffer. */
static void
put_byte(struct out *o, char c, size_t at)
{
	o->map[o->len] = at;
	o->s[o->len++] = c;
}

static void
put_space(struct out *o, size_t at)
{
	if (o->len > 0 && o->s[o->len - 1] == ' ')
		return;
	put_byte(o, ' ', at);
}

static void
put_cp(struct out *o, int32_t cp, size_t at)
{
	utf8proc_uint8_t	 b[4];
	utf8proc_ssize_t	 n, k;

	if (cp == ' ') {
		put_space(o, at);
		return;
	}
	n = utf8proc_encode_char(cp, b);
	for (k = 0; k < n; k++)
		put_byte(o, (char)b[k], at);
}

/* Format characters that are invisible in print and only split words in a search: removed. */
static int
is_invisible(int32_t cp)
{
	return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x061C || cp == 0x180E;
}

/*
 * Our own mappings on top of utf8proc's, applied to each input code point and again to each code
 * point utf8proc produces (they are idempotent). Returns the new code point, ' ' for a separator,
 * or DROP.
 */
static int32_t
map_cp(int32_t cp, int flags)
{
	utf8proc_category_t	 cat;

	if (cp < 0x80) {
		if (cp <= ' ' || cp == 0x7f || cp == '-')
			return ' ';
		if (cp == '`')
			return '\'';
		return cp;
	}
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC: case 0x2032:
	case 0x00B4: case 0x2039: case 0x203A: case 0xFF07:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
	case 0x2033: case 0xFF02:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFE63: case 0xFF0D: case 0xFE58:
		return ' ';
	case 0x0130: case 0x0131:	/* Turkish İ and ı: utf8proc's case folding leaves ı alone */
		return (flags & FOLD_CASE) ? 'i' : cp;
	}
	if (flags & FOLD_MARKS) {
		if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670)
			return DROP;	/* tatweel, harakat, superscript alef */
		switch (cp) {
		case 0x0622: case 0x0623: case 0x0625: case 0x0671:
			return 0x0627;	/* alef variants */
		case 0x0649: case 0x0626:
			return 0x064A;	/* alef maqsura, yeh with hamza: yeh */
		case 0x0629:
			return 0x0647;	/* teh marbuta: heh */
		case 0x0624:
			return 0x0648;	/* waw with hamza: waw */
		}
	}
	if (is_invisible(cp))
		return DROP;
	cat = utf8proc_category(cp);
	if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	    cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC)
		return ' ';
	return cp;
}

/*
 * Runs one segment (a code point and its combining marks, seglen bytes at seg) through utf8proc
 * and our mappings, every output byte mapped to input offset at. 0 or -1.
 */
static int
fold_segment(struct out *o, const char *seg, size_t seglen, size_t at, size_t rest, int flags)
{
	utf8proc_int32_t	 stackbuf[SEG_MAX], *buf = stackbuf;
	utf8proc_option_t	 opts;
	utf8proc_ssize_t	 n, k;
	int32_t			 cp;
	int			 rc = 0;

	opts = UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
	if (flags & FOLD_CASE)
		opts |= UTF8PROC_CASEFOLD;
	if (flags & FOLD_MARKS)
		opts |= UTF8PROC_STRIPMARK;
	n = utf8proc_decompose((const utf8proc_uint8_t *)seg, (utf8proc_ssize_t)seglen,
	    buf, SEG_MAX, opts);
	if (n > SEG_MAX) {
		if ((buf = malloc((size_t)n * sizeof(*buf))) == NULL)
			return -1;
		n = utf8proc_decompose((const utf8proc_uint8_t *)seg,
		    (utf8proc_ssize_t)seglen, buf, n, opts);
	}
	if (n < 0)	/* cannot happen on valid input; treat like invalid bytes */
		goto space;
	n = utf8proc_normalize_utf32(buf, n, opts);
	if (n < 0)
		goto space;
	if (reserve(o, (size_t)n * 4 + rest + 1) == -1) {
		rc = -1;
		goto done;
	}
	for (k = 0; k < n; k++) {
		cp = map_cp(buf[k], flags);
		if (cp != DROP)
			put_cp(o, cp, at);
	}
	goto done;
space:
	put_space(o, at);
done:
	if (buf != stackbuf)
		free(buf);
	return rc;
}

int
fold_text(const char *in, size_t len, int flags, struct folded *out)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)in;
	struct out		 o = { NULL, NULL, 0, 0 };
	size_t			 i = 0, j, nmarks;
	utf8proc_ssize_t	 n, m;
	int32_t			 cp, next, mapped;
	unsigned char		 c, fold_case = (flags & FOLD_CASE) ? 0x20 : 0;

	memset(out, 0, sizeof(*out));
	/* Invariant at the top of the loop: room for (len - i) more bytes and the NUL. */
	if (reserve(&o, len + 16) == -1)
		goto fail;
	while (i < len) {
		c = u[i];
		if (c < 0x80 && (i + 1 == len || u[i + 1] < 0x80)) {
			/*
			 * ASCII fast path, a whole run at once with the buffer in locals: one
			 * byte in, at most one byte out, so the reserved room suffices. A byte
			 * followed by a non-ASCII one goes the slow way (it may take a mark).
			 */
			char	*os = o.s;
			size_t	*om = o.map, ol = o.len;

			do {
				if (c >= 'A' && c <= 'Z')
					c |= fold_case;
				else if (c <= ' ' || c == '-' || c == 0x7f) {
					if (ol > 0 && os[ol - 1] == ' ')
						continue;
					c = ' ';
				} else if (c == '`')
					c = '\'';
				om[ol] = i;
				os[ol++] = (char)c;
			} while (++i < len && (c = u[i]) < 0x80 && (i + 1 == len || u[i + 1] < 0x80));
			o.len = ol;
			continue;
		}
		n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			put_space(&o, i);	/* invalid UTF-8: one byte becomes a space */
			i++;
			continue;
		}
		mapped = map_cp(cp, flags);
		if (mapped != cp) {
			/* Ours to map (space, dash, apostrophe, Arabic letter...): no utf8proc. */
			if (mapped != DROP && reserve(&o, 4 + len - i) == -1)
				goto fail;
			if (mapped != DROP)
				put_cp(&o, mapped, i);
			i += (size_t)n;
			continue;
		}
		/* Gather the combining marks that follow, so that they compose with their base. */
		j = i + (size_t)n;
		for (nmarks = 0; j < len && u[j] >= 0x80 && nmarks < SEG_INPUT_MAX; nmarks++) {
			m = utf8proc_iterate(u + j, (utf8proc_ssize_t)(len - j), &next);
			if (m < 0 || utf8proc_get_property(next)->combining_class == 0)
				break;
			j += (size_t)m;
		}
		if (fold_segment(&o, in + i, j - i, i, len - j, flags) == -1)
			goto fail;
		i = j;
	}
	o.s[o.len] = '\0';
	o.map[o.len] = len;
	out->s = o.s;
	out->len = o.len;
	out->map = o.map;
	return 0;
fail:
	free(o.s);
	free(o.map);
	return -1;
}

void
folded_free(struct folded *f)
{
	if (f == NULL)
		return;
	free(f->s);
	free(f->map);
	memset(f, 0, sizeof(*f));
}

int
fold_is_wordchar(int32_t cp)
{
	utf8proc_category_t	 cat;

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	cat = utf8proc_category(cp);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
}

int
fold_wordchar_before(const char *s, size_t pos)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	size_t			 start;
	int32_t			 cp;

	if (pos == 0)
		return 0;
	if (u[pos - 1] < 0x80)
		return fold_is_wordchar(u[pos - 1]);
	/* Step back over at most three continuation bytes to the lead byte. */
	start = pos - 1;
	while (start > 0 && pos - start < 4 && (u[start] & 0xC0) == 0x80)
		start--;
	if (utf8proc_iterate(u + start, (utf8proc_ssize_t)(pos - start), &cp) < 0)
		return 0;
	return fold_is_wordchar(cp);
}

int
fold_wordchar_at(const char *s, size_t len, size_t pos)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	int32_t			 cp;

	if (pos >= len)
		return 0;
	if (u[pos] < 0x80)
		return fold_is_wordchar(u[pos]);
	if (utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &cp) < 0)
		return 0;
	return fold_is_wordchar(cp);
}
