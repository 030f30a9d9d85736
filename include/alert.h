/* alert.h: alert records to text: the alert log (one write() per record, O_APPEND) and notification text. */
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
 * alias, field, snippet, via}]), also_in. Control characters never break the line. Text from a
 * feed is cut at 1 KiB (links at 2 KiB) on a UTF-8 boundary with "...", so a huge title still
 * makes a record. 0, or -1 if the record would exceed 256 KiB.
 */
int	alert_format(const struct alert *, enum alert_format, struct buf *out);
/* Notification summary ("rule: title", title cut at 200 bytes) and body (one line each for
 * actors, places, keywords, then "Feed: name" and the link), both escaped for notification-server
 * markup (& < > ' "). New strings, caller frees. */
void	alert_notify_text(const struct alert *, char **summary, char **body);

/* Opens (creating 0600, parent directory 0700) path for appending. NULL on error, logged. */
struct alert_log *alert_log_open(const char *path, enum alert_format);
/* Writes one record with a single write(): 0, or -1 (errno set, logged; the caller keeps the
 * alert pending). After a short write the file ends in a fragment; the next record written
 * starts with a newline so the fragment stays a line of its own. The same holds for a file found
 * ending mid-line at open or reopen. */
int	alert_log_write(struct alert_log *, const struct alert *);
/* The file descriptor, for an asynchronous fsync. */
int	alert_log_fd(const struct alert_log *);
/* Reopens the path (after logrotate moved the file): 0 or -1, keeping the old fd on failure. */
int	alert_log_reopen(struct alert_log *);
void	alert_log_close(struct alert_log *);

#endif
