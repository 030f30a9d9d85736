/* notify.c: desktop notifications through libnotify, on a thread of its own. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libnotify/notify.h>

#include "log.h"
#include "notify.h"
#include "util.h"

/*
 * The freedesktop specification lists no category for news or alerts ("im.received" or
 * "email.arrived" would make servers treat an item as a chat message or a mail), and says
 * other types take the form "x-vendor.class".
 */
#define CATEGORY	"x-newswatch.alert"
#define DESKTOP_ENTRY	"newswatch"
#define ERROR_MAX	512
/* The library loaded on first use (the name Debian 12's libnotify4 package installs). */
#define LIBNOTIFY_DEFAULT	"libnotify.so.4"

/* One notification; after the thread handled it, also its result. */
struct request {
	struct request		*next;
	uint64_t		 cookie;
	enum notify_urgency	 urgency;
	unsigned		 flags;
	char			*summary;
	char			*body;
	int			 ok;
	char			*error;
};

struct queue {
	struct request	*head;
	struct request	*tail;
};

/*
 * What the loop thread and the notifier thread share, under mu. It is reference counted (one
 * reference each) because an abandoned thread may still be blocked in libnotify after the
 * notifier is gone: whichever side lets go last frees it.
 */
struct shared {
	pthread_mutex_t	 mu;
	pthread_cond_t	 wake;		/* the thread waits for a request or stop */
	pthread_cond_t	 ended_cv;	/* notifier_close waits for the thread to end */
	struct queue	 todo;		/* requests waiting for the thread */
	struct queue	 done;		/* results waiting for the loop */
	int		 stop;		/* the thread must end */
	int		 ended;		/* the thread has ended */
	int		 detached;	/* the loop side is closing: async must not be used */
	int		 refs;
	uv_async_t	*async;
	char		*app_name;
	char		*no_bus;	/* why there is no session bus, or NULL */
};

struct notifier {
	uv_loop_t	*loop;
	uv_async_t	 async;
	notify_done_cb	 done_cb;
	void		*arg;
	struct shared	*sh;
	pthread_t	 thread;
	size_t		 max;
	size_t		 outstanding;	/* sends whose done callback has not run; loop thread only */
	int		 failing;	/* the last result failed and was logged */
	int		 closing;
};

static atomic_int	threads_running;

static void
queue_push(struct queue *q, struct request *r)
{
	r->next = NULL;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
}

static struct request *
queue_pop(struct queue *q)
{
	struct request	*r = q->head;

	if (r) {
		q->head = r->next;
		if (q->head == NULL)
			q->tail = NULL;
	}
	return r;
}

static void
request_free(struct request *r)
{
	free(r->summary);
	free(r->body);
	free(r->error);
	free(r);
}

static void
queue_free(struct queue *q)
{
	struct request	*r;

	while ((r = queue_pop(q)) != NULL)
		request_free(r);
}

static void
shared_free(struct shared *sh)
{
	queue_free(&sh->todo);
	queue_free(&sh->done);
	pthread_cond_destroy(&sh->wake);
	pthread_cond_destroy(&sh->ended_cv);
	pthread_mutex_destroy(&sh->mu);
	free(sh->app_name);
	free(sh->no_bus);
	free(sh);
}

/* Drops one reference under the lock; frees the shared part when it was the last. */
static void
shared_unref(struct shared *sh)
{
	int	last;

	pthread_mutex_lock(&sh->mu);
	last = --sh->refs == 0;
	pthread_mutex_unlock(&sh->mu);
	if (last)
		shared_free(sh);
}

/*
 * Copies s, cut to at most max bytes (plus "…") at a UTF-8 character boundary. When the text is
 * markup (a body), the cut also backs off before an unfinished entity: "&am" would break it. A
 * plain summary is cut where it is: its "&" is a character, not the start of an entity.
 */
