/* fuzz_match.c: libFuzzer target for the matcher: the rules and the item text both come from the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "log.h"
#include "match.h"
#include "util.h"

/*
 * Input layout: lines up to a line "--" describe the rules, the rest is the item.
 *   a ALIAS|ALIAS...   an actor (its first alias is its name)
 *   p ALIAS|ALIAS...   a place;  p< ...  a place inside the place declared before it
 *   k WORD             a term (keyword or exclude word)
 *   r TOKENS           a rule; tokens separated by spaces: aN pN kN xN (the Nth actor, place,
 *                      term as a keyword, term as an exclude word), any, wN (within N words),
 *                      s (within a sentence), fN (fields mask N), F (only feed "f1")
 * The item: title, summary, content and categories separated by 0x1f; its feed is "f1" when
 * the input's last byte is odd, else "f2".
 * The struct conf is built the way conf.c builds it, with the same invariants (aliases trimmed,
 * non-empty, quotes balanced, '*' only at the end, no cycles of places, every rule naming
 * something), so that a crash here is one a real configuration can cause.
 */
#define MAX_ENTITIES	32
#define MAX_RULES	8
#define MAX_FIELDS	8

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* s[0..n) trimmed, as a new string. */
static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && is_space((unsigned char)*s))
		s++, n--;
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* The Nth entity of a kind, or -1. */
static long
nth(const struct conf *c, enum entity_kind kind, unsigned long n)
{
	size_t	 i, count = 0;

	for (i = 0; i < c->nentities; i++)
		if (c->entities[i].kind == kind)
			count++;
	if (count == 0)
		return -1;
	n %= count;
	for (i = 0; i < c->nentities; i++)
		if (c->entities[i].kind == kind && n-- == 0)
			return (long)i;
	return -1;
}

static void
push_index(size_t **v, size_t *n, long e)
{
	size_t	 i;

	if (e < 0)
		return;
	for (i = 0; i < *n; i++)
		if ((*v)[i] == (size_t)e)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = (size_t)e;
}

static void
add_entity(struct conf *c, enum entity_kind kind, const char *s, size_t n, long in)
{
	struct conf_entity *e;
	const char	*end = s + n, *bar;
	char		*a;
	size_t		 i;

	if (c->nentities == MAX_ENTITIES)
		return;
	e = &c->entities[c->nentities];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->in = in;
	e->declared = 1;
	while (s < end) {
		bar = kind == ENTITY_TERM ? NULL : memchr(s, '|', (size_t)(end - s));
		if (bar == NULL)
			bar = end;
		a = trimmed(s, (size_t)(bar - s));
		s = bar + 1;
		if (strlen(a) == 0 || !conf_alias_ok(a) || strchr(a, ',') != NULL) {
			free(a);
			continue;
		}
		for (i = 0; i < e->naliases && strcmp(e->aliases[i], a) != 0; i++)
			;
		if (i < e->naliases) {
			free(a);
			continue;
		}
		e->aliases = xreallocarray(e->aliases, e->naliases + 1, sizeof(*e->aliases));
		e->aliases[e->naliases++] = a;
	}
	if (e->naliases == 0)
		return;
	e->name = xstrdup(e->aliases[0]);
	c->nentities++;
}

