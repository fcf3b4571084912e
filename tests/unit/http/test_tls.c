/* test_tls.c - the server's TLS context (server/http/tls.c): protocol
 * floor, resumption settings, and each refusal naming its file. */
#include "unit.h"

#include "bounds.h"
#include "http/tls.h"
#include "http/tlscert.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], a_crt[128], a_key[128], b_crt[128], b_key[128];

static int setup(void **state)
{
	char err[256];
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ujian-tls-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(a_crt, sizeof a_crt, "%s/a.crt", dir);
	snprintf(a_key, sizeof a_key, "%s/a.key", dir);
	snprintf(b_crt, sizeof b_crt, "%s/b.crt", dir);
	snprintf(b_key, sizeof b_key, "%s/b.key", dir);
	if (tlscert_self_signed("a.example", a_crt, a_key, err, sizeof err) ||
	    tlscert_self_signed("b.example", b_crt, b_key, err, sizeof err))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(a_crt);
	unlink(a_key);
	unlink(b_crt);
	unlink(b_key);
	rmdir(dir);
	return 0;
}

static void test_ctx_settings(void **state)
{
	char err[512] = "";
	SSL_CTX *ctx = tls_server_ctx_new(a_crt, a_key, err, sizeof err);
	(void)state;
	assert_non_null(ctx);
	assert_int_equal(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
	assert_int_equal(SSL_CTX_get_max_proto_version(ctx), TLS1_3_VERSION);
	assert_true(SSL_CTX_get_session_cache_mode(ctx) & SSL_SESS_CACHE_SERVER);
	assert_int_equal(SSL_CTX_get_timeout(ctx), UJ_TLS_SESSION_TIMEOUT_S);
	assert_false(SSL_CTX_get_options(ctx) & SSL_OP_NO_TICKET);
	assert_true(SSL_CTX_get_options(ctx) & SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* every TLS 1.2 suite left is ECDHE with an AEAD */
	{
		STACK_OF(SSL_CIPHER) *cs = SSL_CTX_get_ciphers(ctx);
		int n12 = 0;
		for (int i = 0; i < sk_SSL_CIPHER_num(cs); i++) {
			const SSL_CIPHER *c = sk_SSL_CIPHER_value(cs, i);
			if (SSL_CIPHER_get_kx_nid(c) == NID_kx_any) /* a TLS 1.3 suite */
				continue;
			n12++;
			assert_int_equal(SSL_CIPHER_get_kx_nid(c), NID_kx_ecdhe);
			assert_true(SSL_CIPHER_is_aead(c));
		}
		assert_int_equal(n12, 6);
	}
	SSL_CTX_free(ctx);
	assert_int_equal(http_secure(NULL), 0);
}

static void test_ctx_refusals(void **state)
{
	char err[512];
	(void)state;
	assert_null(tls_server_ctx_new(a_crt, b_key, err, sizeof err));
	assert_non_null(strstr(err, "does not match"));
	assert_non_null(strstr(err, b_key));
	assert_null(tls_server_ctx_new("/nonexistent.crt", a_key, err, sizeof err));
	assert_non_null(strstr(err, "--tls-cert /nonexistent.crt: No such file"));
	assert_null(tls_server_ctx_new(a_crt, "/nonexistent.key", err, sizeof err));
	assert_non_null(strstr(err, "--tls-key /nonexistent.key: No such file"));
	/* a certificate given as the key, and the other way round */
	assert_null(tls_server_ctx_new(a_crt, a_crt, err, sizeof err));
	assert_non_null(strstr(err, "not an unencrypted PEM private key"));
	assert_null(tls_server_ctx_new(a_key, a_key, err, sizeof err));
	assert_non_null(strstr(err, "not a PEM certificate"));
	assert_null(tls_server_ctx_new(dir, a_key, err, sizeof err));
	assert_non_null(strstr(err, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctx_settings),
		cmocka_unit_test(test_ctx_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
