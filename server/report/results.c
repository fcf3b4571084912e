/* results.c - ranking attempts and writing them out as CSV, JSON or xlsx.
 *
 * One table feeds every format: results_load reads and orders the rows,
 * results_cells turns a row into typed cells (text, number, time, empty) and
 * each writer renders the cells. */
#include "report/results.h"
#include "catalog/catalog.h"
#include "catalog/exam.h"
#include "core/csv.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "exam/ranking.h"
#include "store/db.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* A disqualified attempt keeps its scores for the record but is never
 * ranked or passing: it is listed after the ranked ones, marked DIS. */
enum res_status { ST_FINISHED, ST_DISQUALIFIED, ST_UNFINISHED, ST_NOT_STARTED, ST_ABSENT, ST_MAX };

/* What a committee reads, by language (RESULTS_LANG_ID, RESULTS_LANG_EN). */
static const char *const res_status_words[2][ST_MAX] = {
	{ "selesai", "diskualifikasi", "belum selesai", "belum mulai", "tidak hadir" },
	{ "finished", "disqualified", "unfinished", "not started", "absent" },
};
/* JSON: codes, the same in every language. */
static const char *const res_status_codes[ST_MAX] = { "finished", "disqualified", "in_progress",
						      "not_started", "absent" };

/* How an attempt ended, for a reader of the Indonesian export. */
static const char *results_reason_id(const char *reason)
{
	static const char *const map[][2] = { { "time_up", "waktu habis" },
					      { "submitted", "dikumpulkan" },
					      { "proctor", "diakhiri pengawas" },
					      { "disqualified", "didiskualifikasi" } };
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(reason, map[i][0]) == 0)
			return map[i][1];
	return reason;
}

struct result_row {
	char *regno, *name, *track, *reason;
	int score[UJ_SECTIONS_MAX];
	int total, passed, rank;
	int64_t finished_at;
	enum res_status st;
};

/* The rows of one export, in output order: ranked finished attempts, then
 * (with all) the others by status and registration number. */
struct results {
	struct exam_def ex;
	struct result_row *rows;
	size_t n;
};

enum cell_kind { CELL_EMPTY, CELL_TEXT, CELL_NUM, CELL_TIME };

struct cell {
	enum cell_kind kind;
	const char *s;
	long long num;
	int64_t ms;
};

#define RES_COLS_MAX (UJ_SECTIONS_MAX + 10)

void results_opts_default(struct results_opts *o)
{
	o->format = RESULTS_CSV;
	o->sep = ',';
	o->lang = RESULTS_LANG_ID;
	o->all = 0;
}

/* Fill row->score from stored scores_json by section code. */
static int results_scores(const struct exam_def *ex, const char *js, struct result_row *row)
{
	char why[128];
	json_t *j = js ? jc_parse(js, strlen(js), why, sizeof why) : NULL, *e;
	size_t i;
	if (!j || !json_is_array(j)) {
		json_decref(j);
		return -1;
	}
	json_array_foreach(j, i, e) {
		const char *code = json_string_value(json_object_get(e, "code"));
		for (int s = 0; code && s < ex->n_sections; s++)
			if (strcmp(ex->sec[s].code, code) == 0)
				row->score[s] = (int)json_integer_value(json_object_get(e, "score"));
	}
	json_decref(j);
	return 0;
}

static const char *results_col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

static int results_cmp_rest(const void *a, const void *b)
{
	const struct result_row *x = a, *y = b;
	if (x->st != y->st)
		return x->st < y->st ? -1 : 1;
	return strcmp(x->regno, y->regno);
}

static void results_free(struct results *R)
{
	for (size_t i = 0; i < R->n; i++) {
		free(R->rows[i].regno);
		free(R->rows[i].name);
		free(R->rows[i].track);
		free(R->rows[i].reason);
	}
	free(R->rows);
	R->rows = NULL;
	R->n = 0;
}

/* Read and order the rows of exam_code in one read transaction. Returns 0,
 * or -1 with err (and R empty). */
