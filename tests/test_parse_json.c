/* test_parse_json.c: JSON Feed 1.0/1.1 through the feed parser: fields, chunking, limits, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "parse.h"
#include "parsetest.h"
#include "util.h"

static void
run_str(struct result *r, const char *doc, const struct parse_limits *lim)
{
	run_mem(r, doc, strlen(doc), 0, NULL, NULL, lim);
}

#define HEAD	"{\"version\": \"https://jsonfeed.org/version/1.1\", "

static void
parse_json__v11__every_field_mapped(void **state)
{
	struct result	 r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_null(r.error);
	assert_null(r.repairs);
	assert_true(r.feed_called);
	assert_string_equal(r.feed_title, "My Example Feed");
	assert_string_equal(r.feed_link, "https://example.org/");
	assert_int_equal(r.n, 4);
	/* the spec's own two items */
	t = &r.items[0];
	assert_string_equal(t->id, "2");
	assert_string_equal(t->link, "https://example.org/second-item");
	assert_string_equal(t->content, "This is a second item.");
	assert_int_equal(t->content_type, PARSE_TEXT);
	assert_null(t->title);
	assert_string_equal(t->author, "Feed Desk");	/* the feed's authors */
	t = &r.items[1];
	assert_string_equal(t->id, "1");
	assert_string_equal(t->content, "<p>Hello, world!</p>");
	assert_int_equal(t->content_type, PARSE_HTML);
	/* every field */
	t = &r.items[2];
	assert_string_equal(t->id, "tag:example.org,2024:3");
	assert_string_equal(t->link, "https://example.org/2024/03/homs");	/* against feed_url */
	assert_string_equal(t->title, "Clashes near Homs \xe2\x80\x94 \"update\" from the north");
	assert_int_equal(t->title_type, PARSE_TEXT);
	assert_string_equal(t->summary, "Fighting resumed.");
	assert_int_equal(t->summary_type, PARSE_TEXT);
	/* html over text, its relative URIs resolved as in RSS */
	assert_string_equal(t->content, "<p>Full <a href=\"https://example.org/full/3\">story</a></p>");
	assert_int_equal(t->content_type, PARSE_HTML);
	assert_string_equal(t->published, "2024-03-05T14:03:00+02:00");
	assert_int_equal(t->published_t, 1709640180);	/* 2024-03-05T12:03:00Z */
	assert_string_equal(t->updated, "2024-03-05T15:00:00Z");
	assert_int_equal(t->updated_t, 1709650800);
	assert_string_equal(t->author, "Reporter One");	/* the first author with a name */
	assert_string_equal(t->cats, "Syria|Homs|Conflict");
	t = &r.items[3];
	assert_string_equal(t->link, "https://elsewhere.example/story");	/* external_url */
	assert_string_equal(t->published, "not a date");
	assert_int_equal(t->published_t, 0);
	assert_null(t->updated);
	assert_string_equal(t->cats, "");
	result_free(&r);
}

static void
parse_json__v10__author_numeric_id_and_base(void **state)
{
	struct result	 r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "jsonfeed10.json", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "The Record");
	assert_string_equal(r.feed_link, "http://therecord.co/");
	assert_int_equal(r.n, 2);
	t = &r.items[0];
	assert_string_equal(t->id, "1001");	/* a number, as its decimal text */
	assert_string_equal(t->title, "Special #1 - Chris Parrish");
	assert_string_equal(t->link, "http://therecord.co/chris-parrish");
	assert_string_equal(t->author, "Brent Simmons and Chris Parrish");	/* feed's "author" */
	assert_int_equal(t->content_type, PARSE_HTML);
	assert_non_null(strstr(t->content, "<a href=\"http://adobe.com/\">Adobe</a>"));
	assert_string_equal(t->summary,
	    "Brent interviews Chris Parrish, co-host of The Record and one-half of Aged & Distilled.");
	assert_int_equal(t->published_t, 1399669440);	/* 2014-05-09T21:04:00Z */
	t = &r.items[1];
	assert_string_equal(t->id, "1002");
	assert_string_equal(t->author, "Chris Parrish");	/* the item's own "author" */
	assert_string_equal(t->link, "http://therecord.co/chris-2");
	assert_string_equal(t->cats, "podcast");	/* 7 noted, null and "" dropped */
	assert_non_null(r.repairs);
	assert_non_null(strstr(r.repairs, "item 2: a tag is not a string"));
	result_free(&r);
	/* the document's own URL beats feed_url as the base */
	run_file(&r, "jsonfeed10.json", 0, "http://mirror.example/x/feed.json", NULL, NULL);
	assert_string_equal(r.items[1].link, "http://mirror.example/x/chris-2");
	assert_string_equal(r.feed_link, "http://therecord.co/");
	result_free(&r);
}

