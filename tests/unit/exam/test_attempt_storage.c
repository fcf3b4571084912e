/* test_attempt_storage.c - attempts when the disk fails (issue 12;
 * server/exam/attempt.c): writes that fail for the storage report ok = 0
 * without breaking the candidate, RAM is reloaded from the database once no
 * write of the candidate is in flight, deadlines wait during the outage, and
 * the outage is credited when writing resumes. Faults come from the
 * fault-injection VFS compiled into this test (server/store/faultvfs.c).
 * Fixture: attempt_fx.h. */
#define UJIAN_FAULTS 1
#include "attempt_fx.h"
#include "exam/outage.h"
#include "store/faultvfs.h"

#include "../../../server/store/faultvfs.c"

/* The fixture with a writer, the read connection and the storage hook as
 * server.c wires them, outage credit on. */
static void open_storage_fx(struct fx *f)
{
	char err[256] = "";
	fx_open(f, 1);
	f->x.outage_credit = 1;
	f->x.rdb = db_open(f->path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(f->x.rdb);
	writer_on_storage(f->x.w, outage_storage_changed, &f->x);
}

static void close_storage_fx(struct fx *f)
{
	faultvfs_every(0, 0);
	writer_stop(f->x.w);
	f->x.w = NULL;
	mailbox_drain(f->mb);
	db_close(f->x.rdb);
	fx_close(f);
}

static void test_failed_writes_reloaded_and_credited(void **state)
{
	struct fx f;
	struct rt_candidate *c;
	struct then_rec t[4] = { { 0 } };
	struct answer_rec r1 = { .n = 1, .label = 3, .flagged = 1, .rev = 2 };
	struct answer_rec r2 = { .n = 2, .label = 1, .flagged = 0, .rev = 1 };
	int64_t deadline;
	(void)state;
	open_storage_fx(&f);
	c = f.c[1];
	start_durable(&f, c, clock_now_ms());
	answer_durable(&f, c, 1, 2, 1);
	deadline = registry_deadline(c);

	faultvfs_every(1, SQLITE_FULL);
	attempt_answer(&f.x, c, &r1, clock_now_ms(), then_cb, &t[0]);
	attempt_answer(&f.x, c, &r2, clock_now_ms(), then_cb, &t[1]);
	attempt_position(&f.x, c, 3, clock_now_ms(), then_cb, &t[2]);
	attempt_finish(&f.x, c, FINISH_SUBMITTED, clock_now_ms(), then_cb, &t[3]);
	assert_int_equal(c->status, ATT_FINISHED); /* RAM changed before the commit */
	UNIT_WAIT_FOR(f.base, t[3].runs == 1);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t[i].runs, 1);
		assert_int_equal(t[i].ok, 0);
	}
	/* Not broken: reloaded from the database, which holds the first answer
	 * and the start only. */
	assert_int_equal(c->broken, 0);
	assert_int_equal(c->stale, 0);
	assert_int_equal(c->pending, 0);
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->ans[0].label, 2);
	assert_int_equal(c->ans[0].flagged, 0);
	assert_int_equal(c->ans[0].rev, 1);
	assert_int_equal(c->ans[1].label, -1);
	assert_int_equal(c->ans[1].rev, 0);
	assert_int_equal(c->position, 1);
	assert_int_equal(registry_deadline(c), deadline);
	assert_non_null(c->deadline_ev);
	assert_true(event_pending(c->deadline_ev, EV_TIMEOUT, NULL));
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM answers WHERE candidate_id = 1"), 1);
	assert_int_equal(f.x.storage_down, 1);
	/* A deadline that falls due during the outage waits for the disk. */
	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 1000), 0);
	assert_int_equal(c->status, ATT_IN_PROGRESS);

	/* The disk comes back: the outage is credited, writes work again. */
	faultvfs_every(0, 0);
	UNIT_WAIT_FOR(f.base, f.x.storage_down == 0);
	assert_int_equal(f.x.storage_down, 0);
	wait_durable(&f, c);
	assert_true(c->credit_ms > 0);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 1"),
			 c->credit_ms);
	assert_int_equal(qi(f.ro, -1,
			    "SELECT count(*) FROM time_ledger WHERE candidate_id = 1"
			    " AND kind = 'storage_outage' AND delta_ms = %lld",
			    (long long)c->credit_ms),
			 1);
	assert_int_equal(n_events(f.ro, 1, "storage_outage"), 1);
	/* The probe's record of the outage is cleared after the credits. */
	UNIT_WAIT_FOR(f.base,
		      qi(f.ro, -1, "SELECT count(*) FROM meta WHERE key LIKE 'storage_outage%%'") == 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM meta WHERE key LIKE 'storage_outage%%'"),
			 0);
	/* Only running attempts are credited. */
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger WHERE candidate_id <> 1"),
			 0);
	answer_durable(&f, c, 2, 1, 1);
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM answers WHERE candidate_id = 1 AND n = 2"), 1);
	close_storage_fx(&f);
}

