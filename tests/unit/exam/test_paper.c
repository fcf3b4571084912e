/* test_paper.c - blueprint feasibility and paper drawing (server/paper.c). */
#include "unit.h"

#include "exam/paper.h"

#include <stdlib.h>
#include <string.h>

#define E DIFF_EASY
#define M DIFF_MEDIUM
#define H DIFF_HARD

static struct exam_def ex; /* large: keep it off the stack */
static struct pool pools[UJ_SECTIONS_MAX];
static char err[512];

static void exam_reset(int shuffle_items, int shuffle_options)
{
	memset(&ex, 0, sizeof ex);
	memset(pools, 0, sizeof pools);
	strcpy(ex.code, "PAPER-T");
	strcpy(ex.bank, "T-BANK");
	ex.duration_s = 600;
	ex.shuffle_items = shuffle_items;
	ex.shuffle_options = shuffle_options;
}

static int add_section(const char *code, int draw, const struct pool_item *v, int n)
{
	int s = ex.n_sections++;
	strcpy(ex.sec[s].code, code);
	ex.sec[s].draw = draw;
	ex.sec[s].bank_section = s;
	pools[s].v = v;
	pools[s].n = n;
	return s;
}

static void add_topic(int s, const char *topic, int count)
{
	struct exam_draw *d = &ex.sec[s];
	strcpy(d->topic[d->n_topics], topic);
	d->topic_count[d->n_topics++] = count;
}

static void set_diff(int s, int easy, int medium, int hard)
{
	ex.sec[s].has_diff = 1;
	ex.sec[s].diff_count[DIFF_EASY] = easy;
	ex.sec[s].diff_count[DIFF_MEDIUM] = medium;
	ex.sec[s].diff_count[DIFF_HARD] = hard;
}

static void seed_of(uint32_t n, uint8_t seed[RNG_SEED_LEN])
{
	memset(seed, 0xA5, RNG_SEED_LEN);
	seed[0] = (uint8_t)n;
	seed[1] = (uint8_t)(n >> 8);
	seed[2] = (uint8_t)(n >> 16);
	seed[3] = (uint8_t)(n >> 24);
}

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

/* Pools, in bank order; ids encode the section (100s, 200s, ...). */
static const struct pool_item twk_pool[] = {
	{ 100, "pancasila", E, 4 }, { 101, "pancasila", M, 4 }, { 102, "uud", H, 5 },
	{ 103, "uud", E, 5 },       { 104, "sejarah", M, 4 },   { 105, "sejarah", H, 4 },
	{ 106, "nkri", E, 2 },      { 107, "nkri", M, 3 },      { 108, "bahasa", H, 6 },
	{ 109, "bahasa", E, 4 },    { 110, "pancasila", M, 5 }, { 111, "uud", H, 4 },
};
static const struct pool_item tiu_pool[] = {
	{ 200, "analogi", E, 5 }, { 201, "analogi", M, 5 }, { 202, "analogi", H, 5 },
	{ 203, "analogi", E, 5 }, { 204, "analogi", M, 5 }, { 205, "deret", E, 5 },
	{ 206, "deret", M, 5 },   { 207, "deret", H, 5 },   { 208, "deret", H, 5 },
	{ 209, "figural", E, 5 }, { 210, "figural", M, 5 }, { 211, "figural", H, 5 },
	{ 212, "figural", E, 5 },
};
static const struct pool_item tkp_pool[] = {
	{ 300, "pelayanan", E, 5 }, { 301, "jejaring", E, 5 }, { 302, "pelayanan", E, 5 },
	{ 303, "integritas", E, 5 }, { 304, "jejaring", M, 5 }, { 305, "pelayanan", M, 5 },
	{ 306, "integritas", M, 5 }, { 307, "jejaring", H, 5 }, { 308, "pelayanan", H, 5 },
	{ 309, "integritas", H, 5 },
};
/* Topics A:2, B:2 with easy 2, hard 2: B has no hard items, so A must give both hard
 * items and B both easy ones; medium items (count 0) may never be drawn. */
