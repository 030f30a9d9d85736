/*
 * deliver.c: drains the alert outbox: every alert to the alert log exactly once, pop-ups with burst
 * control, exec hooks at least once; plus the outbox's intake rules (one alert per story per rule)
 * and the daily pruning of old state.
 *
 * Exactly once in the log, across kill -9 at any moment. Before a batch is written, one
 * transaction records in the outbox where each record will land: the log file's st_dev/st_ino,
 * the offset (the file's size, then the running sum of record lengths) and the length and hash
 * of the record's bytes. Then each record goes out with one write() (O_APPEND), the batch is
 * fsynced off the loop, and one transaction marks it done. An alert found pending with a planned
 * position (a crash, or a failed write) is looked for there first: if the same file holds
 * exactly those bytes at that offset it was written and is only marked done; otherwise it is
 * written again. So a crash between write() and the done mark no longer writes the line twice.
 * Marking done only after the fsync means a power loss cannot lose a record the outbox calls
 * delivered. Limits: if the log is rotated (or truncated) between a write and the crash, the
 * record is not found in the new file and is written again there; another program appending to
 * the same file moves the offsets, with the same result. Duplicates are possible then, losses not.
 *
 * Pop-ups are best effort (the log has every alert): low and normal alerts get per rule at most
 * one per `cooldown`, and at most max_popups_per_minute between them; what is held back is
 * counted and summed up in one notification ("12 more for rule", naming the first three titles)
 * when the rule's period (or the minute) ends. Critical alerts are what the pop-ups are for, so
 * they ignore the cooldown and have a cap of their own, max_critical_popups_per_minute, counted
 * apart: a flood of normal news never folds a critical alert into a summary, and only a flood
 * of critical ones beyond their own cap does. Those counts live in memory: a crash loses a
 * pending summary, never a log line.
 *
 * Every new story of a rule is counted (surge.c) right where it enters the outbox, in the caller's
 * transaction: a rule with surge = yes may then put a surge alert in the outbox beside the
 * item's, on the same channels (critical, so its pop-up ignores the cooldown), and the episode
 * that stops a second one is committed with it.
 *
 * Hooks are a third outbox channel, marked done when the hook process has ended: a crash while a
 * hook runs runs it again at the next start (at least once).
 *
 * Push targets are channels of their own (target.c), kept in rows per alert and target rather
 * than bits of alerts.pending, since their names come and go with the configuration: an alert
 * gets its rows here, in the transaction that stores it (and a surge alert with it), and
 * target.c drains them, each target apart, so none of them can hold up the log or a pop-up.
 * Settle holds an alert sent alone to a target as it holds the log line; digests wait anyway.
 *
 * With settle > 0 an alert is delivered on no channel before its creation time + settle: meanwhile
 * a copy of its story from another feed is added to its also_in in the outbox (deliver_outbox_add),
 * so the record written carries it. Each channel takes alerts in id order and stops at the first
 * one not due (its position, log_upto and the like, only moves forward); a timer comes back for
 * it. Waiting changes nothing in the outbox, so a crash meanwhile loses and repeats nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "deliver.h"
#include "hook.h"
#include "log.h"
#include "notify.h"
#include "surge.h"
#include "target.h"
#include "util.h"

#define DELIVER_BATCH	64
#define LOG_RETRY_MS	5000
#define PRUNE_MS	(24u * 3600 * 1000)
#define HOOK_QUEUE_MAX	64
#define MINUTE_MS	60000
#define NOTIFY_STUCK_MS	3000
#define BURST_TITLES	3	/* titles a summary names; the rest are only counted */

/* Burst state of one rule (pop-ups only). */
struct burst {
	char		*rule;
	uint64_t	 until;		/* loop ms: the current period ends */
	unsigned	 more;		/* held back in this period */
	int		 severity;	/* highest held back */
	unsigned	 period;	/* seconds, for the summary text */
	char		*titles[BURST_TITLES];	/* the first ones held back */
	size_t		 ntitles;
};

/* Loop ms of the pop-ups shown in the last minute or so, oldest first. */
struct window {
	uint64_t	*t;
	size_t		 n;
};

