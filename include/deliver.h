/*
 * deliver.h: the alert outbox's intake and its drain. struct deliver owns every piece of delivery
 * state: the alert log (and a log a reload replaced, until no fsync uses it), the notifier, the
 * hook runner, the push targets (target.h), the pop-up burst counts and the timers that retry,
 * settle and prune. Its owner
 * (the run module) owns the loop, the store and the configuration, and keeps them alive while the
 * deliver lives.
 *
 * Exactly once in the log, across kill -9: every record's position is written ahead in the
 * outbox, and an alert found pending at its planned position is only marked done (deliver.c
 * explains how). Pop-ups are best effort with burst control; hooks run at least once; push
 * targets get each alert at least once, with its key (target.h).
 *
 * Failure: nothing here is fatal. An alert log that cannot be written keeps its alerts pending
 * and is retried every few seconds; a failed pop-up is not retried (the log has the alert); a
 * hook whose queue is full is dropped, logged.
 */
#ifndef NW_DELIVER_H
#define NW_DELIVER_H

#include <uv.h>

#include "conf.h"
#include "record.h"
#include "store.h"

struct deliver;

struct deliver_cb {
	/*
	 * Called on the loop thread after delivery moved on by itself (a batch was synced, a pop-up
	 * answered, a hook ended, a retry or settle timer ran): delivery may have gone idle, the
	 * owner may ask deliver_idle. Never called from inside a deliver_* call, nor after
	 * deliver_stop.
	 */
	void	(*idle_cb)(void *arg);
};

/* deliver.c */
/*
 * Starts delivery: opens the notifier when conf->notify (pending pop-ups are dropped when it is
 * off or cannot start), prunes old state and handles alerts an earlier run left pending (those
 * already in the log are found there, not written again). NULL on error.
 */
struct deliver	*deliver_new(uv_loop_t *, struct store *, const struct conf *,
		    const struct deliver_cb *, void *arg);
/* Takes a new configuration (a reload; conf must outlive the deliver or the next call): rules,
 * limits, and a changed alert_log path or format, opened now (the old log is closed once no fsync
 * uses it; if the new one cannot be opened, alerts go on to the old one). */
void		 deliver_set_conf(struct deliver *, const struct conf *);
/* Writes pending alerts to the alert log and hands them to the notifier and the hooks. */
void		 deliver_kick(struct deliver *);
/* 1 when no alert waits for the log, an fsync, a pop-up in flight (for a few seconds) or a hook. */
int		 deliver_idle(struct deliver *);
/* Reopens the alert log (SIGHUP, SIGUSR1: logrotate moved it), then writes what waits. */
void		 deliver_reopen(struct deliver *);
/*
 * Puts a matched alert in the outbox (inside the caller's transaction) on the channels it needs:
 * the log, notifications when on, the rule's exec hook, the rule's push targets. story holds the item's story keys
 * (item_story_keys; either may be NULL). A story already alerted for the rule (same link, or
 * same folded title, from any feed) adds the alert's feed to that alert's also_in instead:
 * *added = 0 (the log record shows it only if not written yet: settle). A new story is counted
 * for the rule and the alert's actors and places (surge.h); a rule with surge = yes may then
 * put a surge alert in the outbox too, after the item's, in the same transaction. 0 or -1.
 */
int		 deliver_outbox_add(struct deliver *, struct alert *, char *const story[2],
		    int *added);
/* The daemon is stopping: from now on only the log is written (no new pop-up or hook starts, a
 * failed write is not retried); deliver_stop follows. */
void		 deliver_stopping(struct deliver *);
/* Closes the notifier, stops running hooks (they run again at the next start) and closes the
 * timers; the loop must run to finish that. Later calls do nothing; deliver_free follows. */
void		 deliver_stop(struct deliver *);
/* Frees it and closes the alert log, after the loop ended (no fsync or handle is left). */
void		 deliver_free(struct deliver *);

#endif
