/* talent_live.c - the live feed of talent mapping (include/selection/
 * talent_live.h): exam finishes -> one recompute job at a time on the
 * worker pool -> "placement" events on the period's SSE topic. */
#include "selection/talent_live.h"
#include "bounds.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/clock.h"
#include "selection/talent.h"
#include "store/db.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A period's topic (created on its first subscriber) and its snapshot. */
struct tl_topic {
	char code[UJ_TALENT_CODE_MAX + 1];
	struct sse_topic *topic;
	char *snapshot; /* the grid as JSON text (owned) */
	size_t len;
	struct tl_topic *next;
};

/* Something to publish: period code (NULL-free) and employee id (0: all). */
struct tl_pub {
	char code[UJ_TALENT_CODE_MAX + 1];
	int64_t emp;
};

/* The events one period gets from a job. */
struct tl_out {
	char code[UJ_TALENT_CODE_MAX + 1];
	int built;       /* the job built the grid (a topic was watched) */
	char *snapshot;  /* the grid (owned) */
	size_t len;
	size_t n_events;
	char **names, **data; /* events (owned) */
	int64_t *emps;   /* employees changed (when not built) */
	size_t n_emps;
};

enum tl_job_kind { TL_RECOMPUTE, TL_REFRESH };

struct tl_job {
	struct worker_job job;
	enum tl_job_kind kind;
	struct talent_live *l;
	int64_t *cands;
	size_t n_cands;
	struct tl_pub *pubs;
	size_t n_pubs, cap_pubs;
	char **watched; /* codes with a topic when the job was made */
	size_t n_watched;
	struct tl_out *out;
	size_t n_out;
	char **exams; /* refresh: the feeding exams */
	size_t n_exams;
	int failed;
	char err[256];
};

struct talent_live {
	struct event_base *base;
	struct sse_hub *hub;
	struct worker_pool *pool;
	char *db_path;
	struct tl_topic *topics;
	char **exams;
	size_t n_exams;
	int64_t *cands; /* queued finishes */
	size_t n_cands, cap_cands;
	struct tl_pub *pubs; /* queued publications */
	size_t n_pubs, cap_pubs;
	int busy;       /* a recompute job is out */
	int refreshing; /* a refresh job is out */
	int stopping;
	int full_warned; /* the pool refused a job (logged once until it takes one) */
	long jobs;
	struct event *timer;
};

static void tl_kick(struct talent_live *l);

static struct tl_topic *tl_find(struct talent_live *l, const char *code)
{
	for (struct tl_topic *t = l->topics; t; t = t->next)
		if (strcmp(t->code, code) == 0)
			return t;
	return NULL;
}

static char *tl_snapshot(void *arg, size_t *len)
{
	struct tl_topic *t = arg;
	char *copy;
	if (!t->snapshot)
		return NULL;
	copy = xmalloc(t->len + 1);
	memcpy(copy, t->snapshot, t->len + 1);
	*len = t->len;
	return copy;
}

static void tl_set_snapshot(struct tl_topic *t, char *snapshot, size_t len)
{
	free(t->snapshot);
	t->snapshot = snapshot;
	t->len = len;
}

static void tl_pub_add(struct tl_pub **v, size_t *n, size_t *cap, const char *code, int64_t emp)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	snprintf((*v)[*n].code, sizeof (*v)[*n].code, "%s", code);
	(*v)[*n].emp = emp;
	(*n)++;
}

/* ---- the worker side ---- */

struct tl_changes {
	int64_t *period, *emp;
	size_t n, cap;
};

static void tl_changed(void *arg, int64_t period_id, int64_t employee_id)
{
	struct tl_changes *c = arg;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->period = xrealloc(c->period, c->cap * sizeof *c->period);
		c->emp = xrealloc(c->emp, c->cap * sizeof *c->emp);
	}
	c->period[c->n] = period_id;
	c->emp[c->n] = employee_id;
	c->n++;
}

/* Recompute the employees of the queued candidates; their changes join
 * the publications. 0 or -1. */
