/* test_rank.c - stage scores, gates, weighted finals, tie-breaks and the
 * proposal of an open-bidding selection (server/selection/rank.c). Every
 * expected number is worked out by hand in the comment beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "selection/rank.h"

#include <string.h>

#define EPS 1e-9

/* Stage indexes of the default config. */
enum { ADM, ASES, MAK, WAW, REK };

/* Give applicant a the same three entries per weighted stage (default
 * config), administration passed. */
static void fill3(struct rank_applicant *a, int64_t id, const double ases[3], const double mak[3],
		  const double waw[3], const double rek[3])
{
	const double *v[] = { NULL, ases, mak, waw, rek };
	memset(a, 0, sizeof *a);
	a->id = id;
	a->in[ADM].gate = 1;
	for (int s = ASES; s <= REK; s++) {
		a->in[s].gate = -1;
		a->in[s].n_entries = 3;
		for (int k = 0; k < 3; k++)
			a->in[s].entry[k] = v[s][k];
	}
}

/* Same score from every member. */
static void fill_flat(struct rank_applicant *a, int64_t id, double ases, double mak, double waw,
		      double rek)
{
	double A[3] = { ases, ases, ases }, M[3] = { mak, mak, mak }, W[3] = { waw, waw, waw },
	       R[3] = { rek, rek, rek };
	fill3(a, id, A, M, W, R);
}

static void test_defaults(void **state)
{
	struct rank_config c;
	struct errlist errs;
	(void)state;
	errlist_init(&errs, 0);
	assert_int_equal(rank_config_from_json(NULL, &c, &errs), 0);
	assert_int_equal(c.n_stages, 5);
	assert_string_equal(c.stage[ADM].code, "administrasi");
	assert_true(c.stage[ADM].gate);
	assert_true(c.stage[ADM].weight == 0);
	/* assessment 25, paper 20, interview 35, track record 20 */
	assert_true(c.stage[ASES].weight == 25 && c.stage[MAK].weight == 20 &&
		    c.stage[WAW].weight == 35 && c.stage[REK].weight == 20);
	assert_int_equal(c.rule, RANK_MEAN);
	assert_int_equal(c.n_tie, 2);
	assert_int_equal(c.tie[0], ASES);
	assert_int_equal(c.tie[1], WAW);
	assert_int_equal(c.proposal, 3);
	assert_int_equal(c.min_entries, 0);
	/* An empty object is the defaults too; the JSON form says so whole. */
	json_t *in = json_object();
	assert_int_equal(rank_config_from_json(in, &c, &errs), 0);
	json_t *out = rank_config_to_json(&c);
	assert_int_equal(json_array_size(json_object_get(out, "stages")), 5);
	assert_string_equal(json_string_value(json_object_get(out, "score_rule")), "mean");
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "tie_break"), 1)),
			    "wawancara");
	/* round trip */
	struct rank_config c2;
	assert_int_equal(rank_config_from_json(out, &c2, &errs), 0);
	assert_int_equal(c2.n_stages, 5);
	assert_true(c2.stage[WAW].weight == 35);
	json_decref(in);
	json_decref(out);
	assert_int_equal(errs.total, 0);
	errlist_free(&errs);
}

static void test_combine(void **state)
{
	(void)state;
	double a[] = { 60, 70, 95 };
	/* mean (60+70+95)/3 = 75; median 70 */
	assert_true(rank_combine(RANK_MEAN, a, 3) == 75);
	assert_true(rank_combine(RANK_MEDIAN, a, 3) == 70);
	double b[] = { 100, 60, 71, 70 };
	/* mean 301/4 = 75.25; median of 60 70 71 100 = (70+71)/2 = 70.5 */
	assert_true(rank_combine(RANK_MEAN, b, 4) == 75.25);
	assert_true(rank_combine(RANK_MEDIAN, b, 4) == 70.5);
	double one[] = { 42.5 };
	assert_true(rank_combine(RANK_MEDIAN, one, 1) == 42.5);
}

