/* cmd_status.c: "newswatch status": per-feed health from the state database, as a table or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "store.h"
#include "util.h"

/* Widest last-error text in the table; the JSON has it whole. */
#define ERROR_COLUMN	60

/* One configured feed and what the database knows of it. */
struct row {
	const struct conf_feed	*cf;
	struct store_feed	 st;
	int			 known;		/* the database has a row for it */
};

/* Outbox channels are bits 1 .. STORE_CH_LAST: index i is channel 1 << i. */
#define NCHANNELS	3
_Static_assert(STORE_CH_LAST == 1u << (NCHANNELS - 1), "status lists every outbox channel");
/* A target, configured or only in the database (a reload removed it), and its state there. */
struct trow {
	char		*name;
	const struct conf_target *ct;	/* NULL: not in the configuration */
	size_t		 backlog;
	time_t		 oldest;
	time_t		 last_success;
	char		*last_error;	/* never a secret: target.c writes no URL or key */
	time_t		 last_error_at;
	uint64_t	 sent, failed, dropped;
};

struct collect {
	struct row	*rows;
	size_t		 nrows;
	struct trow	*trows;
	size_t		 ntrows;
	size_t		 pending[NCHANNELS];	/* alerts waiting on each channel */
	time_t		 oldest[NCHANNELS];	/* created time of the oldest, 0 if none */
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: newswatch status [--config FILE] [--json]\n"
	    "Prints each configured feed's health from the state database: last attempt, last\n"
	    "success, last HTTP status, consecutive failures, next poll and last error; then how\n"
	    "many alerts wait in the outbox for the log, a pop-up and a hook, and for each push\n"
	    "target its backlog, last success, last error and counts. It only reads the\n"
	    "database, so it works while the daemon runs.\n");
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* store_feed_each: keeps the state of feeds that are in the configuration. */
static int
collect_cb(void *arg, const char *name, const struct store_feed *st)
{
	struct collect	*c = arg;
	size_t		 i;

	for (i = 0; i < c->nrows; i++) {
		if (strcmp(c->rows[i].cf->name, name) != 0)
			continue;
		/* The strings belong to the walk: copy them. */
		c->rows[i].st = *st;
		c->rows[i].st.etag = dup_or_null(st->etag);
		c->rows[i].st.last_modified = dup_or_null(st->last_modified);
		c->rows[i].st.url = dup_or_null(st->url);
		c->rows[i].st.last_error = dup_or_null(st->last_error);
		c->rows[i].st.moved_to = dup_or_null(st->moved_to);
		c->rows[i].known = 1;
		break;
	}
	return 0;
}

/* store_target_each: the database's state of each target, configured ones first. */
static int
target_cb(void *arg, const struct store_target *t)
{
	struct collect	*c = arg;
	struct trow	*r = NULL;
	size_t		 i;

	for (i = 0; i < c->ntrows && r == NULL; i++)
		if (strcmp(c->trows[i].name, t->name) == 0)
			r = &c->trows[i];
	if (r == NULL) {
		c->trows = xreallocarray(c->trows, c->ntrows + 1, sizeof(*c->trows));
		r = &c->trows[c->ntrows++];
		memset(r, 0, sizeof(*r));
		r->name = xstrdup(t->name);
	}
	r->backlog = t->backlog;
	r->oldest = t->oldest;
	r->last_success = t->last_success;
	r->last_error = dup_or_null(t->last_error);
	r->last_error_at = t->last_error_at;
	r->sent = t->sent;
	r->failed = t->failed;
	r->dropped = t->dropped;
	return 0;
}

/* "ok", "failing", "gone", "never polled": one word for the state column. */
static const char *
state_word(const struct row *r)
{
	if (!r->known || r->st.last_attempt == 0)
		return "never polled";
	if (r->st.gone)
		return "gone";
	if (r->st.failures > 0)
		return "failing";
	return "ok";
}

