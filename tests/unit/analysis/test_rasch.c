/* test_rasch.c - Rasch calibration (server/analysis/rasch.c): every input
 * error of rasch.h, a two-item case with a closed form, a simulated
 * incomplete design with known parameters (difficulties, abilities, fit),
 * a misfitting item, extremes and the convergence report. The comparison
 * with R's eRm is tests/analysis/erm_compare.R (outside make test). */
#include "unit.h"

#include "analysis/rasch.h"
#include "core/mem.h"

#include "../../analysis/rasch_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_SEED 20261202u

static void expect_rc(int rc, int np, int ni, const struct rasch_resp *r, size_t n,
		      const struct rasch_opts *o, const char *part)
{
	struct rasch_fit f;
	char err[256];
	assert_int_equal(rasch_calibrate(np, ni, r, n, o, &f, err, sizeof err), rc);
	if (!strstr(err, part))
		fail_msg("error \"%s\" does not name \"%s\"", err, part);
	assert_null(f.b);
}

#define expect_error(...) expect_rc(-1, __VA_ARGS__)

static void test_bad_input(void **state)
{
	(void)state;
	struct rasch_resp ok[4] = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {1, 1, 1}};
	struct rasch_resp r[4];
	struct rasch_opts o;
	char err[128];

	assert_int_equal(rasch_calibrate(2, 2, ok, 4, NULL, NULL, err, sizeof err), -1);
	expect_error(0, 2, ok, 4, NULL, "at least 1 person");
	expect_error(2, 1, ok, 4, NULL, "2 items");
	expect_error(2, 2, NULL, 4, NULL, "2 items");
	rasch_opts_default(&o);
	o.tol = 0;
	expect_error(2, 2, ok, 4, &o, "tolerance");
	rasch_opts_default(&o);
	o.max_iter = 0;
	expect_error(2, 2, ok, 4, &o, "max_iter");

	memcpy(r, ok, sizeof r);
	r[2].person = 2;
	expect_error(2, 2, r, 4, NULL, "response 2: person 2 out of range 0..1");
	memcpy(r, ok, sizeof r);
	r[1].item = -1;
	expect_error(2, 2, r, 4, NULL, "response 1: item -1 out of range 0..1");
	memcpy(r, ok, sizeof r);
	r[3].x = 2;
	expect_error(2, 2, r, 4, NULL, "response 3: x is 2");
	/* two errors: the first named, the rest counted */
	r[0].item = 7;
	expect_error(2, 2, r, 4, NULL, "response 0: item 7 out of range 0..1 (and 1 more)");
	memcpy(r, ok, sizeof r);
	r[1].item = 0;
	expect_error(2, 2, r, 4, NULL, "person 0: item 0 answered twice");
	/* both persons have score 1 but each item is right once and wrong once:
	 * fine; make item 1 right for both and nobody is informative */
	memcpy(r, ok, sizeof r);
	r[1].x = 1;
	r[2].x = 1;
	expect_rc(RASCH_NO_DATA, 2, 2, r, 4, NULL, "fewer than 2 items have both outcomes");
	expect_rc(RASCH_NO_DATA, 2, 2, ok, 0, NULL, "fewer than 2 items have both outcomes");
	/* the valid data itself calibrates */
	struct rasch_fit f;
	assert_int_equal(rasch_calibrate(2, 2, ok, 4, NULL, &f, err, sizeof err), 0);
	assert_true(f.converged);
	rasch_fit_free(&f);
}

/* Two items: only persons with score 1 are informative, and
 * P(item 0 right | score 1) = eps0 / (eps0 + eps1), so the CML estimate is
 * b1 - b0 = log(n10 / n01) (n10: item 0 right, item 1 wrong). With n10 = 30,
 * n01 = 10: b0 = -log(3)/2 = -0.549306, b1 = +0.549306. Information of the
 * difference: 40 * pi (1 - pi), pi = 3/4 for item 0, = 7.5, so
 * SE(b1 - b0) = 1/sqrt(7.5) and each centred difficulty (half the
 * difference) has SE 1/(2 sqrt(7.5)) = 0.182574 - what the full information
 * matrix [[7.5, -7.5], [-7.5, 7.5]] gives (the diagonal alone would say
 * 1/sqrt(7.5), the SE with the other item held fixed).
 * Persons with score 1 sit between two items symmetric about 0: WLE 0; the
 * zero and perfect scores get finite, opposite abilities. */
