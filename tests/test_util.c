/* test_util.c: bounded buffers, JSON strings, one-line text, paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static void
buf__append_past_cap__fails_and_keeps_content(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_puts(&b, "6789"), -1);
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_puts(&b, "678"), 0);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(buf_putc(&b, 'x'), -1);
	buf_free(&b);
}

static void
buf__huge_length__does_not_wrap(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "a"), 0);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(b.len, 1);
	buf_free(&b);
}

static void
json_string__escapes_controls_quotes_and_bad_utf8(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 0);
	buf_json_string(&b, "a\"b\\c\nd\te\x1b[2J\xc2\x9b\xe2\x80\xa8\xff Erdo\xc4\x9f" "an");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\te\\u001b[2J\\u009b\\u2028\xef\xbf\xbd "
	    "Erdo\xc4\x9f" "an\"");
	buf_reset(&b);
	buf_json_string(&b, NULL);
	assert_string_equal(b.data, "null");
	buf_free(&b);
}

static void
str_utf8__bad_bytes_become_replacement_characters(void **state)
{
	char	*s;
	int	 bad = -1;

	(void)state;
	s = str_utf8("Hom\xffs \xc3\xa9", 8, &bad);
	assert_string_equal(s, "Hom\xef\xbf\xbds \xc3\xa9");
	assert_int_equal(bad, 1);
	free(s);
	/* a sequence cut by the end of the range is bad too */
	s = str_utf8("ab\xc3\xa9", 3, &bad);
	assert_string_equal(s, "ab\xef\xbf\xbd");
	free(s);
	s = str_utf8("Homs", 4, &bad);
	assert_string_equal(s, "Homs");
	assert_int_equal(bad, 0);
	free(s);
}

static void
utf8_decode__code_points_and_invalid_sequences(void **state)
{
	uint32_t	 cp = 0;

	(void)state;
	assert_int_equal(utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode((const unsigned char *)"\xd8\xad", 2, &cp), 2);	/* ح */
	assert_int_equal(cp, 0x062D);
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2\x80\x8c", 3, &cp), 3);
	assert_int_equal(cp, 0x200C);
	assert_int_equal(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* cut short, a lone continuation byte, overlong, a surrogate: none */
	assert_int_equal(utf8_decode((const unsigned char *)"\xd8\xad", 1, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(utf8_seq((const unsigned char *)"\xd8\xad", 2), 2);
}

static void
str_oneline__newlines_and_escapes_become_single_spaces(void **state)
{
	char	*s;

	(void)state;
	s = str_oneline("Title\r\nwith\x1b]0;forged\x07 lines\xe2\x80\xa8 end \n");
	assert_string_equal(s, "Title with ]0;forged lines end");
	free(s);
	s = str_oneline("Hezbollah \xe2\x80\x99s");
	assert_string_equal(s, "Hezbollah \xe2\x80\x99s");
	free(s);
}

static void
time_iso8601__formats_utc(void **state)
{
	char	out[21];

	(void)state;
	time_iso8601(1733407380, out);
	assert_string_equal(out, "2024-12-05T14:03:00Z");
}

static void
fmt_duration__largest_exact_unit_as_written(void **state)
{
	static const struct {
		unsigned	 seconds;
		const char	*text;
	} cases[] = {
		{ 2592000, "30d" }, { 86400, "1d" }, { 7200, "2h" }, { 5400, "90m" }, { 600, "10m" },
		{ 90, "90s" }, { 1, "1s" }, { 0, "0s" }, { 86401, "86401s" },
		{ 4294967295u, "4294967295s" }, { 4294944000u, "49710d" },
	};
	char	 buf[16];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_duration(cases[i].seconds, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
	fmt_duration(2592000, buf, 3);	/* cut, still a string */
	assert_string_equal(buf, "30");
}

static void
path_expand__tilde_uses_home(void **state)
{
	char	*p;

	(void)state;
	setenv("HOME", "/home/analyst", 1);
	p = path_expand("~/state");
	assert_string_equal(p, "/home/analyst/state");
	free(p);
	p = path_expand("/abs/~x");
	assert_string_equal(p, "/abs/~x");
	free(p);
}

static void
mkdir_p__makes_parents_with_mode(void **state)
{
	char		 tmpl[] = "/tmp/nwutil.XXXXXX", *dir, *deep;
	struct stat	 st;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	deep = xasprintf("%s/a/b/c", dir);
	assert_int_equal(mkdir_p(deep, 0700), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(mkdir_p(deep, 0700), 0);	/* exists already: fine */
	free(deep);
	deep = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(deep), 0);
	free(deep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf__append_past_cap__fails_and_keeps_content),
		cmocka_unit_test(buf__huge_length__does_not_wrap),
		cmocka_unit_test(json_string__escapes_controls_quotes_and_bad_utf8),
		cmocka_unit_test(str_utf8__bad_bytes_become_replacement_characters),
		cmocka_unit_test(utf8_decode__code_points_and_invalid_sequences),
		cmocka_unit_test(str_oneline__newlines_and_escapes_become_single_spaces),
		cmocka_unit_test(time_iso8601__formats_utc),
		cmocka_unit_test(fmt_duration__largest_exact_unit_as_written),
		cmocka_unit_test(path_expand__tilde_uses_home),
		cmocka_unit_test(mkdir_p__makes_parents_with_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
