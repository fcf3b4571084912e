/* test_attempt_time.c - the attempt's clock beyond the deadline: start-up
 * recovery (outage credit, finishing what ran out) and the proctors' changes
 * (pause and resume, a credit, ending by a proctor, disqualification)
 * (server/exam/attempt.c). Fixture: attempt_fx.h. */
#include "attempt_fx.h"

/* ---- recovery ---- */

#define T_NOW 1795395600000LL /* the pinned clock of the recovery tests */

/* The attempts row matching c's RAM state. */
static void put_attempt(sqlite3 *db, const struct rt_candidate *c)
{
	char sql[256], err[256] = "";
	snprintf(sql, sizeof sql,
		 "INSERT INTO attempts (candidate_id, status, started_at, credit_ms) VALUES"
		 " (%lld, '%s', %lld, %lld)",
		 (long long)c->id, attempt_status_names[c->status], (long long)c->started_at,
		 (long long)c->credit_ms);
	if (db_exec(db, sql, err, sizeof err))
		fail_msg("%s", err);
}

/* Candidates 1-4 on the 3600 s exam, as a restart finds them at T_NOW with
 * the server last alive at T_NOW - 60 s:
 *   1 running since T-10 min (deadline far ahead);
 *   2 running, deadline T-100 s: ran out before the server stopped;
 *   3 running, deadline T-30 s: ran out while the server was down;
 *   4 running, started T-10 s: after the last heartbeat;
 *   5 finished earlier; 6 not started. */
static sqlite3 *recovery_setup(struct fx *f, int64_t heartbeat)
{
	char err[256] = "";
	sqlite3 *db = db_open(f->path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);
	int64_t started[5] = { 0, T_NOW - 600000, T_NOW - 3700000, T_NOW - 3630000, T_NOW - 10000 };
	for (int i = 1; i <= 4; i++) {
		f->c[i]->status = ATT_IN_PROGRESS;
		f->c[i]->started_at = started[i];
		f->c[i]->position = 1;
		put_attempt(db, f->c[i]);
	}
	f->c[2]->ans[0].label = 2; /* right: 5 */
	f->c[2]->ans[0].rev = 1;
	f->c[5]->status = ATT_FINISHED;
	f->c[5]->reason = FINISH_SUBMITTED;
	f->c[5]->started_at = T_NOW - 900000;
	f->c[5]->finished_at = T_NOW - 899000;
	put_attempt(db, f->c[5]);
	assert_int_equal(db_exec(db,
				 "UPDATE attempts SET status = 'finished', finished_at = 1,"
				 " finish_reason = 'submitted' WHERE candidate_id = 5",
				 err, sizeof err),
			 0);
	/* An older event: the heartbeat is the last sign of life. */
	assert_int_equal(db_exec(db,
				 "INSERT INTO events (at, candidate_id, kind, actor_kind)"
				 " VALUES (1795395500000, 1, 'login', 'candidate')",
				 err, sizeof err),
			 0);
	if (heartbeat)
		assert_int_equal(db_meta_set(db, "heartbeat_ms", heartbeat), 0);
	return db;
}

