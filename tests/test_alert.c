/* test_alert.c: alert records as text and JSON lines, notification text, and the alert log file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alert.h"
#include "record.h"
#include "util.h"

#define T0	1733407380	/* 2024-12-05T14:03:00Z */

static char **
list(int n, ...)
{
	va_list	 ap;
	char	**v = xcalloc((size_t)n + 1, sizeof(*v));
	int	 i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static void
add_match(struct alert *a, const char *kind, const char *name, const char *alias,
    const char *snippet, const char *via)
{
	struct alert_match	*m;

	a->matches = xreallocarray(a->matches, a->nmatches + 1, sizeof(*a->matches));
	m = &a->matches[a->nmatches++];
	m->kind = xstrdup(kind);
	m->name = xstrdup(name);
	m->alias = xstrdup(alias);
	m->field = xstrdup("title");
	m->snippet = xstrdup(snippet);
	m->via = via ? xstrdup(via) : NULL;
}

/* Hezbollah in Homs, Syria found through Homs; keywords and also_in when full is set. */
static void
make_alert(struct alert *a, int full)
{
	*a = (struct alert){ 0 };
	a->time = T0;
	a->rule = xstrdup("hezbollah-in-syria");
	a->severity = SEV_CRITICAL;
	a->feed = xstrdup("aljazeera");
	a->title = xstrdup("Clashes near Homs");
	a->link = xstrdup("https://example.org/a?b=1&c=2");
	if (!full)
		return;
	a->item_id = xstrdup("urn:item:1");
	a->published = xstrdup("2024-12-05T13:00:00Z");
	a->actors = list(1, "Hezbollah");
	a->nactors = 1;
	a->places = list(2, "Homs", "Syria");
	a->nplaces = 2;
	a->keywords = list(1, "clashes");
	a->nkeywords = 1;
	a->also_in = list(2, "bbc", "guardian");
	a->nalso_in = 2;
	add_match(a, "actor", "Hezbollah", "Hizbullah", "Hizbullah fighters", NULL);
	add_match(a, "place", "Homs", "Homs", "near Homs", NULL);
	add_match(a, "place", "Syria", "Homs", "near Homs", "Homs");
}

static char *
format(const struct alert *a, enum alert_format f)
{
	struct buf	b;

	buf_init(&b, 0);
	assert_int_equal(alert_format(a, f, &b), 0);
	return buf_steal(&b);
}

/* The line has one '\n', at its end, and no byte a terminal would act on. */
static void
assert_one_clean_line(const char *s)
{
	size_t	n = strlen(s), i;

	assert_true(n > 0);
	assert_int_equal(s[n - 1], '\n');
	for (i = 0; i + 1 < n; i++) {
		const unsigned char c = (unsigned char)s[i];

		assert_false(c < 0x20 || c == 0x7f);
		assert_false(c == 0xc2 && (unsigned char)s[i + 1] < 0xa0);	/* C1 */
	}
	assert_null(strstr(s, "\xe2\x80\xa8"));
	assert_null(strstr(s, "\xe2\x80\xa9"));
}

static void
text__full_alert__is_one_exact_line(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 1);
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_string_equal(s, "2024-12-05T14:03:00Z critical hezbollah-in-syria [aljazeera] "
	    "Clashes near Homs https://example.org/a?b=1&c=2 "
	    "(actors: Hezbollah; places: Homs, Syria (via Homs); keywords: clashes) "
	    "(also in: bbc, guardian) "
	    "(why: Hezbollah \"Hizbullah\" in title: Hizbullah fighters; "
	    "Homs \"Homs\" in title: near Homs; Syria \"Homs\" in title: near Homs)\n");
	free(s);
	alert_free(&a);
}

static void
text__empty_lists__leaves_their_parts_out(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 0);
	a.severity = SEV_LOW;
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_string_equal(s, "2024-12-05T14:03:00Z low hezbollah-in-syria [aljazeera] "
	    "Clashes near Homs https://example.org/a?b=1&c=2\n");
	free(s);

	a.places = list(1, "Syria");
	a.nplaces = 1;
	free(a.link);
	a.link = NULL;
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_string_equal(s, "2024-12-05T14:03:00Z low hezbollah-in-syria [aljazeera] "
	    "Clashes near Homs (places: Syria)\n");
	free(s);
	alert_free(&a);
}

