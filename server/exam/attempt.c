/* attempt.c - attempt state changes, scoring at finish, deadline timers,
 * outage credit after a restart. */
#include "exam/attempt.h"
#include "core/clock.h"
#include "store/db.h"
#include "catalog/loader.h"
#include "core/log.h"
#include "core/mem.h"
#include "exam/scoring.h"

#include <stdlib.h>
#include <string.h>

void attempt_score(struct rt_candidate *c)
{
	struct scoring_q *qs = xmalloc((size_t)c->n * sizeof *qs);
	int8_t *chosen = xmalloc((size_t)c->n);
	int n_sec = c->exam->def.n_sections;

	for (int i = 0; i < c->n; i++) {
		qs[i].section = c->q[i].section;
		qs[i].rule = c->q[i].rule;
		qs[i].n_options = c->q[i].n_options;
		qs[i].value = c->q[i].item->value;
		qs[i].perm = c->q[i].perm;
		chosen[i] = c->ans[i].label;
	}
	scoring_compute(qs, c->n, chosen, n_sec, c->score, c->max);
	c->total = c->max_total = 0;
	for (int s = 0; s < n_sec; s++) {
		c->total += c->score[s];
		c->max_total += c->max[s];
	}
	c->passed = scoring_passes(c->rule, c->score, c->total);
	free(qs);
	free(chosen);
}

struct attempt_timer {
	struct server *s;
	struct rt_candidate *c;
};

static void attempt_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attempt_timer *t = arg;
	(void)fd;
	(void)what;
	if (!attempt_expire_if_due(t->s, t->c, clock_now_ms()))
		attempt_arm(t->s, t->c); /* woke early (credit added): sleep again */
}

void attempt_arm(struct server *s, struct rt_candidate *c)
{
	int64_t left;
	struct timeval tv;

	if (c->status != ATT_IN_PROGRESS)
		return;
	if (!c->deadline_ev) {
		struct attempt_timer *t = xmalloc(sizeof *t);
		t->s = s;
		t->c = c;
		c->deadline_ev = evtimer_new(s->base, attempt_timer_cb, t);
	}
	left = clock_remaining_ms(registry_deadline(c), clock_now_ms());
	tv.tv_sec = (time_t)(left / 1000);
	tv.tv_usec = (suseconds_t)(left % 1000) * 1000;
	evtimer_add(c->deadline_ev, &tv);
}

/* Stop and release c's deadline timer. */
static void attempt_disarm(struct rt_candidate *c)
{
	if (!c->deadline_ev)
		return;
	free(event_get_callback_arg(c->deadline_ev));
	event_free(c->deadline_ev);
	c->deadline_ev = NULL;
}

void attempt_start(struct server *s, struct rt_candidate *c, int64_t now, server_then_fn then,
		   void *arg)
{
	c->status = ATT_IN_PROGRESS;
	c->started_at = now;
	c->credit_ms = 0;
	c->position = 1;
	attempt_arm(s, c);
	server_submit(s, c, store_op_new(STORE_START, c->id, now), then, arg);
}

void attempt_answer(struct server *s, struct rt_candidate *c, int n, int label, int flagged,
		    uint32_t rev, int64_t now, server_then_fn then, void *arg)
{
	struct store_op *op = store_op_new(STORE_ANSWER, c->id, now);
	struct rt_answer *a = &c->ans[n - 1];
	a->label = (int8_t)label;
	a->flagged = (uint8_t)(flagged != 0);
	a->rev = rev;
	op->u.answer.n = n;
	op->u.answer.label = label;
	op->u.answer.flagged = flagged != 0;
	op->u.answer.rev = rev;
	server_submit(s, c, op, then, arg);
}

void attempt_finish(struct server *s, struct rt_candidate *c, enum finish_reason why,
		    int64_t finished_at, server_then_fn then, void *arg)
{
	struct store_op *op = store_op_new(STORE_FINISH, c->id, clock_now_ms());
	attempt_disarm(c);
	attempt_score(c);
	c->status = ATT_FINISHED;
	c->reason = why;
	c->finished_at = finished_at;
	op->u.finish.reason = finish_reason_names[why];
	op->u.finish.finished_at = finished_at;
	op->u.finish.scores_json = loader_scores_json(c);
	op->u.finish.total = c->total;
	op->u.finish.passed = c->passed;
	server_submit(s, c, op, then, arg);
}

int attempt_expire_if_due(struct server *s, struct rt_candidate *c, int64_t now)
{
	if (c->status == ATT_FINISHED)
		return 1;
	if (c->status != ATT_IN_PROGRESS)
		return 0;
	int64_t deadline = registry_deadline(c);
	if (now < deadline)
		return 0;
	attempt_finish(s, c, FINISH_TIME_UP, deadline, NULL, NULL);
	return 1;
}

/* Latest moment the server is known to have been alive: the heartbeat, or a
 * later committed event. */
