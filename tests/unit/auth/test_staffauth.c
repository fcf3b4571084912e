/* test_staffauth.c - staff login, sessions and CSRF (server/auth/staffauth.c)
 * on a real loop: a fresh database, the writer thread, a worker pool and
 * the mailbox, as the server wires them.
 *
 * Accounts are made with wr_apply_now before the writer starts (as
 * 'ujian staff add' does). Every wait is for a condition (UNIT_WAIT_FOR). */
#include "unit.h"
#include "unit_loop.h"

#include "auth/pwhash.h"
#include "auth/staff.h"
#include "auth/staffauth.h"
#include "core/clock.h"
#include "bounds.h"
#include "core/mailbox.h"
#include "core/worker.h"
#include "store/db.h"
#include "store/writer.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1800000000000LL /* the test's "now", ms */
#define IDLE_S 600
#define MAX_AGE_S 3600
#define FAIL_USER 2

static const char pw_budi[] = "kuda-baterai-staples";
static const char pw_dina[] = "rahasia-dina-12345";

/* ---- CSRF ---- */

static struct principal csrf_p(const char *csrf)
{
	struct principal p;
	memset(&p, 0, sizeof p);
	p.kind = PRINCIPAL_STAFF;
	snprintf(p.staff.csrf, sizeof p.staff.csrf, "%s", csrf);
	return p;
}

/* The session's token matches; any other (one character off, shorter,
 * longer, empty, absent) does not; a session without a token of the right
 * length matches nothing. */
static void test_csrf_ok(void **state)
{
	(void)state;
	char tok[UJ_CSRF_LEN + 1], other[UJ_CSRF_LEN + 8];
	uint8_t unused[UJ_HASH_LEN];
	assert_int_equal(UJ_CSRF_LEN, CRED_TOKEN_LEN);
	cred_new_token(tok, unused);
	struct principal p = csrf_p(tok);

	assert_int_equal(staffauth_csrf_ok(&p, tok), 1);
	snprintf(other, sizeof other, "%s", tok);
	assert_int_equal(staffauth_csrf_ok(&p, other), 1); /* same text, another buffer */
	assert_int_equal(staffauth_csrf_ok(&p, NULL), 0);
	assert_int_equal(staffauth_csrf_ok(&p, ""), 0);
	for (size_t i = 0; i < UJ_CSRF_LEN; i += UJ_CSRF_LEN - 1) { /* first and last */
		snprintf(other, sizeof other, "%s", tok);
		other[i] = other[i] == 'A' ? 'B' : 'A';
		assert_int_equal(staffauth_csrf_ok(&p, other), 0);
	}
	snprintf(other, sizeof other, "%.*s", UJ_CSRF_LEN - 1, tok);
	assert_int_equal(staffauth_csrf_ok(&p, other), 0);
	snprintf(other, sizeof other, "%sA", tok);
	assert_int_equal(staffauth_csrf_ok(&p, other), 0);
	snprintf(other, sizeof other, " %s", tok);
	assert_int_equal(staffauth_csrf_ok(&p, other), 0);

	/* Another session's token. */
	char tok2[UJ_CSRF_LEN + 1];
	cred_new_token(tok2, unused);
	assert_int_equal(staffauth_csrf_ok(&p, tok2), 0);

	/* A principal with no token (or a short one) accepts nothing. */
	struct principal none = csrf_p("");
	assert_int_equal(staffauth_csrf_ok(&none, ""), 0);
	assert_int_equal(staffauth_csrf_ok(&none, NULL), 0);
	assert_int_equal(staffauth_csrf_ok(&none, tok), 0);
	struct principal shortp = csrf_p("abc");
	assert_int_equal(staffauth_csrf_ok(&shortp, "abc"), 0);
}

/* ---- the loop ---- */

struct fx {
	char dir[64], path[128];
	struct event_base *base;
	struct mailbox *mb;
	struct event *tick;
	struct writer *w;
	struct worker_pool *pool;
	struct staff_rt s;
	sqlite3 *ro; /* the test's own reader */
	int64_t budi, dina, eko;
};

static struct fx fx;

