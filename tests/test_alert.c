/* test_alert.c: alert records as text and JSON lines and read back from them, notification text, and the alert log file. */
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
	m->snippet = snippet ? xstrdup(snippet) : NULL;
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

/*
 * Round trips: alert_parse is alert_format's inverse for every field a format carries. Each case
 * below builds an alert; want_title is the title the log carries when the format changes it.
 */
struct rt_case {
	const char	*name;
	void		(*make)(struct alert *);
	const char	*want_text_title;	/* NULL: str_oneline of the title */
	const char	*want_json_title;	/* NULL: the title as it is */
};

static void
rt_plain(struct alert *a)
{
	make_alert(a, 0);
}

static void
rt_full(struct alert *a)
{
	make_alert(a, 1);
}

static void
rt_update(struct alert *a)
{
	make_alert(a, 1);
	a->update = 1;
	a->severity = SEV_LOW;
}

/* README's case: Syria found through Homs, Homs not a place of the rule. */
static void
rt_via_only(struct alert *a)
{
	make_alert(a, 0);
	a->places = list(1, "Syria");
	a->nplaces = 1;
	add_match(a, "place", "Syria", "Homs", "fighters near Homs", "Homs");
}

/* The place found through comes first in the rule's list, with no match of its own. */
static void
rt_via_listed_first(struct alert *a)
{
	make_alert(a, 0);
	a->places = list(2, "Homs", "Syria");
	a->nplaces = 2;
	add_match(a, "place", "Syria", "Homs", "fighters near Homs", "Homs");
}

static void
rt_keywords(struct alert *a)
{
	make_alert(a, 0);
	a->severity = SEV_NORMAL;
	a->keywords = list(2, "ceasefire", "truce");
	a->nkeywords = 2;
	add_match(a, "keyword", "ceasefire", "cease-fire", "a cease-fire; talks \"resume\"", NULL);
	add_match(a, "keyword", "truce", "truce", NULL, NULL);
	a->also_in = list(3, "bbc", "reuters world", "dw");
	a->nalso_in = 3;
}

static void
rt_unicode(struct alert *a)
{
	make_alert(a, 1);
	free(a->title);
	a->title = xstrdup("\xd8\xa7\xd8\xb4\xd8\xaa\xd8\xa8\xd8\xa7\xd9\x83\xd8\xa7\xd8\xaa "
	    "\xd9\x82\xd8\xb1\xd8\xa8 \xd8\xad\xd9\x85\xd8\xb5 \xf0\x9f\x93\xb0\xf0\x9f\x87\xb8"
	    "\xf0\x9f\x87\xbe \xe2\x80\x93 Erdo\xc4\x9f" "an");
	free(a->feed);
	a->feed = xstrdup("\xd8\xa7\xd9\x84\xd8\xac\xd8\xb2\xd9\x8a\xd8\xb1\xd8\xa9");
	free(a->actors[0]);
	a->actors[0] = xstrdup("\xd8\xad\xd8\xb2\xd8\xa8 \xd8\xa7\xd9\x84\xd9\x84\xd9\x87");
	free(a->matches[0].name);
	a->matches[0].name = xstrdup(a->actors[0]);
}

static void
rt_awkward_title(struct alert *a)
{
	make_alert(a, 1);
	free(a->title);
	a->title = xstrdup("He said \"no\" \\ back\\slash\ttab\nnew line\x01\x1b[31mred\r"
	    "\xc2\x9b" "C1 {\"json\":1} [x] 'q'");
}

/* Over the cut, which must fall before the 2-byte character at byte 1024. */
static void
rt_huge_title(struct alert *a)
{
	struct buf	b;
	int		i;

	make_alert(a, 1);
	buf_init(&b, 0);
	buf_putc(&b, 'x');
	for (i = 0; i < 700; i++)
		buf_puts(&b, "\xc3\xa9");
	free(a->title);
	a->title = buf_steal(&b);
}

