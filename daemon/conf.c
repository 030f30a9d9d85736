/* conf.c: reads newswatch.conf line by line, checks all of it, and builds the read-only struct conf. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "gazetteer.h"
#include "ini.h"
#include "util.h"

/*
 * Loading happens in two passes. The first takes the file from ini.c one numbered line at a time
 * (a header, a key = value, a continuation line, or a line it could not read) and records the
 * sections and values with their line numbers. The second pass reads the recorded values,
 * resolves names across sections and builds struct conf. Every error goes to a list that is
 * printed sorted by line at the end, so the user sees all of them at once. All state is in
 * struct parser on the stack, so loads on different threads do not meet.
 */

#define NAME_MAX_BYTES	200	/* a section name */

/* Where "gazetteer = yes" looks (gazetteer.c), for messages. */
#ifndef NW_DATADIR
#define NW_DATADIR	"/usr/local/share/newswatch"
#endif
#ifdef NW_SOURCE_DATADIR
#define NW_GAZ_DIRS	NW_DATADIR, " or ", NW_SOURCE_DATADIR
#else
#define NW_GAZ_DIRS	NW_DATADIR, "", ""
#endif
#define SETTLE_MAX	3600	/* settle: an alert waits at most an hour */

enum section_kind {
	SEC_MAIN,
	SEC_FEED,
	SEC_ACTOR,
	SEC_PLACE,
	SEC_RULE,
	SEC_TARGET
};

static const char *const section_types[] = { "newswatch", "feed", "actor", "place", "rule",
	"target" };

struct keydef {
	enum section_kind kind;
	const char	*key;
	int		 list;	/* 1 if continuation lines may add items */
};

static const struct keydef keydefs[] = {
	{ SEC_MAIN, "state_dir", 0 },
	{ SEC_MAIN, "alert_log", 0 },
	{ SEC_MAIN, "alert_log_format", 0 },
	{ SEC_MAIN, "notify", 0 },
	{ SEC_MAIN, "interval", 0 },
	{ SEC_MAIN, "first_poll", 0 },
	{ SEC_MAIN, "max_transfers", 0 },
	{ SEC_MAIN, "max_host_transfers", 0 },
	{ SEC_MAIN, "timeout", 0 },
	{ SEC_MAIN, "max_feed_size", 0 },
	{ SEC_MAIN, "max_items", 0 },
	{ SEC_MAIN, "max_age", 0 },
	{ SEC_MAIN, "settle", 0 },
	{ SEC_MAIN, "retention", 0 },
	{ SEC_MAIN, "max_popups_per_minute", 0 },
	{ SEC_MAIN, "max_critical_popups_per_minute", 0 },
	{ SEC_MAIN, "sticky_critical", 0 },
	{ SEC_MAIN, "exec_timeout", 0 },
	{ SEC_MAIN, "exec_max", 0 },
	{ SEC_MAIN, "gazetteer", 0 },
	{ SEC_MAIN, "targets", 1 },
	{ SEC_FEED, "url", 0 },
	{ SEC_FEED, "interval", 0 },
	{ SEC_FEED, "max_items", 0 },
	{ SEC_FEED, "fetch_article", 0 },
	{ SEC_FEED, "max_articles", 0 },
	{ SEC_FEED, "tags", 1 },
	{ SEC_ACTOR, "aliases", 1 },
	{ SEC_ACTOR, "builtin", 0 },
	/* data/actors.conf's keys, so that its entries can be copied into a configuration. */
	{ SEC_ACTOR, "kind", 0 },
	{ SEC_ACTOR, "country", 0 },
	{ SEC_ACTOR, "from", 0 },
	{ SEC_ACTOR, "until", 0 },
	{ SEC_PLACE, "aliases", 1 },
	{ SEC_PLACE, "in", 0 },
	{ SEC_PLACE, "builtin", 0 },
	{ SEC_RULE, "actors", 1 },
	{ SEC_RULE, "places", 1 },
	{ SEC_RULE, "keywords", 1 },
	{ SEC_RULE, "match", 0 },
	{ SEC_RULE, "severity", 0 },
	{ SEC_RULE, "exclude", 1 },
	{ SEC_RULE, "feeds", 1 },
	{ SEC_RULE, "fields", 1 },
	{ SEC_RULE, "within", 0 },
	{ SEC_RULE, "cooldown", 0 },
	{ SEC_RULE, "exec", 0 },
	{ SEC_RULE, "surge", 0 },
	{ SEC_RULE, "surge_window", 0 },
	{ SEC_RULE, "surge_min", 0 },
	{ SEC_RULE, "targets", 1 },
	{ SEC_TARGET, "type", 0 },
	{ SEC_TARGET, "url", 0 },
	{ SEC_TARGET, "url_file", 0 },
	{ SEC_TARGET, "url_env", 0 },
	{ SEC_TARGET, "headers", 1 },
	{ SEC_TARGET, "secret_file", 0 },
	{ SEC_TARGET, "secret_env", 0 },
	{ SEC_TARGET, "token_file", 0 },
	{ SEC_TARGET, "token_env", 0 },
	{ SEC_TARGET, "password_file", 0 },
	{ SEC_TARGET, "password_env", 0 },
	{ SEC_TARGET, "ca_file", 0 },
	{ SEC_TARGET, "room", 0 },
	{ SEC_TARGET, "from", 0 },
	{ SEC_TARGET, "to", 1 },
	{ SEC_TARGET, "user", 0 },
	{ SEC_TARGET, "topic", 0 },
	{ SEC_TARGET, "digest", 0 },
	{ SEC_TARGET, "quiet", 0 },
	{ SEC_TARGET, "max_backlog", 0 },
	{ SEC_TARGET, "retry", 0 },
};

struct kv {
	const struct keydef *def;
	char		*value;	/* continuation lines appended after a comma */
	int		 line;
};

struct section {
	enum section_kind kind;
	char		*name;	/* NULL for [newswatch] */
	int		 line;
	struct kv	*kvs;
	size_t		 nkvs;
};

struct errmsg {
	int		 line;
	size_t		 seq;	/* keeps the order of errors on one line */
	int		 warning;	/* 1: printed with "warning: ", does not fail the load */
	char		*text;
};

/* Where the current key = value lines go. */
#define CUR_NONE	(-1L)	/* before any section */
#define CUR_BAD		(-2L)	/* under a broken header: already reported, keys ignored */

struct parser {
	const char	*path;	/* as given, for messages */
	int		 lineno;	/* the line being read */

	struct section	*secs;
	size_t		 nsecs;
	size_t		 secs_cap;
	/* Open-addressing set of the sections (index + 1, 0: empty), found by kind and name:
	 * a configuration of 10,000 feeds compared every header with every section before it
	 * (a fifth of a whole --once poll of them). Twice as many slots as sections at most. */
	size_t		*sec_set;
	size_t		 sec_set_cap;
	long		 cur;	/* index into secs, CUR_NONE or CUR_BAD */
	long		 prev_kv;	/* index in the current section's kvs, or -1: ignore them */

	struct errmsg	*errs;
	size_t		 nerrs;
	size_t		 dropped;	/* errors beyond CONF_ERRORS_MAX */
	int		 failed;

	/*
	 * The gazetteer (gazetteer.h), NULL when off or missing. It lives only as long as the load:
	 * the entities take copies of what they use, and a daemon keeps no 10 MB it will not read
	 * again (a reload reads it anew, in about 50 ms).
	 */
	struct gazetteer *gaz;
	uint32_t	*gmap;		/* per gazetteer entry: its entity + 1, or 0 */
	const char	*gaz_value;	/* gazetteer = ..., NULL when not set */
	int		 gaz_line;
	/* [newswatch] targets = ...: resolved once the targets are known, then copied into
	 * every rule without its own targets line. */
	const struct kv	*targets_kv;
	size_t		*default_targets;
	size_t		 ndefault_targets;
};

/* A place's "in =", kept until every place is known. */
struct place_in {
	size_t		 entity;
	char		*name;
	int		 line;
};

