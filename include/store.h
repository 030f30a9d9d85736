/*
 * store.h: the state database (SQLite, WAL): seen items, feed health and validators, and the alert
 * outbox. The only file that includes sqlite3. Calls are short and synchronous: one transaction
 * per group of polls that ended together (feed.c), bounded by the text the feeds may hold.
 *
 * One daemon owns a state directory: store_open takes an exclusive lock on <dir>/lock and fails
 * ("another newswatch is running on <dir>") if another process holds it. Every function logs its
 * own errors once, naming what failed; callers only look at the return value. A store is used
 * from one thread (the loop thread): the connection is opened without SQLite's mutexes.
 *
 * Return values, one convention for the whole store: a call that changes or lists things returns
 * 0 or -1; a lookup (store_feed_get, store_item_touch, store_item_get,
 * store_item_alt_seen, store_fired_seen, store_story_seen, store_alert_also_in) returns 1 found,
 * 0 not found, -1 error. "Not found" is an answer, not an error: it is never logged. Out of memory
 * is fatal (util.h); store_open and store_open_readonly, which make an object, return NULL on error.
 * Elsewhere a lookup that answers with a pointer or an index (conf_feed_find NULL,
 * conf_entity_find -1 if none) has nothing else to report and keeps that form.
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
	char	*moved_to;	/* target of the permanent redirect seen on the last polls, or NULL */
	unsigned moved_count;	/* polls in a row that were redirected permanently to moved_to */
};

/* Outbox channels. */
#define STORE_CH_LOG	0x01
#define STORE_CH_NOTIFY	0x02
#define STORE_CH_EXEC	0x04	/* the rule's exec hook */
#define STORE_CH_LAST	STORE_CH_EXEC	/* for (ch = 1; ch <= STORE_CH_LAST; ch <<= 1) */

/*
 * An item as stored (store_item_put) and read back (store_item_each, where the strings are
 * valid only during the callback). Any string may be NULL.
 */
struct store_item {
	const char	*feed;
	const char	*key;		/* identity in the feed: "id:...", "link:..." or "hash:..." */
	const char	*alt_key;	/* link + folded title, to spot rewritten guids */
	const char	*title;
	const char	*link;
	const char	*summary;	/* plain text */
	const char	*content;
	char *const	*categories;
	size_t		 ncategories;
	time_t		 published;	/* 0 if unknown */
	time_t		 seen_at;	/* 0: now */
	uint64_t	 fp;		/* hash of the text the rules read (item_fingerprint) */
	int		 matched;	/* the rules that fire on this text are in the fired set */
	const char	*article;	/* the main text of its web page (fetch_article) */
};

/* What store_item_touch knows of an item already seen. */
struct store_known {
	uint64_t	 fp;		/* its text's fingerprint, if has_fp */
	int		 has_fp;	/* 0 for an item stored before schema 4 */
	int		 matched;	/* as in struct store_item */
	int64_t		 id;		/* its row, for store_item_touch_ids */
	time_t		 seen_at;	/* when a poll last marked it seen */
};

/* A surge episode as store_surge_each hands it out (strings valid during the callback). */
struct store_surge {
	const char	*rule;
	time_t		 opened;
	time_t		 closed;	/* 0 while open */
	unsigned	 window;	/* seconds */
	unsigned	 count;		/* stories in the window when it opened */
	double		 mean;		/* the baseline then */
	double		 sd;
};

/* An item alert as store_alert_recent hands it out (valid during the callback). */
struct store_recent {
	const char	*title;
	const char	*feed;
	char		**also_in;
	size_t		 nalso_in;
	char		**actors;
	size_t		 nactors;
	char		**places;
	size_t		 nplaces;
};

/* An alert's state for one target (store_target_*). */
#define STORE_TARGET_PENDING	0
#define STORE_TARGET_SENT	1
#define STORE_TARGET_FAILED	2	/* refused for good (a 4xx): not retried */
#define STORE_TARGET_DROPPED	3	/* the target's backlog was full */

/* A target as store_target_each hands it out (strings valid during the callback). */
struct store_target {
	const char	*name;
	size_t		 backlog;	/* alerts pending */
	time_t		 oldest;	/* creation time of the oldest pending, 0 if none */
	time_t		 last_success;	/* 0 if never */
	const char	*last_error;	/* the last error, or NULL (never secret: no URL or key) */
	time_t		 last_error_at;
	uint64_t	 sent, failed, dropped;
};

struct store;

/* store.c */
/*
 * Opens or creates dir/state.db (dir made 0700, file 0600), migrates the schema. NULL on error,
 * logged: a locked directory, a file that is not a database, or a schema newer than this program.
 * A damaged file is never recreated silently.
 */
struct store	*store_open(const char *dir);
/* Opens dir/state.db read-only, without the lock (newswatch replay beside a running daemon).
 * NULL, logged, if it is missing or not at this program's schema version. */