static void
add_rule(struct conf *c, const char *s, size_t n)
{
	struct conf_rule *r;
	char		*line, *tok, *save, *end;
	unsigned long	 v;

	if (c->nrules == MAX_RULES)
		return;
	r = &c->rules[c->nrules];
	memset(r, 0, sizeof(*r));
	r->name = xasprintf("r%zu", c->nrules);
	r->fields = FIELD_ALL;
	r->severity = SEV_NORMAL;
	line = xstrndup(s, n);
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		v = strtoul(tok + 1, &end, 10);
		if (strcmp(tok, "any") == 0)
			r->mode = MATCH_ANY;
		else if (strcmp(tok, "s") == 0)
			r->within_sentence = 1;
		else if (strcmp(tok, "F") == 0 && r->nfeeds == 0) {
			r->feeds = xcalloc(1, sizeof(*r->feeds));
			r->feeds[0] = xstrdup("f1");
			r->nfeeds = 1;
		} else if (tok[0] == 'a')
			push_index(&r->actors, &r->nactors, nth(c, ENTITY_ACTOR, v));
		else if (tok[0] == 'p')
			push_index(&r->places, &r->nplaces, nth(c, ENTITY_PLACE, v));
		else if (tok[0] == 'k')
			push_index(&r->keywords, &r->nkeywords, nth(c, ENTITY_TERM, v));
		else if (tok[0] == 'x')
			push_index(&r->exclude, &r->nexclude, nth(c, ENTITY_TERM, v));
		else if (tok[0] == 'w' && v >= 1 && v <= 1000)
			r->within = (unsigned)v;
		else if (tok[0] == 'f' && (v & FIELD_ALL) != 0)
			r->fields = (unsigned)v & FIELD_ALL;
	}
	free(line);
	c->nrules++;
	if (r->nactors == 0 && r->nplaces == 0 && r->nkeywords == 0) {
		/* conf.c rejects such a rule; so does this builder. */
		c->nrules--;
		free(r->name);
		free(r->exclude);
		if (r->feeds != NULL)
			free(r->feeds[0]);
		free(r->feeds);
	}
}

/* Parses the rules part; returns where the item starts. */
static size_t
build(struct conf *c, const char *s, size_t size)
{
	const char	*nl;
	size_t		 off = 0, n;
	long		 last_place = -1;

	while (off < size) {
		nl = memchr(s + off, '\n', size - off);
		n = nl ? (size_t)(nl - (s + off)) : size - off;
		if (n == 2 && memcmp(s + off, "--", 2) == 0)
			return off + n + 1;
		if (n >= 2 && s[off + 1] == ' ') {
			if (s[off] == 'a')
				add_entity(c, ENTITY_ACTOR, s + off + 2, n - 2, -1);
			else if (s[off] == 'p')
				add_entity(c, ENTITY_PLACE, s + off + 2, n - 2, -1);
			else if (s[off] == 'k')
				add_entity(c, ENTITY_TERM, s + off + 2, n - 2, -1);
			else if (s[off] == 'r')
				add_rule(c, s + off + 2, n - 2);
		} else if (n >= 3 && s[off] == 'p' && s[off + 1] == '<' && s[off + 2] == ' ')
			add_entity(c, ENTITY_PLACE, s + off + 3, n - 3, last_place);
		if (c->nentities > 0 && c->entities[c->nentities - 1].kind == ENTITY_PLACE)
			last_place = (long)c->nentities - 1;
		off += n + 1;
	}
	return size;
}

static int
result_cb(void *arg, const struct match_result *r)
{
	const struct conf *c = arg;
	size_t		 i;

	if (r->rule >= c->nrules)
		abort();
	for (i = 0; i < r->nactors; i++)
		if (r->actors[i].entity >= c->nentities || r->actors[i].start > r->actors[i].end)
			abort();
	for (i = 0; i < r->nplaces; i++)
		if (r->places[i].entity >= c->nentities || r->places[i].start > r->places[i].end)
			abort();
	return 0;
}

/*
 * What the matcher says, written down, to compare the one-pass scan with the reference path
 * (fold the whole text, then scan): they must agree on every input.
 */
struct said {
	const struct conf *conf;
	struct buf	 b;
};

static void
say_hits(struct buf *b, const struct match_hit *h, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf_printf(b, " [%zu %zu %s %u %zu %zu-%zu]", h[i].entity, h[i].via, h[i].alias,
		    h[i].field, h[i].category, h[i].start, h[i].end);
}

