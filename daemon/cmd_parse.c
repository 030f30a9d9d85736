/* cmd_parse.c: "newswatch parse": runs one feed file through the parser and prints what it found. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "parse.h"
#include "util.h"

#define READ_CHUNK	(64 * 1024)

struct dump {
	struct buf	 out;		/* entries, already formatted */
	int		 json;
	size_t		 n;
	char		*feed_title;
	char		*feed_link;
};

static void
usage(FILE *f)
{
	struct parse_limits	lim;

	parse_limits_default(&lim);
	fprintf(f, "usage: newswatch parse [--json] [--base URL] [--charset CS] FILE|-\n"
	    "Prints what the feed parser extracts from a feed file (- for standard input):\n"
	    "the feed's title and link, then each item. --base resolves relative links,\n"
	    "--charset is the HTTP charset. At most %zu items are handled, as the daemon's\n"
	    "default max_items.\n", lim.max_items);
}

/* A date as ISO 8601 UTC when it was understood, else the feed's own text. */
static void
put_date(struct buf *b, const char *raw, time_t t)
{
	char	iso[21];

	if (raw != NULL && t != 0) {
		time_iso8601(t, iso);
		buf_json_string(b, iso);
	} else
		buf_json_string(b, raw);
}

static void
item_json(struct dump *d, const struct parse_item *it)
{
	struct buf	*b = &d->out;
	size_t		 i;

	buf_puts(b, d->n ? ",\n  {" : "\n  {");
	buf_puts(b, "\"title\": ");
	buf_json_string(b, it->title.value);
	buf_puts(b, ", \"link\": ");
	buf_json_string(b, it->link);
	buf_puts(b, ", \"id\": ");
	buf_json_string(b, it->id);
	buf_puts(b, ", \"published\": ");
	put_date(b, it->published, it->published_t);
	buf_puts(b, ", \"updated\": ");
	put_date(b, it->updated, it->updated_t);
	buf_puts(b, ", \"summary\": ");
	buf_json_string(b, it->summary.value);
	buf_puts(b, ", \"content\": ");
	buf_json_string(b, it->content.value);
	buf_puts(b, ", \"author\": ");
	buf_json_string(b, it->author);
	buf_puts(b, ", \"categories\": [");
	for (i = 0; i < it->ncategories; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		buf_json_string(b, it->categories[i]);
	}
	buf_puts(b, "]}");
}

static void
item_text(struct dump *d, const struct parse_item *it)
{
	struct buf	*b = &d->out;
	char		*s, iso[21];
	size_t		 i;

	s = str_oneline(it->title.value ? it->title.value : "(no title)");
	buf_printf(b, "* %s\n", s);
	free(s);
	if (it->link != NULL) {
		s = str_oneline(it->link);
		buf_printf(b, "  link: %s\n", s);
		free(s);
	}
	if (it->published_t != 0 || it->updated_t != 0) {
		time_iso8601(it->published_t ? it->published_t : it->updated_t, iso);
		buf_printf(b, "  date: %s\n", iso);
	}
	if (it->author != NULL) {
		s = str_oneline(it->author);
		buf_printf(b, "  author: %s\n", s);
		free(s);
	}
	for (i = 0; i < it->ncategories; i++) {
		s = str_oneline(it->categories[i]);
		buf_printf(b, "%s%s", i == 0 ? "  categories: " : ", ", s);
		free(s);
	}
	if (it->ncategories > 0)
		buf_putc(b, '\n');
}

static int
item_cb(void *arg, const struct parse_item *it)
{
	struct dump	*d = arg;

	if (d->json)
		item_json(d, it);
	else
		item_text(d, it);
	d->n++;
	return 0;
}

static void
feed_cb(void *arg, const struct parse_feed *f)
{
	struct dump	*d = arg;

	if (f->title.value != NULL)
		d->feed_title = xstrdup(f->title.value);
	if (f->link != NULL)
		d->feed_link = xstrdup(f->link);
}

