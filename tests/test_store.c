/* test_store.c: the state database on a real SQLite file in a scratch directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "conf.h"	/* enum severity only */
#include "store.h"
#include "store_count.h"
#include "util.h"

/* The schema version store.c migrates to (2: log write-ahead, item fields; 3: feed moves;
 * 4: item fingerprints, the rules that fired per item, updated alerts; 5: items' articles;
 * 6: story events, surges and surge records; 7: items' secondary keys kept as hashes;
 * 8: push targets' delivery rows; 9: item and story keys found by their hashes). */
#define SCHEMA_NOW	9

/* A database as schema 1 made it, for the migration tests. */
#define SCHEMA_1 \
	"CREATE TABLE feeds (name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, url TEXT," \
	" last_attempt INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0," \
	" next_poll INTEGER NOT NULL DEFAULT 0, last_status INTEGER NOT NULL DEFAULT 0," \
	" last_error TEXT, failures INTEGER NOT NULL DEFAULT 0," \
	" polled INTEGER NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0);" \
	"CREATE TABLE items (feed TEXT NOT NULL, key TEXT NOT NULL, title TEXT, link TEXT," \
	" published INTEGER, text TEXT, seen_at INTEGER NOT NULL, PRIMARY KEY (feed, key));" \
	"CREATE INDEX items_seen_at ON items (seen_at);" \
	"CREATE TABLE alerts (id INTEGER PRIMARY KEY, created INTEGER NOT NULL," \
	" rule TEXT NOT NULL, severity INTEGER NOT NULL, feed TEXT NOT NULL, title TEXT," \
	" link TEXT, item_id TEXT, published TEXT, actors TEXT NOT NULL DEFAULT ''," \
	" places TEXT NOT NULL DEFAULT '', keywords TEXT NOT NULL DEFAULT ''," \
	" also_in TEXT NOT NULL DEFAULT '', pending INTEGER NOT NULL, delivered_at INTEGER);" \
	"CREATE INDEX alerts_undelivered ON alerts (id) WHERE delivered_at IS NULL;" \
	"CREATE INDEX alerts_created ON alerts (created);" \
	"CREATE TABLE alert_matches (alert_id INTEGER NOT NULL, seq INTEGER NOT NULL," \
	" kind TEXT, name TEXT, alias TEXT, field TEXT, snippet TEXT, via TEXT," \
	" PRIMARY KEY (alert_id, seq)) WITHOUT ROWID;" \
	"CREATE TABLE stories (rule TEXT NOT NULL, story_key TEXT NOT NULL," \
	" alert_id INTEGER NOT NULL, created INTEGER NOT NULL," \
	" PRIMARY KEY (rule, story_key)) WITHOUT ROWID;" \
	"CREATE INDEX stories_created ON stories (created);" \
	""

/* What schema 2 and 3 added, as those versions' migrations did. */
#define SCHEMA_2_3 \
	"ALTER TABLE alerts ADD COLUMN log_off INTEGER;" \
	"ALTER TABLE alerts ADD COLUMN log_dev INTEGER;" \
	"ALTER TABLE alerts ADD COLUMN log_ino INTEGER;" \
	"ALTER TABLE alerts ADD COLUMN log_len INTEGER;" \
	"ALTER TABLE alerts ADD COLUMN log_hash INTEGER;" \
	"ALTER TABLE items ADD COLUMN alt_key TEXT;" \
	"ALTER TABLE items ADD COLUMN summary TEXT;" \
	"ALTER TABLE items ADD COLUMN content TEXT;" \
	"ALTER TABLE items ADD COLUMN categories TEXT;" \
	"CREATE INDEX items_alt_key ON items (feed, alt_key) WHERE alt_key IS NOT NULL;" \
	"ALTER TABLE feeds ADD COLUMN moved_to TEXT;" \
	"ALTER TABLE feeds ADD COLUMN moved_count INTEGER NOT NULL DEFAULT 0;"

struct fixture {
	char	 tmp[64];	/* the mkdtemp directory */
	char	*dir;		/* tmp/state: does not exist before the test */
	char	*db;		/* dir/state.db */
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

	snprintf(f->tmp, sizeof(f->tmp), "/tmp/test_store.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	f->dir = xasprintf("%s/state", f->tmp);
	f->db = xasprintf("%s/state.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	nftw(f->tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

static mode_t
mode_of(const char *path)
{
	struct stat	st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Records an item with the fields given, as a poll does (store_item_put). */
static int
item_add(struct store *s, const char *feed, const char *key, const char *title, const char *link,
    time_t published, const char *summary)
{
	struct store_item	 it = { .feed = feed, .key = key, .title = title, .link = link,
	    .summary = summary, .published = published };

	return store_item_put(s, &it);
}

static int
nothing_cb(void *arg, const struct store_item *it)
{
	(void)arg;
	(void)it;
	return 0;
}

/* 1 if the item is stored, 0 if not, -1 on error; unlike store_item_touch, it writes nothing. */
static int
item_seen(struct store *s, const char *feed, const char *key)
{
	return store_item_get(s, feed, key, nothing_cb, NULL);
}


/* PRAGMA user_version read straight from the file, behind the store's back. */
static int
file_user_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The number one query gives, read straight from the file, behind the store's back. */
static long long
file_count(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	long long	 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* For store_item_get and store_item_each: appends the item's key and a space to a buf. */
static int
key_cb(void *arg, const struct store_item *it)
{
	buf_puts(arg, it->key ? it->key : "(null)");
	buf_putc(arg, ' ');
	return 0;
}

static void
write_file(const char *path, const void *data, size_t n)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

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
make_alert(struct alert *a, const char *title, time_t when)
{
	*a = (struct alert){ 0 };
	a->time = when;
	a->rule = xstrdup("hezbollah-in-syria");
	a->severity = 2;
	a->feed = xstrdup("aljazeera");
	a->title = xstrdup(title);
	a->link = xstrdup("https://example.org/a");
	a->item_id = xstrdup("urn:item:1");
	a->published = xstrdup("2024-12-05T13:00:00Z");
	a->actors = list(1, "Hezbollah");
	a->nactors = 1;
	a->places = list(2, "Homs", "Syria");
	a->nplaces = 2;
	a->matches = xcalloc(2, sizeof(*a->matches));
	a->nmatches = 2;
	a->matches[0].kind = xstrdup("actor");
	a->matches[0].name = xstrdup("Hezbollah");
	a->matches[0].alias = xstrdup("Hizbullah");
	a->matches[0].field = xstrdup("title");
	a->matches[0].snippet = xstrdup("Hizbullah fighters near Homs");
	a->matches[1].kind = xstrdup("place");
	a->matches[1].name = xstrdup("Syria");
	a->matches[1].alias = xstrdup("Homs");
	a->matches[1].field = xstrdup("title");
	a->matches[1].snippet = xstrdup("near Homs");
	a->matches[1].via = xstrdup("Homs");
}

static void
open__new_directory__creates_dir_0700_and_files_0600(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	mode_t		 old;
	char		*wal, *shm;

	/* With umask 0, anything we leave to defaults would come out 0644/0755. */
	old = umask(0);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_add(s, "f", "k", NULL, NULL, 0, NULL), 0);
	assert_int_equal(mode_of(f->dir), 0700);
	assert_int_equal(mode_of(f->db), 0600);
	wal = xasprintf("%s-wal", f->db);
	shm = xasprintf("%s-shm", f->db);
	assert_int_equal(access(wal, F_OK), 0);	/* WAL mode is on */
	assert_int_equal(mode_of(wal), 0600);
	assert_int_equal(mode_of(shm), 0600);
	store_close(s);
	umask(old);
	free(wal);
	free(shm);
}

static void
open__reopened__keeps_data_and_schema_version(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;

	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_add(s, "bbc", "guid-1", "t", "l", 1733400000, "text"), 0);
	store_close(s);
	assert_int_equal(file_user_version(f->db), SCHEMA_NOW);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "guid-1"), 1);
	assert_int_equal(item_count(s, NULL), 1);
	store_close(s);
}

static void
open__empty_file__migrates_in_place(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;

	assert_int_equal(mkdir(f->dir, 0700), 0);
	write_file(f->db, "", 0);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "x"), 0);
	store_close(s);
	assert_int_equal(file_user_version(f->db), SCHEMA_NOW);
}

