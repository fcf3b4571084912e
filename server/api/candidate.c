/* candidate.c - the candidate's routes: login, logout, the attempt, answers,
 * position, finish, result, images. Each handler parses and validates the
 * request, asks exam/attempt.c or auth/session.c to act, and replies from
 * the completion, i.e. after the commit. */
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/mem.h"
#include "exam/render.h"
#include "http/reply.h"
#include "http/tls.h"

#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_COOKIE_PATH "; Path=" RENDER_IMAGE_PREFIX "; HttpOnly; SameSite=Strict"

/* ---- replies after the commit ------------------------------------------ */

static void api_reply_paper(struct api *a, struct evhttp_request *req, const struct rt_candidate *c)
{
	struct evbuffer *buf = evbuffer_new();
	char tag[UJ_IMAGE_TAG_LEN + 1];
	session_image_tag(a->auth, c->id, tag);
	render_paper(c, tag, clock_now_ms(), buf);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	http_reply_buffer(req, 200, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
}

/* The reply when the domain reports ok = 0. Broken: the candidate's write
 * was left out (registry.h); nothing is served for it until a restart (the
 * route table refuses its later requests the same way). Otherwise the
 * storage failed (disk full, I/O error): 503 storage_unavailable, nothing
 * stored, the client keeps the answer and retries. */
static void api_broken(const struct rt_candidate *c, struct evhttp_request *req)
{
	if (c->broken)
		http_reply_error(req, 500, "internal", api_broken_detail);
	else
		http_reply_storage(req);
}

/* A request and the api it belongs to, for completions that need both. */
struct api_req {
	struct api *a;
	struct evhttp_request *req;
};

static struct api_req *api_req_new(struct api *a, struct evhttp_request *req)
{
	struct api_req *r = xmalloc(sizeof *r);
	r->a = a;
	r->req = req;
	return r;
}

static void api_then_paper(struct rt_candidate *c, int ok, void *arg)
{
	struct api_req *r = arg;
	if (!ok)
		api_broken(c, r->req);
	else if (c->status == ATT_FINISHED)
		http_reply_error(r->req, 409, "attempt_closed", NULL);
	else
		api_reply_paper(r->a, r->req, c);
	free(r);
}

static void api_then_result(struct rt_candidate *c, int ok, void *arg)
{
	if (!ok)
		api_broken(c, arg);
	else
		http_reply_json(arg, 200, render_result(c));
}

static void api_then_attempt(struct rt_candidate *c, int ok, void *arg)
{
	struct api_req *r = arg;
	if (!ok)
		api_broken(c, r->req);
	else if (c->status == ATT_IN_PROGRESS)
		api_reply_paper(r->a, r->req, c);
	else
		http_reply_json(r->req, 200, render_attempt_idle(c, clock_now_ms()));
	free(r);
}

/* GET /api/v1/attempt?view=clock: only the attempt and its clock, for the
 * client's periodic re-sync (the full paper is tens of kilobytes). */
static void api_then_clock(struct rt_candidate *c, int ok, void *arg)
{
	struct api_req *r = arg;
	int64_t now = clock_now_ms();
	json_t *doc;
	if (!ok) {
		api_broken(c, r->req);
		free(r);
		return;
	}
	doc = c->status == ATT_IN_PROGRESS ? json_pack("{s:o}", "attempt", render_clock(c, now))
					   : render_attempt_idle(c, now);
	/* The proctors' broadcasts ride on the light poll. */
	json_object_set_new(doc, "notices", proctor_notices_json(r->a->pr, c));
	http_reply_json(r->req, 200, doc);
	free(r);
}

static void api_then_logout(struct rt_candidate *c, int ok, void *arg)
{
	(void)c;
	if (!ok) {
		api_broken(c, arg);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(arg), "Set-Cookie",
			  http_secure(arg) ? API_COOKIE "=; Max-Age=0" API_COOKIE_PATH "; Secure"
					   : API_COOKIE "=; Max-Age=0" API_COOKIE_PATH);
	http_reply_empty(arg);
}

/* ---- login ---------------------------------------------------------------- */

struct api_login_ctx {
	struct evhttp_request *req;
	char token[CRED_TOKEN_LEN + 1];
};

static void api_then_login(struct rt_candidate *c, int ok, void *arg)
{
	struct api_login_ctx *lc = arg;
	const struct rt_exam *e = c->exam;
	json_t *secs;
	char *cookie;

	if (!ok) {
		api_broken(c, lc->req);
		goto out;
	}
	secs = json_array();
	for (int i = 0; i < e->def.n_sections; i++)
		json_array_append_new(secs, json_pack("{s:s,s:s,s:i}", "code", e->def.sec[i].code,
						      "title", e->section_title[i], "items",
						      e->def.sec[i].draw));
	cookie = xasprintf(API_COOKIE "=%s" API_COOKIE_PATH "%s", lc->token,
			   http_secure(lc->req) ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(lc->req), "Set-Cookie", cookie);
	OPENSSL_cleanse(cookie, strlen(cookie));
	free(cookie);
	http_reply_json(lc->req, 200,
			json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s,s:i,s:o},s:{s:s}}", "token", lc->token,
				  "candidate", "registration_no", c->regno, "name", c->name, "exam",
				  "code", e->def.code, "title", e->def.title, "duration_s",
				  e->def.duration_s, "sections", secs, "attempt", "status",
				  attempt_status_names[c->status]));