static void
text__control_characters_in_fields__cannot_break_the_line(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 1);
	free(a.title);
	a.title = xstrdup("Fake\n2024-12-05T14:03:00Z critical forged [x] pwned\r\x1b[2J"
	    "\xc2\x9b" "31m\xe2\x80\xa8" "end\x07");
	free(a.feed);
	a.feed = xstrdup("al\njazeera");
	free(a.link);
	a.link = xstrdup("https://e.org/a b\n");
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_one_clean_line(s);
	assert_non_null(strstr(s, "[al jazeera]"));
	assert_non_null(strstr(s, " https://e.org/a%20b ("));
	free(s);
	alert_free(&a);
}

/* Runs python3's json.loads on the line; -1 when python3 is missing. */
static int
python_json_ok(const char *line)
{
	FILE	*p;
	int	 st;

	if (access("/usr/bin/python3", X_OK) != 0)
		return -1;
	p = popen("/usr/bin/python3 -c 'import json,sys; d=sys.stdin.read(); "
	    "assert d.count(\"\\n\") == 1 and d.endswith(\"\\n\"); json.loads(d)'", "w");
	assert_non_null(p);
	fputs(line, p);
	st = pclose(p);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void
json__full_alert__is_exact_and_parses(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 1);
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_string_equal(s, "{\"time\":\"2024-12-05T14:03:00Z\",\"rule\":\"hezbollah-in-syria\","
	    "\"severity\":\"critical\",\"feed\":\"aljazeera\",\"title\":\"Clashes near Homs\","
	    "\"link\":\"https://example.org/a?b=1&c=2\",\"id\":\"urn:item:1\","
	    "\"published\":\"2024-12-05T13:00:00Z\",\"actors\":[\"Hezbollah\"],"
	    "\"places\":[\"Homs\",\"Syria\"],\"keywords\":[\"clashes\"],\"matches\":["
	    "{\"kind\":\"actor\",\"name\":\"Hezbollah\",\"alias\":\"Hizbullah\",\"field\":\"title\","
	    "\"snippet\":\"Hizbullah fighters\",\"via\":null},"
	    "{\"kind\":\"place\",\"name\":\"Homs\",\"alias\":\"Homs\",\"field\":\"title\","
	    "\"snippet\":\"near Homs\",\"via\":null},"
	    "{\"kind\":\"place\",\"name\":\"Syria\",\"alias\":\"Homs\",\"field\":\"title\","
	    "\"snippet\":\"near Homs\",\"via\":\"Homs\"}],"
	    "\"also_in\":[\"bbc\",\"guardian\"],\"update\":false}\n");
	assert_int_not_equal(python_json_ok(s), 0);
	free(s);
	alert_free(&a);
}

static void
json__place_found_through_a_place_inside_it__names_both_like_the_text_line(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 0);
	a.places = list(1, "Syria");
	a.nplaces = 1;
	add_match(&a, "place", "Syria", "Hims", "near Hims", "Homs");
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_non_null(strstr(s, ",\"places\":[\"Syria\",\"Homs\"],"));
	/* The match keeps its via. */
	assert_non_null(strstr(s, "\"snippet\":\"near Hims\",\"via\":\"Homs\"}"));
	free(s);
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_non_null(strstr(s, " (places: Syria (via Homs)) "));
	free(s);
	alert_free(&a);
}

static void
json__place_mentioned_and_listed_by_the_rule__named_once(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 0);
	a.places = list(2, "Syria", "Homs");
	a.nplaces = 2;
	add_match(&a, "place", "Syria", "Homs", "near Homs", "Homs");
	add_match(&a, "place", "Homs", "Homs", "near Homs", NULL);
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_non_null(strstr(s, ",\"places\":[\"Syria\",\"Homs\"],"));
	free(s);
	alert_free(&a);
}

