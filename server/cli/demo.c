/* demo.c - building the demo database from question-bank/skd-sample. */
#include "cli/demo.h"
#include "cli/demo_talent.h"
#include "cli/demo_selection.h"
#include "catalog/catalog.h"
#include "auth/cred.h"
#include "http/listener.h"
#include "http/tls.h"
#include "store/db.h"
#include "store/dblock.h"
#include "catalog/enrol.h"
#include "catalog/sitting.h"
#include "core/mem.h"
#include "auth/pwhash.h"
#include "auth/staff.h"
#include "core/clock.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEMO_EXAM "SKD-DEMO"

/* question-bank/skd-sample beside the binary's folder, or below the current
 * directory. Caller frees; NULL if not found. */
static char *demo_sample_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat st;
	if (n > 0) {
		exe[n] = '\0';
		char *d = xasprintf("%s/../question-bank/skd-sample", dirname(exe));
		char *real = realpath(d, NULL);
		free(d);
		if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
			return real;
		free(real);
	}
	if (stat("question-bank/skd-sample", &st) == 0 && S_ISDIR(st.st_mode))
		return xstrdup("question-bank/skd-sample");
	return NULL;
}

static void demo_remove(const char *db, const char *key)
{
	const char *suffix[] = { "", "-wal", "-shm", ".credentials.csv", ".staff-credentials.csv",
				 ".slip.key" };
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xasprintf("%s%s", db, suffix[i]);
		unlink(p);
		free(p);
	}
	unlink(key);
}

/* The demo's staff: one per audience, passwords generated and written to
 * <db>.staff-credentials.csv (private, like the candidates' file). */
static const struct demo_staff {
	const char *username, *name;
	unsigned roles;
	int scoped; /* assigned to the demo exam */
} demo_staff_rows[] = {
	{ "admin", "Admin BKPSDM (demo)", ROLE_ADMIN, 0 },
	{ "pengawas", "Pengawas Ruang 1 dan 2 (demo)", ROLE_PROCTOR, 1 },
	{ "pansel", "Panitia Seleksi (demo)", ROLE_COMMITTEE, 0 },
	{ "pansel2", "Sekretaris Pansel JPT (demo)", ROLE_COMMITTEE, 0 },
	{ "pansel3", "Anggota Pansel JPT (demo)", ROLE_COMMITTEE, 0 },
};

static int demo_build_staff(sqlite3 *db, const char *dbp, char *err, size_t errlen)
{
	char *path = xasprintf("%s.staff-credentials.csv", dbp);
	FILE *out = fopen(path, "w");
	int rc = -1;

	if (!out) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	fprintf(out, "username,roles,password\n");
	for (size_t i = 0; i < sizeof demo_staff_rows / sizeof *demo_staff_rows; i++) {
		const struct demo_staff *d = &demo_staff_rows[i];
		struct staff_op *s = staff_op_new(STAFF_ADD, actor_system(), clock_now_ms());
		char pw[UJ_STAFF_PW_GEN + 1], roles[64];
		str_copy(s->username, sizeof s->username, d->username);
		str_copy(s->name, sizeof s->name, d->name);
		s->roles = d->roles;
		if (d->scoped &&
		    staff_exam_ids(db, DEMO_EXAM, s->exams, UJ_STAFF_SCOPE_MAX, &s->n_exams, err, errlen)) {
			s->op.release(&s->op);
			goto out;
		}
		staff_generate_password(pw);
		if (pwhash_make(pw, s->pw_hash)) {
			snprintf(err, errlen, "cannot hash a password (OpenSSL scrypt)");
			s->op.release(&s->op);
			goto out;
		}
		if (wr_apply_now(db, &s->op, err, errlen))
			goto out;
		staff_roles_text(d->roles, roles, sizeof roles);
		fprintf(out, "%s,%s,%s\n", d->username, roles, pw);
		OPENSSL_cleanse(pw, sizeof pw);
	}
	rc = 0;
out:
	if (out && fclose(out) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: cannot write", path);
		rc = -1;
	}
	free(path);
	return rc;
}

/* The demo's sittings: two rooms of the morning, both proctored by
 * "pengawas"; the first half of the candidates (by registration) sit in the
 * first. The exam asks for no token, so logging in stays as simple as
 * before. */
static const struct demo_sitting {
	const char *code, *room;
} demo_sittings[] = {
	{ "R1-PAGI", "Ruang 1" },
	{ "R2-PAGI", "Ruang 2" },
};

