/* test_gazetteer.c: the built-in places and actors: loading, look-ups, names, children, timing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fold.h"
#include "gazetteer.h"

#define MINI	NW_FIXTURES "/gazetteer/mini"

#ifndef NW_SOURCE_DATADIR
#define NW_SOURCE_DATADIR	NW_FIXTURES "/../../data"
#endif

static struct gazetteer *
load(const char *dir)
{
	struct gazetteer *g;
	char		 err[512];

	if (gaz_load(dir, &g, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	return g;
}

static void
load__mini__finds_by_display_name_and_any_name_folded(void **state)
{
	struct gazetteer *g = load(MINI);
	long		 i;

	(void)state;
	assert_int_equal(g->nplaces, 13);
	assert_int_equal(g->n, 16);
	i = gaz_find(g, "Syria", 0);
	assert_true(i >= 0);
	assert_string_equal(g->e[i].id, "SY");
	assert_int_equal(gaz_find(g, "suriye", 0), i);
	assert_int_equal(gaz_find(g, "SYRIANS", 0), i);
	assert_int_equal(gaz_find(g, "سوريا", 0), i);
	/* Folding: "Turkiye" finds Türkiye. */
	assert_string_equal(g->e[gaz_find(g, "Turkiye", 0)].id, "TR");
	assert_int_equal(gaz_find(g, "Atlantis", 0), -1);
	gaz_free(g);
}

static void
find__region_and_city_share_a_name__region_first(void **state)
{
	struct gazetteer *g = load(MINI);
	long		 all[8];
	size_t		 n;

	(void)state;
	assert_string_equal(g->e[gaz_find(g, "Aleppo", 0)].id, "SY.09");
	n = gaz_find_all(g, "Aleppo", all, 8);
	assert_int_equal(n, 2);
	assert_string_equal(g->e[all[1]].id, "170063");
	/* A city name reached only through a city. */
	assert_string_equal(g->e[gaz_find(g, "Halep", 0)].id, "170063");
	gaz_free(g);
}

static void
parents_and_children__follow_the_file(void **state)
{
	struct gazetteer *g = load(MINI);
	long		 sy = gaz_find_id(g, "SY"), hama = gaz_find_id(g, "SY.10");
	long		 homs = gaz_find_id(g, "169577");

	(void)state;
	assert_true(sy >= 0 && hama >= 0 && homs >= 0);
	assert_int_equal(g->e[homs].parent, hama);
	assert_int_equal(g->e[hama].parent, sy);
	assert_int_equal(g->e[sy].parent, -1);
	assert_int_equal(g->e[sy].nchild, 2);
	assert_int_equal(g->e[hama].nchild, 2);
	assert_int_equal(gaz_descendants(g, (size_t)sy), 5);
	assert_int_equal(gaz_descendants(g, (size_t)homs), 0);
	gaz_free(g);
}

static void
names__flags_and_languages(void **state)
{
	struct gazetteer *g = load(MINI);
	struct gaz_name	 nm;
	size_t		 pos = 0, n = 0, weak = 0;
	long		 aleppo = gaz_find_id(g, "170063");

	(void)state;
	while (gaz_name_next(g, (size_t)aleppo, &pos, &nm)) {
		n++;
		if (nm.flag == GAZ_NAME_WEAK) {
			weak++;
			assert_string_equal(nm.lang, "ar");
			assert_int_equal(nm.len, strlen("حلب"));
			assert_memory_equal(nm.s, "حلب", nm.len);
		}
	}
	assert_int_equal(n, 4);
	assert_int_equal(weak, 1);
	pos = 0;
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "TR"), &pos, &nm));
	assert_int_equal(nm.flag, GAZ_NAME_EXACT);
	assert_string_equal(nm.lang, "");
	assert_memory_equal(nm.s, "Turkey", 6);
	/* ^ before ~: weak, but not in Persian text */
	pos = 0;
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "170017"), &pos, &nm));
	assert_int_equal(nm.persian, 0);
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "170017"), &pos, &nm));
	assert_int_equal(nm.flag, GAZ_NAME_WEAK);
	assert_int_equal(nm.persian, 1);
	assert_string_equal(nm.lang, "ar");
	assert_int_equal(nm.len, strlen("حماة"));
	assert_memory_equal(nm.s, "حماة", nm.len);
	assert_int_equal(nm.shared, 0);
	/* % before ~: weak, and shared with a namesake abroad (Tripoli in Lebanon) */
	pos = 0;
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "266826"), &pos, &nm));
	assert_int_equal(nm.flag, GAZ_NAME_WEAK);
	assert_int_equal(nm.shared, 1);
	assert_int_equal(nm.persian, 0);
	assert_memory_equal(nm.s, "Tripoli", nm.len);
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "266826"), &pos, &nm));
	assert_int_equal(nm.shared, 1);
	assert_string_equal(nm.lang, "ar");
	pos = 0;
	assert_true(gaz_name_next(g, (size_t)gaz_find_id(g, "2210247"), &pos, &nm));
	assert_int_equal(nm.flag, 0);
	assert_int_equal(nm.shared, 0);
	/* both are found by the name, the capital first */
	assert_string_equal(g->e[gaz_find(g, "Tripoli", 0)].id, "2210247");
	gaz_free(g);
}

