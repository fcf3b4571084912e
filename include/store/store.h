/* store.h - the single SQLite writer thread with group commit.
 *
 * The event loop submits operations; the writer takes everything queued (up
 * to UJ_BATCH_MAX), applies it in one transaction with synchronous=FULL, and
 * only then hands the operations back to the loop, where each op's done
 * callback runs (and replies to its HTTP request). So a reply that follows a
 * write always follows its fsync. Operations complete in submission order.
 *
 * A heartbeat (meta.heartbeat_ms) is written with every batch and every
 * 500 ms when idle, so after a crash the server knows when it was last
 * alive. A storage error other than "busy" is fatal: the writer aborts the
 * process, which loses nothing acknowledged, and a restart rebuilds RAM. */
#ifndef UJIAN_STORE_H
#define UJIAN_STORE_H

#include "auth/cred.h"
#include "core/mailbox.h"

#include <stdint.h>

enum store_op_kind {
	STORE_NOOP,         /* barrier: completes after everything before it */
	STORE_LOGIN,        /* new session; older active sessions become replaced */
	STORE_LOGIN_FAILED, /* audit only */
	STORE_LOGOUT,
	STORE_START,
	STORE_ANSWER,
	STORE_FINISH,
	STORE_POSITION,     /* the question the candidate is on */
	STORE_OP_KIND_MAX
};

struct store_op {
	enum store_op_kind kind;
	int64_t cand_id;
	int64_t at; /* server time of the operation, ms */
	union {
		struct {
			uint8_t hash[CRED_HASH_LEN];
			char peer[64];
			int replaced; /* an older session was replaced */
		} login;
		struct {
			char peer[64];
			const char *why; /* static string */
		} failed;
		struct {
			uint8_t hash[CRED_HASH_LEN];
		} logout;
		struct {
			int n;
			int label; /* -1 = none */
			int flagged;
			uint32_t rev;
		} answer;
		struct {
			int n;
		} position;
		struct {
			const char *reason; /* "submitted" or "time_up" */
			int64_t finished_at;
			char *scores_json;  /* owned by the op */
			int total;
			int passed;
		} finish;
	} u;
	/* Runs on the loop thread after commit; must not free the op. */
	void (*done)(struct store_op *op);
	void *ctx;
	struct store_op *next;
};

struct store;

/* Open a writer connection to db_path and start the thread. Completions are
 * posted to mb. heartbeat: write meta.heartbeat_ms. Returns NULL with err. */
struct store *store_start(const char *db_path, struct mailbox *mb, int heartbeat, char *err,
			  size_t errlen);
/* A zeroed op of the given kind for candidate cand_id at time now. */
struct store_op *store_op_new(enum store_op_kind kind, int64_t cand_id, int64_t now);
/* Queue an op (loop thread). The store owns it until done has run. */
void store_submit(struct store *s, struct store_op *op);
/* Ops submitted and not yet completed. */
long store_backlog(const struct store *s);
/* Server time (ms) of the writer's last successful commit, or of its start
 * when nothing has been committed yet. Safe to call from any thread. */
int64_t store_last_commit_ms(const struct store *s);
/* Finish queued work, write a last heartbeat, stop the thread. Completions
 * already posted are run by the caller's mailbox_drain. */
void store_stop(struct store *s);

#endif
