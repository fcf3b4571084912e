/* talent_period.c - the writes of talent mapping (include/selection/
 * talent.h): periods created and edited, entered component values. Each
 * is checked whole first, then applied in one transaction (wr_apply_now)
 * with its audit event (store/event.h) and the recompute of the
 * placements it changes. */
#include "catalog/catalog.h"
#include "catalog/exam.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "selection/talent.h"
#include "selection/talent_int.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tp_kind { TP_CREATE, TP_EDIT, TP_SCORES };

struct tp_op {
	struct wr_op op;
	enum tp_kind kind;
	sqlite3 *db; /* the connection wr_apply_now runs on (for the recompute) */
	const char *code, *name;
	char *config;      /* canonical config JSON (owned), NULL: keep */
	const struct talent_scores *scores;
	double *values;    /* parsed values of scores */
	int64_t *emp_ids;  /* employee of each score */
	talent_changed_fn changed;
	void *arg;
	struct errlist *errs;
	int updated;
	char err[512];
};

int talent_period_code_valid(const char *code)
{
	return code && text_is_ident(code, UJ_TALENT_CODE_MAX, "Aa0._-", 1);
}

static void tp_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

/* The period's id and creation time, or 0. */
static int64_t tp_period_id(sqlite3 *db, const char *code, int64_t *created_at)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id, created_at FROM talent_periods WHERE code = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (created_at)
			*created_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return id;
}

/* The exams and sections c names exist (errors to errs). */
static void tp_check_exams(sqlite3 *db, const struct nb_config *c, struct errlist *errs)
{
	for (int i = 0; i < c->n_comp; i++) {
		const struct nb_component *m = &c->comp[i];
		struct exam_def *def;
		char item[48], why[256];
		int found = 0;
		if (m->kind != NB_KIND_EXAM || !m->exam[0])
			continue;
		snprintf(item, sizeof item, "components[%d]", i);
		def = xcalloc(1, sizeof *def);
		if (catalog_read_exam(db, m->exam, NULL, NULL, def, why, sizeof why)) {
			errlist_add(errs, 0, item, "exam", "no such exam \"%s\"", m->exam);
		} else if (m->section[0]) {
			for (int s = 0; s < def->n_sections; s++)
				found |= strcmp(def->sec[s].code, m->section) == 0;
			if (!found)
				errlist_add(errs, 0, item, "section", "exam %s has no section \"%s\"",
					    m->exam, m->section);
		}
		free(def);
	}
}

/* Check config (defaults: the date of created_at) and write its canonical
 * text to *out. 0, or -1 with errs. */
static int tp_config(sqlite3 *db, json_t *config, int64_t created_at, char **out,
		     struct errlist *errs)
{
	struct nb_config *c = xmalloc(sizeof *c);
	size_t before = errs->total;
	char date[11];
	json_t *j;

	talent_wib_date(created_at, date);
	/* The exams are checked even when something else is wrong: every
	 * problem at once. */
	nb_config_parse(config, atoi(date), date, c, errs);
	tp_check_exams(db, c, errs);
	if (errs->total == before) {
		j = nb_config_json(c);
		*out = json_dumps(j, JSON_COMPACT);
		json_decref(j);
	}
	free(c);
	return errs->total == before ? 0 : -1;
}

static int tp_event(struct wr_tx *tx, struct tp_op *s, const char *kind, json_t *detail)
{
	struct event_rec e = { .at = s->op.at, .actor = s->op.owner, .kind = kind, .label = -1,
			       .detail = detail };
	int rc = event_append(tx, &e);
	json_decref(detail);
	return rc;
}

static int tp_recompute(struct tp_op *s, int64_t period_id, int64_t employee_id)
{
	int n = talent_recompute_cb(s->db, period_id, employee_id, s->op.at, s->changed, s->arg,
				    s->err, sizeof s->err);
	return n < 0 ? -1 : 0;
}

