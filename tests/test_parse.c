/* test_parse.c: the feed parser over fixtures: formats, links, entities, repairs, safety, limits. */
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
parse__rss20__channel_and_item_fields(void **state)
{
	struct result	r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "rss20.xml", 0, "http://base.example/feed.xml", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_null(r.error);
	assert_true(r.feed_called);
	assert_string_equal(r.feed_title, "Levant & Co");	/* not the image title */
	assert_string_equal(r.feed_link, "http://news.example/");
	assert_int_equal(r.ttl, 30 * 60);
	assert_int_equal(r.n, 4);
	t = &r.items[0];
	assert_string_equal(t->title, "Clashes near Homs");
	assert_int_equal(t->title_type, PARSE_TEXT);
	assert_string_equal(t->link, "http://news.example/a/1");
	assert_string_equal(t->id, "urn:news:1");
	assert_string_equal(t->summary, "<p>Fighting <b>resumed</b>.</p>");
	assert_int_equal(t->summary_type, PARSE_HTML);
	/* content:encoded, with its relative URI resolved against the document base */
	assert_string_equal(t->content, "<p>Full <a href=\"http://base.example/full/1\">story</a></p>");
	assert_string_equal(t->published, "Tue, 05 Mar 2024 14:03:00 +0200");
	assert_int_equal(t->published_t, 1709640180);	/* 2024-03-05T12:03:00Z */
	assert_null(t->updated);
	assert_int_equal(t->updated_t, 0);
	assert_string_equal(t->author, "Reporter One");	/* dc:creator under another prefix */
	assert_string_equal(t->cats, "Syria|Homs|Conflict");
	result_free(&r);
}

static void
parse__rss_guid__only_a_permalink_becomes_the_link(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "rss20.xml", 0, NULL, NULL, NULL);
	assert_string_equal(r.items[1].link, "http://news.example/a/2");
	assert_string_equal(r.items[1].id, "http://news.example/a/2");
	assert_string_equal(r.items[1].author, "desk@news.example (Desk)");
	assert_null(r.items[2].link);		/* isPermaLink="false" */
	assert_string_equal(r.items[2].id, "http://news.example/a/3");
	assert_string_equal(r.items[3].link, "/a/4");	/* no base: left as written */
	result_free(&r);
	run_file(&r, "rss20.xml", 0, "http://base.example/x/feed", NULL, NULL);
	assert_string_equal(r.items[3].link, "http://base.example/a/4");
	result_free(&r);
}

static void
parse__atom10__alternate_link_xml_base_and_constructs(void **state)
{
	struct result	r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "atom10.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "Atom <i>feed</i>");
	assert_string_equal(r.feed_link, "http://atom.example/base/index.html");
	assert_int_equal(r.n, 3);
	t = &r.items[0];
	assert_string_equal(t->title, "Talks in Aleppo <today>");
	assert_int_equal(t->title_type, PARSE_TEXT);
	/* the first alternate, not the enclosure or related link */
	assert_string_equal(t->link, "http://atom.example/base/entries/1.html");
	assert_string_equal(t->id, "tag:atom.example,2024:1");
	assert_int_equal(t->published_t, 1709629200);	/* 2024-03-05T09:00:00Z */
	assert_int_equal(t->updated_t, 1709638200);
	assert_string_equal(t->author, "Ana (ana@atom.example)");
	assert_string_equal(t->cats, "politics|syria");
	/* xhtml: wrapper div dropped, markup serialised, relative URI resolved */
	assert_string_equal(t->summary,
	    "A <b>bold</b> <a href=\"http://atom.example/base/x.html\">move</a><br />");
	assert_int_equal(t->summary_type, PARSE_XHTML);
	assert_string_equal(t->content, "<p>Escaped &amp; HTML</p>");
	assert_int_equal(t->content_type, PARSE_HTML);
	t = &r.items[1];
	assert_string_equal(t->link, "http://other.example/dir/two.html");	/* entry xml:base */
	assert_string_equal(t->author, "Ben");
	assert_string_equal(t->content, "Plain   text");
	assert_null(t->id);
	assert_string_equal(r.items[2].link, "http://atom.example/3");
	result_free(&r);
}

