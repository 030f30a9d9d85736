/* cmd_article.c: "newswatch article": prints the main text extracted from a page, for debugging. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uv.h>

#include "article.h"
#include "cmd.h"
#include "fetch.h"
#include "util.h"

#define READ_CHUNK	(64 * 1024)

/* One page fetched on a private loop. */
struct page {
	const char	*url;
	struct fetcher	*fetcher;
	struct article	*a;
	long		 status;
	char		*content_type;
	char		*error;		/* why it failed, or NULL */
};

static void
usage(FILE *f)
{
	struct article_limits	lim;

	article_limits_default(&lim);
	fprintf(f, "usage: newswatch article [--json] URL|FILE|-\n"
	    "Prints the main text of an HTML page, one block a line, as the article extractor\n"
	    "sees it: a URL is fetched (http or https), FILE read, - for standard input.\n"
	    "Navigation, comments, related links, captions, bylines and the headline are left\n"
	    "out. Pages are read up to %zu bytes; a response that is not HTML is skipped.\n",
	    lim.max_bytes);
}

static int
page_header_cb(void *arg, long status, const char *content_type)
{
	struct page	*p = arg;
	char		*cs;

	p->status = status;
	p->content_type = content_type != NULL ? xstrdup(content_type) : NULL;
	if (status < 200 || status > 299)
		return 0;	/* the body is discarded; done_cb reports the status */
	if (!article_content_type_ok(content_type)) {
		p->error = xasprintf("skipped: not an HTML page (Content-Type %s)", content_type);
		return -1;
	}
	cs = http_charset(content_type);
	p->a = article_new(p->url, cs, NULL);
	free(cs);
	return 0;
}

static int
page_data_cb(void *arg, const char *buf, size_t len)
{
	struct page	*p = arg;

	if (p->a == NULL || article_feed(p->a, buf, len) == -1)
		return -1;
	return 0;
}

static void
page_done_cb(void *arg, const struct fetch_result *res)
{
	struct page	*p = arg;

	if (p->error == NULL && p->a != NULL && article_error(p->a) != NULL)
		p->error = xstrdup(article_error(p->a));
	else if (p->error == NULL && !res->ok)
		p->error = xstrdup(res->error);
	else if (p->error == NULL && (res->status < 200 || res->status > 299))
		p->error = xasprintf("HTTP status %ld", res->status);
	fetcher_close(p->fetcher);
}

/* Fetches url into a new extractor on a loop of its own: the extractor, or NULL (printed). */
static struct article *
fetch_page(const char *url)
{
	static const struct fetch_cb	 cb = { page_header_cb, page_data_cb, page_done_cb };
	struct fetch_limits		 lim;
	struct fetch_req		 req = { .url = url, .accept = "text/html" };
	struct page			 p = { .url = url };
	uv_loop_t			 loop;

	if (uv_loop_init(&loop) != 0) {
		fprintf(stderr, "newswatch article: cannot start an event loop\n");
		return NULL;
	}
	fetch_limits_default(&lim);
	if ((p.fetcher = fetcher_new(&loop, &lim)) == NULL)
		p.error = xstrdup("cannot start the fetcher");
	else if (fetch_start(p.fetcher, &req, &cb, &p) == -1) {
		p.error = xstrdup("cannot fetch it (only http and https URLs are)");
		fetcher_close(p.fetcher);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0)
		fprintf(stderr, "newswatch article: event loop did not close cleanly\n");
	if (p.error != NULL) {
		fprintf(stderr, "newswatch article: %s: %s\n", url, p.error);
		article_free(p.a);
		p.a = NULL;
	}
	free(p.error);
	free(p.content_type);
	return p.a;
}

/* Reads a file (or standard input) into a new extractor: the extractor, or NULL (printed). */
static struct article *
read_page(const char *name)
{
	struct article	*a;
	FILE		*fp;
	char		*chunk;
	size_t		 n;
	int		 r = 0;

	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "rb")) == NULL) {
		fprintf(stderr, "newswatch article: %s: %s\n", name, strerror(errno));
		return NULL;
	}
	a = article_new(name, NULL, NULL);
	chunk = xmalloc(READ_CHUNK);
	while ((n = fread(chunk, 1, READ_CHUNK, fp)) > 0)
		if ((r = article_feed(a, chunk, n)) == -1)
			break;
	if (r == 0 && ferror(fp)) {
		fprintf(stderr, "newswatch article: %s: read error: %s\n", name, strerror(errno));
		r = -1;
	} else if (r == -1)
		fprintf(stderr, "newswatch article: %s: %s\n", name, article_error(a));
	free(chunk);
	if (fp != stdin)
		fclose(fp);
	if (r == -1) {
		article_free(a);
		return NULL;
	}
	return a;
}

int
cmd_article(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct article	*a;
	struct buf	 b;
	const char	*name;
	char		*text;
	int		 ch, json = 0;

	while ((ch = cmd_getopt(&o, argc, argv, "+jh", opts)) != -1)
		json = 1;
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc - 1) {
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	cmd_opts_end(&o, 0);
	name = argv[optind];
	if (strncasecmp(name, "http://", 7) == 0 || strncasecmp(name, "https://", 8) == 0)
		a = fetch_page(name);
	else
		a = read_page(name);
	if (a == NULL)
		return 1;
	if ((text = article_finish(a)) == NULL) {
		fprintf(stderr, "newswatch article: %s: %s\n", name, article_error(a));
		article_free(a);
		return 1;
	}
	article_free(a);
	buf_init(&b, 0);
	if (json) {
		buf_puts(&b, "{\"source\": ");
		buf_json_string(&b, name);
		buf_puts(&b, ", \"text\": ");
		buf_json_string(&b, text);
		buf_puts(&b, "}\n");
	} else {
		buf_puts(&b, text);
		buf_putc(&b, '\n');
	}
	free(text);
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) == EOF) {
		fprintf(stderr, "newswatch article: writing output: %s\n", strerror(errno));
		buf_free(&b);
		return 1;
	}
	buf_free(&b);
	return 0;
}
