/* admin.c - the staff API's exams, candidates and results (docs/API.md,
 * "Staff API"): what the administration web shows and does besides
 * accounts. Reads of RAM state (exams, candidates) run on the loop; reads of
 * the database that grow with an exam (results) and the candidate import run
 * on the worker pool, so candidates' requests never wait behind them. */
#include "api/api.h"
#include "api/admin_job.h"
#include "api/fields.h"
#include "bounds.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/log.h"
#include "core/text.h"
#include "core/mem.h"
#include "http/reply.h"
#include "report/audit.h"
#include "report/results.h"
#include "store/db.h"

#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The exam named by rest's first segment, if p may act on it with the
 * route's roles (1); otherwise a 404 or 403 reply (0). An exam outside the
 * caller's scope is 403, not 404: the exam list already tells which exist. */
int admin_exam(struct api *a, struct evhttp_request *req, const struct principal *p,
		      const char *rest, struct rt_exam **out)
{
	char code[UJ_CODE_MAX + 1];
	struct rt_exam *e = NULL;
	if (route_segment(rest, 0, code, sizeof code) == 0)
		e = registry_exam(&a->x->reg, code);
	if (!e) {
		http_reply_error(req, 404, "not_found", "Ujian tidak ada.");
		return 0;
	}
	if (!staff_exam_allowed(p, e->id, p->via_roles)) {
		http_reply_error(req, 403, "forbidden", "Ujian ini tidak termasuk penugasan Anda.");
		return 0;
	}
	*out = e;
	return 1;
}

/* The exam and the candidate (rest: "EXAM/candidates/REGNO/..."). */
static int admin_candidate(struct api *a, struct evhttp_request *req, const struct principal *p,
			   const char *rest, struct rt_exam **e, struct rt_candidate **c)
{
	char regno[UJ_REGNO_MAX + 1];
	if (!admin_exam(a, req, p, rest, e))
		return 0;
	*c = route_segment(rest, 2, regno, sizeof regno) == 0 ? registry_candidate(*e, regno) : NULL;
	if (!*c) {
		http_reply_error(req, 404, "not_found", "Peserta tidak ada.");
		return 0;
	}
	return 1;
}

/* Record a staff action that changes nothing else (the event alone). */
static void admin_event(struct api *a, const struct principal *p, const char *kind,
			int64_t cand_id, json_t *detail)
{
	struct staff_op *s = staff_op_new(STAFF_EVENT, p->actor, clock_now_ms());
	s->why = kind;
	s->cand_id = cand_id;
	s->detail = detail;
	writer_submit(a->staff->w, &s->op);
}

/* ---- exams and candidates (RAM) --------------------------------------------------- */

static json_t *admin_exam_json(const struct rt_exam *e);

void api_admin_exams(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct api *a = app;
	json_t *list = json_array();
	struct rt_exam *e;
	size_t it = 0;
	(void)rest;

	while ((e = hmap_next(&a->x->reg.exams, &it)))
		if (staff_exam_allowed(p, e->id, ROLE_ALL))
			json_array_append_new(list, admin_exam_json(e));
	http_reply_json(req, 200, json_pack("{s:o}", "exams", list));
}

/* Answered questions of c. */
static int admin_answered(const struct rt_candidate *c)
{
	int n = 0;
	for (int i = 0; i < c->n && c->ans; i++)
		n += c->ans[i].label >= 0;
	return n;
}

