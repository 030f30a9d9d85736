/*
 * cmd_tail.c: `newswatch tail`: prints the alert log for people (aligned columns, colour by
 * severity on a terminal) and follows it across log rotation. Reads either format, line by line,
 * through alert_parse: the format itself belongs to alert.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "alert.h"
#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "util.h"

#define TAIL_LINE_MAX	(512u * 1024)	/* longer lines (not ours: a record is at most 256K) are skipped */
#define TAIL_RULES_MAX	64
#define FOLLOW_MS	250		/* how often -f looks for new lines and rotation */
#define COL_MAX		32		/* columns grow to fit names up to this width */

/* A record as tail keeps it. */
struct record {
	struct alert	 alert;
	char		*line;	/* a JSON Lines record as read, for --json; else NULL */
};

struct tail {
	const char	*path;
	char		*rules[TAIL_RULES_MAX];
	size_t		 nrules;
	int		 min_severity;	/* -1: any */
	int		 json;
	int		 colour;
	size_t		 wrule, wfeed;	/* column widths so far */
	/* Following. */
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	struct buf	 pending;	/* a line not finished yet */
	int		 skipping;	/* inside an over-long line: drop until its newline */
	int		 failed;
	uv_timer_t	 timer;
	uv_signal_t	 sigint, sigterm;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: newswatch tail [-f] [-n N] [--rule R]... [--severity S] [--json]\n"
	    "                      [--config FILE | --log FILE]\n"
	    "Prints the last N alerts (default 10) of the alert log; -f then follows it, also\n"
	    "across log rotation. --rule keeps the named rules, --severity S alerts of S or\n"
	    "higher (low, normal, critical); --json prints JSON Lines.\n");
}

static void
record_free(struct record *r)
{
	alert_free(&r->alert);
	free(r->line);
	r->line = NULL;
}

static int
severity_rank(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "low") == 0)
		return SEV_LOW;
	if (strcmp(s, "normal") == 0)
		return SEV_NORMAL;
	if (strcmp(s, "critical") == 0)
		return SEV_CRITICAL;
	return -1;
}

static int
parse_record(const char *line, size_t len, struct record *r)
{
	enum alert_format	f;

	r->line = NULL;
	if (alert_parse(line, len, &r->alert, &f) == -1)
		return -1;
	if (f == ALERT_FORMAT_JSONL)
		r->line = xstrndup(line, len);
	return 0;
}

static int
wanted(const struct tail *t, const struct record *r)
{
	size_t	i;

	if (t->nrules > 0) {
		for (i = 0; i < t->nrules; i++)
			if (r->alert.rule != NULL && strcmp(r->alert.rule, t->rules[i]) == 0)
				break;
		if (i == t->nrules)
			return 0;
	}
	if (t->min_severity >= 0 && r->alert.severity < t->min_severity)
		return 0;
	return 1;
}

