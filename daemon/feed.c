/*
 * feed.c: the feeds of the configuration and each one's life: its schedule, backoff and
 * validators, and the one place that knows fetch -> parse -> (page) -> match -> store -> outbox;
 * a reload's changes to the set, and the memory budget all feeds share. Items are parsed and
 * matched as the bytes arrive; what is new is kept in memory and written with its alerts in one
 * short transaction, so an item is never marked seen without its alerts (the outbox): when the
 * poll ends, with the feed's state and those of the other polls that ended about then (the
 * group, GROUP_DELAY_MS), or earlier whenever the text held reaches NEWS_HOLD_MAX. Alerts are
 * delivered only once that transaction has committed.
 *
 * fetch_article: a new item that is to alert has its page fetched (page.h) before it is
 * matched, while the feed's transfer goes on. The poll then ends when the transfer and the last
 * of its pages have ended; until then the item waits in memory, unwritten, so a crash or a stop
 * loses nothing: the next poll fetches the feed whole and finds it again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alert.h"
#include "feed.h"
#include "item.h"
#include "page.h"
#include "parse.h"
#include "log.h"
#include "url.h"
#include "util.h"

#define BACKOFF_MAX	(24u * 3600)	/* a failing feed is still tried once a day */
#define TTL_MAX		(24u * 3600)	/* a feed cannot ask for less than a daily poll */
#define MOVED_POLLS	3		/* permanent redirects in a row before the URL changes */
/*
 * New items' text all transfers together may hold before some is written out early. Holding
 * every feed's new items until its transfer ends cost up to a full feed's text for each
 * transfer at once (32 x 60 KB at a cold start, when all run in step). Past this budget, the
 * feed holding the most writes its items so far in their own transaction; below it, a poll
 * still writes its items in one transaction with the feed's state. The trade-off: items
 * received completely may be recorded, and alerted, before their transfer ends even if it then
 * fails (the next poll would have found them too); the feed's validators are saved only by a
 * good poll that lost nothing, so a failed early write is fetched again in full.
 */
#define NEWS_HOLD_MAX	(512u * 1024)
/*
 * A known item still in its feed is marked seen again (store_item_touch_ids) so store_prune
 * keeps it, but only once its mark is older than retention / TOUCH_SLACK: rewriting every row
 * of a feed at each poll that fetches it whole cost a page write per item, for nothing, while
 * an item still carried is then at most an eighth of the retention from its last mark, far
 * from being pruned. The marks are written in the poll's one transaction (write_news), not one
 * autocommit statement per item as they are parsed.
 */
#define TOUCH_SLACK	8
/*
 * A poll that brings nothing to write but the feed's own state (a 304, or a feed whose items
 * are all known) does not commit on its own: its state waits in fs->dirty and is written with
 * the others' in one transaction (flush_states) once no poll is in flight, or when this many
 * wait. At 10,000 feeds a warm poll spent about half its time in those one-row commits. A
 * crash loses at most that state (when it was polled, its validators): the feed is polled
 * again and finds nothing new, as its items are stored.
 */
#define STATE_BATCH_MAX	256
/*
 * Polls that end about the same time are written in one transaction (the group): a poll that
 * brought new items waits in fs->group until GROUP_DELAY_MS after the group's first, or until
 * GROUP_FEEDS_MAX polls wait or the text all feeds hold reaches NEWS_HOLD_MAX (hold_check),
 * then the group is written and each poll ends. One commit per feed wrote the pages every feed
 * touches (the outbox, index leaves, the feeds table) again for each feed: a cold poll of the
 * harness's 1,000 feeds x 50 items wrote about 1,000,000 blocks for a 64 MB file, 485,000 in
 * groups. The cost: a poll's alerts wait up to GROUP_DELAY_MS more, and a failed write loses
 * the whole group's items (each feed keeps its old validators, so the next polls fetch them
 * whole and find them again). Nothing is held open between loop callbacks, so delivery only
 * ever reads committed alerts.
 */
#define GROUP_DELAY_MS	50
#define GROUP_FEEDS_MAX	32
/* Hosts whose failing pages were logged (once each): past this many, failures go to debug. */
#define PAGE_HOSTS_MAX	256

/* A new item found by a poll, kept in memory until the poll's one transaction. */
struct feed_news {
	struct item	 item;
	uint64_t	 khash;		/* fnv1a of item.key: a held duplicate is found by it */
	struct alert	*alerts;
	size_t		 nalerts;
	int		 update;	/* a known item whose text changed: its record is replaced */
	int		 matched;	/* the rules were run on it: fired is complete */
	char		**fired;	/* rules that fired on it (the first nold on its old text) */
	size_t		 nfired, nold;
	int		 waiting;	/* its page is being fetched: matched when it is in */
	struct parse_item meta;		/* for a waiting item, what an alert takes of the parsed
					 * item (link, id, dates), which lives only in item_cb */
};

/* A page asked for a held item; the item is found again by its key when the page is in. */
struct page_wait {
	struct feed	*f;
	char		*key;
};

struct feed {
	struct feeds		*fs;		/* the set it belongs to */
	const struct conf_feed	*conf;
	uv_timer_t		 timer;		/* next poll */
	int			 busy;		/* a poll is in flight */
	int			 dirty;		/* its state waits in fs->dirty */
	int			 silent;	/* this poll records items without alerting */
	int			 stopped;	/* 410 Gone, or removed */
	int			 removed;	/* by a reload: its last transfer's items are dropped */
	int			 closed;	/* its timer is closed: it may be freed */
	int			 max_items_noted;	/* "only the first max_items" logged this run */
	long			 status;
	struct parser		*parser;
	char			*parse_error;
	struct feed_news	*news;		/* new items not written yet */
	size_t			 nnews;
	size_t			 capnews;	/* allocated, doubled as items are held */
	size_t			 news_bytes;	/* their text (NEWS_HOLD_MAX) */
	size_t			 nsaved;	/* new items already written in this poll */
	size_t			 nsaved_alerts;	/* and the alerts queued with them */
	size_t			 nlost;		/* new items a failed write dropped */
	size_t			 nitems;	/* items seen in this poll */
	int64_t			*touch;		/* known items to mark seen (store ids) when the
						 * poll's items are written (TOUCH_SLACK) */
	size_t			 ntouch;
	size_t			 nold;		/* new items older than max_age in this poll */
	int			 fetching;	/* the feed's own transfer is in flight */
	size_t			 npages;	/* pages in flight (busy stays 1 until 0) */
	size_t			 pages_asked;	/* pages asked for in this poll (max_articles) */
	int			 abandon;	/* stopping: the poll's held items are not written */
	int			 finishing;	/* the transfer ended well: the poll is written once
						 * the last page is in */
	struct fetch_result	 end;		/* that transfer's result, its strings copied */
	int			 swapped;	/* the poll replaced the validators: */
	char			*kept_etag;	/* the old ones, put back if its write fails */
	char			*kept_modified;
	unsigned		 ttl;		/* the feed's own lower bound on its interval */
	struct store_feed	 st;		/* health and validators, as stored */
	struct conf_feed	 own;		/* removed: conf points here, a copy of its last
						 * configuration (the reload freed the old one) */
};


struct feeds {
	struct feeds_env	 env;		/* copied; conf and matcher change on reload */
	struct feeds_cb		 cb;
	void			*arg;
	struct feed		**feeds;	/* each allocated on its own: a reload rebuilds
						 * this array while timers and transfers keep
						 * pointing at the feeds */
	size_t			 nfeeds;
	/* Feeds a reload removed while their transfer was in flight: the fetcher still points
	 * at them, so they live on (stopped, removed) until the transfer ends. */
	struct feed		**retired;
	size_t			 nretired;
	int			 stopped;
	size_t			 polls_left;	/* --once: feeds not polled yet */
	size_t			 nbusy;		/* feeds with a poll in flight */
	struct feed		**dirty;	/* STATE_BATCH_MAX feeds whose state is unwritten */
	size_t			 ndirty;
	struct feed		**group;	/* ended polls waiting to be written together */
	size_t			 ngroup;	/* (GROUP_FEEDS_MAX) */
	uv_timer_t		 group_timer;	/* writes the group (GROUP_DELAY_MS) */
	size_t			 news_bytes;	/* new items' text all feeds hold (NEWS_HOLD_MAX) */
	uint64_t		 polls;
	uint64_t		 alerts;
	char			**page_hosts;	/* hosts whose page failures were logged */
	size_t			 npage_hosts;
};

