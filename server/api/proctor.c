/* proctor.c - the proctors' routes (sittings, the live dashboard stream,
 * actions, the log and the berita acara) and the candidate's incident
 * report. Handlers parse and check; the proctor domain decides. */
#include "api/api.h"
#include "api/fields.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/worker.h"
#include "http/reply.h"
#include "report/audit.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext proctor_error_rows[] = {
	{ "no_such_sitting", "Sesi tidak ditemukan." },
	{ "sitting_closed", "Sesi sudah ditutup; berita acara sudah dibekukan." },
	{ "waiting", "Menunggu pengawas memulai sesi." },
	{ "invalid_incident", "Laporan kejadian tidak valid." },
	{ "too_many_streams", "Terlalu banyak tampilan langsung yang terbuka. Coba lagi nanti." },
};

const struct errtext_table proctor_errors = ERRTEXT_TABLE(proctor_error_rows);

/* The sitting named by the first segment of rest that p may see, or NULL
 * after replying 404 (also when p may not see it: its existence is not
 * told). */
static struct rt_sitting *api_sitting(struct api *a, struct evhttp_request *req,
				      const struct principal *p, const char *rest)
{
	char seg[24];
	char *end;
	long long id;
	struct rt_sitting *st = NULL;
	if (route_segment(rest, 0, seg, sizeof seg) == 0) {
		id = strtoll(seg, &end, 10);
		if (*end == '\0' && id > 0)
			st = proctor_sitting(a->pr, id);
	}
	if (!st || !proctor_may_see(p, st)) {
		http_reply_error(req, 404, "no_such_sitting", NULL);
		return NULL;
	}
	return st;
}

/* 1 if p acts (admin, proctor) rather than watches (observer only). */
static int api_acts(const struct principal *p)
{
	return (p->roles & (ROLE_ADMIN | ROLE_PROCTOR)) != 0;
}

/* GET /api/v1/staff/sittings */
void api_proctor_sittings(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	struct api *a = app;
	(void)rest;
	http_reply_json(req, 200, proctor_sittings_json(a->pr, p, clock_now_ms()));
}

/* GET /api/v1/staff/sittings/{id} */
void api_proctor_sitting(void *app, struct evhttp_request *req, const struct principal *p,
			 const char *rest)
{
	struct api *a = app;
	struct rt_sitting *st = api_sitting(a, req, p, rest);
	if (st)
		http_reply_json(req, 200,
				proctor_dashboard_json(a->pr, st, api_acts(p), clock_now_ms()));
}

/* GET /api/v1/staff/sittings/{id}/events: the live stream. */
void api_proctor_events(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	struct rt_sitting *st = api_sitting(a, req, p, rest);
	if (st && proctor_subscribe(a->pr, st, req)) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "5");
		http_reply_error(req, 503, "too_many_streams", NULL);
	}
}

/* ---- the record: on a worker's connection ------------------------------------ */

struct api_record_job {
	struct worker_job job;
	struct evhttp_request *req;
	int64_t sitting_id;
	int report; /* the berita acara, else the log */
	json_t *out;
	char err[256];
};

static void api_record_run(struct worker_job *job, void *tctx)
{
	struct api_record_job *j = (struct api_record_job *)job;
	j->out = j->report ? proctor_report(tctx, j->sitting_id, j->err, sizeof j->err)
			   : proctor_log(tctx, j->sitting_id, 0, j->err, sizeof j->err);
}

static void api_record_done(struct worker_job *job)
{
	struct api_record_job *j = (struct api_record_job *)job;
	if (j->out)
		http_reply_json(j->req, 200, j->out);
	else
		http_reply_error(j->req, 500, "internal", NULL);
	free(j);
}

static void api_record(struct api *a, struct evhttp_request *req, const struct principal *p,
		       const char *rest, int report)
{
	struct rt_sitting *st = api_sitting(a, req, p, rest);
	struct api_record_job *j;
	if (!st)
		return;
	j = xcalloc(1, sizeof *j);
	j->job.run = api_record_run;
	j->job.done = api_record_done;
	j->req = req;
	j->sitting_id = st->id;
	j->report = report;
	if (worker_submit(a->pool, &j->job)) {
		free(j);
		http_reply_error(req, 503, "server_busy", NULL);
	}
}

/* GET /api/v1/staff/sittings/{id}/log */
void api_proctor_log(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	api_record(app, req, p, rest, 0);
}

/* GET /api/v1/staff/sittings/{id}/report */
void api_proctor_report(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	api_record(app, req, p, rest, 1);
}

/* ---- actions ------------------------------------------------------------------- */

static void api_action_done(void *arg, int status, const char *code, json_t *reply)
{
	struct evhttp_request *req = arg;
	if (reply)
		http_reply_json(req, status, reply);
	else
		http_reply_error(req, status, code, NULL);
}

/* A time field of the credit window ("from", "to"): RFC 3339 or local. */
static void api_action_time(json_t *body, const char *key, int64_t *out, json_t *errs)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return;
	if (!json_is_string(v) || audit_parse_time(json_string_value(v), out))
		json_array_append_new(errs, json_pack("{s:s,s:s}", "field", key, "message",
						      "Waktu harus berformat RFC 3339, mis. "
						      "2026-12-02T09:00:00+07:00."));
}

