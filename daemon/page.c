/* page.c: an item's web page fetched and reduced to its main text (fetch_article). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "page.h"
#include "util.h"

/* One page on its way: the extractor is made when the response turns out to be HTML. */
struct page {
	char		*url;
	struct article	*ex;
	char		*why;		/* set by a callback that stopped the transfer */
	page_done_cb	 done_cb;
	void		*arg;
};

static int	page_header_cb(void *, long, const char *);
static int	page_data_cb(void *, const char *, size_t);
static void	page_transfer_done_cb(void *, const struct fetch_result *);

static const struct fetch_cb page_fetch_cb = {
	.header_cb = page_header_cb,
	.data_cb = page_data_cb,
	.done_cb = page_transfer_done_cb,
};

static int
page_header_cb(void *arg, long status, const char *ctype)
{
	struct page	*pg = arg;
	char		*charset;

	if (status < 200 || status > 299)
		return 0;	/* done says which status */
	if (!article_content_type_ok(ctype)) {
		pg->why = xasprintf("skipped: not an HTML page (Content-Type %s)", ctype);
		return -1;
	}
	charset = http_charset(ctype);
	pg->ex = article_new(pg->url, charset, NULL);
	free(charset);
	return 0;
}

static int
page_data_cb(void *arg, const char *buf, size_t len)
{
	struct page	*pg = arg;
	const char	*e;

	if (pg->ex == NULL)
		return -1;
	if (article_feed(pg->ex, buf, len) == -1) {
		e = article_error(pg->ex);
		pg->why = xstrdup(e != NULL ? e : "the page could not be read");
		return -1;
	}
	return 0;
}

static void
page_transfer_done_cb(void *arg, const struct fetch_result *res)
{
	struct page	*pg = arg;
	char		*text = NULL, *why = NULL;
	const char	*e;

	if (pg->why != NULL)
		why = xstrdup(pg->why);
	else if (!res->ok)
		why = xstrdup(res->error != NULL ? res->error : "transfer failed");
	else if (res->status < 200 || res->status > 299)
		why = xasprintf("HTTP status %ld", res->status);
	else if (pg->ex == NULL || (text = article_finish(pg->ex)) == NULL) {
		e = pg->ex != NULL ? article_error(pg->ex) : NULL;
		why = xstrdup(e != NULL ? e : "no main text found");
	}
	pg->done_cb(pg->arg, text, why, !res->ok && pg->why == NULL && res->error != NULL &&
	    strcmp(res->error, "cancelled") == 0);
	free(why);
	if (pg->ex != NULL)
		article_free(pg->ex);
	free(pg->why);
	free(pg->url);
	free(pg);
}

int
page_fetch(struct fetcher *fe, const char *url, page_done_cb done_cb, void *arg)
{
	struct page	*pg = xcalloc(1, sizeof(*pg));
	struct fetch_req req;

	pg->url = xstrdup(url);
	pg->done_cb = done_cb;
	pg->arg = arg;
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";
	req.max_host = 1;
	if (fetch_start(fe, &req, &page_fetch_cb, pg) == -1) {
		free(pg->url);
		free(pg);
		return -1;
	}
	return 0;
}
