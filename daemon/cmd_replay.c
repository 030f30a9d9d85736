/*
 * cmd_replay.c: `newswatch replay`: runs the current rules over the items stored in the state
 * database and prints what would have alerted, so a new rule can be tried on last week's news.
 * Read-only: it opens the database without the daemon's lock, delivers nothing, changes nothing.
 * It applies the daemon's intake rules: an item whose link + title its feed already had (a
 * rewritten guid) or older than max_age when first seen is skipped, and a story seen in several
 * feeds alerts once per rule with the other feeds in "also in".
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "cmd.h"
#include "item.h"
#include "log.h"
#include "store.h"
#include "util.h"

/* A set of strings mapping to an index (open addressing, grows at half full). */
struct strmap {
	char	**keys;
	size_t	 *vals;
	size_t	  cap, n;
};

static uint64_t
hash(const char *s)
{
	return fnv1a(FNV1A_INIT, s, strlen(s));
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t
slot(const struct strmap *m, const char *key)
{
	size_t	i = (size_t)hash(key) & (m->cap - 1);

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* 1 and *val if key is there, else 0. */
static int
strmap_find(const struct strmap *m, const char *key, size_t *val)
{
	size_t	i;

	if (m->cap == 0)
		return 0;
	i = slot(m, key);
	if (m->keys[i] == NULL)
		return 0;
	*val = m->vals[i];
	return 1;
}

/* Adds key (copied) with val unless it is there already. */
static void
strmap_add(struct strmap *m, const char *key, size_t val)
{
	struct strmap	big;
	size_t		i, j;

	if (m->n * 2 >= m->cap) {
		big.cap = m->cap ? m->cap * 2 : 1024;
		big.n = m->n;
		big.keys = xcalloc(big.cap, sizeof(*big.keys));
		big.vals = xcalloc(big.cap, sizeof(*big.vals));
		for (i = 0; i < m->cap; i++) {
			if (m->keys[i] == NULL)
				continue;
			j = slot(&big, m->keys[i]);
			big.keys[j] = m->keys[i];
			big.vals[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		*m = big;
	}
	i = slot(m, key);
	if (m->keys[i] != NULL)
		return;
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
}

static void
strmap_free(struct strmap *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
}

struct replay {
	const struct conf	*conf;
	const struct matcher	*matcher;
	struct strmap		 alt;		/* "feed\nalt_key" seen */
	struct strmap		 stories;	/* "rule\nstory key" -> index in alerts */
	struct alert		*alerts;
	size_t			 nalerts;
	size_t			 items, skipped;
	/* The item being judged. */
	const struct store_item	*si;
	const struct item_text	*t;
	struct parse_item	*it;
};

static void
replay_usage(FILE *f)
{
	fprintf(f, "usage: newswatch replay [--since DURATION] [--config FILE] [--json]\n"
	    "Runs the current rules over the items stored in the last DURATION (default 7d) and\n"
	    "prints what would have alerted. Nothing is delivered and no state changes.\n");
}

static int
result_cb(void *arg, const struct match_result *r)
{
	struct replay	*rp = arg;
	struct alert	 a, *first;
	char		*keys[2], *k[2] = { NULL, NULL };
	size_t		 i, idx = 0;
	int		 seen = 0, dup;

	item_alert(rp->conf, r, rp->t, rp->it, rp->si->feed, rp->si->seen_at, &a);
	item_story_keys(rp->si->link, rp->si->title, keys);
	for (i = 0; i < 2; i++) {
		if (keys[i] != NULL)
			k[i] = xasprintf("%s\n%s", a.rule, keys[i]);
		free(keys[i]);
		if (!seen && k[i] != NULL && strmap_find(&rp->stories, k[i], &idx))
			seen = 1;
	}
	if (seen) {
		/* The daemon adds the feed to the first alert's also_in. */
		first = &rp->alerts[idx];
		dup = strcmp(first->feed, a.feed) == 0;
		for (i = 0; !dup && i < first->nalso_in; i++)
			dup = strcmp(first->also_in[i], a.feed) == 0;
		if (!dup) {
			first->also_in = xreallocarray(first->also_in, first->nalso_in + 1,
			    sizeof(char *));
			first->also_in[first->nalso_in++] = xstrdup(a.feed);
		}
		alert_free(&a);
	} else {
		for (i = 0; i < 2; i++)
			if (k[i] != NULL)
				strmap_add(&rp->stories, k[i], rp->nalerts);
		rp->alerts = xreallocarray(rp->alerts, rp->nalerts + 1, sizeof(*rp->alerts));
		rp->alerts[rp->nalerts++] = a;
	}
	free(k[0]);
	free(k[1]);
	return 0;
}

static int
item_cb(void *arg, const struct store_item *si)
{
	struct replay		*rp = arg;
	struct item_text	 t;
	struct parse_item	 it;
	struct match_item	 mi;
	size_t			 dummy = 0;
	char			*k;
	int			 known = 0;

	rp->items++;
	if (si->alt_key != NULL) {
		k = xasprintf("%s\n%s", si->feed, si->alt_key);
		if (!(known = strmap_find(&rp->alt, k, &dummy)))
			strmap_add(&rp->alt, k, 0);
		free(k);
	}
	if (known || (si->published != 0 && si->published <
	    si->seen_at - (time_t)rp->conf->max_age)) {
		rp->skipped++;
		return 0;
	}
	memset(&t, 0, sizeof(t));
	t.title = (char *)si->title;
	t.summary = (char *)si->summary;
	t.content = (char *)si->content;
	t.article = (char *)si->article;
	t.categories = (char **)si->categories;
	t.ncategories = si->ncategories;
	memset(&it, 0, sizeof(it));
	it.link = (char *)si->link;
	if (si->key != NULL && strncmp(si->key, "id:", 3) == 0)
		it.id = (char *)si->key + 3;
	it.published_t = si->published;
	rp->si = si;
	rp->t = &t;
	rp->it = &it;
	item_match_view(&t, si->feed, &mi);
	/* result_cb never stops the run and out of memory is fatal: no error can come back. */
	(void)matcher_run(rp->matcher, &mi, 0, result_cb, rp);
	return 0;
}

int
cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = replay_usage };
	struct replay	 rp;
	struct conf	*conf = NULL;
	struct store	*store = NULL;
	struct matcher	*matcher = NULL;
	struct buf	 b;
	unsigned	 since = 7 * 86400;
	int		 ch, json = 0, status = 2;
	size_t		 i;

	while ((ch = cmd_getopt(&o, argc, argv, "+c:s:jh", opts)) != -1) {
		switch (ch) {
		case 's':
			if (conf_parse_duration(optarg, &since) == -1) {
				fprintf(stderr, "newswatch replay: bad --since \"%s\": use 90s, "
				    "10m, 2h or 7d\n", optarg);
				return cmd_opts_end(&o, 2);
			}
			break;
		case 'j':
			json = 1;
			break;
		}
	}
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc) {
		replay_usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	log_init(0);
	if (cmd_conf_load(&o, &conf) == -1)
		goto out;
	if ((store = store_open_readonly(conf->state_dir)) == NULL)
		goto out;
	if ((matcher = matcher_new(conf)) == NULL)
		goto out;
	memset(&rp, 0, sizeof(rp));
	rp.conf = conf;
	rp.matcher = matcher;
	if (store_item_each(store, time(NULL) - (time_t)since, item_cb, &rp) == -1) {
		status = 2;
	} else {
		buf_init(&b, 0);
		for (i = 0; i < rp.nalerts; i++) {
			buf_reset(&b);
			if (alert_format(&rp.alerts[i], json ? ALERT_FORMAT_JSONL :
			    ALERT_FORMAT_TEXT, &b) == 0)
				fwrite(b.data, 1, b.len, stdout);
		}
		buf_free(&b);
		fprintf(stderr, "replay: %zu stored item%s, %zu skipped (rewritten id or too old), "
		    "%zu alert%s\n", rp.items, rp.items == 1 ? "" : "s", rp.skipped, rp.nalerts,
		    rp.nalerts == 1 ? "" : "s");
		status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
	}
	for (i = 0; i < rp.nalerts; i++)
		alert_free(&rp.alerts[i]);
	free(rp.alerts);
	strmap_free(&rp.alt);
	strmap_free(&rp.stories);
out:
	if (matcher != NULL)
		matcher_free(matcher);
	if (store != NULL)
		store_close(store);
	conf_free(conf);
	return cmd_opts_end(&o, status);
}
