/*
 * feed.h: the feeds the daemon polls. feed.c owns every feed of the configuration: its schedule,
 * backoff and validators, its transfer and parser, the new items it holds until they are written
 * with their alerts in one transaction, shared with the polls that ended about then (fetch ->
 * parse -> match -> store -> outbox; delivery is kicked once it has committed), the memory
 * budget all feeds share, and what a reload does to them (kept, retargeted, added, removed while
 * a transfer runs). The run module owns what the feeds share (struct feeds_env: the loop, the
 * store, the fetcher, the delivery, the configuration and the rules) and keeps it alive while the
 * feeds live; it is told through feeds_cb when a poll ended.
 *
 * Failure: a bad feed is never fatal. A failed transfer or parse backs the feed off (its interval
 * doubled per failure, capped at a day, never sooner than a Retry-After); a failed write keeps
 * the old validators so the next poll fetches the whole feed and finds the items again.
 */
#ifndef NW_FEED_H
#define NW_FEED_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "conf.h"
#include "deliver.h"
#include "fetch.h"
#include "match.h"
#include "store.h"

/* What every feed uses, filled by the run module; feeds_new copies it. */
struct feeds_env {
	uv_loop_t		*loop;
	struct store		*store;
	struct fetcher		*fetcher;
	struct deliver		*dl;
	const struct conf	*conf;		/* replaced by feeds_reload */
	const struct matcher	*matcher;	/* built from conf; replaced with it */
	int			 once;		/* --once: poll each feed one time */
};

struct feeds_cb {
	/* A feed's poll ended (its items and state written or given up): the run may be done
	 * (feeds_busy, feeds_polled). Called on the loop thread from a fetch callback, last. */
	void	(*polled_cb)(void *arg);
};

/* Figures for STATUS=. */
struct feeds_stats {
	size_t		 nfeeds;	/* configured */
	size_t		 failing;	/* of those, failing now */
	uint64_t	 polls;		/* polls ended since the start */
	uint64_t	 alerts;	/* alerts put in the outbox since the start */
};

struct feeds;

/* feed.c */
/* An empty set of feeds over env (copied). */
struct feeds	*feeds_new(const struct feeds_env *, const struct feeds_cb *, void *arg);
/*
 * Loads every configured feed's stored state and schedules its first poll (at once with
 * --once, else at the stored next poll time, or within seconds for a new feed). -1 if a feed's
 * state could not be loaded: nothing is polled, feeds_stop and feeds_free clean up.
 */
int		 feeds_start(struct feeds *);
/*
 * A reload: takes the new configuration and rules (both must outlive the feeds or the next
 * reload; the old ones may be freed on return). Feeds are matched by name: kept ones keep their
 * timer, state and transfer (a new URL drops the validators and a 410); new ones start; removed
 * ones stop, and one removed while its transfer runs records nothing of it. Counts in *added and
 * *removed.
 */
void		 feeds_reload(struct feeds *, const struct conf *, const struct matcher *,
		    size_t *added, size_t *removed);
/* 1 while a transfer is in flight (feeds a reload removed included). */
int		 feeds_busy(const struct feeds *);
/* --once: 1 when every feed has been polled once (or will not be: 410 Gone). */
int		 feeds_polled(const struct feeds *);
void		 feeds_stats(const struct feeds *, struct feeds_stats *);
/* Frees removed feeds whose transfer has ended (call now and then, e.g. from a timer). */
void		 feeds_reap(struct feeds *);
/* No poll starts any more: polls that ended and wait to be written are written (and end:
 * polled_cb), the timers are closed (the loop must run to finish that); transfers in flight end
 * as usual, or cancelled by fetcher_close. Later calls do nothing. */
void		 feeds_stop(struct feeds *);
/* Frees every feed, after the loop ended. */
void		 feeds_free(struct feeds *);

#endif
