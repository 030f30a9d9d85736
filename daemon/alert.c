/* alert.c: alert records as log lines (text or JSON Lines) and notification text; the append-only alert log. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"

/*
 * Caps on what one feed item can put in a record. A hostile or broken feed can send a megabyte
 * title; the record must still format (or the alert would stay pending for ever), and a log
 * line should stay readable. Longer text is cut on a UTF-8 boundary and ends in "...".
 */
#define TEXT_MAX	1024	/* title, snippet, names */
#define LINK_MAX	2048
#define SNIPPET_MAX	200	/* a snippet in the text line: a few words each side */
#define NOTIFY_TITLE_MAX 200
#define RECORD_MAX	(256u * 1024)	/* one formatted record; matches are bounded by the config */

struct alert_log {
	int			 fd;
	char			*path;
	enum alert_format	 format;
	int			 complete;	/* 1 when the file ends in a newline (or is empty) */
	struct buf		 buf;		/* reused for every record */
};

/* Our own names: alert.c links without conf.c. */
static const char *
severity_name(int severity)
{
	switch (severity) {
	case SEV_LOW:
		return "low";
	case SEV_CRITICAL:
		return "critical";
	default:
		return "normal";
	}
}

/* A copy of s cut to at most max bytes on a UTF-8 boundary, "..." appended when cut. */
static char *
clip(const char *s, size_t max)
{
	size_t	n;
	char	*p;

	if (s == NULL)
		return NULL;
	if ((n = strlen(s)) <= max)
		return xstrdup(s);
	n = max;
	/* Back up over continuation bytes so we cut before a character, not inside it. */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	p = xmalloc(n + 4);
	memcpy(p, s, n);
	memcpy(p + n, "...", 4);
	return p;
}

/* s clipped and made safe for one line of a log or a terminal (see str_oneline). */
static char *
line_text(const char *s, size_t max)
{
	char	*c, *o;

	if (s == NULL)
		return xstrdup("");
	c = clip(s, max);
	o = str_oneline(c);
	free(c);
	return o;
}

/* Appends s for one line; NULL or empty becomes dflt. */
static void
put_line_text(struct buf *b, const char *s, size_t max, const char *dflt)
{
	char	*o = line_text(s, max);

	buf_puts(b, *o ? o : dflt);
	free(o);
}

/* The place a place was found through ("Syria (via Homs)"), or NULL. */
static const char *
place_via(const struct alert *a, const char *place)
{
	size_t	i;

	for (i = 0; i < a->nmatches; i++) {
		const struct alert_match *m = &a->matches[i];

		if (m->via && m->kind && m->name && strcmp(m->kind, "place") == 0 &&
		    strcmp(m->name, place) == 0)
			return m->via;
	}
	return NULL;
}

/* Appends "label: a, b" with places shown with their via; sep goes before it unless first. */
static void
put_list(struct buf *b, const struct alert *a, const char *label, char *const *v, size_t n,
    int places, int *first)
{
	const char	*via;
	size_t		 i;

	if (n == 0)
		return;
	buf_puts(b, *first ? "" : "; ");
	*first = 0;
	buf_puts(b, label);
	buf_puts(b, ": ");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		put_line_text(b, v[i], TEXT_MAX, "?");
		if (places && (via = place_via(a, v[i])) != NULL) {
			buf_puts(b, " (via ");
			put_line_text(b, via, TEXT_MAX, "?");
			buf_putc(b, ')');
		}
	}
}

/*
 * Appends " (why: Hezbollah \"Hizbullah\" in title: …snippet…; …)": per match, the alias that
 * hit, the field and a few words around it, so a person reading the log can judge the alert.
 */
