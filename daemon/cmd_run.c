/*
 * cmd_run.c: `newswatch run`: start-up in order (config, state, rules, fetcher, delivery, feeds),
 * signals as loop events (SIGHUP reloads, SIGUSR1 reopens the alert log, SIGTERM/SIGINT stop),
 * systemd readiness, status and watchdog, and teardown in the reverse order. It owns the loop,
 * the configuration and what the modules share; the feeds (feed.c) and the delivery (deliver.c)
 * tell it by callback when a poll ended or delivery moved on, and it decides when the run ends.
 */
#include <dlfcn.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "cmd.h"
#include "conf.h"
#include "deliver.h"
#include "feed.h"
#include "fetch.h"
#include "log.h"
#include "match.h"
#include "store.h"
#include "util.h"

/* How long a stopping daemon lets transfers in flight finish before cancelling them. */
#define STOP_GRACE_MS	3000
/* How often STATUS= is refreshed when no watchdog asks for more. */
#define STATUS_MS	10000

struct run {
	uv_loop_t	 loop;
	struct conf	*conf;
	struct store	*store;
	struct matcher	*matcher;
	struct fetcher	*fetcher;
	struct deliver	*dl;
	struct feeds	*fs;
	int		 once;		/* --once: poll each feed one time, deliver, exit */
	int		 stopping;
	uv_signal_t	 sigint, sigterm, sighup, sigusr1;
	uv_timer_t	 stop_timer;	/* ends the grace period */
	uv_timer_t	 tick;		/* STATUS=, watchdog pings, freeing removed feeds */
	uint64_t	 watchdog_usec;	/* 0: no watchdog */
	int		 today;		/* local day of alerts_base */
	uint64_t	 alerts_base;	/* alerts when that day began */
	int		 closed;	/* handles closed: the loop may end */
};

/*
 * libsystemd is loaded with dlopen, and only when systemd gave us a socket to talk to
 * (NOTIFY_SOCKET), not linked: linked, it and its own dependencies (libgcrypt, libgpg-error,
 * liblz4, libcap) were mapped into every run, 0.8 to 1 MB of resident pages, although
 * sd_notify does nothing without that socket. Loaded, libsystemd speaks the protocol exactly as
 * before; its header still declares the functions, and the pointers below are checked against
 * it. If it cannot be loaded under systemd, that is logged once and nothing is reported: the
 * unit's start timeout then fails it, and the journal says why.
 */
static struct {
	int	 tried;				/* set by the first call */
	int	(*notify)(int, const char *);	/* NULL: not under systemd, or no library */
	int	(*watchdog_enabled)(int, uint64_t *);
} sd;

_Static_assert(__builtin_types_compatible_p(__typeof__(sd.notify), __typeof__(&sd_notify)),
    "sd_notify's type");
_Static_assert(__builtin_types_compatible_p(__typeof__(sd.watchdog_enabled),
    __typeof__(&sd_watchdog_enabled)), "sd_watchdog_enabled's type");

/* Loads libsystemd on the first call if NOTIFY_SOCKET is set. 0 if sd's functions are usable. */
static int
systemd_lib(void)
{
	const char	*sock = getenv("NOTIFY_SOCKET");
	void		*dl;

	if (sd.tried)
		return sd.notify != NULL ? 0 : -1;
	sd.tried = 1;
	if (sock == NULL || sock[0] == '\0')
		return -1;
	if ((dl = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_warnx("NOTIFY_SOCKET is set but libsystemd cannot be loaded (%s): readiness "
		    "and status are not reported to systemd", dlerror());
		return -1;
	}
	/* dlsym(3)'s own idiom: POSIX lets the void * be stored into a function pointer. */
	*(void **)&sd.watchdog_enabled = dlsym(dl, "sd_watchdog_enabled");
	*(void **)&sd.notify = dlsym(dl, "sd_notify");
	if (sd.notify == NULL || sd.watchdog_enabled == NULL) {
		log_warnx("libsystemd.so.0 has no sd_notify or sd_watchdog_enabled: readiness "
		    "and status are not reported to systemd");
		sd.notify = NULL;
		return -1;
	}
	return 0;	/* kept loaded until exit */
}

/* sd_notifyf(0, fmt, ...) through the loaded library; nothing when not under systemd. */
static void __attribute__((format(printf, 1, 2)))
systemd_notify(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (systemd_lib() == -1)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	sd.notify(0, msg);
	free(msg);
}

/* The watchdog period systemd asked for in *usec, or 0: sd_watchdog_enabled(0, usec). */
static void
systemd_watchdog(uint64_t *usec)
{
	*usec = 0;
	if (systemd_lib() == -1 || sd.watchdog_enabled(0, usec) <= 0)
		*usec = 0;
}

static void
run_usage(FILE *f)
{
	fprintf(f, "usage: newswatch run [--config FILE] [--once] [-v|-q]\n"
	    "Runs the daemon in the foreground. SIGHUP reloads the configuration and reopens the\n"
	    "alert log, SIGUSR1 reopens the alert log, SIGTERM or SIGINT stop it.\n");
}

/*
 * Loads path and logs every error ("file:line: message") through log.c, so that journald gets
 * each with a priority rather than as one unprefixed block.
 */
static int
load_conf(const char *path, struct conf **out)
{
	char	*text = NULL, *line, *next;
	size_t	 len = 0;
	FILE	*mem;
	int	 rc;

	if ((mem = open_memstream(&text, &len)) == NULL)
		return conf_load(path, out, stderr);
	rc = conf_load(path, out, mem);
	if (fclose(mem) != 0) {
		free(text);
		text = NULL;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '\0')
			log_warnx("%s", line);
		if (next == NULL)
			break;
	}
	free(text);
	return rc;
}

