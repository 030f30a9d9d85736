/* words.h: the words of raw UTF-8 text around a name: scripts, proclitics, capitals, sentences. */
#ifndef NW_WORDS_H
#define NW_WORDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A word here is a run of word characters (fold_wordchar_at). The checks of the matcher look at
 * the words right beside a name, exactly one space away. Arabic and Hebrew join short words to
 * the next one (proclitics: و ب ل, ו ב ל מ ש כ): a name may follow them inside a word.
 */
#define CLITIC_CHARS_MAX	3	/* letters in the longest proclitic */

/* Is s[0, len) a proclitic or a run of them (وب, ושב)? */
int	 is_clitic(const char *s, size_t len);
/* Is cp a letter Arabic proclitics are made of (و ف ب ك ل)? */
int	 clitic_letter(int32_t cp);
/* Is cp a letter Hebrew prefixes are made of (ו ב ל מ ש כ)? */
int	 hebrew_clitic_letter(int32_t cp);
/*
 * The whole-word rule at the start of a hit at s[pos] (folded text): no word character before
 * it, or, for a name in Arabic or Hebrew script, only proclitics of that script (or a prefix and
 * the vav that spelling doubles after it: מוונצואלה) between the start of the word and it.
 */
int	 word_start(const char *s, size_t len, size_t pos);

/* Is there an Arabic, a Hebrew, a Latin letter at s[pos]? */
int	 arabic_at(const char *s, size_t len, size_t pos);
int	 hebrew_at(const char *s, size_t len, size_t pos);
int	 latin_at(const char *s, size_t pos);
/* Decodes one UTF-8 code point (utf8_decode); invalid bytes give -1 and length 1. */
size_t	 utf8_char(const unsigned char *s, size_t len, int32_t *cp);
/* The offset of the character after the one at i. */
size_t	 next_char(const char *s, size_t len, size_t i);

/* The end of the word that starts at i; the start of the word that ends at end. */
size_t	 word_end_at(const char *s, size_t len, size_t i);
size_t	 word_start_before(const char *s, size_t end);
/* The word right after end, or before start, one space away: 1 and s[*b, *e), or 0. */
int	 word_after(const char *s, size_t len, size_t end, size_t *b, size_t *e);
int	 word_before(const char *s, size_t start, size_t *b, size_t *e);
/* Is s[b, e) exactly one of list (NULL-terminated), as written? */
int	 word_in(const char *s, size_t b, size_t e, const char *const *list);
/* Or one of list after an Arabic or Hebrew proclitic letter (بشارع, ברחוב)? */
int	 word_in_clitic(const char *s, size_t len, size_t b, size_t e, const char *const *list);
/* Is s[b, e) a word with a capital first and not an acronym (Peterson, O'Keeffe; not UN)? */
int	 capitalised(const char *s, size_t len, size_t b, size_t e);
/* Is s[b, e) two capitals or more and no small letter (UN, IDF)? */
int	 all_capitals(const char *s, size_t len, size_t b, size_t e);
/* Is s[0, n) an acronym: capitals and digits (M23), no small letter? */
int	 acronym(const char *s, size_t n);

/* The bytes of an apostrophe at s[i], ' or ’, or 0. */
size_t	 apostrophe_len(const char *s, size_t len, size_t i);
/* Does a suffix in small letters follow an apostrophe at end (Kamışlı'da, Turkey's)? */
int	 apostrophe_suffix(const char *s, size_t len, size_t end);
/* Is the text in title case (Jordan Says It Will Close Border): a capital says nothing? */
int	 title_case(const char *s, size_t len);
/* Does s[start...] begin a sentence: the text's start, or after . ! ? : ; and quotes? */
int	 sentence_start(const char *s, size_t start);
/* Does s[start, end) end as a demonym does (a yeh, and a feminine or plural ending)? */
int	 demonym_ending(const char *s, size_t start, size_t end);

#endif
