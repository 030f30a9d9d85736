/* tmsg.c: the push targets' messages: JSON records, ntfy, Slack, Matrix, mail, MQTT topics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "tmsg.h"

char *
tmsg_key(const struct alert *a, size_t n, int digest)
{
	if (!digest && a[0].id < 0)
		return xasprintf("newswatch-test-%lld", -(long long)a[0].id);
	if (!digest)
		return xasprintf("newswatch-%lld", (long long)a[0].id);
	return xasprintf("newswatch-digest-%lld-%lld-%zu", (long long)a[0].id,
	    (long long)a[n - 1].id, n);
}

/* The highest severity among the alerts. */
static int
top_severity(const struct alert *a, size_t n)
{
	size_t	i;
	int	s = SEV_LOW;

	for (i = 0; i < n; i++)
		if (a[i].severity > s)
			s = a[i].severity;
	return s;
}

/* One record with "alert_id" and "key" put first. */
static int
json_record(const struct alert *a, struct buf *out)
{
	struct buf	 rec;
	char		*key = tmsg_key(a, 1, 0);
	int		 r;

	buf_init(&rec, TMSG_MAX);
	if ((r = alert_format(a, ALERT_FORMAT_JSONL, &rec)) == 0) {
		/* alert_format ends the object with a newline: the record is "{...}\n". */
		buf_printf(out, "{\"alert_id\":%lld,\"key\":", (long long)a->id);
		buf_json_string(out, key);
		buf_putc(out, ',');
		r = buf_append(out, rec.data + 1, rec.len - 2);
	}
	buf_free(&rec);
	free(key);
	return r;
}

/* The rules of a digest in order of first appearance, with the index of each alert's. */
struct group {
	const char	*rule;
	size_t		 count;
};

static size_t
groups_of(const struct alert *a, size_t n, struct group **out)
{
	struct group	*g = NULL;
	size_t		 ng = 0, i, j;

	for (i = 0; i < n; i++) {
		const char *rule = a[i].rule ? a[i].rule : "?";

		for (j = 0; j < ng && strcmp(g[j].rule, rule) != 0; j++)
			;
		if (j == ng) {
			g = xreallocarray(g, ng + 1, sizeof(*g));
			g[ng].rule = rule;
			g[ng++].count = 0;
		}
		g[j].count++;
	}
	*out = g;
	return ng;
}

static const char *
rule_of(const struct alert *a)
{
	return a->rule ? a->rule : "?";
}

static const char *
title_of(const struct alert *a)
{
	return a->title && *a->title ? a->title : "(no title)";
}

int
tmsg_json(const struct alert *a, size_t n, int digest, struct buf *out)
{
	struct group	*g;
	size_t		 ng, i, j, k;
	char		*key;

	if (!digest)
		return json_record(a, out);
	key = tmsg_key(a, n, 1);
	buf_puts(out, "{\"key\":");
	buf_json_string(out, key);
	free(key);
	buf_printf(out, ",\"digest\":true,\"count\":%zu,\"rules\":[", n);
	ng = groups_of(a, n, &g);
	for (i = 0; i < ng; i++) {
		buf_puts(out, i ? ",{\"rule\":" : "{\"rule\":");
		buf_json_string(out, g[i].rule);
		buf_printf(out, ",\"count\":%zu,\"titles\":[", g[i].count);
		for (j = k = 0; j < n && k < TMSG_DIGEST_TITLES; j++) {
			if (strcmp(rule_of(&a[j]), g[i].rule) != 0)
				continue;
			if (k++ > 0)
				buf_putc(out, ',');
			buf_json_string(out, title_of(&a[j]));
		}
		buf_puts(out, "]}");
	}
	free(g);
	buf_puts(out, "],\"alerts\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		if (json_record(&a[i], out) == -1)
			return -1;
	}
	return buf_puts(out, "]}");
}

/* Undoes the &amp; &lt; &gt; that alert_notify_text put in a pop-up body. */
static void
put_unescaped(struct buf *b, const char *s)
{
	while (*s != '\0') {
		if (strncmp(s, "&amp;", 5) == 0) {
			buf_putc(b, '&');
			s += 5;
		} else if (strncmp(s, "&lt;", 4) == 0) {
			buf_putc(b, '<');
			s += 4;
		} else if (strncmp(s, "&gt;", 4) == 0) {
			buf_putc(b, '>');
			s += 4;
		} else
			buf_putc(b, *s++);
	}
}