/* Pseudo-random cut points (a fixed LCG, so a failure can be replayed). */
static size_t
make_cuts(size_t *cuts, size_t max, size_t len, unsigned seed)
{
	size_t	n = 0, off = 0;

	while (n < max) {
		seed = seed * 1103515245u + 12345u;
		off += 1 + (seed >> 16) % 97;
		if (off >= len)
			break;
		cuts[n++] = off;
	}
	return n;
}

static void
parse_json__chunking__same_items_whatever_the_cuts(void **state)
{
	static const char	*files[] = { "jsonfeed11.json", "jsonfeed10.json" };
	struct result		 whole = { 0 }, r = { 0 };
	size_t			 f, len, cuts[512], ncuts;
	unsigned		 seed;
	char			*data;

	(void)state;
	for (f = 0; f < 2; f++) {
		data = slurp(files[f], &len);
		run_mem(&whole, data, len, 0, NULL, NULL, NULL);
		assert_int_equal(whole.rc, 0);
		run_mem(&r, data, len, 1, NULL, NULL, NULL);	/* byte by byte */
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.dump.data, whole.dump.data);
		result_free(&r);
		for (seed = 1; seed <= 20; seed++) {
			ncuts = make_cuts(cuts, 512, len, seed);
			run_cuts(&r, data, len, 0, cuts, ncuts, NULL, NULL, NULL);
			assert_int_equal(r.rc, 0);
			assert_string_equal(r.dump.data, whole.dump.data);
			result_free(&r);
		}
		result_free(&whole);
		free(data);
	}
}

static void
parse_json__bom_and_leading_space__still_json(void **state)
{
	static const char	*prefixes[] = { "\xef\xbb\xbf", "  \r\n\t", "\xef\xbb\xbf\n\n  " };
	struct result		 whole = { 0 }, r = { 0 };
	size_t			 i, len;
	char			*data, *doc;

	(void)state;
	data = slurp("jsonfeed11.json", &len);
	run_mem(&whole, data, len, 0, NULL, NULL, NULL);
	for (i = 0; i < 3; i++) {
		doc = xasprintf("%s%s", prefixes[i], data);
		run_mem(&r, doc, strlen(doc), 0, NULL, NULL, NULL);
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.dump.data, whole.dump.data);
		result_free(&r);
		run_mem(&r, doc, strlen(doc), 1, NULL, NULL, NULL);	/* cut inside the BOM too */
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.dump.data, whole.dump.data);
		result_free(&r);
		free(doc);
	}
	result_free(&whole);
	free(data);
}

static void
parse_json__xml_after_space__still_xml(void **state)
{
	struct result	 r = { 0 }, whole = { 0 };
	size_t		 len;
	char		*data, *doc;

	(void)state;
	/* the held white space reaches libxml2 as it came, whatever the chunking */
	data = slurp("rss20.xml", &len);
	doc = xasprintf("\n  %s", data);
	run_mem(&whole, doc, strlen(doc), 0, NULL, NULL, NULL);
	assert_int_equal(whole.n, 4);
	run_mem(&r, doc, strlen(doc), 1, NULL, NULL, NULL);
	assert_string_equal(r.dump.data, whole.dump.data);
	result_free(&r);
	result_free(&whole);
	free(doc);
	run_str(&r, "\xef\xbb\xbf \n<rss version=\"2.0\"><channel><title>A &amp; B</title>"
	    "<item><title>x</title></item></channel></rss>", NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.feed_title, "A & B");
	result_free(&r);
	/* a partial BOM then '{': not JSON (the XML path says what it is) */
	run_str(&r, "\xef\xbb{\"version\": \"https://jsonfeed.org/version/1\", \"items\": []}", NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "not a feed (not XML"));
	result_free(&r);
	free(data);
}

static void
parse_json__max_items__rest_counted(void **state)
{
	struct parse_limits	lim;
	struct result		r = { 0 };

	(void)state;
	parse_limits_default(&lim);
	lim.max_items = 2;
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.skipped, 2);
	assert_true(r.feed_called);
	result_free(&r);
}

