/* bench_parse.c: parse+text throughput over feed files held in memory (a benchmark, not a test). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse.h"
#include "text.h"
#include "util.h"

struct doc {
	char	*data;
	size_t	 len;
};

struct counts {
	int	no_text;	/* --no-text: parse only, to see where the time goes */
	size_t	items;
	size_t	text_bytes;
};

/* What the daemon does per item: plain text of the HTML fields for matching. */
static int
item_cb(void *arg, const struct parse_item *it)
{
	struct counts	*c = arg;
	char		*t;

	c->items++;
	if (c->no_text)
		return 0;
	if (it->summary.value != NULL) {
		t = text_from_html(it->summary.value, strlen(it->summary.value), 1 << 20);
		c->text_bytes += strlen(t);
		free(t);
	}
	if (it->content.value != NULL) {
		t = text_from_html(it->content.value, strlen(it->content.value), 1 << 20);
		c->text_bytes += strlen(t);
		free(t);
	}
	return 0;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
load(const char *path, struct doc *d)
{
	FILE	*fp = fopen(path, "rb");
	long	 n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0) {
		if (fp)
			fclose(fp);
		return -1;
	}
	rewind(fp);
	d->data = xmalloc((size_t)n + 1);
	d->len = fread(d->data, 1, (size_t)n, fp);
	fclose(fp);
	return 0;
}

int
main(int argc, char **argv)
{
	struct parse_cb	 cb = { item_cb, NULL };
	struct counts	 c = { 0, 0, 0 };
	struct doc	*docs;
	size_t		 ndocs = 0, bytes = 0, i, off, n;
	double		 t0, t;
	int		 a, failed = 0;

	if (argc > 1 && strcmp(argv[1], "--no-text") == 0) {
		c.no_text = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bench_parse [--no-text] FILE...\n");
		return 2;
	}
	docs = xcalloc((size_t)argc, sizeof(*docs));
	for (a = 1; a < argc; a++)
		if (load(argv[a], &docs[ndocs]) == 0)
			bytes += docs[ndocs++].len;
	t0 = now();
	for (i = 0; i < ndocs; i++) {
		struct parser *p = parser_new(&cb, &c, "http://bench.example/", NULL, NULL);

		for (off = 0; off < docs[i].len; off += n) {
			n = docs[i].len - off < 65536 ? docs[i].len - off : 65536;
			if (parser_feed(p, docs[i].data + off, n) == -1)
				break;
		}
		if (parser_finish(p) == -1)
			failed++;
		parser_free(p);
	}
	t = now() - t0;
	printf("files %zu (%d not feeds), %.1f MB, %zu items, %.3f s: %.1f MB/s, %.0f items/s\n",
	    ndocs, failed, (double)bytes / 1e6, c.items, t, (double)bytes / 1e6 / t,
	    (double)c.items / t);
	for (i = 0; i < ndocs; i++)
		free(docs[i].data);
	free(docs);
	return 0;
}
