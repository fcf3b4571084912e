/* employee.c - the employee registry: CSV import (upsert by NIP, all or
 * nothing), list, profile, export (employee.h). */
#include "selection/employee.h"
#include "bounds.h"
#include "core/csv.h"
#include "core/clock.h"
#include "core/hmap.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "selection/pcsv.h"
#include "selection/talent.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const emp_type_codes[EMP_TYPE_MAX] = { "jpt", "administrator", "pengawas",
						   "fungsional", "pelaksana" };
const char *const emp_type_labels[EMP_TYPE_MAX] = { "JPT", "Administrator", "Pengawas",
						    "Fungsional", "Pelaksana" };
/* Long forms accepted too (after "jabatan "), same order. */
static const char *const emp_type_long[EMP_TYPE_MAX] = { "pimpinan tinggi", "administrator",
							 "pengawas", "fungsional", "pelaksana" };

int emp_type_parse(const char *s)
{
	char b[64];
	size_t n = 0;
	const char *v;
	for (; *s && n + 1 < sizeof b; s++)
		b[n++] = *s == '_' || *s == '-' ? ' ' : (char)tolower((unsigned char)*s);
	if (*s)
		return -1;
	b[n] = '\0';
	v = strncmp(b, "jabatan ", 8) == 0 ? b + 8 : b;
	for (int t = 0; t < EMP_TYPE_MAX; t++)
		if (strcmp(v, emp_type_codes[t]) == 0 || strcmp(v, emp_type_long[t]) == 0)
			return t;
	if (strcmp(b, "jpt pratama") == 0 || strcmp(b, "jpt madya") == 0 ||
	    strcmp(b, "jpt utama") == 0)
		return EMP_JPT;
	return -1;
}

/* ---- the import --------------------------------------------------------- */

enum emp_col { EC_NIP, EC_NAME, EC_GRADE, EC_POSITION, EC_TYPE, EC_UNIT, EC_AGENCY, EC_EDU,
	       EC_BIRTH, EC_MAX };

static const struct pcsv_col emp_cols[EC_MAX] = {
	[EC_NIP] = { "nip", "nip", 1 },
	[EC_NAME] = { "nama", "name", 1 },
	[EC_GRADE] = { "golongan", "grade", 1 },
	[EC_POSITION] = { "jabatan", "position", 0 },
	[EC_TYPE] = { "jenis_jabatan", "position_type", 1 },
	[EC_UNIT] = { "unit", "unit", 0 },
	[EC_AGENCY] = { "instansi", "agency", 0 },
	[EC_EDU] = { "pendidikan", "education", 0 },
	[EC_BIRTH] = { "tanggal_lahir", "birth_date", 0 },
};

struct emp_row {
	const char *nip, *name, *position, *unit, *agency, *edu;
	const char *grade; /* canonical (static) */
	int type;
	char birth[11];
	int line;
};

struct emp_op {
	struct wr_op op;
	sqlite3 *db; /* the connection the transaction runs on (talent_recompute) */
	const struct emp_row *rows;
	size_t n;
	struct emp_import_result *res;
	struct errlist *errs;
};

/* 1 if s is a text of at most max characters without control characters
 * (and not empty when required). */
static int emp_text_ok(const char *s, int max, int required)
{
	if (required && !*s)
		return 0;
	return text_utf8_chars(s) <= (size_t)max && !text_has_control(s, 0);
}

/* Check one record into row, every bad field to errs. Returns 0 or -1. */
static int emp_check_row(const struct pcsv *p, const struct csv_record *r, struct emp_row *row,
			 struct errlist *errs)
{
	size_t start = errs->total;
	const char *v;
	char why[128];
	enum nip_fault f;
	int g;

