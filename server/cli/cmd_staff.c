/* cmd_staff.c - 'ujian staff': staff accounts from the shell (add, list,
 * passwd, disable, enable, assign). The first admin is made this way.
 *
 * Every change goes through the staff domain's writer operations, applied
 * synchronously (wr_apply_now), so it is recorded in the audit log exactly
 * as the same change made in the admin web; the actor is the system. */
#include "auth/pwhash.h"
#include "auth/staff.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line from stdin into pw (newline removed). 0, or -1 after a message. */
static int staff_read_password(const char *cmd, char *pw, size_t n)
{
	char err[160];
	if (!fgets(pw, (int)n, stdin)) {
		fprintf(stderr, "ujian %s: --password-stdin: no password on standard input\n", cmd);
		return -1;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (staff_password_check(pw, err, sizeof err)) {
		fprintf(stderr, "ujian %s: password: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

/* The password to set: read from stdin, or generated (printed later). */
static int staff_password(const char *cmd, int from_stdin, char *pw, size_t n,
			  char hash[UJ_PWHASH_TEXT_MAX + 1])
{
	if (from_stdin ? staff_read_password(cmd, pw, n) : (staff_generate_password(pw), 0))
		return -1;
	if (pwhash_make(pw, hash)) {
		fprintf(stderr, "ujian %s: could not hash the password (OpenSSL)\n", cmd);
		return -1;
	}
	return 0;
}

/* Apply s alone; 0 or 1 after a message. */
static int staff_apply_one(const char *cmd, sqlite3 *db, struct staff_op *s)
{
	char err[512];
	if (wr_apply_now(db, &s->op, err, sizeof err)) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		return 1;
	}
	return 0;
}

/* Look the account up; 0, or 1 after a message. */
static int staff_lookup(const char *cmd, sqlite3 *db, const char *username,
			struct staff_account *a)
{
	int found = staff_find(db, username, a);
	if (found == 1)
		return 0;
	if (found == 0) {
		char safe[UJ_USERNAME_MAX + 8];
		str_copy(safe, sizeof safe, username);
		text_utf8_scrub(safe);
		fprintf(stderr, "ujian %s: no staff account \"%s\" (see 'ujian staff list')\n", cmd,
			safe);
	} else {
		fprintf(stderr, "ujian %s: database: %s\n", cmd, sqlite3_errmsg(db));
	}
	return 1;
}

static int staff_add(int argc, char **argv)
{
	const char *cmd = "staff add", *dbp = NULL, *user = NULL, *role = NULL, *name = NULL;
	const char *exams = NULL;
	int from_stdin = 0, rc = 2;
	struct cli_opt o[] = { { "db", &dbp, NULL },	  { "username", &user, NULL },
			       { "role", &role, NULL },	  { "name", &name, NULL },
			       { "exam", &exams, NULL }, { "password-stdin", NULL, &from_stdin },
			       { NULL, NULL, NULL } };
	char err[256], pw[UJ_STAFF_PW_MAX + 2];
	struct staff_account existing;
	struct staff_op *s = NULL;
	sqlite3 *db = NULL;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "username", user) || cli_need(cmd, "role", role))
		goto out;
	s = staff_op_new(STAFF_ADD, actor_system(), clock_now_ms());
	rc = 1;
	if (staff_username_check(user, err, sizeof err) ||
	    staff_roles_parse(role, &s->roles, err, sizeof err) ||
	    staff_name_check(name ? name : user, err, sizeof err)) {
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
		goto out;
	}
	str_copy(s->username, sizeof s->username, user);
	str_copy(s->name, sizeof s->name, name ? name : user);
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		goto out;
	if (exams && staff_exam_ids(db, exams, s->exams, UJ_STAFF_SCOPE_MAX, &s->n_exams, err,
				    sizeof err)) {
		fprintf(stderr, "ujian %s: --exam: %s\n", cmd, err);
		goto out;
	}
	if (staff_find(db, user, &existing) != 0) {
		fprintf(stderr, "ujian %s: the username \"%s\" is taken\n", cmd, user);
		goto out;
	}
	if (staff_password(cmd, from_stdin, pw, sizeof pw, s->pw_hash))
		goto out;
	rc = staff_apply_one(cmd, db, s);
	s = NULL;
	if (rc == 0) {
		printf("staff account %s added (%s)\n", user, role);
		if (!from_stdin)
			printf("password: %s\n(shown once: only its hash is stored)\n", pw);
	}
out:
	OPENSSL_cleanse(pw, sizeof pw);
	if (s)
		s->op.release(&s->op);
	db_close(db);
	return rc;
}

static int staff_list(int argc, char **argv)
{
	const char *cmd = "staff list", *dbp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	sqlite3 *db;
	json_t *list;
	size_t i;
	json_t *a;

	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp))
		return 2;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		return 1;
	if (!(list = staff_list_json(db))) {
		fprintf(stderr, "ujian %s: database: %s\n", cmd, sqlite3_errmsg(db));
		db_close(db);
		return 1;
	}
	printf("%-20s %-28s %-30s %-8s %s\n", "username", "name", "roles", "status", "exams");
	json_array_foreach(list, i, a) {
		char roles[96] = "", exams[512] = "";
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(a, "roles"), k, v)
			snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s",
				 k ? "," : "", json_string_value(v));
		json_array_foreach(json_object_get(a, "exams"), k, v)
			snprintf(exams + strlen(exams), sizeof exams - strlen(exams), "%s%s",
				 k ? "," : "", json_string_value(v));
		printf("%-20s %-28s %-30s %-8s %s\n", json_string_value(json_object_get(a, "username")),
		       json_string_value(json_object_get(a, "name")), roles,
		       json_is_true(json_object_get(a, "disabled")) ? "disabled" : "active",
		       exams[0] ? exams : "-");
	}
	json_decref(list);
	db_close(db);
	return 0;
}