static void
update__changed_item__marked_in_json_and_before_the_title(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 1);
	a.update = 1;
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_non_null(strstr(s, ",\"update\":true}\n"));
	assert_int_not_equal(python_json_ok(s), 0);
	free(s);
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_non_null(strstr(s, " [aljazeera] (updated) Clashes near Homs https://"));
	free(s);
	alert_free(&a);
}

static void
json__empty_alert__has_every_key_as_null_or_empty_list(void **state)
{
	struct alert	 a = { .time = T0, .rule = xstrdup("r"), .feed = xstrdup("f") };
	char		*s;

	(void)state;
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_string_equal(s, "{\"time\":\"2024-12-05T14:03:00Z\",\"rule\":\"r\","
	    "\"severity\":\"low\",\"feed\":\"f\",\"title\":null,\"link\":null,\"id\":null,"
	    "\"published\":null,\"actors\":[],\"places\":[],\"keywords\":[],\"matches\":[],"
	    "\"also_in\":[],\"update\":false}\n");
	assert_int_not_equal(python_json_ok(s), 0);
	free(s);
	alert_free(&a);
}

static void
json__control_characters_in_title__stay_escaped_on_one_line(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_alert(&a, 1);
	free(a.title);
	a.title = xstrdup("a\nb\r\"c\"\x1b[2J\xe2\x80\xa8\\\xff");
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_non_null(strstr(s, "\"title\":\"a\\nb\\r\\\"c\\\"\\u001b[2J\\u2028\\\\\xef\xbf\xbd\""));
	assert_int_equal(strchr(s, '\n'), s + strlen(s) - 1);
	assert_int_not_equal(python_json_ok(s), 0);
	free(s);
	alert_free(&a);
}

static void
format__huge_title__is_clipped_and_still_formats(void **state)
{
	struct alert	 a;
	char		*s, *big;

	(void)state;
	make_alert(&a, 1);
	big = xmalloc(1000001);
	memset(big, 'x', 1000000);
	big[1000000] = '\0';
	free(a.title);
	a.title = big;
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_true(strlen(s) < 4096);
	assert_non_null(strstr(s, "xxx... https://"));
	free(s);
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_true(strlen(s) < 8192);
	free(s);
	alert_free(&a);
}

/*
 * The summary is plain text (dunst showed "Humus&#39;tan" when it was escaped); the body escapes
 * only what the markup subset needs, so apostrophes and quotes arrive as written there too.
 */
static void
notify__summary_plain_and_body_escapes_only_amp_lt_gt(void **state)
{
	struct alert	 a;
	char		*summary, *body;

	(void)state;
	make_alert(&a, 1);
	free(a.title);
	a.title = xstrdup("<b>Tom & Jerry's \"war\"</b> in Humus'tan\nnext");
	free(a.keywords[0]);
	a.keywords[0] = xstrdup("Humus'tan \"<clashes>\" & more");
	alert_notify_text(&a, &summary, &body);
	assert_string_equal(summary, "hezbollah-in-syria: <b>Tom & Jerry's \"war\"</b> in "
	    "Humus'tan next");
	assert_string_equal(body, "Actors: Hezbollah\nPlaces: Homs, Syria (via Homs)\n"
	    "Keywords: Humus'tan \"&lt;clashes&gt;\" &amp; more\nFeed: aljazeera\n"
	    "https://example.org/a?b=1&amp;c=2");
	free(summary);
	free(body);
	/* An update says so, as the log line does. */
	a.update = 1;
	alert_notify_text(&a, &summary, &body);
	assert_string_equal(summary, "hezbollah-in-syria: (updated) <b>Tom & Jerry's \"war\"</b> "
	    "in Humus'tan next");
	free(summary);
	free(body);
	alert_free(&a);
}