static void
close_all(struct run *r)
{
	if (r->closed)
		return;
	r->closed = 1;
	systemd_notify("STOPPING=1");
	feeds_stop(r->fs);
	if (r->fetcher != NULL) {
		fetcher_close(r->fetcher);	/* cancelled transfers end here */
		r->fetcher = NULL;
	}
	deliver_kick(r->dl);	/* what the last transfers found reaches the log */
	deliver_stop(r->dl);
	uv_close((uv_handle_t *)&r->sigint, NULL);
	uv_close((uv_handle_t *)&r->sigterm, NULL);
	uv_close((uv_handle_t *)&r->sighup, NULL);
	uv_close((uv_handle_t *)&r->sigusr1, NULL);
	uv_close((uv_handle_t *)&r->stop_timer, NULL);
	uv_close((uv_handle_t *)&r->tick, NULL);
}

/* Called when a poll ended or delivery moved on: ends the run when all is done. */
static void
check_done(struct run *r)
{
	if (r->closed)
		return;
	if (r->stopping && !feeds_busy(r->fs)) {
		close_all(r);
		return;
	}
	if (r->once && feeds_polled(r->fs) && deliver_idle(r->dl))
		close_all(r);
}

static void
polled_cb(void *arg)
{
	check_done(arg);
}

static void
delivered_cb(void *arg)
{
	check_done(arg);
}

static const struct feeds_cb run_feeds_cb = {
	.polled_cb = polled_cb,
};

static const struct deliver_cb run_deliver_cb = {
	.idle_cb = delivered_cb,
};

static int
local_day(void)
{
	struct tm	tm;
	time_t		now = time(NULL);

	localtime_r(&now, &tm);
	return tm.tm_year * 400 + tm.tm_yday;
}

/* STATUS= for systemctl status: feeds, polls, alerts since local midnight, failing feeds. */
static void
send_status(struct run *r, const char *prefix)
{
	struct feeds_stats	 st;
	int			 day = local_day();

	feeds_stats(r->fs, &st);
	if (day != r->today) {
		r->today = day;
		r->alerts_base = st.alerts;
	}
	systemd_notify("%sSTATUS=%zu feed%s, %llu poll%s, %llu alert%s today, %zu failing",
	    prefix, st.nfeeds, plural(st.nfeeds), (unsigned long long)st.polls, plural(st.polls),
	    (unsigned long long)(st.alerts - r->alerts_base), plural(st.alerts - r->alerts_base),
	    st.failing);
}

static void
tick_cb(uv_timer_t *t)
{
	struct run	*r = t->data;

	feeds_reap(r->fs);
	/* Pinged from a loop timer, so a stuck loop stops the pings and systemd restarts us. */
	send_status(r, r->watchdog_usec > 0 ? "WATCHDOG=1\n" : "");
}

static void
stop_timer_cb(uv_timer_t *t)
{
	struct run	*r = t->data;

	log_notice("transfers still running after %d ms: cancelling them", STOP_GRACE_MS);
	close_all(r);
}

/* Settings the running daemon cannot change: say so rather than pretend. */
static void
warn_fixed(const struct conf *o, const struct conf *n)
{
	const char	*what = NULL;

	if (strcmp(o->state_dir, n->state_dir) != 0)
		what = "state_dir";
	else if (o->notify != n->notify)
		what = "notify";
	else if (o->max_transfers != n->max_transfers)
		what = "max_transfers";
	else if (o->max_host_transfers != n->max_host_transfers)
		what = "max_host_transfers";
	else if (o->timeout != n->timeout)
		what = "timeout";
	else if (o->max_feed_bytes != n->max_feed_bytes)
		what = "max_feed_size";
	if (what != NULL)
		log_notice("reload: a change of %s (and of state_dir, notify, max_transfers, "
		    "max_host_transfers, timeout, max_feed_size) takes effect at the next restart",
		    what);
}

