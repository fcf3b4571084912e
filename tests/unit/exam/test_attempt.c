/* test_attempt.c - the life of an attempt: start, answers, position, finish,
 * the deadline (checked and by timer), durability barriers
 * (server/exam/attempt.c).
 *
 * The in-RAM exam and candidates are built by hand as the loader builds them
 * (see test_registry.c); the database is real (db_open + db_migrate, the
 * catalog rows the foreign keys need) and written by a real writer thread, or
 * by wr_apply_now during recovery (writer not running).
 *
 * The fixture (exam, database, helpers) is attempt_fx.h; the clock's
 * recovery, pauses and credits are in test_attempt_time.c. */
#include "attempt_fx.h"

/* ---- tests ---- */

/* attempt_exam_open: inside [opens_at, closes_at); 0 means no limit. */
static void test_exam_open(void **state)
{
	(void)state;
	struct rt_exam e;
	memset(&e, 0, sizeof e);
	assert_true(attempt_exam_open(&e, 5));
	e.def.opens_at = 1000;
	assert_false(attempt_exam_open(&e, 999));
	assert_true(attempt_exam_open(&e, 1000));
	e.def.closes_at = 2000;
	assert_true(attempt_exam_open(&e, 1999));
	assert_false(attempt_exam_open(&e, 2000));
	e.def.opens_at = 0;
	assert_true(attempt_exam_open(&e, 1));
	assert_false(attempt_exam_open(&e, 2001));
}

/* attempt_start: RAM at once (in progress, clock, position 1, timer armed at
 * the deadline, one op pending); then runs after the commit; an attempts row
 * and one 'start' event by the candidate. */
static void test_start(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	int64_t now = clock_now_ms();
	t.ro = f.ro;

	attempt_start(&f.x, c, now, then_cb, &t);
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->started_at, now);
	assert_int_equal(c->credit_ms, 0);
	assert_int_equal(c->position, 1);
	assert_int_equal(c->pending, 1);
	assert_int_equal(t.runs, 0); /* not before the commit */
	int64_t left = timer_left_ms(c->deadline_ev);
	assert_true(left > 3600000 - 10000 && left <= 3600000 + 1000);

	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.att_rows, 1); /* durable when then runs */

	assert_qs(f.ro, "in_progress", "SELECT status FROM attempts WHERE candidate_id = 1");
	assert_int_equal(qi(f.ro, -1, "SELECT started_at FROM attempts WHERE candidate_id = 1"), now);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 1"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 1"), 1);
	assert_int_equal(qi(f.ro, -2, "SELECT finished_at FROM attempts WHERE candidate_id = 1"), -2);
	assert_int_equal(n_events(f.ro, 1, "start"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events"), 1);
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'start'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'start'"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'start'"), now);
	assert_qs(f.ro, NULL, "SELECT detail FROM events WHERE kind = 'start'");
	assert_qs(f.ro, NULL, "SELECT n FROM events WHERE kind = 'start'");

	/* Nobody else started. */
	assert_int_equal(f.c[2]->status, ATT_NOT_STARTED);
	assert_null(f.c[2]->deadline_ev);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts"), 1);
	fx_close(&f);
}

/* attempt_answer with a newer rev changes RAM at once and writes the answer
 * row and an 'answer' event; an equal or older rev changes nothing, reports
 * the stored state in *rec and still runs then (at once when nothing is in
 * flight, after the commit of the newer one otherwise). */
