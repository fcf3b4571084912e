/* sel_fx.h - a fresh migrated database in a temporary folder, for the
 * selection unit tests. */
#ifndef UJIAN_SEL_FX_H
#define UJIAN_SEL_FX_H

#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct sel_fx {
	char dir[64], path[128];
	sqlite3 *db;
};

static inline void sel_fx_open(struct sel_fx *f)
{
	char err[256] = "";
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-sel-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
}

static inline void sel_fx_close(struct sel_fx *f)
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

/* One integer from a query (-1 if no row). */
static inline long long sel_fx_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
