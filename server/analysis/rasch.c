/* rasch.c - dichotomous Rasch calibration in an incomplete design (rasch.h).
 *
 * Item difficulties by conditional maximum likelihood: each person's score r
 * is sufficient for their ability, so conditioning on it removes the ability
 * from the likelihood,
 *
 *   P(x_v | r_v) = prod_i eps_i^x_vi / gamma_r(eps over the items v saw),
 *   eps_i = exp(-b_i),
 *
 * where gamma_r is the elementary symmetric function of order r. The
 * derivative of the log-likelihood in b_i is E_i - s_i, with s_i the
 * number of correct answers and E_i = sum_v pi_vi, pi_vi = eps_i
 * gamma_{r-1}(items of v without i) / gamma_r (the probability that v got i
 * right given v's score); its second derivative is -sum_v pi_vi (1 - pi_vi).
 *
 * Per person the functions "without i" for every i come from a forward table
 * (the first j items) and a backward table (items j..k-1): one convolution of
 * order r per item, so a person costs O(k r) <= O(k^2) per iteration. The
 * tables are kept in range by (a) using the odds exp(theta0 - b_i) instead of
 * eps_i, theta0 a rough ability of the person (the conditional
 * probabilities do not change: gamma_r scales by c^r), and (b) rescaling a
 * table row by a power of two when it leaves [2^-256, 2^256], the exponents
 * carried as integers.
 *
 * The update is a damped diagonal Newton step per item (the information
 * term weighted by k/(k-1) per person, which is the exact Newton step of a
 * complete design with equal items and makes two-item data converge in one
 * step), step halving when the log-likelihood falls, difficulties centred to
 * mean 0 after each step. Standard errors: the diagonal of the
 * pseudo-inverse of the full CML information at the estimate (cml_full_se;
 * up to UJ_RASCH_FULL_SE_MAX items, else 1 / sqrt(sum_v pi (1 - pi)), the
 * diagonal information alone; rasch_fit.se_full says which).
 *
 * Persons with a zero or perfect score carry no information in CML and are
 * left out of the estimation (repeatedly: an item found extreme among the
 * informative persons is removed, which may make more persons extreme); every
 * person gets a Warm WLE ability over the items with a difficulty. */
#include "analysis/rasch.h"

#include "bounds.h"
#include "core/mem.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RASCH_BIG  0x1p+256
#define RASCH_TINY 0x1p-256
#define RASCH_STEP_MAX 1.0 /* largest move of one difficulty in one step (logits) */

/* The informative part of the data: persons with neither a zero nor a
 * perfect score over the active items, their responses in CSR form, items
 * renumbered 0..m-1. */
struct cml {
	int np, m, kmax;
	int *off;      /* np + 1 */
	int32_t *item; /* compact item index per response */
	uint8_t *x;
	int *score;    /* per informative person */
	double *s;     /* correct answers per compact item */
};

/* Scratch tables of one person, sized for kmax items. */
struct esf_work {
	double *f, *g, *eps, *pi; /* pi: the person's conditional probabilities */
	int *fe, *ge;
	size_t row; /* doubles per table row: kmax + 1 */
};

void rasch_opts_default(struct rasch_opts *o)
{
	o->tol = UJ_RASCH_TOL;
	o->max_iter = UJ_RASCH_ITER_MAX;
}

void rasch_fit_free(struct rasch_fit *f)
{
	if (!f)
		return;
	free(f->b);
	free(f->b_se);
	free(f->infit);
	free(f->outfit);
	free(f->item_n);
	free(f->item_extreme);
	free(f->theta);
	free(f->theta_se);
	free(f->person_score);
	free(f->person_n);
	memset(f, 0, sizeof *f);
}

/* A response as sorted within a person. */
struct pr {
	int32_t item;
	uint8_t x;
};

static int pr_cmp(const void *a, const void *b)
{
	const struct pr *p = a, *q = b;
	return (p->item > q->item) - (p->item < q->item);
}

/* Rescale a table row of n values when its largest leaves the safe range;
 * returns the power of two divided out. */
static int esf_rescale(double *v, int n)
{
	double mx = 0;
	for (int i = 0; i < n; i++)
		if (v[i] > mx)
			mx = v[i];
	if (mx == 0 || (mx < RASCH_BIG && mx > RASCH_TINY))
		return 0;
	int e = ilogb(mx);
	for (int i = 0; i < n; i++)
		v[i] = scalbn(v[i], -e);
	return e;
}

