/* test_pwhash.c - staff password hashes: scrypt in the stored text form
 * "scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>" (server/auth/pwhash.c).
 *
 * A hash of another cost is computed here directly with OpenSSL's EVP_KDF,
 * independently of the module, so the test checks that pwhash_check reads
 * the cost from the stored text rather than assuming the default. */
#include "unit.h"

#include "auth/pwhash.h"
#include "bounds.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SALT_HEX 32
#define HASH_HEX 64

static const char pw1[] = "correct horse battery";

/* 1 if s is exactly n lowercase hex digits. */
static int is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* Split a stored text into its six fields; 1 if it has exactly six. */
static int split6(const char *stored, char f[6][80])
{
	const char *s = stored;
	for (int i = 0; i < 6; i++) {
		size_t n = strcspn(s, "$");
		if (n >= 80)
			return 0;
		memcpy(f[i], s, n);
		f[i][n] = '\0';
		s += n;
		if (i < 5) {
			if (*s != '$')
				return 0;
			s++;
		}
	}
	return *s == '\0';
}

/* The stored text of scrypt(password, salt) with cost log2n/r/p, computed
 * with EVP_KDF here (not with the module). */
static void scrypt_text(const char *password, const unsigned char salt[16], unsigned log2n,
			unsigned r, unsigned p, char out[UJ_PWHASH_TEXT_MAX + 1])
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_SCRYPT, NULL);
	EVP_KDF_CTX *ctx;
	uint64_t n = (uint64_t)1 << log2n;
	uint32_t rr = r, pp = p;
	unsigned char h[32];
	char salthex[SALT_HEX + 1], hhex[HASH_HEX + 1];
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)password,
						  strlen(password)),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, 16),
		OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
		OSSL_PARAM_construct_end(),
	};
	assert_non_null(kdf);
	ctx = EVP_KDF_CTX_new(kdf);
	assert_non_null(ctx);
	assert_int_equal(EVP_KDF_derive(ctx, h, sizeof h, params), 1);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	for (int i = 0; i < 16; i++)
		snprintf(salthex + 2 * i, 3, "%02x", salt[i]);
	for (int i = 0; i < 32; i++)
		snprintf(hhex + 2 * i, 3, "%02x", h[i]);
	snprintf(out, UJ_PWHASH_TEXT_MAX + 1, "scrypt$%u$%u$%u$%s$%s", log2n, r, p, salthex, hhex);
}

/* A made hash verifies with its password and with nothing else. */
static void test_round_trip(void **state)
{
	(void)state;
	char h[UJ_PWHASH_TEXT_MAX + 1];
	assert_int_equal(pwhash_make(pw1, h), 0);
	assert_int_equal(pwhash_check(pw1, h), 1);
	assert_int_equal(pwhash_check("correct horse batterY", h), 0);
	assert_int_equal(pwhash_check("correct horse battery ", h), 0);
	assert_int_equal(pwhash_check("correct horse batter", h), 0);
	assert_int_equal(pwhash_check("", h), 0);

	/* The longest allowed password hashes and checks too. */
	char big[UJ_STAFF_PW_MAX + 1];
	memset(big, 'x', UJ_STAFF_PW_MAX);
	big[UJ_STAFF_PW_MAX] = '\0';
	assert_int_equal(pwhash_make(big, h), 0);
	assert_int_equal(pwhash_check(big, h), 1);
	big[UJ_STAFF_PW_MAX - 1] = 'y';
	assert_int_equal(pwhash_check(big, h), 0);
	/* Non-ASCII (UTF-8) passwords are bytes like any other. */
	assert_int_equal(pwhash_make("kata sandi rahasia \xc3\xa9\xc3\xa9", h), 0);
	assert_int_equal(pwhash_check("kata sandi rahasia \xc3\xa9\xc3\xa9", h), 1);
	assert_int_equal(pwhash_check("kata sandi rahasia ee", h), 0);
}

/* The stored text is scrypt$15$8$1$<32 hex>$<64 hex>; two hashes of one
 * password differ (a fresh salt each time) and both verify. */
