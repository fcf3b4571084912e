/* slip.c - signed result slips over HTTP (docs/API.md "Result slips"): a
 * staff member's slip of a candidate, a candidate's own slip, the public
 * verification of a code and the public key.
 *
 * Every slip request runs on the worker pool: the stored slip is read on
 * the thread's read-only connection; only the first request for an attempt
 * opens a read-write connection and issues the slip (report/slip.h: one
 * transaction with its audit event). Verification reads only. Unknown codes
 * count against the client's address (a sliding window): past the limit it
 * gets 429 until the window moves, so codes cannot be enumerated. */
#include "api/admin_job.h"
#include "api/api.h"
#include "auth/ratelimit.h"
#include "auth/staff.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "http/reply.h"
#include "report/slip.h"
#include "store/db.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The server's slip state (loop thread; the key is only read, by workers). */
struct slip_rt {
	EVP_PKEY *key;
	char *pub_pem;
	char *public_url; /* without a trailing slash; NULL: from the Host header */
	int tls;
	struct ratelimit fails; /* unknown codes per client address */
};

static const struct errtext slip_error_rows[] = {
	{ "slip_rate_limited", "Terlalu banyak kode yang tidak dikenal dari alamat ini. Coba lagi "
			       "sebentar lagi." },
};
static const struct errtext_table slip_errors = ERRTEXT_TABLE(slip_error_rows);

struct slip_rt *api_slip_open(const char *db_path, const char *public_url, int tls, char *err,
			      size_t errlen)
{
	struct slip_rt *r = xcalloc(1, sizeof *r);
	char *path = slip_key_path(db_path);
	int made;

	if (slip_key_ensure(path, &made, err, errlen) ||
	    !(r->key = slip_key_load(path, err, errlen)) || !(r->pub_pem = slip_pubkey_pem(r->key))) {
		free(path);
		api_slip_close(r);
		return NULL;
	}
	if (made)
		log_info("made the slip signing key %s (back it up: docs/OPERATIONS.md)", path);
	free(path);
	if (public_url) {
		size_t n = strlen(public_url);
		while (n > 0 && public_url[n - 1] == '/')
			n--;
		r->public_url = xstrndup(public_url, n);
	}
	r->tls = tls;
	ratelimit_init(&r->fails, UJ_SLIP_VERIFY_FAILS, UJ_SLIP_VERIFY_WINDOW_MS, UJ_SLIP_VERIFY_KEYS);
	http_errors_add(&slip_errors);
	return r;
}

void api_slip_close(struct slip_rt *r)
{
	if (!r)
		return;
	EVP_PKEY_free(r->key);
	free(r->pub_pem);
	free(r->public_url);
	if (r->fails.max_keys)
		ratelimit_free(&r->fails);
	free(r);
}

enum slip_job_kind { SLJ_ISSUE, SLJ_VERIFY };

struct slip_job {
	struct worker_job job;
	enum slip_job_kind kind;
	struct api *a;
	struct evhttp_request *req;
	struct actor who;
	char exam[UJ_CODE_MAX + 1];
	char regno[UJ_REGNO_MAX + 1];
	int64_t cid;
	char code[SLIP_CODE_LEN + 1];
	char peer[UJ_PEER_MAX + 1];
	char *verify_url;
	char *qr;
	enum slip_status st;
	struct slip slip;
	struct slip_verdict v;
	char err[512];
};

static void slip_job_free(struct slip_job *j)
{
	slip_free(&j->slip);
	slip_verdict_free(&j->v);
	free(j->verify_url);
	free(j->qr);
	free(j);
}

