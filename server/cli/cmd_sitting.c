/* cmd_sitting.c - 'ujian sitting add|list|assign|proctor|token': the
 * sittings (sesi) of an exam from the shell.
 *
 * Every change goes through catalog/sitting.c, which checks it whole, writes
 * it with its audit event (actor: the system, as for every CLI command) and
 * bumps meta.catalog_version in one transaction, so a running server picks it
 * up at its next catalog poll. Problems are printed one a line, all of them. */
#include "catalog/sitting.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/errlist.h"
#include "core/mem.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add the comma-separated names of v to names (at most max); -1 after a
 * message when there are too many or one is too long. */
static int sitting_names(const char *cmd, const char *v, char names[][UJ_USERNAME_MAX + 1],
			 int *n, int max)
{
	const char *p = v;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len > 0) {
			if (*n >= max || len > UJ_USERNAME_MAX) {
				fprintf(stderr, "ujian %s: --proctor: at most %d names of at most %d characters\n",
					cmd, max, UJ_USERNAME_MAX);
				return -1;
			}
			memcpy(names[*n], p, len);
			names[*n][len] = '\0';
			(*n)++;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Print errs (all) naming the command; returns 1. */
static int sitting_fail(const char *cmd, struct errlist *errs)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "ujian %s", cmd);
	errlist_print(errs, stderr, prefix);
	return 1;
}

static int sitting_add(int argc, char **argv)
{
	const char *cmd = "sitting add", *dbp = NULL, *exam = NULL, *code = NULL, *room = NULL;
	const char *starts = NULL, *rotate = NULL, *proctor = NULL;
	int together = 0, rc = 2;
	struct cli_opt o[] = { { "db", &dbp, NULL },	     { "exam", &exam, NULL },
			       { "code", &code, NULL },	     { "room", &room, NULL },
			       { "starts-at", &starts, NULL }, { "rotate-min", &rotate, NULL },
			       { "proctor", &proctor, NULL }, { "start-together", NULL, &together },
			       { NULL, NULL, NULL } };
	struct sitting_spec *spec = xcalloc(1, sizeof *spec);
	char token[UJ_SITTING_TOKEN_LEN + 1];
	struct errlist errs;
	sqlite3 *db = NULL;
	long v;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "exam", exam) || cli_need(cmd, "code", code))
		goto out;
	rc = 1;
	if (!sitting_code_valid(code)) {
		fprintf(stderr, "ujian %s: --code \"%s\": expected 1-%d characters of A-Z a-z 0-9 . _ -\n",
			cmd, code, UJ_CODE_MAX);
		goto out;
	}
	str_copy(spec->code, sizeof spec->code, code);
	if (room) {
		if (strlen(room) > UJ_ROOM_MAX) {
			fprintf(stderr, "ujian %s: --room: at most %d bytes\n", cmd, UJ_ROOM_MAX);
			goto out;
		}
		spec->has_room = 1;
		str_copy(spec->room, sizeof spec->room, room);
	}
	if (starts) {
		spec->has_starts_at = 1;
		if (clock_parse_rfc3339(starts, &spec->starts_at)) {
			fprintf(stderr, "ujian %s: --starts-at \"%s\": expected an RFC 3339 time, e.g. 2026-03-02T08:00:00+07:00\n",
				cmd, starts);
			goto out;
		}
	}
	if (rotate) {
		if (cli_int(cmd, "rotate-min", rotate, 0, UJ_ROTATE_MAX_MIN, &v))
			goto out;
		spec->has_rotate = 1;
		spec->rotate_min = (int)v;
	}
	spec->has_together = 1;
	spec->start_together = together;
	/* --proctor may repeat: every occurrence counts. */
	spec->has_proctors = 1;
	for (int i = 3; i + 1 < argc; i++)
		if (strcmp(argv[i], "--proctor") == 0 &&
		    sitting_names(cmd, argv[++i], spec->proctor, &spec->n_proctors,
				  UJ_SITTING_PROCTORS_MAX))
			goto out;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (sitting_create(db, exam, spec, actor_system(), token, &errs)) {
		rc = sitting_fail(cmd, &errs);
		goto out;
	}
	printf("sitting %s of exam %s added; token %s\n", code, exam, token);
	rc = 0;
