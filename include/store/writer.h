/* writer.h - the single SQLite writer thread with group commit, knowing no
 * domain.
 *
 * A domain module defines its operation as a struct whose first member is a
 * struct wr_op, and an apply function that performs its SQL (through
 * wr_stmt) inside the writer's open transaction. The writer takes everything
 * queued (up to UJ_BATCH_MAX), applies it in one transaction with
 * synchronous=FULL, and only then posts the operations back to the mailbox
 * each one names, where its done callback runs (and replies to an HTTP
 * request). So a reply that follows a write always follows its fsync.
 * Operations complete in submission order per mailbox.
 *
 * A heartbeat (meta.heartbeat_ms) is written with every batch and every
 * 500 ms when idle, so after a crash the server knows when it was last alive.
 *
 * Failures: "busy" (another process holds the write lock) is retried. An
 * apply that fails for a reason of its own (a constraint, a bad value: a
 * bug, not the disk) is isolated: the batch is rolled back and re-applied
 * without it, and that operation completes with op->failed = WR_FAILED_OP.
 *
 * A storage fault that may pass (SQLITE_FULL, SQLITE_IOERR_*: disk full, an
 * I/O error) rolls the batch back and completes every op of it with
 * op->failed = WR_FAILED_STORAGE; the writer is then "storage unavailable":
 * ops queued meanwhile complete at once with the same failure without
 * touching the disk, and every UJ_STORAGE_PROBE_MS a probe (a small
 * transaction writing the heartbeat and, in meta, storage_outage_from (when
 * the first outage not yet cleared began), storage_outage_to (when this one
 * ended) and storage_outage_owed (their summed length)) tries the disk;
 * when it commits, writing resumes by itself. The domain that credits the outage clears those two
 * rows once its credit is stored (exam/attempt.c), so a crash in between
 * still finds the outage owed. The transitions are reported to the hook of
 * writer_on_storage on the writer's mailbox. Nothing failed is acknowledged
 * (its done sees failed set) and nothing acknowledged is touched (a rolled
 * back transaction changes no committed row). Damage that will not pass
 * (SQLITE_CORRUPT, NOTADB, CANTOPEN, READONLY, PROTOCOL, NOMEM,
 * IOERR_CORRUPTFS) still aborts the process (fail-stop): retrying onto a
 * damaged file could turn a bad page into lost answers, and a restart
 * refuses a database that does not open cleanly, which an operator sees.
 *
 * The queue is bounded: writer_room() says whether a request may add work
 * (UJ_WRITER_QUEUE_MAX by default); a request that finds no room is refused
 * with 503 server_busy before it changes anything. Work the server itself
 * must do (a deadline finish, a failed-login audit row) is always queued. */
#ifndef UJIAN_WRITER_H
#define UJIAN_WRITER_H

#include "core/actor.h"
#include "core/mailbox.h"

#include <sqlite3.h>
#include <stdint.h>

struct wr_tx; /* the open transaction, as seen by an apply function */

/* Why an op was not stored (wr_op.failed; 0: it was). */
enum wr_failure {
	WR_FAILED_OP = 1,      /* its own apply failed (a bug or a constraint) */
	WR_FAILED_STORAGE = 2, /* the disk failed (full, I/O error): try again later */
};
struct wr_op;

/* Perform op's writes in tx (writer thread). Returns 0, or -1 after a
 * failed SQLite call (the writer reads the connection's error). */
typedef int (*wr_apply_fn)(struct wr_tx *tx, struct wr_op *op);
/* After the commit, on the loop thread that owns op->mb. Must not free op. */
typedef void (*wr_done_fn)(struct wr_op *op);
/* Release op and what it owns (default: free(op)). */
typedef void (*wr_release_fn)(struct wr_op *op);

/* An op with apply NULL is a barrier: its done runs once everything
 * submitted before it is durable. */
