/* fetch.c: HTTP(S) transfers (and the targets' POSTs and mails) with libcurl's multi interface driven by the libuv loop. */
#include <sys/queue.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <uv.h>

#include "fetch.h"
#include "url.h"
#include "log.h"
#include "util.h"

#define USER_AGENT	"newswatch/" NW_VERSION " (+" NW_PROJECT_URL ")"
/* Longest response header value we keep; a longer validator is ignored rather than cut. */
#define HEADER_VALUE_MAX	4096
/* Longest error text handed to done_cb. */
#define ERROR_MAX	(CURL_ERROR_SIZE + 160)
/*
 * libcurl's receive buffer per running transfer (its default is 16 KiB). It is also the
 * largest piece the write callback hands the XML parser, whose input buffer grows to fit
 * it. 8 KiB took 1 MB off the heap peak of bench/fetch (32 transfers at once; 4 KiB took
 * 1.5 MB) for no measurable CPU time: localhost feeds of 64 KB are 8 reads instead of 4.
 */
#define RECV_BUFFER	8192L

/*
 * One curl socket watched by the loop. Created when curl first asks to watch a socket, closed on
 * CURL_POLL_REMOVE (or at fetcher_close) and freed in its close callback.
 */
struct sock {
	LIST_ENTRY(sock)	 entry;
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct fetcher		*f;
};

struct host;

/*
 * One requested transfer: waits in the pending FIFO, then runs until curl reports it done. The
 * curl handle is made only when it starts: a thousand feeds queued at once then cost a few
 * hundred bytes each while they wait, not a curl handle with its buffers (about 20 KB) each.
 */
struct transfer {
	TAILQ_ENTRY(transfer)	 entry;	/* in fetcher.pending, host.parked or fetcher.running */
	struct fetcher		*f;
	CURL			*easy;	/* NULL until the transfer starts */
	struct curl_slist	*headers;
	char			*url;
	struct host		*host;	/* the per-host limit counts this (one reference) */
	char			*req_etag;		/* validators to send, or NULL */
	char			*req_last_modified;
	char			*req_accept;
	unsigned		 max_host;	/* per-host limit of this request (fetch_req) */
	/* A send (fetch_req): method and body; for a mail, sender and recipients. */
	char			*method;
	char			*body;
	size_t			 body_len;
	size_t			 body_off;	/* bytes of a mail body read by curl */
	char			*mail_from;
	struct curl_slist	*rcpt;
	char			*user;
	char			*password;
	char			*ca_file;	/* CAs trusted instead of the system's, or NULL */
	char			*label;		/* logs name this instead of the URL, or NULL */
	struct fetch_cb		 cb;
	void			*arg;
	char			*errbuf;	/* CURL_ERROR_SIZE bytes once started: a queued
						 * transfer (--once queues every feed) has none */

	/* Headers of the response being received; reset at each response of a redirect chain. */
	long			 resp_status;
	char			*etag;
	char			*last_modified;
	char			*content_type;
	char			*location;
	long			 retry_after;
	long			 max_age;
	unsigned		 hops;		/* responses before the current one */
	int			 temp_hop;	/* a hop was not 301/308 */

	int			 header_called;
	long			 body_status;	/* status seen at the first body byte */
	size_t			 received;	/* decoded body bytes, delivered or not */
	size_t			 bytes;		/* delivered to data_cb */
	const char		*abort_reason;	/* set when our write callback stopped curl */
};

TAILQ_HEAD(transfer_list, transfer);

/*
 * One host with transfers pending or running, found by name in the fetcher's hash table. It
 * holds the per-host count the limit needs, so starting a transfer never walks the running
 * list, and its own FIFO of transfers that were skipped because the host was at their limit
 * ("parked"): those are looked at again only when one of its transfers ends. Every transfer
 * queued, parked or running holds a reference; the last one frees the host.
 *
 * With all feeds on one host (a big site, or the benchmark), the old way of skipping a blocked
 * transfer in the one pending FIFO walked all the waiting ones each time a transfer ended:
 * 10,000 feeds made that quadratic (68% of a warm poll). Now each transfer is parked at most
 * once and started from the head of its host's queue.
 */
struct host {
	LIST_ENTRY(host)	 hash_entry;
	TAILQ_ENTRY(host)	 woken_entry;	/* in fetcher.woken while woken */
	struct transfer_list	 parked;
	unsigned		 parked_max;	/* largest max_host parked (0 when none) */
	unsigned		 running;
	unsigned		 refs;
	int			 woken;		/* a slot freed while transfers are parked */
	char			 name[];	/* lower case */
};

LIST_HEAD(host_bucket, host);
TAILQ_HEAD(host_list, host);
/* Hash buckets to start with; the table doubles when it holds more hosts than buckets. */
#define HOST_BUCKETS_MIN	16

