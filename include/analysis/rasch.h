/* rasch.h - dichotomous Rasch calibration in an incomplete design.
 *
 * Pure functions. Input: 0/1 responses (person, item) where each person saw
 * some of the items. Item difficulties by conditional maximum likelihood
 * (elementary symmetric functions over each person's own item set; no
 * assumption on the ability distribution; the method eRm uses), centred to
 * mean 0; person abilities by Warm's weighted likelihood (finite for perfect
 * and zero scores); infit and outfit mean squares per item. Method notes:
 * docs/ANALYSIS.md. */
#ifndef UJIAN_RASCH_H
#define UJIAN_RASCH_H

#include <stddef.h>
#include <stdint.h>

struct rasch_resp {
	int32_t person; /* 0..n_persons-1 */
	int32_t item;   /* 0..n_items-1 */
	uint8_t x;      /* 0 or 1 */
};

struct rasch_opts {
	double tol;   /* stop when no difficulty moves more than this (UJ_RASCH_TOL) */
	int max_iter; /* UJ_RASCH_ITER_MAX */
};

enum rasch_extreme { RASCH_OK = 0, RASCH_ALL_CORRECT = 1, RASCH_ALL_WRONG = 2, RASCH_UNSEEN = 3 };

struct rasch_fit {
	int n_items, n_persons;
	/* per item; NaN for an extreme or unseen item */
	double *b, *b_se, *infit, *outfit;
	int64_t *item_n;
	uint8_t *item_extreme;   /* enum rasch_extreme */
	/* per person */
	double *theta, *theta_se;
	int *person_score, *person_n;
	int iterations;
	double max_change;       /* at the last iteration */
	int converged;
	double loglik;           /* conditional log-likelihood at the end */
	int se_full;             /* 1: b_se from the full information (diagonal of its
				  * pseudo-inverse); 0: 1/sqrt(diagonal information) */
};

void rasch_opts_default(struct rasch_opts *o);
/* Calibrate. Returns 0 and fills out (free with rasch_fit_free) - also when
 * not converged (out->converged 0) -, -1 with err for bad input (an index
 * out of range, x not 0/1, a (person, item) pair twice), or RASCH_NO_DATA
 * with err when fewer than 2 items have both outcomes among the persons
 * with neither a zero nor a perfect score (nothing to calibrate). */
#define RASCH_NO_DATA (-2)
int rasch_calibrate(int n_persons, int n_items, const struct rasch_resp *r, size_t n,
		    const struct rasch_opts *o, struct rasch_fit *out, char *err, size_t errlen);
void rasch_fit_free(struct rasch_fit *f);

#endif
