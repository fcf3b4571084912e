/* analysis.c - the staff API's item and test analysis (issue 14): an
 * exam's analysis (JSON, CSV) and a bank's (JSON).
 *
 * The work runs off the event loop on the analysis pool: one thread of its
 * own at the lowest CPU priority (nice 19) with its own read-only database
 * connection, so reading every finished attempt of a national exam and
 * computing (seconds) neither takes the CPU from the loop and the writer nor
 * occupies the shared pool's threads (staff logins, other reads). Requests
 * queue behind the running analysis (UJ_IA_QUEUE_MAX; beyond: 503
 * server_busy). The document is rendered on that thread too; the loop only
 * sends the bytes. */
#include "analysis/adata.h"
#include "analysis/report.h"
#include "api/admin_job.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "store/db.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

enum an_kind { AN_EXAM_JSON, AN_EXAM_CSV, AN_BANK_JSON };

struct an_job {
	struct worker_job job;
	struct api *a;
	struct evhttp_request *req;
	enum an_kind kind;
	int64_t exam_id;              /* 0: the whole bank */
	char code[UJ_CODE_MAX + 1];   /* the exam's or the bank's code */
	char sep;                     /* CSV */
	struct ia_thresholds t;
	char *out;
	size_t out_len;
	int not_found;                /* the bank is unknown */
	int failed;
	char err[1024];
};

void *api_analysis_thread_init(void *db_path)
{
	char err[256];
	sqlite3 *db;
	/* this thread only (Linux: a thread's nice value is its own) */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19) != 0)
		log_warn("analysis thread: cannot lower its priority");
	if (!(db = db_open(db_path, DB_OPEN_READONLY, err, sizeof err)))
		log_error("analysis thread: %s", err);
	else
		sqlite3_busy_timeout(db, 10000);
	return db;
}

static void an_job_free(struct an_job *j)
{
	free(j->out);
	free(j);
}

/* On the analysis thread: load, compute, render. */
static void an_run(struct worker_job *job, void *tctx)
{
	struct an_job *j = (struct an_job *)job;
	sqlite3 *db = tctx;
	FILE *out = NULL;
	struct adata a;
	struct ar_report r;
	int64_t bank_id = 0, cur;
	int loaded = 0, computed = 0;

	if (!db) {
		snprintf(j->err, sizeof j->err, "the analysis thread has no database connection");
		j->failed = 1;
		return;
	}
	if (j->kind == AN_BANK_JSON && !(bank_id = catalog_bank_id(db, j->code, &cur))) {
		j->not_found = 1;
		goto out;
	}
	if (adata_load(db, bank_id, j->exam_id, &a, j->err, sizeof j->err)) {
		j->failed = 1;
		goto out;
	}
	loaded = 1;
	if (ar_compute(&a, j->exam_id != 0 && j->kind != AN_BANK_JSON, &j->t, &r, j->err,
		       sizeof j->err)) {
		j->failed = 1;
		goto out;
	}
	computed = 1;
	if (!(out = open_memstream(&j->out, &j->out_len))) {
		j->failed = 1;
		goto out;
	}
	if (j->kind == AN_EXAM_CSV) {
		ar_csv(&r, j->sep, out);
	} else {
		json_t *doc = ar_json(&r, clock_now_ms() / 1000);
		if (json_dumpf(doc, out, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0)
			j->failed = 1;
		json_decref(doc);
	}
	if (fclose(out) != 0)
		j->failed = 1;
out:
	if (computed)
		ar_free(&r);
	if (loaded)
		adata_free(&a);
}

/* On the loop: reply. */
static void an_done(struct worker_job *job)
{
	struct an_job *j = (struct an_job *)job;

	if (j->not_found) {
		http_reply_error(j->req, 404, "not_found", "Bank soal tidak ada.");
	} else if (j->failed) {
		log_error("analysis of %s: %s", j->code, j->err);
		http_reply_error(j->req, 500, "internal", NULL);
	} else {
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, j->out ? j->out : "", j->out_len);
		if (j->kind == AN_EXAM_CSV) {
			char disp[128];
			snprintf(disp, sizeof disp, "attachment; filename=\"analisis-%s.csv\"", j->code);
			evhttp_add_header(evhttp_request_get_output_headers(j->req),
					  "Content-Disposition", disp);
			http_reply_buffer(j->req, 200, b, "text/csv; charset=utf-8");
		} else {
			http_reply_buffer(j->req, 200, b, "application/json; charset=utf-8");
		}
		evbuffer_free(b);
	}
	an_job_free(j);
}

/* Queue j on the analysis thread (it replies when done), or 503 when too
 * many wait. */
static void an_submit(struct an_job *j)
{
	j->job.run = an_run;
	j->job.done = an_done;
	if (!j->a->analysis_pool || worker_submit(j->a->analysis_pool, &j->job)) {
		http_reply_busy(j->req);
		an_job_free(j);
	}
}

