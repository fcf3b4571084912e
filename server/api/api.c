/* api.c - candidate API handlers: login, the paper, answers, finish, result,
 * images. Contract: docs/API.md. Nothing built here contains answer keys,
 * option points or bank item ids. */
#include "api/api.h"
#include "exam/attempt.h"
#include "core/clock.h"
#include "http/httpd.h"
#include "core/jcheck.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "version.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#define API_COOKIE "ujian_img"
#define API_IMAGE_PREFIX "/api/v1/attempt/images/"

static const char api_labels[] = "ABCDEF";

typedef void (*api_handler)(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			    const char *rest);

enum api_auth { API_PUBLIC, API_CANDIDATE, API_CANDIDATE_COOKIE };

struct api_route {
	const char *path;
	int prefix; /* path is a prefix; the remainder is passed as rest */
	enum evhttp_cmd_type method;
	enum api_auth auth;
	api_handler fn;
};

/* ---- small builders ---------------------------------------------------- */

static json_t *api_time(int64_t ms)
{
	char buf[40];
	return json_string(clock_format_rfc3339(ms, 0, buf, sizeof buf));
}

/* Opaque per-candidate tag in image URLs, so URLs of different candidates
 * never collide in a shared browser cache. Names no bank item. */
static void api_image_tag(struct server *s, const struct rt_candidate *c, char out[17])
{
	unsigned char mac[32];
	unsigned int len = sizeof mac;
	char msg[32];
	int n = snprintf(msg, sizeof msg, "img:%lld", (long long)c->id);
	HMAC(EVP_sha256(), s->key, CRED_KEY_LEN, (unsigned char *)msg, (size_t)n, mac, &len);
	cred_hex(mac, 8, out);
}

static json_t *api_attempt_clock(const struct rt_candidate *c, int64_t now)
{
	int64_t deadline = registry_deadline(c);
	return json_pack("{s:s,s:o,s:o,s:I,s:o}", "status", attempt_status_names[c->status],
			 "started_at", api_time(c->started_at), "deadline", api_time(deadline),
			 "remaining_ms", (json_int_t)clock_remaining_ms(deadline, now), "server_time",
			 api_time(now));
}

static json_t *api_result_json(const struct rt_candidate *c)
{
	const struct rt_exam *e = c->exam;
	json_t *r = json_pack("{s:s,s:o,s:s}", "status", "finished", "finished_at",
			      api_time(c->finished_at), "finish_reason", finish_reason_names[c->reason]);
	if (!e->def.show_score)
		return r;
	json_t *secs = json_array();
	for (int i = 0; i < e->def.n_sections; i++)
		json_array_append_new(secs, json_pack("{s:s,s:s,s:i,s:i}", "code", e->def.sec[i].code,
						      "title", e->section_title[i], "score",
						      c->score[i], "max", c->max[i]));
	json_object_set_new(r, "sections", secs);
	json_object_set_new(r, "total", json_integer(c->total));
	json_object_set_new(r, "max_total", json_integer(c->max_total));
	json_object_set_new(r, "passed", json_boolean(c->passed));
	return r;
}

/* Append a literal, a string of known length, or a small integer. The paper
 * is the largest reply (tens of kilobytes) and is built at every start and
 * reload, so it is assembled from pre-encoded pieces without printf. */
#define api_lit(out, s) evbuffer_add((out), (s), sizeof(s) - 1)

static void api_int(struct evbuffer *out, long v)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%ld", v);
	evbuffer_add(out, buf, (size_t)n);
}

/* "/api/v1/attempt/images/<tag>/<n>/" into out. */
static void api_image_base(struct evbuffer *out, const char *tag, int n)
{
	api_lit(out, "\"" API_IMAGE_PREFIX);
	evbuffer_add(out, tag, 16);
	api_lit(out, "/");
	api_int(out, n);
	api_lit(out, "/");
}

