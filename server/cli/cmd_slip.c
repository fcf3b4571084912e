/* cmd_slip.c - 'ujian slip key|show|verify': signed result slips
 * (report/slip.h) from the command line.
 *
 * key: the public key (PEM) that verifies every slip of the database.
 * show: the signed slip of a finished attempt as a JSON file (issued now if
 * it has none: the database is written, with the audit event).
 * verify: a slip FILE against a public key alone (--key, no database
 * needed) or the database's key; a CODE against the database (signature and
 * the stored attempt). Exit 0 genuine, 1 not (the message names what
 * failed), 2 usage. */
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "report/slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CMD_SLIP_FILE_MAX (1024 * 1024) /* a slip file is a few hundred bytes */

/* The database's signing key (its public half is what verifies). */
static EVP_PKEY *cmd_slip_db_key(const char *cmd, const char *dbp)
{
	char err[1024], *path = slip_key_path(dbp);
	EVP_PKEY *k = slip_key_load(path, err, sizeof err);
	if (!k)
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
	free(path);
	return k;
}

static int cmd_slip_key(int argc, char **argv)
{
	const char *dbp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	EVP_PKEY *k;
	char *pem;

	if (cli_parse("slip key", argc, argv, 3, o, NULL, 0) || cli_need("slip key", "db", dbp))
		return 2;
	if (!(k = cmd_slip_db_key("slip key", dbp)))
		return 1;
	pem = slip_pubkey_pem(k);
	EVP_PKEY_free(k);
	if (!pem)
		return 1;
	fputs(pem, stdout);
	free(pem);
	return 0;
}

static int cmd_slip_show(int argc, char **argv)
{
	const char *dbp = NULL, *out = NULL, *pos[2];
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "out", &out, NULL }, { NULL, NULL, NULL } };
	static const char *const what[SLIP_STATUS_MAX] = {
		[SLIP_NO_CANDIDATE] = "no such exam or registration number",
		[SLIP_NOT_FINISHED] = "the attempt is not finished: a slip exists only for a "
				      "finished attempt",
	};
	struct slip s;
	enum slip_status st;
	EVP_PKEY *k = NULL;
	sqlite3 *db = NULL;
	json_t *doc = NULL;
	FILE *f = NULL;
	char err[1024];
	int rc = 1;

	if (cli_parse("slip show", argc, argv, 3, o, pos, 2) || cli_need("slip show", "db", dbp))
		return 2;
	if (!(k = cmd_slip_db_key("slip show", dbp)) ||
	    !(db = cli_open("slip show", dbp, DB_OPEN_EXISTING)))
		goto out;
	sqlite3_busy_timeout(db, 10000);
	st = slip_issue(db, k, pos[0], pos[1], 0, actor_system(), clock_now_ms(), &s, err,
			sizeof err);
	if (st != SLIP_OK) {
		fprintf(stderr, "ujian slip show: %s %s: %s\n", pos[0], pos[1],
			what[st] ? what[st] : err);
		goto out;
	}
	doc = slip_doc(&s);
	slip_free(&s);
	if (out && !(f = fopen(out, "w"))) {
		perror(out);
		goto out;
	}
	if (json_dumpf(doc, f ? f : stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) ||
	    fputc('\n', f ? f : stdout) == EOF || (f && fclose(f) != 0)) {
		f = NULL;
		fprintf(stderr, "ujian slip show: cannot write %s\n", out ? out : "the slip");
		goto out;
	}
	f = NULL;
	if (out)
		fprintf(stderr, "slip %s written to %s\n",
			json_string_value(json_object_get(doc, "code")), out);
	rc = 0;
out:
	if (f)
		fclose(f);
	json_decref(doc);
	db_close(db);
	EVP_PKEY_free(k);
	return rc;
}