static void test_format_and_salt(void **state)
{
	(void)state;
	char h1[UJ_PWHASH_TEXT_MAX + 1], h2[UJ_PWHASH_TEXT_MAX + 1];
	char f1[6][80], f2[6][80], want[16];

	assert_int_equal(pwhash_make(pw1, h1), 0);
	assert_int_equal(pwhash_make(pw1, h2), 0);
	assert_true(strlen(h1) <= UJ_PWHASH_TEXT_MAX);
	assert_true(split6(h1, f1));
	assert_true(split6(h2, f2));
	assert_string_equal(f1[0], "scrypt");
	snprintf(want, sizeof want, "%d", UJ_SCRYPT_LOG2_N);
	assert_string_equal(f1[1], want);
	assert_string_equal(f1[1], "15");
	assert_string_equal(f1[2], "8");
	assert_string_equal(f1[3], "1");
	assert_true(is_hex(f1[4], SALT_HEX));
	assert_true(is_hex(f1[5], HASH_HEX));
	assert_int_equal(strlen(h1), strlen("scrypt$15$8$1$$") + SALT_HEX + HASH_HEX);

	assert_string_not_equal(h1, h2);
	assert_string_not_equal(f1[4], f2[4]);
	assert_string_not_equal(f1[5], f2[5]);
	assert_int_equal(pwhash_check(pw1, h2), 1);

	/* The module's hash is plain scrypt: recomputing it here with the
	 * stored salt gives the same text. */
	unsigned char salt[16];
	char again[UJ_PWHASH_TEXT_MAX + 1];
	for (int i = 0; i < 16; i++) {
		unsigned v;
		assert_int_equal(sscanf(f1[4] + 2 * i, "%2x", &v), 1);
		salt[i] = (unsigned char)v;
	}
	scrypt_text(pw1, salt, 15, 8, 1, again);
	assert_string_equal(again, h1);
}

/* Flip one hex digit of field k (4 salt, 5 hash) of h at position i. */
static void flip_digit(char *h, int k, size_t i)
{
	char *s = h;
	for (int f = 0; f < k; f++)
		s = strchr(s, '$') + 1;
	s[i] = s[i] == '0' ? '1' : '0';
}

/* Any change to the salt or the hash makes the right password fail. */
static void test_tampered(void **state)
{
	(void)state;
	char h[UJ_PWHASH_TEXT_MAX + 1], t[UJ_PWHASH_TEXT_MAX + 1];
	assert_int_equal(pwhash_make(pw1, h), 0);
	static const size_t pos[] = { 0, 17, 31 };
	for (size_t k = 0; k < 3; k++) {
		strcpy(t, h);
		flip_digit(t, 4, pos[k]);
		assert_int_equal(pwhash_check(pw1, t), 0);
	}
	static const size_t hpos[] = { 0, 40, 63 };
	for (size_t k = 0; k < 3; k++) {
		strcpy(t, h);
		flip_digit(t, 5, hpos[k]);
		assert_int_equal(pwhash_check(pw1, t), 0);
	}
	/* The cost is part of the hash: the same salt and digest relabelled
	 * with another N, r or p (all within range) no longer verify. */
	const char *rest = h + strlen("scrypt$15$8$1$");
	snprintf(t, sizeof t, "scrypt$14$8$1$%s", rest);
	assert_int_equal(pwhash_check(pw1, t), 0);
	snprintf(t, sizeof t, "scrypt$15$4$1$%s", rest);
	assert_int_equal(pwhash_check(pw1, t), 0);
	snprintf(t, sizeof t, "scrypt$15$8$2$%s", rest);
	assert_int_equal(pwhash_check(pw1, t), 0);
	/* ... and the original still does. */
	assert_int_equal(pwhash_check(pw1, h), 1);
}

/* Malformed stored texts give 0 for any password, without crashing (and
 * ASan/UBSan see no out-of-bounds read). */
