/* bidding_setup.c - setting an open-bidding selection up: create it with
 * its committee and vacancies, add a vacancy (see selection/bidding.h; the
 * operation machinery is bidding.c). Inside the writer operation's
 * transaction: every problem is listed, nothing is written unless there is
 * none. */
#include "bidding_int.h"
#include "core/mem.h"
#include "selection/ident.h"
#include "store/writer.h"

#include <stdio.h>
#include <string.h>

static const char sql_sel_insert[] =
	"INSERT INTO selections (code, name, agency, config_json, created_at) VALUES (?, ?, ?, ?, ?)";
static const char sql_member_insert[] =
	"INSERT INTO selection_members (selection_id, staff_id, role) VALUES (?, ?, ?)";
static const char sql_staff[] = "SELECT id, roles, disabled FROM staff WHERE username = ?";
static const char sql_vac_find[] = "SELECT id FROM vacancies WHERE selection_id = ? AND code = ?";
static const char sql_vac_count[] = "SELECT count(*) FROM vacancies WHERE selection_id = ?";
static const char sql_vac_insert[] =
	"INSERT INTO vacancies (selection_id, code, position, unit, openings, min_grade,"
	" requirements) VALUES (?, ?, ?, ?, ?, ?, ?)";

/* ---- vacancies -------------------------------------------------------------------- */

/* Check vacancy object o (fields named with prefix, "" or "vacancies[2].")
 * and insert it into selection sel_id. Problems go to errs; nothing is
 * inserted when there are any (or when insert is 0). */
static int bid_vacancy_put(struct wr_tx *tx, int64_t sel_id, const json_t *o, const char *prefix,
			   int insert, struct errlist *errs)
{
	static const char *const keys[] = { "code", "position", "unit", "openings", "min_grade",
					    "requirements", NULL };
	size_t start = errs->total;
	const char *code = "", *position = "", *unit = "", *req = "", *grade = "";
	json_t *v;
	int openings = 1;
	char f[96];
	sqlite3_stmt *st;

	if (!json_is_object(o)) {
		errlist_add(errs, 0, NULL, *prefix ? prefix : "vacancy", "must be an object");
		return -1;
	}
	bid_only_keys(o, keys, prefix, errs);
	snprintf(f, sizeof f, "%scode", prefix);
	v = json_object_get(o, "code");
	if (!json_is_string(v) || !bid_code_ok(json_string_value(v)))
		errlist_add(errs, 0, NULL, f,
			    "is required: 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
			    UJ_CODE_MAX);
	else
		code = json_string_value(v);
	snprintf(f, sizeof f, "%sposition", prefix);
	if (bid_text_field(o, "position", f, UJ_SEL_NAME_MAX, 0, &position, errs) == 0 && !*position)
		errlist_add(errs, 0, NULL, f, "is required (the position's name)");
	snprintf(f, sizeof f, "%sunit", prefix);
	bid_text_field(o, "unit", f, UJ_SEL_NAME_MAX, 0, &unit, errs);
	snprintf(f, sizeof f, "%srequirements", prefix);
	bid_text_field(o, "requirements", f, UJ_SEL_TEXT_MAX, 1, &req, errs);
	snprintf(f, sizeof f, "%sopenings", prefix);
	v = json_object_get(o, "openings");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100))
		errlist_add(errs, 0, NULL, f, "must be a whole number 1-100");
	else if (v)
		openings = (int)json_integer_value(v);
	snprintf(f, sizeof f, "%smin_grade", prefix);
	v = json_object_get(o, "min_grade");
	if (v && !json_is_null(v) && json_is_string(v) && *json_string_value(v)) {
		int ord = grade_ord(json_string_value(v));
		if (ord < 0)
			errlist_add(errs, 0, NULL, f,
				    "\"%s\" is not a golongan/ruang (I/a ... IV/e)",
				    json_string_value(v));
		else
			grade = grade_name(ord);
	} else if (v && !json_is_null(v) && !json_is_string(v)) {
		errlist_add(errs, 0, NULL, f, "must be a golongan/ruang such as \"IV/a\"");
	}
	if (*code) {
		if (!(st = wr_stmt(tx, sql_vac_find)))
			return -1;
		sqlite3_bind_int64(st, 1, sel_id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(f, sizeof f, "%scode", prefix);
			errlist_add(errs, 0, NULL, f, "this selection already has a vacancy \"%s\"",
				    code);
		}
		sqlite3_reset(st);
	}
	if (!insert || errs->total != start)
		return errs->total != start ? -1 : 0;
	if (!(st = wr_stmt(tx, sql_vac_count)))
		return -1;
	sqlite3_bind_int64(st, 1, sel_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= UJ_SEL_VACANCIES_MAX) {
		errlist_add(errs, 0, NULL, "vacancies", "a selection has at most %d vacancies",
			    UJ_SEL_VACANCIES_MAX);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (!(st = wr_stmt(tx, sql_vac_insert)))
		return -1;
	sqlite3_bind_int64(st, 1, sel_id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, position, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, openings);
	sqlite3_bind_text(st, 6, grade, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, req, -1, SQLITE_STATIC);
	return wr_step(st);
}

