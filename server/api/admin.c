/* admin.c - the staff API's exams, candidates and results (docs/API.md,
 * "Staff API"): what the administration web shows and does besides
 * accounts. Reads of RAM state (exams, candidates) run on the loop; reads of
 * the database that grow with an exam (results) and the candidate import run
 * on the worker pool, so candidates' requests never wait behind them. */
#include "api/api.h"
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
static int admin_exam(struct api *a, struct evhttp_request *req, const struct principal *p,
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
	int64_t now = clock_now_ms();
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
			attempt_status_names[c->status], "locked", session_locked(a->auth, c, now),
			"answered", admin_answered(c), "total", c->n);
		json_object_set_new(row, "started_at", clock_json(c->started_at));
		json_object_set_new(row, "finished_at", clock_json(c->finished_at));
		json_object_set_new(row, "finish_reason",
				    c->reason != FINISH_NONE ? json_string(finish_reason_names[c->reason])
							     : json_null());
		json_object_set_new(row, "deadline_at",
				    clock_json(c->status == ATT_IN_PROGRESS ? registry_deadline(c) : 0));
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
	was = session_locked(a->auth, cand, clock_now_ms());
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

static void admin_job_free(struct admin_job *j)
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
static struct admin_job *admin_job_new(enum admin_job_kind kind)
{
	struct admin_job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	errlist_init(&j->errs, 0);
	errlist_set_lang(&j->errs, ERRLIST_ID);
	return j;
}

/* Import the CSV on a connection of the job's own: the same checks as the
 * CLI ('ujian candidates import'), every problem reported. */
static void admin_import_run(struct admin_job *j)
{
	struct enrol_result res;
	sqlite3 *db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err);

	memset(&res, 0, sizeof res);
	if (!db) {
		j->failed = 2;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	if (enrol_import_data(db, j->a->key, j->exam, j->in, j->in_len, &res, &j->errs)) {
		j->failed = 1;
	} else {
		j->sep = res.sep;
		j->creds = json_array();
		for (size_t i = 0; i < res.n; i++)
			json_array_append_new(j->creds,
					      json_pack("{s:s,s:s,s:s}", "registration_no",
							res.cred[i].regno, "name", res.cred[i].name,
							"password", res.cred[i].password));
	}
	enrol_result_free(&res);
	db_close(db);
}

/* Remove every occurrence of prefix from s (a temporary folder's path in
 * an importer's message: the staff member knows the files by their names). */
static void admin_strip(char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	char *at;
	while ((at = strstr(s, prefix)))
		memmove(at, at + n, strlen(at + n) + 1);
}

/* A path inside an upload: "name" or "dir/name" of [A-Za-z0-9._-], no
 * leading dot (so no "..", no absolute path, no hidden file). */
static int admin_upload_path_ok(const char *p)
{
	int segs = 0;
	for (const char *s = p; *s;) {
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
		if (n == 0 || s[0] == '.' || ++segs > 2 || n > 100)
			return 0;
		s += n;
		if (*s == '/')
			s++;
		else if (*s)
			return 0;
	}
	return segs > 0 && p[strlen(p) - 1] != '/';
}

/* Write the upload's files under dir (made by mkdtemp); the names written
 * go to made[] for the cleanup. 0, or -1 with j->err. */
static int admin_write_files(struct admin_job *j, const char *dir, char made[][160], int *n_made)
{
	const char *name;
	json_t *v;
	json_object_foreach(j->files, name, v) {
		const char *b64 = json_string_value(v);
		size_t len = strlen(b64);
		unsigned char *bin;
		char path[160];
		int n;
		FILE *f;
		if (*n_made >= ADMIN_UPLOAD_FILES_MAX - 1) {
			snprintf(j->err, sizeof j->err, "terlalu banyak berkas (paling banyak %d)",
				 ADMIN_UPLOAD_FILES_MAX);
			return -1;
		}
		if (strchr(name, '/')) { /* one folder level: make it */
			char sub[160];
			snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(strchr(name, '/') - name), name);
			if (mkdir(sub, 0700) == 0)
				str_copy(made[(*n_made)++], 160, sub);
		}
		bin = xmalloc(len / 4 * 3 + 4);
		n = EVP_DecodeBlock(bin, (const unsigned char *)b64, (int)len);
		if (n < 0) {
			free(bin);
			snprintf(j->err, sizeof j->err, "%s: isi berkas bukan base64 yang sah", name);
			return -1;
		}
		/* EVP_DecodeBlock counts the padding's zero bytes too. */
		if (len >= 1 && b64[len - 1] == '=')
			n--;
		if (len >= 2 && b64[len - 2] == '=')
			n--;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		f = fopen(path, "wx");
		if (!f || fwrite(bin, 1, (size_t)n, f) != (size_t)n) {
			if (f)
				fclose(f);
			free(bin);
			snprintf(j->err, sizeof j->err, "%s: cannot write a temporary file", name);
			j->failed = 2;
			return -1;
		}
		fclose(f);
		free(bin);
		str_copy(made[(*n_made)++], 160, path);
	}
	return 0;
}