static void test_malformed(void **state)
{
	(void)state;
	char h[UJ_PWHASH_TEXT_MAX + 1], t[2 * UJ_PWHASH_TEXT_MAX + 1];
	const char *salt, *hash;
	assert_int_equal(pwhash_make(pw1, h), 0);
	salt = h + strlen("scrypt$15$8$1$");
	hash = salt + SALT_HEX + 1;

	/* Proper prefixes of a good hash: cut inside and at the edges of every
	 * field (each check costs a full hash, so not at every byte). */
	const size_t s0 = (size_t)(salt - h), h0 = (size_t)(hash - h);
	const size_t cuts[] = { 0, 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, s0, s0 + 1, s0 + 16,
				h0 - 2, h0 - 1, h0, h0 + 1, h0 + 32, h0 + HASH_HEX - 1 };
	for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
		size_t n = cuts[c];
		assert_true(n < strlen(h));
		memcpy(t, h, n);
		t[n] = '\0';
		if (pwhash_check(pw1, t) != 0)
			fail_msg("truncated to %zu bytes, still verifies: %s", n, t);
	}

	const char *fixed[] = {
		"",
		"scrypt",
		"scrypt$",
		"scrypt$$$$$",
		"$15$8$1$00$00",
		"bcrypt$15$8$1$x$y",
		"SCRYPT$15$8$1$00000000000000000000000000000000$"
		"0000000000000000000000000000000000000000000000000000000000000000",
		"scrypt$15$8$1$0000000000000000000000000000000$"
		"0000000000000000000000000000000000000000000000000000000000000000",
		"scrypt$15$8$1$00000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000",
		"scrypt$15$8$1$00000000000000000000000000000000$$"
		"000000000000000000000000000000000000000000000000000000000000000",
		"scrypt$a$8$1$00000000000000000000000000000000$"
		"0000000000000000000000000000000000000000000000000000000000000000",
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (pwhash_check(pw1, fixed[i]) != 0 || pwhash_check("", fixed[i]) != 0)
			fail_msg("malformed stored text accepted: \"%s\"", fixed[i]);

	/* The real salt and hash with a cost out of range or a wrong prefix. */
	static const char *const heads[] = {
		"scrypt$0$8$1$",   "scrypt$9$8$1$",  "scrypt$21$8$1$", "scrypt$64$8$1$",
		"scrypt$99999999999$8$1$", "scrypt$-1$8$1$", "scrypt$15$0$1$", "scrypt$15$33$1$",
		"scrypt$15$8$0$",  "scrypt$15$8$5$", "script$15$8$1$", "scrypt$15$8$",
		"scrypt15$8$1$",   "Scrypt$15$8$1$", " scrypt$15$8$1$",
	};
	for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
		snprintf(t, sizeof t, "%s%s", heads[i], salt);
		if (pwhash_check(pw1, t) != 0)
			fail_msg("stored text accepted: \"%s\"", t);
	}

	/* Bad hex in the salt or the hash, at the start and the end. */
	static const char bad[] = { 'g', 'G', ' ', '$' };
	for (size_t i = 0; i < sizeof bad; i++) {
		size_t at[] = { 0, SALT_HEX - 1, SALT_HEX + 1, SALT_HEX + 1 + HASH_HEX - 1 };
		for (size_t k = 0; k < 4; k++) {
			strcpy(t, h);
			t[(size_t)(salt - h) + at[k]] = bad[i];
			if (pwhash_check(pw1, t) != 0)
				fail_msg("bad hex '%c' at %zu accepted", bad[i], at[k]);
		}
	}
	/* The separator between salt and hash replaced. */
	static const char seps[] = { '0', 'a', 'x', ':' };
	for (size_t i = 0; i < sizeof seps; i++) {
		strcpy(t, h);
		t[(size_t)(salt - h) + SALT_HEX] = seps[i];
		if (pwhash_check(pw1, t) != 0)
			fail_msg("separator '%c' accepted: %s", seps[i], t);
	}
	/* Extra text after the hash, or a longer salt. */
	snprintf(t, sizeof t, "%s0", h);
	assert_int_equal(pwhash_check(pw1, t), 0);
	snprintf(t, sizeof t, "%s$", h);
	assert_int_equal(pwhash_check(pw1, t), 0);
	snprintf(t, sizeof t, "scrypt$15$8$1$00%s", salt);
	assert_int_equal(pwhash_check(pw1, t), 0);
	/* The hash part alone, and the salt part twice. */
	snprintf(t, sizeof t, "scrypt$15$8$1$%s", hash);
	assert_int_equal(pwhash_check(pw1, t), 0);
	/* A very long text. */
	memset(t, 'a', sizeof t - 1);
	t[sizeof t - 1] = '\0';
	memcpy(t, "scrypt$15$8$1$", 14);
	assert_int_equal(pwhash_check(pw1, t), 0);

	/* Still intact. */
	assert_int_equal(pwhash_check(pw1, h), 1);
}

/* A hash stored with another cost (log2 N 14 and 12, r 4, p 2), computed
 * here with OpenSSL directly, is verified with its own cost. */
