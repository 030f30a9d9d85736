/* store_count.h: for tests: how many items the store holds, and an item's article, through its
 * live API. */
#ifndef NW_TEST_STORE_COUNT_H
#define NW_TEST_STORE_COUNT_H

#include <stdlib.h>
#include <string.h>

#include "store.h"

struct count {
	const char	*feed;
	int		 n;
};

static inline int
count_cb(void *arg, const struct store_item *it)
{
	struct count	*c = arg;

	if (c->feed == NULL || strcmp(c->feed, it->feed) == 0)
		c->n++;
	return 0;
}

/* Items stored for feed, or for every feed if NULL; -1 on error. */
static inline int
item_count(struct store *s, const char *feed)
{
	struct count	 c = { feed, 0 };

	return store_item_each(s, 0, count_cb, &c) == -1 ? -1 : c.n;
}

/* For store_item_get: puts a copy of the item's article (or NULL) in *(char **)arg, freeing
 * what was there. */
static inline int
article_cb(void *arg, const struct store_item *it)
{
	char	**out = arg;

	free(*out);
	*out = it->article ? strdup(it->article) : NULL;
	return 0;
}

#endif
