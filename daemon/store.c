/* store.c: the state database in SQLite: schema and migrations, feed state, seen items, the alert outbox. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "store.h"
#include "util.h"

/*
 * WAL pages between checkpoints. A checkpoint copies each page changed since the last one into
 * the file once, however many commits changed it, and syncs twice: SQLite's 1,000 copied the
 * hot pages (index leaves, the outbox) again every few dozen feeds of a cold poll. The cost is a
 * WAL of up to this many pages (16 MiB) on disk.
 */
#define STORE_CHECKPOINT_PAGES	"4000"
/* SQLite's page cache in KiB, as text for PRAGMA cache_size (a negative size is in KiB). */
#define STORE_CACHE_KIB	"768"

/*
 * The schema, one entry per version: user_version N means entries 0..N-1 have run. Never edit an
 * entry that has shipped; append a new one. Each runs in the same transaction as the user_version
 * update, so a crash leaves either the old schema or the new one.
 *
 * Lists (actors, places, keywords, also_in) are stored joined by '\n': names come from the
 * configuration or feed names, which never contain a newline.
 *
 * items is a rowid table although (feed, key) is its key: WITHOUT ROWID rows carrying a kilobyte
 * of text spill into overflow pages, and 50,000 items took 235 MB instead of about 60 MB.
 */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE feeds ("
	"  name TEXT PRIMARY KEY,"
	"  etag TEXT, last_modified TEXT, url TEXT,"
	"  last_attempt INTEGER NOT NULL DEFAULT 0,"
	"  last_success INTEGER NOT NULL DEFAULT 0,"
	"  next_poll INTEGER NOT NULL DEFAULT 0,"
	"  last_status INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  polled INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE items ("
	"  feed TEXT NOT NULL, key TEXT NOT NULL,"
	"  title TEXT, link TEXT, published INTEGER, text TEXT,"
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (feed, key));"
	"CREATE INDEX items_seen_at ON items (seen_at);"
	"CREATE TABLE alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  created INTEGER NOT NULL,"
	"  rule TEXT NOT NULL, severity INTEGER NOT NULL, feed TEXT NOT NULL,"
	"  title TEXT, link TEXT, item_id TEXT, published TEXT,"
	"  actors TEXT NOT NULL DEFAULT '', places TEXT NOT NULL DEFAULT '',"
	"  keywords TEXT NOT NULL DEFAULT '', also_in TEXT NOT NULL DEFAULT '',"
	"  pending INTEGER NOT NULL,"
	"  delivered_at INTEGER);"
	"CREATE INDEX alerts_undelivered ON alerts (id) WHERE delivered_at IS NULL;"
	"CREATE INDEX alerts_created ON alerts (created);"
	"CREATE TABLE alert_matches ("
	"  alert_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
	"  kind TEXT, name TEXT, alias TEXT, field TEXT, snippet TEXT, via TEXT,"
	"  PRIMARY KEY (alert_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE stories ("
	"  rule TEXT NOT NULL, story_key TEXT NOT NULL,"
	"  alert_id INTEGER NOT NULL, created INTEGER NOT NULL,"
	"  PRIMARY KEY (rule, story_key)) WITHOUT ROWID;"
	"CREATE INDEX stories_created ON stories (created);",
	/*
	 * 2: the alert log's write-ahead (where each record was about to land: file identity,
	 * offset, length and hash of its bytes), so a restart can tell a record written just
	 * before a crash from one never written; an item's secondary key (link + folded title)
	 * to spot feeds that rewrite their guids; an item's fields kept apart for replay.
	 */
	"ALTER TABLE alerts ADD COLUMN log_off INTEGER;"
	"ALTER TABLE alerts ADD COLUMN log_dev INTEGER;"
	"ALTER TABLE alerts ADD COLUMN log_ino INTEGER;"
	"ALTER TABLE alerts ADD COLUMN log_len INTEGER;"
	"ALTER TABLE alerts ADD COLUMN log_hash INTEGER;"
	"ALTER TABLE items ADD COLUMN alt_key TEXT;"
	"ALTER TABLE items ADD COLUMN summary TEXT;"
	"ALTER TABLE items ADD COLUMN content TEXT;"
	"ALTER TABLE items ADD COLUMN categories TEXT;"
	"CREATE INDEX items_alt_key ON items (feed, alt_key) WHERE alt_key IS NOT NULL;",
	/*
	 * 3: a permanent redirect is followed for good only once seen on several polls in a row
	 * (feed.c), so its target and the count survive a restart.
	 */
	"ALTER TABLE feeds ADD COLUMN moved_to TEXT;"
	"ALTER TABLE feeds ADD COLUMN moved_count INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 4: updated items are matched again. fp is a hash of the text the rules read (NULL for
	 * items stored before: their first sighting compares the stored text instead); matched
	 * says whether the rules that fire on that text are in fired, which keeps, per item, every
	 * rule that ever fired on it so an item changing on every poll alerts a rule once. Rows
	 * go with their item (store_prune). fired starts from the alerts already made: an item
	 * keyed by its guid or, without one, by its link. alerts.updated marks an alert raised by
	 * a changed item.
	 */
	"ALTER TABLE items ADD COLUMN fp INTEGER;"
	"ALTER TABLE items ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE alerts ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE fired ("
	"  feed TEXT NOT NULL, key TEXT NOT NULL, rule TEXT NOT NULL,"
	"  PRIMARY KEY (feed, key, rule)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO fired SELECT feed, 'id:' || item_id, rule FROM alerts"
	"  WHERE item_id IS NOT NULL AND item_id != '';"
	"INSERT OR IGNORE INTO fired SELECT feed, 'link:' || link, rule FROM alerts"
	"  WHERE (item_id IS NULL OR item_id = '') AND link IS NOT NULL AND link != '';",
	/* 5: the main text of an item's web page (fetch_article), for replay. */
	"ALTER TABLE items ADD COLUMN article TEXT;",
	/*
	 * 6: surges and trends (surge.c). events has one row per new story per rule (kind
	 * 'rule', name the rule) and one per actor and place the alert names, with the story's
	 * key so that a story two rules share counts once per entity; kept under retention.
	 * surges keeps each episode: open while closed is NULL (one per rule at most), so a
	 * restart finds it and raises no second alert. An alert of type 1 is a surge record
	 * with its own fields (record.h); lists are '\n'-joined like the others.
	 */
	"CREATE TABLE events ("
	"  at INTEGER NOT NULL, rule TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
	"  story TEXT NOT NULL);"
	"CREATE INDEX events_rule ON events (rule, kind, at);"
	"CREATE INDEX events_at ON events (at);"
	"CREATE TABLE surges ("
	"  id INTEGER PRIMARY KEY, rule TEXT NOT NULL, opened INTEGER NOT NULL, closed INTEGER,"
	"  span INTEGER NOT NULL, count INTEGER NOT NULL, mean REAL NOT NULL, sd REAL NOT NULL,"
	"  alert_id INTEGER);"
	"CREATE UNIQUE INDEX surges_open ON surges (rule) WHERE closed IS NULL;"
	"CREATE INDEX surges_opened ON surges (opened);"
	"ALTER TABLE alerts ADD COLUMN type INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE alerts ADD COLUMN surge_window INTEGER;"
	"ALTER TABLE alerts ADD COLUMN surge_count INTEGER;"
	"ALTER TABLE alerts ADD COLUMN surge_mean REAL;"
	"ALTER TABLE alerts ADD COLUMN surge_sd REAL;"
	"ALTER TABLE alerts ADD COLUMN surge_windows INTEGER;"
	"ALTER TABLE alerts ADD COLUMN surge_titles TEXT;"
	"ALTER TABLE alerts ADD COLUMN surge_feeds TEXT;",
	/*
	 * 7: an item's secondary key (link + folded title, about 150 bytes) is kept as its 64-bit
	 * hash (alt_hash, TEXT_HASH): it is only ever compared for equality, and the text cost
	 * about 300 bytes an item, in the row and again in its index. nw_alt_hash is defined by
	 * store_open for this step.
	 */
	"ALTER TABLE items ADD COLUMN alt_hash INTEGER;"
	"UPDATE items SET alt_hash = nw_alt_hash(alt_key), alt_key = NULL WHERE alt_key IS NOT NULL;"
	"DROP INDEX items_alt_key;"
	"CREATE INDEX items_alt_hash ON items (feed, alt_hash) WHERE alt_hash IS NOT NULL;",
	/*
	 * 8: push targets (target.c). One row per alert per target the alert's rule names: state
	 * 0 pending, 1 sent, 2 failed for good (a 4xx), 3 dropped (the target's backlog was
	 * full). Target names come and go with the configuration, so they are rows, not bits in
	 * alerts.pending: a target removed keeps its pending rows (and their alerts) until it
	 * comes back. targets keeps what status shows of each: the last success and error and
	 * the counts.
	 */
	"CREATE TABLE alert_targets ("
	"  alert_id INTEGER NOT NULL, target TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_try INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT, done_at INTEGER,"
	"  PRIMARY KEY (target, alert_id)) WITHOUT ROWID;"
	"CREATE INDEX alert_targets_pending ON alert_targets (alert_id) WHERE state = 0;"
	"CREATE INDEX alert_targets_done ON alert_targets (done_at) WHERE state != 0;"
	"CREATE TABLE targets ("
	"  name TEXT PRIMARY KEY, last_success INTEGER, last_error TEXT, last_error_at INTEGER,"
	"  sent INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
	"  dropped INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;",
	/*
	 * 9: smaller (issue 15: 1,557 -> 1,286 bytes per item on the harness's 1000x50 corpus,
	 * bench/scale/scale.py). Keys that are only ever compared are kept as 64-bit hashes
	 * (nw_hash, TEXT_HASH): an item's key in the index that finds it (the text key cost
	 * about 100 bytes an item there), and the story keys of stories and events (about 90
	 * bytes a row, and again in stories' index). An item's key text stays in its row for
	 * replay (the guid) and to tell two keys sharing a hash apart, except the common case
	 * of a guid that is the item's link ("id:" || link): then key is NULL and read back as
	 * that. fired names its item by the key's hash. items loses the columns nothing writes
	 * any more (alt_key since 7, text since 2: such items' text moves to content). stories
	 * loses its index on created, which only the daily prune read (it now scans the table).
	 * Tables whose key changes are made anew: SQLite cannot drop a primary key's index.
	 */
	"CREATE TABLE items9 ("
	"  feed TEXT NOT NULL, khash INTEGER NOT NULL, key TEXT,"
	"  seen_at INTEGER NOT NULL, fp INTEGER, matched INTEGER NOT NULL DEFAULT 0,"
	"  alt_hash INTEGER, published INTEGER, title TEXT, link TEXT, summary TEXT,"
	"  content TEXT, categories TEXT, article TEXT);"
	"INSERT INTO items9 SELECT feed, nw_hash(key),"
	"  CASE WHEN key = 'id:' || link THEN NULL ELSE key END, seen_at, fp, matched,"
	"  coalesce(alt_hash, nw_hash(alt_key)), published, title, link, summary,"
	"  CASE WHEN summary IS NULL AND content IS NULL THEN text ELSE content END,"
	"  categories, article FROM items ORDER BY rowid;"
	"DROP TABLE items;"
	"ALTER TABLE items9 RENAME TO items;"
	"CREATE INDEX items_key ON items (feed, khash);"
	"CREATE INDEX items_seen_at ON items (seen_at);"
	"CREATE INDEX items_alt_hash ON items (feed, alt_hash) WHERE alt_hash IS NOT NULL;"
	"CREATE TABLE fired9 ("
	"  feed TEXT NOT NULL, khash INTEGER NOT NULL, rule TEXT NOT NULL,"
	"  PRIMARY KEY (feed, khash, rule)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO fired9 SELECT feed, nw_hash(key), rule FROM fired;"
	"DROP TABLE fired;"
	"ALTER TABLE fired9 RENAME TO fired;"
	"CREATE TABLE stories9 ("
	"  rule TEXT NOT NULL, story INTEGER NOT NULL,"
	"  alert_id INTEGER NOT NULL, created INTEGER NOT NULL,"
	"  PRIMARY KEY (rule, story)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO stories9 SELECT rule, nw_hash(story_key), alert_id, created"
	"  FROM stories;"
	"DROP TABLE stories;"
	"ALTER TABLE stories9 RENAME TO stories;"
	"CREATE TABLE events9 ("
	"  at INTEGER NOT NULL, rule TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
	"  story INTEGER NOT NULL);"
	"INSERT INTO events9 SELECT at, rule, kind, name, nw_hash(story) FROM events"
	"  ORDER BY rowid;"
	"DROP TABLE events;"
	"ALTER TABLE events9 RENAME TO events;"
	"CREATE INDEX events_rule ON events (rule, kind, at);"
	"CREATE INDEX events_at ON events (at);",
};
#define SCHEMA_VERSION	((int)(sizeof(migrations) / sizeof(migrations[0])))