/*
 * SIGHUP: builds the new configuration and rules; only if both are good are they swapped in.
 * Feeds are matched by name: kept feeds keep their timer, state and any transfer in flight;
 * new ones start; removed ones stop (a removed feed in flight retires until its transfer ends).
 */
static void
reload(struct run *r)
{
	struct conf	*nc = NULL, *oc = r->conf;
	struct matcher	*nm, *om = r->matcher;
	struct timespec	 ts;
	size_t		 added, removed;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	systemd_notify("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000,
	    oc->path);
	log_notice("reloading %s", oc->path);
	if (load_conf(oc->path, &nc) == -1) {
		log_warnx("reload: %s has errors; still running on the previous configuration",
		    oc->path);
		goto done;
	}
	if ((nm = matcher_new(nc)) == NULL) {
		log_warnx("reload: the rules of %s could not be compiled; still running on the "
		    "previous configuration", oc->path);
		conf_free(nc);
		goto done;
	}
	warn_fixed(oc, nc);
	feeds_reload(r->fs, nc, nm, &added, &removed);
	deliver_set_conf(r->dl, nc);
	r->conf = nc;
	r->matcher = nm;
	/* The matcher points into its configuration: free it first. */
	matcher_free(om);
	conf_free(oc);
	log_notice("reloaded %s: %zu feed%s (%zu new, %zu removed), %zu rule%s", nc->path,
	    nc->nfeeds, plural(nc->nfeeds), added, removed, nc->nrules, plural(nc->nrules));
done:
	deliver_reopen(r->dl);
	systemd_notify("READY=1");
	send_status(r, "");
}

static void
signal_cb(uv_signal_t *s, int signum)
{
	struct run	*r = s->data;

	switch (signum) {
	case SIGHUP:
		if (!r->stopping)
			reload(r);
		break;
	case SIGUSR1:
		deliver_reopen(r->dl);
		break;
	default:
		if (r->stopping) {
			close_all(r);
			break;
		}
		log_notice("%s: stopping", strsignal(signum));
		r->stopping = 1;
		/* Before feeds_stop: the polls it writes (feed.c's group) may end the run
		 * at once, and what they alerted then goes to the log only. */
		deliver_stopping(r->dl);
		feeds_stop(r->fs);	/* no poll starts; transfers in flight may finish */
		systemd_notify("STOPPING=1");
		if (!feeds_busy(r->fs))
			close_all(r);
		else
			uv_timer_start(&r->stop_timer, stop_timer_cb, STOP_GRACE_MS, 0);
		break;
	}
}

static int
start(struct run *r)
{
	struct fetch_limits	 lim;
	struct feeds_env	 env;
	struct feeds_stats	 st;
	uint64_t		 ms;

	r->store = store_open(r->conf->state_dir);
	if (r->store == NULL)
		return -1;
	r->matcher = matcher_new(r->conf);
	if (r->matcher == NULL)
		return -1;
	fetch_limits_default(&lim);
	lim.max_transfers = r->conf->max_transfers;
	lim.max_host_transfers = r->conf->max_host_transfers;
	lim.timeout = r->conf->timeout;
	lim.max_bytes = r->conf->max_feed_bytes;
	r->fetcher = fetcher_new(&r->loop, &lim);
	if (r->fetcher == NULL)
		return -1;
	if ((r->dl = deliver_new(&r->loop, r->store, r->conf, &run_deliver_cb, r)) == NULL)
		return -1;

	uv_signal_init(&r->loop, &r->sigint);
	uv_signal_init(&r->loop, &r->sigterm);
	uv_signal_init(&r->loop, &r->sighup);
	uv_signal_init(&r->loop, &r->sigusr1);
	r->sigint.data = r->sigterm.data = r->sighup.data = r->sigusr1.data = r;
	/* uv_signal_start and uv_timer_start fail only on a closing handle: these are new. */
	uv_signal_start(&r->sigint, signal_cb, SIGINT);
	uv_signal_start(&r->sigterm, signal_cb, SIGTERM);
	uv_signal_start(&r->sighup, signal_cb, SIGHUP);
	uv_signal_start(&r->sigusr1, signal_cb, SIGUSR1);
	uv_timer_init(&r->loop, &r->stop_timer);
	r->stop_timer.data = r;
	uv_timer_init(&r->loop, &r->tick);
	r->tick.data = r;
	/* Ping at half the watchdog period, as sd_watchdog_enabled(3) advises. */
	systemd_watchdog(&r->watchdog_usec);
	ms = r->watchdog_usec > 0 ? r->watchdog_usec / 2000 : STATUS_MS;
	if (ms == 0)
		ms = 1;
	if (ms > STATUS_MS)
		ms = STATUS_MS;
	uv_timer_start(&r->tick, tick_cb, ms, ms);

	memset(&env, 0, sizeof(env));
	env.loop = &r->loop;
	env.store = r->store;
	env.fetcher = r->fetcher;
	env.dl = r->dl;
	env.conf = r->conf;
	env.matcher = r->matcher;
	env.once = r->once;
	r->fs = feeds_new(&env, &run_feeds_cb, r);
	if (feeds_start(r->fs) == -1)
		return -1;
	feeds_stats(r->fs, &st);
	systemd_notify("READY=1\nSTATUS=polling %zu feed%s for %zu rule%s", st.nfeeds,
	    plural(st.nfeeds), r->conf->nrules, plural(r->conf->nrules));
	log_notice("polling %zu feed%s for %zu rule%s; alerts go to %s", st.nfeeds,
	    plural(st.nfeeds), r->conf->nrules, plural(r->conf->nrules), r->conf->alert_log);
	return 0;
}

