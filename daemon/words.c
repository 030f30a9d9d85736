/* words.c: the words of raw UTF-8 text around a name: scripts, proclitics, capitals, sentences. */
#include <stdint.h>
#include <string.h>

#include "fold.h"
#include "util.h"
#include "words.h"

/* Decodes one UTF-8 code point of the original text; invalid bytes give -1 and length 1. */
size_t
utf8_char(const unsigned char *s, size_t len, int32_t *cp)
{
	uint32_t	 c;
	size_t		 n = utf8_decode(s, len, &c);

	if (n == 0) {
		*cp = -1;
		return 1;
	}
	*cp = (int32_t)c;
	return n;
}

/*
 * Arabic writes some short words joined to the next one: the proclitics and (و), so (ف), with
 * (ب), like (ك) and for (ل), alone or two together, as folded. "وحزب الله" is "and Hezbollah":
 * a name written after them is still a word of its own. The article (ال) is not among them, nor
 * anything that carries it (وال, بال, لل...): "الحمص" is "the chickpeas", not Homs, and "الحلب"
 * is "the milking", not Aleppo. A name that takes the article is written with it in its alias
 * (القاعدة), which then matches after the proclitics above (والقاعدة, بالقاعدة), and after for
 * (ل), which swallows the article's alef, through a form of its own (للقاعدة, see alias_forms).
 */
/*
 * Hebrew writes its prefixes joined too: and (ו), in (ב), to (ל), from (מ), that (ש), as (כ),
 * and a few of them together (ובירושלים, שבעזה, וכשמצרים is not one: three at most). The
 * article (ה) is not among them, for the same reason as Arabic's: הירדן is the river, not
 * Jordan, and החלב is "the milk".
 */
static const struct clitic {
	const char	*s;
	size_t		 len;
} clitics[] = {
#define CLITIC(s)	{ s, sizeof(s) - 1 }
	CLITIC("و"), CLITIC("ف"), CLITIC("ب"), CLITIC("ك"), CLITIC("ل"), CLITIC("وب"),
	CLITIC("فب"), CLITIC("وك"), CLITIC("فك"), CLITIC("ول"), CLITIC("فل"),
	CLITIC("ו"), CLITIC("ב"), CLITIC("ל"), CLITIC("מ"), CLITIC("ש"), CLITIC("כ"),
	CLITIC("וב"), CLITIC("ול"), CLITIC("ומ"), CLITIC("וש"), CLITIC("וכ"), CLITIC("שב"),
	CLITIC("של"), CLITIC("שמ"), CLITIC("שכ"), CLITIC("כש"), CLITIC("מש"), CLITIC("ושב"),
	CLITIC("ושל"), CLITIC("ושמ"), CLITIC("וכש"),
#undef CLITIC
};


/* Is s[0, len) one of clitics[]? */
int
is_clitic(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof(clitics) / sizeof(clitics[0]); i++)
		if (clitics[i].len == len && memcmp(s, clitics[i].s, len) == 0)
			return 1;
	return 0;
}

/* Is there a letter of the Arabic block (two UTF-8 bytes, D8..DB) at s[pos]? */
int
arabic_at(const char *s, size_t len, size_t pos)
{
	const unsigned char	*u = (const unsigned char *)s;

	return pos + 1 < len && u[pos] >= 0xD8 && u[pos] <= 0xDB && (u[pos + 1] & 0xC0) == 0x80;
}

/* Is there a letter of the Hebrew alphabet (U+05D0..U+05EA, D7 90..D7 AA) at s[pos]? */
int
hebrew_at(const char *s, size_t len, size_t pos)
{
	const unsigned char	*u = (const unsigned char *)s;

	return pos + 1 < len && u[pos] == 0xD7 && u[pos + 1] >= 0x90 && u[pos + 1] <= 0xAA;
}

/*
 * Is s[b, pos) Hebrew prefixes followed by the vav that spelling doubles? Without vowel points, a
 * word that starts with a consonantal vav (ונצואלה, Venezuela) doubles it when a prefix is
 * joined to it: מוונצואלה "from Venezuela", בוונציה "in Venice". The name at pos starts with
 * that vav, the letter before it is the added one, and the letters before that must be prefixes.
 */
static int
hebrew_doubled_vav(const char *s, size_t len, size_t b, size_t pos)
{
	static const char	 vav[] = "ו";

	return pos >= b + 4 && pos + 2 <= len && memcmp(s + pos, vav, 2) == 0 &&
	    memcmp(s + pos - 2, vav, 2) == 0 && is_clitic(s + b, pos - 2 - b);
}

