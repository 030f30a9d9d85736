/* fuzz_article.c: libFuzzer target for the article extractor: however cut, the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "fuzz.h"
#include "util.h"

/*
 * Input layout: byte 0 picks the HTTP charset (bits 0-1), small limits or the defaults (bit 2)
 * and the piece size (1 + the high nibble); bytes 1-2 (big endian) pick where the page is cut in
 * two (modulo its length), and the second part is fed in pieces. The rest is the page. It goes
 * through the extractor whole and cut, and the property is checked: the same text or the same
 * error; text that is valid UTF-8 without control characters, within max_text, one block a
 * line with no empty line and no space at either end of a line.
 */
static char *
run(const struct article_limits *lim, const char *cs, const char *doc, size_t len, size_t split,
    size_t step, char *why, size_t whylen)
{
	struct article	*a = article_new("fuzz", cs, lim);
	size_t		 off, n;
	char		*s = NULL;
	int		 r;

	r = article_feed(a, doc, split);
	for (off = split; r == 0 && off < len; off += n) {
		n = len - off < step ? len - off : step;
		r = article_feed(a, doc + off, n);
	}
	if (r == 0)
		s = article_finish(a);
	if (s == NULL && article_error(a) == NULL)
		abort();	/* every failure says why */
	why[0] = '\0';
	if (s == NULL)
		strncat(why, article_error(a), whylen - 1);
	article_free(a);
	return s;
}

static void
check_text(const char *s, size_t max)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n;

	if (len == 0 || len > max || s[0] == '\n' || s[0] == ' ' || s[len - 1] == '\n' ||
	    s[len - 1] == ' ' || strstr(s, "\n\n") != NULL || strstr(s, " \n") != NULL ||
	    strstr(s, "\n ") != NULL || strstr(s, "  ") != NULL)
		abort();
	while (i < len) {
		if ((n = utf8_seq(u + i, len - i)) == 0)
			abort();
		if (n == 1 && ((u[i] < ' ' && u[i] != '\n') || u[i] == 0x7f))
			abort();	/* control characters become spaces */
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "utf-8", "windows-1252", "iso-8859-15" };
	struct article_limits	 lim;
	const char		*doc, *cs;
	char			*whole, *cut, why1[200], why2[200];
	size_t			 len, split, step;

	if (size < 3)
		return 0;
	article_limits_default(&lim);
	if (data[0] & 4) {
		lim.max_bytes = 8000;
		lim.max_text = 2000;
		lim.max_depth = 12;
		lim.max_nodes = 300;
	}
	cs = charsets[data[0] & 3];
	step = 1 + (data[0] >> 4);
	doc = (const char *)data + 3;
	len = size - 3;
	split = len > 0 ? ((size_t)data[1] << 8 | data[2]) % len : 0;
	whole = run(&lim, cs, doc, len, len, 1, why1, sizeof(why1));
	cut = run(&lim, cs, doc, len, split, step, why2, sizeof(why2));
	if ((whole == NULL) != (cut == NULL))
		abort();
	if (whole != NULL) {
		if (strcmp(whole, cut) != 0)
			abort();
		check_text(whole, lim.max_text);
	} else if (strcmp(why1, why2) != 0)
		abort();
	free(whole);
	free(cut);
	return 0;
}
