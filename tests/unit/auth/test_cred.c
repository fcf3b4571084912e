/* test_cred.c - passwords, tokens and the key file (server/cred.c). */
#include "unit.h"

#include "auth/cred.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_PW 1000
#define N_TOK 1000

static const uint8_t test_key[CRED_KEY_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
	0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Generated passwords have the requested length and only unambiguous alphabet characters. */
static void test_password_length_and_alphabet(void **state)
{
	(void)state;
	static const size_t lens[] = { 1, 8, 10, 31, 64 };
	char pw[65];
	for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
		for (int rep = 0; rep < 50; rep++) {
			memset(pw, '#', sizeof pw);
			cred_generate_password(pw, lens[k]);
			assert_int_equal(strlen(pw), lens[k]);
			assert_int_equal(strspn(pw, CRED_PASSWORD_ALPHABET), lens[k]);
		}
	}
	/* The alphabet has no look-alikes. */
	assert_null(strpbrk(CRED_PASSWORD_ALPHABET, "01OIL"));
}

/* 1,000 issued 10-character passwords are all distinct, and every alphabet letter turns up. */
static void test_passwords_distinct(void **state)
{
	(void)state;
	static char pw[N_PW][11];
	int seen[256] = { 0 };
	for (int i = 0; i < N_PW; i++) {
		cred_generate_password(pw[i], 10);
		for (int k = 0; k < 10; k++)
			seen[(unsigned char)pw[i][k]] = 1;
	}
	qsort(pw, N_PW, sizeof pw[0], cmp_str);
	for (int i = 1; i < N_PW; i++)
		if (strcmp(pw[i - 1], pw[i]) == 0)
			fail_msg("password %s issued twice", pw[i]);
	for (const char *a = CRED_PASSWORD_ALPHABET; *a; a++)
		if (!seen[(unsigned char)*a])
			fail_msg("alphabet character %c never used in 10,000 draws", *a);
}

/* A hashed password verifies; any change of password, registration number, exam or key fails. */
static void test_hash_verify(void **state)
{
	(void)state;
	uint8_t h[CRED_HASH_LEN], h2[CRED_HASH_LEN], other_key[CRED_KEY_LEN];
	cred_hash_password(test_key, "SKD-DEMO", "R-001", "K7QX9M2PAB", h);
	assert_true(cred_verify_password(test_key, "SKD-DEMO", "R-001", "K7QX9M2PAB", h));
	assert_false(cred_verify_password(test_key, "SKD-DEMO", "R-001", "K7QX9M2PAC", h));
	assert_false(cred_verify_password(test_key, "SKD-DEMO", "R-001", "k7qx9m2pab", h));
	assert_false(cred_verify_password(test_key, "SKD-DEMO", "R-001", "", h));
	assert_false(cred_verify_password(test_key, "SKD-DEMO", "R-002", "K7QX9M2PAB", h));
	assert_false(cred_verify_password(test_key, "SKD-DEM0", "R-001", "K7QX9M2PAB", h));
	memcpy(other_key, test_key, sizeof other_key);
	other_key[31] ^= 1;
	assert_false(cred_verify_password(other_key, "SKD-DEMO", "R-001", "K7QX9M2PAB", h));
	/* Deterministic for the same inputs. */
	cred_hash_password(test_key, "SKD-DEMO", "R-001", "K7QX9M2PAB", h2);
	assert_memory_equal(h, h2, CRED_HASH_LEN);
}

/* Field boundaries are part of the hash: moving characters between fields changes it. */
static void test_hash_field_separation(void **state)
{
	(void)state;
	uint8_t a[CRED_HASH_LEN], b[CRED_HASH_LEN];
	cred_hash_password(test_key, "EX", "R1", "PASSWORD", a);
	cred_hash_password(test_key, "EXR", "1", "PASSWORD", b);
	assert_memory_not_equal(a, b, CRED_HASH_LEN);
	cred_hash_password(test_key, "EX", "R1P", "ASSWORD", b);
	assert_memory_not_equal(a, b, CRED_HASH_LEN);
	assert_false(cred_verify_password(test_key, "EX", "R1P", "ASSWORD", a));
}

/* Tokens are 43 base64url characters (no padding; the last one carries 4 bits) and distinct. */
static void test_tokens(void **state)
{
	(void)state;
	static char tok[N_TOK][CRED_TOKEN_LEN + 1];
	uint8_t hash[CRED_HASH_LEN];
	const char *b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (int i = 0; i < N_TOK; i++) {
		cred_new_token(tok[i], hash);
		assert_int_equal(strlen(tok[i]), CRED_TOKEN_LEN);
		assert_int_equal(strspn(tok[i], b64url), CRED_TOKEN_LEN);
		/* 256 bits in 43 sextets: the last sextet's two low bits are zero. */
		assert_non_null(strchr("AEIMQUYcgkosw048", tok[i][CRED_TOKEN_LEN - 1]));
	}
	qsort(tok, N_TOK, sizeof tok[0], cmp_str);
	for (int i = 1; i < N_TOK; i++)
		if (strcmp(tok[i - 1], tok[i]) == 0)
			fail_msg("token %s issued twice", tok[i]);
}

