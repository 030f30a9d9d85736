/*
 * test_feed.c: feed.c alone, on a real loop, parser, matcher and state database in a scratch
 * directory. The fetcher and the delivery are fakes: the test plays the server (headers, body,
 * end of the transfer) and counts what reaches the outbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "deliver.h"
#include "feed.h"
#include "fetch.h"
#include "match.h"
#include "store.h"
#include "store_count.h"
#include "util.h"

/* The fake fetcher: remembers the transfers started, the test ends them. */
#define TRANSFERS_MAX	8

struct transfer {
	char			*url;
	char			*etag;
	const struct fetch_cb	*cb;
	void			*arg;
};

struct fetcher {
	struct transfer	 t[TRANSFERS_MAX];
	size_t		 n;
};

int
fetch_start(struct fetcher *fe, const struct fetch_req *req, const struct fetch_cb *cb,
    void *arg)
{
	struct transfer	*t;

	assert_true(fe->n < TRANSFERS_MAX);
	t = &fe->t[fe->n++];
	t->url = xstrdup(req->url);
	t->etag = req->etag ? xstrdup(req->etag) : NULL;
	t->cb = cb;
	t->arg = arg;
	return 0;
}

/* The fake delivery: counts the alerts; fails while told to. */
struct deliver {
	size_t	added;
	size_t	kicks;
	int	fail;
};

int
deliver_outbox_add(struct deliver *dl, struct alert *a, char *const story[2], int *added)
{
	(void)a, (void)story;
	*added = 0;
	if (dl->fail)
		return -1;
	dl->added++;
	*added = 1;
	return 0;
}

void
deliver_kick(struct deliver *dl)
{
	dl->kicks++;
}

struct fixture {
	char		 tmp[64];
	uv_loop_t	 loop;
	struct conf	*conf;
	struct matcher	*matcher;
	struct store	*store;
	struct fetcher	 fetcher;
	struct deliver	 dl;
	struct feeds	*fs;
	int		 polled;
};

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Writes and loads a configuration: extra lines in [newswatch], then feeds (sections). */
static struct conf *
load(struct fixture *fx, const char *main_extra, const char *feeds)
{
	char		*path = xasprintf("%s/newswatch.conf", fx->tmp);
	FILE		*f = fopen(path, "w");
	struct conf	*c = NULL;

	assert_non_null(f);
	fprintf(f, "[newswatch]\nstate_dir = %s/state\nalert_log = %s/alerts.log\nnotify = no\n"
	    "%s\n%s\n[actor Hezbollah]\naliases = Hezbollah\n[rule r1]\nactors = Hezbollah\n",
	    fx->tmp, fx->tmp, main_extra, feeds);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, stderr), 0);
	free(path);
	return c;
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	char		*dir;

	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/nw-test-feed.XXXXXX");
	assert_non_null(mkdtemp(fx->tmp));
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	dir = xasprintf("%s/state", fx->tmp);
	fx->store = store_open(dir);
	assert_non_null(fx->store);
	free(dir);
	*state = fx;
	return 0;
}

static void
polled_cb(void *arg)
{
	struct fixture	*fx = arg;

	fx->polled++;
}

static const struct feeds_cb test_cb = { .polled_cb = polled_cb };