static void
open__garbage_file__fails_and_leaves_it_untouched(void **state)
{
	struct fixture	*f = *state;
	char		 garbage[4096], back[sizeof(garbage) + 1];
	char		*wal;
	ssize_t		 n;
	size_t		 i;
	int		 fd;

	for (i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 7 + 3);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	write_file(f->db, garbage, sizeof(garbage));
	assert_null(store_open(f->dir));
	fd = open(f->db, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, back, sizeof(back));
	close(fd);
	assert_int_equal(n, (ssize_t)sizeof(garbage));
	assert_memory_equal(back, garbage, sizeof(garbage));
	wal = xasprintf("%s-wal", f->db);
	assert_int_equal(access(wal, F_OK), -1);
	free(wal);
}

static void
open__newer_schema__is_refused(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	sqlite3		*db;

	s = store_open(f->dir);
	assert_non_null(s);
	store_close(s);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(f->dir));
	assert_int_equal(file_user_version(f->db), 99);
}

static void
open__directory_in_use__second_open_fails_until_first_closes(void **state)
{
	struct fixture	*f = *state;
	struct store	*s, *t;

	s = store_open(f->dir);
	assert_non_null(s);
	assert_null(store_open(f->dir));
	store_close(s);
	t = store_open(f->dir);
	assert_non_null(t);
	store_close(t);
}

static void
open__after_kill_9__keeps_committed_items_and_frees_the_lock(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	pid_t		 pid;
	int		 status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		s = store_open(f->dir);
		if (s == NULL || store_begin(s) == -1 ||
		    item_add(s, "bbc", "committed", NULL, NULL, 0, NULL) == -1 ||
		    store_commit(s) == -1 || store_begin(s) == -1 ||
		    item_add(s, "bbc", "uncommitted", NULL, NULL, 0, NULL) == -1)
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "committed"), 1);
	assert_int_equal(item_seen(s, "bbc", "uncommitted"), 0);
	store_close(s);
}

static void
item__added__is_seen_per_feed_and_counted(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);

	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "k1"), 0);
	assert_int_equal(item_add(s, "bbc", "k1", "Title", "https://x", 0, "body"), 0);
	assert_int_equal(item_add(s, "bbc", "k1", "Again", NULL, 0, NULL), 0);
	assert_int_equal(item_add(s, "bbc", "k2", NULL, NULL, 0, NULL), 0);
	assert_int_equal(item_seen(s, "bbc", "k1"), 1);
	assert_int_equal(item_seen(s, "guardian", "k1"), 0);
	assert_int_equal(item_count(s, "bbc"), 2);
	assert_int_equal(item_count(s, "guardian"), 0);
	assert_int_equal(store_item_touch(s, "bbc", "k1", time(NULL), NULL), 1);
	assert_int_equal(store_item_touch(s, "bbc", "nope", time(NULL), NULL), 0);
	store_close(s);
}

static void
feed__put_then_get__round_trips_including_null_strings(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_feed	 in = { 0 }, out;

	assert_non_null(s);
	assert_int_equal(store_feed_get(s, "bbc", &out), 0);
	assert_null(out.etag);
	in.etag = "\"abc\"";
	in.last_modified = NULL;
	in.url = NULL;
	in.last_attempt = 1733400000;
	in.last_success = 1733300000;
	in.next_poll = 1733400900;
	in.last_status = 304;
	in.last_error = "timeout after 30 s";
	in.failures = 3;
	in.polled = 1;
	in.gone = 0;
	assert_int_equal(store_feed_put(s, "bbc", &in), 0);
	assert_int_equal(store_feed_get(s, "bbc", &out), 1);
	assert_string_equal(out.etag, "\"abc\"");
	assert_null(out.last_modified);
	assert_null(out.url);
	assert_int_equal(out.last_attempt, 1733400000);
	assert_int_equal(out.last_success, 1733300000);
	assert_int_equal(out.next_poll, 1733400900);
	assert_int_equal(out.last_status, 304);
	assert_string_equal(out.last_error, "timeout after 30 s");
	assert_int_equal(out.failures, 3);
	assert_int_equal(out.polled, 1);
	assert_int_equal(out.gone, 0);
	store_feed_clear(&out);

	/* A second put replaces: strings can become NULL again. */
	in.etag = NULL;
	in.last_error = NULL;
	in.gone = 1;
	assert_int_equal(store_feed_put(s, "bbc", &in), 0);
	assert_int_equal(store_feed_get(s, "bbc", &out), 1);
	assert_null(out.etag);
	assert_null(out.last_error);
	assert_int_equal(out.gone, 1);
	store_feed_clear(&out);
	store_close(s);
}

