/* test_staff.c - staff accounts (server/auth/staff.c): validation, roles,
 * the exam scope rule, and the writer operations applied with wr_apply_now
 * to a fresh database, the way 'ujian staff' applies them.
 *
 * wr_apply_now releases every operation; to read what apply left in an
 * operation (the new account's id, the sessions it ended) the test swaps in
 * a release that keeps it, and calls the module's own release afterwards. */
#include "unit.h"

#include "auth/principal.h"
#include "auth/staff.h"
#include "bounds.h"
#include "store/db.h"
#include "store/writer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[512];

static void assert_err_mentions(const char *needle)
{
	if (!strstr(err, needle))
		fail_msg("message \"%s\" does not mention \"%s\"", err, needle);
}

/* ---- validation ---- */

static int user_ok(const char *u)
{
	err[0] = '\0';
	int rc = staff_username_check(u, err, sizeof err);
	if (rc == 0)
		return 1;
	assert_int_equal(rc, -1);
	assert_true(err[0] != '\0'); /* a refusal always says why */
	return 0;
}

/* Usernames: 3..32 characters of a-z 0-9 . _ -, starting with a letter or
 * digit; uppercase and anything else refused. */
static void test_username_check(void **state)
{
	(void)state;
	char u[UJ_USERNAME_MAX + 2];

	assert_true(user_ok("abc"));
	assert_true(user_ok("budi.santoso"));
	assert_true(user_ok("a_b-c.d"));
	assert_true(user_ok("1proktor"));
	assert_true(user_ok("007"));
	assert_true(user_ok("z9."));

	assert_false(user_ok(""));
	assert_false(user_ok("a"));
	assert_false(user_ok("ab"));
	memset(u, 'a', sizeof u);
	u[UJ_USERNAME_MAX] = '\0';
	assert_true(user_ok(u));
	u[UJ_USERNAME_MAX] = 'a';
	u[UJ_USERNAME_MAX + 1] = '\0';
	assert_false(user_ok(u));

	static const char *const bad[] = {
		"Budi", "budI", "BUDI", ".budi", "_budi", "-budi", "bu di", "budi ", " budi",
		"bu/di", "bu@di", "bu+di", "bu$di", "bud\xc3\xad", "bu\tdi", "bu'di", "bu\"di",
		"bu,di", "bu:di", "bu\xff" "di",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (user_ok(bad[i]))
			fail_msg("username \"%s\" accepted", bad[i]);
}

static int name_ok(const char *n)
{
	err[0] = '\0';
	int rc = staff_name_check(n, err, sizeof err);
	if (rc == 0)
		return 1;
	assert_int_equal(rc, -1);
	assert_true(err[0] != '\0');
	return 0;
}

/* Names: 1..UJ_STAFF_NAME_MAX bytes of valid UTF-8 without control
 * characters. */
static void test_name_check(void **state)
{
	(void)state;
	char n[UJ_STAFF_NAME_MAX + 2];
	assert_true(name_ok("B"));
	assert_true(name_ok("Budi Santoso, S.Kom."));
	assert_true(name_ok("Siti Nur\xc3\xa1ini"));
	assert_true(name_ok("Dra. R.A. O'Neil-Wijaya (Panitia)"));
	memset(n, 'x', sizeof n);
	n[UJ_STAFF_NAME_MAX] = '\0';
	assert_true(name_ok(n));
	n[UJ_STAFF_NAME_MAX] = 'x';
	n[UJ_STAFF_NAME_MAX + 1] = '\0';
	assert_false(name_ok(n));

	assert_false(name_ok(""));
	assert_false(name_ok("Budi\nSantoso"));
	assert_false(name_ok("Budi\tSantoso"));
	assert_false(name_ok("Budi\x01"));
	assert_false(name_ok("Budi\x7f"));
	assert_false(name_ok("Budi \xff"));       /* not UTF-8 */
	assert_false(name_ok("Budi \xc3"));       /* cut short */
	assert_false(name_ok("Budi \xc0\xaf"));   /* overlong */
	assert_false(name_ok("Budi \xc2\x85"));   /* C1 control (NEL) */
}

static int pw_ok(const char *pw)
{
	err[0] = '\0';
	int rc = staff_password_check(pw, err, sizeof err);
	if (rc == 0)
		return 1;
	assert_int_equal(rc, -1);
	assert_true(err[0] != '\0');
	return 0;
}

/* Passwords: 12..128 characters. */
static void test_password_check(void **state)
{
	(void)state;
	char pw[UJ_STAFF_PW_MAX + 2];
	assert_int_equal(UJ_STAFF_PW_MIN, 12);
	assert_int_equal(UJ_STAFF_PW_MAX, 128);
	for (size_t n = 0; n <= UJ_STAFF_PW_MAX + 1; n++) {
		memset(pw, 'k', n);
		pw[n] = '\0';
		if (pw_ok(pw) != (n >= UJ_STAFF_PW_MIN && n <= UJ_STAFF_PW_MAX))
			fail_msg("password of %zu characters: %s", n, pw_ok(pw) ? "accepted" : "refused");
	}
	assert_true(pw_ok("kuda benar baterai staples"));
	assert_true(pw_ok("Kata Sandi \xc3\xa9\xc3\xa9\xc3\xa9!"));
	assert_false(pw_ok("kata sandi\npanjang"));
	assert_false(pw_ok("kata sandi \xff\xfe panjang"));

	/* A generated password has UJ_STAFF_PW_GEN characters and passes. */
	char gen[UJ_STAFF_PW_GEN + 1], gen2[UJ_STAFF_PW_GEN + 1];
	staff_generate_password(gen);
	staff_generate_password(gen2);
	assert_int_equal(strlen(gen), UJ_STAFF_PW_GEN);
	assert_true(pw_ok(gen));
	assert_string_not_equal(gen, gen2);
}

/* Role names, bits, and the round trip through text and JSON. */
static void test_roles(void **state)
{
	(void)state;
	static const char *const names[] = { "admin", "author", "proctor", "committee", "observer" };
	static const unsigned bits[] = { ROLE_ADMIN, ROLE_AUTHOR, ROLE_PROCTOR, ROLE_COMMITTEE,
					 ROLE_OBSERVER };
	unsigned r = 12345;
	char text[128];

	for (int i = 0; i < 5; i++) {
		assert_int_equal(staff_role_bit(names[i]), bits[i]);
		assert_int_equal(staff_roles_parse(names[i], &r, err, sizeof err), 0);
		assert_int_equal(r, bits[i]);
	}
	assert_int_equal(staff_role_bit("nobody"), 0);
	assert_int_equal(staff_role_bit(""), 0);
	assert_int_equal(staff_role_bit("Admin"), 0);
	assert_int_equal(staff_role_bit("admins"), 0);

	assert_int_equal(staff_roles_parse("admin,proctor", &r, err, sizeof err), 0);
	assert_int_equal(r, ROLE_ADMIN | ROLE_PROCTOR);
	assert_int_equal(staff_roles_parse("proctor,admin", &r, err, sizeof err), 0);
	assert_int_equal(r, ROLE_ADMIN | ROLE_PROCTOR);
	assert_int_equal(staff_roles_parse("observer,observer", &r, err, sizeof err), 0);
	assert_int_equal(r, ROLE_OBSERVER);
	assert_int_equal(
		staff_roles_parse("admin,author,proctor,committee,observer", &r, err, sizeof err), 0);
	assert_int_equal(r, ROLE_ALL);

	/* Unknown roles are named in the message. */
	err[0] = '\0';
	assert_int_equal(staff_roles_parse("admin,pengawas", &r, err, sizeof err), -1);
	assert_err_mentions("pengawas");
	err[0] = '\0';
	assert_int_equal(staff_roles_parse("superuser", &r, err, sizeof err), -1);
	assert_err_mentions("superuser");
	err[0] = '\0';
	assert_int_equal(staff_roles_parse("Admin", &r, err, sizeof err), -1);
	assert_err_mentions("Admin");
	/* None at all. */
	static const char *const empty[] = { "", ",", ",,," };
	for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
		err[0] = '\0';
		if (staff_roles_parse(empty[i], &r, err, sizeof err) != -1)
			fail_msg("roles \"%s\" accepted", empty[i]);
		assert_true(err[0] != '\0');
	}
	/* A very long list is refused, not overrun. */
	char longl[600];
	memset(longl, 0, sizeof longl);
	for (int i = 0; i < 60; i++)
		strcat(longl, "observer,");
	assert_int_equal(staff_roles_parse(longl, &r, err, sizeof err), -1);

	/* Text and JSON list roles in role order whatever the bits' source. */
	staff_roles_text(ROLE_OBSERVER | ROLE_ADMIN | ROLE_PROCTOR, text, sizeof text);
	assert_string_equal(text, "admin,proctor,observer");
	staff_roles_text(ROLE_ALL, text, sizeof text);
	assert_string_equal(text, "admin,author,proctor,committee,observer");
	staff_roles_text(0, text, sizeof text);
	assert_string_equal(text, "");
	json_t *j = staff_roles_json(ROLE_COMMITTEE | ROLE_AUTHOR);
	char *s = json_dumps(j, JSON_COMPACT);
	assert_string_equal(s, "[\"author\",\"committee\"]");
	free(s);
	json_decref(j);
	j = staff_roles_json(0);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);

	/* Every set of roles survives text -> parse, and JSON has one name per bit. */
	for (unsigned set = 1; set <= ROLE_ALL; set++) {
		staff_roles_text(set, text, sizeof text);
		assert_int_equal(staff_roles_parse(text, &r, err, sizeof err), 0);
		assert_int_equal(r, set);
		j = staff_roles_json(set);
		assert_int_equal(json_array_size(j), (size_t)__builtin_popcount(set));
		for (size_t k = 0; k < json_array_size(j); k++)
			assert_int_equal(staff_role_bit(json_string_value(json_array_get(j, k))) & set,
					 staff_role_bit(json_string_value(json_array_get(j, k))));
		json_decref(j);
	}

	/* A short buffer is cut, terminated, and not overrun. */
	char guard[32];
	memset(guard, '#', sizeof guard);
	staff_roles_text(ROLE_ALL, guard, 8);
	assert_true(strlen(guard) < 8);
	assert_memory_equal(guard, "admin,a", strlen(guard));
	for (size_t i = 8; i < sizeof guard; i++)
		assert_int_equal(guard[i], '#');
}