static int64_t add_account(sqlite3 *db, const char *user, unsigned roles, const char *pw,
			   const int64_t *exams, int n)
{
	char err[256] = "";
	struct staff_op *s = staff_op_new(STAFF_ADD, actor_system(), T0 - 100000);
	int64_t id;
	snprintf(s->username, sizeof s->username, "%s", user);
	snprintf(s->name, sizeof s->name, "%s", user);
	s->roles = roles;
	assert_int_equal(pwhash_make(pw, s->pw_hash), 0);
	s->n_exams = n;
	for (int i = 0; i < n; i++)
		s->exams[i] = exams[i];
	if (wr_apply_now(db, &s->op, err, sizeof err))
		fail_msg("add %s: %s", user, err);
	/* released by wr_apply_now: read the id back */
	id = 0;
	struct staff_account a;
	assert_int_equal(staff_find(db, user, &a), 1);
	id = a.id;
	return id;
}

static int fx_setup(void **state)
{
	(void)state;
	char err[256] = "";
	sqlite3 *db;
	static const int64_t ex[] = { 2 };

	memset(&fx, 0, sizeof fx);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/uj-staffauth-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.path, sizeof fx.path, "%s/t.db", fx.dir);
	db = db_open(fx.path, DB_OPEN_CREATE, err, sizeof err);
	if (!db || db_migrate(db, err, sizeof err))
		fail_msg("db: %s", err);
	if (db_exec(db,
		    "INSERT INTO banks (id, code) VALUES (1, 'BANK');"
		    "INSERT INTO exams (id, code, bank_id, definition_json, created_at) VALUES"
		    " (1, 'SKD-A', 1, '{}', 0), (2, 'SKD-B', 1, '{}', 0);",
		    err, sizeof err))
		fail_msg("exams: %s", err);
	fx.budi = add_account(db, "budi", ROLE_PROCTOR | ROLE_OBSERVER, pw_budi, ex, 1);
	fx.dina = add_account(db, "dina", ROLE_ADMIN, pw_dina, NULL, 0);
	fx.eko = add_account(db, "eko", ROLE_AUTHOR, pw_dina, NULL, 0);
	/* eko is disabled */
	struct staff_op *s = staff_op_new(STAFF_UPDATE, actor_system(), T0 - 50000);
	s->staff_id = fx.eko;
	snprintf(s->username, sizeof s->username, "eko");
	s->set_disabled = 1;
	s->disabled = 1;
	if (wr_apply_now(db, &s->op, err, sizeof err))
		fail_msg("disable: %s", err);
	db_close(db);

	fx.base = event_base_new();
	assert_non_null(fx.base);
	fx.mb = mailbox_new(fx.base);
	assert_non_null(fx.mb);
	fx.tick = unit_add_tick(fx.base, 10000);
	fx.w = writer_start(fx.path, fx.mb, 0, 0, err, sizeof err);
	if (!fx.w)
		fail_msg("writer: %s", err);
	fx.pool = worker_start(2, 16, fx.mb, NULL, NULL, NULL);
	assert_non_null(fx.pool);
	if (staffauth_open(&fx.s, fx.path, fx.w, fx.pool, IDLE_S, MAX_AGE_S, FAIL_USER, 300, 1000,
			   300, err, sizeof err))
		fail_msg("staffauth_open: %s", err);
	fx.ro = db_open(fx.path, DB_OPEN_READONLY, err, sizeof err);
	assert_non_null(fx.ro);
	return 0;
}

static int fx_teardown(void **state)
{
	(void)state;
	char p[200];
	db_close(fx.ro);
	staffauth_close(&fx.s);
	worker_stop(fx.pool);
	mailbox_drain(fx.mb);
	writer_stop(fx.w);
	mailbox_drain(fx.mb);
	event_free(fx.tick);
	mailbox_free(fx.mb);
	event_base_free(fx.base);
	unlink(fx.path);
	snprintf(p, sizeof p, "%s-wal", fx.path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fx.path);
	unlink(p);
	assert_int_equal(rmdir(fx.dir), 0);
	return 0;
}