void api_admin_candidates(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	struct api *a = app;
	struct rt_candidate *c;
	struct rt_exam *e;
	json_t *list;
	size_t it = 0;

	if (!admin_exam(a, req, p, rest, &e))
		return;
	list = json_array();
	while ((c = hmap_next(&e->candidates, &it))) {
		json_t *row = json_pack(
			"{s:s,s:s,s:s,s:i,s:s,s:b,s:i,s:i}", "registration_no", c->regno, "name",
			c->name, "track", c->track, "extra_time_s", c->extra_s, "status",
			attempt_status_names[c->status], "locked", session_locked(a->auth, c),
			"answered", admin_answered(c), "total", c->n);
		json_object_set_new(row, "started_at", clock_json(c->started_at));
		json_object_set_new(row, "finished_at", clock_json(c->finished_at));
		json_object_set_new(row, "finish_reason",
				    c->reason != FINISH_NONE ? json_string(finish_reason_names[c->reason])
							     : json_null());
		json_object_set_new(row, "deadline_at",
				    clock_json(c->status == ATT_IN_PROGRESS ? registry_deadline(c) : 0));
		json_object_set_new(row, "sitting", c->sitting ? json_string(c->sitting->code) : json_null());
		json_object_set_new(row, "room", c->sitting ? json_string(c->sitting->room) : json_null());
		json_array_append_new(list, row);
	}
	http_reply_json(req, 200, json_pack("{s:s,s:o}", "exam", e->def.code, "candidates", list));
}

/* ---- candidate actions --------------------------------------------------------------- */

struct admin_ctx {
	struct evhttp_request *req;
	char password[UJ_PASSWORD_GEN_LEN + 1];
	char regno[UJ_REGNO_MAX + 1];
	char *name;
	int extra_s;
};

static void admin_ctx_free(struct admin_ctx *c)
{
	free(c->name);
	OPENSSL_cleanse(c, sizeof *c);
	free(c);
}

static void admin_password_done(struct rt_candidate *cand, int ok, void *arg)
{
	struct admin_ctx *c = arg;
	(void)cand;
	if (!ok)
		http_reply_error(c->req, 500, "internal", NULL);
	else
		http_reply_json(c->req, 200,
				json_pack("{s:s,s:s,s:s}", "registration_no", c->regno, "name", c->name,
					  "password", c->password));
	admin_ctx_free(c);
}

void api_admin_cand_password(void *app, struct evhttp_request *req, const struct principal *p,
			     const char *rest)
{
	struct api *a = app;
	struct rt_candidate *cand;
	struct rt_exam *e;
	struct admin_ctx *c;

	if (!admin_candidate(a, req, p, rest, &e, &cand))
		return;
	c = xcalloc(1, sizeof *c);
	c->req = req;
	str_copy(c->regno, sizeof c->regno, cand->regno);
	c->name = xstrdup(cand->name);
	session_reset_password(a->auth, cand, p->actor, clock_now_ms(), c->password,
			       admin_password_done, c);
}

void api_admin_cand_unlock(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct rt_candidate *cand;
	struct rt_exam *e;
	int was;

	if (!admin_candidate(a, req, p, rest, &e, &cand))
		return;
	was = session_locked(a->auth, cand);
	session_unlock(a->auth, cand);
	admin_event(a, p, "candidate_unlocked", cand->id, json_pack("{s:b}", "was_locked", was));
	http_reply_json(req, 200, json_pack("{s:b}", "was_locked", was));
}

static void admin_extra_done(struct rt_candidate *cand, int ok, void *arg)
{
	struct admin_ctx *c = arg;
	if (!ok)
		http_reply_error(c->req, 500, "internal", NULL);
	else
		http_reply_json(c->req, 200,
				json_pack("{s:i,s:s,s:o}", "extra_time_s", cand->extra_s, "status",
					  attempt_status_names[cand->status], "deadline_at",
					  clock_json(cand->status == ATT_IN_PROGRESS
							     ? registry_deadline(cand)
							     : 0)));
	admin_ctx_free(c);
}

void api_admin_cand_extra(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "minutes", AF_INT, 1, NULL }, { NULL, 0, 0, NULL } };
	struct rt_candidate *cand;
	struct rt_exam *e;
	struct admin_ctx *c;
	json_t *body = NULL;
	json_int_t min;

	if (!admin_candidate(a, req, p, rest, &e, &cand) ||
	    http_body_json(req, a->max_body, &body) || api_fields(req, body, f))
		goto out;
	min = json_integer_value(f[0].value);
	if (min < 0 || min > UJ_EXTRA_TIME_MAX_MIN) {
		json_t *errors = json_array();
		char msg[96];
		snprintf(msg, sizeof msg, "waktu tambahan harus 0-%d menit", UJ_EXTRA_TIME_MAX_MIN);
		json_array_append_new(errors, json_pack("{s:s,s:s}", "field", "minutes", "message", msg));
		api_staff_reply_invalid(req, errors);
		goto out;
	}
	if (cand->status == ATT_FINISHED) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		goto out;
	}
	c = xcalloc(1, sizeof *c);
	c->req = req;
	attempt_set_extra(a->x, cand, (int)min * 60, p->actor, clock_now_ms(), admin_extra_done, c);