/* Copy text field key (at most max bytes of UTF-8) into out. */
static void api_action_text(json_t *body, const char *key, char *out, size_t max, json_t *errs)
{
	json_t *v = json_object_get(body, key);
	const char *s = json_string_value(v);
	if (!v || json_is_null(v))
		return;
	if (!s || strlen(s) > max || !text_utf8_valid(s, strlen(s)) || text_has_control(s, 1)) {
		char msg[120];
		snprintf(msg, sizeof msg, "Harus berupa teks paling banyak %zu byte.", max);
		json_array_append_new(errs, json_pack("{s:s,s:s}", "field", key, "message", msg));
		return;
	}
	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	str_copy(out, max + 1, s);
	for (size_t n = strlen(out); n && (out[n - 1] == ' ' || out[n - 1] == '\n'); n--)
		out[n - 1] = '\0';
}

/* POST /api/v1/staff/sittings/{id}/actions */
void api_proctor_action(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	static const char *const keys[] = { "action", "reason", "candidates", "minutes",
					    "text",   "from",   "to",	  NULL };
	struct api *a = app;
	struct rt_sitting *st = api_sitting(a, req, p, rest);
	struct proctor_action act;
	json_t *body = NULL, *errs = json_array(), *v;
	const char *name;

	if (!st || http_body_json(req, a->max_body, &body))
		goto out;
	if (http_unknown_field(req, body, keys))
		goto out;
	memset(&act, 0, sizeof act);
	act.kind = PA_MAX;
	name = json_string_value(json_object_get(body, "action"));
	for (int k = 0; name && k < PA_MAX; k++)
		if (strcmp(name, proctor_action_names[k]) == 0)
			act.kind = (enum proctor_action_kind)k;
	if (act.kind == PA_MAX) {
		json_array_append_new(errs, json_pack("{s:s,s:s}", "field", "action", "message",
						      "Tindakan tidak dikenal."));
		api_staff_reply_invalid(req, errs);
		errs = NULL;
		goto out;
	}
	api_action_text(body, "reason", act.reason, UJ_REASON_MAX, errs);
	api_action_text(body, "text", act.text, UJ_NOTICE_MAX, errs);
	v = json_object_get(body, "candidates");
	if (json_is_string(v) && strcmp(json_string_value(v), "all") == 0)
		act.all = 1;
	else if (json_is_array(v))
		act.regnos = v;
	else if (v && !json_is_null(v))
		json_array_append_new(errs, json_pack("{s:s,s:s}", "field", "candidates", "message",
						      "Harus berupa daftar nomor peserta atau \"all\"."));
	v = json_object_get(body, "minutes");
	if (v && !json_is_integer(v))
		json_array_append_new(errs, json_pack("{s:s,s:s}", "field", "minutes", "message",
						      "Harus berupa bilangan bulat menit."));
	act.minutes = json_is_integer(v) && json_integer_value(v) > 0 &&
				      json_integer_value(v) <= UJ_EXTEND_MAX_MIN
			      ? (int)json_integer_value(v)
			      : (v ? -1 : 0);
	api_action_time(body, "from", &act.from, errs);
	api_action_time(body, "to", &act.to, errs);
	if (json_array_size(errs) == 0 &&
	    proctor_act(a->pr, st, &act, p->actor, p->staff.username, clock_now_ms(), errs,
			api_action_done, req) == 0)
		goto out;
	api_staff_reply_invalid(req, errs);
	errs = NULL;
out:
	json_decref(errs);
	json_decref(body);
}

/* ---- the candidate's incident report -------------------------------------------- */

struct api_incident_reply {
	struct evhttp_request *req;
	int n;
};

static void api_then_incidents(struct rt_candidate *c, int ok, void *arg)
{
	struct api_incident_reply *r = arg;
	(void)c;
	if (!ok)
		http_reply_error(r->req, 500, "internal", api_broken_detail);
	else
		http_reply_json(r->req, 200, json_pack("{s:i}", "recorded", r->n));
	free(r);
}

/* POST /api/v1/attempt/incidents {"incidents":[{"type","ms"?,"at_client"?}]} */
void api_incidents(void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	static const char *const keys[] = { "incidents", NULL };
	struct api *a = app;
	struct rt_candidate *c = p->cand;
	json_t *body = NULL;
	char err[200];
	struct api_incident_reply *r;
	(void)rest;

	if (http_body_json(req, a->max_body, &body) || http_unknown_field(req, body, keys))
		goto out;
	if (proctor_incidents_check(json_object_get(body, "incidents"), err, sizeof err)) {
		http_reply_error(req, 400, "invalid_incident", err);
		goto out;
	}
	if (c->status == ATT_FINISHED) {
		http_reply_error(req, 409, "attempt_closed", NULL);
		goto out;
	}
	r = xmalloc(sizeof *r);
	r->req = req;
	r->n = proctor_incidents(a->pr, c, json_object_get(body, "incidents"), clock_now_ms());
	attempt_when_durable(a->x, c, api_then_incidents, r);
out:
	json_decref(body);
}
