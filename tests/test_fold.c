/* test_fold.c: unit tests for fold.c (text folding for matching, offset map, word characters). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fold.h"

struct fold_case {
	const char	*name;
	const char	*in;
	int		 flags;
	const char	*want;
};

static const struct fold_case cases[] = {
	/* Latin with diacritics, both ways. */
	{ "diacritics__erdogan_with_breve__folds_to_ascii", "Erdoğan", FOLD_ALL, "erdogan" },
	{ "diacritics__erdogan_plain__stays", "Erdogan", FOLD_ALL, "erdogan" },
	{ "diacritics__decomposed_breve__folds_like_composed", "Erdog\xcc\x86" "an", FOLD_ALL, "erdogan" },
	{ "diacritics__sao_paulo__loses_tilde", "São Paulo", FOLD_ALL, "sao paulo" },
	{ "exact__decomposed_breve__composes_nfc", "Erdog\xcc\x86" "an", 0, "Erdoğan" },
	{ "exact__case_and_marks__kept", "Erdoğan UN", 0, "Erdoğan UN" },
	/* A two-byte letter followed by a mark composes with it (ü + acute = ǘ). */
	{ "exact__two_byte_letter_then_mark__composes", "\xc3\xbc\xcc\x81", 0, "\xc7\x98" },
	{ "exact__decomposed_letter_two_marks__composes", "u\xcc\x88\xcc\x81", 0, "\xc7\x98" },
	{ "case_only__marks_kept", "ÉRDOĞAN", FOLD_CASE, "érdoğan" },
	{ "marks_only__case_kept", "ÉRDOĞAN", FOLD_MARKS, "ERDOGAN" },
	/* Turkish. */
	{ "turkish__dotted_capital_i__folds_to_i", "İstanbul", FOLD_ALL, "istanbul" },
	{ "turkish__dotless_i__folds_to_i", "Diyarbakır", FOLD_ALL, "diyarbakir" },
	{ "turkish__uppercase__folds_to_i", "DİYARBAKIR", FOLD_ALL, "diyarbakir" },
	{ "turkish__dotless_i_exact__kept", "Diyarbakır", 0, "Diyarbakır" },
	/* Hebrew geresh and gershayim: as news types them, ' and " */
	{ "hebrew__geresh__apostrophe", "צ׳ילה", FOLD_ALL, "צ'ילה" },
	{ "hebrew__gershayim__quote", "צה״ל", 0, "צה\"ל" },
	/* German sharp s changes length. */
	{ "german__sharp_s__becomes_ss", "Straße", FOLD_ALL, "strasse" },
	/* Cyrillic and Greek case folding. */
	{ "cyrillic__damascus__lowercase", "Дамаск", FOLD_ALL, "дамаск" },
	{ "cyrillic__syria_capitals__fold", "СИРИЯ", FOLD_ALL, "сирия" },
	{ "cyrillic__syria_title__fold", "Сирия", FOLD_ALL, "сирия" },
	{ "greek__final_sigma__same_as_sigma", "Οδυσσεύς", FOLD_ALL, "οδυσσευσ" },
	{ "greek__capital_sigma__same_as_sigma", "ΟΔΥΣΣΕΥΣ", FOLD_ALL, "οδυσσευσ" },
	/* Arabic. */
	{ "arabic__harakat_and_wasla__removed", "حِزْبُ ٱللَّٰه", FOLD_ALL, "حزب الله" },
	{ "arabic__tatweel__removed", "حــزب الله", FOLD_ALL, "حزب الله" },
	{ "arabic__alef_hamza__plain_alef", "أحمد إسلام آمن", FOLD_ALL, "احمد اسلام امن" },
	{ "arabic__teh_marbuta__heh", "حماة", FOLD_ALL, "حماه" },
	{ "arabic__alef_maqsura__yeh", "مستشفى", FOLD_ALL, "مستشفي" },
	{ "arabic__waw_yeh_hamza__plain", "مؤتمر رئيس", FOLD_ALL, "موتمر رييس" },
	{ "arabic__exact__harakat_kept", "حِزْب", 0, "حِزْب" },
	{ "arabic__exact__tanwin_and_tatweel_dropped", "وفداً قطـرياً", 0, "وفدا قطريا" },
	{ "arabic__presentation_form__nfkc", "\xef\xbb\xb7", FOLD_ALL, "لا" },
	{ "arabic__alef_maqsura_final_form__yeh", "عل\xef\xbb\xb0", FOLD_ALL, "علي" },
	{ "arabic__zwnj_between_words__removed", "حزب\xe2\x80\x8cالله", FOLD_ALL, "حزبالله" },
	/* Persian yeh (ی) and keheh (ک) are the Arabic yeh and kaf, in every presentation form. */
	{ "persian__yeh__arabic_yeh", "علی", FOLD_ALL, "علي" },
	{ "persian__keheh__arabic_kaf", "کرمان", FOLD_ALL, "كرمان" },
	{ "persian__final_forms__arabic_letters", "\xef\xaf\xbd \xef\xae\x8f", FOLD_ALL, "ي ك" },
	{ "persian__initial_forms__arabic_letters", "\xef\xaf\xbe\xef\xae\x90", FOLD_ALL, "يك" },
	{ "persian__exact__yeh_and_keheh_kept", "علی کرمان", 0, "علی کرمان" },
	{ "persian__marks_only__yeh_folds", "علی", FOLD_MARKS, "علي" },
	{ "persian__case_only__yeh_kept", "علی", FOLD_CASE, "علی" },
	/* Apostrophes and quotes. */
	{ "apostrophe__right_single_quote", "Syria’s", FOLD_ALL, "syria's" },
	{ "apostrophe__left_single_quote", "Syria‘s", FOLD_ALL, "syria's" },
	{ "apostrophe__modifier_letter", "Syriaʼs", FOLD_ALL, "syria's" },
	{ "apostrophe__prime", "Syria′s", FOLD_ALL, "syria's" },
	{ "apostrophe__backtick", "Syria`s", FOLD_ALL, "syria's" },
	{ "apostrophe__acute_accent", "Syria´s", FOLD_ALL, "syria's" },
	{ "quotes__curly_and_guillemets__straight", "“a” «b» „c“", FOLD_ALL, "\"a\" \"b\" \"c\"" },
	/* Hyphens and dashes are spaces. */
	{ "hyphen__ascii__space", "al-Assad", FOLD_ALL, "al assad" },
	{ "hyphen__unicode_hyphen__space", "al‐Assad", FOLD_ALL, "al assad" },
	{ "hyphen__non_breaking__space", "al‑Assad", FOLD_ALL, "al assad" },
	{ "dash__figure_en_em_bar__spaces", "a‒b–c—d―e", FOLD_ALL, "a b c d e" },
	{ "dash__minus_small_fullwidth__spaces", "a−b﹣c－d", FOLD_ALL, "a b c d" },
	{ "hyphen__exact_too__space", "UN-named", 0, "UN named" },
	/* White space. */
	{ "space__nbsp__single_space", "Bashar\xc2\xa0" "al", FOLD_ALL, "bashar al" },
	{ "space__runs_and_line_breaks__collapse", "Bashar  \n\t\r\n al", FOLD_ALL, "bashar al" },
	{ "space__em_space_and_line_separator", "a\xe2\x80\x83" "b\xe2\x80\xa8" "c", FOLD_ALL, "a b c" },
	{ "space__leading_trailing__one_each", "  Homs  ", FOLD_ALL, " homs " },
	{ "space__dash_between_spaces__one_space", "Homs - Hama", FOLD_ALL, "homs hama" },
	/* Invisible characters are removed. */
	{ "invisible__zwsp__removed", "Hez\xe2\x80\x8b" "bollah", FOLD_ALL, "hezbollah" },
	{ "invisible__zwnj__removed", "Hez\xe2\x80\x8c" "bollah", FOLD_ALL, "hezbollah" },
	{ "invisible__soft_hyphen__removed", "Hez\xc2\xad" "bollah", FOLD_ALL, "hezbollah" },
	{ "invisible__bidi_marks__removed", "\xe2\x80\x8fHoms\xe2\x80\x8e", FOLD_ALL, "homs" },
	{ "invisible__bom__removed", "\xef\xbb\xbfHoms", FOLD_ALL, "homs" },
	/* Compatibility forms. */
	{ "nfkc__ligature__letters", "ﬁnance", FOLD_ALL, "finance" },
	{ "nfkc__fullwidth__ascii", "ＵＮ", FOLD_ALL, "un" },
	{ "nfkc__fullwidth_exact__case_kept", "ＵＮ", 0, "UN" },
	/* Bad input. */
	{ "invalid__stray_byte__space", "a\xff" "b", FOLD_ALL, "a b" },
	{ "invalid__truncated_sequence__space", "a\xc3", FOLD_ALL, "a " },
	{ "invalid__surrogate__spaces", "a\xed\xa0\x80" "b", FOLD_ALL, "a b" },
	{ "control__nul_and_escape__space", "a\x1b[1mb", FOLD_ALL, "a [1mb" },
	{ "empty__stays_empty", "", FOLD_ALL, "" },
};

