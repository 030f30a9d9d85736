/*
 * test_trends.c: `newswatch trends` on a store filled through surge.c with a synthetic stream (a
 * quiet week of Syria news, a steady energy stream, then a burst about Aleppo in the last hour):
 * the real binary ($NEWSWATCH) reads it; the table, the JSON and the SVG are checked, and the SVG
 * is parsed as XML and rendered to PNG with rsvg-convert. Without rsvg-convert the render case
 * skips and the binary exits 77 once the other cases pass. TRENDS_KEEP=DIR keeps the state, the
 * configuration, the SVG and the PNG there (for looking at them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chart.h"
#include "store.h"
#include "surge.h"
#include "util.h"

#define HOUR	3600
#define DAY	86400
/* The end of the stream, and the time trends is asked about: 2026-12-06T09:40:00Z. */
#define T_END	((time_t)1796550000)
#define AT	"2026-12-06T09:40:00Z"

static char	 dir[64] = "/tmp/test_trends.XXXXXX";
static char	*conf_path;
static const char *newswatch;
static int	 render_skipped;

/* One new story of rule at now naming the places and actors given (NULL-terminated lists). */
static void
story(struct store *s, struct conf_rule *rule, time_t now, const char *title, const char *feed,
    char **places, char **actors)
{
	static unsigned	 seq;
	struct alert	 a = { 0 };
	char		*key = xasprintf("link:https://news.example/%u", seq++);
	int		 raised;

	a.time = now;
	a.rule = (char *)rule->name;
	a.feed = (char *)feed;
	a.title = (char *)title;
	a.places = places;
	while (places != NULL && places[a.nplaces] != NULL)
		a.nplaces++;
	a.actors = actors;
	while (actors != NULL && actors[a.nactors] != NULL)
		a.nactors++;
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(surge_note(s, rule, &a, key, now, STORE_CH_LOG, &raised, NULL), 0);
	free(key);
}

/*
 * The synthetic stream, 8 days to T_END. Syria: a story every 4 hours, Aleppo, Idlib and
 * Damascus in turn, the UN in every third; then 20 stories in the last 40 minutes, all about
 * Aleppo (one surge). Energy (no surge = yes): OPEC and Rotterdam, 6 stories an hour throughout.
 */
static void
fill(const char *state)
{
	static char		*aleppo[] = { "Aleppo", NULL }, *idlib[] = { "Idlib", NULL },
				*damascus[] = { "Damascus", NULL }, *rotterdam[] = { "Rotterdam", NULL };
	static char		*un[] = { "UN", NULL }, *opec[] = { "OPEC", NULL };
	static const char	*feeds[] = { "bbc", "reuters", "aljazeera", "dw" };
	char			**quiet[] = { aleppo, idlib, damascus };
	struct conf_rule	 syria = { .name = "syria", .surge = 1, .surge_window = HOUR,
	    .surge_min = 5 };
	struct conf_rule	 energy = { .name = "energy", .surge_window = HOUR, .surge_min = 5 };
	struct store		*s;
	time_t			 t, start = T_END - 8 * DAY;
	unsigned		 i = 0;
	char			*title;

	assert_non_null(s = store_open(state));
	assert_int_equal(store_begin(s), 0);
	for (t = start; t < T_END - HOUR; t += 4 * HOUR, i++)
		story(s, &syria, t, "Talks resume", feeds[i % 4], quiet[i % 3],
		    i % 3 == 0 ? un : NULL);
	for (t = start; t <= T_END; t += HOUR / 6)
		story(s, &energy, t, "Oil output", "reuters", t % (2 * HOUR) ? NULL : rotterdam, opec);
	for (i = 0; i < 20; i++) {
		title = xasprintf("Shelling in Aleppo, report %u", i + 1);
		story(s, &syria, T_END - 40 * 60 + (time_t)i * 120, title, feeds[i % 4], aleppo,
		    i % 4 == 0 ? un : NULL);
		free(title);
	}
	assert_int_equal(store_commit(s), 0);
	store_close(s);
}

