/* backup.c - consistent online copies of the database (see store/backup.h). */
#include "store/backup.h"
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Check the copy: integrity and schema version. 0 or -1 with err. */
static int backup_check(const char *dst, int want_schema, char *err, size_t errlen)
{
	sqlite3 *db = db_open(dst, DB_OPEN_READONLY, err, errlen);
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (!db)
		return -1;
	if (!(st = db_prepare(db, "PRAGMA integrity_check", err, errlen)))
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		snprintf(err, errlen, "%s: the copy fails its integrity check: %s", dst,
			 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "?");
		goto out;
	}
	sqlite3_finalize(st);
	if (!(st = db_prepare(db, "PRAGMA user_version", err, errlen)))
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != want_schema) {
		snprintf(err, errlen, "%s: the copy has schema version %d, not %d", dst,
			 sqlite3_column_int(st, 0), want_schema);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	db_close(db);
	return rc;
}

int db_backup(const char *src, const char *dst, struct backup_report *r, char *err,
	      size_t errlen)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b = NULL;
	struct stat sb;
	int rc = -1, made = 0, fd;

	memset(r, 0, sizeof *r);
	/* A new file only: a backup never replaces a database. */
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dst,
			 errno == EEXIST ? "exists already (a backup never replaces a file)"
					 : strerror(errno));
		return -1;
	}
	close(fd);
	made = 1;
	if (!(from = db_open(src, DB_OPEN_EXISTING, err, errlen)))
		goto out;
	if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dst, to ? sqlite3_errmsg(to) : "cannot open");
		goto out;
	}
	if (!(b = sqlite3_backup_init(to, "main", from, "main"))) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(to));
		goto out;
	}
	/* All pages in one step: one read transaction, one snapshot. A busy
	 * source (another connection checkpointing) is retried. */
	for (int tries = 0;; tries++) {
		int s = sqlite3_backup_step(b, -1);
		if (s == SQLITE_DONE)
			break;
		if ((s == SQLITE_BUSY || s == SQLITE_LOCKED) && tries < 100) {
			sqlite3_sleep(50);
			continue;
		}
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(s));
		goto out;
	}
	r->pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	b = NULL;
	if (sqlite3_errcode(to) != SQLITE_OK) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(to));
		goto out;
	}
	/* The copy is a database of its own: its log folded in, one file. */
	if (sqlite3_exec(to, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(to));
		goto out;
	}
	sqlite3_close(to);
	to = NULL;
	if (backup_check(dst, DB_SCHEMA_VERSION, err, errlen))
		goto out;
	r->schema = DB_SCHEMA_VERSION;
	if (stat(dst, &sb) == 0)
		r->bytes = sb.st_size;
	rc = 0;
out:
	if (b)
		sqlite3_backup_finish(b);
	if (to)
		sqlite3_close(to);
	db_close(from);
	if (rc && made) {
		char side[4096];
		unlink(dst);
		snprintf(side, sizeof side, "%s-wal", dst);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", dst);
		unlink(side);
	}
	return rc;
}
