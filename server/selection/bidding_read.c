/* bidding_read.c - reading open-bidding selections: a selection with its
 * members, a vacancy's applicants scored and ranked (selection/rank.h), the
 * assessment fed from an Ujian exam, the list, the audit trail and the
 * talent-pool alternative (see selection/bidding.h). */
#include "bidding_int.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "store/db.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const bid_status_codes[BID_STATUS_MAX] = {
	"ok", "invalid_input", "not_found", "not_member", "forbidden", "closed", "internal",
};

const char *bid_status_code(enum bid_status s)
{
	assert(s >= 0 && s < BID_STATUS_MAX);
	return bid_status_codes[s];
}

int bid_code_ok(const char *code)
{
	return text_is_ident(code, UJ_CODE_MAX, "Aa0._-", 1);
}

int bid_text_ok(const char *s, size_t max, int multiline)
{
	return strlen(s) <= max && text_utf8_valid(s, strlen(s)) && !text_has_control(s, multiline);
}

const char *bid_col(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? s : "";
}

int64_t bid_selection_id(sqlite3 *db, const char *sel)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM selections WHERE code = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, sel, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return id;
}

int bid_sel_load(sqlite3 *db, const char *code, struct bid_sel *s, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct errlist errs;
	json_t *cfg = NULL;
	int rc = -1, step;
	char why[160];

	memset(s, 0, sizeof *s);
	errlist_init(&errs, 4);
	if (!(st = db_prepare(db,
			      "SELECT id, code, name, agency, config_json, status, created_at,"
			      " closed_at FROM selections WHERE code = ?",
			      err, errlen)))
		goto out;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (step != SQLITE_ROW) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		goto out;
	}
	s->id = sqlite3_column_int64(st, 0);
	str_copy(s->code, sizeof s->code, bid_col(st, 1));
	str_copy(s->name, sizeof s->name, bid_col(st, 2));
	str_copy(s->agency, sizeof s->agency, bid_col(st, 3));
	cfg = jc_parse(bid_col(st, 4), strlen(bid_col(st, 4)), why, sizeof why);
	if (!cfg || rank_config_from_json(cfg, &s->cfg, &errs)) {
		snprintf(err, errlen, "selection %s: stored config unreadable", code);
		goto out;
	}
	s->closed = strcmp(bid_col(st, 5), "closed") == 0;
	s->created_at = sqlite3_column_int64(st, 6);
	s->closed_at = sqlite3_column_int64(st, 7);
	sqlite3_finalize(st);
	if (!(st = db_prepare(db,
			      "SELECT m.staff_id, s.username, s.name, m.role FROM selection_members m"
			      " JOIN staff s ON s.id = m.staff_id WHERE m.selection_id = ?"
			      " ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1"
			      " ELSE 2 END, s.username",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, s->id);
	while (sqlite3_step(st) == SQLITE_ROW && s->n_members < UJ_SEL_MEMBERS_MAX) {
		struct bid_member *m = &s->member[s->n_members++];
		m->staff_id = sqlite3_column_int64(st, 0);
		str_copy(m->username, sizeof m->username, bid_col(st, 1));
		str_copy(m->name, sizeof m->name, bid_col(st, 2));
		str_copy(m->role, sizeof m->role, bid_col(st, 3));
	}
	rc = 1;
out:
	sqlite3_finalize(st);
	json_decref(cfg);
	errlist_free(&errs);
	return rc;
}

int bid_member_index(const struct bid_sel *s, int64_t staff_id)
{
	for (int i = 0; i < s->n_members; i++)
		if (s->member[i].staff_id == staff_id)
			return i;
	return -1;
}

/* ---- the assessment from an exam ------------------------------------------------- */

/* The applicant's result in exam: its score / max x 100 on section ("" =
 * the total) into *score (1), or 0 with *state saying why there is none:
 * "not_registered", "not_started", "in_progress", "disqualified",
 * "no_section". By registration number when regno is set, else by NIP (the
 * best attempt of the employee's candidates in that exam). -1 on error. */
static int bid_exam_score(sqlite3 *db, const char *exam, const char *section, const char *regno,
			  const char *nip, double *score, const char **state)
{
	static const char by_regno[] =
		"SELECT a.status, a.finish_reason, a.scores_json, a.total FROM candidates c"
		" JOIN exams x ON x.id = c.exam_id LEFT JOIN attempts a ON a.candidate_id = c.id"
		" WHERE x.code = ?1 AND c.registration_no = ?2";
	static const char by_nip[] =
		"SELECT a.status, a.finish_reason, a.scores_json, a.total FROM candidates c"
		" JOIN exams x ON x.id = c.exam_id LEFT JOIN attempts a ON a.candidate_id = c.id"
		" WHERE x.code = ?1 AND c.nip = ?2"
		" ORDER BY (a.status = 'finished' AND a.finish_reason <> 'disqualified') DESC,"
		" a.status = 'finished' DESC, a.finished_at DESC, c.id DESC LIMIT 1";
	sqlite3_stmt *st = NULL;
	json_t *js = NULL, *e;
	int rc = 0, step;
	long long got = 0, max = 0, total;
	size_t i;
	char why[64];

	*state = "not_registered";
	if (!*regno && !*nip)
		return 0;
	if (sqlite3_prepare_v2(db, *regno ? by_regno : by_nip, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, exam, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, *regno ? regno : nip, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? 0 : -1;
		goto out;
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		*state = "not_started";
		goto out;
	}
	if (strcmp(bid_col(st, 0), "finished") != 0) {
		*state = "in_progress";
		goto out;
	}
	if (strcmp(bid_col(st, 1), "disqualified") == 0) {
		*state = "disqualified";
		goto out;
	}
	total = sqlite3_column_int64(st, 3);
	js = jc_parse(bid_col(st, 2), strlen(bid_col(st, 2)), why, sizeof why);
	json_array_foreach(js, i, e) {
		const char *code = json_string_value(json_object_get(e, "code"));
		if (!*section) {
			max += json_integer_value(json_object_get(e, "max"));
		} else if (code && strcmp(code, section) == 0) {
			got = json_integer_value(json_object_get(e, "score"));
			max = json_integer_value(json_object_get(e, "max"));
		}
	}
	if (!*section)
		got = total;
	if (max <= 0) {
		*state = "no_section";
		goto out;
	}
	*state = "finished";
	*score = (double)got / (double)max * 100.0;
	rc = 1;
out:
	json_decref(js);
	sqlite3_finalize(st);
	return rc;
}

/* ---- a vacancy ---------------------------------------------------------------------- */

void bid_vstate_free(struct bid_vstate *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		json_decref(vs->app[i].stages);
	free(vs->app);
	free(vs->ra);
	free(vs->order);
	free(vs->requirements);
	free(vs->ppk_note);
	memset(vs, 0, sizeof *vs);
}

/* The index of applicant id in vs (sorted by id), or -1. */
static long bid_app_index(const struct bid_vstate *vs, int64_t id)
{
	size_t lo = 0, hi = vs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (vs->app[mid].id == id)
			return (long)mid;
		if (vs->app[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The stage object of applicant app for stage code (created). */
static json_t *bid_app_stage(struct bid_app *app, const char *code)
{
	json_t *o = json_object_get(app->stages, code);
	if (!o) {
		o = json_pack("{s:[]}", "entries");
		json_object_set_new(app->stages, code, o);
	}
	return o;
}

static int bid_load_applicants(sqlite3 *db, struct bid_vstate *vs, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT a.id, a.kind, e.nip, a.nik, a.name, a.origin,"
				      " a.exam_code, a.registration_no FROM applicants a"
				      " LEFT JOIN employees e ON e.id = a.employee_id"
				      " WHERE a.vacancy_id = ? ORDER BY a.id",
				      err, errlen);
	size_t cap = 16;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vs->id);
	vs->app = xcalloc(cap, sizeof *vs->app);
	while (sqlite3_step(st) == SQLITE_ROW && vs->n < UJ_SEL_APPLICANTS_MAX) {
		struct bid_app *a;
		if (vs->n == cap) {
			cap *= 2;
			vs->app = xrealloc(vs->app, cap * sizeof *vs->app);
		}
		a = &vs->app[vs->n++];
		memset(a, 0, sizeof *a);
		a->id = sqlite3_column_int64(st, 0);
		a->internal = strcmp(bid_col(st, 1), "internal") == 0;
		str_copy(a->nip, sizeof a->nip, bid_col(st, 2));
		str_copy(a->nik, sizeof a->nik, bid_col(st, 3));
		str_copy(a->name, sizeof a->name, bid_col(st, 4));
		str_copy(a->origin, sizeof a->origin, bid_col(st, 5));
		str_copy(a->exam, sizeof a->exam, bid_col(st, 6));
		str_copy(a->regno, sizeof a->regno, bid_col(st, 7));
		a->stages = json_object();
	}
	sqlite3_finalize(st);
	vs->ra = xcalloc(vs->n ? vs->n : 1, sizeof *vs->ra);
	vs->order = xcalloc(vs->n ? vs->n : 1, sizeof *vs->order);
	return 0;
}

/* The members' entries and the gate decisions of vs's applicants. */
static int bid_load_marks(sqlite3 *db, const struct bid_sel *s, struct bid_vstate *vs, char *err,
			  size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT ss.applicant_id, ss.stage, st.username, st.name, ss.score, ss.at"
		" FROM stage_scores ss JOIN applicants a ON a.id = ss.applicant_id"
		" JOIN staff st ON st.id = ss.staff_id WHERE a.vacancy_id = ?"
		" ORDER BY ss.applicant_id, ss.stage, st.username",
		err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vs->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long i = bid_app_index(vs, sqlite3_column_int64(st, 0));
		int k = rank_stage_index(&s->cfg, bid_col(st, 1));
		struct rank_input *in;
		if (i < 0 || k < 0 || s->cfg.stage[k].gate || s->cfg.stage[k].exam[0])
			continue; /* a stage no longer configured that way: kept, not counted */
		in = &vs->ra[i].in[k];
		if (in->n_entries < UJ_SEL_MEMBERS_MAX)
			in->entry[in->n_entries++] = sqlite3_column_double(st, 4);
		json_array_append_new(
			json_object_get(bid_app_stage(&vs->app[i], bid_col(st, 1)), "entries"),
			json_pack("{s:s,s:s,s:f,s:o}", "username", bid_col(st, 2), "name",
				  bid_col(st, 3), "score", sqlite3_column_double(st, 4), "at",
				  clock_json(sqlite3_column_int64(st, 5))));
	}
	sqlite3_finalize(st);
	st = db_prepare(db,
			"SELECT g.applicant_id, g.stage, g.passed, g.reason, st.username, g.at"
			" FROM stage_gates g JOIN applicants a ON a.id = g.applicant_id"
			" JOIN staff st ON st.id = g.staff_id WHERE a.vacancy_id = ?",
			err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vs->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long i = bid_app_index(vs, sqlite3_column_int64(st, 0));
		int k = rank_stage_index(&s->cfg, bid_col(st, 1));
		json_t *o;
		if (i < 0 || k < 0 || !s->cfg.stage[k].gate)
			continue;
		vs->ra[i].in[k].gate = sqlite3_column_int(st, 2) ? 1 : 0;
		o = bid_app_stage(&vs->app[i], bid_col(st, 1));
		json_object_set_new(o, "reason", json_string(bid_col(st, 3)));
		json_object_set_new(o, "by", json_string(bid_col(st, 4)));
		json_object_set_new(o, "at", clock_json(sqlite3_column_int64(st, 5)));
	}
	sqlite3_finalize(st);
	return 0;
}

/* The exam-fed stages of every applicant. */
static int bid_load_exams(sqlite3 *db, const struct bid_sel *s, struct bid_vstate *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		struct bid_app *a = &vs->app[i];
		for (int k = 0; k < s->cfg.n_stages; k++) {
			const struct rank_stage *g = &s->cfg.stage[k];
			const char *exam = a->exam[0] ? a->exam : g->exam, *state = "";
			double score = 0;
			int got;
			json_t *o;
			if (!g->exam[0])
				continue;
			got = bid_exam_score(db, exam, g->section, a->regno, a->internal ? a->nip : "",
					     &score, &state);
			if (got < 0)
				return -1;
			vs->ra[i].in[k].has_exam = got;
			vs->ra[i].in[k].exam = score;
			o = bid_app_stage(a, g->code);
			json_object_set_new(o, "exam", json_string(exam));
			json_object_set_new(o, "exam_state", json_string(state));
		}
	}
	return 0;
}

int bid_vstate_load(sqlite3 *db, const struct bid_sel *s, const char *code, struct bid_vstate *vs,
		    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int step;

	memset(vs, 0, sizeof *vs);
	st = db_prepare(db,
			"SELECT v.id, v.code, v.position, v.unit, v.openings, v.min_grade,"
			" v.requirements, v.ppk_applicant_id, v.ppk_note, v.ppk_at, s.username"
			" FROM vacancies v LEFT JOIN staff s ON s.id = v.ppk_by"
			" WHERE v.selection_id = ? AND v.code = ?",
			err, errlen);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (step == SQLITE_DONE)
			return 0;
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		return -1;
	}
	vs->id = sqlite3_column_int64(st, 0);
	str_copy(vs->code, sizeof vs->code, bid_col(st, 1));
	str_copy(vs->position, sizeof vs->position, bid_col(st, 2));
	str_copy(vs->unit, sizeof vs->unit, bid_col(st, 3));
	vs->openings = sqlite3_column_int(st, 4);
	str_copy(vs->min_grade, sizeof vs->min_grade, bid_col(st, 5));
	vs->requirements = xstrdup(bid_col(st, 6));
	vs->ppk_applicant = sqlite3_column_int64(st, 7);
	vs->ppk_note = sqlite3_column_type(st, 8) == SQLITE_NULL ? NULL : xstrdup(bid_col(st, 8));
	vs->ppk_at = sqlite3_column_int64(st, 9);
	str_copy(vs->ppk_by, sizeof vs->ppk_by, bid_col(st, 10));
	sqlite3_finalize(st);
	if (bid_load_applicants(db, vs, err, errlen))
		goto fail;
	for (size_t i = 0; i < vs->n; i++) {
		vs->ra[i].id = vs->app[i].id;
		for (int k = 0; k < s->cfg.n_stages; k++)
			vs->ra[i].in[k].gate = -1;
	}
	if (bid_load_marks(db, s, vs, err, errlen))
		goto fail;
	if (bid_load_exams(db, s, vs)) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		goto fail;
	}
	rank_compute(&s->cfg, s->n_members, vs->ra, vs->n, vs->order);
	return 1;