static void
fold__table__gives_expected_text(void **state)
{
	struct folded	 f;
	size_t		 i, k;
	int		 bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fold_text(cases[i].in, strlen(cases[i].in), cases[i].flags, &f);
		if (strcmp(f.s, cases[i].want) != 0 || f.len != strlen(f.s)) {
			print_error("%s: got \"%s\", want \"%s\"\n", cases[i].name, f.s, cases[i].want);
			bad++;
		}
		/* The map never goes backwards and ends at the input length. */
		for (k = 0; k < f.len; k++)
			assert_true(f.map[k] <= f.map[k + 1]);
		assert_int_equal(f.map[f.len], strlen(cases[i].in));
		folded_free(&f);
	}
	assert_int_equal(bad, 0);
}

static void
fold__nul_inside_length__becomes_space(void **state)
{
	struct folded	 f;

	(void)state;
	fold_text("a\0b", 3, FOLD_ALL, &f);
	assert_string_equal(f.s, "a b");
	folded_free(&f);
}

static void
fold__sharp_s__map_points_back_into_input(void **state)
{
	struct folded	 f;
	const char	*in = "Straße x";	/* ß is bytes 4-5 */

	(void)state;
	fold_text(in, strlen(in), FOLD_ALL, &f);
	assert_string_equal(f.s, "strasse x");
	assert_int_equal(f.map[3], 3);	/* a */
	assert_int_equal(f.map[4], 4);	/* s from ß */
	assert_int_equal(f.map[5], 4);	/* s from ß */
	assert_int_equal(f.map[6], 6);	/* e */
	assert_int_equal(f.map[8], 8);	/* x */
	assert_int_equal(f.map[9], 9);
	folded_free(&f);
}

