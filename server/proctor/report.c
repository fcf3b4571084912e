/* report.c - a sitting's record read back from the database: its log
 * (incidents and the proctors' actions) and the berita acara (the sitting
 * report a proctor signs). Read-only, reentrant: runs on a worker thread's
 * own connection. Uses the partial indexes of schema 6 (staff events,
 * incidents), so a log read costs nothing like a scan of every answer. */
#include "proctor/proctor.h"
#include "core/clock.h"

#include <stdio.h>
#include <string.h>

/* Staff events about the sitting and incidents of its candidates. */
static const char sql_log[] =
	"SELECT e.id, e.at, e.kind, e.detail, s.username, NULL, NULL FROM events e"
	" LEFT JOIN staff s ON s.id = e.actor_id"
	" WHERE e.actor_kind = 'staff' AND e.kind IN ('proctor_action', 'sitting_started',"
	" 'sitting_token', 'sitting_closed') AND json_extract(e.detail, '$.sitting') = ?1"
	" UNION ALL"
	" SELECT e.id, e.at, e.kind, e.detail, NULL, c.registration_no, c.name FROM events e"
	" JOIN candidates c ON c.id = e.candidate_id"
	" WHERE e.kind = 'incident' AND c.sitting_id = ?1"
	" ORDER BY 1";

static const char sql_sitting[] =
	"SELECT s.code, s.room, s.starts_at, s.started_at, s.closed_at, s.closed_head,"
	" x.code, json_extract(x.definition_json, '$.title'), st.username, st.name, s.created_at"
	" FROM sittings s JOIN exams x ON x.id = s.exam_id"
	" LEFT JOIN staff st ON st.id = s.closed_by WHERE s.id = ?1";

static const char sql_proctors[] = "SELECT st.username, st.name FROM sitting_proctors p"
				   " JOIN staff st ON st.id = p.staff_id WHERE p.sitting_id = ?1"
				   " ORDER BY st.username";

static const char sql_counts[] =
	"SELECT count(*),"
	" sum(a.candidate_id IS NOT NULL OR EXISTS (SELECT 1 FROM sessions z"
	"  WHERE z.candidate_id = c.id)),"
	" sum(a.status = 'finished' AND a.finish_reason <> 'disqualified'),"
	" sum(a.finish_reason = 'disqualified')"
	" FROM candidates c LEFT JOIN attempts a ON a.candidate_id = c.id WHERE c.sitting_id = ?1";

static const char sql_credits[] =
	"SELECT c.registration_no, c.name, t.at, t.kind, t.delta_ms, t.note FROM time_ledger t"
	" JOIN candidates c ON c.id = t.candidate_id WHERE c.sitting_id = ?1 ORDER BY t.id";

/* Text of column i, or NULL. */
static const char *rp_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static json_t *rp_str(sqlite3_stmt *st, int i)
{
	return rp_text(st, i) ? json_string(rp_text(st, i)) : json_null();
}

static json_t *rp_ms(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
							 : clock_json(sqlite3_column_int64(st, i));
}

/* One log item from a row of sql_log. */
static json_t *rp_item(sqlite3_stmt *st)
{
	json_t *detail = rp_text(st, 3) ? json_loads(rp_text(st, 3), 0, NULL) : NULL;
	const char *kind = rp_text(st, 2);
	int incident = strcmp(kind, "incident") == 0;
	json_t *o = json_pack("{s:I,s:o,s:s,s:o,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			      "at", clock_json(sqlite3_column_int64(st, 1)), "kind",
			      incident ? "incident" : "action", "by",
			      incident ? json_string("") : rp_str(st, 4), "regno", rp_str(st, 5),
			      "name", rp_str(st, 6));
	if (!detail)
		detail = json_object();
	if (incident) {
		json_object_set(o, "type", json_object_get(detail, "type"));
		json_object_set_new(o, "source", json_incref(json_object_get(detail, "by")));
		if (json_object_get(detail, "ms"))
			json_object_set(o, "ms", json_object_get(detail, "ms"));
	} else {
		json_t *a = json_object_get(detail, "action");
		json_object_set_new(o, "action",
				    a ? json_incref(a) : json_string(kind + strlen("sitting_")));
		json_object_set(o, "reason", json_object_get(detail, "reason"));
		if (json_object_get(detail, "candidates"))
			json_object_set(o, "candidates", json_object_get(detail, "candidates"));
		if (json_object_get(detail, "all"))
			json_object_set(o, "all", json_object_get(detail, "all"));
		for (const char *const *k = (const char *const[]){ "minutes", "text", "from", "to", NULL };
		     *k; k++)
			if (json_object_get(detail, *k))
				json_object_set(o, *k, json_object_get(detail, *k));
	}
	json_decref(detail);
	return o;
}

