/* tlscert.h - a self-signed certificate for a venue or a demo: an ECDSA
 * P-256 key and an X.509 v3 certificate naming one host, written as PEM
 * files for --tls-cert and --tls-key (ujian cert self-signed). */
#ifndef UJIAN_HTTP_TLSCERT_H
#define UJIAN_HTTP_TLSCERT_H

#include <stddef.h>

/* 1 if host is a name a certificate can carry here: an IPv4 or IPv6
 * address, or a DNS name (labels of letters, digits and inner hyphens,
 * at most 63 bytes each, UJ_CERT_HOST_MAX in all). */
int tlscert_host_ok(const char *host);

/* Make a fresh ECDSA P-256 key and a self-signed certificate for host
 * (subject CN=host, subjectAltName DNS:host or IP:host, serial 128 random
 * bits, valid from now for UJ_CERT_DAYS days, serverAuth) and write them to
 * cert_path (PEM, mode 0644) and key_path (PKCS#8 PEM, mode 0600). Neither
 * file may exist: nothing is overwritten, and if the second write fails the
 * first file is removed. Returns 0, or -1 with err. */
int tlscert_self_signed(const char *host, const char *cert_path, const char *key_path,
			char *err, size_t errlen);

#endif
