/* test_article.c: the article extractor: limits, charsets, hostile pages, chunking, and its F1. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "article.h"
#include "util.h"

#define DEV_DIR		NW_FIXTURES "/articles-dev"
#define GOLD_DIR	NW_FIXTURES "/articles"
#define HELDOUT_DIR	NW_FIXTURES "/articles-heldout"

/* ---- helpers ---- */

/* A whole file, NUL-terminated (caller frees); *len gets its size. Fails the test if absent. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	struct buf b;
	char	 chunk[8192];
	size_t	 n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	fclose(fp);
	*len = b.len;
	return buf_steal(&b);
}

/* The page fed in pieces of the given sizes (cycled); the text or NULL, with *why. */
static char *
extract_chunked(const char *html, size_t len, const char *charset, const size_t *sizes,
    size_t nsizes, const char **why)
{
	struct article	*a = article_new("test", charset, NULL);
	size_t		 off = 0, i = 0, n;
	char		*s = NULL;
	static char	 reason[200];

	while (off < len) {
		n = sizes[i++ % nsizes];
		if (n > len - off)
			n = len - off;
		if (article_feed(a, html + off, n) == -1)
			break;
		off += n;
	}
	if (off == len)
		s = article_finish(a);
	snprintf(reason, sizeof(reason), "%s", s == NULL ? article_error(a) : "");
	*why = reason;
	article_free(a);
	return s;
}

/* The error of a page fed whole, then finished; NULL when text came out. */
static const char *
error_of(const struct article_limits *lim, const char *page, size_t len)
{
	static char	 why[200];
	struct article	*a = article_new(NULL, NULL, lim);
	char		*s = NULL;

	if (article_feed(a, page, len) == 0)
		s = article_finish(a);
	snprintf(why, sizeof(why), "%s", s == NULL ? article_error(a) : "");
	free(s);
	article_free(a);
	return why[0] != '\0' ? why : NULL;
}

static char *
extract_ok(const char *html, const char *charset)
{
	const char	*why;
	char		*s = article_extract(html, strlen(html), charset, &why);

	if (s == NULL)
		fail_msg("no text: %s", why);
	assert_null(why);
	return s;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not in:\n%s", needle, hay);
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("\"%s\" should not be in:\n%s", needle, hay);
}

/* A plain article body: enough prose to be found. */
#define PARAS \
	"<p>The council voted on Tuesday to rebuild the old harbour wall, which storms " \
	"damaged last winter, at a cost of four million pounds.</p>" \
	"<p>Work will start in the spring, the council said, and should take two years; " \
	"the ferry will run from a temporary pier until then.</p>" \
	"<p>Residents, who had campaigned for the repair since January, welcomed the " \
	"decision but asked for the footpath to reopen sooner.</p>"

/* ---- unit tests ---- */

static void
article__plain_page__body_paragraphs_out_one_a_line(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<html><body><h1>Headline here</h1><div class=\"story\">" PARAS
	    "</div></body></html>", NULL);
	assert_non_null(strstr(s, "The council voted on Tuesday"));
	assert_lacks(s, "Headline here");
	/* Three paragraphs, two newlines, no trailing one, white space single. */
	assert_int_equal(strchr(strchr(strchr(s, '\n') + 1, '\n') + 1, '\n') == NULL, 1);
	assert_lacks(s, "  ");
	assert_int_not_equal(s[strlen(s) - 1], '\n');
	free(s);
}