/*
 * TEXT_HASH: a key kept as its hash (an item's secondary key since schema 7; an item's key in
 * its index, the rules that fired on it and story keys since schema 9): FNV-1a of its bytes
 * as a signed 64-bit integer. Two different keys share a hash with a chance of about one in
 * 2^64 per pair. Where only the hash is kept the cost of that would be one item taken for
 * another: a rewritten guid taken for a known item (recorded without an alert), a rule taken
 * as already fired on an item, or a story taken as already alerted.
 */
static sqlite3_int64
text_hash(const char *text)
{
	return (sqlite3_int64)fnv1a(FNV1A_INIT, text, strlen(text));
}

/* nw_hash(text), and nw_alt_hash as migration 7 named it, for the migrations. */
static void
text_hash_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*t = sqlite3_value_text(argv[0]);

	(void)argc;
	if (t == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, text_hash((const char *)t));
}

/* Cached statements: prepared on first use, reset after each use, finalized at close. */
enum stmt_id {
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_FEED_GET,
	ST_FEED_PUT,
	ST_FEED_EACH,
	ST_ITEM_KNOWN,
	ST_ITEM_TOUCH,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_ALERT_ADD,
	ST_MATCH_ADD,
	ST_ALERT_PENDING,
	ST_MATCH_GET,
	ST_ALERT_DONE,
	ST_ALSO_IN_GET,
	ST_ALSO_IN_SET,
	ST_STORY_SEEN,
	ST_STORY_ADD,
	ST_PRUNE_ITEMS,
	ST_PRUNE_MATCHES,
	ST_PRUNE_ALERTS,
	ST_PRUNE_STORIES,
	ST_ITEM_PUT,
	ST_ITEM_ALT_SEEN,
	ST_ITEM_EACH,
	ST_ALERT_LOGPOS,
	ST_ALERT_BACKLOG,
	ST_ITEM_REPLACE,
	ST_ITEM_GET,
	ST_FIRED_SEEN,
	ST_FIRED_ADD,
	ST_PRUNE_FIRED,
	ST_EVENT_ADD,
	ST_EVENT_WINDOWS,
	ST_EVENT_FIRST,
	ST_EVENT_HOURS,
	ST_EVENT_HOURS_RULE,
	ST_SURGE_OPEN,
	ST_SURGE_ADD,
	ST_SURGE_CLOSE,
	ST_SURGE_EACH,
	ST_ALERT_RECENT,
	ST_PRUNE_EVENTS,
	ST_PRUNE_SURGES,
	ST_TARGET_ADD,
	ST_TARGET_NAME_ADD,
	ST_TARGET_COUNT,
	ST_TARGET_PENDING,
	ST_TARGET_SETTLE,
	ST_TARGET_ATTEMPT,
	ST_TARGET_NOTE,
	ST_TARGET_EACH,
	ST_TARGET_ORPHANS,
	ST_PRUNE_TARGETS,
	ST_COUNT
};

/* What alerts_read reads, in its order. */
#define ALERT_COLUMNS "id, created, rule, severity, feed, title, link, item_id," \
	" published, actors, places, keywords, also_in," \
	" log_off, log_dev, log_ino, log_len, log_hash, updated, type, surge_window," \
	" surge_count, surge_mean, surge_sd, surge_windows, surge_titles, surge_feeds"
/*
 * An item's key as stored (schema 9): NULL stands for the commonest key, "id:" followed by the
 * item's link (a guid that is its permalink), which would otherwise be kept twice.
 * ITEM_WHERE finds the item whose feed is ?1 and key ?2, with ?3 the key's hash (text_hash):
 * the hash finds it in the index, the key tells apart two keys that share a hash.
 */
#define ITEM_KEY "coalesce(key, 'id:' || link)"
#define ITEM_WHERE "feed = ?1 AND khash = ?3 AND " ITEM_KEY " = ?2"
/* The key to store for an item whose key is ?2 and link ?5 (ST_ITEM_PUT, ST_ITEM_REPLACE). */
#define STORED_KEY "CASE WHEN ?2 = 'id:' || ?5 THEN NULL ELSE ?2 END"
/* What item_row_cb reads, in its order. */
#define ITEM_COLUMNS "feed, " ITEM_KEY ", title, link, published, summary, content," \
	" categories, seen_at, fp, matched, article, alt_hash"
