/* attempt.c - attempt state changes and their writer operations, scoring at
 * finish, deadline timers, attempts replayed offline (start-up recovery:
 * exam/recover.c). */
#include "exam/attempt.h"
#include "exam/attempt_op.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "exam/outage.h"
#include "exam/scoring.h"
#include "store/db.h"
#include "store/event.h"

#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext attempt_error_rows[] = {
	{ "exam_closed", "Ujian belum dibuka atau sudah ditutup." },
	{ "invalid_option", "Pilihan jawaban tidak valid." },
	{ "no_such_question", "Nomor soal tidak ada." },
	{ "not_started", "Ujian belum dimulai." },
	{ "attempt_closed", "Ujian sudah berakhir; jawaban tidak dapat diubah lagi." },
	{ "not_finished", "Ujian belum selesai." },
	{ "paused", "Ujian sedang dijeda oleh pengawas." },
};

const struct errtext_table attempt_errors = ERRTEXT_TABLE(attempt_error_rows);

/* ---- writer operations ------------------------------------------------- */

/* (the operation struct and its kinds: exam/attempt_op.h) */

static const char sql_start[] =
	"INSERT INTO attempts (candidate_id, status, started_at) VALUES (?1, 'in_progress', ?2)"
	" ON CONFLICT (candidate_id) DO NOTHING";
static const char sql_answer[] =
	"INSERT INTO answers (candidate_id, n, label, flagged, rev, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (candidate_id, n) DO UPDATE"
	" SET label = excluded.label, flagged = excluded.flagged,"
	" rev = excluded.rev, updated_at = excluded.updated_at WHERE excluded.rev > answers.rev";
static const char sql_position[] = "UPDATE attempts SET position = ?2 WHERE candidate_id = ?1";
static const char sql_finish[] =
	"UPDATE attempts SET status = 'finished', finished_at = ?2, finish_reason = ?3,"
	" scores_json = ?4, total = ?5, passed = ?6"
	" WHERE candidate_id = ?1 AND status = 'in_progress'";
static const char sql_credit[] = "UPDATE attempts SET credit_ms = ?2 WHERE candidate_id = ?1";
static const char sql_ledger[] =
	"INSERT INTO time_ledger (candidate_id, at, kind, delta_ms, note)"
	" VALUES (?1, ?2, ?5, ?3, ?4)";
static const char sql_pause[] =
	"UPDATE attempts SET paused_at = ?2, pause_reason = ?3 WHERE candidate_id = ?1";
static const char sql_resume[] = "UPDATE attempts SET paused_at = NULL, pause_reason = NULL,"
				 " credit_ms = ?2 WHERE candidate_id = ?1";

static const char sql_extra[] = "UPDATE candidates SET extra_time_s = ?2 WHERE id = ?1";

static const char attempt_labels[] = "ABCDEF";

/* The event of op (kind, answer fields), detail borrowed. */
static int attempt_event(struct wr_tx *tx, const struct attempt_op *a, const char *kind,
			 json_t *detail)
{
	struct event_rec e = { .at = a->op.at, .actor = a->op.owner, .candidate_id = a->cand_id,
			       .kind = kind, .label = -1, .detail = detail };
	if (a->kind == AOP_ANSWER) {
		e.n = a->u.answer.n;
		e.label = a->u.answer.label;
		e.flagged = a->u.answer.flagged;
		e.rev = a->u.answer.rev;
	} else if (a->kind == AOP_POSITION) {
		e.n = a->u.position;
	}
	return event_append(tx, &e);
}