static void
article__boilerplate__left_out(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<html><head><title>T</title><style>p { color: red }</style>"
	    "<script>var x = \"script text\";</script></head><body>"
	    "<div class=\"cookie-banner\"><p>We use cookies to improve your experience, "
	    "as explained in our policy.</p></div>"
	    "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/w\">World</a></li></ul></nav>"
	    "<article><header><h1>Wall to be rebuilt</h1><p class=\"byline\">By Ann Smith</p>"
	    "<time>5 March 2024</time></header>"
	    "<figure><img src=x alt=y><figcaption>The harbour wall in January.</figcaption></figure>"
	    PARAS "<script>document.write('inline script text')</script>"
	    "<noscript>Enable JavaScript, please.</noscript>"
	    "<aside class=\"related\"><h3>Related</h3><ul><li><a href=\"/a\">Floods in Paris "
	    "close the Louvre for a week</a></li></ul></aside></article>"
	    "<section id=\"comments\"><p>I think this is a waste of money, frankly, and so "
	    "do my neighbours.</p></section>"
	    "<footer><p>Copyright 2024 The Harbour Times. All rights reserved.</p></footer>"
	    "</body></html>", NULL);
	assert_contains(s, "footpath to reopen sooner.");
	assert_lacks(s, "script text");
	assert_lacks(s, "color");
	assert_lacks(s, "cookies");
	assert_lacks(s, "Home");
	assert_lacks(s, "Wall to be rebuilt");
	assert_lacks(s, "Ann Smith");
	assert_lacks(s, "March");
	assert_lacks(s, "harbour wall in January");
	assert_lacks(s, "JavaScript");
	assert_lacks(s, "Paris");
	assert_lacks(s, "waste of money");
	assert_lacks(s, "Copyright");
	free(s);
}

static void
article__entities_and_nbsp__decoded_and_collapsed(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<body><div><p>Caf&eacute; &amp; bar&nbsp;&nbsp;owners, AT&T and "
	    "&#x4e2d;&#25991; speakers met &lt;today&gt; in the square.</p></div></body>", NULL);
	assert_string_equal(s, "Caf\xc3\xa9 & bar owners, AT&T and \xe4\xb8\xad\xe6\x96\x87 "
	    "speakers met <today> in the square.");
	free(s);
}

static void
article__http_charset__beats_the_meta(void **state)
{
	/* The bytes are windows-1252 ("caf\xe9"); the meta lies (UTF-8), HTTP is right. */
	const char	*page = "<html><head><meta charset=\"utf-8\"></head><body><p>The caf\xe9 "
	    "on the corner, open since 1950, closed its doors on Monday.</p></body></html>";
	char		*s;

	(void)state;
	s = extract_ok(page, "windows-1252");
	assert_contains(s, "caf\xc3\xa9 on the corner");
	free(s);
	s = extract_ok(page, "ISO-8859-1");
	assert_contains(s, "caf\xc3\xa9 on the corner");
	free(s);
}

static void
article__meta_charset__used_without_http(void **state)
{
	const char	*page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=iso-8859-15\"></head><body><p>Prices rose to 5 \xa4 a loaf, the bakers "
	    "said, and will rise again in May.</p></body></html>";
	const char	*page2 = "<html><head><meta charset='koi8-r'></head><body><p>\xf0\xd2\xc9"
	    "\xd7\xc5\xd4, the greeting read, in large letters on the wall.</p></body></html>";
	char		*s;

	(void)state;
	s = extract_ok(page, NULL);
	assert_contains(s, "5 \xe2\x82\xac a loaf");	/* 0xA4 is the euro in ISO-8859-15 */
	free(s);
	s = extract_ok(page2, NULL);
	assert_contains(s, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, the greeting");
	free(s);
	/* An unknown HTTP charset is ignored: the meta decides. */
	s = extract_ok(page, "x-no-such-charset");
	assert_contains(s, "5 \xe2\x82\xac a loaf");
	free(s);
}

static void
article__invalid_utf8__read_as_windows_1252(void **state)
{
	char	*s;

	(void)state;
	/* No charset anywhere: UTF-8, with the stray bytes repaired (smart quotes, e-acute). */
	s = extract_ok("<html><body><p>\x93Quoted,\x94 said Ren\xe9, and the caf\xc3\xa9 "
	    "agreed with him at once.</p></body></html>", NULL);
	assert_string_equal(s, "\xe2\x80\x9cQuoted,\xe2\x80\x9d said Ren\xc3\xa9, and the "
	    "caf\xc3\xa9 agreed with him at once.");
	free(s);
}

static void
article__heading_repeating_the_title__left_out(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<html><head><title>Harbour wall to be rebuilt | The Gazette</title></head>"
	    "<body><div class=\"entry\"><h2>Harbour wall to be rebuilt</h2>" PARAS
	    "<h2>What happens next</h2><p>The contract goes out to tender in March, and the "
	    "council expects bids from four firms.</p></div></body></html>", NULL);
	assert_lacks(s, "Harbour wall to be rebuilt");
	assert_contains(s, "What happens next\nThe contract");
	free(s);
}

