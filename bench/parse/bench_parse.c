/* bench_parse.c: parse+text throughput over feeds held in memory, beside libxml2's own reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "parse.h"
#include "text.h"
#include "util.h"

/* The daemon's cap on matched text (item.c): the same work per field. */
#define TEXT_MAX	(256u * 1024)
/* The fetcher hands the parser chunks of about this size. */
#define CHUNK		65536

struct doc {
	char	*data;
	size_t	 len;
};

struct counts {
	int	no_text;	/* parse only, to see where the time goes */
	size_t	items;
	size_t	text_bytes;
};

struct rate {
	double	secs;		/* best of the repeats */
	size_t	items;
	int	failed;
};

static void
count_text(struct counts *c, char *t)
{
	c->text_bytes += strlen(t);
	free(t);
}

static void
field_text(struct counts *c, const struct parse_field *f)
{
	if (f->value == NULL)
		return;
	if (f->type == PARSE_TEXT)
		count_text(c, text_from_plain(f->value, strlen(f->value), TEXT_MAX));
	else
		count_text(c, text_from_html(f->value, strlen(f->value), TEXT_MAX));
}

/* What the daemon does per item (item.c): plain text of every field it matches on. */
static int
item_cb(void *arg, const struct parse_item *it)
{
	struct counts	*c = arg;
	size_t		 i;

	c->items++;
	if (c->no_text)
		return 0;
	field_text(c, &it->title);
	field_text(c, &it->summary);
	field_text(c, &it->content);
	for (i = 0; i < it->ncategories; i++)
		count_text(c, text_from_plain(it->categories[i], strlen(it->categories[i]),
		    TEXT_MAX));
	return 0;
}

/*
 * CPU time of this process: the machine is shared (builds run beside the benchmark), and time
 * spent waiting for a CPU is nobody's speed. Both sides are measured the same way.
 */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

/* One pass of newswatch's parser over every document, in fetcher-sized chunks. */
static void
run_ours(const struct doc *docs, size_t ndocs, int no_text, struct rate *r)
{
	struct counts	 c = { no_text, 0, 0 };
	struct parse_cb	 cb = { item_cb, NULL };
	size_t		 i, off, n;

	r->failed = 0;
	for (i = 0; i < ndocs; i++) {
		struct parser *p = parser_new(&cb, &c, "http://bench.example/", NULL, NULL);

		for (off = 0; off < docs[i].len; off += n) {
			n = docs[i].len - off < CHUNK ? docs[i].len - off : CHUNK;
			if (parser_feed(p, docs[i].data + off, n) == -1)
				break;
		}
		if (parser_finish(p) == -1)
			r->failed++;
		parser_free(p);
	}
	r->items = c.items;
}

/*
 * One pass of what "xmllint --noout --stream" does (xmlReaderFor* and xmlTextReaderRead until
 * the end, with xmllint's default options), but from memory: the same input path as ours, so
 * neither side is charged for reading files or starting a process.
 */
static void
run_reader(const struct doc *docs, size_t ndocs, struct rate *r)
{
	size_t	i;

	r->failed = 0;
	r->items = 0;
	for (i = 0; i < ndocs; i++) {
		xmlTextReaderPtr rd = xmlReaderForMemory(docs[i].data, (int)docs[i].len, NULL, NULL,
		    XML_PARSE_COMPACT | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
		    XML_PARSE_NOWARNING);
		int ret;

		if (rd == NULL) {
			r->failed++;
			continue;
		}
		while ((ret = xmlTextReaderRead(rd)) == 1)
			;
		if (ret != 0)
			r->failed++;
		xmlFreeTextReader(rd);
	}
}

/* One timed pass; keeps it in best when it is the fastest so far (the least disturbed). */
static void
timed(void (*run)(const struct doc *, size_t, int, struct rate *), const struct doc *docs,
    size_t ndocs, int arg, struct rate *best, int first)
{
	struct rate	r;
	double		t0 = now();

	run(docs, ndocs, arg, &r);
	r.secs = now() - t0;
	if (first || r.secs < best->secs)
		*best = r;
}

static void
reader_adapter(const struct doc *docs, size_t ndocs, int unused, struct rate *r)
{
	(void)unused;
	run_reader(docs, ndocs, r);
}

static void
print_rate(const char *what, const struct rate *r, size_t bytes)
{
	printf("%-34s %7.1f MB/s", what, (double)bytes / 1e6 / r->secs);
	if (r->items > 0)
		printf("  %8.0f items/s", (double)r->items / r->secs);
	printf("  (%.3f s, %zu items, %d failed)\n", r->secs, r->items, r->failed);
}

/* Silences libxml2 messages for the reader baseline (recovering feeds would spray stderr). */
static void
quiet_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
main(int argc, char **argv)
{
	struct doc	*docs;
	struct rate	 full, bare, lib;
	size_t		 ndocs = 0, bytes = 0, i;
	int		 a, k, repeats = 3;
	double		 ratio;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		repeats = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bench_parse [-n REPEATS] FILE...\n");
		return 2;
	}
	docs = xcalloc((size_t)argc, sizeof(*docs));
	for (a = 1; a < argc; a++)
		if (load(argv[a], &docs[ndocs]) == 0)
			bytes += docs[ndocs++].len;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet_cb);

	/* Interleaved, so that a change in the machine's load hits all three alike. */
	for (k = 0; k < repeats; k++) {
		timed(run_ours, docs, ndocs, 0, &full, k == 0);
		timed(run_ours, docs, ndocs, 1, &bare, k == 0);
		timed(reader_adapter, docs, ndocs, 0, &lib, k == 0);
	}
	printf("%zu files, %.1f MB, best CPU time of %d runs each, all from memory\n", ndocs,
	    (double)bytes / 1e6, repeats);
	print_rate("newswatch parse + text", &full, bytes);
	print_rate("newswatch parse only", &bare, bytes);
	print_rate("libxml2 xmlTextReader (--stream)", &lib, bytes);
	ratio = lib.secs / full.secs;
	printf("ratio parse+text / libxml2 = %.2f (parse only %.2f); target >= 0.50: %s\n", ratio,
	    lib.secs / bare.secs, ratio >= 0.5 ? "MET" : "NOT MET");
	for (i = 0; i < ndocs; i++)
		free(docs[i].data);
	free(docs);
	return ratio >= 0.5 ? 0 : 1;
}
