/*
 * test_deliver.c: deliver.c on a real loop, a real state database and a real alert log in a
 * scratch directory; the notifier is a fake (notify = no never starts it). Exactly once in the
 * log: the write-ahead positions, an alert pending at start already in the log, a log moved
 * away, settle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "conf.h"
#include "deliver.h"
#include "notify.h"
#include "store.h"
#include "util.h"

/* notify.c's functions: notify = no, so deliver.c never calls them. */
struct notifier *
notifier_new(uv_loop_t *loop, const char *app, size_t qmax, notify_done_cb cb, void *arg)
{
	(void)loop, (void)app, (void)qmax, (void)cb, (void)arg;
	fail_msg("notifier_new with notify = no");
	return NULL;
}

int
notifier_send(struct notifier *n, const char *summary, const char *body, enum notify_urgency u,
    unsigned flags, uint64_t cookie)
{
	(void)n, (void)summary, (void)body, (void)u, (void)flags, (void)cookie;
	return -1;
}

void
notifier_close(struct notifier *n, unsigned wait_ms)
{
	(void)n, (void)wait_ms;
}

struct fixture {
	char		 tmp[64];
	char		*log;		/* tmp/alerts.log */
	uv_loop_t	 loop;
	struct conf	*conf;
	struct store	*store;
	struct deliver	*dl;
	int		 idle_calls;
	const char	*rule_extra;	/* more lines for [rule r1], or NULL */
};

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Writes tmp/newswatch.conf (alert_log: log, else fx->log; extra lines in [newswatch]) and
 * loads it. */
static void
load(struct fixture *fx, const char *log, const char *extra)
{
	char	*path = xasprintf("%s/newswatch.conf", fx->tmp);
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "[newswatch]\nstate_dir = %s/state\nalert_log = %s\nnotify = no\n%s\n"
	    "[feed a]\nurl = http://127.0.0.1:9/a.xml\n"
	    "[actor Hezbollah]\naliases = Hezbollah\n"
	    "[rule r1]\nactors = Hezbollah\n%s", fx->tmp, log ? log : fx->log, extra,
	    fx->rule_extra ? fx->rule_extra : "");
	assert_int_equal(fclose(f), 0);
	if (fx->conf != NULL)
		conf_free(fx->conf);
	fx->conf = NULL;
	assert_int_equal(conf_load(path, &fx->conf, stderr), 0);
	free(path);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));

	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/nw-test-deliver.XXXXXX");
	assert_non_null(mkdtemp(fx->tmp));
	fx->log = xasprintf("%s/alerts.log", fx->tmp);
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	load(fx, NULL, "");
	fx->store = store_open(fx->conf->state_dir);
	assert_non_null(fx->store);
	*state = fx;
	return 0;
}

static void
idle_cb(void *arg)
{
	struct fixture	*fx = arg;

	fx->idle_calls++;
}

static const struct deliver_cb test_cb = { .idle_cb = idle_cb };

static void
start(struct fixture *fx)
{
	fx->dl = deliver_new(&fx->loop, fx->store, fx->conf, &test_cb, fx);
	assert_non_null(fx->dl);
}