static void
article__br_separated_paragraphs__one_a_line_links_line_dropped(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<html><body><div id=\"story\">The council voted on Tuesday to rebuild the "
	    "harbour wall, at a cost of four million pounds.<br><br>Work will start in the spring, "
	    "the council said, and should take two years.<br>\n<br><b>Related:</b> <a href=\"/a\">"
	    "Floods close the Louvre in Paris</a> &middot; <a href=\"/b\">Venice raises its "
	    "barrier again</a></div></body></html>", NULL);
	assert_string_equal(s, "The council voted on Tuesday to rebuild the harbour wall, at a "
	    "cost of four million pounds.\nWork will start in the spring, the council said, and "
	    "should take two years.");
	free(s);
}

static void
article__table_and_list__rows_one_a_line_kept_with_the_prose(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<body><div class=\"story\">" PARAS "<table><tr><th>Year</th><th>Votes"
	    "</th></tr><tr><td>2020</td><td>1,200</td></tr></table><ul><li>Milk</li><li>Eggs"
	    "</li></ul></div></body>", NULL);
	assert_contains(s, "reopen sooner.\nYear Votes\n2020 1,200\nMilk\nEggs");
	free(s);
}

static void
article__pull_quote_repeating_the_body__dropped_real_quote_kept(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<body><div class=\"story\">" PARAS "<blockquote><p>\xe2\x80\x9cwelcomed "
	    "the decision but asked for the footpath to reopen sooner\xe2\x80\x9d</p></blockquote>"
	    "<p>The mayor wrote to the minister:</p><blockquote><p>We cannot wait another winter "
	    "for the money we were promised.</p></blockquote></div></body>", NULL);
	assert_string_equal(strstr(s, "Residents"), "Residents, who had campaigned for the repair "
	    "since January, welcomed the decision but asked for the footpath to reopen sooner.\n"
	    "The mayor wrote to the minister:\nWe cannot wait another winter for the money we "
	    "were promised.");
	free(s);
}

static void
article__one_marked_article__beats_longer_unmarked_comments(void **state)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "<body><div class=\"w\"><article><h1>Wall</h1>" PARAS "</article><div "
	    "class=\"k\">");
	for (i = 0; i < 30; i++)
		buf_printf(&b, "<div class=\"k%zu\"><b>reader%zu</b><p>I think the council is wrong "
		    "about this, and I said so at the meeting in Oslo last week, loudly.</p></div>",
		    i % 3, i);
	buf_puts(&b, "</div></div></body>");
	s = extract_ok(b.data, NULL);
	assert_contains(s, "footpath to reopen sooner.");
	assert_lacks(s, "Oslo");
	free(s);
	buf_free(&b);
}

static void
article__next_story_loaded_below__first_only_dek_in_header_out(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<body><main><article><header><h1>Wall</h1><h2>A dek that sums the story "
	    "up, outside the body.</h2></header><div>" PARAS "</div></article><article><header>"
	    "<h1>Next story</h1></header><div><p>The ferry to the islands was cancelled on "
	    "Friday, and will not run again until the storm has passed, said its operator.</p>"
	    "<p>Passengers were offered refunds, the operator added, or seats on Monday.</p></div>"
	    "</article></main></body>", NULL);
	assert_contains(s, "The council voted on Tuesday");
	assert_lacks(s, "dek");
	assert_lacks(s, "ferry to the islands");
	free(s);
}

static void
article__content_hidden_behind_a_consent_dialog__found_by_the_retry(void **state)
{
	char	*s;

	(void)state;
	s = extract_ok("<body><div id=\"page\" aria-hidden=\"true\"><nav><a href=\"/\">Home</a>"
	    "</nav><div>" PARAS "</div></div><div class=\"consent\" role=\"dialog\"><p>We and "
	    "our 842 partners store and access information on your device, such as cookies, to "
	    "show you ads.</p><button>Accept</button></div></body>", NULL);
	assert_contains(s, "The council voted on Tuesday");
	assert_lacks(s, "partners");
	assert_lacks(s, "Home");
	free(s);
}

