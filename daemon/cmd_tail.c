/*
 * cmd_tail.c: `newswatch tail`: prints the alert log for people (aligned columns, colour by
 * severity on a terminal) and follows it across log rotation. Reads either format, line by line.
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

#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "util.h"

#define TAIL_LINE_MAX	(512u * 1024)	/* longer lines (not ours: a record is at most 256K) are skipped */
#define TAIL_RULES_MAX	64
#define FOLLOW_MS	250		/* how often -f looks for new lines and rotation */
#define JSON_DEPTH_MAX	32
#define COL_MAX		32		/* columns grow to fit names up to this width */

/* The fields of an alert record that tail shows. Strings are owned. */
struct record {
	char	*time;
	char	*severity;
	char	*rule;
	char	*feed;
	char	*title;
	char	*link;
	char	*line;	/* the record as read, for --json with a JSON Lines log */
	int	 json;	/* line is a JSON object */
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
	free(r->time);
	free(r->severity);
	free(r->rule);
	free(r->feed);
	free(r->title);
	free(r->link);
	free(r->line);
	memset(r, 0, sizeof(*r));
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

/* A minimal JSON reader: enough for the flat string keys of a record, safe on any input. */

struct json {
	const char	*p, *end;
};

static void
json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int
hex4(const char *p, const char *end, unsigned *out)
{
	unsigned	v = 0;
	int		i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char	s[4];

	if (cp < 0x80) {
		s[0] = (char)cp;
		buf_append(b, s, 1);
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 4);
	}
}

/* Reads a string at j->p (the opening quote); out (may be NULL) gets it decoded. 0 or -1. */
static int
json_string(struct json *j, struct buf *out)
{
	unsigned	cp, lo;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end) {
		char c = *j->p++;

		if (c == '"')
			return 0;
		if (c != '\\') {
			if (out)
				buf_putc(out, c);
			continue;
		}
		if (j->p >= j->end)
			return -1;
		c = *j->p++;
		switch (c) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case '"': case '\\': case '/': break;
		case 'u':
			if (hex4(j->p, j->end, &cp) == -1)
				return -1;
			j->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u' && hex4(j->p + 2, j->end, &lo) == 0 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				j->p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;	/* a lone surrogate */
			if (out)
				put_utf8(out, cp);
			continue;
		default:
			return -1;
		}
		if (out)
			buf_putc(out, c);
	}
	return -1;
}

/* Skips any value (nested up to JSON_DEPTH_MAX). 0 or -1. */
static int
json_skip(struct json *j, int depth)
{
	char	close;

	json_ws(j);
	if (j->p >= j->end || depth > JSON_DEPTH_MAX)
		return -1;
	if (*j->p == '"')
		return json_string(j, NULL);
	if (*j->p == '{' || *j->p == '[') {
		close = *j->p == '{' ? '}' : ']';
		j->p++;
		json_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				json_ws(j);
				if (json_string(j, NULL) == -1)
					return -1;
				json_ws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return -1;
			}
			if (json_skip(j, depth + 1) == -1)
				return -1;
			json_ws(j);
			if (j->p >= j->end)
				return -1;
			if (*j->p == close) {
				j->p++;
				return 0;
			}
			if (*j->p++ != ',')
				return -1;
		}
	}
	/* A number, true, false or null: a run of their characters. */
	if (*j->p == '\0' || strchr("-+.0123456789eEtruefalsn", *j->p) == NULL)
		return -1;
	while (j->p < j->end && strchr("-+.0123456789eEtruefalsn", *j->p) != NULL && *j->p)
		j->p++;
	return 0;
}

