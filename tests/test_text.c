/* test_text.c: HTML to text, plain-text cleaning and the entity table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

static void
check_html(const char *in, const char *want)
{
	char	*got = text_from_html(in, strlen(in), 1 << 20);

	if (strcmp(got, want) != 0)
		fail_msg("text_from_html(\"%s\") = \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void
text__tags__removed_and_blocks_become_line_breaks(void **state)
{
	(void)state;
	check_html("<b>Homs</b> <i>today</i>", "Homs today");
	check_html("<p>one</p><p>two</p>", "one\ntwo");
	check_html("a<br>b<br/>c<BR />d", "a\nb\nc\nd");
	check_html("<div><p>x</p></div><ul><li>a</li><li>b</li></ul>", "x\na\nb");
	check_html("<h1>T</h1>body", "T\nbody");
	check_html("<a href=\"x>y\" title='a>b'>link</a>", "link");
	check_html("1 < 2 and 3 > 2", "1 < 2 and 3 > 2");
}

static void
text__script_style_comments__dropped_cdata_kept(void **state)
{
	(void)state;
	check_html("a<script>alert('<b>x</b>')</script>b", "ab");
	check_html("a<SCRIPT type=x>var s = '</p>';</SCRIPT >b", "ab");
	check_html("a<style>p { color: red }</style>b", "ab");
	check_html("a<!-- hidden <b>x</b> -->b", "ab");
	check_html("a<![CDATA[<kept> &amp;]]>b", "a<kept> &amp;b");
	check_html("a<!DOCTYPE html>b<?php x ?>c", "abc");
	check_html("a<script>never closed", "a");
}

static void
text__references__decoded(void **state)
{
	(void)state;
	check_html("Erdo&#287;an &amp; Aleppo", "Erdoğan & Aleppo");
	check_html("&#x41;&#X42;&#67;", "ABC");
	check_html("caf&eacute; &Eacute;T&Eacute;", "café ÉTÉ");
	check_html("&lt;b&gt; &quot;q&quot; &apos;a&apos;", "<b> \"q\" 'a'");
	check_html("it&rsquo;s &hellip; &mdash; &euro;", "it’s … — €");
	check_html("&#146;", "’");			/* windows-1252 range, as HTML5 */
	check_html("&#0;&#xD800;&#x110000;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_html("&copy 2024 &amp AT&T", "© 2024 & AT&T");	/* legacy names without ';' */
	check_html("&copy2024", "©2024");
	check_html("&notin; &noti", "∉ ¬i");
	check_html("&bogus; & &#; &#xZ;", "&bogus; & &#; &#xZ;");
	check_html("&#65", "A");
}

static void
text__white_space__collapsed_and_trimmed(void **state)
{
	(void)state;
	check_html("  a \t\r\n  b  ", "a b");
	check_html("a&nbsp;&nbsp;b", "a b");
	check_html("<p> a </p>\n\n<p> b </p>", "a\nb");
	check_html("<br><br>a<br><br><br>b<br>", "a\nb");
	check_html("", "");
	check_html("<p></p>", "");
	check_html("a\x01\x7f b", "a b");
}

static void
text__output_cap__cut_on_utf8_boundary(void **state)
{
	char	*s;

	(void)state;
	s = text_from_html("ééé", 6, 3);	/* é is 2 bytes: 3 bytes hold one */
	assert_string_equal(s, "é");
	free(s);
	s = text_from_html("abcdef", 6, 3);
	assert_string_equal(s, "abc");
	free(s);
	s = text_from_html("<b>abcdef</b>ghi", 6, 100);	/* reads only len bytes */
	assert_string_equal(s, "abc");
	free(s);
	s = text_from_html("€€", 6, 5);
	assert_string_equal(s, "€");
	free(s);
	s = text_from_html(NULL, 0, 10);
	assert_string_equal(s, "");
	free(s);
}

static void
text__plain__keeps_single_line_breaks(void **state)
{
	char	*s;

	(void)state;
	s = text_from_plain("  a  b \n\n\n c <b>&amp;  ", 100, 100);
	assert_string_equal(s, "a b\nc <b>&amp;");
	free(s);
	s = text_from_plain("ééé", 6, 5);
	assert_string_equal(s, "éé");
	free(s);
}

static void
text__entity_table__sorted_complete_and_found(void **state)
{
	static const char *const html4[] = {
		"nbsp", "iexcl", "yuml", "Aacute", "szlig", "fnof", "Alpha", "omega", "thetasym",
		"bull", "hellip", "prime", "oline", "frasl", "weierp", "image", "real", "trade",
		"alefsym", "larr", "hArr", "forall", "part", "exist", "empty", "nabla", "isin",
		"notin", "ni", "prod", "sum", "minus", "lowast", "radic", "prop", "infin", "ang",
		"and", "or", "cap", "cup", "int", "there4", "sim", "cong", "asymp", "ne", "equiv",
		"le", "ge", "sub", "sup", "nsub", "sube", "supe", "oplus", "otimes", "perp", "sdot",
		"lceil", "rceil", "lfloor", "rfloor", "lang", "rang", "loz", "spades", "clubs",
		"hearts", "diams", "quot", "amp", "lt", "gt", "OElig", "oelig", "Scaron", "scaron",
		"Yuml", "circ", "tilde", "ensp", "emsp", "thinsp", "zwnj", "zwj", "lrm", "rlm",
		"ndash", "mdash", "lsquo", "rsquo", "sbquo", "ldquo", "rdquo", "bdquo", "dagger",
		"Dagger", "permil", "lsaquo", "rsaquo", "euro", "apos"
	};
	const char	*prev = NULL, *name;
	char		 out[8];
	size_t		 i, n = 0;

	(void)state;
	for (i = 0; (name = text_entity_name(i)) != NULL; i++) {
		if (prev != NULL && strcmp(prev, name) >= 0)
			fail_msg("entity table not sorted at %s, %s", prev, name);
		assert_true(text_entity_lookup(name, strlen(name), out) > 0);
		prev = name;
		n++;
	}
	assert_true(n >= 252 + 1);
	for (i = 0; i < sizeof(html4) / sizeof(html4[0]); i++)
		if (text_entity_lookup(html4[i], strlen(html4[i]), out) == 0)
			fail_msg("missing entity %s", html4[i]);
	assert_int_equal(text_entity_lookup("eacute", 6, out), 2);
	assert_string_equal(out, "é");
	assert_int_equal(text_entity_lookup("eacutex", 6, out), 2);	/* namelen honoured */
	assert_int_equal(text_entity_lookup("Eacute", 6, out), 2);
	assert_string_equal(out, "É");
	assert_int_equal(text_entity_lookup("EACUTE", 6, out), 0);	/* case-sensitive */
	assert_int_equal(text_entity_lookup("nosuch", 6, out), 0);
	assert_int_equal(text_entity_lookup("", 0, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text__tags__removed_and_blocks_become_line_breaks),
		cmocka_unit_test(text__script_style_comments__dropped_cdata_kept),
		cmocka_unit_test(text__references__decoded),
		cmocka_unit_test(text__white_space__collapsed_and_trimmed),
		cmocka_unit_test(text__output_cap__cut_on_utf8_boundary),
		cmocka_unit_test(text__plain__keeps_single_line_breaks),
		cmocka_unit_test(text__entity_table__sorted_complete_and_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