/* One person: k items (compact indices it, answers xv), score r (0 < r < k),
 * difficulties b. Adds pi to E, pi(1-pi) to H and pi(1-pi) k/(k-1) to Hn per
 * item; returns the person's conditional log-likelihood. */
static double esf_person(const int32_t *it, const uint8_t *xv, int k, int r, const double *b,
			 struct esf_work *w, double *E, double *H, double *Hn)
{
	assert(r > 0 && r < k);
	const size_t R = (size_t)r + 1;
	double mb = 0, sxb = 0;
	for (int j = 0; j < k; j++) {
		mb += b[it[j]];
		if (xv[j])
			sxb += b[it[j]];
	}
	double th0 = mb / k + log((double)r / (double)(k - r));
	for (int j = 0; j < k; j++)
		w->eps[j] = exp(th0 - b[it[j]]);
	/* forward: f row j = ESF of items 0..j-1, orders 0..min(j, r) */
	double *f = w->f, *g = w->g;
	f[0] = 1;
	w->fe[0] = 0;
	for (int j = 1; j <= k; j++) {
		const double *p = f + (size_t)(j - 1) * R;
		double *c = f + (size_t)j * R, e = w->eps[j - 1];
		int smax = j < r ? j : r;
		c[0] = p[0];
		for (int s = 1; s <= smax; s++)
			c[s] = (s <= j - 1 ? p[s] : 0) + e * p[s - 1];
		w->fe[j] = w->fe[j - 1] + esf_rescale(c, smax + 1);
	}
	/* backward: g row j = ESF of items j..k-1, orders 0..min(k-j, r) */
	g[(size_t)k * R] = 1;
	w->ge[k] = 0;
	for (int j = k - 1; j >= 0; j--) {
		const double *p = g + (size_t)(j + 1) * R;
		double *c = g + (size_t)j * R, e = w->eps[j];
		int n = k - j, smax = n < r ? n : r;
		c[0] = p[0];
		for (int s = 1; s <= smax; s++)
			c[s] = (s <= n - 1 ? p[s] : 0) + e * p[s - 1];
		w->ge[j] = w->ge[j + 1] + esf_rescale(c, smax + 1);
	}
	const double gr = f[(size_t)k * R + (size_t)r];
	assert(gr > 0);
	const double wk = (double)k / (double)(k - 1);
	for (int j = 0; j < k; j++) {
		/* gamma_{r-1} without item j = sum_s f_j[s] g_{j+1}[r-1-s] */
		const double *fj = f + (size_t)j * R, *gj = g + (size_t)(j + 1) * R;
		int n_after = k - j - 1;
		int lo = r - 1 - n_after > 0 ? r - 1 - n_after : 0;
		int hi = j < r - 1 ? j : r - 1;
		double conv = 0;
		for (int s = lo; s <= hi; s++)
			conv += fj[s] * gj[r - 1 - s];
		double pi = w->eps[j] * scalbn(conv / gr, w->fe[j] + w->ge[j + 1] - w->fe[k]);
		if (pi < 0)
			pi = 0;
		if (pi > 1)
			pi = 1;
		w->pi[j] = pi;
		E[it[j]] += pi;
		H[it[j]] += pi * (1 - pi);
		Hn[it[j]] += pi * (1 - pi) * wk;
	}
	/* log P(x | r) = r th0 - sum x b - log gamma_r(odds) */
	return r * th0 - sxb - (log(gr) + w->fe[k] * M_LN2);
}

/* Every informative person at difficulties b: E, H, Hn per item (zeroed
 * first); returns the conditional log-likelihood. */
static double cml_eval(const struct cml *c, const double *b, struct esf_work *w, double *E,
		       double *H, double *Hn)
{
	memset(E, 0, (size_t)c->m * sizeof *E);
	memset(H, 0, (size_t)c->m * sizeof *H);
	memset(Hn, 0, (size_t)c->m * sizeof *Hn);
	double ll = 0;
	for (int v = 0; v < c->np; v++) {
		int o = c->off[v], k = c->off[v + 1] - o;
		ll += esf_person(c->item + o, c->x + o, k, c->score[v], b, w, E, H, Hn);
	}
	return ll;
}

static void centre(double *b, int m)
{
	double mean = 0;
	for (int i = 0; i < m; i++)
		mean += b[i];
	mean /= m;
	for (int i = 0; i < m; i++)
		b[i] -= mean;
}

