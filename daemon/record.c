/* record.c: the alert record's memory. */
#include <stdlib.h>

#include "record.h"

static void
free_list(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
alert_free(struct alert *a)
{
	size_t	i;

	free(a->rule);
	free(a->feed);
	free(a->title);
	free(a->link);
	free(a->item_id);
	free(a->published);
	free_list(a->actors, a->nactors);
	free_list(a->places, a->nplaces);
	free_list(a->keywords, a->nkeywords);
	for (i = 0; i < a->nmatches; i++) {
		free(a->matches[i].kind);
		free(a->matches[i].name);
		free(a->matches[i].alias);
		free(a->matches[i].field);
		free(a->matches[i].snippet);
		free(a->matches[i].via);
	}
	free(a->matches);
	free_list(a->also_in, a->nalso_in);
	free_list(a->surge.titles, a->surge.ntitles);
	free_list(a->surge.feeds, a->surge.nfeeds);
	*a = (struct alert){ 0 };
}