static int
setup(void **state)
{
	char	*state_dir;
	FILE	*f;

	(void)state;
	if ((newswatch = getenv("NEWSWATCH")) == NULL || access(newswatch, X_OK) != 0) {
		fprintf(stderr, "test_trends: set NEWSWATCH to the newswatch binary\n");
		exit(77);
	}
	if (mkdtemp(dir) == NULL)
		return -1;
	state_dir = xasprintf("%s/state", dir);
	conf_path = xasprintf("%s/newswatch.conf", dir);
	if ((f = fopen(conf_path, "w")) == NULL)
		return -1;
	fprintf(f, "[newswatch]\nstate_dir = %s\nalert_log = %s/alerts.log\n"
	    "[place Aleppo]\n[place Idlib]\n[place Damascus]\n[place Rotterdam]\n"
	    "[actor UN]\naliases = UN, United Nations\n[actor OPEC]\n"
	    "[rule syria]\nplaces = Aleppo, Idlib, Damascus\nactors = UN\nmatch = any\n"
	    "surge = yes\n"
	    "[rule energy]\nactors = OPEC\nplaces = Rotterdam\nmatch = any\n", state_dir, dir);
	if (fclose(f) != 0)
		return -1;
	fill(state_dir);
	free(state_dir);
	return 0;
}

static int
teardown(void **state)
{
	const char	*keep = getenv("TRENDS_KEEP");
	char		*cmd;
	int		 r = 0;

	(void)state;
	if (keep != NULL) {
		cmd = xasprintf("mkdir -p '%s' && cp -r '%s'/. '%s'/", keep, dir, keep);
		r |= system(cmd);
		free(cmd);
	}
	cmd = xasprintf("rm -rf '%s'", dir);
	r |= system(cmd);
	free(cmd);
	free(conf_path);
	return r == 0 ? 0 : -1;
}

/* Runs newswatch trends with args; its standard output (a new string) and exit status. */
static char *
trends(const char *args, int *status)
{
	char	*cmd = xasprintf("'%s' trends --config '%s' --at " AT " %s", newswatch, conf_path,
	    args);
	FILE	*p = popen(cmd, "r");
	struct buf b;
	char	 chunk[4096];
	size_t	 n;

	assert_non_null(p);
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&b, chunk, n);
	*status = pclose(p);
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
	free(cmd);
	return buf_steal(&b);
}

/* The line of out that starts with prefix (a new string), or NULL. */
static char *
line_of(const char *out, const char *prefix)
{
	const char	*p = out, *e;

	for (; *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return xstrndup(p, (size_t)(e - p));
	}
	return NULL;
}

/* The sparkline in a table row: the run of U+2581..U+2588 blocks, as levels 0..7. */
static size_t
sparkline(const char *row, int *levels, size_t max)
{
	const unsigned char	*p = (const unsigned char *)row;
	size_t			 n = 0;

	for (; *p; p++) {
		if (p[0] == 0xe2 && p[1] == 0x96 && p[2] >= 0x81 && p[2] <= 0x88) {
			if (n < max)
				levels[n] = p[2] - 0x81;
			n++;
			p += 2;
		}
	}
	return n;
}

static void
text__burst_entity_first_with_its_surge_marked(void **state)
{
	char	*out, *row, *aleppo;
	int	 status, levels[64];
	size_t	 n, i;

	(void)state;
	out = trends("", &status);
	assert_int_equal(status, 0);
	print_message("%s", out);
	assert_non_null(strstr(out, "Stories per hour, 2026-12-05 10:00 to 2026-12-06 09:59 UTC (1d), "
	    "by rise against the 168 hours before\n"));
	/* Aleppo rose most, so it is the first row after the header. */
	row = line_of(strchr(strchr(out, '\n') + 1, '\n') + 1, "");
	assert_non_null(row);
	assert_non_null(strstr(row, "place  Aleppo "));
	aleppo = row;
	n = sparkline(aleppo, levels, 64);
	assert_int_equal(n, 24);
	for (i = 0; i < 23; i++)
		assert_true(levels[i] <= 1);
	assert_int_equal(levels[23], 7);
	/* 20 in the last hour, 1 earlier in the day. */
	assert_non_null(strstr(aleppo, "     21    20   +19.9"));
	free(row);
	/* The surge is marked under the last hour, with its time and rule. */
	row = line_of(out, "                                 ");
	assert_non_null(row);
	assert_non_null(strstr(row, "^ surge 09:08: rule syria, 5 stories"));
	assert_int_equal(strstr(row, "^") - row, 6 + 1 + 24 + 1 + 23);
	free(row);
	/* OPEC's steady stream: every hour alike (the current one, 40 minutes old, has 5 of
	 * 6 so far), no rise, no surge. */
	row = line_of(out, "actor  OPEC ");
	assert_non_null(row);
	n = sparkline(row, levels, 64);
	assert_int_equal(n, 24);
	for (i = 0; i < 23; i++)
		assert_int_equal(levels[i], 7);
	assert_int_equal(levels[23], 6);
	assert_non_null(strstr(row, "    143     6    +0.0"));
	free(row);
	free(out);
}

