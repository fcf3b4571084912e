/* selection.c - the staff API's open-bidding selections (docs/API.md,
 * "Open-bidding selections"): list, create, vacancies, applicants, the
 * members' scores and gate decisions, the PPK's choice, closing, the
 * ranking export, the talent-pool alternative, the audit trail and the live
 * stream.
 *
 * Every request runs on the worker pool: reads on the thread's read-only
 * connection, writes on a read-write connection of their own through
 * selection/bidding.c (checked whole, written with the audit event in one
 * transaction, actor: the staff member); the reply goes out after the
 * commit, and the selection's live topic is told (selection/bidding_live.h).
 * Errors are listed whole (400 invalid_input); 403 not_member for a
 * committee member outside the selection's committee, 409 closed once the
 * selection is closed. */
#include "api/admin_job.h"
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/errlist.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/reply.h"
#include "selection/bidding.h"
#include "selection/bidding_live.h"
#include "store/db.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

enum sel_kind {
	SK_LIST,
	SK_GET,
	SK_VACANCY,
	SK_AUDIT,
	SK_TALENT,
	SK_RANKING,
	SK_CREATE,
	SK_VAC_ADD,
	SK_APPLICANTS,
	SK_SCORE,
	SK_GATE,
	SK_PPK,
	SK_CLOSE,
};

struct sel_job {
	struct worker_job job;
	enum sel_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct bid_who who;
	char sel[UJ_CODE_MAX + 1];
	char vac[UJ_CODE_MAX + 1];
	json_t *body; /* owned */
	char *csv;    /* applicants import (owned) */
	size_t csv_len;
	char sep;     /* ranking.csv */
	json_t *out;  /* the reply body (owned) */
	char *file;   /* ranking.csv (owned) */
	size_t file_len;
	enum bid_status st;
	struct errlist errs;
	struct bid_result r;
	char err[256];
};

static const struct errtext sel_error_rows[] = {
	{ "not_member", "Anda bukan anggota panitia seleksi ini." },
	{ "closed", "Seleksi sudah ditutup: tidak ada lagi perubahan." },
};

const struct errtext_table selection_errors = ERRTEXT_TABLE(sel_error_rows);

static struct sel_job *sel_job_new(enum sel_kind kind, struct api *a, struct evhttp_request *req,
				   const struct principal *p, const char *rest)
{
	struct sel_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->a = a;
	j->req = req;
	j->who.actor = p->actor;
	j->who.roles = p->roles;
	j->sep = ',';
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	j->r.errs = &j->errs;
	if (rest) {
		route_segment(rest, 0, j->sel, sizeof j->sel);
		route_segment(rest, 2, j->vac, sizeof j->vac);
	}
	return j;
}

static void sel_job_free(struct sel_job *j)
{
	json_decref(j->body);
	json_decref(j->out);
	free(j->csv);
	free(j->file);
	errlist_free(&j->errs);
	free(j);
}

/* ---- the ranking export ------------------------------------------------------------- */

/* A number as the spreadsheet reads it: 2 decimals, a decimal comma with
 * the ';' separator (Indonesian settings), a point otherwise. */
static void sel_csv_num(FILE *f, double v, char sep)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.2f", v);
	if (sep == ';')
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
	fputs(buf, f);
}

/* The vacancy body as CSV: rank, kind, NIP/NIK, name, origin, each stage
 * (score, or Lulus/Tidak lulus), final, status. */
