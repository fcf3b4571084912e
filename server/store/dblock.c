/* dblock.c - the lock file that keeps a database to one server. */
#include "store/dblock.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

char *dblock_path(const char *db_path)
{
	return xasprintf("%s.lock", db_path);
}

/* The process id written in the lock file, or 0. */
static long dblock_owner(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int dblock_acquire(const char *db_path, char *err, size_t errlen)
{
	char *path = dblock_path(db_path), pid[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600), n;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the lock file: %s", path, strerror(errno));
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		long owner = errno == EWOULDBLOCK ? dblock_owner(fd) : 0;
		if (errno == EWOULDBLOCK && owner > 0)
			snprintf(err, errlen,
				 "database %s is already served by another ujian (process %ld; lock "
				 "file %s); stop that one first",
				 db_path, owner, path);
		else if (errno == EWOULDBLOCK)
			snprintf(err, errlen,
				 "database %s is already served by another ujian (lock file %s); stop "
				 "that one first",
				 db_path, path);
		else
			snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(errno));
		goto fail;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(err, errlen, "%s: cannot write the lock file: %s", path, strerror(errno));
		goto fail;
	}
	free(path);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

void dblock_release(int fd)
{
	if (fd < 0)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}
