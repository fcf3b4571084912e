/* dblock.h - one server per database: an exclusive lock on a lock file
 * beside the database (<db>.lock), held for the server's life.
 *
 * flock(2) on the lock file, not on the database: SQLite's own POSIX locks on
 * the database file must never be disturbed by another descriptor of it. The
 * kernel drops the lock when the process ends, however it ends (SIGKILL
 * included), so a crashed server never blocks its restart. The file holds the
 * owner's process id, for the message a refused start prints; it is left in
 * place on exit (removing it would race with the next start). CLI commands
 * that import into a running server's database do not take this lock. */
#ifndef UJIAN_DBLOCK_H
#define UJIAN_DBLOCK_H

#include <stddef.h>

/* The lock file's path for db_path; caller frees. */
char *dblock_path(const char *db_path);
/* Take the lock for db_path (creating <db>.lock, mode 0600) without
 * waiting. Returns the descriptor that holds it, or -1 with err naming the
 * process that holds it (or the system error). */
int dblock_acquire(const char *db_path, char *err, size_t errlen);
/* Release a lock taken by dblock_acquire (-1: nothing). */
void dblock_release(int fd);

#endif
