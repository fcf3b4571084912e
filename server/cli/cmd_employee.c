/* cmd_employee.c - 'ujian employee import|list|export', 'ujian skp import',
 * 'ujian sanction import': the employee registry from the shell
 * (docs/FORMATS-SELECTION.md).
 *
 * Every import goes through selection/employee.c or personnel.c, which
 * check the whole file, then write it with its audit event (actor: the
 * system, as for every CLI command) and recompute the talent placements in
 * one transaction. Every problem is printed, one a line, with its line and
 * field; nothing is applied when there is one. */
#include "cli/commands.h"
#include "bounds.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/mem.h"
#include "selection/employee.h"
#include "selection/personnel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file at path (at most UJ_CSV_FILE_MAX bytes) into *data; 0, or -1
 * after a message. */
static int emp_read_file(const char *cmd, const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "ujian %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	*data = xmalloc((size_t)UJ_CSV_FILE_MAX + 1);
	*len = fread(*data, 1, (size_t)UJ_CSV_FILE_MAX + 1, f);
	fclose(f);
	if (*len > (size_t)UJ_CSV_FILE_MAX) {
		fprintf(stderr, "ujian %s: %s: larger than %d bytes\n", cmd, path, UJ_CSV_FILE_MAX);
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

enum emp_import_kind { IMPORT_EMPLOYEES, IMPORT_SKP, IMPORT_SANCTIONS };

/* 'ujian employee import', 'ujian skp import', 'ujian sanction import'. */
static int emp_import_cmd(const char *cmd, enum emp_import_kind kind, int argc, char **argv)
{
	const char *dbp = NULL, *pos[1];
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	struct emp_import_result er;
	struct personnel_result pr;
	struct errlist errs;
	char prefix[1100], *data = NULL;
	size_t len = 0;
	sqlite3 *db = NULL;
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, pos, 1) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (emp_read_file(cmd, pos[0], &data, &len) || !(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (kind == IMPORT_EMPLOYEES) {
		if (employee_import(db, data, len, actor_system(), clock_now_ms(), &er, &errs) == 0) {
			printf("employees: %d created, %d updated, %d unchanged\n", er.created,
			       er.updated, er.unchanged);
			rc = 0;
		}
	} else if ((kind == IMPORT_SKP ? skp_import : sanction_import)(
			   db, data, len, actor_system(), clock_now_ms(), &pr, &errs) == 0) {
		printf("%s: %d created, %d updated, %d unchanged\n",
		       kind == IMPORT_SKP ? "skp" : "sanctions", pr.created, pr.updated,
		       pr.unchanged);
		rc = 0;
	}
	snprintf(prefix, sizeof prefix, "ujian %s: %s", cmd, pos[0]);
	errlist_print(&errs, stderr, prefix);
out:
	free(data);
	errlist_free(&errs);
	db_close(db);
	return rc;
}

/* 'ujian employee list': one employee a line. */
static int emp_list_cmd(int argc, char **argv)
{
	const char *cmd = "employee list", *dbp = NULL, *unit = NULL, *type = NULL, *q = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "unit", &unit, NULL },
			       { "type", &type, NULL },
			       { "q", &q, NULL },
			       { NULL, NULL, NULL } };
	char err[512];
	json_t *j = NULL, *row;
	sqlite3 *db = NULL;
	size_t i;
	int rc = 2;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (type && emp_type_parse(type) < 0) {
		fprintf(stderr, "ujian %s: --type \"%s\": expected jpt, administrator, pengawas, fungsional or pelaksana\n",
			cmd, type);
		goto out;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto out;
	if (!(j = employee_list_json(db, q, unit, type ? emp_type_codes[emp_type_parse(type)] : NULL,
				     err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	printf("%-18s  %-6s  %-13s  %-30s  %s\n", "NIP", "GRADE", "TYPE", "UNIT", "NAME");
	json_array_foreach(json_object_get(j, "employees"), i, row)
		printf("%-18s  %-6s  %-13s  %-30s  %s\n",
		       json_string_value(json_object_get(row, "nip")),
		       json_string_value(json_object_get(row, "grade")),
		       json_string_value(json_object_get(row, "position_type")),
		       json_string_value(json_object_get(row, "unit")),
		       json_string_value(json_object_get(row, "name")));
	printf("%zu employees\n", json_array_size(json_object_get(j, "employees")));
	rc = 0;
out:
	json_decref(j);
	db_close(db);
	return rc;
}

/* 'ujian employee export': the registry as CSV for a spreadsheet. */
static int emp_export_cmd(int argc, char **argv)
{
	const char *cmd = "employee export", *dbp = NULL, *sep = NULL, *lang = NULL, *outp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "sep", &sep, NULL },
			       { "lang", &lang, NULL },
			       { "output", &outp, NULL },
			       { NULL, NULL, NULL } };
	char err[512];
	sqlite3 *db = NULL;
	FILE *out = stdout;
	int rc = 2;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto out;
	if ((sep && strcmp(sep, ",") && strcmp(sep, ";")) ||
	    (lang && strcmp(lang, "id") && strcmp(lang, "en"))) {
		fprintf(stderr, "ujian %s: --sep , or ; and --lang id or en\n", cmd);
		goto out;
	}
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto out;
	if (outp && !(out = fopen(outp, "wb"))) {
		fprintf(stderr, "ujian %s: %s: %s\n", cmd, outp, strerror(errno));
		out = stdout;
		goto out;
	}
	if (employee_export_csv(db, sep ? sep[0] : ',', lang && strcmp(lang, "en") == 0, out, err,
				sizeof err))
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
	else
		rc = 0;
out:
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "ujian %s: %s: %s\n", cmd, outp, strerror(errno));
		rc = 1;
	}
	db_close(db);
	return rc;
}

int cmd_employee(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "import") == 0)
		return emp_import_cmd("employee import", IMPORT_EMPLOYEES, argc, argv);
	if (strcmp(sub, "list") == 0)
		return emp_list_cmd(argc, argv);
	if (strcmp(sub, "export") == 0)
		return emp_export_cmd(argc, argv);
	fprintf(stderr, "ujian employee: expected import, list or export (see 'ujian employee --help')\n");
	return 2;
}

int cmd_skp(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[2], "import") == 0)
		return emp_import_cmd("skp import", IMPORT_SKP, argc, argv);
	fprintf(stderr, "ujian skp: expected import (see 'ujian skp --help')\n");
	return 2;
}

int cmd_sanction(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[2], "import") == 0)
		return emp_import_cmd("sanction import", IMPORT_SANCTIONS, argc, argv);
	fprintf(stderr, "ujian sanction: expected import (see 'ujian sanction --help')\n");
	return 2;
}