/* A span of seconds in one short unit: "45s", "12m", "5h", "3d". */
static void
span_text(time_t secs, char *out, size_t outlen)
{
	if (secs < 100)
		snprintf(out, outlen, "%llds", (long long)secs);
	else if (secs < 100 * 60)
		snprintf(out, outlen, "%lldm", (long long)(secs / 60));
	else if (secs < 48 * 3600)
		snprintf(out, outlen, "%lldh", (long long)(secs / 3600));
	else
		snprintf(out, outlen, "%lldd", (long long)(secs / 86400));
}

/* "3m ago", "just now" or "never" for a past time. */
static void
ago_text(time_t t, time_t now, char *out, size_t outlen)
{
	char	span[24];

	if (t == 0) {
		snprintf(out, outlen, "never");
		return;
	}
	if (t >= now) {
		snprintf(out, outlen, "just now");
		return;
	}
	span_text(now - t, span, sizeof(span));
	snprintf(out, outlen, "%s ago", span);
}

/* "in 7m", "due" or "stopped" for the next poll. */
static void
next_text(const struct row *r, time_t now, char *out, size_t outlen)
{
	char	span[24];

	if (r->known && r->st.gone)
		snprintf(out, outlen, "stopped");
	else if (!r->known || r->st.next_poll == 0)
		snprintf(out, outlen, "at start");
	else if (r->st.next_poll <= now)
		snprintf(out, outlen, "due");
	else {
		span_text(r->st.next_poll - now, span, sizeof(span));
		snprintf(out, outlen, "in %s", span);
	}
}

/* The targets: type, backlog, last success, last error (the host is all of a URL shown: the
 * rest may be a secret, as in a Slack hook). */
static void
print_targets(const struct collect *c, time_t now)
{
	const struct trow	*r;
	char			 success[32], oldest[32], errat[32], *err;
	size_t			 i;

	printf("\n%-16s  %-8s  %7s  %-12s  %-12s  %6s  %6s  %7s  %s\n", "TARGET", "TYPE",
	    "BACKLOG", "OLDEST", "LAST SUCCESS", "SENT", "FAILED", "DROPPED", "LAST ERROR");
	for (i = 0; i < c->ntrows; i++) {
		r = &c->trows[i];
		ago_text(r->last_success, now, success, sizeof(success));
		if (r->backlog > 0)
			ago_text(r->oldest, now, oldest, sizeof(oldest));
		else
			snprintf(oldest, sizeof(oldest), "-");
		err = str_oneline(r->last_error ? r->last_error : "");
		if (strlen(err) > ERROR_COLUMN)
			memcpy(err + ERROR_COLUMN - 3, "...", 4);
		ago_text(r->last_error_at, now, errat, sizeof(errat));
		printf("%-16.40s  %-8s  %7zu  %-12s  %-12s  %6llu  %6llu  %7llu  %s%s%s%s\n", r->name,
		    r->ct ? conf_target_type_name(r->ct->type) : "removed", r->backlog, oldest,
		    success, (unsigned long long)r->sent, (unsigned long long)r->failed,
		    (unsigned long long)r->dropped, err, *err ? " (" : "", *err ? errat : "",
		    *err ? ")" : "");
		free(err);
	}
}

