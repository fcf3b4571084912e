/* cmd_analysis.c - 'ujian analysis': the item and test analysis of an exam
 * or of a bank, as a readable text (a table per section and the flagged
 * items with their reasons), CSV or JSON (the API's documents). Reads the
 * database read-only; runs beside a serving server. */
#include "analysis/adata.h"
#include "analysis/report.h"
#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char analysis_usage[] =
	"usage: ujian analysis --db FILE (--exam CODE | --bank CODE) [--format text|csv|json]\n"
	"                      [--easy P] [--hard P] [--weak R] [--sep ,|;] [--lang id|en]\n";

/* The words of the text format, by language (0 id, 1 en). */
enum { W_TITLE, W_BANK, W_VERSION, W_CAND, W_TIME, W_SECTION, W_MEAN, W_RANGE, W_ALPHA,
       W_THRESH, W_WITHIN, W_FLAGGED, W_NONE, W_TRACK, W_EXAMS, W_RESCORED, W_TIME_ANSWERS,
       W_COUNT };
static const char *const analysis_words[2][W_COUNT] = {
	{ "Analisis butir", "bank", "versi", "peserta", "sumber waktu", "Bagian", "rerata",
	  "rentang", "reliabilitas (alpha)", "Ambang", "dalam 1 SEM", "Butir yang ditandai",
	  "Tidak ada butir yang ditandai.", "jalur", "Ujian", "peserta dengan skor tersimpan yang "
	  "tidak sama dengan jumlah poin jawabannya (skor tersimpan dipakai)",
	  "waktu per butir diperkirakan dari waktu jawaban (tanpa catatan perpindahan soal)" },
	{ "Item analysis", "bank", "version", "candidates", "time source", "Section", "mean",
	  "range", "reliability (alpha)", "Threshold", "within 1 SEM", "Flagged items",
	  "No item is flagged.", "track", "Exams", "candidates whose stored score differs from "
	  "the points of their answers (the stored score is used)",
	  "time per item estimated from the answers' times (no navigation log)" },
};

/* A number for the text format: "-" when undefined. */
static const char *analysis_fmt(char *buf, size_t len, double v, int dec)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", dec, v);
	return buf;
}

static void analysis_block_text(const struct ar_report *r, const struct ar_block *b, int en,
				FILE *out)
{
	const char *const *w = analysis_words[en];
	const struct ts_stats *s = &b->st;
	char x[6][32];

	if (b->section >= 0)
		fprintf(out, "%s %s (%s)\n", w[W_SECTION], r->a->d.sections[b->section].code,
			r->a->d.sections[b->section].title);
	else
		fprintf(out, "Total\n");
	fprintf(out, "  n %d, %s %s, SD %s, %s %s-%s (maks %s)\n", s->n, w[W_MEAN],
		analysis_fmt(x[0], 32, s->mean, 2), analysis_fmt(x[1], 32, s->sd, 2), w[W_RANGE],
		analysis_fmt(x[2], 32, s->min, 0), analysis_fmt(x[3], 32, s->max, 0),
		analysis_fmt(x[4], 32, s->max_score, 0));
	fprintf(out, "  skewness %s, kurtosis %s, %s %s (%s, k = %d), SEM %s\n",
		analysis_fmt(x[0], 32, s->skewness, 2), analysis_fmt(x[1], 32, s->kurtosis, 2),
		w[W_ALPHA], analysis_fmt(x[2], 32, s->alpha, 3), s->alpha_method, s->items_per_paper,
		analysis_fmt(x[3], 32, s->sem, 2));
	for (int k = 0; k < b->n_thr; k++) {
		const struct ar_threshold *t = &b->thr[k];
		fprintf(out, "  %s %s %s %d: %lld/%lld %s\n", w[W_THRESH], w[W_TRACK], t->track,
			t->min, (long long)t->n_within, (long long)t->n_track, w[W_WITHIN]);
	}
}

