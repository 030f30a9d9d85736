/*
 * item.h: one feed item on its way from the parser to the matcher and the outbox: its plain text,
 * its identity key, and the alert records built from the rules it fired.
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
};

/* item.c */
/* Converts the parsed fields (HTML, XHTML or text) to plain text. */
void	item_text_from_parse(const struct parse_item *, struct item_text *out);
/* A plain-text document (`newswatch match` on a text file): title is its first line. */
void	item_text_from_plain(const char *s, size_t len, struct item_text *out);
void	item_text_free(struct item_text *);
/* The view of it the matcher takes (pointers into t, valid while t is). */
void	item_match_view(const struct item_text *t, const char *feed, struct match_item *out);
/*
 * The item's identity within its feed: "id:<guid>", else "link:<url>", else "hash:<hex>" of
 * title, date and text. New string.
 */
char	*item_key(const struct parse_item *, const struct item_text *);
/* A 64-bit hash of everything the rules read (title, summary, content, categories; NULL and
 * empty alike): a known item whose fingerprint changed is matched again. */
uint64_t item_fingerprint(const struct item_text *);
/* Fills an alert record for one fired rule (strings copied; free with alert_free). */
void	item_alert(const struct conf *, const struct match_result *, const struct item_text *,
	    const struct parse_item *, const char *feed, time_t now, struct alert *out);

#endif
