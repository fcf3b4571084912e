/* test_tlscert.c - self-signed certificates (server/http/tlscert.c): host
 * names accepted, what the certificate says, the key's type and file mode,
 * and that nothing is ever overwritten. */
#include "unit.h"

#include "bounds.h"
#include "http/tlscert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct fx {
	char dir[64], crt[128], key[128];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/ujian-tlscert-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->crt, sizeof f->crt, "%s/h.crt", f->dir);
	snprintf(f->key, sizeof f->key, "%s/h.key", f->dir);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	unlink(f->crt);
	unlink(f->key);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_host_ok(void **state)
{
	char long_label[80], long_name[UJ_CERT_HOST_MAX + 2];
	(void)state;
	assert_true(tlscert_host_ok("localhost"));
	assert_true(tlscert_host_ok("ujian.bkn.go.id"));
	assert_true(tlscert_host_ok("a-1.b2"));
	assert_true(tlscert_host_ok("10.0.0.1"));
	assert_true(tlscert_host_ok("::1"));
	assert_true(tlscert_host_ok("fe80::1:2"));
	assert_false(tlscert_host_ok(""));
	assert_false(tlscert_host_ok(NULL));
	assert_false(tlscert_host_ok("-a.example"));
	assert_false(tlscert_host_ok("a-.example"));
	assert_false(tlscert_host_ok("a..b"));
	assert_false(tlscert_host_ok(".a"));
	assert_false(tlscert_host_ok("a."));
	assert_false(tlscert_host_ok("a/b"));
	assert_false(tlscert_host_ok("a b"));
	assert_false(tlscert_host_ok("*.example"));
	assert_false(tlscert_host_ok("[::1]"));
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_false(tlscert_host_ok(long_label)); /* a label of 64 */
	long_label[63] = '\0';
	assert_true(tlscert_host_ok(long_label));
	for (size_t i = 0; i < sizeof long_name - 1; i++)
		long_name[i] = i % 2 ? '.' : 'a';
	long_name[sizeof long_name - 1] = '\0'; /* 254 bytes */
	assert_false(tlscert_host_ok(long_name));
}

static X509 *read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x;
	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

static EVP_PKEY *read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;
	assert_non_null(f);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	return k;
}

static void test_self_signed_dns(void **state)
{
	struct fx *f = *state;
	char err[256], name[128];
	struct stat st;
	X509 *x;
	EVP_PKEY *k;
	int day, sec;

	assert_int_equal(tlscert_self_signed("exam.example", f->crt, f->key, err, sizeof err), 0);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->crt, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	x = read_cert(f->crt);
	k = read_key(f->key);
	assert_int_equal(X509_get_version(x), X509_VERSION_3);
	assert_true(EVP_PKEY_is_a(k, "EC"));
	assert_int_equal(EVP_PKEY_get_bits(k), 256);
	assert_int_equal(X509_check_private_key(x, k), 1);
	assert_int_equal(X509_verify(x, k), 1); /* self-signed with this key */
	assert_int_equal(X509_check_host(x, "exam.example", 0, 0, NULL), 1);
	assert_int_not_equal(X509_check_host(x, "other.example", 0, 0, NULL), 1);
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, name, sizeof name);
	assert_string_equal(name, "exam.example");
	assert_int_equal(X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0), 1);
	assert_int_equal(ASN1_TIME_diff(&day, &sec, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
	assert_int_equal(day, UJ_CERT_DAYS);
	assert_int_equal(sec, 0);
	assert_true(X509_cmp_current_time(X509_get0_notBefore(x)) <= 0);
	/* 128 random bits, positive, full length */
	assert_int_equal(ASN1_STRING_length(X509_get0_serialNumber(x)), 16);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void test_self_signed_ip_and_random_serial(void **state)
{
	struct fx *f = *state;
	char err[256], crt2[160], key2[160];
	X509 *a, *b;

	snprintf(crt2, sizeof crt2, "%s/2.crt", f->dir);
	snprintf(key2, sizeof key2, "%s/2.key", f->dir);
	assert_int_equal(tlscert_self_signed("192.168.10.5", f->crt, f->key, err, sizeof err), 0);
	assert_int_equal(tlscert_self_signed("192.168.10.5", crt2, key2, err, sizeof err), 0);
	a = read_cert(f->crt);
	b = read_cert(crt2);
	assert_int_equal(X509_check_ip_asc(a, "192.168.10.5", 0), 1);
	assert_int_not_equal(X509_check_ip_asc(a, "192.168.10.6", 0), 1);
	assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(a), X509_get0_serialNumber(b)),
			     0);
	X509_free(a);
	X509_free(b);
	unlink(crt2);
	unlink(key2);
}

static void test_never_overwrites(void **state)
{
	struct fx *f = *state;
	char err[256];
	FILE *o = fopen(f->key, "w");

	fputs("mine", o);
	fclose(o);
	assert_int_equal(tlscert_self_signed("h", f->crt, f->key, err, sizeof err), -1);
	assert_non_null(strstr(err, "exists already"));
	assert_int_equal(access(f->crt, F_OK), -1); /* nothing written */
	o = fopen(f->key, "r");
	assert_non_null(o);
	assert_non_null(fgets(err, sizeof err, o));
	fclose(o);
	assert_string_equal(err, "mine");
	/* a bad host is refused before anything is touched */
	unlink(f->key);
	assert_int_equal(tlscert_self_signed("bad host", f->crt, f->key, err, sizeof err), -1);
	assert_int_equal(access(f->key, F_OK), -1);
	/* an unwritable place: nothing is left behind */
	assert_int_equal(tlscert_self_signed("h", "/nonexistent/dir/h.crt", f->key, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/dir/h.crt"));
	assert_int_equal(access(f->key, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_ok),
		cmocka_unit_test_setup_teardown(test_self_signed_dns, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_self_signed_ip_and_random_serial, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_never_overwrites, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