static void
article__rail_of_teasers_longer_than_the_story__left_out(void **state)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "<body><div class=\"a1\"><h1>Wall</h1><div class=\"a2\">" PARAS "</div></div>"
	    "<div class=\"b1\">");
	for (i = 0; i < 24; i++)
		buf_printf(&b, "<div class=\"b2\"><h3><a href=\"/s/%zu\">Fighting in Goma, day %zu"
		    "</a></h3><p>Aid convoys reached the city, officials said on Monday, as pressure "
		    "grows on the rebels.</p></div>", i, i);
	buf_puts(&b, "</div><div class=\"c1\"><h2><a href=\"#update-2\">Update: the vote</a></h2>"
	    "</div></body>");
	s = extract_ok(b.data, NULL);
	assert_contains(s, "footpath to reopen sooner.");
	assert_lacks(s, "Goma");
	assert_lacks(s, "convoys");
	free(s);
	buf_free(&b);
}

static void
article__short_post_whose_title_links_to_itself__not_a_teaser(void **state)
{
	static const char *const titles[] = { "Ferry cancelled again - Island Blog", "Island Blog" };
	struct buf	 b;
	char		*s;
	size_t		 i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < 2; i++) {
		buf_reset(&b);
		buf_printf(&b, "<html><head><title>%s</title></head><body><div id=\"primary\">"
		    "<article><h2><a href=\"/2024/ferry\">Ferry cancelled again</a></h2><div>"
		    "<p>The morning ferry was cancelled again today, the third time this week.</p>"
		    "</div></article></div><ul><li><a href=\"/a\">Lambing season</a></li></ul>"
		    "</body></html>", titles[i]);
		s = extract_ok(b.data, NULL);
		assert_string_equal(s, "The morning ferry was cancelled again today, the third "
		    "time this week.");
		free(s);
	}
	buf_free(&b);
}

static void
article__limits__each_said_in_words(void **state)
{
	struct article_limits	 lim;
	struct article		*a;
	struct buf		 b;
	size_t			 i;

	(void)state;
	/* Bytes. */
	article_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 4u * 1024 * 1024);
	lim.max_bytes = 2048;
	a = article_new(NULL, NULL, &lim);
	buf_init(&b, 0);
	for (i = 0; i < 100; i++)
		buf_puts(&b, "<p>Some text, and some more.</p>\n");
	assert_int_equal(article_feed(a, b.data, 2000), 0);
	assert_int_equal(article_feed(a, b.data, 100), -1);
	assert_string_equal(article_error(a), "page over 2 KiB limit");
	assert_int_equal(article_feed(a, "x", 1), -1);
	assert_null(article_finish(a));
	article_free(a);
	/* Elements: libxml2 gets 8 KiB at a time, so a limit shows in article_feed from then on. */
	article_limits_default(&lim);
	lim.max_nodes = 50;
	assert_string_equal(error_of(&lim, b.data, b.len), "page has more than 50 elements");
	a = article_new(NULL, NULL, &lim);
	for (i = 0; i < 10 && article_feed(a, b.data, b.len) == 0; i++)
		;
	assert_true(i < 10);
	assert_string_equal(article_error(a), "page has more than 50 elements");
	assert_null(article_finish(a));
	article_free(a);
	/* Text out. */
	article_limits_default(&lim);
	lim.max_text = 100;
	assert_string_equal(error_of(&lim, b.data, b.len), "main text over 100 bytes limit");
	/* Depth. */
	buf_reset(&b);
	for (i = 0; i < 40; i++)
		buf_puts(&b, "<div>");
	buf_puts(&b, "<p>Deep text, deep down, for the test.</p>");
	article_limits_default(&lim);
	lim.max_depth = 30;
	assert_string_equal(error_of(&lim, b.data, b.len), "page nested deeper than 30 elements");
	lim.max_depth = 60;
	assert_null(error_of(&lim, b.data, b.len));
	buf_free(&b);
}