struct fetcher {
	uv_loop_t		*loop;
	CURLM			*multi;
	uv_timer_t		 timer;		/* curl's timeout, and our 0 ms kick */
	struct fetch_limits	 lim;
	struct transfer_list	 pending;	/* FIFO, waiting for a free slot */
	struct transfer_list	 running;	/* added to the multi handle */
	struct host_bucket	*hosts;		/* hash table of struct host, nbuckets long */
	size_t			 nbuckets;
	size_t			 nhosts;
	struct host_list	 woken;		/* hosts whose parked transfers may start */
	size_t			 npending;	/* in pending or parked */
	size_t			 nrunning;
	LIST_HEAD(, sock)	 socks;
	unsigned		 nhandles;	/* uv handles not yet closed */
	int			 in_curl;	/* inside curl_multi_socket_action */
	int			 busy;		/* inside drive(): closing must wait */
	int			 closing;
	int			 closed;	/* teardown done, waiting for close callbacks */
};

static void	drive(struct fetcher *, curl_socket_t, int);
static int	transfer_setup(struct fetcher *, struct transfer *);
static void	start_pending(struct fetcher *);
static void	finish_close(struct fetcher *);
static void	host_put(struct fetcher *, struct host *);
static void	host_slot_freed(struct fetcher *, struct host *);

void
fetch_limits_default(struct fetch_limits *l)
{
	l->max_transfers = 8;
	l->max_host_transfers = 2;
	l->connect_timeout = 15;
	l->timeout = 60;
	/* A feed server that sends under 128 bytes/s for 30 s is stuck or hostile (a drip). */
	l->low_speed_bytes = 128;
	l->low_speed_time = 30;
	l->max_bytes = 16u * 1024 * 1024;
	l->max_redirects = 5;
}

/* "16 MiB", "512 KiB" or "1000 bytes", for error messages. */
static void
format_size(size_t n, char *out, size_t outlen)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(out, outlen, "%zu MiB", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, outlen, "%zu KiB", n / 1024);
	else
		snprintf(out, outlen, "%zu bytes", n);
}

static int
is_2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Frees the per-response header values. */
static void
reset_response(struct transfer *t)
{
	free(t->etag);
	free(t->last_modified);
	free(t->content_type);
	free(t->location);
	t->etag = t->last_modified = t->content_type = t->location = NULL;
	t->retry_after = -1;
	t->max_age = -1;
}

static void
transfer_free(struct transfer *t)
{
	if (t->easy != NULL)
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	reset_response(t);
	free(t->errbuf);
	free(t->url);
	if (t->host != NULL)
		host_put(t->f, t->host);
	free(t->req_etag);
	free(t->req_last_modified);
	free(t->req_accept);
	free(t->method);
	free(t->body);
	free(t->mail_from);
	curl_slist_free_all(t->rcpt);
	free(t->user);
	if (t->password != NULL)
		explicit_bzero(t->password, strlen(t->password));
	free(t->password);
	free(t->ca_file);
	free(t->label);
	free(t);
}

/* Parses Retry-After: delta seconds or an HTTP-date. -1 when unusable. */
static long
parse_retry_after(const char *v)
{
	const char	*p;
	long		 n = 0;
	time_t		 when, now;

	for (p = v; *p >= '0' && *p <= '9'; p++) {
		if (n > 100000000)	/* years: cap rather than overflow */
			return 100000000;
		n = n * 10 + (*p - '0');
	}
	if (p != v && *p == '\0')
		return n;
	if ((when = curl_getdate(v, NULL)) == -1)
		return -1;
	now = time(NULL);
	return when > now ? (long)(when - now) : 0;
}

/* Finds max-age=N in a Cache-Control value (not s-maxage). -1 when absent. */
static long
parse_max_age(const char *v)
{
	const char	*p = v;
	long		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (strncasecmp(p, "max-age", 7) == 0) {
			p += 7;
			while (*p == ' ')
				p++;
			if (*p == '=') {
				p++;
				if (*p == '"')
					p++;
				if (*p >= '0' && *p <= '9') {
					for (n = 0; *p >= '0' && *p <= '9'; p++)
						if (n < 100000000)
							n = n * 10 + (*p - '0');
					return n;
				}
			}
		}
		while (*p != '\0' && *p != ',')
			p++;
	}
	return -1;
}

/*
 * Called by curl for every header line of every response, redirect hops and interim 1xx
 * responses included. A status line starts a new response: the previous one was a hop.
 */
static size_t
header_line_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct transfer	*t = userdata;
	size_t		 n = size * nitems, namelen, vlen;
	const char	*colon, *v, *end, *p;
	char		*value;
	long		 code;

	if (n >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
		for (p = buf + 5, end = buf + n; p < end && *p != ' '; p++)
			;
		for (code = 0; p < end && *p == ' '; p++)
			;
		for (; p < end && *p >= '0' && *p <= '9' && code < 1000; p++)
			code = code * 10 + (*p - '0');
		if (code >= 100 && code < 200)
			return n;	/* interim: the real response follows */
		if (t->resp_status != 0) {
			t->hops++;
			if (t->resp_status != 301 && t->resp_status != 308)
				t->temp_hop = 1;
		}
		t->resp_status = code;
		reset_response(t);
		return n;
	}
	if ((colon = memchr(buf, ':', n)) == NULL)
		return n;
	namelen = (size_t)(colon - buf);
	v = colon + 1;
	end = buf + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' ||
	    end[-1] == '\t'))
		end--;
	vlen = (size_t)(end - v);
	if (vlen == 0 || vlen > HEADER_VALUE_MAX)
		return n;

