/* bidding_query.c - the other reads of open-bidding selections: the list,
 * the audit trail, the talent-pool alternative, and what the live stream
 * asks (which exams feed a selection, which vacancies a finished candidate
 * touches). See selection/bidding.h. */
#include "bidding_int.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "selection/ident.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* ---- the list -------------------------------------------------------------------- */

json_t *bid_list_json(sqlite3 *db, int64_t staff_id, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT s.code, s.name, s.agency, s.status, s.created_at, s.closed_at,"
		" (SELECT count(*) FROM vacancies v WHERE v.selection_id = s.id),"
		" (SELECT count(*) FROM applicants a JOIN vacancies v ON v.id = a.vacancy_id"
		"  WHERE v.selection_id = s.id),"
		" EXISTS (SELECT 1 FROM selection_members m WHERE m.selection_id = s.id"
		"  AND m.staff_id = ?) FROM selections s ORDER BY s.created_at DESC, s.id DESC",
		err, errlen);
	json_t *arr;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, staff_id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
			arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:b}", "code", bid_col(st, 0),
				       "name", bid_col(st, 1), "agency", bid_col(st, 2), "status",
				       bid_col(st, 3), "created_at",
				       clock_json(sqlite3_column_int64(st, 4)), "closed_at",
				       clock_json(sqlite3_column_int64(st, 5)), "vacancies",
				       sqlite3_column_int(st, 6), "applicants",
				       sqlite3_column_int(st, 7), "member", sqlite3_column_int(st, 8)));
	sqlite3_finalize(st);
	return json_pack("{s:o}", "selections", arr);
}

/* ---- the audit trail ---------------------------------------------------------------- */

json_t *bid_audit_json(sqlite3 *db, const char *sel, enum bid_status *st, char *err,
		       size_t errlen)
{
	sqlite3_stmt *q = NULL;
	json_t *arr = NULL, *out = NULL;

	*st = BID_NOT_FOUND;
	if (!bid_selection_id(db, sel))
		return NULL;
	*st = BID_INTERNAL;
	if (!(q = db_prepare(db,
			     "SELECT ev.at, ev.kind, ev.detail, st.username, st.name, a.name"
			     " FROM events ev LEFT JOIN staff st ON ev.actor_kind = 'staff'"
			     " AND st.id = ev.actor_id LEFT JOIN applicants a"
			     " ON a.id = json_extract(ev.detail, '$.applicant')"
			     " WHERE ev.kind LIKE 'selection_%' AND ev.detail IS NOT NULL"
			     " AND json_extract(ev.detail, '$.selection') = ? ORDER BY ev.id",
			     err, errlen)))
		return NULL;
	sqlite3_bind_text(q, 1, sel, -1, SQLITE_STATIC);
	arr = json_array();
	while (sqlite3_step(q) == SQLITE_ROW) {
		char why[64];
		json_t *d = jc_parse(bid_col(q, 2), strlen(bid_col(q, 2)), why, sizeof why), *v;
		json_t *row;
		if (!d)
			continue;
		row = json_pack("{s:o,s:s,s:s,s:s}", "at", clock_json(sqlite3_column_int64(q, 0)),
				"kind", bid_col(q, 1) + strlen("selection_"), "username",
				bid_col(q, 3), "name", bid_col(q, 4));
		json_object_set_new(row, "applicant_name",
				    sqlite3_column_type(q, 5) == SQLITE_NULL ? json_null()
									     : json_string(bid_col(q, 5)));
		for (const char *const *k = (const char *const[]){ "vacancy", "applicant", "stage",
								   "old", "new", "reason", NULL };
		     *k; k++)
			json_object_set(row, *k, (v = json_object_get(d, *k)) ? v : json_null());
		json_array_append_new(arr, row);
		json_decref(d);
	}
	out = json_pack("{s:s,s:o}", "selection", sel, "entries", arr);
	*st = BID_OK;
	sqlite3_finalize(q);
	return out;
}

/* ---- the talent-pool alternative ---------------------------------------------------- */