static void
article__hostile_pages__fail_cleanly(void **state)
{
	struct buf	 b;
	const char	*why;
	char		*s;
	size_t		 i;
	unsigned	 x = 12345;

	(void)state;
	/* Deep nesting with the default limits: an error, not a crash. */
	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		buf_puts(&b, "<div>");
	assert_null(article_extract(b.data, b.len, NULL, &why));
	assert_non_null(why);
	/* A huge attribute: read, then ignored. */
	buf_reset(&b);
	buf_puts(&b, "<html><body><div class=\"");
	for (i = 0; i < 1000000; i++)
		buf_putc(&b, "ab -"[i % 4]);
	buf_puts(&b, "\">" PARAS "</div></body></html>");
	s = article_extract(b.data, b.len, NULL, &why);
	assert_non_null(s);
	assert_contains(s, "harbour wall");
	free(s);
	/* No body, only a head. */
	assert_null(article_extract("<html><head><title>Only a title</title></head></html>", 52,
	    NULL, &why));
	assert_string_equal(why, "no main text found");
	/* Empty. */
	assert_null(article_extract("", 0, NULL, &why));
	assert_string_equal(why, "empty page");
	assert_null(article_extract("   \n", 4, NULL, &why));
	assert_string_equal(why, "not an HTML page (no markup at the start)");
	/* Binary junk and a PDF. */
	buf_reset(&b);
	for (i = 0; i < 5000; i++) {
		x = x * 1103515245 + 12345;
		buf_putc(&b, (char)(x >> 16));
	}
	b.data[0] = '<';
	assert_null(article_extract(b.data, b.len, NULL, &why));
	assert_non_null(why);
	assert_null(article_extract("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 16, NULL, &why));
	assert_string_equal(why, "not an HTML page (no markup at the start)");
	/* Unclosed everything, stray end tags. */
	s = extract_ok("<div><p>Unclosed paragraphs, all of them, with text in each one."
	    "</span></td><p>Another unclosed paragraph follows the first, as sloppy pages do."
	    "</div></div></article>", NULL);
	assert_contains(s, "as sloppy pages do.");
	free(s);
	buf_free(&b);
}

static void
article__chunking__same_text_however_cut(void **state)
{
	static const size_t	 one[] = { 1 };
	static const size_t	 odd[] = { 7, 1, 300, 2, 4096, 13, 3, 1000 };
	struct dirent		*e;
	DIR			*d;
	char			 path[1024], *html, *whole, *cut;
	const char		*why, *why2;
	size_t			 len, n = 0, sizes[64], i;
	unsigned		 x = 42;

	(void)state;
	if ((d = opendir(DEV_DIR)) == NULL)
		fail_msg("cannot open %s", DEV_DIR);
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".html") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", DEV_DIR, e->d_name);
		html = slurp(path, &len);
		whole = article_extract(html, len, NULL, &why);
		if (whole == NULL)
			fail_msg("%s: %s", e->d_name, why);
		cut = extract_chunked(html, len, NULL, one, 1, &why2);
		assert_non_null(cut);
		assert_string_equal(whole, cut);
		free(cut);
		cut = extract_chunked(html, len, NULL, odd, sizeof(odd) / sizeof(odd[0]), &why2);
		assert_non_null(cut);
		assert_string_equal(whole, cut);
		free(cut);
		for (i = 0; i < 64; i++) {
			x = x * 1103515245 + 12345;
			sizes[i] = 1 + (x >> 16) % 2000;
		}
		cut = extract_chunked(html, len, NULL, sizes, 64, &why2);
		assert_non_null(cut);
		assert_string_equal(whole, cut);
		free(cut);
		free(whole);
		free(html);
		n++;
	}
	closedir(d);
	assert_true(n >= 4);
}

static void
article__end_tag_of_style_across_a_block__page_still_read(void **state)
{
	/*
	 * libxml2 2.9.14 loses a </style> whose bytes arrive in two pushes ("</sty" + "le>"),
	 * and libxml2 gets the page in 8 KiB blocks: put the end tag across the first boundary.
	 */
	struct buf	 b;
	const char	*head = "<html><head><style>";
	char		*s;
	size_t		 k;

	(void)state;
	buf_init(&b, 0);
	for (k = 1; k < 9; k++) {
		buf_reset(&b);
		buf_puts(&b, head);
		while (b.len < 8192 - k)
			buf_puts(&b, b.len % 64 == 0 ? "\n" : "p");
		buf_puts(&b, "</style></head><body><div class=\"story\">" PARAS "</div></body></html>");
		s = extract_ok(b.data, NULL);
		assert_contains(s, "footpath to reopen sooner.");
		free(s);
	}
	buf_free(&b);
}

