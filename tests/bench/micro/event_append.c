/* event_append.c - micro benchmark of the writer's per-answer work: the
 * answers upsert plus event_append (with the audit chain: reading the head,
 * hashing, inserting prev and hash), 512 answers per transaction like a full
 * writer batch, synchronous=FULL. Prints wall and CPU microseconds per
 * answer. Build and run: make bench-event (docs/BENCHMARKS.md). To compare
 * with another version of store/event.c, link that object instead.
 *
 * "bench-event position" measures a move to another question instead (the
 * attempts row's position and, since issue 14, a "position" event);
 * "bench-event position-bare" the same without the event (the writer's work
 * before issue 14). An optional last argument names the database file. */
#include "core/mem.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 512
#define TXS 400

static const char upsert_sql[] =
	"INSERT INTO answers (candidate_id, n, label, flagged, rev, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (candidate_id, n) DO UPDATE"
	" SET label = excluded.label, flagged = excluded.flagged,"
	" rev = excluded.rev, updated_at = excluded.updated_at WHERE excluded.rev > answers.rev";

static const char position_sql[] = "UPDATE attempts SET position = ?2 WHERE candidate_id = ?1";

enum bench_mode { MODE_ANSWER, MODE_POSITION, MODE_POSITION_BARE };

struct batch_op {
	struct wr_op op;
	int base;
	enum bench_mode mode;
};

/* A move of BATCH candidates to another question (with its event unless bare). */
static int position_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct batch_op *b = (struct batch_op *)op;
	for (int i = 0; i < BATCH; i++) {
		int64_t cand = 1 + (b->base + i) % 1000;
		struct event_rec e = { .at = op->at + i, .actor = actor_candidate(cand),
				       .candidate_id = cand, .kind = "position",
				       .n = 1 + (b->base + i) % 110, .label = -1 };
		sqlite3_stmt *st = wr_stmt(tx, position_sql);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, cand);
		sqlite3_bind_int(st, 2, e.n);
		if (wr_step(st) || (b->mode == MODE_POSITION && event_append(tx, &e)))
			return -1;
	}
	return 0;
}

static int batch_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct batch_op *b = (struct batch_op *)op;
	for (int i = 0; i < BATCH; i++) {
		int64_t cand = 1 + (b->base + i) % 1000;
		struct event_rec e = { .at = op->at + i, .actor = actor_candidate(cand),
				       .candidate_id = cand, .kind = "answer",
				       .n = 1 + (b->base + i) % 110, .label = i % 5,
				       .rev = b->base + i + 1 };
		sqlite3_stmt *st = wr_stmt(tx, upsert_sql);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, cand);
		sqlite3_bind_int(st, 2, e.n);
		sqlite3_bind_text(st, 3, &"ABCDE"[e.label], 1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, 0);
		sqlite3_bind_int64(st, 5, e.rev);
		sqlite3_bind_int64(st, 6, e.at);
		if (wr_step(st) || event_append(tx, &e))
			return -1;
	}
	return 0;
}

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "answer", "position", "position-bare" };
	enum bench_mode mode = MODE_ANSWER;
	const char *path = "event-bench.db";
	char err[256], p[512];
	sqlite3 *db;
	double t0, t1;
	clock_t c0, c1;
	long n = (long)TXS * BATCH;

	for (int i = 1; i < argc; i++) {
		int m = -1;
		for (int k = 0; k < 3; k++)
			if (strcmp(argv[i], modes[k]) == 0)
				m = k;
		if (m >= 0)
			mode = (enum bench_mode)m;
		else
			path = argv[i];
	}
	unlink(path);
	if (!(db = db_open(path, DB_OPEN_CREATE, err, sizeof err)) || db_migrate(db, err, sizeof err) ||
	    db_exec(db, "PRAGMA foreign_keys=OFF", err, sizeof err) ||
	    db_exec(db,
		    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)"
		    " INSERT INTO attempts (candidate_id, status, started_at) SELECT i, 'in_progress',"
		    " 0 FROM k",
		    err, sizeof err)) {
		fprintf(stderr, "event_append: %s\n", err);
		return 1;
	}
	t0 = mono();
	c0 = clock();
	for (int k = 0; k < TXS; k++) {
		struct batch_op *b = xcalloc(1, sizeof *b);
		wr_op_init(&b->op, mode == MODE_ANSWER ? batch_apply : position_apply, actor_system(),
			   1795395500000 + k * BATCH);
		b->base = k * BATCH;
		b->mode = mode;
		if (wr_apply_now(db, &b->op, err, sizeof err)) {
			fprintf(stderr, "event_append: %s\n", err);
			return 1;
		}
	}
	t1 = mono();
	c1 = clock();
	printf("%ld %s in %d transactions: %.2f us wall, %.2f us CPU per %s\n", n,
	       mode == MODE_ANSWER ? "answers" : mode == MODE_POSITION ? "moves (with event)" : "moves (no event)",
	       TXS, (t1 - t0) / (double)n * 1e6, (double)(c1 - c0) / CLOCKS_PER_SEC / (double)n * 1e6,
	       mode == MODE_ANSWER ? "answer" : "move");
	db_close(db);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}