out:
	OPENSSL_cleanse(lc->token, sizeof lc->token);
	free(lc);
}

static const int api_login_status[LOGIN_OUTCOME_MAX] = {
	[LOGIN_OK] = 200,
	[LOGIN_INVALID_CREDENTIALS] = 401,
	[LOGIN_TOO_MANY_ATTEMPTS] = 429,
	[LOGIN_EXAM_CLOSED] = 403,
	[LOGIN_TOKEN_REQUIRED] = 403,
	[LOGIN_TOKEN_INVALID] = 403,
	[LOGIN_UNAVAILABLE] = 500,
	[LOGIN_EXAM_REQUIRED] = 409,
};

/* POST /api/v1/candidate/login {"exam"?,"registration_no","password","token"?,
 * "fp"?}. Without "exam" (or with "") the server finds the open exam whose
 * candidate has that number and password (auth/session.c). */
void api_login(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	static const char *const keys[] = { "exam", "registration_no", "password", "token", "fp" };
	struct api *a = app;
	json_t *body, *v;
	const char *f[5] = { NULL, NULL, NULL, NULL, NULL }, *key;
	char peer[UJ_PEER_MAX + 1];
	struct api_login_ctx *lc;
	struct rt_candidate *c;
	enum login_outcome out;
	(void)p;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	json_object_foreach(body, key, v) {
		int known = 0;
		for (int i = 0; i < 5; i++)
			if (strcmp(key, keys[i]) == 0) {
				known = 1;
				if (!json_is_string(v) && !((i == 0 || i >= 3) && json_is_null(v))) {
					char d[96];
					snprintf(d, sizeof d, "Isian \"%s\" harus berupa teks.", key);
					http_reply_error(req, 400, "invalid_request", d);
					goto out;
				}
				f[i] = json_is_string(v) ? json_string_value(v) : NULL;
			}
		if (!known) {
			http_reply_unknown_field(req, key);
			goto out;
		}
	}
	for (int i = 1; i < 3; i++)
		if (!f[i]) {
			char d[96];
			snprintf(d, sizeof d, "Isian \"%s\" wajib diisi.", keys[i]);
			http_reply_error(req, 400, "invalid_request", d);
			goto out;
		}
	http_peer(req, peer, sizeof peer);
	lc = xcalloc(1, sizeof *lc);
	lc->req = req;
	{
		struct login_req r = { f[0], f[1], f[2], f[3], peer, f[4] };
		out = session_login(a->auth, &r, clock_now_ms(), lc->token, &c, api_then_login, lc);
	}
	if (out != LOGIN_OK) {
		free(lc);
		http_reply_error(req, api_login_status[out], login_outcome_codes[out], NULL);
	}
out:
	json_decref(body);
}

/* ---- the attempt ------------------------------------------------------------ */

void api_logout(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	(void)rest;
	session_logout(a->auth, p->cand, clock_now_ms(), api_then_logout, req);
}

void api_start(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	int64_t now = clock_now_ms();
	(void)rest;
	if (c->status == ATT_NOT_STARTED) {
		if (!attempt_exam_open(c->exam, now)) {
			http_reply_error(req, 403, "exam_closed", NULL);
			return;
		}
		if (proctor_must_wait(c)) {
			evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "3");
			http_reply_error(req, 409, "waiting", NULL);
			return;
		}
		attempt_start(a->x, c, now, api_then_paper, api_req_new(a, req));
		return;
	}
	if (attempt_expire_if_due(a->x, c, now)) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		return;
	}
	attempt_when_durable(a->x, c, api_then_paper, api_req_new(a, req));
}

