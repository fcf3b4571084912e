/* test_ranking.c - ranking order and shared ranks (server/ranking.c). */
#include "unit.h"

#include "exam/ranking.h"

#include <string.h>

static struct rank_row row(const char *regno, int passed, int total, int tie0, int tie1)
{
	struct rank_row r;
	memset(&r, 0, sizeof r);
	r.regno = regno;
	r.passed = passed;
	r.total = total;
	r.n_tie = 2;
	r.tie[0] = tie0;
	r.tie[1] = tie1;
	r.user = (void *)regno;
	return r;
}

static void expect_order(const struct rank_row *rows, size_t n, const char *const *regnos,
			 const int *ranks)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].regno, regnos[i]) != 0)
			fail_msg("position %zu: expected %s, got %s", i, regnos[i], rows[i].regno);
		if (rows[i].rank != ranks[i])
			fail_msg("%s: expected rank %d, got %d", rows[i].regno, ranks[i], rows[i].rank);
		/* Rows move whole: the user pointer travels with its row. */
		assert_ptr_equal(rows[i].user, rows[i].regno);
	}
}

/* Candidates who passed come first, even with a lower total than those who failed. */
static void test_passed_before_failed(void **state)
{
	(void)state;
	struct rank_row rows[] = {
		row("R1", 0, 450, 0, 0),
		row("R2", 1, 320, 0, 0),
		row("R3", 0, 500, 0, 0),
		row("R4", 1, 311, 0, 0),
	};
	static const char *const want[] = { "R2", "R4", "R3", "R1" };
	static const int ranks[] = { 1, 2, 3, 4 };
	ranking_sort(rows, 4);
	expect_order(rows, 4, want, ranks);
}

/* Within a group, higher totals rank first. */
static void test_total_descending(void **state)
{
	(void)state;
	struct rank_row rows[] = {
		row("A", 1, 300, 0, 0), row("B", 1, 420, 0, 0), row("C", 1, 350, 0, 0),
		row("D", 1, -5, 0, 0),  row("E", 1, 0, 0, 0),
	};
	static const char *const want[] = { "B", "C", "A", "E", "D" };
	static const int ranks[] = { 1, 2, 3, 4, 5 };
	ranking_sort(rows, 5);
	expect_order(rows, 5, want, ranks);
}

/* Equal totals are broken by the first tie-break section, then by the second. */
static void test_tie_break_sections_in_order(void **state)
{
	(void)state;
	/* All total 400; tie[0] = TKP, tie[1] = TIU. */
	struct rank_row rows[] = {
		row("A", 1, 400, 180, 100), /* same TKP as B, lower TIU */
		row("B", 1, 400, 180, 120),
		row("C", 1, 400, 200, 50),  /* best TKP wins despite the lowest TIU */
		row("D", 1, 400, 150, 150),
	};
	static const char *const want[] = { "C", "B", "A", "D" };
	static const int ranks[] = { 1, 2, 3, 4 };
	ranking_sort(rows, 4);
	expect_order(rows, 4, want, ranks);
}

/* Rows equal on everything share a rank and are listed by registration number. */
static void test_full_tie_shares_rank_by_regno(void **state)
{
	(void)state;
	struct rank_row rows[] = {
		row("2026-0300", 1, 400, 180, 120),
		row("2026-0100", 1, 400, 180, 120),
		row("2026-0200", 1, 400, 180, 120),
	};
	static const char *const want[] = { "2026-0100", "2026-0200", "2026-0300" };
	static const int ranks[] = { 1, 1, 1 };
	ranking_sort(rows, 3);
	expect_order(rows, 3, want, ranks);
}

/* Ranks follow competition ranking: 1, 2, 2, 4, 4, 6. */
static void test_competition_ranking(void **state)
{
	(void)state;
	struct rank_row rows[] = {
		row("F", 0, 500, 0, 0),     /* failed: last despite the top total */
		row("Z", 1, 350, 170, 90),
		row("Q", 1, 400, 0, 0),
		row("B", 1, 300, 10, 10),
		row("A", 1, 350, 170, 90),
		row("C", 1, 300, 10, 10),
	};
	static const char *const want[] = { "Q", "A", "Z", "B", "C", "F" };
	static const int ranks[] = { 1, 2, 2, 4, 4, 6 };
	ranking_sort(rows, 6);
	expect_order(rows, 6, want, ranks);
}

/* Passing status is part of the rank: a passed and a failed row with equal scores do not share it. */
static void test_pass_status_splits_rank(void **state)
{
	(void)state;
	struct rank_row rows[] = {
		row("A", 0, 300, 10, 10),
		row("B", 1, 300, 10, 10),
	};
	static const char *const want[] = { "B", "A" };
	static const int ranks[] = { 1, 2 };
	ranking_sort(rows, 2);
	expect_order(rows, 2, want, ranks);
}

/* Sorting zero or one row is fine and a single row gets rank 1. */
static void test_small_inputs(void **state)
{
	(void)state;
	struct rank_row one = row("X", 0, 0, 0, 0);
	ranking_sort(&one, 0);
	assert_int_equal(one.rank, 0); /* n = 0: untouched */
	ranking_sort(&one, 1);
	assert_int_equal(one.rank, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passed_before_failed),
		cmocka_unit_test(test_total_descending),
		cmocka_unit_test(test_tie_break_sections_in_order),
		cmocka_unit_test(test_full_tie_shares_rank_by_regno),
		cmocka_unit_test(test_competition_ranking),
		cmocka_unit_test(test_pass_status_splits_rank),
		cmocka_unit_test(test_small_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
