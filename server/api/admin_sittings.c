/* admin_sittings.c - the staff API's sittings (sesi) of an exam (docs/API.md,
 * "Sittings"): list, create, edit, assign candidates.
 *
 * Every request runs on the worker pool: the list reads the thread's
 * read-only connection; a change opens a read-write connection of its own
 * and goes through catalog/sitting.c (checked whole, written with its audit
 * event and a catalog bump in one transaction, actor: the staff member).
 * After the commit the catalog watcher loads the change into RAM
 * (api.catalog_sync), and only then the reply goes out, so a client that
 * reads the exam's sittings or logs a candidate in next finds them. Errors
 * are listed whole in Bahasa Indonesia (400 invalid_input). */
#include "api/admin_job.h"
#include "api/api.h"
#include "auth/staff.h"
#include "bounds.h"
#include "catalog/sitting.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/hmap.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

enum sitting_job_kind { SJ_LIST, SJ_CREATE, SJ_EDIT, SJ_ASSIGN };

struct sitting_job {
	struct worker_job job;
	enum sitting_job_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	char exam[UJ_CODE_MAX + 1];
	char code[UJ_CODE_MAX + 1];
	int with_token;
	struct sitting_spec spec;
	json_t *regnos; /* assign: the body's list (owned) */
	int moved;
	json_t *result; /* the list, or the sitting after the change (owned) */
	int failed;     /* 1: bad input (errs), 2: internal (err) */
	char err[512];
	struct errlist errs;
};

static struct sitting_job *sitting_job_new(enum sitting_job_kind kind, struct api *a,
					   struct evhttp_request *req, const struct principal *p,
					   const struct rt_exam *e)
{
	struct sitting_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->a = a;
	j->req = req;
	j->who = p->actor;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	return j;
}

static void sitting_job_free(struct sitting_job *j)
{
	json_decref(j->regnos);
	json_decref(j->result);
	errlist_free(&j->errs);
	free(j);
}

/* The sitting code's row of the exam's list (new reference) or NULL. */
static json_t *sitting_row(sqlite3 *db, const char *exam, const char *code, char *err,
			   size_t errlen)
{
	json_t *list = sitting_list_json(db, exam, 1, err, errlen), *row, *out = NULL;
	size_t i;
	json_array_foreach(list, i, row)
		if (strcmp(json_string_value(json_object_get(row, "code")), code) == 0)
			out = json_incref(row);
	json_decref(list);
	return out;
}