static void
rt_nulls(struct alert *a)
{
	make_alert(a, 1);
	free(a->link);
	free(a->item_id);
	free(a->published);
	a->link = a->item_id = a->published = NULL;
}

static char *
huge_title_cut(void)
{
	struct buf	b;
	int		i;

	buf_init(&b, 0);
	buf_putc(&b, 'x');
	for (i = 0; i < 511; i++)	/* 1023 bytes: byte 1024 would split a character */
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "...");
	return buf_steal(&b);
}

static void
assert_str_same(const char *want, const char *got)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(want, got);
	}
}

/* want's string as text carries it: one line. */
static void
assert_line_same(const char *want, const char *got)
{
	char	*w = want ? str_oneline(want) : NULL;

	assert_str_same(w, got);
	free(w);
}

static void
assert_list_same(char *const *want, size_t nwant, char *const *got, size_t ngot, int text)
{
	size_t	i;

	assert_int_equal(nwant, ngot);
	for (i = 0; i < nwant; i++) {
		if (text)
			assert_line_same(want[i], got[i]);
		else
			assert_str_same(want[i], got[i]);
	}
}

/* got, read back from a line, has every field of want that the format carries. */
static void
assert_carried(const struct alert *want, const struct alert *got, enum alert_format f,
    const char *title)
{
	int	text = f == ALERT_FORMAT_TEXT;
	size_t	i;

	assert_int_equal(got->id, 0);
	assert_int_equal(got->time, want->time);
	assert_int_equal(got->severity, want->severity);
	assert_int_equal(got->update, want->update);
	assert_str_same(want->rule, got->rule);
	assert_str_same(want->feed, got->feed);
	if (title != NULL)
		assert_str_same(title, got->title);
	else if (text)
		assert_line_same(want->title, got->title);
	else
		assert_str_same(want->title, got->title);
	assert_str_same(want->link, got->link);
	assert_str_same(text ? NULL : want->item_id, got->item_id);
	assert_str_same(text ? NULL : want->published, got->published);
	assert_list_same(want->actors, want->nactors, got->actors, got->nactors, text);
	assert_list_same(want->places, want->nplaces, got->places, got->nplaces, text);
	assert_list_same(want->keywords, want->nkeywords, got->keywords, got->nkeywords, text);
	assert_list_same(want->also_in, want->nalso_in, got->also_in, got->nalso_in, text);
	assert_int_equal(want->nmatches, got->nmatches);
	for (i = 0; i < want->nmatches; i++) {
		const struct alert_match *w = &want->matches[i], *g = &got->matches[i];

		assert_str_same(w->kind, g->kind);
		assert_str_same(w->name, g->name);
		assert_str_same(w->alias, g->alias);
		assert_str_same(w->field, g->field);
		assert_str_same(w->snippet, g->snippet);
		assert_str_same(w->via, g->via);
	}
}

static void
parse__formatted_alerts__give_back_every_field_the_format_carries(void **state)
{
	const struct rt_case	 cases[] = {
		{ "plain", rt_plain, NULL, NULL },
		{ "full", rt_full, NULL, NULL },
		{ "update", rt_update, NULL, NULL },
		{ "via only", rt_via_only, NULL, NULL },
		{ "via listed first", rt_via_listed_first, NULL, NULL },
		{ "keywords and also_in", rt_keywords, NULL, NULL },
		{ "arabic and emoji", rt_unicode, NULL, NULL },
		{ "quotes, backslashes, controls", rt_awkward_title, NULL, NULL },
		{ "over the cut", rt_huge_title, "", "" },
		{ "no link, id or date", rt_nulls, NULL, NULL },
	};
	const enum alert_format	 formats[] = { ALERT_FORMAT_TEXT, ALERT_FORMAT_JSONL };
	struct alert		 a, got;
	enum alert_format	 f;
	char			*line, *again, *cut = huge_title_cut();
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 2; k++) {
			const char *title = k == 0 ? cases[i].want_text_title :
			    cases[i].want_json_title;

			print_message("%s, %s\n", cases[i].name, k == 0 ? "text" : "json");
			cases[i].make(&a);
			line = format(&a, formats[k]);
			f = (enum alert_format)-1;
			assert_int_equal(alert_parse(line, strlen(line), &got, &f), 0);
			assert_int_equal(f, formats[k]);
			assert_carried(&a, &got, formats[k], title && !*title ? cut : title);
			/* And what was read back formats to the very same line. */
			again = format(&got, formats[k]);
			assert_string_equal(line, again);
			free(again);
			free(line);
			alert_free(&got);
			alert_free(&a);
		}
	}
	free(cut);
}