static char *
clip(const char *s, size_t max, int markup)
{
	size_t	n = strlen(s), i;

	if (n <= max)
		return xstrdup(s);
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	for (i = n; markup && i > 0 && n - i < 16; i--) {
		if (s[i - 1] == ';')
			break;
		if (s[i - 1] == '&') {
			n = i - 1;
			break;
		}
	}
	return xasprintf("%.*s\xe2\x80\xa6", (int)n, s);
}

/*
 * GLib finds the session bus in DBUS_SESSION_BUS_ADDRESS, then in $XDG_RUNTIME_DIR/bus, and
 * otherwise autolaunches one through dbus-launch when DISPLAY is set; that bus (and the server
 * it activates) outlives us. Returns why there is no bus (so we skip libnotify), or NULL.
 */
static char *
session_bus_missing(void)
{
	const char	*addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char	*rt = getenv("XDG_RUNTIME_DIR");
	struct stat	 st;
	char		*path;
	int		 found;

	if (addr != NULL && *addr != '\0')
		return NULL;
	if (rt != NULL && *rt != '\0') {
		path = xasprintf("%s/bus", rt);
		found = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
		free(path);
		if (found)
			return NULL;
	}
	return xstrdup("no session bus: DBUS_SESSION_BUS_ADDRESS is unset and there is no "
	    "$XDG_RUNTIME_DIR/bus (not autolaunching one)");
}

static NotifyUrgency
urgency_map(enum notify_urgency u)
{
	switch (u) {
	case NOTIFY_LOW:
		return NOTIFY_URGENCY_LOW;
	case NOTIFY_CRITICAL:
		return NOTIFY_URGENCY_CRITICAL;
	case NOTIFY_NORMAL:
	default:
		return NOTIFY_URGENCY_NORMAL;
	}
}

/*
 * libnotify is loaded with dlopen on the notifier thread the first time a notification is shown,
 * not linked: it brings GLib, GObject, GIO and gdk-pixbuf (about a dozen libraries, 2 MB of
 * resident pages) into a daemon that is often run with notify = no, or on a server with no
 * desktop and no libnotify installed. Its header still gives us the types; the functions come
 * from dlsym into these typed pointers (GLib's through libnotify's own dependencies). A library
 * that cannot be loaded turns notifications off: every request fails with dlerror's text,
 * which note_result logs once. The library stays loaded until exit, as GLib must.
 */
struct libnotify {
	gboolean	 (*init)(const char *);
	gboolean	 (*is_initted)(void);
	void		 (*set_app_name)(const char *);
	void		 (*uninit)(void);
	NotifyNotification *(*notification_new)(const char *, const char *, const char *);
	void		 (*set_urgency)(NotifyNotification *, NotifyUrgency);
	void		 (*set_category)(NotifyNotification *, const char *);
	void		 (*set_hint_string)(NotifyNotification *, const char *, const char *);
	void		 (*set_timeout)(NotifyNotification *, gint);
	gboolean	 (*show)(NotifyNotification *, GError **);
	void		 (*object_unref)(gpointer);
	void		 (*error_free)(GError *);
	GMainContext	*(*context_new)(void);
	void		 (*context_unref)(GMainContext *);
	gboolean	 (*context_iteration)(GMainContext *, gboolean);
	void		 (*context_push)(GMainContext *);
	void		 (*context_pop)(GMainContext *);
};

/* Looks up one function; on failure notes which one (the first missing) in *missing. */
static void *
sym(void *dl, const char *name, const char **missing)
{
	void	*f = dlsym(dl, name);

	if (f == NULL && *missing == NULL)
		*missing = name;
	return f;
}

/* dlsym(3)'s own idiom: POSIX lets the void * it returns be stored into a function pointer. */
#define LOAD(field, name)	(*(void **)&l->field = sym(dl, name, &missing))