fail:
	bid_vstate_free(vs);
	return -1;
}

static json_t *bid_num_or_null(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *bid_stages_json(const struct rank_config *c)
{
	json_t *cfg = rank_config_to_json(c), *out = json_incref(json_object_get(cfg, "stages"));
	json_decref(cfg);
	return out;
}

static json_t *bid_members_json(const struct bid_sel *s)
{
	json_t *arr = json_array();
	for (int i = 0; i < s->n_members; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "username",
						     s->member[i].username, "name",
						     s->member[i].name, "role", s->member[i].role));
	return arr;
}

/* One applicant's row. */
static json_t *bid_app_json(const struct bid_sel *s, const struct bid_app *a,
			    const struct rank_applicant *r)
{
	json_t *stages = json_object();
	const char *out_reason = "";
	for (int k = 0; k < s->cfg.n_stages; k++) {
		const struct rank_stage *g = &s->cfg.stage[k];
		json_t *o = json_deep_copy(json_object_get(a->stages, g->code));
		if (!o)
			o = json_pack("{s:[]}", "entries");
		if (!json_object_get(o, "reason"))
			json_object_set_new(o, "reason", json_string(""));
		json_object_set_new(o, "score", g->gate ? json_null()
							: bid_num_or_null(r->has_score[k], r->score[k]));
		json_object_set_new(o, "passed", !g->gate || r->in[k].gate < 0
							  ? json_null()
							  : json_boolean(r->in[k].gate == 1));
		json_object_set_new(o, "source", json_string(g->gate       ? "decision"
							     : g->exam[0] ? "exam"
									  : "entered"));
		json_object_set_new(o, "complete", json_boolean(r->stage_complete[k]));
		if (k == r->out_stage)
			out_reason = json_string_value(json_object_get(o, "reason"));
		json_object_set_new(stages, g->code, o);
	}
	return json_pack("{s:I,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:o,s:o,s:o}", "id",
			 (json_int_t)a->id,
			 "kind", a->internal ? "internal" : "external", "nip",
			 a->internal ? json_string(a->nip) : json_null(), "nik",
			 a->internal ? json_null() : json_string(a->nik), "name", a->name, "origin",
			 a->origin, "exam",
			 a->exam[0] ? json_string(a->exam) : json_null(), "registration_no",
			 a->regno[0] ? json_string(a->regno) : json_null(), "status",
			 r->out_stage >= 0 ? "out" : "active", "out_stage",
			 r->out_stage >= 0 ? json_string(s->cfg.stage[r->out_stage].code) : json_null(),
			 "out_reason", out_reason, "stages", stages, "final", bid_num_or_null(r->complete, r->final), "rank",
			 r->rank ? json_integer(r->rank) : json_null());
}