/* A bank (with its images) or an exam, through a temporary folder, on a
 * connection of the job's own: the same import as 'ujian bank import' and
 * 'ujian exam create'. */
static void admin_catalog_run(struct admin_job *j, FILE *out)
{
	char dir[] = "/tmp/ujian-upload-XXXXXX", main_path[160];
	char made[ADMIN_UPLOAD_FILES_MAX + 2][160];
	int n_made = 0;
	sqlite3 *db = NULL;

	if (!mkdtemp(dir)) {
		snprintf(j->err, sizeof j->err, "cannot make a temporary folder");
		j->failed = 2;
		return;
	}
	snprintf(main_path, sizeof main_path, "%s/%s", dir, j->kind == AJ_BANK ? "bank.json" : "exam.json");
	{
		FILE *f = fopen(main_path, "wx");
		if (!f || fwrite(j->in, 1, j->in_len, f) != j->in_len) {
			if (f)
				fclose(f);
			snprintf(j->err, sizeof j->err, "cannot write a temporary file");
			j->failed = 2;
			goto out;
		}
		fclose(f);
		str_copy(made[n_made++], 160, main_path);
	}
	if (j->files && admin_write_files(j, dir, made, &n_made)) {
		if (!j->failed) {
			j->failed = 1;
			errlist_add(&j->errs, 0, "", "images", "%s", j->err);
		}
		goto out;
	}
	if (!(db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
		j->failed = 2;
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if ((j->kind == AJ_BANK ? catalog_bank_import_all : catalog_exam_create_all)(db, main_path,
										     out, &j->errs)) {
		char prefix[sizeof dir + 1];
		j->failed = 1;
		/* The importer names its files by path: here they are the upload's. */
		snprintf(prefix, sizeof prefix, "%s/", dir);
		for (size_t i = 0; i < j->errs.n; i++)
			admin_strip(j->errs.v[i].message, prefix);
	}
out:
	db_close(db);
	/* Files first, then the folders they were in, then the upload folder. */
	for (int i = n_made - 1; i >= 0; i--)
		if (unlink(made[i]) != 0)
			rmdir(made[i]);
	for (int i = 0; i < n_made; i++)
		rmdir(made[i]);
	rmdir(dir);
}

/* The audit page with the head (AJ_AUDIT), or the chain's verdict. */
static void admin_audit_run(struct admin_job *j, sqlite3 *rdb, FILE *out)
{
	json_t *doc = NULL;
	if (!rdb) {
		j->failed = 2;
		return;
	}
	if (j->kind == AJ_AUDIT_VERIFY) {
		struct audit_report r;
		if (audit_verify(rdb, NULL, &r, j->err, sizeof j->err) == 0)
			doc = audit_report_json(&r);
	} else {
		struct audit_head h;
		char hex[2 * CHAIN_HASH_LEN + 1];
		if (audit_filter_check(&j->filter, j->err, sizeof j->err)) {
			j->bad_filter = 1;
			return;
		}
		if (audit_head(rdb, &h, j->err, sizeof j->err) == 0 &&
		    (doc = audit_query(rdb, &j->filter, j->err, sizeof j->err))) {
			cred_hex(h.hash, CHAIN_HASH_LEN, hex);
			json_object_set_new(doc, "head",
					    json_pack("{s:I,s:I,s:s}", "count", (json_int_t)h.count,
						      "id", (json_int_t)h.id, "hash", hex));
		}
	}
	if (!doc || json_dumpf(doc, out, JSON_COMPACT) != 0)
		j->failed = 2;
	json_decref(doc);
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
static void admin_reply_errors(struct evhttp_request *req, const struct errlist *errs)
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
static json_t *admin_exam_json(const struct rt_exam *e)
{
	int started = 0, finished = 0;
	size_t ci = 0;
	struct rt_candidate *c;
	while ((c = hmap_next(&e->candidates, &ci))) {
		started += c->status != ATT_NOT_STARTED;
		finished += c->status == ATT_FINISHED;
	}
	return json_pack("{s:s,s:s,s:o,s:o,s:i,s:b,s:b,s:b,s:i,s:i,s:i}", "code", e->def.code,
			 "title", e->def.title, "opens_at", clock_json(e->def.opens_at), "closes_at",
			 clock_json(e->def.closes_at), "duration_s", e->def.duration_s,
			 "token_required", e->def.token[0] != '\0', "show_score", e->def.show_score,
			 "archived", e->def.archived, "candidates", (int)e->candidates.len, "started",
			 started, "finished", finished);
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

static void admin_submit(struct api *a, struct evhttp_request *req, struct admin_job *j)
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

/* Download options from the query: sep=; (or ,), lang=en (or id), all=1. */
static int admin_results_opts(struct evhttp_request *req, struct results_opts *o)
{
	struct evkeyvalq q;
	const char *v;
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	int rc = 0;

	results_opts_default(o);
	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		return -1;
	if ((v = evhttp_find_header(&q, "sep"))) {
		if (strcmp(v, ";") == 0 || strcmp(v, ",") == 0)
			o->sep = v[0];
		else
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "lang"))) {
		if (strcmp(v, "en") == 0)
			o->lang = RESULTS_LANG_EN;
		else if (strcmp(v, "id") != 0)
			rc = -1;
	}
	if ((v = evhttp_find_header(&q, "all")))
		o->all = strcmp(v, "1") == 0;
	evhttp_clear_headers(&q);
	return rc;
}

static void admin_results(struct api *a, struct evhttp_request *req, const struct principal *p,
			  const char *rest, enum admin_job_kind kind)
{
	struct rt_exam *e;
	struct admin_job *j;
	if (!admin_exam(a, req, p, rest, &e))
		return;
	j = admin_job_new(kind);
	if (admin_results_opts(req, &j->opts)) {
		admin_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Pilihan unduhan: sep=, atau sep=; lang=id atau lang=en, all=1.");
		return;
	}
	j->opts.format = kind == AJ_RESULTS_JSON ? RESULTS_JSON : RESULTS_CSV;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	admin_submit(a, req, j);
}

void api_admin_results(void *app, struct evhttp_request *req, const struct principal *p,
		       const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_JSON);
}

void api_admin_results_csv(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_CSV);
}

