/* scoring.h - scores from stored answers, and pass rules.
 *
 * Pure functions: the server, the results export and the load checker all
 * compute a score the same way from (paper, answers, bank rules). */
#ifndef UJIAN_SCORING_H
#define UJIAN_SCORING_H

#include "catalog/bank.h"
#include "catalog/exam.h"

#include <stdint.h>

/* One question of a paper, as scoring sees it. */
struct scoring_q {
	int section;                    /* exam section index */
	const struct section_rule *rule;
	int n_options;
	const int *value;               /* per bank option: points (weighted) or 1 = correct */
	const uint8_t *perm;            /* perm[label] = bank option index */
};

/* What scoring_q.value holds for option o of a question in section rule:
 * its points (weighted) or 1 if it is the correct one (right/wrong). */
int scoring_option_value(const struct section_rule *rule, const struct bank_option *o);
/* Points earned by choosing label (0 = A ...; -1 = blank). */
int scoring_points(const struct scoring_q *q, int label);
/* Highest points the question can give. */
int scoring_max(const struct scoring_q *q);
/* Per-section scores and maxima over n questions; chosen[i] is the label
 * chosen for question i (-1 blank). score and max have n_sections entries. */
void scoring_compute(const struct scoring_q *qs, int n, const int8_t *chosen, int n_sections,
		     int *score, int *max);
/* 1 if the scores meet every minimum of rule (a score equal to a minimum meets
 * it); a NULL rule (exam without pass rules) is always met. */
int scoring_passes(const struct pass_rule *rule, const int *score, int total);

#endif