/* The PPK's choice, or null. */
static json_t *bid_ppk_json(const struct bid_vstate *vs)
{
	long i;
	if (!vs->ppk_applicant)
		return json_null();
	i = bid_app_index(vs, vs->ppk_applicant);
	return json_pack("{s:I,s:s,s:o,s:s,s:o,s:s}", "applicant", (json_int_t)vs->ppk_applicant,
			 "name", i >= 0 ? vs->app[i].name : "", "rank",
			 i >= 0 && vs->ra[i].rank ? json_integer(vs->ra[i].rank) : json_null(), "note",
			 vs->ppk_note ? vs->ppk_note : "", "at", clock_json(vs->ppk_at), "by",
			 vs->ppk_by);
}

static json_t *bid_funnel_json(const struct bid_sel *s, const struct bid_vstate *vs, int *active)
{
	json_t *f = json_array();
	*active = 0;
	for (size_t i = 0; i < vs->n; i++)
		*active += vs->ra[i].out_stage < 0;
	for (int k = 0; k < s->cfg.n_stages; k++) {
		int entered = 0, passed = 0;
		for (size_t i = 0; i < vs->n; i++) {
			const struct rank_applicant *r = &vs->ra[i];
			if (r->out_stage >= 0 && r->out_stage < k)
				continue;
			entered++;
			passed += r->stage_complete[k];
		}
		json_array_append_new(f, json_pack("{s:s,s:s,s:i,s:i}", "stage",
						   s->cfg.stage[k].code, "name", s->cfg.stage[k].name,
						   "entered", entered, "passed", passed));
	}
	return f;
}