struct deliver {
	uv_loop_t		*loop;
	struct store		*store;
	const struct conf	*conf;
	struct deliver_cb	 cb;
	void			*arg;
	int			 stopping;	/* deliver_stopping: the log only */
	int			 stopped;	/* deliver_stop: handles closed */
	/* The log: ids written and waiting for an fsync, ids the running fsync covers. */
	struct alert_log	*log;		/* opened at the first write */
	struct alert_log	*old_log;	/* replaced by a reload: closed once no fsync uses it */
	uv_timer_t		 retry_timer;	/* retries a log that could not be written */
	int			 log_failing;
	uv_fs_t			 fsync_req;
	int			 fsync_busy;	/* an fsync of the alert log is running */
	int64_t			*written;
	size_t			 nwritten, capwritten;
	int64_t			*syncing;
	size_t			 nsyncing, capsyncing;
	int64_t			 log_upto;	/* highest id written in this run: later batches
						 * start past it */
	int			 reopen_wanted;	/* a reopen waits for the fsync on the old descriptor */
	/* Pop-ups. */
	struct notifier		*notifier;	/* NULL when notify = no */
	int64_t			 notify_upto;	/* highest alert id handed to the notifier */
	size_t			 notify_inflight;
	struct burst		*bursts;
	size_t			 nbursts;
	struct window		 shown;		/* low and normal pop-ups: max_popups_per_minute */
	struct window		 shown_critical; /* critical ones: max_critical_popups_per_minute */
	uv_timer_t		 summary_timer;
	uint64_t		 notify_moved;	/* loop ms a pop-up was last sent or answered */
	/* Hooks. */
	struct hook_runner	*hooks;
	int64_t			 exec_upto;	/* highest id handed to the hooks */
	/* Settle: fires when the first alert held back is due. */
	uv_timer_t		 settle_timer;
	/* Retention. */
	uv_timer_t		 prune_timer;
	/* Push targets: each its own channel (target.h). */
	struct targets		*targets;
};

static void	deliver_notify(struct deliver *);
static void	deliver_exec(struct deliver *);

static void
burst_titles_free(struct burst *b)
{
	size_t	i;

	for (i = 0; i < b->ntitles; i++)
		free(b->titles[i]);
	b->ntitles = 0;
}

/* Tells the owner that delivery moved on by itself (see struct deliver_cb). */
static void
idle(struct deliver *dl)
{
	if (!dl->stopped && dl->cb.idle_cb != NULL)
		dl->cb.idle_cb(dl->arg);
}

static void
push_id(int64_t **v, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : DELIVER_BATCH;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = id;
}

/* Marks ids done on channel in one transaction. */
static void
mark_done(struct deliver *dl, const int64_t *ids, size_t n, unsigned channel)
{
	size_t	i;
	int	r = 0;

	if (n == 0)
		return;
	if (store_begin(dl->store) == -1)
		return;
	for (i = 0; i < n && r == 0; i++)
		r = store_alert_done(dl->store, ids[i], channel);
	if (r == -1 || store_commit(dl->store) == -1) {
		store_rollback(dl->store);
		/* They stay pending with their position: the next start finds them written. */
		log_warnx("could not mark %zu alert%s as written to the log", n, plural(n));
	}
}

static void	log_sync(struct deliver *);
static int	deliver_log(struct deliver *);

static void
do_reopen(struct deliver *dl)
{
	if (dl->log == NULL || alert_log_reopen(dl->log) == -1)
		log_warnx("could not reopen the alert log %s", dl->conf->alert_log);
	else
		log_info("reopened the alert log %s", dl->conf->alert_log);
}

static void
fsync_cb(uv_fs_t *req)
{
	struct deliver	*dl = req->data;

	if (req->result < 0)
		log_warnx("fsync %s: %s: the last %zu alerts may not survive a power failure",
		    dl->conf->alert_log, uv_strerror((int)req->result), dl->nsyncing);
	uv_fs_req_cleanup(req);
	dl->fsync_busy = 0;
	mark_done(dl, dl->syncing, dl->nsyncing, STORE_CH_LOG);
	dl->nsyncing = 0;
	if (dl->reopen_wanted) {
		dl->reopen_wanted = 0;
		do_reopen(dl);
		/* What waited for the reopen goes to the new file now. */
		deliver_log(dl);
	}
	/* A log a reload replaced: the fsync that may have used it is over. */
	if (dl->old_log != NULL && !dl->fsync_busy) {
		alert_log_close(dl->old_log);
		dl->old_log = NULL;
	}
	if (dl->nwritten > 0 && dl->log != NULL)
		log_sync(dl);
	idle(dl);
}