static int demo_build_sittings(sqlite3 *db, char *err, size_t errlen)
{
	const size_t ns = sizeof demo_sittings / sizeof *demo_sittings;
	struct sitting_spec *spec = xcalloc(1, sizeof *spec);
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT c.registration_no FROM candidates c JOIN exams e"
				      " ON e.id = c.exam_id WHERE e.code = ? ORDER BY c.id",
				      err, errlen);
	char **regnos = NULL;
	struct errlist errs;
	size_t n = 0, cap = 0;
	int rc = -1;

	errlist_init(&errs, 1);
	if (!st)
		goto out;
	sqlite3_bind_text(st, 1, DEMO_EXAM, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			regnos = xrealloc(regnos, cap * sizeof *regnos);
		}
		regnos[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	for (size_t i = 0; i < ns; i++) {
		size_t from = n * i / ns, to = n * (i + 1) / ns;
		memset(spec, 0, sizeof *spec);
		str_copy(spec->code, sizeof spec->code, demo_sittings[i].code);
		spec->has_room = 1;
		str_copy(spec->room, sizeof spec->room, demo_sittings[i].room);
		spec->has_proctors = 1;
		spec->n_proctors = 1;
		str_copy(spec->proctor[0], sizeof spec->proctor[0], "pengawas");
		if (sitting_create(db, DEMO_EXAM, spec, actor_system(), NULL, &errs) ||
		    (to > from && sitting_assign(db, DEMO_EXAM, spec->code,
						 (const char *const *)regnos + from, to - from,
						 actor_system(), NULL, &errs))) {
			errlist_first(&errs, err, errlen);
			goto out;
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(regnos[i]);
	free(regnos);
	sqlite3_finalize(st);
	errlist_free(&errs);
	free(spec);
	return rc;
}

/* Build the demo database. Returns 0 or -1 with err. */
static int demo_build(const char *dbp, const char *keyp, const char *dir, char *err, size_t errlen)
{
	char *bank = xasprintf("%s/bank.json", dir), *exam = xasprintf("%s/exam-skd-demo.json", dir);
	char *csv = xasprintf("%s/candidates-demo.csv", dir);
	char *creds = xasprintf("%s.credentials.csv", dbp);
	uint8_t key[CRED_KEY_LEN];
	FILE *out = NULL, *devnull = fopen("/dev/null", "w");
	sqlite3 *db = db_open(dbp, DB_OPEN_CREATE, err, errlen);
	int rc = -1;

	if (!db || !devnull || db_migrate(db, err, errlen) || cred_key_ensure(keyp, err, errlen) ||
	    cred_key_load(keyp, key, err, errlen))
		goto out;
	if (catalog_bank_import(db, bank, devnull, err, errlen) ||
	    catalog_exam_create(db, exam, devnull, err, errlen))
		goto out;
	if (!(out = fopen(creds, "w"))) {
		snprintf(err, errlen, "%s: %s", creds, strerror(errno));
		goto out;
	}
	if (enrol_import(db, key, DEMO_EXAM, csv, out, err, errlen) ||
	    demo_build_staff(db, dbp, err, errlen) || demo_build_sittings(db, err, errlen) ||
	    demo_talent_build(db, key, dir, err, errlen))
		goto out;
	if (demo_selection_build(db, err, errlen)) /* after the employees and the talent exam */
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(key, sizeof key);
	if (out)
		fclose(out);
	if (devnull)
		fclose(devnull);
	db_close(db);
	free(bank);
	free(exam);
	free(csv);
	free(creds);
	return rc;
}

/* Print the staff logins of the demo. */
static void demo_print_staff(const char *dbp)
{
	char *path = xasprintf("%s.staff-credentials.csv", dbp), line[256];
	FILE *f = fopen(path, "r");
	int n = 0;
	if (f) {
		printf("Staff logins (admin web: /admin/, proctors: /proctor/; %s):\n", path);
		while (fgets(line, sizeof line, f)) {
			char *user = line, *roles = strchr(line, ','), *pw;
			if (n++ == 0 || !roles || !(pw = strchr(roles + 1, ',')))
				continue;
			*roles++ = '\0';
			*pw++ = '\0';
			pw[strcspn(pw, "\r\n")] = '\0';
			printf("  pengguna %-14s kata sandi %-18s (%s)\n", user, pw, roles);
		}
		fclose(f);
	}
	free(path);
}

/* Print the demo exam's sittings (sesi). */
static void demo_print_sittings(const char *dbp)
{
	char err[256];
	sqlite3 *db = db_open(dbp, DB_OPEN_READONLY, err, sizeof err);
	json_t *list = db ? sitting_list_json(db, DEMO_EXAM, 0, err, sizeof err) : NULL, *row;
	size_t i;
	if (list && json_array_size(list)) {
		printf("Sittings (sesi) of %s (the exam asks for no token at login):\n",
		       DEMO_EXAM);
		json_array_foreach(list, i, row) {
			json_t *p = json_object_get(row, "proctors");
			printf("  %-10s %-10s %3d peserta, pengawas %s\n",
			       json_string_value(json_object_get(row, "code")),
			       json_string_value(json_object_get(row, "room")),
			       (int)json_integer_value(json_object_get(row, "candidates")),
			       json_array_size(p) ? json_string_value(json_array_get(p, 0)) : "-");
		}
	}
	json_decref(list);
	db_close(db);
}

/* Print the first logins of the credentials file. */
static void demo_print_logins(const char *dbp, int count)
{
	char *creds = xasprintf("%s.credentials.csv", dbp), line[512];
	FILE *f = fopen(creds, "r");
	int n = 0;
	if (f) {
		printf("Demo logins for exam %s (all 50: %s):\n", DEMO_EXAM, creds);
		while (fgets(line, sizeof line, f) && n <= count) {
			char *regno = line, *name, *pw;
			if (n++ == 0)
				continue; /* header */
			name = strchr(regno, ',');
			pw = name ? strrchr(name, ',') : NULL;
			if (!pw)
				continue;
			*name++ = '\0';
			*pw++ = '\0';
			pw[strcspn(pw, "\r\n")] = '\0';
			printf("  nomor peserta %-14s kata sandi %-12s (%s)\n", regno, pw, name);
		}
		fclose(f);
	}
	free(creds);
}

int demo_run(struct server_config *cfg, int fresh)
{
	char err[2048], *dir = demo_sample_dir();
	char *keyp = cfg->key_path ? xstrdup(cfg->key_path) : cred_key_path(cfg->db_path);
	int rc = 1, lock = -1;

	if (!dir) {
		fprintf(stderr, "ujian demo: cannot find question-bank/skd-sample (run from the source tree)\n");
		goto out;
	}
	/* Before anything is printed or written: the port must be free and no
	 * other server may be using this database (which --fresh would delete). */
	if (cfg->tls_cert) {
		/* the same check the server makes, before the database is made */
		SSL_CTX *tls = tls_server_ctx_new(cfg->tls_cert, cfg->tls_key, err, sizeof err);
		if (!tls) {
			fprintf(stderr, "ujian demo: %s\n", err);
			goto out;
		}
		SSL_CTX_free(tls);
	}
	if (httpd_probe_listen(cfg->listen, err, sizeof err) ||
	    (cfg->redirect_http && httpd_probe_listen(cfg->redirect_http, err, sizeof err)) ||
	    (lock = dblock_acquire(cfg->db_path, err, sizeof err)) < 0) {
		fprintf(stderr, "ujian demo: %s\n", err);
		goto out;
	}
	if (fresh || access(cfg->db_path, F_OK) != 0) {
		demo_remove(cfg->db_path, keyp);
		printf("Creating the demo database %s from %s ...\n", cfg->db_path, dir);
		if (demo_build(cfg->db_path, keyp, dir, err, sizeof err)) {
			fprintf(stderr, "ujian demo: %s\n", err);
			goto out;
		}
	} else {
		printf("Using the existing demo database %s (start over with --fresh)\n", cfg->db_path);
	}
	printf("\nOpen %s://%s/ in a browser.\n", cfg->tls_cert ? "https" : "http", cfg->listen);
	demo_print_logins(cfg->db_path, 5);
	demo_print_staff(cfg->db_path);
	demo_print_sittings(cfg->db_path);
	printf("Public live scoreboard: %s://%s/board/?exam=%s\n", cfg->tls_cert ? "https" : "http",
	       cfg->listen, DEMO_EXAM);
	{
		char *base = xasprintf("%s://%s", cfg->tls_cert ? "https" : "http", cfg->listen);
		demo_talent_print(cfg->db_path, base);
		free(base);
	}
	printf("\n");
	fflush(stdout);
	cfg->dblock_fd = lock; /* the server holds it from here and releases it */
	lock = -1;
	rc = server_run(cfg);
out:
	dblock_release(lock);
	free(dir);
	free(keyp);
	return rc;
}