/* The Paper document, assembled from pre-encoded item texts. */
static void api_paper(struct server *s, const struct rt_candidate *c, struct evbuffer *out)
{
	const struct rt_exam *e = c->exam;
	int64_t now = clock_now_ms();
	json_t *att = api_attempt_clock(c, now);
	char *atts = json_dumps(att, JSON_COMPACT | JSON_PRESERVE_ORDER), tag[17];

	api_image_tag(s, c, tag);
	json_decref(att);
	api_lit(out, "{\"attempt\":");
	evbuffer_add(out, atts, strlen(atts));
	free(atts);
	api_lit(out, ",\"position\":");
	api_int(out, c->position ? c->position : 1);
	api_lit(out, ",\"sections\":[");
	for (int i = 0; i < e->def.n_sections; i++) {
		json_t *t = json_string(e->section_title[i]);
		char *ts = json_dumps(t, JSON_ENCODE_ANY);
		json_decref(t);
		evbuffer_add_printf(out, "%s{\"code\":\"%s\",\"title\":%s,\"from\":%d,\"to\":%d}",
				    i ? "," : "", e->def.sec[i].code, ts, e->section_from[i],
				    e->section_from[i] + e->def.sec[i].draw - 1);
		free(ts);
	}
	api_lit(out, "],\"questions\":[");
	for (int n = 1; n <= c->n; n++) {
		const struct rt_question *q = &c->q[n - 1];
		const struct rt_item *it = q->item;
		const char *code = e->def.sec[q->section].code;
		if (n > 1)
			api_lit(out, ",");
		api_lit(out, "{\"n\":");
		api_int(out, n);
		api_lit(out, ",\"section\":\"");
		evbuffer_add(out, code, strlen(code));
		api_lit(out, "\",\"text\":");
		evbuffer_add(out, it->text_json, it->text_json_len);
		api_lit(out, ",\"images\":[");
		for (int k = 0; k < it->n_images; k++) {
			char slot[4] = { 'q', (char)('1' + k), '"', 0 };
			if (k)
				api_lit(out, ",");
			api_image_base(out, tag, n);
			evbuffer_add(out, slot, 3);
		}
		api_lit(out, "],\"options\":[");
		for (int l = 0; l < q->n_options; l++) {
			int o = q->perm[l];
			char label[16] = "{\"label\":\"X\"";
			label[10] = api_labels[l];
			if (l)
				api_lit(out, ",");
			evbuffer_add(out, label, 12);
			api_lit(out, ",\"text\":");
			evbuffer_add(out, it->opt_text_json[o], it->opt_text_json_len[o]);
			if (it->opt_image[o]) {
				char slot[2] = { api_labels[l], '"' };
				api_lit(out, ",\"image\":");
				api_image_base(out, tag, n);
				evbuffer_add(out, slot, 2);
			}
			api_lit(out, "}");
		}
		api_lit(out, "]}");
	}
	api_lit(out, "],\"answers\":[");
	int first = 1;
	for (int n = 1; n <= c->n; n++) {
		const struct rt_answer *a = &c->ans[n - 1];
		if (a->rev == 0)
			continue;
		if (a->label >= 0)
			evbuffer_add_printf(out, "%s{\"n\":%d,\"option\":\"%c\",\"flagged\":%s,\"rev\":%u}",
					    first ? "" : ",", n, api_labels[a->label],
					    a->flagged ? "true" : "false", a->rev);
		else
			evbuffer_add_printf(out, "%s{\"n\":%d,\"option\":null,\"flagged\":%s,\"rev\":%u}",
					    first ? "" : ",", n, a->flagged ? "true" : "false", a->rev);
		first = 0;
	}
	api_lit(out, "]}");
}