static int64_t credit_of(sqlite3 *db, int64_t cand)
{
	return qi(db, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = %lld", (long long)cand);
}

static void check_finished_by_recovery(struct fx *f, struct rt_candidate *c, int64_t deadline,
				       int total)
{
	char want[64];
	char sql[160];
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_TIME_UP);
	assert_int_equal(c->finished_at, deadline);
	assert_int_equal(c->total, total);
	assert_null(c->deadline_ev);
	assert_int_equal(qi(f->ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = %lld",
			    (long long)c->id),
			 deadline);
	snprintf(sql, sizeof sql, "SELECT finish_reason FROM attempts WHERE candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "time_up", sql);
	snprintf(sql, sizeof sql, "SELECT status FROM attempts WHERE candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "finished", sql);
	assert_int_equal(n_events(f->ro, c->id, "finish"), 1);
	snprintf(want, sizeof want, "{\"reason\":\"time_up\",\"total\":%d}", total);
	snprintf(sql, sizeof sql, "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, want, sql);
	snprintf(sql, sizeof sql,
		 "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "system", sql);
	assert_int_equal(qi(f->ro, -2,
			    "SELECT actor_id FROM events WHERE kind = 'finish' AND candidate_id = %lld",
			    (long long)c->id),
			 -2);
}

static void check_credit(struct fx *f, struct rt_candidate *c, int64_t delta)
{
	char want[64], sql[200];
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->credit_ms, delta);
	assert_int_equal(credit_of(f->ro, c->id), delta);
	assert_int_equal(qi(f->ro, -1, "SELECT count(*) FROM time_ledger WHERE candidate_id = %lld",
			    (long long)c->id),
			 1);
	assert_int_equal(qi(f->ro, -1,
			    "SELECT delta_ms FROM time_ledger WHERE candidate_id = %lld"
			    " AND kind = 'outage_credit' AND at = %lld",
			    (long long)c->id, T_NOW),
			 delta);
	char *note = qs(f->ro, "SELECT note FROM time_ledger WHERE candidate_id = %lld",
			(long long)c->id);
	assert_non_null(note);
	assert_true(strlen(note) > 0);
	free(note);
	assert_int_equal(n_events(f->ro, c->id, "outage_credit"), 1);
	snprintf(want, sizeof want, "{\"delta_ms\":%lld}", (long long)delta);
	snprintf(sql, sizeof sql,
		 "SELECT detail FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, want, sql);
	snprintf(sql, sizeof sql,
		 "SELECT actor_kind FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "system", sql);
	assert_int_equal(qi(f->ro, -1,
			    "SELECT at FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
			    (long long)c->id),
			 T_NOW);
	assert_non_null(c->deadline_ev);
	assert_true(event_pending(c->deadline_ev, EV_TIMEOUT, NULL));
}

/* Outage credit on: running attempts get the downtime since the last
 * heartbeat (or since their start, if later) in RAM and in the database,
 * with a ledger row and an 'outage_credit' event; an attempt whose time ran
 * out before the server stopped is finished at its deadline exactly as the
 * timer would (time_up, by the system); finished and unstarted candidates are
 * untouched; the timers are armed; recovery writes its own heartbeat. */
static void test_recover_with_credit(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);

	check_credit(&f, f.c[1], 60000);
	check_finished_by_recovery(&f, f.c[2], T_NOW - 100000, 5);
	check_credit(&f, f.c[3], 60000); /* was still running when the server stopped */
	assert_int_equal(registry_deadline(f.c[3]), T_NOW + 30000);
	check_credit(&f, f.c[4], 10000); /* from its start */
	assert_int_equal(f.c[5]->status, ATT_FINISHED);
	assert_int_equal(f.c[5]->credit_ms, 0);
	assert_null(f.c[5]->deadline_ev);
	assert_int_equal(f.c[6]->status, ATT_NOT_STARTED);
	assert_null(f.c[6]->deadline_ev);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE candidate_id IN (5, 6)"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 3);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE kind = 'finish'"), 1);
	assert_int_equal(db_meta_get(f.ro, "heartbeat_ms"), T_NOW);
	assert_int_equal(f.c[1]->pending, 0);
	assert_int_equal(f.c[2]->pending, 0);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* A committed event later than the heartbeat is a later sign of life: the
 * credit starts there. */
static void test_recover_event_after_heartbeat(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	assert_int_equal(db_exec(db,
				 "INSERT INTO events (at, candidate_id, kind, actor_kind)"
				 " VALUES (1795395580000, 1, 'answer', 'candidate')",
				 err, sizeof err),
			 0);
	clock_set_fake(T_NOW);
	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);
	check_credit(&f, f.c[1], 20000);
	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* Outage credit off: no credit, no ledger rows, no credit events; every
 * attempt whose deadline has passed by now is finished at its deadline, the
 * one that ran out during the downtime too, with the same finish event. */
static void test_recover_without_credit(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 0;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);

	assert_int_equal(f.c[1]->status, ATT_IN_PROGRESS);
	assert_int_equal(f.c[1]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 1), 0);
	assert_non_null(f.c[1]->deadline_ev);
	assert_int_equal(f.c[4]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 4), 0);
	check_finished_by_recovery(&f, f.c[2], T_NOW - 100000, 5);
	check_finished_by_recovery(&f, f.c[3], T_NOW - 30000, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE kind = 'outage_credit'"), 0);
	assert_int_equal(db_meta_get(f.ro, "heartbeat_ms"), T_NOW);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* Outage credit on but no sign of life at all (no heartbeat, no event): no
 * credit can be computed; overdue attempts are still finished. */
static void test_recover_no_heartbeat(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, 0);
	assert_int_equal(db_exec(db, "DELETE FROM events", err, sizeof err), 0);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);
	assert_int_equal(f.c[1]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 1), 0);
	check_finished_by_recovery(&f, f.c[3], T_NOW - 30000, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 0);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* A write the writer has to leave out (here: a start for a candidate the
 * database does not have, so the foreign key fails) is never reported as
 * durable: then runs once with ok = 0, nothing is stored, the candidate is
 * marked broken and every later barrier for it reports ok = 0 at once;
 * other candidates are not affected. */
