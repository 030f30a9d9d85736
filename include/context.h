/* context.h: what the words around a built-in name say it is instead of the place or person. */
#ifndef NW_CONTEXT_H
#define NW_CONTEXT_H

#include <stddef.h>

/*
 * Each check looks at a name found at s[start, end) of one text (a title, a summary) and the
 * words right beside it, in the languages the gazetteer covers, and answers yes when the name
 * is not the place there: part of a person's name, a sports club, a street, a river, a film's
 * title. The word lists are hand-written and reviewed like code; the matcher (match.c) decides
 * which check applies to which name.
 */

/*
 * A place's name that is also a person's (Jordan): part of one here, beside a capitalised word
 * (Jordan Peterson, Michael Jordan)? Then 1, and the person's name is s[*pb, *pe).
 */
int	 person_name_here(const char *s, size_t len, size_t start, size_t end, size_t *pb,
	    size_t *pe);
/* Is s[b, e) "son of" (bin, ibn, بن, ابن)? */
int	 son_of_word(const char *s, size_t b, size_t e);
/* A name followed by "son of" and a name (X bin Y, الخليل بن أحمد): 1 and the whole name. */
int	 son_of_after(const char *s, size_t len, size_t start, size_t end, size_t *pb,
	    size_t *pe);
/* Is s[b, e) a given name of the reviewed Arabic, Persian and Hebrew list, or after a proclitic? */
int	 given_name(const char *s, size_t len, size_t b, size_t e);
/* A place after a given name or an honorific: the person's surname (Sezen Aksu, استاد شهریار)? */
int	 person_before_place(const char *s, size_t len, size_t start, size_t end);

/* A club's name around it (Inter Milan, Adana Demirspor, No. 4 Miami, ذوب‌آهن اصفهان)? */
int	 club_here(const char *s, size_t len, size_t start, size_t end);
/* A club's player or fans after it (Porto'nun golcüsü)? */
int	 club_role_after(const char *s, size_t len, size_t end);
/* A match's score beside it (Reading 2-1 Wrexham, Milan (2-1))? */
int	 score_beside(const char *s, size_t len, size_t start, size_t end);
/* A club's verb after it: clinches, beats, signs (Napoli clinch, العين يتوج)? */
int	 team_verb_after(const char *s, size_t len, size_t end);
/* A club's plural verb, the city a clause's subject (Liverpool unveil, as Milan climb)? */
int	 plural_verb_after(const char *s, size_t len, size_t start, size_t end);
/* The rival a club beats or edges past (Real Madrid beat Sevilla, يفوز على)? */
int	 beaten_rival(const char *s, size_t start);
int	 edged_past(const char *s, size_t start);
/* Does the text name a league, a derby or an away game (its cities are clubs)? */
int	 league_named(const char *s, size_t len);

/* A street's or a river's name (خیابان فلسطین, rue de Rome, the Niger River)? */
int	 street_or_river(const char *s, size_t len, size_t start, size_t end);
/* The first word of a short name in guillemets (the submarine «Курск»)? */
int	 quoted_name(const char *s, size_t len, size_t start, size_t end);

#endif