static void api_reply_paper(struct server *s, struct evhttp_request *req,
			    const struct rt_candidate *c)
{
	struct evbuffer *buf = evbuffer_new();
	api_paper(s, c, buf);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	http_reply_buffer(req, 200, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
}

/* ---- completions (run after the commit) -------------------------------- */

static void api_then_paper(struct server *s, struct rt_candidate *c, struct store_op *op, void *arg)
{
	(void)op;
	if (c->status == ATT_FINISHED)
		http_reply_error(arg, 409, "attempt_closed", NULL);
	else
		api_reply_paper(s, arg, c);
}

static void api_then_result(struct server *s, struct rt_candidate *c, struct store_op *op,
			    void *arg)
{
	(void)s;
	(void)op;
	http_reply_json(arg, 200, api_result_json(c));
}

static void api_then_attempt(struct server *s, struct rt_candidate *c, struct store_op *op,
			     void *arg)
{
	int64_t now = clock_now_ms();
	(void)op;
	if (c->status == ATT_IN_PROGRESS) {
		api_reply_paper(s, arg, c);
	} else if (c->status == ATT_FINISHED) {
		json_t *att = json_pack("{s:s,s:o,s:o,s:s,s:o}", "status", "finished", "started_at",
					api_time(c->started_at), "finished_at",
					api_time(c->finished_at), "finish_reason",
					finish_reason_names[c->reason], "server_time", api_time(now));
		http_reply_json(arg, 200, json_pack("{s:o,s:o}", "attempt", att, "result",
						    api_result_json(c)));
	} else {
		int64_t total = ((int64_t)c->exam->def.duration_s + c->extra_s) * 1000;
		http_reply_json(arg, 200,
				json_pack("{s:{s:s,s:I,s:o}}", "attempt", "status", "not_started",
					  "remaining_ms", (json_int_t)total, "server_time",
					  api_time(now)));
	}
}

/* The answer reply is the most frequent one: written directly, no JSON tree. */
static void api_then_answer(struct server *s, struct rt_candidate *c, struct store_op *op,
			    void *arg)
{
	int64_t now = clock_now_ms();
	int64_t left = c->status == ATT_IN_PROGRESS ? clock_remaining_ms(registry_deadline(c), now) : 0;
	char ts[40], body[192], opt[8] = "null";
	struct evbuffer *buf = evbuffer_new();
	int n;
	(void)s;

	if (op->u.answer.label >= 0)
		snprintf(opt, sizeof opt, "\"%c\"", api_labels[op->u.answer.label]);
	n = snprintf(body, sizeof body,
		     "{\"n\":%d,\"option\":%s,\"flagged\":%s,\"rev\":%u,\"remaining_ms\":%lld,"
		     "\"server_time\":\"%s\"}",
		     op->u.answer.n, opt, op->u.answer.flagged ? "true" : "false", op->u.answer.rev,
		     (long long)left, clock_format_rfc3339(now, 0, ts, sizeof ts));
	evbuffer_add(buf, body, (size_t)n);
	evhttp_add_header(evhttp_request_get_output_headers(arg), "Cache-Control", "no-store");
	http_reply_buffer(arg, 200, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
}

static void api_then_empty(struct server *s, struct rt_candidate *c, struct store_op *op, void *arg)
{
	(void)s;
	(void)c;
	(void)op;
	struct evkeyvalq *h = evhttp_request_get_output_headers(arg);
	evhttp_add_header(h, "Set-Cookie",
			  API_COOKIE "=; Path=" API_IMAGE_PREFIX "; Max-Age=0; HttpOnly; SameSite=Strict");
	http_reply_empty(arg);
}

/* Reply through fn once everything c has submitted is durable. */
static void api_when_durable(struct server *s, struct rt_candidate *c, struct evhttp_request *req,
			     server_then_fn fn)
{
	if (c->pending == 0)
		fn(s, c, NULL, req);
	else
		server_submit(s, c, store_op_new(STORE_NOOP, c->id, clock_now_ms()), fn, req);
}

/* ---- public routes ----------------------------------------------------- */

static void api_health(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		       const char *rest)
{
	(void)s;
	(void)c;
	(void)rest;
	http_reply_json(req, 200, json_pack("{s:s,s:s}", "status", "ok", "version", UJIAN_VERSION));
}

/* GET /api/v1/_bench/ping: a fixed small JSON without storage or state, for
 * measuring the raw ceiling of the event loop (only with --bench-route). */
static void api_bench_ping(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			   const char *rest)
{
	(void)c;
	(void)rest;
	if (!s->cfg.bench_route) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:b,s:s}", "pong", 1, "version", UJIAN_VERSION));
}

static int api_exam_open(const struct rt_exam *e, int64_t now)
{
	return (!e->def.opens_at || now >= e->def.opens_at) &&
	       (!e->def.closes_at || now < e->def.closes_at);
}

static int api_cmp_exam(const void *a, const void *b)
{
	return strcmp((*(struct rt_exam *const *)a)->def.code, (*(struct rt_exam *const *)b)->def.code);
}

static void api_exams_open(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			   const char *rest)
{
	int64_t now = clock_now_ms();
	size_t it = 0, n = 0;
	struct rt_exam *e, **list = xmalloc((s->reg.exams.len + 1) * sizeof *list);
	json_t *arr = json_array();
	(void)c;
	(void)rest;
	while ((e = hmap_next(&s->reg.exams, &it)))
		if (api_exam_open(e, now))
			list[n++] = e;
	qsort(list, n, sizeof *list, api_cmp_exam);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:b}", "code", list[i]->def.code,
						     "title", list[i]->def.title, "duration_s",
						     list[i]->def.duration_s, "token_required",
						     list[i]->def.token[0] != '\0'));
	free(list);
	http_reply_json(req, 200, arr);
}