/* An alert is pruned only once no target waits for it either. */
#define NO_TARGET_WAITS " AND NOT EXISTS (SELECT 1 FROM alert_targets t" \
	" WHERE t.alert_id = alerts.id AND t.state = 0)"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_FEED_GET] = "SELECT etag, last_modified, url, last_attempt, last_success, next_poll,"
	    " last_status, last_error, failures, polled, gone, moved_to, moved_count"
	    " FROM feeds WHERE name = ?1",
	[ST_FEED_PUT] = "INSERT OR REPLACE INTO feeds (name, etag, last_modified, url,"
	    " last_attempt, last_success, next_poll, last_status, last_error, failures, polled, gone,"
	    " moved_to, moved_count)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_FEED_EACH] = "SELECT name, etag, last_modified, url, last_attempt, last_success,"
	    " next_poll, last_status, last_error, failures, polled, gone, moved_to, moved_count"
	    " FROM feeds ORDER BY name",
	[ST_ITEM_KNOWN] = "SELECT rowid, fp, matched, seen_at FROM items WHERE " ITEM_WHERE,
	[ST_ITEM_TOUCH] = "UPDATE items SET seen_at = ?2 WHERE rowid = ?1",
	[ST_SAVEPOINT] = "SAVEPOINT alert_add",
	[ST_RELEASE] = "RELEASE alert_add",
	[ST_ROLLBACK_TO] = "ROLLBACK TO alert_add",
	[ST_ALERT_ADD] = "INSERT INTO alerts (created, rule, severity, feed, title, link, item_id,"
	    " published, actors, places, keywords, also_in, pending, updated, type, surge_window,"
	    " surge_count, surge_mean, surge_sd, surge_windows, surge_titles, surge_feeds)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	    " ?18, ?19, ?20, ?21, ?22)",
	[ST_MATCH_ADD] = "INSERT INTO alert_matches (alert_id, seq, kind, name, alias, field,"
	    " snippet, via) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_ALERT_PENDING] = "SELECT " ALERT_COLUMNS " FROM alerts"
	    " WHERE delivered_at IS NULL AND (pending & ?1) != 0 AND id > ?3 ORDER BY id LIMIT ?2",
	[ST_MATCH_GET] = "SELECT kind, name, alias, field, snippet, via FROM alert_matches"
	    " WHERE alert_id = ?1 ORDER BY seq",
	/* SET expressions all see the row as it was before the update. */
	[ST_ALERT_DONE] = "UPDATE alerts SET pending = pending & ~?2,"
	    " delivered_at = CASE WHEN (pending & ~?2) = 0 THEN coalesce(delivered_at, ?3)"
	    " ELSE NULL END WHERE id = ?1",
	[ST_ALSO_IN_GET] = "SELECT also_in, feed FROM alerts WHERE id = ?1",
	[ST_ALSO_IN_SET] = "UPDATE alerts SET also_in = ?2 WHERE id = ?1",
	[ST_STORY_SEEN] = "SELECT alert_id FROM stories WHERE rule = ?1 AND story = ?2",
	[ST_STORY_ADD] = "INSERT OR IGNORE INTO stories (rule, story, alert_id, created)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_PRUNE_ITEMS] = "DELETE FROM items WHERE seen_at < ?1",
	[ST_PRUNE_MATCHES] = "DELETE FROM alert_matches WHERE alert_id IN (SELECT id FROM alerts"
	    " WHERE delivered_at IS NOT NULL AND created < ?1" NO_TARGET_WAITS ")",
	[ST_PRUNE_ALERTS] = "DELETE FROM alerts WHERE delivered_at IS NOT NULL AND created < ?1"
	    NO_TARGET_WAITS,
	[ST_PRUNE_STORIES] = "DELETE FROM stories WHERE created < ?1",
	/* The key's index is not unique (two keys may share a hash): a known item is kept by
	 * asking, as INSERT OR IGNORE did when (feed, key) was the primary key. */
	[ST_ITEM_PUT] = "INSERT INTO items (feed, khash, key, seen_at, fp, matched, alt_hash,"
	    " published, title, link, summary, content, categories, article)"
	    " SELECT ?1, ?3, " STORED_KEY ", ?10, ?11, ?12, ?14, ?6, ?4, ?5, ?7, ?8, ?9, ?13"
	    " WHERE NOT EXISTS (SELECT 1 FROM items WHERE " ITEM_WHERE ")",
	[ST_ITEM_ALT_SEEN] = "SELECT 1 FROM items WHERE feed = ?1 AND alt_hash = ?2",
	[ST_ITEM_EACH] = "SELECT " ITEM_COLUMNS " FROM items"
	    " WHERE coalesce(published, seen_at) >= ?1 ORDER BY coalesce(published, seen_at), rowid",
	[ST_ALERT_LOGPOS] = "UPDATE alerts SET log_off = ?2, log_dev = ?3, log_ino = ?4,"
	    " log_len = ?5, log_hash = ?6 WHERE id = ?1",
	[ST_ALERT_BACKLOG] = "SELECT count(*), min(created) FROM alerts"
	    " WHERE delivered_at IS NULL AND (pending & ?1) != 0",
	/*
	 * Same parameters as ST_ITEM_PUT. The stored key is worked out again, as the link may
	 * have changed. An update fetches no page: the article fetched for the item's first
	 * version stays.
	 */
	[ST_ITEM_REPLACE] = "UPDATE items SET key = " STORED_KEY ", alt_hash = ?14, title = ?4,"
	    " link = ?5, published = ?6, summary = ?7, content = ?8, categories = ?9,"
	    " seen_at = ?10, fp = ?11, matched = ?12, article = coalesce(?13, article)"
	    " WHERE " ITEM_WHERE,
	[ST_ITEM_GET] = "SELECT " ITEM_COLUMNS " FROM items WHERE " ITEM_WHERE,
	/* fired names an item by its feed and its key's hash (?2). */
	[ST_FIRED_SEEN] = "SELECT 1 FROM fired WHERE feed = ?1 AND khash = ?2 AND rule = ?3",
	[ST_FIRED_ADD] = "INSERT OR IGNORE INTO fired (feed, khash, rule) VALUES (?1, ?2, ?3)",
	/* After ST_PRUNE_ITEMS: a rule's firing is kept exactly as long as its item. */
	[ST_PRUNE_FIRED] = "DELETE FROM fired WHERE NOT EXISTS (SELECT 1 FROM items"
	    " WHERE items.feed = fired.feed AND items.khash = fired.khash)",
	/* story is the story key's hash. */
	[ST_EVENT_ADD] = "INSERT INTO events (at, rule, kind, name, story) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* Window k holds the events at (now - (k+1)W, now - kW]. */
	[ST_EVENT_WINDOWS] = "SELECT (?2 - at) / ?3, count(*) FROM events"
	    " WHERE rule = ?1 AND kind = 'rule' AND at <= ?2 AND at > ?2 - ?3 * ?4 GROUP BY 1",
	[ST_EVENT_FIRST] = "SELECT min(at) FROM events WHERE rule = ?1 AND kind = 'rule'",
	/* Distinct stories per entity and hour: a story two rules share counts once. */
	[ST_EVENT_HOURS] = "SELECT kind, name, at / 3600, count(DISTINCT story) FROM events"
	    " WHERE at >= ?1 AND at < ?2 AND kind != 'rule' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
	[ST_EVENT_HOURS_RULE] = "SELECT kind, name, at / 3600, count(DISTINCT story) FROM events"
	    " WHERE at >= ?1 AND at < ?2 AND kind != 'rule' AND rule = ?3 GROUP BY 1, 2, 3"
	    " ORDER BY 1, 2, 3",
	[ST_SURGE_OPEN] = "SELECT id FROM surges WHERE rule = ?1 AND closed IS NULL",
	[ST_SURGE_ADD] = "INSERT INTO surges (rule, opened, span, count, mean, sd, alert_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_SURGE_CLOSE] = "UPDATE surges SET closed = ?2 WHERE id = ?1",
	[ST_SURGE_EACH] = "SELECT rule, opened, closed, span, count, mean, sd FROM surges"
	    " WHERE opened >= ?1 ORDER BY opened, id",
	[ST_ALERT_RECENT] = "SELECT title, feed, also_in, actors, places FROM alerts"
	    " WHERE rule = ?1 AND type = 0 AND created > ?2 ORDER BY id DESC LIMIT ?3",
	[ST_PRUNE_EVENTS] = "DELETE FROM events WHERE at < ?1",
	/* An open episode stays whatever its age: it is what stops a repeat. */
	[ST_PRUNE_SURGES] = "DELETE FROM surges WHERE closed IS NOT NULL AND closed < ?1",
	[ST_TARGET_ADD] = "INSERT OR IGNORE INTO alert_targets (alert_id, target, state, done_at)"
	    " VALUES (?1, ?2, ?3, CASE WHEN ?3 = 0 THEN NULL ELSE ?4 END)",
	[ST_TARGET_NAME_ADD] = "INSERT OR IGNORE INTO targets (name) VALUES (?1)",
	[ST_TARGET_COUNT] = "SELECT count(*) FROM alert_targets WHERE target = ?1 AND state = 0",
	[ST_TARGET_PENDING] = "SELECT " ALERT_COLUMNS " FROM alert_targets t"
	    " JOIN alerts ON alerts.id = t.alert_id WHERE t.target = ?1 AND t.state = 0"
	    " AND t.alert_id > ?3 AND severity BETWEEN ?4 AND ?5 ORDER BY t.alert_id LIMIT ?2",
	[ST_TARGET_SETTLE] = "UPDATE alert_targets SET state = ?3, done_at = ?4,"
	    " last_error = ?5 WHERE alert_id = ?1 AND target = ?2 AND state = 0",
	[ST_TARGET_ATTEMPT] = "UPDATE alert_targets SET attempts = attempts + 1, next_try = ?3,"
	    " last_error = ?4 WHERE alert_id = ?1 AND target = ?2 AND state = 0",
	/* ?2: 1 a success, 0 an error; ?5..?7 add to the counts. */
	[ST_TARGET_NOTE] = "INSERT INTO targets (name, last_success, last_error, last_error_at,"
	    " sent, failed, dropped) VALUES (?1, CASE WHEN ?2 THEN ?3 END,"
	    " CASE WHEN ?2 THEN NULL ELSE ?4 END, CASE WHEN ?2 THEN NULL ELSE ?3 END, ?5, ?6, ?7)"
	    " ON CONFLICT (name) DO UPDATE SET"
	    " last_success = CASE WHEN ?2 THEN ?3 ELSE last_success END,"
	    " last_error = CASE WHEN ?2 THEN last_error ELSE ?4 END,"
	    " last_error_at = CASE WHEN ?2 THEN last_error_at ELSE ?3 END,"
	    " sent = sent + ?5, failed = failed + ?6, dropped = dropped + ?7",
	[ST_TARGET_EACH] = "SELECT name, (SELECT count(*) FROM alert_targets t"
	    " WHERE t.target = name AND t.state = 0), (SELECT min(a.created) FROM alert_targets t"
	    " JOIN alerts a ON a.id = t.alert_id WHERE t.target = name AND t.state = 0),"
	    " last_success, last_error, last_error_at, sent, failed, dropped FROM targets"
	    " ORDER BY name",
	[ST_TARGET_ORPHANS] = "SELECT target, count(*) FROM alert_targets WHERE state = 0"
	    " GROUP BY target ORDER BY target",
	[ST_PRUNE_TARGETS] = "DELETE FROM alert_targets WHERE state != 0 AND done_at < ?1",
};