/* Print the verdict; returns the exit code. */
static int cmd_slip_verdict(const char *what, const struct slip_verdict *v)
{
	const json_t *p = v->payload;
	const char *code = json_string_value(json_object_get(p, "code"));
	const char *exam = json_string_value(json_object_get(p, "exam"));
	const char *regno = json_string_value(json_object_get(p, "registration_no"));
	const char *name = json_string_value(json_object_get(p, "name"));
	char shown[SLIP_CODE_LEN + 2] = "?";

	if (code && strlen(code) == SLIP_CODE_LEN)
		slip_code_show(code, shown);
	if (v->reason == SLIP_GENUINE) {
		printf("GENUINE: slip %s (exam %s, %s %s, total %lld/%lld): %s\n", shown,
		       exam ? exam : "?", regno ? regno : "?", name ? name : "?",
		       (long long)json_integer_value(json_object_get(p, "total")),
		       (long long)json_integer_value(json_object_get(p, "max_total")), v->detail);
		return 0;
	}
	printf("NOT GENUINE (%s): %s %s: %s\n", slip_reason_codes[v->reason], what,
	       p ? shown : "", v->detail);
	return 1;
}

/* A slip file's JSON (NULL after a message). */
static json_t *cmd_slip_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, why[256];
	json_t *doc = NULL;
	size_t n;

	if (!f) {
		perror(path);
		return NULL;
	}
	buf = xmalloc(CMD_SLIP_FILE_MAX + 1);
	n = fread(buf, 1, CMD_SLIP_FILE_MAX + 1, f);
	fclose(f);
	if (n > CMD_SLIP_FILE_MAX)
		fprintf(stderr, "ujian slip verify: %s: too large for a slip file\n", path);
	else if (!(doc = jc_parse(buf, n, why, sizeof why)))
		fprintf(stderr, "ujian slip verify: %s: not JSON: %s\n", path, why);
	free(buf);
	return doc;
}

static int cmd_slip_verify(int argc, char **argv)
{
	const char *dbp = NULL, *keyp = NULL, *pos[1];
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "key", &keyp, NULL }, { NULL, NULL, NULL } };
	struct slip_verdict v = { 0 };
	char err[1024], code[SLIP_CODE_LEN + 1];
	EVP_PKEY *k = NULL;
	sqlite3 *db = NULL;
	json_t *doc = NULL;
	struct stat st;
	int rc = 1, is_file;

	if (cli_parse("slip verify", argc, argv, 3, o, pos, 1))
		return 2;
	is_file = stat(pos[0], &st) == 0;
	if (!is_file && slip_code_norm(pos[0], code) != 0) {
		fprintf(stderr, "ujian slip verify: \"%s\" is neither a file nor a slip code "
			"(10 characters of %s, e.g. ABCDE-FGHJK)\n", pos[0], SLIP_ALPHABET);
		return 2;
	}
	if (!keyp && cli_need("slip verify", "db", dbp))
		return 2;
	if (!is_file && cli_need("slip verify", "db", dbp))
		return 2;
	if (keyp) {
		if (!(k = slip_pubkey_load(keyp, err, sizeof err))) {
			fprintf(stderr, "ujian slip verify: %s\n", err);
			goto out;
		}
	} else if (!(k = cmd_slip_db_key("slip verify", dbp))) {
		goto out;
	}
	if (is_file) {
		if (!(doc = cmd_slip_read(pos[0])))
			goto out;
		slip_check_doc(k, doc, &v);
		rc = cmd_slip_verdict(pos[0], &v);
		goto out;
	}
	if (!(db = cli_open("slip verify", dbp, DB_OPEN_READONLY)))
		goto out;
	switch (slip_check(db, k, code, &v, err, sizeof err)) {
	case SLIP_OK:
		rc = cmd_slip_verdict(pos[0], &v);
		break;
	case SLIP_NO_SLIP:
		printf("NOT GENUINE (unknown_code): no slip has the code %s in %s\n", pos[0], dbp);
		break;
	default:
		fprintf(stderr, "ujian slip verify: %s\n", err);
		break;
	}
out:
	slip_verdict_free(&v);
	json_decref(doc);
	db_close(db);
	EVP_PKEY_free(k);
	return rc;
}

int cmd_slip(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "";
	if (strcmp(sub, "key") == 0)
		return cmd_slip_key(argc, argv);
	if (strcmp(sub, "show") == 0)
		return cmd_slip_show(argc, argv);
	if (strcmp(sub, "verify") == 0)
		return cmd_slip_verify(argc, argv);
	fprintf(stderr, "ujian slip: expected 'key', 'show' or 'verify' (see 'ujian help')\n");
	return 2;
}