/* Loads the configuration, starts the feeds and runs the loop until the first polls started. */
static void
start(struct fixture *fx, int once, const char *main_extra, const char *feeds, size_t nstarted)
{
	struct feeds_env	env;

	fx->conf = load(fx, main_extra, feeds);
	fx->matcher = matcher_new(fx->conf);
	assert_non_null(fx->matcher);
	memset(&env, 0, sizeof(env));
	env.loop = &fx->loop;
	env.store = fx->store;
	env.fetcher = &fx->fetcher;
	env.dl = &fx->dl;
	env.conf = fx->conf;
	env.matcher = fx->matcher;
	env.once = once;
	fx->fs = feeds_new(&env, &test_cb, fx);
	assert_int_equal(feeds_start(fx->fs), 0);
	while (fx->fetcher.n < nstarted)
		uv_run(&fx->loop, UV_RUN_ONCE);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	size_t		 i;

	feeds_stop(fx->fs);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	feeds_free(fx->fs);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	for (i = 0; i < fx->fetcher.n; i++) {
		free(fx->fetcher.t[i].url);
		free(fx->fetcher.t[i].etag);
	}
	matcher_free(fx->matcher);
	conf_free(fx->conf);
	store_close(fx->store);
	nftw(fx->tmp, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* An RSS document of n items "<prefix> i", each with a description of size bytes. */
static char *
rss(const char *prefix, size_t n, size_t size)
{
	struct buf	b;
	size_t		i, k;

	buf_init(&b, 0);
	buf_printf(&b, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "<item><title>%s %zu</title><link>https://example.org/%s/%zu</link>"
		    "<description>", prefix, i, prefix, i);
		for (k = 0; k < size; k++)
			buf_putc(&b, (char)('a' + (k % 7 == 6 ? ' ' - 'a' : (int)(k % 26))));
		buf_printf(&b, "</description></item>");
	}
	buf_printf(&b, "</channel></rss>");
	return buf_steal(&b);
}

/* The test as the server: a 200 with body (may be NULL: headers only so far). */
static void
serve(struct transfer *t, const char *body)
{
	assert_int_equal(t->cb->header_cb(t->arg, 200, "application/rss+xml"), 0);
	if (body != NULL)
		assert_int_equal(t->cb->data_cb(t->arg, body, strlen(body)), 0);
}

/* Ends a transfer: ok with status and etag, or (ok 0) a transport error; retry_after or -1. */
static void
finish(struct transfer *t, int ok, long status, const char *etag, long retry_after)
{
	struct fetch_result	res;

	memset(&res, 0, sizeof(res));
	res.ok = ok;
	res.status = status;
	res.error = ok ? NULL : "cannot connect: connection refused";
	res.etag = etag;
	res.effective_url = t->url;
	res.retry_after = retry_after;
	res.max_age = -1;
	t->cb->done_cb(t->arg, &res);
}

/* Runs the loop until n polls have ended: a good poll that brought items ends once its group
 * is written, GROUP_DELAY_MS after the group's first poll ended (feed.c). */
static void
wait_polled(struct fixture *fx, int n)
{
	while (fx->polled < n)
		uv_run(&fx->loop, UV_RUN_ONCE);
}

/* The stored state of feed: seconds until its next poll. */
/*
 * Seconds a busy machine (or valgrind) may take between the feed setting next_poll and
 * next_poll_in reading the clock: lower bounds of the intervals below give that much.
 */
#define CLOCK_SLACK	5

static long
next_poll_in(struct fixture *fx, const char *feed, struct store_feed *st)
{
	assert_int_equal(store_feed_get(fx->store, feed, st), 1);
	return (long)(st->next_poll - time(NULL));
}

/* A preset state for feed a (before start). */
static void
preset(struct fixture *fx, unsigned failures, const char *etag)
{
	struct store_feed	st;

	memset(&st, 0, sizeof(st));
	st.failures = failures;
	st.polled = 1;
	st.etag = (char *)etag;
	assert_int_equal(store_feed_put(fx->store, "a", &st), 0);
}

static const char FEED_A[] = "[feed a]\nurl = http://127.0.0.1:9/a.xml\ninterval = 10m\n";

/* Feed a (10m) after failures failures in a row fails once more (ok 0: a transport error, else
 * the status); its stored state in *st, the seconds until its next poll returned. */
static long
fail_once(struct fixture *fx, unsigned failures, int ok, long status, long retry_after,
    struct store_feed *st)
{
	preset(fx, failures, NULL);
	start(fx, 1, "", FEED_A, 1);
	finish(&fx->fetcher.t[0], ok, status, NULL, retry_after);
	assert_int_equal(fx->polled, 1);
	return next_poll_in(fx, "a", st);
}

static void
schedule__after_a_good_poll__interval_spread_by_ten_percent(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	char			*body = rss("Hezbollah", 2, 10);
	long			 in;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_A, 1);
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 1, 200, "\"v1\"", -1);
	wait_polled(fx, 1);
	assert_true(feeds_polled(fx->fs));
	assert_false(feeds_busy(fx->fs));
	in = next_poll_in(fx, "a", &st);
	assert_in_range(in, 540 - CLOCK_SLACK, 660 + 1);
	assert_string_equal(st.etag, "\"v1\"");
	assert_int_equal(st.failures, 0);
	assert_int_equal(item_count(fx->store, "a"), 2);
	/* Polled before (preset), so both new items alerted. */
	assert_int_equal(fx->dl.added, 2);
	assert_true(fx->dl.kicks > 0);
	store_feed_clear(&st);
	free(body);
}