static void test_two_items(void **state)
{
	(void)state;
	int n10 = 30, n01 = 10, n11 = 7, n00 = 5, np = n10 + n01 + n11 + n00;
	struct rasch_resp *r = xmalloc((size_t)np * 2 * sizeof *r);
	size_t n = 0;
	for (int v = 0; v < np; v++) {
		int x0 = v < n10 ? 1 : v < n10 + n01 ? 0 : v < n10 + n01 + n11 ? 1 : 0;
		int x1 = v < n10 ? 0 : v < n10 + n01 ? 1 : v < n10 + n01 + n11 ? 1 : 0;
		r[n++] = (struct rasch_resp){v, 0, (uint8_t)x0};
		r[n++] = (struct rasch_resp){v, 1, (uint8_t)x1};
	}
	struct rasch_fit f;
	char err[128];
	assert_int_equal(rasch_calibrate(np, 2, r, n, NULL, &f, err, sizeof err), 0);
	assert_true(f.converged);
	assert_true(f.iterations >= 1 && f.iterations <= 10);
	assert_true(f.max_change < 1e-4);
	assert_float_equal(f.b[1] - f.b[0], log(3.0), 1e-6);
	assert_float_equal(f.b[0], -log(3.0) / 2, 1e-6);
	assert_true(f.se_full);
	assert_float_equal(f.b_se[0], 1 / (2 * sqrt(7.5)), 1e-6);
	assert_float_equal(f.b_se[1], 1 / (2 * sqrt(7.5)), 1e-6);
	/* conditional log-likelihood: 30 log(3/4) + 10 log(1/4) */
	assert_float_equal(f.loglik, 30 * log(0.75) + 10 * log(0.25), 1e-6);
	assert_int_equal(f.item_n[0], np);
	assert_int_equal(f.item_extreme[0], RASCH_OK);
	assert_float_equal(f.theta[0], 0, 1e-8);
	assert_int_equal(f.person_score[0], 1);
	assert_int_equal(f.person_n[0], 2);
	int v11 = n10 + n01, v00 = n10 + n01 + n11;
	assert_true(isfinite(f.theta[v11]) && f.theta[v11] > 1);
	assert_true(isfinite(f.theta[v00]) && f.theta[v00] < -1);
	assert_float_equal(f.theta[v11], -f.theta[v00], 1e-8);
	assert_true(isfinite(f.theta_se[v00]) && f.theta_se[v00] > f.theta_se[0]);
	rasch_fit_free(&f);
	free(r);
}

static double corr(const double *a, const double *b, const uint8_t *use, int n)
{
	double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
	int c = 0;
	for (int i = 0; i < n; i++)
		if (use[i]) {
			ma += a[i];
			mb += b[i];
			c++;
		}
	ma /= c;
	mb /= c;
	for (int i = 0; i < n; i++)
		if (use[i]) {
			saa += (a[i] - ma) * (a[i] - ma);
			sbb += (b[i] - mb) * (b[i] - mb);
			sab += (a[i] - ma) * (b[i] - mb);
		}
	return sab / sqrt(saa * sbb);
}

/* Simulated incomplete design: 1,000 persons (N(0,1)) x 60 items (-2..2),
 * each shown a random 30, plus a 61st item answered at random. Checked
 * against the truth: difficulties (centred on the 60 fitting items, as the
 * estimates are), abilities, fit. */