out:
	json_decref(body);
}

/* ---- worker jobs: results, import ----------------------------------------------------- */

void admin_job_free(struct admin_job *j)
{
	json_decref(j->files);
	json_decref(j->creds);
	json_decref(j->changes);
	free(j->def);
	errlist_free(&j->errs);
	if (j->out)
		OPENSSL_cleanse(j->out, j->out_len);
	free(j->out);
	free(j->in);
	free(j);
}

/* A new job of kind, its error list in Bahasa Indonesia (staff read it). */
struct admin_job *admin_job_new(enum admin_job_kind kind)
{
	struct admin_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	return j;
}

static void admin_job_run(struct worker_job *job, void *tctx)
{
	struct admin_job *j = (struct admin_job *)job;
	sqlite3 *rdb = tctx;
	FILE *out = open_memstream(&j->out, &j->out_len);

	if (!out) {
		j->failed = 2;
		return;
	}
	if (j->kind == AJ_IMPORT) {
		admin_import_run(j);
	} else if (j->kind == AJ_EXAM_EDIT) {
		sqlite3 *db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);
		if (!db) {
			j->failed = 2;
		} else {
			sqlite3_busy_timeout(db, 10000);
			if (catalog_exam_update(db, j->exam, j->changes, j->def, &j->redrawn, &j->errs))
				j->failed = 1;
			db_close(db);
		}
	} else if (j->kind == AJ_BANK || j->kind == AJ_EXAM) {
		admin_catalog_run(j, out);
	} else if (j->kind == AJ_BANKS) {
		json_t *list = rdb ? catalog_banks_json(rdb, j->err, sizeof j->err) : NULL;
		json_t *doc = list ? json_pack("{s:o}", "banks", list) : NULL;
		if (!doc || json_dumpf(doc, out, JSON_COMPACT) != 0)
			j->failed = 2;
		json_decref(doc);
	} else if (j->kind == AJ_AUDIT || j->kind == AJ_AUDIT_VERIFY) {
		admin_audit_run(j, rdb, out);
	} else if (j->kind == AJ_BANK_ITEMS) {
		json_t *doc = rdb ? catalog_bank_items_json(rdb, j->exam, j->version, j->err,
							    sizeof j->err)
				  : NULL;
		if (!doc)
			j->not_found = strcmp(j->err, "not_found") == 0;
		if (!doc || json_dumpf(doc, out, JSON_COMPACT) != 0)
			j->failed = j->not_found ? 0 : 2;
		json_decref(doc);
	} else if (j->kind == AJ_ASSET) {
		unsigned char *data = NULL;
		size_t len = 0;
		int found = rdb ? catalog_asset(rdb, j->exam, &data, &len, j->mime) : -1;
		if (found < 0)
			j->failed = 2;
		else if (!found)
			j->not_found = 1;
		else if (len && fwrite(data, 1, len, out) != len)
			j->failed = 2;
		free(data);
	} else if (j->kind == AJ_RESULTS_XLSX) {
		unsigned char *buf = NULL;
		size_t len = 0;
		if (!rdb || results_export_xlsx_buf(rdb, j->exam, &j->opts, &buf, &len, j->err,
						    sizeof j->err))
			j->failed = 2;
		else if (len && fwrite(buf, 1, len, out) != len)
			j->failed = 2;
		free(buf);
	} else if (!rdb || results_export_opts(rdb, j->exam, &j->opts, out, j->err, sizeof j->err)) {
		j->failed = 2;
	}
	fclose(out);
}

