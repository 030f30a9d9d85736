/* date.c: feed dates (RFC 822 family, RFC 3339 / ISO 8601 / W3C-DTF) to UTC seconds. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "date.h"

/* The broken-down date being assembled; -1 marks a part not seen yet. */
struct dt {
	long	year;
	int	mon;	/* 1-12 */
	int	day;	/* 1-31 */
	int	hour, min, sec;
	long	off;	/* seconds east of UTC */
};

static int
is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date: count from a March-based year so the
 * leap day falls at the end, then 400-year eras of 146097 days. Avoids timegm() and the TZ.
 */
static long long
days_from_civil(long y, int m, int d)
{
	long long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Checks the ranges and converts; -1 for an impossible date. */
static int
dt_to_time(const struct dt *t, time_t *out)
{
	long long	secs;

	if (t->year < 1 || t->year > 9999 || t->mon < 1 || t->mon > 12 || t->day < 1 ||
	    t->day > days_in_month(t->year, t->mon) || t->hour < 0 || t->hour > 23 ||
	    t->min < 0 || t->min > 59 || t->sec < 0 || t->sec > 60)
		return -1;
	secs = days_from_civil(t->year, t->mon, t->day) * 86400LL + t->hour * 3600LL +
	    t->min * 60LL + t->sec - t->off;
	if ((long long)(time_t)secs != secs)
		return -1;
	*out = (time_t)secs;
	return 0;
}

/* Reads exactly n digits; -1 if they are not there. */
static long
digits(const char **sp, int n)
{
	const char	*s = *sp;
	long		 v = 0;
	int		 i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return v;
}

static int
ndigits(const char *s)
{
	int	n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* Parses a numeric zone "+hh", "+hhmm" or "+hh:mm" at *sp into seconds east; -1 if malformed. */
static int
numeric_zone(const char **sp, long *off)
{
	const char	*s = *sp;
	int		 sign, n;
	long		 h, m = 0;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	n = ndigits(s);
	if (n == 4) {
		h = digits(&s, 2);
		m = digits(&s, 2);
	} else if (n == 2 || n == 1) {
		h = digits(&s, n);
		if (*s == ':' && ndigits(s + 1) == 2) {
			s++;
			m = digits(&s, 2);
		}
	} else
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	*sp = s;
	return 0;
}

/* ---- RFC 3339 / ISO 8601 / W3C-DTF ---- */

/* Optional ".fraction" or ",fraction" of a second: skipped, feeds never need it. */
static void
skip_fraction(const char **sp)
{
	const char	*s = *sp;

	if ((*s == '.' || *s == ',') && isdigit((unsigned char)s[1])) {
		s++;
		while (isdigit((unsigned char)*s))
			s++;
	}
	*sp = s;
}

/* hh[:mm[:ss[.frac]]] or hhmm[ss]; the caller stands after the 'T' or space. */
static int
iso_time(const char **sp, struct dt *t)
{
	const char	*s = *sp;
	int		 compact = ndigits(s) >= 4;

	if ((t->hour = (int)digits(&s, 2)) < 0)
		return -1;
	t->min = t->sec = 0;
	if (*s == ':' || compact) {
		if (*s == ':')
			s++;
		if ((t->min = (int)digits(&s, 2)) < 0)
			return -1;
		if (*s == ':' || (compact && isdigit((unsigned char)*s))) {
			if (*s == ':')
				s++;
			if ((t->sec = (int)digits(&s, 2)) < 0)
				return -1;
			skip_fraction(&s);
		}
	}
	*sp = s;
	return 0;
}

static int
iso_zone(const char **sp, struct dt *t)
{
	while (**sp == ' ')
		(*sp)++;
	if (**sp == 'Z' || **sp == 'z') {
		(*sp)++;
		return 0;
	}
	if (**sp == '+' || **sp == '-')
		return numeric_zone(sp, &t->off);
	if (strncasecmp(*sp, "UTC", 3) == 0 || strncasecmp(*sp, "GMT", 3) == 0) {
		*sp += 3;
		return 0;
	}
	return 0;	/* no zone: UTC, as W3C-DTF readers conventionally assume */
}

static int
parse_iso(const char *s, time_t *out)
{
	struct dt	t = { 0, 1, 1, 0, 0, 0, 0 };
	int		 compact;

	compact = ndigits(s) == 8;	/* 20040105 */
	t.year = digits(&s, 4);
	if (*s == '-' || compact) {
		s += !compact;
		if ((t.mon = (int)digits(&s, 2)) < 0)
			return -1;
		if (*s == '-' || compact) {
			s += !compact;
			if ((t.day = (int)digits(&s, 2)) < 0)
				return -1;
			if ((*s == 'T' || *s == 't' || *s == ' ') && isdigit((unsigned char)s[1])) {
				s++;
				if (iso_time(&s, &t) == -1 || iso_zone(&s, &t) == -1)
					return -1;
			}
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		return -1;
	return dt_to_time(&t, out);
}

/* ---- RFC 822 / 1123 / 2822 and what feeds make of them ---- */

static const char *const month_names[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

struct zone_name {
	const char	*name;
	int		 minutes;	/* east of UTC */
};

/* The zones of RFC 822 plus a few that real feeds use. */
static const struct zone_name zone_names[] = {
	{ "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 },
	{ "BST", 60 }, { "CET", 60 }, { "CEST", 120 }, { "MET", 60 }, { "MEST", 120 },
	{ "EET", 120 }, { "EEST", 180 }, { "MSK", 180 }, { "IST", 330 }, { "JST", 540 },
	{ "KST", 540 }, { "AEST", 600 }, { "AEDT", 660 },
};

/* Index of a word among names by its first three letters (full names allowed), or -1. */
static int
name_index(const char *w, size_t len, const char *const *names, int n)
{
	int	i;

	if (len < 3)
		return -1;
	for (i = 0; i < n; i++)
		if (strncasecmp(w, names[i], 3) == 0)
			return i;
	return -1;
}

/*
 * A zone word: named zones, or RFC 822 military letters. RFC 822 defines A-I,K-M as -1..-12 and
 * N-Y as +1..+12; RFC 1123 notes those signs were reversed by mistake, but feeds that use them
 * follow the letter of RFC 822, as feedparser does. 0 if known, -1 otherwise.
 */
static int
zone_word(const char *w, size_t len, long *off)
{
	size_t	i;
	int	c;

	for (i = 0; i < sizeof(zone_names) / sizeof(zone_names[0]); i++)
		if (strlen(zone_names[i].name) == len && strncasecmp(w, zone_names[i].name, len) == 0) {
			*off = zone_names[i].minutes * 60L;
			return 0;
		}
	if (len == 1 && isalpha((unsigned char)w[0]) && toupper((unsigned char)w[0]) != 'J') {
		c = toupper((unsigned char)w[0]);
		if (c <= 'I')
			*off = -(c - 'A' + 1) * 3600L;
		else if (c <= 'M')
			*off = -(c - 'A') * 3600L;
		else
			*off = (c - 'N' + 1) * 3600L;
		return 0;
	}
	return -1;
}

/* hh:mm[:ss[.frac]] */
static int
rfc_time(const char **sp, struct dt *t)
{
	const char	*s = *sp;
	int		 n = ndigits(s);

	if (n < 1 || n > 2 || (t->hour = (int)digits(&s, n)) < 0 || *s++ != ':')
		return -1;
	if ((t->min = (int)digits(&s, 2)) < 0)
		return -1;
	t->sec = 0;
	if (*s == ':') {
		s++;
		if ((t->sec = (int)digits(&s, 2)) < 0)
			return -1;
		skip_fraction(&s);
	}
	*sp = s;
	return 0;
}

/* A number token: the day if none yet and it is short, else the year. */
static int
rfc_number(const char **sp, struct dt *t)
{
	const char	*s = *sp;
	int		 n = ndigits(s);
	long		 v;

	if (n > 4)
		return -1;
	v = digits(&s, n);
	if (t->day < 0 && n <= 2)
		t->day = (int)v;
	else if (t->year < 0) {
		if (n == 2)		/* RFC 2822 4.3: 00-49 are 20xx, 50-99 19xx */
			v += v < 50 ? 2000 : 1900;
		else if (n == 3)
			v += 1900;
		t->year = v;
	} else
		return -1;
	*sp = s;
	return 0;
}

/* A word: weekday (ignored, even when wrong), month, zone, or AM/PM-free noise we refuse. */
static int
rfc_word(const char **sp, struct dt *t, int *zone_seen)
{
	const char	*s = *sp, *w = s;
	size_t		 len;
	int		 i;

	while (isalpha((unsigned char)*s))
		s++;
	len = (size_t)(s - w);
	*sp = s;
	if (name_index(w, len, day_names, 7) >= 0 && t->mon < 0 && t->hour < 0)
		return 0;
	if ((i = name_index(w, len, month_names, 12)) >= 0 && len <= 9 && t->mon < 0 && t->hour < 0) {
		t->mon = i + 1;
		return 0;
	}
	if (t->hour >= 0 && !*zone_seen && zone_word(w, len, &t->off) == 0) {
		*zone_seen = 1;
		return 0;
	}
	if (t->hour >= 0 && !*zone_seen && len >= 2 && len <= 5) {
		/* An unknown zone abbreviation after the time: take it as UTC rather than lose the date. */
		*zone_seen = 1;
		return 0;
	}
	return -1;
}

static int
parse_rfc822(const char *s, time_t *out)
{
	struct dt	t = { -1, -1, -1, -1, -1, -1, 0 };
	int		 zone_seen = 0;
	long		 extra;

	while (*s != '\0') {
		if (isspace((unsigned char)*s) || *s == ',' || (*s == '-' && t.hour < 0) ||
		    *s == '.' || *s == '/') {
			s++;
		} else if (isdigit((unsigned char)*s)) {
			const char *p = s + ndigits(s);

			if (*p == ':') {
				if (t.hour >= 0 || rfc_time(&s, &t) == -1)
					return -1;
			} else if (rfc_number(&s, &t) == -1)
				return -1;
		} else if (isalpha((unsigned char)*s)) {
			if (rfc_word(&s, &t, &zone_seen) == -1)
				return -1;
		} else if ((*s == '+' || *s == '-') && t.hour >= 0) {
			/* "+0200", or "GMT+02:00" where the offset adds to the named zone. */
			if (numeric_zone(&s, &extra) == -1)
				return -1;
			t.off = (zone_seen ? t.off : 0) + extra;
			zone_seen = 1;
		} else if (*s == '(') {
			/* RFC 822 comment, e.g. "(PST)". */
			while (*s != '\0' && *s != ')')
				s++;
			if (*s == ')')
				s++;
		} else
			return -1;
	}
	if (t.year < 0 || t.mon < 0 || t.day < 0)
		return -1;
	if (t.hour < 0)
		t.hour = t.min = t.sec = 0;
	return dt_to_time(&t, out);
}

int
date_parse(const char *s, time_t *out)
{
	size_t	len;
	char	copy[128];

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(copy))
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	if (ndigits(copy) == 4 || ndigits(copy) == 8)
		return parse_iso(copy, out);
	return parse_rfc822(copy, out);
}