static int attempt_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct attempt_op *a = (struct attempt_op *)op;
	sqlite3_stmt *st;
	json_t *detail;
	int rc;

	switch (a->kind) {
	case AOP_START:
		if (!(st = wr_stmt(tx, sql_start)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, op->at);
		return wr_step(st) || attempt_event(tx, a, "start", NULL) ? -1 : 0;
	case AOP_ANSWER:
		if (!(st = wr_stmt(tx, sql_answer)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int(st, 2, a->u.answer.n);
		if (a->u.answer.label >= 0)
			sqlite3_bind_text(st, 3, &attempt_labels[a->u.answer.label], 1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, a->u.answer.flagged);
		sqlite3_bind_int64(st, 5, a->u.answer.rev);
		sqlite3_bind_int64(st, 6, op->at);
		return wr_step(st) || attempt_event(tx, a, "answer", NULL) ? -1 : 0;
	case AOP_POSITION:
		if (!(st = wr_stmt(tx, sql_position)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int(st, 2, a->u.position);
		/* the move is logged (n = the new position): the time spent on
		 * each question is measured from these (analysis/adata.c) */
		return wr_step(st) || attempt_event(tx, a, "position", NULL) ? -1 : 0;
	case AOP_FINISH:
		if (!(st = wr_stmt(tx, sql_finish)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, a->u.finish.finished_at);
		sqlite3_bind_text(st, 3, finish_reason_names[a->u.finish.reason], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, a->u.finish.scores_json, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, a->u.finish.total);
		sqlite3_bind_int(st, 6, a->u.finish.passed);
		if (wr_step(st))
			return -1;
		detail = json_pack("{s:s,s:i}", "reason", finish_reason_names[a->u.finish.reason],
				   "total", a->u.finish.total);
		if (a->reason)
			json_object_set_new(detail, "note", json_string(a->reason));
		rc = attempt_event(tx, a, "finish", detail);
		json_decref(detail);
		return rc;
	case AOP_CREDIT:
		if (!(st = wr_stmt(tx, sql_credit)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, a->u.credit.credit_ms);
		if (wr_step(st) || !(st = wr_stmt(tx, sql_ledger)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, op->at);
		sqlite3_bind_int64(st, 3, a->u.credit.delta_ms);
		sqlite3_bind_text(st, 4, a->reason ? a->reason : a->u.credit.note, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, a->u.credit.kind, -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
		detail = json_pack("{s:I}", "delta_ms", (json_int_t)a->u.credit.delta_ms);
		if (a->reason)
			json_object_set_new(detail, "reason", json_string(a->reason));
		rc = attempt_event(tx, a, a->u.credit.kind, detail);
		json_decref(detail);
		return rc;
	case AOP_PAUSE:
		if (!(st = wr_stmt(tx, sql_pause)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, a->u.pause.paused_at);
		sqlite3_bind_text(st, 3, a->reason ? a->reason : "", -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
		detail = json_pack("{s:s}", "reason", a->reason ? a->reason : "");
		rc = attempt_event(tx, a, "paused", detail);
		json_decref(detail);
		return rc;
	case AOP_RESUME:
		if (!(st = wr_stmt(tx, sql_resume)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, a->u.pause.credit_ms);
		if (wr_step(st) || !(st = wr_stmt(tx, sql_ledger)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int64(st, 2, op->at);
		sqlite3_bind_int64(st, 3, op->at - a->u.pause.paused_at);
		sqlite3_bind_text(st, 4, a->reason ? a->reason : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, "pause", -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
		detail = json_pack("{s:s,s:I}", "reason", a->reason ? a->reason : "", "paused_ms",
				   (json_int_t)(op->at - a->u.pause.paused_at));
		rc = attempt_event(tx, a, "resumed", detail);
		json_decref(detail);
		return rc;
	case AOP_EXTRA:
		if (!(st = wr_stmt(tx, sql_extra)))
			return -1;
		sqlite3_bind_int64(st, 1, a->cand_id);
		sqlite3_bind_int(st, 2, a->u.extra.to_s);
		if (wr_step(st))
			return -1;
		detail = json_pack("{s:i,s:i}", "from_s", a->u.extra.from_s, "to_s", a->u.extra.to_s);
		rc = attempt_event(tx, a, "extra_time_set", detail);
		json_decref(detail);
		return rc;
	case AOP_BARRIER:
		break;
	}
	return 0;
}

static const char *const attempt_op_names[] = { "barrier", "start",	   "answer", "position",
						 "finish",  "credit",	   "extra time", "pause",
						 "resume" };

void attempt_notify(struct exam_rt *x, struct rt_candidate *c, enum exam_change what)
{
	assert(what < EXC_MAX);
	if (x->observe)
		x->observe(x->observe_arg, c, what);
}

/* The change an operation kind makes visible to observers (EXC_MAX: none). */
static const enum exam_change attempt_op_change[] = {
	[AOP_BARRIER] = EXC_MAX, [AOP_START] = EXC_START,   [AOP_ANSWER] = EXC_ANSWER,
	[AOP_POSITION] = EXC_POSITION, [AOP_FINISH] = EXC_FINISH, [AOP_CREDIT] = EXC_TIME,
	[AOP_EXTRA] = EXC_TIME,	       [AOP_PAUSE] = EXC_PAUSE,   [AOP_RESUME] = EXC_PAUSE,
};


/* After the commit. An operation left out on its own breaks its candidate
 * (RAM already holds the change the database does not). One that failed
 * for the storage marks it stale instead; once no write of the candidate is
 * in flight (the writer has decremented pending before this runs), RAM is
 * reloaded from the database, before the caller's then, so a reply that
 * reads RAM reads what is stored. Then the caller's then (ok = 0 for a
 * failed op; a barrier writes nothing and cannot fail for the storage),
 * then the observer. */
static void attempt_op_done(struct wr_op *op)
{
	struct attempt_op *a = (struct attempt_op *)op;
	if (op->failed == WR_FAILED_OP) {
		a->c->broken = 1;
		log_error("attempt: the %s of candidate %s was not stored; the candidate is refused "
			  "until the server restarts (RAM is then rebuilt from the database)",
			  attempt_op_names[a->kind], a->c->regno);
	} else if (op->failed == WR_FAILED_STORAGE) {
		a->c->stale = 1;
		/* An outage credit that could not be stored is still owed. */
		if (a->kind == AOP_CREDIT && strcmp(a->u.credit.kind, "storage_outage") == 0)
			a->c->owed_ms += a->u.credit.delta_ms;
	}
	if (a->c->stale && a->c->pending == 0)
		outage_reload(a->x, a->c);
	if (a->then)
		a->then(a->c, !a->c->broken && !op->failed, a->arg);
	if (!op->failed && attempt_op_change[a->kind] != EXC_MAX)
		attempt_notify(a->x, a->c, attempt_op_change[a->kind]);
}

static void attempt_op_release(struct wr_op *op)
{
	struct attempt_op *a = (struct attempt_op *)op;
	if (a->kind == AOP_FINISH)
		free(a->u.finish.scores_json);
	free(a->reason);
	free(a);
}

/* A new operation of kind on c, by actor, at now. */
struct attempt_op *attempt_op_new(enum attempt_op_kind kind, struct rt_candidate *c,
				  struct actor actor, int64_t now)
{
	struct attempt_op *a = xcalloc(1, sizeof *a);
	wr_op_init(&a->op, kind == AOP_BARRIER ? NULL : attempt_apply, actor, now);
	a->op.done = attempt_op_done;
	a->op.release = attempt_op_release;
	a->op.pending = &c->pending;
	a->kind = kind;
	a->cand_id = c->id;
	a->c = c;
	return a;
}

static void attempt_submit(struct exam_rt *x, struct attempt_op *a, attempt_then_fn then,
			   void *arg)
{
	assert(x->w);
	a->x = x;
	a->then = then;
	a->arg = arg;
	writer_submit(x->w, &a->op);
}

/* ---- scoring ------------------------------------------------------------ */

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

char *attempt_scores_json(const struct rt_candidate *c)
{
	json_t *arr = json_array();
	char *out;
	for (int s = 0; s < c->exam->def.n_sections; s++)
		json_array_append_new(arr, json_pack("{s:s,s:i,s:i}", "code", c->exam->def.sec[s].code,
						     "score", c->score[s], "max", c->max[s]));
	out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!out)
		abort();
	return out;
}

/* ---- timers ------------------------------------------------------------- */

struct attempt_timer {
	struct exam_rt *x;
	struct rt_candidate *c;
};

static void attempt_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attempt_timer *t = arg;
	(void)fd;
	(void)what;
	if (!attempt_expire_if_due(t->x, t->c, clock_now_ms()))
		attempt_arm(t->x, t->c); /* woke early (credit added): sleep again */
}

void attempt_arm(struct exam_rt *x, struct rt_candidate *c)
{
	int64_t left;
	struct timeval tv;

	if (c->status != ATT_IN_PROGRESS)
		return;
	if (c->paused_at) { /* a paused clock has no deadline until it resumes */
		if (c->deadline_ev)
			evtimer_del(c->deadline_ev);
		return;
	}
	if (!c->deadline_ev) {
		struct attempt_timer *t = xmalloc(sizeof *t);
		t->x = x;
		t->c = c;
		c->deadline_ev = evtimer_new(x->base, attempt_timer_cb, t);
		if (!c->deadline_ev)
			abort();
	}
	left = clock_remaining_ms(registry_deadline(c), clock_now_ms());
	/* A finish cannot be stored while storage is unavailable: the timer
	 * looks again later (attempt_expire_if_due waits meanwhile). */
	if (outage_storage_down(x) && left < UJ_STORAGE_PROBE_MS)
		left = UJ_STORAGE_PROBE_MS;
	tv.tv_sec = (time_t)(left / 1000);
	tv.tv_usec = (suseconds_t)(left % 1000) * 1000;
	evtimer_add(c->deadline_ev, &tv);
}

void attempt_disarm(struct rt_candidate *c)
{
	if (!c->deadline_ev)
		return;
	free(event_get_callback_arg(c->deadline_ev));
	event_free(c->deadline_ev);
	c->deadline_ev = NULL;
}

/* ---- transitions -------------------------------------------------------- */

int attempt_exam_open(const struct rt_exam *e, int64_t now)
{
	return !e->def.archived && !e->editing && (!e->def.opens_at || now >= e->def.opens_at) &&
	       (!e->def.closes_at || now < e->def.closes_at);
}

void attempt_start(struct exam_rt *x, struct rt_candidate *c, int64_t now, attempt_then_fn then,
		   void *arg)
{
	assert(c->status == ATT_NOT_STARTED);
	c->status = ATT_IN_PROGRESS;
	c->started_at = now;
	c->credit_ms = 0;
	c->position = 1;
	attempt_arm(x, c);
	attempt_submit(x, attempt_op_new(AOP_START, c, actor_candidate(c->id), now), then, arg);
}

void attempt_answer(struct exam_rt *x, struct rt_candidate *c, struct answer_rec *rec, int64_t now,
		    attempt_then_fn then, void *arg)
{
	struct rt_answer *a;
	struct attempt_op *op;

	assert(c->status == ATT_IN_PROGRESS);
	assert(rec->n >= 1 && rec->n <= c->n);
	assert(rec->label >= -1 && rec->label < c->q[rec->n - 1].n_options);
	a = &c->ans[rec->n - 1];
	if (rec->rev <= a->rev) {
		/* Stale or repeated: change nothing, report the stored state once
		 * it is durable. */
		rec->label = a->label;
		rec->flagged = a->flagged;
		rec->rev = a->rev;
		attempt_when_durable(x, c, then, arg);
		return;
	}
	a->label = (int8_t)rec->label;
	a->flagged = (uint8_t)(rec->flagged != 0);
	a->rev = rec->rev;
	rec->flagged = a->flagged;
	op = attempt_op_new(AOP_ANSWER, c, actor_candidate(c->id), now);
	op->u.answer = *rec;
	op->u.answer.flagged = a->flagged;
	attempt_submit(x, op, then, arg);
}

void attempt_position(struct exam_rt *x, struct rt_candidate *c, int n, int64_t now,
		      attempt_then_fn then, void *arg)
{
	struct attempt_op *op;
	assert(c->status == ATT_IN_PROGRESS && n >= 1 && n <= c->n);
	if (n == c->position) { /* no move: nothing to store or log */
		if (then)
			attempt_when_durable(x, c, then, arg);
		return;
	}
	op = attempt_op_new(AOP_POSITION, c, actor_candidate(c->id), now);
	c->position = n;
	op->u.position = n;
	attempt_submit(x, op, then, arg);
}

/* Move c to finished in RAM and build the finish operation (not submitted). */
struct attempt_op *attempt_finish_op(struct rt_candidate *c, enum finish_reason why,
				     int64_t finished_at, struct actor actor, int64_t now)
{
	struct attempt_op *op = attempt_op_new(AOP_FINISH, c, actor, now);
	assert(c->status == ATT_IN_PROGRESS);
	assert(why > FINISH_NONE && why < FINISH_REASON_MAX);
	attempt_disarm(c);
	attempt_score(c);
	c->status = ATT_FINISHED;
	c->reason = why;
	c->finished_at = finished_at;
	op->u.finish.reason = why;
	op->u.finish.finished_at = finished_at;
	op->u.finish.scores_json = attempt_scores_json(c);
	op->u.finish.total = c->total;
	op->u.finish.passed = c->passed;
	return op;
}

void attempt_finish(struct exam_rt *x, struct rt_candidate *c, enum finish_reason why,
		    int64_t finished_at, attempt_then_fn then, void *arg)
{
	struct actor by = why == FINISH_SUBMITTED ? actor_candidate(c->id) : actor_system();
	attempt_submit(x, attempt_finish_op(c, why, finished_at, by, clock_now_ms()), then, arg);
}

void attempt_end_by(struct exam_rt *x, struct rt_candidate *c, enum finish_reason why,
		    struct actor who, const char *reason, int64_t now, attempt_then_fn then,
		    void *arg)
{
	struct attempt_op *op;
	assert(why == FINISH_PROCTOR || why == FINISH_DISQUALIFIED);
	if (c->paused_at) { /* the pause ends with the attempt: no time is owed */
		c->paused_at = 0;
		free(c->pause_reason);
		c->pause_reason = NULL;
	}
	op = attempt_finish_op(c, why, now, who, now);
	if (why == FINISH_DISQUALIFIED) {
		/* Scores are kept for the record; a disqualified attempt never
		 * passes. */
		c->passed = 0;
		op->u.finish.passed = 0;
	}
	op->reason = reason ? xstrdup(reason) : NULL;
	attempt_submit(x, op, then, arg);
}

void attempt_pause(struct exam_rt *x, struct rt_candidate *c, struct actor who, const char *reason,
		   int64_t now, attempt_then_fn then, void *arg)
{
	struct attempt_op *op;
	assert(c->status == ATT_IN_PROGRESS && !c->paused_at);
	c->paused_at = now;
	c->pause_reason = xstrdup(reason ? reason : "");
	attempt_arm(x, c); /* stops the deadline timer */
	op = attempt_op_new(AOP_PAUSE, c, who, now);
	op->u.pause.paused_at = now;
	op->reason = reason ? xstrdup(reason) : NULL;
	attempt_submit(x, op, then, arg);
}

void attempt_resume(struct exam_rt *x, struct rt_candidate *c, struct actor who, const char *reason,
		    int64_t now, attempt_then_fn then, void *arg)
{
	struct attempt_op *op;
	assert(c->status == ATT_IN_PROGRESS && c->paused_at && now >= c->paused_at);
	op = attempt_op_new(AOP_RESUME, c, who, now);
	op->u.pause.paused_at = c->paused_at;
	c->credit_ms += now - c->paused_at; /* the paused time is not charged */
	op->u.pause.credit_ms = c->credit_ms;
	op->reason = reason ? xstrdup(reason) : NULL;
	c->paused_at = 0;
	free(c->pause_reason);
	c->pause_reason = NULL;
	attempt_submit(x, op, then, arg);
	attempt_arm(x, c);
}

void attempt_credit(struct exam_rt *x, struct rt_candidate *c, int64_t delta_ms, const char *kind,
		    struct actor who, const char *reason, int64_t now, attempt_then_fn then,
		    void *arg)
{
	struct attempt_op *op;
	/* Only a clock step may take time back (it moves the deadline with the
	 * clock, so the time left is unchanged). */
	assert(c->status == ATT_IN_PROGRESS && (delta_ms > 0 || strcmp(kind, "clock_step") == 0));
	assert(delta_ms != 0);
	c->credit_ms += delta_ms;
	op = attempt_op_new(AOP_CREDIT, c, who, now);
	op->u.credit.credit_ms = c->credit_ms;
	op->u.credit.delta_ms = delta_ms;
	op->u.credit.kind = kind;
	op->reason = reason ? xstrdup(reason) : NULL;
	attempt_submit(x, op, then, arg);
	attempt_arm(x, c);
}

int attempt_expire_if_due(struct exam_rt *x, struct rt_candidate *c, int64_t now)
{
	if (c->status == ATT_FINISHED)
		return 1;
	if (c->status != ATT_IN_PROGRESS || c->paused_at)
		return 0;
	int64_t deadline = registry_deadline(c);
	if (now < deadline || outage_storage_down(x))
		return 0;
	attempt_finish(x, c, FINISH_TIME_UP, deadline, NULL, NULL);
	return 1;
}

void attempt_when_durable(struct exam_rt *x, struct rt_candidate *c, attempt_then_fn then,
			  void *arg)
{
	if (c->pending == 0) {
		then(c, !c->broken, arg);
		return;
	}
	attempt_submit(x, attempt_op_new(AOP_BARRIER, c, actor_candidate(c->id), clock_now_ms()),
		       then, arg);
}

void attempt_set_extra(struct exam_rt *x, struct rt_candidate *c, int extra_s, struct actor who,
		       int64_t now, attempt_then_fn then, void *arg)
{
	struct attempt_op *a;

	assert(c->status != ATT_FINISHED && extra_s >= 0);
	a = attempt_op_new(AOP_EXTRA, c, who, now);
	a->u.extra.from_s = c->extra_s;
	a->u.extra.to_s = extra_s;
	c->extra_s = extra_s;
	attempt_submit(x, a, then, arg);
	/* A running attempt's deadline moves: the timer follows (and a deadline
	 * moved into the past finishes the attempt now, at that deadline). */
	if (c->status == ATT_IN_PROGRESS && !attempt_expire_if_due(x, c, now))
		attempt_arm(x, c);
}

/* ---- attempts taken offline ---------------------------------------------- */

/* A replayed candidate's relative time on question i (2..10): the item's
 * own weight (so some items take longer than others for everyone) plus a
 * little per candidate. Deterministic. */
static int64_t attempt_replay_weight(const struct rt_candidate *c, int i)
{
	uint64_t h = (uint64_t)c->q[i].item->id * 0x9E3779B97F4A7C15ULL;
	uint64_t g = ((uint64_t)c->id * 31 + (uint64_t)i) * 0xBF58476D1CE4E5B9ULL;
	return 2 + (int64_t)((h >> 40) % 6) + (int64_t)((g >> 40) % 3);
}

/* Append op (applied synchronously: never in flight) at *tail. */
static void attempt_replay_add(struct attempt_op *op, struct wr_op ***tail)
{
	op->op.pending = NULL;
	**tail = &op->op;
	*tail = &op->op.next;
}

void attempt_replay(struct rt_candidate *c, const int8_t *labels, int64_t started_at,
		    int64_t finished_at, enum finish_reason why, const char *reason,
		    struct wr_op ***tail)
{
	struct attempt_op *op;
	int64_t span = finished_at - started_at, total_w = 0, w = 0;

	assert(c->status == ATT_NOT_STARTED && !c->pending);
	assert(finished_at > started_at);
	assert(why == FINISH_SUBMITTED || why == FINISH_TIME_UP || why == FINISH_DISQUALIFIED);
	c->status = ATT_IN_PROGRESS;
	c->started_at = started_at;
	c->credit_ms = 0;
	c->position = 1;
	attempt_replay_add(attempt_op_new(AOP_START, c, actor_candidate(c->id), started_at), tail);
	for (int i = 0; i < c->n; i++)
		total_w += attempt_replay_weight(c, i);
	/* The candidate goes through the questions in order: on question i
	 * from `from` to `to` (its share of the time taken), answering it
	 * four fifths of the way, then moving on (a position event). */
	for (int i = 0; i < c->n; i++) {
		struct answer_rec rec = { .n = i + 1, .label = labels[i], .flagged = 0, .rev = 1 };
		int64_t from = started_at + span * w / total_w, to;
		w += attempt_replay_weight(c, i);
		to = started_at + span * w / total_w;
		if (i > 0) {
			op = attempt_op_new(AOP_POSITION, c, actor_candidate(c->id), from);
			op->u.position = i + 1;
			c->position = i + 1;
			attempt_replay_add(op, tail);
		}
		if (labels[i] < 0)
			continue;
		assert(labels[i] < c->q[i].n_options);
		op = attempt_op_new(AOP_ANSWER, c, actor_candidate(c->id),
				    from + (to - from) * 4 / 5);
		c->ans[i].label = labels[i];
		c->ans[i].flagged = 0;
		c->ans[i].rev = 1;
		op->u.answer = rec;
		attempt_replay_add(op, tail);
	}
	c->position = c->n;
	op = attempt_finish_op(c, why, finished_at,
			       why == FINISH_SUBMITTED ? actor_candidate(c->id) : actor_system(),
			       finished_at);
	if (why == FINISH_DISQUALIFIED) {
		c->passed = 0; /* scores kept for the record, never passing */
		op->u.finish.passed = 0;
	}
	op->reason = reason ? xstrdup(reason) : NULL;
	attempt_replay_add(op, tail);
}