static void test_other_cost(void **state)
{
	(void)state;
	static const unsigned char salt[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const struct {
		unsigned log2n, r, p;
	} costs[] = { { 14, 8, 1 }, { 12, 4, 2 }, { 10, 1, 1 }, { 16, 8, 1 } };
	char t[UJ_PWHASH_TEXT_MAX + 1];
	for (size_t i = 0; i < sizeof costs / sizeof *costs; i++) {
		scrypt_text(pw1, salt, costs[i].log2n, costs[i].r, costs[i].p, t);
		if (pwhash_check(pw1, t) != 1)
			fail_msg("hash of cost %u/%u/%u not verified: %s", costs[i].log2n, costs[i].r,
				 costs[i].p, t);
		assert_int_equal(pwhash_check("correct horse batteries", t), 0);
	}
}

/* Correct scrypt hashes whose stored cost is outside what the module
 * accepts (log2 N 10..20, r 1..32, p 1..4: a stored text cannot make a
 * check trivially cheap, or expensive enough to stall a worker) are
 * refused like any malformed text. */
static void test_cost_out_of_range(void **state)
{
	(void)state;
	static const unsigned char salt[16] = { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 };
	static const struct {
		unsigned log2n, r, p;
	} costs[] = { { 9, 8, 1 }, { 4, 1, 1 }, { 10, 33, 1 }, { 10, 1, 5 } };
	char t[UJ_PWHASH_TEXT_MAX + 1];
	for (size_t i = 0; i < sizeof costs / sizeof *costs; i++) {
		scrypt_text(pw1, salt, costs[i].log2n, costs[i].r, costs[i].p, t);
		if (pwhash_check(pw1, t) != 0)
			fail_msg("hash of cost %u/%u/%u accepted: %s", costs[i].log2n, costs[i].r,
				 costs[i].p, t);
	}
	/* The edges inside the range are accepted. */
	scrypt_text(pw1, salt, 10, 32, 1, t);
	assert_int_equal(pwhash_check(pw1, t), 1);
	scrypt_text(pw1, salt, 10, 1, 4, t);
	assert_int_equal(pwhash_check(pw1, t), 1);
}

/* pwhash_dummy gives a well-formed hash of some random password, different
 * each time, that none of a few obvious passwords matches. */
static void test_dummy(void **state)
{
	(void)state;
	char d1[UJ_PWHASH_TEXT_MAX + 1], d2[UJ_PWHASH_TEXT_MAX + 1], f[6][80];
	assert_int_equal(pwhash_dummy(d1), 0);
	assert_int_equal(pwhash_dummy(d2), 0);
	assert_true(split6(d1, f));
	assert_string_equal(f[0], "scrypt");
	assert_string_equal(f[1], "15");
	assert_string_equal(f[2], "8");
	assert_string_equal(f[3], "1");
	assert_true(is_hex(f[4], SALT_HEX));
	assert_true(is_hex(f[5], HASH_HEX));
	assert_string_not_equal(d1, d2);
	assert_int_equal(pwhash_check("", d1), 0);
	assert_int_equal(pwhash_check("password", d1), 0);
	assert_int_equal(pwhash_check(pw1, d1), 0);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Measures (prints, does not assert) the cost of one pwhash_make and one
 * pwhash_check at the default cost: the best of five, and the median. */
static void test_measure_cost(void **state)
{
	(void)state;
	char h[UJ_PWHASH_TEXT_MAX + 1];
	double mk[5], ck[5], t0;
	for (int i = 0; i < 5; i++) {
		t0 = now_s();
		assert_int_equal(pwhash_make(pw1, h), 0);
		mk[i] = now_s() - t0;
		t0 = now_s();
		assert_int_equal(pwhash_check(pw1, h), 1);
		ck[i] = now_s() - t0;
	}
	for (int i = 0; i < 5; i++)
		for (int k = i + 1; k < 5; k++) {
			double x;
			if (mk[k] < mk[i]) {
				x = mk[i]; mk[i] = mk[k]; mk[k] = x;
			}
			if (ck[k] < ck[i]) {
				x = ck[i]; ck[i] = ck[k]; ck[k] = x;
			}
		}
	printf("pwhash cost (scrypt N=2^%d r=%d p=%d): make best %.1f ms median %.1f ms;"
	       " check best %.1f ms median %.1f ms\n",
	       UJ_SCRYPT_LOG2_N, UJ_SCRYPT_R, UJ_SCRYPT_P, mk[0] * 1e3, mk[2] * 1e3, ck[0] * 1e3,
	       ck[2] * 1e3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format_and_salt),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_other_cost),
		cmocka_unit_test(test_cost_out_of_range),
		cmocka_unit_test(test_dummy),
		cmocka_unit_test(test_measure_cost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