void
tmsg_text(const struct alert *a, size_t n, int digest, char **title, char **body, char **link)
{
	struct buf	 b;
	struct group	*g;
	size_t		 ng, i, j, k;
	char		*summary, *text, *t;

	*link = NULL;
	if (!digest) {
		alert_notify_text(a, &summary, &text);
		*title = summary;
		buf_init(&b, TMSG_MAX);
		put_unescaped(&b, text);
		free(text);
		*body = buf_steal(&b);
		if (a->link != NULL && *a->link != '\0')
			*link = str_oneline(a->link);
		return;
	}
	*title = xasprintf("newswatch digest: %zu alert%s", n, plural(n));
	buf_init(&b, TMSG_MAX);
	ng = groups_of(a, n, &g);
	for (i = 0; i < ng; i++) {
		buf_printf(&b, "%s%s (%zu)\n", i ? "\n" : "", g[i].rule, g[i].count);
		for (j = k = 0; j < n; j++) {
			if (strcmp(rule_of(&a[j]), g[i].rule) != 0)
				continue;
			if (k++ == TMSG_DIGEST_TITLES)
				break;
			t = str_oneline(title_of(&a[j]));
			buf_printf(&b, "- %s", t);
			free(t);
			if (a[j].link != NULL && *a[j].link != '\0') {
				t = str_oneline(a[j].link);
				buf_printf(&b, " %s", t);
				free(t);
			}
			buf_putc(&b, '\n');
		}
		if (g[i].count > TMSG_DIGEST_TITLES)
			buf_printf(&b, "and %zu more\n", g[i].count - TMSG_DIGEST_TITLES);
	}
	free(g);
	*body = buf_steal(&b);
}

int
tmsg_ntfy(const char *topic, const struct alert *a, size_t n, int digest, struct buf *out)
{
	static const int	 prio[] = { 2, 3, 5 };
	char			*title, *body, *link;
	int			 sev = top_severity(a, n);
	struct group		*g;
	size_t			 ng, i;

	tmsg_text(a, n, digest, &title, &body, &link);
	buf_puts(out, "{\"topic\":");
	buf_json_string(out, topic);
	buf_puts(out, ",\"title\":");
	buf_json_string(out, title);
	buf_puts(out, ",\"message\":");
	buf_json_string(out, body);
	buf_printf(out, ",\"priority\":%d,\"tags\":[", prio[sev >= 0 && sev <= 2 ? sev : 1]);
	ng = groups_of(a, n, &g);
	for (i = 0; i < ng; i++) {
		if (i > 0)
			buf_putc(out, ',');
		buf_json_string(out, g[i].rule);
	}
	free(g);
	if (sev == SEV_CRITICAL)
		buf_puts(out, ",\"warning\"");
	buf_putc(out, ']');
	if (link != NULL) {
		buf_puts(out, ",\"click\":");
		buf_json_string(out, link);
	}
	free(title);
	free(body);
	free(link);
	return buf_putc(out, '}');
}

/* Escapes the three characters Slack's mrkdwn and HTML give a meaning to. */
static void
put_escaped(struct buf *b, const char *s, int quotes)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else if (quotes && *s == '"')
			buf_puts(b, "&quot;");
		else
			buf_putc(b, *s);
	}
}

int
tmsg_slack(const struct alert *a, size_t n, int digest, struct buf *out)
{
	struct buf	 text;
	char		*title, *body, *link;
	int		 r;

	tmsg_text(a, n, digest, &title, &body, &link);
	buf_init(&text, TMSG_MAX);
	buf_putc(&text, '*');
	put_escaped(&text, title, 0);
	buf_puts(&text, "*\n");
	put_escaped(&text, body, 0);
	buf_puts(out, "{\"text\":");
	buf_json_string(out, text.data);
	r = buf_putc(out, '}');
	buf_free(&text);
	free(title);
	free(body);
	free(link);
	return r;
}

