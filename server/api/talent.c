/* talent.c - the staff API's talent mapping (docs/API.md, "Talent
 * mapping"): periods, the nine-box grid with movement since the previous
 * period, its live stream, the pool, succession candidates, entered
 * component values and the CSV export.
 *
 * Every request runs on the worker pool: reads on the thread's read-only
 * connection; a write (period create/edit, entered values) opens a
 * read-write connection of its own and goes through selection/talent.h
 * (checked whole, then one transaction with its audit event, actor: the
 * staff member, and the recompute). After the commit the change goes to
 * the period's live stream (selection/talent_live.h), then the reply.
 * Errors are listed whole in Bahasa Indonesia (400 invalid_input). */
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "selection/ident.h"
#include "selection/talent.h"
#include "selection/talent_live.h"
#include "store/db.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

static const struct errtext talent_error_rows[] = {
	{ "no_such_period", "Periode pemetaan talenta tidak ditemukan." },
};
const struct errtext_table talent_errors = ERRTEXT_TABLE(talent_error_rows);

enum tj_kind { TJ_LIST, TJ_CREATE, TJ_EDIT, TJ_GET, TJ_EVENTS, TJ_POOL, TJ_SUCCESSION, TJ_SCORES,
	       TJ_EXPORT };

struct talent_job {
	struct worker_job job;
	enum tj_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	char code[UJ_TALENT_CODE_MAX + 1];
	char *name;     /* create/edit (owned) */
	json_t *config; /* create/edit (owned) */
	struct talent_scores scores;
	enum talent_lang lang;
	int min_grade, n;
	char sep;
	json_t *result;  /* owned */
	char *out;       /* export, snapshot text */
	size_t out_len;
	int failed;      /* 1: bad input (errs), 2: internal (err), 3: no such period */
	char err[512];
	struct errlist errs;
	int64_t *emps;   /* employees whose placement changed */
	size_t n_emps, cap_emps;
	int updated;
};

static struct talent_job *tj_new(enum tj_kind kind, struct api *a, struct evhttp_request *req,
				 const struct principal *p)
{
	struct talent_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->a = a;
	j->req = req;
	j->who = p->actor;
	j->sep = ',';
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	return j;
}

static void tj_free(struct talent_job *j)
{
	free(j->name);
	json_decref(j->config);
	json_decref(j->result);
	talent_scores_free(&j->scores);
	free(j->out);
	free(j->emps);
	errlist_free(&j->errs);
	free(j);
}

/* talent_changed_fn: remember the employee (worker thread, own job). */
static void tj_changed(void *arg, int64_t period_id, int64_t employee_id)
{
	struct talent_job *j = arg;
	(void)period_id;
	if (j->n_emps == j->cap_emps) {
		j->cap_emps = j->cap_emps ? 2 * j->cap_emps : 32;
		j->emps = xrealloc(j->emps, j->cap_emps * sizeof *j->emps);
	}
	j->emps[j->n_emps++] = employee_id;
}

/* A "no such period" error of a write, told apart from bad input. */
static int tj_no_period(const struct errlist *errs)
{
	return errs->n == 1 && strcmp(errs->v[0].field, "period") == 0;
}

/* The writes: own read-write connection. */
static void tj_write(struct talent_job *j)
{
	sqlite3 *db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);
	json_t *grid;
	int rc;
	if (!db) {
		j->failed = 2;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	if (j->kind == TJ_CREATE)
		rc = talent_period_create(db, j->code, j->name, j->config, j->who, clock_now_ms(),
					  &j->errs);
	else if (j->kind == TJ_EDIT)
		rc = talent_period_edit(db, j->code, j->name, j->config, j->who, clock_now_ms(),
					&j->errs);
	else
		rc = talent_scores_set(db, j->code, &j->scores, j->who, clock_now_ms(), &j->updated,
				       tj_changed, j, &j->errs);
	if (rc) {
		j->failed = tj_no_period(&j->errs) ? 3 : 1;
	} else if (j->kind != TJ_SCORES) {
		if (!(grid = talent_period_json(db, j->code, TALENT_LANG_ID, j->err, sizeof j->err)))
			j->failed = 2;
		else
			j->result = json_pack("{s:O}", "period", json_object_get(grid, "period"));
		json_decref(grid);
	}
	db_close(db);
}