/* Prepare sql with the sitting id bound, or NULL with err. */
static sqlite3_stmt *rp_prepare(sqlite3 *db, const char *sql, int64_t id, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "sitting report: %s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_int64(st, 1, id);
	return st;
}

json_t *proctor_log(sqlite3 *db, int64_t sitting_id, int ascending, char *err, size_t errlen)
{
	sqlite3_stmt *st = rp_prepare(db, sql_log, sitting_id, err, errlen);
	json_t *items;
	if (!st)
		return NULL;
	items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ascending)
			json_array_append_new(items, rp_item(st));
		else
			json_array_insert_new(items, 0, rp_item(st));
	}
	sqlite3_finalize(st);
	return json_pack("{s:o}", "items", items);
}

json_t *proctor_report(sqlite3 *db, int64_t sitting_id, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	json_t *r = NULL, *log = NULL, *list, *amend;
	int64_t closed = 0, close_id = 0;
	size_t i;
	json_t *it;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) /* one snapshot */
		goto fail;
	if (!(st = rp_prepare(db, sql_sitting, sitting_id, err, errlen)))
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "no such sitting");
		goto out;
	}
	closed = sqlite3_column_int64(st, 4);
	r = json_pack("{s:{s:I,s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o},s:o,s:o,s:o,s:o}", "sitting", "id",
		      (json_int_t)sitting_id, "code", rp_str(st, 0), "room", rp_str(st, 1),
		      "starts_at", sqlite3_column_int64(st, 2) ? rp_ms(st, 2) : json_null(),
		      "started_at", rp_ms(st, 3), "created_at", rp_ms(st, 10), "exam", "code",
		      rp_str(st, 6), "title", rp_str(st, 7), "closed_at", rp_ms(st, 4), "closed_by",
		      rp_str(st, 9), "closed_by_username", rp_str(st, 8), "audit_head",
		      rp_str(st, 5));
	sqlite3_finalize(st);

	if (!(st = rp_prepare(db, sql_proctors, sitting_id, err, errlen)))
		goto out;
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:o,s:o}", "username", rp_str(st, 0),
						      "name", rp_str(st, 1)));
	json_object_set_new(r, "proctors", list);
	sqlite3_finalize(st);

	if (!(st = rp_prepare(db, sql_counts, sitting_id, err, errlen)))
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int reg = sqlite3_column_int(st, 0), present = sqlite3_column_int(st, 1);
		json_object_set_new(r, "counts",
				    json_pack("{s:i,s:i,s:i,s:i,s:i}", "registered", reg, "present",
					      present, "absent", reg - present, "finished",
					      sqlite3_column_int(st, 2), "disqualified",
					      sqlite3_column_int(st, 3)));
	}
	sqlite3_finalize(st);

	if (!(st = rp_prepare(db, sql_credits, sitting_id, err, errlen)))
		goto out;
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list,
				      json_pack("{s:o,s:o,s:o,s:o,s:I,s:o}", "regno", rp_str(st, 0),
						"name", rp_str(st, 1), "at", rp_ms(st, 2), "kind",
						rp_str(st, 3), "delta_ms",
						(json_int_t)sqlite3_column_int64(st, 4), "note",
						rp_str(st, 5)));
	json_object_set_new(r, "credits", list);
	sqlite3_finalize(st);
	st = NULL;

	/* The log up to the closing (its own entry included); what came after
	 * is an amendment. */
	if (!(log = proctor_log(db, sitting_id, 1, err, errlen)))
		goto fail_r;
	list = json_array();
	amend = json_array();
	json_array_foreach(json_object_get(log, "items"), i, it)
	{
		json_array_append(closed && close_id && json_integer_value(json_object_get(it, "id")) >
							       close_id
					  ? amend
					  : list,
				  it);
		if (closed && !close_id &&
		    strcmp(json_string_value(json_object_get(it, "action")) ?: "", "close") == 0)
			close_id = json_integer_value(json_object_get(it, "id"));
	}
	json_object_set_new(r, "log", list);
	json_object_set_new(r, "amendments", amend);
	json_decref(log);
	goto out;
fail_r:
	json_decref(r);
	r = NULL;
	goto out;
fail:
	snprintf(err, errlen, "sitting report: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return r;
}