static void test_round2(void **state)
{
	(void)state;
	assert_true(rank_round2(81.666666) == 81.67);
	assert_true(rank_round2(80.125) == 80.13);   /* exactly half: away from zero */
	assert_true(rank_round2(78.335) == 78.34);   /* 78.33499.. in binary: still the decimal half */
	assert_true(rank_round2(78.3349) == 78.33);
	assert_true(rank_round2(0) == 0);
	assert_true(rank_round2(100) == 100);
}

/* The worked example of docs/SELECTION.md: eight applicants, three members,
 * default config. */
static void test_weighted_rank_tiebreak_top3(void **state)
{
	struct rank_config c;
	struct rank_applicant a[8];
	size_t order[8];
	(void)state;
	rank_config_default(&c);

	/* A (id 1): asesmen 80 82 84 -> 82; makalah 70 75 77 -> 74;
	 * wawancara 88 90 86 -> 88; rekam 80 80 85 -> 81.666.. -> 81.67.
	 * final = .25*82 + .20*74 + .35*88 + .20*81.67
	 *       = 20.5 + 14.8 + 30.8 + 16.334 = 82.434 -> 82.43 */
	double A1[] = { 80, 82, 84 }, A2[] = { 70, 75, 77 }, A3[] = { 88, 90, 86 },
	       A4[] = { 80, 80, 85 };
	fill3(&a[0], 1, A1, A2, A3, A4);
	/* B (id 2): 90 80 80 80 -> 22.5 + 16 + 28 + 16 = 82.5 */
	fill_flat(&a[1], 2, 90, 80, 80, 80);
	/* C (id 3): 84 80 78 78.5 -> 21 + 16 + 27.3 + 15.7 = 80 */
	fill_flat(&a[2], 3, 84, 80, 78, 78.5);
	/* D (id 4): 76 80 100 50 -> 19 + 16 + 35 + 10 = 80 (tie with C; lower
	 * assessment: after C) */
	fill_flat(&a[3], 4, 76, 80, 100, 50);
	/* E (id 5): 84 80 80 75 -> 21 + 16 + 28 + 15 = 80 (same final and
	 * assessment as C; higher interview 80 > 78: before C) */
	fill_flat(&a[4], 5, 84, 80, 80, 75);
	/* F (id 6): exactly E's scores: the last resort, application order
	 * (id 5 before id 6) */
	fill_flat(&a[5], 6, 84, 80, 80, 75);
	/* G (id 7): best scores of all, but failed administration: out */
	fill_flat(&a[6], 7, 100, 100, 100, 100);
	a[6].in[ADM].gate = 0;
	/* H (id 8): one member has not scored the interview: incomplete */
	fill_flat(&a[7], 8, 95, 95, 95, 95);
	a[7].in[WAW].n_entries = 2;

	rank_compute(&c, 3, a, 8, order);

	assert_true(a[0].complete);
	assert_true(a[0].score[ASES] == 82 && a[0].score[MAK] == 74 && a[0].score[WAW] == 88);
	assert_true(a[0].score[REK] == 81.67);
	assert_true(a[0].final == 82.43);
	assert_true(a[1].final == 82.5);
	assert_true(a[2].final == 80 && a[3].final == 80 && a[4].final == 80 && a[5].final == 80);
	/* ranks: B 1, A 2, E 3, F 4, C 5, D 6 */
	assert_int_equal(a[1].rank, 1);
	assert_int_equal(a[0].rank, 2);
	assert_int_equal(a[4].rank, 3);
	assert_int_equal(a[5].rank, 4);
	assert_int_equal(a[2].rank, 5);
	assert_int_equal(a[3].rank, 6);
	/* G out at administration, never ranked */
	assert_int_equal(a[6].out_stage, ADM);
	assert_false(a[6].complete);
	assert_int_equal(a[6].rank, 0);
	/* H active, scored (mean of two entries is still shown), not ranked */
	assert_int_equal(a[7].out_stage, -1);
	assert_true(a[7].has_score[WAW] && a[7].score[WAW] == 95);
	assert_false(a[7].stage_complete[WAW]);
	assert_false(a[7].complete);
	assert_int_equal(a[7].rank, 0);
	/* display order: ranked (B A E F C D), then active (H), then out (G);
	 * the top three proposed are B, A, E */
	size_t want[] = { 1, 0, 4, 5, 2, 3, 7, 6 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(order[i], want[i]);
}

/* min_entries 2 ranks H; the median rule changes a stage score. */
static void test_rule_and_quorum(void **state)
{
	struct rank_config c;
	struct rank_applicant a[2];
	size_t order[2];
	struct errlist errs;
	json_t *cfg = json_pack("{s:s,s:i}", "score_rule", "median", "min_entries", 2);
	(void)state;
	errlist_init(&errs, 0);
	assert_int_equal(rank_config_from_json(cfg, &c, &errs), 0);
	assert_int_equal(c.rule, RANK_MEDIAN);
	assert_int_equal(c.min_entries, 2);
	/* P: asesmen 60 70 95 -> median 70 (the mean would be 75);
	 * makalah 80 80 80; wawancara 90 90 90; rekam 70 70 70
	 * final = 17.5 + 16 + 31.5 + 14 = 79 */
	double P1[] = { 60, 70, 95 }, P2[] = { 80, 80, 80 }, P3[] = { 90, 90, 90 },
	       P4[] = { 70, 70, 70 };
	fill3(&a[0], 10, P1, P2, P3, P4);
	/* Q: flat 80, two entries on the interview (quorum 2 is enough):
	 * final = 20 + 16 + 28 + 16 = 80 */
	fill_flat(&a[1], 11, 80, 80, 80, 80);
	a[1].in[WAW].n_entries = 2;
	rank_compute(&c, 3, a, 2, order);
	assert_true(a[0].score[ASES] == 70);
	assert_true(a[0].final == 79);
	assert_true(a[1].complete);
	assert_true(a[1].final == 80);
	assert_int_equal(a[1].rank, 1);
	assert_int_equal(a[0].rank, 2);
	json_decref(cfg);
	errlist_free(&errs);
}

/* An assessment fed from an exam, an extra health gate, another tie-break
 * and a proposal of 2. */
static void test_exam_source_and_gates(void **state)
{
	struct rank_config c;
	struct rank_applicant a[3];
	size_t order[3];
	struct errlist errs;
	json_t *cfg = json_pack(
		"{s:[{s:s},{s:s,s:i,s:{s:s,s:n}},{s:s,s:i},{s:s,s:i},{s:s}],s:[s],s:i}",
		"stages", "code", "administrasi", "code", "asesmen", "weight", 40, "source", "exam",
		"TALENTA-DEMO", "section", "code", "wawancara", "weight", 40, "code", "rekam_jejak",
		"weight", 20, "code", "kesehatan", "tie_break", "wawancara", "proposal", 2);
	(void)state;
	errlist_init(&errs, 0);
	assert_int_equal(rank_config_from_json(cfg, &c, &errs), 0);
	assert_int_equal(c.n_stages, 5);
	assert_string_equal(c.stage[1].exam, "TALENTA-DEMO");
	assert_string_equal(c.stage[1].section, "");
	assert_true(c.stage[4].gate); /* kesehatan: a gate by default */
	assert_string_equal(c.stage[4].name, "Tes kesehatan");
	assert_int_equal(c.n_tie, 1);
	assert_int_equal(c.tie[0], 2);
	assert_int_equal(c.proposal, 2);

	for (int i = 0; i < 3; i++) {
		memset(&a[i], 0, sizeof a[i]);
		a[i].id = 20 + i;
		a[i].in[0].gate = 1;
		a[i].in[4].gate = 1;
		a[i].in[2].n_entries = 1;
		a[i].in[3].n_entries = 1;
	}
	/* X: exam 235/300 x 100 = 78.333.. -> 78.33; wawancara 80; rekam 70
	 * final = .4*78.33 + .4*80 + .2*70 = 31.332 + 32 + 14 = 77.332 -> 77.33 */
	a[0].in[1].has_exam = 1;
	a[0].in[1].exam = 235.0 / 300.0 * 100.0;
	a[0].in[2].entry[0] = 80;
	a[0].in[3].entry[0] = 70;
	/* Y: exam 80, wawancara 75, rekam 80 -> 32 + 30 + 16 = 78; health
	 * failed: out at kesehatan (index 4) although everything is scored */
	a[1].in[1].has_exam = 1;
	a[1].in[1].exam = 80;
	a[1].in[2].entry[0] = 75;
	a[1].in[3].entry[0] = 80;
	a[1].in[4].gate = 0;
	/* Z: no exam result yet: incomplete; the entries alone give no rank */
	a[2].in[2].entry[0] = 99;
	a[2].in[3].entry[0] = 99;
	rank_compute(&c, 1, a, 3, order);
	assert_true(a[0].score[1] == 78.33);
	assert_true(a[0].final == 77.33);
	assert_int_equal(a[0].rank, 1);
	assert_int_equal(a[1].out_stage, 4);
	assert_int_equal(a[1].rank, 0);
	assert_false(a[2].has_score[1]);
	assert_false(a[2].complete);
	/* order: X, then Z (active), then Y (out) */
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	json_decref(cfg);
	errlist_free(&errs);
}

/* An undecided gate keeps the applicant active and unranked. */
static void test_undecided_gate(void **state)
{
	struct rank_config c;
	struct rank_applicant a;
	size_t order;
	(void)state;
	rank_config_default(&c);
	fill_flat(&a, 1, 80, 80, 80, 80);
	a.in[ADM].gate = -1;
	rank_compute(&c, 3, &a, 1, &order);
	assert_int_equal(a.out_stage, -1);
	assert_false(a.complete);
	assert_true(a.score[ASES] == 80);
}

/* Every problem of a config at once, each naming its field. */
static void test_config_errors(void **state)
{
	struct rank_config c;
	struct errlist errs;
	char buf[256];
	const char *want[] = { "colour", "stages[1].code", "stages[2].weight", "stages[3].weight",
			       "score_rule", "tie_break[0]", "proposal", "min_entries" };
	json_t *cfg = json_pack(
		"{s:[{s:s},{s:s,s:i},{s:s,s:i},{s:s,s:b,s:i}],s:s,s:[s],s:i,s:i,s:s}", "stages",
		"code", "asesmen", "code", "asesmen", "weight", 30, "code", "wawancara", "weight",
		150, "code", "kesehatan", "gate", 1, "weight", 5, "score_rule", "mode", "tie_break",
		"nope", "proposal", 0, "min_entries", 99, "colour", "red");
	(void)state;
	errlist_init(&errs, 0);
	assert_int_equal(rank_config_from_json(cfg, &c, &errs), -1);
	for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
		int found = 0;
		for (size_t i = 0; i < errs.n; i++)
			found |= strcmp(errs.v[i].field, want[w]) == 0;
		if (!found) {
			for (size_t i = 0; i < errs.n; i++)
				print_message("%s\n", errlist_format(&errs.v[i], buf, sizeof buf));
			fail_msg("no error on %s", want[w]);
		}
	}
	json_decref(cfg);
	errlist_free(&errs);

	/* weights that do not sum to 100: 25 + 20 + 35 = 80 */
	errlist_init(&errs, 0);
	cfg = json_pack("{s:[{s:s},{s:s},{s:s}]}", "stages", "code", "asesmen", "code", "makalah",
			"code", "wawancara");
	assert_int_equal(rank_config_from_json(cfg, &c, &errs), -1);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].field, "stages");
	assert_non_null(strstr(errs.v[0].message, "80"));
	json_decref(cfg);
	errlist_free(&errs);

	/* a gate fed from an exam, a source without an exam */
	errlist_init(&errs, 0);
	cfg = json_pack("{s:[{s:s,s:{s:s}},{s:s,s:i,s:{}}]}", "stages", "code", "administrasi",
			"source", "exam", "X", "code", "asesmen", "weight", 100, "source");
	assert_int_equal(rank_config_from_json(cfg, &c, &errs), -1);
	assert_int_equal(errs.n, 2);
	json_decref(cfg);
	errlist_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_round2),
		cmocka_unit_test(test_weighted_rank_tiebreak_top3),
		cmocka_unit_test(test_rule_and_quorum),
		cmocka_unit_test(test_exam_source_and_gates),
		cmocka_unit_test(test_undecided_gate),
		cmocka_unit_test(test_config_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
