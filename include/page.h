/*
 * page.h: an item's web page, fetched and reduced to its main text, for fetch_article. It joins
 * the fetcher (fetch.h) and the extractor (article.h): the body streams into the extractor as it
 * arrives, so a page is never held whole. Pages go one at a time per host, whatever the
 * fetcher's max_host_transfers, to be gentle with news sites; the fetcher's limits on time and
 * size hold, and the extractor's own (page bytes, text bytes, depth, nodes).
 */
#ifndef NW_PAGE_H
#define NW_PAGE_H

#include "fetch.h"

/*
 * Exactly once per page_fetch that returned 0, on the loop thread, never from inside
 * page_fetch. text is the page's main text (a new string the callee owns), or NULL and why says
 * why in one sentence ("skipped: not an HTML page (Content-Type application/pdf)", "HTTP status 404", "timed out after 30 s",
 * "no main text found", ...). cancelled is 1 when the fetcher was closed under it.
 */
typedef void (*page_done_cb)(void *arg, char *text, const char *why, int cancelled);

/* page.c */
/* Queues the page at url. 0, or -1 (logged at debug level) when it cannot be fetched at all
 * (not http or https, the fetcher closing): done_cb is then never called. */
int	page_fetch(struct fetcher *, const char *url, page_done_cb done_cb, void *arg);

#endif
