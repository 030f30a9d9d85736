/* fold.h: Unicode normalisation for matching (the only user of utf8proc). */
#ifndef NW_FOLD_H
#define NW_FOLD_H

#include <stddef.h>

/* What fold_text does besides the always-on steps (NFKC; dashes, apostrophes, quotes unified;
 * hyphen and every white space, no-break space and line breaks included, become one space). */
#define FOLD_CASE	0x01	/* case folding, Turkish dotted/dotless i to i */
#define FOLD_MARKS	0x02	/* diacritics stripped; Arabic harakat and tatweel removed, letter variants unified */
#define FOLD_ALL	(FOLD_CASE | FOLD_MARKS)

struct folded {
	char	*s;	/* folded UTF-8, NUL-terminated */
	size_t	 len;
	size_t	*map;	/* map[i]: byte offset in the input of folded byte i; map[len] = input length */
};

/* fold.c */
/* Folds len bytes of UTF-8 (invalid bytes become spaces). 0, or -1 on allocation failure. */
int	fold_text(const char *in, size_t len, int flags, struct folded *out);
void	folded_free(struct folded *);

#endif