static void
put_why(struct buf *b, const struct alert *a)
{
	const struct alert_match	*m;
	size_t				 i;

	if (a->nmatches == 0)
		return;
	buf_puts(b, " (why: ");
	for (i = 0; i < a->nmatches; i++) {
		m = &a->matches[i];
		if (i > 0)
			buf_puts(b, "; ");
		put_line_text(b, m->name, TEXT_MAX, "?");
		buf_puts(b, " \"");
		put_line_text(b, m->alias, TEXT_MAX, "?");
		buf_puts(b, "\" in ");
		put_line_text(b, m->field, TEXT_MAX, "?");
		if (m->snippet != NULL && *m->snippet != '\0') {
			buf_puts(b, ": ");
			put_line_text(b, m->snippet, SNIPPET_MAX, "");
		}
	}
	buf_putc(b, ')');
}

static void
format_text(const struct alert *a, struct buf *b)
{
	char	 when[21], *link, *p;
	int	 first = 1;
	size_t	 i;

	time_iso8601(a->time, when);
	buf_printf(b, "%s %s ", when, severity_name(a->severity));
	put_line_text(b, a->rule, TEXT_MAX, "?");
	buf_puts(b, " [");
	put_line_text(b, a->feed, TEXT_MAX, "?");
	buf_puts(b, "] ");
	/* Before the title, so the fields after it (link, lists) read as before. */
	if (a->update)
		buf_puts(b, "(updated) ");
	put_line_text(b, a->title, TEXT_MAX, "(no title)");
	link = line_text(a->link, LINK_MAX);
	if (*link) {
		/* A link is one word on the line: spaces would make it ambiguous. */
		buf_putc(b, ' ');
		for (p = link; *p; p++) {
			if (*p == ' ')
				buf_puts(b, "%20");
			else
				buf_putc(b, *p);
		}
	}
	free(link);
	if (a->nactors + a->nplaces + a->nkeywords > 0) {
		buf_puts(b, " (");
		put_list(b, a, "actors", a->actors, a->nactors, 0, &first);
		put_list(b, a, "places", a->places, a->nplaces, 1, &first);
		put_list(b, a, "keywords", a->keywords, a->nkeywords, 0, &first);
		buf_putc(b, ')');
	}
	if (a->nalso_in > 0) {
		buf_puts(b, " (also in: ");
		for (i = 0; i < a->nalso_in; i++) {
			if (i > 0)
				buf_puts(b, ", ");
			put_line_text(b, a->also_in[i], TEXT_MAX, "?");
		}
		buf_putc(b, ')');
	}
	put_why(b, a);
	buf_putc(b, '\n');
}

/* Appends s clipped to max as a JSON string (null when NULL). */
static void
json_str(struct buf *b, const char *s, size_t max)
{
	char	*c = clip(s, max);

	buf_json_string(b, c);
	free(c);
}

static void
json_list(struct buf *b, const char *key, char *const *v, size_t n)
{
	size_t	i;

	buf_printf(b, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_str(b, v[i], TEXT_MAX);
	}
	buf_putc(b, ']');
}