static const struct pool_item mix_pool[] = {
	{ 400, "a", E, 4 }, { 401, "a", H, 4 }, { 402, "b", E, 4 }, { 403, "a", E, 4 },
	{ 404, "a", H, 4 }, { 405, "b", E, 4 }, { 406, "a", H, 4 }, { 407, "a", M, 4 },
	{ 408, "b", E, 4 }, { 409, "b", M, 4 }, { 410, "a", H, 4 }, { 411, "b", E, 4 },
	{ 412, "a", H, 4 }, { 413, "b", M, 4 }, { 414, "b", E, 4 }, { 415, "a", M, 4 },
};
/* Topics x:3, y:3 with 2 of each difficulty; y has no hard items. */
static const struct pool_item gab_pool[] = {
	{ 500, "x", E, 3 }, { 501, "x", E, 3 }, { 502, "x", M, 3 }, { 503, "x", H, 3 },
	{ 504, "x", H, 3 }, { 505, "x", H, 3 }, { 506, "y", E, 3 }, { 507, "y", E, 3 },
	{ 508, "y", E, 3 }, { 509, "y", M, 3 }, { 510, "y", M, 3 }, { 511, "y", M, 3 },
	{ 512, "z", H, 3 }, /* topic not in the blueprint: never drawn */
};

/* The five-section blueprint used by several tests. */
static void full_blueprint(int shuffle_items, int shuffle_options)
{
	int s;
	exam_reset(shuffle_items, shuffle_options);
	add_section("TWK", 5, twk_pool, N_OF(twk_pool));
	s = add_section("TIU", 5, tiu_pool, N_OF(tiu_pool));
	add_topic(s, "analogi", 3);
	add_topic(s, "deret", 2);
	s = add_section("TKP", 5, tkp_pool, N_OF(tkp_pool));
	set_diff(s, 2, 2, 1);
	s = add_section("MIX", 4, mix_pool, N_OF(mix_pool));
	add_topic(s, "a", 2);
	add_topic(s, "b", 2);
	set_diff(s, 2, 0, 2);
	s = add_section("GAB", 6, gab_pool, N_OF(gab_pool));
	add_topic(s, "x", 3);
	add_topic(s, "y", 3);
	set_diff(s, 2, 2, 2);
}

static const struct pool_item *find_item(const struct pool *p, int64_t id)
{
	for (int i = 0; i < p->n; i++)
		if (p->v[i].item_id == id)
			return &p->v[i];
	return NULL;
}

/* Check a drawn paper against the blueprint: section order and counts, no repeats,
 * per-topic and per-difficulty counts, valid option permutations. */
static void check_layout(const struct paper_layout *pl, uint32_t seed)
{
	int pos = 0;
	if (pl->n != exam_paper_length(&ex))
		fail_msg("seed %u: paper has %d questions, expected %d", seed, pl->n,
			 exam_paper_length(&ex));
	for (int s = 0; s < ex.n_sections; s++) {
		const struct exam_draw *d = &ex.sec[s];
		int tcount[UJ_TOPICS_MAX] = { 0 }, dcount[DIFF_MAX] = { 0 };
		for (int k = 0; k < d->draw; k++) {
			const struct paper_q *q = &pl->q[pos + k];
			const struct pool_item *pi = find_item(&pools[s], q->item_id);
			if (q->section != s || !pi)
				fail_msg("seed %u: question %d (item %lld) is not from section %s", seed,
					 pos + k, (long long)q->item_id, d->code);
			for (int j = 0; j < k; j++)
				if (pl->q[pos + j].item_id == q->item_id)
					fail_msg("seed %u: item %lld drawn twice", seed,
						 (long long)q->item_id);
			assert_int_equal(q->n_options, pi->n_options);
			int seen = 0;
			for (int o = 0; o < q->n_options; o++) {
				if (q->perm[o] >= q->n_options || (seen & (1 << q->perm[o])))
					fail_msg("seed %u: item %lld perm is not a permutation", seed,
						 (long long)q->item_id);
				seen |= 1 << q->perm[o];
			}
			if (d->n_topics) {
				int t = 0;
				while (t < d->n_topics && strcmp(d->topic[t], pi->topic) != 0)
					t++;
				if (t == d->n_topics)
					fail_msg("seed %u: item %lld has undrawn topic %s", seed,
						 (long long)q->item_id, pi->topic);
				tcount[t]++;
			}
			dcount[pi->diff]++;
		}
		for (int t = 0; t < d->n_topics; t++)
			if (tcount[t] != d->topic_count[t])
				fail_msg("seed %u: section %s topic %s: %d drawn, %d required", seed,
					 d->code, d->topic[t], tcount[t], d->topic_count[t]);
		if (d->has_diff)
			for (int x = 0; x < DIFF_MAX; x++)
				if (dcount[x] != d->diff_count[x])
					fail_msg("seed %u: section %s %s: %d drawn, %d required", seed,
						 d->code, difficulty_names[x], dcount[x], d->diff_count[x]);
		pos += d->draw;
	}
}