/* A JSON Feed is polled like RSS: its items stored and alerted, cut anywhere in transfer. */
static void
poll__json_feed__items_stored_and_alerted(void **state)
{
	static const char body[] = "\xef\xbb\xbf {\"version\": \"https://jsonfeed.org/version/1.1\", "
	    "\"title\": \"t\", \"items\": [{\"id\": 1, \"url\": \"/a/1\", \"title\": \"Hezbollah 1\"}, "
	    "{\"id\": \"2\", \"url\": \"https://example.org/a/2\", \"content_text\": \"Hezbollah 2\"}]}";
	struct fixture		*fx = *state;
	struct transfer		*t;
	struct store_feed	 st;
	size_t			 i;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_A, 1);
	t = &fx->fetcher.t[0];
	assert_int_equal(t->cb->header_cb(t->arg, 200, "application/feed+json"), 0);
	for (i = 0; i < sizeof(body) - 1; i += 7)
		assert_int_equal(t->cb->data_cb(t->arg, body + i,
		    sizeof(body) - 1 - i < 7 ? sizeof(body) - 1 - i : 7), 0);
	finish(t, 1, 200, NULL, -1);
	wait_polled(fx, 1);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_int_equal(st.failures, 0);
	assert_int_equal(item_count(fx->store, "a"), 2);
	assert_int_equal(fx->dl.added, 2);
	store_feed_clear(&st);
}

static void
backoff__doubles_per_failure(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	long			 in;

	in = fail_once(fx, 3, 0, 0, -1, &st);
	/* The fourth failure in a row: 10m * 2^3, spread by 10%. */
	assert_int_equal(st.failures, 4);
	assert_in_range(in, 4320 - CLOCK_SLACK, 5280 + 1);
	assert_non_null(st.last_error);
	store_feed_clear(&st);
}

static void
backoff__capped_at_a_day(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	long			 in;

	in = fail_once(fx, 30, 0, 0, -1, &st);
	assert_in_range(in, 86400 - 8640 - CLOCK_SLACK, 86400 + 1);
	store_feed_clear(&st);
}

static void
backoff__retry_after_is_a_floor(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	long			 in;

	in = fail_once(fx, 0, 1, 503, 7200, &st);
	/* One failure is the interval (10m), but the server asked for two hours. */
	assert_in_range(in, 7200 - CLOCK_SLACK, 7920 + 1);
	assert_int_equal(st.last_status, 503);
	store_feed_clear(&st);
}

/* A poll whose items could not be written keeps the old validators: the next poll asks for
 * the whole feed again, not a 304. */
static void
validators__kept_when_the_save_failed(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	char			*body = rss("Hezbollah", 1, 10);

	preset(fx, 0, "\"old\"");
	start(fx, 0, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\ninterval = 1s\n", 1);
	assert_string_equal(fx->fetcher.t[0].etag, "\"old\"");
	fx->dl.fail = 1;
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 1, 200, "\"new\"", -1);
	wait_polled(fx, 1);
	assert_int_equal(item_count(fx->store, "a"), 0);
	fx->dl.fail = 0;
	/* The next poll (interval 1s) asks with the old validator. */
	while (fx->fetcher.n < 2)
		uv_run(&fx->loop, UV_RUN_ONCE);
	assert_string_equal(fx->fetcher.t[1].etag, "\"old\"");
	serve(&fx->fetcher.t[1], body);
	finish(&fx->fetcher.t[1], 1, 200, "\"new\"", -1);
	wait_polled(fx, 2);
	assert_int_equal(item_count(fx->store, "a"), 1);
	next_poll_in(fx, "a", &st);
	assert_string_equal(st.etag, "\"new\"");
	store_feed_clear(&st);
	free(body);
}