static int64_t q1(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(fx.ro, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct login {
	int done;
	struct staff_login_result r;
};

static void login_cb(const struct staff_login_result *r, void *arg)
{
	struct login *l = arg;
	l->done++;
	l->r = *r;
}

/* Log in and wait for the answer; the outcome (immediate or called back). */
static enum staff_login_outcome login(const char *user, const char *pw, const char *peer,
				      int64_t now, struct login *l)
{
	enum staff_login_outcome o;
	memset(l, 0, sizeof *l);
	/* Rate-limit windows run on the monotonic clock: pin it to now too. */
	clock_set_fake(now);
	o = staffauth_login(&fx.s, user, pw, peer, now, login_cb, l);
	if (o != SLOGIN_PENDING) {
		clock_set_fake(0);
		assert_int_equal(l->done, 0); /* an immediate refusal never calls back */
		return o;
	}
	UNIT_WAIT_FOR(fx.base, l->done);
	clock_set_fake(0);
	assert_int_equal(l->done, 1);
	return l->r.outcome;
}

static int64_t failed_events(void)
{
	return q1("SELECT count(*) FROM events WHERE kind = 'staff_login_failed'");
}

/* A right password gives a session (durable when the callback runs) whose
 * token authenticates as the account with its roles, scope and CSRF token;
 * a wrong password, an unknown username and a disabled account are refused
 * and audited. */
static void test_login(void **state)
{
	(void)state;
	struct login l;
	struct principal p;
	const char *why;
	int64_t f0 = failed_events();

	assert_int_equal(login("budi", pw_budi, "10.1.1.1", T0, &l), SLOGIN_OK);
	assert_int_equal(strlen(l.r.token), CRED_TOKEN_LEN);
	assert_int_equal(strlen(l.r.csrf), UJ_CSRF_LEN);
	assert_string_not_equal(l.r.token, l.r.csrf);
	assert_int_equal(l.r.acct.id, fx.budi);
	assert_string_equal(l.r.acct.username, "budi");
	assert_string_equal(l.r.acct.pw_hash, ""); /* the hash does not travel */
	/* Durable already: the session row and the login time are readable. */
	assert_int_equal(q1("SELECT count(*) FROM staff_sessions WHERE ended_at IS NULL"), 1);
	assert_int_equal(q1("SELECT last_login_at FROM staff WHERE username = 'budi'"), T0);

	memset(&p, 0, sizeof p);
	why = staffauth_authenticate(&fx.s, l.r.token, strlen(l.r.token), 1, T0 + 1000, &p);
	assert_null(why);
	assert_int_equal(p.kind, PRINCIPAL_STAFF);
	assert_int_equal(p.roles, ROLE_PROCTOR | ROLE_OBSERVER);
	assert_int_equal(p.actor.kind, ACTOR_STAFF);
	assert_int_equal(p.actor.id, fx.budi);
	assert_string_equal(p.staff.username, "budi");
	assert_int_equal(p.staff.via_cookie, 1);
	assert_int_equal(p.staff.n_exams, 1);
	assert_int_equal(p.staff.exams[0], 2);
	assert_int_equal(staffauth_csrf_ok(&p, l.r.csrf), 1);
	struct staff_account a;
	assert_int_equal(staffauth_account(&fx.s, &p, &a), 1);
	assert_int_equal(a.id, fx.budi);

	/* A token one character off, or cut short, is not a session. */
	char bad[CRED_TOKEN_LEN + 1];
	snprintf(bad, sizeof bad, "%s", l.r.token);
	bad[5] = bad[5] == 'A' ? 'B' : 'A';
	assert_string_equal(staffauth_authenticate(&fx.s, bad, strlen(bad), 0, T0, &p),
			    "unauthorized");
	assert_string_equal(staffauth_authenticate(&fx.s, l.r.token, CRED_TOKEN_LEN - 1, 0, T0, &p),
			    "unauthorized");
	assert_string_equal(staffauth_authenticate(&fx.s, "", 0, 0, T0, &p), "unauthorized");

	/* Refusals, each audited once. */
	assert_int_equal(login("budi", "kuda-baterai-stapleS", "10.1.1.2", T0, &l), SLOGIN_INVALID);
	assert_int_equal(login("nobody", pw_budi, "10.1.1.3", T0, &l), SLOGIN_INVALID);
	assert_int_equal(login("eko", pw_dina, "10.1.1.4", T0, &l), SLOGIN_DISABLED);
	assert_int_equal(login("eko", "salah-kata-sandi", "10.1.1.4", T0, &l), SLOGIN_INVALID);
	UNIT_WAIT_FOR(fx.base, failed_events() == f0 + 4);
	assert_int_equal(failed_events(), f0 + 4);
	/* No session was made by any of them. */
	assert_int_equal(q1("SELECT count(*) FROM staff_sessions"), 1);
}

static int then_calls, then_ok, then_changed;

static void then_cb(struct staff_op *s, int ok, void *arg)
{
	(void)arg;
	then_calls++;
	then_ok = ok;
	then_changed = s->changed;
}

/* Sessions end by idleness and by age (session_expired), at logout, and
 * when the password changes (through staffauth_submit_hashed, which hashes
 * on a worker); the new password then logs in, the old one does not. */
static void test_session_lifetime(void **state)
{
	(void)state;
	struct login l;
	struct principal p;
	char tok[CRED_TOKEN_LEN + 1];
	int64_t t = T0 + 10000;

	assert_int_equal(login("dina", pw_dina, "10.2.2.2", t, &l), SLOGIN_OK);
	snprintf(tok, sizeof tok, "%s", l.r.token);
	assert_null(staffauth_authenticate(&fx.s, tok, strlen(tok), 0, t, &p));
	assert_int_equal(p.roles, ROLE_ADMIN);
	assert_int_equal(p.staff.via_cookie, 0);
	/* Idle: just past the limit (a refusal changes nothing), then just
	 * within it, which stores the new last-seen time (a minute or more
	 * after the stored one) through the writer. */
	char sql[160];
	assert_string_equal(
		staffauth_authenticate(&fx.s, tok, strlen(tok), 0, t + IDLE_S * 1000LL + 1, &p),
		"session_expired");
	int64_t u = t + IDLE_S * 1000LL;
	assert_null(staffauth_authenticate(&fx.s, tok, strlen(tok), 0, u, &p));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM staff_sessions WHERE last_seen_at = %lld",
		 (long long)u);
	UNIT_WAIT_FOR(fx.base, q1(sql) == 1);
	assert_int_equal(q1(sql), 1);
	/* The idle clock now runs from there. */
	assert_string_equal(
		staffauth_authenticate(&fx.s, tok, strlen(tok), 0, u + IDLE_S * 1000LL + 1, &p),
		"session_expired");

	/* Kept alive by use, it still ends max_age after login. */
	while (u + IDLE_S * 1000LL / 2 <= t + MAX_AGE_S * 1000LL) {
		u += IDLE_S * 1000LL / 2;
		assert_null(staffauth_authenticate(&fx.s, tok, strlen(tok), 0, u, &p));
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM staff_sessions WHERE last_seen_at = %lld",
			 (long long)u);
		UNIT_WAIT_FOR(fx.base, q1(sql) == 1);
		assert_int_equal(q1(sql), 1);
	}
	assert_true(t + MAX_AGE_S * 1000LL + 1 - u < IDLE_S * 1000LL); /* not idle */
	assert_null(staffauth_authenticate(&fx.s, tok, strlen(tok), 0, t + MAX_AGE_S * 1000LL, &p));
	assert_string_equal(
		staffauth_authenticate(&fx.s, tok, strlen(tok), 0, t + MAX_AGE_S * 1000LL + 1, &p),
		"session_expired");

	/* Sessions list: the current one marked. */
	assert_int_equal(login("dina", pw_dina, "10.2.2.3", t + 5000, &l), SLOGIN_OK);
	char tok2[CRED_TOKEN_LEN + 1];
	snprintf(tok2, sizeof tok2, "%s", l.r.token);
	assert_null(staffauth_authenticate(&fx.s, tok2, strlen(tok2), 0, t + 6000, &p));
	json_t *list = staffauth_sessions_json(&fx.s, fx.dina, p.staff.session_hash, t + 6000);
	assert_non_null(list);
	assert_int_equal(json_array_size(list), 2);
	int current = 0;
	for (size_t i = 0; i < json_array_size(list); i++)
		if (json_is_true(json_object_get(json_array_get(list, i), "current"))) {
			current++;
			assert_string_equal(
				json_string_value(json_object_get(json_array_get(list, i), "peer")),
				"10.2.2.3");
		}
	assert_int_equal(current, 1);
	json_decref(list);

	/* A password change (hashed on a worker) ends both sessions. */
	struct staff_op *op = staff_op_new(STAFF_PASSWORD, p.actor, t + 7000);
	op->staff_id = fx.dina;
	snprintf(op->username, sizeof op->username, "dina");
	op->then = then_cb;
	then_calls = 0;
	assert_int_equal(staffauth_submit_hashed(&fx.s, op, "kata-sandi-baru-dina"), 0);
	UNIT_WAIT_FOR(fx.base, then_calls == 1);
	assert_int_equal(then_calls, 1);
	assert_int_equal(then_ok, 1);
	assert_int_equal(then_changed, 2);
	assert_int_equal(
		q1("SELECT count(*) FROM staff_sessions s JOIN staff t ON t.id = s.staff_id"
		   " WHERE t.username = 'dina' AND s.ended_why = 'password_changed'"),
		2);
	assert_string_equal(staffauth_authenticate(&fx.s, tok, strlen(tok), 0, t + 8000, &p),
			    "unauthorized");
	assert_string_equal(staffauth_authenticate(&fx.s, tok2, strlen(tok2), 0, t + 8000, &p),
			    "unauthorized");
	assert_int_equal(login("dina", pw_dina, "10.2.2.4", t + 9000, &l), SLOGIN_INVALID);
	assert_int_equal(login("dina", "kata-sandi-baru-dina", "10.2.2.4", t + 9000, &l),
			 SLOGIN_OK);
}

