/* record.h: the alert record, shared by the matcher's caller, the store's outbox and the alert log. Data only. */
#ifndef NW_RECORD_H
#define NW_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Where an alert's log record was about to be written (deliver.c's write-ahead, kept in the
 * outbox by store.c): the log file's identity, the byte offset the record starts at, and the
 * length and FNV-1a hash of exactly the bytes written. All 0 when no write was planned.
 */
struct alert_logpos {
	int64_t		 off;
	uint64_t	 dev;
	uint64_t	 ino;
	uint64_t	 len;
	uint64_t	 hash;
};

/* Why an entity matched: the explanation carried by every alert. */
struct alert_match {
	char	*kind;		/* "actor", "place" or "keyword" */
	char	*name;		/* canonical name */
	char	*alias;		/* the alias that hit, as written in the config */
	char	*field;		/* "title", "summary", "content" or "category" */
	char	*snippet;	/* a few words around the hit, one line */
	char	*via;		/* for a place found through a place inside it, that place; else NULL */
};

/* What an alert is about: one item, or a surge of a rule's stories (surge.c). */
enum alert_type {
	ALERT_ITEM,
	ALERT_SURGE
};

/*
 * A surge record's own fields (type ALERT_SURGE): count distinct stories of the rule in the last
 * window seconds, against the baseline mean and standard deviation of the same-length windows
 * before it (windows: how many; 0 when there was no history). titles are the stories most feeds
 * carried, feeds the feeds that carried most stories, each at most SURGE_TOP (surge.h).
 */
struct alert_surge {
	unsigned	 window;
	unsigned	 count;
	double		 mean;
	double		 sd;
	unsigned	 windows;
	char		**titles;
	size_t		 ntitles;
	char		**feeds;
	size_t		 nfeeds;
};

struct alert {
	int64_t		 id;		/* outbox row id once stored, else 0 */
	time_t		 time;		/* when it was matched */
	char		*rule;
	int		 severity;	/* enum severity */
	char		*feed;
	char		*title;		/* plain text */
	char		*link;
	char		*item_id;	/* guid/id as the feed gave it, or NULL */
	char		*published;	/* ISO 8601 UTC if understood, else the raw text, or NULL */
	char		**actors;	/* canonical names, config order */
	size_t		 nactors;
	char		**places;
	size_t		 nplaces;
	char		**keywords;
	size_t		 nkeywords;
	struct alert_match *matches;
	size_t		 nmatches;
	char		**also_in;	/* other feeds that carried the same story */
	size_t		 nalso_in;
	int		 update;	/* raised by an item already seen whose text changed */
	enum alert_type	 type;		/* ALERT_ITEM (0) unless a surge */
	struct alert_surge surge;	/* type ALERT_SURGE only; zero otherwise */
	struct alert_logpos logpos;	/* outbox bookkeeping: not part of the record's text */
};

/* record.c */
void	alert_free(struct alert *);	/* frees the members, not the struct */

#endif
