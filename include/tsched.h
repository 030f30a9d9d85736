/*
 * tsched.h: when a push target's digests fall and when its quiet hours are, in local time.
 * Pure functions of the configuration and the time given: the caller passes now, so tests set
 * any moment they like (test_tsched) and the daemon passes time(NULL).
 *
 * Digest boundaries: digest = daily HH:MM falls at that local time each day; digest = DURATION
 * of a day or less falls at local midnight and every DURATION after it within the day (1h: on
 * the hour; 7h: 00:00, 07:00, 14:00, 21:00), longer ones every DURATION since the epoch.
 * Quiet hours HH:MM-HH:MM may wrap midnight (22:00-07:00); the start is inside, the end not.
 * Around a daylight saving change a local time that does not exist is taken as mktime does.
 */
#ifndef NW_TSCHED_H
#define NW_TSCHED_H

#include <time.h>

#include "conf.h"

/* tsched.c */
/* The latest digest boundary at or before now; 0 when the target has no digest. */
time_t	tsched_digest_prev(const struct conf_target *, time_t now);
/* The earliest digest boundary after now; 0 when the target has no digest. */
time_t	tsched_digest_next(const struct conf_target *, time_t now);
/*
 * 1 when now is in the target's quiet hours, with *start and *end those of this quiet time; 0
 * when not (or no quiet hours), with *start and *end those of the last quiet time that ended at
 * or before now (both 0 without quiet hours).
 */
int	tsched_quiet(const struct conf_target *, time_t now, time_t *start, time_t *end);

#endif
