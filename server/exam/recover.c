/* recover.c - start-up recovery of running attempts: the downtime since the
 * last heartbeat credited (or the attempt finished at its deadline), a
 * storage outage not yet credited, and the start-up until the listener is up
 * (include/exam/attempt.h). */
#include "exam/attempt.h"
#include "exam/attempt_op.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/hmap.h"
#include "core/log.h"
#include "core/mem.h"
#include "exam/outage.h"
#include "store/db.h"
#include "store/event.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- recovery ------------------------------------------------------------ */

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

/* The heartbeat of recovery itself, applied with the recovery operations. */
static int attempt_apply_beat(struct wr_tx *tx, struct wr_op *op)
{
	return wr_heartbeat(tx, op->at);
}

/* A candidate's storage-outage credit stored (the map owns it; the key is
 * its id). */
struct attempt_sum {
	int64_t id, ms;
};

/* Free the sums of attempt_outage_credited and the map. */
static void attempt_free_sums(struct hmap *sums)
{
	size_t it = 0;
	struct attempt_sum *v;
	while ((v = hmap_next(sums, &it)))
		free(v);
	hmap_free(sums);
}

/* Storage-outage credit stored per candidate since from (ledger rows at or
 * after it): id -> struct attempt_sum in sums. */
static int attempt_outage_credited(sqlite3 *db, int64_t from, struct hmap *sums)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT candidate_id, sum(delta_ms) FROM time_ledger"
			       " WHERE kind = 'storage_outage' AND at >= ?1 GROUP BY candidate_id",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct attempt_sum *v = xmalloc(sizeof *v);
		v->id = sqlite3_column_int64(st, 0);
		v->ms = sqlite3_column_int64(st, 1);
		hmap_put(sums, &v->id, sizeof v->id, v); /* ids are unique (GROUP BY) */
	}
	sqlite3_finalize(st);
	return 0;
}

/* Recovery's part of storage outages whose credit was not (fully) stored
 * before the server stopped (meta storage_outage_from/to/owed,
 * store/writer.h): c's share (all owed time if c started before the first
 * of them, else at most the time since its start) less what is stored for
 * c since then; credited first so that the deadline below moves with it.
 * Returns the op to apply (appended by the caller), or NULL. */
static struct attempt_op *attempt_recover_outage(struct rt_candidate *c, int64_t from,
						 int64_t to, int64_t owed,
						 const struct hmap *sums, int64_t now)
{
	struct attempt_op *op;
	const struct attempt_sum *stored = hmap_get(sums, &c->id, sizeof c->id);
	int64_t share = c->started_at <= from ? owed
			: (to - c->started_at < owed ? to - c->started_at : owed);
	int64_t delta = share - (stored ? stored->ms : 0);
	if (delta <= 0)
		return NULL;
	c->credit_ms += delta;
	op = attempt_op_new(AOP_CREDIT, c, actor_system(), now);
	op->u.credit.credit_ms = c->credit_ms;
	op->u.credit.delta_ms = delta;
	op->u.credit.kind = "storage_outage";
	snprintf(op->u.credit.note, sizeof op->u.credit.note,
		 "storage outage not credited before the server stopped");
	op->op.pending = NULL;
	return op;
}

