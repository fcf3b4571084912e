/* istat.c - classical item statistics (include/analysis/istat.h): facility,
 * point-biserial and corrected item-total correlations, the upper-lower 27%
 * index D, option (distractor) analysis, time per item, flags and their
 * plain-language reasons. Formulas and choices: docs/ANALYSIS.md. */
#include "analysis/istat.h"
#include "core/mem.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One usable presentation: the person's section score y and the item's
 * points x. */
struct ia_row {
	double y, x;
	int32_t person;
	int8_t option;
};

void ia_thresholds_default(struct ia_thresholds *t)
{
	t->easy_p = UJ_IA_EASY_P;
	t->hard_p = UJ_IA_HARD_P;
	t->weak_r = UJ_IA_WEAK_R;
}

/* Facility of a mean of points: mean / max, or (mean - min) / (max - min)
 * for an item whose lowest points are negative. NaN when the item has no
 * positive range. */
static double ia_facility(double mean, const struct ia_item *it)
{
	if (isnan(mean))
		return NAN;
	if (it->min_points < 0) {
		double range = it->max_points - it->min_points;
		return range > 0 ? (mean - it->min_points) / range : NAN;
	}
	return it->max_points > 0 ? mean / it->max_points : NAN;
}

/* Pearson correlation from centred sums; NaN when either side is constant
 * (the caller says so, exactly, rather than comparing rounding noise). */
