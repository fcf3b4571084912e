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

/* One item pair's sums over the persons who saw both (points centred at
 * each item's mean over all its presentations: the covariance is the same,
 * the rounding smaller). */
struct ts_pair {
	double sa, sb, sab;
	int64_t n;
};

/* The persons' item lists of one scope, compressed (CSR): person p's items
 * are item[off[p] .. off[p+1]), ascending local item index, with the
 * centred points x. */
struct ts_lists {
	int m;            /* items in scope with at least one presentation */
	size_t *off;      /* n_persons + 1 */
	int32_t *item;    /* local item index */
	double *x;        /* points minus the item's mean */
	int64_t *n_item;  /* presentations per local item */
	double *var_item; /* population variance per local item */
};

static double ts_score(const struct ia_data *d, int p, int s)
{
	return s >= 0 ? d->persons[p].section_score[s] : d->persons[p].total;
}

/* Build the lists: one pass to count, one to fill (items in bank order, so
 * each person's list comes out sorted; a repeated (person, item) is kept
 * once), then each item's mean, the centring and the variances. */
static void ts_lists_build(const struct ia_data *d, int s, struct ts_lists *L)
{
	int np = d->n_persons;
	int *loc = xmalloc((size_t)(d->n_items ? d->n_items : 1) * sizeof *loc);
	int32_t *last = xmalloc((size_t)(np ? np : 1) * sizeof *last);
	L->m = 0;
	for (int i = 0; i < d->n_items; i++) {
		loc[i] = -1;
		if (s >= 0 && d->items[i].section != s)
			continue;
		for (size_t k = 0; k < d->items[i].n_obs; k++)
			if (!isnan(ts_score(d, d->items[i].obs[k].person, s))) {
				loc[i] = L->m++;
				break;
			}
	}
	L->off = xcalloc((size_t)np + 1, sizeof *L->off);
	L->n_item = xcalloc((size_t)(L->m ? L->m : 1), sizeof *L->n_item);
	L->var_item = xcalloc((size_t)(L->m ? L->m : 1), sizeof *L->var_item);
	double *mean = xcalloc((size_t)(L->m ? L->m : 1), sizeof *mean);
	for (int pass = 0; pass < 2; pass++) {
		for (int p = 0; p < np; p++)
			last[p] = -1;
		for (int i = 0; i < d->n_items; i++) {
			int j = loc[i];
			if (j < 0)
				continue;
			for (size_t k = 0; k < d->items[i].n_obs; k++) {
				const struct ia_obs *o = &d->items[i].obs[k];
				assert(o->person >= 0 && o->person < np);
				if (last[o->person] == j || isnan(ts_score(d, o->person, s)))
					continue;
				last[o->person] = j;
				if (pass == 0) {
					L->off[o->person + 1]++;
					L->n_item[j]++;
					mean[j] += o->points;
				} else {
					size_t at = L->off[o->person]++;
					L->item[at] = j;
					L->x[at] = o->points;
				}
			}
		}
		if (pass == 0) {
			for (int p = 0; p < np; p++)
				L->off[p + 1] += L->off[p];
			L->item = xmalloc((L->off[np] ? L->off[np] : 1) * sizeof *L->item);
			L->x = xmalloc((L->off[np] ? L->off[np] : 1) * sizeof *L->x);
		}
	}
	/* the fill advanced each start to the next person's start: shift back */
	for (int p = np; p > 0; p--)
		L->off[p] = L->off[p - 1];
	L->off[0] = 0;
	for (int j = 0; j < L->m; j++)
		mean[j] /= (double)L->n_item[j];
	for (size_t e = 0; e < L->off[np]; e++) {
		L->x[e] -= mean[L->item[e]];
		L->var_item[L->item[e]] += L->x[e] * L->x[e];
	}
	for (int j = 0; j < L->m; j++)
		L->var_item[j] /= (double)L->n_item[j];
	free(mean);
	free(last);
	free(loc);
}

static void ts_lists_free(struct ts_lists *L)
{
	free(L->off);
	free(L->item);
	free(L->x);
	free(L->n_item);
	free(L->var_item);
}

/* The textbook alpha when every scored person saw the same m items: m/(m-1)
 * (1 - sum of item variances / variance of the sum of item points). Returns
 * 1 (alpha set, possibly NaN) if the design is complete, 0 if not. */
