/* test_text.c - UTF-8 and identifier checks (server/text.c). */
#include "unit.h"

#include "core/text.h"

#include <stdio.h>

#include <string.h>

static int valid(const char *s)
{
	return text_utf8_valid(s, strlen(s));
}

/* Plain ASCII, Indonesian text with punctuation, accents and emoji are well-formed. */
static void test_utf8_accepts_real_text(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("Sila keempat Pancasila dilambangkan dengan kepala banteng."));
	assert_true(valid("Harga Rp 10.000 \xE2\x80\x94 \"murah\" & <cepat>")); /* em dash */
	assert_true(valid("Caf\xC3\xA9 di Jakarta"));                             /* é */
	assert_true(valid("Selamat! \xF0\x9F\x98\x80\xF0\x9F\x87\xAE\xF0\x9F\x87\xA9")); /* 😀 🇮🇩 */
	assert_true(valid("\xEF\xBF\xBF"));     /* U+FFFF */
	assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, last before surrogates */
	assert_true(valid("\xEE\x80\x80"));     /* U+E000, first after surrogates */
	assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
}

/* Overlong encodings of ASCII and of larger code points are rejected. */
static void test_utf8_rejects_overlong(void **state)
{
	(void)state;
	assert_false(valid("\xC0\xAF"));         /* '/' in 2 bytes */
	assert_false(valid("\xC1\xBF"));         /* U+007F in 2 bytes */
	assert_false(valid("\xE0\x80\xAF"));     /* '/' in 3 bytes */
	assert_false(valid("\xE0\x9F\xBF"));     /* U+07FF in 3 bytes */
	assert_false(valid("\xF0\x80\x80\xAF")); /* '/' in 4 bytes */
	assert_false(valid("\xF0\x8F\xBF\xBF")); /* U+FFFF in 4 bytes */
}

