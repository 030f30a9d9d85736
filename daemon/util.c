/* util.c: checked allocation, bounded buffers, JSON string output, times and paths. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "util.h"

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("malloc %zu", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		fatal("calloc %zu x %zu", nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		fatal("reallocarray %zu x %zu", nmemb, size);
	}
	p = realloc(ptr, nmemb * size > 0 ? nmemb * size : 1);
	if (p == NULL)
		fatal("reallocarray %zu x %zu", nmemb, size);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL)
		fatal("strdup");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = strndup(s, n);

	if (p == NULL)
		fatal("strndup");
	return p;
}

char *
xstrcat3(const char *a, const char *b, const char *c)
{
	size_t	 na = strlen(a), nb = strlen(b), nc = strlen(c);
	char	*p;

	if (nb > SIZE_MAX - 1 - na || nc > SIZE_MAX - 1 - na - nb)
		fatal("xstrcat3: %zu + %zu + %zu bytes", na, nb, nc);
	p = xmalloc(na + nb + nc + 1);
	memcpy(p, a, na);
	memcpy(p + na, b, nb);
	memcpy(p + na + nb, c, nc + 1);
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*p;

	if (vasprintf(&p, fmt, ap) == -1)
		fatal("vasprintf");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	size_t	 want, cap;
	char	*d;

	if (b->max == 0)
		b->max = BUF_DEFAULT_MAX;
	/* Check before growing, so a hostile length cannot wrap. */
	if (n > b->max || b->len > b->max - n)
		return -1;
	want = b->len + n + 1;
	if (want > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < want)
			cap = cap > SIZE_MAX / 2 ? want : cap * 2;
		if ((d = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *big;
	int	 n, r;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	r = buf_append(b, big, (size_t)n);
	free(big);
	return r;
}

int
buf_put_utf8(struct buf *b, unsigned cp)
{
	char	u[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (char)cp;
		return buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return buf_append(b, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return buf_append(b, u, 4);
}

size_t
utf8_seq(const unsigned char *s, size_t left)
{
	uint32_t	cp;

	return utf8_decode(s, left, &cp);
}

size_t
utf8_decode(const unsigned char *s, size_t left, uint32_t *out)
{
	uint32_t	cp;
	size_t		n, i;

	if (s[0] < 0x80) {
		*out = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return n;
}

char *
str_utf8(const char *s, size_t len, int *replaced)
{
	struct buf	 b;
	size_t		 i, n, run = 0;

	if (replaced)
		*replaced = 0;
	buf_init(&b, 0);
	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq((const unsigned char *)s + i, len - i)) > 0)
			continue;
		/* Valid runs are copied whole; only a bad byte costs a call of its own. */
		buf_append(&b, s + run, i - run);
		buf_put_utf8(&b, 0xfffd);
		if (replaced)
			*replaced = 1;
		n = 1;
		run = i + 1;
	}
	buf_append(&b, s + run, len - run);
	return buf_steal(&b);
}

/*
 * The length of the character at s if JSON strings and one-line text copy it as it is: valid
 * UTF-8 that is not a C0 or C1 control, DEL, or U+2028/2029; 0 if it needs attention. ASCII is
 * decided here without utf8_seq, since nearly all text is ASCII.
 */
static size_t
plain_char(const unsigned char *s, size_t left)
{
	size_t	 n;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if ((n = utf8_seq(s, left)) == 0 ||
	    (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) ||
	    (n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)))
		return 0;
	return n;
}

/*
 * Characters that need no escape are appended in runs, not one at a time: the alert log's JSON
 * lines were a tenth of a cold poll's processor time, most of it in a buf_append per byte. Past
 * the buffer's cap the string is cut where a run starts rather than at a character: -1 either way.
 */