/*
 * Past NEWS_HOLD_MAX (512 KiB) of held text, the feed holding the most writes its items early,
 * in their own transaction, even when another feed's item crossed the budget.
 */
static void
budget__the_biggest_holder_is_written_early(void **state)
{
	struct fixture	*fx = *state;
	char		*big = rss("bigfeed", 3, 150 * 1024);
	char		*small = rss("smallfeed", 1, 100 * 1024);

	start(fx, 1, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\n"
	    "[feed b]\nurl = http://127.0.0.1:9/b.xml\n", 2);
	serve(&fx->fetcher.t[1], big);		/* b: about 450 KiB held, under the budget */
	assert_int_equal(item_count(fx->store, "b"), 0);
	serve(&fx->fetcher.t[0], small);	/* a: over the budget; b holds the most */
	assert_int_equal(item_count(fx->store, "b"), 3);
	assert_int_equal(item_count(fx->store, "a"), 0);
	assert_true(feeds_busy(fx->fs));
	finish(&fx->fetcher.t[0], 1, 200, NULL, -1);
	finish(&fx->fetcher.t[1], 1, 200, NULL, -1);
	wait_polled(fx, 2);
	assert_int_equal(item_count(fx->store, "a"), 1);
	assert_int_equal(item_count(fx->store, "b"), 3);
	assert_true(feeds_polled(fx->fs));
	free(big);
	free(small);
}

/*
 * Polls with nothing but their state to write (304s) are written together, once no poll is in
 * flight; a poll with a new item is written at once, with the state that waits.
 */
static void
state__304s_while_others_poll__written_when_none_is_in_flight(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	char			*body = rss("news", 1, 10);

	start(fx, 1, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\n"
	    "[feed b]\nurl = http://127.0.0.1:9/b.xml\n"
	    "[feed c]\nurl = http://127.0.0.1:9/c.xml\n", 3);
	finish(&fx->fetcher.t[0], 1, 304, NULL, -1);
	assert_int_equal(fx->polled, 1);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 0);
	serve(&fx->fetcher.t[1], body);
	finish(&fx->fetcher.t[1], 1, 200, "\"b1\"", -1);
	wait_polled(fx, 2);
	assert_int_equal(item_count(fx->store, "b"), 1);
	assert_int_equal(store_feed_get(fx->store, "b", &st), 1);
	assert_string_equal(st.etag, "\"b1\"");
	store_feed_clear(&st);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 0);
	finish(&fx->fetcher.t[2], 1, 304, NULL, -1);
	assert_int_equal(fx->polled, 3);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_int_equal(st.last_status, 304);
	assert_int_equal(st.polled, 1);
	store_feed_clear(&st);
	assert_int_equal(store_feed_get(fx->store, "c", &st), 1);
	assert_int_equal(st.last_status, 304);
	store_feed_clear(&st);
	free(body);
}

/*
 * Polls that end about together are written in one transaction (the group), their alerts with
 * their items: nothing is in the outbox before, and delivery is kicked once, after it.
 */
