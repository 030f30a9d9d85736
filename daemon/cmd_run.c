/*
 * cmd_run.c: `newswatch run`: start-up in order (config, state, rules, fetcher, delivery, feeds),
 * signals as loop events (SIGHUP reloads, SIGUSR1 reopens the alert log, SIGTERM/SIGINT stop),
 * systemd readiness, status and watchdog, and teardown in the reverse order.
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
#include "daemon.h"
#include "log.h"
#include "util.h"

/* How long a stopping daemon lets transfers in flight finish before cancelling them. */
#define STOP_GRACE_MS	3000
/* How often STATUS= is refreshed when no watchdog asks for more. */
#define STATUS_MS	10000

/*
 * A feed that a reload removed while its transfer was in flight. The fetcher still holds a
 * pointer to it, so it lives on (stopped) until the transfer ends, with a copy of its
 * configuration because the configuration it came from has been freed.
 */
struct retired {
	struct retired	*next;
	struct feed	*f;
	struct conf_feed cf;
};

struct run {
	struct daemon	 d;		/* first member: daemon_check_done casts back */
	uv_loop_t	 loop;
	uv_signal_t	 sigint, sigterm, sighup, sigusr1;
	uv_timer_t	 stop_timer;	/* ends the grace period */
	uv_timer_t	 tick;		/* STATUS=, watchdog pings, freeing retired feeds */
	uint64_t	 watchdog_usec;	/* 0: no watchdog */
	struct retired	*retired;
	struct alert_log *old_log;	/* replaced by a reload, closed once no fsync uses it */
	int		 today;		/* local day of alerts_base */
	uint64_t	 alerts_base;	/* d.alerts when that day began */
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
	msg = NULL;
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL) {
		log_warnx("out of memory for a message to systemd");
		return;
	}
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
conf_feed_copy(struct conf_feed *dst, const struct conf_feed *src)
{
	size_t	i;

	memset(dst, 0, sizeof(*dst));
	dst->name = xstrdup(src->name);
	dst->url = xstrdup(src->url);
	dst->interval = src->interval;
	dst->line = src->line;
	if (src->ntags > 0) {
		dst->tags = xcalloc(src->ntags, sizeof(*dst->tags));
		for (i = 0; i < src->ntags; i++)
			dst->tags[i] = xstrdup(src->tags[i]);
		dst->ntags = src->ntags;
	}
}

static void
conf_feed_copy_free(struct conf_feed *cf)
{
	size_t	i;

	for (i = 0; i < cf->ntags; i++)
		free(cf->tags[i]);
	free(cf->tags);
	free(cf->name);
	free(cf->url);
}

/*
 * Frees retired feeds whose transfer has ended (all of them with all = 1, after the loop ended).
 * Their timers were closed in an earlier loop iteration, so libuv is done with them.
 */
static void
reap(struct run *r, int all)
{
	struct retired	**pp = &r->retired, *x;

	while ((x = *pp) != NULL) {
		if (x->f->busy && !all) {
			pp = &x->next;
			continue;
		}
		*pp = x->next;
		feed_free(x->f);
		free(x->f);
		conf_feed_copy_free(&x->cf);
		free(x);
	}
}

static void
close_all(struct run *r)
{
	struct daemon	*d = &r->d;
	size_t		 i;

	if (r->closed)
		return;
	r->closed = 1;
	systemd_notify("STOPPING=1");
	for (i = 0; i < d->nfeeds; i++)
		feed_stop(d->feeds[i]);
	if (d->fetcher != NULL) {
		fetcher_close(d->fetcher);	/* cancelled transfers end here */
		d->fetcher = NULL;
	}
	deliver_kick(d);	/* what the last transfers found reaches the log */
	deliver_stop(d);
	uv_close((uv_handle_t *)&r->sigint, NULL);
	uv_close((uv_handle_t *)&r->sigterm, NULL);
	uv_close((uv_handle_t *)&r->sighup, NULL);
	uv_close((uv_handle_t *)&r->sigusr1, NULL);
	uv_close((uv_handle_t *)&r->stop_timer, NULL);
	uv_close((uv_handle_t *)&r->tick, NULL);
}

static int
busy_feeds(const struct run *r)
{
	const struct daemon	*d = &r->d;
	const struct retired	*x;
	size_t			 i;

	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i]->busy)
			return 1;
	for (x = r->retired; x != NULL; x = x->next)
		if (x->f->busy)
			return 1;
	return 0;
}