static char *sel_ranking_csv(const json_t *v, char sep, size_t *len)
{
	static const char *const head[] = { "Peringkat", "Jenis", "NIP/NIK", "Nama", "Asal" };
	const json_t *stages = json_object_get(v, "stages"), *s, *a;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	size_t i, k;

	if (!f)
		return NULL;
	fputs("\xEF\xBB\xBF", f);
	for (i = 0; i < sizeof head / sizeof *head; i++) {
		if (i)
			fputc(sep, f);
		csv_write_cell(f, head[i], sep);
	}
	json_array_foreach(stages, k, s) {
		fputc(sep, f);
		csv_write_cell(f, json_string_value(json_object_get(s, "name")), sep);
	}
	fputc(sep, f);
	csv_write_cell(f, "Nilai akhir", sep);
	fputc(sep, f);
	csv_write_cell(f, "Status", sep);
	fputs("\r\n", f);
	json_array_foreach(json_object_get(v, "applicants"), i, a) {
		const json_t *rank = json_object_get(a, "rank"), *fin = json_object_get(a, "final");
		const json_t *nip = json_object_get(a, "nip");
		const char *status = json_string_value(json_object_get(a, "status"));
		char rk[16] = "";
		if (json_is_integer(rank))
			snprintf(rk, sizeof rk, "%d", (int)json_integer_value(rank));
		fputs(rk, f);
		fputc(sep, f);
		csv_write_cell(f,
				 strcmp(json_string_value(json_object_get(a, "kind")), "internal") == 0
					 ? "Internal"
					 : "Eksternal",
				 sep);
		fputc(sep, f);
		csv_write_cell(
			f, json_string_value(json_is_string(nip) ? nip : json_object_get(a, "nik")), sep);
		fputc(sep, f);
		csv_write_cell(f, json_string_value(json_object_get(a, "name")), sep);
		fputc(sep, f);
		csv_write_cell(f, json_string_value(json_object_get(a, "origin")), sep);
		json_array_foreach(stages, k, s) {
			const json_t *st = json_object_get(json_object_get(a, "stages"),
							   json_string_value(json_object_get(s, "code")));
			const json_t *sc = json_object_get(st, "score"), *p = json_object_get(st, "passed");
			fputc(sep, f);
			if (json_is_number(sc))
				sel_csv_num(f, json_number_value(sc), sep);
			else if (json_is_boolean(p))
				csv_write_cell(f, json_is_true(p) ? "Lulus" : "Tidak lulus", sep);
		}
		fputc(sep, f);
		if (json_is_number(fin))
			sel_csv_num(f, json_number_value(fin), sep);
		fputc(sep, f);
		if (strcmp(status, "out") == 0) {
			char *why = xasprintf("Gugur (%s): %s",
					      json_string_value(json_object_get(a, "out_stage")),
					      json_string_value(json_object_get(a, "out_reason")));
			csv_write_cell(f, why, sep);
			free(why);
		} else {
			csv_write_cell(f, json_is_integer(rank) ? "Diperingkat" : "Dalam proses", sep);
		}
		fputs("\r\n", f);
	}
	fclose(f);
	return buf;
}

/* ---- worker side -------------------------------------------------------------------- */

static void sel_read_run(struct sel_job *j, sqlite3 *db)
{
	int64_t me = j->who.actor.id;
	switch (j->kind) {
	case SK_LIST:
		j->out = bid_list_json(db, me, j->err, sizeof j->err);
		j->st = j->out ? BID_OK : BID_INTERNAL;
		break;
	case SK_GET:
		j->out = bid_selection_json(db, j->sel, me, &j->st, j->err, sizeof j->err);
		break;
	case SK_VACANCY:
	case SK_RANKING:
		j->out = bid_vacancy_json(db, j->sel, j->vac, me, &j->st, j->err, sizeof j->err);
		if (j->out && j->kind == SK_RANKING &&
		    !(j->file = sel_ranking_csv(j->out, j->sep, &j->file_len)))
			j->st = BID_INTERNAL;
		break;
	case SK_AUDIT:
		j->out = bid_audit_json(db, j->sel, &j->st, j->err, sizeof j->err);
		break;
	case SK_TALENT:
		j->out = bid_talent_json(db, j->sel, j->vac, &j->st, j->err, sizeof j->err);
		break;
	default:
		break;
	}
}