/* ---- scope ---- */

static struct principal staff_p(unsigned roles, const int64_t *exams, int n)
{
	struct principal p;
	memset(&p, 0, sizeof p);
	p.kind = PRINCIPAL_STAFF;
	p.roles = roles;
	p.actor = (struct actor){ ACTOR_STAFF, 7 };
	p.staff.n_exams = n;
	for (int i = 0; i < n; i++)
		p.staff.exams[i] = exams[i];
	return p;
}

/* What the header says, written out: the principal must hold one of the
 * asked roles; an admin account sees every exam; any other sees its
 * assigned exams, or with none assigned, every exam if it asked as (and
 * holds) author or committee and no exam as proctor or observer. */
static int expect_allowed(unsigned held, int scoped_in, int n_scope, unsigned asked)
{
	if (!(held & asked))
		return 0;
	if (held & ROLE_ADMIN)
		return 1;
	if (scoped_in)
		return 1;
	return n_scope == 0 && (held & asked & (ROLE_AUTHOR | ROLE_COMMITTEE)) != 0;
}

static void test_exam_allowed_cases(void **state)
{
	(void)state;
	static const int64_t scope[] = { 10, 30 };
	struct principal p;

	/* Admin: everything, with or without assignments. */
	p = staff_p(ROLE_ADMIN, NULL, 0);
	assert_true(staff_exam_allowed(&p, 10, ROLE_ADMIN));
	assert_true(staff_exam_allowed(&p, 999, ROLE_ALL));
	p = staff_p(ROLE_ADMIN, scope, 2);
	assert_true(staff_exam_allowed(&p, 20, ROLE_ADMIN));
	/* ... but only through a role it holds. */
	assert_false(staff_exam_allowed(&p, 10, ROLE_PROCTOR));

	/* Author and committee: no assignment = every exam; else only theirs. */
	static const unsigned wide[] = { ROLE_AUTHOR, ROLE_COMMITTEE };
	for (int i = 0; i < 2; i++) {
		p = staff_p(wide[i], NULL, 0);
		assert_true(staff_exam_allowed(&p, 10, wide[i]));
		assert_true(staff_exam_allowed(&p, 20, wide[i]));
		assert_true(staff_exam_allowed(&p, 20, ROLE_ALL));
		assert_false(staff_exam_allowed(&p, 20, ROLE_ADMIN));
		p = staff_p(wide[i], scope, 2);
		assert_true(staff_exam_allowed(&p, 10, wide[i]));
		assert_true(staff_exam_allowed(&p, 30, wide[i]));
		assert_false(staff_exam_allowed(&p, 20, wide[i]));
		assert_false(staff_exam_allowed(&p, 20, ROLE_ALL));
	}
	/* Proctor and observer: no assignment = no exam; else only theirs. */
	static const unsigned narrow[] = { ROLE_PROCTOR, ROLE_OBSERVER };
	for (int i = 0; i < 2; i++) {
		p = staff_p(narrow[i], NULL, 0);
		assert_false(staff_exam_allowed(&p, 10, narrow[i]));
		assert_false(staff_exam_allowed(&p, 10, ROLE_ALL));
		p = staff_p(narrow[i], scope, 2);
		assert_true(staff_exam_allowed(&p, 10, narrow[i]));
		assert_true(staff_exam_allowed(&p, 30, ROLE_ALL));
		assert_false(staff_exam_allowed(&p, 20, narrow[i]));
		assert_false(staff_exam_allowed(&p, 20, ROLE_ALL));
	}

	/* The asked roles (the route's, via_roles) restrict: an unassigned
	 * author+proctor sees every exam as author, none as proctor. */
	p = staff_p(ROLE_AUTHOR | ROLE_PROCTOR, NULL, 0);
	p.via_roles = ROLE_PROCTOR;
	assert_false(staff_exam_allowed(&p, 10, p.via_roles));
	assert_true(staff_exam_allowed(&p, 10, ROLE_AUTHOR));
	assert_true(staff_exam_allowed(&p, 10, ROLE_AUTHOR | ROLE_PROCTOR));
	/* A proctor asked as author or committee is refused even for its own exam. */
	p = staff_p(ROLE_PROCTOR, scope, 2);
	assert_false(staff_exam_allowed(&p, 10, ROLE_AUTHOR | ROLE_COMMITTEE));
	assert_false(staff_exam_allowed(&p, 10, 0));

	/* Not staff: never. */
	p = staff_p(ROLE_ALL, NULL, 0);
	p.kind = PRINCIPAL_CANDIDATE;
	assert_false(staff_exam_allowed(&p, 10, ROLE_ALL));
	p.kind = PRINCIPAL_ANONYMOUS;
	assert_false(staff_exam_allowed(&p, 10, ROLE_ALL));
	/* Staff without roles: never. */
	p = staff_p(0, scope, 2);
	assert_false(staff_exam_allowed(&p, 10, ROLE_ALL));
}