json_t *bid_vstate_summary(const struct bid_sel *s, const struct bid_vstate *vs)
{
	int active;
	json_t *funnel = bid_funnel_json(s, vs, &active);
	return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:i,s:i,s:o,s:o}", "code", vs->code, "position",
			 vs->position, "unit", vs->unit, "openings", vs->openings, "min_grade",
			 vs->min_grade, "requirements", vs->requirements, "applicants", (int)vs->n,
			 "active", active, "funnel", funnel, "ppk", bid_ppk_json(vs));
}

static json_t *bid_me_json(const struct bid_sel *s, int64_t staff_id)
{
	int m = bid_member_index(s, staff_id);
	return json_pack("{s:b,s:o}", "member", m >= 0, "role",
			 m >= 0 ? json_string(s->member[m].role) : json_null());
}

json_t *bid_vstate_json(const struct bid_sel *s, const struct bid_vstate *vs, int64_t staff_id)
{
	json_t *apps = json_array(), *prop = json_array();
	for (size_t j = 0; j < vs->n; j++) {
		size_t i = vs->order[j];
		const struct rank_applicant *r = &vs->ra[i];
		json_array_append_new(apps, bid_app_json(s, &vs->app[i], r));
		if (r->rank && r->rank <= s->cfg.proposal)
			json_array_append_new(prop, json_pack("{s:i,s:I,s:s,s:f}", "rank", r->rank,
							      "applicant", (json_int_t)r->id, "name",
							      vs->app[i].name, "final", r->final));
	}
	return json_pack("{s:{s:s,s:s,s:s},s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "selection", "code",
			 s->code, "name", s->name, "status", s->closed ? "closed" : "open",
			 "vacancy", bid_vstate_summary(s, vs), "stages", bid_stages_json(&s->cfg),
			 "members", bid_members_json(s), "applicants", apps, "proposal", prop, "ppk",
			 bid_ppk_json(vs), "me", bid_me_json(s, staff_id));
}