static int tp_apply_create(struct wr_tx *tx, struct tp_op *s)
{
	sqlite3_stmt *st = wr_stmt(tx, "SELECT COUNT(*) FROM talent_periods");
	int64_t id;
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= UJ_TALENT_PERIODS_MAX)
		errlist_add(s->errs, 0, NULL, "code", "at most %d talent-mapping periods",
			    UJ_TALENT_PERIODS_MAX);
	sqlite3_reset(st);
	if (tp_period_id(s->db, s->code, NULL))
		errlist_add(s->errs, 0, NULL, "code", "a talent-mapping period \"%s\" already exists",
			    s->code);
	if (s->errs->total)
		return -1;
	if (!(st = wr_stmt(tx, "INSERT INTO talent_periods (code, name, config_json, created_at)"
			       " VALUES (?1, ?2, ?3, ?4)")))
		return -1;
	sqlite3_bind_text(st, 1, s->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->config, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, s->op.at);
	if (wr_step(st))
		return -1;
	id = wr_last_id(tx);
	if (tp_event(tx, s, "talent_period_created",
		     json_pack("{s:s,s:s,s:o}", "period", s->code, "name", s->name, "config",
			       json_loads(s->config, 0, NULL))))
		return -1;
	return tp_recompute(s, id, 0);
}

static int tp_apply_edit(struct wr_tx *tx, struct tp_op *s)
{
	int64_t id = tp_period_id(s->db, s->code, NULL);
	sqlite3_stmt *st;
	json_t *detail;
	if (!id) {
		errlist_add(s->errs, 0, NULL, "period", "no such period \"%s\"", s->code);
		return -1;
	}
	if (!(st = wr_stmt(tx, "UPDATE talent_periods SET name = coalesce(?1, name),"
			       " config_json = coalesce(?2, config_json) WHERE id = ?3")))
		return -1;
	if (s->name)
		sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
	if (s->config)
		sqlite3_bind_text(st, 2, s->config, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if (wr_step(st))
		return -1;
	detail = json_pack("{s:s}", "period", s->code);
	if (s->name)
		json_object_set_new(detail, "name", json_string(s->name));
	if (s->config)
		json_object_set_new(detail, "config", json_loads(s->config, 0, NULL));
	if (tp_event(tx, s, "talent_period_edited", detail))
		return -1;
	return tp_recompute(s, id, 0);
}

static int tp_id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int tp_apply_scores(struct wr_tx *tx, struct tp_op *s)
{
	int64_t id = tp_period_id(s->db, s->code, NULL);
	const struct talent_scores *v = s->scores;
	sqlite3_stmt *st;
	json_t *list = json_array();
	if (!id) {
		json_decref(list);
		errlist_add(s->errs, 0, NULL, "period", "no such period \"%s\"", s->code);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (!(st = wr_stmt(tx, "INSERT INTO talent_scores (period_id, employee_id, component,"
				       " value, staff_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
				       " ON CONFLICT (period_id, employee_id, component) DO UPDATE"
				       " SET value = excluded.value, staff_id = excluded.staff_id,"
				       " at = excluded.at"))) {
			json_decref(list);
			return -1;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, s->emp_ids[i]);
		sqlite3_bind_text(st, 3, v->v[i].component, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 4, s->values[i]);
		if (s->op.owner.kind == ACTOR_STAFF)
			sqlite3_bind_int64(st, 5, s->op.owner.id);
		sqlite3_bind_int64(st, 6, s->op.at);
		if (wr_step(st)) {
			json_decref(list);
			return -1;
		}
		if (i < 1000) /* the audit keeps the first values themselves */
			json_array_append_new(list, json_pack("{s:s,s:s,s:f}", "nip", v->v[i].nip,
							      "component", v->v[i].component,
							      "value", s->values[i]));
	}
	s->updated = (int)v->n;
	if (tp_event(tx, s, "talent_scores_entered",
		     json_pack("{s:s,s:i,s:o}", "period", s->code, "count", (int)v->n, "values",
			       list)))
		return -1;
	/* Only the employees concerned, once each (in id order). */
	{
		int64_t *ids = xcalloc(v->n, sizeof *ids);
		int rc = 0;
		memcpy(ids, s->emp_ids, v->n * sizeof *ids);
		qsort(ids, v->n, sizeof *ids, tp_id_cmp);
		for (size_t i = 0; i < v->n && rc == 0; i++)
			if (i == 0 || ids[i] != ids[i - 1])
				rc = tp_recompute(s, id, ids[i]);
		free(ids);
		return rc;
	}
}

static int tp_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct tp_op *s = (struct tp_op *)op;
	switch (s->kind) {
	case TP_CREATE:
		return tp_apply_create(tx, s);
	case TP_EDIT:
		return tp_apply_edit(tx, s);
	case TP_SCORES:
		return tp_apply_scores(tx, s);
	}
	return -1;
}