	memset(row, 0, sizeof *row);
	row->line = r->line;
	if (!pcsv_row_shape(p, r, errs))
		return -1;
	row->nip = pcsv_get(p, r, EC_NIP);
	if ((f = nip_check(row->nip, why, sizeof why)) != NIP_OK)
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_NIP), "NIP \"%s\": %s", row->nip,
			    errs->lang == ERRLIST_ID ? nip_fault_id(f) : why);
	row->name = pcsv_get(p, r, EC_NAME);
	if (!emp_text_ok(row->name, UJ_EMP_TEXT_MAX, 1))
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_NAME),
			    "must be 1-%d characters without control characters", UJ_EMP_TEXT_MAX);
	v = pcsv_get(p, r, EC_GRADE);
	if ((g = grade_ord(v)) < 1)
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_GRADE),
			    "\"%s\" is not a golongan/ruang (I/a ... IV/e)", v);
	else
		row->grade = grade_name(g);
	v = pcsv_get(p, r, EC_TYPE);
	if ((row->type = emp_type_parse(v)) < 0)
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_TYPE),
			    "\"%s\" is not a position type (jpt, administrator, pengawas, fungsional, pelaksana)",
			    v);
	row->position = pcsv_get(p, r, EC_POSITION);
	row->unit = pcsv_get(p, r, EC_UNIT);
	row->agency = pcsv_get(p, r, EC_AGENCY);
	row->edu = pcsv_get(p, r, EC_EDU);
	if (!emp_text_ok(row->position, UJ_EMP_TEXT_MAX, 0))
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_POSITION),
			    "must be at most %d characters without control characters",
			    UJ_EMP_TEXT_MAX);
	if (!emp_text_ok(row->unit, UJ_EMP_TEXT_MAX, 0))
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_UNIT),
			    "must be at most %d characters without control characters",
			    UJ_EMP_TEXT_MAX);
	if (!emp_text_ok(row->agency, UJ_EMP_TEXT_MAX, 0))
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_AGENCY),
			    "must be at most %d characters without control characters",
			    UJ_EMP_TEXT_MAX);
	if (!emp_text_ok(row->edu, UJ_EMP_EDU_MAX, 0))
		errlist_add(errs, r->line, NULL, pcsv_name(p, EC_EDU),
			    "must be at most %d characters without control characters",
			    UJ_EMP_EDU_MAX);
	v = pcsv_get(p, r, EC_BIRTH);
	if (f == NIP_OK) {
		char from_nip[11];
		nip_birth_date(row->nip, from_nip);
		if (*v && pcsv_date(v, row->birth))
			errlist_add(errs, r->line, NULL, pcsv_name(p, EC_BIRTH),
				    "\"%s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)", v);
		else if (*v && strcmp(row->birth, from_nip) != 0)
			errlist_add(errs, r->line, NULL, pcsv_name(p, EC_BIRTH),
				    "%s does not match the birth date in the NIP (%s)", row->birth,
				    from_nip);
		memcpy(row->birth, from_nip, sizeof row->birth);
	}
	return errs->total == start ? 0 : -1;
}

static const char sql_emp_find[] =
	"SELECT id, name, grade, position, position_type, unit, agency, education, birth_date"
	" FROM employees WHERE nip = ?";
static const char sql_emp_insert[] =
	"INSERT INTO employees (nip, name, grade, position, position_type, unit, agency,"
	" education, birth_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_emp_update[] =
	"UPDATE employees SET name = ?2, grade = ?3, position = ?4, position_type = ?5, unit = ?6,"
	" agency = ?7, education = ?8, birth_date = ?9, updated_at = ?10 WHERE id = ?1";

/* 1 when the stored row (st at its row) equals r. */
static int emp_same(sqlite3_stmt *st, const struct emp_row *r)
{
	const char *v[8] = { r->name, r->grade, r->position, emp_type_codes[r->type],
			     r->unit,  r->agency, r->edu,      r->birth };
	for (int i = 0; i < 8; i++) {
		const char *s = (const char *)sqlite3_column_text(st, i + 1);
		if (!s || strcmp(s, v[i]) != 0)
			return 0;
	}
	return 1;
}

static void emp_bind_row(sqlite3_stmt *st, int first, const struct emp_row *r)
{
	const char *v[8] = { r->name, r->grade, r->position, emp_type_codes[r->type],
			     r->unit,  r->agency, r->edu,      r->birth };
	for (int i = 0; i < 8; i++)
		sqlite3_bind_text(st, first + i, v[i], -1, SQLITE_STATIC);
}