static void sim_check(uint64_t seed, int verbose)
{
	enum { NP = 1000, NI = 61, K = 30, MIS = 60 };
	double theta[NP], b[NI];
	size_t n;
	/* items 0..59 evenly from -2 to 2 (item 60, the random one, at 2 + 4/59) */
	struct rasch_resp *r = sim_data(seed, NP, NI, K, -2, 2 + 4.0 / 59, MIS, theta, b, &n);
	struct rasch_fit f;
	char err[128];
	assert_int_equal(rasch_calibrate(NP, NI, r, n, NULL, &f, err, sizeof err), 0);
	assert_true(f.converged);
	assert_true(f.max_change < 1e-4);
	assert_true(f.iterations < 100);
	assert_true(f.loglik < 0);

	/* truth and estimate both centred over the 60 fitting items */
	uint8_t use[NI];
	double mt = 0, me = 0;
	for (int i = 0; i < NI; i++) {
		use[i] = i != MIS;
		assert_int_equal(f.item_extreme[i], RASCH_OK);
		if (use[i]) {
			mt += b[i];
			me += f.b[i];
		}
	}
	mt /= 60;
	me /= 60;
	double se2 = 0, est[NI], tru[NI];
	for (int i = 0; i < NI; i++) {
		est[i] = f.b[i] - me;
		tru[i] = b[i] - mt;
		if (use[i])
			se2 += (est[i] - tru[i]) * (est[i] - tru[i]);
	}
	double rmse = sqrt(se2 / 60), rb = corr(est, tru, use, NI);
	uint8_t allp[NP];
	memset(allp, 1, sizeof allp);
	double rt = corr(f.theta, theta, allp, NP);
	double inmin = 9, inmax = 0, outmin = 9, outmax = 0, semean = 0, outmean = 0;
	int outside = 0;
	for (int i = 0; i < 60; i++) {
		outmean += f.outfit[i] / 60;
		outside += f.outfit[i] < 0.7 || f.outfit[i] > 1.3;
		inmin = fmin(inmin, f.infit[i]);
		inmax = fmax(inmax, f.infit[i]);
		outmin = fmin(outmin, f.outfit[i]);
		outmax = fmax(outmax, f.outfit[i]);
		semean += f.b_se[i] / 60;
	}
	if (verbose)
		printf("seed %llu: iter %d corr %.4f rmse %.4f theta corr %.4f infit %.3f..%.3f "
		       "outfit %.3f..%.3f mean %.3f outside %d misfit %.3f/%.3f se %.3f\n",
		       (unsigned long long)seed, f.iterations, rb, rmse, rt, inmin, inmax, outmin,
		       outmax, outmean, outside, f.infit[MIS], f.outfit[MIS], semean);
	assert_true(rb > 0.98);
	assert_true(rmse < 0.15);
	assert_true(rt > 0.85);
	/* fitting items: mean squares near 1 (about 500 responses each). The
	 * outfit of one item can be pulled up by a single surprising answer of
	 * an able person (seed 79: 1.69), so it is checked on the average and
	 * on nearly all items, the infit on every item. */
	assert_true(inmin > 0.8 && inmax < 1.2);
	assert_true(outmean > 0.9 && outmean < 1.1);
	assert_true(outside <= 3);
	/* the item answered at random: clearly above 1.2 */
	assert_true(f.infit[MIS] > 1.2);
	assert_true(f.outfit[MIS] > 1.2);
	/* the fit of items 0 and MIS by their definitions, over the persons
	 * with neither a zero nor a perfect score, at their WLE abilities */
	for (int c = 0; c < 2; c++) {
		int it = c ? MIS : 0, cnt = 0;
		double z2 = 0, r2 = 0, wsum = 0;
		for (size_t q = 0; q < n; q++) {
			int v = r[q].person;
			if (r[q].item != it || f.person_score[v] == 0 || f.person_score[v] == K)
				continue;
			double p = 1 / (1 + exp(f.b[it] - f.theta[v])), w = p * (1 - p);
			z2 += (r[q].x - p) * (r[q].x - p) / w;
			r2 += (r[q].x - p) * (r[q].x - p);
			wsum += w;
			cnt++;
		}
		assert_float_equal(f.outfit[it], z2 / cnt, 1e-9);
		assert_float_equal(f.infit[it], r2 / wsum, 1e-9);
	}
	/* SEs: about 1/sqrt(500 * 0.2), and honest: the actual error (RMSE
	 * against the truth) is about the SE (0.80..1.26 of it over 300 seeds) */
	assert_true(f.se_full);
	assert_true(semean > 0.08 && semean < 0.16);
	assert_true(rmse / semean > 0.7 && rmse / semean < 1.35);
	for (int v = 0; v < NP; v++) {
		assert_true(isfinite(f.theta[v]) && isfinite(f.theta_se[v]));
		assert_int_equal(f.person_n[v], K);
	}
	rasch_fit_free(&f);
	free(r);
}