static void
parse__atom03__escaped_base64_and_xhtml_modes(void **state)
{
	struct result	r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "atom03.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "Atom <b>0.3</b>");
	assert_string_equal(r.feed_link, "http://old.example/");
	assert_int_equal(r.n, 1);
	t = &r.items[0];
	assert_string_equal(t->title, "Hello world");
	assert_string_equal(t->link, "http://old.example/1");
	assert_int_equal(t->published_t, 1072986501);	/* issued */
	assert_int_equal(t->updated_t, 1073072901);	/* modified */
	assert_string_equal(t->content, "<div>Inline <em>xhtml</em></div>");	/* 0.3 keeps the div */
	assert_string_equal(t->summary, "<p>sum</p>");
	result_free(&r);
}

static void
parse__rss10_rdf__about_dublin_core_and_syndication(void **state)
{
	struct result	r = { 0 };
	struct titem	*t;

	(void)state;
	run_file(&r, "rss10.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "RDF feed");
	assert_int_equal(r.ttl, 86400 / 4);
	assert_int_equal(r.n, 1);
	t = &r.items[0];
	assert_string_equal(t->id, "http://rdf.example/1");
	assert_string_equal(t->link, "http://rdf.example/1");
	assert_string_equal(t->summary, "Short");
	assert_string_equal(t->content, "<p>Long</p>");
	assert_int_equal(t->updated_t, 1072865695);
	assert_string_equal(t->author, "Carol");
	assert_string_equal(t->cats, "Damascus");
	result_free(&r);
}

static void
parse__declared_latin1_and_http_charset__decoded(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "rss091.xml", 0, NULL, NULL, NULL);	/* DOCTYPE with external DTD: not loaded */
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.items[0].title, "Café crème");
	assert_string_equal(r.items[0].summary, "Déjà vu");
	result_free(&r);
	run_file(&r, "latin1_nodecl.xml", 0, NULL, "ISO-8859-1", NULL);
	assert_string_equal(r.feed_title, "Café");
	result_free(&r);
}

static void
parse__utf16_and_utf32__with_and_without_bom(void **state)
{
	static const char *const files[] = {
		"utf16le_bom.xml", "utf16be_nobom.xml", "utf32le_bom.xml", "utf32be_nobom.xml"
	};
	struct result	r = { 0 };
	size_t		i;

	(void)state;
	for (i = 0; i < 4; i++) {
		run_file(&r, files[i], 0, NULL, NULL, NULL);
		if (r.rc != 0 || r.feed_title == NULL || strcmp(r.feed_title, "UTF-16 İstanbul") != 0)
			fail_msg("%s: rc %d title %s error %s", files[i], r.rc, r.feed_title, r.error);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.items[0].title, "😀 emoji");
		result_free(&r);
	}
}

static void
parse__html_entities__mapped_and_repair_recorded(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "html_entities.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "Entities\xc2\xa0" "feed");
	assert_string_equal(r.items[0].title,
	    "Erdoğan\xc2\xa0in Café … ’quoted’ &unknownentity;");
	/* bare ampersands kept as text, &#X41; read as &#x41; */
	assert_string_equal(r.items[0].summary, "AT&T and a=1&b=2 A");
	assert_non_null(r.repairs);
	assert_non_null(strstr(r.repairs, "&nbsp;"));
	result_free(&r);
}

static void
parse__bad_xml__items_recovered_and_repair_recorded(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "bad_xml.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.items[1].title, "Second");
	assert_string_equal(r.items[1].link, "http://bad.example/2");
	assert_string_equal(r.items[2].title, "Third");
	assert_string_equal(r.items[2].link, "http://bad.example/3");
	assert_non_null(r.repairs);
	result_free(&r);
}

static void
parse__stray_bytes_in_utf8__do_not_stop_the_feed(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "bad_utf8.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].title, "ok");
	assert_string_equal(r.feed_title, "don\u2019t caf\u00e9");
	result_free(&r);
}

/* Whether the repair notes mention the UTF-8 repair. */
static int
repaired_utf8(const struct result *r)
{
	return r->repairs != NULL && strstr(r->repairs, "invalid UTF-8 read as windows-1252") != NULL;
}

