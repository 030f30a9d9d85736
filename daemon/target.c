/* target.c: the push targets' outbox channels: sending, retries with backoff, digests, quiet hours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "hmac.h"
#include "log.h"
#include "mqtt.h"
#include "target.h"
#include "tmsg.h"
#include "tsched.h"
#include "util.h"

#define RETRY_FIRST	10	/* seconds, unless retry = says otherwise */
#define RESPONSE_MAX	(64u * 1024)	/* a target's answer is read and thrown away */
#define ERROR_MAX	300
#define SEND_TRANSFERS	64	/* the targets' fetcher: at most one transfer per target */
#define STORE_RETRY_MS	5000	/* a send whose outcome could not be stored is redone after */

/* The outcome of one send. */
struct result {
	int	ok;
	int	permanent;	/* refused for good: not retried */
	long	retry_after;	/* seconds, or -1 */
	char	error[ERROR_MAX];
};

/* One target's channel. Held by pointer in struct targets, so callbacks may keep it. */
struct tstate {
	struct targets		*ts;
	char			*name;
	const struct conf_target *conf;	/* NULL: a reload removed it */
	uv_timer_t		 timer;		/* the next try, digest or end of quiet */
	int			 timer_open;
	int			 busy;		/* a send in flight */
	int64_t			*ids;		/* the alerts it carries */
	size_t			 nids;
	int			 digest;	/* it is a digest */
	unsigned		 failures;	/* in a row, for the backoff */
	uint64_t		 not_before;	/* loop ms: no try before (backoff, Retry-After) */
	int			 overflow;	/* in a backlog-full episode: dropped counted */
	unsigned		 dropped;	/* in this episode */
	int			 failing;	/* a failure was logged; a success says so */
	struct mqtt_client	*mqtt;
	uint64_t		 seq;		/* sends made: a done callback of an older one is
						 * ignored */
};

struct targets {
	uv_loop_t		*loop;
	struct store		*store;		/* NULL for test-target */
	const struct conf	*conf;
	targets_moved_cb	 moved_cb;
	void			*arg;
	struct fetcher		*fetcher;	/* made at the first HTTP or SMTP send */
	struct tstate		**t;
	size_t			 nt;
	int			 stopped;
	unsigned		 seed;		/* for the jitter */
	targets_test_cb		 test_cb;
	void			*test_arg;
};

static void	pump(struct tstate *);

static void
moved(struct targets *ts)
{
	if (!ts->stopped && ts->moved_cb != NULL)
		ts->moved_cb(ts->arg);
}

static struct tstate *
tstate_find(struct targets *ts, const char *name)
{
	size_t	i;

	for (i = 0; i < ts->nt; i++)
		if (strcmp(ts->t[i]->name, name) == 0)
			return ts->t[i];
	return NULL;
}

static struct tstate *
tstate_add(struct targets *ts, const char *name)
{
	struct tstate	*t = xcalloc(1, sizeof(*t));

	t->ts = ts;
	t->name = xstrdup(name);
	if (uv_timer_init(ts->loop, &t->timer) == 0) {
		t->timer.data = t;
		t->timer_open = 1;
	}
	ts->t = xreallocarray(ts->t, ts->nt + 1, sizeof(*ts->t));
	ts->t[ts->nt++] = t;
	return t;
}

static void
timer_cb(uv_timer_t *h)
{
	struct tstate	*t = h->data;

	pump(t);
	moved(t->ts);
}

/* Comes back in ms (or sooner, if already armed for sooner). */
static void
arm(struct tstate *t, uint64_t ms)
{
	if (!t->timer_open || t->ts->stopped)
		return;
	if (uv_is_active((uv_handle_t *)&t->timer) && uv_timer_get_due_in(&t->timer) <= ms)
		return;
	uv_timer_start(&t->timer, timer_cb, ms, 0);
}

/* Comes back at the wall-clock time when (a second late, so the time has come). */
static void
arm_at(struct tstate *t, time_t when, time_t now)
{
	if (when > now)
		arm(t, (uint64_t)(when - now) * 1000 + 1000);
}

/* The id and host key of a send, and what logs call it. */
static char *
label_of(const struct tstate *t)
{
	return xasprintf("target %s", t->name);
}

