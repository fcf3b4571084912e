/* writer.c - the writer thread: queue, batches, transactions, completions.
 * Knows no table but meta (the heartbeat): every write is an op's apply. */
#include "store/writer.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/db.h"

#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The probe records the outage in meta, so that the credit owed for it
 * survives a crash before the domain has stored it (writer.h): when the
 * first outage not yet cleared began (kept), when this one ended, and the
 * time owed, summed over the outages not yet cleared. */
static const char wr_probe_from_sql[] =
	"INSERT INTO meta (key, value) VALUES ('storage_outage_from', ?1)"
	" ON CONFLICT (key) DO NOTHING";
static const char wr_probe_sql[] =
	"INSERT INTO meta (key, value) VALUES ('storage_outage_to', ?1),"
	" ('storage_outage_owed', ?2)"
	" ON CONFLICT (key) DO UPDATE SET value = CASE key WHEN 'storage_outage_owed'"
	" THEN value + excluded.value ELSE excluded.value END";
static const char wr_heartbeat_sql[] =
	"INSERT INTO meta (key, value) VALUES ('heartbeat_ms', ?1)"
	" ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/* The open transaction an apply function writes through: the connection and
 * its cache of prepared statements, keyed by the SQL text's address. */
struct wr_tx {
	sqlite3 *db;
	int n;
	const char *sql[UJ_WRITER_STMTS_MAX];
	sqlite3_stmt *st[UJ_WRITER_STMTS_MAX];
};

/* Crash points for the crash harness (make crash-test builds with
 * -DUJIAN_CRASHPOINTS). UJIAN_CRASH="after_commit:K" kills the process right
 * after the K-th committed batch, before any reply is sent;
 * "mid_batch:K" kills it halfway through applying the K-th batch, inside
 * the open transaction. Never compiled into a normal build. */
#ifdef UJIAN_CRASHPOINTS
enum wr_crash { CRASH_NONE, CRASH_AFTER_COMMIT, CRASH_MID_BATCH };
static enum wr_crash wr_crash_kind;
static long wr_crash_at, wr_crash_batches;

static void wr_crash_init(void)
{
	const char *v = getenv("UJIAN_CRASH");
	if (!v)
		return;
	if (strncmp(v, "after_commit:", 13) == 0)
		wr_crash_kind = CRASH_AFTER_COMMIT;
	else if (strncmp(v, "mid_batch:", 10) == 0)
		wr_crash_kind = CRASH_MID_BATCH;
	wr_crash_at = atol(strchr(v, ':') + 1);
	log_warn("crash point armed: %s", v);
}

static void wr_crash_point(enum wr_crash where)
{
	if (wr_crash_kind == where && wr_crash_batches == wr_crash_at) {
		log_warn("crash point reached (%s batch %ld)",
			 where == CRASH_AFTER_COMMIT ? "after commit" : "mid batch", wr_crash_at);
		raise(SIGKILL);
	}
}
#else
#define wr_crash_init() ((void)0)
#define wr_crash_point(where) ((void)0)
#endif

struct writer {
	struct wr_tx tx;
	struct mailbox *mb;
	int heartbeat;
	long queue_max;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct wr_op *head, *tail;
	int stopping;
	atomic_long backlog;
	_Atomic int64_t last_commit_ms;
	struct metrics_histogram commit_hist; /* batches carrying operations */
	atomic_ullong committed_ops;
	/* storage faults (writer.h): down is written by the writer thread only */
	atomic_int down;
	int64_t down_since;     /* server time of the first failure (writer thread) */
	int64_t last_probe;     /* monotonic ms of the last probe (writer thread) */
	atomic_ullong storage_failures, storage_refused;
	wr_storage_fn storage_fn;
	void *storage_arg;
};

void wr_op_init(struct wr_op *op, wr_apply_fn apply, struct actor owner, int64_t at)
{
	memset(op, 0, sizeof *op);
	op->apply = apply;
	op->owner = owner;
	op->at = at;
}

