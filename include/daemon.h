/*
 * daemon.h: the running daemon. cmd_run.c owns a struct daemon and its start-up and teardown;
 * feed.c polls each feed (fetch, parse, match, store); deliver.c drains the alert outbox into the
 * alert log and the notifier. These three are the only files that know every module.
 */
#ifndef NW_DAEMON_H
#define NW_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "alert.h"
#include "conf.h"
#include "fetch.h"
#include "match.h"
#include "notify.h"
#include "parse.h"
#include "record.h"
#include "store.h"

struct daemon;

/* A new item found by a poll, kept in memory until the poll's one transaction. */
struct feed_news {
	char		*key;
	char		*alt_key;	/* link + folded title (deliver_alt_key), or NULL */
	char		*title;
	char		*link;
	char		*summary;	/* plain text, stored apart for replay */
	char		*content;
	char		**categories;
	size_t		 ncategories;
	time_t		 published;
	struct alert	*alerts;
	size_t		 nalerts;
	uint64_t	 fp;		/* item_fingerprint of its text */
	int		 update;	/* a known item whose text changed: its record is replaced */
	int		 matched;	/* the rules were run on it: fired is complete */
	char		**fired;	/* rules that fired on it (the first nold on its old text) */
	size_t		 nfired, nold;
};

struct feed {
	struct daemon		*d;
	const struct conf_feed	*conf;
	uv_timer_t		 timer;		/* next poll */
	int			 busy;		/* a poll is in flight */
	int			 silent;	/* this poll records items without alerting */
	int			 stopped;	/* 410 Gone, or removed */
	int			 removed;	/* by a reload: its last transfer's items are dropped */
	int			 max_items_noted;	/* "only the first max_items" logged this run */
	long			 status;
	struct parser		*parser;
	char			*parse_error;
	struct feed_news	*news;		/* new items not written yet */
	size_t			 nnews;
	size_t			 news_bytes;	/* their text (feed.c: NEWS_HOLD_MAX) */
	size_t			 nsaved;	/* new items already written in this poll */
	size_t			 nsaved_alerts;	/* and the alerts queued with them */
	size_t			 nlost;		/* new items a failed write dropped */
	size_t			 nitems;	/* items seen in this poll */
	size_t			 nold;		/* new items older than max_age in this poll */
	unsigned		 ttl;		/* the feed's own lower bound on its interval */
	struct store_feed	 st;		/* health and validators, as stored */
};

struct daemon {
	uv_loop_t		*loop;
	struct conf		*conf;
	struct store		*store;
	struct matcher		*matcher;
	struct fetcher		*fetcher;
	struct notifier		*notifier;	/* NULL when notify = no */
	struct alert_log	*log;
	struct feed		**feeds;	/* each allocated on its own: a reload rebuilds
						 * this array while timers and transfers keep
						 * pointing at the feeds */
	size_t			 nfeeds;
	int			 once;		/* --once: poll each feed one time, deliver, exit */
	int			 stopping;
	size_t			 polls_left;	/* --once: feeds not polled yet */
	int			 exit_status;

	/* Delivery state (deliver.c). */
	uv_timer_t		 deliver_timer;	/* retries a log that could not be written */
	int			 log_failing;
	uv_fs_t			 fsync_req;
	int			 fsync_busy;	/* an fsync of the alert log is running */
	int			 fsync_again;	/* more was written since it started */
	int64_t			 notify_upto;	/* highest alert id handed to the notifier */
	size_t			 notify_inflight;
	struct deliver		*dl;		/* the rest of it, private to deliver.c */

	size_t			 news_bytes;	/* new items' text all feeds hold (feed.c) */

	/* Figures for STATUS= and the log. */
	uint64_t		 polls;
	uint64_t		 alerts;
};

/* feed.c */
/* Sets up a feed's timer and loads its stored state. 0 or -1. */
int	feed_init(struct feed *, struct daemon *, const struct conf_feed *);
/* Schedules the first poll (immediately with --once, else at the stored next poll time). */
void	feed_start(struct feed *);
/* Stops polling; the timer handle is closed (the loop must run to finish). */
void	feed_stop(struct feed *);
/* Frees what the feed holds (after the loop ended). */
void	feed_free(struct feed *);

/* deliver.c */
/* Starts delivery: handles alerts left pending by an earlier run. 0 or -1. */
int	deliver_init(struct daemon *);
/* Writes pending alerts to the alert log and hands them to the notifier. */
void	deliver_kick(struct daemon *);
/* 1 when no alert waits for the log or for a notification in flight. */
int	deliver_idle(struct daemon *);
/* Reopens the alert log (SIGHUP, SIGUSR1: logrotate moved it). */
void	deliver_reopen(struct daemon *);
void	deliver_stop(struct daemon *);
/*
 * Puts a matched alert in the outbox (inside the poll's transaction) on the channels it needs:
 * the log, notifications when on, the rule's exec hook. A story already alerted for the rule
 * (same link, or same folded title of 20+ bytes, from any feed) adds the feed to that alert's
 * also_in instead: *added = 0 (the log record shows it only if not written yet: settle). 0 or -1.
 */
int	deliver_outbox_add(struct daemon *, struct alert *, const char *title, int *added);
/* A story's keys ("link:..." and "title:...", either NULL) as the outbox compares them. */
void	deliver_story_keys(const char *link, const char *title, char *keys[2]);
/* An item's secondary key: its link (normalised) and folded title; NULL without both. */
char	*deliver_alt_key(const char *link, const char *title);

/* cmd_run.c */
/* Called when a feed's --once poll ended or delivery went idle: ends the run when all is done. */
void	daemon_check_done(struct daemon *);

#endif
