/*
 * cmd_run.c: `newswatch run`: start-up in order (config, state, rules, fetcher, delivery, feeds),
 * signals as loop events, systemd readiness and watchdog, and teardown in the reverse order.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "cmd.h"
#include "daemon.h"
#include "log.h"
#include "util.h"

/* How long a stopping daemon lets transfers in flight finish before cancelling them. */
#define STOP_GRACE_MS	3000

struct run {
	struct daemon	 d;
	uv_loop_t	 loop;
	uv_signal_t	 sigint, sigterm, sighup, sigusr1;
	uv_timer_t	 stop_timer;	/* ends the grace period */
	uv_timer_t	 watchdog;	/* pings systemd while the loop turns */
	uint64_t	 watchdog_usec;
	int		 closed;	/* handles closed: the loop may end */
};

static void
run_usage(FILE *f)
{
	fprintf(f, "usage: newswatch run [--config FILE] [--once] [-v|-q]\n");
}

static void
close_all(struct run *r)
{
	struct daemon	*d = &r->d;
	size_t		 i;

	if (r->closed)
		return;
	r->closed = 1;
	sd_notify(0, "STOPPING=1");
	for (i = 0; i < d->nfeeds; i++)
		feed_stop(&d->feeds[i]);
	if (d->fetcher != NULL) {
		fetcher_close(d->fetcher);
		d->fetcher = NULL;
	}
	deliver_kick(d);	/* what the last transfers found reaches the log */
	deliver_stop(d);
	uv_close((uv_handle_t *)&r->sigint, NULL);
	uv_close((uv_handle_t *)&r->sigterm, NULL);
	uv_close((uv_handle_t *)&r->sighup, NULL);
	uv_close((uv_handle_t *)&r->sigusr1, NULL);
	uv_close((uv_handle_t *)&r->stop_timer, NULL);
	uv_close((uv_handle_t *)&r->watchdog, NULL);
}

static int
busy_feeds(const struct daemon *d)
{
	size_t	i;

	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i].busy)
			return 1;
	return 0;
}

void
daemon_check_done(struct daemon *d)
{
	struct run	*r = (struct run *)d;	/* d is the first member of struct run */

	if (r->closed)
		return;
	if (d->stopping && !busy_feeds(d)) {
		close_all(r);
		return;
	}
	if (d->once && d->polls_left == 0 && deliver_idle(d))
		close_all(r);
}

static void
stop_timer_cb(uv_timer_t *t)
{
	struct run	*r = t->data;

	log_notice("transfers still running after %d ms: cancelling them", STOP_GRACE_MS);
	close_all(r);
}

static void
signal_cb(uv_signal_t *s, int signum)
{
	struct run	*r = s->data;
	struct daemon	*d = &r->d;

	switch (signum) {
	case SIGHUP:
	case SIGUSR1:
		deliver_reopen(d);
		break;
	default:
		if (d->stopping) {
			close_all(r);
			break;
		}
		log_notice("%s: stopping", strsignal(signum));
		d->stopping = 1;
		sd_notify(0, "STOPPING=1");
		if (!busy_feeds(d))
			close_all(r);
		else
			uv_timer_start(&r->stop_timer, stop_timer_cb, STOP_GRACE_MS, 0);
		break;
	}
}

static void
watchdog_cb(uv_timer_t *t)
{
	struct run	*r = t->data;
	struct daemon	*d = &r->d;
	size_t		 i, failing = 0;

	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i].st.failures > 0)
			failing++;
	sd_notifyf(0, "WATCHDOG=1\nSTATUS=%zu feeds, %llu polls, %llu alerts, %zu failing",
	    d->nfeeds, (unsigned long long)d->polls, (unsigned long long)d->alerts, failing);
}

