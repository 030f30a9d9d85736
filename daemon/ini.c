/* ini.c: splits an INI file into numbered lines of known kinds (see ini.h for the syntax). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "util.h"

/*
 * The reader keeps all its state in struct ini, so several files can be read at once on
 * different threads. It knows nothing of newswatch's sections or keys: the caller checks those,
 * and can report every problem with its line because each line arrives with its number.
 */

/* Only ASCII white space: bytes of UTF-8 sequences must never count as space. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char *
lskip(char *s)
{
	while (is_space((unsigned char)*s))
		s++;
	return s;
}

static char *
rstrip(char *s)
{
	char	*e = s + strlen(s);

	while (e > s && is_space((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * The first of chars in s, or the ';' of a " ;" comment, or the end of s. A ';' right at s is
 * no comment: the callers start s after the text it would have to follow ("[", "=").
 */
static char *
find_or_comment(char *s, const char *chars)
{
	int	 was_space = 0;

	for (; *s != '\0'; s++) {
		if (chars != NULL && strchr(chars, *s) != NULL)
			break;
		if (was_space && *s == ';')
			break;
		was_space = is_space((unsigned char)*s);
	}
	return s;
}

void
ini_init(struct ini *r, FILE *fp, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->max = max;
	r->buf = xmalloc(max + 2);
	r->key = xmalloc(max + 1);
	r->key[0] = '\0';
}

void
ini_free(struct ini *r)
{
	free(r->buf);
	free(r->key);
	r->buf = r->key = NULL;
}

/*
 * Reads one line into buf, newline included. Returns its length, 0 at the end of the file or -1
 * on a read error. *bad is set to a message when the line cannot be used (it is then consumed
 * whole, so the next line starts where it should).
 */
static long
read_line(struct ini *r, const char **bad)
{
	int	 c, nul = 0;
	size_t	 n = 0, total = 0;

	*bad = NULL;
	while ((c = getc(r->fp)) != EOF) {
		total++;
		if (c == '\0')
			nul = 1;
		if (n < r->max + 1)
			r->buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (total == 0)
		return ferror(r->fp) ? -1 : 0;
	r->buf[n] = '\0';
	if (nul) {
		*bad = "line contains a NUL byte";
	} else if (total - (c == '\n') > r->max) {
		snprintf(r->msg, sizeof(r->msg), "line is longer than %zu bytes", r->max);
		*bad = r->msg;
	}
	return (long)n;
}

/* "[name] ; comment". A good header ends the key above; a broken one leaves it. */
static void
header(struct ini *r, char *s, struct ini_line *l)
{
	char	*end = find_or_comment(s + 1, "]");

	l->kind = INI_SECTION;
	if (*end != ']') {
		/* The key above is kept, as inih did: the caller ignores what follows anyway. */
		l->error = "expected ] to close the section header";
		return;
	}
	*end = '\0';
	l->name = s + 1;
	r->key[0] = '\0';
	end = lskip(end + 1);
	if (*end != '\0' && *end != ';' && *end != '#')
		l->error = "unexpected text after the section header";
}

int
ini_next(struct ini *r, struct ini_line *l)
{
	const char	*bad;
	char		*line, *s, *end;
	long		 n;
	int		 indented;

	if ((n = read_line(r, &bad)) <= 0)
		return (int)n;
	memset(l, 0, sizeof(*l));
	l->lineno = ++r->lineno;
	if (bad != NULL) {
		l->kind = INI_ERROR;
		l->error = bad;
		return 1;
	}
	line = r->buf;
	if (r->lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	s = lskip(rstrip(line));
	indented = s > line;

	if (*s == '\0' || *s == ';' || *s == '#') {
		l->kind = INI_EMPTY;
	} else if (indented && r->key[0] != '\0') {
		/* As in Python's configparser: an indented line goes on with the key above. */
		*find_or_comment(s, NULL) = '\0';
		l->kind = INI_MORE;
		l->key = r->key;
		l->value = rstrip(s);
	} else if (*s == '[') {
		header(r, s, l);
	} else if (*(end = find_or_comment(s, "=:")) == '=' || *end == ':') {
		*end = '\0';
		l->kind = INI_KEY;
		l->key = rstrip(s);
		*find_or_comment(end + 1, NULL) = '\0';
		l->value = rstrip(lskip(end + 1));
		strcpy(r->key, l->key);	/* fits: the key is part of a line */
	} else {
		l->kind = INI_ERROR;
		l->error = "expected key = value, a [section] or a ; comment";
	}
	return 1;
}