static void
actors__read_from_actors_conf_with_their_keys(void **state)
{
	struct gazetteer *g = load(MINI);
	struct gaz_name	 nm;
	size_t		 pos = 0, n = 0;
	long		 hts = gaz_find(g, "HTS", 1);

	(void)state;
	assert_true(hts >= 0);
	assert_int_equal(g->e[hts].kind, GAZ_ACTOR);
	assert_string_equal(g->e[hts].name, "Hayat Tahrir al-Sham");
	assert_string_equal(g->e[hts].akind, "armed-group");
	assert_int_equal(g->e[hts].parent, gaz_find_id(g, "SY"));
	/* Names as written: quotes kept; the continuation line is part of the list. */
	while (gaz_name_next(g, (size_t)hts, &pos, &nm))
		n++;
	assert_int_equal(n, 4);
	assert_int_equal(gaz_find(g, "هيئة تحرير الشام", 1), hts);
	assert_int_equal(gaz_find(g, "HTS", 0), -1);	/* not a place */
	assert_string_equal(g->e[gaz_find(g, "al-Assad", 1)].until, "2024-12-08");
	/* not = phrases come after the aliases, flagged */
	pos = 0;
	while (gaz_name_next(g, (size_t)gaz_find(g, "al-Assad", 1), &pos, &nm) &&
	    nm.flag != GAZ_NAME_NOT)
		;
	assert_int_equal(nm.flag, GAZ_NAME_NOT);
	assert_int_equal((int)nm.len, 15);
	assert_memory_equal(nm.s, "al-Assad Street", 15);
	/* ~ makes an actor's alias weak; the name is given without it */
	pos = 0;
	assert_true(gaz_name_next(g, (size_t)gaz_find(g, "SDF", 1), &pos, &nm));
	assert_true(gaz_name_next(g, (size_t)gaz_find(g, "SDF", 1), &pos, &nm));
	assert_int_equal(nm.flag, GAZ_NAME_WEAK);
	assert_int_equal((int)nm.len, 5);
	assert_memory_equal(nm.s, "\"SDF\"", 5);
	gaz_free(g);
}

