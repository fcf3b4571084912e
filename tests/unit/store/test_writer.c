/* test_writer.c - the domain-blind writer thread: group commit, completions
 * after the commit, isolation of failing operations, barriers, the pending
 * counter, the queue cap, the heartbeat, wr_apply_now (server/store/writer.c).
 *
 * The operations are this test's own: rows of a table t (k, v). To see
 * transactions from outside, the apply function registers a commit hook on
 * the writer's connection (sqlite3_db_handle of a statement from wr_stmt)
 * that counts commits; each op records that count when it is applied, so ops
 * with the same count were applied in the same transaction. A read-only
 * second connection checks, from the done callbacks, that rows are durable. */
#include "unit.h"
#include "unit_loop.h"

#include "bounds.h"
#include "core/clock.h"
#include "core/mailbox.h"
#include "core/mem.h"
#include "store/db.h"
#include "store/writer.h"

#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POOL_MAX 2100

/* ---- helpers ---- */

/* A temporary database with the schema and a table t, a loop, a mailbox and
 * a read-only observer connection. */
struct fx {
	char dir[64];
	char path[128];
	struct event_base *base;
	struct mailbox *mb;
	struct event *tick;
	sqlite3 *ro;
};

static void fx_open(struct fx *f)
{
	char err[256] = "";
	sqlite3 *db;
	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-writer-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	if (!db)
		fail_msg("db_open: %s", err);
	if (db_migrate(db, err, sizeof err))
		fail_msg("db_migrate: %s", err);
	if (db_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)", err,
		    sizeof err))
		fail_msg("create t: %s", err);
	db_close(db);
	f->ro = db_open(f->path, DB_OPEN_READONLY, err, sizeof err);
	if (!f->ro)
		fail_msg("read-only open: %s", err);
	f->base = event_base_new();
	assert_non_null(f->base);
	f->mb = mailbox_new(f->base);
	assert_non_null(f->mb);
	f->tick = unit_add_tick(f->base, 10000);
}

