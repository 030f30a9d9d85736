/*
 * hook.h: per-rule exec hooks. Each alert runs the rule's program with uv_spawn, no shell, the
 * alert as one JSON object (the JSON Lines record) on standard input and NEWSWATCH_RULE,
 * NEWSWATCH_SEVERITY, NEWSWATCH_FEED, NEWSWATCH_TITLE, NEWSWATCH_LINK and NEWSWATCH_TYPE ("item"
 * or "surge") in its environment; a surge adds NEWSWATCH_SURGE_COUNT, NEWSWATCH_SURGE_WINDOW
 * (seconds) and NEWSWATCH_SURGE_BASELINE (the mean stories per window, 0.00 with no history).
 *
 * Limits: at most max_running at once and max_queued waiting (beyond that a hook is dropped with
 * a log line); each gets timeout seconds, then SIGTERM, then SIGKILL 5 s later; its standard
 * output and error are read and thrown away (the first bytes of stderr are kept for the log
 * line), so a hook that floods its output neither blocks nor grows our memory. Its exit status
 * is logged. The runner never blocks the loop.
 *
 * The runner ignores SIGPIPE for the whole process: a hook that exits without reading its input
 * must not kill the daemon with the write to its stdin.
 */
#ifndef NW_HOOK_H
#define NW_HOOK_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "record.h"

/* Called once per hook handed to hook_run that ran to its end (any exit status, killed by the
 * timeout, or could not start); never after hook_runner_close. */
typedef void (*hook_done_cb)(void *arg, uint64_t cookie);

struct hook_runner;

/* hook.c */
struct hook_runner *hook_runner_new(uv_loop_t *, unsigned max_running, size_t max_queued,
		    unsigned timeout, hook_done_cb, void *arg);
/* Changes the limits (a reload); hooks already running keep their deadline. */
void		 hook_runner_limits(struct hook_runner *, unsigned max_running, unsigned timeout);
/* Runs path for alert a (copied) now or when a slot frees: 0; -1 when the queue is full (the
 * hook is dropped, logged) or the alert cannot be formatted. */
int		 hook_run(struct hook_runner *, const char *path, const struct alert *a,
		    uint64_t cookie);
/* Hooks running or waiting. */
size_t		 hook_busy(const struct hook_runner *);
/* Drops waiting hooks, sends SIGTERM to running ones (SIGKILL 2 s later) and frees the runner
 * once they are gone; the loop must run for that. Their done callbacks are not called, so an
 * outbox keeps them for the next start (at least once). */
void		 hook_runner_close(struct hook_runner *);

#endif