static int results_load(sqlite3 *db, const char *exam_code, int all, struct results *R,
			char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct result_row *rows = NULL;
	struct rank_row *rank = NULL;
	size_t n = 0, cap = 0, nfin = 0, k;
	int64_t exam_id;
	char why[512];
	int rc = -1;

	memset(R, 0, sizeof *R);
	if (db_exec(db, "BEGIN", err, errlen))
		return -1;
	if (catalog_read_exam(db, exam_code, &exam_id, NULL, &R->ex, why, sizeof why)) {
		snprintf(err, errlen, "--exam %s: %s", exam_code, why);
		goto out;
	}
	if (!(st = db_prepare(db,
			      "SELECT c.registration_no, c.name, c.track, a.status, a.scores_json,"
			      " a.total, a.passed, a.finish_reason, a.finished_at,"
			      " EXISTS (SELECT 1 FROM sessions s WHERE s.candidate_id = c.id)"
			      " FROM candidates c LEFT JOIN attempts a ON a.candidate_id = c.id"
			      " WHERE c.exam_id = ?",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 3);
		struct result_row *r;
		enum res_status s;

		const char *ended = (const char *)sqlite3_column_text(st, 7);
		if (status && strcmp(status, "finished") == 0)
			s = ended && strcmp(ended, "disqualified") == 0 ? ST_DISQUALIFIED : ST_FINISHED;
		else if (status)
			s = ST_UNFINISHED;
		else if (sqlite3_column_int(st, 9))
			s = ST_NOT_STARTED;
		else
			s = ST_ABSENT;
		if (s != ST_FINISHED && s != ST_DISQUALIFIED && !all)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->st = s;
		r->regno = xstrdup(results_col_text(st, 0));
		r->name = xstrdup(results_col_text(st, 1));
		r->track = xstrdup(results_col_text(st, 2));
		r->reason = xstrdup(results_col_text(st, 7));
		if (s != ST_FINISHED && s != ST_DISQUALIFIED)
			continue;
		nfin += s == ST_FINISHED;
		r->total = sqlite3_column_int(st, 5);
		r->passed = sqlite3_column_int(st, 6);
		r->finished_at = sqlite3_column_int64(st, 8);
		if (results_scores(&R->ex, (const char *)sqlite3_column_text(st, 4), r)) {
			snprintf(err, errlen, "candidate %s: stored scores are unreadable", r->regno);
			goto out;
		}
	}
	/* Finished attempts in ranking order first, then the rest. */
	rank = xcalloc(nfin ? nfin : 1, sizeof *rank);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].st != ST_FINISHED)
			continue;
		rank[k].regno = rows[i].regno;
		rank[k].passed = rows[i].passed;
		rank[k].total = rows[i].total;
		rank[k].n_tie = R->ex.n_tie;
		for (int t = 0; t < R->ex.n_tie; t++)
			rank[k].tie[t] = rows[i].score[R->ex.tie[t]];
		rank[k].user = &rows[i];
		k++;
	}
	ranking_sort(rank, nfin);
	R->rows = xcalloc(n ? n : 1, sizeof *R->rows);
	for (k = 0; k < nfin; k++) {
		R->rows[k] = *(struct result_row *)rank[k].user;
		R->rows[k].rank = rank[k].rank;
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].st != ST_FINISHED)
			R->rows[k++] = rows[i];
	assert(k == n);
	R->n = n;
	n = 0; /* the strings now belong to R */
	qsort(R->rows + nfin, R->n - nfin, sizeof *R->rows, results_cmp_rest);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].regno);
		free(rows[i].name);
		free(rows[i].track);
		free(rows[i].reason);
	}
	free(rows);
	free(rank);
	return rc;
}

/* ms as local time of the exam's zone, broken down. */
static void results_zone_tm(const struct exam_def *ex, int64_t ms, struct tm *tm)
{
	time_t secs = (time_t)(ms / 1000) + (time_t)exam_zones[ex->zone].offset_min * 60;
	gmtime_r(&secs, tm);
}

/* "YYYY-MM-DD HH:MM:SS" in the exam's zone. */
static char *results_time(const struct exam_def *ex, int64_t ms, char *buf, size_t n)
{
	struct tm tm;
	results_zone_tm(ex, ms, &tm);
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

/* RFC 3339 with the exam zone's offset, e.g. 2026-11-23T09:12:03.250+07:00. */
static char *results_time_rfc3339(const struct exam_def *ex, int64_t ms, char *buf, size_t n)
{
	struct tm tm;
	int off = exam_zones[ex->zone].offset_min;
	results_zone_tm(ex, ms, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000),
		 off / 60, off % 60);
	return buf;
}

/* Column headers; returns the column count. tzhdr holds the time header. */
static int results_headers(const struct results *R, const struct results_opts *o,
			   const char **h, char *tzhdr, size_t tzlen)
{
	int id = o->lang == RESULTS_LANG_ID, c = 0;
	h[c++] = id ? "Peringkat" : "rank";
	h[c++] = id ? "Nomor Peserta" : "registration_no";
	h[c++] = id ? "Nama" : "name";
	h[c++] = id ? "Jalur" : "track";
	for (int s = 0; s < R->ex.n_sections; s++)
		h[c++] = R->ex.sec[s].code;
	h[c++] = id ? "Total" : "total";
	h[c++] = id ? "Keterangan" : "passed";
	if (o->all)
		h[c++] = id ? "Status" : "status";
	h[c++] = id ? "Cara Selesai" : "finish_reason";
	snprintf(tzhdr, tzlen, "%s (%s)", id ? "Waktu Selesai" : "finished_at",
		 exam_zones[R->ex.zone].name);
	h[c++] = tzhdr;
	assert(c <= RES_COLS_MAX);
	return c;
}

