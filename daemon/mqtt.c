/* mqtt.c: MQTT v5 QoS 1 publishing through libmosquitto, on a thread per client. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "log.h"
#include "mqtt.h"
#include "util.h"

#define KEEPALIVE	30	/* seconds */
#define LOOP_MS		100	/* the thread looks at its queue this often while connected */
#define ERROR_MAX	256

/* One message; after the thread handled it, also its result. */
struct msg {
	struct msg	*next;
	uint64_t	 cookie;
	char		*topic;
	void		*payload;
	size_t		 len;
	char		*key;
	int		 mid;		/* libmosquitto's message id once published */
	int		 ok;
	char		*error;
};

/*
 * What the loop thread and the client's thread share, under mu. Reference counted (one each):
 * a thread blocked in a connect may outlive the client; whichever lets go last frees it.
 */
struct shared {
	pthread_mutex_t	 mu;
	pthread_cond_t	 wake;
	struct msg	*todo;		/* waiting for the thread, in order */
	struct msg	*done;		/* results for the loop */
	size_t		 ntodo;
	int		 stop;
	int		 detached;	/* the loop side is gone: no async */
	int		 refs;
	uv_async_t	*async;
	/* Copies for the thread. */
	char		*host;
	int		 port;
	int		 tls;
	char		*user;
	char		*password;
	char		*ca_file;	/* NULL: the system's CA directory */
	char		*client_id;
	unsigned	 timeout;
	char		*label;		/* the URL, for messages */
};

struct mqtt_client {
	uv_loop_t	*loop;
	uv_async_t	 async;
	mqtt_done_cb	 done_cb;
	void		*arg;
	struct shared	*sh;
	pthread_t	 thread;
	int		 closing;
};

/* The thread's own state: messages published and waiting for their PUBACK. */
struct conn {
	struct shared	*sh;
	struct mosquitto *mosq;
	struct msg	*inflight;
	int		 connected;
	time_t		 deadline;	/* the oldest message in flight fails after this */
};

static void
msg_free(struct msg *m)
{
	free(m->topic);
	free(m->payload);
	free(m->key);
	free(m->error);
	free(m);
}

static void
shared_unref(struct shared *sh)
{
	struct msg	*m;
	int		 last;

	pthread_mutex_lock(&sh->mu);
	last = --sh->refs == 0;
	pthread_mutex_unlock(&sh->mu);
	if (!last)
		return;
	while ((m = sh->todo) != NULL) {
		sh->todo = m->next;
		msg_free(m);
	}
	while ((m = sh->done) != NULL) {
		sh->done = m->next;
		msg_free(m);
	}
	pthread_mutex_destroy(&sh->mu);
	pthread_cond_destroy(&sh->wake);
	free(sh->host);
	free(sh->user);
	if (sh->password != NULL)
		explicit_bzero(sh->password, strlen(sh->password));
	free(sh->password);
	free(sh->ca_file);
	free(sh->client_id);
	free(sh->label);
	free(sh);
}

/* Hands a result to the loop (thread side). */
static void
finish(struct conn *c, struct msg *m, int ok, const char *error)
{
	struct shared	*sh = c->sh;
	struct msg	**pp;

	m->ok = ok;
	m->error = error != NULL ? xstrdup(error) : NULL;
	m->next = NULL;
	pthread_mutex_lock(&sh->mu);
	for (pp = &sh->done; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = m;
	if (!sh->detached)
		uv_async_send(sh->async);
	pthread_mutex_unlock(&sh->mu);
}

/* Fails every message in flight and drops the connection: they are published anew later. */
static void
reset(struct conn *c, const char *why)
{
	struct msg	*m;

	while ((m = c->inflight) != NULL) {
		c->inflight = m->next;
		finish(c, m, 0, why);
	}
	if (c->mosq != NULL) {
		if (c->connected)
			mosquitto_disconnect(c->mosq);
		mosquitto_destroy(c->mosq);
		c->mosq = NULL;
	}
	c->connected = 0;
}

/* PUBACK (thread side, inside mosquitto_loop). */
static void
on_publish(struct mosquitto *mosq, void *obj, int mid, int reason, const mosquitto_property *p)
{
	struct conn	*c = obj;
	struct msg	**pp, *m;
	char		 error[ERROR_MAX];

	(void)mosq;
	(void)p;
	for (pp = &c->inflight; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->mid != mid)
			continue;
		m = *pp;
		*pp = m->next;
		if (reason >= 0x80) {
			snprintf(error, sizeof(error), "the broker refused the message: %s",
			    mosquitto_reason_string(reason));
			finish(c, m, 0, error);
		} else
			finish(c, m, 1, NULL);
		c->deadline = time(NULL) + (time_t)c->sh->timeout;
		return;
	}
}

