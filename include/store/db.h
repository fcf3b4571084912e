/* db.h - the SQLite database: opening, schema migrations, small helpers.
 *
 * Every connection uses WAL with synchronous=FULL, so a committed transaction
 * survives power loss. The schema version is PRAGMA user_version; migrations
 * only move forward. */
#ifndef UJIAN_DB_H
#define UJIAN_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define DB_SCHEMA_VERSION 8

enum db_open_mode {
	DB_OPEN_CREATE,   /* create the file if missing (init) */
	DB_OPEN_EXISTING, /* must exist and be at DB_SCHEMA_VERSION */
	DB_OPEN_READONLY  /* must exist; read-only connection */
};

/* Open path. Returns the connection, or NULL with err. */
/* 0 if the database file exists, else -1 with err saying how to create it. */
int db_exists(const char *path, char *err, size_t errlen);
sqlite3 *db_open(const char *path, enum db_open_mode mode, char *err, size_t errlen);
/* Apply pending migrations in one transaction each (a migration is SQL and,
 * for some, a C step in the same transaction). Returns 0 or -1 with err. */
int db_migrate(sqlite3 *db, char *err, size_t errlen);
/* Run SQL without results. Returns 0 or -1 with err ("what: sqlite message"). */
int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
/* Prepare a statement; on failure writes err and returns NULL. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, char *err, size_t errlen);
void db_close(sqlite3 *db);

/* meta table: integer values by key (0 when absent). */
int64_t db_meta_get(sqlite3 *db, const char *key);
int db_meta_set(sqlite3 *db, const char *key, int64_t value);
/* Increment meta "catalog_version" (inside the caller's transaction) so a
 * running server notices new exams and candidates. */
int db_bump_catalog(sqlite3 *db);

#endif
