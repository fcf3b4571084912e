/* faultvfs.c - storage fault injection (store/faultvfs.h): a wrapper around
 * the default SQLite VFS whose files fail writes, syncs and truncations on
 * demand. Compiled only with -DUJIAN_FAULTS. */
#ifdef UJIAN_FAULTS

#include "store/faultvfs.h"
#include "core/log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A file of the shim: our header, then the real VFS's file. */
struct fv_file {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs fv_vfs;
static sqlite3_vfs *fv_real;
static sqlite3_io_methods fv_methods;
static pthread_once_t fv_once = PTHREAD_ONCE_INIT;
static int fv_installed = -1;

static atomic_long fv_calls[FAULT_KIND_MAX];
static atomic_long fv_at[FAULT_KIND_MAX]; /* fail when calls reach this (0: never) */
static atomic_int fv_code[FAULT_KIND_MAX];
static atomic_int fv_every, fv_every_code;
static atomic_long fv_injected;
static char fv_ctl[1024]; /* UJIAN_FAULT_FILE, set once at install */

/* The fault for one call of kind: 0 (none) or the SQLite code to return. */
static int fv_fault(enum faultvfs_kind kind)
{
	long n = atomic_fetch_add(&fv_calls[kind], 1) + 1;
	long at = atomic_load(&fv_at[kind]);
	int code = 0;

	if (at > 0 && n == at) {
		code = atomic_load(&fv_code[kind]);
		atomic_store(&fv_at[kind], 0);
	} else if (atomic_load(&fv_every)) {
		code = atomic_load(&fv_every_code);
	} else if (fv_ctl[0]) {
		struct stat st;
		if (stat(fv_ctl, &st) == 0) {
			char head[8] = "";
			FILE *f = fopen(fv_ctl, "r");
			if (f) {
				if (!fgets(head, sizeof head, f))
					head[0] = 0;
				fclose(f);
			}
			code = strncmp(head, "ioerr", 5) == 0 ? SQLITE_IOERR_WRITE : SQLITE_FULL;
		}
	}
	if (code)
		atomic_fetch_add(&fv_injected, 1);
	return code;
}

static int fv_close(sqlite3_file *f)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xClose(p->real);
}

static int fv_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xRead(p->real, buf, amt, off);
}

static int fv_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	struct fv_file *p = (struct fv_file *)f;
	int code = fv_fault(FAULT_WRITE);
	return code ? code : p->real->pMethods->xWrite(p->real, buf, amt, off);
}

static int fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct fv_file *p = (struct fv_file *)f;
	int code = fv_fault(FAULT_TRUNCATE);
	return code ? code : p->real->pMethods->xTruncate(p->real, size);
}

static int fv_sync(sqlite3_file *f, int flags)
{
	struct fv_file *p = (struct fv_file *)f;
	int code = fv_fault(FAULT_SYNC);
	/* A failing fsync reports SQLITE_IOERR_FSYNC whatever was asked: that
	 * is what the unix VFS says when fsync(2) fails. */
	if (code)
		return code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
	return p->real->pMethods->xSync(p->real, flags);
}

static int fv_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xFileSize(p->real, size);
}

static int fv_lock(sqlite3_file *f, int lock)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xLock(p->real, lock);
}

static int fv_unlock(sqlite3_file *f, int lock)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xUnlock(p->real, lock);
}

static int fv_check_lock(sqlite3_file *f, int *out)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int fv_control(sqlite3_file *f, int op, void *arg)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int fv_sector(sqlite3_file *f)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xSectorSize(p->real);
}

static int fv_device(sqlite3_file *f)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int fv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **out)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, out);
}

static int fv_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xShmLock(p->real, off, n, flags);
}

static void fv_shm_barrier(sqlite3_file *f)
{
	struct fv_file *p = (struct fv_file *)f;
	p->real->pMethods->xShmBarrier(p->real);
}

static int fv_shm_unmap(sqlite3_file *f, int del)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xShmUnmap(p->real, del);
}

static int fv_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xFetch(p->real, off, amt, pp);
}

static int fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pg)
{
	struct fv_file *p = (struct fv_file *)f;
	return p->real->pMethods->xUnfetch(p->real, off, pg);
}

/* Open through the real VFS; our methods only if it opened (SQLite calls
 * xClose only on a file whose pMethods is set). */
static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct fv_file *p = (struct fv_file *)f;
	int rc;
	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	rc = fv_real->xOpen(fv_real, name, p->real, flags, out);
	p->base.pMethods = p->real->pMethods ? &fv_methods : NULL;
	return rc;
}

static int fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return fv_real->xDelete(fv_real, name, sync_dir);
}

static int fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return fv_real->xAccess(fv_real, name, flags, out);
}

static int fv_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return fv_real->xFullPathname(fv_real, name, n, out);
}