/* A surge of rule syria: 20 stories in 1h against a quiet week. */
static void
make_surge(struct alert *a, int history)
{
	*a = (struct alert){ 0 };
	a->type = ALERT_SURGE;
	a->time = T0;
	a->rule = xstrdup("syria");
	a->severity = SEV_CRITICAL;
	a->title = xstrdup("Surge: 20 stories in 1h, usually 0.1");
	a->surge.window = 3600;
	a->surge.count = 20;
	if (history) {
		a->surge.mean = 0.125;
		a->surge.sd = 0.5;
		a->surge.windows = 168;
	}
	a->actors = list(1, "UN");
	a->nactors = 1;
	a->places = list(2, "Aleppo", "Idlib");
	a->nplaces = 2;
	a->surge.titles = list(2, "Shelling in Aleppo", "Aid convoy & <stopped>");
	a->surge.ntitles = 2;
	a->surge.feeds = list(3, "bbc", "reuters world", "dw");
	a->surge.nfeeds = 3;
}

static void
surge__json_record__has_type_surge_and_its_numbers(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_surge(&a, 1);
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_string_equal(s, "{\"time\":\"2024-12-05T14:03:00Z\",\"type\":\"surge\","
	    "\"rule\":\"syria\",\"severity\":\"critical\","
	    "\"title\":\"Surge: 20 stories in 1h, usually 0.1\",\"window\":3600,\"count\":20,"
	    "\"baseline\":{\"mean\":0.12,\"sd\":0.50,\"windows\":168},\"actors\":[\"UN\"],"
	    "\"places\":[\"Aleppo\",\"Idlib\"],"
	    "\"titles\":[\"Shelling in Aleppo\",\"Aid convoy & <stopped>\"],"
	    "\"feeds\":[\"bbc\",\"reuters world\",\"dw\"]}\n");
	assert_int_not_equal(python_json_ok(s), 0);
	free(s);
	alert_free(&a);
	make_surge(&a, 0);
	s = format(&a, ALERT_FORMAT_JSONL);
	assert_non_null(strstr(s, ",\"count\":20,\"baseline\":null,"));
	free(s);
	alert_free(&a);
}

static void
surge__text_record__is_one_readable_line(void **state)
{
	struct alert	 a;
	char		*s;

	(void)state;
	make_surge(&a, 1);
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_string_equal(s, "2024-12-05T14:03:00Z critical syria {surge} 20 stories in 1h, "
	    "baseline 0.12 ± 0.50 over 168 windows (actors: UN; places: Aleppo, Idlib) "
	    "(top: Shelling in Aleppo | Aid convoy & <stopped>) (feeds: bbc, reuters world, dw)\n");
	assert_one_clean_line(s);
	free(s);
	alert_free(&a);
	make_surge(&a, 0);
	s = format(&a, ALERT_FORMAT_TEXT);
	assert_non_null(strstr(s, " critical syria {surge} 20 stories in 1h, no baseline (actors"));
	free(s);
	alert_free(&a);
}