static double ia_corr(double sab, double saa, double sbb, int a_const, int b_const)
{
	if (a_const || b_const || saa <= 0 || sbb <= 0)
		return NAN;
	double r = sab / sqrt(saa * sbb);
	return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* Order of the groups: lower section score first; equal scores by person
 * index (deterministic groups). */
static int ia_row_lt(const struct ia_row *a, const struct ia_row *b)
{
	return a->y < b->y || (a->y == b->y && a->person < b->person);
}

/* Quickselect (median-of-three pivot): afterwards r[k] is the k-th smallest
 * of r[0..n) and nothing before it is larger, nothing after it smaller.
 * O(n) expected; only the groups' membership is needed, not a full sort. */
static void ia_row_select(struct ia_row *r, int64_t n, int64_t k)
{
	int64_t lo = 0, hi = n - 1;
	struct ia_row tmp;
#define IA_SWAP(a, b) (tmp = r[a], r[a] = r[b], r[b] = tmp)
	while (hi > lo) {
		int64_t mid = lo + (hi - lo) / 2;
		if (ia_row_lt(&r[mid], &r[lo]))
			IA_SWAP(mid, lo);
		if (ia_row_lt(&r[hi], &r[lo]))
			IA_SWAP(hi, lo);
		if (ia_row_lt(&r[hi], &r[mid]))
			IA_SWAP(hi, mid);
		struct ia_row pv = r[mid];
		int64_t i = lo, j = hi;
		while (i <= j) {
			while (ia_row_lt(&r[i], &pv))
				i++;
			while (ia_row_lt(&pv, &r[j]))
				j--;
			if (i <= j) {
				IA_SWAP(i, j);
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
#undef IA_SWAP
}

/* The same for times; returns the k-th smallest. */
static int32_t ia_i32_select(int32_t *t, int64_t n, int64_t k)
{
	int64_t lo = 0, hi = n - 1;
	int32_t tmp;
#define IA_SWAP(a, b) (tmp = t[a], t[a] = t[b], t[b] = tmp)
	while (hi > lo) {
		int64_t mid = lo + (hi - lo) / 2;
		if (t[mid] < t[lo])
			IA_SWAP(mid, lo);
		if (t[hi] < t[lo])
			IA_SWAP(hi, lo);
		if (t[hi] < t[mid])
			IA_SWAP(hi, mid);
		int32_t pv = t[mid];
		int64_t i = lo, j = hi;
		while (i <= j) {
			while (t[i] < pv)
				i++;
			while (pv < t[j])
				j--;
			if (i <= j) {
				IA_SWAP(i, j);
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
#undef IA_SWAP
	return t[k];
}

/* Size of each of the upper and lower groups: ceil(UJ_IA_GROUP_FRAC * n),
 * guarded against 0.27 * 900 = 243.00000000000003; 0 below two persons. */
static int64_t ia_group_size(int64_t n)
{
	if (n < 2)
		return 0;
	int64_t g = (int64_t)ceil(UJ_IA_GROUP_FRAC * (double)n - 1e-9);
	if (g < 1)
		g = 1;
	assert(2 * g <= n);
	return g;
}

/* Median (mean of the two middle values for an even count) and the 90th
 * percentile by nearest rank (the ceil(0.9 m)-th smallest) of the known
 * times of rows. */
static void ia_times(const struct ia_item *it, const struct ia_data *d, struct ia_item_stats *out)
{
	int32_t *t = xmalloc((it->n_obs ? it->n_obs : 1) * sizeof *t);
	size_t m = 0;
	for (size_t k = 0; k < it->n_obs; k++) {
		const struct ia_obs *o = &it->obs[k];
		if (o->time_ms < 0 || isnan(d->persons[o->person].section_score[it->section]))
			continue;
		t[m++] = o->time_ms;
	}
	out->time_median_ms = out->time_p90_ms = NAN;
	if (m) {
		int64_t mm = (int64_t)m;
		out->time_p90_ms = ia_i32_select(t, mm, (9 * mm + 9) / 10 - 1);
		double hi = ia_i32_select(t, mm, mm / 2);
		if (m % 2) {
			out->time_median_ms = hi;
		} else { /* the lower middle: the largest below position m/2 */
			int32_t lo = t[0];
			for (size_t k = 1; k < m / 2; k++)
				if (t[k] > lo)
					lo = t[k];
			out->time_median_ms = ((double)lo + hi) / 2;
		}
	}
	free(t);
}

/* Options: share, mean section score of the choosers, option-total
 * point-biserial, shares in the upper and lower groups, and the suspect
 * distractor test. rows hold the lower group first and the upper group last
 * (ia_row_select); g is the group size;
 * my, syy the mean and centred sum of squares of the section scores. */
static void ia_options(const struct ia_item *it, const struct ia_row *rows, int64_t n, int64_t g,
		       double my, double syy, int y_const, struct ia_item_stats *out)
{
	double sum[UJ_OPTIONS_MAX] = { 0 };
	int64_t up[UJ_OPTIONS_MAX] = { 0 }, lo[UJ_OPTIONS_MAX] = { 0 };
	for (int64_t k = 0; k < n; k++) {
		int o = rows[k].option;
		if (o < 0 || o >= it->n_options)
			continue;
		out->opt[o].n++;
		sum[o] += rows[k].y;
		if (k < g)
			lo[o]++;
		if (k >= n - g)
			up[o]++;
	}
	for (int o = 0; o < it->n_options; o++) {
		struct ia_option_stats *os = &out->opt[o];
		int64_t no = os->n;
		os->share = n ? (double)no / (double)n : NAN;
		os->mean_score = no ? sum[o] / (double)no : NAN;
		os->upper_share = g ? (double)up[o] / (double)g : NAN;
		os->lower_share = g ? (double)lo[o] / (double)g : NAN;
		os->r_pb = NAN;
		if (no > 0 && no < n && !y_const && syy > 0) {
			/* r = (M_o - M) / s * sqrt(q / (1 - q)), s the population SD */
			double q = (double)no / (double)n, s = sqrt(syy / (double)n);
			os->r_pb = (os->mean_score - my) / s * sqrt(q / (1 - q));
			if (os->r_pb > 1)
				os->r_pb = 1;
			if (os->r_pb < -1)
				os->r_pb = -1;
		}
		int wrong = it->key >= 0 ? o != it->key : it->opt_points[o] < it->max_points;
		os->flagged = wrong && g && os->upper_share > os->lower_share && os->r_pb > 0;
		if (os->flagged)
			out->flags |= IA_FLAG_DISTRACTOR;
	}
	if (it->key >= 0 && it->key < it->n_options && !isnan(out->opt[it->key].r_pb))
		for (int o = 0; o < it->n_options; o++)
			if (o != it->key && out->opt[o].r_pb > out->opt[it->key].r_pb)
				out->flags |= IA_FLAG_KEY;
}

/* Compute item i's statistics (istat.h). One pass gathers the usable rows,
 * two passes give the moments, two selections by section score the groups. */
int ia_item_compute(const struct ia_data *d, int i, const struct ia_thresholds *t,
		    struct ia_item_stats *out)
{
	if (!d || i < 0 || i >= d->n_items)
		return -1;
	const struct ia_item *it = &d->items[i];
	assert(it->section >= 0 && it->section < d->n_sections);
	assert(it->n_options >= 0 && it->n_options <= UJ_OPTIONS_MAX);
	memset(out, 0, sizeof *out);
	out->weighted = it->key < 0;
	out->key = it->key;
	out->n_options = it->n_options;

	struct ia_row *rows = xmalloc((it->n_obs ? it->n_obs : 1) * sizeof *rows);
	int64_t n = 0, answered = 0;
	for (size_t k = 0; k < it->n_obs; k++) {
		const struct ia_obs *o = &it->obs[k];
		assert(o->person >= 0 && o->person < d->n_persons);
		double y = d->persons[o->person].section_score[it->section];
		if (isnan(y))
			continue;
		rows[n++] = (struct ia_row){ .y = y, .x = o->points, .person = o->person,
					     .option = o->option };
		if (o->option >= 0)
			answered++;
	}
	out->n_presented = n;
	out->n_answered = answered;

	double mx = 0, my = 0;
	for (int64_t k = 0; k < n; k++) {
		mx += rows[k].x;
		my += rows[k].y;
	}
	if (n) {
		mx /= (double)n;
		my /= (double)n;
	}
	double sxx = 0, syy = 0, sxy = 0, szz = 0, sxz = 0;
	int x_const = 1, y_const = 1, z_const = 1;
	for (int64_t k = 0; k < n; k++) {
		double dx = rows[k].x - mx, dy = rows[k].y - my, dz = dy - dx;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
		szz += dz * dz;
		sxz += dx * dz;
		x_const &= rows[k].x == rows[0].x;
		y_const &= rows[k].y == rows[0].y;
		z_const &= rows[k].y - rows[k].x == rows[0].y - rows[0].x;
	}
	out->omit_rate = n ? 1 - (double)answered / (double)n : NAN;
	out->p = n ? ia_facility(mx, it) : NAN;
	out->sd = n ? sqrt(sxx / (double)n) : NAN;
	out->r_pb = n >= 2 ? ia_corr(sxy, sxx, syy, x_const, y_const) : NAN;
	out->r_corrected = n >= 2 ? ia_corr(sxz, sxx, szz, x_const, z_const) : NAN;

	/* rows[0..g) the lower group, rows[n-g..n) the upper (2g <= n) */
	int64_t g = ia_group_size(n);
	if (g) {
		ia_row_select(rows, n, g - 1);
		ia_row_select(rows + g, n - g, n - 2 * g);
	}
	out->n_group = g;
	out->d_index = NAN;
	if (g) {
		double su = 0, sl = 0;
		for (int64_t k = 0; k < g; k++) {
			sl += rows[k].x;
			su += rows[n - 1 - k].x;
		}
		out->d_index = ia_facility(su / (double)g, it) - ia_facility(sl / (double)g, it);
	}
	ia_options(it, rows, n, g, my, syy, y_const, out);
	for (int o = it->n_options; o < UJ_OPTIONS_MAX; o++) {
		out->opt[o].share = out->opt[o].mean_score = out->opt[o].r_pb = NAN;
		out->opt[o].upper_share = out->opt[o].lower_share = NAN;
	}
	ia_times(it, d, out);
	free(rows);

	if (out->p > t->easy_p)
		out->flags |= IA_FLAG_EASY;
	if (out->p < t->hard_p)
		out->flags |= IA_FLAG_HARD;
	if (out->r_corrected < 0)
		out->flags |= IA_FLAG_NEGATIVE;
	else if (out->r_corrected >= 0 && out->r_corrected < t->weak_r)
		out->flags |= IA_FLAG_WEAK;
	if (n < UJ_IA_MIN_N)
		out->flags |= IA_FLAG_FEW;
	return 0;
}

const char *ia_flag_code(unsigned flag)
{
	switch (flag) {
	case IA_FLAG_EASY: return "too_easy";
	case IA_FLAG_HARD: return "too_hard";
	case IA_FLAG_WEAK: return "weak";
	case IA_FLAG_NEGATIVE: return "negative";
	case IA_FLAG_KEY: return "suspect_key";
	case IA_FLAG_DISTRACTOR: return "suspect_distractor";
	case IA_FLAG_FEW: return "few";
	default: return NULL;
	}
}

/* ---- plain-language reasons ------------------------------------------- */

/* v with dec decimals; a decimal comma in Indonesian. */
static const char *ia_num(char *b, size_t n, double v, int dec, int id)
{
	if (isnan(v)) {
		snprintf(b, n, "%s", id ? "t/a" : "n/a");
		return b;
	}
	snprintf(b, n, "%.*f", dec, v);
	if (id)
		for (char *c = b; *c; c++)
			if (*c == '.')
				*c = ',';
	return b;
}

/* A share as a percentage: whole when it rounds to one, else one decimal
 * (so 90.4% is not shown as "90%" next to a limit of 90%). */
static const char *ia_pct(char *b, size_t n, double v, int id)
{
	char num[32];
	double p = v * 100;
	int whole = fabs(p - round(p)) < 0.05;
	snprintf(b, n, "%s%%", ia_num(num, sizeof num, p, whole ? 0 : 1, id));
	return b;
}

static char *ia_text_distractors(const struct ia_item_stats *s, int id, char *buf, size_t len)
{
	size_t used = 0;
	int first = 1;
	buf[0] = '\0';
	used = (size_t)snprintf(buf, len, "%s",
				id ? "Pengecoh bermasalah: " : "Suspect distractor: ");
	for (int o = 0; o < s->n_options && used < len; o++) {
		if (!s->opt[o].flagged)
			continue;
		char u[32], l[32], r[32];
		used += (size_t)snprintf(
			buf + used, len - used,
			id ? "%spilihan %c dipilih %s kelompok atas dan %s kelompok bawah (r = %s)"
			   : "%soption %c was chosen by %s of the upper group and %s of the lower group (r = %s)",
			first ? "" : "; ", 'A' + o, ia_pct(u, sizeof u, s->opt[o].upper_share, id),
			ia_pct(l, sizeof l, s->opt[o].lower_share, id),
			ia_num(r, sizeof r, s->opt[o].r_pb, 2, id));
		first = 0;
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s",
			 id ? ". Kelompok atas/bawah = 27% peserta dengan skor bagian tertinggi/terendah. "
			      "Pengecoh seharusnya lebih banyak dipilih peserta berskor rendah; periksa "
			      "apakah pilihan itu sebenarnya juga benar atau menyesatkan peserta yang "
			      "menguasai materi."
			    : ". Upper/lower group = the 27% of candidates with the highest/lowest section "
			      "score. A wrong option should attract low scorers more; check whether it is "
			      "also correct or misleads candidates who know the material.");
	return buf;
}

static char *ia_text_key(const struct ia_item_stats *s, int id, char *buf, size_t len)
{
	int best = -1;
	for (int o = 0; o < s->n_options; o++)
		if (o != s->key && !isnan(s->opt[o].r_pb) &&
		    (best < 0 || s->opt[o].r_pb > s->opt[best].r_pb))
			best = o;
	if (best < 0 || s->key < 0 || s->key >= s->n_options) {
		snprintf(buf, len, "%s", id ? "Kunci diragukan." : "Suspect key.");
		return buf;
	}
	char rb[32], rk[32];
	ia_num(rb, sizeof rb, s->opt[best].r_pb, 2, id);
	ia_num(rk, sizeof rk, s->opt[s->key].r_pb, 2, id);
	snprintf(buf, len,
		 id ? "Kunci diragukan: pilihan %c (bukan kunci) berkorelasi lebih tinggi dengan skor "
		      "bagian (r = %s) daripada kunci %c (r = %s). Peserta berskor tinggi cenderung "
		      "memilih %c; periksa apakah kunci salah atau %c juga benar."
		    : "Suspect key: option %c (not the key) correlates more with the section score "
		      "(r = %s) than the key %c (r = %s). High scorers tend to choose %c; check whether "
		      "the key is wrong or %c is also correct.",
		 'A' + best, rb, 'A' + s->key, rk, 'A' + best, 'A' + best);
	return buf;
}

/* The reason for one flag (istat.h). */
char *ia_flag_text(unsigned flag, const struct ia_item_stats *s, const struct ia_thresholds *t,
		   const char *lang, char *buf, size_t len)
{
	int id = !(lang && strcmp(lang, "en") == 0);
	char a[32], b[32];
	if (!len)
		return buf;
	buf[0] = '\0';
	switch (flag) {
	case IA_FLAG_EASY:
		ia_pct(a, sizeof a, s->p, id);
		ia_pct(b, sizeof b, t->easy_p, id);
		if (s->weighted)
			snprintf(buf, len,
				 id ? "Terlalu mudah: rata-rata skor soal %s dari skor maksimumnya (batas "
				      "%s). Hampir semua peserta memilih jawaban berskor tinggi, sehingga soal "
				      "tidak membedakan peserta; buat pilihan lain lebih masuk akal."
				    : "Too easy: the mean score is %s of the item's maximum (limit %s). Almost "
				      "every candidate picks a high-scoring option, so the item does not "
				      "separate candidates; make the other options more plausible.",
				 a, b);
		else
			snprintf(buf, len,
				 id ? "Terlalu mudah: %s peserta menjawab benar (batas %s). Soal hampir "
				      "tidak membedakan peserta yang menguasai materi dari yang tidak; "
				      "pertimbangkan pengecoh yang lebih masuk akal atau soal yang lebih "
				      "menantang."
				    : "Too easy: %s of candidates answered correctly (limit %s). The item "
				      "hardly separates candidates who know the material from those who do "
				      "not; consider more plausible distractors or a more demanding item.",
				 a, b);
		break;
	case IA_FLAG_HARD:
		ia_pct(a, sizeof a, s->p, id);
		ia_pct(b, sizeof b, t->hard_p, id);
		if (s->weighted)
			snprintf(buf, len,
				 id ? "Terlalu sulit: rata-rata skor soal hanya %s dari skor maksimumnya "
				      "(batas %s). Periksa bobot tiap pilihan dan kejelasan kalimat soal."
				    : "Too hard: the mean score is only %s of the item's maximum (limit %s). "
				      "Check the points of each option and the wording.",
				 a, b);
		else
			snprintf(buf, len,
				 id ? "Terlalu sulit: hanya %s peserta menjawab benar (batas %s). Periksa "
				      "kunci jawaban, kejelasan kalimat soal, dan apakah materinya memang "
				      "pantas diharapkan dari peserta."
				    : "Too hard: only %s of candidates answered correctly (limit %s). Check "
				      "the key, the wording, and whether the content is really expected of "
				      "candidates.",
				 a, b);
		break;
	case IA_FLAG_WEAK:
		ia_num(a, sizeof a, s->r_corrected, 2, id);
		ia_num(b, sizeof b, t->weak_r, 2, id);
		snprintf(buf, len,
			 id ? "Daya beda lemah: korelasi skor soal dengan skor bagian (tanpa soal ini) r = "
			      "%s (batas %s). Peserta berskor tinggi hampir tidak lebih sering menjawab "
			      "benar daripada peserta berskor rendah; periksa apakah soal ambigu atau "
			      "mengukur hal lain."
			    : "Weak discrimination: the item's correlation with the section score (without "
			      "this item) is r = %s (limit %s). High scorers do barely better on it than low "
			      "scorers; check whether it is ambiguous or measures something else.",
			 a, b);
		break;
	case IA_FLAG_NEGATIVE:
		ia_num(a, sizeof a, s->r_corrected, 2, id);
		snprintf(buf, len,
			 id ? "Daya beda negatif: r = %s. Peserta berskor rendah justru lebih sering "
			      "mendapat skor baik pada soal ini daripada peserta berskor tinggi. Periksa "
			      "kunci jawaban dan kalimat soal; jangan pakai soal ini sebelum diperbaiki."
			    : "Negative discrimination: r = %s. Low scorers do better on this item than high "
			      "scorers. Check the key and the wording; do not use the item until it is "
			      "fixed.",
			 a);
		break;
	case IA_FLAG_KEY:
		return ia_text_key(s, id, buf, len);
	case IA_FLAG_DISTRACTOR:
		return ia_text_distractors(s, id, buf, len);
	case IA_FLAG_FEW:
		snprintf(buf, len,
			 id ? "Data sedikit: soal ini baru disajikan kepada %lld peserta (minimal %d). "
			      "Statistiknya belum dapat diandalkan."
			    : "Few data: the item was presented to only %lld candidates (at least %d "
			      "needed). Its statistics are not reliable yet.",
			 (long long)s->n_presented, UJ_IA_MIN_N);
		break;
	default:
		break;
	}
	return buf;
}
