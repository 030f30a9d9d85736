/* date.h: dates as feeds write them (RFC 822/1123 and variants, RFC 3339, ISO 8601, W3C-DTF). */
#ifndef NW_DATE_H
#define NW_DATE_H

#include <time.h>

/* date.c */
/* Parses s into UTC seconds: 0, or -1 if it is not a date it understands (*out untouched). */
int	date_parse(const char *s, time_t *out);

#endif
