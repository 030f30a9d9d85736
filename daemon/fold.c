/* fold.c: folds text for matching (NFKC, case, marks, punctuation, space) and keeps an offset map. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "fold.h"
#include "log.h"
#include "util.h"

/*
 * Most news text is ASCII, and utf8proc costs a table walk and a function call per code point, so
 * the work is split three ways:
 * - runs of ASCII bytes go through a 128-byte table (case, separators) in a tight loop;
 * - a code point of two UTF-8 bytes (Latin with diacritics, Greek, Cyrillic, Arabic, Hebrew:
 *   most of the rest of news text) goes through a table of what it folds to on its own, computed
 *   once by the general path below, so both ways give the same result by construction;
 * - everything else, and any character followed by a combining mark, takes the general path:
 *   utf8proc, one "segment" at a time: a code point plus the combining marks that follow it.
 *   Composition (e + U+0301 = é) only happens inside such a segment, which is what NFKC needs in
 *   practice (Hangul jamo written out letter by letter is the known exception: it stays
 *   decomposed). Folding piece by piece keeps the offset map exact and the cost linear.
 * The map is kept sparse (struct fold_span, fold.h) while folding; fold_text expands it.
 */

#define DROP		(-1)	/* map_cp: the code point disappears */
#define SEG_MAX		64	/* code points a segment may decompose to without a heap buffer */
#define SEG_INPUT_MAX	32	/* combining marks gathered into one segment at most */
#define TWO_OUT_MAX	6	/* folded bytes a two-byte code point's table entry can hold */
#define NOT_TABLED	0xFF	/* struct two: folds to more than that, take the general path */
#define FLAG_SETS	4	/* tables for every combination of FOLD_CASE and FOLD_MARKS */

struct out {
	char			*s;
	size_t			 len;
	size_t			 cap;	/* bytes allocated for s */
	struct fold_span	*spans;
	size_t			 nspans;
	size_t			 capspans;
	size_t			 next;	/* input offset of folded byte len unless a span is added */
};

/* What a code point of two UTF-8 bytes (U+0080..U+07FF) folds to when no combining mark follows. */
struct two {
	unsigned char	 len;	/* folded bytes, or NOT_TABLED */
	unsigned char	 mark;	/* it is a combining mark: it joins the segment before it */
	char		 s[TWO_OUT_MAX];
};

/* Filled once (tables_init) and read-only afterwards, so any thread may fold. */
static unsigned char	 ascii_tab[FLAG_SETS][128];
static struct two	 two_tab[FLAG_SETS][0x800 - 0x80];
static pthread_once_t	 tables_once = PTHREAD_ONCE_INIT;

/* Out of memory is fatal here as everywhere (util.h); so is a text too long to address. */
static void
reserve(struct out *o, size_t extra)
{
	size_t	 need, ncap;

	if (extra > SIZE_MAX / 2 - o->len) {
		errno = ENOMEM;
		fatal("folding %zu more bytes", extra);
	}
	need = o->len + extra;
	if (need <= o->cap)
		return;
	ncap = o->cap * 2 > need ? o->cap * 2 : need;
	o->s = xreallocarray(o->s, ncap, 1);
	o->cap = ncap;
}

/* Records that folded bytes from fpos on come from input bytes ipos on. */
static void
add_span(struct out *o, size_t fpos, size_t ipos)
{
	if (o->nspans == o->capspans) {
		o->capspans = o->capspans ? o->capspans * 2 : 64;
		o->spans = xreallocarray(o->spans, o->capspans, sizeof(*o->spans));
	}
	o->spans[o->nspans++] = (struct fold_span){ fpos, ipos };
}

/*
 * Callers reserve first: these never grow the buffer. Every byte of a folded character maps to
 * the input offset of the character it came from, so the map only needs to be right at the first
 * byte of each character: continuation bytes just follow on, and a two-byte letter folded to a
 * two-byte letter (Arabic, Cyrillic...) then needs no span at all.
 */
