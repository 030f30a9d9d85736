/*
 * test_gazetteer_data.c: the shipped gazetteer through conf and the matcher: the Syria table
 * (every row must pass) and the labelled headlines (precision and recall printed and asserted).
 * Skipped when data/places.tsv is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "gazetteer.h"
#include "log.h"
#include "match.h"
#include "util.h"

#define FIX	NW_FIXTURES "/gazetteer"
#define LANGS	7
#define LINE_MAX_BYTES	8192

static const char *const langs[LANGS] = { "en", "ar", "tr", "fa", "fr", "ru", "he" };

/* One data row: the tab-separated fields of a line (in a buffer of its own). */
struct row {
	char	*buf;
	char	*f[6];
	size_t	 nf;
	int	 line;
};

/* Reads the rows of a fixture, comments and the header row skipped. */
static size_t
read_rows(const char *path, struct row **out)
{
	FILE		*fp = fopen(path, "r");
	char		 line[LINE_MAX_BYTES], *p, *t;
	struct row	*rows = NULL;
	size_t		 n = 0, len;
	int		 lineno = 0, header = 1;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (header) {
			header = 0;
			continue;
		}
		rows = xreallocarray(rows, n + 1, sizeof(*rows));
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].buf = xstrdup(line);
		rows[n].line = lineno;
		for (p = rows[n].buf; p != NULL && rows[n].nf < 6; p = t) {
			t = strchr(p, '\t');
			if (t != NULL)
				*t++ = '\0';
			rows[n].f[rows[n].nf++] = p;
		}
		n++;
	}
	fclose(fp);
	*out = rows;
	return n;
}

static void
free_rows(struct row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(rows[i].buf);
	free(rows);
}

static char	 tmpdir[] = "/tmp/test_gazetteer_data.XXXXXX";

static struct conf *
load_text(const char *text)
{
	struct conf	*c;
	char		*path = xasprintf("%s/test.conf", tmpdir);
	FILE		*fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	if (conf_load(path, &c, stderr) == -1)
		fail_msg("config did not load");
	unlink(path);
	free(path);
	return c;
}

static int
have_data(void)
{
	char	 path[4096];

	snprintf(path, sizeof(path), "%s/%s", NW_SOURCE_DATADIR, GAZ_PLACES_FILE);
	return access(path, R_OK) == 0;
}

/* ---- The Syria table ---- */

struct fired {
	const struct conf *c;
	const char	*rule;	/* the rule of the row */
	int		 yes;
};

static int
fired_cb(void *arg, const struct match_result *res)
{
	struct fired	*f = arg;

	if (strcmp(f->c->rules[res->rule].name, f->rule) == 0)
		f->yes = 1;
	return 0;
}

static void
syria_table__every_row(void **state)
{
	struct row	*rows;
	struct buf	 cfg;
	struct conf	*c;
	struct matcher	*m;
	struct match_item it;
	struct fired	 f;
	char		 rule[64];
	size_t		 n, i, j, bad = 0;

	(void)state;
	if (!have_data())
		skip();
	n = read_rows(FIX "/syria_table.tsv", &rows);
	assert_true(n >= 100);
	/* One rule per distinct places list, named after its first row. */
	buf_init(&cfg, 0);
	buf_printf(&cfg, "[newswatch]\ngazetteer = %s\n", NW_SOURCE_DATADIR);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(rows[j].f[1], rows[i].f[1]) != 0; j++)
			;
		if (j == i)
			buf_printf(&cfg, "[rule r%zu]\nplaces = %s\nmatch = any\n", i, rows[i].f[1]);
	}
	c = load_text(cfg.data);
	buf_free(&cfg);
	assert_non_null(m = matcher_new(c));
	for (i = 0; i < n; i++) {
		assert_true(rows[i].nf >= 4);
		for (j = 0; j < i && strcmp(rows[j].f[1], rows[i].f[1]) != 0; j++)
			;
		snprintf(rule, sizeof(rule), "r%zu", j);
		memset(&it, 0, sizeof(it));
		it.title = rows[i].f[2];
		f = (struct fired){ c, rule, 0 };
		assert_true(matcher_run(m, &it, 0, fired_cb, &f) >= 0);
		if (f.yes != (rows[i].f[0][0] == '1')) {
			print_message("syria_table.tsv:%d: expected %s, %s: places = %s: %s (%s)\n",
			    rows[i].line, rows[i].f[0][0] == '1' ? "a hit" : "no hit",
			    f.yes ? "fired" : "did not fire", rows[i].f[1], rows[i].f[2],
			    rows[i].f[3]);
			bad++;
		}
	}
	print_message("syria table: %zu of %zu rows pass\n", n - bad, n);
	matcher_free(m);
	conf_free(c);
	free_rows(rows, n);
	assert_int_equal(bad, 0);
}

