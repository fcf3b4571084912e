/* test_istat.c - classical item statistics (server/analysis/istat.c) on
 * matrices worked by hand: facility, point-biserial, corrected item-total
 * correlation, the upper-lower 27% index D, option analysis with the suspect
 * distractor and key flags, weighted and penalised items, omitted answers,
 * NaN where a statistic is undefined, time per item, and the flags'
 * plain-language reasons in Bahasa Indonesia and English. The test-level
 * statistics of the same 6 x 5 matrix are test_tstat.c's. */
#include "unit.h"

#include "analysis/istat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
#define NP_MAX 900
#define NI_MAX 8

struct fx {
	struct ia_section sec[1];
	struct ia_person per[NP_MAX];
	struct ia_item it[NI_MAX];
	struct ia_obs obs[NI_MAX][NP_MAX];
	struct ia_data d;
	struct ia_thresholds t;
};

static void fx_init(struct fx *f, int n_persons, int n_items)
{
	memset(f, 0, sizeof *f);
	f->sec[0] = (struct ia_section){ .code = "TWK", .title = "Wawasan", .right_wrong = 1,
					 .items_per_paper = n_items, .max_score = n_items };
	for (int p = 0; p < NP_MAX; p++) {
		for (int s = 0; s < UJ_SECTIONS_MAX; s++)
			f->per[p].section_score[s] = NAN;
		f->per[p].total = NAN;
	}
	f->d = (struct ia_data){ .n_sections = 1, .sections = f->sec, .n_persons = n_persons,
				 .persons = f->per, .n_items = n_items, .items = f->it };
	ia_thresholds_default(&f->t);
}

/* A right/wrong item with 4 options, key `key`. */
static void fx_rw_item(struct fx *f, int i, int key)
{
	struct ia_item *it = &f->it[i];
	*it = (struct ia_item){ .item_id = 100 + i, .item_code = "X", .section = 0, .n_options = 4,
				.key = key, .blank_points = 0, .max_points = 1, .min_points = 0,
				.obs = f->obs[i] };
	it->opt_points[key] = 1;
}

static void fx_obs(struct fx *f, int i, int person, int option, int time_ms)
{
	struct ia_item *it = &f->it[i];
	double pts = option < 0 ? it->blank_points : it->opt_points[option];
	f->obs[i][it->n_obs++] = (struct ia_obs){ .person = person, .option = (int8_t)option,
						  .points = pts, .time_ms = time_ms };
}

static void fx_score(struct fx *f, int person, double score)
{
	f->per[person].section_score[0] = score;
	f->per[person].total = score;
}

