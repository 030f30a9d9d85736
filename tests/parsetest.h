/*
 * parsetest.h: for tests of the feed parser: an item_cb and feed_cb that keep what the parser
 * hands out (struct result, and a dump of everything for chunking comparisons), and runs over
 * bytes, cut as the test says, and over fixtures in tests/fixtures/parse/.
 */
#ifndef NW_TEST_PARSETEST_H
#define NW_TEST_PARSETEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse.h"
#include "util.h"

struct titem {
	char	*title, *link, *id, *author, *summary, *content, *published, *updated, *cats;
	int	 title_type, summary_type, content_type;
	time_t	 published_t, updated_t;
};

struct result {
	struct titem	 items[64];
	size_t		 n;
	int		 feed_called;
	char		*feed_title, *feed_link;
	unsigned	 ttl;
	int		 rc;		/* -1 if parser_feed or parser_finish failed */
	size_t		 skipped;	/* parser_skipped at the end */
	char		*error, *repairs;
	size_t		 stop_after;	/* item_cb returns -1 after this many (0: never) */
	struct buf	 dump;		/* everything, for chunking comparisons */
};

static inline char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static inline int
item_cb(void *arg, const struct parse_item *it)
{
	struct result	*r = arg;
	struct titem	*t;
	struct buf	 cats;
	size_t		 i;

	buf_init(&cats, 0);
	for (i = 0; i < it->ncategories; i++)
		buf_printf(&cats, "%s%s", i ? "|" : "", it->categories[i]);
	buf_printf(&r->dump, "[%s][%s][%s][%s][%s][%s][%d][%s][%s][%lld][%lld][%s]\n",
	    it->title.value, it->link, it->id, it->author, it->summary.value, it->content.value,
	    it->content.type, it->published, it->updated, (long long)it->published_t,
	    (long long)it->updated_t, cats.data ? cats.data : "");
	if (r->n < sizeof(r->items) / sizeof(r->items[0])) {
		t = &r->items[r->n];
		t->title = dup_or_null(it->title.value);
		t->title_type = it->title.type;
		t->link = dup_or_null(it->link);
		t->id = dup_or_null(it->id);
		t->author = dup_or_null(it->author);
		t->summary = dup_or_null(it->summary.value);
		t->summary_type = it->summary.type;
		t->content = dup_or_null(it->content.value);
		t->content_type = it->content.type;
		t->published = dup_or_null(it->published);
		t->updated = dup_or_null(it->updated);
		t->published_t = it->published_t;
		t->updated_t = it->updated_t;
		t->cats = buf_steal(&cats);
	}
	buf_free(&cats);
	r->n++;
	return r->stop_after && r->n >= r->stop_after ? -1 : 0;
}

static inline void
feed_cb(void *arg, const struct parse_feed *f)
{
	struct result	*r = arg;

	r->feed_called = 1;
	r->feed_title = dup_or_null(f->title.value);
	r->feed_link = dup_or_null(f->link);
	r->ttl = f->ttl;
	buf_printf(&r->dump, "feed [%s][%s][%u]\n", f->title.value, f->link, f->ttl);
}

static inline void
result_free(struct result *r)
{
	size_t	i;

	for (i = 0; i < r->n && i < sizeof(r->items) / sizeof(r->items[0]); i++) {
		struct titem *t = &r->items[i];

		free(t->title), free(t->link), free(t->id), free(t->author), free(t->summary);
		free(t->content), free(t->published), free(t->updated), free(t->cats);
	}
	free(r->feed_title);
	free(r->feed_link);
	free(r->error);
	free(r->repairs);
	buf_free(&r->dump);
	memset(r, 0, sizeof(*r));
}

/* A fixture of tests/fixtures/parse/, NUL-terminated (*len does not count the NUL). */
static inline char *
slurp(const char *name, size_t *len)
{
	char	 path[512];
	FILE	*fp;
	char	*data;
	long	 n;

	snprintf(path, sizeof(path), "%s/parse/%s", NW_FIXTURES, name);
	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

/*
 * Parses len bytes cut at the offsets cuts[0..ncuts) (increasing), or in chunks of chunk bytes
 * when cuts is NULL (0: all at once).
 */
static inline void
run_cuts(struct result *r, const char *data, size_t len, size_t chunk, const size_t *cuts,
    size_t ncuts, const char *base, const char *charset, const struct parse_limits *lim)
{
	struct parse_cb	 cb = { item_cb, feed_cb };
	struct parser	*p;
	size_t		 off = 0, n, k = 0;

	buf_init(&r->dump, 0);
	p = parser_new(&cb, r, base, charset, lim);
	assert_non_null(p);
	r->rc = 0;
	if (chunk == 0)
		chunk = len ? len : 1;
	while (off < len) {
		if (cuts != NULL)
			n = (k < ncuts ? cuts[k++] : len) - off;
		else
			n = len - off < chunk ? len - off : chunk;
		if (parser_feed(p, data + off, n) == -1) {
			r->rc = -1;
			break;
		}
		off += n;
	}
	if (parser_finish(p) == -1)
		r->rc = -1;
	r->error = dup_or_null(parser_error(p));
	r->repairs = dup_or_null(parser_repairs(p));
	r->skipped = parser_skipped(p);
	assert_int_equal(parser_nitems(p), r->n);
	parser_free(p);
}

/* Parses bytes in chunks of chunk bytes (0: all at once). */
static inline void
run_mem(struct result *r, const char *data, size_t len, size_t chunk, const char *base,
    const char *charset, const struct parse_limits *lim)
{
	run_cuts(r, data, len, chunk, NULL, 0, base, charset, lim);
}

static inline void
run_file(struct result *r, const char *name, size_t chunk, const char *base, const char *charset,
    const struct parse_limits *lim)
{
	size_t	 len;
	char	*data = slurp(name, &len);

	run_mem(r, data, len, chunk, base, charset, lim);
	free(data);
}

#endif
