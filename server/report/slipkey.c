/* slipkey.c - the slip signing key (<db>.slip.key: Ed25519, PKCS#8 PEM,
 * 0600) and Ed25519 signing and verification with OpenSSL 3's EVP
 * (include/report/slip.h). */
#include "core/mem.h"
#include "report/slip.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the key ----------------------------------------------------------- */

char *slip_key_path(const char *db_path)
{
	return xasprintf("%s.slip.key", db_path);
}

int slip_key_ensure(const char *path, int *made, char *err, size_t errlen)
{
	EVP_PKEY *k = NULL;
	BIO *mem = NULL;
	char *pem = NULL;
	long n;
	int fd = -1, rc = -1;

	if (made)
		*made = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errlen, "%s: cannot create the slip key: %s", path, strerror(errno));
		return -1;
	}
	if (!(k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) || !(mem = BIO_new(BIO_s_secmem())) ||
	    !PEM_write_bio_PrivateKey(mem, k, NULL, NULL, 0, NULL, NULL) ||
	    (n = BIO_get_mem_data(mem, &pem)) <= 0) {
		snprintf(err, errlen, "%s: cannot make an Ed25519 key", path);
		goto out;
	}
	if (write(fd, pem, (size_t)n) != (ssize_t)n || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write the slip key: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
	if (made)
		*made = 1;
out:
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(path);
	BIO_free(mem); /* secure memory: wiped */
	EVP_PKEY_free(k);
	return rc;
}

EVP_PKEY *slip_key_load(const char *path, char *err, size_t errlen)
{
	EVP_PKEY *k = NULL;
	struct stat st;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: cannot open the slip key: %s (ujian init, serve and demo "
			 "make one)", path, strerror(errno));
		return NULL;
	}
	/* Whoever reads the key can sign slips: refuse one others may read or
	 * replace (a copy made without -p, an unpacked backup ...). */
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
		snprintf(err, errlen,
			 "%s: the slip key may be read or changed by others (mode %03o); make it "
			 "private: chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		goto out;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, errlen, "%s: not an Ed25519 private key in PEM", path);
		EVP_PKEY_free(k);
		k = NULL;
	}
out:
	fclose(f);
	return k;
}

EVP_PKEY *slip_pubkey_load(const char *path, char *err, size_t errlen)
{
	EVP_PKEY *k = NULL;
	BIO *b = BIO_new_file(path, "r");

	if (!b) {
		snprintf(err, errlen, "%s: cannot open the public key: %s", path, strerror(errno));
		return NULL;
	}
	k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	if (!k && BIO_reset(b) == 0)
		k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, errlen, "%s: not an Ed25519 public key in PEM", path);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

char *slip_pubkey_pem(EVP_PKEY *key)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;
	if (mem && PEM_write_bio_PUBKEY(mem, key) && (n = BIO_get_mem_data(mem, &data)) > 0) {
		out = xmalloc((size_t)n + 1);
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(mem);
	return out;
}

int slip_key_id(EVP_PKEY *key, char out[SLIP_KEY_ID_LEN + 1])
{
	unsigned char raw[32], h[SHA256_DIGEST_LENGTH];
	size_t n = sizeof raw;
	if (!EVP_PKEY_get_raw_public_key(key, raw, &n) || n != sizeof raw)
		return -1;
	SHA256(raw, n, h);
	for (int i = 0; i < SLIP_KEY_ID_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	return 0;
}

/* ---- signatures -------------------------------------------------------- */

int slip_sign(EVP_PKEY *key, const char *msg, size_t len, unsigned char sig[SLIP_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = SLIP_SIG_LEN;
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestSign(ctx, sig, &n, (const unsigned char *)msg, len) == 1 &&
		 n == SLIP_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int slip_sig_ok(EVP_PKEY *key, const char *msg, size_t len, const unsigned char *sig,
		size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && siglen == SLIP_SIG_LEN &&
		 EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}