sqlite3_stmt *wr_stmt(struct wr_tx *tx, const char *sql)
{
	sqlite3_stmt *st;
	for (int i = 0; i < tx->n; i++)
		if (tx->sql[i] == sql) {
			sqlite3_reset(tx->st[i]);
			sqlite3_clear_bindings(tx->st[i]);
			return tx->st[i];
		}
	/* A new statement: the cache is sized for every statement the domains
	 * write with; running out is a programming error. */
	assert(tx->n < UJ_WRITER_STMTS_MAX);
	if (tx->n >= UJ_WRITER_STMTS_MAX ||
	    sqlite3_prepare_v3(tx->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	tx->sql[tx->n] = sql;
	tx->st[tx->n++] = st;
	return st;
}

int64_t wr_last_id(struct wr_tx *tx)
{
	return sqlite3_last_insert_rowid(tx->db);
}

int wr_changes(struct wr_tx *tx)
{
	return sqlite3_changes(tx->db);
}

int wr_step(sqlite3_stmt *st)
{
	int rc;
	/* To the end, so a statement with RETURNING does not stay active (an
	 * active statement would make the COMMIT fail as "busy"). */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	return rc == SQLITE_DONE ? 0 : -1;
}

static void wr_tx_clear(struct wr_tx *tx)
{
	for (int i = 0; i < tx->n; i++)
		sqlite3_finalize(tx->st[i]);
	tx->n = 0;
}

/* 1 if rc is a storage fault that may pass (disk full, an I/O error): the
 * batch fails and the writer waits for the disk (writer.h). */
static int wr_storage_transient(int rc)
{
	if (rc == SQLITE_IOERR_NOMEM || rc == SQLITE_IOERR_CORRUPTFS)
		return 0;
	return (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR;
}

/* 1 if rc means the storage itself failed, as opposed to a failure of one
 * operation (the transient ones included). */
static int wr_storage_error(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
		return 1;
	default:
		return 0;
	}
}

static int wr_busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

int wr_heartbeat(struct wr_tx *tx, int64_t at)
{
	sqlite3_stmt *st = wr_stmt(tx, wr_heartbeat_sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	return wr_step(st);
}

/* One try at committing batch (ops with failed set are skipped) plus a
 * heartbeat when asked. Returns SQLITE_OK, or the failing code with *bad set
 * to the op whose apply failed (NULL if the failure was not an apply's). */
static int wr_try(struct wr_tx *tx, struct wr_op *batch, int heartbeat, struct wr_op **bad)
{
	int rc = sqlite3_exec(tx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	int k = 0, half = 0;
	struct wr_op *op;

	*bad = NULL;
	if (rc != SQLITE_OK)
		return rc;
#ifdef UJIAN_CRASHPOINTS
	if (batch)
		wr_crash_batches++;
	for (op = batch; op; op = op->next)
		half++;
	half /= 2;
#endif
	for (op = batch; op && rc == SQLITE_OK; op = op->next, k++) {
		if (k == half)
			wr_crash_point(CRASH_MID_BATCH);
		if (op->failed || !op->apply)
			continue;
		if (op->apply(tx, op) != 0) {
			rc = sqlite3_extended_errcode(tx->db);
			if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_DONE || (rc & 0xff) == SQLITE_ROW)
				rc = SQLITE_ERROR; /* an apply that failed without SQLite */
			*bad = op;
		}
	}
	if (rc == SQLITE_OK && heartbeat && wr_heartbeat(tx, clock_now_ms()) != 0)
		rc = sqlite3_extended_errcode(tx->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(tx->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Tell the storage hook (if any) about a transition, on the writer's
 * mailbox. */
struct wr_storage_note {
	wr_storage_fn fn; /* copied: the note may run after writer_stop */
	void *arg;
	int ok;
	int64_t since, now;
};

static void wr_storage_deliver(void *arg)
{
	struct wr_storage_note *n = arg;
	n->fn(n->arg, n->ok, n->since, n->now);
	free(n);
}

static void wr_storage_notify(struct writer *w, int ok, int64_t since, int64_t now)
{
	struct wr_storage_note *n;
	if (!w->storage_fn)
		return;
	n = xmalloc(sizeof *n);
	n->fn = w->storage_fn;
	n->arg = w->storage_arg;
	n->ok = ok;
	n->since = since;
	n->now = now;
	mailbox_post(w->mb, wr_storage_deliver, n);
}

/* Mark every op of batch failed for the storage (nothing of it is stored).
 * A barrier writes nothing and does not fail: what it waits for has
 * completed (each op with its own outcome). */
static void wr_fail_batch(struct writer *w, struct wr_op *batch)
{
	unsigned long long n = 0;
	for (struct wr_op *o = batch; o; o = o->next)
		if (o->apply && !o->failed) { /* one left out on its own stays so */
			o->failed = WR_FAILED_STORAGE;
			n++;
		}
	if (n)
		atomic_fetch_add_explicit(&w->storage_refused, n, memory_order_relaxed);
}

/* A storage fault rc: enter the "storage unavailable" state (logged once per
 * outage, at error level). */
static void wr_storage_down(struct writer *w, int rc)
{
	atomic_fetch_add_explicit(&w->storage_failures, 1, memory_order_relaxed);
	w->last_probe = clock_mono_ms();
	if (atomic_load(&w->down))
		return;
	w->down_since = clock_now_ms();
	atomic_store(&w->down, 1);
	log_error("writer: storage unavailable (%s, SQLite code %d); writes are refused with 503 "
		  "storage_unavailable and tried again every %d ms, reads go on",
		  sqlite3_errstr(rc), rc, UJ_STORAGE_PROBE_MS);
	wr_storage_notify(w, 0, w->down_since, w->down_since);
}

/* While storage is unavailable: one small test transaction. Returns 1 when
 * it committed (storage is back: the state is left, logged and reported),
 * else 0. */
static int wr_probe(struct writer *w)
{
	sqlite3_stmt *st;
	int rc;
	int64_t now = clock_now_ms();

	w->last_probe = clock_mono_ms();
	if (!sqlite3_get_autocommit(w->tx.db)) /* a rollback that failed before */
		sqlite3_exec(w->tx.db, "ROLLBACK", NULL, NULL, NULL);
	rc = sqlite3_exec(w->tx.db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		/* A sign of life too, so a crash right after is not taken for
		 * downtime since before the outage. */
		rc = w->heartbeat ? wr_heartbeat(&w->tx, now) : 0;
		if (rc == 0 && (st = wr_stmt(&w->tx, wr_probe_from_sql))) {
			sqlite3_bind_int64(st, 1, w->down_since);
			rc = wr_step(st);
		} else {
			rc = -1;
		}
		if (rc == 0 && (st = wr_stmt(&w->tx, wr_probe_sql))) {
			sqlite3_bind_int64(st, 1, now);
			sqlite3_bind_int64(st, 2, now - w->down_since);
			rc = wr_step(st);
		} else {
			rc = -1;
		}
		rc = rc == 0 ? sqlite3_exec(w->tx.db, "COMMIT", NULL, NULL, NULL)
			     : sqlite3_extended_errcode(w->tx.db);
		if (rc != SQLITE_OK)
			sqlite3_exec(w->tx.db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		if (!wr_busy(rc) && !wr_storage_transient(rc)) {
			log_error("writer: storage probe failed (%s); stopping", sqlite3_errstr(rc));
			abort();
		}
		if (wr_storage_transient(rc))
			atomic_fetch_add_explicit(&w->storage_failures, 1, memory_order_relaxed);
		return 0;
	}
	atomic_store(&w->down, 0);
	atomic_store(&w->last_commit_ms, now);
	log_warn("writer: storage available again after %.1f s; writing resumed",
		  (double)(now - w->down_since) / 1000.0);
	wr_storage_notify(w, 1, w->down_since, now);
	return 1;
}

/* Commit one batch: retry while another process holds the write lock, leave
 * out (op->failed) an op whose own apply fails, fail the whole batch on a
 * storage fault that may pass, abort on one that will not (see the header). */
static void wr_commit(struct writer *w, struct wr_op *batch)
{
	for (int attempt = 0;; attempt++) {
		struct wr_op *bad;
		int64_t t0 = clock_mono_us();
		int rc = wr_try(&w->tx, batch, w->heartbeat, &bad);
		if (rc == SQLITE_OK) {
			if (batch) {
				wr_crash_point(CRASH_AFTER_COMMIT);
				metrics_observe_us(&w->commit_hist, (uint64_t)(clock_mono_us() - t0));
				for (struct wr_op *o = batch; o; o = o->next)
					if (!o->failed)
						atomic_fetch_add_explicit(&w->committed_ops, 1,
									  memory_order_relaxed);
			}
			atomic_store(&w->last_commit_ms, clock_now_ms());
			return;
		}
		if (wr_busy(rc)) {
			if (attempt % 100 == 0)
				log_warn("writer: database busy (another process writing?); retrying");
			usleep(5000);
			continue;
		}
		if (bad && !wr_storage_error(rc)) {
			log_error("writer: an operation failed (%s); it is left out and the rest "
				  "of its batch committed",
				  sqlite3_errstr(rc));
			bad->failed = WR_FAILED_OP;
			continue;
		}
		if (wr_storage_transient(rc)) {
			/* wr_try rolled back: nothing of the batch is stored. */
			wr_fail_batch(w, batch);
			wr_storage_down(w, rc);
			return;
		}
		log_error("writer: cannot commit (%s); stopping so that nothing unsaved is acknowledged",
			  sqlite3_errmsg(w->tx.db));
		abort();
	}
}

static void wr_release(struct wr_op *op)
{
	if (op->release)
		op->release(op);
	else
		free(op);
}

/* Mailbox callback on the owning loop: run the done callbacks of a run of
 * committed ops (linked through next), then release them. */
static void wr_deliver(void *arg)
{
	struct wr_op *op = arg;
	while (op) {
		struct wr_op *next = op->next;
		if (op->pending) {
			assert(*op->pending > 0);
			(*op->pending)--;
		}
		if (op->done)
			op->done(op);
		wr_release(op);
		op = next;
	}
}

/* Post a committed batch back: consecutive ops with the same mailbox travel
 * together, so each loop sees its ops in submission order. */
static void wr_post(struct wr_op *batch)
{
	while (batch) {
		struct wr_op *run = batch, *last = batch;
		while (last->next && last->next->mb == run->mb)
			last = last->next;
		batch = last->next;
		last->next = NULL;
		mailbox_post(run->mb, wr_deliver, run);
	}
}

static void *wr_main(void *arg)
{
	struct writer *w = arg;
	int64_t last_beat = 0;

	for (;;) {
		struct wr_op *batch = NULL, **tailp = &batch;
		int n = 0, stop;
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping) {
			struct timespec ts;
			int down = atomic_load_explicit(&w->down, memory_order_relaxed);
			int64_t due = down ? w->last_probe + UJ_STORAGE_PROBE_MS - clock_mono_ms()
					   : last_beat + UJ_WRITER_HEARTBEAT_MS - clock_mono_ms();
			if ((w->heartbeat || down) && due <= 0)
				break;
			ts = clock_wait_until(due > 0 && due < UJ_WRITER_HEARTBEAT_MS
						      ? due
						      : UJ_WRITER_HEARTBEAT_MS);
			pthread_cond_timedwait(&w->cond, &w->lock, &ts);
		}
		while (w->head && n < UJ_BATCH_MAX) {
			struct wr_op *op = w->head;
			w->head = op->next;
			op->next = NULL;
			*tailp = op;
			tailp = &op->next;
			n++;
		}
		if (!w->head)
			w->tail = NULL;
		stop = w->stopping && !w->head && !batch;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
		if (atomic_load_explicit(&w->down, memory_order_relaxed) &&
		    (clock_mono_ms() - w->last_probe < UJ_STORAGE_PROBE_MS || !wr_probe(w))) {
			/* Storage unavailable: fail fast, without touching the disk. */
			wr_fail_batch(w, batch);
		} else if (batch || w->heartbeat) {
			wr_commit(w, batch);
			last_beat = clock_mono_ms(); /* the schedule: monotonic */
		}
		if (batch) {
			atomic_fetch_sub(&w->backlog, n);
			wr_post(batch);
		}
	}
	if (w->heartbeat && !atomic_load(&w->down))
		wr_commit(w, NULL);
	return NULL;
}

struct writer *writer_start(const char *db_path, struct mailbox *mb, int heartbeat,
			    long queue_max, char *err, size_t errlen)
{
	struct writer *w = xcalloc(1, sizeof *w);
	w->mb = mb;
	w->heartbeat = heartbeat;
	w->queue_max = queue_max > 0 ? queue_max : UJ_WRITER_QUEUE_MAX;
	atomic_init(&w->backlog, 0);
	atomic_init(&w->last_commit_ms, clock_now_ms());
	atomic_init(&w->down, 0);
	wr_crash_init();
	w->tx.db = db_open(db_path, DB_OPEN_EXISTING, err, errlen);
	if (!w->tx.db)
		goto fail;
	pthread_mutex_init(&w->lock, NULL);
	clock_cond_init(&w->cond);
	if (pthread_create(&w->thread, NULL, wr_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		goto fail;
	}
	return w;
fail:
	db_close(w->tx.db);
	free(w);
	return NULL;
}

int writer_room(const struct writer *w)
{
	return atomic_load(&((struct writer *)w)->backlog) < w->queue_max;
}

void writer_submit(struct writer *w, struct wr_op *op)
{
	assert(op->owner.kind < ACTOR_KIND_MAX);
	op->next = NULL;
	op->failed = 0;
	if (!op->mb)
		op->mb = w->mb;
	if (op->pending)
		(*op->pending)++;
	atomic_fetch_add(&w->backlog, 1);
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = op;
	else
		w->head = op;
	w->tail = op;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

long writer_backlog(const struct writer *w)
{
	return atomic_load(&((struct writer *)w)->backlog);
}

int64_t writer_last_commit_ms(const struct writer *w)
{
	return atomic_load(&((struct writer *)w)->last_commit_ms);
}

void writer_stop(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	wr_tx_clear(&w->tx);
	db_close(w->tx.db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

int wr_apply_now(sqlite3 *db, struct wr_op *ops, char *err, size_t errlen)
{
	struct wr_tx tx = { .db = db };
	int rc = -1;

	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		goto out;
	for (struct wr_op *op = ops; op; op = op->next)
		if (op->apply && op->apply(&tx, op) != 0) {
			int code = sqlite3_errcode(db);
			snprintf(err, errlen, "database error: %s",
				 code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW
					 ? "an operation failed"
					 : sqlite3_errmsg(db));
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
	if (db_exec(db, "COMMIT", err, errlen)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	rc = 0;
out:
	wr_tx_clear(&tx);
	while (ops) {
		struct wr_op *next = ops->next;
		wr_release(ops);
		ops = next;
	}
	return rc;
}

const struct metrics_histogram *writer_commit_histogram(const struct writer *w)
{
	return &w->commit_hist;
}

unsigned long long writer_committed_ops(const struct writer *w)
{
	return atomic_load_explicit(&w->committed_ops, memory_order_relaxed);
}

int writer_storage_ok(const struct writer *w)
{
	return !atomic_load(&((struct writer *)w)->down);
}

unsigned long long writer_storage_failures(const struct writer *w)
{
	return atomic_load_explicit(&((struct writer *)w)->storage_failures, memory_order_relaxed);
}

unsigned long long writer_storage_refused(const struct writer *w)
{
	return atomic_load_explicit(&((struct writer *)w)->storage_refused, memory_order_relaxed);
}

void writer_on_storage(struct writer *w, wr_storage_fn fn, void *arg)
{
	pthread_mutex_lock(&w->lock);
	w->storage_fn = fn;
	w->storage_arg = arg;
	pthread_mutex_unlock(&w->lock);
}