static int64_t attempt_last_alive(sqlite3 *db)
{
	int64_t beat = db_meta_get(db, "heartbeat_ms"), ev = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT max(at) FROM events", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ev = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return beat > ev ? beat : ev;
}

int attempt_recover(struct server *s, sqlite3 *db, char *err, size_t errlen)
{
	int64_t now = clock_now_ms(), alive = attempt_last_alive(db);
	sqlite3_stmt *credit = NULL, *ledger = NULL, *fin = NULL, *ev = NULL;
	int n_credit = 0, n_finish = 0, rc = -1;
	char note[160], t1[40], t2[40];

	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	credit = db_prepare(db, "UPDATE attempts SET credit_ms = ? WHERE candidate_id = ?", err, errlen);
	ledger = db_prepare(db,
			    "INSERT INTO time_ledger (candidate_id, at, kind, delta_ms, note)"
			    " VALUES (?, ?, 'outage_credit', ?, ?)",
			    err, errlen);
	fin = db_prepare(db,
			 "UPDATE attempts SET status = 'finished', finished_at = ?, finish_reason ="
			 " 'time_up', scores_json = ?, total = ?, passed = ? WHERE candidate_id = ?",
			 err, errlen);
	ev = db_prepare(db,
			"INSERT INTO events (at, candidate_id, kind, detail) VALUES (?, ?, ?, ?)",
			err, errlen);
	if (!credit || !ledger || !fin || !ev)
		goto out;
	clock_format_rfc3339(alive, 0, t1, sizeof t1);
	clock_format_rfc3339(now, 0, t2, sizeof t2);
	for (struct rt_candidate *c = s->reg.all; c; c = c->all_next) {
		if (c->status != ATT_IN_PROGRESS)
			continue;
		int64_t deadline = registry_deadline(c);
		int64_t cut = s->cfg.outage_credit && alive > 0 ? alive : now;
		if (deadline <= cut) {
			/* Time was up before the server stopped (or no credit):
			 * finish at the deadline. */
			char *sj;
			attempt_score(c);
			c->status = ATT_FINISHED;
			c->reason = FINISH_TIME_UP;
			c->finished_at = deadline;
			sj = loader_scores_json(c);
			sqlite3_reset(fin);
			sqlite3_bind_int64(fin, 1, deadline);
			sqlite3_bind_text(fin, 2, sj, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(fin, 3, c->total);
			sqlite3_bind_int(fin, 4, c->passed);
			sqlite3_bind_int64(fin, 5, c->id);
			free(sj);
			snprintf(note, sizeof note, "{\"reason\":\"time_up\",\"total\":%d,\"at_restart\":true}",
				 c->total);
			sqlite3_reset(ev);
			sqlite3_bind_int64(ev, 1, now);
			sqlite3_bind_int64(ev, 2, c->id);
			sqlite3_bind_text(ev, 3, "finish", -1, SQLITE_STATIC);
			sqlite3_bind_text(ev, 4, note, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(fin) != SQLITE_DONE || sqlite3_step(ev) != SQLITE_DONE)
				goto dberr;
			n_finish++;
			continue;
		}
		if (!s->cfg.outage_credit || alive <= 0)
			continue;
		int64_t delta = clock_outage_credit_ms(alive, c->started_at, now);
		if (delta <= 0)
			continue;
		c->credit_ms += delta;
		snprintf(note, sizeof note, "server not running from %s to %s", t1, t2);
		sqlite3_reset(credit);
		sqlite3_bind_int64(credit, 1, c->credit_ms);
		sqlite3_bind_int64(credit, 2, c->id);
		sqlite3_reset(ledger);
		sqlite3_bind_int64(ledger, 1, c->id);
		sqlite3_bind_int64(ledger, 2, now);
		sqlite3_bind_int64(ledger, 3, delta);
		sqlite3_bind_text(ledger, 4, note, -1, SQLITE_TRANSIENT);
		snprintf(note, sizeof note, "{\"delta_ms\":%lld}", (long long)delta);
		sqlite3_reset(ev);
		sqlite3_bind_int64(ev, 1, now);
		sqlite3_bind_int64(ev, 2, c->id);
		sqlite3_bind_text(ev, 3, "outage_credit", -1, SQLITE_STATIC);
		sqlite3_bind_text(ev, 4, note, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(credit) != SQLITE_DONE || sqlite3_step(ledger) != SQLITE_DONE ||
		    sqlite3_step(ev) != SQLITE_DONE)
			goto dberr;
		n_credit++;
	}
	if (db_meta_set(db, "heartbeat_ms", now) || db_exec(db, "COMMIT", err, errlen))
		goto dberr;
	if (n_credit || n_finish)
		log_info("recovery: server was last alive %s; credited %d running attempts, finished %d whose time was up",
			 t1, n_credit, n_finish);
	for (struct rt_candidate *c = s->reg.all; c; c = c->all_next)
		attempt_arm(s, c);
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "recovery: database error: %s", sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(credit);
	sqlite3_finalize(ledger);
	sqlite3_finalize(fin);
	sqlite3_finalize(ev);
	return rc;
}