static void test_simulated(void **state)
{
	(void)state;
	const char *many = getenv("RASCH_SEEDS"); /* RASCH_SEEDS=50: try 50 seeds */
	if (many)
		for (int s = 1; s <= atoi(many); s++)
			sim_check((uint64_t)s, 1);
	sim_check(SIM_SEED, many != NULL);
}

/* Extremes: an item everybody got right, one everybody got wrong and one
 * nobody saw are NaN with their reason; persons with a zero or perfect score
 * still get finite abilities (over the items with a difficulty). With
 * items 4 and 5 every person has a score between 1 and 5 of 6; once they
 * are removed, the persons with 0 or 4 of items 0..3 become extreme in
 * turn (the removal is repeated until nothing changes). */
static void test_extremes(void **state)
{
	(void)state;
	enum { NP = 40, NI = 7 };
	double theta[NP], b[4];
	size_t n;
	/* items 0..3: simulated; 4: all correct; 5: all wrong; 6: unseen */
	struct rasch_resp *base = sim_data(7, NP, 4, 4, -1, 1, -1, theta, b, &n);
	struct rasch_resp *r = xmalloc((n + 2 * NP) * sizeof *r);
	memcpy(r, base, n * sizeof *r);
	for (int v = 0; v < NP; v++) {
		r[n++] = (struct rasch_resp){v, 4, 1};
		r[n++] = (struct rasch_resp){v, 5, 0};
	}
	struct rasch_fit f;
	char err[128];
	assert_int_equal(rasch_calibrate(NP, NI, r, n, NULL, &f, err, sizeof err), 0);
	assert_true(f.converged);
	assert_int_equal(f.item_extreme[4], RASCH_ALL_CORRECT);
	assert_int_equal(f.item_extreme[5], RASCH_ALL_WRONG);
	assert_int_equal(f.item_extreme[6], RASCH_UNSEEN);
	assert_int_equal(f.item_n[6], 0);
	assert_int_equal(f.item_n[4], NP);
	for (int i = 4; i < NI; i++) {
		assert_true(isnan(f.b[i]) && isnan(f.b_se[i]));
		assert_true(isnan(f.infit[i]) && isnan(f.outfit[i]));
	}
	double sum = 0;
	int zero = 0, perfect = 0;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(f.item_extreme[i], RASCH_OK);
		assert_true(isfinite(f.b[i]) && f.b_se[i] > 0);
		sum += f.b[i];
	}
	assert_float_equal(sum, 0, 1e-9); /* identification: mean 0 */
	for (int v = 0; v < NP; v++) {
		assert_int_equal(f.person_n[v], 4);
		assert_true(isfinite(f.theta[v]) && isfinite(f.theta_se[v]));
		if (f.person_score[v] == 0) {
			zero++;
			assert_true(f.theta[v] < -1.5);
		}
		if (f.person_score[v] == 4) {
			perfect++;
			assert_true(f.theta[v] > 1.5);
		}
	}
	assert_true(zero > 0 && perfect > 0); /* the seed gives both */
	/* every ability solves Warm's equation r - sum P + J / (2 I) = 0 over
	 * the person's items with a difficulty (0..3 here), SE 1/sqrt(I) */
	for (int v = 0; v < NP; v++) {
		double sp = 0, I = 0, J = 0;
		for (int i = 0; i < 4; i++) {
			double p = 1 / (1 + exp(f.b[i] - f.theta[v])), q = p * (1 - p);
			sp += p;
			I += q;
			J += q * (1 - 2 * p);
		}
		assert_float_equal(f.person_score[v] - sp + J / (2 * I), 0, 1e-7);
		assert_float_equal(f.theta_se[v], 1 / sqrt(I), 1e-9);
	}
	rasch_fit_free(&f);
	free(r);
	free(base);
}