/* 400 invalid_input with every problem of the upload. */
void admin_reply_errors(struct evhttp_request *req, const struct errlist *errs)
{
	json_t *list = errlist_to_json(errs);
	size_t more = errlist_more(errs);
	if (more) {
		char msg[96];
		snprintf(msg, sizeof msg, "... dan %zu kesalahan lain", more);
		json_array_append_new(list, json_pack("{s:n,s:n,s:n,s:s}", "line", "item", "field",
						      "message", msg));
	}
	api_staff_reply_invalid(req, list);
}

/* The exam as the staff exam list shows it. */
/* The exam's pass rules in the exam file's shape ({"track": {"total": N,
 * "sections": {"CODE": N}}}), for every staff role that sees the exam: the
 * committee's pass rates per threshold need them (no token, no key). */
static json_t *admin_pass_rules_json(const struct exam_def *d)
{
	json_t *rules = json_object();
	for (int r = 0; r < d->n_rules; r++) {
		const struct pass_rule *pr = &d->rules[r];
		json_t *one = json_object(), *secs = json_object();
		if (pr->has_total)
			json_object_set_new(one, "total", json_integer(pr->total));
		for (int i = 0; i < pr->n_min; i++)
			json_object_set_new(secs, d->sec[pr->min_section[i]].code,
					    json_integer(pr->min_value[i]));
		json_object_set_new(one, "sections", secs);
		json_object_set_new(rules, pr->track, one);
	}
	return rules;
}

static json_t *admin_exam_json(const struct rt_exam *e)
{
	int started = 0, finished = 0;
	json_t *o;
	size_t ci = 0;
	struct rt_candidate *c;
	while ((c = hmap_next(&e->candidates, &ci))) {
		started += c->status != ATT_NOT_STARTED;
		finished += c->status == ATT_FINISHED;
	}
	o = json_pack("{s:s,s:s,s:o,s:o,s:i,s:b,s:b,s:b,s:b,s:i,s:i,s:i}", "code", e->def.code,
		      "title", e->def.title, "opens_at", clock_json(e->def.opens_at), "closes_at",
		      clock_json(e->def.closes_at), "duration_s", e->def.duration_s,
		      "token_required", e->def.token[0] != '\0', "show_score", e->def.show_score,
		      "show_thresholds", e->def.show_thresholds, "archived", e->def.archived,
		      "candidates", (int)e->candidates.len, "started", started, "finished", finished);
	json_object_set_new(o, "pass_rules", admin_pass_rules_json(&e->def));
	return o;
}

/* The papers of an edit were reloaded into RAM: the exam takes starts
 * again, and the reply goes out. */
static void admin_exam_reloaded(void *arg, int ok)
{
	struct admin_job *j = arg;
	struct rt_exam *e = registry_exam(&j->a->x->reg, j->exam);
	json_t *body;
	if (e)
		e->editing = 0;
	if (!ok || !e) {
		/* Stored, but RAM could not follow: a restart loads the new papers. */
		log_error("exam %s: its new papers are stored but not loaded; restart the server",
			  j->exam);
		http_reply_error(j->req, 500, "internal", NULL);
	} else {
		body = admin_exam_json(e);
		json_object_set_new(body, "redrawn", json_integer(j->redrawn));
		http_reply_json(j->req, 200, body);
	}
	admin_job_free(j);
}

/* An edit stored (or refused): RAM follows the database, the exam takes
 * starts again, and the change is recorded. Returns 1 when the job is kept
 * (a reload of the papers is under way). */
