/* cmd_selection.c - 'ujian selection add|applicants|list|show': open-bidding
 * selections from the shell (selection/bidding.h).
 *
 * Changes are made as the system (the audit log names no staff member) and
 * checked whole: every problem is printed, one a line, and nothing is
 * written. */
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "selection/bidding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Report a write's outcome; returns the exit code. */
static int sel_report(const char *cmd, const struct bid_result *r)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "ujian %s", cmd);
	switch (r->status) {
	case BID_OK:
		return 0;
	case BID_INVALID:
		errlist_print(r->errs, stderr, prefix);
		return 1;
	default:
		fprintf(stderr, "%s: %s\n", prefix, r->err[0] ? r->err : bid_status_code(r->status));
		return 1;
	}
}

static const struct bid_who sel_system = { { ACTOR_SYSTEM, 0 }, BID_ROLE_ADMIN };

static int sel_add(int argc, char **argv)
{
	const char *cmd = "selection add", *dbp = NULL, *file = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	struct errlist errs;
	struct bid_result r = { .errs = &errs };
	sqlite3 *db = NULL;
	json_t *body = NULL;
	char err[512];
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, &file, 1) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(body = jc_load_file(file, 1024 * 1024, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	bid_selection_create(db, body, &sel_system, clock_now_ms(), &r);
	rc = sel_report(cmd, &r);
	if (!rc)
		printf("selection %s created\n", r.selection);
out:
	json_decref(body);
	db_close(db);
	errlist_free(&errs);
	return rc;
}

/* The whole file (NUL-terminated) or NULL after a message. */
static char *sel_read(const char *cmd, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > UJ_CSV_FILE_MAX ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "ujian %s: %s: cannot read (or larger than %d bytes)\n", cmd, path,
			UJ_CSV_FILE_MAX);
		if (f)
			fclose(f);
		return NULL;
	}
	buf = xmalloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int sel_applicants(int argc, char **argv)
{
	const char *cmd = "selection applicants", *dbp = NULL, *pos[2] = { NULL, NULL };
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	struct errlist errs;
	struct bid_result r = { .errs = &errs };
	sqlite3 *db = NULL;
	char *csv = NULL;
	size_t len = 0;
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, pos, 2) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(csv = sel_read(cmd, pos[1], &len)) || !(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	bid_applicants_import(db, pos[0], csv, len, &sel_system, clock_now_ms(), &r);
	rc = sel_report(cmd, &r);
	if (!rc)
		printf("%d applicant%s added to %s\n", r.created, r.created == 1 ? "" : "s",
		       r.selection);
out:
	free(csv);
	db_close(db);
	errlist_free(&errs);
	return rc;
}

