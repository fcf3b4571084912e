/* ninebox.c - the nine-box rules as pure functions (include/selection/
 * ninebox.h): performance from SKP, potential from weighted components,
 * the box, sanctions, the pool's order and succession. The configuration's
 * parse and defaults are in ninebox_config.c. */
#include "selection/ninebox.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const nb_perf_codes[NB_PERF_MAX] = { "below", "meets", "above" };
static const char *const nb_pot_codes[NB_POT_MAX] = { "low", "medium", "high" };
static const char *const nb_pred_codes[NB_PRED_MAX] = { "sangat_baik", "baik", "butuh_perbaikan",
							"kurang", "sangat_kurang" };
static const char *const nb_sanc_codes[NB_SANC_MAX] = { "light", "moderate", "heavy" };
static const char *const nb_reason_codes[NB_R_MAX] = { "", "no_skp", "no_potential",
						       "disqualified", "sanction" };

/* The index of s in the n codes v, or -1. */
static int nb_find(const char *const *v, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return -1;
}

const char *nb_perf_code(enum nb_perf p)
{
	return p >= 0 && p < NB_PERF_MAX ? nb_perf_codes[p] : NULL;
}

const char *nb_pot_code(enum nb_pot p)
{
	return p >= 0 && p < NB_POT_MAX ? nb_pot_codes[p] : NULL;
}

const char *nb_predikat_code(enum nb_predikat p)
{
	return p >= 0 && p < NB_PRED_MAX ? nb_pred_codes[p] : NULL;
}

const char *nb_sanction_code(enum nb_sanction_level l)
{
	return l >= 0 && l < NB_SANC_MAX ? nb_sanc_codes[l] : NULL;
}

const char *nb_reason_code(enum nb_reason r)
{
	return r >= 0 && r < NB_R_MAX ? nb_reason_codes[r] : "";
}

enum nb_perf nb_perf_parse(const char *s)
{
	return (enum nb_perf)nb_find(nb_perf_codes, NB_PERF_MAX, s);
}

enum nb_pot nb_pot_parse(const char *s)
{
	return (enum nb_pot)nb_find(nb_pot_codes, NB_POT_MAX, s);
}

enum nb_predikat nb_predikat_parse(const char *s)
{
	return (enum nb_predikat)nb_find(nb_pred_codes, NB_PRED_MAX, s);
}

enum nb_sanction_level nb_sanction_parse(const char *s)
{
	return (enum nb_sanction_level)nb_find(nb_sanc_codes, NB_SANC_MAX, s);
}

enum nb_reason nb_reason_parse(const char *s)
{
	int r = nb_find(nb_reason_codes, NB_R_MAX, s ? s : "");
	return r < 0 ? NB_R_NONE : (enum nb_reason)r;
}

/* ---- performance ---- */

enum nb_perf nb_performance(const struct nb_config *c, const struct nb_skp *v, size_t n,
			    struct nb_perf_detail *d)
{
	struct nb_perf_detail local;
	enum nb_perf worst = NB_PERF_NONE;
	int first = c->until_year - c->perf_years + 1;

	assert(c->perf_years >= 1 && c->perf_years <= UJ_TALENT_YEARS_MAX);
	if (!d)
		d = &local;
	memset(d, 0, sizeof *d);
	/* Newest year first, each year once (the first rating given for it). */
	for (int y = c->until_year; y >= first; y--) {
		for (size_t i = 0; i < n; i++) {
			if (v[i].year != y || v[i].predikat < 0 || v[i].predikat >= NB_PRED_MAX)
				continue;
			assert(d->n < UJ_TALENT_YEARS_MAX);
			d->year[d->n] = y;
			d->predikat[d->n] = v[i].predikat;
			d->level[d->n] = c->perf_map[v[i].predikat];
			if (worst == NB_PERF_NONE || d->level[d->n] < worst)
				worst = d->level[d->n];
			d->n++;
			break;
		}
	}
	return worst;
}

/* ---- potential ---- */

double nb_round2(double v)
{
	/* No libm: half away from zero by truncation. */
	double x = v * 100.0;
	return (x >= 0 ? (double)(long long)(x + 0.5) : -(double)(long long)(-x + 0.5)) / 100.0;
}

int nb_potential(const struct nb_config *c, const struct nb_value *v, double *score,
		 struct nb_pot_detail *d)
{
	struct nb_pot_detail local;
	double sum = 0;

	if (!d)
		d = &local;
	memset(d, 0, sizeof *d);
	d->missing = -1;
	for (int i = 0; i < c->n_comp; i++) {
		double nv;
		if (!v[i].have || v[i].max <= 0) {
			if (d->missing < 0) {
				d->missing = i;
				d->disqualified = v[i].disqualified;
			}
			continue;
		}
		nv = v[i].raw / v[i].max * 100.0;
		nv = nv < 0 ? 0 : nv > 100 ? 100 : nv;
		d->normalised[i] = nb_round2(nv);
		sum += nv * c->comp[i].weight / 100.0;
	}
	if (d->missing >= 0 || c->n_comp == 0)
		return -1;
	*score = nb_round2(sum);
	return 0;
}

