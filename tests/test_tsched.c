/* test_tsched.c: digest boundaries and quiet hours at chosen moments (TZ=UTC, and a zone with DST). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tsched.h"

/* 2026-12-06 00:00:00 UTC. */
#define DAY0	((time_t)1796515200)
#define HM(h, m)	((time_t)((h) * 3600 + (m) * 60))

static int
utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
digest__hourly__falls_on_the_hour(void **state)
{
	struct conf_target	t = { .digest = 3600 };

	(void)state;
	assert_int_equal(tsched_digest_prev(&t, DAY0 + HM(13, 25)), DAY0 + HM(13, 0));
	assert_int_equal(tsched_digest_next(&t, DAY0 + HM(13, 25)), DAY0 + HM(14, 0));
	/* A boundary is its own prev; next is the one after. */
	assert_int_equal(tsched_digest_prev(&t, DAY0 + HM(14, 0)), DAY0 + HM(14, 0));
	assert_int_equal(tsched_digest_next(&t, DAY0 + HM(14, 0)), DAY0 + HM(15, 0));
}

static void
digest__seven_hours__restarts_at_midnight(void **state)
{
	struct conf_target	t = { .digest = 7 * 3600 };

	(void)state;
	assert_int_equal(tsched_digest_prev(&t, DAY0 + HM(22, 0)), DAY0 + HM(21, 0));
	assert_int_equal(tsched_digest_next(&t, DAY0 + HM(22, 0)), DAY0 + HM(24, 0));
}

static void
digest__daily_0800__before_and_after(void **state)
{
	struct conf_target	t = { .digest_daily = 1, .digest_at = 8 * 60 };

	(void)state;
	assert_int_equal(tsched_digest_next(&t, DAY0 + HM(7, 59)), DAY0 + HM(8, 0));
	assert_int_equal(tsched_digest_prev(&t, DAY0 + HM(7, 59)), DAY0 - 86400 + HM(8, 0));
	assert_int_equal(tsched_digest_next(&t, DAY0 + HM(8, 0)), DAY0 + 86400 + HM(8, 0));
	assert_int_equal(tsched_digest_prev(&t, DAY0 + HM(8, 0)), DAY0 + HM(8, 0));
}

static void
digest__none__zero(void **state)
{
	struct conf_target	t = { 0 };

	(void)state;
	assert_int_equal(tsched_digest_prev(&t, DAY0), 0);
	assert_int_equal(tsched_digest_next(&t, DAY0), 0);
}

static void
quiet__wrapping_midnight__inside_and_after(void **state)
{
	struct conf_target	t = { .quiet = 1, .quiet_from = 22 * 60, .quiet_to = 7 * 60 };
	time_t			s, e;

	(void)state;
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(3, 0), &s, &e), 1);
	assert_int_equal(s, DAY0 - 86400 + HM(22, 0));
	assert_int_equal(e, DAY0 + HM(7, 0));
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(23, 0), &s, &e), 1);
	assert_int_equal(e, DAY0 + 86400 + HM(7, 0));
	/* The start is inside, the end not. */
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(22, 0), &s, &e), 1);
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(7, 0), &s, &e), 0);
	assert_int_equal(e, DAY0 + HM(7, 0));
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(12, 0), &s, &e), 0);
	assert_int_equal(s, DAY0 - 86400 + HM(22, 0));
	assert_int_equal(e, DAY0 + HM(7, 0));
}

static void
quiet__same_day__inside_and_after(void **state)
{
	struct conf_target	t = { .quiet = 1, .quiet_from = 9 * 60, .quiet_to = 17 * 60 };
	time_t			s, e;

	(void)state;
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(12, 0), &s, &e), 1);
	assert_int_equal(e, DAY0 + HM(17, 0));
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(20, 0), &s, &e), 0);
	assert_int_equal(e, DAY0 + HM(17, 0));
	assert_int_equal(tsched_quiet(&t, DAY0 + HM(8, 0), &s, &e), 0);
	assert_int_equal(e, DAY0 - 86400 + HM(17, 0));
}

static void
quiet__none__never(void **state)
{
	struct conf_target	t = { 0 };
	time_t			s, e;

	(void)state;
	assert_int_equal(tsched_quiet(&t, DAY0, &s, &e), 0);
	assert_int_equal(e, 0);
}

/* In a zone with summer time, daily 08:00 is 08:00 local on both sides of the change. */
static void
digest__daily_across_dst__local_time_kept(void **state)
{
	struct conf_target	t = { .digest_daily = 1, .digest_at = 8 * 60 };
	/* 2026-03-28 12:00 UTC: Saturday before Europe's change (Sunday 29 March). */
	time_t			sat = (time_t)1774699200;
	time_t			sun8, mon8;
	struct tm		tm;

	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	sun8 = tsched_digest_next(&t, sat);
	localtime_r(&sun8, &tm);
	assert_int_equal(tm.tm_hour, 8);
	assert_int_equal(tm.tm_min, 0);
	mon8 = tsched_digest_next(&t, sun8);
	localtime_r(&mon8, &tm);
	assert_int_equal(tm.tm_hour, 8);
	/* The day of the change has 23 hours. */
	assert_int_equal(mon8 - sun8, 86400);
	assert_int_equal(sun8 - tsched_digest_prev(&t, sun8 - 1), 86400 - 3600);
	utc(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digest__hourly__falls_on_the_hour),
		cmocka_unit_test(digest__seven_hours__restarts_at_midnight),
		cmocka_unit_test(digest__daily_0800__before_and_after),
		cmocka_unit_test(digest__none__zero),
		cmocka_unit_test(quiet__wrapping_midnight__inside_and_after),
		cmocka_unit_test(quiet__same_day__inside_and_after),
		cmocka_unit_test(quiet__none__never),
		cmocka_unit_test(digest__daily_across_dst__local_time_kept),
	};

	return cmocka_run_group_tests(tests, utc, NULL);
}