static int
say_cb(void *arg, const struct match_result *r)
{
	struct said	*s = arg;

	if (result_cb((void *)s->conf, r) == -1)
		return -1;
	buf_printf(&s->b, "rule %zu fired %d:", r->rule, r->fired);
	say_hits(&s->b, r->actors, r->nactors);
	say_hits(&s->b, r->places, r->nplaces);
	say_hits(&s->b, r->keywords, r->nkeywords);
	buf_printf(&s->b, " %s\n", r->why_not ? r->why_not : "");
	return 0;
}

static void
free_conf(struct conf *c)
{
	size_t	 i, j;

	for (i = 0; i < c->nentities; i++) {
		free(c->entities[i].name);
		for (j = 0; j < c->entities[i].naliases; j++)
			free(c->entities[i].aliases[j]);
		free(c->entities[i].aliases);
	}
	for (i = 0; i < c->nrules; i++) {
		free(c->rules[i].name);
		free(c->rules[i].actors);
		free(c->rules[i].places);
		free(c->rules[i].keywords);
		free(c->rules[i].exclude);
		if (c->rules[i].feeds != NULL)
			free(c->rules[i].feeds[0]);
		free(c->rules[i].feeds);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 once;
	struct conf_entity entities[MAX_ENTITIES];
	struct conf_rule rules[MAX_RULES];
	struct conf_feed feeds[2] = { { .name = (char *)"f1" }, { .name = (char *)"f2" } };
	struct conf	 c;
	struct match_item item;
	struct matcher	*m, *ref;
	struct said	 one, two;
	int		 n1, n2;
	const char	*s = (const char *)data, *fields[MAX_FIELDS];
	char		*copy[MAX_FIELDS];
	size_t		 off, start, nfields = 0, i;

	if (!once) {
		log_init(-1);
		once = 1;
	}
	memset(&c, 0, sizeof(c));
	c.entities = entities;
	c.rules = rules;
	c.feeds = feeds;
	c.nfeeds = 2;
	off = build(&c, s, size);

	/* The item: fields are separate C strings, as the daemon hands them over. */
	for (start = off; start <= size && nfields < MAX_FIELDS; ) {
		for (i = start; i < size && s[i] != 0x1f; i++)
			;
		copy[nfields] = xstrndup(s + start, i - start);
		fields[nfields] = copy[nfields];
		nfields++;
		start = i + 1;
	}
	memset(&item, 0, sizeof(item));
	item.feed = size > 0 && (data[size - 1] & 1) ? "f1" : "f2";
	item.title = nfields > 0 ? fields[0] : NULL;
	item.summary = nfields > 1 ? fields[1] : NULL;
	item.content = nfields > 2 ? fields[2] : NULL;
	item.categories = nfields > 3 ? fields + 3 : NULL;
	item.ncategories = nfields > 3 ? nfields - 3 : 0;

	if ((m = matcher_new(&c)) != NULL && (ref = matcher_new(&c)) != NULL) {
		matcher_run(m, &item, 0, result_cb, &c);
		matcher_set_reference(ref, 1);
		one.conf = two.conf = &c;
		buf_init(&one.b, 1 << 24);
		buf_init(&two.b, 1 << 24);
		n1 = matcher_run(m, &item, 1, say_cb, &one);
		n2 = matcher_run(ref, &item, 1, say_cb, &two);
		if (n1 != n2 || one.b.len != two.b.len ||
		    (one.b.len > 0 && memcmp(one.b.data, two.b.data, one.b.len) != 0)) {
			fprintf(stderr, "one pass:\n%.*s\nreference:\n%.*s\n", (int)one.b.len,
			    one.b.data ? one.b.data : "", (int)two.b.len, two.b.data ? two.b.data : "");
			abort();
		}
		buf_free(&one.b);
		buf_free(&two.b);
		matcher_free(ref);
	}
	matcher_free(m);
	for (i = 0; i < nfields; i++)
		free(copy[i]);
	free_conf(&c);
	return 0;
}
