/* tstat.c - test-level statistics (include/analysis/tstat.h): moments and
 * histogram of the scores, Cronbach's alpha (KR-20 for right/wrong items)
 * in a complete or an incomplete (random papers) design, the SEM.
 * Formulas and choices: docs/ANALYSIS.md. */
#include "analysis/tstat.h"
#include "core/mem.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double ts_score(const struct ia_data *d, int p, int s)
{
	return s >= 0 ? d->persons[p].section_score[s] : d->persons[p].total;
}

/* Per person, the points of the items of one scope, each centred at its
 * item's mean over all the item's presentations (d = x - mean): their sum
 * and sum of squares and how many items the person saw. */
struct ts_dev {
	int m;              /* items in scope with at least one presentation */
	int64_t n_obs;      /* presentations in scope (the sum of n_j) */
	double *sum, *sq;   /* per person: sum of d, sum of d^2 */
	int32_t *k;         /* per person: items seen */
};

/* Two passes over the scope's observations: the items' means, then the
 * deviations summed per person. A person twice on one item (never in a real
 * paper) counts once. O(presentations + persons). */
static void ts_dev_build(const struct ia_data *d, int s, struct ts_dev *D)
{
	int np = d->n_persons;
	int32_t *last = xmalloc((size_t)(np ? np : 1) * sizeof *last);
	D->sum = xcalloc((size_t)(np ? np : 1), sizeof *D->sum);
	D->sq = xcalloc((size_t)(np ? np : 1), sizeof *D->sq);
	D->k = xcalloc((size_t)(np ? np : 1), sizeof *D->k);
	D->m = 0;
	D->n_obs = 0;
	for (int p = 0; p < np; p++)
		last[p] = -1;
	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		if (s >= 0 && it->section != s)
			continue;
		double mean = 0;
		int64_t n = 0;
		for (size_t k = 0; k < it->n_obs; k++) {
			const struct ia_obs *o = &it->obs[k];
			assert(o->person >= 0 && o->person < np);
			if (last[o->person] == i || isnan(ts_score(d, o->person, s)))
				continue;
			last[o->person] = i;
			mean += o->points;
			n++;
		}
		if (n)
			mean /= (double)n;
		for (size_t k = 0; k < it->n_obs; k++) {
			const struct ia_obs *o = &it->obs[k];
			if (last[o->person] != i)
				continue; /* not scored, or already counted */
			last[o->person] = -2 - i;
			double dv = o->points - mean;
			D->sum[o->person] += dv;
			D->sq[o->person] += dv * dv;
			D->k[o->person]++;
		}
		if (n) {
			D->m++;
			D->n_obs += n;
		}
	}
	free(last);
}

static void ts_dev_free(struct ts_dev *D)
{
	free(D->sum);
	free(D->sq);
	free(D->k);
}

/* Reliability of section s (or the total) into out: the pairwise estimate
 * always, and the textbook alpha when every scored person saw the same
 * items (then the reported one). docs/ANALYSIS.md has the derivation:
 *   vbar = sum over persons of sum d^2 / sum over items of n_j
 *   cbar = sum over persons of ((sum d)^2 - sum d^2) / 2
 *          / sum over persons of k (k - 1) / 2
 *   alpha = k/(k-1) (1 - vbar / (vbar + (k-1) cbar)), k = items per paper */
static void ts_reliability(const struct ia_data *d, int s, struct ts_stats *out)
{
	struct ts_dev D;
	ts_dev_build(d, s, &D);
	double sq = 0, cross = 0, pairs = 0, tsum = 0;
	int64_t n = 0;
	int complete = D.m > 0;
	for (int p = 0; p < d->n_persons; p++) {
		if (isnan(ts_score(d, p, s)))
			continue;
		n++;
		sq += D.sq[p];
		cross += (D.sum[p] * D.sum[p] - D.sq[p]) / 2;
		pairs += (double)D.k[p] * (D.k[p] - 1) / 2;
		tsum += D.sum[p];
		complete &= D.k[p] == D.m;
	}
	double vbar = D.n_obs ? sq / (double)D.n_obs : NAN;
	double cbar = pairs > 0 ? cross / pairs : NAN;
	double k = out->items_per_paper, denom = vbar + (k - 1) * cbar;
	out->alpha_method = "pairwise";
	if (k >= 2 && !isnan(vbar) && !isnan(cbar) && denom > 0)
		out->alpha_pairwise = k / (k - 1) * (1 - vbar / denom);
	out->alpha = out->alpha_pairwise;
	if (complete && n) {
		/* every item seen by all n: sum of item variances = sum d^2 / n; the
		 * total's variance is that of the persons' sums of d (the item means
		 * add the same constant to every total) */
		double vt = 0, first = NAN;
		int same = 1;
		for (int p = 0; p < d->n_persons; p++) {
			if (isnan(ts_score(d, p, s)))
				continue;
			double dt = D.sum[p] - tsum / (double)n;
			vt += dt * dt;
			if (isnan(first))
				first = D.sum[p];
			same &= D.sum[p] == first;
		}
		vt /= (double)n;
		double sv = sq / (double)n;
		out->alpha_method = "complete";
		out->items_per_paper = D.m;
		out->alpha = D.m >= 2 && !same && vt > 0 ? (double)D.m / (D.m - 1) * (1 - sv / vt) : NAN;
	}
	ts_dev_free(&D);
}