static void *fv_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fv_real->xDlOpen(fv_real, name);
}

static void fv_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	fv_real->xDlError(fv_real, n, msg);
}

static void (*fv_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return fv_real->xDlSym(fv_real, h, sym);
}

static void fv_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	fv_real->xDlClose(fv_real, h);
}

static int fv_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv_real->xRandomness(fv_real, n, out);
}

static int fv_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return fv_real->xSleep(fv_real, us);
}

static int fv_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return fv_real->xCurrentTime(fv_real, out);
}

static int fv_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv_real->xGetLastError ? fv_real->xGetLastError(fv_real, n, out) : 0;
}

static int fv_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return fv_real->xCurrentTimeInt64(fv_real, out);
}

/* Parse "KIND:N[:ioerr]" into an armed fault; a malformed value is
 * reported and ignored. */
static void fv_parse(const char *v)
{
	static const char *const names[FAULT_KIND_MAX] = { "write", "sync", "truncate" };
	for (int k = 0; k < FAULT_KIND_MAX; k++) {
		size_t len = strlen(names[k]);
		if (strncmp(v, names[k], len) == 0 && v[len] == ':') {
			char *end;
			long n = strtol(v + len + 1, &end, 10);
			if (n >= 1 && (*end == 0 || strcmp(end, ":ioerr") == 0 ||
				       strcmp(end, ":full") == 0)) {
				faultvfs_arm((enum faultvfs_kind)k, n,
					     strcmp(end, ":ioerr") == 0 ? SQLITE_IOERR_WRITE
									: SQLITE_FULL);
				log_warn("storage fault armed: %s", v);
				return;
			}
		}
	}
	log_warn("UJIAN_FAULT=%s not understood (want write|sync|truncate:N[:ioerr])", v);
}

static void fv_install_once(void)
{
	const char *v;
	fv_real = sqlite3_vfs_find(NULL);
	if (!fv_real) {
		fv_installed = -1;
		return;
	}
	fv_methods = (sqlite3_io_methods){
		.iVersion = 3,
		.xClose = fv_close,
		.xRead = fv_read,
		.xWrite = fv_write,
		.xTruncate = fv_truncate,
		.xSync = fv_sync,
		.xFileSize = fv_size,
		.xLock = fv_lock,
		.xUnlock = fv_unlock,
		.xCheckReservedLock = fv_check_lock,
		.xFileControl = fv_control,
		.xSectorSize = fv_sector,
		.xDeviceCharacteristics = fv_device,
		.xShmMap = fv_shm_map,
		.xShmLock = fv_shm_lock,
		.xShmBarrier = fv_shm_barrier,
		.xShmUnmap = fv_shm_unmap,
		.xFetch = fv_fetch,
		.xUnfetch = fv_unfetch,
	};
	fv_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct fv_file) + fv_real->szOsFile,
		.mxPathname = fv_real->mxPathname,
		.zName = "ujian-faults",
		.xOpen = fv_open,
		.xDelete = fv_delete,
		.xAccess = fv_access,
		.xFullPathname = fv_full_path,
		.xDlOpen = fv_dl_open,
		.xDlError = fv_dl_error,
		.xDlSym = fv_dl_sym,
		.xDlClose = fv_dl_close,
		.xRandomness = fv_random,
		.xSleep = fv_sleep,
		.xCurrentTime = fv_time,
		.xGetLastError = fv_last_error,
		.xCurrentTimeInt64 = fv_time64,
	};
	if (sqlite3_vfs_register(&fv_vfs, 1) != SQLITE_OK) {
		fv_installed = -1;
		return;
	}
	fv_installed = 0;
	if ((v = getenv("UJIAN_FAULT")) && *v)
		fv_parse(v);
	if ((v = getenv("UJIAN_FAULT_FILE")) && *v) {
		snprintf(fv_ctl, sizeof fv_ctl, "%s", v);
		log_warn("storage faults while %s exists", fv_ctl);
	}
}

int faultvfs_install(void)
{
	pthread_once(&fv_once, fv_install_once);
	return fv_installed;
}

void faultvfs_arm(enum faultvfs_kind kind, long n, int code)
{
	atomic_store(&fv_code[kind], code);
	atomic_store(&fv_at[kind], n > 0 ? atomic_load(&fv_calls[kind]) + n : 0);
}

void faultvfs_every(int on, int code)
{
	atomic_store(&fv_every_code, code);
	atomic_store(&fv_every, on);
}

long faultvfs_calls(enum faultvfs_kind kind)
{
	return atomic_load(&fv_calls[kind]);
}

long faultvfs_injected(void)
{
	return atomic_load(&fv_injected);
}

#else
/* ISO C forbids an empty translation unit. */
typedef int faultvfs_unused;
#endif