static void test_pause_resume(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[3];
	struct actor staff = { ACTOR_STAFF, 42 };
	int64_t t0 = clock_now_ms();

	start_durable(&f, c, t0);
	int64_t deadline = registry_deadline(c);
	attempt_pause(&f.x, c, staff, "Listrik padam", t0 + 1000, NULL, NULL);
	assert_int_equal(c->paused_at, t0 + 1000);
	assert_string_equal(c->pause_reason, "Listrik padam");
	assert_false(evtimer_pending(c->deadline_ev, NULL));
	/* Long past the deadline: a paused attempt does not expire. */
	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 60000), 0);
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT paused_at FROM attempts WHERE candidate_id = 3"),
			 t0 + 1000);
	assert_qs(f.ro, "{\"reason\":\"Listrik padam\"}",
		  "SELECT detail FROM events WHERE kind = 'paused'");
	assert_qs(f.ro, "staff", "SELECT actor_kind FROM events WHERE kind = 'paused'");

	attempt_resume(&f.x, c, staff, "Listrik menyala", t0 + 61000, NULL, NULL);
	assert_int_equal(c->paused_at, 0);
	assert_null(c->pause_reason);
	assert_int_equal(c->credit_ms, 60000);
	assert_int_equal(registry_deadline(c), deadline + 60000);
	assert_true(evtimer_pending(c->deadline_ev, NULL));
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 3"), 60000);
	assert_int_equal(qi(f.ro, 0, "SELECT count(*) FROM attempts WHERE paused_at IS NOT NULL"), 0);
	assert_qs(f.ro, "pause", "SELECT kind FROM time_ledger WHERE candidate_id = 3");
	assert_int_equal(qi(f.ro, -1, "SELECT delta_ms FROM time_ledger WHERE candidate_id = 3"),
			 60000);
	assert_int_equal(n_events(f.ro, 3, "resumed"), 1);
	fx_close(&f);
}

/* A proctor's credit moves the deadline; ending by a proctor scores; a
 * disqualification keeps the scores and never passes, and ends a pause. */
static void test_credit_and_end_by(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *a = f.c[3], *b = f.c[4];
	struct actor staff = { ACTOR_STAFF, 7 };
	int64_t t0 = clock_now_ms();

	start_durable(&f, a, t0);
	start_durable(&f, b, t0);
	int64_t deadline = registry_deadline(a);
	attempt_credit(&f.x, a, 300000, "proctor_extend", staff, "PC beku", t0, NULL, NULL);
	assert_int_equal(registry_deadline(a), deadline + 300000);
	wait_durable(&f, a);
	assert_qs(f.ro, "proctor_extend", "SELECT kind FROM time_ledger WHERE candidate_id = 3");
	assert_qs(f.ro, "PC beku", "SELECT note FROM time_ledger WHERE candidate_id = 3");

	/* b answers everything best: it would pass. */
	answer_durable(&f, b, 1, 2, 1);
	answer_durable(&f, b, 2, 3, 1);
	answer_durable(&f, b, 3, 4, 1);
	answer_durable(&f, b, 4, 0, 1);
	attempt_pause(&f.x, b, staff, "cek", t0 + 10, NULL, NULL);
	attempt_end_by(&f.x, b, FINISH_DISQUALIFIED, staff, "Joki", t0 + 20, NULL, NULL);
	assert_int_equal(b->status, ATT_FINISHED);
	assert_int_equal(b->paused_at, 0);
	assert_int_equal(b->total, 20);
	assert_int_equal(b->passed, 0);
	wait_durable(&f, b);
	assert_qs(f.ro, "disqualified", "SELECT finish_reason FROM attempts WHERE candidate_id = 4");
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 4"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 4"), 20);
	assert_qs(f.ro, "{\"note\":\"Joki\",\"reason\":\"disqualified\",\"total\":20}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 4");

	attempt_end_by(&f.x, a, FINISH_PROCTOR, staff, NULL, t0 + 30, NULL, NULL);
	wait_durable(&f, a);
	assert_qs(f.ro, "proctor", "SELECT finish_reason FROM attempts WHERE candidate_id = 3");
	assert_qs(f.ro, "staff",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 3");
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recover_with_credit),
		cmocka_unit_test(test_recover_event_after_heartbeat),
		cmocka_unit_test(test_recover_without_credit),
		cmocka_unit_test(test_recover_no_heartbeat),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_credit_and_end_by),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
