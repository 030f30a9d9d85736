/* test_conf.c: the configuration parser: every key, every kind of error with its file:line, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmd.h"
#include "conf.h"
#include "util.h"

static char	 tmpdir[] = "/tmp/test_conf.XXXXXX";
static int	 run_check(char **argv, int argc, char **out);
static int	 check_conf_file(char **out);
static char	*conf_file;	/* tmpdir/test.conf */
static char	*errs;		/* what the last load printed */
static struct conf *conf;

/* Writes text to path. */
static void
write_file(const char *path, const char *text)
{
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Loads path into conf, catching the error text in errs: conf_load's result. */
static int
load_path(const char *path)
{
	FILE	*errf;
	size_t	 len;
	int	 r;

	conf_free(conf);
	conf = NULL;
	free(errs);
	errs = NULL;
	errf = open_memstream(&errs, &len);
	assert_non_null(errf);
	r = conf_load(path, &conf, errf);
	fclose(errf);
	if (r == 0)
		assert_non_null(conf);
	else
		assert_null(conf);
	return r;
}

/* Writes text to tmpdir/test.conf and loads it. */
static int
load(const char *text)
{
	write_file(conf_file, text);
	return load_path(conf_file);
}

static void
load_ok(const char *text)
{
	if (load(text) != 0)
		fail_msg("expected no error, got:\n%s", errs);
	assert_string_equal(errs, "");
}

static size_t
count_lines(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Asserts that errs has a line "<file>:<line>: ..." that contains fragment. */
static void
assert_error_in(const char *file, int line, const char *fragment)
{
	char		*prefix = xasprintf("%s:%d: ", file, line);
	const char	*p, *eol;
	char		*row;
	int		 found = 0;

	for (p = errs; p != NULL && (p = strstr(p, prefix)) != NULL; p = eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		row = xstrndup(p, (size_t)(eol - p));
		found = (p == errs || p[-1] == '\n') && strstr(row, fragment) != NULL;
		free(row);
		if (found)
			break;
	}
	if (!found)
		fail_msg("no error \"%s%s\" in:\n%s", prefix, fragment, errs ? errs : "(none)");
	free(prefix);
}

static void
assert_error(int line, const char *fragment)
{
	assert_error_in(conf_file, line, fragment);
}

/* Loads text expecting exactly one error, on line, containing fragment. */
static void
load_fails(const char *text, int line, const char *fragment)
{
	assert_int_equal(load(text), -1);
	assert_error(line, fragment);
	if (count_lines(errs) != 1)
		fail_msg("expected one error, got:\n%s", errs);
}

static long
entity(enum entity_kind kind, const char *name)
{
	long	 i = conf_entity_find(conf, kind, name);

	if (i == -1)
		fail_msg("no entity %s", name);
	return i;
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	conf_file = xasprintf("%s/test.conf", tmpdir);
	setenv("HOME", tmpdir, 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

static int
teardown(void **state)
{
	char	*cmd;

	(void)state;
	conf_free(conf);
	free(errs);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(conf_file);
	return 0;
}

/* Good forms. */

static void
load__full_fixture__reads_every_key(void **state)
{
	const struct conf_rule	*r;
	const struct conf_feed	*f;
	char			*path = xstrdup(NW_FIXTURES "/conf/full.conf"), *want;
	long			 hez, homs, syria;

	(void)state;
	if (load_path(path) != 0)
		fail_msg("%s", errs);
	want = xasprintf("%s/state", NW_FIXTURES "/conf");
	/* The fixture directory may be reached through a symlink: compare the tail. */
	assert_non_null(strstr(conf->state_dir, "/conf/state"));
	assert_int_equal(conf->state_dir[0], '/');
	free(want);
	want = xasprintf("%s/logs/alerts.jsonl", tmpdir);
	assert_string_equal(conf->alert_log, want);
	free(want);
	assert_int_equal(conf->alert_format, ALERT_FORMAT_JSONL);
	assert_int_equal(conf->notify, 0);
	assert_int_equal(conf->interval, 7200);
	assert_int_equal(conf->first_poll_alert, 1);
	assert_int_equal(conf->max_transfers, 8);
	assert_int_equal(conf->max_host_transfers, 1);
	assert_int_equal(conf->timeout, 30);
	assert_int_equal(conf->max_feed_bytes, 512 * 1024);

	assert_int_equal(conf->nfeeds, 2);
	f = conf_feed_find(conf, "bbc");
	assert_non_null(f);
	assert_string_equal(f->url, "https://feeds.bbci.co.uk/news/world/middle_east/rss.xml");
	assert_int_equal(f->interval, 7200);	/* [newswatch] came later in the file */
	assert_int_equal(f->ntags, 2);
	assert_string_equal(f->tags[0], "mideast");
	assert_string_equal(f->tags[1], "world");
	assert_int_equal(f->line, 13);
	assert_int_equal(conf_feed_find(conf, "aj")->interval, 90);
	assert_null(conf_feed_find(conf, "BBC"));

	hez = entity(ENTITY_ACTOR, "Hezbollah");
	assert_int_equal(conf->entities[hez].declared, 1);
	assert_int_equal(conf->entities[hez].naliases, 5);
	homs = entity(ENTITY_PLACE, "Homs");
	syria = entity(ENTITY_PLACE, "Syria");
	assert_int_equal(conf->entities[homs].in, syria);
	assert_int_equal(conf->entities[syria].declared, 0);

	assert_int_equal(conf->nrules, 2);
	r = &conf->rules[0];
	assert_string_equal(r->name, "r-any");
	assert_int_equal(r->line, 2);
	assert_int_equal(r->nactors, 2);
	assert_int_equal(r->actors[0], hez);
	assert_int_equal(r->actors[1], entity(ENTITY_ACTOR, "Ghost"));
	assert_int_equal(r->nplaces, 1);
	assert_int_equal(r->places[0], homs);
	assert_int_equal(r->nkeywords, 2);
	assert_int_equal(r->keywords[0], entity(ENTITY_TERM, "strike"));
	assert_string_equal(conf->entities[r->keywords[1]].name, "\"UN\"");
	assert_int_equal(r->nexclude, 2);
	assert_int_equal(r->exclude[1], r->keywords[0]);	/* one term per distinct word */
	assert_int_equal(r->mode, MATCH_ANY);
	assert_int_equal(r->severity, SEV_CRITICAL);
	assert_int_equal(r->nfeeds, 1);
	assert_string_equal(r->feeds[0], "bbc");
	assert_int_equal(r->fields, FIELD_TITLE | FIELD_CATEGORY);
	assert_int_equal(r->within, 12);
	assert_int_equal(r->within_sentence, 0);

	r = &conf->rules[1];
	assert_int_equal(r->within_sentence, 1);
	assert_int_equal(r->within, 0);
	assert_int_equal(r->severity, SEV_LOW);
	assert_int_equal(r->places[0], syria);
	free(path);
}

static void
load__empty_file__gives_defaults(void **state)
{
	char	*want;

	(void)state;
	load_ok("; nothing but a comment\n");
	want = xasprintf("%s/.local/state/newswatch", tmpdir);
	assert_string_equal(conf->state_dir, want);
	free(want);
	want = xasprintf("%s/.local/state/newswatch/alerts.log", tmpdir);
	assert_string_equal(conf->alert_log, want);
	free(want);
	assert_int_equal(conf->alert_format, ALERT_FORMAT_TEXT);
	assert_int_equal(conf->notify, 1);
	assert_int_equal(conf->interval, 600);
	assert_int_equal(conf->first_poll_alert, 0);
	assert_int_equal(conf->max_transfers, 16);
	assert_int_equal(conf->max_host_transfers, 2);
	assert_int_equal(conf->timeout, 60);
	assert_int_equal(conf->max_feed_bytes, 16 * 1024 * 1024);
	assert_int_equal(conf->nfeeds + conf->nentities + conf->nrules, 0);
	want = xasprintf("%s/test.conf", tmpdir);
	assert_string_equal(conf->path, want);
	free(want);
}

static void
load__rule_defaults__all_normal_every_field(void **state)
{
	(void)state;
	load_ok("[rule r]\nkeywords = ceasefire\n");
	assert_int_equal(conf->rules[0].mode, MATCH_ALL);
	assert_int_equal(conf->rules[0].severity, SEV_NORMAL);
	assert_int_equal(conf->rules[0].fields, FIELD_ALL);
	assert_int_equal(conf->rules[0].nfeeds, 0);
	assert_null(conf->rules[0].feeds);
	assert_int_equal(conf->rules[0].within, 0);
	assert_int_equal(conf->rules[0].within_sentence, 0);
}

static void
load__booleans__every_spelling(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "YES", "True" };
	static const char *const no[] = { "no", "false", "off", "0", "No", "OFF" };
	char	*text;
	size_t	 i;

	(void)state;
	for (i = 0; i < 6; i++) {
		text = xasprintf("[newswatch]\nnotify = %s\n", yes[i]);
		load_ok(text);
		assert_int_equal(conf->notify, 1);
		free(text);
		text = xasprintf("[newswatch]\nnotify = %s\n", no[i]);
		load_ok(text);
		assert_int_equal(conf->notify, 0);
		free(text);
	}
}

static void
load__within_one_word__singular_accepted(void **state)
{
	(void)state;
	load_ok("[rule r]\nkeywords = a, b\nwithin = 1 word\n");
	assert_int_equal(conf->rules[0].within, 1);
}

static void
entities__section_name__is_first_alias_and_not_repeated(void **state)
{
	const struct conf_entity *e;

	(void)state;
	load_ok("[actor Hezbollah]\naliases = Hizbollah, Hezbollah, Hizballah\n");
	e = &conf->entities[entity(ENTITY_ACTOR, "Hezbollah")];
	assert_int_equal(e->naliases, 3);
	assert_string_equal(e->aliases[0], "Hezbollah");
	assert_string_equal(e->aliases[1], "Hizbollah");
	assert_string_equal(e->aliases[2], "Hizballah");
	assert_int_equal(e->kind, ENTITY_ACTOR);
	assert_int_equal(e->declared, 1);
	assert_int_equal(e->in, -1);
	assert_int_equal(e->line, 1);
}

static void
entities__quoted_starred_and_arabic_aliases__kept_as_written(void **state)
{
	const struct conf_entity *e;

	(void)state;
	load_ok("[actor United Nations]\naliases = \"UN\" ,  \"U.N.\", UN*,Syria* , حزب الله  \n");
	e = &conf->entities[0];
	assert_int_equal(e->naliases, 6);
	assert_string_equal(e->aliases[0], "United Nations");
	assert_string_equal(e->aliases[1], "\"UN\"");
	assert_string_equal(e->aliases[2], "\"U.N.\"");
	assert_string_equal(e->aliases[3], "UN*");
	assert_string_equal(e->aliases[4], "Syria*");
	assert_string_equal(e->aliases[5], "حزب الله");
	/* white space inside an alias stays; only its ends are trimmed */
	load_ok("[actor X]\naliases = حزب الله  ,Naim  Qassem\n");
	assert_string_equal(conf->entities[0].aliases[1], "حزب الله");
	assert_string_equal(conf->entities[0].aliases[2], "Naim  Qassem");
}

static void
entities__names_in_rules_and_in__become_implicit(void **state)
{
	const struct conf_entity *e;
	long			 mideast;

	(void)state;
	/* legal, so the load succeeds, but each such name is a warning at its line */
	assert_int_equal(load("[place Homs]\nin = Syria\n"
	    "[place Syria]\nin = Middle East\n"
	    "[rule r]\nactors = Wagner\nplaces = Homs, Gaza\n"), 0);
	assert_error(4, "warning: place Syria: in names Middle East, which no [place] section "
	    "declares: it matches only itself");
	assert_error(6, "warning: rule r: actors names Wagner, which no [actor] section declares");
	assert_error(7, "warning: rule r: places names Gaza, which no [place] section declares");
	assert_int_equal(count_lines(errs), 3);
	mideast = entity(ENTITY_PLACE, "Middle East");
	e = &conf->entities[mideast];
	assert_int_equal(e->declared, 0);
	assert_int_equal(e->naliases, 1);
	assert_string_equal(e->aliases[0], "Middle East");
	assert_int_equal(e->in, -1);
	assert_int_equal(e->line, 4);
	assert_int_equal(conf->entities[entity(ENTITY_PLACE, "Syria")].in, mideast);
	e = &conf->entities[entity(ENTITY_ACTOR, "Wagner")];
	assert_int_equal(e->declared, 0);
	assert_int_equal(e->line, 6);
	assert_int_equal(conf->entities[entity(ENTITY_PLACE, "Gaza")].declared, 0);
	assert_int_equal(conf_entity_find(conf, ENTITY_ACTOR, "Gaza"), -1);
}

static void
entities__undeclared_name_close_to_declared__did_you_mean(void **state)
{
	char	*out;

	(void)state;
	assert_int_equal(load("[actor Hezbollah]\naliases = Hizbullah\n[actor Iraq]\n"
	    "[place Damascus]\n[place Erdogan Square]\n"
	    "[rule r]\nactors = Hezbolah, hizbullah, Iran, Damascas\n"
	    "places = Damacsus, Erdo\xc4\x9f" "an Square\n"), 0);
	assert_error(7, "rule r: actors names Hezbolah, which no [actor] section declares: "
	    "it matches only itself; did you mean Hezbollah?");
	/* an alias of a declared actor named in a rule is another actor, of one alias */
	assert_error(7, "actors names hizbullah, which no [actor] section declares: it matches "
	    "only itself; did you mean Hezbollah (alias Hizbullah)?");
	/* too short for a guess ("Iran" is no typo of "Iraq"); places are not offered for actors */
	assert_non_null(strstr(errs, ":7: warning: rule r: actors names Iran, which no [actor] "
	    "section declares: it matches only itself\n"));
	assert_non_null(strstr(errs, ":7: warning: rule r: actors names Damascas, which no [actor] "
	    "section declares: it matches only itself\n"));
	assert_error(8, "places names Damacsus, which no [place] section declares: it matches "
	    "only itself; did you mean Damascus?");
	assert_error(8, "did you mean Erdogan Square?");
	assert_int_equal(count_lines(errs), 6);

	/* check prints the warnings and still succeeds */
	assert_int_equal(check_conf_file(&out), 0);
	assert_non_null(strstr(out, "did you mean Damascus?"));
	assert_non_null(strstr(out, "configuration OK"));
	free(out);
}

static void
entities__rule_naming_actor_declared_later__resolves_to_it(void **state)
{
	long	 hez;

	(void)state;
	load_ok("[rule r]\nactors = hezbollah, Hezbollah\n[actor Hezbollah]\naliases = Hizbollah\n");
	hez = entity(ENTITY_ACTOR, "Hezbollah");
	assert_int_equal(conf->entities[hez].declared, 1);
	/* names ignore ASCII case, and a name listed twice counts once */
	assert_int_equal(conf->rules[0].nactors, 1);
	assert_int_equal(conf->rules[0].actors[0], hez);
	assert_int_equal(conf->nentities, 1);
}

static void
entities__same_name_as_actor_and_place__are_two_entities(void **state)
{
	(void)state;
	load_ok("[actor Lebanon]\n[place Lebanon]\n[rule r]\nactors = Lebanon\nplaces = Lebanon\n");
	assert_int_equal(conf->nentities, 2);
	assert_int_not_equal(conf->rules[0].actors[0], conf->rules[0].places[0]);
}

static void
entities__keyword_shared_by_rules__one_term(void **state)
{
	(void)state;
	load_ok("[rule a]\nkeywords = strike, shelling\nexclude = football\n"
	    "[rule b]\nkeywords = Strike\nexclude = football, strike\n");
	assert_int_equal(conf->nentities, 3);
	assert_int_equal(conf->rules[1].keywords[0], conf->rules[0].keywords[0]);
	assert_int_equal(conf->rules[1].exclude[1], conf->rules[0].keywords[0]);
	assert_int_equal(conf->entities[conf->rules[0].keywords[0]].kind, ENTITY_TERM);
	assert_string_equal(conf->entities[conf->rules[0].keywords[1]].aliases[0], "shelling");
}

static void
lists__indented_key_value__is_an_error_not_a_name(void **state)
{
	(void)state;
	load_fails("[place Homs]\n[place Hama]\n"
	    "[rule r]\nplaces = Homs,\n    Hama\n  severity = critical\n", 6,
	    "indented \"severity =\" continues places (line 4) instead of setting severity: "
	    "start the line at its first column");
	/* also after a one-value key, and for a key of another section */
	load_fails("[rule r]\nkeywords = a\nmatch = any\n\tinterval=1\n", 4,
	    "indented \"interval =\" continues match (line 3) instead of setting interval");
	/* an alias with '=' inside it is still a list item */
	load_ok("[actor A]\naliases = x,\n  E = mc2 fans\n[rule r]\nactors = A\n");
	assert_string_equal(conf->entities[0].aliases[2], "E = mc2 fans");
}

static void
lists__continuation_lines__append(void **state)
{
	const struct conf_entity *e;

	(void)state;
	load_ok("[actor HTS]\n"
	    "aliases = \"HTS\", Tahrir al-Sham,\n"
	    "    Jolani ; a comment on a continuation line\n"
	    "; a comment between continuation lines\n"
	    "\tal-Julani\n"
	    "[rule r]\nactors = HTS\n");
	e = &conf->entities[0];
	assert_int_equal(e->naliases, 5);
	assert_string_equal(e->aliases[3], "Jolani");
	assert_string_equal(e->aliases[4], "al-Julani");
	assert_int_equal(conf->rules[0].line, 6);	/* continuation lines are counted */
}

static void
values__inline_comment_stripped_and_hash_kept(void **state)
{
	(void)state;
	load_ok("[feed f]\nurl = https://example.com/rss#top ; the feed\ntags = a;b, c#d\n");
	assert_string_equal(conf->feeds[0].url, "https://example.com/rss#top");
	assert_string_equal(conf->feeds[0].tags[0], "a;b");
	assert_string_equal(conf->feeds[0].tags[1], "c#d");
}

static void
values__space_hash__refused_in_one_value_warned_in_lists(void **state)
{
	(void)state;
	/* no URL holds a space: " #" there can only be a comment the reader does not strip */
	load_fails("[feed f]\nurl = https://example.com/rss # the main feed\n", 2,
	    "url: \" #\" starts no comment here (only \" ;\" does)");
	load_fails("[newswatch]\nstate_dir = /tmp/nw # scratch\n", 2,
	    "state_dir: \" #\" starts no comment here");
	load_fails("[newswatch]\ninterval = 5m\t# often\n", 2, "interval: \" #\" starts no comment");
	/* in a list an item may start with '#'; inside an item it is kept, with a warning */
	load_ok("[feed f]\nurl = https://example.com/\ntags = a, #b\n");
	assert_string_equal(conf->feeds[0].tags[1], "#b");
	assert_int_equal(load("[feed f]\nurl = https://example.com/\ntags = a,\n  world # news\n"),
	    0);
	assert_error(4, "warning: tags: \" #\" starts no comment here (only \" ;\" does), so "
	    "\"world # news\" is kept as written");
	assert_int_equal(count_lines(errs), 1);
	assert_string_equal(conf->feeds[0].tags[1], "world # news");
}

static void
values__crlf_and_bom__accepted(void **state)
{
	(void)state;
	load_ok("\xef\xbb\xbf[feed f]\r\nurl = https://example.com/\r\ninterval = 5m\r\n");
	assert_string_equal(conf->feeds[0].url, "https://example.com/");
	assert_int_equal(conf->feeds[0].interval, 300);
}

static void
lines__2000_character_aliases_line__read_whole(void **state)
{
	struct buf	 b;
	size_t		 i;
	char		*last;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "[actor X]\naliases = ");
	for (i = 0; b.len < 2000; i++)
		buf_printf(&b, "%sAlias number %zu", i ? ", " : "", i);
	buf_puts(&b, "\n[rule r]\nactors = X\n");
	load_ok(b.data);
	assert_int_equal(conf->entities[0].naliases, i + 1);
	last = xasprintf("Alias number %zu", i - 1);
	assert_string_equal(conf->entities[0].aliases[i], last);
	assert_int_equal(conf->rules[0].line, 3);
	free(last);
	buf_free(&b);
}

static void
lines__exactly_at_limit__read_whole(void **state)
{
	struct buf	 b;
	size_t		 start;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "[actor X]\n");
	start = b.len;
	buf_puts(&b, "aliases = ");
	while (b.len - start + 20 < CONF_LINE_MAX)
		buf_puts(&b, "abcdefgh, ");
	while (b.len - start < CONF_LINE_MAX - 4)
		buf_putc(&b, 'y');
	buf_puts(&b, "last");
	assert_int_equal(b.len - start, CONF_LINE_MAX);
	buf_puts(&b, "\n[rule r]\nactors = X\n");
	load_ok(b.data);
	assert_non_null(strstr(conf->entities[0].aliases[conf->entities[0].naliases - 1], "ylast"));
	assert_int_equal(conf->rules[0].line, 3);
	buf_free(&b);
}

static void
lines__longer_than_limit__reported_on_its_line(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "[actor X]\n\naliases = ");
	while (b.len <= CONF_LINE_MAX + 10)
		buf_puts(&b, "abcdefgh, ");
	buf_puts(&b, "\n[rule r]\nactors = X\nbogus = 1\n");
	assert_int_equal(load(b.data), -1);
	assert_error(3, "longer than");
	assert_error(6, "unknown key \"bogus\"");
	assert_int_equal(count_lines(errs), 2);
	buf_free(&b);
}