static void	feed_timer_cb(uv_timer_t *);
static int	feed_header_cb(void *, long, const char *);
static int	feed_data_cb(void *, const char *, size_t);
static void	feed_done_cb(void *, const struct fetch_result *);
static int	feed_item_cb(void *, const struct parse_item *);
static void	feed_info_cb(void *, const struct parse_feed *);
static size_t	news_size(const struct feed_news *);
static void	feed_page_cb(void *, char *, const char *, int);
static void	flush_states(struct feeds *);
static void	group_flush(struct feeds *);
static void	poll_end(struct feed *);

static const struct fetch_cb feed_fetch_cb = {
	.header_cb = feed_header_cb,
	.data_cb = feed_data_cb,
	.done_cb = feed_done_cb,
};

static const struct parse_cb feed_parse_cb = {
	.item_cb = feed_item_cb,
	.feed_cb = feed_info_cb,
};

/* Sets up a feed's timer and loads its stored state. 0 or -1. */
static int
feed_init(struct feed *f, struct feeds *fs, const struct conf_feed *cf)
{
	memset(f, 0, sizeof(*f));
	f->fs = fs;
	f->conf = cf;
	if (uv_timer_init(fs->env.loop, &f->timer) != 0)
		return -1;
	f->timer.data = f;
	if (store_feed_get(fs->env.store, cf->name, &f->st) == -1)
		return -1;
	return 0;
}

/* A random number in [0, span). */
static uint64_t
rand_below(uint64_t span)
{
	return span > 0 ? (uint64_t)random() % span : 0;
}

/*
 * The next poll, in ms from now: seconds spread by +-10%, so feeds that share an interval drift
 * apart instead of firing in lockstep. floor (a server's Retry-After, Cache-Control max-age or
 * the feed's own ttl) is a lower bound the spread never goes under; at the floor the spread goes
 * up to 10% above it instead, so feeds one server told the same thing do not all come back in
 * the same second. cap (0: none) bounds the result, spread included.
 */
static uint64_t
jitter_ms(unsigned seconds, unsigned floor, unsigned cap)
{
	uint64_t	base = (uint64_t)(seconds > floor ? seconds : floor) * 1000;
	uint64_t	lo = (uint64_t)floor * 1000, hi = (uint64_t)cap * 1000;
	uint64_t	ms = base - base / 10 + rand_below(base / 5);

	if (ms < lo)
		ms = lo + rand_below(lo / 10);
	if (cap > 0 && ms > hi)
		ms = hi > lo + hi / 10 ? hi - rand_below(hi / 10) : hi;
	return ms;
}

/* Arms the feed's timer (see jitter_ms) and records when it fires, for newswatch status. */
static void
schedule(struct feed *f, unsigned seconds, unsigned floor, unsigned cap)
{
	uint64_t	ms = jitter_ms(seconds, floor, cap);

	f->st.next_poll = time(NULL) + (time_t)((ms + 999) / 1000);
	uv_timer_start(&f->timer, feed_timer_cb, ms, 0);
}

/* Schedules the first poll (immediately with --once, else at the stored next poll time). */
static void
feed_start(struct feed *f)
{
	time_t		now = time(NULL);
	uint64_t	spread;

	if (f->st.gone) {
		log_warnx("feed %s (%s): not polled: the server said 410 Gone; remove it from %s "
		    "or clear its state", f->conf->name, f->conf->url, f->fs->env.conf->path);
		f->stopped = 1;
		if (f->fs->env.once && f->fs->polls_left > 0)
			f->fs->polls_left--;
		return;
	}
	if (f->fs->env.once) {
		uv_timer_start(&f->timer, feed_timer_cb, 0, 0);
		return;
	}
	/* After a restart, keep the schedule the last run set rather than polling everything
	 * at once; new feeds start within the first few seconds, spread out. */
	if (f->st.next_poll > now) {
		uv_timer_start(&f->timer, feed_timer_cb, (uint64_t)(f->st.next_poll - now) * 1000, 0);
		return;
	}
	spread = f->conf->interval < 10 ? f->conf->interval : 10;
	uv_timer_start(&f->timer, feed_timer_cb, spread ? (uint64_t)random() % (spread * 1000) : 0, 0);
}

static void
free_fired(struct feed_news *n)
{
	size_t	i;

	for (i = 0; i < n->nfired; i++)
		free(n->fired[i]);
	free(n->fired);
	n->fired = NULL;
	n->nfired = n->nold = 0;
}

static void
meta_free(struct parse_item *m)
{
	free(m->link);
	free(m->id);
	free(m->published);
	free(m->updated);
	memset(m, 0, sizeof(*m));
}

/* Copies what item_alert reads of a parsed item. */
static void
meta_keep(struct parse_item *m, const struct parse_item *it)
{
	memset(m, 0, sizeof(*m));
	m->link = it->link ? xstrdup(it->link) : NULL;
	m->id = it->id ? xstrdup(it->id) : NULL;
	m->published = it->published ? xstrdup(it->published) : NULL;
	m->updated = it->updated ? xstrdup(it->updated) : NULL;
	m->published_t = it->published_t;
	m->updated_t = it->updated_t;
}

static void
news_clear(struct feed_news *n)
{
	size_t	j;

	item_free(&n->item);
	for (j = 0; j < n->nalerts; j++)
		alert_free(&n->alerts[j]);
	free(n->alerts);
	free_fired(n);
	meta_free(&n->meta);
}

/*
 * Lets the held items go; with keep_waiting, those still waiting for their page stay (a write
 * of the others, NEWS_HOLD_MAX), with their share of the budget.
 */
static void
news_drop(struct feed *f, int keep_waiting)
{
	size_t	i, k = 0, kept_bytes = 0;

	for (i = 0; i < f->nnews; i++) {
		if (keep_waiting && f->news[i].waiting) {
			kept_bytes += news_size(&f->news[i]);
			f->news[k++] = f->news[i];
		} else
			news_clear(&f->news[i]);
	}
	f->nnews = k;
	if (k == 0) {
		free(f->news);
		f->news = NULL;
		f->capnews = 0;
	}
	f->fs->news_bytes -= f->news_bytes - kept_bytes;
	f->news_bytes = kept_bytes;
}

static void
news_free(struct feed *f)
{
	news_drop(f, 0);
}

/* Keeps what poll_succeeded reads of a transfer's result, for a poll that waits for pages. */
static void
result_keep(struct fetch_result *dst, const struct fetch_result *src)
{
	*dst = *src;
	dst->error = NULL;
	dst->content_type = NULL;
	dst->permanent_url = NULL;
	dst->etag = src->etag ? xstrdup(src->etag) : NULL;
	dst->last_modified = src->last_modified ? xstrdup(src->last_modified) : NULL;
	dst->effective_url = src->effective_url ? xstrdup(src->effective_url) : NULL;
}

static void
result_free(struct fetch_result *r)
{
	free((char *)r->etag);
	free((char *)r->last_modified);
	free((char *)r->effective_url);
	memset(r, 0, sizeof(*r));
}