/*
 * The whole-word rule at the start of a hit at s[pos] (folded text, len bytes): no word
 * character before it, or, for a name in Arabic or Hebrew script, only proclitics (clitics[])
 * of that script between the start of the word and it.
 */
int
word_start(const char *s, size_t len, size_t pos)
{
	int	(*script_at)(const char *, size_t, size_t);
	size_t	 b = pos, k;

	if (!fold_wordchar_before(s, pos))
		return 1;
	if (arabic_at(s, len, pos))
		script_at = arabic_at;
	else if (hebrew_at(s, len, pos))
		script_at = hebrew_at;
	else
		return 0;
	for (k = 0; k < CLITIC_CHARS_MAX + 1 && b >= 2 && script_at(s, len, b - 2); k++) {
		b -= 2;
		if (fold_wordchar_before(s, b))
			continue;	/* not back to the start of the word yet */
		return is_clitic(s + b, pos - b) || hebrew_doubled_vav(s, len, b, pos);
	}
	return 0;
}

/* Is cp one of the letters the Arabic proclitics are made of? */
int
clitic_letter(int32_t cp)
{
	return cp == 0x0648 || cp == 0x0641 || cp == 0x0628 || cp == 0x0643 || cp == 0x0644;
}

/* Is cp one of the letters the Hebrew prefixes are made of (ו ב ל מ ש כ)? */
int
hebrew_clitic_letter(int32_t cp)
{
	return cp == 0x05D5 || cp == 0x05D1 || cp == 0x05DC || cp == 0x05DE || cp == 0x05E9 ||
	    cp == 0x05DB;
}

/* The offset of the character after the one at i. */
size_t
next_char(const char *s, size_t len, size_t i)
{
	for (i++; i < len && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

/*
 * The words around a hit, for the checks below: raw text, Latin script in practice (they look
 * for capitals). A word here is a run of word characters; the checks want exactly one space
 * between it and the hit.
 */
size_t
word_end_at(const char *s, size_t len, size_t i)
{
	while (i < len && fold_wordchar_at(s, len, i))
		i = next_char(s, len, i);
	return i;
}

/* The start of the word that ends at end (end itself if none). */
size_t
word_start_before(const char *s, size_t end)
{
	size_t	 i = end, k;

	while (i > 0 && fold_wordchar_before(s, i)) {
		for (k = i - 1; k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80; k--)
			;
		i = k;
	}
	return i;
}

/* The capitals in s[b, e), or -1 if it has a small letter (digits and caseless letters count
 * as neither). */
static int
capitals(const char *s, size_t len, size_t b, size_t e)
{
	int	 caps = 0, c;

	for (; b < e; b = next_char(s, len, b)) {
		if ((c = fold_case_at(s, len, b)) == -1)
			return -1;
		caps += c == 1;
	}
	return caps;
}

/* Is s[b, e) a word of two capitals or more and no small letter (UN, IDF)? */
int
all_capitals(const char *s, size_t len, size_t b, size_t e)
{
	return capitals(s, len, b, e) >= 2;
}

/* The word right after end, past exactly one space: 1 and s[*b, *e), or 0. */
int
word_after(const char *s, size_t len, size_t end, size_t *b, size_t *e)
{
	if (end + 1 >= len || s[end] != ' ')
		return 0;
	*b = end + 1;
	*e = word_end_at(s, len, *b);
	return *e > *b;
}

/* The word right before start, before exactly one space: 1 and s[*b, *e), or 0. */
int
word_before(const char *s, size_t start, size_t *b, size_t *e)
{
	if (start < 2 || s[start - 1] != ' ')
		return 0;
	*e = start - 1;
	*b = word_start_before(s, *e);
	return *b < *e;
}

/* Is s[b, e) a word with a capital first and not an acronym (Peterson, O'Keeffe; not UN)? */
int
capitalised(const char *s, size_t len, size_t b, size_t e)
{
	return fold_case_at(s, len, b) == 1 && !all_capitals(s, len, b, e);
}

int
word_in(const char *s, size_t b, size_t e, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == e - b && memcmp(s + b, *list, e - b) == 0)
			return 1;
	return 0;
}

/* The bytes of an apostrophe at s[i], ' or ’ (it sets off a case ending or a possessive), or 0. */
size_t
apostrophe_len(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '\'')
		return 1;
	if (i + 3 <= len && memcmp(s + i, "\xe2\x80\x99", 3) == 0)	/* ’ */
		return 3;
	return 0;
}

/*
 * Is the word at end a suffix after an apostrophe (Kamışlı'da, Turkey's)? Turkish sets its case
 * endings off so on proper names only, English its possessive: a proper name, even at the start
 * of a sentence.
 */