/* Statistics of section s or the total (tstat.h). */
int ts_compute(const struct ia_data *d, int s, struct ts_stats *out)
{
	if (!d || s < -1 || s >= d->n_sections)
		return -1;
	memset(out, 0, sizeof *out);
	out->alpha = out->alpha_pairwise = out->sem = NAN;
	out->mean = out->sd = out->skewness = out->kurtosis = out->min = out->max = NAN;
	out->alpha_method = "pairwise";

	/* what a paper holds: the section, or every section someone took */
	if (s >= 0) {
		out->max_score = d->sections[s].max_score;
		out->items_per_paper = d->sections[s].items_per_paper;
	} else {
		for (int k = 0; k < d->n_sections; k++)
			for (int p = 0; p < d->n_persons; p++)
				if (!isnan(d->persons[p].section_score[k])) {
					out->max_score += d->sections[k].max_score;
					out->items_per_paper += d->sections[k].items_per_paper;
					break;
				}
	}

	/* moments: two passes */
	double sum = 0;
	for (int p = 0; p < d->n_persons; p++) {
		double x = ts_score(d, p, s);
		if (isnan(x))
			continue;
		if (!out->n || x < out->min)
			out->min = x;
		if (!out->n || x > out->max)
			out->max = x;
		out->n++;
		sum += x;
	}
	if (out->n) {
		double n = out->n, m2 = 0, m3 = 0, m4 = 0;
		out->mean = sum / n;
		for (int p = 0; p < d->n_persons; p++) {
			double x = ts_score(d, p, s);
			if (isnan(x))
				continue;
			double dx = x - out->mean, d2 = dx * dx;
			m2 += d2;
			m3 += d2 * dx;
			m4 += d2 * d2;
		}
		m2 /= n;
		m3 /= n;
		m4 /= n;
		out->sd = sqrt(m2);
		if (out->max > out->min && m2 > 0) {
			out->skewness = m3 / (m2 * sqrt(m2));
			out->kurtosis = m4 / (m2 * m2) - 3;
		}
	}

	/* histogram: 0 (or a lower negative score) up to max_score (or a higher
	 * score); the top edge falls in the last bar */
	double lo = 0, hi = out->max_score;
	if (out->n && out->min < lo)
		lo = out->min;
	if (out->n && out->max > hi)
		hi = out->max;
	if (!(hi > lo))
		hi = lo + 1;
	out->hist_lo = lo;
	out->hist_width = (hi - lo) / UJ_IA_HIST_BINS;
	for (int p = 0; p < d->n_persons; p++) {
		double x = ts_score(d, p, s);
		if (isnan(x))
			continue;
		double b = floor((x - lo) / out->hist_width);
		int bin = b < 0 ? 0 : b >= UJ_IA_HIST_BINS ? UJ_IA_HIST_BINS - 1 : (int)b;
		out->hist[bin]++;
	}

	ts_reliability(d, s, out);
	if (!isnan(out->alpha) && out->alpha <= 1 && !isnan(out->sd))
		out->sem = out->sd * sqrt(1 - out->alpha);
	return 0;
}

int64_t ts_within_sem(const double *scores, int n, double threshold, double sem)
{
	int64_t c = 0;
	if (isnan(sem))
		return 0;
	for (int i = 0; i < n; i++)
		if (fabs(scores[i] - threshold) <= sem)
			c++;
	return c;
}
