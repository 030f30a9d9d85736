/*
 * store.h: the state database (SQLite, WAL): seen items, feed health and validators, and the alert
 * outbox. The only file that includes sqlite3. Calls are short and synchronous: one transaction
 * per fetched feed keeps each under a millisecond or so.
 */
#ifndef NW_STORE_H
#define NW_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "record.h"

/* Per-feed state and health. Strings are owned by the struct (store_feed_clear frees them). */
struct store_feed {
	char	*etag;
	char	*last_modified;
	char	*url;		/* set after repeated permanent redirects, else NULL */
	time_t	 last_attempt;
	time_t	 last_success;
	time_t	 next_poll;
	long	 last_status;	/* HTTP status, 0 if none */
	char	*last_error;
	unsigned failures;	/* consecutive */
	int	 polled;	/* 1 once a poll has succeeded (first_poll = silent uses it) */
	int	 gone;		/* 410 seen: polling stopped */
};

/* Outbox channels. */
#define STORE_CH_LOG	0x01
#define STORE_CH_NOTIFY	0x02

struct store;

/* store.c */
/* Opens or creates dir/state.db (dir made 0700, file 0600), migrates the schema. NULL on error, logged. */
struct store	*store_open(const char *dir);
void		 store_close(struct store *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);

/* 0 found, 1 not found (*out zeroed), -1 error. */
int		 store_feed_get(struct store *, const char *feed, struct store_feed *out);
int		 store_feed_put(struct store *, const char *feed, const struct store_feed *);
void		 store_feed_clear(struct store_feed *);
/* Lists every feed's state: calls cb per feed, in name order. */
int		 store_feed_each(struct store *, int (*cb)(void *arg, const char *feed,
		    const struct store_feed *), void *arg);

/* 1 if the feed already has an item with this key, 0 if not, -1 on error. */
int		 store_item_seen(struct store *, const char *feed, const char *key);
/* Records an item as seen (with its text, for replay and pruning). */
int		 store_item_add(struct store *, const char *feed, const char *key,
		    const char *title, const char *link, time_t published, const char *text);

/* Puts an alert in the outbox for the given channels (STORE_CH_*); sets a->id. */
int		 store_alert_add(struct store *, struct alert *a, unsigned channels);
/* Up to max alerts still pending on channel, oldest first, into a new array (*out, *n).
 * Free each with alert_free and the array with free. */
int		 store_alert_pending(struct store *, unsigned channel, size_t max,
		    struct alert **out, size_t *n);
int		 store_alert_done(struct store *, int64_t id, unsigned channel);

/* Deletes items and delivered alerts older than the time given. */
int		 store_prune(struct store *, time_t before);

#endif