static int
collect_cb(void *arg, const char *feed, const struct store_feed *sf)
{
	struct buf	*b = arg;

	buf_printf(b, "%s:%u ", feed, sf->failures);
	return 0;
}

static void
feed__each__walks_in_name_order(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_feed	 in = { 0 };
	struct buf		 b;

	assert_non_null(s);
	in.failures = 2;
	assert_int_equal(store_feed_put(s, "reuters", &in), 0);
	in.failures = 1;
	assert_int_equal(store_feed_put(s, "aljazeera", &in), 0);
	buf_init(&b, 0);
	assert_int_equal(store_feed_each(s, collect_cb, &b), 0);
	assert_string_equal(b.data, "aljazeera:1 reuters:2 ");
	buf_free(&b);
	store_close(s);
}

static void
outbox__two_channels__pending_until_both_done(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	size_t		 n;
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 delivered = -1;

	assert_non_null(s);
	make_alert(&a, "Clashes near Homs", 1733407380);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG | STORE_CH_NOTIFY), 0);
	assert_true(a.id > 0);

	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, a.id);
	alert_free(&v[0]);
	free(v);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_NOTIFY, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	alert_free(&v[0]);
	free(v);

	assert_int_equal(store_alert_done(s, a.id, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_NOTIFY, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	alert_free(&v[0]);
	free(v);

	assert_int_equal(store_alert_done(s, a.id, STORE_CH_NOTIFY), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_NOTIFY, 0, 10, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
	store_close(s);

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT delivered_at FROM alerts WHERE id = ?",
	    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, a.id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
		delivered = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_true(delivered >= time(NULL) - 60 && delivered <= time(NULL));
	alert_free(&a);
}

static void
outbox__pending__returns_every_field_and_match(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, b, *v;
	size_t		 n;

	assert_non_null(s);
	make_alert(&a, "Clashes near Homs", 1733407380);
	a.keywords = list(1, "clashes");
	a.nkeywords = 1;
	a.also_in = list(2, "bbc", "guardian");
	a.nalso_in = 2;
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	/* A bare alert: NULL strings and empty lists come back as such. */
	b = (struct alert){ .time = 1733407381, .rule = xstrdup("r"), .feed = xstrdup("f") };
	assert_int_equal(store_alert_add(s, &b, STORE_CH_LOG), 0);

	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].time, 1733407380);
	assert_string_equal(v[0].rule, "hezbollah-in-syria");
	assert_int_equal(v[0].severity, 2);
	assert_string_equal(v[0].feed, "aljazeera");
	assert_string_equal(v[0].title, "Clashes near Homs");
	assert_string_equal(v[0].link, "https://example.org/a");
	assert_string_equal(v[0].item_id, "urn:item:1");
	assert_string_equal(v[0].published, "2024-12-05T13:00:00Z");
	assert_int_equal(v[0].nactors, 1);
	assert_string_equal(v[0].actors[0], "Hezbollah");
	assert_int_equal(v[0].nplaces, 2);
	assert_string_equal(v[0].places[0], "Homs");
	assert_string_equal(v[0].places[1], "Syria");
	assert_int_equal(v[0].nkeywords, 1);
	assert_string_equal(v[0].keywords[0], "clashes");
	assert_int_equal(v[0].nalso_in, 2);
	assert_string_equal(v[0].also_in[1], "guardian");
	assert_int_equal(v[0].nmatches, 2);
	assert_string_equal(v[0].matches[0].kind, "actor");
	assert_string_equal(v[0].matches[0].alias, "Hizbullah");
	assert_string_equal(v[0].matches[0].snippet, "Hizbullah fighters near Homs");
	assert_null(v[0].matches[0].via);
	assert_string_equal(v[0].matches[1].name, "Syria");
	assert_string_equal(v[0].matches[1].via, "Homs");

	assert_int_equal(v[1].id, b.id);
	assert_null(v[1].title);
	assert_null(v[1].link);
	assert_null(v[1].published);
	assert_int_equal(v[1].nactors + v[1].nplaces + v[1].nkeywords + v[1].nalso_in, 0);
	assert_null(v[1].actors);
	assert_int_equal(v[1].nmatches, 0);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);
	alert_free(&a);
	alert_free(&b);
	store_close(s);
}

static void
outbox__pending__is_oldest_first_and_capped(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	char		 title[16];
	size_t		 n;
	int		 i;

	assert_non_null(s);
	for (i = 0; i < 5; i++) {
		snprintf(title, sizeof(title), "t%d", i);
		make_alert(&a, title, 1733407380 + i);
		assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
		alert_free(&a);
	}
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 3, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].title, "t0");
	assert_string_equal(v[2].title, "t2");
	assert_int_equal(store_alert_done(s, v[0].id, STORE_CH_LOG), 0);
	for (i = 0; i < 3; i++)
		alert_free(&v[i]);
	free(v);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 1, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].title, "t1");
	alert_free(&v[0]);
	free(v);
	store_close(s);
}


struct target_counts {
	size_t	 backlog;
	uint64_t sent, failed;
	int	 seen;
};

/* Sums what store_target_each lists of target "hook" and counts the targets. */
static int
target_count_cb(void *arg, const struct store_target *t)
{
	struct target_counts *c = arg;

	c->seen++;
	if (strcmp(t->name, "hook") == 0) {
		c->backlog = t->backlog;
		c->sent = t->sent;
		c->failed = t->failed;
		assert_non_null(t->last_error);
		assert_string_equal(t->last_error, "HTTP 400");
		assert_true(t->last_success > 0);
	}
	return 0;
}

/* Push targets: rows per target, read by severity, settled, counted; an alert a target still
 * waits for is not pruned, whatever its age. */