static int
start(struct run *r)
{
	struct daemon		*d = &r->d;
	struct fetch_limits	 lim;
	size_t			 i;

	d->store = store_open(d->conf->state_dir);
	if (d->store == NULL)
		return -1;
	d->matcher = matcher_new(d->conf);
	if (d->matcher == NULL)
		return -1;
	fetch_limits_default(&lim);
	lim.max_transfers = d->conf->max_transfers;
	lim.max_host_transfers = d->conf->max_host_transfers;
	lim.timeout = d->conf->timeout;
	lim.max_bytes = d->conf->max_feed_bytes;
	d->fetcher = fetcher_new(d->loop, &lim);
	if (d->fetcher == NULL)
		return -1;
	if (deliver_init(d) == -1)
		return -1;

	uv_signal_init(d->loop, &r->sigint);
	uv_signal_init(d->loop, &r->sigterm);
	uv_signal_init(d->loop, &r->sighup);
	uv_signal_init(d->loop, &r->sigusr1);
	r->sigint.data = r->sigterm.data = r->sighup.data = r->sigusr1.data = r;
	uv_signal_start(&r->sigint, signal_cb, SIGINT);
	uv_signal_start(&r->sigterm, signal_cb, SIGTERM);
	uv_signal_start(&r->sighup, signal_cb, SIGHUP);
	uv_signal_start(&r->sigusr1, signal_cb, SIGUSR1);
	uv_timer_init(d->loop, &r->stop_timer);
	r->stop_timer.data = r;
	uv_timer_init(d->loop, &r->watchdog);
	r->watchdog.data = r;
	if (sd_watchdog_enabled(0, &r->watchdog_usec) > 0 && r->watchdog_usec >= 2000) {
		/* Pinged from a loop timer, so a stuck loop stops the pings and systemd restarts us. */
		uint64_t ms = r->watchdog_usec / 2000;
		uv_timer_start(&r->watchdog, watchdog_cb, ms, ms);
	}

	d->feeds = xcalloc(d->conf->nfeeds, sizeof(*d->feeds));
	for (i = 0; i < d->conf->nfeeds; i++) {
		if (feed_init(&d->feeds[i], d, &d->conf->feeds[i]) == -1)
			return -1;
		d->nfeeds++;
	}
	d->polls_left = d->nfeeds;
	for (i = 0; i < d->nfeeds; i++)
		feed_start(&d->feeds[i]);
	sd_notifyf(0, "READY=1\nSTATUS=polling %zu feeds for %zu rules", d->nfeeds,
	    d->conf->nrules);
	log_notice("polling %zu feeds for %zu rules; alerts go to %s", d->nfeeds,
	    d->conf->nrules, d->conf->alert_log);
	return 0;
}

/* Start-up failed half way: close what was made; uv_walk closes the plain handles. */
static void
abort_start(struct run *r)
{
	struct daemon	*d = &r->d;

	r->closed = 1;
	if (d->fetcher != NULL)
		fetcher_close(d->fetcher);
	d->fetcher = NULL;
	if (d->notifier != NULL)
		notifier_close(d->notifier, 1000);
	d->notifier = NULL;
}

static void
walk_close_cb(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run	*r;
	struct daemon	*d;
	char		*path = NULL;
	int		 ch, verbosity = 0, once = 0, status;
	size_t		 i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:vqh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(path);
			path = xstrdup(optarg);
			break;
		case 'o':
			once = 1;
			break;
		case 'v':
			verbosity = 1;
			break;
		case 'q':
			verbosity = -1;
			break;
		case 'h':
			run_usage(stdout);
			free(path);
			return 0;
		default:
			run_usage(stderr);
			free(path);
			return 2;
		}
	}
	if (optind != argc) {
		run_usage(stderr);
		free(path);
		return 2;
	}
	log_init(verbosity);
	if (path == NULL)
		path = conf_default_path();

	r = xcalloc(1, sizeof(*r));
	d = &r->d;
	d->once = once;
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (conf_load(path, &d->conf, stderr) == -1) {
		free(path);
		free(r);
		return 1;
	}
	free(path);
	if (uv_loop_init(&r->loop) != 0) {
		conf_free(d->conf);
		free(r);
		return 1;
	}
	d->loop = &r->loop;
	status = 0;
	if (start(r) == -1) {
		status = 1;
		abort_start(r);
	} else if (d->once) {
		daemon_check_done(d);
	}
	uv_run(d->loop, UV_RUN_DEFAULT);
	/* Anything a failed start-up left open. */
	uv_walk(d->loop, walk_close_cb, NULL);
	uv_run(d->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(d->loop) != 0)
		log_warnx("event loop closed with handles still open");

	for (i = 0; i < d->nfeeds; i++)
		feed_free(&d->feeds[i]);
	free(d->feeds);
	if (d->log != NULL)
		alert_log_close(d->log);
	if (d->matcher != NULL)
		matcher_free(d->matcher);
	if (d->store != NULL)
		store_close(d->store);
	conf_free(d->conf);
	free(r);
	if (status == 0)
		log_info("stopped");
	return status;
}