static void
poll_reset(struct feed *f)
{
	if (f->parser != NULL)
		parser_free(f->parser);
	f->parser = NULL;
	free(f->parse_error);
	f->parse_error = NULL;
	news_free(f);
	free(f->touch);
	f->touch = NULL;
	f->ntouch = 0;
	f->nsaved = f->nsaved_alerts = f->nlost = 0;
	f->nitems = 0;
	f->nold = 0;
	f->status = 0;
	f->pages_asked = 0;
	f->abandon = f->finishing = 0;
	result_free(&f->end);
	free(f->kept_etag);
	free(f->kept_modified);
	f->kept_etag = f->kept_modified = NULL;
	f->swapped = 0;
}

static void
feed_timer_cb(uv_timer_t *t)
{
	struct feed	*f = t->data;
	struct fetch_req req;

	if (f->stopped || f->fs->stopped)
		return;
	/* A failed poll schedules the next one at once, but may still wait for its pages. */
	if (f->busy) {
		uv_timer_start(&f->timer, feed_timer_cb, 1000, 0);
		return;
	}
	poll_reset(f);
	f->busy = 1;
	f->fs->nbusy++;
	f->fetching = 1;
	f->silent = !f->st.polled && !f->fs->env.conf->first_poll_alert;
	f->st.last_attempt = time(NULL);
	memset(&req, 0, sizeof(req));
	req.url = f->st.url ? f->st.url : f->conf->url;
	req.etag = f->st.etag;
	req.last_modified = f->st.last_modified;
	log_debug("feed %s: polling %s", f->conf->name, req.url);
	if (fetch_start(f->fs->env.fetcher, &req, &feed_fetch_cb, f) == -1) {
		/* Nothing was started: try again at the next interval. */
		f->busy = 0;
		f->fs->nbusy--;
		f->fetching = 0;
		schedule(f, f->conf->interval, 0, 0);
	}
}

static int
feed_header_cb(void *arg, long status, const char *ctype)
{
	struct feed		*f = arg;
	struct parse_limits	 lim;
	char			*charset;

	f->status = status;
	if (status < 200 || status > 299)
		return 0;
	charset = http_charset(ctype);
	parse_limits_default(&lim);
	lim.max_items = f->conf->max_items;
	f->parser = parser_new(&feed_parse_cb, f, f->st.url ? f->st.url : f->conf->url, charset,
	    &lim);
	free(charset);
	return 0;
}

static int
feed_data_cb(void *arg, const char *buf, size_t len)
{
	struct feed	*f = arg;
	int		 r;

	if (f->parser == NULL)
		return -1;
	/* The items of one chunk are looked up in one read transaction (store_batch_begin);
	 * without it, a batch is only slower. */
	(void)store_batch_begin(f->fs->env.store);
	r = parser_feed(f->parser, buf, len);
	store_batch_end(f->fs->env.store);
	if (r == -1) {
		const char *e = parser_error(f->parser);
		f->parse_error = xstrdup(e ? e : "parse error");
		return -1;
	}
	return 0;
}

struct match_ctx {
	struct feed			*f;
	struct feed_news		*n;
	const struct item_text		*t;
	const struct parse_item		*it;
	time_t				 now;
	int				 alert;	/* 0: record what fires, alert nothing */
};

/* 1 if rule is among n's first k fired rules. */
static int
fired_in(const struct feed_news *n, size_t k, const char *rule)
{
	size_t	i;

	for (i = 0; i < k; i++)
		if (strcmp(n->fired[i], rule) == 0)
			return 1;
	return 0;
}

static void
add_fired(struct feed_news *n, const char *rule)
{
	if (fired_in(n, n->nfired, rule))
		return;
	n->fired = xreallocarray(n->fired, n->nfired + 1, sizeof(*n->fired));
	n->fired[n->nfired++] = xstrdup(rule);
}

/*
 * Every rule that fires is remembered for the item (the fired set); it alerts unless the poll
 * only records, or, for a changed item, unless the rule already fired on it (its old text, or
 * any earlier version: the stored fired set), so each rule alerts once per item.
 */
static int
collect_alert_cb(void *arg, const struct match_result *r)
{
	struct match_ctx	*m = arg;
	struct feed_news	*n = m->n;
	const char		*rule = m->f->fs->env.conf->rules[r->rule].name;
	int			 seen = 0;

	add_fired(n, rule);
	if (!m->alert)
		return 0;
	if (n->update) {
		if (fired_in(n, n->nold, rule))
			return 0;
		/* An error reading the set alerts nothing: an update is not worth a duplicate. */
		if ((seen = store_fired_seen(m->f->fs->env.store, m->f->conf->name, n->item.key,
		    rule)) != 0)
			return 0;
	}
	n->alerts = xreallocarray(n->alerts, n->nalerts + 1, sizeof(*n->alerts));
	item_alert(m->f->fs->env.conf, r, m->t, m->it, m->f->conf->name, m->now, &n->alerts[n->nalerts]);
	n->alerts[n->nalerts].update = n->update;
	n->nalerts++;
	return 0;
}

/* The rules that fired on an item's old text, recorded without alerting. */
static int
old_rule_cb(void *arg, const struct match_result *r)
{
	struct match_ctx	*m = arg;

	add_fired(m->n, m->f->fs->env.conf->rules[r->rule].name);
	return 0;
}

struct old_ctx {
	struct feed		*f;
	struct feed_news	*n;
	const struct store_known *known;
	int			 same;	/* the stored text is the new text after all */
};

/*
 * A known item whose fingerprint changed, or that has none yet (stored before schema 4): its
 * stored text. If it equals the new text nothing changed. Otherwise, when the rules were never
 * run on it (a first poll or an item past max_age records without matching), the rules that
 * fire on the old text are found now, so the update alerts only what the change brought.
 */
static int
old_item_cb(void *arg, const struct store_item *si)
{
	struct old_ctx		*o = arg;
	struct match_item	 mi;
	struct match_ctx	 m;
	struct item_text	 t;

	memset(&t, 0, sizeof(t));
	t.title = (char *)si->title;
	t.summary = (char *)si->summary;
	t.content = (char *)si->content;
	t.categories = (char **)si->categories;
	t.ncategories = si->ncategories;
	if (!o->known->has_fp && item_fingerprint(&t) == o->n->item.fp) {
		o->same = 1;
		return 0;
	}
	if (o->known->matched)
		return 0;
	item_match_view(&t, o->f->conf->name, &mi);
	memset(&m, 0, sizeof(m));
	m.f = o->f;
	m.n = o->n;
	/* old_rule_cb never stops the run, so matcher_run cannot fail here. */
	(void)matcher_run(o->f->fs->env.matcher, &mi, 0, old_rule_cb, &m);
	o->n->nold = o->n->nfired;
	return 0;
}

/* A held item's title as stored: "" when it has none. */
static const char *
news_title(const struct feed_news *n)
{
	return n->item.text.title != NULL ? n->item.text.title : "";
}

/*
 * 1 if a new item is to be recorded without alerting: its link + title is known in this feed
 * (the feed rewrote its guid), or it is older than max_age by its date.
 */
static int
item_quiet(struct feed *f, const struct feed_news *n, time_t now)
{
	size_t	i;
	int	seen;

	if (n->item.published != 0 && f->fs->env.conf->max_age > 0 &&
	    n->item.published < now - (time_t)f->fs->env.conf->max_age) {
		f->nold++;
		log_debug("feed %s: \"%s\" is older than max_age: recorded, not alerted",
		    f->conf->name, news_title(n));
		return 1;
	}
	/* A changed item is known under its own key: its link + title says nothing more. */
	if (n->item.alt_key == NULL || n->update)
		return 0;
	seen = store_item_alt_seen(f->fs->env.store, f->conf->name, n->item.alt_key);
	for (i = 0; seen == 0 && i + 1 < f->nnews; i++)
		if (f->news[i].item.alt_key != NULL &&
		    strcmp(f->news[i].item.alt_key, n->item.alt_key) == 0)
			seen = 1;
	if (seen == 1)
		log_debug("feed %s: \"%s\" is known under another id: recorded, not alerted",
		    f->conf->name, news_title(n));
	return seen == 1;
}