/* Worker thread. */
static void tj_run(struct worker_job *job, void *tctx)
{
	struct talent_job *j = (struct talent_job *)job;
	sqlite3 *db = tctx;
	FILE *f;

	if (j->kind == TJ_CREATE || j->kind == TJ_EDIT || j->kind == TJ_SCORES) {
		tj_write(j);
		return;
	}
	if (!db) {
		j->failed = 2;
		return;
	}
	switch (j->kind) {
	case TJ_LIST:
		j->result = talent_periods_json(db, j->err, sizeof j->err);
		break;
	case TJ_GET:
		j->result = talent_period_json(db, j->code, j->lang, j->err, sizeof j->err);
		break;
	case TJ_EVENTS:
		j->result = talent_period_json(db, j->code, TALENT_LANG_ID, j->err, sizeof j->err);
		if (j->result && !(j->out = json_dumps(j->result, JSON_COMPACT)))
			abort();
		j->out_len = j->out ? strlen(j->out) : 0;
		break;
	case TJ_POOL:
		j->result = talent_pool_json(db, j->code, j->lang, j->err, sizeof j->err);
		break;
	case TJ_SUCCESSION:
		j->result = talent_succession_json(db, j->code, j->min_grade, j->n, j->lang, j->err,
						   sizeof j->err);
		break;
	case TJ_EXPORT:
		f = open_memstream(&j->out, &j->out_len);
		if (!f)
			abort();
		if (talent_export_csv(db, j->code, j->sep, f, j->err, sizeof j->err))
			j->failed = strncmp(j->err, "no such period", 14) == 0 ? 3 : 2;
		fclose(f);
		return;
	default:
		break;
	}
	if (!j->result)
		j->failed = strncmp(j->err, "no such period", 14) == 0 ? 3 : 2;
}

static void tj_reply_errors(struct evhttp_request *req, const struct errlist *errs)
{
	api_staff_reply_invalid(req, errlist_to_json(errs));
}

/* Loop thread. */
static void tj_done(struct worker_job *job)
{
	struct talent_job *j = (struct talent_job *)job;
	struct evbuffer *b;
	char disp[128];
	int rc;

	if (j->failed == 3) {
		http_reply_error(j->req, 404, "no_such_period", NULL);
	} else if (j->failed == 2) {
		log_error("talent %s: %s", j->code, j->err);
		http_reply_error(j->req, 500, "internal", NULL);
	} else if (j->failed) {
		tj_reply_errors(j->req, &j->errs);
	} else if (j->kind == TJ_EVENTS) {
		rc = j->a->talent ? talent_live_subscribe(j->a->talent, j->code, j->out, j->out_len,
							  j->req)
				  : -2;
		if (rc) {
			char s[16];
			snprintf(s, sizeof s, "%d", UJ_BUSY_RETRY_AFTER_S);
			evhttp_add_header(evhttp_request_get_output_headers(j->req), "Retry-After", s);
			http_reply_error(j->req, 503, "streams_full", NULL);
		}
	} else if (j->kind == TJ_EXPORT) {
		b = evbuffer_new();
		if (!b)
			abort();
		evbuffer_add(b, j->out, j->out_len);
		snprintf(disp, sizeof disp, "attachment; filename=\"talenta-%s.csv\"", j->code);
		evhttp_add_header(evhttp_request_get_output_headers(j->req), "Content-Disposition",
				  disp);
		http_reply_buffer(j->req, 200, b, "text/csv; charset=utf-8");
		evbuffer_free(b);
	} else if (j->kind == TJ_SCORES) {
		talent_live_changed(j->a->talent, j->code, j->emps, j->n_emps);
		http_reply_json(j->req, 200, json_pack("{s:i}", "updated", j->updated));
	} else {
		if (j->kind == TJ_CREATE || j->kind == TJ_EDIT)
			talent_live_changed(j->a->talent, j->code, NULL, 0);
		http_reply_json(j->req, j->kind == TJ_CREATE ? 201 : 200, json_incref(j->result));
	}
	tj_free(j);
}

static void tj_submit(struct talent_job *j)
{
	j->job.run = tj_run;
	j->job.done = tj_done;
	if (worker_submit(j->a->pool, &j->job)) {
		http_reply_busy(j->req);
		tj_free(j);
	}
}

/* The query's options: lang=id|en, sep=,|;|comma|semicolon, grade=IV/a,
 * n=1..UJ_TALENT_SUCCESSION_MAX. 0, or -1 (the caller replies 400). */
static int tj_query(struct evhttp_request *req, struct talent_job *j)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq q;
	const char *v;
	int rc = 0;

	j->n = 3;
	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		return -1;
	if ((v = evhttp_find_header(&q, "lang"))) {
		if (strcmp(v, "en") == 0)
			j->lang = TALENT_LANG_EN;
		else if (strcmp(v, "id") != 0)
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "sep"))) {
		if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
			j->sep = ';';
		else if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
			j->sep = ',';
		else
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "grade")) && *v && (j->min_grade = grade_ord(v)) < 0)
		rc = -1;
	if ((v = evhttp_find_header(&q, "n"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 1 || n > UJ_TALENT_SUCCESSION_MAX)
			rc = -1;
		else
			j->n = (int)n;
	}
	evhttp_clear_headers(&q);
	return rc;
}

/* A job on the period named by rest's first segment, with the query read;
 * NULL after a reply. */