out:
	errlist_free(&errs);
	free(spec);
	db_close(db);
	return rc;
}

/* A cell of the list: s, or "-" when empty. */
static const char *sitting_cell(const char *s)
{
	return s && *s ? s : "-";
}

static int sitting_list(int argc, char **argv)
{
	const char *cmd = "sitting list", *dbp = NULL, *exam = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "exam", &exam, NULL }, { NULL, NULL, NULL } };
	sqlite3 *db = NULL;
	json_t *list = NULL, *row;
	char err[256];
	size_t i;
	int rc = 2;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		goto out;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_READONLY)))
		goto out;
	if (!(list = sitting_list_json(db, exam, 1, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s%s\n", cmd, err,
			strncmp(err, "no such exam", 12) == 0 ? " (see 'ujian exam list')" : "");
		goto out;
	}
	printf("%-12s %-12s %-20s %-25s %-6s %-8s %-6s %-10s %s\n", "EXAM", "SITTING", "ROOM",
	       "STARTS_AT", "ROTATE", "TOGETHER", "TOKEN", "CANDIDATES", "PROCTORS");
	json_array_foreach(list, i, row) {
		json_t *procs = json_object_get(row, "proctors"), *p;
		char names[UJ_SITTING_PROCTORS_MAX * (UJ_USERNAME_MAX + 1) + 1] = "";
		size_t k;
		json_array_foreach(procs, k, p) {
			if (k)
				strncat(names, ",", sizeof names - strlen(names) - 1);
			strncat(names, json_string_value(p), sizeof names - strlen(names) - 1);
		}
		printf("%-12s %-12s %-20s %-25s %-6d %-8s %-6s %-10d %s\n",
		       json_string_value(json_object_get(row, "exam")),
		       json_string_value(json_object_get(row, "code")),
		       sitting_cell(json_string_value(json_object_get(row, "room"))),
		       sitting_cell(json_string_value(json_object_get(row, "starts_at"))),
		       (int)json_integer_value(json_object_get(row, "rotate_min")),
		       json_is_true(json_object_get(row, "start_together")) ? "yes" : "no",
		       json_string_value(json_object_get(row, "token")),
		       (int)json_integer_value(json_object_get(row, "candidates")), sitting_cell(names));
	}
	printf("%zu sitting(s)\n", json_array_size(list));
	rc = 0;
out:
	json_decref(list);
	db_close(db);
	return rc;
}

/* Registration numbers from stdin, one a line (blank lines skipped), into
 * *v (strings owned by *buf). */
static size_t sitting_read_stdin(char ***v, char **buf)
{
	size_t cap = 0, len = 0, n = 0, vcap = 0;
	int ch;
	char *line;
	while ((ch = getchar()) != EOF) {
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 4096;
			*buf = xrealloc(*buf, cap);
		}
		(*buf)[len++] = (char)ch;
	}
	*buf = xrealloc(*buf, len + 1);
	(*buf)[len] = '\0';
	for (line = strtok(*buf, "\r\n"); line; line = strtok(NULL, "\r\n")) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			continue;
		if (n == vcap) {
			vcap = vcap ? 2 * vcap : 64;
			*v = xrealloc(*v, vcap * sizeof **v);
		}
		(*v)[n++] = line;
	}
	return n;
}

