/* surge.c: counts each rule's new stories and raises one surge alert when they rise far above their baseline (surge.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "surge.h"
#include "util.h"

void
surge_baseline(const unsigned *counts, size_t n, struct surge_baseline *out)
{
	double	sum = 0, dev = 0, d;
	size_t	i;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		sum += counts[i];
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++) {
		d = counts[i] - out->mean;
		dev += d * d;
	}
	out->sd = sqrt(dev / (double)n);
	out->windows = (unsigned)n;
}

double
surge_threshold(const struct surge_baseline *b)
{
	double	spread = b->sd;

	if (b->windows == 0)
		return 0;
	if (spread < sqrt(b->mean))
		spread = sqrt(b->mean);
	if (spread < 1)
		spread = 1;
	return b->mean + SURGE_K * spread;
}

int
surge_far_above(unsigned count, const struct surge_baseline *b, unsigned surge_min)
{
	if (count < surge_min)
		return 0;
	return b->windows == 0 || (double)count > surge_threshold(b);
}

/* Names counted for the record: feeds, actors, places. */
struct tally {
	char		**name;
	unsigned	*n;
	size_t		 len;
};

static void
tally_add(struct tally *t, const char *name)
{
	size_t	i;

	if (name == NULL || *name == '\0')
		return;
	for (i = 0; i < t->len; i++)
		if (strcmp(t->name[i], name) == 0) {
			t->n[i]++;
			return;
		}
	t->name = xreallocarray(t->name, t->len + 1, sizeof(*t->name));
	t->n = xreallocarray(t->n, t->len + 1, sizeof(*t->n));
	t->name[t->len] = xstrdup(name);
	t->n[t->len++] = 1;
}

/* Moves the (at most max) names counted most, most first (ties: first seen), into *out. */
static void
tally_top(struct tally *t, size_t max, char ***out, size_t *nout)
{
	size_t	i, best;

	*out = NULL;
	*nout = 0;
	while (*nout < max) {
		best = t->len;
		for (i = 0; i < t->len; i++)
			if (t->name[i] != NULL && (best == t->len || t->n[i] > t->n[best]))
				best = i;
		if (best == t->len)
			break;
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = t->name[best];
		t->name[best] = NULL;
	}
	for (i = 0; i < t->len; i++)
		free(t->name[i]);
	free(t->name);
	free(t->n);
	memset(t, 0, sizeof(*t));
}

/* What a surge record names, gathered from the rule's alerts in the window. */
struct gather {
	struct tally	 feeds, actors, places;
	char		**titles;	/* newest first */
	size_t		*carried;	/* feeds that carried each */
	size_t		 ntitles;
};

static int
gather_cb(void *arg, const struct store_recent *r)
{
	struct gather	*g = arg;
	size_t		 i;

	tally_add(&g->feeds, r->feed);
	for (i = 0; i < r->nalso_in; i++)
		tally_add(&g->feeds, r->also_in[i]);
	for (i = 0; i < r->nactors; i++)
		tally_add(&g->actors, r->actors[i]);
	for (i = 0; i < r->nplaces; i++)
		tally_add(&g->places, r->places[i]);
	if (r->title == NULL || *r->title == '\0')
		return 0;
	g->titles = xreallocarray(g->titles, g->ntitles + 1, sizeof(*g->titles));
	g->carried = xreallocarray(g->carried, g->ntitles + 1, sizeof(*g->carried));
	g->titles[g->ntitles] = xstrdup(r->title);
	g->carried[g->ntitles++] = 1 + r->nalso_in;
	return 0;
}

/* The top titles: the stories most feeds carried, the newest first among equals. */
static void
top_titles(struct gather *g, struct alert_surge *sg)
{
	size_t	i, best;

	while (sg->ntitles < SURGE_TOP) {
		best = g->ntitles;
		for (i = 0; i < g->ntitles; i++)
			if (g->titles[i] != NULL &&
			    (best == g->ntitles || g->carried[i] > g->carried[best]))
				best = i;
		if (best == g->ntitles)
			break;
		sg->titles = xreallocarray(sg->titles, sg->ntitles + 1, sizeof(*sg->titles));
		sg->titles[sg->ntitles++] = g->titles[best];
		g->titles[best] = NULL;
	}
	for (i = 0; i < g->ntitles; i++)
		free(g->titles[i]);
	free(g->titles);
	free(g->carried);
}