/* Standard errors from the full CML information at b, the conditional
 * covariance of the answers given the score: L_ii = sum_v pi_i (1 - pi_i),
 * L_ij = sum_v (pi_ij - pi_i pi_j) (negative), where pi_ij (both right
 * given the score) = (eps_i pi_j - eps_j pi_i) / (eps_i - eps_j), from
 * gamma^(i)_{r-1} - gamma^(j)_{r-1} = (eps_j - eps_i) gamma^(ij)_{r-2}; for
 * (nearly) tied items, where that difference cancels, the value of equal
 * items, pi_i pi_j (r-1) k / (r (k-1)). L has the constant vector as its
 * null space (the centring), so the covariance of the centred difficulties
 * is its pseudo-inverse, diag(L+) = diag((L + J/m)^-1) - 1/m, by Cholesky.
 * Returns 0 with se filled, or -1 (se untouched) when m is above
 * UJ_RASCH_FULL_SE_MAX or the matrix is not positive definite. */
static int cml_full_se(const struct cml *c, const double *b, struct esf_work *w, double *E,
		       double *H, double *Hn, double *se)
{
	const int m = c->m;
	if (m > UJ_RASCH_FULL_SE_MAX)
		return -1;
	double *L = xcalloc((size_t)m * (size_t)m, sizeof *L);
	int rc = -1;
	for (int v = 0; v < c->np; v++) {
		int o = c->off[v], k = c->off[v + 1] - o, r = c->score[v];
		const int32_t *it = c->item + o;
		esf_person(it, c->x + o, k, r, b, w, E, H, Hn);
		double tie = (double)(r - 1) * k / ((double)r * (k - 1));
		for (int j = 0; j < k; j++) {
			double pj = w->pi[j], ej = w->eps[j];
			L[(size_t)it[j] * m + it[j]] += pj * (1 - pj);
			for (int l = j + 1; l < k; l++) {
				double pl = w->pi[l], el = w->eps[l], pjl;
				if (fabs(ej - el) > 1e-7 * fmax(ej, el))
					pjl = (ej * pl - el * pj) / (ej - el);
				else
					pjl = pj * pl * tie;
				double cov = pjl - pj * pl;
				L[(size_t)it[j] * m + it[l]] += cov;
				L[(size_t)it[l] * m + it[j]] += cov;
			}
		}
	}
	/* A = L + J/m; Cholesky A = R R' in the lower triangle */
	for (size_t q = 0; q < (size_t)m * (size_t)m; q++)
		L[q] += 1.0 / m;
	for (int j = 0; j < m; j++) {
		double d = L[(size_t)j * m + j];
		for (int t = 0; t < j; t++)
			d -= L[(size_t)j * m + t] * L[(size_t)j * m + t];
		if (!(d > 0))
			goto out;
		d = sqrt(d);
		L[(size_t)j * m + j] = d;
		for (int i = j + 1; i < m; i++) {
			double x = L[(size_t)i * m + j];
			for (int t = 0; t < j; t++)
				x -= L[(size_t)i * m + t] * L[(size_t)j * m + t];
			L[(size_t)i * m + j] = x / d;
		}
	}
	/* diag(A^-1)_i = sum over rows t >= i of (R^-1)_{t,i}^2: column i of
	 * R^-1 by forward substitution */
	double *col = xmalloc((size_t)m * sizeof *col);
	double *var = xmalloc((size_t)m * sizeof *var);
	for (int i = 0; i < m; i++) {
		double sum = 0;
		for (int t = i; t < m; t++) {
			double x = t == i ? 1 : 0;
			for (int u = i; u < t; u++)
				x -= L[(size_t)t * m + u] * col[u];
			col[t] = x / L[(size_t)t * m + t];
			sum += col[t] * col[t];
		}
		var[i] = sum - 1.0 / m;
	}
	rc = 0;
	for (int i = 0; i < m; i++)
		if (!(var[i] > 0))
			rc = -1;
	if (rc == 0)
		for (int i = 0; i < m; i++)
			se[i] = sqrt(var[i]);
	free(col);
	free(var);
out:
	free(L);
	return rc;
}

/* Newton iterations on c; b holds the start (0) and the result; se the
 * standard errors at the result. Fills the iteration fields of out. */