/* Case-insensitive constant-time comparison of sitting tokens. */
static int api_token_ok(const char *want, const char *got)
{
	char a[UJ_TOKEN_MAX + 1], b[UJ_TOKEN_MAX + 1];
	size_t n = strlen(want);
	if (strlen(got) != n || n > UJ_TOKEN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		a[i] = (char)toupper((unsigned char)want[i]);
		b[i] = (char)toupper((unsigned char)got[i]);
	}
	return CRYPTO_memcmp(a, b, n) == 0;
}

struct api_login_ctx {
	struct evhttp_request *req;
	char token[CRED_TOKEN_LEN + 1];
};

static void api_then_login(struct server *s, struct rt_candidate *c, struct store_op *op, void *arg)
{
	struct api_login_ctx *lc = arg;
	const struct rt_exam *e = c->exam;
	json_t *secs = json_array();
	char *cookie;
	(void)s;
	(void)op;
	for (int i = 0; i < e->def.n_sections; i++)
		json_array_append_new(secs, json_pack("{s:s,s:s,s:i}", "code", e->def.sec[i].code,
						      "title", e->section_title[i], "items",
						      e->def.sec[i].draw));
	cookie = xasprintf(API_COOKIE "=%s; Path=" API_IMAGE_PREFIX "; HttpOnly; SameSite=Strict",
			   lc->token);
	evhttp_add_header(evhttp_request_get_output_headers(lc->req), "Set-Cookie", cookie);
	free(cookie);
	http_reply_json(lc->req, 200,
			json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s,s:i,s:o},s:{s:s}}", "token", lc->token,
				  "candidate", "registration_no", c->regno, "name", c->name, "exam",
				  "code", e->def.code, "title", e->def.title, "duration_s",
				  e->def.duration_s, "sections", secs, "attempt", "status",
				  attempt_status_names[c->status]));
	OPENSSL_cleanse(lc->token, sizeof lc->token);
	free(lc);
}

/* Count a failed login against the address and (if known) the candidate. */
static void api_login_failed(struct server *s, const char *peer, const char *rkey, size_t rlen,
			     struct rt_candidate *c, const char *why, int64_t now)
{
	ratelimit_fail(&s->rl_addr, peer, strlen(peer), now);
	if (rkey)
		ratelimit_fail(&s->rl_regno, rkey, rlen, now);
	if (c) {
		struct store_op *op = store_op_new(STORE_LOGIN_FAILED, c->id, now);
		str_copy(op->u.failed.peer, sizeof op->u.failed.peer, peer);
		op->u.failed.why = why;
		server_submit(s, c, op, NULL, NULL);
	}
}