static void sel_write_run(struct sel_job *j)
{
	sqlite3 *db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);
	int64_t now = clock_now_ms();
	enum bid_status st;

	if (!db) {
		j->st = BID_INTERNAL;
		return;
	}
	switch (j->kind) {
	case SK_CREATE:
		bid_selection_create(db, j->body, &j->who, now, &j->r);
		break;
	case SK_VAC_ADD:
		bid_vacancy_add(db, j->sel, j->body, &j->who, now, &j->r);
		break;
	case SK_APPLICANTS:
		bid_applicants_import(db, j->sel, j->csv, j->csv_len, &j->who, now, &j->r);
		break;
	case SK_SCORE:
		bid_score(db, j->sel, j->body, &j->who, now, &j->r);
		break;
	case SK_GATE:
		bid_gate(db, j->sel, j->body, &j->who, now, &j->r);
		break;
	case SK_PPK:
		bid_ppk(db, j->sel, j->vac, j->body, &j->who, now, &j->r);
		break;
	case SK_CLOSE:
		bid_close(db, j->sel, &j->who, now, &j->r);
		break;
	default:
		break;
	}
	j->st = j->r.status;
	if (j->st == BID_OK) {
		/* the reply: what changed, as a read shows it now */
		const char *sel = j->r.selection[0] ? j->r.selection : j->sel;
		if (j->r.vacancy[0] && j->kind != SK_VAC_ADD)
			j->out = bid_vacancy_json(db, sel, j->r.vacancy, j->who.actor.id, &st, j->err,
						  sizeof j->err);
		else
			j->out = bid_selection_json(db, sel, j->who.actor.id, &st, j->err,
						    sizeof j->err);
		if (!j->out)
			j->st = BID_INTERNAL;
	} else if (j->st != BID_INVALID) {
		snprintf(j->err, sizeof j->err, "%s", j->r.err);
	}
	db_close(db);
}

static void sel_job_run(struct worker_job *job, void *tctx)
{
	struct sel_job *j = (struct sel_job *)job;
	if (j->kind >= SK_CREATE) {
		sel_write_run(j);
	} else if (!tctx) {
		j->st = BID_INTERNAL;
		snprintf(j->err, sizeof j->err, "no database connection on this worker");
	} else {
		sel_read_run(j, tctx);
	}
}

/* ---- loop side ---------------------------------------------------------------------- */

static void sel_reply_status(struct sel_job *j)
{
	switch (j->st) {
	case BID_INVALID:
		admin_reply_errors(j->req, &j->errs);
		break;
	case BID_NOT_FOUND:
		http_reply_error(j->req, 404, "not_found",
				 j->kind == SK_SCORE || j->kind == SK_GATE
					 ? "Seleksi atau pelamar tidak ada."
					 : "Seleksi atau lowongan tidak ada.");
		break;
	case BID_NOT_MEMBER:
		http_reply_error(j->req, 403, "not_member", NULL);
		break;
	case BID_FORBIDDEN:
		http_reply_error(j->req, 403, "forbidden",
				 "Hanya admin atau ketua panitia seleksi yang dapat melakukannya.");
		break;
	case BID_CLOSED:
		http_reply_error(j->req, 409, "closed", NULL);
		break;
	default:
		log_error("selection %s: %s", j->sel, j->err);
		http_reply_error(j->req, 500, "internal", NULL);
		break;
	}
}

static void sel_job_done(struct worker_job *job)
{
	struct sel_job *j = (struct sel_job *)job;
	if (j->st != BID_OK) {
		sel_reply_status(j);
	} else if (j->kind == SK_RANKING) {
		struct evbuffer *b = evbuffer_new();
		char disp[160];
		evbuffer_add(b, j->file, j->file_len);
		snprintf(disp, sizeof disp, "attachment; filename=\"peringkat-%s-%s.csv\"", j->sel,
			 j->vac);
		evhttp_add_header(evhttp_request_get_output_headers(j->req), "Content-Disposition",
				  disp);
		http_reply_buffer(j->req, 200, b, "text/csv; charset=utf-8");
		evbuffer_free(b);
	} else {
		int status = 200;
		if (j->kind >= SK_CREATE) {
			const char *sel = j->r.selection[0] ? j->r.selection : j->sel;
			json_object_set_new(j->out, "changed",
					    json_boolean(j->r.updated || j->kind != SK_SCORE));
			if (j->kind == SK_APPLICANTS)
				json_object_set_new(j->out, "created", json_integer(j->r.created));
			if (j->kind == SK_CREATE || j->kind == SK_VAC_ADD || j->kind == SK_APPLICANTS)
				status = 201;
			if (j->kind != SK_CREATE)
				bid_live_changed(j->a->bidlive, sel,
						 j->kind == SK_SCORE || j->kind == SK_GATE ||
								 j->kind == SK_PPK
							 ? j->r.vacancy
							 : "");
		}
		http_reply_json(j->req, status, j->out);
		j->out = NULL;
	}
	sel_job_free(j);
}

