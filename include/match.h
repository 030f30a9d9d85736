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
	const char	*article;	/* the main text of the item's web page (fetch_article) */
};

/* Where one entity was found. */
struct match_hit {
	size_t		 entity;	/* index into conf.entities */
	const char	*alias;		/* the alias that hit, as written in the config */
	unsigned	 field;		/* FIELD_* */
	size_t		 category;	/* FIELD_CATEGORY: index into match_item.categories */
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
typedef int (*match_hit_cb)(void *arg, const struct match_hit *);

/*
 * Matching semantics, in short (match.c has the details):
 * - Aliases are folded with FOLD_ALL (fold.h); "quoted" aliases are exact (case and diacritics as
 *   written); a trailing * makes a prefix (Syria* matches Syrians). A hit counts only as a whole
 *   word: the characters around it in the folded text are not letters, marks or digits.
 * - A name in Arabic script may follow the proclitics و ف ب ك ل (one or two) in its word; the
 *   article ال counts only where the alias starts with it (then ل + ال, written لل, too). A
 *   name of several words in Arabic script may be written without the spaces (ZWNJ is removed).
 * - A place found inside a listed place (entity.in chain) counts as the listed place: the hit then
 *   has entity = the listed place and via = the place actually found.
 * - within = N: the hits that make the rule fire are in one field and at most N words apart
 *   (adjacent words are 1 apart). within_sentence: they are in one sentence of one field.
 */

/* match.c */
/* Compiles the rules of conf (which must outlive the matcher). NULL on error, logged. */
struct matcher	*matcher_new(const struct conf *);
/*
 * Runs every rule over the item and calls cb once per rule that fires (explain: once per rule,
 * fired or not; a rule limited to other feeds comes with why_not "not for feed X", and the hit
 * arrays of a rule that did not fire hold what was found). Returns the number of rules that
 * fired, or -1 if cb returned -1 (out of memory is fatal, util.h). Keeps its buffers in the matcher from call
 * to call (up to a cap): one matcher may serve one thread at a time.
 */
int		 matcher_run(const struct matcher *, const struct match_item *, int explain,
		    match_result_cb cb, void *arg);
/*
 * Calls cb once per hit in the item, rules aside (entity == via: the entity actually found), in
 * text order, after weak names without context are dropped: what a rule could see. Only the
 * entities some rule uses (and the places inside them) are compiled. Returns the number of hits,
 * or -1 if cb returned -1. For tests and tools (the gazetteer's precision test).
 */
int		 matcher_hits(const struct matcher *, const struct match_item *, match_hit_cb cb,
		    void *arg);
/*
 * For tests and benchmarks: on = 1 scans by folding each whole text first, then scanning the
 * fold (the simple reference); 0 (the default) folds as it scans, in one pass. Same results.
 */
void		 matcher_set_reference(struct matcher *, int on);
void		 matcher_free(struct matcher *);
/* A FIELD_* bit's name as alerts and explanations show it: "title", "summary", "content",
 * "category", "article". */
const char	*match_field_name(unsigned field);

#endif
