/* tls.h - HTTPS for the HTTP front: the server's TLS context (certificate,
 * key, protocol versions, ciphers, session resumption), a bufferevent with
 * its own SSL object for every accepted connection, and the question "did
 * this request come over TLS?" for code that sets cookie attributes.
 *
 * One SSL_CTX is shared by every event loop (OpenSSL locks it internally);
 * each connection gets its own SSL from it, owned by its bufferevent. */
#ifndef UJIAN_HTTP_TLS_H
#define UJIAN_HTTP_TLS_H

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <openssl/ssl.h>
#include <stddef.h>

/* HSTS value sent on every response over TLS (one year). */
#define TLS_HSTS_VALUE "max-age=31536000"

/* Load a PEM certificate chain (leaf first, as certbot's fullchain.pem) and
 * its PEM private key (ECDSA or RSA) into a new server context: TLS 1.2 and
 * 1.3 only, ECDHE with AES-GCM or ChaCha20-Poly1305 for 1.2, session tickets
 * and a server session cache for resumption. Every failure (missing or
 * unreadable file, not PEM, key not matching the certificate) is reported
 * in err naming the file. Returns the context (caller frees with
 * SSL_CTX_free) or NULL. */
SSL_CTX *tls_server_ctx_new(const char *cert_path, const char *key_path, char *err,
			    size_t errlen);

/* evhttp_set_bevcb callback (arg: the SSL_CTX): a server-side OpenSSL
 * bufferevent with a fresh SSL object for one accepted connection. The
 * bufferevent owns the SSL and the socket (BEV_OPT_CLOSE_ON_FREE). NULL on
 * out of memory (evhttp then drops the connection). */
struct bufferevent *tls_bev_new(struct event_base *base, void *arg);

/* 1 if req arrived over TLS (its connection's bufferevent is an OpenSSL
 * one), else 0 (also for a request whose client has gone). Cookie code
 * uses it to add the Secure attribute. */
int http_secure(struct evhttp_request *req);

#endif
