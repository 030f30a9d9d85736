/* test_ini.c: the INI line reader, alone: kinds of lines, comments, continuations, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ini.h"

/*
 * Each line read is written as one row, so a test states the whole reading of a file at once:
 * "N E" blank or comment, "N S [name]" header, "N K key=value", "N M key+value" continuation,
 * "N X error"; a header's error follows it after " !".
 */
static void
row(char *out, size_t outsz, const struct ini_line *l)
{
	size_t	 n = strlen(out);

	switch (l->kind) {
	case INI_EMPTY:
		snprintf(out + n, outsz - n, "%d E\n", l->lineno);
		break;
	case INI_SECTION:
		snprintf(out + n, outsz - n, "%d S [%s]%s%s\n", l->lineno,
		    l->name ? l->name : "(null)", l->error ? " !" : "", l->error ? l->error : "");
		break;
	case INI_KEY:
		snprintf(out + n, outsz - n, "%d K %s=%s\n", l->lineno, l->key, l->value);
		break;
	case INI_MORE:
		snprintf(out + n, outsz - n, "%d M %s+%s\n", l->lineno, l->key, l->value);
		break;
	case INI_ERROR:
		snprintf(out + n, outsz - n, "%d X %s\n", l->lineno, l->error);
		break;
	}
}

/* Reads text (len bytes) with lines of at most max bytes; returns the rows (static). */
static const char *
read_all(const char *text, size_t len, size_t max)
{
	static char	 out[4096];
	struct ini	 r;
	struct ini_line	 l;
	FILE		*fp;
	int		 n;

	out[0] = '\0';
	assert_non_null(fp = fmemopen((void *)text, len, "r"));
	ini_init(&r, fp, max);
	while ((n = ini_next(&r, &l)) == 1)
		row(out, sizeof(out), &l);
	assert_int_equal(n, 0);
	ini_free(&r);
	fclose(fp);
	return out;
}

#define READ(text)	read_all(text, strlen(text), 1000)

static void
lines__each_kind__numbered_from_one(void **state)
{
	(void)state;
	assert_string_equal(READ(
	    "; comment\n"
	    "\n"
	    "# comment too\n"
	    "[feed bbc]\n"
	    "url = https://example.com/?a=1\n"
	    "no equals sign here\n"),
	    "1 E\n2 E\n3 E\n4 S [feed bbc]\n5 K url=https://example.com/?a=1\n"
	    "6 X expected key = value, a [section] or a ; comment\n");
}

static void
comments__start_only_at_space_semicolon__hash_is_kept(void **state)
{
	(void)state;
	assert_string_equal(READ(
	    "a = x ; a comment\n"
	    "b = x;y\n"
	    "c = x # not a comment\n"
	    "d =;x\n"
	    "e = ; all comment\n"
	    "f\t=\tspaced\t\n"),
	    "1 K a=x\n2 K b=x;y\n3 K c=x # not a comment\n4 K d=;x\n5 K e=\n6 K f=spaced\n");
	/* " ;" before any "=" makes the line no key = value */
	assert_string_equal(READ("a ; = b\n"), "1 X expected key = value, a [section] or a ; comment\n");
}

static void
keys__end_at_first_equals_or_colon(void **state)
{
	(void)state;
	assert_string_equal(READ("url: https://x/\nk = a:b=c\n= v\n"),
	    "1 K url=https://x/\n2 K k=a:b=c\n3 K =v\n");
}

static void
continuation__indented_after_key__is_more_of_that_key(void **state)
{
	(void)state;
	assert_string_equal(READ(
	    "[rule r]\n"
	    "actors = a,\n"
	    "   b, c ; comment stripped here too\n"
	    "\n"
	    "; comments and blank lines do not end it\n"
	    "\td #x\n"
	    "  keywords = k\n"
	    "  [feed f]\n"
	    "keywords = k\n"),
	    "1 S [rule r]\n2 K actors=a,\n3 M actors+b, c\n4 E\n5 E\n6 M actors+d #x\n"
	    "7 M actors+keywords = k\n8 M actors+[feed f]\n9 K keywords=k\n");
}

static void
continuation__after_header_or_at_start_or_empty_key__is_not(void **state)
{
	(void)state;
	assert_string_equal(READ("  a = 1\n[x]\n  b = 2\n  c\n"),
	    "1 K a=1\n2 S [x]\n3 K b=2\n4 M b+c\n");
	assert_string_equal(READ("[x]\n  b\n"),
	    "1 S [x]\n2 X expected key = value, a [section] or a ; comment\n");
	assert_string_equal(READ("= v\n  w\n"),
	    "1 K =v\n2 X expected key = value, a [section] or a ; comment\n");
	/* a line that is no key = value does not end the key above */
	assert_string_equal(READ("a = 1\nbad\n  more\n"),
	    "1 K a=1\n2 X expected key = value, a [section] or a ; comment\n3 M a+more\n");
}

