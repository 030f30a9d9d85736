/* cmd_places.c: "newswatch places NAME": shows a built-in place or actor of the gazetteer. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "gazetteer.h"
#include "util.h"

#define SHOWN_MAX	8	/* entries shown for one name, best first */
#define SUGGEST_MAX	5	/* "did you mean" names */
#define SUGGEST_BYTES	64	/* names longer than this get no suggestion */

static const char *const lang_order[] = { "", "en", "ar", "tr", "fa", "fr", "ru", "he", "de" };

static void
usage(FILE *f)
{
	fprintf(f, "usage: newswatch places [--data DIR] NAME\n"
	    "Shows the built-in place or actor NAME (any of its names, case and accents ignored):\n"
	    "its names by language, which are weak and why, its parents and how many places it\n"
	    "contains. --data: the directory of places.tsv (default: where gazetteer = yes looks).\n"
	    "Exit 0 if found, 1 if not, 2 on error.\n");
}

/* Byte edit distance, ASCII case ignored, stopping above max. */
static size_t
distance(const char *a, const char *b, size_t max)
{
	size_t	 n = strlen(a), m = strlen(b), row[SUGGEST_BYTES + 1], i, j, prev, cur, best;

	if (n > SUGGEST_BYTES || m > SUGGEST_BYTES || (n > m ? n - m : m - n) > max)
		return max + 1;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		prev = row[0];
		row[0] = best = i;
		for (j = 1; j <= m; j++) {
			cur = prev + (strncasecmp(a + i - 1, b + j - 1, 1) != 0);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			prev = row[j];
			row[j] = cur;
			if (cur < best)
				best = cur;
		}
		if (best > max)
			return max + 1;
	}
	return row[m];
}

/* Display names within 2 edits (1 for short names), for a name that was not found. */
static void
suggest(const struct gazetteer *g, const char *name)
{
	size_t	 i, k, n = 0, max = strlen(name) < 6 ? 1 : 2, d;
	const char *shown[SUGGEST_MAX];

	for (d = 1; d <= max && n < SUGGEST_MAX; d++)
		for (i = 0; i < g->n && n < SUGGEST_MAX; i++) {
			if (distance(name, g->e[i].name, max) != d)
				continue;
			for (k = 0; k < n && strcmp(shown[k], g->e[i].name) != 0; k++)
				;
			if (k == n)
				shown[n++] = g->e[i].name;
		}
	for (k = 0; k < n; k++)
		fprintf(stderr, "%s%s", k ? ", " : "did you mean ", shown[k]);
	if (n > 0)
		fprintf(stderr, "?\n");
}

static void
show_names(const struct gazetteer *g, size_t i, const char *country)
{
	struct gaz_name	 nm;
	size_t		 l, pos, n, nweak = 0, nexact = 0;

	printf("names:\n");
	for (l = 0; l < sizeof(lang_order) / sizeof(lang_order[0]); l++) {
		for (pos = 0, n = 0; gaz_name_next(g, i, &pos, &nm); ) {
			if (strcmp(nm.lang, lang_order[l]) != 0 || nm.flag == GAZ_NAME_NOT)
				continue;
			if (n++ == 0)
				printf("  %-4s ", l == 0 ? "-" : lang_order[l]);
			printf("%s%s%s%.*s", n > 1 ? ", " : "", nm.person ? "@" : "",
			    nm.flag == GAZ_NAME_WEAK ? "~" : nm.flag == GAZ_NAME_EXACT ? "=" : "",
			    (int)nm.len, nm.s);
			nweak += nm.flag == GAZ_NAME_WEAK;
			nexact += nm.flag == GAZ_NAME_EXACT;
		}
		if (n > 0)
			putchar('\n');
	}
	for (pos = 0; gaz_name_next(g, i, &pos, &nm); ) {
		if (nm.person && g->e[i].kind == GAZ_ACTOR)
			printf("  @%.*s: also a given name: does not count before another surname "
			    "(%.*s Smith) unless a title stands before it\n", (int)nm.len, nm.s,
			    (int)nm.len, nm.s);
		else if (nm.person)
			printf("  @%.*s: also a person's name: does not count next to a capitalised "
			    "word that makes it part of one (%.*s Smith, Ann %.*s), except in a title "
			    "written in title case\n", (int)nm.len, nm.s, (int)nm.len, nm.s,
			    (int)nm.len, nm.s);
		if (nm.flag == GAZ_NAME_WEAK && g->e[i].kind == GAZ_ACTOR)
			printf("  ~%.*s: weak, shared with other things: counts only when another "
			    "name of %s, or a name of %s or of one of its places, is in the same "
			    "item\n", (int)nm.len, nm.s, g->e[i].name, country);
		else if (nm.flag == GAZ_NAME_WEAK && nm.shared)
			printf("  ~%.*s: shared with a place of comparable size in another country: "
			    "matches only as written (case and accents) and only when another name "
			    "of %s or of one of its places is in the same item\n", (int)nm.len, nm.s,
			    country);
		else if (nm.flag == GAZ_NAME_WEAK)
			printf("  ~%.*s: weak, a common word or a name shared with other things: "
			    "matches only as written (case and accents) and only when another name "
			    "of %s or of one of its places is in the same item%s\n", (int)nm.len,
			    nm.s, country, nm.persian ? "; in Persian text, where the word is not "
			    "used, it counts alone" : "");
		else if (nm.flag == GAZ_NAME_EXACT)
			printf("  =%.*s: exact, a common word in another case: matches only as "
			    "written (case and accents)\n", (int)nm.len, nm.s);
		else if (nm.flag == GAZ_NAME_NOT)
			printf("  not: %.*s: something else %s: no name inside it counts\n",
			    (int)nm.len, nm.s, g->e[i].kind == GAZ_ACTOR ? "written like a name" :
			    "named after the place");
		else if (g->e[i].kind != GAZ_ACTOR && nm.len <= 2)
			printf("  %.*s: two letters or fewer: never matched\n", (int)nm.len, nm.s);
	}
	if (nweak + nexact == 0 && g->e[i].kind != GAZ_ACTOR)
		printf("  (no weak or exact-case names)\n");
}

