/*
 * cmd_trends.c: `newswatch trends`: for each actor and place the rules name, the distinct stories
 * per hour over a period (default the last 24 hours) as a terminal sparkline, sorted by how far
 * its busiest hour rose above its own baseline, with the surges marked; --json for programs,
 * --svg for a chart. Read-only, like status and replay: it works beside a running daemon.
 *
 * The numbers. Hours are whole UTC hours, the last one the hour now is in (so far). An entity's
 * baseline is the mean m and standard deviation s of its stories per hour over the 7 days before
 * the period (hours before the oldest story the store keeps are left out: a new store has
 * little or no history). Its rise is the highest (count - m) / max(s, sqrt(m), 1) of its hours
 * in the period: the same spread surge.c uses, so a rise above 3 is what a surge needs. A story
 * two rules share counts once for an entity (without --rule). A surge is marked on the entities
 * its rule's stories named in the surge's window, at the hour it was raised.
 *
 * Limits: TRENDS_ENTITIES entities are read (the rest are counted and said to be left out),
 * TRENDS_ROWS shown as text, CHART_SERIES drawn; TRENDS_SURGES surges marked; periods from 1 h
 * to TRENDS_HOURS_MAX hours.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "cmd.h"
#include "conf.h"
#include "date.h"
#include "log.h"
#include "store.h"
#include "util.h"

#define TRENDS_ENTITIES		10000
#define TRENDS_ROWS		30
#define TRENDS_SURGES		100
#define TRENDS_HOURS_MAX	(31 * 24)
#define BASELINE_HOURS		(7 * 24)
#define NAME_COLS		24	/* the name column, in characters */

struct mark {
	time_t		 at;
	size_t		 col;
	char		*rule;
	unsigned	 count;
	char		*label;	/* "surge: rule" for the chart */
};

/* A surge episode, copied out of store_surge_each's walk. */
struct trends_surge {
	char		*rule;
	time_t		 opened, closed;
	unsigned	 window, count;
	double		 mean, sd;
};

struct ent {
	char		*kind;
	char		*name;
	unsigned	*v;		/* stories per hour in the period */
	double		 sum, sumsq;	/* of the baseline hours */
	double		 mean, sd, rise;
	unsigned	 total, peak;
	struct mark	*marks;
	size_t		 nmarks;
};

struct trends {
	time_t		 at;		/* now, or --at */
	time_t		 start;		/* the first hour of the period */
	time_t		 base_start;	/* the first baseline hour */
	size_t		 hours;
	struct ent	*ents;
	size_t		 nents;
	size_t		 dropped;	/* entities beyond TRENDS_ENTITIES */
	char		*cur_kind, *cur_name;	/* the entity of the last row read */
	int		 cur_kept;	/* ... and whether it is in ents */
	time_t		 oldest;	/* the oldest hour with a story, 0 if none */
	size_t		 base_hours;	/* baseline hours that count */
	struct trends_surge *surges;
	size_t		 nsurges;
};

static void
trends_usage(FILE *f)
{
	fprintf(f, "usage: newswatch trends [--since DURATION] [--rule RULE] [--json] [--svg FILE]\n"
	    "                        [--at TIME] [--config FILE]\n"
	    "For each actor and place the rules name: the distinct stories per hour over the\n"
	    "period (default 24h) as a sparkline, the total and the rise of its busiest hour above\n"
	    "its own baseline (the 7 days before), sorted by rise, with surges marked (^).\n"
	    "  --rule RULE  only the stories of this rule\n"
	    "  --json       machine-readable output instead of the table\n"
	    "  --svg FILE   also write a chart of the top entities (standalone SVG)\n"
	    "  --at TIME    as of TIME (ISO 8601, UTC) instead of now\n");
}