/* ---- create ----------------------------------------------------------------------- */

/* The members list of a new selection: checked, then inserted. */
static int bid_members_put(struct wr_tx *tx, struct bid_op *b, int64_t sel_id, json_t *names)
{
	const json_t *list = json_object_get(b->body, "members");
	struct errlist *errs = b->r->errs;
	int64_t ids[UJ_SEL_MEMBERS_MAX];
	const char *roles[UJ_SEL_MEMBERS_MAX];
	int n = 0, chairs = 0;
	size_t i;
	json_t *m;

	if (!json_is_array(list) || json_array_size(list) < 1 ||
	    json_array_size(list) > UJ_SEL_MEMBERS_MAX) {
		errlist_add(errs, 0, NULL, "members",
			    "is required: a list of 1-%d {\"username\", \"role\"}", UJ_SEL_MEMBERS_MAX);
		return -1;
	}
	json_array_foreach(list, i, m) {
		static const char *const keys[] = { "username", "role", NULL };
		json_t *u = json_object_get(m, "username"), *r = json_object_get(m, "role");
		const char *role = json_is_string(r) ? json_string_value(r) : r ? "" : "member";
		char f[48];
		sqlite3_stmt *st;
		int64_t id = 0;
		unsigned sroles = 0;
		int disabled = 0, dup = 0;

		snprintf(f, sizeof f, "members[%zu]", i);
		if (!json_is_object(m) || !json_is_string(u)) {
			errlist_add(errs, 0, NULL, f, "must be {\"username\", \"role\"}");
			continue;
		}
		snprintf(f, sizeof f, "members[%zu].", i);
		bid_only_keys(m, keys, f, errs);
		snprintf(f, sizeof f, "members[%zu].role", i);
		if (strcmp(role, "chair") && strcmp(role, "secretary") && strcmp(role, "member")) {
			errlist_add(errs, 0, NULL, f, "must be \"chair\", \"secretary\" or \"member\"");
			continue;
		}
		chairs += strcmp(role, "chair") == 0;
		snprintf(f, sizeof f, "members[%zu].username", i);
		if (!(st = wr_stmt(tx, sql_staff)))
			return -1;
		sqlite3_bind_text(st, 1, json_string_value(u), -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			sroles = (unsigned)sqlite3_column_int64(st, 1);
			disabled = sqlite3_column_int(st, 2);
		}
		sqlite3_reset(st);
		if (!id) {
			errlist_add(errs, 0, NULL, f, "no staff account \"%s\"", json_string_value(u));
			continue;
		}
		if (!(sroles & BID_ROLE_COMMITTEE)) {
			errlist_add(errs, 0, NULL, f,
				    "staff account \"%s\" does not have the committee role",
				    json_string_value(u));
			continue;
		}
		if (disabled) {
			errlist_add(errs, 0, NULL, f, "staff account \"%s\" is disabled",
				    json_string_value(u));
			continue;
		}
		for (int k = 0; k < n; k++)
			dup |= ids[k] == id;
		if (dup) {
			errlist_add(errs, 0, NULL, f, "\"%s\" is listed twice", json_string_value(u));
			continue;
		}
		ids[n] = id;
		roles[n++] = role;
		json_array_append_new(names, json_string(json_string_value(u)));
	}
	if (chairs > 1)
		errlist_add(errs, 0, NULL, "members", "a selection has at most one chair");
	if (errs->total)
		return -1;
	for (int k = 0; k < n; k++) {
		sqlite3_stmt *st = wr_stmt(tx, sql_member_insert);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, sel_id);
		sqlite3_bind_int64(st, 2, ids[k]);
		sqlite3_bind_text(st, 3, roles[k], -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
	}
	return 0;
}

