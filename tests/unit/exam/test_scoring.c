/* test_scoring.c - section scores and pass rules (server/scoring.c). */
#include "unit.h"

#include "exam/scoring.h"

#include <string.h>

/* TWK/TIU style: 5 for the key, 0 otherwise, 0 blank. */
static const struct section_rule rw_5_0_0 = { .code = "TWK", .type = SCORING_RIGHT_WRONG,
					      .correct = 5, .wrong = 0, .blank = 0 };
/* Negative marking: +4 right, -1 wrong, 0 blank. */
static const struct section_rule rw_4_m1_0 = { .code = "NEG", .type = SCORING_RIGHT_WRONG,
					       .correct = 4, .wrong = -1, .blank = 0 };
/* TKP style: each option has its own points, blank 0. */
static const struct section_rule weighted_0 = { .code = "TKP", .type = SCORING_WEIGHTED,
						.blank = 0 };

static const uint8_t id4[] = { 0, 1, 2, 3 };
static const uint8_t id5[] = { 0, 1, 2, 3, 4 };

/* right_wrong 5/0/0: the key earns 5, any other option 0, blank 0. */
static void test_right_wrong_5_0_0(void **state)
{
	(void)state;
	static const int key_b[] = { 0, 1, 0, 0 }; /* bank option B is correct */
	struct scoring_q q = { 0, &rw_5_0_0, 4, key_b, id4 };
	assert_int_equal(scoring_points(&q, 1), 5);
	assert_int_equal(scoring_points(&q, 0), 0);
	assert_int_equal(scoring_points(&q, 2), 0);
	assert_int_equal(scoring_points(&q, 3), 0);
	assert_int_equal(scoring_points(&q, -1), 0);
}

/* right_wrong 4/-1/0: right +4, wrong -1, blank 0 (leaving it blank beats guessing wrong). */
static void test_right_wrong_negative_marking(void **state)
{
	(void)state;
	static const int key_d[] = { 0, 0, 0, 1 };
	struct scoring_q q = { 0, &rw_4_m1_0, 4, key_d, id4 };
	assert_int_equal(scoring_points(&q, 3), 4);
	assert_int_equal(scoring_points(&q, 0), -1);
	assert_int_equal(scoring_points(&q, 2), -1);
	assert_int_equal(scoring_points(&q, -1), 0);
}

/* A non-zero blank value is what a blank earns. */
static void test_blank_value_used(void **state)
{
	(void)state;
	static const struct section_rule r = { .code = "X", .type = SCORING_RIGHT_WRONG,
					       .correct = 3, .wrong = -2, .blank = -1 };
	static const struct section_rule w = { .code = "Y", .type = SCORING_WEIGHTED, .blank = 2 };
	static const int key[] = { 1, 0, 0, 0 };
	static const int pts[] = { 1, 2, 3, 4, 5 };
	struct scoring_q q = { 0, &r, 4, key, id4 };
	struct scoring_q qw = { 0, &w, 5, pts, id5 };
	assert_int_equal(scoring_points(&q, -1), -1);
	assert_int_equal(scoring_points(&q, 0), 3);
	assert_int_equal(scoring_points(&q, 1), -2);
	assert_int_equal(scoring_points(&qw, -1), 2);
}

/* weighted: each option earns its own points (1..5), blank 0. */
static void test_weighted_tkp(void **state)
{
	(void)state;
	static const int pts[] = { 5, 2, 3, 1, 4 };
	struct scoring_q q = { 0, &weighted_0, 5, pts, id5 };
	assert_int_equal(scoring_points(&q, 0), 5);
	assert_int_equal(scoring_points(&q, 1), 2);
	assert_int_equal(scoring_points(&q, 2), 3);
	assert_int_equal(scoring_points(&q, 3), 1);
	assert_int_equal(scoring_points(&q, 4), 4);
	assert_int_equal(scoring_points(&q, -1), 0);
}