static void
put_byte(struct out *o, char c, size_t at)
{
	if (((unsigned char)c & 0xC0) == 0x80) {
		o->next++;
	} else {
		if (at != o->next)
			add_span(o, o->len, at);
		o->next = at + 1;
	}
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
	case 0x05F3:	/* Hebrew geresh, which news types as ' (צ׳ילה, צ'ילה) */
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
	case 0x2033: case 0xFF02:
	case 0x05F4:	/* Hebrew gershayim, typed as " (צה״ל, צה"ל) */
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFE63: case 0xFF0D: case 0xFE58:
		return ' ';
	case 0x0130: case 0x0131:	/* Turkish İ and ı: utf8proc's case folding leaves ı alone */
		return (flags & FOLD_CASE) ? 'i' : cp;
	}
	/*
	 * Tatweel and tanwin go even as written: the one stretches a word, the other is a case
	 * ending that Arabic writes or not at will (وفداً قطرياً, وفدا قطريا) and that never tells
	 * one name from another. The other harakat can (عمّان, Amman; عمان, Oman) and stay.
	 */
	if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x064D))
		return DROP;
	if (flags & FOLD_MARKS) {
		if ((cp >= 0x064E && cp <= 0x065F) || cp == 0x0670)
			return DROP;	/* the other harakat, superscript alef */
		switch (cp) {
		case 0x0622: case 0x0623: case 0x0625: case 0x0671:
			return 0x0627;	/* alef variants */
		case 0x0649: case 0x0626: case 0x06CC:
			return 0x064A;	/* alef maqsura, yeh with hamza, Persian yeh: yeh */
		case 0x06A9:
			return 0x0643;	/* Persian keheh: kaf */
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
static void
fold_segment(struct out *o, const char *seg, size_t seglen, size_t at, size_t rest, int flags)
{
	utf8proc_int32_t	 stackbuf[SEG_MAX], *buf = stackbuf;
	utf8proc_option_t	 opts;
	utf8proc_ssize_t	 n, k;
	int32_t			 cp;

	opts = UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
	if (flags & FOLD_CASE)
		opts |= UTF8PROC_CASEFOLD;
	if (flags & FOLD_MARKS)
		opts |= UTF8PROC_STRIPMARK;
	n = utf8proc_decompose((const utf8proc_uint8_t *)seg, (utf8proc_ssize_t)seglen,
	    buf, SEG_MAX, opts);
	if (n > SEG_MAX) {
		buf = xreallocarray(NULL, (size_t)n, sizeof(*buf));
		n = utf8proc_decompose((const utf8proc_uint8_t *)seg,
		    (utf8proc_ssize_t)seglen, buf, n, opts);
	}
	if (n < 0)	/* cannot happen on valid input; treat like invalid bytes */
		goto space;
	n = utf8proc_normalize_utf32(buf, n, opts);
	if (n < 0)
		goto space;
	reserve(o, (size_t)n * 4 + rest + 1);
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
}

/*
 * The general path for the code point at u[*ip]: our own mapping, or utf8proc over it and the
 * combining marks that follow. Advances *ip past what it folded.
 */
static void
fold_general(struct out *o, const utf8proc_uint8_t *u, size_t *ip, size_t len, int flags)
{
	size_t			 i = *ip, j, nmarks;
	utf8proc_ssize_t	 n, m;
	int32_t			 cp, next, mapped;

	n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
	if (n < 0) {
		put_space(o, i);	/* invalid UTF-8: one byte becomes a space */
		*ip = i + 1;
		return;
	}
	mapped = map_cp(cp, flags);
	if (mapped != cp) {
		/* Ours to map (space, dash, apostrophe, Arabic letter...): no utf8proc. */
		if (mapped != DROP) {
			reserve(o, 4 + len - i);
			put_cp(o, mapped, i);
		}
		*ip = i + (size_t)n;
		return;
	}
	/* Gather the combining marks that follow, so that they compose with their base. */
	j = i + (size_t)n;
	for (nmarks = 0; j < len && u[j] >= 0x80 && nmarks < SEG_INPUT_MAX; nmarks++) {
		m = utf8proc_iterate(u + j, (utf8proc_ssize_t)(len - j), &next);
		if (m < 0 || utf8proc_get_property(next)->combining_class == 0)
			break;
		j += (size_t)m;
	}
	fold_segment(o, (const char *)u + i, j - i, i, len - j, flags);
	*ip = j;
}

/*
 * Fills the tables by running the general path over each ASCII byte and each two-byte code point
 * on its own: the fast paths are then the general path, remembered.
 */
static void
tables_init(void)
{
	struct out		 o;
	utf8proc_uint8_t	 b[2];
	size_t			 i;
	int			 f;
	int32_t			 cp;
	struct two		*t;

	memset(&o, 0, sizeof(o));
	for (f = 0; f < FLAG_SETS; f++) {
		for (cp = 0; cp < 0x80; cp++) {
			b[0] = (utf8proc_uint8_t)cp;
			o.len = o.nspans = o.next = 0;
			i = 0;
			reserve(&o, 16);
			fold_general(&o, b, &i, 1, f);
			if (o.len == 1)
				ascii_tab[f][cp] = (unsigned char)o.s[0];
			else
				ascii_tab[f][cp] = (unsigned char)cp;
		}
		for (cp = 0x80; cp < 0x800; cp++) {
			t = &two_tab[f][cp - 0x80];
			b[0] = (utf8proc_uint8_t)(0xC0 | (cp >> 6));
			b[1] = (utf8proc_uint8_t)(0x80 | (cp & 0x3F));
			t->mark = utf8proc_get_property(cp)->combining_class != 0;
			o.len = o.nspans = o.next = 0;
			i = 0;
			reserve(&o, 16);
			fold_general(&o, b, &i, 2, f);
			if (i == 2 && o.len <= TWO_OUT_MAX) {
				t->len = (unsigned char)o.len;
				memcpy(t->s, o.s, o.len);
			} else
				t->len = NOT_TABLED;
		}
	}
	free(o.s);
	free(o.spans);
}

/* The first byte at or after i that is not ASCII (len if none), eight bytes at a time. */
static size_t
ascii_end(const unsigned char *u, size_t i, size_t len)
{
	uint64_t	 w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, u + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	while (i < len && u[i] < 0x80)
		i++;
	return i;
}

/* Does a combining mark start at u[j]? (It would join the code point before it.) */
static int
mark_at(const struct two *two, const unsigned char *u, size_t j, size_t len)
{
	utf8proc_ssize_t	 m;
	int32_t			 cp;

	if (j >= len || u[j] < 0x80)
		return 0;
	if (u[j] >= 0xC2 && u[j] <= 0xDF && j + 1 < len && (u[j + 1] & 0xC0) == 0x80)
		return two[((u[j] & 0x1F) << 6 | (u[j + 1] & 0x3F)) - 0x80].mark;
	m = utf8proc_iterate(u + j, (utf8proc_ssize_t)(len - j), &cp);
	return m >= 0 && utf8proc_get_property(cp)->combining_class != 0;
}

/*
 * Eight ASCII bytes at once, the common case of fold_ascii: if none of them needs the table's
 * attention (a control character, DEL, hyphen, backtick, or a space after a space), stores them
 * with A-Z lowered (when lower) and returns 1; else 0 and the caller goes byte by byte. Bytes
 * below 0x80 never carry into their neighbour here: the largest sum is 0x7F + 0x7F.
 */
static int
fold_word8(const unsigned char *in, char *out, int lower, int after_space)
{
	uint64_t	 w, spaces, special, upper;

	memcpy(&w, in, 8);
	spaces = word_bytes_equal(w, ' ');
	special = ~(w + WORD_ONES * (0x80 - 0x20)) & WORD_HIGHS;		/* below 0x20 */
	special |= word_bytes_equal(w, 0x7f) | word_bytes_equal(w, '-') | word_bytes_equal(w, '`');
	special |= spaces & (spaces << 8);			/* a space after a space */
	if (special != 0 || (after_space && (in[0] == ' ')))
		return 0;
	if (lower) {
		/* A-Z: at least 'A' (0x41) and not above 'Z' (0x5A); 0x80 >> 2 is the case bit. */
		upper = (w + WORD_ONES * (0x80 - 0x41)) & ~(w + WORD_ONES * (0x80 - 0x5B)) &
		    WORD_HIGHS;
		w |= upper >> 2;
	}
	memcpy(out, &w, 8);
	return 1;
}

/* ASCII bytes u[i, end) through the table; the caller has room for one byte out per byte in. */
static void
fold_ascii(struct out *o, const unsigned char *tab, const unsigned char *u, size_t i, size_t end)
{
	char		*os = o->s;
	size_t		 ol = o->len, next = o->next, stop;
	unsigned char	 c;
	int		 lower = tab['A'] == 'a', space = ol > 0 && os[ol - 1] == ' ';

	while (i < end) {
		/* The word-at-a-time path (little-endian only: it relies on byte order in shifts). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (end - i >= 8 && fold_word8(u + i, os + ol, lower, space)) {
			if (i != next)
				add_span(o, ol, i);
			ol += 8;
			i += 8;
			next = i;
			space = os[ol - 1] == ' ';
			continue;
		}
#endif
		/* Byte by byte, up to eight bytes, then try a whole word again. */
		for (stop = end - i > 8 ? i + 8 : end; i < stop; i++) {
			c = tab[u[i]];
			if (c == ' ') {
				if (space)
					continue;	/* runs of spaces collapse to one */
				space = 1;
			} else
				space = 0;
			if (i != next)
				add_span(o, ol, i);
			os[ol++] = (char)c;
			next = i + 1;
		}
	}
	o->len = ol;
	o->next = next;
}

/* A two-byte code point at input offset at, from the table. */
static void
put_two(struct out *o, const struct two *t, size_t at, size_t rest)
{
	unsigned	 k;

	reserve(o, TWO_OUT_MAX + rest);
	for (k = 0; k < t->len; k++) {
		if (t->s[k] == ' ')
			put_space(o, at);
		else
			put_byte(o, t->s[k], at);
	}
}

/* Folds in[0, len) into o (emptied first), sparse map included. */
static void
fold_into(struct out *o, const char *in, size_t len, int flags)
{
	const unsigned char	*u = (const unsigned char *)in;
	const unsigned char	*ascii;
	const struct two	*two;
	size_t			 i = 0, end;

	pthread_once(&tables_once, tables_init);
	ascii = ascii_tab[flags & FOLD_ALL];
	two = two_tab[flags & FOLD_ALL];
	o->len = o->nspans = o->next = 0;
	/* Invariant at the top of the loop: room for (len - i) more bytes and the NUL. */
	reserve(o, len + 16);
	while (i < len) {
		end = ascii_end(u, i, len);
		/* An ASCII byte right before a non-ASCII one may take a combining mark. */
		if (end < len && end > i)
			end--;
		if (end > i) {
			fold_ascii(o, ascii, u, i, end);
			i = end;
			continue;
		}
		if (u[i] < 0x80 && !mark_at(two, u, i + 1, len)) {
			fold_ascii(o, ascii, u, i, i + 1);
			i++;
			continue;
		}
		if (u[i] >= 0xC2 && u[i] <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
			const struct two *t = &two[((u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F)) - 0x80];

			if (t->len != NOT_TABLED && !mark_at(two, u, i + 2, len)) {
				/*
				 * A letter folded to one two-byte letter (Arabic, Cyrillic,
				 * Hebrew, Greek): what put_two does for it, without reserving
				 * room, which the invariant above already gives two bytes in.
				 * The gazetteer's start-up folds 600,000 of them.
				 */
				if (t->len == 2 && ((unsigned char)t->s[0] & 0xE0) == 0xC0 &&
				    ((unsigned char)t->s[1] & 0xC0) == 0x80) {
					if (i != o->next)
						add_span(o, o->len, i);
					o->s[o->len++] = t->s[0];
					o->s[o->len++] = t->s[1];
					o->next = i + 2;
					i += 2;
					continue;
				}
				put_two(o, t, i, len - i);
				i += 2;
				continue;
			}
		}
		fold_general(o, u, &i, len, flags);
	}
	o->s[o->len] = '\0';
	if (o->next != len)
		add_span(o, o->len, len);	/* folded offset len maps to the input length */
}

const unsigned char *
fold_ascii_map(int flags)
{
	pthread_once(&tables_once, tables_init);
	return ascii_tab[flags & FOLD_ALL];
}

/* The same test as fold_into's two-byte branch, so that both fold a character the same way. */
int
fold_two_at(const char *in, size_t len, size_t pos, int flags, const char **out)
{
	const unsigned char	*u = (const unsigned char *)in;
	const struct two	*two, *t;

	if (!(u[pos] >= 0xC2 && u[pos] <= 0xDF && pos + 1 < len && (u[pos + 1] & 0xC0) == 0x80))
		return -1;
	pthread_once(&tables_once, tables_init);
	two = two_tab[flags & FOLD_ALL];
	t = &two[((u[pos] & 0x1F) << 6 | (u[pos + 1] & 0x3F)) - 0x80];
	/* A mark here would belong to the character before: the caller decides what that is. */
	if (t->len == NOT_TABLED || t->mark || mark_at(two, u, pos + 2, len))
		return -1;
	*out = t->s;
	return t->len;
}

int
fold_two_cp(int32_t cp, int flags, const char **out, int *mark)
{
	const struct two	*t;

	*mark = 0;
	if (cp < 0x80 || cp >= 0x800)
		return -1;
	pthread_once(&tables_once, tables_init);
	t = &two_tab[flags & FOLD_ALL][cp - 0x80];
	*mark = t->mark;
	if (t->len == NOT_TABLED)
		return -1;
	*out = t->s;
	return t->len;
}

int
fold_mark_at(const char *in, size_t len, size_t pos)
{
	pthread_once(&tables_once, tables_init);
	return mark_at(two_tab[0], (const unsigned char *)in, pos, len);
}

void
fold_text(const char *in, size_t len, int flags, struct folded *out)
{
	struct out		 o;
	struct fold_span	 cur = { 0, 0 };
	size_t			 f, k = 0;

	memset(out, 0, sizeof(*out));
	memset(&o, 0, sizeof(o));
	fold_into(&o, in, len, flags);
	out->map = xreallocarray(NULL, o.len + 1, sizeof(size_t));
	for (f = 0; f <= o.len; f++) {
		while (k < o.nspans && o.spans[k].fpos <= f)
			cur = o.spans[k++];
		if (f < o.len && ((unsigned char)o.s[f] & 0xC0) == 0x80)
			out->map[f] = out->map[f - 1];	/* see put_byte */
		else
			out->map[f] = cur.ipos + (f - cur.fpos);
	}
	free(o.spans);
	out->s = o.s;
	out->len = o.len;
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

void
fold_buf_text(struct fold_buf *b, const char *in, size_t len, int flags)
{
	struct out	 o;

	memset(&o, 0, sizeof(o));
	o.s = b->s;
	o.cap = b->cap;
	o.spans = b->spans;
	o.capspans = b->capspans;
	fold_into(&o, in, len, flags);
	b->s = o.s;
	b->cap = o.cap;
	b->spans = o.spans;
	b->capspans = o.capspans;
	b->len = o.len;
	b->nspans = o.nspans;
}

size_t
fold_buf_offset(const struct fold_buf *b, size_t fpos)
{
	size_t	 lo = 0, hi = b->nspans, mid;

	/* The last span at or before fpos; none means the text starts unchanged. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->spans[mid].fpos <= fpos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return fpos;
	return b->spans[lo - 1].ipos + (fpos - b->spans[lo - 1].fpos);
}

void
fold_buf_free(struct fold_buf *b)
{
	if (b == NULL)
		return;
	free(b->s);
	free(b->spans);
	memset(b, 0, sizeof(*b));
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
fold_case_at(const char *s, size_t len, size_t pos)
{
	const utf8proc_uint8_t	*u = (const utf8proc_uint8_t *)s;
	utf8proc_category_t	 cat;
	int32_t			 cp;

	if (pos >= len || utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &cp) < 0)
		return 0;
	cat = utf8proc_category(cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ? 1 :
	    cat == UTF8PROC_CATEGORY_LL ? -1 : 0;
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

int
fold_key(struct fold_buf *b, const char *in, size_t len, uint64_t *key)
{
	size_t	 a, z;

	fold_buf_text(b, in, len, FOLD_ALL);
	for (a = 0; a < b->len && b->s[a] == ' '; a++)
		;
	for (z = b->len; z > a && b->s[z - 1] == ' '; z--)
		;
	*key = fnv1a(FNV1A_INIT, b->s + a, z - a);
	return z > a ? 0 : -1;
}