static void api_login(struct server *s, struct evhttp_request *req, struct rt_candidate *unused,
		      const char *rest)
{
	static const char *const keys[] = { "exam", "registration_no", "password", "token" };
	json_t *body, *v;
	const char *f[4] = { NULL, NULL, NULL, NULL };
	char peer[64], rkey[UJ_CODE_MAX + UJ_REGNO_MAX + 2];
	size_t rlen = 0;
	int64_t now = clock_now_ms();
	struct rt_exam *e;
	struct rt_candidate *c = NULL;
	const char *key;
	(void)unused;
	(void)rest;

	if (http_body_json(s, req, &body))
		return;
	json_object_foreach(body, key, v) {
		int known = 0;
		for (int i = 0; i < 4; i++)
			if (strcmp(key, keys[i]) == 0) {
				known = 1;
				if (!json_is_string(v) && !(i == 3 && json_is_null(v))) {
					char d[96];
					snprintf(d, sizeof d, "Isian \"%s\" harus berupa teks.", key);
					http_reply_error(req, 400, "invalid_request", d);
					goto out;
				}
				f[i] = json_is_string(v) ? json_string_value(v) : NULL;
			}
		if (!known) {
			char d[128];
			snprintf(d, sizeof d, "Isian \"%.40s\" tidak dikenal.", key);
			http_reply_error(req, 400, "invalid_request", d);
			goto out;
		}
	}
	for (int i = 0; i < 3; i++)
		if (!f[i]) {
			char d[96];
			snprintf(d, sizeof d, "Isian \"%s\" wajib diisi.", keys[i]);
			http_reply_error(req, 400, "invalid_request", d);
			goto out;
		}
	http_peer(req, peer, sizeof peer);
	if (text_is_ident(f[0], UJ_CODE_MAX, "Aa0._-", 1) &&
	    text_is_ident(f[1], UJ_REGNO_MAX, "Aa0._-", 1)) {
		rlen = (size_t)snprintf(rkey, sizeof rkey, "%s\x01%s", f[0], f[1]);
	}
	if (ratelimit_blocked(&s->rl_addr, peer, strlen(peer), now) ||
	    (rlen && ratelimit_blocked(&s->rl_regno, rkey, rlen, now))) {
		http_reply_error(req, 429, "too_many_attempts", NULL);
		goto out;
	}
	e = rlen ? registry_exam(&s->reg, f[0]) : NULL;
	c = e ? registry_candidate(e, f[1]) : NULL;
	if (strlen(f[2]) > 256 ||
	    !cred_verify_password(s->key, f[0], f[1], f[2], c ? c->pw_hash : s->dummy_hash) || !c) {
		api_login_failed(s, peer, rlen ? rkey : NULL, rlen, c, "invalid_credentials", now);
		http_reply_error(req, 401, "invalid_credentials", NULL);
		goto out;
	}
	if (c->status == ATT_NOT_STARTED && !api_exam_open(e, now)) {
		http_reply_error(req, 403, "exam_closed", NULL);
		goto out;
	}
	if (e->def.token[0]) {
		if (!f[3] || !*f[3]) {
			http_reply_error(req, 403, "token_required", NULL);
			goto out;
		}
		if (!api_token_ok(e->def.token, f[3])) {
			api_login_failed(s, peer, rkey, rlen, c, "token_invalid", now);
			http_reply_error(req, 403, "token_invalid", NULL);
			goto out;
		}
	}
	{
		struct api_login_ctx *lc = xcalloc(1, sizeof *lc);
		struct store_op *op = store_op_new(STORE_LOGIN, c->id, now);
		lc->req = req;
		cred_new_token(lc->token, op->u.login.hash);
		op->u.login.replaced = c->session != NULL;
		str_copy(op->u.login.peer, sizeof op->u.login.peer, peer);
		registry_session_add(&s->reg, c, op->u.login.hash, now, SES_ACTIVE);
		attempt_expire_if_due(s, c, now);
		server_submit(s, c, op, api_then_login, lc);
	}
out:
	json_decref(body);
}

/* ---- candidate routes -------------------------------------------------- */

static void api_logout(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		       const char *rest)
{
	struct store_op *op = store_op_new(STORE_LOGOUT, c->id, clock_now_ms());
	(void)rest;
	memcpy(op->u.logout.hash, c->session->hash, CRED_HASH_LEN);
	registry_session_end(&s->reg, c);
	server_submit(s, c, op, api_then_empty, req);
}