static void
parse__invalid_utf8__each_bad_byte_read_as_windows_1252(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "cp1252_in_utf8.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	/* 0xF0 is eth in windows-1252; 0x93 0x94 are curly quotes, 0x85 an ellipsis. */
	assert_string_equal(r.feed_title, "Erdo\u00f0an \u201cquoted\u201d\u2026");
	assert_string_equal(r.feed_link, "http://cp.example/");
	/*
	 * Valid sequences (é, ’, an emoji, €) pass untouched; a sequence broken off before its
	 * end ("\xE2\x80x") is read byte by byte; the undefined 0x81 becomes U+FFFD.
	 */
	assert_string_equal(r.items[0].title,
	    "Caf\u00e9 and caf\u00e9, it\u2019s \U0001F600 \u00e2\u20acx \ufffd");
	assert_string_equal(r.items[0].summary, "<p>\u2013 d\u00e9j\u00e0 &amp; \u20ac</p>");
	assert_string_equal(r.items[0].cats, "S\u00e3o Paulo");
	assert_string_equal(r.items[0].link, "http://cp.example/1");
	/* Surrogates, overlong forms and code points above U+10FFFF are not UTF-8 either. */
	assert_string_equal(r.items[1].title,
	    "Second \u00ed\u00a0\u20ac \u00c0\u00af \u00f4\ufffd\u20ac\u20ac");
	assert_true(repaired_utf8(&r));
	result_free(&r);
}

static void
parse__no_declaration_and_bad_bytes__read_as_windows_1252(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "cp1252_nodecl.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.feed_title, "Homs \u2013 Aleppo");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].title, "Erdo\u00f0an\u2019s visit");
	assert_true(repaired_utf8(&r));
	result_free(&r);
}

static void
parse__declared_or_http_charset__decides_whether_utf8_is_repaired(void **state)
{
	struct result	r = { 0 };

	(void)state;
	/* A declared single-byte encoding is libxml2's to convert: nothing to repair. */
	run_file(&r, "cp1252_declared.xml", 0, NULL, NULL, NULL);
	assert_string_equal(r.feed_title, "\u201cHoms\u201d caf\u00e9");
	assert_false(repaired_utf8(&r));
	result_free(&r);
	/* The declaration is believed when nothing else speaks: UTF-8 bytes read as Latin-1. */
	run_file(&r, "utf8_declared_latin1.xml", 0, NULL, NULL, NULL);
	assert_string_equal(r.feed_title, "Caf\u00c3\u00a9");
	result_free(&r);
	/* The HTTP charset beats the declaration (RFC 7303)... */
	run_file(&r, "utf8_declared_latin1.xml", 0, NULL, "utf-8", NULL);
	assert_string_equal(r.feed_title, "Caf\u00e9");
	assert_false(repaired_utf8(&r));
	result_free(&r);
	/* ...and when it says UTF-8 over windows-1252 bytes, the repair reads them right. */
	run_file(&r, "cp1252_declared.xml", 0, NULL, "UTF-8", NULL);
	assert_string_equal(r.feed_title, "\u201cHoms\u201d caf\u00e9");
	assert_true(repaired_utf8(&r));
	result_free(&r);
	/* An HTTP windows-1252 over an undeclared document: libxml2 converts, nothing repaired. */
	run_file(&r, "cp1252_nodecl.xml", 0, NULL, "windows-1252", NULL);
	assert_string_equal(r.feed_title, "Homs \u2013 Aleppo");
	assert_string_equal(r.items[0].title, "Erdo\u00f0an\u2019s visit");
	assert_false(repaired_utf8(&r));
	result_free(&r);
	/* A UTF-8 byte order mark beats the declaration. */
	run_file(&r, "utf8_bom_declared_latin1.xml", 0, NULL, NULL, NULL);
	assert_string_equal(r.feed_title, "Caf\u00e9 \u00e9");
	assert_true(repaired_utf8(&r));
	result_free(&r);
}

static void
parse__utf8_sequence_cut_by_end_of_document__is_invalid(void **state)
{
	static const size_t chunks[] = { 0, 1, 2, 7 };
	struct result	r = { 0 };
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		run_file(&r, "utf8_cut_at_end.xml", chunks[i], NULL, NULL, NULL);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.n, 1);
		if (!repaired_utf8(&r))
			fail_msg("%zu-byte chunks: repairs %s", chunks[i], r.repairs);
		result_free(&r);
	}
	/* The same bytes followed by the rest of a sequence are valid: nothing repaired. */
	run_mem(&r, "<rss><channel><title>\xe2\x80\x99</title></channel></rss>", 48, 1, NULL,
	    NULL, NULL);
	assert_string_equal(r.feed_title, "\u2019");
	assert_false(repaired_utf8(&r));
	result_free(&r);
}

