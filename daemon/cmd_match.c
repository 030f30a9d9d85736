/*
 * cmd_match.c: `newswatch match`: runs the rules over local files (RSS/Atom/JSON Feed documents,
 * each item judged on its own, or plain text as one item) and prints what would alert. Exit status like
 * grep: 0 something matched, 1 nothing did, 2 error. This is how people debug their rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "cmd.h"
#include "conf.h"
#include "item.h"
#include "log.h"
#include "match.h"
#include "parse.h"
#include "util.h"

#define MATCH_FILE_MAX	(64u * 1024 * 1024)

struct match_run {
	const struct conf	*conf;
	const struct matcher	*matcher;
	const char		*feed;		/* name the records carry */
	unsigned		 max_items;	/* per document, as the daemon would */
	enum alert_format	 format;
	int			 explain;
	size_t			 matched;
	size_t			 items;
	int			 error;
	/* The item being judged. */
	const struct parse_item	*it;
	const struct item_text	*t;
};

static void
match_usage(FILE *f)
{
	fprintf(f, "usage: newswatch match [--config FILE] [--json] [--explain] [--feed NAME] "
	    "FILE...\n");
}

static int
result_cb(void *arg, const struct match_result *r)
{
	struct match_run	*m = arg;
	struct alert		 a;
	struct buf		 b;

	if (!r->fired) {
		printf("  rule %s did not fire: %s\n", m->conf->rules[r->rule].name,
		    r->why_not ? r->why_not : "no match");
		return 0;
	}
	m->matched++;
	item_alert(m->conf, r, m->t, m->it, m->feed, time(NULL), &a);
	buf_init(&b, 0);
	if (m->explain)
		buf_puts(&b, "  ");
	if (alert_format(&a, m->format, &b) == 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	alert_free(&a);
	return 0;
}

static void
judge(struct match_run *m, const struct parse_item *it, const struct item_text *t)
{
	struct match_item	mi;

	m->items++;
	m->it = it;
	m->t = t;
	if (m->explain)
		printf("item %zu: %s\n", m->items, t->title ? t->title : "(untitled)");
	item_match_view(t, m->feed, &mi);
	if (matcher_run(m->matcher, &mi, m->explain, result_cb, m) == -1)
		m->error = 1;
}

static int
item_cb(void *arg, const struct parse_item *it)
{
	struct match_run	*m = arg;
	struct item_text	 t;

	item_text_from_parse(it, &t);
	judge(m, it, &t);
	item_text_free(&t);
	return 0;
}

static int
read_file(const char *path, struct buf *b)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd;

	fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (buf_append(b, chunk, (size_t)n) == -1) {
			errno = EFBIG;
			n = -1;
			break;
		}
	}
	if (fd != 0)
		close(fd);
	return n == 0 ? 0 : -1;
}

/*
 * A feed starts with '<' (XML) or '{' (JSON Feed, as the parser decides) after an optional
 * byte-order mark and white space.
 */
static int
looks_like_feed(const struct buf *b)
{
	const unsigned char	*p = (const unsigned char *)b->data;
	size_t			 i = 0;

	if (b->len >= 2 && ((p[0] == 0xfe && p[1] == 0xff) || (p[0] == 0xff && p[1] == 0xfe)))
		return 1;	/* UTF-16 text files are rare; UTF-16 feeds are not */
	if (b->len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	while (i < b->len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < b->len && (p[i] == '<' || p[i] == '{');
}

static int
match_file(struct match_run *m, const char *path, const char *feed)
{
	static const struct parse_cb cb = { .item_cb = item_cb };
	struct parse_limits	 lim;
	struct parser		*p;
	struct item_text	 t;
	struct buf		 b;
	int			 r = 0;

	buf_init(&b, MATCH_FILE_MAX);
	if (read_file(path, &b) == -1) {
		fprintf(stderr, "newswatch: %s: %s\n", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	m->feed = feed ? feed : path;
	if (!looks_like_feed(&b)) {
		item_text_from_plain(b.data ? b.data : "", b.len, &t);
		judge(m, NULL, &t);
		item_text_free(&t);
		buf_free(&b);
		return 0;
	}
	parse_limits_default(&lim);
	lim.max_items = m->max_items;
	p = parser_new(&cb, m, NULL, NULL, &lim);
	if (parser_feed(p, b.data, b.len) == -1 || parser_finish(p) == -1) {
		fprintf(stderr, "newswatch: %s: %s\n", path,
		    parser_error(p) ? parser_error(p) : "not a feed");
		r = -1;
	} else if (parser_skipped(p) > 0)
		fprintf(stderr, "newswatch: %s: %zu items, only the first %u handled "
		    "(max_items)\n", path, parser_nitems(p) + parser_skipped(p), m->max_items);
	parser_free(p);
	buf_free(&b);
	return r;
}

int
cmd_match(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "feed", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts		 o = { .usage = match_usage };
	struct match_run	 m;
	struct conf		*conf = NULL;
	struct matcher		*matcher;
	const struct conf_feed	*cf = NULL;
	char			*names;
	const char		*feed = NULL;
	int			 ch, i, errors = 0, json = 0;

	memset(&m, 0, sizeof(m));
	while ((ch = cmd_getopt(&o, argc, argv, "c:jef:h", opts)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'e':
			m.explain = 1;
			break;
		case 'f':
			feed = optarg;
			break;
		}
	}
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind == argc) {
		match_usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	log_init(-1);
	if (cmd_conf_load(&o, &conf) == -1)
		return cmd_opts_end(&o, 2);
	cmd_opts_end(&o, 0);
	/* A misspelt --feed would quietly turn off every rule limited to that feed. */
	if (feed != NULL && (cf = conf_feed_find(conf, feed)) == NULL) {
		names = conf_feed_names(conf);
		fprintf(stderr, "newswatch match: no feed %s in %s; feeds: %s\n", feed, conf->path,
		    names);
		free(names);
		conf_free(conf);
		return 2;
	}
	if ((matcher = matcher_new(conf)) == NULL) {
		conf_free(conf);
		return 2;
	}
	m.conf = conf;
	m.matcher = matcher;
	m.format = json ? ALERT_FORMAT_JSONL : ALERT_FORMAT_TEXT;
	m.max_items = cf != NULL ? cf->max_items : conf->max_items;
	for (i = optind; i < argc; i++)
		if (match_file(&m, argv[i], feed) == -1)
			errors++;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* Printed, not logged: log_init(-1) keeps only errors, and this is one. */
		fprintf(stderr, "newswatch match: writing the output: %s\n", strerror(errno));
		errors++;
	}
	matcher_free(matcher);
	conf_free(conf);
	if (errors > 0 || m.error)
		return 2;
	return m.matched > 0 ? 0 : 1;
}