static void
group__polls_ending_together__written_at_once_then_delivered(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	 st;
	char			*body = rss("Hezbollah", 2, 10);

	memset(&st, 0, sizeof(st));
	st.polled = 1;		/* not a first poll: the items alert */
	assert_int_equal(store_feed_put(fx->store, "a", &st), 0);
	assert_int_equal(store_feed_put(fx->store, "b", &st), 0);
	start(fx, 1, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\n"
	    "[feed b]\nurl = http://127.0.0.1:9/b.xml\n", 2);
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 1, 200, "\"a1\"", -1);
	serve(&fx->fetcher.t[1], body);
	finish(&fx->fetcher.t[1], 1, 200, "\"b1\"", -1);
	assert_int_equal(fx->polled, 0);
	assert_true(feeds_busy(fx->fs));
	assert_int_equal(item_count(fx->store, NULL), 0);
	assert_int_equal(fx->dl.added, 0);
	assert_int_equal(fx->dl.kicks, 0);
	wait_polled(fx, 2);
	assert_int_equal(item_count(fx->store, "a"), 2);
	assert_int_equal(item_count(fx->store, "b"), 2);
	assert_int_equal(fx->dl.added, 4);
	assert_int_equal(fx->dl.kicks, 1);
	assert_int_equal(store_feed_get(fx->store, "b", &st), 1);
	assert_string_equal(st.etag, "\"b1\"");
	store_feed_clear(&st);
	assert_false(feeds_busy(fx->fs));
	free(body);
}

/*
 * A known item still in its feed is marked seen again in the poll's transaction once its mark
 * is older than an eighth of the retention (30 days), so pruning keeps it; a recent mark stays.
 */
static void
touch__stale_mark_renewed_recent_one_kept(void **state)
{
	struct fixture		*fx = *state;
	struct store_known	 k;
	char			*body = rss("news", 2, 10);
	time_t			 now = time(NULL);

	start(fx, 0, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\ninterval = 1s\n", 1);
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 1, 200, NULL, -1);
	wait_polled(fx, 1);
	assert_int_equal(item_count(fx->store, "a"), 2);
	/* Marks as old polls left them: five days ago, and one day ago. */
	assert_int_equal(store_item_touch(fx->store, "a", "link:https://example.org/news/0",
	    now - 5 * 86400, NULL), 1);
	assert_int_equal(store_item_touch(fx->store, "a", "link:https://example.org/news/1",
	    now - 86400, NULL), 1);
	while (fx->fetcher.n < 2)
		uv_run(&fx->loop, UV_RUN_ONCE);
	serve(&fx->fetcher.t[1], body);
	finish(&fx->fetcher.t[1], 1, 200, NULL, -1);
	wait_polled(fx, 2);
	assert_int_equal(store_item_known(fx->store, "a", "link:https://example.org/news/0", &k), 1);
	assert_true(k.seen_at >= now);
	assert_int_equal(store_item_known(fx->store, "a", "link:https://example.org/news/1", &k), 1);
	assert_true(k.seen_at == now - 86400);
	assert_int_equal(store_prune(fx->store, now - 2 * 86400), 0);
	assert_int_equal(item_count(fx->store, "a"), 2);
	free(body);
}

/* Reloads with these feeds; the old configuration goes at once, as the run module does. */
static void
reload(struct fixture *fx, const char *feeds, size_t *added, size_t *removed)
{
	struct conf	*nc = load(fx, "", feeds);
	struct matcher	*nm = matcher_new(nc);

	assert_non_null(nm);
	feeds_reload(fx->fs, nc, nm, added, removed);
	matcher_free(fx->matcher);
	conf_free(fx->conf);
	fx->conf = nc;
	fx->matcher = nm;
}

/* n feeds' sections "[feed fK]" for K = first, first + step, ... (step may be negative). */
static char *
feed_sections(long first, long step, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_printf(&b, "[feed f%ld]\nurl = http://127.0.0.1:9/%ld.xml\n",
		    first + (long)i * step, first + (long)i * step);
	return buf_steal(&b);
}

/*
 * A reload matches old and new feeds by name (a hash of the old ones' names): of 600 feeds
 * the 300 kept are found whatever their order, 300 are added and 300 removed.
 */