static int emp_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct emp_op *s = (struct emp_op *)op;
	struct event_rec e = { .at = op->at, .actor = op->owner, .kind = "employees_imported",
			       .label = -1 };
	char err[512];
	int rc;

	for (size_t i = 0; i < s->n; i++) {
		const struct emp_row *r = &s->rows[i];
		sqlite3_stmt *st = wr_stmt(tx, sql_emp_find);
		int64_t id = 0;
		int same = 0;
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, r->nip, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			same = emp_same(st, r);
		} else if (rc != SQLITE_DONE) {
			return -1;
		}
		sqlite3_reset(st);
		if (same) {
			s->res->unchanged++;
			continue;
		}
		if (!(st = wr_stmt(tx, id ? sql_emp_update : sql_emp_insert)))
			return -1;
		if (id) {
			sqlite3_bind_int64(st, 1, id);
			emp_bind_row(st, 2, r);
			sqlite3_bind_int64(st, 10, op->at);
			s->res->updated++;
		} else {
			sqlite3_bind_text(st, 1, r->nip, -1, SQLITE_STATIC);
			emp_bind_row(st, 2, r);
			sqlite3_bind_int64(st, 10, op->at);
			sqlite3_bind_int64(st, 11, op->at);
			s->res->created++;
		}
		if (wr_step(st))
			return -1;
	}
	e.detail = json_pack("{s:i,s:i,s:i}", "created", s->res->created, "updated",
			     s->res->updated, "unchanged", s->res->unchanged);
	rc = event_append(tx, &e);
	json_decref(e.detail);
	if (rc)
		return -1;
	if (talent_recompute(s->db, 0, 0, op->at, err, sizeof err) < 0) {
		errlist_add(s->errs, 0, NULL, NULL, "%s", err);
		return -1;
	}
	return 0;
}

static void emp_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

int employee_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
		    struct emp_import_result *res, struct errlist *errs)
{
	struct pcsv p;
	struct emp_row *rows = NULL;
	struct emp_op s;
	struct hmap seen;
	size_t n = 0;
	char err[512];
	int rc = -1;

	memset(res, 0, sizeof *res);
	hmap_init(&seen);
	if (pcsv_open(&p, data, len, emp_cols, EC_MAX, UJ_EMP_ROWS_MAX, errs))
		goto out;
	n = pcsv_rows(&p);
	rows = xcalloc(n, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const struct emp_row *first;
		if (emp_check_row(&p, pcsv_row(&p, i), &rows[i], errs) &&
		    nip_check(rows[i].nip ? rows[i].nip : "", NULL, 0) != NIP_OK)
			continue;
		if ((first = hmap_gets(&seen, rows[i].nip))) {
			errlist_add(errs, rows[i].line, NULL, pcsv_name(&p, EC_NIP),
				    "NIP %s appears twice in the file (line %d)", rows[i].nip,
				    first->line);
			continue;
		}
		hmap_puts(&seen, rows[i].nip, &rows[i]);
	}
	if (errs->total)
		goto out;
	memset(&s, 0, sizeof s);
	wr_op_init(&s.op, emp_apply, who, now);
	s.op.release = emp_release;
	s.db = db;
	s.rows = rows;
	s.n = n;
	s.res = res;
	s.errs = errs;
	if (wr_apply_now(db, &s.op, err, sizeof err)) {
		memset(res, 0, sizeof *res);
		if (errs->total == 0)
			errlist_add(errs, 0, NULL, NULL, "%s", err);
		goto out;
	}
	rc = 0;
out:
	hmap_free(&seen);
	free(rows);
	pcsv_free(&p);
	return rc;
}

/* ---- reads -------------------------------------------------------------- */

int64_t employee_id(sqlite3 *db, const char *nip)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT id FROM employees WHERE nip = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, nip, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return id;
}

static const char *emp_col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

#define EMP_COLUMNS \
	"nip, name, grade, position, position_type, unit, agency, education, birth_date, id"

/* The row at st (columns EMP_COLUMNS) as JSON. */
static json_t *emp_row_json(sqlite3_stmt *st)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "nip", emp_col_text(st, 0),
			 "name", emp_col_text(st, 1), "grade", emp_col_text(st, 2), "position",
			 emp_col_text(st, 3), "position_type", emp_col_text(st, 4), "unit",
			 emp_col_text(st, 5), "agency", emp_col_text(st, 6), "education",
			 emp_col_text(st, 7), "birth_date", emp_col_text(st, 8));
}