/* A threshold from the query: a number from 0 to 1. 0, or -1 with the
 * problem added to errors. */
static int an_share(struct evkeyvalq *q, const char *name, double *out, json_t *errors)
{
	const char *v = evhttp_find_header(q, name);
	char *end;
	double x;
	if (!v)
		return 0;
	x = strtod(v, &end);
	if (!*v || *end || !(x >= 0 && x <= 1)) {
		json_array_append_new(errors, json_pack("{s:s,s:s}", "field", name, "message",
							"Harus berupa angka 0 sampai 1 (contoh 0.9)."));
		return -1;
	}
	*out = x;
	return 0;
}

/* The query's thresholds, separator (CSV) and exam filter (bank) into j; a
 * 400 naming every bad field and NULL otherwise. *exam_out: a copy of
 * exam=CODE (bank route), or "". Returns j or NULL (replied, freed). */
static struct an_job *an_query(struct evhttp_request *req, struct an_job *j, char *exam_out,
			       size_t exam_len)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	json_t *errors = json_array();
	struct evkeyvalq q;
	const char *v;

	TAILQ_INIT(&q);
	exam_out[0] = '\0';
	ia_thresholds_default(&j->t);
	j->sep = ',';
	if (query && evhttp_parse_query_str(query, &q) != 0) {
		json_array_append_new(errors, json_pack("{s:s,s:s}", "field", "query", "message",
							"Parameter tidak dapat dibaca."));
	} else {
		an_share(&q, "easy", &j->t.easy_p, errors);
		an_share(&q, "hard", &j->t.hard_p, errors);
		an_share(&q, "weak", &j->t.weak_r, errors);
		if (j->kind == AN_EXAM_CSV && (v = evhttp_find_header(&q, "sep"))) {
			if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
				j->sep = ';';
			else if (strcmp(v, ",") != 0 && strcmp(v, "comma") != 0)
				json_array_append_new(
					errors, json_pack("{s:s,s:s}", "field", "sep", "message",
							  "Pemisah: sep=semicolon (;) atau sep=comma (,)."));
		}
		if (j->kind == AN_BANK_JSON && (v = evhttp_find_header(&q, "exam")) &&
		    str_copy(exam_out, exam_len, v))
			json_array_append_new(errors, json_pack("{s:s,s:s}", "field", "exam", "message",
								"Kode ujian terlalu panjang."));
	}
	evhttp_clear_headers(&q);
	if (json_array_size(errors)) {
		api_staff_reply_invalid(req, errors);
		an_job_free(j);
		return NULL;
	}
	json_decref(errors);
	return j;
}

static void an_exam(struct api *a, struct evhttp_request *req, const struct principal *p,
		    const char *rest, enum an_kind kind)
{
	struct rt_exam *e;
	struct an_job *j;
	char unused[8];

	if (!admin_exam(a, req, p, rest, &e))
		return;
	j = xcalloc(1, sizeof *j);
	j->a = a;
	j->req = req;
	j->kind = kind;
	if (!an_query(req, j, unused, sizeof unused))
		return;
	j->exam_id = e->id;
	str_copy(j->code, sizeof j->code, e->def.code);
	an_submit(j);
}

void api_analysis_exam(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	an_exam(app, req, p, rest, AN_EXAM_JSON);
}

void api_analysis_exam_csv(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	an_exam(app, req, p, rest, AN_EXAM_CSV);
}

void api_analysis_bank(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	struct api *a = app;
	struct an_job *j = xcalloc(1, sizeof *j);
	char exam[UJ_CODE_MAX + 1];

	j->a = a;
	j->req = req;
	j->kind = AN_BANK_JSON;
	if (route_segment(rest, 0, j->code, sizeof j->code) != 0) {
		an_job_free(j);
		http_reply_error(req, 404, "not_found", "Bank soal tidak ada.");
		return;
	}
	if (!an_query(req, j, exam, sizeof exam))
		return;
	if (exam[0]) { /* one exam of the bank: the caller's scope applies */
		struct rt_exam *e = registry_exam(&a->x->reg, exam);
		if (!e) {
			an_job_free(j);
			http_reply_error(req, 404, "not_found", "Ujian tidak ada.");
			return;
		}
		if (!staff_exam_allowed(p, e->id, p->via_roles)) {
			an_job_free(j);
			http_reply_error(req, 403, "forbidden", "Ujian ini tidak termasuk penugasan Anda.");
			return;
		}
		if (strcmp(e->def.bank, j->code) != 0) {
			an_job_free(j);
			api_staff_reply_invalid(
				req, json_pack("[{s:s,s:s}]", "field", "exam", "message",
					       "Ujian ini tidak mengambil soal dari bank ini."));
			return;
		}
		j->exam_id = e->id;
	}
	an_submit(j);
}