/* fsync in libuv's thread pool, then the done mark: the loop goes on while the disk catches up. */
static void
log_sync(struct deliver *dl)
{
	int64_t		*t;
	size_t		 c;

	if (dl->fsync_busy || dl->nwritten == 0)
		return;	/* fsync_cb starts the next one */
	/* What was written so far is what this fsync covers. */
	t = dl->syncing;
	c = dl->capsyncing;
	dl->syncing = dl->written;
	dl->capsyncing = dl->capwritten;
	dl->nsyncing = dl->nwritten;
	dl->written = t;
	dl->capwritten = c;
	dl->nwritten = 0;
	dl->fsync_req.data = dl;
	dl->fsync_busy = 1;
	if (uv_fs_fsync(dl->loop, &dl->fsync_req, alert_log_fd(dl->log), fsync_cb) != 0) {
		dl->fsync_busy = 0;
		mark_done(dl, dl->syncing, dl->nsyncing, STORE_CH_LOG);
		dl->nsyncing = 0;
	}
}

static void
retry_cb(uv_timer_t *t)
{
	deliver_kick(t->data);
	idle(t->data);
}

/*
 * How many of the alerts a[0..n) (in id order) are due: those before the first one created less
 * than settle ago. The others are freed, and the settle timer is armed for the first of them.
 */
static size_t
settled(struct deliver *dl, struct alert *a, size_t n)
{
	time_t		 now, due;
	uint64_t	 ms;
	size_t		 i, k;

	if (dl->conf->settle == 0 || n == 0)
		return n;
	now = time(NULL);
	for (k = 0; k < n && a[k].time + (time_t)dl->conf->settle <= now; k++)
		;
	if (k < n && !dl->stopped) {
		due = a[k].time + (time_t)dl->conf->settle;
		/* Whole seconds (time() is), plus a little so the time has come when it fires. */
		ms = (uint64_t)(due - now) * 1000 + 20;
		if (!uv_is_active((uv_handle_t *)&dl->settle_timer) ||
		    uv_timer_get_due_in(&dl->settle_timer) > ms)
			uv_timer_start(&dl->settle_timer, retry_cb, ms, 0);
	}
	for (i = k; i < n; i++)
		alert_free(&a[i]);
	return k;
}

static void
log_failed(struct deliver *dl, size_t waiting)
{
	if (!dl->log_failing)
		log_warn("cannot write the alert log %s; %zu+ alerts wait in the outbox and will "
		    "be written when it can be", dl->conf->alert_log, waiting);
	dl->log_failing = 1;
	if (!dl->stopping && !dl->stopped)
		uv_timer_start(&dl->retry_timer, retry_cb, LOG_RETRY_MS, 0);
}

/*
 * One batch: alerts already at their planned position are marked done; the others get a
 * position (one transaction) and are written in id order, stopping at the first failure.
 * Returns the number of alerts looked at, or -1 when the log cannot be written.
 */
static int
log_batch(struct deliver *dl, size_t *nwrote)
{
	struct alert		*a = NULL;
	struct alert_logpos	 next, pos;
	int64_t			*found = NULL;
	size_t			 n = 0, i, nfound = 0, capfound = 0;
	char			*todo;
	int			 r = 0;

	if (store_alert_pending_after(dl->store, STORE_CH_LOG, dl->log_upto, DELIVER_BATCH,
	    &a, &n) == -1)
		return -1;
	if ((n = settled(dl, a, n)) == 0) {
		free(a);
		return 0;
	}
	todo = xcalloc(n, 1);
	for (i = 0; i < n; i++) {
		if (a[i].logpos.len > 0 && alert_log_check(dl->log, &a[i].logpos) == 1)
			push_id(&found, &nfound, &capfound, a[i].id);
		else
			todo[i] = 1;
	}
	if (nfound > 0)
		log_notice("%zu alert%s written to %s before a crash: not written again",
		    nfound, nfound == 1 ? " was" : "s were", dl->conf->alert_log);

	/* The write-ahead: every position is recorded before the first byte is written. */
	if (alert_log_next(dl->log, &next) == -1 || store_begin(dl->store) == -1) {
		r = -1;
		goto out;
	}
	for (i = 0; i < n && r == 0; i++) {
		if (!todo[i])
			continue;
		pos = next;
		if (alert_log_plan(dl->log, &a[i], &pos) == -1) {
			/* Only a config with thousands of matches gets here; keeping it pending
			 * would block the log for ever. */
			log_warnx("alert %lld (rule %s) does not fit in a log record: left out of "
			    "the log", (long long)a[i].id, a[i].rule);
			todo[i] = 0;
			r = store_alert_done(dl->store, a[i].id, STORE_CH_LOG);
			continue;
		}
		next.off += (int64_t)pos.len;
		r = store_alert_logpos(dl->store, a[i].id, &pos);
	}
	for (i = 0; i < nfound && r == 0; i++)
		r = store_alert_done(dl->store, found[i], STORE_CH_LOG);
	if (r == -1 || store_commit(dl->store) == -1) {
		store_rollback(dl->store);
		r = -1;
		goto out;
	}

	for (i = 0; i < n; i++) {
		if (!todo[i])
			continue;
		if (alert_log_write(dl->log, &a[i]) == -1) {
			log_failed(dl, n - i);
			r = -1;
			break;
		}
		push_id(&dl->written, &dl->nwritten, &dl->capwritten, a[i].id);
		(*nwrote)++;
	}
	/* The next batch starts past what this one wrote or found; an alert whose write failed
	 * is looked for at its position, then planned again, on the next try. */
	if (i > 0)
		dl->log_upto = a[i - 1].id;
	if (r == 0)
		r = (int)n;
out:
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	free(todo);
	free(found);
	return r;
}