/* The cells of row r (same columns as results_headers). */
static int results_cells(const struct results *R, const struct results_opts *o,
			 const struct result_row *r, struct cell *cl)
{
	int id = o->lang == RESULTS_LANG_ID, c = 0, dis = r->st == ST_DISQUALIFIED;
	int fin = r->st == ST_FINISHED || dis;
	memset(cl, 0, RES_COLS_MAX * sizeof *cl);
	if (r->st == ST_FINISHED) {
		cl[c].kind = CELL_NUM;
		cl[c].num = r->rank;
	}
	c++;
	cl[c].kind = CELL_TEXT;
	cl[c++].s = r->regno;
	cl[c].kind = CELL_TEXT;
	cl[c++].s = r->name;
	cl[c].kind = CELL_TEXT;
	cl[c++].s = r->track;
	for (int s = 0; s < R->ex.n_sections; s++, c++)
		if (fin) {
			cl[c].kind = CELL_NUM;
			cl[c].num = r->score[s];
		}
	if (fin) {
		cl[c].kind = CELL_NUM;
		cl[c].num = r->total;
		cl[c + 1].kind = CELL_TEXT;
		cl[c + 1].s = dis ? "DIS"
			      : id ? (r->passed ? "lulus" : "tidak lulus")
				   : (r->passed ? "true" : "false");
	}
	c += 2;
	if (o->all) {
		cl[c].kind = CELL_TEXT;
		cl[c++].s = res_status_words[id ? 0 : 1][r->st];
	}
	if (fin) {
		cl[c].kind = CELL_TEXT;
		if (!id)
			cl[c].s = r->reason;
		else
			cl[c].s = results_reason_id(r->reason);
		cl[c + 1].kind = CELL_TIME;
		cl[c + 1].ms = r->finished_at;
	}
	c += 2;
	return c;
}

static void results_write_csv(const struct results *R, const struct results_opts *o, FILE *out)
{
	const char *h[RES_COLS_MAX];
	struct cell cl[RES_COLS_MAX];
	char tzhdr[64], ts[96];
	int nc = results_headers(R, o, h, tzhdr, sizeof tzhdr);

	fputs("\xEF\xBB\xBF", out);
	for (int c = 0; c < nc; c++) {
		if (c)
			fputc(o->sep, out);
		csv_write_cell(out, h[c], o->sep);
	}
	fputs("\r\n", out);
	for (size_t i = 0; i < R->n; i++) {
		results_cells(R, o, &R->rows[i], cl);
		for (int c = 0; c < nc; c++) {
			if (c)
				fputc(o->sep, out);
			switch (cl[c].kind) {
			case CELL_TEXT:
				csv_write_cell(out, cl[c].s, o->sep);
				break;
			case CELL_NUM:
				fprintf(out, "%lld", cl[c].num);
				break;
			case CELL_TIME:
				fputs(results_time(&R->ex, cl[c].ms, ts, sizeof ts), out);
				break;
			case CELL_EMPTY:
				break;
			}
		}
		fputs("\r\n", out);
	}
}

static void results_write_json(const struct results *R, const struct results_opts *o, FILE *out)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < R->n; i++) {
		const struct result_row *r = &R->rows[i];
		int dis = r->st == ST_DISQUALIFIED, fin = r->st == ST_FINISHED || dis;
		char ts[96];
		json_t *o2 = json_pack("{s:o,s:s,s:s,s:s}", "rank",
				       r->st == ST_FINISHED ? json_integer(r->rank) : json_null(),
				       "registration_no",
				       r->regno, "name", r->name, "track", r->track);
		for (int s = 0; s < R->ex.n_sections; s++)
			json_object_set_new(o2, R->ex.sec[s].code,
					    fin ? json_integer(r->score[s]) : json_null());
		json_object_set_new(o2, "total", fin ? json_integer(r->total) : json_null());
		json_object_set_new(o2, "passed", fin ? json_boolean(r->passed && !dis) : json_null());
		if (fin)
			json_object_set_new(o2, "disqualified", json_boolean(dis));
		if (o->all)
			json_object_set_new(o2, "status", json_string(res_status_codes[r->st]));
		json_object_set_new(o2, "finish_reason", fin ? json_string(r->reason) : json_null());
		json_object_set_new(o2, "finished_at",
				    fin ? json_string(results_time_rfc3339(&R->ex, r->finished_at, ts,
									    sizeof ts))
					: json_null());
		json_array_append_new(arr, o2);
	}
	json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(arr);
}