/* ---- the 6 x 5 right/wrong example ---------------------------------------
 *
 * Key A on every item; "-" = omitted (0 points, as a wrong answer).
 *
 *            I0 I1 I2 I3 I4   score T      option chosen
 *      P0     1  1  1  1  1     5          A  A  A  A  A
 *      P1     1  1  1  0  0     3          A  A  A  C  B
 *      P2     1  1  0  1  0     3          A  A  B  A  B
 *      P3     1  0  1  0  1     3          A  B  A  D  A
 *      P4     1  0  0  0  0     1          A  C  B  B  D
 *      P5     0  0  0  0  0     0          -  -  -  -  -
 *
 * Section score T: mean 15/6 = 5/2; deviations 5/2, 1/2, 1/2, 1/2, -3/2, -5/2;
 * population variance var(T) = (25/4 + 3/4 + 9/4 + 25/4)/6 = 31/12.
 *
 * Facility p = mean points (max 1): I0 5/6, I1 1/2, I2 1/2, I3 1/3, I4 1/3.
 * Item variance p(1-p): I0 5/36, I1 and I2 1/4, I3 and I4 2/9.
 *
 * r_pb = cov(x, T) / sqrt(var(x) var(T)), population covariances:
 *   cov(x, T) = (sum of T over those right) / 6 - p mean(T).
 *   I0: right P0..P4 (T sum 5+3+3+3+1 = 15): cov = 15/6 - (5/6)(5/2) = 5/12;
 *       r = (5/12) / sqrt(5/36 * 31/12) = 0.6956083436.
 *   I1: right P0,P1,P2 (T sum 11): cov = 11/6 - (1/2)(5/2) = 7/12;
 *       r = (7/12) / sqrt(1/4 * 31/12) = 0.7258661863.
 *   I2: right P0,P1,P3 (sum 11): the same, r = 0.7258661863.
 *   I3: right P0,P2 (sum 8): cov = 8/6 - (1/3)(5/2) = 1/2;
 *       r = (1/2) / sqrt(2/9 * 31/12) = 0.6599120176.
 *   I4: right P0,P3 (sum 8): the same, r = 0.6599120176.
 *
 * Corrected r: with the rest R = T - x, cov(x, R) = cov(x, T) - var(x) and
 * var(R) = var(T) - 2 cov(x, T) + var(x):
 *   I0: cov 5/12 - 5/36 = 5/18, var(R) = 31/12 - 10/12 + 5/36 = 17/9,
 *       r' = (5/18) / sqrt(5/36 * 17/9) = 0.5423261445.
 *   I1, I2: cov 7/12 - 3/12 = 1/3, var(R) = 31/12 - 14/12 + 3/12 = 5/3,
 *       r' = (1/3) / sqrt(1/4 * 5/3) = 0.5163977795.
 *   I3, I4: cov 1/2 - 2/9 = 5/18, var(R) = 31/12 - 1 + 2/9 = 65/36,
 *       r' = (5/18) / sqrt(2/9 * 65/36) = 0.4385290097.
 *
 * D: groups of ceil(0.27 * 6) = ceil(1.62) = 2. Sorted by T, equal T by
 * person index: P5 (0), P4 (1), P1 (3), P2 (3), P3 (3), P0 (5). Lower group
 * {P5, P4}, upper group {P3, P0} (of the three 3s, P3 sorts last).
 *   I0: upper 2/2, lower 1/2 -> D = 1/2.   I1: upper 1/2 (P0), lower 0 -> 1/2.
 *   I2: upper 2/2, lower 0 -> 1.           I3: upper 1/2, lower 0 -> 1/2.
 *   I4: upper 2/2, lower 0 -> 1.
 *
 * Options (share of the 6; option r_pb = (M_o - 5/2) / sd(T) * sqrt(q/(1-q)),
 * sd(T) = sqrt(31/12) = 1.6072751268):
 *   I1 B: P3 only, q = 1/6, M = 3: r = (1/2)/1.6072751268 * sqrt(1/5)
 *         = 0.1391216687; upper share 1/2 (P3), lower 0 -> suspect distractor.
 *   I1 C: P4 only, M = 1: r = (-3/2)/1.6072751268 * sqrt(1/5) = -0.4173650062;
 *         upper 0, lower 1/2 -> a distractor doing its job.
 *   I3 C: P1, M = 3, r = 0.1391216687 but upper 0 = lower 0 -> not flagged.
 *   I3 D: P3, M = 3, r = 0.1391216687, upper 1/2 > lower 0 -> flagged.
 *   I1's key A: M = 11/3, r = the item's r_pb 0.7258661863 (highest: no KEY).
 * I0: 5 answered of 6, omit rate 1/6. Every item: n = 6 < 30 -> FEW.
 * Corrected r >= 0.2 everywhere: no WEAK, no NEGATIVE; p in [0.2, 0.9]: no
 * EASY or HARD. */

static const int HAND_OPT[6][5] = {
	{ 0, 0, 0, 0, 0 }, { 0, 0, 0, 2, 1 }, { 0, 0, 1, 0, 1 },
	{ 0, 1, 0, 3, 0 }, { 0, 2, 1, 1, 3 }, { -1, -1, -1, -1, -1 },
};

static void fx_hand(struct fx *f)
{
	fx_init(f, 6, 5);
	for (int i = 0; i < 5; i++) {
		fx_rw_item(f, i, 0);
		for (int p = 0; p < 6; p++)
			fx_obs(f, i, p, HAND_OPT[p][i], 1000 * (p + 1));
	}
	static const double T[6] = { 5, 3, 3, 3, 1, 0 };
	for (int p = 0; p < 6; p++)
		fx_score(f, p, T[p]);
}

