/* alert.c: alert records to and from log lines (text or JSON Lines), notification text; the append-only alert log. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"

/*
 * Caps on what one feed item can put in a record. A hostile or broken feed can send a megabyte
 * title; the record must still format (or the alert would stay pending for ever), and a log
 * line should stay readable. Longer text is cut on a UTF-8 boundary and ends in "...".
 */
#define TEXT_MAX	1024	/* title, snippet, names */
#define LINK_MAX	2048
#define SNIPPET_MAX	200	/* a snippet in the text line: a few words each side */
#define NOTIFY_TITLE_MAX 200
#define RECORD_MAX	(256u * 1024)	/* one formatted record; matches are bounded by the config */

struct alert_log {
	int			 fd;
	char			*path;
	enum alert_format	 format;
	int			 complete;	/* 1 when the file ends in a newline (or is empty) */
	struct buf		 buf;		/* reused for every record */
};

/* Our own names: alert.c links without conf.c. */
static const char *
severity_name(int severity)
{
	switch (severity) {
	case SEV_LOW:
		return "low";
	case SEV_CRITICAL:
		return "critical";
	default:
		return "normal";
	}
}

/*
 * A copy of s with bytes that are not UTF-8 replaced by U+FFFD (as the JSON form writes them),
 * cut to at most max bytes on a character boundary, "..." appended when cut.
 */
static char *
clip(const char *s, size_t max)
{
	size_t	n;
	char	*v, *p;

	if (s == NULL)
		return NULL;
	v = str_utf8(s, strlen(s), NULL);
	/*
	 * What clip gave once is left alone (at most max bytes, then "..."), so that a record read
	 * back from the log formats to the same line: alert_parse and alert_format round-trip.
	 */
	if ((n = strlen(v)) <= max || (n <= max + 3 && strcmp(v + n - 3, "...") == 0))
		return v;
	n = max;
	/* Back up over continuation bytes so we cut before a character, not inside it. */
	while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	p = xmalloc(n + 4);
	memcpy(p, v, n);
	memcpy(p + n, "...", 4);
	free(v);
	return p;
}

static char **
clip_list(char *const *v, size_t n, size_t max)
{
	char	**c = n > 0 ? xcalloc(n, sizeof(*c)) : NULL;
	size_t	  i;

	for (i = 0; i < n; i++)
		c[i] = clip(v[i], max);
	return c;
}

/*
 * A copy of a with every text clipped. Formatting works on it, so that what decides the record's
 * shape (a place's "via", places named once) sees the names as written: two names that differ
 * only past the clip are one name in the log, and so once read back (alert_parse).
 */
static void
clipped(const struct alert *a, struct alert *c)
{
	size_t	i;

	*c = *a;
	c->rule = clip(a->rule, TEXT_MAX);
	c->feed = clip(a->feed, TEXT_MAX);
	c->title = clip(a->title, TEXT_MAX);
	c->link = clip(a->link, LINK_MAX);
	c->item_id = clip(a->item_id, LINK_MAX);
	c->published = clip(a->published, TEXT_MAX);
	c->actors = clip_list(a->actors, a->nactors, TEXT_MAX);
	c->places = clip_list(a->places, a->nplaces, TEXT_MAX);
	c->keywords = clip_list(a->keywords, a->nkeywords, TEXT_MAX);
	c->also_in = clip_list(a->also_in, a->nalso_in, TEXT_MAX);
	c->surge.titles = clip_list(a->surge.titles, a->surge.ntitles, TEXT_MAX);
	c->surge.feeds = clip_list(a->surge.feeds, a->surge.nfeeds, TEXT_MAX);
	c->matches = a->nmatches > 0 ? xcalloc(a->nmatches, sizeof(*c->matches)) : NULL;
	for (i = 0; i < a->nmatches; i++) {
		c->matches[i].kind = clip(a->matches[i].kind, TEXT_MAX);
		c->matches[i].name = clip(a->matches[i].name, TEXT_MAX);
		c->matches[i].alias = clip(a->matches[i].alias, TEXT_MAX);
		c->matches[i].field = clip(a->matches[i].field, TEXT_MAX);
		c->matches[i].snippet = clip(a->matches[i].snippet, TEXT_MAX);
		c->matches[i].via = clip(a->matches[i].via, TEXT_MAX);
	}
}

/* Replaces every text of a by its clipped copy. */
static void
clip_all(struct alert *a)
{
	struct alert	c;

	clipped(a, &c);
	alert_free(a);
	*a = c;
}

/* s clipped and made safe for one line of a log or a terminal (see str_oneline). */
static char *
line_text(const char *s, size_t max)
{
	char	*c, *o;

	if (s == NULL)
		return xstrdup("");
	c = clip(s, max);
	o = str_oneline(c);
	free(c);
	return o;
}

/* Appends s for one line; NULL or empty becomes dflt. */
static void
put_line_text(struct buf *b, const char *s, size_t max, const char *dflt)
{
	char	*o = line_text(s, max);

	buf_puts(b, *o ? o : dflt);
	free(o);
}

/* The place a place was found through ("Syria (via Homs)"), or NULL. */
static const char *
place_via(const struct alert *a, const char *place)
{
	size_t	i;

	for (i = 0; i < a->nmatches; i++) {
		const struct alert_match *m = &a->matches[i];

		if (m->via && m->kind && m->name && strcmp(m->kind, "place") == 0 &&
		    strcmp(m->name, place) == 0)
			return m->via;
	}
	return NULL;
}

/* 1 if the place has a match of its own. */
static int
place_matched(const struct alert *a, const char *place)
{
	size_t	i;

	for (i = 0; i < a->nmatches; i++) {
		const struct alert_match *m = &a->matches[i];

		if (m->kind && m->name && strcmp(m->kind, "place") == 0 &&
		    strcmp(m->name, place) == 0)
			return 1;
	}
	return 0;
}

/* Appends "label: a, b" with places shown with their via; sep goes before it unless first. */
static void
put_list(struct buf *b, const struct alert *a, const char *label, char *const *v, size_t n,
    int places, int *first)
{
	const char	*via;
	size_t		 i;

	if (n == 0)
		return;
	buf_puts(b, *first ? "" : "; ");
	*first = 0;
	buf_puts(b, label);
	buf_puts(b, ": ");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		put_line_text(b, v[i], TEXT_MAX, "?");
		if (places && (via = place_via(a, v[i])) != NULL) {
			buf_puts(b, " (via ");
			put_line_text(b, via, TEXT_MAX, "?");
			buf_putc(b, ')');
		}
	}
}

/*
 * Appends " (why: Hezbollah \"Hizbullah\" in title: …snippet…; …)": per match, the alias that
 * hit, the field and a few words around it, so a person reading the log can judge the alert.
 */
static void
put_why(struct buf *b, const struct alert *a)
{
	const struct alert_match	*m;
	size_t				 i;

	if (a->nmatches == 0)
		return;
	buf_puts(b, " (why: ");
	for (i = 0; i < a->nmatches; i++) {
		m = &a->matches[i];
		if (i > 0)
			buf_puts(b, "; ");
		put_line_text(b, m->name, TEXT_MAX, "?");
		buf_puts(b, " \"");
		put_line_text(b, m->alias, TEXT_MAX, "?");
		buf_puts(b, "\" in ");
		put_line_text(b, m->field, TEXT_MAX, "?");
		if (m->snippet != NULL && *m->snippet != '\0') {
			buf_puts(b, ": ");
			put_line_text(b, m->snippet, SNIPPET_MAX, "");
		}
	}
	buf_putc(b, ')');
}

