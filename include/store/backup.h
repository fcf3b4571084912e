/* backup.h - an online, consistent copy of the database through SQLite's
 * backup API.
 *
 * The copy is one snapshot (one read transaction on the source, so a server
 * writing meanwhile neither blocks nor tears it), written to a new file that
 * did not exist (never over another database), private (0600 through the
 * process umask), then reopened and checked: PRAGMA integrity_check and the
 * same schema version as the source. */
#ifndef UJIAN_BACKUP_H
#define UJIAN_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct backup_report {
	int64_t pages;     /* pages copied */
	int64_t bytes;     /* the copy's size */
	int schema;        /* its schema version */
};

/* Copy src to dst (which must not exist). On failure dst is removed.
 * Returns 0 with r filled, or -1 with err. */
int db_backup(const char *src, const char *dst, struct backup_report *r, char *err,
	      size_t errlen);

#endif