/* The chosen label goes through the paper's permutation: label 0 with perm {2,0,1} is bank option 2. */
static void test_label_through_perm(void **state)
{
	(void)state;
	static const uint8_t perm[] = { 2, 0, 1 };
	static const int key_c[] = { 0, 0, 1 };  /* bank option 2 is the key */
	static const int pts[] = { 10, 20, 30 }; /* bank option i earns 10*(i+1) */
	struct scoring_q q = { 0, &rw_5_0_0, 3, key_c, perm };
	struct scoring_q qw = { 0, &weighted_0, 3, pts, perm };
	assert_int_equal(scoring_points(&q, 0), 5); /* A -> option 2, the key */
	assert_int_equal(scoring_points(&q, 1), 0); /* B -> option 0 */
	assert_int_equal(scoring_points(&q, 2), 0); /* C -> option 1 */
	assert_int_equal(scoring_points(&qw, 0), 30);
	assert_int_equal(scoring_points(&qw, 1), 10);
	assert_int_equal(scoring_points(&qw, 2), 20);
	/* A label past the last option counts as blank. */
	assert_int_equal(scoring_points(&qw, 3), 0);
}

/* scoring_max: best of the options and blank. */
static void test_scoring_max(void **state)
{
	(void)state;
	static const int key[] = { 0, 1, 0, 0 };
	static const int pts[] = { 1, 2, 3, 4, 5 };
	static const int neg[] = { -3, -1, -2 };
	static const uint8_t perm5[] = { 4, 3, 2, 1, 0 };
	struct scoring_q a = { 0, &rw_5_0_0, 4, key, id4 };
	struct scoring_q b = { 0, &rw_4_m1_0, 4, key, id4 };
	struct scoring_q c = { 0, &weighted_0, 5, pts, perm5 };
	struct scoring_q d = { 0, &weighted_0, 3, neg, id4 };
	assert_int_equal(scoring_max(&a), 5);
	assert_int_equal(scoring_max(&b), 4);
	assert_int_equal(scoring_max(&c), 5);
	assert_int_equal(scoring_max(&d), 0); /* blank (0) beats every option */
}

/* A six-question paper over two interleaved sections, totals worked out by hand. */
static void test_compute_mixed_paper(void **state)
{
	(void)state;
	/* Section 0 = TWK (5/0/0), section 1 = TKP (weighted). */
	static const int key1[] = { 0, 1, 0, 0 };         /* key: bank option 1 */
	static const int key3[] = { 0, 0, 0, 1 };         /* key: bank option 3 */
	static const int tkp_a[] = { 3, 5, 1, 2, 4 };
	static const int tkp_b[] = { 5, 4, 3, 2, 1 };
	static const uint8_t p1023[] = { 1, 0, 2, 3 };
	static const uint8_t p42013[] = { 4, 2, 0, 1, 3 };
	const struct scoring_q qs[6] = {
		{ 0, &rw_5_0_0, 4, key1, p1023 },    /* q0 TWK: label A -> option 1 = key: 5 */
		{ 1, &weighted_0, 5, tkp_a, p42013 }, /* q1 TKP: label B -> option 2: 1 point */
		{ 0, &rw_5_0_0, 4, key3, id4 },      /* q2 TWK: label C -> option 2, wrong: 0 */
		{ 1, &weighted_0, 5, tkp_b, id5 },   /* q3 TKP: label A -> option 0: 5 points */
		{ 0, &rw_5_0_0, 4, key1, id4 },      /* q4 TWK: blank: 0 */
		{ 1, &weighted_0, 5, tkp_a, id5 },   /* q5 TKP: blank: 0 */
	};
	const int8_t chosen[6] = { 0, 1, 2, 0, -1, -1 };
	int score[2] = { 777, 777 }, max[2] = { 777, 777 };
	scoring_compute(qs, 6, chosen, 2, score, max);
	assert_int_equal(score[0], 5);  /* TWK: 5 + 0 + 0 */
	assert_int_equal(max[0], 15);   /* TWK: 3 questions x 5 */
	assert_int_equal(score[1], 6);  /* TKP: 1 + 5 + 0 */
	assert_int_equal(max[1], 15);   /* TKP: 3 questions x best option 5 */
}