static void test_answer_revisions(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());

	struct then_rec t1 = { .ro = f.ro };
	struct answer_rec r1 = { .n = 2, .label = 3, .flagged = 1, .rev = 5 };
	int64_t at1 = clock_now_ms();
	attempt_answer(&f.x, c, &r1, at1, then_cb, &t1);
	assert_int_equal(c->ans[1].label, 3);
	assert_int_equal(c->ans[1].flagged, 1);
	assert_int_equal(c->ans[1].rev, 5);
	assert_int_equal(c->pending, 1);
	assert_int_equal(t1.runs, 0);
	UNIT_WAIT_FOR(f.base, t1.runs == 1);
	assert_int_equal(t1.runs, 1);
	assert_int_equal(t1.ans_rev, 5);
	assert_int_equal(r1.label, 3);
	assert_int_equal(r1.rev, 5);
	assert_qs(f.ro, "D", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM answers WHERE candidate_id = 1 AND n = 2"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM answers WHERE candidate_id = 1 AND n = 2"), 5);
	assert_int_equal(qi(f.ro, -1, "SELECT updated_at FROM answers WHERE candidate_id = 1 AND n = 2"),
			 at1);
	assert_int_equal(n_events(f.ro, 1, "answer"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT n FROM events WHERE kind = 'answer'"), 2);
	assert_qs(f.ro, "D", "SELECT label FROM events WHERE kind = 'answer'");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM events WHERE kind = 'answer'"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM events WHERE kind = 'answer'"), 5);
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'answer'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'answer'"), 1);

	/* Equal rev, nothing in flight: then runs at once with the stored state. */
	struct then_rec t2 = { 0 };
	struct answer_rec r2 = { .n = 2, .label = 0, .flagged = 0, .rev = 5 };
	attempt_answer(&f.x, c, &r2, clock_now_ms(), then_cb, &t2);
	assert_int_equal(t2.runs, 1);
	assert_int_equal(r2.n, 2);
	assert_int_equal(r2.label, 3);
	assert_int_equal(r2.flagged, 1);
	assert_int_equal(r2.rev, 5);
	assert_int_equal(c->ans[1].label, 3);
	assert_int_equal(c->pending, 0);

	/* Older rev: the same. */
	struct then_rec t3 = { 0 };
	struct answer_rec r3 = { .n = 2, .label = 1, .flagged = 0, .rev = 4 };
	attempt_answer(&f.x, c, &r3, clock_now_ms(), then_cb, &t3);
	assert_int_equal(t3.runs, 1);
	assert_int_equal(r3.label, 3);
	assert_int_equal(r3.rev, 5);
	assert_int_equal(c->ans[1].rev, 5);

	/* A newer one clearing the answer, then at once a stale one: the stale
	 * one reports rev 7 and its then runs after rev 7 is durable. */
	struct then_rec t4 = { .ro = f.ro }, t5 = { .ro = f.ro };
	struct answer_rec r4 = { .n = 2, .label = -1, .flagged = 0, .rev = 7 };
	struct answer_rec r5 = { .n = 2, .label = 2, .flagged = 1, .rev = 6 };
	then_seq = 0;
	attempt_answer(&f.x, c, &r4, clock_now_ms(), then_cb, &t4);
	attempt_answer(&f.x, c, &r5, clock_now_ms(), then_cb, &t5);
	assert_int_equal(r5.label, -1);
	assert_int_equal(r5.flagged, 0);
	assert_int_equal(r5.rev, 7);
	assert_int_equal(t5.runs, 0); /* rev 7 is still in flight */
	UNIT_WAIT_FOR(f.base, t4.runs == 1 && t5.runs == 1);
	assert_int_equal(t4.runs, 1);
	assert_int_equal(t5.runs, 1);
	assert_int_equal(t4.order, 1);
	assert_int_equal(t5.order, 2);
	assert_int_equal(t5.ans_rev, 7);
	assert_int_equal(c->ans[1].label, -1);
	assert_int_equal(c->ans[1].flagged, 0);
	assert_qs(f.ro, NULL, "SELECT label FROM answers WHERE candidate_id = 1 AND n = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM answers WHERE candidate_id = 1 AND n = 2"), 7);
	assert_int_equal(n_events(f.ro, 1, "answer"), 2); /* the stale ones wrote nothing */
	assert_qs(f.ro, NULL, "SELECT label FROM events WHERE kind = 'answer' AND rev = 7");
	assert_int_equal(qi(f.ro, -1, "SELECT n FROM events WHERE kind = 'answer' AND rev = 7"), 2);

	/* Other questions are independent (the last one, first rev 1); flagged is stored as 0/1. */
	struct then_rec t6 = { 0 };
	struct answer_rec r6 = { .n = 4, .label = 4, .flagged = 2, .rev = 1 };
	attempt_answer(&f.x, c, &r6, clock_now_ms(), then_cb, &t6);
	assert_int_equal(c->ans[3].flagged, 1);
	UNIT_WAIT_FOR(f.base, t6.runs == 1);
	assert_qs(f.ro, "E", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 4");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM answers WHERE candidate_id = 1 AND n = 4"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM events WHERE kind = 'answer' AND n = 4"), 1);
	assert_int_equal(c->ans[1].rev, 7);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM answers"), 2);
	fx_close(&f);
}