json_t *employee_list_json(sqlite3 *db, const char *q, const char *unit, const char *type,
			   char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL, *us = NULL;
	json_t *list = NULL, *units = NULL, *out = NULL;
	int rc;

	if (!(st = db_prepare(db,
			      "SELECT " EMP_COLUMNS " FROM employees"
			      " WHERE (?1 IS NULL OR instr(nip, ?1) > 0 OR instr(lower(name), lower(?1)) > 0)"
			      " AND (?2 IS NULL OR unit = ?2) AND (?3 IS NULL OR position_type = ?3)"
			      " ORDER BY unit, name, nip",
			      err, errlen)) ||
	    !(us = db_prepare(db, "SELECT DISTINCT unit FROM employees WHERE unit <> '' ORDER BY unit",
			      err, errlen)))
		goto out;
	if (q && *q)
		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	if (unit && *unit)
		sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	if (type && *type)
		sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	list = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, emp_row_json(st));
	if (rc != SQLITE_DONE)
		goto dberr;
	units = json_array();
	while ((rc = sqlite3_step(us)) == SQLITE_ROW)
		json_array_append_new(units, json_string(emp_col_text(us, 0)));
	if (rc != SQLITE_DONE)
		goto dberr;
	out = json_pack("{s:O,s:O}", "employees", list, "units", units);
	goto out;
dberr:
	snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
out:
	json_decref(list);
	json_decref(units);
	sqlite3_finalize(st);
	sqlite3_finalize(us);
	return out;
}

/* The exam results of the candidates carrying the employee's NIP. */
static int emp_results(sqlite3 *db, const char *nip, json_t *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT e.code, e.definition_json, c.registration_no, a.status, a.finish_reason,"
		" a.total, a.scores_json, a.finished_at FROM candidates c JOIN exams e ON e.id = c.exam_id"
		" LEFT JOIN attempts a ON a.candidate_id = c.id WHERE c.nip = ?"
		" ORDER BY a.finished_at IS NULL, a.finished_at DESC, e.code",
		err, errlen);
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, nip, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *def = emp_col_text(st, 1), *sj = emp_col_text(st, 6);
		json_t *d = jc_parse(def, strlen(def), NULL, 0), *secs = json_array(), *sc, *e;
		const char *title = json_string_value(json_object_get(d, "title"));
		const char *status = sqlite3_column_type(st, 3) == SQLITE_NULL ? "not_started"
									      : emp_col_text(st, 3);
		int finished = strcmp(status, "finished") == 0;
		json_int_t max_total = 0;
		size_t i;
		json_t *row;

		sc = *sj ? jc_parse(sj, strlen(sj), NULL, 0) : NULL;
		json_array_foreach(sc, i, e) {
			json_int_t mx = json_integer_value(json_object_get(e, "max"));
			max_total += mx;
			json_array_append_new(
				secs, json_pack("{s:O,s:O,s:I}", "code", json_object_get(e, "code"),
						"score", json_object_get(e, "score"), "max", mx));
		}
		row = json_pack("{s:s,s:s,s:s,s:s}", "exam", emp_col_text(st, 0), "exam_name",
				title ? title : emp_col_text(st, 0), "registration_no",
				emp_col_text(st, 2), "status", status);
		json_object_set_new(row, "finish_reason",
				    finished ? json_string(emp_col_text(st, 4)) : json_null());
		json_object_set_new(row, "total",
				    finished ? json_integer(sqlite3_column_int64(st, 5)) : json_null());
		json_object_set_new(row, "max_total", finished ? json_integer(max_total) : json_null());
		json_object_set_new(row, "sections", secs);
		json_object_set_new(row, "finished_at",
				    finished ? clock_json(sqlite3_column_int64(st, 7)) : json_null());
		json_array_append_new(out, row);
		json_decref(sc);
		json_decref(d);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Rows of a query with one ?1 = employee id, each made by fn. */
static int emp_rows(sqlite3 *db, const char *sql, int64_t id, json_t *(*fn)(sqlite3_stmt *),
		    json_t *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, sql, err, errlen);
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, fn(st));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static json_t *emp_skp_json(sqlite3_stmt *st)
{
	return json_pack("{s:I,s:s}", "year", (json_int_t)sqlite3_column_int64(st, 0), "predikat",
			 emp_col_text(st, 1));
}

