/* cred.c - password hashing, tokens, and the server key file. */
#include "auth/cred.h"
#include "core/mem.h"
#include "core/rng.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *cred_key_path(const char *db_path)
{
	return xasprintf("%s.key", db_path);
}

void cred_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int cred_key_ensure(const char *path, char *err, size_t errlen)
{
	uint8_t key[CRED_KEY_LEN];
	char hex[2 * CRED_KEY_LEN + 2];
	int fd, rc = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errlen, "%s: cannot create key file: %s", path, strerror(errno));
		return -1;
	}
	rng_bytes(key, sizeof key);
	cred_hex(key, sizeof key, hex);
	strcat(hex, "\n");
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write key file: %s", path, strerror(errno));
		unlink(path);
		goto out;
	}
	rc = 0;
out:
	close(fd);
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(hex, sizeof hex);
	return rc;
}

static int cred_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cred_key_load(const char *path, uint8_t key[CRED_KEY_LEN], char *err, size_t errlen)
{
	char buf[2 * CRED_KEY_LEN + 8];
	int rc = -1;
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open key file: %s (run 'ujian init' first)", path,
			 strerror(errno));
		return -1;
	}
	{
		/* The key decides every password: refuse one others may read or
		 * change (a copy made without -p, an unpacked backup ...). */
		struct stat st;
		if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
			snprintf(err, errlen,
				 "%s: the key file may be read or changed by others (mode %03o); "
				 "make it private: chmod 600 %s",
				 path, (unsigned)(st.st_mode & 0777), path);
			goto out;
		}
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n != 2 * CRED_KEY_LEN) {
		snprintf(err, errlen, "%s: key file must hold %d hex digits", path, 2 * CRED_KEY_LEN);
		goto out;
	}
	for (size_t i = 0; i < CRED_KEY_LEN; i++) {
		int hi = cred_hexval(buf[2 * i]), lo = cred_hexval(buf[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "%s: key file holds a non-hex character", path);
			goto out;
		}
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	rc = 0;
out:
	fclose(f);
	OPENSSL_cleanse(buf, sizeof buf);
	return rc;
}

void cred_generate_password(char *out, size_t len)
{
	static const char alphabet[] = CRED_PASSWORD_ALPHABET;
	const size_t na = sizeof alphabet - 1; /* 31 */
	size_t i = 0;
	while (i < len) {
		uint8_t b[32];
		rng_bytes(b, sizeof b);
		for (size_t j = 0; j < sizeof b && i < len; j++) {
			/* 248 = 8 * 31: reject the top of the byte range, no bias. */
			if (b[j] < 248)
				out[i++] = alphabet[b[j] % na];
		}
		OPENSSL_cleanse(b, sizeof b);
	}
	out[len] = '\0';
}

void cred_hash_password(const uint8_t key[CRED_KEY_LEN], const char *exam_code,
			const char *regno, const char *password, uint8_t out[CRED_HASH_LEN])
{
	/* Message: exam code NUL registration number NUL password. */
	size_t le = strlen(exam_code), lr = strlen(regno), lp = strlen(password);
	size_t n = le + lr + lp + 2;
	unsigned char *msg = xmalloc(n);
	unsigned int outlen = CRED_HASH_LEN;

	memcpy(msg, exam_code, le);
	msg[le] = 0;
	memcpy(msg + le + 1, regno, lr);
	msg[le + 1 + lr] = 0;
	memcpy(msg + le + lr + 2, password, lp);
	HMAC(EVP_sha256(), key, CRED_KEY_LEN, msg, n, out, &outlen);
	OPENSSL_cleanse(msg, n);
	free(msg);
}

int cred_verify_password(const uint8_t key[CRED_KEY_LEN], const char *exam_code,
			 const char *regno, const char *password,
			 const uint8_t stored[CRED_HASH_LEN])
{
	uint8_t h[CRED_HASH_LEN];
	cred_hash_password(key, exam_code, regno, password, h);
	int ok = CRYPTO_memcmp(h, stored, CRED_HASH_LEN) == 0;
	OPENSSL_cleanse(h, sizeof h);
	return ok;
}

void cred_new_token(char token[CRED_TOKEN_LEN + 1], uint8_t hash[CRED_HASH_LEN])
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint8_t raw[33];
	size_t o = 0;

	rng_bytes(raw, 32);
	raw[32] = 0;
	/* 32 bytes -> 43 base64url characters (the last group is partial). */
	for (size_t i = 0; i < 33; i += 3) {
		uint32_t v = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 | raw[i + 2];
		for (int k = 3; k >= 0 && o < CRED_TOKEN_LEN; k--)
			token[o++] = b64[(v >> (6 * k)) & 63];
	}
	token[CRED_TOKEN_LEN] = '\0';
	OPENSSL_cleanse(raw, sizeof raw);
	cred_token_hash(token, CRED_TOKEN_LEN, hash);
}

void cred_token_hash(const char *token, size_t len, uint8_t hash[CRED_HASH_LEN])
{
	SHA256((const unsigned char *)token, len, hash);
}
