/* outage.c - the exam domain when the disk fails (issue 12): a candidate
 * whose write failed for the storage is reloaded from the database, a
 * deadline waits during the outage, and the outage is credited to running
 * attempts when writing resumes (exam/outage.h). */
#include "exam/outage.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int outage_storage_down(const struct exam_rt *x)
{
	return x->storage_down || (x->w && !writer_storage_ok(x->w));
}

static const char sql_reload_attempt[] =
	"SELECT status, started_at, credit_ms, position, paused_at, pause_reason"
	" FROM attempts WHERE candidate_id = ?1";
static const char sql_reload_answers[] =
	"SELECT n, label, flagged, rev FROM answers WHERE candidate_id = ?1";
static const char sql_reload_extra[] = "SELECT extra_time_s FROM candidates WHERE id = ?1";

/* Read c's stored attempt, answers and extra time from db into c (loop
 * thread; no write of c in flight). A finished attempt in the database is
 * finished in RAM already (no write unfinishes one): it is kept as RAM has
 * it. Returns 0, or -1 (c partly read: the caller breaks it). */
static int outage_read_back(sqlite3 *db, struct rt_candidate *c)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, sql_reload_extra, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, c->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	c->extra_s = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, sql_reload_attempt, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, c->id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "finished") == 0) {
		if (c->status != ATT_FINISHED)
			goto out;
	} else if (step == SQLITE_ROW || step == SQLITE_DONE) {
		int row = step == SQLITE_ROW;
		c->status = row ? ATT_IN_PROGRESS : ATT_NOT_STARTED;
		c->reason = FINISH_NONE;
		c->finished_at = 0;
		c->started_at = row ? sqlite3_column_int64(st, 1) : 0;
		c->credit_ms = row ? sqlite3_column_int64(st, 2) : 0;
		c->position = row ? sqlite3_column_int(st, 3) : 1;
		if (c->position < 1 || c->position > c->n)
			c->position = 1;
		c->paused_at = row ? sqlite3_column_int64(st, 4) : 0;
		free(c->pause_reason);
		c->pause_reason = NULL;
		if (c->paused_at)
			c->pause_reason = xstrdup(sqlite3_column_type(st, 5) == SQLITE_TEXT
							  ? (const char *)sqlite3_column_text(st, 5)
							  : "");
	} else {
		goto out;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, sql_reload_answers, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, c->id);
	for (int i = 0; i < c->n; i++)
		c->ans[i] = (struct rt_answer){ .label = -1, .flagged = 0, .rev = 0 };
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0);
		const unsigned char *label = sqlite3_column_text(st, 1);
		if (n < 1 || n > c->n)
			continue;
		c->ans[n - 1].label = (int8_t)(label ? label[0] - 'A' : -1);
		c->ans[n - 1].flagged = (uint8_t)sqlite3_column_int(st, 2);
		c->ans[n - 1].rev = (uint32_t)sqlite3_column_int64(st, 3);
	}
	rc = step == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Make c's RAM what the database holds again after a write of it failed for
 * the storage (c->stale, no write of c in flight). Reloading, rather than
 * undoing each failed change, is one rule for every kind of operation and
 * stays right when several writes of c failed and others between them
 * committed: the database is the truth once nothing is in flight. Reads are
 * served while the disk is full (only writes fail). If the read fails, c is
 * broken as for any write left out (registry.h). */
void outage_reload(struct exam_rt *x, struct rt_candidate *c)
{
	assert(c->stale && c->pending == 0);
	c->stale = 0;
	if (!x->rdb || outage_read_back(x->rdb, c) != 0) {
		c->broken = 1;
		log_error("attempt: candidate %s could not be reloaded after a storage fault (%s); "
			  "the candidate is refused until the server restarts",
			  c->regno, x->rdb ? sqlite3_errmsg(x->rdb) : "no read connection");
		return;
	}
	if (c->status == ATT_IN_PROGRESS)
		attempt_arm(x, c);
	else if (c->status == ATT_NOT_STARTED)
		attempt_disarm(c);
	attempt_notify(x, c, EXC_TIME);
}

/* The outage the writer's probe recorded (store/writer.h), cleared once its
 * credit is stored: by an operation queued after the credits, or by the
 * recovery that credited it after a crash. Only the record of outage "to"
 * is cleared (a newer outage's record stays). */
static const char sql_outage_clear[] =
	"DELETE FROM meta WHERE key IN ('storage_outage_from', 'storage_outage_to',"
	" 'storage_outage_owed')"
	" AND (SELECT value FROM meta WHERE key = 'storage_outage_to') = ?1";

struct outage_clear {
	struct wr_op op;
	int64_t to;
};

static int outage_apply_clear(struct wr_tx *tx, struct wr_op *op)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_outage_clear);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, ((struct outage_clear *)op)->to);
	return wr_step(st);
}

struct wr_op *outage_clear_op(int64_t to, int64_t now)
{
	struct outage_clear *o = xcalloc(1, sizeof *o);
	wr_op_init(&o->op, outage_apply_clear, actor_system(), now);
	o->to = to;
	return &o->op;
}

void outage_settle(struct exam_rt *x, struct rt_candidate *c)
{
	if (c->stale && c->pending == 0)
		outage_reload(x, c);
}

void outage_storage_changed(void *arg, int ok, int64_t since_ms, int64_t now_ms)
{
	struct exam_rt *x = arg;
	char t1[40], t2[40], note[128];
	int n = 0;

	if (!ok) {
		x->storage_down = 1;
		return;
	}
	x->storage_down = 0;
	if (!x->w) /* after writer_stop: nothing more is written */
		return;
	if (!x->outage_credit || now_ms <= since_ms)
		goto arm;
	clock_format_rfc3339(since_ms, 0, t1, sizeof t1);
	clock_format_rfc3339(now_ms, 0, t2, sizeof t2);
	snprintf(note, sizeof note, "storage unavailable from %s to %s", t1, t2);
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next) {
		if (c->status != ATT_IN_PROGRESS || c->paused_at || c->broken ||
		    c->started_at >= now_ms)
			continue;
		/* An attempt started during the outage (it could not be: a start
		 * is a write) or just before it is owed only its own share. */
		int64_t from = c->started_at > since_ms ? c->started_at : since_ms;
		int64_t owed = now_ms - from + c->owed_ms;
		c->owed_ms = 0;
		attempt_credit(x, c, owed, "storage_outage", actor_system(), note, now_ms, NULL, NULL);
		n++;
	}
	if (n)
		log_info("storage outage of %.1f s credited to %d running attempts",
			 (double)(now_ms - since_ms) / 1000.0, n);
arm:
	/* After the credits: the outage is no longer owed (a crash before this
	 * commits lets the recovery credit it). */
	writer_submit(x->w, outage_clear_op(now_ms, now_ms));
	/* Deadlines that fell due during the outage: look again now. */
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next)
		if (c->status == ATT_IN_PROGRESS && c->deadline_ev)
			attempt_arm(x, c);
}
