/* fold.h: Unicode normalisation for matching (the only user of utf8proc). */
#ifndef NW_FOLD_H
#define NW_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * What fold_text does besides the always-on steps: NFKC; typographic apostrophes (’ ‘ ʼ ′ ` ´) become
 * ', typographic double quotes (“ ” „ « » ″) become "; every dash and the hyphen become a space (so
 * al-Assad = al Assad); every white space (no-break space and line breaks included) becomes a space
 * and runs of spaces collapse to one; invisible format characters (ZWSP, ZWNJ, ZWJ, soft hyphen,
 * bidi marks, BOM) are removed; invalid UTF-8 bytes and control characters become spaces.
 */
#define FOLD_CASE	0x01	/* case folding, Turkish dotted İ and dotless ı to i */
#define FOLD_MARKS	0x02	/* diacritics stripped; Arabic harakat removed, letter variants
				 * unified (أ إ آ ٱ to ا, ى ئ and Persian ی to ي, Persian ک to ك, ؤ to
				 * و, ة to ه). Tatweel and tanwin go whatever the flags */
#define FOLD_ALL	(FOLD_CASE | FOLD_MARKS)

struct folded {
	char	*s;	/* folded UTF-8, NUL-terminated */
	size_t	 len;
	size_t	*map;	/* map[i]: byte offset in the input of folded byte i; map[len] = input length */
};

/*
 * The same folding into a buffer the caller reuses from text to text, with a sparse offset map:
 * this is what the matcher uses, because most news text is ASCII, where the folded byte i comes
 * from input byte i + (a constant), and a full map costs 8 bytes per byte of text. A span says
 * "folded bytes from fpos on come from input bytes ipos, ipos + 1, ..." until the next span; before
 * the first span, folded byte i is input byte i. Spans appear only where that stops being true
 * (a collapsed space, a character that changes length), so ASCII text usually has none at all.
 */
struct fold_span {
	size_t	 fpos;
	size_t	 ipos;
};

struct fold_buf {
	char			*s;	/* folded UTF-8, NUL-terminated */
	size_t			 len;
	size_t			 cap;	/* bytes allocated for s */
	struct fold_span	*spans;	/* sorted by fpos, at most one per folded byte */
	size_t			 nspans;
	size_t			 capspans;
};

/* fold.c */
/*
 * Folds len bytes of UTF-8 (invalid bytes become spaces) into out, which the caller frees with
 * folded_free. Cost is linear in len. Cannot fail: out of memory is fatal (util.h).
 */
void	fold_text(const char *in, size_t len, int flags, struct folded *out);
void	folded_free(struct folded *);
/*
 * Folds like fold_text into b (zeroed before first use; its memory is reused and grows as needed,
 * freed by fold_buf_free). Cannot fail, like fold_text.
 */
void	fold_buf_text(struct fold_buf *b, const char *in, size_t len, int flags);
/*
 * A name's key: in[0, len) folded as aliases are (FOLD_ALL), ends trimmed, hashed (FNV-1a),
 * folded in b. 0, or -1 if it folds to nothing. The gazetteer's index and the matcher share it.
 */
int	fold_key(struct fold_buf *b, const char *in, size_t len, uint64_t *key);
/*
 * The input offset of the character that folded byte fpos belongs to, when fpos is the first byte
 * of a folded character or b->len (which gives the input length); other bytes get no promise.
 */
size_t	fold_buf_offset(const struct fold_buf *b, size_t fpos);
void	fold_buf_free(struct fold_buf *b);
/*
 * For a scanner that folds as it reads (match.c) and needs only the folded bytes, not the map.
 * fold_ascii_map: what each ASCII byte folds to when no combining mark follows it (128 entries;
 * every separator gives ' ', and fold_text collapses a run of them into one space).
 * fold_two_at: when fold_text would fold the character at in[pos] (where a character starts) on
 * its own through its table (a two-byte code point, not a combining mark, none following it),
 * points *out at its folded bytes and returns how many (0: dropped); 2 input bytes are consumed.
 * Otherwise -1: fold that stretch with fold_buf_text instead.
 */
const unsigned char	*fold_ascii_map(int flags);
int	fold_two_at(const char *in, size_t len, size_t pos, int flags, const char **out);
/*
 * For the matcher's tables: what the two-byte code point cp (U+0080..U+07FF) folds to on its own
 * with flags, when no combining mark follows it: points *out at the folded bytes and returns how
 * many (0: dropped), or -1 when fold_text takes its general path for it. *mark is set to 1 if
 * cp is a combining mark (which folds with the character before it), else 0.
 */
int	fold_two_cp(int32_t cp, int flags, const char **out, int *mark);
/* 1 if a combining mark starts at in[pos]: fold_text folds it with the character before it. */
int	fold_mark_at(const char *in, size_t len, size_t pos);
/* 1 if the code point is a Unicode letter, mark or digit (a word character for whole-word matching). */
int	fold_is_wordchar(int32_t cp);
/* 1 if the code point that ends just before byte pos of the valid UTF-8 s is a word character. */
int	fold_wordchar_before(const char *s, size_t pos);
/* The case of the code point that starts at byte pos of s (len bytes): 1 upper (or title) case,
 * -1 lower case, 0 uncased (Arabic, Hebrew, digits, invalid). */
int	fold_case_at(const char *s, size_t len, size_t pos);
/* 1 if the code point that starts at byte pos of the valid UTF-8 s (len bytes) is a word character. */
int	fold_wordchar_at(const char *s, size_t len, size_t pos);

#endif