static void
article__content_type__html_only(void **state)
{
	(void)state;
	assert_int_equal(article_content_type_ok(NULL), 1);
	assert_int_equal(article_content_type_ok(""), 1);
	assert_int_equal(article_content_type_ok("text/html"), 1);
	assert_int_equal(article_content_type_ok("Text/HTML; charset=UTF-8"), 1);
	assert_int_equal(article_content_type_ok("application/xhtml+xml"), 1);
	assert_int_equal(article_content_type_ok("application/pdf"), 0);
	assert_int_equal(article_content_type_ok("application/json; charset=utf-8"), 0);
	assert_int_equal(article_content_type_ok("image/png"), 0);
	assert_int_equal(article_content_type_ok("application/rss+xml"), 0);
	assert_int_equal(article_content_type_ok("text/plain"), 0);
	assert_int_equal(article_content_type_ok("text/htmlx"), 0);
}

/* ---- extraction F1 against hand-marked texts ---- */

/* Token counts: maximal runs of ASCII letters and digits and bytes >= 0x80, lower-cased. */
struct bag {
	char	**tok;
	size_t	  n;
};

static int
tok_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tok_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c >= 0x80;
}

static void
bag_make(struct bag *g, const char *s)
{
	size_t	i, j, cap = 0;

	g->tok = NULL;
	g->n = 0;
	for (i = 0; s[i] != '\0';) {
		if (!tok_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; tok_byte((unsigned char)s[j]); j++)
			;
		if (g->n == cap) {
			cap = cap ? cap * 2 : 256;
			g->tok = xreallocarray(g->tok, cap, sizeof(*g->tok));
		}
		g->tok[g->n] = xstrndup(s + i, j - i);
		for (char *c = g->tok[g->n]; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		g->n++;
		i = j;
	}
	if (g->n > 0)
		qsort(g->tok, g->n, sizeof(*g->tok), tok_cmp);
}

static void
bag_free(struct bag *g)
{
	size_t	i;

	for (i = 0; i < g->n; i++)
		free(g->tok[i]);
	free(g->tok);
}

/* The size of the multiset intersection of two sorted bags. */
static size_t
bag_overlap(const struct bag *a, const struct bag *b)
{
	size_t	i = 0, j = 0, n = 0;
	int	c;

	while (i < a->n && j < b->n) {
		c = strcmp(a->tok[i], b->tok[j]);
		if (c == 0)
			n++, i++, j++;
		else if (c < 0)
			i++;
		else
			j++;
	}
	return n;
}

/* Token precision, recall and F1 of extracted text against the gold text. */
static void
token_f1(const char *got, const char *gold, double *p, double *r, double *f)
{
	struct bag	a, b;
	size_t		ov;

	bag_make(&a, got);
	bag_make(&b, gold);
	ov = bag_overlap(&a, &b);
	*p = a.n ? (double)ov / (double)a.n : 0;
	*r = b.n ? (double)ov / (double)b.n : 0;
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
	bag_free(&a);
	bag_free(&b);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Prints "PREFIX f1: NAME P R F1" for each page of dir with a .txt beside its .html, then the
 * average; *min and *avg get the lowest and mean F1. Returns the number of pages (0: no dir).
 */
static size_t
f1_dir(const char *dir, const char *prefix, double *min, double *avg)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	char		**names = NULL, path[1024], *html, *gold, *got;
	const char	*why;
	size_t		 n = 0, cap = 0, i, len, glen, k;
	double		 p, r, f, sum = 0;
	struct stat	 st;

	*min = 1;
	*avg = 0;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		k = strlen(e->d_name);
		if (k < 6 || strcmp(e->d_name + k - 5, ".html") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%.*s.txt", dir, (int)(k - 5), e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrndup(e->d_name, k - 5);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.html", dir, names[i]);
		html = slurp(path, &len);
		snprintf(path, sizeof(path), "%s/%s.txt", dir, names[i]);
		gold = slurp(path, &glen);
		got = article_extract(html, len, NULL, &why);
		token_f1(got != NULL ? got : "", gold, &p, &r, &f);
		printf("%s f1: %s %.3f %.3f %.3f%s%s\n", prefix, names[i], p, r, f,
		    got == NULL ? " (no text: " : "", got == NULL ? why : "");
		if (got == NULL)
			printf(")\n");
		if (f < *min)
			*min = f;
		sum += f;
		free(got);
		free(gold);
		free(html);
		free(names[i]);
	}
	free(names);
	if (n > 0) {
		*avg = sum / (double)n;
		printf("%s f1 average: %.3f (%zu pages)\n", prefix, *avg, n);
	}
	fflush(stdout);
	return n;
}

