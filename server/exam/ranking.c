/* ranking.c - pass group, total, tie-break sections, shared ranks. */
#include "exam/ranking.h"

#include <stdlib.h>
#include <string.h>

/* Compare on everything that decides rank; 0 means the rows share a rank. */
static int ranking_cmp_rank(const struct rank_row *a, const struct rank_row *b)
{
	if (a->passed != b->passed)
		return a->passed ? -1 : 1;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	for (int i = 0; i < a->n_tie && i < b->n_tie; i++)
		if (a->tie[i] != b->tie[i])
			return a->tie[i] > b->tie[i] ? -1 : 1;
	return 0;
}

static int ranking_cmp(const void *pa, const void *pb)
{
	const struct rank_row *a = pa, *b = pb;
	int c = ranking_cmp_rank(a, b);
	return c ? c : strcmp(a->regno, b->regno);
}

void ranking_sort(struct rank_row *rows, size_t n)
{
	qsort(rows, n, sizeof *rows, ranking_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && ranking_cmp_rank(&rows[i - 1], &rows[i]) == 0)
			rows[i].rank = rows[i - 1].rank;
		else
			rows[i].rank = (int)i + 1;
	}
}