static void
paths__relative__resolved_against_config_dir(void **state)
{
	char	*sub, *want, *rel;

	(void)state;
	sub = xasprintf("%s/etc", tmpdir);
	assert_int_equal(mkdir_p(sub, 0700), 0);
	want = xasprintf("%s/sub.conf", sub);
	write_file(want, "[newswatch]\nstate_dir = state/\nalert_log = ../log/a.log\n");
	/* a relative path to the file itself, too */
	assert_int_equal(chdir(tmpdir), 0);
	rel = xstrdup("etc/sub.conf");
	assert_int_equal(load_path(rel), 0);
	free(want);
	want = xasprintf("%s/state", sub);
	assert_string_equal(conf->state_dir, want);
	free(want);
	want = xasprintf("%s/../log/a.log", sub);
	assert_string_equal(conf->alert_log, want);
	free(want);
	want = xasprintf("%s/sub.conf", sub);
	assert_string_equal(conf->path, want);
	free(want);
	free(rel);
	free(sub);
}

static void
paths__tilde__expanded_from_home(void **state)
{
	char	*want;

	(void)state;
	load_ok("[newswatch]\nstate_dir = ~/nw\n");
	want = xasprintf("%s/nw", tmpdir);
	assert_string_equal(conf->state_dir, want);
	free(want);
	want = xasprintf("%s/nw/alerts.log", tmpdir);
	assert_string_equal(conf->alert_log, want);
	free(want);
	load_ok("[newswatch]\nstate_dir = /var/lib/nw\n");
	assert_string_equal(conf->state_dir, "/var/lib/nw");
	load_fails("[newswatch]\nstate_dir = ~bob/nw\n", 2, "only ~/ is expanded");
}