static void
reload__many_feeds_reordered__kept_added_and_removed_by_name(void **state)
{
	struct fixture		*fx = *state;
	struct feeds_stats	 st;
	struct store_feed	 sf;
	char			*before = feed_sections(0, 1, 600);
	char			*after = feed_sections(899, -1, 600);	/* f899 .. f300 */
	size_t			 added, removed;

	/* A kept feed and a removed one that are failing: only the kept one still counts. */
	memset(&sf, 0, sizeof(sf));
	sf.failures = 2;
	assert_int_equal(store_feed_put(fx->store, "f450", &sf), 0);
	assert_int_equal(store_feed_put(fx->store, "f10", &sf), 0);
	start(fx, 0, "", before, 0);
	feeds_stats(fx->fs, &st);
	assert_int_equal(st.failing, 2);
	reload(fx, after, &added, &removed);
	assert_int_equal(added, 300);
	assert_int_equal(removed, 300);
	feeds_stats(fx->fs, &st);
	assert_int_equal(st.nfeeds, 600);
	assert_int_equal(st.failing, 1);
	free(before);
	free(after);
}

/* A reload removes a feed while its transfer runs: what the transfer brought is not recorded;
 * the feed is freed once its transfer ended. */
static void
reload__feed_removed_mid_transfer__records_nothing(void **state)
{
	struct fixture		*fx = *state;
	struct feeds_stats	 st;
	char			*body = rss("Hezbollah", 2, 10);
	size_t			 added, removed;

	preset(fx, 0, NULL);
	start(fx, 0, "", FEED_A, 1);
	serve(&fx->fetcher.t[0], body);
	reload(fx, "[feed b]\nurl = http://127.0.0.1:9/b.xml\n", &added, &removed);
	assert_int_equal(added, 1);
	assert_int_equal(removed, 1);
	assert_true(feeds_busy(fx->fs));
	finish(&fx->fetcher.t[0], 1, 200, "\"v\"", -1);
	assert_false(feeds_busy(fx->fs));
	feeds_reap(fx->fs);
	assert_int_equal(item_count(fx->store, "a"), 0);
	assert_int_equal(fx->dl.added, 0);
	feeds_stats(fx->fs, &st);
	assert_int_equal(st.nfeeds, 1);
	assert_int_equal(st.polls, 0);
	free(body);
}

/* ---- fetch_article: an item's page fetched before it is matched ---- */

static const char FEED_PAGES[] = "[feed a]\nurl = http://127.0.0.1:9/a.xml\ninterval = 10m\n"
    "fetch_article = yes\nmax_articles = 2\n";

/* An article page whose body names Hezbollah, and whose sidebar names nothing of interest. */
static const char PAGE[] = "<!DOCTYPE html><html><head><title>Strikes</title></head><body>"
    "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>"
    "<article><h1>Strikes reported overnight</h1>"
    "<p>Residents of the border villages said the shelling began shortly after midnight and "
    "went on for several hours, damaging houses, a school and the main road.</p>"
    "<p>Hezbollah said in a statement on Monday that its fighters had fired rockets at an army "
    "post across the border, in answer to the strikes of the previous day.</p>"
    "<p>The army said it had struck launch sites and a weapons depot, and that two of its "
    "soldiers had been lightly wounded; neither claim could be verified independently.</p>"
    "<p>Diplomats in the region warned that the exchanges, the heaviest in weeks, risked "
    "drawing in other parties, and called on both sides to show restraint.</p>"
    "</article><footer>Copyright the paper. All rights reserved.</footer></body></html>";

/* The test as the page's server: a 200 with its content type and body, then the end. */
static void
serve_page(struct transfer *t, const char *ctype, const char *body)
{
	struct fetch_result	res;

	memset(&res, 0, sizeof(res));
	if (t->cb->header_cb(t->arg, 200, ctype) == -1) {
		res.error = "aborted by callback";
	} else {
		res.ok = 1;
		res.status = 200;
		if (body != NULL)
			assert_int_equal(t->cb->data_cb(t->arg, body, strlen(body)), 0);
	}
	res.effective_url = t->url;
	res.retry_after = res.max_age = -1;
	t->cb->done_cb(t->arg, &res);
}

/*
 * An item whose feed text lacks the actor waits for its page: the poll ends, and the item is
 * written and alerts, only once the page is in, with the page's text stored for replay.
 */