static void
targets__pending_settled_and_kept_from_prune(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 low, crit, *v;
	time_t		 now = time(NULL);
	size_t		 n;
	struct target_counts c = { 0 };

	assert_non_null(s);
	make_alert(&low, "low one", now - 100 * 86400);
	make_alert(&crit, "critical one", now - 100 * 86400);
	low.severity = SEV_LOW;
	crit.severity = SEV_CRITICAL;
	assert_int_equal(store_alert_add(s, &low, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_add(s, &crit, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_done(s, low.id, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_done(s, crit.id, STORE_CH_LOG), 0);
	assert_int_equal(store_target_add(s, low.id, "hook", STORE_TARGET_PENDING), 0);
	assert_int_equal(store_target_add(s, crit.id, "hook", STORE_TARGET_PENDING), 0);
	assert_int_equal(store_target_add(s, crit.id, "mail", STORE_TARGET_DROPPED), 0);
	assert_int_equal(store_target_count(s, "hook", &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_target_count(s, "mail", &n), 0);
	assert_int_equal(n, 0);

	/* Only critical ones. */
	assert_int_equal(store_target_pending(s, "hook", 0, SEV_CRITICAL, SEV_CRITICAL, 10, &v,
	    &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].title, "critical one");
	assert_int_equal(v[0].nmatches, 2);
	alert_free(&v[0]);
	free(v);

	/* Both delivered to the log long ago, but "hook" waits: nothing is pruned. */
	assert_int_equal(store_prune(s, now), 0);
	assert_int_equal(store_target_pending(s, "hook", 0, SEV_LOW, SEV_CRITICAL, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);

	/* Settled: a second settle changes nothing; then both alerts may go. */
	assert_int_equal(store_target_settle(s, low.id, "hook", STORE_TARGET_SENT, NULL), 0);
	assert_int_equal(store_target_settle(s, crit.id, "hook", STORE_TARGET_FAILED, "HTTP 400"),
	    0);
	assert_int_equal(store_target_settle(s, crit.id, "hook", STORE_TARGET_SENT, NULL), 0);
	assert_int_equal(store_target_note(s, "hook", 1, NULL, 1, 0, 0), 0);
	assert_int_equal(store_target_note(s, "hook", 0, "HTTP 400", 0, 1, 0), 0);
	assert_int_equal(store_target_pending(s, "hook", 0, SEV_LOW, SEV_CRITICAL, 10, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_target_each(s, target_count_cb, &c), 0);
	assert_int_equal(c.seen, 2);	/* hook and mail */
	assert_int_equal(c.sent, 1);
	assert_int_equal(c.failed, 1);
	assert_int_equal(store_prune(s, now + 10), 0);
	assert_int_equal(store_alert_also_in(s, low.id, "x"), 0);	/* gone */
	assert_int_equal(store_alert_also_in(s, crit.id, "x"), 0);
	alert_free(&low);
	alert_free(&crit);
	store_close(s);
}

static void
prune__old_items_and_delivered_alerts__go_undelivered_stay(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 old_done, old_pending, recent, *v;
	time_t		 now = time(NULL);
	size_t		 n;
	int64_t		 id;

	assert_non_null(s);
	assert_int_equal(item_add(s, "bbc", "k1", NULL, NULL, 0, NULL), 0);
	make_alert(&old_done, "old delivered", now - 100 * 86400);
	make_alert(&old_pending, "old pending", now - 100 * 86400);
	make_alert(&recent, "recent", now);
	assert_int_equal(store_alert_add(s, &old_done, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_add(s, &old_pending, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_add(s, &recent, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_done(s, old_done.id, STORE_CH_LOG), 0);
	assert_int_equal(store_story_add(s, "r", "story", recent.id), 0);

	/* Nothing is older than a day ago but the old alerts. */
	assert_int_equal(store_prune(s, now - 86400), 0);
	assert_int_equal(item_seen(s, "bbc", "k1"), 1);
	assert_int_equal(store_story_seen(s, "r", "story", &id), 1);
	assert_int_equal(store_alert_also_in(s, old_done.id, "x"), 0);	/* gone */
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].title, "old pending");
	assert_int_equal(v[0].nmatches, 2);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);

	/* A cut-off in the future removes everything seen and recorded before now. */
	assert_int_equal(store_prune(s, now + 10), 0);
	assert_int_equal(item_seen(s, "bbc", "k1"), 0);
	assert_int_equal(store_story_seen(s, "r", "story", &id), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);
	alert_free(&old_done);
	alert_free(&old_pending);
	alert_free(&recent);
	store_close(s);
}

static void
transaction__rolled_back__forgets_and_committed__keeps(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	size_t		 n;

	assert_non_null(s);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(item_add(s, "bbc", "k1", NULL, NULL, 0, NULL), 0);
	make_alert(&a, "t", 1733407380);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(item_seen(s, "bbc", "k1"), 1);
	store_rollback(s);
	assert_int_equal(item_seen(s, "bbc", "k1"), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(item_add(s, "bbc", "k2", NULL, NULL, 0, NULL), 0);
	assert_int_equal(store_commit(s), 0);
	store_close(s);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "k2"), 1);
	alert_free(&a);
	store_close(s);
}

static void
story__added__is_seen_with_its_alert_and_also_in_grows_once(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	int64_t		 id = 0;
	size_t		 n;

	assert_non_null(s);
	make_alert(&a, "t", 1733407380);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(store_story_seen(s, "r", "homs-clashes", &id), 0);
	assert_int_equal(store_story_add(s, "r", "homs-clashes", a.id), 0);
	assert_int_equal(store_story_seen(s, "r", "homs-clashes", &id), 1);
	assert_int_equal(id, a.id);
	assert_int_equal(store_story_seen(s, "other-rule", "homs-clashes", &id), 0);

	assert_int_equal(store_alert_also_in(s, a.id, "bbc"), 1);
	assert_int_equal(store_alert_also_in(s, a.id, "guardian"), 1);
	assert_int_equal(store_alert_also_in(s, a.id, "bbc"), 1);
	assert_int_equal(store_alert_also_in(s, a.id + 100, "bbc"), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].nalso_in, 2);
	assert_string_equal(v[0].also_in[0], "bbc");
	assert_string_equal(v[0].also_in[1], "guardian");
	alert_free(&v[0]);
	free(v);
	alert_free(&a);
	store_close(s);
}

static void
outbox__log_position__round_trips_and_pending_after_skips_earlier_ids(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct alert		 a, b, *v;
	struct alert_logpos	 pos = { .off = 1234, .dev = 0xfd01, .ino = UINT64_MAX - 5,
				    .len = 99, .hash = 0xcbf29ce484222325ULL };
	size_t			 n;

	assert_non_null(s);
	make_alert(&a, "one", 1733407380);
	make_alert(&b, "two", 1733407381);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_add(s, &b, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_logpos(s, a.id, &pos), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].logpos.off, 1234);
	assert_true(v[0].logpos.dev == 0xfd01);
	assert_true(v[0].logpos.ino == UINT64_MAX - 5);
	assert_int_equal(v[0].logpos.len, 99);
	assert_true(v[0].logpos.hash == 0xcbf29ce484222325ULL);
	/* No position planned: all zero. */
	assert_int_equal(v[1].logpos.len, 0);
	assert_int_equal(v[1].logpos.ino, 0);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, a.id, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, b.id);
	alert_free(&v[0]);
	free(v);
	alert_free(&a);
	alert_free(&b);
	store_close(s);
}

static void
outbox__exec_channel__pending_until_done(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	size_t		 n;

	assert_non_null(s);
	make_alert(&a, "one", 1733407380);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG | STORE_CH_EXEC), 0);
	assert_int_equal(store_alert_done(s, a.id, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_EXEC, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	alert_free(&v[0]);
	free(v);
	assert_int_equal(store_alert_done(s, a.id, STORE_CH_EXEC), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_EXEC, 0, 10, &v, &n), 0);
	assert_int_equal(n, 0);
	alert_free(&a);
	store_close(s);
}

static int
collect_item_cb(void *arg, const struct store_item *it)
{
	char	**out = arg;
	char	 *prev = *out;

	*out = xasprintf("%s%s|%s|%s|%s|%s|%zu;", prev ? prev : "", it->feed, it->key,
	    it->alt_key ? it->alt_key : "-", it->summary ? it->summary : "-",
	    it->content ? it->content : "-", it->ncategories);
	free(prev);
	return 0;
}

static void
item__put__keeps_fields_apart_finds_alt_key_and_lists_since(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	char			*cats[] = { "World", "Middle East" };
	char			*got = NULL;
	char			 want[64];
	const char		*alt = "news.example/1\nclashes near homs";
	time_t			 now = time(NULL);

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:1";
	it.alt_key = "news.example/1\nclashes near homs";
	it.title = "Clashes near Homs";
	it.summary = "sum";
	it.content = "body";
	it.categories = cats;
	it.ncategories = 2;
	it.published = now - 3600;
	assert_int_equal(store_item_put(s, &it), 0);
	it.key = "id:old";
	it.alt_key = NULL;
	it.published = now - 30 * 86400;
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(item_seen(s, "bbc", "id:1"), 1);
	assert_int_equal(store_item_alt_seen(s, "bbc", "news.example/1\nclashes near homs"), 1);
	assert_int_equal(store_item_alt_seen(s, "cnn", "news.example/1\nclashes near homs"), 0);
	assert_int_equal(store_item_alt_seen(s, "bbc", NULL), 0);
	assert_int_equal(store_item_each(s, now - 7 * 86400, collect_item_cb, &got), 0);
	/* Only the secondary key's hash is kept: it comes back standing for the key. */
	snprintf(want, sizeof(want), "bbc|id:1|#%016llx|sum|body|2;", (unsigned long long)
	    fnv1a(FNV1A_INIT, alt, strlen(alt)));
	assert_string_equal(got, want);
	free(got);
	store_close(s);
}

static void
story__also_in__never_adds_the_alerts_own_feed(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, *v;
	size_t		 n;

	assert_non_null(s);
	make_alert(&a, "one", 1733407380);
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_also_in(s, a.id, a.feed), 1);
	assert_int_equal(store_alert_also_in(s, a.id, "cnn"), 1);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(v[0].nalso_in, 1);
	assert_string_equal(v[0].also_in[0], "cnn");
	alert_free(&v[0]);
	free(v);
	alert_free(&a);
	store_close(s);
}

