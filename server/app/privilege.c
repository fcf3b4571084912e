/* privilege.c - giving up root after start-up (include/app/privilege.h). */
#include "app/privilege.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int privilege_is_root(void)
{
	return geteuid() == 0;
}

/* 0 if path is readable and writable (and, for a folder, searchable) by the
 * real user now; else -1 with err naming path. */
static int privilege_can_write(const char *path, int folder, const char *user, char *err,
			       size_t errlen)
{
	int mode = R_OK | W_OK | (folder ? X_OK : 0);
	if (access(path, mode) == 0)
		return 0;
	snprintf(err, errlen,
		 "--user %s: %s %s is not readable and writable by %s (%s); give it to that "
		 "user, e.g. chown -R %s: %s",
		 user, folder ? "folder" : "database", path, user, strerror(errno), user, path);
	return -1;
}

/* The database must already be user's (the operator gave it); the files the
 * server itself created beside it as root just now (the WAL, the shared-
 * memory index, the lock file) become user's too, so the connections it
 * opens later as user can open them. Returns 0, or -1 with err. */
static int privilege_adopt(const char *db_path, uid_t uid, gid_t gid, const char *user,
			   char *err, size_t errlen)
{
	static const char *const sidecars[] = { "-wal", "-shm", ".lock" };
	struct stat st;
	if (stat(db_path, &st) != 0 || st.st_uid != uid) {
		snprintf(err, errlen,
			 "--user %s: the database %s must belong to %s (chown -R %s: its folder)",
			 user, db_path, user, user);
		return -1;
	}
	for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s%s", db_path, sidecars[i]);
		if (stat(path, &st) == 0 && st.st_uid == 0 && chown(path, uid, gid) != 0) {
			snprintf(err, errlen, "--user %s: cannot give %s to %s: %s", user, path,
				 user, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int privilege_drop(const char *user, const char *db_path, char *err, size_t errlen)
{
	struct passwd *pw;
	char *copy = NULL;
	int rc = -1;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "--user %s: no such user%s%s", user, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		goto out;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "--user %s: that is root; name an unprivileged user", user);
		goto out;
	}
	if (!privilege_is_root()) {
		if (geteuid() == pw->pw_uid)
			return 0; /* already that user: nothing to give up */
		snprintf(err, errlen, "--user %s: only root can change user", user);
		goto out;
	}
	if (privilege_adopt(db_path, pw->pw_uid, pw->pw_gid, user, err, errlen))
		goto out;
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		snprintf(err, errlen, "--user %s: cannot change identity: %s", user, strerror(errno));
		goto out;
	}
	/* For good: no way back to root. */
	if (setuid(0) == 0 || geteuid() != pw->pw_uid || getegid() != pw->pw_gid) {
		snprintf(err, errlen, "--user %s: root could be regained; refusing to run", user);
		goto out;
	}
	copy = strdup(db_path);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (privilege_can_write(db_path, 0, user, err, errlen) ||
	    privilege_can_write(dirname(copy), 1, user, err, errlen))
		goto out;
	rc = 0;
out:
	free(copy);
	return rc;
}