/* Appends "sep item sep item" for a list of one-line texts, "?" for an empty one. */
static void
put_joined(struct buf *b, char *const *v, size_t n, const char *sep)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, sep);
		put_line_text(b, v[i], TEXT_MAX, "?");
	}
}

/*
 * A surge's text line: "TIME SEVERITY RULE {surge} 20 stories in 1h, baseline 0.40 ± 0.61 over
 * 168 windows (places: Aleppo) (top: T1 | T2) (feeds: f, g)", with "no baseline" when there was
 * no history. "{surge}" stands where an item's " [feed]" would, so the line cannot be read as
 * an item's.
 */
static void
format_surge_text(const struct alert *a, struct buf *b)
{
	const struct alert_surge *sg = &a->surge;
	char	 span[16];
	int	 first = 1;

	fmt_duration(sg->window, span, sizeof(span));
	buf_printf(b, "%u stor%s in %s, ", sg->count, sg->count == 1 ? "y" : "ies", span);
	if (sg->windows > 0)
		buf_printf(b, "baseline %.2f ± %.2f over %u windows", sg->mean, sg->sd,
		    sg->windows);
	else
		buf_puts(b, "no baseline");
	if (a->nactors + a->nplaces > 0) {
		buf_puts(b, " (");
		put_list(b, a, "actors", a->actors, a->nactors, 0, &first);
		put_list(b, a, "places", a->places, a->nplaces, 0, &first);
		buf_putc(b, ')');
	}
	if (sg->ntitles > 0) {
		buf_puts(b, " (top: ");
		put_joined(b, sg->titles, sg->ntitles, " | ");
		buf_putc(b, ')');
	}
	if (sg->nfeeds > 0) {
		buf_puts(b, " (feeds: ");
		put_joined(b, sg->feeds, sg->nfeeds, ", ");
		buf_putc(b, ')');
	}
	buf_putc(b, '\n');
}

static void
format_text(const struct alert *a, struct buf *b)
{
	char	 when[21], *link, *p;
	int	 first = 1;
	size_t	 i;

	time_iso8601(a->time, when);
	buf_printf(b, "%s %s ", when, severity_name(a->severity));
	if (a->type == ALERT_SURGE) {
		put_line_text(b, a->rule, TEXT_MAX, "?");
		buf_puts(b, " {surge} ");
		format_surge_text(a, b);
		return;
	}
	put_line_text(b, a->rule, TEXT_MAX, "?");
	buf_puts(b, " [");
	put_line_text(b, a->feed, TEXT_MAX, "?");
	buf_puts(b, "] ");
	/* Before the title, so the fields after it (link, lists) read as before. */
	if (a->update)
		buf_puts(b, "(updated) ");
	put_line_text(b, a->title, TEXT_MAX, "(no title)");
	link = line_text(a->link, LINK_MAX);
	if (*link) {
		/* A link is one word on the line: spaces would make it ambiguous. */
		buf_putc(b, ' ');
		for (p = link; *p; p++) {
			if (*p == ' ')
				buf_puts(b, "%20");
			else
				buf_putc(b, *p);
		}
	}
	free(link);
	if (a->nactors + a->nplaces + a->nkeywords > 0) {
		buf_puts(b, " (");
		put_list(b, a, "actors", a->actors, a->nactors, 0, &first);
		put_list(b, a, "places", a->places, a->nplaces, 1, &first);
		put_list(b, a, "keywords", a->keywords, a->nkeywords, 0, &first);
		buf_putc(b, ')');
	}
	if (a->nalso_in > 0) {
		buf_puts(b, " (also in: ");
		for (i = 0; i < a->nalso_in; i++) {
			if (i > 0)
				buf_puts(b, ", ");
			put_line_text(b, a->also_in[i], TEXT_MAX, "?");
		}
		buf_putc(b, ')');
	}
	put_why(b, a);
	buf_putc(b, '\n');
}

static void
json_list(struct buf *b, const char *key, char *const *v, size_t n)
{
	size_t	i;

	buf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_json_string(b, v[i]);
	}
	buf_putc(b, ']');
}