struct store {
	sqlite3		*db;
	char		*path;		/* dir/state.db, for messages */
	int		 lockfd;	/* holds flock(LOCK_EX) on dir/lock while open */
	int		 batch;		/* a store_batch_begin transaction is open */
	sqlite3_stmt	*stmt[ST_COUNT];
};

/* Returns the cached statement, preparing it on first use; NULL on error, logged. */
static sqlite3_stmt *
get(struct store *s, enum stmt_id id)
{
	if (s->stmt[id] == NULL &&
	    sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	    &s->stmt[id], NULL) != SQLITE_OK) {
		log_warnx("%s: preparing \"%.40s...\": %s", s->path, stmt_sql[id],
		    sqlite3_errmsg(s->db));
		s->stmt[id] = NULL;
		return NULL;
	}
	return s->stmt[id];
}

/* Resets a statement after use so it holds no read transaction and no bound text. */
static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Logs a failed step with what we were doing. */
static void
fail(struct store *s, const char *what)
{
	log_warnx("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* Binds text or NULL; SQLITE_TRANSIENT because callers free their strings right after. */
static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Runs a statement that returns no rows (or whose rows we ignore); 0 or -1. */
static int
exec_stmt(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		fail(s, what);
		done(st);
		return -1;
	}
	done(st);
	return 0;
}

/* A column as a new string, or NULL. */
static char *
col_str(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static char *
list_join(char *const *v, size_t n)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, v[i]);
	}
	return buf_steal(&b);
}

/* Splits a '\n'-joined list; an empty string is an empty list. */
static void
list_split(const char *s, char ***out, size_t *n)
{
	const char	*p, *nl;
	size_t		 count, i = 0;
	char		**v;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return;
	count = 1;
	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		count++;
	v = xreallocarray(NULL, count, sizeof(*v));
	for (p = s; i < count; i++) {
		nl = strchr(p, '\n');
		v[i] = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		p = nl ? nl + 1 : p + strlen(p);
	}
	*out = v;
	*n = count;
}

/* The value of a PRAGMA that reports a number (user_version, page_count): 0, or -1. */
static int
pragma_int(struct store *s, const char *sql, sqlite3_int64 *v)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
user_version(struct store *s, int *version)
{
	sqlite3_int64	v;

	if (pragma_int(s, "PRAGMA user_version", &v) == -1)
		return -1;
	*version = (int)v;	/* SQLite keeps it as a 32-bit integer */
	return 0;
}

/* Runs PRAGMA name=value and checks the value it reports back. */
static int
pragma(struct store *s, const char *sql, const char *want)
{
	sqlite3_stmt	*st;
	const char	*got;
	int		 r = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(s, sql);
		return -1;
	}
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		got = (const char *)sqlite3_column_text(st, 0);
		if (want == NULL || (got && strcmp(got, want) == 0))
			r = 0;
		else
			log_warnx("%s: %s gave %s", s->path, sql, got ? got : "nothing");
		break;
	case SQLITE_DONE:
		r = want == NULL ? 0 : -1;
		break;
	default:
		fail(s, sql);
	}
	sqlite3_finalize(st);
	return r;
}

/*
 * After a migration that made tables anew (schema 9), the old ones' pages are free but still in
 * the file: 50,000 items of the harness's corpus left a 78 MB file at 128 MB, 65 MB of it free.
 * Free pages are reused as items come, but the file would never get smaller, so when more than a
 * quarter of it is free it is rewritten once (VACUUM: about a second for that file, at start-up,
 * before the loop runs). A failure costs only the space: it is logged, not fatal.
 */