/* Every held role set x {unassigned, assigned 10 and 30} x {exam 10, 20}
 * x every asked role set, against the rule as written above. */
static void test_exam_allowed_matrix(void **state)
{
	(void)state;
	static const int64_t scope[] = { 10, 30 };
	static const int64_t exams[] = { 10, 20 };
	for (unsigned held = 0; held <= ROLE_ALL; held++)
		for (int sc = 0; sc < 2; sc++)
			for (int e = 0; e < 2; e++)
				for (unsigned asked = 0; asked <= ROLE_ALL; asked++) {
					int n = sc ? 2 : 0;
					struct principal p = staff_p(held, scope, n);
					int in = sc && exams[e] != 20;
					int want = expect_allowed(held, in, n, asked);
					int got = staff_exam_allowed(&p, exams[e], asked);
					if (got != want)
						fail_msg("held %#x, %s, exam %lld, asked %#x: got %d want %d",
							 held, sc ? "assigned 10,30" : "unassigned",
							 (long long)exams[e], asked, got, want);
				}
}

/* ---- the database ---- */

struct dbfx {
	char dir[64];
	char path[128];
	sqlite3 *db;
};

static struct dbfx fx;

static int db_setup(void **state)
{
	(void)state;
	char e[256] = "";
	memset(&fx, 0, sizeof fx);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/uj-staff-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.path, sizeof fx.path, "%s/t.db", fx.dir);
	fx.db = db_open(fx.path, DB_OPEN_CREATE, e, sizeof e);
	if (!fx.db)
		fail_msg("db_open: %s", e);
	if (db_migrate(fx.db, e, sizeof e))
		fail_msg("db_migrate: %s", e);
	/* Three exams for the scope (a bank first: exams reference it). */
	if (db_exec(fx.db,
		    "INSERT INTO banks (id, code) VALUES (1, 'BANK');"
		    "INSERT INTO exams (id, code, bank_id, definition_json, created_at) VALUES"
		    " (1, 'SKD-A', 1, '{}', 0), (2, 'SKD-B', 1, '{}', 0), (3, 'SKD-C', 1, '{}', 0);",
		    e, sizeof e))
		fail_msg("exams: %s", e);
	return 0;
}

