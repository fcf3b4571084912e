/* employees.c - the staff API's employee registry (docs/API.md,
 * "Employees"): list, profile, export, and the imports and single entries
 * of employees, SKP ratings and sanctions.
 *
 * Every request runs on the worker pool: reads on the thread's read-only
 * connection; a change opens a read-write connection of its own and goes
 * through selection/employee.c or personnel.c (checked whole, written with
 * its audit event, actor: the staff member, and the talent placements
 * recomputed, in one transaction); the reply goes out after the commit.
 * Errors are listed whole in Bahasa Indonesia (400 invalid_input), each
 * with its line and field. */
#include "api/admin_job.h"
#include "api/api.h"
#include "selection/talent_live.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "selection/employee.h"
#include "selection/ident.h"
#include "selection/personnel.h"
#include "store/db.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

enum emp_job_kind { EJ_LIST, EJ_GET, EJ_EXPORT, EJ_IMPORT, EJ_SKP_IMPORT, EJ_SANC_IMPORT,
		    EJ_SKP_SET, EJ_SANC_ADD };

struct emp_job {
	struct worker_job job;
	enum emp_job_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	char nip[32];
	char q[UJ_EMP_QUERY_MAX + 1], unit[UJ_EMP_QUERY_MAX + 1], type[32];
	char sep;
	int english;
	int year;
	char *in; /* imports: the CSV (owned) */
	size_t in_len;
	json_t *body;   /* single entries: the request's JSON (owned) */
	json_t *result; /* the reply's body (owned) */
	char *out;      /* export: the CSV (owned) */
	size_t out_len;
	int failed; /* 1: bad input (errs), 2: internal (err), 3: no such employee */
	char err[512];
	struct errlist errs;
};

static struct emp_job *emp_job_new(enum emp_job_kind kind, const struct principal *p)
{
	struct emp_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->who = p->actor;
	j->sep = ',';
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	return j;
}

static void emp_job_free(struct emp_job *j)
{
	json_decref(j->body);
	json_decref(j->result);
	errlist_free(&j->errs);
	free(j->in);
	free(j->out);
	free(j);
}

static json_t *emp_counts(const char *a, int x, const char *b, int y, const char *c, int z)
{
	return json_pack("{s:i,s:i,s:i}", a, x, b, y, c, z);
}

/* The write jobs (worker thread, own read-write connection). */
static void emp_job_write(struct emp_job *j, sqlite3 *db)
{
	int64_t now = clock_now_ms();
	struct personnel_result pr;
	struct emp_import_result er;
	int rc = -1;

	switch (j->kind) {
	case EJ_IMPORT:
		rc = employee_import(db, j->in, j->in_len, j->who, now, &er, &j->errs);
		if (!rc)
			j->result = emp_counts("created", er.created, "updated", er.updated,
					       "unchanged", er.unchanged);
		break;
	case EJ_SKP_IMPORT:
	case EJ_SANC_IMPORT:
		rc = (j->kind == EJ_SKP_IMPORT ? skp_import : sanction_import)(
			db, j->in, j->in_len, j->who, now, &pr, &j->errs);
		if (!rc)
			j->result = emp_counts("created", pr.created, "updated", pr.updated,
					       "unchanged", pr.unchanged);
		break;
	case EJ_SKP_SET:
		rc = skp_set(db, j->nip, j->year,
			     json_string_value(json_object_get(j->body, "predikat")), j->who, now,
			     &pr, &j->errs);
		if (!rc)
			j->result = json_pack("{s:s,s:i,s:s,s:b}", "nip", j->nip, "year", j->year,
					      "predikat",
					      skp_codes[skp_parse(json_string_value(
						      json_object_get(j->body, "predikat")))],
					      "changed", pr.unchanged == 0);
		break;
	case EJ_SANC_ADD: {
		struct sanction_in in = {
			.nip = j->nip,
			.type = json_string_value(json_object_get(j->body, "type")),
			.level = json_string_value(json_object_get(j->body, "level")),
			.date = json_string_value(json_object_get(j->body, "date")),
			.note = json_string_value(json_object_get(j->body, "note")),
		};
		rc = sanction_add(db, &in, j->who, now, &pr, &j->errs);
		if (!rc)
			j->result = json_pack("{s:s,s:i,s:i}", "nip", j->nip, "created", pr.created,
					      "unchanged", pr.unchanged);
		break;
	}
	default:
		assert(0);
	}
	if (rc)
		j->failed = 1;
}