/* The bytes of text a held item takes, for NEWS_HOLD_MAX. */
static size_t
news_size(const struct feed_news *n)
{
	const struct item	*it = &n->item;
	size_t			 i, sz = strlen(it->key) + strlen(news_title(n));

	for (i = 0; i < n->nfired; i++)
		sz += strlen(n->fired[i]);
	sz += it->alt_key ? strlen(it->alt_key) : 0;
	sz += it->story[0] ? strlen(it->story[0]) : 0;
	sz += it->story[1] ? strlen(it->story[1]) : 0;
	sz += it->link ? strlen(it->link) : 0;
	sz += it->text.summary ? strlen(it->text.summary) : 0;
	sz += it->text.content ? strlen(it->text.content) : 0;
	sz += it->text.article ? strlen(it->text.article) : 0;
	for (i = 0; i < it->text.ncategories; i++)
		sz += strlen(it->text.categories[i]);
	return sz;
}

/* Writes the held items and their alerts (in the caller's transaction); counts the alerts. */
static int
write_news(struct feed *f, size_t *nalerts)
{
	struct feeds	*fs = f->fs;
	struct store_item si;
	size_t		 i, j;
	int		 added;

	*nalerts = 0;
	if (store_item_touch_ids(fs->env.store, f->touch, f->ntouch, time(NULL)) == -1)
		return -1;
	f->ntouch = 0;
	for (i = 0; i < f->nnews; i++) {
		struct feed_news *n = &f->news[i];

		if (n->waiting)
			continue;
		memset(&si, 0, sizeof(si));
		si.feed = f->conf->name;
		si.key = n->item.key;
		si.alt_key = n->item.alt_key;
		si.title = news_title(n);
		si.link = n->item.link;
		si.summary = n->item.text.summary;
		si.content = n->item.text.content;
		si.categories = n->item.text.categories;
		si.ncategories = n->item.text.ncategories;
		si.published = n->item.published;
		si.fp = n->item.fp;
		si.matched = n->matched;
		si.article = n->item.text.article;
		if ((n->update ? store_item_replace(fs->env.store, &si) :
		    store_item_put(fs->env.store, &si)) == -1)
			return -1;
		for (j = 0; j < n->nfired; j++)
			if (store_fired_add(fs->env.store, f->conf->name, n->item.key, n->fired[j]) == -1)
				return -1;
		/* A story other feeds already brought adds this feed to that alert instead. */
		for (j = 0; j < n->nalerts; j++) {
			if (deliver_outbox_add(fs->env.dl, &n->alerts[j], n->item.story, &added) == -1)
				return -1;
			*nalerts += (size_t)added;
		}
	}
	return 0;
}

/* Held items not waiting for their page. */
static size_t
news_ready(const struct feed *f)
{
	size_t	i, n = 0;

	for (i = 0; i < f->nnews; i++)
		n += !f->news[i].waiting;
	return n;
}

/*
 * Writes the items f holds so far in their own transaction and lets them go (NEWS_HOLD_MAX);
 * those waiting for their page stay. If that fails they are dropped and counted in nlost: the
 * poll then keeps the old validators, so the next one fetches the feed whole and finds them
 * again.
 */
static void
flush_news(struct feed *f)
{
	size_t	nalerts, nready = news_ready(f);

	if (nready == 0)
		return;
	if (store_begin(f->fs->env.store) == -1 || write_news(f, &nalerts) == -1 ||
	    store_commit(f->fs->env.store) == -1) {
		store_rollback(f->fs->env.store);
		f->nlost += nready;
	} else {
		f->nsaved += nready;
		f->nsaved_alerts += nalerts;
		f->fs->alerts += nalerts;
		if (nalerts > 0)
			deliver_kick(f->fs->env.dl);
	}
	news_drop(f, 1);
}

/* The feed holding the most new items' text (f, or another one in the middle of its poll). */
static struct feed *
biggest_holder(struct feed *f)
{
	struct feeds	*fs = f->fs;
	struct feed	*big = f;
	size_t		 i;

	for (i = 0; i < fs->nfeeds; i++)
		if (fs->feeds[i]->news_bytes > big->news_bytes && news_ready(fs->feeds[i]) > 0)
			big = fs->feeds[i];
	return big;
}

/*
 * Past NEWS_HOLD_MAX of held text, the polls waiting in the group are written first (they
 * hold whole feeds, and are written soon anyway), then, if that was not enough, the biggest
 * holder's items so far.
 */
static void
hold_check(struct feed *f)
{
	if (f->fs->news_bytes <= NEWS_HOLD_MAX)
		return;
	group_flush(f->fs);
	if (f->fs->news_bytes > NEWS_HOLD_MAX)
		flush_news(biggest_holder(f));
}

/* Runs the rules on a held item (its page in, if one was asked); alert 0 only records them. */
static void
match_news(struct feed *f, struct feed_news *n, const struct parse_item *it, int alert)
{
	struct match_item	 mi;
	struct match_ctx	 m;

	memset(&m, 0, sizeof(m));
	item_match_view(&n->item.text, f->conf->name, &mi);
	m.f = f;
	m.n = n;
	m.t = &n->item.text;
	m.it = it;
	m.now = time(NULL);
	m.alert = alert;
	n->matched = 1;
	/* collect_alert_cb never stops the run, so matcher_run cannot fail here. */
	(void)matcher_run(f->fs->env.matcher, &mi, 0, collect_alert_cb, &m);
}

/* The words of s (runs of bytes other than ASCII white space), counting no further than max. */
static size_t
count_words(const char *s, size_t max)
{
	size_t	k = 0;
	int	in = 0;

	for (; s != NULL && *s != '\0' && k < max; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
			in = 0;
		else if (!in) {
			in = 1;
			k++;
		}
	}
	return k;
}

/* 1 if a new item's page is to be fetched: the feed asks for pages (short: only when the item's
 * own text, summary and content, is under CONF_SHORT_WORDS words), the item links to one and
 * the poll has not asked max_articles pages yet (said once a poll when it has). */
static int
wants_page(struct feed *f, const struct feed_news *n)
{
	const char	*link = n->item.link;

	if (f->conf->fetch_article == FETCH_ARTICLE_NO || link == NULL ||
	    (strncasecmp(link, "http://", 7) != 0 && strncasecmp(link, "https://", 8) != 0))
		return 0;
	if (f->conf->fetch_article == FETCH_ARTICLE_SHORT &&
	    count_words(n->item.text.summary, CONF_SHORT_WORDS) +
	    count_words(n->item.text.content, CONF_SHORT_WORDS) >= CONF_SHORT_WORDS)
		return 0;
	if (f->pages_asked >= f->conf->max_articles) {
		if (f->pages_asked++ == f->conf->max_articles)
			log_info("feed %s: more than %u new items want their page in this poll "
			    "(max_articles): the others are matched on the feed's text",
			    f->conf->name, f->conf->max_articles);
		return 0;
	}
	return 1;
}

/*
 * Asks for a held item's page: 0, and the item waits. -1 when it cannot be asked (stopping:
 * the poll's items are then not written at all, as a stop during the transfer would leave them;
 * or the fetcher refused it: matched on the feed's text).
 */
static int
ask_page(struct feed *f, struct feed_news *n)
{
	struct page_wait	*w;

	if (f->fs->stopped) {
		f->abandon = 1;
		return -1;
	}
	w = xcalloc(1, sizeof(*w));
	w->f = f;
	w->key = xstrdup(n->item.key);
	if (page_fetch(f->fs->env.fetcher, n->item.link, feed_page_cb, w) == -1) {
		free(w->key);
		free(w);
		return -1;
	}
	f->pages_asked++;
	f->npages++;
	n->waiting = 1;
	return 0;
}