/* attempt_position: RAM at once, the row and a "position" event after the
 * commit; no move, nothing stored. */
static void test_position(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());
	t.ro = f.ro;

	attempt_position(&f.x, c, 3, clock_now_ms(), then_cb, &t);
	assert_int_equal(c->position, 3);
	assert_int_equal(c->pending, 1);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.position, 3);
	attempt_position(&f.x, c, 4, clock_now_ms(), NULL, NULL); /* then may be NULL */
	assert_int_equal(c->position, 4);
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 1"), 4);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 2"), -1);
	/* each move is logged with the new position, by the candidate */
	assert_qs(f.ro, "3,4", "SELECT group_concat(n) FROM (SELECT n FROM events WHERE"
			       " candidate_id = 1 AND kind = 'position' ORDER BY id)");
	assert_qs(f.ro, "candidate", "SELECT DISTINCT actor_kind FROM events WHERE kind = 'position'");
	/* staying on 4 stores and logs nothing; then still runs */
	attempt_position(&f.x, c, 4, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f.base, t.runs == 2);
	assert_int_equal(t.position, 4);
	assert_int_equal(c->pending, 0);
	assert_int_equal(n_events(f.ro, 1, "position"), 2);
	fx_close(&f);
}

/* attempt_finish by the candidate: finished in RAM at once with scores from
 * the answers (TWK 5/10, TKP 10/10, total 15, passed), timer released; the
 * row has the scores; exactly one 'finish' event whose detail is exactly
 * {"reason":"submitted","total":15}, by the candidate. */
static void test_finish_submitted(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	json_error_t je;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[2];
	start_durable(&f, c, clock_now_ms());
	answer_durable(&f, c, 1, 2, 1); /* C -> bank option B: right, 5 */
	answer_durable(&f, c, 3, 4, 1); /* E -> 5 */
	answer_durable(&f, c, 4, 0, 1); /* A -> bank option 5th: 5 */
	/* q2 stays blank: 0 */
	int n_ev = event_base_get_num_events(f.base, EVENT_BASE_COUNT_ADDED);
	int64_t fin = clock_now_ms() + 5, before = clock_now_ms();

	attempt_finish(&f.x, c, FINISH_SUBMITTED, fin, then_cb, &t);
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_SUBMITTED);
	assert_int_equal(c->finished_at, fin);
	assert_null(c->deadline_ev);
	assert_int_equal(event_base_get_num_events(f.base, EVENT_BASE_COUNT_ADDED), n_ev - 1);
	assert_int_equal(c->score[0], 5);
	assert_int_equal(c->max[0], 10);
	assert_int_equal(c->score[1], 10);
	assert_int_equal(c->max[1], 10);
	assert_int_equal(c->total, 15);
	assert_int_equal(c->max_total, 20);
	assert_int_equal(c->passed, 1);
	assert_int_equal(t.runs, 0);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.pending, 0);

	assert_qs(f.ro, "finished", "SELECT status FROM attempts WHERE candidate_id = 2");
	assert_qs(f.ro, "submitted", "SELECT finish_reason FROM attempts WHERE candidate_id = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 2"), fin);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 2"), 15);
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 2"), 1);
	char *sj = qs(f.ro, "SELECT scores_json FROM attempts WHERE candidate_id = 2");
	assert_non_null(sj);
	json_t *arr = json_loads(sj, 0, &je);
	assert_non_null(arr);
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), 2);
	json_t *s0 = json_array_get(arr, 0), *s1 = json_array_get(arr, 1);
	assert_string_equal(json_string_value(json_object_get(s0, "code")), "TWK");
	assert_int_equal(json_integer_value(json_object_get(s0, "score")), 5);
	assert_int_equal(json_integer_value(json_object_get(s0, "max")), 10);
	assert_string_equal(json_string_value(json_object_get(s1, "code")), "TKP");
	assert_int_equal(json_integer_value(json_object_get(s1, "score")), 10);
	assert_int_equal(json_integer_value(json_object_get(s1, "max")), 10);
	json_decref(arr);
	free(sj);
	sj = attempt_scores_json(c); /* what was stored is this */
	assert_qs(f.ro, sj, "SELECT scores_json FROM attempts WHERE candidate_id = 2");
	free(sj);

	assert_int_equal(n_events(f.ro, 2, "finish"), 1);
	assert_qs(f.ro, "{\"reason\":\"submitted\",\"total\":15}",
		  "SELECT detail FROM events WHERE kind = 'finish'");
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'finish'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'finish'"), 2);
	int64_t at = qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish'");
	assert_true(at >= before && at <= clock_now_ms());

	/* Finished: the deadline check has nothing more to do. */
	assert_int_equal(attempt_expire_if_due(&f.x, c, fin + 10000000), 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(n_events(f.ro, 2, "finish"), 1);
	fx_close(&f);
}