static void
paths__xdg_state_home__is_default_state_dir(void **state)
{
	(void)state;
	setenv("XDG_STATE_HOME", "/srv/state/", 1);
	load_ok("");
	assert_string_equal(conf->state_dir, "/srv/state/newswatch");
	assert_string_equal(conf->alert_log, "/srv/state/newswatch/alerts.log");
	/* the XDG spec says to ignore a relative value */
	setenv("XDG_STATE_HOME", "relative", 1);
	load_ok("");
	assert_non_null(strstr(conf->state_dir, "/.local/state/newswatch"));
	unsetenv("XDG_STATE_HOME");
}

static void
paths__default_config_path__follows_xdg(void **state)
{
	char	*p, *want;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
	p = conf_default_path();
	assert_string_equal(p, "/etc/xdg-test/newswatch/newswatch.conf");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = conf_default_path();
	want = xasprintf("%s/.config/newswatch/newswatch.conf", tmpdir);
	assert_string_equal(p, want);
	free(want);
	free(p);
	setenv("XDG_CONFIG_HOME", "", 1);
	p = conf_default_path();
	assert_non_null(strstr(p, "/.config/newswatch/newswatch.conf"));
	free(p);
	unsetenv("XDG_CONFIG_HOME");
}

/* Errors: each on its line, with what was expected. */

static void
errors__section_header_problems(void **state)
{
	(void)state;
	load_fails("[newswatch]\n\n[gadget x]\nkey = 1\n", 3,
	    "unknown section type \"gadget\": expected [newswatch], [feed NAME]");
	load_fails("[feed a]\nurl = http://a.example/\n[feed   ]\n", 3,
	    "empty name: expected [feed NAME]");
	load_fails("[actor]\n", 1, "empty name: expected [actor NAME]");
	load_fails("[newswatch extra]\n", 1, "[newswatch] takes no name");
	load_fails("[feed a]\nurl = http://a.example/\n[feed a]\nurl = http://b.example/\n", 3,
	    "duplicate section [feed a] (first at line 1)");
	load_fails("[actor Hezbollah]\n[actor hezbollah]\n", 2, "duplicate section");
	load_fails("[newswatch]\n[newswatch]\n", 2, "duplicate section [newswatch] (first at line 1)");
	load_fails("[actor A, B]\n", 1, "contains a comma");
	load_fails("[feed a]\nurl = http://a.example/\n[feed b\nurl = x\n", 3,
	    "expected ] to close the section header");
	load_fails("[feed a] oops\nurl = http://a.example/\n", 1, "unexpected text after");
}

static void
errors__key_problems(void **state)
{
	(void)state;
	load_fails("; comment\nstate_dir = /tmp\n[newswatch]\n", 2,
	    "key \"state_dir\" before any section");
	load_fails("[feed a]\nurl = http://a.example/\nfrequency = 5m\n", 3,
	    "unknown key \"frequency\" in [feed a]: expected url, interval, max_items, fetch_article, max_articles or tags");
	load_fails("[actor A]\n[actor B]\n[rule r]\nactors = A\nactors = B\n", 5,
	    "duplicate key \"actors\" in [rule r] (first at line 4)");
	load_fails("[feed a]\nurl = http://a.example/\n\nthis is not a key\n", 4,
	    "expected key = value");
	load_fails("[feed a]\nurl = http://a.example/\n= value\n", 3, "expected a key before =");
	/* an indented key = value line would continue the key above: said in words */
	load_fails("[feed a]\nurl = http://a.example/\n  tags = x\n", 3,
	    "indented \"tags =\" continues url (line 2) instead of setting tags");
	load_fails("[feed a]\nurl = http://a.example/\ninterval = 5m\n  10m\n", 4,
	    "interval takes one value");
}