/* cred_token_hash of the token equals the hash cred_new_token returned (and differs for others). */
static void test_token_hash_matches(void **state)
{
	(void)state;
	char t1[CRED_TOKEN_LEN + 1], t2[CRED_TOKEN_LEN + 1];
	uint8_t h1[CRED_HASH_LEN], h2[CRED_HASH_LEN], again[CRED_HASH_LEN];
	cred_new_token(t1, h1);
	cred_new_token(t2, h2);
	cred_token_hash(t1, strlen(t1), again);
	assert_memory_equal(h1, again, CRED_HASH_LEN);
	cred_token_hash(t2, strlen(t2), again);
	assert_memory_equal(h2, again, CRED_HASH_LEN);
	assert_memory_not_equal(h1, h2, CRED_HASH_LEN);
	/* A token cut short does not hash the same. */
	cred_token_hash(t1, CRED_TOKEN_LEN - 1, again);
	assert_memory_not_equal(h1, again, CRED_HASH_LEN);
}

/* cred_hex writes lower-case hex; cred_key_path appends ".key". */
static void test_hex_and_key_path(void **state)
{
	(void)state;
	const uint8_t in[] = { 0x00, 0xff, 0x1a, 0xB0 };
	char out[9];
	cred_hex(in, sizeof in, out);
	assert_string_equal(out, "00ff1ab0");
	char *p = cred_key_path("/var/lib/ujian/ujian.db");
	assert_string_equal(p, "/var/lib/ujian/ujian.db.key");
	free(p);
}

/* Write a private file (mode 0600, as ujian creates its key). */
static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
}

static size_t read_file(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
	return got;
}

/* cred_key_ensure creates a 0600 file of 64 hex digits that loads, and never overwrites it. */
static void test_key_ensure_and_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/ujian-cred-XXXXXX", path[64], before[128], after[128], err[256];
	uint8_t key[CRED_KEY_LEN], key2[CRED_KEY_LEN];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/db.key", dir);
	assert_int_equal(cred_key_ensure(path, err, sizeof err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(read_file(path, before, sizeof before), 2 * CRED_KEY_LEN + 1);
	assert_int_equal(strspn(before, "0123456789abcdef"), 2 * CRED_KEY_LEN);
	assert_int_equal(cred_key_load(path, key, err, sizeof err), 0);
	/* The loaded bytes are the hex in the file. */
	char hex[2 * CRED_KEY_LEN + 1];
	cred_hex(key, CRED_KEY_LEN, hex);
	assert_memory_equal(hex, before, 2 * CRED_KEY_LEN);

	/* Second call: the existing key is kept. */
	assert_int_equal(cred_key_ensure(path, err, sizeof err), 0);
	read_file(path, after, sizeof after);
	assert_string_equal(before, after);
	assert_int_equal(cred_key_load(path, key2, err, sizeof err), 0);
	assert_memory_equal(key, key2, CRED_KEY_LEN);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* cred_key_ensure reports a path it cannot create (missing folder), naming it. */
static void test_key_ensure_error(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(cred_key_ensure("/tmp/ujian-no-such-dir-7f3a/db.key", err, sizeof err), -1);
	assert_non_null(strstr(err, "/tmp/ujian-no-such-dir-7f3a/db.key"));
}

/* cred_key_load accepts upper-case hex without a trailing newline. */
static void test_key_load_uppercase(void **state)
{
	(void)state;
	char dir[] = "/tmp/ujian-cred-XXXXXX", path[64], err[256];
	uint8_t key[CRED_KEY_LEN];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);
	write_file(path, "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
	assert_int_equal(cred_key_load(path, key, err, sizeof err), 0);
	assert_memory_equal(key, test_key, CRED_KEY_LEN);
	unlink(path);
	rmdir(dir);
}

/* cred_key_load rejects a short file, a long file, non-hex content and a missing file. */
static void test_key_load_rejects(void **state)
{
	(void)state;
	char dir[] = "/tmp/ujian-cred-XXXXXX", path[64], err[256];
	uint8_t key[CRED_KEY_LEN];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);

	write_file(path, "00112233\n");
	err[0] = '\0';
	assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);
	assert_non_null(strstr(err, "64 hex digits"));

	/* 63 digits. */
	write_file(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1\n");
	assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);

	/* 66 digits. */
	write_file(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n");
	assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);

	/* 64 characters, one of them not hex. */
	write_file(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n");
	err[0] = '\0';
	assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);
	assert_non_null(strstr(err, "non-hex"));

	unlink(path);
	err[0] = '\0';
	assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	rmdir(dir);
}

/* A key file others may read or change is refused, naming the mode and the
 * fix; the same file made private loads. */
static void test_key_load_refuses_shared_file(void **state)
{
	(void)state;
	static const mode_t shared[] = { 0644, 0640, 0604, 0620, 0602, 0660 };
	char dir[] = "/tmp/ujian-cred-XXXXXX", path[64], err[256];
	uint8_t key[CRED_KEY_LEN];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);
	write_file(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
	for (size_t i = 0; i < sizeof shared / sizeof *shared; i++) {
		char mode[8];
		assert_int_equal(chmod(path, shared[i]), 0);
		err[0] = '\0';
		assert_int_equal(cred_key_load(path, key, err, sizeof err), -1);
		snprintf(mode, sizeof mode, "%03o", (unsigned)shared[i]);
		assert_non_null(strstr(err, mode));
		assert_non_null(strstr(err, "chmod 600"));
	}
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(cred_key_load(path, key, err, sizeof err), 0);
	assert_int_equal(key[31], 0x1f);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_length_and_alphabet),
		cmocka_unit_test(test_passwords_distinct),
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_hash_field_separation),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_token_hash_matches),
		cmocka_unit_test(test_hex_and_key_path),
		cmocka_unit_test(test_key_ensure_and_load),
		cmocka_unit_test(test_key_ensure_error),
		cmocka_unit_test(test_key_load_uppercase),
		cmocka_unit_test(test_key_load_rejects),
		cmocka_unit_test(test_key_load_refuses_shared_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
