/* bidding_live.c - the live stream of an open-bidding selection (see
 * selection/bidding_live.h). */
#include "selection/bidding_live.h"
#include "bounds.h"
#include "core/log.h"
#include "core/mem.h"
#include "selection/bidding.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One selection's topic, with its cached snapshot and the exams that feed
 * it (to ignore other exams' finishes without touching the database). */
struct bid_topic {
	struct bid_live *l;
	char code[UJ_CODE_MAX + 1];
	struct sse_topic *t;
	char *snap; /* GET S/selections/{S}, encoded; NULL until built */
	size_t snap_len;
	json_t *exams; /* ["TALENTA-DEMO", ...] */
	struct bid_topic *next;
};

struct bid_live {
	struct sse_hub *hub;
	struct worker_pool *pool;
	struct bid_topic *topics;
};

enum bid_job_kind { BJ_SUBSCRIBE, BJ_CHANGED, BJ_FINISHED };

struct bid_job {
	struct worker_job job;
	enum bid_job_kind kind;
	struct bid_live *l;
	struct evhttp_request *req; /* subscribe */
	bid_live_reply_fn refuse;
	char sel[UJ_CODE_MAX + 1];
	char vac[UJ_CODE_MAX + 1];
	int64_t candidate_id;
	/* results: [{"selection", "snapshot": body, "exams": [...], "vacancies": [bodies]}] */
	json_t *out;
	int not_found;
	char err[256];
};

struct bid_live *bid_live_new(struct sse_hub *hub, struct worker_pool *pool)
{
	struct bid_live *l = xcalloc(1, sizeof *l);
	assert(hub && pool);
	l->hub = hub;
	l->pool = pool;
	return l;
}

void bid_live_free(struct bid_live *l)
{
	struct bid_topic *t, *next;
	if (!l)
		return;
	for (t = l->topics; t; t = next) {
		next = t->next;
		sse_topic_free(t->t);
		free(t->snap);
		json_decref(t->exams);
		free(t);
	}
	free(l);
}

static struct bid_topic *bid_topic_find(struct bid_live *l, const char *code)
{
	for (struct bid_topic *t = l->topics; t; t = t->next)
		if (strcmp(t->code, code) == 0)
			return t;
	return NULL;
}

/* sse_snapshot_fn: a copy of the cached snapshot. */
static char *bid_topic_snapshot(void *arg, size_t *len)
{
	struct bid_topic *t = arg;
	char *copy;
	if (!t->snap)
		return NULL;
	copy = xmalloc(t->snap_len + 1);
	memcpy(copy, t->snap, t->snap_len + 1);
	*len = t->snap_len;
	return copy;
}

static struct bid_topic *bid_topic_get(struct bid_live *l, const char *code)
{
	struct bid_topic *t = bid_topic_find(l, code);
	if (t)
		return t;
	t = xcalloc(1, sizeof *t);
	t->l = l;
	str_copy(t->code, sizeof t->code, code);
	t->exams = json_array();
	t->t = sse_topic_new(l->hub, "snapshot", bid_topic_snapshot, t);
	t->next = l->topics;
	l->topics = t;
	return t;
}

/* ---- worker side ---------------------------------------------------------------------- */

/* The bodies of selection sel for a topic: its snapshot, its exams and
 * the vacancy vac ("" = every vacancy). NULL when there is no such
 * selection (*missing) or on an error. */
static json_t *bid_bodies(sqlite3 *db, const char *sel, const char *vac, int *missing, char *err,
			  size_t errlen)
{
	enum bid_status st;
	json_t *snap = bid_selection_json(db, sel, 0, &st, err, errlen), *vacs, *v, *exams;
	size_t i;
	*missing = st == BID_NOT_FOUND;
	if (!snap)
		return NULL;
	exams = bid_source_exams(db, bid_selection_id(db, sel), err, errlen);
	vacs = json_array();
	json_array_foreach(json_object_get(snap, "vacancies"), i, v) {
		const char *code = json_string_value(json_object_get(v, "code"));
		json_t *body;
		if (*vac && strcmp(code, vac) != 0)
			continue;
		if ((body = bid_vacancy_json(db, sel, code, 0, &st, err, errlen)))
			json_array_append_new(vacs, body);
	}
	return json_pack("{s:s,s:o,s:o,s:o}", "selection", sel, "snapshot", snap, "exams",
			 exams ? exams : json_array(), "vacancies", vacs);
}

static void bid_job_run(struct worker_job *job, void *tctx)
{
	struct bid_job *j = (struct bid_job *)job;
	sqlite3 *db = tctx;
	json_t *aff, *row, *one;
	size_t i;

	if (!db) {
		snprintf(j->err, sizeof j->err, "no database connection on this worker");
		return;
	}
	j->out = json_array();
	if (j->kind != BJ_FINISHED) {
		if ((one = bid_bodies(db, j->sel, j->vac, &j->not_found, j->err, sizeof j->err)))
			json_array_append_new(j->out, one);
		return;
	}
	if (!(aff = bid_affected_by(db, j->candidate_id, j->err, sizeof j->err)))
		return;
	/* one entry per selection, with each affected vacancy */
	json_array_foreach(aff, i, row) {
		const char *sel = json_string_value(json_object_get(row, "selection"));
		const char *vac = json_string_value(json_object_get(row, "vacancy"));
		int missing;
		if ((one = bid_bodies(db, sel, vac, &missing, j->err, sizeof j->err)))
			json_array_append_new(j->out, one);
	}
	json_decref(aff);
}

/* ---- loop side ------------------------------------------------------------------------ */

/* Store an entry's snapshot and exams in its topic; publish its
 * vacancies when asked. */
static void bid_apply_entry(struct bid_topic *t, json_t *e, int publish)
{
	char *snap = json_dumps(json_object_get(e, "snapshot"), JSON_COMPACT);
	json_t *v;
	size_t i;
	if (snap) {
		free(t->snap);
		t->snap = snap;
		t->snap_len = strlen(snap);
	}
	json_decref(t->exams);
	t->exams = json_incref(json_object_get(e, "exams"));
	if (!publish)
		return;
	json_array_foreach(json_object_get(e, "vacancies"), i, v) {
		char *body = json_dumps(v, JSON_COMPACT);
		if (body) {
			sse_publish(t->t, "vacancy", body, strlen(body));
			free(body);
		}
	}
}

static void bid_job_done(struct worker_job *job)
{
	struct bid_job *j = (struct bid_job *)job;
	json_t *e;
	size_t i;

	if (j->kind == BJ_SUBSCRIBE) {
		e = json_array_get(j->out, 0);
		if (!e) {
			if (!j->not_found)
				log_error("selection %s stream: %s", j->sel, j->err);
			j->refuse(j->req, j->not_found ? 404 : 500);
		} else {
			struct bid_topic *t = bid_topic_get(j->l, j->sel);
			bid_apply_entry(t, e, 0);
			if (sse_subscribe(t->t, j->req))
				j->refuse(j->req, 503);
		}
	} else {
		if (!j->out && j->err[0])
			log_warn("selection live update: %s", j->err);
		json_array_foreach(j->out, i, e) {
			struct bid_topic *t = bid_topic_find(
				j->l, json_string_value(json_object_get(e, "selection")));
			if (t)
				bid_apply_entry(t, e, 1);
		}
	}
	json_decref(j->out);
	free(j);
}

static struct bid_job *bid_job_new(struct bid_live *l, enum bid_job_kind kind)
{
	struct bid_job *j = xcalloc(1, sizeof *j);
	j->job.run = bid_job_run;
	j->job.done = bid_job_done;
	j->kind = kind;
	j->l = l;
	return j;
}

void bid_live_subscribe(struct bid_live *l, const char *sel, struct evhttp_request *req,
			bid_live_reply_fn refuse)
{
	struct bid_job *j = bid_job_new(l, BJ_SUBSCRIBE);
	j->req = req;
	j->refuse = refuse;
	str_copy(j->sel, sizeof j->sel, sel);
	if (worker_submit(l->pool, &j->job)) {
		free(j);
		refuse(req, 503);
	}
}

void bid_live_changed(struct bid_live *l, const char *sel, const char *vac)
{
	struct bid_job *j;
	if (!l || !bid_topic_find(l, sel))
		return; /* nobody watches: the next subscriber's snapshot has it */
	j = bid_job_new(l, BJ_CHANGED);
	str_copy(j->sel, sizeof j->sel, sel);
	str_copy(j->vac, sizeof j->vac, vac ? vac : "");
	if (worker_submit(l->pool, &j->job)) {
		log_warn("selection %s: worker queue full, live update skipped", sel);
		free(j);
	}
}

void bid_live_exam_finished(struct bid_live *l, const struct rt_candidate *c)
{
	struct bid_job *j;
	int fed = 0;
	if (!l || !l->topics)
		return;
	for (struct bid_topic *t = l->topics; t && !fed; t = t->next) {
		json_t *x;
		size_t i;
		json_array_foreach(t->exams, i, x)
			fed |= strcmp(json_string_value(x), c->exam->def.code) == 0;
	}
	if (!fed)
		return;
	j = bid_job_new(l, BJ_FINISHED);
	j->candidate_id = c->id;
	if (worker_submit(l->pool, &j->job)) {
		log_warn("selection live update for candidate %lld skipped: worker queue full",
			 (long long)c->id);
		free(j);
	}
}
