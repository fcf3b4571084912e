/* rng.h - randomness: the system CSPRNG, and a seeded deterministic generator.
 *
 * Papers are drawn from a 32-byte seed taken from the CSPRNG; the seed is
 * stored with the paper, and rng_stream replays the exact same draw from it
 * (SHA-256 in counter mode), which is what makes a paper auditable. */
#ifndef UJIAN_RNG_H
#define UJIAN_RNG_H

#include <stddef.h>
#include <stdint.h>

#define RNG_SEED_LEN 32

/* Fill buf with n bytes from OpenSSL's CSPRNG; aborts if it fails. */
void rng_bytes(void *buf, size_t n);

struct rng_stream {
	uint8_t seed[RNG_SEED_LEN];
	uint64_t counter;
	uint8_t block[32];
	size_t pos; /* bytes of block already used */
};

void rng_stream_init(struct rng_stream *s, const uint8_t seed[RNG_SEED_LEN]);
uint32_t rng_stream_u32(struct rng_stream *s);
/* Uniform integer in [0, n) without modulo bias; n >= 1. */
uint32_t rng_stream_below(struct rng_stream *s, uint32_t n);
/* Fisher-Yates shuffle of n ints. */
void rng_stream_shuffle(struct rng_stream *s, int *v, size_t n);

#endif