/* The items of section k as a table. */
static void analysis_items_text(const struct ar_report *r, int k, FILE *out)
{
	const struct ia_data *d = &r->a->d;
	char x[8][32];
	int any = 0;

	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		const struct ia_item_stats *s = &r->items[i];
		char opts[64] = "";
		if (it->section != k)
			continue;
		if (!any++)
			fprintf(out, "  %-16s %6s %6s %6s %6s %6s %7s %7s  %-4s %s\n", "item", "n", "p",
				"r_pb", "r_cor", "D", "med_s", "p90_s", "key", "A..F %");
		for (int o = 0; o < it->n_options; o++) {
			char one[12];
			snprintf(one, sizeof one, "%s%.0f", o ? " " : "",
				 isfinite(s->opt[o].share) ? 100 * s->opt[o].share : 0.0);
			strncat(opts, one, sizeof opts - strlen(opts) - 1);
		}
		fprintf(out, "  %-16s %6lld %6s %6s %6s %6s %7s %7s  %-4c %s\n", it->item_code,
			(long long)s->n_presented, analysis_fmt(x[0], 32, s->p, 2),
			analysis_fmt(x[1], 32, s->r_pb, 2), analysis_fmt(x[2], 32, s->r_corrected, 2),
			analysis_fmt(x[3], 32, s->d_index, 2),
			analysis_fmt(x[4], 32, s->time_median_ms / 1000, 1),
			analysis_fmt(x[5], 32, s->time_p90_ms / 1000, 1),
			it->key >= 0 ? ar_letter(it->key) : '-', opts);
	}
}

static void analysis_text(const struct ar_report *r, const char *lang, FILE *out)
{
	int en = strcmp(lang, "en") == 0;
	const char *const *w = analysis_words[en];
	const struct adata *a = r->a;
	const char *src = adata_time_source_name(a->time_source);
	char buf[UJ_IA_FLAG_TEXT];
	int n_flagged = 0;

	fprintf(out, "%s: %s (%s)\n", w[W_TITLE], r->exam_scope ? a->exams[0].code : a->bank_code,
		r->exam_scope ? a->exams[0].title : a->bank_title);
	fprintf(out, "%s %s %s %d; %d %s; %s: %s\n", w[W_BANK], a->bank_code, w[W_VERSION],
		a->bank_version_no, a->d.n_persons, w[W_CAND], w[W_TIME], src ? src : "-");
	if (a->time_source == ADATA_TIME_ANSWERS || a->time_source == ADATA_TIME_MIXED)
		fprintf(out, "(%s)\n", w[W_TIME_ANSWERS]);
	if (a->n_rescored)
		fprintf(out, "! %d %s\n", a->n_rescored, w[W_RESCORED]);
	if (!r->exam_scope) {
		fprintf(out, "%s:", w[W_EXAMS]);
		for (int e = 0; e < a->n_exams; e++)
			fprintf(out, "%s %s (%d)", e ? "," : "", a->exams[e].code, a->exams[e].n_persons);
		fputc('\n', out);
	}
	fputc('\n', out);
	if (r->exam_scope) {
		for (int b = 0; b < r->n_blocks; b++) {
			analysis_block_text(r, &r->blocks[b], en, out);
			if (r->blocks[b].section >= 0)
				analysis_items_text(r, r->blocks[b].section, out);
			fputc('\n', out);
		}
	} else {
		for (int k = 0; k < a->d.n_sections; k++) {
			fprintf(out, "%s %s (%s)\n", w[W_SECTION], a->d.sections[k].code,
				a->d.sections[k].title);
			analysis_items_text(r, k, out);
			fputc('\n', out);
		}
	}
	fprintf(out, "%s\n", w[W_FLAGGED]);
	for (int i = 0; i < a->d.n_items; i++) {
		const struct ia_item_stats *s = &r->items[i];
		for (int f = 0; f < IA_FLAG_COUNT; f++)
			if (s->flags & (1u << f)) {
				fprintf(out, "  %s [%s]: %s\n", a->d.items[i].item_code,
					ia_flag_code(1u << f),
					ia_flag_text(1u << f, s, &r->t, lang, buf, sizeof buf));
				n_flagged++;
			}
	}
	if (!n_flagged)
		fprintf(out, "  %s\n", w[W_NONE]);
}