int attempt_recover(struct exam_rt *x, sqlite3 *db, char *err, size_t errlen)
{
	int64_t now = clock_now_ms(), alive = attempt_last_alive(db);
	int64_t so_from = db_meta_get(db, "storage_outage_from");
	int64_t so_to = db_meta_get(db, "storage_outage_to");
	int64_t so_owed = db_meta_get(db, "storage_outage_owed");
	int n_credit = 0, n_finish = 0, n_storage = 0;
	char t1[40], t2[40];
	struct wr_op *ops = NULL, **tailp = &ops, *beat = xcalloc(1, sizeof *beat);
	struct hmap so_done;

	hmap_init(&so_done);
	if (so_to > 0 && x->outage_credit && attempt_outage_credited(db, so_from, &so_done) != 0) {
		snprintf(err, errlen, "recovery: %s", sqlite3_errmsg(db));
		attempt_free_sums(&so_done);
		free(beat);
		return -1;
	}
	clock_format_rfc3339(alive, 0, t1, sizeof t1);
	clock_format_rfc3339(now, 0, t2, sizeof t2);
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next) {
		struct attempt_op *op;
		/* A paused attempt is charged nothing until it resumes, and its
		 * resume credits the whole pause, downtime included. */
		if (c->status != ATT_IN_PROGRESS || c->paused_at)
			continue;
		if (so_to > 0 && x->outage_credit &&
		    (op = attempt_recover_outage(c, so_from, so_to, so_owed, &so_done, now))) {
			*tailp = &op->op;
			tailp = &op->op.next;
			n_storage++;
		}
		int64_t deadline = registry_deadline(c);
		int64_t cut = x->outage_credit && alive > 0 ? alive : now;
		if (deadline <= cut) {
			/* Time was up before the server stopped (or no credit):
			 * finish at the deadline, exactly as the timer would have. */
			op = attempt_finish_op(c, FINISH_TIME_UP, deadline, actor_system(), now);
			n_finish++;
		} else {
			int64_t delta;
			if (!x->outage_credit || alive <= 0)
				continue;
			delta = clock_outage_credit_ms(alive, c->started_at, now);
			if (delta == 0)
				continue;
			c->credit_ms += delta;
			op = attempt_op_new(AOP_CREDIT, c, actor_system(), now);
			op->u.credit.credit_ms = c->credit_ms;
			op->u.credit.delta_ms = delta;
			/* A clock set back while the server was down (now before
			 * the last heartbeat): the deadline moves back with it, so
			 * the attempt resumes with the time it had then. */
			op->u.credit.kind = delta > 0 ? "outage_credit" : "clock_step";
			snprintf(op->u.credit.note, sizeof op->u.credit.note,
				 delta > 0 ? "server not running from %s to %s"
					   : "clock set back while the server was down: last alive %s, "
					     "restarted %s",
				 t1, t2);
			n_credit++;
		}
		op->op.pending = NULL; /* applied synchronously: never in flight */
		*tailp = &op->op;
		tailp = &op->op.next;
	}
	attempt_free_sums(&so_done);
	if (so_to > 0) { /* credited now (or credit is off): no longer owed */
		*tailp = outage_clear_op(so_to, now);
		tailp = &(*tailp)->next;
	}
	wr_op_init(beat, attempt_apply_beat, actor_system(), now);
	*tailp = beat;
	if (wr_apply_now(db, ops, err, errlen)) {
		char inner[512];
		snprintf(inner, sizeof inner, "%s", err);
		snprintf(err, errlen, "recovery: %s", inner);
		return -1;
	}
	if (n_credit || n_finish)
		log_info("recovery: server was last alive %s; credited %d running attempts, finished %d "
			 "whose time was up",
			 t1, n_credit, n_finish);
	if (n_storage)
		log_info("recovery: a storage outage not yet credited was credited to %d running "
			 "attempts", n_storage);
	x->recovered_at = x->outage_credit && alive > 0 ? now : 0;
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next)
		attempt_arm(x, c);
	return 0;
}

int attempt_credit_startup(struct exam_rt *x, int64_t now)
{
	int64_t gap = now - x->recovered_at;
	char from[40], to[40], reason[128];
	int n = 0;

	assert(x->w);
	if (!x->recovered_at || gap <= 0) {
		x->recovered_at = 0;
		return 0;
	}
	clock_format_rfc3339(x->recovered_at, 0, from, sizeof from);
	clock_format_rfc3339(now, 0, to, sizeof to);
	snprintf(reason, sizeof reason, "server starting up from %s to %s", from, to);
	x->recovered_at = 0;
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next) {
		if (c->status != ATT_IN_PROGRESS || c->paused_at || c->broken)
			continue;
		attempt_credit(x, c, gap, "outage_credit", actor_system(), reason, now, NULL, NULL);
		n++;
	}
	if (n)
		log_info("start-up: %d running attempts credited the %" PRId64
			 " ms between recovery and listening",
			 n, gap);
	return n;
}