/* Run s in one transaction on db: 0, or -1 with errs holding why. */
static int tp_run(sqlite3 *db, struct tp_op *s, struct actor who, int64_t now)
{
	char err[512];
	size_t start = s->errs->total;
	s->db = db;
	wr_op_init(&s->op, tp_apply, who, now);
	s->op.release = tp_release;
	if (wr_apply_now(db, &s->op, err, sizeof err) == 0)
		return 0;
	if (s->errs->total == start)
		errlist_add(s->errs, 0, NULL, NULL, "%s", s->err[0] ? s->err : err);
	return -1;
}

/* name: required on create; 1..UJ_TALENT_NAME_MAX bytes of text. */
static void tp_check_name(const char *name, int required, struct errlist *errs)
{
	if (!name && !required)
		return;
	if (!name || !*name || strlen(name) > UJ_TALENT_NAME_MAX || text_has_control(name, 0) ||
	    !text_utf8_valid(name, strlen(name)))
		errlist_add(errs, 0, NULL, "name",
			    "must be 1-%d bytes of text without control characters",
			    UJ_TALENT_NAME_MAX);
}

int talent_period_create(sqlite3 *db, const char *code, const char *name, json_t *config,
			 struct actor who, int64_t now, struct errlist *errs)
{
	struct tp_op s = { .kind = TP_CREATE, .code = code, .name = name, .errs = errs };
	size_t before = errs->total;
	int rc;

	if (!talent_period_code_valid(code))
		errlist_add(errs, 0, NULL, "code",
			    "must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
			    UJ_TALENT_CODE_MAX);
	tp_check_name(name, 1, errs);
	if (!config)
		errlist_add(errs, 0, NULL, "config", "is required");
	else
		tp_config(db, config, now, &s.config, errs);
	if (errs->total != before) {
		free(s.config);
		return -1;
	}
	rc = tp_run(db, &s, who, now);
	free(s.config);
	return rc;
}

int talent_period_edit(sqlite3 *db, const char *code, const char *name, json_t *config,
		       struct actor who, int64_t now, struct errlist *errs)
{
	struct tp_op s = { .kind = TP_EDIT, .code = code, .name = name, .errs = errs };
	size_t before = errs->total;
	int64_t created_at = 0;
	int rc;

	if (!talent_period_code_valid(code) || !tp_period_id(db, code, &created_at)) {
		errlist_add(errs, 0, NULL, "period", "no such period \"%s\"", code ? code : "");
		return -1;
	}
	tp_check_name(name, 0, errs);
	if (config)
		tp_config(db, config, created_at, &s.config, errs);
	if (errs->total != before) {
		free(s.config);
		return -1;
	}
	rc = tp_run(db, &s, who, now);
	free(s.config);
	return rc;
}

/* ---- entered values ---- */

void talent_scores_free(struct talent_scores *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].nip);
		free(s->v[i].component);
		free(s->v[i].value);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void tp_scores_add(struct talent_scores *s, int line, const char *nip, const char *comp,
			  const char *value)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].line = line;
	s->v[s->n].nip = xstrdup(nip);
	s->v[s->n].component = xstrdup(comp);
	s->v[s->n].value = xstrdup(value);
	s->n++;
}