static void
surge__parse__round_trips_in_both_formats(void **state)
{
	const enum alert_format	 formats[] = { ALERT_FORMAT_TEXT, ALERT_FORMAT_JSONL };
	struct alert		 a, got;
	enum alert_format	 f;
	char			*line, *again;
	size_t			 k, i;
	int			 history;

	(void)state;
	for (history = 0; history < 2; history++) {
		for (k = 0; k < 2; k++) {
			make_surge(&a, history);
			line = format(&a, formats[k]);
			assert_int_equal(alert_parse(line, strlen(line), &got, &f), 0);
			assert_int_equal(f, formats[k]);
			assert_int_equal(got.type, ALERT_SURGE);
			assert_string_equal(got.rule, "syria");
			assert_int_equal(got.severity, SEV_CRITICAL);
			assert_int_equal(got.time, T0);
			assert_null(got.feed);
			assert_int_equal(got.surge.count, 20);
			assert_int_equal(got.surge.window, 3600);
			assert_int_equal(got.surge.windows, history ? 168 : 0);
			assert_true(got.surge.sd == (history ? 0.5 : 0));
			assert_int_equal(got.surge.ntitles, 2);
			assert_string_equal(got.surge.titles[1], "Aid convoy & <stopped>");
			assert_int_equal(got.surge.nfeeds, 3);
			for (i = 0; i < 3; i++)
				assert_string_equal(got.surge.feeds[i], a.surge.feeds[i]);
			assert_int_equal(got.nplaces, 2);
			assert_string_equal(got.places[1], "Idlib");
			assert_int_equal(got.nactors, 1);
			if (formats[k] == ALERT_FORMAT_JSONL)
				assert_string_equal(got.title, a.title);
			again = format(&got, formats[k]);
			assert_string_equal(line, again);
			free(again);
			free(line);
			alert_free(&got);
			alert_free(&a);
		}
	}
}

/* A rule named with the item's or the surge's separators still reads back as a surge; a
 * garbled list is left out, the rest of the record kept. */
static void
surge__text_with_separators_in_the_rule__reads_back(void **state)
{
	static const char *const rules[] = { "a {surge} b", "a [b] c", "x {surge} 3 stories" };
	static const char garbled[] = "2026-12-06T09:08:00Z critical syria {surge} 5 stories in "
	    "1h, no baseline (actors: UN; places: (top: A | B) (feeds: bbc)";
	struct alert	 a, got;
	char		*line, *again;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		make_surge(&a, 1);
		free(a.rule);
		a.rule = xstrdup(rules[i]);
		line = format(&a, ALERT_FORMAT_TEXT);
		assert_int_equal(alert_parse(line, strlen(line), &got, NULL), 0);
		assert_int_equal(got.type, ALERT_SURGE);
		assert_string_equal(got.rule, rules[i]);
		again = format(&got, ALERT_FORMAT_TEXT);
		assert_string_equal(line, again);
		free(again);
		free(line);
		alert_free(&got);
		alert_free(&a);
	}
	assert_int_equal(alert_parse(garbled, sizeof(garbled) - 1, &got, NULL), 0);
	assert_int_equal(got.type, ALERT_SURGE);
	assert_int_equal(got.surge.count, 5);
	assert_int_equal(got.nplaces + got.nactors, 0);
	assert_int_equal(got.surge.ntitles, 2);
	assert_int_equal(got.surge.nfeeds, 1);
	alert_free(&got);
}

/* A baseline is a count of stories per window: a huge or negative one is not read back (the
 * fuzzer's 3e40 formatted longer than the JSON reader takes). */
static void
surge__baseline_out_of_range__text_not_a_record_json_left_out(void **state)
{
	static const char text[] = "2026-12-06T09:08:00Z critical syria {surge} 5 stories in 1h, "
	    "baseline 0.25 ± 3e40 over 168 windows (top: A | B)";
	static const char json[] = "{\"time\":\"2026-12-06T09:08:00Z\",\"type\":\"surge\","
	    "\"rule\":\"syria\",\"severity\":\"critical\",\"window\":3600,\"count\":5,"
	    "\"baseline\":{\"mean\":-2,\"sd\":1e38,\"windows\":168}}";
	struct alert	 a;

	(void)state;
	assert_int_equal(alert_parse(text, strlen(text), &a, NULL), -1);
	assert_int_equal(alert_parse(json, strlen(json), &a, NULL), 0);
	assert_true(a.surge.mean == 0 && a.surge.sd == 0);
	assert_int_equal(a.surge.windows, 168);
	alert_free(&a);
}