/* Writes every pending alert to the log: 0 when the outbox is empty for it, -1 on failure. */
static int
deliver_log(struct deliver *dl)
{
	size_t	wrote = 0;
	int	r;

	if (dl->log == NULL && (dl->log = alert_log_open(dl->conf->alert_log,
	    dl->conf->alert_format)) == NULL) {
		log_failed(dl, 1);
		return -1;
	}
	/* Someone deleted the log (or put another file at its path): a record written to the
	 * old descriptor would reach no reader, so write to a new file at the path instead. */
	if (!dl->reopen_wanted && alert_log_gone(dl->log) == 1) {
		log_notice("the alert log %s was deleted or replaced: writing to a new file there",
		    dl->conf->alert_log);
		if (dl->fsync_busy) {
			dl->reopen_wanted = 1;	/* fsync_cb reopens, then writes */
			return 0;
		}
		do_reopen(dl);
	}
	while ((r = log_batch(dl, &wrote)) == DELIVER_BATCH)
		;
	if (wrote > 0) {
		if (dl->log_failing)
			log_notice("alert log %s is writable again", dl->conf->alert_log);
		dl->log_failing = 0;
		log_sync(dl);
	}
	return r == -1 ? -1 : 0;
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
	struct deliver	*dl = arg;

	/* Notifications are best effort: a failed one is not retried (notify.c logs the
	 * failure once); the alert log always has the alert. Cookie 0 is a summary. */
	(void)ok;
	(void)error;
	if (dl->notify_inflight > 0)
		dl->notify_inflight--;
	dl->notify_moved = uv_now(dl->loop);
	if (cookie != 0 && store_alert_done(dl->store, (int64_t)cookie, STORE_CH_NOTIFY) == -1)
		log_warnx("alert %llu: could not mark it notified", (unsigned long long)cookie);
	deliver_notify(dl);
	idle(dl);
}

static const struct conf_rule *
find_rule(const struct conf *c, const char *name)
{
	return name != NULL ? conf_rule_find(c, name) : NULL;
}

static struct burst *
burst_of(struct deliver *dl, const char *rule)
{
	size_t	i;

	for (i = 0; i < dl->nbursts; i++)
		if (strcmp(dl->bursts[i].rule, rule) == 0)
			return &dl->bursts[i];
	dl->bursts = xreallocarray(dl->bursts, dl->nbursts + 1, sizeof(*dl->bursts));
	memset(&dl->bursts[dl->nbursts], 0, sizeof(*dl->bursts));
	dl->bursts[dl->nbursts].rule = xstrdup(rule);
	return &dl->bursts[dl->nbursts++];
}

/* Pop-ups of window w shown in the last minute (older ones are forgotten). */
static size_t
shown_recently(struct window *w, uint64_t now)
{
	size_t	k = 0;

	while (k < w->n && w->t[k] + MINUTE_MS <= now)
		k++;
	if (k > 0) {
		memmove(w->t, w->t + k, (w->n - k) * sizeof(*w->t));
		w->n -= k;
	}
	return w->n;
}

/* Counts a pop-up shown now. Only pop-ups under the cap are shown, so a window holds at most
 * a minute's worth: 1000, the highest cap. */
static void
shown_add(struct window *w, uint64_t now)
{
	w->t = xreallocarray(w->t, w->n + 1, sizeof(*w->t));
	w->t[w->n++] = now;
}