json_t *bid_talent_json(sqlite3 *db, const char *sel, const char *vac, enum bid_status *st,
			char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	json_t *cands = NULL, *out = NULL, *period = json_null();
	char min_grade[16] = "";
	int64_t sid = bid_selection_id(db, sel), pid = 0;
	int need, found = 0;

	*st = BID_NOT_FOUND;
	if (!sid)
		goto out;
	*st = BID_INTERNAL;
	if (!(q = db_prepare(db, "SELECT min_grade FROM vacancies WHERE selection_id = ? AND code = ?",
			     err, errlen)))
		goto out;
	sqlite3_bind_int64(q, 1, sid);
	sqlite3_bind_text(q, 2, vac, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		found = 1;
		str_copy(min_grade, sizeof min_grade, bid_col(q, 0));
	}
	sqlite3_finalize(q);
	q = NULL;
	if (!found) {
		*st = BID_NOT_FOUND;
		goto out;
	}
	need = min_grade[0] ? grade_ord(min_grade) : 0;
	if (!(q = db_prepare(db, "SELECT id, code FROM talent_periods ORDER BY created_at DESC, id DESC"
				 " LIMIT 1",
			     err, errlen)))
		goto out;
	if (sqlite3_step(q) == SQLITE_ROW) {
		pid = sqlite3_column_int64(q, 0);
		json_decref(period);
		period = json_string(bid_col(q, 1));
	}
	sqlite3_finalize(q);
	cands = json_array();
	if (!(q = db_prepare(db,
			     "SELECT e.nip, e.name, e.grade, e.position, e.position_type, e.unit,"
			     " p.perf, p.potential, p.pot_level, p.box FROM placements p"
			     " JOIN employees e ON e.id = p.employee_id"
			     " WHERE p.period_id = ? AND p.box = 9 AND p.in_pool = 1"
			     " ORDER BY p.potential DESC, e.nip",
			     err, errlen)))
		goto out;
	sqlite3_bind_int64(q, 1, pid);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (grade_ord(bid_col(q, 2)) < need)
			continue;
		json_array_append_new(
			cands, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:i}", "nip",
					 bid_col(q, 0), "name", bid_col(q, 1), "grade", bid_col(q, 2),
					 "position", bid_col(q, 3), "position_type", bid_col(q, 4),
					 "unit", bid_col(q, 5), "perf", bid_col(q, 6), "potential",
					 sqlite3_column_double(q, 7), "pot_level", bid_col(q, 8), "box",
					 sqlite3_column_int(q, 9)));
	}
	out = json_pack("{s:O,s:s,s:s,s:O}", "period", period, "vacancy", vac, "min_grade", min_grade,
			"candidates", cands);
	*st = BID_OK;
out:
	sqlite3_finalize(q);
	json_decref(cands);
	json_decref(period);
	return out;
}

/* ---- the live side's questions ------------------------------------------------------ */

json_t *bid_source_exams(sqlite3 *db, int64_t sel_id, char *err, size_t errlen)
{
	sqlite3_stmt *q = db_prepare(db, "SELECT code FROM selections WHERE id = ?", err, errlen);
	struct bid_sel *s;
	json_t *arr = NULL;
	char code[UJ_CODE_MAX + 1] = "";

	if (!q)
		return NULL;
	sqlite3_bind_int64(q, 1, sel_id);
	if (sqlite3_step(q) == SQLITE_ROW)
		str_copy(code, sizeof code, bid_col(q, 0));
	sqlite3_finalize(q);
	s = xcalloc(1, sizeof *s);
	if (bid_sel_load(db, code, s, err, errlen) != 1)
		goto out;
	arr = json_array();
	for (int k = 0; k < s->cfg.n_stages; k++)
		if (s->cfg.stage[k].exam[0])
			json_array_append_new(arr, json_string(s->cfg.stage[k].exam));
	if (!(q = db_prepare(db,
			     "SELECT DISTINCT a.exam_code FROM applicants a JOIN vacancies v"
			     " ON v.id = a.vacancy_id WHERE v.selection_id = ?"
			     " AND a.exam_code IS NOT NULL",
			     err, errlen)))
		goto out;
	sqlite3_bind_int64(q, 1, s->id);
	while (sqlite3_step(q) == SQLITE_ROW)
		json_array_append_new(arr, json_string(bid_col(q, 0)));
	sqlite3_finalize(q);
out:
	free(s);
	return arr;
}

json_t *bid_affected_by(sqlite3 *db, int64_t candidate_id, char *err, size_t errlen)
{
	/* The applicants this candidate is: by registration number in the
	 * candidate's exam (the applicant's own exam, or none given), or, for
	 * internal applicants without one, by the employee's NIP. Whether the
	 * exam feeds a stage is decided by the reader (a stage's source). */
	sqlite3_stmt *q = db_prepare(
		db,
		"SELECT DISTINCT s.id, s.code, v.code FROM candidates c JOIN exams x ON x.id = c.exam_id"
		" JOIN applicants a LEFT JOIN employees e ON e.id = a.employee_id"
		" JOIN vacancies v ON v.id = a.vacancy_id JOIN selections s ON s.id = v.selection_id"
		" WHERE c.id = ?1 AND s.status = 'open'"
		" AND ((a.registration_no = c.registration_no AND (a.exam_code IS NULL"
		"       OR a.exam_code = x.code))"
		"  OR (a.registration_no IS NULL AND c.nip IS NOT NULL AND e.nip = c.nip))",
		err, errlen);
	json_t *arr;
	if (!q)
		return NULL;
	sqlite3_bind_int64(q, 1, candidate_id);
	arr = json_array();
	while (sqlite3_step(q) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s}", "selection_id",
						     (json_int_t)sqlite3_column_int64(q, 0),
						     "selection", bid_col(q, 1), "vacancy",
						     bid_col(q, 2)));
	sqlite3_finalize(q);
	return arr;
}
