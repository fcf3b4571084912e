/* test_event.c - the one writer of the event log (server/store/event.c): the
 * canonical detail, the explicit next id and the hash chain, a head left
 * without a hash, and two connections appending at once (as the server's
 * writer and a CLI command do), which must give one linear chain. */
#include "unit.h"

#include "core/mem.h"
#include "store/chain.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ev_op {
	struct wr_op op;
	struct event_rec e;
	json_t *detail;
	int times; /* events appended by this op */
};

static void ev_release(struct wr_op *op)
{
	struct ev_op *o = (struct ev_op *)op;
	json_decref(o->detail);
	free(o);
}

static int ev_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct ev_op *o = (struct ev_op *)op;
	for (int i = 0; i < o->times; i++)
		if (event_append(tx, &o->e))
			return -1;
	return 0;
}

static struct ev_op *ev_new(struct actor who, int64_t cand, const char *kind, int n, int label,
			    json_t *detail, int times)
{
	struct ev_op *o = xcalloc(1, sizeof *o);
	wr_op_init(&o->op, ev_apply, who, 1795395500000);
	o->op.release = ev_release;
	o->detail = detail;
	o->times = times;
	o->e = (struct event_rec){ .at = o->op.at, .actor = who, .candidate_id = cand,
				   .kind = kind, .n = n, .label = label, .flagged = n > 0,
				   .rev = n, .detail = detail };
	return o;
}

struct fx {
	char dir[64], path[128];
	sqlite3 *db;
};

static void fx_open(struct fx *f)
{
	char err[256] = "";
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-event-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/e.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
}

static void fx_close(struct fx *f)
{
	char p[160];
	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
}

/* Walk the chain: ids 1..n without gaps, each prev the hash before it, each
 * hash over the row as stored. Returns n. */
static int check_chain(sqlite3 *db)
{
	uint8_t prev[CHAIN_HASH_LEN], calc[CHAIN_HASH_LEN];
	struct chain_field f[CHAIN_FIELDS];
	sqlite3_stmt *st;
	int n = 0;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT " CHAIN_COLUMNS ", prev, hash FROM events ORDER BY id",
					    -1, &st, NULL),
			 SQLITE_OK);
	memcpy(prev, chain_zero, sizeof prev);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		assert_int_equal(sqlite3_column_int64(st, 0), n);
		chain_fields_of_row(st, 0, f);
		assert_int_equal(sqlite3_column_bytes(st, 11), CHAIN_HASH_LEN);
		assert_int_equal(sqlite3_column_bytes(st, 12), CHAIN_HASH_LEN);
		assert_memory_equal(sqlite3_column_blob(st, 11), prev, CHAIN_HASH_LEN);
		chain_hash(prev, f, calc);
		assert_memory_equal(sqlite3_column_blob(st, 12), calc, CHAIN_HASH_LEN);
		memcpy(prev, calc, sizeof prev);
	}
	sqlite3_finalize(st);
	return n;
}

static void apply(sqlite3 *db, struct ev_op *o)
{
	char err[256] = "";
	if (wr_apply_now(db, &o->op, err, sizeof err))
		fail_msg("wr_apply_now: %s", err);
}

static void test_append_chains(void **state)
{
	(void)state;
	struct fx f;
	sqlite3_stmt *st;

	fx_open(&f);
	apply(f.db, ev_new(actor_candidate(3), 3, "login",
			   0, -1, json_pack("{s:s,s:s}", "peer", "10.0.0.1", "z", "\xc3\xa9"), 1));
	apply(f.db, ev_new(actor_candidate(3), 3, "answer", 5, 1, NULL, 2));
	apply(f.db, ev_new(actor_system(), 3, "finish", 0, -1,
			   json_pack("{s:s,s:i}", "reason", "time_up", "total", 300), 1));
	assert_int_equal(check_chain(f.db), 4);
	/* The columns as event.h describes them. */
	assert_int_equal(sqlite3_prepare_v2(f.db,
					    "SELECT actor_kind, actor_id, n, label, flagged, rev, detail"
					    " FROM events ORDER BY id",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "candidate");
	assert_int_equal(sqlite3_column_int64(st, 1), 3);
	assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
	/* canonical: sorted keys, compact, ASCII */
	assert_string_equal(sqlite3_column_text(st, 6), "{\"peer\":\"10.0.0.1\",\"z\":\"\\u00E9\"}");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 2), 5);
	assert_string_equal(sqlite3_column_text(st, 3), "B");
	assert_int_equal(sqlite3_column_int(st, 4), 1);
	assert_int_equal(sqlite3_column_int(st, 5), 5);
	assert_int_equal(sqlite3_column_type(st, 6), SQLITE_NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "system");
	assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
	sqlite3_finalize(st);
	fx_close(&f);
}