/* Parses one JSON Lines record: 0, or -1 if it is not an object. */
static int
parse_json(const char *line, size_t len, struct record *r)
{
	struct json	 j = { line, line + len };
	struct buf	 key, val;
	char		**slot;
	int		 rc = -1;

	buf_init(&key, 256);
	buf_init(&val, TAIL_LINE_MAX);
	json_ws(&j);
	if (j.p >= j.end || *j.p++ != '{')
		goto out;
	json_ws(&j);
	if (j.p < j.end && *j.p == '}')
		goto done;
	for (;;) {
		json_ws(&j);
		buf_reset(&key);
		if (json_string(&j, &key) == -1)
			goto out;
		json_ws(&j);
		if (j.p >= j.end || *j.p++ != ':')
			goto out;
		json_ws(&j);
		slot = NULL;
		if (key.data != NULL && j.p < j.end && *j.p == '"') {
			if (strcmp(key.data, "time") == 0)
				slot = &r->time;
			else if (strcmp(key.data, "severity") == 0)
				slot = &r->severity;
			else if (strcmp(key.data, "rule") == 0)
				slot = &r->rule;
			else if (strcmp(key.data, "feed") == 0)
				slot = &r->feed;
			else if (strcmp(key.data, "title") == 0)
				slot = &r->title;
			else if (strcmp(key.data, "link") == 0)
				slot = &r->link;
		}
		if (slot != NULL) {
			buf_reset(&val);
			if (json_string(&j, &val) == -1)
				goto out;
			free(*slot);
			*slot = str_oneline(val.data ? val.data : "");
		} else if (json_skip(&j, 1) == -1)
			goto out;
		json_ws(&j);
		if (j.p >= j.end)
			goto out;
		if (*j.p == '}')
			break;
		if (*j.p++ != ',')
			goto out;
	}
done:
	r->json = 1;
	rc = 0;
out:
	buf_free(&key);
	buf_free(&val);
	return rc;
}

static char *
dup_range(const char *s, const char *e)
{
	char	*t = xstrndup(s, (size_t)(e - s));
	char	*o = str_oneline(t);

	free(t);
	return o;
}

/* The last " (" in [s, e) followed by prefix, or NULL. */
static const char *
last_paren(const char *s, const char *e, const char *prefix)
{
	const char	*p;
	size_t		 n = strlen(prefix);

	for (p = e - 2; p >= s; p--)
		if (p[0] == ' ' && p[1] == '(' && (size_t)(e - p - 2) >= n &&
		    strncmp(p + 2, prefix, n) == 0)
			return p;
	return NULL;
}

/*
 * Parses a text record:
 * "TIME SEVERITY RULE [FEED] TITLE[ LINK][ (actors: ...)][ (also in: ...)][ (why: ...)]".
 * The title may hold anything, so the parts are taken off from both ends. 0, or -1.
 */
static int
parse_text(const char *line, size_t len, struct record *r)
{
	const char	*s = line, *e = line + len, *sp, *feed, *p;

	if ((sp = memchr(s, ' ', len)) == NULL)
		return -1;
	r->time = dup_range(s, sp);
	s = sp + 1;
	if ((sp = memchr(s, ' ', (size_t)(e - s))) == NULL)
		return -1;
	r->severity = dup_range(s, sp);
	s = sp + 1;
	/* The feed is the first " [NAME] " after the rule. */
	for (feed = s; feed < e - 1; feed++)
		if (feed[0] == ' ' && feed[1] == '[')
			break;
	if (feed >= e - 1)
		return -1;
	r->rule = dup_range(s, feed);
	s = feed + 2;
	if ((p = memchr(s, ']', (size_t)(e - s))) == NULL)
		return -1;
	r->feed = dup_range(s, p);
	s = p + 1;
	if (s < e && *s == ' ')
		s++;
	if (e > s && e[-1] == ')') {
		if ((p = last_paren(s, e, "why: ")) != NULL)
			e = p;
	}
	if (e > s && e[-1] == ')') {
		if ((p = last_paren(s, e, "also in: ")) != NULL)
			e = p;
	}
	if (e > s && e[-1] == ')') {
		if ((p = last_paren(s, e, "actors: ")) != NULL ||
		    (p = last_paren(s, e, "places: ")) != NULL ||
		    (p = last_paren(s, e, "keywords: ")) != NULL)
			e = p;
	}
	/* The link is the last word when it looks like one (spaces in it were written as %20). */
	for (p = e; p > s && p[-1] != ' '; p--)
		;
	if (e - p > 3 && memmem(p, (size_t)(e - p), "://", 3) != NULL) {
		r->link = dup_range(p, e);
		e = p > s ? p - 1 : p;
	}
	r->title = dup_range(s, e);
	return 0;
}