/* Worker thread. */
static void emp_job_run(struct worker_job *job, void *tctx)
{
	struct emp_job *j = (struct emp_job *)job;
	sqlite3 *rdb = tctx, *db;
	FILE *out;

	switch (j->kind) {
	case EJ_LIST:
		if (!(j->result = employee_list_json(rdb, j->q, j->unit, j->type, j->err,
						     sizeof j->err)))
			j->failed = 2;
		return;
	case EJ_GET:
		if (!(j->result = employee_profile_json(rdb, j->nip, j->err, sizeof j->err)))
			j->failed = j->err[0] ? 2 : 3;
		return;
	case EJ_EXPORT:
		if (!(out = open_memstream(&j->out, &j->out_len))) {
			j->failed = 2;
			return;
		}
		if (employee_export_csv(rdb, j->sep, j->english, out, j->err, sizeof j->err))
			j->failed = 2;
		fclose(out);
		return;
	default:
		break;
	}
	/* The NIP must be in the registry for a single entry (404 otherwise). */
	if ((j->kind == EJ_SKP_SET || j->kind == EJ_SANC_ADD) && rdb &&
	    nip_check(j->nip, NULL, 0) == NIP_OK && employee_id(rdb, j->nip) == 0) {
		j->failed = 3;
		return;
	}
	if (!(db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
		j->failed = 2;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	emp_job_write(j, db);
	db_close(db);
}

/* Loop thread. */
static void emp_job_done(struct worker_job *job)
{
	struct emp_job *j = (struct emp_job *)job;
	if (j->failed == 3) {
		http_reply_error(j->req, 404, "not_found", "Pegawai dengan NIP itu tidak ada.");
	} else if (j->failed == 2) {
		log_error("staff employees: %s", j->err);
		http_reply_error(j->req, 500, "internal", NULL);
	} else if (j->failed) {
		admin_reply_errors(j->req, &j->errs);
	} else if (j->kind == EJ_EXPORT) {
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, j->out, j->out_len);
		evhttp_add_header(evhttp_request_get_output_headers(j->req), "Content-Disposition",
				  "attachment; filename=\"pegawai.csv\"");
		http_reply_buffer(j->req, 200, b, "text/csv; charset=utf-8");
		evbuffer_free(b);
	} else {
		int status = j->kind == EJ_SANC_ADD ? 201 : 200;
		/* A committed change of the registry, SKP or sanctions was
		 * recomputed in its transaction: watched talent grids refresh. */
		if (j->kind != EJ_LIST && j->kind != EJ_GET)
			talent_live_changed_all(j->a->talent);
		http_reply_json(j->req, status, json_incref(j->result));
	}
	emp_job_free(j);
}

static void emp_submit(struct api *a, struct evhttp_request *req, struct emp_job *j)
{
	j->job.run = emp_job_run;
	j->job.done = emp_job_done;
	j->a = a;
	j->req = req;
	if (worker_submit(a->pool, &j->job)) {
		emp_job_free(j);
		http_reply_busy(req);
	}
}

/* Query parameter name of req into out (n bytes; "" when absent). Returns
 * 0, or -1 when the query is malformed or the value does not fit. */
static int emp_query(struct evhttp_request *req, const char *name, char *out, size_t n)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq q;
	const char *v;
	int rc = 0;
	out[0] = '\0';
	if (!query)
		return 0;
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query, &q) != 0)
		return -1;
	if ((v = evhttp_find_header(&q, name)) && str_copy(out, n, v))
		rc = -1;
	evhttp_clear_headers(&q);
	return rc;
}

void api_employees(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	struct emp_job *j = emp_job_new(EJ_LIST, p);
	(void)rest;
	if (emp_query(req, "q", j->q, sizeof j->q) || emp_query(req, "unit", j->unit, sizeof j->unit) ||
	    emp_query(req, "type", j->type, sizeof j->type) || text_has_control(j->q, 0)) {
		emp_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Saring dengan q=, unit= dan type= (paling banyak 100 byte).");
		return;
	}
	if (j->type[0] && emp_type_parse(j->type) < 0) {
		emp_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "type harus jpt, administrator, pengawas, fungsional atau pelaksana.");
		return;
	}
	if (j->type[0])
		str_copy(j->type, sizeof j->type, emp_type_codes[emp_type_parse(j->type)]);
	emp_submit(app, req, j);
}