static void cml_solve(const struct cml *c, const struct rasch_opts *o, double *b, double *se,
		      struct rasch_fit *out)
{
	const int m = c->m;
	struct esf_work w;
	w.row = (size_t)c->kmax + 1;
	w.f = xmalloc(w.row * w.row * sizeof *w.f);
	w.g = xmalloc(w.row * w.row * sizeof *w.g);
	w.eps = xmalloc(w.row * sizeof *w.eps);
	w.pi = xmalloc(w.row * sizeof *w.pi);
	w.fe = xmalloc(w.row * sizeof *w.fe);
	w.ge = xmalloc(w.row * sizeof *w.ge);
	double *E = xmalloc((size_t)m * sizeof *E), *H = xmalloc((size_t)m * sizeof *H);
	double *Hn = xmalloc((size_t)m * sizeof *Hn), *bold = xmalloc((size_t)m * sizeof *bold);
	double *step = xmalloc((size_t)m * sizeof *step);

	/* start: centred log odds of a wrong answer (a good first guess) */
	for (int i = 0; i < m; i++)
		b[i] = 0;
	for (int v = 0; v < c->np; v++)
		for (int q = c->off[v]; q < c->off[v + 1]; q++)
			b[c->item[q]] += 1;
	for (int i = 0; i < m; i++)
		b[i] = log((b[i] - c->s[i]) / c->s[i]);
	centre(b, m);

	double ll = cml_eval(c, b, &w, E, H, Hn), lambda = 1, maxch = INFINITY;
	int iter = 0, converged = 0;
	for (;;) {
		if (maxch < o->tol) {
			converged = 1;
			break;
		}
		if (iter >= o->max_iter)
			break;
		for (int i = 0; i < m; i++) {
			double d = (E[i] - c->s[i]) / Hn[i];
			if (d > RASCH_STEP_MAX)
				d = RASCH_STEP_MAX;
			if (d < -RASCH_STEP_MAX)
				d = -RASCH_STEP_MAX;
			step[i] = d;
		}
		memcpy(bold, b, (size_t)m * sizeof *b);
		double nll;
		for (;;) { /* step halving until the likelihood does not fall */
			for (int i = 0; i < m; i++)
				b[i] = bold[i] + lambda * step[i];
			centre(b, m);
			nll = cml_eval(c, b, &w, E, H, Hn);
			if (nll >= ll - 1e-10 * fabs(ll) || lambda < 1e-3)
				break;
			lambda /= 2;
		}
		maxch = 0;
		for (int i = 0; i < m; i++)
			if (fabs(b[i] - bold[i]) > maxch)
				maxch = fabs(b[i] - bold[i]);
		ll = nll;
		lambda = lambda * 2 > 1 ? 1 : lambda * 2;
		iter++;
	}
	for (int i = 0; i < m; i++)
		se[i] = H[i] > 0 ? 1 / sqrt(H[i]) : NAN;
	out->se_full = cml_full_se(c, b, &w, E, H, Hn, se) == 0;
	out->iterations = iter;
	out->max_change = maxch;
	out->converged = converged;
	out->loglik = ll;
	free(w.f);
	free(w.g);
	free(w.eps);
	free(w.pi);
	free(w.fe);
	free(w.ge);
	free(E);
	free(H);
	free(Hn);
	free(bold);
	free(step);
}

/* Warm's weighted likelihood estimate of one ability from k difficulties bb
 * and score r (0 <= r <= k, k >= 1): the root of
 *   r - sum P + J / (2 I),  I = sum P(1-P),  J = sum P(1-P)(1-2P),
 * which lies strictly inside (min b - 40, max b + 40) for every score
 * (the correction tends to +1/2 at the bottom and -1/2 at the top).
 * Newton steps with f' ~ -I, kept inside a shrinking bracket. */
static void wle(const double *bb, int k, int r, double *theta, double *se)
{
	assert(k >= 1 && r >= 0 && r <= k);
	double lo = bb[0], hi = bb[0];
	for (int j = 1; j < k; j++) {
		if (bb[j] < lo)
			lo = bb[j];
		if (bb[j] > hi)
			hi = bb[j];
	}
	lo -= 40;
	hi += 40;
	double t = 0, I = 0;
	for (int j = 0; j < k; j++)
		t += bb[j];
	t = t / k + log((r + 0.5) / (k - r + 0.5));
	for (int n = 0; n < 200; n++) {
		double sp = 0, J = 0;
		I = 0;
		for (int j = 0; j < k; j++) {
			double p = 1 / (1 + exp(bb[j] - t)), q = p * (1 - p);
			sp += p;
			I += q;
			J += q * (1 - 2 * p);
		}
		double fv = r - sp + J / (2 * I);
		if (fv > 0)
			lo = t;
		else
			hi = t;
		double nt = t + fv / I;
		if (!(nt > lo && nt < hi))
			nt = (lo + hi) / 2;
		double d = fabs(nt - t);
		t = nt;
		if (d < 1e-10 || hi - lo < 1e-10)
			break;
	}
	I = 0;
	for (int j = 0; j < k; j++) {
		double p = 1 / (1 + exp(bb[j] - t));
		I += p * (1 - p);
	}
	*theta = t;
	*se = 1 / sqrt(I);
}