/* Fills the surge alert for rule's window ending at now: its text and what it names. */
static int
surge_build(struct store *s, const char *rule, time_t now, unsigned count,
    const struct surge_baseline *b, unsigned window, struct alert *out)
{
	struct gather	 g;
	char		 span[16];
	int		 r;

	memset(&g, 0, sizeof(g));
	memset(out, 0, sizeof(*out));
	out->type = ALERT_SURGE;
	out->time = now;
	out->rule = xstrdup(rule);
	out->severity = SEV_CRITICAL;
	out->surge.window = window;
	out->surge.count = count;
	out->surge.mean = b->mean;
	out->surge.sd = b->sd;
	out->surge.windows = b->windows;
	fmt_duration(window, span, sizeof(span));
	if (b->windows > 0)
		out->title = xasprintf("Surge: %u stories in %s, usually %.1f", count, span,
		    b->mean);
	else
		out->title = xasprintf("Surge: %u stories in %s", count, span);
	r = store_alert_recent(s, rule, now - (time_t)window, SURGE_SCAN, gather_cb, &g);
	tally_top(&g.feeds, SURGE_TOP, &out->surge.feeds, &out->surge.nfeeds);
	tally_top(&g.actors, SURGE_TOP, &out->actors, &out->nactors);
	tally_top(&g.places, SURGE_TOP, &out->places, &out->nplaces);
	top_titles(&g, &out->surge);
	return r == -1 ? -1 : 0;
}

/* Records the story's events: the rule's and one per actor and place of a. */
static int
record_events(struct store *s, const struct alert *a, const char *story, time_t now)
{
	size_t	i;

	if (store_event_add(s, now, a->rule, "rule", a->rule, story) == -1)
		return -1;
	for (i = 0; i < a->nactors; i++)
		if (store_event_add(s, now, a->rule, "actor", a->actors[i], story) == -1)
			return -1;
	for (i = 0; i < a->nplaces; i++)
		if (store_event_add(s, now, a->rule, "place", a->places[i], story) == -1)
			return -1;
	return 0;
}

int
surge_note(struct store *s, const struct conf_rule *rule, const struct alert *a,
    const char *story, time_t now, unsigned channels, int *raised, struct alert *surge)
{
	struct surge_baseline	 b;
	struct alert		 sa;
	unsigned		*counts;
	size_t			 n, hist;
	time_t			 first;
	int64_t			 open_id = 0;
	int			 open, r = -1;

	*raised = 0;
	if (a->rule == NULL || story == NULL)
		return 0;
	if (record_events(s, a, story, now) == -1)
		return -1;
	if (rule == NULL || !rule->surge || rule->surge_window == 0)
		return 0;

	/*
	 * Window 0 is the current one; 1 .. n - 1 the baseline's. The current window alone is
	 * a short index range: below surge_min no surge can be, and the week's windows (every
	 * story of the rule in 7 days) are read only when one might.
	 */
	n = 1 + (size_t)SURGE_BASELINE_DAYS * 86400 / rule->surge_window;
	counts = xcalloc(n, sizeof(*counts));
	if (store_event_windows(s, a->rule, now, rule->surge_window, counts, 1, &first) == -1)
		goto out;
	if (counts[0] >= rule->surge_min &&
	    store_event_windows(s, a->rule, now, rule->surge_window, counts, n, &first) == -1)
		goto out;
	hist = first > 0 && first <= now ? (size_t)((now - first) / (time_t)rule->surge_window) : 0;
	if (hist > n - 1)
		hist = n - 1;
	surge_baseline(counts + 1, hist, &b);
	if ((open = store_surge_open(s, a->rule, &open_id)) == -1)
		goto out;
	if (surge_far_above(counts[0], &b, rule->surge_min)) {
		r = 0;
		if (open)
			goto out;	/* the episode goes on: its alert was raised */
		if (surge_build(s, a->rule, now, counts[0], &b, rule->surge_window, &sa) == -1 ||
		    store_alert_add(s, &sa, channels) == -1 || store_surge_add(s, &sa) == -1) {
			alert_free(&sa);
			r = -1;
			goto out;
		}
		log_info("rule %s: surge, %u stories in the last %u s (baseline %.2f, sd %.2f, "
		    "%u windows): alert %lld", a->rule, counts[0], rule->surge_window, b.mean,
		    b.sd, b.windows, (long long)sa.id);
		*raised = 1;
		if (surge != NULL)
			*surge = sa;
		else
			alert_free(&sa);
	} else if (open) {
		/* Fallen back: the next rise is a new episode. */
		r = store_surge_close(s, open_id, now);
		if (r == 0)
			log_info("rule %s: surge over (%u stories in the last %u s)", a->rule,
			    counts[0], rule->surge_window);
	} else
		r = 0;
out:
	free(counts);
	return r;
}