static int
parse_record(const char *line, size_t len, struct record *r)
{
	const char	*p = line;

	memset(r, 0, sizeof(*r));
	while (p < line + len && (*p == ' ' || *p == '\t'))
		p++;
	if (p < line + len && *p == '{') {
		if (parse_json(line, len, r) == -1) {
			record_free(r);
			return -1;
		}
	} else if (parse_text(line, len, r) == -1) {
		record_free(r);
		return -1;
	}
	r->line = xstrndup(line, len);
	return 0;
}

static int
wanted(const struct tail *t, const struct record *r)
{
	size_t	i;

	if (t->nrules > 0) {
		for (i = 0; i < t->nrules; i++)
			if (r->rule != NULL && strcmp(r->rule, t->rules[i]) == 0)
				break;
		if (i == t->nrules)
			return 0;
	}
	if (t->min_severity >= 0 && severity_rank(r->severity) < t->min_severity)
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

/* "2024-12-05T14:03:00Z" as local "2024-12-05 15:03:00"; the text as it is if it is not that. */
static void
local_time(const char *iso, char *out, size_t outlen)
{
	struct tm	tm;
	time_t		t;
	char		*end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0' || (t = timegm(&tm)) == (time_t)-1 ||
	    localtime_r(&t, &tm) == NULL || strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, outlen, "%s", iso);
}

static void
widen(struct tail *t, const struct record *r)
{
	if (r->rule && width(r->rule) > t->wrule)
		t->wrule = width(r->rule) < COL_MAX ? width(r->rule) : COL_MAX;
	if (r->feed && width(r->feed) > t->wfeed)
		t->wfeed = width(r->feed) < COL_MAX ? width(r->feed) : COL_MAX;
}

static const char *
severity_colour(const char *sev)
{
	switch (severity_rank(sev)) {
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
	struct buf	 b;
	char		 when[64];
	const char	*sev = r->severity ? r->severity : "?";

	if (t->json) {
		if (r->json) {
			puts(r->line);
			return;
		}
		buf_init(&b, 0);
		buf_puts(&b, "{\"time\":");
		buf_json_string(&b, r->time);
		buf_puts(&b, ",\"rule\":");
		buf_json_string(&b, r->rule);
		buf_puts(&b, ",\"severity\":");
		buf_json_string(&b, r->severity);
		buf_puts(&b, ",\"feed\":");
		buf_json_string(&b, r->feed);
		buf_puts(&b, ",\"title\":");
		buf_json_string(&b, r->title);
		buf_puts(&b, ",\"link\":");
		buf_json_string(&b, r->link);
		buf_putc(&b, '}');
		puts(b.data);
		buf_free(&b);
		return;
	}
	local_time(r->time ? r->time : "?", when, sizeof(when));
	widen(t, r);
	printf("%s  ", when);
	if (t->colour)
		fputs(severity_colour(sev), stdout);
	put_padded(sev, 8);
	if (t->colour)
		fputs("\033[0m", stdout);
	putchar(' ');
	put_padded(r->rule ? r->rule : "?", t->wrule);
	fputs("  ", stdout);
	put_padded(r->feed ? r->feed : "?", t->wfeed);
	fputs("  ", stdout);
	fputs(r->title && *r->title ? r->title : "(no title)", stdout);
	if (r->link && *r->link) {
		fputs(t->colour ? "  \033[2m" : "  ", stdout);
		fputs(r->link, stdout);
		if (t->colour)
			fputs("\033[0m", stdout);
	}
	putchar('\n');
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