static int admin_exam_edit_done(struct admin_job *j)
{
	struct rt_exam *e = registry_exam(&j->a->x->reg, j->exam);
	struct staff_op *s = staff_op_new(STAFF_EVENT, j->who, clock_now_ms());
	json_t *fields = json_array();
	const char *key;
	json_t *v;

	json_object_foreach(j->changes, key, v)
		json_array_append_new(fields, json_string(key));
	s->why = j->failed ? "exam_update_refused" : "exam_updated";
	s->detail = json_pack("{s:s,s:o,s:O}", "exam", j->exam, "fields", fields, "changes",
			      j->changes);
	json_object_set_new(s->detail, "redrawn", json_integer(j->redrawn));
	writer_submit(j->a->staff->w, &s->op);
	if (e && !j->failed && j->redrawn >= 0) {
		/* New papers: the exam stays closed to starts until RAM has them. */
		j->a->reload_exam(j->a->reload_ctx, e->id, admin_exam_reloaded, j);
		return 1;
	}
	if (e) {
		if (!j->failed)
			registry_exam_redefine(e, j->def);
		e->editing = 0;
	}
	if (j->failed)
		admin_reply_errors(j->req, &j->errs);
	else if (e)
		http_reply_json(j->req, 200, admin_exam_json(e));
	else
		http_reply_error(j->req, 500, "internal", NULL);
	return 0;
}

static void admin_job_done(struct worker_job *job)
{
	struct admin_job *j = (struct admin_job *)job;
	if (j->bad_filter) {
		text_utf8_scrub(j->err);
		http_reply_error(j->req, 400, "invalid_request", j->err);
	} else if (j->not_found) {
		http_reply_error(j->req, 404, "not_found", NULL);
	} else if (j->kind == AJ_ASSET && !j->failed) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(j->req);
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, j->out, j->out_len);
		evhttp_add_header(h, "Cache-Control", "private, max-age=86400");
		/* An SVG opened on its own runs nothing and loads nothing. */
		evhttp_add_header(h, "Content-Security-Policy",
				  "default-src 'none'; style-src 'unsafe-inline'; sandbox");
		http_reply_buffer(j->req, 200, b, j->mime);
		evbuffer_free(b);
	} else if (j->failed == 2) {
		if (j->kind == AJ_EXAM_EDIT) {
			struct rt_exam *e = registry_exam(&j->a->x->reg, j->exam);
			if (e)
				e->editing = 0;
		}
		log_error("staff %s of %s: %s", j->kind == AJ_IMPORT ? "import" : "results", j->exam,
			  j->err);
		http_reply_error(j->req, 500, "internal", NULL);
	} else if (j->kind == AJ_EXAM_EDIT) {
		if (admin_exam_edit_done(j))
			return; /* the reload replies and frees it */
	} else if (j->kind == AJ_IMPORT) {
		struct staff_op *s = staff_op_new(STAFF_EVENT, j->who, clock_now_ms());
		s->why = j->failed ? "candidates_import_refused" : "candidates_imported";
		s->detail = json_pack("{s:s,s:i,s:i}", "exam", j->exam, "candidates",
				      j->creds ? (int)json_array_size(j->creds) : 0, "errors",
				      (int)(j->errs.n + errlist_more(&j->errs)));
		writer_submit(j->a->staff->w, &s->op);
		if (j->failed) {
			admin_reply_errors(j->req, &j->errs);
		} else {
			char sep[2] = { j->sep, '\0' };
			http_reply_json(j->req, 201,
					json_pack("{s:s,s:s,s:i,s:O}", "exam", j->exam, "separator", sep,
						  "imported", (int)json_array_size(j->creds),
						  "credentials", j->creds));
		}
	} else if (j->kind == AJ_BANK || j->kind == AJ_EXAM) {
		struct staff_op *s = staff_op_new(STAFF_EVENT, j->who, clock_now_ms());
		if (j->out_len && j->out[j->out_len - 1] == '\n')
			j->out[--j->out_len] = '\0';
		s->why = j->kind == AJ_BANK ? (j->failed ? "bank_import_refused" : "bank_imported")
					    : (j->failed ? "exam_create_refused" : "exam_created");
		s->detail = j->failed ? json_pack("{s:i}", "errors",
						  (int)(j->errs.n + errlist_more(&j->errs)))
				      : json_pack("{s:s}", "report", j->out ? j->out : "");
		writer_submit(j->a->staff->w, &s->op);
		if (j->failed) {
			admin_reply_errors(j->req, &j->errs);
		} else {
			http_reply_json(j->req, 201, json_pack("{s:s}", "report", j->out ? j->out : ""));
		}
	} else if (j->kind == AJ_RESULTS_JSON || j->kind == AJ_BANKS || j->kind == AJ_AUDIT ||
		   j->kind == AJ_AUDIT_VERIFY || j->kind == AJ_BANK_ITEMS) {
		json_error_t jerr;
		json_t *v = json_loadb(j->out ? j->out : "", j->out_len, 0, &jerr);
		if (v)
			http_reply_json(j->req, 200, v);
		else
			http_reply_error(j->req, 500, "internal", NULL);
	} else {
		int xlsx = j->kind == AJ_RESULTS_XLSX;
		struct evbuffer *b = evbuffer_new();
		char disp[128];
		evbuffer_add(b, j->out, j->out_len);
		snprintf(disp, sizeof disp, "attachment; filename=\"hasil-%s.%s\"", j->exam,
			 xlsx ? "xlsx" : "csv");
		evhttp_add_header(evhttp_request_get_output_headers(j->req), "Content-Disposition",
				  disp);
		http_reply_buffer(j->req, 200, b,
				  xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				       : "text/csv; charset=utf-8");
		evbuffer_free(b);
	}
	admin_job_free(j);
}

