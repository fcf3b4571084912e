/* bidding.c - the writes of open-bidding selections: the operation
 * machinery, a member's score, a gate decision, the PPK's choice, close (see
 * selection/bidding.h; creating a selection and adding a vacancy are
 * bidding_setup.c, the applicants CSV bidding_import.c).
 *
 * Each write is one writer operation applied at once on the caller's
 * connection (wr_apply_now). Its apply function reads what it needs on that
 * same connection inside the transaction, so nothing changes between the
 * check and the write; it records every problem and returns -1 to roll back
 * when there is one (r->status says which kind), otherwise writes and
 * appends its audit event. */
#include "bidding_int.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char sql_app[] =
	"SELECT a.id, v.code, a.name FROM applicants a JOIN vacancies v ON v.id = a.vacancy_id"
	" WHERE a.id = ? AND v.selection_id = ?";
static const char sql_failed_gates[] =
	"SELECT stage FROM stage_gates WHERE applicant_id = ? AND passed = 0";
static const char sql_score_get[] =
	"SELECT score FROM stage_scores WHERE applicant_id = ? AND stage = ? AND staff_id = ?";
static const char sql_score_put[] =
	"INSERT INTO stage_scores (applicant_id, stage, staff_id, score, at) VALUES (?, ?, ?, ?, ?)"
	" ON CONFLICT (applicant_id, stage, staff_id) DO UPDATE SET score = excluded.score,"
	" at = excluded.at";
static const char sql_gate_get[] =
	"SELECT passed, reason FROM stage_gates WHERE applicant_id = ? AND stage = ?";
static const char sql_gate_put[] =
	"INSERT INTO stage_gates (applicant_id, stage, passed, reason, staff_id, at)"
	" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (applicant_id, stage) DO UPDATE SET"
	" passed = excluded.passed, reason = excluded.reason, staff_id = excluded.staff_id,"
	" at = excluded.at";
static const char sql_ppk_put[] =
	"UPDATE vacancies SET ppk_applicant_id = ?, ppk_note = ?, ppk_at = ?, ppk_by = ?"
	" WHERE id = ?";
static const char sql_close[] =
	"UPDATE selections SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?";

/* ---- shared steps --------------------------------------------------------------- */

void bid_fail(struct bid_op *b, enum bid_status st)
{
	if (b->r->status == BID_OK)
		b->r->status = st;
}

/* The audit event of the change. */
int bid_record(struct wr_tx *tx, struct bid_op *b, const char *kind, json_t *detail)
{
	struct event_rec e = { .at = b->op.at, .actor = b->op.owner, .kind = kind, .label = -1,
			       .detail = detail };
	int rc = event_append(tx, &e);
	json_decref(detail);
	return rc;
}

/* Load the selection the operation names: 0, or -1 with the status set
 * (not found, closed, or a database error). */
int bid_open(struct bid_op *b)
{
	int rc = bid_sel_load(b->db, b->sel, &b->s, b->r->err, sizeof b->r->err);
	if (rc < 0) {
		bid_fail(b, BID_INTERNAL);
		return -1;
	}
	if (rc == 0) {
		bid_fail(b, BID_NOT_FOUND);
		snprintf(b->r->err, sizeof b->r->err, "no such selection \"%s\"", b->sel);
		return -1;
	}
	b->r->selection_id = b->s.id;
	str_copy(b->r->selection, sizeof b->r->selection, b->s.code);
	if (b->s.closed) {
		bid_fail(b, BID_CLOSED);
		snprintf(b->r->err, sizeof b->r->err, "selection %s is closed", b->s.code);
		return -1;
	}
	return 0;
}

/* 1 if who may act as the selection's chair (the admin role, or the
 * member whose role is chair). */
int bid_is_chair(const struct bid_op *b)
{
	int m = bid_member_index(&b->s, b->who->actor.id);
	return (b->who->roles & BID_ROLE_ADMIN) || (m >= 0 && strcmp(b->s.member[m].role, "chair") == 0);
}

/* A text field of body: "" when absent; -1 (reported) when not a string or
 * not valid text of at most max bytes. */