#define IS(name) (namelen == sizeof(name) - 1 && strncasecmp(buf, name, namelen) == 0)
	if (IS("etag")) {
		free(t->etag);
		t->etag = xstrndup(v, vlen);
	} else if (IS("last-modified")) {
		free(t->last_modified);
		t->last_modified = xstrndup(v, vlen);
	} else if (IS("content-type")) {
		free(t->content_type);
		t->content_type = xstrndup(v, vlen);
	} else if (IS("location")) {
		free(t->location);
		t->location = xstrndup(v, vlen);
	} else if (IS("retry-after")) {
		value = xstrndup(v, vlen);
		t->retry_after = parse_retry_after(value);
		free(value);
	} else if (IS("cache-control")) {
		value = xstrndup(v, vlen);
		t->max_age = parse_max_age(value);
		free(value);
	}
#undef IS
	return n;
}

/* Calls header_cb once per transfer. 0, or -1 when it asked to abort. */
static int
call_header(struct transfer *t, long status)
{
	t->header_called = 1;
	t->body_status = status;
	if (t->cb.header_cb == NULL)
		return 0;
	return t->cb.header_cb(t->arg, status, t->content_type);
}

/* A return value curl reads as a write error, whatever the chunk size. */
static size_t
write_fail(size_t n)
{
	return n == 0 ? 1 : 0;
}

/*
 * Body bytes of the final response, already decoded (gzip, br, ...). The cap counts decoded
 * bytes, so a compression bomb stops after max_bytes however small it was on the wire.
 */
static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer	*t = userdata;
	size_t		 n = size * nmemb;
	long		 status = 0;

	if (!t->header_called) {
		/* The status comes from curl, not our header parse, so it is the final one. */
		if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
			status = 0;
		if (call_header(t, status) == -1) {
			t->abort_reason = "aborted by callback";
			return write_fail(n);
		}
	}
	if (n > t->f->lim.max_bytes - t->received) {
		t->abort_reason = "body over limit";
		return write_fail(n);
	}
	t->received += n;
	if (!is_2xx(t->body_status))
		return n;	/* an error page: nobody wants it */
	if (t->cb.data_cb != NULL && t->cb.data_cb(t->arg, ptr, n) == -1) {
		t->abort_reason = "aborted by callback";
		return write_fail(n);
	}
	t->bytes += n;
	return n;
}