static void
compact(struct store *s)
{
	sqlite3_int64	pages, free_pages;

	if (pragma_int(s, "PRAGMA page_count", &pages) == -1 ||
	    pragma_int(s, "PRAGMA freelist_count", &free_pages) == -1 ||
	    pages <= 0 || free_pages <= pages / 4)
		return;
	if (sqlite3_exec(s->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK) {
		fail(s, "compacting the file after the migration");
		return;
	}
	log_notice("%s: compacted after the migration: %lld of %lld pages were free", s->path,
	    (long long)free_pages, (long long)pages);
}

static int
migrate(struct store *s)
{
	char	*sql;
	int	 version, v;

	if (user_version(s, &version) == -1) {
		fail(s, "reading the schema version");
		return -1;
	}
	if (version > SCHEMA_VERSION) {
		log_warnx("%s: schema version %d is newer than this newswatch knows (%d); "
		    "run a newer newswatch or move the file away", s->path, version,
		    SCHEMA_VERSION);
		return -1;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fail(s, "starting the migration");
		return -1;
	}
	for (v = version; v < SCHEMA_VERSION; v++) {
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
			log_warnx("%s: migrating the schema to version %d: %s", s->path, v + 1,
			    sqlite3_errmsg(s->db));
			/* The error that matters is logged, and store_open closes the connection,
			 * which rolls back whatever this could not. */
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	sql = xasprintf("PRAGMA user_version = %d", SCHEMA_VERSION);
	v = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (v != SQLITE_OK || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fail(s, "finishing the migration");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);	/* as above */
		return -1;
	}
	if (version > 0) {
		log_notice("%s: schema migrated from version %d to %d", s->path, version,
		    SCHEMA_VERSION);
		compact(s);
	}
	return 0;
}

/*
 * Reads the header and the schema; -1 with one log line saying what is wrong and what to do.
 * Not PRAGMA quick_check, which reads every page: with a state file of 76 MB (bench/fetch after
 * one cold cycle) that was a third of a warm run --once's CPU time, and it grows with the file.
 * WAL survives crashes without damage; a page damaged on disk is reported by the query that
 * reads it, with the file named.
 */
static int
check(struct store *s)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		log_warnx("%s: %s: another program holds the database; stop it and retry",
		    s->path, sqlite3_errmsg(s->db));
	else
		log_warnx("%s: %s: not a usable newswatch state database; move it away (a new, "
		    "empty one is then made: seen items are forgotten) or repair it with sqlite3's "
		    "\".recover\"", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return -1;
}

/* Takes the directory's lock file; -1 (logged) if another process has it. */
static int
take_lock(const char *dir)
{
	char	*path;
	int	 fd;

	path = xasprintf("%s/lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		log_warn("%s", path);
		free(path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			log_warnx("another newswatch is running on %s (%s is locked)", dir, path);
		else
			log_warn("%s: flock", path);
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	return fd;
}

/*
 * Sets SQLite's process-wide options, once, before anything else of SQLite runs: every store
 * is used from the loop thread only (store.h), so SQLite's mutexes, taken around each
 * allocation and each call even with SQLITE_OPEN_NOMUTEX, and its memory statistics (one more
 * mutex per malloc) are only cost. If the library was already initialized (another user in
 * the process) the options cannot change; that is said once and is not an error.
 */
static void
configure_once(void)
{
	static int	done_once;

	if (done_once)
		return;
	done_once = 1;
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_debug("sqlite: already initialized: its mutexes stay on");
}

struct store *
store_open(const char *dir)
{
	struct store	*s;
	int		 fd, rc;

	if (mkdir_p(dir, 0700) == -1) {
		log_warn("%s: creating the state directory", dir);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->path = xasprintf("%s/state.db", dir);
	s->lockfd = -1;
	if ((s->lockfd = take_lock(dir)) == -1)
		goto fail;

	/*
	 * Create the file ourselves so it is 0600 whatever the umask: SQLite would use 0644. The
	 * -wal and -shm files SQLite creates later copy the database file's mode.
	 */
	if ((fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("%s", s->path);
		goto fail;
	}
	close(fd);

	configure_once();
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_warnx("%s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* Another process writing despite the lock file (a copy, sqlite3 on the command line)
	 * makes us wait a little, then fail clearly, rather than stall the event loop. */
	sqlite3_busy_timeout(s->db, 2000);

	/*
	 * Memory: SQLite's default page cache is 2 MB, a third of the daemon's heap while it
	 * polls (bench/fetch). STORE_CACHE_KIB holds the pages a poll touches again (the upper
	 * levels of the item indexes, the feed table, the pages of the items being written and
	 * the leaves their lookups read); other pages come from the OS page cache, which is
	 * shared with every process and not counted as ours. On the harness's 1,000 feeds x 50
	 * items a cold poll read 318,000 pages back from the file with 256 KiB, 164,000 with
	 * 512 KiB, 135,000 with 768 KiB and 42,000 with 1 MiB; but 1 MiB took the 10,000-feed
	 * poll just over its 40 MiB budget (40.1 MiB, 39.8 with 768 KiB). No
	 * memory-mapped I/O either: mapped pages of the file would count in our resident size,
	 * and SQLite leaves it off only by its build settings.
	 */
	if (pragma(s, "PRAGMA cache_size = -" STORE_CACHE_KIB, NULL) == -1 ||
	    pragma(s, "PRAGMA mmap_size = 0", NULL) == -1)
		goto fail;

	/*
	 * Read before anything writes: on a file that is not a database this is where SQLite
	 * says so, and we stop before touching it.
	 */
	if (check(s) == -1)
		goto fail;

	/*
	 * WAL with synchronous=NORMAL: a commit is written to the WAL without an fsync, and the
	 * WAL is synced at checkpoints. That survives the process being killed at any point
	 * (kill -9, a crash): the OS still has every write. A power loss or kernel crash may
	 * lose the last transactions, never corrupt the file; at worst a few items alert twice.
	 * FULL would fsync on every commit, on the loop thread.
	 */
	if (pragma(s, "PRAGMA journal_mode = WAL", "wal") == -1 ||
	    pragma(s, "PRAGMA synchronous = NORMAL", NULL) == -1 ||
	    pragma(s, "PRAGMA wal_autocheckpoint = " STORE_CHECKPOINT_PAGES, NULL) == -1)
		goto fail;
	if (sqlite3_create_function(s->db, "nw_alt_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, text_hash_sql, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(s->db, "nw_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, text_hash_sql, NULL, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", s->path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (migrate(s) == -1)
		goto fail;
	return s;

fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->db && sqlite3_close(s->db) != SQLITE_OK)
		log_warnx("%s: close: %s", s->path, sqlite3_errmsg(s->db));
	if (s->lockfd != -1)
		close(s->lockfd);	/* releases the flock */
	free(s->path);
	free(s);
}

static int
run(struct store *s, enum stmt_id id, const char *what)
{
	sqlite3_stmt	*st;

	if ((st = get(s, id)) == NULL)
		return -1;
	return exec_stmt(s, st, what);
}

int
store_begin(struct store *s)
{
	/* A write ends the batch of lookups it comes in: what follows runs on its own. */
	store_batch_end(s);
	return run(s, ST_BEGIN, "begin");
}

int
store_batch_begin(struct store *s)
{
	if (s->batch || !sqlite3_get_autocommit(s->db))
		return 0;
	if (run(s, ST_BEGIN_READ, "begin") == -1)
		return -1;
	s->batch = 1;
	return 0;
}

void
store_batch_end(struct store *s)
{
	if (!s->batch)
		return;
	s->batch = 0;
	/* It has written nothing: a failed COMMIT (logged) can only be ended by a rollback. */
	if (run(s, ST_COMMIT, "ending a batch of lookups") == -1 && !sqlite3_get_autocommit(s->db))
		run(s, ST_ROLLBACK, "rollback");
}

int
store_commit(struct store *s)
{
	if (run(s, ST_COMMIT, "commit") == -1) {
		/* A failed COMMIT may leave the transaction open: end it so the next begin works. */
		if (!sqlite3_get_autocommit(s->db))
			store_rollback(s);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *s)
{
	/* SQLite may already have rolled back after an error; then there is nothing to do. */
	if (!sqlite3_get_autocommit(s->db))
		run(s, ST_ROLLBACK, "rollback");
}

/* Fills out from columns first.. of a feeds row (etag first). */
static void
feed_from_row(sqlite3_stmt *st, int c, struct store_feed *out)
{
	out->etag = col_str(st, c + 0);
	out->last_modified = col_str(st, c + 1);
	out->url = col_str(st, c + 2);
	out->last_attempt = (time_t)sqlite3_column_int64(st, c + 3);
	out->last_success = (time_t)sqlite3_column_int64(st, c + 4);
	out->next_poll = (time_t)sqlite3_column_int64(st, c + 5);
	out->last_status = (long)sqlite3_column_int64(st, c + 6);
	out->last_error = col_str(st, c + 7);
	out->failures = (unsigned)sqlite3_column_int64(st, c + 8);
	out->polled = sqlite3_column_int(st, c + 9);
	out->gone = sqlite3_column_int(st, c + 10);
	out->moved_to = col_str(st, c + 11);
	out->moved_count = (unsigned)sqlite3_column_int64(st, c + 12);
}

int
store_feed_get(struct store *s, const char *feed, struct store_feed *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = (struct store_feed){ 0 };
	if ((st = get(s, ST_FEED_GET)) == NULL)
		return -1;
	bind_text(st, 1, feed);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		feed_from_row(st, 0, out);
	else if (rc != SQLITE_DONE)
		fail(s, feed);
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_feed_put(struct store *s, const char *feed, const struct store_feed *f)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_FEED_PUT)) == NULL)
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, f->etag);
	bind_text(st, 3, f->last_modified);
	bind_text(st, 4, f->url);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)f->last_attempt);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)f->last_success);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)f->next_poll);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)f->last_status);
	bind_text(st, 9, f->last_error);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)f->failures);
	sqlite3_bind_int(st, 11, f->polled);
	sqlite3_bind_int(st, 12, f->gone);
	bind_text(st, 13, f->moved_to);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)f->moved_count);
	return exec_stmt(s, st, feed);
}

void
store_feed_clear(struct store_feed *f)
{
	free(f->etag);
	free(f->last_modified);
	free(f->url);
	free(f->last_error);
	free(f->moved_to);
	*f = (struct store_feed){ 0 };
}

int
store_feed_each(struct store *s, int (*cb)(void *, const char *, const struct store_feed *),
    void *arg)
{
	sqlite3_stmt		*st;
	struct store_feed	 f;
	int			 rc, r = 0;

	if ((st = get(s, ST_FEED_EACH)) == NULL)
		return -1;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		feed_from_row(st, 1, &f);
		r = cb(arg, (const char *)sqlite3_column_text(st, 0), &f);
		store_feed_clear(&f);
	}
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "listing feeds");
		r = -1;
	}
	done(st);
	return r;
}

/* Binds an item's key to i and its hash to i + 1 (ITEM_WHERE's ?2 and ?3). */
static void
bind_item_key(sqlite3_stmt *st, int i, const char *key)
{
	bind_text(st, i, key);
	sqlite3_bind_int64(st, i + 1, text_hash(key));
}

/* Runs a lookup statement whose rows do not matter: 1 if it gives a row, 0 if none, -1 on
 * error (logged with what). The caller has bound its parameters. */