/* Characters (not bytes) in a UTF-8 string: close enough to terminal cells for alignment. */
static size_t
width(const char *s)
{
	size_t	n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
put_padded(const char *s, size_t w)
{
	size_t	n = width(s);

	fputs(s, stdout);
	while (n++ < w)
		putchar(' ');
}

/* The record's time as local "2024-12-05 15:03:00". */
static void
local_time(time_t when, char *out, size_t outlen)
{
	struct tm	tm;

	if (localtime_r(&when, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, outlen, "?");
}

/* s made safe for a terminal (a JSON record may hold any character), or NULL. */
static char *
shown(const char *s)
{
	return s != NULL ? str_oneline(s) : NULL;
}

/* What a surge shows in the feed column, as its text line has it. */
#define SURGE_FEED	"{surge}"

/* What a surge shows in the title column: "SURGE 20 stories in 1h, usually 0.3: top title". */
static char *
surge_title(const struct alert *a)
{
	char	span[16], *top, *r;

	fmt_duration(a->surge.window, span, sizeof(span));
	top = a->surge.ntitles > 0 ? shown(a->surge.titles[0]) : xstrdup("");
	if (a->surge.windows > 0)
		r = xasprintf("SURGE %u stories in %s, usually %.1f%s%s", a->surge.count, span,
		    a->surge.mean, *top ? ": " : "", top);
	else
		r = xasprintf("SURGE %u stories in %s%s%s", a->surge.count, span, *top ? ": " : "",
		    top);
	free(top);
	return r;
}

static void
widen(struct tail *t, const struct record *r)
{
	const struct alert	*a = &r->alert;
	const char		*feed = a->feed;

	if (feed == NULL && a->type == ALERT_SURGE)
		feed = SURGE_FEED;
	if (a->rule && width(a->rule) > t->wrule)
		t->wrule = width(a->rule) < COL_MAX ? width(a->rule) : COL_MAX;
	if (feed && width(feed) > t->wfeed)
		t->wfeed = width(feed) < COL_MAX ? width(feed) : COL_MAX;
}

static const char *
severity_colour(int sev)
{
	switch (sev) {
	case SEV_CRITICAL:
		return "\033[1;31m";
	case SEV_NORMAL:
		return "\033[33m";
	case SEV_LOW:
		return "\033[2m";
	default:
		return "";
	}
}

static void
print_record(struct tail *t, const struct record *r)
{
	const struct alert	*a = &r->alert;
	struct buf		 b;
	char			 when[64], iso[21], *rule, *feed, *title, *link;
	const char		*sev = conf_severity_name(a->severity);

	if (t->json && r->line != NULL) {
		puts(r->line);
		return;
	}
	rule = shown(a->rule);
	feed = shown(a->feed);
	link = shown(a->link);
	/* As the text line shows it: "(updated) " is part of what a person reads as the title. */
	title = shown(a->title);
	if (a->update) {
		char *u = xasprintf("(updated) %s", title && *title ? title : "(no title)");

		free(title);
		title = u;
	}
	/* A surge has no feed of its own: the column says what it is. */
	if (a->type == ALERT_SURGE) {
		free(title);
		title = surge_title(a);
		if (feed == NULL)
			feed = xstrdup(SURGE_FEED);
	}
	if (t->json) {
		time_iso8601(a->time, iso);
		buf_init(&b, 0);
		buf_puts(&b, "{\"time\":");
		buf_json_string(&b, iso);
		buf_puts(&b, ",\"rule\":");
		buf_json_string(&b, rule);
		buf_puts(&b, ",\"severity\":");
		buf_json_string(&b, sev);
		buf_puts(&b, ",\"feed\":");
		buf_json_string(&b, feed);
		buf_puts(&b, ",\"title\":");
		buf_json_string(&b, title);
		buf_puts(&b, ",\"link\":");
		buf_json_string(&b, link);
		buf_putc(&b, '}');
		puts(b.data);
		buf_free(&b);
		goto out;
	}
	local_time(a->time, when, sizeof(when));
	widen(t, r);
	printf("%s  ", when);
	if (t->colour)
		fputs(severity_colour(a->severity), stdout);
	put_padded(sev, 8);
	if (t->colour)
		fputs("\033[0m", stdout);
	putchar(' ');
	put_padded(rule ? rule : "?", t->wrule);
	fputs("  ", stdout);
	put_padded(feed ? feed : "?", t->wfeed);
	fputs("  ", stdout);
	fputs(title && *title ? title : "(no title)", stdout);
	if (link && *link) {
		fputs(t->colour ? "  \033[2m" : "  ", stdout);
		fputs(link, stdout);
		if (t->colour)
			fputs("\033[0m", stdout);
	}
	putchar('\n');
out:
	free(rule);
	free(feed);
	free(title);
	free(link);
}

static void
handle_line(struct tail *t, const char *line, size_t len)
{
	struct record	r;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || parse_record(line, len, &r) == -1)
		return;
	if (wanted(t, &r))
		print_record(t, &r);
	record_free(&r);
}

/* Feeds bytes read from the log; whole lines are handled, a partial one waits in t->pending. */
static void
take_bytes(struct tail *t, const char *p, size_t n)
{
	const char	*nl;
	size_t		 k;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		k = nl ? (size_t)(nl - p) : n;
		if (!t->skipping && buf_append(&t->pending, p, k) == -1) {
			buf_reset(&t->pending);
			t->skipping = 1;
		}
		if (nl == NULL)
			return;
		if (!t->skipping && t->pending.len > 0)
			handle_line(t, t->pending.data, t->pending.len);
		buf_reset(&t->pending);
		t->skipping = 0;
		p = nl + 1;
		n -= k + 1;
	}
}

