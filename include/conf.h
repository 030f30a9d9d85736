/* conf.h: the configuration, parsed and checked completely before use, then read-only. */
/*
 * The file is INI (see conf/newswatch.conf for every key). Sections: [newswatch], [feed NAME],
 * [actor NAME], [place NAME], [rule NAME], in any order; names are resolved after the whole file
 * is read; ini.h gives the exact line syntax. Lists are comma-separated and trimmed; empty items
 * are skipped, so a list may end in a comma and go on in indented continuation lines. There is no
 * escaping: an alias cannot contain a comma, even in quotes. Inline comments start with " ;" (also
 * on continuation lines); " #" after a value is refused (one-value keys) or kept with a warning
 * (lists).
 * Entity names (actors, places, terms) compare ignoring ASCII case; feed and rule names exactly.
 */
#ifndef NW_CONF_H
#define NW_CONF_H

#include <stddef.h>
#include <stdio.h>

struct gaz_region_key;

enum severity {
	SEV_LOW,
	SEV_NORMAL,
	SEV_CRITICAL
};

enum alert_format {
	ALERT_FORMAT_TEXT,
	ALERT_FORMAT_JSONL
};

enum entity_kind {
	ENTITY_ACTOR,
	ENTITY_PLACE,
	ENTITY_TERM	/* a rule's keyword or exclude word: its own only alias */
};

/* Fields of an item a rule looks at (bit mask). */
#define FIELD_TITLE	0x01
#define FIELD_SUMMARY	0x02
#define FIELD_CONTENT	0x04
#define FIELD_CATEGORY	0x08
#define FIELD_ARTICLE	0x10	/* the text of the item's web page (fetch_article) */
#define FIELD_ALL	0x1f

/*
 * An actor, a place or a term. Its canonical name is its first alias, except for a built-in entry
 * (gazetteer.h) that no section declares: its aliases are only the gazetteer's names, since its
 * display name may be a common word matched only as written ("Turkey") or belong to a city
 * inside it (the region Aleppo). Aliases are kept as written in the file (quotes for exact
 * aliases and a trailing '*' for prefixes included); the matcher decides what they mean.
 */
/* An alias's flags (conf_entity.alias_flags). */
#define CONF_ALIAS_WEAK		0x01	/* counts only when another (not weak) name of the same
					 * outermost place is found in the item too */
#define CONF_ALIAS_PROPER	0x02	/* a built-in name: if it starts with a capital, so must
					 * the text (Mali, not "mali" finance; Хама, not "хама") */
#define CONF_ALIAS_NOT		0x04	/* a built-in phrase that is not the entity (Damascus
					 * steel): its hit and every hit inside it are dropped */
#define CONF_ALIAS_PERSON	0x08	/* a built-in place name that is also a person's name
					 * (Jordan): not counted as part of one (Jordan Peterson);
					 * a built-in person's name that is also a given name
					 * (Erdoğan): not before another surname (Erdoğan Atalay) */
#define CONF_ALIAS_PERSIAN	0x10	/* a weak built-in name that is strong in Persian text
					 * (مشهد: Mashhad there, "a scene" in Arabic) */
#define CONF_ALIAS_SHARED	0x20	/* a weak built-in name that namesakes abroad share
					 * (Valencia): it counts only beside a place of its own
					 * country, never by the other rules of weak names */

struct conf_entity {
	char		*name;
	enum entity_kind kind;
	char		**aliases;
	size_t		 naliases;
	unsigned char	*alias_flags;	/* NULL, or per alias CONF_ALIAS_* bits */
	long		 in;	/* index of the enclosing place ("in = Syria"), or -1 */
	int		 declared;	/* 1 if a section (or the gazetteer) declared it, 0 if a
					 * rule named it */
	int		 line;	/* its section, or the line that first named it */
	char		*builtin_id;	/* the gazetteer entry it takes names from, or NULL */
	char		 builtin_kind;	/* its enum gaz_kind (C, A, P, X), or 0 */
	char		 builtin_cc[3];	/* its country (ISO 3166-1), "" if none */
	size_t		 builtin_names;	/* aliases the gazetteer gave it */
	int		 builtin_person;	/* a built-in actor who is one person (kind
					 * head-of-state, head-of-government, state-leader) */
};

/* fetch_article = no | yes | short: whether a new item's web page is fetched for its text. */
enum fetch_article {
	FETCH_ARTICLE_NO,
	FETCH_ARTICLE_YES,
	FETCH_ARTICLE_SHORT	/* only when the item's own text is under CONF_SHORT_WORDS words */
};
#define CONF_SHORT_WORDS	40
#define CONF_MAX_ARTICLES	20	/* default max_articles: pages per feed per poll */