int
tmsg_matrix(const struct alert *a, size_t n, int digest, struct buf *out)
{
	struct buf	 plain, html;
	char		*title, *body, *link, *line, *nl;
	int		 r;

	tmsg_text(a, n, digest, &title, &body, &link);
	buf_init(&plain, TMSG_MAX);
	buf_init(&html, TMSG_MAX);
	buf_printf(&plain, "%s\n%s", title, body);
	buf_puts(&html, "<strong>");
	put_escaped(&html, title, 1);
	buf_puts(&html, "</strong>");
	for (line = body; *line != '\0'; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		buf_puts(&html, "<br>");
		put_escaped(&html, line, 1);
		if (nl == NULL)
			break;
	}
	if (link != NULL) {
		buf_puts(&html, "<br><a href=\"");
		put_escaped(&html, link, 1);
		buf_puts(&html, "\">link</a>");
	}
	buf_puts(out, "{\"msgtype\":\"m.text\",\"body\":");
	buf_json_string(out, plain.data);
	buf_puts(out, ",\"format\":\"org.matrix.custom.html\",\"formatted_body\":");
	buf_json_string(out, html.data);
	r = buf_putc(out, '}');
	buf_free(&plain);
	buf_free(&html);
	free(title);
	free(body);
	free(link);
	return r;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of n bytes of s; a line break every 76 characters when wrap. */
static void
put_base64(struct buf *b, const unsigned char *s, size_t n, int wrap)
{
	size_t		i, col = 0;
	unsigned	v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_putc(b, b64[v >> 18 & 63]);
		buf_putc(b, b64[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_putc(b, i + 2 < n ? b64[v & 63] : '=');
		if (wrap && (col += 4) == 76) {
			buf_puts(b, "\r\n");
			col = 0;
		}
	}
	if (wrap && col > 0)
		buf_puts(b, "\r\n");
}

/*
 * A header value: as is when printable ASCII, else RFC 2047 encoded words of at most 39 bytes
 * each (52 base64 characters, so even the first line, after "Subject: ", stays under 78), cut
 * on UTF-8 boundaries and folded onto continuation lines.
 */
static void
put_header_text(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n = strlen(s), k, len;

	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f; i++)
		;
	if (i == n) {
		buf_puts(b, s);
		return;
	}
	for (i = 0; i < n; i += len) {
		for (len = 0; i + len < n; len += k) {
			if ((k = utf8_seq(p + i + len, n - i - len)) == 0)
				k = 1;
			if (len + k > 39)
				break;
		}
		if (i > 0)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		put_base64(b, p + i, len, 0);
		buf_puts(b, "?=");
	}
}

int
tmsg_email(const struct conf_target *t, const struct alert *a, size_t n, int digest,
    time_t now, struct buf *out)
{
	struct buf	 text;
	char		*title, *body, *link, *key, date[64];
	struct tm	 tm;
	size_t		 i;
	int		 r;

	tmsg_text(a, n, digest, &title, &body, &link);
	key = tmsg_key(a, n, digest);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(out, "From: %s\r\nTo: ", t->from);
	for (i = 0; i < t->nto; i++)
		buf_printf(out, "%s%s", i ? ", " : "", t->to[i]);
	buf_puts(out, "\r\nSubject: ");
	put_header_text(out, title);
	buf_printf(out, "\r\nDate: %s\r\nMessage-ID: <%s@newswatch>\r\n", date, key);
	buf_printf(out, "X-Newswatch-Key: %s\r\n", key);
	buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	buf_init(&text, TMSG_MAX);
	buf_printf(&text, "%s\n\n%s", title, body);
	put_base64(out, (const unsigned char *)text.data, text.len, 1);
	r = out->len + 1 >= TMSG_MAX ? -1 : 0;
	buf_free(&text);
	free(title);
	free(body);
	free(link);
	free(key);
	return r;
}

/* A topic level's value: no separator or wildcard, never empty. */
static void
put_level(struct buf *b, const char *v)
{
	if (v == NULL || *v == '\0')
		v = "_";
	for (; *v != '\0'; v++)
		buf_putc(b, *v == '/' || *v == '+' || *v == '#' ? '_' : *v);
}

char *
tmsg_topic(const char *pattern, const struct alert *a, int digest)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, 65535);
	for (p = pattern; *p != '\0'; p++) {
		if (strncmp(p, "{rule}", 6) == 0) {
			put_level(&b, digest ? "digest" : a->rule);
			p += 5;
		} else if (strncmp(p, "{severity}", 10) == 0) {
			put_level(&b, conf_severity_name((enum severity)a->severity));
			p += 9;
		} else if (strncmp(p, "{feed}", 6) == 0) {
			put_level(&b, digest ? "digest" : a->feed);
			p += 5;
		} else
			buf_putc(&b, *p);
	}
	return buf_steal(&b);
}