/* ---- The headlines ---- */

struct found {
	const struct conf *c;
	const char	*names[64];
	size_t		 n;
};

static int
found_cb(void *arg, const struct match_hit *h)
{
	struct found	*f = arg;
	const char	*name = f->c->entities[h->entity].name;
	size_t		 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return 0;
	if (f->n < sizeof(f->names) / sizeof(f->names[0]))
		f->names[f->n++] = name;
	return 0;
}

/*
 * Does a hit on entity name hit satisfy the expected name want? The same name, or want is one of
 * the gazetteer names of the entry the hit came from (the labels use English canonical names,
 * which for a city may differ from its display name: Tartus, Tartous).
 */
static int
same(const struct gazetteer *g, const struct conf *c, const char *want, const char *hit)
{
	long	 all[16];
	size_t	 n, i, k;

	if (strcasecmp(want, hit) == 0)
		return 1;
	n = gaz_find_all(g, want, all, 16);
	for (i = 0; i < n; i++)
		for (k = 0; k < c->nentities; k++)
			if (c->entities[k].builtin_id != NULL &&
			    strcmp(c->entities[k].name, hit) == 0 &&
			    strcmp(c->entities[k].builtin_id, g->e[all[i]].id) == 0)
				return 1;
	return 0;
}

/*
 * Scores one labelled file (see headlines.tsv) and prints precision and recall per language
 * under the name set; adds the counts to all[0..2] (TP, FP, FN).
 */
static void
score(const struct gazetteer *g, const struct conf *c, const struct matcher *m,
    const char *path, const char *set, size_t min_rows, size_t all[3])
{
	struct row	*rows;
	struct match_item it;
	struct found	 f;
	char		*exp, *tok, *save;
	char		 want[32][128];
	size_t		 n, i, j, k, nwant, tp[LANGS + 1] = { 0 }, fp[LANGS + 1] = { 0 };
	size_t		 fn[LANGS + 1] = { 0 }, l;
	double		 prec, rec;
	int		 ok, used[32];

	n = read_rows(path, &rows);
	assert_true(n >= min_rows);
	for (i = 0; i < n; i++) {
		assert_true(rows[i].nf >= 4);
		for (l = 0; l < LANGS && strcmp(langs[l], rows[i].f[1]) != 0; l++)
			;
		assert_true(l < LANGS);
		nwant = 0;
		exp = xstrdup(rows[i].f[2]);
		for (tok = strtok_r(exp, ",", &save); tok != NULL && nwant < 32;
		    tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (*tok != '\0')
				snprintf(want[nwant++], sizeof(want[0]), "%s", tok);
		}
		free(exp);
		memset(&it, 0, sizeof(it));
		it.title = rows[i].f[3];
		f = (struct found){ .c = c };
		assert_true(matcher_hits(m, &it, found_cb, &f) >= 0);
		memset(used, 0, sizeof(used));
		for (k = 0; k < f.n; k++) {
			for (j = 0, ok = 0; j < nwant; j++)
				if (same(g, c, want[j], f.names[k])) {
					ok = 1;
					used[j] = 1;
				}
			if (!ok) {
				fp[l]++;
				print_message("  %s (line %d): false positive %s: %s\n", rows[i].f[0],
				    rows[i].line, f.names[k], rows[i].f[3]);
			}
		}
		for (j = 0; j < nwant; j++) {
			if (used[j])
				tp[l]++;
			else {
				fn[l]++;
				print_message("  %s (line %d): missed %s: %s\n", rows[i].f[0],
				    rows[i].line, want[j], rows[i].f[3]);
			}
		}
	}
	for (l = 0; l < LANGS; l++) {
		tp[LANGS] += tp[l];
		fp[LANGS] += fp[l];
		fn[LANGS] += fn[l];
	}
	for (l = 0; l <= LANGS; l++) {
		prec = tp[l] + fp[l] ? (double)tp[l] / (double)(tp[l] + fp[l]) : 1;
		rec = tp[l] + fn[l] ? (double)tp[l] / (double)(tp[l] + fn[l]) : 1;
		print_message("%s %s: precision %.3f recall %.3f (TP %zu, FP %zu, FN %zu)\n",
		    set, l < LANGS ? langs[l] : "all", prec, rec, tp[l], fp[l], fn[l]);
	}
	all[0] += tp[LANGS];
	all[1] += fp[LANGS];
	all[2] += fn[LANGS];
	free_rows(rows, n);
}