json_t *bid_vacancy_json(sqlite3 *db, const char *sel, const char *vac, int64_t staff_id,
			 enum bid_status *st, char *err, size_t errlen)
{
	struct bid_sel *s = xcalloc(1, sizeof *s);
	struct bid_vstate vs;
	json_t *out = NULL;
	int rc = bid_sel_load(db, sel, s, err, errlen);

	*st = rc < 0 ? BID_INTERNAL : BID_NOT_FOUND;
	if (rc == 1) {
		rc = bid_vstate_load(db, s, vac, &vs, err, errlen);
		*st = rc < 0 ? BID_INTERNAL : BID_NOT_FOUND;
		if (rc == 1) {
			out = bid_vstate_json(s, &vs, staff_id);
			*st = BID_OK;
			bid_vstate_free(&vs);
		}
	}
	free(s);
	return out;
}

/* ---- a selection, the list ---------------------------------------------------------- */

json_t *bid_selection_json(sqlite3 *db, const char *sel, int64_t staff_id, enum bid_status *st,
			   char *err, size_t errlen)
{
	struct bid_sel *s = xcalloc(1, sizeof *s);
	sqlite3_stmt *q = NULL;
	json_t *vacs = NULL, *out = NULL, *cfg;
	int rc = bid_sel_load(db, sel, s, err, errlen);

	*st = rc < 0 ? BID_INTERNAL : BID_NOT_FOUND;
	if (rc != 1)
		goto out;
	*st = BID_INTERNAL;
	if (!(q = db_prepare(db, "SELECT code FROM vacancies WHERE selection_id = ? ORDER BY code",
			     err, errlen)))
		goto out;
	sqlite3_bind_int64(q, 1, s->id);
	vacs = json_array();
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct bid_vstate vs;
		if (bid_vstate_load(db, s, bid_col(q, 0), &vs, err, errlen) != 1)
			goto out;
		json_array_append_new(vacs, bid_vstate_summary(s, &vs));
		bid_vstate_free(&vs);
	}
	cfg = rank_config_to_json(&s->cfg);
	out = json_pack("{s:{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o},s:O,s:o}", "selection", "code",
			s->code, "name", s->name, "agency", s->agency, "status",
			s->closed ? "closed" : "open", "created_at", clock_json(s->created_at),
			"closed_at", clock_json(s->closed_at), "config", cfg, "members",
			bid_members_json(s), "vacancies", vacs, "me", bid_me_json(s, staff_id));
	*st = BID_OK;
out:
	json_decref(vacs);
	sqlite3_finalize(q);
	free(s);
	return out;
}