/* staffauth_check_password: 1 for the right password, 0 otherwise, on the
 * loop after a worker checked it. */
static int check_calls, check_ok;

static void check_cb(int ok, void *arg)
{
	(void)arg;
	check_calls++;
	check_ok = ok;
}

static void test_check_password(void **state)
{
	(void)state;
	struct staff_account a;
	assert_int_equal(staff_find(fx.s.db, "budi", &a), 1);
	check_calls = 0;
	check_ok = -5;
	assert_int_equal(staffauth_check_password(&fx.s, a.pw_hash, pw_budi, check_cb, NULL), 0);
	UNIT_WAIT_FOR(fx.base, check_calls == 1);
	assert_int_equal(check_ok, 1);
	assert_int_equal(staffauth_check_password(&fx.s, a.pw_hash, pw_dina, check_cb, NULL), 0);
	UNIT_WAIT_FOR(fx.base, check_calls == 2);
	assert_int_equal(check_ok, 0);
	assert_int_equal(staffauth_check_password(&fx.s, "scrypt$broken", pw_budi, check_cb, NULL),
			 0);
	UNIT_WAIT_FOR(fx.base, check_calls == 3);
	assert_int_equal(check_ok, 0);
}

/* More than FAIL_USER failures for one username block it (from any
 * address, even with the right password) until the window has passed;
 * other usernames still log in. (The address limit is set high here.) */