/* Count one input error; the first one is written to err. */
#define RASCH_BAD(...)                                             \
	do {                                                       \
		if (nerr++ == 0 && err && errlen)                  \
			snprintf(err, errlen, __VA_ARGS__);        \
	} while (0)

/* Persons' responses sorted by item in CSR form (poff/pr); validates every
 * response. Returns 0, or -1 with err (the first problem and their count). */
static int rasch_index(int np, int ni, const struct rasch_resp *r, size_t n, int **poff_out,
		       struct pr **pr_out, char *err, size_t errlen)
{
	int nerr = 0;
	for (size_t q = 0; q < n; q++) {
		if (r[q].person < 0 || r[q].person >= np)
			RASCH_BAD("response %zu: person %ld out of range 0..%d", q,
				  (long)r[q].person, np - 1);
		else if (r[q].item < 0 || r[q].item >= ni)
			RASCH_BAD("response %zu: item %ld out of range 0..%d", q, (long)r[q].item,
				  ni - 1);
		else if (r[q].x > 1)
			RASCH_BAD("response %zu: x is %d (0 or 1)", q, (int)r[q].x);
	}
	if (nerr)
		goto fail;
	int *poff = xcalloc((size_t)np + 1, sizeof *poff);
	for (size_t q = 0; q < n; q++)
		poff[r[q].person + 1]++;
	for (int v = 0; v < np; v++)
		poff[v + 1] += poff[v];
	int *fill = xmalloc((size_t)np * sizeof *fill);
	memcpy(fill, poff, (size_t)np * sizeof *fill);
	struct pr *pr = xmalloc((n ? n : 1) * sizeof *pr);
	for (size_t q = 0; q < n; q++) {
		struct pr *d = &pr[fill[r[q].person]++];
		d->item = r[q].item;
		d->x = r[q].x;
	}
	free(fill);
	for (int v = 0; v < np; v++) {
		qsort(pr + poff[v], (size_t)(poff[v + 1] - poff[v]), sizeof *pr, pr_cmp);
		for (int q = poff[v] + 1; q < poff[v + 1]; q++)
			if (pr[q].item == pr[q - 1].item)
				RASCH_BAD("person %d: item %ld answered twice", v, (long)pr[q].item);
	}
	if (nerr) {
		free(poff);
		free(pr);
		goto fail;
	}
	*poff_out = poff;
	*pr_out = pr;
	return 0;
fail:
	if (nerr > 1 && err && errlen) {
		size_t l = strlen(err);
		snprintf(err + l, errlen - l, " (and %d more)", nerr - 1);
	}
	return -1;
}

/* Decide which items and persons enter the estimation: repeatedly drop the
 * persons with a zero or perfect score over the active items and the items
 * that are all correct or all wrong among the remaining persons. Fills
 * out->item_extreme and active[]; returns the number of active items. */