static void
surge__item_record_with_surge_keys__stays_an_item(void **state)
{
	static const char line[] = "{\"time\":\"2024-12-05T14:03:00Z\",\"rule\":\"r\","
	    "\"severity\":\"low\",\"count\":3,\"titles\":[\"x\"],\"baseline\":{\"mean\":1}}";
	static const char bad[] = "{\"time\":\"2024-12-05T14:03:00Z\",\"type\":\"surge\","
	    "\"rule\":\"r\",\"severity\":\"low\",\"count\":-3,\"window\":1.5}";
	struct alert	a;

	(void)state;
	assert_int_equal(alert_parse(line, sizeof(line) - 1, &a, NULL), 0);
	assert_int_equal(a.type, ALERT_ITEM);
	assert_int_equal(a.surge.count, 0);
	assert_null(a.surge.titles);
	alert_free(&a);
	/* Numbers that are no count are skipped like values of the wrong type. */
	assert_int_equal(alert_parse(bad, sizeof(bad) - 1, &a, NULL), 0);
	assert_int_equal(a.type, ALERT_SURGE);
	assert_int_equal(a.surge.count, 0);
	assert_int_equal(a.surge.window, 0);
	alert_free(&a);
}

static void
surge__notify__critical_summary_and_escaped_body(void **state)
{
	struct alert	 a;
	char		*summary, *body;

	(void)state;
	make_surge(&a, 1);
	alert_notify_text(&a, &summary, &body);
	assert_string_equal(summary, "syria: surge, 20 stories in 1h");
	assert_string_equal(body, "Usually 0.1 ± 0.5 per 1h (the last 168 windows)\n"
	    "Actors: UN\nPlaces: Aleppo, Idlib\n"
	    "Top: Shelling in Aleppo; Aid convoy &amp; &lt;stopped&gt;\n"
	    "Feeds: bbc, reuters world, dw");
	free(summary);
	free(body);
	alert_free(&a);
}

/* The text form does not carry an empty title or a link's spaces; it says so in alert.h. */
static void
parse__text_without_title_or_with_spaced_link__gives_what_the_line_shows(void **state)
{
	struct alert	 a, got;
	char		*line, *again;

	(void)state;
	make_alert(&a, 0);
	free(a.title);
	a.title = NULL;
	free(a.link);
	a.link = xstrdup("http://x.example/a b");
	line = format(&a, ALERT_FORMAT_TEXT);
	assert_int_equal(alert_parse(line, strlen(line), &got, NULL), 0);
	assert_string_equal(got.title, "(no title)");
	assert_string_equal(got.link, "http://x.example/a%20b");
	again = format(&got, ALERT_FORMAT_TEXT);
	assert_string_equal(line, again);
	free(again);
	free(line);
	alert_free(&got);
	/* JSON keeps both as they were. */
	line = format(&a, ALERT_FORMAT_JSONL);
	assert_int_equal(alert_parse(line, strlen(line), &got, NULL), 0);
	assert_null(got.title);
	assert_string_equal(got.link, "http://x.example/a b");
	free(line);
	alert_free(&got);
	alert_free(&a);
}