static void
open__version_1_file__migrates_keeping_items_and_pending_alerts(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	sqlite3		*db;
	struct alert	*v;
	size_t		 n;
	int64_t		 first = 0;

	/* A database as schema 1 left it. */
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    SCHEMA_1
	    "INSERT INTO items VALUES ('bbc', 'id:1', 't', 'l', NULL, 'old text', 1);"
	    "INSERT INTO items VALUES ('bbc', 'id:https://x/2', 't', 'https://x/2', NULL, 'x', 1);"
	    "INSERT INTO alerts (created, rule, severity, feed, title, pending)"
	    " VALUES (1, 'r', 1, 'bbc', 'pending one', 1);"
	    "INSERT INTO stories VALUES ('r', 'link:x/2', 1, 1);"
	    /* Enough items that the old tables' pages would be most of the file. */
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
	    " INSERT INTO items SELECT 'cnn', 'id:' || i, 't', 'l', NULL, hex(zeroblob(150)), 1"
	    " FROM n;"
	    "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(file_user_version(f->db), SCHEMA_NOW);
	assert_int_equal(item_seen(s, "bbc", "id:1"), 1);
	/* Schema 9 keeps keys as hashes beside the text (none for a guid that is the link). */
	assert_int_equal(item_seen(s, "bbc", "id:https://x/2"), 1);
	assert_int_equal(file_count(f->db, "SELECT count(*) FROM items WHERE key IS NULL"), 1);
	assert_int_equal(store_story_seen(s, "r", "link:x/2", &first), 1);
	assert_int_equal(first, 1);
	assert_int_equal(store_story_seen(s, "r", "link:x/3", &first), 0);
	/* The old tables' pages did not stay in the file. */
	assert_int_equal(file_count(f->db, "PRAGMA freelist_count"), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].title, "pending one");
	assert_int_equal(v[0].logpos.len, 0);
	alert_free(&v[0]);
	free(v);
	store_close(s);
}

