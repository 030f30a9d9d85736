/* test_surge.c: story counts, baselines and surge episodes on a real store, with a clock the test moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"
#include "surge.h"
#include "util.h"

#define HOUR	3600
#define DAY	86400
/* A fixed start: 2026-11-01T00:00:00Z. */
#define T0	((time_t)1793491200)

struct fixture {
	char			 tmp[64];
	char			*dir;
	struct store		*s;
	struct conf_rule	 rule;
	unsigned		 seq;		/* story numbers, for distinct keys */
	unsigned		 raised;	/* surge alerts so far */
	time_t			 last_surge;	/* when the last one was raised */
};

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof(*f));

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_surge.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	f->dir = xasprintf("%s/state", f->tmp);
	if ((f->s = store_open(f->dir)) == NULL)
		return -1;
	f->rule.name = "syria";
	f->rule.surge = 1;
	f->rule.surge_window = HOUR;
	f->rule.surge_min = 5;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	nftw(f->tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f->dir);
	free(f);
	return 0;
}

/*
 * One new story for the rule at now, as deliver_outbox_add handles it: the item's alert goes in
 * the outbox, then surge_note counts it, in one transaction. Returns whether a surge was raised.
 */
static int
story_at(struct fixture *f, time_t now, const char *title, const char *feed, char **also,
    size_t nalso)
{
	struct alert	 a = { 0 };
	char		*places[] = { "Aleppo" }, *actors[] = { "UN" }, *key;
	int		 raised = 0;

	a.time = now;
	a.rule = (char *)f->rule.name;
	a.severity = SEV_NORMAL;
	a.feed = (char *)feed;
	a.title = (char *)title;
	a.places = places;
	a.nplaces = 1;
	a.actors = actors;
	a.nactors = f->seq % 2;	/* every other story names the actor too */
	a.also_in = also;
	a.nalso_in = nalso;
	key = xasprintf("link:https://example.org/%u", f->seq++);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_alert_add(f->s, &a, STORE_CH_LOG), 0);
	assert_int_equal(surge_note(f->s, &f->rule, &a, key, now, STORE_CH_LOG, &raised, NULL), 0);
	assert_int_equal(store_commit(f->s), 0);
	free(key);
	if (raised) {
		f->raised++;
		f->last_surge = now;
	}
	return raised;
}

static int
story(struct fixture *f, time_t now)
{
	return story_at(f, now, "A story", "feed", NULL, 0);
}

/* A quiet week from T0: a story every 8 hours. Returns the time after it. */
static time_t
quiet_week(struct fixture *f)
{
	time_t	t;

	for (t = T0; t < T0 + 7 * DAY; t += 8 * HOUR)
		story(f, t);
	return T0 + 7 * DAY;
}

/* n stories from start, one every gap seconds; the time of the last. */
static time_t
burst(struct fixture *f, time_t start, unsigned n, unsigned gap)
{
	unsigned	i;

	for (i = 0; i < n; i++)
		story(f, start + (time_t)i * gap);
	return start + (time_t)(n - 1) * gap;
}

/* The surge alerts waiting in the outbox (for the log), into out (at most max). */
static size_t
surges_pending(struct fixture *f, struct alert *out, size_t max)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i, k = 0;

	assert_int_equal(store_alert_pending_after(f->s, STORE_CH_LOG, 0, 100000, &a, &n), 0);
	for (i = 0; i < n; i++) {
		if (a[i].type == ALERT_SURGE && k < max)
			out[k++] = a[i];
		else
			alert_free(&a[i]);
	}
	free(a);
	return k;
}

static void
baseline__flat_week__needs_more_than_the_floor(void **state)
{
	unsigned		zeros[168] = { 0 }, steady[168];
	struct surge_baseline	b;
	size_t			i;

	(void)state;
	surge_baseline(zeros, 168, &b);
	assert_int_equal(b.windows, 168);
	assert_true(b.mean == 0 && b.sd == 0);
	/* The floor on the spread: 3 stories in a flat-zero week are not "far above". */
	assert_true(surge_threshold(&b) == 3.0);
	assert_false(surge_far_above(3, &b, 1));
	assert_true(surge_far_above(4, &b, 1));
	assert_false(surge_far_above(4, &b, 5));
	assert_true(surge_far_above(5, &b, 5));
	/* A steady 16 per window: sd 0, but the spread is at least sqrt(16) = 4. */
	for (i = 0; i < 168; i++)
		steady[i] = 16;
	surge_baseline(steady, 168, &b);
	assert_true(surge_threshold(&b) == 28.0);
	assert_false(surge_far_above(28, &b, 5));
	assert_true(surge_far_above(29, &b, 5));
	/* No history: surge_min alone. */
	surge_baseline(NULL, 0, &b);
	assert_int_equal(b.windows, 0);
	assert_false(surge_far_above(4, &b, 5));
	assert_true(surge_far_above(5, &b, 5));
}