static int tl_recompute(struct tl_job *j, sqlite3 *db)
{
	struct tl_changes ch = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = -1;
	/* One transaction for the batch: one sync, and the write lock held
	 * once, briefly, beside the writer thread. */
	if (db_exec(db, "BEGIN IMMEDIATE", j->err, sizeof j->err))
		return -1;
	for (size_t i = 0; i < j->n_cands; i++) {
		int64_t emp = 0;
		if (talent_candidate_employee(db, j->cands[i], &emp, j->err, sizeof j->err))
			goto out;
		if (emp && talent_recompute_cb(db, 0, emp, clock_now_ms(), tl_changed, &ch, j->err,
					       sizeof j->err) < 0)
			goto out;
	}
	if (db_exec(db, "COMMIT", j->err, sizeof j->err))
		goto out;
	if (ch.n && !(st = db_prepare(db, "SELECT code FROM talent_periods WHERE id = ?1", j->err,
				      sizeof j->err)))
		goto out;
	for (size_t i = 0; i < ch.n; i++) {
		sqlite3_bind_int64(st, 1, ch.period[i]);
		if (sqlite3_step(st) == SQLITE_ROW)
			tl_pub_add(&j->pubs, &j->n_pubs, &j->cap_pubs,
				   (const char *)sqlite3_column_text(st, 0), ch.emp[i]);
		sqlite3_reset(st);
	}
	rc = 0;
out:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(st);
	free(ch.period);
	free(ch.emp);
	return rc;
}

static void tl_event_add(struct tl_out *o, const char *name, char *data)
{
	o->names = xrealloc(o->names, (o->n_events + 1) * sizeof *o->names);
	o->data = xrealloc(o->data, (o->n_events + 1) * sizeof *o->data);
	o->names[o->n_events] = xstrdup(name);
	o->data[o->n_events] = data;
	o->n_events++;
}

static char *tl_dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	if (!s)
		abort();
	return s;
}