static int sel_list(int argc, char **argv)
{
	const char *cmd = "selection list", *dbp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	sqlite3 *db = NULL;
	json_t *out = NULL, *row;
	char err[256];
	size_t i;
	int rc = 2;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto done;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto done;
	if (!(out = bid_list_json(db, 0, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto done;
	}
	printf("%-16s %-7s %9s %10s  %s\n", "CODE", "STATUS", "VACANCIES", "APPLICANTS", "NAME");
	json_array_foreach(json_object_get(out, "selections"), i, row)
		printf("%-16s %-7s %9d %10d  %s\n", json_string_value(json_object_get(row, "code")),
		       json_string_value(json_object_get(row, "status")),
		       (int)json_integer_value(json_object_get(row, "vacancies")),
		       (int)json_integer_value(json_object_get(row, "applicants")),
		       json_string_value(json_object_get(row, "name")));
	rc = 0;
done:
	json_decref(out);
	db_close(db);
	return rc;
}

/* The ranking of one vacancy as a table. */
static void sel_print_vacancy(const json_t *v)
{
	const json_t *stages = json_object_get(v, "stages"), *a, *s;
	size_t i, k;
	printf("%-4s %-6s %-20s %-30s", "RANK", "ID", "NIP/NIK", "NAME");
	json_array_foreach(stages, k, s)
		printf(" %12.12s", json_string_value(json_object_get(s, "code")));
	printf(" %7s  %s\n", "FINAL", "STATUS");
	json_array_foreach(json_object_get(v, "applicants"), i, a) {
		const json_t *rank = json_object_get(a, "rank"), *fin = json_object_get(a, "final");
		const json_t *id = json_object_get(a, "nip");
		char rk[8] = "-", fs[16] = "-";
		if (json_is_integer(rank))
			snprintf(rk, sizeof rk, "%d", (int)json_integer_value(rank));
		if (json_is_number(fin))
			snprintf(fs, sizeof fs, "%.2f", json_number_value(fin));
		printf("%-4s %-6lld %-20s %-30.30s", rk,
		       (long long)json_integer_value(json_object_get(a, "id")),
		       json_string_value(json_is_string(id) ? id : json_object_get(a, "nik")),
		       json_string_value(json_object_get(a, "name")));
		json_array_foreach(stages, k, s) {
			const json_t *st = json_object_get(json_object_get(a, "stages"),
							   json_string_value(json_object_get(s, "code")));
			const json_t *sc = json_object_get(st, "score"), *p = json_object_get(st, "passed");
			char cell[16] = "-";
			if (json_is_number(sc))
				snprintf(cell, sizeof cell, "%.2f", json_number_value(sc));
			else if (json_is_boolean(p))
				snprintf(cell, sizeof cell, "%s", json_is_true(p) ? "pass" : "FAIL");
			printf(" %12s", cell);
		}
		printf(" %7s  %s%s%s\n", fs, json_string_value(json_object_get(a, "status")),
		       json_is_string(json_object_get(a, "out_stage")) ? " at " : "",
		       json_is_string(json_object_get(a, "out_stage"))
			       ? json_string_value(json_object_get(a, "out_stage"))
			       : "");
	}
}

static int sel_show(int argc, char **argv)
{
	const char *cmd = "selection show", *dbp = NULL, *pos[2] = { NULL, NULL };
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	sqlite3 *db = NULL;
	json_t *out = NULL, *v, *m;
	enum bid_status st;
	char err[256] = "";
	size_t i;
	int rc = 2;

	int npos = 0;
	/* SEL, or SEL VAC: count the arguments that are not options */
	for (int ai = 3; ai < argc; ai++) {
		if (strncmp(argv[ai], "--", 2) == 0) {
			ai += strchr(argv[ai], '=') == NULL;
			continue;
		}
		npos++;
	}
	if (cli_parse(cmd, argc, argv, 3, o, pos, npos == 2 ? 2 : 1) || cli_need(cmd, "db", dbp))
		goto done;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto done;
	if (pos[1]) {
		if (!(out = bid_vacancy_json(db, pos[0], pos[1], 0, &st, err, sizeof err))) {
			fprintf(stderr, "ujian %s: %s %s: %s\n", cmd, pos[0], pos[1],
				err[0] ? err : "no such selection or vacancy");
			goto done;
		}
		sel_print_vacancy(out);
		rc = 0;
		goto done;
	}
	if (!(out = bid_selection_json(db, pos[0], 0, &st, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s: %s\n", cmd, pos[0], err[0] ? err : "no such selection");
		goto done;
	}
	v = json_object_get(out, "selection");
	printf("%s  %s (%s)\n", json_string_value(json_object_get(v, "code")),
	       json_string_value(json_object_get(v, "name")),
	       json_string_value(json_object_get(v, "status")));
	json_array_foreach(json_object_get(v, "members"), i, m)
		printf("  member %-16s %-9s %s\n", json_string_value(json_object_get(m, "username")),
		       json_string_value(json_object_get(m, "role")),
		       json_string_value(json_object_get(m, "name")));
	json_array_foreach(json_object_get(out, "vacancies"), i, v)
		printf("  vacancy %-12s %3d applicant(s), %3d active  %s\n",
		       json_string_value(json_object_get(v, "code")),
		       (int)json_integer_value(json_object_get(v, "applicants")),
		       (int)json_integer_value(json_object_get(v, "active")),
		       json_string_value(json_object_get(v, "position")));
	rc = 0;
done:
	json_decref(out);
	db_close(db);
	return rc;
}

int cmd_selection(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "add") == 0)
		return sel_add(argc, argv);
	if (strcmp(sub, "applicants") == 0)
		return sel_applicants(argc, argv);
	if (strcmp(sub, "list") == 0)
		return sel_list(argc, argv);
	if (strcmp(sub, "show") == 0)
		return sel_show(argc, argv);
	fprintf(stderr, "ujian selection: expected add, applicants, list or show (see 'ujian help')\n");
	return 2;
}