void api_admin_results_xlsx(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	admin_results(app, req, p, rest, AJ_RESULTS_XLSX);
}

void api_admin_import(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	struct api *a = app;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct rt_exam *e;
	struct admin_job *j;

	if (!admin_exam(a, req, p, rest, &e))
		return;
	if (len == 0) {
		http_reply_error(req, 400, "invalid_request", "Berkas CSV peserta kosong.");
		return;
	}
	if (len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return;
	}
	j = admin_job_new(AJ_IMPORT);
	j->who = p->actor;
	j->exam_id = e->id;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	j->in = xmalloc(len);
	j->in_len = len;
	evbuffer_remove(in, j->in, len);
	admin_submit(a, req, j);
}

void api_admin_banks(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	(void)p;
	(void)rest;
	admin_submit(app, req, admin_job_new(AJ_BANKS));
}

/* The request body as bytes (at most max_body), or a reply and NULL. */
static char *admin_body(struct api *a, struct evhttp_request *req, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	char *data;
	*len = evbuffer_get_length(in);
	if (*len > a->max_body) {
		http_reply_error(req, 413, "body_too_large", NULL);
		return NULL;
	}
	data = xmalloc(*len + 1);
	evbuffer_remove(in, data, *len);
	data[*len] = '\0';
	return data;
}

void api_admin_bank_upload(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "bank", AF_STRING, 1, NULL }, { NULL, 0, 0, NULL } };
	struct admin_job *j;
	json_t *body, *images;
	const char *name;
	json_t *v;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	/* images is an object of path -> base64 text, checked by hand. */
	images = json_incref(json_object_get(body, "images"));
	json_object_del(body, "images");
	if (api_fields(req, body, f))
		goto out;
	if (images && !json_is_object(images)) {
		http_reply_error(req, 400, "invalid_request",
				 "Isian \"images\" harus berupa objek {jalur: base64}.");
		goto out;
	}
	if (images && json_object_size(images) > ADMIN_UPLOAD_FILES_MAX - 1) {
		http_reply_error(req, 400, "invalid_request", "Terlalu banyak berkas gambar.");
		goto out;
	}
	json_object_foreach(images, name, v) {
		if (!admin_upload_path_ok(name) || !json_is_string(v) || strcmp(name, "bank.json") == 0) {
			char d[240];
			char safe[120];
			str_copy(safe, sizeof safe, name);
			text_utf8_scrub(safe);
			snprintf(d, sizeof d, "Nama berkas gambar \"%s\" tidak sah (huruf, angka, . _ -; "
					      "paling banyak satu folder).",
				 safe);
			http_reply_error(req, 400, "invalid_request", d);
			goto out;
		}
	}
	j = admin_job_new(AJ_BANK);
	j->who = p->actor;
	j->in_len = strlen(json_string_value(f[0].value));
	j->in = xstrdup(json_string_value(f[0].value));
	j->files = images;
	images = NULL;
	admin_submit(a, req, j);