/* UTF-16 surrogate code points (U+D800..U+DFFF) are rejected. */
static void test_utf8_rejects_surrogates(void **state)
{
	(void)state;
	assert_false(valid("\xED\xA0\x80")); /* U+D800 */
	assert_false(valid("\xED\xB0\x80")); /* U+DC00 */
	assert_false(valid("\xED\xBF\xBF")); /* U+DFFF */
	assert_false(valid("ok \xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 style emoji */
}

/* Truncated sequences, stray continuation bytes and bytes that never occur are rejected. */
static void test_utf8_rejects_truncated_and_invalid(void **state)
{
	(void)state;
	assert_false(valid("\xC3"));             /* lead byte at the end */
	assert_false(valid("\xE2\x82"));         /* 2 of 3 bytes of € */
	assert_false(valid("\xF0\x9F\x98"));     /* 3 of 4 bytes of 😀 */
	assert_false(valid("a\xE2\x82" "b"));    /* truncated inside text */
	assert_false(valid("\x80"));             /* lone continuation byte */
	assert_false(valid("\xE2\x28\xA1"));     /* bad continuation */
	assert_false(valid("\xF4\x90\x80\x80")); /* above U+10FFFF */
	assert_false(valid("\xF8\x88\x80\x80\x80")); /* 5-byte form */
	assert_false(valid("\xFF"));
	assert_false(valid("\xFE"));
	/* The length argument bounds the check: é cut after its first byte. */
	assert_false(text_utf8_valid("\xC3\xA9", 1));
	assert_true(text_utf8_valid("\xC3\xA9", 2));
}

/* text_utf8_chars counts code points, not bytes. */
static void test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_chars(""), 0);
	assert_int_equal(text_utf8_chars("abc"), 3);
	assert_int_equal(text_utf8_chars("Caf\xC3\xA9"), 4);
	assert_int_equal(text_utf8_chars("\xE2\x82\xAC" "1"), 2);        /* €1 */
	assert_int_equal(text_utf8_chars("\xF0\x9F\x98\x80!"), 2);       /* 😀! */
	assert_int_equal(text_utf8_chars("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 4);
}

/* C0 controls and DEL are flagged; newline, CR and tab only pass when allowed. */
static void test_has_control(void **state)
{
	(void)state;
	assert_false(text_has_control("plain text", 0));
	assert_false(text_has_control("Caf\xC3\xA9 \xF0\x9F\x98\x80", 0));
	assert_true(text_has_control("a\x01" "b", 0));
	assert_true(text_has_control("a\x01" "b", 1));
	assert_true(text_has_control("esc\x1b[0m", 1));
	assert_true(text_has_control("del\x7f", 1));
	assert_true(text_has_control("line\nbreak", 0));
	assert_false(text_has_control("line\nbreak", 1));
	assert_true(text_has_control("tab\there", 0));
	assert_false(text_has_control("tab\there\r\n", 1));
	assert_true(text_has_control("\x1f", 1));
	assert_false(text_has_control(" ~", 0)); /* 0x20 and 0x7E are printable */
}

/* C1 control characters (U+0080..U+009F, e.g. NEL U+0085, CSI U+009B) are
 * control characters too (Unicode category Cc). */
static void test_has_control_c1(void **state)
{
	(void)state;
	assert_true(text_has_control("next\xC2\x85line", 1)); /* U+0085 NEL */
	assert_true(text_has_control("\xC2\x9B" "31m", 1));   /* U+009B CSI */
	assert_false(text_has_control("\xC2\xA0", 0));        /* U+00A0 NBSP is not a control */
}

/* text_is_ident: character classes, length limits, first-character rule. */
static void test_is_ident(void **state)
{
	(void)state;
	assert_true(text_is_ident("TWK", 16, "A0_", 0));
	assert_true(text_is_ident("SEC_2", 16, "A0_", 0));
	assert_false(text_is_ident("twk", 16, "A0_", 0));  /* lower case not in class */
	assert_false(text_is_ident("", 16, "A0_", 0));     /* empty */
	assert_true(text_is_ident("ABCDEFGHIJKLMNOP", 16, "A0_", 0));   /* exactly maxlen */
	assert_false(text_is_ident("ABCDEFGHIJKLMNOPQ", 16, "A0_", 0)); /* maxlen + 1 */
	assert_true(text_is_ident("_X", 16, "A0_", 0));
	assert_false(text_is_ident("_X", 16, "A0_", 1));   /* must start alnum */
	assert_true(text_is_ident("TIU-031.b_2", 64, "Aa0._-", 1));
	assert_false(text_is_ident("-x", 64, "Aa0._-", 1));
	assert_false(text_is_ident("a b", 64, "Aa0._-", 0));
	assert_false(text_is_ident("a/b", 64, "Aa0._-", 0));
	assert_false(text_is_ident("caf\xC3\xA9", 64, "Aa0._-", 0));
	assert_true(text_is_ident("deret_angka", 40, "a0_-", 1));
	assert_false(text_is_ident("Deret", 40, "a0_-", 1));
	assert_true(text_is_ident("123", 40, "0", 1));
	assert_false(text_is_ident("12a", 40, "0", 1));
}

/* Scrubbing keeps valid text byte for byte and turns every byte outside a
 * valid sequence into '?', so the result is always valid UTF-8. */
static void test_utf8_scrub(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Soal nomor 3", "Soal nomor 3" },
		{ "Bahasa \xc3\xa9t\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x99\x82", "Bahasa \xc3\xa9t\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x99\x82" },
		{ "F00\xd0\x8c\x8c\x86ord", "F00\xd0\x8c??ord" },      /* a 2-byte sequence, then strays */
		{ "cut \xc3", "cut ?" },                                 /* cut short at the end */
		{ "cut \xe2\x80", "cut ??" },
		{ "\xc0\xaf over", "?? over" },                          /* overlong '/' */
		{ "\xed\xa0\x80 sur", "??? sur" },                      /* a surrogate */
		{ "\xff\xfe", "??" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", cases[i].in);
		text_utf8_scrub(buf);
		assert_string_equal(buf, cases[i].out);
		assert_true(text_utf8_valid(buf, strlen(buf)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_real_text),
		cmocka_unit_test(test_utf8_rejects_overlong),
		cmocka_unit_test(test_utf8_rejects_surrogates),
		cmocka_unit_test(test_utf8_rejects_truncated_and_invalid),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_has_control),
		cmocka_unit_test(test_has_control_c1),
		cmocka_unit_test(test_is_ident),
		cmocka_unit_test(test_utf8_scrub),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
