/* db.c - connections, pragmas and schema migrations. */
#include "store/db.h"
#include "store/faultvfs.h"
#include "store/chain.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Migration N takes the schema from version N-1 to N. Append only. */
static const char *const db_migrations[] = {
	/* 1: the foundation schema */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE banks (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" current_version_id INTEGER);"
	"CREATE TABLE bank_versions (id INTEGER PRIMARY KEY,"
	" bank_id INTEGER NOT NULL REFERENCES banks(id), version_no INTEGER NOT NULL,"
	" title TEXT NOT NULL, sections_json TEXT NOT NULL, source_sha256 TEXT NOT NULL,"
	" imported_at INTEGER NOT NULL, UNIQUE (bank_id, version_no));"
	"CREATE TABLE items (id INTEGER PRIMARY KEY, bank_id INTEGER NOT NULL REFERENCES banks(id),"
	" item_code TEXT NOT NULL, content_sha256 TEXT NOT NULL, content_json TEXT NOT NULL,"
	" UNIQUE (bank_id, item_code, content_sha256));"
	"CREATE TABLE bank_version_items (bank_version_id INTEGER NOT NULL"
	" REFERENCES bank_versions(id), ord INTEGER NOT NULL,"
	" item_id INTEGER NOT NULL REFERENCES items(id), PRIMARY KEY (bank_version_id, ord))"
	" WITHOUT ROWID;"
	"CREATE TABLE assets (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
	" mime TEXT NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE exams (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" bank_id INTEGER NOT NULL REFERENCES banks(id), definition_json TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE candidates (id INTEGER PRIMARY KEY,"
	" exam_id INTEGER NOT NULL REFERENCES exams(id), registration_no TEXT NOT NULL,"
	" name TEXT NOT NULL, track TEXT NOT NULL, extra_time_s INTEGER NOT NULL,"
	" pw_hash BLOB NOT NULL, created_at INTEGER NOT NULL,"
	" UNIQUE (exam_id, registration_no));"
	"CREATE TABLE papers (candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),"
	" bank_version_id INTEGER NOT NULL REFERENCES bank_versions(id), seed BLOB NOT NULL,"
	" layout_json TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE attempts (candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),"
	" status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished')),"
	" started_at INTEGER NOT NULL, credit_ms INTEGER NOT NULL DEFAULT 0,"
	" finished_at INTEGER, finish_reason TEXT CHECK (finish_reason IN ('submitted', 'time_up')),"
	" scores_json TEXT, total INTEGER, passed INTEGER);"
	"CREATE TABLE answers (candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
	" n INTEGER NOT NULL, label TEXT, flagged INTEGER NOT NULL, rev INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, PRIMARY KEY (candidate_id, n)) WITHOUT ROWID;"
	"CREATE TABLE time_ledger (id INTEGER PRIMARY KEY,"
	" candidate_id INTEGER NOT NULL REFERENCES candidates(id), at INTEGER NOT NULL,"
	" kind TEXT NOT NULL, delta_ms INTEGER NOT NULL, note TEXT);"
	"CREATE TABLE sessions (token_hash BLOB PRIMARY KEY,"
	" candidate_id INTEGER NOT NULL REFERENCES candidates(id), created_at INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('active', 'replaced', 'logged_out')),"
	" peer TEXT) WITHOUT ROWID;"
	"CREATE INDEX sessions_candidate ON sessions (candidate_id, created_at);"
	"CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, candidate_id INTEGER,"
	" kind TEXT NOT NULL, n INTEGER, label TEXT, flagged INTEGER, rev INTEGER, detail TEXT);"
	"CREATE INDEX events_candidate ON events (candidate_id, id);"
	"INSERT INTO meta (key, value) VALUES ('catalog_version', 1);",
	/* 2: the question a candidate is on, so a login on another PC lands there */
	"ALTER TABLE attempts ADD COLUMN position INTEGER NOT NULL DEFAULT 1;",
	/* 3: who caused each event (system, candidate or staff); NULL before v3 */
	("ALTER TABLE events ADD COLUMN actor_kind TEXT;"
	 "ALTER TABLE events ADD COLUMN actor_id INTEGER;"),
	/* 4: staff accounts, their exam scope and their sessions */
	("CREATE TABLE staff (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
	 " name TEXT NOT NULL, roles INTEGER NOT NULL, pw_hash TEXT NOT NULL,"
	 " disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
	 " pw_changed_at INTEGER NOT NULL, last_login_at INTEGER);"
	 "CREATE TABLE staff_scope (staff_id INTEGER NOT NULL REFERENCES staff(id),"
	 " exam_id INTEGER NOT NULL REFERENCES exams(id), PRIMARY KEY (staff_id, exam_id))"
	 " WITHOUT ROWID;"
	 "CREATE TABLE staff_sessions (token_hash BLOB PRIMARY KEY,"
	 " staff_id INTEGER NOT NULL REFERENCES staff(id), csrf TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, ended_at INTEGER,"
	 " ended_why TEXT, peer TEXT NOT NULL);"
	 "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id, created_at);"),
	/* 5: the hash chain of the event log (store/chain.h): each entry's
	 * predecessor's hash and its own; the C step below chains the events
	 * written before */
	("ALTER TABLE events ADD COLUMN prev BLOB;"
	 "ALTER TABLE events ADD COLUMN hash BLOB;"),
	/* 6: proctoring: sittings (sesi) with their token and proctors, each
	 * candidate's sitting, proctors' broadcast messages, and attempts that
	 * can be paused and ended by a proctor or disqualified (the CHECK on
	 * finish_reason changes, so the table is rebuilt) */
	("CREATE TABLE sittings (id INTEGER PRIMARY KEY,"
	 " exam_id INTEGER NOT NULL REFERENCES exams(id), code TEXT NOT NULL,"
	 " room TEXT NOT NULL DEFAULT '', starts_at INTEGER NOT NULL DEFAULT 0,"
	 " rotate_min INTEGER NOT NULL DEFAULT 0, start_together INTEGER NOT NULL DEFAULT 0,"
	 " token TEXT NOT NULL, prev_token TEXT NOT NULL DEFAULT '', token_at INTEGER NOT NULL,"
	 " started_at INTEGER, closed_at INTEGER, closed_by INTEGER, closed_head TEXT,"
	 " created_at INTEGER NOT NULL, UNIQUE (exam_id, code));"
	 "CREATE TABLE sitting_proctors (sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
	 " staff_id INTEGER NOT NULL REFERENCES staff(id), PRIMARY KEY (sitting_id, staff_id))"
	 " WITHOUT ROWID;"
	 "ALTER TABLE candidates ADD COLUMN sitting_id INTEGER;"
	 "CREATE TABLE notices (id INTEGER PRIMARY KEY, exam_id INTEGER NOT NULL,"
	 " sitting_id INTEGER, candidate_id INTEGER, at INTEGER NOT NULL, staff_id INTEGER,"
	 " body TEXT NOT NULL);"
	 "CREATE TABLE attempts_v6 (candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id),"
	 " status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished')),"
	 " started_at INTEGER NOT NULL, credit_ms INTEGER NOT NULL DEFAULT 0,"
	 " finished_at INTEGER, finish_reason TEXT CHECK (finish_reason IN"
	 " ('submitted', 'time_up', 'proctor', 'disqualified')),"
	 " scores_json TEXT, total INTEGER, passed INTEGER,"
	 " position INTEGER NOT NULL DEFAULT 1, paused_at INTEGER, pause_reason TEXT);"
	 "INSERT INTO attempts_v6 (candidate_id, status, started_at, credit_ms, finished_at,"
	 " finish_reason, scores_json, total, passed, position) SELECT candidate_id, status,"
	 " started_at, credit_ms, finished_at, finish_reason, scores_json, total, passed, position"
	 " FROM attempts;"
	 "DROP TABLE attempts;"
	 "ALTER TABLE attempts_v6 RENAME TO attempts;"
	 /* partial indexes: only staff actions and incidents are indexed, so
	  * the answers' events cost nothing more */
	 "CREATE INDEX events_staff ON events (id) WHERE actor_kind = 'staff';"
	 "CREATE INDEX events_incident ON events (candidate_id, id) WHERE kind = 'incident';"),
	/* 7: selection records (server/selection/, docs/SELECTION.md): the
	 * employee registry with sanctions and SKP ratings, a candidate's NIP,
	 * talent-mapping periods with entered potential components and the
	 * placements (nine-box) they give, open-bidding selections with their
	 * members, vacancies, applicants, members' stage entries and gate
	 * decisions, and the signed result slips */
	("CREATE TABLE employees (id INTEGER PRIMARY KEY, nip TEXT NOT NULL UNIQUE,"
	 " name TEXT NOT NULL, grade TEXT NOT NULL, position TEXT NOT NULL DEFAULT '',"
	 " position_type TEXT NOT NULL CHECK (position_type IN"
	 " ('jpt', 'administrator', 'pengawas', 'fungsional', 'pelaksana')),"
	 " unit TEXT NOT NULL DEFAULT '', agency TEXT NOT NULL DEFAULT '',"
	 " education TEXT NOT NULL DEFAULT '', birth_date TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	 "CREATE TABLE sanctions (id INTEGER PRIMARY KEY,"
	 " employee_id INTEGER NOT NULL REFERENCES employees(id), type TEXT NOT NULL,"
	 " level TEXT NOT NULL CHECK (level IN ('light', 'moderate', 'heavy')),"
	 " date TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);"
	 "CREATE INDEX sanctions_employee ON sanctions (employee_id, date);"
	 "CREATE TABLE skp (employee_id INTEGER NOT NULL REFERENCES employees(id),"
	 " year INTEGER NOT NULL, predikat TEXT NOT NULL CHECK (predikat IN ('sangat_baik',"
	 " 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang')), updated_at INTEGER NOT NULL,"
	 " PRIMARY KEY (employee_id, year)) WITHOUT ROWID;"
	 "ALTER TABLE candidates ADD COLUMN nip TEXT;"
	 "CREATE INDEX candidates_nip ON candidates (nip) WHERE nip IS NOT NULL;"
	 "CREATE TABLE talent_periods (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	 " name TEXT NOT NULL, config_json TEXT NOT NULL, created_at INTEGER NOT NULL,"
	 " closed_at INTEGER);"
	 "CREATE TABLE talent_scores (period_id INTEGER NOT NULL REFERENCES talent_periods(id),"
	 " employee_id INTEGER NOT NULL REFERENCES employees(id), component TEXT NOT NULL,"
	 " value REAL NOT NULL, staff_id INTEGER, at INTEGER NOT NULL,"
	 " PRIMARY KEY (period_id, employee_id, component)) WITHOUT ROWID;"
	 "CREATE TABLE placements (period_id INTEGER NOT NULL REFERENCES talent_periods(id),"
	 " employee_id INTEGER NOT NULL REFERENCES employees(id),"
	 " perf TEXT CHECK (perf IN ('above', 'meets', 'below')), potential REAL,"
	 " pot_level TEXT CHECK (pot_level IN ('high', 'medium', 'low')), box INTEGER,"
	 " in_pool INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
	 " detail_json TEXT NOT NULL, updated_at INTEGER NOT NULL,"
	 " PRIMARY KEY (period_id, employee_id)) WITHOUT ROWID;"
	 "CREATE TABLE selections (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	 " name TEXT NOT NULL, agency TEXT NOT NULL DEFAULT '', config_json TEXT NOT NULL,"
	 " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),"
	 " created_at INTEGER NOT NULL, closed_at INTEGER, closed_by INTEGER);"
	 "CREATE TABLE selection_members (selection_id INTEGER NOT NULL REFERENCES selections(id),"
	 " staff_id INTEGER NOT NULL REFERENCES staff(id), role TEXT NOT NULL DEFAULT 'member'"
	 " CHECK (role IN ('chair', 'secretary', 'member')),"
	 " PRIMARY KEY (selection_id, staff_id)) WITHOUT ROWID;"
	 "CREATE TABLE vacancies (id INTEGER PRIMARY KEY,"
	 " selection_id INTEGER NOT NULL REFERENCES selections(id), code TEXT NOT NULL,"
	 " position TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',"
	 " openings INTEGER NOT NULL DEFAULT 1, min_grade TEXT NOT NULL DEFAULT '',"
	 " requirements TEXT NOT NULL DEFAULT '', ppk_applicant_id INTEGER, ppk_note TEXT,"
	 " ppk_at INTEGER, ppk_by INTEGER, UNIQUE (selection_id, code));"
	 "CREATE TABLE applicants (id INTEGER PRIMARY KEY,"
	 " vacancy_id INTEGER NOT NULL REFERENCES vacancies(id),"
	 " kind TEXT NOT NULL CHECK (kind IN ('internal', 'external')),"
	 " employee_id INTEGER REFERENCES employees(id), nik TEXT, name TEXT NOT NULL,"
	 " origin TEXT NOT NULL DEFAULT '', exam_code TEXT, registration_no TEXT,"
	 " created_at INTEGER NOT NULL,"
	 " CHECK ((kind = 'internal') = (employee_id IS NOT NULL)),"
	 " CHECK ((kind = 'external') = (nik IS NOT NULL)));"
	 "CREATE UNIQUE INDEX applicants_employee ON applicants (vacancy_id, employee_id)"
	 " WHERE employee_id IS NOT NULL;"
	 "CREATE UNIQUE INDEX applicants_nik ON applicants (vacancy_id, nik) WHERE nik IS NOT NULL;"
	 "CREATE TABLE stage_scores (applicant_id INTEGER NOT NULL REFERENCES applicants(id),"
	 " stage TEXT NOT NULL, staff_id INTEGER NOT NULL, score REAL NOT NULL,"
	 " at INTEGER NOT NULL, PRIMARY KEY (applicant_id, stage, staff_id)) WITHOUT ROWID;"
	 "CREATE TABLE stage_gates (applicant_id INTEGER NOT NULL REFERENCES applicants(id),"
	 " stage TEXT NOT NULL, passed INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',"
	 " staff_id INTEGER NOT NULL, at INTEGER NOT NULL,"
	 " PRIMARY KEY (applicant_id, stage)) WITHOUT ROWID;"
	 "CREATE TABLE slips (code TEXT PRIMARY KEY,"
	 " candidate_id INTEGER NOT NULL UNIQUE REFERENCES candidates(id),"
	 " payload TEXT NOT NULL, sig BLOB NOT NULL, created_at INTEGER NOT NULL)"
	 " WITHOUT ROWID;"),
	/* 8: Rasch calibrations of a bank (analysis/calib.h), each with the data
	 * it came from: the candidates and items (JSON arrays of ids) and the
	 * SHA-256 of the response matrix; result_json holds the estimates */
	("CREATE TABLE calibrations (id INTEGER PRIMARY KEY,"
	 " bank_id INTEGER NOT NULL REFERENCES banks(id),"
	 " bank_version_id INTEGER NOT NULL REFERENCES bank_versions(id),"
	 " created_at INTEGER NOT NULL, created_by INTEGER REFERENCES staff(id),"
	 " method TEXT NOT NULL, tolerance REAL NOT NULL, iterations INTEGER NOT NULL,"
	 " converged INTEGER NOT NULL, n_persons INTEGER NOT NULL, n_items INTEGER NOT NULL,"
	 " n_responses INTEGER NOT NULL, data_sha256 TEXT NOT NULL,"
	 " candidate_ids TEXT NOT NULL, item_ids TEXT NOT NULL, result_json TEXT NOT NULL);"
	 "CREATE INDEX calibrations_bank ON calibrations (bank_id, id);"),
};

/* A C step that runs after migration N's SQL, in the same transaction (index
 * N-1; most migrations have none). */
typedef int (*db_step_fn)(sqlite3 *db, char *err, size_t errlen);
static const db_step_fn db_steps[] = {
	[5 - 1] = chain_seal_all, /* 5: chain the events written before version 5 */
};

#define DB_N_MIGRATIONS ((int)(sizeof db_migrations / sizeof *db_migrations))

_Static_assert(DB_N_MIGRATIONS == DB_SCHEMA_VERSION, "one migration per schema version");
_Static_assert(sizeof db_steps / sizeof *db_steps <= DB_SCHEMA_VERSION, "a step per migration at most");

static int db_user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_exists(const char *path, char *err, size_t errlen)
{
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(err, errlen, "%s: no such database (create it with 'ujian init --db %s')", path,
		 path);
	return -1;
}

sqlite3 *db_open(const char *path, enum db_open_mode mode, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_NOMUTEX;
	int v;

	if (mode != DB_OPEN_CREATE && db_exists(path, err, errlen))
		return NULL;
#ifdef UJIAN_FAULTS
	if (faultvfs_install() != 0) { /* store/faultvfs.h: test builds only */
		snprintf(err, errlen, "cannot install the fault-injection VFS");
		return NULL;
	}
#endif
	flags |= mode == DB_OPEN_READONLY ? SQLITE_OPEN_READONLY
					  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", path,
			 db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	if (mode != DB_OPEN_READONLY &&
	    db_exec(db, "PRAGMA journal_mode=WAL", err, errlen))
		goto fail;
	if (db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", err, errlen))
		goto fail;
	v = db_user_version(db);
	if (v < 0) {
		snprintf(err, errlen, "%s: not an SQLite database: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (v > DB_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "%s: database schema version %d is newer than this ujian (%d); upgrade ujian",
			 path, v, DB_SCHEMA_VERSION);
		goto fail;
	}
	if (mode != DB_OPEN_CREATE && v < DB_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "%s: database schema version %d is older than %d; run 'ujian init --db %s' to migrate",
			 path, v, DB_SCHEMA_VERSION, path);
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

int db_migrate(sqlite3 *db, char *err, size_t errlen)
{
	int v = db_user_version(db);
	char sql[64];

	for (; v < DB_SCHEMA_VERSION; v++) {
		if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
			return -1;
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (db_exec(db, db_migrations[v], err, errlen) ||
		    (v < (int)(sizeof db_steps / sizeof *db_steps) && db_steps[v] &&
		     db_steps[v](db, err, errlen)) ||
		    db_exec(db, sql, err, errlen)) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (db_exec(db, "COMMIT", err, errlen))
			return -1;
	}
	return 0;
}

int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "database error: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

void db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int64_t db_meta_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_meta_set(sqlite3 *db, const char *key, int64_t value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO meta (key, value) VALUES (?, ?)"
			       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

int db_bump_catalog(sqlite3 *db)
{
	return db_meta_set(db, "catalog_version", db_meta_get(db, "catalog_version") + 1);
}
