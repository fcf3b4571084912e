/* tls.c - the server's TLS context and one OpenSSL bufferevent per accepted
 * connection. */
#include "http/tls.h"
#include "bounds.h"
#include "core/log.h"

#include <assert.h>
#include <errno.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only, ECDSA before RSA
 * certificates, AES-GCM and ChaCha20-Poly1305 (phones without AES
 * instructions). TLS 1.3's own suites are all AEAD; OpenSSL's default list
 * for them is kept. */
static const char tls_ciphers_12[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
static const char tls_groups[] = "X25519:P-256:P-384";
/* Sessions are only resumed by the context that made them. */
static const unsigned char tls_session_ctx_id[] = "ujian-https";

/* The first queued OpenSSL error as text into buf (then clear the queue). */
static const char *tls_ssl_error(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	snprintf(buf, len, "%s", reason ? reason : "unknown OpenSSL error");
	ERR_clear_error();
	return buf;
}

/* 0 if path names a regular file we can read; else -1 with err naming
 * what (the option) and why. */
static int tls_readable(const char *what, const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s %s: not a regular file", what, path);
		return -1;
	}
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

SSL_CTX *tls_server_ctx_new(const char *cert_path, const char *key_path, char *err,
			    size_t errlen)
{
	SSL_CTX *ctx = NULL;
	char why[256];

	assert(cert_path && key_path);
	ERR_clear_error();
	if (tls_readable("--tls-cert", cert_path, err, errlen) ||
	    tls_readable("--tls-key", key_path, err, errlen))
		goto fail;
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		snprintf(err, errlen, "cannot create the TLS context: %s",
			 tls_ssl_error(why, sizeof why));
		goto fail;
	}
	/* The key first: a certificate loaded after a key that does not match
	 * it silently drops the key, so the check below names the mismatch
	 * (loading in the other order fails with OpenSSL's terse "key values
	 * mismatch"). */
	if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "--tls-key %s: not an unencrypted PEM private key: %s",
			 key_path, tls_ssl_error(why, sizeof why));
		goto fail;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
		snprintf(err, errlen,
			 "--tls-cert %s: not a PEM certificate (chain) OpenSSL can use: %s",
			 cert_path, tls_ssl_error(why, sizeof why));
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "--tls-key %s does not match the certificate in --tls-cert %s",
			 key_path, cert_path);
		ERR_clear_error();
		goto fail;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, tls_ciphers_12) != 1 ||
	    SSL_CTX_set1_groups_list(ctx, tls_groups) != 1 ||
	    SSL_CTX_set_session_id_context(ctx, tls_session_ctx_id,
					   sizeof tls_session_ctx_id - 1) != 1) {
		snprintf(err, errlen, "cannot configure TLS: %s", tls_ssl_error(why, sizeof why));
		goto fail;
	}
	/* No renegotiation (a client-triggered CPU sink); a peer that closes
	 * without close_notify is an ordinary end of stream (OpenSSL 3 would
	 * otherwise report an error on every browser tab closed). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF |
					 SSL_OP_NO_COMPRESSION);
	/* Thousands of idle keep-alive connections: give their buffers back. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	/* Resumption: tickets (OpenSSL's default, keys random per start) and a
	 * server cache for clients without tickets. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
	SSL_CTX_sess_set_cache_size(ctx, UJ_TLS_SESSION_CACHE);
	SSL_CTX_set_timeout(ctx, UJ_TLS_SESSION_TIMEOUT_S);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct bufferevent *tls_bev_new(struct event_base *base, void *arg)
{
	SSL_CTX *ctx = arg;
	SSL *ssl = SSL_new(ctx);
	struct bufferevent *bev = NULL;

	assert(ctx);
	if (!ssl)
		goto oom;
	/* fd -1: evhttp sets the accepted socket next. CLOSE_ON_FREE makes the
	 * bufferevent free the SSL and close the socket when evhttp frees it
	 * (evhttp then leaves the socket alone). */
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		goto oom;
	/* A client that just closes the socket is a normal end, not an error. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
oom:
	/* evhttp would fall back to a plain bufferevent: never serve plain HTTP
	 * on the HTTPS port. Out of memory is fatal everywhere else too. */
	log_error("out of memory creating a TLS connection");
	abort();
}

int http_secure(struct evhttp_request *req)
{
	struct evhttp_connection *c = req ? evhttp_request_get_connection(req) : NULL;
	struct bufferevent *bev = c ? evhttp_connection_get_bufferevent(c) : NULL;
	return bev && bufferevent_openssl_get_ssl(bev) != NULL;
}
