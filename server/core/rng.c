/* rng.c - CSPRNG access and the SHA-256 counter-mode stream for papers. */
#include "core/rng.h"

#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rng_bytes(void *buf, size_t n)
{
	if (n > 0 && RAND_bytes(buf, (int)n) != 1) {
		fprintf(stderr, "ujian: the system random generator failed\n");
		abort();
	}
}

void rng_stream_init(struct rng_stream *s, const uint8_t seed[RNG_SEED_LEN])
{
	memcpy(s->seed, seed, RNG_SEED_LEN);
	s->counter = 0;
	s->pos = sizeof s->block;
}

/* Refill the block: SHA-256(seed || counter as 8 big-endian bytes). */
static void rng_stream_refill(struct rng_stream *s)
{
	uint8_t in[RNG_SEED_LEN + 8];
	memcpy(in, s->seed, RNG_SEED_LEN);
	for (int i = 0; i < 8; i++)
		in[RNG_SEED_LEN + i] = (uint8_t)(s->counter >> (56 - 8 * i));
	SHA256(in, sizeof in, s->block);
	s->counter++;
	s->pos = 0;
}

uint32_t rng_stream_u32(struct rng_stream *s)
{
	if (s->pos + 4 > sizeof s->block)
		rng_stream_refill(s);
	uint32_t v = (uint32_t)s->block[s->pos] << 24 | (uint32_t)s->block[s->pos + 1] << 16 |
		     (uint32_t)s->block[s->pos + 2] << 8 | s->block[s->pos + 3];
	s->pos += 4;
	return v;
}

uint32_t rng_stream_below(struct rng_stream *s, uint32_t n)
{
	/* Reject the top partial range so every residue is equally likely:
	 * zone is the largest value below a whole multiple of n. */
	uint32_t zone = (uint32_t)((((uint64_t)UINT32_MAX + 1) / n) * n - 1);
	for (;;) {
		uint32_t v = rng_stream_u32(s);
		if (v <= zone)
			return v % n;
	}
}

void rng_stream_shuffle(struct rng_stream *s, int *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_stream_below(s, (uint32_t)i);
		int t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}
