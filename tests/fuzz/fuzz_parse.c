/* fuzz_parse.c: libFuzzer target for the feed parser, fed in chunks split where the input says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

/*
 * Input layout: byte 0 picks the HTTP charset and when item_cb says stop; bytes 1-2 (big endian)
 * pick where the document is split into a first and a second chunk (modulo its length), and the
 * second chunk is fed in pieces of 1 + byte0/16 bytes, so chunk boundaries land inside names,
 * entities and multibyte characters. The rest is the document. corpus.py writes the fixtures
 * with such a 3-byte prefix.
 */
struct fuzz_state {
	size_t	 stop_after;	/* item_cb returns -1 after this many items; 0: never */
	size_t	 seen;
	size_t	 sum;		/* touches every byte handed out, so ASan checks each field */
};

static void
touch(struct fuzz_state *st, const char *s)
{
	if (s != NULL)
		st->sum += strlen(s);
}

static int
item_cb(void *arg, const struct parse_item *it)
{
	struct fuzz_state *st = arg;
	char		*abs;
	size_t		 i;

	touch(st, it->title.value);
	touch(st, it->summary.value);
	touch(st, it->content.value);
	touch(st, it->link);
	touch(st, it->id);
	touch(st, it->author);
	touch(st, it->published);
	touch(st, it->updated);
	for (i = 0; i < it->ncategories; i++)
		touch(st, it->categories[i]);
	if (it->link != NULL) {
		abs = parse_resolve_uri(it->link, "http://example.org/a/feed.xml?x=1#f");
		touch(st, abs);
		free(abs);
	}
	st->seen++;
	return st->stop_after != 0 && st->seen >= st->stop_after ? -1 : 0;
}

static void
feed_cb(void *arg, const struct parse_feed *f)
{
	struct fuzz_state *st = arg;

	touch(st, f->title.value);
	touch(st, f->link);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "utf-8", "iso-8859-1", "windows-1252" };
	struct parse_cb	 cb = { item_cb, feed_cb };
	struct parse_limits lim;
	struct fuzz_state st;
	struct parser	*p;
	const char	*doc;
	size_t		 len, split, step, off, n;

	if (size < 3)
		return 0;
	memset(&st, 0, sizeof(st));
	st.stop_after = (data[0] >> 2) & 3;
	step = 1 + (data[0] >> 4);
	doc = (const char *)data + 3;
	len = size - 3;
	split = len ? (((size_t)data[1] << 8) | data[2]) % (len + 1) : 0;

	/* Small limits, so the fuzzer reaches them (and stays fast); the defaults are far above. */
	parse_limits_default(&lim);
	lim.max_bytes = 1u << 20;
	lim.max_items = 64;
	lim.max_field = 4096;
	lim.max_depth = 64;
	if ((p = parser_new(&cb, &st, "http://example.org/a/feed.xml", charsets[data[0] & 3],
	    &lim)) == NULL)
		abort();
	if (parser_feed(p, doc, split) == 0) {
		for (off = split; off < len; off += n) {
			n = len - off < step ? len - off : step;
			if (parser_feed(p, doc + off, n) == -1)
				break;
		}
	}
	parser_finish(p);
	touch(&st, parser_error(p));
	touch(&st, parser_repairs(p));
	if (parser_nitems(p) != st.seen)
		abort();	/* the count the daemon logs must be what item_cb saw */
	parser_free(p);
	return 0;
}