static void
surge__quiet_week_then_burst__exactly_one_alert(void **state)
{
	struct fixture	*f = *state;
	struct alert	 sg[4];
	time_t		 start;
	size_t		 n;

	start = quiet_week(f);
	assert_int_equal(f->raised, 0);
	/* Twenty stories in 40 minutes: the fifth makes the surge, the rest add to it. */
	burst(f, start, 20, 120);
	assert_int_equal(f->raised, 1);
	assert_true(f->last_surge == start + 4 * 120);
	n = surges_pending(f, sg, 4);
	assert_int_equal(n, 1);
	assert_int_equal(sg[0].severity, SEV_CRITICAL);
	assert_string_equal(sg[0].rule, "syria");
	assert_int_equal(sg[0].surge.count, 5);
	assert_int_equal(sg[0].surge.window, HOUR);
	/* The baseline: the 168 hours before, 21 stories among them. */
	assert_int_equal(sg[0].surge.windows, 168);
	assert_true(fabs(sg[0].surge.mean - 21.0 / 168) < 1e-9);
	assert_int_equal(sg[0].nplaces, 1);
	assert_string_equal(sg[0].places[0], "Aleppo");
	assert_int_equal(sg[0].surge.ntitles, 5);
	assert_int_equal(sg[0].surge.nfeeds, 1);
	alert_free(&sg[0]);
}

static void
surge__steady_high_stream__none(void **state)
{
	struct fixture	*f = *state;
	uint32_t	 lcg = 12345;
	unsigned	 i, n;
	time_t		 h;

	/* A week of 8 to 12 stories an hour while the rule has no surge = yes (it had none
	 * then: a new rule's first busy hour would be a surge, for lack of history). */
	f->rule.surge = 0;
	for (h = T0; h < T0 + 9 * DAY; h += HOUR) {
		if (h == T0 + 7 * DAY)
			f->rule.surge = 1;	/* a reload turns it on */
		lcg = lcg * 1103515245u + 12345u;
		n = 8 + (lcg >> 16) % 5;
		for (i = 0; i < n; i++)
			story(f, h + (time_t)(i * (HOUR / n)));
	}
	assert_int_equal(f->raised, 0);
	/* The same stream then doubling for an hour is a surge, once. */
	burst(f, T0 + 9 * DAY, 30, 120);
	assert_int_equal(f->raised, 1);
}

static void
surge__store_reopened_mid_burst__no_second_alert(void **state)
{
	struct fixture	*f = *state;
	time_t		 start, last;

	start = quiet_week(f);
	last = burst(f, start, 7, 120);
	assert_int_equal(f->raised, 1);
	/* A restart: the episode is in the database. */
	store_close(f->s);
	assert_non_null(f->s = store_open(f->dir));
	burst(f, last + 120, 15, 120);
	assert_int_equal(f->raised, 1);
}

static void
surge__rolled_back_transaction__raises_it_again(void **state)
{
	struct fixture	*f = *state;
	struct alert	 a = { 0 }, sg[2];
	time_t		 start;
	int		 raised = 0;

	start = quiet_week(f);
	burst(f, start, 4, 120);
	/* The fifth story's transaction dies (kill -9 before the commit): nothing of it stays. */
	a.time = start + 4 * 120;
	a.rule = "syria";
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_alert_add(f->s, &a, STORE_CH_LOG), 0);
	assert_int_equal(surge_note(f->s, &f->rule, &a, "link:lost", a.time, STORE_CH_LOG,
	    &raised, NULL), 0);
	assert_int_equal(raised, 1);
	store_rollback(f->s);
	assert_int_equal(surges_pending(f, sg, 2), 0);
	assert_int_equal(store_surge_open(f->s, "syria", NULL), 0);
	/* The poll comes again after the restart and the story raises the surge then. */
	assert_int_equal(story(f, start + 4 * 120), 1);
	assert_int_equal(surges_pending(f, sg, 2), 1);
	alert_free(&sg[0]);
}

static void
surge__falls_back_then_rises_again__second_episode(void **state)
{
	struct fixture	*f = *state;
	time_t		 start, t;

	start = quiet_week(f);
	t = burst(f, start, 12, 120);
	assert_int_equal(f->raised, 1);
	assert_int_equal(store_surge_open(f->s, "syria", NULL), 1);
	/* Quiet again: the next story finds one in its window and closes the episode. */
	story(f, t + 3 * HOUR);
	assert_int_equal(store_surge_open(f->s, "syria", NULL), 0);
	assert_int_equal(f->raised, 1);
	burst(f, t + 6 * HOUR, 12, 120);
	assert_int_equal(f->raised, 2);
}