static void
headers__broken_or_trailing_text__say_so(void **state)
{
	(void)state;
	assert_string_equal(READ(
	    "[ feed  a ] ; comment\n"
	    "[feed b]# comment\n"
	    "[feed c] junk\n"
	    "[feed d ; comment]\n"
	    "[feed e\n"),
	    "1 S [ feed  a ]\n2 S [feed b]\n"
	    "3 S [feed c] !unexpected text after the section header\n"
	    "4 S [(null)] !expected ] to close the section header\n"
	    "5 S [(null)] !expected ] to close the section header\n");
	/* a broken header leaves the key above: it goes on, and its caller ignores it */
	assert_string_equal(READ("a = 1\n[x\n  b\n"),
	    "1 K a=1\n2 S [(null)] !expected ] to close the section header\n3 M a+b\n");
}

static void
bom_crlf_and_no_final_newline__are_read(void **state)
{
	(void)state;
	assert_string_equal(READ("\xef\xbb\xbf[x]\r\nk = v\r\n  w\r\nlast = 1"),
	    "1 S [x]\n2 K k=v\n3 M k+w\n4 K last=1\n");
	/* only on the first line */
	assert_string_equal(READ("a = 1\n\xef\xbb\xbf" "b = 2\n"), "1 K a=1\n2 K \xef\xbb\xbf" "b=2\n");
	assert_string_equal(READ(""), "");
}

static void
limits__long_line_and_nul__are_errors_and_the_next_line_counts(void **state)
{
	(void)state;
	assert_string_equal(read_all("k = 1234\nk = 12345\nk = 123456789\nx = 1\n", 39, 8),
	    "1 K k=1234\n2 X line is longer than 8 bytes\n3 X line is longer than 8 bytes\n"
	    "4 K x=1\n");
	/* the newline does not count; a last line without one is measured the same */
	assert_string_equal(read_all("12345678\n123456789", 18, 8),
	    "1 X expected key = value, a [section] or a ; comment\n"
	    "2 X line is longer than 8 bytes\n");
	assert_string_equal(read_all("a = 1\nb = \0 2\nc = 3\n", 20, 100),
	    "1 K a=1\n2 X line contains a NUL byte\n3 K c=3\n");
}

static void
read_error__returns_minus_one_with_errno(void **state)
{
	struct ini	 r;
	struct ini_line	 l;
	FILE		*fp;

	(void)state;
	assert_non_null(fp = fopen("/", "r"));	/* a directory opens, but reading fails */
	ini_init(&r, fp, 100);
	errno = 0;
	assert_int_equal(ini_next(&r, &l), -1);
	assert_int_equal(errno, EISDIR);
	ini_free(&r);
	fclose(fp);
}

static void
readers__interleaved__keep_their_own_state(void **state)
{
	const char	*a = "[a]\nk = 1\n  more\n", *b = "x = 1\n[b]\n  y = 2\n";
	struct ini	 ra, rb;
	struct ini_line	 la, lb;
	FILE		*fa, *fb;
	int		 i;

	(void)state;
	assert_non_null(fa = fmemopen((void *)a, strlen(a), "r"));
	assert_non_null(fb = fmemopen((void *)b, strlen(b), "r"));
	ini_init(&ra, fa, 100);
	ini_init(&rb, fb, 10);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(ini_next(&ra, &la), 1);
		assert_int_equal(ini_next(&rb, &lb), 1);
		assert_int_equal(la.lineno, i);
		assert_int_equal(lb.lineno, i);
	}
	/* a's third line continues k; b's is a new key because [b] came between */
	assert_int_equal(la.kind, INI_MORE);
	assert_string_equal(la.key, "k");
	assert_int_equal(lb.kind, INI_KEY);
	assert_string_equal(lb.key, "y");
	assert_int_equal(ini_next(&ra, &la), 0);
	assert_int_equal(ini_next(&rb, &lb), 0);
	ini_free(&ra);
	ini_free(&rb);
	fclose(fa);
	fclose(fb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines__each_kind__numbered_from_one),
		cmocka_unit_test(comments__start_only_at_space_semicolon__hash_is_kept),
		cmocka_unit_test(keys__end_at_first_equals_or_colon),
		cmocka_unit_test(continuation__indented_after_key__is_more_of_that_key),
		cmocka_unit_test(continuation__after_header_or_at_start_or_empty_key__is_not),
		cmocka_unit_test(headers__broken_or_trailing_text__say_so),
		cmocka_unit_test(bom_crlf_and_no_final_newline__are_read),
		cmocka_unit_test(limits__long_line_and_nul__are_errors_and_the_next_line_counts),
		cmocka_unit_test(read_error__returns_minus_one_with_errno),
		cmocka_unit_test(readers__interleaved__keep_their_own_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