/* Over 500 seeds every paper meets the blueprint exactly: draw counts, topics,
 * difficulties, both at once, no repeats, valid permutations. */
static void test_blueprint_satisfied_many_seeds(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	full_blueprint(1, 1);
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), 0);
	for (uint32_t i = 0; i < 500; i++) {
		seed_of(i, seed);
		if (paper_draw(&ex, pools, seed, &pl) != 0)
			fail_msg("seed %u: paper_draw failed on a feasible blueprint", i);
		check_layout(&pl, i);
		paper_layout_free(&pl);
		assert_null(pl.q);
	}
}

static int same_paper(const struct paper_layout *a, const struct paper_layout *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (a->q[i].item_id != b->q[i].item_id || a->q[i].section != b->q[i].section ||
		    a->q[i].n_options != b->q[i].n_options ||
		    memcmp(a->q[i].perm, b->q[i].perm, a->q[i].n_options) != 0)
			return 0;
	return 1;
}

/* The same seed reproduces the identical paper; another seed gives another paper. */
static void test_same_seed_same_paper(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout a, b, c;
	full_blueprint(1, 1);
	for (uint32_t i = 0; i < 50; i++) {
		seed_of(i, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &a), 0);
		assert_int_equal(paper_draw(&ex, pools, seed, &b), 0);
		assert_true(same_paper(&a, &b));
		seed_of(i + 1000, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &c), 0);
		assert_false(same_paper(&a, &c));
		paper_layout_free(&a);
		paper_layout_free(&b);
		paper_layout_free(&c);
	}
}

/* Drawing all 12 TWK items: different seeds give different orders, and many different first items. */
static void test_different_seeds_different_orders(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout a, b;
	int first_seen[12] = { 0 }, distinct_first = 0;
	exam_reset(1, 0);
	add_section("TWK", 12, twk_pool, N_OF(twk_pool));
	seed_of(1, seed);
	assert_int_equal(paper_draw(&ex, pools, seed, &a), 0);
	seed_of(2, seed);
	assert_int_equal(paper_draw(&ex, pools, seed, &b), 0);
	int differ = 0;
	for (int i = 0; i < 12; i++)
		differ |= a.q[i].item_id != b.q[i].item_id;
	assert_true(differ);
	paper_layout_free(&a);
	paper_layout_free(&b);
	for (uint32_t i = 0; i < 200; i++) {
		seed_of(i, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &a), 0);
		check_layout(&a, i);
		int f = (int)(a.q[0].item_id - 100);
		if (!first_seen[f]++)
			distinct_first++;
		paper_layout_free(&a);
	}
	assert_int_equal(distinct_first, 12); /* every item leads some paper */
}