static int sitting_assign_cmd(int argc, char **argv)
{
	const char *cmd = "sitting assign", *dbp = NULL, *exam = NULL, *code = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "exam", &exam, NULL },
			       { "code", &code, NULL }, { NULL, NULL, NULL } };
	const char **pos = xcalloc((size_t)argc, sizeof *pos);
	char **in = NULL, *inbuf = NULL;
	struct errlist errs;
	sqlite3 *db = NULL;
	int npos = 0, moved = 0, rc = 2;
	size_t n;

	errlist_init(&errs, 0);
	/* The positional arguments: everything that is not an option or its value. */
	for (int i = 3; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			i++;
			continue;
		}
		npos++;
	}
	if (npos == 0) {
		fprintf(stderr, "ujian %s: expected registration numbers (or - to read them from standard input)\n",
			cmd);
		goto out;
	}
	if (cli_parse(cmd, argc, argv, 3, o, pos, npos) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "exam", exam) || cli_need(cmd, "code", code))
		goto out;
	rc = 1;
	if (npos == 1 && strcmp(pos[0], "-") == 0) {
		n = sitting_read_stdin(&in, &inbuf);
	} else {
		n = (size_t)npos;
		in = xcalloc(n, sizeof *in);
		for (size_t i = 0; i < n; i++)
			in[i] = (char *)pos[i];
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (sitting_assign(db, exam, code, (const char *const *)in, n, actor_system(), &moved,
			   &errs)) {
		rc = sitting_fail(cmd, &errs);
		goto out;
	}
	printf("sitting %s of exam %s: %zu candidate(s) assigned, %d moved\n", code, exam, n, moved);
	rc = 0;
out:
	errlist_free(&errs);
	free(pos);
	free(in);
	free(inbuf);
	db_close(db);
	return rc;
}

static int sitting_proctor(int argc, char **argv)
{
	const char *cmd = "sitting proctor", *dbp = NULL, *exam = NULL, *code = NULL;
	const char *add = NULL, *del = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },	 { "exam", &exam, NULL },
			       { "code", &code, NULL },	 { "add", &add, NULL },
			       { "remove", &del, NULL }, { NULL, NULL, NULL } };
	struct sitting_spec *spec = xcalloc(1, sizeof *spec);
	struct errlist errs;
	sqlite3 *db = NULL;
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "exam", exam) || cli_need(cmd, "code", code))
		goto out;
	if (!add == !del) {
		fprintf(stderr, "ujian %s: expected --add USER or --remove USER\n", cmd);
		goto out;
	}
	rc = 1;
	str_copy(spec->code, sizeof spec->code, code);
	if (sitting_names(cmd, add ? add : del, add ? spec->add : spec->remove,
			  add ? &spec->n_add : &spec->n_remove, UJ_SITTING_PROCTORS_MAX))
		goto out;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (sitting_edit(db, exam, spec, actor_system(), &errs)) {
		rc = sitting_fail(cmd, &errs);
		goto out;
	}
	printf("sitting %s of exam %s: proctor %s %s\n", code, exam, add ? add : del,
	       add ? "added" : "removed");
	rc = 0;
out:
	errlist_free(&errs);
	free(spec);
	db_close(db);
	return rc;
}

static int sitting_token(int argc, char **argv)
{
	const char *cmd = "sitting token", *dbp = NULL, *exam = NULL, *code = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "exam", &exam, NULL },
			       { "code", &code, NULL }, { NULL, NULL, NULL } };
	char token[UJ_SITTING_TOKEN_LEN + 1];
	struct errlist errs;
	sqlite3 *db = NULL;
	int rc = 2;

	errlist_init(&errs, 0);
	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "exam", exam) || cli_need(cmd, "code", code))
		goto out;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (sitting_rotate(db, exam, code, actor_system(), token, &errs)) {
		rc = sitting_fail(cmd, &errs);
		goto out;
	}
	printf("%s\n", token);
	rc = 0;
out:
	errlist_free(&errs);
	db_close(db);
	return rc;
}

int cmd_sitting(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "add") == 0)
		return sitting_add(argc, argv);
	if (strcmp(sub, "list") == 0)
		return sitting_list(argc, argv);
	if (strcmp(sub, "assign") == 0)
		return sitting_assign_cmd(argc, argv);
	if (strcmp(sub, "proctor") == 0)
		return sitting_proctor(argc, argv);
	if (strcmp(sub, "token") == 0)
		return sitting_token(argc, argv);
	fprintf(stderr, "ujian sitting: expected add, list, assign, proctor or token "
			"(see 'ujian help')\n");
	return 2;
}