/* The delay before the next try after failures in a row: 10 s doubling to an hour, drawn
 * from the upper half (jitter keeps retries of many daemons apart), Retry-After a floor. */
static uint64_t
backoff_ms(struct tstate *t, long retry_after)
{
	const struct conf_target *c = t->conf;
	uint64_t	first = c != NULL && c->retry ? c->retry : RETRY_FIRST;
	uint64_t	ms = first * 1000;
	unsigned	i;

	for (i = 1; i < t->failures && ms < TARGET_RETRY_MAX * 1000ULL; i++)
		ms *= 2;
	if (ms > TARGET_RETRY_MAX * 1000ULL)
		ms = TARGET_RETRY_MAX * 1000ULL;
	ms = ms / 2 + (uint64_t)rand_r(&t->ts->seed) % (ms / 2 + 1);
	if (retry_after >= 0) {
		if (retry_after > 86400)
			retry_after = 86400;
		if ((uint64_t)retry_after * 1000 > ms)
			ms = (uint64_t)retry_after * 1000;
	}
	return ms;
}

/* A send ended: settle its alerts, or schedule the retry. */
static void
sent(struct tstate *t, const struct result *r)
{
	struct targets	*ts = t->ts;
	struct store	*s = ts->store;
	size_t		 i;
	int		 state, stored, begun;
	uint64_t	 ms;

	t->busy = 0;
	if (s == NULL) {
		if (ts->test_cb != NULL)
			ts->test_cb(ts->test_arg, r->ok, r->ok ? NULL : r->error);
		return;
	}
	if (r->ok || r->permanent) {
		state = r->ok ? STORE_TARGET_SENT : STORE_TARGET_FAILED;
		begun = stored = store_begin(s) == 0;
		for (i = 0; stored && i < t->nids; i++)
			stored = store_target_settle(s, t->ids[i], t->name, state,
			    r->ok ? NULL : r->error) == 0;
		if (stored)
			stored = store_target_note(s, t->name, r->ok, r->ok ? NULL : r->error,
			    r->ok ? (unsigned)t->nids : 0, r->ok ? 0 : (unsigned)t->nids, 0) == 0;
		if (!stored || store_commit(s) == -1) {
			if (begun)
				store_rollback(s);
			/* Still pending (the store said why): sent again, but not in a hot loop. */
			t->not_before = uv_now(ts->loop) + STORE_RETRY_MS;
			pump(t);
			return;
		}
		if (r->ok) {
			if (t->failing)
				log_notice("target %s: delivering again", t->name);
			log_debug("target %s: sent %s%zu alert%s", t->name,
			    t->digest ? "a digest of " : "", t->nids, plural(t->nids));
			t->failing = 0;
		} else
			log_warnx("target %s: %zu alert%s refused for good, not retried: %s",
			    t->name, t->nids, plural(t->nids), r->error);
		t->failures = 0;
		t->not_before = 0;
	} else {
		t->failures++;
		ms = backoff_ms(t, r->retry_after);
		t->not_before = uv_now(ts->loop) + ms;
		if (!t->failing)
			log_warnx("target %s: %s; retrying in %llu s (and on, with backoff)",
			    t->name, r->error, (unsigned long long)(ms + 999) / 1000);
		else
			log_debug("target %s: %s; retry %u in %llu ms", t->name, r->error,
			    t->failures, (unsigned long long)ms);
		t->failing = 1;
		if (store_begin(s) == 0) {
			for (i = 0; i < t->nids; i++)
				(void)store_target_attempt(s, t->ids[i], t->name,
				    time(NULL) + (time_t)(ms / 1000), r->error);
			(void)store_target_note(s, t->name, 0, r->error, 0, 0, 0);
			if (store_commit(s) == -1)
				store_rollback(s);
		}
	}
	pump(t);
}

/* What fetch.c hands back, with the send it answers. */
struct http_send {
	struct tstate	*t;
	uint64_t	 seq;
	int		 mail;
};