/* Start-up failed half way: close what was made; uv_walk closes the plain handles. */
static void
abort_start(struct run *r)
{
	r->closed = 1;
	if (r->fs != NULL)
		feeds_stop(r->fs);
	if (r->fetcher != NULL)
		fetcher_close(r->fetcher);
	r->fetcher = NULL;
	if (r->dl != NULL)
		deliver_stop(r->dl);
}

static void
walk_close_cb(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/*
 * run --once: alerts still in the outbox at exit (a log that could not be written, pop-ups a
 * hung server never answered, hooks stopped) are said, per channel; the next run delivers them.
 * Their number, 0 if none or unknown.
 */
static size_t
once_backlog(struct store *s)
{
	size_t		 n, total = 0;
	time_t		 oldest;
	unsigned	 ch;

	for (ch = 1; ch <= STORE_CH_LAST; ch <<= 1) {
		if (store_alert_backlog(s, ch, &n, &oldest) == -1 || n == 0)
			continue;
		log_warnx("%zu alert%s still wait%s in the outbox for the %s: the next run "
		    "delivers %s", n, plural(n), n == 1 ? "s" : "", store_channel_name(ch),
		    n == 1 ? "it" : "them");
		total += n;
	}
	return total;
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
	struct cmd_opts	 o = { .usage = run_usage };
	struct run	*r;
	char		*path;
	int		 ch, verbosity = 0, once = 0, status;

	while ((ch = cmd_getopt(&o, argc, argv, "+c:vqh", opts)) != -1) {
		if (ch == 'o')
			once = 1;
		else if (ch == 'v')
			verbosity = 1;
		else if (ch == 'q')
			verbosity = -1;
	}
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc) {
		run_usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	log_init(verbosity);
	/* Not cmd_conf_load: the daemon's errors go through log.c, for journald (load_conf). */
	path = o.config != NULL ? xstrdup(o.config) : conf_default_path();
	cmd_opts_end(&o, 0);

	r = xcalloc(1, sizeof(*r));
	r->once = once;
	r->today = local_day();	/* alerts_base 0: today's count starts with this run */
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (load_conf(path, &r->conf) == -1) {
		free(path);
		free(r);
		return 1;
	}
	free(path);
	if (uv_loop_init(&r->loop) != 0) {
		conf_free(r->conf);
		free(r);
		return 1;
	}
	status = 0;
	if (start(r) == -1) {
		status = 1;
		abort_start(r);
	} else if (r->once) {
		check_done(r);
	}
	uv_run(&r->loop, UV_RUN_DEFAULT);
	/* Anything a failed start-up left open. */
	uv_walk(&r->loop, walk_close_cb, NULL);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&r->loop) != 0)
		log_warnx("event loop closed with handles still open");

	if (status == 0 && r->once && r->store != NULL && once_backlog(r->store) > 0)
		status = 3;
	feeds_free(r->fs);
	deliver_free(r->dl);
	if (r->matcher != NULL)
		matcher_free(r->matcher);
	if (r->store != NULL)
		store_close(r->store);
	conf_free(r->conf);
	free(r);
	if (status == 0)
		log_info("stopped");
	return status;
}