/* store_event_hours over [base_start, at]: rows come ordered by kind, name and hour. */
static int
hours_cb(void *arg, const char *kind, const char *name, time_t hour, unsigned count)
{
	struct trends	*t = arg;
	struct ent	*e;

	if (t->oldest == 0 || hour < t->oldest)
		t->oldest = hour;
	if (t->cur_name == NULL || strcmp(t->cur_kind, kind) != 0 ||
	    strcmp(t->cur_name, name) != 0) {
		free(t->cur_kind);
		free(t->cur_name);
		t->cur_kind = xstrdup(kind);
		t->cur_name = xstrdup(name);
		if ((t->cur_kept = t->nents < TRENDS_ENTITIES) == 0) {
			t->dropped++;
			return 0;
		}
		t->ents = xreallocarray(t->ents, t->nents + 1, sizeof(*t->ents));
		e = &t->ents[t->nents++];
		memset(e, 0, sizeof(*e));
		e->kind = xstrdup(kind);
		e->name = xstrdup(name);
		e->v = xcalloc(t->hours, sizeof(*e->v));
	} else if (!t->cur_kept)
		return 0;
	e = &t->ents[t->nents - 1];
	if (hour >= t->start) {
		size_t col = (size_t)((hour - t->start) / 3600);

		if (col < t->hours) {
			e->v[col] = count;
			e->total += count;
			if (count > e->peak)
				e->peak = count;
		}
	} else {
		e->sum += count;
		e->sumsq += (double)count * count;
	}
	return 0;
}

static int
surge_cb(void *arg, const struct store_surge *sg)
{
	struct trends			*t = arg;
	struct trends_surge		*c;

	if (t->nsurges == TRENDS_SURGES || sg->opened > t->at)
		return 0;
	t->surges = xreallocarray(t->surges, t->nsurges + 1, sizeof(*t->surges));
	c = &t->surges[t->nsurges++];
	c->rule = xstrdup(sg->rule);
	c->opened = sg->opened;
	c->closed = sg->closed;
	c->window = sg->window;
	c->count = sg->count;
	c->mean = sg->mean;
	c->sd = sg->sd;
	return 0;
}

static int
ent_cmp_name(const void *a, const void *b)
{
	const struct ent	*x = a, *y = b;
	int			 r = strcmp(x->kind, y->kind);

	return r != 0 ? r : strcmp(x->name, y->name);
}

/* Most risen first, then most stories, then by name. */
static int
ent_cmp_rise(const void *a, const void *b)
{
	const struct ent	*x = a, *y = b;

	if (x->rise != y->rise)
		return x->rise < y->rise ? 1 : -1;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return ent_cmp_name(a, b);
}

/* Marks the surge on every entity its rule's stories named in its window. */
struct mark_arg {
	struct trends			*t;
	const struct trends_surge	*sg;
};

static int
mark_cb(void *arg, const char *kind, const char *name, time_t hour, unsigned count)
{
	struct mark_arg	*m = arg;
	struct ent	 key, *e;
	struct mark	*k;

	(void)hour;
	(void)count;
	key.kind = (char *)kind;
	key.name = (char *)name;
	e = bsearch(&key, m->t->ents, m->t->nents, sizeof(*e), ent_cmp_name);
	if (e == NULL || (e->nmarks > 0 && e->marks[e->nmarks - 1].at == m->sg->opened &&
	    strcmp(e->marks[e->nmarks - 1].rule, m->sg->rule) == 0))
		return 0;	/* one mark per surge, whatever hours its window spans */
	e->marks = xreallocarray(e->marks, e->nmarks + 1, sizeof(*e->marks));
	k = &e->marks[e->nmarks++];
	k->at = m->sg->opened;
	k->col = (size_t)((m->sg->opened - m->sg->opened % 3600 - m->t->start) / 3600);
	k->rule = xstrdup(m->sg->rule);
	k->count = m->sg->count;
	k->label = xasprintf("surge: %s", m->sg->rule);
	return 0;
}