/* Turns a curl failure into one clear sentence. */
static void
describe_error(struct transfer *t, CURLcode rc, char *out, size_t outlen)
{
	const struct fetch_limits	*l = &t->f->lim;
	const char			*detail = t->errbuf != NULL && t->errbuf[0] ? t->errbuf :
						    curl_easy_strerror(rc);
	char				 size[32];
	char				 span[32];

	format_size(l->max_bytes, size, sizeof(size));
	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (t->abort_reason != NULL && strcmp(t->abort_reason, "body over limit") == 0)
			snprintf(out, outlen, "body over %s limit", size);
		else if (t->abort_reason != NULL)
			snprintf(out, outlen, "%s", t->abort_reason);
		else
			snprintf(out, outlen, "write error: %s", detail);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(out, outlen, "body over %s limit (declared size)", size);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(out, outlen, "DNS: cannot resolve %s (%s)", t->host->name, detail);
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		snprintf(out, outlen, "DNS: cannot resolve the proxy (%s)", detail);
		break;
	case CURLE_COULDNT_CONNECT:
		snprintf(out, outlen, "cannot connect: connection refused or unreachable (%s)",
		    detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (strstr(detail, "too slow") != NULL) {
			fmt_duration(l->low_speed_time, span, sizeof(span));
			snprintf(out, outlen, "too slow: under %u bytes/s for %s",
			    l->low_speed_bytes, span);
		} else if (strstr(detail, "onnection timed out") != NULL ||
		    strstr(detail, "connect") != NULL) {
			fmt_duration(l->connect_timeout, span, sizeof(span));
			snprintf(out, outlen, "connect timed out after %s", span);
		} else {
			fmt_duration(l->timeout, span, sizeof(span));
			snprintf(out, outlen, "timed out after %s", span);
		}
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(out, outlen, "too many redirects (more than %u)", l->max_redirects);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* The first URL was checked in fetch_start, so this is a redirect. */
		snprintf(out, outlen, "redirect to a forbidden scheme refused (only http and "
		    "https are followed): %.200s", t->location ? t->location : detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_USE_SSL_FAILED:
		snprintf(out, outlen, "TLS: %s", detail);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		snprintf(out, outlen, "connection reset or closed early: %s", detail);
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(out, outlen, "bad content encoding: %s", detail);
		break;
	case CURLE_URL_MALFORMAT:
		snprintf(out, outlen, "bad URL: %s", detail);
		break;
	default:
		snprintf(out, outlen, "%s", detail);
		break;
	}
}

/*
 * Reports a transfer to its owner and frees it. The transfer is off every list and off the multi
 * handle already. rc is curl's result; cancelled says fetcher_close ended it.
 */
static void
transfer_report(struct transfer *t, CURLcode rc, int cancelled)
{
	struct fetch_result	 r;
	char			 error[ERROR_MAX];
	char			*eff = NULL;
	double			 secs = 0;
	long			 redirects = 0;

	memset(&r, 0, sizeof(r));
	r.retry_after = -1;
	r.max_age = -1;
	r.effective_url = t->url;
	if (t->easy != NULL) {
		if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.status) != CURLE_OK)
			r.status = 0;
		if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK &&
		    eff != NULL)
			r.effective_url = eff;
		if (curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &secs) == CURLE_OK)
			r.seconds = secs;
		if (curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT, &redirects) != CURLE_OK)
			redirects = 0;
	}
	if (cancelled) {
		snprintf(error, sizeof(error), "cancelled");
	} else if (rc == CURLE_OK) {
		r.ok = 1;
		/* An empty body never reached write_cb: the header callback is still owed. */
		if (!t->header_called && call_header(t, r.status) == -1) {
			r.ok = 0;
			snprintf(error, sizeof(error), "aborted by callback");
		}
	} else {
		describe_error(t, rc, error, sizeof(error));
	}
	if (r.status != 0) {
		r.content_type = t->content_type;
		r.etag = t->etag;
		r.last_modified = t->last_modified;
		r.retry_after = t->retry_after;
		r.max_age = t->max_age;
	}
	if (r.ok && redirects > 0 && t->hops > 0 && !t->temp_hop)
		r.permanent_url = r.effective_url;
	r.error = r.ok ? NULL : error;
	r.bytes = t->bytes;
	log_debug("fetch %s: %s, status %ld, %zu bytes, %.3f s", t->label ? t->label : t->url,
	    r.ok ? "done" : error, r.status, r.bytes, r.seconds);
	t->cb.done_cb(t->arg, &r);
	transfer_free(t);
}

/* Collects finished transfers from curl and reports them. */
static void
check_multi_info(struct fetcher *f)
{
	CURLMsg		*msg;
	int		 left;
	struct transfer	*t;
	CURL		*easy;
	CURLcode	 rc;
	char		*priv;

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		rc = msg->data.result;	/* msg is invalid after remove_handle */
		priv = NULL;
		if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) != CURLE_OK ||
		    priv == NULL) {
			log_warnx("fetch: finished transfer without owner");
			curl_multi_remove_handle(f->multi, easy);
			continue;
		}
		t = (struct transfer *)priv;
		TAILQ_REMOVE(&f->running, t, entry);
		f->nrunning--;
		host_slot_freed(f, t->host);
		curl_multi_remove_handle(f->multi, easy);
		transfer_report(t, rc, 0);
	}
}

static size_t
host_bucket_of(const char *name, size_t nbuckets)
{
	return (size_t)(fnv1a(FNV1A_INIT, name, strlen(name)) & (nbuckets - 1));
}

/* Doubles the hash table (its size stays a power of two). */
static void
hosts_grow(struct fetcher *f)
{
	struct host_bucket	*nb;
	struct host		*h;
	size_t			 i, n = f->nbuckets * 2;

	nb = xreallocarray(NULL, n, sizeof(*nb));
	for (i = 0; i < n; i++)
		LIST_INIT(&nb[i]);
	for (i = 0; i < f->nbuckets; i++)
		while ((h = LIST_FIRST(&f->hosts[i])) != NULL) {
			LIST_REMOVE(h, hash_entry);
			LIST_INSERT_HEAD(&nb[host_bucket_of(h->name, n)], h, hash_entry);
		}
	free(f->hosts);
	f->hosts = nb;
	f->nbuckets = n;
}

/* The host named name (lower case), made if new, with one more reference. */
static struct host *
host_get(struct fetcher *f, const char *name)
{
	struct host	*h;
	size_t		 len = strlen(name);

	LIST_FOREACH(h, &f->hosts[host_bucket_of(name, f->nbuckets)], hash_entry)
		if (strcmp(h->name, name) == 0) {
			h->refs++;
			return h;
		}
	if (f->nhosts >= f->nbuckets)
		hosts_grow(f);
	h = xcalloc(1, sizeof(*h) + len + 1);
	memcpy(h->name, name, len + 1);
	TAILQ_INIT(&h->parked);
	h->refs = 1;
	LIST_INSERT_HEAD(&f->hosts[host_bucket_of(name, f->nbuckets)], h, hash_entry);
	f->nhosts++;
	return h;
}