/* Not converged within max_iter: still a result, with converged 0 and the
 * iterations made; a looser tolerance stops earlier than a tighter one. */
static void test_convergence(void **state)
{
	(void)state;
	enum { NP = 300, NI = 20 };
	double theta[NP], b[NI];
	size_t n;
	struct rasch_resp *r = sim_data(11, NP, NI, 10, -2, 2, -1, theta, b, &n);
	struct rasch_opts o;
	struct rasch_fit f;
	char err[128];
	rasch_opts_default(&o);
	o.max_iter = 1;
	o.tol = 1e-12;
	assert_int_equal(rasch_calibrate(NP, NI, r, n, &o, &f, err, sizeof err), 0);
	assert_false(f.converged);
	assert_int_equal(f.iterations, 1);
	assert_true(f.max_change > 1e-12);
	rasch_fit_free(&f);
	rasch_opts_default(&o);
	o.tol = 1e-10;
	assert_int_equal(rasch_calibrate(NP, NI, r, n, &o, &f, err, sizeof err), 0);
	assert_true(f.converged);
	int tight = f.iterations;
	double ll = f.loglik, b3 = f.b[3];
	rasch_fit_free(&f);
	o.tol = 1e-2;
	assert_int_equal(rasch_calibrate(NP, NI, r, n, &o, &f, err, sizeof err), 0);
	assert_true(f.converged);
	assert_true(f.iterations < tight);
	assert_true(f.loglik <= ll + 1e-9);
	assert_float_equal(f.b[3], b3, 0.05);
	rasch_fit_free(&f);
	free(r);
}

/* log(exp(a) + exp(b)), either may be -INFINITY */
static double lse(double a, double b)
{
	if (a == -INFINITY)
		return b;
	if (b == -INFINITY)
		return a;
	return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/* Long papers: 400 items each, so the symmetric functions pass 2^256
 * (C(400, 200) is about 1e119) and the tables are rescaled. The difficulties
 * are still recovered, and the conditional log-likelihood equals an
 * independent computation in log space (log gamma_r by the summation
 * recursion on logarithms) at the estimates. */
static void test_long_papers(void **state)
{
	(void)state;
	enum { NP = 150, NI = 400 };
	double *theta = xmalloc(NP * sizeof *theta), *b = xmalloc(NI * sizeof *b);
	size_t n;
	struct rasch_resp *r = sim_data(5, NP, NI, NI, -3, 3, -1, theta, b, &n);
	struct rasch_fit f;
	char err[128];
	assert_int_equal(rasch_calibrate(NP, NI, r, n, NULL, &f, err, sizeof err), 0);
	assert_true(f.converged);
	uint8_t use[NI];
	memset(use, 1, sizeof use);
	assert_true(corr(f.b, b, use, NI) > 0.97);
	double *lg = xmalloc((NI + 1) * sizeof *lg), ll = 0;
	for (int v = 0; v < NP; v++) {
		int sc = 0;
		double sxb = 0;
		for (int j = 0; j <= NI; j++)
			lg[j] = j ? -INFINITY : 0;
		for (size_t q = 0; q < n; q++) {
			if (r[q].person != v)
				continue;
			int i = r[q].item;
			for (int s = NI; s >= 1; s--)
				lg[s] = lse(lg[s], lg[s - 1] - f.b[i]);
			sc += r[q].x;
			sxb += r[q].x * f.b[i];
		}
		if (sc > 0 && sc < NI)
			ll += -sxb - lg[sc];
	}
	assert_float_equal(f.loglik, ll, 1e-6 * fabs(ll));
	free(lg);
	rasch_fit_free(&f);
	free(r);
	free(theta);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_two_items),
		cmocka_unit_test(test_simulated),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_convergence),
		cmocka_unit_test(test_long_papers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