void admin_submit(struct api *a, struct evhttp_request *req, struct admin_job *j)
{
	j->job.run = admin_job_run;
	j->job.done = admin_job_done;
	j->a = a;
	j->req = req;
	if (worker_submit(a->pool, &j->job)) {
		admin_job_free(j);
		http_reply_busy(req);
	}
}

/* ---- changing an exam ------------------------------------------------------------- */

void api_admin_exam_edit(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest)
{
	struct api *a = app;
	struct rt_exam *e;
	struct admin_job *j;
	json_t *body;
	const char *key;
	json_t *v;
	int only_archive = 1, started = 0;

	if (!admin_exam(a, req, p, rest, &e) || http_body_json(req, a->max_body, &body))
		return;
	json_object_foreach(body, key, v) {
		only_archive &= strcmp(key, "archived") == 0;
		if (!a->reload_exam && (strcmp(key, "sections") == 0 ||
					strncmp(key, "shuffle_", 8) == 0)) {
			http_reply_error(req, 409, "conflict",
					 "Susunan soal tidak dapat diubah pada server ini.");
			json_decref(body);
			return;
		}
	}
	if (!only_archive) {
		struct rt_candidate *c;
		size_t it = 0;
		while ((c = hmap_next(&e->candidates, &it)))
			started += c->status != ATT_NOT_STARTED;
	}
	if (started || e->editing) {
		char d[160];
		snprintf(d, sizeof d,
			 started ? "%d peserta sudah mulai mengerjakan; ujian ini tidak dapat diubah lagi."
				 : "Perubahan lain sedang disimpan; coba lagi.",
			 started);
		http_reply_error(req, 409, "conflict", d);
		json_decref(body);
		return;
	}
	j = admin_job_new(AJ_EXAM_EDIT);
	j->who = p->actor;
	j->changes = body;
	j->def = xcalloc(1, sizeof *j->def);
	str_copy(j->exam, sizeof j->exam, e->def.code);
	/* No start while the new definition is stored: a candidate never starts
	 * on a definition that is about to change. */
	if (!only_archive)
		e->editing = 1;
	j->job.run = admin_job_run;
	j->job.done = admin_job_done;
	j->a = a;
	j->req = req;
	if (worker_submit(a->pool, &j->job)) {
		e->editing = 0;
		admin_job_free(j);
		http_reply_busy(req);
	}
}

void api_admin_exam_get(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	struct rt_exam *e;
	json_t *def;
	if (!admin_exam(a, req, p, rest, &e))
		return;
	/* A small read of one row: on the loop's own read connection. */
	if (!(def = catalog_exam_definition(a->staff->db, e->def.code))) {
		http_reply_error(req, 500, "internal", NULL);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:o,s:o}", "exam", admin_exam_json(e), "definition", def));
}
