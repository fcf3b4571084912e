/* scoring.c - section scores and pass rules. */
#include "exam/scoring.h"

#include <assert.h>
#include <string.h>

int scoring_option_value(const struct section_rule *rule, const struct bank_option *o)
{
	return rule->type == SCORING_WEIGHTED ? o->points : o->correct;
}

int scoring_points(const struct scoring_q *q, int label)
{
	if (label < 0 || label >= q->n_options)
		return q->rule->blank;
	int opt = q->perm[label];
	assert(opt >= 0 && opt < q->n_options); /* perm is a permutation of the options */
	if (q->rule->type == SCORING_WEIGHTED)
		return q->value[opt];
	return q->value[opt] ? q->rule->correct : q->rule->wrong;
}

int scoring_max(const struct scoring_q *q)
{
	int best = q->rule->blank;
	for (int l = 0; l < q->n_options; l++) {
		int p = scoring_points(q, l);
		if (p > best)
			best = p;
	}
	return best;
}

void scoring_compute(const struct scoring_q *qs, int n, const int8_t *chosen, int n_sections,
		     int *score, int *max)
{
	memset(score, 0, (size_t)n_sections * sizeof *score);
	memset(max, 0, (size_t)n_sections * sizeof *max);
	for (int i = 0; i < n; i++) {
		assert(qs[i].section < n_sections);
		score[qs[i].section] += scoring_points(&qs[i], chosen[i]);
		max[qs[i].section] += scoring_max(&qs[i]);
	}
}

int scoring_passes(const struct pass_rule *rule, const int *score, int total)
{
	if (!rule)
		return 1;
	if (rule->has_total && total < rule->total)
		return 0;
	for (int i = 0; i < rule->n_min; i++)
		if (score[rule->min_section[i]] < rule->min_value[i])
			return 0;
	return 1;
}
