/* test_tstat.c - test-level statistics (server/analysis/tstat.c): moments,
 * histogram, KR-20 / Cronbach's alpha and the SEM on the 6 x 5 matrix of
 * test_istat.c worked by hand; the pairwise (incomplete design) estimate
 * equal to the textbook alpha when everyone saw the same items; a simulated
 * incomplete design (2,000 persons x 40 items, 20 each, 1-parameter model)
 * against the alpha of the full matrix; sections and the total; NaN cases;
 * ts_within_sem. */
#include "unit.h"

#include "analysis/tstat.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

/* ---- a small deterministic generator (splitmix64) ------------------------ */

static uint64_t rs;

static uint64_t rnd_u64(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rnd_unit(void) /* (0, 1) */
{
	return ((double)(rnd_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double rnd_normal(void)
{
	return sqrt(-2 * log(rnd_unit())) * cos(2 * M_PI * rnd_unit());
}

/* ---- data built on the heap: persons x items, x[p][i] = -1 not presented */

struct sim {
	int np, ni, ns;
	struct ia_section sec[2];
	struct ia_person *per;
	struct ia_item *it;
	struct ia_data d;
};

/* x: np * ni points, NAN = not presented; sect[i]: item i's section. Section
 * scores are the sums of the presented items' points; the total their sum. */
static void sim_build(struct sim *s, int np, int ni, int ns, const double *x, const int *sect)
{
	s->np = np;
	s->ni = ni;
	s->ns = ns;
	s->per = xcalloc((size_t)np, sizeof *s->per);
	s->it = xcalloc((size_t)ni, sizeof *s->it);
	for (int k = 0; k < ns; k++)
		s->sec[k] = (struct ia_section){ .code = k ? "TIU" : "TWK", .title = "S",
						 .right_wrong = 1 };
	for (int p = 0; p < np; p++) {
		for (int k = 0; k < UJ_SECTIONS_MAX; k++)
			s->per[p].section_score[k] = NAN;
		s->per[p].total = 0;
	}
	for (int i = 0; i < ni; i++) {
		struct ia_item *it = &s->it[i];
		*it = (struct ia_item){ .item_id = i + 1, .item_code = "I", .section = sect ? sect[i] : 0,
					.n_options = 4, .key = 0, .opt_points = { 1 }, .max_points = 1,
					.obs = xcalloc((size_t)np + 1, sizeof(struct ia_obs)) };
		for (int p = 0; p < np; p++) {
			double v = x[(size_t)p * ni + i];
			if (isnan(v))
				continue;
			it->obs[it->n_obs++] = (struct ia_obs){ .person = p, .option = v > 0 ? 0 : 1,
								.points = v, .time_ms = -1 };
			double *sc = &s->per[p].section_score[it->section];
			*sc = isnan(*sc) ? v : *sc + v;
			s->per[p].total += v;
		}
	}
	s->d = (struct ia_data){ .n_sections = ns, .sections = s->sec, .n_persons = np,
				 .persons = s->per, .n_items = ni, .items = s->it };
}

static void sim_free(struct sim *s)
{
	for (int i = 0; i < s->ni; i++)
		free(s->it[i].obs);
	free(s->it);
	free(s->per);
}

/* The textbook KR-20 of a complete 0/1 (or any points) matrix, written out
 * independently: k/(k-1) (1 - sum var_i / var(T)), population variances. */
static double textbook_alpha(const double *x, int np, int ni)
{
	double sv = 0, mt = 0, vt = 0;
	double *t = xcalloc((size_t)np, sizeof *t);
	for (int i = 0; i < ni; i++) {
		double m = 0, v = 0;
		for (int p = 0; p < np; p++)
			m += x[(size_t)p * ni + i];
		m /= np;
		for (int p = 0; p < np; p++) {
			double dv = x[(size_t)p * ni + i] - m;
			v += dv * dv;
			t[p] += x[(size_t)p * ni + i];
		}
		sv += v / np;
	}
	for (int p = 0; p < np; p++)
		mt += t[p];
	mt /= np;
	for (int p = 0; p < np; p++)
		vt += (t[p] - mt) * (t[p] - mt);
	vt /= np;
	free(t);
	return (double)ni / (ni - 1) * (1 - sv / vt);
}

/* ---- the 6 x 5 example (test_istat.c) --------------------------------------
 *
 *            I0 I1 I2 I3 I4   T
 *      P0     1  1  1  1  1   5
 *      P1     1  1  1  0  0   3
 *      P2     1  1  0  1  0   3
 *      P3     1  0  1  0  1   3
 *      P4     1  0  0  0  0   1
 *      P5     0  0  0  0  0   0
 *
 * Mean 5/2. Deviations 5/2, 1/2, 1/2, 1/2, -3/2, -5/2:
 *   m2 = (25/4 + 3/4 + 9/4 + 25/4) / 6 = 31/12, SD = sqrt(31/12) = 1.6072751268
 *   m3 = (125/8 + 3/8 - 27/8 - 125/8) / 6 = -1/2,
 *        skewness g1 = m3 / m2^1.5 = -0.1204201968
 *   m4 = (625/16 + 3/16 + 81/16 + 625/16) / 6 = 1334/96 = 13.8958333333,
 *        excess kurtosis g2 = m4 / m2^2 - 3 = -0.9177939646
 * Item variances p(1-p): 5/36 + 1/4 + 1/4 + 2/9 + 2/9 = 39/36 = 13/12.
 * KR-20 = 5/4 * (1 - (13/12) / (31/12)) = 5/4 * 18/31 = 45/62 = 0.7258064516.
 * SEM = SD sqrt(1 - KR-20) = sqrt(31/12 * 17/62) = sqrt(17/24) = 0.8416254115.
 * The pairwise form: vbar = 13/60; the 10 covariances cov(Ia, Ib) sum to
 * (var(T) - sum var) / 2 = (31/12 - 13/12) / 2 = 3/4, cbar = 3/40;
 * alpha = 5/4 (1 - 5 vbar / (5 vbar + 20 cbar)) = 5/4 (1 - (13/12) / (13/12 +
 * 3/2)) = 5/4 * 18/31 = 45/62 again.
 * Histogram: max 5, 20 bars of 0.25: 0 -> bar 0, 1 -> bar 4, 3 -> bar 12
 * (three), 5 -> bar 20, i.e. the last (19). */
static const double HAND[6 * 5] = {
	1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void test_hand(void **state)
{
	(void)state;
	struct sim s;
	sim_build(&s, 6, 5, 1, HAND, NULL);
	s.sec[0].max_score = 5;
	s.sec[0].items_per_paper = 5;
	struct ts_stats t;
	for (int sec = 0; sec >= -1; sec--) { /* one section: the total is the same */
		assert_int_equal(ts_compute(&s.d, sec, &t), 0);
		assert_int_equal(t.n, 6);
		assert_float_equal(t.mean, 2.5, EPS);
		assert_float_equal(t.sd, sqrt(31.0 / 12), EPS);
		assert_float_equal(t.skewness, -0.1204201968, 1e-9);
		assert_float_equal(t.kurtosis, -0.9177939646, 1e-9);
		assert_float_equal(t.min, 0, EPS);
		assert_float_equal(t.max, 5, EPS);
		assert_float_equal(t.max_score, 5, EPS);
		assert_string_equal(t.alpha_method, "complete");
		assert_int_equal(t.items_per_paper, 5);
		assert_float_equal(t.alpha, 45.0 / 62, EPS);
		assert_float_equal(t.alpha_pairwise, 45.0 / 62, EPS);
		assert_float_equal(t.sem, sqrt(17.0 / 24), EPS);
		assert_float_equal(t.sem, 0.8416254115, 1e-9);
		assert_float_equal(t.hist_lo, 0, EPS);
		assert_float_equal(t.hist_width, 0.25, EPS);
		int64_t sum = 0;
		for (int b = 0; b < UJ_IA_HIST_BINS; b++)
			sum += t.hist[b];
		assert_int_equal(sum, 6);
		assert_int_equal(t.hist[0], 1);
		assert_int_equal(t.hist[4], 1);
		assert_int_equal(t.hist[12], 3);
		assert_int_equal(t.hist[19], 1);
	}
	assert_float_equal(textbook_alpha(HAND, 6, 5), 45.0 / 62, EPS);
	/* a person listed twice on an item (never in a real paper) counts once */
	s.it[2].obs[s.it[2].n_obs++] = s.it[2].obs[0];
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_string_equal(t.alpha_method, "complete");
	assert_float_equal(t.alpha, 45.0 / 62, EPS);
	assert_float_equal(t.alpha_pairwise, 45.0 / 62, EPS);
	/* within one SEM (0.84) of 3: the three 3s; of 4 with a SEM of 1: 5, 3, 3, 3
	 * (|x - t| <= sem, equality counts); a NaN SEM counts nobody */
	static const double T[6] = { 5, 3, 3, 3, 1, 0 };
	assert_int_equal(ts_within_sem(T, 6, 3, t.sem), 3);
	assert_int_equal(ts_within_sem(T, 6, 4, 1), 4);
	assert_int_equal(ts_within_sem(T, 6, 4, 0.5), 0);
	assert_int_equal(ts_within_sem(T, 6, 4, NAN), 0);
	assert_int_equal(ts_compute(&s.d, 1, &t), -1);
	assert_int_equal(ts_compute(&s.d, -2, &t), -1);
	sim_free(&s);
}

/* x[p][i] from the 1-parameter (Rasch) model: P(1) = 1 / (1 + exp(b - theta)). */
static double *rasch_matrix(int np, int ni, double theta_sd)
{
	double *x = xmalloc((size_t)np * ni * sizeof *x), *b = xmalloc((size_t)ni * sizeof *b);
	for (int i = 0; i < ni; i++)
		b[i] = -2 + 4 * rnd_unit();
	for (int p = 0; p < np; p++) {
		double th = theta_sd * rnd_normal();
		for (int i = 0; i < ni; i++)
			x[(size_t)p * ni + i] = rnd_unit() < 1 / (1 + exp(b[i] - th)) ? 1 : 0;
	}
	free(b);
	return x;
}

/* Everyone saw the same 12 items: the alpha reported is the textbook one,
 * and the pairwise estimate (k = 12) equals it. */
static void test_complete_equals_pairwise(void **state)
{
	(void)state;
	rs = 12345;
	int np = 300, ni = 12;
	double *x = rasch_matrix(np, ni, 1);
	struct sim s;
	sim_build(&s, np, ni, 1, x, NULL);
	s.sec[0].max_score = ni;
	s.sec[0].items_per_paper = ni;
	struct ts_stats t;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	double want = textbook_alpha(x, np, ni);
	assert_true(want > 0.3 && want < 1);
	assert_string_equal(t.alpha_method, "complete");
	assert_float_equal(t.alpha, want, 1e-12);
	assert_float_equal(t.alpha_pairwise, want, 1e-9);
	assert_float_equal(t.sem, t.sd * sqrt(1 - want), 1e-9);
	sim_free(&s);
	free(x);
}

/* An incomplete design like Ujian's random papers: a 40-item bank, each of
 * 2,000 persons sees 20 items drawn at random. The responses come from a full
 * simulated 2,000 x 40 matrix with half of each row hidden, so the alpha of a
 * 20-item form can be computed from the full matrix (k = 20 in the same
 * formula: the Spearman-Brown step of the full alpha); the pairwise estimate
 * from the visible half must come close to it. */
static void test_incomplete_sim(void **state)
{
	(void)state;
	rs = 777;
	int np = 2000, ni = 40, k = 20;
	double *full = rasch_matrix(np, ni, 1);
	double *x = xmalloc((size_t)np * ni * sizeof *x);
	int idx[40];
	for (int p = 0; p < np; p++) {
		for (int i = 0; i < ni; i++)
			idx[i] = i;
		for (int i = ni - 1; i > 0; i--) { /* shuffle; the first k are shown */
			int j = (int)(rnd_u64() % (uint64_t)(i + 1)), tmp = idx[i];
			idx[i] = idx[j];
			idx[j] = tmp;
		}
		for (int i = 0; i < ni; i++)
			x[(size_t)p * ni + idx[i]] = i < k ? full[(size_t)p * ni + idx[i]] : NAN;
	}
	/* reference: vbar and cbar of the full matrix, alpha of a k-item form */
	double vbar = 0, cbar = 0, mean[40] = { 0 };
	for (int i = 0; i < ni; i++) {
		for (int p = 0; p < np; p++)
			mean[i] += full[(size_t)p * ni + i];
		mean[i] /= np;
	}
	for (int a = 0; a < ni; a++)
		for (int b = a; b < ni; b++) {
			double c = 0;
			for (int p = 0; p < np; p++)
				c += (full[(size_t)p * ni + a] - mean[a]) * (full[(size_t)p * ni + b] - mean[b]);
			c /= np;
			if (a == b)
				vbar += c / ni;
			else
				cbar += c / (ni * (ni - 1) / 2);
		}
	double want = (double)k / (k - 1) * (1 - vbar / (vbar + (k - 1) * cbar));
	assert_float_equal(textbook_alpha(full, np, ni),
			   (double)ni / (ni - 1) * (1 - vbar / (vbar + (ni - 1) * cbar)), 1e-9);

	struct sim s;
	sim_build(&s, np, ni, 1, x, NULL);
	s.sec[0].max_score = k;
	s.sec[0].items_per_paper = k;
	struct ts_stats t;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_string_equal(t.alpha_method, "pairwise");
	assert_int_equal(t.items_per_paper, k);
	assert_true(t.alpha > 0 && t.alpha < 1);
	assert_float_equal(t.alpha, want, 0.02);
	assert_float_equal(t.alpha, t.alpha_pairwise, 0);
	assert_float_equal(t.sem, t.sd * sqrt(1 - t.alpha), 1e-12);
	assert_int_equal(t.n, np);
	sim_free(&s);
	free(x);
	free(full);
}

/* Two sections; the total (-1) uses every item and sums the sections'
 * maxima. A person without section 1 (another exam) counts in section 0 and
 * the total but not in section 1; the total is then an incomplete design. */
static void test_sections_and_total(void **state)
{
	(void)state;
	rs = 99;
	int np = 50, ni = 6;
	double *x = rasch_matrix(np, ni, 1.5);
	static const int sect[6] = { 0, 0, 0, 1, 1, 1 };
	struct sim s;
	sim_build(&s, np, ni, 2, x, sect);
	s.sec[0].max_score = s.sec[1].max_score = 3;
	s.sec[0].items_per_paper = s.sec[1].items_per_paper = 3;
	struct ts_stats t;
	assert_int_equal(ts_compute(&s.d, -1, &t), 0);
	assert_string_equal(t.alpha_method, "complete");
	assert_float_equal(t.max_score, 6, EPS);
	assert_int_equal(t.items_per_paper, 6);
	assert_float_equal(t.alpha, textbook_alpha(x, np, ni), 1e-12);
	assert_float_equal(t.alpha_pairwise, t.alpha, 1e-9);

	/* the last person's exam had no section 1 */
	for (int i = 3; i < 6; i++)
		if (s.it[i].n_obs && s.it[i].obs[s.it[i].n_obs - 1].person == np - 1)
			s.it[i].n_obs--;
	s.per[np - 1].section_score[1] = NAN;
	s.per[np - 1].total = s.per[np - 1].section_score[0];
	assert_int_equal(ts_compute(&s.d, 1, &t), 0);
	assert_int_equal(t.n, np - 1);
	assert_string_equal(t.alpha_method, "complete");
	assert_int_equal(ts_compute(&s.d, -1, &t), 0);
	assert_int_equal(t.n, np);
	assert_string_equal(t.alpha_method, "pairwise");
	assert_int_equal(t.items_per_paper, 6);
	assert_true(t.alpha > 0 && t.alpha < 1);
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_int_equal(t.n, np);
	assert_string_equal(t.alpha_method, "complete");
	sim_free(&s);
	free(x);
}

/* Undefined statistics are NaN: no persons; everyone with the same score;
 * one item per paper. Negative scores widen the histogram. */
static void test_undefined_and_edges(void **state)
{
	(void)state;
	double x[4 * 2] = { 1, 0, 1, 0, 1, 0, 1, 0 }; /* every person scores 1 */
	struct sim s;
	sim_build(&s, 4, 2, 1, x, NULL);
	s.sec[0].max_score = 2;
	s.sec[0].items_per_paper = 2;
	struct ts_stats t;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_float_equal(t.sd, 0, EPS);
	assert_true(isnan(t.skewness) && isnan(t.kurtosis));
	assert_true(isnan(t.alpha) && isnan(t.sem));
	assert_string_equal(t.alpha_method, "complete");
	assert_int_equal(t.hist[10], 4); /* 1 of 0..2 in bars of 0.1 */

	/* nobody took the section */
	for (int p = 0; p < 4; p++)
		s.per[p].section_score[0] = NAN;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_int_equal(t.n, 0);
	assert_true(isnan(t.mean) && isnan(t.sd) && isnan(t.alpha) && isnan(t.sem));
	for (int b = 0; b < UJ_IA_HIST_BINS; b++)
		assert_int_equal(t.hist[b], 0);

	/* negative scores (penalised answers) and a score at the maximum */
	static const double sc[4] = { -2, 10, 9.99, 0 };
	for (int p = 0; p < 4; p++)
		s.per[p].section_score[0] = sc[p];
	s.sec[0].max_score = 10;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_float_equal(t.hist_lo, -2, EPS);
	assert_float_equal(t.hist_width, 0.6, EPS);
	assert_int_equal(t.hist[0], 1);
	assert_int_equal(t.hist[3], 1);  /* 0: (0 + 2) / 0.6 = 3.3 */
	assert_int_equal(t.hist[19], 2); /* 9.99 and 10 */
	sim_free(&s);
}

/* A large bank (2,100 items, 600 persons seeing 40 each, about 11
 * presentations per item and 2.2 million item pairs): the estimate needs
 * no memory per item pair and stays sensible. */
static void test_many_items(void **state)
{
	(void)state;
	rs = 4242;
	int ni = 2100, np = 600, k = 40;
	double *x = xmalloc((size_t)np * ni * sizeof *x);
	double *b = xmalloc((size_t)ni * sizeof *b);
	for (int i = 0; i < ni; i++)
		b[i] = -2 + 4 * rnd_unit();
	for (int p = 0; p < np; p++) {
		double th = 1.5 * rnd_normal();
		for (int i = 0; i < ni; i++)
			x[(size_t)p * ni + i] = NAN;
		for (int j = 0; j < k; j++) {
			int i = (int)(rnd_u64() % (uint64_t)ni);
			x[(size_t)p * ni + i] = rnd_unit() < 1 / (1 + exp(b[i] - th)) ? 1 : 0;
		}
	}
	struct sim s;
	sim_build(&s, np, ni, 1, x, NULL);
	s.sec[0].max_score = k;
	s.sec[0].items_per_paper = k;
	struct ts_stats t;
	assert_int_equal(ts_compute(&s.d, 0, &t), 0);
	assert_string_equal(t.alpha_method, "pairwise");
	assert_true(t.alpha > 0.5 && t.alpha < 1);
	sim_free(&s);
	free(x);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_complete_equals_pairwise),
		cmocka_unit_test(test_incomplete_sim),
		cmocka_unit_test(test_sections_and_total),
		cmocka_unit_test(test_undefined_and_edges),
		cmocka_unit_test(test_many_items),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
