/* admin_job.h - the staff API's worker jobs, shared by api/admin.c (the
 * job machinery, exams and candidates), api/admin_files.c (imports and
 * uploads, bank views) and api/admin_reports.c (results, the audit log).
 * Internal to the api layer.
 *
 * A job runs on the worker pool (with the thread's read-only connection) and
 * replies from its completion on the loop: admin_job_run and admin_job_done
 * dispatch on its kind. */
#ifndef UJIAN_API_ADMIN_JOB_H
#define UJIAN_API_ADMIN_JOB_H

#include "api/api.h"
#include "bounds.h"
#include "core/errlist.h"
#include "core/worker.h"
#include "report/audit.h"
#include "report/results.h"

#include <event2/http.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>

struct exam_def;

enum admin_job_kind {
	AJ_EXAM_EDIT,
	AJ_BANK_ITEMS,
	AJ_ASSET,
	AJ_AUDIT,
	AJ_AUDIT_VERIFY,
	AJ_RESULTS_JSON,
	AJ_RESULTS_CSV,
	AJ_RESULTS_XLSX,
	AJ_IMPORT,
	AJ_BANKS,
	AJ_BANK,
	AJ_EXAM
};

#define ADMIN_UPLOAD_FILES_MAX 64 /* bank file + images in one upload */

struct admin_job {
	struct worker_job job;
	enum admin_job_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	int64_t exam_id;
	char exam[72]; /* exam or bank code, or an asset's SHA-256 (hex) */
	char *in;   /* import: the CSV */
	size_t in_len;
	json_t *files; /* bank upload: {"path": "base64", ...} (owned) */
	char *out;  /* the export, or the issued credentials (CSV) */
	size_t out_len;
	int failed; /* 1: bad input (errs), 2: internal (err) */
	char err[2048];
	struct errlist errs;        /* bad input: every problem, capped */
	struct results_opts opts;   /* results downloads */
	json_t *creds;              /* import: the issued credentials */
	struct audit_filter filter; /* audit page (strings point into fstore) */
	char fstore[3][UJ_CODE_MAX + UJ_USERNAME_MAX + 16];
	int bad_filter;             /* the filter was refused: err says why */
	int version;                /* bank preview: version number, 0 = current */
	json_t *changes;            /* exam edit: the fields to change (owned) */
	struct exam_def *def;       /* exam edit: the new definition (owned) */
	int redrawn;                /* exam edit: papers drawn again, or -1 */
	int not_found;              /* bank preview, asset: unknown */
	char mime[32];              /* asset */
	char sep;                   /* import: the separator found */
};

/* A new job of kind, its error list in Bahasa Indonesia (staff read it). */
struct admin_job *admin_job_new(enum admin_job_kind kind);
void admin_job_free(struct admin_job *j);
/* Queue j for the worker pool (it replies from its completion), or reply
 * 503 server_busy and free it. */
void admin_submit(struct api *a, struct evhttp_request *req, struct admin_job *j);
/* The exam named by rest's first segment if p may act on it (1), else a 404
 * or 403 reply (0). */
int admin_exam(struct api *a, struct evhttp_request *req, const struct principal *p,
	       const char *rest, struct rt_exam **out);
/* 400 invalid_input with every problem of the upload. */
void admin_reply_errors(struct evhttp_request *req, const struct errlist *errs);

/* Worker-thread parts of the jobs of admin_files.c and admin_reports.c. */
void admin_import_run(struct admin_job *j);
void admin_catalog_run(struct admin_job *j, FILE *out);
void admin_audit_run(struct admin_job *j, sqlite3 *rdb, FILE *out);

#endif