/* Reads everything: the entities' hours, their baselines and rises, and the surges. */
static int
collect(struct store *s, struct trends *t, const char *rule)
{
	struct mark_arg	 m;
	size_t		 i, h;
	double		 spread, z;

	if (store_event_hours(s, t->base_start, t->at + 1, rule, hours_cb, t) == -1)
		return -1;
	if (store_surge_each(s, t->start, surge_cb, t) == -1)
		return -1;
	/* Baseline hours: those after the oldest story kept (a young store has fewer). */
	if (t->oldest != 0 && t->oldest < t->start)
		t->base_hours = (size_t)((t->start - t->oldest) / 3600);
	if (t->base_hours > BASELINE_HOURS)
		t->base_hours = BASELINE_HOURS;
	for (i = 0; i < t->nents; i++) {
		struct ent *e = &t->ents[i];

		if (t->base_hours > 0) {
			e->mean = e->sum / (double)t->base_hours;
			e->sd = sqrt(fmax(0, e->sumsq / (double)t->base_hours - e->mean * e->mean));
		}
		spread = fmax(1, fmax(e->sd, sqrt(e->mean)));
		e->rise = -HUGE_VAL;
		for (h = 0; h < t->hours; h++) {
			z = ((double)e->v[h] - e->mean) / spread;
			if (z > e->rise)
				e->rise = z;
		}
	}
	/* Entities with no story in the period are not shown. */
	for (i = 0; i < t->nents;) {
		if (t->ents[i].total == 0) {
			free(t->ents[i].kind);
			free(t->ents[i].name);
			free(t->ents[i].v);
			t->ents[i] = t->ents[--t->nents];
		} else
			i++;
	}
	qsort(t->ents, t->nents, sizeof(*t->ents), ent_cmp_name);
	m.t = t;
	for (i = 0; i < t->nsurges; i++) {
		if (rule != NULL && strcmp(rule, t->surges[i].rule) != 0)
			continue;
		m.sg = &t->surges[i];
		if (store_event_hours(s, t->surges[i].opened - (time_t)t->surges[i].window + 1,
		    t->surges[i].opened + 1, t->surges[i].rule, mark_cb, &m) == -1)
			return -1;
	}
	qsort(t->ents, t->nents, sizeof(*t->ents), ent_cmp_rise);
	return 0;
}

/* Appends name for the name column: one line, cut to NAME_COLS characters, padded. */
static void
put_name(struct buf *b, const char *name)
{
	char	*o = str_oneline(name);
	size_t	 cols = 0, k, len = strlen(o);
	char	*p;

	for (p = o; *p && cols < NAME_COLS; p += k, cols++) {
		if ((k = utf8_seq((const unsigned char *)p, len - (size_t)(p - o))) == 0)
			k = 1;
		if (cols == NAME_COLS - 1 && p[k] != '\0') {
			buf_puts(b, "\xe2\x80\xa6");
			p += strlen(p);
			cols++;
			break;
		}
		buf_append(b, p, k);
	}
	for (; cols < NAME_COLS; cols++)
		buf_putc(b, ' ');
	free(o);
}

/* U+2581 .. U+2588 by the count's share of the row's peak: a quiet hour is the lowest block. */
static void
put_sparkline(struct buf *b, const struct ent *e, size_t hours)
{
	size_t		i;
	unsigned	level;

	for (i = 0; i < hours; i++) {
		/* Rounded up: one story is the second block, the peak the full one. */
		level = e->peak == 0 ? 0 :
		    (unsigned)(((unsigned long long)e->v[i] * 7 + e->peak - 1) / e->peak);
		if (level > 7)
			level = 7;
		buf_puts(b, "\xe2\x96");
		buf_putc(b, (char)(0x81 + level));
	}
}