/* passwd, disable, enable, assign: one account, one change. */
static int staff_change(const char *sub, int argc, char **argv)
{
	const char *dbp = NULL, *user = NULL, *exams = NULL;
	int from_stdin = 0, rc = 2, is_pw = strcmp(sub, "passwd") == 0;
	int is_assign = strcmp(sub, "assign") == 0;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "username", &user, NULL },
			       { is_pw ? "password-stdin" : is_assign ? "exam" : NULL,
				 is_assign ? &exams : NULL, is_pw ? &from_stdin : NULL },
			       { NULL, NULL, NULL } };
	char cmd[32], err[256], pw[UJ_STAFF_PW_MAX + 2] = "";
	struct staff_account a;
	struct staff_op *s = NULL;
	sqlite3 *db = NULL;

	snprintf(cmd, sizeof cmd, "staff %s", sub);
	if (cli_parse(cmd, argc, argv, 3, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "username", user) || (is_assign && cli_need(cmd, "exam", exams)))
		goto out;
	rc = 1;
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)) || staff_lookup(cmd, db, user, &a))
		goto out;
	s = staff_op_new(is_pw ? STAFF_PASSWORD : STAFF_UPDATE, actor_system(), clock_now_ms());
	s->staff_id = a.id;
	str_copy(s->username, sizeof s->username, a.username);
	if (is_pw) {
		if (staff_password(cmd, from_stdin, pw, sizeof pw, s->pw_hash))
			goto out;
	} else if (is_assign) {
		s->set_exams = 1;
		if (staff_exam_ids(db, exams, s->exams, UJ_STAFF_SCOPE_MAX, &s->n_exams, err,
				   sizeof err)) {
			fprintf(stderr, "ujian %s: --exam: %s\n", cmd, err);
			goto out;
		}
	} else {
		s->set_disabled = 1;
		s->disabled = strcmp(sub, "disable") == 0;
	}
	rc = staff_apply_one(cmd, db, s);
	s = NULL;
	if (rc == 0 && is_pw)
		printf("password of %s changed; its sessions ended\n%s%s%s", a.username,
		       from_stdin ? "" : "password: ", from_stdin ? "" : pw,
		       from_stdin ? "" : "\n(shown once: only its hash is stored)\n");
	else if (rc == 0)
		printf("staff account %s: %s done\n", a.username, sub);
out:
	OPENSSL_cleanse(pw, sizeof pw);
	if (s)
		s->op.release(&s->op);
	db_close(db);
	return rc;
}

int cmd_staff(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "add") == 0)
		return staff_add(argc, argv);
	if (strcmp(sub, "list") == 0)
		return staff_list(argc, argv);
	if (strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0 ||
	    strcmp(sub, "enable") == 0 || strcmp(sub, "assign") == 0)
		return staff_change(sub, argc, argv);
	fprintf(stderr, "ujian staff: expected add, list, passwd, disable, enable or assign "
			"(see 'ujian help')\n");
	return 2;
}