static void	summary_cb(uv_timer_t *);

/* Arms the summary timer for the earliest period with alerts held back. */
static void
arm_summary(struct deliver *dl, uint64_t now)
{
	uint64_t	when = 0;
	size_t		i;

	for (i = 0; i < dl->nbursts; i++)
		if (dl->bursts[i].more > 0 && (when == 0 || dl->bursts[i].until < when))
			when = dl->bursts[i].until;
	if (when != 0 && !dl->stopped)
		uv_timer_start(&dl->summary_timer, summary_cb, when > now ? when - now : 0, 0);
}

/* The window and cap an alert's pop-up counts against: critical ones apart from the rest. */
static struct window *
window_of(struct deliver *dl, const struct alert *a, unsigned *cap)
{
	if (a->severity == SEV_CRITICAL) {
		*cap = dl->conf->max_critical_popups_per_minute;
		return &dl->shown_critical;
	}
	*cap = dl->conf->max_popups_per_minute;
	return &dl->shown;
}

/*
 * 1 if a pop-up for this alert is to be held back (and counted for the summary). A critical
 * alert ignores the rule's cooldown (neither held by it nor starting it): only its own cap
 * holds it back.
 */
static int
hold_back(struct deliver *dl, const struct alert *a, uint64_t now)
{
	const struct conf_rule	*rule = find_rule(dl->conf, a->rule);
	struct burst		*b = burst_of(dl, a->rule ? a->rule : "?");
	unsigned		 cap;
	struct window		*w = window_of(dl, a, &cap);
	uint64_t		 cooldown = rule ? (uint64_t)rule->cooldown * 1000 : 0;

	if (a->severity == SEV_CRITICAL)
		cooldown = 0;
	if (cooldown > 0 && b->until > now) {
		b->more++;
	} else if (cap > 0 && shown_recently(w, now) >= cap) {
		/* Over the cap: summed up when the minute frees a slot, or at the end of the
		 * rule's own period if that comes later. */
		if (b->more == 0 || b->until < w->t[0] + MINUTE_MS)
			b->until = b->until > now ? b->until : w->t[0] + MINUTE_MS;
		b->more++;
		b->period = rule ? rule->cooldown : 0;
	} else {
		if (cooldown > 0) {
			b->until = now + cooldown;
			b->period = rule->cooldown;
		}
		return 0;
	}
	if (a->severity > b->severity || b->more == 1)
		b->severity = a->severity;
	if (b->ntitles < BURST_TITLES && a->title != NULL && *a->title != '\0')
		b->titles[b->ntitles++] = xstrdup(a->title);
	arm_summary(dl, now);
	return 1;
}

/* Flags for a pop-up of this severity: critical ones stay up only when sticky_critical is set. */
static unsigned
popup_flags(const struct deliver *dl, int severity)
{
	return severity == SEV_CRITICAL && dl->conf->sticky_critical ? NOTIFY_STICKY : 0;
}

static void
summary_cb(uv_timer_t *t)
{
	struct deliver	*dl = t->data;
	uint64_t	 now = uv_now(dl->loop);
	const struct conf_rule *rule;
	char		*summary, *body;
	size_t		 i;

	if (dl->notifier == NULL || dl->stopped)
		return;
	for (i = 0; i < dl->nbursts; i++) {
		struct burst *b = &dl->bursts[i];

		if (b->more == 0 || b->until > now)
			continue;
		alert_notify_summary(b->rule, b->more, b->period, dl->conf->alert_log,
		    (const char *const *)b->titles, b->ntitles, &summary, &body);
		if (notifier_send(dl->notifier, summary, body, urgency(b->severity),
		    popup_flags(dl, b->severity), 0) == -1) {
			free(summary);
			free(body);
			b->until = now + 1000;	/* queue full: in a second */
			continue;
		}
		free(summary);
		free(body);
		dl->notify_inflight++;
		log_info("rule %s: %u pop-ups held back, summed up in one", b->rule, b->more);
		b->more = 0;
		burst_titles_free(b);
		/* The summary is this period's pop-up: the next alert waits for the next one. */
		rule = find_rule(dl->conf, b->rule);
		b->until = rule && rule->cooldown ? now + (uint64_t)rule->cooldown * 1000 : now;
	}
	arm_summary(dl, now);
}