/* README's example is this stream's output, to the byte. */
static void
readme__example__is_what_trends_prints(void **state)
{
	static const char	 start[] = "```\n$ newswatch trends\n";
	char			*out, *readme, *p, *e;
	size_t			 n;
	int			 status;
	FILE			*f;

	(void)state;
	assert_non_null(f = fopen(NW_FIXTURES "/../../README.md", "r"));
	readme = xcalloc(1, 1 << 20);
	n = fread(readme, 1, (1 << 20) - 1, f);
	fclose(f);
	assert_true(n > 0);
	assert_non_null(p = strstr(readme, start));
	p += strlen(start);
	assert_non_null(e = strstr(p, "```\n"));
	*e = '\0';
	out = trends("", &status);
	assert_int_equal(status, 0);
	assert_string_equal(p, out);
	free(out);
	free(readme);
}

static void
json__counts_per_hour_and_the_surge(void **state)
{
	char	*out, *cmd, *path;
	int	 status;
	FILE	*f;

	(void)state;
	out = trends("--json", &status);
	assert_int_equal(status, 0);
	path = xasprintf("%s/trends.json", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(out, f);
	assert_int_equal(fclose(f), 0);
	cmd = xasprintf("/usr/bin/python3 -c '\n"
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "assert d[\"hours\"] == 24 and d[\"start\"] == \"2026-12-05T10:00:00Z\", d\n"
	    "e = {x[\"name\"]: x for x in d[\"entities\"]}\n"
	    "assert d[\"entities\"][0][\"name\"] == \"Aleppo\"\n"
	    "a = e[\"Aleppo\"]\n"
	    "assert a[\"counts\"][-1] == 20 and a[\"total\"] == 21, a\n"
	    "assert a[\"surges\"][0][\"rule\"] == \"syria\" and a[\"surges\"][0][\"hour\"] == 23\n"
	    "assert e[\"UN\"][\"surges\"] and not e[\"OPEC\"][\"surges\"]\n"
	    "assert e[\"OPEC\"][\"counts\"] == [6] * 23 + [5] and e[\"OPEC\"][\"rise\"] == 0\n"
	    "s = d[\"surges\"]\n"
	    "assert len(s) == 1 and s[0][\"count\"] == 5 and s[0][\"closed\"] is None, s\n"
	    "' '%s'", path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
	free(out);
}

static void
rule_filter__only_that_rules_stories(void **state)
{
	char	*out;
	int	 status;

	(void)state;
	out = trends("--rule energy", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "actor  OPEC "));
	assert_non_null(strstr(out, "place  Rotterdam "));
	assert_null(strstr(out, "Aleppo"));
	assert_null(strstr(out, "^ surge"));
	free(out);
	out = trends("--rule nosuch 2>/dev/null", &status);
	assert_int_equal(status, 2);
	free(out);
}

static void
svg__valid_xml_and_renders_to_png(void **state)
{
	char	*out, *cmd, *svg, *png;
	int	 status;

	(void)state;
	svg = xasprintf("%s/trends.svg", dir);
	png = xasprintf("%s/trends.png", dir);
	cmd = xasprintf("--svg '%s' >/dev/null", svg);
	out = trends(cmd, &status);
	free(cmd);
	assert_int_equal(status, 0);
	/* Well-formed, SVG, one line per entity shown, a surge mark, no script or link out. */
	cmd = xasprintf("/usr/bin/python3 -c '\n"
	    "import sys, xml.etree.ElementTree as E\n"
	    "ns = \"{http://www.w3.org/2000/svg}\"\n"
	    "r = E.parse(sys.argv[1]).getroot()\n"
	    "assert r.tag == ns + \"svg\", r.tag\n"
	    "assert len(r.findall(ns + \"polyline\")) == 6\n"
	    "assert len(r.findall(ns + \"circle\")) == 2\n"
	    "t = \" \".join(\"\".join(x.itertext()) for x in r.iter(ns + \"text\"))\n"
	    "assert \"Aleppo\" in t and \"surge: syria\" in t and \"OPEC\" in t, t\n"
	    "assert not list(r.iter(ns + \"script\")) and b\"href\" not in open(sys.argv[1], \"rb\").read()\n"
	    "' '%s'", svg);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (system("command -v rsvg-convert >/dev/null 2>&1") != 0) {
		render_skipped = 1;
		free(svg);
		free(png);
		free(out);
		skip();
	}
	cmd = xasprintf("rsvg-convert -o '%s' '%s' && /usr/bin/python3 -c '\n"
	    "import sys\n"
	    "b = open(sys.argv[1], \"rb\").read()\n"
	    "assert b[:8] == b\"\\x89PNG\\r\\n\\x1a\\n\" and b[12:16] == b\"IHDR\"\n"
	    "w, h = int.from_bytes(b[16:20], \"big\"), int.from_bytes(b[20:24], \"big\")\n"
	    "assert (w, h) == (960, 480), (w, h)\n"
	    "' '%s'", png, svg, png);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(svg);
	free(png);
	free(out);
}

/* chart.c alone: names that are XML markup come out as text, and a document still parses. */
static void
chart__markup_in_names__escaped_and_well_formed(void **state)
{
	static const unsigned	 v[3] = { 0, 2, 9 };
	struct chart_mark	 m = { 2, "surge: r<1> & \"q\"" };
	struct chart_series	 ser[2] = {
		{ "<script>alert('x')</script>", v, &m, 1 },
		{ "A & B \xe2\x80\x94 \"C\"\x01", v, NULL, 0 },
	};
	struct chart		 c = { "t<&>", T_END - T_END % HOUR, 3, ser, 2 };
	char			*path, *cmd, *script;
	FILE			*f;

	(void)state;
	path = xasprintf("%s/hostile.svg", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(chart_svg(&c, f), 0);
	assert_int_equal(fclose(f), 0);
	/* The checks in a file: no shell quoting between C and Python. */
	script = xasprintf("%s/hostile.py", dir);
	assert_non_null(f = fopen(script, "w"));
	fputs("import sys, xml.etree.ElementTree as E\n"
	    "ns = '{http://www.w3.org/2000/svg}'\n"
	    "r = E.parse(sys.argv[1]).getroot()\n"
	    "assert not list(r.iter(ns + 'script'))\n"
	    "t = [''.join(x.itertext()) for x in r.iter(ns + 'text')]\n"
	    "assert 't<&>' in t, t\n"
	    "assert 'surge: r<1> & \"q\"' in t, t\n"
	    "assert \"<script>alert('x')</script> \\u25b2 surge\" in t, t\n"
	    "assert 'A & B \\u2014 \"C\"' in t, t\n", f);
	assert_int_equal(fclose(f), 0);
	cmd = xasprintf("/usr/bin/python3 '%s' '%s'", script, path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(script);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text__burst_entity_first_with_its_surge_marked),
		cmocka_unit_test(readme__example__is_what_trends_prints),
		cmocka_unit_test(json__counts_per_hour_and_the_surge),
		cmocka_unit_test(rule_filter__only_that_rules_stories),
		cmocka_unit_test(svg__valid_xml_and_renders_to_png),
		cmocka_unit_test(chart__markup_in_names__escaped_and_well_formed),
	};
	int	r = cmocka_run_group_tests(tests, setup, teardown);

	return r == 0 && render_skipped ? 77 : r;
}