void api_attempt(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	int clock_only = query && strcmp(query, "view=clock") == 0;
	(void)rest;
	if (query && !clock_only) {
		http_reply_error(req, 400, "invalid_request",
				 "Parameter yang dikenal hanya \"view=clock\".");
		return;
	}
	attempt_expire_if_due(a->x, p->cand, clock_now_ms());
	if (clock_only)
		attempt_when_durable(a->x, p->cand, api_then_clock, api_req_new(a, req));
	else
		attempt_when_durable(a->x, p->cand, api_then_attempt, api_req_new(a, req));
}

/* Parse a 1-based question number in [1, max] of at most
 * UJ_QUESTION_DIGITS digits; -1 if not one. *end: the first byte after it. */
static int api_parse_n(const char *s, int max, const char **end)
{
	long v = 0;
	int digits = 0;
	while (*s >= '0' && *s <= '9' && digits < UJ_QUESTION_DIGITS) {
		v = v * 10 + (*s - '0');
		s++;
		digits++;
	}
	if (end)
		*end = s;
	if (!digits || (*s >= '0' && *s <= '9') || v < 1 || v > max)
		return -1;
	return (int)v;
}

/* Reply 409 not_started or attempt_closed (finishing an attempt whose time
 * is up) unless c's attempt is running at now; returns 1 if it replied. */
static int api_not_running(struct api *a, struct evhttp_request *req, struct rt_candidate *c,
			   int64_t now)
{
	if (c->status == ATT_NOT_STARTED) {
		http_reply_error(req, 409, "not_started", NULL);
		return 1;
	}
	if (attempt_expire_if_due(a->x, c, now)) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		return 1;
	}
	if (c->paused_at) {
		http_reply_error(req, 409, "paused", c->pause_reason && *c->pause_reason
							      ? c->pause_reason
							      : NULL);
		return 1;
	}
	return 0;
}

struct api_answer_ctx {
	struct evhttp_request *req;
	struct answer_rec rec;
};