enum nb_pot nb_pot_level(const struct nb_config *c, double score)
{
	/* Compare on the two-decimal value so a sum that is 80 on paper is 80. */
	double s = nb_round2(score);
	if (s >= c->cut_high)
		return NB_HIGH;
	if (s >= c->cut_medium)
		return NB_MEDIUM;
	return NB_LOW;
}

/* ---- the box ---- */

int nb_box(const struct nb_config *c, enum nb_perf perf, enum nb_pot pot)
{
	if (perf < 0 || perf >= NB_PERF_MAX || pot < 0 || pot >= NB_POT_MAX)
		return 0;
	return c->box[perf][pot];
}

int nb_box_levels(const struct nb_config *c, int b, enum nb_perf *perf, enum nb_pot *pot)
{
	for (int p = 0; p < NB_PERF_MAX; p++)
		for (int q = 0; q < NB_POT_MAX; q++)
			if (c->box[p][q] == b) {
				*perf = (enum nb_perf)p;
				*pot = (enum nb_pot)q;
				return 0;
			}
	return -1;
}

/* ---- sanctions ---- */

int nb_sanction_excluding(const struct nb_config *c, const struct nb_sanction *v, size_t n)
{
	char cutoff[16];
	int y = atoi(c->reference_date);

	/* YYYY-MM-DD strings order as dates do, so the cut-off needs no
	 * calendar: the same month and day sanction_years earlier (a 29
	 * February falls between the 28th and 1 March, as it should). */
	snprintf(cutoff, sizeof cutoff, "%04d%s", y - c->sanction_years,
		 strlen(c->reference_date) == 10 ? c->reference_date + 4 : "-12-31");
	for (size_t i = 0; i < n; i++)
		if (v[i].level >= 0 && v[i].level < NB_SANC_MAX && c->sanction_level[v[i].level] &&
		    strcmp(v[i].date, cutoff) > 0)
			return (int)i;
	return -1;
}

/* ---- a whole placement ---- */

static void nb_reason_add(struct nb_placement *p, enum nb_reason r)
{
	if (p->reason == NB_R_NONE)
		p->reason = r;
	p->reasons |= 1u << r;
}

void nb_place(const struct nb_config *c, const struct nb_input *in, struct nb_placement *out)
{
	memset(out, 0, sizeof *out);
	out->pot = NB_POT_NONE;
	out->perf = nb_performance(c, in->skp, in->n_skp, &out->perf_detail);
	if (out->perf == NB_PERF_NONE)
		nb_reason_add(out, NB_R_NO_SKP);
	if (nb_potential(c, in->values, &out->potential, &out->pot_detail) == 0) {
		out->has_potential = 1;
		out->pot = nb_pot_level(c, out->potential);
	} else {
		nb_reason_add(out, out->pot_detail.disqualified ? NB_R_DISQUALIFIED
								: NB_R_NO_POTENTIAL);
	}
	out->box = nb_box(c, out->perf, out->pot);
	out->sanction = nb_sanction_excluding(c, in->sanctions, in->n_sanctions);
	out->excluded = out->sanction >= 0;
	if (out->excluded)
		nb_reason_add(out, NB_R_SANCTION);
	out->in_pool = out->box > 0 && c->pool[out->box] && !out->excluded;
}

/* ---- the pool and succession ---- */

static int nb_top(const struct nb_entry *e)
{
	return e->perf == NB_ABOVE && e->pot == NB_HIGH;
}

int nb_pool_cmp(const void *a, const void *b)
{
	const struct nb_entry *x = a, *y = b;
	int cmp;
	if (nb_top(x) != nb_top(y))
		return nb_top(x) ? -1 : 1;
	if (x->has_potential != y->has_potential)
		return x->has_potential ? -1 : 1;
	if (x->has_potential && x->potential != y->potential)
		return x->potential > y->potential ? -1 : 1;
	if (x->perf != y->perf)
		return x->perf > y->perf ? -1 : 1;
	cmp = strcmp(x->nip ? x->nip : "", y->nip ? y->nip : "");
	return cmp;
}

/* Move the entries of v[0..n) that keep(e, arg) says yes to to the front
 * (by swapping: the caller sorts them next); returns how many. */
static size_t nb_keep(struct nb_entry *v, size_t n, int (*keep)(const struct nb_entry *, int),
		      int arg)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (keep(&v[i], arg)) {
			struct nb_entry t = v[i];
			v[i] = v[k];
			v[k++] = t;
		}
	return k;
}

static int nb_is_pool(const struct nb_entry *e, int arg)
{
	(void)arg;
	return e->in_pool;
}

static int nb_is_successor(const struct nb_entry *e, int min_grade)
{
	return e->in_pool && nb_top(e) && (min_grade <= 0 || e->grade >= min_grade);
}

size_t nb_pool(struct nb_entry *v, size_t n)
{
	size_t k = nb_keep(v, n, nb_is_pool, 0);
	qsort(v, k, sizeof *v, nb_pool_cmp);
	return k;
}

size_t nb_succession(struct nb_entry *v, size_t n, int min_grade, size_t max)
{
	size_t k = nb_keep(v, n, nb_is_successor, min_grade);
	qsort(v, k, sizeof *v, nb_pool_cmp);
	return k < max ? k : max;
}
