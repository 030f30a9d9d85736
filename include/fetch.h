/*
 * fetch.h: HTTP(S) transfers with libcurl's multi interface on the libuv loop, and the sends of the
 * push targets (an HTTP POST or PUT, an SMTP mail) through the same machinery. The only file that
 * includes curl: a second curl-on-libuv driver for the sends would repeat all of this. Bodies stream to a callback as they arrive; every transfer has size, time and
 * connection limits.
 *
 * One fetcher holds one curl multi handle, so connections (HTTP/1.1 keep-alive, HTTP/2 where the
 * server offers it over TLS) and the DNS cache are shared by all its transfers. Requests wait in
 * a FIFO until both max_transfers and max_host_transfers allow them to run; a host at its limit
 * does not hold back requests to other hosts. Only http and https are fetched or followed.
 * Responses may be compressed with anything this libcurl decodes (gzip, deflate, br, zstd);
 * callbacks always see decoded bytes.
 */
#ifndef NW_FETCH_H
#define NW_FETCH_H

#include <stddef.h>
#include <uv.h>

struct fetch_limits {
	unsigned	max_transfers;		/* at once, all hosts */
	unsigned	max_host_transfers;	/* at once per host */
	unsigned	connect_timeout;	/* seconds */
	unsigned	timeout;		/* seconds for the whole transfer */
	unsigned	low_speed_bytes;	/* cut off below this many bytes/s ... */
	unsigned	low_speed_time;		/* ... for this many seconds (0: no cut-off) */
	size_t		max_bytes;		/* decompressed body bytes; also the declared size */
	unsigned	max_redirects;
};

struct fetch_req {
	const char	*url;
	const char	*etag;		/* If-None-Match, or NULL */
	const char	*last_modified;	/* If-Modified-Since, or NULL */
	const char	*accept;	/* Accept, or NULL for curl's default */
	unsigned	 max_host;	/* starts only while fewer than this many transfers (of any
					 * request) run to its host; 0: max_host_transfers. Pages
					 * fetched for their text use 1, to be gentle with news sites */
	/*
	 * Sending (target.c). method "POST" or "PUT" sends body (body_len bytes) to an http(s)
	 * URL, with headers (extra "Name: value" lines, NULL-terminated, or NULL); a send follows
	 * no redirect. mail_from set makes it an SMTP transfer instead: the URL must be smtp or
	 * smtps, body is the whole message (headers, blank line, text, CRLF line ends) and goes
	 * to every address of mail_rcpt (NULL-terminated). user and password log in (either
	 * kind); the password is copied and wiped when the transfer is freed. host_key, when
	 * set, is what max_host counts instead of the URL's host, so a target's own transfers
	 * are limited apart from others on the same host. ca_file, when set, is a PEM file of CA
	 * certificates trusted instead of the system's for this transfer (CURLOPT_CAINFO).
	 */
	const char	*method;
	const char	*body;
	size_t		 body_len;
	const char *const *headers;
	const char	*mail_from;
	const char *const *mail_rcpt;
	const char	*user;
	const char	*password;
	const char	*host_key;
	const char	*ca_file;
	const char	*label;		/* what logs name instead of the URL ("target NAME"): a
					 * target's URL may hold its secret (a Slack hook) */
};

/*
 * error, when ok is 0, is one human sentence, among others: "DNS: cannot resolve HOST (...)",
 * "cannot connect: connection refused or unreachable (...)", "connect timed out after N s",
 * "timed out after N s", "too slow: under N bytes/s for N s", "body over 16 MiB limit",
 * "body over 16 MiB limit (declared size)", "too many redirects (more than N)",
 * "redirect to a forbidden scheme refused (only http and https are followed): URL",
 * "TLS: ...", "connection reset or closed early: ...", "aborted by callback", "cancelled".
 */
struct fetch_result {
	int		 ok;		/* 1: a complete response (any status); 0: transport error,
					 * limit hit, callback abort or cancel (body cut off) */
	long		 status;	/* HTTP status of the final response (for SMTP the last reply
					 * code), 0 if none */
	const char	*error;		/* why, when !ok; NULL when ok */
	const char	*content_type;	/* of the final response, or NULL */
	const char	*etag;		/* validators of the final response, or NULL */
	const char	*last_modified;
	const char	*effective_url;	/* after redirects (the request URL if none) */
	const char	*permanent_url;	/* when ok, redirects were followed and every hop was
					 * 301 or 308: the final URL, to store instead; else NULL */
	long		 retry_after;	/* seconds from Retry-After, or -1 */
	long		 max_age;	/* seconds from Cache-Control max-age, or -1 */
	size_t		 bytes;		/* body bytes delivered to data_cb */
	double		 seconds;	/* total transfer time */
};

struct fetch_cb {
	/* Once, before the first body byte of the final response (or at its end when the body is
	 * empty, e.g. 304); content_type may be NULL. Return -1 to abort the transfer. May be NULL. */
	int	(*header_cb)(void *arg, long status, const char *content_type);
	/* A chunk of the (decoded) body of a 2xx response; other bodies are discarded. Return -1
	 * to abort the transfer. May be NULL. */
	int	(*data_cb)(void *arg, const char *buf, size_t len);
	/* Exactly once per fetch_start that returned 0, on the loop thread, never from inside
	 * fetch_start. The result and its strings are valid only during the call. */
	void	(*done_cb)(void *arg, const struct fetch_result *);
};

struct fetcher;

/* fetch.c */
void		 fetch_limits_default(struct fetch_limits *);
/* NULL on error (logged). The user agent names the program, its version and project URL. */
struct fetcher	*fetcher_new(uv_loop_t *, const struct fetch_limits *);
/* Queues a transfer (it starts when the limits allow). The request strings are copied; a queued
 * transfer holds no curl handle until it starts. 0, or -1 (logged) when the URL is not http(s)
 * (smtp(s) for a mail), done_cb is NULL or the fetcher is closing. A transfer curl cannot set up when it starts ends
 * through done_cb (ok 0, "cannot set up the transfer"). */
int		 fetch_start(struct fetcher *, const struct fetch_req *, const struct fetch_cb *,
		    void *arg);
/* Transfers queued or running. */
size_t		 fetcher_active(const struct fetcher *);
/* Aborts every transfer (each done_cb is called with ok 0, "cancelled"), closes the uv handles
 * and frees the fetcher once they are closed; the loop must run to finish that. Safe to call from
 * inside any fetch callback (the teardown then waits until curl has returned). */
void		 fetcher_close(struct fetcher *);

#endif
