/* cmd_audit.c - 'ujian audit verify|show|head': the hash-chained audit log
 * (report/audit.h) from the command line. Reads only: the database is opened
 * read-only, so these may run beside a serving server. */
#include "bounds.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "report/audit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* "2026-11-23 08:00:05 WIB" */
static char *cmd_audit_time(int64_t ms, char *buf, size_t n)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	if (!localtime_r(&secs, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(buf, n, "%lld ms", (long long)ms);
	return buf;
}

/* Print the verdict of r: "OK: N entries, head HEX" or "FAILED: ...".
 * Returns the exit code (0 or 1). */
static int cmd_audit_verdict(const struct audit_report *r)
{
	char hex[2 * CHAIN_HASH_LEN + 1];
	if (r->problem == AUDIT_OK) {
		printf("OK: %lld entries, head %s\n", (long long)r->count, chain_hex(r->head, hex));
		return 0;
	}
	printf("FAILED: entry %lld (%s): %s\n", (long long)r->bad_id,
	       audit_problem_codes[r->problem], r->message);
	return 1;
}

/* verify [--head HEX] [--expect-count N]; head (verify, then the head in one
 * line for the berita acara). */
static int cmd_audit_verify(const char *name, int argc, char **argv, int head_only)
{
	const char *dbp = NULL, *head = NULL, *count = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { head_only ? NULL : "head", &head, NULL },
			       { "expect-count", &count, NULL },
			       { NULL, NULL, NULL } };
	struct audit_expect x = { 0, { 0 }, 0 };
	struct audit_report r;
	char err[1024], hex[2 * CHAIN_HASH_LEN + 1], t[64];
	sqlite3 *db;
	long v;
	int rc = 1;

	if (cli_parse(name, argc, argv, 3, o, NULL, 0) || cli_need(name, "db", dbp))
		return 2;
	if (head) {
		if (chain_unhex(head, x.head)) {
			fprintf(stderr, "ujian %s: --head \"%s\": expected 64 hexadecimal digits\n",
				name, head);
			return 2;
		}
		x.has_head = 1;
	}
	if (count) {
		if (cli_int(name, "expect-count", count, 1, LONG_MAX, &v))
			return 2;
		x.count = v;
	}
	if (!(db = cli_open(name, dbp, DB_OPEN_READONLY)))
		return 1;
	if (audit_verify(db, head || count ? &x : NULL, &r, err, sizeof err)) {
		fprintf(stderr, "ujian %s: %s\n", name, err);
		goto out;
	}
	if (head_only && r.problem == AUDIT_OK) {
		if (r.count)
			printf("%lld entries, head %s (entry %lld, %s)\n", (long long)r.count,
			       chain_hex(r.head, hex), (long long)r.head_id,
			       cmd_audit_time(r.head_at, t, sizeof t));
		else
			printf("0 entries, head %s\n", chain_hex(r.head, hex));
		rc = 0;
	} else {
		rc = cmd_audit_verdict(&r);
		if (rc == 0 && x.has_head)
			printf("the head written down is in the log: nothing up to it was changed\n");
	}
out:
	db_close(db);
	return rc;
}

static int cmd_audit_show(int argc, char **argv)
{
	const char *dbp = NULL, *since = NULL, *limit = NULL;
	struct audit_filter f;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "exam", &f.exam, NULL },
			       { "actor", &f.actor, NULL },
			       { "candidate", &f.candidate, NULL },
			       { "since", &since, NULL },
			       { "limit", &limit, NULL },
			       { NULL, NULL, NULL } };
	char err[1024];
	sqlite3 *db;
	long n;

	memset(&f, 0, sizeof f);
	if (cli_parse("audit show", argc, argv, 3, o, NULL, 0) || cli_need("audit show", "db", dbp))
		return 2;
	if (since && audit_parse_time(since, &f.since_ms)) {
		fprintf(stderr,
			"ujian audit show: --since \"%s\": expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] "
			"(local time) or an RFC 3339 time\n",
			since);
		return 2;
	}
	if (limit && cli_int("audit show", "limit", limit, 1, UJ_AUDIT_SHOW_MAX, &f.limit))
		return 2;
	if (!(db = cli_open("audit show", dbp, DB_OPEN_READONLY)))
		return 1;
	n = audit_print(db, &f, stdout, err, sizeof err);
	if (n < 0)
		fprintf(stderr, "ujian audit show: %s\n", err);
	db_close(db);
	return n < 0 ? 1 : 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "verify") == 0)
		return cmd_audit_verify("audit verify", argc, argv, 0);
	if (strcmp(sub, "head") == 0)
		return cmd_audit_verify("audit head", argc, argv, 1);
	if (strcmp(sub, "show") == 0)
		return cmd_audit_show(argc, argv);
	fprintf(stderr, "ujian audit: expected 'verify', 'show' or 'head' (see 'ujian help')\n");
	return 2;
}