static int ts_alpha_complete(const struct ia_data *d, int s, const struct ts_lists *L, double *alpha)
{
	int64_t n = 0;
	double sum = 0, ss = 0, first = NAN, sv = 0;
	int same = 1;
	for (int p = 0; p < d->n_persons; p++) {
		if (isnan(ts_score(d, p, s)))
			continue;
		if (L->off[p + 1] - L->off[p] != (size_t)L->m)
			return 0;
		n++;
	}
	if (!n || !L->m)
		return 0;
	double *tot = xmalloc((size_t)n * sizeof *tot);
	n = 0;
	for (int p = 0; p < d->n_persons; p++) {
		if (isnan(ts_score(d, p, s)))
			continue;
		double t = 0;
		for (size_t e = L->off[p]; e < L->off[p + 1]; e++)
			t += L->x[e];
		tot[n++] = t;
		sum += t;
	}
	for (int64_t k = 0; k < n; k++) {
		double dt = tot[k] - sum / (double)n;
		ss += dt * dt;
		if (k == 0)
			first = tot[0];
		same &= tot[k] == first;
	}
	free(tot);
	for (int j = 0; j < L->m; j++)
		sv += L->var_item[j];
	double var_tot = ss / (double)n;
	*alpha = L->m >= 2 && !same && var_tot > 0
			 ? (double)L->m / (L->m - 1) * (1 - sv / var_tot)
			 : NAN;
	return 1;
}

/* Mean n-weighted covariance of the item pairs seen together. Pairs one by
 * one in a flat triangular array (sum over persons of k^2 work) while the
 * array fits UJ_IA_PAIRS_MAX; beyond, the covariances are centred at each
 * item's overall mean, which sums per person in O(k) (*method says which).
 * Returns NaN when no person saw two items. */
static double ts_cbar(const struct ia_data *d, const struct ts_lists *L, const char **method)
{
	double num = 0, den = 0;
	size_t m = (size_t)L->m;
	size_t npairs = m * (m ? m - 1 : 0) / 2;
	if (npairs <= UJ_IA_PAIRS_MAX) {
		*method = "pairwise";
		struct ts_pair *P = xcalloc(npairs ? npairs : 1, sizeof *P);
		for (int p = 0; p < d->n_persons; p++) {
			size_t lo = L->off[p], hi = L->off[p + 1];
			for (size_t e = lo; e < hi; e++) {
				size_t a = (size_t)L->item[e];
				double xa = L->x[e];
				/* index of (a, b), a < b: a (2m - a - 1) / 2 + b - a - 1 */
				struct ts_pair *row = P + a * (2 * m - a - 1) / 2 - a - 1;
				for (size_t f = e + 1; f < hi; f++) {
					struct ts_pair *q = row + L->item[f];
					double xb = L->x[f];
					q->sa += xa;
					q->sb += xb;
					q->sab += xa * xb;
					q->n++;
				}
			}
		}
		for (size_t k = 0; k < npairs; k++)
			if (P[k].n) {
				num += P[k].sab - P[k].sa * P[k].sb / (double)P[k].n;
				den += (double)P[k].n;
			}
		free(P);
	} else {
		*method = "pairwise_means";
		for (int p = 0; p < d->n_persons; p++) {
			double sd_ = 0, sq = 0;
			size_t k = L->off[p + 1] - L->off[p];
			for (size_t e = L->off[p]; e < L->off[p + 1]; e++) {
				sd_ += L->x[e];
				sq += L->x[e] * L->x[e];
			}
			num += (sd_ * sd_ - sq) / 2;
			den += (double)k * (double)(k ? k - 1 : 0) / 2;
		}
	}
	return den > 0 ? num / den : NAN;
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

	/* reliability */
	struct ts_lists L = { 0 };
	ts_lists_build(d, s, &L);
	double vbar = 0, wsum = 0;
	for (int j = 0; j < L.m; j++) {
		vbar += (double)L.n_item[j] * L.var_item[j];
		wsum += (double)L.n_item[j];
	}
	vbar = wsum > 0 ? vbar / wsum : NAN;
	double cbar = ts_cbar(d, &L, &out->alpha_method);
	double k = out->items_per_paper, denom = vbar + (k - 1) * cbar;
	if (k >= 2 && !isnan(vbar) && !isnan(cbar) && denom > 0)
		out->alpha_pairwise = k / (k - 1) * (1 - vbar / denom);
	double a_complete;
	if (ts_alpha_complete(d, s, &L, &a_complete)) {
		out->alpha = a_complete;
		out->alpha_method = "complete";
		out->items_per_paper = L.m;
	} else {
		out->alpha = out->alpha_pairwise;
	}
	ts_lists_free(&L);
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