static void
errors__feed_url(void **state)
{
	(void)state;
	load_fails("[newswatch]\n[feed a]\ntags = x\n", 2,
	    "feed a has no url: add url = https://...");
	load_fails("[feed a]\nurl = ftp://example.com/rss\n", 2,
	    "bad url \"ftp://example.com/rss\" for feed a: expected http://HOST/");
	load_fails("[feed a]\nurl = file:///etc/passwd\n", 2, "bad url");
	load_fails("[feed a]\nurl = https://\n", 2, "bad url");
	load_fails("[feed a]\nurl = https://exa mple.com/\n", 2, "bad url");
	load_fails("[feed a]\nurl =\n", 2, "bad url");
	load_ok("[feed a]\nurl = HTTPS://Example.com:8443/rss?x=1\n");
}

static void
errors__bad_values__say_what_is_expected(void **state)
{
	(void)state;
	load_fails("[newswatch]\ninterval = 10x\n", 2,
	    "bad interval \"10x\": use 90, 90s, 10m, 2h or 1d");
	load_fails("[newswatch]\ninterval = 0\n", 2, "interval must be at least 1s");
	load_fails("[feed a]\nurl = http://a.example/\ninterval = -5m\n", 3, "bad interval \"-5m\"");
	load_fails("[newswatch]\ntimeout = 1.5m\n", 2, "bad timeout \"1.5m\"");
	load_fails("[newswatch]\nmax_feed_size = 16X\n", 2,
	    "bad max_feed_size \"16X\": use bytes or a K, M or G suffix");
	load_fails("[newswatch]\nmax_feed_size = 2G\n", 2, "from 1K to 1G");
	load_fails("[newswatch]\nnotify = maybe\n", 2, "bad notify \"maybe\": use yes or no");
	load_fails("[newswatch]\nalert_log_format = json\n", 2,
	    "bad alert_log_format \"json\": use text or jsonl");
	load_fails("[newswatch]\nfirst_poll = loud\n", 2, "bad first_poll \"loud\": use silent");
	load_fails("[newswatch]\nmax_transfers = 0\n", 2,
	    "bad max_transfers \"0\": use a whole number from 1 to 1024");
	load_fails("[newswatch]\nmax_host_transfers = lots\n", 2, "bad max_host_transfers");
	load_fails("[newswatch]\nstate_dir =\n", 2, "state_dir is empty");
	load_fails("[rule r]\nkeywords = k\nmatch = most\n", 3, "bad match \"most\": use all or any");
	load_fails("[rule r]\nkeywords = k\nseverity = urgent\n", 3,
	    "bad severity \"urgent\": use low, normal or critical");
	load_fails("[rule r]\nkeywords = k\nfields = title, body\n", 3,
	    "bad field \"body\": use title, summary, content, category or article");
	load_fails("[rule r]\nkeywords = k\nwithin = paragraph\n", 3,
	    "bad within \"paragraph\": use sentence or N words");
	load_fails("[rule r]\nkeywords = k\nwithin = 12\n", 3, "bad within \"12\"");
	load_fails("[rule r]\nkeywords = k\nwithin = 0 words\n", 3, "bad within");
	load_fails("[actor X]\naliases = \"UN, ok\n", 2, "bad alias \"UN in X");
	load_fails("[actor X]\naliases = ok, *\n", 2, "bad alias * in X");
}

static void
errors__rule_problems(void **state)
{
	(void)state;
	load_fails("[feed bbc]\nurl = http://a.example/\n[rule quiet]\nseverity = low\n", 3,
	    "rule quiet names nothing to match: give actors, places or keywords");
	load_fails("[rule quiet]\nactors = ,\n", 1, "rule quiet names nothing to match");
	load_fails("[feed bbc]\nurl = http://a.example/\n[rule r]\nkeywords = k\nfeeds = bbc, cnn\n",
	    5, "rule r names unknown feed \"cnn\"");
	load_fails("[rule r]\nkeywords = k\nfeeds = BBC\n[feed bbc]\nurl = http://a.example/\n",
	    3, "unknown feed \"BBC\"");
	load_fails("[place Syria]\n[rule r]\nkeywords = k\nactors = Syria\n", 4,
	    "rule r: actors names Syria, which is a place (line 1), not an actor");
	load_fails("[actor Hezbollah]\n[rule r]\nplaces = Hezbollah\n", 3,
	    "rule r: places names Hezbollah, which is an actor");
}

static void
errors__in_naming_an_actor__reported(void **state)
{
	(void)state;
	load_fails("[actor Hezbollah]\n[place Homs]\nin = Hezbollah\n", 3,
	    "place Homs: in names Hezbollah, which is an actor (line 1), not a place");
	load_fails("[place Homs]\nin = Syria, Lebanon\n", 2, "in = names one place");
}

static void
cycles__in_chain_loop__reported_once_with_the_chain(void **state)
{
	(void)state;
	load_fails("[place Homs]\nin = Syria\n[place Syria]\nin = Homs\n", 2,
	    "places contain each other: Homs in Syria in Homs");
	load_fails("[place Homs]\nin = homs\n", 2, "places contain each other: Homs in Homs");
	/* a longer loop, entered from a place outside it */
	load_fails("[place Old City]\nin = A\n[place A]\nin = B\n[place B]\nin = C\n"
	    "[place C]\nin = A\n", 4, "places contain each other: A in B in C in A");
	/* chains that end are fine, however they branch */
	load_ok("[place Homs]\nin = Syria\n[place Aleppo]\nin = Syria\n[place Syria]\n"
	    "in = Levant\n[place Beirut]\nin = Lebanon\n[place Lebanon]\nin = Levant\n"
	    "[place Levant]\n");
	assert_int_equal(conf->entities[entity(ENTITY_PLACE, "Lebanon")].in,
	    entity(ENTITY_PLACE, "Levant"));
}

