/*
 * target.h: delivery of alerts to the push targets ([target NAME]: webhook, ntfy, Matrix, Slack,
 * email, MQTT), each target a channel of the outbox beside the log, the pop-ups and the hooks.
 *
 * At least once, across kill -9: an alert a rule sends to targets gets one row per target in the
 * outbox (store_target_add), in the transaction that stores the alert. A row is settled only
 * after the target confirmed (a 2xx, the SMTP server's 250 for the data, the MQTT PUBACK); a
 * crash before that sends it again at the next start. Every message carries a stable key
 * (tmsg_key: an Idempotency-Key header, the MQTT user property "idempotency-key", the mail's
 * Message-ID, the Matrix transaction id) so a receiver can drop a repeat.
 *
 * One target never holds back another, the log or the pop-ups: each target sends one message at
 * a time in id order, through its own slot of a fetcher kept for the targets (HTTP and SMTP,
 * fetch.c) or its own MQTT thread (mqtt.c), and everything else runs on its own. A message that
 * fails for a reason that may pass (a 5xx, 408, 429, a timeout, a reset, no broker) is retried
 * after 10 s (retry =), doubling up to 1 h, with jitter (each delay is drawn from its upper
 * half), and never before a Retry-After the server gave. One refused for good (any other 4xx, an
 * SMTP 5xx, a redirect) is marked failed for that target, logged and counted, and the target
 * goes on with the next.
 *
 * Bounded: an alert finding max_backlog alerts already waiting for a target is marked dropped
 * for it, counted (status) and logged once per episode; the log and the other targets still get
 * it. A target a reload removed keeps its waiting rows (logged once) and sends them if it comes
 * back.
 *
 * Digests and quiet hours (tsched.h): a target with digest = sends low and normal alerts only at
 * the digest boundaries, all waiting ones in one message; in its quiet hours a target sends no
 * low or normal alert at all, and those held are sent as one digest when the quiet time ends
 * (or at the next digest, for a target that has digests). Critical alerts always go at once.
 * Both are decided from the outbox and the clock alone, so a restart changes nothing. With
 * settle = D an alert sent alone goes no sooner than D after it was made, as to the log, so its
 * also_in is complete.
 */
#ifndef NW_TARGET_H
#define NW_TARGET_H

#include <uv.h>

#include "conf.h"
#include "record.h"
#include "store.h"

#define TARGET_RETRY_MAX	3600	/* seconds: the longest wait between tries */
#define TARGET_DIGEST_MAX	500	/* alerts in one digest message; more go in the next */

struct targets;

/* Called on the loop thread when a target finished a send (delivery may have gone idle);
 * never from inside a targets_* call, nor after targets_stop. */
typedef void (*targets_moved_cb)(void *arg);
/* test-target's answer: one send tried, ok or not, with why. */
typedef void (*targets_test_cb)(void *arg, int ok, const char *error);

/* target.c */
/* Starts the targets of conf over store (which must outlive them); logs once each target name
 * with alerts waiting that conf has no section for. NULL on error (logged). */
struct targets	*targets_new(uv_loop_t *, struct store *, const struct conf *, targets_moved_cb,
		    void *arg);
/* Takes a new configuration (a reload; conf must outlive the targets or the next call). */
void		 targets_set_conf(struct targets *, const struct conf *);
/* Puts alert a (stored: a->id set) in the outbox of every target of rule (NULL: none), inside
 * the caller's transaction: pending, or dropped when the target's backlog is full. 0 or -1. */
int		 targets_outbox_add(struct targets *, const struct alert *a,
		    const struct conf_rule *rule);
/* Sends what is due on every target. */
void		 targets_kick(struct targets *);
/* 1 when no target has a send in flight. */
int		 targets_idle(const struct targets *);
/* Stops sending (a send in flight is abandoned: its alerts stay pending) and closes the
 * handles; the loop must run to finish that. targets_free follows. */
void		 targets_stop(struct targets *);
void		 targets_free(struct targets *);
/*
 * newswatch test-target: sends one message for alert a to target name of conf, without a
 * store, retrying nothing, and calls cb with the outcome. A targets made with store NULL is
 * for this only. 0, or -1 when there is no such target.
 */
int		 targets_send_test(struct targets *, const char *name, const struct alert *a,
		    targets_test_cb cb, void *arg);

#endif
