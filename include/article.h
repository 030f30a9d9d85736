/*
 * article.h: an HTML page's main text (issue 17), the readability idea on a stream. Bytes in (any
 * chunking) through libxml2's HTML push parser, which builds no libxml2 tree: article.c keeps its
 * own compact, bounded tree of block elements with their text, link text and class/id/itemprop/
 * role hints, and when the page ends scores it and writes out the text of the best container.
 * article.c is the only file besides parse.c, opml.c and xmlcharset.c that includes libxml2;
 * the charset work is input.c's (the UTF-8 repair, UTF-16), shared with the feed parser.
 *
 * What is left out: navigation, headers, footers, asides, comments, related and most-read boxes,
 * cookie banners, newsletter and paywall prompts, captions, bylines and dates, the h1 headline,
 * and the contents of script, style, noscript, template, svg, iframe, button and form controls.
 * Charset precedence: the HTTP charset, then a <meta> charset in the page's first 1024 bytes,
 * then UTF-8, where bytes that are not UTF-8 are read as windows-1252.
 */
#ifndef NW_ARTICLE_H
#define NW_ARTICLE_H

#include <stddef.h>

struct article_limits {
	size_t		max_bytes;	/* page bytes fed */
	size_t		max_text;	/* bytes of the main text out */
	unsigned	max_depth;	/* elements open at once */
	size_t		max_nodes;	/* elements in the page */
};

struct article;

/* article.c */
/* Fills in the defaults: 4 MiB page, 256 KiB text, depth 256, 100000 elements. */
void		 article_limits_default(struct article_limits *);
/*
 * A new extractor. url (may be NULL) names the page in messages; charset is the HTTP
 * Content-Type charset or NULL; limits NULL means the defaults. All are copied. Never NULL.
 */
struct article	*article_new(const char *url, const char *charset, const struct article_limits *);
/* Takes the next chunk of the page: 0, or -1 when a limit is hit or the parser failed
 * (article_error says which); every later call then returns -1 too. */
int		 article_feed(struct article *, const char *buf, size_t len);
/*
 * Ends the page and returns its main text as a new UTF-8 string the caller frees: blocks
 * (paragraphs, subheadings, list items, quotes, table rows) one a line, separated by "\n", white
 * space collapsed. NULL when no main text was found or on error: article_error says why.
 * Call it once.
 */
char		*article_finish(struct article *);
/* Why the last call failed, one human sentence ("no main text found", "page over 4 MiB
 * limit", ...); NULL when nothing failed. Owned by the extractor. */
const char	*article_error(const struct article *);
/* Frees the extractor and all it holds; NULL is fine. */
void		 article_free(struct article *);
/*
 * One-shot: the main text of html[0 .. len) with default limits (caller frees), or NULL with
 * *why (when why is not NULL) set to a sentence saying why, in a static buffer of this
 * thread's that the next call reuses; *why is NULL on success.
 */
char		*article_extract(const char *html, size_t len, const char *charset, const char **why);
/*
 * Whether a response with this Content-Type may be a page to extract from: 1 for text/html,
 * application/xhtml+xml, and NULL or empty (unknown: the parser finds out); 0 for anything
 * else (PDF, JSON, images, feeds, plain text).
 */
int		 article_content_type_ok(const char *content_type);

#endif