static void fx_close(struct fx *f)
{
	char p[160];
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

static struct writer *start_writer(struct fx *f, int heartbeat, long queue_max)
{
	char err[256] = "";
	struct writer *w = writer_start(f->path, f->mb, heartbeat, queue_max, err, sizeof err);
	if (!w)
		fail_msg("writer_start: %s", err);
	return w;
}

/* The first column of the first row of sql (an integer), or dflt when there is no row. */
static int64_t q1(sqlite3 *db, const char *sql, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* v of row k as seen by db, or -1 if there is no such row. */
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

static int64_t n_rows(sqlite3 *db)
{
	return q1(db, "SELECT count(*) FROM t", -1);
}

/* ---- the gate: an apply that waits until the test lets it go ---- */

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_entered, gate_is_open;

static void gate_reset(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_entered = gate_is_open = 0;
	pthread_mutex_unlock(&gate_mu);
}

/* Writer thread: say we are inside the apply, wait for the gate. */
static void gate_pass(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_entered = 1;
	pthread_cond_broadcast(&gate_cv);
	while (!gate_is_open)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
}

/* Test thread: 1 once the writer is held at the gate (deadline UNIT_DEADLINE_MS). */
static int gate_wait_entered(void)
{
	struct timespec ts;
	int r;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += UNIT_DEADLINE_MS / 1000;
	pthread_mutex_lock(&gate_mu);
	while (!gate_entered)
		if (pthread_cond_timedwait(&gate_cv, &gate_mu, &ts) == ETIMEDOUT)
			break;
	r = gate_entered;
	pthread_mutex_unlock(&gate_mu);
	return r;
}

static void gate_open(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_is_open = 1;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

/* ---- the test's operation ---- */

enum tmode {
	T_INSERT,            /* INSERT (k, v) */
	T_GATE,              /* wait at the gate, then INSERT (k, v) */
	T_NULL_AFTER_INSERT, /* INSERT (k, v), then an INSERT with v NULL: NOT NULL fails */
	T_FAIL_NOSQL,        /* INSERT (k, v), then return -1 without a SQLite error */
	T_FAIL_PURE,         /* return -1 at once, no SQLite call at all */
	T_RETURNING,         /* INSERT (k, v) ... RETURNING k: a statement that yields a row */
};

struct top {
	struct wr_op op;
	enum tmode mode;
	int seq; /* submission index */
	int k, v;
	/* writer thread (each apply overwrites: the last one is the committed one) */
	long batch; /* commits counted when applied */
	int in_tx;  /* the connection was inside a transaction */
	int applies;
	/* loop thread, in done */
	int done_runs;
	int ran_on;          /* cur_loop when done ran */
	int pending_at_done; /* *op->pending inside done, -1 without a counter */
	int visible_at_done; /* the row (k, v) was readable on the observer connection */
	long commits_at_done;
	int64_t last_commit_at_done;
	int prior_all_visible; /* barriers: every earlier op's row was readable */
	int n_done_before;
};

static struct top pool[POOL_MAX];
static int n_pool;
static atomic_long n_commits;
static struct fx *g_fx;
static struct writer *g_w;
static int done_log[POOL_MAX];
static int n_done, n_released, cur_loop;

static int commit_hook(void *arg)
{
	(void)arg;
	atomic_fetch_add(&n_commits, 1);
	return 0; /* 0: let the commit proceed */
}

static const char sql_ins[] = "INSERT INTO t (k, v) VALUES (?1, ?2)";
static const char sql_ins_ret[] = "INSERT INTO t (k, v) VALUES (?1, ?2) RETURNING k";

static int t_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct top *t = (struct top *)op;
	sqlite3_stmt *st;
	sqlite3 *db;

	t->applies++;
	if (t->mode == T_FAIL_PURE)
		return -1;
	if (!(st = wr_stmt(tx, t->mode == T_RETURNING ? sql_ins_ret : sql_ins)))
		return -1;
	db = sqlite3_db_handle(st);
	sqlite3_commit_hook(db, commit_hook, NULL);
	t->in_tx = !sqlite3_get_autocommit(db);
	t->batch = atomic_load(&n_commits);
	if (t->mode == T_GATE)
		gate_pass();
	sqlite3_bind_int(st, 1, t->k);
	sqlite3_bind_int(st, 2, t->v);
	if (wr_step(st))
		return -1;
	if (t->mode == T_NULL_AFTER_INSERT) {
		if (!(st = wr_stmt(tx, sql_ins)))
			return -1;
		sqlite3_bind_int(st, 1, t->k + 1000000); /* ?2 stays NULL */
		return wr_step(st);
	}
	return t->mode == T_FAIL_NOSQL ? -1 : 0;
}

static void log_done(struct top *t)
{
	t->done_runs++;
	t->ran_on = cur_loop;
	t->pending_at_done = t->op.pending ? *t->op.pending : -1;
	t->commits_at_done = atomic_load(&n_commits);
	t->last_commit_at_done = g_w ? writer_last_commit_ms(g_w) : 0;
	t->n_done_before = n_done;
	done_log[n_done++] = t->seq;
}

static void t_done(struct wr_op *op)
{
	struct top *t = (struct top *)op;
	t->visible_at_done = row_v(g_fx->ro, t->k) == t->v;
	log_done(t);
}

/* A barrier's done: is every op submitted before it readable now? */
static void b_done(struct wr_op *op)
{
	struct top *t = (struct top *)op;
	t->prior_all_visible = 1;
	for (int i = 0; i < t->seq; i++)
		if (pool[i].op.apply && !pool[i].op.failed && row_v(g_fx->ro, pool[i].k) != pool[i].v)
			t->prior_all_visible = 0;
	log_done(t);
}

/* The pool owns the ops: release only counts. */
static void t_release(struct wr_op *op)
{
	(void)op;
	n_released++;
}

static void reset_all(struct fx *f)
{
	memset(pool, 0, sizeof pool);
	memset(done_log, 0xff, sizeof done_log);
	n_pool = n_done = n_released = 0;
	cur_loop = 1;
	atomic_store(&n_commits, 0);
	g_fx = f;
	g_w = NULL;
	gate_reset();
}

/* The next op of the pool: mode, row (k, v); seq is its index. */
static struct top *top_new(enum tmode mode, int k, int v)
{
	struct top *t;
	assert_true(n_pool < POOL_MAX);
	t = &pool[n_pool];
	wr_op_init(&t->op, t_apply, actor_system(), clock_now_ms());
	t->op.done = t_done;
	t->op.release = t_release;
	t->mode = mode;
	t->seq = n_pool++;
	t->k = k;
	t->v = v;
	return t;
}

static struct top *barrier_new(void)
{
	struct top *t = top_new(T_INSERT, 0, 0);
	t->op.apply = NULL;
	t->op.done = b_done;
	return t;
}

/* Submit op 0 as a gate and wait until the writer is held inside its apply:
 * everything submitted next queues up and goes into one batch. */
static void submit_gate(struct writer *w, int k)
{
	writer_submit(w, &top_new(T_GATE, k, k)->op);
	assert_true(gate_wait_entered());
}

static void assert_done_in_order(int n)
{
	assert_int_equal(n_done, n);
	for (int i = 0; i < n; i++)
		if (done_log[i] != i)
			fail_msg("completion %d was op %d", i, done_log[i]);
}

static void stop_writer(struct fx *f, struct writer *w)
{
	writer_stop(w);
	mailbox_drain(f->mb);
	g_w = NULL;
}

/* ---- tests ---- */

/* writer_start on a missing database fails with a message and no thread. */
static void test_start_missing_db(void **state)
{
	(void)state;
	char err[256] = "";
	struct event_base *base = event_base_new();
	struct mailbox *mb = mailbox_new(base);
	assert_non_null(mb);
	assert_null(writer_start("/nonexistent-dir-ujian/x.db", mb, 1, 0, err, sizeof err));
	assert_true(strstr(err, "/nonexistent-dir-ujian/x.db") != NULL);
	mailbox_free(mb);
	event_base_free(base);
}

/* (a) Ops complete once each, in submission order, on the loop, inside a
 * transaction, and only after the commit: from its done callback each op's
 * row is readable on another connection, and the commit that carried it has
 * been counted. */
static void test_completes_in_order_after_commit(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20; i++) {
			int seq = n_pool;
			writer_submit(w, &top_new(T_INSERT, seq + 1, 1000 + seq)->op);
		}
		assert_true(event_base_loop(f.base, EVLOOP_NONBLOCK) >= 0); /* vary the batches */
	}
	UNIT_WAIT_FOR(f.base, n_done == 60);
	assert_done_in_order(60);
	for (int i = 0; i < 60; i++) {
		struct top *t = &pool[i];
		assert_int_equal(t->done_runs, 1);
		assert_int_equal(t->op.failed, 0);
		assert_int_equal(t->ran_on, 1);
		assert_true(t->in_tx);
		assert_true(t->visible_at_done);
		assert_true(t->commits_at_done > t->batch); /* its commit happened before done */
		if (i > 0)
			assert_true(t->batch >= pool[i - 1].batch); /* never committed before an earlier op */
	}
	assert_int_equal(n_released, 60);
	assert_int_equal(writer_backlog(w), 0);
	assert_int_equal(n_rows(f.ro), 60);
	stop_writer(&f, w);
	assert_int_equal(n_done, 60); /* nothing completes twice */
	fx_close(&f);
}

