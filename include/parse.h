/*
 * parse.h: feed parser. Bytes in (any chunking), items out through callbacks as each one closes.
 * RSS and Atom through a libxml2 push parser (parse.c is the only file that includes libxml2);
 * JSON Feed 1.0/1.1 when the document's first byte after a BOM and white space is '{' (read by
 * jsonfeed.c with json-c, which holds the whole document as a tree and hands out the items only
 * from parser_finish: see jsonfeed.h). No I/O, no globals, hard limits.
 */
#ifndef NW_PARSE_H
#define NW_PARSE_H

#include <stddef.h>
#include <time.h>

enum parse_type {
	PARSE_TEXT,	/* plain text */
	PARSE_HTML,	/* HTML markup (RSS description, Atom type="html", escaped) */
	PARSE_XHTML	/* serialised XHTML children (Atom type="xhtml") */
};

struct parse_field {
	char		*value;	/* NULL when absent */
	enum parse_type	 type;
};

/* One item (RSS item / Atom entry / JSON Feed item). Valid only during the callback; the parser owns it. */
struct parse_item {
	struct parse_field title;
	struct parse_field summary;
	struct parse_field content;
	char		*link;		/* absolute when a base was known */
	char		*id;		/* guid / id as the feed gave it */
	char		*author;
	char		*published;	/* raw date text */
	char		*updated;
	time_t		 published_t;	/* 0 when absent or not understood */
	time_t		 updated_t;
	char		**categories;
	size_t		 ncategories;
};

struct parse_feed {
	struct parse_field title;
	char		*link;
	unsigned	 ttl;	/* seconds from RSS <ttl> or sy:updatePeriod/Frequency, 0 if none */
};

struct parse_cb {
	/* Called once per item as it closes. Return -1 to stop parsing. */
	int	(*item_cb)(void *arg, const struct parse_item *);
	/* Called once from parser_finish with what was learnt of the feed. May be NULL. */
	void	(*feed_cb)(void *arg, const struct parse_feed *);
};

struct parse_limits {
	size_t	max_bytes;	/* whole document */
	size_t	max_items;	/* items handed on; those after them are counted, not failed */
	size_t	max_field;	/* bytes per field */
	unsigned max_depth;	/* element nesting */
};

/* parse.c */
/* Fills in the default limits (64 MiB, 5000 items, 1 MiB per field, depth 256). */
void		 parse_limits_default(struct parse_limits *);
/*
 * A new parser. base_url (may be NULL) resolves relative links; charset (may be NULL) is the
 * HTTP Content-Type charset. lim NULL means the defaults. Never NULL (out of memory is fatal).
 * Encoding: a byte order mark wins, then charset (RFC 7303: it beats the XML declaration),
 * then the declaration, then UTF-8. When that is UTF-8, bytes that are not valid UTF-8 are
 * read as windows-1252 and the repair is noted; other encodings are converted as declared.
 */
struct parser	*parser_new(const struct parse_cb *, void *arg, const char *base_url,
		    const char *charset, const struct parse_limits *lim);
/* Feeds a chunk. 0, or -1 when parsing cannot go on (a limit, not a feed, or item_cb said stop). */
int		 parser_feed(struct parser *, const char *buf, size_t len);
/* Ends the document: 0, or -1 if it was not a feed or a limit was hit (parser_error says why). */
int		 parser_finish(struct parser *);
/* Why parsing failed, or NULL. */
const char	*parser_error(const struct parser *);
/* How the document was repaired (first recovered error, "bad entity &nbsp; mapped", ...), or NULL. */
const char	*parser_repairs(const struct parser *);
/* Items handed to item_cb so far. */
size_t		 parser_nitems(const struct parser *);
/* Items read through but not handed on: those after the first max_items (0 if none). */
size_t		 parser_skipped(const struct parser *);
/*
 * Debugging aid: input bytes held between parser_feed calls: what libxml2's input buffers
 * still hold (it discards what it has parsed) plus the undecided bytes this parser carries
 * (an incomplete character or reference, the XML declaration being read). Bounded by the
 * chunk sizes, whatever the document size: nothing buffers a whole document. (JSON Feed is the
 * exception: json-c's tree of the document is not counted here; see jsonfeed.h.)
 */
size_t		 parser_buffered(const struct parser *);
void		 parser_free(struct parser *);
/* Resolves ref against base (RFC 3986; base may be NULL). A new string, never NULL. */
char		*parse_resolve_uri(const char *ref, const char *base);

#endif