static int
feed_item_cb(void *arg, const struct parse_item *it)
{
	struct feed		*f = arg;
	struct feed_news	*n;
	struct feed_news	 cand;
	struct store_known	 known;
	struct old_ctx		 o;
	size_t			 i, size;
	uint64_t		 kh;
	time_t			 now;
	int			 seen, held = 0, alert;

	if (f->removed)
		return 0;	/* see feed_done_cb */
	f->nitems++;
	memset(&cand, 0, sizeof(cand));
	item_from_parse(it, &cand.item);
	/* Touching keeps an item the feed still carries from being pruned and alerting again. */
	now = time(NULL);
	seen = store_item_known(f->fs->env.store, f->conf->name, cand.item.key, &known);
	if (seen == 1 && known.seen_at < now - (time_t)(f->fs->env.conf->retention / TOUCH_SLACK)) {
		/* At most one per item parsed: max_items bounds the list, which doubles. */
		if ((f->ntouch & (f->ntouch - 1)) == 0)
			f->touch = xreallocarray(f->touch, f->ntouch ? 2 * f->ntouch : 1,
			    sizeof(*f->touch));
		f->touch[f->ntouch++] = known.id;
	}
	/* The same item twice in one document counts once: its key's hash, then the key. */
	kh = fnv1a(FNV1A_INIT, cand.item.key, strlen(cand.item.key));
	for (i = 0; seen != -1 && i < f->nnews && !held; i++)
		held = f->news[i].khash == kh && strcmp(f->news[i].item.key, cand.item.key) == 0;
	/* A known item is looked at again only when the text the rules read changed. */
	if (seen == -1 || held || (seen == 1 && known.has_fp && known.fp == cand.item.fp)) {
		item_free(&cand.item);
		return 0;
	}
	/*
	 * A changed item, or one stored before fingerprints: its old text says whether anything
	 * changed (no fingerprint) and which rules fired on it (never matched). Read into cand
	 * before the item is held, so f->news does not move under the callback.
	 */
	memset(&o, 0, sizeof(o));
	o.f = f;
	o.n = &cand;
	o.known = &known;
	if (seen == 1 && (!known.has_fp || !known.matched) &&
	    store_item_get(f->fs->env.store, f->conf->name, cand.item.key, old_item_cb, &o) == -1) {
		/* Logged; the item is looked at again at the next poll. */
		free_fired(&cand);
		item_free(&cand.item);
		return 0;
	}
	/* Kept: its identity keys, computed once for the store and the outbox. */
	item_keys(&cand.item);
	if (f->nnews == f->capnews) {
		f->capnews = f->capnews ? 2 * f->capnews : 16;
		f->news = xreallocarray(f->news, f->capnews, sizeof(*f->news));
	}
	n = &f->news[f->nnews++];
	*n = cand;
	n->khash = kh;
	n->update = seen == 1;
	/* Unchanged after all (no fingerprint stored yet): held only to record it, unmatched. */
	if (o.same)
		n->matched = known.matched;
	alert = !f->silent && !item_quiet(f, n, time(NULL));
	/*
	 * A new item recorded without alerting is not matched (a first poll holds a whole feed):
	 * should it change, its old text is matched then. A changed item is always matched, so
	 * that what fires is remembered even when it does not alert (max_age). A new item that is
	 * to alert waits for its page first, when the feed asks for pages.
	 */
	if (!o.same && alert && !n->update && wants_page(f, n) && ask_page(f, n) == 0)
		meta_keep(&n->meta, it);
	else if (!o.same && (alert || n->update))
		match_news(f, n, it, alert);
	size = news_size(n);
	f->news_bytes += size;
	f->fs->news_bytes += size;
	hold_check(f);
	return 0;
}

static void
feed_info_cb(void *arg, const struct parse_feed *pf)
{
	struct feed	*f = arg;

	f->ttl = pf->ttl > TTL_MAX ? TTL_MAX : pf->ttl;
}

/* Writes the state of the feeds in fs->dirty in one transaction (STATE_BATCH_MAX). */
static void
flush_states(struct feeds *fs)
{
	size_t	i;
	int	r = 0;

	if (fs->ndirty == 0)
		return;
	if (store_begin(fs->env.store) == -1)
		r = -1;
	for (i = 0; i < fs->ndirty && r == 0; i++)
		r = store_feed_put(fs->env.store, fs->dirty[i]->conf->name, &fs->dirty[i]->st);
	if (r == -1 || store_commit(fs->env.store) == -1) {
		store_rollback(fs->env.store);
		/* The feeds are polled as if they had not been: nothing is lost but the time. */
		log_warnx("could not save the state of %zu polled feed%s", fs->ndirty,
		    plural(fs->ndirty));
	}
	for (i = 0; i < fs->ndirty; i++)
		fs->dirty[i]->dirty = 0;
	fs->ndirty = 0;
}

