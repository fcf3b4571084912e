/* privilege.h - running as a dedicated user (docs/OPERATIONS.md, "Running it
 * for real").
 *
 * `ujian serve --user NAME` binds its ports and opens its files as root,
 * then gives root up for good: supplementary groups, group and user become
 * NAME's. Everything the server opens later (the database's read-write
 * connections of staff changes, the WAL, the catalog watcher's reads) must
 * then be NAME's to open, which privilege_drop checks before it returns. */
#ifndef UJIAN_PRIVILEGE_H
#define UJIAN_PRIVILEGE_H

#include <stddef.h>

/* Become user (a name from the password database) for good, then check that
 * the database db_path and its folder are readable and writable as that
 * user. Returns 0, or -1 with err (the process must then stop: it may have
 * half-changed identity). Any thread; all threads change (glibc). */
int privilege_drop(const char *user, const char *db_path, char *err, size_t errlen);

/* 1 if the process runs with an effective user id of 0. */
int privilege_is_root(void);

#endif