/* The events of period o->code for the employees es[0..n) (0: everyone). */
static void tl_build(struct tl_job *j, sqlite3 *db, struct tl_out *o, const int64_t *es,
		     size_t n)
{
	json_t *grid = talent_period_json(db, o->code, TALENT_LANG_ID, j->err, sizeof j->err);
	json_t *rows, *boxes, *row;
	sqlite3_stmt *st = NULL;
	int all = n > UJ_TALENT_LIVE_EVENTS_MAX;
	size_t i;

	if (!grid) {
		log_warn("talent live: period %s: %s", o->code, j->err);
		return;
	}
	o->built = 1;
	o->snapshot = tl_dump(grid);
	o->len = strlen(o->snapshot);
	for (i = 0; i < n && !all; i++)
		all = es[i] == 0;
	if (all) {
		tl_event_add(o, "snapshot", xstrdup(o->snapshot));
		goto out;
	}
	rows = json_object_get(grid, "employees");
	boxes = json_object_get(grid, "boxes");
	if (!(st = db_prepare(db, "SELECT nip FROM employees WHERE id = ?1", j->err, sizeof j->err)))
		goto out;
	for (i = 0; i < n; i++) {
		const char *nip;
		size_t k;
		sqlite3_bind_int64(st, 1, es[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			continue;
		}
		nip = (const char *)sqlite3_column_text(st, 0);
		json_array_foreach(rows, k, row)
			if (strcmp(json_string_value(json_object_get(row, "nip")), nip) == 0) {
				json_t *ev = json_pack("{s:O,s:O}", "employee", row, "boxes", boxes);
				tl_event_add(o, "placement", tl_dump(ev));
				json_decref(ev);
				break;
			}
		sqlite3_reset(st);
	}
out:
	sqlite3_finalize(st);
	json_decref(grid);
}

static int tl_watched(const struct tl_job *j, const char *code)
{
	for (size_t i = 0; i < j->n_watched; i++)
		if (strcmp(j->watched[i], code) == 0)
			return 1;
	return 0;
}

/* Group the publications by period; build those watched. */
static void tl_publications(struct tl_job *j, sqlite3 *db)
{
	for (size_t i = 0; i < j->n_pubs; i++) {
		struct tl_out *o;
		int64_t *es;
		size_t n = 0, k;
		for (k = 0; k < j->n_out && strcmp(j->out[k].code, j->pubs[i].code); k++)
			;
		if (k < j->n_out)
			continue; /* done with this period already */
		j->out = xrealloc(j->out, (j->n_out + 1) * sizeof *j->out);
		o = &j->out[j->n_out++];
		memset(o, 0, sizeof *o);
		snprintf(o->code, sizeof o->code, "%s", j->pubs[i].code);
		es = xcalloc(j->n_pubs, sizeof *es);
		for (k = i; k < j->n_pubs; k++) {
			int dup = 0;
			if (strcmp(j->pubs[k].code, o->code))
				continue;
			for (size_t m = 0; m < n && !dup; m++)
				dup = es[m] == j->pubs[k].emp;
			if (!dup)
				es[n++] = j->pubs[k].emp;
		}
		if (tl_watched(j, o->code)) {
			tl_build(j, db, o, es, n);
			free(es);
		} else {
			o->emps = es;
			o->n_emps = n;
		}
	}
}

static void tl_job_run(struct worker_job *job, void *tctx)
{
	struct tl_job *j = (struct tl_job *)job;
	sqlite3 *db;
	if (j->kind == TL_REFRESH) {
		if (!tctx || talent_feeding_exams(tctx, &j->exams, &j->n_exams, j->err, sizeof j->err))
			j->failed = 1;
		return;
	}
	if (!(db = db_open(j->l->db_path, DB_OPEN_EXISTING, j->err, sizeof j->err))) {
		j->failed = 1;
		return;
	}
	sqlite3_busy_timeout(db, 10000);
	if (j->n_cands && tl_recompute(j, db))
		j->failed = 1;
	else
		tl_publications(j, db);
	db_close(db);
}

/* ---- the loop side ---- */

static void tl_job_free(struct tl_job *j)
{
	for (size_t i = 0; i < j->n_out; i++) {
		struct tl_out *o = &j->out[i];
		for (size_t k = 0; k < o->n_events; k++) {
			free(o->names[k]);
			free(o->data[k]);
		}
		free(o->names);
		free(o->data);
		free(o->snapshot);
		free(o->emps);
	}
	free(j->out);
	free(j->cands);
	free(j->pubs);
	talent_strings_free(j->watched, j->n_watched);
	talent_strings_free(j->exams, j->n_exams);
	free(j);
}

static void tl_job_done(struct worker_job *job)
{
	struct tl_job *j = (struct tl_job *)job;
	struct talent_live *l = j->l;

	if (j->kind == TL_REFRESH) {
		l->refreshing = 0;
		if (!j->failed) {
			talent_strings_free(l->exams, l->n_exams);
			l->exams = j->exams;
			l->n_exams = j->n_exams;
			j->exams = NULL;
			j->n_exams = 0;
		}
		tl_job_free(j);
		return;
	}
	l->busy = 0;
	if (j->failed)
		log_warn("talent live: %s", j->err);
	for (size_t i = 0; i < j->n_out; i++) {
		struct tl_out *o = &j->out[i];
		struct tl_topic *t = tl_find(l, o->code);
		if (!t)
			continue;
		if (!o->built) {
			/* A dashboard subscribed while the job ran: once more. */
			for (size_t k = 0; k < o->n_emps; k++)
				tl_pub_add(&l->pubs, &l->n_pubs, &l->cap_pubs, o->code, o->emps[k]);
			continue;
		}
		tl_set_snapshot(t, o->snapshot, o->len);
		o->snapshot = NULL;
		for (size_t k = 0; k < o->n_events; k++)
			sse_publish(t->topic, o->names[k], o->data[k], strlen(o->data[k]));
	}
	tl_job_free(j);
	tl_kick(l);
}

/* Start a job for what is queued, unless one is out. The queues give up
 * their work only once the pool took the job: a full pool leaves it queued
 * for the next kick (a finish, a change, or the refresh timer). */
static void tl_kick(struct talent_live *l)
{
	struct tl_job *j;
	size_t n;
	if (l->busy || l->stopping || (!l->n_cands && !l->n_pubs))
		return;
	j = xcalloc(1, sizeof *j);
	j->kind = TL_RECOMPUTE;
	j->l = l;
	n = l->n_cands < UJ_TALENT_LIVE_BATCH_MAX ? l->n_cands : UJ_TALENT_LIVE_BATCH_MAX;
	j->cands = xcalloc(n + 1, sizeof *j->cands);
	if (n)
		memcpy(j->cands, l->cands, n * sizeof *j->cands);
	j->n_cands = n;
	j->pubs = xcalloc(l->n_pubs + 1, sizeof *j->pubs);
	if (l->n_pubs)
		memcpy(j->pubs, l->pubs, l->n_pubs * sizeof *j->pubs);
	j->n_pubs = j->cap_pubs = l->n_pubs;
	for (struct tl_topic *t = l->topics; t; t = t->next)
		if (sse_topic_streams(t->topic) > 0) {
			j->watched = xrealloc(j->watched, (j->n_watched + 1) * sizeof *j->watched);
			j->watched[j->n_watched++] = xstrdup(t->code);
		}
	j->job.run = tl_job_run;
	j->job.done = tl_job_done;
	if (worker_submit(l->pool, &j->job)) {
		if (!l->full_warned)
			log_warn("talent live: the worker queue is full; %zu recompute(s) wait", n);
		l->full_warned = 1;
		tl_job_free(j);
		return;
	}
	l->full_warned = 0;
	if (n)
		memmove(l->cands, l->cands + n, (l->n_cands - n) * sizeof *l->cands);
	l->n_cands -= n;
	l->n_pubs = 0;
	l->busy = 1;
	l->jobs++;
}

static void tl_refresh(struct talent_live *l)
{
	struct tl_job *j;
	if (l->refreshing || l->stopping)
		return;
	j = xcalloc(1, sizeof *j);
	j->kind = TL_REFRESH;
	j->l = l;
	j->job.run = tl_job_run;
	j->job.done = tl_job_done;
	if (worker_submit(l->pool, &j->job)) {
		tl_job_free(j);
		return;
	}
	l->refreshing = 1;
}

static void tl_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tl_refresh(arg);
	tl_kick(arg); /* work a full pool refused */
}

