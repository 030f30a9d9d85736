/*
 * notify.h: desktop notifications. The only file that includes libnotify. A dedicated thread owns
 * every libnotify object and takes requests from a bounded queue, because a hung notification
 * server blocks each libnotify call for 25 s; results come back to the loop through uv_async.
 */
#ifndef NW_NOTIFY_H
#define NW_NOTIFY_H

#include <stdint.h>
#include <uv.h>

enum notify_urgency {
	NOTIFY_LOW,
	NOTIFY_NORMAL,
	NOTIFY_CRITICAL
};

/* Called on the loop thread when a request ended: ok 1 if the server took it, else 0 and error. */
typedef void (*notify_done_cb)(void *arg, uint64_t cookie, int ok, const char *error);

struct notifier;

/* notify.c */
/* Starts the notifier thread. NULL on error (logged). */
struct notifier	*notifier_new(uv_loop_t *, const char *app_name, size_t queue_max,
		    notify_done_cb, void *arg);
/*
 * Queues one notification (summary and body must already be escaped for markup). cookie comes
 * back in the done callback. 0, or -1 when the queue is full (nothing queued).
 */
int		 notifier_send(struct notifier *, const char *summary, const char *body,
		    enum notify_urgency, uint64_t cookie);
/* Requests waiting or in progress. */
size_t		 notifier_pending(const struct notifier *);
/*
 * Stops the thread: waits at most wait_ms for it (a hung server may hold it), then abandons it.
 * Frees the notifier once its uv handles are closed; the loop must run to finish that.
 */
void		 notifier_close(struct notifier *, unsigned wait_ms);

#endif