static void test_hand_items(void **state)
{
	(void)state;
	static struct fx f;
	fx_hand(&f);
	static const double P[5] = { 5.0 / 6, 0.5, 0.5, 1.0 / 3, 1.0 / 3 };
	static const double R[5] = { 0.6956083436, 0.7258661863, 0.7258661863, 0.6599120176,
				     0.6599120176 };
	static const double RC[5] = { 0.5423261445, 0.5163977795, 0.5163977795, 0.4385290097,
				      0.4385290097 };
	static const double D[5] = { 0.5, 0.5, 1, 0.5, 1 };
	for (int i = 0; i < 5; i++) {
		struct ia_item_stats s;
		assert_int_equal(ia_item_compute(&f.d, i, &f.t, &s), 0);
		assert_int_equal(s.n_presented, 6);
		assert_int_equal(s.n_group, 2);
		assert_float_equal(s.p, P[i], EPS);
		assert_float_equal(s.sd, sqrt(P[i] * (1 - P[i])), EPS);
		assert_float_equal(s.r_pb, R[i], 1e-9);
		assert_float_equal(s.r_corrected, RC[i], 1e-9);
		assert_float_equal(s.d_index, D[i], EPS);
		/* only FEW, plus the suspect distractors of I1 and I3 */
		unsigned want = IA_FLAG_FEW | (i == 1 || i == 3 ? IA_FLAG_DISTRACTOR : 0);
		assert_int_equal(s.flags, want);
		/* the key's option r_pb is the item's */
		assert_float_equal(s.opt[0].r_pb, R[i], 1e-9);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_int_equal(s.n_answered, 5);
	assert_float_equal(s.omit_rate, 1.0 / 6, EPS);
	assert_int_equal(s.opt[1].n, 0);
	assert_true(isnan(s.opt[1].mean_score) && isnan(s.opt[1].r_pb));

	ia_item_compute(&f.d, 1, &f.t, &s);
	assert_float_equal(s.opt[0].share, 0.5, EPS);
	assert_float_equal(s.opt[0].mean_score, 11.0 / 3, EPS);
	assert_float_equal(s.opt[1].share, 1.0 / 6, EPS);
	assert_float_equal(s.opt[1].mean_score, 3, EPS);
	assert_float_equal(s.opt[1].r_pb, 0.1391216687, 1e-9);
	assert_float_equal(s.opt[1].upper_share, 0.5, EPS);
	assert_float_equal(s.opt[1].lower_share, 0, EPS);
	assert_true(s.opt[1].flagged);
	assert_float_equal(s.opt[2].r_pb, -0.4173650062, 1e-9);
	assert_float_equal(s.opt[2].lower_share, 0.5, EPS);
	assert_false(s.opt[2].flagged);
	assert_false(s.opt[0].flagged); /* the key is never a suspect distractor */

	ia_item_compute(&f.d, 3, &f.t, &s);
	assert_false(s.opt[2].flagged); /* C: r > 0 but upper 0 = lower 0 */
	assert_true(s.opt[3].flagged);  /* D: upper 1/2 > lower 0, r > 0 */
	assert_float_equal(s.opt[3].r_pb, 0.1391216687, 1e-9);

	/* time: 1..6 s for P0..P5: median (3000 + 4000) / 2, p90 = 6th of 6 */
	assert_float_equal(s.time_median_ms, 3500, EPS);
	assert_float_equal(s.time_p90_ms, 6000, EPS);
	assert_int_equal(ia_item_compute(&f.d, 5, &f.t, &s), -1);
	assert_int_equal(ia_item_compute(&f.d, -1, &f.t, &s), -1);
}

/* A person whose exam has no such section (NaN) is left out everywhere. */
static void test_nan_section_skipped(void **state)
{
	(void)state;
	static struct fx f;
	fx_hand(&f);
	f.d.n_persons = 7;
	fx_obs(&f, 0, 6, 1, 999999); /* P6: wrong on I0, no section score */
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_int_equal(s.n_presented, 6);
	assert_float_equal(s.p, 5.0 / 6, EPS);
	assert_float_equal(s.r_pb, 0.6956083436, 1e-9);
	assert_int_equal(s.opt[1].n, 0);
	assert_float_equal(s.time_p90_ms, 6000, EPS);
}

/* Nobody varies: every r is undefined and no WEAK/NEGATIVE is claimed. */
static void test_zero_variance(void **state)
{
	(void)state;
	static struct fx f;
	fx_init(&f, 40, 1);
	fx_rw_item(&f, 0, 2);
	for (int p = 0; p < 40; p++) {
		fx_obs(&f, 0, p, 2, -1); /* all right, time unknown */
		fx_score(&f, p, 10 + p % 7);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_float_equal(s.p, 1, EPS);
	assert_float_equal(s.sd, 0, EPS);
	assert_true(isnan(s.r_pb));
	assert_true(isnan(s.r_corrected));
	assert_true(isnan(s.opt[2].r_pb)); /* chosen by all */
	assert_true(isnan(s.opt[0].r_pb)); /* chosen by none */
	assert_true(isnan(s.time_median_ms) && isnan(s.time_p90_ms));
	assert_float_equal(s.d_index, 0, EPS);
	assert_int_equal(s.flags, IA_FLAG_EASY); /* 40 >= 30: no FEW either */

	/* every score equal, the item varies: r_pb undefined; the rest score
	 * 7 - x then falls exactly as x rises: corrected r = -1 */
	for (int p = 0; p < 40; p++)
		fx_score(&f, p, 7);
	f.it[0].n_obs = 0;
	for (int p = 0; p < 40; p++)
		fx_obs(&f, 0, p, p % 2 ? 2 : 0, 5000);
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_float_equal(s.p, 0.5, EPS);
	assert_true(isnan(s.r_pb));
	assert_float_equal(s.r_corrected, -1, EPS);
	assert_int_equal(s.flags, IA_FLAG_NEGATIVE);
	assert_float_equal(s.time_median_ms, 5000, EPS);

	/* nobody at all */
	f.it[0].n_obs = 0;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_int_equal(s.n_presented, 0);
	assert_true(isnan(s.p) && isnan(s.omit_rate) && isnan(s.d_index));
	assert_int_equal(s.flags, IA_FLAG_FEW);
}

/* A miskeyed item: the bank says A, the able candidates choose B.
 * 40 persons with section scores 0..39: P0..P19 choose A (scored 1), P20..P39
 * choose B (scored 0). Key A's r_pb is negative, B's positive -> KEY; B is
 * also a wrong option the upper group prefers -> DISTRACTOR; corrected r < 0
 * -> NEGATIVE. */
static void test_miskey(void **state)
{
	(void)state;
	static struct fx f;
	fx_init(&f, 40, 1);
	fx_rw_item(&f, 0, 0);
	for (int p = 0; p < 40; p++) {
		fx_obs(&f, 0, p, p < 20 ? 0 : 1, 1000);
		fx_score(&f, p, p);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_true(s.opt[0].r_pb < 0);
	assert_true(s.opt[1].r_pb > 0);
	/* symmetric split: r_pb(A) = -r_pb(B) = -(10 / sd) * 1, sd = sqrt((40^2-1)/12) */
	assert_float_equal(s.opt[1].r_pb, 10 / sqrt((1600.0 - 1) / 12), 1e-9);
	assert_true(s.flags & IA_FLAG_KEY);
	assert_true(s.flags & IA_FLAG_DISTRACTOR);
	assert_true(s.flags & IA_FLAG_NEGATIVE);
	assert_false(s.flags & IA_FLAG_WEAK);
	assert_false(s.flags & IA_FLAG_FEW);
	/* groups of ceil(10.8) = 11: upper all B, lower all A */
	assert_int_equal(s.n_group, 11);
	assert_float_equal(s.d_index, -1, EPS);
	assert_float_equal(s.opt[1].upper_share, 1, EPS);

	char buf[UJ_IA_FLAG_TEXT];
	ia_flag_text(IA_FLAG_KEY, &s, &f.t, "id", buf, sizeof buf);
	char want[64];
	snprintf(want, sizeof want, "r = %.2f", s.opt[1].r_pb);
	for (char *c = want; *c; c++)
		if (*c == '.')
			*c = ',';
	assert_non_null(strstr(buf, "Kunci diragukan: pilihan B"));
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "kunci A (r = -"));
	ia_flag_text(IA_FLAG_KEY, &s, &f.t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "Suspect key: option B"));
	assert_non_null(strstr(buf, "the key A (r = -0."));
	ia_flag_text(IA_FLAG_NEGATIVE, &s, &f.t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "Negative discrimination: r = -0."));
}

