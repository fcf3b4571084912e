/* store.c - writer thread: batches, transactions, completions. */
#include "store/store.h"
#include "bounds.h"
#include "core/clock.h"
#include "store/db.h"
#include "core/log.h"
#include "core/mem.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Idle heartbeat interval: half the one-second accuracy promised for outage
 * credit, so a slow fsync cannot push the last heartbeat further back. */
#define STORE_HEARTBEAT_MS 500

enum store_stmt {
	ST_HEARTBEAT,
	ST_SESSION_REPLACE,
	ST_SESSION_INSERT,
	ST_SESSION_LOGOUT,
	ST_ATTEMPT_START,
	ST_ANSWER_UPSERT,
	ST_ATTEMPT_FINISH,
	ST_POSITION,
	ST_EVENT,
	ST_MAX
};

static const char *const store_sql[ST_MAX] = {
	[ST_HEARTBEAT] = "INSERT INTO meta (key, value) VALUES ('heartbeat_ms', ?1)"
			 " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[ST_SESSION_REPLACE] = "UPDATE sessions SET state = 'replaced'"
			       " WHERE candidate_id = ?1 AND state = 'active'",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, candidate_id, created_at, state, peer)"
			      " VALUES (?1, ?2, ?3, 'active', ?4)",
	[ST_SESSION_LOGOUT] = "UPDATE sessions SET state = 'logged_out' WHERE token_hash = ?1",
	[ST_ATTEMPT_START] = "INSERT INTO attempts (candidate_id, status, started_at)"
			     " VALUES (?1, 'in_progress', ?2) ON CONFLICT (candidate_id) DO NOTHING",
	[ST_ANSWER_UPSERT] = "INSERT INTO answers (candidate_id, n, label, flagged, rev, updated_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (candidate_id, n) DO UPDATE"
			     " SET label = excluded.label, flagged = excluded.flagged,"
			     " rev = excluded.rev, updated_at = excluded.updated_at"
			     " WHERE excluded.rev > answers.rev",
	[ST_ATTEMPT_FINISH] = "UPDATE attempts SET status = 'finished', finished_at = ?2,"
			      " finish_reason = ?3, scores_json = ?4, total = ?5, passed = ?6"
			      " WHERE candidate_id = ?1 AND status = 'in_progress'",
	[ST_POSITION] = "UPDATE attempts SET position = ?2 WHERE candidate_id = ?1",
	[ST_EVENT] = "INSERT INTO events (at, candidate_id, kind, n, label, flagged, rev, detail)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

/* Crash points for the crash harness (make crash-test builds with
 * -DUJIAN_CRASHPOINTS). UJIAN_CRASH="after_commit:K" kills the process right
 * after the K-th committed batch, before any reply is sent;
 * "mid_batch:K" kills it halfway through applying the K-th batch, inside
 * the open transaction. Never compiled into a normal build. */
#ifdef UJIAN_CRASHPOINTS
enum store_crash { CRASH_NONE, CRASH_AFTER_COMMIT, CRASH_MID_BATCH };
static enum store_crash store_crash_kind;
static long store_crash_at, store_crash_batches;

static void store_crash_init(void)
{
	const char *v = getenv("UJIAN_CRASH");
	if (!v)
		return;
	if (strncmp(v, "after_commit:", 13) == 0)
		store_crash_kind = CRASH_AFTER_COMMIT;
	else if (strncmp(v, "mid_batch:", 10) == 0)
		store_crash_kind = CRASH_MID_BATCH;
	store_crash_at = atol(strchr(v, ':') + 1);
	log_warn("crash point armed: %s", v);
}

static void store_crash_point(enum store_crash where)
{
	if (store_crash_kind == where && store_crash_batches == store_crash_at) {
		log_warn("crash point reached (%s batch %ld)",
			 where == CRASH_AFTER_COMMIT ? "after commit" : "mid batch", store_crash_at);
		raise(SIGKILL);
	}
}
#else
#define store_crash_init() ((void)0)
#define store_crash_point(where) ((void)0)
#endif

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_MAX];
	struct mailbox *mb;
	int heartbeat;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct store_op *head, *tail;
	int stopping;
	atomic_long backlog;
	_Atomic int64_t last_commit_ms;
};

struct store_op *store_op_new(enum store_op_kind kind, int64_t cand_id, int64_t now)
{
	struct store_op *op = xcalloc(1, sizeof *op);
	op->kind = kind;
	op->cand_id = cand_id;
	op->at = now;
	return op;
}

static const char store_labels[] = "ABCDEF";

/* Bind a label (-1 = NULL) as text. */
static void store_bind_label(sqlite3_stmt *st, int idx, int label)
{
	if (label < 0)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, &store_labels[label], 1, SQLITE_STATIC);
}