static void
parse__unclosed_inline_tag__item_fields_stay_apart(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "unclosed_inline.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 3);
	/* The channel title's unclosed <i> does not swallow the channel link or the items. */
	assert_string_equal(r.feed_title, "Feed <i>unclosed</i>");
	assert_string_equal(r.feed_link, "http://un.example/");
	assert_string_equal(r.items[0].title, "First <b>unclosed</b>");
	assert_string_equal(r.items[0].link, "http://un.example/1");
	assert_string_equal(r.items[0].summary, "Desc one");
	assert_string_equal(r.items[0].id, "id1");
	assert_int_equal(r.items[0].published_t, 1055217600);
	assert_string_equal(r.items[1].title, "Second");
	assert_string_equal(r.items[1].summary, "Text <p>unclosed</p>");
	assert_string_equal(r.items[1].link, "http://un.example/2");
	assert_string_equal(r.items[1].author, "Ann");
	assert_string_equal(r.items[1].cats, "c2");
	assert_non_null(r.repairs);
	result_free(&r);

	run_file(&r, "unclosed_inline_atom.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.items[0].title, "One <b>bold</b>");
	assert_string_equal(r.items[0].link, "http://ua.example/1");
	assert_string_equal(r.items[0].id, "urn:ua:1");
	assert_string_equal(r.items[0].summary, "S1");
	assert_string_equal(r.items[1].title, "Two");
	assert_string_equal(r.items[1].id, "urn:ua:2");
	result_free(&r);
}

static void
parse__well_formed_markup_named_like_a_field__stays_in_the_field(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "unclosed_inline.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.n, 3);
	/* Nothing inside this description was broken, so its <link> is markup, not the link. */
	assert_string_equal(r.items[2].summary, "See <span>the <link>inner</link> one</span>");
	assert_string_equal(r.items[2].link, "http://un.example/3");
	result_free(&r);
}

static void
parse__html_page__is_not_a_feed(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "html_page.html", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "not a feed (root element <html>)");
	assert_int_equal(r.n, 0);
	assert_false(r.feed_called);
	result_free(&r);
	/* JSON that is not JSON Feed (JSON Feed itself: test_parse_json) */
	run_mem(&r, "{\"channel\": []}", 15, 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "not a feed"));
	result_free(&r);
	run_mem(&r, "", 0, 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.error, "not a feed"));
	result_free(&r);
}

static void
parse__external_entity__never_read(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "xxe.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.n, 1);
	assert_null(strstr(r.dump.data, "root:"));
	assert_string_equal(r.feed_title, "XXE  end");
	assert_string_equal(r.items[0].title, "Item plain text");	/* internal text entity */
	result_free(&r);
}

static void
parse__billion_laughs__expansion_stays_small(void **state)
{
	struct result	r = { 0 };
	clock_t		start = clock();

	(void)state;
	run_file(&r, "billion_laughs.xml", 0, NULL, NULL, NULL);
	assert_true(r.dump.len < 4096);
	assert_null(strstr(r.dump.data, "lollollol"));
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
	result_free(&r);
}

static void
parse__byte_field_depth_limits__each_gives_a_clear_error(void **state)
{
	struct parse_limits	lim;
	struct result		r = { 0 };

	(void)state;
	parse_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 64u * 1024 * 1024);
	assert_int_equal(lim.max_items, 5000);
	assert_int_equal(lim.max_field, 1024 * 1024);
	assert_int_equal(lim.max_depth, 256);

	parse_limits_default(&lim);
	lim.max_bytes = 100;
	run_file(&r, "rss20.xml", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "document larger than 100 bytes");
	result_free(&r);

	parse_limits_default(&lim);
	lim.max_field = 10;
	run_file(&r, "rss20.xml", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "field <title> longer than 10 bytes");
	result_free(&r);

	parse_limits_default(&lim);
	lim.max_depth = 3;
	run_file(&r, "rss20.xml", 0, NULL, NULL, &lim);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "elements nested deeper than 3");
	result_free(&r);
}