/* Worker thread: read (and on first request issue) the slip, or check a code. */
static void slip_job_run(struct worker_job *job, void *tctx)
{
	struct slip_job *j = (struct slip_job *)job;
	sqlite3 *db;

	j->st = SLIP_ERROR;
	if (!tctx) {
		snprintf(j->err, sizeof j->err, "no read connection");
		return;
	}
	if (j->kind == SLJ_VERIFY) {
		j->st = slip_check(tctx, j->a->slip->key, j->code, &j->v, j->err, sizeof j->err);
		return;
	}
	j->st = slip_get(tctx, j->exam, j->regno, j->cid, &j->slip, j->err, sizeof j->err);
	if (j->st == SLIP_NO_SLIP) {
		if (!(db = db_open(j->a->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
			j->st = SLIP_ERROR;
			return;
		}
		sqlite3_busy_timeout(db, 10000);
		j->st = slip_issue(db, j->a->slip->key, j->exam, j->regno, j->cid, j->who,
				   clock_now_ms(), &j->slip, j->err, sizeof j->err);
		db_close(db);
	}
	if (j->st != SLIP_OK)
		return;
	/* verify_url holds the base until here. */
	{
		char *url = xasprintf("%s/verify/%s", j->verify_url, j->slip.code);
		free(j->verify_url);
		j->verify_url = url;
	}
	j->qr = slip_qr_svg(j->verify_url);
}

static const char *const slip_reason_id[SLIP_REASON_MAX] = {
	[SLIP_GENUINE] = "Slip asli: isi dan tanda tangannya cocok dengan data ujian.",
	[SLIP_BAD_SIGNATURE] = "Slip tidak asli: isinya diubah setelah ditandatangani.",
	[SLIP_OTHER_KEY] = "Slip tidak dapat dipastikan: ditandatangani dengan kunci lain.",
	[SLIP_DATA_CHANGED] = "Slip tidak cocok lagi dengan data ujian yang tersimpan.",
	[SLIP_ATTEMPT_GONE] = "Ujian yang menjadi dasar slip ini tidak ada lagi.",
	[SLIP_MALFORMED] = "Bukan slip yang sah.",
};

/* Loop thread: the reply. */
static void slip_job_done(struct worker_job *job)
{
	struct slip_job *j = (struct slip_job *)job;
	struct slip_rt *r = j->a->slip;

	if (j->kind == SLJ_VERIFY && j->st == SLIP_NO_SLIP) {
		ratelimit_fail(&r->fails, j->peer, strlen(j->peer), clock_now_ms());
		http_reply_error(j->req, 404, "not_found", "Kode slip tidak dikenal.");
	} else if (j->st == SLIP_NO_CANDIDATE) {
		http_reply_error(j->req, 404, "not_found", "Peserta tidak ada.");
	} else if (j->st == SLIP_NOT_FINISHED) {
		http_reply_error(j->req, 409, "not_finished", NULL);
	} else if (j->st != SLIP_OK) {
		log_error("slip: %s", j->err);
		http_reply_error(j->req, 500, "internal", NULL);
	} else if (j->kind == SLJ_VERIFY) {
		char shown[SLIP_CODE_LEN + 2];
		slip_code_show(j->code, shown);
		http_reply_json(j->req, 200,
				json_pack("{s:b,s:s,s:s,s:s,s:s,s:O?}", "valid",
					  j->v.reason == SLIP_GENUINE, "reason",
					  slip_reason_codes[j->v.reason], "message",
					  slip_reason_id[j->v.reason], "detail", j->v.detail, "code",
					  shown, "slip", j->v.payload));
	} else {
		json_t *doc = slip_doc(&j->slip);
		json_object_set_new(doc, "verify_url", json_string(j->verify_url));
		json_object_set_new(doc, "qr_svg", j->qr ? json_string(j->qr) : json_null());
		http_reply_json(j->req, 200, doc);
	}
	slip_job_free(j);
}

/* The origin slips link to: --public-url, else this request's Host (with
 * the scheme this server speaks), else nothing (a relative link). Behind a
 * proxy the Host header is the proxy's choice: set --public-url there. */
static char *slip_base(const struct slip_rt *r, struct evhttp_request *req)
{
	const char *host = evhttp_find_header(evhttp_request_get_input_headers(req), "Host");
	if (r->public_url)
		return xstrdup(r->public_url);
	if (!host || !*host || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
		    strlen(host))
		return xstrdup("");
	return xasprintf("%s://%s", r->tls ? "https" : "http", host);
}

static struct slip_job *slip_job_new(struct api *a, struct evhttp_request *req,
				     enum slip_job_kind kind)
{
	struct slip_job *j = xcalloc(1, sizeof *j);
	j->job.run = slip_job_run;
	j->job.done = slip_job_done;
	j->kind = kind;
	j->a = a;
	j->req = req;
	return j;
}

static void slip_submit(struct api *a, struct slip_job *j)
{
	if (worker_submit(a->pool, &j->job) != 0) {
		http_reply_busy(j->req);
		slip_job_free(j);
	}
}

/* The attempt's writes are durable (the finish is in the database, where the
 * slip is read from): the slip can be read or issued. */
static void slip_durable(struct rt_candidate *c, int ok, void *arg)
{
	struct slip_job *j = arg;
	(void)c;
	if (!ok) {
		http_reply_error(j->req, 500, "internal", api_broken_detail);
		slip_job_free(j);
		return;
	}
	slip_submit(j->a, j);
}

/* GET /api/v1/staff/exams/{E}/candidates/{R}/slip (admin, committee). */
void api_staff_slip(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	struct api *a = app;
	struct rt_exam *e;
	struct rt_candidate *c = NULL;
	struct slip_job *j;
	char regno[UJ_REGNO_MAX + 1];

	if (!admin_exam(a, req, p, rest, &e))
		return;
	if (route_segment(rest, 2, regno, sizeof regno) == 0)
		c = registry_candidate(e, regno);
	if (!c) {
		http_reply_error(req, 404, "not_found", "Peserta tidak ada.");
		return;
	}
	if (c->status != ATT_FINISHED) {
		http_reply_error(req, 409, "not_finished", "Slip hasil ada setelah peserta selesai.");
		return;
	}
	j = slip_job_new(a, req, SLJ_ISSUE);
	j->who = p->actor;
	j->cid = c->id;
	str_copy(j->exam, sizeof j->exam, e->def.code);
	str_copy(j->regno, sizeof j->regno, c->regno);
	j->verify_url = slip_base(a->slip, req);
	attempt_when_durable(a->x, c, slip_durable, j);
}

/* GET /api/v1/attempt/slip (the candidate's own, finished attempts only). */
void api_attempt_slip(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	struct slip_job *j;
	(void)rest;

	if (!attempt_expire_if_due(a->x, c, clock_now_ms())) {
		http_reply_error(req, 409, "not_finished", NULL);
		return;
	}
	/* What the result screen does not show, the candidate's slip does not
	 * either: an exam that keeps its scores for the committee, a
	 * disqualified attempt (its slip is the committee's). */
	if (!c->exam->def.show_score || c->reason == FINISH_DISQUALIFIED) {
		http_reply_error(req, 403, "forbidden", "Slip hasil ujian ini diberikan oleh panitia.");
		return;
	}
	j = slip_job_new(a, req, SLJ_ISSUE);
	j->who = p->actor;
	j->cid = c->id;
	str_copy(j->exam, sizeof j->exam, c->exam->def.code);
	str_copy(j->regno, sizeof j->regno, c->regno);
	j->verify_url = slip_base(a->slip, req);
	attempt_when_durable(a->x, c, slip_durable, j);
}

/* GET /api/v1/verify/{CODE} (anyone). */
void api_verify_slip(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct api *a = app;
	struct slip_rt *r = a->slip;
	struct slip_job *j = slip_job_new(a, req, SLJ_VERIFY);
	char raw[64];
	int64_t now = clock_now_ms(), wait;
	(void)p;

	http_peer(req, j->peer, sizeof j->peer);
	if ((wait = ratelimit_wait_ms(&r->fails, j->peer, strlen(j->peer), now)) > 0) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)(wait + 999) / 1000);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", s);
		http_reply_error(req, 429, "slip_rate_limited", NULL);
		slip_job_free(j);
		return;
	}
	if (route_segment(rest, 0, raw, sizeof raw) != 0 || slip_code_norm(raw, j->code) != 0) {
		ratelimit_fail(&r->fails, j->peer, strlen(j->peer), now);
		http_reply_error(req, 404, "not_found", "Kode slip tidak dikenal.");
		slip_job_free(j);
		return;
	}
	slip_submit(a, j);
}

/* GET /api/v1/slip-key (anyone): the public key, PEM. */
void api_slip_key(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	struct api *a = app;
	struct evbuffer *buf = evbuffer_new();
	(void)p;
	(void)rest;
	evbuffer_add(buf, a->slip->pub_pem, strlen(a->slip->pub_pem));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Disposition",
			  "inline; filename=\"ujian-slip-key.pem\"");
	http_reply_buffer(req, 200, buf, "application/x-pem-file");
	evbuffer_free(buf);
}