static json_t *emp_sanction_json(sqlite3_stmt *st)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "type", emp_col_text(st, 0), "level",
			 emp_col_text(st, 1), "date", emp_col_text(st, 2), "note",
			 emp_col_text(st, 3));
}

static json_t *emp_real_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
							  : json_real(sqlite3_column_double(st, col));
}

static json_t *emp_text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
							  : json_string(emp_col_text(st, col));
}

static json_t *emp_placement_json(sqlite3_stmt *st)
{
	const char *dj = emp_col_text(st, 8);
	json_t *detail = jc_parse(dj, strlen(dj), NULL, 0);
	json_t *row = json_pack("{s:s,s:s}", "period", emp_col_text(st, 0), "period_name",
				emp_col_text(st, 1));
	json_object_set_new(row, "perf", emp_text_or_null(st, 2));
	json_object_set_new(row, "potential", emp_real_or_null(st, 3));
	json_object_set_new(row, "pot_level", emp_text_or_null(st, 4));
	json_object_set_new(row, "box", sqlite3_column_type(st, 5) == SQLITE_NULL
						? json_null()
						: json_integer(sqlite3_column_int64(st, 5)));
	json_object_set_new(row, "in_pool", json_boolean(sqlite3_column_int(st, 6)));
	{
		/* The stored reason is a code; the profile shows its words too. */
		char words[512];
		talent_reason_text(emp_col_text(st, 7), dj, TALENT_LANG_ID, words, sizeof words);
		json_object_set_new(row, "reason_code", json_string(emp_col_text(st, 7)));
		json_object_set_new(row, "reason", json_string(words));
	}
	json_object_set_new(row, "detail", detail ? detail : json_object());
	return row;
}

json_t *employee_profile_json(sqlite3 *db, const char *nip, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	json_t *emp = NULL, *skp = json_array(), *sanc = json_array(), *res = json_array(),
	       *pl = json_array(), *out = NULL;
	int64_t id = 0;
	int rc;

	err[0] = '\0';
	if (db_exec(db, "BEGIN", err, errlen))
		goto out;
	if (!(st = db_prepare(db, "SELECT " EMP_COLUMNS " FROM employees WHERE nip = ?", err,
			      errlen)))
		goto end;
	sqlite3_bind_text(st, 1, nip, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		emp = emp_row_json(st);
		id = sqlite3_column_int64(st, 9);
	} else if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (!emp)
		goto end;
	if (emp_rows(db, "SELECT year, predikat FROM skp WHERE employee_id = ?1 ORDER BY year DESC",
		     id, emp_skp_json, skp, err, errlen) ||
	    emp_rows(db,
		     "SELECT type, level, date, note FROM sanctions WHERE employee_id = ?1"
		     " ORDER BY date DESC, id DESC",
		     id, emp_sanction_json, sanc, err, errlen) ||
	    emp_results(db, nip, res, err, errlen) ||
	    emp_rows(db,
		     "SELECT t.code, t.name, p.perf, p.potential, p.pot_level, p.box, p.in_pool,"
		     " p.reason, p.detail_json FROM placements p JOIN talent_periods t"
		     " ON t.id = p.period_id WHERE p.employee_id = ?1 ORDER BY t.created_at DESC, t.id DESC",
		     id, emp_placement_json, pl, err, errlen))
		goto end;
	out = json_pack("{s:O,s:O,s:O,s:O,s:O}", "employee", emp, "skp", skp, "sanctions", sanc,
			"results", res, "placements", pl);
end:
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
out:
	json_decref(emp);
	json_decref(skp);
	json_decref(sanc);
	json_decref(res);
	json_decref(pl);
	return out;
}

int employee_export_csv(sqlite3 *db, char sep, int english, FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " EMP_COLUMNS " FROM employees ORDER BY unit, name, nip",
				      err, errlen);
	int rc;
	if (!st)
		return -1;
	fputs("\xEF\xBB\xBF", out);
	for (int k = 0; k < EC_MAX; k++) {
		if (k)
			fputc(sep, out);
		csv_write_cell(out, english ? emp_cols[k].en : emp_cols[k].id, sep);
	}
	fputs("\r\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int k = 0; k < EC_MAX; k++) {
			if (k)
				fputc(sep, out);
			csv_write_cell(out, emp_col_text(st, k), sep);
		}
		fputs("\r\n", out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}
