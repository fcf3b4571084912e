/* talent.c - talent-mapping placements computed from the database
 * (include/selection/talent.h): talent_recompute reads each employee's SKP
 * ratings, sanctions, exam results (candidates carrying the NIP) and
 * entered values, applies the rules of selection/ninebox.h and stores the
 * placement with the numbers that made it. Periods and entered values
 * (the writes) are in talent_period.c; the reads in talent_read.c. */
#include "selection/talent.h"
#include "core/mem.h"
#include "selection/ninebox.h"
#include "selection/talent_int.h"
#include "store/db.h"

#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void talent_wib_date(int64_t ms, char out[11])
{
	time_t t = (time_t)(ms / 1000) + 7 * 3600;
	struct tm tm;
	char buf[64];
	gmtime_r(&t, &tm);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

int talent_config_load(const char *text, int64_t created_at, struct nb_config *c, char *err,
		       size_t errlen)
{
	char date[11], why[256];
	struct errlist errs;
	json_error_t je;
	json_t *j = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);
	int rc;

	talent_wib_date(created_at, date);
	errlist_init(&errs, 4);
	rc = nb_config_parse(j, atoi(date), date, c, &errs);
	if (rc) {
		errlist_first(&errs, why, sizeof why);
		snprintf(err, errlen, "stored period configuration is unreadable: %s",
			 j ? why : je.text);
	}
	errlist_free(&errs);
	json_decref(j);
	return rc;
}

/* The statements of one recompute. */
struct tr_ctx {
	sqlite3 *db;
	sqlite3_stmt *skp, *sanc, *exam, *entered, *old, *put;
	int64_t now;
	talent_changed_fn changed;
	void *arg;
	int n_changed;
};

static const char sql_skp[] = "SELECT year, predikat FROM skp WHERE employee_id = ?1"
			      " ORDER BY year DESC LIMIT ?2";
static const char sql_sanc[] = "SELECT type, level, date FROM sanctions WHERE employee_id = ?1"
			       " ORDER BY date DESC, id DESC LIMIT ?2";
/* The employee's newest finished attempt that is not disqualified, else
 * the disqualified one (which counts as no result). */
static const char sql_exam[] =
	"SELECT a.scores_json, a.total, a.finish_reason, c.registration_no FROM candidates c"
	" JOIN exams x ON x.id = c.exam_id JOIN attempts a ON a.candidate_id = c.id"
	" WHERE c.nip = ?1 AND x.code = ?2 AND a.status = 'finished'"
	" ORDER BY a.finish_reason = 'disqualified', a.finished_at DESC, c.id DESC LIMIT 1";
static const char sql_entered[] = "SELECT value FROM talent_scores WHERE period_id = ?1"
				  " AND employee_id = ?2 AND component = ?3";
static const char sql_old[] = "SELECT detail_json FROM placements WHERE period_id = ?1"
			      " AND employee_id = ?2";
static const char sql_put[] =
	"INSERT INTO placements (period_id, employee_id, perf, potential, pot_level, box, in_pool,"
	" reason, detail_json, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
	" ON CONFLICT (period_id, employee_id) DO UPDATE SET perf = excluded.perf,"
	" potential = excluded.potential, pot_level = excluded.pot_level, box = excluded.box,"
	" in_pool = excluded.in_pool, reason = excluded.reason,"
	" detail_json = excluded.detail_json, updated_at = excluded.updated_at";

static void tr_ctx_free(struct tr_ctx *t)
{
	sqlite3_finalize(t->skp);
	sqlite3_finalize(t->sanc);
	sqlite3_finalize(t->exam);
	sqlite3_finalize(t->entered);
	sqlite3_finalize(t->old);
	sqlite3_finalize(t->put);
}

static int tr_ctx_init(struct tr_ctx *t, sqlite3 *db, char *err, size_t errlen)
{
	t->db = db;
	if (!(t->skp = db_prepare(db, sql_skp, err, errlen)) ||
	    !(t->sanc = db_prepare(db, sql_sanc, err, errlen)) ||
	    !(t->exam = db_prepare(db, sql_exam, err, errlen)) ||
	    !(t->entered = db_prepare(db, sql_entered, err, errlen)) ||
	    !(t->old = db_prepare(db, sql_old, err, errlen)) ||
	    !(t->put = db_prepare(db, sql_put, err, errlen)))
		return -1;
	return 0;
}