struct talent_live *talent_live_new(struct event_base *base, struct sse_hub *hub,
				    struct worker_pool *pool, const char *db_path)
{
	struct talent_live *l = xcalloc(1, sizeof *l);
	struct timeval every = { UJ_TALENT_REFRESH_MS / 1000, (UJ_TALENT_REFRESH_MS % 1000) * 1000 };
	char err[256];
	sqlite3 *db;

	l->base = base;
	l->hub = hub;
	l->pool = pool;
	l->db_path = xstrdup(db_path);
	if ((db = db_open(db_path, DB_OPEN_READONLY, err, sizeof err))) {
		if (talent_feeding_exams(db, &l->exams, &l->n_exams, err, sizeof err))
			log_warn("talent live: %s", err);
		db_close(db);
	} else {
		log_warn("talent live: %s", err);
	}
	l->timer = event_new(base, -1, EV_PERSIST, tl_timer, l);
	event_add(l->timer, &every);
	return l;
}

void talent_live_stop(struct talent_live *l)
{
	if (!l)
		return;
	l->stopping = 1;
	if (l->timer)
		event_del(l->timer);
}

void talent_live_free(struct talent_live *l)
{
	if (!l)
		return;
	while (l->topics) {
		struct tl_topic *t = l->topics;
		l->topics = t->next;
		sse_topic_free(t->topic);
		free(t->snapshot);
		free(t);
	}
	if (l->timer)
		event_free(l->timer);
	talent_strings_free(l->exams, l->n_exams);
	free(l->cands);
	free(l->pubs);
	free(l->db_path);
	free(l);
}

void talent_live_finished(struct talent_live *l, int64_t candidate_id, const char *exam_code)
{
	int feeds = 0;
	if (!l || l->stopping)
		return;
	for (size_t i = 0; i < l->n_exams && !feeds; i++)
		feeds = strcmp(l->exams[i], exam_code) == 0;
	if (!feeds)
		return;
	if (l->n_cands == l->cap_cands) {
		l->cap_cands = l->cap_cands ? 2 * l->cap_cands : 64;
		l->cands = xrealloc(l->cands, l->cap_cands * sizeof *l->cands);
	}
	l->cands[l->n_cands++] = candidate_id;
	tl_kick(l);
}

void talent_live_changed(struct talent_live *l, const char *code, const int64_t *emp, size_t n)
{
	if (!l || l->stopping)
		return;
	tl_refresh(l);
	if (!tl_find(l, code))
		return; /* nobody watches: the next subscriber reads it fresh */
	if (n == 0 || n > UJ_TALENT_LIVE_EVENTS_MAX)
		tl_pub_add(&l->pubs, &l->n_pubs, &l->cap_pubs, code, 0);
	else
		for (size_t i = 0; i < n; i++)
			tl_pub_add(&l->pubs, &l->n_pubs, &l->cap_pubs, code, emp[i]);
	tl_kick(l);
}

void talent_live_changed_all(struct talent_live *l)
{
	if (!l || l->stopping)
		return;
	for (struct tl_topic *t = l->topics; t; t = t->next)
		tl_pub_add(&l->pubs, &l->n_pubs, &l->cap_pubs, t->code, 0);
	tl_kick(l);
}

int talent_live_subscribe(struct talent_live *l, const char *code, const char *snapshot,
			  size_t len, struct evhttp_request *req)
{
	struct tl_topic *t = tl_find(l, code);
	char *copy = xmalloc(len + 1);
	memcpy(copy, snapshot, len);
	copy[len] = '\0';
	if (!t) {
		t = xcalloc(1, sizeof *t);
		snprintf(t->code, sizeof t->code, "%s", code);
		t->topic = sse_topic_new(l->hub, "snapshot", tl_snapshot, t);
		t->next = l->topics;
		l->topics = t;
	}
	/* While streams are open the jobs keep the topic's grid current (a
	 * grid read before a job's publication must not replace it); with
	 * none, the caller's fresh read is the best there is. */
	if (!t->snapshot || sse_topic_streams(t->topic) == 0)
		tl_set_snapshot(t, copy, len);
	else
		free(copy);
	return sse_subscribe(t->topic, req) == 0 ? 0 : -2;
}

long talent_live_jobs(const struct talent_live *l)
{
	return l ? l->jobs : 0;
}