static void
parse_json__max_field__fails_like_xml(void **state)
{
	struct parse_limits	 lim;
	struct result		 r = { 0 };
	char			*doc, *big;

	(void)state;
	parse_limits_default(&lim);
	lim.max_field = 40;	/* item 3's title is longer */
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.n, 2);	/* those before it went out */
	assert_string_equal(r.error, "field \"title\" longer than 40 bytes");
	result_free(&r);
	/* a 2 MiB string against the default 1 MiB */
	big = xmalloc(2 * 1024 * 1024 + 1);
	memset(big, 'a', 2 * 1024 * 1024);
	big[2 * 1024 * 1024] = '\0';
	doc = xasprintf(HEAD "\"items\": [{\"id\": \"1\", \"content_text\": \"%s\"}]}", big);
	run_mem(&r, doc, strlen(doc), 65536, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "field \"content_text\" longer than 1048576 bytes");
	assert_int_equal(r.n, 0);
	result_free(&r);
	free(doc);
	/* a tag too */
	lim.max_field = 4;
	run_str(&r, HEAD "\"items\": [{\"id\": \"1\", \"tags\": [\"abcdef\"]}]}", &lim);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "field \"tags\" longer than 4 bytes");
	result_free(&r);
	free(big);
}

static void
parse_json__deep_nesting__fails_at_max_depth(void **state)
{
	struct parse_limits	 lim;
	struct result		 r = { 0 };
	struct buf		 b;
	int			 i;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, HEAD "\"items\": [{\"id\": \"1\", \"_x\": ");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	run_mem(&r, b.data, b.len, 4096, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "JSON nested deeper than 256 (at byte"));
	assert_int_equal(r.n, 0);
	result_free(&r);
	buf_free(&b);
	/* the spec example has "_custom": {"deep": [...]} at depth 5 */
	parse_limits_default(&lim);
	lim.max_depth = 4;
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "JSON nested deeper than 4"));
	result_free(&r);
	lim.max_depth = 5;
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, 0);
	result_free(&r);
}

static void
parse_json__wrong_types__skipped_and_noted(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_str(&r, HEAD "\"title\": 5, \"home_page_url\": [1], \"items\": [\"x\", 3, [], "
	    "{\"id\": true, \"url\": 7, \"title\": {\"a\": 1}, \"summary\": 1.5, "
	    "\"content_html\": false, \"content_text\": \"body\", \"date_published\": [], "
	    "\"authors\": {\"name\": \"x\"}, \"author\": \"y\", \"tags\": \"a,b\"}, "
	    "{\"id\": 1.5, \"authors\": [1, {\"name\": 2}, {\"name\": \"Ok\"}]}]}", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	assert_null(r.feed_title);
	assert_null(r.feed_link);
	assert_null(r.items[0].id);
	assert_null(r.items[0].link);
	assert_null(r.items[0].title);
	assert_null(r.items[0].summary);
	assert_string_equal(r.items[0].content, "body");
	assert_int_equal(r.items[0].content_type, PARSE_TEXT);
	assert_null(r.items[0].published);
	assert_null(r.items[0].author);
	assert_string_equal(r.items[0].cats, "");
	assert_string_equal(r.items[1].id, "1.5");
	assert_string_equal(r.items[1].author, "Ok");
	assert_non_null(r.repairs);
	assert_non_null(strstr(r.repairs, "feed: \"title\" is not a string (and "));
	result_free(&r);
	/* items not an array: an empty feed, noted */
	run_str(&r, HEAD "\"items\": {\"id\": \"1\"}}", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 0);
	assert_true(r.feed_called);
	assert_string_equal(r.repairs, "feed: \"items\" is not an array");
	result_free(&r);
}

static void
parse_json__null_everywhere__absent(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_str(&r, HEAD "\"title\": null, \"home_page_url\": null, \"feed_url\": null, "
	    "\"authors\": null, \"author\": null, \"items\": [null, {\"id\": null, \"url\": null, "
	    "\"external_url\": null, \"title\": null, \"summary\": null, \"content_html\": null, "
	    "\"content_text\": null, \"date_published\": null, \"date_modified\": null, "
	    "\"authors\": [null], \"author\": null, \"tags\": [null, null]}]}", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_null(r.items[0].id);
	assert_null(r.items[0].link);
	assert_null(r.items[0].content);
	assert_null(r.items[0].author);
	assert_int_equal(r.items[0].published_t, 0);
	assert_non_null(strstr(r.repairs, "item 1 is not an object"));
	result_free(&r);
	run_str(&r, HEAD "\"items\": null}", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 0);
	result_free(&r);
}

static void
parse_json__not_json_or_not_a_feed__clear_errors(void **state)
{
	struct result	 r = { 0 };
	size_t		 len;
	char		*data, want[100];

	(void)state;
	run_str(&r, "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [}", NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "not a feed (not JSON: "));
	assert_non_null(strstr(r.error, " at byte 58)"));
	result_free(&r);
	/* offsets count the BOM and white space before the document */
	run_str(&r, "\xef\xbb\xbf  {\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [}",
	    NULL);
	assert_non_null(strstr(r.error, " at byte 63)"));
	result_free(&r);
	run_str(&r, "{\"rss\": {\"channel\": {}}}", NULL);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "not a feed (JSON, but not JSON Feed: no \"version\" starting "
	    "https://jsonfeed.org/version/1)");
	assert_false(r.feed_called);
	result_free(&r);
	run_str(&r, "{\"version\": \"https://jsonfeed.org/version/2\", \"items\": []}", NULL);
	assert_non_null(strstr(r.error, "not JSON Feed: no \"version\""));
	result_free(&r);
	run_str(&r, "{\"version\": 1, \"items\": []}", NULL);
	assert_non_null(strstr(r.error, "not JSON Feed: no \"version\""));
	result_free(&r);
	run_str(&r, HEAD "\"title\": \"x\"}", NULL);
	assert_string_equal(r.error, "not a feed (JSON, but not JSON Feed: no \"items\")");
	result_free(&r);
	/* truncated: nothing goes out (json-c has no tree to give yet) */
	data = slurp("jsonfeed11.json", &len);
	run_mem(&r, data, len / 2, 7, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	snprintf(want, sizeof(want), "not a feed (JSON ends early at byte %zu)", len / 2);
	assert_string_equal(r.error, want);
	assert_int_equal(r.n, 0);
	assert_false(r.feed_called);
	result_free(&r);
	free(data);
	run_str(&r, "  {", NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "JSON ends early"));
	result_free(&r);
}