/* attempt_expire_if_due: 0 before the deadline (nothing submitted), and at
 * or after it finishes the attempt at the deadline (not at now) with reason
 * time_up by the system; afterwards it keeps saying 1 without another
 * finish. Not started: 0. */
static void test_expire_if_due(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[3];
	int64_t t0 = clock_now_ms();

	assert_int_equal(attempt_expire_if_due(&f.x, f.c[4], t0 + 99999999), 0);
	assert_int_equal(f.c[4]->status, ATT_NOT_STARTED);
	assert_int_equal(f.c[4]->pending, 0);

	start_durable(&f, c, t0);
	answer_durable(&f, c, 1, 1, 1); /* B -> bank option C: wrong, 0 */
	answer_durable(&f, c, 3, 0, 1); /* A -> 1 */
	int64_t deadline = t0 + 3600 * 1000;
	assert_int_equal(registry_deadline(c), deadline);

	assert_int_equal(attempt_expire_if_due(&f.x, c, t0 + 1000), 0);
	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline - 1), 0);
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->pending, 0);
	assert_non_null(c->deadline_ev);

	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 5000), 1);
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_TIME_UP);
	assert_int_equal(c->finished_at, deadline);
	assert_null(c->deadline_ev);
	assert_int_equal(c->total, 1);
	assert_int_equal(c->passed, 0);
	assert_int_equal(c->pending, 1);
	wait_durable(&f, c);

	assert_qs(f.ro, "finished", "SELECT status FROM attempts WHERE candidate_id = 3");
	assert_qs(f.ro, "time_up", "SELECT finish_reason FROM attempts WHERE candidate_id = 3");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 3"),
			 deadline);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 3"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 3"), 0);
	assert_int_equal(n_events(f.ro, 3, "finish"), 1);
	assert_qs(f.ro, "{\"reason\":\"time_up\",\"total\":1}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 3");
	assert_qs(f.ro, "system",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 3");
	assert_int_equal(
		qi(f.ro, -2, "SELECT actor_id FROM events WHERE kind = 'finish' AND candidate_id = 3"),
		-2);

	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 9000), 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(c->finished_at, deadline);
	fx_close(&f);
}

/* The deadline timer alone finishes an attempt through the event loop, with
 * no request: a 1 s exam, and 1 s + 1 s extra time; each finished at its own
 * deadline, time_up, by the system, never before the deadline. */
