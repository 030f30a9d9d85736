/*
 * match.h: watch rules compiled once into one automaton over every alias; matching an item scans
 * its text once and has no side effects.
 */
#ifndef NW_MATCH_H
#define NW_MATCH_H

#include <stddef.h>

struct conf;

/* An item's text as the matcher sees it: plain text (HTML already converted), NULL when absent. */
struct match_item {
	const char	*feed;		/* feed name, for rules limited by feeds = */
	const char	*title;
	const char	*summary;
	const char	*content;
	const char	**categories;
	size_t		 ncategories;
};

/* Where one entity was found. */
struct match_hit {
	size_t		 entity;	/* index into conf.entities */
	const char	*alias;		/* the alias that hit, as written in the config */
	unsigned	 field;		/* FIELD_* */
	size_t		 start, end;	/* byte span in that field's original text */
	size_t		 via;		/* for a place matched through a place inside it: the
					 * entity actually found; else == entity */
};

/* One rule that fired (or, when explaining, did not). Valid only during the callback. */
struct match_result {
	size_t			 rule;		/* index into conf.rules */
	int			 fired;
	const struct match_hit	*actors;	/* one hit per matched actor, in config order */
	size_t			 nactors;
	const struct match_hit	*places;
	size_t			 nplaces;
	const struct match_hit	*keywords;
	size_t			 nkeywords;
	const char		*why_not;	/* when !fired: which condition failed */
};

typedef int (*match_result_cb)(void *arg, const struct match_result *);

/* match.c */
/* Compiles the rules of conf (which must outlive the matcher). NULL on error, logged. */
struct matcher	*matcher_new(const struct conf *);
/*
 * Runs every rule over the item and calls cb once per rule that fires (explain: once per rule
 * applicable to the feed, fired or not). Returns the number of rules that fired, or -1 if cb
 * returned -1 or memory ran out.
 */
int		 matcher_run(const struct matcher *, const struct match_item *, int explain,
		    match_result_cb cb, void *arg);
void		 matcher_free(struct matcher *);

#endif
