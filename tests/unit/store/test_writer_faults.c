/* test_writer_faults.c - the writer under storage faults (issue 12;
 * server/store/writer.c): disk full and I/O errors fail the batch (rolled
 * back, every op WR_FAILED_STORAGE) instead of aborting; ops queued during
 * the outage fail at once; a probe resumes writing by itself; barriers do
 * not fail; the storage hook hears both transitions. Faults come from the
 * fault-injection VFS (server/store/faultvfs.c, compiled into this test with
 * UJIAN_FAULTS), which also gets a test of its own truncation fault. */
#define UJIAN_FAULTS 1
#include "unit.h"
#include "unit_loop.h"

#include "bounds.h"
#include "core/mailbox.h"
#include "store/db.h"
#include "store/faultvfs.h"
#include "store/writer.h"

#include "../../../server/store/faultvfs.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx {
	char dir[64];
	char path[128];
	struct event_base *base;
	struct mailbox *mb;
	struct event *tick;
	sqlite3 *ro;
	struct writer *w;
	/* the storage hook's reports */
	int downs, ups;
	int64_t since, back;
};

static void fx_open(struct fx *f)
{
	char err[256] = "";
	sqlite3 *db;
	memset(f, 0, sizeof *f);
	assert_int_equal(faultvfs_install(), 0);
	faultvfs_every(0, 0);
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-wfault-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	if (!db)
		fail_msg("db_open: %s", err);
	if (db_migrate(db, err, sizeof err) ||
	    db_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)", err,
		    sizeof err))
		fail_msg("schema: %s", err);
	db_close(db);
	f->ro = db_open(f->path, DB_OPEN_READONLY, err, sizeof err);
	assert_non_null(f->ro);
	f->base = event_base_new();
	f->mb = mailbox_new(f->base);
	f->tick = unit_add_tick(f->base, 10000);
	f->w = writer_start(f->path, f->mb, 0, 0, err, sizeof err);
	if (!f->w)
		fail_msg("writer_start: %s", err);
}

static void fx_close(struct fx *f)
{
	char p[160];
	faultvfs_every(0, 0);
	writer_stop(f->w);
	mailbox_drain(f->mb);
	db_close(f->ro);
	event_free(f->tick);
	mailbox_free(f->mb);
	event_base_free(f->base);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	assert_int_equal(rmdir(f->dir), 0);
}

static void fx_hook(void *arg, int ok, int64_t since, int64_t now)
{
	struct fx *f = arg;
	if (ok) {
		f->ups++;
		f->back = now;
		assert_true(now >= since);
	} else {
		f->downs++;
	}
	f->since = since;
}

/* meta.key on the observer connection, -1 if absent. */
static int64_t meta_v(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st,
					    NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* v of row k on the observer connection, -1 if absent. */
static int64_t row_v(sqlite3 *db, int k)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT v FROM t WHERE k = ?", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int(st, 1, k);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- the test's operation: INSERT (k, v) into t ---- */

struct top {
	struct wr_op op;
	int k, v;
	int done, failed;
};

static const char ins_sql[] = "INSERT INTO t (k, v) VALUES (?1, ?2)";

static int top_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct top *t = (struct top *)op;
	sqlite3_stmt *st = wr_stmt(tx, ins_sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, t->k);
	sqlite3_bind_int(st, 2, t->v);
	return wr_step(st);
}

static void top_done(struct wr_op *op)
{
	struct top *t = (struct top *)op;
	t->done = 1;
	t->failed = op->failed;
}

static void top_keep(struct wr_op *op)
{
	(void)op; /* the test owns its ops */
}

static void submit(struct fx *f, struct top *t, int k, int v, int barrier)
{
	memset(t, 0, sizeof *t);
	wr_op_init(&t->op, barrier ? NULL : top_apply, actor_system(), 0);
	t->op.done = top_done;
	t->op.release = top_keep;
	t->k = k;
	t->v = v;
	writer_submit(f->w, &t->op);
}

/* ---- tests ---- */

static void test_disk_full_fails_batch_then_resumes(void **state)
{
	struct fx f;
	struct top a, b, c, d, bar, e;
	(void)state;
	fx_open(&f);
	writer_on_storage(f.w, fx_hook, &f);

	submit(&f, &a, 1, 10, 0);
	UNIT_WAIT_FOR(f.base, a.done);
	assert_int_equal(a.failed, 0);
	assert_true(writer_storage_ok(f.w));

	faultvfs_every(1, SQLITE_FULL);
	submit(&f, &b, 2, 20, 0);
	submit(&f, &c, 3, 30, 0);
	UNIT_WAIT_FOR(f.base, b.done && c.done && f.downs == 1);
	assert_int_equal(b.failed, WR_FAILED_STORAGE);
	assert_int_equal(c.failed, WR_FAILED_STORAGE);
	assert_false(writer_storage_ok(f.w));
	assert_true(writer_storage_failures(f.w) >= 1);
	assert_int_equal(f.downs, 1);

	/* During the outage: ops fail, a barrier does not (it writes
	 * nothing); still one "down" report. */
	submit(&f, &d, 4, 40, 0);
	submit(&f, &bar, 0, 0, 1);
	UNIT_WAIT_FOR(f.base, d.done && bar.done);
	assert_int_equal(d.failed, WR_FAILED_STORAGE);
	assert_int_equal(bar.failed, 0);
	assert_true(writer_storage_refused(f.w) >= 3);
	assert_int_equal(f.downs, 1);

	/* Nothing of the failed ops is stored; the acknowledged row is. */
	assert_int_equal(row_v(f.ro, 1), 10);
	assert_int_equal(row_v(f.ro, 2), -1);
	assert_int_equal(row_v(f.ro, 3), -1);
	assert_int_equal(row_v(f.ro, 4), -1);

	/* Space returns: the probe finds it, writing resumes by itself. */
	faultvfs_every(0, 0);
	UNIT_WAIT_FOR(f.base, f.ups == 1);
	assert_int_equal(f.ups, 1);
	assert_true(writer_storage_ok(f.w));
	assert_true(f.back >= f.since);
	/* The probe recorded the outage for whoever credits it. */
	assert_int_equal(meta_v(f.ro, "storage_outage_from"), f.since);
	assert_int_equal(meta_v(f.ro, "storage_outage_to"), f.back);
	assert_int_equal(meta_v(f.ro, "storage_outage_owed"), f.back - f.since);
	submit(&f, &e, 2, 21, 0); /* the client's retry */
	UNIT_WAIT_FOR(f.base, e.done);
	assert_int_equal(e.failed, 0);
	assert_int_equal(row_v(f.ro, 2), 21);
	assert_int_equal(row_v(f.ro, 1), 10);
	fx_close(&f);
}

