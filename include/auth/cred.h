/* cred.h - candidate passwords, session tokens, and the server key.
 *
 * Candidate passwords are server-issued random codes (or given at import) and
 * stored only as HMAC-SHA-256 under a 32-byte server key kept in a file beside
 * the database (mode 0600). A stolen database alone reveals no password.
 * Session tokens are 256-bit random values; only their SHA-256 is stored. */
#ifndef UJIAN_CRED_H
#define UJIAN_CRED_H

#include "bounds.h"

#include <stddef.h>
#include <stdint.h>

#define CRED_KEY_LEN 32
#define CRED_HASH_LEN UJ_HASH_LEN
#define CRED_TOKEN_LEN 43 /* base64url of 32 bytes, no padding */
_Static_assert(CRED_TOKEN_LEN == UJ_CSRF_LEN, "a CSRF token is made like a session token");
#define CRED_PASSWORD_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* Default key path for a database: "<db>.key". Caller frees. */
char *cred_key_path(const char *db_path);
/* Create the key file with a fresh random key unless it exists. Returns 0, or
 * -1 with a message in err. */
int cred_key_ensure(const char *path, char *err, size_t errlen);
/* Load the key (64 hex digits). Returns 0, or -1 with a message in err. */
int cred_key_load(const char *path, uint8_t key[CRED_KEY_LEN], char *err, size_t errlen);

/* Fill out (len+1 bytes) with len random characters of the unambiguous
 * alphabet. */
void cred_generate_password(char *out, size_t len);
/* Keyed hash binding the password to its exam and registration number. */
void cred_hash_password(const uint8_t key[CRED_KEY_LEN], const char *exam_code,
			const char *regno, const char *password, uint8_t out[CRED_HASH_LEN]);
/* Constant-time check of password against a stored hash. Returns 1 on match. */
int cred_verify_password(const uint8_t key[CRED_KEY_LEN], const char *exam_code,
			 const char *regno, const char *password,
			 const uint8_t stored[CRED_HASH_LEN]);

/* New session token (CRED_TOKEN_LEN chars + NUL) and its SHA-256. */
void cred_new_token(char token[CRED_TOKEN_LEN + 1], uint8_t hash[CRED_HASH_LEN]);
/* SHA-256 of a presented token. */
void cred_token_hash(const char *token, size_t len, uint8_t hash[CRED_HASH_LEN]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void cred_hex(const uint8_t *in, size_t n, char *out);

#endif