static void
http_done_cb(void *arg, const struct fetch_result *fr)
{
	struct http_send	*hs = arg;
	struct tstate		*t = hs->t;
	struct result		 r = { .retry_after = -1 };
	long			 st = fr->status;

	if (t->ts->stopped || hs->seq != t->seq) {
		free(hs);
		return;	/* abandoned at stop: the alerts stay pending */
	}
	if (hs->mail) {
		r.ok = fr->ok;
		if (!fr->ok) {
			snprintf(r.error, sizeof(r.error), "%s", fr->error);
			/* The server's 5xx reply refuses the mail for good; 4xx is "try later". */
			r.permanent = st >= 500 && st < 600;
		}
	} else if (!fr->ok) {
		snprintf(r.error, sizeof(r.error), "%s", fr->error);
	} else if (st >= 200 && st < 300) {
		r.ok = 1;
	} else {
		snprintf(r.error, sizeof(r.error), "HTTP status %ld", st);
		r.retry_after = fr->retry_after;
		r.permanent = !(st == 408 || st == 429 || st >= 500);
	}
	free(hs);
	sent(t, &r);
	moved(t->ts);
}

static void
published_cb(void *arg, uint64_t seq, int ok, const char *error)
{
	struct tstate	*t = arg;
	struct result	 r = { .ok = ok, .retry_after = -1 };

	if (t->ts->stopped || seq != t->seq)
		return;
	if (!ok)
		snprintf(r.error, sizeof(r.error), "%s", error ? error : "failed");
	sent(t, &r);
	moved(t->ts);
}

static void
fail_now(struct tstate *t, const char *why, int permanent)
{
	struct result	r = { .permanent = permanent, .retry_after = -1 };

	snprintf(r.error, sizeof(r.error), "%s", why);
	sent(t, &r);
}

/* Splits an ntfy topic URL into the server's URL (to POST to) and the topic (new strings). */
static void
ntfy_split(const char *url, char **base, char **topic)
{
	const char	*slash = strrchr(url, '/');
	const char	*host = strstr(url, "://");

	if (slash == NULL || host == NULL || slash < host + 3) {
		*base = xstrdup(url);
		*topic = xstrdup("newswatch");
		return;
	}
	*base = xstrndup(url, (size_t)(slash - url + 1));
	*topic = xstrdup(slash + 1);
}

