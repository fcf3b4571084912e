/* results.c - ranking finished attempts and writing them out. */
#include "report/results.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "store/db.h"
#include "catalog/enrol.h"
#include "catalog/exam.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "exam/ranking.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct result_row {
	char *regno, *name, *track, *reason;
	int score[UJ_SECTIONS_MAX];
	int total, passed;
	int64_t finished_at;
};

/* Spreadsheets execute cells starting with these; prefix a quote. */
static void results_csv_text(FILE *out, const char *s)
{
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		char *safe = xasprintf("'%s", s);
		enrol_csv_field(out, safe);
		free(safe);
	} else {
		enrol_csv_field(out, s);
	}
}

/* Fill row->score from stored scores_json by section code. */
static int results_scores(const struct exam_def *ex, const char *js, struct result_row *row)
{
	char why[128];
	json_t *j = jc_parse(js, strlen(js), why, sizeof why), *e;
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

int results_export(sqlite3 *db, const char *exam_code, enum results_format fmt, FILE *out,
		   char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct exam_def ex;
	struct result_row *rows = NULL;
	struct rank_row *rank = NULL;
	size_t n = 0, cap = 0;
	int64_t exam_id;
	char why[512];
	int rc = -1;

	if (db_exec(db, "BEGIN", err, errlen))
		return -1;
	if (catalog_read_exam(db, exam_code, &exam_id, NULL, &ex, why, sizeof why)) {
		snprintf(err, errlen, "--exam %s: %s", exam_code, why);
		goto out;
	}
	if (!(st = db_prepare(db,
			      "SELECT c.registration_no, c.name, c.track, a.scores_json, a.total,"
			      " a.passed, a.finish_reason, a.finished_at FROM candidates c JOIN"
			      " attempts a ON a.candidate_id = c.id WHERE c.exam_id = ? AND"
			      " a.status = 'finished'",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct result_row *r;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		r = &rows[n];
		memset(r, 0, sizeof *r);
		r->regno = xstrdup((const char *)sqlite3_column_text(st, 0));
		r->name = xstrdup((const char *)sqlite3_column_text(st, 1));
		r->track = xstrdup((const char *)sqlite3_column_text(st, 2));
		r->reason = xstrdup((const char *)sqlite3_column_text(st, 6));
		r->total = sqlite3_column_int(st, 4);
		r->passed = sqlite3_column_int(st, 5);
		r->finished_at = sqlite3_column_int64(st, 7);
		n++;
		if (results_scores(&ex, (const char *)sqlite3_column_text(st, 3), r)) {
			snprintf(err, errlen, "candidate %s: stored scores are unreadable", r->regno);
			goto out;
		}
	}
	rank = xcalloc(n ? n : 1, sizeof *rank);
	for (size_t i = 0; i < n; i++) {
		rank[i].regno = rows[i].regno;
		rank[i].passed = rows[i].passed;
		rank[i].total = rows[i].total;
		rank[i].n_tie = ex.n_tie;
		for (int t = 0; t < ex.n_tie; t++)
			rank[i].tie[t] = rows[i].score[ex.tie[t]];
		rank[i].user = &rows[i];
	}
	ranking_sort(rank, n);

	if (fmt == RESULTS_CSV) {
		fputs("\xEF\xBB\xBFrank,registration_no,name,track", out);
		for (int s = 0; s < ex.n_sections; s++)
			fprintf(out, ",%s", ex.sec[s].code);
		fputs(",total,passed,finish_reason,finished_at\r\n", out);
		for (size_t i = 0; i < n; i++) {
			const struct result_row *r = rank[i].user;
			char ts[40];
			fprintf(out, "%d,", rank[i].rank);
			results_csv_text(out, r->regno);
			fputc(',', out);
			results_csv_text(out, r->name);
			fputc(',', out);
			results_csv_text(out, r->track);
			for (int s = 0; s < ex.n_sections; s++)
				fprintf(out, ",%d", r->score[s]);
			fprintf(out, ",%d,%s,%s,%s\r\n", r->total, r->passed ? "true" : "false", r->reason,
				clock_format_rfc3339(r->finished_at, 1, ts, sizeof ts));
		}
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct result_row *r = rank[i].user;
			char ts[40];
			json_t *o = json_pack("{s:i,s:s,s:s,s:s}", "rank", rank[i].rank, "registration_no",
					      r->regno, "name", r->name, "track", r->track);
			for (int s = 0; s < ex.n_sections; s++)
				json_object_set_new(o, ex.sec[s].code, json_integer(r->score[s]));
			json_object_set_new(o, "total", json_integer(r->total));
			json_object_set_new(o, "passed", json_boolean(r->passed));
			json_object_set_new(o, "finish_reason", json_string(r->reason));
			json_object_set_new(o, "finished_at",
					    json_string(clock_format_rfc3339(r->finished_at, 1, ts,
									     sizeof ts)));
			json_array_append_new(arr, o);
		}
		json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(arr);
	}
	if (fflush(out) != 0) {
		snprintf(err, errlen, "cannot write the results");
		goto out;
	}
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