/* A poll with nothing but its state to write joins fs->dirty (STATE_BATCH_MAX). */
static void
state_dirty(struct feed *f)
{
	struct feeds	*fs = f->fs;

	if (f->dirty)
		return;
	if (fs->ndirty == STATE_BATCH_MAX)
		flush_states(fs);
	if (fs->dirty == NULL)
		fs->dirty = xreallocarray(NULL, STATE_BATCH_MAX, sizeof(*fs->dirty));
	fs->dirty[fs->ndirty++] = f;
	f->dirty = 1;
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/*
 * Exponential backoff: the interval doubled for each consecutive failure after the first, capped
 * at BACKOFF_MAX. The feed is never dropped: at worst it is tried once a day.
 */
static unsigned
failure_delay(const struct feed *f)
{
	unsigned	delay = f->conf->interval > 0 ? f->conf->interval : 1;
	unsigned	k;

	for (k = 1; k < f->st.failures && delay < BACKOFF_MAX; k++)
		delay *= 2;
	return delay < BACKOFF_MAX ? delay : BACKOFF_MAX;
}

static void
poll_failed(struct feed *f, const struct fetch_result *res, const char *why)
{
	unsigned	delay, floor = 0;
	char		span[32];

	f->st.failures++;
	f->st.last_status = res->status;
	delay = failure_delay(f);
	/* Retry-After (429, 503, ...) is a floor, not a hint: the next request is never sooner. */
	if (res->retry_after > 0)
		floor = res->retry_after < (long)BACKOFF_MAX ? (unsigned)res->retry_after :
		    BACKOFF_MAX;
	if (floor > delay)
		delay = floor;
	/* Logged once per change of state, not on every poll. */
	if (f->fs->env.once)	/* no retry: the run ends with this poll */
		log_warnx("feed %s (%s): %s", f->conf->name,
		    res->effective_url ? res->effective_url : f->conf->url, why);
	else if (f->st.last_error == NULL || strcmp(f->st.last_error, why) != 0) {
		fmt_duration(delay, span, sizeof(span));
		log_warnx("feed %s (%s): %s; retrying in %s", f->conf->name,
		    res->effective_url ? res->effective_url : f->conf->url, why, span);
	}
	set_str(&f->st.last_error, why);
	schedule(f, delay, floor, BACKOFF_MAX);
	if (store_feed_put(f->fs->env.store, f->conf->name, &f->st) == -1)
		log_warnx("feed %s: could not save its state", f->conf->name);
}

/*
 * At normal verbosity, one line for what a poll recorded without alerting, so a first poll or a
 * feed of old items is never a silent surprise.
 */
static void
quiet_notice(const struct feed *f, size_t nnew)
{
	char	span[32];

	if (f->silent && nnew > 0)
		log_notice("feed %s: first poll: %zu item%s recorded, not alerted (first_poll = "
		    "silent; later polls alert on new items)", f->conf->name, nnew, plural(nnew));
	else if (f->nold > 0) {
		fmt_duration(f->fs->env.conf->max_age, span, sizeof(span));
		log_notice("feed %s: %zu new item%s older than max_age (%s) recorded, not "
		    "alerted", f->conf->name, f->nold, plural(f->nold), span);
	}
}

/* After a good poll's write (ok, or it failed), with the alerts it put in the outbox. */
static void
poll_saved(struct feed *f, int ok, size_t nalerts)
{
	const struct fetch_result *res = &f->end;

	if (!ok) {
		/*
		 * Nothing lost was marked seen, and the old validators go back: the next poll
		 * gets the whole feed (not a 304) and finds those items again.
		 */
		if (f->swapped) {
			free(f->st.etag);
			free(f->st.last_modified);
			f->st.etag = f->kept_etag;
			f->st.last_modified = f->kept_modified;
			f->kept_etag = f->kept_modified = NULL;
			f->swapped = 0;
		}
		log_warnx("feed %s: could not save %zu new item%s; they will be tried again",
		    f->conf->name, f->nlost + f->nnews, plural(f->nlost + f->nnews));
		return;
	}
	if (f->nlost > 0)
		log_warnx("feed %s: could not save %zu new item%s; they will be tried again",
		    f->conf->name, f->nlost, plural(f->nlost));
	f->fs->alerts += nalerts;
	log_info("feed %s: %s, %zu item%s, %zu new, %zu alert%s%s", f->conf->name,
	    res->status == 304 ? "not modified" : "fetched", f->nitems, plural(f->nitems),
	    f->nsaved + f->nnews, f->nsaved_alerts + nalerts, plural(f->nsaved_alerts + nalerts),
	    f->silent ? " (first poll: recorded, not alerted)" : "");
	quiet_notice(f, f->nsaved + f->nnews);
}

static void
group_timer_cb(uv_timer_t *t)
{
	group_flush(t->data);
}

/* A good poll with items to write waits in the group (GROUP_DELAY_MS). */
static void
group_add(struct feed *f)
{
	struct feeds	*fs = f->fs;

	if (fs->group == NULL)
		fs->group = xreallocarray(NULL, GROUP_FEEDS_MAX, sizeof(*fs->group));
	fs->group[fs->ngroup++] = f;
	/* Stopping, the timer is closed: what ends now is written at once. */
	if (fs->stopped || fs->ngroup == GROUP_FEEDS_MAX || fs->news_bytes > NEWS_HOLD_MAX)
		group_flush(fs);
	else if (fs->ngroup == 1)
		uv_timer_start(&fs->group_timer, group_timer_cb, GROUP_DELAY_MS, 0);
}

/*
 * Writes the polls waiting in the group, their items, alerts and states, in one transaction;
 * then, once it has committed, the outbox is delivered and each poll ends.
 */
static void
group_flush(struct feeds *fs)
{
	struct feed	**g = fs->group;
	size_t		  n = fs->ngroup, i, total = 0, *nalerts;
	int		  ok;

	if (n == 0)
		return;
	/* Taken out first: a poll that ends calls back into the run, which may stop the feeds
	 * (and flush the group again). */
	fs->group = NULL;
	fs->ngroup = 0;
	uv_timer_stop(&fs->group_timer);
	nalerts = xcalloc(n, sizeof(*nalerts));
	ok = store_begin(fs->env.store) == 0;
	for (i = 0; ok && i < n; i++)
		ok = write_news(g[i], &nalerts[i]) == 0 &&
		    store_feed_put(fs->env.store, g[i]->conf->name, &g[i]->st) == 0;
	if (!ok)
		store_rollback(fs->env.store);
	else
		ok = store_commit(fs->env.store) == 0;
	for (i = 0; i < n; i++) {
		poll_saved(g[i], ok, ok ? nalerts[i] : 0);
		total += ok ? nalerts[i] : 0;
	}
	if (total > 0)
		deliver_kick(fs->env.dl);
	for (i = 0; i < n; i++)
		poll_end(g[i]);
	free(nalerts);
	free(g);
}

/*
 * A good poll: its state is updated and what it brought is written, with its state, in the
 * group (1: the poll waits there, and ends when the group is written), or, if it brought
 * nothing new, its state waits in fs->dirty (0: the poll is over).
 */
static int
poll_succeeded(struct feed *f, const struct fetch_result *res)
{
	unsigned	floor = f->ttl;

	/* The feed's ttl and the server's max-age are lower bounds on the interval. */
	if (res->max_age > 0 && (unsigned long)res->max_age > floor)
		floor = res->max_age < (long)TTL_MAX ? (unsigned)res->max_age : TTL_MAX;
	if (f->st.failures > 0)
		log_notice("feed %s: fetched again after %u failure%s", f->conf->name,
		    f->st.failures, f->st.failures == 1 ? "" : "s");
	f->st.failures = 0;
	set_str(&f->st.last_error, NULL);
	f->st.last_status = res->status;
	f->st.last_success = time(NULL);
	f->st.polled = 1;
	/* Items a failed write dropped come back only if the next poll gets the whole feed. */
	if (res->status != 304 && f->nlost == 0) {
		f->kept_etag = f->st.etag;
		f->kept_modified = f->st.last_modified;
		f->swapped = 1;
		f->st.etag = res->etag ? xstrdup(res->etag) : NULL;
		f->st.last_modified = res->last_modified ? xstrdup(res->last_modified) : NULL;
	}
	schedule(f, f->conf->interval, floor, 0);
	if (f->nnews == 0 && f->ntouch == 0) {
		state_dirty(f);
		poll_saved(f, 1, 0);
		return 0;
	}
	group_add(f);
	return 1;
}

/*
 * Counts polls redirected permanently (every hop 301 or 308) to one address that answered well
 * (2xx or 304). Only after MOVED_POLLS of them in a row is the new address used for good, and
 * logged: one response from a misconfigured site or a captive portal does not rewrite a feed.
 * A transfer error or an error status at the new address neither counts nor breaks the run; a
 * good answer without the redirect does. The state is saved with the rest of the poll's.
 */
static void
track_moved(struct feed *f, const struct fetch_result *res)
{
	const char	*cur = f->st.url ? f->st.url : f->conf->url;
	const char	*to = res->permanent_url;

	if (!res->ok || f->parse_error != NULL ||
	    !(res->status == 304 || (res->status >= 200 && res->status <= 299)))
		return;
	if (to == NULL || strcmp(to, cur) == 0) {
		set_str(&f->st.moved_to, NULL);
		f->st.moved_count = 0;
		return;
	}
	if (f->st.moved_to == NULL || strcmp(f->st.moved_to, to) != 0) {
		set_str(&f->st.moved_to, to);
		f->st.moved_count = 0;
	}
	if (++f->st.moved_count < MOVED_POLLS) {
		log_info("feed %s: %s redirects permanently to %s (%u of %u polls before the "
		    "address is changed)", f->conf->name, cur, to, f->st.moved_count, MOVED_POLLS);
		return;
	}
	log_notice("feed %s: %s moved permanently to %s (seen on %u polls in a row); polling "
	    "the new address from now on (update %s)", f->conf->name, cur, to, MOVED_POLLS,
	    f->fs->env.conf->path);
	/* Moved back to the configured address: nothing to override any more. */
	set_str(&f->st.url, strcmp(to, f->conf->url) == 0 ? NULL : to);
	set_str(&f->st.moved_to, NULL);
	f->st.moved_count = 0;
}

/*
 * The end of a poll, once its transfer and the last of its pages have ended: a good poll is
 * written (poll_succeeded), maybe later with the group; then poll_end.
 */
static void
poll_over(struct feed *f)
{
	if (f->finishing && !f->abandon && !f->removed) {
		if (poll_succeeded(f, &f->end) == 1)
			return;		/* the group's write ends it */
	} else if (f->abandon && f->nnews > 0)
		log_notice("feed %s: stopping: %zu new item%s not recorded; the next run finds "
		    "them again", f->conf->name, f->nnews, plural(f->nnews));
	poll_end(f);
}

/* What the poll held is let go, and the run is told. */
static void
poll_end(struct feed *f)
{
	int	counted = !f->removed;

	poll_reset(f);
	f->busy = 0;
	if (--f->fs->nbusy == 0)
		flush_states(f->fs);
	if (counted && f->fs->env.once) {
		uv_timer_stop(&f->timer);
		if (f->fs->polls_left > 0)
			f->fs->polls_left--;
	}
	if (f->fs->cb.polled_cb != NULL)
		f->fs->cb.polled_cb(f->fs->arg);
}

static void
feed_done_cb(void *arg, const struct fetch_result *res)
{
	struct feed	*f = arg;
	char		 why[512];
	int		 r;

	f->fetching = 0;
	if (f->removed) {
		/*
		 * A reload removed the feed while this transfer ran: what it brought is not
		 * recorded or alerted (its items were not even matched; a feed of the same
		 * address still configured polls on its own).
		 */
		log_info("feed %s: removed while being polled: its items are dropped",
		    f->conf->name);
		news_free(f);
		if (f->npages == 0)
			poll_over(f);
		return;
	}
	f->fs->polls++;
	track_moved(f, res);
	if (f->parse_error != NULL) {
		snprintf(why, sizeof(why), "%s", f->parse_error);
		poll_failed(f, res, why);
	} else if (!res->ok) {
		snprintf(why, sizeof(why), "%s", res->error ? res->error : "transfer failed");
		poll_failed(f, res, why);
	} else if (res->status == 304) {
		f->finishing = 1;
	} else if (res->status >= 200 && res->status <= 299) {
		(void)store_batch_begin(f->fs->env.store);
		r = parser_finish(f->parser);
		store_batch_end(f->fs->env.store);
		if (r == -1) {
			const char *e = parser_error(f->parser);
			snprintf(why, sizeof(why), "%s", e ? e : "not a feed");
			poll_failed(f, res, why);
		} else {
			const char *rep = parser_repairs(f->parser);
			size_t skipped = parser_skipped(f->parser);
			if (rep != NULL)
				log_info("feed %s: repaired: %s", f->conf->name, rep);
			/* Said once a run: a big feed stays big, and it is healthy, not failing. */
			if (skipped > 0 && !f->max_items_noted) {
				log_notice("feed %s (%s): %zu items, only the first %u handled "
				    "(max_items)", f->conf->name, res->effective_url ?
				    res->effective_url : f->conf->url,
				    parser_nitems(f->parser) + skipped, f->conf->max_items);
				f->max_items_noted = 1;
			}
			f->finishing = 1;
		}
	} else if (res->status == 410) {
		log_warnx("feed %s (%s): 410 Gone: polling stopped; remove the feed from %s",
		    f->conf->name, f->conf->url, f->fs->env.conf->path);
		f->st.gone = 1;
		f->stopped = 1;
		f->st.last_status = res->status;
		set_str(&f->st.last_error, "410 Gone");
		if (store_feed_put(f->fs->env.store, f->conf->name, &f->st) == -1)
			log_warnx("feed %s: could not save its state", f->conf->name);
	} else {
		snprintf(why, sizeof(why), "HTTP status %ld", res->status);
		poll_failed(f, res, why);
	}
	if (f->finishing) {
		result_keep(&f->end, res);
		if (f->parser != NULL) {
			parser_free(f->parser);
			f->parser = NULL;
		}
	} else
		news_free(f);	/* a failed poll records nothing more; its pages are let go */
	if (f->npages == 0)
		poll_over(f);
}

/* Says a page failure once per host and run (PAGE_HOSTS_MAX hosts), then at debug level. */
static void
page_failed(struct feed *f, const char *link, const char *why)
{
	struct feeds	*fs = f->fs;
	char		*host;
	size_t		 i;

	if ((host = url_host(link, 0)) == NULL)
		host = xstrdup("");
	for (i = 0; i < fs->npage_hosts; i++)
		if (strcmp(fs->page_hosts[i], host) == 0)
			break;
	if (i < fs->npage_hosts || fs->npage_hosts >= PAGE_HOSTS_MAX) {
		log_debug("feed %s: page %s: %s; matched on the feed's text", f->conf->name,
		    link, why);
		free(host);
		return;
	}
	fs->page_hosts = xreallocarray(fs->page_hosts, fs->npage_hosts + 1,
	    sizeof(*fs->page_hosts));
	fs->page_hosts[fs->npage_hosts++] = host;
	log_warnx("feed %s: page %s: %s; matched on the feed's text (said once for %s)",
	    f->conf->name, link, why, host);
}

/*
 * An item's page is in (text), or failed (why): the item is matched now, on the page and the
 * feed's text or on the feed's text alone. The poll ends with its last page.
 */
static void
feed_page_cb(void *arg, char *text, const char *why, int cancelled)
{
	struct page_wait	*w = arg;
	struct feed		*f = w->f;
	struct feed_news	*n = NULL;
	size_t			 i, size;

	f->npages--;
	for (i = 0; i < f->nnews && n == NULL; i++)
		if (f->news[i].waiting && strcmp(f->news[i].item.key, w->key) == 0)
			n = &f->news[i];
	/* Stopping: the fetcher was closed under it, or the grace time's transfer failed. */
	if (n != NULL && (cancelled || (f->fs->stopped && text == NULL)))
		f->abandon = 1;
	else if (n != NULL) {
		n->waiting = 0;
		if (text == NULL)
			page_failed(f, n->item.link, why);
		else {
			log_debug("feed %s: page %s: %zu bytes of text", f->conf->name,
			    n->item.link, strlen(text));
			n->item.text.article = text;
			text = NULL;
			size = strlen(n->item.text.article);
			f->news_bytes += size;
			f->fs->news_bytes += size;
		}
		match_news(f, n, &n->meta, 1);
		meta_free(&n->meta);
		hold_check(f);
	}
	free(text);
	free(w->key);
	free(w);
	if (f->npages == 0 && !f->fetching)
		poll_over(f);
}

static void
timer_closed_cb(uv_handle_t *h)
{
	struct feed	*f = h->data;

	f->closed = 1;
}

/* Stops polling; the timer handle is closed (the loop must run to finish). */
static void
feed_stop(struct feed *f)
{
	f->stopped = 1;
	if (!uv_is_closing((uv_handle_t *)&f->timer))
		uv_close((uv_handle_t *)&f->timer, timer_closed_cb);
}

static void
conf_feed_copy(struct conf_feed *dst, const struct conf_feed *src)
{
	size_t	i;

	memset(dst, 0, sizeof(*dst));
	dst->name = xstrdup(src->name);
	dst->url = xstrdup(src->url);
	dst->interval = src->interval;
	dst->max_items = src->max_items;
	dst->fetch_article = src->fetch_article;
	dst->max_articles = src->max_articles;
	dst->line = src->line;
	if (src->ntags > 0) {
		dst->tags = xcalloc(src->ntags, sizeof(*dst->tags));
		for (i = 0; i < src->ntags; i++)
			dst->tags[i] = xstrdup(src->tags[i]);
		dst->ntags = src->ntags;
	}
}

/* Frees what the feed holds and the feed (after its timer was closed and its transfer ended). */
static void
feed_free(struct feed *f)
{
	size_t	i;

	poll_reset(f);
	store_feed_clear(&f->st);
	for (i = 0; i < f->own.ntags; i++)
		free(f->own.tags[i]);
	free(f->own.tags);
	free(f->own.name);
	free(f->own.url);
	free(f);
}

/*
 * A feed kept across a reload takes its new configuration. Its schedule and state stay; a new
 * URL starts afresh (validators and a redirect target belonged to the old one).
 */
static void
retarget(struct feed *f, const struct conf_feed *cf)
{
	int	url_changed = strcmp(f->conf->url, cf->url) != 0;

	f->conf = cf;
	if (!url_changed)
		return;
	log_notice("feed %s: url changed to %s", cf->name, cf->url);
	free(f->st.url);
	free(f->st.etag);
	free(f->st.last_modified);
	f->st.url = f->st.etag = f->st.last_modified = NULL;
	f->st.failures = 0;
	if (f->st.gone) {
		/* The 410 was about the old address: poll the new one. */
		f->st.gone = 0;
		if (f->stopped && !f->busy && !uv_is_closing((uv_handle_t *)&f->timer)) {
			f->stopped = 0;
			feed_start(f);
		}
	}
}

/* A feed a reload removed: stopped; if its transfer runs, it lives on (retired) until it ends,
 * with a copy of its configuration. */
static void
retire(struct feeds *fs, struct feed *f)
{
	log_info("feed %s: removed from the configuration: polling stopped", f->conf->name);
	feed_stop(f);
	f->removed = 1;
	conf_feed_copy(&f->own, f->conf);
	f->conf = &f->own;
	fs->retired = xreallocarray(fs->retired, fs->nretired + 1, sizeof(*fs->retired));
	fs->retired[fs->nretired++] = f;
}

/*
 * The old feeds by name, for a reload: open addressing in a power-of-two table at most half
 * full, each slot an index into the old array + 1 (0: empty). Matching each new feed by a scan
 * of the old ones took nold x nnew string compares: 10^8 for a reload of 10,000 feeds.
 */
struct by_name {
	size_t	*slot;
	size_t	 mask;
};

static size_t
name_slot(const struct by_name *ix, const char *name)
{
	return (size_t)fnv1a(FNV1A_INIT, name, strlen(name)) & ix->mask;
}

static void
by_name_build(struct by_name *ix, struct feed *const *v, size_t n)
{
	size_t	cap = 16, i, k;

	while (cap < 2 * n)
		cap *= 2;
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->mask = cap - 1;
	for (i = 0; i < n; i++) {
		for (k = name_slot(ix, v[i]->conf->name); ix->slot[k] != 0; k = (k + 1) & ix->mask)
			;
		ix->slot[k] = i + 1;
	}
}

/* The index in v of the feed named name (entries taken meanwhile are NULL), or -1. */
static long
by_name_find(const struct by_name *ix, struct feed *const *v, const char *name)
{
	size_t	k, i;

	for (k = name_slot(ix, name); ix->slot[k] != 0; k = (k + 1) & ix->mask) {
		i = ix->slot[k] - 1;
		if (v[i] != NULL && strcmp(v[i]->conf->name, name) == 0)
			return (long)i;
	}
	return -1;
}

struct feeds *
feeds_new(const struct feeds_env *env, const struct feeds_cb *cb, void *arg)
{
	struct feeds	*fs = xcalloc(1, sizeof(*fs));

	fs->env = *env;
	fs->cb = *cb;
	fs->arg = arg;
	/* Closed by feeds_stop. uv_timer_init cannot fail on an initialized loop. */
	uv_timer_init(env->loop, &fs->group_timer);
	fs->group_timer.data = fs;
	return fs;
}

int
feeds_start(struct feeds *fs)
{
	size_t	i;

	fs->feeds = xcalloc(fs->env.conf->nfeeds > 0 ? fs->env.conf->nfeeds : 1, sizeof(*fs->feeds));
	for (i = 0; i < fs->env.conf->nfeeds; i++) {
		fs->feeds[i] = xmalloc(sizeof(*fs->feeds[i]));
		fs->nfeeds++;	/* counted now: teardown frees it even if init fails */
		if (feed_init(fs->feeds[i], fs, &fs->env.conf->feeds[i]) == -1)
			return -1;
	}
	fs->polls_left = fs->nfeeds;
	for (i = 0; i < fs->nfeeds; i++)
		feed_start(fs->feeds[i]);
	return 0;
}

void
feeds_reload(struct feeds *fs, const struct conf *nc, const struct matcher *nm, size_t *added,
    size_t *removed)
{
	struct feed	**nf, **of = fs->feeds, *f;
	struct by_name	  old;
	size_t		  i, nold = fs->nfeeds;
	long		  j;

	*added = *removed = 0;
	/* The waiting feeds may be removed or renamed. */
	group_flush(fs);
	flush_states(fs);
	nf = xcalloc(nc->nfeeds > 0 ? nc->nfeeds : 1, sizeof(*nf));
	by_name_build(&old, of, nold);
	for (i = 0; i < nc->nfeeds; i++) {
		if ((j = by_name_find(&old, of, nc->feeds[i].name)) != -1) {
			nf[i] = of[j];
			of[j] = NULL;
			retarget(nf[i], &nc->feeds[i]);
			continue;
		}
		f = xmalloc(sizeof(*f));
		if (feed_init(f, fs, &nc->feeds[i]) == -1) {
			/* Kept in the array, stopped, so teardown closes its timer as usual. */
			log_warnx("feed %s: could not load its state: not polled until the next "
			    "reload", nc->feeds[i].name);
			f->stopped = 1;
		}
		nf[i] = f;
		(*added)++;
	}
	free(old.slot);
	for (i = 0; i < nold; i++) {
		if (of[i] == NULL)
			continue;
		(*removed)++;
		retire(fs, of[i]);
	}
	fs->env.conf = nc;
	fs->env.matcher = nm;
	fs->feeds = nf;
	fs->nfeeds = nc->nfeeds;
	free(of);
	for (i = 0; i < fs->nfeeds; i++)
		if (!fs->feeds[i]->stopped && !fs->feeds[i]->busy &&
		    !uv_is_active((uv_handle_t *)&fs->feeds[i]->timer))
			feed_start(fs->feeds[i]);
}

int
feeds_busy(const struct feeds *fs)
{
	size_t	i;

	for (i = 0; i < fs->nfeeds; i++)
		if (fs->feeds[i]->busy)
			return 1;
	for (i = 0; i < fs->nretired; i++)
		if (fs->retired[i]->busy)
			return 1;
	return 0;
}

int
feeds_polled(const struct feeds *fs)
{
	return fs->polls_left == 0;
}

void
feeds_stats(const struct feeds *fs, struct feeds_stats *st)
{
	size_t	i;

	memset(st, 0, sizeof(*st));
	st->nfeeds = fs->nfeeds;
	for (i = 0; i < fs->nfeeds; i++)
		if (fs->feeds[i]->st.failures > 0)
			st->failing++;
	st->polls = fs->polls;
	st->alerts = fs->alerts;
}

/* Frees retired feeds whose transfer has ended and whose timer is closed (all of them with
 * all = 1, after the loop ended). */
static void
reap(struct feeds *fs, int all)
{
	size_t	i, k = 0;

	for (i = 0; i < fs->nretired; i++) {
		if ((fs->retired[i]->busy || !fs->retired[i]->closed) && !all)
			fs->retired[k++] = fs->retired[i];
		else
			feed_free(fs->retired[i]);
	}
	fs->nretired = k;
}

void
feeds_reap(struct feeds *fs)
{
	reap(fs, 0);
}

void
feeds_stop(struct feeds *fs)
{
	size_t	i;

	if (fs->stopped)
		return;
	fs->stopped = 1;
	/* Polls that ended are written now; those ending later, each at once (group_add). */
	group_flush(fs);
	uv_close((uv_handle_t *)&fs->group_timer, NULL);
	for (i = 0; i < fs->nfeeds; i++)
		feed_stop(fs->feeds[i]);
}

void
feeds_free(struct feeds *fs)
{
	size_t	i;

	if (fs == NULL)
		return;
	flush_states(fs);
	free(fs->dirty);
	free(fs->group);	/* empty: feeds_stop wrote it */
	for (i = 0; i < fs->nfeeds; i++)
		feed_free(fs->feeds[i]);
	free(fs->feeds);
	reap(fs, 1);
	free(fs->retired);
	for (i = 0; i < fs->npage_hosts; i++)
		free(fs->page_hosts[i]);
	free(fs->page_hosts);
	free(fs);
}