/* Drops one reference; the last frees the host. */
static void
host_put(struct fetcher *f, struct host *h)
{
	if (--h->refs > 0)
		return;
	if (h->woken)
		TAILQ_REMOVE(&f->woken, h, woken_entry);
	LIST_REMOVE(h, hash_entry);
	f->nhosts--;
	free(h);
}

/* One of h's transfers ended: its parked transfers get another look if one may now start. */
static void
host_slot_freed(struct fetcher *f, struct host *h)
{
	h->running--;
	if (!h->woken && h->running < h->parked_max) {
		h->woken = 1;
		TAILQ_INSERT_TAIL(&f->woken, h, woken_entry);
	}
}

/* Takes t off h's parked queue (the caller counts npending). */
static void
host_unpark(struct host *h, struct transfer *t)
{
	TAILQ_REMOVE(&h->parked, t, entry);
	if (TAILQ_EMPTY(&h->parked))
		h->parked_max = 0;
}

/* Starts t, which is on no list: running, or reported as failed (and freed). */
static void
transfer_begin(struct fetcher *f, struct transfer *t)
{
	CURLMcode	mc;

	f->npending--;
	t->errbuf = xcalloc(1, CURL_ERROR_SIZE);
	if ((t->easy = curl_easy_init()) == NULL || transfer_setup(f, t) == -1) {
		snprintf(t->errbuf, CURL_ERROR_SIZE, "cannot set up the transfer");
		transfer_report(t, CURLE_FAILED_INIT, 0);
		return;
	}
	if ((mc = curl_multi_add_handle(f->multi, t->easy)) != CURLM_OK) {
		snprintf(t->errbuf, CURL_ERROR_SIZE, "cannot start: %s", curl_multi_strerror(mc));
		transfer_report(t, CURLE_FAILED_INIT, 0);
		return;
	}
	TAILQ_INSERT_TAIL(&f->running, t, entry);
	f->nrunning++;
	t->host->running++;
}

static int
can_start(const struct fetcher *f)
{
	return !f->closing && !f->in_curl && f->nrunning < f->lim.max_transfers;
}

/*
 * Starts waiting transfers in FIFO order while the limits allow. A transfer whose host is at its
 * limit is parked on its host, not waited on, so one slow host does not hold back the others.
 * Parked transfers were queued before any still in the pending FIFO, so woken hosts go first.
 * Each pass over a host's parked queue stops as soon as no parked transfer can start (its
 * running count is at the largest limit parked); it walks past transfers only when those with
 * a lower per-request limit (page fetches) wait ahead of others.
 *
 * done_cb of a transfer that fails to start runs in here: busy makes a fetcher_close from it
 * wait until the walk is over.
 */
static void
start_pending(struct fetcher *f)
{
	struct transfer	*t, *next;
	struct host	*h;

	f->busy++;
	while (can_start(f) && (h = TAILQ_FIRST(&f->woken)) != NULL) {
		h->refs++;	/* a failed start's report must not free h under us */
		for (t = TAILQ_FIRST(&h->parked); t != NULL && can_start(f) &&
		    h->running < h->parked_max; t = next) {
			next = TAILQ_NEXT(t, entry);
			if (h->running >= t->max_host)
				continue;
			host_unpark(h, t);
			transfer_begin(f, t);
		}
		if (t == NULL || h->running >= h->parked_max) {
			h->woken = 0;
			TAILQ_REMOVE(&f->woken, h, woken_entry);
		}
		host_put(f, h);
	}
	while (can_start(f) && (t = TAILQ_FIRST(&f->pending)) != NULL) {
		TAILQ_REMOVE(&f->pending, t, entry);
		h = t->host;
		if (h->running >= t->max_host) {
			TAILQ_INSERT_TAIL(&h->parked, t, entry);
			if (t->max_host > h->parked_max)
				h->parked_max = t->max_host;
			continue;
		}
		transfer_begin(f, t);
	}
	f->busy--;
	if (f->busy == 0 && f->closing && !f->closed)
		finish_close(f);
}

/* Lets curl act on a socket (or on its timeout), then reports and starts what it can. */
static void
drive(struct fetcher *f, curl_socket_t fd, int flags)
{
	int		running;
	CURLMcode	mc;

	f->busy++;
	f->in_curl++;
	mc = curl_multi_socket_action(f->multi, fd, flags, &running);
	f->in_curl--;
	if (mc != CURLM_OK)
		log_warnx("fetch: curl_multi_socket_action: %s", curl_multi_strerror(mc));
	check_multi_info(f);
	start_pending(f);
	f->busy--;
	if (f->busy == 0 && f->closing && !f->closed)
		finish_close(f);
}