/* Loads the library soname and fills l. Returns NULL, or why it cannot be used (allocated). */
static char *
lib_load(struct libnotify *l, const char *soname)
{
	const char	*missing = NULL;
	void		*dl;

	if ((dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return xasprintf("cannot load %s (notifications are off): %s", soname, dlerror());
	LOAD(init, "notify_init");
	LOAD(is_initted, "notify_is_initted");
	LOAD(set_app_name, "notify_set_app_name");
	LOAD(uninit, "notify_uninit");
	LOAD(notification_new, "notify_notification_new");
	LOAD(set_urgency, "notify_notification_set_urgency");
	LOAD(set_category, "notify_notification_set_category");
	LOAD(set_hint_string, "notify_notification_set_hint_string");
	LOAD(set_timeout, "notify_notification_set_timeout");
	LOAD(show, "notify_notification_show");
	LOAD(object_unref, "g_object_unref");
	LOAD(error_free, "g_error_free");
	LOAD(context_new, "g_main_context_new");
	LOAD(context_unref, "g_main_context_unref");
	LOAD(context_iteration, "g_main_context_iteration");
	LOAD(context_push, "g_main_context_push_thread_default");
	LOAD(context_pop, "g_main_context_pop_thread_default");
	/* Not dlclose'd on failure either: GLib's libraries may not be unloaded once loaded. */
	if (missing != NULL)
		return xasprintf("%s has no %s (notifications are off)", soname, missing);
	return NULL;
}

/*
 * libnotify's state is process-wide (notify_init, the cached D-Bus proxy) and not meant for
 * several threads at once. Normally there is one notifier, but a new one may start while an
 * abandoned thread is still blocked in libnotify (a reload, the tests): this lock makes them
 * take turns instead of racing. It is only ever taken on notifier threads (and by
 * notifier_library), never on the loop. It also guards loading the library.
 *
 * libnotify subscribes to the server's signals in the thread-default main context. lib_ctx is
 * that context for every notifier thread, drained after each call, so the signals do not pile
 * up unread in the global default context for the life of the daemon.
 */
static pthread_mutex_t	 lib_mu = PTHREAD_MUTEX_INITIALIZER;
static int		 lib_users;	/* notifier threads alive; the last one uninits */
static GMainContext	*lib_ctx;	/* made on first use, freed by the last thread out */
static struct libnotify	 lib;
static int		 lib_loaded;	/* lib is filled in */
static char		*lib_error;	/* why the library cannot be used, once tried */
static const char	*lib_soname = LIBNOTIFY_DEFAULT;

void
notifier_library(const char *soname)
{
	pthread_mutex_lock(&lib_mu);
	if (!lib_loaded) {
		lib_soname = soname != NULL ? soname : LIBNOTIFY_DEFAULT;
		free(lib_error);
		lib_error = NULL;	/* try again, with the new name */
	}
	pthread_mutex_unlock(&lib_mu);
}

/* Under lib_mu: loads the library once. NULL when it is usable, else why not. */
static const char *
lib_ready(void)
{
	if (!lib_loaded && lib_error == NULL) {
		lib_error = lib_load(&lib, lib_soname);
		lib_loaded = lib_error == NULL;
	}
	if (lib_loaded && lib_ctx == NULL)
		lib_ctx = lib.context_new();
	return lib_error;
}

static void
lib_drain(void)
{
	while (lib.context_iteration(lib_ctx, FALSE))
		;
}

/* Shows one notification; runs on a notifier thread and may block 25 s on a hung server. */
static void
show(struct shared *sh, struct request *r)
{
	NotifyNotification	*nn;
	GError			*err = NULL;
	const char		*why;

	if (sh->no_bus != NULL) {
		r->error = xstrdup(sh->no_bus);
		return;
	}
	pthread_mutex_lock(&lib_mu);
	if ((why = lib_ready()) != NULL) {
		r->error = xstrdup(why);
		pthread_mutex_unlock(&lib_mu);
		return;
	}
	lib.context_push(lib_ctx);
	if (!lib.is_initted())
		lib.init(sh->app_name);	/* always succeeds; failures show below */
	else
		lib.set_app_name(sh->app_name);

	nn = lib.notification_new(r->summary, r->body, NULL);
	/* Always set: libnotify sends no urgency hint otherwise. */
	lib.set_urgency(nn, urgency_map(r->urgency));
	lib.set_category(nn, CATEGORY);
	lib.set_hint_string(nn, "desktop-entry", DESKTOP_ENTRY);
	/* Urgency alone does not decide: a critical pop-up that never expires piles up on a
	 * desktop left alone, so only a sticky request asks for that. */
	lib.set_timeout(nn, r->flags & NOTIFY_STICKY ? NOTIFY_EXPIRES_NEVER :
	    NOTIFY_EXPIRES_DEFAULT);
	if (lib.show(nn, &err))
		r->ok = 1;
	else
		r->error = clip(err != NULL ? err->message : "unknown error", ERROR_MAX, 0);
	if (err != NULL)
		lib.error_free(err);
	lib.object_unref(nn);

	lib_drain();
	lib.context_pop(lib_ctx);
	pthread_mutex_unlock(&lib_mu);
}

static void *
thread_main(void *p)
{
	struct shared	*sh = p;
	struct request	*r;

	pthread_mutex_lock(&lib_mu);
	lib_users++;
	pthread_mutex_unlock(&lib_mu);

	pthread_mutex_lock(&sh->mu);
	for (;;) {
		while (!sh->stop && sh->todo.head == NULL)
			pthread_cond_wait(&sh->wake, &sh->mu);
		if (sh->stop)
			break;
		r = queue_pop(&sh->todo);
		pthread_mutex_unlock(&sh->mu);

		show(sh, r);

		pthread_mutex_lock(&sh->mu);
		if (sh->detached) {
			request_free(r);
			continue;
		}
		queue_push(&sh->done, r);
		/* Under the lock: the loop side sets detached under it before closing async. */
		uv_async_send(sh->async);
	}
	pthread_mutex_unlock(&sh->mu);

	/*
	 * The last thread out frees libnotify's state, so a clean exit leaks nothing. The library
	 * itself stays loaded (lib_ctx is NULL when it was never used).
	 */
	pthread_mutex_lock(&lib_mu);
	if (--lib_users == 0 && lib_ctx != NULL) {
		lib.context_push(lib_ctx);
		if (lib.is_initted())
			lib.uninit();
		lib_drain();
		lib.context_pop(lib_ctx);
		lib.context_unref(lib_ctx);
		lib_ctx = NULL;
	}
	pthread_mutex_unlock(&lib_mu);

	pthread_mutex_lock(&sh->mu);
	sh->ended = 1;
	pthread_cond_signal(&sh->ended_cv);
	pthread_mutex_unlock(&sh->mu);
	shared_unref(sh);
	atomic_fetch_sub(&threads_running, 1);
	return NULL;
}

/* Logs the first failure of a run of failures, and the recovery after one. */
static void
note_result(struct notifier *n, const struct request *r)
{
	char	*msg;

	if (!r->ok && !n->failing) {
		msg = str_oneline(r->error != NULL ? r->error : "unknown error");
		log_warnx("notify: desktop notification failed: %s (not logged again until one "
		    "succeeds)", msg);
		free(msg);
		n->failing = 1;
	} else if (r->ok && n->failing) {
		log_notice("notify: desktop notifications work again");
		n->failing = 0;
	}
}

static void
async_cb(uv_async_t *h)
{
	struct notifier	*n = h->data;
	struct queue	 done;
	struct request	*r;

	pthread_mutex_lock(&n->sh->mu);
	done = n->sh->done;
	n->sh->done.head = n->sh->done.tail = NULL;
	pthread_mutex_unlock(&n->sh->mu);

	while ((r = queue_pop(&done)) != NULL) {
		/* A callback may close the notifier: deliver nothing after that. */
		if (!n->closing) {
			n->outstanding--;
			note_result(n, r);
			n->done_cb(n->arg, r->cookie, r->ok, r->ok ? NULL : r->error);
		}
		request_free(r);
	}
}

static void
close_cb(uv_handle_t *h)
{
	struct notifier	*n = h->data;

	shared_unref(n->sh);
	free(n);
}

struct notifier *
notifier_new(uv_loop_t *loop, const char *app_name, size_t queue_max, notify_done_cb done_cb,
    void *arg)
{
	struct notifier		*n;
	struct shared		*sh;
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	int			 r;

	n = xcalloc(1, sizeof(*n));
	sh = xcalloc(1, sizeof(*sh));
	n->loop = loop;
	n->done_cb = done_cb;
	n->arg = arg;
	n->sh = sh;
	n->max = queue_max ? queue_max : NOTIFY_QUEUE_DEFAULT;
	sh->app_name = xstrdup(app_name);
	sh->no_bus = session_bus_missing();
	sh->async = &n->async;
	sh->refs = 1;
	pthread_mutex_init(&sh->mu, NULL);
	pthread_cond_init(&sh->wake, NULL);
	/* notifier_close waits with a deadline; the monotonic clock ignores clock changes. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sh->ended_cv, &ca);
	pthread_condattr_destroy(&ca);

	if ((r = uv_async_init(loop, &n->async, async_cb)) != 0) {
		log_warnx("notify: uv_async_init: %s", uv_strerror(r));
		shared_free(sh);
		free(n);
		return NULL;
	}
	n->async.data = n;

	/* Signals belong to the loop thread: the new thread starts with all of them blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	sh->refs = 2;
	atomic_fetch_add(&threads_running, 1);
	r = pthread_create(&n->thread, NULL, thread_main, sh);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		errno = r;
		log_warn("notify: pthread_create");
		atomic_fetch_sub(&threads_running, 1);
		sh->refs = 1;
		n->closing = 1;
		uv_close((uv_handle_t *)&n->async, close_cb);
		return NULL;
	}
	return n;
}

int
notifier_send(struct notifier *n, const char *summary, const char *body,
    enum notify_urgency urgency, unsigned flags, uint64_t cookie)
{
	struct request	*r;

	if (n->closing || n->outstanding >= n->max)
		return -1;
	r = xcalloc(1, sizeof(*r));
	r->cookie = cookie;
	r->urgency = urgency;
	r->flags = flags;
	r->summary = clip(summary, NOTIFY_SUMMARY_MAX, 0);
	r->body = clip(body != NULL ? body : "", NOTIFY_BODY_MAX, 1);
	n->outstanding++;

	pthread_mutex_lock(&n->sh->mu);
	queue_push(&n->sh->todo, r);
	pthread_cond_signal(&n->sh->wake);
	pthread_mutex_unlock(&n->sh->mu);
	return 0;
}

size_t
notifier_pending(const struct notifier *n)
{
	return n->outstanding;
}

int
notifier_threads(void)
{
	return atomic_load(&threads_running);
}

void
notifier_close(struct notifier *n, unsigned wait_ms)
{
	struct shared	*sh = n->sh;
	struct timespec	 deadline;
	int		 ended;

	if (n->closing)
		return;
	n->closing = 1;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += wait_ms / 1000;
	deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&sh->mu);
	sh->stop = 1;
	sh->detached = 1;
	queue_free(&sh->todo);
	pthread_cond_signal(&sh->wake);
	while (!sh->ended &&
	    pthread_cond_timedwait(&sh->ended_cv, &sh->mu, &deadline) != ETIMEDOUT)
		;
	ended = sh->ended;
	pthread_mutex_unlock(&sh->mu);

	/*
	 * A thread still blocked in libnotify (a hung server holds each call 25 s) is left to
	 * finish on its own: the daemon is exiting and must not wait that long. It keeps its
	 * reference to the shared part, so nothing it uses is freed under it; if the process
	 * exits first, that memory is reclaimed with the process.
	 */
	if (ended)
		pthread_join(n->thread, NULL);
	else {
		log_warnx("notify: notification server not answering; not waiting for it");
		pthread_detach(n->thread);
	}
	uv_close((uv_handle_t *)&n->async, close_cb);
}
