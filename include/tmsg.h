/*
 * tmsg.h: the messages the push targets send, one alert or a digest of several, in each
 * service's own form. Pure functions of their input (the clock is passed in): target.c sends
 * what they build, test_tmsg checks it.
 *
 * A digest (digest = 1 below) sums up n alerts in id order: grouped by rule in order of first
 * appearance, with each rule's count and up to TMSG_DIGEST_TITLES titles, then "and N more".
 * Every message carries the stable id of what it holds (tmsg_key): one alert's outbox id, or the
 * first and last ids and the count of a digest, so a receiver can drop a repeat.
 */
#ifndef NW_TMSG_H
#define NW_TMSG_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "record.h"
#include "util.h"

#define TMSG_DIGEST_TITLES	20	/* titles listed per rule in a digest */
#define TMSG_MAX		(1024u * 1024)	/* bytes of one message at most */

/* tmsg.c */
/* The stable id: "newswatch-ID" for one alert, "newswatch-digest-FIRST-LAST-N" for a digest,
 * "newswatch-test-N" for test-target's sample (id -N). New string. */
char	*tmsg_key(const struct alert *a, size_t n, int digest);
/*
 * The alert's JSON Lines record with "alert_id" and "key" first (webhook and MQTT); a digest is
 * {"key", "digest": true, "count", "rules": [{"rule", "count", "titles"}], "alerts": [records
 * with alert_id]}. No newline at the end. 0, or -1 over TMSG_MAX.
 */
int	tmsg_json(const struct alert *a, size_t n, int digest, struct buf *out);
/* A one-line title and a plain-text body (lines joined by "\n"), with the first alert's link
 * (NULL if none) for a single alert. New strings. */
void	tmsg_text(const struct alert *a, size_t n, int digest, char **title, char **body,
	    char **link);
/* ntfy's JSON publish body for topic: topic, title, message, priority (2 low, 3 normal, 5
 * critical: the highest severity held), tags (the rules, "warning" when critical), click. */
int	tmsg_ntfy(const char *topic, const struct alert *a, size_t n, int digest,
	    struct buf *out);
/* A Slack incoming-webhook body: {"text": "*title*\nbody"} with & < > escaped as Slack asks. */
int	tmsg_slack(const struct alert *a, size_t n, int digest, struct buf *out);
/* A Matrix m.room.message event: msgtype m.text, body (plain text) and formatted_body (HTML of
 * org.matrix.custom.html). */
int	tmsg_matrix(const struct alert *a, size_t n, int digest, struct buf *out);
/*
 * A whole mail for target t (From, To, Subject RFC 2047 encoded when not ASCII, Date of now,
 * Message-ID from the key, MIME text/plain UTF-8 in base64 so no line is too long), CRLF line
 * ends. 0, or -1 over TMSG_MAX.
 */
int	tmsg_email(const struct conf_target *t, const struct alert *a, size_t n, int digest,
	    time_t now, struct buf *out);
/* The MQTT topic: pattern with {rule}, {severity} and {feed} replaced by the alert's ("digest"
 * for the rule of a digest); '+', '#' and '/' in a value become '_' so a value cannot add
 * levels or wildcards. New string. */
char	*tmsg_topic(const char *pattern, const struct alert *a, int digest);

#endif
