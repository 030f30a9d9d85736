/* test_input.c: the input stage alone: UTF-16/32, the UTF-8 repair, stray '&', chunking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "input.h"
#include "util.h"

/* What one run of the stage handed out. */
struct result {
	struct buf	 out;		/* every byte out, in order */
	enum input_enc	 enc;
	int		 nstart;	/* start_cb calls */
	int		 nfinal;	/* out_cb calls with final set */
	int		 out_before_start;
	size_t		 ncalls;	/* out_cb calls */
	size_t		 stop_after;	/* out_cb returns -1 from this call on; 0: never */
	size_t		 nbad, namp;
	int		 rc;		/* -1 if any input_feed or input_finish said so */
};

/* libxml2's answers for the names these tests use (parse.c asks libxml2 itself). */
static enum input_charset
charset_cb(void *arg, const char *name)
{
	(void)arg;
	if (strcasecmp(name, "utf-8") == 0)
		return INPUT_CS_UTF8;
	if (strcasecmp(name, "ascii") == 0)
		return INPUT_CS_ASCII;
	if (strcasecmp(name, "us-ascii") == 0 || strcasecmp(name, "iso-8859-1") == 0 ||
	    strcasecmp(name, "windows-1252") == 0 || strcasecmp(name, "utf-16") == 0)
		return INPUT_CS_OTHER;
	return INPUT_CS_UNKNOWN;
}

static int
start_cb(void *arg, enum input_enc enc)
{
	struct result	*r = arg;

	r->enc = enc;
	r->nstart++;
	return 0;
}

static int
out_cb(void *arg, const char *buf, size_t len, int final)
{
	struct result	*r = arg;

	if (r->nstart == 0)
		r->out_before_start = 1;
	r->ncalls++;
	r->nfinal += final != 0;
	buf_append(&r->out, buf, len);
	return r->stop_after != 0 && r->ncalls >= r->stop_after ? -1 : 0;
}

/* Runs len bytes through a new stage in chunks of chunk bytes (0: all at once). */
static void
run(struct result *r, const char *doc, size_t len, const char *charset, size_t chunk)
{
	static const struct input_cb cb = { charset_cb, start_cb, out_cb };
	struct input	*in;
	size_t		 off, n;

	memset(r, 0, sizeof(*r));
	buf_init(&r->out, 0);
	in = input_new(&cb, r, charset);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (input_feed(in, doc + off, n) == -1)
			r->rc = -1;
	}
	if (input_finish(in) == -1)
		r->rc = -1;
	input_repairs(in, &r->nbad, &r->namp);
	input_free(in);
	if (r->rc == 0) {
		/* The contract every run keeps: told the encoding first, then one final call. */
		assert_int_equal(r->nstart, 1);
		assert_int_equal(r->nfinal, 1);
		assert_false(r->out_before_start);
	}
}

static void
run_str(struct result *r, const char *doc, const char *charset)
{
	run(r, doc, strlen(doc), charset, 0);
}

static const char *
out_str(struct result *r)
{
	return r->out.data ? r->out.data : "";
}

/* Every chunk size from 1 to len gives what one chunk gives, byte for byte and count for count. */
static void
assert_chunking_invariant(const char *doc, size_t len, const char *charset)
{
	struct result	 whole, r;
	size_t		 chunk;

	run(&whole, doc, len, charset, 0);
	for (chunk = 1; chunk <= len; chunk++) {
		run(&r, doc, len, charset, chunk);
		if (r.out.len != whole.out.len || memcmp(out_str(&r), out_str(&whole), r.out.len) != 0)
			fail_msg("%zu-byte chunks: \"%s\" vs whole \"%s\"", chunk, out_str(&r),
			    out_str(&whole));
		assert_int_equal(r.enc, whole.enc);
		assert_int_equal(r.nbad, whole.nbad);
		assert_int_equal(r.namp, whole.namp);
		buf_free(&r.out);
	}
	buf_free(&whole.out);
}

/*
 * Writes code units cps[1 .. n) into dst as UTF-16 or UTF-32 (unit 2 or 4 bytes), preceded by
 * cps[0], the BOM, when bom is set. Returns the bytes written.
 */
static size_t
wide(char *dst, const unsigned *cps, size_t n, int unit, int big_endian, int bom)
{
	size_t	i, o = 0;
	int	k;

	for (i = bom ? 0 : 1; i < n; i++) {
		unsigned cp = i == 0 ? 0xfeff : cps[i];

		for (k = 0; k < unit; k++) {
			int shift = big_endian ? 8 * (unit - 1 - k) : 8 * k;

			dst[o++] = (char)((cp >> shift) & 0xff);
		}
	}
	return o;
}

