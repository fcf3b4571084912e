/* pwhash.c - scrypt password hashes (see auth/pwhash.h). */
#include "auth/pwhash.h"
#include "auth/cred.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PWHASH_SALT_LEN 16
#define PWHASH_LEN 32
#define PWHASH_LOG2_N_MAX 20 /* refuse stored costs that would take seconds */
#define PWHASH_MAXMEM ((uint64_t)1 << 30)

/* scrypt(password, salt) with the given cost into out. 0 or -1. */
static int pwhash_derive(const char *password, const uint8_t *salt, size_t saltlen,
			 unsigned log2n, unsigned r, unsigned p, uint8_t out[PWHASH_LEN])
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_SCRYPT, NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	uint64_t n = (uint64_t)1 << log2n;
	uint64_t maxmem = PWHASH_MAXMEM;
	uint32_t rr = r, pp = p;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)password,
						  strlen(password)),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen),
		OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
		OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
		OSSL_PARAM_construct_end(),
	};
	int rc = -1;

	if (ctx && EVP_KDF_derive(ctx, out, PWHASH_LEN, params) == 1)
		rc = 0;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

int pwhash_make(const char *password, char out[UJ_PWHASH_TEXT_MAX + 1])
{
	uint8_t salt[PWHASH_SALT_LEN], h[PWHASH_LEN];
	char salthex[2 * PWHASH_SALT_LEN + 1], hhex[2 * PWHASH_LEN + 1];
	int rc = -1;

	if (RAND_bytes(salt, sizeof salt) != 1 ||
	    pwhash_derive(password, salt, sizeof salt, UJ_SCRYPT_LOG2_N, UJ_SCRYPT_R, UJ_SCRYPT_P,
			  h))
		goto out;
	cred_hex(salt, sizeof salt, salthex);
	cred_hex(h, sizeof h, hhex);
	snprintf(out, UJ_PWHASH_TEXT_MAX + 1, "scrypt$%d$%d$%d$%s$%s", UJ_SCRYPT_LOG2_N,
		 UJ_SCRYPT_R, UJ_SCRYPT_P, salthex, hhex);
	rc = 0;
out:
	OPENSSL_cleanse(h, sizeof h);
	return rc;
}

/* n hex digits at s into out; 0 or -1. */
static int pwhash_unhex(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i += 2) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i / 2] = (uint8_t)v;
	}
	return 0;
}

int pwhash_check(const char *password, const char *stored)
{
	uint8_t salt[PWHASH_SALT_LEN] = { 0 }, want[PWHASH_LEN] = { 0 }, got[PWHASH_LEN];
	unsigned log2n = 0, r = 0, p = 0;
	int off = 0, ok = 1;

	if (sscanf(stored, "scrypt$%u$%u$%u$%n", &log2n, &r, &p, &off) != 3 || off == 0 ||
	    log2n < 10 || log2n > PWHASH_LOG2_N_MAX || r < 1 || r > 32 || p < 1 || p > 4 ||
	    strlen(stored + off) != 2 * PWHASH_SALT_LEN + 1 + 2 * PWHASH_LEN ||
	    stored[off + 2 * PWHASH_SALT_LEN] != '$' ||
	    pwhash_unhex(stored + off, 2 * PWHASH_SALT_LEN, salt) ||
	    pwhash_unhex(stored + off + 2 * PWHASH_SALT_LEN + 1, 2 * PWHASH_LEN, want)) {
		/* Malformed: spend the normal cost anyway, then fail. */
		ok = 0;
		log2n = UJ_SCRYPT_LOG2_N;
		r = UJ_SCRYPT_R;
		p = UJ_SCRYPT_P;
	}
	if (pwhash_derive(password, salt, sizeof salt, log2n, r, p, got))
		ok = 0;
	ok = CRYPTO_memcmp(got, want, PWHASH_LEN) == 0 && ok;
	OPENSSL_cleanse(got, sizeof got);
	return ok;
}

int pwhash_dummy(char out[UJ_PWHASH_TEXT_MAX + 1])
{
	char pw[UJ_STAFF_PW_GEN + 1];
	cred_generate_password(pw, UJ_STAFF_PW_GEN);
	return pwhash_make(pw, out);
}
