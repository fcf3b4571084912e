/* pwhash.h - staff passwords: scrypt through OpenSSL's EVP_KDF.
 *
 * Staff choose their own passwords (unlike candidates, whose codes are
 * server-issued and HMAC'd under the server key), so a stolen database must
 * not make them cheap to guess: each is stored as scrypt with N = 2^15,
 * r = 8, p = 1 (about 32 MiB and, measured in docs/BENCHMARKS.md, about
 * 90 ms of one core per hash) and a 16-byte random salt, in the text form
 *   scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>
 * The cost is part of the stored text, so raising it later keeps old hashes
 * verifiable. Hashing is slow by design: the server calls these functions
 * on a worker thread (core/worker.h), never on the event loop. */
#ifndef UJIAN_PWHASH_H
#define UJIAN_PWHASH_H

#include "bounds.h"

#include <stddef.h>

/* Hash password into out (UJ_PWHASH_TEXT_MAX + 1 bytes) with a fresh salt.
 * Returns 0, or -1 if OpenSSL failed. */
int pwhash_make(const char *password, char out[UJ_PWHASH_TEXT_MAX + 1]);
/* 1 if password matches stored, 0 if not or stored is malformed. The
 * comparison is constant-time; a malformed stored text still costs one hash
 * (so timing does not tell a broken record from a wrong password). */
int pwhash_check(const char *password, const char *stored);
/* A hash of a random password, to check against for unknown usernames so
 * that their failure takes as long as a real account's. */
int pwhash_dummy(char out[UJ_PWHASH_TEXT_MAX + 1]);

#endif