int bid_text_field(const json_t *body, const char *key, const char *field, size_t max,
			  int multiline, const char **out, struct errlist *errs)
{
	json_t *v = json_object_get(body, key);
	*out = "";
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !bid_text_ok(json_string_value(v), max, multiline)) {
		errlist_add(errs, 0, NULL, field, "must be text of at most %zu bytes", max);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int bid_only_keys(const json_t *body, const char *const *keys, const char *prefix,
			 struct errlist *errs)
{
	const char *key;
	json_t *v;
	int bad = 0;
	json_object_foreach((json_t *)body, key, v) {
		int ok = 0;
		for (int k = 0; keys[k]; k++)
			ok |= strcmp(keys[k], key) == 0;
		if (!ok) {
			char f[96];
			snprintf(f, sizeof f, "%s%.64s", prefix, key);
			errlist_add(errs, 0, NULL, f, "unknown field");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}
/* ---- entries and decisions ---------------------------------------------------------- */

/* The applicant of body (in this selection), its vacancy code and the
 * stage: 0, or -1 with the status set. *k = the stage's index. */
static int bid_target(struct wr_tx *tx, struct bid_op *b, int64_t *app, int *k)
{
	struct errlist *errs = b->r->errs;
	json_t *a = json_object_get(b->body, "applicant"), *s = json_object_get(b->body, "stage");
	sqlite3_stmt *st;
	int found = 0;

	if (bid_member_index(&b->s, b->who->actor.id) < 0) {
		bid_fail(b, BID_NOT_MEMBER);
		snprintf(b->r->err, sizeof b->r->err, "not a member of selection %s", b->s.code);
		return -1;
	}
	if (!json_is_integer(a))
		errlist_add(errs, 0, NULL, "applicant", "is required: the applicant's id");
	*k = json_is_string(s) ? rank_stage_index(&b->s.cfg, json_string_value(s)) : -1;
	if (*k < 0)
		errlist_add(errs, 0, NULL, "stage", "is required: a stage code of this selection");
	if (errs->total) {
		bid_fail(b, BID_INVALID);
		return -1;
	}
	*app = json_integer_value(a);
	if (!(st = wr_stmt(tx, sql_app)))
		return -1;
	sqlite3_bind_int64(st, 1, *app);
	sqlite3_bind_int64(st, 2, b->s.id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		str_copy(b->r->vacancy, sizeof b->r->vacancy,
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (!found) {
		bid_fail(b, BID_NOT_FOUND);
		snprintf(b->r->err, sizeof b->r->err, "no applicant %lld in selection %s",
			 (long long)*app, b->s.code);
		return -1;
	}
	return 0;
}

/* The code of the first gate the applicant failed before stage k (or at
 * any stage when k < 0) into out ("" when none). */
static int bid_failed_before(struct wr_tx *tx, struct bid_op *b, int64_t app, int k, char *out,
			     size_t n)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_failed_gates);
	int best = -1;
	out[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, app);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int g = rank_stage_index(&b->s.cfg, (const char *)sqlite3_column_text(st, 0));
		if (g >= 0 && b->s.cfg.stage[g].gate && (k < 0 || g < k) && (best < 0 || g < best))
			best = g;
	}
	sqlite3_reset(st);
	if (best >= 0)
		str_copy(out, n, b->s.cfg.stage[best].code);
	return 0;
}

static int bid_apply_score(struct wr_tx *tx, struct bid_op *b)
{
	struct errlist *errs = b->r->errs;
	json_t *sv = json_object_get(b->body, "score");
	const struct rank_stage *g;
	const char *reason = "";
	double score = 0, old = 0;
	int64_t app;
	int k, had = 0;
	char out[UJ_SEL_STAGE_CODE_MAX + 1];
	sqlite3_stmt *st;
	static const char *const keys[] = { "applicant", "stage", "score", "reason", NULL };

	if (bid_open(b) || bid_target(tx, b, &app, &k))
		return -1;
	g = &b->s.cfg.stage[k];
	bid_only_keys(b->body, keys, "", errs);
	if (g->gate)
		errlist_add(errs, 0, NULL, "stage",
			    "\"%s\" is a pass/fail stage: record a decision (gates), not a score",
			    g->code);
	else if (g->exam[0])
		errlist_add(errs, 0, NULL, "stage",
			    "\"%s\" is fed from exam %s: its score is not entered", g->code, g->exam);
	if (!json_is_number(sv) || json_number_value(sv) < 0 ||
	    json_number_value(sv) > UJ_SEL_SCORE_MAX)
		errlist_add(errs, 0, NULL, "score", "must be a number 0-%d", UJ_SEL_SCORE_MAX);
	else if (rank_round2(json_number_value(sv)) - json_number_value(sv) > 1e-9 ||
		 json_number_value(sv) - rank_round2(json_number_value(sv)) > 1e-9)
		errlist_add(errs, 0, NULL, "score", "must have at most 2 decimals");
	else
		score = json_number_value(sv);
	bid_text_field(b->body, "reason", "reason", UJ_SEL_TEXT_MAX, 1, &reason, errs);
	if (bid_failed_before(tx, b, app, k, out, sizeof out))
		return -1;
	if (out[0])
		errlist_add(errs, 0, NULL, "applicant",
			    "the applicant left the selection at stage \"%s\": no more scores", out);
	if (!(st = wr_stmt(tx, sql_score_get)))
		return -1;
	sqlite3_bind_int64(st, 1, app);
	sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, b->who->actor.id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		had = 1;
		old = sqlite3_column_double(st, 0);
	}
	sqlite3_reset(st);
	if (had && old != score && !*reason && !errs->total)
		errlist_add(errs, 0, NULL, "reason",
			    "is required to change a score already entered (%g)", old);
	if (errs->total) {
		bid_fail(b, BID_INVALID);
		return -1;
	}
	if (had && old == score)
		return 0; /* the same score again: nothing changes */
	if (!(st = wr_stmt(tx, sql_score_put)))
		return -1;
	sqlite3_bind_int64(st, 1, app);
	sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, b->who->actor.id);
	sqlite3_bind_double(st, 4, score);
	sqlite3_bind_int64(st, 5, b->op.at);
	if (wr_step(st))
		return -1;
	b->r->updated = 1;
	return bid_record(tx, b, "selection_score",
			  json_pack("{s:s,s:s,s:I,s:s,s:o,s:f,s:s}", "selection", b->s.code,
				    "vacancy", b->r->vacancy, "applicant", (json_int_t)app, "stage",
				    g->code, "old", had ? json_real(old) : json_null(), "new", score,
				    "reason", reason));
}