static void test_rate_limit(void **state)
{
	(void)state;
	struct login l;
	const int64_t t = T0 + 24 * 3600 * 1000LL; /* earlier failures are out of the window */
	for (int i = 0; i <= FAIL_USER; i++)
		assert_int_equal(login("budi", "bukan-kata-sandinya", "10.3.3.3", t, &l),
				 SLOGIN_INVALID);
	/* More than FAIL_USER failures: refused at once, even with the right
	 * password and from another address. */
	assert_int_equal(login("budi", pw_budi, "10.3.3.4", t + 1, &l), SLOGIN_TOO_MANY);
	/* Another account is not affected. */
	assert_int_equal(login("dina", "kata-sandi-baru-dina", "10.3.3.3", t + 2, &l),
			 SLOGIN_OK);
	/* After the window, budi logs in again. */
	assert_int_equal(login("budi", pw_budi, "10.3.3.4", t + 301000, &l), SLOGIN_OK);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_csrf_ok),
	};
	const struct CMUnitTest loop[] = {
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_session_lifetime),
		cmocka_unit_test(test_check_password),
		cmocka_unit_test(test_rate_limit),
	};
	int failed = cmocka_run_group_tests(pure, NULL, NULL);
	failed += cmocka_run_group_tests(loop, fx_setup, fx_teardown);
	return failed;
}