/* Weighted items (key -1): p is mean points over the maximum; with a
 * negative minimum, (mean - min) / (max - min).
 * Item 0: points A..E = 1, 2, 3, 4, 5; 4 persons choose E, D, B, A:
 *   points 5, 4, 2, 1, mean 3, p = 3/5 = 0.6.
 * Item 1: A = +4, B, C, D = -1, blank 0; 4 persons: A, A, B, blank:
 *   points 4, 4, -1, 0, mean 7/4; p = (7/4 + 1) / (4 + 1) = 0.55;
 *   1 omitted of 4. */
static void test_weighted(void **state)
{
	(void)state;
	static struct fx f;
	fx_init(&f, 4, 2);
	f.sec[0].right_wrong = 0;
	f.it[0] = (struct ia_item){ .item_id = 1, .item_code = "TKP-1", .section = 0, .n_options = 5,
				    .key = -1, .opt_points = { 1, 2, 3, 4, 5 }, .blank_points = 0,
				    .max_points = 5, .min_points = 0, .obs = f.obs[0] };
	f.it[1] = (struct ia_item){ .item_id = 2, .item_code = "PEN-1", .section = 0, .n_options = 4,
				    .key = -1, .opt_points = { 4, -1, -1, -1 }, .blank_points = 0,
				    .max_points = 4, .min_points = -1, .obs = f.obs[1] };
	static const int o0[4] = { 4, 3, 1, 0 }, o1[4] = { 0, 0, 1, -1 };
	for (int p = 0; p < 4; p++) {
		fx_obs(&f, 0, p, o0[p], 0);
		fx_obs(&f, 1, p, o1[p], 0);
		fx_score(&f, p, 40 - 10 * p);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_true(s.weighted);
	assert_float_equal(s.p, 0.6, EPS);
	assert_int_equal(s.n_answered, 4);
	/* groups of ceil(1.08) = 2: upper P0, P1 (5, 4 points), lower P3, P2 (1, 2) */
	assert_float_equal(s.d_index, (4.5 - 1.5) / 5, EPS);
	/* D (4 points, not the maximum) is chosen by the upper group only with
	 * r > 0: a suspect "distractor" by the weighted rule; E (5) never is */
	assert_true(s.opt[3].flagged);
	assert_false(s.opt[4].flagged);
	assert_false(s.flags & IA_FLAG_KEY); /* no key on a weighted item */

	ia_item_compute(&f.d, 1, &f.t, &s);
	assert_float_equal(s.p, 0.55, EPS);
	assert_int_equal(s.n_answered, 3);
	assert_float_equal(s.omit_rate, 0.25, EPS);
	/* upper (P0, P1) mean 4 -> 1; lower (P3, P2) mean -1/2 -> (1/2)/5 = 0.1 */
	assert_float_equal(s.d_index, 1 - 0.1, EPS);
	assert_float_equal(s.opt[0].share, 0.5, EPS);

	char buf[UJ_IA_FLAG_TEXT];
	struct ia_thresholds low = { .easy_p = 0.5, .hard_p = 0.2, .weak_r = 0.2 };
	ia_flag_text(IA_FLAG_EASY, &s, &low, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "rata-rata skor soal 55% dari skor maksimumnya (batas 50%)"));
	ia_flag_text(IA_FLAG_EASY, &s, &low, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "mean score is 55% of the item's maximum (limit 50%)"));
}