static void api_start(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		      const char *rest)
{
	int64_t now = clock_now_ms();
	(void)rest;
	if (c->status == ATT_NOT_STARTED) {
		if (!api_exam_open(c->exam, now)) {
			http_reply_error(req, 403, "exam_closed", NULL);
			return;
		}
		attempt_start(s, c, now, api_then_paper, req);
		return;
	}
	if (attempt_expire_if_due(s, c, now)) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		return;
	}
	api_when_durable(s, c, req, api_then_paper);
}

/* GET /api/v1/attempt?view=clock: only the attempt and its clock, for the
 * client's periodic re-sync (the full paper is tens of kilobytes). */
static void api_then_clock(struct server *s, struct rt_candidate *c, struct store_op *op,
			   void *arg)
{
	if (c->status != ATT_IN_PROGRESS) {
		api_then_attempt(s, c, op, arg);
		return;
	}
	http_reply_json(arg, 200, json_pack("{s:o}", "attempt", api_attempt_clock(c, clock_now_ms())));
}

static void api_attempt(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			const char *rest)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	int clock_only = query && strcmp(query, "view=clock") == 0;
	(void)rest;
	if (query && !clock_only) {
		http_reply_error(req, 400, "invalid_request",
				 "Parameter yang dikenal hanya \"view=clock\".");
		return;
	}
	attempt_expire_if_due(s, c, clock_now_ms());
	api_when_durable(s, c, req, clock_only ? api_then_clock : api_then_attempt);
}

/* Parse a 1-based question number in [1, max]; -1 if not one. */
static int api_parse_n(const char *s, int max, const char **end)
{
	long v = 0;
	int digits = 0;
	while (*s >= '0' && *s <= '9' && digits < 7) {
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

/* Reply 400 invalid_request naming the first key of body that is not in the
 * NULL-terminated allowed list; returns 1 if it replied. */
static int api_unknown_field(struct evhttp_request *req, json_t *body, const char *const *allowed)
{
	const char *key = jc_unknown_key(body, allowed);
	char d[128];
	if (!key)
		return 0;
	snprintf(d, sizeof d, "Isian \"%.40s\" tidak dikenal.", key);
	http_reply_error(req, 400, "invalid_request", d);
	return 1;
}

/* Reply 409 not_started or attempt_closed (finishing an attempt whose time
 * is up) unless c's attempt is running at now; returns 1 if it replied. */
static int api_not_running(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			   int64_t now)
{
	if (c->status == ATT_NOT_STARTED) {
		http_reply_error(req, 409, "not_started", NULL);
		return 1;
	}
	if (attempt_expire_if_due(s, c, now)) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		return 1;
	}
	return 0;
}

static void api_answer(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		       const char *rest)
{
	static const char *const answer_keys[] = { "option", "flagged", "rev", NULL };
	const char *end;
	int n = api_parse_n(rest, c->n, &end), label = -1;
	int64_t now = clock_now_ms();
	json_t *body = NULL, *opt, *flag, *rev;

	if (n < 0 || *end) {
		http_reply_error(req, 404, "no_such_question", NULL);
		return;
	}
	if (http_body_json(s, req, &body))
		return;
	if (api_not_running(s, req, c, now) || api_unknown_field(req, body, answer_keys))
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
	    json_integer_value(rev) > 2147483647) {
		http_reply_error(req, 400, "invalid_request",
				 "Isian \"rev\" wajib berupa bilangan bulat 1 atau lebih.");
		goto out;
	}
	if ((uint32_t)json_integer_value(rev) <= c->ans[n - 1].rev) {
		/* Stale or repeated: change nothing, report the stored state once
		 * it is durable. */
		struct store_op *op = store_op_new(STORE_NOOP, c->id, now);
		const struct rt_answer *a = &c->ans[n - 1];
		op->u.answer.n = n;
		op->u.answer.label = a->label;
		op->u.answer.flagged = a->flagged;
		op->u.answer.rev = a->rev;
		server_submit(s, c, op, api_then_answer, req);
		goto out;
	}
	attempt_answer(s, c, n, label, json_is_true(flag), (uint32_t)json_integer_value(rev), now,
		       api_then_answer, req);
out:
	json_decref(body);
}