void
daemon_check_done(struct daemon *d)
{
	struct run	*r = (struct run *)d;	/* d is the first member of struct run */

	if (r->closed)
		return;
	if (d->stopping && !busy_feeds(r)) {
		close_all(r);
		return;
	}
	if (d->once && d->polls_left == 0 && deliver_idle(d))
		close_all(r);
}

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
	struct daemon	*d = &r->d;
	size_t		 i, failing = 0;
	int		 day = local_day();

	if (day != r->today) {
		r->today = day;
		r->alerts_base = d->alerts;
	}
	for (i = 0; i < d->nfeeds; i++)
		if (d->feeds[i]->st.failures > 0)
			failing++;
	systemd_notify("%sSTATUS=%zu feed%s, %llu poll%s, %llu alert%s today, %zu failing",
	    prefix, d->nfeeds, plural(d->nfeeds), (unsigned long long)d->polls, plural(d->polls),
	    (unsigned long long)(d->alerts - r->alerts_base), plural(d->alerts - r->alerts_base),
	    failing);
}

static void
tick_cb(uv_timer_t *t)
{
	struct run	*r = t->data;

	reap(r, 0);
	if (r->old_log != NULL && !r->d.fsync_busy) {
		alert_log_close(r->old_log);
		r->old_log = NULL;
	}
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

/*
 * A feed kept across a reload takes its new configuration. Its schedule and state stay; a new
 * URL starts afresh (validators and a redirect target belonged to the old one).
 */
static void
retarget(struct feed *f, const struct conf_feed *cf)
{
	int	url_changed = strcmp(f->conf->url, cf->url) != 0;

	f->conf = cf;
	if (!url_changed)
		return;
	log_notice("feed %s: url changed to %s", cf->name, cf->url);
	free(f->st.url);
	free(f->st.etag);
	free(f->st.last_modified);
	f->st.url = f->st.etag = f->st.last_modified = NULL;
	f->st.failures = 0;
	if (f->st.gone) {
		/* The 410 was about the old address: poll the new one. */
		f->st.gone = 0;
		if (f->stopped && !f->busy && !uv_is_closing((uv_handle_t *)&f->timer)) {
			f->stopped = 0;
			feed_start(f);
		}
	}
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

/* A new alert log path or format: open the new log now, close the old one when it is idle. */
static void
switch_log(struct run *r, const struct conf *o, const struct conf *n)
{
	struct daemon		*d = &r->d;
	struct alert_log	*l;

	if (strcmp(o->alert_log, n->alert_log) == 0 && o->alert_format == n->alert_format)
		return;
	if (d->log == NULL)
		return;		/* deliver.c opens the configured path when it first writes */
	if ((l = alert_log_open(n->alert_log, n->alert_format)) == NULL) {
		log_warnx("reload: alerts go on to the previous alert log until the next reload");
		return;
	}
	if (r->old_log != NULL)
		alert_log_close(r->old_log);
	/* An fsync may be running on the old descriptor: close it from the tick timer. */
	r->old_log = d->log;
	d->log = l;
	log_notice("alerts now go to %s", n->alert_log);
}

/*
 * SIGHUP: builds the new configuration and rules; only if both are good are they swapped in.
 * Feeds are matched by name: kept feeds keep their timer, state and any transfer in flight;
 * new ones start; removed ones stop (a removed feed in flight retires until its transfer ends).
 */
static void
reload(struct run *r)
{
	struct daemon	 *d = &r->d;
	struct conf	 *nc = NULL, *oc = d->conf;
	struct matcher	 *nm, *om = d->matcher;
	struct feed	**nf, **of = d->feeds, *f;
	struct timespec	  ts;
	size_t		  i, j, nold = d->nfeeds, added = 0, removed = 0;

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

	nf = xcalloc(nc->nfeeds > 0 ? nc->nfeeds : 1, sizeof(*nf));
	for (i = 0; i < nc->nfeeds; i++) {
		for (j = 0; j < nold; j++)
			if (of[j] != NULL && strcmp(of[j]->conf->name, nc->feeds[i].name) == 0)
				break;
		if (j < nold) {
			nf[i] = of[j];
			of[j] = NULL;
			retarget(nf[i], &nc->feeds[i]);
			continue;
		}
		f = xmalloc(sizeof(*f));
		if (feed_init(f, d, &nc->feeds[i]) == -1) {
			/* Kept in the array, stopped, so teardown closes its timer as usual. */
			log_warnx("feed %s: could not load its state: not polled until the next "
			    "reload", nc->feeds[i].name);
			f->stopped = 1;
		}
		nf[i] = f;
		added++;
	}
	for (j = 0; j < nold; j++) {
		struct retired	*x;

		if ((f = of[j]) == NULL)
			continue;
		removed++;
		log_info("feed %s: removed from the configuration: polling stopped", f->conf->name);
		feed_stop(f);
		f->removed = 1;
		x = xcalloc(1, sizeof(*x));
		x->f = f;
		conf_feed_copy(&x->cf, f->conf);
		f->conf = &x->cf;
		x->next = r->retired;
		r->retired = x;
	}

	switch_log(r, oc, nc);
	d->conf = nc;
	d->matcher = nm;
	d->feeds = nf;
	d->nfeeds = nc->nfeeds;
	free(of);
	/* The matcher points into its configuration: free it first. */
	matcher_free(om);
	conf_free(oc);
	for (i = 0; i < d->nfeeds; i++)
		if (!d->feeds[i]->stopped && !d->feeds[i]->busy &&
		    !uv_is_active((uv_handle_t *)&d->feeds[i]->timer))
			feed_start(d->feeds[i]);
	log_notice("reloaded %s: %zu feed%s (%zu new, %zu removed), %zu rule%s", nc->path,
	    d->nfeeds, plural(d->nfeeds), added, removed, nc->nrules, plural(nc->nrules));
done:
	deliver_reopen(d);
	systemd_notify("READY=1");
	send_status(r, "");
}

static void
signal_cb(uv_signal_t *s, int signum)
{
	struct run	*r = s->data;
	struct daemon	*d = &r->d;

	switch (signum) {
	case SIGHUP:
		if (!d->stopping)
			reload(r);
		break;
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
		systemd_notify("STOPPING=1");
		if (!busy_feeds(r))
			close_all(r);
		else
			uv_timer_start(&r->stop_timer, stop_timer_cb, STOP_GRACE_MS, 0);
		break;
	}
}

static int
start(struct run *r)
{
	struct daemon		*d = &r->d;
	struct fetch_limits	 lim;
	uint64_t		 ms;
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
	uv_timer_init(d->loop, &r->tick);
	r->tick.data = r;
	/* Ping at half the watchdog period, as sd_watchdog_enabled(3) advises. */
	systemd_watchdog(&r->watchdog_usec);
	ms = r->watchdog_usec > 0 ? r->watchdog_usec / 2000 : STATUS_MS;
	if (ms == 0)
		ms = 1;
	if (ms > STATUS_MS)
		ms = STATUS_MS;
	uv_timer_start(&r->tick, tick_cb, ms, ms);

	d->feeds = xcalloc(d->conf->nfeeds > 0 ? d->conf->nfeeds : 1, sizeof(*d->feeds));
	for (i = 0; i < d->conf->nfeeds; i++) {
		d->feeds[i] = xmalloc(sizeof(*d->feeds[i]));
		d->nfeeds++;	/* counted now: teardown frees it even if init fails */
		if (feed_init(d->feeds[i], d, &d->conf->feeds[i]) == -1)
			return -1;
	}
	d->polls_left = d->nfeeds;
	for (i = 0; i < d->nfeeds; i++)
		feed_start(d->feeds[i]);
	systemd_notify("READY=1\nSTATUS=polling %zu feed%s for %zu rule%s", d->nfeeds,
	    plural(d->nfeeds), d->conf->nrules, plural(d->conf->nrules));
	log_notice("polling %zu feed%s for %zu rule%s; alerts go to %s", d->nfeeds,
	    plural(d->nfeeds), d->conf->nrules, plural(d->conf->nrules), d->conf->alert_log);
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
	struct run	*r;
	struct daemon	*d;
	char		*path = NULL;
	int		 ch, verbosity = 0, once = 0, status;
	size_t		 i;

	optind = 0;	/* glibc: start afresh */
	while ((ch = getopt_long(argc, argv, "+c:vqh", opts, NULL)) != -1) {
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
	r->today = local_day();	/* alerts_base 0: today's count starts with this run */
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (load_conf(path, &d->conf) == -1) {
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

	if (status == 0 && d->once && d->store != NULL && once_backlog(d->store) > 0)
		status = 3;
	for (i = 0; i < d->nfeeds; i++) {
		feed_free(d->feeds[i]);
		free(d->feeds[i]);
	}
	free(d->feeds);
	reap(r, 1);
	if (r->old_log != NULL)
		alert_log_close(r->old_log);
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
