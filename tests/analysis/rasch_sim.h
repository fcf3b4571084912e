/* rasch_sim.h - simulated Rasch data for the calibration's tests (the unit
 * test tests/unit/analysis/test_rasch.c and the driver rasch_sim.c): a seeded
 * generator (splitmix64, so every platform draws the same data), abilities
 * N(0,1), difficulties evenly spread, each person shown a random subset. */
#ifndef UJIAN_RASCH_SIM_H
#define UJIAN_RASCH_SIM_H

#include "analysis/rasch.h"
#include "core/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

struct sim_rng {
	uint64_t s;
};

static inline uint64_t sim_next(struct sim_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline double sim_unif(struct sim_rng *r)
{
	return (double)(sim_next(r) >> 11) * 0x1p-53;
}

static inline double sim_norm(struct sim_rng *r)
{
	double u = sim_unif(r), v = sim_unif(r);
	return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

/* np persons (theta[np] filled, N(0,1)), ni items (b[ni] filled, evenly from
 * lo to hi), each person shown k distinct random items; the item misfit
 * (>= 0) is answered at random with probability 1/2 whatever the ability.
 * Returns the responses (caller frees), *n their count. */
static inline struct rasch_resp *sim_data(uint64_t seed, int np, int ni, int k, double lo,
					  double hi, int misfit, double *theta, double *b,
					  size_t *n)
{
	struct sim_rng g = {seed};
	int *idx = xmalloc((size_t)ni * sizeof *idx);
	struct rasch_resp *r = xmalloc((size_t)np * (size_t)k * sizeof *r);
	for (int i = 0; i < ni; i++)
		b[i] = ni > 1 ? lo + (hi - lo) * i / (ni - 1) : 0;
	size_t q = 0;
	for (int v = 0; v < np; v++) {
		theta[v] = sim_norm(&g);
		for (int i = 0; i < ni; i++)
			idx[i] = i;
		for (int j = 0; j < k; j++) { /* partial Fisher-Yates */
			int t = j + (int)(sim_next(&g) % (uint64_t)(ni - j)), tmp = idx[j];
			idx[j] = idx[t];
			idx[t] = tmp;
			int i = idx[j];
			double p = i == misfit ? 0.5 : 1 / (1 + exp(b[i] - theta[v]));
			r[q].person = v;
			r[q].item = i;
			r[q].x = sim_unif(&g) < p;
			q++;
		}
	}
	free(idx);
	*n = q;
	return r;
}

#endif