static void
article__page_in__item_matched_on_it_and_stored_with_it(void **state)
{
	static const char body[] = "<rss version=\"2.0\"><channel><title>t</title><item>"
	    "<title>Strikes reported overnight</title><link>https://news.example/a/1</link>"
	    "<guid>1</guid><description>Shelling near the border.</description></item>"
	    "</channel></rss>";
	struct fixture		*fx = *state;
	struct store_feed	 st;
	char			*article = NULL;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_PAGES, 1);
	serve(&fx->fetcher.t[0], body);
	assert_int_equal(fx->fetcher.n, 2);	/* the page, asked as soon as the item closed */
	assert_string_equal(fx->fetcher.t[1].url, "https://news.example/a/1");
	finish(&fx->fetcher.t[0], 1, 200, "\"v1\"", -1);
	/* The transfer ended, the page did not: nothing written yet, the poll goes on. */
	assert_int_equal(fx->polled, 0);
	assert_true(feeds_busy(fx->fs));
	assert_int_equal(item_count(fx->store, "a"), 0);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_null(st.etag);
	store_feed_clear(&st);
	serve_page(&fx->fetcher.t[1], "text/html; charset=utf-8", PAGE);
	wait_polled(fx, 1);
	assert_false(feeds_busy(fx->fs));
	assert_int_equal(item_count(fx->store, "a"), 1);
	assert_int_equal(fx->dl.added, 1);
	assert_int_equal(store_item_get(fx->store, "a", "id:1", article_cb, &article), 1);
	assert_non_null(article);
	assert_non_null(strstr(article, "Hezbollah said in a statement"));
	assert_null(strstr(article, "All rights reserved"));
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_string_equal(st.etag, "\"v1\"");
	store_feed_clear(&st);
	free(article);
}

/* A page that fails, or is not HTML, leaves the item to be matched on the feed's text. */
static void
article__page_failed_or_not_html__matched_on_the_feed_text(void **state)
{
	char			*body = rss("Hezbollah", 2, 10);
	struct fixture		*fx = *state;
	struct fetch_result	 res;
	char			*article = NULL;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_PAGES, 1);
	serve(&fx->fetcher.t[0], body);
	assert_int_equal(fx->fetcher.n, 3);
	finish(&fx->fetcher.t[0], 1, 200, NULL, -1);
	serve_page(&fx->fetcher.t[1], "application/pdf", NULL);
	assert_int_equal(fx->polled, 0);
	memset(&res, 0, sizeof(res));
	res.ok = 1;
	res.status = 404;
	res.retry_after = res.max_age = -1;
	assert_int_equal(fx->fetcher.t[2].cb->header_cb(fx->fetcher.t[2].arg, 404, "text/html"), 0);
	fx->fetcher.t[2].cb->done_cb(fx->fetcher.t[2].arg, &res);
	wait_polled(fx, 1);
	assert_int_equal(item_count(fx->store, "a"), 2);
	assert_int_equal(fx->dl.added, 2);
	assert_int_equal(store_item_get(fx->store, "a", "link:https://example.org/Hezbollah/0",
	    article_cb, &article), 1);
	assert_null(article);
	free(body);
}

/* short: only items whose own text is under 40 words; max_articles caps the pages a poll. */
static void
article__short_and_max_articles__which_items_ask(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 0);
	buf_printf(&b, "<rss version=\"2.0\"><channel><title>t</title>");
	for (i = 0; i < 4; i++)
		buf_printf(&b, "<item><title>Item %zu</title><link>https://news.example/%zu</link>"
		    "<description>%s</description></item>", i, i, i == 1 ?
		    "one two three four five six seven eight nine ten one two three four five six "
		    "seven eight nine ten one two three four five six seven eight nine ten one two "
		    "three four five six seven eight nine ten" : "A short teaser.");
	buf_printf(&b, "</channel></rss>");
	preset(fx, 0, NULL);
	start(fx, 1, "", "[feed a]\nurl = http://127.0.0.1:9/a.xml\nfetch_article = short\n"
	    "max_articles = 2\n", 1);
	serve(&fx->fetcher.t[0], b.data);
	/* Items 0 and 2 ask; item 1 has 40 words; item 3 is over max_articles. */
	assert_int_equal(fx->fetcher.n, 3);
	assert_string_equal(fx->fetcher.t[1].url, "https://news.example/0");
	assert_string_equal(fx->fetcher.t[2].url, "https://news.example/2");
	finish(&fx->fetcher.t[0], 1, 200, NULL, -1);
	serve_page(&fx->fetcher.t[2], "text/html", PAGE);
	serve_page(&fx->fetcher.t[1], "text/html", PAGE);
	wait_polled(fx, 1);
	assert_int_equal(item_count(fx->store, "a"), 4);
	/* Only the two pages name Hezbollah. */
	assert_int_equal(fx->dl.added, 2);
	buf_free(&b);
}