/* Stops the deliver and checks that the loop closes cleanly. */
static void
stop(struct fixture *fx)
{
	deliver_stop(fx->dl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	deliver_free(fx->dl);
	fx->dl = NULL;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	if (fx->dl != NULL)
		stop(fx);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	store_close(fx->store);
	conf_free(fx->conf);
	nftw(fx->tmp, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
	free(fx->log);
	free(fx);
	return 0;
}

/* An alert of rule r1 from feed with this title and link (time: now). */
static void
make_alert(struct alert *a, const char *feed, const char *title, const char *link)
{
	memset(a, 0, sizeof(*a));
	a->time = time(NULL);
	a->rule = xstrdup("r1");
	a->severity = SEV_NORMAL;
	a->feed = xstrdup(feed);
	a->title = xstrdup(title);
	a->link = link ? xstrdup(link) : NULL;
}

/* Puts one alert in the outbox in its own transaction, as feed.c does; *added. */
static int
add(struct fixture *fx, const char *feed, const char *title, const char *link, const char *story)
{
	struct alert	 a;
	char		*keys[2];
	int		 added = -1;

	make_alert(&a, feed, title, link);
	keys[0] = story ? xasprintf("link:%s", story) : NULL;
	keys[1] = NULL;
	assert_int_equal(store_begin(fx->store), 0);
	assert_int_equal(deliver_outbox_add(fx->dl, &a, keys, &added), 0);
	assert_int_equal(store_commit(fx->store), 0);
	alert_free(&a);
	free(keys[0]);
	return added;
}

/* add, then the write and its fsync. */
static void
add_and_deliver(struct fixture *fx, const char *title, const char *link, const char *story)
{
	assert_int_equal(add(fx, "a", title, link, story), 1);
	deliver_kick(fx->dl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
}

/* The file's lines (at most 16) and how many there are. */
static size_t
read_lines(const char *path, char lines[16][1024])
{
	FILE	*f = fopen(path, "r");
	size_t	 n = 0;

	if (f == NULL)
		return 0;
	while (n < 16 && fgets(lines[n], 1024, f) != NULL)
		n++;
	fclose(f);
	return n;
}

static size_t
pending(struct fixture *fx, unsigned channel)
{
	size_t	n;
	time_t	oldest;

	assert_int_equal(store_alert_backlog(fx->store, channel, &n, &oldest), 0);
	return n;
}

static void
outbox__each_alert_written_once_at_its_planned_position(void **state)
{
	struct fixture	*fx = *state;
	struct alert	*a = NULL;
	char		 lines[16][1024];
	size_t		 n = 0, i;
	struct stat	 st;

	start(fx);
	assert_int_equal(add(fx, "a", "Hezbollah one", "https://example.org/1", "ex/1"), 1);
	assert_int_equal(add(fx, "a", "Hezbollah two", "https://example.org/2", "ex/2"), 1);
	deliver_kick(fx->dl);
	/* Written, not yet synced: still pending, with the write-ahead positions. */
	assert_int_equal(store_alert_pending_after(fx->store, STORE_CH_LOG, 0, 10, &a, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(stat(fx->log, &st), 0);
	assert_int_equal(a[0].logpos.off, 0);
	assert_true(a[0].logpos.len > 0);
	assert_int_equal(a[1].logpos.off, (int64_t)a[0].logpos.len);
	assert_int_equal((uint64_t)st.st_size, a[0].logpos.len + a[1].logpos.len);
	assert_int_equal(a[0].logpos.ino, (uint64_t)st.st_ino);
	assert_int_equal(deliver_idle(fx->dl), 0);
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	/* The fsync ends, the batch is marked done, the owner is told. */
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(pending(fx, STORE_CH_LOG), 0);
	assert_true(fx->idle_calls > 0);
	assert_int_equal(deliver_idle(fx->dl), 1);
	deliver_kick(fx->dl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(read_lines(fx->log, lines), 2);
	assert_non_null(strstr(lines[0], "Hezbollah one"));
	assert_non_null(strstr(lines[1], "Hezbollah two"));
}

static void
outbox__same_story_adds_also_in_not_an_alert(void **state)
{
	struct fixture	*fx = *state;
	char		 lines[16][1024];

	start(fx);
	assert_int_equal(add(fx, "a", "Hezbollah one", "https://example.org/1", "ex/1"), 1);
	assert_int_equal(add(fx, "b", "Hezbollah one", "https://example.org/1", "ex/1"), 0);
	deliver_kick(fx->dl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(read_lines(fx->log, lines), 1);
	/* Written at once (settle = 0): the copy came before the write, so it is named. */
	assert_non_null(strstr(lines[0], "(also in: b)"));
}

/*
 * A crash after the write, before the done mark: the next start finds the record at its
 * planned position and marks it done without writing it again.
 */
static void
start__pending_alert_already_in_log__not_written_again(void **state)
{
	struct fixture		*fx = *state;
	struct alert_log	*l;
	struct alert_logpos	 pos;
	struct alert		 a;
	char			 lines[16][1024];

	/* What the crashed run did: the alert in the outbox, its position, its line. */
	make_alert(&a, "a", "Hezbollah before the crash", "https://example.org/c");
	assert_int_equal(store_alert_add(fx->store, &a, STORE_CH_LOG), 0);
	l = alert_log_open(fx->log, fx->conf->alert_format);
	assert_non_null(l);
	assert_int_equal(alert_log_next(l, &pos), 0);
	assert_int_equal(alert_log_plan(l, &a, &pos), 0);
	assert_int_equal(store_alert_logpos(fx->store, a.id, &pos), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	alert_free(&a);
	assert_int_equal(pending(fx, STORE_CH_LOG), 1);

	start(fx);	/* deliver_new handles what was left pending */
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(pending(fx, STORE_CH_LOG), 0);
	assert_int_equal(read_lines(fx->log, lines), 1);
	assert_non_null(strstr(lines[0], "before the crash"));
}

/* A pending alert with no planned position (never written) is written at start. */
static void
start__pending_alert_not_in_log__written(void **state)
{
	struct fixture	*fx = *state;
	struct alert	 a;
	char		 lines[16][1024];

	make_alert(&a, "a", "Hezbollah never written", NULL);
	assert_int_equal(store_alert_add(fx->store, &a, STORE_CH_LOG), 0);
	alert_free(&a);
	start(fx);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(pending(fx, STORE_CH_LOG), 0);
	assert_int_equal(read_lines(fx->log, lines), 1);
}

/* logrotate moved the log: after deliver_reopen new records go to a new file at the path. */
static void
reopen__after_the_log_was_moved__writes_a_new_file(void **state)
{
	struct fixture	*fx = *state;
	char		 lines[16][1024];
	char		*moved = xasprintf("%s.1", fx->log);

	start(fx);
	add_and_deliver(fx, "Hezbollah first", "https://example.org/1", "ex/1");
	assert_int_equal(rename(fx->log, moved), 0);
	deliver_reopen(fx->dl);
	add_and_deliver(fx, "Hezbollah second", "https://example.org/2", "ex/2");
	assert_int_equal(read_lines(moved, lines), 1);
	assert_non_null(strstr(lines[0], "first"));
	assert_int_equal(read_lines(fx->log, lines), 1);
	assert_non_null(strstr(lines[0], "second"));
	assert_int_equal(pending(fx, STORE_CH_LOG), 0);
	free(moved);
}

/* A reload to another alert_log: the next records go there. */
static void
set_conf__new_log_path__next_records_go_there(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*old;
	char		 lines[16][1024];
	char		*other = xasprintf("%s/other.log", fx->tmp);

	start(fx);
	add_and_deliver(fx, "Hezbollah first", "https://example.org/1", "ex/1");
	old = fx->conf;
	fx->conf = NULL;
	load(fx, other, "");
	deliver_set_conf(fx->dl, fx->conf);
	conf_free(old);
	add_and_deliver(fx, "Hezbollah second", "https://example.org/2", "ex/2");
	assert_int_equal(read_lines(fx->log, lines), 1);
	assert_int_equal(read_lines(other, lines), 1);
	assert_non_null(strstr(lines[0], "second"));
	free(other);
}

/* settle: nothing is written before the alert is settle old; then it is, by the timer. */
static void
settle__alert_waits_until_due(void **state)
{
	struct fixture	*fx = *state;
	char		 lines[16][1024];
	uint64_t	 t0;

	load(fx, NULL, "settle = 1s");
	start(fx);
	assert_int_equal(add(fx, "a", "Hezbollah settling", "https://example.org/1", "ex/1"), 1);
	t0 = uv_now(&fx->loop);
	deliver_kick(fx->dl);
	assert_int_equal(read_lines(fx->log, lines), 0);
	assert_int_equal(pending(fx, STORE_CH_LOG), 1);
	assert_int_equal(deliver_idle(fx->dl), 0);
	/* A copy meanwhile is named in the one record. */
	assert_int_equal(add(fx, "b", "Hezbollah settling", "https://example.org/1", "ex/1"), 0);
	uv_run(&fx->loop, UV_RUN_DEFAULT);	/* the settle timer writes it */
	uv_update_time(&fx->loop);
	assert_true(uv_now(&fx->loop) - t0 >= 10);
	assert_int_equal(pending(fx, STORE_CH_LOG), 0);
	assert_int_equal(read_lines(fx->log, lines), 1);
	assert_non_null(strstr(lines[0], "(also in: b)"));
	assert_true(fx->idle_calls > 0);
}

/* A surge goes where the rule's alerts go: the log, and the hook with its own variables. */
static void
surge__one_record_and_one_hook_run_beside_the_items(void **state)
{
	struct fixture	*fx = *state;
	char		 lines[16][1024], *hook, *outdir, *extra, *path, text[4096];
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	size_t		 n, i, got;
	int		 items = 0, surges = 0;

	hook = xasprintf("%s/hook.sh", fx->tmp);
	outdir = xasprintf("%s/hook.out", fx->tmp);
	assert_int_equal(mkdir(outdir, 0700), 0);
	/* Hooks run at once: each writes a file of its own. */
	assert_non_null(f = fopen(hook, "w"));
	fprintf(f, "#!/bin/sh\nout=%s/$$\nprintf '%%s %%s %%s %%s ' \"$NEWSWATCH_TYPE\" "
	    "\"$NEWSWATCH_SURGE_COUNT\" \"$NEWSWATCH_SURGE_WINDOW\" \"$NEWSWATCH_SURGE_BASELINE\" "
	    "> $out\ncat >> $out\n", outdir);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(hook, 0700), 0);
	extra = xasprintf("surge = yes\nsurge_min = 3\nsurge_window = 30m\nexec = %s\n", hook);
	fx->rule_extra = extra;
	load(fx, NULL, "");
	start(fx);
	assert_int_equal(add(fx, "a", "Hezbollah one", "https://example.org/1", "ex/1"), 1);
	assert_int_equal(add(fx, "a", "Hezbollah two", "https://example.org/2", "ex/2"), 1);
	/* A copy from another feed is no new story. */
	assert_int_equal(add(fx, "b", "Hezbollah two", "https://example.org/2", "ex/2"), 0);
	assert_int_equal(add(fx, "b", "Hezbollah three", "https://example.org/3", "ex/3"), 1);
	assert_int_equal(add(fx, "a", "Hezbollah four", "https://example.org/4", "ex/4"), 1);
	deliver_kick(fx->dl);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	n = read_lines(fx->log, lines);
	assert_int_equal(n, 5);
	/* After the third story, before the fourth: the surge follows the item that made it. */
	assert_non_null(strstr(lines[2], "Hezbollah three"));
	assert_non_null(strstr(lines[3], " critical r1 {surge} 3 stories in 30m, no baseline "
	    "(top: "));
	for (i = 0; i < n; i++)
		if (i != 3)
			assert_null(strstr(lines[i], "{surge}"));
	/* Every alert ran the hook; the surge with its variables and its JSON record. */
	assert_non_null(d = opendir(outdir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", outdir, de->d_name);
		assert_non_null(f = fopen(path, "r"));
		got = fread(text, 1, sizeof(text) - 1, f);
		text[got] = '\0';
		fclose(f);
		free(path);
		if (strncmp(text, "surge 3 1800 0.00 {", 19) == 0) {
			assert_non_null(strstr(text, "\"type\":\"surge\",\"rule\":\"r1\","
			    "\"severity\":\"critical\""));
			surges++;
		} else {
			assert_true(strncmp(text, "item    {", 9) == 0);
			assert_null(strstr(text, "\"type\""));
			items++;
		}
	}
	closedir(d);
	assert_int_equal(items, 4);
	assert_int_equal(surges, 1);
	free(extra);
	free(hook);
	free(outdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    outbox__each_alert_written_once_at_its_planned_position, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    outbox__same_story_adds_also_in_not_an_alert, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    start__pending_alert_already_in_log__not_written_again, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    start__pending_alert_not_in_log__written, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    reopen__after_the_log_was_moved__writes_a_new_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    set_conf__new_log_path__next_records_go_there, setup, teardown),
		cmocka_unit_test_setup_teardown(settle__alert_waits_until_due, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    surge__one_record_and_one_hook_run_beside_the_items, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