struct store	*store_open_readonly(const char *dir);
void		 store_close(struct store *);
/* Transactions do not nest; store_alert_add is atomic inside or outside one. 0 or -1. */
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
/*
 * A batch of lookups in one read transaction: the item lookups of one chunk of a feed (feed.c)
 * then take SQLite's file locks once, not once per statement. It ends at store_batch_end, or
 * at the next store_begin (a write inside the batch runs in its own transaction, the lookups
 * after it on their own). Not inside another transaction (then it does nothing). 0 or -1.
 */
int		 store_batch_begin(struct store *);
void		 store_batch_end(struct store *);

/* Reads the feed's state into *out: 1 found, 0 not found (*out zeroed), -1 error. */
int		 store_feed_get(struct store *, const char *feed, struct store_feed *out);
/* Inserts or replaces the feed's state. NULL strings are stored as NULL. */
int		 store_feed_put(struct store *, const char *feed, const struct store_feed *);
void		 store_feed_clear(struct store_feed *);
/* Lists every feed's state: calls cb per feed, in name order; a non-zero return from cb stops
 * the walk and is returned. cb must not call other store functions. */
int		 store_feed_each(struct store *, int (*cb)(void *arg, const char *feed,
		    const struct store_feed *), void *arg);

/*
 * Whether the feed already has an item with this key: 1 known, 0 new, -1 error; a known
 * item's seen_at becomes now. Calling it for every item still
 * in a feed keeps store_prune from forgetting items the feed still carries (which would alert on
 * them again). A known item's fingerprint comes back in *known (may be NULL) from the same
 * indexed statement. 1 known, 0 new, -1 error.
 */
int		 store_item_touch(struct store *, const char *feed, const char *key, time_t now,
		    struct store_known *known);
/* The read half of store_item_touch, which writes nothing: 1 known (*known filled), 0 new,
 * -1 error. A poll looks its items up as they are parsed and marks them seen later, in its
 * own transaction. */
int		 store_item_known(struct store *, const char *feed, const char *key,
		    struct store_known *known);
/* Sets seen_at to now on the items with these ids (store_known.id): in the caller's
 * transaction, one indexed update each. An id pruned meanwhile is no error. 0 or -1. */
int		 store_item_touch_ids(struct store *, const int64_t *ids, size_t n, time_t now);
/* Records an item with its fields apart (schema 2); an item already known keeps its first
 * record. 0 or -1. */
int		 store_item_put(struct store *, const struct store_item *);
/* Replaces a known item's text, fingerprint and dates with it's (a changed item); the item's
 * key stays. An unknown item is not an error (nothing is written). 0 or -1. */
int		 store_item_replace(struct store *, const struct store_item *);
/* Calls cb with the item stored under (feed, key), strings valid during the callback. 1 if it
 * was found (or cb's non-zero return), 0 if not, -1 on error. */
int		 store_item_get(struct store *, const char *feed, const char *key,
		    int (*cb)(void *arg, const struct store_item *), void *arg);
/*
 * The rules that ever fired on an item (feed, key), so a changed item alerts only rules new to
 * it, once. Kept as long as the item (store_prune). store_fired_seen: 1, 0, -1;
 * store_fired_add (again is no error): 0 or -1.
 */
int		 store_fired_seen(struct store *, const char *feed, const char *key,
		    const char *rule);
int		 store_fired_add(struct store *, const char *feed, const char *key,
		    const char *rule);
/* 1 if the feed has an item with this secondary key (NULL: 0), 0 if not, -1 on error. */
int		 store_item_alt_seen(struct store *, const char *feed, const char *alt_key);
/* Calls cb for every item published (or, undated, seen) at or after since, oldest first; a
 * non-zero return from cb stops the walk and is returned. cb must not call other store
 * functions. */
int		 store_item_each(struct store *, time_t since,
		    int (*cb)(void *arg, const struct store_item *), void *arg);

/* Puts an alert in the outbox for the given channels (STORE_CH_*); sets a->id. The alert's time
 * is its creation time (time(NULL) if 0). 0 or -1. */
int		 store_alert_add(struct store *, struct alert *a, unsigned channels);
/* Up to max alerts still pending on channel with an id above after (0: all; those up to it are
 * being delivered), oldest first, into a new array (*out, *n), with every field and match
 * filled. Free each with alert_free and the array with free. 0 or -1. */
int		 store_alert_pending_after(struct store *, unsigned channel, int64_t after,
		    size_t max, struct alert **out, size_t *n);
/* Records where the alert's log record is about to be written (a->logpos is filled back by
 * store_alert_pending_after). 0 or -1. */
int		 store_alert_logpos(struct store *, int64_t id, const struct alert_logpos *);
/* Clears channel from the alert's pending set; with none left it is delivered (delivered_at =
 * now). 0, or -1 on error (an unknown id is not an error). */
int		 store_alert_done(struct store *, int64_t id, unsigned channel);
/* How many alerts still wait on channel (one STORE_CH_*), and the creation time of the oldest
 * (0 if none): newswatch status and run --once's exit status. 0 or -1. */