/*
 * headlines.tsv was written with the rules in view, and is the labelled set: the test
 * asserts its targets there. Every headlines-heldout-N.tsv was written by another author who
 * saw neither the matcher nor its results, and scored blind (only its summary lines read)
 * before it was used to find rules; fixtures/gazetteer/README.md gives each set's author,
 * blind figures and round. Those used are printed as "tuned-on-N", the ones still unread as
 * "held-out", "held-out-2"... Their figures are printed, not asserted (a set asserted on is
 * soon tuned to); the honest figures come from a set nobody has tuned on.
 */
static void
headlines__precision_and_recall(void **state)
{
	struct gazetteer *g;
	struct buf	 cfg;
	struct conf	*c;
	struct matcher	*m;
	char		 err[512];
	size_t		 i, all[3] = { 0 }, other[3] = { 0 };
	double		 prec, rec;

	(void)state;
	if (!have_data())
		skip();
	assert_int_equal(gaz_load(NW_SOURCE_DATADIR, &g, err, sizeof(err)), 0);
	/* Every country (and so every place) and every built-in actor. */
	buf_init(&cfg, 0);
	buf_printf(&cfg, "[newswatch]\ngazetteer = %s\n[rule all]\nmatch = any\nplaces = ",
	    NW_SOURCE_DATADIR);
	for (i = 0; i < g->nplaces; i++)
		if (g->e[i].kind == GAZ_COUNTRY)
			buf_printf(&cfg, "%s,\n    ", g->e[i].name);
	buf_puts(&cfg, "\nactors = ");
	for (i = g->nplaces; i < g->n; i++)
		buf_printf(&cfg, "%s,\n    ", g->e[i].name);
	buf_puts(&cfg, "\n");
	c = load_text(cfg.data);
	buf_free(&cfg);
	assert_non_null(m = matcher_new(c));
	score(g, c, m, FIX "/headlines.tsv", "headlines", 300, all);
	prec = (double)all[0] / (double)(all[0] + all[1]);
	rec = (double)all[0] / (double)(all[0] + all[2]);
	score(g, c, m, FIX "/headlines-heldout.tsv", "tuned-on-1", 100, other);
	score(g, c, m, FIX "/headlines-heldout-2.tsv", "tuned-on-2", 120, other);
	score(g, c, m, FIX "/headlines-heldout-3.tsv", "tuned-on-3", 120, other);
	score(g, c, m, FIX "/headlines-heldout-4.tsv", "tuned-on-4", 140, other);
	score(g, c, m, FIX "/headlines-heldout-5.tsv", "tuned-on-5", 140, other);
	score(g, c, m, FIX "/headlines-heldout-6.tsv", "tuned-on-6", 140, other);
	score(g, c, m, FIX "/headlines-heldout-7.tsv", "tuned-on-7", 140, other);
	score(g, c, m, FIX "/headlines-heldout-8.tsv", "tuned-on-8", 140, other);
	score(g, c, m, FIX "/headlines-heldout-9.tsv", "tuned-on-9", 140, other);
	score(g, c, m, FIX "/headlines-heldout-10.tsv", "tuned-on-10", 140, other);
	score(g, c, m, FIX "/headlines-heldout-11.tsv", "tuned-on-11", 140, other);
	score(g, c, m, FIX "/headlines-heldout-12.tsv", "tuned-on-12", 140, other);
	score(g, c, m, FIX "/headlines-heldout-13.tsv", "tuned-on-13", 140, other);
	score(g, c, m, FIX "/headlines-heldout-14.tsv", "tuned-on-14", 140, other);
	score(g, c, m, FIX "/headlines-heldout-15.tsv", "tuned-on-15", 140, other);
	score(g, c, m, FIX "/headlines-heldout-16.tsv", "tuned-on-16", 140, other);
	score(g, c, m, FIX "/headlines-heldout-17.tsv", "tuned-on-17", 140, other);
	score(g, c, m, FIX "/headlines-heldout-18.tsv", "tuned-on-18", 140, other);
	score(g, c, m, FIX "/headlines-heldout-19.tsv", "tuned-on-19", 140, other);
	score(g, c, m, FIX "/headlines-heldout-20.tsv", "tuned-on-20", 140, other);
	score(g, c, m, FIX "/headlines-heldout-21.tsv", "tuned-on-21", 140, other);
	score(g, c, m, FIX "/headlines-heldout-22.tsv", "tuned-on-22", 140, other);
	score(g, c, m, FIX "/headlines-heldout-23.tsv", "tuned-on-23", 140, other);
	score(g, c, m, FIX "/headlines-heldout-24.tsv", "tuned-on-24", 140, other);
	score(g, c, m, FIX "/headlines-heldout-25.tsv", "tuned-on-25", 140, other);
	score(g, c, m, FIX "/headlines-heldout-26.tsv", "tuned-on-26", 140, other);
	score(g, c, m, FIX "/headlines-heldout-27.tsv", "tuned-on-27", 140, other);
	score(g, c, m, FIX "/headlines-heldout-28.tsv", "tuned-on-28", 140, other);
	score(g, c, m, FIX "/headlines-heldout-29.tsv", "tuned-on-29", 140, other);
	score(g, c, m, FIX "/headlines-heldout-30.tsv", "tuned-on-30", 140, other);
	score(g, c, m, FIX "/headlines-heldout-31.tsv", "tuned-on-31", 140, other);
	score(g, c, m, FIX "/headlines-heldout-32.tsv", "tuned-on-32", 140, other);
	score(g, c, m, FIX "/headlines-heldout-33.tsv", "tuned-on-33", 140, other);
	score(g, c, m, FIX "/headlines-heldout-34.tsv", "tuned-on-34", 140, other);
	score(g, c, m, FIX "/headlines-heldout-35.tsv", "tuned-on-35", 140, other);
	score(g, c, m, FIX "/headlines-heldout-36.tsv", "tuned-on-36", 140, other);
	score(g, c, m, FIX "/headlines-heldout-37.tsv", "tuned-on-37", 140, other);
	score(g, c, m, FIX "/headlines-heldout-38.tsv", "tuned-on-38", 140, other);
	score(g, c, m, FIX "/headlines-heldout-39.tsv", "held-out", 140, other);
	score(g, c, m, FIX "/headlines-heldout-40.tsv", "held-out-2", 140, other);
	score(g, c, m, FIX "/headlines-heldout-41.tsv", "held-out-3", 140, other);
	score(g, c, m, FIX "/headlines-heldout-42.tsv", "held-out-4", 140, other);
	score(g, c, m, FIX "/headlines-heldout-43.tsv", "held-out-5", 140, other);
	score(g, c, m, FIX "/headlines-heldout-44.tsv", "held-out-6", 140, other);
	matcher_free(m);
	conf_free(c);
	gaz_free(g);
	assert_true(prec >= 0.98);
	assert_true(rec >= 0.95);
}

static int
setup(void **state)
{
	(void)state;
	log_init(-1);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syria_table__every_row),
		cmocka_unit_test(headlines__precision_and_recall),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