static void
maybe_free(struct fetcher *f)
{
	if (!f->closed || f->nhandles > 0)
		return;
	free(f->hosts);
	free(f);
	curl_global_cleanup();
}

static void
sock_close_cb(uv_handle_t *h)
{
	struct sock	*sk = h->data;
	struct fetcher	*f = sk->f;

	free(sk);
	f->nhandles--;
	maybe_free(f);
}

/* Stops watching a socket; the memory goes in the close callback. */
static void
sock_close(struct fetcher *f, struct sock *sk)
{
	uv_poll_stop(&sk->poll);
	if (f->multi != NULL)
		curl_multi_assign(f->multi, sk->fd, NULL);
	LIST_REMOVE(sk, entry);
	uv_close((uv_handle_t *)&sk->poll, sock_close_cb);
}

static void
poll_cb(uv_poll_t *h, int status, int events)
{
	struct sock	*sk = h->data;
	int		 flags = 0;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	/* sk may be closed inside; it is freed only later, in its close callback. */
	drive(sk->f, sk->fd, flags);
}

/* curl tells which events it wants on a socket. */
static int
socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct fetcher	*f = userp;
	struct sock	*sk = socketp;
	int		 events = 0, r;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (sk != NULL)
			sock_close(f, sk);
		return 0;
	}
	if (f->closed)
		return 0;
	if (sk == NULL) {
		sk = xcalloc(1, sizeof(*sk));
		sk->fd = s;
		sk->f = f;
		if ((r = uv_poll_init_socket(f->loop, &sk->poll, s)) != 0) {
			log_warnx("fetch: uv_poll_init_socket %d: %s", (int)s, uv_strerror(r));
			free(sk);
			return -1;
		}
		sk->poll.data = sk;
		f->nhandles++;
		LIST_INSERT_HEAD(&f->socks, sk, entry);
		curl_multi_assign(f->multi, s, sk);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	if ((r = uv_poll_start(&sk->poll, events, poll_cb)) != 0) {
		log_warnx("fetch: uv_poll_start %d: %s", (int)s, uv_strerror(r));
		return -1;
	}
	return 0;
}

static void
timer_fire_cb(uv_timer_t *h)
{
	struct fetcher	*f = h->data;

	start_pending(f);
	if (!f->closed)	/* a done_cb in there may have closed the fetcher */
		drive(f, CURL_SOCKET_TIMEOUT, 0);
}

/*
 * curl asks to be called back after timeout_ms. It must not be called from here (that is a
 * recursive API call), so even 0 ms goes through the uv timer: the next loop turn.
 */
static int
multi_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher	*f = userp;

	(void)multi;
	if (f->closed)
		return 0;
	if (timeout_ms < 0)
		uv_timer_stop(&f->timer);
	else
		uv_timer_start(&f->timer, timer_fire_cb, (uint64_t)timeout_ms, 0);
	return 0;
}

static void
timer_close_cb(uv_handle_t *h)
{
	struct fetcher	*f = h->data;

	f->nhandles--;
	maybe_free(f);
}

struct fetcher *
fetcher_new(uv_loop_t *loop, const struct fetch_limits *lim)
{
	struct fetcher			*f;
	curl_socket_callback		 sockfn = socket_cb;
	curl_multi_timer_callback	 timerfn = multi_timer_cb;
	CURLcode			 rc;
	int				 r;

	if (lim->max_transfers == 0 || lim->max_host_transfers == 0 || lim->max_bytes == 0) {
		log_warnx("fetch: transfer and size limits must be above zero");
		return NULL;
	}
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		log_warnx("fetch: curl_global_init: %s", curl_easy_strerror(rc));
		return NULL;
	}
	/* Without an asynchronous resolver every DNS lookup would block the loop. */
	if ((curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_ASYNCHDNS) == 0)
		log_warnx("fetch: this libcurl resolves names synchronously; DNS will block");
	f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	f->lim = *lim;
	TAILQ_INIT(&f->pending);
	TAILQ_INIT(&f->running);
	TAILQ_INIT(&f->woken);
	f->nbuckets = HOST_BUCKETS_MIN;
	f->hosts = xreallocarray(NULL, f->nbuckets, sizeof(*f->hosts));
	for (size_t i = 0; i < f->nbuckets; i++)
		LIST_INIT(&f->hosts[i]);
	LIST_INIT(&f->socks);
	if ((f->multi = curl_multi_init()) == NULL) {
		log_warnx("fetch: curl_multi_init failed");
		goto fail;
	}
	if ((r = uv_timer_init(loop, &f->timer)) != 0) {
		log_warnx("fetch: uv_timer_init: %s", uv_strerror(r));
		goto fail;
	}
	f->timer.data = f;
	f->nhandles = 1;
	if (curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, sockfn) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timerfn) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)lim->max_transfers) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)lim->max_host_transfers) != CURLM_OK) {
		log_warnx("fetch: curl_multi_setopt failed");
		f->closing = f->closed = 1;
		curl_multi_cleanup(f->multi);
		f->multi = NULL;
		uv_close((uv_handle_t *)&f->timer, timer_close_cb);
		return NULL;	/* freed by the close callback */
	}
	return f;
