/* ranking.h - ordering finished attempts of one exam.
 *
 * Candidates who meet their track's pass rule come first, then the rest;
 * within each group by total descending, then by the exam's tie-break
 * sections descending. Rows equal on all of these share a rank (1, 2, 2, 4)
 * and are ordered by registration number. */
#ifndef UJIAN_RANKING_H
#define UJIAN_RANKING_H

#include "bounds.h"

#include <stddef.h>

struct rank_row {
	const char *regno;
	int passed;
	int total;
	int n_tie;
	int tie[UJ_SECTIONS_MAX]; /* tie-break section scores, in tie-break order */
	int rank;                 /* set by ranking_sort */
	void *user;
};

/* Sort rows into ranking order and assign rank. */
void ranking_sort(struct rank_row *rows, size_t n);

#endif