static void
input__utf8_bom__beats_the_declaration_and_is_passed_on(void **state)
{
	struct result	r;

	(void)state;
	run_str(&r, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>\x93x\x94</a>", NULL);
	assert_int_equal(r.enc, INPUT_UTF8);
	/* libxml2 skips the BOM itself; the declared Latin-1 loses to it, so 0x93 is repaired. */
	assert_string_equal(out_str(&r), "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	    "<a>\u201cx\u201d</a>");
	assert_int_equal(r.nbad, 2);
	buf_free(&r.out);
}

static void
input__utf16_and_utf32__decoded_with_and_without_bom(void **state)
{
	/* U+FEFF (the BOM, first), then "<a>é€\U0001F600</a>". */
	static const unsigned cps[] = { 0xfeff, '<', 'a', '>', 0xe9, 0x20ac, 0xd83d, 0xde00, '<',
		'/', 'a', '>' };
	static const unsigned cps32[] = { 0xfeff, '<', 'a', '>', 0xe9, 0x20ac, 0x1f600, '<', '/',
		'a', '>' };
	const char	*want = "<a>\u00e9\u20ac\U0001F600</a>";
	char		 doc[64];
	struct result	 r;
	size_t		 n;
	int		 be, bom;

	(void)state;
	for (be = 0; be <= 1; be++) {
		for (bom = 0; bom <= 1; bom++) {
			n = wide(doc, cps, sizeof(cps) / sizeof(cps[0]), 2, be, bom);
			run(&r, doc, n, NULL, 0);
			assert_int_equal(r.enc, INPUT_UTF8);
			assert_string_equal(out_str(&r), want);
			buf_free(&r.out);
			assert_chunking_invariant(doc, n, NULL);

			n = wide(doc, cps32, sizeof(cps32) / sizeof(cps32[0]), 4, be, bom);
			run(&r, doc, n, NULL, 0);
			assert_int_equal(r.enc, INPUT_UTF8);
			assert_string_equal(out_str(&r), want);
			buf_free(&r.out);
			assert_chunking_invariant(doc, n, NULL);
		}
	}
}

static void
input__utf16_surrogate_pair_split_across_chunks__one_character(void **state)
{
	/* "<a>" U+1F600 "</a>" in UTF-16LE: the pair D83D DE00 is cut at each of its bytes. */
	static const char doc[] = "<\0a\0>\0\x3d\xd8\x00\xde<\0/\0a\0>\0";
	static const struct input_cb cb = { charset_cb, start_cb, out_cb };
	struct result	 r;
	struct input	*in;
	size_t		 cut;

	(void)state;
	for (cut = 6; cut <= 10; cut++) {
		memset(&r, 0, sizeof(r));
		buf_init(&r.out, 0);
		in = input_new(&cb, &r, NULL);
		assert_int_equal(input_feed(in, doc, cut), 0);
		assert_int_equal(input_feed(in, doc + cut, sizeof(doc) - 1 - cut), 0);
		assert_int_equal(input_finish(in), 0);
		input_free(in);
		assert_string_equal(out_str(&r), "<a>\U0001F600</a>");
		buf_free(&r.out);
	}
}

static void
input__lone_surrogates__become_replacement_characters(void **state)
{
	/* UTF-16LE "<a>" D800 "x" DC00 "</a>": a high one not followed by a low one, a low alone. */
	static const char doc[] = "<\0a\0>\0\x00\xd8x\0\x00\xdc<\0/\0a\0>\0";
	struct result	r;

	(void)state;
	run(&r, doc, sizeof(doc) - 1, NULL, 0);
	assert_string_equal(out_str(&r), "<a>\ufffdx\ufffd</a>");
	buf_free(&r.out);
	assert_chunking_invariant(doc, sizeof(doc) - 1, NULL);
}

static void
input__windows_1252_bytes_in_utf8__each_read_as_windows_1252(void **state)
{
	struct result	r;

	(void)state;
	/* Smart quotes, the euro sign, eth (Latin-1 above 0x9F), an undefined byte, valid UTF-8. */
	run_str(&r, "<a>\x93hi\x94 \x80 Erdo\xf0" "an \x81 caf\xc3\xa9</a>", NULL);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_string_equal(out_str(&r), "<a>\u201chi\u201d \u20ac Erdo\u00f0an \ufffd caf\u00e9</a>");
	assert_int_equal(r.nbad, 5);
	buf_free(&r.out);

	/*
	 * Valid UTF-8 passes untouched; overlong, surrogate and too-high forms are not valid, so
	 * each of their bytes is read as windows-1252.
	 */
	run_str(&r, "<a>\u00e9\u20ac\U0010FFFF \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80</a>", NULL);
	assert_string_equal(out_str(&r), "<a>\u00e9\u20ac\U0010FFFF \u00c0\u00af "
	    "\u00ed\u00a0\u20ac \u00f4\ufffd\u20ac\u20ac</a>");
	assert_int_equal(r.nbad, 9);
	buf_free(&r.out);
}

static void
input__utf8_sequence_cut_by_the_end__each_byte_read_as_windows_1252(void **state)
{
	struct result	r;

	(void)state;
	run_str(&r, "<a>\xe2\x82", NULL);
	assert_string_equal(out_str(&r), "<a>\u00e2\u201a");
	assert_int_equal(r.nbad, 2);
	buf_free(&r.out);
}

static void
input__multibyte_characters__same_output_at_every_chunk_size(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?><rss><t>\u00e9\u20ac\U0001F600 \x93q\x94 a&b &#X41; \xe2\x82"
	    " <![CDATA[x&y]]> <!-- p&q --> &amp; \xf0\x9f\x98 z</t></rss>";

	(void)state;
	assert_chunking_invariant(doc, sizeof(doc) - 1, NULL);
	assert_chunking_invariant(doc, sizeof(doc) - 1, "utf-8");
	assert_chunking_invariant(doc, sizeof(doc) - 1, "iso-8859-1");
}

static void
input__stray_ampersands__escaped_and_references_kept(void **state)
{
	struct result	r;

	(void)state;
	run_str(&r, "<a>AT&T ?a=1&b=2 &amp; &#X41; &#65; &#x42; &nbsp; &; & end&</a>", NULL);
	assert_string_equal(out_str(&r),
	    "<a>AT&amp;T ?a=1&amp;b=2 &amp; &#x41; &#65; &#x42; &nbsp; &amp;; &amp; end&amp;</a>");
	assert_int_equal(r.namp, 6);
	buf_free(&r.out);

	/* A name too long to be an entity, a reference with no digits. */
	run_str(&r, "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; &#; &#x;", NULL);
	assert_string_equal(out_str(&r),
	    "&amp;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; &amp;#; &amp;#x;");
	assert_int_equal(r.namp, 3);
	buf_free(&r.out);
}

static void
input__longest_name_and_number__same_decision_at_every_chunk_size(void **state)
{
	/*
	 * A 39-byte name, 14 digits, 13 hex digits: the longest allowed, so the byte after them
	 * (';' or not) decides, also when a chunk ends just before it (found by fuzz_input).
	 * One more is too long.
	 */
	static const char doc[] =
	    "<a>&lolQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ4; &#12345678901234; &#x1234567890abc; "
	    "&lolQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ4; &#123456789012345;</a>";
	struct result	r;

	(void)state;
	run_str(&r, doc, NULL);
	assert_string_equal(out_str(&r),
	    "<a>&lolQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ4; &#12345678901234; &#x1234567890abc; "
	    "&amp;lolQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ4; &amp;#123456789012345;</a>");
	assert_int_equal(r.namp, 2);
	buf_free(&r.out);
	assert_chunking_invariant(doc, sizeof(doc) - 1, NULL);
}

static void
input__ampersands_in_cdata_and_comments__left_alone(void **state)
{
	static const char doc[] = "<a><![CDATA[x&y ]] ]]> c&d <!-- p&q -- --> e&f <!DOCTYPE g&h></a>";
	struct result	r;

	(void)state;
	run_str(&r, doc, NULL);
	assert_string_equal(out_str(&r),
	    "<a><![CDATA[x&y ]] ]]> c&amp;d <!-- p&q -- --> e&amp;f <!DOCTYPE g&amp;h></a>");
	assert_int_equal(r.namp, 3);
	buf_free(&r.out);
	assert_chunking_invariant(doc, sizeof(doc) - 1, NULL);
}

static void
input__xml_declaration__decides_whether_utf8_is_repaired(void **state)
{
	static const char *const utf8[] = { "UTF-8", "ascii", "us-ascii", "utf-16", "x-bogus" };
	struct result	 r;
	char		 doc[128];
	size_t		 i;

	(void)state;
	/* An encoding the parser converts: bytes go out as they are, nothing repaired. */
	run_str(&r, "<?xml version='1.0' encoding='iso-8859-1'?><a>\xe9&</a>", NULL);
	assert_int_equal(r.enc, INPUT_DECLARED);
	assert_string_equal(out_str(&r), "<?xml version='1.0' encoding='iso-8859-1'?><a>\xe9&amp;</a>");
	assert_int_equal(r.nbad, 0);
	buf_free(&r.out);

	/* UTF-8, ASCII (either spelling), a UTF-16 over 8-bit bytes, an unknown name: UTF-8. */

	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		snprintf(doc, sizeof(doc), "<?xml version=\"1.0\" encoding = \"%s\" ?><a>\xe9</a>",
		    utf8[i]);
		run_str(&r, doc, NULL);
		assert_int_equal(r.enc, INPUT_UTF8);
		assert_int_equal(r.nbad, 1);
		buf_free(&r.out);
	}

	/* No declaration at all, or something else first: UTF-8. */
	run_str(&r, "<rss>\xe9</rss>", NULL);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_string_equal(out_str(&r), "<rss>\u00e9</rss>");
	buf_free(&r.out);
}

static void
input__http_charset__beats_the_declaration(void **state)
{
	struct result	r;

	(void)state;
	/* windows-1252 from HTTP: handed on unchanged, for the parser to convert. */
	run_str(&r, "<?xml version='1.0' encoding='utf-8'?><a>\x93&</a>", "windows-1252");
	assert_int_equal(r.enc, INPUT_CHARSET);
	assert_string_equal(out_str(&r), "<?xml version='1.0' encoding='utf-8'?><a>\x93&amp;</a>");
	assert_int_equal(r.nbad, 0);
	buf_free(&r.out);

	/* UTF-8 from HTTP over a declared Latin-1: repaired as UTF-8. */
	run_str(&r, "<?xml version='1.0' encoding='iso-8859-1'?><a>\x93</a>", "utf-8");
	assert_int_equal(r.enc, INPUT_CHARSET);
	assert_int_equal(r.nbad, 1);
	buf_free(&r.out);

	/* A UTF-16 HTTP charset over bytes not shaped like UTF-16: no '&' filter on them. */
	run_str(&r, "<a>x&y</a>", "utf-16");
	assert_int_equal(r.enc, INPUT_CHARSET);
	assert_string_equal(out_str(&r), "<a>x&y</a>");
	assert_int_equal(r.namp, 0);
	buf_free(&r.out);

	/* A charset the parser does not know is ignored: the declaration decides. */
	run_str(&r, "<?xml version='1.0' encoding='iso-8859-1'?><a/>", "x-bogus");
	assert_int_equal(r.enc, INPUT_DECLARED);
	buf_free(&r.out);

	/* UTF-16 bytes win over any charset. */
	run(&r, "<\0a\0/\0>\0", 8, "windows-1252", 0);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_string_equal(out_str(&r), "<a/>");
	buf_free(&r.out);
}

static void
input__declaration_being_read__held_then_bounded(void **state)
{
	static const struct input_cb cb = { charset_cb, start_cb, out_cb };
	struct result	 r;
	struct input	*in;
	char		 big[1100];

	(void)state;
	memset(&r, 0, sizeof(r));
	buf_init(&r.out, 0);
	in = input_new(&cb, &r, NULL);
	assert_int_equal(input_feed(in, "<?xml version='1.0'", 19), 0);
	assert_int_equal(r.nstart, 0);
	assert_int_equal(input_buffered(in), 19);
	assert_int_equal(input_feed(in, "?><a>\xe9</a>", 11), 0);
	assert_int_equal(r.nstart, 1);
	assert_int_equal(input_buffered(in), 0);
	assert_int_equal(input_finish(in), 0);
	input_free(in);
	assert_string_equal(out_str(&r), "<?xml version='1.0'?><a>\u00e9</a>");
	buf_free(&r.out);

	/* A declaration that never ends is given up on after about 1 KiB: read as UTF-8. */
	memset(&r, 0, sizeof(r));
	buf_init(&r.out, 0);
	in = input_new(&cb, &r, NULL);
	memcpy(big, "<?xml ", 6);
	memset(big + 6, 'x', sizeof(big) - 6);
	assert_int_equal(input_feed(in, big, 1000), 0);
	assert_int_equal(r.nstart, 0);
	assert_int_equal(input_feed(in, big + 1000, sizeof(big) - 1000), 0);
	assert_int_equal(r.nstart, 1);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_int_equal(r.out.len, sizeof(big));
	assert_int_equal(input_finish(in), 0);
	input_free(in);
	buf_free(&r.out);

	/*
	 * Only the first 1 KiB counts, whatever the chunks: an encoding named past it is not read,
	 * even when the document comes whole (found by fuzz_input).
	 */
	memcpy(big, "<?xml ", 6);
	memset(big + 6, ' ', 1024);
	snprintf(big + 1030, sizeof(big) - 1030, "encoding='iso-8859-1'?><a>\xe9</a>");
	run_str(&r, big, NULL);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_int_equal(r.nbad, 1);
	buf_free(&r.out);
	assert_chunking_invariant(big, strlen(big), NULL);
}

static void
input__short_and_empty_documents__told_and_finished(void **state)
{
	struct result	r;

	(void)state;
	run(&r, "", 0, NULL, 0);
	assert_int_equal(r.enc, INPUT_UTF8);
	assert_int_equal(r.out.len, 0);
	buf_free(&r.out);

	run(&r, "<a", 2, NULL, 1);
	assert_string_equal(out_str(&r), "<a");
	buf_free(&r.out);

	/* A UTF-16 BOM and nothing else. */
	run(&r, "\xff\xfe<\0", 4, NULL, 0);
	assert_string_equal(out_str(&r), "<");
	buf_free(&r.out);
}

static void
input__out_cb_says_stop__nothing_more_goes_out(void **state)
{
	static const struct input_cb cb = { charset_cb, start_cb, out_cb };
	struct result	 r;
	struct input	*in;

	(void)state;
	memset(&r, 0, sizeof(r));
	buf_init(&r.out, 0);
	r.stop_after = 1;
	in = input_new(&cb, &r, NULL);
	assert_int_equal(input_feed(in, "<rss>", 5), -1);
	assert_int_equal(input_feed(in, "<a/>", 4), -1);
	assert_int_equal(input_finish(in), -1);
	assert_int_equal(r.ncalls, 1);
	assert_int_equal(r.nfinal, 0);
	input_free(in);
	buf_free(&r.out);
}

static void
input__cp1252__c1_range_mapped_the_rest_as_is(void **state)
{
	(void)state;
	assert_int_equal(input_cp1252(0x80), 0x20ac);
	assert_int_equal(input_cp1252(0x93), 0x201c);
	assert_int_equal(input_cp1252(0x9f), 0x0178);
	assert_int_equal(input_cp1252(0x81), 0);
	assert_int_equal(input_cp1252(0x9d), 0);
	assert_int_equal(input_cp1252(0xa0), 0xa0);
	assert_int_equal(input_cp1252(0xff), 0xff);
	assert_int_equal(input_cp1252('A'), 'A');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input__utf8_bom__beats_the_declaration_and_is_passed_on),
		cmocka_unit_test(input__utf16_and_utf32__decoded_with_and_without_bom),
		cmocka_unit_test(input__utf16_surrogate_pair_split_across_chunks__one_character),
		cmocka_unit_test(input__lone_surrogates__become_replacement_characters),
		cmocka_unit_test(input__windows_1252_bytes_in_utf8__each_read_as_windows_1252),
		cmocka_unit_test(input__utf8_sequence_cut_by_the_end__each_byte_read_as_windows_1252),
		cmocka_unit_test(input__multibyte_characters__same_output_at_every_chunk_size),
		cmocka_unit_test(input__stray_ampersands__escaped_and_references_kept),
		cmocka_unit_test(input__longest_name_and_number__same_decision_at_every_chunk_size),
		cmocka_unit_test(input__ampersands_in_cdata_and_comments__left_alone),
		cmocka_unit_test(input__xml_declaration__decides_whether_utf8_is_repaired),
		cmocka_unit_test(input__http_charset__beats_the_declaration),
		cmocka_unit_test(input__declaration_being_read__held_then_bounded),
		cmocka_unit_test(input__short_and_empty_documents__told_and_finished),
		cmocka_unit_test(input__out_cb_says_stop__nothing_more_goes_out),
		cmocka_unit_test(input__cp1252__c1_range_mapped_the_rest_as_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