static void
parse__feed_at_max_items__skips_nothing(void **state)
{
	struct parse_limits	lim;
	struct result		r = { 0 };

	(void)state;
	parse_limits_default(&lim);
	lim.max_items = 4;	/* rss20.xml has 4 */
	run_file(&r, "rss20.xml", 1, NULL, NULL, &lim);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.skipped, 0);
	result_free(&r);
	lim.max_items = 1;
	run_file(&r, "rss20.xml", 1, NULL, NULL, &lim);
	assert_int_equal(r.rc, 0);
	assert_null(r.error);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.skipped, 3);
	assert_string_equal(r.items[0].title, "Clashes near Homs");
	assert_string_equal(r.feed_title, "Levant & Co");
	result_free(&r);
}

static void
parse__non_http_links__dropped(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "links_rss.xml", 0, "http://news.example/feed.xml", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 10);
	assert_null(r.feed_link);			/* javascript: */
	assert_null(r.items[0].link);			/* javascript: */
	assert_null(r.items[1].link);			/* JaVa<tab>ScRiPt: */
	assert_string_equal(r.items[2].link, "https://news.example/good");	/* after data: */
	assert_null(r.items[3].link);			/* mailto: */
	assert_null(r.items[4].link);			/* file: */
	assert_string_equal(r.items[5].link, "http://news.example/story/7");
	result_free(&r);

	run_file(&r, "links_atom.xml", 0, "https://atom.example/feed", NULL, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.feed_link, "https://atom.example/");
	assert_string_equal(r.items[0].link, "https://atom.example/entries/1");
	assert_null(r.items[3].link);			/* vbscript: */
	result_free(&r);
}

static void
parse__guid_or_id__a_link_only_when_a_permalink_url(void **state)
{
	struct result	r = { 0 };

	(void)state;
	run_file(&r, "links_rss.xml", 0, "http://news.example/feed.xml", NULL, NULL);
	assert_null(r.items[6].link);			/* "12345" is not resolved into a link */
	assert_string_equal(r.items[6].id, "12345");
	assert_null(r.items[7].link);			/* tag: */
	assert_string_equal(r.items[7].id, "tag:news.example,2024:8");
	assert_string_equal(r.items[8].link, "HTTPS://news.example/9");
	assert_null(r.items[9].link);			/* javascript: */
	result_free(&r);

	run_file(&r, "links_atom.xml", 0, "https://atom.example/feed", NULL, NULL);
	assert_null(r.items[1].link);			/* tag: id */
	assert_string_equal(r.items[1].id, "tag:atom.example,2024:2");
	assert_null(r.items[2].link);			/* an Atom id is never the link */
	assert_string_equal(r.items[2].id, "http://atom.example/3");
	result_free(&r);
}

static void
parse__deep_nesting__stopped_at_default_depth(void **state)
{
	struct buf	b;
	struct result	r = { 0 };
	int		i;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "<rss><channel>");
	for (i = 0; i < 10000; i++)
		buf_puts(&b, "<x>");
	run_mem(&r, b.data, b.len, 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.error, "elements nested deeper than 256");
	result_free(&r);
	buf_free(&b);
}

static void
parse__item_callback_stop__stops_parsing(void **state)
{
	struct result	r = { 0 };

	(void)state;
	r.stop_after = 1;
	run_file(&r, "rss20.xml", 0, NULL, NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.error, "stopped by the item callback");
	result_free(&r);
}

static void
parse__chunking__same_result_for_1_7_and_whole(void **state)
{
	static const char *const files[] = {
		"rss20.xml", "atom10.xml", "atom03.xml", "rss10.xml", "rss091.xml",
		"html_entities.xml", "bad_xml.xml", "xxe.xml", "billion_laughs.xml",
		"utf16le_bom.xml", "utf16be_nobom.xml", "utf32le_bom.xml", "utf32be_nobom.xml",
		"bad_utf8.xml", "html_page.html", "cp1252_in_utf8.xml", "cp1252_nodecl.xml",
		"cp1252_declared.xml", "utf8_declared_latin1.xml", "utf8_bom_declared_latin1.xml",
		"utf8_cut_at_end.xml", "unclosed_inline.xml", "unclosed_inline_atom.xml"
	};
	static const size_t chunks[] = { 1, 2, 3, 7, 64 };
	struct result	whole = { 0 }, r = { 0 };
	size_t		i, j;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		run_file(&whole, files[i], 0, "http://base.example/", NULL, NULL);
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			run_file(&r, files[i], chunks[j], "http://base.example/", NULL, NULL);
			if (r.rc != whole.rc || r.n != whole.n ||
			    strcmp(r.dump.data ? r.dump.data : "", whole.dump.data ? whole.dump.data : "") != 0)
				fail_msg("%s differs with %zu-byte chunks:\n%s\nvs whole:\n%s", files[i],
				    chunks[j], r.dump.data, whole.dump.data);
			result_free(&r);
		}
		result_free(&whole);
	}
}