static void
surge__no_history__surge_min_decides(void **state)
{
	struct fixture	*f = *state;

	burst(f, T0, 4, 60);
	assert_int_equal(f->raised, 0);
	story(f, T0 + 4 * 60);
	assert_int_equal(f->raised, 1);
}

static void
surge__off__counts_but_never_raises(void **state)
{
	struct fixture	*f = *state;
	unsigned	 counts[2];
	time_t		 first;

	f->rule.surge = 0;
	burst(f, T0, 50, 30);
	assert_int_equal(f->raised, 0);
	assert_int_equal(store_event_windows(f->s, "syria", T0 + 49 * 30, HOUR, counts, 2, &first),
	    0);
	assert_int_equal(counts[0], 50);
	assert_true(first == T0);
}

static void
surge__record__top_titles_are_the_widest_carried(void **state)
{
	struct fixture	*f = *state;
	char		*three[] = { "b", "c", "d" }, *one[] = { "c" };
	struct alert	 sg[2];
	time_t		 t = T0;

	story_at(f, t, "Minor", "a", NULL, 0);
	story_at(f, t + 60, "Everywhere", "a", three, 3);
	story_at(f, t + 120, "Twice", "b", one, 1);
	story_at(f, t + 180, "Minor 2", "a", NULL, 0);
	story_at(f, t + 240, "Newest", "e", NULL, 0);
	assert_int_equal(f->raised, 1);
	assert_int_equal(surges_pending(f, sg, 2), 1);
	assert_int_equal(sg[0].surge.ntitles, 5);
	assert_string_equal(sg[0].surge.titles[0], "Everywhere");
	assert_string_equal(sg[0].surge.titles[1], "Twice");
	assert_string_equal(sg[0].surge.titles[2], "Newest");
	/* Feeds by stories carried: a 3, then b and c 2 each. */
	assert_string_equal(sg[0].surge.feeds[0], "a");
	assert_int_equal(sg[0].surge.nfeeds, 5);
	assert_string_equal(sg[0].title, "Surge: 5 stories in 1h");
	alert_free(&sg[0]);
}

/* store_event_hours: what newswatch trends reads. */
struct hours {
	unsigned	aleppo, un, other;
};

static int
hours_cb(void *arg, const char *kind, const char *name, time_t hour, unsigned count)
{
	struct hours	*h = arg;

	assert_true(hour % HOUR == 0);
	if (strcmp(kind, "place") == 0 && strcmp(name, "Aleppo") == 0)
		h->aleppo += count;
	else if (strcmp(kind, "actor") == 0 && strcmp(name, "UN") == 0)
		h->un += count;
	else
		h->other += count;
	return 0;
}

static void
events__a_story_two_rules_share__counts_once_per_entity(void **state)
{
	struct fixture	*f = *state;
	struct alert	 a = { 0 };
	char		*places[] = { "Aleppo" };
	struct hours	 h = { 0 };
	int		 raised;

	a.rule = "syria";
	a.places = places;
	a.nplaces = 1;
	assert_int_equal(surge_note(f->s, NULL, &a, "link:x", T0 + 10, 0, &raised, NULL), 0);
	a.rule = "aleppo";
	assert_int_equal(surge_note(f->s, NULL, &a, "link:x", T0 + 20, 0, &raised, NULL), 0);
	assert_int_equal(surge_note(f->s, NULL, &a, "link:y", T0 + HOUR, 0, &raised, NULL), 0);
	assert_int_equal(store_event_hours(f->s, T0, T0 + DAY, NULL, hours_cb, &h), 0);
	assert_int_equal(h.aleppo, 2);
	assert_int_equal(h.other, 0);
	memset(&h, 0, sizeof(h));
	assert_int_equal(store_event_hours(f->s, T0, T0 + DAY, "syria", hours_cb, &h), 0);
	assert_int_equal(h.aleppo, 1);
	memset(&h, 0, sizeof(h));
	/* The range is [since, until). */
	assert_int_equal(store_event_hours(f->s, T0 + HOUR + 1, T0 + DAY, NULL, hours_cb, &h), 0);
	assert_int_equal(h.aleppo, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(baseline__flat_week__needs_more_than_the_floor),
		cmocka_unit_test_setup_teardown(surge__quiet_week_then_burst__exactly_one_alert, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__steady_high_stream__none, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__store_reopened_mid_burst__no_second_alert, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__rolled_back_transaction__raises_it_again, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__falls_back_then_rises_again__second_episode, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__no_history__surge_min_decides, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__off__counts_but_never_raises, setup, teardown),
		cmocka_unit_test_setup_teardown(surge__record__top_titles_are_the_widest_carried, setup, teardown),
		cmocka_unit_test_setup_teardown(events__a_story_two_rules_share__counts_once_per_entity, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