/* The column of name (or one of its aliases) in the header, or -1. */
static int tp_column(const struct csv_record *h, const char *const *names)
{
	for (int i = 0; i < h->nfields; i++)
		for (const char *const *n = names; *n; n++)
			if (strcasecmp(h->fields[i], *n) == 0)
				return i;
	return -1;
}

int talent_scores_from_csv(const char *data, size_t len, struct talent_scores *out,
			   struct errlist *errs)
{
	static const char *const nip_names[] = { "nip", NULL };
	static const char *const comp_names[] = { "component", "komponen", NULL };
	static const char *const value_names[] = { "value", "nilai", NULL };
	struct csv_doc doc = { 0 };
	char err[256];
	char sep = csv_detect_sep(data, len);
	size_t before = errs->total;
	int cn, cc, cv;

	memset(out, 0, sizeof *out);
	if (csv_parse_sep(data, len, sep, 4096, UJ_TALENT_SCORES_MAX + 1, &doc, err, sizeof err)) {
		errlist_add(errs, 0, NULL, NULL, "%s", err);
		return -1;
	}
	if (doc.nrecords < 2) {
		errlist_add(errs, 0, NULL, NULL, "no values given");
		goto out;
	}
	cn = tp_column(&doc.records[0], nip_names);
	cc = tp_column(&doc.records[0], comp_names);
	cv = tp_column(&doc.records[0], value_names);
	if (cn < 0 || cc < 0 || cv < 0 || doc.records[0].nfields != 3) {
		errlist_add(errs, doc.records[0].line, NULL, NULL,
			    "expected 3 columns (nip;component;value), found %d",
			    doc.records[0].nfields);
		goto out;
	}
	for (size_t i = 1; i < doc.nrecords; i++) {
		const struct csv_record *r = &doc.records[i];
		char value[64];
		if (r->nfields != 3) {
			errlist_add(errs, r->line, NULL, NULL,
				    "expected 3 columns (nip;component;value), found %d", r->nfields);
			continue;
		}
		snprintf(value, sizeof value, "%s", r->fields[cv]);
		/* Excel under Indonesian settings writes 78,5 when the separator is ';'. */
		if (sep == ';')
			for (char *p = value; *p; p++)
				if (*p == ',')
					*p = '.';
		tp_scores_add(out, r->line, r->fields[cn], r->fields[cc], value);
	}
out:
	csv_free(&doc);
	return errs->total == before ? 0 : -1;
}

int talent_scores_from_json(json_t *body, struct talent_scores *out, struct errlist *errs)
{
	json_t *list = json_object_get(body, "scores"), *o;
	size_t before = errs->total, i;

	memset(out, 0, sizeof *out);
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > UJ_TALENT_SCORES_MAX) {
		errlist_add(errs, 0, NULL, "scores", "no values given");
		return -1;
	}
	json_array_foreach(list, i, o) {
		const char *nip = json_string_value(json_object_get(o, "nip"));
		const char *comp = json_string_value(json_object_get(o, "component"));
		json_t *v = json_object_get(o, "value");
		char item[32], num[64];
		snprintf(item, sizeof item, "scores[%zu]", i);
		if (!nip || !comp || !json_is_number(v)) {
			errlist_add(errs, 0, item, NULL, "must be an object");
			continue;
		}
		snprintf(num, sizeof num, "%.17g", json_number_value(v));
		tp_scores_add(out, (int)i + 1, nip, comp, num);
	}
	return errs->total == before ? 0 : -1;
}

/* Sorting the values by (employee, component), for the pairs given twice. */
struct tp_key {
	int64_t emp;
	const char *comp;
	size_t i;
};