static void
deliver_notify(struct deliver *dl)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;
	uint64_t	 now;
	unsigned	 cap;
	char		*summary, *body;

	if (dl->notifier == NULL || dl->stopping || dl->stopped)
		return;
	if (store_alert_pending_after(dl->store, STORE_CH_NOTIFY, dl->notify_upto, DELIVER_BATCH,
	    &a, &n) == -1)
		return;
	n = settled(dl, a, n);
	now = uv_now(dl->loop);
	for (i = 0; i < n; i++) {
		if (hold_back(dl, &a[i], now)) {
			/* Counted for the summary pop-up. Should the mark fail (the store has
			 * said why), the alert is only offered again at the next start. */
			(void)store_alert_done(dl->store, a[i].id, STORE_CH_NOTIFY);
			dl->notify_upto = a[i].id;
			continue;
		}
		alert_notify_text(&a[i], &summary, &body);
		if (notifier_send(dl->notifier, summary, body, urgency(a[i].severity),
		    popup_flags(dl, a[i].severity), (uint64_t)a[i].id) == -1) {
			free(summary);
			free(body);
			break;	/* queue full: the done callbacks call us again */
		}
		free(summary);
		free(body);
		shown_add(window_of(dl, &a[i], &cap), now);
		dl->notify_upto = a[i].id;
		dl->notify_inflight++;
		dl->notify_moved = now;
	}
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
}

static void
hook_finished_cb(void *arg, uint64_t cookie)
{
	struct deliver	*dl = arg;

	if (store_alert_done(dl->store, (int64_t)cookie, STORE_CH_EXEC) == -1)
		log_warnx("alert %llu: could not mark its hook done", (unsigned long long)cookie);
	deliver_exec(dl);
	idle(dl);
}

/* Hands pending hook runs to the runner; what it cannot take (queue full) is dropped. */
static void
deliver_exec(struct deliver *dl)
{
	const struct conf_rule	*rule;
	struct alert		*a = NULL;
	size_t			 n = 0, i, k;
	int			 more = 1;

	if (dl->stopped || dl->stopping)
		return;
	for (;;) {
		if (store_alert_pending_after(dl->store, STORE_CH_EXEC, dl->exec_upto,
		    DELIVER_BATCH, &a, &n) == -1)
			break;
		if ((k = settled(dl, a, n)) < n) {
			/* Hold the rest back: this pass ends after the due ones. */
			n = k;
			more = 0;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			dl->exec_upto = a[i].id;
			rule = find_rule(dl->conf, a[i].rule);
			if (rule == NULL || rule->exec == NULL) {
				/* The rule lost its hook in a reload. A failed mark (logged by
				 * the store) leaves it for the next start, which drops it again. */
				(void)store_alert_done(dl->store, a[i].id, STORE_CH_EXEC);
				continue;
			}
			if (dl->hooks == NULL)
				dl->hooks = hook_runner_new(dl->loop, dl->conf->exec_max,
				    HOOK_QUEUE_MAX, dl->conf->exec_timeout, hook_finished_cb, dl);
			hook_runner_limits(dl->hooks, dl->conf->exec_max, dl->conf->exec_timeout);
			/* hook_run logged why the hook could not start: the alert leaves
			 * the channel (a failed mark only delays that to the next start). */
			if (hook_run(dl->hooks, rule->exec, &a[i], (uint64_t)a[i].id) == -1)
				(void)store_alert_done(dl->store, a[i].id, STORE_CH_EXEC);
		}
		for (i = 0; i < n; i++)
			alert_free(&a[i]);
		free(a);
		a = NULL;
		if (n < DELIVER_BATCH || !more)
			break;
	}
	free(a);
}

static void
prune(struct deliver *dl)
{
	time_t	now = time(NULL);
	char	span[32];

	fmt_duration(dl->conf->retention, span, sizeof(span));
	if (store_prune(dl->store, now - (time_t)dl->conf->retention) == 0)
		log_debug("pruned items and delivered alerts older than %s", span);
}

static void
prune_cb(uv_timer_t *t)
{
	prune(t->data);
}

/* Alerts that nobody will take (notifications off) leave that channel now. */
static void
clear_channel(struct deliver *dl, unsigned channel)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;
	int64_t		 after = 0;

	while (store_alert_pending_after(dl->store, channel, after, DELIVER_BATCH, &a, &n) == 0 &&
	    n > 0) {
		for (i = 0; i < n; i++) {
			/* A failed mark (logged) is cleared again at the next start. */
			(void)store_alert_done(dl->store, a[i].id, channel);
			after = a[i].id;
			alert_free(&a[i]);
		}
		free(a);
		a = NULL;
	}
	free(a);
}