/* (b) Group commit: 2,000 ops submitted while another connection holds the
 * write lock wait (the writer retries "busy"), then commit in at most
 * ceil(2000/UJ_BATCH_MAX)+1 transactions of at most UJ_BATCH_MAX ops each,
 * with full batches; the other connection's own row survives. */
static void test_group_commit_while_locked(void **state)
{
	(void)state;
	enum { N = 2000, MAX_BATCHES = (N + UJ_BATCH_MAX - 1) / UJ_BATCH_MAX + 1 };
	char err[256] = "";
	struct fx f;
	struct writer *w;
	sqlite3 *lock;
	long size[N + 1];
	long n_batches = 0, biggest = 0;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);
	lock = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(lock);
	assert_int_equal(db_exec(lock, "BEGIN IMMEDIATE", err, sizeof err), 0);
	assert_int_equal(db_exec(lock, "INSERT INTO t (k, v) VALUES (999999, 7)", err, sizeof err), 0);

	for (int i = 0; i < N; i++)
		writer_submit(w, &top_new(T_INSERT, i + 1, 2 * i + 1)->op);
	assert_int_equal(writer_backlog(w), N);
	assert_int_equal(writer_room(w), 1); /* far below UJ_WRITER_QUEUE_MAX */
	for (int i = 0; i < 3; i++)
		assert_true(event_base_loop(f.base, EVLOOP_NONBLOCK) >= 0);
	assert_int_equal(n_done, 0); /* nothing can be committed yet */
	assert_int_equal(writer_backlog(w), N);
	assert_int_equal(n_rows(f.ro), 0);

	assert_int_equal(db_exec(lock, "COMMIT", err, sizeof err), 0);
	UNIT_WAIT_FOR(f.base, n_done == N);
	assert_done_in_order(N);

	memset(size, 0, sizeof size);
	for (int i = 0; i < N; i++) {
		struct top *t = &pool[i];
		assert_int_equal(t->op.failed, 0);
		assert_true(t->visible_at_done);
		assert_true(t->batch >= 0 && t->batch <= N);
		if (i > 0)
			assert_true(t->batch == pool[i - 1].batch || t->batch == pool[i - 1].batch + 1);
		size[t->batch]++;
	}
	for (int b = 0; b <= N; b++)
		if (size[b]) {
			n_batches++;
			if (size[b] > biggest)
				biggest = size[b];
			assert_true(size[b] <= UJ_BATCH_MAX);
		}
	if (n_batches > MAX_BATCHES)
		fail_msg("%d ops took %ld transactions", N, n_batches);
	assert_int_equal(biggest, UJ_BATCH_MAX);
	/* Every commit on the writer's connection carried a batch (no heartbeat). */
	assert_int_equal(atomic_load(&n_commits), n_batches);
	assert_int_equal(n_rows(f.ro), N + 1);
	assert_int_equal(row_v(f.ro, 999999), 7);
	assert_int_equal(writer_backlog(w), 0);
	db_close(lock);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (c) Constraint failures in the middle of a batch: a duplicate key (of an
 * earlier op of the same batch) and a NOT NULL violation after a successful
 * insert. Those two complete with failed set and leave no row; every other
 * op of the batch is committed and completes with failed 0, in order. */