static void
print_table(const struct collect *c, time_t now)
{
	size_t		 i, w = 4;
	char		 attempt[32], success[32], next[32], http[16], *err;
	const struct row *r;

	for (i = 0; i < c->nrows; i++)
		if (strlen(c->rows[i].cf->name) > w)
			w = strlen(c->rows[i].cf->name);
	if (w > 40)
		w = 40;
	printf("%-*s  %-12s  %-12s  %-12s  %4s  %5s  %-9s  %s\n", (int)w, "FEED", "STATE",
	    "LAST ATTEMPT", "LAST SUCCESS", "HTTP", "FAILS", "NEXT POLL", "LAST ERROR");
	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		ago_text(r->known ? r->st.last_attempt : 0, now, attempt, sizeof(attempt));
		ago_text(r->known ? r->st.last_success : 0, now, success, sizeof(success));
		next_text(r, now, next, sizeof(next));
		if (r->known && r->st.last_status != 0)
			snprintf(http, sizeof(http), "%ld", r->st.last_status);
		else
			snprintf(http, sizeof(http), "-");
		/* Feed text may hold anything: keep each row one clean terminal line. */
		err = str_oneline(r->known && r->st.last_error ? r->st.last_error : "");
		if (strlen(err) > ERROR_COLUMN)
			memcpy(err + ERROR_COLUMN - 3, "...", 4);
		printf("%-*.*s  %-12s  %-12s  %-12s  %4s  %5u  %-9s  %s\n", (int)w, (int)w,
		    r->cf->name, state_word(r), attempt, success, http,
		    r->known ? r->st.failures : 0, next, err);
		free(err);
		if (r->known && r->st.url != NULL)
			printf("%-*s  moved permanently: polled at %s\n", (int)w, "", r->st.url);
	}
	if (c->ntrows > 0)
		print_targets(c, now);
	printf("\nOUTBOX (alerts not delivered yet):");
	for (i = 0; i < NCHANNELS; i++) {
		printf(" %s %zu", store_channel_name(1u << i), c->pending[i]);
		if (c->pending[i] > 0) {
			ago_text(c->oldest[i], now, attempt, sizeof(attempt));
			printf(" (oldest %s)", attempt);
		}
		printf(i + 1 < NCHANNELS ? "," : "\n");
	}
}

/* A time as an ISO 8601 JSON string, or null when unset. */
static void
json_time(struct buf *b, const char *key, time_t t)
{
	char	iso[21];

	buf_printf(b, ", \"%s\": ", key);
	if (t == 0) {
		buf_puts(b, "null");
		return;
	}
	time_iso8601(t, iso);
	buf_json_string(b, iso);
}

/* One JSON object: the feeds (every key always present) and the outbox backlog per channel. */
static void
print_json(const struct collect *c, struct buf *b)
{
	const struct row	*r;
	struct store_feed	 none;
	const struct store_feed	*st;
	size_t			 i;

	memset(&none, 0, sizeof(none));
	buf_puts(b, "{\"feeds\": [");
	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		st = r->known ? &r->st : &none;
		buf_puts(b, i ? ",\n {" : "\n {");
		buf_puts(b, "\"feed\": ");
		buf_json_string(b, r->cf->name);
		buf_puts(b, ", \"url\": ");
		buf_json_string(b, r->cf->url);
		buf_puts(b, ", \"polling_url\": ");
		buf_json_string(b, st->url ? st->url : r->cf->url);
		buf_puts(b, ", \"state\": ");
		buf_json_string(b, state_word(r));
		json_time(b, "last_attempt", st->last_attempt);
		json_time(b, "last_success", st->last_success);
		if (st->last_status != 0)
			buf_printf(b, ", \"last_status\": %ld", st->last_status);
		else
			buf_puts(b, ", \"last_status\": null");
		buf_puts(b, ", \"last_error\": ");
		buf_json_string(b, st->last_error);
		buf_printf(b, ", \"failures\": %u", st->failures);
		json_time(b, "next_poll", st->gone ? 0 : st->next_poll);
		buf_printf(b, ", \"gone\": %s", st->gone ? "true" : "false");
		buf_puts(b, ", \"etag\": ");
		buf_json_string(b, st->etag);
		buf_puts(b, ", \"last_modified\": ");
		buf_json_string(b, st->last_modified);
		buf_puts(b, ", \"moved_to\": ");
		buf_json_string(b, st->moved_to);
		buf_printf(b, ", \"moved_count\": %u}", st->moved_count);
	}
	buf_puts(b, c->nrows ? "\n],\n\"outbox\": {" : "],\n\"outbox\": {");
	for (i = 0; i < NCHANNELS; i++) {
		buf_printf(b, "%s\"%s\": {\"pending\": %zu", i ? ", " : "", store_channel_name(1u << i),
		    c->pending[i]);
		json_time(b, "oldest", c->oldest[i]);
		buf_puts(b, "}");
	}
	buf_puts(b, "},\n\"targets\": [");
	for (i = 0; i < c->ntrows; i++) {
		const struct trow *t = &c->trows[i];

		buf_puts(b, i ? ",\n {\"target\": " : "\n {\"target\": ");
		buf_json_string(b, t->name);
		buf_puts(b, ", \"type\": ");
		buf_json_string(b, t->ct ? conf_target_type_name(t->ct->type) : NULL);
		buf_printf(b, ", \"backlog\": %zu", t->backlog);
		json_time(b, "oldest", t->backlog ? t->oldest : 0);
		json_time(b, "last_success", t->last_success);
		buf_puts(b, ", \"last_error\": ");
		buf_json_string(b, t->last_error);
		json_time(b, "last_error_at", t->last_error ? t->last_error_at : 0);
		buf_printf(b, ", \"sent\": %llu, \"failed\": %llu, \"dropped\": %llu}",
		    (unsigned long long)t->sent, (unsigned long long)t->failed,
		    (unsigned long long)t->dropped);
	}
	buf_puts(b, c->ntrows ? "\n]}\n" : "]}\n");
}