struct wr_op {
	wr_apply_fn apply;     /* NULL: a barrier that writes nothing */
	wr_done_fn done;       /* may be NULL */
	wr_release_fn release; /* NULL: free(op) */
	struct actor owner;    /* who caused it (recorded with its events) */
	struct mailbox *mb;    /* where done runs; set by writer_submit if NULL */
	int *pending;          /* optional loop-side counter of ops in flight */
	int64_t at;            /* server time of the operation, ms */
	int failed;            /* 0, or enum wr_failure: why it was left out */
	struct wr_op *next;    /* writer's queue link */
};

struct writer;

/* Open a writer connection to db_path and start the thread. Completions go
 * to mb unless an op names another mailbox. heartbeat: write
 * meta.heartbeat_ms. queue_max: requests are refused beyond this backlog
 * (0: UJ_WRITER_QUEUE_MAX). Returns NULL with err. */
struct writer *writer_start(const char *db_path, struct mailbox *mb, int heartbeat,
			    long queue_max, char *err, size_t errlen);
/* Prepare op's common fields: apply, owner, time. */
void wr_op_init(struct wr_op *op, wr_apply_fn apply, struct actor owner, int64_t at);
/* 1 if a request may queue more work now. */
int writer_room(const struct writer *w);
/* Queue op (loop thread). The writer owns it until its release has run.
 * Counts op->pending up now and down just before done runs. */
void writer_submit(struct writer *w, struct wr_op *op);
/* Operations submitted and not yet completed. */
long writer_backlog(const struct writer *w);
/* Server time (ms) of the last successful commit (or of the start). Any
 * thread. */
int64_t writer_last_commit_ms(const struct writer *w);
struct metrics_histogram;
/* How long commits of batches carrying operations took (BEGIN to COMMIT,
 * fsync included), and how many operations were committed. Any thread. */
const struct metrics_histogram *writer_commit_histogram(const struct writer *w);
unsigned long long writer_committed_ops(const struct writer *w);
/* 1 unless the writer is in the "storage unavailable" state (any thread):
 * a request that would write is then refused with 503 storage_unavailable
 * before it changes anything. */
int writer_storage_ok(const struct writer *w);
/* Commits (batches or probes) that failed with a storage fault, and the
 * operations completed as WR_FAILED_STORAGE (any thread; metrics). */
unsigned long long writer_storage_failures(const struct writer *w);
unsigned long long writer_storage_refused(const struct writer *w);
/* Called on the writer's mailbox (the loop) when storage becomes unavailable
 * (ok = 0, since = when the first failure happened) and when a probe
 * committed again (ok = 1, since = when it became unavailable, now = when it
 * came back). Set before requests flow. */
typedef void (*wr_storage_fn)(void *arg, int ok, int64_t since_ms, int64_t now_ms);
void writer_on_storage(struct writer *w, wr_storage_fn fn, void *arg);
/* Finish queued work, write a last heartbeat, stop the thread. Completions
 * already posted are run by the caller's mailbox_drain. */
void writer_stop(struct writer *w);

/* The statement for sql (a string with static storage: the cache is keyed
 * by its address), reset and with its bindings cleared; NULL if it cannot
 * be prepared. Only inside an apply function. */
sqlite3_stmt *wr_stmt(struct wr_tx *tx, const char *sql);
/* Step a write statement to completion: 0, or -1. */
int wr_step(sqlite3_stmt *st);
/* The rowid of the last INSERT in tx; rows changed by the last statement. */
int64_t wr_last_id(struct wr_tx *tx);
int wr_changes(struct wr_tx *tx);
/* Write meta.heartbeat_ms = at (the server was alive then) in tx: 0 or -1. */
int wr_heartbeat(struct wr_tx *tx, int64_t at);

/* Apply ops (linked through next) in one transaction on db, synchronously on
 * the calling thread, with the same apply functions the writer uses: for
 * start-up recovery, before the writer runs. Every op is released. Returns 0,
 * or -1 with err (the transaction rolled back, nothing applied). */
int wr_apply_now(sqlite3 *db, struct wr_op *ops, char *err, size_t errlen);

#endif
