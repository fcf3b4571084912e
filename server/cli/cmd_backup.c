/* cmd_backup.c - 'ujian backup': an online, consistent copy of the database
 * and its key, checked after writing (integrity, schema version, and the
 * audit log's hash chain). Runs beside a serving server. */
#include "auth/cred.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/mem.h"
#include "report/audit.h"
#include "report/slip.h"
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy the key file src to dst (new, 0600). 0 or -1 with err. */
static int backup_copy_key(const char *src, const char *dst, char *err, size_t errlen)
{
	char buf[4096];
	int in = open(src, O_RDONLY), out = -1, rc = -1;
	ssize_t n;

	if (in < 0) {
		snprintf(err, errlen, "key %s: %s", src, strerror(errno));
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (out < 0) {
		snprintf(err, errlen, "key %s: %s", dst, strerror(errno));
		goto done;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			snprintf(err, errlen, "key %s: %s", dst, strerror(errno));
			goto done;
		}
	if (n < 0 || fsync(out) != 0) {
		snprintf(err, errlen, "key %s: %s", dst, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	close(in);
	if (out >= 0)
		close(out);
	if (rc && out >= 0)
		unlink(dst);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	const char *cmd = "backup", *dbp = NULL, *outp = NULL, *keyp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "out", &outp, NULL },
			       { "key", &keyp, NULL },
			       { NULL, NULL, NULL } };
	struct backup_report br;
	struct audit_report ar;
	char err[1024], hex[2 * CHAIN_HASH_LEN + 1];
	char *src_key = NULL, *dst_key = NULL, *src_slip = NULL, *dst_slip = NULL;
	int slip = 0;
	sqlite3 *db = NULL;
	int rc = 1;

	if (cli_parse(cmd, argc, argv, 2, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "out", outp))
		return 2;
	src_key = keyp ? xstrdup(keyp) : cred_key_path(dbp);
	dst_key = cred_key_path(outp);
	src_slip = slip_key_path(dbp); /* issue 11: the slip signing key, when there is one */
	dst_slip = slip_key_path(outp);
	slip = access(src_slip, F_OK) == 0;
	if (slip && access(dst_slip, F_OK) == 0) {
		fprintf(stderr, "ujian backup: %s exists already (a backup never replaces a file)\n",
			dst_slip);
		goto out;
	}
	if (access(dst_key, F_OK) == 0) {
		fprintf(stderr, "ujian backup: %s exists already (a backup never replaces a file)\n",
			dst_key);
		goto out;
	}
	if (db_backup(dbp, outp, &br, err, sizeof err)) {
		fprintf(stderr, "ujian backup: %s\n", err);
		goto out;
	}
	if (backup_copy_key(src_key, dst_key, err, sizeof err)) {
		fprintf(stderr, "ujian backup: %s (the database copy %s is complete; copy the key "
				"by hand, it is needed to check candidate passwords)\n",
			err, outp);
		goto out;
	}
	if (slip && backup_copy_key(src_slip, dst_slip, err, sizeof err)) {
		fprintf(stderr, "ujian backup: %s (the database copy %s is complete; copy the slip "
				"key by hand, it signs and verifies result slips)\n",
			err, outp);
		goto out;
	}
	printf("backup %s: %lld pages, %lld bytes, schema version %d, integrity ok; key %s\n", outp,
	       (long long)br.pages, (long long)br.bytes, br.schema, dst_key);
	/* The audit chain of the copy: a copy of a tampered log says so now. */
	if (!(db = cli_open(cmd, outp, DB_OPEN_READONLY)) ||
	    audit_verify(db, NULL, &ar, err, sizeof err)) {
		if (db)
			fprintf(stderr, "ujian backup: audit chain of the copy: %s\n", err);
		goto out;
	}
	if (ar.problem != AUDIT_OK) {
		fprintf(stderr, "ujian backup: the copy is faithful, but its audit chain FAILED: %s\n",
			ar.message);
		goto out;
	}
	cred_hex(ar.head, CHAIN_HASH_LEN, hex);
	printf("audit chain OK: %lld entries, head %s\n", (long long)ar.count, hex);
	if (slip)
		printf("slip key %s\n", dst_slip);
	rc = 0;
out:
	db_close(db);
	free(src_key);
	free(dst_key);
	free(src_slip);
	free(dst_slip);
	return rc;
}