static void
parse_json__odd_bytes__repaired(void **state)
{
	struct result	r = { 0 };

	(void)state;
	/* invalid UTF-8 becomes U+FFFD, noted */
	run_str(&r, HEAD "\"items\": [{\"id\": \"1\", \"title\": \"caf\xe9 \\u00e9\"}]}", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.items[0].title, "caf\xef\xbf\xbd \xc3\xa9");
	assert_string_equal(r.repairs, "item 1: invalid UTF-8 replaced");
	result_free(&r);
	/* bytes after the document are ignored, noted; white space is not */
	run_str(&r, HEAD "\"items\": [{\"id\": \"1\"}]} trailing }", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.repairs, "bytes after the JSON document ignored");
	result_free(&r);
	run_str(&r, HEAD "\"items\": []}\n\n ", NULL);
	assert_null(r.repairs);
	result_free(&r);
	/* a javascript: url is no link; external_url then is */
	run_str(&r, HEAD "\"items\": [{\"url\": \"javascript:alert(1)\", "
	    "\"external_url\": \"https://ok.example/\"}, {\"url\": \"data:x\"}]}", NULL);
	assert_string_equal(r.items[0].link, "https://ok.example/");
	assert_null(r.items[1].link);
	result_free(&r);
}

static void
parse_json__item_callback_stops(void **state)
{
	struct result	r = { 0 };

	(void)state;
	r.stop_after = 1;
	run_file(&r, "jsonfeed11.json", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.error, "stopped by the item callback");
	assert_false(r.feed_called);
	result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_json__v11__every_field_mapped),
		cmocka_unit_test(parse_json__v10__author_numeric_id_and_base),
		cmocka_unit_test(parse_json__chunking__same_items_whatever_the_cuts),
		cmocka_unit_test(parse_json__bom_and_leading_space__still_json),
		cmocka_unit_test(parse_json__xml_after_space__still_xml),
		cmocka_unit_test(parse_json__max_items__rest_counted),
		cmocka_unit_test(parse_json__max_field__fails_like_xml),
		cmocka_unit_test(parse_json__deep_nesting__fails_at_max_depth),
		cmocka_unit_test(parse_json__wrong_types__skipped_and_noted),
		cmocka_unit_test(parse_json__null_everywhere__absent),
		cmocka_unit_test(parse_json__not_json_or_not_a_feed__clear_errors),
		cmocka_unit_test(parse_json__odd_bytes__repaired),
		cmocka_unit_test(parse_json__item_callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
