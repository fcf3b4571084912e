/* faultvfs.h - storage fault injection for tests (issue 12): an SQLite VFS
 * that wraps the default one and makes writes, syncs or truncations fail
 * with SQLITE_FULL or SQLITE_IOERR_WRITE, so the writer's handling of a full
 * or failing disk can be tested without a full disk.
 *
 * Compiled in only with -DUJIAN_FAULTS (make fault-build: build-fault/ujian),
 * like the crash points; a normal build has none of it. db_open installs it
 * (once, as the default VFS) and reads the environment:
 *
 *   UJIAN_FAULT=write:N[:ioerr]     the N-th write (1-based, counted over
 *   UJIAN_FAULT=sync:N[:ioerr]      every file SQLite writes) / sync /
 *   UJIAN_FAULT=truncate:N[:ioerr]  truncation fails once (SQLITE_FULL, or
 *                                   SQLITE_IOERR_WRITE with ":ioerr")
 *   UJIAN_FAULT_FILE=PATH           while PATH exists, every write, sync and
 *                                   truncation fails: SQLITE_FULL, or
 *                                   SQLITE_IOERR_WRITE if the file starts
 *                                   with "ioerr" (a test turns "disk full"
 *                                   on and off from outside)
 *
 * Unit tests include server/store/faultvfs.c with UJIAN_FAULTS defined and
 * drive it through the functions below. */
#ifndef UJIAN_FAULTVFS_H
#define UJIAN_FAULTVFS_H

#ifdef UJIAN_FAULTS

enum faultvfs_kind { FAULT_WRITE, FAULT_SYNC, FAULT_TRUNCATE, FAULT_KIND_MAX };

/* Register the shim as the default VFS (idempotent, thread-safe) and read
 * the environment (above). Returns 0, or -1 if SQLite refused it. */
int faultvfs_install(void);
/* Make the n-th call of kind from now on fail once with code (n >= 1;
 * n = 0 disarms). */
void faultvfs_arm(enum faultvfs_kind kind, long n, int code);
/* Fail every write, sync and truncation with code while on. */
void faultvfs_every(int on, int code);
/* Calls of kind seen and faults injected so far. */
long faultvfs_calls(enum faultvfs_kind kind);
long faultvfs_injected(void);

#endif
#endif