static int rasch_trim(int np, int ni, const int *poff, const struct pr *pr, struct rasch_fit *out,
		      uint8_t *active, uint8_t *informative)
{
	int64_t *n = xmalloc((size_t)ni * sizeof *n), *s = xmalloc((size_t)ni * sizeof *s);
	int64_t *sall = xcalloc((size_t)ni, sizeof *sall);
	for (int v = 0; v < np; v++)
		for (int q = poff[v]; q < poff[v + 1]; q++)
			sall[pr[q].item] += pr[q].x;
	for (int i = 0; i < ni; i++) {
		active[i] = out->item_n[i] > 0;
		out->item_extreme[i] = active[i] ? RASCH_OK : RASCH_UNSEEN;
	}
	int changed = 1, m = 0;
	while (changed) {
		changed = 0;
		memset(n, 0, (size_t)ni * sizeof *n);
		memset(s, 0, (size_t)ni * sizeof *s);
		for (int v = 0; v < np; v++) {
			int k = 0, sc = 0;
			for (int q = poff[v]; q < poff[v + 1]; q++)
				if (active[pr[q].item]) {
					k++;
					sc += pr[q].x;
				}
			informative[v] = sc > 0 && sc < k;
			if (!informative[v])
				continue;
			for (int q = poff[v]; q < poff[v + 1]; q++)
				if (active[pr[q].item]) {
					n[pr[q].item]++;
					s[pr[q].item] += pr[q].x;
				}
		}
		m = 0;
		for (int i = 0; i < ni; i++) {
			if (!active[i])
				continue;
			int64_t nn = n[i] ? n[i] : out->item_n[i], ss = n[i] ? s[i] : sall[i];
			if (ss > 0 && ss < nn && n[i] > 0) {
				m++;
				continue;
			}
			active[i] = 0;
			changed = 1;
			out->item_extreme[i] = ss == nn ? RASCH_ALL_CORRECT
					     : ss == 0  ? RASCH_ALL_WRONG
							: RASCH_UNSEEN; /* seen only by extreme persons */
		}
	}
	free(n);
	free(s);
	free(sall);
	return m;
}

/* The informative data in compact form (map: item -> compact index). */
static void cml_build(int np, const int *poff, const struct pr *pr, const uint8_t *informative,
		      const int *map, int m, struct cml *c)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	size_t nr = 0;
	for (int v = 0; v < np; v++)
		if (informative[v]) {
			c->np++;
			for (int q = poff[v]; q < poff[v + 1]; q++)
				nr += map[pr[q].item] >= 0;
		}
	c->off = xmalloc(((size_t)c->np + 1) * sizeof *c->off);
	c->item = xmalloc((nr ? nr : 1) * sizeof *c->item);
	c->x = xmalloc(nr ? nr : 1);
	c->score = xmalloc(((size_t)c->np + 1) * sizeof *c->score);
	c->s = xcalloc((size_t)m, sizeof *c->s);
	int p = 0;
	size_t at = 0;
	for (int v = 0; v < np; v++) {
		if (!informative[v])
			continue;
		c->off[p] = (int)at;
		int sc = 0;
		for (int q = poff[v]; q < poff[v + 1]; q++) {
			int ci = map[pr[q].item];
			if (ci < 0)
				continue;
			c->item[at] = ci;
			c->x[at] = pr[q].x;
			sc += pr[q].x;
			c->s[ci] += pr[q].x;
			at++;
		}
		int k = (int)at - c->off[p];
		if (k > c->kmax)
			c->kmax = k;
		c->score[p++] = sc;
	}
	c->off[p] = (int)at;
	assert(p == c->np && at == nr);
}

static void cml_free(struct cml *c)
{
	free(c->off);
	free(c->item);
	free(c->x);
	free(c->score);
	free(c->s);
}

/* Abilities (WLE) of every person over the items with a difficulty, and the
 * infit/outfit of each item over the informative persons. */
static void rasch_persons(int np, int ni, const int *poff, const struct pr *pr,
			  const uint8_t *informative, struct rasch_fit *out)
{
	double *bb = xmalloc(((size_t)ni + 1) * sizeof *bb);
	double *z2 = xcalloc((size_t)ni, sizeof *z2), *r2 = xcalloc((size_t)ni, sizeof *r2);
	double *wv = xcalloc((size_t)ni, sizeof *wv);
	int64_t *cnt = xcalloc((size_t)ni, sizeof *cnt);
	for (int v = 0; v < np; v++) {
		int k = 0, sc = 0;
		for (int q = poff[v]; q < poff[v + 1]; q++)
			if (!isnan(out->b[pr[q].item])) {
				bb[k++] = out->b[pr[q].item];
				sc += pr[q].x;
			}
		out->person_n[v] = k;
		out->person_score[v] = sc;
		if (k == 0) {
			out->theta[v] = out->theta_se[v] = NAN;
			continue;
		}
		wle(bb, k, sc, &out->theta[v], &out->theta_se[v]);
		if (!informative[v])
			continue;
		for (int q = poff[v]; q < poff[v + 1]; q++) {
			int i = pr[q].item;
			if (isnan(out->b[i]))
				continue;
			double p = 1 / (1 + exp(out->b[i] - out->theta[v])), w = p * (1 - p);
			double res = pr[q].x - p;
			z2[i] += res * res / w;
			r2[i] += res * res;
			wv[i] += w;
			cnt[i]++;
		}
	}
	for (int i = 0; i < ni; i++) {
		out->outfit[i] = cnt[i] ? z2[i] / (double)cnt[i] : NAN;
		out->infit[i] = cnt[i] ? r2[i] / wv[i] : NAN;
	}
	free(bb);
	free(z2);
	free(r2);
	free(wv);
	free(cnt);
}