static void test_failed_start_is_not_started(void **state)
{
	struct fx f;
	struct rt_candidate *c;
	struct then_rec t = { 0 };
	(void)state;
	open_storage_fx(&f);
	c = f.c[2];
	faultvfs_every(1, SQLITE_IOERR_WRITE);
	attempt_start(&f.x, c, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.ok, 0);
	assert_int_equal(c->broken, 0);
	assert_int_equal(c->status, ATT_NOT_STARTED);
	assert_int_equal(c->started_at, 0);
	assert_null(c->deadline_ev);
	faultvfs_every(0, 0);
	UNIT_WAIT_FOR(f.base, f.x.storage_down == 0);
	start_durable(&f, c, clock_now_ms());
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = 2"), 1);
	close_storage_fx(&f);
}

/* Without a read connection a candidate cannot be reloaded: it is broken
 * (refused until a restart), as for a write left out on its own. */
static void test_no_read_connection_breaks(void **state)
{
	struct fx f;
	struct then_rec t = { 0 };
	struct answer_rec r = { .n = 1, .label = 1, .flagged = 0, .rev = 1 };
	(void)state;
	open_storage_fx(&f);
	start_durable(&f, f.c[3], clock_now_ms());
	db_close(f.x.rdb);
	f.x.rdb = NULL;
	faultvfs_every(1, SQLITE_FULL);
	attempt_answer(&f.x, f.c[3], &r, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.ok, 0);
	assert_int_equal(f.c[3]->broken, 1);
	close_storage_fx(&f);
}

/* A crash after the disk came back but before every credit was stored: the
 * probe's record of the outage (meta storage_outage_from/to) is still
 * there, so recovery credits it to the running attempts that lack their
 * storage_outage row, not again to those that have it, and clears it. */
static void test_recovery_credits_an_outage_still_owed(void **state)
{
	struct fx f;
	char err[256] = "";
	int64_t now = clock_now_ms(), from = now - 60000, to = now - 50000;
	sqlite3 *db;
	(void)state;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	db = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);
	for (int i = 1; i <= 3; i++) {
		f.c[i]->status = ATT_IN_PROGRESS;
		f.c[i]->started_at = i == 3 ? now - 55000 : now - 120000;
		f.c[i]->position = 1;
	}
	f.c[2]->credit_ms = 10000; /* its credit for this outage is stored */
	if (db_exec(db,
		    "INSERT INTO attempts (candidate_id, status, started_at, credit_ms) VALUES"
		    " (1, 'in_progress', 0, 0), (2, 'in_progress', 0, 10000),"
		    " (3, 'in_progress', 0, 0)",
		    err, sizeof err))
		fail_msg("%s", err);
	{
		char sql[256];
		snprintf(sql, sizeof sql,
			 "INSERT INTO time_ledger (candidate_id, at, kind, delta_ms, note)"
			 " VALUES (2, %lld, 'storage_outage', 10000, '')",
			 (long long)to);
		assert_int_equal(db_exec(db, sql, err, sizeof err), 0);
	}
	assert_int_equal(db_meta_set(db, "storage_outage_from", from), 0);
	assert_int_equal(db_meta_set(db, "storage_outage_to", to), 0);
	assert_int_equal(db_meta_set(db, "storage_outage_owed", to - from), 0);
	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);
	assert_int_equal(f.c[1]->credit_ms, 10000);
	assert_int_equal(f.c[2]->credit_ms, 10000);
	assert_int_equal(f.c[3]->credit_ms, 5000); /* started during the outage */
	assert_int_equal(qi(f.ro, -1,
			    "SELECT delta_ms FROM time_ledger WHERE candidate_id = 1"
			    " AND kind = 'storage_outage'"),
			 10000);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger WHERE candidate_id = 2"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 3"),
			 5000);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM meta WHERE key LIKE 'storage_outage%%'"),
			 0);
	db_close(db);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_writes_reloaded_and_credited),
		cmocka_unit_test(test_failed_start_is_not_started),
		cmocka_unit_test(test_no_read_connection_breaks),
		cmocka_unit_test(test_recovery_credits_an_outage_still_owed),
	};
	if (faultvfs_install() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
