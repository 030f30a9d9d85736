/*
 * surge.h: story counts per rule, actor and place, and surge alerts: one alert when a rule's
 * stories in the last window rise far above their usual level.
 *
 * Counting. Every new story a rule alerts on (deliver_outbox_add after the cross-feed dedup, so
 * one story carried by ten feeds counts once) is an event in the store: one for the rule and one
 * per actor and place its alert names, with the story's key. They are kept under the retention
 * period like everything else (store_prune); newswatch trends reads them.
 *
 * Baseline. For a rule with surge = yes, the count c is the rule's stories in the window
 * (now - surge_window, now]. The baseline is the mean m and the population standard deviation
 * s of the counts of the same-length windows before it, back to SURGE_BASELINE_DAYS days,
 * aligned on now: (now - 2W, now - W], (now - 3W, now - 2W], ... Windows older than the rule's
 * first story kept are left out (the rule was not watching, or the store was new); with none
 * left there is no history. A retention shorter than the baseline shortens it.
 *
 * Far above. With history: c >= surge_min and c > m + SURGE_K * max(s, sqrt(m), 1). The floor on
 * s makes a flat week (s = 0) need more than a few stories (with m = 0: more than 3, and
 * surge_min above that), and sqrt(m) is the spread of a steady random stream of m per window,
 * so a high but steady stream whose windows happen to be equal does not make a small wobble a
 * surge. Without history: c >= surge_min alone.
 *
 * Episodes. A surge alert opens an episode for its rule, stored in the same transaction as the
 * story that raised it (and the alert itself): while it is open no other surge alert is raised
 * for the rule, across restarts and kill -9. The episode closes at the first story of the rule
 * whose count is no longer far above (below surge_min, or at or below the threshold): the next
 * rise opens a new one. Counts are looked at only when a story arrives, so a quiet rule's
 * episode closes at its next story, which cannot raise a surge itself unless the count is high.
 *
 * Everything takes now from its caller: nothing here reads the clock, so a test can play a week
 * in a second.
 */
#ifndef NW_SURGE_H
#define NW_SURGE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "record.h"
#include "store.h"

#define SURGE_BASELINE_DAYS	7
#define SURGE_K			3.0	/* standard deviations above the mean */
#define SURGE_TOP		5	/* titles and feeds a surge record names */
#define SURGE_SCAN		1000	/* recent alerts read for them */

/* A baseline: the mean and standard deviation of windows counts (0, 0, 0: no history). */
struct surge_baseline {
	double		 mean;
	double		 sd;
	unsigned	 windows;
};

/* surge.c */
/* The baseline of counts[0..n) (n 0: no history). */
void	surge_baseline(const unsigned *counts, size_t n, struct surge_baseline *out);
/* The count a window must exceed to be far above the baseline (ignoring surge_min); 0 with no
 * history. */
double	surge_threshold(const struct surge_baseline *);
/* 1 if count is far above the baseline for a rule with this surge_min, else 0. */
int	surge_far_above(unsigned count, const struct surge_baseline *, unsigned surge_min);
/*
 * Counts a new story of alert a (inside the caller's transaction): the events for the rule and
 * each of a's actors and places, story being its key. When rule (the alert's rule in the
 * configuration, NULL if a reload removed it) has surge = yes, closes its episode when the count
 * fell back, or opens one and puts a surge alert in the outbox on channels (STORE_CH_*): then
 * *raised is 1 and *surge (when not NULL) gets the alert (alert_free it). 0 or -1.
 */
int	surge_note(struct store *, const struct conf_rule *rule, const struct alert *a,
	    const char *story, time_t now, unsigned channels, int *raised, struct alert *surge);

#endif