static void test_constraint_failure_isolated(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	submit_gate(w, 1);                                       /* op 0 */
	for (int i = 1; i <= 9; i++) {
		struct top *t;
		if (i == 4)
			t = top_new(T_INSERT, 12, 444); /* the key of op 2 */
		else if (i == 6)
			t = top_new(T_NULL_AFTER_INSERT, 16, 666);
		else
			t = top_new(T_INSERT, 10 + i, 100 + i);
		writer_submit(w, &t->op);
	}
	gate_open();
	UNIT_WAIT_FOR(f.base, n_done == 10);
	assert_done_in_order(10);

	for (int i = 1; i <= 9; i++) {
		struct top *t = &pool[i];
		int bad = i == 4 || i == 6;
		assert_int_equal(t->batch, pool[1].batch); /* one transaction ... */
		assert_int_equal(t->op.failed, bad);
		assert_int_equal(t->done_runs, 1);
		if (!bad) {
			assert_true(t->visible_at_done);
			assert_int_equal(row_v(f.ro, t->k), t->v);
		}
	}
	assert_true(pool[1].batch != pool[0].batch); /* ... of its own, after the gate's */
	assert_int_equal(pool[0].op.failed, 0);
	assert_int_equal(row_v(f.ro, 12), 102);     /* op 2's row, not op 4's */
	assert_int_equal(row_v(f.ro, 16), -1);      /* op 6's first insert rolled back */
	assert_int_equal(row_v(f.ro, 1000016), -1);
	assert_int_equal(n_rows(f.ro), 8);           /* gate + 7 */
	assert_int_equal(n_released, 10);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (d) An apply returning -1 without a SQLite error (first in its batch with
 * no SQLite call at all; in the middle after a successful insert; last) is
 * isolated the same way. */
static void test_plain_failure_isolated(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	static const enum tmode modes[] = { T_FAIL_PURE, T_INSERT, T_FAIL_NOSQL, T_INSERT,
					    T_FAIL_PURE };
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	submit_gate(w, 1); /* op 0 */
	for (int i = 1; i <= 5; i++)
		writer_submit(w, &top_new(modes[i - 1], 20 + i, 200 + i)->op);
	gate_open();
	UNIT_WAIT_FOR(f.base, n_done == 6);
	assert_done_in_order(6);

	assert_int_equal(pool[0].op.failed, 0);
	assert_int_equal(pool[1].op.failed, 1);
	assert_int_equal(pool[2].op.failed, 0);
	assert_int_equal(pool[3].op.failed, 1);
	assert_int_equal(pool[4].op.failed, 0);
	assert_int_equal(pool[5].op.failed, 1);
	assert_int_equal(pool[2].batch, pool[4].batch);
	assert_int_equal(pool[3].batch, pool[2].batch);
	assert_true(pool[2].visible_at_done);
	assert_true(pool[4].visible_at_done);
	assert_int_equal(row_v(f.ro, 22), 202);
	assert_int_equal(row_v(f.ro, 23), -1); /* inserted, then the apply failed: rolled back */
	assert_int_equal(row_v(f.ro, 24), 204);
	assert_int_equal(n_rows(f.ro), 3);
	assert_int_equal(n_released, 6);

	/* The writer goes on normally afterwards. */
	writer_submit(w, &top_new(T_INSERT, 30, 300)->op);
	UNIT_WAIT_FOR(f.base, n_done == 7);
	assert_int_equal(pool[6].op.failed, 0);
	assert_true(pool[6].visible_at_done);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (e) A barrier (apply NULL) completes after everything submitted before it,
 * whose rows are durable by then; a barrier alone on an idle writer completes. */
static void test_barrier(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	submit_gate(w, 1);                                   /* 0 */
	writer_submit(w, &top_new(T_INSERT, 2, 20)->op);     /* 1 */
	writer_submit(w, &barrier_new()->op);                /* 2 */
	writer_submit(w, &top_new(T_INSERT, 3, 30)->op);     /* 3 */
	writer_submit(w, &top_new(T_INSERT, 4, 40)->op);     /* 4 */
	writer_submit(w, &barrier_new()->op);                /* 5 */
	gate_open();
	UNIT_WAIT_FOR(f.base, n_done == 6);
	assert_done_in_order(6);
	assert_int_equal(pool[2].n_done_before, 2);
	assert_true(pool[2].prior_all_visible);
	assert_int_equal(pool[2].op.failed, 0);
	assert_int_equal(pool[5].n_done_before, 5);
	assert_true(pool[5].prior_all_visible);
	assert_int_equal(pool[5].op.failed, 0);

	writer_submit(w, &barrier_new()->op); /* 6: nothing before it in flight */
	UNIT_WAIT_FOR(f.base, n_done == 7);
	assert_int_equal(done_log[6], 6);
	assert_true(pool[6].prior_all_visible);
	assert_int_equal(pool[6].op.failed, 0);
	assert_int_equal(n_rows(f.ro), 4);
	assert_int_equal(n_released, 7);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (f) op->pending counts up at writer_submit and down just before done runs;
 * it is 0 at the end; an op without a counter leaves it alone. */
static void test_pending_counter(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	int pending = 0;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	struct top *gate = top_new(T_GATE, 1, 1);
	gate->op.pending = &pending;
	writer_submit(w, &gate->op);
	assert_int_equal(pending, 1);
	assert_true(gate_wait_entered());
	for (int i = 1; i <= 9; i++) {
		struct top *t = top_new(T_INSERT, 10 + i, i);
		t->op.pending = &pending;
		writer_submit(w, &t->op);
		assert_int_equal(pending, i + 1);
	}
	writer_submit(w, &top_new(T_INSERT, 50, 5)->op); /* op 10: no counter */
	assert_int_equal(pending, 10);
	gate_open();
	UNIT_WAIT_FOR(f.base, n_done == 11);
	assert_done_in_order(11);
	for (int i = 0; i <= 9; i++)
		assert_int_equal(pool[i].pending_at_done, 9 - i);
	assert_int_equal(pool[10].pending_at_done, -1);
	assert_int_equal(pending, 0);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (g) The queue cap: with queue_max 5 and the write lock held elsewhere,
 * writer_room is 1 until 5 ops are queued and 0 from then on; writer_submit
 * still takes more (system work is never refused); once the lock goes and
 * the ops complete, there is room again. */
static void test_queue_cap(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	struct writer *w;
	sqlite3 *lock;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 5);
	lock = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(lock);
	assert_int_equal(db_exec(lock, "BEGIN IMMEDIATE", err, sizeof err), 0);

	assert_int_equal(writer_room(w), 1);
	for (int i = 1; i <= 8; i++) {
		writer_submit(w, &top_new(T_INSERT, i, i)->op);
		assert_int_equal(writer_backlog(w), i);
		assert_int_equal(writer_room(w), i < 5);
	}
	for (int i = 0; i < 3; i++)
		assert_true(event_base_loop(f.base, EVLOOP_NONBLOCK) >= 0);
	assert_int_equal(n_done, 0);
	assert_int_equal(writer_room(w), 0);

	assert_int_equal(db_exec(lock, "ROLLBACK", err, sizeof err), 0);
	UNIT_WAIT_FOR(f.base, n_done == 8);
	assert_done_in_order(8);
	assert_int_equal(writer_room(w), 1);
	assert_int_equal(writer_backlog(w), 0);
	assert_int_equal(n_rows(f.ro), 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pool[i].op.failed, 0);
	db_close(lock);
	stop_writer(&f, w);
	fx_close(&f);
}

/* (h) The heartbeat: with heartbeat on, meta.heartbeat_ms is written at once
 * and keeps advancing while the writer is idle, and writer_stop writes a last
 * one. A writer with heartbeat off, running alongside for as long (and
 * committing a batch), never writes it, and its last commit time only moves
 * with its own commits. */
static void test_heartbeat(void **state)
{
	(void)state;
	struct fx a, b;
	struct writer *wa, *wb;
	int64_t t_start = clock_now_ms(), h1, h2, h3, b_commit, t_stop, a_commit;
	fx_open(&a);
	fx_open(&b);
	reset_all(&b);
	wa = start_writer(&a, 1, 0);
	wb = g_w = start_writer(&b, 0, 0);

	for (int i = 0; i < 5; i++)
		writer_submit(wb, &top_new(T_INSERT, i + 1, i + 1)->op);
	UNIT_WAIT_FOR(b.base, n_done == 5);
	assert_int_equal(n_done, 5);
	b_commit = writer_last_commit_ms(wb);

	UNIT_WAIT_FOR(a.base, db_meta_get(a.ro, "heartbeat_ms") != 0);
	h1 = db_meta_get(a.ro, "heartbeat_ms");
	assert_true(h1 >= t_start && h1 <= clock_now_ms());
	UNIT_WAIT_FOR(a.base, db_meta_get(a.ro, "heartbeat_ms") > h1);
	h2 = db_meta_get(a.ro, "heartbeat_ms");
	assert_true(h2 > h1);
	UNIT_WAIT_FOR(a.base, db_meta_get(a.ro, "heartbeat_ms") > h2); /* twice idle */
	h3 = db_meta_get(a.ro, "heartbeat_ms");
	assert_true(h3 > h2 && h3 <= clock_now_ms());
	a_commit = writer_last_commit_ms(wa); /* heartbeats are commits */
	assert_true(a_commit >= h2);

	/* Meanwhile the writer without heartbeat wrote none. */
	assert_int_equal(q1(b.ro, "SELECT count(*) FROM meta WHERE key = 'heartbeat_ms'", -1), 0);
	assert_int_equal(writer_last_commit_ms(wb), b_commit);

	t_stop = clock_now_ms();
	writer_stop(wa);
	assert_true(db_meta_get(a.ro, "heartbeat_ms") >= t_stop);
	stop_writer(&b, wb);
	assert_int_equal(q1(b.ro, "SELECT count(*) FROM meta WHERE key = 'heartbeat_ms'", -1), 0);
	assert_int_equal(n_rows(b.ro), 5);
	mailbox_drain(a.mb);
	fx_close(&a);
	fx_close(&b);
}

/* (i) wr_apply_now applies a list in one transaction on the caller's thread
 * and releases every op (done never runs); a failing op rolls everything of
 * its list back and the call returns -1 with a message. */
static void test_apply_now(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	sqlite3 *db;
	struct top *l[6];
	fx_open(&f);
	reset_all(&f);
	db = db_open(f.path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);

	/* A good list, with a barrier in it. */
	l[0] = top_new(T_INSERT, 1, 10);
	l[1] = top_new(T_INSERT, 2, 20);
	l[2] = barrier_new();
	l[3] = top_new(T_INSERT, 3, 30);
	l[4] = top_new(T_INSERT, 4, 40);
	for (int i = 0; i < 4; i++)
		l[i]->op.next = &l[i + 1]->op;
	err[0] = '\0';
	assert_int_equal(wr_apply_now(db, &l[0]->op, err, sizeof err), 0);
	assert_int_equal(n_released, 5);
	assert_int_equal(n_done, 0);
	assert_true(l[0]->in_tx && l[4]->in_tx);
	assert_int_equal(l[0]->batch, l[4]->batch); /* one transaction */
	assert_int_equal(atomic_load(&n_commits), 1);
	assert_int_equal(sqlite3_get_autocommit(db), 1);
	assert_int_equal(n_rows(f.ro), 4);
	assert_int_equal(row_v(f.ro, 3), 30);

	/* A constraint failure in the third op: nothing of the list stays. */
	l[0] = top_new(T_INSERT, 11, 1);
	l[1] = top_new(T_INSERT, 12, 2);
	l[2] = top_new(T_NULL_AFTER_INSERT, 13, 3);
	l[3] = top_new(T_INSERT, 14, 4);
	for (int i = 0; i < 3; i++)
		l[i]->op.next = &l[i + 1]->op;
	err[0] = '\0';
	assert_int_equal(wr_apply_now(db, &l[0]->op, err, sizeof err), -1);
	assert_true(strstr(err, "NOT NULL") != NULL);
	assert_int_equal(n_released, 9);
	assert_int_equal(l[3]->applies, 0); /* stopped at the failure */
	assert_int_equal(sqlite3_get_autocommit(db), 1);
	for (int k = 11; k <= 14; k++)
		assert_int_equal(row_v(f.ro, k), -1);
	assert_int_equal(row_v(f.ro, 1000013), -1);
	assert_int_equal(n_rows(f.ro), 4);

	/* A failure without a SQLite error, after a successful op. */
	l[0] = top_new(T_INSERT, 21, 1);
	l[1] = top_new(T_FAIL_NOSQL, 22, 2);
	l[0]->op.next = &l[1]->op;
	err[0] = '\0';
	assert_int_equal(wr_apply_now(db, &l[0]->op, err, sizeof err), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(n_released, 11);
	assert_int_equal(row_v(f.ro, 21), -1);
	assert_int_equal(row_v(f.ro, 22), -1);

	/* Ops without a release are freed (ASan: no leak), and the connection
	 * still works after the failures. */
	struct top *h1 = xcalloc(1, sizeof *h1), *h2 = xcalloc(1, sizeof *h2);
	wr_op_init(&h1->op, t_apply, actor_system(), clock_now_ms());
	wr_op_init(&h2->op, t_apply, actor_system(), clock_now_ms());
	h1->k = 31, h1->v = 310;
	h2->k = 32, h2->v = 320;
	h1->op.next = &h2->op;
	assert_int_equal(wr_apply_now(db, &h1->op, err, sizeof err), 0);
	assert_int_equal(row_v(f.ro, 31), 310);
	assert_int_equal(row_v(f.ro, 32), 320);
	assert_int_equal(n_released, 11);

	/* An empty list commits nothing and succeeds. */
	assert_int_equal(wr_apply_now(db, NULL, err, sizeof err), 0);
	assert_int_equal(n_rows(f.ro), 6);
	db_close(db);
	fx_close(&f);
}

/* (j) Ops naming another mailbox complete on that mailbox's loop; each
 * mailbox sees its own ops in submission order; ops without one get the
 * writer's. */
static void test_two_mailboxes(void **state)
{
	(void)state;
	enum { N = 60 };
	struct fx f;
	struct writer *w;
	struct event_base *base2;
	struct mailbox *mb2;
	struct event *tick2;
	int last[3] = { -1, -1, -1 };
	fx_open(&f);
	reset_all(&f);
	base2 = event_base_new();
	assert_non_null(base2);
	mb2 = mailbox_new(base2);
	assert_non_null(mb2);
	tick2 = unit_add_tick(base2, 10000);
	w = g_w = start_writer(&f, 0, 0);

	for (int i = 0; i < N; i++) {
		struct top *t = top_new(T_INSERT, i + 1, i + 1);
		if (i % 7 == 1 || i % 7 == 2 || i % 7 == 5) /* runs of one and two */
			t->op.mb = mb2;
		writer_submit(w, &t->op);
		if (i % 10 == 9)
			assert_true(event_base_loop(f.base, EVLOOP_NONBLOCK) >= 0);
	}
	{
		int64_t dl = unit_mono_ms() + UNIT_DEADLINE_MS;
		while (n_done < N && unit_mono_ms() < dl) {
			cur_loop = 1;
			assert_true(event_base_loop(f.base, EVLOOP_ONCE) >= 0);
			cur_loop = 2;
			assert_true(event_base_loop(base2, EVLOOP_ONCE) >= 0);
		}
	}
	assert_int_equal(n_done, N);
	for (int i = 0; i < N; i++) {
		struct top *t = &pool[i];
		int want = (i % 7 == 1 || i % 7 == 2 || i % 7 == 5) ? 2 : 1;
		assert_int_equal(t->done_runs, 1);
		assert_int_equal(t->ran_on, want);
		assert_ptr_equal(t->op.mb, want == 2 ? mb2 : f.mb);
		assert_true(t->visible_at_done);
	}
	/* Per mailbox, completions in submission order. */
	for (int i = 0; i < N; i++) {
		struct top *t = &pool[done_log[i]];
		if (t->seq <= last[t->ran_on])
			fail_msg("mailbox %d ran op %d after op %d", t->ran_on, t->seq, last[t->ran_on]);
		last[t->ran_on] = t->seq;
	}
	stop_writer(&f, w);
	mailbox_drain(mb2);
	event_free(tick2);
	mailbox_free(mb2);
	event_base_free(base2);
	fx_close(&f);
}

/* (k) writer_last_commit_ms starts at the start time and advances with a
 * commit, before the op's done runs. */
static void test_last_commit(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	int64_t before, t0, t1;
	fx_open(&f);
	reset_all(&f);
	before = clock_now_ms();
	w = g_w = start_writer(&f, 0, 0);
	t0 = writer_last_commit_ms(w);
	assert_true(t0 >= before && t0 <= clock_now_ms());
	UNIT_WAIT_FOR(f.base, clock_now_ms() > t0 + 1);
	assert_int_equal(writer_last_commit_ms(w), t0); /* idle, no heartbeat: no commit */

	writer_submit(w, &top_new(T_INSERT, 1, 1)->op);
	UNIT_WAIT_FOR(f.base, n_done == 1);
	assert_int_equal(n_done, 1);
	t1 = writer_last_commit_ms(w);
	assert_true(t1 > t0 + 1);
	assert_true(t1 <= clock_now_ms());
	assert_int_equal(pool[0].last_commit_at_done, t1);
	stop_writer(&f, w);
	fx_close(&f);
}

static void *open_gate_thread(void *arg)
{
	(void)arg;
	gate_open();
	return NULL;
}

/* writer_stop commits what is queued: ops held behind a gate when stop is
 * called, and ops submitted just before it, are all durable when it
 * returns; their completions are posted and run at the next drain. */
static void test_stop_commits_queued(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	pthread_t th;
	int pending = 0;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);

	submit_gate(w, 1);
	for (int i = 1; i <= 100; i++) {
		struct top *t = top_new(T_INSERT, i + 1, i);
		t->op.pending = &pending;
		writer_submit(w, &t->op);
	}
	assert_int_equal(pthread_create(&th, NULL, open_gate_thread, NULL), 0);
	writer_stop(w);
	g_w = NULL;
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(n_done, 0);       /* completions wait for the loop */
	assert_int_equal(n_rows(f.ro), 101); /* but everything is committed */
	mailbox_drain(f.mb);
	assert_done_in_order(101);
	assert_int_equal(pending, 0);
	assert_int_equal(n_released, 101);
	for (int i = 1; i <= 100; i++)
		assert_true(pool[i].visible_at_done);

	/* Without a gate: submit and stop at once. */
	reset_all(&f);
	w = start_writer(&f, 0, 0);
	for (int i = 0; i < 300; i++)
		writer_submit(w, &top_new(T_INSERT, 1000 + i, i + 1)->op);
	writer_stop(w);
	mailbox_drain(f.mb);
	assert_done_in_order(300);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(pool[i].op.failed, 0);
		assert_true(pool[i].visible_at_done);
	}
	assert_int_equal(n_rows(f.ro), 401);
	fx_close(&f);
}

/* An apply whose statement yields rows (RETURNING) is stepped to its end by
 * wr_step, so it does not stay active and block the COMMIT (which the writer
 * would take for another process's lock and retry for ever). */
static void test_returning_statement_completes(void **state)
{
	(void)state;
	struct fx f;
	struct writer *w;
	fx_open(&f);
	reset_all(&f);
	w = g_w = start_writer(&f, 0, 0);
	for (int i = 0; i < 3; i++)
		writer_submit(w, &top_new(T_RETURNING, i + 1, 500 + i)->op);
	UNIT_WAIT_FOR(f.base, n_done == 3);
	assert_done_in_order(3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pool[i].op.failed, 0);
		assert_true(pool[i].visible_at_done);
	}
	assert_int_equal(writer_backlog(w), 0);
	stop_writer(&f, w);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_missing_db),
		cmocka_unit_test(test_completes_in_order_after_commit),
		cmocka_unit_test(test_group_commit_while_locked),
		cmocka_unit_test(test_constraint_failure_isolated),
		cmocka_unit_test(test_plain_failure_isolated),
		cmocka_unit_test(test_barrier),
		cmocka_unit_test(test_pending_counter),
		cmocka_unit_test(test_queue_cap),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_apply_now),
		cmocka_unit_test(test_two_mailboxes),
		cmocka_unit_test(test_last_commit),
		cmocka_unit_test(test_returning_statement_completes),
		cmocka_unit_test(test_stop_commits_queued),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