/* Time: median of an even and an odd count; p90 by nearest rank; unknown
 * (-1) times left out. Times 1..10 s and two unknown: median 5.5 s, p90 the
 * ceil(0.9 * 10) = 9th = 9 s. With 11 known (1..11 s): median 6 s, p90 the
 * ceil(9.9) = 10th = 10 s. */
static void test_time(void **state)
{
	(void)state;
	static struct fx f;
	fx_init(&f, 12, 1);
	fx_rw_item(&f, 0, 0);
	for (int p = 0; p < 12; p++) {
		fx_obs(&f, 0, p, 0, p < 10 ? (10 - p) * 1000 : -1);
		fx_score(&f, p, p);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_float_equal(s.time_median_ms, 5500, EPS);
	assert_float_equal(s.time_p90_ms, 9000, EPS);
	f.obs[0][10].time_ms = 11000;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_float_equal(s.time_median_ms, 6000, EPS);
	assert_float_equal(s.time_p90_ms, 10000, EPS);
}

/* The thresholds are the caller's; EASY/HARD/WEAK follow them. */
static void test_thresholds_and_texts(void **state)
{
	(void)state;
	static struct fx f;
	fx_hand(&f);
	struct ia_thresholds t = { .easy_p = 0.8, .hard_p = 0.4, .weak_r = 0.55 };
	struct ia_item_stats s0, s3;
	ia_item_compute(&f.d, 0, &t, &s0);
	assert_true(s0.flags & IA_FLAG_EASY); /* 5/6 > 0.8 */
	assert_true(s0.flags & IA_FLAG_WEAK); /* 0 <= 0.542 < 0.55 */
	ia_item_compute(&f.d, 3, &t, &s3);
	assert_true(s3.flags & IA_FLAG_HARD); /* 1/3 < 0.4 */

	char buf[UJ_IA_FLAG_TEXT];
	ia_flag_text(IA_FLAG_EASY, &s0, &t, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "Terlalu mudah: 83,3% peserta menjawab benar (batas 80%)."));
	ia_flag_text(IA_FLAG_EASY, &s0, &t, NULL, buf, sizeof buf); /* default: Indonesian */
	assert_non_null(strstr(buf, "Terlalu mudah"));
	ia_flag_text(IA_FLAG_EASY, &s0, &t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "Too easy: 83.3% of candidates answered correctly (limit 80%)."));
	ia_flag_text(IA_FLAG_WEAK, &s0, &t, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "r = 0,54 (batas 0,55)"));
	ia_flag_text(IA_FLAG_WEAK, &s0, &t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "r = 0.54 (limit 0.55)"));
	ia_flag_text(IA_FLAG_HARD, &s3, &t, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "hanya 33,3% peserta menjawab benar (batas 40%)"));
	ia_flag_text(IA_FLAG_HARD, &s3, &t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "only 33.3% of candidates answered correctly (limit 40%)"));
	ia_flag_text(IA_FLAG_FEW, &s3, &t, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "disajikan kepada 6 peserta (minimal 30)"));
	ia_flag_text(IA_FLAG_FEW, &s3, &t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "presented to only 6 candidates (at least 30"));
	ia_flag_text(IA_FLAG_DISTRACTOR, &s3, &t, "id", buf, sizeof buf);
	assert_non_null(strstr(buf, "pilihan D dipilih 50% kelompok atas dan 0% kelompok bawah "
				    "(r = 0,14)"));
	assert_null(strstr(buf, "pilihan C"));
	ia_flag_text(IA_FLAG_DISTRACTOR, &s3, &t, "en", buf, sizeof buf);
	assert_non_null(strstr(buf, "option D was chosen by 50% of the upper group and 0% of the "
				    "lower group (r = 0.14)"));
	/* a short buffer truncates, never overruns */
	char small[16];
	ia_flag_text(IA_FLAG_DISTRACTOR, &s3, &t, "id", small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
	ia_flag_text(1u << 20, &s3, &t, "id", buf, sizeof buf);
	assert_string_equal(buf, "");

	static const char *codes[IA_FLAG_COUNT] = { "too_easy", "too_hard", "weak", "negative",
						    "suspect_key", "suspect_distractor", "few" };
	for (int k = 0; k < IA_FLAG_COUNT; k++) {
		assert_string_equal(ia_flag_code(1u << k), codes[k]);
		ia_flag_text(1u << k, &s3, &t, "en", buf, sizeof buf);
		assert_true(strlen(buf) > 20);
	}
	assert_null(ia_flag_code(1u << IA_FLAG_COUNT));
	assert_null(ia_flag_code(IA_FLAG_EASY | IA_FLAG_HARD));
}