/* Worker thread. */
static void sitting_job_run(struct worker_job *job, void *tctx)
{
	struct sitting_job *j = (struct sitting_job *)job;
	sqlite3 *db = NULL;
	const char **v = NULL;
	size_t n = 0;
	int rc = -1;

	if (j->kind == SJ_LIST) {
		if (!tctx || !(j->result = sitting_list_json(tctx, j->exam, j->with_token, j->err,
							     sizeof j->err)))
			j->failed = 2;
		return;
	}
	if (!(db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
		j->failed = 2;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	if (j->kind == SJ_CREATE) {
		rc = sitting_create(db, j->exam, &j->spec, j->who, NULL, &j->errs);
	} else if (j->kind == SJ_EDIT) {
		rc = sitting_edit(db, j->exam, &j->spec, j->who, &j->errs);
	} else {
		n = json_array_size(j->regnos);
		v = xcalloc(n ? n : 1, sizeof *v);
		for (size_t i = 0; i < n; i++)
			v[i] = json_string_value(json_array_get(j->regnos, i));
		rc = sitting_assign(db, j->exam, j->code, v, n, j->who, &j->moved, &j->errs);
	}
	if (rc)
		j->failed = 1;
	else if (!(j->result = sitting_row(db, j->exam, j->code, j->err, sizeof j->err)))
		j->failed = 2;
	free(v);
	db_close(db);
}

/* The list as RAM knows it: the runtime changes tokens, starts and closes
 * in RAM first (its writer stores them a moment later), so RAM's newer
 * values win over the database's, as in catalog/loader.c. */
static void sitting_overlay(struct api *a, const char *exam, json_t *list, int with_token)
{
	struct rt_exam *e = registry_exam(&a->x->reg, exam);
	json_t *row;
	size_t i;

	if (!e)
		return;
	json_array_foreach(list, i, row) {
		int64_t id = json_integer_value(json_object_get(row, "id"));
		for (const struct rt_sitting *s = e->sittings; s; s = s->next) {
			int64_t db_at;
			if (s->id != id)
				continue;
			db_at = 0;
			if (json_is_string(json_object_get(row, "token_at")))
				clock_parse_rfc3339(json_string_value(json_object_get(row, "token_at")),
						    &db_at);
			if (s->token_at > db_at) {
				json_object_set_new(row, "token_at", clock_json(s->token_at));
				if (with_token) {
					json_object_set_new(row, "token", json_string(s->token));
					json_object_set_new(row, "prev_token", json_string(s->prev_token));
				}
			}
			if (s->started_at)
				json_object_set_new(row, "started_at", clock_json(s->started_at));
			if (s->closed_at)
				json_object_set_new(row, "closed_at", clock_json(s->closed_at));
		}
	}
}

/* The change is in RAM (or could not be loaded: a restart loads it). */
static void sitting_synced(void *arg, int ok)
{
	struct sitting_job *j = arg;
	if (!ok)
		log_warn("sitting %s of exam %s: stored, but the running server has not loaded it",
			 j->code, j->exam);
	if (j->kind == SJ_ASSIGN)
		http_reply_json(j->req, 200,
				json_pack("{s:s,s:s,s:i,s:i,s:O}", "exam", j->exam, "sitting", j->code,
					  "assigned", (int)json_array_size(j->regnos), "moved",
					  j->moved, "row", j->result));
	else
		http_reply_json(j->req, j->kind == SJ_CREATE ? 201 : 200,
				json_pack("{s:O}", "sitting", j->result));
	sitting_job_free(j);
}

/* Loop thread. */
static void sitting_job_done(struct worker_job *job)
{
	struct sitting_job *j = (struct sitting_job *)job;
	if (j->failed == 2) {
		if (strncmp(j->err, "no such exam", 12) == 0) {
			http_reply_error(j->req, 404, "not_found", "Ujian tidak ada.");
		} else {
			log_error("staff sittings of %s: %s", j->exam, j->err);
			http_reply_error(j->req, 500, "internal", NULL);
		}
	} else if (j->failed) {
		admin_reply_errors(j->req, &j->errs);
	} else if (j->kind == SJ_LIST) {
		sitting_overlay(j->a, j->exam, j->result, j->with_token);
		http_reply_json(j->req, 200,
				json_pack("{s:s,s:O}", "exam", j->exam, "sittings", j->result));
	} else if (j->a->catalog_sync) {
		j->a->catalog_sync(j->a->reload_ctx, sitting_synced, j);
		return; /* sitting_synced replies and frees */
	} else {
		sitting_synced(j, 1);
		return;
	}
	sitting_job_free(j);
}

static void sitting_submit(struct sitting_job *j)
{
	j->job.run = sitting_job_run;
	j->job.done = sitting_job_done;
	if (worker_submit(j->a->pool, &j->job)) {
		http_reply_busy(j->req);
		sitting_job_free(j);
	}
}

void api_admin_sittings(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	struct rt_exam *e;
	struct sitting_job *j;

	if (!admin_exam(a, req, p, rest, &e))
		return;
	j = sitting_job_new(SJ_LIST, a, req, p, e);
	/* Observers see what a proctor sees but not the token. */
	j->with_token = (p->roles & (ROLE_ADMIN | ROLE_PROCTOR)) != 0;
	sitting_submit(j);
}

void api_admin_sitting_create(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest)
{
	struct api *a = app;
	struct rt_exam *e;
	struct sitting_job *j;
	json_t *body = NULL;

	if (!admin_exam(a, req, p, rest, &e) || http_body_json(req, a->max_body, &body))
		return;
	j = sitting_job_new(SJ_CREATE, a, req, p, e);
	if (sitting_spec_from_json(body, 1, &j->spec, &j->errs)) {
		admin_reply_errors(req, &j->errs);
		sitting_job_free(j);
	} else {
		str_copy(j->code, sizeof j->code, j->spec.code);
		sitting_submit(j);
	}
	json_decref(body);
}

/* The sitting code of rest ("EXAM/sittings/CODE[/...]") into j, or a 404. */
static int sitting_code_of(struct evhttp_request *req, const char *rest, char *code, size_t n)
{
	if (route_segment(rest, 2, code, n) || !sitting_code_valid(code)) {
		http_reply_error(req, 404, "no_such_sitting", "Sesi tidak ditemukan.");
		return -1;
	}
	return 0;
}

void api_admin_sitting_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	struct api *a = app;
	char code[UJ_CODE_MAX + 1];
	struct rt_exam *e;
	struct sitting_job *j;
	json_t *body = NULL;

	if (!admin_exam(a, req, p, rest, &e) || sitting_code_of(req, rest, code, sizeof code) ||
	    http_body_json(req, a->max_body, &body))
		return;
	j = sitting_job_new(SJ_EDIT, a, req, p, e);
	if (sitting_spec_from_json(body, 0, &j->spec, &j->errs)) {
		admin_reply_errors(req, &j->errs);
		sitting_job_free(j);
	} else {
		str_copy(j->code, sizeof j->code, code);
		str_copy(j->spec.code, sizeof j->spec.code, code);
		sitting_submit(j);
	}
	json_decref(body);
}

void api_admin_sitting_assign(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest)
{
	struct api *a = app;
	char code[UJ_CODE_MAX + 1];
	struct rt_exam *e;
	struct sitting_job *j;
	json_t *body = NULL, *list, *v;
	size_t i;

	if (!admin_exam(a, req, p, rest, &e) || sitting_code_of(req, rest, code, sizeof code) ||
	    http_body_json(req, a->max_body, &body))
		return;
	j = sitting_job_new(SJ_ASSIGN, a, req, p, e);
	str_copy(j->code, sizeof j->code, code);
	list = json_object_get(body, "registration_nos");
	if (!json_is_object(body) || json_object_size(body) != 1 || !json_is_array(list) ||
	    json_array_size(list) == 0 || json_array_size(list) > UJ_CSV_ROWS_MAX) {
		errlist_add(&j->errs, 0, NULL, "registration_nos",
			    "must be a list of 1-%d registration numbers", UJ_CSV_ROWS_MAX);
	} else {
		json_array_foreach(list, i, v)
			if (!json_is_string(v))
				errlist_add(&j->errs, (int)i + 1, NULL, "registration_no",
					    "must be a string");
	}
	if (j->errs.total) {
		admin_reply_errors(req, &j->errs);
		sitting_job_free(j);
	} else {
		j->regnos = json_incref(list);
		sitting_submit(j);
	}
	json_decref(body);
}