/* 1 if s is one of v[0..n). */
static int
in_list(char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * The places the JSON record names: each of the rule's places that fired, followed by the place
 * actually mentioned when it was found through a place inside it (Syria, then Homs), each name
 * once. The text line names the same places, the mentioned one as "(via Homs)". A new array of
 * borrowed pointers into a (free only the array).
 */
static char **
places_named(const struct alert *a, size_t *n)
{
	char		**v;
	size_t		 i, k = 0;

	v = xcalloc(a->nplaces + a->nmatches + 1, sizeof(*v));
	for (i = 0; i < a->nplaces; i++) {
		const char *via = place_via(a, a->places[i]);

		if (!in_list(v, k, a->places[i]))
			v[k++] = a->places[i];
		if (via != NULL && !in_list(v, k, via))
			v[k++] = (char *)via;
	}
	*n = k;
	return v;
}

static void
format_json(const struct alert *a, struct buf *b)
{
	const struct alert_match	*m;
	char				 when[21], **places;
	size_t				 i, nplaces;

	time_iso8601(a->time, when);
	buf_printf(b, "{\"time\":\"%s\",\"rule\":", when);
	json_str(b, a->rule, TEXT_MAX);
	buf_printf(b, ",\"severity\":\"%s\",\"feed\":", severity_name(a->severity));
	json_str(b, a->feed, TEXT_MAX);
	buf_puts(b, ",\"title\":");
	json_str(b, a->title, TEXT_MAX);
	buf_puts(b, ",\"link\":");
	json_str(b, a->link, LINK_MAX);
	buf_puts(b, ",\"id\":");
	json_str(b, a->item_id, LINK_MAX);
	buf_puts(b, ",\"published\":");
	json_str(b, a->published, TEXT_MAX);
	json_list(b, "actors", a->actors, a->nactors);
	places = places_named(a, &nplaces);
	json_list(b, "places", places, nplaces);
	free(places);
	json_list(b, "keywords", a->keywords, a->nkeywords);
	buf_puts(b, ",\"matches\":[");
	for (i = 0; i < a->nmatches; i++) {
		m = &a->matches[i];
		buf_puts(b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
		json_str(b, m->kind, TEXT_MAX);
		buf_puts(b, ",\"name\":");
		json_str(b, m->name, TEXT_MAX);
		buf_puts(b, ",\"alias\":");
		json_str(b, m->alias, TEXT_MAX);
		buf_puts(b, ",\"field\":");
		json_str(b, m->field, TEXT_MAX);
		buf_puts(b, ",\"snippet\":");
		json_str(b, m->snippet, TEXT_MAX);
		buf_puts(b, ",\"via\":");
		json_str(b, m->via, TEXT_MAX);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_list(b, "also_in", a->also_in, a->nalso_in);
	buf_printf(b, ",\"update\":%s}\n", a->update ? "true" : "false");
}

int
alert_format(const struct alert *a, enum alert_format format, struct buf *out)
{
	struct buf	b;

	/*
	 * Format into a scratch buffer, then append in one go: out gets the whole record or
	 * nothing. Every field is clipped, so a record only outgrows RECORD_MAX with a config
	 * that yields thousands of matches; the scratch buffer's much larger default cap means an
	 * append it drops also leaves its length far above RECORD_MAX, so no record with a hole
	 * gets through.
	 */
	buf_init(&b, 0);
	if (format == ALERT_FORMAT_JSONL)
		format_json(a, &b);
	else
		format_text(a, &b);
	if (b.len > RECORD_MAX || buf_append(out, b.data, b.len) == -1) {
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}

/*
 * Appends s for a notification body, escaping only what the servers' markup subset (b, i, u, a
 * and entities) needs: &, < and >. Apostrophes and quotes stay as they are, because a server
 * without body-markup shows the body raw, and "&#39;" there is worse than a stray quote.
 */
static void
put_markup(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* Appends one body line "Label: a, b" (escaped), nothing when the list is empty. */
static void
body_list(struct buf *b, const struct alert *a, const char *label, char *const *v, size_t n,
    int places)
{
	struct buf	 line;
	int		 first = 1;

	if (n == 0)
		return;
	buf_init(&line, 0);
	put_list(&line, a, label, v, n, places, &first);
	if (b->len > 0)
		buf_putc(b, '\n');
	put_markup(b, line.data);
	buf_free(&line);
}

void
alert_notify_text(const struct alert *a, char **summary, char **body)
{
	struct buf	 b;
	char		*t;

	/* The summary is plain text by the specification: nothing is escaped in it. */
	buf_init(&b, 0);
	t = line_text(a->rule, TEXT_MAX);
	buf_puts(&b, t);
	free(t);
	buf_puts(&b, a->update ? ": (updated) " : ": ");
	t = line_text(a->title, NOTIFY_TITLE_MAX);
	buf_puts(&b, *t ? t : "(no title)");
	free(t);
	*summary = buf_steal(&b);

	buf_init(&b, 0);
	body_list(&b, a, "Actors", a->actors, a->nactors, 0);
	body_list(&b, a, "Places", a->places, a->nplaces, 1);
	body_list(&b, a, "Keywords", a->keywords, a->nkeywords, 0);
	if (b.len > 0)
		buf_putc(&b, '\n');
	buf_puts(&b, "Feed: ");
	t = line_text(a->feed, TEXT_MAX);
	put_markup(&b, t);
	free(t);
	t = line_text(a->link, LINK_MAX);
	if (*t) {
		buf_putc(&b, '\n');
		put_markup(&b, t);
	}
	free(t);
	*body = buf_steal(&b);
}

/*
 * O_RDWR rather than O_WRONLY only so that we can pread the file's last byte; O_APPEND still
 * puts every write at the end, whoever else appends.
 */
static int
open_log(const char *path)
{
	return open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* 1 if the file is empty, not a regular file, or ends in '\n'; 0 if a line is left unfinished. */
static int
ends_in_newline(int fd)
{
	struct stat	st;
	char		c;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 1;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return 1;
	return c == '\n';
}

struct alert_log *
alert_log_open(const char *path, enum alert_format format)
{
	struct alert_log	*l;
	char			*dir, *slash;
	int			 fd;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700) == -1) {
			log_warn("%s: creating the alert log directory", dir);
			free(dir);
			return NULL;
		}
	}
	free(dir);
	if ((fd = open_log(path)) == -1) {
		log_warn("%s: opening the alert log", path);
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->path = xstrdup(path);
	l->format = format;
	l->complete = ends_in_newline(fd);
	buf_init(&l->buf, RECORD_MAX + 1);
	return l;
}

int
alert_log_write(struct alert_log *l, const struct alert *a)
{
	ssize_t	n;

	buf_reset(&l->buf);
	/* A line cut short by an earlier failed write is ended first, in the same write, so the
	 * broken line stays alone and this record starts a line of its own. */
	if (!l->complete)
		buf_putc(&l->buf, '\n');
	if (alert_format(a, l->format, &l->buf) == -1) {
		log_warnx("%s: alert %lld does not fit in a record", l->path, (long long)a->id);
		errno = EMSGSIZE;
		return -1;
	}
	/*
	 * One write() per record with O_APPEND: concurrent appenders and a reader running tail -f
	 * never see half of one record followed by another. A short write (disk full, file size
	 * limit) leaves a partial line: we report failure, the caller keeps the alert pending and
	 * writes it whole later, and that next write starts with the newline that ends the
	 * fragment (complete = 0).
	 */
	do
		n = write(l->fd, l->buf.data, l->buf.len);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		log_warn("%s: writing an alert", l->path);
		return -1;
	}
	if ((size_t)n < l->buf.len) {
		if (n > 0)
			l->complete = l->buf.data[n - 1] == '\n';
		log_warnx("%s: short write (%zd of %zu bytes): the alert stays pending", l->path,
		    n, l->buf.len);
		errno = ENOSPC;
		return -1;
	}
	l->complete = 1;
	return 0;
}

int
alert_log_fd(const struct alert_log *l)
{
	return l->fd;
}

int
alert_log_reopen(struct alert_log *l)
{
	int	fd;

	if ((fd = open_log(l->path)) == -1) {
		log_warn("%s: reopening the alert log (still writing to the old file)", l->path);
		return -1;
	}
	close(l->fd);
	l->fd = fd;
	l->complete = ends_in_newline(fd);
	return 0;
}

int
alert_log_gone(struct alert_log *l)
{
	struct stat	fst, pst;

	if (fstat(l->fd, &fst) == -1)
		return 0;
	if (fst.st_nlink == 0)
		return 1;
	if (stat(l->path, &pst) == -1)
		return errno == ENOENT;
	return fst.st_dev != pst.st_dev || fst.st_ino != pst.st_ino;
}

void
alert_log_close(struct alert_log *l)
{
	if (l == NULL)
		return;
	if (close(l->fd) == -1)
		log_warn("%s: close", l->path);
	free(l->path);
	buf_free(&l->buf);
	free(l);
}

/* 64-bit FNV-1a over n bytes. */
static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
alert_log_next(struct alert_log *l, struct alert_logpos *next)
{
	struct stat	st;

	memset(next, 0, sizeof(*next));
	if (fstat(l->fd, &st) == -1) {
		log_warn("%s: fstat", l->path);
		return -1;
	}
	next->dev = (uint64_t)st.st_dev;
	next->ino = (uint64_t)st.st_ino;
	/* alert_log_write ends a fragment left by a short write first: one byte more. */
	next->off = (int64_t)st.st_size + (l->complete ? 0 : 1);
	return 0;
}

int
alert_log_plan(struct alert_log *l, const struct alert *a, struct alert_logpos *pos)
{
	buf_reset(&l->buf);
	if (alert_format(a, l->format, &l->buf) == -1) {
		errno = EMSGSIZE;
		return -1;
	}
	pos->len = l->buf.len;
	pos->hash = fnv1a(l->buf.data, l->buf.len);
	return 0;
}

int
alert_log_check(struct alert_log *l, const struct alert_logpos *pos)
{
	struct stat	 st;
	char		*p;
	ssize_t		 n = 0;
	size_t		 got = 0;
	int		 r;

	if (pos->len == 0 || pos->len > RECORD_MAX + 1 || pos->off < 0)
		return 0;
	if (fstat(l->fd, &st) == -1) {
		log_warn("%s: fstat", l->path);
		return -1;
	}
	/* Another file (logrotate moved ours) or one cut shorter (truncated): not there. */
	if ((uint64_t)st.st_dev != pos->dev || (uint64_t)st.st_ino != pos->ino ||
	    (uint64_t)st.st_size < (uint64_t)pos->off + pos->len)
		return 0;
	p = xmalloc(pos->len);
	while (got < pos->len) {
		n = pread(l->fd, p + got, pos->len - got, (off_t)(pos->off + (int64_t)got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < pos->len) {
		if (n == -1)
			log_warn("%s: reading back an alert record", l->path);
		free(p);
		return n == -1 ? -1 : 0;
	}
	r = fnv1a(p, pos->len) == pos->hash;
	free(p);
	return r;
}

void
alert_notify_summary(const char *rule, unsigned more, unsigned period, const char *log_path,
    const char *const *titles, size_t ntitles, char **summary, char **body)
{
	struct buf	 b;
	char		*t;
	size_t		 i;

	buf_init(&b, 0);
	t = line_text(rule, TEXT_MAX);
	buf_printf(&b, "%u more for %s", more, t);	/* plain text, like every summary */
	free(t);
	*summary = buf_steal(&b);
	buf_init(&b, 0);
	if (ntitles > more)
		ntitles = more;
	for (i = 0; i < ntitles; i++) {
		if (i > 0)
			buf_puts(&b, "; ");
		t = line_text(titles[i], NOTIFY_TITLE_MAX);
		put_markup(&b, *t ? t : "(no title)");
		free(t);
	}
	if (ntitles > 0) {
		if (more > ntitles)
			buf_printf(&b, "; and %zu more", more - ntitles);
		buf_putc(&b, '\n');
	}
	if (period >= 60)
		buf_printf(&b, "In the last %u min. ", (period + 59) / 60);
	buf_puts(&b, "Every alert is in the alert log");
	if (log_path != NULL) {
		t = line_text(log_path, LINK_MAX);
		buf_puts(&b, ": ");
		put_markup(&b, t);
		free(t);
	}
	buf_putc(&b, '.');
	*body = buf_steal(&b);
}