static int store_event(struct store *s, int64_t at, int64_t cand, const char *kind, int n,
		       int label, int flagged, int64_t rev, const char *detail)
{
	sqlite3_stmt *st = s->st[ST_EVENT];
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, cand);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (n > 0) {
		sqlite3_bind_int(st, 4, n);
		store_bind_label(st, 5, label);
		sqlite3_bind_int(st, 6, flagged);
		sqlite3_bind_int64(st, 7, rev);
	} else {
		for (int i = 4; i <= 7; i++)
			sqlite3_bind_null(st, i);
	}
	if (detail)
		sqlite3_bind_text(st, 8, detail, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 8);
	return sqlite3_step(st);
}

static int store_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Apply one op inside the open transaction. Returns an SQLite code. */
static int store_apply(struct store *s, struct store_op *op)
{
	sqlite3_stmt *st;
	char detail[160];
	int rc = SQLITE_DONE;

	switch (op->kind) {
	case STORE_NOOP:
	case STORE_OP_KIND_MAX:
		break;
	case STORE_LOGIN:
		st = s->st[ST_SESSION_REPLACE];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, op->cand_id);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		st = s->st[ST_SESSION_INSERT];
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, op->u.login.hash, CRED_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, op->cand_id);
		sqlite3_bind_int64(st, 3, op->at);
		sqlite3_bind_text(st, 4, op->u.login.peer, -1, SQLITE_STATIC);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		snprintf(detail, sizeof detail, "{\"peer\":\"%s\"}", op->u.login.peer);
		if (op->u.login.replaced &&
		    (rc = store_event(s, op->at, op->cand_id, "session_replaced", 0, -1, 0, 0, detail)) !=
			    SQLITE_DONE)
			break;
		rc = store_event(s, op->at, op->cand_id, "login", 0, -1, 0, 0, detail);
		break;
	case STORE_LOGIN_FAILED:
		snprintf(detail, sizeof detail, "{\"peer\":\"%s\",\"reason\":\"%s\"}", op->u.failed.peer,
			 op->u.failed.why);
		rc = store_event(s, op->at, op->cand_id, "login_failed", 0, -1, 0, 0, detail);
		break;
	case STORE_LOGOUT:
		st = s->st[ST_SESSION_LOGOUT];
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, op->u.logout.hash, CRED_HASH_LEN, SQLITE_STATIC);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		rc = store_event(s, op->at, op->cand_id, "logout", 0, -1, 0, 0, NULL);
		break;
	case STORE_START:
		st = s->st[ST_ATTEMPT_START];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, op->cand_id);
		sqlite3_bind_int64(st, 2, op->at);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		rc = store_event(s, op->at, op->cand_id, "start", 0, -1, 0, 0, NULL);
		break;
	case STORE_ANSWER:
		st = s->st[ST_ANSWER_UPSERT];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, op->cand_id);
		sqlite3_bind_int(st, 2, op->u.answer.n);
		store_bind_label(st, 3, op->u.answer.label);
		sqlite3_bind_int(st, 4, op->u.answer.flagged);
		sqlite3_bind_int64(st, 5, op->u.answer.rev);
		sqlite3_bind_int64(st, 6, op->at);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		rc = store_event(s, op->at, op->cand_id, "answer", op->u.answer.n, op->u.answer.label,
				 op->u.answer.flagged, op->u.answer.rev, NULL);
		break;
	case STORE_POSITION:
		st = s->st[ST_POSITION];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, op->cand_id);
		sqlite3_bind_int(st, 2, op->u.position.n);
		rc = store_step(st);
		break;
	case STORE_FINISH:
		st = s->st[ST_ATTEMPT_FINISH];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, op->cand_id);
		sqlite3_bind_int64(st, 2, op->u.finish.finished_at);
		sqlite3_bind_text(st, 3, op->u.finish.reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, op->u.finish.scores_json, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, op->u.finish.total);
		sqlite3_bind_int(st, 6, op->u.finish.passed);
		if ((rc = store_step(st)) != SQLITE_DONE)
			break;
		snprintf(detail, sizeof detail, "{\"reason\":\"%s\",\"total\":%d}", op->u.finish.reason,
			 op->u.finish.total);
		rc = store_event(s, op->at, op->cand_id, "finish", 0, -1, 0, 0, detail);
		break;
	}
	return rc;
}

/* Commit one batch, retrying while another process holds the write lock.
 * Any other failure is fatal (see the header). */