static void	 conf_error(struct parser *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 conf_warn(struct parser *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Keeps one message; errors and warnings share the CONF_ERRORS_MAX cap. */
static void
add_message(struct parser *p, int line, int warning, const char *fmt, va_list ap)
{
	char	*text;

	if (p->nerrs >= CONF_ERRORS_MAX) {
		p->dropped++;
		return;
	}
	text = xvasprintf(fmt, ap);
	p->errs = xreallocarray(p->errs, p->nerrs + 1, sizeof(*p->errs));
	p->errs[p->nerrs].line = line;
	p->errs[p->nerrs].seq = p->nerrs;
	p->errs[p->nerrs].warning = warning;
	p->errs[p->nerrs].text = text;
	p->nerrs++;
}

static void
conf_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;

	p->failed = 1;
	va_start(ap, fmt);
	add_message(p, line, 0, fmt, ap);
	va_end(ap);
}

/* Something the file says that is legal but probably not meant: reported, the load goes on. */
static void
conf_warn(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	add_message(p, line, 1, fmt, ap);
	va_end(ap);
}

static int
errmsg_cmp(const void *a, const void *b)
{
	const struct errmsg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
print_errors(struct parser *p, FILE *errf)
{
	size_t	 i;

	if (p->nerrs > 0)	/* errs is NULL then, which qsort may not be given */
		qsort(p->errs, p->nerrs, sizeof(*p->errs), errmsg_cmp);
	for (i = 0; errf != NULL && i < p->nerrs; i++) {
		if (p->errs[i].line > 0)
			fprintf(errf, "%s:%d: %s%s\n", p->path, p->errs[i].line,
			    p->errs[i].warning ? "warning: " : "", p->errs[i].text);
		else
			fprintf(errf, "%s: %s%s\n", p->path, p->errs[i].warning ? "warning: " : "",
			    p->errs[i].text);
	}
	if (errf != NULL && p->dropped > 0)
		fprintf(errf, "%s: %zu more errors or warnings not shown\n", p->path, p->dropped);
	if (errf != NULL)
		fflush(errf);
}

/* Only ASCII white space: bytes of UTF-8 sequences must never count as space. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Returns a new string: s[0..n) without white space at either end. */
static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Splits a comma-separated list into trimmed, non-empty items (new strings). */
static void
split_list(const char *value, char ***items, size_t *nitems)
{
	const char	*s = value, *comma;
	char		*item;

	*items = NULL;
	*nitems = 0;
	for (;;) {
		comma = strchr(s, ',');
		item = trim_dup(s, comma ? (size_t)(comma - s) : strlen(s));
		if (*item != '\0')
			strv_push(items, nitems, item);
		free(item);
		if (comma == NULL)
			break;
		s = comma + 1;
	}
}

static const struct keydef *
keydef_find(enum section_kind kind, const char *key)
{
	size_t	 i;

	for (i = 0; i < sizeof(keydefs) / sizeof(keydefs[0]); i++)
		if (keydefs[i].kind == kind && strcmp(keydefs[i].key, key) == 0)
			return &keydefs[i];
	return NULL;
}

/* "url, interval or tags": the keys a kind of section takes, for messages (new string). */
static char *
keys_of(enum section_kind kind)
{
	struct buf	 b;
	size_t		 i, n = 0, total = 0;

	for (i = 0; i < sizeof(keydefs) / sizeof(keydefs[0]); i++)
		total += keydefs[i].kind == kind;
	buf_init(&b, 1024);
	for (i = 0; i < sizeof(keydefs) / sizeof(keydefs[0]); i++) {
		if (keydefs[i].kind != kind)
			continue;
		if (n > 0)
			buf_puts(&b, n + 1 == total ? " or " : ", ");
		buf_puts(&b, keydefs[i].key);
		n++;
	}
	return buf_steal(&b);
}

/* "[feed bbc]" for messages. */
static void
section_label(const struct section *s, char *out, size_t outsz)
{
	if (s->name == NULL)
		snprintf(out, outsz, "[%s]", section_types[s->kind]);
	else
		snprintf(out, outsz, "[%s %s]", section_types[s->kind], s->name);
}

static int
names_equal(enum section_kind kind, const char *a, const char *b)
{
	if (kind == SEC_ACTOR || kind == SEC_PLACE)
		return strcasecmp(a, b) == 0;
	return strcmp(a, b) == 0;
}

/* The hash of a section's kind and name, equal whenever names_equal says the names are. */
static uint64_t
section_hash(enum section_kind kind, const char *name)
{
	uint64_t	h = FNV1A_INIT;
	unsigned char	k = (unsigned char)kind, c;
	int		fold = kind == SEC_ACTOR || kind == SEC_PLACE;

	h = fnv1a(h, &k, 1);
	for (; name != NULL && *name != '\0'; name++) {
		c = (unsigned char)*name;
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = fnv1a(h, &c, 1);
	}
	return h;
}

/* The slot of sec_set holding a section like this one, or the empty slot where it would go. */
static size_t
section_slot(const struct parser *p, enum section_kind kind, const char *name)
{
	size_t		 mask = p->sec_set_cap - 1, i;
	const struct section *s;

	for (i = (size_t)section_hash(kind, name) & mask; p->sec_set[i] != 0; i = (i + 1) & mask) {
		s = &p->secs[p->sec_set[i] - 1];
		if (s->kind == kind && (kind == SEC_MAIN || names_equal(kind, s->name, name)))
			break;
	}
	return i;
}

/* Adds section index n to sec_set, growing it to keep it at most half full. */
static void
section_set_add(struct parser *p, size_t n)
{
	size_t	i;

	if (2 * (p->nsecs + 1) > p->sec_set_cap) {
		free(p->sec_set);
		p->sec_set_cap = p->sec_set_cap ? 2 * p->sec_set_cap : 64;
		p->sec_set = xcalloc(p->sec_set_cap, sizeof(*p->sec_set));
		for (i = 0; i < p->nsecs; i++)
			if (i != n)
				p->sec_set[section_slot(p, p->secs[i].kind, p->secs[i].name)] = i + 1;
	}
	p->sec_set[section_slot(p, p->secs[n].kind, p->secs[n].name)] = n + 1;
}

/* A section header line: the text between '[' and ']'. */
static void
begin_section(struct parser *p, const char *header, size_t n)
{
	char		*h, *name;
	size_t		 typelen, i;
	long		 kind = -1;
	struct section	*s;

	p->cur = CUR_BAD;
	p->prev_kv = -1;

	h = trim_dup(header, n);
	for (typelen = 0; h[typelen] != '\0' && !is_space((unsigned char)h[typelen]); typelen++)
		;
	name = trim_dup(h + typelen, strlen(h + typelen));
	h[typelen] = '\0';
	for (i = 0; i < sizeof(section_types) / sizeof(section_types[0]); i++)
		if (strcmp(h, section_types[i]) == 0)
			kind = (long)i;

	if (kind == -1) {
		conf_error(p, p->lineno, "unknown section type \"%s\": expected [newswatch], "
		    "[feed NAME], [actor NAME], [place NAME], [rule NAME] or [target NAME]", h);
		goto done;
	}
	if (kind == SEC_MAIN && *name != '\0') {
		conf_error(p, p->lineno, "[newswatch] takes no name (found \"%s\")", name);
		goto done;
	}
	if (kind != SEC_MAIN && *name == '\0') {
		conf_error(p, p->lineno, "empty name: expected [%s NAME]", h);
		goto done;
	}
	if (strlen(name) > NAME_MAX_BYTES) {
		conf_error(p, p->lineno, "section name is longer than %d bytes", NAME_MAX_BYTES);
		goto done;
	}
	if (strchr(name, ',') != NULL) {
		conf_error(p, p->lineno, "name \"%s\" contains a comma: lists are comma-separated, "
		    "so no rule could name it", name);
		goto done;
	}
	if (p->sec_set_cap > 0 &&
	    (i = p->sec_set[section_slot(p, (enum section_kind)kind, name)]) != 0) {
		conf_error(p, p->lineno, "duplicate section [%s%s%s] (first at line %d)",
		    h, kind == SEC_MAIN ? "" : " ", name, p->secs[i - 1].line);
		goto done;
	}

	if (p->nsecs == p->secs_cap) {
		p->secs_cap = p->secs_cap ? 2 * p->secs_cap : 16;
		p->secs = xreallocarray(p->secs, p->secs_cap, sizeof(*p->secs));
	}
	s = &p->secs[p->nsecs];
	memset(s, 0, sizeof(*s));
	s->kind = (enum section_kind)kind;
	s->name = kind == SEC_MAIN ? NULL : xstrdup(name);
	s->line = p->lineno;
	p->cur = (long)p->nsecs;
	section_set_add(p, p->nsecs);
	p->nsecs++;
done:
	free(name);
	free(h);
}

/*
 * The length of "key" if s reads "key = ..." for a key of any section; 0 if not. Such a line,
 * indented, would otherwise continue the list above as a name. Only known keys count, so that
 * an alias such as "E = mc2" may still go on a continuation line; an indented misspelt key
 * becomes a name, which the warning for undeclared names then shows.
 */
static size_t
setting_key_len(const char *s)
{
	size_t	 n, k, i;

	for (n = 0; (s[n] >= 'a' && s[n] <= 'z') || s[n] == '_'; n++)
		;
	for (k = n; is_space((unsigned char)s[k]); k++)
		;
	if (n == 0 || s[k] != '=')
		return 0;
	for (i = 0; i < sizeof(keydefs) / sizeof(keydefs[0]); i++)
		if (strlen(keydefs[i].key) == n && strncmp(keydefs[i].key, s, n) == 0)
			return n;
	return 0;
}

/*
 * Comments start only at " ;" (ini.h): in "value # text" the '#' and the text are part of the value.
 * Returns where such a " #" starts in s (after white space), or NULL. A '#' right after a comma
 * starts a list item ("#hashtag"), so in lists only one inside an item counts.
 */
static char *
hash_comment(char *s, int list)
{
	char	*h;

	for (h = s; (h = strchr(h, '#')) != NULL; h++) {
		if (h == s || !is_space((unsigned char)h[-1]))
			continue;
		if (list) {
			const char *q = h - 1;

			while (q > s && is_space((unsigned char)*q))
				q--;
			if (*q == ',' || is_space((unsigned char)*q))
				continue;	/* "#" starts an item */
		}
		return h;
	}
	return NULL;
}

/*
 * A " #" in a value: an error for a one-value key (no URL, path, number or word holds " #"), and
 * the text is cut there so that the value is not reported twice; a warning in a list, where an
 * alias such as "Channel #4" is possible and is kept as written.
 */
static void
check_hash(struct parser *p, const char *key, char *value, int list)
{
	char	*h = hash_comment(value, list);

	if (h == NULL)
		return;
	if (!list) {
		conf_error(p, p->lineno, "%s: \" #\" starts no comment here (only \" ;\" does): "
		    "write \" ;\" before the comment, or remove it", key);
		while (h > value && is_space((unsigned char)h[-1]))
			h--;
		*h = '\0';
		return;
	}
	conf_warn(p, p->lineno, "%s: \" #\" starts no comment here (only \" ;\" does), so "
	    "\"%s\" is kept as written in the list", key, value);
}

/*
 * Records key = value under the current section, or, for a continuation line (an indented line
 * after key, ini.h), appends value to the key's value.
 */
static void
add_value(struct parser *p, const char *key, const char *value, int continuation)
{
	struct section		*s;
	const struct keydef	*def;
	struct kv		*kv;
	char			 label[NAME_MAX_BYTES + 32], *keys, *v, *cut;
	size_t			 i, n;

	if (!continuation)
		p->prev_kv = -1;

	if (p->cur == CUR_NONE) {
		conf_error(p, p->lineno, "key \"%s\" before any section: start with a section "
		    "such as [newswatch] or [feed NAME]", key);
		return;
	}
	if (p->cur == CUR_BAD)
		return;
	s = &p->secs[p->cur];
	section_label(s, label, sizeof(label));

	if (continuation) {
		if (p->prev_kv < 0)
			return;	/* its key was rejected already */
		kv = &s->kvs[p->prev_kv];
		if ((n = setting_key_len(value)) > 0) {
			conf_error(p, p->lineno, "indented \"%.*s =\" continues %s (line %d) instead "
			    "of setting %.*s: start the line at its first column", (int)n, value, key,
			    kv->line, (int)n, value);
			p->prev_kv = -1;
			return;
		}
		if (!kv->def->list) {
			conf_error(p, p->lineno, "%s takes one value: only lists go on in "
			    "continuation lines", key);
			p->prev_kv = -1;
			return;
		}
		v = xstrdup(value);
		check_hash(p, key, v, 1);
		cut = kv->value;
		kv->value = xasprintf("%s,%s", cut, v);
		free(cut);
		free(v);
		return;
	}

	if (*key == '\0') {
		conf_error(p, p->lineno, "expected a key before =");
		return;
	}
	if ((def = keydef_find(s->kind, key)) == NULL) {
		keys = keys_of(s->kind);
		conf_error(p, p->lineno, "unknown key \"%s\" in %s: expected %s", key, label, keys);
		free(keys);
		return;
	}
	for (i = 0; i < s->nkvs; i++) {
		if (s->kvs[i].def == def) {
			conf_error(p, p->lineno, "duplicate key \"%s\" in %s (first at line %d)",
			    key, label, s->kvs[i].line);
			return;
		}
	}
	s->kvs = xreallocarray(s->kvs, s->nkvs + 1, sizeof(*s->kvs));
	kv = &s->kvs[s->nkvs];
	kv->def = def;
	kv->value = xstrdup(value);
	kv->line = p->lineno;
	check_hash(p, key, kv->value, def->list);
	p->prev_kv = (long)s->nkvs++;
}

/* The first pass: every line of fp, recorded or reported with its number. */
static void
read_lines(struct parser *p, FILE *fp)
{
	struct ini	 r;
	struct ini_line	 l;
	int		 n;

	ini_init(&r, fp, CONF_LINE_MAX);
	while ((n = ini_next(&r, &l)) == 1) {
		p->lineno = l.lineno;
		switch (l.kind) {
		case INI_EMPTY:
			break;
		case INI_SECTION:
			if (l.name == NULL) {
				/* Keys up to the next header would land in the wrong section. */
				conf_error(p, l.lineno, "%s", l.error);
				p->cur = CUR_BAD;
				p->prev_kv = -1;
				break;
			}
			begin_section(p, l.name, strlen(l.name));
			if (l.error != NULL)
				conf_error(p, l.lineno, "%s", l.error);
			break;
		case INI_KEY:
		case INI_MORE:
			add_value(p, l.key, l.value, l.kind == INI_MORE);
			break;
		case INI_ERROR:
			conf_error(p, l.lineno, "%s", l.error);
			break;
		}
	}
	if (n == -1)
		conf_error(p, p->lineno, "read error: %s", strerror(errno));
	ini_free(&r);
}

static void
parser_free(struct parser *p)
{
	size_t	 i, j;

	free(p->gmap);
	gaz_free(p->gaz);
	for (i = 0; i < p->nsecs; i++) {
		for (j = 0; j < p->secs[i].nkvs; j++)
			free(p->secs[i].kvs[j].value);
		free(p->secs[i].kvs);
		free(p->secs[i].name);
	}
	free(p->secs);
	free(p->sec_set);
	free(p->default_targets);
	for (i = 0; i < p->nerrs; i++)
		free(p->errs[i].text);
	free(p->errs);
}

/* Values. */

/* Parses a decimal number with no sign or space: 0 or -1 (not a number, or above max). */
static int
parse_number(const char *s, const char **end, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (max - (unsigned)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*end = s;
	*out = v;
	return 0;
}

int
conf_parse_duration(const char *s, unsigned *seconds)
{
	unsigned long long v, mult = 1;
	const char	*end;

	if (parse_number(s, &end, UINT_MAX, &v) == -1)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > UINT_MAX / mult)
		return -1;
	*seconds = (unsigned)(v * mult);
	return 0;
}

int
conf_parse_size(const char *s, size_t *bytes)
{
	unsigned long long v, mult = 1;
	const char	*end;

	if (parse_number(s, &end, SIZE_MAX, &v) == -1)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > SIZE_MAX / mult)
		return -1;
	*bytes = (size_t)(v * mult);
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* Finds s in a NULL-terminated list of words: its index or -1. */
static int
parse_enum(const char *s, const char *const *words)
{
	int	 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	return -1;
}

/* A duration key that must be at least 1s. */
static int
check_duration(struct parser *p, const struct kv *kv, unsigned *out)
{
	if (conf_parse_duration(kv->value, out) == -1) {
		conf_error(p, kv->line, "bad %s \"%s\": use 90, 90s, 10m, 2h or 1d",
		    kv->def->key, kv->value);
		return -1;
	}
	if (*out == 0) {
		conf_error(p, kv->line, "%s must be at least 1s", kv->def->key);
		return -1;
	}
	return 0;
}

static int
check_count(struct parser *p, const struct kv *kv, unsigned max, unsigned *out)
{
	unsigned long long v;
	const char	*end;

	if (parse_number(kv->value, &end, max, &v) == -1 || *end != '\0' || v == 0) {
		conf_error(p, kv->line, "bad %s \"%s\": use a whole number from 1 to %u",
		    kv->def->key, kv->value, max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* A hook program: an absolute path to an executable regular file (checked now, run later). */
static void
check_exec(struct parser *p, const struct kv *kv, const char *rule, char **out)
{
	struct stat	st;

	if (kv->value[0] != '/') {
		conf_error(p, kv->line, "bad exec \"%s\" for rule %s: give an absolute path "
		    "(it is run without a shell)", kv->value, rule);
		return;
	}
	if (stat(kv->value, &st) == -1) {
		conf_error(p, kv->line, "exec %s for rule %s: %s", kv->value, rule,
		    strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode) || access(kv->value, X_OK) == -1) {
		conf_error(p, kv->line, "exec %s for rule %s: not an executable file", kv->value,
		    rule);
		return;
	}
	free(*out);
	*out = xstrdup(kv->value);
}

/* http(s)://host...: the scheme in either case, a host, no space or control character. */
static int
url_ok(const char *u)
{
	const char	*rest;

	if (strncasecmp(u, "http://", 7) == 0)
		rest = u + 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		rest = u + 8;
	else
		return 0;
	if (*rest == '\0' || *rest == '/' || *rest == '?' || *rest == '#')
		return 0;
	for (; *u != '\0'; u++)
		if ((unsigned char)*u <= ' ' || *u == 0x7f)
			return 0;
	return 1;
}

/* "~/x" from $HOME, relative to dir, without trailing slashes (new string). */
static char *
resolve_path(const char *dir, const char *value)
{
	char	*e, *r;
	size_t	 n;

	e = path_expand(value);
	if (e[0] == '/')
		r = e;
	else {
		r = xasprintf("%s/%s", dir, e);
		free(e);
	}
	n = strlen(r);
	while (n > 1 && r[n - 1] == '/')
		r[--n] = '\0';
	return r;
}

/* $VAR/suffix when VAR is an absolute path (as the XDG spec asks), else ~/fallback/suffix. */
static char *
xdg_path(const char *var, const char *fallback, const char *suffix)
{
	const char	*e = getenv(var);
	char		*base, *r;
	size_t		 n;

	if (e != NULL && e[0] == '/') {
		base = xstrdup(e);
		n = strlen(base);
		while (n > 1 && base[n - 1] == '/')
			base[--n] = '\0';
	} else
		base = path_expand(fallback);
	r = xasprintf("%s%s%s", base, strcmp(base, "/") == 0 ? "" : "/", suffix);
	free(base);
	return r;
}

char *
conf_default_path(void)
{
	return xdg_path("XDG_CONFIG_HOME", "~/.config", "newswatch/newswatch.conf");
}

char *
conf_default_state_dir(void)
{
	return xdg_path("XDG_STATE_HOME", "~/.local/state", "newswatch");
}

/* Building struct conf. */

static void
apply_main(struct parser *p, struct conf *c, const struct section *s, const char *dir)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	static const char *const first[] = { "silent", "alert", NULL };
	const struct kv	*kv;
	const char	*k;
	size_t		 i;
	int		 v;

	for (i = 0; i < s->nkvs; i++) {
		kv = &s->kvs[i];
		k = kv->def->key;
		if (strcmp(k, "state_dir") == 0 || strcmp(k, "alert_log") == 0) {
			if (*kv->value == '\0') {
				conf_error(p, kv->line, "%s is empty: give a path or leave it out "
				    "for the default", k);
				continue;
			}
			if (kv->value[0] == '~' && kv->value[1] != '/' && kv->value[1] != '\0') {
				conf_error(p, kv->line, "bad %s \"%s\": only ~/ is expanded, "
				    "not ~user", k, kv->value);
				continue;
			}
			if (k[0] == 's') {
				free(c->state_dir);
				c->state_dir = resolve_path(dir, kv->value);
			} else {
				free(c->alert_log);
				c->alert_log = resolve_path(dir, kv->value);
			}
		} else if (strcmp(k, "alert_log_format") == 0) {
			if ((v = parse_enum(kv->value, formats)) == -1)
				conf_error(p, kv->line, "bad alert_log_format \"%s\": use text "
				    "or jsonl", kv->value);
			else
				c->alert_format = v ? ALERT_FORMAT_JSONL : ALERT_FORMAT_TEXT;
		} else if (strcmp(k, "notify") == 0) {
			if (parse_bool(kv->value, &c->notify) == -1)
				conf_error(p, kv->line, "bad notify \"%s\": use yes or no "
				    "(also true/false, on/off, 1/0)", kv->value);
		} else if (strcmp(k, "interval") == 0)
			check_duration(p, kv, &c->interval);
		else if (strcmp(k, "timeout") == 0)
			check_duration(p, kv, &c->timeout);
		else if (strcmp(k, "first_poll") == 0) {
			if ((v = parse_enum(kv->value, first)) == -1)
				conf_error(p, kv->line, "bad first_poll \"%s\": use silent (record "
				    "what is there) or alert", kv->value);
			else
				c->first_poll_alert = v;
		} else if (strcmp(k, "max_transfers") == 0)
			check_count(p, kv, 1024, &c->max_transfers);
		else if (strcmp(k, "max_host_transfers") == 0)
			check_count(p, kv, 1024, &c->max_host_transfers);
		else if (strcmp(k, "max_feed_size") == 0) {
			if (conf_parse_size(kv->value, &c->max_feed_bytes) == -1 ||
			    c->max_feed_bytes < 1024 || c->max_feed_bytes > 1024UL * 1024 * 1024)
				conf_error(p, kv->line, "bad max_feed_size \"%s\": use bytes or a "
				    "K, M or G suffix, from 1K to 1G, e.g. 16M", kv->value);
		} else if (strcmp(k, "max_items") == 0)
			check_count(p, kv, CONF_MAX_ITEMS_MAX, &c->max_items);
		else if (strcmp(k, "max_age") == 0)
			check_duration(p, kv, &c->max_age);
		else if (strcmp(k, "settle") == 0) {
			/* 0 is allowed (write at once); an hour bounds how stale an alert gets. */
			if (conf_parse_duration(kv->value, &c->settle) == -1 ||
			    c->settle > SETTLE_MAX)
				conf_error(p, kv->line, "bad settle \"%s\": use 0 or a duration up "
				    "to 1h, e.g. 2m", kv->value);
		}
		else if (strcmp(k, "retention") == 0)
			check_duration(p, kv, &c->retention);
		else if (strcmp(k, "max_popups_per_minute") == 0)
			check_count(p, kv, 1000, &c->max_popups_per_minute);
		else if (strcmp(k, "max_critical_popups_per_minute") == 0)
			check_count(p, kv, 1000, &c->max_critical_popups_per_minute);
		else if (strcmp(k, "sticky_critical") == 0) {
			if (parse_bool(kv->value, &c->sticky_critical) == -1)
				conf_error(p, kv->line, "bad sticky_critical \"%s\": use yes or no "
				    "(also true/false, on/off, 1/0)", kv->value);
		}
		else if (strcmp(k, "exec_timeout") == 0)
			check_duration(p, kv, &c->exec_timeout);
		else if (strcmp(k, "exec_max") == 0)
			check_count(p, kv, 64, &c->exec_max);
		else if (strcmp(k, "gazetteer") == 0) {
			p->gaz_value = kv->value;
			p->gaz_line = kv->line;
		} else if (strcmp(k, "targets") == 0)
			p->targets_kv = kv;
	}
}

static void
apply_feed(struct parser *p, struct conf *c, const struct section *s)
{
	static const char *const fetch_articles[] = { "no", "yes", "short", NULL };
	struct conf_feed *f;
	const struct kv	*kv;
	size_t		 i;
	int		 had_url = 0, v;

	c->feeds = xreallocarray(c->feeds, c->nfeeds + 1, sizeof(*c->feeds));
	f = &c->feeds[c->nfeeds++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(s->name);
	f->interval = c->interval;
	f->max_items = c->max_items;
	f->max_articles = CONF_MAX_ARTICLES;
	f->line = s->line;
	for (i = 0; i < s->nkvs; i++) {
		kv = &s->kvs[i];
		if (strcmp(kv->def->key, "url") == 0) {
			had_url = 1;
			if (!url_ok(kv->value))
				conf_error(p, kv->line, "bad url \"%s\" for feed %s: expected "
				    "http://HOST/... or https://HOST/...", kv->value, s->name);
			else
				f->url = xstrdup(kv->value);
		} else if (strcmp(kv->def->key, "interval") == 0)
			check_duration(p, kv, &f->interval);
		else if (strcmp(kv->def->key, "max_items") == 0)
			check_count(p, kv, CONF_MAX_ITEMS_MAX, &f->max_items);
		else if (strcmp(kv->def->key, "fetch_article") == 0) {
			if ((v = parse_enum(kv->value, fetch_articles)) == -1)
				conf_error(p, kv->line, "bad fetch_article \"%s\" for feed %s: use no, "
				    "yes or short", kv->value, s->name);
			else
				f->fetch_article = (enum fetch_article)v;
		} else if (strcmp(kv->def->key, "max_articles") == 0)
			check_count(p, kv, 1000, &f->max_articles);
		else if (strcmp(kv->def->key, "tags") == 0) {
			strv_free(f->tags, f->ntags);
			split_list(kv->value, &f->tags, &f->ntags);
		}
	}
	/* A bad url line was reported already; a missing one is reported here. */
	if (!had_url)
		conf_error(p, s->line, "feed %s has no url: add url = https://...", s->name);
}

long
conf_entity_find(const struct conf *c, enum entity_kind kind, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nentities; i++)
		if (c->entities[i].kind == kind && strcasecmp(c->entities[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Adds alias unless the entity has it already; 1 if added. flags: CONF_ALIAS_*. */
static int
add_alias_flags(struct conf_entity *e, const char *alias, unsigned flags)
{
	size_t	 i;

	for (i = 0; i < e->naliases; i++)
		if (strcmp(e->aliases[i], alias) == 0)
			return 0;
	strv_push(&e->aliases, &e->naliases, alias);
	if (flags != 0 && e->alias_flags == NULL)
		e->alias_flags = xcalloc(e->naliases, 1);
	else if (e->alias_flags != NULL)
		e->alias_flags = xreallocarray(e->alias_flags, e->naliases, 1);
	if (e->alias_flags != NULL)
		e->alias_flags[e->naliases - 1] = (unsigned char)flags;
	return 1;
}

static void
add_alias(struct conf_entity *e, const char *alias)
{
	add_alias_flags(e, alias, 0);
}

static size_t
add_entity(struct conf *c, enum entity_kind kind, const char *name, int declared, int line)
{
	struct conf_entity *e;

	c->entities = xreallocarray(c->entities, c->nentities + 1, sizeof(*c->entities));
	e = &c->entities[c->nentities];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->kind = kind;
	e->in = -1;
	e->declared = declared;
	e->line = line;
	add_alias(e, name);
	return c->nentities++;
}

int
conf_alias_ok(const char *a)
{
	size_t	 n = strlen(a);

	if (n > 0 && a[n - 1] == '*')
		n--;
	if (n == 0)
		return 0;
	if (a[0] == '"' || a[n - 1] == '"')
		return n >= 3 && a[0] == '"' && a[n - 1] == '"';
	return 1;
}

/* "YYYY-MM-DD", digits where they belong (actors.conf's from and until). */
static int
date_ok(const char *s)
{
	size_t	 i;

	if (strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Code points in s[0..n). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/*
 * Gives entity ei the names of gazetteer entry gi: "=" names in quotes (exact), "~" names in
 * quotes and weak; place names of two letters or fewer are never used (too many collisions). An
 * actor's aliases are taken as written. All are CONF_ALIAS_PROPER: news writes names with their
 * capitals, and most lower-case look-alikes are words (mali, хама, вена).
 */
static void
builtin_link(struct parser *p, struct conf *c, size_t ei, size_t gi)
{
	const struct gaz_entry *ge = &p->gaz->e[gi];
	struct conf_entity *e = &c->entities[ei];
	struct gaz_name	 nm;
	size_t		 pos = 0;
	char		*a;

	p->gmap[gi] = (uint32_t)ei + 1;
	free(e->builtin_id);
	e->builtin_id = xstrdup(ge->id);
	e->builtin_kind = ge->kind;
	snprintf(e->builtin_cc, sizeof(e->builtin_cc), "%s", ge->cc);
	e->builtin_person = ge->kind == GAZ_ACTOR && ge->akind != NULL &&
	    (strcmp(ge->akind, "head-of-state") == 0 ||
	    strcmp(ge->akind, "head-of-government") == 0 || strcmp(ge->akind, "state-leader") == 0);
	while (gaz_name_next(p->gaz, gi, &pos, &nm)) {
		if (ge->kind != GAZ_ACTOR && utf8_chars(nm.s, nm.len) <= 2)
			continue;
		if (ge->kind != GAZ_ACTOR &&
		    (nm.flag == GAZ_NAME_WEAK || nm.flag == GAZ_NAME_EXACT))
			a = xasprintf("\"%.*s\"", (int)nm.len, nm.s);
		else
			a = xstrndup(nm.s, nm.len);
		if (conf_alias_ok(a))
			e->builtin_names += (size_t)add_alias_flags(e, a, CONF_ALIAS_PROPER |
			    (nm.flag == GAZ_NAME_WEAK ? CONF_ALIAS_WEAK : 0) |
			    (nm.flag == GAZ_NAME_NOT ? CONF_ALIAS_NOT : 0) |
			    (nm.person ? CONF_ALIAS_PERSON : 0) |
			    (nm.persian ? CONF_ALIAS_PERSIAN : 0) |
			    (nm.shared ? CONF_ALIAS_SHARED : 0));
		free(a);
	}
}

/*
 * A new entity for gazetteer entry gi: named by its display name, with only the gazetteer's
 * names as aliases (see conf_entity). declared: 2 when a rule named it, 3 when it comes in as
 * a place inside or around one.
 */
static size_t
builtin_entity(struct parser *p, struct conf *c, size_t gi, int declared, int line)
{
	const struct gaz_entry *ge = &p->gaz->e[gi];
	size_t		 ei;

	ei = add_entity(c, ge->kind == GAZ_ACTOR ? ENTITY_ACTOR : ENTITY_PLACE, ge->name,
	    declared, line);
	strv_free(c->entities[ei].aliases, c->entities[ei].naliases);
	c->entities[ei].aliases = NULL;
	c->entities[ei].naliases = 0;
	builtin_link(p, c, ei, gi);
	return ei;
}

/*
 * The places around a built-in place, up to its country, so that a weak name can find its
 * context (match.c compiles them only for that); each becomes the "in" of the one inside it
 * unless a section said otherwise.
 */
static void
builtin_containers(struct parser *p, struct conf *c, size_t ei)
{
	const struct gaz_entry *ge;
	long		 gi;
	size_t		 pe;

	while (c->entities[ei].in == -1 && c->entities[ei].builtin_id != NULL &&
	    c->entities[ei].builtin_kind != GAZ_ACTOR) {
		gi = gaz_find_id(p->gaz, c->entities[ei].builtin_id);
		if (gi == -1 || (ge = &p->gaz->e[gi])->parent < 0)
			return;
		if (p->gmap[ge->parent] != 0)
			pe = p->gmap[ge->parent] - 1;
		else
			pe = builtin_entity(p, c, (size_t)ge->parent, 3, c->entities[ei].line);
		if (pe == ei)
			return;
		c->entities[ei].in = (long)pe;
		ei = pe;
	}
}

/*
 * Every place inside built-in place entity ei becomes a place "in" it (or in the one between), so
 * a rule naming Syria fires on Aleppo. A place a section declared keeps its own "in" if it has
 * one. Only what rules name is expanded: the rest of the world is never compiled.
 */
static void
builtin_expand(struct parser *p, struct conf *c, size_t ei)
{
	const struct gaz_entry *ge;
	size_t		*stack, n = 0, cap = 64, pe, ce;
	uint32_t	 k, child;
	long		 gi;

	if (c->entities[ei].builtin_id == NULL || c->entities[ei].builtin_kind == GAZ_ACTOR ||
	    (gi = gaz_find_id(p->gaz, c->entities[ei].builtin_id)) == -1)
		return;
	stack = xcalloc(cap, sizeof(*stack));
	stack[n++] = (size_t)gi;
	while (n > 0) {
		ge = &p->gaz->e[stack[--n]];
		pe = p->gmap[stack[n]] - 1;
		for (k = 0; k < ge->nchild; k++) {
			child = p->gaz->children[ge->child + k];
			if (p->gmap[child] != 0) {
				ce = p->gmap[child] - 1;
				if (c->entities[ce].in == -1 && ce != pe)
					c->entities[ce].in = (long)pe;
			} else {
				ce = builtin_entity(p, c, child, 3, c->entities[ei].line);
				c->entities[ce].in = (long)pe;
			}
			if (p->gaz->e[child].nchild > 0) {
				if (n == cap) {
					cap *= 2;
					stack = xreallocarray(stack, cap, sizeof(*stack));
				}
				stack[n++] = child;
			}
		}
	}
	free(stack);
}

/*
 * gazetteer = yes (the default), no or a directory. yes without data is a warning when written
 * (the program then knows only what the file declares) and silent when left out; a directory
 * that cannot be read is an error.
 */
static void
gazetteer_open(struct parser *p, struct conf *c, const char *dir)
{
	const char	*d = NULL;
	char		 err[512], *path = NULL;
	int		 on = 1;

	if (p->gaz_value != NULL && parse_bool(p->gaz_value, &on) == -1) {
		if (*p->gaz_value == '\0') {
			conf_error(p, p->gaz_line, "gazetteer is empty: use yes, no or the "
			    "directory that holds %s", GAZ_PLACES_FILE);
			return;
		}
		path = resolve_path(dir, p->gaz_value);
		d = path;
	} else if (!on)
		return;
	else if ((d = gaz_default_dir()) == NULL) {
		if (p->gaz_value != NULL)
			conf_warn(p, p->gaz_line, "gazetteer = yes, but no %s in %s%s%s: only "
			    "the places and actors this file declares are known",
			    GAZ_PLACES_FILE, NW_GAZ_DIRS);
		return;
	}
	if (gaz_load(d, &p->gaz, err, sizeof(err)) == -1) {
		if (path != NULL)
			conf_error(p, p->gaz_line, "gazetteer: %s", err);
		else
			conf_warn(p, p->gaz_line, "gazetteer: %s: built-in places and actors "
			    "are off", err);
		p->gaz = NULL;
	} else {
		c->gazetteer = xstrdup(d);
		p->gmap = xcalloc(p->gaz->n ? p->gaz->n : 1, sizeof(*p->gmap));
	}
	free(path);
}

static void
apply_entity(struct parser *p, struct conf *c, const struct section *s,
    struct place_in **ins, size_t *nins)
{
	enum entity_kind kind = s->kind == SEC_ACTOR ? ENTITY_ACTOR : ENTITY_PLACE;
	const struct kv	*kv;
	char		**items;
	size_t		 i, j, nitems, idx;
	long		 g;
	int		 builtin = 1;

	idx = add_entity(c, kind, s->name, 1, s->line);
	for (i = 0; i < s->nkvs; i++) {
		kv = &s->kvs[i];
		if (strcmp(kv->def->key, "aliases") == 0) {
			split_list(kv->value, &items, &nitems);
			for (j = 0; j < nitems; j++) {
				if (!conf_alias_ok(items[j]))
					conf_error(p, kv->line, "bad alias %s in %s: a quoted alias "
					    "needs text between its quotes, and * goes at the end "
					    "of a word", items[j], s->name);
				else
					add_alias(&c->entities[idx], items[j]);
			}
			strv_free(items, nitems);
		} else if (strcmp(kv->def->key, "in") == 0) {
			split_list(kv->value, &items, &nitems);
			if (nitems != 1)
				conf_error(p, kv->line, "in = names one place, the one that "
				    "contains %s", s->name);
			else {
				*ins = xreallocarray(*ins, *nins + 1, sizeof(**ins));
				(*ins)[*nins].entity = idx;
				(*ins)[*nins].name = xstrdup(items[0]);
				(*ins)[*nins].line = kv->line;
				(*nins)++;
			}
			strv_free(items, nitems);
		} else if (strcmp(kv->def->key, "builtin") == 0) {
			if (parse_bool(kv->value, &builtin) == -1)
				conf_error(p, kv->line, "bad builtin \"%s\": use yes (add the "
				    "built-in names of %s) or no", kv->value, s->name);
		} else if (strcmp(kv->def->key, "country") == 0) {
			if (strlen(kv->value) != 2 || kv->value[0] < 'A' || kv->value[0] > 'Z' ||
			    kv->value[1] < 'A' || kv->value[1] > 'Z')
				conf_error(p, kv->line, "bad country \"%s\": use an ISO 3166-1 "
				    "code such as SY", kv->value);
		} else if (strcmp(kv->def->key, "from") == 0 ||
		    strcmp(kv->def->key, "until") == 0) {
			if (!date_ok(kv->value))
				conf_error(p, kv->line, "bad %s \"%s\": use YYYY-MM-DD",
				    kv->def->key, kv->value);
		}
	}
	if (builtin && p->gaz != NULL &&
	    (g = gaz_find(p->gaz, s->name, kind == ENTITY_ACTOR)) != -1 && p->gmap[g] == 0)
		builtin_link(p, c, idx, (size_t)g);
}

static const char *
kind_name(enum entity_kind kind)
{
	return kind == ENTITY_ACTOR ? "an actor" : kind == ENTITY_PLACE ? "a place" : "a keyword";
}

/* Names longer than this get no "did you mean": the distance below is quadratic in length. */
#define SUGGEST_MAX_BYTES	64

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * The optimal string alignment distance between a[0..n) and b[0..m) (insertions, deletions,
 * substitutions and swaps of neighbours each count 1), ASCII case ignored, on bytes: an accent
 * in UTF-8 costs 2, which the limit of 2 still allows once. Stops early with max + 1. n and m
 * are at most SUGGEST_MAX_BYTES.
 */
static size_t
edit_distance(const char *a, size_t n, const char *b, size_t m, size_t max)
{
	size_t	 rows[3][SUGGEST_MAX_BYTES + 1], *pp = rows[0], *p1 = rows[1], *cur = rows[2], *t;
	size_t	 i, j, v, rowmin;

	for (j = 0; j <= m; j++)
		p1[j] = j;
	for (i = 1; i <= n; i++) {
		cur[0] = rowmin = i;
		for (j = 1; j <= m; j++) {
			v = p1[j - 1] + (ascii_lower(a[i - 1]) != ascii_lower(b[j - 1]));
			if (p1[j] + 1 < v)
				v = p1[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
			    ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]) && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
		t = pp;
		pp = p1;
		p1 = cur;
		cur = t;
	}
	return p1[m];
}

/*
 * An alias without its quotes and trailing '*': where the text starts, and its length. match.c's
 * put_name does the same for messages; it does not link conf.c, so each keeps its few lines.
 */
static const char *
bare_name(const char *s, size_t *len)
{
	size_t	 n = strlen(s);

	if (n > 0 && s[n - 1] == '*')
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	*len = n;
	return s;
}

/*
 * The declared entity of that kind whose name or one of whose aliases is closest to name, within
 * 2 edits (1 for names of 5 to 7 bytes, none under 5: "Iran" is no typo of "Iraq"); NULL if none.
 * *alias is the alias that came closest.
 */
static const struct conf_entity *
suggest_entity(const struct conf *c, enum entity_kind kind, const char *name, const char **alias)
{
	const struct conf_entity *e, *best = NULL;
	const char	*bn, *ba;
	size_t		 i, j, n, na, max, d, bestd;

	bn = bare_name(name, &n);
	if (n == 0 || n > SUGGEST_MAX_BYTES)
		return NULL;
	max = n <= 4 ? 0 : n <= 7 ? 1 : 2;
	bestd = max + 1;
	for (i = 0; i < c->nentities; i++) {
		e = &c->entities[i];
		if (e->kind != kind || !e->declared)
			continue;
		for (j = 0; j < e->naliases; j++) {
			ba = bare_name(e->aliases[j], &na);
			if (na > SUGGEST_MAX_BYTES || (na > n ? na - n : n - na) >= bestd)
				continue;
			if ((d = edit_distance(bn, n, ba, na, bestd - 1)) < bestd) {
				best = e;
				bestd = d;
				*alias = e->aliases[j];
			}
		}
	}
	return best;
}

/*
 * A rule (or an "in =") names an entity no section declares: legal, it is its own only alias,
 * but a typo of a declared name would silently match nothing, so say so with the likely name.
 */
static void
warn_undeclared(struct parser *p, const struct conf *c, enum entity_kind kind, const char *name,
    const char *where, int line)
{
	const struct conf_entity *e;
	const char	*alias = NULL;
	char		 hint[2 * NAME_MAX_BYTES + 64] = "";

	if ((e = suggest_entity(c, kind, name, &alias)) != NULL) {
		if (alias != e->aliases[0])
			snprintf(hint, sizeof(hint), "; did you mean %s (alias %s)?", e->name, alias);
		else
			snprintf(hint, sizeof(hint), "; did you mean %s?", e->name);
	}
	conf_warn(p, line, "%s names %s, which no [%s] section declares: it matches only "
	    "itself%s", where, name, kind == ENTITY_ACTOR ? "actor" : "place", hint);
}

/*
 * The entity of that kind and name, made implicit if no section declared it (with a warning);
 * -1 if the name belongs to a declared entity of the other kind (a place listed under actors is
 * a mistake).
 */
static long
resolve_entity(struct parser *p, struct conf *c, enum entity_kind kind, const char *name,
    const char *where, int line)
{
	long	 i, other;

	if ((i = conf_entity_find(c, kind, name)) != -1) {
		if (kind != ENTITY_TERM && !c->entities[i].declared)
			warn_undeclared(p, c, kind, name, where, line);
		return i;
	}
	if (kind != ENTITY_TERM) {
		other = conf_entity_find(c, kind == ENTITY_ACTOR ? ENTITY_PLACE : ENTITY_ACTOR, name);
		if (other != -1 && c->entities[other].declared) {
			conf_error(p, line, "%s names %s, which is %s (line %d), not %s", where,
			    name, kind_name(c->entities[other].kind), c->entities[other].line,
			    kind_name(kind));
			return -1;
		}
	}
	if (!conf_alias_ok(name)) {
		conf_error(p, line, "bad name %s in %s: a quoted word needs text between its "
		    "quotes, and * goes at the end", name, where);
		return -1;
	}
	/* A built-in entry: by its display name or any of its names (Suriye is Syria). */
	if (kind != ENTITY_TERM && p->gaz != NULL &&
	    (i = gaz_find(p->gaz, name, kind == ENTITY_ACTOR)) != -1) {
		if (p->gmap[i] != 0) {
			if (c->entities[p->gmap[i] - 1].kind == kind)
				return (long)p->gmap[i] - 1;
		} else
			return (long)builtin_entity(p, c, (size_t)i, 2, line);
	}
	if (kind != ENTITY_TERM)
		warn_undeclared(p, c, kind, name, where, line);
	return (long)add_entity(c, kind, name, 0, line);
}

/* Adds the entities a rule's list names to *out; returns how many names were rejected. */
static size_t
resolve_list(struct parser *p, struct conf *c, const struct kv *kv, enum entity_kind kind,
    const char *rule, size_t **out, size_t *nout)
{
	char	**items, where[NAME_MAX_BYTES + 32];
	size_t	 i, j, nitems, bad = 0;
	long	 e;

	snprintf(where, sizeof(where), "rule %s: %s", rule, kv->def->key);
	split_list(kv->value, &items, &nitems);
	for (i = 0; i < nitems; i++) {
		if ((e = resolve_entity(p, c, kind, items[i], where, kv->line)) == -1) {
			bad++;
			continue;
		}
		for (j = 0; j < *nout; j++)
			if ((*out)[j] == (size_t)e)
				break;
		if (j < *nout)
			continue;
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = (size_t)e;
	}
	strv_free(items, nitems);
	return bad;
}

/* "sentence", "12 words" or "1 word". */
static int
parse_within(const char *s, struct conf_rule *r)
{
	unsigned long long v;
	const char	*end;

	if (strcmp(s, "sentence") == 0) {
		r->within_sentence = 1;
		return 0;
	}
	if (parse_number(s, &end, 1000, &v) == -1 || v == 0 || !is_space((unsigned char)*end))
		return -1;
	while (is_space((unsigned char)*end))
		end++;
	if (strcmp(end, "words") != 0 && strcmp(end, "word") != 0)
		return -1;
	r->within = (unsigned)v;
	return 0;
}

/* Targets. */

static const char *const target_types[] = { "webhook", "ntfy", "matrix", "slack", "email", "mqtt",
	NULL };

const char *
conf_target_type_name(enum target_type t)
{
	return (unsigned)t < sizeof(target_types) / sizeof(target_types[0]) - 1 ?
	    target_types[t] : "?";
}

const struct conf_target *
conf_target_find(const struct conf *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

static void
target_free(struct conf_target *t)
{
	free(t->name);
	if (t->url != NULL && t->url_secret)
		explicit_bzero(t->url, strlen(t->url));
	free(t->url);
	strv_free(t->headers, t->nheaders);
	if (t->secret != NULL)
		explicit_bzero(t->secret, strlen(t->secret));
	free(t->secret);
	free(t->secret_from);
	free(t->room);
	free(t->from);
	strv_free(t->to, t->nto);
	free(t->user);
	free(t->topic);
	free(t->ca_file);
}

/* scheme://host...: one of the schemes given (either case), a host, no space or control. */
static int
url_scheme_ok(const char *u, const char *const *schemes)
{
	const char	*rest = NULL;
	size_t		 i, n;

	for (i = 0; schemes[i] != NULL && rest == NULL; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(u, schemes[i], n) == 0 && strncmp(u + n, "://", 3) == 0)
			rest = u + n + 3;
	}
	if (rest == NULL || *rest == '\0' || *rest == '/' || *rest == '?' || *rest == '#')
		return 0;
	for (; *u != '\0'; u++)
		if ((unsigned char)*u <= ' ' || *u == 0x7f)
			return 0;
	return 1;
}

/* "HH:MM" into minutes after midnight: 0 or -1. */
static int
parse_hhmm(const char *s, const char **end, unsigned *minutes)
{
	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	*minutes = (unsigned)((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (unsigned)((s[3] - '0') * 10 + (s[4] - '0'));
	*end = s + 5;
	return *minutes < 24 * 60 ? 0 : -1;
}

/*
 * A secret from a file (its whole content, one trailing newline dropped) or an environment
 * variable. Only where it came from is ever printed. A file others may read is a warning, not
 * an error: the user decides, but should know.
 */
static void
read_secret(struct parser *p, const struct kv *kv, const char *dir, const char *target,
    char **value, char **from)
{
	const char	*k = kv->def->key;
	char		*path, buf[CONF_SECRET_MAX + 2];
	struct stat	 st;
	size_t		 n;
	FILE		*fp;
	const char	*e;

	if (*value != NULL) {
		conf_error(p, kv->line, "target %s: %s given twice (by %s): give one *_file or "
		    "*_env", target, strncmp(k, "url", 3) == 0 ? "the url" : "a secret", k);
		return;
	}
	if (strstr(k, "_env") != NULL) {
		if ((e = getenv(kv->value)) == NULL || *e == '\0') {
			conf_error(p, kv->line, "target %s: %s: the environment variable %s is "
			    "not set", target, k, kv->value);
			return;
		}
		if (strlen(e) > CONF_SECRET_MAX) {
			conf_error(p, kv->line, "target %s: %s: %s is longer than %d bytes",
			    target, k, kv->value, CONF_SECRET_MAX);
			return;
		}
		*value = xstrdup(e);
		*from = xasprintf("environment %s", kv->value);
		return;
	}
	path = resolve_path(dir, kv->value);
	if ((fp = fopen(path, "r")) == NULL) {
		conf_error(p, kv->line, "target %s: %s %s: %s", target, k, path, strerror(errno));
		free(path);
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077) != 0)
		conf_warn(p, kv->line, "target %s: %s %s can be read by other users (chmod 600 "
		    "it)", target, k, path);
	fclose(fp);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == 0 || n > CONF_SECRET_MAX || strlen(buf) != n || strpbrk(buf, "\r\n") != NULL)
		conf_error(p, kv->line, "target %s: %s %s: expected one line of 1 to %d bytes",
		    target, k, path, CONF_SECRET_MAX);
	else {
		*value = xstrdup(buf);
		*from = xasprintf("file %s", path);
	}
	explicit_bzero(buf, sizeof(buf));
	free(path);
}

/*
 * ca_file: the PEM file of CA certificates a TLS target trusts instead of the system's. It is
 * read now, as far as to see it opens: a typo is a load error rather than a TLS failure at
 * the first alert. What is in it is left to the TLS library, which reads it at each connect.
 */
static void
check_ca_file(struct parser *p, const struct kv *kv, const char *dir, const char *target,
    char **out)
{
	struct stat	 st;
	char		*path;
	FILE		*fp;

	path = resolve_path(dir, kv->value);
	if ((fp = fopen(path, "r")) == NULL) {
		conf_error(p, kv->line, "target %s: ca_file %s: %s", target, path,
		    strerror(errno));
		free(path);
		return;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode)) {
		conf_error(p, kv->line, "target %s: ca_file %s: not a regular file", target,
		    path);
		fclose(fp);
		free(path);
		return;
	}
	fclose(fp);
	free(*out);
	*out = path;
}

/* Which keys each type takes, besides type, url, digest, quiet and max_backlog. */
static int
target_key_ok(enum target_type type, const char *k)
{
	static const char *const webhook[] = { "headers", "secret_file", "secret_env", NULL };
	static const char *const ntfy[] = { "token_file", "token_env", NULL };
	static const char *const matrix[] = { "room", "token_file", "token_env", NULL };
	static const char *const slack[] = { NULL };
	static const char *const email[] = { "from", "to", "user", "password_file",
	    "password_env", "ca_file", NULL };
	static const char *const mqtt[] = { "topic", "user", "password_file", "password_env",
	    "ca_file", NULL };
	static const char *const *const keys[] = { webhook, ntfy, matrix, slack, email, mqtt };

	if (strcmp(k, "type") == 0 || strncmp(k, "url", 3) == 0 || strcmp(k, "digest") == 0 ||
	    strcmp(k, "quiet") == 0 || strcmp(k, "max_backlog") == 0 || strcmp(k, "retry") == 0)
		return 1;
	return parse_enum(k, keys[type]) != -1;
}

static void
apply_target(struct parser *p, struct conf *c, const struct section *s, const char *dir)
{
	static const char *const http[] = { "http", "https", NULL };
	static const char *const smtp[] = { "smtp", "smtps", NULL };
	static const char *const mqtt[] = { "mqtt", "mqtts", NULL };
	static const char *const *const schemes[] = { http, http, http, http, smtp, mqtt };
	struct conf_target *t;
	const struct kv	*kv, *type_kv = NULL;
	const char	*k, *end;
	char		*url = NULL, *url_from = NULL;
	size_t		 i, j;
	int		 v;

	for (i = 0; i < s->nkvs; i++)
		if (strcmp(s->kvs[i].def->key, "type") == 0)
			type_kv = &s->kvs[i];
	if (type_kv == NULL) {
		conf_error(p, s->line, "target %s has no type: add type = webhook, ntfy, matrix, "
		    "slack, email or mqtt", s->name);
		return;
	}
	if ((v = parse_enum(type_kv->value, target_types)) == -1) {
		conf_error(p, type_kv->line, "bad type \"%s\" for target %s: use webhook, ntfy, "
		    "matrix, slack, email or mqtt", type_kv->value, s->name);
		return;
	}
	if (c->ntargets == CONF_TARGETS_MAX) {
		conf_error(p, s->line, "too many targets: at most %d", CONF_TARGETS_MAX);
		return;
	}
	c->targets = xreallocarray(c->targets, c->ntargets + 1, sizeof(*c->targets));
	t = &c->targets[c->ntargets++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(s->name);
	t->type = (enum target_type)v;
	t->max_backlog = 1000;
	t->line = s->line;
	for (i = 0; i < s->nkvs; i++) {
		kv = &s->kvs[i];
		k = kv->def->key;
		if (!target_key_ok(t->type, k)) {
			conf_error(p, kv->line, "target %s: a %s target takes no %s", s->name,
			    target_types[t->type], k);
		} else if (strcmp(k, "url") == 0) {
			if (!url_scheme_ok(kv->value, schemes[t->type]))
				conf_error(p, kv->line, "bad url \"%s\" for target %s: expected "
				    "%s://HOST... or %s://HOST...", kv->value, s->name,
				    schemes[t->type][0], schemes[t->type][1]);
			else {
				free(t->url);
				t->url = xstrdup(kv->value);
			}
		} else if (strcmp(k, "headers") == 0) {
			strv_free(t->headers, t->nheaders);
			split_list(kv->value, &t->headers, &t->nheaders);
			if (t->nheaders > CONF_HEADERS_MAX)
				conf_error(p, kv->line, "target %s: at most %d headers", s->name,
				    CONF_HEADERS_MAX);
			for (j = 0; j < t->nheaders; j++) {
				const char *colon = strchr(t->headers[j], ':');

				if (colon == NULL || colon == t->headers[j] ||
				    strcspn(t->headers[j], " \t") < (size_t)(colon - t->headers[j]))
					conf_error(p, kv->line, "target %s: bad header \"%s\": use "
					    "Name: value", s->name, t->headers[j]);
			}
		} else if (strcmp(k, "url_file") == 0 || strcmp(k, "url_env") == 0) {
			/* A URL that is itself a secret (a Slack hook, a token in a query). */
			read_secret(p, kv, dir, s->name, &url, &url_from);
			if (url != NULL && !url_scheme_ok(url, schemes[t->type]))
				conf_error(p, kv->line, "target %s: the url in %s %s is not %s:// "
				    "or %s://HOST...", s->name, k, kv->value, schemes[t->type][0],
				    schemes[t->type][1]);
			else if (url != NULL) {
				free(t->url);
				t->url = xstrdup(url);
				t->url_secret = 1;
			}
		} else if (strcmp(k, "ca_file") == 0) {
			check_ca_file(p, kv, dir, s->name, &t->ca_file);
		} else if (strstr(k, "_file") != NULL || strstr(k, "_env") != NULL) {
			read_secret(p, kv, dir, s->name, &t->secret, &t->secret_from);
		} else if (strcmp(k, "room") == 0) {
			free(t->room);
			t->room = xstrdup(kv->value);
		} else if (strcmp(k, "from") == 0) {
			free(t->from);
			t->from = xstrdup(kv->value);
		} else if (strcmp(k, "to") == 0) {
			strv_free(t->to, t->nto);
			split_list(kv->value, &t->to, &t->nto);
			if (t->nto > CONF_TO_MAX)
				conf_error(p, kv->line, "target %s: at most %d addresses in to",
				    s->name, CONF_TO_MAX);
		} else if (strcmp(k, "user") == 0) {
			free(t->user);
			t->user = xstrdup(kv->value);
		} else if (strcmp(k, "topic") == 0) {
			free(t->topic);
			t->topic = xstrdup(kv->value);
		} else if (strcmp(k, "digest") == 0) {
			t->digest = 0;
			t->digest_daily = 0;
			if (strncmp(kv->value, "daily ", 6) == 0) {
				if (parse_hhmm(kv->value + 6, &end, &t->digest_at) == -1 ||
				    *end != '\0')
					conf_error(p, kv->line, "bad digest \"%s\": use a duration "
					    "(1h) or daily HH:MM", kv->value);
				else
					t->digest_daily = 1;
			} else if (conf_parse_duration(kv->value, &t->digest) == -1 ||
			    t->digest < CONF_DIGEST_MIN)
				conf_error(p, kv->line, "bad digest \"%s\": use a duration of at "
				    "least %ds (e.g. 1h) or daily HH:MM", kv->value,
				    CONF_DIGEST_MIN);
		} else if (strcmp(k, "quiet") == 0) {
			if (parse_hhmm(kv->value, &end, &t->quiet_from) == -1 || *end != '-' ||
			    parse_hhmm(end + 1, &end, &t->quiet_to) == -1 || *end != '\0' ||
			    t->quiet_from == t->quiet_to)
				conf_error(p, kv->line, "bad quiet \"%s\": use HH:MM-HH:MM, e.g. "
				    "22:00-07:00", kv->value);
			else
				t->quiet = 1;
		} else if (strcmp(k, "max_backlog") == 0)
			check_count(p, kv, 1000000, &t->max_backlog);
		else if (strcmp(k, "retry") == 0) {
			if (check_duration(p, kv, &t->retry) == 0 && t->retry > 3600)
				conf_error(p, kv->line, "retry %s is over the 1h the backoff stops "
				    "at", kv->value);
		}
	}
	if (url != NULL)
		explicit_bzero(url, strlen(url));
	free(url);
	free(url_from);
	/* A bad url line was reported already; a missing one is reported here. */
	for (i = 0; i < s->nkvs && strncmp(s->kvs[i].def->key, "url", 3) != 0; i++)
		;
	if (i == s->nkvs)
		conf_error(p, s->line, "target %s has no url", s->name);
	if (t->type == TARGET_MATRIX && (t->room == NULL || t->secret == NULL))
		conf_error(p, s->line, "target %s: a matrix target needs room = !ID:SERVER and "
		    "token_file (or token_env)", s->name);
	if (t->type == TARGET_EMAIL && (t->from == NULL || t->nto == 0))
		conf_error(p, s->line, "target %s: an email target needs from = and to =",
		    s->name);
	if (t->type == TARGET_EMAIL && t->from != NULL && strpbrk(t->from, "<>\r\n") != NULL)
		conf_error(p, s->line, "target %s: give from = as a bare address", s->name);
	for (j = 0; j < t->nto; j++)
		if (strpbrk(t->to[j], "<>\r\n") != NULL || strchr(t->to[j], '@') == NULL)
			conf_error(p, s->line, "target %s: bad address \"%s\" in to", s->name,
			    t->to[j]);
	if (t->type == TARGET_MQTT && t->topic == NULL)
		t->topic = xstrdup("newswatch/{rule}");
}

/* A targets = list: each name a [target NAME] section. */
static void
resolve_targets(struct parser *p, struct conf *c, const struct kv *kv, size_t **out,
    size_t *nout)
{
	char	**items;
	size_t	 i, j, nitems;

	split_list(kv->value, &items, &nitems);
	for (i = 0; i < nitems; i++) {
		for (j = 0; j < c->ntargets; j++)
			if (strcmp(c->targets[j].name, items[i]) == 0)
				break;
		if (j == c->ntargets) {
			conf_error(p, kv->line, "unknown target \"%s\": declare it with "
			    "[target %s]", items[i], items[i]);
			continue;
		}
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = j;
	}
	strv_free(items, nitems);
}

static void
apply_rule(struct parser *p, struct conf *c, const struct section *s)
{
	static const char *const modes[] = { "all", "any", NULL };
	static const char *const severities[] = { "low", "normal", "critical", NULL };
	static const char *const fields[] = { "title", "summary", "content", "category",
	    "article", NULL };
	struct conf_rule *r;
	const struct kv	*kv;
	const char	*k;
	char		**items;
	size_t		 i, j, nitems, bad = 0;
	int		 v, surge_line, targets_set = 0;

	c->rules = xreallocarray(c->rules, c->nrules + 1, sizeof(*c->rules));
	r = &c->rules[c->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(s->name);
	r->mode = MATCH_ALL;
	r->severity = SEV_NORMAL;
	r->fields = FIELD_ALL;
	r->surge_window = 3600;
	r->surge_min = 5;
	r->line = s->line;
	surge_line = 0;
	for (i = 0; i < s->nkvs; i++) {
		kv = &s->kvs[i];
		k = kv->def->key;
		if (strcmp(k, "actors") == 0)
			bad += resolve_list(p, c, kv, ENTITY_ACTOR, s->name, &r->actors, &r->nactors);
		else if (strcmp(k, "places") == 0)
			bad += resolve_list(p, c, kv, ENTITY_PLACE, s->name, &r->places, &r->nplaces);
		else if (strcmp(k, "keywords") == 0)
			bad += resolve_list(p, c, kv, ENTITY_TERM, s->name, &r->keywords, &r->nkeywords);
		else if (strcmp(k, "exclude") == 0)
			resolve_list(p, c, kv, ENTITY_TERM, s->name, &r->exclude, &r->nexclude);
		else if (strcmp(k, "match") == 0) {
			if ((v = parse_enum(kv->value, modes)) == -1)
				conf_error(p, kv->line, "bad match \"%s\": use all or any", kv->value);
			else
				r->mode = v ? MATCH_ANY : MATCH_ALL;
		} else if (strcmp(k, "severity") == 0) {
			if ((v = parse_enum(kv->value, severities)) == -1)
				conf_error(p, kv->line, "bad severity \"%s\": use low, normal or "
				    "critical", kv->value);
			else
				r->severity = (enum severity)v;
		} else if (strcmp(k, "feeds") == 0) {
			split_list(kv->value, &items, &nitems);
			for (j = 0; j < nitems; j++) {
				if (conf_feed_find(c, items[j]) == NULL)
					conf_error(p, kv->line, "rule %s names unknown feed \"%s\": "
					    "declare it with [feed %s]", s->name, items[j], items[j]);
				else
					strv_push(&r->feeds, &r->nfeeds, items[j]);
			}
			if (nitems == 0)
				conf_error(p, kv->line, "feeds is empty: name feeds, or leave it "
				    "out for all");
			strv_free(items, nitems);
		} else if (strcmp(k, "fields") == 0) {
			split_list(kv->value, &items, &nitems);
			r->fields = 0;
			for (j = 0; j < nitems; j++) {
				if ((v = parse_enum(items[j], fields)) == -1)
					conf_error(p, kv->line, "bad field \"%s\": use title, summary, "
					    "content, category or article", items[j]);
				else
					r->fields |= 1u << v;
			}
			if (nitems == 0)
				conf_error(p, kv->line, "fields is empty: name fields, or leave it "
				    "out for all");
			if (r->fields == 0)
				r->fields = FIELD_ALL;
			strv_free(items, nitems);
		} else if (strcmp(k, "within") == 0) {
			if (parse_within(kv->value, r) == -1)
				conf_error(p, kv->line, "bad within \"%s\": use sentence or N words "
				    "(N from 1 to 1000), e.g. 12 words", kv->value);
		} else if (strcmp(k, "cooldown") == 0) {
			/* 0 is allowed here: no cooldown, as when the key is left out. */
			if (conf_parse_duration(kv->value, &r->cooldown) == -1)
				conf_error(p, kv->line, "bad cooldown \"%s\": use 0, 90, 90s, 10m, "
				    "2h or 1d", kv->value);
		} else if (strcmp(k, "exec") == 0) {
			check_exec(p, kv, s->name, &r->exec);
		} else if (strcmp(k, "targets") == 0) {
			free(r->targets);
			r->targets = NULL;
			r->ntargets = 0;
			resolve_targets(p, c, kv, &r->targets, &r->ntargets);
			targets_set = 1;
		} else if (strcmp(k, "surge") == 0) {
			if (parse_bool(kv->value, &r->surge) == -1)
				conf_error(p, kv->line, "bad surge \"%s\": use yes or no", kv->value);
		} else if (strcmp(k, "surge_window") == 0) {
			surge_line = surge_line ? surge_line : kv->line;
			if (conf_parse_duration(kv->value, &r->surge_window) == -1 ||
			    r->surge_window < CONF_SURGE_WINDOW_MIN ||
			    r->surge_window > CONF_SURGE_WINDOW_MAX)
				conf_error(p, kv->line, "bad surge_window \"%s\": use a duration "
				    "from 5m to 1d, e.g. 1h", kv->value);
		} else if (strcmp(k, "surge_min") == 0) {
			surge_line = surge_line ? surge_line : kv->line;
			check_count(p, kv, CONF_SURGE_MIN_MAX, &r->surge_min);
		}
	}
	/* A rule without targets = ... takes the [newswatch] default (targets = with nothing
	 * after it is the way to opt out of it). */
	if (!targets_set && p->default_targets != NULL) {
		r->targets = xreallocarray(NULL, p->ndefault_targets, sizeof(*r->targets));
		memcpy(r->targets, p->default_targets, p->ndefault_targets * sizeof(*r->targets));
		r->ntargets = p->ndefault_targets;
	}
	/* Settings for a surge that is off are most likely a forgotten "surge = yes". */
	if (surge_line && !r->surge)
		conf_warn(p, surge_line, "rule %s sets surge_window or surge_min without "
		    "surge = yes: no surge alerts", s->name);
	/* A rule whose only names were rejected has had its error already. */
	if (r->nactors == 0 && r->nplaces == 0 && r->nkeywords == 0 && bad == 0)
		conf_error(p, s->line, "rule %s names nothing to match: give actors, places or "
		    "keywords", s->name);
}

/* Sets each place's "in", then walks every chain once to find cycles. */
static void
resolve_places(struct parser *p, struct conf *c, struct place_in *ins, size_t nins)
{
	enum { WHITE, GREY, BLACK } *color;
	struct buf	 chain;
	char		 where[NAME_MAX_BYTES + 32];
	size_t		 i, start;
	long		 e, k;

	for (i = 0; i < nins; i++) {
		snprintf(where, sizeof(where), "place %s: in", c->entities[ins[i].entity].name);
		e = resolve_entity(p, c, ENTITY_PLACE, ins[i].name, where, ins[i].line);
		c->entities[ins[i].entity].in = e;
	}

	/* Colors: WHITE unseen, GREY on the chain being walked, BLACK known to end. */
	color = xcalloc(c->nentities, sizeof(*color));
	for (start = 0; start < c->nentities; start++) {
		for (e = (long)start; e != -1 && color[e] == WHITE; e = c->entities[e].in)
			color[e] = GREY;
		if (e != -1 && color[e] == GREY) {
			/* e is on a cycle: name it from e round to e, at the line of e's "in =". */
			buf_init(&chain, 4096);
			buf_puts(&chain, c->entities[e].name);
			k = e;
			do {
				k = c->entities[k].in;
				buf_printf(&chain, " in %s", c->entities[k].name);
			} while (k != e);
			for (i = 0; i < nins && ins[i].entity != (size_t)e; i++)
				;
			conf_error(p, i < nins ? ins[i].line : c->entities[e].line,
			    "places contain each other: %s", chain.data);
			buf_free(&chain);
		}
		for (e = (long)start; e != -1 && color[e] == GREY; e = c->entities[e].in)
			color[e] = BLACK;
	}
	free(color);
}

/*
 * An actor with a weak name (~"RSF") counts it only beside a name of its country or of one of
 * its places: those come in as context (declared 3), the country expanded, if no rule named it.
 */
static void
builtin_actor_country(struct parser *p, struct conf *c, size_t ei)
{
	const struct conf_entity *e = &c->entities[ei];
	size_t		 k;
	long		 gi;
	int		 weak = 0;

	for (k = 0; k < e->naliases && e->alias_flags != NULL; k++)
		weak |= (e->alias_flags[k] & CONF_ALIAS_WEAK) != 0;
	if (!weak || e->builtin_cc[0] == '\0' || (gi = gaz_find_id(p->gaz, e->builtin_cc)) == -1 ||
	    p->gmap[gi] != 0)
		return;
	builtin_expand(p, c, builtin_entity(p, c, (size_t)gi, 3, e->line));
}

/*
 * After the rules: the places inside each built-in place a rule names (and the places around
 * every built-in place, for weak names' context). New entities are appended, so the loops run
 * over the entities that existed before.
 */
static void
builtin_places(struct parser *p, struct conf *c)
{
	unsigned char	*named;
	size_t		 i, k, n = c->nentities;

	named = xcalloc(n ? n : 1, 1);
	for (i = 0; i < c->nrules; i++)
		for (k = 0; k < c->rules[i].nplaces; k++)
			named[c->rules[i].places[k]] = 1;
	for (i = 0; i < n; i++)
		if (named[i])
			builtin_expand(p, c, i);
	for (i = 0; i < n; i++)
		if (c->entities[i].kind == ENTITY_PLACE && c->entities[i].builtin_id != NULL)
			builtin_containers(p, c, i);
	/* The country of an actor with weak names, with its places, is their context (match.c). */
	for (i = 0; i < n; i++)
		if (c->entities[i].kind == ENTITY_ACTOR && c->entities[i].builtin_id != NULL)
			builtin_actor_country(p, c, i);
	/* The matcher tells namesakes by them (Moscow, Idaho): only when built-in places are used. */
	for (i = 0; i < c->nentities; i++)
		if (c->entities[i].kind == ENTITY_PLACE && c->entities[i].builtin_id != NULL) {
			c->nregions = gaz_region_keys(p->gaz, &c->regions);
			break;
		}
	free(named);
}

static void
build(struct parser *p, struct conf *c, const char *dir)
{
	struct place_in	*ins = NULL;
	size_t		 i, nins = 0;

	for (i = 0; i < p->nsecs; i++)
		if (p->secs[i].kind == SEC_MAIN)
			apply_main(p, c, &p->secs[i], dir);
	gazetteer_open(p, c, dir);
	if (c->state_dir == NULL)
		c->state_dir = conf_default_state_dir();
	if (c->alert_log == NULL)
		c->alert_log = xasprintf("%s/alerts.log", c->state_dir);

	for (i = 0; i < p->nsecs; i++)
		if (p->secs[i].kind == SEC_FEED)
			apply_feed(p, c, &p->secs[i]);
	for (i = 0; i < p->nsecs; i++)
		if (p->secs[i].kind == SEC_ACTOR || p->secs[i].kind == SEC_PLACE)
			apply_entity(p, c, &p->secs[i], &ins, &nins);
	resolve_places(p, c, ins, nins);
	for (i = 0; i < p->nsecs; i++)
		if (p->secs[i].kind == SEC_TARGET)
			apply_target(p, c, &p->secs[i], dir);
	if (p->targets_kv != NULL)
		resolve_targets(p, c, p->targets_kv, &p->default_targets, &p->ndefault_targets);
	for (i = 0; i < p->nsecs; i++)
		if (p->secs[i].kind == SEC_RULE)
			apply_rule(p, c, &p->secs[i]);
	if (p->gaz != NULL)
		builtin_places(p, c);

	for (i = 0; i < nins; i++)
		free(ins[i].name);
	free(ins);
}

/* The absolute directory of path (new string); path itself if it cannot be resolved. */
static char *
conf_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *abs;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if ((abs = realpath(dir, NULL)) == NULL)
		return dir;
	free(dir);
	return abs;
}

/* Where the install puts the commented example (the build sets it). */
#ifndef NW_EXAMPLE_CONF
#define NW_EXAMPLE_CONF	"/usr/local/share/doc/newswatch/newswatch.conf"
#endif

/*
 * The default configuration is missing: most likely a first run. Says where it looked and why,
 * and how to start, in two lines (the daemon logs each line on its own).
 */
static void
missing_default(const char *path, FILE *errf)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *slash = strrchr(path, '/');
	char		*example = NULL;
	int		 dirlen = slash != NULL ? (int)(slash - path) : 0;

	/* The installed example, else the one in a source tree we are run from. */
	if (access(NW_EXAMPLE_CONF, R_OK) == 0)
		example = xstrdup(NW_EXAMPLE_CONF);
	else
		example = realpath("conf/newswatch.conf", NULL);
	if (xdg != NULL && xdg[0] == '/')
		fprintf(errf, "%s: no configuration file (looked there because XDG_CONFIG_HOME is "
		    "%s)\n", path, xdg);
	else
		fprintf(errf, "%s: no configuration file (looked there because XDG_CONFIG_HOME is "
		    "unset: ~/.config)\n", path);
	if (example != NULL)
		fprintf(errf, "to start, copy the commented example there and edit it: mkdir -p %.*s "
		    "&& cp %s %s; or pass --config FILE\n", dirlen, path, example, path);
	else
		fprintf(errf, "to start, copy conf/newswatch.conf from the newswatch sources there "
		    "and edit it (mkdir -p %.*s first); or pass --config FILE\n", dirlen, path);
	free(example);
}

int
conf_load(const char *path, struct conf **out, FILE *errf)
{
	struct parser	 p;
	struct conf	*c;
	FILE		*fp;
	const char	*base;
	char		*dir, *dflt;
	int		 err;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.cur = CUR_NONE;
	p.prev_kv = -1;
	if ((fp = fopen(path, "r")) == NULL) {
		err = errno;
		if (errf == NULL)
			return -1;
		dflt = conf_default_path();
		if (err == ENOENT && strcmp(path, dflt) == 0)
			missing_default(path, errf);
		else
			fprintf(errf, "%s: cannot open: %s\n", path, strerror(err));
		free(dflt);
		return -1;
	}
	read_lines(&p, fp);
	fclose(fp);

	c = xcalloc(1, sizeof(*c));
	dir = conf_dir(path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	c->path = xasprintf("%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", base);
	c->alert_format = ALERT_FORMAT_TEXT;
	c->notify = 1;
	c->interval = 600;
	c->first_poll_alert = 0;
	c->max_transfers = 16;
	c->max_host_transfers = 2;
	c->timeout = 60;
	c->max_feed_bytes = 16 * 1024 * 1024;
	c->max_items = 5000;
	c->max_age = 7 * 86400;
	c->retention = 30 * 86400;
	c->max_popups_per_minute = 10;
	c->max_critical_popups_per_minute = 30;
	c->exec_timeout = 30;
	c->exec_max = 4;
	build(&p, c, dir);
	free(dir);

	print_errors(&p, errf);
	if (p.failed) {
		parser_free(&p);
		conf_free(c);
		return -1;
	}
	parser_free(&p);
	*out = c;
	return 0;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfeeds; i++) {
		free(c->feeds[i].name);
		free(c->feeds[i].url);
		strv_free(c->feeds[i].tags, c->feeds[i].ntags);
	}
	free(c->feeds);
	for (i = 0; i < c->nentities; i++) {
		free(c->entities[i].name);
		strv_free(c->entities[i].aliases, c->entities[i].naliases);
		free(c->entities[i].alias_flags);
		free(c->entities[i].builtin_id);
	}
	free(c->entities);
	for (i = 0; i < c->nrules; i++) {
		free(c->rules[i].name);
		free(c->rules[i].actors);
		free(c->rules[i].places);
		free(c->rules[i].keywords);
		free(c->rules[i].exclude);
		strv_free(c->rules[i].feeds, c->rules[i].nfeeds);
		free(c->rules[i].exec);
		free(c->rules[i].targets);
	}
	free(c->rules);
	for (i = 0; i < c->ntargets; i++)
		target_free(&c->targets[i]);
	free(c->targets);
	free(c->path);
	free(c->gazetteer);
	free(c->regions);
	free(c->state_dir);
	free(c->alert_log);
	free(c);
}

const char *
conf_severity_name(enum severity s)
{
	switch (s) {
	case SEV_LOW:
		return "low";
	case SEV_NORMAL:
		return "normal";
	case SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

const struct conf_feed *
conf_feed_find(const struct conf *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nfeeds; i++)
		if (strcmp(c->feeds[i].name, name) == 0)
			return &c->feeds[i];
	return NULL;
}

const struct conf_rule *
conf_rule_find(const struct conf *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nrules; i++)
		if (strcmp(c->rules[i].name, name) == 0)
			return &c->rules[i];
	return NULL;
}

/* "a, b, c" of n names, at most CONF_NAMES_SHOWN of them, for messages. */
static char *
names_joined(const struct conf *c, int rules)
{
	size_t		 i, n = rules ? c->nrules : c->nfeeds;
	struct buf	 b;

	if (n == 0)
		return xstrdup("(none)");
	buf_init(&b, 0);
	for (i = 0; i < n && i < CONF_NAMES_SHOWN; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", rules ? c->rules[i].name :
		    c->feeds[i].name);
	if (n > CONF_NAMES_SHOWN)
		buf_printf(&b, " and %zu more", n - CONF_NAMES_SHOWN);
	return buf_steal(&b);
}

char *
conf_feed_names(const struct conf *c)
{
	return names_joined(c, 0);
}

char *
conf_rule_names(const struct conf *c)
{
	return names_joined(c, 1);
}

/* The summary. */

static void
format_size(size_t n, char *out, size_t outsz)
{
	if (n % (1024 * 1024 * 1024) == 0)
		snprintf(out, outsz, "%zuG", n / (1024 * 1024 * 1024));
	else if (n % (1024 * 1024) == 0)
		snprintf(out, outsz, "%zuM", n / (1024 * 1024));
	else if (n % 1024 == 0)
		snprintf(out, outsz, "%zuK", n / 1024);
	else
		snprintf(out, outsz, "%zu bytes", n);
}

/* ": places Homs or Hama", then "; ...": one group of a rule's summary. */
static void
print_group(FILE *fp, const struct conf *c, const char *what, const size_t *v, size_t n,
    const char *joiner, int *first)
{
	size_t	 i;

	if (n == 0)
		return;
	fprintf(fp, "%s%s ", *first ? ": " : "; ", what);
	*first = 0;
	for (i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? joiner : "", c->entities[v[i]].name);
}

static const char *
declared_note(const struct conf_entity *e)
{
	if (e->declared == 0)
		return ", named by a rule only";
	if (e->declared == 1 && e->builtin_id != NULL)
		return ", with built-in names";
	if (e->declared >= 2)
		return ", built-in";
	return "";
}

/* The gazetteer's names of entity x and of every place inside it. */
static size_t
builtin_names_within(const struct conf *c, size_t x)
{
	size_t	 i, n = 0;
	long	 e;
	int	 depth;

	for (i = 0; i < c->nentities; i++)
		for (e = (long)i, depth = 0; e != -1 && depth < 16; e = c->entities[e].in, depth++)
			if ((size_t)e == x) {
				n += c->entities[i].builtin_names;
				break;
			}
	return n;
}

static void
print_builtin_list(const struct conf *c, FILE *fp, const struct conf_rule *r, const size_t *v,
    size_t n)
{
	const struct conf_entity *e;
	size_t	 i, names;

	for (i = 0; i < n; i++) {
		e = &c->entities[v[i]];
		if (e->builtin_id == NULL)
			continue;
		names = builtin_names_within(c, v[i]);
		fprintf(fp, "  rule %s: built-in %s (%s %s, %zu name%s)\n", r->name, e->name,
		    e->builtin_kind == 'C' ? "country" : e->builtin_kind == 'A' ? "region" :
		    e->builtin_kind == 'P' ? "city" : "actor", e->builtin_id, names, plural(names));
	}
}

void
conf_print_builtins(const struct conf *c, FILE *fp)
{
	size_t	 i;

	if (c->gazetteer == NULL)
		return;
	fprintf(fp, "gazetteer %s\n", c->gazetteer);
	for (i = 0; i < c->nrules; i++) {
		print_builtin_list(c, fp, &c->rules[i], c->rules[i].actors, c->rules[i].nactors);
		print_builtin_list(c, fp, &c->rules[i], c->rules[i].places, c->rules[i].nplaces);
	}
}

/* scheme://host[:port] of a URL: all of it a summary shows, since the rest may be a secret (a
 * Slack hook's path is its key). */
static void
print_origin(FILE *fp, const char *url)
{
	const char	*p = strstr(url, "://"), *h, *at, *end;

	if (p == NULL) {
		fputs("?", fp);
		return;
	}
	h = p + 3;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	if (at != NULL)
		h = at + 1;
	fprintf(fp, "%.*s://%.*s", (int)(p - url), url, (int)(end - h), h);
}

/* One line per target: type, where to (origin only), digest, quiet hours, where the secret
 * comes from (never the secret). */
static void
print_targets(const struct conf *c, FILE *fp)
{
	const struct conf_target *t;
	char		 d[32];
	size_t		 i;

	if (c->ntargets == 0)
		return;
	fprintf(fp, "%zu target%s\n", c->ntargets, plural(c->ntargets));
	for (i = 0; i < c->ntargets; i++) {
		t = &c->targets[i];
		fprintf(fp, "  %-16s %-7s ", t->name, conf_target_type_name(t->type));
		print_origin(fp, t->url);
		if (t->type == TARGET_MATRIX)
			fprintf(fp, " room %s", t->room);
		if (t->type == TARGET_MQTT)
			fprintf(fp, " topic %s", t->topic);
		if (t->type == TARGET_EMAIL)
			fprintf(fp, " to %zu address%s", t->nto, t->nto == 1 ? "" : "es");
		if (t->digest_daily)
			fprintf(fp, "; digest daily %02u:%02u", t->digest_at / 60, t->digest_at % 60);
		else if (t->digest) {
			fmt_duration(t->digest, d, sizeof(d));
			fprintf(fp, "; digest every %s", d);
		}
		if (t->quiet)
			fprintf(fp, "; quiet %02u:%02u-%02u:%02u", t->quiet_from / 60,
			    t->quiet_from % 60, t->quiet_to / 60, t->quiet_to % 60);
		if (t->secret_from != NULL)
			fprintf(fp, "; secret from %s", t->secret_from);
		if (t->ca_file != NULL)
			fprintf(fp, "; CA file %s", t->ca_file);
		fprintf(fp, "; backlog up to %u\n", t->max_backlog);
	}
}

void
conf_print_summary(const struct conf *c, FILE *fp)
{
	const struct conf_entity *e;
	const struct conf_rule *r;
	char		 d1[32], d2[32], sz[32];
	size_t		 i, j, nactors = 0, nplaces = 0, nterms = 0, ninside = 0;
	int		 first;

	for (i = 0; i < c->nentities; i++) {
		nactors += c->entities[i].kind == ENTITY_ACTOR;
		nplaces += c->entities[i].kind == ENTITY_PLACE;
		nterms += c->entities[i].kind == ENTITY_TERM;
	}
	fmt_duration(c->interval, d1, sizeof(d1));
	fmt_duration(c->timeout, d2, sizeof(d2));
	format_size(c->max_feed_bytes, sz, sizeof(sz));
	fprintf(fp, "%s\n", c->path);
	fprintf(fp, "  state %s\n  alerts %s (%s)\n", c->state_dir, c->alert_log,
	    c->alert_format == ALERT_FORMAT_JSONL ? "jsonl" : "text");
	fprintf(fp, "  poll every %s, first poll %s, notify %s; %u transfers (%u per host), "
	    "timeout %s, max feed size %s\n", d1, c->first_poll_alert ? "alerts" : "silent",
	    c->notify ? "yes" : "no", c->max_transfers, c->max_host_transfers, d2, sz);
	fmt_duration(c->max_age, d1, sizeof(d1));
	fmt_duration(c->retention, d2, sizeof(d2));
	fprintf(fp, "  alert on items newer than %s; keep items and delivered alerts %s\n", d1, d2);

	fprintf(fp, "%zu feed%s\n", c->nfeeds, c->nfeeds == 1 ? "" : "s");
	for (i = 0; i < c->nfeeds; i++) {
		fmt_duration(c->feeds[i].interval, d1, sizeof(d1));
		fprintf(fp, "  %-16s every %-4s %s", c->feeds[i].name, d1, c->feeds[i].url);
		for (j = 0; j < c->feeds[i].ntags; j++)
			fprintf(fp, "%s%s", j ? ", " : "  [", c->feeds[i].tags[j]);
		fprintf(fp, "%s", c->feeds[i].ntags ? "]" : "");
		if (c->feeds[i].fetch_article != FETCH_ARTICLE_NO)
			fprintf(fp, "  (fetches %sarticles, %u a poll)",
			    c->feeds[i].fetch_article == FETCH_ARTICLE_SHORT ? "short items' " : "",
			    c->feeds[i].max_articles);
		fputc('\n', fp);
	}

	fprintf(fp, "%zu actor%s\n", nactors, nactors == 1 ? "" : "s");
	for (i = 0; i < c->nentities; i++) {
		e = &c->entities[i];
		if (e->kind != ENTITY_ACTOR)
			continue;
		fprintf(fp, "  %s (%zu alias%s%s)\n", e->name, e->naliases,
		    e->naliases == 1 ? "" : "es", declared_note(e));
	}
	fprintf(fp, "%zu place%s\n", nplaces, nplaces == 1 ? "" : "s");
	for (i = 0; i < c->nentities; i++) {
		e = &c->entities[i];
		if (e->kind != ENTITY_PLACE)
			continue;
		/* The places a built-in place brings in are counted, not listed (thousands). */
		if (e->declared == 3) {
			ninside++;
			continue;
		}
		fprintf(fp, "  %s (%zu alias%s%s)", e->name, e->naliases,
		    e->naliases == 1 ? "" : "es", declared_note(e));
		if (e->in != -1)
			fprintf(fp, " in %s", c->entities[e->in].name);
		fputc('\n', fp);
	}
	if (ninside > 0)
		fprintf(fp, "  and %zu built-in place%s inside or around these\n", ninside,
		    plural(ninside));
	if (nterms > 0) {
		fprintf(fp, "%zu keyword%s:", nterms, nterms == 1 ? "" : "s");
		for (i = 0, j = 0; i < c->nentities; i++)
			if (c->entities[i].kind == ENTITY_TERM)
				fprintf(fp, "%s%s", j++ ? ", " : " ", c->entities[i].name);
		fputc('\n', fp);
	}

	fprintf(fp, "%zu rule%s\n", c->nrules, c->nrules == 1 ? "" : "s");
	for (i = 0; i < c->nrules; i++) {
		r = &c->rules[i];
		first = 1;
		fprintf(fp, "  %s (%s, match %s)", r->name, conf_severity_name(r->severity),
		    r->mode == MATCH_ANY ? "any" : "all");
		print_group(fp, c, "actors", r->actors, r->nactors, " or ", &first);
		print_group(fp, c, "places", r->places, r->nplaces, " or ", &first);
		print_group(fp, c, "keywords", r->keywords, r->nkeywords, " or ", &first);
		print_group(fp, c, "never with", r->exclude, r->nexclude, ", ", &first);
		if (r->within_sentence)
			fprintf(fp, "; in one sentence");
		else if (r->within > 0)
			fprintf(fp, "; within %u words", r->within);
		if (r->fields != FIELD_ALL)
			fprintf(fp, "; fields%s%s%s%s%s", r->fields & FIELD_TITLE ? " title" : "",
			    r->fields & FIELD_SUMMARY ? " summary" : "",
			    r->fields & FIELD_CONTENT ? " content" : "",
			    r->fields & FIELD_CATEGORY ? " category" : "",
			    r->fields & FIELD_ARTICLE ? " article" : "");
		for (j = 0; j < r->nfeeds; j++)
			fprintf(fp, "%s%s", j ? ", " : "; feeds ", r->feeds[j]);
		if (r->cooldown > 0) {
			fmt_duration(r->cooldown, d1, sizeof(d1));
			fprintf(fp, "; cooldown %s", d1);
		}
		if (r->surge) {
			fmt_duration(r->surge_window, d1, sizeof(d1));
			fprintf(fp, "; surge at %u+ stories in %s", r->surge_min, d1);
		}
		for (j = 0; j < r->ntargets; j++)
			fprintf(fp, "%s%s", j ? ", " : "; to ", c->targets[r->targets[j]].name);
		fputc('\n', fp);
	}
	print_targets(c, fp);
}