static int
row_exists(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail(s, what);
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_item_known(struct store *s, const char *feed, const char *key, struct store_known *known)
{
	sqlite3_stmt	*st;
	int		 rc;

	*known = (struct store_known){ 0 };
	if ((st = get(s, ST_ITEM_KNOWN)) == NULL)
		return -1;
	bind_text(st, 1, feed);
	bind_item_key(st, 2, key);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		known->id = sqlite3_column_int64(st, 0);
		known->has_fp = sqlite3_column_type(st, 1) != SQLITE_NULL;
		known->fp = (uint64_t)sqlite3_column_int64(st, 1);
		known->matched = sqlite3_column_int(st, 2);
		known->seen_at = (time_t)sqlite3_column_int64(st, 3);
	} else if (rc != SQLITE_DONE)
		fail(s, feed);
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_item_touch_ids(struct store *s, const int64_t *ids, size_t n, time_t now)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (n > 0 && (st = get(s, ST_ITEM_TOUCH)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		if (exec_stmt(s, st, "marking items seen") == -1)
			return -1;
	}
	return 0;
}

int
store_item_touch(struct store *s, const char *feed, const char *key, time_t now,
    struct store_known *known)
{
	struct store_known	 k;
	int			 r;

	if ((r = store_item_known(s, feed, key, &k)) == 1 &&
	    store_item_touch_ids(s, &k.id, 1, now) == -1)
		r = -1;
	if (known != NULL)
		*known = k;
	return r;
}

const char *
store_channel_name(unsigned channel)
{
	switch (channel) {
	case STORE_CH_LOG:
		return "log";
	case STORE_CH_NOTIFY:
		return "notify";
	case STORE_CH_EXEC:
		return "exec";
	default:
		return "?";
	}
}

int
store_alert_backlog(struct store *s, unsigned channel, size_t *count, time_t *oldest)
{
	sqlite3_stmt	*st;
	int		 rc, r = -1;

	*count = 0;
	*oldest = 0;
	if ((st = get(s, ST_ALERT_BACKLOG)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, (int)channel);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*count = (size_t)sqlite3_column_int64(st, 0);
		*oldest = (time_t)sqlite3_column_int64(st, 1);
		r = 0;
	} else
		fail(s, "counting undelivered alerts");
	done(st);
	return r;
}

/* Inserts the alert row and its matches; the caller holds a savepoint. */
static int
alert_insert(struct store *s, struct alert *a, unsigned channels)
{
	sqlite3_stmt	*st;
	char		*lists[6];
	size_t		 i;
	int		 r;

	if ((st = get(s, ST_ALERT_ADD)) == NULL)
		return -1;
	lists[0] = list_join(a->actors, a->nactors);
	lists[1] = list_join(a->places, a->nplaces);
	lists[2] = list_join(a->keywords, a->nkeywords);
	lists[3] = list_join(a->also_in, a->nalso_in);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(a->time ? a->time : time(NULL)));
	bind_text(st, 2, a->rule ? a->rule : "");
	sqlite3_bind_int(st, 3, a->severity);
	bind_text(st, 4, a->feed ? a->feed : "");
	bind_text(st, 5, a->title);
	bind_text(st, 6, a->link);
	bind_text(st, 7, a->item_id);
	bind_text(st, 8, a->published);
	for (i = 0; i < 4; i++)
		bind_text(st, 9 + (int)i, lists[i]);
	sqlite3_bind_int(st, 13, (int)channels);
	sqlite3_bind_int(st, 14, a->update != 0);
	sqlite3_bind_int(st, 15, (int)a->type);
	if (a->type == ALERT_SURGE) {
		lists[4] = list_join(a->surge.titles, a->surge.ntitles);
		lists[5] = list_join(a->surge.feeds, a->surge.nfeeds);
		sqlite3_bind_int64(st, 16, a->surge.window);
		sqlite3_bind_int64(st, 17, a->surge.count);
		sqlite3_bind_double(st, 18, a->surge.mean);
		sqlite3_bind_double(st, 19, a->surge.sd);
		sqlite3_bind_int64(st, 20, a->surge.windows);
		bind_text(st, 21, lists[4]);
		bind_text(st, 22, lists[5]);
	} else
		lists[4] = lists[5] = NULL;
	r = exec_stmt(s, st, "adding an alert");
	for (i = 0; i < 6; i++)
		free(lists[i]);
	if (r == -1)
		return -1;
	a->id = sqlite3_last_insert_rowid(s->db);

	if ((st = get(s, ST_MATCH_ADD)) == NULL)
		return -1;
	for (i = 0; i < a->nmatches; i++) {
		sqlite3_bind_int64(st, 1, a->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_text(st, 3, a->matches[i].kind);
		bind_text(st, 4, a->matches[i].name);
		bind_text(st, 5, a->matches[i].alias);
		bind_text(st, 6, a->matches[i].field);
		bind_text(st, 7, a->matches[i].snippet);
		bind_text(st, 8, a->matches[i].via);
		if (exec_stmt(s, st, "adding an alert's matches") == -1)
			return -1;
	}
	return 0;
}

int
store_alert_add(struct store *s, struct alert *a, unsigned channels)
{
	/* A savepoint makes the alert and its matches one unit whether or not the caller has
	 * a transaction open. */
	if (run(s, ST_SAVEPOINT, "savepoint") == -1)
		return -1;
	if (alert_insert(s, a, channels) == -1) {
		a->id = 0;
		run(s, ST_ROLLBACK_TO, "rollback to savepoint");
		run(s, ST_RELEASE, "release savepoint");
		return -1;
	}
	return run(s, ST_RELEASE, "release savepoint");
}

/* Reads the matches of alert a; 0 or -1. */
static int
matches_get(struct store *s, struct alert *a)
{
	sqlite3_stmt		*st;
	struct alert_match	*m;
	int			 rc;

	if ((st = get(s, ST_MATCH_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->matches = xreallocarray(a->matches, a->nmatches + 1, sizeof(*a->matches));
		m = &a->matches[a->nmatches++];
		m->kind = col_str(st, 0);
		m->name = col_str(st, 1);
		m->alias = col_str(st, 2);
		m->field = col_str(st, 3);
		m->snippet = col_str(st, 4);
		m->via = col_str(st, 5);
	}
	if (rc != SQLITE_DONE)
		fail(s, "reading an alert's matches");
	done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Reads the rows of st (ALERT_COLUMNS, bound by the caller) and their matches into a new array.
 * 0 or -1 (*out NULL).
 */
static int
alerts_read(struct store *s, sqlite3_stmt *st, struct alert **out, size_t *n)
{
	struct alert	*v = NULL, *a;
	size_t		 count = 0, i;
	int		 rc, r = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, count + 1, sizeof(*v));
		a = &v[count++];
		*a = (struct alert){ 0 };
		a->id = sqlite3_column_int64(st, 0);
		a->time = (time_t)sqlite3_column_int64(st, 1);
		a->rule = col_str(st, 2);
		a->severity = sqlite3_column_int(st, 3);
		a->feed = col_str(st, 4);
		a->title = col_str(st, 5);
		a->link = col_str(st, 6);
		a->item_id = col_str(st, 7);
		a->published = col_str(st, 8);
		list_split((const char *)sqlite3_column_text(st, 9), &a->actors, &a->nactors);
		list_split((const char *)sqlite3_column_text(st, 10), &a->places, &a->nplaces);
		list_split((const char *)sqlite3_column_text(st, 11), &a->keywords, &a->nkeywords);
		list_split((const char *)sqlite3_column_text(st, 12), &a->also_in, &a->nalso_in);
		a->logpos.off = sqlite3_column_int64(st, 13);
		a->logpos.dev = (uint64_t)sqlite3_column_int64(st, 14);
		a->logpos.ino = (uint64_t)sqlite3_column_int64(st, 15);
		a->logpos.len = (uint64_t)sqlite3_column_int64(st, 16);
		a->logpos.hash = (uint64_t)sqlite3_column_int64(st, 17);
		a->update = sqlite3_column_int(st, 18);
		if (sqlite3_column_int(st, 19) == ALERT_SURGE) {
			a->type = ALERT_SURGE;
			a->surge.window = (unsigned)sqlite3_column_int64(st, 20);
			a->surge.count = (unsigned)sqlite3_column_int64(st, 21);
			a->surge.mean = sqlite3_column_double(st, 22);
			a->surge.sd = sqlite3_column_double(st, 23);
			a->surge.windows = (unsigned)sqlite3_column_int64(st, 24);
			list_split((const char *)sqlite3_column_text(st, 25), &a->surge.titles,
			    &a->surge.ntitles);
			list_split((const char *)sqlite3_column_text(st, 26), &a->surge.feeds,
			    &a->surge.nfeeds);
		}
	}
	if (rc != SQLITE_DONE) {
		fail(s, "reading pending alerts");
		r = -1;
	}
	done(st);
	/* Matches are read after the outer statement is reset: the two use different cached
	 * statements, but keeping one open at a time is simpler to reason about. */
	for (i = 0; r == 0 && i < count; i++)
		r = matches_get(s, &v[i]);
	if (r == -1) {
		for (i = 0; i < count; i++)
			alert_free(&v[i]);
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
store_alert_pending_after(struct store *s, unsigned channel, int64_t after, size_t max,
    struct alert **out, size_t *n)
{
	sqlite3_stmt	*st;

	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((st = get(s, ST_ALERT_PENDING)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, (int)channel);
	sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max);
	sqlite3_bind_int64(st, 3, after);
	return alerts_read(s, st, out, n);
}

int
store_alert_done(struct store *s, int64_t id, unsigned channel)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_ALERT_DONE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, (int)channel);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	return exec_stmt(s, st, "marking an alert delivered");
}

int
store_alert_also_in(struct store *s, int64_t alert_id, const char *feed)
{
	sqlite3_stmt	*st;
	char		**v, *joined;
	const char	*t;
	size_t		 n, i;
	int		 rc, found, r;

	if ((st = get(s, ST_ALSO_IN_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			fail(s, "reading also_in");
		done(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	list_split((const char *)sqlite3_column_text(st, 0), &v, &n);
	/* The alert's own feed is not "also" in it (a feed carrying a story twice). */
	t = (const char *)sqlite3_column_text(st, 1);
	found = t != NULL && strcmp(t, feed) == 0;
	done(st);
	for (i = 0; i < n; i++)
		found |= strcmp(v[i], feed) == 0;
	if (found) {
		r = 1;
	} else {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xstrdup(feed);
		joined = list_join(v, n);
		if ((st = get(s, ST_ALSO_IN_SET)) == NULL) {
			r = -1;
		} else {
			sqlite3_bind_int64(st, 1, alert_id);
			bind_text(st, 2, joined);
			r = exec_stmt(s, st, "updating also_in") == -1 ? -1 : 1;
		}
		free(joined);
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return r;
}

int
store_story_seen(struct store *s, const char *rule, const char *story_key, int64_t *alert_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = get(s, ST_STORY_SEEN)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, text_hash(story_key));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && alert_id)
		*alert_id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail(s, "reading story keys");
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_story_add(struct store *s, const char *rule, const char *story_key, int64_t alert_id)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_STORY_ADD)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, text_hash(story_key));
	sqlite3_bind_int64(st, 3, alert_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	return exec_stmt(s, st, "adding a story key");
}

int
store_prune(struct store *s, time_t before)
{
	static const enum stmt_id	steps[] = {
		ST_PRUNE_ITEMS, ST_PRUNE_FIRED, ST_PRUNE_MATCHES, ST_PRUNE_ALERTS,
		ST_PRUNE_STORIES, ST_PRUNE_EVENTS, ST_PRUNE_SURGES, ST_PRUNE_TARGETS
	};
	sqlite3_stmt			*st;
	size_t				 i;
	int				 own;

	/* One transaction, unless the caller already has one open (a batch of lookups is not). */
	store_batch_end(s);
	own = sqlite3_get_autocommit(s->db);
	if (own && store_begin(s) == -1)
		return -1;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((st = get(s, steps[i])) == NULL)
			goto fail;
		if (steps[i] != ST_PRUNE_FIRED)
			sqlite3_bind_int64(st, 1, (sqlite3_int64)before);
		if (exec_stmt(s, st, "pruning") == -1)
			goto fail;
	}
	return own ? store_commit(s) : 0;
fail:
	if (own)
		store_rollback(s);
	return -1;
}

int
store_alert_logpos(struct store *s, int64_t id, const struct alert_logpos *pos)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_ALERT_LOGPOS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	/* The unsigned values are stored as their two's complement bit pattern. */
	sqlite3_bind_int64(st, 2, pos->off);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)pos->dev);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)pos->ino);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)pos->len);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)pos->hash);
	return exec_stmt(s, st, "recording an alert's log position");
}