/*
 * Stopping while a page is out: the fetcher's close cancels it, and the poll's items are not
 * written, nor the feed's validators: the next run fetches the feed whole and finds them.
 */
static void
article__stopped_while_a_page_is_out__nothing_recorded(void **state)
{
	char			*body = rss("Hezbollah", 1, 10);
	struct fixture		*fx = *state;
	struct fetch_result	 res;
	struct store_feed	 st;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_PAGES, 1);
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 1, 200, "\"v1\"", -1);
	feeds_stop(fx->fs);
	memset(&res, 0, sizeof(res));
	res.error = "cancelled";
	res.retry_after = res.max_age = -1;
	fx->fetcher.t[1].cb->done_cb(fx->fetcher.t[1].arg, &res);
	assert_int_equal(fx->polled, 1);
	assert_false(feeds_busy(fx->fs));
	assert_int_equal(item_count(fx->store, "a"), 0);
	assert_int_equal(fx->dl.added, 0);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_null(st.etag);
	store_feed_clear(&st);
	free(body);
}

/* The feed's transfer fails after a page was asked: nothing is written, the page ends alone. */
static void
article__transfer_failed_with_a_page_out__page_ends_harmlessly(void **state)
{
	char			*body = rss("Hezbollah", 1, 10);
	struct fixture		*fx = *state;
	struct store_feed	 st;

	preset(fx, 0, NULL);
	start(fx, 1, "", FEED_PAGES, 1);
	serve(&fx->fetcher.t[0], body);
	finish(&fx->fetcher.t[0], 0, 0, NULL, -1);
	assert_int_equal(fx->polled, 0);
	assert_int_equal(store_feed_get(fx->store, "a", &st), 1);
	assert_int_equal(st.failures, 1);
	store_feed_clear(&st);
	serve_page(&fx->fetcher.t[1], "text/html", PAGE);
	assert_int_equal(fx->polled, 1);
	assert_false(feeds_busy(fx->fs));
	assert_int_equal(item_count(fx->store, "a"), 0);
	assert_int_equal(fx->dl.added, 0);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    schedule__after_a_good_poll__interval_spread_by_ten_percent, setup, teardown),
		cmocka_unit_test_setup_teardown(poll__json_feed__items_stored_and_alerted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(backoff__doubles_per_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    state__304s_while_others_poll__written_when_none_is_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(group__polls_ending_together__written_at_once_then_delivered,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(touch__stale_mark_renewed_recent_one_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(backoff__capped_at_a_day, setup, teardown),
		cmocka_unit_test_setup_teardown(backoff__retry_after_is_a_floor, setup, teardown),
		cmocka_unit_test_setup_teardown(validators__kept_when_the_save_failed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(budget__the_biggest_holder_is_written_early, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reload__many_feeds_reordered__kept_added_and_removed_by_name,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(reload__feed_removed_mid_transfer__records_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    article__page_in__item_matched_on_it_and_stored_with_it, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    article__page_failed_or_not_html__matched_on_the_feed_text, setup, teardown),
		cmocka_unit_test_setup_teardown(article__short_and_max_articles__which_items_ask,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    article__stopped_while_a_page_is_out__nothing_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    article__transfer_failed_with_a_page_out__page_ends_harmlessly, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
