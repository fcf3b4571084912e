/* report.c - the analysis document (include/analysis/report.h): istat per
 * item, tstat per section and total with the pass rules' thresholds, as
 * JSON or CSV. */
#include "analysis/report.h"
#include "core/csv.h"
#include "core/mem.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

char ar_letter(int o)
{
	assert(o >= 0 && o < UJ_OPTIONS_MAX);
	return (char)('A' + o);
}

const char *ar_item_type(const struct ia_item *it)
{
	return it->key >= 0 ? "right_wrong" : "weighted";
}

/* The score of person p in block b (a section, or the total). */
static double ar_score(const struct ia_data *d, int p, int section)
{
	return section >= 0 ? d->persons[p].section_score[section] : d->persons[p].total;
}

/* The thresholds of block b: each pass rule with a minimum for its section
 * (exam section es, -1: the total), counted over the rule's track. */
static void ar_thresholds(const struct adata *a, struct ar_block *b, int es)
{
	const struct exam_def *def = a->exams[0].def;
	double *scores = xmalloc((size_t)(a->d.n_persons ? a->d.n_persons : 1) * sizeof *scores);

	for (int r = 0; r < def->n_rules; r++) {
		const struct pass_rule *rule = &def->rules[r];
		struct ar_threshold *t;
		int have = 0, min = 0, n = 0;
		if (es < 0) {
			have = rule->has_total;
			min = rule->total;
		} else {
			for (int k = 0; k < rule->n_min; k++)
				if (rule->min_section[k] == es) {
					have = 1;
					min = rule->min_value[k];
				}
		}
		if (!have)
			continue;
		for (int p = 0; p < a->d.n_persons; p++) {
			double x = ar_score(&a->d, p, b->section);
			if (a->person_rule[p] == r && !isnan(x))
				scores[n++] = x;
		}
		t = &b->thr[b->n_thr++];
		t->track = rule->track;
		t->min = min;
		t->n_track = n;
		t->n_within = ts_within_sem(scores, n, min, b->st.sem);
	}
	free(scores);
}

int ar_compute(const struct adata *a, int exam_scope, const struct ia_thresholds *t,
	       struct ar_report *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->a = a;
	r->t = *t;
	r->exam_scope = exam_scope;
	assert(!exam_scope || a->n_exams == 1);
	r->items = xcalloc((size_t)(a->d.n_items ? a->d.n_items : 1), sizeof *r->items);
	for (int i = 0; i < a->d.n_items; i++)
		if (ia_item_compute(&a->d, i, t, &r->items[i])) {
			snprintf(err, errlen, "item %s: statistics failed", a->d.items[i].item_code);
			ar_free(r);
			return -1;
		}
	if (!exam_scope)
		return 0;
	/* the exam's sections in its order, then the total */
	for (int s = 0; s < a->exams[0].def->n_sections; s++) {
		int k = -1;
		for (int j = 0; j < a->d.n_sections; j++)
			if (strcmp(a->d.sections[j].code, a->exams[0].def->sec[s].code) == 0)
				k = j;
		if (k < 0)
			continue;
		r->blocks[r->n_blocks].section = k;
		if (ts_compute(&a->d, k, &r->blocks[r->n_blocks].st))
			goto fail;
		ar_thresholds(a, &r->blocks[r->n_blocks], s);
		r->n_blocks++;
	}
	r->blocks[r->n_blocks].section = -1;
	if (ts_compute(&a->d, -1, &r->blocks[r->n_blocks].st))
		goto fail;
	ar_thresholds(a, &r->blocks[r->n_blocks], -1);
	r->n_blocks++;
	return 0;
fail:
	snprintf(err, errlen, "test statistics failed (out of memory)");
	ar_free(r);
	return -1;
}

void ar_free(struct ar_report *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}

/* ---- JSON ----------------------------------------------------------------- */

/* v rounded to dec decimals, or null when undefined. */
static json_t *ar_num(double v, int dec)
{
	double f = dec == 1 ? 10 : dec == 2 ? 100 : 10000;
	if (!isfinite(v))
		return json_null();
	return json_real(round(v * f) / f);
}

/* Milliseconds as seconds with one decimal, or null. */
static json_t *ar_secs(double ms)
{
	return isfinite(ms) && ms >= 0 ? json_real(round(ms / 100.0) / 10.0) : json_null();
}