/* Inserts a new item (ST_ITEM_PUT) or replaces a known one's text (ST_ITEM_REPLACE). */
static int
item_write(struct store *s, enum stmt_id id, const struct store_item *it)
{
	sqlite3_stmt	*st;
	char		*cats;
	int		 r;

	if ((st = get(s, id)) == NULL)
		return -1;
	cats = it->ncategories > 0 ? list_join(it->categories, it->ncategories) : NULL;
	bind_text(st, 1, it->feed);
	bind_item_key(st, 2, it->key);
	if (it->alt_key != NULL)
		sqlite3_bind_int64(st, 14, text_hash(it->alt_key));
	bind_text(st, 4, it->title);
	bind_text(st, 5, it->link);
	if (it->published)
		sqlite3_bind_int64(st, 6, (sqlite3_int64)it->published);
	bind_text(st, 7, it->summary);
	bind_text(st, 8, it->content);
	bind_text(st, 9, cats);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)(it->seen_at ? it->seen_at : time(NULL)));
	/* The 64-bit hash is stored as its two's complement bit pattern. */
	sqlite3_bind_int64(st, 11, (sqlite3_int64)it->fp);
	sqlite3_bind_int(st, 12, it->matched != 0);
	bind_text(st, 13, it->article);
	r = exec_stmt(s, st, it->feed);
	free(cats);
	return r;
}

int
store_item_put(struct store *s, const struct store_item *it)
{
	return item_write(s, ST_ITEM_PUT, it);
}

int
store_item_replace(struct store *s, const struct store_item *it)
{
	return item_write(s, ST_ITEM_REPLACE, it);
}

/* Binds ST_FIRED_SEEN's or ST_FIRED_ADD's parameters. */
static void
bind_fired(sqlite3_stmt *st, const char *feed, const char *key, const char *rule)
{
	bind_text(st, 1, feed);
	sqlite3_bind_int64(st, 2, text_hash(key));
	bind_text(st, 3, rule);
}

int
store_fired_seen(struct store *s, const char *feed, const char *key, const char *rule)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_FIRED_SEEN)) == NULL)
		return -1;
	bind_fired(st, feed, key, rule);
	return row_exists(s, st, feed);
}

int
store_fired_add(struct store *s, const char *feed, const char *key, const char *rule)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_FIRED_ADD)) == NULL)
		return -1;
	bind_fired(st, feed, key, rule);
	return exec_stmt(s, st, "recording a rule that fired");
}

int
store_item_alt_seen(struct store *s, const char *feed, const char *alt_key)
{
	sqlite3_stmt	*st;

	if (alt_key == NULL)
		return 0;
	if ((st = get(s, ST_ITEM_ALT_SEEN)) == NULL)
		return -1;
	bind_text(st, 1, feed);
	sqlite3_bind_int64(st, 2, text_hash(alt_key));
	return row_exists(s, st, feed);
}

/*
 * Hands the item row of ST_ITEM_EACH or ST_ITEM_GET that st stands on to cb (its strings are
 * valid until the statement moves on) and returns what cb returned.
 */
static int
item_row_cb(sqlite3_stmt *st, int (*cb)(void *, const struct store_item *), void *arg)
{
	struct store_item	 item, *it = &item;
	char			 alt[24];
	char			**cats;
	size_t			 ncats, i;
	int			 r;

	memset(it, 0, sizeof(*it));
	it->feed = (const char *)sqlite3_column_text(st, 0);
	it->key = (const char *)sqlite3_column_text(st, 1);
	/* Since schema 7 only the secondary key's hash is kept: it stands for the key (replay
	 * compares them). */
	if (sqlite3_column_type(st, 12) != SQLITE_NULL) {
		snprintf(alt, sizeof(alt), "#%016llx",
		    (unsigned long long)sqlite3_column_int64(st, 12));
		it->alt_key = alt;
	}
	it->title = (const char *)sqlite3_column_text(st, 2);
	it->link = (const char *)sqlite3_column_text(st, 3);
	it->published = (time_t)sqlite3_column_int64(st, 4);
	it->summary = (const char *)sqlite3_column_text(st, 5);
	it->content = (const char *)sqlite3_column_text(st, 6);
	it->seen_at = (time_t)sqlite3_column_int64(st, 8);
	it->fp = (uint64_t)sqlite3_column_int64(st, 9);
	it->matched = sqlite3_column_int(st, 10);
	it->article = (const char *)sqlite3_column_text(st, 11);
	list_split((const char *)sqlite3_column_text(st, 7), &cats, &ncats);
	it->categories = cats;
	it->ncategories = ncats;
	r = cb(arg, it);
	for (i = 0; i < ncats; i++)
		free(cats[i]);
	free(cats);
	return r;
}