/* The line README's "The alert log" shows (tests/integration/test_readme.py keeps it real). */
static void
parse__readme_text_line__reads_every_part(void **state)
{
	static const char	 line[] = "2024-12-05T14:03:00Z critical hezbollah-in-syria "
	    "[aljazeera] Hezbollah fighters reported near Homs "
	    "https://www.aljazeera.com/news/2024/12/5/hezbollah-fighters-homs "
	    "(actors: Hezbollah; places: Syria (via Homs), Homs) "
	    "(why: Hezbollah \"Hezbollah\" in title: Hezbollah fighters reported near Homs; "
	    "Syria \"Homs\" in title: Hezbollah fighters reported near Homs; "
	    "Homs \"Homs\" in title: Hezbollah fighters reported near Homs)\n";
	struct alert		 a;
	char			*again;

	(void)state;
	assert_int_equal(alert_parse(line, sizeof(line) - 1, &a, NULL), 0);
	assert_int_equal(a.time, T0);
	assert_int_equal(a.severity, SEV_CRITICAL);
	assert_string_equal(a.rule, "hezbollah-in-syria");
	assert_string_equal(a.feed, "aljazeera");
	assert_string_equal(a.title, "Hezbollah fighters reported near Homs");
	assert_string_equal(a.link,
	    "https://www.aljazeera.com/news/2024/12/5/hezbollah-fighters-homs");
	assert_int_equal(a.update, 0);
	assert_int_equal(a.nactors, 1);
	assert_string_equal(a.actors[0], "Hezbollah");
	assert_int_equal(a.nplaces, 2);
	assert_string_equal(a.places[0], "Syria");
	assert_string_equal(a.places[1], "Homs");
	assert_int_equal(a.nkeywords + a.nalso_in, 0);
	assert_int_equal(a.nmatches, 3);
	assert_string_equal(a.matches[1].kind, "place");
	assert_string_equal(a.matches[1].name, "Syria");
	assert_string_equal(a.matches[1].alias, "Homs");
	assert_string_equal(a.matches[1].field, "title");
	assert_string_equal(a.matches[1].snippet, "Hezbollah fighters reported near Homs");
	assert_string_equal(a.matches[1].via, "Homs");
	assert_null(a.matches[2].via);
	assert_string_equal(a.matches[0].kind, "actor");
	again = format(&a, ALERT_FORMAT_TEXT);
	assert_string_equal(again, line);
	free(again);
	alert_free(&a);
}

/* A why part that does not read leaves the rest to the title: the record is still shown. */
static void
parse__text_with_garbled_why__keeps_it_in_the_title(void **state)
{
	static const char *const lines[] = {
		"2024-12-05T14:03:00Z low r [f] t http://l.example/ (why: nothing)\n",
		"2024-12-05T14:03:00Z low r [f] t (actors: A) (also in: g) (why: A in title)\n",
	};
	static const char *const titles[] = {
		"t http://l.example/ (why: nothing)", "t (actors: A) (also in: g) (why: A in title)",
	};
	struct alert	 a;
	char		*again;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(alert_parse(lines[i], strlen(lines[i]), &a, NULL), 0);
		assert_string_equal(a.title, titles[i]);
		assert_int_equal(a.nactors + a.nmatches, 0);
		assert_null(a.link);
		again = format(&a, ALERT_FORMAT_TEXT);
		assert_string_equal(again, lines[i]);
		free(again);
		alert_free(&a);
	}
}