static void api_then_position(struct server *s, struct rt_candidate *c, struct store_op *op,
			      void *arg)
{
	(void)s;
	(void)c;
	http_reply_json(arg, 200, json_pack("{s:i}", "n", op->u.position.n));
}

/* PUT /api/v1/attempt/position {"n": int}: the question the candidate is on,
 * so that a login on another PC lands on it. */
static void api_position(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
			 const char *rest)
{
	static const char *const position_keys[] = { "n", NULL };
	int64_t now = clock_now_ms();
	json_t *body, *n;
	(void)rest;

	if (http_body_json(s, req, &body))
		return;
	if (api_unknown_field(req, body, position_keys))
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
	if (api_not_running(s, req, c, now))
		goto out;
	{
		struct store_op *op = store_op_new(STORE_POSITION, c->id, now);
		c->position = (int)json_integer_value(n);
		op->u.position.n = c->position;
		server_submit(s, c, op, api_then_position, req);
	}
out:
	json_decref(body);
}

static void api_finish(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		       const char *rest)
{
	int64_t now = clock_now_ms();
	(void)rest;
	if (c->status == ATT_NOT_STARTED) {
		http_reply_error(req, 409, "not_started", NULL);
		return;
	}
	if (!attempt_expire_if_due(s, c, now)) {
		attempt_finish(s, c, FINISH_SUBMITTED, now, api_then_result, req);
		return;
	}
	api_when_durable(s, c, req, api_then_result);
}

static void api_result(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		       const char *rest)
{
	(void)rest;
	if (!attempt_expire_if_due(s, c, clock_now_ms())) {
		http_reply_error(req, 409, "not_finished", NULL);
		return;
	}
	api_when_durable(s, c, req, api_then_result);
}

/* GET /api/v1/attempt/images/{tag}/{n}/{slot}: slot q1..q4 (question
 * images) or A..F (option image, by the candidate's label). */
static void api_image(struct server *s, struct evhttp_request *req, struct rt_candidate *c,
		      const char *rest)
{
	char tag[17];
	const char *p, *end;
	const struct rt_asset *a = NULL;
	int n;

	api_image_tag(s, c, tag);
	if (strncmp(rest, tag, 16) != 0 || rest[16] != '/')
		goto notfound;
	p = rest + 17;
	n = api_parse_n(p, c->n, &end);
	if (n < 0 || *end != '/')
		goto notfound;
	p = end + 1;
	{
		const struct rt_question *q = &c->q[n - 1];
		if (p[0] == 'q' && p[1] >= '1' && p[1] <= '4' && p[2] == '\0') {
			int k = p[1] - '1';
			if (k < q->item->n_images)
				a = q->item->images[k];
		} else if (p[0] >= 'A' && p[0] < 'A' + q->n_options && p[1] == '\0') {
			a = q->item->opt_image[q->perm[p[0] - 'A']];
		}
	}
	if (!a)
		goto notfound;
	{
		struct evbuffer *buf = evbuffer_new();
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		evbuffer_add_reference(buf, a->data, a->len, NULL, NULL);
		evhttp_add_header(h, "Cache-Control", "private, max-age=86400");
		evhttp_add_header(h, "Content-Security-Policy",
				  "default-src 'none'; style-src 'unsafe-inline'; sandbox");
		http_reply_buffer(req, 200, buf, a->mime);
		evbuffer_free(buf);
	}
	return;
notfound:
	http_reply_error(req, 404, "not_found", NULL);
}

/* ---- routing ----------------------------------------------------------- */

