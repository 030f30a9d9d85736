/*
 * item.h: one feed item on its way from the parser to the matcher and the outbox: its plain text,
 * its identity keys (computed here once, for the store and the outbox alike), and the alert
 * records built from the rules it fired.
 */
#ifndef NW_ITEM_H
#define NW_ITEM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "match.h"
#include "parse.h"
#include "record.h"

/* The text the matcher reads: HTML converted, white space collapsed. */
struct item_text {
	char	*title;
	char	*summary;
	char	*content;
	char	**categories;
	size_t	 ncategories;
	char	*article;	/* the main text of the item's web page (fetch_article), or NULL:
				 * not in the fingerprint, which says whether the feed changed */
};

/*
 * One item from the parser to the outbox (struct item owns every string). key and fp are set by
 * item_from_parse; alt_key and story by item_keys, only for an item worth keeping (they fold
 * the title).
 */
struct item {
	struct item_text text;
	char		*link;		/* as the feed gave it, or NULL */
	time_t		 published;	/* its date (published, else updated), 0 if none */
	char		*key;		/* identity in its feed: "id:<guid>", else "link:<url>",
					 * else "hash:<hex>" of title, date and text */
	uint64_t	 fp;		/* item_fingerprint of its text */
	char		*alt_key;	/* its link (normalised) and folded title, NULL without
					 * both: spots a feed that rewrote an item's guid */
	char		*story[2];	/* item_story_keys: "link:...", "title:...", either NULL */
};

/* item.c */
/* Converts the parsed fields to plain text and sets the item's key and fingerprint. */
void	item_from_parse(const struct parse_item *, struct item *out);
/* Sets alt_key and the story keys (folding the title and normalising the link once). */
void	item_keys(struct item *);
void	item_free(struct item *);
/* Converts the parsed fields (HTML, XHTML or text) to plain text. */
void	item_text_from_parse(const struct parse_item *, struct item_text *out);
/* A plain-text document (`newswatch match` on a text file): title is its first line. */
void	item_text_from_plain(const char *s, size_t len, struct item_text *out);
void	item_text_free(struct item_text *);
/* The view of it the matcher takes (pointers into t, valid while t is). */
void	item_match_view(const struct item_text *t, const char *feed, struct match_item *out);
/* A story's keys across feeds ("link:<normalised link>" and "title:<folded title>" for a title
 * of 20 folded bytes or more; either NULL), as the outbox compares them. New strings. */
void	item_story_keys(const char *link, const char *title, char *keys[2]);
/* A 64-bit hash of everything the rules read in the feed (title, summary, content, categories;
 * NULL and empty alike; not the article): a known item whose fingerprint changed is matched
 * again. */
uint64_t item_fingerprint(const struct item_text *);
/* Fills an alert record for one fired rule (strings copied; free with alert_free). */
void	item_alert(const struct conf *, const struct match_result *, const struct item_text *,
	    const struct parse_item *, const char *feed, time_t now, struct alert *out);

#endif