int
store_item_each(struct store *s, time_t since, int (*cb)(void *, const struct store_item *),
    void *arg)
{
	sqlite3_stmt		*st;
	int			 rc, r = 0;

	if ((st = get(s, ST_ITEM_EACH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = item_row_cb(st, cb, arg);
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "listing items");
		r = -1;
	}
	done(st);
	return r;
}

int
store_item_get(struct store *s, const char *feed, const char *key,
    int (*cb)(void *, const struct store_item *), void *arg)
{
	sqlite3_stmt		*st;
	int			 rc, r = 0;

	if ((st = get(s, ST_ITEM_GET)) == NULL)
		return -1;
	bind_text(st, 1, feed);
	bind_item_key(st, 2, key);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		r = item_row_cb(st, cb, arg);
	else if (rc != SQLITE_DONE)
		fail(s, feed);
	done(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	return r != 0 ? r : 1;
}

struct store *
store_open_readonly(const char *dir)
{
	struct store	*s;
	int		 rc, version;

	s = xcalloc(1, sizeof(*s));
	s->path = xasprintf("%s/state.db", dir);
	s->lockfd = -1;
	configure_once();
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_warnx("%s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 2000);
	if (user_version(s, &version) == -1) {
		fail(s, "reading the schema version");
		goto fail;
	}
	if (version != SCHEMA_VERSION) {
		log_warnx("%s: schema version %d, this newswatch reads %d: run the daemon once "
		    "to migrate it, or use the matching newswatch", s->path, version,
		    SCHEMA_VERSION);
		goto fail;
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

int
store_event_add(struct store *s, time_t at, const char *rule, const char *kind, const char *name,
    const char *story)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_EVENT_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	bind_text(st, 2, rule);
	bind_text(st, 3, kind);
	bind_text(st, 4, name);
	if (story != NULL)	/* else the NOT NULL constraint says so */
		sqlite3_bind_int64(st, 5, text_hash(story));
	return exec_stmt(s, st, "recording a story event");
}

int
store_event_windows(struct store *s, const char *rule, time_t now, unsigned window,
    unsigned *counts, size_t n, time_t *first)
{
	sqlite3_stmt	*st;
	sqlite3_int64	 k;
	int		 rc;

	memset(counts, 0, n * sizeof(*counts));
	*first = 0;
	if (window == 0 || n == 0)
		return 0;
	if ((st = get(s, ST_EVENT_WINDOWS)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)window);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = sqlite3_column_int64(st, 0);
		if (k >= 0 && (size_t)k < n)
			counts[k] = (unsigned)sqlite3_column_int64(st, 1);
	}
	done(st);
	if (rc != SQLITE_DONE) {
		fail(s, "counting a rule's stories per window");
		return -1;
	}
	if ((st = get(s, ST_EVENT_FIRST)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*first = (time_t)sqlite3_column_int64(st, 0);
	done(st);
	if (rc != SQLITE_ROW) {
		fail(s, "finding a rule's first story");
		return -1;
	}
	return 0;
}

int
store_event_hours(struct store *s, time_t since, time_t until, const char *rule,
    int (*cb)(void *arg, const char *kind, const char *name, time_t hour, unsigned count),
    void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, r = 0;

	if ((st = get(s, rule ? ST_EVENT_HOURS_RULE : ST_EVENT_HOURS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)until);
	if (rule != NULL)
		bind_text(st, 3, rule);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (time_t)sqlite3_column_int64(st, 2) * 3600,
		    (unsigned)sqlite3_column_int64(st, 3));
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "counting stories per hour");
		r = -1;
	}
	done(st);
	return r;
}

int
store_surge_open(struct store *s, const char *rule, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = get(s, ST_SURGE_OPEN)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id != NULL)
		*id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail(s, "reading open surges");
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_surge_add(struct store *s, const struct alert *a)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_SURGE_ADD)) == NULL)
		return -1;
	bind_text(st, 1, a->rule);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)a->time);
	sqlite3_bind_int64(st, 3, a->surge.window);
	sqlite3_bind_int64(st, 4, a->surge.count);
	sqlite3_bind_double(st, 5, a->surge.mean);
	sqlite3_bind_double(st, 6, a->surge.sd);
	if (a->id != 0)
		sqlite3_bind_int64(st, 7, a->id);
	return exec_stmt(s, st, "opening a surge");
}

int
store_surge_close(struct store *s, int64_t id, time_t closed)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_SURGE_CLOSE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)closed);
	return exec_stmt(s, st, "closing a surge");
}

int
store_surge_each(struct store *s, time_t since,
    int (*cb)(void *arg, const struct store_surge *), void *arg)
{
	struct store_surge	 sg;
	sqlite3_stmt		*st;
	int			 rc, r = 0;

	if ((st = get(s, ST_SURGE_EACH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sg.rule = (const char *)sqlite3_column_text(st, 0);
		sg.opened = (time_t)sqlite3_column_int64(st, 1);
		sg.closed = (time_t)sqlite3_column_int64(st, 2);
		sg.window = (unsigned)sqlite3_column_int64(st, 3);
		sg.count = (unsigned)sqlite3_column_int64(st, 4);
		sg.mean = sqlite3_column_double(st, 5);
		sg.sd = sqlite3_column_double(st, 6);
		r = cb(arg, &sg);
	}
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "listing surges");
		r = -1;
	}
	done(st);
	return r;
}

int
store_alert_recent(struct store *s, const char *rule, time_t since, size_t max,
    int (*cb)(void *arg, const struct store_recent *), void *arg)
{
	struct store_recent	 rc_;
	sqlite3_stmt		*st;
	size_t			 i;
	int			 rc, r = 0;

	if ((st = get(s, ST_ALERT_RECENT)) == NULL)
		return -1;
	bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	sqlite3_bind_int64(st, 3, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc_.title = (const char *)sqlite3_column_text(st, 0);
		rc_.feed = (const char *)sqlite3_column_text(st, 1);
		list_split((const char *)sqlite3_column_text(st, 2), &rc_.also_in, &rc_.nalso_in);
		list_split((const char *)sqlite3_column_text(st, 3), &rc_.actors, &rc_.nactors);
		list_split((const char *)sqlite3_column_text(st, 4), &rc_.places, &rc_.nplaces);
		r = cb(arg, &rc_);
		for (i = 0; i < rc_.nalso_in; i++)
			free(rc_.also_in[i]);
		for (i = 0; i < rc_.nactors; i++)
			free(rc_.actors[i]);
		for (i = 0; i < rc_.nplaces; i++)
			free(rc_.places[i]);
		free(rc_.also_in);
		free(rc_.actors);
		free(rc_.places);
	}
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "reading a rule's recent alerts");
		r = -1;
	}
	done(st);
	return r;
}

int
store_target_add(struct store *s, int64_t alert_id, const char *target, int state)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_TARGET_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert_id);
	bind_text(st, 2, target);
	sqlite3_bind_int(st, 3, state);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	if (exec_stmt(s, st, "adding an alert for a target") == -1)
		return -1;
	if ((st = get(s, ST_TARGET_NAME_ADD)) == NULL)
		return -1;
	bind_text(st, 1, target);
	return exec_stmt(s, st, "adding a target");
}

int
store_target_count(struct store *s, const char *target, size_t *count)
{
	sqlite3_stmt	*st;
	int		 r = -1;

	*count = 0;
	if ((st = get(s, ST_TARGET_COUNT)) == NULL)
		return -1;
	bind_text(st, 1, target);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*count = (size_t)sqlite3_column_int64(st, 0);
		r = 0;
	} else
		fail(s, "counting a target's backlog");
	done(st);
	return r;
}

int
store_target_pending(struct store *s, const char *target, int64_t after, int min_sev,
    int max_sev, size_t max, struct alert **out, size_t *n)
{
	sqlite3_stmt	*st;

	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((st = get(s, ST_TARGET_PENDING)) == NULL)
		return -1;
	bind_text(st, 1, target);
	sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max);
	sqlite3_bind_int64(st, 3, after);
	sqlite3_bind_int(st, 4, min_sev);
	sqlite3_bind_int(st, 5, max_sev);
	return alerts_read(s, st, out, n);
}

int
store_target_settle(struct store *s, int64_t alert_id, const char *target, int state,
    const char *error)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_TARGET_SETTLE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert_id);
	bind_text(st, 2, target);
	sqlite3_bind_int(st, 3, state);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	bind_text(st, 5, error);
	return exec_stmt(s, st, "settling an alert for a target");
}

int
store_target_attempt(struct store *s, int64_t alert_id, const char *target, time_t next_try,
    const char *error)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_TARGET_ATTEMPT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, alert_id);
	bind_text(st, 2, target);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)next_try);
	bind_text(st, 4, error);
	return exec_stmt(s, st, "recording a target's attempt");
}

int
store_target_note(struct store *s, const char *target, int ok, const char *error,
    unsigned sent, unsigned failed, unsigned dropped)
{
	sqlite3_stmt	*st;

	if ((st = get(s, ST_TARGET_NOTE)) == NULL)
		return -1;
	bind_text(st, 1, target);
	sqlite3_bind_int(st, 2, ok != 0);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	bind_text(st, 4, error);
	sqlite3_bind_int64(st, 5, sent);
	sqlite3_bind_int64(st, 6, failed);
	sqlite3_bind_int64(st, 7, dropped);
	return exec_stmt(s, st, "recording a target's state");
}

int
store_target_each(struct store *s, int (*cb)(void *arg, const struct store_target *),
    void *arg)
{
	sqlite3_stmt		*st;
	struct store_target	 t;
	int			 rc, r = 0;

	if ((st = get(s, ST_TARGET_EACH)) == NULL)
		return -1;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		t.name = (const char *)sqlite3_column_text(st, 0);
		t.backlog = (size_t)sqlite3_column_int64(st, 1);
		t.oldest = (time_t)sqlite3_column_int64(st, 2);
		t.last_success = (time_t)sqlite3_column_int64(st, 3);
		t.last_error = (const char *)sqlite3_column_text(st, 4);
		t.last_error_at = (time_t)sqlite3_column_int64(st, 5);
		t.sent = (uint64_t)sqlite3_column_int64(st, 6);
		t.failed = (uint64_t)sqlite3_column_int64(st, 7);
		t.dropped = (uint64_t)sqlite3_column_int64(st, 8);
		r = cb(arg, &t);
	}
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "listing targets");
		r = -1;
	}
	done(st);
	return r;
}

int
store_target_orphans(struct store *s, int (*cb)(void *arg, const char *target, size_t pending),
    void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, r = 0;

	if ((st = get(s, ST_TARGET_ORPHANS)) == NULL)
		return -1;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_int64(st, 1));
	if (r == 0 && rc != SQLITE_DONE) {
		fail(s, "listing targets with pending alerts");
		r = -1;
	}
	done(st);
	return r;
}