static void test_deadline_timer(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *a = f.c[5], *b = f.c[6];
	int64_t now = clock_now_ms();

	attempt_start(&f.x, a, now, NULL, NULL);
	attempt_start(&f.x, b, now, NULL, NULL);
	assert_non_null(a->deadline_ev);
	assert_true(timer_left_ms(a->deadline_ev) <= 1000 + 50);
	assert_true(timer_left_ms(b->deadline_ev) > 1500); /* its extra second counts */
	UNIT_WAIT_FOR(f.base, a->status == ATT_FINISHED && b->status == ATT_FINISHED && a->pending == 0 &&
				 b->pending == 0);
	assert_int_equal(a->status, ATT_FINISHED);
	assert_int_equal(b->status, ATT_FINISHED);
	assert_int_equal(a->pending, 0);
	assert_int_equal(b->pending, 0);
	assert_int_equal(a->reason, FINISH_TIME_UP);
	assert_int_equal(b->reason, FINISH_TIME_UP);
	assert_int_equal(a->finished_at, now + 1000);
	assert_int_equal(b->finished_at, now + 2000);
	assert_null(a->deadline_ev);
	assert_null(b->deadline_ev);

	assert_qs(f.ro, "time_up", "SELECT finish_reason FROM attempts WHERE candidate_id = 5");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 6"),
			 now + 2000);
	assert_qs(f.ro, "{\"reason\":\"time_up\",\"total\":0}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 5");
	assert_qs(f.ro, "system",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 6");
	/* The timer finished no earlier than the deadline, by the server clock. */
	assert_true(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish' AND candidate_id = 5") >=
		    now + 1000);
	assert_true(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish' AND candidate_id = 6") >=
		    now + 2000);
	fx_close(&f);
}

/* attempt_when_durable: at once (synchronously) when nothing is in flight,
 * submitting nothing; otherwise after the commit of what was submitted
 * before, in order. */
static void test_when_durable(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec tp = { 0 }, td = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());

	attempt_when_durable(&f.x, c, then_cb, &td);
	assert_int_equal(td.runs, 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(writer_backlog(f.x.w), 0);

	td = (struct then_rec){ .ro = f.ro };
	then_seq = 0;
	attempt_position(&f.x, c, 2, clock_now_ms(), then_cb, &tp);
	attempt_when_durable(&f.x, c, then_cb, &td);
	assert_int_equal(td.runs, 0);
	assert_int_equal(c->pending, 2);
	UNIT_WAIT_FOR(f.base, td.runs == 1);
	assert_int_equal(tp.runs, 1);
	assert_int_equal(td.runs, 1);
	assert_int_equal(tp.order, 1);
	assert_int_equal(td.order, 2);
	assert_int_equal(td.position, 2);
	assert_int_equal(td.pending, 0);
	fx_close(&f);
}

static void test_failed_write_breaks_candidate(void **state)
{
	struct fx f;
	struct then_rec t = { 0 }, t2 = { 0 };
	struct rt_candidate *ghost;
	(void)state;
	fx_open(&f, 1);
	ghost = add_candidate(&f.x.reg, f.e, 77, "0077", 0); /* RAM only */
	attempt_start(&f.x, ghost, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 0);
	assert_int_equal(ghost->broken, 1);
	assert_int_equal(ghost->pending, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = 77"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE candidate_id = 77"), 0);
	attempt_when_durable(&f.x, ghost, then_cb, &t2);
	assert_int_equal(t2.runs, 1);
	assert_int_equal(t2.ok, 0);
	/* The others carry on. */
	start_durable(&f, f.c[1], clock_now_ms());
	assert_int_equal(f.c[1]->broken, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = 1"), 1);
	fx_close(&f);
}

/* A pause stops the clock and the timer: the attempt does not expire while
 * paused, however late; the resume credits the paused time (ledger "pause",
 * credit_ms) and re-arms the timer; the events carry the staff actor and the
 * reason. */
/* attempt_replay (the demo's attempts taken offline): the same operations
 * as a live attempt, applied in one transaction without a writer thread:
 * the start, one answer event per answered question with its label, the
 * finish scored from RAM (as attempt_finish scores), times spread between
 * start and finish; a disqualified replay keeps its scores and never
 * passes. Nothing is in flight afterwards. */
