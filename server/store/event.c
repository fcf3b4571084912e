/* event.c - appending to the event log: the canonical detail encoding and
 * the hash chain (store/chain.h). */
#include "store/event.h"
#include "store/chain.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The head of the chain: the entry with the highest id. */
static const char event_head_sql[] = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
static const char event_sql[] =
	"INSERT INTO events (id, at, candidate_id, kind, n, label, flagged, rev, detail,"
	" actor_kind, actor_id, prev, hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

static const char event_labels[] = "ABCDEF";

char *event_encode(const json_t *detail)
{
	if (!detail)
		return NULL;
	return json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

/* Read the head of the chain in tx: the next id and the hash the new entry
 * links to (32 zero bytes for the first entry; also when the head has no
 * valid hash - a row written around this function, which audit verify names;
 * appending never fails because of what someone else wrote). 0 or -1. */
static int event_head(struct wr_tx *tx, int64_t *next_id, uint8_t prev[CHAIN_HASH_LEN])
{
	sqlite3_stmt *st = wr_stmt(tx, event_head_sql);
	int rc;

	if (!st)
		return -1;
	*next_id = 1;
	memcpy(prev, chain_zero, CHAIN_HASH_LEN);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*next_id = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_type(st, 1) == SQLITE_BLOB &&
		    sqlite3_column_bytes(st, 1) == CHAIN_HASH_LEN)
			memcpy(prev, sqlite3_column_blob(st, 1), CHAIN_HASH_LEN);
	}
	sqlite3_reset(st); /* no read statement stays open across the commit */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Concurrency: the head is read and the entry inserted inside the same write
 * transaction, and every write transaction on the database begins with BEGIN
 * IMMEDIATE (the writer thread's wr_try, wr_apply_now for recovery and the
 * CLI, db_migrate), which takes SQLite's write lock before the first read.
 * Write transactions are serialized across connections and processes, so no
 * other writer can append between our read of the head and our insert: the
 * chain stays linear however many processes write (tests/unit/store/
 * test_event.c races two connections; with a deferred BEGIN the second
 * writer's upgrade fails with a stale snapshot instead: the chain would not
 * fork, as the explicit id is the primary key, but operations would fail).
 * Reading the head costs one seek to the last row of the table's b-tree,
 * whose pages the previous append left in the cache. A batch that is rolled
 * back and re-applied (the writer's isolation of a failing operation)
 * re-reads the head and recomputes every hash. */
int event_append(struct wr_tx *tx, const struct event_rec *e)
{
	sqlite3_stmt *st;
	struct chain_field f[CHAIN_FIELDS];
	uint8_t prev[CHAIN_HASH_LEN], hash[CHAIN_HASH_LEN];
	const char *actor = actor_kind_names[e->actor.kind];
	char *detail = NULL;
	int64_t id;
	int rc;

	assert(e->kind && e->actor.kind < ACTOR_KIND_MAX);
	assert(e->label >= -1 && e->label < (int)sizeof event_labels - 1);
	if (event_head(tx, &id, prev) || !(st = wr_stmt(tx, event_sql)))
		return -1;
	if (e->detail) {
		detail = event_encode(e->detail);
		if (!detail)
			abort(); /* out of memory */
	}
	/* The fields exactly as they are bound below (CHAIN_COLUMNS order). */
	f[0] = chain_int(id);
	f[1] = chain_int(e->at);
	f[2] = chain_text(actor, strlen(actor));
	f[3] = e->actor.kind != ACTOR_SYSTEM ? chain_int(e->actor.id) : chain_null();
	f[4] = e->candidate_id > 0 ? chain_int(e->candidate_id) : chain_null();
	f[5] = chain_text(e->kind, strlen(e->kind));
	f[6] = f[7] = f[8] = f[9] = chain_null();
	if (e->n > 0) {
		f[6] = chain_int(e->n);
		if (e->label >= 0)
			f[7] = chain_text(&event_labels[e->label], 1);
		f[8] = chain_int(e->flagged);
		f[9] = chain_int(e->rev);
	}
	f[10] = detail ? chain_text(detail, strlen(detail)) : chain_null();
	chain_hash(prev, f, hash);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, e->at);
	if (e->candidate_id > 0)
		sqlite3_bind_int64(st, 3, e->candidate_id);
	sqlite3_bind_text(st, 4, e->kind, -1, SQLITE_STATIC);
	if (e->n > 0) {
		sqlite3_bind_int(st, 5, e->n);
		if (e->label >= 0)
			sqlite3_bind_text(st, 6, &event_labels[e->label], 1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, e->flagged);
		sqlite3_bind_int64(st, 8, e->rev);
	}
	if (detail)
		sqlite3_bind_text(st, 9, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, actor, -1, SQLITE_STATIC);
	if (e->actor.kind != ACTOR_SYSTEM)
		sqlite3_bind_int64(st, 11, e->actor.id);
	sqlite3_bind_blob(st, 12, prev, sizeof prev, SQLITE_STATIC);
	sqlite3_bind_blob(st, 13, hash, sizeof hash, SQLITE_STATIC);
	rc = wr_step(st);
	sqlite3_clear_bindings(st); /* detail, prev and hash go out of scope next */
	free(detail);
	return rc;
}