fail:
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	free(f->hosts);
	free(f);
	curl_global_cleanup();
	return NULL;
}

/* Refuses header values that would split the request. */
static int
header_safe(const char *v)
{
	return strpbrk(v, "\r\n") == NULL;
}

static int
add_header(struct transfer *t, const char *name, const char *value)
{
	struct curl_slist	*l;
	char			*line;

	if (!header_safe(value)) {
		log_warnx("fetch %s: %s value with a line break ignored", t->url, name);
		return 0;
	}
	line = xasprintf("%s: %s", name, value);
	l = curl_slist_append(t->headers, line);
	free(line);
	if (l == NULL)
		return -1;
	t->headers = l;
	return 0;
}

/* Hands curl the next piece of a mail's body. */
static size_t
read_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct transfer	*t = userdata;
	size_t		 n = size * nitems;

	if (n > t->body_len - t->body_off)
		n = t->body_len - t->body_off;
	memcpy(buf, t->body + t->body_off, n);
	t->body_off += n;
	return n;
}

/*
 * The options of a send: a POST or PUT of the body without redirects, or a mail. Only smtp and
 * smtps for a mail; STARTTLS is used when the server offers it (smtps is TLS from the start).
 */
static int
send_setup(struct transfer *t)
{
	curl_read_callback	 readfn = read_cb;
	CURL			*e = t->easy;

	if (t->user != NULL && (curl_easy_setopt(e, CURLOPT_USERNAME, t->user) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PASSWORD, t->password ? t->password : "") != CURLE_OK))
		return -1;
	if (t->ca_file != NULL && curl_easy_setopt(e, CURLOPT_CAINFO, t->ca_file) != CURLE_OK)
		return -1;
	if (t->mail_from != NULL)
		return curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps") != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_MAIL_FROM, t->mail_from) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t->rcpt) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)t->body_len) !=
		    CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_READFUNCTION, readfn) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_READDATA, t) != CURLE_OK ? -1 : 0;
	return curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->body_len) !=
	    CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->method) != CURLE_OK ? -1 : 0;
}

/* Sets every option of one transfer, when it starts. 0 or -1. */
static int
transfer_setup(struct fetcher *f, struct transfer *t)
{
	const struct fetch_limits	*l = &f->lim;
	curl_write_callback		 writefn = write_cb, headerfn = header_line_cb;
	CURL				*e = t->easy;

	if (t->req_etag != NULL && add_header(t, "If-None-Match", t->req_etag) == -1)
		return -1;
	if (t->req_last_modified != NULL &&
	    add_header(t, "If-Modified-Since", t->req_last_modified) == -1)
		return -1;
	if (t->req_accept != NULL && add_header(t, "Accept", t->req_accept) == -1)
		return -1;
	/*
	 * Each option is checked: a failure here means this libcurl lacks something the limits
	 * depend on, and a transfer without its limits must not run.
	 *
	 * No CURLOPT_PIPEWAIT: with it, a transfer to a host whose connection has not yet shown
	 * whether it can multiplex is parked inside curl. curl 7.88 counts plain http as maybe
	 * multiplexing (HTTP_VERSION_2TLS) and does not wake the parked transfer when an HTTP/1.1
	 * response arrives, only when some transfer ends: a feed polled while another feed of the
	 * same host waited for a slow response sat silent behind it, its timeout not running.
	 * Without it, the worst case is a second connection where one HTTP/2 connection would
	 * have done; our per-host limit still caps them.
	 */
	if (curl_easy_setopt(e, CURLOPT_URL, t->url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)t) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)l->max_redirects) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)l->connect_timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)l->timeout) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)l->low_speed_bytes) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)l->low_speed_time) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)l->max_bytes) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 0L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, headerfn) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERDATA, t) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, writefn) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, t) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, RECV_BUFFER) != CURLE_OK)
		return -1;
	/* After the fetch options: a send overrides the protocols and redirects. */
	if ((t->method != NULL || t->mail_from != NULL) && send_setup(t) == -1)
		return -1;
	return 0;
}