static const struct api_route api_routes[] = {
	{ "/api/v1/health", 0, EVHTTP_REQ_GET, API_PUBLIC, api_health },
	{ "/api/v1/_bench/ping", 0, EVHTTP_REQ_GET, API_PUBLIC, api_bench_ping },
	{ "/api/v1/exams/open", 0, EVHTTP_REQ_GET, API_PUBLIC, api_exams_open },
	{ "/api/v1/candidate/login", 0, EVHTTP_REQ_POST, API_PUBLIC, api_login },
	{ "/api/v1/candidate/logout", 0, EVHTTP_REQ_POST, API_CANDIDATE, api_logout },
	{ "/api/v1/attempt/start", 0, EVHTTP_REQ_POST, API_CANDIDATE, api_start },
	{ "/api/v1/attempt", 0, EVHTTP_REQ_GET, API_CANDIDATE, api_attempt },
	{ "/api/v1/attempt/answers/", 1, EVHTTP_REQ_PUT, API_CANDIDATE, api_answer },
	{ "/api/v1/attempt/position", 0, EVHTTP_REQ_PUT, API_CANDIDATE, api_position },
	{ "/api/v1/attempt/finish", 0, EVHTTP_REQ_POST, API_CANDIDATE, api_finish },
	{ "/api/v1/attempt/result", 0, EVHTTP_REQ_GET, API_CANDIDATE, api_result },
	{ API_IMAGE_PREFIX, 1, EVHTTP_REQ_GET, API_CANDIDATE_COOKIE, api_image },
};

/* The presented session token: "Authorization: Bearer <t>", or for image
 * requests the cookie set at login. Returns its length (0 if none). */
static size_t api_presented_token(struct evhttp_request *req, int cookie_ok, const char **tok)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	const char *a = evhttp_find_header(h, "Authorization");
	if (a && strncasecmp(a, "Bearer ", 7) == 0) {
		*tok = a + 7;
		while (**tok == ' ')
			(*tok)++;
		return strcspn(*tok, " \t");
	}
	const char *ck = cookie_ok ? evhttp_find_header(h, "Cookie") : NULL;
	while (ck && *ck) {
		while (*ck == ' ' || *ck == ';')
			ck++;
		if (strncmp(ck, API_COOKIE "=", sizeof API_COOKIE) == 0) {
			*tok = ck + sizeof API_COOKIE;
			return strcspn(*tok, "; ");
		}
		ck = strchr(ck, ';');
	}
	return 0;
}

/* Resolve the session of a request; replies 401 and returns NULL if none. */
static struct rt_candidate *api_authenticate(struct server *s, struct evhttp_request *req,
					     int cookie_ok)
{
	const char *tok = NULL;
	size_t len = api_presented_token(req, cookie_ok, &tok);
	uint8_t hash[CRED_HASH_LEN];
	struct rt_session *ses;

	if (len == 0 || len > 128) {
		http_reply_error(req, 401, "unauthorized", NULL);
		return NULL;
	}
	cred_token_hash(tok, len, hash);
	ses = registry_session(&s->reg, hash);
	/* The map compares digests; confirm in constant time anyway. */
	if (!ses || CRYPTO_memcmp(ses->hash, hash, CRED_HASH_LEN) != 0) {
		http_reply_error(req, 401, "unauthorized", NULL);
		return NULL;
	}
	if (ses->state == SES_REPLACED) {
		http_reply_error(req, 401, "session_replaced", NULL);
		return NULL;
	}
	return ses->cand;
}

void api_dispatch(struct server *s, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	int path_known = 0;

	for (size_t i = 0; i < sizeof api_routes / sizeof *api_routes; i++) {
		const struct api_route *r = &api_routes[i];
		size_t plen = strlen(r->path);
		const char *rest = "";
		if (r->prefix) {
			if (strncmp(path, r->path, plen) != 0)
				continue;
			rest = path + plen;
		} else if (strcmp(path, r->path) != 0) {
			continue;
		}
		path_known = 1;
		if (cmd != r->method)
			continue;
		struct rt_candidate *c = NULL;
		if (r->auth != API_PUBLIC &&
		    !(c = api_authenticate(s, req, r->auth == API_CANDIDATE_COOKIE)))
			return;
		r->fn(s, req, c, rest);
		return;
	}
	if (path_known)
		http_reply_error(req, 405, "method_not_allowed", NULL);
	else
		http_reply_error(req, 404, "not_found", NULL);
}
