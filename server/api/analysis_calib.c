/* analysis_calib.c - the staff API's Rasch calibrations of a bank
 * (docs/API.md, "Calibrations"): list, create, read one.
 *
 * Every request runs on the worker pool, never on the loop: the reads on
 * the thread's read-only connection; a calibration (seconds on a large
 * bank) on a read-write connection of its own through analysis/calib.h,
 * which calibrates first and then writes the row with its audit event
 * (actor: the staff member) in one short transaction; the reply follows the
 * commit. Admin and author accounts only (route table). */
#include "analysis/calib.h"
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/reply.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static const struct errtext calib_error_rows[] = {
	{ "no_such_bank", "Bank soal tidak ditemukan." },
	{ "no_such_calibration", "Kalibrasi tidak ditemukan." },
	{ "no_data", "Data belum cukup untuk kalibrasi Rasch: perlu sedikitnya 2 butir benar/salah "
		     "yang dijawab benar oleh sebagian dan salah oleh sebagian peserta (peserta "
		     "dengan skor nol atau sempurna tidak dihitung)." },
};
const struct errtext_table calib_errors = ERRTEXT_TABLE(calib_error_rows);

enum cj_kind { CJ_LIST, CJ_CREATE, CJ_GET };

struct calib_job {
	struct worker_job job;
	enum cj_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	char bank[UJ_CODE_MAX + 1];
	int64_t id;
	json_t *result;
	enum calib_status st;
	char err[1024];
};

/* Worker thread. */
static void cj_run(struct worker_job *job, void *tctx)
{
	struct calib_job *j = (struct calib_job *)job;
	sqlite3 *db = tctx;

	if (j->kind == CJ_CREATE) {
		sqlite3 *w = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);
		if (!w) {
			j->st = CALIB_ERROR;
			return;
		}
		j->st = calib_create(w, j->bank, j->who, clock_now_ms(), &j->id, j->err,
				     sizeof j->err);
		if (j->st == CALIB_OK)
			j->st = calib_get_json(w, j->bank, j->id, 0, &j->result, j->err,
					       sizeof j->err);
		db_close(w);
		return;
	}
	if (!db) {
		j->st = CALIB_ERROR;
		snprintf(j->err, sizeof j->err, "no read connection");
		return;
	}
	if (j->kind == CJ_LIST)
		j->st = calib_list_json(db, j->bank, &j->result, j->err, sizeof j->err);
	else
		j->st = calib_get_json(db, j->bank, j->id, 1, &j->result, j->err, sizeof j->err);
}

/* Loop thread. */
static void cj_done(struct worker_job *job)
{
	struct calib_job *j = (struct calib_job *)job;
	switch (j->st) {
	case CALIB_OK:
		http_reply_json(j->req, j->kind == CJ_CREATE ? 201 : 200, j->result);
		j->result = NULL;
		break;
	case CALIB_NO_BANK:
		http_reply_error(j->req, 404, "no_such_bank", NULL);
		break;
	case CALIB_NO_SUCH:
		http_reply_error(j->req, 404, "no_such_calibration", NULL);
		break;
	case CALIB_NO_DATA:
		http_reply_error(j->req, 400, "no_data", NULL);
		break;
	default:
		log_error("calibration %s: %s", j->bank, j->err);
		http_reply_error(j->req, 500, "internal", NULL);
		break;
	}
	json_decref(j->result);
	free(j);
}

/* A job on the bank named by rest's first segment (and, for CJ_GET, the
 * calibration id of its third: "CODE/calibrations/ID"); NULL after a
 * reply. */
static struct calib_job *cj_new(enum cj_kind kind, void *app, struct evhttp_request *req,
				const struct principal *p, const char *rest)
{
	char code[UJ_CODE_MAX + 1], idtxt[24];
	if (route_segment(rest, 0, code, sizeof code) || !code[0]) {
		http_reply_error(req, 404, "no_such_bank", NULL);
		return NULL;
	}
	int64_t id = 0;
	if (kind == CJ_GET) {
		if (route_segment(rest, 2, idtxt, sizeof idtxt) || !idtxt[0] ||
		    strspn(idtxt, "0123456789") != strlen(idtxt) || strlen(idtxt) > 18 ||
		    (id = strtoll(idtxt, NULL, 10)) < 1) {
			http_reply_error(req, 404, "no_such_calibration", NULL);
			return NULL;
		}
	}
	struct calib_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->a = app;
	j->req = req;
	j->who = p->actor;
	j->id = id;
	str_copy(j->bank, sizeof j->bank, code);
	return j;
}

static void cj_submit(struct calib_job *j)
{
	j->job.run = cj_run;
	j->job.done = cj_done;
	if (worker_submit(j->a->pool, &j->job)) {
		http_reply_busy(j->req);
		free(j);
	}
}

void api_calibrations(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	struct calib_job *j = cj_new(CJ_LIST, app, req, p, rest);
	if (j)
		cj_submit(j);
}

void api_calibration_create(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	struct calib_job *j = cj_new(CJ_CREATE, app, req, p, rest);
	if (j)
		cj_submit(j);
}

void api_calibration(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct calib_job *j = cj_new(CJ_GET, app, req, p, rest);
	if (j)
		cj_submit(j);
}