/* shuffle_items=false keeps bank order within each section (while the subset still varies). */
static void test_no_shuffle_items_keeps_bank_order(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	int64_t first_subset[5];
	int varied = 0;
	full_blueprint(0, 1);
	for (uint32_t i = 0; i < 200; i++) {
		seed_of(i, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
		check_layout(&pl, i);
		for (int k = 1; k < pl.n; k++)
			if (pl.q[k].section == pl.q[k - 1].section && pl.q[k].item_id <= pl.q[k - 1].item_id)
				fail_msg("seed %u: items %lld then %lld are not in bank order", i,
					 (long long)pl.q[k - 1].item_id, (long long)pl.q[k].item_id);
		if (i == 0)
			for (int k = 0; k < 5; k++)
				first_subset[k] = pl.q[k].item_id;
		else
			for (int k = 0; k < 5; k++)
				varied |= pl.q[k].item_id != first_subset[k];
		paper_layout_free(&pl);
	}
	assert_true(varied);
}

/* shuffle_options=false gives identity permutations; with it on, every option count gets shuffled. */
static void test_option_perms(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	int shuffled_n[UJ_OPTIONS_MAX + 1] = { 0 };

	full_blueprint(1, 0);
	for (uint32_t i = 0; i < 100; i++) {
		seed_of(i, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
		for (int k = 0; k < pl.n; k++)
			for (int o = 0; o < pl.q[k].n_options; o++)
				if (pl.q[k].perm[o] != o)
					fail_msg("seed %u: shuffle_options=false but perm[%d]=%d", i, o,
						 pl.q[k].perm[o]);
		paper_layout_free(&pl);
	}

	full_blueprint(1, 1);
	for (uint32_t i = 0; i < 100; i++) {
		seed_of(i, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
		check_layout(&pl, i); /* valid permutations */
		for (int k = 0; k < pl.n; k++)
			for (int o = 0; o < pl.q[k].n_options; o++)
				if (pl.q[k].perm[o] != o)
					shuffled_n[pl.q[k].n_options] = 1;
		paper_layout_free(&pl);
	}
	/* TWK has items with 2..6 options. */
	for (int n = 2; n <= 6; n++)
		if (!shuffled_n[n])
			fail_msg("items with %d options were never shuffled", n);
}

/* paper_check: too few items in a section names the section and both counts. */
static void test_check_too_few_items(void **state)
{
	(void)state;
	exam_reset(1, 1);
	add_section("TWK", 5, twk_pool, N_OF(twk_pool));
	add_section("TIU", 14, tiu_pool, N_OF(tiu_pool)); /* 13 available */
	err[0] = '\0';
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"TIU\""));
	assert_non_null(strstr(err, "14"));
	assert_non_null(strstr(err, "13"));
	ex.sec[1].draw = 13;
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), 0);
}

/* paper_check: too few items of a topic names the section and the topic. */
static void test_check_too_few_topic(void **state)
{
	(void)state;
	exam_reset(1, 1);
	int s = add_section("TIU", 6, tiu_pool, N_OF(tiu_pool));
	add_topic(s, "analogi", 1);
	add_topic(s, "deret", 5); /* only 4 deret items */
	err[0] = '\0';
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"TIU\""));
	assert_non_null(strstr(err, "topic \"deret\""));
	/* A topic the bank does not have at all. */
	exam_reset(1, 1);
	s = add_section("TIU", 3, tiu_pool, N_OF(tiu_pool));
	add_topic(s, "analogi", 2);
	add_topic(s, "silogisme", 1);
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"silogisme\""));
}

/* paper_check: too few items of a difficulty names the section and the difficulty. */
static void test_check_too_few_difficulty(void **state)
{
	(void)state;
	exam_reset(1, 1);
	int s = add_section("TKP", 5, tkp_pool, N_OF(tkp_pool));
	set_diff(s, 1, 0, 4); /* only 3 hard items */
	err[0] = '\0';
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"TKP\""));
	assert_non_null(strstr(err, "difficulty \"hard\""));
}

/* Topic A needs 2 but all A items are easy and only 1 easy item is wanted: each count alone
 * is satisfiable, together they are not. paper_check says so; paper_draw fails cleanly. */
static void test_check_joint_infeasible(void **state)
{
	(void)state;
	static const struct pool_item pool[] = {
		{ 1, "a", E, 4 }, { 2, "a", E, 4 }, { 3, "a", E, 4 },
		{ 4, "b", M, 4 }, { 5, "b", M, 4 }, { 6, "b", H, 4 }, { 7, "b", H, 4 },
	};
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	exam_reset(1, 1);
	int s = add_section("SKB", 4, pool, N_OF(pool));
	add_topic(s, "a", 2);
	add_topic(s, "b", 2);
	set_diff(s, 1, 2, 1);
	err[0] = '\0';
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"SKB\""));
	assert_non_null(strstr(err, "topic counts and difficulty counts"));
	seed_of(7, seed);
	pl.n = 99;
	assert_int_equal(paper_draw(&ex, pools, seed, &pl), -1);
	assert_null(pl.q);
	assert_int_equal(pl.n, 0);
}