void api_employee(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	struct emp_job *j = emp_job_new(EJ_GET, p);
	if (route_segment(rest, 0, j->nip, sizeof j->nip) || nip_check(j->nip, NULL, 0) != NIP_OK) {
		emp_job_free(j);
		http_reply_error(req, 404, "not_found", "Pegawai dengan NIP itu tidak ada.");
		return;
	}
	emp_submit(app, req, j);
}

void api_employees_export(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	struct emp_job *j = emp_job_new(EJ_EXPORT, p);
	char sep[16], lang[8];
	(void)rest;
	if (emp_query(req, "sep", sep, sizeof sep) || emp_query(req, "lang", lang, sizeof lang) ||
	    (sep[0] && strcmp(sep, ";") && strcmp(sep, ",") && strcmp(sep, "semicolon") &&
	     strcmp(sep, "comma")) ||
	    (lang[0] && strcmp(lang, "id") && strcmp(lang, "en"))) {
		emp_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Pilihan unduhan: sep=, atau sep=; (atau sep=semicolon), lang=id atau lang=en.");
		return;
	}
	j->sep = strcmp(sep, ";") == 0 || strcmp(sep, "semicolon") == 0 ? ';' : ',';
	j->english = strcmp(lang, "en") == 0;
	emp_submit(app, req, j);
}

/* An import: the body is the CSV. */
static void emp_import(struct api *a, struct evhttp_request *req, const struct principal *p,
		       enum emp_job_kind kind)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct emp_job *j;

	if (len == 0) {
		http_reply_error(req, 400, "invalid_request", "Berkas CSV kosong.");
		return;
	}
	if (len > a->max_body || len > (size_t)UJ_CSV_FILE_MAX) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return;
	}
	j = emp_job_new(kind, p);
	j->in = xmalloc(len);
	j->in_len = len;
	evbuffer_remove(in, j->in, len);
	emp_submit(a, req, j);
}

void api_employees_import(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	(void)rest;
	emp_import(app, req, p, EJ_IMPORT);
}

void api_employees_skp(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	(void)rest;
	emp_import(app, req, p, EJ_SKP_IMPORT);
}

void api_employees_sanctions(void *app, struct evhttp_request *req, const struct principal *p,
			     const char *rest)
{
	(void)rest;
	emp_import(app, req, p, EJ_SANC_IMPORT);
}

/* The body of a single entry: a JSON object whose keys are all in allowed
 * and whose values are strings (or absent). Replies and returns -1 if not. */
static int emp_entry_body(struct api *a, struct evhttp_request *req,
			  const char *const *allowed, json_t **body)
{
	const char *key;
	json_t *v;
	if (http_body_json(req, a->max_body, body))
		return -1;
	if (http_unknown_field(req, *body, allowed)) {
		json_decref(*body);
		return -1;
	}
	json_object_foreach(*body, key, v)
		if (!json_is_string(v)) {
			char msg[96];
			snprintf(msg, sizeof msg, "%s harus berupa teks.", key);
			http_reply_error(req, 400, "invalid_request", msg);
			json_decref(*body);
			return -1;
		}
	return 0;
}

void api_employee_skp_set(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	static const char *const allowed[] = { "predikat", NULL };
	struct emp_job *j;
	json_t *body;
	char year[8], *end;
	long y;

	if (emp_entry_body(app, req, allowed, &body))
		return;
	j = emp_job_new(EJ_SKP_SET, p);
	j->body = body;
	if (!json_object_get(body, "predikat"))
		json_object_set_new(body, "predikat", json_string(""));
	if (route_segment(rest, 0, j->nip, sizeof j->nip) ||
	    route_segment(rest, 2, year, sizeof year)) {
		emp_job_free(j);
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	y = strtol(year, &end, 10);
	j->year = *end || end == year ? 0 : (int)y;
	emp_submit(app, req, j);
}

void api_employee_sanction_add(void *app, struct evhttp_request *req, const struct principal *p,
			       const char *rest)
{
	static const char *const allowed[] = { "type", "level", "date", "note", NULL };
	struct emp_job *j;
	json_t *body;

	if (emp_entry_body(app, req, allowed, &body))
		return;
	j = emp_job_new(EJ_SANC_ADD, p);
	j->body = body;
	if (route_segment(rest, 0, j->nip, sizeof j->nip)) {
		emp_job_free(j);
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	emp_submit(app, req, j);
}