struct conf_feed {
	char		*name;
	char		*url;
	unsigned	 interval;	/* seconds (the [newswatch] interval unless set) */
	unsigned	 max_items;	/* items handled per poll (the [newswatch] one unless set) */
	enum fetch_article fetch_article;	/* whether new items' pages are fetched */
	unsigned	 max_articles;	/* pages fetched per poll at most */
	char		**tags;
	size_t		 ntags;
	int		 line;
};

enum match_mode {
	MATCH_ALL,	/* one actor (if listed) AND one place (if listed) AND one keyword (if listed) */
	MATCH_ANY	/* any listed actor or place is enough; keywords are still ANDed in */
};

struct conf_rule {
	char		*name;
	size_t		*actors;	/* indices into conf.entities */
	size_t		 nactors;
	size_t		*places;
	size_t		 nplaces;
	size_t		*keywords;
	size_t		 nkeywords;
	size_t		*exclude;
	size_t		 nexclude;
	enum match_mode	 mode;
	enum severity	 severity;
	unsigned	 fields;	/* FIELD_* mask, default FIELD_ALL */
	char		**feeds;	/* limit to these feed names; NULL/0 means all */
	size_t		 nfeeds;
	unsigned	 within;	/* 0: whole item; else max distance in words */
	int		 within_sentence;	/* 1: all hits in one sentence */
	unsigned	 cooldown;	/* seconds: at most one pop-up per period, 0: none */
	char		*exec;		/* hook run per alert (absolute, executable), or NULL */
	int		 surge;		/* surge = yes: surge alerts too (surge.h) */
	size_t		*targets;	/* indices into conf.targets: its own targets = list, else
					 * the [newswatch] targets = default; NULL/0: none */
	size_t		 ntargets;
	unsigned	 surge_window;	/* seconds, CONF_SURGE_WINDOW_MIN..MAX (default 1h) */
	unsigned	 surge_min;	/* stories in a window a surge needs at least (default 5) */
	int		 line;
};

/* A [target NAME] section's type = ... (target.h delivers to each). */
enum target_type {
	TARGET_WEBHOOK,
	TARGET_NTFY,
	TARGET_MATRIX,
	TARGET_SLACK,
	TARGET_EMAIL,
	TARGET_MQTT
};

/*
 * A push target. secret is what secret_file / token_file / password_file (or *_env) gave: the
 * webhook's HMAC key, the ntfy or Matrix access token, the SMTP or MQTT password. It is read at
 * load (a file's trailing newline dropped) and is never printed: messages name only secret_from
 * ("file /path" or "environment VAR").
 */
struct conf_target {
	char		*name;
	enum target_type type;
	char		*url;		/* http(s), smtp(s) or mqtt(s) by type */
	int		 url_secret;	/* it came from url_file or url_env: never printed whole */
	char		**headers;	/* webhook: extra "Name: value" lines */
	size_t		 nheaders;
	char		*secret;	/* NULL if none */
	char		*secret_from;
	char		*room;		/* matrix: the room id (!abc:server) */
	char		*from;		/* email */
	char		**to;
	size_t		 nto;
	char		*user;		/* email, mqtt; NULL if none */
	char		*topic;		/* mqtt: with {rule}, {severity}, {feed} */
	char		*ca_file;	/* email, mqtt: PEM CAs trusted instead of the system's;
					 * NULL: the system's */
	unsigned	 digest;	/* seconds between digests; 0: none (or daily) */
	int		 digest_daily;	/* digest = daily HH:MM: at digest_at */
	unsigned	 digest_at;	/* minutes after local midnight */
	int		 quiet;		/* quiet = HH:MM-HH:MM is set */
	unsigned	 quiet_from;	/* minutes after local midnight */
	unsigned	 quiet_to;
	unsigned	 max_backlog;	/* alerts waiting at most; beyond, dropped (counted, logged) */
	unsigned	 retry;		/* seconds before the first retry (doubling from there) */
	int		 line;
};
#define CONF_TARGETS_MAX	32
#define CONF_HEADERS_MAX	16	/* a webhook's extra headers */
#define CONF_TO_MAX		16	/* a mail's recipients */
#define CONF_SECRET_MAX		4096
#define CONF_DIGEST_MIN		10	/* seconds: digest = 10s is the shortest (tests use it) */

/* surge_window's range: a week holds at most 2016 windows, and one is at most a day. */
#define CONF_SURGE_WINDOW_MIN	300
#define CONF_SURGE_WINDOW_MAX	86400
#define CONF_SURGE_MIN_MAX	100000