/* Reads what has been appended to t->fd since t->off. */
static void
drain(struct tail *t)
{
	char	buf[65536];
	ssize_t	n;

	while ((n = pread(t->fd, buf, sizeof(buf), t->off)) > 0) {
		t->off += n;
		take_bytes(t, buf, (size_t)n);
	}
	if (n == -1)
		log_warn("%s: read", t->path);
	fflush(stdout);
}

/*
 * Prints the last n wanted records of the open file. Reads the whole file once, keeping a ring
 * of the last n matching lines: the alert log is appended by one program and rotated, so it
 * stays small enough for that.
 */
static void
print_last(struct tail *t, size_t n)
{
	struct record	*ring;
	struct buf	 line;
	char		 buf[65536];
	size_t		 head = 0, count = 0, i;
	ssize_t		 got;
	int		 skipping = 0;
	const char	*p, *nl;

	if (n == 0) {
		struct stat st;

		if (fstat(t->fd, &st) == 0)
			t->off = st.st_size;
		return;
	}
	ring = xcalloc(n, sizeof(*ring));
	buf_init(&line, TAIL_LINE_MAX);
	while ((got = pread(t->fd, buf, sizeof(buf), t->off)) > 0) {
		size_t left = (size_t)got;

		p = buf;
		while (left > 0) {
			size_t k;

			nl = memchr(p, '\n', left);
			k = nl ? (size_t)(nl - p) : left;
			if (!skipping && buf_append(&line, p, k) == -1) {
				buf_reset(&line);
				skipping = 1;
			}
			if (nl == NULL)
				break;
			if (!skipping && line.len > 0) {
				struct record r;
				size_t len = line.len;

				if (line.data[len - 1] == '\r')
					len--;
				if (len > 0 && parse_record(line.data, len, &r) == 0) {
					if (wanted(t, &r)) {
						record_free(&ring[head]);
						ring[head] = r;
						head = (head + 1) % n;
						if (count < n)
							count++;
					} else
						record_free(&r);
				}
			}
			buf_reset(&line);
			skipping = 0;
			p = nl + 1;
			left -= k + 1;
		}
		t->off += got;
	}
	if (got == -1)
		log_warn("%s: read", t->path);
	/* An unfinished last line is left for -f to complete. */
	t->off -= (off_t)line.len;
	buf_free(&line);
	t->skipping = skipping;
	/* Columns as wide as this batch needs; -f widens them later if it must. */
	for (i = 0; i < count; i++)
		widen(t, &ring[(head + n - count + i) % n]);
	for (i = 0; i < count; i++)
		print_record(t, &ring[(head + n - count + i) % n]);
	for (i = 0; i < n; i++)
		record_free(&ring[i]);
	free(ring);
	fflush(stdout);
}