/* The document base: FEED_CONTENT_LOCATION resolved against FEED_URL when it stays http(s). */
static char *
env_base(void)
{
	const char	*url = getenv("FEED_URL"), *loc = getenv("FEED_CONTENT_LOCATION");
	char		*r;

	if (url != NULL && *url == '\0')
		url = NULL;
	if (loc != NULL && *loc != '\0') {
		r = parse_resolve_uri(loc, url);
		if (strncasecmp(r, "http://", 7) == 0 || strncasecmp(r, "https://", 8) == 0)
			return r;
		free(r);
	}
	return url != NULL ? xstrdup(url) : NULL;
}

static void
print_result(struct dump *d)
{
	struct buf	b;

	buf_init(&b, 0);
	if (d->json) {
		buf_puts(&b, "{\"feed\": {\"title\": ");
		buf_json_string(&b, d->feed_title);
		buf_puts(&b, ", \"link\": ");
		buf_json_string(&b, d->feed_link);
		buf_puts(&b, "},\n \"entries\": [");
		buf_append(&b, d->out.data ? d->out.data : "", d->out.len);
		buf_puts(&b, "]}\n");
	} else {
		char *t = str_oneline(d->feed_title ? d->feed_title : "(no title)");

		buf_printf(&b, "feed: %s\n", t);
		free(t);
		if (d->feed_link != NULL) {
			t = str_oneline(d->feed_link);
			buf_printf(&b, "link: %s\n", t);
			free(t);
		}
		buf_printf(&b, "%zu item%s\n", d->n, d->n == 1 ? "" : "s");
		buf_append(&b, d->out.data ? d->out.data : "", d->out.len);
	}
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) == EOF)
		fprintf(stderr, "newswatch parse: writing output: %s\n", strerror(errno));
	buf_free(&b);
}

/* Reads the whole file through the parser; 0, or -1 with the error already printed. */
static int
run(struct parser *p, FILE *fp, const char *name)
{
	char	*chunk = xmalloc(READ_CHUNK);
	size_t	 n;
	int	 r = 0;

	while ((n = fread(chunk, 1, READ_CHUNK, fp)) > 0)
		if (parser_feed(p, chunk, n) == -1)
			break;
	if (ferror(fp)) {
		fprintf(stderr, "newswatch parse: %s: read error: %s\n", name, strerror(errno));
		r = -1;
	} else if (parser_finish(p) == -1) {
		fprintf(stderr, "newswatch parse: %s: %s\n", name, parser_error(p));
		r = -1;
	}
	free(chunk);
	return r;
}

int
cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "base", required_argument, NULL, 'b' },
		{ "charset", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct parse_cb	 cb = { item_cb, feed_cb };
	struct dump	 d;
	struct parser	*p;
	const char	*name, *base = NULL, *charset = NULL;
	char		*env_b = NULL, *env_cs = NULL;
	FILE		*fp;
	int		 ch, r;

	memset(&d, 0, sizeof(d));
	while ((ch = cmd_getopt(&o, argc, argv, "+jb:s:h", opts)) != -1) {
		if (ch == 'j')
			d.json = 1;
		else if (ch == 'b')
			base = optarg;
		else
			charset = optarg;
	}
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc - 1) {
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	cmd_opts_end(&o, 0);
	name = argv[optind];
	if (base == NULL)
		base = env_b = env_base();
	if (charset == NULL)
		charset = env_cs = http_charset(getenv("FEED_CONTENT_TYPE"));
	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "rb")) == NULL) {
		fprintf(stderr, "newswatch parse: %s: %s\n", name, strerror(errno));
		free(env_b);
		free(env_cs);
		return 1;
	}
	buf_init(&d.out, 0);
	p = parser_new(&cb, &d, base, charset, NULL);
	r = run(p, fp, name);
	if (r == 0 && parser_repairs(p) != NULL && !d.json)
		fprintf(stderr, "newswatch parse: %s: repaired: %s\n", name, parser_repairs(p));
	if (r == 0 && parser_skipped(p) > 0)
		fprintf(stderr, "newswatch parse: %s: %zu items, only the first %zu handled "
		    "(max_items)\n", name, d.n + parser_skipped(p), d.n);
	print_result(&d);
	parser_free(p);
	if (fp != stdin)
		fclose(fp);
	buf_free(&d.out);
	free(d.feed_title);
	free(d.feed_link);
	free(env_b);
	free(env_cs);
	return r == 0 ? 0 : 1;
}