int rasch_calibrate(int n_persons, int n_items, const struct rasch_resp *r, size_t n,
		    const struct rasch_opts *o, struct rasch_fit *out, char *err, size_t errlen)
{
	struct rasch_opts def;
	int *poff = NULL, *map = NULL, rc = -1;
	struct pr *pr = NULL;
	uint8_t *active = NULL, *informative = NULL;
	double *bc = NULL, *sec = NULL;

	if (err && errlen)
		err[0] = '\0';
	if (!out) {
		if (err && errlen)
			snprintf(err, errlen, "no result to fill");
		return -1;
	}
	memset(out, 0, sizeof *out);
	if (!o) {
		rasch_opts_default(&def);
		o = &def;
	}
	if (n_persons < 1 || n_items < 2 || (n && !r) || n > (size_t)INT_MAX) {
		if (err && errlen)
			snprintf(err, errlen,
				 "need at least 1 person, 2 items and at most %d responses (got %d persons, "
				 "%d items, %zu responses)",
				 INT_MAX, n_persons, n_items, n);
		return -1;
	}
	if (!(o->tol > 0 && o->tol < 1) || o->max_iter < 1) {
		if (err && errlen)
			snprintf(err, errlen, "tolerance must be in (0, 1) and max_iter >= 1");
		return -1;
	}
	if (rasch_index(n_persons, n_items, r, n, &poff, &pr, err, errlen))
		return -1;

	out->n_items = n_items;
	out->n_persons = n_persons;
	out->b = xmalloc((size_t)n_items * sizeof *out->b);
	out->b_se = xmalloc((size_t)n_items * sizeof *out->b_se);
	out->infit = xmalloc((size_t)n_items * sizeof *out->infit);
	out->outfit = xmalloc((size_t)n_items * sizeof *out->outfit);
	out->item_n = xcalloc((size_t)n_items, sizeof *out->item_n);
	out->item_extreme = xcalloc((size_t)n_items, 1);
	out->theta = xmalloc((size_t)n_persons * sizeof *out->theta);
	out->theta_se = xmalloc((size_t)n_persons * sizeof *out->theta_se);
	out->person_score = xcalloc((size_t)n_persons, sizeof *out->person_score);
	out->person_n = xcalloc((size_t)n_persons, sizeof *out->person_n);
	for (size_t q = 0; q < n; q++)
		out->item_n[r[q].item]++;

	active = xmalloc((size_t)n_items);
	informative = xmalloc((size_t)n_persons);
	int m = rasch_trim(n_persons, n_items, poff, pr, out, active, informative);
	if (m < 2) {
		if (err && errlen)
			snprintf(err, errlen,
				 "fewer than 2 items have both outcomes among persons with neither a zero "
				 "nor a perfect score (%d)",
				 m);
		rasch_fit_free(out);
		rc = RASCH_NO_DATA;
		goto done;
	}
	map = xmalloc((size_t)n_items * sizeof *map);
	int *back = xmalloc((size_t)m * sizeof *back);
	for (int i = 0, c = 0; i < n_items; i++) {
		map[i] = active[i] ? c : -1;
		if (active[i])
			back[c++] = i;
	}
	struct cml cm;
	cml_build(n_persons, poff, pr, informative, map, m, &cm);
	bc = xmalloc((size_t)m * sizeof *bc);
	sec = xmalloc((size_t)m * sizeof *sec);
	cml_solve(&cm, o, bc, sec, out);
	cml_free(&cm);
	for (int i = 0; i < n_items; i++)
		out->b[i] = out->b_se[i] = NAN;
	for (int c = 0; c < m; c++) {
		out->b[back[c]] = bc[c];
		out->b_se[back[c]] = sec[c];
	}
	free(back);
	rasch_persons(n_persons, n_items, poff, pr, informative, out);
	rc = 0;
done:
	free(poff);
	free(pr);
	free(map);
	free(active);
	free(informative);
	free(bc);
	free(sec);
	return rc;
}