static int
open_log(struct tail *t, int quiet)
{
	struct stat	st;
	int		fd;

	if ((fd = open(t->path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (!quiet)
			log_warn("%s", t->path);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("%s", t->path);
		close(fd);
		return -1;
	}
	t->fd = fd;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->off = 0;
	return 0;
}

/* -f: new lines, then rotation (the path names another file) or truncation (it shrank). */
static void
follow_cb(uv_timer_t *timer)
{
	struct tail	*t = timer->data;
	struct stat	 st, fst;

	if (t->fd != -1)
		drain(t);
	if (stat(t->path, &st) == -1)
		return;		/* moved away and not created again yet: keep the old file */
	if (t->fd != -1 && st.st_dev == t->dev && st.st_ino == t->ino) {
		if (fstat(t->fd, &fst) == 0 && fst.st_size < t->off) {
			log_notice("%s: truncated; reading from its start", t->path);
			t->off = 0;
			buf_reset(&t->pending);
			drain(t);
		}
		return;
	}
	/* A new file at the path: finish the old one (done above), then read the new one whole. */
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
	buf_reset(&t->pending);
	t->skipping = 0;
	if (open_log(t, 1) == 0)
		drain(t);
}

static void
stop_cb(uv_signal_t *s, int signum)
{
	struct tail	*t = s->data;

	(void)signum;
	uv_close((uv_handle_t *)&t->timer, NULL);
	uv_close((uv_handle_t *)&t->sigint, NULL);
	uv_close((uv_handle_t *)&t->sigterm, NULL);
}

static int
follow(struct tail *t)
{
	uv_loop_t	loop;

	if (uv_loop_init(&loop) != 0)
		return -1;
	uv_timer_init(&loop, &t->timer);
	uv_signal_init(&loop, &t->sigint);
	uv_signal_init(&loop, &t->sigterm);
	t->timer.data = t->sigint.data = t->sigterm.data = t;
	uv_timer_start(&t->timer, follow_cb, FOLLOW_MS, FOLLOW_MS);
	uv_signal_start(&t->sigint, stop_cb, SIGINT);
	uv_signal_start(&t->sigterm, stop_cb, SIGTERM);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return 0;
}

int
cmd_tail(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "rule", required_argument, NULL, 'r' },
		{ "severity", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_opts	 o = { .usage = usage };
	struct tail	 t;
	struct conf	*conf = NULL;
	char		*lpath = NULL, *end;
	const char	*nc;
	unsigned long	 n = 10;
	int		 ch, follow_on = 0, status = 0;
	size_t		 i;

	memset(&t, 0, sizeof(t));
	t.fd = -1;
	t.min_severity = -1;
	while ((ch = cmd_getopt(&o, argc, argv, "+fn:c:h", opts)) != -1) {
		switch (ch) {
		case 'f':
			follow_on = 1;
			break;
		case 'n':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' || n > 1000000) {
				fprintf(stderr, "newswatch tail: bad -n \"%s\": a count from 0 "
				    "to 1000000\n", optarg);
				status = 2;
			}
			break;
		case 'r':
			if (t.nrules == TAIL_RULES_MAX) {
				fprintf(stderr, "newswatch tail: at most %d --rule\n",
				    TAIL_RULES_MAX);
				status = 2;
			} else
				t.rules[t.nrules++] = xstrdup(optarg);
			break;
		case 's':
			if ((t.min_severity = severity_rank(optarg)) == -1) {
				fprintf(stderr, "newswatch tail: bad --severity \"%s\": use low, "
				    "normal or critical\n", optarg);
				status = 2;
			}
			break;
		case 'j':
			t.json = 1;
			break;
		case 'l':
			free(lpath);
			lpath = xstrdup(optarg);
			break;
		}
	}
	if (o.status != -1) {
		if (status == 0)	/* --help after a bad option still says so */
			status = o.status;
		goto out;
	}
	if (status == 0 && optind != argc) {
		usage(stderr);
		status = 2;
	}
	if (status != 0)
		goto out;
	log_init(0);
	/* --log alone reads no configuration: the log may be from another machine. */
	if (lpath == NULL || o.config != NULL) {
		if (cmd_conf_load(&o, &conf) == -1) {
			status = 1;
			goto out;
		}
		if (lpath == NULL)
			lpath = xstrdup(conf->alert_log);
		/* A misspelt --rule would print nothing, which looks like no alerts. */
		for (i = 0; i < t.nrules; i++) {
			if (conf_rule_find(conf, t.rules[i]) == NULL) {
				char *names = conf_rule_names(conf);

				fprintf(stderr, "newswatch tail: no rule %s in %s; rules: %s\n",
				    t.rules[i], conf->path, names);
				free(names);
				status = 2;
				goto out;
			}
		}
	}
	t.path = lpath;
	nc = getenv("NO_COLOR");
	t.colour = !t.json && isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
	t.wrule = 4;
	t.wfeed = 4;
	buf_init(&t.pending, TAIL_LINE_MAX);
	if (open_log(&t, follow_on) == -1) {
		if (!follow_on) {
			status = 1;
			goto out;
		}
		/* -f on a log not written yet: wait for it. */
	} else
		print_last(&t, n);
	if (follow_on && follow(&t) == -1)
		status = 1;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("standard output");
		status = 1;
	}
out:
	if (t.fd != -1)
		close(t.fd);
	buf_free(&t.pending);
	for (i = 0; i < t.nrules; i++)
		free(t.rules[i]);
	free(lpath);
	if (conf != NULL)
		conf_free(conf);
	return cmd_opts_end(&o, status);
}
