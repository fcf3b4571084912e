/* tstat.h - test-level statistics: score distribution, reliability in an
 * incomplete design, standard error of measurement, closeness to pass
 * thresholds. Pure functions over istat.h's data. Method: docs/ANALYSIS.md. */
#ifndef UJIAN_TSTAT_H
#define UJIAN_TSTAT_H

#include "analysis/istat.h"

/* Scores of one section (section >= 0) or of the total (section = -1). */
struct ts_stats {
	int n;                /* persons with a score */
	double mean, sd;      /* sd: population (divide by n) */
	double skewness;      /* g1 */
	double kurtosis;      /* excess, g2 */
	double min, max;
	double max_score;     /* the highest score possible */
	int items_per_paper;  /* k of the reliability formula (complete: the items seen) */
	double alpha;         /* Cronbach's alpha (KR-20 for right/wrong), NaN if undefined */
	const char *alpha_method; /* "complete" (everyone saw the same items: the
				   * textbook alpha) or "pairwise" (incomplete design) */
	double alpha_pairwise; /* the pairwise estimate, computed in every design (with a
				* complete one it equals alpha when k = the items seen) */
	double sem;           /* sd * sqrt(1 - alpha); NaN if alpha is NaN or above 1 */
	double hist_lo, hist_width;
	int64_t hist[UJ_IA_HIST_BINS];
};

/* Statistics of section s (or -1: the total) of d. Returns 0, or -1 when s is
 * out of range or memory runs out. */
int ts_compute(const struct ia_data *d, int s, struct ts_stats *out);
/* Of the n scores, how many lie within one sem of threshold (|x - t| <= sem);
 * 0 when sem is NaN. */
int64_t ts_within_sem(const double *scores, int n, double threshold, double sem);

#endif