int results_export_opts(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			FILE *out, char *err, size_t errlen)
{
	struct results R;

	assert(o->format == RESULTS_CSV || o->format == RESULTS_JSON);
	assert(o->sep == ',' || o->sep == ';');
	if (results_load(db, exam_code, o->all, &R, err, errlen))
		return -1;
	if (o->format == RESULTS_CSV)
		results_write_csv(&R, o, out);
	else
		results_write_json(&R, o, out);
	results_free(&R);
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "cannot write the results");
		return -1;
	}
	return 0;
}

int results_export(sqlite3 *db, const char *exam_code, enum results_format fmt, FILE *out,
		   char *err, size_t errlen)
{
	struct results_opts o;
	results_opts_default(&o);
	o.format = fmt;
	return results_export_opts(db, exam_code, &o, out, err, errlen);
}

/* Column width in characters for the xlsx sheet. */
static double results_width(const struct results *R, const struct results_opts *o, int c)
{
	int ns = R->ex.n_sections;
	static const double head[] = { 10, 22, 32, 12 };
	if (c < 4)
		return head[c];
	if (c < 4 + ns + 1)
		return 9; /* sections and total */
	if (c == 4 + ns + 1)
		return 13; /* passed */
	if (o->all && c == 4 + ns + 2)
		return 15; /* status */
	return c == 4 + ns + 2 + o->all ? 14 : 21;
}

int results_export_xlsx(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			const char *path, char *err, size_t errlen)
{
	struct results R;
	const char *h[RES_COLS_MAX];
	struct cell cl[RES_COLS_MAX];
	char tzhdr[64];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *text, *when;
	lxw_error e;
	int nc;

	if (results_load(db, exam_code, o->all, &R, err, errlen))
		return -1;
	if (!(wb = workbook_new(path))) {
		snprintf(err, errlen, "cannot create %s", path);
		results_free(&R);
		return -1;
	}
	ws = workbook_add_worksheet(wb, o->lang == RESULTS_LANG_ID ? "Hasil" : "Results");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	when = workbook_add_format(wb);
	format_set_num_format(when, "yyyy-mm-dd hh:mm:ss");
	nc = results_headers(&R, o, h, tzhdr, sizeof tzhdr);
	for (int c = 0; c < nc; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, h[c], bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, results_width(&R, o, c), NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < R.n; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		results_cells(&R, o, &R.rows[i], cl);
		for (int c = 0; c < nc; c++) {
			lxw_col_t col = (lxw_col_t)c;
			struct tm tm;
			lxw_datetime dt;
			switch (cl[c].kind) {
			case CELL_TEXT:
				worksheet_write_string(ws, row, col, cl[c].s, text);
				break;
			case CELL_NUM:
				worksheet_write_number(ws, row, col, (double)cl[c].num, NULL);
				break;
			case CELL_TIME:
				results_zone_tm(&R.ex, cl[c].ms, &tm);
				dt.year = tm.tm_year + 1900;
				dt.month = tm.tm_mon + 1;
				dt.day = tm.tm_mday;
				dt.hour = tm.tm_hour;
				dt.min = tm.tm_min;
				dt.sec = tm.tm_sec;
				worksheet_write_datetime(ws, row, col, &dt, when);
				break;
			case CELL_EMPTY:
				break;
			}
		}
	}
	if (R.n)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)R.n, (lxw_col_t)(nc - 1));
	results_free(&R);
	if ((e = workbook_close(wb)) != LXW_NO_ERROR) {
		snprintf(err, errlen, "cannot write %s: %s", path, lxw_strerror(e));
		return -1;
	}
	return 0;
}

int results_export_xlsx_buf(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			    unsigned char **buf, size_t *len, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/ujian-results-XXXXXX", dir && *dir ? dir : "/tmp");
	unsigned char *data = NULL;
	size_t cap = 0, n = 0;
	FILE *f = NULL;
	int fd, rc = -1;

	*buf = NULL;
	*len = 0;
	if ((fd = mkstemp(path)) < 0) {
		snprintf(err, errlen, "cannot create a temporary file in %s: %s",
			 dir && *dir ? dir : "/tmp", strerror(errno));
		free(path);
		return -1;
	}
	close(fd);
	if (results_export_xlsx(db, exam_code, o, path, err, errlen))
		goto out;
	if (!(f = fopen(path, "rb"))) {
		snprintf(err, errlen, "cannot read %s back: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			data = xrealloc(data, cap);
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s back", path);
		goto out;
	}
	*buf = data;
	*len = n;
	data = NULL;
	rc = 0;
out:
	if (f)
		fclose(f);
	unlink(path);
	free(path);
	free(data);
	return rc;
}
