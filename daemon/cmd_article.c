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
#include "page.h"
#include "util.h"

#define READ_CHUNK	(64 * 1024)

/* One page fetched on a private loop (page.c). */
struct got {
	struct fetcher	*fetcher;
	char		*text;
	char		*why;		/* why it failed, or NULL */
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

static void
got_page_cb(void *arg, char *text, const char *why, int cancelled)
{
	struct got	*g = arg;

	(void)cancelled;
	g->text = text;
	g->why = why != NULL ? xstrdup(why) : NULL;
	fetcher_close(g->fetcher);
}

/* Fetches url and extracts its text on a loop of its own: the text, or NULL (printed). */
static char *
fetch_text(const char *url)
{
	struct fetch_limits	 lim;
	struct got		 g = { NULL, NULL, NULL };
	uv_loop_t		 loop;

	if (uv_loop_init(&loop) != 0) {
		fprintf(stderr, "newswatch article: cannot start an event loop\n");
		return NULL;
	}
	fetch_limits_default(&lim);
	if ((g.fetcher = fetcher_new(&loop, &lim)) == NULL)
		g.why = xstrdup("cannot start the fetcher");
	else if (page_fetch(g.fetcher, url, got_page_cb, &g) == -1) {
		g.why = xstrdup("cannot fetch it (only http and https URLs are)");
		fetcher_close(g.fetcher);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0)
		fprintf(stderr, "newswatch article: event loop did not close cleanly\n");
	if (g.text == NULL)
		fprintf(stderr, "newswatch article: %s: %s\n", url, g.why ? g.why : "failed");
	free(g.why);
	return g.text;
}

/* Reads a file (or standard input) and extracts its text: the text, or NULL (printed). */
static char *
read_text(const char *name)
{
	struct article	*a;
	FILE		*fp;
	char		*chunk, *text = NULL;
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
	if (r == 0 && (text = article_finish(a)) == NULL)
		fprintf(stderr, "newswatch article: %s: %s\n", name, article_error(a));
	article_free(a);
	return text;
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
		text = fetch_text(name);
	else
		text = read_text(name);
	if (text == NULL)
		return 1;
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
