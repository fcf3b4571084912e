/* bench_rand.c - the seeded generator behind think times and choices.
 *
 * Not cryptographic, and need not be: it only has to be fast and
 * reproducible from --seed. */
#include "bench.h"

#include <math.h>

static uint64_t brng_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void brng_seed(struct bench_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = brng_splitmix(&x);
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1; /* the one state xoshiro cannot leave */
}

static uint64_t brng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t brng_next(struct bench_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = brng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = brng_rotl(s[3], 45);
	return out;
}

double brng_unit(struct bench_rng *r)
{
	return (double)(brng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t brng_below(struct bench_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift; the bias for n < 2^16 is below 2^-16 and
	 * irrelevant for picking options and questions. */
	return (uint32_t)(((brng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int brng_chance(struct bench_rng *r, double p)
{
	return brng_unit(r) < p;
}

double brng_exp(struct bench_rng *r, double mean, double cap)
{
	double v = -mean * log1p(-brng_unit(r)); /* 1 - u is in (0, 1] */
	return v > cap * mean ? cap * mean : v;
}

double brng_backoff(struct bench_rng *r, int *backoff_ms)
{
	double b = *backoff_ms;
	*backoff_ms *= 2;
	if (*backoff_ms > BENCH_BACKOFF_MAX_MS)
		*backoff_ms = BENCH_BACKOFF_MAX_MS;
	return b / 2 + brng_unit(r) * b / 2;
}