static void
target_moved_cb(void *arg)
{
	idle(arg);
}

struct deliver *
deliver_new(uv_loop_t *loop, struct store *store, const struct conf *conf,
    const struct deliver_cb *cb, void *arg)
{
	struct deliver	*dl;

	dl = xcalloc(1, sizeof(*dl));
	dl->loop = loop;
	dl->store = store;
	dl->conf = conf;
	dl->cb = *cb;
	dl->arg = arg;
	if (uv_timer_init(loop, &dl->retry_timer) != 0) {
		free(dl);
		return NULL;
	}
	uv_timer_init(loop, &dl->summary_timer);
	uv_timer_init(loop, &dl->prune_timer);
	uv_timer_init(loop, &dl->settle_timer);
	dl->retry_timer.data = dl->summary_timer.data = dl->prune_timer.data =
	    dl->settle_timer.data = dl;
	if (conf->notify) {
		dl->notifier = notifier_new(loop, "newswatch", 256, notified_cb, dl);
		if (dl->notifier == NULL)
			log_warnx("desktop notifications are off: the notifier could not start");
	}
	if (dl->notifier == NULL)
		clear_channel(dl, STORE_CH_NOTIFY);
	dl->targets = targets_new(loop, store, conf, target_moved_cb, dl);
	prune(dl);
	uv_timer_start(&dl->prune_timer, prune_cb, PRUNE_MS, PRUNE_MS);
	uv_unref((uv_handle_t *)&dl->prune_timer);
	/* Alerts a crash left pending: those already in the log are found, the rest written. */
	deliver_kick(dl);
	return dl;
}

void
deliver_set_conf(struct deliver *dl, const struct conf *conf)
{
	const struct conf	*o = dl->conf;
	struct alert_log	*l;

	dl->conf = conf;
	targets_set_conf(dl->targets, conf);
	if (strcmp(o->alert_log, conf->alert_log) == 0 && o->alert_format == conf->alert_format)
		return;
	if (dl->log == NULL)
		return;		/* the configured path is opened at the first write */
	if ((l = alert_log_open(conf->alert_log, conf->alert_format)) == NULL) {
		log_warnx("reload: alerts go on to the previous alert log until the next reload");
		return;
	}
	if (dl->old_log != NULL)
		alert_log_close(dl->old_log);
	/* An fsync may be running on the old descriptor: fsync_cb closes it. */
	if (dl->fsync_busy)
		dl->old_log = dl->log;
	else
		alert_log_close(dl->log);
	dl->log = l;
	log_notice("alerts now go to %s", conf->alert_log);
}

void
deliver_kick(struct deliver *dl)
{
	if (dl->stopped)
		return;
	deliver_log(dl);
	deliver_notify(dl);
	deliver_exec(dl);
	targets_kick(dl->targets);
}

int
deliver_idle(struct deliver *dl)
{
	struct alert	*a = NULL;
	size_t		 n = 0, i;

	if (dl->fsync_busy || dl->nwritten > 0)
		return 0;
	/* Pop-ups in flight are waited for while the server answers; a hung server (25 s per
	 * call) does not hold a --once run: after NOTIFY_STUCK_MS without an answer we are done
	 * and the unanswered ones stay in the outbox for the next run. */
	if (dl->notify_inflight > 0) {
		uint64_t now = uv_now(dl->loop);

		if (now < dl->notify_moved + NOTIFY_STUCK_MS) {
			if (!uv_is_active((uv_handle_t *)&dl->retry_timer) && !dl->stopped)
				uv_timer_start(&dl->retry_timer, retry_cb,
				    dl->notify_moved + NOTIFY_STUCK_MS - now, 0);
			return 0;
		}
	}
	if (dl->hooks != NULL && hook_busy(dl->hooks) > 0)
		return 0;
	/* A send in flight is waited for; a target waiting out its backoff is not (its alerts
	 * stay in the outbox for the next run). */
	if (!targets_idle(dl->targets))
		return 0;
	if (store_alert_pending_after(dl->store, STORE_CH_LOG, dl->log_upto, 1, &a, &n) == -1)
		return 1;
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	if (n > 0 && !dl->log_failing)
		return 0;
	if (dl->notifier == NULL)
		return 1;
	if (store_alert_pending_after(dl->store, STORE_CH_NOTIFY, dl->notify_upto, 1, &a, &n) == -1)
		return 1;
	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
	return n == 0;
}