static void test_replay(void **state)
{
	(void)state;
	struct fx f;
	struct wr_op *ops = NULL, **tail = &ops;
	char err[256] = "";
	sqlite3 *db;
	/* C (right), blank, E (5), A (5): 5 + 0, 5 + 5 as in test_finish_submitted */
	const int8_t labels[4] = { 2, -1, 4, 0 };
	const int8_t wrong[4] = { 0, 0, 0, 4 }; /* 0 + 0, 1 + 1 */
	int64_t t0 = 1795395500000, t1 = t0 + 600000;
	char *sj;

	fx_open(&f, 0);
	attempt_replay(f.c[1], labels, t0, t1, FINISH_SUBMITTED, NULL, &tail);
	attempt_replay(f.c[3], wrong, t0 + 1000, t1, FINISH_DISQUALIFIED, "joki", &tail);
	assert_int_equal(f.c[1]->status, ATT_FINISHED);
	assert_int_equal(f.c[1]->total, 15);
	assert_int_equal(f.c[1]->passed, 1);
	assert_int_equal(f.c[3]->total, 2);
	assert_int_equal(f.c[3]->passed, 0);
	assert_int_equal(f.c[1]->ans[0].label, 2);
	assert_int_equal(f.c[1]->ans[1].label, -1);
	db = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);
	if (wr_apply_now(db, ops, err, sizeof err))
		fail_msg("wr_apply_now: %s", err);
	db_close(db);
	assert_int_equal(f.c[1]->pending, 0);

	assert_qs(f.ro, "finished", "SELECT status FROM attempts WHERE candidate_id = 1");
	assert_qs(f.ro, "submitted", "SELECT finish_reason FROM attempts WHERE candidate_id = 1");
	assert_int_equal(qi(f.ro, -1, "SELECT started_at FROM attempts WHERE candidate_id = 1"), t0);
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 1"), t1);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 1"), 15);
	sj = attempt_scores_json(f.c[1]);
	assert_qs(f.ro, sj, "SELECT scores_json FROM attempts WHERE candidate_id = 1");
	free(sj);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM answers WHERE candidate_id = 1"), 3);
	assert_qs(f.ro, "C", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 1");
	assert_qs(f.ro, "A", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 4");
	assert_int_equal(n_events(f.ro, 1, "start"), 1);
	assert_int_equal(n_events(f.ro, 1, "answer"), 3);
	assert_int_equal(n_events(f.ro, 1, "finish"), 1);
	/* through the questions in order: a move to each of 2..4 */
	assert_int_equal(n_events(f.ro, 1, "position"), 3);
	assert_qs(f.ro, "1,2,3,3,4,4", "SELECT group_concat(n) FROM (SELECT n FROM events WHERE"
			" candidate_id = 1 AND kind IN ('position', 'answer') ORDER BY id)");
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE candidate_id = 1 AND kind = 'answer'"
				      " AND (at <= %lld OR at >= %lld)",
			    (long long)t0, (long long)t1),
			 0);
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE candidate_id = 1 AND kind = 'finish'");
	/* disqualified: the scores kept, not passing, the reason with the event */
	assert_qs(f.ro, "disqualified", "SELECT finish_reason FROM attempts WHERE candidate_id = 3");
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 3"), 2);
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 3"), 0);
	assert_qs(f.ro, "system", "SELECT actor_kind FROM events WHERE candidate_id = 3 AND kind = 'finish'");
	assert_qs(f.ro, "{\"note\":\"joki\",\"reason\":\"disqualified\",\"total\":2}",
		  "SELECT detail FROM events WHERE candidate_id = 3 AND kind = 'finish'");
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exam_open),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_answer_revisions),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_finish_submitted),
		cmocka_unit_test(test_expire_if_due),
		cmocka_unit_test(test_deadline_timer),
		cmocka_unit_test(test_when_durable),
		cmocka_unit_test(test_failed_write_breaks_candidate),
		cmocka_unit_test(test_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