static int
item_text_cb(void *arg, const struct store_item *it)
{
	char	**out = arg;

	free(*out);
	*out = xasprintf("%s|%s|%s|%zu|%llx|%d", it->title ? it->title : "-",
	    it->summary ? it->summary : "-", it->content ? it->content : "-", it->ncategories,
	    (unsigned long long)it->fp, it->matched);
	return 0;
}

static void
item__replaced__new_text_and_fingerprint_come_back_from_touch_and_each(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	struct store_known	 k;
	char			*got = NULL;
	time_t			 now = time(NULL);

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:1";
	it.title = "Version A";
	it.content = "nothing to see";
	it.fp = 0xfedcba9876543210ULL;	/* above INT64_MAX: stored as its bit pattern */
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_item_touch(s, "bbc", "id:1", now, &k), 1);
	assert_int_equal(k.has_fp, 1);
	assert_true(k.fp == 0xfedcba9876543210ULL);
	assert_int_equal(k.matched, 0);

	/* put keeps the first record; replace takes the new one. */
	it.title = "Version B";
	it.content = "Hezbollah near Homs";
	it.fp = 42;
	it.matched = 1;
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_item_get(s, "bbc", "id:1", item_text_cb, &got), 1);
	assert_string_equal(got, "Version A|-|nothing to see|0|fedcba9876543210|0");
	assert_int_equal(store_item_replace(s, &it), 0);
	assert_int_equal(store_item_get(s, "bbc", "id:1", item_text_cb, &got), 1);
	assert_string_equal(got, "Version B|-|Hezbollah near Homs|0|2a|1");
	assert_int_equal(store_item_touch(s, "bbc", "id:1", now, &k), 1);
	assert_true(k.fp == 42 && k.has_fp && k.matched);
	assert_int_equal(store_item_each(s, 0, item_text_cb, &got), 0);
	assert_string_equal(got, "Version B|-|Hezbollah near Homs|0|2a|1");
	assert_int_equal(item_count(s, "bbc"), 1);
	assert_int_equal(store_item_get(s, "bbc", "id:2", item_text_cb, &got), 0);
	assert_int_equal(store_item_touch(s, "bbc", "id:2", now, &k), 0);
	assert_int_equal(k.has_fp, 0);
	free(got);
	store_close(s);
}

static void
item__article__stored_kept_by_an_update_without_one_and_read_back(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	char			*got = NULL;

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:1";
	it.title = "Strikes reported";
	it.article = "Hezbollah said on Monday that it had fired rockets.";
	assert_int_equal(store_item_put(s, &it), 0);
	it.key = "id:2";
	it.article = NULL;
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_item_get(s, "bbc", "id:1", article_cb, &got), 1);
	assert_string_equal(got, "Hezbollah said on Monday that it had fired rockets.");
	assert_int_equal(store_item_get(s, "bbc", "id:2", article_cb, &got), 1);
	assert_null(got);

	/* An update fetches no page: the first version's article stays; a new one replaces it. */
	it.key = "id:1";
	it.title = "Strikes reported (updated)";
	assert_int_equal(store_item_replace(s, &it), 0);
	assert_int_equal(store_item_get(s, "bbc", "id:1", article_cb, &got), 1);
	assert_string_equal(got, "Hezbollah said on Monday that it had fired rockets.");
	it.article = "The page now says more.";
	assert_int_equal(store_item_replace(s, &it), 0);
	assert_int_equal(store_item_get(s, "bbc", "id:1", article_cb, &got), 1);
	assert_string_equal(got, "The page now says more.");
	free(got);
	store_close(s);
}

static void
item__guid_that_is_its_link__kept_once_found_and_read_back(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	struct buf		 b;
	char			*got;

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:https://x/1";
	it.link = "https://x/1";
	it.title = "first";
	assert_int_equal(store_item_put(s, &it), 0);
	/* Known, and put again it is not a second row. */
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(item_count(s, "bbc"), 1);
	/* Another key with the same link is another item, its key kept as it is. */
	it.key = "id:g2";
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(item_count(s, "bbc"), 2);
	assert_int_equal(item_seen(s, "bbc", "id:https://x/1"), 1);
	assert_int_equal(item_seen(s, "bbc", "id:g2"), 1);
	assert_int_equal(item_seen(s, "bbc", "id:https://x/2"), 0);
	assert_int_equal(item_seen(s, "cnn", "id:https://x/1"), 0);
	/* The guid that is the link is not stored twice, and is read back whole. */
	assert_int_equal(file_count(f->db, "SELECT count(*) FROM items WHERE key IS NULL"), 1);
	buf_init(&b, 0);
	assert_int_equal(store_item_each(s, 0, key_cb, &b), 0);
	got = buf_steal(&b);
	assert_string_equal(got, "id:https://x/1 id:g2 ");
	free(got);

	/* Its link changed by an update, the item keeps its key. */
	it.key = "id:https://x/1";
	it.link = "https://x/1b";
	it.title = "second";
	assert_int_equal(store_item_replace(s, &it), 0);
	buf_init(&b, 0);
	assert_int_equal(store_item_get(s, "bbc", "id:https://x/1", key_cb, &b), 1);
	got = buf_steal(&b);
	assert_string_equal(got, "id:https://x/1 ");
	free(got);
	assert_int_equal(item_seen(s, "bbc", "id:https://x/1b"), 0);
	assert_int_equal(file_count(f->db, "SELECT count(*) FROM items WHERE key IS NULL"), 0);
	store_close(s);
}

static void
fired__kept_per_item_and_pruned_with_it(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	time_t			 now = time(NULL);

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:old";
	it.seen_at = now - 100 * 86400;
	assert_int_equal(store_item_put(s, &it), 0);
	it.key = "id:new";
	it.seen_at = now;
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_fired_add(s, "bbc", "id:old", "r1"), 0);
	assert_int_equal(store_fired_add(s, "bbc", "id:new", "r1"), 0);
	assert_int_equal(store_fired_add(s, "bbc", "id:new", "r1"), 0);	/* again: no error */
	assert_int_equal(store_fired_seen(s, "bbc", "id:new", "r1"), 1);
	assert_int_equal(store_fired_seen(s, "bbc", "id:new", "r2"), 0);
	assert_int_equal(store_fired_seen(s, "cnn", "id:new", "r1"), 0);

	/* Pruning takes the old item's fired rules with it and keeps the kept item's. */
	assert_int_equal(store_prune(s, now - 86400), 0);
	assert_int_equal(store_fired_seen(s, "bbc", "id:old", "r1"), 0);
	assert_int_equal(store_fired_seen(s, "bbc", "id:new", "r1"), 1);
	store_close(s);
}