/* An exam component's value from the stored attempt: the section's score
 * and max, or the total and the sum of the maxima. regno gets the
 * candidate's registration number. */
static void tr_exam_value(struct tr_ctx *t, const char *nip, const struct nb_component *m,
			  struct nb_value *v, char *regno, size_t regno_n)
{
	sqlite3_stmt *st = t->exam;
	sqlite3_bind_text(st, 1, nip, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->exam, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *sj = (const char *)sqlite3_column_text(st, 0);
		const char *why = (const char *)sqlite3_column_text(st, 2);
		json_t *arr = sj ? json_loads(sj, 0, NULL) : NULL, *e;
		double score = 0, max = 0;
		size_t i;
		snprintf(regno, regno_n, "%s", (const char *)sqlite3_column_text(st, 3));
		json_array_foreach(arr, i, e) {
			const char *code = json_string_value(json_object_get(e, "code"));
			if (m->section[0] && (!code || strcmp(code, m->section) != 0))
				continue;
			score += (double)json_integer_value(json_object_get(e, "score"));
			max += (double)json_integer_value(json_object_get(e, "max"));
		}
		if (why && strcmp(why, "disqualified") == 0) {
			v->disqualified = 1;
		} else if (max > 0) {
			v->have = 1;
			v->raw = score;
			v->max = max;
		}
		json_decref(arr);
	}
	sqlite3_reset(st);
}

static void tr_entered_value(struct tr_ctx *t, int64_t period_id, int64_t employee_id,
			     const struct nb_component *m, struct nb_value *v)
{
	sqlite3_stmt *st = t->entered;
	sqlite3_bind_int64(st, 1, period_id);
	sqlite3_bind_int64(st, 2, employee_id);
	sqlite3_bind_text(st, 3, m->code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		v->have = 1;
		v->raw = sqlite3_column_double(st, 0);
		v->max = m->max;
	}
	sqlite3_reset(st);
}

/* json for a number or null. */
static json_t *tr_num(int have, double v)
{
	return have ? json_real(v) : json_null();
}

static json_t *tr_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The numbers that made the placement (stored as detail_json). */
static json_t *tr_detail(const struct nb_config *c, const struct nb_placement *p,
			 const struct nb_value *vals, char regnos[][UJ_CODE_MAX + 1],
			 const struct nb_sanction *sanc, char types[][64])
{
	json_t *years = json_array(), *comps = json_array(), *reasons = json_array(), *d;
	for (int i = 0; i < p->perf_detail.n; i++)
		json_array_append_new(years,
				      json_pack("{s:i,s:s,s:s}", "year", p->perf_detail.year[i],
						"predikat",
						nb_predikat_code(p->perf_detail.predikat[i]),
						"level", nb_perf_code(p->perf_detail.level[i])));
	for (int i = 0; i < c->n_comp; i++) {
		const struct nb_component *m = &c->comp[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "code", m->code, "name", m->name, "kind",
				      m->kind == NB_KIND_EXAM ? "exam" : "entered", "weight",
				      m->weight);
		if (m->kind == NB_KIND_EXAM) {
			json_object_set_new(o, "exam", json_string(m->exam));
			json_object_set_new(o, "section", m->section[0] ? json_string(m->section)
									: json_null());
			json_object_set_new(o, "registration_no",
					    regnos[i][0] ? json_string(regnos[i]) : json_null());
		}
		if (vals[i].have) {
			double nv = p->pot_detail.normalised[i];
			json_object_set_new(o, "raw", json_real(vals[i].raw));
			json_object_set_new(o, "max", json_real(vals[i].max));
			json_object_set_new(o, "normalised", json_real(nv));
			json_object_set_new(o, "weighted", json_real(nb_round2(nv * m->weight / 100)));
		} else {
			json_object_set_new(o, "missing", json_true());
			json_object_set_new(o, "disqualified", json_boolean(vals[i].disqualified));
		}
		json_array_append_new(comps, o);
	}
	for (int r = 1; r < NB_R_MAX; r++)
		if (p->reasons & (1u << r))
			json_array_append_new(reasons, json_string(nb_reason_code((enum nb_reason)r)));
	d = json_pack("{s:{s:o,s:[i,i],s:o},s:{s:o,s:o,s:{s:f,s:f}},s:o,s:o,s:b,s:b,s:o,s:o}",
		      "performance", "level", tr_str(nb_perf_code(p->perf)), "window",
		      c->until_year - c->perf_years + 1, c->until_year, "years", years,
		      "potential", "score", tr_num(p->has_potential, p->potential), "level",
		      tr_str(nb_pot_code(p->pot)), "cutoffs", "high", c->cut_high, "medium",
		      c->cut_medium, "components", comps, "box",
		      p->box ? json_integer(p->box) : json_null(), "in_pool", p->in_pool,
		      "excluded", p->excluded, "sanction",
		      p->sanction >= 0
			      ? json_pack("{s:s,s:s,s:s,s:i,s:s}", "type", types[p->sanction],
					  "level", nb_sanction_code(sanc[p->sanction].level), "date",
					  sanc[p->sanction].date, "years", c->sanction_years,
					  "reference_date", c->reference_date)
			      : json_null(),
		      "reasons", reasons);
	assert(d);
	return d;
}

