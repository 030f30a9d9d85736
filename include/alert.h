/* alert.h: alert records to and from text: the alert log (one write() per record, O_APPEND) and notification text. */
#ifndef NW_ALERT_H
#define NW_ALERT_H

#include "conf.h"
#include "record.h"
#include "util.h"

struct alert_log;

/* alert.c */
/*
 * Appends one record and its newline to out: the whole record or nothing. Text:
 * 2024-12-05T14:03:00Z critical rule [feed] title link (actors: A; places: B (via C); keywords: k) (also in: f, g)
 * with empty parts left out, every field passed through str_oneline and spaces in the link as %20.
 * JSON Lines: one object with every key, null or [] when empty: time, rule, severity, feed, title,
 * link, id (the item's guid/id), published, actors, places, keywords, matches ([{kind, name,
 * alias, field, snippet, via}]), also_in, update (true for an alert raised by a changed item,
 * whose text line shows "(updated) " before the title). Places name both the rule's place and
 * the place found through it. A surge record (type ALERT_SURGE) has a form of its own:
 * text "TIME SEVERITY RULE {surge} 20 stories in 1h, baseline 0.12 ± 0.50 over 168 windows
 * (actors: A; places: B) (top: T1 | T2) (feeds: f, g)" ("no baseline" without history), JSON
 * {time, type:"surge", rule, severity, title, window, count, baseline {mean, sd, windows} or
 * null, actors, places, titles, feeds}; item records have no type and are unchanged.
 * Control characters never break the line. Text from a
 * feed is cut at 1 KiB (links at 2 KiB) on a UTF-8 boundary with "...", so a huge title still
 * makes a record. 0, or -1 if the record would exceed 256 KiB.
 */
int	alert_format(const struct alert *, enum alert_format, struct buf *out);
/*
 * Reads one record back, the inverse of alert_format: line is one line of the log (len bytes,
 * a trailing "\n" or "\r\n" allowed), in either format (JSON Lines when it starts with '{').
 * Fills out (alert_free it) and, if format is not NULL, says which format it was. 0, or -1 when
 * the line is not a record: empty, garbage, a JSON object cut short (as a short write leaves it)
 * or with bytes after it, a text line cut before its title, or a time or severity other than
 * alert_format writes; out is then empty. A text line has no end marker, so one cut after its
 * title reads as a record with less in it. Unknown JSON keys and values of an unexpected type
 * are skipped; \u0000, lone surrogates and bytes that are not UTF-8 become U+FFFD; missing keys
 * stay NULL or empty, but time and severity are required.
 * What comes back is what the format carries, so format -> parse -> format gives the same line:
 * - JSON Lines carries every field but id (the outbox row) and logpos; strings come back as
 *   clipped (1 KiB, links and ids 2 KiB), places without the ones named only as a via.
 * - Text carries time, severity, rule, feed, update, title, link, actors, places, keywords,
 *   also_in and matches (name, alias, field, snippet) as str_oneline and the clip left them
 *   (snippets 200 bytes; "?" for a missing name, "(no title)" for none; spaces in the link stay
 *   %20). Not item_id or published. A match's kind is inferred from the list that names it
 *   (actors first), and its via comes from "(via …)" in the places list, so a place's matches
 *   all get its first via. It is ambiguous where a field holds the text's separators, and then
 *   does not round-trip: a rule with " [", a feed with "]", a title that starts with
 *   "(updated) " or ends in " (actors: …)", " (places: …)", " (keywords: …)", " (also in: …)"
 *   or " (why: …)", a title whose last word has "://" when the alert has no link, a link
 *   without "://", names with ", " or "; ", and snippets holding "; N \"A\" in field" where
 *   N is a name the lists hold.
 * - A surge carries the same in both formats (the text line not its title): its rule, time,
 *   severity, window, count, baseline (to two decimals), actors, places, titles and feeds.
 *   Its text line is ambiguous where a rule holds " {surge} ", a title " | " or ends in
 *   " (feeds: …)", a feed ", ".
 */
int	alert_parse(const char *line, size_t len, struct alert *out, enum alert_format *format);
/* Notification summary ("rule: title", "rule: (updated) title" for an update, "rule: surge,
 * 20 stories in 1h" for a surge, whose body has the baseline, lists, top titles and feeds; the
 * title cut
 * at 200 bytes) in plain text, as the
 * specification has it, and body (one line each for actors, places, keywords, then "Feed: name"
 * and the link) with only & < > escaped for the servers' markup subset: apostrophes and quotes
 * arrive as written. New strings, caller frees. */
void	alert_notify_text(const struct alert *, char **summary, char **body);

/* The pop-up that sums up what burst control held back: "12 more for rule" and a body naming
 * the held-back titles given (at most ntitles, each cut at 200 bytes), "T1; T2; T3; and 9 more",
 * then a line that points at the log; escaped like alert_notify_text. New strings, caller
 * frees. */
void	alert_notify_summary(const char *rule, unsigned more, unsigned period,
	    const char *log_path, const char *const *titles, size_t ntitles, char **summary,
	    char **body);

/* Opens (creating 0600, parent directory 0700) path for appending. NULL on error, logged. */
struct alert_log *alert_log_open(const char *path, enum alert_format);
/* Writes one record with a single write(): 0, or -1 (errno set, logged; the caller keeps the
 * alert pending). After a short write the file ends in a fragment; the next record written
 * starts with a newline so the fragment stays a line of its own. The same holds for a file found
 * ending mid-line at open or reopen. */
int	alert_log_write(struct alert_log *, const struct alert *);
/*
 * The write-ahead of the log position (deliver.c): alert_log_next gives the log file's identity
 * and the offset the next record written will start at; alert_log_plan renders a record as
 * alert_log_write will write it and sets pos->len and pos->hash (-1, errno EMSGSIZE, if it
 * cannot be formatted); alert_log_check says whether the current file holds exactly that record
 * at pos (1), does not (0: another file, cut short, other bytes), or could not be read (-1).
 * A record is recognised by its length and a 64-bit hash of its bytes, not by rendering it
 * again, so a change of alert_log_format or of also_in after the write does not matter.
 */
int	alert_log_next(struct alert_log *, struct alert_logpos *next);
int	alert_log_plan(struct alert_log *, const struct alert *, struct alert_logpos *pos);
int	alert_log_check(struct alert_log *, const struct alert_logpos *pos);
/* The file descriptor, for an asynchronous fsync. */
int	alert_log_fd(const struct alert_log *);
/* Reopens the path (after logrotate moved the file): 0 or -1, keeping the old fd on failure. */
int	alert_log_reopen(struct alert_log *);
/* 1 when the path no longer names the open file (deleted, or replaced by another file), so
 * records written now would be lost to whoever reads the path; 0 otherwise. */
int	alert_log_gone(struct alert_log *);
void	alert_log_close(struct alert_log *);

#endif
