/* test_date.c: date_parse over the date forms feeds use, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "date.h"

struct good {
	const char	*in;
	long long	 want;	/* UTC seconds */
};

/* 1994-11-06T08:49:37Z = 784111777; 2003-12-31T10:14:55Z = 1072865695. */
static const struct good goods[] = {
	/* RFC 822 / 1123 and what feeds do to it */
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 784111777 },
	{ "Sun, 06 Nov 1994 08:49:37 UT", 784111777 },
	{ "Sun, 06 Nov 1994 08:49:37 UTC", 784111777 },
	{ "Sun, 06 Nov 1994 08:49:37 Z", 784111777 },
	{ "Sun, 06 Nov 1994 08:49:37 +0000", 784111777 },
	{ "Sun, 06 Nov 1994 03:49:37 EST", 784111777 },
	{ "Sun, 06 Nov 1994 04:49:37 EDT", 784111777 },
	{ "Sun, 06 Nov 1994 02:49:37 CST", 784111777 },
	{ "Sun, 06 Nov 1994 03:49:37 CDT", 784111777 },
	{ "Sun, 06 Nov 1994 01:49:37 MST", 784111777 },
	{ "Sun, 06 Nov 1994 02:49:37 MDT", 784111777 },
	{ "Sun, 06 Nov 1994 00:49:37 PST", 784111777 },
	{ "Sun, 06 Nov 1994 01:49:37 PDT", 784111777 },
	{ "Sun, 06 Nov 1994 10:49:37 +0200", 784111777 },
	{ "Sun, 06 Nov 1994 10:49:37 +02:00", 784111777 },
	{ "Sun, 06 Nov 1994 03:19:37 -0530", 784111777 },
	{ "Sun, 06 Nov 1994 07:49:37 A", 784111777 },		/* RFC 822 military: A = -1 */
	{ "Sun, 06 Nov 1994 09:49:37 N", 784111777 },		/* N = +1 */
	{ "Sun, 06 Nov 1994 08:49 GMT", 784111740 },		/* no seconds */
	{ "06 Nov 1994 08:49:37 GMT", 784111777 },		/* no weekday */
	{ "Mon, 06 Nov 1994 08:49:37 GMT", 784111777 },		/* wrong weekday */
	{ "Sun, 6 Nov 1994 08:49:37 GMT", 784111777 },		/* single-digit day */
	{ "Sun, 06 Nov 94 08:49:37 GMT", 784111777 },		/* two-digit year >= 50 */
	{ "Wed, 31 Dec 03 10:14:55 GMT", 1072865695 },		/* two-digit year < 50 */
	{ "sun, 06 NOV 1994 08:49:37 gmt", 784111777 },		/* any case */
	{ "Sunday, 06 November 1994 08:49:37 GMT", 784111777 },	/* full names */
	{ "  Sun,  06   Nov 1994   08:49:37 GMT  ", 784111777 },	/* extra spaces */
	{ "Sun,, 06 Nov, 1994, 08:49:37 GMT", 784111777 },		/* extra commas */
	{ "Sun, 06 Nov 1994 08:49:37", 784111777 },		/* no zone: UTC */
	{ "06-Nov-1994 08:49:37 GMT", 784111777 },
	{ "Sun Nov  6 08:49:37 1994", 784111777 },		/* asctime */
	{ "Sun, 06 Nov 1994 10:49:37 GMT+02:00", 784111777 },
	{ "Sun, 06 Nov 1994 08:49:37.123 GMT", 784111777 },
	{ "Sun, 06 Nov 1994 09:49:37 CET", 784111777 },
	{ "Sun, 06 Nov 1994", 784080000 },			/* date only */
	/* RFC 3339 / ISO 8601 / W3C-DTF */
	{ "1994-11-06T08:49:37Z", 784111777 },
	{ "1994-11-06T08:49:37z", 784111777 },
	{ "1994-11-06T08:49:37+00:00", 784111777 },
	{ "1994-11-06T10:49:37+02:00", 784111777 },
	{ "1994-11-06T03:49:37-05:00", 784111777 },
	{ "1994-11-06T10:49:37+0200", 784111777 },
	{ "1994-11-06T10:49:37+02", 784111777 },
	{ "1994-11-06T08:49:37.5Z", 784111777 },
	{ "1994-11-06T08:49:37,123456+00:00", 784111777 },
	{ "1994-11-06 08:49:37Z", 784111777 },
	{ "1994-11-06T08:49:37", 784111777 },			/* no zone: UTC */
	{ "1994-11-06T08:49Z", 784111740 },			/* W3C-DTF hh:mm */
	{ "1994-11-06", 784080000 },
	{ "1994-11", 783648000 },
	{ "1994", 757382400 },
	{ "19941106T084937Z", 784111777 },			/* basic format */
	{ "2000-02-29T00:00:00Z", 951782400 },			/* leap day */
	{ "2003-12-31T23:59:60Z", 1072915200 },			/* leap second */
	{ "1969-12-31T23:59:59Z", -1 },
};

static const char *const bads[] = {
	"", "   ", "not a date", "yesterday", "2003-13-01", "2003-02-29", "2003-00-10",
	"2003-01-32", "2003-01-01T24:00:00Z", "2003-01-01T23:60:00Z", "2003-01-01T10:00:00+25:00",
	"Sun, 31 Feb 2003 10:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
	"Sun, 06 Nov 1994 08:61:37 GMT", "06 Nov", "Nov 1994", "1994-11-06T", "1994-11-06Tfoo",
	"12345", "1994-11-06T08:49:37Zjunk",
};

static void
date__accepted_forms__give_utc_seconds(void **state)
{
	size_t	i;
	time_t	t;

	(void)state;
	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		t = 12345;
		if (date_parse(goods[i].in, &t) != 0)
			fail_msg("rejected \"%s\"", goods[i].in);
		if ((long long)t != goods[i].want)
			fail_msg("\"%s\" gave %lld, want %lld", goods[i].in, (long long)t, goods[i].want);
	}
}

static void
date__impossible_or_garbage__rejected_and_output_untouched(void **state)
{
	size_t	i;
	time_t	t;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		t = 12345;
		if (date_parse(bads[i], &t) != -1)
			fail_msg("accepted \"%s\" as %lld", bads[i], (long long)t);
		assert_int_equal(t, 12345);
	}
	assert_int_equal(date_parse(NULL, &t), -1);
}

static void
date__result_does_not_depend_on_tz(void **state)
{
	time_t	a, b;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &a), 0);
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	assert_int_equal(date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(a, 784111777);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date__accepted_forms__give_utc_seconds),
		cmocka_unit_test(date__impossible_or_garbage__rejected_and_output_untouched),
		cmocka_unit_test(date__result_does_not_depend_on_tz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