out:
	json_decref(images);
	json_decref(body);
}

void api_admin_exam_create(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct admin_job *j;
	size_t len;
	char *data = admin_body(a, req, &len);
	(void)rest;
	if (!data)
		return;
	j = admin_job_new(AJ_EXAM);
	j->who = p->actor;
	j->in = data;
	j->in_len = len;
	admin_submit(a, req, j);
}

/* ---- the audit log ------------------------------------------------------------ */

void api_admin_audit(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char *names[] = { "exam", "actor", "candidate" };
	struct admin_job *j = admin_job_new(AJ_AUDIT);
	struct evkeyvalq q;
	const char *v;
	int bad = 0;
	(void)p;
	(void)rest;

	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		bad = 1;
	for (int i = 0; i < 3 && !bad; i++) {
		v = evhttp_find_header(&q, names[i]);
		if (!v || !*v)
			continue;
		if (strlen(v) >= sizeof j->fstore[i])
			bad = 1;
		else
			str_copy(j->fstore[i], sizeof j->fstore[i], v);
	}
	j->filter.exam = j->fstore[0][0] ? j->fstore[0] : NULL;
	j->filter.actor = j->fstore[1][0] ? j->fstore[1] : NULL;
	j->filter.candidate = j->fstore[2][0] ? j->fstore[2] : NULL;
	if (!bad && (v = evhttp_find_header(&q, "since")) && *v &&
	    audit_parse_time(v, &j->filter.since_ms))
		bad = 1;
	if (!bad && (v = evhttp_find_header(&q, "limit")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 9;
		j->filter.limit = bad ? 0 : strtol(v, NULL, 10);
		bad |= j->filter.limit == 0;
	}
	if (!bad && (v = evhttp_find_header(&q, "before")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 18;
		j->filter.before_id = bad ? 0 : strtoll(v, NULL, 10);
	}
	evhttp_clear_headers(&q);
	if (bad) {
		admin_job_free(j);
		http_reply_error(req, 400, "invalid_request",
				 "Saringan log audit tidak valid (exam, actor, candidate, since "
				 "YYYY-MM-DD, limit, before).");
		return;
	}
	admin_submit(app, req, j);
}

void api_admin_audit_verify(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	(void)p;
	(void)rest;
	admin_submit(app, req, admin_job_new(AJ_AUDIT_VERIFY));
}

/* ---- a bank as its authors see it ------------------------------------------------ */

void api_admin_bank_items(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct admin_job *j;
	struct evkeyvalq q;
	char code[UJ_CODE_MAX + 1];
	const char *v;
	int version = 0, bad = 0;
	(void)p;

	TAILQ_INIT(&q);
	if (query && evhttp_parse_query_str(query, &q) != 0)
		bad = 1;
	if (!bad && (v = evhttp_find_header(&q, "version")) && *v) {
		bad = strspn(v, "0123456789") != strlen(v) || strlen(v) > 6;
		version = bad ? 0 : atoi(v);
	}
	evhttp_clear_headers(&q);
	if (bad || route_segment(rest, 0, code, sizeof code)) {
		http_reply_error(req, bad ? 400 : 404, bad ? "invalid_request" : "not_found",
				 bad ? "Versi bank harus berupa angka." : NULL);
		return;
	}
	j = admin_job_new(AJ_BANK_ITEMS);
	j->version = version;
	str_copy(j->exam, sizeof j->exam, code);
	admin_submit(app, req, j);
}

void api_admin_asset(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct admin_job *j;
	char sha[65];
	(void)p;
	if (route_segment(rest, 0, sha, sizeof sha) || strlen(sha) != 64 ||
	    strspn(sha, "0123456789abcdef") != 64) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	j = admin_job_new(AJ_ASSET);
	str_copy(j->exam, sizeof j->exam, sha);
	admin_submit(app, req, j);
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