static void
fold__removed_marks__map_skips_them(void **state)
{
	struct folded	 f;
	const char	*in = "Erdoğan Homs";	/* ğ is bytes 4-5 */

	(void)state;
	fold_text(in, strlen(in), FOLD_ALL, &f);
	assert_string_equal(f.s, "erdogan homs");
	assert_int_equal(f.map[4], 4);	/* g */
	assert_int_equal(f.map[5], 6);	/* a */
	assert_int_equal(f.map[8], 9);	/* h */
	folded_free(&f);
}

static void
fold__arabic_harakat__map_points_at_letters(void **state)
{
	struct folded	 f;
	const char	*in = "حِزْب";	/* ح ِ ز ْ ب: two bytes each */

	(void)state;
	fold_text(in, strlen(in), FOLD_ALL, &f);
	assert_string_equal(f.s, "حزب");
	assert_int_equal(f.map[0], 0);
	assert_int_equal(f.map[2], 4);	/* ز */
	assert_int_equal(f.map[4], 8);	/* ب */
	folded_free(&f);
}

static void
fold__large_mixed_input__is_linear_and_exact(void **state)
{
	const char	*piece = "Erdoğan حِزْبُ ٱللَّٰه Straße-İstanbul ";
	size_t		 plen = strlen(piece), n = 200000, i;
	char		*in = malloc(plen * n + 1);
	struct folded	 f, one;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * plen, piece, plen);
	in[plen * n] = '\0';
	fold_text(piece, plen, FOLD_ALL, &one);
	fold_text(in, plen * n, FOLD_ALL, &f);
	/* The piece ends in a space, so folding the whole is folding each piece. */
	assert_int_equal(f.len, one.len * n);
	assert_memory_equal(f.s + one.len * (n - 1), one.s, one.len);
	assert_int_equal(f.map[one.len * 7 + 3], one.map[3] + plen * 7);
	folded_free(&f);
	folded_free(&one);
	free(in);
}

/* The reference for ASCII text: A-Z lowered, separators to one space, ` to '. */
static size_t
ascii_reference(const char *in, size_t len, char *out)
{
	size_t		 i, n = 0;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		else if (c <= ' ' || c == '-' || c == 0x7f)
			c = ' ';
		else if (c == '`')
			c = '\'';
		if (c == ' ' && n > 0 && out[n - 1] == ' ')
			continue;
		out[n++] = (char)c;
	}
	return n;
}