void
deliver_reopen(struct deliver *dl)
{
	/* An fsync may be running on the descriptor a reopen closes: reopen once it is done. */
	if (dl->fsync_busy) {
		dl->reopen_wanted = 1;
		return;
	}
	do_reopen(dl);
	deliver_kick(dl);
}

void
deliver_stopping(struct deliver *dl)
{
	dl->stopping = 1;
}

void
deliver_stop(struct deliver *dl)
{
	if (dl->stopped)
		return;
	if (dl->notifier != NULL) {
		notifier_close(dl->notifier, 2000);
		dl->notifier = NULL;
	}
	dl->stopped = 1;
	/* Hooks still running are stopped and run again at the next start. */
	hook_runner_close(dl->hooks);
	dl->hooks = NULL;
	/* Sends in flight are abandoned: their alerts stay pending and go at the next start. */
	targets_stop(dl->targets);
	uv_close((uv_handle_t *)&dl->retry_timer, NULL);
	uv_close((uv_handle_t *)&dl->summary_timer, NULL);
	uv_close((uv_handle_t *)&dl->prune_timer, NULL);
	uv_close((uv_handle_t *)&dl->settle_timer, NULL);
}

void
deliver_free(struct deliver *dl)
{
	size_t	i;

	if (dl == NULL)
		return;
	for (i = 0; i < dl->nbursts; i++) {
		free(dl->bursts[i].rule);
		burst_titles_free(&dl->bursts[i]);
	}
	free(dl->bursts);
	free(dl->shown.t);
	free(dl->shown_critical.t);
	free(dl->written);
	free(dl->syncing);
	targets_free(dl->targets);
	if (dl->old_log != NULL)
		alert_log_close(dl->old_log);
	if (dl->log != NULL)
		alert_log_close(dl->log);
	free(dl);
}

int
deliver_outbox_add(struct deliver *dl, struct alert *a, char *const keys[2], int *added)
{
	/* By name, not by the index the matcher gave: an alert held across a reload was made
	 * with the old rules (and a rule a reload removed has no hook to run). */
	const struct conf_rule	*rule = find_rule(dl->conf, a->rule);
	unsigned		 channels = STORE_CH_LOG;
	int64_t			 first;
	size_t			 i;
	int			 r = 0, seen = 0;

	*added = 0;
	for (i = 0; i < 2 && !seen; i++) {
		if (keys[i] == NULL)
			continue;
		if ((seen = store_story_seen(dl->store, a->rule, keys[i], &first)) == -1)
			goto out;
	}
	if (seen) {
		/* Written into the stored alert: the log line shows it if the alert is still
		 * pending, else the database and `newswatch replay` do. No new pop-up. */
		r = store_alert_also_in(dl->store, first, a->feed) == -1 ? -1 : 0;
		log_debug("rule %s: \"%s\" from %s is a story already alerted (alert %lld)",
		    a->rule, a->title ? a->title : "", a->feed, (long long)first);
		goto out;
	}
	if (dl->notifier != NULL)
		channels |= STORE_CH_NOTIFY;
	if (rule != NULL && rule->exec != NULL)
		channels |= STORE_CH_EXEC;
	if ((r = store_alert_add(dl->store, a, channels)) == -1)
		goto out;
	if ((r = targets_outbox_add(dl->targets, a, rule)) == -1)
		goto out;
	for (i = 0; i < 2 && r == 0; i++)
		if (keys[i] != NULL)
			r = store_story_add(dl->store, a->rule, keys[i], a->id);
	*added = r == 0;
	/* A new story for the rule: counted, and maybe a surge alert beside the item's, in the
	 * same transaction (surge.h). Surges add to the item alerts, never replace them. */
	if (r == 0) {
		char		*story = NULL;
		int		 raised = 0;
		struct alert	 surge = { 0 };

		if (keys[0] == NULL && keys[1] == NULL)
			story = xasprintf("alert:%lld", (long long)a->id);
		r = surge_note(dl->store, rule, a, story ? story : keys[keys[0] == NULL],
		    a->time ? a->time : time(NULL), channels, &raised, &surge);
		free(story);
		/* A surge goes to the rule's targets as well. */
		if (r == 0 && raised)
			r = targets_outbox_add(dl->targets, &surge, rule);
		if (raised)
			alert_free(&surge);
		if (r == -1)
			*added = 0;
	}
out:
	return seen == -1 ? -1 : r;
}