static void
errors__many_kinds__all_reported_in_line_order(void **state)
{
	static const struct {
		int		 line;
		const char	*fragment;
	} want[] = {
		{ 1, "key \"orphan\" before any section" },
		{ 3, "bad interval \"10x\"" },
		{ 4, "bad notify \"maybe\"" },
		{ 5, "duplicate key \"interval\" in [newswatch] (first at line 3)" },
		{ 6, "unknown key \"bogus\" in [newswatch]" },
		{ 7, "expected key = value" },
		{ 8, "empty name: expected [feed NAME]" },
		{ 10, "bad url \"ftp://example.com/feed\"" },
		{ 11, "duplicate section [feed a] (first at line 9)" },
		{ 13, "feed nourl has no url" },
		{ 15, "unknown section type \"gadget\"" },
		{ 19, "places contain each other: A in B in A" },
		{ 23, "place C: in names Hezbollah, which is an actor" },
		{ 24, "rule empty names nothing to match" },
		{ 28, "rule badfeed names unknown feed \"nosuch\"" },
		{ 29, "bad severity \"urgent\"" },
		{ 30, "expected ] to close the section header" },
	};
	char		*path = xstrdup(NW_FIXTURES "/conf/many-errors.conf");
	const char	*p;
	size_t		 i;
	int		 line, prev = 0;

	(void)state;
	assert_int_equal(load_path(path), -1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_error_in(path, want[i].line, want[i].fragment);
	assert_int_equal(count_lines(errs), sizeof(want) / sizeof(want[0]));
	for (p = errs; *p != '\0'; p = strchr(p, '\n') + 1) {
		assert_int_equal(strncmp(p, path, strlen(path)), 0);
		line = atoi(p + strlen(path) + 1);
		assert_true(line >= prev);
		prev = line;
	}
	free(path);
}

static void
errors__missing_file__says_cannot_open(void **state)
{
	char	*path;

	(void)state;
	path = xasprintf("%s/nonexistent.conf", tmpdir);
	assert_int_equal(load_path(path), -1);
	assert_non_null(strstr(errs, "nonexistent.conf: cannot open: No such file"));
	free(path);
	assert_int_equal(load_path(tmpdir), -1);	/* a directory */
	assert_non_null(strstr(errs, "Is a directory"));
}

/* Units. */

static void
parse_duration__forms_and_overflow(void **state)
{
	unsigned	 s;

	(void)state;
	assert_int_equal(conf_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(conf_parse_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(conf_parse_duration("10m", &s), 0);
	assert_int_equal(s, 600);
	assert_int_equal(conf_parse_duration("2h", &s), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(conf_parse_duration("1d", &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(conf_parse_duration("0", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(conf_parse_duration("", &s), -1);
	assert_int_equal(conf_parse_duration("m", &s), -1);
	assert_int_equal(conf_parse_duration("10x", &s), -1);
	assert_int_equal(conf_parse_duration("10ms", &s), -1);
	assert_int_equal(conf_parse_duration("10 m", &s), -1);
	assert_int_equal(conf_parse_duration("-1", &s), -1);
	assert_int_equal(conf_parse_duration("+1", &s), -1);
	assert_int_equal(conf_parse_duration("10M", &s), -1);
	assert_int_equal(conf_parse_duration("4294967295", &s), 0);
	assert_int_equal(conf_parse_duration("4294967296", &s), -1);
	assert_int_equal(conf_parse_duration("49710d", &s), 0);
	assert_int_equal(s, 49710u * 86400);
	assert_int_equal(conf_parse_duration("49711d", &s), -1);
	assert_int_equal(conf_parse_duration("99999999999999999999999", &s), -1);
}

static void
parse_size__forms_and_overflow(void **state)
{
	size_t	 n;

	(void)state;
	assert_int_equal(conf_parse_size("4096", &n), 0);
	assert_int_equal(n, 4096);
	assert_int_equal(conf_parse_size("64k", &n), 0);
	assert_int_equal(n, 65536);
	assert_int_equal(conf_parse_size("16M", &n), 0);
	assert_int_equal(n, 16 * 1024 * 1024);
	assert_int_equal(conf_parse_size("1G", &n), 0);
	assert_int_equal(n, 1024 * 1024 * 1024);
	assert_int_equal(conf_parse_size("16MB", &n), -1);
	assert_int_equal(conf_parse_size("1T", &n), -1);
	assert_int_equal(conf_parse_size("", &n), -1);
	assert_int_equal(conf_parse_size("-1K", &n), -1);
	assert_int_equal(conf_parse_size("99999999999999999999G", &n), -1);
	assert_int_equal(conf_parse_size("18014398509481984G", &n), -1);
}

static void
severity_name__each_level(void **state)
{
	(void)state;
	assert_string_equal(conf_severity_name(SEV_LOW), "low");
	assert_string_equal(conf_severity_name(SEV_NORMAL), "normal");
	assert_string_equal(conf_severity_name(SEV_CRITICAL), "critical");
}

/* The shipped example, the summary and `newswatch check`. */

static void
shipped_example__loads_without_errors(void **state)
{
	char	*path = xstrdup(NW_FIXTURES "/../../conf/newswatch.conf");
	long	 syria, homs;
	size_t	 i;

	(void)state;
	if (load_path(path) != 0)
		fail_msg("conf/newswatch.conf:\n%s", errs);
	assert_true(conf->nfeeds >= 4);
	for (i = 0; i < conf->nfeeds; i++)
		assert_int_equal(strncmp(conf->feeds[i].url, "https://", 8), 0);
	assert_int_equal(conf->interval, 600);
	assert_int_equal(conf->nrules, 4);
	syria = entity(ENTITY_PLACE, "Syria");
	homs = entity(ENTITY_PLACE, "Homs");
	assert_int_equal(conf->entities[homs].in, syria);
	assert_int_equal(conf->entities[entity(ENTITY_PLACE, "Beirut")].in,
	    entity(ENTITY_PLACE, "Lebanon"));
	/* every rule names declared entities only: no typo became an implicit one */
	for (i = 0; i < conf->nentities; i++)
		if (conf->entities[i].kind != ENTITY_TERM && !conf->entities[i].declared)
			fail_msg("%s is not declared", conf->entities[i].name);
	assert_string_equal(conf->entities[entity(ENTITY_ACTOR, "Hayat Tahrir al-Sham")].aliases[1],
	    "\"HTS\"");
	assert_int_equal(conf->rules[0].severity, SEV_CRITICAL);
	free(path);
}

/* conf_print_summary of the loaded conf, as a new string. */
static char *
summary_text(void)
{
	char	*out = NULL;
	size_t	 len;
	FILE	*fp;

	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	conf_print_summary(conf, fp);
	assert_int_equal(fclose(fp), 0);
	return out;
}

static void
summary__names_feeds_entities_and_rules(void **state)
{
	char	*out;

	(void)state;
	load_ok("[feed bbc]\nurl = https://a.example/rss\ninterval = 90s\n"
	    "[actor Hezbollah]\naliases = Hizbollah\n"
	    "[place Homs]\nin = Syria\n[place Syria]\n"
	    "[rule hez-homs]\nactors = Hezbollah\nplaces = Homs\nseverity = critical\n");
	out = summary_text();
	assert_non_null(strstr(out, "1 feed\n"));
	assert_non_null(strstr(out, "bbc"));
	assert_non_null(strstr(out, "every 90s"));
	assert_non_null(strstr(out, "Hezbollah (2 aliases)"));
	assert_non_null(strstr(out, "Homs (1 alias) in Syria"));
	assert_non_null(strstr(out, "hez-homs (critical, match all): actors Hezbollah; places Homs"));
	free(out);
}

static void
summary__durations_printed_as_written(void **state)
{
	char	*out;

	(void)state;
	load_ok("[newswatch]\ninterval = 2h\ntimeout = 90\nmax_age = 2d\nretention = 2592000\n"
	    "[feed f]\nurl = https://a.example/rss\ninterval = 5400\n"
	    "[rule r]\nkeywords = ceasefire\ncooldown = 1800\n");
	out = summary_text();
	assert_non_null(strstr(out, "poll every 2h,"));
	assert_non_null(strstr(out, "timeout 90s,"));
	assert_non_null(strstr(out, "every 90m "));
	assert_non_null(strstr(out, "newer than 2d; keep items and delivered alerts 30d\n"));
	assert_non_null(strstr(out, "; cooldown 30m\n"));
	assert_null(strstr(out, "2592000"));
	free(out);
}

/* The contents of path (new string). */
static char *
read_whole(const char *path)
{
	FILE	*fp = fopen(path, "r");
	char	*text;
	long	 n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	text = xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return text;
}

/* A fresh tmpdir/check.out for a command's output, with our own buffers flushed first. */
static int
open_out(char **path)
{
	int	 fd;

	*path = xasprintf("%s/check.out", tmpdir);
	fflush(stdout);
	fflush(stderr);
	fd = open(*path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	return fd;
}

/* Runs cmd_check with stdout and stderr sent to a file: its exit status, the output in *out. */
static int
run_check(char **argv, int argc, char **out)
{
	char	*path;
	int	 fd = open_out(&path), save1, save2, status;

	save1 = dup(1);
	save2 = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	status = cmd_check(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd);
	*out = read_whole(path);
	free(path);
	return status;
}

/* "newswatch check --config tmpdir/test.conf": its exit status, its output in *out. */
static int
check_conf_file(char **out)
{
	char	*argv[4] = { "check", "--config", conf_file, NULL };

	return run_check(argv, 3, out);
}

/*
 * Runs "check --config tmpdir/test.conf" in a child as a user who owns nothing in tmpdir: nobody
 * when the test runs as root (root writes anywhere, whatever the modes say), else the caller, for
 * whom 0555 already bites. Its exit status, or -2 if root cannot become nobody; output in *out.
 */
static int
check_as_other_user(char **out)
{
	char	*argv[4] = { "check", "--config", conf_file, NULL };
	char	*path;
	pid_t	 pid;
	int	 fd = open_out(&path), status;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (geteuid() == 0 && (setgroups(0, NULL) == -1 || setgid(65534) == -1 ||
		    setuid(65534) == -1))
			_exit(100);
		status = cmd_check(3, argv);
		fflush(NULL);
		_exit(status);
	}
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	*out = read_whole(path);
	free(path);
	return WEXITSTATUS(status) == 100 ? -2 : WEXITSTATUS(status);
}

/* Asserts that out has "<tmpdir>/<rest>" in it. */
static void
assert_says(const char *out, const char *before, const char *rest)
{
	char	*want = xasprintf("%s%s/%s", before, tmpdir, rest);

	if (strstr(out, want) == NULL)
		fail_msg("no \"%s\" in:\n%s", want, out);
	free(want);
}

static void
check__state_and_alert_log_dirs__tried_and_said_in_words(void **state)
{
	char		*ro = xasprintf("%s/ro", tmpdir), *rw = xasprintf("%s/rw", tmpdir);
	char		*file = xasprintf("%s/rw/s/alerts.log", tmpdir), *out;
	struct stat	 st;
	int		 r;

	(void)state;
	assert_int_equal(chmod(tmpdir, 0755), 0);
	assert_int_equal(mkdir(ro, 0555), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	assert_int_equal(mkdir(rw, 0777), 0);
	assert_int_equal(chmod(rw, 0777), 0);

	/* a state directory that cannot be created, an alert log directory that can be written */
	write_file(conf_file, "[newswatch]\nstate_dir = ro/state\nalert_log = rw/alerts.log\n");
	if ((r = check_as_other_user(&out)) == -2) {
		free(out);
		chmod(tmpdir, 0700);
		skip();	/* root without the right to become nobody */
	}
	assert_int_equal(r, 1);
	assert_says(out, "state directory ", "ro/state: cannot create it in ");
	assert_says(out, "ro/state: cannot create it in ", "ro: Permission denied\n");
	assert_says(out, "alert log directory ", "rw: writable\n");
	assert_null(strstr(out, "configuration OK"));
	free(out);

	/* a directory that exists but cannot be written; one that is missing but can be made */
	write_file(conf_file, "[newswatch]\nstate_dir = ro\nalert_log = rw/new/alerts.log\n");
	assert_int_equal(check_as_other_user(&out), 1);
	assert_says(out, "state directory ", "ro: cannot write in it: Permission denied\n");
	assert_says(out, "alert log directory ", "rw/new: does not exist yet; it can be created in ");
	free(out);
	free(file);
	file = xasprintf("%s/rw/new", tmpdir);
	assert_int_equal(stat(file, &st), -1);	/* check created nothing */

	/* an alert log that exists but cannot be appended to */
	free(file);
	file = xasprintf("%s/rw/s", tmpdir);
	assert_int_equal(mkdir(file, 0777), 0);
	assert_int_equal(chmod(file, 0777), 0);
	free(file);
	file = xasprintf("%s/rw/s/alerts.log", tmpdir);
	write_file(file, "");
	assert_int_equal(chmod(file, 0444), 0);
	write_file(conf_file, "[newswatch]\nstate_dir = rw/s\n");
	assert_int_equal(check_as_other_user(&out), 1);
	assert_says(out, "state directory ", "rw/s: writable\n");
	assert_says(out, "alert log ", "rw/s/alerts.log: cannot write it: Permission denied\n");
	free(out);

	/* all fine: said, and OK */
	assert_int_equal(chmod(file, 0666), 0);
	assert_int_equal(check_as_other_user(&out), 0);
	assert_says(out, "alert log ", "rw/s/alerts.log: writable\n");
	assert_non_null(strstr(out, "configuration OK\n"));
	free(out);

	assert_int_equal(chmod(tmpdir, 0700), 0);
	free(file);
	free(ro);
	free(rw);
}

static void
check__exit_status_valid_invalid_usage(void **state)
{
	char	*argv[5], *out, *line3;

	(void)state;
	write_file(conf_file, "[feed a]\nurl = https://a.example/\n");
	argv[0] = "check";
	argv[1] = "--config";
	argv[2] = conf_file;
	argv[3] = NULL;
	assert_int_equal(run_check(argv, 3, &out), 0);
	assert_non_null(strstr(out, "configuration OK"));
	assert_non_null(strstr(out, "1 feed"));
	free(out);

	write_file(conf_file, "[feed a]\nurl = https://a.example/\nurl = x\n");
	assert_int_equal(run_check(argv, 3, &out), 1);
	line3 = xasprintf("%s:3: duplicate key \"url\"", conf_file);
	assert_non_null(strstr(out, line3));
	free(line3);
	free(out);

	argv[1] = "--bogus";
	assert_int_equal(run_check(argv, 3, &out), 2);
	free(out);
	argv[1] = "-c";
	argv[3] = "extra";
	assert_int_equal(run_check(argv, 4, &out), 2);
	free(out);
	argv[1] = "--config";
	argv[2] = NULL;
	assert_int_equal(run_check(argv, 2, &out), 2);
	free(out);

}

static void
check__missing_default_config__says_where_it_looked_and_how_to_start(void **state)
{
	char	*argv[2] = { "check", NULL }, *out;

	(void)state;
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	assert_int_equal(run_check(argv, 1, &out), 1);
	assert_says(out, "", "newswatch/newswatch.conf: no configuration file (looked there "
	    "because XDG_CONFIG_HOME is ");
	assert_non_null(strstr(out, "\nto start, copy "));
	assert_non_null(strstr(out, " and edit it"));
	assert_says(out, "mkdir -p ", "newswatch");
	assert_non_null(strstr(out, "; or pass --config FILE\n"));
	assert_null(strstr(out, "not valid"));
	assert_null(strstr(out, "cannot open"));
	free(out);

	unsetenv("XDG_CONFIG_HOME");	/* HOME is tmpdir */
	assert_int_equal(run_check(argv, 1, &out), 1);
	assert_says(out, "", ".config/newswatch/newswatch.conf: no configuration file (looked "
	    "there because XDG_CONFIG_HOME is unset: ~/.config)\n");
	free(out);

	/* a file named with --config is not the default: a typo more likely than a first run */
	write_file(conf_file, "");
	assert_int_equal(unlink(conf_file), 0);
	assert_int_equal(check_conf_file(&out), 1);
	assert_says(out, "", "test.conf: cannot open: No such file or directory\n");
	assert_null(strstr(out, "to start"));
	free(out);
}

static void
load__delivery_keys__defaults(void **state)
{
	(void)state;
	load_ok("[rule r]\nkeywords = ceasefire\n");
	assert_int_equal(conf->max_age, 7 * 86400);
	assert_int_equal(conf->retention, 30 * 86400);
	assert_int_equal(conf->max_popups_per_minute, 10);
	assert_int_equal(conf->exec_timeout, 30);
	assert_int_equal(conf->exec_max, 4);
	assert_int_equal(conf->rules[0].cooldown, 0);
	assert_null(conf->rules[0].exec);
}

static void
load__delivery_keys__read(void **state)
{
	(void)state;
	load_ok("[newswatch]\nmax_age = 2d\nretention = 90d\nmax_popups_per_minute = 3\n"
	    "exec_timeout = 5s\nexec_max = 2\ninterval = 1s\n"
	    "[rule r]\nkeywords = ceasefire\ncooldown = 10m\nexec = /bin/true\n");
	assert_int_equal(conf->max_age, 2 * 86400);
	assert_int_equal(conf->retention, 90 * 86400);
	assert_int_equal(conf->max_popups_per_minute, 3);
	assert_int_equal(conf->exec_timeout, 5);
	assert_int_equal(conf->exec_max, 2);
	assert_int_equal(conf->interval, 1);
	assert_int_equal(conf->rules[0].cooldown, 600);
	assert_string_equal(conf->rules[0].exec, "/bin/true");
	load_ok("[rule r]\nkeywords = ceasefire\ncooldown = 0\n");
	assert_int_equal(conf->rules[0].cooldown, 0);
}

static void
load__delivery_keys__bad_values_reported_with_line(void **state)
{
	char	*plain, *text;

	(void)state;
	load_fails("[newswatch]\nmax_age = soon\n", 2, "bad max_age \"soon\"");
	load_fails("[newswatch]\nretention = 0\n", 2, "retention must be at least 1s");
	load_fails("[newswatch]\nmax_popups_per_minute = 0\n", 2,
	    "bad max_popups_per_minute \"0\": use a whole number from 1 to 1000");
	load_fails("[newswatch]\nexec_max = 65\n", 2, "bad exec_max \"65\"");
	load_fails("[newswatch]\nexec_timeout = 3x\n", 2, "bad exec_timeout");
	load_fails("[rule r]\nkeywords = k\ncooldown = later\n", 3, "bad cooldown \"later\"");
	load_fails("[rule r]\nkeywords = k\nexec = bin/hook\n", 3,
	    "bad exec \"bin/hook\" for rule r: give an absolute path");
	load_fails("[rule r]\nkeywords = k\nexec = /nonexistent/hook\n", 3,
	    "exec /nonexistent/hook for rule r: No such file or directory");
	plain = xasprintf("%s/plain", tmpdir);
	write_file(plain, "not a program\n");
	chmod(plain, 0644);
	text = xasprintf("[rule r]\nkeywords = k\nexec = %s\n", plain);
	load_fails(text, 3, "for rule r: not an executable file");
	free(text);
	free(plain);
	load_fails("[rule r]\nkeywords = k\nexec = /tmp\n", 3, "not an executable file");
}

static void
load__surge_keys__defaults_read_and_checked(void **state)
{
	(void)state;
	load_ok("[rule r]\nkeywords = ceasefire\n");
	assert_int_equal(conf->rules[0].surge, 0);
	assert_int_equal(conf->rules[0].surge_window, 3600);
	assert_int_equal(conf->rules[0].surge_min, 5);
	load_ok("[rule r]\nkeywords = ceasefire\nsurge = yes\n");
	assert_int_equal(conf->rules[0].surge, 1);
	assert_int_equal(conf->rules[0].surge_window, 3600);
	load_ok("[rule r]\nkeywords = ceasefire\nsurge = yes\nsurge_window = 30m\n"
	    "surge_min = 20\n");
	assert_int_equal(conf->rules[0].surge_window, 1800);
	assert_int_equal(conf->rules[0].surge_min, 20);
	load_fails("[rule r]\nkeywords = k\nsurge = often\n", 3,
	    "bad surge \"often\": use yes or no");
	load_fails("[rule r]\nkeywords = k\nsurge = yes\nsurge_window = 1m\n", 4,
	    "bad surge_window \"1m\": use a duration from 5m to 1d");
	load_fails("[rule r]\nkeywords = k\nsurge = yes\nsurge_window = 2d\n", 4,
	    "bad surge_window \"2d\"");
	load_fails("[rule r]\nkeywords = k\nsurge = yes\nsurge_window = soon\n", 4,
	    "bad surge_window \"soon\"");
	load_fails("[rule r]\nkeywords = k\nsurge = yes\nsurge_min = 0\n", 4,
	    "bad surge_min \"0\": use a whole number from 1 to 100000");
	/* Settings without surge = yes load, with a warning at the first of them. */
	assert_int_equal(load("[rule r]\nkeywords = k\n\nsurge_min = 9\n"), 0);
	assert_error(4, "warning: rule r sets surge_window or surge_min without surge = yes");
}

static void
summary__surge_rule__says_so(void **state)
{
	char	*out;

	(void)state;
	load_ok("[rule r]\nkeywords = ceasefire\nsurge = yes\nsurge_min = 8\n");
	out = summary_text();
	assert_non_null(strstr(out, "; surge at 8+ stories in 1h\n"));
	free(out);
}

static void
load__critical_popup_keys__default_read_and_checked(void **state)
{
	(void)state;
	load_ok("[rule r]\nkeywords = ceasefire\n");
	assert_int_equal(conf->max_critical_popups_per_minute, 30);
	assert_int_equal(conf->sticky_critical, 0);
	load_ok("[newswatch]\nmax_critical_popups_per_minute = 5\nsticky_critical = yes\n"
	    "[rule r]\nkeywords = ceasefire\n");
	assert_int_equal(conf->max_critical_popups_per_minute, 5);
	assert_int_equal(conf->sticky_critical, 1);
	load_fails("[newswatch]\nmax_critical_popups_per_minute = 0\n", 2,
	    "bad max_critical_popups_per_minute \"0\": use a whole number from 1 to 1000");
	load_fails("[newswatch]\n\nsticky_critical = always\n", 3,
	    "bad sticky_critical \"always\": use yes or no");
}

static void
load__max_items__default_main_key_and_feed_override(void **state)
{
	(void)state;
	load_ok("[feed a]\nurl = https://a.example/\n");
	assert_int_equal(conf->max_items, 5000);
	assert_int_equal(conf->feeds[0].max_items, 5000);
	load_ok("[feed a]\nurl = https://a.example/\n[feed b]\nurl = https://b.example/\n"
	    "max_items = 20000\n[newswatch]\nmax_items = 300\n");
	assert_int_equal(conf->max_items, 300);
	assert_int_equal(conf->feeds[0].max_items, 300);
	assert_int_equal(conf->feeds[1].max_items, 20000);
	load_fails("[newswatch]\nmax_items = 0\n", 2,
	    "bad max_items \"0\": use a whole number from 1 to 100000");
	load_fails("[feed a]\nurl = https://a.example/\nmax_items = 100001\n", 3,
	    "bad max_items \"100001\"");
}

static void
load__fetch_article__per_feed_with_its_cap(void **state)
{
	(void)state;
	load_ok("[feed a]\nurl = https://a.example/\n[feed b]\nurl = https://b.example/\n"
	    "fetch_article = short\n[feed c]\nurl = https://c.example/\nfetch_article = yes\n"
	    "max_articles = 5\n[rule r]\nkeywords = k\nfields = title, article\n");
	assert_int_equal(conf->feeds[0].fetch_article, FETCH_ARTICLE_NO);
	assert_int_equal(conf->feeds[0].max_articles, CONF_MAX_ARTICLES);
	assert_int_equal(conf->feeds[1].fetch_article, FETCH_ARTICLE_SHORT);
	assert_int_equal(conf->feeds[2].fetch_article, FETCH_ARTICLE_YES);
	assert_int_equal(conf->feeds[2].max_articles, 5);
	assert_int_equal(conf->rules[0].fields, FIELD_TITLE | FIELD_ARTICLE);
	load_fails("[feed a]\nurl = https://a.example/\nfetch_article = always\n", 3,
	    "bad fetch_article \"always\" for feed a: use no, yes or short");
	load_fails("[feed a]\nurl = https://a.example/\nmax_articles = 0\n", 3,
	    "bad max_articles \"0\": use a whole number from 1 to 1000");
}

/* ---- The gazetteer (tests/fixtures/gazetteer/mini) ---- */

#define MINI_GAZ	NW_FIXTURES "/gazetteer/mini"

static long
alias_index(const struct conf_entity *e, const char *alias)
{
	size_t	 i;

	for (i = 0; i < e->naliases; i++)
		if (strcmp(e->aliases[i], alias) == 0)
			return (long)i;
	return -1;
}

/* The loaded entity of built-in entry id. */
static const struct conf_entity *
builtin_entity(const char *id)
{
	size_t	 i;

	for (i = 0; i < conf->nentities; i++)
		if (conf->entities[i].builtin_id && strcmp(conf->entities[i].builtin_id, id) == 0)
			return &conf->entities[i];
	fail_msg("no entity for built-in %s", id);
	return NULL;
}

/* %~ in places.tsv: a name namesakes abroad share is weak and flagged shared. */
static void
gazetteer__shared_name__flagged_on_the_namesake_not_the_capital(void **state)
{
	const struct conf_entity *ly, *lb;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\nplaces = Libya, Lebanon\n");
	ly = builtin_entity("2210247");
	lb = builtin_entity("266826");
	assert_int_equal(ly->alias_flags[alias_index(ly, "Tripoli")], CONF_ALIAS_PROPER);
	assert_int_equal(lb->alias_flags[alias_index(lb, "\"Tripoli\"")],
	    CONF_ALIAS_WEAK | CONF_ALIAS_PROPER | CONF_ALIAS_SHARED);
	assert_int_equal(lb->alias_flags[alias_index(lb, "\"طرابلس\"")],
	    CONF_ALIAS_WEAK | CONF_ALIAS_PROPER | CONF_ALIAS_SHARED);
	assert_string_equal(conf->entities[lb->in].builtin_id, "LB");
}

static void
gazetteer__rule_names_a_country__its_places_come_in_it(void **state)
{
	const struct conf_entity *sy, *aleppo, *homs;
	long	 i;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\nplaces = Syria\n");
	sy = &conf->entities[entity(ENTITY_PLACE, "Syria")];
	assert_string_equal(sy->builtin_id, "SY");
	assert_int_equal(sy->declared, 2);
	assert_true(alias_index(sy, "Suriye") >= 0);
	assert_true(alias_index(sy, "سوريا") >= 0);
	/* Aleppo is a region and a city: the city is in the region, the region in Syria. */
	for (i = 0; i < (long)conf->nentities; i++)
		if (conf->entities[i].builtin_id && strcmp(conf->entities[i].builtin_id, "170063") == 0)
			break;
	assert_true(i < (long)conf->nentities);
	aleppo = &conf->entities[i];
	assert_string_equal(conf->entities[aleppo->in].builtin_id, "SY.09");
	assert_ptr_equal(&conf->entities[conf->entities[aleppo->in].in], sy);
	/* Weak names are quoted (exact) and flagged. */
	i = alias_index(aleppo, "\"حلب\"");
	assert_true(i >= 0);
	assert_non_null(aleppo->alias_flags);
	assert_int_equal(aleppo->alias_flags[i], CONF_ALIAS_WEAK | CONF_ALIAS_PROPER);
	assert_int_equal(aleppo->alias_flags[alias_index(aleppo, "Aleppo")], CONF_ALIAS_PROPER);
	homs = &conf->entities[entity(ENTITY_PLACE, "Homs")];
	assert_int_equal(homs->declared, 3);
	/* ^~ in places.tsv: weak, and strong in Persian text */
	for (i = 0; i < (long)conf->nentities; i++)
		if (conf->entities[i].builtin_id && strcmp(conf->entities[i].builtin_id, "170017") == 0)
			break;
	assert_true(i < (long)conf->nentities);
	assert_int_equal(conf->entities[i].alias_flags[alias_index(&conf->entities[i],
	    "\"حماة\"")], CONF_ALIAS_WEAK | CONF_ALIAS_PROPER | CONF_ALIAS_PERSIAN);
	/* Turkey and France are not named: not loaded. */
	assert_int_equal(conf_entity_find(conf, ENTITY_PLACE, "Turkey"), -1);
	assert_int_equal(conf_entity_find(conf, ENTITY_PLACE, "Nice"), -1);
}

static void
gazetteer__exact_names_quoted__display_name_not_an_alias(void **state)
{
	const struct conf_entity *tr;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\nplaces = Türkiye\n");
	tr = &conf->entities[entity(ENTITY_PLACE, "Turkey")];
	assert_true(alias_index(tr, "\"Turkey\"") >= 0);
	assert_int_equal(alias_index(tr, "Turkey"), -1);
	assert_int_equal(tr->alias_flags[alias_index(tr, "\"Turkey\"")], CONF_ALIAS_PROPER);
}

static void
gazetteer__section_adds_aliases__builtin_no_opts_out(void **state)
{
	const struct conf_entity *sy;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[place Syria]\naliases = Sham\n"
	    "[rule r]\nplaces = Syria\n");
	sy = &conf->entities[entity(ENTITY_PLACE, "Syria")];
	assert_string_equal(sy->aliases[0], "Syria");
	assert_string_equal(sy->aliases[1], "Sham");
	assert_true(alias_index(sy, "Suriye") >= 0);
	assert_int_equal(sy->declared, 1);
	assert_true(conf_entity_find(conf, ENTITY_PLACE, "Homs") >= 0);

	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[place Syria]\naliases = Sham\n"
	    "builtin = no\n[rule r]\nplaces = Syria\n");
	sy = &conf->entities[entity(ENTITY_PLACE, "Syria")];
	assert_int_equal(sy->naliases, 2);
	assert_null(sy->builtin_id);
	assert_int_equal(conf_entity_find(conf, ENTITY_PLACE, "Homs"), -1);
}

static void
gazetteer__only_named_subtrees__containers_for_context(void **state)
{
	long	 aleppo, sy;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\nplaces = Halep\n");
	/* Halep is the city's name: the city, and Syria around it (for context), nothing else. */
	aleppo = conf->rules[0].places[0];
	assert_string_equal(conf->entities[aleppo].builtin_id, "170063");
	sy = conf_entity_find(conf, ENTITY_PLACE, "Syria");
	assert_true(sy >= 0);
	assert_int_equal(conf->entities[sy].declared, 3);
	assert_int_equal(conf_entity_find(conf, ENTITY_PLACE, "Hama"), -1);
	assert_int_equal(conf_entity_find(conf, ENTITY_PLACE, "Homs"), -1);
}

static void
gazetteer__actors__builtin_and_keys_accepted(void **state)
{
	const struct conf_entity *a;

	(void)state;
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[actor Bashar al-Assad]\n"
	    "kind = head-of-state\ncountry = SY\nfrom = 2000-07-17\nuntil = 2024-12-08\n"
	    "aliases = Bashar\n[rule r]\nactors = HTS, Bashar al-Assad\n");
	a = &conf->entities[conf->rules[0].actors[0]];
	assert_string_equal(a->name, "Hayat Tahrir al-Sham");
	assert_true(alias_index(a, "\"HTS\"") >= 0);
	a = &conf->entities[conf->rules[0].actors[1]];
	assert_true(alias_index(a, "Bashar") >= 0);
	assert_true(alias_index(a, "al-Assad") >= 0);
	/* A not = phrase of a built-in actor: flagged, so no name inside it counts. */
	assert_true(alias_index(a, "al-Assad Street") >= 0);
	assert_true(a->alias_flags[alias_index(a, "al-Assad Street")] & CONF_ALIAS_NOT);
	/* A weak acronym: flagged, and its country's places come in as its context. */
	load_ok("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\nactors = SDF\n");
	a = &conf->entities[conf->rules[0].actors[0]];
	assert_string_equal(a->name, "Syrian Democratic Forces");
	assert_true(alias_index(a, "\"SDF\"") >= 0);
	assert_true(a->alias_flags[alias_index(a, "\"SDF\"")] & CONF_ALIAS_WEAK);
	assert_true(conf_entity_find(conf, ENTITY_PLACE, "Syria") >= 0);
	assert_true(conf_entity_find(conf, ENTITY_PLACE, "Homs") >= 0);
	load_fails("[actor X]\nfrom = yesterday\n", 2, "bad from \"yesterday\": use YYYY-MM-DD");
	load_fails("[actor X]\ncountry = Syria\n", 2, "bad country \"Syria\"");
}

static void
gazetteer__path_missing__error_at_its_line(void **state)
{
	(void)state;
	load_fails("[newswatch]\nnotify = no\ngazetteer = /nonexistent/gaz\n", 3,
	    "gazetteer: /nonexistent/gaz/places.tsv: cannot open");
}

static void
gazetteer__yes_without_data__warning_and_off(void **state)
{
	(void)state;
	/* main() points NEWSWATCH_DATADIR at a directory without the data. */
	assert_int_equal(load("[newswatch]\ngazetteer = yes\n[rule r]\nplaces = Syria\n"), 0);
	assert_error(2, "warning: gazetteer = yes, but no places.tsv in");
	assert_null(conf->gazetteer);
	/* Left out, the default yes is silent when there is no data. */
	assert_int_equal(load("[rule r]\nplaces = Syria\n"), 0);
	assert_null(strstr(errs, "gazetteer"));
}

static void
gazetteer__check_lists_builtins_per_rule(void **state)
{
	char	*out = NULL;
	size_t	 len;
	FILE	*fp;

	(void)state;
	/* Gaza is not in the fixture: the usual warning, and no built-in line. */
	assert_int_equal(load("[newswatch]\ngazetteer = " MINI_GAZ "\n[rule r]\n"
	    "places = Syria, Gaza\nactors = HTS\n"), 0);
	assert_error(4, "warning: rule r: places names Gaza, which no [place] section declares");
	fp = open_memstream(&out, &len);
	conf_print_builtins(conf, fp);
	fclose(fp);
	assert_non_null(strstr(out, "rule r: built-in Hayat Tahrir al-Sham (actor Hayat "
	    "Tahrir al-Sham, 4 names)\n"));
	assert_non_null(strstr(out, "rule r: built-in Syria (country SY, 16 names)\n"));
	assert_null(strstr(out, "Gaza"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gazetteer__rule_names_a_country__its_places_come_in_it),
		cmocka_unit_test(gazetteer__shared_name__flagged_on_the_namesake_not_the_capital),
		cmocka_unit_test(gazetteer__exact_names_quoted__display_name_not_an_alias),
		cmocka_unit_test(gazetteer__section_adds_aliases__builtin_no_opts_out),
		cmocka_unit_test(gazetteer__only_named_subtrees__containers_for_context),
		cmocka_unit_test(gazetteer__actors__builtin_and_keys_accepted),
		cmocka_unit_test(gazetteer__path_missing__error_at_its_line),
		cmocka_unit_test(gazetteer__yes_without_data__warning_and_off),
		cmocka_unit_test(gazetteer__check_lists_builtins_per_rule),
		cmocka_unit_test(load__full_fixture__reads_every_key),
		cmocka_unit_test(load__empty_file__gives_defaults),
		cmocka_unit_test(load__rule_defaults__all_normal_every_field),
		cmocka_unit_test(load__booleans__every_spelling),
		cmocka_unit_test(load__within_one_word__singular_accepted),
		cmocka_unit_test(entities__section_name__is_first_alias_and_not_repeated),
		cmocka_unit_test(entities__quoted_starred_and_arabic_aliases__kept_as_written),
		cmocka_unit_test(entities__names_in_rules_and_in__become_implicit),
		cmocka_unit_test(entities__undeclared_name_close_to_declared__did_you_mean),
		cmocka_unit_test(entities__rule_naming_actor_declared_later__resolves_to_it),
		cmocka_unit_test(entities__same_name_as_actor_and_place__are_two_entities),
		cmocka_unit_test(entities__keyword_shared_by_rules__one_term),
		cmocka_unit_test(lists__indented_key_value__is_an_error_not_a_name),
		cmocka_unit_test(lists__continuation_lines__append),
		cmocka_unit_test(values__inline_comment_stripped_and_hash_kept),
		cmocka_unit_test(values__space_hash__refused_in_one_value_warned_in_lists),
		cmocka_unit_test(values__crlf_and_bom__accepted),
		cmocka_unit_test(lines__2000_character_aliases_line__read_whole),
		cmocka_unit_test(lines__exactly_at_limit__read_whole),
		cmocka_unit_test(lines__longer_than_limit__reported_on_its_line),
		cmocka_unit_test(paths__relative__resolved_against_config_dir),
		cmocka_unit_test(paths__tilde__expanded_from_home),
		cmocka_unit_test(paths__xdg_state_home__is_default_state_dir),
		cmocka_unit_test(paths__default_config_path__follows_xdg),
		cmocka_unit_test(errors__section_header_problems),
		cmocka_unit_test(errors__key_problems),
		cmocka_unit_test(errors__feed_url),
		cmocka_unit_test(errors__bad_values__say_what_is_expected),
		cmocka_unit_test(errors__rule_problems),
		cmocka_unit_test(errors__in_naming_an_actor__reported),
		cmocka_unit_test(cycles__in_chain_loop__reported_once_with_the_chain),
		cmocka_unit_test(errors__many_kinds__all_reported_in_line_order),
		cmocka_unit_test(errors__missing_file__says_cannot_open),
		cmocka_unit_test(parse_duration__forms_and_overflow),
		cmocka_unit_test(parse_size__forms_and_overflow),
		cmocka_unit_test(severity_name__each_level),
		cmocka_unit_test(shipped_example__loads_without_errors),
		cmocka_unit_test(summary__names_feeds_entities_and_rules),
		cmocka_unit_test(summary__durations_printed_as_written),
		cmocka_unit_test(check__exit_status_valid_invalid_usage),
		cmocka_unit_test(check__state_and_alert_log_dirs__tried_and_said_in_words),
		cmocka_unit_test(check__missing_default_config__says_where_it_looked_and_how_to_start),
		cmocka_unit_test(load__delivery_keys__defaults),
		cmocka_unit_test(load__delivery_keys__read),
		cmocka_unit_test(load__delivery_keys__bad_values_reported_with_line),
		cmocka_unit_test(load__surge_keys__defaults_read_and_checked),
		cmocka_unit_test(summary__surge_rule__says_so),
		cmocka_unit_test(load__critical_popup_keys__default_read_and_checked),
		cmocka_unit_test(load__max_items__default_main_key_and_feed_override),
		cmocka_unit_test(load__fetch_article__per_feed_with_its_cap),
	};

	/*
	 * These tests are about the parser: the built-in places and actors stay out (a directory
	 * without data) unless a test names the small fixture with gazetteer = DIR.
	 */
	setenv("NEWSWATCH_DATADIR", NW_FIXTURES "/conf", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