static json_t *ar_block_json(const struct ar_report *r, const struct ar_block *b)
{
	const struct ia_section *sec = b->section >= 0 ? &r->a->d.sections[b->section] : NULL;
	const struct ts_stats *st = &b->st;
	json_t *o = json_object(), *counts = json_array(), *thr = json_array();

	json_object_set_new(o, "code", sec ? json_string(sec->code) : json_null());
	json_object_set_new(o, "title", json_string(sec ? sec->title : "Total"));
	json_object_set_new(o, "n", json_integer(st->n));
	json_object_set_new(o, "items_per_paper", json_integer(st->items_per_paper));
	json_object_set_new(o, "max_score", ar_num(st->max_score, 2));
	json_object_set_new(o, "mean", ar_num(st->mean, 2));
	json_object_set_new(o, "sd", ar_num(st->sd, 2));
	json_object_set_new(o, "skewness", ar_num(st->skewness, 4));
	json_object_set_new(o, "kurtosis", ar_num(st->kurtosis, 4));
	json_object_set_new(o, "min", ar_num(st->min, 2));
	json_object_set_new(o, "max", ar_num(st->max, 2));
	json_object_set_new(o, "alpha", ar_num(st->alpha, 4));
	json_object_set_new(o, "alpha_method", json_string(st->alpha_method ? st->alpha_method : ""));
	json_object_set_new(o, "sem", ar_num(st->sem, 2));
	for (int h = 0; h < UJ_IA_HIST_BINS; h++)
		json_array_append_new(counts, json_integer(st->hist[h]));
	json_object_set_new(o, "histogram",
			    json_pack("{s:o,s:o,s:o}", "lo", ar_num(st->hist_lo, 4), "width",
				      ar_num(st->hist_width, 4), "counts", counts));
	for (int k = 0; k < b->n_thr; k++) {
		const struct ar_threshold *t = &b->thr[k];
		json_array_append_new(
			thr, json_pack("{s:s,s:i,s:I,s:I,s:o}", "track", t->track, "min", t->min,
				       "n_track", (json_int_t)t->n_track, "n_within",
				       (json_int_t)t->n_within, "within_sem",
				       t->n_track ? ar_num((double)t->n_within / (double)t->n_track, 4)
						  : json_null()));
	}
	json_object_set_new(o, "thresholds", thr);
	return o;
}

static json_t *ar_item_json(const struct ar_report *r, int i)
{
	const struct ia_item *it = &r->a->d.items[i];
	const struct ia_item_stats *s = &r->items[i];
	json_t *o = json_object(), *opts = json_array(), *flags = json_array();

	json_object_set_new(o, "item_id", json_integer(it->item_id));
	json_object_set_new(o, "item_code", json_string(it->item_code));
	json_object_set_new(o, "section", json_string(r->a->d.sections[it->section].code));
	json_object_set_new(o, "type", json_string(ar_item_type(it)));
	json_object_set_new(o, "key", it->key >= 0 ? json_integer(it->key) : json_null());
	json_object_set_new(o, "n_presented", json_integer(s->n_presented));
	json_object_set_new(o, "n_answered", json_integer(s->n_answered));
	json_object_set_new(o, "omit_rate", ar_num(s->omit_rate, 4));
	json_object_set_new(o, "p", ar_num(s->p, 4));
	json_object_set_new(o, "sd", ar_num(s->sd, 4));
	json_object_set_new(o, "r_pb", ar_num(s->r_pb, 4));
	json_object_set_new(o, "r_corrected", ar_num(s->r_corrected, 4));
	json_object_set_new(o, "d", ar_num(s->d_index, 4));
	json_object_set_new(o, "time_median_s", ar_secs(s->time_median_ms));
	json_object_set_new(o, "time_p90_s", ar_secs(s->time_p90_ms));
	for (int k = 0; k < it->n_options; k++) {
		const struct ia_option_stats *op = &s->opt[k];
		char letter[2] = { ar_letter(k), '\0' };
		json_t *x = json_object();
		json_object_set_new(x, "index", json_integer(k));
		json_object_set_new(x, "letter", json_string(letter));
		json_object_set_new(x, "points", ar_num(it->opt_points[k], 2));
		json_object_set_new(x, "n", json_integer(op->n));
		json_object_set_new(x, "share", ar_num(op->share, 4));
		json_object_set_new(x, "mean_score", ar_num(op->mean_score, 2));
		json_object_set_new(x, "r_pb", ar_num(op->r_pb, 4));
		json_object_set_new(x, "upper_share", ar_num(op->upper_share, 4));
		json_object_set_new(x, "lower_share", ar_num(op->lower_share, 4));
		json_object_set_new(x, "flagged", json_boolean(op->flagged));
		json_array_append_new(opts, x);
	}
	json_object_set_new(o, "options", opts);
	for (int f = 0; f < IA_FLAG_COUNT; f++)
		if (s->flags & (1u << f))
			json_array_append_new(flags, json_string(ia_flag_code(1u << f)));
	json_object_set_new(o, "flags", flags);
	return o;
}

