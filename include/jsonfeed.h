/*
 * jsonfeed.h: JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), for parse.c only.
 * parse.c decides that a document is JSON (its first byte is '{') and hands the bytes here in
 * any chunking; items and the feed come out through the same parse.h structures as RSS/Atom.
 *
 * Memory: json-c's incremental tokener builds the whole document as a tree, so items go out
 * only from jsonfeed_finish, and the tree takes about 3.3 times the document's size. Measured
 * with /usr/bin/time -f %M newswatch parse FILE on a 5.3 MB JSON Feed of 4505 items: 29.5 MB
 * peak RSS, against 13.1 MB for the same items as a 5.7 MB RSS file (11.9 MB for a tiny feed).
 * max_bytes bounds the document, max_depth json-c's nesting.
 */
#ifndef NW_JSONFEED_H
#define NW_JSONFEED_H

#include <stddef.h>

#include "parse.h"

struct jsonfeed_cb {
	/* An item: -1 stops the parse. */
	int	(*item_cb)(void *arg, const struct parse_item *);
	/* The feed, once, after the items. */
	void	(*feed_cb)(void *arg, const struct parse_feed *);
	/* ref resolved against base (may be NULL): a new string, or NULL if it is not a web link. */
	char	*(*link)(const char *ref, const char *base);
	/* HTML with its relative URIs (href, src, ...) resolved against base: a new string, or
	 * NULL when nothing changes. */
	char	*(*html)(void *arg, const char *html, const char *base);
	/* A repair note ("item 3: \"title\" is not a string"). */
	void	(*repair)(void *arg, const char *note);
};

/*
 * base_url (may be NULL) resolves relative links; lim must not be NULL; skipped: bytes of the
 * document not given (a BOM), so that error offsets count from its start. Never NULL.
 */
struct jsonfeed	*jsonfeed_new(const struct jsonfeed_cb *, void *arg, const char *base_url,
		    const struct parse_limits *lim, size_t skipped);
/* A chunk: 0, or -1 when it is not JSON (jsonfeed_error says why). */
int		 jsonfeed_feed(struct jsonfeed *, const char *buf, size_t len);
/* Ends the document and hands out the items and the feed: 0, or -1 (jsonfeed_error). */
int		 jsonfeed_finish(struct jsonfeed *);
/* Why it failed, or NULL. */
const char	*jsonfeed_error(const struct jsonfeed *);
/* Items handed to item_cb; items past max_items, counted and not handed on. */
size_t		 jsonfeed_nitems(const struct jsonfeed *);
size_t		 jsonfeed_skipped(const struct jsonfeed *);
void		 jsonfeed_free(struct jsonfeed *);

#endif