/* Place one employee in one period and store it when it changed. 0 or -1. */
static int tr_place(struct tr_ctx *t, int64_t period_id, const struct nb_config *c,
		    int64_t employee_id, const char *nip, char *err, size_t errlen)
{
	struct nb_skp skp[UJ_TALENT_SKP_MAX];
	struct nb_sanction sanc[UJ_TALENT_SANCTIONS_MAX];
	char types[UJ_TALENT_SANCTIONS_MAX][64];
	char regnos[UJ_TALENT_COMPONENTS_MAX][UJ_CODE_MAX + 1];
	struct nb_value vals[UJ_TALENT_COMPONENTS_MAX];
	struct nb_placement p;
	struct nb_input in;
	size_t n_skp = 0, n_sanc = 0;
	char *text = NULL;
	int changed, rc = -1;
	json_t *detail;

	memset(vals, 0, sizeof vals);
	memset(regnos, 0, sizeof regnos);
	sqlite3_bind_int64(t->skp, 1, employee_id);
	sqlite3_bind_int(t->skp, 2, UJ_TALENT_SKP_MAX);
	while (sqlite3_step(t->skp) == SQLITE_ROW && n_skp < UJ_TALENT_SKP_MAX) {
		skp[n_skp].year = sqlite3_column_int(t->skp, 0);
		skp[n_skp].predikat =
			nb_predikat_parse((const char *)sqlite3_column_text(t->skp, 1));
		n_skp++;
	}
	sqlite3_reset(t->skp);
	sqlite3_bind_int64(t->sanc, 1, employee_id);
	sqlite3_bind_int(t->sanc, 2, UJ_TALENT_SANCTIONS_MAX);
	while (sqlite3_step(t->sanc) == SQLITE_ROW && n_sanc < UJ_TALENT_SANCTIONS_MAX) {
		snprintf(types[n_sanc], sizeof types[n_sanc], "%s",
			 (const char *)sqlite3_column_text(t->sanc, 0));
		sanc[n_sanc].level = nb_sanction_parse((const char *)sqlite3_column_text(t->sanc, 1));
		snprintf(sanc[n_sanc].date, sizeof sanc[n_sanc].date, "%s",
			 (const char *)sqlite3_column_text(t->sanc, 2));
		n_sanc++;
	}
	sqlite3_reset(t->sanc);
	for (int i = 0; i < c->n_comp; i++) {
		if (c->comp[i].kind == NB_KIND_EXAM)
			tr_exam_value(t, nip, &c->comp[i], &vals[i], regnos[i], sizeof regnos[i]);
		else
			tr_entered_value(t, period_id, employee_id, &c->comp[i], &vals[i]);
	}
	in.skp = skp;
	in.n_skp = n_skp;
	in.values = vals;
	in.sanctions = sanc;
	in.n_sanctions = n_sanc;
	nb_place(c, &in, &p);
	detail = tr_detail(c, &p, vals, regnos, sanc, types);
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (!text)
		abort();
	sqlite3_bind_int64(t->old, 1, period_id);
	sqlite3_bind_int64(t->old, 2, employee_id);
	changed = sqlite3_step(t->old) != SQLITE_ROW ||
		  strcmp((const char *)sqlite3_column_text(t->old, 0), text) != 0;
	sqlite3_reset(t->old);
	if (!changed) {
		rc = 0;
		goto out;
	}
	sqlite3_bind_int64(t->put, 1, period_id);
	sqlite3_bind_int64(t->put, 2, employee_id);
	if (p.perf != NB_PERF_NONE)
		sqlite3_bind_text(t->put, 3, nb_perf_code(p.perf), -1, SQLITE_STATIC);
	if (p.has_potential)
		sqlite3_bind_double(t->put, 4, p.potential);
	if (p.pot != NB_POT_NONE)
		sqlite3_bind_text(t->put, 5, nb_pot_code(p.pot), -1, SQLITE_STATIC);
	if (p.box)
		sqlite3_bind_int(t->put, 6, p.box);
	sqlite3_bind_int(t->put, 7, p.in_pool);
	sqlite3_bind_text(t->put, 8, nb_reason_code(p.reason), -1, SQLITE_STATIC);
	sqlite3_bind_text(t->put, 9, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(t->put, 10, t->now);
	if (sqlite3_step(t->put) != SQLITE_DONE) {
		snprintf(err, errlen, "storing a placement: %s", sqlite3_errmsg(t->db));
		sqlite3_reset(t->put);
		goto out;
	}
	sqlite3_reset(t->put);
	t->n_changed++;
	if (t->changed)
		t->changed(t->arg, period_id, employee_id);
	rc = 0;
out:
	sqlite3_clear_bindings(t->put);
	free(text);
	return rc;
}

/* Every (period, employee) pair asked for. 0 or -1. */
static int tr_run(struct tr_ctx *t, int64_t period_id, int64_t employee_id, char *err,
		  size_t errlen)
{
	sqlite3_stmt *ps = NULL, *es = NULL;
	struct nb_config *c = xmalloc(sizeof *c);
	int rc = -1;

	if (!(ps = db_prepare(t->db,
			      "SELECT id, config_json, created_at FROM talent_periods"
			      " WHERE closed_at IS NULL AND (?1 = 0 OR id = ?1) ORDER BY id",
			      err, errlen)) ||
	    !(es = db_prepare(t->db,
			      "SELECT id, nip FROM employees WHERE ?1 = 0 OR id = ?1 ORDER BY id",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(ps, 1, period_id);
	sqlite3_bind_int64(es, 1, employee_id);
	while (sqlite3_step(ps) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(ps, 0);
		if (talent_config_load((const char *)sqlite3_column_text(ps, 1),
				       sqlite3_column_int64(ps, 2), c, err, errlen))
			goto out;
		while (sqlite3_step(es) == SQLITE_ROW)
			if (tr_place(t, pid, c, sqlite3_column_int64(es, 0),
				     (const char *)sqlite3_column_text(es, 1), err, errlen))
				goto out;
		sqlite3_reset(es);
	}
	rc = 0;
out:
	sqlite3_finalize(ps);
	sqlite3_finalize(es);
	free(c);
	return rc;
}

int talent_recompute_cb(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
			talent_changed_fn changed, void *arg, char *err, size_t errlen)
{
	struct tr_ctx t = { 0 };
	int own = sqlite3_get_autocommit(db) != 0;
	int rc = -1;

	t.now = now;
	t.changed = changed;
	t.arg = arg;
	if (own && db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	if (tr_ctx_init(&t, db, err, errlen) == 0 && tr_run(&t, period_id, employee_id, err, errlen) == 0)
		rc = 0;
	tr_ctx_free(&t);
	if (own) {
		if (rc == 0 && db_exec(db, "COMMIT", err, errlen))
			rc = -1;
		if (rc)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc ? -1 : t.n_changed;
}

int talent_recompute(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
		     char *err, size_t errlen)
{
	return talent_recompute_cb(db, period_id, employee_id, now, NULL, NULL, err, errlen);
}