static int bid_apply_gate(struct wr_tx *tx, struct bid_op *b)
{
	static const char *const keys[] = { "applicant", "stage", "passed", "reason", NULL };
	struct errlist *errs = b->r->errs;
	json_t *pv = json_object_get(b->body, "passed");
	const struct rank_stage *g;
	const char *reason = "";
	char old_reason[UJ_SEL_TEXT_MAX + 1] = "", out[UJ_SEL_STAGE_CODE_MAX + 1];
	int64_t app;
	int k, had = 0, old = 0, passed = 0;
	sqlite3_stmt *st;

	if (bid_open(b) || bid_target(tx, b, &app, &k))
		return -1;
	g = &b->s.cfg.stage[k];
	bid_only_keys(b->body, keys, "", errs);
	if (!g->gate)
		errlist_add(errs, 0, NULL, "stage", "\"%s\" is a scored stage, not a pass/fail gate",
			    g->code);
	if (!json_is_boolean(pv))
		errlist_add(errs, 0, NULL, "passed", "is required: true or false");
	else
		passed = json_is_true(pv);
	bid_text_field(b->body, "reason", "reason", UJ_SEL_TEXT_MAX, 1, &reason, errs);
	if (bid_failed_before(tx, b, app, k, out, sizeof out))
		return -1;
	if (out[0])
		errlist_add(errs, 0, NULL, "applicant",
			    "the applicant left the selection at stage \"%s\"", out);
	if (!(st = wr_stmt(tx, sql_gate_get)))
		return -1;
	sqlite3_bind_int64(st, 1, app);
	sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		had = 1;
		old = sqlite3_column_int(st, 0) != 0;
		str_copy(old_reason, sizeof old_reason, (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (!errs->total && !passed && !*reason)
		errlist_add(errs, 0, NULL, "reason", "is required when an applicant does not pass");
	else if (!errs->total && had && old != passed && !*reason)
		errlist_add(errs, 0, NULL, "reason", "is required to change a decision already made");
	if (errs->total) {
		bid_fail(b, BID_INVALID);
		return -1;
	}
	if (had && old == passed && strcmp(old_reason, reason) == 0)
		return 0;
	if (!(st = wr_stmt(tx, sql_gate_put)))
		return -1;
	sqlite3_bind_int64(st, 1, app);
	sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, passed);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->who->actor.id);
	sqlite3_bind_int64(st, 6, b->op.at);
	if (wr_step(st))
		return -1;
	b->r->updated = 1;
	return bid_record(tx, b, "selection_gate",
			  json_pack("{s:s,s:s,s:I,s:s,s:o,s:b,s:s}", "selection", b->s.code,
				    "vacancy", b->r->vacancy, "applicant", (json_int_t)app, "stage",
				    g->code, "old", had ? json_boolean(old) : json_null(), "new",
				    passed, "reason", reason));
}