static struct talent_job *tj_period(enum tj_kind kind, struct api *a, struct evhttp_request *req,
				    const struct principal *p, const char *rest)
{
	struct talent_job *j;
	char code[UJ_TALENT_CODE_MAX + 1];
	if (route_segment(rest, 0, code, sizeof code) || !talent_period_code_valid(code)) {
		http_reply_error(req, 404, "no_such_period", NULL);
		return NULL;
	}
	j = tj_new(kind, a, req, p);
	str_copy(j->code, sizeof j->code, code);
	if (tj_query(req, j)) {
		http_reply_error(req, 400, "invalid_request",
				 "Pilihan: lang=id|en, sep=,|; (atau comma|semicolon), grade=IV/a, "
				 "n=1-100.");
		tj_free(j);
		return NULL;
	}
	return j;
}

void api_talent_periods(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	(void)rest;
	tj_submit(tj_new(TJ_LIST, app, req, p));
}

/* name and config of body into j (create: code too); errors to j->errs. */
static void tj_body(struct talent_job *j, json_t *body, int create)
{
	static const char *const keys_create[] = { "code", "name", "config", NULL };
	static const char *const keys_edit[] = { "name", "config", NULL };
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v) {
		int ok = 0;
		for (const char *const *a = create ? keys_create : keys_edit; *a && !ok; a++)
			ok = strcmp(*a, k) == 0;
		if (!ok)
			errlist_add(&j->errs, 0, NULL, k, "unknown key \"%s\"", k);
	}
	if (create) {
		v = json_object_get(body, "code");
		if (!json_is_string(v) || !talent_period_code_valid(json_string_value(v)))
			errlist_add(&j->errs, 0, NULL, "code",
				    "must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
				    UJ_TALENT_CODE_MAX);
		else
			str_copy(j->code, sizeof j->code, json_string_value(v));
	}
	v = json_object_get(body, "name");
	if (v && !json_is_string(v))
		errlist_add(&j->errs, 0, NULL, "name",
			    "must be 1-%d bytes of text without control characters",
			    UJ_TALENT_NAME_MAX);
	else if (v)
		j->name = xstrdup(json_string_value(v));
	else if (create)
		errlist_add(&j->errs, 0, NULL, "name", "is required");
	j->config = json_incref(json_object_get(body, "config"));
}

void api_talent_period_create(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest)
{
	struct api *a = app;
	struct talent_job *j;
	json_t *body = NULL;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	j = tj_new(TJ_CREATE, a, req, p);
	tj_body(j, body, 1);
	json_decref(body);
	if (j->errs.total) {
		tj_reply_errors(req, &j->errs);
		tj_free(j);
		return;
	}
	tj_submit(j);
}

void api_talent_period_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	struct api *a = app;
	struct talent_job *j;
	json_t *body = NULL;

	if (!(j = tj_period(TJ_EDIT, a, req, p, rest)))
		return;
	if (http_body_json(req, a->max_body, &body)) {
		tj_free(j);
		return;
	}
	tj_body(j, body, 0);
	json_decref(body);
	if (j->errs.total) {
		tj_reply_errors(req, &j->errs);
		tj_free(j);
		return;
	}
	tj_submit(j);
}

static void tj_read(enum tj_kind kind, void *app, struct evhttp_request *req,
		    const struct principal *p, const char *rest)
{
	struct talent_job *j = tj_period(kind, app, req, p, rest);
	if (j)
		tj_submit(j);
}

void api_talent_period(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	tj_read(TJ_GET, app, req, p, rest);
}

void api_talent_events(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	tj_read(TJ_EVENTS, app, req, p, rest);
}

void api_talent_pool(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	tj_read(TJ_POOL, app, req, p, rest);
}

void api_talent_succession(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	tj_read(TJ_SUCCESSION, app, req, p, rest);
}

void api_talent_export(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	tj_read(TJ_EXPORT, app, req, p, rest);
}

void api_talent_scores(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	struct api *a = app;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
	size_t len = evbuffer_get_length(in);
	struct talent_job *j;
	char *data;

	if (!(j = tj_period(TJ_SCORES, a, req, p, rest)))
		return;
	if (len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		tj_free(j);
		return;
	}
	data = xmalloc(len + 1);
	evbuffer_remove(in, data, len);
	data[len] = '\0';
	if (ct && strncmp(ct, "application/json", 16) == 0) {
		json_error_t je;
		json_t *body = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
		if (!body)
			errlist_add(&j->errs, 0, NULL, NULL, "the body must be a JSON object");
		else
			talent_scores_from_json(body, &j->scores, &j->errs);
		json_decref(body);
	} else {
		talent_scores_from_csv(data, len, &j->scores, &j->errs);
	}
	free(data);
	if (j->errs.total) {
		tj_reply_errors(req, &j->errs);
		tj_free(j);
		return;
	}
	tj_submit(j);
}