/* Lines that are not records, including every prefix of a real record (a short write). */
static void
parse__not_a_record__fails_cleanly(void **state)
{
	static const char *const bad[] = {
		"", "\n", " ", "{", "}", "{}", "[]", "garbage", "not a record at all",
		"2024 critical", "\x1b[31mred", "{\"time\":", "{\"title\":\"\\ud800\"}",
		"{\"time\":\"2024-12-05T14:03:00Z\",\"severity\":\"critical\"} trailing",
		"{\"time\":\"2024-12-05T14:03:00Z\",\"severity\":\"dire\"}",
		"{\"time\":\"2024-02-31T14:03:00Z\",\"severity\":\"low\"}",
		"{\"time\":\"2024-12-05T14:03:00Z\",\"severity\":\"low\",\"title\":\"\\u00e9\\u",
		"2024-12-05T14:03:00Z dire r [f] t", "2024-12-05T14:03:00Z low r f t",
		"2024-12-05 14:03:00 low r [f] t",
	};
	struct alert	 a, full;
	char		*line[2];
	size_t		 i, k, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(alert_parse(bad[i], strlen(bad[i]), &a, NULL), -1);
		assert_null(a.rule);
		assert_null(a.title);
	}
	make_alert(&full, 1);
	line[0] = format(&full, ALERT_FORMAT_JSONL);
	line[1] = format(&full, ALERT_FORMAT_TEXT);
	/* Every cut of a JSON record fails; a text record cut short may still read as one. */
	n = strlen(line[0]) - 1;
	for (k = 0; k < n; k++)
		assert_int_equal(alert_parse(line[0], k, &a, NULL), -1);
	for (k = 0; k < strlen(line[1]); k++)
		if (alert_parse(line[1], k, &a, NULL) == 0)
			alert_free(&a);
	assert_int_equal(alert_parse(line[1], strlen("2024-12-05T14:03:00Z crit"), &a, NULL), -1);
	free(line[0]);
	free(line[1]);
	alert_free(&full);
}

/* What other writers put in a JSON record: missing keys, unknown ones, other types. */
static void
parse__json_with_missing_and_unknown_keys__reads_what_is_there(void **state)
{
	static const char	 line[] = " {\"time\":\"2024-12-05T14:03:00Z\",\"severity\":\"low\","
	    "\"nested\":{\"a\":[1,2.5e3,true,null,{\"b\":\"}\"}]},\"title\":5,\"rule\":\"r\\u00e9\","
	    "\"link\":null,\"actors\":[\"A\",null,3],\"update\":\"yes\",\"matches\":[{\"x\":1},2],"
	    "\"places\":\"Homs\",\"feed\":\"\\ud83d\\udcf0\\ud800\\u0000\"} \r\n";
	struct alert		 a;
	enum alert_format	 f;

	(void)state;
	assert_int_equal(alert_parse(line, sizeof(line) - 1, &a, &f), 0);
	assert_int_equal(f, ALERT_FORMAT_JSONL);
	assert_int_equal(a.time, T0);
	assert_int_equal(a.severity, SEV_LOW);
	assert_string_equal(a.rule, "r\xc3\xa9");
	assert_string_equal(a.feed, "\xf0\x9f\x93\xb0\xef\xbf\xbd\xef\xbf\xbd");
	assert_null(a.title);
	assert_null(a.link);
	assert_int_equal(a.nactors, 1);
	assert_string_equal(a.actors[0], "A");
	assert_int_equal(a.nplaces, 0);
	assert_int_equal(a.update, 0);
	assert_int_equal(a.nmatches, 1);
	assert_null(a.matches[0].name);
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
		cmocka_unit_test(parse__formatted_alerts__give_back_every_field_the_format_carries),
		cmocka_unit_test(parse__text_without_title_or_with_spaced_link__gives_what_the_line_shows),
		cmocka_unit_test(parse__readme_text_line__reads_every_part),
		cmocka_unit_test(parse__text_with_garbled_why__keeps_it_in_the_title),
		cmocka_unit_test(parse__not_a_record__fails_cleanly),
		cmocka_unit_test(parse__json_with_missing_and_unknown_keys__reads_what_is_there),
		cmocka_unit_test(notify__summary_plain_and_body_escapes_only_amp_lt_gt),
		cmocka_unit_test(surge__json_record__has_type_surge_and_its_numbers),
		cmocka_unit_test(surge__text_record__is_one_readable_line),
		cmocka_unit_test(surge__parse__round_trips_in_both_formats),
		cmocka_unit_test(surge__text_with_separators_in_the_rule__reads_back),
		cmocka_unit_test(surge__baseline_out_of_range__text_not_a_record_json_left_out),
		cmocka_unit_test(surge__item_record_with_surge_keys__stays_an_item),
		cmocka_unit_test(surge__notify__critical_summary_and_escaped_body),
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