static void
show(const struct gazetteer *g, size_t i)
{
	const struct gaz_entry *e = &g->e[i];
	const char	*country = e->name;
	long		 p;

	printf("%s (%s %s", e->name, gaz_kind_name(e->kind), e->id);
	if (e->kind != GAZ_ACTOR)
		printf(", population %lu", e->population);
	else if (e->akind != NULL && *e->akind != '\0')
		printf(", %s", e->akind);
	printf(")\n");
	if (e->kind == GAZ_ACTOR) {
		if (e->from != NULL || e->until != NULL)
			printf("in office: %s to %s\n", e->from ? e->from : "?",
			    e->until ? e->until : "now");
		if (e->parent >= 0) {
			printf("country: %s (%s)\n", g->e[e->parent].name, g->e[e->parent].id);
			country = g->e[e->parent].name;	/* a weak name's context */
		}
	} else {
		if (e->parent >= 0) {
			printf("in:");
			for (p = e->parent; p >= 0; p = g->e[p].parent) {
				printf(" %s (%s %s)%s", g->e[p].name, gaz_kind_name(g->e[p].kind),
				    g->e[p].id, g->e[p].parent >= 0 ? "," : "");
				country = g->e[p].name;
			}
			putchar('\n');
		}
		printf("contains: %zu place%s (%u directly)\n", gaz_descendants(g, i),
		    plural(gaz_descendants(g, i)), e->nchild);
	}
	show_names(g, i, country);
}

int
cmd_places(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct gazetteer *g;
	const char	*dir = NULL, *name;
	char		 err[512];
	long		 found[SHOWN_MAX];
	size_t		 n, k;

	while (cmd_getopt(&o, argc, argv, "+d:h", opts) == 'd')
		dir = optarg;
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind != argc - 1) {
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	cmd_opts_end(&o, 0);
	name = argv[optind];
	if (dir == NULL && (dir = gaz_default_dir()) == NULL) {
		fprintf(stderr, "newswatch places: no places.tsv in the data directories; "
		    "give --data DIR\n");
		return 2;
	}
	if (gaz_load(dir, &g, err, sizeof(err)) == -1) {
		fprintf(stderr, "newswatch places: %s\n", err);
		return 2;
	}
	if ((n = gaz_find_all(g, name, found, SHOWN_MAX)) == 0) {
		fprintf(stderr, "newswatch places: %s is not a built-in place or actor\n", name);
		suggest(g, name);
		gaz_free(g);
		return 1;
	}
	for (k = 0; k < n; k++) {
		if (k > 0)
			putchar('\n');
		show(g, (size_t)found[k]);
	}
	gaz_free(g);
	return 0;
}