int
apostrophe_suffix(const char *s, size_t len, size_t end)
{
	size_t	 k = apostrophe_len(s, len, end);

	return k > 0 && end + k < len && fold_case_at(s, len, end + k) == -1;
}

/*
 * Is the text written in title case (Jordan Says It Will Close Border)? Then a capital says
 * nothing about a word. Every word of four letters or more has one, but for the short
 * prepositions some styles keep small (with, from, into), and there are three such words at
 * least: a headline in sentence case has a small verb or noun somewhere, even when it is full
 * of names (Bilal Erdoğan Dünya Etnospor Forumu'nda konuştu).
 */
static const char *const title_small[] = { "with", "from", "into", "over", "upon", "onto",
	"than", "that", "this", "after", "about", "under", "near", "amid", "like", NULL };

int
title_case(const char *s, size_t len)
{
	size_t	 i = 0, e, words = 0;
	int	 c;

	while (i < len) {
		if (!fold_wordchar_at(s, len, i)) {
			i = next_char(s, len, i);
			continue;
		}
		e = word_end_at(s, len, i);
		if (e - i >= 4 && (c = fold_case_at(s, len, i)) != 0 &&
		    !word_in(s, i, e, title_small)) {
			if (c == -1)
				return 0;
			words++;
		}
		i = e;
	}
	return words >= 3;
}

/* Does s[start...] begin a sentence: the text's start, or after . ! ? : and spaces or quotes? */
int
sentence_start(const char *s, size_t start)
{
	size_t	 i = start;

	while (i > 0 && strchr(" \t\n\"'([", s[i - 1]) != NULL)
		i--;
	/* Opening quotes outside ASCII: « “ ‘ */
	while (i >= 2 && ((unsigned char)s[i - 2] == 0xc2 && (unsigned char)s[i - 1] == 0xab)) {
		i -= 2;
		while (i > 0 && strchr(" \t\n", s[i - 1]) != NULL)
			i--;
	}
	while (i >= 3 && (unsigned char)s[i - 3] == 0xe2 && (unsigned char)s[i - 2] == 0x80 &&
	    ((unsigned char)s[i - 1] == 0x9c || (unsigned char)s[i - 1] == 0x98)) {
		i -= 3;
		while (i > 0 && strchr(" \t\n", s[i - 1]) != NULL)
			i--;
	}
	return i == 0 || strchr(".!?:;", s[i - 1]) != NULL;
}

/*
 * Is there a Latin letter at s[pos] (ASCII, or U+00C0..U+024F)? Russian declines the name after
 * a surname instead (Эрдоган Путину: to Putin), so the word after says nothing there.
 */
int
latin_at(const char *s, size_t pos)
{
	const unsigned char	*u = (const unsigned char *)s + pos;

	return u[0] < 0x80 || (u[0] >= 0xC3 && u[0] <= 0xC9);
}

/* Is s[b, e) in list, or a word of it after an Arabic or Hebrew proclitic letter (بشارع, ברחוב)? */
int
word_in_clitic(const char *s, size_t len, size_t b, size_t e, const char *const *list)
{
	int32_t	 cp;
	size_t	 k;

	if (word_in(s, b, e, list))
		return 1;
	k = utf8_char((const unsigned char *)s + b, len - b, &cp);
	return (clitic_letter(cp) || hebrew_clitic_letter(cp)) && b + k < e &&
	    word_in(s, b + k, e, list);
}

/* Is cp a yeh (Arabic, Persian, alef maqsura, Hebrew)? */
static int
yeh(int32_t cp)
{
	return cp == 0x064A || cp == 0x06CC || cp == 0x0649 || cp == 0x05D9;
}

/*
 * Does s[start, end) end as a demonym does: a yeh, or a yeh and a feminine or plural ending
 * (Arabic ة ن, Persian ه, Hebrew ת ם)? Hebrew ברלין and the like end in a final nun, no ending.
 */
int
demonym_ending(const char *s, size_t start, size_t end)
{
	int32_t	 last = -1, cp;
	size_t	 b;
	int	 k;

	for (b = end, k = 0; k < 2 && b > start; k++) {
		for (b--; b > start && ((unsigned char)s[b] & 0xC0) == 0x80; b--)
			;	/* back to the lead byte of the letter before */
		utf8_char((const unsigned char *)s + b, end - b, &cp);
		if (k == 0 && yeh(cp))
			return 1;
		if (k == 1)
			return yeh(cp) && (last == 0x0629 || last == 0x0646 || last == 0x0647 ||
			    last == 0x05EA || last == 0x05DD);
		last = cp;
	}
	return 0;
}

/* Is s[0, n) an acronym: capitals and digits (M23), no small letter? */
int
acronym(const char *s, size_t n)
{
	return capitals(s, n, 0, n) > 0;
}