/* A joint blueprint that is feasible only one way is always met (500 seeds). */
static void test_joint_feasible_always_draws(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	exam_reset(1, 1);
	int s = add_section("MIX", 4, mix_pool, N_OF(mix_pool));
	add_topic(s, "a", 2);
	add_topic(s, "b", 2);
	set_diff(s, 2, 0, 2);
	assert_int_equal(paper_check(&ex, pools, err, sizeof err), 0);
	for (uint32_t i = 0; i < 500; i++) {
		seed_of(i, seed);
		if (paper_draw(&ex, pools, seed, &pl) != 0)
			fail_msg("seed %u: draw failed", i);
		check_layout(&pl, i);
		for (int k = 0; k < 4; k++) {
			const struct pool_item *pi = find_item(&pools[0], pl.q[k].item_id);
			/* The only solution: A items hard, B items easy. */
			if (!strcmp(pi->topic, "a") ? pi->diff != H : pi->diff != E)
				fail_msg("seed %u: item %lld breaks the only solution", i,
					 (long long)pi->item_id);
		}
		paper_layout_free(&pl);
	}
}

/* Over 20,000 papers each of the 5 options lands at each label about equally often:
 * chi-square over the 5x5 table below 39.25 (df = 16, p = 0.001). */
static void test_option_position_uniformity(void **state)
{
	(void)state;
	static const struct pool_item pool[] = { { 1, "t", E, 5 } };
	enum { N = 20000 };
	long table[5][5] = { { 0 } };
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	exam_reset(1, 1);
	add_section("TKP", 1, pool, 1);
	for (uint32_t i = 0; i < N; i++) {
		seed_of(i + 77777, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
		for (int label = 0; label < 5; label++)
			table[label][pl.q[0].perm[label]]++;
		paper_layout_free(&pl);
	}
	double expect = N / 5.0, chi2 = 0;
	for (int l = 0; l < 5; l++)
		for (int o = 0; o < 5; o++) {
			double dev = (double)table[l][o] - expect;
			chi2 += dev * dev / expect;
		}
	if (chi2 >= 39.25)
		fail_msg("option placement is not uniform: chi-square %.2f >= 39.25", chi2);
	/* And no cell is absurdly off (4000 expected, sd ~57). */
	for (int l = 0; l < 5; l++)
		for (int o = 0; o < 5; o++)
			assert_true(table[l][o] > 3600 && table[l][o] < 4400);
}

/* Drawing 3 of 10 over 20,000 papers: each item is chosen ~30% of the time (chi-square,
 * df = 9, p = 0.001: 27.88) and each of the 120 subsets ~1/120 (df = 119, p = 0.001: 172.5). */
static void test_selection_uniformity(void **state)
{
	(void)state;
	static const struct pool_item pool[] = {
		{ 0, "t", E, 2 }, { 1, "t", E, 2 }, { 2, "t", E, 2 }, { 3, "t", E, 2 }, { 4, "t", E, 2 },
		{ 5, "t", E, 2 }, { 6, "t", E, 2 }, { 7, "t", E, 2 }, { 8, "t", E, 2 }, { 9, "t", E, 2 },
	};
	enum { N = 20000 };
	long chosen[10] = { 0 }, subset[1024] = { 0 };
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl;
	exam_reset(1, 1);
	add_section("TWK", 3, pool, 10);
	for (uint32_t i = 0; i < N; i++) {
		seed_of(i + 123456, seed);
		assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
		int mask = 0;
		for (int k = 0; k < 3; k++) {
			chosen[pl.q[k].item_id]++;
			mask |= 1 << pl.q[k].item_id;
		}
		assert_int_equal(__builtin_popcount((unsigned)mask), 3);
		subset[mask]++;
		paper_layout_free(&pl);
	}
	double expect = N * 0.3, chi2 = 0;
	for (int i = 0; i < 10; i++) {
		double dev = (double)chosen[i] - expect;
		chi2 += dev * dev / expect;
	}
	if (chi2 >= 27.88)
		fail_msg("item selection is not uniform: chi-square %.2f >= 27.88", chi2);
	double sexp = N / 120.0, schi2 = 0;
	int nsub = 0;
	for (int m = 0; m < 1024; m++) {
		if (__builtin_popcount((unsigned)m) != 3)
			continue;
		nsub++;
		double dev = (double)subset[m] - sexp;
		schi2 += dev * dev / sexp;
	}
	assert_int_equal(nsub, 120);
	if (schi2 >= 172.5)
		fail_msg("subset selection is not uniform: chi-square %.2f >= 172.5", schi2);
}

/* to_json gives [[item_id,[perm...],section],...] and from_json reads it back identically. */
static void test_layout_json_roundtrip(void **state)
{
	(void)state;
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout pl, back;
	full_blueprint(1, 1);
	seed_of(4242, seed);
	assert_int_equal(paper_draw(&ex, pools, seed, &pl), 0);
	json_t *j = paper_layout_to_json(&pl);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), pl.n);
	json_t *e0 = json_array_get(j, 0);
	assert_int_equal(json_array_size(e0), 3);
	assert_int_equal(json_integer_value(json_array_get(e0, 0)), pl.q[0].item_id);
	assert_int_equal(json_array_size(json_array_get(e0, 1)), pl.q[0].n_options);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(e0, 1), 0)), pl.q[0].perm[0]);
	assert_int_equal(json_integer_value(json_array_get(e0, 2)), 0);

	/* Through text, as stored. */
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_int_equal(paper_layout_parse(text, strlen(text), &back), 0);
	free(text);
	assert_true(same_paper(&pl, &back));
	paper_layout_free(&pl);
	paper_layout_free(&back);

	/* Large item ids survive. */
	/* JSON whitespace is allowed; large item ids survive. */
	const char *big = " [ [9007199254740993, [1, 0, 2], 3] ]\n";
	assert_int_equal(paper_layout_parse(big, strlen(big), &back), 0);
	assert_int_equal(back.n, 1);
	assert_true(back.q[0].item_id == 9007199254740993LL);
	assert_int_equal(back.q[0].section, 3);
	assert_int_equal(back.q[0].n_options, 3);
	assert_int_equal(back.q[0].perm[0], 1);
	assert_int_equal(back.q[0].perm[1], 0);
	assert_int_equal(back.q[0].perm[2], 2);
	paper_layout_free(&back);
}

