/*
 * opml.h: feed lists as OPML (what newsboat, Miniflux, FreshRSS and most readers import and
 * export). The only file besides parse.c that includes libxml2. No I/O: documents come in as
 * memory and go out into a buffer.
 */
#ifndef NW_OPML_H
#define NW_OPML_H

#include <stddef.h>

#include "util.h"

struct opml_feed {
	char	*title;		/* title=, else text=, else the host of xml_url; one line */
	char	*xml_url;
	char	*html_url;	/* NULL if none */
	char	**tags;		/* enclosing folders (outermost first), then category= entries;
				 * no duplicates */
	size_t	 ntags;
};

struct opml {
	char			*title;	/* <head><title>, or NULL */
	struct opml_feed	*feeds;	/* document order */
	size_t			 nfeeds;
};

/* Limits: a document, and outlines taken from it. */
#define OPML_MAX_BYTES	(16u * 1024 * 1024)
#define OPML_MAX_FEEDS	100000

/* opml.c */
/*
 * Parses an OPML document (any version) from memory: every <outline> with an xmlUrl is a feed,
 * any other outline a folder. No network, no entity expansion. 0 with *out (free with
 * opml_free), or -1 with *err a new string saying why ("line 3: ...").
 */
int	opml_parse(const char *data, size_t len, struct opml **out, char **err);
void	opml_free(struct opml *);
/*
 * Appends o as an OPML 2.0 document: feeds grouped in folders by their first tag, every tag
 * also in category=. 0, or -1 if out's cap was reached.
 */
int	opml_write(const struct opml *o, struct buf *out);

#endif
