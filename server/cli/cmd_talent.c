/* cmd_talent.c - 'ujian talent period add|list|recompute|scores': talent
 * mapping from the shell (docs/SELECTION.md).
 *
 * Changes go through selection/talent.h, which checks them whole, writes
 * them with their audit event (actor: the system, as for every CLI
 * command) and recomputes the placements in one transaction. A running
 * server shows them at the next read; its live feed learns of a new period
 * within UJ_TALENT_REFRESH_MS. Problems are printed one a line, all of them. */
#include "bounds.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "selection/talent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int talent_fail(const char *cmd, struct errlist *errs)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "ujian %s", cmd);
	errlist_print(errs, stderr, prefix);
	return 1;
}

/* ujian talent period add --db FILE PERIOD.json */
static int talent_period_add(int argc, char **argv)
{
	static const char *const keys[] = { "code", "name", "config", NULL };
	const char *cmd = "talent period add", *dbp = NULL, *path = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	struct errlist errs;
	json_t *doc = NULL;
	sqlite3 *db = NULL;
	char err[512];
	const char *bad;
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 4, o, &path, 1) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(doc = jc_load_file(path, UJ_BODY_MAX, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	if (!json_is_object(doc)) {
		fprintf(stderr, "ujian %s: %s: expected {\"code\", \"name\", \"config\"}\n", cmd, path);
		goto out;
	}
	if ((bad = jc_unknown_key(doc, keys))) {
		fprintf(stderr, "ujian %s: %s: unknown key \"%s\"\n", cmd, path, bad);
		goto out;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	if (talent_period_create(db, json_string_value(json_object_get(doc, "code")),
				 json_string_value(json_object_get(doc, "name")),
				 json_object_get(doc, "config"), actor_system(), clock_now_ms(),
				 &errs)) {
		rc = talent_fail(cmd, &errs);
		goto out;
	}
	printf("period %s created\n", json_string_value(json_object_get(doc, "code")));
	rc = 0;
out:
	json_decref(doc);
	errlist_free(&errs);
	db_close(db);
	return rc;
}

/* ujian talent list --db FILE */
static int talent_list(int argc, char **argv)
{
	const char *cmd = "talent list", *dbp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	json_t *doc = NULL, *p;
	sqlite3 *db = NULL;
	char err[512];
	size_t i;
	int rc = 2;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto out;
	if (!(doc = talent_periods_json(db, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	printf("%-16s %-40s %9s %7s %9s %9s %6s\n", "PERIOD", "NAME", "EMPLOYEES", "MAPPED",
	       "UNMAPPED", "EXCLUDED", "POOL");
	json_array_foreach(json_object_get(doc, "periods"), i, p) {
		json_t *c = json_object_get(p, "counts");
		printf("%-16s %-40s %9d %7d %9d %9d %6d\n",
		       json_string_value(json_object_get(p, "code")),
		       json_string_value(json_object_get(p, "name")),
		       (int)json_integer_value(json_object_get(c, "employees")),
		       (int)json_integer_value(json_object_get(c, "mapped")),
		       (int)json_integer_value(json_object_get(c, "unmapped")),
		       (int)json_integer_value(json_object_get(c, "excluded")),
		       (int)json_integer_value(json_object_get(c, "pool")));
	}
	rc = 0;
out:
	json_decref(doc);
	db_close(db);
	return rc;
}

/* The id of period code (0 and a message when there is none). */
static int64_t talent_period_id(const char *cmd, sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM talent_periods WHERE code = ?1", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (!id)
		fprintf(stderr, "ujian %s: no such period \"%s\"\n", cmd, code);
	return id;
}

/* ujian talent recompute --db FILE [PERIOD] */
static int talent_recompute_cmd(int argc, char **argv)
{
	const char *cmd = "talent recompute", *dbp = NULL, *period = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	char **args = xcalloc((size_t)argc + 1, sizeof *args);
	sqlite3 *db = NULL;
	int64_t id = 0;
	char err[512];
	int n = 0, rc = 2, changed;

	/* The optional positional PERIOD: any word that is not an option or
	 * its value. */
	for (int i = 0; i < argc; i++) {
		if (i >= 3 && argv[i][0] != '-' && strcmp(argv[i - 1], "--db") != 0 && !period)
			period = argv[i];
		else
			args[n++] = argv[i];
	}
	if (cli_parse(cmd, n, args, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	if (period && !(id = talent_period_id(cmd, db, period)))
		goto out;
	if ((changed = talent_recompute(db, id, 0, clock_now_ms(), err, sizeof err)) < 0) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	printf("%d placement%s changed\n", changed, changed == 1 ? "" : "s");
	rc = 0;
out:
	free(args);
	db_close(db);
	return rc;
}

/* ujian talent scores --db FILE PERIOD FILE.csv */
static int talent_scores_cmd(int argc, char **argv)
{
	const char *cmd = "talent scores", *dbp = NULL, *pos[2] = { NULL, NULL };
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	struct talent_scores s = { 0 };
	struct errlist errs;
	sqlite3 *db = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = 2, updated = 0;
	FILE *f = NULL;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, pos, 2) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(f = fopen(pos[1], "rb"))) {
		fprintf(stderr, "ujian %s: cannot read %s\n", cmd, pos[1]);
		goto out;
	}
	data = xmalloc(UJ_BODY_MAX + 1);
	len = fread(data, 1, UJ_BODY_MAX + 1, f);
	if (len > UJ_BODY_MAX) {
		fprintf(stderr, "ujian %s: %s is larger than %d bytes\n", cmd, pos[1], UJ_BODY_MAX);
		goto out;
	}
	if (talent_scores_from_csv(data, len, &s, &errs)) {
		rc = talent_fail(cmd, &errs);
		goto out;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	if (talent_scores_set(db, pos[0], &s, actor_system(), clock_now_ms(), &updated, NULL, NULL,
			      &errs)) {
		rc = talent_fail(cmd, &errs);
		goto out;
	}
	printf("%d value%s stored in period %s\n", updated, updated == 1 ? "" : "s", pos[0]);
	rc = 0;
out:
	if (f)
		fclose(f);
	free(data);
	talent_scores_free(&s);
	errlist_free(&errs);
	db_close(db);
	return rc;
}

int cmd_talent(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "period") == 0 && argc > 3 && strcmp(argv[3], "add") == 0)
		return talent_period_add(argc, argv);
	if (strcmp(sub, "list") == 0)
		return talent_list(argc, argv);
	if (strcmp(sub, "recompute") == 0)
		return talent_recompute_cmd(argc, argv);
	if (strcmp(sub, "scores") == 0)
		return talent_scores_cmd(argc, argv);
	fprintf(stderr, "usage: ujian talent period add --db FILE PERIOD.json\n"
			"       ujian talent list --db FILE\n"
			"       ujian talent recompute --db FILE [PERIOD]\n"
			"       ujian talent scores --db FILE PERIOD FILE.csv\n");
	return 2;
}