/* ---- the PPK's choice, closing ------------------------------------------------------ */

static int bid_apply_ppk(struct wr_tx *tx, struct bid_op *b)
{
	static const char *const keys[] = { "applicant", "note", NULL };
	struct errlist *errs = b->r->errs;
	struct bid_vstate vs;
	json_t *av = json_object_get(b->body, "applicant");
	const char *note = "";
	int64_t app = 0;
	long idx = -1;
	int rc, rank = 0;
	sqlite3_stmt *st;

	if (bid_open(b))
		return -1;
	if (!bid_is_chair(b)) {
		bid_fail(b, BID_FORBIDDEN);
		snprintf(b->r->err, sizeof b->r->err, "only an admin or the chair records the PPK's choice");
		return -1;
	}
	rc = bid_vstate_load(b->db, &b->s, b->vac, &vs, b->r->err, sizeof b->r->err);
	if (rc <= 0) {
		bid_fail(b, rc < 0 ? BID_INTERNAL : BID_NOT_FOUND);
		return -1;
	}
	str_copy(b->r->vacancy, sizeof b->r->vacancy, vs.code);
	bid_only_keys(b->body, keys, "", errs);
	bid_text_field(b->body, "note", "note", UJ_SEL_TEXT_MAX, 1, &note, errs);
	if (!json_is_integer(av)) {
		errlist_add(errs, 0, NULL, "applicant", "is required: the chosen applicant's id");
	} else {
		app = json_integer_value(av);
		for (size_t i = 0; i < vs.n; i++)
			if (vs.app[i].id == app)
				idx = (long)i;
		rank = idx >= 0 ? vs.ra[idx].rank : 0;
		if (idx < 0)
			errlist_add(errs, 0, NULL, "applicant", "no applicant %lld in vacancy %s",
				    (long long)app, vs.code);
		else if (!rank || rank > b->s.cfg.proposal)
			errlist_add(errs, 0, NULL, "applicant",
				    "%s is not among the %d names proposed to the PPK",
				    vs.app[idx].name, b->s.cfg.proposal);
		else if (rank != 1 && !*note)
			errlist_add(errs, 0, NULL, "note",
				    "is required when the PPK chooses rank %d instead of rank 1", rank);
	}
	if (errs->total) {
		bid_vstate_free(&vs);
		bid_fail(b, BID_INVALID);
		return -1;
	}
	if (!(st = wr_stmt(tx, sql_ppk_put))) {
		bid_vstate_free(&vs);
		return -1;
	}
	sqlite3_bind_int64(st, 1, app);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, b->op.at);
	sqlite3_bind_int64(st, 4, b->who->actor.id);
	sqlite3_bind_int64(st, 5, vs.id);
	rc = wr_step(st);
	if (!rc)
		rc = bid_record(tx, b, "selection_ppk",
				json_pack("{s:s,s:s,s:I,s:i,s:o,s:I,s:s}", "selection", b->s.code,
					  "vacancy", vs.code, "applicant", (json_int_t)app, "rank", rank,
					  "old", vs.ppk_applicant ? json_integer(vs.ppk_applicant)
								  : json_null(),
					  "new", (json_int_t)app, "reason", note));
	bid_vstate_free(&vs);
	b->r->updated = 1;
	return rc;
}

