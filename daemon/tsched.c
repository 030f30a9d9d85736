/* tsched.c: digest boundaries and quiet hours of the push targets, in local time. */
#include <string.h>

#include "tsched.h"

#define DAY	86400

/* Local midnight of the day days after the one holding t (days may be negative). */
static time_t
midnight(time_t t, int days)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The local time minutes after midnight on the day days after the one holding t. */
static time_t
at_minutes(time_t t, int days, unsigned minutes)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = (int)(minutes / 60);
	tm.tm_min = (int)(minutes % 60);
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t
tsched_digest_prev(const struct conf_target *t, time_t now)
{
	time_t	m, b;

	if (t->digest_daily) {
		b = at_minutes(now, 0, t->digest_at);
		return b <= now ? b : at_minutes(now, -1, t->digest_at);
	}
	if (t->digest == 0)
		return 0;
	if (t->digest > DAY)
		return now - now % (time_t)t->digest;
	m = midnight(now, 0);
	return m + (now - m) / (time_t)t->digest * (time_t)t->digest;
}

time_t
tsched_digest_next(const struct conf_target *t, time_t now)
{
	time_t	b, m;

	if (t->digest_daily) {
		b = at_minutes(now, 0, t->digest_at);
		return b > now ? b : at_minutes(now, 1, t->digest_at);
	}
	if (t->digest == 0)
		return 0;
	if (t->digest > DAY)
		return now - now % (time_t)t->digest + (time_t)t->digest;
	b = tsched_digest_prev(t, now) + (time_t)t->digest;
	/* The day's last period ends at the next midnight, not past it. */
	m = midnight(now, 1);
	return b < m ? b : m;
}

int
tsched_quiet(const struct conf_target *t, time_t now, time_t *start, time_t *end)
{
	int	d;
	time_t	s, e;

	*start = *end = 0;
	if (!t->quiet)
		return 0;
	/* The quiet time starting yesterday, today or tomorrow: the one holding now, else the
	 * latest that ended. */
	for (d = 1; d >= -2; d--) {
		s = at_minutes(now, d, t->quiet_from);
		e = at_minutes(now, t->quiet_to > t->quiet_from ? d : d + 1, t->quiet_to);
		if (s <= now && now < e) {
			*start = s;
			*end = e;
			return 1;
		}
		if (e <= now) {
			*start = s;
			*end = e;
			return 0;
		}
	}
	return 0;
}