static void
fold__long_ascii__lowered_and_spaces_collapsed_at_any_alignment(void **state)
{
	static const char	 alphabet[] = "aZ@[`{ -\t\n\x7f\x01.,'AQzm09";
	char			 in[600], want[600];
	struct folded		 f;
	struct fold_buf		 b = { 0 };
	unsigned		 seed = 1;
	size_t			 t, i, len, n;

	(void)state;
	for (t = 0; t < 2000; t++) {
		len = t % 97 + (t % 5 == 0 ? 400 : 0);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly letters and single spaces, like text; sometimes anything. */
			in[i] = (seed >> 16) % 4 ? "abcdEFGH xyz"[(seed >> 8) % 12] :
			    alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
		}
		n = ascii_reference(in, len, want);
		fold_text(in, len, FOLD_ALL, &f);
		assert_int_equal(f.len, n);
		assert_memory_equal(f.s, want, n);
		fold_buf_text(&b, in, len, FOLD_ALL);
		assert_int_equal(b.len, n);
		assert_memory_equal(b.s, want, n);
		for (i = 0; i <= n; i++)
			assert_int_equal(fold_buf_offset(&b, i), f.map[i]);
		folded_free(&f);
	}
	fold_buf_free(&b);
}

/* The reusable buffer gives fold_text's text, and its map at the first byte of every character. */
static void
fold__buf__same_text_and_offsets_as_fold_text(void **state)
{
	struct folded	 f;
	struct fold_buf	 b = { 0 };
	size_t		 i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fold_text(cases[i].in, strlen(cases[i].in), cases[i].flags, &f);
		fold_buf_text(&b, cases[i].in, strlen(cases[i].in), cases[i].flags);
		assert_int_equal(b.len, f.len);
		assert_string_equal(b.s, f.s);
		for (k = 0; k <= f.len; k++)
			if (k == f.len || ((unsigned char)f.s[k] & 0xC0) != 0x80)
				assert_int_equal(fold_buf_offset(&b, k), f.map[k]);
		/* Continuation bytes belong to their character in fold_text's map. */
		for (k = 1; k < f.len; k++)
			if (((unsigned char)f.s[k] & 0xC0) == 0x80)
				assert_int_equal(f.map[k], f.map[k - 1]);
		folded_free(&f);
	}
	fold_buf_free(&b);
}

static void
fold__wordchar__letters_marks_digits_only(void **state)
{
	(void)state;
	assert_true(fold_is_wordchar('a'));
	assert_true(fold_is_wordchar('Z'));
	assert_true(fold_is_wordchar('7'));
	assert_true(fold_is_wordchar(0x011F));	/* ğ */
	assert_true(fold_is_wordchar(0x062D));	/* ح */
	assert_true(fold_is_wordchar(0x0434));	/* д */
	assert_true(fold_is_wordchar(0x0301));	/* combining acute */
	assert_true(fold_is_wordchar(0x0661));	/* Arabic-Indic one */
	assert_false(fold_is_wordchar(' '));
	assert_false(fold_is_wordchar('\''));
	assert_false(fold_is_wordchar('('));
	assert_false(fold_is_wordchar('_'));
	assert_false(fold_is_wordchar(0x060C));	/* Arabic comma */
	assert_false(fold_is_wordchar(0x00AB));	/* « */
}

static void
fold__wordchar_before_and_at__decode_utf8(void **state)
{
	const char	*s = "ab ğ,ح";	/* a b ' ' ğ(3-4) , ح(6-7) */

	(void)state;
	assert_false(fold_wordchar_before(s, 0));
	assert_true(fold_wordchar_before(s, 1));
	assert_false(fold_wordchar_before(s, 3));
	assert_true(fold_wordchar_before(s, 5));	/* ğ ends at 5 */
	assert_false(fold_wordchar_before(s, 6));
	assert_true(fold_wordchar_before(s, 8));
	assert_true(fold_wordchar_at(s, strlen(s), 3));
	assert_false(fold_wordchar_at(s, strlen(s), 5));
	assert_true(fold_wordchar_at(s, strlen(s), 6));
	assert_false(fold_wordchar_at(s, strlen(s), 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold__table__gives_expected_text),
		cmocka_unit_test(fold__nul_inside_length__becomes_space),
		cmocka_unit_test(fold__sharp_s__map_points_back_into_input),
		cmocka_unit_test(fold__removed_marks__map_skips_them),
		cmocka_unit_test(fold__arabic_harakat__map_points_at_letters),
		cmocka_unit_test(fold__large_mixed_input__is_linear_and_exact),
		cmocka_unit_test(fold__long_ascii__lowered_and_spaces_collapsed_at_any_alignment),
		cmocka_unit_test(fold__buf__same_text_and_offsets_as_fold_text),
		cmocka_unit_test(fold__wordchar__letters_marks_digits_only),
		cmocka_unit_test(fold__wordchar_before_and_at__decode_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