/*
 * Reads every configured feed's state. A state directory without a database yet is not an error:
 * every feed is then "never polled". 0 or -1 (logged).
 */
static int
load_rows(const struct conf *conf, struct collect *c)
{
	struct store	*s;
	char		*db;
	size_t		 i;
	int		 r, err;

	c->nrows = conf->nfeeds;
	c->rows = xcalloc(conf->nfeeds > 0 ? conf->nfeeds : 1, sizeof(*c->rows));
	for (i = 0; i < conf->nfeeds; i++)
		c->rows[i].cf = &conf->feeds[i];
	c->ntrows = conf->ntargets;
	c->trows = xcalloc(conf->ntargets > 0 ? conf->ntargets : 1, sizeof(*c->trows));
	for (i = 0; i < conf->ntargets; i++) {
		c->trows[i].name = xstrdup(conf->targets[i].name);
		c->trows[i].ct = &conf->targets[i];
	}
	db = xasprintf("%s/state.db", conf->state_dir);
	r = access(db, F_OK);
	err = errno;
	if (r == -1 && err != ENOENT)
		log_warn("%s", db);
	free(db);
	if (r == -1)
		return err == ENOENT ? 0 : -1;
	/* Read-only and without the daemon's lock: WAL lets us read while it writes. */
	if ((s = store_open_readonly(conf->state_dir)) == NULL)
		return -1;
	r = store_feed_each(s, collect_cb, c);
	for (i = 0; r == 0 && i < NCHANNELS; i++)
		r = store_alert_backlog(s, 1u << i, &c->pending[i], &c->oldest[i]);
	if (r == 0)
		r = store_target_each(s, target_cb, c);
	store_close(s);
	return r == 0 ? 0 : -1;
}

static void
free_rows(struct collect *c)
{
	size_t	i;

	for (i = 0; i < c->nrows; i++)
		store_feed_clear(&c->rows[i].st);
	free(c->rows);
	for (i = 0; i < c->ntrows; i++) {
		free(c->trows[i].name);
		free(c->trows[i].last_error);
	}
	free(c->trows);
}

int
cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct conf	*conf;
	struct collect	 c;
	struct buf	 b;
	int		 ch, json = 0, status = 0;

	while ((ch = cmd_getopt(&o, argc, argv, "+c:jh", longopts)) != -1)
		if (ch == 'j')
			json = 1;
	if (o.status != -1)
		return cmd_opts_end(&o, o.status);
	if (optind < argc) {
		fprintf(stderr, "newswatch status: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return cmd_opts_end(&o, 2);
	}
	if (cmd_conf_load(&o, &conf) == -1) {
		fprintf(stderr, "newswatch status: %s is not valid\n", o.config);
		return cmd_opts_end(&o, 1);
	}
	cmd_opts_end(&o, 0);
	memset(&c, 0, sizeof(c));
	if (load_rows(conf, &c) == -1) {
		status = 1;
	} else if (json) {
		buf_init(&b, 0);
		print_json(&c, &b);
		if (b.data != NULL)
			fputs(b.data, stdout);
		buf_free(&b);
	} else {
		print_table(&c, time(NULL));
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_warn("status: writing the output");
		status = 1;
	}
	free_rows(&c);
	conf_free(conf);
	return status;
}
