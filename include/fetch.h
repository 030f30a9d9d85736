/*
 * fetch.h: HTTP(S) transfers with libcurl's multi interface on the libuv loop. The only file that
 * includes curl. Bodies stream to a callback as they arrive; every transfer has size, time and
 * connection limits.
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
	unsigned	low_speed_time;		/* ... for this many seconds */
	size_t		max_bytes;		/* decompressed body bytes */
	unsigned	max_redirects;
};

struct fetch_req {
	const char	*url;
	const char	*etag;		/* If-None-Match, or NULL */
	const char	*last_modified;	/* If-Modified-Since, or NULL */
};

struct fetch_result {
	int		 ok;		/* 1: a complete response (any status); 0: transport error */
	long		 status;	/* HTTP status of the final response, 0 if none */
	const char	*error;		/* why, when !ok or the body was cut off */
	const char	*content_type;
	const char	*etag;		/* validators of the response, or NULL */
	const char	*last_modified;
	const char	*effective_url;	/* after redirects */
	const char	*permanent_url;	/* target of a 301/308 redirect chain, or NULL */
	long		 retry_after;	/* seconds from Retry-After, or -1 */
	long		 max_age;	/* seconds from Cache-Control max-age, or -1 */
	size_t		 bytes;		/* body bytes delivered to data_cb */
	double		 seconds;	/* total transfer time */
};

struct fetch_cb {
	/* Before the first body byte of the final response. Return -1 to abort the transfer. */
	int	(*header_cb)(void *arg, long status, const char *content_type);
	/* A chunk of the (decoded) body of a 2xx response. Return -1 to abort the transfer. */
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
/* Queues a transfer (it starts when the limits allow). 0, or -1 (logged). */
int		 fetch_start(struct fetcher *, const struct fetch_req *, const struct fetch_cb *,
		    void *arg);
/* Transfers queued or running. */
size_t		 fetcher_active(const struct fetcher *);
/* Aborts every transfer (each done_cb is called with ok 0, "cancelled"), closes the uv handles
 * and frees the fetcher once they are closed; the loop must run to finish that. */
void		 fetcher_close(struct fetcher *);

#endif