/* Connects (blocking: this thread only). 0, or -1 with error filled. */
static int
connect_broker(struct conn *c, char *error, size_t len)
{
	struct shared	*sh = c->sh;
	int		 rc;

	if ((c->mosq = mosquitto_new(sh->client_id, true, c)) == NULL) {
		snprintf(error, len, "mosquitto_new failed");
		return -1;
	}
	mosquitto_int_option(c->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_publish_v5_callback_set(c->mosq, on_publish);
	if (sh->user != NULL)
		mosquitto_username_pw_set(c->mosq, sh->user, sh->password);
	if (sh->tls && (rc = mosquitto_tls_set(c->mosq, sh->ca_file, sh->ca_file != NULL ? NULL :
	    "/etc/ssl/certs", NULL, NULL, NULL)) != MOSQ_ERR_SUCCESS) {
		snprintf(error, len, "TLS: %s", mosquitto_strerror(rc));
		return -1;
	}
	if ((rc = mosquitto_connect_bind_v5(c->mosq, sh->host, sh->port, KEEPALIVE, NULL,
	    NULL)) != MOSQ_ERR_SUCCESS) {
		snprintf(error, len, "cannot connect to %s: %s", sh->label,
		    rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		return -1;
	}
	c->connected = 1;
	return 0;
}

/* Publishes one message on the connection; it then waits in c->inflight. */
static void
publish(struct conn *c, struct msg *m)
{
	mosquitto_property	*props = NULL;
	char			 error[ERROR_MAX];
	int			 rc;

	mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, "idempotency-key",
	    m->key);
	rc = mosquitto_publish_v5(c->mosq, &m->mid, m->topic, (int)m->len, m->payload, 1, false,
	    props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(error, sizeof(error), "publish to %s: %s", c->sh->label,
		    mosquitto_strerror(rc));
		finish(c, m, 0, error);
		return;
	}
	if (c->inflight == NULL)
		c->deadline = time(NULL) + (time_t)c->sh->timeout;
	m->next = c->inflight;
	c->inflight = m;
}

static void *
thread_main(void *arg)
{
	struct conn	 c = { .sh = arg };
	struct shared	*sh = c.sh;
	struct msg	*batch, *m;
	char		 error[ERROR_MAX];
	int		 rc;

	for (;;) {
		pthread_mutex_lock(&sh->mu);
		while (!sh->stop && sh->todo == NULL && c.inflight == NULL && !c.connected)
			pthread_cond_wait(&sh->wake, &sh->mu);
		if (sh->stop) {
			pthread_mutex_unlock(&sh->mu);
			break;
		}
		batch = sh->todo;
		sh->todo = NULL;
		sh->ntodo = 0;
		pthread_mutex_unlock(&sh->mu);
		if (batch != NULL && !c.connected && connect_broker(&c, error, sizeof(error)) == -1) {
			reset(&c, error);
			while ((m = batch) != NULL) {
				batch = m->next;
				finish(&c, m, 0, error);
			}
			continue;
		}
		while ((m = batch) != NULL) {
			batch = m->next;
			publish(&c, m);
		}
		if (!c.connected)
			continue;
		if ((rc = mosquitto_loop(c.mosq, LOOP_MS, 1)) != MOSQ_ERR_SUCCESS) {
			snprintf(error, sizeof(error), "connection to %s lost: %s", sh->label,
			    rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
			reset(&c, error);
		} else if (c.inflight != NULL && time(NULL) > c.deadline) {
			snprintf(error, sizeof(error), "no PUBACK from %s within %u s", sh->label,
			    sh->timeout);
			reset(&c, error);
		}
	}
	reset(&c, "stopped");
	shared_unref(sh);
	return NULL;
}

/* Results on the loop thread. */
static void
async_cb(uv_async_t *h)
{
	struct mqtt_client	*mc = h->data;
	struct msg		*list, *m;

	pthread_mutex_lock(&mc->sh->mu);
	list = mc->sh->done;
	mc->sh->done = NULL;
	pthread_mutex_unlock(&mc->sh->mu);
	while ((m = list) != NULL) {
		list = m->next;
		if (!mc->closing)
			mc->done_cb(mc->arg, m->cookie, m->ok, m->error);
		msg_free(m);
	}
}

static void	close_cb(uv_handle_t *);

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void
lib_init(void)
{
	mosquitto_lib_init();
}

/* Splits mqtt(s)://HOST[:PORT][/] into sh. 0 or -1. */
static int
parse_url(struct shared *sh, const char *url)
{
	const char	*h, *end, *colon;
	char		*port_end;
	long		 port;

	if (strncasecmp(url, "mqtts://", 8) == 0) {
		sh->tls = 1;
		h = url + 8;
	} else if (strncasecmp(url, "mqtt://", 7) == 0)
		h = url + 7;
	else
		return -1;
	end = h + strcspn(h, "/");
	if (*end == '/' && end[1] != '\0')
		return -1;
	colon = memchr(h, ':', (size_t)(end - h));
	if (colon != NULL) {
		port = strtol(colon + 1, &port_end, 10);
		if (port_end != end || port < 1 || port > 65535)
			return -1;
		sh->port = (int)port;
	} else {
		colon = end;
		sh->port = sh->tls ? 8883 : 1883;
	}
	if (colon == h)
		return -1;
	sh->host = xstrndup(h, (size_t)(colon - h));
	return 0;
}

struct mqtt_client *
mqtt_client_new(uv_loop_t *loop, const char *url, const char *user, const char *password,
    const char *ca_file, const char *client_id, unsigned timeout, mqtt_done_cb done_cb,
    void *arg)
{
	struct mqtt_client	*mc;
	struct shared		*sh;
	int			 r;

	pthread_once(&lib_once, lib_init);
	sh = xcalloc(1, sizeof(*sh));
	if (parse_url(sh, url) == -1) {
		log_warnx("mqtt: bad broker URL %s: expected mqtt://HOST[:PORT] or mqtts://", url);
		free(sh->host);
		free(sh);
		return NULL;
	}
	pthread_mutex_init(&sh->mu, NULL);
	pthread_cond_init(&sh->wake, NULL);
	sh->user = user ? xstrdup(user) : NULL;
	sh->password = password ? xstrdup(password) : NULL;
	sh->ca_file = ca_file ? xstrdup(ca_file) : NULL;
	sh->client_id = xstrdup(client_id);
	sh->timeout = timeout ? timeout : 30;
	sh->label = xstrdup(url);
	sh->refs = 2;
	mc = xcalloc(1, sizeof(*mc));
	mc->loop = loop;
	mc->done_cb = done_cb;
	mc->arg = arg;
	mc->sh = sh;
	if ((r = uv_async_init(loop, &mc->async, async_cb)) != 0) {
		log_warnx("mqtt: uv_async_init: %s", uv_strerror(r));
		sh->refs = 1;
		shared_unref(sh);
		free(mc);
		return NULL;
	}
	mc->async.data = mc;
	sh->async = &mc->async;
	if ((r = pthread_create(&mc->thread, NULL, thread_main, sh)) != 0) {
		log_warnx("mqtt: cannot start a thread: %s", strerror(r));
		/* No thread holds a reference: close_cb lets go of the last one. */
		sh->refs = 1;
		mc->closing = 1;
		uv_close((uv_handle_t *)&mc->async, close_cb);
		return NULL;
	}
	pthread_detach(mc->thread);
	return mc;
}

int
mqtt_publish(struct mqtt_client *mc, const char *topic, const void *payload, size_t len,
    const char *key, uint64_t cookie)
{
	struct shared	*sh = mc->sh;
	struct msg	*m, **pp;

	pthread_mutex_lock(&sh->mu);
	if (sh->ntodo >= MQTT_QUEUE_MAX) {
		pthread_mutex_unlock(&sh->mu);
		return -1;
	}
	m = xcalloc(1, sizeof(*m));
	m->cookie = cookie;
	m->topic = xstrdup(topic);
	m->payload = xmalloc(len ? len : 1);
	memcpy(m->payload, payload, len);
	m->len = len;
	m->key = xstrdup(key);
	for (pp = &sh->todo; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = m;
	sh->ntodo++;
	pthread_cond_signal(&sh->wake);
	pthread_mutex_unlock(&sh->mu);
	return 0;
}

static void
close_cb(uv_handle_t *h)
{
	struct mqtt_client	*mc = h->data;

	shared_unref(mc->sh);
	free(mc);
}

void
mqtt_client_close(struct mqtt_client *mc)
{
	if (mc == NULL)
		return;
	mc->closing = 1;
	pthread_mutex_lock(&mc->sh->mu);
	mc->sh->stop = 1;
	mc->sh->detached = 1;
	pthread_cond_signal(&mc->sh->wake);
	pthread_mutex_unlock(&mc->sh->mu);
	uv_close((uv_handle_t *)&mc->async, close_cb);
}