/* Copies what a send adds to a request into t. 0, or -1 (logged) on a bad header. */
static int
send_copy(struct transfer *t, const struct fetch_req *req)
{
	struct curl_slist	*l;
	size_t			 i;

	if (req->method != NULL)
		t->method = xstrdup(req->method);
	if (req->method != NULL || req->mail_from != NULL) {
		t->body = xmalloc(req->body_len + 1);
		if (req->body_len > 0)
			memcpy(t->body, req->body, req->body_len);
		t->body[req->body_len] = '\0';
		t->body_len = req->body_len;
	}
	if (req->mail_from != NULL) {
		t->mail_from = xasprintf("<%s>", req->mail_from);
		for (i = 0; req->mail_rcpt != NULL && req->mail_rcpt[i] != NULL; i++) {
			if ((l = curl_slist_append(t->rcpt, req->mail_rcpt[i])) == NULL)
				return -1;
			t->rcpt = l;
		}
	}
	if (req->label != NULL)
		t->label = xstrdup(req->label);
	if (req->user != NULL)
		t->user = xstrdup(req->user);
	if (req->password != NULL)
		t->password = xstrdup(req->password);
	if (req->ca_file != NULL)
		t->ca_file = xstrdup(req->ca_file);
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		if (!header_safe(req->headers[i])) {
			log_warnx("%s: a header with a line break refused", t->label ? t->label :
			    t->url);
			return -1;
		}
		if ((l = curl_slist_append(t->headers, req->headers[i])) == NULL)
			return -1;
		t->headers = l;
	}
	return 0;
}

int
fetch_start(struct fetcher *f, const struct fetch_req *req, const struct fetch_cb *cb, void *arg)
{
	struct transfer	*t;
	char		*host;

	if (f->closing) {
		log_warnx("fetch %s: the fetcher is closing", req->url);
		return -1;
	}
	if (cb->done_cb == NULL) {
		log_warnx("fetch %s: no done callback", req->url);
		return -1;
	}
	if ((host = url_host(req->url, req->mail_from != NULL)) == NULL) {
		log_warnx("fetch %s: not an %s URL", req->label ? req->label : req->url,
		    req->mail_from != NULL ? "smtp or smtps" : "http or https");
		return -1;
	}
	if (req->host_key != NULL) {
		free(host);
		host = xstrdup(req->host_key);
	}
	t = xcalloc(1, sizeof(*t));
	t->f = f;
	t->url = xstrdup(req->url);
	t->host = host_get(f, host);
	free(host);
	t->cb = *cb;
	t->arg = arg;
	t->retry_after = -1;
	t->max_age = -1;
	t->req_etag = req->etag != NULL ? xstrdup(req->etag) : NULL;
	t->req_last_modified = req->last_modified != NULL ? xstrdup(req->last_modified) : NULL;
	t->req_accept = req->accept != NULL ? xstrdup(req->accept) : NULL;
	t->max_host = f->lim.max_host_transfers;
	if (req->max_host > 0 && req->max_host < t->max_host)
		t->max_host = req->max_host;
	if (send_copy(t, req) == -1) {
		transfer_free(t);
		return -1;
	}
	TAILQ_INSERT_TAIL(&f->pending, t, entry);
	f->npending++;
	/*
	 * Started from the loop, never from here, so done_cb cannot run inside fetch_start. Inside
	 * drive() the pending queue is looked at when curl returns; elsewhere a 0 ms timer does it.
	 * That timer is curl's too: its callback acts with CURL_SOCKET_TIMEOUT, after which curl
	 * reports its next timeout again, so curl's own deadline is re-armed, not lost.
	 */
	if (!f->busy)
		uv_timer_start(&f->timer, timer_fire_cb, 0, 0);
	return 0;
}

size_t
fetcher_active(const struct fetcher *f)
{
	return f->npending + f->nrunning;
}

/* Cancels every transfer, closes every handle; the fetcher goes with the last close callback. */
static void
finish_close(struct fetcher *f)
{
	struct transfer		*t;
	struct transfer_list	 parked;
	struct host		*h;
	struct sock		*sk;
	size_t			 i;

	while ((t = TAILQ_FIRST(&f->running)) != NULL) {
		TAILQ_REMOVE(&f->running, t, entry);
		f->nrunning--;
		curl_multi_remove_handle(f->multi, t->easy);
		transfer_report(t, CURLE_OK, 1);
	}
	/* Parked transfers were queued first; gathered before any report can free their host. */
	TAILQ_INIT(&parked);
	for (i = 0; i < f->nbuckets; i++)
		LIST_FOREACH(h, &f->hosts[i], hash_entry) {
			TAILQ_CONCAT(&parked, &h->parked, entry);
			h->parked_max = 0;
		}
	TAILQ_CONCAT(&parked, &f->pending, entry);
	while ((t = TAILQ_FIRST(&parked)) != NULL) {
		TAILQ_REMOVE(&parked, t, entry);
		f->npending--;
		transfer_report(t, CURLE_OK, 1);
	}
	/* Stop watching before curl closes its cached connections: no poll on a closed fd. */
	while ((sk = LIST_FIRST(&f->socks)) != NULL)
		sock_close(f, sk);
	f->closed = 1;
	curl_multi_cleanup(f->multi);
	f->multi = NULL;
	uv_close((uv_handle_t *)&f->timer, timer_close_cb);
}

void
fetcher_close(struct fetcher *f)
{
	if (f == NULL || f->closing)
		return;
	f->closing = 1;
	/* From inside a callback of ours the teardown waits until curl has returned. */
	if (f->busy == 0)
		finish_close(f);
}