static int tp_key_cmp(const void *a, const void *b)
{
	const struct tp_key *x = a, *y = b;
	if (x->emp != y->emp)
		return x->emp < y->emp ? -1 : 1;
	if (strcmp(x->comp, y->comp))
		return strcmp(x->comp, y->comp);
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Each (employee, component) given twice is an error (on its later line). */
static void tp_scores_twice(const struct talent_scores *s, const int64_t *emp_ids,
			    struct errlist *errs)
{
	struct tp_key *k = xcalloc(s->n ? s->n : 1, sizeof *k);
	for (size_t i = 0; i < s->n; i++) {
		k[i].emp = emp_ids[i];
		k[i].comp = s->v[i].component;
		k[i].i = i;
	}
	qsort(k, s->n, sizeof *k, tp_key_cmp);
	for (size_t i = 1; i < s->n; i++)
		if (k[i].emp && k[i].emp == k[i - 1].emp && strcmp(k[i].comp, k[i - 1].comp) == 0) {
			const struct talent_score *e = &s->v[k[i].i];
			errlist_add(errs, e->line, NULL, NULL,
				    "NIP \"%s\" and component \"%s\" appear twice", e->nip,
				    e->component);
		}
	free(k);
}

/* Check every value of s against period code in db: employees, entered
 * components, ranges, pairs once; fills values and emp_ids. */
static void tp_scores_check(sqlite3 *db, const char *code, const struct talent_scores *s,
			    double *values, int64_t *emp_ids, struct errlist *errs)
{
	struct nb_config *c = xmalloc(sizeof *c);
	sqlite3_stmt *st = NULL, *ps = NULL;
	char err[256];

	if (sqlite3_prepare_v2(db, "SELECT config_json, created_at FROM talent_periods"
				   " WHERE code = ?1", -1, &ps, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM employees WHERE nip = ?1", -1, &st, NULL) !=
		    SQLITE_OK) {
		errlist_add(errs, 0, NULL, NULL, "%s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(ps, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(ps) != SQLITE_ROW) {
		errlist_add(errs, 0, NULL, "period", "no such period \"%s\"", code);
		goto out;
	}
	if (talent_config_load((const char *)sqlite3_column_text(ps, 0), sqlite3_column_int64(ps, 1),
			       c, err, sizeof err)) {
		errlist_add(errs, 0, NULL, NULL, "%s", err);
		goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct talent_score *e = &s->v[i];
		int k = nb_config_component(c, e->component);
		char *end;
		emp_ids[i] = 0;
		sqlite3_bind_text(st, 1, e->nip, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			emp_ids[i] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (!emp_ids[i])
			errlist_add(errs, e->line, NULL, "nip", "no employee with NIP \"%s\"", e->nip);
		if (k < 0 || c->comp[k].kind != NB_KIND_ENTERED) {
			errlist_add(errs, e->line, NULL, "component",
				    "no entered component \"%s\" in this period", e->component);
			k = -1;
		}
		values[i] = strtod(e->value, &end);
		if (k >= 0 && (!*e->value || *end || values[i] != values[i] || values[i] < 0 ||
			       values[i] > c->comp[k].max))
			errlist_add(errs, e->line, NULL, "value", "must be a number 0-%g",
				    c->comp[k].max);
	}
	tp_scores_twice(s, emp_ids, errs);
out:
	sqlite3_finalize(ps);
	sqlite3_finalize(st);
	free(c);
}

int talent_scores_set(sqlite3 *db, const char *code, const struct talent_scores *s,
		      struct actor who, int64_t now, int *updated, talent_changed_fn changed,
		      void *arg, struct errlist *errs)
{
	struct tp_op op = { .kind = TP_SCORES, .code = code, .scores = s, .errs = errs,
			    .changed = changed, .arg = arg };
	size_t before = errs->total;
	int rc = -1;

	*updated = 0;
	if (s->n == 0) {
		errlist_add(errs, 0, NULL, NULL, "no values given");
		return -1;
	}
	op.values = xcalloc(s->n, sizeof *op.values);
	op.emp_ids = xcalloc(s->n, sizeof *op.emp_ids);
	tp_scores_check(db, code, s, op.values, op.emp_ids, errs);
	if (errs->total == before && tp_run(db, &op, who, now) == 0) {
		*updated = op.updated;
		rc = 0;
	}
	free(op.values);
	free(op.emp_ids);
	return rc;
}
