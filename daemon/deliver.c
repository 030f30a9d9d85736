/*
 * deliver.c: drains the alert outbox. Every alert reaches the alert log (one write() per record,
 * an fsync per batch, off the loop thread) and, when notifications are on, the notifier thread.
 * An alert leaves the outbox channel by channel, only once that channel took it, so a full disk
 * or a dead notification server delays alerts but never loses them.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "util.h"

#define DELIVER_BATCH	64
#define LOG_RETRY_MS	5000

static void	deliver_notify(struct daemon *);

static void
fsync_cb(uv_fs_t *req)
{
	struct daemon	*d = req->data;

	if (req->result < 0)
		log_warnx("fsync %s: %s", d->conf->alert_log, uv_strerror((int)req->result));
	uv_fs_req_cleanup(req);
	d->fsync_busy = 0;
	if (d->fsync_again && d->log != NULL && !d->stopping) {
		d->fsync_again = 0;
		d->fsync_busy = 1;
		if (uv_fs_fsync(d->loop, &d->fsync_req, alert_log_fd(d->log), fsync_cb) != 0)
			d->fsync_busy = 0;
	}
	daemon_check_done(d);
}

/* fsync in libuv's thread pool: the loop goes on while the disk catches up. */
static void
log_sync(struct daemon *d)
{
	if (d->fsync_busy) {
		d->fsync_again = 1;
		return;
	}
	d->fsync_req.data = d;
	d->fsync_busy = 1;
	if (uv_fs_fsync(d->loop, &d->fsync_req, alert_log_fd(d->log), fsync_cb) != 0)
		d->fsync_busy = 0;
}

static void
retry_cb(uv_timer_t *t)
{
	deliver_kick(t->data);
}

static void
log_failed(struct daemon *d, size_t waiting)
{
	if (!d->log_failing)
		log_warn("cannot write the alert log %s; %zu+ alerts wait in the outbox and will "
		    "be written when it can be", d->conf->alert_log, waiting);
	d->log_failing = 1;
	if (!d->stopping)
		uv_timer_start(&d->deliver_timer, retry_cb, LOG_RETRY_MS, 0);
}

/* Writes every pending alert to the log: 0 when the outbox is empty for it, -1 on failure. */
static int
deliver_log(struct daemon *d)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;
	size_t		 written = 0;
	int		 r = 0;

	if (d->log == NULL && (d->log = alert_log_open(d->conf->alert_log,
	    d->conf->alert_format)) == NULL) {
		log_failed(d, 1);
		return -1;
	}
	for (;;) {
		if (store_alert_pending(d->store, STORE_CH_LOG, DELIVER_BATCH, &a, &n) == -1)
			return -1;
		if (n == 0)
			break;
		for (i = 0; i < n && r == 0; i++) {
			if (alert_log_write(d->log, &a[i]) == -1) {
				log_failed(d, n - i);
				r = -1;
			} else if (store_alert_done(d->store, a[i].id, STORE_CH_LOG) == -1) {
				r = -1;
			} else {
				written++;
			}
		}
		for (i = 0; i < n; i++)
			alert_free(&a[i]);
		free(a);
		a = NULL;
		if (r == -1 || n < DELIVER_BATCH)
			break;
	}
	if (written > 0) {
		if (d->log_failing)
			log_notice("alert log %s is writable again", d->conf->alert_log);
		d->log_failing = 0;
		log_sync(d);
	}
	return r;
}

static enum notify_urgency
urgency(int severity)
{
	switch (severity) {
	case SEV_LOW:
		return NOTIFY_LOW;
	case SEV_CRITICAL:
		return NOTIFY_CRITICAL;
	default:
		return NOTIFY_NORMAL;
	}
}

static void
notified_cb(void *arg, uint64_t cookie, int ok, const char *error)
{
	struct daemon	*d = arg;

	/* Notifications are best effort: a failed one is not retried (notify.c logs the
	 * failure once); the alert log always has the alert. */
	(void)ok;
	(void)error;
	if (d->notify_inflight > 0)
		d->notify_inflight--;
	if (store_alert_done(d->store, (int64_t)cookie, STORE_CH_NOTIFY) == -1)
		log_warnx("alert %llu: could not mark it notified", (unsigned long long)cookie);
	deliver_notify(d);
	daemon_check_done(d);
}

static void
deliver_notify(struct daemon *d)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;
	char		*summary, *body;

	if (d->notifier == NULL || d->stopping)
		return;
	/* Alerts handed over but not yet answered are still pending: ask past them. */
	if (store_alert_pending(d->store, STORE_CH_NOTIFY, d->notify_inflight + DELIVER_BATCH,
	    &a, &n) == -1)
		return;
	for (i = 0; i < n; i++) {
		if (a[i].id <= d->notify_upto)
			continue;
		alert_notify_text(&a[i], &summary, &body);
		if (notifier_send(d->notifier, summary, body, urgency(a[i].severity),
		    (uint64_t)a[i].id) == -1) {
			free(summary);
			free(body);
			break;	/* queue full: the done callbacks call us again */
		}
		free(summary);
		free(body);
		d->notify_upto = a[i].id;
		d->notify_inflight++;
	}
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
}

int
deliver_init(struct daemon *d)
{
	if (uv_timer_init(d->loop, &d->deliver_timer) != 0)
		return -1;
	d->deliver_timer.data = d;
	if (d->conf->notify) {
		d->notifier = notifier_new(d->loop, "newswatch", 256, notified_cb, d);
		if (d->notifier == NULL)
			log_warnx("desktop notifications are off: the notifier could not start");
	}
	if (d->notifier == NULL) {
		/* Nobody will take these: clear them so they do not wait forever. */
		struct alert	*a = NULL;
		size_t		 n = 0, i;

		while (store_alert_pending(d->store, STORE_CH_NOTIFY, DELIVER_BATCH, &a, &n) == 0 &&
		    n > 0) {
			for (i = 0; i < n; i++) {
				store_alert_done(d->store, a[i].id, STORE_CH_NOTIFY);
				alert_free(&a[i]);
			}
			free(a);
			a = NULL;
		}
		free(a);
	}
	deliver_kick(d);
	return 0;
}

void
deliver_kick(struct daemon *d)
{
	deliver_log(d);
	deliver_notify(d);
}

int
deliver_idle(struct daemon *d)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;

	if (d->fsync_busy || d->notify_inflight > 0)
		return 0;
	if (store_alert_pending(d->store, STORE_CH_LOG, 1, &a, &n) == -1)
		return 1;
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	if (n > 0 && !d->log_failing)
		return 0;
	if (d->notifier == NULL)
		return 1;
	if (store_alert_pending(d->store, STORE_CH_NOTIFY, 1, &a, &n) == -1)
		return 1;
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	return n == 0;
}

void
deliver_reopen(struct daemon *d)
{
	if (d->log == NULL || alert_log_reopen(d->log) == -1)
		log_warnx("could not reopen the alert log %s", d->conf->alert_log);
	else
		log_info("reopened the alert log %s", d->conf->alert_log);
	deliver_kick(d);
}

void
deliver_stop(struct daemon *d)
{
	uv_timer_stop(&d->deliver_timer);
	uv_close((uv_handle_t *)&d->deliver_timer, NULL);
	if (d->notifier != NULL) {
		notifier_close(d->notifier, 2000);
		d->notifier = NULL;
	}
}