/* A failing operation in the same transaction rolls its events back with
 * it; the next append continues from the committed head. */
static void test_rollback_keeps_chain(void **state)
{
	(void)state;
	struct fx f;
	char err[256];
	struct ev_op *a, *b;

	fx_open(&f);
	apply(f.db, ev_new(actor_candidate(1), 1, "login", 0, -1, NULL, 1));
	a = ev_new(actor_candidate(1), 1, "start", 0, -1, NULL, 1);
	b = ev_new(actor_candidate(1), 1, "answer", 1, 0, NULL, 1);
	b->op.apply = NULL; /* a barrier: applies nothing */
	a->op.next = &b->op;
	assert_int_equal(db_exec(f.db, "CREATE TRIGGER no_start BEFORE INSERT ON events"
				 " WHEN NEW.kind = 'start' BEGIN SELECT RAISE(ABORT, 'no'); END",
				 err, sizeof err),
			 0);
	assert_int_equal(wr_apply_now(f.db, &a->op, err, sizeof err), -1);
	assert_int_equal(db_exec(f.db, "DROP TRIGGER no_start", err, sizeof err), 0);
	apply(f.db, ev_new(actor_candidate(1), 1, "start", 0, -1, NULL, 1));
	assert_int_equal(check_chain(f.db), 2);
	fx_close(&f);
}

/* A head written around event_append (no hash): the next entry links to 32
 * zero bytes and still gets the next id; appending never fails because of
 * it (audit verify names the row). */
static void test_head_without_hash(void **state)
{
	(void)state;
	struct fx f;
	char err[256];
	sqlite3_stmt *st;

	fx_open(&f);
	apply(f.db, ev_new(actor_candidate(1), 1, "login", 0, -1, NULL, 1));
	assert_int_equal(db_exec(f.db, "INSERT INTO events (id, at, kind) VALUES (2, 1, 'forged')",
				 err, sizeof err),
			 0);
	apply(f.db, ev_new(actor_candidate(1), 1, "start", 0, -1, NULL, 1));
	assert_int_equal(sqlite3_prepare_v2(f.db, "SELECT id, prev FROM events WHERE kind = 'start'",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 3);
	assert_memory_equal(sqlite3_column_blob(st, 1), chain_zero, CHAIN_HASH_LEN);
	sqlite3_finalize(st);
	fx_close(&f);
}

#define RACE_TXS 150

struct racer {
	const char *path;
	int64_t who;
	int failed;
};

/* Append RACE_TXS transactions of 1-3 events through a connection of its own. */
static void *race(void *arg)
{
	struct racer *r = arg;
	char err[256];
	sqlite3 *db = db_open(r->path, DB_OPEN_EXISTING, err, sizeof err);
	if (!db) {
		r->failed = 1;
		return NULL;
	}
	for (int i = 0; i < RACE_TXS; i++) {
		struct ev_op *o = ev_new(actor_candidate(r->who), r->who, "answer", 1 + i % 9, i % 5,
					 NULL, 1 + i % 3);
		if (wr_apply_now(db, &o->op, err, sizeof err)) {
			r->failed = 1;
			break;
		}
	}
	db_close(db);
	return NULL;
}

/* Two connections (the server's writer and a CLI command, here two threads
 * with their own connections) append at the same time: every write
 * transaction begins IMMEDIATE, so each reads the head it then extends and
 * the result is one linear chain holding every event. */
static void test_two_writers_one_chain(void **state)
{
	(void)state;
	struct fx f;
	struct racer r[2];
	pthread_t t[2];
	int expect = 0;

	fx_open(&f);
	for (int i = 0; i < RACE_TXS; i++)
		expect += 2 * (1 + i % 3);
	for (int k = 0; k < 2; k++) {
		r[k] = (struct racer){ f.path, k + 1, 0 };
		assert_int_equal(pthread_create(&t[k], NULL, race, &r[k]), 0);
	}
	for (int k = 0; k < 2; k++) {
		pthread_join(t[k], NULL);
		assert_int_equal(r[k].failed, 0);
	}
	assert_int_equal(check_chain(f.db), expect);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_chains),
		cmocka_unit_test(test_rollback_keeps_chain),
		cmocka_unit_test(test_head_without_hash),
		cmocka_unit_test(test_two_writers_one_chain),
	};
	json_object_seed(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