int bid_apply_create(struct wr_tx *tx, struct bid_op *b)
{
	static const char *const keys[] = { "code", "name", "agency", "config", "members",
					    "vacancies", NULL };
	struct errlist *errs = b->r->errs;
	struct rank_config cfg;
	const char *code = "", *name = "", *agency = "";
	json_t *v, *names = NULL, *vacs = json_object_get(b->body, "vacancies"), *o;
	char *cfg_text = NULL;
	sqlite3_stmt *st;
	int64_t sel_id;
	size_t i;
	int rc = -1;

	if (!json_is_object(b->body)) {
		errlist_add(errs, 0, NULL, NULL, "the body must be a JSON object");
		goto invalid;
	}
	bid_only_keys(b->body, keys, "", errs);
	v = json_object_get(b->body, "code");
	if (!json_is_string(v) || !bid_code_ok(json_string_value(v)))
		errlist_add(errs, 0, NULL, "code",
			    "is required: 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
			    UJ_CODE_MAX);
	else
		code = json_string_value(v);
	bid_text_field(b->body, "name", "name", UJ_SEL_NAME_MAX, 0, &name, errs);
	if (!*name)
		errlist_add(errs, 0, NULL, "name", "is required");
	bid_text_field(b->body, "agency", "agency", UJ_SEL_NAME_MAX, 0, &agency, errs);
	rank_config_from_json(json_object_get(b->body, "config"), &cfg, errs);
	if (*code && bid_selection_id(b->db, code)) {
		errlist_add(errs, 0, NULL, "code", "a selection \"%s\" exists already", code);
	}
	if (vacs && (!json_is_array(vacs) || json_array_size(vacs) > UJ_SEL_VACANCIES_MAX))
		errlist_add(errs, 0, NULL, "vacancies", "must be a list of at most %d vacancies",
			    UJ_SEL_VACANCIES_MAX);
	if (errs->total)
		goto invalid;
	cfg_text = json_dumps((v = rank_config_to_json(&cfg)), JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	if (!(st = wr_stmt(tx, sql_sel_insert)))
		goto out;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cfg_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->op.at);
	if (wr_step(st))
		goto out;
	sel_id = wr_last_id(tx);
	names = json_array();
	if (bid_members_put(tx, b, sel_id, names)) {
		if (errs->total)
			goto invalid;
		goto out;
	}
	json_array_foreach(vacs, i, o) {
		char prefix[48];
		snprintf(prefix, sizeof prefix, "vacancies[%zu].", i);
		if (bid_vacancy_put(tx, sel_id, o, prefix, 1, errs) && !errs->total)
			goto out;
	}
	if (errs->total)
		goto invalid;
	b->r->selection_id = sel_id;
	str_copy(b->r->selection, sizeof b->r->selection, code);
	rc = bid_record(tx, b, "selection_create",
			json_pack("{s:s,s:s,s:O,s:i}", "selection", code, "name", name, "members",
				  names, "vacancies", (int)json_array_size(vacs)));
	goto out;
invalid:
	bid_fail(b, BID_INVALID);
out:
	free(cfg_text);
	json_decref(names);
	return rc;
}

int bid_apply_vacancy(struct wr_tx *tx, struct bid_op *b)
{
	const char *code;
	if (bid_open(b))
		return -1;
	if (bid_vacancy_put(tx, b->s.id, b->body, "", 1, b->r->errs)) {
		if (b->r->errs->total)
			bid_fail(b, BID_INVALID);
		return -1;
	}
	code = json_string_value(json_object_get(b->body, "code"));
	str_copy(b->r->vacancy, sizeof b->r->vacancy, code);
	return bid_record(tx, b, "selection_vacancy",
			  json_pack("{s:s,s:s}", "selection", b->s.code, "vacancy", code));
}