struct conf {
	char		*path;
	/* [newswatch] */
	char		*state_dir;	/* expanded, no trailing slash */
	char		*alert_log;	/* expanded */
	enum alert_format alert_format;
	int		 notify;
	unsigned	 interval;	/* seconds */
	int		 first_poll_alert;	/* 0: silent (record only), 1: alert */
	unsigned	 max_transfers;	/* transfers at once, all hosts */
	unsigned	 max_host_transfers;	/* transfers at once per host */
	unsigned	 timeout;	/* seconds for one whole transfer */
	size_t		 max_feed_bytes;	/* cap on one (decompressed) body */
	unsigned	 max_items;	/* items handled per poll, first in document order */
	unsigned	 max_age;	/* seconds: older items are recorded, not alerted */
	unsigned	 settle;	/* seconds an alert waits for copies before delivery */
	unsigned	 retention;	/* seconds items and delivered alerts are kept */
	unsigned	 max_popups_per_minute;	/* pop-ups per minute, all rules */
	unsigned	 max_critical_popups_per_minute; /* critical ones, counted apart */
	int		 sticky_critical;	/* critical pop-ups never expire */
	unsigned	 exec_timeout;	/* seconds a hook may run before SIGTERM */
	unsigned	 exec_max;	/* hooks running at once */
	char		*gazetteer;	/* the data directory used (gazetteer = yes | PATH), or NULL */
	struct gaz_region_key *regions;	/* names that tell a namesake (gaz_region_keys), when
					 * built-in places are used; else NULL */
	size_t		 nregions;

	struct conf_feed	*feeds;
	size_t			 nfeeds;
	struct conf_entity	*entities;
	size_t			 nentities;
	struct conf_rule	*rules;
	size_t			 nrules;
	struct conf_target	*targets;
	size_t			 ntargets;
};

/* Limits: one line of the file (newline not counted), the errors kept per load. */
#define CONF_LINE_MAX	65532
#define CONF_ERRORS_MAX	100
/* The largest max_items: items are streamed, but each is matched and looked up in the store. */
#define CONF_MAX_ITEMS_MAX	100000
/* Names listed by conf_feed_names and conf_rule_names. */
#define CONF_NAMES_SHOWN	20

/* conf.c */
/*
 * Parses and checks path. On success returns 0 and *out (free with conf_free). On error prints
 * every problem to errf (NULL: print nothing) as "file:line: message", sorted by line, and
 * returns -1 with *out NULL. Warnings ("file:line: warning: message": a name no section
 * declares, a " #" kept in a list) are printed with them, and on success too. When path is the
 * default (conf_default_path) and missing, says where it looked and how to start.
 * conf->path is made absolute; state_dir and alert_log are ~-expanded and resolved against the
 * directory of the file when relative. Thread-safe: a load keeps all its state to itself (the
 * line reader is ini.c), so loads may run at once on different threads.
 */
int		 conf_load(const char *path, struct conf **out, FILE *errf);
void		 conf_free(struct conf *);
/* The default configuration path: $XDG_CONFIG_HOME/newswatch/newswatch.conf, else
 * ~/.config/newswatch/newswatch.conf (new string). */
char		*conf_default_path(void);
/* The default state directory: $XDG_STATE_HOME/newswatch, else ~/.local/state/newswatch (new string). */
char		*conf_default_state_dir(void);
/* Prints a one-screen summary of feeds, actors, places and rules. */
void		 conf_print_summary(const struct conf *, FILE *);
/* Parses "90", "90s", "10m", "2h", "1d" into seconds: 0 or -1 (syntax or overflow). */
int		 conf_parse_duration(const char *s, unsigned *seconds);
/* Parses "4096", "64K", "16M", "1G" (powers of 1024, either case) into bytes: 0 or -1. */
int		 conf_parse_size(const char *s, size_t *bytes);
const char	*conf_severity_name(enum severity);
/* Looks up a feed by name; NULL if none. */
const struct conf_feed *conf_feed_find(const struct conf *, const char *name);
/* Looks up a target by name; NULL if none. */
const struct conf_target *conf_target_find(const struct conf *, const char *name);
/* "webhook", "ntfy", ... */
const char	*conf_target_type_name(enum target_type);
/* Looks up a rule by name; NULL if none. */
const struct conf_rule *conf_rule_find(const struct conf *, const char *name);
/*
 * The feed (rule) names in file order as "a, b, c", for a message saying what exists: at most
 * CONF_NAMES_SHOWN, then " and N more"; "(none)" if there are none. A new string.
 */
char		*conf_feed_names(const struct conf *);
char		*conf_rule_names(const struct conf *);
/*
 * For each rule, the built-in entries it names and how many names they bring (with the places
 * inside them): "rule R: built-in Syria (country SY, 1234 names)". Nothing if none.
 */
void		 conf_print_builtins(const struct conf *, FILE *);
/* Looks up an entity by kind and name (ASCII case ignored); its index, or -1 if none. */
long		 conf_entity_find(const struct conf *, enum entity_kind, const char *name);
/* 1 if the matcher can read alias a: quotes balanced around something, '*' after something. */
int		 conf_alias_ok(const char *a);

#endif
