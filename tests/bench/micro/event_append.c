/* event_append.c - micro benchmark of the writer's per-answer work: the
 * answers upsert plus event_append (with the audit chain: reading the head,
 * hashing, inserting prev and hash), 512 answers per transaction like a full
 * writer batch, synchronous=FULL. Prints wall and CPU microseconds per
 * answer. Build and run: make bench-event (docs/BENCHMARKS.md). To compare
 * with another version of store/event.c, link that object instead. */
#include "core/mem.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define BATCH 512
#define TXS 400

static const char upsert_sql[] =
	"INSERT INTO answers (candidate_id, n, label, flagged, rev, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (candidate_id, n) DO UPDATE"
	" SET label = excluded.label, flagged = excluded.flagged,"
	" rev = excluded.rev, updated_at = excluded.updated_at WHERE excluded.rev > answers.rev";

struct batch_op {
	struct wr_op op;
	int base;
};

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
	const char *path = argc > 1 ? argv[1] : "event-bench.db";
	char err[256], p[512];
	sqlite3 *db;
	double t0, t1;
	clock_t c0, c1;
	long n = (long)TXS * BATCH;

	unlink(path);
	if (!(db = db_open(path, DB_OPEN_CREATE, err, sizeof err)) || db_migrate(db, err, sizeof err) ||
	    db_exec(db, "PRAGMA foreign_keys=OFF", err, sizeof err)) {
		fprintf(stderr, "event_append: %s\n", err);
		return 1;
	}
	t0 = mono();
	c0 = clock();
	for (int k = 0; k < TXS; k++) {
		struct batch_op *b = xcalloc(1, sizeof *b);
		wr_op_init(&b->op, batch_apply, actor_system(), 1795395500000 + k * BATCH);
		b->base = k * BATCH;
		if (wr_apply_now(db, &b->op, err, sizeof err)) {
			fprintf(stderr, "event_append: %s\n", err);
			return 1;
		}
	}
	t1 = mono();
	c1 = clock();
	printf("%ld answers in %d transactions: %.2f us wall, %.2f us CPU per answer\n", n, TXS,
	       (t1 - t0) / (double)n * 1e6, (double)(c1 - c0) / CLOCKS_PER_SEC / (double)n * 1e6);
	db_close(db);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}