/* One failing call of each kind the commit makes: the N-th write (disk full)
 * and the next sync (an fsync I/O error). Each fails its batch, nothing of it
 * is stored, and the writer comes back by itself (the fault was once). */
static void test_nth_write_and_sync_fault(void **state)
{
	static const struct {
		enum faultvfs_kind kind;
		int code;
	} cases[] = { { FAULT_WRITE, SQLITE_FULL }, { FAULT_WRITE, SQLITE_IOERR_WRITE },
		      { FAULT_SYNC, SQLITE_IOERR_WRITE } };
	struct fx f;
	int64_t first_since = 0, owed = 0;
	(void)state;
	fx_open(&f);
	writer_on_storage(f.w, fx_hook, &f);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct top bad, good;
		long injected = faultvfs_injected();
		faultvfs_arm(cases[i].kind, 1, cases[i].code);
		submit(&f, &bad, 100 + (int)i, 1, 0);
		UNIT_WAIT_FOR(f.base, bad.done);
		assert_int_equal(bad.failed, WR_FAILED_STORAGE);
		assert_int_equal(faultvfs_injected(), injected + 1);
		UNIT_WAIT_FOR(f.base, f.ups == (int)i + 1);
		assert_int_equal(f.downs, (int)i + 1);
		assert_int_equal(row_v(f.ro, 100 + (int)i), -1);
		submit(&f, &good, 200 + (int)i, 2, 0);
		UNIT_WAIT_FOR(f.base, good.done);
		assert_int_equal(good.failed, 0);
		assert_int_equal(row_v(f.ro, 200 + (int)i), 2);
		/* Not cleared (no domain here): the record keeps the first
		 * outage's start and sums the time owed. */
		if (i == 0) {
			first_since = f.since;
			owed = 0;
		}
		owed += f.back - f.since;
		assert_int_equal(meta_v(f.ro, "storage_outage_from"), first_since);
		assert_int_equal(meta_v(f.ro, "storage_outage_to"), f.back);
		assert_int_equal(meta_v(f.ro, "storage_outage_owed"), owed);
	}
	fx_close(&f);
}

/* Stopping while storage is unavailable neither hangs nor aborts: queued
 * ops complete as failed. */
static void test_stop_during_outage(void **state)
{
	struct fx f;
	struct top a, b;
	(void)state;
	fx_open(&f);
	faultvfs_every(1, SQLITE_IOERR_WRITE);
	submit(&f, &a, 1, 1, 0);
	submit(&f, &b, 2, 2, 0);
	writer_stop(f.w);
	mailbox_drain(f.mb);
	assert_int_equal(a.done && b.done, 1);
	assert_int_equal(a.failed, WR_FAILED_STORAGE);
	assert_int_equal(b.failed, WR_FAILED_STORAGE);
	faultvfs_every(0, 0);
	{
		char err[256];
		f.w = writer_start(f.path, f.mb, 0, 0, err, sizeof err); /* for fx_close */
		assert_non_null(f.w);
	}
	assert_int_equal(row_v(f.ro, 1), -1);
	fx_close(&f);
}

/* The shim's truncation fault: a WAL truncation (checkpoint TRUNCATE)
 * reports the injected code. */
static void test_truncate_fault(void **state)
{
	struct fx f;
	struct top a;
	sqlite3 *db;
	char err[256];
	int rc;
	(void)state;
	fx_open(&f);
	submit(&f, &a, 1, 1, 0);
	UNIT_WAIT_FOR(f.base, a.done);
	db = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);
	long before = faultvfs_calls(FAULT_TRUNCATE);
	faultvfs_arm(FAULT_TRUNCATE, 1, SQLITE_FULL);
	rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	assert_true(faultvfs_calls(FAULT_TRUNCATE) > before);
	assert_int_equal(rc & 0xff, SQLITE_FULL);
	db_close(db);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disk_full_fails_batch_then_resumes),
		cmocka_unit_test(test_nth_write_and_sync_fault),
		cmocka_unit_test(test_stop_during_outage),
		cmocka_unit_test(test_truncate_fault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