int
buf_json_string(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	size_t			 left, n;
	int			 r = 0;

	if (s == NULL)
		return buf_puts(b, "null");
	left = strlen(s);
	r |= buf_putc(b, '"');
	run = p;
	while (left > 0) {
		/* Printable ASCII first, without a call: it is nearly all of an alert's text. */
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			p++;
			left--;
			continue;
		}
		if ((n = plain_char(p, left)) > 0 && *p != '"' && *p != '\\') {
			p += n;
			left -= n;
			continue;
		}
		r |= buf_append(b, run, (size_t)(p - run));
		if (*p == '"' || *p == '\\') {
			r |= buf_putc(b, '\\');
			r |= buf_putc(b, (char)*p);
			n = 1;
		} else if (*p == '\n') {
			r |= buf_puts(b, "\\n"), n = 1;
		} else if (*p == '\t') {
			r |= buf_puts(b, "\\t"), n = 1;
		} else if (*p == '\r') {
			r |= buf_puts(b, "\\r"), n = 1;
		} else if (*p < 0x20 || *p == 0x7f) {
			r |= buf_printf(b, "\\u%04x", *p), n = 1;
		} else if ((n = utf8_seq(p, left)) == 0) {
			r |= buf_puts(b, "\xef\xbf\xbd"), n = 1;
		} else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			/* C1 controls are valid JSON but a raw CSI (U+009B) acts on a terminal. */
			r |= buf_printf(b, "\\u%04x", p[1]);
		} else {
			/* U+2028/2029 are valid JSON but break JavaScript readers and some tails. */
			r |= buf_printf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
		}
		p += n;
		left -= n;
		run = p;
	}
	r |= buf_append(b, run, (size_t)(p - run));
	r |= buf_putc(b, '"');
	return r ? -1 : 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_steal(struct buf *b)
{
	char	*s = b->data;

	if (s == NULL)
		s = xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
time_iso8601(time_t t, char out[21])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(out, "1970-01-01T00:00:00Z");
}

/*
 * Copies characters in runs, as buf_json_string does; a run ends where a byte is dropped. Past
 * the buffer's cap the text is cut where a run starts.
 */
char *
str_oneline(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *run = p;
	size_t			 left = strlen(s), n;
	struct buf		 b;
	int			 space = 0;

	buf_init(&b, 0);
	while (left > 0) {
		if ((n = plain_char(p, left)) == 0) {
			/* Control characters (escape sequences, newlines) become one space. */
			if (buf_append(&b, run, (size_t)(p - run)) == -1)
				break;
			if (!space && b.len > 0)
				buf_putc(&b, ' ');
			space = 1;
			n = utf8_seq(p, left);
			p += n ? n : 1;
			left -= n ? n : 1;
			run = p;
			continue;
		}
		/* Leading spaces and runs of spaces go; b.len does not count the run yet. */
		if (*p == ' ' && (space || (b.len == 0 && p == run))) {
			if (buf_append(&b, run, (size_t)(p - run)) == -1)
				break;
			p++;
			left--;
			run = p;
			continue;
		}
		space = (*p == ' ');
		p += n;
		left -= n;
	}
	if (left == 0)
		buf_append(&b, run, (size_t)(p - run));
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

/*
 * The largest unit that divides seconds exactly, as a configuration file would say it: 2592000 is
 * "30d", 5400 "90m", 90 "90s", 0 "0s". Exact rather than rounded, so what is printed reads back
 * as the same number of seconds.
 */
void
fmt_duration(unsigned seconds, char *buf, size_t len)
{
	if (seconds == 0)
		snprintf(buf, len, "0s");
	else if (seconds % 86400 == 0)
		snprintf(buf, len, "%ud", seconds / 86400);
	else if (seconds % 3600 == 0)
		snprintf(buf, len, "%uh", seconds / 3600);
	else if (seconds % 60 == 0)
		snprintf(buf, len, "%um", seconds / 60);
	else
		snprintf(buf, len, "%us", seconds);
}

char *
path_expand(const char *path)
{
	const char	*home;

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
		if ((home = getenv("HOME")) == NULL || *home == '\0')
			home = "/";
		return xasprintf("%s%s", home, path + 1);
	}
	return xstrdup(path);
}

int
mkdir_p(const char *path, int mode)
{
	char	*p, *s;
	int	 r = 0;

	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) == -1 && errno != EEXIST) {
			r = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return r;
}

uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
http_charset(const char *ct)
{
	const char	*s;
	size_t		 n;

	if (ct == NULL || (s = strcasestr(ct, "charset=")) == NULL)
		return NULL;
	s += 8;
	if (*s == '"' || *s == '\'')
		s++;
	n = strcspn(s, "\"'; \t");
	return n > 0 ? xstrndup(s, n) : NULL;
}
