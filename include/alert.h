/* alert.h: alert records to text: the alert log (one write() per record, O_APPEND) and notification text. */
#ifndef NW_ALERT_H
#define NW_ALERT_H

#include "conf.h"
#include "record.h"
#include "util.h"

struct alert_log;

/* alert.c */
/*
 * Appends one record and its newline to out. Text:
 * 2024-12-05T14:03:00Z critical rule [feed] title link (actors: A; places: B, C)
 * JSON Lines: one object with time, rule, severity, feed, title, link, id, published, actors,
 * places, keywords, matches, also_in. Control characters never break the line. 0 or -1.
 */
int	alert_format(const struct alert *, enum alert_format, struct buf *out);
/* Notification summary ("rule: title") and body (actors, places, feed, link), both escaped for
 * notification-server markup. New strings, caller frees. */
void	alert_notify_text(const struct alert *, char **summary, char **body);

/* Opens (creating 0600, parent directory 0700) path for appending. NULL on error, logged. */
struct alert_log *alert_log_open(const char *path, enum alert_format);
/* Writes one record with a single write(): 0, or -1 (errno set, nothing half-written kept in
 * our state; the caller keeps the alert pending). */
int	alert_log_write(struct alert_log *, const struct alert *);
/* The file descriptor, for an asynchronous fsync. */
int	alert_log_fd(const struct alert_log *);
/* Reopens the path (after logrotate moved the file): 0 or -1, keeping the old fd on failure. */
int	alert_log_reopen(struct alert_log *);
void	alert_log_close(struct alert_log *);

#endif
