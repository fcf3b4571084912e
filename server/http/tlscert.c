/* tlscert.c - self-signed certificates with OpenSSL 3's key and X.509 APIs. */
#include "http/tlscert.h"
#include "bounds.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TLSCERT_SERIAL_BYTES 16
#define TLSCERT_LABEL_MAX    63

/* 1 if host is an IPv4 or IPv6 address literal. */
static int tlscert_is_ip(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

int tlscert_host_ok(const char *host)
{
	size_t n = host ? strlen(host) : 0, label = 0;

	if (n == 0 || n > UJ_CERT_HOST_MAX)
		return 0;
	if (tlscert_is_ip(host))
		return 1;
	for (size_t i = 0; i <= n; i++) {
		char ch = host[i];
		if (ch == '.' || ch == '\0') {
			/* a label: not empty, not too long, no hyphen at either end */
			if (label == 0 || label > TLSCERT_LABEL_MAX || host[i - 1] == '-' ||
			    host[i - label] == '-')
				return 0;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || ch == '-') {
			label++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Add the v3 extension nid with OpenSSL's text form value to x. */
static int tlscert_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

/* A signed certificate for host over pkey, or NULL. */
static X509 *tlscert_make(const char *host, EVP_PKEY *pkey)
{
	unsigned char serial[TLSCERT_SERIAL_BYTES];
	char san[UJ_CERT_HOST_MAX + 8];
	X509 *x = X509_new();
	X509_NAME *name;
	BIGNUM *bn = NULL;
	int ok = 0;

	if (!x || RAND_bytes(serial, sizeof serial) != 1)
		goto out;
	serial[0] &= 0x7f; /* positive */
	serial[0] |= 0x40; /* and of full length */
	if (!(bn = BN_bin2bn(serial, sizeof serial, NULL)) ||
	    !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		goto out;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), 0) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), (long)UJ_CERT_DAYS * 86400) ||
	    X509_set_pubkey(x, pkey) != 1)
		goto out;
	name = X509_get_subject_name(x);
	if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
				       (const unsigned char *)"Ujian (self-signed)", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)host, -1,
				       -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1)
		goto out;
	snprintf(san, sizeof san, "%s:%s", tlscert_is_ip(host) ? "IP" : "DNS", host);
	if (tlscert_ext(x, NID_basic_constraints, "critical,CA:FALSE") ||
	    tlscert_ext(x, NID_key_usage, "critical,digitalSignature") ||
	    tlscert_ext(x, NID_ext_key_usage, "serverAuth") ||
	    tlscert_ext(x, NID_subject_key_identifier, "hash") ||
	    tlscert_ext(x, NID_subject_alt_name, san))
		goto out;
	if (X509_sign(x, pkey, EVP_sha256()) <= 0)
		goto out;
	ok = 1;
out:
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

/* Create path (which must not exist) with mode and open it for writing. */
static FILE *tlscert_create(const char *path, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path,
			 errno == EEXIST ? "exists already (not overwritten)" : strerror(errno));
		return NULL;
	}
	/* the umask (077 in ujian) must not narrow a certificate: it is public */
	if (fchmod(fd, mode) != 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return NULL;
	}
	return f;
}

int tlscert_self_signed(const char *host, const char *cert_path, const char *key_path,
			char *err, size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	FILE *cf = NULL, *kf = NULL;
	int rc = -1, wrote_cert = 0, wrote_key = 0;

	assert(host && cert_path && key_path);
	if (!tlscert_host_ok(host)) {
		snprintf(err, errlen,
			 "\"%.100s\": expected a DNS name (letters, digits, hyphens, dots) or an IP "
			 "address",
			 host);
		return -1;
	}
	/* Both checked before either is written. */
	if (access(cert_path, F_OK) == 0 || access(key_path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already (not overwritten)",
			 access(cert_path, F_OK) == 0 ? cert_path : key_path);
		return -1;
	}
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!pkey || !(x = tlscert_make(host, pkey))) {
		const char *why = ERR_reason_error_string(ERR_peek_last_error());
		snprintf(err, errlen, "cannot make the key and certificate: %s",
			 why ? why : "OpenSSL error");
		goto out;
	}
	if (!(kf = tlscert_create(key_path, 0600, err, errlen)))
		goto out;
	wrote_key = 1;
	if (PEM_write_PrivateKey(kf, pkey, NULL, NULL, 0, NULL, NULL) != 1 || fflush(kf) != 0 ||
	    fsync(fileno(kf)) != 0) {
		snprintf(err, errlen, "%s: cannot write the key", key_path);
		goto out;
	}
	if (!(cf = tlscert_create(cert_path, 0644, err, errlen)))
		goto out;
	wrote_cert = 1;
	if (PEM_write_X509(cf, x) != 1 || fflush(cf) != 0 || fsync(fileno(cf)) != 0) {
		snprintf(err, errlen, "%s: cannot write the certificate", cert_path);
		goto out;
	}
	rc = 0;
out:
	if (kf && fclose(kf) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: cannot write the key", key_path);
		rc = -1;
	}
	if (cf && fclose(cf) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: cannot write the certificate", cert_path);
		rc = -1;
	}
	if (rc != 0) {
		if (wrote_key)
			unlink(key_path);
		if (wrote_cert)
			unlink(cert_path);
	}
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(pkey);
	return rc;
}