static void
print_text(const struct trends *t, const char *rule, struct buf *b)
{
	char		 from[32], to[32], span[16], when[32];
	struct tm	 tm;
	time_t		 last = t->start + (time_t)(t->hours - 1) * 3600;
	size_t		 i, k, n = t->nents < TRENDS_ROWS ? t->nents : TRENDS_ROWS;

	gmtime_r(&t->start, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d %H:00", &tm);
	gmtime_r(&last, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d %H:59", &tm);
	fmt_duration((unsigned)t->hours * 3600, span, sizeof(span));
	buf_printf(b, "Stories per hour, %s to %s UTC (%s)%s%s, by rise against ", from, to, span,
	    rule ? ", rule " : "", rule ? rule : "");
	if (t->base_hours > 0)
		buf_printf(b, "the %zu hours before\n", t->base_hours);
	else
		buf_puts(b, "nothing (no history before the period)\n");
	if (t->nents == 0) {
		buf_puts(b, "No stories in this period.\n");
		return;
	}
	/* The header's "PER HOUR" column is as wide as the sparkline, at least its own width. */
	buf_printf(b, "%-6s %-*s %-*s %6s %5s %7s\n", "KIND", NAME_COLS, "NAME",
	    (int)t->hours, t->hours >= 13 ? "PER HOUR (TO PEAK)" : "PER HOUR", "TOTAL", "PEAK",
	    "RISE");
	for (i = 0; i < n; i++) {
		const struct ent *e = &t->ents[i];

		buf_printf(b, "%-6s ", e->kind);
		put_name(b, e->name);
		buf_putc(b, ' ');
		put_sparkline(b, e, t->hours);
		if (t->hours < 8)
			buf_printf(b, "%*s", (int)(8 - t->hours), "");
		buf_printf(b, " %6u %5u %+7.1f\n", e->total, e->peak, e->rise);
		for (k = 0; k < e->nmarks; k++) {
			gmtime_r(&e->marks[k].at, &tm);
			strftime(when, sizeof(when), "%H:%M", &tm);
			buf_printf(b, "%*s^ surge %s: rule %s, %u stories\n",
			    (int)(6 + 1 + NAME_COLS + 1 + e->marks[k].col), "", when,
			    e->marks[k].rule, e->marks[k].count);
		}
	}
	if (t->nents > n)
		buf_printf(b, "... and %zu more (--json lists them all)\n", t->nents - n);
	if (t->dropped > 0)
		buf_printf(b, "(%zu more entities were not read: over %d)\n", t->dropped,
		    TRENDS_ENTITIES);
}

static void
put_time(struct buf *b, time_t when)
{
	char	s[21];

	time_iso8601(when, s);
	buf_printf(b, "\"%s\"", s);
}

/* A double that JSON can carry (no inf or nan). */
static void
put_num(struct buf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	buf_printf(b, "%.2f", v);
}

static void
print_json(const struct trends *t, const char *rule, struct buf *b)
{
	size_t	i, h, k;

	buf_puts(b, "{\"at\":");
	put_time(b, t->at);
	buf_puts(b, ",\"start\":");
	put_time(b, t->start);
	buf_printf(b, ",\"hours\":%zu,\"baseline_hours\":%zu,\"rule\":", t->hours, t->base_hours);
	buf_json_string(b, rule);
	buf_puts(b, ",\"entities\":[");
	for (i = 0; i < t->nents; i++) {
		const struct ent *e = &t->ents[i];

		buf_puts(b, i ? ",{\"kind\":" : "{\"kind\":");
		buf_json_string(b, e->kind);
		buf_puts(b, ",\"name\":");
		buf_json_string(b, e->name);
		buf_puts(b, ",\"counts\":[");
		for (h = 0; h < t->hours; h++)
			buf_printf(b, "%s%u", h ? "," : "", e->v[h]);
		buf_printf(b, "],\"total\":%u,\"peak\":%u,\"mean\":", e->total, e->peak);
		put_num(b, e->mean);
		buf_puts(b, ",\"sd\":");
		put_num(b, e->sd);
		buf_puts(b, ",\"rise\":");
		put_num(b, e->rise);
		buf_puts(b, ",\"surges\":[");
		for (k = 0; k < e->nmarks; k++) {
			buf_puts(b, k ? ",{\"rule\":" : "{\"rule\":");
			buf_json_string(b, e->marks[k].rule);
			buf_puts(b, ",\"time\":");
			put_time(b, e->marks[k].at);
			buf_printf(b, ",\"hour\":%zu,\"count\":%u}", e->marks[k].col,
			    e->marks[k].count);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "],\"surges\":[");
	for (i = 0, k = 0; i < t->nsurges; i++) {
		const struct trends_surge *sg = &t->surges[i];

		if (rule != NULL && strcmp(rule, sg->rule) != 0)
			continue;
		buf_puts(b, k++ ? ",{\"rule\":" : "{\"rule\":");
		buf_json_string(b, sg->rule);
		buf_puts(b, ",\"opened\":");
		put_time(b, sg->opened);
		buf_puts(b, ",\"closed\":");
		if (sg->closed)
			put_time(b, sg->closed);
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"window\":%u,\"count\":%u,\"mean\":", sg->window, sg->count);
		put_num(b, sg->mean);
		buf_puts(b, ",\"sd\":");
		put_num(b, sg->sd);
		buf_putc(b, '}');
	}
	buf_printf(b, "],\"left_out\":%zu}\n", t->dropped);
}

/* The chart of the first CHART_SERIES entities (the most risen). 0 or -1, logged. */
static int
write_svg(const struct trends *t, const char *rule, const char *path)
{
	struct chart_series	 series[CHART_SERIES];
	struct chart_mark	 marks[CHART_SERIES][CHART_MARKS];
	struct chart		 c;
	struct tm		 tm;
	time_t			 last = t->start + (time_t)(t->hours - 1) * 3600;
	char			*title, from[32], to[32];
	size_t			 i, k;
	FILE			*f;
	int			 r;

	memset(&c, 0, sizeof(c));
	gmtime_r(&t->start, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d %H:00", &tm);
	gmtime_r(&last, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d %H:59", &tm);
	title = xasprintf("newswatch: stories per hour, %s to %s UTC%s%s", from, to,
	    rule ? ", rule " : "", rule ? rule : "");
	c.title = title;
	c.start = t->start;
	c.ncols = t->hours;
	c.series = series;
	c.nseries = t->nents < CHART_SERIES ? t->nents : CHART_SERIES;
	for (i = 0; i < c.nseries; i++) {
		series[i].name = t->ents[i].name;
		series[i].v = t->ents[i].v;
		series[i].marks = marks[i];
		series[i].nmarks = 0;
		for (k = 0; k < t->ents[i].nmarks && k < CHART_MARKS; k++) {
			marks[i][k].col = t->ents[i].marks[k].col;
			marks[i][k].label = t->ents[i].marks[k].label;
			series[i].nmarks++;
		}
	}
	if ((f = fopen(path, "w")) == NULL) {
		log_warn("%s", path);
		free(title);
		return -1;
	}
	r = chart_svg(&c, f);
	if (fclose(f) != 0 || r == -1) {
		log_warn("%s: writing the chart", path);
		r = -1;
	}
	free(title);
	return r;
}

static void
trends_free(struct trends *t)
{
	size_t	i, k;

	for (i = 0; i < t->nents; i++) {
		for (k = 0; k < t->ents[i].nmarks; k++) {
			free(t->ents[i].marks[k].rule);
			free(t->ents[i].marks[k].label);
		}
		free(t->ents[i].marks);
		free(t->ents[i].kind);
		free(t->ents[i].name);
		free(t->ents[i].v);
	}
	free(t->ents);
	free(t->cur_kind);
	free(t->cur_name);
	for (i = 0; i < t->nsurges; i++)
		free(t->surges[i].rule);
	free(t->surges);
}

int
cmd_trends(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "rule", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 'g' },
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = trends_usage };
	struct trends	 t;
	struct conf	*conf = NULL;
	struct store	*store = NULL;
	struct buf	 b;
	const char	*rule = NULL, *svg = NULL;
	char		*names;
	unsigned	 since = 86400;
	int		 ch, json = 0, status = 2;

	memset(&t, 0, sizeof(t));
	t.at = time(NULL);
	while ((ch = cmd_getopt(&o, argc, argv, "+c:s:r:jg:a:h", opts)) != -1) {
		switch (ch) {
		case 's':
			if (conf_parse_duration(optarg, &since) == -1 || since == 0 ||
			    since > TRENDS_HOURS_MAX * 3600u) {
				fprintf(stderr, "newswatch trends: bad --since \"%s\": use 1h to "
				    "31d, e.g. 24h or 7d\n", optarg);
				return cmd_opts_end(&o, 2);
			}
			break;
		case 'r':
			rule = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'g':
			svg = optarg;
			break;
		case 'a':
			if (date_parse(optarg, &t.at) == -1) {
				fprintf(stderr, "newswatch trends: bad --at \"%s\": use a time like "
				    "2026-12-06T09:00:00Z\n", optarg);
				return cmd_opts_end(&o, 2);
			}
			break;
		}
	}
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc) {
		trends_usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	log_init(0);
	if (cmd_conf_load(&o, &conf) == -1)
		goto out;
	if (rule != NULL && conf_rule_find(conf, rule) == NULL) {
		names = conf_rule_names(conf);
		fprintf(stderr, "newswatch trends: no rule \"%s\" in %s (rules: %s)\n", rule,
		    conf->path, names);
		free(names);
		goto out;
	}
	if ((store = store_open_readonly(conf->state_dir)) == NULL)
		goto out;
	t.hours = (since + 3599) / 3600;
	t.start = t.at - t.at % 3600 - (time_t)(t.hours - 1) * 3600;
	t.base_start = t.start - BASELINE_HOURS * 3600;
	if (collect(store, &t, rule) == -1)
		goto out;
	buf_init(&b, 0);
	if (json)
		print_json(&t, rule, &b);
	else
		print_text(&t, rule, &b);
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
	if (svg != NULL && write_svg(&t, rule, svg) == -1)
		status = 2;
out:
	trends_free(&t);
	if (store != NULL)
		store_close(store);
	conf_free(conf);
	return cmd_opts_end(&o, status);
}