static void
load__missing_dir__enoent_and_message(void **state)
{
	struct gazetteer *g;
	char		 err[512];

	(void)state;
	assert_int_equal(gaz_load("/nonexistent/gaz", &g, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(g);
	assert_non_null(strstr(err, "/nonexistent/gaz/places.tsv: cannot open"));
}

static void
load__bad_line__file_and_line(void **state)
{
	struct gazetteer *g;
	char		 dir[] = "/tmp/test_gazetteer.XXXXXX", path[256], err[512];
	FILE		*fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/places.tsv", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("# comment\nC\tSY\tSY\t-\t1\tSyria\tSyria\nC\tTR\tTR\t-\t1\tTurkey\n", fp);
	fclose(fp);
	assert_int_equal(gaz_load(dir, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "places.tsv:3: expected 7 tab-separated fields"));
	assert_non_null(fp = fopen(path, "w"));
	fputs("P\t1\tSY\tSY.99\t1\tX\tXyz\n", fp);
	fclose(fp);
	assert_int_equal(gaz_load(dir, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "places.tsv:1: unknown parent \"SY.99\""));
	unlink(path);
	rmdir(dir);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
real_file__loads_and_knows_syria(void **state)
{
	struct gazetteer *g;
	char		 path[4096];
	double		 t0, t1;
	long		 sy, aleppo, us;

	(void)state;
	snprintf(path, sizeof(path), "%s/places.tsv", NW_SOURCE_DATADIR);
	if (access(path, R_OK) != 0)
		skip();
	t0 = now();
	g = load(NW_SOURCE_DATADIR);
	t1 = now();
	/* Printed, not asserted: timing depends on the machine and its load. */
	print_message("gazetteer: %zu places, %zu actors, %zu names indexed, loaded in %.0f ms\n",
	    g->nplaces, g->n - g->nplaces, g->nnames, (t1 - t0) * 1000);
	sy = gaz_find(g, "Syria", 0);
	assert_true(sy >= 0);
	assert_string_equal(g->e[sy].id, "SY");
	assert_int_equal(g->e[sy].nchild, 14);
	aleppo = gaz_find(g, "Halep", 0);
	assert_true(aleppo >= 0);
	assert_string_equal(g->e[aleppo].cc, "SY");
	assert_int_equal(g->e[g->e[aleppo].parent].parent, sy);
	assert_int_equal(gaz_find(g, "Hamas", 0), -1);
	us = gaz_find(g, "United States", 0);
	assert_true(us >= 0 && gaz_descendants(g, (size_t)us) > 1000);
	assert_true(gaz_find(g, "Hayat Tahrir al-Sham", 1) >= 0);
	gaz_free(g);
}

/* The first key of name among keys, or NULL. */
static const struct gaz_region_key *
region_key(const struct gaz_region_key *k, size_t n, const char *name)
{
	struct fold_buf	 fb;
	uint64_t	 key;
	size_t		 i;

	memset(&fb, 0, sizeof(fb));
	assert_int_equal(fold_key(&fb, name, strlen(name), &key), 0);
	fold_buf_free(&fb);
	for (i = 0; i < n; i++) {
		if (i > 0)
			assert_true(k[i - 1].key <= k[i].key);
		if (k[i].key == key)
			return &k[i];
	}
	return NULL;
}

/* The region's country that key name has among keys, or "" (the first found). */
static const char *
region_cc(const struct gaz_region_key *k, size_t n, const char *name)
{
	const struct gaz_region_key *r = region_key(k, n, name);

	return r != NULL ? r->cc : "";
}

static void
real_file__region_keys__namesakes_not_capitals_or_countries(void **state)
{
	struct gazetteer	*g;
	struct gaz_region_key	*k;
	char			 path[4096];
	size_t			 n;

	(void)state;
	snprintf(path, sizeof(path), "%s/places.tsv", NW_SOURCE_DATADIR);
	if (access(path, R_OK) != 0)
		skip();
	g = load(NW_SOURCE_DATADIR);
	n = gaz_region_keys(g, &k);
	assert_true(n > 3000);
	assert_string_equal(region_cc(k, n, "Idaho"), "US");
	assert_string_equal(region_cc(k, n, "Ontario"), "CA");
	assert_string_equal(region_cc(k, n, "Pennsylvania"), "US");
	/* and which region it is (Athens, Ohio: not Athens, Georgia) */
	assert_string_equal(region_key(k, n, "Ohio")->id, "US.OH");
	/* a city inside it (lists of capitals), a country's name, a weak name: none */
	assert_string_equal(region_cc(k, n, "Beirut"), "");
	assert_string_equal(region_cc(k, n, "Baghdad"), "");
	assert_string_equal(region_cc(k, n, "Georgia"), "");
	free(k);
	gaz_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load__mini__finds_by_display_name_and_any_name_folded),
		cmocka_unit_test(find__region_and_city_share_a_name__region_first),
		cmocka_unit_test(parents_and_children__follow_the_file),
		cmocka_unit_test(names__flags_and_languages),
		cmocka_unit_test(actors__read_from_actors_conf_with_their_keys),
		cmocka_unit_test(load__missing_dir__enoent_and_message),
		cmocka_unit_test(load__bad_line__file_and_line),
		cmocka_unit_test(real_file__region_keys__namesakes_not_capitals_or_countries),
		cmocka_unit_test(real_file__loads_and_knows_syria),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