/* Counts items; the streaming test has thousands. */
static int
count_cb(void *arg, const struct parse_item *it)
{
	(void)it;
	(*(size_t *)arg)++;
	return 0;
}

enum big_kind { BIG_UTF8, BIG_LATIN1, BIG_HTTP_CP1252, BIG_UTF16LE };

/*
 * A feed of n items, about 480 bytes each, with what makes the input stage carry bytes across
 * chunk edges: multibyte characters, stray '&', references. UTF-16LE is made from the UTF-8.
 */
static void
big_feed(struct buf *b, enum big_kind kind, size_t n)
{
	const char	*e = kind == BIG_UTF8 || kind == BIG_UTF16LE ? "\xc3\xa9" : "\xe9";
	struct buf	 u;
	size_t		 i;

	buf_init(&u, 0);
	if (kind == BIG_LATIN1)
		buf_puts(&u, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
	else if (kind != BIG_UTF16LE)
		buf_puts(&u, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	buf_puts(&u, "<rss version=\"2.0\"><channel><title>Big</title><link>http://big.example/</link>\n");
	for (i = 0; i < n; i++)
		buf_printf(&u, "<item><title>Item %zu in Homs, caf%s AT&T</title>"
		    "<link>http://big.example/%zu?a=1&b=2</link><guid>big-%zu</guid>"
		    "<description>&lt;p&gt;Aleppo %s talks &amp; convoy; the minister said the road "
		    "near the border was open again this morning, sources reported, and aid "
		    "reached the city before the evening; officials in the province confirmed "
		    "the ceasefire talks resumed; Damascus, Idlib and Hama saw no fighting "
		    "overnight, the council said in a statement&lt;/p&gt;</description></item>\n", i, e, i, i, e);
	buf_puts(&u, "</channel></rss>\n");
	buf_reset(b);
	if (kind != BIG_UTF16LE) {
		buf_append(b, u.data, u.len);
	} else {
		/* Every character here is below U+0800: two-byte UTF-8 becomes one UTF-16 unit. */
		buf_append(b, "\xff\xfe", 2);
		for (i = 0; i < u.len; i++) {
			unsigned c = (unsigned char)u.data[i];

			if (c >= 0xc0) {
				c = (c & 0x1f) << 6 | ((unsigned char)u.data[++i] & 0x3f);
			}
			buf_putc(b, (char)(c & 0xff));
			buf_putc(b, (char)(c >> 8));
		}
	}
	buf_free(&u);
}

static void
parse__feed_over_max_items__keeps_first_items(void **state)
{
	static const char	end[] = "</channel></rss>\n";
	struct result		r = { 0 };
	struct buf		b;

	(void)state;
	buf_init(&b, 0);
	big_feed(&b, BIG_UTF8, 5003);
	/* Something of the channel's own after the items: parsing must go on past the limit. */
	b.len -= strlen(end);
	buf_puts(&b, "<ttl>15</ttl>");
	buf_puts(&b, end);
	run_mem(&r, b.data, b.len, 16 * 1024, NULL, NULL, NULL);	/* the default 5000 */
	assert_int_equal(r.rc, 0);
	assert_null(r.error);
	assert_int_equal(r.n, 5000);
	assert_int_equal(r.skipped, 3);
	assert_string_equal(r.items[0].id, "big-0");
	assert_non_null(strstr(r.dump.data, "[http://big.example/4999?a=1&b=2][big-4999]"));
	assert_null(strstr(r.dump.data, "[big-5000]"));
	assert_true(r.feed_called);
	assert_string_equal(r.feed_title, "Big");
	assert_int_equal(r.ttl, 15 * 60);
	result_free(&r);
	buf_free(&b);
}

static void
parse__2mb_feed_in_16k_chunks__input_held_stays_under_64k(void **state)
{
	static const struct {
		enum big_kind	 kind;
		const char	*charset;
	} cases[] = {
		{ BIG_UTF8, NULL }, { BIG_LATIN1, NULL }, { BIG_HTTP_CP1252, "windows-1252" },
		{ BIG_UTF16LE, NULL }
	};
	const size_t	 nitems = 4500, chunk = 16384;
	struct parse_cb	 cb = { count_cb, NULL };
	struct parser	*p;
	struct buf	 b;
	size_t		 i, off, n, held, most;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		big_feed(&b, cases[i].kind, nitems);
		if (b.len < 2 * 1024 * 1024)
			fail_msg("case %zu: only %zu bytes", i, b.len);
		n = 0;
		most = 0;
		p = parser_new(&cb, &n, "http://big.example/", cases[i].charset, NULL);
		assert_non_null(p);
		for (off = 0; off < b.len; off += chunk) {
			assert_int_equal(parser_feed(p, b.data + off,
			    b.len - off < chunk ? b.len - off : chunk), 0);
			held = parser_buffered(p);
			if (held > most)
				most = held;
			if (held >= 64 * 1024)
				fail_msg("case %zu: %zu bytes held after %zu of %zu", i, held,
				    off + chunk, b.len);
		}
		assert_int_equal(parser_finish(p), 0);
		assert_int_equal(n, nitems);
		/* The measure is live: libxml2 holds something between chunks. */
		assert_true(most > 0);
		parser_free(p);
	}
	buf_free(&b);
}

static void
parse__resolve_uri__rfc3986(void **state)
{
	char	*s;

	(void)state;
	s = parse_resolve_uri("../b?x=1", "http://h.example/a/c/d");
	assert_string_equal(s, "http://h.example/a/b?x=1");
	free(s);
	s = parse_resolve_uri("https://other/", "http://h.example/");
	assert_string_equal(s, "https://other/");
	free(s);
	s = parse_resolve_uri("Ä", "http://h.example/dir/");
	assert_string_equal(s, "http://h.example/dir/Ä");
	free(s);
	s = parse_resolve_uri("rel", NULL);
	assert_string_equal(s, "rel");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__rss20__channel_and_item_fields),
		cmocka_unit_test(parse__rss_guid__only_a_permalink_becomes_the_link),
		cmocka_unit_test(parse__atom10__alternate_link_xml_base_and_constructs),
		cmocka_unit_test(parse__atom03__escaped_base64_and_xhtml_modes),
		cmocka_unit_test(parse__rss10_rdf__about_dublin_core_and_syndication),
		cmocka_unit_test(parse__declared_latin1_and_http_charset__decoded),
		cmocka_unit_test(parse__utf16_and_utf32__with_and_without_bom),
		cmocka_unit_test(parse__html_entities__mapped_and_repair_recorded),
		cmocka_unit_test(parse__bad_xml__items_recovered_and_repair_recorded),
		cmocka_unit_test(parse__stray_bytes_in_utf8__do_not_stop_the_feed),
		cmocka_unit_test(parse__invalid_utf8__each_bad_byte_read_as_windows_1252),
		cmocka_unit_test(parse__no_declaration_and_bad_bytes__read_as_windows_1252),
		cmocka_unit_test(parse__declared_or_http_charset__decides_whether_utf8_is_repaired),
		cmocka_unit_test(parse__utf8_sequence_cut_by_end_of_document__is_invalid),
		cmocka_unit_test(parse__unclosed_inline_tag__item_fields_stay_apart),
		cmocka_unit_test(parse__well_formed_markup_named_like_a_field__stays_in_the_field),
		cmocka_unit_test(parse__html_page__is_not_a_feed),
		cmocka_unit_test(parse__external_entity__never_read),
		cmocka_unit_test(parse__billion_laughs__expansion_stays_small),
		cmocka_unit_test(parse__byte_field_depth_limits__each_gives_a_clear_error),
		cmocka_unit_test(parse__feed_over_max_items__keeps_first_items),
		cmocka_unit_test(parse__feed_at_max_items__skips_nothing),
		cmocka_unit_test(parse__non_http_links__dropped),
		cmocka_unit_test(parse__guid_or_id__a_link_only_when_a_permalink_url),
		cmocka_unit_test(parse__deep_nesting__stopped_at_default_depth),
		cmocka_unit_test(parse__item_callback_stop__stops_parsing),
		cmocka_unit_test(parse__chunking__same_result_for_1_7_and_whole),
		cmocka_unit_test(parse__2mb_feed_in_16k_chunks__input_held_stays_under_64k),
		cmocka_unit_test(parse__resolve_uri__rfc3986),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