static void
article__f1_metric__counts_a_multiset(void **state)
{
	double	p, r, f;

	(void)state;
	token_f1("The cat, the CAT; a dog", "the cat sat", &p, &r, &f);
	/* got: the cat the cat a dog (6); gold: the cat sat (3); overlap: the, cat (2). */
	assert_true(p > 0.333 && p < 0.334);
	assert_true(r > 0.666 && r < 0.667);
	assert_true(f > 0.444 && f < 0.445);
	token_f1("Caf\xc3\xa9 au lait", "caf\xc3\xa9 AU", &p, &r, &f);
	assert_true(r == 1.0);
	token_f1("", "x", &p, &r, &f);
	assert_true(f == 0);
}

static void
article__fixture_pages__f1_at_least_0_9_on_average(void **state)
{
	double	min, avg;
	size_t	n;

	(void)state;
	n = f1_dir(GOLD_DIR, "article", &min, &avg);
	if (n == 0) {
		/* Until the hand-marked pages are merged, the development pages stand in. */
		n = f1_dir(DEV_DIR, "article dev", &min, &avg);
		assert_true(n >= 4);
	} else
		assert_true(n >= 20);
	assert_true(min >= 0.8);
	assert_true(avg >= 0.9);
	/* Held out: printed, never asserted, so that nobody tunes the extractor to it. */
	f1_dir(HELDOUT_DIR, "article held-out", &min, &avg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(article__plain_page__body_paragraphs_out_one_a_line),
		cmocka_unit_test(article__boilerplate__left_out),
		cmocka_unit_test(article__entities_and_nbsp__decoded_and_collapsed),
		cmocka_unit_test(article__http_charset__beats_the_meta),
		cmocka_unit_test(article__meta_charset__used_without_http),
		cmocka_unit_test(article__invalid_utf8__read_as_windows_1252),
		cmocka_unit_test(article__heading_repeating_the_title__left_out),
		cmocka_unit_test(article__br_separated_paragraphs__one_a_line_links_line_dropped),
		cmocka_unit_test(article__table_and_list__rows_one_a_line_kept_with_the_prose),
		cmocka_unit_test(article__pull_quote_repeating_the_body__dropped_real_quote_kept),
		cmocka_unit_test(article__one_marked_article__beats_longer_unmarked_comments),
		cmocka_unit_test(article__next_story_loaded_below__first_only_dek_in_header_out),
		cmocka_unit_test(article__content_hidden_behind_a_consent_dialog__found_by_the_retry),
		cmocka_unit_test(article__rail_of_teasers_longer_than_the_story__left_out),
		cmocka_unit_test(article__short_post_whose_title_links_to_itself__not_a_teaser),
		cmocka_unit_test(article__limits__each_said_in_words),
		cmocka_unit_test(article__hostile_pages__fail_cleanly),
		cmocka_unit_test(article__chunking__same_text_however_cut),
		cmocka_unit_test(article__end_tag_of_style_across_a_block__page_still_read),
		cmocka_unit_test(article__content_type__html_only),
		cmocka_unit_test(article__f1_metric__counts_a_multiset),
		cmocka_unit_test(article__fixture_pages__f1_at_least_0_9_on_average),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