/* ---- the groups and times against a plain sort --------------------------
 * Random data with many tied scores (0..5) and repeated times: D, the
 * options' group shares, the median and the p90 equal what a full sort of
 * the rows by (score, person) and of the times gives. */
static int cmp_ref(const void *a, const void *b)
{
	const int *x = a, *y = b; /* {score, person} */
	if (x[0] != y[0])
		return x[0] - y[0];
	return x[1] - y[1];
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_groups_random(void **state)
{
	(void)state;
	static struct fx f;
	unsigned r = 2463534242u;
	for (int round = 0; round < 200; round++) {
		int n = 2 + (int)(r % 63);
		fx_init(&f, n, 1);
		fx_rw_item(&f, 0, 1);
		int ref[NP_MAX][2], times[NP_MAX], opt[NP_MAX];
		for (int p = 0; p < n; p++) {
			r ^= r << 13, r ^= r >> 17, r ^= r << 5;
			int sc = (int)(r % 6);
			opt[p] = (int)((r >> 8) % 5) - 1; /* -1..3 */
			times[p] = (int)((r >> 16) % 7) * 1000;
			fx_obs(&f, 0, p, opt[p], times[p]);
			fx_score(&f, p, sc);
			ref[p][0] = sc;
			ref[p][1] = p;
		}
		struct ia_item_stats s;
		ia_item_compute(&f.d, 0, &f.t, &s);
		qsort(ref, (size_t)n, sizeof ref[0], cmp_ref);
		int g = (int)ceil(0.27 * n - 1e-9);
		assert_int_equal(s.n_group, g);
		double up = 0, lo = 0, ou[4] = { 0 }, ol[4] = { 0 };
		for (int k = 0; k < g; k++) {
			int pl = ref[k][1], pu = ref[n - 1 - k][1];
			lo += opt[pl] == 1;
			up += opt[pu] == 1;
			if (opt[pl] >= 0)
				ol[opt[pl]]++;
			if (opt[pu] >= 0)
				ou[opt[pu]]++;
		}
		assert_float_equal(s.d_index, (up - lo) / g, EPS);
		for (int o = 0; o < 4; o++) {
			assert_float_equal(s.opt[o].upper_share, ou[o] / g, EPS);
			assert_float_equal(s.opt[o].lower_share, ol[o] / g, EPS);
		}
		qsort(times, (size_t)n, sizeof times[0], cmp_int);
		double med = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2.0;
		assert_float_equal(s.time_median_ms, med, EPS);
		assert_float_equal(s.time_p90_ms, times[(int)ceil(0.9 * n - 1e-9) - 1], EPS);
	}
}

/* 0.27 * 900 is 243.00000000000003 in binary floating point: the groups of
 * 900 persons are 243 each, not 244. Scores 0..899, the 243 best right: the
 * upper group all right, the lower none -> D = 1 exactly. */
static void test_group_size_900(void **state)
{
	(void)state;
	static struct fx f;
	fx_init(&f, 900, 1);
	fx_rw_item(&f, 0, 0);
	for (int p = 0; p < 900; p++) {
		fx_obs(&f, 0, p, p >= 900 - 243 ? 0 : 1, 1000);
		fx_score(&f, p, p);
	}
	struct ia_item_stats s;
	ia_item_compute(&f.d, 0, &f.t, &s);
	assert_int_equal(s.n_group, 243);
	assert_float_equal(s.d_index, 1, EPS);
	assert_float_equal(s.opt[0].upper_share, 1, EPS);
	assert_float_equal(s.opt[0].lower_share, 0, EPS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_items),
		cmocka_unit_test(test_nan_section_skipped),
		cmocka_unit_test(test_zero_variance),
		cmocka_unit_test(test_miskey),
		cmocka_unit_test(test_weighted),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_thresholds_and_texts),
		cmocka_unit_test(test_groups_random),
		cmocka_unit_test(test_group_size_900),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