static void
outbox__update_flag__round_trips(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a, b, *v;
	size_t		 n;

	assert_non_null(s);
	make_alert(&a, "first", 1733407380);
	make_alert(&b, "changed", 1733407381);
	b.update = 1;
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_add(s, &b, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].update, 0);
	assert_int_equal(v[1].update, 1);
	alert_free(&v[0]);
	alert_free(&v[1]);
	free(v);
	alert_free(&a);
	alert_free(&b);
	store_close(s);
}

static int
surge_count_cb(void *arg, const struct store_surge *sg)
{
	int	*n = arg;

	(*n)++;
	assert_string_equal(sg->rule, "r");
	return 0;
}

/* Story events per window and surge episodes: counted, kept under retention, an open surge
 * kept whatever its age; a surge record's fields come back from the outbox. */
static void
events_and_surges__windows_prune_and_outbox(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir);
	struct alert	 a = { 0 }, *v;
	unsigned	 counts[4];
	time_t		 first, t0 = 1733400000;
	int64_t		 id;
	size_t		 n;
	int		 nsurges = 0;

	assert_non_null(s);
	/* Windows of 100 s back from t0 + 300: (200, 300], (100, 200], (0, 100], (-100, 0]. */
	assert_int_equal(store_event_add(s, t0, "r", "rule", "r", "k0"), 0);
	assert_int_equal(store_event_add(s, t0 + 150, "r", "rule", "r", "k1"), 0);
	assert_int_equal(store_event_add(s, t0 + 250, "r", "rule", "r", "k2"), 0);
	assert_int_equal(store_event_add(s, t0 + 300, "r", "rule", "r", "k3"), 0);
	assert_int_equal(store_event_add(s, t0 + 300, "r", "place", "Aleppo", "k3"), 0);
	assert_int_equal(store_event_add(s, t0 + 300, "other", "rule", "other", "k3"), 0);
	assert_int_equal(store_event_windows(s, "r", t0 + 300, 100, counts, 4, &first), 0);
	assert_int_equal(counts[0], 2);
	assert_int_equal(counts[1], 1);
	assert_int_equal(counts[2], 0);
	assert_int_equal(counts[3], 1);
	assert_true(first == t0);

	/* An episode opened and closed, and one still open. */
	a.type = ALERT_SURGE;
	a.rule = "r";
	a.time = t0;
	a.surge.window = 100;
	a.surge.count = 9;
	assert_int_equal(store_surge_add(s, &a), 0);
	assert_int_equal(store_surge_open(s, "r", &id), 1);
	assert_int_equal(store_surge_close(s, id, t0 + 10), 0);
	assert_int_equal(store_surge_open(s, "r", NULL), 0);
	a.time = t0 + 20;
	assert_int_equal(store_surge_add(s, &a), 0);
	assert_int_equal(store_surge_each(s, 0, surge_count_cb, &nsurges), 0);
	assert_int_equal(nsurges, 2);

	/* Retention: what is older than t0 + 200 goes, the open episode stays. */
	assert_int_equal(store_prune(s, t0 + 200), 0);
	assert_int_equal(store_event_windows(s, "r", t0 + 300, 100, counts, 4, &first), 0);
	assert_int_equal(counts[0], 2);
	assert_int_equal(counts[1] + counts[2] + counts[3], 0);
	assert_true(first == t0 + 250);
	nsurges = 0;
	assert_int_equal(store_surge_each(s, 0, surge_count_cb, &nsurges), 0);
	assert_int_equal(nsurges, 1);
	assert_int_equal(store_surge_open(s, "r", NULL), 1);

	/* A surge record in the outbox keeps its own fields. */
	a.title = "Surge";
	a.surge.mean = 0.25;
	a.surge.sd = 0.5;
	a.surge.windows = 168;
	a.surge.titles = (char *[]){ "one", "two" };
	a.surge.ntitles = 2;
	a.surge.feeds = (char *[]){ "bbc" };
	a.surge.nfeeds = 1;
	assert_int_equal(store_alert_add(s, &a, STORE_CH_LOG), 0);
	assert_int_equal(store_alert_pending_after(s, STORE_CH_LOG, 0, 10, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].type, ALERT_SURGE);
	assert_int_equal(v[0].surge.window, 100);
	assert_int_equal(v[0].surge.count, 9);
	assert_true(v[0].surge.mean == 0.25 && v[0].surge.sd == 0.5);
	assert_int_equal(v[0].surge.windows, 168);
	assert_int_equal(v[0].surge.ntitles, 2);
	assert_string_equal(v[0].surge.titles[1], "two");
	assert_int_equal(v[0].surge.nfeeds, 1);
	alert_free(&v[0]);
	free(v);
	store_close(s);
}

static void
open__version_3_file__migrates_items_without_fingerprint_and_fired_from_alerts(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct store_known	 k;
	sqlite3			*db;
	char			*got = NULL;

	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, SCHEMA_1 SCHEMA_2_3
	    "INSERT INTO items (feed, key, title, content, seen_at, alt_key)"
	    " VALUES ('bbc', 'id:g1', 't', 'old text', 1, 'x/1' || char(10) || 't');"
	    "INSERT INTO alerts (created, rule, severity, feed, title, item_id, link, pending)"
	    " VALUES (1, 'r-guid', 1, 'bbc', 'a', 'g1', 'https://x/1', 1);"
	    "INSERT INTO alerts (created, rule, severity, feed, title, link, pending)"
	    " VALUES (1, 'r-link', 1, 'bbc', 'b', 'https://x/2', 1);"
	    "PRAGMA user_version = 3;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(file_user_version(f->db), SCHEMA_NOW);
	/* Known, but with no fingerprint yet and never matched: feed.c compares the text. */
	assert_int_equal(store_item_touch(s, "bbc", "id:g1", time(NULL), &k), 1);
	assert_int_equal(k.has_fp, 0);
	assert_int_equal(k.matched, 0);
	assert_int_equal(store_item_get(s, "bbc", "id:g1", item_text_cb, &got), 1);
	assert_string_equal(got, "t|-|old text|0|0|0");
	free(got);
	/* The alerts made before say which rules fired on which item. */
	assert_int_equal(store_fired_seen(s, "bbc", "id:g1", "r-guid"), 1);
	assert_int_equal(store_fired_seen(s, "bbc", "link:https://x/2", "r-link"), 1);
	assert_int_equal(store_fired_seen(s, "bbc", "link:https://x/1", "r-guid"), 0);
	/* Schema 6 turned the secondary key into its hash: still found by the key. */
	assert_int_equal(store_item_alt_seen(s, "bbc", "x/1\nt"), 1);
	assert_int_equal(store_item_alt_seen(s, "bbc", "x/1\nu"), 0);
	store_close(s);
}