/* "log", "notify" or "exec": a channel's name in messages and in status. */
const char	*store_channel_name(unsigned channel);
int		 store_alert_backlog(struct store *, unsigned channel, size_t *count,
		    time_t *oldest);
/* Appends a feed name to the also_in list of a stored alert (once; never the alert's own feed).
 * 1 done (or already listed), 0 if no such alert (pruned: nothing to do), -1 error. */
int		 store_alert_also_in(struct store *, int64_t alert_id, const char *feed);

/*
 * Cross-feed dedup (one story, many feeds): story keys already alerted per rule. store_story_seen
 * gives 1 and the first alert's id, or 0 if the story is new, or -1. store_story_add records it.
 */
int		 store_story_seen(struct store *, const char *rule, const char *story_key,
		    int64_t *alert_id);
int		 store_story_add(struct store *, const char *rule, const char *story_key,
		    int64_t alert_id);

/*
 * Story events (surge.c, newswatch trends): one row per new story per rule (kind "rule", name the
 * rule) and per actor or place its alert names (kind "actor" or "place"); story is the story's
 * key. store_event_add: 0 or -1.
 */
int		 store_event_add(struct store *, time_t at, const char *rule, const char *kind,
		    const char *name, const char *story);
/* A rule's stories per window of window seconds back from now: counts[k] (n of them, caller's
 * array) counts those at (now - (k+1)window, now - k window]; *first is the time of the rule's
 * earliest story kept (0 if none). 0 or -1. */
int		 store_event_windows(struct store *, const char *rule, time_t now,
		    unsigned window, unsigned *counts, size_t n, time_t *first);
/* Calls cb with the distinct stories per actor or place and hour (hour: its first second) for
 * events at [since, until), of one rule or (NULL) all, ordered by kind, name (byte order) and
 * hour; a non-zero return from cb stops the walk
 * and is returned. cb must not call other store functions. */
int		 store_event_hours(struct store *, time_t since, time_t until, const char *rule,
		    int (*cb)(void *arg, const char *kind, const char *name, time_t hour,
		    unsigned count), void *arg);
/* Surge episodes. store_surge_open: 1 and its id when the rule has an open one, 0, -1.
 * store_surge_add opens one for the surge alert a (rule, time, surge fields, id if stored);
 * store_surge_close closes one. 0 or -1. */
int		 store_surge_open(struct store *, const char *rule, int64_t *id);
int		 store_surge_add(struct store *, const struct alert *a);
int		 store_surge_close(struct store *, int64_t id, time_t closed);
/* Calls cb for each episode opened at or after since, oldest first (as store_event_hours). */
int		 store_surge_each(struct store *, time_t since,
		    int (*cb)(void *arg, const struct store_surge *), void *arg);
/* Calls cb with what a surge record names of each of the rule's item alerts created after
 * since, newest first, at most max (as store_event_hours). */
int		 store_alert_recent(struct store *, const char *rule, time_t since, size_t max,
		    int (*cb)(void *arg, const struct store_recent *), void *arg);

/*
 * Push targets (target.h): one row per alert and target. store_target_add records the alert for
 * the target as pending or dropped (STORE_TARGET_*; again is no error); store_target_count gives
 * how many are pending; store_target_pending reads up to max pending alerts with an id above
 * after and a severity in [min_sev, max_sev], oldest first, as store_alert_pending_after does;
 * store_target_settle ends one (sent, failed or dropped, with the error or NULL);
 * store_target_attempt records a failed try and when the next is due. store_target_note
 * records a success (ok) or an error for status and adds to its counts. store_target_each
 * lists every target ever used, in name order; store_target_orphans every target name with
 * pending alerts and their count (to find those a reload removed). Callbacks as in
 * store_feed_each. 0 or -1.
 */
int		 store_target_add(struct store *, int64_t alert_id, const char *target, int state);
int		 store_target_count(struct store *, const char *target, size_t *count);
int		 store_target_pending(struct store *, const char *target, int64_t after,
		    int min_sev, int max_sev, size_t max, struct alert **out, size_t *n);
int		 store_target_settle(struct store *, int64_t alert_id, const char *target,
		    int state, const char *error);
int		 store_target_attempt(struct store *, int64_t alert_id, const char *target,
		    time_t next_try, const char *error);
int		 store_target_note(struct store *, const char *target, int ok, const char *error,
		    unsigned sent, unsigned failed, unsigned dropped);
int		 store_target_each(struct store *, int (*cb)(void *arg,
		    const struct store_target *), void *arg);
int		 store_target_orphans(struct store *, int (*cb)(void *arg, const char *target,
		    size_t pending), void *arg);

/* Deletes items seen, delivered alerts created, story keys and story events recorded, closed
 * surges ended and targets' settled rows settled, before the time given, and the fired rules of
 * the items deleted. Undelivered alerts (a target still waiting for one counts) and open surges
 * are kept whatever their age. 0 or -1. */
int		 store_prune(struct store *, time_t before);

#endif
