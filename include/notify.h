/*
 * notify.h: desktop notifications. The only file that includes libnotify. A dedicated thread owns
 * every libnotify object and takes requests from a bounded queue, because a hung notification
 * server blocks each libnotify call for 25 s; results come back to the loop through uv_async.
 *
 * The program does not link libnotify: the thread loads it (libnotify.so.4, and GLib with it)
 * with dlopen when it shows its first notification, so a daemon with notify = no, or with no
 * session bus, never maps GLib, and one on a server without libnotify still starts. When the
 * library cannot be loaded every request fails with the loader's reason (logged once, below).
 *
 * Each notification carries the urgency hint (always sent), the hints category
 * "x-newswatch.alert" and desktop-entry "newswatch", and the app name given to notifier_new.
 * Every notification takes the server's default timeout unless it is sent NOTIFY_STICKY, which
 * asks the server never to expire it (the daemon does that for critical alerts only when
 * sticky_critical = yes).
 *
 * The summary is plain text (the specification allows no markup there: a server shows "&#39;"
 * as written) and the body a small markup subset, so the caller escapes &, < and > in the body
 * only; apostrophes and quotes are sent as they are.
 *
 * Failures (no session bus, no server, a server error) never stop the daemon: the first one is
 * logged once with its D-Bus error text, later ones are not logged again until a notification
 * succeeds ("notifications work again"). With no session bus address the notifier fails every
 * request at once instead of letting GLib autolaunch a bus (and a notification server with it)
 * that would outlive the daemon.
 *
 * libnotify keeps process-wide state (notify_init): use one notifier per process at a time.
 */
#ifndef NW_NOTIFY_H
#define NW_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

enum notify_urgency {
	NOTIFY_LOW,
	NOTIFY_NORMAL,
	NOTIFY_CRITICAL
};

/* Longer texts are cut at a UTF-8 character (a body also never inside an entity such as &amp;)
 * and end in "…". */
#define NOTIFY_SUMMARY_MAX	1024
#define NOTIFY_BODY_MAX		8192
/* queue_max used when notifier_new is given 0. */
#define NOTIFY_QUEUE_DEFAULT	32
/* notifier_send flags. */
#define NOTIFY_STICKY		0x1	/* the server is asked never to expire it */

/* Called on the loop thread when a request ended: ok 1 if the server took it, else 0 and error. */
typedef void (*notify_done_cb)(void *arg, uint64_t cookie, int ok, const char *error);

struct notifier;

/* notify.c */
/*
 * Starts the notifier thread. queue_max bounds the requests whose done callback has not run yet
 * (waiting, in progress, or answered but not yet delivered). NULL on error (logged).
 */
struct notifier	*notifier_new(uv_loop_t *, const char *app_name, size_t queue_max,
		    notify_done_cb, void *arg);
/*
 * Queues one notification: summary is plain text, body (may be NULL) is already escaped for
 * markup (&, < and > at least); both are sent as given. flags: 0 or NOTIFY_STICKY. Copies both;
 * never blocks. cookie comes back in the done callback. 0, or -1 when the queue is full or the
 * notifier is closing (nothing queued).
 */
int		 notifier_send(struct notifier *, const char *summary, const char *body,
		    enum notify_urgency, unsigned flags, uint64_t cookie);
/* Requests whose done callback has not run yet (waiting, in progress or answered). */
size_t		 notifier_pending(const struct notifier *);
/*
 * Stops the thread: drops the requests still waiting, waits at most wait_ms for the one in
 * progress (a hung server may hold it 25 s), then abandons the thread, which frees what it
 * shares with us when its call returns. The done callback is not called after this. Frees the
 * notifier once its uv handle is closed; the loop must run to finish that.
 */
void		 notifier_close(struct notifier *, unsigned wait_ms);
/*
 * Names the library to load instead of libnotify.so.4 (NULL: the default), for tests. Takes
 * effect only while no library has been loaded yet; call it before notifier_new.
 */
void		 notifier_library(const char *soname);
/*
 * Notifier threads still running, abandoned ones included. Lets main (or a test) give an
 * abandoned thread a moment to finish before the process exits.
 */
int		 notifier_threads(void);

#endif