/* The summary of held-back pop-ups names the first three titles and counts the rest. */
static void
notify_summary__names_up_to_three_titles_then_counts(void **state)
{
	const char	*titles[3] = { "Aleppo: HTS advance", "Tom & Jerry's \"war\"",
	    "Homs <live>" };
	char		*summary, *body;

	(void)state;
	alert_notify_summary("hts-offensive", 12, 300, "/var/log/alerts.log", titles, 3,
	    &summary, &body);
	assert_string_equal(summary, "12 more for hts-offensive");
	assert_string_equal(body, "Aleppo: HTS advance; Tom &amp; Jerry's \"war\"; "
	    "Homs &lt;live&gt;; and 9 more\nIn the last 5 min. Every alert is in the alert log: "
	    "/var/log/alerts.log.");
	free(summary);
	free(body);

	alert_notify_summary("o'neill", 2, 0, NULL, titles, 2, &summary, &body);
	assert_string_equal(summary, "2 more for o'neill");
	assert_string_equal(body, "Aleppo: HTS advance; Tom &amp; Jerry's \"war\"\n"
	    "Every alert is in the alert log.");
	free(summary);
	free(body);

	alert_notify_summary("r", 4, 0, NULL, NULL, 0, &summary, &body);
	assert_string_equal(body, "Every alert is in the alert log.");
	free(summary);
	free(body);
}

static void
notify__long_title__is_cut_on_a_character_boundary(void **state)
{
	struct alert	 a;
	char		*summary, *body, *t;
	size_t		 i;

	(void)state;
	make_alert(&a, 0);
	free(a.title);
	a.title = t = xmalloc(601);
	for (i = 0; i < 300; i++)
		memcpy(t + 2 * i, "\xc3\xa9", 2);	/* é */
	t[600] = '\0';
	alert_notify_text(&a, &summary, &body);
	t = strchr(summary, ' ') + 1;
	assert_int_equal(strlen(t), 200 + 3);
	assert_memory_equal(t + 198, "\xc3\xa9...", 5);
	assert_string_equal(body, "Feed: aljazeera\nhttps://example.org/a?b=1&amp;c=2");
	free(summary);
	free(body);
	alert_free(&a);
}

/* Log file tests: a scratch directory per test. */
struct fixture {
	char	 tmp[64];
	char	*path;	/* tmp/logs/alerts.log: the directory does not exist yet */
};

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof(*f));

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_alert.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	f->path = xasprintf("%s/logs/alerts.log", f->tmp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	nftw(f->tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f->path);
	free(f);
	return 0;
}