json_t *ar_json(const struct ar_report *r, int64_t generated_at)
{
	const struct adata *a = r->a;
	json_t *doc = json_object(), *items = json_array();
	const char *src = adata_time_source_name(a->time_source);

	json_object_set_new(doc, "exam", r->exam_scope ? json_string(a->exams[0].code) : json_null());
	json_object_set_new(doc, "title",
			    json_string(r->exam_scope ? a->exams[0].title : a->bank_title));
	json_object_set_new(doc, "bank", json_string(a->bank_code));
	json_object_set_new(doc, "bank_version", json_integer(a->bank_version_no));
	json_object_set_new(doc, "generated_at", json_integer(generated_at));
	json_object_set_new(doc, "n_candidates", json_integer(a->d.n_persons));
	json_object_set_new(doc, "thresholds",
			    json_pack("{s:o,s:o,s:o,s:i}", "easy", ar_num(r->t.easy_p, 4), "hard",
				      ar_num(r->t.hard_p, 4), "weak", ar_num(r->t.weak_r, 4), "min_n",
				      UJ_IA_MIN_N));
	json_object_set_new(doc, "time_source", src ? json_string(src) : json_null());
	json_object_set_new(doc, "n_rescored", json_integer(a->n_rescored));
	if (r->exam_scope) {
		json_t *secs = json_array();
		for (int b = 0; b + 1 < r->n_blocks; b++)
			json_array_append_new(secs, ar_block_json(r, &r->blocks[b]));
		json_object_set_new(doc, "test",
				    json_pack("{s:o,s:o}", "sections", secs, "total",
					      ar_block_json(r, &r->blocks[r->n_blocks - 1])));
	} else {
		json_t *ex = json_array();
		for (int e = 0; e < a->n_exams; e++)
			json_array_append_new(ex, json_pack("{s:s,s:s,s:i}", "code", a->exams[e].code,
							    "title", a->exams[e].title,
							    "n_candidates", a->exams[e].n_persons));
		json_object_set_new(doc, "exams", ex);
	}
	for (int i = 0; i < a->d.n_items; i++)
		json_array_append_new(items, ar_item_json(r, i));
	json_object_set_new(doc, "items", items);
	return doc;
}

/* ---- CSV -------------------------------------------------------------------- */

/* A decimal cell: empty when undefined; a comma for the decimal point when
 * the separator is ';'. */
static void ar_csv_num(FILE *out, double v, int dec, char sep)
{
	char buf[64];
	if (!isfinite(v))
		return;
	snprintf(buf, sizeof buf, "%.*f", dec, v);
	if (strcmp(buf, "-0.0") == 0 || strcmp(buf, "-0.0000") == 0)
		memmove(buf, buf + 1, strlen(buf));
	if (sep == ';')
		for (char *c = buf; *c; c++)
			if (*c == '.')
				*c = ',';
	fputs(buf, out);
}

void ar_csv(const struct ar_report *r, char sep, FILE *out)
{
	static const char *const head[] = { "kode_soal", "bagian",	    "jenis",   "n_disajikan",
					    "n_dijawab", "tidak_dijawab", "p",       "sd",
					    "r_pb",      "r_terkoreksi",  "d",       "median_detik",
					    "p90_detik", "kunci",	    "A",       "B",
					    "C",	 "D",		    "E",       "F",
					    "tanda" };
	const struct ia_data *d = &r->a->d;

	assert(sep == ',' || sep == ';');
	fputs("\xEF\xBB\xBF", out);
	for (size_t c = 0; c < sizeof head / sizeof *head; c++) {
		if (c)
			fputc(sep, out);
		csv_write_cell(out, head[c], sep);
	}
	fputs("\r\n", out);
	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		const struct ia_item_stats *s = &r->items[i];
		char flags[256] = "", key[2] = { it->key >= 0 ? ar_letter(it->key) : '\0', '\0' };
		csv_write_cell(out, it->item_code, sep);
		fputc(sep, out);
		csv_write_cell(out, d->sections[it->section].code, sep);
		fputc(sep, out);
		csv_write_cell(out, it->key >= 0 ? "benar_salah" : "berbobot", sep);
		fprintf(out, "%c%lld%c%lld%c", sep, (long long)s->n_presented, sep,
			(long long)s->n_answered, sep);
		ar_csv_num(out, s->omit_rate, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->p, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->sd, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->r_pb, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->r_corrected, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->d_index, 4, sep);
		fputc(sep, out);
		ar_csv_num(out, s->time_median_ms >= 0 ? s->time_median_ms / 1000 : NAN, 1, sep);
		fputc(sep, out);
		ar_csv_num(out, s->time_p90_ms >= 0 ? s->time_p90_ms / 1000 : NAN, 1, sep);
		fputc(sep, out);
		csv_write_cell(out, key, sep);
		for (int k = 0; k < UJ_OPTIONS_MAX; k++) {
			fputc(sep, out);
			if (k < it->n_options)
				ar_csv_num(out, s->opt[k].share, 4, sep);
		}
		fputc(sep, out);
		for (int f = 0; f < IA_FLAG_COUNT; f++)
			if (s->flags & (1u << f)) {
				if (flags[0])
					strncat(flags, " ", sizeof flags - strlen(flags) - 1);
				strncat(flags, ia_flag_code(1u << f), sizeof flags - strlen(flags) - 1);
			}
		csv_write_cell(out, flags, sep);
		fputs("\r\n", out);
	}
}