/* Negative marking in scoring_compute: a section score can drop below zero. */
static void test_compute_negative_section(void **state)
{
	(void)state;
	static const int key0[] = { 1, 0, 0, 0 };
	const struct scoring_q qs[3] = {
		{ 0, &rw_4_m1_0, 4, key0, id4 }, /* wrong: -1 */
		{ 0, &rw_4_m1_0, 4, key0, id4 }, /* wrong: -1 */
		{ 0, &rw_4_m1_0, 4, key0, id4 }, /* blank: 0 */
	};
	const int8_t chosen[3] = { 1, 3, -1 };
	int score[1], max[1];
	scoring_compute(qs, 3, chosen, 1, score, max);
	assert_int_equal(score[0], -2);
	assert_int_equal(max[0], 12);
}

/* Pass rule with section minimums: equal to each minimum passes, one below any of them fails. */
static void test_passes_section_minimums(void **state)
{
	(void)state;
	/* umum: TWK (0) >= 65, TIU (1) >= 80, TKP (2) >= 166. */
	struct pass_rule r;
	memset(&r, 0, sizeof r);
	strcpy(r.track, "umum");
	r.n_min = 3;
	r.min_section[0] = 0, r.min_value[0] = 65;
	r.min_section[1] = 1, r.min_value[1] = 80;
	r.min_section[2] = 2, r.min_value[2] = 166;
	const int exact[3] = { 65, 80, 166 }, high[3] = { 150, 175, 225 };
	const int low0[3] = { 64, 80, 166 }, low1[3] = { 65, 79, 166 }, low2[3] = { 65, 80, 165 };
	const int high_but_one_low[3] = { 150, 175, 165 };
	assert_true(scoring_passes(&r, exact, 311));
	assert_true(scoring_passes(&r, high, 550));
	assert_false(scoring_passes(&r, low0, 310));
	assert_false(scoring_passes(&r, low1, 310));
	assert_false(scoring_passes(&r, low2, 310));
	assert_false(scoring_passes(&r, high_but_one_low, 490));
}

/* Pass rule with a total: equal passes, one below fails; with a section minimum both must hold. */
static void test_passes_total(void **state)
{
	(void)state;
	struct pass_rule r;
	const int s[3] = { 100, 100, 100 }, tiu_low[3] = { 150, 59, 200 }, tiu_ok[3] = { 0, 60, 0 };
	memset(&r, 0, sizeof r);
	strcpy(r.track, "disabilitas");
	r.has_total = 1;
	r.total = 286;
	assert_true(scoring_passes(&r, s, 286));
	assert_true(scoring_passes(&r, s, 400));
	assert_false(scoring_passes(&r, s, 285));
	/* Add TIU (1) >= 60. */
	r.n_min = 1;
	r.min_section[0] = 1;
	r.min_value[0] = 60;
	assert_false(scoring_passes(&r, tiu_low, 409)); /* total fine, TIU too low */
	assert_false(scoring_passes(&r, tiu_ok, 60));   /* TIU fine, total too low */
	assert_true(scoring_passes(&r, tiu_ok, 286));
}

/* A NULL rule (exam without pass rules) always passes. */
static void test_passes_null_rule(void **state)
{
	(void)state;
	const int zero[3] = { 0, 0, 0 }, neg[3] = { -5, -5, -5 };
	assert_true(scoring_passes(NULL, zero, 0));
	assert_true(scoring_passes(NULL, neg, -15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_right_wrong_5_0_0),
		cmocka_unit_test(test_right_wrong_negative_marking),
		cmocka_unit_test(test_blank_value_used),
		cmocka_unit_test(test_weighted_tkp),
		cmocka_unit_test(test_label_through_perm),
		cmocka_unit_test(test_scoring_max),
		cmocka_unit_test(test_compute_mixed_paper),
		cmocka_unit_test(test_compute_negative_section),
		cmocka_unit_test(test_passes_section_minimums),
		cmocka_unit_test(test_passes_total),
		cmocka_unit_test(test_passes_null_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