static int db_teardown(void **state)
{
	(void)state;
	char p[200];
	db_close(fx.db);
	unlink(fx.path);
	snprintf(p, sizeof p, "%s-wal", fx.path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fx.path);
	unlink(p);
	assert_int_equal(rmdir(fx.dir), 0);
	return 0;
}

static int64_t q1(const char *sql, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;
	if (sqlite3_prepare_v2(fx.db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(fx.db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t n_events(void)
{
	return q1("SELECT count(*) FROM events", -1);
}

/* The last event: kind, actor and detail (parsed). */
struct ev {
	char kind[64];
	char actor_kind[16];
	int64_t actor_id; /* -1 = NULL */
	int64_t at;
	json_t *detail;   /* NULL if none */
};

static void last_event(struct ev *e)
{
	sqlite3_stmt *st;
	memset(e, 0, sizeof *e);
	assert_int_equal(sqlite3_prepare_v2(fx.db,
					    "SELECT kind, actor_kind, actor_id, at, detail FROM events"
					    " ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(e->kind, sizeof e->kind, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(e->actor_kind, sizeof e->actor_kind, "%s",
		 sqlite3_column_type(st, 1) == SQLITE_NULL ? "(null)"
							   : (const char *)sqlite3_column_text(st, 1));
	e->actor_id = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
	e->at = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		e->detail = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
	sqlite3_finalize(st);
}

static void assert_event(const char *kind, const char *actor_kind, int64_t actor_id, int64_t at,
			 struct ev *out)
{
	struct ev e;
	last_event(&e);
	assert_string_equal(e.kind, kind);
	assert_string_equal(e.actor_kind, actor_kind);
	assert_int_equal(e.actor_id, actor_id);
	assert_int_equal(e.at, at);
	if (out)
		*out = e;
	else
		json_decref(e.detail);
}

/* Keep the op after wr_apply_now (to read it), release it ourselves later. */
static wr_release_fn module_release;

static void keep_release(struct wr_op *op)
{
	(void)op;
}

static struct staff_op *kept(struct staff_op *s)
{
	module_release = s->op.release;
	s->op.release = keep_release;
	return s;
}

static void drop(struct staff_op *s)
{
	s->op.release = module_release;
	module_release(&s->op);
}

/* Apply one op (or a chain); 0 or -1 (err filled). */
static int apply(struct staff_op *s)
{
	err[0] = '\0';
	return wr_apply_now(fx.db, &s->op, err, sizeof err);
}

static const char hash_a[] = "scrypt$15$8$1$00112233445566778899aabbccddeeff$"
			     "0000000000000000000000000000000000000000000000000000000000000001";
static const char hash_b[] = "scrypt$15$8$1$ffeeddccbbaa99887766554433221100$"
			     "0000000000000000000000000000000000000000000000000000000000000002";

static struct staff_op *add_op(const char *user, const char *name, unsigned roles,
			       const int64_t *exams, int n, struct actor who, int64_t at)
{
	struct staff_op *s = staff_op_new(STAFF_ADD, who, at);
	snprintf(s->username, sizeof s->username, "%s", user);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->roles = roles;
	snprintf(s->pw_hash, sizeof s->pw_hash, "%s", hash_a);
	s->n_exams = n;
	for (int i = 0; i < n; i++)
		s->exams[i] = exams[i];
	return s;
}

/* Add an account (system actor); its id. */
static int64_t add_account(const char *user, unsigned roles, const int64_t *exams, int n,
			   int64_t at)
{
	struct staff_op *s = kept(add_op(user, "Nama", roles, exams, n, actor_system(), at));
	int64_t id;
	if (apply(s))
		fail_msg("add %s: %s", user, err);
	id = s->staff_id;
	drop(s);
	return id;
}

static void token(uint8_t h[UJ_HASH_LEN], int k)
{
	memset(h, k, UJ_HASH_LEN);
}

/* Open a session for account id (the account acting); one event. */
static void new_session(int64_t id, const char *user, int k, int64_t at)
{
	struct staff_op *s = staff_op_new(STAFF_SESSION_NEW, (struct actor){ ACTOR_STAFF, id }, at);
	int64_t ev0 = n_events();
	s->staff_id = id;
	snprintf(s->username, sizeof s->username, "%s", user);
	token(s->token_hash, k);
	memset(s->csrf, 'c', CRED_TOKEN_LEN);
	snprintf(s->peer, sizeof s->peer, "10.0.0.%d", k);
	if (apply(s))
		fail_msg("session: %s", err);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_login", "staff", id, at, NULL);
}

/* ended_at of session k (-1: open, -2: none), its reason into why. */
static int64_t session_end(int k, char *why, size_t n)
{
	sqlite3_stmt *st;
	uint8_t h[UJ_HASH_LEN];
	int64_t v = -2;
	token(h, k);
	assert_int_equal(sqlite3_prepare_v2(fx.db,
					    "SELECT ended_at, ended_why FROM staff_sessions"
					    " WHERE token_hash = ?1",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(st, 1, h, UJ_HASH_LEN, SQLITE_STATIC);
	if (why)
		why[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
		if (why && sqlite3_column_type(st, 1) != SQLITE_NULL)
			snprintf(why, n, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return v;
}

/* STAFF_ADD: the account, its scope and its list entry, one "staff_added"
 * event with the acting actor; staff_find / staff_find_id / staff_scope_ids
 * / staff_exam_ids / staff_list_json read it back. */
static void test_add_and_read(void **state)
{
	(void)state;
	static const int64_t ex[] = { 3, 1 };
	struct staff_account a, b;
	int64_t ids[8], ev0 = n_events(), budi, admin;
	struct ev e;
	struct staff_op *s;

	assert_int_equal(staff_find(fx.db, "budi", &a), 0);
	s = kept(add_op("budi", "Budi Santoso", ROLE_AUTHOR | ROLE_PROCTOR, ex, 2, actor_system(),
			1000));
	if (apply(s))
		fail_msg("add: %s", err);
	budi = s->staff_id;
	assert_true(budi > 0);
	drop(s);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_added", "system", -1, 1000, &e);
	assert_non_null(e.detail);
	assert_string_equal(json_string_value(json_object_get(e.detail, "username")), "budi");
	json_decref(e.detail);

	memset(&a, 0x5a, sizeof a);
	assert_int_equal(staff_find(fx.db, "budi", &a), 1);
	assert_int_equal(a.id, budi);
	assert_string_equal(a.username, "budi");
	assert_string_equal(a.name, "Budi Santoso");
	assert_int_equal(a.roles, ROLE_AUTHOR | ROLE_PROCTOR);
	assert_int_equal(a.disabled, 0);
	assert_int_equal(a.created_at, 1000);
	assert_int_equal(a.last_login_at, 0);
	assert_string_equal(a.pw_hash, hash_a);
	assert_int_equal(staff_find_id(fx.db, budi, &b), 1);
	assert_memory_equal(&a, &b, sizeof a);
	assert_int_equal(staff_find(fx.db, "Budi", &b), 0);
	assert_int_equal(staff_find(fx.db, "bud", &b), 0);
	assert_int_equal(staff_find_id(fx.db, budi + 100, &b), 0);

	assert_int_equal(staff_scope_ids(fx.db, budi, ids, 8), 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 3);
	assert_int_equal(staff_scope_ids(fx.db, budi, ids, 1), 1);
	assert_int_equal(staff_scope_ids(fx.db, budi + 100, ids, 8), 0);

	/* A second account, added by budi acting as staff. */
	s = kept(add_op("admin.satu", "Admin", ROLE_ADMIN, NULL, 0,
			(struct actor){ ACTOR_STAFF, budi }, 1500));
	assert_int_equal(apply(s), 0);
	admin = s->staff_id;
	assert_true(admin > 0 && admin != budi);
	drop(s);
	assert_int_equal(n_events(), ev0 + 2);
	assert_event("staff_added", "staff", budi, 1500, NULL);
	assert_int_equal(staff_scope_ids(fx.db, admin, ids, 8), 0);

	/* Exam codes to ids: order kept, duplicates once, unknown named. */
	int n = -1;
	assert_int_equal(staff_exam_ids(fx.db, "SKD-C,SKD-A,SKD-C", ids, 8, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 1);
	err[0] = '\0';
	assert_int_equal(staff_exam_ids(fx.db, "SKD-A,SKD-X", ids, 8, &n, err, sizeof err), -1);
	assert_err_mentions("SKD-X");
	assert_int_equal(staff_exam_ids(fx.db, "SKD-A,SKD-B,SKD-C", ids, 2, &n, err, sizeof err),
			 -1);

	/* The list: by username, with roles and exam codes. */
	json_t *l = staff_list_json(fx.db);
	assert_non_null(l);
	assert_int_equal(json_array_size(l), 2);
	json_t *x = json_array_get(l, 0), *y = json_array_get(l, 1);
	assert_string_equal(json_string_value(json_object_get(x, "username")), "admin.satu");
	assert_string_equal(json_string_value(json_object_get(y, "username")), "budi");
	assert_string_equal(json_string_value(json_object_get(y, "name")), "Budi Santoso");
	char *rs = json_dumps(json_object_get(y, "roles"), JSON_COMPACT);
	assert_string_equal(rs, "[\"author\",\"proctor\"]");
	free(rs);
	rs = json_dumps(json_object_get(y, "exams"), JSON_COMPACT);
	assert_string_equal(rs, "[\"SKD-A\",\"SKD-C\"]");
	free(rs);
	assert_true(json_is_false(json_object_get(y, "disabled")));
	assert_string_equal(json_string_value(json_object_get(y, "created_at")),
			    "1970-01-01T00:00:01.000Z");
	assert_true(json_is_null(json_object_get(y, "last_login_at")));
	assert_int_equal(json_array_size(json_object_get(x, "exams")), 0);
	json_decref(l);
}

/* A duplicate username: wr_apply_now fails and nothing changes, not even
 * another account added in the same call. */
static void test_add_duplicate(void **state)
{
	(void)state;
	static const int64_t ex[] = { 2 };
	int64_t n_staff = q1("SELECT count(*) FROM staff", -1);
	int64_t n_scope = q1("SELECT count(*) FROM staff_scope", -1);
	int64_t ev0 = n_events();
	struct staff_account a;

	struct staff_op *dup = add_op("budi", "Budi Lain", ROLE_ADMIN, ex, 1, actor_system(), 5000);
	assert_int_equal(apply(dup), -1);
	assert_true(err[0] != '\0');

	struct staff_op *ok = add_op("citra", "Citra", ROLE_OBSERVER, ex, 1, actor_system(), 5000);
	ok->op.next = &add_op("budi", "Budi Lagi", ROLE_ADMIN, NULL, 0, actor_system(), 5000)->op;
	assert_int_equal(apply(ok), -1);

	assert_int_equal(q1("SELECT count(*) FROM staff", -1), n_staff);
	assert_int_equal(q1("SELECT count(*) FROM staff_scope", -1), n_scope);
	assert_int_equal(n_events(), ev0);
	assert_int_equal(staff_find(fx.db, "citra", &a), 0);
	assert_int_equal(staff_find(fx.db, "budi", &a), 1);
	assert_string_equal(a.name, "Budi Santoso");
	assert_int_equal(a.roles, ROLE_AUTHOR | ROLE_PROCTOR);
}

/* Sessions; STAFF_UPDATE of name, roles and scope; disabling ends the
 * account's open sessions (and only its own) with why "disabled". */
static void test_update_and_disable(void **state)
{
	(void)state;
	static const int64_t ex2[] = { 2 };
	struct staff_account a;
	char why[32];
	int64_t ids[8], ev0;
	struct ev e;

	int64_t dewi = add_account("dewi", ROLE_PROCTOR, NULL, 0, 100);
	int64_t eko = add_account("eko", ROLE_PROCTOR, NULL, 0, 100);
	new_session(dewi, "dewi", 0x11, 2000);
	new_session(dewi, "dewi", 0x12, 2100);
	new_session(eko, "eko", 0x13, 2200);
	assert_int_equal(staff_find_id(fx.db, dewi, &a), 1);
	assert_int_equal(a.last_login_at, 2100);
	assert_int_equal(session_end(0x11, NULL, 0), -1);

	/* Name, roles and scope. */
	ev0 = n_events();
	struct staff_op *s = staff_op_new(STAFF_UPDATE, (struct actor){ ACTOR_STAFF, eko }, 2500);
	s->staff_id = dewi;
	snprintf(s->username, sizeof s->username, "dewi");
	s->set_name = 1;
	snprintf(s->name, sizeof s->name, "Dewi Lestari");
	s->set_roles = 1;
	s->roles = ROLE_PROCTOR | ROLE_OBSERVER;
	s->set_exams = 1;
	s->n_exams = 1;
	s->exams[0] = 2;
	assert_int_equal(apply(s), 0);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_updated", "staff", eko, 2500, &e);
	assert_string_equal(json_string_value(json_object_get(e.detail, "username")), "dewi");
	assert_string_equal(json_string_value(json_object_get(e.detail, "name")), "Dewi Lestari");
	json_decref(e.detail);
	assert_int_equal(staff_find_id(fx.db, dewi, &a), 1);
	assert_string_equal(a.name, "Dewi Lestari");
	assert_int_equal(a.roles, ROLE_PROCTOR | ROLE_OBSERVER);
	assert_int_equal(a.disabled, 0);
	assert_int_equal(staff_scope_ids(fx.db, dewi, ids, 8), 1);
	assert_int_equal(ids[0], ex2[0]);
	/* An update that changes the scope alone leaves name and roles. */
	s = staff_op_new(STAFF_UPDATE, actor_system(), 2600);
	s->staff_id = dewi;
	snprintf(s->username, sizeof s->username, "dewi");
	s->set_exams = 1; /* n_exams 0: no assignment */
	assert_int_equal(apply(s), 0);
	assert_int_equal(staff_scope_ids(fx.db, dewi, ids, 8), 0);
	assert_int_equal(staff_find_id(fx.db, dewi, &a), 1);
	assert_string_equal(a.name, "Dewi Lestari");
	assert_int_equal(a.roles, ROLE_PROCTOR | ROLE_OBSERVER);
	assert_event("staff_updated", "system", -1, 2600, NULL);
	/* Renaming did not touch the sessions. */
	assert_int_equal(session_end(0x11, NULL, 0), -1);
	assert_int_equal(session_end(0x12, NULL, 0), -1);

	/* Disable: both of dewi's sessions end, eko's stays open. */
	ev0 = n_events();
	s = kept(staff_op_new(STAFF_UPDATE, actor_system(), 3000));
	s->staff_id = dewi;
	snprintf(s->username, sizeof s->username, "dewi");
	s->set_disabled = 1;
	s->disabled = 1;
	assert_int_equal(apply(s), 0);
	assert_int_equal(s->changed, 2);
	drop(s);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_updated", "system", -1, 3000, &e);
	assert_true(json_is_true(json_object_get(e.detail, "disabled")));
	json_decref(e.detail);
	assert_int_equal(staff_find_id(fx.db, dewi, &a), 1);
	assert_int_equal(a.disabled, 1);
	assert_int_equal(session_end(0x11, why, sizeof why), 3000);
	assert_string_equal(why, "disabled");
	assert_int_equal(session_end(0x12, why, sizeof why), 3000);
	assert_string_equal(why, "disabled");
	assert_int_equal(session_end(0x13, NULL, 0), -1);

	/* Enable again: disabled 0; the ended sessions stay ended. */
	s = staff_op_new(STAFF_UPDATE, actor_system(), 3500);
	s->staff_id = dewi;
	snprintf(s->username, sizeof s->username, "dewi");
	s->set_disabled = 1;
	s->disabled = 0;
	assert_int_equal(apply(s), 0);
	assert_int_equal(staff_find_id(fx.db, dewi, &a), 1);
	assert_int_equal(a.disabled, 0);
	assert_int_equal(session_end(0x11, NULL, 0), 3000);
	json_t *l = staff_list_json(fx.db);
	assert_non_null(l);
	json_decref(l);
}

/* STAFF_PASSWORD: the new hash, pw_changed_at, every open session of the
 * account ended with why "password_changed" (others' untouched); one
 * "staff_password_set" event telling how many ended. */
static void test_password_ends_sessions(void **state)
{
	(void)state;
	struct staff_account a;
	char why[32];
	struct ev e;

	int64_t fajar = add_account("fajar", ROLE_COMMITTEE, NULL, 0, 100);
	int64_t gita = add_account("gita", ROLE_COMMITTEE, NULL, 0, 100);
	new_session(fajar, "fajar", 0x21, 4000);
	new_session(fajar, "fajar", 0x22, 4001);
	new_session(fajar, "fajar", 0x23, 4002);
	new_session(gita, "gita", 0x24, 4003);
	/* One of fajar's already ended at logout: it keeps its end. */
	struct staff_op *s = staff_op_new(STAFF_SESSION_END, (struct actor){ ACTOR_STAFF, fajar },
					  4100);
	s->staff_id = fajar;
	snprintf(s->username, sizeof s->username, "fajar");
	token(s->token_hash, 0x23);
	assert_int_equal(apply(s), 0);
	assert_event("staff_logout", "staff", fajar, 4100, NULL);
	assert_int_equal(session_end(0x23, why, sizeof why), 4100);
	assert_string_equal(why, "logout");

	int64_t ev0 = n_events();
	s = kept(staff_op_new(STAFF_PASSWORD, (struct actor){ ACTOR_STAFF, fajar }, 5000));
	s->staff_id = fajar;
	snprintf(s->username, sizeof s->username, "fajar");
	snprintf(s->pw_hash, sizeof s->pw_hash, "%s", hash_b);
	assert_int_equal(apply(s), 0);
	assert_int_equal(s->changed, 2);
	drop(s);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_password_set", "staff", fajar, 5000, &e);
	assert_int_equal(json_integer_value(json_object_get(e.detail, "sessions_ended")), 2);
	json_decref(e.detail);
	assert_int_equal(staff_find_id(fx.db, fajar, &a), 1);
	assert_string_equal(a.pw_hash, hash_b);
	assert_int_equal(q1("SELECT pw_changed_at FROM staff WHERE username = 'fajar'", -1), 5000);
	assert_int_equal(session_end(0x21, why, sizeof why), 5000);
	assert_string_equal(why, "password_changed");
	assert_int_equal(session_end(0x22, why, sizeof why), 5000);
	assert_string_equal(why, "password_changed");
	assert_int_equal(session_end(0x23, why, sizeof why), 4100);
	assert_string_equal(why, "logout");
	assert_int_equal(session_end(0x24, NULL, 0), -1);
	assert_int_equal(staff_find_id(fx.db, gita, &a), 1);
	assert_string_equal(a.pw_hash, hash_a);
}

/* The other session operations: end all (one event), last seen (no event,
 * never backwards), and a bare event. */
static void test_session_ops(void **state)
{
	(void)state;
	int64_t hadi = add_account("hadi", ROLE_OBSERVER, NULL, 0, 100);
	int64_t ev0;
	struct ev e;
	struct staff_op *s;

	new_session(hadi, "hadi", 0x31, 6000);
	new_session(hadi, "hadi", 0x32, 6001);

	ev0 = n_events();
	s = staff_op_new(STAFF_SESSION_SEEN, (struct actor){ ACTOR_STAFF, hadi }, 6500);
	token(s->token_hash, 0x31);
	assert_int_equal(apply(s), 0);
	s = staff_op_new(STAFF_SESSION_SEEN, (struct actor){ ACTOR_STAFF, hadi }, 6200);
	token(s->token_hash, 0x31);
	assert_int_equal(apply(s), 0);
	assert_int_equal(n_events(), ev0);
	assert_int_equal(q1("SELECT max(last_seen_at) FROM staff_sessions WHERE staff_id ="
			    " (SELECT id FROM staff WHERE username = 'hadi')",
			    -1),
			 6500);

	s = kept(staff_op_new(STAFF_SESSIONS_END_ALL, (struct actor){ ACTOR_STAFF, hadi }, 7000));
	s->staff_id = hadi;
	snprintf(s->username, sizeof s->username, "hadi");
	s->why = "logout_all";
	assert_int_equal(apply(s), 0);
	assert_int_equal(s->changed, 2);
	drop(s);
	assert_int_equal(n_events(), ev0 + 1);
	assert_event("staff_logout_all", "staff", hadi, 7000, NULL);
	assert_int_equal(session_end(0x31, NULL, 0), 7000);
	assert_int_equal(session_end(0x32, NULL, 0), 7000);

	s = staff_op_new(STAFF_EVENT, (struct actor){ ACTOR_STAFF, hadi }, 7100);
	s->why = "exam_viewed";
	s->detail = json_pack("{s:s}", "exam", "SKD-A");
	assert_int_equal(apply(s), 0);
	assert_int_equal(n_events(), ev0 + 2);
	assert_event("exam_viewed", "staff", hadi, 7100, &e);
	assert_string_equal(json_string_value(json_object_get(e.detail, "exam")), "SKD-A");
	json_decref(e.detail);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_username_check),
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_password_check),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_exam_allowed_cases),
		cmocka_unit_test(test_exam_allowed_matrix),
	};
	/* In order, on one database. */
	const struct CMUnitTest db[] = {
		cmocka_unit_test(test_add_and_read),
		cmocka_unit_test(test_add_duplicate),
		cmocka_unit_test(test_update_and_disable),
		cmocka_unit_test(test_password_ends_sessions),
		cmocka_unit_test(test_session_ops),
	};
	int failed = cmocka_run_group_tests(pure, NULL, NULL);
	failed += cmocka_run_group_tests(db, db_setup, db_teardown);
	return failed;
}