/* 1 if s is one of v[0..n). */
static int
in_list(char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * The places the JSON record names: each of the rule's places that fired, followed by the place
 * actually mentioned when it was found through a place inside it (Syria, then Homs), each name
 * once. The text line names the same places, the mentioned one as "(via Homs)". A new array of
 * borrowed pointers into a (free only the array).
 */
static char **
places_named(const struct alert *a, size_t *n)
{
	const char	 *via;
	char		**v;
	size_t		  i, k = 0;

	v = xcalloc(a->nplaces + a->nmatches + 1, sizeof(*v));
	for (i = 0; i < a->nplaces; i++) {
		if (!in_list(v, k, a->places[i]))
			v[k++] = a->places[i];
		/* A via place with a match of its own reads back as a place (only_a_via), so its
		 * own via follows it here too. */
		for (via = place_via(a, a->places[i]); via != NULL && !in_list(v, k, via);
		    via = place_matched(a, via) ? place_via(a, via) : NULL)
			v[k++] = (char *)via;
	}
	*n = k;
	return v;
}

/*
 * A surge's JSON record: {"time", "type":"surge", "rule", "severity", "title", "window" (seconds),
 * "count", "baseline":{"mean","sd","windows"} (null with no history), "actors", "places",
 * "titles", "feeds"}. Item records have no "type": they stay as they were.
 */
static void
format_surge_json(const struct alert *a, struct buf *b, const char *when)
{
	const struct alert_surge *sg = &a->surge;

	buf_printf(b, "{\"time\":\"%s\",\"type\":\"surge\",\"rule\":", when);
	buf_json_string(b, a->rule);
	buf_printf(b, ",\"severity\":\"%s\",\"title\":", severity_name(a->severity));
	buf_json_string(b, a->title);
	buf_printf(b, ",\"window\":%u,\"count\":%u,\"baseline\":", sg->window, sg->count);
	if (sg->windows > 0)
		buf_printf(b, "{\"mean\":%.2f,\"sd\":%.2f,\"windows\":%u}", sg->mean, sg->sd,
		    sg->windows);
	else
		buf_puts(b, "null");
	json_list(b, "actors", a->actors, a->nactors);
	json_list(b, "places", a->places, a->nplaces);
	json_list(b, "titles", sg->titles, sg->ntitles);
	json_list(b, "feeds", sg->feeds, sg->nfeeds);
	buf_puts(b, "}\n");
}

static void
format_json(const struct alert *a, struct buf *b)
{
	const struct alert_match	*m;
	char				 when[21], **places;
	size_t				 i, nplaces;

	time_iso8601(a->time, when);
	if (a->type == ALERT_SURGE) {
		format_surge_json(a, b, when);
		return;
	}
	buf_printf(b, "{\"time\":\"%s\",\"rule\":", when);
	buf_json_string(b, a->rule);
	buf_printf(b, ",\"severity\":\"%s\",\"feed\":", severity_name(a->severity));
	buf_json_string(b, a->feed);
	buf_puts(b, ",\"title\":");
	buf_json_string(b, a->title);
	buf_puts(b, ",\"link\":");
	buf_json_string(b, a->link);
	buf_puts(b, ",\"id\":");
	buf_json_string(b, a->item_id);
	buf_puts(b, ",\"published\":");
	buf_json_string(b, a->published);
	json_list(b, "actors", a->actors, a->nactors);
	places = places_named(a, &nplaces);
	json_list(b, "places", places, nplaces);
	free(places);
	json_list(b, "keywords", a->keywords, a->nkeywords);
	buf_puts(b, ",\"matches\":[");
	for (i = 0; i < a->nmatches; i++) {
		m = &a->matches[i];
		buf_puts(b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
		buf_json_string(b, m->kind);
		buf_puts(b, ",\"name\":");
		buf_json_string(b, m->name);
		buf_puts(b, ",\"alias\":");
		buf_json_string(b, m->alias);
		buf_puts(b, ",\"field\":");
		buf_json_string(b, m->field);
		buf_puts(b, ",\"snippet\":");
		buf_json_string(b, m->snippet);
		buf_puts(b, ",\"via\":");
		buf_json_string(b, m->via);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_list(b, "also_in", a->also_in, a->nalso_in);
	buf_printf(b, ",\"update\":%s}\n", a->update ? "true" : "false");
}

int
alert_format(const struct alert *a, enum alert_format format, struct buf *out)
{
	struct buf	b;
	struct alert	c;
	int		rc = 0;

	/*
	 * Format into a scratch buffer, then append in one go: out gets the whole record or
	 * nothing. Every field is clipped, so a record only outgrows RECORD_MAX with a config
	 * that yields thousands of matches; the scratch buffer's much larger default cap means an
	 * append it drops also leaves its length far above RECORD_MAX, so no record with a hole
	 * gets through.
	 */
	clipped(a, &c);
	buf_init(&b, 0);
	if (format == ALERT_FORMAT_JSONL)
		format_json(&c, &b);
	else
		format_text(&c, &b);
	if (b.len > RECORD_MAX || buf_append(out, b.data, b.len) == -1)
		rc = -1;
	buf_free(&b);
	alert_free(&c);
	return rc;
}

/*
 * Reading records back: the inverse of format_text and format_json, so that the format lives in
 * one file and a test can tie both directions together. Lines come from a file anybody may have
 * written to, so every reader below is bounded by the line and safe on any bytes.
 */

#define JSON_DEPTH_MAX	32	/* nesting of values we do not know, skipped */

/* A time as format_* write it, and only that: time_iso8601 must give the same text back. */
static int
parse_time(const char *s, size_t n, time_t *out)
{
	struct tm	 tm;
	char		 buf[21], again[21], *end;
	time_t		 t;

	if (n != 20)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end != '\0' ||
	    (t = timegm(&tm)) == (time_t)-1)
		return -1;
	time_iso8601(t, again);
	if (strcmp(again, buf) != 0)
		return -1;	/* 2024-02-31, 25:00: not something we wrote */
	*out = t;
	return 0;
}

static int
parse_severity(const char *s, size_t n)
{
	static const int	 sev[] = { SEV_LOW, SEV_NORMAL, SEV_CRITICAL };
	size_t			 i;

	for (i = 0; i < sizeof(sev) / sizeof(sev[0]); i++)
		if (strlen(severity_name(sev[i])) == n && memcmp(severity_name(sev[i]), s, n) == 0)
			return sev[i];
	return -1;
}

/* Appends a copy of s to the list *v of *n. */
static void
list_add(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* A minimal JSON reader: what format_json writes, unknown keys skipped, safe on any input. */
struct json {
	const char	*p, *end;
};

static void
json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

/* 1 if the next character (after white space) is c, and then it is consumed. */
static int
json_eat(struct json *j, char c)
{
	json_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

static int
hex4(const char *p, const char *end, unsigned *out)
{
	unsigned	v = 0;
	int		i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Reads a string at j->p (the opening quote); out (may be NULL) gets it decoded. A lone
 * surrogate becomes U+FFFD (buf_put_utf8), and so does \u0000, which a C string cannot hold,
 * and so do bytes that are not UTF-8: what is read back is what alert_format would write.
 * 0 or -1.
 */
static int
json_string(struct json *j, struct buf *out)
{
	unsigned	cp, lo;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end) {
		char c = *j->p++;

		if (c == '"')
			return 0;
		if (c != '\\') {
			size_t	n = utf8_seq((const unsigned char *)j->p - 1,
			    (size_t)(j->end - j->p + 1));

			if (c == '\0')
				return -1;
			/* Bytes that are not UTF-8 become U+FFFD, as buf_json_string writes them. */
			if (out && n == 0)
				buf_put_utf8(out, 0xfffd);
			else if (out)
				buf_append(out, j->p - 1, n);
			j->p += n > 0 ? n - 1 : 0;
			continue;
		}
		if (j->p >= j->end)
			return -1;
		c = *j->p++;
		switch (c) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case '"': case '\\': case '/': break;
		case 'u':
			if (hex4(j->p, j->end, &cp) == -1)
				return -1;
			j->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u' && hex4(j->p + 2, j->end, &lo) == 0 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				j->p += 6;
			}
			if (out)
				buf_put_utf8(out, cp == 0 ? 0xfffd : cp);
			continue;
		default:
			return -1;
		}
		if (out)
			buf_putc(out, c);
	}
	return -1;
}

/* Skips any value (nested up to JSON_DEPTH_MAX). 0 or -1. */
static int
json_skip(struct json *j, int depth)
{
	char	close;

	json_ws(j);
	if (j->p >= j->end || depth > JSON_DEPTH_MAX)
		return -1;
	if (*j->p == '"')
		return json_string(j, NULL);
	if (*j->p == '{' || *j->p == '[') {
		close = *j->p == '{' ? '}' : ']';
		j->p++;
		if (json_eat(j, close))
			return 0;
		for (;;) {
			if (close == '}') {
				json_ws(j);
				if (json_string(j, NULL) == -1 || !json_eat(j, ':'))
					return -1;
			}
			if (json_skip(j, depth + 1) == -1)
				return -1;
			if (json_eat(j, close))
				return 0;
			if (!json_eat(j, ','))
				return -1;
		}
	}
	/* A number, true, false or null: a run of their characters. */
	if (*j->p == '\0' || strchr("-+.0123456789eEtruefalsn", *j->p) == NULL)
		return -1;
	while (j->p < j->end && *j->p != '\0' && strchr("-+.0123456789eEtruefalsn", *j->p) != NULL)
		j->p++;
	return 0;
}

/* 1 if the literal word (null, true, false) is next, and then it is consumed. */
static int
json_word(struct json *j, const char *word)
{
	size_t	n = strlen(word);

	json_ws(j);
	if ((size_t)(j->end - j->p) >= n && memcmp(j->p, word, n) == 0) {
		j->p += n;
		return 1;
	}
	return 0;
}

/*
 * A string or null into *out (replacing what it held). A value of another type is skipped and
 * leaves *out alone, as an unknown key would be: a reader should not give up a record for it.
 */
static int
json_str_value(struct json *j, char **out)
{
	struct buf	b;

	json_ws(j);
	if (json_word(j, "null")) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (j->p >= j->end || *j->p != '"')
		return json_skip(j, 1);
	buf_init(&b, 0);
	if (json_string(j, &b) == -1) {
		buf_free(&b);
		return -1;
	}
	free(*out);
	*out = buf_steal(&b);
	return 0;
}

/* An array of strings (null items dropped) into the list *v of *n. */
static int
json_str_list(struct json *j, char ***v, size_t *n)
{
	char	*s;

	json_ws(j);
	if (j->p >= j->end || *j->p != '[')
		return json_skip(j, 1);
	j->p++;
	if (json_eat(j, ']'))
		return 0;
	do {
		s = NULL;
		if (json_str_value(j, &s) == -1)
			return -1;
		if (s != NULL)
			list_add(v, n, s);
	} while (json_eat(j, ','));
	return json_eat(j, ']') ? 0 : -1;
}

static int	json_key(struct json *, struct buf *);

/*
 * A number into *out when it is one (a whole number when whole is set, within 0 .. UINT_MAX
 * then); another value is skipped and leaves *out alone, as json_str_value does.
 */
static int
json_num(struct json *j, double *out, int whole)
{
	char		 tmp[40], *end;
	const char	*p;
	size_t		 n;
	double		 v;

	json_ws(j);
	p = j->p;
	if (json_skip(j, 1) == -1)
		return -1;
	n = (size_t)(j->p - p);
	if (n == 0 || n >= sizeof(tmp) || strchr("-0123456789", *p) == NULL)
		return 0;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	v = strtod(tmp, &end);
	/* Only finite values: format_surge_json could not write inf or nan back as JSON. */
	if (*end != '\0' || !isfinite(v) ||
	    (whole && (v < 0 || v > 4294967295.0 || v != (double)(unsigned)v)))
		return 0;
	*out = v;
	return 0;
}

static int
json_uint(struct json *j, unsigned *out)
{
	double	v = *out;

	if (json_num(j, &v, 1) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * A baseline's mean or spread is a count of stories per window: a value outside 0 ..
 * BASELINE_MAX is not one (and "%.2f" would write it longer than json_num reads back).
 */
#define BASELINE_MAX	1e9

static int
baseline_ok(double v)
{
	return v >= 0 && v <= BASELINE_MAX;
}

/* A surge's "baseline": {"mean", "sd", "windows"} or null (no history); values out of range
 * are left out. */
static int
json_baseline(struct json *j, struct alert_surge *sg, struct buf *key)
{
	double	v;

	json_ws(j);
	if (json_word(j, "null")) {
		sg->mean = sg->sd = 0;
		sg->windows = 0;
		return 0;
	}
	if (j->p >= j->end || *j->p != '{')
		return json_skip(j, 1);
	j->p++;
	if (json_eat(j, '}'))
		return 0;
	do {
		if (json_key(j, key) == -1)
			return -1;
		if (strcmp(key->data, "mean") == 0 || strcmp(key->data, "sd") == 0) {
			v = -1;
			if (json_num(j, &v, 0) == -1)
				return -1;
			if (baseline_ok(v))
				*(key->data[0] == 'm' ? &sg->mean : &sg->sd) = v;
		} else if (strcmp(key->data, "windows") == 0) {
			if (json_uint(j, &sg->windows) == -1)
				return -1;
		} else if (json_skip(j, 1) == -1)
			return -1;
	} while (json_eat(j, ','));
	return json_eat(j, '}') ? 0 : -1;
}

/* Reads a key and its colon. 0 or -1. */
static int
json_key(struct json *j, struct buf *key)
{
	json_ws(j);
	buf_reset(key);
	if (json_string(j, key) == -1 || !json_eat(j, ':'))
		return -1;
	if (key->data == NULL)
		buf_puts(key, "");
	return 0;
}

/* One object of "matches", appended to a. */
static int
json_match(struct json *j, struct alert *a, struct buf *key)
{
	struct alert_match	*m;
	char			**slot;

	json_ws(j);
	if (j->p >= j->end || *j->p != '{')
		return json_skip(j, 1);
	j->p++;
	a->matches = xreallocarray(a->matches, a->nmatches + 1, sizeof(*a->matches));
	m = &a->matches[a->nmatches++];
	memset(m, 0, sizeof(*m));
	if (json_eat(j, '}'))
		return 0;
	do {
		if (json_key(j, key) == -1)
			return -1;
		slot = strcmp(key->data, "kind") == 0 ? &m->kind :
		    strcmp(key->data, "name") == 0 ? &m->name :
		    strcmp(key->data, "alias") == 0 ? &m->alias :
		    strcmp(key->data, "field") == 0 ? &m->field :
		    strcmp(key->data, "snippet") == 0 ? &m->snippet :
		    strcmp(key->data, "via") == 0 ? &m->via : NULL;
		if ((slot ? json_str_value(j, slot) : json_skip(j, 1)) == -1)
			return -1;
	} while (json_eat(j, ','));
	return json_eat(j, '}') ? 0 : -1;
}

/*
 * 1 if places[i] is there only as the place that places[i - 1] was found through: format_json
 * puts it right after, and it has no match of its own.
 */
static int
only_a_via(const struct alert *a, char *const *places, size_t i)
{
	const char	*via;

	if (i == 0 || (via = place_via(a, places[i - 1])) == NULL || strcmp(via, places[i]) != 0)
		return 0;
	return !place_matched(a, places[i]);
}

static int
parse_json(const char *line, size_t len, struct alert *a)
{
	struct json	 j = { line, line + len };
	struct buf	 key;
	char		*s = NULL, **places = NULL;
	size_t		 nplaces = 0, i;
	int		 rc = -1, have_time = 0, have_sev = 0;

	buf_init(&key, 0);
	if (!json_eat(&j, '{'))
		goto out;
	if (json_eat(&j, '}'))
		goto out;
	do {
		if (json_key(&j, &key) == -1)
			goto out;
		if (strcmp(key.data, "time") == 0 || strcmp(key.data, "severity") == 0) {
			if (json_str_value(&j, &s) == -1)
				goto out;
			if (s == NULL)
				continue;
			if (key.data[0] == 't')
				have_time = parse_time(s, strlen(s), &a->time) == 0;
			else
				have_sev = (a->severity = parse_severity(s, strlen(s))) != -1;
			free(s);
			s = NULL;
			continue;
		}
		if (strcmp(key.data, "rule") == 0)
			rc = json_str_value(&j, &a->rule);
		else if (strcmp(key.data, "feed") == 0)
			rc = json_str_value(&j, &a->feed);
		else if (strcmp(key.data, "title") == 0)
			rc = json_str_value(&j, &a->title);
		else if (strcmp(key.data, "link") == 0)
			rc = json_str_value(&j, &a->link);
		else if (strcmp(key.data, "id") == 0)
			rc = json_str_value(&j, &a->item_id);
		else if (strcmp(key.data, "published") == 0)
			rc = json_str_value(&j, &a->published);
		else if (strcmp(key.data, "actors") == 0)
			rc = json_str_list(&j, &a->actors, &a->nactors);
		else if (strcmp(key.data, "places") == 0)
			rc = json_str_list(&j, &places, &nplaces);
		else if (strcmp(key.data, "keywords") == 0)
			rc = json_str_list(&j, &a->keywords, &a->nkeywords);
		else if (strcmp(key.data, "also_in") == 0)
			rc = json_str_list(&j, &a->also_in, &a->nalso_in);
		else if (strcmp(key.data, "type") == 0) {
			if ((rc = json_str_value(&j, &s)) == 0 && s != NULL)
				a->type = strcmp(s, "surge") == 0 ? ALERT_SURGE : ALERT_ITEM;
			free(s);
			s = NULL;
		} else if (strcmp(key.data, "window") == 0)
			rc = json_uint(&j, &a->surge.window);
		else if (strcmp(key.data, "count") == 0)
			rc = json_uint(&j, &a->surge.count);
		else if (strcmp(key.data, "baseline") == 0)
			rc = json_baseline(&j, &a->surge, &key);
		else if (strcmp(key.data, "titles") == 0)
			rc = json_str_list(&j, &a->surge.titles, &a->surge.ntitles);
		else if (strcmp(key.data, "feeds") == 0)
			rc = json_str_list(&j, &a->surge.feeds, &a->surge.nfeeds);
		else if (strcmp(key.data, "update") == 0) {
			if (json_word(&j, "true"))
				a->update = 1, rc = 0;
			else if (json_word(&j, "false"))
				a->update = 0, rc = 0;
			else
				rc = json_skip(&j, 1);
		} else if (strcmp(key.data, "matches") == 0) {
			json_ws(&j);
			if (j.p < j.end && *j.p == '[') {
				j.p++;
				rc = 0;
				if (!json_eat(&j, ']')) {
					do
						rc = json_match(&j, a, &key);
					while (rc == 0 && json_eat(&j, ','));
					if (rc == 0 && !json_eat(&j, ']'))
						rc = -1;
				}
			} else
				rc = json_skip(&j, 1);
		} else
			rc = json_skip(&j, 1);
		if (rc == -1)
			goto out;
		rc = -1;
	} while (json_eat(&j, ','));
	json_ws(&j);
	/* The object must close, and nothing but white space may follow it. */
	if (!json_eat(&j, '}'))
		goto out;
	json_ws(&j);
	if (j.p != j.end || !have_time || !have_sev)
		goto out;
	/*
	 * Names as alert_format writes them (clipped), so that a place and its match compare here
	 * as they will when this record is written again. A surge names its places as they are;
	 * an item's JSON adds each via place after its place, and what the rule listed is the rest.
	 */
	clip_all(a);
	for (i = 0; i < nplaces; i++) {
		s = clip(places[i], TEXT_MAX);
		free(places[i]);
		places[i] = s;
	}
	s = NULL;
	for (i = 0; i < nplaces; i++)
		if (a->type == ALERT_SURGE || !only_a_via(a, places, i))
			list_add(&a->places, &a->nplaces, xstrdup(places[i]));
	/* Surge keys in an item's record are unknown keys there: skipped. */
	if (a->type != ALERT_SURGE) {
		struct alert	sg = { 0 };

		sg.surge = a->surge;
		alert_free(&sg);
		memset(&a->surge, 0, sizeof(a->surge));
	}
	rc = 0;
out:
	for (i = 0; i < nplaces; i++)
		free(places[i]);
	free(places);
	free(s);
	buf_free(&key);
	return rc;
}

/* [s, e) as format_text writes a field: one line of UTF-8 (see str_oneline). */
static char *
dup_range(const char *s, const char *e)
{
	char	*t = xstrndup(s, (size_t)(e - s));
	char	*o = str_oneline(t);

	free(t);
	return o;
}

/* The last " (" in [s, e) followed by prefix, or NULL. */
static const char *
last_paren(const char *s, const char *e, const char *prefix)
{
	const char	*p;
	size_t		 n = strlen(prefix);

	for (p = e - 1; p > s; p--)
		if (p[-1] == ' ' && p[0] == '(' && (size_t)(e - p - 1) >= n &&
		    memcmp(p + 1, prefix, n) == 0)
			return p - 1;
	return NULL;
}

/*
 * The first separator sep in [s, e) that has no space on either side, or NULL. format_text
 * trims every field, so a space beside a separator means the separator is inside a field:
 * splitting there would give a field that formats differently from how it was read.
 */
static const char *
find(const char *s, const char *e, const char *sep)
{
	const char	*p = s;
	size_t		 n = strlen(sep);

	while (p < e && (p = memmem(p, (size_t)(e - p), sep, n)) != NULL) {
		if ((p == s || p[-1] != ' ') && (p + n == e || p[n] != ' '))
			return p;
		p++;
	}
	return NULL;
}

/* Splits [s, e) at every sep into the list *v of *n. */
static void
split_list(const char *s, const char *e, const char *sep, char ***v, size_t *n)
{
	const char	*p;

	while ((p = find(s, e, sep)) != NULL) {
		list_add(v, n, dup_range(s, p));
		s = p + strlen(sep);
	}
	list_add(v, n, dup_range(s, e));
}

/*
 * "actors: A, B; places: Syria (via Homs), Homs; keywords: k" in [s, e). The vias are returned
 * in *vias, one for each place (NULL when none), for the matches read later.
 */
static int
text_lists(const char *s, const char *e, struct alert *a, char ***vias)
{
	static const char *const labels[] = { "actors: ", "places: ", "keywords: " };
	const char	*p, *next, *v;
	size_t		 i, k, first;

	for (k = 0; s < e && k < 3; k++) {
		if ((size_t)(e - s) < strlen(labels[k]) ||
		    memcmp(s, labels[k], strlen(labels[k])) != 0)
			continue;
		s += strlen(labels[k]);
		/* This part ends at the "; " that starts a later label. */
		for (next = e, p = s; (p = find(p, e, "; ")) != NULL; p += 2) {
			for (i = k + 1; i < 3; i++)
				if ((size_t)(e - p - 2) >= strlen(labels[i]) &&
				    memcmp(p + 2, labels[i], strlen(labels[i])) == 0)
					break;
			if (i < 3) {
				next = p;
				break;
			}
		}
		if (k == 0)
			split_list(s, next, ", ", &a->actors, &a->nactors);
		else if (k == 2)
			split_list(s, next, ", ", &a->keywords, &a->nkeywords);
		else {
			first = a->nplaces;
			split_list(s, next, ", ", &a->places, &a->nplaces);
			*vias = xcalloc(a->nplaces + 1, sizeof(**vias));
			for (i = first; i < a->nplaces; i++) {
				char *pl = a->places[i], *end = pl + strlen(pl);

				if (end > pl && end[-1] == ')' &&
				    (v = last_paren(pl, end, "via ")) != NULL) {
					(*vias)[i] = dup_range(v + 6, end - 1);
					pl[v - pl] = '\0';
				}
			}
		}
		s = next == e ? e : next + 2;
	}
	return s == e ? 0 : -1;
}

/* The kind of an entity the lists name, NULL if none does. */
static const char *
kind_of(const struct alert *a, const char *name)
{
	if (in_list(a->actors, a->nactors, name))
		return "actor";
	if (in_list(a->places, a->nplaces, name))
		return "place";
	if (in_list(a->keywords, a->nkeywords, name))
		return "keyword";
	return NULL;
}

/*
 * The head of one "(why: …)" entry at s: NAME "ALIAS" in FIELD, then ": ", "; " or the end,
 * where NAME is one the lists name if there are lists (a snippet is free text and may look like
 * a head otherwise). Fills the pointers and returns where the head ends, or NULL if s does not
 * start one.
 */
static const char *
why_head(const struct alert *a, const char *s, const char *e, const char **name_end,
    const char **alias, const char **alias_end, const char **field)
{
	const char	*q, *f;
	char		*name;
	int		 listed;

	if ((q = find(s, e, " \"")) == NULL)
		return NULL;
	if (a->nactors + a->nplaces + a->nkeywords > 0) {
		name = dup_range(s, q);
		listed = kind_of(a, name) != NULL;
		free(name);
		if (!listed)
			return NULL;
	}
	*name_end = q;
	*alias = q + 2;
	for (q = *alias; (q = find(q, e, "\" in ")) != NULL; q++) {
		/* The field is one word: letters, or "?" when it was not known. */
		for (f = q + 5; f < e && ((*f >= 'a' && *f <= 'z') || *f == '?'); f++)
			;
		if (f > q + 5 && (f == e || (e - f >= 2 && (f[0] == ':' || f[0] == ';') &&
		    f[1] == ' '))) {
			*alias_end = q;
			*field = q + 5;
			return f;
		}
	}
	return NULL;
}

/* "N \"A\" in f: snippet; …" in [s, e) into a->matches; vias from the places list. */
static int
text_why(const char *s, const char *e, struct alert *a, char **vias)
{
	struct alert_match	*m;
	const char		*name_end, *alias, *alias_end, *field, *h, *p, *next;
	const char		*n2, *a2, *ae2, *f2;
	const char		*kind;
	size_t			 i;

	while (s < e) {
		if ((h = why_head(a, s, e, &name_end, &alias, &alias_end, &field)) == NULL)
			return -1;
		/* The snippet runs to the next "; " that starts an entry. */
		for (next = e, p = h; (p = find(p, e, "; ")) != NULL; p++)
			if (why_head(a, p + 2, e, &n2, &a2, &ae2, &f2) != NULL) {
				next = p;
				break;
			}
		a->matches = xreallocarray(a->matches, a->nmatches + 1, sizeof(*a->matches));
		m = &a->matches[a->nmatches++];
		memset(m, 0, sizeof(*m));
		m->name = dup_range(s, name_end);
		m->alias = dup_range(alias, alias_end);
		m->field = dup_range(field, h);
		if (h < next && *h == ':')
			m->snippet = dup_range(h + 2, next);
		else if (h != next)
			return -1;
		if ((kind = kind_of(a, m->name)) != NULL)
			m->kind = xstrdup(kind);
		if (kind != NULL && strcmp(kind, "place") == 0 && vias != NULL)
			for (i = 0; i < a->nplaces; i++)
				if (vias[i] != NULL && strcmp(a->places[i], m->name) == 0) {
					m->via = xstrdup(vias[i]);
					break;
				}
		s = next == e ? e : next + 2;
	}
	return 0;
}

static void
free_vias(char **vias, size_t n)
{
	size_t	i;

	if (vias != NULL)
		for (i = 0; i < n; i++)
			free(vias[i]);
	free(vias);
}

/*
 * A "(via X)" that no match of that place carries (a line not written by alert_format) stays
 * part of the place's name, so that the place formats as it was read.
 */
static void
keep_vias(struct alert *a, char **vias)
{
	const char	*via;
	char		*name;
	size_t		 i;

	for (i = 0; i < a->nplaces; i++) {
		if (vias[i] == NULL)
			continue;
		if ((via = place_via(a, a->places[i])) != NULL && strcmp(via, vias[i]) == 0)
			continue;
		name = xasprintf("%s (via %s)", a->places[i], vias[i]);
		free(a->places[i]);
		a->places[i] = name;
	}
}

/* Frees what text_lists read (all), or also what text_why and "(also in: …)" read. */
static void
clear_parts(struct alert *a, int all)
{
	struct alert	parts = { 0 };

	parts.actors = a->actors;
	parts.nactors = a->nactors;
	parts.places = a->places;
	parts.nplaces = a->nplaces;
	parts.keywords = a->keywords;
	parts.nkeywords = a->nkeywords;
	a->actors = a->places = a->keywords = NULL;
	a->nactors = a->nplaces = a->nkeywords = 0;
	if (all) {
		parts.matches = a->matches;
		parts.nmatches = a->nmatches;
		parts.also_in = a->also_in;
		parts.nalso_in = a->nalso_in;
		a->matches = NULL;
		a->also_in = NULL;
		a->nmatches = a->nalso_in = 0;
	}
	alert_free(&parts);
}

/*
 * Reads the parts after the title in [s, e) from the end: "(why: …)", "(also in: …)", then the
 * lists. Returns where they begin, or NULL when the why part does not read. A list
 * part that does not read as one (a line garbled by hand, by a disk) stays with the title, so
 * the record is still shown and formatting it again gives the same line.
 */
static const char *
text_parts(const char *s, const char *e, struct alert *a)
{
	const char	*p, *why = NULL, *why_end = e;
	char		**vias = NULL;

	if (e > s && e[-1] == ')' && (p = last_paren(s, e, "why: ")) != NULL) {
		why = p + 7;
		e = p;
	}
	if (e > s && e[-1] == ')' && (p = last_paren(s, e, "also in: ")) != NULL) {
		split_list(p + 11, e - 1, ", ", &a->also_in, &a->nalso_in);
		e = p;
	}
	if (e > s && e[-1] == ')' && ((p = last_paren(s, e, "actors: ")) != NULL ||
	    (p = last_paren(s, e, "places: ")) != NULL ||
	    (p = last_paren(s, e, "keywords: ")) != NULL)) {
		if (text_lists(p + 2, e - 1, a, &vias) == 0)
			e = p;
		else {
			free_vias(vias, a->nplaces);
			vias = NULL;
			clear_parts(a, 0);
		}
	}
	if (why != NULL && text_why(why, why_end - 1, a, vias) == -1)
		e = NULL;
	else if (vias != NULL)
		keep_vias(a, vias);
	free_vias(vias, a->nplaces);
	return e;
}

/* A duration as fmt_duration writes it ("90s", "10m", "1h", "7d"): 0 or -1. */
static int
parse_span(const char *s, const char *e, unsigned *out)
{
	unsigned long	v = 0, mult;
	const char	*p;

	for (p = s; p < e - 1 && *p >= '0' && *p <= '9' && v < 100000000; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || p != e - 1)
		return -1;
	switch (*p) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (v > 4294967295UL / mult)
		return -1;
	*out = (unsigned)(v * mult);
	return 0;
}

/*
 * The part of a surge's line after "{surge} " in [s, e) (format_surge_text): the head
 * "N stories in SPAN, baseline M ± S over W windows" (or ", no baseline") first, then the
 * lists, the top titles and the feeds, taken off from the end. What lies between the head and
 * the parts that read (a list garbled by names holding its separators) is left out: a surge has
 * no title to keep it in. 0, or -1 when the head does not read.
 */
static int
parse_surge_text(const char *s, const char *e, struct alert *a)
{
	struct alert_surge *sg = &a->surge;
	const char	*p, *in, *comma;
	char		*head, **vias = NULL, unit[8];
	double		 mean = 0, sd = 0;
	unsigned	 count, windows = 0;
	int		 n = -1, r = -1;

	a->type = ALERT_SURGE;
	head = xstrndup(s, (size_t)(e - s));
	/* "N stories in SPAN," exactly (sscanf alone would take a sign or blanks). */
	for (p = head, count = 0; *p >= '0' && *p <= '9'; p++) {
		if (count > (UINT_MAX - 9) / 10)
			goto out;
		count = count * 10 + (unsigned)(*p - '0');
	}
	if (p == head)
		goto out;
	if (strncmp(p, " story in ", 10) == 0)
		in = p + 6;
	else if (strncmp(p, " stories in ", 12) == 0)
		in = p + 8;
	else
		goto out;
	if ((comma = strchr(in + 4, ',')) == NULL || parse_span(in + 4, comma, &sg->window) == -1)
		goto out;
	if (strncmp(comma, ", no baseline", 13) == 0)
		n = 13;
	else if (sscanf(comma, ", baseline %lf ± %lf over %u window%7s%n", &mean, &sd,
	    &windows, unit, &n) != 4 || strcmp(unit, "s") != 0 || windows == 0 ||
	    !baseline_ok(mean) || !baseline_ok(sd))
		goto out;
	if (comma[n] != '\0' && comma[n] != ' ')
		goto out;
	sg->count = count;
	sg->mean = mean;
	sg->sd = sd;
	sg->windows = windows;
	s += (comma - head) + n;
	if (e > s && e[-1] == ')' && (p = last_paren(s, e, "feeds: ")) != NULL) {
		split_list(p + 9, e - 1, ", ", &sg->feeds, &sg->nfeeds);
		e = p;
	}
	if (e > s && e[-1] == ')' && (p = last_paren(s, e, "top: ")) != NULL) {
		split_list(p + 7, e - 1, " | ", &sg->titles, &sg->ntitles);
		e = p;
	}
	if (e > s && e[-1] == ')' && ((p = last_paren(s, e, "actors: ")) != NULL ||
	    (p = last_paren(s, e, "places: ")) != NULL)) {
		r = text_lists(p + 2, e - 1, a, &vias);
		free_vias(vias, a->nplaces);
		if (r == -1)
			clear_parts(a, 0);
	}
	r = 0;
out:
	free(head);
	return r;
}

/*
 * "TIME SEVERITY RULE [FEED] [(updated) ]TITLE[ LINK][ (LISTS)][ (also in: …)][ (why: …)]".
 * The title may hold anything, so the parts are taken off from both ends.
 */
static int
parse_text(const char *line, size_t len, struct alert *a)
{
	const char	*s = line, *e = line + len, *sp, *feed, *p;

	if (memchr(line, '\0', len) != NULL || memchr(line, '\n', len) != NULL)
		return -1;
	if ((sp = memchr(s, ' ', len)) == NULL || parse_time(s, (size_t)(sp - s), &a->time) == -1)
		return -1;
	s = sp + 1;
	if ((sp = memchr(s, ' ', (size_t)(e - s))) == NULL ||
	    (a->severity = parse_severity(s, (size_t)(sp - s))) == -1)
		return -1;
	s = sp + 1;
	/*
	 * A surge has " {surge} " where an item has its " [NAME] ". A rule's name may hold
	 * either, so each " {surge} " is tried in turn; what follows it must read as a whole
	 * surge, else the line is an item's (its feed the first " [NAME] " after the rule).
	 */
	for (p = s; (p = find(p, e, " {surge} ")) != NULL; p++) {
		struct alert	sa = { 0 };

		sa.rule = dup_range(s, p);
		if (parse_surge_text(p + 9, e, &sa) == 0) {
			sa.time = a->time;
			sa.severity = a->severity;
			*a = sa;
			return 0;
		}
		alert_free(&sa);
	}
	if ((feed = find(s, e, " [")) == NULL)
		return -1;
	a->rule = dup_range(s, feed);
	s = feed + 2;
	if ((p = memchr(s, ']', (size_t)(e - s))) == NULL)
		return -1;
	a->feed = dup_range(s, p);
	s = p + 1;
	if (s < e && *s == ' ')
		s++;
	/* A why part that does not read leaves everything after the feed to the title. */
	if ((p = text_parts(s, e, a)) != NULL)
		e = p;
	else
		clear_parts(a, 1);
	/* The link is the last word when it looks like one (spaces in it were written as %20). */
	for (p = e; p > s && p[-1] != ' '; p--)
		;
	if (e - p > 3 && memmem(p, (size_t)(e - p), "://", 3) != NULL && p > s) {
		a->link = dup_range(p, e);
		e = p - 1;
	}
	if ((size_t)(e - s) >= 10 && memcmp(s, "(updated) ", 10) == 0) {
		a->update = 1;
		s += 10;
	}
	a->title = dup_range(s, e);
	return 0;
}

int
alert_parse(const char *line, size_t len, struct alert *out, enum alert_format *format)
{
	const char	*p = line;
	int		 json;

	memset(out, 0, sizeof(*out));
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	while (p < line + len && (*p == ' ' || *p == '\t'))
		p++;
	json = p < line + len && *p == '{';
	if ((json ? parse_json(line, len, out) : parse_text(line, len, out)) == -1) {
		alert_free(out);
		return -1;
	}
	if (format != NULL)
		*format = json ? ALERT_FORMAT_JSONL : ALERT_FORMAT_TEXT;
	return 0;
}

/*
 * Appends s for a notification body, escaping only what the servers' markup subset (b, i, u, a
 * and entities) needs: &, < and >. Apostrophes and quotes stay as they are, because a server
 * without body-markup shows the body raw, and "&#39;" there is worse than a stray quote.
 */
static void
put_markup(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* Appends one body line "Label: a, b" (escaped), nothing when the list is empty. */
static void
body_list(struct buf *b, const struct alert *a, const char *label, char *const *v, size_t n,
    int places)
{
	struct buf	 line;
	int		 first = 1;

	if (n == 0)
		return;
	buf_init(&line, 0);
	put_list(&line, a, label, v, n, places, &first);
	if (b->len > 0)
		buf_putc(b, '\n');
	put_markup(b, line.data);
	buf_free(&line);
}

/* Appends one body line "Label: a<sep>b" (escaped), nothing when the list is empty. */
static void
body_joined(struct buf *b, const char *label, char *const *v, size_t n, const char *sep)
{
	struct buf	 line;

	if (n == 0)
		return;
	buf_init(&line, 0);
	buf_printf(&line, "%s: ", label);
	put_joined(&line, v, n, sep);
	buf_putc(b, '\n');
	put_markup(b, line.data);
	buf_free(&line);
}

/* A surge's pop-up: "rule: surge, 20 stories in 1h" and a body with the baseline, the lists, the
 * top titles and the feeds. */
static void
surge_notify_text(const struct alert *a, char **summary, char **body)
{
	const struct alert_surge *sg = &a->surge;
	struct buf	 b;
	char		*t, span[16];

	fmt_duration(sg->window, span, sizeof(span));
	buf_init(&b, 0);
	t = line_text(a->rule, TEXT_MAX);
	buf_printf(&b, "%s: surge, %u stor%s in %s", t, sg->count, sg->count == 1 ? "y" : "ies",
	    span);
	free(t);
	*summary = buf_steal(&b);
	buf_init(&b, 0);
	if (sg->windows > 0)
		buf_printf(&b, "Usually %.1f ± %.1f per %s (the last %u windows)", sg->mean, sg->sd,
		    span, sg->windows);
	else
		buf_puts(&b, "No history yet for this rule");
	body_list(&b, a, "Actors", a->actors, a->nactors, 0);
	body_list(&b, a, "Places", a->places, a->nplaces, 0);
	body_joined(&b, "Top", sg->titles, sg->ntitles, "; ");
	body_joined(&b, "Feeds", sg->feeds, sg->nfeeds, ", ");
	*body = buf_steal(&b);
}

void
alert_notify_text(const struct alert *a, char **summary, char **body)
{
	struct buf	 b;
	char		*t;

	if (a->type == ALERT_SURGE) {
		surge_notify_text(a, summary, body);
		return;
	}

	/* The summary is plain text by the specification: nothing is escaped in it. */
	buf_init(&b, 0);
	t = line_text(a->rule, TEXT_MAX);
	buf_puts(&b, t);
	free(t);
	buf_puts(&b, a->update ? ": (updated) " : ": ");
	t = line_text(a->title, NOTIFY_TITLE_MAX);
	buf_puts(&b, *t ? t : "(no title)");
	free(t);
	*summary = buf_steal(&b);

	buf_init(&b, 0);
	body_list(&b, a, "Actors", a->actors, a->nactors, 0);
	body_list(&b, a, "Places", a->places, a->nplaces, 1);
	body_list(&b, a, "Keywords", a->keywords, a->nkeywords, 0);
	if (b.len > 0)
		buf_putc(&b, '\n');
	buf_puts(&b, "Feed: ");
	t = line_text(a->feed, TEXT_MAX);
	put_markup(&b, t);
	free(t);
	t = line_text(a->link, LINK_MAX);
	if (*t) {
		buf_putc(&b, '\n');
		put_markup(&b, t);
	}
	free(t);
	*body = buf_steal(&b);
}

/*
 * O_RDWR rather than O_WRONLY only so that we can pread the file's last byte; O_APPEND still
 * puts every write at the end, whoever else appends.
 */
static int
open_log(const char *path)
{
	return open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* 1 if the file is empty, not a regular file, or ends in '\n'; 0 if a line is left unfinished. */
static int
ends_in_newline(int fd)
{
	struct stat	st;
	char		c;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 1;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return 1;
	return c == '\n';
}

struct alert_log *
alert_log_open(const char *path, enum alert_format format)
{
	struct alert_log	*l;
	char			*dir, *slash;
	int			 fd;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700) == -1) {
			log_warn("%s: creating the alert log directory", dir);
			free(dir);
			return NULL;
		}
	}
	free(dir);
	if ((fd = open_log(path)) == -1) {
		log_warn("%s: opening the alert log", path);
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->path = xstrdup(path);
	l->format = format;
	l->complete = ends_in_newline(fd);
	buf_init(&l->buf, RECORD_MAX + 1);
	return l;
}

int
alert_log_write(struct alert_log *l, const struct alert *a)
{
	ssize_t	n;

	buf_reset(&l->buf);
	/* A line cut short by an earlier failed write is ended first, in the same write, so the
	 * broken line stays alone and this record starts a line of its own. */
	if (!l->complete)
		buf_putc(&l->buf, '\n');
	if (alert_format(a, l->format, &l->buf) == -1) {
		log_warnx("%s: alert %lld does not fit in a record", l->path, (long long)a->id);
		errno = EMSGSIZE;
		return -1;
	}
	/*
	 * One write() per record with O_APPEND: concurrent appenders and a reader running tail -f
	 * never see half of one record followed by another. A short write (disk full, file size
	 * limit) leaves a partial line: we report failure, the caller keeps the alert pending and
	 * writes it whole later, and that next write starts with the newline that ends the
	 * fragment (complete = 0).
	 */
	do
		n = write(l->fd, l->buf.data, l->buf.len);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		log_warn("%s: writing an alert", l->path);
		return -1;
	}
	if ((size_t)n < l->buf.len) {
		if (n > 0)
			l->complete = l->buf.data[n - 1] == '\n';
		log_warnx("%s: short write (%zd of %zu bytes): the alert stays pending", l->path,
		    n, l->buf.len);
		errno = ENOSPC;
		return -1;
	}
	l->complete = 1;
	return 0;
}

int
alert_log_fd(const struct alert_log *l)
{
	return l->fd;
}

int
alert_log_reopen(struct alert_log *l)
{
	int	fd;

	if ((fd = open_log(l->path)) == -1) {
		log_warn("%s: reopening the alert log (still writing to the old file)", l->path);
		return -1;
	}
	close(l->fd);
	l->fd = fd;
	l->complete = ends_in_newline(fd);
	return 0;
}

int
alert_log_gone(struct alert_log *l)
{
	struct stat	fst, pst;

	if (fstat(l->fd, &fst) == -1)
		return 0;
	if (fst.st_nlink == 0)
		return 1;
	if (stat(l->path, &pst) == -1)
		return errno == ENOENT;
	return fst.st_dev != pst.st_dev || fst.st_ino != pst.st_ino;
}

void
alert_log_close(struct alert_log *l)
{
	if (l == NULL)
		return;
	if (close(l->fd) == -1)
		log_warn("%s: close", l->path);
	free(l->path);
	buf_free(&l->buf);
	free(l);
}

int
alert_log_next(struct alert_log *l, struct alert_logpos *next)
{
	struct stat	st;

	memset(next, 0, sizeof(*next));
	if (fstat(l->fd, &st) == -1) {
		log_warn("%s: fstat", l->path);
		return -1;
	}
	next->dev = (uint64_t)st.st_dev;
	next->ino = (uint64_t)st.st_ino;
	/* alert_log_write ends a fragment left by a short write first: one byte more. */
	next->off = (int64_t)st.st_size + (l->complete ? 0 : 1);
	return 0;
}

int
alert_log_plan(struct alert_log *l, const struct alert *a, struct alert_logpos *pos)
{
	buf_reset(&l->buf);
	if (alert_format(a, l->format, &l->buf) == -1) {
		errno = EMSGSIZE;
		return -1;
	}
	pos->len = l->buf.len;
	pos->hash = fnv1a(FNV1A_INIT, l->buf.data, l->buf.len);
	return 0;
}

int
alert_log_check(struct alert_log *l, const struct alert_logpos *pos)
{
	struct stat	 st;
	char		*p;
	ssize_t		 n = 0;
	size_t		 got = 0;
	int		 r;

	if (pos->len == 0 || pos->len > RECORD_MAX + 1 || pos->off < 0)
		return 0;
	if (fstat(l->fd, &st) == -1) {
		log_warn("%s: fstat", l->path);
		return -1;
	}
	/* Another file (logrotate moved ours) or one cut shorter (truncated): not there. */
	if ((uint64_t)st.st_dev != pos->dev || (uint64_t)st.st_ino != pos->ino ||
	    (uint64_t)st.st_size < (uint64_t)pos->off + pos->len)
		return 0;
	p = xmalloc(pos->len);
	while (got < pos->len) {
		n = pread(l->fd, p + got, pos->len - got, (off_t)(pos->off + (int64_t)got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < pos->len) {
		if (n == -1)
			log_warn("%s: reading back an alert record", l->path);
		free(p);
		return n == -1 ? -1 : 0;
	}
	r = fnv1a(FNV1A_INIT, p, pos->len) == pos->hash;
	free(p);
	return r;
}

void
alert_notify_summary(const char *rule, unsigned more, unsigned period, const char *log_path,
    const char *const *titles, size_t ntitles, char **summary, char **body)
{
	struct buf	 b;
	char		*t;
	size_t		 i;

	buf_init(&b, 0);
	t = line_text(rule, TEXT_MAX);
	buf_printf(&b, "%u more for %s", more, t);	/* plain text, like every summary */
	free(t);
	*summary = buf_steal(&b);
	buf_init(&b, 0);
	if (ntitles > more)
		ntitles = more;
	for (i = 0; i < ntitles; i++) {
		if (i > 0)
			buf_puts(&b, "; ");
		t = line_text(titles[i], NOTIFY_TITLE_MAX);
		put_markup(&b, *t ? t : "(no title)");
		free(t);
	}
	if (ntitles > 0) {
		if (more > ntitles)
			buf_printf(&b, "; and %zu more", more - ntitles);
		buf_putc(&b, '\n');
	}
	if (period >= 60)
		buf_printf(&b, "In the last %u min. ", (period + 59) / 60);
	buf_puts(&b, "Every alert is in the alert log");
	if (log_path != NULL) {
		t = line_text(log_path, LINK_MAX);
		buf_puts(&b, ": ");
		put_markup(&b, t);
		free(t);
	}
	buf_putc(&b, '.');
	*body = buf_steal(&b);
}