static char *
slurp(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	ssize_t		 n;
	int		 fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	buf_init(&b, 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	close(fd);
	return buf_steal(&b);
}

static size_t
count_lines(const char *s)
{
	size_t	n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
log_open__new_path__creates_dir_0700_and_file_0600(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct stat		 st;
	char			*dir;
	mode_t			 old;

	old = umask(0);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	umask(old);
	assert_non_null(l);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	dir = xasprintf("%s/logs", f->tmp);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	free(dir);
	alert_log_close(l);
}

static void
log_write__two_records__reads_back_two_lines(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	char			*s, *want;

	make_alert(&a, 1);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	assert_int_equal(alert_log_write(l, &a), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	s = slurp(f->path);
	want = format(&a, ALERT_FORMAT_TEXT);
	assert_int_equal(count_lines(s), 2);
	assert_int_equal(strlen(s), 2 * strlen(want));
	assert_memory_equal(s, want, strlen(want));
	free(want);
	free(s);
	alert_free(&a);
}

static void
log_reopen__after_rename__writes_to_the_new_file(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	char			*old, *s;

	make_alert(&a, 0);
	l = alert_log_open(f->path, ALERT_FORMAT_JSONL);
	assert_non_null(l);
	assert_int_equal(alert_log_write(l, &a), 0);
	old = xasprintf("%s.1", f->path);
	assert_int_equal(rename(f->path, old), 0);
	assert_int_equal(alert_log_reopen(l), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	s = slurp(old);
	assert_int_equal(count_lines(s), 1);
	free(s);
	s = slurp(f->path);
	assert_int_equal(count_lines(s), 2);
	assert_int_equal(s[0], '{');
	free(s);
	free(old);
	alert_free(&a);
}

static void
log_write__device_full__fails_then_works_once_fixed(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	char			*s;
	int			 full, saved;

	make_alert(&a, 1);
	/* A log opened on /dev/full itself. */
	l = alert_log_open("/dev/full", ALERT_FORMAT_TEXT);
	if (l != NULL) {
		errno = 0;
		assert_int_equal(alert_log_write(l, &a), -1);
		assert_int_equal(errno, ENOSPC);
		alert_log_close(l);
	}

	/* A real log whose descriptor is /dev/full for a while. */
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	full = open("/dev/full", O_WRONLY);
	assert_true(full >= 0);
	saved = dup(alert_log_fd(l));
	assert_true(dup2(full, alert_log_fd(l)) >= 0);
	assert_int_equal(alert_log_write(l, &a), -1);
	assert_true(dup2(saved, alert_log_fd(l)) >= 0);
	close(saved);
	close(full);
	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	s = slurp(f->path);
	assert_int_equal(count_lines(s), 1);
	assert_int_equal(strncmp(s, "2024-12-05T14:03:00Z critical", 29), 0);
	free(s);
	alert_free(&a);
}

static void
log_write__after_short_write__starts_a_fresh_line(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	struct rlimit		 old, small;
	char			*s, *want, *nl;

	make_alert(&a, 1);
	want = format(&a, ALERT_FORMAT_TEXT);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	assert_int_equal(alert_log_write(l, &a), 0);

	/* A file size limit cuts the next record short, like a disk filling up mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = strlen(want) + 10;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(alert_log_write(l, &a), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	s = slurp(f->path);
	/* line 1 whole, line 2 the 10-byte fragment, line 3 whole */
	assert_int_equal(count_lines(s), 3);
	assert_memory_equal(s, want, strlen(want));
	nl = s + strlen(want) + 10;
	assert_int_equal(*nl, '\n');
	assert_string_equal(nl + 1, want);
	free(s);
	free(want);
	alert_free(&a);
}

static void
log_open__file_ending_mid_line__next_record_starts_a_fresh_line(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	char			*dir, *s, *want;
	int			 fd;

	make_alert(&a, 0);
	dir = xasprintf("%s/logs", f->tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	fd = open(f->path, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "partial", 7), 7);
	close(fd);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	assert_int_equal(alert_log_write(l, &a), 0);
	alert_log_close(l);
	s = slurp(f->path);
	want = format(&a, ALERT_FORMAT_TEXT);
	assert_memory_equal(s, "partial\n", 8);
	assert_string_equal(s + 8, want);
	free(want);
	free(s);
	free(dir);
	alert_free(&a);
}

static void
log_check__planned_record_written__found_at_its_offset(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a, b;
	struct alert_logpos	 pa, pb;

	make_alert(&a, 1);
	make_alert(&b, 0);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	assert_int_equal(alert_log_next(l, &pa), 0);
	assert_int_equal(pa.off, 0);
	assert_int_equal(alert_log_plan(l, &a, &pa), 0);
	pb = pa;
	pb.off = pa.off + (int64_t)pa.len;
	assert_int_equal(alert_log_plan(l, &b, &pb), 0);
	/* Planned, not written yet: not there. */
	assert_int_equal(alert_log_check(l, &pa), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	assert_int_equal(alert_log_check(l, &pa), 1);
	assert_int_equal(alert_log_check(l, &pb), 0);
	assert_int_equal(alert_log_write(l, &b), 0);
	assert_int_equal(alert_log_check(l, &pb), 1);
	/* The next record goes where alert_log_next says. */
	assert_int_equal(alert_log_next(l, &pa), 0);
	assert_int_equal(pa.off, pb.off + (int64_t)pb.len);
	alert_log_close(l);
	alert_free(&a);
	alert_free(&b);
}

static void
log_check__other_bytes_other_file_or_truncated__not_found(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a, b;
	struct alert_logpos	 pa, pb;
	char			*old;

	make_alert(&a, 1);
	make_alert(&b, 0);
	l = alert_log_open(f->path, ALERT_FORMAT_JSONL);
	assert_non_null(l);
	assert_int_equal(alert_log_next(l, &pa), 0);
	assert_int_equal(alert_log_plan(l, &a, &pa), 0);
	pb = pa;
	assert_int_equal(alert_log_plan(l, &b, &pb), 0);
	/* b was written where a was planned: a is not found there. */
	assert_int_equal(alert_log_write(l, &b), 0);
	assert_int_equal(alert_log_check(l, &pa), 0);
	assert_int_equal(alert_log_check(l, &pb), 1);
	/* Truncated (copytruncate): gone. */
	assert_int_equal(truncate(f->path, 10), 0);
	assert_int_equal(alert_log_check(l, &pb), 0);
	/* Rotated: the new file is another inode even if it holds the same bytes. */
	old = xasprintf("%s.1", f->path);
	assert_int_equal(rename(f->path, old), 0);
	assert_int_equal(alert_log_reopen(l), 0);
	assert_int_equal(alert_log_write(l, &b), 0);
	assert_int_equal(alert_log_check(l, &pb), 0);
	free(old);
	alert_log_close(l);
	alert_free(&a);
	alert_free(&b);
}

static void
log_next__after_a_fragment__counts_the_newline_that_ends_it(void **state)
{
	struct fixture		*f = *state;
	struct alert_log	*l;
	struct alert		 a;
	struct alert_logpos	 p;
	int			 fd;

	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);	/* makes the directory */
	assert_non_null(l);
	alert_log_close(l);
	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, "cut rec", 7), 7);
	close(fd);
	make_alert(&a, 0);
	l = alert_log_open(f->path, ALERT_FORMAT_TEXT);
	assert_non_null(l);
	assert_int_equal(alert_log_next(l, &p), 0);
	assert_int_equal(p.off, 8);
	assert_int_equal(alert_log_plan(l, &a, &p), 0);
	assert_int_equal(alert_log_write(l, &a), 0);
	assert_int_equal(alert_log_check(l, &p), 1);
	alert_log_close(l);
	alert_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text__full_alert__is_one_exact_line),
		cmocka_unit_test(text__empty_lists__leaves_their_parts_out),
		cmocka_unit_test(text__control_characters_in_fields__cannot_break_the_line),
		cmocka_unit_test(json__full_alert__is_exact_and_parses),
		cmocka_unit_test(json__place_found_through_a_place_inside_it__names_both_like_the_text_line),
		cmocka_unit_test(json__place_mentioned_and_listed_by_the_rule__named_once),
		cmocka_unit_test(update__changed_item__marked_in_json_and_before_the_title),
		cmocka_unit_test(json__empty_alert__has_every_key_as_null_or_empty_list),
		cmocka_unit_test(json__control_characters_in_title__stay_escaped_on_one_line),
		cmocka_unit_test(format__huge_title__is_clipped_and_still_formats),
		cmocka_unit_test(notify__summary_plain_and_body_escapes_only_amp_lt_gt),
		cmocka_unit_test(notify_summary__names_up_to_three_titles_then_counts),
		cmocka_unit_test(notify__long_title__is_cut_on_a_character_boundary),
		cmocka_unit_test_setup_teardown(log_open__new_path__creates_dir_0700_and_file_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(log_write__two_records__reads_back_two_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(log_reopen__after_rename__writes_to_the_new_file, setup, teardown),
		cmocka_unit_test_setup_teardown(log_write__device_full__fails_then_works_once_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(log_write__after_short_write__starts_a_fresh_line, setup, teardown),
		cmocka_unit_test_setup_teardown(log_open__file_ending_mid_line__next_record_starts_a_fresh_line, setup, teardown),
		cmocka_unit_test_setup_teardown(log_check__planned_record_written__found_at_its_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(log_check__other_bytes_other_file_or_truncated__not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(log_next__after_a_fragment__counts_the_newline_that_ends_it, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