static void sel_submit(struct sel_job *j)
{
	j->job.run = sel_job_run;
	j->job.done = sel_job_done;
	if (worker_submit(j->a->pool, &j->job)) {
		http_reply_busy(j->req);
		sel_job_free(j);
	}
}

/* A job with a JSON body; replies itself on a bad body. */
static void sel_submit_json(enum sel_kind kind, void *app, struct evhttp_request *req,
			    const struct principal *p, const char *rest)
{
	struct api *a = app;
	json_t *body = NULL;
	struct sel_job *j;
	if (http_body_json(req, a->max_body, &body))
		return;
	j = sel_job_new(kind, a, req, p, rest);
	j->body = body;
	sel_submit(j);
}

/* ---- handlers ------------------------------------------------------------------------ */

void api_sel_list(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	(void)rest;
	sel_submit(sel_job_new(SK_LIST, app, req, p, NULL));
}

void api_sel_get(void *app, struct evhttp_request *req, const struct principal *p,
		 const char *rest)
{
	sel_submit(sel_job_new(SK_GET, app, req, p, rest));
}

void api_sel_vacancy(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	sel_submit(sel_job_new(SK_VACANCY, app, req, p, rest));
}

void api_sel_audit(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	sel_submit(sel_job_new(SK_AUDIT, app, req, p, rest));
}

void api_sel_talent(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	sel_submit(sel_job_new(SK_TALENT, app, req, p, rest));
}

void api_sel_ranking_csv(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest)
{
	struct sel_job *j = sel_job_new(SK_RANKING, app, req, p, rest);
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq q;
	const char *v;
	int bad = 0;

	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		bad = 1;
	if ((v = evhttp_find_header(&q, "sep"))) {
		if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
			j->sep = ';';
		else if (*v && strcmp(v, ",") && strcmp(v, "comma"))
			bad = 1;
	}
	evhttp_clear_headers(&q);
	if (bad) {
		http_reply_error(req, 400, "invalid_request",
				 "Pilihan unduhan: sep=semicolon (atau ;) atau sep=comma (atau ,).");
		sel_job_free(j);
		return;
	}
	sel_submit(j);
}

void api_sel_create(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	(void)rest;
	sel_submit_json(SK_CREATE, app, req, p, NULL);
}

void api_sel_vacancy_add(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest)
{
	sel_submit_json(SK_VAC_ADD, app, req, p, rest);
}

void api_sel_score(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	sel_submit_json(SK_SCORE, app, req, p, rest);
}

void api_sel_gate(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	sel_submit_json(SK_GATE, app, req, p, rest);
}

void api_sel_ppk(void *app, struct evhttp_request *req, const struct principal *p,
		 const char *rest)
{
	sel_submit_json(SK_PPK, app, req, p, rest);
}

void api_sel_close(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	sel_submit(sel_job_new(SK_CLOSE, app, req, p, rest));
}

void api_sel_applicants(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct sel_job *j;

	if (len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return;
	}
	j = sel_job_new(SK_APPLICANTS, a, req, p, rest);
	j->csv = xmalloc(len + 1);
	evbuffer_remove(in, j->csv, len);
	j->csv[len] = '\0';
	j->csv_len = len;
	sel_submit(j);
}

/* bid_live_reply_fn: a stream refused. */
static void sel_events_refused(struct evhttp_request *req, int status)
{
	if (status == 404) {
		http_reply_error(req, 404, "not_found", "Seleksi tidak ada.");
	} else if (status == 503) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "5");
		http_reply_error(req, 503, "streams_full", NULL);
	} else {
		http_reply_error(req, 500, "internal", NULL);
	}
}

void api_sel_events(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	struct api *a = app;
	char sel[UJ_CODE_MAX + 1];
	(void)p;
	if (route_segment(rest, 0, sel, sizeof sel)) {
		http_reply_error(req, 404, "not_found", "Seleksi tidak ada.");
		return;
	}
	bid_live_subscribe(a->bidlive, sel, req, sel_events_refused);
}