static void store_commit(struct store *s, struct store_op *batch)
{
	for (int attempt = 0;; attempt++) {
		int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		struct store_op *op;
		if (rc == SQLITE_OK) {
			int k = 0, half = 0;
#ifdef UJIAN_CRASHPOINTS
			if (batch)
				store_crash_batches++;
			for (op = batch; op; op = op->next)
				half++;
			half /= 2;
#endif
			for (op = batch; op && rc == SQLITE_OK; op = op->next, k++) {
				if (k == half)
					store_crash_point(CRASH_MID_BATCH);
				if (store_apply(s, op) != SQLITE_DONE)
					rc = sqlite3_errcode(s->db);
			}
			if (rc == SQLITE_OK && s->heartbeat) {
				sqlite3_reset(s->st[ST_HEARTBEAT]);
				sqlite3_bind_int64(s->st[ST_HEARTBEAT], 1, clock_now_ms());
				if (store_step(s->st[ST_HEARTBEAT]) != SQLITE_DONE)
					rc = sqlite3_errcode(s->db);
			}
			if (rc == SQLITE_OK)
				rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		}
		if (rc == SQLITE_OK) {
			if (batch)
				store_crash_point(CRASH_AFTER_COMMIT);
			atomic_store(&s->last_commit_ms, clock_now_ms());
			return;
		}
		if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
			if (attempt % 100 == 0)
				log_warn("store: database busy (another process writing?); retrying");
			usleep(5000);
			continue;
		}
		log_error("store: cannot commit (%s); stopping so that nothing unsaved is acknowledged",
			  sqlite3_errmsg(s->db));
		abort();
	}
}

static void store_deliver(void *arg)
{
	struct store_op *op = arg;
	while (op) {
		struct store_op *next = op->next;
		if (op->done)
			op->done(op);
		if (op->kind == STORE_FINISH)
			free(op->u.finish.scores_json);
		free(op);
		op = next;
	}
}

static void *store_main(void *arg)
{
	struct store *s = arg;
	int64_t last_beat = 0;

	for (;;) {
		struct store_op *batch = NULL, **tailp = &batch;
		int n = 0, stop;
		pthread_mutex_lock(&s->lock);
		while (!s->head && !s->stopping) {
			struct timespec ts;
			int64_t due = last_beat + STORE_HEARTBEAT_MS - clock_now_ms();
			if (s->heartbeat && due <= 0)
				break;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long)(due > 0 && due < STORE_HEARTBEAT_MS ? due : STORE_HEARTBEAT_MS) * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&s->cond, &s->lock, &ts);
		}
		while (s->head && n < UJ_BATCH_MAX) {
			struct store_op *op = s->head;
			s->head = op->next;
			op->next = NULL;
			*tailp = op;
			tailp = &op->next;
			n++;
		}
		if (!s->head)
			s->tail = NULL;
		stop = s->stopping && !s->head && !batch;
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		if (batch || s->heartbeat) {
			store_commit(s, batch);
			last_beat = clock_now_ms();
		}
		if (batch) {
			atomic_fetch_sub(&s->backlog, n);
			mailbox_post(s->mb, store_deliver, batch);
		}
	}
	if (s->heartbeat)
		store_commit(s, NULL);
	return NULL;
}

struct store *store_start(const char *db_path, struct mailbox *mb, int heartbeat, char *err,
			  size_t errlen)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->mb = mb;
	s->heartbeat = heartbeat;
	atomic_init(&s->backlog, 0);
	atomic_init(&s->last_commit_ms, clock_now_ms());
	store_crash_init();
	s->db = db_open(db_path, DB_OPEN_EXISTING, err, errlen);
	if (!s->db)
		goto fail;
	for (int i = 0; i < ST_MAX; i++)
		if (!(s->st[i] = db_prepare(s->db, store_sql[i], err, errlen)))
			goto fail;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, store_main, s) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		goto fail;
	}
	return s;
fail:
	for (int i = 0; i < ST_MAX; i++)
		sqlite3_finalize(s->st[i]);
	db_close(s->db);
	free(s);
	return NULL;
}

void store_submit(struct store *s, struct store_op *op)
{
	op->next = NULL;
	atomic_fetch_add(&s->backlog, 1);
	pthread_mutex_lock(&s->lock);
	if (s->tail)
		s->tail->next = op;
	else
		s->head = op;
	s->tail = op;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

long store_backlog(const struct store *s)
{
	return atomic_load(&((struct store *)s)->backlog);
}

int64_t store_last_commit_ms(const struct store *s)
{
	return atomic_load(&((struct store *)s)->last_commit_ms);
}

void store_stop(struct store *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	for (int i = 0; i < ST_MAX; i++)
		sqlite3_finalize(s->st[i]);
	db_close(s->db);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