/* store_item_known reads and writes nothing; store_item_touch_ids marks the rows seen. */
static void
item__known_then_touch_ids__marks_seen_in_the_callers_transaction(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	struct store_known	 k;
	time_t			 now = time(NULL);

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:1";
	it.seen_at = now - 5000;
	it.fp = 7;
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 1);
	assert_true(k.seen_at == now - 5000 && k.fp == 7 && k.has_fp && k.id > 0);
	assert_int_equal(store_item_known(s, "bbc", "id:2", &k), 0);
	assert_int_equal(store_item_known(s, "cnn", "id:1", &k), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 1);
	/* Rolled back: still the old mark. */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_item_touch_ids(s, &k.id, 1, now), 0);
	store_rollback(s);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 1);
	assert_true(k.seen_at == now - 5000);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_item_touch_ids(s, &k.id, 1, now), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 1);
	assert_true(k.seen_at == now);
	/* Pruning keeps what was marked, as the feed still carries it. */
	assert_int_equal(store_prune(s, now - 1000), 0);
	assert_int_equal(item_seen(s, "bbc", "id:1"), 1);
	store_close(s);
}

/*
 * Lookups in a batch share one read transaction; a write inside it ends the batch and commits
 * on its own (it survives a reopen); store_batch_end after that, or twice, does nothing.
 */
static void
batch__write_inside__ends_it_and_commits(void **state)
{
	struct fixture		*f = *state;
	struct store		*s = store_open(f->dir);
	struct store_item	 it;
	struct store_known	 k;

	assert_non_null(s);
	memset(&it, 0, sizeof(it));
	it.feed = "bbc";
	it.key = "id:1";
	assert_int_equal(store_batch_begin(s), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_item_put(s, &it), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:1", &k), 1);
	store_batch_end(s);
	store_batch_end(s);
	/* Inside a write transaction a batch is nothing: the commit is the caller's. */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_batch_begin(s), 0);
	it.key = "id:2";
	assert_int_equal(store_item_put(s, &it), 0);
	store_batch_end(s);
	assert_int_equal(store_commit(s), 0);
	/* A batch left open is ended by the next write. */
	assert_int_equal(store_batch_begin(s), 0);
	assert_int_equal(store_item_known(s, "bbc", "id:2", &k), 1);
	assert_int_equal(store_prune(s, 0), 0);
	store_close(s);
	s = store_open(f->dir);
	assert_non_null(s);
	assert_int_equal(item_seen(s, "bbc", "id:1"), 1);
	assert_int_equal(item_seen(s, "bbc", "id:2"), 1);
	store_close(s);
}

static void
open_readonly__beside_an_open_store__reads_and_cannot_write(void **state)
{
	struct fixture	*f = *state;
	struct store	*s = store_open(f->dir), *r;

	assert_non_null(s);
	assert_int_equal(item_add(s, "bbc", "k", "t", NULL, 0, NULL), 0);
	r = store_open_readonly(f->dir);
	assert_non_null(r);
	assert_int_equal(item_seen(r, "bbc", "k"), 1);
	assert_int_equal(item_add(r, "bbc", "k2", "t", NULL, 0, NULL), -1);
	store_close(r);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open__new_directory__creates_dir_0700_and_files_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(open__reopened__keeps_data_and_schema_version, setup, teardown),
		cmocka_unit_test_setup_teardown(item__known_then_touch_ids__marks_seen_in_the_callers_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__write_inside__ends_it_and_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(open__empty_file__migrates_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(open__garbage_file__fails_and_leaves_it_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(open__newer_schema__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(open__directory_in_use__second_open_fails_until_first_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(open__after_kill_9__keeps_committed_items_and_frees_the_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(item__added__is_seen_per_feed_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(feed__put_then_get__round_trips_including_null_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(feed__each__walks_in_name_order, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox__two_channels__pending_until_both_done, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox__pending__returns_every_field_and_match, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox__pending__is_oldest_first_and_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(targets__pending_settled_and_kept_from_prune, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(prune__old_items_and_delivered_alerts__go_undelivered_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(transaction__rolled_back__forgets_and_committed__keeps, setup, teardown),
		cmocka_unit_test_setup_teardown(story__added__is_seen_with_its_alert_and_also_in_grows_once, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox__log_position__round_trips_and_pending_after_skips_earlier_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox__exec_channel__pending_until_done, setup, teardown),
		cmocka_unit_test_setup_teardown(item__put__keeps_fields_apart_finds_alt_key_and_lists_since, setup, teardown),
		cmocka_unit_test_setup_teardown(story__also_in__never_adds_the_alerts_own_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(open__version_1_file__migrates_keeping_items_and_pending_alerts, setup, teardown),
		cmocka_unit_test_setup_teardown(item__replaced__new_text_and_fingerprint_come_back_from_touch_and_each, setup, teardown),
		cmocka_unit_test_setup_teardown(item__article__stored_kept_by_an_update_without_one_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(fired__kept_per_item_and_pruned_with_it, setup, teardown),
		cmocka_unit_test_setup_teardown(item__guid_that_is_its_link__kept_once_found_and_read_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(outbox__update_flag__round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(events_and_surges__windows_prune_and_outbox, setup, teardown),
		cmocka_unit_test_setup_teardown(open__version_3_file__migrates_items_without_fingerprint_and_fired_from_alerts, setup, teardown),
		cmocka_unit_test_setup_teardown(open_readonly__beside_an_open_store__reads_and_cannot_write, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
