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
	struct alert_logpos logpos;	/* outbox bookkeeping: not part of the record's text */
};

/* record.c */
void	alert_free(struct alert *);	/* frees the members, not the struct */

#endif