/* The answer reply is the most frequent one: written directly, no JSON tree. */
static void api_then_answer(struct rt_candidate *c, int ok, void *arg)
{
	struct api_answer_ctx *ac = arg;
	struct evbuffer *buf;
	if (!ok) {
		api_broken(c, ac->req);
		free(ac);
		return;
	}
	buf = evbuffer_new();
	render_answer(c, ac->rec.n, ac->rec.label, ac->rec.flagged, ac->rec.rev, clock_now_ms(), buf);
	evhttp_add_header(evhttp_request_get_output_headers(ac->req), "Cache-Control", "no-store");
	http_reply_buffer(ac->req, 200, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
	free(ac);
}

/* PUT /api/v1/attempt/answers/{n} {"option": "A".."F"|null, "flagged": bool,
 * "rev": int}. */
void api_answer(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	static const char *const answer_keys[] = { "option", "flagged", "rev", NULL };
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	const char *end;
	int n = api_parse_n(rest, c->n, &end), label = -1;
	int64_t now = clock_now_ms();
	json_t *body = NULL, *opt, *flag, *rev;

	if (n < 0 || *end) {
		http_reply_error(req, 404, "no_such_question", NULL);
		return;
	}
	if (http_body_json(req, a->max_body, &body))
		return;
	if (api_not_running(a, req, c, now) || http_unknown_field(req, body, answer_keys))
		goto out;
	opt = json_object_get(body, "option");
	flag = json_object_get(body, "flagged");
	rev = json_object_get(body, "rev");
	if (!opt || (!json_is_null(opt) && !json_is_string(opt))) {
		http_reply_error(req, 400, "invalid_option",
				 "Isian \"option\" wajib berupa huruf pilihan atau null.");
		goto out;
	}
	if (json_is_string(opt)) {
		const char *o = json_string_value(opt);
		int nopt = c->q[n - 1].n_options;
		if (json_string_length(opt) != 1 || o[0] < 'A' || o[0] >= 'A' + nopt) {
			char d[96];
			snprintf(d, sizeof d, "Soal nomor %d hanya memiliki pilihan A sampai %c.", n,
				 'A' + nopt - 1);
			http_reply_error(req, 400, "invalid_option", d);
			goto out;
		}
		label = o[0] - 'A';
	}
	if (!json_is_boolean(flag)) {
		http_reply_error(req, 400, "invalid_request",
				 "Isian \"flagged\" wajib bernilai true atau false.");
		goto out;
	}
	if (!json_is_integer(rev) || json_integer_value(rev) < 1 ||
	    json_integer_value(rev) > UJ_REV_MAX) {
		http_reply_error(req, 400, "invalid_request",
				 "Isian \"rev\" wajib berupa bilangan bulat 1 atau lebih.");
		goto out;
	}
	{
		struct api_answer_ctx *ac = xmalloc(sizeof *ac);
		ac->req = req;
		ac->rec.n = n;
		ac->rec.label = label;
		ac->rec.flagged = json_is_true(flag);
		ac->rec.rev = (uint32_t)json_integer_value(rev);
		attempt_answer(a->x, c, &ac->rec, now, api_then_answer, ac);
	}
out:
	json_decref(body);
}

static void api_then_position(struct rt_candidate *c, int ok, void *arg)
{
	if (!ok)
		api_broken(c, arg);
	else
		http_reply_json(arg, 200, json_pack("{s:i}", "n", c->position));
}

/* PUT /api/v1/attempt/position {"n": int}: the question the candidate is on,
 * so that a login on another PC lands on it. */
void api_position(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	static const char *const position_keys[] = { "n", NULL };
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	int64_t now = clock_now_ms();
	json_t *body, *n;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	if (http_unknown_field(req, body, position_keys))
		goto out;
	n = json_object_get(body, "n");
	if (!json_is_integer(n)) {
		http_reply_error(req, 400, "invalid_request", "Isian \"n\" wajib berupa nomor soal.");
		goto out;
	}
	if (json_integer_value(n) < 1 || json_integer_value(n) > c->n) {
		http_reply_error(req, 404, "no_such_question", NULL);
		goto out;
	}
	if (api_not_running(a, req, c, now))
		goto out;
	attempt_position(a->x, c, (int)json_integer_value(n), now, api_then_position, req);
out:
	json_decref(body);
}

void api_finish(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	int64_t now = clock_now_ms();
	(void)rest;
	if (c->status == ATT_NOT_STARTED) {
		http_reply_error(req, 409, "not_started", NULL);
		return;
	}
	if (c->status == ATT_IN_PROGRESS && c->paused_at) {
		http_reply_error(req, 409, "paused", NULL);
		return;
	}
	if (!attempt_expire_if_due(a->x, c, now)) {
		attempt_finish(a->x, c, FINISH_SUBMITTED, now, api_then_result, req);
		return;
	}
	attempt_when_durable(a->x, c, api_then_result, req);
}

void api_result(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	(void)rest;
	if (!attempt_expire_if_due(a->x, p->cand, clock_now_ms())) {
		http_reply_error(req, 409, "not_finished", NULL);
		return;
	}
	attempt_when_durable(a->x, p->cand, api_then_result, req);
}

/* GET /api/v1/attempt/images/{tag}/{n}/{slot}: slot q1..q4 (question
 * images) or A..F (option image, by the candidate's label). */
void api_image(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	const struct rt_candidate *c = p->cand;
	const struct rt_asset *img = NULL;
	const char *end;
	char tag[UJ_IMAGE_TAG_LEN + 1];
	int n;

	session_image_tag(a->auth, c->id, tag);
	if (strncmp(rest, tag, UJ_IMAGE_TAG_LEN) != 0 || rest[UJ_IMAGE_TAG_LEN] != '/')
		goto notfound;
	n = api_parse_n(rest + UJ_IMAGE_TAG_LEN + 1, c->n, &end);
	if (n < 0 || *end != '/' || !(img = render_image(c, n, end + 1)))
		goto notfound;
	{
		struct evbuffer *buf = evbuffer_new();
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		evbuffer_add_reference(buf, img->data, img->len, NULL, NULL);
		evhttp_add_header(h, "Cache-Control", "private, max-age=86400");
		evhttp_add_header(h, "Content-Security-Policy",
				  "default-src 'none'; style-src 'unsafe-inline'; sandbox");
		http_reply_buffer(req, 200, buf, img->mime);
		evbuffer_free(buf);
	}
	return;
notfound:
	http_reply_error(req, 404, "not_found", NULL);
}