static int bid_apply_close(struct wr_tx *tx, struct bid_op *b)
{
	sqlite3_stmt *st;
	if (bid_open(b))
		return -1;
	if (!bid_is_chair(b)) {
		bid_fail(b, BID_FORBIDDEN);
		snprintf(b->r->err, sizeof b->r->err, "only an admin or the chair closes a selection");
		return -1;
	}
	if (!(st = wr_stmt(tx, sql_close)))
		return -1;
	sqlite3_bind_int64(st, 1, b->op.at);
	sqlite3_bind_int64(st, 2, b->who->actor.id);
	sqlite3_bind_int64(st, 3, b->s.id);
	if (wr_step(st))
		return -1;
	return bid_record(tx, b, "selection_close", json_pack("{s:s}", "selection", b->s.code));
}

/* ---- running an operation ----------------------------------------------------------- */

static int bid_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct bid_op *b = (struct bid_op *)op;
	switch (b->kind) {
	case BOP_CREATE:
		return bid_apply_create(tx, b);
	case BOP_VACANCY:
		return bid_apply_vacancy(tx, b);
	case BOP_SCORE:
		return bid_apply_score(tx, b);
	case BOP_GATE:
		return bid_apply_gate(tx, b);
	case BOP_PPK:
		return bid_apply_ppk(tx, b);
	case BOP_CLOSE:
		return bid_apply_close(tx, b);
	}
	return -1;
}

static void bid_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

/* Apply b at once; r->status tells the outcome. */
static void bid_run(sqlite3 *db, struct bid_op *b, int64_t now)
{
	char err[256];
	struct bid_op *heap = xcalloc(1, sizeof *heap);
	*heap = *b;
	heap->db = db;
	wr_op_init(&heap->op, bid_apply, b->who->actor, now);
	heap->op.release = bid_release;
	b->r->status = BID_OK;
	if (wr_apply_now(db, &heap->op, err, sizeof err) != 0 && b->r->status == BID_OK) {
		b->r->status = BID_INTERNAL;
		snprintf(b->r->err, sizeof b->r->err, "%s", err);
	}
	free(heap);
}

void bid_selection_create(sqlite3 *db, const json_t *body, const struct bid_who *who, int64_t now,
			  struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_CREATE, .who = who, .body = body, .r = r };
	bid_run(db, &b, now);
}

void bid_vacancy_add(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
		     int64_t now, struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_VACANCY, .who = who, .sel = sel, .body = body, .r = r };
	bid_run(db, &b, now);
}

void bid_score(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
	       int64_t now, struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_SCORE, .who = who, .sel = sel, .body = body, .r = r };
	bid_run(db, &b, now);
}

void bid_gate(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
	      int64_t now, struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_GATE, .who = who, .sel = sel, .body = body, .r = r };
	bid_run(db, &b, now);
}

void bid_ppk(sqlite3 *db, const char *sel, const char *vac, const json_t *body,
	     const struct bid_who *who, int64_t now, struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_PPK, .who = who, .sel = sel, .vac = vac, .body = body,
			    .r = r };
	bid_run(db, &b, now);
}

void bid_close(sqlite3 *db, const char *sel, const struct bid_who *who, int64_t now,
	       struct bid_result *r)
{
	struct bid_op b = { .kind = BOP_CLOSE, .who = who, .sel = sel, .r = r };
	bid_run(db, &b, now);
}