/* A threshold option: a number in [0, 1]. -1 after a message. */
static int analysis_share(const char *opt, const char *v, double *out)
{
	char *end;
	double x;
	if (!v)
		return 0;
	x = strtod(v, &end);
	if (!*v || *end || !(x >= 0 && x <= 1)) {
		fprintf(stderr, "ujian analysis: --%s must be a number from 0 to 1, not \"%s\"\n", opt, v);
		return -1;
	}
	*out = x;
	return 0;
}

/* The id of exam code, or 0 after a message. */
static int64_t analysis_exam_id(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM exams WHERE code = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!id)
		fprintf(stderr, "ujian analysis: no such exam \"%s\" (see 'ujian exam list')\n", code);
	return id;
}

int cmd_analysis(int argc, char **argv)
{
	const char *cmd = "analysis", *dbp = NULL, *exam = NULL, *bank = NULL, *format = "text";
	const char *easy = NULL, *hard = NULL, *weak = NULL, *lang = "id", *sep = ",";
	struct cli_opt o[] = { { "db", &dbp, NULL },	   { "exam", &exam, NULL },
			       { "bank", &bank, NULL },	   { "format", &format, NULL },
			       { "easy", &easy, NULL },	   { "hard", &hard, NULL },
			       { "weak", &weak, NULL },	   { "lang", &lang, NULL },
			       { "sep", &sep, NULL },	   { NULL, NULL, NULL } };
	struct ia_thresholds t;
	struct adata a;
	struct ar_report r;
	int64_t bank_id = 0, exam_id = 0, cur;
	char err[1024];
	sqlite3 *db = NULL;
	int rc = 1, loaded = 0;

	ia_thresholds_default(&t);
	if (cli_parse(cmd, argc, argv, 2, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    (!exam && !bank) || (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) ||
	    (strcmp(lang, "id") && strcmp(lang, "en")) || (strcmp(sep, ",") && strcmp(sep, ";"))) {
		if (!exam && !bank && dbp)
			fprintf(stderr, "ujian analysis: --exam or --bank is required\n");
		fputs(analysis_usage, stderr);
		return 2;
	}
	ia_thresholds_default(&t);
	if (analysis_share("easy", easy, &t.easy_p) || analysis_share("hard", hard, &t.hard_p) ||
	    analysis_share("weak", weak, &t.weak_r)) {
		fputs(analysis_usage, stderr);
		return 2;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		return 1;
	if (bank && !(bank_id = catalog_bank_id(db, bank, &cur))) {
		fprintf(stderr, "ujian analysis: no such bank \"%s\" (see 'ujian bank list')\n", bank);
		goto out;
	}
	if (exam && !(exam_id = analysis_exam_id(db, exam)))
		goto out;
	if (adata_load(db, bank_id, exam_id, &a, err, sizeof err)) {
		fprintf(stderr, "ujian analysis: %s\n", err);
		goto out;
	}
	loaded = 1;
	if (ar_compute(&a, exam_id != 0, &t, &r, err, sizeof err)) {
		fprintf(stderr, "ujian analysis: %s\n", err);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		json_t *doc = ar_json(&r, clock_now_ms() / 1000);
		rc = json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0;
		fputc('\n', stdout);
		json_decref(doc);
	} else if (strcmp(format, "csv") == 0) {
		ar_csv(&r, sep[0], stdout);
		rc = 0;
	} else {
		analysis_text(&r, lang, stdout);
		rc = 0;
	}
	ar_free(&r);
	if (fflush(stdout) != 0)
		rc = 1;
out:
	if (loaded)
		adata_free(&a);
	db_close(db);
	return rc;
}