/* parse rejects malformed layouts: duplicate or out-of-range perm entries and bad shapes. */
static void test_layout_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[[1,[0,0,1],0]]",         /* duplicate index */
		"[[1,[0,1,3],0]]",         /* index past the options */
		"[[1,[0,-1],0]]",          /* negative index */
		"[[1,[0,\"1\"],0]]",       /* not an integer */
		"[[1,[0],0]]",             /* one option */
		"[[1,[0,1,2,3,4,5,6],0]]", /* seven options */
		"[[1,[1,0]]]",             /* missing section */
		"[[1,[1,0],0,9]]",         /* extra element */
		"[[\"x\",[1,0],0]]",       /* item id not an integer */
		"[[1,[1,0],\"0\"]]",       /* section not an integer */
		"[[1,[1,0],0],[2,[1,1],0]]", /* second question bad */
		"[5]",
		"{}",
		"[[1,[1,0],16]]",          /* section out of range */
		"[[1,[1,0],256]]",         /* would wrap to 0 in a byte */
		"[[01,[1,0],0]]",          /* leading zero: not JSON */
		"[[1,[1,0],0]] x",         /* trailing garbage */
		"[[1,[1,0],0],]",          /* trailing comma */
		"[[99999999999999999999,[1,0],0]]", /* item id overflow */
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct paper_layout pl = { 77, NULL };
		int rc = paper_layout_parse(bad[i], strlen(bad[i]), &pl);
		if (rc == 0) {
			paper_layout_free(&pl);
			fail_msg("accepted %s", bad[i]);
		}
		assert_null(pl.q);
		assert_int_equal(pl.n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blueprint_satisfied_many_seeds),
		cmocka_unit_test(test_same_seed_same_paper),
		cmocka_unit_test(test_different_seeds_different_orders),
		cmocka_unit_test(test_no_shuffle_items_keeps_bank_order),
		cmocka_unit_test(test_option_perms),
		cmocka_unit_test(test_check_too_few_items),
		cmocka_unit_test(test_check_too_few_topic),
		cmocka_unit_test(test_check_too_few_difficulty),
		cmocka_unit_test(test_check_joint_infeasible),
		cmocka_unit_test(test_joint_feasible_always_draws),
		cmocka_unit_test(test_option_position_uniformity),
		cmocka_unit_test(test_selection_uniformity),
		cmocka_unit_test(test_layout_json_roundtrip),
		cmocka_unit_test(test_layout_parse_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