/* %-encodes everything but unreserved characters (a Matrix room id in a path). */
static void
put_pct(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* Sends alerts a[0..n) (a digest when digest) to t: through the fetcher or the MQTT thread. */
static void
send_msg(struct tstate *t, const struct alert *a, size_t n, int digest)
{
	struct targets			*ts = t->ts;
	const struct conf_target	*c = t->conf;
	struct fetch_req		 req;
	struct fetch_cb			 cb = { .done_cb = http_done_cb };
	struct http_send		*hs;
	struct buf			 body, url;
	const char			*headers[CONF_HEADERS_MAX + 8];
	char				*key, *h[4] = { NULL }, *label, *base = NULL, *topic = NULL;
	char				*rcpt[CONF_TO_MAX + 1], sig[65];
	size_t				 nh = 0, i, k;
	int				 r = 0;

	t->busy = 1;
	t->digest = digest;
	t->seq++;
	key = tmsg_key(a, n, digest);
	buf_init(&body, TMSG_MAX);
	buf_init(&url, 8192);
	memset(&req, 0, sizeof(req));
	switch (c->type) {
	case TARGET_WEBHOOK:
	case TARGET_SLACK:
		r = c->type == TARGET_WEBHOOK ? tmsg_json(a, n, digest, &body) :
		    tmsg_slack(a, n, digest, &body);
		buf_puts(&url, c->url);
		break;
	case TARGET_NTFY:
		ntfy_split(c->url, &base, &topic);
		r = tmsg_ntfy(topic, a, n, digest, &body);
		buf_puts(&url, base);
		break;
	case TARGET_MATRIX:
		r = tmsg_matrix(a, n, digest, &body);
		buf_puts(&url, c->url);
		while (url.len > 0 && url.data[url.len - 1] == '/')
			url.data[--url.len] = '\0';
		buf_puts(&url, "/_matrix/client/v3/rooms/");
		put_pct(&url, c->room);
		buf_puts(&url, "/send/m.room.message/");
		put_pct(&url, key);	/* the transaction id: Matrix drops a repeat itself */
		break;
	case TARGET_EMAIL:
		r = tmsg_email(c, a, n, digest, time(NULL), &body);
		buf_puts(&url, c->url);
		break;
	case TARGET_MQTT:
		r = tmsg_json(a, n, digest, &body);
		break;
	}
	if (r == -1) {
		fail_now(t, "the message is over its size limit", 1);
		goto out;
	}
	if (c->type == TARGET_MQTT) {
		if (t->mqtt == NULL) {
			char *id = xasprintf("newswatch-%s-%ld", t->name, (long)getpid());

			t->mqtt = mqtt_client_new(ts->loop, c->url, c->user, c->secret,
			    c->ca_file, id, ts->conf->timeout, published_cb, t);
			free(id);
		}
		topic = tmsg_topic(c->topic, a, digest);
		if (t->mqtt == NULL)
			fail_now(t, "the MQTT client could not start", 0);
		else if (mqtt_publish(t->mqtt, topic, body.data, body.len, key, t->seq) == -1)
			fail_now(t, "the MQTT queue is full", 0);
		goto out;
	}
	if (ts->fetcher == NULL) {
		struct fetch_limits lim;

		fetch_limits_default(&lim);
		lim.max_transfers = SEND_TRANSFERS;
		lim.max_host_transfers = SEND_TRANSFERS;
		lim.timeout = ts->conf->timeout;
		lim.max_bytes = RESPONSE_MAX;
		if ((ts->fetcher = fetcher_new(ts->loop, &lim)) == NULL) {
			fail_now(t, "cannot start transfers", 0);
			goto out;
		}
	}
	label = label_of(t);
	req.url = url.data;
	req.label = label;
	req.host_key = label;	/* one transfer at a time per target, whatever the host */
	req.max_host = 1;
	req.body = body.data;
	req.body_len = body.len;
	if (c->type == TARGET_EMAIL) {
		for (i = 0; i < c->nto && i < CONF_TO_MAX; i++)
			rcpt[i] = xasprintf("<%s>", c->to[i]);
		rcpt[i] = NULL;
		req.mail_from = c->from;
		req.mail_rcpt = (const char *const *)rcpt;
		req.user = c->user;
		req.password = c->user ? c->secret : NULL;
		req.ca_file = c->ca_file;
	} else {
		req.method = c->type == TARGET_MATRIX ? "PUT" : "POST";
		h[0] = xasprintf("Idempotency-Key: %s", key);
		headers[nh++] = "Content-Type: application/json";
		headers[nh++] = h[0];
		if ((c->type == TARGET_NTFY || c->type == TARGET_MATRIX) && c->secret != NULL) {
			h[1] = xasprintf("Authorization: Bearer %s", c->secret);
			headers[nh++] = h[1];
		}
		if (c->type == TARGET_WEBHOOK && c->secret != NULL) {
			if (hmac_sha256_hex(c->secret, strlen(c->secret), body.data, body.len,
			    sig) == -1) {
				fail_now(t, "cannot sign the body (GLib missing)", 0);
				free(label);
				goto out;
			}
			h[2] = xasprintf("X-Newswatch-Signature: sha256=%s", sig);
			headers[nh++] = h[2];
		}
		for (k = 0; k < c->nheaders && k < CONF_HEADERS_MAX; k++)
			headers[nh++] = c->headers[k];
		headers[nh] = NULL;
		req.headers = headers;
	}
	hs = xcalloc(1, sizeof(*hs));
	hs->t = t;
	hs->seq = t->seq;
	hs->mail = c->type == TARGET_EMAIL;
	if (fetch_start(ts->fetcher, &req, &cb, hs) == -1) {
		free(hs);
		fail_now(t, "the send could not start", 0);
	}
	if (c->type == TARGET_EMAIL)
		for (i = 0; rcpt[i] != NULL; i++)
			free(rcpt[i]);
	free(label);
out:
	for (i = 0; i < 4; i++) {
		if (h[i] != NULL)
			explicit_bzero(h[i], strlen(h[i]));
		free(h[i]);
	}
	free(base);
	free(topic);
	free(key);
	buf_free(&body);
	buf_free(&url);
}

static void
free_alerts(struct alert *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		alert_free(&a[i]);
	free(a);
}

/* Starts a send of a[0..n) and remembers their ids. */
static void
start(struct tstate *t, struct alert *a, size_t n, int digest)
{
	size_t	i;

	t->ids = xreallocarray(t->ids, n, sizeof(*t->ids));
	for (i = 0; i < n; i++)
		t->ids[i] = a[i].id;
	t->nids = n;
	send_msg(t, a, n, digest);
}

/*
 * Sends the next thing due on t: the oldest alert that may go alone (critical ones always;
 * the others when neither a digest nor quiet hours hold them), else a digest of the held ones
 * once it is due; or arms the timer for when something will be.
 */
static void
pump(struct tstate *t)
{
	struct targets			*ts = t->ts;
	const struct conf_target	*c = t->conf;
	struct alert			*a = NULL;
	size_t				 n = 0;
	uint64_t			 now_ms;
	time_t				 now, qs, qe, prev, next;
	int				 quiet, hold, due;

	if (ts->stopped || t->busy || c == NULL || ts->store == NULL)
		return;
	now_ms = uv_now(ts->loop);
	if (now_ms < t->not_before) {
		arm(t, t->not_before - now_ms);
		return;
	}
	now = time(NULL);
	quiet = tsched_quiet(c, now, &qs, &qe);
	hold = quiet || c->digest || c->digest_daily;
	if (store_target_pending(ts->store, t->name, 0, hold ? SEV_CRITICAL : SEV_LOW,
	    SEV_CRITICAL, 1, &a, &n) == -1)
		return;
	if (n == 1) {
		/* After a quiet time, a target without digests sends what it held as one. */
		if (!hold && qe != 0 && a[0].time < qe && a[0].severity != SEV_CRITICAL) {
			free_alerts(a, n);
		} else if (a[0].time + (time_t)ts->conf->settle > now) {
			/* settle: copies from other feeds may still join its also_in. */
			arm_at(t, a[0].time + (time_t)ts->conf->settle, now);
			free_alerts(a, n);
			return;
		} else {
			start(t, a, 1, 0);
			free_alerts(a, n);
			return;
		}
	}
	if (quiet) {
		arm_at(t, qe, now);
		if (c->digest || c->digest_daily)
			arm_at(t, tsched_digest_next(c, now), now);
		return;
	}
	/* The held ones: waiting for a digest, or held by the last quiet time. */
	if (store_target_pending(ts->store, t->name, 0, SEV_LOW, SEV_NORMAL, TARGET_DIGEST_MAX,
	    &a, &n) == -1 || n == 0) {
		if (c->digest || c->digest_daily)
			arm_at(t, tsched_digest_next(c, now), now);
		return;
	}
	if (c->digest || c->digest_daily) {
		prev = tsched_digest_prev(c, now);
		next = tsched_digest_next(c, now);
		due = a[0].time < prev;
	} else {
		/* Held by the quiet time that ended at qe: those from before it go together. */
		prev = qe;
		next = 0;
		due = 1;
	}
	if (!due) {
		free_alerts(a, n);
		arm_at(t, next, now);
		return;
	}
	/* Only those from before the boundary: a later one waits for the next digest. */
	while (n > 0 && a[n - 1].time >= prev)
		alert_free(&a[--n]);
	start(t, a, n, 1);
	free_alerts(a, n);
}

static int
orphan_cb(void *arg, const char *target, size_t pending)
{
	struct targets	*ts = arg;

	if (conf_target_find(ts->conf, target) == NULL)
		log_warnx("target %s: %zu alert%s wait for it, but the configuration has no "
		    "[target %s]: kept, not sent, until it has", target, pending, plural(pending),
		    target);
	return 0;
}

/* Matches the channels to conf's targets: new ones start, removed ones stop sending. */
static void
sync_conf(struct targets *ts)
{
	const struct conf_target	*c;
	struct tstate			*t;
	size_t				 i;

	for (i = 0; i < ts->nt; i++) {
		t = ts->t[i];
		c = conf_target_find(ts->conf, t->name);
		/* A changed broker or login: the next send connects with the new one. */
		if (t->mqtt != NULL && (c == NULL || c != t->conf)) {
			mqtt_client_close(t->mqtt);
			t->mqtt = NULL;
			if (t->busy) {
				t->busy = 0;
				t->seq++;	/* its answer will not come: retry */
			}
		}
		t->conf = c;
	}
	for (i = 0; i < ts->conf->ntargets; i++)
		if (tstate_find(ts, ts->conf->targets[i].name) == NULL)
			tstate_add(ts, ts->conf->targets[i].name)->conf = &ts->conf->targets[i];
	if (ts->store != NULL)
		(void)store_target_orphans(ts->store, orphan_cb, ts);
}

struct targets *
targets_new(uv_loop_t *loop, struct store *store, const struct conf *conf,
    targets_moved_cb moved_cb, void *arg)
{
	struct targets	*ts = xcalloc(1, sizeof(*ts));

	ts->loop = loop;
	ts->store = store;
	ts->conf = conf;
	ts->moved_cb = moved_cb;
	ts->arg = arg;
	ts->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	sync_conf(ts);
	return ts;
}

void
targets_set_conf(struct targets *ts, const struct conf *conf)
{
	ts->conf = conf;
	sync_conf(ts);
	targets_kick(ts);
}

int
targets_outbox_add(struct targets *ts, const struct alert *a, const struct conf_rule *rule)
{
	const struct conf_target	*c;
	struct tstate			*t;
	size_t				 i, backlog;
	int				 state;

	for (i = 0; rule != NULL && i < rule->ntargets; i++) {
		c = &ts->conf->targets[rule->targets[i]];
		t = tstate_find(ts, c->name);
		if (store_target_count(ts->store, c->name, &backlog) == -1)
			return -1;
		state = STORE_TARGET_PENDING;
		if (backlog >= c->max_backlog) {
			state = STORE_TARGET_DROPPED;
			if (t != NULL && !t->overflow)
				log_warnx("target %s: %zu alerts wait already (max_backlog): new "
				    "alerts are dropped for it, counted, until it catches up",
				    c->name, backlog);
			if (t != NULL) {
				t->overflow = 1;
				t->dropped++;
			}
			if (store_target_note(ts->store, c->name, 0,
			    "backlog full: alerts dropped", 0, 0, 1) == -1)
				return -1;
		} else if (t != NULL && t->overflow) {
			log_notice("target %s: below max_backlog again; %u alert%s were dropped "
			    "for it", c->name, t->dropped, plural(t->dropped));
			t->overflow = 0;
			t->dropped = 0;
		}
		if (store_target_add(ts->store, a->id, c->name, state) == -1)
			return -1;
	}
	return 0;
}

void
targets_kick(struct targets *ts)
{
	size_t	i;

	for (i = 0; i < ts->nt; i++)
		pump(ts->t[i]);
}

int
targets_idle(const struct targets *ts)
{
	size_t	i;

	for (i = 0; i < ts->nt; i++)
		if (ts->t[i]->busy)
			return 0;
	return 1;
}

static void
tstate_close_cb(uv_handle_t *h)
{
	struct tstate	*t = h->data;

	free(t->ids);
	free(t->name);
	free(t);
}

void
targets_stop(struct targets *ts)
{
	size_t	i;

	if (ts->stopped)
		return;
	ts->stopped = 1;
	if (ts->fetcher != NULL)
		fetcher_close(ts->fetcher);
	ts->fetcher = NULL;
	for (i = 0; i < ts->nt; i++) {
		struct tstate *t = ts->t[i];

		mqtt_client_close(t->mqtt);
		t->mqtt = NULL;
		if (t->timer_open)
			uv_close((uv_handle_t *)&t->timer, tstate_close_cb);
		else
			tstate_close_cb((uv_handle_t *)&t->timer);
	}
	free(ts->t);
	ts->t = NULL;
	ts->nt = 0;
}

void
targets_free(struct targets *ts)
{
	if (ts == NULL)
		return;
	free(ts->t);
	free(ts);
}

int
targets_send_test(struct targets *ts, const char *name, const struct alert *a,
    targets_test_cb cb, void *arg)
{
	struct tstate	*t = tstate_find(ts, name);

	if (t == NULL || t->conf == NULL)
		return -1;
	ts->test_cb = cb;
	ts->test_arg = arg;
	t->ids = xreallocarray(t->ids, 1, sizeof(*t->ids));
	t->ids[0] = a->id;
	t->nids = 1;
	send_msg(t, a, 1, 0);
	return 0;
}
